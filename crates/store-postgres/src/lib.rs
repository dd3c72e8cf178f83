//! The PostgreSQL backend of the Zapys store.
//!
//! Same behaviour as the SQLite backend, on a database server that several
//! Zapys processes may share. SQLite serialises every decision with one
//! writer (`BEGIN IMMEDIATE`); here transactions run at READ COMMITTED and each
//! decision takes row locks on what it decides about, always in the same
//! order, so unrelated bookings proceed in parallel:
//!
//! 1. staff rows (`FOR NO KEY UPDATE`, ascending id): bookings, moves, slots,
//!    hours and deleting a staff member, so the facts read about a staff
//!    member's time cannot change before the write;
//! 2. client rows (ascending id): the client's limit of active bookings, erasure;
//! 3. appointment rows: status changes (a double tap confirms once).
//!
//! A booking also reads its service `FOR SHARE`, and deleting a service locks
//! it first, so no booking slips in between the count of upcoming bookings
//! and the deletion. Counting login attempts takes a transaction-level
//! advisory lock (one decision at a time, as SQLite's writer would), and so
//! does the key check at open, so instances starting together re-seal once.
//!
//! The exclusion constraint `appointments_no_overlap` is the backstop if
//! code ever forgets. A transaction PostgreSQL aborts as a deadlock or a
//! serialization failure is run again (see [`retry`]).

mod analytics;
mod appointments;
mod auth;
mod availability;
mod clients;
mod comeback;
mod coordination;
mod listen;
mod locks;
mod outbox;
mod sealing;
mod services;
mod slots;
mod staff;
mod support;
mod waitlist;

use std::future::Future;
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, RwLock};
use std::time::Duration as StdDuration;

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};
use zapys_domain::client::ClientDraft;
use zapys_domain::{
    Actor, AppointmentId, BookingRefusal, BusinessTime, Client, ClientId, ExceptionDraft, HoursException, Schedule,
    Service, ServiceDraft, ServiceId, Settings, SlotId, StaffDraft, StaffId, StaffMember, TelegramId, Transition,
    WeeklyHours,
};
pub use zapys_store::OpenOptions;
use zapys_store::{
    Admin, AdminId, ApiToken, AppointmentEvent, AppointmentQuery, AppointmentView, BookingRequest, ChangeFeed,
    ClientQuery, DataCipher, Generated, GeneratedStart, NoticeOutcome, NoticeQuery, OutboxItem, Page, Reschedule,
    SlotQuery, SlotView, StaffAvailability, Store, StoreError, TokenScope,
};
pub(crate) use zapys_store_sql::{instant, rows, seconds};

type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The PostgreSQL store. Cheap to clone; clones share the pool.
#[derive(Clone)]
pub struct PostgresStore {
    pool: PgPool,
    cipher: DataCipher,
    settings: Arc<RwLock<Settings>>,
    changes: ChangeFeed,
    availability: availability::SharedCache,
    /// Tells the other instances on the database of this one's commits.
    announcer: listen::Announcer,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore").finish_non_exhaustive()
    }
}

fn connect_options(url: &str) -> Result<PgConnectOptions> {
    // The URL is not echoed: it may hold a password.
    PgConnectOptions::from_str(url).map_err(|e| StoreError::Backend(format!("invalid PostgreSQL DATABASE_URL: {e}")))
}

impl PostgresStore {
    /// Connects to `options.url` (`postgres://user:password@host:port/database`),
    /// migrates the database, and checks that the data key is the one its
    /// personal data was sealed with.
    pub async fn open(options: OpenOptions) -> Result<Self> {
        let connect = connect_options(&options.url)?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(StdDuration::from_secs(30))
            .connect_with(connect)
            .await
            .map_err(db)?;
        // sqlx holds an advisory lock while migrating: instances starting together migrate once.
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Backend(format!("migrating the database failed: {e}")))?;

