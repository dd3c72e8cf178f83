//! The `zapys` program: configuration, wiring and start-up. The binary's
//! `main` parses the command line and calls in here; the integration tests
//! call [`App::start`] the same way, on a random port with a temporary database.

pub mod bot_connection;
pub mod config;
pub mod copy_data;
pub mod data_key;
pub mod demo;
pub mod lease;
pub mod server;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use tokio::net::TcpListener;
use zapys_api::{ApiConfig, AppState};
use zapys_domain::{BusinessTime, Clock};
use zapys_store::OpenOptions;
use zapys_store::{DataCipher, Store};
use zapys_store_postgres::PostgresStore;
use zapys_store_sqlite::SqliteStore;

pub use bot_connection::BotConnection;
pub use config::{Config, ConfigError, Engine, LogFormat, Secret};

/// The store `DATABASE_URL` names, opened. Derefs to the [`Store`] it is.
#[derive(Debug, Clone)]
pub enum Database {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Database {
    pub fn into_store(self) -> Arc<dyn Store> {
        match self {
            Self::Sqlite(store) => Arc::new(store),
            Self::Postgres(store) => Arc::new(store),
        }
    }

    pub async fn close(&self) {
        match self {
            Self::Sqlite(store) => store.close().await,
            Self::Postgres(store) => store.close().await,
        }
    }

    /// Re-seals every sealed value under `new`, then closes the store (see `SqliteStore::rekey`).
    pub async fn rekey(self, new: &DataCipher) -> zapys_store::Result<u64> {
        match self {
            Self::Sqlite(store) => store.rekey(new).await,
            Self::Postgres(store) => store.rekey(new).await,
        }
    }
}

impl std::ops::Deref for Database {
    type Target = dyn Store;

    fn deref(&self) -> &Self::Target {
        match self {
            Self::Sqlite(store) => store,
            Self::Postgres(store) => store,
        }
    }
}

/// Opens the store the configuration names, with its data key (see [`data_key`]).
pub async fn open_store(config: &Config) -> anyhow::Result<Database> {
    let key = data_key::resolve(config).await?;
    open_store_with(config, key.cipher).await
}

/// Opens the store the configuration names with `cipher` as its data key.
pub async fn open_store_with(config: &Config, cipher: DataCipher) -> anyhow::Result<Database> {
    let timezone =
        BusinessTime::parse(&config.timezone).map_err(|e| ConfigError::new("ZAPYS_TIMEZONE", e.to_string()))?;
    let options = OpenOptions { url: config.database_url.clone(), cipher, timezone };
    let cannot_open = |e: zapys_store::StoreError| {
        ConfigError::new("DATABASE_URL", format!("cannot open {}: {e}", config.database_label()))
    };
    Ok(match config.engine()? {
        Engine::Sqlite => Database::Sqlite(SqliteStore::open(options).await.map_err(cannot_open)?),
        Engine::Postgres => Database::Postgres(PostgresStore::open(options).await.map_err(cannot_open)?),
    })
}

/// A backup of a PostgreSQL database with `pg_dump` (custom format), or why there is none.
pub fn pg_dump(config: &Config, file: &std::path::Path) -> anyhow::Result<()> {
    if file.exists() {
        anyhow::bail!("{} exists already; choose a new file", file.display());
    }
    let (url, password) = config::password_apart(config.database_url.trim());
    let mut pg_dump = std::process::Command::new("pg_dump");
    pg_dump.args(["--format=custom", "--no-owner", "--file"]).arg(file).arg("--dbname").arg(url);
    if let Some(password) = password {
        pg_dump.env("PGPASSWORD", password);
    }
    let status = pg_dump.status();
    match status {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => anyhow::bail!("pg_dump failed ({status}); its message is above"),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => anyhow::bail!(
            "on PostgreSQL, back up with pg_dump (not installed here: install PostgreSQL's client tools) or the \
             database server's own backups; the data key is not in the database: keep it apart"
        ),
        Err(error) => anyhow::bail!("could not run pg_dump: {error}"),
    }
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
    /// `https` when Zapys serves TLS itself, else `http`.
    pub scheme: &'static str,
    /// The HTTP side's state, for looking at its counters.
    pub api: AppState,
    pub store: Arc<dyn Store>,
    pub first_admin: FirstAdmin,
    /// The bot's connection to Telegram (its status: `telegram.status()`).
    pub telegram: Arc<BotConnection>,
    /// Delivers notices and reminders; `wake()` it after moving a test clock.
    pub notifier: Arc<zapys_notify::Notifier>,
    /// The work this instance holds (see [`lease`]).
    pub leases: lease::Leases,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    background: Vec<tokio::task::JoinHandle<()>>,
    shutdown: tokio::sync::watch::Sender<bool>,
}

/// The path Zapys serves Telegram's webhook on: exactly the path `TELEGRAM_WEBHOOK_URL` names, which
/// must be an `https://` URL with a path of its own. Telegram POSTs every update to that URL, so a URL
/// without a path (Telegram would post to `/`, the admin panel) or with a path the app already serves
/// would drop every update while start-up looked fine.
pub fn telegram_webhook_path(url: &str) -> Result<String, String> {
    let explain = |why: &str| {
        format!(
            "TELEGRAM_WEBHOOK_URL {url:?} {why}; use an https:// URL with a path of its own, e.g. https://example.com/telegram/webhook"
        )
    };
    let Some(rest) = url.strip_prefix("https://") else {
        return Err(explain("is not an https:// URL (Telegram posts only to HTTPS)"));
    };
    let path = match rest.find('/') {
        Some(i) => rest[i..].split(['?', '#']).next().unwrap_or_default(),
        None => "",
    };
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        return Err(explain("has no path (Telegram would post to /, the admin panel)"));
    }
    let taken = ["/api", "/healthz", "/calendar", "/assets", "/index.html", "/favicon.svg"];
    if let Some(prefix) = taken.iter().find(|p| path == **p || path.starts_with(&format!("{p}/"))) {
        return Err(explain(&format!("collides with {prefix}, which the app serves itself")));
    }
    if path.contains(['{', '}', '*']) {
        return Err(explain("has characters a route cannot hold"));
    }
    Ok(path.to_owned())
}

