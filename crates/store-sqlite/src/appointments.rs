//! Booking, moving and changing the status of appointments.
//!
//! Each decision reads its facts and writes its result inside one
//! `BEGIN IMMEDIATE` transaction, so nothing can change in between.

use jiff::Timestamp;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, Transaction};
use zapys_domain::notice::Change;
use zapys_domain::{Actor, AppointmentId, BookingFacts, ClientId, Duration, ServiceId, SlotId, Status, Transition};
use zapys_store::{
    AppointmentEvent, AppointmentQuery, AppointmentView, BookingRequest, DataCipher, Entity, Page, Reschedule,
    StatusFilter, StoreError, Target,
};

use crate::rows::{APPOINTMENT_SELECT, AppointmentRow};
use crate::sealing::{APPOINTMENT_NOTES, CANCEL_REASON, EVENT_DETAIL};
use crate::{Result, SqliteStore, clients, db, instant, next_id, outbox, seconds};

pub(crate) async fn list(store: &SqliteStore, query: &AppointmentQuery) -> Result<Page<AppointmentView>> {
    let client_ids = match query.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => {
            let ids: Vec<i64> = clients::matching(store, &text.to_lowercase()).await?.iter().map(|c| c.id.0).collect();
            if ids.is_empty() {
                return Ok(Page { items: Vec::new(), total: 0 });
            }
            Some(ids)
        }
        None => None,
    };
    let filter = |b: &mut QueryBuilder<Sqlite>| {
        b.push(" WHERE 1 = 1");
        if let Some(from) = query.from {
            b.push(" AND a.starts_at >= ").push_bind(seconds(from));
        }
        if let Some(to) = query.to {
            b.push(" AND a.starts_at < ").push_bind(seconds(to));
        }
        match query.status {
            StatusFilter::Any => {}
            StatusFilter::Active => {
                b.push(" AND a.status IN ('pending', 'confirmed')");
            }
            StatusFilter::Only(status) => {
                b.push(" AND a.status = ").push_bind(status.name());
            }
        }
        if let Some(service) = query.service_id {
            b.push(" AND a.service_id = ").push_bind(service.0);
        }
        if let Some(client) = query.client_id {
            b.push(" AND a.client_id = ").push_bind(client.0);
        }
        if let Some(telegram) = query.telegram_id {
            b.push(" AND c.telegram_id = ").push_bind(telegram.0);
        }
        if let Some(ids) = &client_ids {
            b.push(" AND a.client_id IN (");
            let mut list = b.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            b.push(")");
        }
    };
    let mut count = QueryBuilder::new("SELECT COUNT(*) FROM appointments a JOIN clients c ON c.id = a.client_id");
    filter(&mut count);
    let total: i64 = count.build_query_scalar().fetch_one(&store.pool).await.map_err(db)?;

    let mut select = QueryBuilder::new(APPOINTMENT_SELECT);
    filter(&mut select);
    select.push(if query.newest_first {
        " ORDER BY a.starts_at DESC, a.id DESC"
    } else {
        " ORDER BY a.starts_at, a.id"
    });
    select
        .push(" LIMIT ")
        .push_bind(query.paging.limit.map_or(-1, i64::from))
        .push(" OFFSET ")
        .push_bind(i64::from(query.paging.offset));
    let rows: Vec<AppointmentRow> = select.build_query_as().fetch_all(&store.pool).await.map_err(db)?;
    let items = rows.into_iter().map(|r| r.into_view(&store.cipher)).collect::<Result<_>>()?;
    Ok(Page { items, total: total.unsigned_abs() })
}

pub(crate) async fn get(store: &SqliteStore, id: AppointmentId) -> Result<AppointmentView> {
    let row: Option<AppointmentRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{APPOINTMENT_SELECT} WHERE a.id = ?")))
            .bind(id.0)
            .fetch_optional(&store.pool)
            .await
            .map_err(db)?;
    row.ok_or(StoreError::not_found(Entity::Appointment, id.0))?.into_view(&store.cipher)
}

struct ServiceFacts {
    duration: Duration,
    hidden: bool,
    price_cents: Option<i64>,
}

