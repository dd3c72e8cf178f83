//! Links that open the bot at a service or a staff member: `t.me/<bot>?start=s12` (service 12)
//! or `?start=m3` (staff member 3), so a business can put one link per master on Instagram.
//! Telegram delivers them as `/start s12`; anything else after `/start` is ignored.

use serde::{Deserialize, Serialize};
use zapys_domain::{ServiceId, StaffId};

/// Where a start link opens the booking. Kept through registration, so a new client lands there
/// once they are registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StartLink {
    Service(ServiceId),
    Staff(StaffId),
}

impl StartLink {
    /// The link in a `/start <payload>` message, if it names one; malformed payloads are `None`.
    pub fn parse(text: &str) -> Option<Self> {
        let mut words = text.split_whitespace();
        let command = words.next()?;
        let payload = words.next()?;
        if command.split('@').next() != Some("/start") || words.next().is_some() {
            return None;
        }
        let (tag, id) = payload.split_at_checked(1)?;
        if id.is_empty() || id.len() > 18 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let id: i64 = id.parse().ok().filter(|&n| n > 0)?;
        match tag {
            "s" => Some(Self::Service(ServiceId(id))),
            "m" => Some(Self::Staff(StaffId(id))),
            _ => None,
        }
    }

    /// The payload to put after `?start=`.
    pub fn payload(self) -> String {
        match self {
            Self::Service(id) => format!("s{id}"),
            Self::Staff(id) => format!("m{id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_names_a_service_or_a_staff_member() {
        assert_eq!(StartLink::parse("/start s12"), Some(StartLink::Service(ServiceId(12))));
        assert_eq!(StartLink::parse("/start m3"), Some(StartLink::Staff(StaffId(3))));
        assert_eq!(StartLink::parse("/start@zapys_bot m3"), Some(StartLink::Staff(StaffId(3))));
        for link in [StartLink::Service(ServiceId(7)), StartLink::Staff(StaffId(i64::from(i32::MAX)))] {
            assert_eq!(StartLink::parse(&format!("/start {}", link.payload())), Some(link));
        }
    }

    #[test]
    fn anything_else_is_no_link() {
        for text in [
            "/start",
            "/start ",
            "/start s",
            "/start s0",
            "/start s-1",
            "/start x12",
            "/start s12x",
            "/start s1 s2",
            "/start s9999999999999999999",
            "/menu s12",
            "s12",
            "/start с12",
        ] {
            assert_eq!(StartLink::parse(text), None, "{text:?}");
        }
    }
}
