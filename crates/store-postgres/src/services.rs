use jiff::Timestamp;
use zapys_domain::{Service, ServiceDraft, ServiceId};
use zapys_store::{Entity, StoreError};

use crate::rows::ServiceRow;
use crate::{PostgresStore, Result, db, seconds};

const COLUMNS: &str = "SELECT id, name, duration_minutes, price_cents, description, hidden, buffer_before_minutes,
    buffer_after_minutes, rebook_after_days FROM services";

pub(crate) async fn list(store: &PostgresStore, include_hidden: bool) -> Result<Vec<Service>> {
    let rows: Vec<ServiceRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{COLUMNS} WHERE deleted_at IS NULL AND ($1 OR NOT hidden) ORDER BY id DESC"
    )))
    .bind(include_hidden)
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    rows.into_iter().map(ServiceRow::into_service).collect()
}

pub(crate) async fn get(store: &PostgresStore, id: ServiceId) -> Result<Service> {
    let row: Option<ServiceRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLUMNS} WHERE id = $1 AND deleted_at IS NULL")))
            .bind(id.0)
            .fetch_optional(&store.pool)
            .await
            .map_err(db)?;
    row.ok_or(StoreError::not_found(Entity::Service, id.0))?.into_service()
}

/// A new service is performed by every current staff member until told otherwise.
pub(crate) async fn create(store: &PostgresStore, draft: &ServiceDraft) -> Result<Service> {
    let mut tx = store.write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO services (name, duration_minutes, price_cents, description, hidden, buffer_before_minutes,
             buffer_after_minutes, rebook_after_days, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, unixepoch()) RETURNING id",
    )
    .bind(draft.name.as_str())
    .bind(i64::from(draft.duration.minutes()))
    .bind(draft.price.map(|p| p.cents()))
    .bind(&draft.description)
    .bind(draft.hidden)
    .bind(i64::from(draft.buffers.before_minutes()))
    .bind(i64::from(draft.buffers.after_minutes()))
    .bind(draft.rebook_after_days.map(i64::from))
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    crate::staff::perform_new_service(&mut tx, ServiceId(id)).await?;
    tx.commit().await.map_err(db)?;
    store.committed(Entity::Service, id);
    get(store, ServiceId(id)).await
}

pub(crate) async fn update(store: &PostgresStore, id: ServiceId, draft: &ServiceDraft) -> Result<Service> {
    let updated = sqlx::query(
        "UPDATE services SET name = $1, duration_minutes = $2, price_cents = $3, description = $4, hidden = $5,
             buffer_before_minutes = $6, buffer_after_minutes = $7, rebook_after_days = $9
         WHERE id = $8 AND deleted_at IS NULL",
    )
    .bind(draft.name.as_str())
    .bind(i64::from(draft.duration.minutes()))
    .bind(draft.price.map(|p| p.cents()))
    .bind(&draft.description)
    .bind(draft.hidden)
    .bind(i64::from(draft.buffers.before_minutes()))
    .bind(i64::from(draft.buffers.after_minutes()))
    .bind(id.0)
    .bind(draft.rebook_after_days.map(i64::from))
    .execute(&store.pool)
    .await
    .map_err(db)?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::not_found(Entity::Service, id.0));
    }
    store.committed(Entity::Service, id.0);
    get(store, id).await
}

pub(crate) async fn delete(store: &PostgresStore, id: ServiceId, now: Timestamp) -> Result<()> {
    let mut tx = store.write().await?;
    // Bookings read the service `FOR SHARE`: none can be made while this decides, and one
    // waiting behind it finds the service gone.
    sqlx::query("SELECT id FROM services WHERE id = $1 FOR UPDATE").bind(id.0).execute(&mut *tx).await.map_err(db)?;
    let ahead: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM appointments
         WHERE service_id = $1 AND status IN ('pending', 'confirmed') AND ends_at > $2",
    )
    .bind(id.0)
    .bind(seconds(now))
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    if ahead > 0 {
        return Err(StoreError::InUse(format!(
            "the service has {ahead} upcoming booking(s); cancel or move them first, or hide the service instead"
        )));
    }
    let deleted = sqlx::query("UPDATE services SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL")
        .bind(seconds(now))
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    if deleted.rows_affected() == 0 {
        return Err(StoreError::not_found(Entity::Service, id.0));
    }
    tx.commit().await.map_err(db)?;
    store.committed(Entity::Service, id.0);
    Ok(())
}
