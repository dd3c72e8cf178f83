//! Everything the bot says on its own initiative arrives, once.
//!
//! Notices are written to the outbox in the same transaction as the change
//! that causes them (see the store); reminders are moved into it when they
//! fall due. The [`Notifier`] delivers the outbox: at most about 30 messages
//! a second overall and one a second per chat, in order per chat, waiting out
//! `retry_after`, retrying outages with backoff, and giving up after a bounded
//! number of attempts with the error kept for the admin to see. Delivery runs
//! in lanes (each client chat, the business chat, each webhook receiver): in
//! order within a lane, lanes concurrently with a bound, so one dead receiver
//! or one notice that cannot be written never holds back the others. It sleeps
//! until the next reminder falls due or a change wakes it; it never polls the
//! database every second.

pub mod egress;
// --- support ---
mod support;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex as StdMutex, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use tokio::sync::{Notify, Semaphore, broadcast, watch};
use zapys_bot::Message;
use zapys_bot::notices::{Rendered, render};
use zapys_domain::{Clock, Notice};
use zapys_store::{Lane, NoticeOutcome, OutboxItem, Store, StoreError};

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

    /// Whether a bot is connected (a token is in use). A bot can be connected and disconnected while
    /// the program runs (its token saved or forgotten in Settings); notices falling due while none is
    /// are skipped, not hoarded.
    fn is_connected(&self) -> bool {
        true
    }

    // --- support ---
    /// Relays a support message (text, or a photo or voice note with the text as its caption) and
    /// answers the id of the message it became in `chat_id`, when the messenger knows it (an
    /// admin's reply to that message is the answer to the client). This default sends text only.
    async fn relay(&self, chat_id: i64, relay: &zapys_bot::Relay) -> Result<Option<i64>, SendError> {
        if relay.media.is_some() {
            return Err(SendError::Permanent("this messenger cannot relay photos or voice notes".into()));
        }
        self.send(chat_id, &Message::text(relay.text.clone())).await.map(|()| None)
    }
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
/// Telegram messages in flight at once (their start is still paced by `Limits::overall`).
const TELEGRAM_CONCURRENCY: usize = 8;
/// Webhook posts in flight at once; a separate pool, so slow receivers never hold up chats.
const WEBHOOK_CONCURRENCY: usize = 4;
/// After the store failed while finishing a delivery, try that lane again after this long.
const STORE_TROUBLE: Duration = Duration::from_secs(5);

/// Telegram's pacing: when the next message may start, overall and per chat.
#[derive(Default)]
struct Pacing {
    next_overall: Option<Instant>,
    /// When each chat's latest message started (or, after a 429, when it may send again).
    last_per_chat: HashMap<i64, Instant>,
}

/// Which lanes have a delivery in flight, and which notices are backing off.
#[derive(Default)]
struct Lanes {
    busy: HashSet<Lane>,
    /// Notices backing off after a failure, by outbox id. In memory: after a
    /// restart they are simply tried at once.
    not_before: HashMap<i64, Instant>,
}

