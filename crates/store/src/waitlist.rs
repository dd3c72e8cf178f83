//! The waitlist: clients who asked to hear when a time frees up on a day that had none.

use jiff::Timestamp;
use jiff::civil::Date;
use zapys_domain::{AppointmentId, BusinessTime, ClientId, ServiceId, StaffId};

/// A client's wish to hear when a time for a service frees up on a local day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wait {
    pub id: i64,
    pub client_id: ClientId,
    pub service_id: ServiceId,
    /// `None`: with anyone who performs the service.
    pub staff_id: Option<StaffId>,
    pub day: Date,
    /// The day before and the day after count too.
    pub around: bool,
    /// When they asked: offers go out in this order.
    pub created_at: Timestamp,
    /// The booking it turned into, once it did (it then waits no more).
    pub booked: Option<AppointmentId>,
}

impl Wait {
    /// A wait ends with its day: from then on it is never offered nor listed.
    pub fn expired(&self, tz: &BusinessTime, now: Timestamp) -> bool {
        self.day < tz.today(now)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitDraft {
    pub client_id: ClientId,
    pub service_id: ServiceId,
    pub staff_id: Option<StaffId>,
    pub day: Date,
    pub around: bool,
}

/// A wait with the names the panel shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitView {
    pub wait: Wait,
    /// `None` when the client asked to be forgotten.
    pub client_name: Option<String>,
    pub service_name: String,
    pub staff_name: Option<String>,
}

/// The instants a wait is stored with, so that the transaction that frees a time can find the
/// waits for it without knowing the time zone: when its day ends (it expires then), and the
/// window of starts it wants (its day, or from the day before to the day after).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitWindow {
    pub day_starts: Timestamp,
    pub expires_at: Timestamp,
    pub from: Timestamp,
    pub until: Timestamp,
}

impl WaitWindow {
    pub fn of(tz: &BusinessTime, day: Date, around: bool) -> Self {
        let next = day.tomorrow().unwrap_or(day);
        let before = if around { day.yesterday().unwrap_or(day) } else { day };
        let after = if around { next.tomorrow().unwrap_or(next) } else { next };
        Self {
            day_starts: tz.start_of_day(day),
            expires_at: tz.start_of_day(next),
            from: tz.start_of_day(before),
            until: tz.start_of_day(after),
        }
    }
}