        sealing::prepare(&pool, &options.cipher).await?;
        let settings = Arc::new(RwLock::new(load_or_create_settings(&pool, options.timezone).await?));
        let (changes, availability) = (ChangeFeed::default(), availability::SharedCache::default());
        let origin: Arc<str> = format!("{:016x}", rand::random::<u64>()).into();
        listen::listen(
            &pool,
            listen::Receiver {
                origin: origin.clone(),
                availability: availability.clone(),
                changes: changes.clone(),
                settings: settings.clone(),
            },
        )
        .await
        .map_err(db)?;
        let announcer = listen::announcer(pool.clone(), origin);
        Ok(Self { pool, cipher: options.cipher, settings, changes, availability, announcer })
    }

    /// The fingerprint of the data key an existing database is sealed with,
    /// read without changing anything; `None` for a database that does not
    /// exist yet or has no Zapys schema.
    pub async fn stored_key_fingerprint(url: &str) -> Result<Option<String>> {
        let connect = connect_options(url)?;
        let mut conn = match <sqlx::PgConnection as sqlx::Connection>::connect_with(&connect).await {
            Ok(conn) => conn,
            // invalid_catalog_name: no such database yet.
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("3D000") => return Ok(None),
            Err(e) => return Err(db(e)),
        };
        let has_meta: bool =
            sqlx::query_scalar("SELECT to_regclass('meta') IS NOT NULL").fetch_one(&mut conn).await.map_err(db)?;
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

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Re-seals every sealed value under `new` in one transaction, and
    /// records `new` as the database's key; answers how many values changed.
    /// Fails and changes nothing when any value does not open with the
    /// current key. The store is closed afterwards: its old key is no longer
    /// the database's. Nothing else may write to the database meanwhile.
    ///
    /// Unlike SQLite's, the old ciphertexts are not overwritten on disk at
    /// once: PostgreSQL keeps dead row versions until autovacuum reuses their
    /// space (and its WAL archive, if any, keeps them as long as it is kept).
    pub async fn rekey(self, new: &DataCipher) -> Result<u64> {
        let mut tx = self.write().await?;
        let count = sealing::rekey(&mut tx, &self.cipher, new).await?;
        tx.commit().await.map_err(db)?;
        self.close().await;
        Ok(count)
    }

    /// A write transaction. READ COMMITTED: what a decision depends on is
    /// locked explicitly (see the module documentation and [`locks`]).
    async fn write(&self) -> Result<Transaction<'static, Postgres>> {
        self.pool.begin().await.map_err(db)
    }

    /// After a commit: drops read models the change makes stale, then tells subscribers.
    pub(crate) fn committed(&self, entity: zapys_store::Entity, id: i64) {
        use zapys_store::Entity;
        // Settings hold the time zone, which turns working hours into instants.
        if matches!(entity, Entity::Slot | Entity::Appointment | Entity::Client | Entity::Staff | Entity::Settings) {
            availability::invalidate(&self.availability);
        }
        self.changes.publish(entity, id);
        self.announcer.announce(entity, id);
    }

    fn current_settings(&self) -> Settings {
        self.settings.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }
}

async fn load_or_create_settings(pool: &PgPool, timezone: BusinessTime) -> Result<Settings> {
    let row: Option<rows::SettingsRow> =
        sqlx::query_as("SELECT * FROM settings WHERE id = 1").fetch_optional(pool).await.map_err(db)?;
    if let Some(row) = row {
        return row.into_settings();
    }
    // Another instance starting at the same moment may create them first; theirs stand.
    let mut conn = pool.acquire().await.map_err(db)?;
    insert_settings(&mut conn, &Settings::new_business(timezone), false).await?;
    drop(conn);
    let row: rows::SettingsRow =
        sqlx::query_as("SELECT * FROM settings WHERE id = 1").fetch_one(pool).await.map_err(db)?;
    row.into_settings()
}

