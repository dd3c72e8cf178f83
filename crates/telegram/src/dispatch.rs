//! Running the bot on Telegram: polling or webhook in, replies out.
//!
//! Each chat's updates are handled one after another, in the order Telegram
//! sent them, by a short-lived worker of that chat; different chats are
//! handled at the same time.
//!
//! An update is acknowledged to Telegram only after the conversation has
//! committed its effect: the webhook answers 200 once the chat's worker has
//! handled the update, and polling asks for the next batch (which is what
//! confirms the previous one) only after every update of the batch was
//! handled. Shutdown lets the workers finish what they hold. Every update is
//! answered: a button press whose handling failed, or that the bot could not
//! read, still gets `answerCallbackQuery`, so no spinner turns forever.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::json;
use tokio::sync::{mpsc, oneshot, watch};
use zapys_bot::{Bot, Reply};

use crate::api::{BotApi, TelegramError};
use crate::translate::{self, Translated};
use crate::types::Update;

const POLL_SECONDS: u64 = 25;
const IDLE_WORKER: Duration = Duration::from_secs(30);

/// An update on its way through a chat's worker, and who to tell when it was handled.
struct Job {
    update: Update,
    handled: oneshot::Sender<()>,
}

/// The bot, connected to Telegram.
pub struct Telegram {
    api: BotApi,
    bot: Arc<Bot>,
    chats: Mutex<HashMap<i64, mpsc::UnboundedSender<Job>>>,
    /// Updates handed to workers and not handled yet.
    in_hand: watch::Sender<usize>,
    /// The business chat (`ADMIN_CHAT_ID`): its messages are answers to clients, not a client's.
    business_chat: Option<i64>,
}

impl Telegram {
    /// The bot with the business chat whose replies to relayed support messages go back to clients.
    pub fn with_business_chat(api: BotApi, bot: Arc<Bot>, business_chat: Option<i64>) -> Arc<Self> {
        Arc::new(Self { api, bot, chats: Mutex::new(HashMap::new()), in_hand: watch::Sender::new(0), business_chat })
    }

    /// Relays a support message (text, or a photo or voice note by file id with its caption) and
    /// answers the id of the message it became in `chat_id`. Once: the caller decides about retries.
    pub async fn relay(&self, chat_id: i64, relay: &zapys_bot::Relay) -> Result<i64, TelegramError> {
        #[derive(serde::Deserialize)]
        struct Sent {
            message_id: i64,
        }
        let (method, params) = translate::relay(chat_id, relay);
        self.api.call::<Sent>(method, &params).await.map(|sent| sent.message_id)
    }

    /// Waits (up to `limit`) until every update handed to a chat's worker has been handled.
    /// Answers whether all were.
    pub async fn drain(&self, limit: Duration) -> bool {
        let mut in_hand = self.in_hand.subscribe();
        tokio::time::timeout(limit, in_hand.wait_for(|n| *n == 0)).await.is_ok_and(|r| r.is_ok())
    }

    pub fn api(&self) -> &BotApi {
        &self.api
    }

    /// Commands in the client's menu, in both languages.
    pub async fn announce_commands(&self) -> Result<(), TelegramError> {
        for (language, commands) in [
            (
                None,
                [
                    ("start", "Почати / головне меню"),
                    ("book", "Записатись"),
                    ("my", "Мої записи"),
                    ("profile", "Профіль"),
                    ("contacts", "Контакти"),
                    // --- support ---
                    ("support", "Написати нам"),
                ],
            ),
            (
                Some("en"),
                [
                    ("start", "Start / main menu"),
                    ("book", "Book"),
                    ("my", "My bookings"),
                    ("profile", "Profile"),
                    ("contacts", "Contacts"),
                    // --- support ---
                    ("support", "Message us"),
                ],
            ),
        ] {
            let commands: Vec<_> = commands.iter().map(|(c, d)| json!({"command": c, "description": d})).collect();
            let mut params = json!({ "commands": commands });
            if let Some(code) = language {
                params["language_code"] = json!(code);
            }
            self.api.call_patiently::<bool>("setMyCommands", &params).await?;
        }
        Ok(())
    }

