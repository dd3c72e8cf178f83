//! The HTTP adapter of Zapys: the REST API under `/api` (the original
//! system's routes and field names, authenticated), its OpenAPI document, the
//! live change stream, and the embedded admin panel.

mod access;
pub mod auth;
mod bot_link;
pub mod client;
mod edges;
mod error;
mod extract;
pub mod login_guard;
mod openapi;
pub mod routes;
mod ui;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jiff::Timestamp;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use zapys_domain::Clock;
use zapys_store::Store;

pub use auth::{Principal, hash_password, new_token, token_hash};
pub use bot_link::{BotLink, NoBot, TelegramProblem, TelegramStatus, TokenCheck, TokenSource};
pub use client::{Client, ConnectionInfo, TrustedProxies};
pub use edges::{IMPORT_PATH, origin_of};
pub use error::{ApiError, ApiResult, ErrorBody, ErrorCode};
pub use login_guard::LoginGuard;
pub use openapi::openapi_json;

#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Treat every request as HTTPS for cookies (`__Host-` name, `Secure`) even when neither
    /// our TLS nor a trusted proxy says so.
    pub secure_cookies: bool,
    /// A session ends this long after login at the latest.
    pub session_ttl: jiff::SignedDuration,
    /// A session unused this long ends.
    pub session_idle: jiff::SignedDuration,
    /// Proxies whose `X-Forwarded-*` / `Forwarded` headers are believed.
    pub trusted_proxies: TrustedProxies,
    /// The panel's origin (`https://book.example.com`) from `ZAPYS_PUBLIC_URL`; when set,
    /// browser writes must come from exactly this origin.
    pub public_origin: Option<String>,
    /// How long a request may take to be answered, CSV imports aside.
    pub request_timeout: std::time::Duration,
    /// How long a CSV import ([`IMPORT_PATH`]) may take.
    pub import_timeout: std::time::Duration,
    /// The bot's connection to Telegram.
    pub bot_link: Arc<dyn BotLink>,
    /// Accept webhook receivers on loopback, private and link-local addresses, and over `http://`.
    pub webhook_allow_private: bool,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            session_ttl: jiff::SignedDuration::from_hours(7 * 24),
            session_idle: jiff::SignedDuration::from_hours(12),
            trusted_proxies: TrustedProxies::default(),
            public_origin: None,
            request_timeout: std::time::Duration::from_secs(30),
            import_timeout: std::time::Duration::from_secs(300),
            bot_link: Arc::new(NoBot),
            webhook_allow_private: false,
        }
    }
}

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    bot: Arc<zapys_bot::Bot>,
    config: ApiConfig,
    login_guard: LoginGuard,
    simulator_ids: routes::simulator::MessageIds,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, bot: Arc<zapys_bot::Bot>, config: ApiConfig) -> Self {
        Self(Arc::new(Inner {
            store,
            clock,
            bot,
            config,
            login_guard: LoginGuard::default(),
            simulator_ids: routes::simulator::MessageIds::default(),
        }))
    }

    pub(crate) fn bot(&self) -> &zapys_bot::Bot {
        &self.0.bot
    }

    pub(crate) fn simulator_ids(&self) -> &routes::simulator::MessageIds {
        &self.0.simulator_ids
    }

    pub fn store(&self) -> &dyn Store {
        self.0.store.as_ref()
    }

    pub fn now(&self) -> Timestamp {
        self.0.clock.now()
    }

    pub fn config(&self) -> &ApiConfig {
        &self.0.config
    }

    /// Login limits and the password-check queue.
    pub fn login_guard(&self) -> &LoginGuard {
        &self.0.login_guard
    }
}

/// Request bodies above this size are refused with 413.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The whole HTTP surface: `/api`, `/healthz`, and the admin panel.
pub fn router(state: AppState) -> Router {
    let (api, _) = routes::router().split_for_parts();
    let api = api
        .route("/openapi.json", get(openapi::json))
        .route("/docs", get(openapi::docs))
        .fallback(|| async { ApiError::NotFound("no such API route; see /api/docs".into()) })
        .layer(middleware::from_fn_with_state(state.clone(), edges::refuse_cross_site_writes))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
    Router::new()
        .nest("/api", api)
        .route("/healthz", get(health))
        .route("/calendar/{file}", get(routes::calendar::feed))
        .fallback(ui::serve)
        .layer(middleware::from_fn_with_state(state.clone(), edges::deadline))
        .layer(middleware::from_fn_with_state(state.clone(), edges::strict_transport))
        .with_state(state)
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        // Gzip for the panel's assets and JSON; server-sent events are left alone by the default predicate.
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}

async fn health(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    match state.store().admin_count().await {
        Ok(_) => axum::Json(serde_json::json!({ "status": "ok" })).into_response(),
        Err(e) => ApiError::Internal(format!("health check: {e}")).into_response(),
    }
}
