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
use zapys_domain::{Busy, OfferedSlot, Schedule, SlotId, StaffId};
use zapys_store::StaffAvailability;

use crate::{PostgresStore, Result, db, instant, seconds};

/// How far before the first asked-for instant the snapshot reaches, so that
/// later questions about slightly earlier times (a clock moving on, a day's
/// start) are answered from it too.
const LOOK_BACK: SignedDuration = SignedDuration::from_hours(48);

/// The longest a booking holds its staff member: a day and two 4-hour buffers (the schema's limit).
const LONGEST_HOLD: SignedDuration = SignedDuration::from_secs(115_200);

struct StaffSnapshot {
    staff_id: StaffId,
    /// Sorted by start.
    slots: Vec<OfferedSlot>,
    /// Sorted by start.
    busy: Vec<Busy>,
    schedule: Schedule,
    /// The worked spans over `OPEN_DAYS` from the snapshot's first day, made on first use: turning a
    /// year of hours into instants costs more than the sweep itself.
    open: std::sync::OnceLock<Option<Vec<Busy>>>,
}

/// How many days of worked spans a snapshot keeps ready: the longest booking horizon and a margin.
const OPEN_DAYS: i64 = 3660 + 2;

pub(crate) struct Snapshot {
    /// The earliest instant the snapshot is complete from.
    covers_from: Timestamp,
    staff: Vec<StaffSnapshot>,
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

async fn load(store: &PostgresStore, covers_from: Timestamp) -> Result<Snapshot> {
    let from = seconds(covers_from);
    let mut conn = store.pool.acquire().await.map_err(db)?;
    let staff: Vec<i64> = sqlx::query_scalar("SELECT id FROM staff WHERE deleted_at IS NULL ORDER BY id")
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?;
    let slots: Vec<(i64, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT staff_id, id, starts_at, ends_by FROM slots WHERE starts_at >= $1 ORDER BY staff_id, starts_at",
    )
    .bind(from)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let busy: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT staff_id, blocked_from, blocked_until FROM appointments
         WHERE status <> 'cancelled' AND blocked_from >= $1 ORDER BY staff_id, blocked_from",
    )
    .bind(from - LONGEST_HOLD.as_secs())
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let mut schedules = crate::staff::schedules(&mut conn, &store.cipher).await?;
    let mut snapshots = Vec::with_capacity(staff.len());
    for id in staff {
        snapshots.push(StaffSnapshot {
            staff_id: StaffId(id),
            slots: slots
                .iter()
                .filter(|s| s.0 == id)
                .map(|&(_, slot, at, ends_by)| {
                    Ok(OfferedSlot {
                        id: SlotId(slot),
                        start: instant(at)?,
                        ends_by: ends_by.map(instant).transpose()?,
                    })
                })
                .collect::<Result<_>>()?,
            busy: busy
                .iter()
                .filter(|b| b.0 == id)
                .map(|&(_, s, e)| Ok(Busy { start: instant(s)?, end: instant(e)? }))
                .collect::<Result<_>>()?,
            schedule: schedules
                .iter()
                .position(|(s, _)| s.0 == id)
                .map(|i| schedules.swap_remove(i).1)
                .unwrap_or_default(),
            open: std::sync::OnceLock::new(),
        });
    }
    Ok(Snapshot { covers_from, staff: snapshots })
}

/// Per staff member: slots starting in `[from, to)`, the spans that can matter to them, and the
/// time they work around that window.
pub(crate) async fn window(store: &PostgresStore, from: Timestamp, to: Timestamp) -> Result<Vec<StaffAvailability>> {
    let (generation, cached) = {
        let cache = store.availability.lock().unwrap_or_else(PoisonError::into_inner);
        (cache.generation, cache.snapshot.clone())
    };
    let snapshot = match cached {
        Some(snapshot) if snapshot.covers_from <= from => snapshot,
        // Missing, or not reaching back far enough: load from a little before `from`.
        _ => {
            let snapshot = Arc::new(load(store, from.checked_sub(LOOK_BACK).unwrap_or(Timestamp::MIN)).await?);
            let mut cache = store.availability.lock().unwrap_or_else(PoisonError::into_inner);
            if cache.generation == generation {
                cache.snapshot = Some(snapshot.clone());
            }
            snapshot
        }
    };
    let tz = store.current_settings().timezone;
    // Local days around the window, so a stretch crossing its edges is whole.
    let first_day = tz.today(from).yesterday().unwrap_or(tz.today(from));
    let last_day = tz.today(to).tomorrow().unwrap_or(tz.today(to));
    let ready_from = tz.today(snapshot.covers_from).yesterday().unwrap_or(tz.today(snapshot.covers_from));
    let ready_to = ready_from.checked_add(jiff::Span::new().days(OPEN_DAYS)).unwrap_or(ready_from);
    let reach_back = from.checked_sub(LONGEST_HOLD).unwrap_or(Timestamp::MIN);
    let reach_ahead = to.checked_add(LONGEST_HOLD).unwrap_or(Timestamp::MAX);
    Ok(snapshot
        .staff
        .iter()
        .map(|s| {
            let first = s.slots.partition_point(|slot| slot.start < from);
            let last = s.slots.partition_point(|slot| slot.start < to);
            let busy_first = s.busy.partition_point(|b| b.start < reach_back);
            let busy_last = s.busy.partition_point(|b| b.start < reach_ahead);
            StaffAvailability {
                staff_id: s.staff_id,
                slots: s.slots[first..last].to_vec(),
                busy: s.busy[busy_first..busy_last].to_vec(),
                open: if first_day >= ready_from && last_day <= ready_to {
                    // A change of settings (the time zone) drops the snapshot, so these stay right.
                    s.open.get_or_init(|| s.schedule.open_spans(ready_from, ready_to, &tz)).as_ref().map(|open| {
                        let first = open.partition_point(|o| o.end <= reach_back);
                        let last = open.partition_point(|o| o.start < reach_ahead);
                        open[first..last].to_vec()
                    })
                } else {
                    s.schedule.open_spans(first_day, last_day, &tz)
                },
            }
        })
        .collect())
}