/// Saves every setting in one transaction, so no instance ever reads half of a change.
async fn save_settings(pool: &PgPool, s: &Settings) -> Result<()> {
    let mut tx = pool.begin().await.map_err(db)?;
    insert_settings(&mut tx, s, true).await?;
    // --- comeback ---
    sqlx::query(
        "UPDATE settings SET daytime_from_minutes = $1, daytime_to_minutes = $2, ask_rating = $3,
             rating_delay_hours = $4 WHERE id = 1",
    )
    .bind(zapys_store_sql::rows::stored_minutes(s.daytime.from))
    .bind(zapys_store_sql::rows::stored_minutes(s.daytime.to))
    .bind(s.ask_rating)
    .bind(i64::from(s.rating_delay_hours))
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    tx.commit().await.map_err(db)
}

/// Writes the settings row; with `replace`, over the one there is.
async fn insert_settings(conn: &mut sqlx::PgConnection, s: &Settings, replace: bool) -> Result<()> {
    let offsets = serde_json::to_string(&s.reminder_offsets_minutes).map_err(|e| StoreError::Backend(e.to_string()))?;
    let on_conflict = if replace {
        "ON CONFLICT (id) DO UPDATE SET business_name = excluded.business_name, address = excluded.address,
             phone = excluded.phone, hours = excluded.hours, timezone = excluded.timezone,
             min_notice_minutes = excluded.min_notice_minutes, max_active_bookings = excluded.max_active_bookings,
             auto_confirm = excluded.auto_confirm, reminder_offsets_minutes = excluded.reminder_offsets_minutes,
             thank_you = excluded.thank_you, auto_cancel_pending_minutes = excluded.auto_cancel_pending_minutes,
             booking_horizon_days = excluded.booking_horizon_days,
             change_window_hours = excluded.change_window_hours"
    } else {
        "ON CONFLICT (id) DO NOTHING"
    };
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO settings (id, business_name, address, phone, hours, timezone, min_notice_minutes,
             max_active_bookings, auto_confirm, reminder_offsets_minutes, thank_you, auto_cancel_pending_minutes,
             booking_horizon_days, change_window_hours)
         VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) {on_conflict}"
    )))
    .bind(&s.business_name)
    .bind(&s.address)
    .bind(&s.phone)
    .bind(&s.hours)
    .bind(s.timezone.name())
    .bind(i64::from(s.min_notice_minutes))
    .bind(i64::from(s.max_active_bookings))
    .bind(s.auto_confirm)
    .bind(offsets)
    .bind(s.thank_you)
    .bind(s.auto_cancel_pending_minutes.map(i64::from))
    .bind(i64::from(s.booking_horizon_days))
    .bind(i64::from(s.change_window_hours))
    .execute(conn)
    .await
    .map_err(db)?;
    Ok(())
}

/// How a transaction that PostgreSQL aborted to break a deadlock or a
/// serialization conflict is reported; [`retry`] runs such a transaction again.
pub(crate) const TRANSIENT: &str = "the database aborted a conflicting transaction; try again: ";

/// Maps a database error to what it means for the caller: the same errors SQLite's backend gives.
pub(crate) fn db(error: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(e) = &error {
        match e.code().as_deref() {
            // exclusion_violation: appointments_no_overlap, the double-booking backstop
            // (SQLite's overlap trigger gives the same refusal).
            Some("23P01") => return StoreError::Refused(BookingRefusal::Taken),
            Some("23505") => return StoreError::Duplicate(format!("already exists: {}", e.message())),
            // foreign_key_violation: a record referred to went away in a race that SQLite's
            // single writer would have ordered; the request can be made again.
            Some("23503") => {
                return StoreError::Conflict(format!("a record this refers to no longer exists: {}", e.message()));
            }
            // serialization_failure, deadlock_detected
            Some("40001" | "40P01") => return StoreError::Backend(format!("{TRANSIENT}{}", e.message())),
            _ => {}
        }
    }
    StoreError::Backend(error.to_string())
}

fn is_transient(error: &StoreError) -> bool {
    matches!(error, StoreError::Backend(message) if message.starts_with(TRANSIENT))
}

