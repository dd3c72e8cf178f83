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
//! A successful login gives its attempt back. Kept in memory: a restart forgets
//! the counts, which only costs an attacker time.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use crate::auth::verify_password;
use crate::error::ApiError;

pub const PER_PAIR: u32 = 5;
pub const PER_ADDRESS: u32 = 20;
pub const GLOBAL: u32 = 60;
const WINDOW: Duration = Duration::from_secs(15 * 60);
const GLOBAL_WINDOW: Duration = Duration::from_secs(60);
/// Password checks that may run at the same time (each holds ~19 MiB while it runs).
pub const PARALLEL_CHECKS: usize = 4;
/// How long an attempt waits for a turn before it is told to come back.
const QUEUE_WAIT: Duration = Duration::from_secs(5);
/// Entries kept before expired ones are swept out.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Window {
    count: u32,
    since: Instant,
}

impl Window {
    fn fresh() -> Self {
        Self { count: 0, since: Instant::now() }
    }

    /// The count, restarted when the window has passed.
    fn current(&mut self, length: Duration) -> &mut Self {
        if self.since.elapsed() >= length {
            *self = Self::fresh();
        }
        self
    }

    fn retry_after(&self, length: Duration) -> u64 {
        length.saturating_sub(self.since.elapsed()).as_secs().max(1)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Address(String),
    Pair(String, String),
}

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

#[derive(Debug)]
struct Counts {
    windows: HashMap<Key, Window>,
    global: Window,
}

/// Login attempt limits and the queue for password checks.
#[derive(Debug)]
pub struct LoginGuard {
    counts: Mutex<Counts>,
    checks: Semaphore,
    checks_started: AtomicU64,
}

impl Default for LoginGuard {
    fn default() -> Self {
        Self {
            counts: Mutex::new(Counts { windows: HashMap::new(), global: Window::fresh() }),
            checks: Semaphore::new(PARALLEL_CHECKS),
            checks_started: AtomicU64::new(0),
        }
    }
}

/// A counted attempt; give it back with [`LoginGuard::succeeded`] when the password was right.
#[derive(Debug)]
pub struct Attempt {
    address: Key,
    pair: Key,
}

impl LoginGuard {
    fn counts(&self) -> std::sync::MutexGuard<'_, Counts> {
        self.counts.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Counts an attempt, or refuses it (429) when a limit is reached. Call before checking the password.
    pub fn begin(&self, ip: Option<IpAddr>, username: &str) -> Result<Attempt, ApiError> {
        let address = address_key(ip);
        let attempt =
            Attempt { pair: Key::Pair(address.clone(), username.to_lowercase()), address: Key::Address(address) };
        let mut counts = self.counts();
        if counts.windows.len() > SWEEP_ABOVE {
            counts.windows.retain(|_, w| w.since.elapsed() < WINDOW);
        }
        for (key, limit) in [(&attempt.pair, PER_PAIR), (&attempt.address, PER_ADDRESS)] {
            if let Some(window) = counts.windows.get_mut(key) {
                let window = window.current(WINDOW);
                if window.count >= limit {
                    return Err(ApiError::TooManyRequests { retry_after_seconds: window.retry_after(WINDOW) });
                }
            }
        }
        let global = counts.global.current(GLOBAL_WINDOW);
        if global.count >= GLOBAL {
            return Err(ApiError::TooManyRequests { retry_after_seconds: global.retry_after(GLOBAL_WINDOW) });
        }
        global.count += 1;
        for key in [&attempt.pair, &attempt.address] {
            counts.windows.entry(key.clone()).or_insert_with(Window::fresh).current(WINDOW).count += 1;
        }
        Ok(attempt)
    }

    /// The password was right: the attempt does not count against anyone.
    pub fn succeeded(&self, attempt: Attempt) {
        let mut counts = self.counts();
        counts.windows.remove(&attempt.pair);
        if let Some(window) = counts.windows.get_mut(&attempt.address) {
            window.count = window.count.saturating_sub(1);
        }
        counts.global.count = counts.global.count.saturating_sub(1);
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

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().expect("ip"))
    }

    #[test]
    fn attempts_count_before_the_check_so_a_burst_cannot_overshoot() {
        let guard = LoginGuard::default();
        let admitted = (0..200).filter(|_| guard.begin(ip("10.0.0.1"), "admin").is_ok()).count();
        assert_eq!(admitted, PER_PAIR as usize);
    }

    #[test]
    fn one_address_cannot_lock_out_another() {
        let guard = LoginGuard::default();
        for _ in 0..PER_PAIR {
            guard.begin(ip("203.0.113.9"), "admin").expect("admitted");
        }
        assert!(matches!(guard.begin(ip("203.0.113.9"), "Admin"), Err(ApiError::TooManyRequests { .. })));
        assert!(guard.begin(ip("198.51.100.1"), "admin").is_ok(), "the owner elsewhere still gets in");
        assert!(guard.begin(ip("203.0.113.9"), "other").is_ok(), "another username, until the address limit");
    }

    #[test]
    fn ipv6_addresses_in_one_64_share_a_limit() {
        let guard = LoginGuard::default();
        for i in 0..PER_PAIR {
            guard.begin(ip(&format!("2001:db8:1:2::{i:x}")), "admin").expect("admitted");
        }
        assert!(guard.begin(ip("2001:db8:1:2:ffff::1"), "admin").is_err(), "the same /64");
        assert!(guard.begin(ip("2001:db8:1:3::1"), "admin").is_ok(), "the next /64");
    }

    #[test]
    fn a_success_gives_its_attempt_back() {
        let guard = LoginGuard::default();
        for _ in 0..PER_PAIR * 3 {
            let attempt = guard.begin(ip("10.0.0.1"), "admin").expect("admitted");
            guard.succeeded(attempt);
        }
    }

    #[test]
    fn a_crowd_of_addresses_meets_the_global_cap() {
        let guard = LoginGuard::default();
        let admitted = (0..GLOBAL + 10)
            .filter(|i| guard.begin(ip(&format!("10.1.{}.{}", i / 200, i % 200)), "admin").is_ok())
            .count();
        assert_eq!(admitted, GLOBAL as usize);
    }
}
