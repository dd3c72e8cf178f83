//! The rules a new booking (or a move) must satisfy.
//!
//! The store gathers the facts inside its write transaction and asks
//! [`BookingPolicy::check`]; the database's own overlap guard backs this up.

use jiff::{SignedDuration, Timestamp};

use crate::{Actor, Source};

/// The business's rules for bookings made by or on behalf of clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingPolicy {
    /// How far ahead of its start a time can still be booked.
    pub min_notice: SignedDuration,
    /// How many active future bookings one client may hold.
    pub max_active_per_client: u32,
    /// How far ahead anyone may book: the booking horizon.
    pub horizon: SignedDuration,
    /// How long before its start a client may still cancel or move a booking; zero: until it starts.
    pub change_window: SignedDuration,
}

impl Default for BookingPolicy {
    fn default() -> Self {
        Self {
            min_notice: SignedDuration::from_hours(1),
            max_active_per_client: 3,
            horizon: SignedDuration::from_hours(365 * 24),
            change_window: SignedDuration::ZERO,
        }
    }
}

/// What the store knows about a requested booking at the moment it decides.
#[derive(Debug, Clone, Copy)]
pub struct BookingFacts {
    pub starts_at: Timestamp,
    pub source: Source,
    pub service_hidden: bool,
    /// The staff member is hidden (left, on leave): only the business itself may still book them.
    pub staff_hidden: bool,
    /// The staff member's time the visit takes (buffers included) lies inside their working hours,
    /// or inside the stretch the slot was generated in.
    pub within_hours: bool,
    /// Active bookings of this client that start after now, not counting the one being moved.
    pub client_active_future: u32,
    /// Some booking that holds its time overlaps the requested one.
    pub overlaps: bool,
}

/// Why a booking cannot be made. Each maps to a clear answer for the person asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BookingRefusal {
    #[error("this time has already passed")]
    InThePast,
    #[error("this time is too soon: bookings need at least {minutes} minutes' notice")]
    TooSoon { minutes: i64 },
    #[error("this time is already taken")]
    Taken,
    #[error("the client already has {max} active bookings, the most allowed")]
    LimitReached { max: u32 },
    #[error("this service is not offered for booking")]
    ServiceHidden,
    #[error("this time is too far ahead: bookings open {days} days in advance")]
    BeyondHorizon { days: i64 },
    #[error("this staff member does not perform this service")]
    NotPerformed,
    #[error("this staff member is not taking bookings")]
    StaffHidden,
    #[error("the visit would not fit in the staff member's working hours")]
    OutsideHours,
    #[error("bookings can be changed or cancelled only until {hours} hours before they start")]
    InsideChangeWindow { hours: i64 },
}

impl BookingPolicy {
    /// Decides a booking. Admins in the panel may book at short notice, beyond a
    /// client's limit and for hidden services; clients in the bot and
    /// integrations booking on their behalf may not. Nobody books the past or an
    /// occupied time.
    pub fn check(&self, facts: &BookingFacts, now: Timestamp) -> Result<(), BookingRefusal> {
        if facts.starts_at <= now {
            return Err(BookingRefusal::InThePast);
        }
        if facts.starts_at > self.horizon_end(now) {
            return Err(BookingRefusal::BeyondHorizon { days: self.horizon.as_hours() / 24 });
        }
        if facts.overlaps {
            return Err(BookingRefusal::Taken);
        }
        if facts.source != Source::Admin {
            if facts.service_hidden {
                return Err(BookingRefusal::ServiceHidden);
            }
            if facts.staff_hidden {
                return Err(BookingRefusal::StaffHidden);
            }
            if !facts.within_hours {
                return Err(BookingRefusal::OutsideHours);
            }
            if facts.starts_at < now + self.min_notice {
                return Err(BookingRefusal::TooSoon { minutes: self.min_notice.as_mins() });
            }
            if facts.client_active_future >= self.max_active_per_client {
                return Err(BookingRefusal::LimitReached { max: self.max_active_per_client });
            }
        }
        Ok(())
    }

    /// Decides whether a booking that starts at `current_start` may still be cancelled or moved by
    /// `by`. The business may always; clients (and integrations moving bookings for them) only
    /// until the change window before the start.
    pub fn check_change(&self, current_start: Timestamp, by: Actor, now: Timestamp) -> Result<(), BookingRefusal> {
        if by != Actor::Client || self.change_window.is_zero() {
            return Ok(());
        }
        if current_start < now.checked_add(self.change_window).unwrap_or(Timestamp::MAX) {
            return Err(BookingRefusal::InsideChangeWindow { hours: self.change_window.as_hours() });
        }
        Ok(())
    }

    /// The earliest start a client may book at `now`.
    pub fn earliest_start(&self, now: Timestamp) -> Timestamp {
        now.checked_add(self.min_notice).unwrap_or(Timestamp::MAX)
    }

