//! The SQLite backend of the Zapys store.
//!
//! One file, WAL mode with `synchronous=FULL` (a booking confirmed to a
//! client survives a power cut), `secure_delete` (erased data is overwritten,
//! not left in free pages), foreign keys on, migrations embedded and run at open.
//! Every write that decides something (a booking, a move, a status change)
//! runs in a `BEGIN IMMEDIATE` transaction, which takes SQLite's single write
//! lock up front: the facts read inside it cannot change before the write. The
//! overlap triggers in the schema are the backstop if code ever forgets.

mod analytics;
mod appointments;
mod auth;
mod availability;
mod clients;
mod comeback;
mod coordination;
mod outbox;
mod sealing;
mod services;
mod slots;
mod staff;
mod support;
mod waitlist;

use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, RwLock};
use std::time::Duration as StdDuration;

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, Transaction};
use zapys_domain::client::ClientDraft;
use zapys_domain::{
    Actor, AppointmentId, BookingRefusal, BusinessTime, Client, ClientId, ExceptionDraft, HoursException, Schedule,
    Service, ServiceDraft, ServiceId, Settings, SlotId, StaffDraft, StaffId, StaffMember, TelegramId, Transition,
    WeeklyHours,
};
use zapys_store::{
    Admin, AdminId, ApiToken, AppointmentEvent, AppointmentQuery, AppointmentView, BookingRequest, ChangeFeed,
    ClientQuery, DataCipher, Generated, GeneratedStart, NoticeOutcome, NoticeQuery, OutboxItem, Page, Reschedule,
    SlotQuery, SlotView, StaffAvailability, Store, StoreError, TokenScope,
};

type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The SQLite store. Cheap to clone; clones share the pool.
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    cipher: DataCipher,
    settings: Arc<RwLock<Settings>>,
    changes: ChangeFeed,
    availability: availability::SharedCache,
    _keep_alive: Option<Arc<dyn std::any::Any + Send + Sync>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").finish_non_exhaustive()
    }
}

/// How to open the database: `url` is `sqlite://path/to/file.db` or a plain path.
pub use zapys_store::OpenOptions;

impl SqliteStore {
    /// Opens (creating if needed) and migrates the database, and checks that
    /// the data key is the one its personal data was sealed with.
    pub async fn open(options: OpenOptions) -> Result<Self> {
        let url =
            if options.url.starts_with("sqlite:") { options.url.clone() } else { format!("sqlite://{}", options.url) };
        let connect = SqliteConnectOptions::from_str(&url)
            .map_err(|e| StoreError::Backend(format!("invalid DATABASE_URL {url:?}: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // NORMAL would be faster, but in WAL mode it may lose the last
            // commits on power loss: a booking already confirmed could vanish.
            .synchronous(SqliteSynchronous::Full)
            // Deleted and overwritten content is zeroed, so erased personal
            // data does not linger in free pages.
            .pragma("secure_delete", "on")
            .foreign_keys(true)
            .busy_timeout(StdDuration::from_secs(15))
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(StdDuration::from_secs(30))
            .connect_with(connect)
            .await
            .map_err(db)?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Backend(format!("migrating the database failed: {e}")))?;

        sealing::prepare(&pool, &options.cipher).await?;
        let settings = load_or_create_settings(&pool, options.timezone).await?;
        Ok(Self {
            pool,
            cipher: options.cipher,
            settings: Arc::new(RwLock::new(settings)),
            changes: ChangeFeed::default(),
            availability: availability::SharedCache::default(),
            _keep_alive: None,
        })
    }

    /// The fingerprint of the data key an existing database is sealed with,
    /// read without changing anything; `None` for no database (or a new one).
    pub async fn stored_key_fingerprint(url: &str) -> Result<Option<String>> {
        let url = if url.starts_with("sqlite:") { url.to_owned() } else { format!("sqlite://{url}") };
        let connect = SqliteConnectOptions::from_str(&url)
            .map_err(|e| StoreError::Backend(format!("invalid DATABASE_URL {url:?}: {e}")))?
            .create_if_missing(false);
        let Ok(mut conn) = <sqlx::SqliteConnection as sqlx::Connection>::connect_with(&connect).await else {
            return Ok(None); // no database file yet
        };
        let has_meta: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta')")
                .fetch_one(&mut conn)
                .await
                .map_err(db)?;
        let fingerprint = if has_meta {
            sqlx::query_scalar("SELECT value FROM meta WHERE key = 'data_key_fingerprint'")
                .fetch_optional(&mut conn)
                .await
                .map_err(db)?
        } else {
            None
        };
        sqlx::Connection::close(conn).await.map_err(db)?;
        Ok(fingerprint)
    }

    /// Keeps `guard` (say, a temporary directory) alive as long as the store.
    #[must_use]
    pub fn keep_alive(mut self, guard: impl std::any::Any + Send + Sync) -> Self {
        self._keep_alive = Some(Arc::new(guard));
        self
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Re-seals every sealed value under `new` in one transaction, and
    /// records `new` as the database's key; answers how many values changed.
    /// Fails and changes nothing when any value does not open with the
    /// current key. The store is closed afterwards: its old key is no longer
    /// the database's. Nothing else may write to the database meanwhile.
    pub async fn rekey(self, new: &DataCipher) -> Result<u64> {
        let mut tx = self.write().await?;
        let count = sealing::rekey(&mut tx, &self.cipher, new).await?;
        tx.commit().await.map_err(db)?;
        // The old ciphertexts are zeroed (secure_delete); rebuilding the file
        // and emptying the WAL leaves no page that still holds them.
        sqlx::query("VACUUM").execute(&self.pool).await.map_err(db)?;
        self.checkpoint().await;
        self.close().await;
        Ok(count)
    }

    /// Moves the WAL into the database file and empties it, so that data
    /// just erased leaves no copy behind in the WAL. Best effort: readers
    /// in flight may hold part of the WAL; the next checkpoint takes it.
    pub(crate) async fn checkpoint(&self) {
        match sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&self.pool).await {
            Ok((0, _, _)) => {}
            Ok(_) => tracing::debug!("the WAL checkpoint was blocked by a reader; the next one completes it"),
            Err(error) => tracing::warn!(%error, "the WAL checkpoint failed"),
        }
    }

    async fn write(&self) -> Result<Transaction<'static, Sqlite>> {
        self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db)
    }

