// Time handling.
//
// The API speaks *wall-clock* times of the business ("2026-03-29T10:00:00", no offset) in the
// business's time zone. The panel keeps them "floating": such a string becomes a Date whose UTC
// fields equal the wall-clock fields, and every display or calendar works in UTC. So the browser's
// own time zone never shifts anything, and the conversion back is exact (read the UTC fields).
// Only "now" needs the real zone: it is the current wall time in the business zone, made floating.

export type Lang = 'uk' | 'en';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

const FLOATING_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
const OFFSET_RE = /(Z|[+-]\d{2}:?\d{2})$/i;

/** "YYYY-MM-DD[THH:MM[:SS]]" (no offset) → a Date whose UTC fields are those wall-clock fields. */
export function parseFloating(s: string): Date {
  const m = FLOATING_RE.exec(s.trim());
  if (!m) throw new Error(`Not a local date-time: ${s}`);
  const [, y, mo, d, h = '0', mi = '0', sec = '0'] = m;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec)));
}

/** A floating Date → "YYYY-MM-DDTHH:MM", the form PUT /api/appointments/{id} takes as `start`. */
export function toApiMinute(d: Date): string {
  return `${toIsoDate(d)}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** A floating Date → "YYYY-MM-DD". */
export function toIsoDate(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Adds whole days to "YYYY-MM-DD". */
export function addDays(isoDate: string, days: number): string {
  const d = parseFloating(isoDate);
  d.setUTCDate(d.getUTCDate() + days);
  return toIsoDate(d);
}

/** The wall-clock fields of an instant in `timeZone`. */
function zonedParts(instant: Date, timeZone: string) {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    Number(fmt.formatToParts(instant).find((p) => p.type === type)?.value ?? '0');
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour') % 24,
    minute: get('minute'),
    second: get('second'),
  };
}

/** Current wall time in the business zone, as a floating Date (for FullCalendar's `now`). */
export function wallClockNow(timeZone: string, instant: Date = new Date()): Date {
  const safeZone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  const p = zonedParts(instant, safeZone);
  return new Date(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second));
}

/** Today's date in the business zone, "YYYY-MM-DD". */
export function todayInZone(timeZone: string, instant: Date = new Date()): string {
  return toIsoDate(wallClockNow(timeZone, instant));
}

export function isValidTimeZone(timeZone: string): boolean {
  if (!timeZone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export function intlLocale(lang: Lang): string {
  return lang === 'uk' ? 'uk-UA' : 'en-GB';
}

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function formatter(lang: Lang, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${timeZone}|${JSON.stringify(options)}`;
  let f = fmtCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale(lang), { ...options, timeZone });
    fmtCache.set(key, f);
  }
  return f;
}

export const DATE_TIME: Intl.DateTimeFormatOptions = {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
};
export const DATE_ONLY: Intl.DateTimeFormatOptions = { day: '2-digit', month: '2-digit', year: 'numeric' };
export const DAY_HEADING: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' };
export const TIME_ONLY: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

/**
 * Formats a time the API sent. Wall-clock strings (no offset) are already in the business zone and
 * are shown as they are; strings with an offset or `Z` are instants, shown in `timeZone`.
 */
export function formatApiTime(
  s: string | null | undefined,
  lang: Lang,
  timeZone: string,
  options: Intl.DateTimeFormatOptions = DATE_TIME,
): string {
  if (!s) return '';
  try {
    if (OFFSET_RE.test(s.trim())) {
      const d = new Date(s);
      if (Number.isNaN(d.getTime())) return s;
      const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
      return formatter(lang, zone, options).format(d);
    }
    return formatter(lang, 'UTC', options).format(parseFloating(s));
  } catch {
    return s;
  }
}

/** "from–to" of one appointment: the end shows only its time when on the same day. */
export function formatRange(start: string, end: string, lang: Lang, timeZone: string): string {
  const sameDay = start.slice(0, 10) === end.slice(0, 10);
  return `${formatApiTime(start, lang, timeZone)}–${formatApiTime(end, lang, timeZone, sameDay ? TIME_ONLY : DATE_TIME)}`;
}

/** "середа, 25 листопада" → "Середа, 25 листопада". */
export function capitalizeFirst(s: string): string {
  return s ? s.charAt(0).toLocaleUpperCase() + s.slice(1) : s;
}
