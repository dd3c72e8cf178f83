//! Typed ids, so a service id can never be passed where a slot id belongs.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(/// A service offered by the business.
    ServiceId);
id_type!(/// A start time offered for booking (the original "available date").
    SlotId);
id_type!(/// A client of the business (the original "user").
    ClientId);
id_type!(/// A booking of a service by a client at a slot.
    AppointmentId);
id_type!(/// A staff member: a master, doctor or tutor who performs services.
    StaffId);
