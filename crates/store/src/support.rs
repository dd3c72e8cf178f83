//! The support thread between a client and the business («Написати нам»): what the client wrote in
//! the bot, relayed to the business chat, and what the business answered (a reply there, or the
//! panel's answer box), relayed back through the bot. A simple log, not a helpdesk.

use jiff::Timestamp;
use zapys_domain::ClientId;

/// Which way a message of the thread went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SupportDirection {
    /// Written by the client in the bot, for the business.
    FromClient,
    /// Written by the business (in its chat or in the panel), for the client.
    ToClient,
}

impl SupportDirection {
    pub fn name(self) -> &'static str {
        match self {
            Self::FromClient => "from_client",
            Self::ToClient => "to_client",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [Self::FromClient, Self::ToClient].into_iter().find(|d| d.name() == name)
    }
}

/// A photo or voice note of a message, by its Telegram `file_id` (relayed, never downloaded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SupportMedia {
    Photo { file_id: String },
    Voice { file_id: String },
}

impl SupportMedia {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Photo { .. } => "photo",
            Self::Voice { .. } => "voice",
        }
    }

    pub fn file_id(&self) -> &str {
        match self {
            Self::Photo { file_id } | Self::Voice { file_id } => file_id,
        }
    }

    /// The media of a stored `kind` (`text` has none).
    pub fn from_kind(kind: &str, file_id: String) -> Option<Self> {
        match kind {
            "photo" => Some(Self::Photo { file_id }),
            "voice" => Some(Self::Voice { file_id }),
            _ => None,
        }
    }
}

/// A message to add to a client's thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportDraft {
    pub client_id: ClientId,
    pub direction: SupportDirection,
    /// The text, or a photo's caption (may be empty for a photo or voice note).
    pub text: String,
    pub media: Option<SupportMedia>,
    /// Who answered, for the log: the admin's login in the panel, or their name in the business chat.
    pub author: Option<String>,
}

/// A message of a client's thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportMessage {
    pub id: i64,
    pub client_id: ClientId,
    pub direction: SupportDirection,
    pub text: String,
    pub media: Option<SupportMedia>,
    pub author: Option<String>,
    pub created_at: Timestamp,
}
