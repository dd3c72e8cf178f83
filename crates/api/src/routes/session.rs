//! Logging in and out of the admin panel.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{ClientIp, SESSION_COOKIE, new_token, session_token, token_hash, verify_password};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;
use crate::{AppState, Principal};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(login)).routes(routes!(logout)).routes(routes!(me))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginBody {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub username: String,
}

fn session_cookie(state: &AppState, value: &str, max_age_seconds: i64) -> ApiResult<HeaderValue> {
    let secure = if state.config().secure_cookies { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_seconds}{secure}"
    ))
    .map_err(|e| ApiError::Internal(e.to_string()))
}

/// Starts an admin session: sets an HttpOnly, SameSite=Strict cookie. Failed attempts are rate-limited.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginBody, security(()),
    responses((status = 200, body = Me), (status = 401, description = "`unauthorized`: wrong username or password", body = ErrorBody),
        (status = 429, description = "`too_many_requests`: see `Retry-After`", body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(body): Json<LoginBody>,
) -> ApiResult<Response> {
    let username = body.username.trim().to_owned();
    state.limiter().check(ip, &username)?;
    let admin = state.store().admin_by_username(&username).await?;
    let stored = admin.as_ref().map(|a| a.password_hash.clone());
    let (true, Some(admin)) = (verify_password(stored, body.password).await, admin) else {
        state.limiter().failed(ip, &username);
        tracing::warn!(username, ?ip, "failed admin login");
        return Err(ApiError::Unauthorized("wrong username or password"));
    };
    state.limiter().succeeded(ip, &username);

    let token = new_token("");
    let ttl = state.config().session_ttl;
    state.store().create_session(&token_hash(&token), admin.id, state.now() + ttl).await?;
    let mut response = axum::Json(Me { username: admin.username }).into_response();
    response.headers_mut().insert(header::SET_COOKIE, session_cookie(&state, &token, ttl.as_secs())?);
    Ok(response)
}

/// Ends the session of this browser.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", security(()), responses((status = 204, description = "Logged out; the cookie is cleared.")))]
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(token) = session_token(&headers) {
        state.store().delete_session(&token_hash(token)).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(header::SET_COOKIE, session_cookie(&state, "", 0)?);
    Ok(response)
}

/// Whether this browser (or token) is logged in, and as whom.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionState {
    pub authenticated: bool,
    /// The admin's name, or `token:<name>` for an API token; null when not logged in.
    pub username: Option<String>,
}

/// Who is logged in. Public, and 200 either way: the panel asks before it shows the login
/// form, and a browser logs every 401 as an error.
#[utoipa::path(get, path = "/auth/me", tag = "auth", security(()), responses((status = 200, body = SessionState)))]
pub async fn me(principal: Result<Principal, ApiError>) -> ApiResult<axum::Json<SessionState>> {
    let username = match principal {
        Ok(Principal::Admin { username }) => username,
        Ok(Principal::Token { name, .. }) => format!("token:{name}"),
        Err(ApiError::Unauthorized(_)) => {
            return Ok(axum::Json(SessionState { authenticated: false, username: None }));
        }
        Err(other) => return Err(other),
    };
    Ok(axum::Json(SessionState { authenticated: true, username: Some(username) }))
}
