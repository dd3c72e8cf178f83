-- Zapys schema. Instants are whole seconds since the Unix epoch, UTC; local
-- time exists only at the edges. Names and phone numbers are sealed
-- (XChaCha20-Poly1305) by the application before they reach this database.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
    id                       INTEGER PRIMARY KEY CHECK (id = 1),
    business_name            TEXT NOT NULL,
    address                  TEXT NOT NULL,
    phone                    TEXT NOT NULL,
    hours                    TEXT NOT NULL,
    timezone                 TEXT NOT NULL,
    min_notice_minutes       INTEGER NOT NULL CHECK (min_notice_minutes >= 0),
    max_active_bookings      INTEGER NOT NULL CHECK (max_active_bookings >= 1),
    auto_confirm             INTEGER NOT NULL CHECK (auto_confirm IN (0, 1)),
    reminder_offsets_minutes TEXT NOT NULL -- a JSON array of minutes, largest first
) STRICT;

CREATE TABLE services (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
    price_cents      INTEGER CHECK (price_cents >= 0),
    description      TEXT NOT NULL DEFAULT '',
    hidden           INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    -- Deleted services keep their row so the history of bookings keeps its name.
    deleted_at       INTEGER,
    created_at       INTEGER NOT NULL
) STRICT;

CREATE TABLE slots (
    id         INTEGER PRIMARY KEY,
    starts_at  INTEGER NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE clients (
    id           INTEGER PRIMARY KEY,
    telegram_id  INTEGER UNIQUE,
    name_sealed  BLOB,
    phone_sealed BLOB,
    -- A keyed hash of the phone number, to find a client without decrypting.
    phone_index  BLOB,
    language     TEXT NOT NULL DEFAULT 'uk' CHECK (language IN ('uk', 'en')),
    erased_at    INTEGER,
    created_at   INTEGER NOT NULL,
    CHECK ((erased_at IS NULL) = (name_sealed IS NOT NULL AND phone_sealed IS NOT NULL))
) STRICT;
CREATE INDEX clients_by_phone ON clients (phone_index);

CREATE TABLE appointments (
    id            INTEGER PRIMARY KEY,
    client_id     INTEGER NOT NULL REFERENCES clients (id),
    service_id    INTEGER NOT NULL REFERENCES services (id),
    slot_id       INTEGER REFERENCES slots (id) ON DELETE SET NULL,
    starts_at     INTEGER NOT NULL,
    ends_at       INTEGER NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'completed', 'cancelled', 'no_show')),
    notes         TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL CHECK (source IN ('bot', 'admin', 'api')),
    -- The service's price when booked, so later price changes do not rewrite history.
    price_cents   INTEGER,
    cancelled_by  TEXT CHECK (cancelled_by IN ('client', 'admin', 'system')),
    cancelled_at  INTEGER,
    cancel_reason TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    -- At most a day long: the overlap guards below look back one day.
    CHECK (ends_at > starts_at AND ends_at - starts_at <= 86400),
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
) STRICT;
CREATE INDEX appointments_holding_time ON appointments (starts_at) WHERE status <> 'cancelled';
CREATE INDEX appointments_by_start ON appointments (starts_at);
CREATE INDEX appointments_by_client ON appointments (client_id, starts_at);
CREATE INDEX appointments_by_service ON appointments (service_id, starts_at);
CREATE INDEX appointments_by_slot ON appointments (slot_id);

-- The backstop against double booking: whatever the application does, the
-- database refuses a booking that overlaps another one holding its time.
CREATE TRIGGER appointments_no_overlap_on_insert
BEFORE INSERT ON appointments
WHEN NEW.status <> 'cancelled'
BEGIN
    SELECT RAISE(ABORT, 'zapys: overlapping appointment')
    WHERE EXISTS (
        SELECT 1 FROM appointments
        WHERE status <> 'cancelled'
          AND starts_at > NEW.starts_at - 86400
          AND starts_at < NEW.ends_at
          AND ends_at > NEW.starts_at
    );
END;

CREATE TRIGGER appointments_no_overlap_on_update
BEFORE UPDATE OF starts_at, ends_at, status ON appointments
WHEN NEW.status <> 'cancelled'
BEGIN
    SELECT RAISE(ABORT, 'zapys: overlapping appointment')
    WHERE EXISTS (
        SELECT 1 FROM appointments
        WHERE id <> NEW.id
          AND status <> 'cancelled'
          AND starts_at > NEW.starts_at - 86400
          AND starts_at < NEW.ends_at
          AND ends_at > NEW.starts_at
    );
END;

-- Every change to an appointment, with who made it and when.
CREATE TABLE appointment_events (
    id             INTEGER PRIMARY KEY,
    appointment_id INTEGER NOT NULL REFERENCES appointments (id),
    kind           TEXT NOT NULL,
    actor          TEXT NOT NULL CHECK (actor IN ('client', 'admin', 'system')),
    at             INTEGER NOT NULL,
    detail         TEXT
) STRICT;
CREATE INDEX appointment_events_by_appointment ON appointment_events (appointment_id, id);

CREATE TABLE admins (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE admin_sessions (
    token_hash BLOB PRIMARY KEY,
    admin_id   INTEGER NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
) STRICT;

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    token_hash   BLOB NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER
) STRICT;
