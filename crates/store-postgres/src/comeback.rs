//! "Come back": the nudges to book again and the rating requests moved into the outbox when they
//! fall due (once per visit, only inside the business's daytime hours), the client's opt-out and
//! blocked flags, and the ratings.

use jiff::Timestamp;
use sqlx::PgConnection;
use zapys_domain::comeback::STALE_AFTER;
use zapys_domain::{AppointmentId, ClientId, Notice, Settings, Stars};
use zapys_store::{ComebackPrefs, DataCipher, Entity, RatingFigures, StoreError};
use zapys_store_sql::comeback::{RatingRow, figures, next_allowed};

use crate::{PostgresStore, Result, db, instant, outbox, seconds};

/// The completed visits whose nudge is due at `due` (unix seconds) or waits for it: the service
/// asks for one, the client can be reached and wants it, it was not sent, and the client has not
/// come back since (no later visit of that service that holds or held its time) nor is booked ahead.
/// `$1` is now, `$2` the earliest due time still worth sending.
const NUDGES: &str = "
    SELECT a.id AS id, c.telegram_id, a.starts_at, a.ends_at + s.rebook_after_days * 86400 AS due
    FROM services s JOIN appointments a ON a.service_id = s.id JOIN clients c ON c.id = a.client_id
    WHERE a.status = 'completed' AND s.rebook_after_days IS NOT NULL
      AND a.ends_at + s.rebook_after_days * 86400 > $2
      -- The same bound on the start (a visit is at most a day long), which the index by service and start serves.
      AND a.starts_at > $2 - s.rebook_after_days * 86400 - 86400
      AND c.telegram_id IS NOT NULL AND c.erased_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM client_comeback p
                      WHERE p.client_id = c.id AND (p.rebook_opt_out OR p.blocked_at IS NOT NULL))
      AND NOT EXISTS (SELECT 1 FROM comeback_sent x WHERE x.appointment_id = a.id AND x.kind = 'rebook_nudge')
      AND NOT EXISTS (SELECT 1 FROM appointments b WHERE b.client_id = a.client_id AND b.id <> a.id
                      AND ((b.status IN ('pending', 'confirmed') AND b.starts_at > $1)
                        OR (b.service_id = a.service_id AND b.starts_at > a.starts_at
                            AND b.status IN ('pending', 'confirmed', 'completed'))))";

/// The completed visits whose rating request is due at `due` or waits for it, `{delay}` seconds after
/// the visit's end (a number written in by [`kinds`]). `$1` and `$2` as above.
const RATINGS: &str = "
    SELECT a.id AS id, c.telegram_id, a.starts_at, a.ends_at + {delay} AS due
    FROM appointments a JOIN clients c ON c.id = a.client_id
    WHERE a.status = 'completed' AND a.ends_at + {delay} > $2 AND a.starts_at < $1
      AND a.starts_at > $2 - {delay} - 86400
      AND c.telegram_id IS NOT NULL AND c.erased_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM client_comeback p WHERE p.client_id = c.id AND p.blocked_at IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM comeback_sent x WHERE x.appointment_id = a.id AND x.kind = 'rating_request')
      AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.appointment_id = a.id)";

/// The kinds the business sends, with the query that finds those falling due.
fn kinds(settings: &Settings) -> Vec<(Notice, String)> {
    let mut kinds = vec![(Notice::RebookNudge, NUDGES.to_owned())];
    if settings.ask_rating {
        // A number from the settings, not text from anyone: safe to write into the query.
        let delay = i64::from(settings.rating_delay_hours) * 3600;
        kinds.push((Notice::RatingRequest, RATINGS.replace("{delay}", &delay.to_string())));
    }
    kinds
}

