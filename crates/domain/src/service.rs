//! Services: what the business offers, how long it takes, what it costs.

use serde::Serialize;

use crate::{InvalidValue, ServiceId};

/// A service's name: trimmed, 1 to 100 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ServiceName(String);

impl ServiceName {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let name = text.trim();
        match name.chars().count() {
            0 => Err(InvalidValue::new("service_name must not be empty")),
            1..=100 => Ok(Self(name.to_owned())),
            _ => Err(InvalidValue::new("service_name must be at most 100 characters")),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How long a service takes: whole minutes, from 1 minute to 24 hours.
///
/// The upper bound matters beyond sanity: the overlap guard in the store only
/// looks back one day from a new booking's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Duration(u32);

impl Duration {
    pub const MAX_MINUTES: u32 = 24 * 60;

    pub fn from_minutes(minutes: i64) -> Result<Self, InvalidValue> {
        match u32::try_from(minutes) {
            Ok(m) if (1..=Self::MAX_MINUTES).contains(&m) => Ok(Self(m)),
            _ => Err(InvalidValue::new("duration must be between 1 minute and 24 hours")),
        }
    }

    /// Hours as the original API spoke them: `1`, `1.5`, `0.25`; rounded to the minute.
    pub fn from_hours(hours: f64) -> Result<Self, InvalidValue> {
        if !hours.is_finite() || hours <= 0.0 || hours > 24.0 {
            return Err(InvalidValue::new("duration_hours must be more than 0 and at most 24"));
        }
        // The range check above keeps this cast exact and in bounds.
        #[allow(clippy::cast_possible_truncation)]
        Self::from_minutes((hours * 60.0).round() as i64)
    }

    pub fn minutes(self) -> u32 {
        self.0
    }

    pub fn hours(self) -> f64 {
        f64::from(self.0) / 60.0
    }

    pub fn span(self) -> jiff::SignedDuration {
        jiff::SignedDuration::from_mins(i64::from(self.0))
    }
}

/// A price in kopecks (hundredths of the currency unit), never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Price(i64);

impl Price {
    const MAX_CENTS: i64 = 10_000_000_000;

    pub fn from_cents(cents: i64) -> Result<Self, InvalidValue> {
        if (0..=Self::MAX_CENTS).contains(&cents) {
            Ok(Self(cents))
        } else {
            Err(InvalidValue::new("price must be between 0 and 100000000"))
        }
    }

    /// A price as a decimal number of currency units (`450`, `99.5`).
    pub fn from_units(units: f64) -> Result<Self, InvalidValue> {
        if !units.is_finite() || !(0.0..=100_000_000.0).contains(&units) {
            return Err(InvalidValue::new("price must be between 0 and 100000000"));
        }
        #[allow(clippy::cast_possible_truncation)]
        Self::from_cents((units * 100.0).round() as i64)
    }

    pub fn cents(self) -> i64 {
        self.0
    }

    #[allow(clippy::cast_precision_loss)]
    pub fn units(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

/// Time a service needs of its staff member before and after the visit (setting up, cleaning):
/// it blocks the staff member but is not part of the client's visit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Buffers {
    before: u16,
    after: u16,
}

impl Buffers {
    pub const NONE: Self = Self { before: 0, after: 0 };
    pub const MAX_MINUTES: i64 = 240;

    pub fn from_minutes(before: i64, after: i64) -> Result<Self, InvalidValue> {
        let one = |minutes: i64, name: &str| {
            u16::try_from(minutes)
                .ok()
                .filter(|m| i64::from(*m) <= Self::MAX_MINUTES)
                .ok_or_else(|| InvalidValue::new(format!("{name} must be between 0 and {} minutes", Self::MAX_MINUTES)))
        };
        Ok(Self { before: one(before, "buffer_before_minutes")?, after: one(after, "buffer_after_minutes")? })
    }

    pub fn before_minutes(self) -> u16 {
        self.before
    }

    pub fn after_minutes(self) -> u16 {
        self.after
    }

    /// What a visit of `duration` with these buffers takes of its staff member's time.
    pub fn need(self, duration: Duration) -> crate::availability::Need {
        crate::availability::Need {
            duration: duration.span(),
            before: jiff::SignedDuration::from_mins(i64::from(self.before)),
            after: jiff::SignedDuration::from_mins(i64::from(self.after)),
        }
    }
}

/// What an admin submits to create or change a service.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceDraft {
    pub name: ServiceName,
    pub duration: Duration,
    pub price: Option<Price>,
    pub description: String,
    pub hidden: bool,
    pub buffers: Buffers,
    // --- comeback ---
    /// Days after a completed visit at which the client is nudged to book again; `None`: never.
    pub rebook_after_days: Option<u32>,
}

/// A service as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub id: ServiceId,
    pub name: ServiceName,
    pub duration: Duration,
    pub price: Option<Price>,
    pub description: String,
    /// Hidden services keep their history but are not offered in the bot.
    pub hidden: bool,
    pub buffers: Buffers,
    // --- comeback ---
    /// Days after a completed visit at which the client is nudged to book again; `None`: never.
    pub rebook_after_days: Option<u32>,
}

/// Descriptions are free text, bounded so one field cannot fill a message.
pub fn parse_description(text: &str) -> Result<String, InvalidValue> {
    let text = text.trim();
    if text.chars().count() > 1000 {
        return Err(InvalidValue::new("description must be at most 1000 characters"));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_accept_minutes_and_the_original_hours() {
        assert_eq!(Duration::from_minutes(90).map(Duration::minutes), Ok(90));
        assert_eq!(Duration::from_hours(1.5).map(Duration::minutes), Ok(90));
        assert_eq!(Duration::from_hours(2.0).map(Duration::minutes), Ok(120));
        for bad in [0, -30, 24 * 60 + 1] {
            assert!(Duration::from_minutes(bad).is_err(), "{bad} minutes");
        }
        for bad in [0.0, -1.0, 25.0, f64::NAN, f64::INFINITY, 0.001] {
            assert!(Duration::from_hours(bad).is_err(), "{bad} hours");
        }
    }

    #[test]
    fn names_are_trimmed_and_never_empty() {
        assert_eq!(ServiceName::parse("  Стрижка ").map(|n| n.as_str().to_owned()), Ok("Стрижка".into()));
        assert!(ServiceName::parse("   ").is_err());
        assert!(ServiceName::parse(&"я".repeat(101)).is_err());
        assert!(ServiceName::parse(&"я".repeat(100)).is_ok(), "the limit counts letters, not bytes");
    }

    #[test]
    fn prices_are_kept_in_kopecks() {
        assert_eq!(Price::from_units(450.5).map(Price::cents), Ok(45050));
        assert!(Price::from_units(-1.0).is_err());
        assert!(Price::from_units(f64::NAN).is_err());
    }
}
