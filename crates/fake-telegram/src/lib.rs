//! A fake Telegram Bot API server for Zapys tests.
//!
//! [`FakeTelegram::start`] binds `127.0.0.1:0` and answers the subset of the Bot API the bot
//! uses the way Telegram does (including its validation errors), while the test plays the
//! clients (send texts, share contacts, press buttons) and observes what the bot did.
//!
//! ```no_run
//! # async fn example() {
//! use std::time::Duration;
//! use zapys_fake_telegram::{FakeTelegram, Fault};
//!
//! let tg = FakeTelegram::start("123:TEST").await;
//! // Point the bot at tg.api_url() with token tg.token(), then:
//! let olena = tg.user(1001, "Олена", Some("uk"));
//! tg.send_text(&olena, "/start");
//! let greeting = tg
//!     .wait_for_message(&olena, Duration::from_secs(5))
//!     .await
//!     .expect("the bot greets");
//! assert!(greeting.text.contains("Вітаю"));
//! tg.press_last_inline(&olena, "Записатися").expect("the button is shown");
//! tg.fail_next("sendMessage", Fault::TooManyRequests { retry_after: 1 });
//! # }
//! ```
//!
//! Updates reach the bot through `getUpdates` (long polling), or, when the bot set a webhook
//! and the test called [`FakeTelegram::deliver_webhooks`], as HTTP POSTs to an `http://`
//! webhook URL with the `X-Telegram-Bot-Api-Secret-Token` header.

mod api;
mod client;
mod markup;
mod methods;
mod server;
mod state;
mod types;
mod webhook;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use state::State;
pub use types::{AnsweredCallback, BotMessage, Fault, InlineButton, RecordedCall, ReplyButton, SentMedia, TgUser};

use state::Shared;

/// The username the fake bot has (`getMe`).
pub const BOT_USERNAME: &str = "zapys_test_bot";

/// A running fake Telegram Bot API server. Dropping it stops the server.
pub struct FakeTelegram {
    shared: Arc<Shared>,
    addr: SocketAddr,
    token: String,
    shutdown: watch::Sender<bool>,
    server: Option<JoinHandle<()>>,
    webhook: Option<JoinHandle<()>>,
}

impl FakeTelegram {
    /// Starts the server on `127.0.0.1` on a free port, accepting requests for `token`.
    ///
    /// # Panics
    /// When no local port can be bound.
    pub async fn start(token: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the fake Telegram server to 127.0.0.1:0");
        let addr = listener.local_addr().expect("the fake Telegram server's local address");
        let shared = Arc::new(Shared::new(State::new(token, BOT_USERNAME)));
        let (shutdown, mut shutdown_rx) = watch::channel(false);
        let app = server::router(Arc::clone(&shared));
        let server = tokio::spawn(async move {
            let stopped = async move {
                // Err: the sender is gone, which also means stop.
                let _ = shutdown_rx.wait_for(|stop| *stop).await;
            };
            if let Err(error) = axum::serve(listener, app).with_graceful_shutdown(stopped).await {
                tracing::warn!(%error, "fake Telegram server failed");
            }
        });
        let webhook = tokio::spawn(webhook::run(Arc::clone(&shared)));
        Self { shared, addr, token: token.to_owned(), shutdown, server: Some(server), webhook: Some(webhook) }
    }

    /// The base URL to give the bot instead of `https://api.telegram.org`
    /// (`http://127.0.0.1:PORT`; the bot appends `/bot{token}/{method}`).
    pub fn api_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bot token the fake accepts.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The socket address the fake listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Turns webhook delivery on or off. While on and the bot has set an `http://` webhook,
    /// queued updates are POSTed to it (with `X-Telegram-Bot-Api-Secret-Token` when the bot
    /// set a secret) instead of waiting for `getUpdates`.
    pub fn deliver_webhooks(&self, on: bool) {
        self.shared.mutate(|s| s.deliver_webhooks = on);
    }

    /// Stops the server and waits (up to 5 s) for it to finish; pending long polls answer `[]`.
    pub async fn shutdown(mut self) {
        self.signal_shutdown();
        if let Some(server) = self.server.take() {
            let abort = server.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), server).await.is_err() {
                abort.abort();
            }
        }
        if let Some(webhook) = self.webhook.take() {
            webhook.abort();
        }
    }

    fn signal_shutdown(&self) {
        self.shared.mutate(|s| s.shutting_down = true);
        self.shutdown.send_replace(true);
    }
}

impl Drop for FakeTelegram {
    fn drop(&mut self) {
        self.signal_shutdown();
        if let Some(webhook) = self.webhook.take() {
            webhook.abort();
        }
    }
}

impl std::fmt::Debug for FakeTelegram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeTelegram").field("addr", &self.addr).finish_non_exhaustive()
    }
}
