// The language switch: current language in a tiny store (remembered in localStorage), `t()` usable
// anywhere (also outside React, e.g. in SweetAlert2 dialogs), `useI18n()` re-renders on a switch.
import { useSyncExternalStore } from 'react';
import type { Lang } from '../lib/time';
import { en } from './en';
import { uk, type Catalogue, type MessageKey } from './uk';

export type { Catalogue, MessageKey };
export type Params = Record<string, string | number>;

export const catalogues: Record<Lang, Catalogue> = { uk, en };
const STORAGE_KEY = 'zapys.lang';

function loadLang(): Lang {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === 'uk' || saved === 'en') return saved;
  } catch {
    /* storage unavailable */
  }
  return 'uk';
}

let current: Lang = loadLang();
const listeners = new Set<() => void>();

/** Replaces {name} placeholders; unknown ones stay as they are. */
export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  return interpolate(catalogues[lang][key] ?? uk[key] ?? key, params);
}

export function t(key: MessageKey, params?: Params): string {
  return translate(current, key, params);
}

export function getLang(): Lang {
  return current;
}

export function setLang(lang: Lang): void {
  if (lang === current) return;
  current = lang;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    /* storage unavailable */
  }
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useI18n(): { lang: Lang; t: typeof t; setLang: typeof setLang } {
  const lang = useSyncExternalStore(subscribe, getLang, getLang);
  return { lang, t, setLang };
}
