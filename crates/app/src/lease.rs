//! Work that one instance does at a time, whichever it is: delivering the outbox (and scheduling
//! reminders), and polling Telegram. Each is held under a lease in the database, renewed while the
//! instance lives; when it stops, it lets go at once, and when it dies, another instance takes the
//! work over once the lease lapses. One deliverer also keeps Telegram's pacing (30 messages a second
//! overall, one a second per chat) exact across instances.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use jiff::SignedDuration;
use tokio::sync::watch;
use zapys_domain::Clock;
use zapys_store::Store;

/// How long a lease lasts without renewal: how soon another instance takes over from a dead one.
pub const TTL: SignedDuration = SignedDuration::from_secs(30);
/// How often a holder renews (and a standby asks).
pub const RENEW: Duration = Duration::from_secs(10);

pub const DELIVERY: &str = "delivery";
pub const TELEGRAM_POLLING: &str = "telegram-polling";

/// A name for this instance in leases: unique per start, readable in the database.
pub fn instance_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_owned()).unwrap_or_default();
    let suffix = &zapys_api::new_token("")[..8];
    format!("{}{}{}-{suffix}", host, if host.is_empty() { "" } else { "-" }, std::process::id())
}

/// Whoever may hold leases: the store, the clock, and this instance's name.
#[derive(Clone)]
pub struct Leases {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    holder: String,
    /// The leases this instance holds right now.
    held: Arc<Mutex<BTreeSet<&'static str>>>,
}

impl Leases {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock, holder: instance_name(), held: Arc::default() }
    }

    /// This instance's name in the database.
    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// Whether this instance holds the lease `name` (and so does its work) right now.
    pub fn holds(&self, name: &str) -> bool {
        self.held.lock().unwrap_or_else(PoisonError::into_inner).contains(name)
    }

    fn mark(&self, name: &'static str, held: bool) {
        let mut set = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        if held {
            set.insert(name);
        } else {
            set.remove(name);
        }
    }

    async fn take(&self, name: &str) -> bool {
        let now = self.clock.now();
        match self.store.take_lease(name, &self.holder, now, now + TTL).await {
            Ok(held) => held,
            Err(error) => {
                tracing::warn!(lease = name, %error, "could not reach the database to hold a lease");
                false
            }
        }
    }

    /// Runs `work` whenever this instance holds the lease `name`, until `shutdown`. `work` is told
    /// to stop (its argument turns true) at shutdown or when the lease is lost; the lease is let go
    /// once `work` has returned, so work in hand is finished (or handed back) first.
    pub async fn run_while_held<F, Fut>(self, name: &'static str, mut shutdown: watch::Receiver<bool>, work: F)
    where
        F: Fn(watch::Receiver<bool>) -> Fut + Send,
        Fut: Future<Output = ()> + Send,
    {
        let mut said_standby = false;
        while !*shutdown.borrow() {
            if !self.take(name).await {
                if !said_standby {
                    tracing::info!(lease = name, "another instance holds this work; this one stands by");
                    said_standby = true;
                }
                tokio::select! {
                    () = stopping(&mut shutdown) => break,
                    () = tokio::time::sleep(RENEW) => continue,
                }
            }
            said_standby = false;
            self.mark(name, true);
            tracing::info!(lease = name, holder = self.holder, "this instance holds the work now");
            let (stop, stopped) = watch::channel(false);
            let task = work(stopped);
            tokio::pin!(task);
            loop {
                tokio::select! {
                    () = &mut task => break,
                    () = stopping(&mut shutdown) => {
                        let _ = stop.send(true);
                        (&mut task).await;
                        break;
                    }
                    () = tokio::time::sleep(RENEW) => {
                        if !self.take(name).await {
                            tracing::warn!(lease = name, "lost the lease to another instance; stopping this work");
                            let _ = stop.send(true);
                            (&mut task).await;
                            break;
                        }
                    }
                }
            }
            self.mark(name, false);
            if let Err(error) = self.store.release_lease(name, &self.holder).await {
                tracing::warn!(lease = name, %error, "could not let a lease go; it lapses by itself");
            }
        }
    }
}

/// Resolves once `shutdown` turns true (or its sender is gone).
async fn stopping(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}
