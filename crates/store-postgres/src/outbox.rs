//! The outbox: notices written with the changes that cause them, reminders
//! moved in when they fall due, and the bookkeeping of their delivery.

use jiff::Timestamp;
use sqlx::PgConnection;
use zapys_domain::notice::{Change, notices_for, staff_notice_for, webhook_event};
use zapys_domain::{Actor, AppointmentId, Notice, StaffId, SystemReason, Transition};
use zapys_store::{DataCipher, Entity, NoticeOutcome, NoticeQuery, NoticeState, OutboxItem, Page, StoreError};

use crate::sealing::OUTBOX_DETAIL;
use crate::{PostgresStore, Result, appointments, db, instant, next_id, seconds};

/// A booking given to another staff member by a move: who had it, and when it was then.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reassigned {
    pub from: StaffId,
    /// The former start (unix seconds): the time the old staff member knew it at.
    pub former_start: i64,
}

/// Writes the notices `change` causes, inside the caller's transaction: to the client or the
/// business, to the booking's staff member (in their own chat, when they have one), and to the
/// webhooks. With `reassigned`, the old staff member hears it was given away and the new one
/// hears of a new booking, rather than of a move.
#[allow(clippy::too_many_arguments)] // the change and everything its notices say
pub(crate) async fn enqueue(
    conn: &mut PgConnection,
    cipher: &DataCipher,
    appointment: AppointmentId,
    change: Change,
    detail: Option<&str>,
    reassigned: Option<Reassigned>,
    thank_you: bool,
    now: Timestamp,
) -> Result<()> {
    let notices = notices_for(change, thank_you);
    let hooks = match webhook_event(change) {
        Some(event) => subscribers(conn, event).await?,
        None => Vec::new(),
    };
    let (telegram, starts_at, staff_chat): (Option<i64>, i64, Option<i64>) = sqlx::query_as(
        "SELECT c.telegram_id, a.starts_at, m.telegram_chat_id FROM appointments a
         JOIN clients c ON c.id = a.client_id JOIN staff m ON m.id = a.staff_id WHERE a.id = $1",
    )
    .bind(appointment.0)
    .fetch_one(&mut *conn)
    .await
    .map_err(db)?;
    for notice in notices {
        let chat = if notice.for_business() {
            None
        } else if let Some(chat) = telegram {
            Some(chat)
        } else {
            continue; // a client without Telegram has no chat to tell
        };
        insert(conn, cipher, chat, notice, appointment, starts_at, detail, now).await?;
    }
    // The staff member's own chat is a lane of its own, like a client's.
    match reassigned {
        Some(Reassigned { from, former_start }) => {
            let old_chat: Option<i64> = sqlx::query_scalar("SELECT telegram_chat_id FROM staff WHERE id = $1")
                .bind(from.0)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db)?
                .flatten();
            if let Some(chat) = old_chat {
                insert(conn, cipher, Some(chat), Notice::StaffReassigned, appointment, former_start, None, now).await?;
            }
            if let Some(chat) = staff_chat {
                insert(conn, cipher, Some(chat), Notice::StaffBooked, appointment, starts_at, None, now).await?;
            }
        }
        None => {
            if let (Some(notice), Some(chat)) = (staff_notice_for(change), staff_chat) {
                insert(conn, cipher, Some(chat), notice, appointment, starts_at, detail, now).await?;
            }
        }
    }
    if let Some(event) = webhook_event(change) {
        for hook in hooks {
            let id = next_id(&mut *conn, "outbox").await?;
            sqlx::query(
                "INSERT INTO outbox (id, chat_id, kind, appointment_id, starts_at, detail_sealed, created_at, due_at,
                     webhook_id)
                 VALUES ($1, NULL, 'webhook', $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(appointment.0)
            .bind(starts_at)
            .bind(cipher.seal(OUTBOX_DETAIL, id, event))
            .bind(seconds(now))
            .bind(seconds(now))
            .bind(hook)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        }
    }
    Ok(())
}

/// The webhooks subscribed to `event`.
async fn subscribers(conn: &mut PgConnection, event: &str) -> Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT id FROM webhooks WHERE EXISTS (SELECT 1 FROM jsonb_array_elements_text(webhooks.events::jsonb) e
                                              WHERE e.value = $1) ORDER BY id",
    )
    .bind(event)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)
}

