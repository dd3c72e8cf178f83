// Types of every item the Zapys API returns, derived from the generated OpenAPI types (schema.ts,
// `npm run gen:api`), so a field the server renames or drops fails the typecheck. The panel narrows
// a few plain strings the document leaves open to the values it knows (statuses, sources, languages)
// with `Narrow`, which only accepts fields the generated type has.
import type { components } from './schema';

type Schemas = components['schemas'];

/** Optional fields the server always sends (as null when empty) become required `T | null`. */
type Complete<T> = { [K in keyof T]-?: undefined extends T[K] ? Exclude<T[K], undefined> | null : T[K] };

/** Replaces fields of T with narrower types; every key must be a field of T. */
type Narrow<T, U extends { [K in keyof U]: K extends keyof T ? unknown : never }> = Omit<T, keyof U> & U;

export type AuthUser = Schemas['Me'];

export type Service = Complete<Schemas['ServiceItem']>;
export type ServiceInput = Schemas['ServiceBody'];

// ---- staff members («Майстри»), their hours and exceptions ----

/** A staff member; `services` holds their own duration/price of each (null: the service's own). */
export type StaffMember = Narrow<Complete<Schemas['StaffItem']>, { services: StaffService[] }>;
export type StaffService = Complete<Schemas['StaffServiceItem']>;
export type StaffInput = Schemas['StaffBody'];
/** One stretch of working hours on a weekday (1 = Monday … 7 = Sunday). */
export type HoursItem = Schemas['WeeklyStretch'];
export type TimeRange = Schemas['StretchItem'];
/** A day off or vacation (no hours) or other hours, on the dates [date_from, date_to]. */
export type StaffException = Schemas['ExceptionItem'];
export type StaffExceptionInput = Schemas['ExceptionBody'];

/** A bookable start time ("available date"); `end`/`end_datetime` only with `service_id`. */
export type Slot = Narrow<Schemas['SlotItem'], { is_appointments: 0 | 1 }>;
export type SlotInput = Schemas['SlotBody'];
/** `weekdays`, `time_from` and `time_to` all left out: the staff member's own working hours. */
export type GenerateSlotsInput = Schemas['GenerateBody'];
export type GenerateSlotsResult = Schemas['GenerateResult'];

export type Client = Narrow<Complete<Schemas['UserItem']>, { language: 'uk' | 'en' }>;
export type ClientInput = Schemas['UserBody'];

export const STATUS_NAMES = ['pending', 'confirmed', 'completed', 'cancelled', 'no_show'] as const;
export type StatusName = (typeof STATUS_NAMES)[number];
export type StatusCode = 0 | 1 | 2 | 3 | 4;

export type Appointment = Narrow<
  Complete<Schemas['AppointmentItem']>,
  {
    status: StatusCode;
    status_name: StatusName;
    source: 'bot' | 'admin' | 'api';
    cancelled_by: 'client' | 'admin' | 'system' | null;
  }
>;
/** `date_id` (that slot, its staff member) or `start` (with `staff_id`, or the server assigns one). */
export type AppointmentInput = Schemas['AppointmentBody'];
export type AppointmentUpdate = Schemas['AppointmentChange'];

