//! The HTTP side: routes `{base}/bot{TOKEN}/{method}`, checks the token, injects faults,
//! records every call.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header::CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use serde_json::{Value, json};

use crate::api::{Answer, ApiError, Params};
use crate::methods;
use crate::state::Shared;
use crate::types::{Fault, RecordedCall};

/// The router of the fake Bot API.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new().route("/{bot}/{method}", any(handle)).fallback(not_found).with_state(shared)
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, Json(json!({ "ok": false, "error_code": 404, "description": "Not Found" }))).into_response()
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    Path((bot, method)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let at = std::time::Instant::now();
    let method = method.to_ascii_lowercase();
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let params = Params::parse(query.as_deref(), content_type, &body);
    let recorded_params = params.as_ref().map(Params::to_value).unwrap_or(Value::Null);

    let (outcome, faulted) = answer(&shared, &bot, &method, params).await;

    let (status, body, description) = match &outcome {
        Ok(answer) => (200, answer.body(), None),
        Err(error) => (error.code, error.body(), Some(error.description.clone())),
    };
    tracing::debug!(%method, status, "fake telegram call");
    shared.mutate(|s| {
        s.calls.push(RecordedCall { method, params: recorded_params, status, description, faulted, at });
    });
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(body)).into_response()
}

/// The answer to one call and whether it was an injected fault.
async fn answer(
    shared: &Shared,
    bot: &str,
    method: &str,
    params: Result<Params, ApiError>,
) -> (Result<Answer, ApiError>, bool) {
    let token_ok = shared.read(|s| bot.strip_prefix("bot") == Some(s.token.as_str()));
    if !token_ok {
        return (Err(ApiError::unauthorized()), false);
    }
    if !methods::is_known(method) {
        return (Err(ApiError::method_not_found()), false);
    }
    match shared.mutate_quietly(|s| s.take_fault(method)) {
        Some(Fault::Stall(delay)) => tokio::time::sleep(delay).await,
        Some(fault) => return (Err(fault_error(fault)), true),
        None => {}
    }
    let params = match params {
        Ok(params) => params,
        Err(error) => return (Err(error), false),
    };
    (methods::call(shared, method, &params).await, false)
}

fn fault_error(fault: Fault) -> ApiError {
    match fault {
        Fault::TooManyRequests { retry_after } => ApiError::too_many_requests(retry_after),
        Fault::ServerError => ApiError::new(502, "Bad Gateway"),
        Fault::InternalError => ApiError::new(500, "Internal Server Error"),
        Fault::Error { code, description } => ApiError::new(code, description),
        Fault::Stall(_) => ApiError::new(500, "Internal Server Error"),
    }
}
