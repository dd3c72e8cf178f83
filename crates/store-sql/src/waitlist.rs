//! The waitlist's rows, read alike by both backends.

use jiff::civil::Date;
use zapys_domain::{AppointmentId, ClientId, ServiceId, StaffId};
use zapys_store::{DataCipher, Wait, WaitView};

use crate::sealing::CLIENT_NAME;
use crate::{Result, corrupt, instant};

/// The columns of a wait, in [`WaitRow`]'s order.
pub const COLUMNS: &str =
    "w.id, w.client_id, w.service_id, w.staff_id, w.day, w.around, w.created_at, w.booked_appointment_id";

/// The columns of a wait with the names the panel shows, in [`WaitViewRow`]'s order; from `waits w`
/// joined with `clients c`, `services s` and (left) `staff m`.
pub const VIEW_COLUMNS: &str = "w.id, w.client_id, w.service_id, w.staff_id, w.day, w.around, w.created_at,
    w.booked_appointment_id, c.name_sealed, s.name AS service_name, m.name AS staff_name";

#[derive(sqlx::FromRow)]
pub struct WaitRow {
    pub id: i64,
    pub client_id: i64,
    pub service_id: i64,
    pub staff_id: Option<i64>,
    pub day: String,
    pub around: bool,
    pub created_at: i64,
    pub booked_appointment_id: Option<i64>,
}

impl WaitRow {
    pub fn into_wait(self) -> Result<Wait> {
        Ok(Wait {
            id: self.id,
            client_id: ClientId(self.client_id),
            service_id: ServiceId(self.service_id),
            staff_id: self.staff_id.map(StaffId),
            day: self.day.parse::<Date>().map_err(|e| corrupt("wait day", e))?,
            around: self.around,
            created_at: instant(self.created_at)?,
            booked: self.booked_appointment_id.map(AppointmentId),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct WaitViewRow {
    #[sqlx(flatten)]
    pub wait: WaitRow,
    pub name_sealed: Option<Vec<u8>>,
    pub service_name: String,
    pub staff_name: Option<String>,
}

impl WaitViewRow {
    pub fn into_view(self, cipher: &DataCipher) -> Result<WaitView> {
        let client_name =
            self.name_sealed.map(|sealed| cipher.open(CLIENT_NAME, self.wait.client_id, &sealed)).transpose()?;
        Ok(WaitView {
            wait: self.wait.into_wait()?,
            client_name,
            service_name: self.service_name,
            staff_name: self.staff_name,
        })
    }
}
