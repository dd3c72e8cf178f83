//! What an inline button asks for, packed into Telegram's 64 bytes of
//! `callback_data`. Compact ASCII codes; every press is parsed back strictly
//! and then checked against the current data, never trusted.

use jiff::civil::Date;
use zapys_domain::{AppointmentId, Language, ServiceId, SlotId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// An inert button (a weekday header, a day without free times).
    Noop,
    /// Back to the main menu.
    Menu,
    /// The list of services.
    Services,
    /// A service's calendar, at its first month.
    Service(ServiceId),
    /// A service's calendar at a month.
    Month {
        service: ServiceId,
        year: i16,
        month: i8,
    },
    /// The free times of a day.
    Day {
        service: ServiceId,
        date: Date,
    },
    /// A chosen time: the summary to confirm.
    Time {
        service: ServiceId,
        slot: SlotId,
    },
    /// Book it.
    Book {
        service: ServiceId,
        slot: SlotId,
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
}

impl Action {
    pub fn encode(self) -> String {
        match self {
            Self::Noop => "n".into(),
            Self::Menu => "M".into(),
            Self::Services => "S".into(),
            Self::Service(s) => format!("s{s}"),
            Self::Month { service, year, month } => format!("m{service}:{year:04}{month:02}"),
            Self::Day { service, date } => format!("d{service}:{}", date.strftime("%Y%m%d")),
            Self::Time { service, slot } => format!("t{service}:{slot}"),
            Self::Book { service, slot } => format!("b{service}:{slot}"),
            Self::MyBookings => "L".into(),
            Self::Confirm(a) => format!("c{a}"),
            Self::AskCancel(a) => format!("k{a}"),
            Self::Cancel(a) => format!("K{a}"),
            Self::EditName => "pn".into(),
            Self::EditPhone => "pp".into(),
            Self::SetLanguage(l) => format!("l{}", l.code()),
            Self::AskErase => "e?".into(),
            Self::Erase => "e!".into(),
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
        let (tag, rest) = data.split_at_checked(1)?;
        let action = match (tag, rest) {
            ("n", "") => Self::Noop,
            ("M", "") => Self::Menu,
            ("S", "") => Self::Services,
            ("L", "") => Self::MyBookings,
            ("s", _) => Self::Service(ServiceId(id(rest)?)),
            ("m", _) => {
                let (service, ym) = pair(rest)?;
                if ym.len() != 6 || !ym.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let (year, month) = (ym[..4].parse().ok()?, ym[4..].parse().ok()?);
                Date::new(year, month, 1).ok()?;
                Self::Month { service: ServiceId(service), year, month }
            }
            ("d", _) => {
                let (service, ymd) = pair(rest)?;
                if ymd.len() != 8 || !ymd.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let date = Date::new(ymd[..4].parse().ok()?, ymd[4..6].parse().ok()?, ymd[6..].parse().ok()?).ok()?;
                Self::Day { service: ServiceId(service), date }
            }
            ("t", _) => {
                let (service, slot) = pair(rest)?;
                Self::Time { service: ServiceId(service), slot: SlotId(id(slot)?) }
            }
            ("b", _) => {
                let (service, slot) = pair(rest)?;
                Self::Book { service: ServiceId(service), slot: SlotId(id(slot)?) }
            }
            ("c", _) => Self::Confirm(AppointmentId(id(rest)?)),
            ("k", _) => Self::AskCancel(AppointmentId(id(rest)?)),
            ("K", _) => Self::Cancel(AppointmentId(id(rest)?)),
            ("p", "n") => Self::EditName,
            ("p", "p") => Self::EditPhone,
            ("l", code) => Self::SetLanguage(Language::parse(code).ok()?),
            ("e", "?") => Self::AskErase,
            ("e", "!") => Self::Erase,
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
        vec![
            Action::Noop,
            Action::Menu,
            Action::Services,
            Action::Service(ServiceId(big)),
            Action::Month { service: ServiceId(big), year: 2026, month: 12 },
            Action::Day { service: ServiceId(big), date: date(2026, 3, 29) },
            Action::Time { service: ServiceId(big), slot: SlotId(big) },
            Action::Book { service: ServiceId(big), slot: SlotId(big) },
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
        ]
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
            "b1:2:3",
        ] {
            assert_eq!(Action::decode(bad), None, "{bad:?} must be refused");
        }
    }
}
