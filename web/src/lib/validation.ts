// Form validation as pure functions. Each validator turns the raw form strings into the API body,
// or into a list of problems (catalogue keys, shown with t()).
import type { ClientInput, GenerateSlotsInput, ServiceInput, SettingsInput, SlotInput } from '../api/types';
import type { MessageKey } from '../i18n/uk';
import { parseAutoCancel, parseReminders, type DurationField } from './durations';
import { isValidTimeZone } from './time';

export interface Problem {
  key: MessageKey;
  /** For messages with a {field} placeholder: the catalogue key of the field's label. */
  field?: MessageKey;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INT_RE = /^\d+$/;

export function isValidTime(s: string): boolean {
  return TIME_RE.test(s.trim());
}

export function isValidDate(s: string): boolean {
  const m = DATE_RE.exec(s.trim());
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Minutes since midnight of "HH:MM" (assumed valid). */
export function timeToMinutes(s: string): number {
  const [h = '0', m = '0'] = s.trim().split(':');
  return Number(h) * 60 + Number(m);
}

/** A whole number within [min, max], or null. */
export function parseIntInRange(s: string, min: number, max: number): number | null {
  const v = s.trim();
  if (!INT_RE.test(v)) return null;
  const n = Number(v);
  return n >= min && n <= max ? n : null;
}

/** Service duration in minutes: a whole number from 5 to 1440. */
export function parseDuration(s: string): number | null {
  return parseIntInRange(s, 5, 1440);
}

/** Price: empty → null (no price); "350", "350.50" or "350,50" → a number; otherwise undefined. */
export function parsePrice(s: string): number | null | undefined {
  const v = s.trim().replace(/\s/g, '').replace(',', '.');
  if (v === '') return null;
  if (!/^\d+(\.\d{1,2})?$/.test(v)) return undefined;
  return Number(v);
}

/** Strips the decoration people type around a phone number: spaces, dashes, dots, brackets. */
export function normalizePhone(s: string): string {
  return s.trim().replace(/[\s\-().]/g, '');
}

/** 10 to 15 digits, optionally after one leading "+". */
export function isValidPhone(s: string): boolean {
  return /^\+?\d{10,15}$/.test(normalizePhone(s));
}

/** Empty → null; a positive whole number → that number; otherwise undefined. */
export function parseTelegramId(s: string): number | null | undefined {
  const v = s.trim();
  if (v === '') return null;
  if (!/^[1-9]\d{0,15}$/.test(v)) return undefined;
  return Number(v);
}

function result<T>(problems: Problem[], value: () => T): Validated<T> {
  return problems.length ? { ok: false, problems } : { ok: true, value: value() };
}

export interface ServiceForm {
  service_name: string;
  duration_minutes: string;
  price: string;
  description: string;
  hidden: boolean;
  /** Minutes blocked before/after the visit (blank: 0). */
  buffer_before?: string;
  buffer_after?: string;
  /** Who performs it; null: left out (a new service: everyone). */
  staff_ids?: number[] | null;
  // --- comeback ---
  /** Days after a visit at which the bot nudges the client to book again (blank: never). */
  rebook_after_days?: string;
}

/** Rebook days: blank → null (never); a whole number from 1 to 730; otherwise undefined. */
export function parseRebookDays(s: string | undefined): number | null | undefined {
  if ((s ?? '').trim() === '') return null;
  return parseIntInRange(s ?? '', 1, 730) ?? undefined;
}

/** A buffer in minutes: blank → 0; a whole number from 0 to 240; otherwise null. */
export function parseBuffer(s: string | undefined): number | null {
  return (s ?? '').trim() === '' ? 0 : parseIntInRange(s ?? '', 0, 240);
}

export function validateService(f: ServiceForm): Validated<ServiceInput> {
  const problems: Problem[] = [];
  if (f.service_name.trim() === '') problems.push({ key: 'valid.required', field: 'services.name' });
  const duration = parseDuration(f.duration_minutes);
  if (duration === null) problems.push({ key: 'valid.duration' });
  const price = parsePrice(f.price);
  if (price === undefined) problems.push({ key: 'valid.price' });
  const before = parseBuffer(f.buffer_before);
  const after = parseBuffer(f.buffer_after);
  if (before === null || after === null) problems.push({ key: 'valid.buffer' });
  const rebook = parseRebookDays(f.rebook_after_days);
  if (rebook === undefined) problems.push({ key: 'valid.rebookDays' });
  const staffIds = f.staff_ids == null ? null : [...new Set(f.staff_ids)].sort((a, b) => a - b);
  return result(problems, () => ({
    service_name: f.service_name.trim(),
    duration_minutes: duration as number,
    price: price ?? null,
    description: f.description.trim() === '' ? null : f.description.trim(),
    hidden: f.hidden,
    ...(f.buffer_before !== undefined ? { buffer_before_minutes: before as number } : {}),
    ...(f.buffer_after !== undefined ? { buffer_after_minutes: after as number } : {}),
    ...(staffIds !== null ? { staff_ids: staffIds } : {}),
    ...(f.rebook_after_days !== undefined ? { rebook_after_days: rebook ?? null } : {}),
  }));
}

export interface ClientForm {
  name: string;
  phone: string;
  telegram_id: string;
}

export function validateClient(f: ClientForm): Validated<ClientInput> {
  const problems: Problem[] = [];
  if (f.name.trim() === '') problems.push({ key: 'valid.required', field: 'clients.name' });
  if (f.phone.trim() === '') problems.push({ key: 'valid.required', field: 'clients.phone' });
  else if (!isValidPhone(f.phone)) problems.push({ key: 'valid.phone' });
  const telegramId = parseTelegramId(f.telegram_id);
  if (telegramId === undefined) problems.push({ key: 'valid.telegramId' });
  return result(problems, () => ({
    name: f.name.trim(),
    phone: normalizePhone(f.phone),
    telegram_id: telegramId ?? null,
  }));
}

export function validateSlot(f: SlotInput): Validated<SlotInput> {
  const problems: Problem[] = [];
  if (!isValidDate(f.available_date)) problems.push({ key: 'valid.date' });
  if (!isValidTime(f.available_time)) problems.push({ key: 'valid.time' });
  return result(problems, () => ({
    available_date: f.available_date.trim(),
    available_time: f.available_time.trim(),
    ...(f.staff_id != null ? { staff_id: f.staff_id } : {}),
  }));
}

export interface GenerateForm {
  date_from: string;
  date_to: string;
  weekdays: number[];
  /** Use the staff member's working hours (time_from/time_to left out) instead of the ones below. */
  use_staff_hours: boolean;
  time_from: string;
  time_to: string;
  step_minutes: string;
}

/** `staffId`: the chosen staff member (null: the server's only one). */
export function validateGenerate(f: GenerateForm, staffId: number | null = null): Validated<GenerateSlotsInput> {
  const problems: Problem[] = [];
  const datesOk = isValidDate(f.date_from) && isValidDate(f.date_to);
  if (!datesOk) problems.push({ key: 'valid.date' });
  else if (f.date_to < f.date_from) problems.push({ key: 'valid.dateOrder' });
  const weekdays = [...new Set(f.weekdays)].filter((d) => d >= 1 && d <= 7).sort((a, b) => a - b);
  if (!f.use_staff_hours) {
    if (weekdays.length === 0) problems.push({ key: 'valid.weekdays' });
    const timesOk = isValidTime(f.time_from) && isValidTime(f.time_to);
    if (!timesOk) problems.push({ key: 'valid.time' });
    else if (timeToMinutes(f.time_to) <= timeToMinutes(f.time_from)) problems.push({ key: 'valid.timeOrder' });
  }
  const step = parseIntInRange(f.step_minutes, 5, 720);
  if (step === null) problems.push({ key: 'valid.step' });
  return result(problems, () => ({
    ...(staffId !== null ? { staff_id: staffId } : {}),
    date_from: f.date_from.trim(),
    date_to: f.date_to.trim(),
    // The staff member's own hours: weekdays and times all left out.
    ...(f.use_staff_hours ? {} : { weekdays, time_from: f.time_from.trim(), time_to: f.time_to.trim() }),
    step_minutes: step as number,
  }));
}

export interface SettingsForm {
  business_name: string;
  address: string;
  phone: string;
  hours: string;
  timezone: string;
  min_notice_minutes: string;
  max_active_bookings: string;
  /** How many days ahead clients may book (1–3650). */
  booking_horizon_days: string;
  /** Hours before a visit after which clients can no longer move or cancel it in the bot (0: always). */
  change_window_hours: string;
  auto_confirm: boolean;
  /** One row per reminder ("24 hours", "2 hours"); blank rows are ignored. */
  reminders: DurationField[];
  thank_you: boolean;
  auto_cancel_enabled: boolean;
  auto_cancel: DurationField;
  // --- comeback --- (left out: unchanged)
  /** `HH:MM`: the hours in which the bot writes to clients first (rebook nudges, rating requests). */
  daytime_from?: string;
  daytime_to?: string;
  ask_rating?: boolean;
  /** Hours after the visit before the rating is asked (0–72). */
  rating_delay_hours?: string;
}

/** The daytime hours: both `HH:MM`, from before to; otherwise null. */
export function parseDaytime(from: string, to: string): { from: string; to: string } | null {
  const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
  const [f, t] = [from.trim(), to.trim()];
  return hhmm.test(f) && hhmm.test(t) && f < t ? { from: f, to: t } : null;
}

/** The server's bounds of the booking horizon (days ahead a client may book; 10 years at most). */
export const MIN_HORIZON_DAYS = 1;
export const MAX_HORIZON_DAYS = 3650;
export const DEFAULT_HORIZON_DAYS = 365;
/** The server's bound of the change window: 31 days in hours. */
export const MAX_CHANGE_WINDOW_HOURS = 744;

export function validateSettings(f: SettingsForm): Validated<SettingsInput> {
  const problems: Problem[] = [];
  if (f.business_name.trim() === '') problems.push({ key: 'valid.required', field: 'settings.businessName' });
  if (f.phone.trim() !== '' && !isValidPhone(f.phone)) problems.push({ key: 'valid.phone' });
  if (!isValidTimeZone(f.timezone.trim())) problems.push({ key: 'valid.timezone' });
  // The server's bounds: notice up to 30 days, 1 to 100 active bookings.
  const minNotice = parseIntInRange(f.min_notice_minutes, 0, 60 * 24 * 30);
  if (minNotice === null) problems.push({ key: 'valid.nonNegative', field: 'settings.minNotice' });
  const maxActive = parseIntInRange(f.max_active_bookings, 1, 100);
  if (maxActive === null) problems.push({ key: 'valid.positive', field: 'settings.maxActive' });
  const horizon = parseIntInRange(f.booking_horizon_days, MIN_HORIZON_DAYS, MAX_HORIZON_DAYS);
  if (horizon === null) problems.push({ key: 'valid.horizon' });
  const changeWindow = parseIntInRange(f.change_window_hours, 0, MAX_CHANGE_WINDOW_HOURS);
  if (changeWindow === null) problems.push({ key: 'valid.changeWindow' });
  const offsets = parseReminders(f.reminders);
  if (offsets === null) problems.push({ key: 'valid.offsets' });
  const autoCancel = parseAutoCancel(f.auto_cancel_enabled, f.auto_cancel);
  if (autoCancel === undefined) problems.push({ key: 'valid.autoCancel' });
  const daytime =
    f.daytime_from !== undefined && f.daytime_to !== undefined ? parseDaytime(f.daytime_from, f.daytime_to) : undefined;
  if (daytime === null) problems.push({ key: 'valid.daytime' });
  const ratingDelay = f.rating_delay_hours !== undefined ? parseIntInRange(f.rating_delay_hours, 0, 72) : undefined;
  if (ratingDelay === null) problems.push({ key: 'valid.ratingDelay' });
  return result(problems, () => ({
    business_name: f.business_name.trim(),
    address: f.address.trim(),
    phone: f.phone.trim(),
    hours: f.hours.trim(),
    timezone: f.timezone.trim(),
    min_notice_minutes: minNotice as number,
    max_active_bookings: maxActive as number,
    booking_horizon_days: horizon as number,
    change_window_hours: changeWindow as number,
    auto_confirm: f.auto_confirm,
    reminder_offsets_minutes: offsets as number[],
    thank_you: f.thank_you,
    auto_cancel_pending_minutes: autoCancel as number | null,
    ...(daytime ? { daytime_from: daytime.from, daytime_to: daytime.to } : {}),
    ...(f.ask_rating !== undefined ? { ask_rating: f.ask_rating } : {}),
    ...(ratingDelay != null ? { rating_delay_hours: ratingDelay } : {}),
  }));
}

export interface PasswordForm {
  current: string;
  next: string;
  repeat: string;
}

/** The server's minimum length of a password. */
export const MIN_PASSWORD_CHARS = 8;

export function validatePassword(f: PasswordForm): Validated<{ current_password: string; new_password: string }> {
  const problems: Problem[] = [];
  if (f.current === '') problems.push({ key: 'valid.required', field: 'password.current' });
  if ([...f.next].length < MIN_PASSWORD_CHARS) problems.push({ key: 'valid.passwordShort' });
  else if (f.next !== f.repeat) problems.push({ key: 'valid.passwordRepeat' });
  else if (f.next === f.current) problems.push({ key: 'valid.passwordSame' });
  return result(problems, () => ({ current_password: f.current, new_password: f.next }));
}
