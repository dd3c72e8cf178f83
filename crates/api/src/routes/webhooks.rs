//! The business's webhooks: endpoints that receive a signed JSON event when a
//! booking is created, confirmed, cancelled, moved or completed. Deliveries go
//! through the outbox (retried, logged in /api/notifications as kind `webhook`).

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zapys_domain::notice::{WEBHOOK_EVENTS, WEBHOOK_PERSONAL_FIELDS};
use zapys_notify::egress::{AllowPrivate, check_receiver};

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
    pub personal_fields: Vec<String>,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    pub webhooks: Vec<WebhookItem>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct WebhookBody {
    /// `https://…` on a public address (`http://` and private addresses only with
    /// `ZAPYS_WEBHOOK_ALLOW_PRIVATE=1`).
    #[schema(max_length = 2000, pattern = "^https?://[^\\s]+$")]
    pub url: String,
    /// Some of `booking.created`, `booking.confirmed`, `booking.cancelled`, `booking.moved`,
    /// `booking.completed`; left out or empty: all of them.
    pub events: Option<Vec<String>>,
    /// The client's personal data the receiver needs: some of `client_name`, `client_phone`.
    /// Left out or empty: payloads carry ids only.
    pub personal_fields: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NewWebhook {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    pub personal_fields: Vec<String>,
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
            .map(|w| WebhookItem {
                id: w.id,
                url: w.url,
                events: w.events,
                personal_fields: w.personal_fields,
                created_at: w.created_at.to_string(),
            })
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
    let mut personal_fields = body.personal_fields.unwrap_or_default();
    if let Some(unknown) = personal_fields.iter().find(|f| !WEBHOOK_PERSONAL_FIELDS.contains(&f.as_str())) {
        return Err(ApiError::Unprocessable(format!(
            "unknown personal field '{unknown}'; known: {}",
            WEBHOOK_PERSONAL_FIELDS.join(", ")
        )));
    }
    personal_fields.sort();
    personal_fields.dedup();
    // Last, as it may ask DNS: the receiver must be https:// on a public address (see zapys_notify::egress).
    let url = body.url.trim();
    check_receiver(url, AllowPrivate(state.config().webhook_allow_private))
        .await
        .map_err(|refusal| ApiError::Unprocessable(refusal.to_string()))?;
    let secret = new_token("whsec_");
    let hook = state.store().create_webhook(url, &secret, &events, &personal_fields, state.now()).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(NewWebhook {
            id: hook.id,
            url: hook.url,
            events: hook.events,
            personal_fields: hook.personal_fields,
            secret,
        }),
    ))
}

#[utoipa::path(delete, path = "/webhooks/{id}", params(Id), tag = "webhooks",
    responses((status = 200, body = Message)))]
pub async fn delete(State(state): State<AppState>, _: Principal, Id(id): Id) -> ApiResult<axum::Json<Message>> {
    state.store().delete_webhook(id).await?;
    Ok(message("Webhook deleted"))
}