    /// The latest start anyone may book at `now`.
    pub fn horizon_end(&self, now: Timestamp) -> Timestamp {
        now.checked_add(self.horizon).unwrap_or(Timestamp::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::ToSpan;

    fn now() -> Timestamp {
        Timestamp::from_second(1_750_000_000).expect("valid")
    }

    fn facts(source: Source, starts_in_minutes: i64) -> BookingFacts {
        BookingFacts {
            starts_at: now() + starts_in_minutes.minutes(),
            source,
            service_hidden: false,
            staff_hidden: false,
            within_hours: true,
            client_active_future: 0,
            overlaps: false,
        }
    }

    const POLICY: BookingPolicy = BookingPolicy {
        min_notice: SignedDuration::from_mins(60),
        max_active_per_client: 3,
        horizon: SignedDuration::from_hours(30 * 24),
        change_window: SignedDuration::ZERO,
    };

    #[test]
    fn without_a_change_window_clients_may_change_a_booking_until_it_starts() {
        let start = now() + 1.minute();
        assert_eq!(POLICY.check_change(start, Actor::Client, now()), Ok(()));
    }

    #[test]
    fn inside_the_change_window_only_the_business_changes_a_booking() {
        let policy = BookingPolicy { change_window: SignedDuration::from_hours(24), ..POLICY };
        let tomorrow_same_time = now() + 24.hours();
        let sooner = tomorrow_same_time - 1.second();
        assert_eq!(policy.check_change(tomorrow_same_time, Actor::Client, now()), Ok(()), "the window's edge is out");
        assert_eq!(
            policy.check_change(sooner, Actor::Client, now()),
            Err(BookingRefusal::InsideChangeWindow { hours: 24 })
        );
        for business in [Actor::Admin, Actor::System] {
            assert_eq!(policy.check_change(sooner, business, now()), Ok(()));
        }
        let refused = policy.check_change(sooner, Actor::Client, Timestamp::MAX);
        assert_eq!(refused, Err(BookingRefusal::InsideChangeWindow { hours: 24 }), "no overflow at the end of time");
    }

    #[test]
    fn nobody_books_beyond_the_horizon() {
        let last_minute = 30 * 24 * 60;
        for source in [Source::Bot, Source::Api, Source::Admin] {
            assert_eq!(POLICY.check(&facts(source, last_minute), now()), Ok(()), "the horizon's last minute is in");
            assert_eq!(
                POLICY.check(&facts(source, last_minute + 1), now()),
                Err(BookingRefusal::BeyondHorizon { days: 30 })
            );
        }
    }

    #[test]
    fn the_bounds_saturate_instead_of_overflowing() {
        let policy = BookingPolicy { horizon: SignedDuration::from_hours(3650 * 24), ..POLICY };
        assert_eq!(policy.horizon_end(Timestamp::MAX), Timestamp::MAX);
        assert_eq!(policy.earliest_start(Timestamp::MAX), Timestamp::MAX);
    }

    #[test]
    fn a_free_time_far_enough_ahead_can_be_booked() {
        assert_eq!(POLICY.check(&facts(Source::Bot, 61), now()), Ok(()));
    }

    #[test]
    fn nobody_books_the_past_or_a_taken_time() {
        for source in [Source::Bot, Source::Api, Source::Admin] {
            assert_eq!(POLICY.check(&facts(source, -5), now()), Err(BookingRefusal::InThePast));
            assert_eq!(POLICY.check(&facts(source, 0), now()), Err(BookingRefusal::InThePast));
            let taken = BookingFacts { overlaps: true, ..facts(source, 600) };
            assert_eq!(POLICY.check(&taken, now()), Err(BookingRefusal::Taken));
        }
    }

    #[test]
    fn clients_need_the_minimum_notice_and_admins_do_not() {
        assert_eq!(POLICY.check(&facts(Source::Bot, 59), now()), Err(BookingRefusal::TooSoon { minutes: 60 }));
        assert_eq!(POLICY.check(&facts(Source::Api, 30), now()), Err(BookingRefusal::TooSoon { minutes: 60 }));
        assert_eq!(POLICY.check(&facts(Source::Bot, 60), now()), Ok(()), "exactly the notice is enough");
        assert_eq!(POLICY.check(&facts(Source::Admin, 5), now()), Ok(()));
    }

    #[test]
    fn a_client_cannot_hoard_the_calendar() {
        let at_limit = BookingFacts { client_active_future: 3, ..facts(Source::Bot, 600) };
        assert_eq!(POLICY.check(&at_limit, now()), Err(BookingRefusal::LimitReached { max: 3 }));
        let below = BookingFacts { client_active_future: 2, ..facts(Source::Bot, 600) };
        assert_eq!(POLICY.check(&below, now()), Ok(()));
        let by_admin = BookingFacts { client_active_future: 3, ..facts(Source::Admin, 600) };
        assert_eq!(POLICY.check(&by_admin, now()), Ok(()));
    }

    #[test]
    fn hidden_staff_and_overtime_are_for_admins_only() {
        let hidden = |source| BookingFacts { staff_hidden: true, ..facts(source, 600) };
        assert_eq!(POLICY.check(&hidden(Source::Bot), now()), Err(BookingRefusal::StaffHidden));
        assert_eq!(POLICY.check(&hidden(Source::Admin), now()), Ok(()));
        let late = |source| BookingFacts { within_hours: false, ..facts(source, 600) };
        assert_eq!(POLICY.check(&late(Source::Api), now()), Err(BookingRefusal::OutsideHours));
        assert_eq!(POLICY.check(&late(Source::Admin), now()), Ok(()));
    }

    #[test]
    fn hidden_services_are_for_admins_only() {
        let hidden = |source| BookingFacts { service_hidden: true, ..facts(source, 600) };
        assert_eq!(POLICY.check(&hidden(Source::Bot), now()), Err(BookingRefusal::ServiceHidden));
        assert_eq!(POLICY.check(&hidden(Source::Admin), now()), Ok(()));
    }
}
