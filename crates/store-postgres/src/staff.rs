//! Staff members, the services they perform, and when they work.

use jiff::Timestamp;
use sqlx::PgConnection;
use zapys_domain::time::format_date;
use zapys_domain::{
    ExceptionDraft, HoursException, Price, Schedule, ServiceId, StaffDraft, StaffId, StaffMember, StaffService,
    WeeklyHours,
};
use zapys_store::{Entity, StoreError};
use zapys_store_sql::staff::{ExceptionRow, HoursRow, PERFORMS, PerformsRow, StaffRow, member, minute};

use crate::sealing::EXCEPTION_NOTE;
use crate::{PostgresStore, Result, db, next_id, seconds};

pub(crate) async fn list(store: &PostgresStore) -> Result<Vec<StaffMember>> {
    let rows: Vec<StaffRow> = sqlx::query_as(
        "SELECT id, name, description, color, hidden, telegram_chat_id FROM staff
         WHERE deleted_at IS NULL ORDER BY name, id",
    )
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    let performs: Vec<PerformsRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{PERFORMS} ORDER BY ss.service_id")))
        .fetch_all(&store.pool)
        .await
        .map_err(db)?;
    rows.into_iter().map(|row| member(row, &performs)).collect()
}

pub(crate) async fn get_in(conn: &mut PgConnection, id: StaffId) -> Result<StaffMember> {
    let row: Option<StaffRow> = sqlx::query_as(
        "SELECT id, name, description, color, hidden, telegram_chat_id FROM staff WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db)?;
    let row = row.ok_or(StoreError::not_found(Entity::Staff, id.0))?;
    let performs: Vec<PerformsRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{PERFORMS} WHERE ss.staff_id = $1 ORDER BY ss.service_id")))
            .bind(id.0)
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?;
    member(row, &performs)
}

/// A staff member another record refers to: one who was not deleted, else an unknown reference.
pub(crate) async fn referenced(conn: &mut PgConnection, id: StaffId) -> Result<StaffMember> {
    get_in(conn, id).await.map_err(|e| match e {
        StoreError::NotFound { .. } => StoreError::UnknownReference { entity: Entity::Staff, id: id.0 },
        other => other,
    })
}

pub(crate) async fn get(store: &PostgresStore, id: StaffId) -> Result<StaffMember> {
    let mut conn = store.pool.acquire().await.map_err(db)?;
    get_in(&mut conn, id).await
}

async fn write_services(conn: &mut PgConnection, id: StaffId, services: &[StaffService]) -> Result<()> {
    StaffDraft::check_services(services).map_err(|e| StoreError::Conflict(e.0))?;
    sqlx::query("DELETE FROM staff_services WHERE staff_id = $1").bind(id.0).execute(&mut *conn).await.map_err(db)?;
    for s in services {
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM services WHERE id = $1 AND deleted_at IS NULL)")
                .bind(s.service_id.0)
                .fetch_one(&mut *conn)
                .await
                .map_err(db)?;
        if !exists {
            return Err(StoreError::UnknownReference { entity: Entity::Service, id: s.service_id.0 });
        }
        sqlx::query(
            "INSERT INTO staff_services (staff_id, service_id, duration_minutes, price_cents) VALUES ($1, $2, $3, $4)",
        )
        .bind(id.0)
        .bind(s.service_id.0)
        .bind(s.duration.map(|d| i64::from(d.minutes())))
        .bind(s.price.map(Price::cents))
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    }
    Ok(())
}

pub(crate) async fn create(store: &PostgresStore, draft: &StaffDraft) -> Result<StaffMember> {
    let mut tx = store.write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO staff (name, description, color, hidden, telegram_chat_id, created_at)
         VALUES ($1, $2, $3, $4, $5, unixepoch()) RETURNING id",
    )
    .bind(draft.name.as_str())
    .bind(&draft.description)
    .bind(draft.color.as_str())
    .bind(draft.hidden)
    .bind(draft.telegram_chat_id)
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    write_services(&mut tx, StaffId(id), &draft.services).await?;
    let created = get_in(&mut tx, StaffId(id)).await?;
    tx.commit().await.map_err(db)?;
    store.committed(Entity::Staff, id);
    Ok(created)
}

