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

use std::path::Path;

use async_trait::async_trait;
use jiff::Timestamp;
use zapys_domain::client::ClientDraft;
use zapys_domain::{
    Actor, AppointmentId, Busy, Client, ClientId, Service, ServiceDraft, ServiceId, Settings, SlotId, TelegramId,
    Transition,
};

pub use crypto::{DataCipher, KeyError};
pub use error::{Entity, StoreError};
pub use feed::{Change, ChangeFeed};
pub use model::*;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[async_trait]
pub trait Store: Send + Sync + 'static {
    // --- settings (served from memory; saving writes through) ---
    fn settings(&self) -> Settings;
    async fn save_settings(&self, settings: &Settings) -> Result<()>;

    // --- services ---
    async fn services(&self, include_hidden: bool) -> Result<Vec<Service>>;
    async fn service(&self, id: ServiceId) -> Result<Service>;
    async fn create_service(&self, draft: &ServiceDraft) -> Result<Service>;
    async fn update_service(&self, id: ServiceId, draft: &ServiceDraft) -> Result<Service>;
    /// Refused while the service has active future bookings; history keeps its name.
    async fn delete_service(&self, id: ServiceId, now: Timestamp) -> Result<()>;

    // --- slots ---
    async fn slots(&self, query: &SlotQuery) -> Result<Page<SlotView>>;
    async fn slot(&self, id: SlotId) -> Result<SlotView>;
    /// Conflict when a slot already starts at that instant.
    async fn create_slot(&self, starts_at: Timestamp) -> Result<SlotView>;
    /// Adds the instants that are not slots yet; answers how many were added.
    async fn create_slots(&self, starts: &[Timestamp]) -> Result<u64>;
    /// Refused while a booking starts at the slot.
    async fn move_slot(&self, id: SlotId, starts_at: Timestamp) -> Result<SlotView>;
    /// Refused while a booking starts there, unless `force`, which cancels those bookings first.
    async fn delete_slot(&self, id: SlotId, force: bool, now: Timestamp) -> Result<Vec<AppointmentId>>;
    /// Slots starting in `[from, to)`, sorted, and the time held by bookings in that window.
    async fn availability(&self, from: Timestamp, to: Timestamp) -> Result<(Vec<(SlotId, Timestamp)>, Vec<Busy>)>;
    /// The slots in `[from, to)` at which something lasting `duration` can still be booked.
    async fn bookable(
        &self,
        duration: jiff::SignedDuration,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(SlotId, Timestamp)>> {
        if from >= to {
            return Ok(Vec::new());
        }
        let (slots, busy) = self.availability(from, to).await?;
        Ok(zapys_domain::bookable_starts(&slots, &busy, duration, from))
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

    // --- operations ---
    /// True for a database with no services, slots, clients or appointments.
    async fn is_empty(&self) -> Result<bool>;
    /// A consistent copy of the live database at `path` (which must not exist).
    async fn backup(&self, path: &Path) -> Result<()>;
    /// Changes made through this store, for live views and workers.
    fn changes(&self) -> &ChangeFeed;
}
