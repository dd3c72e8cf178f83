//! What the SQL backends of the Zapys store share, declared once: the rows
//! they read and their conversion into domain values, the list of sealed
//! columns and the decisions of re-sealing. SQL text stays with each backend
//! (placeholders and dialects differ); everything here is plain Rust over
//! values already fetched, so both backends read the same data the same way.
//!
//! The rows derive `sqlx::FromRow`, which is generic over the driver's row
//! type: this crate depends on sqlx without any driver.

pub mod analytics;
pub mod auth;
pub mod availability;
pub mod comeback;
pub mod outbox;
pub mod rows;
pub mod rules;
pub mod sealing;
pub mod staff;
pub mod support;
pub mod waitlist;

use jiff::Timestamp;
use zapys_store::StoreError;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Instants are stored as whole seconds since the Unix epoch, UTC.
pub fn seconds(t: Timestamp) -> i64 {
    t.as_second()
}

/// A stored instant; one out of range is corrupt data, not a panic.
pub fn instant(seconds: i64) -> Result<Timestamp> {
    Timestamp::from_second(seconds).map_err(|_| StoreError::Corrupt(format!("instant {seconds} is out of range")))
}

pub(crate) fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {detail}"))
}

/// A JSON array of strings kept in a text column.
pub fn json_list(text: &str) -> Result<Vec<String>> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The calendar feed's token hash, kept as lowercase hex in the `meta` table.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The calendar feed's token hash and when it was made, from their `meta` values.
pub fn calendar_feed(hash: &str, at: &str) -> Result<(Vec<u8>, Timestamp)> {
    let hash = (0..hash.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hash.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<std::result::Result<Vec<u8>, _>>()
        .map_err(|_| StoreError::Corrupt("calendar feed hash".into()))?;
    Ok((hash, instant(at.parse().map_err(|_| StoreError::Corrupt("calendar feed time".into()))?)?))
}

/// A webhook as listed: id, url, events (JSON), personal fields (JSON), created_at.
pub type WebhookRow = (i64, String, String, String, i64);

pub fn webhook((id, url, events, personal_fields, created_at): WebhookRow) -> Result<zapys_store::Webhook> {
    Ok(zapys_store::Webhook {
        id,
        url,
        events: json_list(&events)?,
        personal_fields: json_list(&personal_fields)?,
        created_at: instant(created_at)?,
    })
}
