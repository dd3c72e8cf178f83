//! The booking rules of Zapys.
//!
//! Everything here is pure: no database, no HTTP, no Telegram, no clock. Values
//! are parsed once at the edge into types that cannot hold bad data (a
//! [`ServiceName`] is never empty, a [`PhoneNumber`] is always normalised, a
//! [`LocalSlotTime`] always exists in the business time zone), and the rules
//! take the current instant as an argument so tests can choose it.

pub mod appointment;
pub mod availability;
pub mod booking;
pub mod client;
pub mod comeback;
pub mod ids;
pub mod notice;
pub mod schedule;
pub mod service;
pub mod settings;
pub mod staff;
pub mod time;

pub use appointment::{Actor, Appointment, Cancellation, Source, Status, SystemReason, Transition, TransitionRefused};
pub use availability::{Busy, Need, OfferedSlot, bookable_starts};
pub use booking::{BookingFacts, BookingPolicy, BookingRefusal};
pub use client::{Client, ClientDraft, ContactDetails, Language, PersonName, PhoneNumber, TelegramId};
pub use comeback::{Daytime, Stars};
pub use ids::{AppointmentId, ClientId, ServiceId, SlotId, StaffId};
pub use notice::Notice;
pub use schedule::{GridStart, WorkingHours};
pub use service::{Buffers, Duration, Price, Service, ServiceDraft, ServiceName};
pub use settings::Settings;
pub use staff::{
    Candidate, Color, ExceptionDraft, HoursException, Schedule, StaffDraft, StaffMember, StaffName, StaffService,
    Stretch, WeeklyHours, pick_staff,
};
pub use time::{BusinessTime, Clock, LocalSlotTime, SystemClock};

/// A value that failed to parse, with a message a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidValue(pub String);

impl InvalidValue {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}
