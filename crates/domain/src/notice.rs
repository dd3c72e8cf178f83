//! Who hears about a change, on their own initiative of the business: the
//! client learns what someone else did to their booking; the business learns
//! what clients did in the bot.

use serde::{Deserialize, Serialize};

use crate::{Actor, Source, Status};

/// A message the bot sends on its own initiative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Notice {
    /// To the client, before the visit.
    Reminder,
    /// To the client: the business confirmed.
    Confirmed,
    /// To the client: the business cancelled (with its reason).
    Cancelled,
    /// To the client: the business moved the booking.
    Moved,
    /// To the client: thank you for the visit.
    Completed,
    /// To the business: a client booked in the bot.
    NewBooking,
    /// To the business: a client cancelled.
    ClientCancelled,
    /// To one of the business's webhooks: an event about a booking.
    Webhook,
    /// To the staff member's own chat: a new booking of theirs.
    StaffBooked,
    /// To the staff member's own chat: a booking of theirs moved to another time.
    StaffMoved,
    /// To the staff member's own chat: a booking of theirs was cancelled.
    StaffCancelled,
    /// To the staff member's own chat: a booking of theirs was given to another staff member.
    StaffReassigned,
    /// To the business: a client moved their booking in the bot.
    ClientMoved,
    // --- support ---
    /// To the business: a client's message written under «Написати нам», relayed.
    SupportMessage,
    /// To the client: the business's answer to their message.
    SupportReply,
    // --- waitlist ---
    /// To a waiting client: a time they waited for freed up (the outbox row names the wait and the time).
    WaitlistOffer,
    // --- comeback ---
    /// To the client: some time after a visit, "book again" with the nearest free times.
    RebookNudge,
    /// To the client: a few hours after a visit, "how was it?" with 1–5 stars.
    RatingRequest,
}

impl Notice {
    pub const ALL: [Notice; 18] = [
        Self::Reminder,
        Self::Confirmed,
        Self::Cancelled,
        Self::Moved,
        Self::Completed,
        Self::NewBooking,
        Self::ClientCancelled,
        Self::Webhook,
        Self::StaffBooked,
        Self::StaffMoved,
        Self::StaffCancelled,
        Self::StaffReassigned,
        Self::ClientMoved,
        // --- support ---
        Self::SupportMessage,
        Self::SupportReply,
        // --- waitlist ---
        Self::WaitlistOffer,
        // --- comeback ---
        Self::RebookNudge,
        Self::RatingRequest,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Reminder => "reminder",
            Self::Confirmed => "confirmed",
            Self::Cancelled => "cancelled",
            Self::Moved => "moved",
            Self::Completed => "completed",
            Self::NewBooking => "new_booking",
            Self::ClientCancelled => "client_cancelled",
            Self::Webhook => "webhook",
            Self::StaffBooked => "staff_booked",
            Self::StaffMoved => "staff_moved",
            Self::StaffCancelled => "staff_cancelled",
            Self::StaffReassigned => "staff_reassigned",
            Self::ClientMoved => "client_moved",
            // --- support ---
            Self::SupportMessage => "support_message",
            Self::SupportReply => "support_reply",
            // --- waitlist ---
            Self::WaitlistOffer => "waitlist_offer",
            // --- comeback ---
            Self::RebookNudge => "rebook_nudge",
            Self::RatingRequest => "rating_request",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|n| n.name() == name)
    }

    /// Goes to the business's own chat rather than the client's.
    pub fn for_business(self) -> bool {
        matches!(self, Self::NewBooking | Self::ClientCancelled | Self::ClientMoved | Self::SupportMessage)
    }

    /// A message of a support thread, relayed rather than written from a booking.
    pub fn is_support(self) -> bool {
        matches!(self, Self::SupportMessage | Self::SupportReply)
    }

    /// Goes to the client's own chat.
    pub fn is_for_client(self) -> bool {
        !self.for_business() && !self.for_staff() && self != Self::Webhook
    }

    /// Goes to the chat of the booking's staff member rather than the client's.
    pub fn for_staff(self) -> bool {
        matches!(self, Self::StaffBooked | Self::StaffMoved | Self::StaffCancelled | Self::StaffReassigned)
    }
}

/// The events a webhook can subscribe to.
pub const WEBHOOK_EVENTS: [&str; 5] =
    ["booking.created", "booking.confirmed", "booking.cancelled", "booking.moved", "booking.completed"];

/// The client's personal fields a webhook may opt into; without them a payload carries ids only.
pub const WEBHOOK_PERSONAL_FIELDS: [&str; 2] = ["client_name", "client_phone"];

/// The webhook event a change is, if any.
pub fn webhook_event(change: Change) -> Option<&'static str> {
    match change {
        Change::Booked { .. } => Some("booking.created"),
        Change::Moved { .. } => Some("booking.moved"),
        Change::StatusChanged { to: Status::Confirmed, .. } => Some("booking.confirmed"),
        Change::StatusChanged { to: Status::Cancelled, .. } => Some("booking.cancelled"),
        Change::StatusChanged { to: Status::Completed, .. } => Some("booking.completed"),
        Change::StatusChanged { .. } => None,
    }
}

