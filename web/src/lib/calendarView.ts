// Pure pieces of how the calendar reads: working hours as FullCalendar's shaded business hours, a
// closed day or a day without bookings, and the compact content of short events.
import type { Appointment, HoursItem } from '../api/types';
import { parseFloating } from './time';

/** One stretch of FullCalendar's `businessHours` (days of week 0 = Sunday … 6 = Saturday). */
export interface BusinessStretch {
  daysOfWeek: number[];
  startTime: string;
  endTime: string;
}

/** The API's weekday (1 = Monday … 7 = Sunday) of a "YYYY-MM-DD" date. */
export function apiWeekday(isoDate: string): number {
  const d = parseFloating(isoDate.slice(0, 10)).getUTCDay();
  return d === 0 ? 7 : d;
}

/**
 * Weekly hours → FullCalendar's `businessHours`: everything outside them (evenings, breaks, days off)
 * is shaded. Hours never set → `false` (nothing shaded: the staff member's free times come from the
 * slots added by hand, so the panel cannot tell when they work).
 */
export function businessHoursOf(hours: readonly HoursItem[] | undefined): BusinessStretch[] | false {
  if (!hours || hours.length === 0) return false;
  return hours.map((h) => ({ daysOfWeek: [h.weekday % 7], startTime: h.from.slice(0, 5), endTime: h.to.slice(0, 5) }));
}

/**
 * The business hours of several staff members shown in one calendar: their union (a time is shaded
 * only when none of them works). When one of them has no hours set, nothing is shaded.
 */
export function unionBusinessHours(lists: readonly (readonly HoursItem[] | undefined)[]): BusinessStretch[] | false {
  if (lists.length === 0) return false;
  const out: BusinessStretch[] = [];
  for (const hours of lists) {
    const one = businessHoursOf(hours);
    if (one === false) return false;
    out.push(...one);
  }
  return out;
}

/**
 * Whether a day is closed for all the given staff members: each has weekly hours, and none of them
 * works on that weekday. (Unknown hours are never "closed".)
 */
export function isClosedDay(isoDate: string, lists: readonly (readonly HoursItem[] | undefined)[]): boolean {
  if (lists.length === 0) return false;
  const weekday = apiWeekday(isoDate);
  return lists.every((hours) => hours !== undefined && hours.length > 0 && !hours.some((h) => h.weekday === weekday));
}

/** What to say about a day: closed, no bookings, or nothing (it has bookings). */
export function dayNote(closed: boolean, bookings: number): 'closed' | 'empty' | null {
  if (closed) return 'closed';
  return bookings === 0 ? 'empty' : null;
}

/** The time and the name a calendar event shows, "09:00" and "Ігор Мельник", and whether it is short. */
export function compactEvent(a: Pick<Appointment, 'start' | 'end' | 'title' | 'service'>): { time: string; name: string; detail: string; short: boolean } {
  const minutes = (parseFloating(a.end).getTime() - parseFloating(a.start).getTime()) / 60_000;
  return { time: a.start.slice(11, 16), name: a.title, detail: a.service, short: minutes < 60 };
}

/**
 * The ways a client's name can be written in a narrow event box, longest first: "Олена Коваленко",
 * "Олена К.", "Олена", "ОК" (a one-word name ends with its first two letters). The box shows the
 * first one that fits whole, so a name is never cut to a fragment.
 */
export function nameForms(title: string): string[] {
  const words = title.trim().split(/\s+/).filter(Boolean);
  const [first, ...rest] = words;
  if (!first) return [''];
  const forms = [words.join(' ')];
  const last = rest.at(-1);
  if (last) forms.push(`${first} ${[...last][0]}.`);
  forms.push(first);
  forms.push(last ? `${[...first][0]}${[...last][0]}` : [...first].slice(0, 2).join(''));
  return forms.filter((f, i) => forms.indexOf(f) === i);
}