#[allow(clippy::too_many_arguments)] // one per column
pub(crate) async fn insert(
    conn: &mut PgConnection,
    cipher: &DataCipher,
    chat: Option<i64>,
    notice: Notice,
    appointment: AppointmentId,
    starts_at: i64,
    detail: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    let id = next_id(&mut *conn, "outbox").await?;
    sqlx::query(
        "INSERT INTO outbox (id, chat_id, kind, appointment_id, starts_at, detail_sealed, created_at, due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(chat)
    .bind(notice.name())
    .bind(appointment.0)
    .bind(starts_at)
    .bind(detail.map(|d| cipher.seal(OUTBOX_DETAIL, id, d)))
    .bind(seconds(now))
    .bind(seconds(now))
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn schedule_due(store: &PostgresStore, now: Timestamp) -> Result<u64> {
    let settings = store.current_settings();
    let mut tx = store.write().await?;
    let mut added = 0;
    let mut offsets = settings.reminder_offsets_minutes.clone();
    // Smallest offset first: after downtime, the latest reminder that is due is the one to send.
    offsets.sort_unstable();
    for &offset in &offsets {
        let due: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT a.id, a.starts_at, c.telegram_id FROM appointments a JOIN clients c ON c.id = a.client_id
             WHERE a.status IN ('pending', 'confirmed') AND a.starts_at > $1
               AND a.starts_at - $2 <= $1 AND a.scheduled_at <= a.starts_at - $2
               AND c.telegram_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM reminders_sent r
                               WHERE r.appointment_id = a.id AND r.starts_at = a.starts_at AND r.offset_minutes = $3)",
        )
        .bind(seconds(now))
        .bind(i64::from(offset) * 60)
        .bind(i64::from(offset))
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        for (appointment, starts_at, chat) in due {
            // This reminder and every earlier one for this start time count as sent.
            for &covered in offsets.iter().filter(|&&o| o >= offset) {
                sqlx::query(
                    "INSERT INTO reminders_sent (appointment_id, starts_at, offset_minutes) VALUES ($1, $2, $3)
                     ON CONFLICT DO NOTHING",
                )
                .bind(appointment)
                .bind(starts_at)
                .bind(i64::from(covered))
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            }
            insert(
                &mut tx,
                &store.cipher,
                Some(chat),
                Notice::Reminder,
                AppointmentId(appointment),
                starts_at,
                None,
                now,
            )
            .await?;
            added += 1;
        }
    }
    let mut cancelled = Vec::new();
    if let Some(minutes) = settings.auto_cancel_pending_minutes {
        let late: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM appointments WHERE status = 'pending' AND starts_at > $1 AND starts_at - $2 <= $1
             ORDER BY id",
        )
        .bind(seconds(now))
        .bind(i64::from(minutes) * 60)
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        let cancel = Transition::Cancel { reason: Some(SystemReason::NotConfirmedInTime.text().into()) };
        for id in late {
            let system = Actor::System;
            appointments::transition_in(
                &mut tx,
                &store.cipher,
                AppointmentId(id),
                &cancel,
                system,
                settings.thank_you,
                now,
            )
            .await?;
            cancelled.push(id);
            added += 1;
        }
    }
    // --- comeback ---
    added += crate::comeback::schedule(&mut tx, &store.cipher, &settings, now).await?;
    tx.commit().await.map_err(db)?;
    for id in cancelled {
        store.committed(Entity::Appointment, id);
    }
    Ok(added)
}

use zapys_store_sql::outbox::{COLUMNS, OutboxRow, UNFINISHED};

pub(crate) async fn due(store: &PostgresStore, now: Timestamp, limit: u32) -> Result<Vec<OutboxItem>> {
    let rows: Vec<OutboxRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{COLUMNS} o WHERE {UNFINISHED} AND due_at <= $1
           AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.sent_at IS NULL AND p.skipped_at IS NULL
                           AND p.failed_at IS NULL AND p.lane = o.lane AND p.id < o.id)
         ORDER BY id LIMIT $2"
    )))
    .bind(seconds(now))
    .bind(i64::from(limit))
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let id = row.id;
        match row.into_item(&store.cipher) {
            Ok(item) => items.push(item),
            // A row this version cannot read must not stop the rest of the outbox: it fails, visibly.
            Err(error) => finish(store, id, NoticeOutcome::Failed(format!("unreadable: {error}")), now).await?,
        }
    }
    Ok(items)
}

