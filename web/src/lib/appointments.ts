// Pure logic about appointments: calendar events, colours, which actions a status allows.
import type { EventInput } from '@fullcalendar/core';
import type { Appointment, StatusName } from '../api/types';
import { readableBackground, textOn, UNKNOWN_STAFF_COLOUR } from './staff';
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

/** The status's mark when events are coloured by staff member: a thick left border of this colour. */
export const STATUS_BORDER: Record<StatusName, string> = {
  pending: '#f0a500',
  confirmed: '#1f8f4e',
  completed: '#3c4652',
  no_show: '#d0342c',
  cancelled: '#c9ced6',
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

/** Whether the visit has begun: its start is at or before `now` (both floating wall-clock times). */
export function hasStarted(a: Pick<Appointment, 'start'>, now: Date): boolean {
  try {
    return parseFloating(a.start).getTime() <= now.getTime();
  } catch {
    return false;
  }
}

/**
 * The actions offered for a status (the server still decides; a 409 is shown as is). "Done" and
 * "no-show" only once the visit has started (`now` is the business's wall clock, floating; see
 * lib/time.ts): the server refuses them before, so they are not offered.
 */
export function allowedActions(a: Pick<Appointment, 'status' | 'status_name' | 'start'>, now: Date): ActionName[] {
  const after: ActionName[] = hasStarted(a, now) ? ['complete', 'no_show'] : [];
  switch (statusOf(a)) {
    case 'pending':
      return ['confirm', 'edit', 'cancel', ...after];
    case 'confirmed':
      return ['edit', 'cancel', ...after];
    default:
      return [];
  }
}

export interface ToEventsOptions {
  showCancelled: boolean;
  /**
   * Colour by staff member (their colour behind the text) instead of by status; the status then shows
   * as the thick left border in the status's colour. Absent: by status, as with a single staff member.
   */
  staffColours?: ReadonlyMap<number, string>;
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
    const staffColour = options.staffColours
      ? readableBackground(options.staffColours.get(a.staff_id) ?? UNKNOWN_STAFF_COLOUR)
      : null;
    events.push({
      id: String(a.id),
      title: a.service ? `${a.title} · ${a.service}` : a.title,
      start: parseFloating(a.start),
      end: parseFloating(a.end),
      backgroundColor: staffColour ?? colour.background,
      borderColor: staffColour ? STATUS_BORDER[status] : colour.border,
      textColor: staffColour ? textOn(staffColour) : colour.text,
      classNames: staffColour ? [`ev-${status}`, 'ev-by-staff'] : [`ev-${status}`],
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