    /// After a commit: drops read models the change makes stale, then tells subscribers.
    pub(crate) fn committed(&self, entity: zapys_store::Entity, id: i64) {
        use zapys_store::Entity;
        // Settings hold the time zone, which turns working hours into instants.
        if matches!(entity, Entity::Slot | Entity::Appointment | Entity::Client | Entity::Staff | Entity::Settings) {
            availability::invalidate(&self.availability);
        }
        self.changes.publish(entity, id);
    }

    fn current_settings(&self) -> Settings {
        self.settings.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }
}

async fn load_or_create_settings(pool: &SqlitePool, timezone: BusinessTime) -> Result<Settings> {
    let row: Option<rows::SettingsRow> =
        sqlx::query_as("SELECT * FROM settings WHERE id = 1").fetch_optional(pool).await.map_err(db)?;
    match row {
        Some(row) => row.into_settings(),
        None => {
            let settings = Settings::new_business(timezone);
            save_settings(pool, &settings).await?;
            Ok(settings)
        }
    }
}

/// Saves every setting in one transaction: a change is never half written.
async fn save_settings(pool: &SqlitePool, s: &Settings) -> Result<()> {
    let offsets = serde_json::to_string(&s.reminder_offsets_minutes).map_err(|e| StoreError::Backend(e.to_string()))?;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.map_err(db)?;
    sqlx::query(
        "INSERT INTO settings (id, business_name, address, phone, hours, timezone, min_notice_minutes,
             max_active_bookings, auto_confirm, reminder_offsets_minutes, thank_you, auto_cancel_pending_minutes,
             booking_horizon_days, change_window_hours)
         VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET business_name = excluded.business_name, address = excluded.address,
             phone = excluded.phone, hours = excluded.hours, timezone = excluded.timezone,
             min_notice_minutes = excluded.min_notice_minutes, max_active_bookings = excluded.max_active_bookings,
             auto_confirm = excluded.auto_confirm, reminder_offsets_minutes = excluded.reminder_offsets_minutes,
             thank_you = excluded.thank_you, auto_cancel_pending_minutes = excluded.auto_cancel_pending_minutes,
             booking_horizon_days = excluded.booking_horizon_days,
             change_window_hours = excluded.change_window_hours",
    )
    .bind(&s.business_name)
    .bind(&s.address)
    .bind(&s.phone)
    .bind(&s.hours)
    .bind(s.timezone.name())
    .bind(s.min_notice_minutes)
    .bind(s.max_active_bookings)
    .bind(s.auto_confirm)
    .bind(offsets)
    .bind(s.thank_you)
    .bind(s.auto_cancel_pending_minutes)
    .bind(s.booking_horizon_days)
    .bind(s.change_window_hours)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    // --- comeback ---
    sqlx::query(
        "UPDATE settings SET daytime_from_minutes = ?, daytime_to_minutes = ?, ask_rating = ?, rating_delay_hours = ?
         WHERE id = 1",
    )
    .bind(zapys_store_sql::rows::stored_minutes(s.daytime.from))
    .bind(zapys_store_sql::rows::stored_minutes(s.daytime.to))
    .bind(s.ask_rating)
    .bind(s.rating_delay_hours)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    tx.commit().await.map_err(db)
}

