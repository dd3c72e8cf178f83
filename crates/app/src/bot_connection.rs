//! The bot's connection to Telegram, kept in step with its token while the program runs.
//!
//! The token is `TELEGRAM_BOT_TOKEN` when set (it wins), else the one the owner saved in Settings
//! (sealed in the database). Whenever the stored token may have changed (a settings change, here or
//! announced by another instance), [`BotConnection::follow_stored_token`] compares the token wanted
//! with the one connected and, if they differ, lets the old bot go (polling stopped, its updates in
//! hand finished, its webhook deleted) and connects the new one: `getMe`, the command menu, then
//! polling under the `telegram-polling` lease or the webhook registered. One connection changes at a
//! time; the notifier and the webhook route always reach the bot connected now.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use tokio::sync::{Mutex, broadcast, watch};
use zapys_api::{TelegramProblem, TelegramStatus, TokenCheck, TokenSource};
use zapys_store::{Entity, Store};
use zapys_telegram::{BotApi, Telegram, TelegramError, WebhookTarget};

use crate::{Config, derived_webhook_secret, lease, telegram_webhook_path};

/// How long Telegram gets to answer `getMe`.
const GET_ME_WAIT: Duration = Duration::from_secs(5);
/// How often an unconfirmed bot asks `getMe` again (Telegram was unreachable when it connected).
const GET_ME_RETRY: Duration = Duration::from_secs(30);
/// How often a webhook Telegram refused is registered again.
const WEBHOOK_RETRY: Duration = Duration::from_secs(60);
/// How long a bot being let go may take to finish the updates it holds.
const LET_GO_WAIT: Duration = Duration::from_secs(10);

/// What the connection is told at start and never changes.
struct Setup {
    api_url: String,
    /// `TELEGRAM_BOT_TOKEN`: when set, the only token used.
    environment_token: Option<String>,
    /// `TELEGRAM_WEBHOOK_URL` and the path it names; none: polling.
    webhook: Option<(String, String)>,
    webhook_secret: Option<String>,
    business_chat: Option<i64>,
}

/// A bot connected now.
struct Live {
    token: String,
    /// None when not even an HTTP client could be made for it.
    telegram: Option<Arc<Telegram>>,
    /// Turns true to stop polling (and the `getMe` retries).
    stop: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

/// The connection to Telegram; the notifier's messenger, and the API's [`zapys_api::BotLink`].
pub struct BotConnection {
    setup: Setup,
    bot: Arc<zapys_bot::Bot>,
    store: Arc<dyn Store>,
    leases: lease::Leases,
    webhook: WebhookTarget,
    /// Held while the connection changes, so two changes never interleave.
    live: Mutex<Option<Live>>,
    /// The bot that sends now (read on every notice, so not behind the async lock).
    sender: RwLock<Option<Arc<Telegram>>>,
    status: Arc<RwLock<TelegramStatus>>,
    /// Set at shutdown (or abort): no bot is connected any more, whatever asks.
    closing: AtomicBool,
}

impl std::fmt::Debug for BotConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BotConnection").field("status", &self.status()).finish_non_exhaustive()
    }
}

