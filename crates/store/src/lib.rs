//! The storage interface of Zapys.
//!
//! Everything the adapters (REST API, bot, scheduler) need from a database is
//! one method of [`Store`]. A backend implements it; [`conformance`] holds the
//! behaviour every backend must show, run against each of them.
//!
//! Booking decisions are made by the domain ([`zapys_domain::BookingPolicy`]);
//! a backend's job is to gather the facts and apply the decision atomically,
//! so that two requests racing for one time can never both win.

#[doc(hidden)]
pub mod conformance;
mod crypto;
mod error;
mod feed;
mod model;
mod support;
mod waitlist;

use std::path::Path;

use async_trait::async_trait;
use jiff::Timestamp;
use zapys_domain::client::ClientDraft;
use zapys_domain::{
    Actor, AppointmentId, Client, ClientId, ExceptionDraft, HoursException, Schedule, Service, ServiceDraft, ServiceId,
    Settings, SlotId, StaffDraft, StaffId, StaffMember, Stars, TelegramId, Transition, WeeklyHours,
};

pub use crypto::{DataCipher, KeyError};
pub use error::{Entity, StoreError};
pub use feed::{Change, ChangeFeed};
pub use model::*;
pub use support::{SupportDirection, SupportDraft, SupportMedia, SupportMessage};
pub use waitlist::{Wait, WaitDraft, WaitView, WaitWindow};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// How to open a database, whichever the backend.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// The database's URL (`sqlite://path/to/file.db` or a plain path for SQLite; `postgres://...`).
    pub url: String,
    pub cipher: DataCipher,
    /// The time zone a new database starts with.
    pub timezone: zapys_domain::BusinessTime,
}

/// The times `service` can be booked at, from each staff member's availability: see [`Store::bookable`].
pub fn bookable_times(
    service: &Service,
    members: &[StaffMember],
    only: Option<StaffId>,
    windows: &[StaffAvailability],
    earliest: Timestamp,
) -> Vec<BookableTime> {
    let mut times = Vec::new();
    for member in members.iter().filter(|m| !m.hidden && only.is_none_or(|id| id == m.id)) {
        let Some(own) = member.performs(service.id) else { continue };
        let Some(window) = windows.iter().find(|w| w.staff_id == member.id) else { continue };
        let duration = own.duration.unwrap_or(service.duration);
        let need = service.buffers.need(duration);
        let free = zapys_domain::bookable_starts(&window.slots, &window.busy, window.open.as_deref(), need, earliest);
        times.extend(free.into_iter().map(|slot| BookableTime {
            slot_id: slot.id,
            staff_id: member.id,
            start: slot.start,
            end: slot.start + duration.span(),
        }));
    }
    times.sort_by_key(|t| (t.start, t.staff_id));
    times
}

