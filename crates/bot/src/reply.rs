//! What comes in from a transport, and what the bot answers, in terms no
//! transport owns: Telegram and the web simulator both translate these.

use serde::Serialize;

/// Something a client did in their chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// The private chat, which is also the client's Telegram user id.
    pub chat_id: i64,
    /// The client's Telegram language (`uk`, `en-GB`, ...), if known.
    pub language_code: Option<String>,
    pub event: Event,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A text message; commands (`/start`) and reply-keyboard buttons arrive this way.
    Text(String),
    /// A shared contact; `own` when it is the sender's own number.
    Contact { phone: String, own: bool },
    /// An inline button press: its data, and the message it was on.
    Button { data: String, message_id: Option<i64> },
    /// Anything else: a sticker, a video, a document...
    Other,
    // --- support ---
    /// A photo (its largest size, by Telegram file id) with its caption.
    Photo { file_id: String, caption: Option<String> },
    /// A voice note, by Telegram file id, with its caption.
    Voice { file_id: String, caption: Option<String> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InlineButton {
    pub text: String,
    pub callback_data: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplyButton {
    pub text: String,
    pub request_contact: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keyboard {
    None,
    Inline(Vec<Vec<InlineButton>>),
    /// A keyboard under the input field that stays until replaced or removed.
    Reply(Vec<Vec<ReplyButton>>),
    Remove,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub keyboard: Keyboard,
}

impl Message {
    pub fn text(text: impl Into<String>) -> Self {
        Self { text: text.into(), keyboard: Keyboard::None }
    }

    pub fn inline(text: impl Into<String>, rows: Vec<Vec<InlineButton>>) -> Self {
        Self { text: text.into(), keyboard: Keyboard::Inline(rows) }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// A new message in the client's chat.
    Send(Message),
    /// Replace the message whose button was pressed (text and inline keyboard).
    Edit { message_id: i64, message: Message },
    /// A short notice shown on the pressed button.
    Toast(String),
}