/// Re-reads the TLS certificate and key on SIGHUP (after a renewal), until shutdown. The signal
/// handler is installed before this returns, so a SIGHUP sent right after start is not fatal.
#[cfg(unix)]
fn reload_on_hangup(
    tls: Arc<server::Tls>,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) -> impl std::future::Future<Output = ()> + Send + 'static {
    use tokio::signal::unix::{SignalKind, signal};
    let hangups = signal(SignalKind::hangup());
    async move {
        let Ok(mut hangups) = hangups else {
            tracing::warn!("cannot listen for SIGHUP; the TLS certificate is read only at start");
            return;
        };
        loop {
            tokio::select! {
                received = hangups.recv() => {
                    if received.is_none() {
                        return;
                    }
                    match tls.reload() {
                        Ok(()) => tracing::info!("SIGHUP: TLS certificate and key re-read"),
                        Err(error) => tracing::error!(%error, "SIGHUP: keeping the old TLS certificate"),
                    }
                }
                () = async { let _ = stopped.wait_for(|stop| *stop).await; } => return,
            }
        }
    }
}

#[cfg(not(unix))]
fn reload_on_hangup(
    _tls: Arc<server::Tls>,
    _stopped: tokio::sync::watch::Receiver<bool>,
) -> impl std::future::Future<Output = ()> + Send + 'static {
    std::future::ready(())
}

