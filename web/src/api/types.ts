// Types of every item the Zapys API returns. Field names follow the API exactly.

export interface AuthUser {
  username: string;
}

export interface Service {
  id: number;
  service_name: string;
  duration_minutes: number;
  duration_hours: number;
  price: number | null;
  description: string | null;
  hidden: boolean;
}

export interface ServiceInput {
  service_name: string;
  duration_minutes: number;
  price?: number | null;
  description?: string | null;
  hidden?: boolean;
}

/** A bookable start time ("available date"). */
export interface Slot {
  id: number;
  available_date: string; // YYYY-MM-DD
  available_time: string; // HH:MM
  is_appointments: 0 | 1;
  start: string; // YYYY-MM-DDTHH:MM:SS, business-local wall time
  /** Only with `service_id`: end time HH:MM. */
  end_datetime?: string;
  /** Only with `service_id`: YYYY-MM-DDTHH:MM:SS. */
  end?: string;
}

export interface SlotInput {
  available_date: string;
  available_time: string;
}

export interface GenerateSlotsInput {
  date_from: string;
  date_to: string;
  weekdays: number[]; // 1 = Monday … 7 = Sunday
  time_from: string;
  time_to: string;
  step_minutes: number;
}

export interface GenerateSlotsResult {
  message: string;
  created: number;
  skipped: number;
}

export interface Client {
  id: number;
  telegram_id: number | null;
  name: string;
  phone: string;
  language: 'uk' | 'en';
  created_at: string;
}

export interface ClientInput {
  name: string;
  phone: string;
  telegram_id?: number | null;
}

export const STATUS_NAMES = ['pending', 'confirmed', 'completed', 'cancelled', 'no_show'] as const;
export type StatusName = (typeof STATUS_NAMES)[number];
export type StatusCode = 0 | 1 | 2 | 3 | 4;

export interface Appointment {
  id: number;
  user_id: number;
  service_id: number;
  date_id: number;
  title: string;
  phone: string;
  service: string;
  start: string; // YYYY-MM-DDTHH:MM:SS local
  end: string;
  status: StatusCode;
  status_name: StatusName;
  notes: string | null;
  source: 'bot' | 'admin' | 'api';
  cancel_reason: string | null;
  cancelled_by: 'client' | 'admin' | 'system' | null;
  telegram_id: number | null;
  price: number | null;
  created_at: string;
}

export interface AppointmentInput {
  user_id: number;
  service_id: number;
  date_id: number;
  notes?: string;
}

export interface AppointmentUpdate {
  start?: string; // YYYY-MM-DDTHH:MM
  date_id?: number;
  service_id?: number;
  user_id?: number;
  notes?: string;
}

export interface AppointmentQuery {
  from?: string;
  to?: string;
  status?: StatusName | '';
  service_id?: number | '';
  q?: string;
  limit?: number;
  offset?: number;
}

export interface TelegramInfo {
  configured: boolean;
  mode: 'polling' | 'webhook' | 'none';
  bot_username: string | null;
}

export interface Settings {
  business_name: string;
  address: string;
  phone: string;
  hours: string;
  timezone: string;
  min_notice_minutes: number;
  max_active_bookings: number;
  auto_confirm: boolean;
  reminder_offsets_minutes: number[];
  /** Send the client a thank-you in the bot after a completed visit. */
  thank_you: boolean;
  /** Cancel bookings still pending this many minutes before they start; null: never. */
  auto_cancel_pending_minutes: number | null;
  telegram: TelegramInfo;
}

export type SettingsInput = Omit<Settings, 'telegram'>;

export interface InlineButton {
  text: string;
  callback_data: string;
}

export interface ReplyButton {
  text: string;
  request_contact: boolean;
}

export interface BotReply {
  message_id: number;
  text: string;
  edit: boolean;
  inline_keyboard: InlineButton[][] | null;
  reply_keyboard: ReplyButton[][] | null;
  remove_keyboard: boolean;
}

/** What `POST /api/simulator/send` answers. */
export interface SimulatorAnswer {
  replies: BotReply[];
  /** The short notice Telegram would show on the pressed button (already in the client's language). */
  toast: string | null;
}

