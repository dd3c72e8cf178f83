//! Who is asking: an admin with a session cookie, or a machine with an API token.
//!
//! Passwords are hashed with argon2id (in a blocking task: it is slow on
//! purpose). Session and API tokens are 256 random bits, so a fast SHA-256 of
//! them is what the database keeps; a stolen database holds no usable token.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};
use zapys_domain::{Actor, Source};

use crate::AppState;
use crate::error::ApiError;

pub const SESSION_COOKIE: &str = "zapys_session";
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

pub(crate) fn session_token(headers: &HeaderMap) -> Option<&str> {
    cookie(headers, SESSION_COOKIE)
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
        if let Some(token) = session_token(&parts.headers)
            && let Some(admin) = state.store().session_admin(&token_hash(token), now).await?
        {
            return Ok(Principal::Admin { username: admin.username });
        }
        Err(ApiError::Unauthorized("authentication required: log in, or send Authorization: Bearer <token>"))
    }
}

/// The peer's address, when the server was started with connection info.
pub struct ClientIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip())))
    }
}

/// Failed logins per address and per address+username, in a sliding window.
/// Kept in memory: a restart forgets them, which only costs an attacker time.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

const WINDOW: Duration = Duration::from_secs(15 * 60);
const PER_USER: u32 = 5;
const PER_ADDRESS: u32 = 20;

impl LoginLimiter {
    fn keys(ip: Option<IpAddr>, username: &str) -> [(String, u32); 2] {
        let ip = ip.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
        [(format!("{ip}|{}", username.to_lowercase()), PER_USER), (ip, PER_ADDRESS)]
    }

    /// Refuses when too many recent attempts failed.
    pub fn check(&self, ip: Option<IpAddr>, username: &str) -> Result<(), ApiError> {
        let failures = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for (key, limit) in Self::keys(ip, username) {
            if let Some(&(count, since)) = failures.get(&key) {
                let elapsed = since.elapsed();
                if count >= limit && elapsed < WINDOW {
                    return Err(ApiError::TooManyRequests { retry_after_seconds: (WINDOW - elapsed).as_secs().max(1) });
                }
            }
        }
        Ok(())
    }

    pub fn failed(&self, ip: Option<IpAddr>, username: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if failures.len() > 10_000 {
            failures.retain(|_, (_, since)| since.elapsed() < WINDOW);
        }
        for (key, _) in Self::keys(ip, username) {
            let entry = failures.entry(key).or_insert((0, Instant::now()));
            if entry.1.elapsed() >= WINDOW {
                *entry = (0, Instant::now());
            }
            entry.0 += 1;
        }
    }

    pub fn succeeded(&self, ip: Option<IpAddr>, username: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let [(user_key, _), _] = Self::keys(ip, username);
        failures.remove(&user_key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_for_one_username_lock_it_for_that_address() {
        let limiter = LoginLimiter::default();
        let ip = Some(IpAddr::from([10, 0, 0, 1]));
        for _ in 0..PER_USER {
            assert!(limiter.check(ip, "admin").is_ok());
            limiter.failed(ip, "admin");
        }
        assert!(matches!(limiter.check(ip, "Admin"), Err(ApiError::TooManyRequests { .. })), "case-insensitive");
        assert!(limiter.check(Some(IpAddr::from([10, 0, 0, 2])), "admin").is_ok(), "another address is unaffected");
        assert!(limiter.check(ip, "other").is_ok(), "another username is unaffected until the address limit");
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, "theme=dark; zapys_session=abc123; x=y".parse().expect("valid header"));
        assert_eq!(session_token(&headers), Some("abc123"));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(hash_password("short").is_err());
    }
}
