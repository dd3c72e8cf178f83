// Every number the panel shows, in the panel's language: one module for every page (uk "1,5 год",
// "850,50 грн"; en "1.5 h", "UAH 850.50"). Dates and times are lib/time.ts's.
import { translate } from '../i18n';
import { intlLocale, type Lang } from './time';

const numberFormats = new Map<string, Intl.NumberFormat>();
function nf(lang: Lang, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(intlLocale(lang), options);
    numberFormats.set(key, f);
  }
  return f;
}

export function formatNumber(n: number, lang: Lang, maximumFractionDigits = 0): string {
  return nf(lang, { maximumFractionDigits }).format(n);
}

/** 0.048 → "4,8%" / "4.8%"; null → "—". Under 10% keeps one decimal, above rounds to whole percents. */
export function formatPercent(rate: number | null, lang: Lang): string {
  if (rate === null || !Number.isFinite(rate)) return '—';
  return nf(lang, { style: 'percent', maximumFractionDigits: Math.abs(rate) < 0.1 ? 1 : 0 }).format(rate);
}

/** Money without a currency sign (the caller adds "грн"/"UAH"): up to 2 decimals, none when whole. */
export function formatMoney(amount: number, lang: Lang): string {
  return nf(lang, { maximumFractionDigits: Number.isInteger(amount) ? 0 : 2, minimumFractionDigits: Number.isInteger(amount) ? 0 : 2 }).format(amount);
}

/** "30 днів" / "30 days" (the plural is Intl's). */
export function formatDays(days: number, lang: Lang): string {
  return nf(lang, { style: 'unit', unit: 'day', unitDisplay: 'long', maximumFractionDigits: 1 }).format(days);
}

/** Hours as a readable lead time: minutes under an hour, hours under two days, days beyond. */
export function formatLeadTime(hours: number | null, lang: Lang): string {
  if (hours === null || !Number.isFinite(hours)) return '—';
  const unit = (value: number, u: 'minute' | 'hour' | 'day', digits: number) =>
    nf(lang, { style: 'unit', unit: u, unitDisplay: 'long', maximumFractionDigits: digits }).format(value);
  if (hours < 1) return unit(Math.round(hours * 60), 'minute', 0);
  if (hours < 48) return unit(hours, 'hour', hours < 10 ? 1 : 0);
  return unit(hours / 24, 'day', 1);
}

/** Hours with at most one decimal ("12,5" / "12.5"); null → "—". */
export function formatHours(hours: number | null, lang: Lang): string {
  return hours === null ? '—' : formatNumber(Math.round(hours * 10) / 10, lang, 1);
}

/** A price with its currency: "850,50 грн" / "UAH 850.50", a whole amount without decimals ("850 грн"). */
export function formatPrice(amount: number, lang: Lang): string {
  return translate(lang, 'analytics.money', { amount: formatMoney(amount, lang) });
}

/** An amount of hours with its unit, up to two decimals: "1,5 год" / "1.5 h", "0,75 год". */
export function formatHoursAmount(hours: number, lang: Lang): string {
  return translate(lang, 'services.hoursShort', { hours: formatNumber(Math.round(hours * 100) / 100, lang, 2) });
}

/** Minutes with their unit: "90 хв" / "90 min". */
export function formatMinutes(minutes: number, lang: Lang): string {
  return `${formatNumber(minutes, lang)} ${translate(lang, 'common.minutes')}`;
}

/** A price as a form field holds it, with the language's decimal mark and no grouping: "850,50" / "850.50"; none → "". */
export function priceInput(amount: number | null | undefined, lang: Lang): string {
  if (amount === null || amount === undefined) return '';
  return nf(lang, { useGrouping: false, maximumFractionDigits: 2, minimumFractionDigits: Number.isInteger(amount) ? 0 : 2 }).format(amount);
}
