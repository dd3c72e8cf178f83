//! Staff members: who performs which service, when they work, and who gets a
//! booking made for "any staff member".

use jiff::Timestamp;
use jiff::civil::{Date, Time};

use crate::availability::Busy;
use crate::service::{Duration, Price};
use crate::time::BusinessTime;
use crate::{InvalidValue, ServiceId, StaffId};

/// A staff member's name: trimmed, 1 to 100 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffName(String);

impl StaffName {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
        match name.chars().count() {
            0 => Err(InvalidValue::new("name must not be empty")),
            1..=100 => Ok(Self(name)),
            _ => Err(InvalidValue::new("name must be at most 100 characters")),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A calendar colour, `#rrggbb` (stored lower-case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Color(String);

impl Color {
    /// The colours new staff members get in turn, readable with white text.
    pub const PALETTE: [&'static str; 8] =
        ["#2563eb", "#db2777", "#059669", "#d97706", "#7c3aed", "#0891b2", "#dc2626", "#4b5563"];

    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let text = text.trim();
        let hex = text.strip_prefix('#').unwrap_or("");
        if hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Self(text.to_ascii_lowercase()))
        } else {
            Err(InvalidValue::new(format!("'{text}' is not a colour (expected #RRGGBB)")))
        }
    }

    /// The palette's colour for the `n`-th staff member.
    pub fn nth(n: usize) -> Self {
        Self(Self::PALETTE[n % Self::PALETTE.len()].to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A service a staff member performs, with what differs for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffService {
    pub service_id: ServiceId,
    /// Their own duration for it; `None`: the service's.
    pub duration: Option<Duration>,
    /// Their own price for it; `None`: the service's.
    pub price: Option<Price>,
}

/// What an admin submits to create or change a staff member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffDraft {
    pub name: StaffName,
    pub description: String,
    pub color: Color,
    /// Left or on leave: not offered for new bookings; their history stays.
    pub hidden: bool,
    /// Their own Telegram chat, for notices about their bookings.
    pub telegram_chat_id: Option<i64>,
    /// Each service at most once.
    pub services: Vec<StaffService>,
}

impl StaffDraft {
    /// Refuses a list naming one service twice.
    pub fn check_services(services: &[StaffService]) -> Result<(), InvalidValue> {
        for (i, s) in services.iter().enumerate() {
            if services[..i].iter().any(|o| o.service_id == s.service_id) {
                return Err(InvalidValue::new(format!("service {} is listed twice", s.service_id)));
            }
        }
        Ok(())
    }
}

/// A staff member as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: StaffId,
    pub name: StaffName,
    pub description: String,
    pub color: Color,
    pub hidden: bool,
    pub telegram_chat_id: Option<i64>,
    pub services: Vec<StaffService>,
}

impl StaffMember {
    pub fn performs(&self, service: ServiceId) -> Option<&StaffService> {
        self.services.iter().find(|s| s.service_id == service)
    }
}

/// A stretch of working time within one day, `[from, to)` in wall-clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stretch {
    pub from: Time,
    pub to: Time,
}

impl Stretch {
    pub fn new(from: Time, to: Time) -> Result<Self, InvalidValue> {
        if to <= from {
            return Err(InvalidValue::new(format!("a working stretch must end after it starts ({from}–{to})")));
        }
        Ok(Self { from, to })
    }
}

/// Sorts a day's stretches and refuses overlapping ones (the gaps between them are breaks).
fn sorted_day(mut stretches: Vec<Stretch>) -> Result<Vec<Stretch>, InvalidValue> {
    stretches.sort();
    if stretches.len() > 12 {
        return Err(InvalidValue::new("at most 12 working stretches a day"));
    }
    if stretches.windows(2).any(|w| w[1].from < w[0].to) {
        return Err(InvalidValue::new("working stretches of one day must not overlap"));
    }
    Ok(stretches)
}

/// Working hours for each weekday (Monday first); a day without stretches is a day off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeeklyHours {
    days: [Vec<Stretch>; 7],
}

impl WeeklyHours {
    /// `(weekday 1–7, stretch)` pairs, in any order.
    pub fn new(stretches: impl IntoIterator<Item = (i64, Stretch)>) -> Result<Self, InvalidValue> {
        let mut days: [Vec<Stretch>; 7] = Default::default();
        for (weekday, stretch) in stretches {
            let index = usize::try_from(weekday - 1)
                .ok()
                .filter(|i| *i < 7)
                .ok_or_else(|| InvalidValue::new("weekday must be a number from 1 (Monday) to 7 (Sunday)"))?;
            days[index].push(stretch);
        }
        for day in &mut days {
            *day = sorted_day(std::mem::take(day))?;
        }
        Ok(Self { days })
    }