    /// Sends one message, once: the caller decides about retries.
    pub async fn send_message(&self, chat_id: i64, message: &zapys_bot::Message) -> Result<(), TelegramError> {
        self.api.call::<serde_json::Value>("sendMessage", &translate::send_message(chat_id, message)).await.map(|_| ())
    }

    /// Hands an update to its chat's worker, starting one if the chat has none. The answer resolves
    /// once the update has been handled (its effect committed, its replies sent or given up).
    pub fn dispatch(self: &Arc<Self>, update: Update) -> oneshot::Receiver<()> {
        let (handled, done) = oneshot::channel();
        self.in_hand.send_modify(|n| *n += 1);
        let chat = chat_of(&update);
        let mut chats = self.chats.lock().unwrap_or_else(PoisonError::into_inner);
        let job = Job { update, handled };
        let job = match chats.get(&chat) {
            Some(worker) => match worker.send(job) {
                Ok(()) => return done,
                Err(mpsc::error::SendError(job)) => {
                    chats.remove(&chat);
                    job
                }
            },
            None => job,
        };
        self.start_worker(&mut chats, chat, job);
        done
    }

    fn start_worker(self: &Arc<Self>, chats: &mut HashMap<i64, mpsc::UnboundedSender<Job>>, chat: i64, first: Job) {
        let (sender, mut jobs) = mpsc::unbounded_channel();
        let _ = sender.send(first);
        chats.insert(chat, sender);
        let telegram = self.clone();
        tokio::spawn(async move {
            loop {
                match tokio::time::timeout(IDLE_WORKER, jobs.recv()).await {
                    Ok(Some(Job { update, handled })) => {
                        telegram.answer_safely(update).await;
                        telegram.in_hand.send_modify(|n| *n = n.saturating_sub(1));
                        let _ = handled.send(());
                    }
                    Ok(None) => return,
                    Err(_idle) => {
                        // Leave only if nothing arrived meanwhile; the lock orders this against dispatch.
                        let mut chats = telegram.chats.lock().unwrap_or_else(PoisonError::into_inner);
                        if jobs.is_empty() {
                            chats.remove(&chat);
                            return;
                        }
                    }
                }
            }
        });
    }

    /// Answers an update in a task of its own, so a panic in the conversation loses neither this
    /// worker nor the updates queued behind it; a button press is answered even then.
    async fn answer_safely(self: &Arc<Self>, update: Update) {
        let callback = update.callback_query.as_ref().map(|q| q.id.clone());
        let update_id = update.update_id;
        let telegram = self.clone();
        if let Err(error) = tokio::spawn(async move { telegram.answer(update).await }).await {
            tracing::error!(update_id, %error, "handling an update failed");
            if let Some(id) = callback {
                self.stop_spinner(&id, None).await;
            }
        }
    }

    async fn stop_spinner(&self, callback_id: &str, toast: Option<String>) {
        let mut params = json!({ "callback_query_id": callback_id });
        if let Some(text) = toast {
            params["text"] = json!(text);
        }
        if let Err(error) = self.api.call_patiently::<bool>("answerCallbackQuery", &params).await {
            tracing::warn!(%error, "could not answer a callback query");
        }
    }

    /// Answers one update: the conversation decides, then the replies go out.
    pub async fn answer(&self, update: Update) {
        // --- support --- The business chat's messages never reach the client conversation.
        if let Some(message) = self.business_chat.and_then(|chat| translate::business(&update, chat)) {
            self.await_copy(&update, &message).await;
            let replies = self.bot.business(&message).await;
            self.deliver(message.chat_id, None, replies).await;
            return;
        }
        let Some(Translated { incoming, callback_id }) = translate::incoming(&update) else {
            // Nothing the conversation can use; a pressed button still stops spinning.
            if let Some(query) = &update.callback_query {
                self.stop_spinner(&query.id, None).await;
            }
            return;
        };
        let span = tracing::info_span!("telegram_update", update_id = update.update_id, chat_id = incoming.chat_id);
        let _enter = span.enter();
        let replies = self.bot.handle(&incoming).await;
        self.deliver(incoming.chat_id, callback_id, replies).await;
    }

