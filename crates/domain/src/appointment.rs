//! Appointments and their lifecycle.
//!
//! ```text
//! pending ──confirm──▶ confirmed ──complete──▶ completed ◀─┐
//!    │                    │      ──no-show───▶ no_show ◀───┘ (corrections)
//!    └──────cancel────────┴────▶ cancelled
//! ```
//! Cancelled appointments stay in history; their time becomes bookable again.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{AppointmentId, ClientId, ServiceId, SlotId, StaffId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    Confirmed,
    Completed,
    Cancelled,
    NoShow,
}

impl Status {
    pub const ALL: [Status; 5] = [Self::Pending, Self::Confirmed, Self::Completed, Self::Cancelled, Self::NoShow];

    /// The stable name used in the database and the API.
    pub fn name(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Confirmed => "confirmed",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
            Self::NoShow => "no_show",
        }
    }

    /// The number the original API used (0 awaiting confirmation, 1 confirmed), extended.
    pub fn code(self) -> i64 {
        match self {
            Self::Pending => 0,
            Self::Confirmed => 1,
            Self::Completed => 2,
            Self::Cancelled => 3,
            Self::NoShow => 4,
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Booked and still ahead of its outcome: counts toward a client's limit, gets reminders.
    pub fn is_active(self) -> bool {
        matches!(self, Self::Pending | Self::Confirmed)
    }

    /// Holds its time: everything except a cancellation.
    pub fn occupies_time(self) -> bool {
        self != Self::Cancelled
    }
}

/// Who did something to an appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Client,
    Admin,
    System,
}

impl Actor {
    pub fn name(self) -> &'static str {
        match self {
            Self::Client => "client",
            Self::Admin => "admin",
            Self::System => "system",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Client, Self::Admin, Self::System].into_iter().find(|a| a.name() == name)
    }
}

/// Where a booking was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The client, in the Telegram bot or its simulator.
    Bot,
    /// A person in the admin panel.
    Admin,
    /// An integration with an API token, booking on a client's behalf.
    Api,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Self::Bot => "bot",
            Self::Admin => "admin",
            Self::Api => "api",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Bot, Self::Admin, Self::Api].into_iter().find(|s| s.name() == name)
    }

    /// The actor a booking from this source acts as.
    pub fn actor(self) -> Actor {
        match self {
            Self::Bot | Self::Api => Actor::Client,
            Self::Admin => Actor::Admin,
        }
    }
}

/// A change of status someone asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    Confirm,
    Complete,
    NoShow,
    Cancel { reason: Option<String> },
}

impl Transition {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Complete => "complete",
            Self::NoShow => "no_show",
            Self::Cancel { .. } => "cancel",
        }
    }

    /// The status after this transition, `Ok(None)` when it is already there (a
    /// repeated tap), or the reason it cannot happen.
    pub fn apply(
        &self,
        from: Status,
        starts_at: Timestamp,
        now: Timestamp,
    ) -> Result<Option<Status>, TransitionRefused> {
        use Status::*;
        let target = match self {
            Self::Confirm => Confirmed,
            Self::Complete => Completed,
            Self::NoShow => NoShow,
            Self::Cancel { .. } => Cancelled,
        };
        if from == target {
            return Ok(None);
        }
        let allowed = match (from, target) {
            (Pending, Confirmed) => true,
            (Pending | Confirmed, Cancelled) => true,
            // An outcome is known only once the visit has begun; admins may correct one outcome to the other.
            (Pending | Confirmed | NoShow, Completed) | (Pending | Confirmed | Completed, NoShow) => {
                if starts_at > now {
                    return Err(TransitionRefused::NotStartedYet);
                }
                true
            }
            _ => false,
        };
        if allowed { Ok(Some(target)) } else { Err(TransitionRefused::NotAllowed { from, to: target }) }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionRefused {
    #[error("a {} appointment cannot become {}", from.name(), to.name())]
    NotAllowed { from: Status, to: Status },
    #[error("the appointment has not started yet")]
    NotStartedYet,
}

/// Why the system (not a person) cancelled a booking. Stored as these English
/// sentences, which the panel and integrations read as they are; the bot
/// recognises them and tells clients in their own language instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemReason {
    /// The admin deleted the time with `force`.
    TimeWithdrawn,
    /// Still pending when auto-cancel's deadline passed.
    NotConfirmedInTime,
    /// The client asked to be forgotten.
    ClientErased,
}