    /// No stretch on any day: the staff member has no hours set.
    pub fn is_empty(&self) -> bool {
        self.days.iter().all(Vec::is_empty)
    }

    /// The stretches of a weekday, 1 (Monday) to 7.
    pub fn day(&self, weekday: i8) -> &[Stretch] {
        usize::try_from(weekday - 1).ok().and_then(|i| self.days.get(i)).map_or(&[], Vec::as_slice)
    }

    /// `(weekday, stretch)` pairs, Monday first.
    pub fn iter(&self) -> impl Iterator<Item = (i8, Stretch)> + '_ {
        self.days.iter().zip(1_i8..).flat_map(|(day, n)| day.iter().map(move |s| (n, *s)))
    }
}

/// Dated hours that replace the weekly ones: a day off, a vacation, or different hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursException {
    pub id: i64,
    pub date_from: Date,
    pub date_to: Date,
    /// Empty: not working on these days.
    pub stretches: Vec<Stretch>,
    pub note: String,
}

/// What an admin submits to add an exception.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionDraft {
    pub date_from: Date,
    pub date_to: Date,
    pub stretches: Vec<Stretch>,
    pub note: String,
}

impl ExceptionDraft {
    pub fn new(date_from: Date, date_to: Date, stretches: Vec<Stretch>, note: &str) -> Result<Self, InvalidValue> {
        if date_to < date_from {
            return Err(InvalidValue::new("date_to must not be before date_from"));
        }
        if (date_to - date_from).get_days() >= 366 {
            return Err(InvalidValue::new("an exception covers at most 366 days"));
        }
        let note = crate::service::parse_description(note)?;
        Ok(Self { date_from, date_to, stretches: sorted_day(stretches)?, note })
    }
}

/// When one staff member works: the weekly hours and the exceptions to them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schedule {
    pub weekly: WeeklyHours,
    pub exceptions: Vec<HoursException>,
}

impl Schedule {
    /// No weekly hours and no exception: the staff member's slots alone say when they work.
    pub fn is_unset(&self) -> bool {
        self.weekly.is_empty() && self.exceptions.is_empty()
    }

    /// The stretches worked on a local date: the latest-added exception covering it, else the weekday's.
    pub fn stretches_on(&self, date: Date) -> &[Stretch] {
        self.exceptions
            .iter()
            .rev()
            .find(|e| e.date_from <= date && date <= e.date_to)
            .map_or_else(|| self.weekly.day(date.weekday().to_monday_one_offset()), |e| e.stretches.as_slice())
    }

    /// The instants worked on the local dates `from..=to`, sorted; `None` when no hours are set.
    ///
    /// A stretch that starts in the spring DST gap begins when the clocks resume; one that touches
    /// the autumn fold runs by the first pass of the repeated hour, as a person reading the clock would.
    pub fn open_spans(&self, from: Date, to: Date, tz: &BusinessTime) -> Option<Vec<Busy>> {
        if self.is_unset() {
            return None;
        }
        let mut spans = Vec::new();
        let mut day = from;
        while day <= to {
            for stretch in self.stretches_on(day) {
                let start = instant(tz, day.to_datetime(stretch.from));
                let end = instant(tz, day.to_datetime(stretch.to));
                if let (Some(start), Some(end)) = (start, end)
                    && start < end
                {
                    spans.push(Busy { start, end });
                }
            }
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        Some(spans)
    }
}

fn instant(tz: &BusinessTime, local: jiff::civil::DateTime) -> Option<Timestamp> {
    tz.zone().to_ambiguous_timestamp(local).compatible().ok()
}

/// A staff member who could take an "any staff member" booking, and what decides between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub staff_id: StaffId,
    /// Bookings holding their time on that local day.
    pub bookings_that_day: u32,
    /// When they were last given a booking; `None`: never.
    pub last_booked_at: Option<Timestamp>,
}

