//! API tokens for integrations. The token is shown once, at creation; only its hash is kept.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use zapys_store::TokenScope;

use super::{Message, message};
use crate::auth::{new_token, token_hash};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Id, Json};
use crate::{AppState, Principal};

pub const TOKEN_PREFIX: &str = "zps_";

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(delete))
}

/// What a token may do; each includes the ones before it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Read services, times, clients, appointments and reports.
    Read,
    /// Read, and act for clients: add clients, book, move, confirm and cancel under the client rules.
    #[default]
    Book,
    /// Everything an admin session may do, except the bot simulator.
    Admin,
}

impl From<Scope> for TokenScope {
    fn from(scope: Scope) -> Self {
        match scope {
            Scope::Read => Self::Read,
            Scope::Book => Self::Book,
            Scope::Admin => Self::Admin,
        }
    }
}

impl From<TokenScope> for Scope {
    fn from(scope: TokenScope) -> Self {
        match scope {
            TokenScope::Read => Self::Read,
            TokenScope::Book => Self::Book,
            TokenScope::Admin => Self::Admin,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenItem {
    pub id: i64,
    pub name: String,
    pub scope: Scope,
    pub created_at: String,
    pub last_used_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenList {
    pub tokens: Vec<TokenItem>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenBody {
    /// What the token is for, e.g. `crm`; 1–100 characters.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// Left out: `book`.
    #[serde(default)]
    pub scope: Scope,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NewToken {
    pub id: i64,
    pub name: String,
    pub scope: Scope,
    /// Send as `Authorization: Bearer <token>`. Shown only now.
    pub token: String,
}

#[utoipa::path(get, path = "/tokens", tag = "tokens", security(("session" = [])), responses((status = 200, body = TokenList)))]
pub async fn list(State(state): State<AppState>, _: Principal) -> ApiResult<axum::Json<TokenList>> {
    let tokens = state.store().api_tokens().await?;
    Ok(axum::Json(TokenList {
        tokens: tokens
            .into_iter()
            .map(|t| TokenItem {
                id: t.id,
                name: t.name,
                scope: t.scope.into(),
                created_at: t.created_at.to_string(),
                last_used_at: t.last_used_at.map(|at| at.to_string()),
            })
            .collect(),
    }))
}

/// Creates an API token for an integration. Only an admin session may do this.
#[utoipa::path(post, path = "/tokens", tag = "tokens", security(("session" = [])), request_body = TokenBody,
    responses((status = 201, body = NewToken)))]
pub async fn create(
    State(state): State<AppState>,
    _: Principal,
    Json(body): Json<TokenBody>,
) -> ApiResult<(StatusCode, axum::Json<NewToken>)> {
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::Unprocessable("name must have 1 to 100 characters".into()));
    }
    let token = new_token(TOKEN_PREFIX);
    let stored = state.store().create_api_token(name, body.scope.into(), &token_hash(&token), state.now()).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(NewToken { id: stored.id, name: stored.name, scope: stored.scope.into(), token }),
    ))
}

#[utoipa::path(delete, path = "/tokens/{id}", params(Id), tag = "tokens", security(("session" = [])), responses((status = 200, body = Message)))]
pub async fn delete(State(state): State<AppState>, _: Principal, Id(id): Id) -> ApiResult<axum::Json<Message>> {
    state.store().delete_api_token(id).await?;
    Ok(message("Token revoked"))
}
