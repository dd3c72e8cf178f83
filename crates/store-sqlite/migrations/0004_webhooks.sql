-- The business's own endpoints that receive signed JSON events about bookings.
CREATE TABLE webhooks (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL,
    -- The HMAC-SHA256 signing secret, sealed like personal data.
    secret_sealed BLOB NOT NULL,
    -- A JSON array of event names.
    events        TEXT NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;

-- A webhook delivery is an outbox row with the webhook it goes to.
ALTER TABLE outbox ADD COLUMN webhook_id INTEGER REFERENCES webhooks (id) ON DELETE SET NULL;
