//! "Come back": the rules of the nudge to book again after a visit, and of the rating asked after it.
//!
//! Both are messages the business sends on its own initiative, so both keep to the business's
//! daytime hours: one falling due at night waits for the morning rather than being dropped.

use jiff::civil::Time;
use jiff::{SignedDuration, Timestamp};

use crate::{BusinessTime, InvalidValue};

/// The hours of the day, in the business's time zone, in which it may write to clients first:
/// from `from` (inclusive) to `to` (exclusive), `from` before `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Daytime {
    pub from: Time,
    pub to: Time,
}

impl Daytime {
    /// 10:00–20:00: late enough not to wake anyone, early enough not to intrude on the evening.
    pub const DEFAULT: Self = Self { from: Time::constant(10, 0, 0, 0), to: Time::constant(20, 0, 0, 0) };

    /// Refuses an empty window or one that runs over midnight.
    pub fn new(from: Time, to: Time) -> Result<Self, InvalidValue> {
        if from >= to {
            return Err(InvalidValue::new("daytime_from must be before daytime_to"));
        }
        Ok(Self { from, to })
    }

    /// The first instant at or after `at` that lies inside the daytime hours: `at` itself during
    /// the day, else the start of the next daytime (today's, before it; tomorrow's, after it).
    pub fn next_allowed(self, tz: &BusinessTime, at: Timestamp) -> Timestamp {
        let local = tz.local(at);
        let time = local.time();
        if time >= self.from && time < self.to {
            return at;
        }
        let day = if time < self.from { local.date() } else { local.date().tomorrow().unwrap_or(local.date()) };
        // A start that the clocks skip (a spring-forward at 10:00) means the first minute after it.
        let wanted = day.to_datetime(self.from);
        tz.zone().to_ambiguous_timestamp(wanted).compatible().map_or(at, |instant| instant.max(at))
    }
}

/// How long after a visit a client is nudged to come again: 1 day to 2 years.
pub fn parse_rebook_after_days(days: i64) -> Result<u32, InvalidValue> {
    crate::settings::parse_bounded("rebook_after_days", days, 1, 730)
}

/// Hours after a visit's end before the rating is asked: 0 to 72.
pub fn parse_rating_delay_hours(hours: i64) -> Result<u32, InvalidValue> {
    crate::settings::parse_bounded("rating_delay_hours", hours, 0, 72)
}

/// A nudge or a rating request due longer ago than this (downtime, a setting just turned on over
/// old visits) is not sent at all: "come again" about a visit a year ago would be a surprise.
pub const STALE_AFTER: SignedDuration = SignedDuration::from_hours(7 * 24);

/// A rating: 1 to 5 stars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stars(u8);

impl Stars {
    pub fn new(stars: i64) -> Result<Self, InvalidValue> {
        u8::try_from(stars)
            .ok()
            .filter(|s| (1..=5).contains(s))
            .map(Self)
            .ok_or_else(|| InvalidValue::new("stars must be between 1 and 5"))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn kyiv() -> BusinessTime {
        BusinessTime::parse("Europe/Kyiv").expect("known zone")
    }

    fn at(tz: &BusinessTime, y: i16, m: i8, d: i8, h: i8, min: i8) -> Timestamp {
        tz.resolve(date(y, m, d).at(h, min, 0, 0)).expect("exists").instant
    }

    #[test]
    fn a_time_inside_the_day_goes_as_it_is() {
        let tz = kyiv();
        let noon = at(&tz, 2026, 3, 10, 12, 0);
        assert_eq!(Daytime::DEFAULT.next_allowed(&tz, noon), noon);
        let ten = at(&tz, 2026, 3, 10, 10, 0);
        assert_eq!(Daytime::DEFAULT.next_allowed(&tz, ten), ten, "the start is inside");
    }

    #[test]
    fn a_time_at_night_waits_for_the_next_morning() {
        let tz = kyiv();
        let morning = at(&tz, 2026, 3, 10, 10, 0);
        assert_eq!(Daytime::DEFAULT.next_allowed(&tz, at(&tz, 2026, 3, 10, 6, 30)), morning, "early: this morning");
        assert_eq!(
            Daytime::DEFAULT.next_allowed(&tz, at(&tz, 2026, 3, 9, 20, 0)),
            morning,
            "the end is outside: tomorrow"
        );
        assert_eq!(Daytime::DEFAULT.next_allowed(&tz, at(&tz, 2026, 3, 9, 23, 59)), morning);
    }

    #[test]
    fn a_window_must_not_be_empty() {
        assert!(Daytime::new(Time::constant(20, 0, 0, 0), Time::constant(10, 0, 0, 0)).is_err());
        assert!(Daytime::new(Time::constant(10, 0, 0, 0), Time::constant(10, 0, 0, 0)).is_err());
        assert!(Stars::new(0).is_err() && Stars::new(6).is_err() && Stars::new(5).is_ok());
        assert!(parse_rebook_after_days(0).is_err() && parse_rebook_after_days(35).is_ok());
    }
}
