//! Analytics in SQL over indexed columns: nothing is loaded row by row.
//!
//! Local days and hours need the business's UTC offset, which changes at
//! daylight-saving transitions; the offset is written into the query as a
//! `CASE` over the transitions inside the period (at most a few a year).

use jiff::Timestamp;
use jiff::civil::Date;
use zapys_domain::{Actor, BusinessTime, ServiceId, Source, Status};
use zapys_store::{Analytics, ServiceFigures, StoreError};

use crate::{Result, SqliteStore, db, seconds};

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
    store: &SqliteStore,
    from: Timestamp,
    to: Timestamp,
    tz: &BusinessTime,
) -> Result<Analytics> {
    let pool = &store.pool;
    let (from_s, to_s) = (seconds(from), seconds(to));
    let local = local_seconds(tz, from, to);
    let period = "starts_at >= ?1 AND starts_at < ?2";
    let held = "status <> 'cancelled'";
    let query = |sql: String| sqlx::AssertSqlSafe(sql);

    let per_day: Vec<(i64, i64)> = sqlx::query_as(query(format!(
        "SELECT {local} / 86400 AS day, COUNT(*) FROM appointments WHERE {period} AND {held} GROUP BY day ORDER BY day"
    )))
    .bind(from_s)
    .bind(to_s)
    .fetch_all(pool)
    .await
    .map_err(db)?;
    let epoch = Date::constant(1970, 1, 1);
    let per_day = per_day
        .into_iter()
        .map(|(day, n)| {
            let date =
                epoch.checked_add(jiff::Span::new().days(day)).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            Ok((date, count(n)))
        })
        .collect::<Result<_>>()?;

    let by_status: Vec<(String, i64)> =
        sqlx::query_as(query(format!("SELECT status, COUNT(*) FROM appointments WHERE {period} GROUP BY status")))
            .bind(from_s)
            .bind(to_s)
            .fetch_all(pool)
            .await
            .map_err(db)?;
    let cancelled_by: Vec<(String, i64)> = sqlx::query_as(query(format!(
        "SELECT cancelled_by, COUNT(*) FROM appointments WHERE {period} AND status = 'cancelled' GROUP BY cancelled_by"
    )))
    .bind(from_s)
    .bind(to_s)
    .fetch_all(pool)
    .await
    .map_err(db)?;
    let by_source: Vec<(String, i64)> =
        sqlx::query_as(query(format!("SELECT source, COUNT(*) FROM appointments WHERE {period} GROUP BY source")))
            .bind(from_s)
            .bind(to_s)
            .fetch_all(pool)
            .await
            .map_err(db)?;
    let by_service: Vec<(i64, String, i64, i64, i64)> = sqlx::query_as(query(
        "SELECT a.service_id, s.name,
                COUNT(*) FILTER (WHERE a.status <> 'cancelled'),
                COUNT(*) FILTER (WHERE a.status = 'completed'),
                COALESCE(SUM(a.price_cents) FILTER (WHERE a.status = 'completed'), 0)
         FROM appointments a JOIN services s ON s.id = a.service_id
         WHERE a.starts_at >= ?1 AND a.starts_at < ?2
         GROUP BY a.service_id ORDER BY 3 DESC, 1"
            .to_string(),
    ))
    .bind(from_s)
    .bind(to_s)
    .fetch_all(pool)
    .await
    .map_err(db)?;
    let heat: Vec<(i64, i64, i64)> = sqlx::query_as(query(format!(
        "SELECT ({local} / 86400 + 3) % 7 + 1 AS weekday, ({local} % 86400) / 3600 AS hour, COUNT(*)
         FROM appointments WHERE {period} AND {held} GROUP BY weekday, hour ORDER BY weekday, hour"
    )))
    .bind(from_s)
    .bind(to_s)
    .fetch_all(pool)
    .await
    .map_err(db)?;
    let (booked, revenue): (Option<i64>, Option<i64>) = sqlx::query_as(query(format!(
        "SELECT SUM(ends_at - starts_at) FILTER (WHERE {held}), SUM(price_cents) FILTER (WHERE status = 'completed')
         FROM appointments WHERE {period}"
    )))
    .bind(from_s)
    .bind(to_s)
    .fetch_one(pool)
    .await
    .map_err(db)?;
    let offered: Option<i64> = sqlx::query_scalar(
        "SELECT SUM(CASE WHEN next IS NULL OR next - starts_at > 14400 THEN 3600 ELSE next - starts_at END)
         FROM (SELECT starts_at, LEAD(starts_at) OVER (ORDER BY starts_at) AS next
               FROM slots WHERE starts_at >= ?1 AND starts_at < ?2)",
    )
    .bind(from_s)
    .bind(to_s)
    .fetch_one(pool)
    .await
    .map_err(db)?;
    let (new_clients, returning_clients): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*) FILTER (WHERE first >= ?1), COUNT(*) FILTER (WHERE first < ?1)
         FROM (SELECT a.client_id,
                      (SELECT MIN(b.starts_at) FROM appointments b
                       WHERE b.client_id = a.client_id AND b.status <> 'cancelled') AS first
               FROM appointments a
               WHERE a.starts_at >= ?1 AND a.starts_at < ?2 AND a.status <> 'cancelled'
               GROUP BY a.client_id)",
    )
    .bind(from_s)
    .bind(to_s)
    .fetch_one(pool)
    .await
    .map_err(db)?;
    let buckets: (i64, i64, i64, i64, i64) = sqlx::query_as(query(format!(
        "SELECT COUNT(*) FILTER (WHERE lead < 86400),
                COUNT(*) FILTER (WHERE lead >= 86400 AND lead < 259200),
                COUNT(*) FILTER (WHERE lead >= 259200 AND lead < 604800),
                COUNT(*) FILTER (WHERE lead >= 604800 AND lead < 2592000),
                COUNT(*) FILTER (WHERE lead >= 2592000)
         FROM (SELECT starts_at - created_at AS lead FROM appointments WHERE {period})"
    )))
    .bind(from_s)
    .bind(to_s)
    .fetch_one(pool)
    .await
    .map_err(db)?;
    let median: Option<i64> = sqlx::query_scalar(query(format!(
        "SELECT starts_at - created_at FROM appointments WHERE {period} ORDER BY 1
         LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM appointments WHERE {period})"
    )))
    .bind(from_s)
    .bind(to_s)
    .fetch_optional(pool)
    .await
    .map_err(db)?;

    let parse = |what: &str, name: &str| StoreError::Corrupt(format!("{what} {name}"));
    Ok(Analytics {
        per_day,
        by_status: by_status
            .into_iter()
            .map(|(s, n)| Ok((Status::from_name(&s).ok_or_else(|| parse("status", &s))?, count(n))))
            .collect::<Result<_>>()?,
        cancelled_by: cancelled_by
            .into_iter()
            .map(|(a, n)| Ok((Actor::from_name(&a).ok_or_else(|| parse("actor", &a))?, count(n))))
            .collect::<Result<_>>()?,
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
        by_source: by_source
            .into_iter()
            .map(|(s, n)| Ok((Source::from_name(&s).ok_or_else(|| parse("source", &s))?, count(n))))
            .collect::<Result<_>>()?,
        heat: heat
            .into_iter()
            .map(|(w, h, n)| (u8::try_from(w).unwrap_or(0), u8::try_from(h).unwrap_or(0), count(n)))
            .collect(),
        booked_minutes: count(booked.unwrap_or(0)) / 60,
        offered_minutes: count(offered.unwrap_or(0)) / 60,
        new_clients: count(new_clients),
        returning_clients: count(returning_clients),
        revenue_cents: revenue.unwrap_or(0),
        lead_time_buckets: [count(buckets.0), count(buckets.1), count(buckets.2), count(buckets.3), count(buckets.4)],
        #[allow(clippy::cast_precision_loss)]
        lead_time_median_hours: median.map(|s| s as f64 / 3600.0),
    })
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
