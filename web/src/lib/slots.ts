// Pure logic for the free-times page.
import type { Appointment, AppointmentInput, AppointmentUpdate, Slot } from '../api/types';

export interface SlotDay {
  date: string; // YYYY-MM-DD
  slots: Slot[];
  free: number;
  reserved: number;
}

/** A time a booking holds: booked itself, or covered by an earlier, longer booking (or its buffer). */
export function isTaken(s: Pick<Slot, 'is_appointments' | 'covered'>): boolean {
  return s.is_appointments === 1 || s.covered === true;
}

/** Groups slots by day, days ascending and times ascending within a day; taken ones count as reserved. */
export function groupSlotsByDay(slots: Slot[]): SlotDay[] {
  const byDate = new Map<string, Slot[]>();
  for (const s of slots) {
    const list = byDate.get(s.available_date);
    if (list) list.push(s);
    else byDate.set(s.available_date, [s]);
  }
  return [...byDate.keys()].sort().map((date) => {
    const list = (byDate.get(date) ?? []).slice().sort((a, b) => a.available_time.localeCompare(b.available_time));
    const reserved = list.filter(isTaken).length;
    return { date, slots: list, reserved, free: list.length - reserved };
  });
}

/**
 * One choice of time: its start ("YYYY-MM-DDTHH:MM"), and the stored slot's id when it is booked by
 * it (absent: by the start, e.g. with "any staff member", where the server picks who).
 */
export interface TimeChoice {
  value: string;
  label: string;
  start: string;
  dateId?: number;
}

export interface SlotOptionGroup {
  date: string;
  options: TimeChoice[];
}

/** "YYYY-MM-DDTHH:MM" of a slot. */
export function slotStart(s: Pick<Slot, 'available_date' | 'available_time'>): string {
  return `${s.available_date}T${s.available_time.slice(0, 5)}`;
}

/**
 * Bookable times of a service as <optgroup>s per day, for the "add appointment" form. A slot with an
 * id is chosen by its id (value = the id); with `anyStaff` the times of every staff member are merged
 * into one choice per start (value "s:<start>"), which the server gives to whoever is free.
 */
export function slotOptionGroups(slots: Slot[], anyStaff = false): SlotOptionGroup[] {
  return groupSlotsByDay(slots).map((day) => {
    const seen = new Set<string>();
    const options: TimeChoice[] = [];
    for (const s of day.slots) {
      const start = slotStart(s);
      if (anyStaff && seen.has(start)) continue;
      seen.add(start);
      const label = s.end_datetime ? `${s.available_time}–${s.end_datetime}` : s.available_time;
      options.push(anyStaff || !(s.id > 0) ? { value: `s:${start}`, label, start } : { value: String(s.id), label, start, dateId: s.id });
    }
    return { date: day.date, options };
  });
}

export interface BookingChoice {
  serviceId: number;
  /** The chosen time (absent when editing and the time stays). */
  choice?: TimeChoice;
  /** The chosen staff member; null: any (new) or unchanged (edit). */
  staffId: number | null;
  notes: string;
  /** Editing: this visit's own price as typed (a discount, an extra); absent or null: unchanged. */
  price?: number | null;
}

/**
 * The body of a new appointment: a stored slot by its id (its staff member), otherwise the start with
 * the chosen staff member, or none so that the server assigns someone free.
 */
export function newAppointmentBody(userId: number, b: BookingChoice & { choice: TimeChoice }): AppointmentInput {
  const when =
    b.choice.dateId !== undefined
      ? { date_id: b.choice.dateId }
      : { start: b.choice.start, ...(b.staffId !== null ? { staff_id: b.staffId } : {}) };
  const notes = b.notes.trim();
  return { user_id: userId, service_id: b.serviceId, ...when, ...(notes ? { notes } : {}) };
}

/** The body of a change: the new start and staff member when they change (the server re-checks both). */
export function appointmentChangeBody(
  a: Pick<Appointment, 'service_id' | 'staff_id'> & { price?: number | null },
  b: BookingChoice,
): AppointmentUpdate {
  const body: AppointmentUpdate = { notes: b.notes.trim(), ...(b.choice ? { start: b.choice.start } : {}) };
  if (b.serviceId !== a.service_id) body.service_id = b.serviceId;
  if (b.staffId !== null && b.staffId !== a.staff_id) body.staff_id = b.staffId;
  if (b.price != null && b.price !== a.price) body.price = b.price;
  return body;
}

/**
 * The time a booking made from the calendar starts with: the free time that starts there when the
 * list has one (booked by its slot), else that start itself ("s:<start>"; the server checks it).
 * A date alone (a month cell) gives no time.
 */
export function calendarChoice(groups: readonly SlotOptionGroup[], start: string | undefined): TimeChoice | null {
  if (!start || !/T\d{2}:\d{2}$/.test(start)) return null;
  const free = groups.flatMap((g) => g.options).find((o) => o.start === start);
  return free ?? { value: `s:${start}`, label: start.slice(11, 16), start };
}

/** The groups of one day only ("" keeps every day). */
export function groupsOnDay(groups: readonly SlotOptionGroup[], day: string): SlotOptionGroup[] {
  return day ? groups.filter((g) => g.date === day) : groups.slice();
}
