//! The bot in the browser: feeds the same conversation engine as Telegram
//! with what a simulated client types or presses, and answers the bot's
//! replies with their keyboards. Lets a business try the bot with no token.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zapys_bot::{Event, Incoming, InlineButton, Keyboard, Reply, ReplyButton};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::{AppState, Principal};

/// The simulator's message numbering per chat, as Telegram numbers messages.
#[derive(Debug, Default)]
pub struct MessageIds(Mutex<HashMap<i64, i64>>);

impl MessageIds {
    fn next(&self, chat_id: i64) -> i64 {
        let mut ids = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let id = ids.entry(chat_id).or_insert(0);
        *id += 1;
        *id
    }
}

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(send))
}

/// Simulated clients' chat ids: above every real Telegram user id (those have at most 52
/// significant bits), so the simulator can never act as, or on, a real client; and below 2^53,
/// so the panel's JavaScript numbers hold them exactly.
pub const SIMULATOR_CHAT_IDS: std::ops::RangeInclusive<i64> = (1 << 52)..=((1 << 53) - 1);

/// What the simulated client does: exactly one of `text`, `callback_data`, `contact_phone`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SimulatorInput {
    /// The simulated client's chat id: from 2^52 to 2^53 − 1, a range no real Telegram user has.
    #[schema(minimum = 4_503_599_627_370_496_i64, maximum = 9_007_199_254_740_991_i64)]
    pub chat_id: i64,
    pub text: Option<String>,
    /// An inline button's data.
    pub callback_data: Option<String>,
    /// The message the pressed button is on, so the bot can edit it.
    pub message_id: Option<i64>,
    /// Shares this number as the client's own contact.
    pub contact_phone: Option<String>,
    /// `uk` or `en`: the client's Telegram language.
    pub language: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SimulatorReply {
    pub message_id: i64,
    pub text: String,
    /// True: this replaces the earlier bot message with `message_id`.
    pub edit: bool,
    pub inline_keyboard: Option<Vec<Vec<InlineButtonItem>>>,
    pub reply_keyboard: Option<Vec<Vec<ReplyButtonItem>>>,
    pub remove_keyboard: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InlineButtonItem {
    pub text: String,
    pub callback_data: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReplyButtonItem {
    pub text: String,
    pub request_contact: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SimulatorAnswer {
    pub replies: Vec<SimulatorReply>,
    /// The short notice Telegram would show on the pressed button.
    pub toast: Option<String>,
}

fn inline(rows: Vec<Vec<InlineButton>>) -> Vec<Vec<InlineButtonItem>> {
    rows.into_iter()
        .map(|row| row.into_iter().map(|b| InlineButtonItem { text: b.text, callback_data: b.callback_data }).collect())
        .collect()
}

fn reply_rows(rows: Vec<Vec<ReplyButton>>) -> Vec<Vec<ReplyButtonItem>> {
    rows.into_iter()
        .map(|row| {
            row.into_iter().map(|b| ReplyButtonItem { text: b.text, request_contact: b.request_contact }).collect()
        })
        .collect()
}

/// Sends one thing a simulated client does to the bot and answers what the bot replies.
/// For an admin session only (not API tokens), and only for simulator chat ids.
#[utoipa::path(post, path = "/simulator/send", tag = "simulator", request_body = SimulatorInput, security(("session" = [])),
    responses((status = 200, body = SimulatorAnswer)))]
pub async fn send(
    State(state): State<AppState>,
    _: Principal,
    Json(input): Json<SimulatorInput>,
) -> ApiResult<axum::Json<SimulatorAnswer>> {
    if !SIMULATOR_CHAT_IDS.contains(&input.chat_id) {
        return Err(ApiError::Unprocessable(format!(
            "chat_id must be a simulator id from {} to {}: real Telegram chats cannot be driven from here",
            SIMULATOR_CHAT_IDS.start(),
            SIMULATOR_CHAT_IDS.end()
        )));
    }
    let event = match (input.text, input.callback_data, input.contact_phone) {
        (Some(text), None, None) => Event::Text(text),
        (None, Some(data), None) => Event::Button { data, message_id: input.message_id },
        (None, None, Some(phone)) => Event::Contact { phone, own: true },
        _ => {
            return Err(ApiError::Unprocessable("give exactly one of text, callback_data, contact_phone".into()));
        }
    };
    let incoming = Incoming { chat_id: input.chat_id, language_code: input.language, event };
    let mut answer = SimulatorAnswer { replies: Vec::new(), toast: None };
    for reply in state.bot().handle(&incoming).await {
        let (message_id, edit, message) = match reply {
            Reply::Send(message) => (state.simulator_ids().next(input.chat_id), false, message),
            Reply::Edit { message_id, message } => (message_id, true, message),
            Reply::Toast(text) => {
                answer.toast = Some(text);
                continue;
            }
        };
        let (inline_keyboard, reply_keyboard, remove_keyboard) = match message.keyboard {
            Keyboard::None => (None, None, false),
            Keyboard::Inline(rows) => (Some(inline(rows)), None, false),
            Keyboard::Reply(rows) => (None, Some(reply_rows(rows)), false),
            Keyboard::Remove => (None, None, true),
        };
        answer.replies.push(SimulatorReply {
            message_id,
            text: message.text,
            edit,
            inline_keyboard,
            reply_keyboard,
            remove_keyboard,
        });
    }
    Ok(axum::Json(answer))
}
