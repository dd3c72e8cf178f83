//! The Bot API methods the fake implements, with Telegram's answers and errors.

use std::time::Duration;

use serde_json::{Value, json};
use tokio::time::Instant;

use crate::api::{Answer, ApiError, Params};
use crate::markup::{Markup, parse_markup, validate_text};
use crate::state::{Shared, State, StoredMessage, Webhook, unix_now};
use crate::types::{AnsweredCallback, BotMessage, InlineButton};

/// The methods the fake answers (lowercased); others get 404 `method not found`.
const METHODS: &[&str] = &[
    "getme",
    "logout",
    "close",
    "getupdates",
    "setwebhook",
    "deletewebhook",
    "getwebhookinfo",
    "sendmessage",
    "sendphoto",
    "sendvoice",
    "editmessagetext",
    "editmessagereplymarkup",
    "deletemessage",
    "answercallbackquery",
    "sendchataction",
    "getchat",
    "setmycommands",
    "getmycommands",
    "deletemycommands",
    "setchatmenubutton",
    "getchatmenubutton",
    "setmydescription",
    "setmyshortdescription",
    "setmyname",
];

/// Whether the fake implements this (lowercased) method.
pub(crate) fn is_known(method: &str) -> bool {
    METHODS.contains(&method)
}

/// Answers one call of a known method.
pub(crate) async fn call(shared: &Shared, method: &str, params: &Params) -> Result<Answer, ApiError> {
    if method == "getupdates" {
        return get_updates(shared, params).await;
    }
    shared.mutate(|state| call_sync(state, method, params))
}

fn call_sync(s: &mut State, method: &str, p: &Params) -> Result<Answer, ApiError> {
    match method {
        "getme" => Ok(s.bot.clone().into()),
        "logout" | "close" | "setmydescription" | "setmyshortdescription" | "setmyname" => Ok(Value::Bool(true).into()),
        "setwebhook" => set_webhook(s, p),
        "deletewebhook" => delete_webhook(s, p),
        "getwebhookinfo" => Ok(webhook_info(s).into()),
        "sendmessage" => send_message(s, p),
        "sendphoto" => send_media(s, p, "photo"),
        "sendvoice" => send_media(s, p, "voice"),
        "editmessagetext" => edit_message_text(s, p),
        "editmessagereplymarkup" => edit_message_reply_markup(s, p),
        "deletemessage" => delete_message(s, p),
        "answercallbackquery" => answer_callback_query(s, p),
        "sendchataction" => {
            let chat_id = chat_id(s, p)?;
            check_chat(s, chat_id)?;
            Ok(Value::Bool(true).into())
        }
        "getchat" => {
            let chat_id = chat_id(s, p)?;
            if !s.users.contains_key(&chat_id) {
                return Err(ApiError::bad_request("chat not found"));
            }
            let mut chat = s.chat_json(chat_id);
            if let Some(map) = chat.as_object_mut() {
                map.insert("accent_color_id".to_owned(), json!(0));
                map.insert("max_reaction_count".to_owned(), json!(11));
            }
            Ok(chat.into())
        }
        "setmycommands" => set_my_commands(s, p),
        "getmycommands" => {
            let key = commands_key(p)?;
            Ok(s.commands.get(&key).cloned().unwrap_or_else(|| json!([])).into())
        }
        "deletemycommands" => {
            let key = commands_key(p)?;
            s.commands.remove(&key);
            Ok(Value::Bool(true).into())
        }
        "setchatmenubutton" => {
            let chat_id = p.i64("chat_id")?;
            let button = p.json("menu_button")?.unwrap_or_else(|| json!({ "type": "default" }));
            if button.get("type").and_then(Value::as_str).is_none() {
                return Err(ApiError::bad_request("can't parse menu button JSON object"));
            }
            s.menu_buttons.insert(chat_id, button);
            Ok(Value::Bool(true).into())
        }
        "getchatmenubutton" => {
            let chat_id = p.i64("chat_id")?;
            let button = s
                .menu_buttons
                .get(&chat_id)
                .or_else(|| s.menu_buttons.get(&None))
                .cloned()
                .unwrap_or_else(|| json!({ "type": "default" }));
            Ok(button.into())
        }
        _ => Err(ApiError::method_not_found()),
    }
}

// ----- updates and webhooks -----

fn webhook_conflict() -> ApiError {
    ApiError::new(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    )
}

