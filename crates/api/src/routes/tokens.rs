//! API tokens for integrations. The token is shown once, at creation; only its hash is kept.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Message, message};
use crate::auth::{new_token, token_hash};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Id, Json};
use crate::{AppState, Principal};

pub const TOKEN_PREFIX: &str = "zps_";

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenItem {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenList {
    pub tokens: Vec<TokenItem>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenBody {
    /// What the token is for, e.g. `crm`.
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NewToken {
    pub id: i64,
    pub name: String,
    /// Send as `Authorization: Bearer <token>`. Shown only now.
    pub token: String,
}

#[utoipa::path(get, path = "/api/tokens", tag = "tokens", responses((status = 200, body = TokenList)))]
pub async fn list(State(state): State<AppState>, _: Principal) -> ApiResult<axum::Json<TokenList>> {
    let tokens = state.store().api_tokens().await?;
    Ok(axum::Json(TokenList {
        tokens: tokens
            .into_iter()
            .map(|t| TokenItem {
                id: t.id,
                name: t.name,
                created_at: t.created_at.to_string(),
                last_used_at: t.last_used_at.map(|at| at.to_string()),
            })
            .collect(),
    }))
}

/// Creates an API token for an integration. Only an admin session may do this.
#[utoipa::path(post, path = "/api/tokens", tag = "tokens", request_body = TokenBody,
    responses((status = 201, body = NewToken), (status = 403, body = crate::openapi::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    Json(body): Json<TokenBody>,
) -> ApiResult<(StatusCode, axum::Json<NewToken>)> {
    if !matches!(principal, Principal::Admin { .. }) {
        return Err(ApiError::Forbidden("only an admin can create API tokens"));
    }
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::Unprocessable("name must have 1 to 100 characters".into()));
    }
    let token = new_token(TOKEN_PREFIX);
    let stored = state.store().create_api_token(name, &token_hash(&token), state.now()).await?;
    Ok((StatusCode::CREATED, axum::Json(NewToken { id: stored.id, name: stored.name, token })))
}

#[utoipa::path(delete, path = "/api/tokens/{id}", tag = "tokens", responses((status = 200, body = Message), (status = 404, body = crate::openapi::ErrorBody)))]
pub async fn delete(State(state): State<AppState>, _: Principal, Id(id): Id) -> ApiResult<axum::Json<Message>> {
    state.store().delete_api_token(id).await?;
    Ok(message("Token revoked"))
}