export interface SimulatorInput {
  chat_id: number;
  text?: string;
  callback_data?: string;
  /** The bot message the pressed button is on, so the bot can edit it in place. */
  message_id?: number;
  contact_phone?: string;
  language?: 'uk' | 'en';
}

export type LiveKind = 'appointment' | 'slot' | 'service' | 'client' | 'settings' | 'notice';

export interface LiveEvent {
  kind: LiveKind;
  id: number;
}

export const NOTICE_KINDS = [
  'reminder',
  'confirmed',
  'cancelled',
  'moved',
  'completed',
  'new_booking',
  'client_cancelled',
  'webhook',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const NOTICE_STATUSES = ['pending', 'sent', 'skipped', 'failed'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

/** One message of the outbox (`GET /api/notifications`). */
export interface Notice {
  id: number;
  /** One of NOTICE_KINDS (a newer server may send others). */
  kind: string;
  /** 'client', 'business', or 'webhook N' (N = the webhook's id) for a webhook delivery. */
  recipient: string;
  appointment_id: number | null;
  /** Webhook deliveries only: the event sent, e.g. `booking.created`. */
  event?: string | null;
  status: NoticeStatus;
  attempts: number;
  /** Why the last attempt failed, or why it was skipped. */
  last_error: string | null;
  created_at: string; // RFC 3339, UTC
  finished_at: string | null;
}

export interface NoticeQuery {
  status?: NoticeStatus | '';
  limit?: number;
  offset?: number;
}

export interface Message {
  message: string;
}

// ---- analytics (GET /api/analytics) ----

export type SourceName = Appointment['source'];
export type CancelledByName = NonNullable<Appointment['cancelled_by']>;

export interface NamedCount<N extends string = string> {
  name: N;
  count: number;
  /** Of all bookings in the period (cancelled ones included), 0..1. */
  share: number;
}

export interface DayCount {
  date: string; // YYYY-MM-DD
  bookings: number;
}

export interface ServiceFigures {
  service_id: number;
  service: string;
  bookings: number;
  completed: number;
  revenue: number;
}

export interface HeatCell {
  weekday: number; // 1 = Monday … 7 = Sunday
  hour: number; // 0..23
  bookings: number;
}

export interface AnalyticsReport {
  from: string;
  to: string;
  /** Every booking starting in the period, cancelled ones included. */
  total: number;
  /** Bookings holding their time (not cancelled); days without any are left out. */
  per_day: DayCount[];
  by_status: NamedCount<StatusName>[];
  cancelled_by: NamedCount<CancelledByName>[];
  by_service: ServiceFigures[];
  by_source: NamedCount<SourceName>[];
  heat: HeatCell[];
  booked_hours: number;
  offered_hours: number;
  /** Booked / offered hours, 0..1; null when nothing was offered. */
  utilisation: number | null;
  new_clients: number;
  returning_clients: number;
  /** UAH, from completed bookings. */
  revenue: number;
  /** Booked < 1 day, 1–3 days, 3–7 days, 7–30 days, > 30 days ahead. */
  lead_time_buckets: [number, number, number, number, number];
  lead_time_median_hours: number | null;
}

// ---- integrations: CSV import, calendar feed, webhooks ----

/** One row of a client CSV import that would be (or was) created. */
export interface ImportValidRow {
  line: number;
  name: string;
  phone: string;
  telegram_id: number | null;
}

export interface ImportRejectedRow {
  line: number;
  /** The server's reason, as it wrote it. */
  error: string;
}

/** What `POST /api/users/import?dry_run=…` answers. */
export interface ImportReport {
  dry_run: boolean;
  created: number;
  valid: ImportValidRow[];
  rejected: ImportRejectedRow[];
}

/** `GET /api/calendar_feed`: whether a subscription link exists (its address is shown only once). */
export interface CalendarFeedState {
  enabled: boolean;
  created_at: string | null;
}

export const WEBHOOK_EVENTS = [
  'booking.created',
  'booking.confirmed',
  'booking.cancelled',
  'booking.moved',
  'booking.completed',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface Webhook {
  id: number;
  url: string;
  events: string[];
  created_at: string;
}

/** The answer to creating a webhook: the signing secret is shown this once. */
export interface WebhookCreated {
  id: number;
  url: string;
  events: string[];
  secret: string;
}
