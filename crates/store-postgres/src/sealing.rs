//! Re-sealing every sealed column at once: when the data key changes
//! (`zapys rekey`), and once when a database from before row-bound sealing
//! is upgraded. Both run in one transaction: interrupted, they leave the
//! database exactly as it was. Which columns, and how each value is opened,
//! is shared with the other backends (`zapys_store_sql::sealing`).

use sqlx::{PgConnection, PgPool};
use zapys_store::DataCipher;
pub(crate) use zapys_store_sql::sealing::{
    CANCEL_REASON, CLIENT_NAME, CLIENT_NOTES, CLIENT_PHONE, CONVERSATION_STATE, EVENT_DETAIL, EXCEPTION_NOTE,
    OUTBOX_DETAIL, SUPPORT_FILE, SUPPORT_TEXT, TELEGRAM_TOKEN, WEBHOOK_SECRET,
};
use zapys_store_sql::sealing::{
    COLUMNS, CURRENT_FORMAT, KEY_FINGERPRINT, Preparation, SEALING_FORMAT, Was, check_rekey,
};

use crate::{Result, db};

/// The advisory lock held while opening checks (and perhaps re-seals) the data: "zapys" and 1.
const SEALING_LOCK: i64 = 0x7a61_7079_7300_0001;

/// Rewrites every sealed value under `to`; the phone index follows the key.
async fn reseal(conn: &mut PgConnection, was: Was<'_>, to: &DataCipher) -> Result<u64> {
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
            let plain = was.open(c, row, value)?;
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE {table} SET {column} = $1 WHERE {key} = $2",
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
                sqlx::query("UPDATE clients SET phone_index = $1 WHERE id = $2")
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

async fn meta(conn: &mut PgConnection, key: &str) -> Result<Option<String>> {
    sqlx::query_scalar("SELECT value FROM meta WHERE key = $1").bind(key).fetch_optional(conn).await.map_err(db)
}

async fn set_meta(conn: &mut PgConnection, key: &str, value: &str) -> Result<()> {
    sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
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
/// format 2 (or plain before migration 0009) are sealed bound to their rows.
pub(crate) async fn prepare(pool: &PgPool, cipher: &DataCipher) -> Result<()> {
    let mut tx = pool.begin().await.map_err(db)?;
    // Instances starting together check (and perhaps re-seal) one after the other.
    sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(SEALING_LOCK).execute(&mut *tx).await.map_err(db)?;
    let stored = meta(&mut tx, KEY_FINGERPRINT).await?;
    let format = meta(&mut tx, SEALING_FORMAT).await?;
    let legacy_public = DataCipher::legacy_public();
    let was = match zapys_store_sql::sealing::prepare(stored.as_deref(), format.as_deref(), cipher, &legacy_public)? {
        Preparation::Ready => return Ok(()), // nothing to do; the transaction rolls back unchanged
        Preparation::Reseal(was) => was,
    };
    let count = reseal(&mut tx, was, cipher).await?;
    set_meta(&mut tx, KEY_FINGERPRINT, cipher.fingerprint()).await?;
    set_meta(&mut tx, SEALING_FORMAT, CURRENT_FORMAT).await?;
    tx.commit().await.map_err(db)?;
    if count > 0 {
        tracing::info!(values = count, "re-sealed the database's personal data under its data key, bound to each row");
    }
    Ok(())
}

/// Re-seals everything from `old` (the database's key) to `new`, inside the caller's transaction.
pub(crate) async fn rekey(conn: &mut PgConnection, old: &DataCipher, new: &DataCipher) -> Result<u64> {
    check_rekey(meta(&mut *conn, KEY_FINGERPRINT).await?.as_deref(), old)?;
    let count = reseal(&mut *conn, Was::Current(old), new).await?;
    set_meta(&mut *conn, KEY_FINGERPRINT, new.fingerprint()).await?;
    Ok(count)
}