async fn service_facts(conn: &mut SqliteConnection, id: ServiceId) -> Result<ServiceFacts> {
    let row: Option<(i64, bool, Option<i64>)> = sqlx::query_as(
        "SELECT duration_minutes, hidden, price_cents FROM services WHERE id = ? AND deleted_at IS NULL",
    )
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db)?;
    let (minutes, hidden, price_cents) =
        row.ok_or(StoreError::UnknownReference { entity: Entity::Service, id: id.0 })?;
    let duration = Duration::from_minutes(minutes).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(ServiceFacts { duration, hidden, price_cents })
}

async fn ensure_client(conn: &mut SqliteConnection, id: ClientId) -> Result<()> {
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM clients WHERE id = ? AND erased_at IS NULL)")
        .bind(id.0)
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
    if exists { Ok(()) } else { Err(StoreError::UnknownReference { entity: Entity::Client, id: id.0 }) }
}

async fn slot_start(conn: &mut SqliteConnection, id: SlotId) -> Result<Timestamp> {
    let start: Option<i64> = sqlx::query_scalar("SELECT starts_at FROM slots WHERE id = ?")
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?;
    instant(start.ok_or(StoreError::UnknownReference { entity: Entity::Slot, id: id.0 })?)
}

/// The slot starting at `at`, made if there is none.
async fn slot_at(conn: &mut SqliteConnection, at: Timestamp) -> Result<SlotId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO slots (starts_at, created_at) VALUES (?, unixepoch())
         ON CONFLICT (starts_at) DO UPDATE SET starts_at = excluded.starts_at RETURNING id",
    )
    .bind(seconds(at))
    .fetch_one(&mut *conn)
    .await
    .map_err(db)?;
    Ok(SlotId(id))
}

/// Does `[start, end)` overlap a booking that holds its time (other than `except`)?
async fn overlaps(
    conn: &mut SqliteConnection,
    start: Timestamp,
    end: Timestamp,
    except: Option<AppointmentId>,
) -> Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM appointments
            WHERE status <> 'cancelled' AND id IS NOT ?
              AND starts_at > ? AND starts_at < ? AND ends_at > ?)",
    )
    .bind(except.map(|a| a.0))
    .bind(seconds(start) - 86_400)
    .bind(seconds(end))
    .bind(seconds(start))
    .fetch_one(&mut *conn)
    .await
    .map_err(db)
}

async fn active_future(
    conn: &mut SqliteConnection,
    client: ClientId,
    now: Timestamp,
    except: Option<AppointmentId>,
) -> Result<u32> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM appointments
         WHERE client_id = ? AND status IN ('pending', 'confirmed') AND starts_at > ? AND id IS NOT ?",
    )
    .bind(client.0)
    .bind(seconds(now))
    .bind(except.map(|a| a.0))
    .fetch_one(&mut *conn)
    .await
    .map_err(db)?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// Notes are sealed when there are any; no notes are stored as NULL.
fn seal_notes(cipher: &DataCipher, id: i64, notes: &str) -> Option<Vec<u8>> {
    (!notes.is_empty()).then(|| cipher.seal(APPOINTMENT_NOTES, id, notes))
}

