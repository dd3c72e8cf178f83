//! The waitlist: waits for a day, and the offers a freed time sends to them.

use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::PgConnection;
use zapys_domain::{AppointmentId, ClientId, Notice, StaffId};
use zapys_store::{Analytics, DataCipher, Entity, StoreError, Wait, WaitDraft, WaitView, WaitWindow};
use zapys_store_sql::waitlist::{COLUMNS, VIEW_COLUMNS, WaitRow, WaitViewRow};

use crate::sealing::OUTBOX_DETAIL;
use crate::{PostgresStore, Result, db, next_id, seconds};

/// A time was freed (a booking cancelled, or moved off it): tells each client waiting for it, in
/// the order they asked, inside the transaction that freed it. `staff` is whose time it was (when
/// left out, the booking's). Never the booking's own client, never for a time already past, never
/// for a wait whose day is over.
pub(crate) async fn offer_freed(
    conn: &mut PgConnection,
    cipher: &DataCipher,
    appointment: AppointmentId,
    freed_start: i64,
    staff: Option<StaffId>,
    now: Timestamp,
) -> Result<()> {
    if freed_start <= seconds(now) {
        return Ok(());
    }
    let (client, own_staff): (i64, i64) = sqlx::query_as("SELECT client_id, staff_id FROM appointments WHERE id = $1")
        .bind(appointment.0)
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
    let staff = staff.map_or(own_staff, |s| s.0);
    let waiting: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT w.id, c.telegram_id FROM waits w JOIN clients c ON c.id = w.client_id
         WHERE w.booked_appointment_id IS NULL AND w.window_from <= $1 AND $2 < w.window_until AND w.expires_at > $3
           AND (w.staff_id IS NULL OR w.staff_id = $4) AND w.client_id <> $5
           AND c.erased_at IS NULL AND c.telegram_id IS NOT NULL
         ORDER BY w.created_at, w.id",
    )
    .bind(freed_start)
    .bind(freed_start)
    .bind(seconds(now))
    .bind(staff)
    .bind(client)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    for (wait, chat) in waiting {
        let id = next_id(&mut *conn, "outbox").await?;
        sqlx::query(
            "INSERT INTO outbox (id, chat_id, kind, appointment_id, starts_at, detail_sealed, created_at, due_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(chat)
        .bind(Notice::WaitlistOffer.name())
        .bind(appointment.0)
        .bind(freed_start)
        .bind(cipher.seal(OUTBOX_DETAIL, id, &wait.to_string()))
        .bind(seconds(now))
        .bind(seconds(now))
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    }
    Ok(())
}

/// Forgets the waits of a client being erased (inside the erasing transaction). Those that turned
/// into bookings stay, as the bookings do, tied to the anonymised client.
pub(crate) async fn erase(conn: &mut PgConnection, client: ClientId) -> Result<()> {
    sqlx::query("DELETE FROM waits WHERE client_id = $1 AND booked_appointment_id IS NULL")
        .bind(client.0)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn join(store: &PostgresStore, draft: &WaitDraft, now: Timestamp) -> Result<Wait> {
    let window = WaitWindow::of(&store.current_settings().timezone, draft.day, draft.around);
    let mut tx = store.write().await?;
    // Locked like every decision about a client, so a join racing an erasure cannot outlive it.
    crate::locks::clients(&mut tx, &[draft.client_id]).await?;
    let client: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM clients WHERE id = $1 AND erased_at IS NULL)")
        .bind(draft.client_id.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
    if !client {
        return Err(StoreError::UnknownReference { entity: Entity::Client, id: draft.client_id.0 });
    }
    let service: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM services WHERE id = $1 AND deleted_at IS NULL)")
            .bind(draft.service_id.0)
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
    if !service {
        return Err(StoreError::UnknownReference { entity: Entity::Service, id: draft.service_id.0 });
    }
    if let Some(staff) = draft.staff_id {
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM staff WHERE id = $1 AND deleted_at IS NULL)")
                .bind(staff.0)
                .fetch_one(&mut *tx)
                .await
                .map_err(db)?;
        if !exists {
            return Err(StoreError::UnknownReference { entity: Entity::Staff, id: staff.0 });
        }
    }
    let id = next_id(&mut tx, "waits").await?;
    sqlx::query(
        "INSERT INTO waits (id, client_id, service_id, staff_id, day, around, day_starts_at, expires_at, window_from,
             window_until, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id)
    .bind(draft.client_id.0)
    .bind(draft.service_id.0)
    .bind(draft.staff_id.map(|s| s.0))
    .bind(draft.day.to_string())
    .bind(draft.around)
    .bind(seconds(window.day_starts))
    .bind(seconds(window.expires_at))
    .bind(seconds(window.from))
    .bind(seconds(window.until))
    .bind(seconds(now))
    .execute(&mut *tx)
    .await
    .map_err(|e| match db(e) {
        StoreError::Duplicate(_) => StoreError::Duplicate("the client already waits for that day".into()),
        other => other,
    })?;
    tx.commit().await.map_err(db)?;
    store.committed(Entity::Wait, id);
    get(store, id).await
}

