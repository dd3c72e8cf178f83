//! Which columns are sealed, and the decisions of re-sealing them (at a key
//! change, and once for a database from before row-bound sealing). Each
//! backend runs the SQL; what to read, how to open it and what to record is
//! decided here, once.

use zapys_store::{DataCipher, StoreError};

use crate::Result;

pub const CLIENT_NAME: &str = "client.name";
pub const CLIENT_PHONE: &str = "client.phone";
pub const WEBHOOK_SECRET: &str = "webhook.secret";
pub const APPOINTMENT_NOTES: &str = "appointment.notes";
pub const CANCEL_REASON: &str = "appointment.cancel_reason";
pub const EVENT_DETAIL: &str = "appointment_event.detail";
pub const OUTBOX_DETAIL: &str = "outbox.detail";
pub const CONVERSATION_STATE: &str = "bot_conversation.state";
pub const EXCEPTION_NOTE: &str = "staff_exception.note";
pub const CLIENT_NOTES: &str = "client.notes";
pub const TELEGRAM_TOKEN: &str = "settings.telegram_token";
// --- support ---
pub const SUPPORT_TEXT: &str = "support_message.text";
pub const SUPPORT_FILE: &str = "support_message.file_id";

/// The `meta` keys of sealing.
pub const KEY_FINGERPRINT: &str = "data_key_fingerprint";
pub const SEALING_FORMAT: &str = "sealing_format";
pub const CURRENT_FORMAT: &str = "2";

/// What a column held before the sealing format 2.
#[derive(Clone, Copy)]
pub enum Before {
    /// Sealed, bound to the column only.
    Sealed,
    /// Plain text (SQLite's migration 0009 moved it into the sealed column as it was).
    Plain,
}

pub struct Column {
    pub table: &'static str,
    /// The row's key, which each value is bound to.
    pub key: &'static str,
    pub column: &'static str,
    pub field: &'static str,
    pub before: Before,
}

const fn column(table: &'static str, column: &'static str, field: &'static str, before: Before) -> Column {
    Column { table, key: "id", column, field, before }
}

/// Every sealed column. A new one must be added here, or rekey would leave it
/// under the old key (the rekey test finds such a column: it fails to open).
pub const COLUMNS: [Column; 13] = [
    column("clients", "name_sealed", CLIENT_NAME, Before::Sealed),
    column("clients", "phone_sealed", CLIENT_PHONE, Before::Sealed),
    column("clients", "notes_sealed", CLIENT_NOTES, Before::Sealed),
    column("webhooks", "secret_sealed", WEBHOOK_SECRET, Before::Sealed),
    column("settings", "telegram_token_sealed", TELEGRAM_TOKEN, Before::Sealed),
    column("appointments", "notes_sealed", APPOINTMENT_NOTES, Before::Plain),
    column("appointments", "cancel_reason_sealed", CANCEL_REASON, Before::Plain),
    column("appointment_events", "detail_sealed", EVENT_DETAIL, Before::Plain),
    column("outbox", "detail_sealed", OUTBOX_DETAIL, Before::Plain),
    column("staff_exceptions", "note_sealed", EXCEPTION_NOTE, Before::Sealed),
    Column {
        table: "bot_conversations",
        key: "chat_id",
        column: "state_sealed",
        field: CONVERSATION_STATE,
        before: Before::Plain,
    },
    // --- support ---
    column("support_messages", "text_sealed", SUPPORT_TEXT, Before::Sealed),
    column("support_messages", "file_sealed", SUPPORT_FILE, Before::Sealed),
];

/// How the values in the database are sealed now.
#[derive(Clone, Copy)]
pub enum Was<'a> {
    /// Format 2 under this key.
    Current(&'a DataCipher),
    /// Before format 2, under this key.
    Legacy(&'a DataCipher),
}

impl Was<'_> {
    /// The plain text of a stored value of column `c` in row `row`.
    pub fn open(self, c: &Column, row: i64, value: Vec<u8>) -> Result<String> {
        match (self, c.before) {
            (Was::Current(cipher), _) => cipher.open(c.field, row, &value),
            (Was::Legacy(cipher), Before::Sealed) => cipher.open_legacy(c.field, &value),
            (Was::Legacy(_), Before::Plain) => String::from_utf8(value)
                .map_err(|_| StoreError::Corrupt(format!("{} of row {row} is not text", c.field))),
        }
    }
}

/// What opening a database with `cipher` must do, from its `meta` entries.
pub enum Preparation<'a> {
    /// Sealed with `cipher` in the current format: nothing.
    Ready,
    /// Re-seal everything from `was` to `cipher`, then record `cipher` and the format.
    Reseal(Was<'a>),
}

/// Decides from the stored key fingerprint and sealing format what opening with
/// `cipher` takes; a database sealed with another key is refused. `legacy_public`
/// is [`DataCipher::legacy_public`], the key data of earlier versions was sealed with.
pub fn prepare<'a>(
    stored: Option<&str>,
    format: Option<&str>,
    cipher: &'a DataCipher,
    legacy_public: &'a DataCipher,
) -> Result<Preparation<'a>> {
    let previous = match stored {
        None => cipher,
        Some(fingerprint) if fingerprint == cipher.fingerprint() => cipher,
        Some(fingerprint) if fingerprint == legacy_public.fingerprint() => legacy_public,
        Some(_) => {
            return Err(StoreError::Corrupt(
                "the data key is not the one this database's personal data was sealed with; \
                 start with the original key (ZAPYS_DATA_KEY or the key file)"
                    .into(),
            ));
        }
    };
    let current_format = format == Some(CURRENT_FORMAT);
    if current_format && previous.fingerprint() == cipher.fingerprint() && stored.is_some() {
        return Ok(Preparation::Ready);
    }
    Ok(Preparation::Reseal(if current_format { Was::Current(previous) } else { Was::Legacy(previous) }))
}

/// Refuses a rekey when the database is not sealed with `old`, the key the store was opened with.
pub fn check_rekey(stored: Option<&str>, old: &DataCipher) -> Result<()> {
    if stored != Some(old.fingerprint()) {
        return Err(StoreError::Corrupt("the database is not sealed with the key this store was opened with".into()));
    }
    Ok(())
}
