//! The test's side: acting as clients (messages, contacts, button presses), observing what the
//! bot did, and injecting faults.

use std::time::Duration;

use serde_json::{Map, Value, json};
use tokio::time::Instant;

use crate::FakeTelegram;
use crate::methods;
use crate::state::{StandingFault, State, unix_now};
use crate::types::{AnsweredCallback, BotMessage, Fault, RecordedCall, ReplyButton, TgUser};

impl FakeTelegram {
    // ----- clients -----

    /// Registers a client (a Telegram user whose private chat with the bot has the same id)
    /// and returns its handle.
    pub fn user(&self, id: i64, first_name: &str, language_code: Option<&str>) -> TgUser {
        let mut user = TgUser::new(id, first_name);
        user.language_code = language_code.map(str::to_owned);
        self.register(user)
    }

    /// Registers (or updates) a client built with [`TgUser::new`] and the `with_*` methods.
    pub fn register(&self, user: TgUser) -> TgUser {
        self.shared.mutate(|s| {
            s.users.insert(user.id, user.clone());
            s.chat_mut(user.id);
        });
        user
    }

    /// Queues a `message` update from a client with `text`. A leading `/command` gets its
    /// `bot_command` entity. Returns the update id.
    pub fn send_text(&self, user: &TgUser, text: &str) -> i64 {
        let mut fields = Map::new();
        fields.insert("text".to_owned(), Value::from(text));
        if text.starts_with('/') {
            let command = text.split_whitespace().next().unwrap_or(text);
            fields.insert(
                "entities".to_owned(),
                json!([{ "type": "bot_command", "offset": 0, "length": command.encode_utf16().count() }]),
            );
        }
        self.queue_client_message(user, fields)
    }

    /// Queues a `message` update with a shared contact (what a `request_contact` button sends):
    /// `contact {phone_number, first_name, user_id}` and no text. `own`: the client's own number
    /// (`user_id` is the client's id); otherwise someone else's. Returns the update id.
    pub fn share_contact(&self, user: &TgUser, phone_number: &str, own: bool) -> i64 {
        let contact = if own {
            let mut contact = json!({
                "phone_number": phone_number,
                "first_name": user.first_name,
                "user_id": user.id,
            });
            if let (Some(map), Some(last)) = (contact.as_object_mut(), &user.last_name) {
                map.insert("last_name".to_owned(), Value::from(last.as_str()));
            }
            contact
        } else {
            json!({
                "phone_number": phone_number,
                "first_name": "Contact",
                "user_id": user.id.wrapping_add(1_000_000_007),
            })
        };
        let mut fields = Map::new();
        fields.insert("contact".to_owned(), contact);
        self.queue_client_message(user, fields)
    }

    /// Queues a sticker message (a kind the bot does not support). Returns the update id.
    pub fn send_sticker(&self, user: &TgUser) -> i64 {
        let mut fields = Map::new();
        fields.insert(
            "sticker".to_owned(),
            json!({
                "file_id": "CAACAgIAAxkBAAEBfakeStickerFileId",
                "file_unique_id": "AgADfakeSticker",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": false,
                "is_video": false,
                "emoji": "👍",
                "set_name": "zapys_fake",
                "file_size": 24_000,
            }),
        );
        self.queue_client_message(user, fields)
    }

    /// Queues a photo message without caption (a kind the bot does not support). Returns the
    /// update id.
    pub fn send_photo(&self, user: &TgUser) -> i64 {
        let mut fields = Map::new();
        fields.insert(
            "photo".to_owned(),
            json!([
                { "file_id": "AgACAgIAAxkBAAEBfakePhotoSmall", "file_unique_id": "AQADfakeS", "width": 90, "height": 67, "file_size": 1_200 },
                { "file_id": "AgACAgIAAxkBAAEBfakePhotoLarge", "file_unique_id": "AQADfakeL", "width": 1280, "height": 960, "file_size": 98_000 },
            ]),
        );
        self.queue_client_message(user, fields)
    }

