//! Analytics in SQL over indexed columns: nothing is loaded row by row.
//!
//! Local days and hours need the business's UTC offset, which changes at
//! daylight-saving transitions; the offset is written into the query as a
//! `CASE` over the transitions inside the period (at most a few a year). The
//! figures are made from the rows by `zapys_store_sql::analytics`, shared by
//! the backends.

use jiff::Timestamp;
use zapys_domain::BusinessTime;
use zapys_store::Analytics;
use zapys_store_sql::analytics::{Rows, ServiceRow, StaffRow, Totals, local_seconds};

use crate::{Result, SqliteStore, db, seconds};

pub(crate) async fn figures(
    store: &SqliteStore,
    from: Timestamp,
    to: Timestamp,
    tz: &BusinessTime,
) -> Result<Analytics> {
    let pool = &store.pool;
    let (from_s, to_s) = (seconds(from), seconds(to));
    let hourly_sql = format!(
        "SELECT {} / 3600 AS hour, COUNT(*) FROM appointments
         WHERE starts_at >= ?1 AND starts_at < ?2 AND status <> 'cancelled' GROUP BY hour ORDER BY hour",
        local_seconds(tz, from, to)
    );

    // Independent reads: run them at once over the pool's connections (WAL lets readers share).
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
            COALESCE(SUM(ends_at - starts_at) FILTER (WHERE status <> 'cancelled'), 0) AS held_seconds,
            COALESCE(SUM(price_cents) FILTER (WHERE status = 'completed'), 0) AS revenue_cents,
            COUNT(*) FILTER (WHERE starts_at - created_at < 86400) AS lead0,
            COUNT(*) FILTER (WHERE starts_at - created_at >= 86400 AND starts_at - created_at < 259200) AS lead1,
            COUNT(*) FILTER (WHERE starts_at - created_at >= 259200 AND starts_at - created_at < 604800) AS lead2,
            COUNT(*) FILTER (WHERE starts_at - created_at >= 604800 AND starts_at - created_at < 2592000) AS lead3,
            COUNT(*) FILTER (WHERE starts_at - created_at >= 2592000) AS lead4
         FROM appointments WHERE starts_at >= ?1 AND starts_at < ?2",
    )
    .bind(from_s)
    .bind(to_s)
    .fetch_one(pool);
    // Held bookings per local hour; days and the weekday-by-hour heat map are sums of these.
    let hourly =
        sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(hourly_sql)).bind(from_s).bind(to_s).fetch_all(pool);
    let by_service = sqlx::query_as::<_, ServiceRow>(
        "SELECT a.service_id, s.name,
                COUNT(*) FILTER (WHERE a.status <> 'cancelled'),
                COUNT(*) FILTER (WHERE a.status = 'completed'),
                COALESCE(SUM(a.price_cents) FILTER (WHERE a.status = 'completed'), 0)
         FROM appointments a JOIN services s ON s.id = a.service_id
         WHERE a.starts_at >= ?1 AND a.starts_at < ?2
         GROUP BY a.service_id ORDER BY 3 DESC, 1",
    )
    .bind(from_s)
    .bind(to_s)
    .fetch_all(pool);
    let offered = sqlx::query_scalar::<_, Option<i64>>(
        "SELECT SUM(CASE WHEN next IS NULL OR next - starts_at > 14400 THEN 3600 ELSE next - starts_at END)
         FROM (SELECT starts_at, LEAD(starts_at) OVER (PARTITION BY staff_id ORDER BY starts_at) AS next
               FROM slots WHERE starts_at >= ?1 AND starts_at < ?2)",
    )
    .bind(from_s)
    .bind(to_s)
    .fetch_one(pool);
    let clients = sqlx::query_as::<_, (i64, i64)>(
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
    .fetch_one(pool);
    // The upper median: the value at position count / 2 of the sorted lead times.
    let median = sqlx::query_scalar::<_, i64>(
        "SELECT starts_at - created_at AS lead FROM appointments WHERE starts_at >= ?1 AND starts_at < ?2
         ORDER BY lead LIMIT 1
         OFFSET (SELECT COUNT(*) / 2 FROM appointments WHERE starts_at >= ?1 AND starts_at < ?2)",
    )
    .bind(from_s)
    .bind(to_s)
    .fetch_optional(pool);
    let by_staff = sqlx::query_as::<_, StaffRow>(
        "SELECT m.id, m.name,
                COUNT(a.id) FILTER (WHERE a.status <> 'cancelled'),
                COUNT(a.id) FILTER (WHERE a.status = 'completed'),
                COALESCE(SUM(a.price_cents) FILTER (WHERE a.status = 'completed'), 0),
                COALESCE(SUM(a.ends_at - a.starts_at) FILTER (WHERE a.status <> 'cancelled'), 0)
         FROM staff m
         LEFT JOIN appointments a ON a.staff_id = m.id AND a.starts_at >= ?1 AND a.starts_at < ?2
         WHERE m.deleted_at IS NULL OR a.id IS NOT NULL
         GROUP BY m.id ORDER BY m.name, m.id",
    )
    .bind(from_s)
    .bind(to_s)
    .fetch_all(pool);
    let (totals, hourly, by_service, offered, clients, median, by_staff) =
        tokio::try_join!(totals, hourly, by_service, offered, clients, median, by_staff).map_err(db)?;

    let schedules = {
        let mut conn = pool.acquire().await.map_err(db)?;
        crate::staff::schedules(&mut conn, &store.cipher).await?
    };
    let rows = Rows { totals, hourly, by_service, offered, clients, median, by_staff };
    zapys_store_sql::analytics::figures(rows, &schedules, from, to, tz)
}
