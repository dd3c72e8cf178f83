//! Support thread rows as both backends read them.

use zapys_domain::ClientId;
use zapys_store::{DataCipher, SupportDirection, SupportMedia, SupportMessage};

use crate::sealing::{SUPPORT_FILE, SUPPORT_TEXT};
use crate::{Result, corrupt, instant};

/// The columns [`SupportRow`] reads.
pub const COLUMNS: &str =
    "SELECT id, client_id, direction, kind, text_sealed, file_sealed, author, created_at FROM support_messages";

#[derive(sqlx::FromRow)]
pub struct SupportRow {
    id: i64,
    client_id: i64,
    direction: String,
    kind: String,
    text_sealed: Vec<u8>,
    file_sealed: Option<Vec<u8>>,
    author: Option<String>,
    created_at: i64,
}

impl SupportRow {
    pub fn into_message(self, cipher: &DataCipher) -> Result<SupportMessage> {
        let direction = SupportDirection::from_name(&self.direction)
            .ok_or_else(|| corrupt("support message direction", &self.direction))?;
        let media = match (self.kind.as_str(), self.file_sealed) {
            ("text", None) => None,
            (kind, Some(file)) => Some(
                SupportMedia::from_kind(kind, cipher.open(SUPPORT_FILE, self.id, &file)?)
                    .ok_or_else(|| corrupt("support message kind", kind))?,
            ),
            (kind, None) => return Err(corrupt("support message without its file", kind)),
        };
        Ok(SupportMessage {
            id: self.id,
            client_id: ClientId(self.client_id),
            direction,
            text: cipher.open(SUPPORT_TEXT, self.id, &self.text_sealed)?,
            media,
            author: self.author,
            created_at: instant(self.created_at)?,
        })
    }
}

/// The stored `kind` of a message: `text`, `photo` or `voice`.
pub fn kind(media: Option<&SupportMedia>) -> &'static str {
    media.map_or("text", SupportMedia::kind)
}