    /// Queues a photo message with a caption. Returns the update id.
    pub fn send_photo_with_caption(&self, user: &TgUser, file_id: &str, caption: &str) -> i64 {
        let mut fields = Map::new();
        fields.insert(
            "photo".to_owned(),
            json!([
                { "file_id": format!("{file_id}-small"), "file_unique_id": "AQADs", "width": 90, "height": 67 },
                { "file_id": file_id, "file_unique_id": "AQADl", "width": 1280, "height": 960 },
            ]),
        );
        fields.insert("caption".to_owned(), Value::from(caption));
        self.queue_client_message(user, fields)
    }

    /// Queues a voice note. Returns the update id.
    pub fn send_voice(&self, user: &TgUser, file_id: &str) -> i64 {
        let mut fields = Map::new();
        fields.insert(
            "voice".to_owned(),
            json!({ "file_id": file_id, "file_unique_id": "AwADv", "duration": 3, "mime_type": "audio/ogg" }),
        );
        self.queue_client_message(user, fields)
    }

    // ----- a group chat (the business chat) -----

    /// Adds the bot to a group chat (a supergroup) with this id, which the bot may then send to.
    pub fn group(&self, chat_id: i64, title: &str) {
        self.shared.mutate(|s| {
            s.groups.insert(chat_id, title.to_owned());
            s.chat_mut(chat_id);
        });
    }

    /// Queues a text message written by `user` in the group; with `reply_to`, a reply to the bot's
    /// message with that id there (`reply_to_message` holds it, as Telegram sends it). Returns the
    /// update id.
    ///
    /// # Panics
    /// When `reply_to` names no bot message of the group.
    pub fn send_in_group(&self, chat_id: i64, user: &TgUser, text: &str, reply_to: Option<i64>) -> i64 {
        self.shared.mutate(|s| {
            s.users.insert(user.id, user.clone());
            let replied = reply_to.map(|id| {
                let stored = s.find_message(chat_id, id).unwrap_or_else(|| panic!("no bot message {id} in {chat_id}"));
                s.message_json(stored)
            });
            let message_id = s.next_message_id(chat_id);
            let mut message = Map::new();
            message.insert("message_id".to_owned(), Value::from(message_id));
            message.insert("from".to_owned(), user.user_json());
            message.insert("chat".to_owned(), s.chat_json(chat_id));
            message.insert("date".to_owned(), Value::from(unix_now()));
            message.insert("text".to_owned(), Value::from(text));
            if let Some(replied) = replied {
                message.insert("reply_to_message".to_owned(), replied);
            }
            s.queue_update("message", Value::Object(message))
        })
    }

    fn queue_client_message(&self, user: &TgUser, fields: Map<String, Value>) -> i64 {
        self.shared.mutate(|s| {
            s.users.insert(user.id, user.clone());
            let message_id = s.next_message_id(user.id);
            let mut message = Map::new();
            message.insert("message_id".to_owned(), Value::from(message_id));
            message.insert("from".to_owned(), user.user_json());
            message.insert("chat".to_owned(), user.chat_json());
            message.insert("date".to_owned(), Value::from(unix_now()));
            message.extend(fields);
            s.queue_update("message", Value::Object(message))
        })
    }

    /// Presses an inline button: queues a `callback_query` with `data`, whose `message` is the
    /// bot's message `message_id` as it is now (edits applied). Returns the query id, which
    /// the bot must answer once with `answerCallbackQuery`.
    ///
    /// The data is not checked against the message's buttons (so tests can press stale or
    /// forged data); use [`FakeTelegram::press_last_inline`] to press a shown button by label.
    ///
    /// # Panics
    /// When the chat has no bot message `message_id` (a client cannot press it).
    pub fn press_inline(&self, user: &TgUser, message_id: i64, data: &str) -> String {
        let pressed = self.shared.mutate(|s| {
            s.users.insert(user.id, user.clone());
            let message = s.find_message(user.id, message_id).map(|stored| s.message_json(stored))?;
            let seq = s.next_callback_seq;
            s.next_callback_seq += 1;
            let id = format!("{}{:06}", user.id.unsigned_abs(), seq);
            s.callbacks.insert(id.clone(), false);
            s.queue_update(
                "callback_query",
                json!({
                    "id": id,
                    "from": user.user_json(),
                    "message": message,
                    "chat_instance": format!("{}", 6_000_000_000_000_000_000_i64.wrapping_add(user.id)),
                    "data": data,
                }),
            );
            Some(id)
        });
        pressed.unwrap_or_else(|| panic!("press_inline: chat {} has no bot message {message_id}", user.id))
    }

