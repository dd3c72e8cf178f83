//! What the store takes and gives besides the domain's own types.

use jiff::Timestamp;
use zapys_domain::client::ContactDetails;
use zapys_domain::{
    Actor, Appointment, AppointmentId, Busy, ClientId, Notice, OfferedSlot, Price, ServiceId, SlotId, Source, StaffId,
    Status, TelegramId,
};

/// One page of a list, with the size of the whole list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}

/// Paging: at most `limit` items (all when `None`), skipping `offset`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Paging {
    pub limit: Option<u32>,
    pub offset: u32,
}

/// A slot with whether a booking starts at it (the original `is_appointments`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotView {
    pub id: SlotId,
    pub staff_id: StaffId,
    pub starts_at: Timestamp,
    /// The end of the working stretch it was generated in.
    pub ends_by: Option<Timestamp>,
    pub reserved: bool,
    /// A booking of its staff member holds this start (whether it starts here or runs over it).
    pub covered: bool,
}

/// A start time that generating from working hours offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeneratedStart {
    pub at: Timestamp,
    /// The end of the stretch it belongs to.
    pub ends_by: Timestamp,
}

/// What generating slots did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Generated {
    pub added: u64,
    /// Unbooked generated times of the range that the new grid no longer has.
    pub removed: u64,
}

/// One staff member's offered times, the time their bookings hold, and the time they work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffAvailability {
    pub staff_id: StaffId,
    /// Sorted by start.
    pub slots: Vec<OfferedSlot>,
    pub busy: Vec<Busy>,
    /// Worked spans from their hours; `None` when they have no hours set (their slots decide).
    pub open: Option<Vec<Busy>>,
}

/// A time a service can be booked at, and with whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookableTime {
    pub slot_id: SlotId,
    pub staff_id: StaffId,
    pub start: Timestamp,
    /// When the client's visit ends (buffers not included).
    pub end: Timestamp,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlotQuery {
    /// Slots starting at or after this instant.
    pub from: Option<Timestamp>,
    /// Slots starting before this instant.
    pub to: Option<Timestamp>,
    pub staff_id: Option<StaffId>,
    pub newest_first: bool,
    pub paging: Paging,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientQuery {
    /// Part of a name or phone number, case-insensitive.
    pub search: Option<String>,
    pub paging: Paging,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppointmentQuery {
    /// Appointments starting at or after this instant.
    pub from: Option<Timestamp>,
    /// Appointments starting before this instant.
    pub to: Option<Timestamp>,
    pub status: StatusFilter,
    pub service_id: Option<ServiceId>,
    pub staff_id: Option<StaffId>,
    pub client_id: Option<ClientId>,
    pub telegram_id: Option<TelegramId>,
    /// Part of the client's name or phone number.
    pub search: Option<String>,
    pub newest_first: bool,
    pub paging: Paging,
}

/// Which statuses an appointment list includes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StatusFilter {
    #[default]
    Any,
    /// Pending or confirmed: the bookings that still hold their time.
    Active,
    Only(Status),
}

/// An appointment with what a person needs to read it: who, what, how much.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppointmentView {
    pub appointment: Appointment,
    /// `None` when the client asked to be forgotten.
    pub client: Option<ContactDetails>,
    pub telegram_id: Option<TelegramId>,
    pub service_name: String,
    pub staff_name: String,
    /// The staff member's own Telegram chat, for their notices.
    pub staff_chat_id: Option<i64>,
    pub price: Option<Price>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingRequest {
    pub client_id: ClientId,
    pub service_id: ServiceId,
    pub at: BookAt,
    /// Who performs it. With [`BookAt::Slot`], the slot's staff member when left out (and it must be
    /// theirs when given); with [`BookAt::Start`], left out means "any staff member": the store assigns one.
    pub staff_id: Option<StaffId>,
    pub source: Source,
    pub notes: String,
}

/// When a booking is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookAt {
    /// An offered slot (the original `date_id`).
    Slot(SlotId),
    /// A start time: a slot of the staff member there for clients; any instant for the business itself.
    Start(Timestamp),
}

