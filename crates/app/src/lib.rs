//! The `zapys` program: configuration, wiring and start-up. The binary's
//! `main` parses the command line and calls in here; the integration tests
//! call [`App::start`] the same way, on a random port with a temporary database.

pub mod config;
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

/// Opens the store the configuration names, checking the data key.
pub async fn open_store(config: &Config) -> anyhow::Result<SqliteStore> {
    let cipher = match &config.data_key {
        Some(key) => DataCipher::from_base64(key.expose())?,
        None => {
            tracing::warn!(
                "ZAPYS_DATA_KEY is not set: clients' names and phones are sealed with a PUBLIC development key. \
                 Set ZAPYS_DATA_KEY (openssl rand -base64 32) before real clients use this database."
            );
            DataCipher::development()
        }
    };
    let timezone = BusinessTime::parse(&config.timezone).context("ZAPYS_TIMEZONE")?;
    let store = SqliteStore::open(OpenOptions {
        url: config.database_url.clone(),
        cipher,
        timezone,
    })
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
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    shutdown: tokio::sync::watch::Sender<bool>,
}

impl App {
    /// Opens the database, prepares it, and starts serving on `listener`.
    pub async fn start(
        config: &Config,
        listener: TcpListener,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<Self> {
        let store: Arc<dyn Store> = Arc::new(open_store(config).await?);
        let first_admin = ensure_admin(store.as_ref(), config).await?;
        if config.demo && store.is_empty().await? {
            demo::fill(store.as_ref(), clock.now())
                .await
                .context("filling demo data")?;
            tracing::info!("filled the new database with demo data");
        }
        let telegram = TelegramStatus {
            configured: config.telegram_bot_token.is_some(),
            mode: match (&config.telegram_bot_token, &config.telegram_webhook_url) {
                (None, _) => "none",
                (Some(_), None) => "polling",
                (Some(_), Some(_)) => "webhook",
            }
            .to_owned(),
            bot_username: None,
        };
        let api = ApiConfig {
            secure_cookies: config.secure_cookies,
            telegram,
            ..ApiConfig::default()
        };
        let router = zapys_api::router(AppState::new(store.clone(), clock, api));
        let addr = listener.local_addr()?;
        let (shutdown, mut stopped) = tokio::sync::watch::channel(false);
        let server = tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async move {
                let _ = stopped.wait_for(|stop| *stop).await;
            })
            .await
        });
        Ok(Self {
            addr,
            store,
            first_admin,
            server,
            shutdown,
        })
    }

    /// Stops accepting, lets requests in flight finish, then returns.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(true);
        self.server.await??;
        Ok(())
    }

    /// Serves until the server fails or `signal` resolves, then shuts down gracefully.
    pub async fn run_until(
        mut self,
        signal: impl std::future::Future<Output = ()>,
    ) -> anyhow::Result<()> {
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
