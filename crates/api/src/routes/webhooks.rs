//! The business's webhooks: endpoints that receive a signed JSON event when a
//! booking is created, confirmed, cancelled, moved or completed. Deliveries go
//! through the outbox (retried, logged in /api/notifications as kind `webhook`).

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zapys_domain::notice::WEBHOOK_EVENTS;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Message, message};
use crate::auth::new_token;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Id, Json};
use crate::{AppState, Principal};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(delete))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookItem {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    pub webhooks: Vec<WebhookItem>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct WebhookBody {
    /// `https://…` (or `http://` for a receiver on the same network).
    #[schema(max_length = 2000, pattern = "^https?://[^\\s]+$")]
    pub url: String,
    /// Some of `booking.created`, `booking.confirmed`, `booking.cancelled`, `booking.moved`,
    /// `booking.completed`; left out or empty: all of them.
    pub events: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NewWebhook {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    /// The signing secret, shown only now. Each delivery carries `X-Zapys-Signature: sha256=<hex>`,
    /// the HMAC-SHA256 of the raw body with this secret.
    pub secret: String,
}

#[utoipa::path(get, path = "/webhooks", tag = "webhooks", security(("bearer" = ["admin"]), ("session" = [])), responses((status = 200, body = WebhookList)))]
pub async fn list(State(state): State<AppState>, _: Principal) -> ApiResult<axum::Json<WebhookList>> {
    let webhooks = state.store().webhooks().await?;
    Ok(axum::Json(WebhookList {
        webhooks: webhooks
            .into_iter()
            .map(|w| WebhookItem { id: w.id, url: w.url, events: w.events, created_at: w.created_at.to_string() })
            .collect(),
    }))
}

#[utoipa::path(post, path = "/webhooks", tag = "webhooks", request_body = WebhookBody,
    responses((status = 201, body = NewWebhook)))]
pub async fn create(
    State(state): State<AppState>,
    _: Principal,
    Json(body): Json<WebhookBody>,
) -> ApiResult<(StatusCode, axum::Json<NewWebhook>)> {
    let url = body.url.trim();
    let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
    if !scheme_ok
        || url.len() > 2000
        || url.contains(char::is_whitespace)
        || url.split_once("://").is_none_or(|(_, rest)| rest.is_empty())
    {
        return Err(ApiError::Unprocessable("url must be an http:// or https:// address".into()));
    }
    let mut events = body.events.unwrap_or_default();
    if events.is_empty() {
        events = WEBHOOK_EVENTS.map(str::to_owned).to_vec();
    }
    if let Some(unknown) = events.iter().find(|e| !WEBHOOK_EVENTS.contains(&e.as_str())) {
        return Err(ApiError::Unprocessable(format!(
            "unknown event '{unknown}'; known: {}",
            WEBHOOK_EVENTS.join(", ")
        )));
    }
    events.sort();
    events.dedup();
    let secret = new_token("whsec_");
    let hook = state.store().create_webhook(url, &secret, &events, state.now()).await?;
    Ok((StatusCode::CREATED, axum::Json(NewWebhook { id: hook.id, url: hook.url, events: hook.events, secret })))
}

#[utoipa::path(delete, path = "/webhooks/{id}", params(Id), tag = "webhooks",
    responses((status = 200, body = Message)))]
pub async fn delete(State(state): State<AppState>, _: Principal, Id(id): Id) -> ApiResult<axum::Json<Message>> {
    state.store().delete_webhook(id).await?;
    Ok(message("Webhook deleted"))
}
