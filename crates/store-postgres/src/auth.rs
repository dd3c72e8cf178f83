use jiff::{SignedDuration, Timestamp};
use zapys_store::{Admin, AdminId, ApiToken, Entity, StoreError, TokenScope};
use zapys_store_sql::auth::{AdminRow, TokenRow, admin, token};

use crate::{PostgresStore, Result, db, seconds};

pub(crate) async fn admin_count(store: &PostgresStore) -> Result<u64> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM admins").fetch_one(&store.pool).await.map_err(db)?;
    Ok(count.unsigned_abs())
}

pub(crate) async fn admin_by_username(store: &PostgresStore, username: &str) -> Result<Option<Admin>> {
    let row: Option<AdminRow> = sqlx::query_as("SELECT id, username, password_hash FROM admins WHERE username = $1")
        .bind(username)
        .fetch_optional(&store.pool)
        .await
        .map_err(db)?;
    Ok(row.map(admin))
}

pub(crate) async fn create_admin(store: &PostgresStore, username: &str, password_hash: &str) -> Result<Admin> {
    let row: AdminRow = sqlx::query_as(
        "INSERT INTO admins (username, password_hash, created_at) VALUES ($1, $2, unixepoch())
         RETURNING id, username, password_hash",
    )
    .bind(username)
    .bind(password_hash)
    .fetch_one(&store.pool)
    .await
    .map_err(|e| match db(e) {
        StoreError::Duplicate(_) => StoreError::Duplicate(format!("an admin named '{username}' already exists")),
        other => other,
    })?;
    Ok(admin(row))
}

pub(crate) async fn set_admin_password(store: &PostgresStore, username: &str, password_hash: &str) -> Result<()> {
    let mut tx = store.write().await?;
    let id: Option<i64> = sqlx::query_scalar("UPDATE admins SET password_hash = $1 WHERE username = $2 RETURNING id")
        .bind(password_hash)
        .bind(username)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
    let id = id.ok_or(StoreError::not_found(Entity::Admin, 0))?;
    // A new password ends every session opened with the old one.
    sqlx::query("DELETE FROM admin_sessions WHERE admin_id = $1").bind(id).execute(&mut *tx).await.map_err(db)?;
    tx.commit().await.map_err(db)
}

/// Activity is written at most this often, so a busy panel does not turn every read into a write.
const ACTIVITY_GRANULARITY_SECONDS: i64 = 60;

pub(crate) async fn create_session(
    store: &PostgresStore,
    token_hash: &[u8],
    admin: AdminId,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<()> {
    sqlx::query("INSERT INTO admin_sessions (token_hash, admin_id, expires_at, last_seen_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(admin.0)
        .bind(seconds(expires_at))
        .bind(seconds(now))
        .execute(&store.pool)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn session_admin(
    store: &PostgresStore,
    token_hash: &[u8],
    now: Timestamp,
    idle_timeout: SignedDuration,
) -> Result<Option<Admin>> {
    // A read first: a guessed or stale cookie costs no write (and no row lock).
    let row: Option<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT a.id, a.username, a.password_hash, s.last_seen_at FROM admin_sessions s JOIN admins a ON a.id = s.admin_id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3",
    )
    .bind(token_hash)
    .bind(seconds(now))
    .bind(seconds(now - idle_timeout))
    .fetch_optional(&store.pool)
    .await
    .map_err(db)?;
    let Some((id, username, password_hash, last_seen)) = row else {
        return Ok(None);
    };
    if seconds(now) - last_seen >= ACTIVITY_GRANULARITY_SECONDS {
        sqlx::query("UPDATE admin_sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(seconds(now))
            .bind(token_hash)
            .execute(&store.pool)
            .await
            .map_err(db)?;
    }
    Ok(Some(admin((id, username, password_hash))))
}

pub(crate) async fn purge_sessions(store: &PostgresStore, now: Timestamp, idle_timeout: SignedDuration) -> Result<u64> {
    let deleted = sqlx::query("DELETE FROM admin_sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(seconds(now))
        .bind(seconds(now - idle_timeout))
        .execute(&store.pool)
        .await
        .map_err(db)?;
    Ok(deleted.rows_affected())
}

pub(crate) async fn delete_session(store: &PostgresStore, token_hash: &[u8]) -> Result<()> {
    sqlx::query("DELETE FROM admin_sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&store.pool)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn create_api_token(
    store: &PostgresStore,
    name: &str,
    scope: TokenScope,
    token_hash: &[u8],
    now: Timestamp,
) -> Result<ApiToken> {
    let row: TokenRow = sqlx::query_as(
        "INSERT INTO api_tokens (name, scope, token_hash, created_at) VALUES ($1, $2, $3, $4)
         RETURNING id, name, scope, created_at, last_used_at",
    )
    .bind(name)
    .bind(scope.name())
    .bind(token_hash)
    .bind(seconds(now))
    .fetch_one(&store.pool)
    .await
    .map_err(db)?;
    token(row)
}

pub(crate) async fn api_token(store: &PostgresStore, token_hash: &[u8], now: Timestamp) -> Result<Option<ApiToken>> {
    // A read first: an unknown token (a scanner, a typo) costs no write.
    let row: Option<TokenRow> =
        sqlx::query_as("SELECT id, name, scope, created_at, last_used_at FROM api_tokens WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&store.pool)
            .await
            .map_err(db)?;
    let Some(mut row) = row else {
        return Ok(None);
    };
    if row.4.is_none_or(|last| seconds(now) - last >= ACTIVITY_GRANULARITY_SECONDS) {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(seconds(now))
            .bind(row.0)
            .execute(&store.pool)
            .await
            .map_err(db)?;
        row.4 = Some(seconds(now));
    }
    token(row).map(Some)
}

pub(crate) async fn api_tokens(store: &PostgresStore) -> Result<Vec<ApiToken>> {
    let rows: Vec<TokenRow> =
        sqlx::query_as("SELECT id, name, scope, created_at, last_used_at FROM api_tokens ORDER BY id DESC")
            .fetch_all(&store.pool)
            .await
            .map_err(db)?;
    rows.into_iter().map(token).collect()
}

pub(crate) async fn delete_api_token(store: &PostgresStore, id: i64) -> Result<()> {
    let deleted =
        sqlx::query("DELETE FROM api_tokens WHERE id = $1").bind(id).execute(&store.pool).await.map_err(db)?;
    if deleted.rows_affected() == 0 {
        return Err(StoreError::not_found(Entity::ApiToken, id));
    }
    Ok(())
}
