// Pure logic of a staff member's working hours: the weekly editor's model (per weekday a list of
// stretches from–to; the gaps between them are breaks; no stretch = day off), its validation, and
// the dated exceptions (a day off, a vacation, other hours on one date).
import type { HoursItem, StaffExceptionInput, TimeRange } from '../api/types';
import type { MessageKey } from '../i18n/uk';
import { isValidDate, isValidTime, timeToMinutes, type Problem, type Validated } from './validation';

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The editor's week: index 0 = Monday … 6 = Sunday, each a list of stretches as typed. */
export type Week = TimeRange[][];

export function emptyWeek(): Week {
  return WEEKDAYS.map(() => []);
}

const byFrom = (a: TimeRange, b: TimeRange) => timeToMinutes(a.from) - timeToMinutes(b.from) || timeToMinutes(a.to) - timeToMinutes(b.to);

/** The API's list → the editor's week, each day's stretches in order. Unknown weekdays are dropped. */
export function weekFromApi(hours: readonly HoursItem[]): Week {
  const week = emptyWeek();
  for (const h of hours) {
    const day = week[h.weekday - 1];
    if (day) day.push({ from: h.from.slice(0, 5), to: h.to.slice(0, 5) });
  }
  return week.map((day) => day.slice().sort(byFrom));
}

/** The breaks of one day: the gaps between its (sorted, valid) stretches. */
export function breaksOf(stretches: readonly TimeRange[]): TimeRange[] {
  const sorted = stretches.slice().sort(byFrom);
  const gaps: TimeRange[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const next = sorted[i]!;
    if (timeToMinutes(next.from) > timeToMinutes(prev.to)) gaps.push({ from: prev.to, to: next.from });
  }
  return gaps;
}

export type StretchProblem = 'time' | 'order' | 'overlap';

/**
 * What is wrong with one day's stretches: a time that is not "HH:MM", a stretch that does not end
 * after it starts, or two stretches that overlap (touching, 10:00–14:00 and 14:00–18:00, is fine).
 */
export function stretchProblems(stretches: readonly TimeRange[]): StretchProblem[] {
  const found = new Set<StretchProblem>();
  for (const s of stretches) {
    if (!isValidTime(s.from) || !isValidTime(s.to)) found.add('time');
    else if (timeToMinutes(s.to) <= timeToMinutes(s.from)) found.add('order');
  }
  if (found.size === 0) {
    const sorted = stretches.slice().sort(byFrom);
    for (let i = 1; i < sorted.length; i++) {
      if (timeToMinutes(sorted[i]!.from) < timeToMinutes(sorted[i - 1]!.to)) found.add('overlap');
    }
  }
  return [...found];
}

const PROBLEM_KEYS: Record<StretchProblem, MessageKey> = {
  time: 'valid.hoursTime',
  order: 'valid.hoursOrder',
  overlap: 'valid.hoursOverlap',
};

const WEEKDAY_KEYS: Record<Weekday, MessageKey> = {
  1: 'weekdayLong.1',
  2: 'weekdayLong.2',
  3: 'weekdayLong.3',
  4: 'weekdayLong.4',
  5: 'weekdayLong.5',
  6: 'weekdayLong.6',
  7: 'weekdayLong.7',
};

/** Trims the typed times to "HH:MM". */
const clean = (s: TimeRange): TimeRange => ({ from: s.from.trim(), to: s.to.trim() });

/** The week → the API's list (sorted by weekday, then time), or the problems of each day. */
export function validateWeek(week: Week): Validated<HoursItem[]> {
  const problems: Problem[] = [];
  const hours: HoursItem[] = [];
  WEEKDAYS.forEach((weekday, i) => {
    const day = (week[i] ?? []).map(clean);
    for (const p of stretchProblems(day)) problems.push({ key: PROBLEM_KEYS[p], field: WEEKDAY_KEYS[weekday] });
    for (const s of day.slice().sort(byFrom)) hours.push({ weekday, from: s.from, to: s.to });
  });
  return problems.length ? { ok: false, problems } : { ok: true, value: hours };
}

/** A new stretch for a day: after the last one (an hour later, an hour long), or 09:00–18:00. */
export function nextStretch(day: readonly TimeRange[]): TimeRange {
  const last = day.slice().sort(byFrom).at(-1);
  if (!last || !isValidTime(last.to)) return { from: '09:00', to: '18:00' };
  const start = Math.min(timeToMinutes(last.to) + 60, 22 * 60);
  const fmt = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return { from: fmt(start), to: fmt(Math.min(start + 60, 23 * 60 + 59)) };
}

/** Minutes of work in one day's stretches. */
export function dayMinutes(stretches: readonly TimeRange[]): number {
  return stretches.reduce((sum, s) => sum + Math.max(0, timeToMinutes(s.to) - timeToMinutes(s.from)), 0);
}

// ---- exceptions ----

export type ExceptionKind = 'day_off' | 'vacation' | 'hours';

export interface ExceptionForm {
  kind: ExceptionKind;
  date_from: string;
  /** Only for a vacation. */
  date_to: string;
  /** Only for other hours on one date. */
  hours: TimeRange[];
  note: string;
}

/** The exception form → the API body, or its problems. */
export function validateException(f: ExceptionForm): Validated<StaffExceptionInput> {
  const problems: Problem[] = [];
  const from = f.date_from.trim();
  const to = f.kind === 'vacation' ? f.date_to.trim() : from;
  if (!isValidDate(from) || !isValidDate(to)) problems.push({ key: 'valid.date' });
  else if (to < from) problems.push({ key: 'valid.dateOrder' });
  const hours = f.kind === 'hours' ? f.hours.map(clean) : [];
  if (f.kind === 'hours') {
    if (hours.length === 0) problems.push({ key: 'valid.hoursNone' });
    for (const p of stretchProblems(hours)) problems.push({ key: PROBLEM_KEYS[p], field: 'staff.exception.hours' });
  }
  if (problems.length) return { ok: false, problems };
  const note = f.note.trim();
  return {
    ok: true,
    value: {
      date_from: from,
      date_to: to,
      ...(hours.length ? { hours: hours.slice().sort(byFrom) } : {}),
      ...(note ? { note } : {}),
    },
  };
}

/** The kind of a stored exception: other hours, one day off, or a range off. */
export function exceptionKind(e: { date_from: string; date_to: string; hours: readonly TimeRange[] }): ExceptionKind {
  if (e.hours.length > 0) return 'hours';
  return e.date_to > e.date_from ? 'vacation' : 'day_off';
}
