-- no-transaction
-- Staff members. Slots and appointments gain the staff member they belong
-- to, and the overlap guard becomes per staff member. SQLite cannot change a
-- UNIQUE or add a NOT NULL foreign key in place, so both tables are rebuilt
-- the documented way: foreign keys off, one transaction, ids kept.
-- A database from before this change gets one staff member, "Майстер", who
-- holds every existing slot and booking and performs every service.

PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE TABLE staff (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    color            TEXT NOT NULL,
    -- Left or on leave: not offered for new bookings; history keeps them.
    hidden           INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    telegram_chat_id INTEGER,
    deleted_at       INTEGER,
    created_at       INTEGER NOT NULL
) STRICT;

CREATE TABLE staff_services (
    staff_id         INTEGER NOT NULL REFERENCES staff (id),
    service_id       INTEGER NOT NULL REFERENCES services (id),
    -- Their own duration and price for the service; NULL: the service's.
    duration_minutes INTEGER CHECK (duration_minutes BETWEEN 1 AND 1440),
    price_cents      INTEGER CHECK (price_cents >= 0),
    PRIMARY KEY (staff_id, service_id)
) STRICT;
CREATE INDEX staff_services_by_service ON staff_services (service_id);

-- Weekly hours: one row per working stretch; the gaps between a day's stretches are breaks.
CREATE TABLE staff_hours (
    staff_id    INTEGER NOT NULL REFERENCES staff (id),
    weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    from_minute INTEGER NOT NULL CHECK (from_minute BETWEEN 0 AND 1439),
    to_minute   INTEGER NOT NULL CHECK (to_minute BETWEEN 1 AND 1439),
    CHECK (to_minute > from_minute)
) STRICT;
CREATE INDEX staff_hours_by_staff ON staff_hours (staff_id, weekday, from_minute);

-- Dated exceptions to the weekly hours: a day off, a vacation, other hours.
CREATE TABLE staff_exceptions (
    id          INTEGER PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff (id),
    date_from   TEXT NOT NULL,
    date_to     TEXT NOT NULL,
    -- A JSON array of [from_minute, to_minute] pairs; [] is a day off.
    stretches   TEXT NOT NULL,
    -- Why (a vacation, sick leave): personal data about an employee, sealed.
    note_sealed BLOB,
    created_at  INTEGER NOT NULL,
    CHECK (date_to >= date_from)
) STRICT;
CREATE INDEX staff_exceptions_by_staff ON staff_exceptions (staff_id, date_from);

INSERT INTO staff (id, name, color, created_at) VALUES (1, 'Майстер', '#2563eb', unixepoch());
INSERT INTO staff_services (staff_id, service_id) SELECT 1, id FROM services WHERE deleted_at IS NULL;

ALTER TABLE services ADD COLUMN buffer_before_minutes INTEGER NOT NULL DEFAULT 0
    CHECK (buffer_before_minutes BETWEEN 0 AND 240);
ALTER TABLE services ADD COLUMN buffer_after_minutes INTEGER NOT NULL DEFAULT 0
    CHECK (buffer_after_minutes BETWEEN 0 AND 240);

CREATE TABLE slots_new (
    id         INTEGER PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    starts_at  INTEGER NOT NULL,
    -- The end of the working stretch the slot was generated in: a visit
    -- starting here must be over by then. NULL for a slot added by hand.
    ends_by    INTEGER,
    -- Made by "generate": generating the range again replaces it unless booked.
    generated  INTEGER NOT NULL DEFAULT 0 CHECK (generated IN (0, 1)),
    created_at INTEGER NOT NULL,
    UNIQUE (staff_id, starts_at),
    CHECK (ends_by IS NULL OR ends_by > starts_at)
) STRICT;
-- Slots from before could have come from either; regenerating is what an
-- owner does to fix an old grid, so they count as generated.
INSERT INTO slots_new (id, staff_id, starts_at, generated, created_at)
    SELECT id, 1, starts_at, 1, created_at FROM slots;
DROP TABLE slots;
ALTER TABLE slots_new RENAME TO slots;
CREATE INDEX slots_by_start ON slots (starts_at);

