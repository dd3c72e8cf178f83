//! Which columns are sealed, and re-sealing all of them at once: when the
//! data key changes (`zapys rekey`), and once when a database from before
//! row-bound sealing is upgraded. Both run in one transaction: interrupted,
//! they leave the database exactly as it was.

use sqlx::{SqliteConnection, SqlitePool};
use zapys_store::{DataCipher, StoreError};

use crate::{Result, db};

pub(crate) const CLIENT_NAME: &str = "client.name";
pub(crate) const CLIENT_PHONE: &str = "client.phone";
pub(crate) const WEBHOOK_SECRET: &str = "webhook.secret";
pub(crate) const APPOINTMENT_NOTES: &str = "appointment.notes";
pub(crate) const CANCEL_REASON: &str = "appointment.cancel_reason";
pub(crate) const EVENT_DETAIL: &str = "appointment_event.detail";
pub(crate) const OUTBOX_DETAIL: &str = "outbox.detail";
pub(crate) const CONVERSATION_STATE: &str = "bot_conversation.state";
pub(crate) const EXCEPTION_NOTE: &str = "staff_exception.note";

/// What a column held before the sealing format 2.
#[derive(Clone, Copy)]
enum Before {
    /// Sealed, bound to the column only.
    Sealed,
    /// Plain text (migration 0005 moved it into the sealed column as it was).
    Plain,
}

struct Column {
    table: &'static str,
    /// The row's key, which each value is bound to.
    key: &'static str,
    column: &'static str,
    field: &'static str,
    before: Before,
}

const fn column(table: &'static str, column: &'static str, field: &'static str, before: Before) -> Column {
    Column { table, key: "id", column, field, before }
}

/// Every sealed column. A new one must be added here, or rekey would leave it
/// under the old key (the rekey test finds such a column: it fails to open).
const COLUMNS: [Column; 9] = [
    column("clients", "name_sealed", CLIENT_NAME, Before::Sealed),
    column("clients", "phone_sealed", CLIENT_PHONE, Before::Sealed),
    column("webhooks", "secret_sealed", WEBHOOK_SECRET, Before::Sealed),
    column("appointments", "notes_sealed", APPOINTMENT_NOTES, Before::Plain),
    column("appointments", "cancel_reason_sealed", CANCEL_REASON, Before::Plain),
    column("appointment_events", "detail_sealed", EVENT_DETAIL, Before::Plain),
    column("outbox", "detail_sealed", OUTBOX_DETAIL, Before::Plain),
    column("staff_exceptions", "note_sealed", EXCEPTION_NOTE, Before::Sealed),
    Column {
        table: "bot_conversations",
        key: "chat_id",
        column: "state_sealed",
        field: CONVERSATION_STATE,
        before: Before::Plain,
    },
];

const KEY_FINGERPRINT: &str = "data_key_fingerprint";
const SEALING_FORMAT: &str = "sealing_format";
const CURRENT_FORMAT: &str = "2";

/// How the values in the database are sealed now.
#[derive(Clone, Copy)]
enum Was<'a> {
    /// Format 2 under this key.
    Current(&'a DataCipher),
    /// Before format 2, under this key.
    Legacy(&'a DataCipher),
}

/// Rewrites every sealed value under `to`; the phone index follows the key.
async fn reseal(conn: &mut SqliteConnection, was: Was<'_>, to: &DataCipher) -> Result<u64> {
    let mut count = 0;
    for c in &COLUMNS {
        let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {key}, {column} FROM {table} WHERE {column} IS NOT NULL ORDER BY {key}",
            key = c.key,
            column = c.column,
            table = c.table
        )))
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?;
        for (row, value) in rows {
            let plain = match (was, c.before) {
                (Was::Current(cipher), _) => cipher.open(c.field, row, &value)?,
                (Was::Legacy(cipher), Before::Sealed) => cipher.open_legacy(c.field, &value)?,
                (Was::Legacy(_), Before::Plain) => String::from_utf8(value)
                    .map_err(|_| StoreError::Corrupt(format!("{} of row {row} is not text", c.field)))?,
            };
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE {table} SET {column} = ? WHERE {key} = ?",
                table = c.table,
                column = c.column,
                key = c.key
            )))
            .bind(to.seal(c.field, row, &plain))
            .bind(row)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
            if c.field == CLIENT_PHONE {
                sqlx::query("UPDATE clients SET phone_index = ? WHERE id = ?")
                    .bind(to.blind_index(&plain))
                    .bind(row)
                    .execute(&mut *conn)
                    .await
                    .map_err(db)?;
            }
            count += 1;
        }
    }
    Ok(count)
}

