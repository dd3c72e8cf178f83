//! Rows as the SQL backends return them, and their conversion into domain values.
//! A row that does not convert is corrupt data, never a panic.

use zapys_domain::client::ContactDetails;
use zapys_domain::{
    Actor, Appointment, AppointmentId, Buffers, BusinessTime, Cancellation, Client, ClientId, Duration, Language,
    PersonName, PhoneNumber, Price, Service, ServiceId, ServiceName, Settings, SlotId, Source, StaffId, Status,
    TelegramId,
};
use zapys_store::{AppointmentView, DataCipher, SlotView};

use crate::sealing::{APPOINTMENT_NOTES, CANCEL_REASON, CLIENT_NAME, CLIENT_PHONE};
use crate::{Result, corrupt, instant};

#[derive(sqlx::FromRow)]
pub struct SettingsRow {
    business_name: String,
    address: String,
    phone: String,
    hours: String,
    timezone: String,
    min_notice_minutes: i64,
    max_active_bookings: i64,
    auto_confirm: bool,
    reminder_offsets_minutes: String,
    thank_you: bool,
    auto_cancel_pending_minutes: Option<i64>,
    booking_horizon_days: i64,
    change_window_hours: i64,
    // --- comeback ---
    daytime_from_minutes: i64,
    daytime_to_minutes: i64,
    ask_rating: bool,
    rating_delay_hours: i64,
}

impl SettingsRow {
    pub fn into_settings(self) -> Result<Settings> {
        Ok(Settings {
            business_name: self.business_name,
            address: self.address,
            phone: self.phone,
            hours: self.hours,
            timezone: BusinessTime::parse(&self.timezone).map_err(|e| corrupt("settings.timezone", e))?,
            min_notice_minutes: u32::try_from(self.min_notice_minutes).map_err(|e| corrupt("settings", e))?,
            max_active_bookings: u32::try_from(self.max_active_bookings).map_err(|e| corrupt("settings", e))?,
            auto_confirm: self.auto_confirm,
            reminder_offsets_minutes: serde_json::from_str(&self.reminder_offsets_minutes)
                .map_err(|e| corrupt("settings.reminder_offsets_minutes", e))?,
            thank_you: self.thank_you,
            auto_cancel_pending_minutes: self
                .auto_cancel_pending_minutes
                .map(u32::try_from)
                .transpose()
                .map_err(|e| corrupt("settings.auto_cancel_pending_minutes", e))?,
            booking_horizon_days: u32::try_from(self.booking_horizon_days)
                .map_err(|e| corrupt("settings.booking_horizon_days", e))?,
            change_window_hours: u32::try_from(self.change_window_hours)
                .map_err(|e| corrupt("settings.change_window_hours", e))?,
            // --- comeback ---
            daytime: zapys_domain::Daytime::new(
                minutes_of_day(self.daytime_from_minutes)?,
                minutes_of_day(self.daytime_to_minutes)?,
            )
            .map_err(|e| corrupt("settings.daytime", e))?,
            ask_rating: self.ask_rating,
            rating_delay_hours: u32::try_from(self.rating_delay_hours)
                .map_err(|e| corrupt("settings.rating_delay_hours", e))?,
        })
    }
}

/// A time of day stored as minutes after midnight; 1440 is the day's end (the last instant before midnight).
fn minutes_of_day(minutes: i64) -> Result<jiff::civil::Time> {
    if minutes == 24 * 60 {
        return Ok(jiff::civil::Time::MAX);
    }
    let hour = i8::try_from(minutes.div_euclid(60)).map_err(|e| corrupt("settings.daytime", e))?;
    let minute = i8::try_from(minutes.rem_euclid(60)).map_err(|e| corrupt("settings.daytime", e))?;
    jiff::civil::Time::new(hour, minute, 0, 0).map_err(|e| corrupt("settings.daytime", e))
}

/// The minutes after midnight a time of day is stored as: [`jiff::civil::Time::MAX`] (the day's end) is 1440.
pub fn stored_minutes(time: jiff::civil::Time) -> i64 {
    if time == jiff::civil::Time::MAX {
        return 24 * 60;
    }
    i64::from(time.hour()) * 60 + i64::from(time.minute())
}

#[derive(sqlx::FromRow)]
pub struct ServiceRow {
    id: i64,
    name: String,
    duration_minutes: i64,
    price_cents: Option<i64>,
    description: String,
    hidden: bool,
    buffer_before_minutes: i64,
    buffer_after_minutes: i64,
    // --- comeback ---
    rebook_after_days: Option<i64>,
}

