//! Telegram's updates into the conversation's events, and its replies into Bot API parameters.

use serde_json::{Value, json};
use zapys_bot::{BusinessMessage, Event, Incoming, Keyboard, Message, Relay, SupportMedia};

use crate::types::Update;

/// What an update asks of the bot: the event, and the callback query to answer, if any.
pub struct Translated {
    pub incoming: Incoming,
    pub callback_id: Option<String>,
}

/// Translates an update from a private chat; group chats and other kinds are ignored.
pub fn incoming(update: &Update) -> Option<Translated> {
    if let Some(query) = &update.callback_query {
        let private = query.message.as_ref().is_none_or(|m| m.chat.kind == "private");
        let event = Event::Button {
            data: query.data.clone().unwrap_or_default(),
            message_id: query.message.as_ref().map(|m| m.message_id),
        };
        let incoming = Incoming {
            chat_id: if private { query.from.id } else { 0 },
            language_code: query.from.language_code.clone(),
            event,
        };
        return Some(Translated { incoming, callback_id: Some(query.id.clone()) });
    }
    let message = update.message.as_ref()?;
    if message.chat.kind != "private" || message.from.as_ref().is_some_and(|f| f.is_bot) {
        return None;
    }
    let sender = message.from.as_ref().map(|f| f.id);
    let event = if let Some(contact) = &message.contact {
        Event::Contact {
            phone: contact.phone_number.clone(),
            own: contact.user_id.is_some() && contact.user_id == sender,
        }
    } else {
        content(message)
    };
    let language_code = message.from.as_ref().and_then(|f| f.language_code.clone());
    Some(Translated { incoming: Incoming { chat_id: message.chat.id, language_code, event }, callback_id: None })
}

/// What a message says: text, a photo (its largest size) with its caption, a voice note, or other.
fn content(message: &crate::types::Message) -> Event {
    if let Some(text) = &message.text {
        Event::Text(text.clone())
    } else if let Some(largest) = message.photo.as_ref().and_then(|sizes| sizes.last()) {
        Event::Photo { file_id: largest.file_id.clone(), caption: message.caption.clone() }
    } else if let Some(voice) = &message.voice {
        Event::Voice { file_id: voice.file_id.clone(), caption: message.caption.clone() }
    } else {
        Event::Other
    }
}

// --- support ---

/// A message written in the business chat by a person (not a bot), if the update is one.
pub fn business(update: &Update, business_chat: i64) -> Option<BusinessMessage> {
    let message = update.message.as_ref()?;
    if message.chat.id != business_chat || message.from.as_ref().is_some_and(|f| f.is_bot) {
        return None;
    }
    // An owner whose business chat is their own private chat still uses the bot there as anyone
    // does: only their replies (to a relayed message) are the business's.
    if message.chat.id > 0 && message.reply_to_message.is_none() {
        return None;
    }
    Some(BusinessMessage {
        chat_id: business_chat,
        reply_to: message.reply_to_message.as_ref().map(|m| m.message_id),
        author: message.from.as_ref().and_then(|f| f.first_name.clone()),
        event: content(message),
    })
}

/// The Bot API call that relays a support message: `sendMessage`, or `sendPhoto` / `sendVoice`
/// by file id with the text as the caption.
pub fn relay(chat_id: i64, relay: &Relay) -> (&'static str, Value) {
    let (method, field) = match &relay.media {
        None => return ("sendMessage", json!({ "chat_id": chat_id, "text": relay.text })),
        Some(SupportMedia::Photo { .. }) => ("sendPhoto", "photo"),
        Some(SupportMedia::Voice { .. }) => ("sendVoice", "voice"),
    };
    let mut params = json!({ "chat_id": chat_id, field: relay.media.as_ref().map(SupportMedia::file_id) });
    if !relay.text.is_empty() {
        params["caption"] = json!(relay.text);
    }
    (method, params)
}

/// `reply_markup` for a message, if it has a keyboard.
pub fn markup(keyboard: &Keyboard) -> Option<Value> {
    match keyboard {
        Keyboard::None => None,
        Keyboard::Inline(rows) => Some(json!({ "inline_keyboard": rows })),
        Keyboard::Reply(rows) => {
            let asks_contact = rows.iter().flatten().any(|b| b.request_contact);
            let rows: Vec<Vec<Value>> = rows
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|b| {
                            if b.request_contact {
                                json!({"text": b.text, "request_contact": true})
                            } else {
                                json!({"text": b.text})
                            }
                        })
                        .collect()
                })
                .collect();
            Some(json!({
                "keyboard": rows,
                "resize_keyboard": true,
                "is_persistent": !asks_contact,
                "one_time_keyboard": asks_contact,
            }))
        }
        Keyboard::Remove => Some(json!({ "remove_keyboard": true })),
    }
}

pub fn send_message(chat_id: i64, message: &Message) -> Value {
    let mut params = json!({ "chat_id": chat_id, "text": message.text });
    if let Some(markup) = markup(&message.keyboard) {
        params["reply_markup"] = markup;
    }
    params
}

/// `editMessageText` parameters; only inline keyboards can be edited in.
pub fn edit_message(chat_id: i64, message_id: i64, message: &Message) -> Value {
    let mut params = json!({ "chat_id": chat_id, "message_id": message_id, "text": message.text });
    if let Keyboard::Inline(_) = message.keyboard {
        params["reply_markup"] = markup(&message.keyboard).unwrap_or(Value::Null);
    }
    params
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(chat: i64, reply_to: Option<i64>) -> Update {
        let mut message = serde_json::json!({
            "message_id": 7, "date": 0, "chat": {"id": chat, "type": if chat > 0 { "private" } else { "group" }},
            "from": {"id": 42, "is_bot": false, "first_name": "Оксана"}, "text": "Так, чекаємо"
        });
        if let Some(id) = reply_to {
            message["reply_to_message"] =
                serde_json::json!({"message_id": id, "date": 0, "chat": {"id": chat, "type": "private"}});
        }
        serde_json::from_value(serde_json::json!({"update_id": 1, "message": message})).expect("an update")
    }

    #[test]
    fn a_group_business_chat_is_the_business_s_whatever_is_written() {
        assert!(business(&update(-1_005, None), -1_005).is_some());
        assert_eq!(business(&update(-1_005, Some(3)), -1_005).and_then(|m| m.reply_to), Some(3));
        assert!(business(&update(-1_006, Some(3)), -1_005).is_none(), "another chat");
    }

    #[test]
    fn an_owner_s_private_business_chat_still_talks_to_the_bot_except_for_replies() {
        assert!(business(&update(42, None), 42).is_none(), "/start, the menu and booking go to the conversation");
        assert_eq!(business(&update(42, Some(3)), 42).and_then(|m| m.reply_to), Some(3));
    }
}
