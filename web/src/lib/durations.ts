// Lengths of time the settings keep in minutes, edited as an amount and a unit ("2 hours",
// "30 minutes"). Pure functions: the forms hold strings, these turn them into minutes or refuse.

export const DURATION_UNITS = ['minutes', 'hours'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

const UNIT_MINUTES: Record<DurationUnit, number> = { minutes: 1, hours: 60 };

/** What the form holds for one length of time. */
export interface DurationField {
  amount: string;
  unit: DurationUnit;
}

/** The bounds the server accepts for a reminder offset and for the auto-cancel time: 5 min to 7 days. */
export const NOTICE_MIN_MINUTES = 5;
export const NOTICE_MAX_MINUTES = 7 * 24 * 60;
/** The server keeps at most this many reminders. */
export const MAX_REMINDERS = 5;

/** Minutes → the friendliest field: whole hours when they divide evenly, minutes otherwise. */
export function splitMinutes(minutes: number): DurationField {
  if (minutes > 0 && minutes % 60 === 0) return { amount: String(minutes / 60), unit: 'hours' };
  return { amount: String(minutes), unit: 'minutes' };
}

/** A field → whole minutes, or null when the amount is not a whole positive number. */
export function fieldToMinutes(f: DurationField): number | null {
  const v = f.amount.trim();
  if (!/^\d{1,6}$/.test(v)) return null;
  const n = Number(v) * UNIT_MINUTES[f.unit];
  return n > 0 ? n : null;
}

function inNoticeRange(minutes: number | null): minutes is number {
  return minutes !== null && minutes >= NOTICE_MIN_MINUTES && minutes <= NOTICE_MAX_MINUTES;
}

/**
 * The auto-cancel setting: switched off → null (never); on with 5 min to 7 days → minutes;
 * on with anything else → undefined (invalid).
 */
export function parseAutoCancel(enabled: boolean, f: DurationField): number | null | undefined {
  if (!enabled) return null;
  const minutes = fieldToMinutes(f);
  return inNoticeRange(minutes) ? minutes : undefined;
}

/**
 * The reminder rows → offsets in minutes, largest first, without repeats; rows left blank are ignored.
 * null when a row is invalid (not 5 min to 7 days) or more than MAX_REMINDERS remain.
 */
export function parseReminders(rows: DurationField[]): number[] | null {
  const out: number[] = [];
  for (const row of rows) {
    if (row.amount.trim() === '') continue;
    const minutes = fieldToMinutes(row);
    if (!inNoticeRange(minutes)) return null;
    if (!out.includes(minutes)) out.push(minutes);
  }
  if (out.length > MAX_REMINDERS) return null;
  return out.sort((a, b) => b - a);
}
