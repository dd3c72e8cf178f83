use jiff::Timestamp;
use sqlx::QueryBuilder;
use zapys_domain::{Actor, AppointmentId, Busy, SlotId, SystemReason, Transition};
use zapys_store::{Entity, Page, SlotQuery, SlotView, StoreError};

use crate::rows::SlotRow;
use crate::{Result, SqliteStore, appointments, db, seconds};

/// A slot is reserved while a booking that holds its time starts there.
const RESERVED: &str =
    "EXISTS (SELECT 1 FROM appointments a WHERE a.slot_id = slots.id AND a.status <> 'cancelled') AS reserved";

pub(crate) async fn list(store: &SqliteStore, query: &SlotQuery) -> Result<Page<SlotView>> {
    let filter = |builder: &mut QueryBuilder<sqlx::Sqlite>| {
        builder.push(" WHERE 1 = 1");
        if let Some(from) = query.from {
            builder.push(" AND starts_at >= ").push_bind(seconds(from));
        }
        if let Some(to) = query.to {
            builder.push(" AND starts_at < ").push_bind(seconds(to));
        }
    };
    let mut count = QueryBuilder::new("SELECT COUNT(*) FROM slots");
    filter(&mut count);
    let total: i64 = count.build_query_scalar().fetch_one(&store.pool).await.map_err(db)?;

    let mut select = QueryBuilder::new(format!("SELECT id, starts_at, {RESERVED} FROM slots"));
    filter(&mut select);
    select.push(if query.newest_first { " ORDER BY starts_at DESC" } else { " ORDER BY starts_at" });
    select
        .push(" LIMIT ")
        .push_bind(query.paging.limit.map_or(-1, i64::from))
        .push(" OFFSET ")
        .push_bind(i64::from(query.paging.offset));
    let rows: Vec<SlotRow> = select.build_query_as().fetch_all(&store.pool).await.map_err(db)?;
    Ok(Page { items: rows.into_iter().map(SlotRow::into_view).collect::<Result<_>>()?, total: total.unsigned_abs() })
}

pub(crate) async fn get(store: &SqliteStore, id: SlotId) -> Result<SlotView> {
    get_in(&store.pool, id).await
}

async fn get_in<'e>(executor: impl sqlx::SqliteExecutor<'e>, id: SlotId) -> Result<SlotView> {
    let row: Option<SlotRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT id, starts_at, {RESERVED} FROM slots WHERE id = ?")))
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

pub(crate) async fn create(store: &SqliteStore, starts_at: Timestamp) -> Result<SlotView> {
    let id: i64 = sqlx::query_scalar("INSERT INTO slots (starts_at, created_at) VALUES (?, unixepoch()) RETURNING id")
        .bind(seconds(starts_at))
        .fetch_one(&store.pool)
        .await
        .map_err(|e| taken(starts_at)(db(e)))?;
    store.committed(Entity::Slot, id);
    get(store, SlotId(id)).await
}

pub(crate) async fn create_many(store: &SqliteStore, starts: &[Timestamp]) -> Result<u64> {
    let mut tx = store.write().await?;
    let mut added = 0;
    for &start in starts {
        added +=
            sqlx::query("INSERT INTO slots (starts_at, created_at) VALUES (?, unixepoch()) ON CONFLICT DO NOTHING")
                .bind(seconds(start))
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
    }
    tx.commit().await.map_err(db)?;
    if added > 0 {
        store.committed(Entity::Slot, 0);
    }
    Ok(added)
}

pub(crate) async fn move_to(store: &SqliteStore, id: SlotId, starts_at: Timestamp) -> Result<SlotView> {
    let mut tx = store.write().await?;
    if get_in(&mut *tx, id).await?.reserved {
        return Err(StoreError::InUse("the slot is reserved; move its booking instead".into()));
    }
    sqlx::query("UPDATE slots SET starts_at = ? WHERE id = ?")
        .bind(seconds(starts_at))
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(|e| taken(starts_at)(db(e)))?;
    tx.commit().await.map_err(db)?;
    store.committed(Entity::Slot, id.0);
    get(store, id).await
}

pub(crate) async fn delete(store: &SqliteStore, id: SlotId, force: bool, now: Timestamp) -> Result<Vec<AppointmentId>> {
    let mut tx = store.write().await?;
    get_in(&mut *tx, id).await?;
    let booked: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM appointments WHERE slot_id = ? AND status IN ('pending', 'confirmed')")
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
    sqlx::query("DELETE FROM slots WHERE id = ?").bind(id.0).execute(&mut *tx).await.map_err(db)?;
    tx.commit().await.map_err(db)?;
    store.committed(Entity::Slot, id.0);
    for &appointment in &booked {
        store.committed(Entity::Appointment, appointment);
    }
    Ok(booked.into_iter().map(AppointmentId).collect())
}

pub(crate) async fn availability(
    store: &SqliteStore,
    from: Timestamp,
    to: Timestamp,
) -> Result<(Vec<(SlotId, Timestamp)>, Vec<Busy>)> {
    crate::availability::window(store, from, to).await
}
