//! Live changes as server-sent events, so the admin panel shows a booking
//! made in the bot without a reload.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use futures_util::StreamExt as _;
use tokio_stream::wrappers::BroadcastStream;
use zapys_store::Entity;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiResult;
use crate::{AppState, Principal};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(stream))
}

fn kind(entity: Entity) -> &'static str {
    match entity {
        Entity::Service => "service",
        Entity::Slot => "slot",
        Entity::Client => "client",
        Entity::Appointment => "appointment",
        Entity::Settings => "settings",
        Entity::Notice => "notice",
        Entity::Webhook => "webhook",
        Entity::Staff | Entity::HoursException => "staff",
        Entity::Admin | Entity::ApiToken => "account",
        // --- waitlist ---
        Entity::Wait => "wait",
    }
}

/// One event of the stream as an event-stream reader parses it (`EventSource`'s `MessageEvent`).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // documents the wire format; the events are written by axum's `Event`
pub struct ChangeEvent {
    /// JSON text: `{"kind": "appointment", "id": 5}`; kind `resync` (id 0) after the stream fell behind.
    pub data: String,
    /// The event type; `message` when the stream names none.
    pub event: Option<String>,
}

/// A stream of `{"kind": "appointment", "id": 5}` events, one per committed change.
#[utoipa::path(get, path = "/events", tag = "events", responses((status = 200, description = "A stream of `data: {\"kind\": ..., \"id\": ...}` events", content_type = "text/event-stream", body = ChangeEvent)))]
pub async fn stream(
    State(state): State<AppState>,
    _: Principal,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let changes = BroadcastStream::new(state.store().changes().subscribe()).map(|change| {
        Ok(match change {
            Ok(change) => Event::default().data(format!(r#"{{"kind":"{}","id":{}}}"#, kind(change.entity), change.id)),
            // Fell behind: tell the page to refetch everything.
            Err(_) => Event::default().data(r#"{"kind":"resync","id":0}"#),
        })
    });
    Ok(Sse::new(changes).keep_alive(KeepAlive::new().interval(Duration::from_secs(20))))
}
