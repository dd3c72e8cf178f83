use jiff::Timestamp;
use sqlx::QueryBuilder;
use zapys_domain::{Actor, AppointmentId, SlotId, StaffId, SystemReason, Transition};
use zapys_store::{Entity, Generated, GeneratedStart, Page, SlotQuery, SlotView, StaffAvailability, StoreError};

use crate::rows::SlotRow;
use crate::{PostgresStore, Result, appointments, db, seconds};

const SLOT_COLUMNS: &str = "id, staff_id, starts_at, ends_by";

/// A slot is reserved while a booking that holds its time starts there, and covered while a booking
/// of its staff member holds its start (one starting there, or an earlier, longer one running over it).
const RESERVED: &str =
    "EXISTS (SELECT 1 FROM appointments a WHERE a.slot_id = slots.id AND a.status <> 'cancelled') AS reserved,
     EXISTS (SELECT 1 FROM appointments a WHERE a.staff_id = slots.staff_id AND a.status <> 'cancelled'
             AND a.blocked_from <= slots.starts_at AND a.blocked_until > slots.starts_at
             AND a.blocked_from > slots.starts_at - 115200) AS covered";

pub(crate) async fn list(store: &PostgresStore, query: &SlotQuery) -> Result<Page<SlotView>> {
    let filter = |builder: &mut QueryBuilder<sqlx::Postgres>| {
        builder.push(" WHERE 1 = 1");
        if let Some(from) = query.from {
            builder.push(" AND starts_at >= ").push_bind(seconds(from));
        }
        if let Some(to) = query.to {
            builder.push(" AND starts_at < ").push_bind(seconds(to));
        }
        if let Some(staff) = query.staff_id {
            builder.push(" AND staff_id = ").push_bind(staff.0);
        }
    };
    let mut count = QueryBuilder::new("SELECT COUNT(*) FROM slots");
    filter(&mut count);
    let total: i64 = count.build_query_scalar().fetch_one(&store.pool).await.map_err(db)?;

    let mut select = QueryBuilder::new(format!("SELECT {SLOT_COLUMNS}, {RESERVED} FROM slots"));
    filter(&mut select);
    select.push(if query.newest_first {
        " ORDER BY starts_at DESC, staff_id"
    } else {
        " ORDER BY starts_at, staff_id"
    });
    select
        .push(" LIMIT ")
        .push_bind(query.paging.limit.map(i64::from))
        .push(" OFFSET ")
        .push_bind(i64::from(query.paging.offset));
    let rows: Vec<SlotRow> = select.build_query_as().fetch_all(&store.pool).await.map_err(db)?;
    Ok(Page { items: rows.into_iter().map(SlotRow::into_view).collect::<Result<_>>()?, total: total.unsigned_abs() })
}

pub(crate) async fn get(store: &PostgresStore, id: SlotId) -> Result<SlotView> {
    get_in(&store.pool, id).await
}

async fn get_in<'e>(executor: impl sqlx::PgExecutor<'e>, id: SlotId) -> Result<SlotView> {
    let row: Option<SlotRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {SLOT_COLUMNS}, {RESERVED} FROM slots WHERE id = $1")))
            .bind(id.0)
            .fetch_optional(executor)
            .await
            .map_err(db)?;
    row.ok_or(StoreError::not_found(Entity::Slot, id.0))?.into_view()
}

fn taken(starts_at: Timestamp) -> impl FnOnce(StoreError) -> StoreError {
    move |e| match e {
        StoreError::Duplicate(_) => StoreError::Duplicate(format!("a slot at {starts_at} already exists")),
        other => other,
    }
}

pub(crate) async fn create(store: &PostgresStore, staff: StaffId, starts_at: Timestamp) -> Result<SlotView> {
    let mut tx = store.write().await?;
    crate::locks::staff(&mut tx, &[staff]).await?;
    crate::staff::referenced(&mut tx, staff).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO slots (staff_id, starts_at, created_at) VALUES ($1, $2, unixepoch()) RETURNING id",
    )
    .bind(staff.0)
    .bind(seconds(starts_at))
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| taken(starts_at)(db(e)))?;
    tx.commit().await.map_err(db)?;
    store.committed(Entity::Slot, id);
    get(store, SlotId(id)).await
}

