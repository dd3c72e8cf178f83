//! Admins and API tokens as both backends read them.

use zapys_store::{Admin, AdminId, ApiToken, StoreError, TokenScope};

use crate::{Result, instant};

/// id, username, password_hash
pub type AdminRow = (i64, String, String);

pub fn admin((id, username, password_hash): AdminRow) -> Admin {
    Admin { id: AdminId(id), username, password_hash }
}

/// id, name, scope, created_at, last_used_at
pub type TokenRow = (i64, String, String, i64, Option<i64>);

pub fn token((id, name, scope, created_at, last_used_at): TokenRow) -> Result<ApiToken> {
    let scope = TokenScope::from_name(&scope).ok_or_else(|| StoreError::Corrupt(format!("token scope '{scope}'")))?;
    Ok(ApiToken {
        id,
        name,
        scope,
        created_at: instant(created_at)?,
        last_used_at: last_used_at.map(instant).transpose()?,
    })
}