async fn record(
    conn: &mut SqliteConnection,
    cipher: &DataCipher,
    id: AppointmentId,
    kind: &str,
    actor: Actor,
    at: Timestamp,
    detail: Option<&str>,
) -> Result<()> {
    let event = next_id(&mut *conn, "appointment_events").await?;
    sqlx::query(
        "INSERT INTO appointment_events (id, appointment_id, kind, actor, at, detail_sealed) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(event)
    .bind(id.0)
    .bind(kind)
    .bind(actor.name())
    .bind(seconds(at))
    .bind(detail.map(|d| cipher.seal(EVENT_DETAIL, event, d)))
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn book(store: &SqliteStore, request: &BookingRequest, now: Timestamp) -> Result<AppointmentView> {
    let settings = store.current_settings();
    let mut tx = store.write().await?;
    let service = service_facts(&mut tx, request.service_id).await?;
    ensure_client(&mut tx, request.client_id).await?;
    let starts_at = slot_start(&mut tx, request.slot_id).await?;
    let ends_at = starts_at + service.duration.span();
    let facts = BookingFacts {
        starts_at,
        source: request.source,
        service_hidden: service.hidden,
        client_active_future: active_future(&mut tx, request.client_id, now, None).await?,
        overlaps: overlaps(&mut tx, starts_at, ends_at, None).await?,
    };
    settings.policy().check(&facts, now)?;

    let status = if settings.auto_confirm { Status::Confirmed } else { Status::Pending };
    let id = next_id(&mut tx, "appointments").await?;
    sqlx::query(
        "INSERT INTO appointments (id, client_id, service_id, slot_id, starts_at, ends_at, status, notes_sealed,
             source, price_cents, created_at, updated_at, scheduled_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(request.client_id.0)
    .bind(request.service_id.0)
    .bind(request.slot_id.0)
    .bind(seconds(starts_at))
    .bind(seconds(ends_at))
    .bind(status.name())
    .bind(seal_notes(&store.cipher, id, &request.notes))
    .bind(request.source.name())
    .bind(service.price_cents)
    .bind(seconds(now))
    .bind(seconds(now))
    .bind(seconds(now))
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    let id = AppointmentId(id);
    let cipher = &store.cipher;
    record(&mut tx, cipher, id, "booked", request.source.actor(), now, None).await?;
    let booked = Change::Booked { source: request.source };
    outbox::enqueue(&mut tx, cipher, id, booked, None, settings.thank_you, now).await?;
    tx.commit().await.map_err(db)?;
    store.committed(Entity::Appointment, id.0);
    get(store, id).await
}

pub(crate) async fn reschedule(
    store: &SqliteStore,
    id: AppointmentId,
    change: &Reschedule,
    now: Timestamp,
) -> Result<AppointmentView> {
    let settings = store.current_settings();
    let mut tx = store.write().await?;
    let current: Option<(i64, i64, Option<i64>, i64, String)> =
        sqlx::query_as("SELECT client_id, service_id, slot_id, starts_at, status FROM appointments WHERE id = ?")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
    let (client_id, service_id, slot_id, starts_at, status) =
        current.ok_or(StoreError::not_found(Entity::Appointment, id.0))?;
    let actor = change.source.actor();

    if change.target.is_none() && change.service_id.is_none() && change.client_id.is_none() {
        if let Some(notes) = &change.notes {
            sqlx::query("UPDATE appointments SET notes_sealed = ?, updated_at = ? WHERE id = ?")
                .bind(seal_notes(&store.cipher, id.0, notes))
                .bind(seconds(now))
                .bind(id.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            record(&mut tx, &store.cipher, id, "edited", actor, now, None).await?;
        }
        tx.commit().await.map_err(db)?;
        store.committed(Entity::Appointment, id.0);
        return get(store, id).await;
    }

    if !Status::from_name(&status).is_some_and(Status::is_active) {
        return Err(StoreError::Conflict(format!("a {status} appointment cannot be changed; book a new one")));
    }
    let service_id = change.service_id.unwrap_or(ServiceId(service_id));
    let client_id = change.client_id.unwrap_or(ClientId(client_id));
    let service = service_facts(&mut tx, service_id).await?;
    ensure_client(&mut tx, client_id).await?;
    let (slot_id, new_start) = match change.target {
        None => (slot_id.map(SlotId), instant(starts_at)?),
        Some(Target::Slot(slot)) => (Some(slot), slot_start(&mut tx, slot).await?),
        Some(Target::At(at)) => (Some(slot_at(&mut tx, at).await?), at),
    };
    let new_end = new_start + service.duration.span();
    let facts = BookingFacts {
        starts_at: new_start,
        source: change.source,
        service_hidden: service.hidden,
        client_active_future: active_future(&mut tx, client_id, now, Some(id)).await?,
        overlaps: overlaps(&mut tx, new_start, new_end, Some(id)).await?,
    };
    settings.policy().check(&facts, now)?;

    sqlx::query(
        "UPDATE appointments SET client_id = ?, service_id = ?, slot_id = ?, starts_at = ?, ends_at = ?,
             notes_sealed = CASE WHEN ? THEN ? ELSE notes_sealed END, price_cents = CASE WHEN service_id = ? THEN price_cents ELSE ? END,
             scheduled_at = CASE WHEN starts_at = ? THEN scheduled_at ELSE ? END, updated_at = ?
         WHERE id = ?",
    )
    .bind(client_id.0)
    .bind(service_id.0)
    .bind(slot_id.map(|s| s.0))
    .bind(seconds(new_start))
    .bind(seconds(new_end))
    .bind(change.notes.is_some())
    .bind(change.notes.as_deref().and_then(|notes| seal_notes(&store.cipher, id.0, notes)))
    .bind(service_id.0)
    .bind(service.price_cents)
    .bind(seconds(new_start))
    .bind(seconds(now))
    .bind(seconds(now))
    .bind(id.0)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    let detail = format!("from {} to {new_start}", instant(starts_at)?);
    record(&mut tx, &store.cipher, id, "moved", actor, now, Some(&detail)).await?;
    if seconds(new_start) != starts_at {
        let former = instant(starts_at)?.to_string();
        let moved = Change::Moved { by: actor };
        outbox::enqueue(&mut tx, &store.cipher, id, moved, Some(&former), settings.thank_you, now).await?;
    }
    tx.commit().await.map_err(db)?;
    store.committed(Entity::Appointment, id.0);
    get(store, id).await
}

/// Applies a transition inside an open write transaction; answers whether anything changed.
pub(crate) async fn transition_in(
    tx: &mut Transaction<'static, Sqlite>,
    cipher: &DataCipher,
    id: AppointmentId,
    transition: &Transition,
    by: Actor,
    thank_you: bool,
    now: Timestamp,
) -> Result<bool> {
    let row: Option<(String, i64)> = sqlx::query_as("SELECT status, starts_at FROM appointments WHERE id = ?")
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db)?;
    let (status, starts_at) = row.ok_or(StoreError::not_found(Entity::Appointment, id.0))?;
    let from = Status::from_name(&status).ok_or_else(|| StoreError::Corrupt(format!("appointment status {status}")))?;
    let Some(to) = transition.apply(from, instant(starts_at)?, now)? else {
        return Ok(false);
    };
    let reason = match transition {
        Transition::Cancel { reason } => reason.as_deref(),
        _ => None,
    };
    let cancelled = to == Status::Cancelled;
    sqlx::query(
        "UPDATE appointments SET status = ?, updated_at = ?,
             cancelled_by = CASE WHEN ? THEN ? END, cancelled_at = CASE WHEN ? THEN ? END,
             cancel_reason_sealed = CASE WHEN ? THEN ? END
         WHERE id = ?",
    )
    .bind(to.name())
    .bind(seconds(now))
    .bind(cancelled)
    .bind(by.name())
    .bind(cancelled)
    .bind(seconds(now))
    .bind(cancelled)
    .bind(reason.map(|r| cipher.seal(CANCEL_REASON, id.0, r)))
    .bind(id.0)
    .execute(&mut **tx)
    .await
    .map_err(db)?;
    record(tx, cipher, id, to.name(), by, now, reason).await?;
    outbox::enqueue(tx, cipher, id, Change::StatusChanged { to, by }, reason, thank_you, now).await?;
    Ok(true)
}

pub(crate) async fn transition(
    store: &SqliteStore,
    id: AppointmentId,
    transition: &Transition,
    by: Actor,
    now: Timestamp,
) -> Result<(AppointmentView, bool)> {
    let thank_you = store.current_settings().thank_you;
    let mut tx = store.write().await?;
    let changed = transition_in(&mut tx, &store.cipher, id, transition, by, thank_you, now).await?;
    tx.commit().await.map_err(db)?;
    if changed {
        store.committed(Entity::Appointment, id.0);
    }
    Ok((get(store, id).await?, changed))
}

/// id, at, kind, actor, sealed detail.
type EventRow = (i64, i64, String, String, Option<Vec<u8>>);

pub(crate) async fn events(store: &SqliteStore, id: AppointmentId) -> Result<Vec<AppointmentEvent>> {
    get(store, id).await?;
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT id, at, kind, actor, detail_sealed FROM appointment_events WHERE appointment_id = ? ORDER BY id",
    )
    .bind(id.0)
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    rows.into_iter()
        .map(|(event, at, kind, actor, detail)| {
            let detail = detail.map(|d| store.cipher.open(EVENT_DETAIL, event, &d)).transpose()?;
            Ok(AppointmentEvent {
                at: instant(at)?,
                kind,
                actor: Actor::from_name(&actor).ok_or_else(|| StoreError::Corrupt(format!("event actor {actor}")))?,
                detail,
            })
        })
        .collect()
}
