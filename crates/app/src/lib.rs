//! The `zapys` program: configuration, wiring and start-up. The binary's
//! `main` parses the command line and calls in here; the integration tests
//! call [`App::start`] the same way, on a random port with a temporary database.

pub mod config;
pub mod data_key;
pub mod demo;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use tokio::net::TcpListener;
use zapys_api::{ApiConfig, AppState, TelegramStatus};
use zapys_domain::{BusinessTime, Clock};
use zapys_store::{DataCipher, Store};
use zapys_store_sqlite::{OpenOptions, SqliteStore};

pub use config::{Config, LogFormat, Secret};

/// Opens the store the configuration names, with its data key (see [`data_key`]).
pub async fn open_store(config: &Config) -> anyhow::Result<SqliteStore> {
    let key = data_key::resolve(config).await?;
    open_store_with(config, key.cipher).await
}

/// Opens the store the configuration names with `cipher` as its data key.
pub async fn open_store_with(config: &Config, cipher: DataCipher) -> anyhow::Result<SqliteStore> {
    let timezone = BusinessTime::parse(&config.timezone).context("ZAPYS_TIMEZONE")?;
    let store = SqliteStore::open(OpenOptions { url: config.database_url.clone(), cipher, timezone })
        .await
        .with_context(|| format!("opening the database {}", config.database_url))?;
    Ok(store)
}

/// Creates an admin with an argon2 hash of `password`.
pub async fn create_admin(store: &dyn Store, username: &str, password: &str) -> anyhow::Result<()> {
    let password = password.to_owned();
    let hash = tokio::task::spawn_blocking(move || zapys_api::hash_password(&password)).await??;
    store.create_admin(username, &hash).await?;
    Ok(())
}

/// What start-up did about the first admin, for the banner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FirstAdmin {
    /// Admins existed already.
    Existing,
    /// Created from `ZAPYS_ADMIN_PASSWORD`.
    FromEnvironment(String),
    /// Created for a demo with a random password, shown once.
    Generated { username: String, password: String },
    /// None exists and none could be created.
    Missing,
}

async fn ensure_admin(store: &dyn Store, config: &Config) -> anyhow::Result<FirstAdmin> {
    if store.admin_count().await? > 0 {
        return Ok(FirstAdmin::Existing);
    }
    let username = config.admin_user.trim().to_owned();
    if let Some(password) = &config.admin_password {
        create_admin(store, &username, password.expose())
            .await
            .context("creating the admin from ZAPYS_ADMIN_PASSWORD")?;
        return Ok(FirstAdmin::FromEnvironment(username));
    }
    if config.demo {
        let password = zapys_api::new_token("")[..16].to_owned();
        create_admin(store, &username, &password).await?;
        return Ok(FirstAdmin::Generated { username, password });
    }
    Ok(FirstAdmin::Missing)
}

/// A running Zapys: its address and its store.
pub struct App {
    pub addr: SocketAddr,
    pub store: Arc<dyn Store>,
    pub first_admin: FirstAdmin,
    pub telegram: TelegramStatus,
    /// Delivers notices and reminders; `wake()` it after moving a test clock.
    pub notifier: Arc<zapys_notify::Notifier>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    background: Vec<tokio::task::JoinHandle<()>>,
    shutdown: tokio::sync::watch::Sender<bool>,
}

/// The path of a webhook URL (`https://host/path` → `/path`), or a default.
fn webhook_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) if after_scheme.len() > i + 1 => {
            after_scheme[i..].split(['?', '#']).next().unwrap_or("/telegram/webhook").to_owned()
        }
        _ => "/telegram/webhook".to_owned(),
    }
}

/// Delivers the outbox through Telegram.
struct TelegramMessenger(Arc<zapys_telegram::Telegram>);

#[async_trait::async_trait]
impl zapys_notify::Messenger for TelegramMessenger {
    async fn send(&self, chat_id: i64, message: &zapys_bot::Message) -> Result<(), zapys_notify::SendError> {
        use zapys_notify::SendError;
        use zapys_telegram::TelegramError;
        self.0.send_message(chat_id, message).await.map_err(|error| match error {
            TelegramError::RetryAfter(seconds) => SendError::RetryAfter(std::time::Duration::from_secs(seconds)),
            TelegramError::Forbidden(reason) => SendError::Blocked(reason),
            TelegramError::Unavailable(reason) => SendError::Transient(reason),
            other => SendError::Permanent(other.to_string()),
        })
    }
}

/// Posts webhook events over HTTP(S).
struct HttpPoster(reqwest::Client);

