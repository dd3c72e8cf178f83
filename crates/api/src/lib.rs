//! The HTTP adapter of Zapys: the REST API under `/api` (the original
//! system's routes and field names, authenticated), its OpenAPI document, the
//! live change stream, and the embedded admin panel.

mod access;
pub mod auth;
mod error;
mod extract;
mod openapi;
pub mod routes;
mod ui;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Router, extract::Request};
use jiff::Timestamp;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use zapys_domain::Clock;
use zapys_store::Store;

pub use auth::{LoginLimiter, Principal, hash_password, new_token, token_hash};
pub use error::{ApiError, ApiResult, ErrorBody, ErrorCode};
pub use openapi::openapi_json;

/// How the Telegram side is set up, for the settings page.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct TelegramStatus {
    pub configured: bool,
    /// `polling`, `webhook` or `none`.
    pub mode: String,
    pub bot_username: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Mark the session cookie `Secure` (the server is reached over HTTPS).
    pub secure_cookies: bool,
    pub session_ttl: jiff::SignedDuration,
    pub telegram: TelegramStatus,
    /// Accept webhook receivers on loopback, private and link-local addresses, and over `http://`.
    pub webhook_allow_private: bool,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            session_ttl: jiff::SignedDuration::from_hours(7 * 24),
            telegram: TelegramStatus::default(),
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
    limiter: LoginLimiter,
    simulator_ids: routes::simulator::MessageIds,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, bot: Arc<zapys_bot::Bot>, config: ApiConfig) -> Self {
        Self(Arc::new(Inner {
            store,
            clock,
            bot,
            config,
            limiter: LoginLimiter::default(),
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

    pub(crate) fn limiter(&self) -> &LoginLimiter {
        &self.0.limiter
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
        .layer(middleware::from_fn(refuse_cross_site_writes))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
    Router::new()
        .nest("/api", api)
        .route("/healthz", get(health))
        .route("/calendar/{file}", get(routes::calendar::feed))
        .fallback(ui::serve)
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

/// A browser sends `Sec-Fetch-Site` and `Origin`; a write that another site
/// triggers (CSRF) is refused before it reaches a handler. Machines with
/// tokens send neither and pass.
async fn refuse_cross_site_writes(request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let headers = request.headers();
        let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        if matches!(fetch_site, Some("cross-site" | "same-site")) {
            return ApiError::Forbidden("cross-site requests are not allowed").into_response();
        }
        let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
        if let Some(origin) = origin {
            let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            if Some(origin_host) != host {
                return ApiError::Forbidden("cross-origin requests are not allowed").into_response();
            }
        }
    }
    next.run(request).await
}
