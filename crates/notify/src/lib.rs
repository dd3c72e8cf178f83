//! Everything the bot says on its own initiative arrives, once.
//!
//! Notices are written to the outbox in the same transaction as the change
//! that causes them (see the store); reminders are moved into it when they
//! fall due. The [`Notifier`] delivers the outbox: at most about 30 messages
//! a second overall and one a second per chat, in order per chat, waiting out
//! `retry_after`, retrying outages with backoff, and giving up after a bounded
//! number of attempts with the error kept for the admin to see. It sleeps
//! until the next reminder falls due or a change wakes it; it never polls the
//! database every second.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use tokio::sync::{Mutex, Notify, broadcast, watch};
use zapys_bot::Message;
use zapys_bot::notices::{Rendered, render};
use zapys_domain::Clock;
use zapys_store::{NoticeOutcome, OutboxItem, Store, StoreError};

/// Why a message could not be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Throttled: try again after this long.
    #[error("throttled: retry after {0:?}")]
    RetryAfter(Duration),
    /// The client blocked the bot; retrying cannot help.
    #[error("blocked: {0}")]
    Blocked(String),
    /// An outage or a timeout: worth retrying.
    #[error("{0}")]
    Transient(String),
    /// Refused for good (no such chat, a malformed message).
    #[error("{0}")]
    Permanent(String),
}

/// Sends one message to one chat. Telegram in production; a fake in tests.
#[async_trait]
pub trait Messenger: Send + Sync + 'static {
    async fn send(&self, chat_id: i64, message: &Message) -> Result<(), SendError>;
}

/// Posts a signed event to one of the business's webhooks.
#[async_trait]
pub trait WebhookPoster: Send + Sync + 'static {
    async fn post(&self, url: &str, headers: &[(&'static str, String)], body: Vec<u8>) -> Result<(), SendError>;
}

/// The signature a webhook receiver checks: `sha256=` and the hex HMAC-SHA256 of the body.
pub fn signature(secret: &str, body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any size");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    format!("sha256={}", digest.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// How fast and how stubbornly to deliver.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Between two messages to one chat (Telegram: about one a second).
    pub per_chat: Duration,
    /// Between any two messages (Telegram: about 30 a second).
    pub overall: Duration,
    /// Failed attempts after which a notice is given up.
    pub max_attempts: u32,
    /// The first retry waits this long, doubling up to `max_backoff`.
    pub backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_chat: Duration::from_secs(1),
            overall: Duration::from_millis(34),
            max_attempts: 8,
            backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(300),
        }
    }
}

/// When nothing is scheduled, look again after this long anyway.
const IDLE: Duration = Duration::from_secs(300);

#[derive(Default)]
struct Pacing {
    last_overall: Option<Instant>,
    last_per_chat: HashMap<i64, Instant>,
    /// Notices backing off after a failure, by outbox id. In memory: after a
    /// restart they are simply tried at once.
    not_before: HashMap<i64, Instant>,
}

pub struct Notifier {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    messenger: Option<Arc<dyn Messenger>>,
    webhooks: Arc<dyn WebhookPoster>,
    business_chat: Option<i64>,
    limits: Limits,
    wake: Notify,
    pacing: Mutex<Pacing>,
}

