//! The Zapys client bot's conversation.
//!
//! [`Bot::handle`] takes what a client did ([`Incoming`]) and answers what the
//! bot says ([`Reply`]), moving the chat's saved [`State`] along. It knows no
//! network: the Telegram transport and the web simulator both drive it, and
//! tests drive it directly against a temporary database.
//!
//! Inline buttons carry compact [`callback::Action`]s and are never trusted:
//! every press is checked against the current data (the booking belongs to
//! this client, the time is still free, the service is still offered, the
//! staff member named still performs it and is not hidden).

pub mod callback;
mod comeback;
mod conversation;
pub mod deep_link;
pub mod notices;
pub mod reply;
pub mod texts;
pub mod view;
// --- waitlist ---
pub mod waitlist;

pub use conversation::{Bot, State};
pub use deep_link::StartLink;
// --- support ---
pub use conversation::support::{BusinessMessage, Relay, RenderedRelay, render as render_support};
pub use reply::{Event, Incoming, InlineButton, Keyboard, Message, Reply, ReplyButton};
pub use zapys_store::SupportMedia;