pub(crate) async fn next_due(store: &PostgresStore, now: Timestamp) -> Result<Option<Timestamp>> {
    let settings = store.current_settings();
    let mut next: Option<i64> = None;
    for offset in &settings.reminder_offsets_minutes {
        let o = i64::from(*offset) * 60;
        let at: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(a.starts_at - $2) FROM appointments a JOIN clients c ON c.id = a.client_id
             WHERE a.status IN ('pending', 'confirmed') AND a.starts_at - $2 > $1
               AND a.scheduled_at <= a.starts_at - $2 AND c.telegram_id IS NOT NULL",
        )
        .bind(seconds(now))
        .bind(o)
        .fetch_one(&store.pool)
        .await
        .map_err(db)?;
        next = match (next, at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    if let Some(minutes) = settings.auto_cancel_pending_minutes {
        let at: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(starts_at - $2) FROM appointments WHERE status = 'pending' AND starts_at - $2 > $1",
        )
        .bind(seconds(now))
        .bind(i64::from(minutes) * 60)
        .fetch_one(&store.pool)
        .await
        .map_err(db)?;
        next = match (next, at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    // --- comeback ---
    let comeback = crate::comeback::next_due(store, &settings, now).await?;
    let next = next.map(instant).transpose()?;
    Ok(match (next, comeback) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    })
}

pub(crate) async fn finish(store: &PostgresStore, id: i64, outcome: NoticeOutcome, now: Timestamp) -> Result<()> {
    let (column, error) = match &outcome {
        NoticeOutcome::Sent => ("sent_at", None),
        NoticeOutcome::Skipped(reason) => ("skipped_at", Some(reason.as_str())),
        NoticeOutcome::Failed(error) => ("failed_at", Some(error.as_str())),
    };
    let done = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE outbox SET {column} = $1, last_error = COALESCE($2, last_error) WHERE id = $3 AND {UNFINISHED}"
    )))
    .bind(seconds(now))
    .bind(error)
    .bind(id)
    .execute(&store.pool)
    .await
    .map_err(db)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict(format!("notice {id} is not waiting to be sent")));
    }
    store.committed(Entity::Notice, id);
    Ok(())
}

pub(crate) async fn attempt_failed(store: &PostgresStore, id: i64, error: &str) -> Result<()> {
    sqlx::query("UPDATE outbox SET attempts = attempts + 1, last_error = $1 WHERE id = $2")
        .bind(error)
        .bind(id)
        .execute(&store.pool)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn list(store: &PostgresStore, query: &NoticeQuery) -> Result<Page<OutboxItem>> {
    let filter = match query.state {
        None => "1 = 1".to_owned(),
        Some(NoticeState::Pending) => UNFINISHED.to_owned(),
        Some(NoticeState::Sent) => "sent_at IS NOT NULL".to_owned(),
        Some(NoticeState::Skipped) => "skipped_at IS NOT NULL".to_owned(),
        Some(NoticeState::Failed) => "failed_at IS NOT NULL".to_owned(),
    };
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM outbox WHERE {filter}")))
        .fetch_one(&store.pool)
        .await
        .map_err(db)?;
    let rows: Vec<OutboxRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLUMNS} WHERE {filter} ORDER BY id DESC LIMIT $1 OFFSET $2")))
            .bind(query.paging.limit.map(i64::from))
            .bind(i64::from(query.paging.offset))
            .fetch_all(&store.pool)
            .await
            .map_err(db)?;
    let items = rows.into_iter().map(|r| r.into_item(&store.cipher)).collect::<Result<_>>()?;
    Ok(Page { items, total: total.unsigned_abs() })
}

pub(crate) async fn retry(store: &PostgresStore, id: i64) -> Result<()> {
    let done = sqlx::query("UPDATE outbox SET failed_at = NULL, attempts = 0 WHERE id = $1 AND failed_at IS NOT NULL")
        .bind(id)
        .execute(&store.pool)
        .await
        .map_err(db)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::not_found(Entity::Notice, id));
    }
    store.committed(Entity::Notice, id);
    Ok(())
}
