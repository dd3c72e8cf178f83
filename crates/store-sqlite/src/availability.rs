//! An in-memory snapshot of what availability needs: every upcoming slot and
//! every span held by a booking. Reading a year of availability from it takes
//! microseconds instead of milliseconds of row fetching.
//!
//! The snapshot is only ever a read model: bookings are still decided inside
//! `BEGIN IMMEDIATE` transactions against the database. Every committed write
//! to slots or appointments invalidates it. A reader that loaded data from
//! before a write may not install it afterwards: installation checks the
//! generation it started from.

use std::sync::{Arc, Mutex, PoisonError};

use jiff::{SignedDuration, Timestamp};
use zapys_domain::{Busy, SlotId};

use crate::{Result, SqliteStore, db, instant, seconds};

/// How far before the first asked-for instant the snapshot reaches, so that
/// later questions about slightly earlier times (a clock moving on, a day's
/// start) are answered from it too. A booking holds time for at most a day.
const LOOK_BACK: SignedDuration = SignedDuration::from_hours(48);

pub(crate) struct Snapshot {
    /// The earliest instant the snapshot is complete from.
    covers_from: Timestamp,
    slots: Vec<(SlotId, Timestamp)>,
    /// Sorted by start.
    busy: Vec<Busy>,
}

#[derive(Default)]
pub(crate) struct Cache {
    generation: u64,
    snapshot: Option<Arc<Snapshot>>,
}

pub(crate) type SharedCache = Arc<Mutex<Cache>>;

pub(crate) fn invalidate(cache: &SharedCache) {
    let mut cache = cache.lock().unwrap_or_else(PoisonError::into_inner);
    cache.generation += 1;
    cache.snapshot = None;
}

async fn load(store: &SqliteStore, covers_from: Timestamp) -> Result<Snapshot> {
    let from = seconds(covers_from);
    let slots: Vec<(i64, i64)> =
        sqlx::query_as("SELECT id, starts_at FROM slots WHERE starts_at >= ? ORDER BY starts_at")
            .bind(from)
            .fetch_all(&store.pool)
            .await
            .map_err(db)?;
    let busy: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT starts_at, ends_at FROM appointments WHERE status <> 'cancelled' AND starts_at >= ? ORDER BY starts_at",
    )
    .bind(from - 86_400)
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    Ok(Snapshot {
        covers_from,
        slots: slots.into_iter().map(|(id, at)| Ok((SlotId(id), instant(at)?))).collect::<Result<_>>()?,
        busy: busy
            .into_iter()
            .map(|(s, e)| Ok(Busy { start: instant(s)?, end: instant(e)? }))
            .collect::<Result<_>>()?,
    })
}

/// Slots starting in `[from, to)` and the spans that can matter to them.
pub(crate) async fn window(
    store: &SqliteStore,
    from: Timestamp,
    to: Timestamp,
) -> Result<(Vec<(SlotId, Timestamp)>, Vec<Busy>)> {
    let (generation, cached) = {
        let cache = store.availability.lock().unwrap_or_else(PoisonError::into_inner);
        (cache.generation, cache.snapshot.clone())
    };
    let snapshot = match cached {
        Some(snapshot) if snapshot.covers_from <= from => snapshot,
        // Missing, or not reaching back far enough: load from a little before `from`.
        _ => {
            let snapshot = Arc::new(load(store, from - LOOK_BACK).await?);
            let mut cache = store.availability.lock().unwrap_or_else(PoisonError::into_inner);
            if cache.generation == generation {
                cache.snapshot = Some(snapshot.clone());
            }
            snapshot
        }
    };
    let day = SignedDuration::from_hours(24);
    let first = snapshot.slots.partition_point(|(_, at)| *at < from);
    let last = snapshot.slots.partition_point(|(_, at)| *at < to);
    let busy_first = snapshot.busy.partition_point(|b| b.start <= from - day);
    let busy_last = snapshot.busy.partition_point(|b| b.start < to + day);
    Ok((snapshot.slots[first..last].to_vec(), snapshot.busy[busy_first..busy_last].to_vec()))
}