/// Delivers the outbox in lanes: each client chat, the business chat and each
/// webhook receiver is one lane, delivered in order, one notice at a time;
/// lanes go concurrently (bounded), so a dead receiver or a throttled chat
/// holds back only itself.
pub struct Notifier {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    messenger: Option<Arc<dyn Messenger>>,
    webhooks: Arc<dyn WebhookPoster>,
    business_chat: Option<i64>,
    limits: Limits,
    /// A full pass: the clock moved or something changed.
    wake: Notify,
    /// A delivery finished: its lane (and a permit) is free again.
    freed: Notify,
    lanes: StdMutex<Lanes>,
    pacing: StdMutex<Pacing>,
    telegram_permits: Arc<Semaphore>,
    webhook_permits: Arc<Semaphore>,
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
            freed: Notify::new(),
            lanes: StdMutex::default(),
            pacing: StdMutex::default(),
            telegram_permits: Arc::new(Semaphore::new(TELEGRAM_CONCURRENCY)),
            webhook_permits: Arc::new(Semaphore::new(WEBHOOK_CONCURRENCY)),
        })
    }

    /// Makes the worker look again now (after the clock moved, in tests).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    fn lanes(&self) -> std::sync::MutexGuard<'_, Lanes> {
        self.lanes.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn pacing(&self) -> std::sync::MutexGuard<'_, Pacing> {
        self.pacing.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs until `shutdown` turns true, waking at the next due time, on any change, when woken, or when a
    /// delivery finishes; at shutdown it lets deliveries in flight finish.
    pub async fn run(self: Arc<Self>, mut shutdown: watch::Receiver<bool>) {
        let mut changes = self.store.changes().subscribe();
        let mut deadline = Instant::now();
        loop {
            if Instant::now() >= deadline {
                deadline = Instant::now() + self.pass().await;
            }
            tokio::select! {
                () = async { let _ = shutdown.wait_for(|stop| *stop).await; } => break,
                () = tokio::time::sleep_until(deadline.into()) => {}
                () = self.wake.notified() => deadline = Instant::now(),
                () = self.freed.notified() => {
                    let wait = self.dispatch_logged().await;
                    deadline = deadline.min(Instant::now() + wait);
                }
                change = changes.recv() => {
                    if matches!(change, Err(broadcast::error::RecvError::Closed)) {
                        break;
                    }
                    // Let a burst of changes settle into one pass.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    while changes.try_recv().is_ok() {}
                    deadline = Instant::now();
                }
            }
        }
        // Drain: what is on its way finishes and is recorded, so it is not sent again after a restart.
        while !self.lanes().busy.is_empty() {
            let freed = self.freed.notified();
            if self.lanes().busy.is_empty() {
                break;
            }
            freed.await;
        }
    }

    /// A full pass, logging a store failure; answers how long until the next one.
    async fn pass(self: &Arc<Self>) -> Duration {
        match self.step().await {
            Ok(delay) => delay,
            Err(error) => {
                tracing::error!(%error, "the notifier could not read the outbox; trying again shortly");
                STORE_TROUBLE
            }
        }
    }

    async fn dispatch_logged(self: &Arc<Self>) -> Duration {
        match self.dispatch().await {
            Ok(wait) => wait.unwrap_or(IDLE),
            Err(error) => {
                tracing::error!(%error, "the notifier could not read the outbox; trying again shortly");
                STORE_TROUBLE
            }
        }
    }

    /// One pass: moves due reminders into the outbox and starts delivering what can go now.
    /// Answers how long to wait before the next pass.
    pub async fn step(self: &Arc<Self>) -> Result<Duration, StoreError> {
        self.store.schedule_due(self.clock.now()).await?;
        let pacing_wait = self.dispatch().await?;
        let now = self.clock.now();
        let scheduled =
            self.store.next_due(now).await?.map(|at| Duration::try_from(at.duration_since(now)).unwrap_or_default());
        Ok([scheduled, pacing_wait].into_iter().flatten().min().unwrap_or(IDLE).min(IDLE))
    }

    /// Starts a delivery for the head of every lane that is free, ready and within the concurrency bound.
    /// Answers how long until a notice held back by pacing or backoff may go.
    async fn dispatch(self: &Arc<Self>) -> Result<Option<Duration>, StoreError> {
        // A lane busy when the outbox is read may finish its head while we look at the answer:
        // that head would then be stale, and starting it again would deliver it twice. Such lanes
        // wait for the next pass, which the finishing delivery wakes.
        let busy_when_read = self.lanes().busy.clone();
        let due = self.store.due_notices(self.clock.now(), 200).await?;
        let mut retry_at: Option<Instant> = None;
        for item in due {
            let lane = item.lane();
            if busy_when_read.contains(&lane) {
                continue;
            }
            let now = Instant::now();
            if let Some(at) = self.ready_at(&item).filter(|at| *at > now) {
                retry_at = Some(retry_at.map_or(at, |r| r.min(at)));
                continue;
            }
            let permits = if item.notice == Notice::Webhook { &self.webhook_permits } else { &self.telegram_permits };
            let Ok(permit) = permits.clone().try_acquire_owned() else {
                continue; // all busy: a finishing delivery wakes us
            };
            if !self.lanes().busy.insert(lane) {
                continue; // this lane's head is on its way already
            }
            let notifier = self.clone();
            tokio::spawn(async move {
                let id = item.id;
                if let Err(error) = notifier.deliver(item).await {
                    tracing::error!(id, %error, "could not record a delivery; trying again shortly");
                    notifier.lanes().not_before.insert(id, Instant::now() + STORE_TROUBLE);
                }
                notifier.lanes().busy.remove(&lane);
                drop(permit);
                notifier.freed.notify_one();
            });
        }
        Ok(retry_at.map(|at| at.saturating_duration_since(Instant::now())))
    }

    fn chat_of(&self, item: &OutboxItem) -> Option<i64> {
        if item.notice.for_business() { self.business_chat } else { item.chat_id }
    }

    /// When this notice may go: after its backoff and its chat's pacing.
    fn ready_at(&self, item: &OutboxItem) -> Option<Instant> {
        let backoff = self.lanes().not_before.get(&item.id).copied();
        let chat = if item.notice == Notice::Webhook { None } else { self.chat_of(item) };
        let chat =
            chat.and_then(|chat| self.pacing().last_per_chat.get(&chat).map(|last| *last + self.limits.per_chat));
        backoff.into_iter().chain(chat).max()
    }

    async fn finish(&self, id: i64, outcome: NoticeOutcome) -> Result<(), StoreError> {
        self.store.finish_notice(id, outcome, self.clock.now()).await
    }

    async fn deliver(&self, item: OutboxItem) -> Result<(), StoreError> {
        if item.notice == Notice::Webhook {
            return self.deliver_webhook(item).await;
        }
        let Some(chat) = self.chat_of(&item) else {
            return self
                .finish(item.id, NoticeOutcome::Skipped("no chat to send it to (ADMIN_CHAT_ID unset)".into()))
                .await;
        };
        let Some(messenger) = self.messenger.as_ref().filter(|m| m.is_connected()) else {
            return self.finish(item.id, NoticeOutcome::Skipped("no Telegram connection".into())).await;
        };
        // --- support ---
        if item.notice.is_support() {
            return self.deliver_support(item, chat, messenger.clone()).await;
        }
        let message = match render(self.store.as_ref(), &item, self.clock.now()).await {
            Ok(Rendered::Send(message)) => message,
            Ok(Rendered::Skip(reason)) => return self.finish(item.id, NoticeOutcome::Skipped(reason.into())).await,
            // One notice that cannot be written (damaged data) must not stop the others: it fails, visibly.
            Err(error) => {
                tracing::warn!(id = item.id, %error, "a notice could not be written; marking it failed");
                return self.finish(item.id, NoticeOutcome::Failed(format!("could not be written: {error}"))).await;
            }
        };
        let start = self.reserve(chat);
        tokio::time::sleep_until(start.into()).await;
        let result = messenger.send(chat, &message).await;
        if let Err(SendError::RetryAfter(wait)) = &result {
            self.pacing().last_per_chat.insert(chat, Instant::now() + *wait);
        }
        self.settle(&item, result).await
    }

    /// Takes the next start time Telegram's pacing allows, overall and for `chat`, and answers it.
    fn reserve(&self, chat: i64) -> Instant {
        let mut pacing = self.pacing();
        let now = Instant::now();
        let chat_ready = pacing.last_per_chat.get(&chat).map(|last| *last + self.limits.per_chat);
        let start = [Some(now), pacing.next_overall, chat_ready].into_iter().flatten().max().unwrap_or(now);
        pacing.next_overall = Some(start + self.limits.overall);
        // Only chats within their pacing window matter; forget the rest so the map stays small.
        if pacing.last_per_chat.len() > 1024 {
            let window = self.limits.per_chat;
            pacing.last_per_chat.retain(|_, last| last.elapsed() < window);
        }
        pacing.last_per_chat.insert(chat, start);
        start
    }

    /// Posts a webhook event, signed with the webhook's secret.
    async fn deliver_webhook(&self, item: OutboxItem) -> Result<(), StoreError> {
        let target = match item.webhook_id {
            Some(id) => self.store.webhook_target(id).await?,
            None => None,
        };
        let Some(target) = target else {
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
            Err(error) => {
                tracing::warn!(id = item.id, %error, "a webhook event could not be written; marking it failed");
                return self.finish(item.id, NoticeOutcome::Failed(format!("could not be written: {error}"))).await;
            }
        };
        let event = item.detail.clone().unwrap_or_default();
        let body = payload(&self.store.settings().timezone, &item, &event, &booking, &target.personal_fields);
        let headers = [
            ("content-type", "application/json".to_owned()),
            ("x-zapys-event", event),
            ("x-zapys-delivery", item.id.to_string()),
            ("x-zapys-signature", signature(&target.secret, &body)),
        ];
        let result = self.webhooks.post(&target.url, &headers, body).await;
        self.settle(&item, result).await
    }

    /// Records how a delivery attempt went: sent, to be retried, or given up.
    async fn settle(&self, item: &OutboxItem, result: Result<(), SendError>) -> Result<(), StoreError> {
        match result {
            Ok(()) => {
                self.lanes().not_before.remove(&item.id);
                self.finish(item.id, NoticeOutcome::Sent).await
            }
            Err(SendError::RetryAfter(wait)) => {
                // Asked to slow down; that is not the notice's fault.
                self.lanes().not_before.insert(item.id, Instant::now() + wait);
                Ok(())
            }
            // --- comeback --- A client who blocked the bot is not written to first again (nudges,
            // rating requests) until they start the bot again.
            Err(SendError::Blocked(error)) if item.notice.is_for_client() => {
                self.lanes().not_before.remove(&item.id);
                tracing::info!(id = item.id, "the client blocked the bot");
                if let Some(chat) = item.chat_id {
                    self.store.set_chat_blocked(chat, Some(self.clock.now())).await?;
                }
                self.finish(item.id, NoticeOutcome::Failed(error)).await
            }
            Err(SendError::Blocked(error) | SendError::Permanent(error)) => {
                self.lanes().not_before.remove(&item.id);
                tracing::warn!(id = item.id, %error, "a notice could not be delivered");
                self.finish(item.id, NoticeOutcome::Failed(error)).await
            }
            Err(SendError::Transient(error)) => {
                let attempts = item.attempts + 1;
                if attempts >= self.limits.max_attempts {
                    self.lanes().not_before.remove(&item.id);
                    tracing::warn!(id = item.id, %error, attempts, "giving up on a notice");
                    return self
                        .finish(item.id, NoticeOutcome::Failed(format!("{error} (after {attempts} attempts)")))
                        .await;
                }
                let wait = self.limits.backoff.saturating_mul(1 << attempts.min(16)).min(self.limits.max_backoff);
                self.lanes().not_before.insert(item.id, Instant::now() + wait);
                self.store.notice_attempt_failed(item.id, &error).await
            }
        }
    }
}

