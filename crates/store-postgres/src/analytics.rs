//! Analytics in SQL over indexed columns: nothing is loaded row by row.
//!
//! Local days and hours need the business's UTC offset, which changes at
//! daylight-saving transitions; the offset is written into the query as a
//! `CASE` over the transitions inside the period (at most a few a year).

use jiff::Timestamp;
use jiff::civil::Date;
use zapys_domain::{Actor, BusinessTime, ServiceId, Source, StaffId, Status};
use zapys_store::{Analytics, ServiceFigures, StaffFigures, StoreError};

use crate::{PostgresStore, Result, db, seconds};

/// `starts_at` shifted to local wall-clock seconds, as SQL.
fn local_seconds(tz: &BusinessTime, from: Timestamp, to: Timestamp) -> String {
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

pub(crate) async fn figures(
    store: &PostgresStore,
    from: Timestamp,
    to: Timestamp,
    tz: &BusinessTime,
) -> Result<Analytics> {
    let pool = &store.pool;
    let (from_s, to_s) = (seconds(from), seconds(to));
    let hourly_sql = format!(
        "SELECT {} / 3600 AS hour, COUNT(*) FROM appointments
         WHERE starts_at >= $1 AND starts_at < $2 AND status <> 'cancelled' GROUP BY hour ORDER BY hour",
        local_seconds(tz, from, to)
    );

    // Independent reads: run them at once over the pool's connections.
    // One pass over the period's bookings gives every figure that is a count or a sum.
    let totals = sqlx::query_as::<_, Totals>(
        "SELECT
            COUNT(*) FILTER (WHERE status = 'pending') AS pending,
            COUNT(*) FILTER (WHERE status = 'confirmed') AS confirmed,
            COUNT(*) FILTER (WHERE status = 'completed') AS completed,
            COUNT(*) FILTER (WHERE status = 'cancelled') AS cancelled,
            COUNT(*) FILTER (WHERE status = 'no_show') AS no_show,
            COUNT(*) FILTER (WHERE cancelled_by = 'client') AS by_client,
            COUNT(*) FILTER (WHERE cancelled_by = 'admin') AS by_admin,
            COUNT(*) FILTER (WHERE cancelled_by = 'system') AS by_system,
            COUNT(*) FILTER (WHERE source = 'bot') AS bot,
            COUNT(*) FILTER (WHERE source = 'admin') AS admin,
            COUNT(*) FILTER (WHERE source = 'api') AS api,
            COALESCE(SUM(ends_at - starts_at) FILTER (WHERE status <> 'cancelled'), 0)::BIGINT AS held_seconds,
            COALESCE(SUM(price_cents) FILTER (WHERE status = 'completed'), 0)::BIGINT AS revenue_cents,
            COUNT(*) FILTER (WHERE starts_at - created_at < 86400) AS lead0,
            COUNT(*) FILTER (WHERE starts_at - created_at >= 86400 AND starts_at - created_at < 259200) AS lead1,
            COUNT(*) FILTER (WHERE starts_at - created_at >= 259200 AND starts_at - created_at < 604800) AS lead2,
            COUNT(*) FILTER (WHERE starts_at - created_at >= 604800 AND starts_at - created_at < 2592000) AS lead3,
            COUNT(*) FILTER (WHERE starts_at - created_at >= 2592000) AS lead4
         FROM appointments WHERE starts_at >= $1 AND starts_at < $2",
    )
    .bind(from_s)
    .bind(to_s)
    .fetch_one(pool);
    // Held bookings per local hour; days and the weekday-by-hour heat map are sums of these.
    let hourly =
        sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(hourly_sql)).bind(from_s).bind(to_s).fetch_all(pool);
    let by_service = sqlx::query_as::<_, (i64, String, i64, i64, i64)>(
        "SELECT a.service_id, s.name,
                COUNT(*) FILTER (WHERE a.status <> 'cancelled'),
                COUNT(*) FILTER (WHERE a.status = 'completed'),
                COALESCE(SUM(a.price_cents) FILTER (WHERE a.status = 'completed'), 0)::BIGINT
         FROM appointments a JOIN services s ON s.id = a.service_id
         WHERE a.starts_at >= $1 AND a.starts_at < $2
         GROUP BY a.service_id, s.name ORDER BY 3 DESC, 1",
    )
    .bind(from_s)
    .bind(to_s)
    .fetch_all(pool);
    let offered = sqlx::query_scalar::<_, Option<i64>>(
        "SELECT SUM(CASE WHEN next IS NULL OR next - starts_at > 14400 THEN 3600 ELSE next - starts_at END)::BIGINT
         FROM (SELECT starts_at, LEAD(starts_at) OVER (PARTITION BY staff_id ORDER BY starts_at) AS next
               FROM slots WHERE starts_at >= $1 AND starts_at < $2) AS runs",
    )
    .bind(from_s)
    .bind(to_s)
    .fetch_one(pool);
    let clients = sqlx::query_as::<_, (i64, i64)>(
        "SELECT COUNT(*) FILTER (WHERE first >= $1), COUNT(*) FILTER (WHERE first < $1)
         FROM (SELECT a.client_id,
                      (SELECT MIN(b.starts_at) FROM appointments b
                       WHERE b.client_id = a.client_id AND b.status <> 'cancelled') AS first
               FROM appointments a
               WHERE a.starts_at >= $1 AND a.starts_at < $2 AND a.status <> 'cancelled'
               GROUP BY a.client_id) AS firsts",
    )
    .bind(from_s)
    .bind(to_s)
    .fetch_one(pool);
    // The upper median: the value at position count / 2 of the sorted lead times.
    let median = sqlx::query_scalar::<_, i64>(
        "SELECT starts_at - created_at AS lead FROM appointments WHERE starts_at >= $1 AND starts_at < $2
         ORDER BY lead LIMIT 1
         OFFSET (SELECT COUNT(*) / 2 FROM appointments WHERE starts_at >= $1 AND starts_at < $2)",
    )
    .bind(from_s)
    .bind(to_s)
    .fetch_optional(pool);
    let by_staff = sqlx::query_as::<_, (i64, String, i64, i64, i64, i64)>(
        "SELECT m.id, m.name,
                COUNT(a.id) FILTER (WHERE a.status <> 'cancelled'),
                COUNT(a.id) FILTER (WHERE a.status = 'completed'),
                COALESCE(SUM(a.price_cents) FILTER (WHERE a.status = 'completed'), 0)::BIGINT,
                COALESCE(SUM(a.ends_at - a.starts_at) FILTER (WHERE a.status <> 'cancelled'), 0)::BIGINT
         FROM staff m
         LEFT JOIN appointments a ON a.staff_id = m.id AND a.starts_at >= $1 AND a.starts_at < $2
         WHERE m.deleted_at IS NULL OR a.id IS NOT NULL
         GROUP BY m.id ORDER BY m.name, m.id",
    )
    .bind(from_s)
    .bind(to_s)
    .fetch_all(pool);
    let (totals, hourly, by_service, offered, (new_clients, returning_clients), median, by_staff) =
        tokio::try_join!(totals, hourly, by_service, offered, clients, median, by_staff).map_err(db)?;

    // Working time comes from each staff member's hours over the period's local days.
    let schedules = {
        let mut conn = pool.acquire().await.map_err(db)?;
        crate::staff::schedules(&mut conn, &store.cipher).await?
    };
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
    })
}

#[derive(sqlx::FromRow)]
struct Totals {
    pending: i64,
    confirmed: i64,
    completed: i64,
    cancelled: i64,
    no_show: i64,
    by_client: i64,
    by_admin: i64,
    by_system: i64,
    bot: i64,
    admin: i64,
    api: i64,
    held_seconds: i64,
    revenue_cents: i64,
    lead0: i64,
    lead1: i64,
    lead2: i64,
    lead3: i64,
    lead4: i64,
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