fn acknowledge(s: &mut State, offset: Option<i64>) {
    match offset {
        Some(offset) if offset > 0 => s.updates.retain(|u| u.id >= offset),
        Some(offset) if offset < 0 => {
            let keep = usize::try_from(offset.unsigned_abs()).unwrap_or(usize::MAX);
            let drop = s.updates.len().saturating_sub(keep);
            s.updates.drain(..drop);
        }
        _ => {}
    }
}

/// `getUpdates` with real long polling. A newer `getUpdates` ends an older pending one with
/// 409 like Telegram (two bot instances polling).
async fn get_updates(shared: &Shared, p: &Params) -> Result<Answer, ApiError> {
    let offset = p.i64("offset")?;
    let limit = usize::try_from(p.i64("limit")?.unwrap_or(100).clamp(1, 100)).unwrap_or(100);
    let timeout = p.f64("timeout").unwrap_or(0.0).clamp(0.0, 3600.0);
    let deadline = Instant::now() + Duration::from_secs_f64(timeout);
    let generation = shared.mutate(|s| {
        if s.webhook.is_some() {
            return Err(webhook_conflict());
        }
        acknowledge(s, offset);
        s.poll_generation += 1;
        Ok(s.poll_generation)
    })?;
    let found = shared
        .wait_for(deadline, |s| {
            if s.webhook.is_some() {
                Some(Err(webhook_conflict()))
            } else if s.poll_generation != generation {
                Some(Err(ApiError::new(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                )))
            } else if s.updates.is_empty() {
                None
            } else {
                Some(Ok(s.updates.iter().take(limit).map(|u| u.json.clone()).collect::<Vec<_>>()))
            }
        })
        .await;
    match found {
        Some(updates) => updates.map(|u| Value::Array(u).into()),
        None => Ok(json!([]).into()),
    }
}

fn set_webhook(s: &mut State, p: &Params) -> Result<Answer, ApiError> {
    let url = p.str("url").unwrap_or_default();
    if url.trim().is_empty() {
        return delete_webhook(s, p);
    }
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(ApiError::bad_request("bad webhook: An HTTPS URL must be provided for webhook"));
    }
    let secret_token = p.str("secret_token").filter(|t| !t.is_empty());
    if let Some(secret) = &secret_token {
        let allowed = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
        if secret.len() > 256 || !secret.chars().all(allowed) {
            return Err(ApiError::bad_request("secret token contains unallowed characters"));
        }
    }
    let webhook = Webhook {
        url,
        secret_token,
        allowed_updates: p.json("allowed_updates")?,
        max_connections: p.i64("max_connections")?.unwrap_or(40),
    };
    if p.bool("drop_pending_updates") {
        s.updates.clear();
    }
    let description = if s.webhook.as_ref() == Some(&webhook) {
        "Webhook is already set"
    } else {
        s.webhook_last_error = None;
        "Webhook was set"
    };
    s.webhook = Some(webhook);
    Ok(Answer { result: Value::Bool(true), description: Some(description) })
}

fn delete_webhook(s: &mut State, p: &Params) -> Result<Answer, ApiError> {
    if p.bool("drop_pending_updates") {
        s.updates.clear();
    }
    let description = if s.webhook.take().is_some() { "Webhook was deleted" } else { "Webhook is already deleted" };
    s.webhook_last_error = None;
    Ok(Answer { result: Value::Bool(true), description: Some(description) })
}

fn webhook_info(s: &State) -> Value {
    let mut info = json!({
        "url": s.webhook.as_ref().map(|w| w.url.as_str()).unwrap_or(""),
        "has_custom_certificate": false,
        "pending_update_count": s.updates.len(),
    });
    if let (Some(map), Some(webhook)) = (info.as_object_mut(), &s.webhook) {
        map.insert("max_connections".to_owned(), json!(webhook.max_connections));
        if let Some(allowed) = &webhook.allowed_updates {
            map.insert("allowed_updates".to_owned(), allowed.clone());
        }
        if let Some((date, message)) = &s.webhook_last_error {
            map.insert("last_error_date".to_owned(), json!(date));
            map.insert("last_error_message".to_owned(), json!(message));
        }
    }
    info
}

// ----- messages -----

/// The `chat_id` parameter: a number, or `@username` of a registered user.
fn chat_id(s: &State, p: &Params) -> Result<i64, ApiError> {
    let Some(raw) = p.str("chat_id").filter(|c| !c.trim().is_empty()) else {
        return Err(ApiError::bad_request("chat_id is empty"));
    };
    if let Some(username) = raw.trim().strip_prefix('@') {
        return s
            .users
            .values()
            .find(|u| u.username.as_deref() == Some(username))
            .map(|u| u.id)
            .ok_or_else(|| ApiError::bad_request("chat not found"));
    }
    raw.trim().parse().map_err(|_| ApiError::bad_request("chat not found"))
}