pub(crate) async fn get(store: &PostgresStore, id: i64) -> Result<Wait> {
    let row: Option<WaitRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM waits w WHERE w.id = $1")))
            .bind(id)
            .fetch_optional(&store.pool)
            .await
            .map_err(db)?;
    row.ok_or(StoreError::not_found(Entity::Wait, id))?.into_wait()
}

pub(crate) async fn of_client(store: &PostgresStore, client: ClientId, now: Timestamp) -> Result<Vec<Wait>> {
    let rows: Vec<WaitRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM waits w WHERE w.client_id = $1 AND w.booked_appointment_id IS NULL AND w.expires_at > $2
         ORDER BY w.day, w.created_at, w.id"
    )))
    .bind(client.0)
    .bind(seconds(now))
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    rows.into_iter().map(WaitRow::into_wait).collect()
}

pub(crate) async fn leave(store: &PostgresStore, client: ClientId, id: i64) -> Result<()> {
    let left = sqlx::query("DELETE FROM waits WHERE id = $1 AND client_id = $2 AND booked_appointment_id IS NULL")
        .bind(id)
        .bind(client.0)
        .execute(&store.pool)
        .await
        .map_err(db)?;
    if left.rows_affected() == 0 {
        return Err(StoreError::not_found(Entity::Wait, id));
    }
    store.committed(Entity::Wait, id);
    Ok(())
}

pub(crate) async fn booked(store: &PostgresStore, id: i64, appointment: AppointmentId, now: Timestamp) -> Result<()> {
    let done = sqlx::query(
        "UPDATE waits SET booked_appointment_id = $1, booked_at = $2 WHERE id = $3 AND booked_appointment_id IS NULL",
    )
    .bind(appointment.0)
    .bind(seconds(now))
    .bind(id)
    .execute(&store.pool)
    .await
    .map_err(db)?;
    if done.rows_affected() == 0 {
        get(store, id).await?;
        return Err(StoreError::Conflict(format!("wait {id} already turned into a booking")));
    }
    store.committed(Entity::Wait, id);
    Ok(())
}

pub(crate) async fn list(store: &PostgresStore, from: Date, to: Date) -> Result<Vec<WaitView>> {
    let rows: Vec<WaitViewRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {VIEW_COLUMNS} FROM waits w JOIN clients c ON c.id = w.client_id JOIN services s ON s.id = w.service_id
             LEFT JOIN staff m ON m.id = w.staff_id
         WHERE w.day >= $1 AND w.day <= $2 ORDER BY w.day, w.created_at, w.id"
    )))
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    rows.into_iter().map(|r| r.into_view(&store.cipher)).collect()
}

/// Waits for days starting in `[from, to)`, and those of them that turned into bookings.
pub(crate) async fn figures(
    store: &PostgresStore,
    analytics: &mut Analytics,
    from: Timestamp,
    to: Timestamp,
) -> Result<()> {
    let (waits, booked): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(booked_appointment_id) FROM waits WHERE day_starts_at >= $1 AND day_starts_at < $2",
    )
    .bind(seconds(from))
    .bind(seconds(to))
    .fetch_one(&store.pool)
    .await
    .map_err(db)?;
    analytics.waits = waits.unsigned_abs();
    analytics.waits_booked = booked.unsigned_abs();
    Ok(())
}
