//! The business's private notes about a client (allergies, a colour formula): sealed at rest like
//! the client's name and phone, never shown to the client, read and written by the business only.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use zapys_domain::ClientId;
use zapys_domain::settings::parse_text;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Id, Json};
use crate::{AppState, Principal};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(notes, set_notes))
}

/// The longest notes kept, in characters.
const MAX_CHARS: usize = 4000;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ClientNotes {
    /// Free text, at most 4000 characters; "" for none.
    #[schema(max_length = 4000)]
    pub notes: String,
}

/// A client's private notes ("" when none).
#[utoipa::path(get, path = "/users/{id}/notes", params(Id), tag = "users",
    security(("bearer" = ["admin"]), ("session" = [])),
    responses((status = 200, body = ClientNotes), (status = 404, description = "`not_found`: no such client, or erased", body = ErrorBody)))]
pub async fn notes(State(state): State<AppState>, _: Principal, Id(id): Id) -> ApiResult<axum::Json<ClientNotes>> {
    Ok(axum::Json(ClientNotes { notes: state.store().client_notes(ClientId(id)).await? }))
}

/// Replaces a client's private notes ("" clears them).
#[utoipa::path(put, path = "/users/{id}/notes", params(Id), tag = "users", request_body = ClientNotes,
    security(("bearer" = ["admin"]), ("session" = [])),
    responses((status = 200, body = ClientNotes), (status = 404, description = "`not_found`: no such client, or erased", body = ErrorBody),
        (status = 422, description = "`invalid_value`: longer than 4000 characters", body = ErrorBody)))]
pub async fn set_notes(
    State(state): State<AppState>,
    _: Principal,
    Id(id): Id,
    Json(body): Json<ClientNotes>,
) -> ApiResult<axum::Json<ClientNotes>> {
    let notes = parse_text("notes", &body.notes, MAX_CHARS)?;
    state.store().set_client_notes(ClientId(id), &notes).await?;
    Ok(axum::Json(ClientNotes { notes }))
}