/// The chat must belong to a registered user who did not block the bot, or be a group the bot is in.
fn check_chat(s: &State, chat_id: i64) -> Result<(), ApiError> {
    if s.groups.contains_key(&chat_id) {
        return Ok(());
    }
    if !s.users.contains_key(&chat_id) {
        return Err(ApiError::bad_request("chat not found"));
    }
    if s.is_blocked(chat_id) {
        return Err(ApiError::blocked());
    }
    Ok(())
}

fn message_id(p: &Params) -> Result<i64, ApiError> {
    p.i64("message_id")?.ok_or_else(|| ApiError::bad_request("message identifier is not specified"))
}

fn send_message(s: &mut State, p: &Params) -> Result<Answer, ApiError> {
    let chat_id = chat_id(s, p)?;
    let parse_mode = p.str("parse_mode").filter(|m| !m.is_empty());
    let raw_text = p.str("text").unwrap_or_default();
    let text = validate_text(Some(&raw_text), parse_mode.as_deref())?;
    let markup = parse_markup(p.json("reply_markup")?)?;
    check_chat(s, chat_id)?;

    let message_id = s.next_message_id(chat_id);
    let mut message = BotMessage {
        message_id,
        chat_id,
        text,
        parse_mode,
        inline_keyboard: None,
        reply_keyboard: None,
        remove_keyboard: false,
        edited: false,
        date: unix_now(),
        media: None,
    };
    let mut echo_markup = None;
    let chat = s.chat_mut(chat_id);
    match markup {
        Markup::Inline { rows, echo } => {
            message.inline_keyboard = Some(rows);
            echo_markup = Some(echo);
        }
        Markup::Reply { rows } => {
            message.reply_keyboard = Some(rows.clone());
            chat.reply_keyboard = Some(rows);
        }
        Markup::Remove => {
            message.remove_keyboard = true;
            chat.reply_keyboard = None;
        }
        Markup::ForceReply | Markup::None => {}
    }
    let stored = StoredMessage { message: message.clone(), echo_markup, edit_date: None, raw_text };
    chat.sent.push(message);
    chat.messages.push(stored.clone());
    Ok(s.message_json(&stored).into())
}

/// `sendPhoto` / `sendVoice` by file id (`kind` is `photo` or `voice`), with an optional caption of at
/// most 1024 characters. Uploads are not supported: the file must be a file id (or URL) string.
fn send_media(s: &mut State, p: &Params, kind: &str) -> Result<Answer, ApiError> {
    let chat_id = chat_id(s, p)?;
    let Some(file_id) = p.str(kind).filter(|f| !f.trim().is_empty()) else {
        return Err(ApiError::bad_request(&format!("there is no {kind} in the request")));
    };
    let caption = p.str("caption").unwrap_or_default();
    if caption.chars().count() > 1024 {
        return Err(ApiError::bad_request("message caption is too long"));
    }
    check_chat(s, chat_id)?;
    let message_id = s.next_message_id(chat_id);
    let message = BotMessage {
        message_id,
        chat_id,
        text: caption.clone(),
        parse_mode: None,
        inline_keyboard: None,
        reply_keyboard: None,
        remove_keyboard: false,
        edited: false,
        date: unix_now(),
        media: Some(crate::types::SentMedia { kind: kind.to_owned(), file_id }),
    };
    let stored = StoredMessage { message: message.clone(), echo_markup: None, edit_date: None, raw_text: caption };
    let chat = s.chat_mut(chat_id);
    chat.sent.push(message);
    chat.messages.push(stored.clone());
    Ok(s.message_json(&stored).into())
}

/// The inline keyboard of an edit: absent removes the message's keyboard (as in Telegram).
/// An edit's new inline keyboard and the markup Telegram echoes for it.
type InlineEdit = (Option<Vec<Vec<InlineButton>>>, Option<Value>);

fn edit_markup(p: &Params) -> Result<InlineEdit, ApiError> {
    match parse_markup(p.json("reply_markup")?)? {
        Markup::None => Ok((None, None)),
        Markup::Inline { rows, echo } => Ok((Some(rows), Some(echo))),
        Markup::Reply { .. } | Markup::Remove | Markup::ForceReply => {
            Err(ApiError::bad_request("inline keyboard expected"))
        }
    }
}

fn not_modified() -> ApiError {
    ApiError::bad_request(
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
    )
}

