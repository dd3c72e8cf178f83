//! Generating slots from working hours.

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::{Timestamp, ToSpan};

use crate::InvalidValue;
use crate::staff::{Schedule, Stretch, WeeklyHours};
use crate::time::BusinessTime;

/// A generated start time, and the end of the working stretch it belongs to: a visit starting
/// here must be over by `ends_by` (the closing time, or the start of a break).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridStart {
    pub local: DateTime,
    pub instant: Timestamp,
    pub ends_by: Timestamp,
}

impl Schedule {
    /// Start times every `step_minutes` through each working stretch of the local dates
    /// `from..=to`, in order. Wall times that the clocks skip on the spring DST day are left out;
    /// the autumn fold's repeated hour is offered once.
    pub fn grid(&self, from: Date, to: Date, step_minutes: i64, tz: &BusinessTime) -> Vec<GridStart> {
        let mut starts = Vec::new();
        let mut day = from;
        while day <= to {
            for stretch in self.stretches_on(day) {
                let Ok(ends_by) = tz.zone().to_ambiguous_timestamp(day.to_datetime(stretch.to)).compatible() else {
                    continue;
                };
                let mut time = stretch.from;
                while time < stretch.to {
                    if let Ok(slot) = tz.resolve(day.to_datetime(time))
                        && slot.instant < ends_by
                    {
                        starts.push(GridStart { local: slot.local, instant: slot.instant, ends_by });
                    }
                    match time.checked_add(step_minutes.minutes()) {
                        // Wrapping past midnight ends the day.
                        Ok(next) if next > time => time = next,
                        _ => break,
                    }
                }
            }
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        starts
    }
}

/// "Mondays to Fridays, 09:00 to 18:00, every hour, from the 1st to the 31st."
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingHours {
    date_from: Date,
    date_to: Date,
    weekdays: Vec<Weekday>,
    time_from: Time,
    time_to: Time,
    step_minutes: i64,
}

impl WorkingHours {
    pub const MAX_DAYS: i32 = 366;

    /// `weekdays` are numbered 1 (Monday) to 7 (Sunday).
    pub fn new(
        date_from: Date,
        date_to: Date,
        weekdays: &[i64],
        time_from: Time,
        time_to: Time,
        step_minutes: i64,
    ) -> Result<Self, InvalidValue> {
        if date_to < date_from {
            return Err(InvalidValue::new("date_to must not be before date_from"));
        }
        if (date_to - date_from).get_days() >= Self::MAX_DAYS {
            return Err(InvalidValue::new("the date range must be at most 366 days"));
        }
        if time_to <= time_from {
            return Err(InvalidValue::new("time_to must be after time_from"));
        }
        if !(5..=720).contains(&step_minutes) {
            return Err(InvalidValue::new("step_minutes must be between 5 and 720"));
        }
        let mut days = Vec::new();
        for &n in weekdays {
            let day = i8::try_from(n)
                .ok()
                .and_then(|n| Weekday::from_monday_one_offset(n).ok())
                .ok_or_else(|| InvalidValue::new("weekdays must be numbers from 1 (Monday) to 7 (Sunday)"))?;
            if !days.contains(&day) {
                days.push(day);
            }
        }
        if days.is_empty() {
            return Err(InvalidValue::new("choose at least one weekday"));
        }
        Ok(Self { date_from, date_to, weekdays: days, time_from, time_to, step_minutes })
    }

    /// These hours as a schedule: the chosen weekdays, one stretch each.
    pub fn schedule(&self) -> Schedule {
        let stretch = Stretch { from: self.time_from, to: self.time_to };
        let weekly = WeeklyHours::new(self.weekdays.iter().map(|d| (i64::from(d.to_monday_one_offset()), stretch)))
            .unwrap_or_default();
        Schedule { weekly, exceptions: Vec::new() }
    }

    pub fn date_from(&self) -> Date {
        self.date_from
    }

    pub fn date_to(&self) -> Date {
        self.date_to
    }

    pub fn step_minutes(&self) -> i64 {
        self.step_minutes
    }