/// Maps a database error to what it means for the caller.
pub(crate) fn db(error: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(e) = &error {
        if e.message().contains("zapys: overlapping appointment") {
            return StoreError::Refused(BookingRefusal::Taken);
        }
        if e.is_unique_violation() {
            return StoreError::Duplicate(format!("already exists: {}", e.message()));
        }
    }
    StoreError::Backend(error.to_string())
}

/// The id the next row of `table` gets, so that its sealed values can be
/// bound to it before the insert. Only inside a write transaction, which
/// keeps any other writer from taking the same id.
pub(crate) async fn next_id(conn: &mut sqlx::SqliteConnection, table: &'static str) -> Result<i64> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")))
        .fetch_one(conn)
        .await
        .map_err(db)
}

pub(crate) use zapys_store_sql::{instant, rows, seconds};

#[async_trait]
impl Store for SqliteStore {
    fn settings(&self) -> Settings {
        self.current_settings()
    }

    async fn save_settings(&self, settings: &Settings) -> Result<()> {
        save_settings(&self.pool, settings).await?;
        *self.settings.write().unwrap_or_else(std::sync::PoisonError::into_inner) = settings.clone();
        self.committed(zapys_store::Entity::Settings, 1);
        Ok(())
    }

    async fn telegram_token(&self) -> Result<Option<String>> {
        let sealed: Option<Vec<u8>> = sqlx::query_scalar("SELECT telegram_token_sealed FROM settings WHERE id = 1")
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .flatten();
        sealed.map(|s| self.cipher.open(sealing::TELEGRAM_TOKEN, 1, &s)).transpose()
    }

    async fn set_telegram_token(&self, token: Option<&str>) -> Result<()> {
        let sealed = token.map(|t| self.cipher.seal(sealing::TELEGRAM_TOKEN, 1, t));
        sqlx::query("UPDATE settings SET telegram_token_sealed = ? WHERE id = 1")
            .bind(sealed)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        self.committed(zapys_store::Entity::Settings, 1);
        Ok(())
    }

    async fn services(&self, include_hidden: bool) -> Result<Vec<Service>> {
        services::list(self, include_hidden).await
    }
    async fn service(&self, id: ServiceId) -> Result<Service> {
        services::get(self, id).await
    }
    async fn create_service(&self, draft: &ServiceDraft) -> Result<Service> {
        services::create(self, draft).await
    }
    async fn update_service(&self, id: ServiceId, draft: &ServiceDraft) -> Result<Service> {
        services::update(self, id, draft).await
    }
    async fn delete_service(&self, id: ServiceId, now: Timestamp) -> Result<()> {
        services::delete(self, id, now).await
    }

    async fn slots(&self, query: &SlotQuery) -> Result<Page<SlotView>> {
        slots::list(self, query).await
    }
    async fn slot(&self, id: SlotId) -> Result<SlotView> {
        slots::get(self, id).await
    }
    async fn create_slot(&self, staff: StaffId, starts_at: Timestamp) -> Result<SlotView> {
        slots::create(self, staff, starts_at).await
    }
    async fn generate_slots(
        &self,
        staff: StaffId,
        starts: &[GeneratedStart],
        replace: Option<(Timestamp, Timestamp)>,
    ) -> Result<Generated> {
        slots::generate(self, staff, starts, replace).await
    }
    async fn move_slot(&self, id: SlotId, starts_at: Timestamp) -> Result<SlotView> {
        slots::move_to(self, id, starts_at).await
    }
    async fn delete_slot(&self, id: SlotId, force: bool, now: Timestamp) -> Result<Vec<AppointmentId>> {
        slots::delete(self, id, force, now).await
    }
    async fn availability(&self, from: Timestamp, to: Timestamp) -> Result<Vec<StaffAvailability>> {
        slots::availability(self, from, to).await
    }

