//! What an inline button asks for, packed into Telegram's 64 bytes of
//! `callback_data`. Compact ASCII codes; every press is parsed back strictly
//! and then checked against the current data, never trusted.

use jiff::Timestamp;
use jiff::civil::Date;
use zapys_domain::{AppointmentId, Language, ServiceId, StaffId};

/// Whom a client books with: one staff member, or whoever is free.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    Any,
    One(StaffId),
}

impl Pick {
    /// The staff member to ask the store for; `None`: anyone who performs the service.
    pub fn staff(self) -> Option<StaffId> {
        match self {
            Self::Any => None,
            Self::One(id) => Some(id),
        }
    }

    fn encode(self) -> String {
        match self {
            Self::Any => "a".into(),
            Self::One(id) => id.to_string(),
        }
    }
}

/// What a calendar and a day's times lead to: a new booking of a service, or a new time for a
/// booking the client has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Book(ServiceId),
    Move(AppointmentId),
}

impl Flow {
    /// The calendar with `pick`, at its first month with free times.
    pub fn start(self, pick: Pick) -> Action {
        match self {
            Self::Book(service) => Action::Staff { service, pick },
            Self::Move(appointment) => Action::MoveWith { appointment, pick },
        }
    }

    pub fn month(self, pick: Pick, first: Date) -> Action {
        let (year, month) = (first.year(), first.month());
        match self {
            Self::Book(service) => Action::Month { service, pick, year, month },
            Self::Move(appointment) => Action::MoveMonth { appointment, pick, year, month },
        }
    }

    pub fn day(self, pick: Pick, date: Date) -> Action {
        match self {
            Self::Book(service) => Action::Day { service, pick, date },
            Self::Move(appointment) => Action::MoveDay { appointment, pick, date },
        }
    }

