-- "Come back" (issue 12; SQLite's 0015): the nudge to book again some days after a visit, the rating asked a
-- few hours after it, and what a client said about receiving them.

-- Days after a completed visit at which the client is nudged to book this service again (NULL: never).
ALTER TABLE services ADD COLUMN rebook_after_days BIGINT CHECK (rebook_after_days BETWEEN 1 AND 730);

-- The hours (minutes after local midnight) in which the business writes to clients first.
ALTER TABLE settings ADD COLUMN daytime_from_minutes BIGINT NOT NULL DEFAULT 600
    CHECK (daytime_from_minutes BETWEEN 0 AND 1439);
ALTER TABLE settings ADD COLUMN daytime_to_minutes BIGINT NOT NULL DEFAULT 1200
    CHECK (daytime_to_minutes BETWEEN 1 AND 1440);
ALTER TABLE settings ADD COLUMN ask_rating BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE settings ADD COLUMN rating_delay_hours BIGINT NOT NULL DEFAULT 3
    CHECK (rating_delay_hours BETWEEN 0 AND 72);

-- Per client: they turned the nudges off; the bot was blocked by them (a send refused as "blocked").
CREATE TABLE client_comeback (
    client_id      BIGINT PRIMARY KEY REFERENCES clients (id),
    rebook_opt_out BOOLEAN NOT NULL DEFAULT FALSE,
    blocked_at     BIGINT
);

-- Each visit's nudge and rating request go out once, whatever happens to the outbox row.
CREATE TABLE comeback_sent (
    appointment_id BIGINT NOT NULL REFERENCES appointments (id),
    kind           TEXT NOT NULL CHECK (kind IN ('rebook_nudge', 'rating_request')),
    sent_at        BIGINT NOT NULL,
    PRIMARY KEY (appointment_id, kind)
);

-- One rating per visit: the first press counts.
CREATE TABLE ratings (
    appointment_id BIGINT PRIMARY KEY REFERENCES appointments (id),
    stars          BIGINT NOT NULL CHECK (stars BETWEEN 1 AND 5),
    rated_at       BIGINT NOT NULL
);