    /// Every start time these hours describe, in order: see [`Schedule::grid`].
    pub fn starts(&self, tz: &BusinessTime) -> Vec<GridStart> {
        self.schedule().grid(self.date_from, self.date_to, self.step_minutes, tz)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn kyiv() -> BusinessTime {
        BusinessTime::parse("Europe/Kyiv").expect("known zone")
    }

    #[test]
    fn weekdays_between_the_hours_at_each_step() {
        // 2025-06-02 is a Monday.
        let hours =
            WorkingHours::new(date(2025, 6, 2), date(2025, 6, 8), &[1, 3], time(9, 0, 0, 0), time(12, 0, 0, 0), 60)
                .expect("valid");
        let starts: Vec<String> = hours.starts(&kyiv()).iter().map(|s| s.local.to_string()).collect();
        assert_eq!(
            starts,
            [
                "2025-06-02T09:00:00",
                "2025-06-02T10:00:00",
                "2025-06-02T11:00:00",
                "2025-06-04T09:00:00",
                "2025-06-04T10:00:00",
                "2025-06-04T11:00:00"
            ]
        );
    }

    #[test]
    fn the_spring_gap_is_skipped_and_the_autumn_fold_offered_once() {
        let all_week = [1, 2, 3, 4, 5, 6, 7];
        let spring =
            WorkingHours::new(date(2025, 3, 30), date(2025, 3, 30), &all_week, time(2, 0, 0, 0), time(5, 0, 0, 0), 30)
                .expect("valid");
        let locals: Vec<String> = spring.starts(&kyiv()).iter().map(|s| s.local.time().to_string()).collect();
        assert_eq!(locals, ["02:00:00", "02:30:00", "04:00:00", "04:30:00"]);

        let autumn = WorkingHours::new(
            date(2025, 10, 26),
            date(2025, 10, 26),
            &all_week,
            time(2, 0, 0, 0),
            time(5, 0, 0, 0),
            60,
        )
        .expect("valid");
        let instants: Vec<_> = autumn.starts(&kyiv()).iter().map(|s| s.instant).collect();
        assert_eq!(instants.len(), 3, "02:00, 03:00 (once) and 04:00");
        assert!(instants.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn each_start_knows_when_its_stretch_ends_and_breaks_are_skipped() {
        let weekly = WeeklyHours::new([
            (1, Stretch::new(time(10, 0, 0, 0), time(12, 0, 0, 0)).expect("valid")),
            (1, Stretch::new(time(13, 0, 0, 0), time(14, 0, 0, 0)).expect("valid")),
        ])
        .expect("valid");
        let schedule = Schedule { weekly, exceptions: vec![] };
        let grid = schedule.grid(date(2025, 6, 2), date(2025, 6, 2), 60, &kyiv());
        let shown: Vec<(String, String)> =
            grid.iter().map(|g| (g.local.time().to_string(), kyiv().local(g.ends_by).time().to_string())).collect();
        assert_eq!(
            shown,
            [
                ("10:00:00".to_owned(), "12:00:00".to_owned()),
                ("11:00:00".to_owned(), "12:00:00".to_owned()),
                ("13:00:00".to_owned(), "14:00:00".to_owned())
            ],
            "nothing starts in the lunch break; each start knows its stretch's end"
        );
    }

    #[test]
    fn nonsense_hours_are_refused() {
        let ok_day = date(2025, 6, 2);
        let nine = time(9, 0, 0, 0);
        let six = time(18, 0, 0, 0);
        assert!(WorkingHours::new(ok_day, ok_day, &[1], six, nine, 60).is_err(), "to before from");
        assert!(WorkingHours::new(ok_day, ok_day, &[8], nine, six, 60).is_err(), "no 8th weekday");
        assert!(WorkingHours::new(ok_day, ok_day, &[], nine, six, 60).is_err(), "no weekday");
        assert!(WorkingHours::new(ok_day, ok_day, &[1], nine, six, 0).is_err(), "zero step");
        assert!(WorkingHours::new(ok_day, date(2027, 6, 2), &[1], nine, six, 60).is_err(), "two years");
        assert!(WorkingHours::new(date(2025, 6, 3), ok_day, &[1], nine, six, 60).is_err(), "backwards");
    }
}