/// The JSON a webhook receives.
///
/// Ids, times, service, status and price always; the client's name and phone only when the webhook
/// opted into them at creation (`personal_fields`), so a receiver gets no more personal data than it asked for.
fn payload(
    tz: &zapys_domain::BusinessTime,
    item: &OutboxItem,
    event: &str,
    booking: &zapys_store::AppointmentView,
    personal_fields: &[String],
) -> Vec<u8> {
    use zapys_domain::time::format_local;
    let a = &booking.appointment;
    let mut body = serde_json::json!({
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
            "starts_at": a.starts_at.to_string(),
            "ends_at": a.ends_at.to_string(),
            "start": format_local(tz.local(a.starts_at)),
            "end": format_local(tz.local(a.ends_at)),
            "price": booking.price.map(zapys_domain::Price::units),
            "cancel_reason": a.cancellation.as_ref().and_then(|c| c.reason.clone()),
        },
    });
    for field in personal_fields {
        let value = match field.as_str() {
            "client_name" => booking.client.as_ref().map(|c| c.name.as_str()),
            "client_phone" => booking.client.as_ref().map(|c| c.phone.as_str()),
            _ => continue,
        };
        body["appointment"][field] = serde_json::json!(value);
    }
    serde_json::to_vec(&body).unwrap_or_default()
}
