-- What several instances (and restarts of one) must share (SQLite's 0011).

-- Login attempt counts per key (an address, an address and username, everyone), each over a
-- window that starts with its first attempt. Rows whose window ended are deleted as attempts come.
CREATE TABLE login_attempts (
    key         TEXT PRIMARY KEY,
    count       BIGINT NOT NULL CHECK (count >= 0),
    window_ends BIGINT NOT NULL
);

-- Work one instance does at a time (delivering the outbox, polling Telegram), held until
-- `expires_at` and renewed while the holder lives; another instance takes over once it lapses.
CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
