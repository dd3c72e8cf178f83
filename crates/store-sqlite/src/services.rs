use jiff::Timestamp;
use zapys_domain::{Service, ServiceDraft, ServiceId};
use zapys_store::{Entity, StoreError};

use crate::rows::ServiceRow;
use crate::{Result, SqliteStore, db, seconds};

const COLUMNS: &str = "SELECT id, name, duration_minutes, price_cents, description, hidden, buffer_before_minutes,
    buffer_after_minutes, rebook_after_days FROM services";

pub(crate) async fn list(store: &SqliteStore, include_hidden: bool) -> Result<Vec<Service>> {
    let rows: Vec<ServiceRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{COLUMNS} WHERE deleted_at IS NULL AND (? OR hidden = 0) ORDER BY id DESC"
    )))
    .bind(include_hidden)
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    rows.into_iter().map(ServiceRow::into_service).collect()
}

pub(crate) async fn get(store: &SqliteStore, id: ServiceId) -> Result<Service> {
    let row: Option<ServiceRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLUMNS} WHERE id = ? AND deleted_at IS NULL")))
            .bind(id.0)
            .fetch_optional(&store.pool)
            .await
            .map_err(db)?;
    row.ok_or(StoreError::not_found(Entity::Service, id.0))?.into_service()
}

/// A new service is performed by every current staff member until told otherwise.
pub(crate) async fn create(store: &SqliteStore, draft: &ServiceDraft) -> Result<Service> {
    let mut tx = store.write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO services (name, duration_minutes, price_cents, description, hidden, buffer_before_minutes,
             buffer_after_minutes, rebook_after_days, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, unixepoch()) RETURNING id",
    )
    .bind(draft.name.as_str())
    .bind(draft.duration.minutes())
    .bind(draft.price.map(|p| p.cents()))
    .bind(&draft.description)
    .bind(draft.hidden)
    .bind(draft.buffers.before_minutes())
    .bind(draft.buffers.after_minutes())
    .bind(draft.rebook_after_days)
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    crate::staff::perform_new_service(&mut tx, ServiceId(id)).await?;
    tx.commit().await.map_err(db)?;
    store.committed(Entity::Service, id);
    get(store, ServiceId(id)).await
}

pub(crate) async fn update(store: &SqliteStore, id: ServiceId, draft: &ServiceDraft) -> Result<Service> {
    let updated = sqlx::query(
        "UPDATE services SET name = ?, duration_minutes = ?, price_cents = ?, description = ?, hidden = ?,
             buffer_before_minutes = ?, buffer_after_minutes = ?, rebook_after_days = ?
         WHERE id = ? AND deleted_at IS NULL",
    )
    .bind(draft.name.as_str())
    .bind(draft.duration.minutes())
    .bind(draft.price.map(|p| p.cents()))
    .bind(&draft.description)
    .bind(draft.hidden)
    .bind(draft.buffers.before_minutes())
    .bind(draft.buffers.after_minutes())
    .bind(draft.rebook_after_days)
    .bind(id.0)
    .execute(&store.pool)
    .await
    .map_err(db)?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::not_found(Entity::Service, id.0));
    }
    store.committed(Entity::Service, id.0);
    get(store, id).await
}

pub(crate) async fn delete(store: &SqliteStore, id: ServiceId, now: Timestamp) -> Result<()> {
    let mut tx = store.write().await?;
    let ahead: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM appointments
         WHERE service_id = ? AND status IN ('pending', 'confirmed') AND ends_at > ?",
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
    let deleted = sqlx::query("UPDATE services SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL")
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
