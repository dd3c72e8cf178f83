//! Public value types: the clients a test plays, the bot's messages as recorded, faults and calls.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A Telegram user (a client of the booking system) that the test acts as.
///
/// The user's private chat with the bot has the same id as the user, as in Telegram.
/// Build one with [`crate::FakeTelegram::user`] (which also registers it) or with
/// [`TgUser::new`] and the `with_*` methods, then [`crate::FakeTelegram::register`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TgUser {
    /// The user id, also the id of the private chat with the bot.
    pub id: i64,
    /// The first name Telegram shows (and sends in `from` and `chat`).
    pub first_name: String,
    /// The optional last name.
    pub last_name: Option<String>,
    /// The optional `@username` (without the `@`).
    pub username: Option<String>,
    /// The IETF language tag of the user's Telegram client (`"uk"`, `"en"`), if any.
    pub language_code: Option<String>,
    /// The phone number shared when the user presses a `request_contact` reply button.
    /// When `None`, a number derived from the id is used (`+38050` followed by 7 digits).
    pub phone: Option<String>,
}

impl TgUser {
    /// A user with just an id and a first name.
    pub fn new(id: i64, first_name: impl Into<String>) -> Self {
        Self { id, first_name: first_name.into(), last_name: None, username: None, language_code: None, phone: None }
    }

    /// Sets the client's language tag.
    #[must_use]
    pub fn with_language(mut self, language_code: impl Into<String>) -> Self {
        self.language_code = Some(language_code.into());
        self
    }

    /// Sets the `@username` (without the `@`).
    #[must_use]
    pub fn with_username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// Sets the last name.
    #[must_use]
    pub fn with_last_name(mut self, last_name: impl Into<String>) -> Self {
        self.last_name = Some(last_name.into());
        self
    }

    /// Sets the phone number shared through a `request_contact` button.
    #[must_use]
    pub fn with_phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }

    /// The id of the user's private chat with the bot (equal to the user id).
    pub fn chat_id(&self) -> i64 {
        self.id
    }

    /// The phone number this user shares through a `request_contact` button.
    pub fn phone_or_default(&self) -> String {
        self.phone.clone().unwrap_or_else(|| format!("+38050{:07}", self.id.rem_euclid(10_000_000)))
    }

    /// The user as a Bot API `User` object.
    pub fn user_json(&self) -> Value {
        let mut user = json!({ "id": self.id, "is_bot": false, "first_name": self.first_name });
        insert_opt(&mut user, "last_name", self.last_name.as_deref());
        insert_opt(&mut user, "username", self.username.as_deref());
        insert_opt(&mut user, "language_code", self.language_code.as_deref());
        user
    }

    /// The user's private chat as a Bot API `Chat` object.
    pub fn chat_json(&self) -> Value {
        let mut chat = json!({ "id": self.id, "type": "private", "first_name": self.first_name });
        insert_opt(&mut chat, "last_name", self.last_name.as_deref());
        insert_opt(&mut chat, "username", self.username.as_deref());
        chat
    }
}

fn insert_opt(object: &mut Value, key: &str, value: Option<&str>) {
    if let (Some(map), Some(value)) = (object.as_object_mut(), value) {
        map.insert(key.to_owned(), Value::from(value));
    }
}

/// One button of an inline keyboard, as the bot sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineButton {
    /// The label.
    pub text: String,
    /// The data sent back in a callback query when pressed (`None` for URL and other buttons).
    pub callback_data: Option<String>,
    /// The URL opened by a URL button.
    pub url: Option<String>,
}

/// One button of a reply keyboard (the keyboard that replaces the client's text keyboard).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyButton {
    /// The label, sent as a text message when pressed.
    pub text: String,
    /// Pressing shares the user's phone number (a `contact` message) instead of sending the text.
    pub request_contact: bool,
}