impl Notifier {
    /// `messenger`: `None` when no Telegram is connected (notices are then skipped, not hoarded).
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        messenger: Option<Arc<dyn Messenger>>,
        webhooks: Arc<dyn WebhookPoster>,
        business_chat: Option<i64>,
        limits: Limits,
    ) -> Arc<Self> {
        Arc::new(Self {
            store,
            clock,
            messenger,
            webhooks,
            business_chat,
            limits,
            wake: Notify::new(),
            pacing: Mutex::default(),
        })
    }

    /// Makes the worker look again now (after the clock moved, in tests).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Runs until `shutdown` turns true, waking at the next due time, on any change, or when woken.
    pub async fn run(self: Arc<Self>, mut shutdown: watch::Receiver<bool>) {
        let mut changes = self.store.changes().subscribe();
        loop {
            let delay = match self.step().await {
                Ok(delay) => delay,
                Err(error) => {
                    tracing::error!(%error, "the notifier could not read the outbox; trying again shortly");
                    Duration::from_secs(5)
                }
            };
            tokio::select! {
                () = async { let _ = shutdown.wait_for(|stop| *stop).await; } => return,
                () = tokio::time::sleep(delay) => {}
                () = self.wake.notified() => {}
                change = changes.recv() => {
                    if matches!(change, Err(broadcast::error::RecvError::Closed)) {
                        return;
                    }
                    // Let a burst of changes settle into one pass.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    while changes.try_recv().is_ok() {}
                }
            }
        }
    }

    /// One pass: moves due reminders into the outbox and delivers what can go now.
    /// Answers how long to wait before the next pass.
    pub async fn step(&self) -> Result<Duration, StoreError> {
        self.store.schedule_due(self.clock.now()).await?;
        let mut pacing = self.pacing.lock().await;
        let mut retry_at: Option<Instant> = None;
        loop {
            let due = self.store.due_notices(self.clock.now(), 100).await?;
            let mut delivered = false;
            for item in due {
                match self.ready_at(&pacing, &item) {
                    Some(at) if at > Instant::now() => retry_at = Some(retry_at.map_or(at, |r| r.min(at))),
                    _ => {
                        self.deliver(&mut pacing, item).await?;
                        delivered = true;
                    }
                }
            }
            if !delivered {
                break;
            }
        }
        let now = self.clock.now();
        let scheduled =
            self.store.next_due(now).await?.map(|at| Duration::try_from(at.duration_since(now)).unwrap_or_default());
        let pacing_wait = retry_at.map(|at| at.saturating_duration_since(Instant::now()));
        Ok([scheduled, pacing_wait].into_iter().flatten().min().unwrap_or(IDLE).min(IDLE))
    }

    fn chat_of(&self, item: &OutboxItem) -> Option<i64> {
        if item.notice.for_business() { self.business_chat } else { item.chat_id }
    }

    /// When this notice may go: after its backoff and its chat's pacing.
    fn ready_at(&self, pacing: &Pacing, item: &OutboxItem) -> Option<Instant> {
        let backoff = pacing.not_before.get(&item.id).copied();
        let chat = self
            .chat_of(item)
            .and_then(|chat| pacing.last_per_chat.get(&chat))
            .map(|last| *last + self.limits.per_chat);
        backoff.into_iter().chain(chat).max()
    }

    async fn finish(&self, id: i64, outcome: NoticeOutcome) -> Result<(), StoreError> {
        self.store.finish_notice(id, outcome, self.clock.now()).await
    }

    async fn deliver(&self, pacing: &mut Pacing, item: OutboxItem) -> Result<(), StoreError> {
        if item.notice == zapys_domain::Notice::Webhook {
            return self.deliver_webhook(pacing, item).await;
        }
        let Some(chat) = self.chat_of(&item) else {
            return self
                .finish(item.id, NoticeOutcome::Skipped("no chat to send it to (ADMIN_CHAT_ID unset)".into()))
                .await;
        };
        let Some(messenger) = &self.messenger else {
            return self.finish(item.id, NoticeOutcome::Skipped("no Telegram connection".into())).await;
        };
        let message = match render(self.store.as_ref(), &item, self.clock.now()).await? {
            Rendered::Send(message) => message,
            Rendered::Skip(reason) => return self.finish(item.id, NoticeOutcome::Skipped(reason.into())).await,
        };
        if let Some(last) = pacing.last_overall {
            tokio::time::sleep((last + self.limits.overall).saturating_duration_since(Instant::now())).await;
        }
        let sent_at = Instant::now();
        pacing.last_overall = Some(sent_at);
        // Only chats within their pacing window matter; forget the rest so the map stays small.
        if pacing.last_per_chat.len() > 1024 {
            let window = self.limits.per_chat;
            pacing.last_per_chat.retain(|_, last| last.elapsed() < window);
        }
        pacing.last_per_chat.insert(chat, sent_at);
        let result = messenger.send(chat, &message).await;
        if let Err(SendError::RetryAfter(wait)) = &result {
            pacing.last_per_chat.insert(chat, Instant::now() + *wait);
        }
        self.settle(pacing, &item, result).await
    }

    /// Posts a webhook event, signed with the webhook's secret.
    async fn deliver_webhook(&self, pacing: &mut Pacing, item: OutboxItem) -> Result<(), StoreError> {
        let target = match item.webhook_id {
            Some(id) => self.store.webhook_target(id).await?,
            None => None,
        };
        let Some((url, secret)) = target else {
            return self.finish(item.id, NoticeOutcome::Skipped("the webhook was deleted".into())).await;
        };
        let Some(appointment) = item.appointment_id else {
            return self.finish(item.id, NoticeOutcome::Skipped("no booking".into())).await;
        };
        let booking = match self.store.appointment(appointment).await {
            Ok(booking) => booking,
            Err(StoreError::NotFound { .. }) => {
                return self.finish(item.id, NoticeOutcome::Skipped("the booking is gone".into())).await;
            }
            Err(other) => return Err(other),
        };
        let event = item.detail.clone().unwrap_or_default();
        let body = payload(&self.store.settings().timezone, &item, &event, &booking);
        let headers = [
            ("content-type", "application/json".to_owned()),
            ("x-zapys-event", event),
            ("x-zapys-delivery", item.id.to_string()),
            ("x-zapys-signature", signature(&secret, &body)),
        ];
        let result = self.webhooks.post(&url, &headers, body).await;
        self.settle(pacing, &item, result).await
    }

    /// Records how a delivery attempt went: sent, to be retried, or given up.
    async fn settle(
        &self,
        pacing: &mut Pacing,
        item: &OutboxItem,
        result: Result<(), SendError>,
    ) -> Result<(), StoreError> {
        match result {
            Ok(()) => {
                pacing.not_before.remove(&item.id);
                self.finish(item.id, NoticeOutcome::Sent).await
            }
            Err(SendError::RetryAfter(wait)) => {
                // Asked to slow down; that is not the notice's fault.
                pacing.not_before.insert(item.id, Instant::now() + wait);
                Ok(())
            }
            Err(SendError::Blocked(error) | SendError::Permanent(error)) => {
                pacing.not_before.remove(&item.id);
                tracing::warn!(id = item.id, %error, "a notice could not be delivered");
                self.finish(item.id, NoticeOutcome::Failed(error)).await
            }
            Err(SendError::Transient(error)) => {
                let attempts = item.attempts + 1;
                if attempts >= self.limits.max_attempts {
                    pacing.not_before.remove(&item.id);
                    tracing::warn!(id = item.id, %error, attempts, "giving up on a notice");
                    return self
                        .finish(item.id, NoticeOutcome::Failed(format!("{error} (after {attempts} attempts)")))
                        .await;
                }
                let wait = self.limits.backoff.saturating_mul(1 << attempts.min(16)).min(self.limits.max_backoff);
                pacing.not_before.insert(item.id, Instant::now() + wait);
                self.store.notice_attempt_failed(item.id, &error).await
            }
        }
    }
}

/// The JSON a webhook receives.
fn payload(
    tz: &zapys_domain::BusinessTime,
    item: &OutboxItem,
    event: &str,
    booking: &zapys_store::AppointmentView,
) -> Vec<u8> {
    use zapys_domain::time::format_local;
    let a = &booking.appointment;
    let body = serde_json::json!({
        "event": event,
        "delivery_id": item.id,
        "occurred_at": item.created_at.to_string(),
        "appointment": {
            "id": a.id.0,
            "status": a.status.name(),
            "source": a.source.name(),
            "service_id": a.service_id.0,
            "service": booking.service_name,
            "client_id": a.client_id.0,
            "client_name": booking.client.as_ref().map(|c| c.name.as_str()),
            "client_phone": booking.client.as_ref().map(|c| c.phone.as_str()),
            "starts_at": a.starts_at.to_string(),
            "ends_at": a.ends_at.to_string(),
            "start": format_local(tz.local(a.starts_at)),
            "end": format_local(tz.local(a.ends_at)),
            "price": booking.price.map(zapys_domain::Price::units),
            "cancel_reason": a.cancellation.as_ref().and_then(|c| c.reason.clone()),
        },
    });
    serde_json::to_vec(&body).unwrap_or_default()
}