    /// The copy of a client's message in the business chat is recorded right after Telegram
    /// confirms it was sent; an admin who replies to one of the bot's messages before that instant is
    /// waited for, briefly, so a quick answer is not lost.
    async fn await_copy(&self, update: &Update, message: &zapys_bot::BusinessMessage) {
        const ATTEMPTS: u32 = 20;
        const PAUSE: Duration = Duration::from_millis(100);
        let replied = update.message.as_ref().and_then(|m| m.reply_to_message.as_ref());
        let to_bot = replied.and_then(|m| m.from.as_ref()).is_some_and(|f| f.is_bot);
        let Some(reply_to) = message.reply_to.filter(|_| to_bot) else { return };
        for _ in 0..ATTEMPTS {
            if self.bot.is_support_copy(message.chat_id, reply_to).await {
                return;
            }
            tokio::time::sleep(PAUSE).await;
        }
    }

    async fn deliver(&self, chat_id: i64, callback_id: Option<String>, replies: Vec<Reply>) {
        // The spinner on a pressed button stops first, with the toast if there is one.
        if let Some(id) = callback_id {
            let toast = replies.iter().find_map(|r| if let Reply::Toast(t) = r { Some(t.clone()) } else { None });
            self.stop_spinner(&id, toast).await;
        }
        for reply in replies {
            let result = match &reply {
                Reply::Send(message) => {
                    self.api
                        .call_patiently::<serde_json::Value>("sendMessage", &translate::send_message(chat_id, message))
                        .await
                }
                Reply::Edit { message_id, message } => {
                    match self
                        .api
                        .call_patiently::<serde_json::Value>(
                            "editMessageText",
                            &translate::edit_message(chat_id, *message_id, message),
                        )
                        .await
                    {
                        Err(TelegramError::NotModified) => Ok(serde_json::Value::Null),
                        // Gone or too old to edit: say it in a new message instead.
                        Err(TelegramError::CannotEdit(_)) => {
                            self.api.call_patiently("sendMessage", &translate::send_message(chat_id, message)).await
                        }
                        other => other,
                    }
                }
                Reply::Toast(_) => continue,
            };
            match result {
                Ok(_) => {}
                Err(TelegramError::Forbidden(reason)) => {
                    tracing::info!(%reason, "the client blocked the bot; not sending more");
                    return;
                }
                Err(error) => tracing::error!(%error, "a reply could not be delivered"),
            }
        }
    }

    /// Long polling until `shutdown` turns true. Webhooks and polling exclude each other, so any webhook is removed first.
    ///
    /// Asking for updates from `offset` confirms every earlier one to Telegram, so the next batch is asked
    /// for only after each update of this one was handled; at shutdown the last handled batch is confirmed.
    pub async fn poll(self: Arc<Self>, mut shutdown: watch::Receiver<bool>) {
        if let Err(error) = self.delete_webhook().await {
            tracing::warn!(%error, "could not remove a webhook before polling");
        }
        let mut offset = 0;
        let mut confirmed = 0;
        let mut failures = 0u32;
        loop {
            let batch = tokio::select! {
                _ = shutdown.wait_for(|stop| *stop) => break,
                batch = self.api.get_updates(offset, POLL_SECONDS) => batch,
            };
            confirmed = offset;
            match batch {
                Ok((updates, next)) => {
                    failures = 0;
                    let handled: Vec<_> = updates.into_iter().map(|update| self.dispatch(update)).collect();
                    for done in handled {
                        // Err: the worker is gone (logged there); the update counts as handled.
                        let _ = done.await;
                    }
                    offset = next;
                }
                Err(error) => {
                    failures += 1;
                    let wait = match error {
                        TelegramError::RetryAfter(seconds) => Duration::from_secs(seconds),
                        _ => Duration::from_millis((500u64 << failures.min(6)).min(30_000)),
                    };
                    tracing::warn!(%error, ?wait, "polling Telegram failed; trying again");
                    tokio::select! {
                        _ = shutdown.wait_for(|stop| *stop) => break,
                        () = tokio::time::sleep(wait) => {}
                    }
                }
            }
        }
        if offset != confirmed {
            // Confirm what was handled, so a restart does not handle it again; what this call brings stays unconfirmed.
            let confirm = self.api.get_updates(offset, 0);
            if !matches!(tokio::time::timeout(Duration::from_secs(3), confirm).await, Ok(Ok(_))) {
                tracing::warn!("could not confirm the last handled updates; Telegram may send them again");
            }
        }
    }

