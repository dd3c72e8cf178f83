// Pure logic for the free-times page.
import type { Slot } from '../api/types';

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