/// A change to a booking, as far as notices care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Booked { source: Source },
    Moved { by: Actor },
    StatusChanged { to: Status, by: Actor },
}

/// The notices a change causes. `thank_you`: the business wants a thank-you after visits.
pub fn notices_for(change: Change, thank_you: bool) -> Vec<Notice> {
    match change {
        Change::Booked { source: Source::Bot } => vec![Notice::NewBooking],
        Change::Booked { .. } => vec![],
        Change::Moved { by: Actor::Client } => vec![Notice::ClientMoved],
        Change::Moved { .. } => vec![Notice::Moved],
        Change::StatusChanged { to: Status::Confirmed, by: Actor::Admin | Actor::System } => vec![Notice::Confirmed],
        Change::StatusChanged { to: Status::Cancelled, by: Actor::Client } => vec![Notice::ClientCancelled],
        Change::StatusChanged { to: Status::Cancelled, .. } => vec![Notice::Cancelled],
        Change::StatusChanged { to: Status::Completed, .. } if thank_you => vec![Notice::Completed],
        Change::StatusChanged { .. } => vec![],
    }
}

/// What the staff member of a booking hears of a change to it, whoever made it: a new booking, a
/// move and a cancellation (a confirmation or a visit's end is nothing new to them). A change of
/// staff member is not a change of this kind: the old one hears [`Notice::StaffReassigned`] and the
/// new one [`Notice::StaffBooked`].
pub fn staff_notice_for(change: Change) -> Option<Notice> {
    match change {
        Change::Booked { .. } => Some(Notice::StaffBooked),
        Change::Moved { .. } => Some(Notice::StaffMoved),
        Change::StatusChanged { to: Status::Cancelled, .. } => Some(Notice::StaffCancelled),
        Change::StatusChanged { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_hear_what_the_business_did_and_the_business_what_clients_did() {
        assert_eq!(notices_for(Change::Booked { source: Source::Bot }, false), [Notice::NewBooking]);
        assert!(notices_for(Change::Booked { source: Source::Admin }, false).is_empty());
        assert_eq!(notices_for(Change::Moved { by: Actor::Admin }, false), [Notice::Moved]);
        assert_eq!(notices_for(Change::Moved { by: Actor::Client }, false), [Notice::ClientMoved]);
        assert_eq!(
            notices_for(Change::StatusChanged { to: Status::Confirmed, by: Actor::Admin }, false),
            [Notice::Confirmed]
        );
        assert!(
            notices_for(Change::StatusChanged { to: Status::Confirmed, by: Actor::Client }, false).is_empty(),
            "they pressed it themselves"
        );
        assert_eq!(
            notices_for(Change::StatusChanged { to: Status::Cancelled, by: Actor::Admin }, false),
            [Notice::Cancelled]
        );
        assert_eq!(
            notices_for(Change::StatusChanged { to: Status::Cancelled, by: Actor::System }, false),
            [Notice::Cancelled]
        );
        assert_eq!(
            notices_for(Change::StatusChanged { to: Status::Cancelled, by: Actor::Client }, false),
            [Notice::ClientCancelled]
        );
        assert!(notices_for(Change::StatusChanged { to: Status::Completed, by: Actor::Admin }, false).is_empty());
        assert_eq!(
            notices_for(Change::StatusChanged { to: Status::Completed, by: Actor::Admin }, true),
            [Notice::Completed]
        );
        assert!(notices_for(Change::StatusChanged { to: Status::NoShow, by: Actor::Admin }, true).is_empty());
    }

    #[test]
    fn staff_members_hear_of_new_moved_and_cancelled_bookings_whoever_made_them() {
        assert_eq!(staff_notice_for(Change::Booked { source: Source::Admin }), Some(Notice::StaffBooked));
        assert_eq!(staff_notice_for(Change::Booked { source: Source::Bot }), Some(Notice::StaffBooked));
        assert_eq!(staff_notice_for(Change::Moved { by: Actor::Client }), Some(Notice::StaffMoved));
        assert_eq!(
            staff_notice_for(Change::StatusChanged { to: Status::Cancelled, by: Actor::Client }),
            Some(Notice::StaffCancelled)
        );
        assert_eq!(staff_notice_for(Change::StatusChanged { to: Status::Confirmed, by: Actor::Admin }), None);
        assert_eq!(staff_notice_for(Change::StatusChanged { to: Status::Completed, by: Actor::Admin }), None);
        for notice in Notice::ALL {
            assert!(!(notice.for_staff() && notice.for_business()), "{notice:?} goes to one chat");
        }
    }

    #[test]
    fn names_round_trip() {
        for notice in Notice::ALL {
            assert_eq!(Notice::from_name(notice.name()), Some(notice));
        }
    }
}
