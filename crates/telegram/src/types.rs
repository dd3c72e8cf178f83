//! The parts of Telegram's objects the bot reads. Unknown fields are ignored;
//! optional ones are optional, so a strange update is skipped, never fatal.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Update {
    pub update_id: i64,
    pub message: Option<Message>,
    pub callback_query: Option<CallbackQuery>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub id: i64,
    #[serde(default)]
    pub is_bot: bool,
    pub first_name: Option<String>,
    pub username: Option<String>,
    pub language_code: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Chat {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Contact {
    pub phone_number: String,
    pub user_id: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Message {
    pub message_id: i64,
    pub chat: Chat,
    pub from: Option<User>,
    pub text: Option<String>,
    pub contact: Option<Contact>,
    // --- support ---
    /// Sizes of one photo, smallest first.
    pub photo: Option<Vec<FileRef>>,
    pub voice: Option<FileRef>,
    pub caption: Option<String>,
    /// The message this one replies to (in the business chat: a relayed client's message).
    pub reply_to_message: Option<Box<Message>>,
}

/// A file Telegram keeps (a photo size, a voice note), by the id the bot can send it again with.
#[derive(Debug, Clone, Deserialize)]
pub struct FileRef {
    pub file_id: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CallbackQuery {
    pub id: String,
    pub from: User,
    pub message: Option<Message>,
    pub data: Option<String>,
}