CREATE TABLE appointments_new (
    id                   INTEGER PRIMARY KEY,
    client_id            INTEGER NOT NULL REFERENCES clients (id),
    service_id           INTEGER NOT NULL REFERENCES services (id),
    staff_id             INTEGER NOT NULL REFERENCES staff (id),
    slot_id              INTEGER REFERENCES slots (id) ON DELETE SET NULL,
    -- The client's visit.
    starts_at            INTEGER NOT NULL,
    ends_at              INTEGER NOT NULL,
    -- The staff member's time it takes: the visit and the service's buffers.
    blocked_from         INTEGER NOT NULL,
    blocked_until        INTEGER NOT NULL,
    status               TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'completed', 'cancelled', 'no_show')),
    source               TEXT NOT NULL CHECK (source IN ('bot', 'admin', 'api')),
    -- The price when booked, so later price changes do not rewrite history.
    price_cents          INTEGER,
    cancelled_by         TEXT CHECK (cancelled_by IN ('client', 'admin', 'system')),
    cancelled_at         INTEGER,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    scheduled_at         INTEGER,
    notes_sealed         BLOB,
    cancel_reason_sealed BLOB,
    CHECK (ends_at > starts_at AND ends_at - starts_at <= 86400),
    -- At most a day and two 4-hour buffers: the overlap guards below look back that far.
    CHECK (blocked_from <= starts_at AND blocked_until >= ends_at AND blocked_until - blocked_from <= 115200),
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
) STRICT;
INSERT INTO appointments_new (id, client_id, service_id, staff_id, slot_id, starts_at, ends_at, blocked_from,
        blocked_until, status, source, price_cents, cancelled_by, cancelled_at, created_at, updated_at,
        scheduled_at, notes_sealed, cancel_reason_sealed)
    SELECT id, client_id, service_id, 1, slot_id, starts_at, ends_at, starts_at, ends_at, status, source,
        price_cents, cancelled_by, cancelled_at, created_at, updated_at, scheduled_at, notes_sealed,
        cancel_reason_sealed
    FROM appointments;
DROP TABLE appointments;
ALTER TABLE appointments_new RENAME TO appointments;

CREATE INDEX appointments_holding_time ON appointments (staff_id, blocked_from) WHERE status <> 'cancelled';
CREATE INDEX appointments_by_start ON appointments (starts_at);
CREATE INDEX appointments_by_client ON appointments (client_id, starts_at);
CREATE INDEX appointments_by_service ON appointments (service_id, starts_at);
CREATE INDEX appointments_by_staff ON appointments (staff_id, starts_at);
CREATE INDEX appointments_by_slot ON appointments (slot_id);

-- The backstop against double booking: whatever the application does, the
-- database refuses a booking whose staff member's time overlaps another
-- booking of the same staff member that holds its time.
CREATE TRIGGER appointments_no_overlap_on_insert
BEFORE INSERT ON appointments
WHEN NEW.status <> 'cancelled'
BEGIN
    SELECT RAISE(ABORT, 'zapys: overlapping appointment')
    WHERE EXISTS (
        SELECT 1 FROM appointments
        WHERE staff_id = NEW.staff_id
          AND status <> 'cancelled'
          AND blocked_from > NEW.blocked_from - 115200
          AND blocked_from < NEW.blocked_until
          AND blocked_until > NEW.blocked_from
    );
END;

CREATE TRIGGER appointments_no_overlap_on_update
BEFORE UPDATE OF staff_id, blocked_from, blocked_until, status ON appointments
WHEN NEW.status <> 'cancelled'
BEGIN
    SELECT RAISE(ABORT, 'zapys: overlapping appointment')
    WHERE EXISTS (
        SELECT 1 FROM appointments
        WHERE id <> NEW.id
          AND staff_id = NEW.staff_id
          AND status <> 'cancelled'
          AND blocked_from > NEW.blocked_from - 115200
          AND blocked_from < NEW.blocked_until
          AND blocked_until > NEW.blocked_from
    );
END;

COMMIT;
PRAGMA foreign_keys = ON;