/// How often a transaction aborted by a deadlock or a serialization failure is tried.
const ATTEMPTS: u32 = 5;

/// Runs a write operation, again when PostgreSQL aborted it as a deadlock or a
/// serialization failure (nothing of it was committed), a few times at most.
pub(crate) async fn retry<T, F, Fut>(mut operation: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut attempt = 1;
    loop {
        match operation().await {
            Err(error) if is_transient(&error) && attempt < ATTEMPTS => {
                tracing::debug!(%error, attempt, "transaction aborted by the database; running it again");
                attempt += 1;
                // A short, growing pause lets the other transaction finish first.
                tokio::time::sleep(StdDuration::from_millis(5 * u64::from(attempt))).await;
            }
            result => return result,
        }
    }
}

/// The id the next row of `table` gets, so that its sealed values can be
/// bound to it before the insert: taken from the table's identity sequence,
/// so concurrent transactions never take the same one.
pub(crate) async fn next_id(conn: &mut sqlx::PgConnection, table: &'static str) -> Result<i64> {
    sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence($1, 'id'))").bind(table).fetch_one(conn).await.map_err(db)
}

#[async_trait]
impl Store for PostgresStore {
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
        sqlx::query("UPDATE settings SET telegram_token_sealed = $1 WHERE id = 1")
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
        retry(|| services::create(self, draft)).await
    }
    async fn update_service(&self, id: ServiceId, draft: &ServiceDraft) -> Result<Service> {
        retry(|| services::update(self, id, draft)).await
    }
    async fn delete_service(&self, id: ServiceId, now: Timestamp) -> Result<()> {
        retry(|| services::delete(self, id, now)).await
    }

    async fn slots(&self, query: &SlotQuery) -> Result<Page<SlotView>> {
        slots::list(self, query).await
    }
    async fn slot(&self, id: SlotId) -> Result<SlotView> {
        slots::get(self, id).await
    }
    async fn create_slot(&self, staff: StaffId, starts_at: Timestamp) -> Result<SlotView> {
        retry(|| slots::create(self, staff, starts_at)).await
    }
    async fn generate_slots(
        &self,
        staff: StaffId,
        starts: &[GeneratedStart],
        replace: Option<(Timestamp, Timestamp)>,
    ) -> Result<Generated> {
        retry(|| slots::generate(self, staff, starts, replace)).await
    }
    async fn move_slot(&self, id: SlotId, starts_at: Timestamp) -> Result<SlotView> {
        retry(|| slots::move_to(self, id, starts_at)).await
    }
    async fn delete_slot(&self, id: SlotId, force: bool, now: Timestamp) -> Result<Vec<AppointmentId>> {
        retry(|| slots::delete(self, id, force, now)).await
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
        retry(|| staff::create(self, draft)).await
    }
    async fn update_staff(&self, id: StaffId, draft: &StaffDraft) -> Result<StaffMember> {
        retry(|| staff::update(self, id, draft)).await
    }
    async fn delete_staff(&self, id: StaffId, now: Timestamp) -> Result<()> {
        retry(|| staff::delete(self, id, now)).await
    }
    async fn set_service_staff(&self, service: ServiceId, members: &[StaffId]) -> Result<()> {
        retry(|| staff::set_service_staff(self, service, members)).await
    }
    async fn schedule(&self, id: StaffId) -> Result<Schedule> {
        staff::schedule(self, id).await
    }
    async fn set_weekly_hours(&self, id: StaffId, hours: &WeeklyHours) -> Result<()> {
        retry(|| staff::set_weekly_hours(self, id, hours)).await
    }
    async fn add_exception(&self, id: StaffId, draft: &ExceptionDraft) -> Result<HoursException> {
        retry(|| staff::add_exception(self, id, draft)).await
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
        retry(|| clients::create(self, draft)).await
    }
    async fn update_client(&self, id: ClientId, draft: &ClientDraft) -> Result<Client> {
        retry(|| clients::update(self, id, draft)).await
    }
    async fn erase_client(&self, id: ClientId, by: Actor, now: Timestamp) -> Result<()> {
        retry(|| clients::erase(self, id, by, now)).await
    }
    async fn client_notes(&self, id: ClientId) -> Result<String> {
        clients::notes(self, id).await
    }
    async fn set_client_notes(&self, id: ClientId, notes: &str) -> Result<()> {
        retry(|| clients::set_notes(self, id, notes)).await
    }

    async fn appointments(&self, query: &AppointmentQuery) -> Result<Page<AppointmentView>> {
        appointments::list(self, query).await
    }
    async fn appointment(&self, id: AppointmentId) -> Result<AppointmentView> {
        appointments::get(self, id).await
    }
    async fn book(&self, request: &BookingRequest, now: Timestamp) -> Result<AppointmentView> {
        retry(|| appointments::book(self, request, now)).await
    }
    async fn reschedule(&self, id: AppointmentId, change: &Reschedule, now: Timestamp) -> Result<AppointmentView> {
        retry(|| appointments::reschedule(self, id, change, now)).await
    }
    async fn transition(
        &self,
        id: AppointmentId,
        transition: &Transition,
        by: Actor,
        now: Timestamp,
    ) -> Result<(AppointmentView, bool)> {
        retry(|| appointments::transition(self, id, transition, by, now)).await
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
        retry(|| appointments::set_visit_price(self, id, price, by, now)).await
    }

    async fn schedule_due(&self, now: Timestamp) -> Result<u64> {
        retry(|| outbox::schedule_due(self, now)).await
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
            "INSERT INTO webhooks (id, url, secret_sealed, events, personal_fields, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
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
            sqlx::query("DELETE FROM webhooks WHERE id = $1").bind(id).execute(&self.pool).await.map_err(db)?;
        if deleted.rows_affected() == 0 {
            return Err(StoreError::not_found(zapys_store::Entity::Webhook, id));
        }
        self.committed(zapys_store::Entity::Webhook, id);
        Ok(())
    }

    async fn webhook_target(&self, id: i64) -> Result<Option<zapys_store::WebhookTarget>> {
        let row: Option<(String, Vec<u8>, String)> =
            sqlx::query_as("SELECT url, secret_sealed, personal_fields FROM webhooks WHERE id = $1")
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
            // An upsert: two new feeds made at once leave one of them, as SQLite's single writer does,
            // rather than a unique violation.
            sqlx::query(
                "INSERT INTO meta (key, value) VALUES ('calendar_feed_token_hash', $1), ('calendar_feed_created_at', $2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
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
            sqlx::query_scalar("SELECT state_sealed FROM bot_conversations WHERE chat_id = $1")
                .bind(chat_id)
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
        sealed.map(|s| self.cipher.open(sealing::CONVERSATION_STATE, chat_id, &s)).transpose()
    }

    async fn save_conversation(&self, chat_id: i64, state: &str, now: Timestamp) -> Result<()> {
        // The state may hold a name typed during registration.
        sqlx::query(
            "INSERT INTO bot_conversations (chat_id, state_sealed, updated_at) VALUES ($1, $2, $3)
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
        retry(|| auth::set_admin_password(self, username, password_hash)).await
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
        retry(|| self.count_attempt_in_db(limits, now)).await
    }

    async fn forgive_attempt(&self, forget: &[&str], uncount: &[&str]) -> Result<()> {
        retry(|| self.forgive_attempt_in_db(forget, uncount)).await
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

    /// A PostgreSQL database is backed up by its own tools, which know its
    /// server, roles and point-in-time recovery; Zapys does not reimplement them.
    async fn backup(&self, _path: &Path) -> Result<()> {
        Err(StoreError::Backend(
            "zapys backup copies SQLite databases only; back up PostgreSQL with pg_dump \
             (e.g. pg_dump --format=custom --file=zapys.dump \"$DATABASE_URL\") or the server's own backups"
                .into(),
        ))
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
        retry(|| self.add_support_message_in_db(draft, now)).await
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
