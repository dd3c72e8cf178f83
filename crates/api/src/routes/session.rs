//! Logging in and out of the admin panel.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{MIN_PASSWORD_CHARS, hash_password, new_token, session_cookie_name, session_token, token_hash};
use crate::client::Client;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;
use crate::{AppState, Principal};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_password))
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

/// Over HTTPS the cookie is `__Host-` prefixed and `Secure`; over plain HTTP (the panel on
/// 127.0.0.1) it cannot be either, or the browser would drop it.
fn session_cookie(client: Client, value: &str, max_age_seconds: i64) -> ApiResult<HeaderValue> {
    let name = session_cookie_name(client.https);
    let secure = if client.https { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_seconds}{secure}"
    ))
    .map_err(|e| ApiError::Internal(e.to_string()))
}

/// Starts an admin session: sets an HttpOnly, SameSite=Strict cookie. Failed attempts are rate-limited.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginBody, security(()),
    responses((status = 200, body = Me), (status = 401, description = "`unauthorized`: wrong username or password", body = ErrorBody),
        (status = 429, description = "`too_many_requests`: see `Retry-After`", body = ErrorBody)))]
pub async fn login(State(state): State<AppState>, client: Client, Json(body): Json<LoginBody>) -> ApiResult<Response> {
    let username = body.username.trim().to_owned();
    let ip = client.addr;
    // Counted before the check, so a burst of parallel guesses cannot outrun the limit.
    let attempt = state.login_guard().begin(state.store(), state.now(), ip, &username).await?;
    let admin = state.store().admin_by_username(&username).await?;
    let stored = admin.as_ref().map(|a| a.password_hash.clone());
    let (true, Some(admin)) = (state.login_guard().check_password(stored, body.password).await?, admin) else {
        tracing::warn!(username, ?ip, "failed admin login");
        return Err(ApiError::Unauthorized("wrong username or password"));
    };
    state.login_guard().succeeded(state.store(), attempt).await?;

    let token = new_token("");
    let (now, ttl) = (state.now(), state.config().session_ttl);
    state.store().purge_sessions(now, state.config().session_idle).await?;
    state.store().create_session(&token_hash(&token), admin.id, now, now + ttl).await?;
    let mut response = axum::Json(Me { username: admin.username }).into_response();
    response.headers_mut().insert(header::SET_COOKIE, session_cookie(client, &token, ttl.as_secs())?);
    Ok(response)
}

/// Ends the session of this browser.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", security(()), responses((status = 204, description = "Logged out; the cookie is cleared.")))]
pub async fn logout(State(state): State<AppState>, client: Client, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(token) = session_token(&headers, client.https) {
        state.store().delete_session(&token_hash(token)).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(header::SET_COOKIE, session_cookie(client, "", 0)?);
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

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    /// At least 8 characters.
    #[schema(min_length = 8)]
    pub new_password: String,
}

/// Changes the logged-in admin's own password. Every other session of theirs ends (a password
/// that leaked stops working everywhere); this browser gets a fresh session. Wrong guesses of
/// the current password count against the same limits as logins.
#[utoipa::path(post, path = "/auth/password", tag = "auth", request_body = PasswordChange, security(("session" = [])),
    responses((status = 200, body = Me),
        (status = 403, description = "`forbidden`: API tokens have no password", body = ErrorBody),
        (status = 422, description = "`invalid_value`: the current password is wrong, or the new one too short", body = ErrorBody),
        (status = 429, description = "`too_many_requests`: see `Retry-After`", body = ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    principal: Principal,
    client: Client,
    Json(body): Json<PasswordChange>,
) -> ApiResult<Response> {
    let Principal::Admin { username } = principal else {
        return Err(ApiError::Forbidden("an API token has no password to change"));
    };
    if body.new_password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::Unprocessable(format!(
            "the new password must have at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    let attempt = state.login_guard().begin(state.store(), state.now(), client.addr, &username).await?;
    let admin = state.store().admin_by_username(&username).await?;
    let stored = admin.as_ref().map(|a| a.password_hash.clone());
    let (true, Some(admin)) = (state.login_guard().check_password(stored, body.current_password).await?, admin) else {
        tracing::warn!(username, "a wrong current password when changing it");
        return Err(ApiError::Unprocessable("the current password is wrong".into()));
    };
    state.login_guard().succeeded(state.store(), attempt).await?;
    let new_password = body.new_password;
    let hash = tokio::task::spawn_blocking(move || hash_password(&new_password))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))??;
    state.store().set_admin_password(&admin.username, &hash).await?;
    tracing::info!(username = admin.username, "an admin changed their password; their other sessions ended");

    let token = new_token("");
    let (now, ttl) = (state.now(), state.config().session_ttl);
    state.store().create_session(&token_hash(&token), admin.id, now, now + ttl).await?;
    let mut response = axum::Json(Me { username: admin.username }).into_response();
    response.headers_mut().insert(header::SET_COOKIE, session_cookie(client, &token, ttl.as_secs())?);
    Ok(response)
}
