//! The row locks that serialise decisions, in the one order every transaction
//! takes them (staff, then clients, then appointments), so that two
//! transactions never wait for each other in a circle. Should PostgreSQL
//! still find a deadlock (a path that strays from the order), it aborts one
//! transaction and [`crate::retry`] runs it again.
//!
//! `FOR NO KEY UPDATE` rather than `FOR UPDATE`: it excludes other deciders
//! but not the key-share locks that inserting a row referring to the locked
//! one takes (an outbox row for a booking, a slot of a staff member).

use sqlx::PgConnection;
use zapys_domain::{AppointmentId, ClientId, StaffId};

use crate::{Result, db};

/// Locks the staff members' rows, lowest id first: what is decided about their
/// time (bookings, moves, slots, hours) cannot change until the transaction ends.
/// Ids of staff members that do not exist lock nothing; the caller's checks refuse them.
pub(crate) async fn staff(conn: &mut PgConnection, ids: &[StaffId]) -> Result<()> {
    let mut ids: Vec<i64> = ids.iter().map(|s| s.0).collect();
    ids.sort_unstable();
    ids.dedup();
    // The rows are locked as the sort delivers them, so in ascending order.
    sqlx::query("SELECT id FROM staff WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE")
        .bind(ids)
        .fetch_all(conn)
        .await
        .map_err(db)?;
    Ok(())
}

/// Locks the clients' rows, lowest id first: their limit of active bookings,
/// and erasure, are decided one at a time per client.
pub(crate) async fn clients(conn: &mut PgConnection, ids: &[ClientId]) -> Result<()> {
    let mut ids: Vec<i64> = ids.iter().map(|c| c.0).collect();
    ids.sort_unstable();
    ids.dedup();
    sqlx::query("SELECT id FROM clients WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE")
        .bind(ids)
        .fetch_all(conn)
        .await
        .map_err(db)?;
    Ok(())
}

/// Locks one appointment's row and answers its status and start, or `None` when there is no such appointment.
pub(crate) async fn appointment(conn: &mut PgConnection, id: AppointmentId) -> Result<Option<(String, i64)>> {
    sqlx::query_as("SELECT status, starts_at FROM appointments WHERE id = $1 FOR NO KEY UPDATE")
        .bind(id.0)
        .fetch_optional(conn)
        .await
        .map_err(db)
}

/// The staff member a slot belongs to (which never changes), read without a lock, to know what to lock.
pub(crate) async fn slot_owner(conn: &mut PgConnection, slot: zapys_domain::SlotId) -> Result<Option<StaffId>> {
    let owner: Option<i64> = sqlx::query_scalar("SELECT staff_id FROM slots WHERE id = $1")
        .bind(slot.0)
        .fetch_optional(conn)
        .await
        .map_err(db)?;
    Ok(owner.map(StaffId))
}
