//! Clients. Names and phones are sealed, so searching decrypts in memory: a
//! few thousand clients take a few milliseconds, and nothing readable ever
//! reaches the database file.

use jiff::Timestamp;
use zapys_domain::client::ClientDraft;
use zapys_domain::{Actor, AppointmentId, Client, ClientId, SystemReason, TelegramId, Transition};
use zapys_store::{ClientQuery, Entity, Page, StoreError};

use zapys_store_sql::rules::matches;

use crate::rows::ClientRow;
use crate::sealing::{CLIENT_NAME, CLIENT_NOTES, CLIENT_PHONE};
use crate::{PostgresStore, Result, appointments, db, next_id, seconds};

const COLUMNS: &str = "SELECT id, telegram_id, name_sealed, phone_sealed, language, created_at FROM clients";

pub(crate) async fn list(store: &PostgresStore, query: &ClientQuery) -> Result<Page<Client>> {
    let needle = query.search.as_deref().map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty());
    let Some(needle) = needle else {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM clients WHERE erased_at IS NULL")
            .fetch_one(&store.pool)
            .await
            .map_err(db)?;
        let rows: Vec<ClientRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{COLUMNS} WHERE erased_at IS NULL ORDER BY id DESC LIMIT $1 OFFSET $2"
        )))
        .bind(query.paging.limit.map(i64::from))
        .bind(i64::from(query.paging.offset))
        .fetch_all(&store.pool)
        .await
        .map_err(db)?;
        let items = rows.into_iter().map(|r| r.into_client(&store.cipher)).collect::<Result<_>>()?;
        return Ok(Page { items, total: total.unsigned_abs() });
    };
    let found = matching(store, &needle).await?;
    let total = found.len() as u64;
    let limit = query.paging.limit.map_or(usize::MAX, |l| l as usize);
    let items = found.into_iter().skip(query.paging.offset as usize).take(limit).collect();
    Ok(Page { items, total })
}

/// Every client (newest first) whose name or phone matches `needle` (lowercase).
pub(crate) async fn matching(store: &PostgresStore, needle: &str) -> Result<Vec<Client>> {
    let rows: Vec<ClientRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLUMNS} WHERE erased_at IS NULL ORDER BY id DESC")))
            .fetch_all(&store.pool)
            .await
            .map_err(db)?;
    let mut found = Vec::new();
    for row in rows {
        let client = row.into_client(&store.cipher)?;
        if matches(&client, needle) {
            found.push(client);
        }
    }
    Ok(found)
}

pub(crate) async fn get(store: &PostgresStore, id: ClientId) -> Result<Client> {
    let row: Option<ClientRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLUMNS} WHERE id = $1")))
        .bind(id.0)
        .fetch_optional(&store.pool)
        .await
        .map_err(db)?;
    row.ok_or(StoreError::not_found(Entity::Client, id.0))?.into_client(&store.cipher)
}

pub(crate) async fn by_telegram(store: &PostgresStore, telegram_id: TelegramId) -> Result<Option<Client>> {
    let row: Option<ClientRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLUMNS} WHERE telegram_id = $1")))
        .bind(telegram_id.0)
        .fetch_optional(&store.pool)
        .await
        .map_err(db)?;
    row.map(|r| r.into_client(&store.cipher)).transpose()
}

fn duplicate_telegram(e: StoreError) -> StoreError {
    match e {
        StoreError::Duplicate(_) => StoreError::Duplicate("another client already has this telegram_id".into()),
        other => other,
    }
}

pub(crate) async fn create(store: &PostgresStore, draft: &ClientDraft) -> Result<Client> {
    let cipher = &store.cipher;
    let mut tx = store.write().await?;
    let id = next_id(&mut tx, "clients").await?;
    sqlx::query(
        "INSERT INTO clients (id, telegram_id, name_sealed, phone_sealed, phone_index, language, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, unixepoch())",
    )
    .bind(id)
    .bind(draft.telegram_id.map(|t| t.0))
    .bind(cipher.seal(CLIENT_NAME, id, draft.contact.name.as_str()))
    .bind(cipher.seal(CLIENT_PHONE, id, draft.contact.phone.as_str()))
    .bind(cipher.blind_index(draft.contact.phone.as_str()))
    .bind(draft.language.code())
    .execute(&mut *tx)
    .await
    .map_err(|e| duplicate_telegram(db(e)))?;
    tx.commit().await.map_err(db)?;
    store.committed(Entity::Client, id);
    get(store, ClientId(id)).await
}

