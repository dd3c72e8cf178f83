//! Staff members and their hours as both backends read them.

use jiff::civil::{Date, Time};
use zapys_domain::time::parse_date;
use zapys_domain::{
    Color, Duration, HoursException, Price, Schedule, ServiceId, StaffId, StaffMember, StaffName, StaffService,
    Stretch, WeeklyHours,
};
use zapys_store::DataCipher;

use crate::sealing::EXCEPTION_NOTE;
use crate::{Result, corrupt};

/// id, name, description, color, hidden, telegram_chat_id
pub type StaffRow = (i64, String, String, String, bool, Option<i64>);
/// staff_id, service_id, duration_minutes, price_cents
pub type PerformsRow = (i64, i64, Option<i64>, Option<i64>);
/// staff_id, weekday, from_minute, to_minute
pub type HoursRow = (i64, i64, i64, i64);
/// id, staff_id, date_from, date_to, stretches (JSON), sealed note
pub type ExceptionRow = (i64, i64, String, String, String, Option<Vec<u8>>);

/// Services of deleted services are not listed: nobody can book those.
pub const PERFORMS: &str = "SELECT ss.staff_id, ss.service_id, ss.duration_minutes, ss.price_cents
    FROM staff_services ss JOIN services s ON s.id = ss.service_id AND s.deleted_at IS NULL";

/// A staff member from their row and the services they perform (rows of others are ignored).
pub fn member(row: StaffRow, performs: &[PerformsRow]) -> Result<StaffMember> {
    let (id, name, description, color, hidden, telegram_chat_id) = row;
    let services = performs
        .iter()
        .filter(|p| p.0 == id)
        .map(|&(_, service, minutes, cents)| {
            Ok(StaffService {
                service_id: ServiceId(service),
                duration: minutes.map(Duration::from_minutes).transpose().map_err(|e| corrupt("staff duration", e))?,
                price: cents.map(Price::from_cents).transpose().map_err(|e| corrupt("staff price", e))?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(StaffMember {
        id: StaffId(id),
        name: StaffName::parse(&name).map_err(|e| corrupt("staff.name", e))?,
        description,
        color: Color::parse(&color).map_err(|e| corrupt("staff.color", e))?,
        hidden,
        telegram_chat_id,
        services,
    })
}

/// A time of day as minutes since midnight, as the hours tables keep it.
pub fn minute(t: Time) -> i64 {
    i64::from(t.hour()) * 60 + i64::from(t.minute())
}

fn time_of(minute: i64) -> Result<Time> {
    let (h, m) = (minute / 60, minute % 60);
    Time::new(i8::try_from(h).unwrap_or(-1), i8::try_from(m).unwrap_or(-1), 0, 0).map_err(|e| corrupt("staff hours", e))
}

fn stretch(from: i64, to: i64) -> Result<Stretch> {
    Stretch::new(time_of(from)?, time_of(to)?).map_err(|e| corrupt("staff hours", e))
}

fn date(text: &str) -> Result<Date> {
    parse_date(text).map_err(|e| corrupt("staff exception date", e))
}

/// An exception's stretches as stored: a JSON array of `[from_minute, to_minute]` pairs.
pub fn stretches_json(stretches: &[Stretch]) -> Result<String> {
    let pairs: Vec<(i64, i64)> = stretches.iter().map(|s| (minute(s.from), minute(s.to))).collect();
    serde_json::to_string(&pairs).map_err(|e| zapys_store::StoreError::Backend(e.to_string()))
}

/// Every staff member's schedule from all hours and exception rows, by id; staff without any are left out.
pub fn schedules(
    hours: &[HoursRow],
    exceptions: &[ExceptionRow],
    cipher: &DataCipher,
) -> Result<Vec<(StaffId, Schedule)>> {
    let mut ids: Vec<i64> = hours.iter().map(|h| h.0).chain(exceptions.iter().map(|e| e.1)).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut all = Vec::with_capacity(ids.len());
    for id in ids {
        let weekly = WeeklyHours::new(
            hours.iter().filter(|h| h.0 == id).map(|h| Ok((h.1, stretch(h.2, h.3)?))).collect::<Result<Vec<_>>>()?,
        )
        .map_err(|e| corrupt("staff hours", e))?;
        let exceptions = exceptions
            .iter()
            .filter(|e| e.1 == id)
            .map(|(eid, _, from, to, stretches, note)| {
                let pairs: Vec<(i64, i64)> =
                    serde_json::from_str(stretches).map_err(|e| corrupt("staff exception", e))?;
                Ok(HoursException {
                    id: *eid,
                    date_from: date(from)?,
                    date_to: date(to)?,
                    stretches: pairs.into_iter().map(|(f, t)| stretch(f, t)).collect::<Result<_>>()?,
                    note: note.as_ref().map(|n| cipher.open(EXCEPTION_NOTE, *eid, n)).transpose()?.unwrap_or_default(),
                })
            })
            .collect::<Result<_>>()?;
        all.push((StaffId(id), Schedule { weekly, exceptions }));
    }
    Ok(all)
}