/// Who gets an "any staff member" booking: the one with the fewest bookings that day; among equals,
/// the one who waited longest since their last booking; then the lowest id. Never random, so the
/// same facts give the same answer, and over a day the load spreads evenly.
pub fn pick_staff(candidates: &[Candidate]) -> Option<StaffId> {
    candidates.iter().min_by_key(|c| (c.bookings_that_day, c.last_booked_at, c.staff_id)).map(|c| c.staff_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn stretch(from: (i8, i8), to: (i8, i8)) -> Stretch {
        Stretch::new(time(from.0, from.1, 0, 0), time(to.0, to.1, 0, 0)).expect("valid")
    }

    fn kyiv() -> BusinessTime {
        BusinessTime::parse("Europe/Kyiv").expect("known zone")
    }

    #[test]
    fn weekly_hours_keep_breaks_as_gaps_and_refuse_overlaps() {
        let hours = WeeklyHours::new([(1, stretch((15, 0), (19, 0))), (1, stretch((10, 0), (14, 0)))]).expect("valid");
        assert_eq!(hours.day(1), [stretch((10, 0), (14, 0)), stretch((15, 0), (19, 0))], "sorted");
        assert!(hours.day(2).is_empty());
        assert!(WeeklyHours::new([(1, stretch((10, 0), (14, 0))), (1, stretch((13, 0), (19, 0)))]).is_err());
        assert!(WeeklyHours::new([(8, stretch((10, 0), (14, 0)))]).is_err());
        assert!(Stretch::new(time(10, 0, 0, 0), time(10, 0, 0, 0)).is_err());
    }

    #[test]
    fn an_exception_replaces_the_weekday_and_the_latest_one_wins() {
        let weekly = WeeklyHours::new((1..=5).map(|d| (d, stretch((10, 0), (19, 0))))).expect("valid");
        let vacation = HoursException {
            id: 1,
            date_from: date(2026, 3, 2),
            date_to: date(2026, 3, 8),
            stretches: vec![],
            note: String::new(),
        };
        let short_day = HoursException {
            id: 2,
            date_from: date(2026, 3, 4),
            date_to: date(2026, 3, 4),
            stretches: vec![stretch((12, 0), (15, 0))],
            note: String::new(),
        };
        let schedule = Schedule { weekly, exceptions: vec![vacation, short_day] };
        assert!(schedule.stretches_on(date(2026, 3, 3)).is_empty(), "on vacation");
        assert_eq!(schedule.stretches_on(date(2026, 3, 4)), [stretch((12, 0), (15, 0))]);
        assert_eq!(schedule.stretches_on(date(2026, 3, 9)), [stretch((10, 0), (19, 0))], "back on Monday");
        assert!(schedule.stretches_on(date(2026, 3, 14)).is_empty(), "Saturday off");
    }

    #[test]
    fn open_spans_follow_the_clock_across_dst() {
        // 2026-03-29 (Sunday) Kyiv moves 03:00 → 04:00; 2026-10-25 (Sunday) 04:00 → 03:00.
        let weekly = WeeklyHours::new([(7, stretch((2, 0), (6, 0)))]).expect("valid");
        let schedule = Schedule { weekly, exceptions: vec![] };
        let spring = schedule.open_spans(date(2026, 3, 29), date(2026, 3, 29), &kyiv()).expect("hours set");
        assert_eq!(spring.len(), 1);
        assert_eq!(spring[0].end.duration_since(spring[0].start).as_hours(), 3, "an hour shorter");
        let autumn = schedule.open_spans(date(2026, 10, 25), date(2026, 10, 25), &kyiv()).expect("hours set");
        assert_eq!(autumn[0].end.duration_since(autumn[0].start).as_hours(), 5, "an hour longer");
        assert_eq!(Schedule::default().open_spans(date(2026, 1, 1), date(2026, 1, 2), &kyiv()), None);
    }

    #[test]
    fn any_staff_goes_to_the_least_busy_then_the_longest_waiting() {
        let t = |s| Some(Timestamp::from_second(s).expect("valid"));
        let c = |id, day, last| Candidate { staff_id: StaffId(id), bookings_that_day: day, last_booked_at: last };
        assert_eq!(pick_staff(&[c(1, 2, None), c(2, 1, t(50)), c(3, 1, t(100))]), Some(StaffId(2)));
        assert_eq!(pick_staff(&[c(1, 1, t(100)), c(2, 1, None)]), Some(StaffId(2)), "never booked waits longest");
        assert_eq!(pick_staff(&[c(3, 0, None), c(2, 0, None)]), Some(StaffId(2)), "then the lowest id");
        assert_eq!(pick_staff(&[]), None);
    }

    #[test]
    fn colours_and_names_are_parsed() {
        assert_eq!(Color::parse(" #A1B2C3 ").map(|c| c.as_str().to_owned()), Ok("#a1b2c3".into()));
        for bad in ["a1b2c3", "#abc", "#ggg000", "", "#a1b2c3d"] {
            assert!(Color::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(StaffName::parse("  Оксана   Мельник ").map(|n| n.as_str().to_owned()), Ok("Оксана Мельник".into()));
        assert!(StaffName::parse("  ").is_err());
    }
}
