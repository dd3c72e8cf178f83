// The working hours of a staff member on one date, dated exceptions included, and the shading the
// calendar adds for them. Dates are the business's wall-clock dates ("YYYY-MM-DD") and times its
// wall-clock times, as everywhere in the calendar (see time.ts): a day is always 00:00–24:00, so a
// DST change never moves or drops a shaded stretch.
import type { HoursItem, StaffException, TimeRange } from '../api/types';
import { apiWeekday } from './calendarView';
import { addDays } from './time';
import { timeToMinutes } from './validation';

export type DayKind = 'weekly' | 'day_off' | 'vacation' | 'hours';

export interface DaySchedule {
  /** Where the day's hours come from: the weekly hours, or a dated exception of that kind. */
  kind: DayKind;
  /** The stretches worked that day, in order (empty: not working). */
  stretches: TimeRange[];
  /** The exception's note (empty for the weekly hours). */
  note: string;
}

/** A stretch in minutes from midnight (end exclusive). */
type Span = [number, number];

const DAY = 24 * 60;
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const toSpan = (s: TimeRange): Span => [timeToMinutes(s.from.slice(0, 5)), timeToMinutes(s.to.slice(0, 5))];

/**
 * A staff member's day as the server decides it (domain `Schedule::stretches_on`): the latest-added
 * exception covering the date (the highest id), else the weekly hours of its weekday. `null` when
 * nothing is known (no weekly hours and no exception that day: their slots alone say when they work).
 */
export function scheduleOn(
  date: string,
  weekly: readonly HoursItem[] | undefined,
  exceptions: readonly StaffException[] | undefined,
): DaySchedule | null {
  const covering = (exceptions ?? []).filter((e) => e.date_from <= date && date <= e.date_to);
  const latest = covering.reduce<StaffException | null>((best, e) => (best === null || e.id > best.id ? e : best), null);
  if (latest) {
    const kind: DayKind = latest.hours.length > 0 ? 'hours' : latest.date_to > latest.date_from ? 'vacation' : 'day_off';
    return { kind, stretches: sortStretches(latest.hours), note: latest.note.trim() };
  }
  if (!weekly || weekly.length === 0) return null;
  const weekday = apiWeekday(date);
  return { kind: 'weekly', stretches: sortStretches(weekly.filter((h) => h.weekday === weekday)), note: '' };
}

function sortStretches(list: readonly TimeRange[]): TimeRange[] {
  return list.map((s) => ({ from: s.from.slice(0, 5), to: s.to.slice(0, 5) })).sort((a, b) => timeToMinutes(a.from) - timeToMinutes(b.from));
}

/** The union of spans, merged and in order. */
function union(spans: readonly Span[]): Span[] {
  const sorted = spans.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: Span[] = [];
  for (const [a, b] of sorted) {
    const last = out.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** `from` minus `cut`: the parts of the first spans no span of the second covers. */
function subtract(from: readonly Span[], cut: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const [a, b] of union(from)) {
    let start = a;
    for (const [c, d] of union(cut)) {
      if (d <= start || c >= b) continue;
      if (c > start) out.push([start, c]);
      start = Math.max(start, d);
    }
    if (start < b) out.push([start, b]);
  }
  return out;
}

/** One shaded stretch for FullCalendar (a background event), wall-clock "YYYY-MM-DDTHH:MM". */
export interface ExceptionShade {
  start: string;
  end: string;
  /** 'off': the whole day off (a day off or a vacation) with its words; 'short': hours not worked that date. */
  kind: 'off' | 'short';
  /** For 'off': the note, else the kind's name; empty for 'short'. */
  label: string;
}

export interface StaffDays {
  weekly: readonly HoursItem[] | undefined;
  exceptions: readonly StaffException[] | undefined;
}

export interface ShadeLabels {
  day_off: string;
  vacation: string;
}

const at = (date: string, minutes: number) => (minutes >= DAY ? `${addDays(date, 1)}T00:00` : `${date}T${hhmm(minutes)}`);

/**
 * What the calendar shades on top of the weekly off-hours (FullCalendar's `businessHours`, which
 * repeat by weekday and know no dates) for the dates `from` … `to` (inclusive) when it shows these
 * staff members together: the times their weekly hours say someone works but, by the dated
 * exceptions, nobody does. A date on which every one of them is off by an exception (a day off, a
 * vacation) is shaded whole and says why: the note, or "Відпустка" / "Вихідний день".
 * Times an exception adds outside everybody's weekly hours stay shaded by the weekly hours (the
 * staff columns, one date each, use `businessHoursOn` instead and show them exactly).
 */
export function exceptionShades(from: string, to: string, staff: readonly StaffDays[], labels: ShadeLabels): ExceptionShade[] {
  const out: ExceptionShade[] = [];
  if (staff.length === 0) return out;
  for (let date = from, guard = 0; date <= to && guard < 400; date = addDays(date, 1), guard++) {
    const days = staff.map((s) => ({ weekly: scheduleOn(date, s.weekly, undefined), actual: scheduleOn(date, s.weekly, s.exceptions) }));
    // Someone whose hours are unknown that day may be working at any time: nothing is shaded.
    if (days.some((d) => d.actual === null)) continue;
    if (days.every((d) => d.actual!.kind === 'weekly')) continue;
    const off = days.filter((d) => d.actual!.kind === 'day_off' || d.actual!.kind === 'vacation');
    if (off.length === days.length) {
      const notes = [...new Set(off.map((d) => d.actual!.note || labels[d.actual!.kind as 'day_off' | 'vacation']))];
      out.push({ start: at(date, 0), end: at(date, DAY), kind: 'off', label: notes.join(' · ') });
      continue;
    }
    const planned = union(days.flatMap((d) => (d.weekly?.stretches ?? []).map(toSpan)));
    const worked = union(days.flatMap((d) => d.actual!.stretches.map(toSpan)));
    for (const [a, b] of subtract(planned, worked)) out.push({ start: at(date, a), end: at(date, b), kind: 'short', label: '' });
  }
  return out;
}

/**
 * One staff member's working hours on one date as FullCalendar's `businessHours` for a one-day
 * calendar (the staff columns): the exception's hours when one covers it, a day off shaded through,
 * else the weekly hours. `false` when their hours are unknown (nothing shaded).
 */
export function businessHoursOn(date: string, days: StaffDays): { daysOfWeek: number[]; startTime: string; endTime: string }[] | false {
  const day = scheduleOn(date, days.weekly, days.exceptions);
  if (day === null) return false;
  const dow = apiWeekday(date) % 7;
  // No stretch at all would mean "nothing shaded" to FullCalendar: a zero-length one shades the whole day.
  if (day.stretches.length === 0) return [{ daysOfWeek: [dow], startTime: '00:00', endTime: '00:00' }];
  return day.stretches.map((s) => ({ daysOfWeek: [dow], startTime: s.from, endTime: s.to }));
}

/** The words a staff column's head shows for a dated exception that day ("Відпустка", the note). */
export function exceptionNoteOn(date: string, days: StaffDays): { kind: Exclude<DayKind, 'weekly'>; note: string } | null {
  const day = scheduleOn(date, days.weekly, days.exceptions);
  if (day === null || day.kind === 'weekly') return null;
  return { kind: day.kind, note: day.note };
}

/** Whether nobody of these staff members works on a date: each has known hours, none of them that day. */
export function isClosedOn(date: string, staff: readonly StaffDays[]): boolean {
  if (staff.length === 0) return false;
  return staff.every((s) => {
    const day = scheduleOn(date, s.weekly, s.exceptions);
    return day !== null && day.stretches.length === 0;
  });
}