/// The webhook secret for a bot token: the same at every instance, unguessable without the token,
/// and in the alphabet Telegram allows (`A-Z a-z 0-9 _ -`, at most 256 characters).
pub fn derived_webhook_secret(bot_token: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("zapys telegram webhook secret\0{bot_token}"));
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl App {
    /// Opens the database, prepares it, and starts serving on `listener`.
    pub async fn start(config: &Config, listener: TcpListener, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let store: Arc<dyn Store> = open_store(config).await?.into_store();
        let first_admin = ensure_admin(store.as_ref(), config).await?;
        if config.demo && store.is_empty().await? {
            demo::fill(store.as_ref(), clock.now()).await.context("filling demo data")?;
            tracing::info!("filled the new database with demo data");
        }
        let (shutdown, stopped) = tokio::sync::watch::channel(false);
        let bot = Arc::new(zapys_bot::Bot::new(store.clone(), clock.clone()));
        let leases = lease::Leases::new(store.clone(), clock.clone());
        tracing::info!(instance = leases.holder(), "starting");
        let telegram = BotConnection::new(config, bot.clone(), store.clone(), leases.clone())?;
        let settings_changes = store.changes().subscribe();
        telegram.connect_at_start().await?;
        let mut background = vec![tokio::spawn(telegram.clone().keep_following(settings_changes, stopped.clone()))];
        let notifier = zapys_notify::Notifier::new(
            store.clone(),
            clock.clone(),
            Some(telegram.clone() as Arc<dyn zapys_notify::Messenger>),
            Arc::new(
                zapys_notify::egress::HttpPoster::new(
                    zapys_notify::egress::AllowPrivate(config.webhook_allow_private),
                    std::time::Duration::from_secs(10),
                )
                .context("an HTTP client")?,
            ),
            config.admin_chat_id,
            config.notify_limits.unwrap_or_default(),
        );
        let delivering = notifier.clone();
        background.push(tokio::spawn(
            leases.clone().run_while_held(lease::DELIVERY, stopped.clone(), move |stop| delivering.clone().run(stop)),
        ));
        let tls = match (&config.tls_cert, &config.tls_key) {
            (Some(cert), Some(key)) => Some(Arc::new(server::Tls::load(cert, key)?)),
            _ => None,
        };
        if let Some(tls) = &tls {
            background.push(tokio::spawn(reload_on_hangup(tls.clone(), stopped.clone())));
        }
        let api = ApiConfig {
            secure_cookies: config.secure_cookies,
            trusted_proxies: zapys_api::TrustedProxies::new(config.trusted_proxies.clone()),
            public_origin: config.public_url.as_deref().and_then(zapys_api::origin_of),
            request_timeout: Duration::from_secs(config.request_timeout_secs),
            import_timeout: Duration::from_secs(config.import_timeout_secs),
            session_idle: jiff::SignedDuration::from_hours(i64::try_from(config.session_idle_hours).unwrap_or(168)),
            bot_link: telegram.clone(),
            webhook_allow_private: config.webhook_allow_private,
            ..ApiConfig::default()
        };
        let state = AppState::new(store.clone(), clock, bot, api);
        let router = zapys_api::router(state.clone()).merge(telegram.webhook_routes());
        let addr = listener.local_addr()?;
        let limits = server::ServerLimits {
            header_read_timeout: Duration::from_secs(config.header_timeout_secs),
            max_connections: usize::try_from(config.max_connections).unwrap_or(usize::MAX),
        };
        let scheme = if tls.is_some() { "https" } else { "http" };
        let server = tokio::spawn(server::serve(listener, router, limits, tls, stopped));
        Ok(Self {
            addr,
            scheme,
            api: state,
            store,
            first_admin,
            telegram,
            notifier,
            leases,
            server,
            background,
            shutdown,
        })
    }

    /// Ends abruptly, as a crash would (for tests): the server and the workers are aborted; nothing
    /// is finished, and the leases it holds are left to lapse.
    pub fn abort(self) {
        self.server.abort();
        self.telegram.abort();
        for task in self.background {
            task.abort();
        }
    }

    /// Stops accepting, lets requests in flight finish, lets the bot finish the updates it holds
    /// and the notifier the deliveries on their way, then returns.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(true);
        self.server.await??;
        for task in self.background {
            // The bot lets go once its polling batch and the updates in hand are handled (up to 10 s
            // each); the notifier once its deliveries are.
            if tokio::time::timeout(std::time::Duration::from_secs(25), task).await.is_err() {
                tracing::warn!("a background task did not stop in time");
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
