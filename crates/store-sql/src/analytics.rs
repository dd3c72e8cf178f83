//! Analytics as the SQL backends compute them: the local-time expression
//! their queries group by, the rows the queries answer, and the figures made
//! from those rows. Each backend runs its own dialect of the queries.

use jiff::Timestamp;
use jiff::civil::Date;
use zapys_domain::{Actor, BusinessTime, Schedule, ServiceId, Source, StaffId, Status};
use zapys_store::{Analytics, ServiceFigures, StaffFigures, StoreError};

use crate::Result;

/// `starts_at` shifted to local wall-clock seconds, as SQL.
pub fn local_seconds(tz: &BusinessTime, from: Timestamp, to: Timestamp) -> String {
    let initial = tz.zone().to_offset(from).seconds();
    let transitions: Vec<_> = tz.zone().following(from).take_while(|t| t.timestamp() < to).collect();
    if transitions.is_empty() {
        return format!("(starts_at + {initial})");
    }
    let mut expression = String::from("(starts_at + CASE");
    // Latest first: the first matching WHEN is the offset in force.
    for transition in transitions.iter().rev() {
        expression.push_str(&format!(
            " WHEN starts_at >= {} THEN {}",
            transition.timestamp().as_second(),
            transition.offset().seconds()
        ));
    }
    expression.push_str(&format!(" ELSE {initial} END)"));
    expression
}

fn count(n: i64) -> u64 {
    n.unsigned_abs()
}

/// service_id, name, bookings held, completed, revenue in cents
pub type ServiceRow = (i64, String, i64, i64, i64);
/// staff_id, name, bookings held, completed, revenue in cents, seconds held
pub type StaffRow = (i64, String, i64, i64, i64, i64);

/// What the analytics queries answered for a period.
pub struct Rows {
    pub totals: Totals,
    /// Held bookings per local hour since the epoch (see [`local_seconds`]).
    pub hourly: Vec<(i64, i64)>,
    pub by_service: Vec<ServiceRow>,
    /// Seconds offered by slots, each slot counting until the next of its staff member (at most 4 h; 1 h for the last).
    pub offered: Option<i64>,
    /// Clients whose first booking is in the period, and those who booked before it.
    pub clients: (i64, i64),
    /// The upper median of the lead times, in seconds.
    pub median: Option<i64>,
    pub by_staff: Vec<StaffRow>,
}