/// Where a booking moves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// An existing slot.
    Slot(SlotId),
    /// Any instant; an admin dragging a booking in the calendar. A slot is made there if none exists.
    At(Timestamp),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reschedule {
    pub target: Option<Target>,
    /// Give it to another staff member (who must perform its service).
    pub staff_id: Option<StaffId>,
    pub service_id: Option<ServiceId>,
    pub client_id: Option<ClientId>,
    pub notes: Option<String>,
    /// Who moves it; decides which rules apply, as for a new booking.
    pub source: Source,
    /// Then this visit's own price (the business's decision, recorded as the admin's), in the same
    /// transaction, so it wins over the new service's or staff member's price.
    pub price: Option<zapys_domain::Price>,
}

/// One line of an appointment's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppointmentEvent {
    pub at: Timestamp,
    pub kind: String,
    pub actor: Actor,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AdminId(pub i64);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admin {
    pub id: AdminId,
    pub username: String,
    /// A PHC string (argon2id).
    pub password_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub scope: TokenScope,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

/// What an API token may do, chosen when it is made. Each level includes the
/// ones before it (`Read < Book < Admin`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TokenScope {
    /// Read: services, times, clients, appointments, reports.
    Read,
    /// Read, and act for clients: add clients, book, move, confirm and cancel bookings, under the
    /// client rules (minimum notice, per-client limit).
    Book,
    /// Everything an admin session may do except the bot simulator.
    Admin,
}

impl TokenScope {
    pub const ALL: [Self; 3] = [Self::Read, Self::Book, Self::Admin];

    pub fn name(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Book => "book",
            Self::Admin => "admin",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// Where a notice is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeState {
    Pending,
    Sent,
    /// Not needed any more (the booking changed, no Telegram connection, no business chat).
    Skipped,
    /// Gave up after repeated failures, or a failure retrying cannot fix.
    Failed,
}

impl NoticeState {
    pub fn name(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Skipped => "skipped",
            Self::Failed => "failed",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Pending, Self::Sent, Self::Skipped, Self::Failed].into_iter().find(|s| s.name() == name)
    }
}

/// How a notice ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeOutcome {
    Sent,
    Skipped(String),
    Failed(String),
}

/// A row of the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    pub id: i64,
    /// The client's chat; `None` for the business's own chat.
    pub chat_id: Option<i64>,
    pub notice: Notice,
    pub appointment_id: Option<AppointmentId>,
    /// For a webhook delivery: the webhook.
    pub webhook_id: Option<i64>,
    /// The booking's start when the notice was written: the time the notice speaks of.
    pub starts_at: Option<Timestamp>,
    /// A cancellation's reason; a move's former start (RFC 3339).
    pub detail: Option<String>,
    pub created_at: Timestamp,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub state: NoticeState,
    /// When it was sent, skipped or given up.
    pub finished_at: Option<Timestamp>,
}

/// The line a notice waits in. Each lane is delivered in order, one at a time; lanes are
/// independent, so a dead webhook receiver or a slow chat never holds back another lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lane {
    /// A client's Telegram chat.
    Chat(i64),
    /// The business's own chat (`ADMIN_CHAT_ID`).
    Business,
    /// One webhook receiver.
    Webhook(i64),
    /// A delivery to a webhook that was deleted: alone in its lane (by outbox id).
    Orphan(i64),
}