    async fn staff(&self) -> Result<Vec<StaffMember>> {
        staff::list(self).await
    }
    async fn staff_member(&self, id: StaffId) -> Result<StaffMember> {
        staff::get(self, id).await
    }
    async fn create_staff(&self, draft: &StaffDraft) -> Result<StaffMember> {
        staff::create(self, draft).await
    }
    async fn update_staff(&self, id: StaffId, draft: &StaffDraft) -> Result<StaffMember> {
        staff::update(self, id, draft).await
    }
    async fn delete_staff(&self, id: StaffId, now: Timestamp) -> Result<()> {
        staff::delete(self, id, now).await
    }
    async fn set_service_staff(&self, service: ServiceId, members: &[StaffId]) -> Result<()> {
        staff::set_service_staff(self, service, members).await
    }
    async fn schedule(&self, id: StaffId) -> Result<Schedule> {
        staff::schedule(self, id).await
    }
    async fn set_weekly_hours(&self, id: StaffId, hours: &WeeklyHours) -> Result<()> {
        staff::set_weekly_hours(self, id, hours).await
    }
    async fn add_exception(&self, id: StaffId, draft: &ExceptionDraft) -> Result<HoursException> {
        staff::add_exception(self, id, draft).await
    }
    async fn delete_exception(&self, id: StaffId, exception: i64) -> Result<()> {
        staff::delete_exception(self, id, exception).await
    }

    async fn clients(&self, query: &ClientQuery) -> Result<Page<Client>> {
        clients::list(self, query).await
    }
    async fn client(&self, id: ClientId) -> Result<Client> {
        clients::get(self, id).await
    }
    async fn client_by_telegram(&self, telegram_id: TelegramId) -> Result<Option<Client>> {
        clients::by_telegram(self, telegram_id).await
    }
    async fn create_client(&self, draft: &ClientDraft) -> Result<Client> {
        clients::create(self, draft).await
    }
    async fn update_client(&self, id: ClientId, draft: &ClientDraft) -> Result<Client> {
        clients::update(self, id, draft).await
    }
    async fn erase_client(&self, id: ClientId, by: Actor, now: Timestamp) -> Result<()> {
        clients::erase(self, id, by, now).await
    }
    async fn client_notes(&self, id: ClientId) -> Result<String> {
        clients::notes(self, id).await
    }
    async fn set_client_notes(&self, id: ClientId, notes: &str) -> Result<()> {
        clients::set_notes(self, id, notes).await
    }

    async fn appointments(&self, query: &AppointmentQuery) -> Result<Page<AppointmentView>> {
        appointments::list(self, query).await
    }
    async fn appointment(&self, id: AppointmentId) -> Result<AppointmentView> {
        appointments::get(self, id).await
    }
    async fn book(&self, request: &BookingRequest, now: Timestamp) -> Result<AppointmentView> {
        appointments::book(self, request, now).await
    }
    async fn reschedule(&self, id: AppointmentId, change: &Reschedule, now: Timestamp) -> Result<AppointmentView> {
        appointments::reschedule(self, id, change, now).await
    }
    async fn transition(
        &self,
        id: AppointmentId,
        transition: &Transition,
        by: Actor,
        now: Timestamp,
    ) -> Result<(AppointmentView, bool)> {
        appointments::transition(self, id, transition, by, now).await
    }
    async fn appointment_events(&self, id: AppointmentId) -> Result<Vec<AppointmentEvent>> {
        appointments::events(self, id).await
    }

    async fn set_visit_price(
        &self,
        id: AppointmentId,
        price: Option<zapys_domain::Price>,
        by: Actor,
        now: Timestamp,
    ) -> Result<AppointmentView> {
        appointments::set_visit_price(self, id, price, by, now).await
    }

