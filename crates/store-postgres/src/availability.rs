//! Availability from the in-memory snapshot shared with the other backends
//! (`zapys_store_sql::availability`); here, how PostgreSQL loads it.

use jiff::Timestamp;
use zapys_store::StaffAvailability;
use zapys_store_sql::availability::{BusyRow, LONGEST_HOLD, SlotRow, Snapshot};
pub(crate) use zapys_store_sql::availability::{SharedCache, invalidate};

use crate::{PostgresStore, Result, db, seconds};

async fn load(store: &PostgresStore, covers_from: Timestamp) -> Result<Snapshot> {
    let from = seconds(covers_from);
    // One snapshot of the database for every table read, so slots and bookings agree.
    let mut tx = store.pool.begin().await.map_err(db)?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await.map_err(db)?;
    let staff: Vec<i64> = sqlx::query_scalar("SELECT id FROM staff WHERE deleted_at IS NULL ORDER BY id")
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
    let slots: Vec<SlotRow> = sqlx::query_as(
        "SELECT staff_id, id, starts_at, ends_by FROM slots WHERE starts_at >= $1 ORDER BY staff_id, starts_at",
    )
    .bind(from)
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    let busy: Vec<BusyRow> = sqlx::query_as(
        "SELECT staff_id, blocked_from, blocked_until FROM appointments
         WHERE status <> 'cancelled' AND blocked_from >= $1 ORDER BY staff_id, blocked_from",
    )
    .bind(from - LONGEST_HOLD.as_secs())
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    let schedules = crate::staff::schedules(&mut tx, &store.cipher).await?;
    tx.commit().await.map_err(db)?;
    Snapshot::build(covers_from, &staff, &slots, &busy, schedules)
}

/// Per staff member: slots starting in `[from, to)`, the spans that can matter to them, and the
/// time they work around that window.
pub(crate) async fn window(store: &PostgresStore, from: Timestamp, to: Timestamp) -> Result<Vec<StaffAvailability>> {
    zapys_store_sql::availability::window(
        &store.availability,
        from,
        to,
        |covers_from| load(store, covers_from),
        || store.current_settings().timezone,
    )
    .await
}
