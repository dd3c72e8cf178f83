//! Which offered start times a service can still be booked at.

use jiff::{SignedDuration, Timestamp};

use crate::SlotId;

/// A span of time held by a booking (its buffers included), or worked by a staff member: `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy {
    pub start: Timestamp,
    pub end: Timestamp,
}

/// A start time offered for booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferedSlot {
    pub id: SlotId,
    pub start: Timestamp,
    /// The end of the working stretch it was generated in: a visit starting here must be over by then.
    pub ends_by: Option<Timestamp>,
}

/// What a visit takes of a staff member's time: the visit itself, and the buffers around it that the
/// client does not see (setting up, cleaning).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Need {
    pub duration: SignedDuration,
    pub before: SignedDuration,
    pub after: SignedDuration,
}

impl Need {
    pub const fn visit(duration: SignedDuration) -> Self {
        Self { duration, before: SignedDuration::ZERO, after: SignedDuration::ZERO }
    }

    /// The time a visit starting at `start` keeps its staff member from anything else.
    pub fn blocked(&self, start: Timestamp) -> Busy {
        Busy {
            start: start.checked_sub(self.before).unwrap_or(Timestamp::MIN),
            end: start.checked_add(self.duration + self.after).unwrap_or(Timestamp::MAX),
        }
    }
}

