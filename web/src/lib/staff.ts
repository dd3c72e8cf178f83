// Pure logic about staff members («Майстри»): colours, who performs a service, the staff form's
// validation, and the calendar's day view with one column per staff member.
import type { Appointment, StaffInput, StaffMember } from '../api/types';
import { statusOf } from './appointments';
import { parseIntInRange, parsePrice, type Problem, type Validated } from './validation';

/** Colours offered to a new staff member, in order (the first one nobody has yet). */
export const STAFF_PALETTE = ['#2f6f9f', '#b0463b', '#6b4fa3', '#2e7d55', '#9a5a13', '#1f7a7a', '#a3477a', '#5e6e80'] as const;
/** For a booking whose staff member the panel does not know (deleted meanwhile). */
export const UNKNOWN_STAFF_COLOUR = '#8a94a0';

const HEX_RE = /^#[0-9a-fA-F]{6}$/;

export function isHexColour(s: string): boolean {
  return HEX_RE.test(s.trim());
}

/** The relative luminance of "#RRGGBB" (WCAG 2.1). */
export function luminance(hex: string): number {
  const v = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * v(1) + 0.7152 * v(3) + 0.0722 * v(5);
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const DARK_TEXT = '#1d2733';
const LIGHT_TEXT = '#ffffff';

/** The text colour (dark or white) that reads best on the background `hex`. */
export function textOn(hex: string): string {
  if (!isHexColour(hex)) return DARK_TEXT;
  return contrastRatio(hex, LIGHT_TEXT) >= contrastRatio(hex, DARK_TEXT) ? LIGHT_TEXT : DARK_TEXT;
}

/**
 * A background for text in the staff member's colour: the colour itself when dark or white text
 * reads on it at 4.5:1 (WCAG AA), else the same hue darkened until white text does.
 */
export function readableBackground(hex: string): string {
  if (!isHexColour(hex)) return UNKNOWN_STAFF_COLOUR;
  const ok = (c: string) => contrastRatio(c, LIGHT_TEXT) >= 4.5 || contrastRatio(c, DARK_TEXT) >= 4.5;
  if (ok(hex)) return hex.toLowerCase();
  const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  for (let k = 0.95; k > 0; k -= 0.05) {
    const c = `#${rgb.map((v) => Math.round(v * k).toString(16).padStart(2, '0')).join('')}`;
    if (contrastRatio(c, LIGHT_TEXT) >= 4.5) return c;
  }
  return '#000000';
}

/** A staff member's colour, or the neutral one when it is not "#RRGGBB". */
export function colourOf(s: Pick<StaffMember, 'color'> | undefined): string {
  return s && isHexColour(s.color) ? s.color : UNKNOWN_STAFF_COLOUR;
}

/** The first colour of the palette nobody has yet (the palette's first once all are taken). */
export function freeColour(staff: readonly Pick<StaffMember, 'color'>[]): string {
  const taken = new Set(staff.map((s) => s.color.toLowerCase()));
  return STAFF_PALETTE.find((c) => !taken.has(c)) ?? STAFF_PALETTE[0];
}

/** Visible staff members who perform service `serviceId`, in the list's order (by name). */
export function performersOf(staff: readonly StaffMember[], serviceId: number): StaffMember[] {
  return staff.filter((s) => !s.hidden && s.service_ids.includes(serviceId));
}

/** The staff members by id, for names and colours. */
export function staffById(staff: readonly StaffMember[]): Map<number, StaffMember> {
  return new Map(staff.map((s) => [s.id, s]));
}

// ---- the form ----

export interface StaffServiceRow {
  service_id: number;
  performs: boolean;
  /** Own duration in minutes; blank = the service's own. */
  duration: string;
  /** Own price; blank = the service's own. */
  price: string;
}

export interface StaffForm {
  name: string;
  description: string;
  color: string;
  hidden: boolean;
  telegram_chat_id: string;
  services: StaffServiceRow[];
}

/** A Telegram chat id: blank → null; a whole number (negative for groups) → it; otherwise undefined. */
export function parseChatId(s: string): number | null | undefined {
  const v = s.trim();
  if (v === '') return null;
  if (!/^-?[1-9]\d{0,15}$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function validateStaff(f: StaffForm): Validated<StaffInput> {
  const problems: Problem[] = [];
  const name = f.name.trim();
  if (name === '') problems.push({ key: 'valid.required', field: 'staff.name' });
  else if (name.length > 100) problems.push({ key: 'valid.staffName' });
  if (f.description.trim().length > 1000) problems.push({ key: 'valid.staffDescription' });
  if (!isHexColour(f.color)) problems.push({ key: 'valid.colour' });
  const chatId = parseChatId(f.telegram_chat_id);
  if (chatId === undefined) problems.push({ key: 'valid.chatIdStaff' });
  const services: NonNullable<StaffInput['services']> = [];
  let badDuration = false;
  let badPrice = false;
  for (const row of f.services) {
    if (!row.performs) continue;
    const duration = row.duration.trim() === '' ? null : parseIntInRange(row.duration, 1, 1440);
    if (row.duration.trim() !== '' && duration === null) badDuration = true;
    const price = parsePrice(row.price);
    if (price === undefined) badPrice = true;
    services.push({ service_id: row.service_id, duration_minutes: duration, price: price ?? null });
  }
  if (badDuration) problems.push({ key: 'valid.ownDuration' });
  if (badPrice) problems.push({ key: 'valid.price' });
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    value: {
      name,
      description: f.description.trim(),
      color: f.color.trim().toLowerCase(),
      hidden: f.hidden,
      telegram_chat_id: chatId ?? null,
      services,
    },
  };
}

/** The form's rows: one per service, ticked and filled from the staff member's own values. */
export function serviceRows(services: readonly { id: number }[], member?: StaffMember): StaffServiceRow[] {
  return services.map((svc) => {
    const own = member?.services.find((x) => x.service_id === svc.id);
    const performs = member ? member.service_ids.includes(svc.id) || own !== undefined : true;
    return {
      service_id: svc.id,
      performs,
      duration: own?.duration_minutes == null ? '' : String(own.duration_minutes),
      price: own?.price == null ? '' : String(own.price),
    };
  });
}

// ---- the day view with a column per staff member ----

export interface StaffColumn {
  staffId: number;
  name: string;
  color: string;
  hidden: boolean;
  appointments: Appointment[];
}

export interface ColumnOptions {
  /** Only these staff members (null: everyone). */
  selected: ReadonlySet<number> | null;
  showCancelled: boolean;
}

/**
 * One column per staff member, in the staff list's order: every visible one (a free day shows as an
 * empty column), a hidden one only when they have bookings shown, and one per unknown staff id
 * found in the bookings (named as the booking names them). The bookings keep their order.
 */
export function staffColumns(
  appointments: readonly Appointment[],
  staff: readonly StaffMember[],
  options: ColumnOptions,
): StaffColumn[] {
  const wanted = (id: number) => options.selected === null || options.selected.has(id);
  const shown = appointments.filter((a) => options.showCancelled || statusOf(a) !== 'cancelled');
  const byStaff = new Map<number, Appointment[]>();
  for (const a of shown) {
    const list = byStaff.get(a.staff_id);
    if (list) list.push(a);
    else byStaff.set(a.staff_id, [a]);
  }
  const columns: StaffColumn[] = [];
  for (const s of staff) {
    const own = byStaff.get(s.id) ?? [];
    byStaff.delete(s.id);
    if (!wanted(s.id) || (s.hidden && own.length === 0)) continue;
    columns.push({ staffId: s.id, name: s.name, color: colourOf(s), hidden: s.hidden, appointments: own });
  }
  for (const [id, own] of byStaff) {
    if (!wanted(id)) continue;
    columns.push({ staffId: id, name: own[0]?.staff || `#${id}`, color: UNKNOWN_STAFF_COLOUR, hidden: false, appointments: own });
  }
  return columns;
}

/** Keeps the bookings of the selected staff members (null: all). */
export function filterByStaff<T extends { staff_id: number }>(items: readonly T[], selected: ReadonlySet<number> | null): T[] {
  return selected === null ? items.slice() : items.filter((a) => selected.has(a.staff_id));
}

/**
 * Toggles one staff member in a filter (null: everyone). A filter holding everyone becomes null; the
 * last one left cannot be taken out (an empty calendar is no filter).
 */
export function toggleStaff(selected: ReadonlySet<number> | null, id: number, all: readonly number[]): Set<number> | null {
  const next = new Set(selected ?? all);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  if (next.size === 0) return selected === null ? null : new Set(selected);
  if (all.every((x) => next.has(x))) return null;
  return next;
}

/**
 * The hours the day columns show: 07:00–21:00, widened to whole hours so that every booking shown
 * fits (a booking past midnight ends the range at 24:00). As FullCalendar's "HH:MM:SS" durations.
 */
export function dayTimeRange(appointments: readonly Pick<Appointment, 'start' | 'end'>[]): { min: string; max: string } {
  let min = 7 * 60;
  let max = 21 * 60;
  for (const a of appointments) {
    const day = a.start.slice(0, 10);
    const from = minutesOf(a.start);
    const to = a.end.slice(0, 10) > day ? 24 * 60 : minutesOf(a.end);
    if (from !== null) min = Math.min(min, from);
    if (to !== null) max = Math.max(max, to);
  }
  const hour = (m: number) => `${String(m / 60).padStart(2, '0')}:00:00`;
  return { min: hour(Math.floor(min / 60) * 60), max: hour(Math.min(24 * 60, Math.ceil(max / 60) * 60)) };
}

function minutesOf(dateTime: string): number | null {
  const m = /T(\d{2}):(\d{2})/.exec(dateTime);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/**
 * The new start of a booking dragged into another staff member's column, as FullCalendar moves one
 * within a column: by whole snaps between the time under the pointer where it was grabbed and where
 * it was dropped. Times are minutes of the day; the answer never goes before midnight.
 */
export function reassignedStart(startMinutes: number, grabMinutes: number, dropMinutes: number, snap = 30): number {
  const delta = (Math.floor(dropMinutes / snap) - Math.floor(grabMinutes / snap)) * snap;
  return Math.max(0, startMinutes + delta);
}

/** "HH:MM" of minutes of the day. */
export function minutesToTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