/// Inside the caller's transaction: moves the nudges and rating requests that are due into the
/// outbox, when `now` is inside the daytime hours. Answers how many.
pub(crate) async fn schedule(
    conn: &mut PgConnection,
    cipher: &DataCipher,
    settings: &Settings,
    now: Timestamp,
) -> Result<u64> {
    if settings.daytime.next_allowed(&settings.timezone, now) != now {
        return Ok(0); // night: they wait for the morning (see `next_due`)
    }
    let stale = seconds(now) - STALE_AFTER.as_secs();
    let mut added = 0;
    for (notice, query) in kinds(settings) {
        let due: Vec<(i64, i64, i64, i64)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT * FROM ({query}) d WHERE due <= $1 ORDER BY id")))
                .bind(seconds(now))
                .bind(stale)
                .fetch_all(&mut *conn)
                .await
                .map_err(db)?;
        for (appointment, chat, starts_at, _) in due {
            let first = sqlx::query(
                "INSERT INTO comeback_sent (appointment_id, kind, sent_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(appointment)
            .bind(notice.name())
            .bind(seconds(now))
            .execute(&mut *conn)
            .await
            .map_err(db)?;
            if first.rows_affected() == 0 {
                continue; // sent already: never twice for one visit
            }
            outbox::insert(conn, cipher, Some(chat), notice, AppointmentId(appointment), starts_at, None, now).await?;
            added += 1;
        }
    }
    Ok(added)
}

/// The next instant after `now` at which a nudge or a rating request can go: the earliest one
/// falling due, moved into the daytime hours. At night that includes those already due.
pub(crate) async fn next_due(store: &PostgresStore, settings: &Settings, now: Timestamp) -> Result<Option<Timestamp>> {
    let daytime = settings.daytime.next_allowed(&settings.timezone, now) == now;
    let stale = seconds(now) - STALE_AFTER.as_secs();
    let mut next: Option<i64> = None;
    for (_, query) in kinds(settings) {
        let lower = if daytime { seconds(now) } else { stale };
        let at: Option<i64> =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT MIN(due) FROM ({query}) d WHERE due > $3")))
                .bind(seconds(now))
                .bind(stale)
                .bind(lower)
                .fetch_one(&store.pool)
                .await
                .map_err(db)?;
        next = match (next, at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    let Some(next) = next else { return Ok(None) };
    Ok(next_allowed(settings, instant(next)?.max(now), now))
}

pub(crate) async fn prefs(store: &PostgresStore, client: ClientId) -> Result<ComebackPrefs> {
    let row: Option<(bool, Option<i64>)> =
        sqlx::query_as("SELECT rebook_opt_out, blocked_at FROM client_comeback WHERE client_id = $1")
            .bind(client.0)
            .fetch_optional(&store.pool)
            .await
            .map_err(db)?;
    let Some((rebook_opt_out, blocked_at)) = row else { return Ok(ComebackPrefs::default()) };
    Ok(ComebackPrefs { rebook_opt_out, blocked_at: blocked_at.map(instant).transpose()? })
}

pub(crate) async fn set_opt_out(store: &PostgresStore, client: ClientId, opted_out: bool) -> Result<()> {
    let done = sqlx::query(
        "INSERT INTO client_comeback (client_id, rebook_opt_out)
         SELECT id, $1 FROM clients WHERE id = $2 AND erased_at IS NULL
         ON CONFLICT (client_id) DO UPDATE SET rebook_opt_out = excluded.rebook_opt_out",
    )
    .bind(opted_out)
    .bind(client.0)
    .execute(&store.pool)
    .await
    .map_err(db)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::not_found(Entity::Client, client.0));
    }
    store.committed(Entity::Client, client.0);
    Ok(())
}

pub(crate) async fn set_blocked(store: &PostgresStore, chat_id: i64, at: Option<Timestamp>) -> Result<()> {
    sqlx::query(
        "INSERT INTO client_comeback (client_id, blocked_at)
         SELECT id, $1 FROM clients WHERE telegram_id = $2 AND erased_at IS NULL
         ON CONFLICT (client_id) DO UPDATE SET blocked_at = excluded.blocked_at",
    )
    .bind(at.map(seconds))
    .bind(chat_id)
    .execute(&store.pool)
    .await
    .map_err(db)?;
    Ok(())
}

/// Erasing a client forgets what they chose about messages too.
pub(crate) async fn forget(conn: &mut PgConnection, client: ClientId) -> Result<()> {
    sqlx::query("DELETE FROM client_comeback WHERE client_id = $1").bind(client.0).execute(conn).await.map_err(db)?;
    Ok(())
}

pub(crate) async fn rate(
    store: &PostgresStore,
    appointment: AppointmentId,
    stars: Stars,
    now: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO ratings (appointment_id, stars, rated_at) SELECT id, $1, $2 FROM appointments WHERE id = $3
         ON CONFLICT (appointment_id) DO NOTHING",
    )
    .bind(i64::from(stars.get()))
    .bind(seconds(now))
    .bind(appointment.0)
    .execute(&store.pool)
    .await
    .map_err(db)?;
    if done.rows_affected() == 1 {
        store.committed(Entity::Appointment, appointment.0);
        return Ok(true);
    }
    // Nothing written: rated already, or no such visit.
    rating(store, appointment).await?.ok_or(StoreError::not_found(Entity::Appointment, appointment.0))?;
    Ok(false)
}

pub(crate) async fn rating(store: &PostgresStore, appointment: AppointmentId) -> Result<Option<Stars>> {
    let stars: Option<i64> = sqlx::query_scalar("SELECT stars FROM ratings WHERE appointment_id = $1")
        .bind(appointment.0)
        .fetch_optional(&store.pool)
        .await
        .map_err(db)?;
    stars.map(|s| Stars::new(s).map_err(|e| StoreError::Corrupt(format!("ratings.stars: {e}")))).transpose()
}

pub(crate) async fn rating_figures(store: &PostgresStore, from: Timestamp, to: Timestamp) -> Result<RatingFigures> {
    let by = |group: &str, name: &str, table: &str| {
        format!(
            "SELECT a.{group} AS id, t.name AS name, AVG(r.stars)::DOUBLE PRECISION AS average, COUNT(*) AS count
             FROM ratings r JOIN appointments a ON a.id = r.appointment_id JOIN {table} t ON t.id = a.{group}
             WHERE a.starts_at >= $1 AND a.starts_at < $2 GROUP BY a.{group}, t.{name} ORDER BY t.{name}, a.{group}"
        )
    };
    let mut out = Vec::new();
    for sql in [by("staff_id", "name", "staff"), by("service_id", "name", "services")] {
        let rows: Vec<RatingRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(seconds(from))
            .bind(seconds(to))
            .fetch_all(&store.pool)
            .await
            .map_err(db)?;
        out.push(rows);
    }
    let by_service = out.pop().unwrap_or_default();
    let by_staff = out.pop().unwrap_or_default();
    Ok(figures(by_staff, by_service))
}