fn edited_message(
    s: &mut State,
    p: &Params,
    new_text: Option<(String, String, Option<String>)>,
) -> Result<Answer, ApiError> {
    if p.has("inline_message_id") {
        return Err(ApiError::bad_request("MESSAGE_ID_INVALID"));
    }
    let chat_id = chat_id(s, p)?;
    let message_id = message_id(p)?;
    let (keyboard, echo) = edit_markup(p)?;
    check_chat(s, chat_id)?;
    let Some(stored) = s.find_message_mut(chat_id, message_id) else {
        return Err(ApiError::bad_request("message to edit not found"));
    };
    let text_same =
        new_text.as_ref().is_none_or(|(text, raw, _)| *text == stored.message.text && *raw == stored.raw_text);
    if text_same && keyboard == stored.message.inline_keyboard {
        return Err(not_modified());
    }
    if let Some((text, raw, parse_mode)) = new_text {
        stored.message.text = text;
        stored.message.parse_mode = parse_mode;
        stored.raw_text = raw;
    }
    stored.message.inline_keyboard = keyboard;
    stored.echo_markup = echo;
    stored.message.edited = true;
    stored.edit_date = Some(unix_now());
    let stored = stored.clone();
    Ok(s.message_json(&stored).into())
}

fn edit_message_text(s: &mut State, p: &Params) -> Result<Answer, ApiError> {
    let parse_mode = p.str("parse_mode").filter(|m| !m.is_empty());
    let raw_text = p.str("text").unwrap_or_default();
    let text = validate_text(Some(&raw_text), parse_mode.as_deref())?;
    edited_message(s, p, Some((text, raw_text, parse_mode)))
}

fn edit_message_reply_markup(s: &mut State, p: &Params) -> Result<Answer, ApiError> {
    edited_message(s, p, None)
}

fn delete_message(s: &mut State, p: &Params) -> Result<Answer, ApiError> {
    let chat_id = chat_id(s, p)?;
    let message_id = message_id(p)?;
    if !s.users.contains_key(&chat_id) {
        return Err(ApiError::bad_request("chat not found"));
    }
    let chat = s.chat_mut(chat_id);
    let before = chat.messages.len();
    chat.messages.retain(|m| m.message.message_id != message_id);
    if chat.messages.len() == before {
        return Err(ApiError::bad_request("message to delete not found"));
    }
    Ok(Value::Bool(true).into())
}

fn answer_callback_query(s: &mut State, p: &Params) -> Result<Answer, ApiError> {
    let id = p.str("callback_query_id").unwrap_or_default();
    match s.callbacks.get_mut(&id) {
        Some(answered @ false) => {
            *answered = true;
            s.answered.push(AnsweredCallback {
                id,
                text: p.str("text").filter(|t| !t.is_empty()),
                show_alert: p.bool("show_alert"),
            });
            Ok(Value::Bool(true).into())
        }
        _ => Err(ApiError::bad_request("query is too old and response timeout expired or query ID is invalid")),
    }
}

// ----- commands -----

fn commands_key(p: &Params) -> Result<(String, String), ApiError> {
    let scope = match p.json("scope")? {
        None => "default".to_owned(),
        Some(scope) => {
            let kind = scope
                .get("type")
                .and_then(Value::as_str)
                .ok_or_else(|| ApiError::bad_request("can't parse BotCommandScope JSON object"))?;
            match scope.get("chat_id") {
                Some(chat) => format!("{kind}:{chat}"),
                None => kind.to_owned(),
            }
        }
    };
    Ok((scope, p.str("language_code").unwrap_or_default()))
}

fn set_my_commands(s: &mut State, p: &Params) -> Result<Answer, ApiError> {
    let commands = p.json("commands")?.unwrap_or_else(|| json!([]));
    let Some(list) = commands.as_array() else {
        return Err(ApiError::bad_request("can't parse commands JSON object"));
    };
    if list.len() > 100 {
        return Err(ApiError::bad_request("too many commands"));
    }
    for command in list {
        let name = command.get("command").and_then(Value::as_str).unwrap_or("");
        let name = name.strip_prefix('/').unwrap_or(name);
        let valid_name = (1..=32).contains(&name.len())
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid_name {
            return Err(ApiError::bad_request("BOT_COMMAND_INVALID"));
        }
        let description = command.get("description").and_then(Value::as_str).unwrap_or("");
        if !(1..=256).contains(&description.chars().count()) {
            return Err(ApiError::bad_request("BOT_COMMAND_DESCRIPTION_INVALID"));
        }
    }
    let key = commands_key(p)?;
    if list.is_empty() {
        s.commands.remove(&key);
    } else {
        s.commands.insert(key, commands);
    }
    Ok(Value::Bool(true).into())
}
