// Date and time fields that follow the panel's language switch rather than the browser's locale:
// dates shown and typed as uk "30.11.2026" / en "30/11/2026" (ISO "2026-11-30" is accepted too),
// times always on the 24-hour clock ("09:30"), as both languages write them.
import type { Lang } from './time';
import { isValidDate } from './validation';

/** "YYYY-MM-DD" → the language's way of writing it; anything else stays as it is. */
export function formatDateField(iso: string, lang: Lang): string {
  if (!isValidDate(iso)) return iso;
  const [y, m, d] = iso.split('-');
  return lang === 'uk' ? `${d}.${m}.${y}` : `${d}/${m}/${y}`;
}

/** The placeholder of a date field: "ДД.ММ.РРРР" / "DD/MM/YYYY". */
export function dateFieldPattern(lang: Lang): string {
  return lang === 'uk' ? 'ДД.ММ.РРРР' : 'DD/MM/YYYY';
}

/**
 * What was typed → "YYYY-MM-DD", or null when it is not a real date. Day first in both languages
 * ("30.11.2026", "30/11/2026", "1.2.2026"), or ISO.
 */
export function parseDateField(text: string): string | null {
  const s = text.trim();
  if (isValidDate(s)) return s;
  const m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(s);
  if (!m) return null;
  const iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return isValidDate(iso) ? iso : null;
}

/** What was typed → "HH:MM" on the 24-hour clock ("9:30", "09.30", "0930" → "09:30"), or null. */
export function parseTimeField(text: string): string | null {
  const s = text.trim();
  const m = /^(\d{1,2})[:.](\d{2})$/.exec(s) ?? /^(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}
