// Pure logic for the free-times page.
import type { Slot } from '../api/types';

export interface SlotDay {
  date: string; // YYYY-MM-DD
  slots: Slot[];
  free: number;
  reserved: number;
}

/** Groups slots by day, days ascending and times ascending within a day. */
export function groupSlotsByDay(slots: Slot[]): SlotDay[] {
  const byDate = new Map<string, Slot[]>();
  for (const s of slots) {
    const list = byDate.get(s.available_date);
    if (list) list.push(s);
    else byDate.set(s.available_date, [s]);
  }
  return [...byDate.keys()].sort().map((date) => {
    const list = (byDate.get(date) ?? []).slice().sort((a, b) => a.available_time.localeCompare(b.available_time));
    const reserved = list.filter((s) => s.is_appointments === 1).length;
    return { date, slots: list, reserved, free: list.length - reserved };
  });
}

export interface SlotOptionGroup {
  date: string;
  options: { id: number; label: string }[];
}

/** Bookable times of a service as <optgroup>s per day, for the "add appointment" form. */
export function slotOptionGroups(slots: Slot[]): SlotOptionGroup[] {
  return groupSlotsByDay(slots).map((day) => ({
    date: day.date,
    options: day.slots.map((s) => ({
      id: s.id,
      label: s.end_datetime ? `${s.available_time}–${s.end_datetime}` : s.available_time,
    })),
  }));
}
