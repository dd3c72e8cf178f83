//! The business's settings: who it is, where, and its booking rules.

use jiff::SignedDuration;

use crate::InvalidValue;
use crate::booking::BookingPolicy;
use crate::comeback::Daytime;
use crate::time::BusinessTime;

/// Settings as stored, every field already valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub business_name: String,
    pub address: String,
    pub phone: String,
    /// Opening hours as the business writes them ("Пн–Пт 9:00–18:00").
    pub hours: String,
    pub timezone: BusinessTime,
    pub min_notice_minutes: u32,
    pub max_active_bookings: u32,
    /// New bookings start confirmed instead of pending.
    pub auto_confirm: bool,
    /// Minutes before a visit at which a reminder goes out, largest first.
    pub reminder_offsets_minutes: Vec<u32>,
    /// Thank clients after a completed visit.
    pub thank_you: bool,
    /// Cancel bookings still pending this long before their start, to offer the time again.
    pub auto_cancel_pending_minutes: Option<u32>,
    /// How many days ahead times can be offered and booked.
    pub booking_horizon_days: u32,
    /// Clients may cancel or move a booking only until this many hours before it starts;
    /// 0: always. The business itself is never held to it.
    pub change_window_hours: u32,
    // --- comeback ---
    /// The hours in which the business writes to clients first (rebook nudges, rating requests).
    pub daytime: Daytime,
    /// Ask "how was it?" (1–5 stars) after a completed visit.
    pub ask_rating: bool,
    /// Hours after the visit's end before the rating is asked.
    pub rating_delay_hours: u32,
}

impl Settings {
    /// The defaults of a new database.
    pub fn new_business(timezone: BusinessTime) -> Self {
        Self {
            business_name: "Zapys".into(),
            address: String::new(),
            phone: String::new(),
            hours: String::new(),
            timezone,
            min_notice_minutes: 60,
            max_active_bookings: 3,
            auto_confirm: false,
            reminder_offsets_minutes: vec![24 * 60, 120],
            thank_you: false,
            auto_cancel_pending_minutes: None,
            booking_horizon_days: Self::DEFAULT_HORIZON_DAYS,
            change_window_hours: 0,
            // --- comeback ---
            daytime: Daytime::DEFAULT,
            // Off until the business turns it on, like the thank-you: a message after every visit
            // is the business's choice, and a client who finds it pushy may block the bot, which
            // would silence their reminders too.
            ask_rating: false,
            rating_delay_hours: 3,
        }
    }

    pub const DEFAULT_HORIZON_DAYS: u32 = 365;
    /// Ten years: far enough for any business, near enough that date arithmetic never overflows.
    pub const MAX_HORIZON_DAYS: u32 = 3650;
    /// A month: a longer window would lock clients out of their own bookings.
    pub const MAX_CHANGE_WINDOW_HOURS: u32 = 24 * 31;

    pub fn policy(&self) -> BookingPolicy {
        BookingPolicy {
            min_notice: SignedDuration::from_mins(i64::from(self.min_notice_minutes)),
            max_active_per_client: self.max_active_bookings,
            horizon: SignedDuration::from_hours(24 * i64::from(self.booking_horizon_days)),
            change_window: SignedDuration::from_hours(i64::from(self.change_window_hours)),
        }
    }
}

/// Free text shown to clients: trimmed and bounded.
pub fn parse_text(field: &str, text: &str, max_chars: usize) -> Result<String, InvalidValue> {
    let text = text.trim();
    if text.chars().count() > max_chars {
        return Err(InvalidValue::new(format!("{field} must be at most {max_chars} characters")));
    }
    Ok(text.to_owned())
}

/// A number within bounds, with the field's name in the error.
pub fn parse_bounded(field: &str, value: i64, min: u32, max: u32) -> Result<u32, InvalidValue> {
    u32::try_from(value)
        .ok()
        .filter(|v| (min..=max).contains(v))
        .ok_or_else(|| InvalidValue::new(format!("{field} must be between {min} and {max}")))
}

/// Reminder offsets: up to five, each between 5 minutes and 7 days; sorted, largest first, no repeats.
pub fn parse_reminder_offsets(offsets: &[i64]) -> Result<Vec<u32>, InvalidValue> {
    if offsets.len() > 5 {
        return Err(InvalidValue::new("at most 5 reminder offsets"));
    }
    let mut parsed = offsets
        .iter()
        .map(|&o| parse_bounded("each reminder offset", o, 5, 7 * 24 * 60))
        .collect::<Result<Vec<_>, _>>()?;
    parsed.sort_unstable_by(|a, b| b.cmp(a));
    parsed.dedup();
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminder_offsets_are_sorted_largest_first_without_repeats() {
        assert_eq!(parse_reminder_offsets(&[120, 1440, 120]), Ok(vec![1440, 120]));
        assert_eq!(parse_reminder_offsets(&[]), Ok(vec![]));
        assert!(parse_reminder_offsets(&[0]).is_err());
        assert!(parse_reminder_offsets(&[-60]).is_err());
        assert!(parse_reminder_offsets(&[60; 6]).is_err());
    }

    #[test]
    fn the_policy_follows_the_settings() {
        let mut settings = Settings::new_business(BusinessTime::parse("Europe/Kyiv").expect("known"));
        settings.min_notice_minutes = 90;
        settings.max_active_bookings = 5;
        let policy = settings.policy();
        assert_eq!(policy.min_notice, SignedDuration::from_mins(90));
        assert_eq!(policy.max_active_per_client, 5);
    }
}
