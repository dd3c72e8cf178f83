//! An in-memory snapshot of what availability needs: every upcoming slot and
//! every span held by a booking. Reading a year of availability from it takes
//! microseconds instead of milliseconds of row fetching.
//!
//! The snapshot is only ever a read model: bookings are still decided inside
//! write transactions against the database. Every committed write
//! to slots or appointments invalidates it. A reader that loaded data from
//! before a write may not install it afterwards: installation checks the
//! generation it started from.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use jiff::{SignedDuration, Timestamp};
use zapys_domain::{BusinessTime, Busy, OfferedSlot, Schedule, SlotId, StaffId};
use zapys_store::StaffAvailability;

use crate::{Result, instant};

/// How far before the first asked-for instant the snapshot reaches, so that
/// later questions about slightly earlier times (a clock moving on, a day's
/// start) are answered from it too.
pub const LOOK_BACK: SignedDuration = SignedDuration::from_hours(48);

/// The longest a booking holds its staff member: a day and two 4-hour buffers (the schema's limit).
pub const LONGEST_HOLD: SignedDuration = SignedDuration::from_secs(115_200);

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

pub struct Snapshot {
    /// The earliest instant the snapshot is complete from.
    covers_from: Timestamp,
    staff: Vec<StaffSnapshot>,
}

#[derive(Default)]
pub struct Cache {
    generation: u64,
    snapshot: Option<Arc<Snapshot>>,
}

pub type SharedCache = Arc<Mutex<Cache>>;

pub fn invalidate(cache: &SharedCache) {
    let mut cache = cache.lock().unwrap_or_else(PoisonError::into_inner);
    cache.generation += 1;
    cache.snapshot = None;
}

/// A staff member's slot as loaded: staff_id, id, starts_at, ends_by.
pub type SlotRow = (i64, i64, i64, Option<i64>);
/// Time a booking holds as loaded: staff_id, blocked_from, blocked_until.
pub type BusyRow = (i64, i64, i64);

impl Snapshot {
    /// The snapshot complete from `covers_from`, from what a backend loaded: the ids of staff
    /// members not deleted, slots starting at or after `covers_from` and bookings holding time from
    /// [`LONGEST_HOLD`] before it (both sorted by staff member, then start), and their schedules.
    pub fn build(
        covers_from: Timestamp,
        staff: &[i64],
        slots: &[SlotRow],
        busy: &[BusyRow],
        mut schedules: Vec<(StaffId, Schedule)>,
    ) -> Result<Self> {
        let mut snapshots = Vec::with_capacity(staff.len());
        for &id in staff {
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
}

/// Per staff member: slots starting in `[from, to)`, the spans that can matter to them, and the
/// time they work around that window.
/// `load` reads a snapshot complete from the instant it is given, when the cache has none that reaches
/// back to `from`; `timezone` is the business's current one, asked for once the snapshot is at hand.
pub async fn window<L, F>(
    cache: &SharedCache,
    from: Timestamp,
    to: Timestamp,
    load: L,
    timezone: impl FnOnce() -> BusinessTime,
) -> Result<Vec<StaffAvailability>>
where
    L: FnOnce(Timestamp) -> F,
    F: Future<Output = Result<Snapshot>>,
{
    let (generation, cached) = {
        let cache = cache.lock().unwrap_or_else(PoisonError::into_inner);
        (cache.generation, cache.snapshot.clone())
    };
    let snapshot = match cached {
        Some(snapshot) if snapshot.covers_from <= from => snapshot,
        // Missing, or not reaching back far enough: load from a little before `from`.
        _ => {
            let snapshot = Arc::new(load(from.checked_sub(LOOK_BACK).unwrap_or(Timestamp::MIN)).await?);
            let mut cache = cache.lock().unwrap_or_else(PoisonError::into_inner);
            if cache.generation == generation {
                cache.snapshot = Some(snapshot.clone());
            }
            snapshot
        }
    };
    let tz = timezone();
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
