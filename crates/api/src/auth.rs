//! Who is asking: an admin with a session cookie, or a machine with an API token.
//!
//! Passwords are hashed with argon2id (in a blocking task: it is slow on
//! purpose). Session and API tokens are 256 random bits, so a fast SHA-256 of
//! them is what the database keeps; a stolen database holds no usable token.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};
use zapys_domain::{Actor, Source};

use crate::AppState;
use crate::client::client_of;
use crate::error::ApiError;

/// The session cookie over plain HTTP (the panel on 127.0.0.1 during development).
pub const SESSION_COOKIE: &str = "zapys_session";
/// The session cookie over HTTPS: the `__Host-` prefix makes the browser refuse it unless it is
/// `Secure`, has `Path=/` and no `Domain`, so no other site or subdomain can plant or widen it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-zapys_session";
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Who made a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Admin { username: String },
    Token { name: String, scope: zapys_store::TokenScope },
}

impl Principal {
    /// Bookings from the panel are the business's own; bookings through a
    /// token are an integration booking on a client's behalf, under the client rules.
    pub fn source(&self) -> Source {
        match self {
            Self::Admin { .. } => Source::Admin,
            Self::Token { .. } => Source::Api,
        }
    }

    /// Status changes through the API are the business's, whoever sends them.
    pub fn actor(&self) -> Actor {
        Actor::Admin
    }

    /// The business itself: someone in the panel, or an integration trusted with `admin` scope.
    pub fn is_business(&self) -> bool {
        matches!(self, Self::Admin { .. } | Self::Token { scope: zapys_store::TokenScope::Admin, .. })
    }
}

/// A fresh random token, URL-safe.
pub fn new_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// Compares without an early exit, so timing tells nothing about a secret.
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// An argon2id PHC string for `password`. Slow: call from a blocking task.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::Unprocessable(format!(
            "the password must have at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| ApiError::Internal(format!("hashing failed: {e}")))
}

/// Checks a password against a stored hash; `None` checks against a dummy so
/// that unknown usernames take as long as known ones.
pub async fn verify_password(stored: Option<String>, password: String) -> bool {
    tokio::task::spawn_blocking(move || {
        static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let dummy = DUMMY.get_or_init(|| {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default().hash_password(b"not a password", &salt).map(|h| h.to_string()).unwrap_or_default()
        });
        let known = stored.is_some();
        let phc = stored.unwrap_or_else(|| dummy.clone());
        let Ok(parsed) = PasswordHash::new(&phc) else {
            return false;
        };
        Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok() && known
    })
    .await
    .unwrap_or(false)
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The session cookie's name for a request that came over HTTPS or not.
pub fn session_cookie_name(https: bool) -> &'static str {
    if https { SECURE_SESSION_COOKIE } else { SESSION_COOKIE }
}

/// The session token of a request. Over HTTPS only the `__Host-` cookie counts: a plain-named
/// cookie could have been planted by a neighbouring subdomain or over plain HTTP.
pub(crate) fn session_token(headers: &HeaderMap, https: bool) -> Option<&str> {
    cookie(headers, session_cookie_name(https))
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let now = state.now();
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or(ApiError::Unauthorized("the Authorization header must be 'Bearer <token>'"))?;
            let found = state.store().api_token(&token_hash(token.trim()), now).await?;
            let token = found.ok_or(ApiError::Unauthorized("this API token is not valid (revoked or mistyped)"))?;
            crate::access::allow_token(parts, token.scope)?;
            return Ok(Principal::Token { name: token.name, scope: token.scope });
        }
        let https = client_of(parts, state).https;
        if let Some(token) = session_token(&parts.headers, https)
            && let Some(admin) =
                state.store().session_admin(&token_hash(token), now, state.config().session_idle).await?
        {
            return Ok(Principal::Admin { username: admin.username });
        }
        Err(ApiError::Unauthorized("authentication required: log in, or send Authorization: Bearer <token>"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, "theme=dark; zapys_session=abc123; x=y".parse().expect("valid header"));
        assert_eq!(session_token(&headers, false), Some("abc123"));
        assert_eq!(session_token(&headers, true), None, "over HTTPS only the __Host- cookie counts");
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(hash_password("short").is_err());
    }
}
