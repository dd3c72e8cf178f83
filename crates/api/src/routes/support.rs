//! A client's support thread («Написати нам»): the messages they wrote in the bot and the business's
//! answers, both ways with their times, and the panel's answer box, which reaches the client through
//! the bot as an admin's reply in the business chat does. The simulator reads the answers to its
//! chats here, since they never go through Telegram.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use zapys_domain::{ClientId, TelegramId};
use zapys_store::{SupportDirection, SupportDraft, SupportMessage};

use super::{Created, created};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Id, Json, Query};
use crate::routes::simulator::SIMULATOR_CHAT_IDS;
use crate::{AppState, Principal};

/// The longest answer the panel sends: Telegram's message limit, with room for the bot's heading.
const ANSWER_LIMIT: usize = 4000;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(thread, answer)).routes(routes!(simulator_answers))
}

/// One message of a support thread.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupportItem {
    pub id: i64,
    /// `from_client` (written in the bot) or `to_client` (the business's answer).
    #[schema(pattern = "^(from_client|to_client)$")]
    pub direction: String,
    /// `text`, `photo` or `voice`; a photo or voice note stays in Telegram (its text is the caption).
    #[schema(pattern = "^(text|photo|voice)$")]
    pub kind: String,
    pub text: String,
    /// Who answered: the admin's login (or the API token's name) in the panel, or their name in
    /// the business chat; none for the client's own messages.
    pub author: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
}

impl From<SupportMessage> for SupportItem {
    fn from(m: SupportMessage) -> Self {
        Self {
            id: m.id,
            direction: m.direction.name().to_owned(),
            kind: m.media.as_ref().map_or("text", |media| media.kind()).to_owned(),
            text: m.text,
            author: m.author,
            created_at: m.created_at.to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SupportThread {
    /// Oldest first.
    pub messages: Vec<SupportItem>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SupportAnswer {
    /// 1–4000 characters (surrounding spaces are trimmed).
    #[schema(min_length = 1, max_length = 4000)]
    pub text: String,
}

/// `{message, id, item}`: the answer was stored and queued for the client's chat.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupportAnswered {
    pub message: String,
    pub id: i64,
    pub item: SupportItem,
}

/// The client, unless unknown or erased (both are 404, as for the client itself).
async fn living_client(state: &AppState, id: i64) -> ApiResult<zapys_domain::Client> {
    let client = state.store().client(ClientId(id)).await?;
    if client.contact.is_none() {
        return Err(ApiError::NotFound(format!("user {id} not found")));
    }
    Ok(client)
}

/// A client's support thread: what they wrote in the bot («Написати нам») and the answers, oldest first.
#[utoipa::path(get, path = "/users/{id}/messages", tag = "users", params(Id),
    responses((status = 200, body = SupportThread)))]
pub async fn thread(State(state): State<AppState>, _: Principal, Id(id): Id) -> ApiResult<axum::Json<SupportThread>> {
    living_client(&state, id).await?;
    let messages = state.store().support_thread(ClientId(id)).await?.into_iter().map(SupportItem::from).collect();
    Ok(axum::Json(SupportThread { messages }))
}

/// Answers a client: the text is stored in their thread and sent to them through the bot.
#[utoipa::path(post, path = "/users/{id}/messages", tag = "users", params(Id), request_body = SupportAnswer,
    security(("bearer" = ["admin"]), ("session" = [])),
    responses((status = 201, body = SupportAnswered),
        (status = 409, description = "`conflict`: the client has no Telegram chat the bot could answer in", body = ErrorBody)))]
pub async fn answer(
    State(state): State<AppState>,
    principal: Principal,
    Id(id): Id,
    Json(body): Json<SupportAnswer>,
) -> ApiResult<Created<SupportAnswered>> {
    let text = body.text.trim();
    if text.is_empty() || text.chars().count() > ANSWER_LIMIT {
        return Err(ApiError::Unprocessable(format!("text must be 1 to {ANSWER_LIMIT} characters")));
    }
    living_client(&state, id).await?;
    let author = match principal {
        Principal::Admin { username } => username,
        Principal::Token { name, .. } => name,
    };
    let draft = SupportDraft {
        client_id: ClientId(id),
        direction: SupportDirection::ToClient,
        text: text.to_owned(),
        media: None,
        author: Some(author),
    };
    let stored = state.store().add_support_message(&draft, state.now()).await?;
    created(SupportAnswered { message: "Answer sent".into(), id: stored.id, item: stored.into() })
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SimulatorMessagesQuery {
    /// The simulated client's chat id (from 2^52 to 2^53 − 1).
    #[param(value_type = i64, minimum = 4_503_599_627_370_496_i64, maximum = 9_007_199_254_740_991_i64)]
    pub chat_id: String,
    /// Only answers with a larger id (the last one the simulator showed).
    #[param(value_type = Option<i64>, minimum = 0)]
    pub after: Option<String>,
}

/// The business's answers to a simulated client («Написати нам»), which the simulator shows in its
/// conversation: a simulated chat is not on Telegram, so the bot cannot send them there.
#[utoipa::path(get, path = "/simulator/messages", tag = "simulator", params(SimulatorMessagesQuery),
    security(("session" = [])), responses((status = 200, body = SupportThread)))]
pub async fn simulator_answers(
    State(state): State<AppState>,
    _: Principal,
    Query(query): Query<SimulatorMessagesQuery>,
) -> ApiResult<axum::Json<SupportThread>> {
    let chat_id = super::int_param("chat_id", Some(&query.chat_id))?
        .filter(|id| SIMULATOR_CHAT_IDS.contains(id))
        .ok_or_else(|| {
            ApiError::Unprocessable(format!(
                "chat_id must be a simulator id from {} to {}",
                SIMULATOR_CHAT_IDS.start(),
                SIMULATOR_CHAT_IDS.end()
            ))
        })?;
    let after = super::int_param("after", query.after.as_deref())?.unwrap_or(0);
    let Some(client) = state.store().client_by_telegram(TelegramId(chat_id)).await? else {
        return Ok(axum::Json(SupportThread { messages: Vec::new() }));
    };
    let messages = state
        .store()
        .support_thread(client.id)
        .await?
        .into_iter()
        .filter(|m| m.direction == SupportDirection::ToClient && m.id > after)
        .map(SupportItem::from)
        .collect();
    Ok(axum::Json(SupportThread { messages }))
}
