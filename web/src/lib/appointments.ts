// Pure logic about appointments: calendar events, colours, which actions a status allows.
import type { EventInput } from '@fullcalendar/core';
import type { Appointment, StatusName } from '../api/types';
import { parseFloating, toApiMinute } from './time';

export interface StatusColour {
  background: string;
  border: string;
  text: string;
}

/** Each pair of text and background keeps WCAG AA contrast (at least 4.5:1; appointments.test.ts). */
export const STATUS_COLOURS: Record<StatusName, StatusColour> = {
  pending: { background: '#f6c453', border: '#d99a0b', text: '#3b2a00' },
  confirmed: { background: '#2e7d55', border: '#1f5c3d', text: '#ffffff' },
  completed: { background: '#5e6e80', border: '#4a5868', text: '#ffffff' },
  no_show: { background: '#b4473c', border: '#8f362d', text: '#ffffff' },
  cancelled: { background: '#eceff3', border: '#c9ced6', text: '#5a6470' },
};

/** The status name of an appointment, trusting `status_name` and falling back to the code. */
export function statusOf(a: Pick<Appointment, 'status' | 'status_name'>): StatusName {
  if (a.status_name) return a.status_name;
  const byCode: StatusName[] = ['pending', 'confirmed', 'completed', 'cancelled', 'no_show'];
  return byCode[a.status] ?? 'pending';
}

/** Pending and confirmed bookings are "active": they hold their time and can still change. */
export function isActive(a: Pick<Appointment, 'status' | 'status_name'>): boolean {
  const s = statusOf(a);
  return s === 'pending' || s === 'confirmed';
}

export type ActionName = 'confirm' | 'edit' | 'cancel' | 'complete' | 'no_show';

/** The actions offered for a status (the server still decides; a 409 is shown as is). */
export function allowedActions(a: Pick<Appointment, 'status' | 'status_name'>): ActionName[] {
  switch (statusOf(a)) {
    case 'pending':
      return ['confirm', 'edit', 'cancel', 'complete', 'no_show'];
    case 'confirmed':
      return ['edit', 'cancel', 'complete', 'no_show'];
    default:
      return [];
  }
}

export interface ToEventsOptions {
  showCancelled: boolean;
}

/**
 * Appointments → FullCalendar events. The calendar runs with `timeZone: 'UTC'` and the API's
 * wall-clock strings are given as floating UTC times, so what is shown is exactly the business's
 * local time whatever the browser's zone. Cancelled ones are left out unless asked for (then faded).
 */
export function toCalendarEvents(items: Appointment[], options: ToEventsOptions): EventInput[] {
  const events: EventInput[] = [];
  for (const a of items) {
    const status = statusOf(a);
    if (status === 'cancelled' && !options.showCancelled) continue;
    const colour = STATUS_COLOURS[status];
    events.push({
      id: String(a.id),
      title: a.service ? `${a.title} · ${a.service}` : a.title,
      start: parseFloating(a.start),
      end: parseFloating(a.end),
      backgroundColor: colour.background,
      borderColor: colour.border,
      textColor: colour.text,
      classNames: [`ev-${status}`],
      startEditable: isActive(a),
      durationEditable: false,
      extendedProps: { appointment: a },
    });
  }
  return events;
}

/** The `start` to send after a drag: the dropped floating Date back to "YYYY-MM-DDTHH:MM". */
export function droppedStart(start: Date | null): string | null {
  return start ? toApiMinute(start) : null;
}
