// "Today first": the home page's block of today's visits, bookings awaiting confirmation and bot
// bookings new since the owner last looked. Pure functions, plus the remembered "last look".
import type { Appointment } from '../api/types';
import { statusOf } from './appointments';

const LAST_LOOK_KEY = 'zapys.lastLook';

/** When the owner last opened the home page (an ISO instant), or null the first time. */
export function readLastLook(): string | null {
  try {
    return globalThis.localStorage?.getItem(LAST_LOOK_KEY) ?? null;
  } catch {
    return null;
  }
}

export function writeLastLook(instant: Date = new Date()): void {
  try {
    globalThis.localStorage?.setItem(LAST_LOOK_KEY, instant.toISOString());
  } catch {
    /* storage unavailable: the badge then counts from this page's opening only */
  }
}

const byStart = (a: Appointment, b: Appointment) => a.start.localeCompare(b.start) || a.id - b.id;

/** Today's active visits, earliest first. */
export function todaysVisits(items: readonly Appointment[], today: string): Appointment[] {
  return items.filter((a) => a.start.slice(0, 10) === today && isActiveStatus(a)).sort(byStart);
}

/** Bookings still awaiting the business's confirmation, earliest first. */
export function awaitingConfirmation(items: readonly Appointment[]): Appointment[] {
  return items.filter((a) => statusOf(a) === 'pending').sort(byStart);
}

/** Bookings the clients made in the bot after `lastLook` (none before the first look), earliest first. */
export function newBotBookings(items: readonly Appointment[], lastLook: string | null): Appointment[] {
  if (!lastLook) return [];
  const since = Date.parse(lastLook);
  if (Number.isNaN(since)) return [];
  return items
    .filter((a) => a.source === 'bot' && isActiveStatus(a) && a.created_at !== undefined && a.created_at !== null && Date.parse(a.created_at) > since)
    .sort(byStart);
}

function isActiveStatus(a: Appointment): boolean {
  const s = statusOf(a);
  return s === 'pending' || s === 'confirmed';
}
