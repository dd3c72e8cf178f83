//! Outbox rows as both backends read them.

use zapys_domain::{AppointmentId, Notice};
use zapys_store::{DataCipher, NoticeState, OutboxItem, StoreError};

use crate::sealing::OUTBOX_DETAIL;
use crate::{Result, instant};

/// The columns [`OutboxRow`] reads.
pub const COLUMNS: &str = "SELECT id, chat_id, kind, appointment_id, webhook_id, starts_at, detail_sealed, created_at, attempts, last_error, sent_at, skipped_at, failed_at FROM outbox";

/// A notice that is neither sent, skipped nor failed, as SQL.
pub const UNFINISHED: &str = "sent_at IS NULL AND skipped_at IS NULL AND failed_at IS NULL";

#[derive(sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    chat_id: Option<i64>,
    kind: String,
    appointment_id: Option<i64>,
    webhook_id: Option<i64>,
    starts_at: Option<i64>,
    detail_sealed: Option<Vec<u8>>,
    created_at: i64,
    attempts: i64,
    last_error: Option<String>,
    sent_at: Option<i64>,
    skipped_at: Option<i64>,
    failed_at: Option<i64>,
}

impl OutboxRow {
    pub fn into_item(self, cipher: &DataCipher) -> Result<OutboxItem> {
        let (state, finished) = match (self.sent_at, self.skipped_at, self.failed_at) {
            (Some(at), _, _) => (NoticeState::Sent, Some(at)),
            (_, Some(at), _) => (NoticeState::Skipped, Some(at)),
            (_, _, Some(at)) => (NoticeState::Failed, Some(at)),
            _ => (NoticeState::Pending, None),
        };
        Ok(OutboxItem {
            id: self.id,
            chat_id: self.chat_id,
            notice: Notice::from_name(&self.kind)
                .ok_or_else(|| StoreError::Corrupt(format!("notice kind {}", self.kind)))?,
            appointment_id: self.appointment_id.map(AppointmentId),
            webhook_id: self.webhook_id,
            starts_at: self.starts_at.map(instant).transpose()?,
            detail: self.detail_sealed.map(|d| cipher.open(OUTBOX_DETAIL, self.id, &d)).transpose()?,
            created_at: instant(self.created_at)?,
            attempts: u32::try_from(self.attempts).unwrap_or(u32::MAX),
            last_error: self.last_error,
            state,
            finished_at: finished.map(instant).transpose()?,
        })
    }
}