/// The slots of one staff member at which a visit fits: no earlier than `earliest`, its blocked time
/// overlapping nothing `busy`, over by the slot's `ends_by`, and, when the staff member has working
/// hours (`open`), inside one worked span (so it neither runs past closing nor into a break).
///
/// `slots` must be sorted by start time; `busy` and `open` may come in any order. Runs in
/// O(n + m log m + k log k): a year of a staff member's slots takes well under a millisecond.
pub fn bookable_starts(
    slots: &[OfferedSlot],
    busy: &[Busy],
    open: Option<&[Busy]>,
    need: Need,
    earliest: Timestamp,
) -> Vec<OfferedSlot> {
    let merged = merge(busy);
    let open = open.map(merge);
    let (mut next_busy, mut next_open) = (0, 0);
    let mut bookable = Vec::with_capacity(slots.len());
    for slot in slots {
        if slot.start < earliest {
            continue;
        }
        let blocked = need.blocked(slot.start);
        // Spans that end by this blocked start can never matter again: slots only move later.
        while next_busy < merged.len() && merged[next_busy].end <= blocked.start {
            next_busy += 1;
        }
        let free = merged.get(next_busy).is_none_or(|b| b.start >= blocked.end);
        let before_close = slot.ends_by.is_none_or(|end| blocked.end <= end);
        let worked = match &open {
            None => true,
            Some(open) => {
                while next_open < open.len() && open[next_open].end <= blocked.start {
                    next_open += 1;
                }
                open.get(next_open).is_some_and(|o| o.start <= blocked.start && blocked.end <= o.end)
            }
        };
        if free && before_close && worked {
            bookable.push(*slot);
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

    fn every(step: i64, count: i64) -> Vec<OfferedSlot> {
        (0..count).map(|i| OfferedSlot { id: SlotId(i), start: t(i * step), ends_by: None }).collect()
    }

    fn hourly(count: i64) -> Vec<OfferedSlot> {
        every(60, count)
    }

    fn busy(from: i64, to: i64) -> Busy {
        Busy { start: t(from), end: t(to) }
    }

    fn ids(result: Vec<OfferedSlot>) -> Vec<i64> {
        result.into_iter().map(|s| s.id.0).collect()
    }

    const HOUR: Need = Need::visit(SignedDuration::from_hours(1));
    const TWO_HOURS: Need = Need::visit(SignedDuration::from_hours(2));

    #[test]
    fn every_slot_is_free_when_nothing_is_booked() {
        assert_eq!(ids(bookable_starts(&hourly(4), &[], None, HOUR, t(0))), vec![0, 1, 2, 3]);
    }

    #[test]
    fn a_booking_blocks_the_slots_it_overlaps_whatever_its_service() {
        // A 90-minute booking at 01:00 holds 01:00–02:30.
        let held = [busy(60, 150)];
        assert_eq!(ids(bookable_starts(&hourly(5), &held, None, HOUR, t(0))), vec![0, 3, 4]);
        // A 2-hour service starting at 00:00 would run into it too.
        assert_eq!(ids(bookable_starts(&hourly(5), &held, None, TWO_HOURS, t(0))), vec![3, 4]);
    }

    #[test]
    fn touching_intervals_do_not_overlap() {
        let held = [busy(60, 120)];
        assert_eq!(ids(bookable_starts(&hourly(3), &held, None, HOUR, t(0))), vec![0, 2]);
    }

    #[test]
    fn times_before_the_earliest_start_are_left_out() {
        assert_eq!(ids(bookable_starts(&hourly(4), &[], None, HOUR, t(61))), vec![2, 3]);
    }

    #[test]
    fn unsorted_and_overlapping_busy_spans_are_handled() {
        let held = [busy(240, 300), busy(0, 30), busy(10, 70)];
        assert_eq!(ids(bookable_starts(&hourly(6), &held, None, HOUR, t(0))), vec![2, 3, 5]);
    }

    #[test]
    fn a_visit_must_be_over_by_the_end_of_its_stretch() {
        // Starts every 30 minutes from 10:00 to 18:30 of a day that closes at 19:00 (times in minutes).
        let closes = t(19 * 60);
        let slots: Vec<_> =
            (0..18).map(|i| OfferedSlot { id: SlotId(i), start: t(600 + i * 30), ends_by: Some(closes) }).collect();
        let colouring = Need::visit(SignedDuration::from_hours(2));
        let last = bookable_starts(&slots, &[], None, colouring, t(0)).last().copied().expect("some");
        assert_eq!(last.start, t(17 * 60), "17:00 is the last start of a 2-hour visit; 18:30 is not offered");
    }

    #[test]
    fn working_hours_keep_visits_out_of_breaks_and_after_closing() {
        // Works 10:00–14:00 and 15:00–19:00; slots every 30 minutes from 09:00 to 19:00.
        let open = [busy(600, 840), busy(900, 1140)];
        let slots = every(30, 40);
        let starts: Vec<i64> = bookable_starts(&slots, &[], Some(&open), HOUR, t(0))
            .iter()
            .map(|s| s.start.duration_since(t(0)).as_mins())
            .collect();
        let expected: Vec<i64> = (600..=780).step_by(30).chain((900..=1080).step_by(30)).collect();
        assert_eq!(starts, expected);
    }

    #[test]
    fn buffers_block_the_staff_member_around_the_visit() {
        // A booking 60–120 with 15 minutes' cleaning after it holds 60–135.
        let held = [busy(60, 135)];
        let slots = every(15, 16);
        let with_setup = Need { before: SignedDuration::from_mins(15), ..HOUR };
        let starts: Vec<i64> = bookable_starts(&slots, &held, None, with_setup, t(15))
            .iter()
            .map(|s| s.start.duration_since(t(0)).as_mins())
            .collect();
        // It needs [start − 15, start + 60) free of 60–135: nothing from 15 to 135 fits, 150 does.
        assert_eq!(starts, vec![150, 165, 180, 195, 210, 225]);
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
        let slots = every(30, 300);
        let held: Vec<_> = (0..60)
            .map(|_| {
                let s = next(9000);
                busy(s, s + 15 + next(200))
            })
            .collect();
        let open: Vec<_> = (0..20)
            .map(|d| {
                let s = d * 450 + next(120);
                busy(s, s + 180 + next(200))
            })
            .collect();
        for minutes in [15, 60, 120] {
            let need = Need {
                before: SignedDuration::from_mins(next(20)),
                after: SignedDuration::from_mins(next(20)),
                ..Need::visit(SignedDuration::from_mins(minutes))
            };
            let naive: Vec<_> = slots
                .iter()
                .filter(|s| {
                    let b = need.blocked(s.start);
                    s.start >= t(500)
                        && held.iter().all(|h| !(h.start < b.end && h.end > b.start))
                        && open.iter().any(|o| o.start <= b.start && b.end <= o.end)
                })
                .copied()
                .collect();
            assert_eq!(bookable_starts(&slots, &held, Some(&open), need, t(500)), naive, "{minutes} minutes");
        }
    }
}
