-- The support thread between a client and the business («Написати нам»): the client's messages
-- relayed to the business chat and the business's answers relayed back. The text (or caption) and
-- a photo's or voice note's Telegram file_id are personal data, sealed like every other.
CREATE TABLE support_messages (
    -- AUTOINCREMENT: an id is never given again after an erasure, so a notice still queued for
    -- an erased message can never name another client's.
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id   INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    direction   TEXT NOT NULL CHECK (direction IN ('from_client', 'to_client')),
    kind        TEXT NOT NULL CHECK (kind IN ('text', 'photo', 'voice')),
    text_sealed BLOB NOT NULL,
    file_sealed BLOB,
    -- Who answered: the admin's login in the panel, or their name in the business chat.
    author      TEXT,
    created_at  INTEGER NOT NULL,
    -- The copy of a client's message in the business chat, which an admin replies to.
    relay_chat_id    INTEGER,
    relay_message_id INTEGER
) STRICT;
CREATE INDEX support_messages_by_client ON support_messages (client_id, id);
CREATE UNIQUE INDEX support_messages_by_relay ON support_messages (relay_chat_id, relay_message_id)
    WHERE relay_message_id IS NOT NULL;
