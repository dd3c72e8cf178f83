//! Small decisions both SQL backends make the same way on values they read.

use jiff::Timestamp;
use zapys_domain::{Busy, Client, Schedule, Settings};
use zapys_store::DataCipher;

use crate::sealing::APPOINTMENT_NOTES;

/// Is `blocked` inside the staff member's working hours (when they have any) and over by `ends_by`?
pub fn within_hours(
    schedule: Option<&Schedule>,
    settings: &Settings,
    blocked: Busy,
    ends_by: Option<Timestamp>,
) -> bool {
    if ends_by.is_some_and(|end| blocked.end > end) {
        return false;
    }
    let tz = &settings.timezone;
    let day = tz.today(blocked.start);
    let (first, last) = (day.yesterday().unwrap_or(day), tz.today(blocked.end).tomorrow().unwrap_or(day));
    match schedule.and_then(|s| s.open_spans(first, last, tz)) {
        None => true,
        Some(open) => open.iter().any(|o| o.start <= blocked.start && blocked.end <= o.end),
    }
}

/// Notes are sealed when there are any; no notes are stored as NULL.
pub fn seal_notes(cipher: &DataCipher, id: i64, notes: &str) -> Option<Vec<u8>> {
    (!notes.is_empty()).then(|| cipher.seal(APPOINTMENT_NOTES, id, notes))
}

/// Does `client` match a search text (lowercase: part of the name, or digits of the phone)?
pub fn matches(client: &Client, needle: &str) -> bool {
    let Some(contact) = &client.contact else {
        return false;
    };
    let name = contact.name.as_str().to_lowercase();
    let digits: String = needle.chars().filter(char::is_ascii_digit).collect();
    name.contains(needle) || (!digits.is_empty() && contact.phone.as_str().contains(&digits))
}

/// A price change as the history shows it: "from 600.00 to 500.00" (`none` for no price).
pub fn price_change(before: Option<i64>, after: Option<i64>) -> String {
    let show = |cents: Option<i64>| cents.map_or_else(|| "none".to_owned(), |c| format!("{}.{:02}", c / 100, c % 100));
    format!("from {} to {}", show(before), show(after))
}