impl OutboxItem {
    pub fn lane(&self) -> Lane {
        if self.notice == Notice::Webhook {
            return self.webhook_id.map_or(Lane::Orphan(self.id), Lane::Webhook);
        }
        self.chat_id.map_or(Lane::Business, Lane::Chat)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeQuery {
    pub state: Option<NoticeState>,
    pub paging: Paging,
}

/// Figures about the bookings that start in a period; see [`crate::Store::analytics`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analytics {
    /// Bookings holding their time, per local day (days without any are left out).
    pub per_day: Vec<(jiff::civil::Date, u64)>,
    /// Every booking, cancelled ones included, by status.
    pub by_status: Vec<(Status, u64)>,
    pub cancelled_by: Vec<(Actor, u64)>,
    pub by_service: Vec<ServiceFigures>,
    pub by_staff: Vec<StaffFigures>,
    /// Every booking, cancelled ones included, by where it was made.
    pub by_source: Vec<(Source, u64)>,
    /// Bookings holding their time by local weekday (1 = Monday) and hour (0–23).
    pub heat: Vec<(u8, u8, u64)>,
    /// Time held by bookings.
    pub booked_minutes: u64,
    /// Time offered by slots: each slot until the same staff member's next one, at most 4 hours; the
    /// last of a run, an hour.
    pub offered_minutes: u64,
    /// Clients with a booking in the period whose first booking ever is in it, and the others.
    pub new_clients: u64,
    pub returning_clients: u64,
    /// Completed bookings' prices.
    pub revenue_cents: i64,
    /// How far ahead bookings were made: under 1 day, 1–3 days, 3–7 days, 7–30 days, more.
    pub lead_time_buckets: [u64; 5],
    /// The median lead time (the upper median), in hours.
    pub lead_time_median_hours: Option<f64>,
    // --- waitlist ---
    /// Waits for days in the period, and how many of them turned into a booking.
    pub waits: u64,
    pub waits_booked: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceFigures {
    pub service_id: ServiceId,
    pub name: String,
    /// Bookings holding their time.
    pub bookings: u64,
    pub completed: u64,
    pub revenue_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffFigures {
    pub staff_id: StaffId,
    pub name: String,
    /// Bookings holding their time.
    pub bookings: u64,
    pub completed: u64,
    pub revenue_cents: i64,
    /// The visits of bookings holding their time.
    pub booked_minutes: u64,
    /// Their working hours in the period; `None` when they have no hours set.
    pub working_minutes: Option<u64>,
}

/// One of the business's endpoints for signed booking events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    /// The client's personal fields the receiver opted into (of `WEBHOOK_PERSONAL_FIELDS`); empty: ids only.
    pub personal_fields: Vec<String>,
    pub created_at: Timestamp,
}

/// Where and how a webhook delivery goes.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookTarget {
    pub url: String,
    /// The HMAC signing secret.
    pub secret: String,
    pub personal_fields: Vec<String>,
}

impl std::fmt::Debug for WebhookTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookTarget").field("url", &self.url).field("personal_fields", &self.personal_fields).finish()
    }
}

/// One limit an attempt counts against: at most `limit` attempts per `window` for `key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptLimit<'a> {
    pub key: &'a str,
    pub limit: u32,
    pub window: jiff::SignedDuration,
}

/// Whether an attempt was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Counted,
    /// A limit was used up: try again after this many seconds (at least 1).
    Refused {
        retry_after_seconds: u64,
    },
}

// --- comeback ---

/// What a client said, in effect, about messages they did not ask for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ComebackPrefs {
    /// They turned the nudges to book again off (in a nudge or in «Профіль»).
    pub rebook_opt_out: bool,
    /// When Telegram last refused a message to them because they blocked the bot.
    pub blocked_at: Option<Timestamp>,
}

/// The ratings of one staff member or one service.
#[derive(Debug, Clone, PartialEq)]
pub struct RatingFigure {
    /// The staff member's or the service's id.
    pub id: i64,
    pub name: String,
    /// The mean of the stars, 1 to 5.
    pub average: f64,
    pub count: u64,
}

/// The ratings of the visits that started in a period; see [`crate::Store::rating_figures`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RatingFigures {
    pub by_staff: Vec<RatingFigure>,
    pub by_service: Vec<RatingFigure>,
}