/// Why a connection could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("Telegram did not accept TELEGRAM_WEBHOOK_URL ({0})")]
    WebhookRefused(TelegramError),
    #[error("{0}")]
    Store(#[from] zapys_store::StoreError),
    #[error("{0}")]
    Telegram(#[from] TelegramError),
}

impl BotConnection {
    /// The connection, not connected yet. A `TELEGRAM_WEBHOOK_URL` without a path of its own stops
    /// the start here.
    pub fn new(
        config: &Config,
        bot: Arc<zapys_bot::Bot>,
        store: Arc<dyn Store>,
        leases: lease::Leases,
    ) -> anyhow::Result<Arc<Self>> {
        let webhook = match &config.telegram_webhook_url {
            Some(url) => Some((url.clone(), telegram_webhook_path(url).map_err(anyhow::Error::msg)?)),
            None => None,
        };
        Ok(Arc::new(Self {
            setup: Setup {
                api_url: config.telegram_api_url.clone(),
                environment_token: config.telegram_bot_token.as_ref().map(|t| t.expose().to_owned()),
                webhook,
                webhook_secret: config.telegram_webhook_secret.as_ref().map(|s| s.expose().to_owned()),
                business_chat: config.admin_chat_id,
            },
            bot,
            store,
            leases,
            webhook: WebhookTarget::default(),
            live: Mutex::new(None),
            sender: RwLock::new(None),
            status: Arc::default(),
            closing: AtomicBool::new(false),
        }))
    }

    /// The route Telegram posts updates to, when `TELEGRAM_WEBHOOK_URL` is set. It stays for as long
    /// as the program runs and reaches whichever bot is connected.
    pub fn webhook_routes(&self) -> axum::Router {
        match &self.setup.webhook {
            Some((_, path)) => self.webhook.router(path),
            None => axum::Router::new(),
        }
    }

    pub fn status(&self) -> TelegramStatus {
        self.status.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn set_status(&self, status: TelegramStatus) {
        *self.status.write().unwrap_or_else(PoisonError::into_inner) = status;
    }

    /// The bot sending now, if any.
    fn sender(&self) -> Option<Arc<Telegram>> {
        self.sender.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The token wanted now, and where it comes from.
    async fn wanted(&self) -> Result<Option<(String, TokenSource)>, zapys_store::StoreError> {
        if let Some(token) = &self.setup.environment_token {
            return Ok(Some((token.clone(), TokenSource::Environment)));
        }
        Ok(self.store.telegram_token().await?.map(|token| (token, TokenSource::Settings)))
    }

    /// Connects at start. A webhook Telegram refuses for `TELEGRAM_BOT_TOKEN` stops the start (no
    /// update would ever arrive while everything looked fine); a token from Settings that does not
    /// work is shown on the settings page instead, so the owner can mend it there.
    pub async fn connect_at_start(&self) -> anyhow::Result<()> {
        match self.follow(Retry::Changed).await {
            Err(ConnectError::WebhookRefused(error)) if self.setup.environment_token.is_some() => {
                anyhow::bail!("Telegram did not accept TELEGRAM_WEBHOOK_URL ({error}); not starting")
            }
            Err(error) => {
                tracing::warn!(%error, "the bot is not connected");
                Ok(())
            }
            Ok(()) => Ok(()),
        }
    }

    /// Connects, replaces or lets go of the bot so that the token wanted now is the one connected.
    /// `Retry::Broken` also connects the same token again when its last attempt failed (the owner
    /// pasted it again after mending what was wrong).
    async fn follow(&self, retry: Retry) -> Result<(), ConnectError> {
        let mut live = self.live.lock().await;
        if self.closing.load(Ordering::SeqCst) {
            return Ok(());
        }
        let wanted = self.wanted().await?;
        let same = live.as_ref().map(|l| l.token.as_str()) == wanted.as_ref().map(|(token, _)| token.as_str());
        if same && !(retry == Retry::Broken && self.status().problem.is_some()) {
            return Ok(());
        }
        if let Some(old) = live.take() {
            self.let_go(old, Ending::Replaced).await;
        }
        let Some((token, source)) = wanted else {
            self.set_status(TelegramStatus::default());
            tracing::info!("the bot is disconnected");
            return Ok(());
        };
        let (connected, result) = self.connect(token, source).await;
        *live = Some(connected);
        result
    }

    /// Connects the bot with `token`. Always answers a [`Live`] for the token (so the same token is
    /// not tried again at every settings change), with the error when the bot could not start.
    async fn connect(&self, token: String, source: TokenSource) -> (Live, Result<(), ConnectError>) {
        let (stop, _) = watch::channel(false);
        let mut status = TelegramStatus { configured: true, source, ..TelegramStatus::default() };
        let api = match BotApi::new(&self.setup.api_url, &token) {
            Ok(api) => api,
            Err(error) => {
                status.problem = Some(TelegramProblem::Unreachable);
                self.set_status(status);
                return (Live { token, telegram: None, stop, tasks: Vec::new() }, Err(error.into()));
            }
        };
        // The business chat's replies to relayed support messages are answers to clients.
        let telegram = Telegram::with_business_chat(api, self.bot.clone(), self.setup.business_chat);
        let mut live = Live { token, telegram: Some(telegram.clone()), stop, tasks: Vec::new() };
        match get_me(telegram.api()).await {
            Ok(username) => status.bot_username = Some(username),
            Err(TokenCheck::Refused) => {
                tracing::warn!("Telegram does not know the bot token (getMe); the bot is not started");
                status.problem = Some(TelegramProblem::TokenRefused);
                self.set_status(status);
                return (live, Ok(()));
            }
            Err(TokenCheck::Unreachable(why)) => {
                tracing::warn!(%why, "Telegram did not confirm the bot token (getMe); carrying on and asking again");
                status.problem = Some(TelegramProblem::Unreachable);
            }
        }
        let unconfirmed = status.bot_username.is_none();
        let announcer = telegram.clone();
        tokio::spawn(async move {
            if let Err(error) = announcer.announce_commands().await {
                tracing::warn!(%error, "could not set the bot's command menu");
            }
        });
        let result = match &self.setup.webhook {
            Some((url, _)) => {
                // Without a secret anyone could post fake updates, so there always is one. Unset, it
                // is derived from the bot token, so every instance behind a load balancer registers
                // and expects the same one (a random one per instance would refuse the others' updates).
                let secret = self.setup.webhook_secret.clone().unwrap_or_else(|| derived_webhook_secret(&live.token));
                match telegram.set_webhook(url, Some(&secret)).await {
                    Ok(()) => {
                        self.webhook.point_at(telegram.clone(), secret);
                        status.mode = "webhook".into();
                        tracing::info!("Telegram webhook registered");
                        Ok(())
                    }
                    Err(error) => {
                        status.problem = Some(TelegramProblem::WebhookRefused);
                        Err(ConnectError::WebhookRefused(error))
                    }
                }
            }
            None => {
                // Telegram refuses long polling from two processes at once: one instance polls, the
                // others stand by (several instances should use webhook mode instead).
                let poller = telegram.clone();
                live.tasks.push(tokio::spawn(self.leases.clone().run_while_held(
                    lease::TELEGRAM_POLLING,
                    live.stop.subscribe(),
                    move |stop| poller.clone().poll(stop),
                )));
                status.mode = "polling".into();
                Ok(())
            }
        };
        if result.is_ok() {
            *self.sender.write().unwrap_or_else(PoisonError::into_inner) = Some(telegram.clone());
            if unconfirmed {
                live.tasks.push(tokio::spawn(confirm_later(self.status.clone(), telegram, live.stop.subscribe())));
            }
            tracing::info!(source = ?status.source, mode = status.mode, "the bot is connected");
        }
        self.set_status(status);
        (live, result)
    }

    /// Lets a bot go: no more sends or webhook posts reach it, polling stops (the lease is let go),
    /// and the updates it holds are finished. A bot replaced or forgotten also has its webhook deleted,
    /// so Telegram stops posting for it; at shutdown the webhook stays, for the other instances.
    async fn let_go(&self, live: Live, ending: Ending) {
        live.stop.send_replace(true);
        *self.sender.write().unwrap_or_else(PoisonError::into_inner) = None;
        self.webhook.clear();
        for task in live.tasks {
            let abort = task.abort_handle();
            if tokio::time::timeout(LET_GO_WAIT, task).await.is_err() {
                // Not left running beside its successor: its lease lapses instead of being let go.
                abort.abort();
                tracing::warn!("the bot's polling did not stop within 10 s; ended it");
            }
        }
        let Some(telegram) = live.telegram else { return };
        if !telegram.drain(LET_GO_WAIT).await {
            tracing::warn!("some Telegram updates were still being handled when the bot was let go");
        }
        if ending == Ending::Replaced
            && self.setup.webhook.is_some()
            && let Err(error) = telegram.delete_webhook().await
        {
            tracing::warn!(%error, "could not delete the old bot's webhook");
        }
    }

    /// Ends the bot's work abruptly, as a crash would (for tests): polling is aborted, the lease is
    /// left to lapse.
    pub fn abort(&self) {
        self.closing.store(true, Ordering::SeqCst);
        // A change that has not taken the lock yet connects nothing once it sees `closing`.
        if let Ok(mut live) = self.live.try_lock()
            && let Some(live) = live.take()
        {
            for task in live.tasks {
                task.abort();
            }
        }
    }

    /// Follows the stored token until `shutdown`: at every settings change in `changes` (made here or
    /// announced by another instance); then lets the bot go. Subscribe before connecting, so a change
    /// made meanwhile is not missed.
    pub async fn keep_following(
        self: Arc<Self>,
        mut changes: broadcast::Receiver<zapys_store::Change>,
        mut shutdown: watch::Receiver<bool>,
    ) {
        loop {
            let retry = tokio::select! {
                _ = shutdown.wait_for(|stop| *stop) => break,
                change = changes.recv() => match change {
                    Ok(change) if change.entity == Entity::Settings => Some(Retry::Changed),
                    Ok(_) => None,
                    Err(broadcast::error::RecvError::Lagged(_)) => Some(Retry::Changed),
                    Err(broadcast::error::RecvError::Closed) => break,
                },
                // A webhook Telegram refused is asked for again now and then (the owner may mend it
                // at another instance, or Telegram's refusal was passing).
                () = tokio::time::sleep(WEBHOOK_RETRY) => {
                    (self.status().problem == Some(TelegramProblem::WebhookRefused)).then_some(Retry::Broken)
                }
            };
            if let Some(retry) = retry
                && let Err(error) = self.follow(retry).await
            {
                tracing::warn!(%error, "the bot could not be connected");
            }
        }
        self.closing.store(true, Ordering::SeqCst);
        if let Some(live) = self.live.lock().await.take() {
            self.let_go(live, Ending::Shutdown).await;
        }
    }
}

/// Whether the same token is connected again.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Retry {
    /// Only when the token changed.
    Changed,
    /// Also when its last connection failed.
    Broken,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ending {
    Replaced,
    Shutdown,
}

/// Asks Telegram which bot `api`'s token belongs to, briefly.
async fn get_me(api: &BotApi) -> Result<String, TokenCheck> {
    match tokio::time::timeout(GET_ME_WAIT, api.get_me()).await {
        Ok(Ok(me)) => Ok(me.username.unwrap_or_default()),
        Ok(Err(error)) if error.is_unknown_token() => Err(TokenCheck::Refused),
        Ok(Err(error)) => Err(TokenCheck::Unreachable(error.to_string())),
        Err(_) => Err(TokenCheck::Unreachable(format!("no answer within {} s", GET_ME_WAIT.as_secs()))),
    }
}

/// Asks `getMe` again until Telegram answers (it was unreachable when the bot connected), then
/// shows the bot's name and clears the problem.
async fn confirm_later(status: Arc<RwLock<TelegramStatus>>, telegram: Arc<Telegram>, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = stop.wait_for(|stop| *stop) => return,
            () = tokio::time::sleep(GET_ME_RETRY) => {}
        }
        if let Ok(username) = get_me(telegram.api()).await {
            let mut status = status.write().unwrap_or_else(PoisonError::into_inner);
            status.bot_username = Some(username);
            status.problem = None;
            return;
        }
    }
}

#[async_trait::async_trait]
impl zapys_api::BotLink for BotConnection {
    fn status(&self) -> TelegramStatus {
        BotConnection::status(self)
    }

    async fn check(&self, token: &str) -> Result<String, TokenCheck> {
        let api = BotApi::new(&self.setup.api_url, token).map_err(|e| TokenCheck::Unreachable(e.to_string()))?;
        get_me(&api).await
    }

    async fn follow_stored_token(&self, again: bool) -> TelegramStatus {
        let retry = if again { Retry::Broken } else { Retry::Changed };
        if let Err(error) = self.follow(retry).await {
            tracing::warn!(%error, "the bot could not be connected");
        }
        self.status()
    }
}

/// The notifier sends through whichever bot is connected now.
#[async_trait::async_trait]
impl zapys_notify::Messenger for BotConnection {
    /// A token is in use, even while its bot is being replaced or does not work: notices then wait
    /// and are retried (and fail visibly in the end) rather than being skipped. Skipped only while
    /// no bot is wanted at all.
    fn is_connected(&self) -> bool {
        self.status().configured
    }

    async fn send(&self, chat_id: i64, message: &zapys_bot::Message) -> Result<(), zapys_notify::SendError> {
        let telegram = self.sender().ok_or_else(not_connected)?;
        telegram.send_message(chat_id, message).await.map_err(send_error)
    }

    // --- support ---
    async fn relay(&self, chat_id: i64, relay: &zapys_bot::Relay) -> Result<Option<i64>, zapys_notify::SendError> {
        let telegram = self.sender().ok_or_else(not_connected)?;
        telegram.relay(chat_id, relay).await.map(Some).map_err(send_error)
    }
}

/// No bot sends right now (one is being replaced, or Telegram refused its token): tried again later.
fn not_connected() -> zapys_notify::SendError {
    zapys_notify::SendError::Transient("no Telegram connection".into())
}

fn send_error(error: TelegramError) -> zapys_notify::SendError {
    use zapys_notify::SendError;
    match error {
        TelegramError::RetryAfter(seconds) => SendError::RetryAfter(Duration::from_secs(seconds)),
        TelegramError::Forbidden(reason) => SendError::Blocked(reason),
        TelegramError::Unavailable(reason) => SendError::Transient(reason),
        other => SendError::Permanent(other.to_string()),
    }
}
