//! The Telegram transport of the Zapys bot.
//!
//! It translates Telegram updates into the conversation's [`Incoming`] events
//! and the conversation's [`Reply`]s into Bot API calls, and nothing else: the
//! conversation itself lives in `zapys-bot`. Updates arrive by long polling or
//! by webhook; either way each chat's updates are answered in order, and
//! different chats are answered concurrently.
//!
//! A thin client over `reqwest` rather than teloxide: the bot needs ten
//! methods, explicit control of `retry_after` and of "message is not
//! modified", and a base URL that tests point at a fake server.

mod api;
mod dispatch;
mod translate;
mod types;

pub use api::{BotApi, TelegramError};
pub use dispatch::{Telegram, WebhookTarget};
pub use types::Update;