/// The staff member a request that names none means: the only one there is. Integrations written
/// before staff existed keep working for a business with one staff member.
pub async fn sole_staff_member(store: &dyn Store) -> Result<StaffId> {
    match store.staff().await?.as_slice() {
        [only] => Ok(only.id),
        [] => Err(StoreError::StaffRequired { none_yet: true }),
        _ => Err(StoreError::StaffRequired { none_yet: false }),
    }
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    // --- settings (served from memory; saving writes through) ---
    fn settings(&self) -> Settings;
    async fn save_settings(&self, settings: &Settings) -> Result<()>;
    /// The bot token the owner saved in Settings, opened; `None` when there is none. (Whether it is
    /// used is the app's decision: `TELEGRAM_BOT_TOKEN` wins over it.)
    async fn telegram_token(&self) -> Result<Option<String>>;
    /// Saves the bot token sealed, or forgets it (`None`). Announced as a settings change, so every
    /// instance follows it.
    async fn set_telegram_token(&self, token: Option<&str>) -> Result<()>;

    // --- services ---
    async fn services(&self, include_hidden: bool) -> Result<Vec<Service>>;
    async fn service(&self, id: ServiceId) -> Result<Service>;
    async fn create_service(&self, draft: &ServiceDraft) -> Result<Service>;
    async fn update_service(&self, id: ServiceId, draft: &ServiceDraft) -> Result<Service>;
    /// Refused while the service has active future bookings; history keeps its name.
    async fn delete_service(&self, id: ServiceId, now: Timestamp) -> Result<()>;

    // --- staff ---
    /// Every staff member who was not deleted, hidden ones included, by name.
    async fn staff(&self) -> Result<Vec<StaffMember>>;
    async fn staff_member(&self, id: StaffId) -> Result<StaffMember>;
    /// Unknown reference when a service it lists does not exist.
    async fn create_staff(&self, draft: &StaffDraft) -> Result<StaffMember>;
    async fn update_staff(&self, id: StaffId, draft: &StaffDraft) -> Result<StaffMember>;
    /// Refused while they have active future bookings (hide them instead); history keeps their name.
    async fn delete_staff(&self, id: StaffId, now: Timestamp) -> Result<()>;
    /// Sets who performs a service, keeping the own price and duration of those who still do.
    async fn set_service_staff(&self, service: ServiceId, staff: &[StaffId]) -> Result<()>;
    async fn schedule(&self, id: StaffId) -> Result<Schedule>;
    async fn set_weekly_hours(&self, id: StaffId, hours: &WeeklyHours) -> Result<()>;
    async fn add_exception(&self, id: StaffId, draft: &ExceptionDraft) -> Result<HoursException>;
    async fn delete_exception(&self, id: StaffId, exception: i64) -> Result<()>;

    // --- slots ---
    async fn slots(&self, query: &SlotQuery) -> Result<Page<SlotView>>;
    async fn slot(&self, id: SlotId) -> Result<SlotView>;
    /// Duplicate when the staff member already has a slot at that instant.
    async fn create_slot(&self, staff: StaffId, starts_at: Timestamp) -> Result<SlotView>;
    /// Adds a staff member's generated starts that are not slots yet. With `replace`, first removes
    /// their generated slots in that window that nobody booked, so a new grid replaces the old one.
    async fn generate_slots(
        &self,
        staff: StaffId,
        starts: &[GeneratedStart],
        replace: Option<(Timestamp, Timestamp)>,
    ) -> Result<Generated>;
    /// Refused while a booking starts at the slot.
    async fn move_slot(&self, id: SlotId, starts_at: Timestamp) -> Result<SlotView>;
    /// Refused while a booking starts there, unless `force`, which cancels those bookings first.
    async fn delete_slot(&self, id: SlotId, force: bool, now: Timestamp) -> Result<Vec<AppointmentId>>;
    /// Per staff member (deleted ones left out): slots starting in `[from, to)`, the time their
    /// bookings hold around that window, and the time they work in it.
    async fn availability(&self, from: Timestamp, to: Timestamp) -> Result<Vec<StaffAvailability>>;
    /// The times in `[from, to)` at which `service` can still be booked, sorted by start then staff
    /// member: with `staff`, theirs; without, those of everyone visible who performs it.
    async fn bookable(
        &self,
        service: &Service,
        staff: Option<StaffId>,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<BookableTime>> {
        if from >= to {
            return Ok(Vec::new());
        }
        let members = self.staff().await?;
        let windows = self.availability(from, to).await?;
        Ok(bookable_times(service, &members, staff, &windows, from))
    }

    // --- clients ---
    async fn clients(&self, query: &ClientQuery) -> Result<Page<Client>>;
    async fn client(&self, id: ClientId) -> Result<Client>;
    async fn client_by_telegram(&self, telegram_id: TelegramId) -> Result<Option<Client>>;
    /// Conflict when another client has the same Telegram id.
    async fn create_client(&self, draft: &ClientDraft) -> Result<Client>;
    async fn update_client(&self, id: ClientId, draft: &ClientDraft) -> Result<Client>;
    /// Forgets a client's personal data, cancels their future bookings, keeps their history anonymised.
    async fn erase_client(&self, id: ClientId, by: Actor, now: Timestamp) -> Result<()>;
    /// The business's private notes about a client ("" when none); never shown to the client.
    async fn client_notes(&self, id: ClientId) -> Result<String>;
    /// Replaces the private notes ("" clears them). `NotFound` for an unknown or erased client.
    async fn set_client_notes(&self, id: ClientId, notes: &str) -> Result<()>;

    // --- appointments ---
    async fn appointments(&self, query: &AppointmentQuery) -> Result<Page<AppointmentView>>;
    async fn appointment(&self, id: AppointmentId) -> Result<AppointmentView>;
    /// Books atomically under the current settings' policy.
    async fn book(&self, request: &BookingRequest, now: Timestamp) -> Result<AppointmentView>;
    /// Moves a booking (and may change its client or service) under the same rules as a new one.
    async fn reschedule(&self, id: AppointmentId, change: &Reschedule, now: Timestamp) -> Result<AppointmentView>;
    /// Applies a status change; `changed` is false when it was already so.
    async fn transition(
        &self,
        id: AppointmentId,
        transition: &Transition,
        by: Actor,
        now: Timestamp,
    ) -> Result<(AppointmentView, bool)>;
    async fn appointment_events(&self, id: AppointmentId) -> Result<Vec<AppointmentEvent>>;
    /// Sets what this one visit costs (a discount, an extra), whatever its status; the history
    /// records the change. The service's own price is not touched.
    async fn set_visit_price(
        &self,
        id: AppointmentId,
        price: Option<zapys_domain::Price>,
        by: Actor,
        now: Timestamp,
    ) -> Result<AppointmentView>;

    // --- the outbox: notices and reminders ---
    /// Puts reminders that fell due into the outbox (each once per booking, start time and offset;
    /// when several fell due during downtime, only the latest), and cancels bookings still pending
    /// past the auto-cancel deadline. Answers how many rows it added.
    async fn schedule_due(&self, now: Timestamp) -> Result<u64>;
    /// Notices ready to go, oldest first: at most one per [`Lane`], the lane's earliest unfinished one.
    async fn due_notices(&self, now: Timestamp, limit: u32) -> Result<Vec<OutboxItem>>;
    /// The next instant after `now` at which a reminder or an auto-cancel falls due.
    async fn next_due(&self, now: Timestamp) -> Result<Option<Timestamp>>;
    async fn finish_notice(&self, id: i64, outcome: NoticeOutcome, now: Timestamp) -> Result<()>;
    /// Records a failed attempt that will be tried again.
    async fn notice_attempt_failed(&self, id: i64, error: &str) -> Result<()>;
    async fn notices(&self, query: &NoticeQuery) -> Result<Page<OutboxItem>>;
    /// Puts a failed notice back in line.
    async fn retry_notice(&self, id: i64) -> Result<()>;

    // --- analytics ---
    /// Figures about the bookings starting in `[from, to)`, grouped by local time in `tz`; computed in SQL.
    async fn analytics(&self, from: Timestamp, to: Timestamp, tz: &zapys_domain::BusinessTime) -> Result<Analytics>;

    // --- webhooks ---
    async fn webhooks(&self) -> Result<Vec<Webhook>>;
    async fn create_webhook(
        &self,
        url: &str,
        secret: &str,
        events: &[String],
        personal_fields: &[String],
        now: Timestamp,
    ) -> Result<Webhook>;
    async fn delete_webhook(&self, id: i64) -> Result<()>;
    /// A webhook's URL, signing secret and opted-in personal fields, for delivery.
    async fn webhook_target(&self, id: i64) -> Result<Option<WebhookTarget>>;

    // --- the calendar feed ---
    /// The hash of the calendar feed's token and when it was made, if there is a feed.
    async fn calendar_feed(&self) -> Result<Option<(Vec<u8>, Timestamp)>>;
    /// Sets (or, with `None`, revokes) the calendar feed's token hash.
    async fn set_calendar_feed(&self, token_hash: Option<&[u8]>, now: Timestamp) -> Result<()>;

    // --- the bot's conversations ---
    /// The saved conversation state of a chat (opaque to the store).
    async fn conversation(&self, chat_id: i64) -> Result<Option<String>>;
    async fn save_conversation(&self, chat_id: i64, state: &str, now: Timestamp) -> Result<()>;

    // --- admins, sessions, API tokens ---
    async fn admin_count(&self) -> Result<u64>;
    async fn admin_by_username(&self, username: &str) -> Result<Option<Admin>>;
    /// Conflict when the username is taken.
    async fn create_admin(&self, username: &str, password_hash: &str) -> Result<Admin>;
    async fn set_admin_password(&self, username: &str, password_hash: &str) -> Result<()>;
    /// A session opened at `now` that ends at `expires_at` at the latest.
    async fn create_session(
        &self,
        token_hash: &[u8],
        admin: AdminId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()>;
    /// The admin of a live session: not past its expiry, and used within `idle_timeout`. Using it
    /// counts as activity (recorded at most once a minute). An unknown hash never writes.
    async fn session_admin(
        &self,
        token_hash: &[u8],
        now: Timestamp,
        idle_timeout: jiff::SignedDuration,
    ) -> Result<Option<Admin>>;
    /// Deletes sessions that have expired or been idle longer than `idle_timeout`; answers how many.
    async fn purge_sessions(&self, now: Timestamp, idle_timeout: jiff::SignedDuration) -> Result<u64>;
    async fn delete_session(&self, token_hash: &[u8]) -> Result<()>;
    async fn create_api_token(
        &self,
        name: &str,
        scope: TokenScope,
        token_hash: &[u8],
        now: Timestamp,
    ) -> Result<ApiToken>;
    /// The token with this hash; its last use is recorded (at most once a minute). An unknown hash never writes.
    async fn api_token(&self, token_hash: &[u8], now: Timestamp) -> Result<Option<ApiToken>>;
    async fn api_tokens(&self) -> Result<Vec<ApiToken>>;
    async fn delete_api_token(&self, id: i64) -> Result<()>;

    // --- login attempt limits (shared by every instance on the database) ---
    /// Counts one attempt against every limit in `limits`, atomically: unless one of them is already
    /// used up within its window, in which case nothing is counted. A window starts with its first
    /// attempt and, once over, starts afresh.
    async fn count_attempt(&self, limits: &[AttemptLimit<'_>], now: Timestamp) -> Result<Admission>;
    /// Gives a counted attempt back: `forget` loses its whole count, `uncount` one attempt each.
    async fn forgive_attempt(&self, forget: &[&str], uncount: &[&str]) -> Result<()>;

    // --- leases: work one instance does at a time ---
    /// Takes or renews the lease `name` for `holder` until `until`; answers whether `holder` now holds
    /// it. Refused while another holder's lease runs past `now`.
    async fn take_lease(&self, name: &str, holder: &str, now: Timestamp, until: Timestamp) -> Result<bool>;
    /// Lets the lease go (when `holder` holds it), so another instance can take it at once.
    async fn release_lease(&self, name: &str, holder: &str) -> Result<()>;

    // --- operations ---
    /// True for a database with no services, slots, clients or appointments.
    async fn is_empty(&self) -> Result<bool>;
    /// A consistent copy of the live database at `path` (which must not exist).
    async fn backup(&self, path: &Path) -> Result<()>;
    /// Changes made through this store, for live views and workers.
    fn changes(&self) -> &ChangeFeed;

    // --- support ---
    /// Adds a message to a client's support thread and, in the same transaction, queues it: a
    /// message from the client as a `support_message` notice for the business chat, one to the
    /// client as a `support_reply` notice for their chat. `UnknownReference` for an unknown or
    /// erased client; `Conflict` for an answer to a client the bot cannot reach (no Telegram).
    async fn add_support_message(&self, draft: &SupportDraft, now: Timestamp) -> Result<SupportMessage>;
    /// A client's thread, oldest first.
    async fn support_thread(&self, client: ClientId) -> Result<Vec<SupportMessage>>;
    async fn support_message(&self, id: i64) -> Result<Option<SupportMessage>>;
    /// Records the copy of a client's message in the business chat, which an admin replies to.
    async fn mark_support_relayed(&self, id: i64, chat_id: i64, message_id: i64) -> Result<()>;
    /// The client's message whose copy in `chat_id` is `message_id`, if it is one.
    async fn support_by_relay(&self, chat_id: i64, message_id: i64) -> Result<Option<SupportMessage>>;
    // --- waitlist ---
    /// Puts a client on the waitlist of a local day (with `around`, the days beside it too), read in
    /// the business's time zone. Duplicate when they already wait for that day, service and staff
    /// member (or anyone); unknown reference for a missing client, service or staff member.
    async fn join_wait(&self, draft: &WaitDraft, now: Timestamp) -> Result<Wait>;
    async fn wait(&self, id: i64) -> Result<Wait>;
    /// A client's waits still waiting whose day is not over at `now`, by day then ask order.
    async fn client_waits(&self, client: ClientId, now: Timestamp) -> Result<Vec<Wait>>;
    /// Takes a client off a waitlist; not found unless the wait is theirs and still waiting.
    async fn leave_wait(&self, client: ClientId, id: i64) -> Result<()>;
    /// Records that a wait turned into `appointment`; conflict when it no longer waits.
    async fn wait_booked(&self, id: i64, appointment: AppointmentId, now: Timestamp) -> Result<()>;
    /// Every wait for a day in `[from, to]` (those turned into bookings included), by day then ask
    /// order, with names.
    async fn waits(&self, from: jiff::civil::Date, to: jiff::civil::Date) -> Result<Vec<WaitView>>;
    // --- comeback ---
    /// The client's choices about the nudges to book again, and whether they blocked the bot.
    async fn comeback_prefs(&self, client: ClientId) -> Result<ComebackPrefs>;
    async fn set_rebook_opt_out(&self, client: ClientId, opted_out: bool) -> Result<()>;
    /// Records that the client with this chat blocked the bot (`Some`), or talks to it again (`None`).
    /// Nothing happens for a chat that is no client's.
    async fn set_chat_blocked(&self, chat_id: i64, at: Option<Timestamp>) -> Result<()>;
    /// Records a visit's rating; answers false when it was rated already (the first rating stays).
    async fn rate(&self, appointment: AppointmentId, stars: Stars, now: Timestamp) -> Result<bool>;
    async fn rating(&self, appointment: AppointmentId) -> Result<Option<Stars>>;
    /// The ratings of visits starting in `[from, to)`: average and count per staff member and per
    /// service, by name.
    async fn rating_figures(&self, from: Timestamp, to: Timestamp) -> Result<RatingFigures>;
}