pub(crate) async fn update(store: &PostgresStore, id: StaffId, draft: &StaffDraft) -> Result<StaffMember> {
    let mut tx = store.write().await?;
    let updated = sqlx::query(
        "UPDATE staff SET name = $1, description = $2, color = $3, hidden = $4, telegram_chat_id = $5
         WHERE id = $6 AND deleted_at IS NULL",
    )
    .bind(draft.name.as_str())
    .bind(&draft.description)
    .bind(draft.color.as_str())
    .bind(draft.hidden)
    .bind(draft.telegram_chat_id)
    .bind(id.0)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::not_found(Entity::Staff, id.0));
    }
    write_services(&mut tx, id, &draft.services).await?;
    let member = get_in(&mut tx, id).await?;
    tx.commit().await.map_err(db)?;
    store.committed(Entity::Staff, id.0);
    Ok(member)
}

pub(crate) async fn delete(store: &PostgresStore, id: StaffId, now: Timestamp) -> Result<()> {
    let mut tx = store.write().await?;
    // No booking of theirs can be made between the count and the deletion.
    crate::locks::staff(&mut tx, &[id]).await?;
    get_in(&mut tx, id).await?;
    let ahead: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM appointments WHERE staff_id = $1 AND status IN ('pending', 'confirmed') AND ends_at > $2",
    )
    .bind(id.0)
    .bind(seconds(now))
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    if ahead > 0 {
        return Err(StoreError::InUse(format!(
            "this staff member has {ahead} upcoming booking(s); move or cancel them first, or hide the staff member instead"
        )));
    }
    // Their unbooked times go; booked past ones stay for history. Services and hours go with them.
    sqlx::query(
        "DELETE FROM slots WHERE staff_id = $1 AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.slot_id = slots.id)",
    )
    .bind(id.0)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    for table in ["staff_services", "staff_hours", "staff_exceptions"] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE staff_id = $1")))
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
    }
    sqlx::query("UPDATE staff SET deleted_at = $1, telegram_chat_id = NULL WHERE id = $2")
        .bind(seconds(now))
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    tx.commit().await.map_err(db)?;
    store.committed(Entity::Staff, id.0);
    Ok(())
}