pub(crate) async fn update(store: &PostgresStore, id: ClientId, draft: &ClientDraft) -> Result<Client> {
    let cipher = &store.cipher;
    let updated = sqlx::query(
        "UPDATE clients SET telegram_id = $1, name_sealed = $2, phone_sealed = $3, phone_index = $4, language = $5
         WHERE id = $6 AND erased_at IS NULL",
    )
    .bind(draft.telegram_id.map(|t| t.0))
    .bind(cipher.seal(CLIENT_NAME, id.0, draft.contact.name.as_str()))
    .bind(cipher.seal(CLIENT_PHONE, id.0, draft.contact.phone.as_str()))
    .bind(cipher.blind_index(draft.contact.phone.as_str()))
    .bind(draft.language.code())
    .bind(id.0)
    .execute(&store.pool)
    .await
    .map_err(|e| duplicate_telegram(db(e)))?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::not_found(Entity::Client, id.0));
    }
    store.committed(Entity::Client, id.0);
    get(store, id).await
}

pub(crate) async fn erase(store: &PostgresStore, id: ClientId, by: Actor, now: Timestamp) -> Result<()> {
    let mut tx = store.write().await?;
    // No booking for them can be made while their future is cancelled.
    crate::locks::clients(&mut tx, &[id]).await?;
    let future: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM appointments WHERE client_id = $1 AND status IN ('pending', 'confirmed') AND starts_at > $2
         ORDER BY id",
    )
    .bind(id.0)
    .bind(seconds(now))
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    let cancel = Transition::Cancel { reason: Some(SystemReason::ClientErased.text().into()) };
    for &appointment in &future {
        appointments::transition_in(&mut tx, &store.cipher, AppointmentId(appointment), &cancel, by, false, now)
            .await?;
    }
    crate::waitlist::erase(&mut tx, id).await?; // --- waitlist ---
    // The bot's conversation with them is theirs too, and their chat id links it to them.
    sqlx::query(
        "DELETE FROM bot_conversations
         WHERE chat_id = (SELECT telegram_id FROM clients WHERE id = $1 AND erased_at IS NULL)",
    )
    .bind(id.0)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    crate::support::erase(&mut tx, id, now).await?;
    crate::comeback::forget(&mut tx, id).await?;
    let erased = sqlx::query(
        "UPDATE clients SET telegram_id = NULL, name_sealed = NULL, phone_sealed = NULL, phone_index = NULL,
             notes_sealed = NULL,
             erased_at = $1 WHERE id = $2 AND erased_at IS NULL",
    )
    .bind(seconds(now))
    .bind(id.0)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    if erased.rows_affected() == 0 {
        return Err(StoreError::not_found(Entity::Client, id.0));
    }
    tx.commit().await.map_err(db)?;
    store.committed(Entity::Client, id.0);
    for appointment in future {
        store.committed(Entity::Appointment, appointment);
    }
    Ok(())
}

/// The business's private notes about a client, opened.
pub(crate) async fn notes(store: &PostgresStore, id: ClientId) -> Result<String> {
    let row: Option<Option<Vec<u8>>> =
        sqlx::query_scalar("SELECT notes_sealed FROM clients WHERE id = $1 AND erased_at IS NULL")
            .bind(id.0)
            .fetch_optional(&store.pool)
            .await
            .map_err(db)?;
    let sealed = row.ok_or(StoreError::not_found(Entity::Client, id.0))?;
    Ok(sealed.map(|s| store.cipher.open(CLIENT_NOTES, id.0, &s)).transpose()?.unwrap_or_default())
}

pub(crate) async fn set_notes(store: &PostgresStore, id: ClientId, notes: &str) -> Result<()> {
    let sealed = (!notes.is_empty()).then(|| store.cipher.seal(CLIENT_NOTES, id.0, notes));
    let updated = sqlx::query("UPDATE clients SET notes_sealed = $1 WHERE id = $2 AND erased_at IS NULL")
        .bind(sealed)
        .bind(id.0)
        .execute(&store.pool)
        .await
        .map_err(db)?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::not_found(Entity::Client, id.0));
    }
    store.committed(Entity::Client, id.0);
    Ok(())
}