#[async_trait::async_trait]
impl zapys_notify::WebhookPoster for HttpPoster {
    async fn post(
        &self,
        url: &str,
        headers: &[(&'static str, String)],
        body: Vec<u8>,
    ) -> Result<(), zapys_notify::SendError> {
        use zapys_notify::SendError;
        let mut request = self.0.post(url).body(body);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let response = request.send().await.map_err(|e| SendError::Transient(e.without_url().to_string()))?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let retry_after =
            response.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
        Err(match status.as_u16() {
            429 => SendError::RetryAfter(std::time::Duration::from_secs(retry_after.unwrap_or(30))),
            408 | 500.. => SendError::Transient(format!("the receiver answered {status}")),
            _ => SendError::Permanent(format!("the receiver answered {status}")),
        })
    }
}

/// What connecting to Telegram gives the app.
struct Connection {
    status: TelegramStatus,
    webhook: axum::Router,
    background: Vec<tokio::task::JoinHandle<()>>,
    telegram: Option<Arc<zapys_telegram::Telegram>>,
}

/// Connects the bot to Telegram when a token is configured: polling, or a webhook route.
async fn connect_telegram(
    config: &Config,
    bot: Arc<zapys_bot::Bot>,
    shutdown: &tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<Connection> {
    let Some(token) = &config.telegram_bot_token else {
        return Ok(Connection {
            status: TelegramStatus { configured: false, mode: "none".into(), bot_username: None },
            webhook: axum::Router::new(),
            background: Vec::new(),
            telegram: None,
        });
    };
    let api = zapys_telegram::BotApi::new(&config.telegram_api_url, token.expose())?;
    let telegram = zapys_telegram::Telegram::new(api, bot);
    let bot_username = match tokio::time::timeout(std::time::Duration::from_secs(5), telegram.api().get_me()).await {
        Ok(Ok(me)) => me.username,
        Ok(Err(error)) => {
            tracing::warn!(%error, "Telegram did not confirm the bot token (getMe); check TELEGRAM_BOT_TOKEN");
            None
        }
        Err(_) => {
            tracing::warn!("Telegram did not answer getMe within 5 s; carrying on");
            None
        }
    };
    let mut background = Vec::new();
    let announcer = telegram.clone();
    background.push(tokio::spawn(async move {
        if let Err(error) = announcer.announce_commands().await {
            tracing::warn!(%error, "could not set the bot's command menu");
        }
    }));
    let (mode, routes) = match &config.telegram_webhook_url {
        Some(url) => {
            // Without a secret anyone could post fake updates, so there always is one.
            let secret = config
                .telegram_webhook_secret
                .as_ref()
                .map_or_else(|| zapys_api::new_token(""), |s| s.expose().to_owned());
            let routes = telegram.webhook_router(&webhook_path(url), Some(secret.clone()));
            let (hook, url) = (telegram.clone(), url.clone());
            background.push(tokio::spawn(async move {
                match hook.set_webhook(&url, Some(&secret)).await {
                    Ok(()) => tracing::info!("Telegram webhook registered"),
                    Err(error) => {
                        tracing::error!(%error, "could not register the Telegram webhook")
                    }
                }
            }));
            ("webhook", routes)
        }
        None => {
            background.push(tokio::spawn(telegram.clone().poll(shutdown.clone())));
            ("polling", axum::Router::new())
        }
    };
    Ok(Connection {
        status: TelegramStatus { configured: true, mode: mode.into(), bot_username },
        webhook: routes,
        background,
        telegram: Some(telegram),
    })
}

impl App {
    /// Opens the database, prepares it, and starts serving on `listener`.
    pub async fn start(config: &Config, listener: TcpListener, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let store: Arc<dyn Store> = Arc::new(open_store(config).await?);
        let first_admin = ensure_admin(store.as_ref(), config).await?;
        if config.demo && store.is_empty().await? {
            demo::fill(store.as_ref(), clock.now()).await.context("filling demo data")?;
            tracing::info!("filled the new database with demo data");
        }
        let (shutdown, stopped) = tokio::sync::watch::channel(false);
        let bot = Arc::new(zapys_bot::Bot::new(store.clone(), clock.clone()));
        let Connection { status: telegram, webhook, mut background, telegram: connected } =
            connect_telegram(config, bot.clone(), &stopped).await?;
        let messenger = connected.map(|t| Arc::new(TelegramMessenger(t)) as Arc<dyn zapys_notify::Messenger>);
        let notifier = zapys_notify::Notifier::new(
            store.clone(),
            clock.clone(),
            messenger,
            Arc::new(HttpPoster(
                reqwest::Client::builder()
                    .timeout(std::time::Duration::from_secs(10))
                    .build()
                    .context("an HTTP client")?,
            )),
            config.admin_chat_id,
            config.notify_limits.unwrap_or_default(),
        );
        background.push(tokio::spawn(notifier.clone().run(stopped.clone())));
        let api =
            ApiConfig { secure_cookies: config.secure_cookies, telegram: telegram.clone(), ..ApiConfig::default() };
        let router = zapys_api::router(AppState::new(store.clone(), clock, bot, api)).merge(webhook);
        let addr = listener.local_addr()?;
        let mut stopped = stopped;
        let server = tokio::spawn(async move {
            axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
                .with_graceful_shutdown(async move {
                    let _ = stopped.wait_for(|stop| *stop).await;
                })
                .await
        });
        Ok(Self { addr, store, first_admin, telegram, notifier, server, background, shutdown })
    }

    /// Stops accepting, lets requests in flight finish, then returns.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(true);
        self.server.await??;
        for task in self.background {
            // Polling stops at the signal; one-off tasks may still be waiting on Telegram.
            if tokio::time::timeout(std::time::Duration::from_secs(5), task).await.is_err() {
                tracing::warn!("a Telegram task did not stop within 5 s");
            }
        }
        Ok(())
    }

    /// Serves until the server fails or `signal` resolves, then shuts down gracefully.
    pub async fn run_until(mut self, signal: impl std::future::Future<Output = ()>) -> anyhow::Result<()> {
        tokio::select! {
            () = signal => {
                tracing::info!("shutting down: finishing requests in flight");
                self.stop().await
            }
            result = &mut self.server => {
                result??;
                anyhow::bail!("the server stopped unexpectedly")
            }
        }
    }
}