impl ServiceRow {
    pub fn into_service(self) -> Result<Service> {
        Ok(Service {
            id: ServiceId(self.id),
            name: ServiceName::parse(&self.name).map_err(|e| corrupt("service.name", e))?,
            duration: Duration::from_minutes(self.duration_minutes).map_err(|e| corrupt("service.duration", e))?,
            price: self.price_cents.map(Price::from_cents).transpose().map_err(|e| corrupt("service.price", e))?,
            description: self.description,
            hidden: self.hidden,
            buffers: Buffers::from_minutes(self.buffer_before_minutes, self.buffer_after_minutes)
                .map_err(|e| corrupt("service.buffers", e))?,
            // --- comeback ---
            rebook_after_days: self
                .rebook_after_days
                .map(u32::try_from)
                .transpose()
                .map_err(|e| corrupt("service.rebook_after_days", e))?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct SlotRow {
    id: i64,
    staff_id: i64,
    starts_at: i64,
    ends_by: Option<i64>,
    reserved: bool,
    covered: bool,
}

impl SlotRow {
    pub fn into_view(self) -> Result<SlotView> {
        Ok(SlotView {
            id: SlotId(self.id),
            staff_id: StaffId(self.staff_id),
            starts_at: instant(self.starts_at)?,
            ends_by: self.ends_by.map(instant).transpose()?,
            reserved: self.reserved,
            covered: self.covered,
        })
    }
}

/// Opens a client's sealed name and phone; both absent means the client was erased.
pub fn open_contact(
    cipher: &DataCipher,
    client: i64,
    name: Option<&[u8]>,
    phone: Option<&[u8]>,
) -> Result<Option<ContactDetails>> {
    match (name, phone) {
        (Some(name), Some(phone)) => Ok(Some(ContactDetails {
            name: PersonName::parse(&cipher.open(CLIENT_NAME, client, name)?).map_err(|e| corrupt(CLIENT_NAME, e))?,
            phone: PhoneNumber::parse(&cipher.open(CLIENT_PHONE, client, phone)?)
                .map_err(|e| corrupt(CLIENT_PHONE, e))?,
        })),
        _ => Ok(None),
    }
}

#[derive(sqlx::FromRow)]
pub struct ClientRow {
    id: i64,
    telegram_id: Option<i64>,
    name_sealed: Option<Vec<u8>>,
    phone_sealed: Option<Vec<u8>>,
    language: String,
    created_at: i64,
}

impl ClientRow {
    pub fn into_client(self, cipher: &DataCipher) -> Result<Client> {
        Ok(Client {
            id: ClientId(self.id),
            telegram_id: self.telegram_id.map(TelegramId),
            contact: open_contact(cipher, self.id, self.name_sealed.as_deref(), self.phone_sealed.as_deref())?,
            language: Language::parse(&self.language).map_err(|e| corrupt("client.language", e))?,
            created_at: instant(self.created_at)?,
        })
    }
}

/// The columns [`AppointmentRow`] reads; joined with its client and service.
pub const APPOINTMENT_SELECT: &str = "
    SELECT a.id, a.client_id, a.service_id, a.staff_id, a.slot_id, a.starts_at, a.ends_at, a.status, a.notes_sealed, a.source,
           a.price_cents, a.cancelled_by, a.cancelled_at, a.cancel_reason_sealed, a.created_at,
           c.name_sealed AS client_name, c.phone_sealed AS client_phone, c.telegram_id,
           s.name AS service_name, m.name AS staff_name, m.telegram_chat_id AS staff_chat_id
    FROM appointments a
    JOIN clients c ON c.id = a.client_id
    JOIN services s ON s.id = a.service_id
    JOIN staff m ON m.id = a.staff_id";

#[derive(sqlx::FromRow)]
pub struct AppointmentRow {
    id: i64,
    client_id: i64,
    service_id: i64,
    staff_id: i64,
    slot_id: Option<i64>,
    starts_at: i64,
    ends_at: i64,
    status: String,
    notes_sealed: Option<Vec<u8>>,
    source: String,
    price_cents: Option<i64>,
    cancelled_by: Option<String>,
    cancelled_at: Option<i64>,
    cancel_reason_sealed: Option<Vec<u8>>,
    created_at: i64,
    client_name: Option<Vec<u8>>,
    client_phone: Option<Vec<u8>>,
    telegram_id: Option<i64>,
    service_name: String,
    staff_name: String,
    staff_chat_id: Option<i64>,
}

impl AppointmentRow {
    pub fn into_view(self, cipher: &DataCipher) -> Result<AppointmentView> {
        let open = |field: &str, sealed: Option<Vec<u8>>| sealed.map(|s| cipher.open(field, self.id, &s)).transpose();
        let notes = open(APPOINTMENT_NOTES, self.notes_sealed)?.unwrap_or_default();
        let cancel_reason = open(CANCEL_REASON, self.cancel_reason_sealed)?;
        let cancellation = match (self.cancelled_by, self.cancelled_at) {
            (Some(by), Some(at)) => Some(Cancellation {
                by: Actor::from_name(&by).ok_or_else(|| corrupt("appointment.cancelled_by", &by))?,
                at: instant(at)?,
                reason: cancel_reason,
            }),
            _ => None,
        };
        let appointment = Appointment {
            id: AppointmentId(self.id),
            client_id: ClientId(self.client_id),
            service_id: ServiceId(self.service_id),
            staff_id: StaffId(self.staff_id),
            slot_id: self.slot_id.map(SlotId),
            starts_at: instant(self.starts_at)?,
            ends_at: instant(self.ends_at)?,
            status: Status::from_name(&self.status).ok_or_else(|| corrupt("appointment.status", &self.status))?,
            notes,
            source: Source::from_name(&self.source).ok_or_else(|| corrupt("appointment.source", &self.source))?,
            cancellation,
            created_at: instant(self.created_at)?,
        };
        Ok(AppointmentView {
            appointment,
            client: open_contact(cipher, self.client_id, self.client_name.as_deref(), self.client_phone.as_deref())?,
            telegram_id: self.telegram_id.map(TelegramId),
            service_name: self.service_name,
            staff_name: self.staff_name,
            staff_chat_id: self.staff_chat_id,
            price: self.price_cents.map(Price::from_cents).transpose().map_err(|e| corrupt("appointment.price", e))?,
        })
    }
}