pub(crate) async fn generate(
    store: &PostgresStore,
    staff: StaffId,
    starts: &[GeneratedStart],
    replace: Option<(Timestamp, Timestamp)>,
) -> Result<Generated> {
    let mut tx = store.write().await?;
    // A booking deciding on one of the times waits, so an unbooked time is not removed under it.
    crate::locks::staff(&mut tx, &[staff]).await?;
    crate::staff::referenced(&mut tx, staff).await?;
    let mut result = Generated::default();
    if let Some((from, to)) = replace {
        // What the new grid keeps stays as it is (same id), so only the times it drops are removed.
        let old: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, starts_at FROM slots WHERE staff_id = $1 AND generated AND starts_at >= $2 AND starts_at < $3
               AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.slot_id = slots.id)",
        )
        .bind(staff.0)
        .bind(seconds(from))
        .bind(seconds(to))
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        for (id, at) in old {
            if !starts.iter().any(|s| seconds(s.at) == at) {
                sqlx::query("DELETE FROM slots WHERE id = $1").bind(id).execute(&mut *tx).await.map_err(db)?;
                result.removed += 1;
            }
        }
    }
    for start in starts {
        result.added += sqlx::query(
            "INSERT INTO slots (staff_id, starts_at, ends_by, generated, created_at) VALUES ($1, $2, $3, TRUE, unixepoch())
             ON CONFLICT (staff_id, starts_at) DO NOTHING",
        )
        .bind(staff.0)
        .bind(seconds(start.at))
        .bind(seconds(start.ends_by))
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
        // A kept generated time follows the new hours' closing time.
        sqlx::query("UPDATE slots SET ends_by = $1 WHERE staff_id = $2 AND starts_at = $3 AND generated")
            .bind(seconds(start.ends_by))
            .bind(staff.0)
            .bind(seconds(start.at))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
    }
    tx.commit().await.map_err(db)?;
    if result.added > 0 || result.removed > 0 {
        store.committed(Entity::Slot, 0);
    }
    Ok(result)
}

/// Locks the staff member a slot belongs to, so that no booking decides on the slot meanwhile.
async fn lock_owner(conn: &mut sqlx::PgConnection, id: SlotId) -> Result<()> {
    if let Some(owner) = crate::locks::slot_owner(&mut *conn, id).await? {
        crate::locks::staff(conn, &[owner]).await?;
    }
    Ok(())
}

pub(crate) async fn move_to(store: &PostgresStore, id: SlotId, starts_at: Timestamp) -> Result<SlotView> {
    let mut tx = store.write().await?;
    lock_owner(&mut tx, id).await?;
    if get_in(&mut *tx, id).await?.reserved {
        return Err(StoreError::InUse("the slot is reserved; move its booking instead".into()));
    }
    // Moved by hand, it is no longer part of a generated grid.
    sqlx::query("UPDATE slots SET starts_at = $1, ends_by = NULL, generated = 0 WHERE id = $2")
        .bind(seconds(starts_at))
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(|e| taken(starts_at)(db(e)))?;
    tx.commit().await.map_err(db)?;
    store.committed(Entity::Slot, id.0);
    get(store, id).await
}

pub(crate) async fn delete(
    store: &PostgresStore,
    id: SlotId,
    force: bool,
    now: Timestamp,
) -> Result<Vec<AppointmentId>> {
    let mut tx = store.write().await?;
    lock_owner(&mut tx, id).await?;
    get_in(&mut *tx, id).await?;
    let booked: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM appointments WHERE slot_id = $1 AND status IN ('pending', 'confirmed') ORDER BY id",
    )
    .bind(id.0)
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    if !booked.is_empty() && !force {
        return Err(StoreError::InUse(
            "a booking starts at this time; cancel or move it first, or delete with force to cancel it".into(),
        ));
    }
    let cancel = Transition::Cancel { reason: Some(SystemReason::TimeWithdrawn.text().into()) };
    for &appointment in &booked {
        appointments::transition_in(
            &mut tx,
            &store.cipher,
            AppointmentId(appointment),
            &cancel,
            Actor::Admin,
            false,
            now,
        )
        .await?;
    }
    sqlx::query("DELETE FROM slots WHERE id = $1").bind(id.0).execute(&mut *tx).await.map_err(db)?;
    tx.commit().await.map_err(db)?;
    store.committed(Entity::Slot, id.0);
    for &appointment in &booked {
        store.committed(Entity::Appointment, appointment);
    }
    Ok(booked.into_iter().map(AppointmentId).collect())
}

pub(crate) async fn availability(
    store: &PostgresStore,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<StaffAvailability>> {
    crate::availability::window(store, from, to).await
}