/** The query of `GET /api/appointments` (query parameters, not a schema). */
export interface AppointmentQuery {
  from?: string;
  to?: string;
  /** A status name, `active` (pending or confirmed) or `all`; '' for the server's default. */
  status?: StatusName | 'active' | 'all' | '';
  service_id?: number | '';
  staff_id?: number | '';
  q?: string;
  /** By start: `desc` (the server's default) or `asc`. */
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

export const TELEGRAM_PROBLEMS = ['token_refused', 'unreachable', 'webhook_refused'] as const;
export type TelegramProblem = (typeof TELEGRAM_PROBLEMS)[number];
/** How the bot is connected; `source`: where its token comes from (the server's environment wins). */
export type TelegramInfo = Narrow<
  Complete<Schemas['TelegramStatus']>,
  {
    mode: 'polling' | 'webhook' | 'none';
    source: 'environment' | 'settings' | 'none';
    /** Why the last connect failed; null when it did not. */
    problem: TelegramProblem | null;
  }
>;
export type Settings = Narrow<Complete<Schemas['SettingsItem']>, { telegram: TelegramInfo }>;
export type SettingsInput = Schemas['SettingsBody'];

export type InlineButton = Schemas['InlineButtonItem'];
export type ReplyButton = Schemas['ReplyButtonItem'];
export type BotReply = Complete<Schemas['SimulatorReply']>;
/** What `POST /api/simulator/send` answers (the toast: Telegram's notice on the pressed button). */
export type SimulatorAnswer = Narrow<Complete<Schemas['SimulatorAnswer']>, { replies: BotReply[] }>;
export type SimulatorInput = Narrow<Schemas['SimulatorInput'], { language?: 'uk' | 'en' }>;

// The live stream (`GET /api/events`, server-sent events) is not a JSON schema of the document.
export type LiveKind =
  | 'appointment'
  | 'slot'
  | 'service'
  | 'client'
  | 'settings'
  | 'notice'
  | 'staff'
  // --- waitlist ---
  | 'wait';

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
  'staff_booked',
  'staff_moved',
  'staff_cancelled',
  'staff_reassigned',
  'client_moved',
  // --- support ---
  'support_message',
  'support_reply',
  // --- waitlist ---
  'waitlist_offer',
  // --- comeback ---
  'rebook_nudge',
  'rating_request',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const NOTICE_STATUSES = ['pending', 'sent', 'skipped', 'failed'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

/**
 * One message of the outbox (`GET /api/notifications`). `kind` is one of NOTICE_KINDS (a newer server
 * may send others); `recipient` is 'client', 'business', 'staff' or 'webhook N'.
 */
export type Notice = Narrow<Complete<Schemas['NotificationItem']>, { status: NoticeStatus }>;

export interface NoticeQuery {
  status?: NoticeStatus | '';
  limit?: number;
  offset?: number;
}

export type Message = Schemas['Message'];

// The original API's answers to a create (`{message, id, <item>}`, e.g. `ServiceCreated`) and a change
// (`{message, <item>}`, e.g. `ServiceUpdated`), over the panel's narrowed item types.
export type ServiceSaved = Message & { id?: number; service: Service };
export type StaffSaved = Message & { id?: number; staff: StaffMember };
export type SlotSaved = Message & { id?: number; available_date: Slot };
export type ClientSaved = Message & { id?: number; user: Client };
export type AppointmentSaved = Message & { id?: number; appointment: Appointment };
export type SettingsSaved = Message & { settings: Settings };

// ---- analytics (GET /api/analytics) ----

export type SourceName = Appointment['source'];
export type CancelledByName = NonNullable<Appointment['cancelled_by']>;

/** A count and its share (0..1) of every booking in the period, cancelled ones included. */
export type NamedCount<N extends string = string> = Narrow<Schemas['NamedCount'], { name: N }>;
export type DayCount = Schemas['DayCount'];
export type ServiceFigures = Schemas['ServiceFiguresItem'];
export type HeatCell = Schemas['HeatCell'];
/** Bookings, revenue and utilisation (booked / working minutes; null without working hours) of one staff member. */
export type StaffFigures = Complete<Schemas['StaffFiguresItem']>;

/**
 * The figures of a period. `per_day` leaves out days without bookings; `utilisation` is null when
 * nothing was offered; `lead_time_buckets`: booked < 1 day, 1–3, 3–7, 7–30, > 30 days ahead.
 */
export type AnalyticsReport = Narrow<
  Complete<Schemas['AnalyticsReport']>,
  {
    by_status: NamedCount<StatusName>[];
    cancelled_by: NamedCount<CancelledByName>[];
    by_source: NamedCount<SourceName>[];
    lead_time_buckets: [number, number, number, number, number];
    by_staff: StaffFigures[];
  }
>;

// ---- comeback: ratings after visits (GET /api/analytics/ratings) ----

/** The mean stars (1–5) and count of one staff member's or service's rated visits. */
export type RatingFigures = Schemas['RatingItem'];
/** `average` is null when no visit in the period was rated. */
export type RatingsReport = Complete<Schemas['RatingsReport']>;

// ---- integrations: CSV import, calendar feed, webhooks ----

/** One row of a client CSV import that would be (or was) created. */
export type ImportValidRow = Complete<Schemas['ImportedRow']>;
/** A refused row with the server's reason, as it wrote it. */
export type ImportRejectedRow = Schemas['RejectedRow'];
/** What `POST /api/users/import?dry_run=…` answers. */
export type ImportReport = Narrow<Schemas['ImportReport'], { valid: ImportValidRow[] }>;

/** `GET /api/calendar_feed`: whether a subscription link exists (its address is shown only once). */
export type CalendarFeedState = Complete<Schemas['FeedState']>;

export const WEBHOOK_EVENTS = [
  'booking.created',
  'booking.confirmed',
  'booking.cancelled',
  'booking.moved',
  'booking.completed',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export type Webhook = Schemas['WebhookItem'];
/** The answer to creating a webhook: the signing secret is shown this once. */
export type WebhookCreated = Schemas['NewWebhook'];

/** The client's personal data a webhook may carry (none ticked: ids only). */
export const PERSONAL_FIELDS = ['client_name', 'client_phone'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

// ---- API tokens (GET/POST /api/tokens, DELETE /api/tokens/{id}) ----

/** What a token may do: `read` only reads; `book` also books, moves and cancels; `admin` everything but tokens and the simulator. */
export const TOKEN_SCOPES = ['read', 'book', 'admin'] as const;
export type TokenScope = Schemas['Scope'];
export type ApiToken = Complete<Schemas['TokenItem']>;
export type ApiTokenInput = Schemas['TokenBody'];
/** The answer to creating a token: the token itself is shown this once. */
export type ApiTokenCreated = Schemas['NewToken'];

// --- support ---
/** One message of a client's support thread («Написати нам»), oldest first in a thread. */
export type SupportItem = Narrow<
  Complete<Schemas['SupportItem']>,
  { direction: 'from_client' | 'to_client'; kind: 'text' | 'photo' | 'voice' }
>;
// --- waitlist ---
/** One client's wait for a day: `appointment_id` is the booking it turned into (null while it waits). */
export type WaitItem = Complete<Schemas['WaitItem']>;
export type WaitDay = Narrow<Complete<Schemas['WaitDay']>, { waits: WaitItem[] }>;
/** `GET /api/waitlist`: days with waits, in order. */
export type Waitlist = Narrow<Complete<Schemas['Waitlist']>, { days: WaitDay[] }>;