async fn meta(conn: &mut SqliteConnection, key: &str) -> Result<Option<String>> {
    sqlx::query_scalar("SELECT value FROM meta WHERE key = ?").bind(key).fetch_optional(conn).await.map_err(db)
}

async fn set_meta(conn: &mut SqliteConnection, key: &str, value: &str) -> Result<()> {
    sqlx::query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key)
        .bind(value)
        .execute(conn)
        .await
        .map_err(db)?;
    Ok(())
}

/// Checks at open that `cipher` is the database's key, and brings older
/// databases up to date in one transaction: data sealed with the public key
/// of earlier versions is re-sealed under `cipher`, and values sealed before
/// format 2 (or plain before migration 0005) are sealed bound to their rows.
pub(crate) async fn prepare(pool: &SqlitePool, cipher: &DataCipher) -> Result<()> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.map_err(db)?;
    let stored = meta(&mut tx, KEY_FINGERPRINT).await?;
    let legacy_public = DataCipher::legacy_public();
    let previous = match stored.as_deref() {
        None => cipher,
        Some(fingerprint) if fingerprint == cipher.fingerprint() => cipher,
        Some(fingerprint) if fingerprint == legacy_public.fingerprint() => &legacy_public,
        Some(_) => {
            return Err(StoreError::Corrupt(
                "the data key is not the one this database's personal data was sealed with; \
                 start with the original key (ZAPYS_DATA_KEY or the key file)"
                    .into(),
            ));
        }
    };
    let current_format = meta(&mut tx, SEALING_FORMAT).await?.as_deref() == Some(CURRENT_FORMAT);
    if current_format && previous.fingerprint() == cipher.fingerprint() && stored.is_some() {
        return Ok(()); // nothing to do; the transaction rolls back unchanged
    }
    let was = if current_format { Was::Current(previous) } else { Was::Legacy(previous) };
    let count = reseal(&mut tx, was, cipher).await?;
    set_meta(&mut tx, KEY_FINGERPRINT, cipher.fingerprint()).await?;
    set_meta(&mut tx, SEALING_FORMAT, CURRENT_FORMAT).await?;
    tx.commit().await.map_err(db)?;
    if count > 0 {
        tracing::info!(values = count, "re-sealed the database's personal data under its data key, bound to each row");
        // Leave no page or WAL frame with the old values behind.
        sqlx::query("VACUUM").execute(pool).await.map_err(db)?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(pool).await.map_err(db)?;
    }
    Ok(())
}

/// Re-seals everything from `old` (the database's key) to `new`, inside the caller's transaction.
pub(crate) async fn rekey(conn: &mut SqliteConnection, old: &DataCipher, new: &DataCipher) -> Result<u64> {
    if meta(&mut *conn, KEY_FINGERPRINT).await?.as_deref() != Some(old.fingerprint()) {
        return Err(StoreError::Corrupt("the database is not sealed with the key this store was opened with".into()));
    }
    let count = reseal(&mut *conn, Was::Current(old), new).await?;
    set_meta(&mut *conn, KEY_FINGERPRINT, new.fingerprint()).await?;
    Ok(count)
}