    async fn schedule_due(&self, now: Timestamp) -> Result<u64> {
        outbox::schedule_due(self, now).await
    }
    async fn due_notices(&self, now: Timestamp, limit: u32) -> Result<Vec<OutboxItem>> {
        outbox::due(self, now, limit).await
    }
    async fn next_due(&self, now: Timestamp) -> Result<Option<Timestamp>> {
        outbox::next_due(self, now).await
    }
    async fn finish_notice(&self, id: i64, outcome: NoticeOutcome, now: Timestamp) -> Result<()> {
        outbox::finish(self, id, outcome, now).await
    }
    async fn notice_attempt_failed(&self, id: i64, error: &str) -> Result<()> {
        outbox::attempt_failed(self, id, error).await
    }
    async fn notices(&self, query: &NoticeQuery) -> Result<Page<OutboxItem>> {
        outbox::list(self, query).await
    }
    async fn retry_notice(&self, id: i64) -> Result<()> {
        outbox::retry(self, id).await
    }

    async fn analytics(&self, from: Timestamp, to: Timestamp, tz: &BusinessTime) -> Result<zapys_store::Analytics> {
        let mut figures = analytics::figures(self, from, to, tz).await?;
        waitlist::figures(self, &mut figures, from, to).await?;
        Ok(figures)
    }

    async fn webhooks(&self) -> Result<Vec<zapys_store::Webhook>> {
        let rows: Vec<zapys_store_sql::WebhookRow> =
            sqlx::query_as("SELECT id, url, events, personal_fields, created_at FROM webhooks ORDER BY id")
                .fetch_all(&self.pool)
                .await
                .map_err(db)?;
        rows.into_iter().map(zapys_store_sql::webhook).collect()
    }

