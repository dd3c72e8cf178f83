//! Which offered start times a service can still be booked at.

use jiff::{SignedDuration, Timestamp};

use crate::SlotId;

/// A span of time held by a booking: `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy {
    pub start: Timestamp,
    pub end: Timestamp,
}

/// The slots at which `[start, start + duration)` overlaps nothing busy and
/// which start no earlier than `earliest`.
///
/// `slots` must be sorted by start time. `busy` may come in any order and may
/// overlap itself. Runs in O(n + m log m): a year of hourly slots takes well
/// under a millisecond.
pub fn bookable_starts(
    slots: &[(SlotId, Timestamp)],
    busy: &[Busy],
    duration: SignedDuration,
    earliest: Timestamp,
) -> Vec<(SlotId, Timestamp)> {
    let merged = merge(busy);
    let mut next_busy = 0;
    let mut bookable = Vec::with_capacity(slots.len());
    for &(id, start) in slots {
        if start < earliest {
            continue;
        }
        // Busy spans that end by this start can never matter again: slots only move later.
        while next_busy < merged.len() && merged[next_busy].end <= start {
            next_busy += 1;
        }
        let end = start + duration;
        let free = merged.get(next_busy).is_none_or(|b| b.start >= end);
        if free {
            bookable.push((id, start));
        }
    }
    bookable
}

/// Sorts spans and joins the overlapping ones, so their ends ascend too.
fn merge(busy: &[Busy]) -> Vec<Busy> {
    let mut spans = busy.to_vec();
    spans.sort_by_key(|b| b.start);
    let mut merged: Vec<Busy> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start < last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::ToSpan;

    fn t(minutes: i64) -> Timestamp {
        Timestamp::UNIX_EPOCH + minutes.minutes()
    }

    fn hourly(count: i64) -> Vec<(SlotId, Timestamp)> {
        (0..count).map(|h| (SlotId(h), t(h * 60))).collect()
    }

    fn busy(from: i64, to: i64) -> Busy {
        Busy { start: t(from), end: t(to) }
    }

    fn ids(result: Vec<(SlotId, Timestamp)>) -> Vec<i64> {
        result.into_iter().map(|(id, _)| id.0).collect()
    }

    const HOUR: SignedDuration = SignedDuration::from_hours(1);
    const TWO_HOURS: SignedDuration = SignedDuration::from_hours(2);

    #[test]
    fn every_slot_is_free_when_nothing_is_booked() {
        assert_eq!(ids(bookable_starts(&hourly(4), &[], HOUR, t(0))), vec![0, 1, 2, 3]);
    }

    #[test]
    fn a_booking_blocks_the_slots_it_overlaps_whatever_its_service() {
        // A 90-minute booking at 01:00 holds 01:00–02:30.
        let held = [busy(60, 150)];
        assert_eq!(ids(bookable_starts(&hourly(5), &held, HOUR, t(0))), vec![0, 3, 4]);
        // A 2-hour service starting at 00:00 would run into it too.
        assert_eq!(ids(bookable_starts(&hourly(5), &held, TWO_HOURS, t(0))), vec![3, 4]);
    }

    #[test]
    fn touching_intervals_do_not_overlap() {
        let held = [busy(60, 120)];
        assert_eq!(ids(bookable_starts(&hourly(3), &held, HOUR, t(0))), vec![0, 2]);
    }

    #[test]
    fn times_before_the_earliest_start_are_left_out() {
        assert_eq!(ids(bookable_starts(&hourly(4), &[], HOUR, t(61))), vec![2, 3]);
    }

    #[test]
    fn unsorted_and_overlapping_busy_spans_are_handled() {
        let held = [busy(240, 300), busy(0, 30), busy(10, 70)];
        assert_eq!(ids(bookable_starts(&hourly(6), &held, HOUR, t(0))), vec![2, 3, 5]);
    }

    #[test]
    fn the_sweep_agrees_with_a_naive_check() {
        // A deterministic pseudo-random scenario compared against the obvious O(n·m) answer.
        let mut seed = 0x2545_f491_u64;
        let mut next = |modulo: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            i64::try_from(seed % modulo).expect("small")
        };
        let slots: Vec<_> = (0..300).map(|i| (SlotId(i), t(i * 30))).collect();
        let held: Vec<_> = (0..60)
            .map(|_| {
                let s = next(9000);
                busy(s, s + 15 + next(200))
            })
            .collect();
        for duration in [SignedDuration::from_mins(15), HOUR, TWO_HOURS] {
            let naive: Vec<_> = slots
                .iter()
                .filter(|(_, s)| *s >= t(500) && held.iter().all(|b| !(b.start < *s + duration && b.end > *s)))
                .copied()
                .collect();
            assert_eq!(bookable_starts(&slots, &held, duration, t(500)), naive);
        }
    }
}
