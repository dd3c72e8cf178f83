-- Everything the bot says on its own initiative goes through this outbox: a
-- row is written in the same transaction as the change that causes it, and a
-- worker delivers it, so a notice is never lost and never sent twice.
CREATE TABLE outbox (
    id             INTEGER PRIMARY KEY,
    -- The client's Telegram chat; NULL for the business's own chat.
    chat_id        INTEGER,
    kind           TEXT NOT NULL,
    appointment_id INTEGER REFERENCES appointments (id),
    -- The booking's start when the notice was written: the notice speaks of that time.
    starts_at      INTEGER,
    -- For a cancellation: the reason given; for a move: where it was before.
    detail         TEXT,
    created_at     INTEGER NOT NULL,
    -- Not before this instant (postponed after a failure or a 429).
    due_at         INTEGER NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT,
    -- Exactly one of these ends a row's life.
    sent_at        INTEGER,
    skipped_at     INTEGER,
    failed_at      INTEGER
) STRICT;
CREATE INDEX outbox_pending ON outbox (due_at, id) WHERE sent_at IS NULL AND skipped_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_by_chat ON outbox (chat_id, id) WHERE sent_at IS NULL AND skipped_at IS NULL AND failed_at IS NULL;

-- When the current start time of a booking was set (booked or last moved): a
-- reminder applies only if the booking already stood at its due time, so a
-- booking made an hour ahead gets no 24-hour reminder.
ALTER TABLE appointments ADD COLUMN scheduled_at INTEGER;
UPDATE appointments SET scheduled_at = created_at;

-- Which reminders went into the outbox: one per booking, start time and offset.
CREATE TABLE reminders_sent (
    appointment_id INTEGER NOT NULL REFERENCES appointments (id),
    starts_at      INTEGER NOT NULL,
    offset_minutes INTEGER NOT NULL,
    PRIMARY KEY (appointment_id, starts_at, offset_minutes)
) STRICT;

-- Optional policies: a thank-you after a completed visit; cancelling bookings
-- still pending this many minutes before they start (NULL: never).
ALTER TABLE settings ADD COLUMN thank_you INTEGER NOT NULL DEFAULT 0 CHECK (thank_you IN (0, 1));
ALTER TABLE settings ADD COLUMN auto_cancel_pending_minutes INTEGER CHECK (auto_cancel_pending_minutes > 0);