    /// Tells Telegram to stop posting updates (the bot was disconnected or replaced).
    pub async fn delete_webhook(&self) -> Result<(), TelegramError> {
        self.api.call_patiently::<bool>("deleteWebhook", &json!({})).await.map(|_| ())
    }

    /// Registers the webhook with Telegram.
    pub async fn set_webhook(&self, url: &str, secret: Option<&str>) -> Result<(), TelegramError> {
        let mut params = json!({ "url": url, "allowed_updates": ["message", "callback_query"] });
        if let Some(secret) = secret {
            params["secret_token"] = json!(secret);
        }
        self.api.call_patiently::<bool>("setWebhook", &params).await.map(|_| ())
    }
}

fn chat_of(update: &Update) -> i64 {
    update
        .message
        .as_ref()
        .map(|m| m.chat.id)
        .or_else(|| update.callback_query.as_ref().map(|q| q.from.id))
        .unwrap_or_default()
}

/// Where Telegram's webhook posts go: the bot connected right now and the secret it registered
/// with. The route exists for as long as the program runs; the bot behind it can be connected,
/// replaced or disconnected meanwhile (a token saved or forgotten in Settings).
#[derive(Clone, Default)]
pub struct WebhookTarget(Arc<std::sync::RwLock<Option<Webhook>>>);

#[derive(Clone)]
struct Webhook {
    telegram: Arc<Telegram>,
    secret: String,
}

impl WebhookTarget {
    /// Sends the posts carrying `secret` to `telegram` from now on.
    pub fn point_at(&self, telegram: Arc<Telegram>, secret: String) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = Some(Webhook { telegram, secret });
    }

    /// No bot is connected: posts are refused (503) until one is.
    pub fn clear(&self) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = None;
    }

    fn current(&self) -> Option<Webhook> {
        self.0.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The route Telegram POSTs updates to, checking its secret-token header.
    pub fn router(&self, path: &str) -> Router {
        Router::new().route(path, post(webhook)).with_state(self.clone())
    }
}

/// Compares without an early exit, so timing tells nothing about the secret.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len() && given.iter().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

async fn webhook(State(target): State<WebhookTarget>, headers: HeaderMap, body: Bytes) -> StatusCode {
    // No bot connected (Telegram tries again later, and stops once the webhook is deleted).
    let Some(hook) = target.current() else { return StatusCode::SERVICE_UNAVAILABLE };
    let given = headers.get("x-telegram-bot-api-secret-token").map(|v| v.as_bytes()).unwrap_or_default();
    if !same_secret(given, hook.secret.as_bytes()) {
        return StatusCode::UNAUTHORIZED;
    }
    match serde_json::from_slice::<Update>(&body) {
        Ok(update) => {
            // Acknowledge only once the chat's worker has handled it: until then Telegram keeps it.
            let _ = hook.telegram.dispatch(update).await;
            StatusCode::OK
        }
        // A body we cannot read will not improve on redelivery: accept and log it.
        Err(error) => {
            tracing::warn!(%error, "an unreadable webhook update was dropped");
            StatusCode::OK
        }
    }
}

#[cfg(test)]
mod tests {
    use super::same_secret;

    #[test]
    fn secrets_must_match_exactly() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abd", b"abc"));
        assert!(!same_secret(b"ab", b"abc"));
        assert!(!same_secret(b"", b"abc"));
    }
}