/// A message the bot sent (`sendMessage`), as recorded by the fake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotMessage {
    /// The id, increasing per chat (shared with the client's own messages, as in Telegram).
    pub message_id: i64,
    /// The chat it was sent to.
    pub chat_id: i64,
    /// The text as the client sees it (HTML tags and MarkdownV2 markup removed).
    pub text: String,
    /// The `parse_mode` the bot used, if any.
    pub parse_mode: Option<String>,
    /// The inline keyboard attached to the message (editable later).
    pub inline_keyboard: Option<Vec<Vec<InlineButton>>>,
    /// The reply keyboard this message showed (it stays in the client until removed).
    pub reply_keyboard: Option<Vec<Vec<ReplyButton>>>,
    /// This message removed the reply keyboard (`ReplyKeyboardRemove`).
    pub remove_keyboard: bool,
    /// The message was edited (`editMessageText` / `editMessageReplyMarkup`) since it was sent.
    pub edited: bool,
    /// Unix seconds when it was sent.
    pub date: i64,
    /// A photo or voice note sent by file id (`sendPhoto`, `sendVoice`); `text` is then its caption.
    pub media: Option<SentMedia>,
}

/// A photo or voice note the bot sent by Telegram file id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMedia {
    /// `photo` or `voice`.
    pub kind: String,
    pub file_id: String,
}

impl BotMessage {
    /// All inline buttons, row by row.
    pub fn inline_buttons(&self) -> impl Iterator<Item = &InlineButton> {
        self.inline_keyboard.iter().flatten().flatten()
    }

    /// The inline button with this exact label.
    pub fn inline_button(&self, text: &str) -> Option<&InlineButton> {
        self.inline_buttons().find(|b| b.text == text)
    }

    /// The labels of all inline buttons, row by row.
    pub fn inline_labels(&self) -> Vec<String> {
        self.inline_buttons().map(|b| b.text.clone()).collect()
    }

    /// The labels of all reply keyboard buttons this message showed, row by row.
    pub fn reply_labels(&self) -> Vec<String> {
        self.reply_keyboard.iter().flatten().flatten().map(|b| b.text.clone()).collect()
    }
}

/// A fault the fake injects instead of (or before) answering a Bot API call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// 429 `Too Many Requests: retry after N` with `parameters.retry_after`.
    TooManyRequests {
        /// Seconds the bot must wait.
        retry_after: u32,
    },
    /// 502 `Bad Gateway`, what Telegram answers when it is overloaded or restarting.
    ServerError,
    /// 500 `Internal Server Error`.
    InternalError,
    /// Delay the answer by this long, then answer normally (the call takes effect).
    Stall(Duration),
    /// Any other error answer, e.g. `Fault::Error { code: 403, description: "Forbidden: user is deactivated".into() }`.
    Error {
        /// HTTP status and `error_code`.
        code: u16,
        /// The `description`.
        description: String,
    },
}

/// One request the bot made to the fake, recorded when it was answered.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedCall {
    /// The method name, lowercased (`"sendmessage"`).
    pub method: String,
    /// The parameters, merged from the query string and the body (form values that hold JSON
    /// objects or arrays, like `reply_markup`, are parsed).
    pub params: Value,
    /// The HTTP status answered (200, 400, 429, ...).
    pub status: u16,
    /// The error `description`, when the answer was an error.
    pub description: Option<String>,
    /// The answer was an injected [`Fault`] (not counting [`Fault::Stall`]).
    pub faulted: bool,
    /// When the request arrived.
    pub at: Instant,
}

impl RecordedCall {
    /// Whether this call is of `method` (compared case-insensitively).
    pub fn is(&self, method: &str) -> bool {
        self.method.eq_ignore_ascii_case(method)
    }

    /// Whether the answer was `ok: true`.
    pub fn ok(&self) -> bool {
        self.status == 200
    }
}

/// A callback query the bot answered with `answerCallbackQuery`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnsweredCallback {
    /// The callback query id.
    pub id: String,
    /// The notification text, if any.
    pub text: Option<String>,
    /// Shown as an alert rather than a toast.
    pub show_alert: bool,
}
