//! The outbox, seen from the admin side: what was sent, and what failed and why.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zapys_store::{NoticeQuery, NoticeState, OutboxItem};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Message, message, paging};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Id, Query};
use crate::{AppState, Principal};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(retry))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationItem {
    pub id: i64,
    /// `reminder`, `confirmed`, `cancelled`, `moved`, `completed`, `new_booking`, `client_cancelled`, `webhook`,
    /// `staff_booked`, `staff_moved`, `staff_cancelled`, `staff_reassigned`, `client_moved`, `support_message`,
    /// `support_reply`, `waitlist_offer`, `rebook_nudge`, `rating_request`.
    pub kind: String,
    /// `client`, `business`, `staff` (the booking's staff member's own chat), or `webhook N`.
    pub recipient: String,
    pub appointment_id: Option<i64>,
    /// For a webhook delivery: the event (`booking.created`, ...).
    pub event: Option<String>,
    /// `pending`, `sent`, `skipped` or `failed`.
    pub status: String,
    pub attempts: u32,
    /// Why the last attempt failed, or why it was skipped.
    pub last_error: Option<String>,
    pub created_at: String,
    pub finished_at: Option<String>,
}

impl From<OutboxItem> for NotificationItem {
    fn from(item: OutboxItem) -> Self {
        Self {
            id: item.id,
            kind: item.notice.name().to_owned(),
            recipient: match (item.notice, item.webhook_id) {
                (zapys_domain::Notice::Webhook, Some(id)) => format!("webhook {id}"),
                (zapys_domain::Notice::Webhook, None) => "webhook (deleted)".to_owned(),
                (notice, _) if notice.for_business() => "business".to_owned(),
                (notice, _) if notice.for_staff() => "staff".to_owned(),
                _ => "client".to_owned(),
            },
            appointment_id: item.appointment_id.map(|a| a.0),
            event: (item.notice == zapys_domain::Notice::Webhook).then(|| item.detail.clone()).flatten(),
            status: item.state.name().to_owned(),
            attempts: item.attempts,
            last_error: item.last_error,
            created_at: item.created_at.to_string(),
            finished_at: item.finished_at.map(|at| at.to_string()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationList {
    pub notifications: Vec<NotificationItem>,
    pub total: u64,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct NotificationQuery {
    /// `pending`, `sent`, `skipped` or `failed`.
    #[param(value_type = Option<String>, pattern = "^(pending|sent|skipped|failed)$")]
    pub status: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    pub limit: Option<String>,
    #[param(value_type = Option<u32>, minimum = 0)]
    pub offset: Option<String>,
}

/// Notices to clients and the business, newest first.
#[utoipa::path(get, path = "/notifications", tag = "notifications", params(NotificationQuery),
    responses((status = 200, body = NotificationList)))]
pub async fn list(
    State(state): State<AppState>,
    _: Principal,
    Query(query): Query<NotificationQuery>,
) -> ApiResult<axum::Json<NotificationList>> {
    let status = match query.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(name) => Some(NoticeState::from_name(name).ok_or_else(|| {
            ApiError::Unprocessable(format!("status must be pending, sent, skipped or failed, not '{name}'"))
        })?),
    };
    let page = state
        .store()
        .notices(&NoticeQuery { state: status, paging: paging(query.limit.as_deref(), query.offset.as_deref())? })
        .await?;
    Ok(axum::Json(NotificationList {
        notifications: page.items.into_iter().map(NotificationItem::from).collect(),
        total: page.total,
    }))
}

/// Puts a failed notice back in line.
#[utoipa::path(post, path = "/notifications/{id}/retry", params(Id), tag = "notifications",
    responses((status = 200, body = Message), (status = 409, description = "`conflict`: the notice is not waiting to be retried", body = ErrorBody)))]
pub async fn retry(State(state): State<AppState>, _: Principal, Id(id): Id) -> ApiResult<axum::Json<Message>> {
    state.store().retry_notice(id).await?;
    Ok(message("Notification queued again"))
}
