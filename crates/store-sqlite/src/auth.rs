use jiff::Timestamp;
use zapys_store::{Admin, AdminId, ApiToken, Entity, StoreError, TokenScope};

use crate::{Result, SqliteStore, db, instant, seconds};

type AdminRow = (i64, String, String);

fn admin((id, username, password_hash): AdminRow) -> Admin {
    Admin { id: AdminId(id), username, password_hash }
}

pub(crate) async fn admin_count(store: &SqliteStore) -> Result<u64> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM admins").fetch_one(&store.pool).await.map_err(db)?;
    Ok(count.unsigned_abs())
}

pub(crate) async fn admin_by_username(store: &SqliteStore, username: &str) -> Result<Option<Admin>> {
    let row: Option<AdminRow> = sqlx::query_as("SELECT id, username, password_hash FROM admins WHERE username = ?")
        .bind(username)
        .fetch_optional(&store.pool)
        .await
        .map_err(db)?;
    Ok(row.map(admin))
}

pub(crate) async fn create_admin(store: &SqliteStore, username: &str, password_hash: &str) -> Result<Admin> {
    let row: AdminRow = sqlx::query_as(
        "INSERT INTO admins (username, password_hash, created_at) VALUES (?, ?, unixepoch())
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

pub(crate) async fn set_admin_password(store: &SqliteStore, username: &str, password_hash: &str) -> Result<()> {
    let mut tx = store.write().await?;
    let id: Option<i64> = sqlx::query_scalar("UPDATE admins SET password_hash = ? WHERE username = ? RETURNING id")
        .bind(password_hash)
        .bind(username)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
    let id = id.ok_or(StoreError::not_found(Entity::Admin, 0))?;
    // A new password ends every session opened with the old one.
    sqlx::query("DELETE FROM admin_sessions WHERE admin_id = ?").bind(id).execute(&mut *tx).await.map_err(db)?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn create_session(
    store: &SqliteStore,
    token_hash: &[u8],
    admin: AdminId,
    expires_at: Timestamp,
) -> Result<()> {
    sqlx::query("INSERT INTO admin_sessions (token_hash, admin_id, expires_at) VALUES (?, ?, ?)")
        .bind(token_hash)
        .bind(admin.0)
        .bind(seconds(expires_at))
        .execute(&store.pool)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn session_admin(store: &SqliteStore, token_hash: &[u8], now: Timestamp) -> Result<Option<Admin>> {
    let row: Option<AdminRow> = sqlx::query_as(
        "SELECT a.id, a.username, a.password_hash FROM admin_sessions s JOIN admins a ON a.id = s.admin_id
         WHERE s.token_hash = ? AND s.expires_at > ?",
    )
    .bind(token_hash)
    .bind(seconds(now))
    .fetch_optional(&store.pool)
    .await
    .map_err(db)?;
    Ok(row.map(admin))
}

pub(crate) async fn delete_session(store: &SqliteStore, token_hash: &[u8]) -> Result<()> {
    sqlx::query("DELETE FROM admin_sessions WHERE token_hash = ?")
        .bind(token_hash)
        .execute(&store.pool)
        .await
        .map_err(db)?;
    Ok(())
}

type TokenRow = (i64, String, String, i64, Option<i64>);

fn token((id, name, scope, created_at, last_used_at): TokenRow) -> Result<ApiToken> {
    let scope = TokenScope::from_name(&scope).ok_or_else(|| StoreError::Corrupt(format!("token scope '{scope}'")))?;
    Ok(ApiToken {
        id,
        name,
        scope,
        created_at: instant(created_at)?,
        last_used_at: last_used_at.map(instant).transpose()?,
    })
}

pub(crate) async fn create_api_token(
    store: &SqliteStore,
    name: &str,
    scope: TokenScope,
    token_hash: &[u8],
    now: Timestamp,
) -> Result<ApiToken> {
    let row: TokenRow = sqlx::query_as(
        "INSERT INTO api_tokens (name, scope, token_hash, created_at) VALUES (?, ?, ?, ?)
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

pub(crate) async fn api_token(store: &SqliteStore, token_hash: &[u8], now: Timestamp) -> Result<Option<ApiToken>> {
    let row: Option<TokenRow> = sqlx::query_as(
        "UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ? RETURNING id, name, scope, created_at, last_used_at",
    )
    .bind(seconds(now))
    .bind(token_hash)
    .fetch_optional(&store.pool)
    .await
    .map_err(db)?;
    row.map(token).transpose()
}

pub(crate) async fn api_tokens(store: &SqliteStore) -> Result<Vec<ApiToken>> {
    let rows: Vec<TokenRow> =
        sqlx::query_as("SELECT id, name, scope, created_at, last_used_at FROM api_tokens ORDER BY id DESC")
            .fetch_all(&store.pool)
            .await
            .map_err(db)?;
    rows.into_iter().map(token).collect()
}

pub(crate) async fn delete_api_token(store: &SqliteStore, id: i64) -> Result<()> {
    let deleted = sqlx::query("DELETE FROM api_tokens WHERE id = ?").bind(id).execute(&store.pool).await.map_err(db)?;
    if deleted.rows_affected() == 0 {
        return Err(StoreError::not_found(Entity::ApiToken, id));
    }
    Ok(())
}
