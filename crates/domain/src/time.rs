//! Local time in the business's time zone, and the instants it maps to.
//!
//! Slots and bookings are stored as instants (UTC). People speak local wall
//! time. The two meet here, and only here, so daylight-saving changes are
//! handled once: a wall time that does not exist (the spring gap) is refused,
//! and a wall time that happens twice (the autumn fold) means the earlier one.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};

use crate::InvalidValue;

/// Where "now" comes from. Rules take the instant as an argument; adapters ask
/// a clock, which tests replace with one they control.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;
}

/// The machine's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// The business's time zone, with the conversions the product needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessTime {
    name: String,
    zone: TimeZone,
}

impl BusinessTime {
    /// Parses an IANA time zone name such as `Europe/Kyiv`.
    pub fn parse(name: &str) -> Result<Self, InvalidValue> {
        let name = name.trim();
        let zone = TimeZone::get(name).map_err(|_| InvalidValue::new(format!("unknown time zone '{name}'")))?;
        Ok(Self { name: name.to_owned(), zone })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }

    /// The wall-clock time at `instant`.
    pub fn local(&self, instant: Timestamp) -> DateTime {
        self.zone.to_datetime(instant)
    }

    /// The instant of a wall-clock time, refusing one that the clocks skip.
    pub fn resolve(&self, local: DateTime) -> Result<LocalSlotTime, InvalidValue> {
        let instant = match self.zone.to_ambiguous_timestamp(local).offset() {
            AmbiguousOffset::Unambiguous { offset } => offset.to_timestamp(local),
            // Autumn: the hour happens twice; the first one is what people mean.
            AmbiguousOffset::Fold { before, .. } => before.to_timestamp(local),
            AmbiguousOffset::Gap { .. } => {
                return Err(InvalidValue::new(format!(
                    "{} does not exist in {}: the clocks move forward then",
                    format_local(local),
                    self.name
                )));
            }
        }
        .map_err(|_| InvalidValue::new("date is out of range"))?;
        Ok(LocalSlotTime { local, instant })
    }

    /// The instant the given local day starts (midnight, or the first existing minute).
    pub fn start_of_day(&self, date: Date) -> Timestamp {
        self.zone.to_ambiguous_timestamp(date.to_datetime(Time::midnight())).compatible().unwrap_or(Timestamp::MIN)
    }

    /// The local date at `instant`.
    pub fn today(&self, instant: Timestamp) -> Date {
        self.local(instant).date()
    }
}

/// A wall-clock time that exists in the business time zone, with its instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalSlotTime {
    pub local: DateTime,
    pub instant: Timestamp,
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// Parses `YYYY-MM-DD`, strictly: `2024-13-45` and `2024-1-5` are refused.
pub fn parse_date(text: &str) -> Result<Date, InvalidValue> {
    let bad = || InvalidValue::new(format!("'{text}' is not a valid date (expected YYYY-MM-DD)"));
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 || !all_digits(y) || !all_digits(m) || !all_digits(d) {
        return Err(bad());
    }
    let (y, m, d) = (y.parse::<i16>(), m.parse::<i8>(), d.parse::<i8>());
    match (y, m, d) {
        (Ok(y), Ok(m), Ok(d)) => Date::new(y, m, d).map_err(|_| bad()),
        _ => Err(bad()),
    }
}

/// Parses `HH:MM` (seconds, if given as `HH:MM:SS`, must be zero).
pub fn parse_time(text: &str) -> Result<Time, InvalidValue> {
    let bad = || InvalidValue::new(format!("'{text}' is not a valid time (expected HH:MM)"));
    let parts: Vec<&str> = text.split(':').collect();
    let (h, m, s) = match parts.as_slice() {
        [h, m] => (*h, *m, "00"),
        [h, m, s] => (*h, *m, *s),
        _ => return Err(bad()),
    };
    if [h, m, s].iter().any(|p| p.len() != 2 || !all_digits(p)) || s != "00" {
        return Err(bad());
    }
    let (h, m) = (h.parse::<i8>().map_err(|_| bad())?, m.parse::<i8>().map_err(|_| bad())?);
    Time::new(h, m, 0, 0).map_err(|_| bad())
}

/// Parses a local date-time: `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS` (a space may stand for `T`).
pub fn parse_local(text: &str) -> Result<DateTime, InvalidValue> {
    let (date, time) = text.split_once(['T', ' ']).ok_or_else(|| {
        InvalidValue::new(format!("'{text}' is not a valid date and time (expected YYYY-MM-DDTHH:MM)"))
    })?;
    Ok(parse_date(date)?.to_datetime(parse_time(time)?))
}

/// `YYYY-MM-DD`.
pub fn format_date(date: Date) -> String {
    date.strftime("%Y-%m-%d").to_string()
}

/// `HH:MM`.
pub fn format_time(time: Time) -> String {
    time.strftime("%H:%M").to_string()
}

/// `YYYY-MM-DDTHH:MM:SS`, the form the original API and FullCalendar use.
pub fn format_local(local: DateTime) -> String {
    local.strftime("%Y-%m-%dT%H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn kyiv() -> BusinessTime {
        BusinessTime::parse("Europe/Kyiv").expect("Kyiv is a known zone")
    }

    #[test]
    fn dates_are_parsed_strictly() {
        assert_eq!(parse_date("2024-03-31").ok(), Some(date(2024, 3, 31)));
        for bad in
            ["2024-13-45", "2024-02-30", "2024-1-5", "24-01-01", "2024/01/01", "", "2024-01-01x", "２０２４-01-01"]
        {
            assert!(parse_date(bad).is_err(), "{bad} must be refused");
        }
    }

    #[test]
    fn times_are_parsed_strictly() {
        assert_eq!(parse_time("09:30").ok(), Some(Time::constant(9, 30, 0, 0)));
        assert_eq!(parse_time("23:59:00").ok(), Some(Time::constant(23, 59, 0, 0)));
        for bad in ["25:99", "24:00", "9:30", "09:60", "09:30:15", "0930", "", "ab:cd"] {
            assert!(parse_time(bad).is_err(), "{bad} must be refused");
        }
    }

    #[test]
    fn a_wall_time_in_the_spring_gap_is_refused() {
        // Kyiv moves from 03:00 to 04:00 on the last Sunday of March.
        let gap = date(2025, 3, 30).at(3, 30, 0, 0);
        let error = kyiv().resolve(gap).expect_err("03:30 does not exist that day");
        assert!(error.0.contains("does not exist"), "{error}");
    }

    #[test]
    fn a_wall_time_in_the_autumn_fold_means_the_first_one() {
        // Kyiv moves from 04:00 back to 03:00 on the last Sunday of October.
        let fold = date(2025, 10, 26).at(3, 30, 0, 0);
        let resolved = kyiv().resolve(fold).expect("03:30 exists, twice");
        assert_eq!(resolved.instant.to_string(), "2025-10-26T00:30:00Z", "the summer-time (UTC+3) one");
        assert_eq!(kyiv().local(resolved.instant), fold);
    }

    #[test]
    fn local_times_round_trip_through_instants_on_both_dst_days() {
        let tz = kyiv();
        for day in [date(2025, 3, 30), date(2025, 10, 26)] {
            for hour in [0, 1, 2, 5, 9, 12, 23] {
                let local = day.at(hour, 0, 0, 0);
                let resolved = tz.resolve(local).expect("these hours exist");
                assert_eq!(tz.local(resolved.instant), local);
            }
        }
    }
}
