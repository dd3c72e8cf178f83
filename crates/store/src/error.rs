use zapys_domain::{BookingRefusal, TransitionRefused};

/// What kind of record an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Service,
    Slot,
    Client,
    Appointment,
    Admin,
    ApiToken,
    Settings,
    Notice,
    Webhook,
    Staff,
    /// A dated exception to a staff member's working hours.
    HoursException,
    // --- waitlist ---
    /// A client's wait for a day.
    Wait,
}

impl Entity {
    pub fn name(self) -> &'static str {
        match self {
            Self::Service => "service",
            Self::Slot => "available date",
            Self::Client => "user",
            Self::Appointment => "appointment",
            Self::Admin => "admin",
            Self::ApiToken => "API token",
            Self::Settings => "settings",
            Self::Notice => "notice",
            Self::Webhook => "webhook",
            Self::Staff => "staff member",
            Self::HoursException => "hours exception",
            // --- waitlist ---
            Self::Wait => "wait",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record the request is about does not exist.
    #[error("{} {id} not found", entity.name())]
    NotFound { entity: Entity, id: i64 },
    /// A record the request refers to does not exist.
    #[error("{} {id} does not exist", entity.name())]
    UnknownReference { entity: Entity, id: i64 },
    /// A record like this one already exists (a unique name, time or Telegram id).
    #[error("{0}")]
    Duplicate(String),
    /// The record cannot be deleted or changed while other records depend on it
    /// (a service with upcoming bookings, a reserved slot).
    #[error("{0}")]
    InUse(String),
    /// The request contradicts what is stored in another way.
    #[error("{0}")]
    Conflict(String),
    /// The request did not say which staff member, and there is not exactly one: several, or none yet.
    #[error("{}", if *.none_yet { "there is no staff member yet: add one first" } else { "staff_id is required: the business has several staff members" })]
    StaffRequired { none_yet: bool },
    #[error(transparent)]
    Refused(#[from] BookingRefusal),
    #[error(transparent)]
    Transition(#[from] TransitionRefused),
    /// Stored data that cannot be read back (a wrong data key, a damaged value).
    #[error("stored data cannot be read: {0}")]
    Corrupt(String),
    /// The database failed; not the requester's fault.
    #[error("database error: {0}")]
    Backend(String),
}

impl StoreError {
    pub fn not_found(entity: Entity, id: i64) -> Self {
        Self::NotFound { entity, id }
    }
}