impl SystemReason {
    pub const ALL: [Self; 3] = [Self::TimeWithdrawn, Self::NotConfirmedInTime, Self::ClientErased];

    pub fn text(self) -> &'static str {
        match self {
            Self::TimeWithdrawn => "the time is no longer offered",
            Self::NotConfirmedInTime => "not confirmed in time",
            Self::ClientErased => "the client's data was erased",
        }
    }

    /// The system reason a stored reason is, if it is one.
    pub fn recognise(reason: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.text() == reason)
    }
}

/// Who cancelled, when and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancellation {
    pub by: Actor,
    pub at: Timestamp,
    pub reason: Option<String>,
}

/// An appointment as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appointment {
    pub id: AppointmentId,
    pub client_id: ClientId,
    pub service_id: ServiceId,
    /// Who performs it.
    pub staff_id: StaffId,
    /// The offered start time it was booked at, while that slot exists.
    pub slot_id: Option<SlotId>,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub status: Status,
    pub notes: String,
    pub source: Source,
    pub cancellation: Option<Cancellation>,
    pub created_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::ToSpan;

    fn at(hours_from_epoch: i64) -> Timestamp {
        Timestamp::UNIX_EPOCH + hours_from_epoch.hours()
    }

    #[test]
    fn status_codes_keep_the_original_meaning_of_0_and_1() {
        assert_eq!(Status::from_code(0), Some(Status::Pending));
        assert_eq!(Status::from_code(1), Some(Status::Confirmed));
        for status in Status::ALL {
            assert_eq!(Status::from_code(status.code()), Some(status));
            assert_eq!(Status::from_name(status.name()), Some(status));
        }
    }

    #[test]
    fn a_pending_booking_can_be_confirmed_or_cancelled() {
        let (start, now) = (at(100), at(10));
        assert_eq!(Transition::Confirm.apply(Status::Pending, start, now), Ok(Some(Status::Confirmed)));
        let cancel = Transition::Cancel { reason: None };
        assert_eq!(cancel.apply(Status::Pending, start, now), Ok(Some(Status::Cancelled)));
        assert_eq!(cancel.apply(Status::Confirmed, start, now), Ok(Some(Status::Cancelled)));
    }

    #[test]
    fn repeating_a_transition_changes_nothing() {
        let (start, now) = (at(100), at(10));
        assert_eq!(Transition::Confirm.apply(Status::Confirmed, start, now), Ok(None));
        assert_eq!(Transition::Cancel { reason: None }.apply(Status::Cancelled, start, now), Ok(None));
    }

    #[test]
    fn a_cancelled_booking_cannot_be_revived() {
        let (start, now) = (at(100), at(10));
        for transition in [Transition::Confirm, Transition::Complete, Transition::NoShow] {
            assert!(matches!(
                transition.apply(Status::Cancelled, start, now),
                Err(TransitionRefused::NotAllowed { .. })
            ));
        }
    }

    #[test]
    fn outcomes_are_recorded_only_once_the_visit_began() {
        assert_eq!(
            Transition::Complete.apply(Status::Confirmed, at(100), at(10)),
            Err(TransitionRefused::NotStartedYet)
        );
        assert_eq!(Transition::NoShow.apply(Status::Pending, at(100), at(10)), Err(TransitionRefused::NotStartedYet));
        assert_eq!(Transition::Complete.apply(Status::Confirmed, at(10), at(100)), Ok(Some(Status::Completed)));
        assert_eq!(
            Transition::NoShow.apply(Status::Completed, at(10), at(100)),
            Ok(Some(Status::NoShow)),
            "a correction"
        );
        assert!(Transition::Cancel { reason: None }.apply(Status::Completed, at(10), at(100)).is_err());
    }

    #[test]
    fn only_cancelled_appointments_free_their_time() {
        for status in Status::ALL {
            assert_eq!(status.occupies_time(), status != Status::Cancelled, "{status:?}");
        }
        assert!(Status::Pending.is_active() && Status::Confirmed.is_active());
        assert!(!Status::Completed.is_active() && !Status::NoShow.is_active());
    }
}