    /// Presses the inline button labelled `text` on the newest bot message in the client's
    /// chat that has one. Returns the callback query id, or an error listing the buttons shown.
    pub fn press_last_inline(&self, user: &TgUser, text: &str) -> Result<String, String> {
        let found = self.shared.read(|s| {
            let chat = s.chat(user.id);
            let target = chat.iter().rev().find_map(|m| {
                m.inline_buttons()
                    .find(|b| b.text == text && b.callback_data.is_some())
                    .and_then(|b| b.callback_data.clone())
                    .map(|data| (m.message_id, data))
            });
            target.ok_or_else(|| {
                let shown: Vec<String> = chat
                    .iter()
                    .filter(|m| m.inline_keyboard.is_some())
                    .map(|m| format!("message {}: {:?}", m.message_id, m.inline_labels()))
                    .collect();
                format!("no inline button {text:?} in chat {}; inline buttons shown: [{}]", user.id, shown.join("; "))
            })
        })?;
        Ok(self.press_inline(user, found.0, &found.1))
    }

    /// Presses a button of the reply keyboard the client shows now: sends its label as a text
    /// message, or shares the client's own contact for a `request_contact` button
    /// ([`TgUser::phone_or_default`]). Errors when the keyboard lacks it, listing its buttons.
    pub fn press_reply_button(&self, user: &TgUser, text: &str) -> Result<(), String> {
        let button = self.shared.read(|s| {
            let keyboard = s.reply_keyboard(user.id);
            keyboard.into_iter().flatten().flatten().find(|b| b.text == text).cloned().ok_or_else(|| match keyboard {
                None => format!("chat {} shows no reply keyboard (pressing {text:?})", user.id),
                Some(rows) => format!(
                    "no reply button {text:?} in chat {}; reply keyboard: {:?}",
                    user.id,
                    rows.iter().map(|row| row.iter().map(|b| b.text.as_str()).collect::<Vec<_>>()).collect::<Vec<_>>()
                ),
            })
        })?;
        if button.request_contact {
            self.share_contact(user, &user.phone_or_default(), true);
        } else {
            self.send_text(user, &button.text);
        }
        Ok(())
    }

    /// Marks that the client blocked the bot: sends to them answer 403
    /// `Forbidden: bot was blocked by the user`, and a `my_chat_member` update (status
    /// `kicked`) is queued as Telegram does.
    pub fn block(&self, user: &TgUser) {
        self.set_blocked(user, true);
    }

    /// The client unblocked the bot (a `my_chat_member` update with status `member`).
    pub fn unblock(&self, user: &TgUser) {
        self.set_blocked(user, false);
    }

    fn set_blocked(&self, user: &TgUser, blocked: bool) {
        self.shared.mutate(|s| {
            s.users.insert(user.id, user.clone());
            s.chat_mut(user.id).blocked = blocked;
            let (old, new) = if blocked {
                ("member", json!({ "status": "kicked", "user": s.bot, "until_date": 0 }))
            } else {
                ("kicked", json!({ "status": "member", "user": s.bot }))
            };
            let update = json!({
                "chat": user.chat_json(),
                "from": user.user_json(),
                "date": unix_now(),
                "old_chat_member": { "status": old, "user": s.bot },
                "new_chat_member": new,
            });
            s.queue_update("my_chat_member", update);
        });
    }

    // ----- observing the bot -----

    /// The next message the bot sends to the client's chat (`sendMessage`), as sent, waiting up
    /// to `timeout`. Each chat has a cursor: every message is returned once, in order.
    pub async fn wait_for_message(&self, user: &TgUser, timeout: Duration) -> Option<BotMessage> {
        let deadline = Instant::now() + timeout;
        self.shared
            .wait_for(deadline, |s| {
                let chat = s.chats.get_mut(&user.id)?;
                let message = chat.sent.get(chat.cursor)?.clone();
                chat.cursor += 1;
                Some(message)
            })
            .await
    }