/// The figures of the period `[from, to)` from its rows and every staff member's schedule.
pub fn figures(
    rows: Rows,
    schedules: &[(StaffId, Schedule)],
    from: Timestamp,
    to: Timestamp,
    tz: &BusinessTime,
) -> Result<Analytics> {
    let Rows { totals, hourly, by_service, offered, clients: (new_clients, returning_clients), median, by_staff } =
        rows;
    let (first_day, last_day) = (tz.today(from), tz.today(to));
    let working_minutes = |staff: i64| {
        let (_, schedule) = schedules.iter().find(|(id, _)| id.0 == staff)?;
        let spans = schedule.open_spans(first_day, last_day, tz)?;
        let seconds: i64 =
            spans.iter().map(|s| (s.end.min(to).as_second() - s.start.max(from).as_second()).max(0)).sum();
        Some(count(seconds) / 60)
    };
    let by_staff = by_staff
        .into_iter()
        .map(|(id, name, bookings, completed, revenue_cents, held)| StaffFigures {
            staff_id: StaffId(id),
            working_minutes: working_minutes(id),
            name,
            bookings: count(bookings),
            completed: count(completed),
            revenue_cents,
            booked_minutes: count(held) / 60,
        })
        .collect();

    let epoch = Date::constant(1970, 1, 1);
    let mut per_day: Vec<(Date, u64)> = Vec::new();
    let mut heat = std::collections::BTreeMap::<(u8, u8), u64>::new();
    for (hour, n) in hourly {
        let (day, hour_of_day) = (hour.div_euclid(24), hour.rem_euclid(24));
        let date = epoch.checked_add(jiff::Span::new().days(day)).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        match per_day.last_mut() {
            Some((last, total)) if *last == date => *total += count(n),
            _ => per_day.push((date, count(n))),
        }
        // 1970-01-01 was a Thursday.
        let weekday = u8::try_from((day + 3).rem_euclid(7) + 1).unwrap_or(1);
        *heat.entry((weekday, u8::try_from(hour_of_day).unwrap_or(0))).or_default() += count(n);
    }
    fn nonzero<T>(pairs: impl IntoIterator<Item = (T, i64)>) -> Vec<(T, u64)> {
        pairs.into_iter().filter(|(_, n)| *n > 0).map(|(k, n)| (k, count(n))).collect()
    }
    Ok(Analytics {
        per_day,
        by_status: nonzero([
            (Status::Pending, totals.pending),
            (Status::Confirmed, totals.confirmed),
            (Status::Completed, totals.completed),
            (Status::Cancelled, totals.cancelled),
            (Status::NoShow, totals.no_show),
        ]),
        cancelled_by: nonzero([
            (Actor::Client, totals.by_client),
            (Actor::Admin, totals.by_admin),
            (Actor::System, totals.by_system),
        ]),
        by_service: by_service
            .into_iter()
            .map(|(id, name, bookings, completed, revenue_cents)| ServiceFigures {
                service_id: ServiceId(id),
                name,
                bookings: count(bookings),
                completed: count(completed),
                revenue_cents,
            })
            .collect(),
        by_staff,
        by_source: nonzero([(Source::Bot, totals.bot), (Source::Admin, totals.admin), (Source::Api, totals.api)]),
        heat: heat.into_iter().map(|((weekday, hour), n)| (weekday, hour, n)).collect(),
        booked_minutes: count(totals.held_seconds) / 60,
        offered_minutes: count(offered.unwrap_or(0)) / 60,
        new_clients: count(new_clients),
        returning_clients: count(returning_clients),
        revenue_cents: totals.revenue_cents,
        lead_time_buckets: [totals.lead0, totals.lead1, totals.lead2, totals.lead3, totals.lead4].map(count),
        #[allow(clippy::cast_precision_loss)]
        lead_time_median_hours: median.map(|s| s as f64 / 3600.0),
        // --- waitlist --- (counted by each backend beside these figures)
        waits: 0,
        waits_booked: 0,
    })
}

/// One pass over the period's bookings: every figure that is a count or a sum.
#[derive(sqlx::FromRow)]
pub struct Totals {
    pub pending: i64,
    pub confirmed: i64,
    pub completed: i64,
    pub cancelled: i64,
    pub no_show: i64,
    pub by_client: i64,
    pub by_admin: i64,
    pub by_system: i64,
    pub bot: i64,
    pub admin: i64,
    pub api: i64,
    pub held_seconds: i64,
    pub revenue_cents: i64,
    pub lead0: i64,
    pub lead1: i64,
    pub lead2: i64,
    pub lead3: i64,
    pub lead4: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_local_offset_follows_daylight_saving_inside_the_period() {
        let kyiv = BusinessTime::parse("Europe/Kyiv").expect("known");
        let june: Timestamp = "2025-06-01T00:00:00Z".parse().expect("valid");
        assert_eq!(local_seconds(&kyiv, june, june + jiff::SignedDuration::from_hours(24 * 7)), "(starts_at + 10800)");
        let year: Timestamp = "2025-01-01T00:00:00Z".parse().expect("valid");
        let both = local_seconds(&kyiv, year, year + jiff::SignedDuration::from_hours(24 * 365));
        // Summer time from 30 March 01:00 UTC, winter time again from 26 October 01:00 UTC.
        assert_eq!(
            both,
            "(starts_at + CASE WHEN starts_at >= 1761440400 THEN 7200 WHEN starts_at >= 1743296400 THEN 10800 ELSE 7200 END)"
        );
    }
}
