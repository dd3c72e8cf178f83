// The waitlist panel's pure logic: which waits still wait, and how a day's line reads.
import type { WaitDay, WaitItem } from '../api/types';

/** Waits that have not turned into a booking yet. */
export function stillWaiting(day: WaitDay): WaitItem[] {
  return day.waits.filter((w) => w.appointment_id === null);
}

/** The days that still have someone waiting, with only those waits; in order. */
export function waitingDays(days: WaitDay[]): WaitDay[] {
  return days.map((d) => ({ ...d, waits: stillWaiting(d) })).filter((d) => d.waits.length > 0);
}

/** How many clients still wait, over all days. */
export function waitingCount(days: WaitDay[]): number {
  return days.reduce((n, d) => n + stillWaiting(d).length, 0);
}

/** "Стрижка · Оксана" or just the service when anyone will do. */
export function waitWhat(w: WaitItem): string {
  return w.staff ? `${w.service} · ${w.staff}` : w.service;
}