    async fn create_webhook(
        &self,
        url: &str,
        secret: &str,
        events: &[String],
        personal_fields: &[String],
        now: Timestamp,
    ) -> Result<zapys_store::Webhook> {
        let events_json = serde_json::to_string(events).map_err(|e| StoreError::Backend(e.to_string()))?;
        let fields_json = serde_json::to_string(personal_fields).map_err(|e| StoreError::Backend(e.to_string()))?;
        let mut tx = self.write().await?;
        let id = next_id(&mut tx, "webhooks").await?;
        sqlx::query(
            "INSERT INTO webhooks (id, url, secret_sealed, events, personal_fields, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(url)
        .bind(self.cipher.seal(sealing::WEBHOOK_SECRET, id, secret))
        .bind(events_json)
        .bind(fields_json)
        .bind(seconds(now))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        self.committed(zapys_store::Entity::Webhook, id);
        Ok(zapys_store::Webhook {
            id,
            url: url.to_owned(),
            events: events.to_vec(),
            personal_fields: personal_fields.to_vec(),
            created_at: now,
        })
    }

    async fn delete_webhook(&self, id: i64) -> Result<()> {
        let deleted =
            sqlx::query("DELETE FROM webhooks WHERE id = ?").bind(id).execute(&self.pool).await.map_err(db)?;
        if deleted.rows_affected() == 0 {
            return Err(StoreError::not_found(zapys_store::Entity::Webhook, id));
        }
        self.committed(zapys_store::Entity::Webhook, id);
        Ok(())
    }

    async fn webhook_target(&self, id: i64) -> Result<Option<zapys_store::WebhookTarget>> {
        let row: Option<(String, Vec<u8>, String)> =
            sqlx::query_as("SELECT url, secret_sealed, personal_fields FROM webhooks WHERE id = ?")
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
        row.map(|(url, sealed, fields)| {
            Ok(zapys_store::WebhookTarget {
                url,
                secret: self.cipher.open(sealing::WEBHOOK_SECRET, id, &sealed)?,
                personal_fields: zapys_store_sql::json_list(&fields)?,
            })
        })
        .transpose()
    }

    async fn calendar_feed(&self) -> Result<Option<(Vec<u8>, Timestamp)>> {
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT h.value, c.value FROM meta h JOIN meta c ON c.key = 'calendar_feed_created_at'
             WHERE h.key = 'calendar_feed_token_hash'",
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        row.map(|(hash, at)| zapys_store_sql::calendar_feed(&hash, &at)).transpose()
    }

    async fn set_calendar_feed(&self, token_hash: Option<&[u8]>, now: Timestamp) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM meta WHERE key IN ('calendar_feed_token_hash', 'calendar_feed_created_at')")
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        if let Some(hash) = token_hash {
            let hex = zapys_store_sql::hex(hash);
            sqlx::query(
                "INSERT INTO meta (key, value) VALUES ('calendar_feed_token_hash', ?), ('calendar_feed_created_at', ?)",
            )
            .bind(hex)
            .bind(seconds(now).to_string())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn conversation(&self, chat_id: i64) -> Result<Option<String>> {
        let sealed: Option<Vec<u8>> =
            sqlx::query_scalar("SELECT state_sealed FROM bot_conversations WHERE chat_id = ?")
                .bind(chat_id)
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
        sealed.map(|s| self.cipher.open(sealing::CONVERSATION_STATE, chat_id, &s)).transpose()
    }

    async fn save_conversation(&self, chat_id: i64, state: &str, now: Timestamp) -> Result<()> {
        // The state may hold a name typed during registration.
        sqlx::query(
            "INSERT INTO bot_conversations (chat_id, state_sealed, updated_at) VALUES (?, ?, ?)
             ON CONFLICT (chat_id) DO UPDATE SET state_sealed = excluded.state_sealed, updated_at = excluded.updated_at",
        )
        .bind(chat_id)
        .bind(self.cipher.seal(sealing::CONVERSATION_STATE, chat_id, state))
        .bind(seconds(now))
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn admin_count(&self) -> Result<u64> {
        auth::admin_count(self).await
    }
    async fn admin_by_username(&self, username: &str) -> Result<Option<Admin>> {
        auth::admin_by_username(self, username).await
    }
    async fn create_admin(&self, username: &str, password_hash: &str) -> Result<Admin> {
        auth::create_admin(self, username, password_hash).await
    }
    async fn set_admin_password(&self, username: &str, password_hash: &str) -> Result<()> {
        auth::set_admin_password(self, username, password_hash).await
    }
    async fn create_session(
        &self,
        token_hash: &[u8],
        admin: AdminId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        auth::create_session(self, token_hash, admin, now, expires_at).await
    }
    async fn session_admin(
        &self,
        token_hash: &[u8],
        now: Timestamp,
        idle_timeout: jiff::SignedDuration,
    ) -> Result<Option<Admin>> {
        auth::session_admin(self, token_hash, now, idle_timeout).await
    }
    async fn purge_sessions(&self, now: Timestamp, idle_timeout: jiff::SignedDuration) -> Result<u64> {
        auth::purge_sessions(self, now, idle_timeout).await
    }
    async fn delete_session(&self, token_hash: &[u8]) -> Result<()> {
        auth::delete_session(self, token_hash).await
    }
    async fn create_api_token(
        &self,
        name: &str,
        scope: TokenScope,
        token_hash: &[u8],
        now: Timestamp,
    ) -> Result<ApiToken> {
        auth::create_api_token(self, name, scope, token_hash, now).await
    }
    async fn api_token(&self, token_hash: &[u8], now: Timestamp) -> Result<Option<ApiToken>> {
        auth::api_token(self, token_hash, now).await
    }
    async fn api_tokens(&self) -> Result<Vec<ApiToken>> {
        auth::api_tokens(self).await
    }
    async fn delete_api_token(&self, id: i64) -> Result<()> {
        auth::delete_api_token(self, id).await
    }

    async fn count_attempt(
        &self,
        limits: &[zapys_store::AttemptLimit<'_>],
        now: Timestamp,
    ) -> Result<zapys_store::Admission> {
        self.count_attempt_in_db(limits, now).await
    }

    async fn forgive_attempt(&self, forget: &[&str], uncount: &[&str]) -> Result<()> {
        self.forgive_attempt_in_db(forget, uncount).await
    }

    async fn take_lease(&self, name: &str, holder: &str, now: Timestamp, until: Timestamp) -> Result<bool> {
        self.take_lease_in_db(name, holder, now, until).await
    }

    async fn release_lease(&self, name: &str, holder: &str) -> Result<()> {
        self.release_lease_in_db(name, holder).await
    }

    async fn is_empty(&self) -> Result<bool> {
        let count: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM services) + (SELECT COUNT(*) FROM slots)
                  + (SELECT COUNT(*) FROM clients) + (SELECT COUNT(*) FROM appointments)",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(db)?;
        Ok(count == 0)
    }

    async fn backup(&self, path: &Path) -> Result<()> {
        if path.exists() {
            return Err(StoreError::Duplicate(format!("{} already exists", path.display())));
        }
        let target = path.to_str().ok_or_else(|| StoreError::Conflict("the backup path must be valid UTF-8".into()))?;
        // VACUUM INTO writes a consistent, compacted copy while others keep working.
        sqlx::query("VACUUM INTO ?").bind(target).execute(&self.pool).await.map_err(db)?;
        Ok(())
    }

    fn changes(&self) -> &ChangeFeed {
        &self.changes
    }

    // --- support ---
    async fn add_support_message(
        &self,
        draft: &zapys_store::SupportDraft,
        now: Timestamp,
    ) -> Result<zapys_store::SupportMessage> {
        self.add_support_message_in_db(draft, now).await
    }

    async fn support_thread(&self, client: ClientId) -> Result<Vec<zapys_store::SupportMessage>> {
        self.support_thread_in_db(client).await
    }

    async fn support_message(&self, id: i64) -> Result<Option<zapys_store::SupportMessage>> {
        self.support_message_in_db(id).await
    }

    async fn mark_support_relayed(&self, id: i64, chat_id: i64, message_id: i64) -> Result<()> {
        self.mark_support_relayed_in_db(id, chat_id, message_id).await
    }

    async fn support_by_relay(&self, chat_id: i64, message_id: i64) -> Result<Option<zapys_store::SupportMessage>> {
        self.support_by_relay_in_db(chat_id, message_id).await
    }

    // --- waitlist ---
    async fn join_wait(&self, draft: &zapys_store::WaitDraft, now: Timestamp) -> Result<zapys_store::Wait> {
        waitlist::join(self, draft, now).await
    }
    async fn wait(&self, id: i64) -> Result<zapys_store::Wait> {
        waitlist::get(self, id).await
    }
    async fn client_waits(&self, client: ClientId, now: Timestamp) -> Result<Vec<zapys_store::Wait>> {
        waitlist::of_client(self, client, now).await
    }
    async fn leave_wait(&self, client: ClientId, id: i64) -> Result<()> {
        waitlist::leave(self, client, id).await
    }
    async fn wait_booked(&self, id: i64, appointment: AppointmentId, now: Timestamp) -> Result<()> {
        waitlist::booked(self, id, appointment, now).await
    }
    async fn waits(&self, from: jiff::civil::Date, to: jiff::civil::Date) -> Result<Vec<zapys_store::WaitView>> {
        waitlist::list(self, from, to).await
    }

    // --- comeback ---
    async fn comeback_prefs(&self, client: ClientId) -> Result<zapys_store::ComebackPrefs> {
        comeback::prefs(self, client).await
    }
    async fn set_rebook_opt_out(&self, client: ClientId, opted_out: bool) -> Result<()> {
        comeback::set_opt_out(self, client, opted_out).await
    }
    async fn set_chat_blocked(&self, chat_id: i64, at: Option<Timestamp>) -> Result<()> {
        comeback::set_blocked(self, chat_id, at).await
    }
    async fn rate(&self, appointment: AppointmentId, stars: zapys_domain::Stars, now: Timestamp) -> Result<bool> {
        comeback::rate(self, appointment, stars, now).await
    }
    async fn rating(&self, appointment: AppointmentId) -> Result<Option<zapys_domain::Stars>> {
        comeback::rating(self, appointment).await
    }
    async fn rating_figures(&self, from: Timestamp, to: Timestamp) -> Result<zapys_store::RatingFigures> {
        comeback::rating_figures(self, from, to).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn pool_connections_sync_fully_and_overwrite_deleted_data() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = SqliteStore::open(OpenOptions {
            url: dir.path().join("zapys.db").display().to_string(),
            cipher: DataCipher::random(),
            timezone: BusinessTime::parse("Europe/Kyiv").expect("known zone"),
        })
        .await
        .expect("opens");
        // Every connection of the pool, not just the first one.
        let mut connections = Vec::new();
        for _ in 0..3 {
            connections.push(store.pool.acquire().await.expect("a connection"));
        }
        for conn in &mut connections {
            let synchronous: i64 =
                sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut **conn).await.expect("reads");
            assert_eq!(synchronous, 2, "synchronous=FULL: a commit is on disk before it is acknowledged");
            let secure_delete: i64 =
                sqlx::query_scalar("PRAGMA secure_delete").fetch_one(&mut **conn).await.expect("reads");
            assert_eq!(secure_delete, 1, "secure_delete=ON");
            let journal: String =
                sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut **conn).await.expect("reads");
            assert_eq!(journal, "wal");
        }
    }
}