    /// The messages sent to the client's chat since the last `wait_for_message` /
    /// `take_messages`, without waiting (advances the cursor).
    pub fn take_messages(&self, user: &TgUser) -> Vec<BotMessage> {
        self.shared.mutate_quietly(|s| {
            let chat = s.chat_mut(user.id);
            let new = chat.sent[chat.cursor.min(chat.sent.len())..].to_vec();
            chat.cursor = chat.sent.len();
            new
        })
    }

    /// Waits until `predicate` holds on the recorded state (re-checked after every change),
    /// up to `timeout`. Returns whether it held.
    pub async fn wait_until(&self, predicate: impl Fn(&State) -> bool, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        self.shared.wait_for(deadline, |s| predicate(s).then_some(())).await.is_some()
    }

    /// Reads the recorded state.
    pub fn with_state<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        self.shared.read(f)
    }

    /// The bot's messages in the client's chat as they are now (edits applied, deleted ones
    /// removed).
    pub fn chat(&self, user: &TgUser) -> Vec<BotMessage> {
        self.shared.read(|s| s.chat(user.id))
    }

    /// The newest bot message in the client's chat as it is now.
    pub fn last_message(&self, user: &TgUser) -> Option<BotMessage> {
        self.shared.read(|s| s.last_message(user.id))
    }

    /// The reply keyboard the client shows now (the last one sent, until removed).
    pub fn reply_keyboard(&self, user: &TgUser) -> Option<Vec<Vec<ReplyButton>>> {
        self.shared.read(|s| s.reply_keyboard(user.id).cloned())
    }

    /// Every request the bot made, in the order they were answered.
    pub fn calls(&self) -> Vec<RecordedCall> {
        self.shared.read(|s| s.calls().to_vec())
    }

    /// The requests of one method (case-insensitive).
    pub fn calls_of(&self, method: &str) -> Vec<RecordedCall> {
        self.shared.read(|s| s.calls_of(method).cloned().collect())
    }

    /// The callback queries the bot answered: `(id, text)`, in order.
    pub fn answered_callbacks(&self) -> Vec<(String, Option<String>)> {
        self.shared.read(|s| s.answered_callbacks().iter().map(|a| (a.id.clone(), a.text.clone())).collect())
    }

    /// The callback queries the bot answered, with `show_alert`.
    pub fn answered_callbacks_full(&self) -> Vec<AnsweredCallback> {
        self.shared.read(|s| s.answered_callbacks().to_vec())
    }

    /// Updates not yet acknowledged (polling) or delivered (webhook), oldest first.
    pub fn pending_updates(&self) -> Vec<Value> {
        self.shared.read(State::pending_updates)
    }

    // ----- faults -----

    /// Makes the next call of `method` (case-insensitive) fail with `fault` (or stall first,
    /// for [`Fault::Stall`]). Faults queue up per method. A failed call has no effect.
    ///
    /// # Panics
    /// When the fake does not implement `method` (a typo would never fire).
    pub fn fail_next(&self, method: &str, fault: Fault) {
        let method = known_method(method);
        self.shared.mutate(|s| s.faults.entry(method).or_default().push_back(fault));
    }

    /// A standing fault: every `every_nth` call of `method` fails with `fault` (for soak
    /// tests), until [`FakeTelegram::clear_faults`]. Replaces an earlier standing fault of the
    /// method.
    ///
    /// # Panics
    /// When the fake does not implement `method`.
    pub fn fail_every(&self, method: &str, fault: Fault, every_nth: u32) {
        let method = known_method(method);
        self.shared.mutate(|s| {
            s.standing_faults.insert(method, StandingFault { fault, every_nth: every_nth.max(1), count: 0 });
        });
    }

    /// The same as [`FakeTelegram::fail_every`] (the name used in the original brief).
    pub fn fail_share(&self, method: &str, fault: Fault, every_nth: u32) {
        self.fail_every(method, fault, every_nth);
    }

    /// Removes all queued and standing faults.
    pub fn clear_faults(&self) {
        self.shared.mutate(|s| {
            s.faults.clear();
            s.standing_faults.clear();
        });
    }
}

fn known_method(method: &str) -> String {
    let method = method.to_ascii_lowercase();
    assert!(methods::is_known(&method), "the fake Telegram server does not implement {method:?}");
    method
}