pub(crate) async fn set_service_staff(store: &PostgresStore, service: ServiceId, staff: &[StaffId]) -> Result<()> {
    let mut tx = store.write().await?;
    for &id in staff {
        referenced(&mut tx, id).await?;
    }
    let current: Vec<i64> = sqlx::query_scalar("SELECT staff_id FROM staff_services WHERE service_id = $1")
        .bind(service.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
    for gone in current.iter().filter(|id| !staff.iter().any(|s| s.0 == **id)) {
        sqlx::query("DELETE FROM staff_services WHERE service_id = $1 AND staff_id = $2")
            .bind(service.0)
            .bind(gone)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
    }
    for id in staff.iter().filter(|s| !current.contains(&s.0)) {
        sqlx::query("INSERT INTO staff_services (staff_id, service_id) VALUES ($1, $2)")
            .bind(id.0)
            .bind(service.0)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
    }
    tx.commit().await.map_err(db)?;
    store.committed(Entity::Staff, 0);
    Ok(())
}

/// Every staff member of a new service: the business's current staff.
pub(crate) async fn perform_new_service(conn: &mut PgConnection, service: ServiceId) -> Result<()> {
    sqlx::query("INSERT INTO staff_services (staff_id, service_id) SELECT id, $1 FROM staff WHERE deleted_at IS NULL")
        .bind(service.0)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    Ok(())
}

/// Every staff member's schedule, by id; staff without any hours are left out.
pub(crate) async fn schedules(
    conn: &mut PgConnection,
    cipher: &zapys_store::DataCipher,
) -> Result<Vec<(StaffId, Schedule)>> {
    let hours: Vec<HoursRow> =
        sqlx::query_as("SELECT staff_id, weekday, from_minute, to_minute FROM staff_hours ORDER BY staff_id")
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?;
    let exceptions: Vec<ExceptionRow> = sqlx::query_as(
        "SELECT id, staff_id, date_from, date_to, stretches, note_sealed FROM staff_exceptions ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    zapys_store_sql::staff::schedules(&hours, &exceptions, cipher)
}

pub(crate) async fn schedule(store: &PostgresStore, id: StaffId) -> Result<Schedule> {
    let mut conn = store.pool.acquire().await.map_err(db)?;
    get_in(&mut conn, id).await?;
    Ok(schedules(&mut conn, &store.cipher)
        .await?
        .into_iter()
        .find(|(s, _)| *s == id)
        .map(|(_, s)| s)
        .unwrap_or_default())
}

pub(crate) async fn set_weekly_hours(store: &PostgresStore, id: StaffId, hours: &WeeklyHours) -> Result<()> {
    let mut tx = store.write().await?;
    // Bookings check the hours: they decide before or after the change, not during it.
    crate::locks::staff(&mut tx, &[id]).await?;
    get_in(&mut tx, id).await?;
    sqlx::query("DELETE FROM staff_hours WHERE staff_id = $1").bind(id.0).execute(&mut *tx).await.map_err(db)?;
    for (weekday, s) in hours.iter() {
        sqlx::query("INSERT INTO staff_hours (staff_id, weekday, from_minute, to_minute) VALUES ($1, $2, $3, $4)")
            .bind(id.0)
            .bind(i64::from(weekday))
            .bind(minute(s.from))
            .bind(minute(s.to))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
    }
    tx.commit().await.map_err(db)?;
    store.committed(Entity::Staff, id.0);
    Ok(())
}

pub(crate) async fn add_exception(
    store: &PostgresStore,
    id: StaffId,
    draft: &ExceptionDraft,
) -> Result<HoursException> {
    let mut tx = store.write().await?;
    crate::locks::staff(&mut tx, &[id]).await?;
    get_in(&mut tx, id).await?;
    let exception = next_id(&mut tx, "staff_exceptions").await?;
    let stretches = zapys_store_sql::staff::stretches_json(&draft.stretches)?;
    let note = (!draft.note.is_empty()).then(|| store.cipher.seal(EXCEPTION_NOTE, exception, &draft.note));
    sqlx::query(
        "INSERT INTO staff_exceptions (id, staff_id, date_from, date_to, stretches, note_sealed, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, unixepoch())",
    )
    .bind(exception)
    .bind(id.0)
    .bind(format_date(draft.date_from))
    .bind(format_date(draft.date_to))
    .bind(stretches)
    .bind(note)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    tx.commit().await.map_err(db)?;
    store.committed(Entity::Staff, id.0);
    Ok(HoursException {
        id: exception,
        date_from: draft.date_from,
        date_to: draft.date_to,
        stretches: draft.stretches.clone(),
        note: draft.note.clone(),
    })
}

pub(crate) async fn delete_exception(store: &PostgresStore, id: StaffId, exception: i64) -> Result<()> {
    let deleted = sqlx::query("DELETE FROM staff_exceptions WHERE id = $1 AND staff_id = $2")
        .bind(exception)
        .bind(id.0)
        .execute(&store.pool)
        .await
        .map_err(db)?;
    if deleted.rows_affected() == 0 {
        return Err(StoreError::not_found(Entity::HoursException, exception));
    }
    store.committed(Entity::Staff, id.0);
    Ok(())
}
