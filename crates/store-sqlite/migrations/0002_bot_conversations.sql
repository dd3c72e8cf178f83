-- Where each Telegram chat is in its conversation with the bot, so that a
-- restart in the middle of a booking loses nothing.
CREATE TABLE bot_conversations (
    chat_id    INTEGER PRIMARY KEY,
    state      TEXT NOT NULL, -- JSON, owned by the bot crate
    updated_at INTEGER NOT NULL
) STRICT;
