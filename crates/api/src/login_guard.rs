//! What stands between a login form and argon2.
//!
//! A password check costs about 19 MiB and tens of milliseconds of a core, on
//! purpose. So an attempt is *counted before* its check (200 parallel guesses
//! cannot all slip under a limit that is only updated afterwards), and only a
//! few checks run at once: the rest wait briefly for a turn, then get 429.
//!
//! Limits, each over a fixed window that starts with its first attempt:
//! - per client address and username: [`PER_PAIR`] attempts;
//! - per client address (IPv6 per /64, which one customer usually holds whole): [`PER_ADDRESS`];
//! - for everyone together: [`GLOBAL`] per minute, which bounds the work a crowd of addresses
//!   can cause. It only ever delays the owner by seconds; it never locks them out.
//!
//! A successful login gives its attempt back. The counts live in the database, so every instance
//! behind a load balancer sees the same ones and a restart forgets nothing. They are kept under
//! hashes of their keys: the database never holds the addresses themselves.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;
use zapys_store::{Admission, AttemptLimit, Store};

use crate::auth::verify_password;
use crate::error::ApiError;

pub const PER_PAIR: u32 = 5;
pub const PER_ADDRESS: u32 = 20;
pub const GLOBAL: u32 = 60;
const WINDOW: SignedDuration = SignedDuration::from_mins(15);
const GLOBAL_WINDOW: SignedDuration = SignedDuration::from_mins(1);
/// Password checks that may run at the same time in this instance (each holds ~19 MiB while it runs).
pub const PARALLEL_CHECKS: usize = 4;
/// How long an attempt waits for a turn before it is told to come back.
const QUEUE_WAIT: Duration = Duration::from_secs(5);
const GLOBAL_KEY: &str = "login:everyone";

/// The part of an address that one client controls: the address, or its /64 for IPv6.
fn address_key(ip: Option<IpAddr>) -> String {
    match ip {
        Some(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Some(IpAddr::V6(v6)) => v6.to_ipv4_mapped().map_or_else(String::new, |v4| v4.to_string()),
        Some(IpAddr::V4(v4)) => v4.to_string(),
        None => "unknown".to_owned(),
    }
}

/// Login attempt limits and the queue for password checks.
#[derive(Debug)]
pub struct LoginGuard {
    checks: Semaphore,
    checks_started: AtomicU64,
}

impl Default for LoginGuard {
    fn default() -> Self {
        Self { checks: Semaphore::new(PARALLEL_CHECKS), checks_started: AtomicU64::new(0) }
    }
}

/// A counted attempt; give it back with [`LoginGuard::succeeded`] when the password was right.
#[derive(Debug)]
pub struct Attempt {
    address: String,
    pair: String,
}

/// What the store keeps for a key: its hash, so no address or username is stored in clear.
fn hashed(kind: &str, value: &str) -> String {
    let digest = Sha256::digest(format!("{kind}\0{value}"));
    format!("login:{kind}:{}", digest.iter().take(16).map(|b| format!("{b:02x}")).collect::<String>())
}

impl LoginGuard {
    /// Counts an attempt, or refuses it (429) when a limit is reached. Call before checking the password.
    pub async fn begin(
        &self,
        store: &dyn Store,
        now: Timestamp,
        ip: Option<IpAddr>,
        username: &str,
    ) -> Result<Attempt, ApiError> {
        let address = address_key(ip);
        let attempt = Attempt {
            pair: hashed("pair", &format!("{address}\0{}", username.to_lowercase())),
            address: hashed("address", &address),
        };
        let limits = [
            AttemptLimit { key: &attempt.pair, limit: PER_PAIR, window: WINDOW },
            AttemptLimit { key: &attempt.address, limit: PER_ADDRESS, window: WINDOW },
            AttemptLimit { key: GLOBAL_KEY, limit: GLOBAL, window: GLOBAL_WINDOW },
        ];
        match store.count_attempt(&limits, now).await? {
            Admission::Counted => Ok(attempt),
            Admission::Refused { retry_after_seconds } => Err(ApiError::TooManyRequests { retry_after_seconds }),
        }
    }

    /// The password was right: the attempt does not count against anyone.
    pub async fn succeeded(&self, store: &dyn Store, attempt: Attempt) -> Result<(), ApiError> {
        store.forgive_attempt(&[&attempt.pair], &[&attempt.address, GLOBAL_KEY]).await?;
        Ok(())
    }

    /// Checks a password (see [`verify_password`]) when a turn is free, waiting a few seconds for one.
    pub async fn check_password(&self, stored: Option<String>, password: String) -> Result<bool, ApiError> {
        let Ok(Ok(_turn)) = tokio::time::timeout(QUEUE_WAIT, self.checks.acquire()).await else {
            return Err(ApiError::TooManyRequests { retry_after_seconds: 1 });
        };
        self.checks_started.fetch_add(1, Ordering::Relaxed);
        Ok(verify_password(stored, password).await)
    }

    /// Password checks started since the server started (for tests and operators).
    pub fn checks_started(&self) -> u64 {
        self.checks_started.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_in_one_64_share_a_key() {
        let ip = |s: &str| Some(s.parse::<IpAddr>().expect("ip"));
        assert_eq!(address_key(ip("2001:db8:1:2::1")), address_key(ip("2001:db8:1:2:ffff::9")));
        assert_ne!(address_key(ip("2001:db8:1:2::1")), address_key(ip("2001:db8:1:3::1")));
        assert_eq!(address_key(ip("::ffff:10.0.0.1")), "10.0.0.1", "an IPv4-mapped address is the IPv4 one");
    }

    #[test]
    fn keys_are_hashed_and_usernames_case_blind_in_the_caller() {
        let key = hashed("address", "203.0.113.9");
        assert!(!key.contains("203.0.113.9"), "{key}");
        assert_ne!(key, hashed("pair", "203.0.113.9"), "kinds do not collide");
    }
}