    pub fn time(self, pick: Pick, at: Timestamp) -> Action {
        match self {
            Self::Book(service) => Action::Time { service, pick, at },
            Self::Move(appointment) => Action::MoveTime { appointment, pick, at },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// An inert button (a weekday header, a day without free times).
    Noop,
    /// Back to the main menu.
    Menu,
    /// The list of services.
    Services,
    /// A chosen service: the choice of staff member (or, when only one performs it, the calendar).
    Service(ServiceId),
    /// A service's calendar with a staff member (or anyone), at its first month.
    Staff {
        service: ServiceId,
        pick: Pick,
    },
    /// A service's calendar at a month.
    Month {
        service: ServiceId,
        pick: Pick,
        year: i16,
        month: i8,
    },
    /// The free times of a day.
    Day {
        service: ServiceId,
        pick: Pick,
        date: Date,
    },
    /// A chosen start time: the summary to confirm.
    Time {
        service: ServiceId,
        pick: Pick,
        at: Timestamp,
    },
    /// Book it.
    Book {
        service: ServiceId,
        pick: Pick,
        at: Timestamp,
    },
    /// The client's upcoming bookings.
    MyBookings,
    Confirm(AppointmentId),
    /// Asks "are you sure?" before cancelling.
    AskCancel(AppointmentId),
    Cancel(AppointmentId),
    EditName,
    EditPhone,
    SetLanguage(Language),
    AskErase,
    Erase,
    // --- moving a booking: the same steps as booking, for a booking the client has ---
    /// Start moving: whom with (when several perform the service), or straight to the calendar.
    AskMove(AppointmentId),
    /// The calendar with a staff member (or anyone), at its first month.
    MoveWith {
        appointment: AppointmentId,
        pick: Pick,
    },
    MoveMonth {
        appointment: AppointmentId,
        pick: Pick,
        year: i16,
        month: i8,
    },
    MoveDay {
        appointment: AppointmentId,
        pick: Pick,
        date: Date,
    },
    /// A chosen new time: old → new, to confirm.
    MoveTime {
        appointment: AppointmentId,
        pick: Pick,
        at: Timestamp,
    },
    /// Move it there.
    MoveTo {
        appointment: AppointmentId,
        pick: Pick,
        at: Timestamp,
    },
    // --- support ---
    /// «Написати нам»: the next message goes to the business.
    WriteUs,
    // --- waitlist ---
    /// A day without free time: ask whether to wait for that day alone or the days beside it too.
    AskWait {
        service: ServiceId,
        pick: Pick,
        date: Date,
    },
    /// Join the waitlist of a day (`around`: the day before and after count too).
    JoinWait {
        service: ServiceId,
        pick: Pick,
        date: Date,
        around: bool,
    },
    /// A waitlist offer's "book this time": books the wait's service at `at`.
    TakeOffer {
        wait: i64,
        at: Timestamp,
    },
    /// Leave a waitlist.
    LeaveWait(i64),
    // --- comeback ---
    /// Turns the nudges to book again off (`false`) or on (`true`).
    RebookNudges(bool),
    /// A visit's rating, 1 to 5 stars (checked again when pressed).
    Rate(AppointmentId, u8),
}

impl Action {
    pub fn encode(self) -> String {
        match self {
            Self::Noop => "n".into(),
            Self::Menu => "M".into(),
            Self::Services => "S".into(),
            Self::Service(s) => format!("s{s}"),
            Self::Staff { service, pick } => format!("f{service}:{}", pick.encode()),
            Self::Month { service, pick, year, month } => format!("m{service}:{}:{year:04}{month:02}", pick.encode()),
            Self::Day { service, pick, date } => format!("d{service}:{}:{}", pick.encode(), date.strftime("%Y%m%d")),
            Self::Time { service, pick, at } => format!("t{service}:{}:{}", pick.encode(), at.as_second()),
            Self::Book { service, pick, at } => format!("b{service}:{}:{}", pick.encode(), at.as_second()),
            Self::MyBookings => "L".into(),
            Self::Confirm(a) => format!("c{a}"),
            Self::AskCancel(a) => format!("k{a}"),
            Self::Cancel(a) => format!("K{a}"),
            Self::EditName => "pn".into(),
            Self::EditPhone => "pp".into(),
            Self::SetLanguage(l) => format!("l{}", l.code()),
            Self::AskErase => "e?".into(),
            Self::Erase => "e!".into(),
            Self::AskMove(a) => format!("r{a}"),
            Self::MoveWith { appointment, pick } => format!("Rw{appointment}:{}", pick.encode()),
            Self::MoveMonth { appointment, pick, year, month } => {
                format!("Rm{appointment}:{}:{year:04}{month:02}", pick.encode())
            }
            Self::MoveDay { appointment, pick, date } => {
                format!("Rd{appointment}:{}:{}", pick.encode(), date.strftime("%Y%m%d"))
            }
            Self::MoveTime { appointment, pick, at } => format!("Rt{appointment}:{}:{}", pick.encode(), at.as_second()),
            Self::MoveTo { appointment, pick, at } => format!("Rb{appointment}:{}:{}", pick.encode(), at.as_second()),
            // --- support ---
            Self::WriteUs => "h".into(),
            // --- waitlist ---
            Self::AskWait { service, pick, date } => {
                format!("q{service}:{}:{}", pick.encode(), date.strftime("%Y%m%d"))
            }
            Self::JoinWait { service, pick, date, around } => {
                format!("Q{service}:{}:{}:{}", pick.encode(), date.strftime("%Y%m%d"), u8::from(around))
            }
            Self::TakeOffer { wait, at } => format!("qb{wait}:{}", at.as_second()),
            Self::LeaveWait(wait) => format!("Qx{wait}"),
            // --- comeback ---
            Self::RebookNudges(on) => if on { "g+" } else { "g-" }.into(),
            Self::Rate(a, stars) => format!("x{a}:{stars}"),
        }
    }

    /// Parses button data; anything malformed (forged, truncated, from an old version) is `None`.
    pub fn decode(data: &str) -> Option<Self> {
        fn id(text: &str) -> Option<i64> {
            if text.is_empty() || text.len() > 19 || !text.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            text.parse().ok().filter(|&n| n > 0)
        }
        fn pair(text: &str) -> Option<(i64, &str)> {
            let (left, right) = text.split_once(':')?;
            Some((id(left)?, right))
        }
        fn pick(text: &str) -> Option<Pick> {
            if text == "a" { Some(Pick::Any) } else { Some(Pick::One(StaffId(id(text)?))) }
        }
        /// `service:pick:rest`; buttons from before staff existed (`service:rest`) mean anyone.
        fn triple(text: &str) -> Option<(ServiceId, Pick, &str)> {
            let (service, rest) = pair(text)?;
            let (who, rest) = match rest.split_once(':') {
                Some((who, rest)) => (pick(who)?, rest),
                None => (Pick::Any, rest),
            };
            Some((ServiceId(service), who, rest))
        }
        fn at(text: &str) -> Option<Timestamp> {
            Timestamp::from_second(id(text)?).ok()
        }
        fn year_month(ym: &str) -> Option<(i16, i8)> {
            if ym.len() != 6 || !ym.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let (year, month) = (ym[..4].parse().ok()?, ym[4..].parse().ok()?);
            Date::new(year, month, 1).ok()?;
            Some((year, month))
        }
        fn day(ymd: &str) -> Option<Date> {
            if ymd.len() != 8 || !ymd.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Date::new(ymd[..4].parse().ok()?, ymd[4..6].parse().ok()?, ymd[6..].parse().ok()?).ok()
        }
        /// `appointment:pick:rest`, all three required.
        fn moving(text: &str) -> Option<(AppointmentId, Pick, &str)> {
            let (appointment, rest) = pair(text)?;
            let (who, rest) = rest.split_once(':')?;
            Some((AppointmentId(appointment), pick(who)?, rest))
        }
        let (tag, rest) = data.split_at_checked(1)?;
        let action = match (tag, rest) {
            ("n", "") => Self::Noop,
            ("M", "") => Self::Menu,
            ("S", "") => Self::Services,
            ("L", "") => Self::MyBookings,
            ("s", _) => Self::Service(ServiceId(id(rest)?)),
            ("f", _) => {
                let (service, who) = pair(rest)?;
                Self::Staff { service: ServiceId(service), pick: pick(who)? }
            }
            ("m", _) => {
                let (service, pick, ym) = triple(rest)?;
                let (year, month) = year_month(ym)?;
                Self::Month { service, pick, year, month }
            }
            ("d", _) => {
                let (service, pick, ymd) = triple(rest)?;
                Self::Day { service, pick, date: day(ymd)? }
            }
            // Time and booking buttons always name the choice: an old one (a slot id) is refused.
            ("t", _) => {
                let (service, who) = pair(rest)?;
                let (who, secs) = who.split_once(':')?;
                Self::Time { service: ServiceId(service), pick: pick(who)?, at: at(secs)? }
            }
            ("b", _) => {
                let (service, who) = pair(rest)?;
                let (who, secs) = who.split_once(':')?;
                Self::Book { service: ServiceId(service), pick: pick(who)?, at: at(secs)? }
            }
            ("c", _) => Self::Confirm(AppointmentId(id(rest)?)),
            ("k", _) => Self::AskCancel(AppointmentId(id(rest)?)),
            ("K", _) => Self::Cancel(AppointmentId(id(rest)?)),
            ("p", "n") => Self::EditName,
            ("p", "p") => Self::EditPhone,
            ("l", code) => Self::SetLanguage(Language::parse(code).ok()?),
            ("e", "?") => Self::AskErase,
            ("e", "!") => Self::Erase,
            ("r", _) => Self::AskMove(AppointmentId(id(rest)?)),
            ("R", _) => {
                let (step, rest) = rest.split_at_checked(1)?;
                if step == "w" {
                    let (appointment, who) = pair(rest)?;
                    return Some(Self::MoveWith { appointment: AppointmentId(appointment), pick: pick(who)? });
                }
                let (appointment, pick, rest) = moving(rest)?;
                match step {
                    "m" => {
                        let (year, month) = year_month(rest)?;
                        Self::MoveMonth { appointment, pick, year, month }
                    }
                    "d" => Self::MoveDay { appointment, pick, date: day(rest)? },
                    "t" => Self::MoveTime { appointment, pick, at: at(rest)? },
                    "b" => Self::MoveTo { appointment, pick, at: at(rest)? },
                    _ => return None,
                }
            }
            // --- support ---
            ("h", "") => Self::WriteUs,
            // --- waitlist ---
            ("q", _) if rest.starts_with('b') => {
                let (wait, secs) = pair(&rest[1..])?;
                Self::TakeOffer { wait, at: at(secs)? }
            }
            ("q", _) => {
                let (service, who) = pair(rest)?;
                let (who, ymd) = who.split_once(':')?;
                Self::AskWait { service: ServiceId(service), pick: pick(who)?, date: day(ymd)? }
            }
            ("Q", _) if rest.starts_with('x') => Self::LeaveWait(id(&rest[1..])?),
            ("Q", _) => {
                let (service, who) = pair(rest)?;
                let (who, rest) = who.split_once(':')?;
                let (ymd, around) = rest.split_once(':')?;
                let around = match around {
                    "0" => false,
                    "1" => true,
                    _ => return None,
                };
                Self::JoinWait { service: ServiceId(service), pick: pick(who)?, date: day(ymd)?, around }
            }
            // --- comeback ---
            ("g", "+") => Self::RebookNudges(true),
            ("g", "-") => Self::RebookNudges(false),
            ("x", _) => {
                let (appointment, stars) = pair(rest)?;
                let stars = match stars.as_bytes() {
                    [digit @ b'1'..=b'5'] => digit - b'0',
                    _ => return None,
                };
                Self::Rate(AppointmentId(appointment), stars)
            }
            _ => return None,
        };
        Some(action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn all_kinds() -> Vec<Action> {
        let big = i64::MAX;
        let latest = Timestamp::MAX.checked_sub(jiff::SignedDuration::from_secs(1)).expect("valid");
        let latest = Timestamp::from_second(latest.as_second()).expect("whole seconds");
        let mut all = vec![
            Action::Noop,
            Action::Menu,
            Action::Services,
            Action::Service(ServiceId(big)),
            Action::MyBookings,
            Action::Confirm(AppointmentId(big)),
            Action::AskCancel(AppointmentId(big)),
            Action::Cancel(AppointmentId(big)),
            Action::EditName,
            Action::EditPhone,
            Action::SetLanguage(Language::En),
            Action::SetLanguage(Language::Uk),
            Action::AskErase,
            Action::Erase,
            Action::AskMove(AppointmentId(big)),
            // --- support ---
            Action::WriteUs,
            // --- waitlist ---
            Action::TakeOffer { wait: big, at: latest },
            Action::LeaveWait(big),
            // --- comeback ---
            Action::RebookNudges(true),
            Action::RebookNudges(false),
            Action::Rate(AppointmentId(big), 5),
            Action::Rate(AppointmentId(1), 1),
        ];
        // The longest ids there are, for a staff member and for anyone.
        for pick in [Pick::One(StaffId(big)), Pick::Any] {
            all.extend([
                Action::Staff { service: ServiceId(big), pick },
                Action::Month { service: ServiceId(big), pick, year: 2026, month: 12 },
                Action::Day { service: ServiceId(big), pick, date: date(2026, 3, 29) },
                Action::Time { service: ServiceId(big), pick, at: latest },
                Action::Book { service: ServiceId(big), pick, at: latest },
                Action::Time { service: ServiceId(1), pick, at: Timestamp::from_second(1).expect("valid") },
                Action::MoveWith { appointment: AppointmentId(big), pick },
                Action::MoveMonth { appointment: AppointmentId(big), pick, year: 2026, month: 12 },
                Action::MoveDay { appointment: AppointmentId(big), pick, date: date(2026, 3, 29) },
                Action::MoveTime { appointment: AppointmentId(big), pick, at: latest },
                Action::MoveTo { appointment: AppointmentId(big), pick, at: latest },
                // --- waitlist ---
                Action::AskWait { service: ServiceId(big), pick, date: date(2026, 3, 29) },
                Action::JoinWait { service: ServiceId(big), pick, date: date(2026, 3, 29), around: true },
                Action::JoinWait { service: ServiceId(big), pick, date: date(2026, 3, 29), around: false },
            ]);
        }
        all
    }

    #[test]
    fn buttons_from_before_staff_existed_mean_anyone_or_are_refused() {
        assert_eq!(
            Action::decode("d1:20260303"),
            Some(Action::Day { service: ServiceId(1), pick: Pick::Any, date: date(2026, 3, 3) })
        );
        assert_eq!(
            Action::decode("m1:202603"),
            Some(Action::Month { service: ServiceId(1), pick: Pick::Any, year: 2026, month: 3 })
        );
        assert_eq!(Action::decode("t1:5"), None, "a time button carried a slot id then");
        assert_eq!(Action::decode("b1:5"), None);
    }

    #[test]
    fn every_action_survives_a_round_trip_within_64_bytes() {
        for action in all_kinds() {
            let data = action.encode();
            assert!(!data.is_empty() && data.len() <= 64, "{data} is {} bytes", data.len());
            assert_eq!(Action::decode(&data), Some(action), "{data}");
        }
    }

    #[test]
    fn forged_or_broken_data_is_refused() {
        for bad in [
            "",
            "x",
            "s",
            "s0",
            "s-1",
            "s1a",
            "s99999999999999999999",
            "m1:2026",
            "m1:202613",
            "m1:20261",
            "d1:20260230",
            "d1:2026-03-01",
            "t1",
            "t1:",
            "t:5",
            "b1:x",
            "K",
            "lfr",
            "e",
            "e?!",
            "ss1",
            "Menu",
            "n ",
            "с1",
            "b1:2:3:4",
            "b1:0:1772400000",
            "b1:x:1772400000",
            "t1:a:",
            "t1:a:-5",
            "t1:a:99999999999999",
            "f1",
            "f1:",
            "f1:0",
            "f1:b",
            "d1:0:20260303",
            "m1:aa:202603",
            "r",
            "r0",
            "R",
            "Rx1:a:5",
            "Rb1:a",
            "Rb1:5",
            "Rb1:a:",
            "Rt1:0:1772400000",
            "Rm1:a:202613",
            "Rd1:a:20260230",
            "Rd:a:20260303",
            "Rw1",
            "Rw1:",
            "Rw1:a:5",
            // --- waitlist ---
            "q",
            "qb",
            "qb1",
            "qb0:5",
            "q1:a",
            "q1:a:2026031",
            "Q1:a:20260303",
            "Q1:a:20260303:2",
            "Q1:a:20260230:1",
            "Qx",
            "Qx0",
            "Qxy",
            // --- comeback ---
            "g",
            "g0",
            "x1",
            "x1:0",
            "x1:6",
            "x1:55",
            "x0:3",
            "x:3",
        ] {
            assert_eq!(Action::decode(bad), None, "{bad:?} must be refused");
        }
    }
}
