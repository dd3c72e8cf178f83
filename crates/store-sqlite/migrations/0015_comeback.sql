-- "Come back" (issue 12): the nudge to book again some days after a visit, the rating asked a
-- few hours after it, and what a client said about receiving them.

-- Days after a completed visit at which the client is nudged to book this service again (NULL: never).
ALTER TABLE services ADD COLUMN rebook_after_days INTEGER CHECK (rebook_after_days BETWEEN 1 AND 730);

-- The hours (minutes after local midnight) in which the business writes to clients first.
ALTER TABLE settings ADD COLUMN daytime_from_minutes INTEGER NOT NULL DEFAULT 600
    CHECK (daytime_from_minutes BETWEEN 0 AND 1439);
ALTER TABLE settings ADD COLUMN daytime_to_minutes INTEGER NOT NULL DEFAULT 1200
    CHECK (daytime_to_minutes BETWEEN 1 AND 1440);
ALTER TABLE settings ADD COLUMN ask_rating INTEGER NOT NULL DEFAULT 0;
ALTER TABLE settings ADD COLUMN rating_delay_hours INTEGER NOT NULL DEFAULT 3
    CHECK (rating_delay_hours BETWEEN 0 AND 72);

-- Per client: they turned the nudges off; the bot was blocked by them (a send refused as "blocked").
CREATE TABLE client_comeback (
    client_id      INTEGER PRIMARY KEY REFERENCES clients (id),
    rebook_opt_out INTEGER NOT NULL DEFAULT 0,
    blocked_at     INTEGER
);

-- Each visit's nudge and rating request go out once, whatever happens to the outbox row.
CREATE TABLE comeback_sent (
    appointment_id INTEGER NOT NULL REFERENCES appointments (id),
    kind           TEXT NOT NULL CHECK (kind IN ('rebook_nudge', 'rating_request')),
    sent_at        INTEGER NOT NULL,
    PRIMARY KEY (appointment_id, kind)
);

-- One rating per visit: the first press counts.
CREATE TABLE ratings (
    appointment_id INTEGER PRIMARY KEY REFERENCES appointments (id),
    stars          INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    rated_at       INTEGER NOT NULL
);
