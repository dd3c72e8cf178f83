-- The waitlist: clients who asked to hear when a time frees up on a day that had none.
-- The instants are the day read in the business's time zone when the client asked, so that the
-- transaction that frees a time finds its waits without a time zone.
CREATE TABLE waits (
    -- AUTOINCREMENT: an id is never given again after a wait is left or erased, so an offer still
    -- queued for it can never name another client's wait.
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id     INTEGER NOT NULL REFERENCES clients (id),
    service_id    INTEGER NOT NULL REFERENCES services (id),
    -- NULL: with anyone who performs the service.
    staff_id      INTEGER REFERENCES staff (id),
    -- The local day (YYYY-MM-DD) and whether the day before and after count too.
    day           TEXT NOT NULL,
    around        INTEGER NOT NULL CHECK (around IN (0, 1)),
    day_starts_at INTEGER NOT NULL,
    -- The end of the day: from then on the wait is never offered nor listed.
    expires_at    INTEGER NOT NULL,
    -- Freed starts in [window_from, window_until) are offered.
    window_from   INTEGER NOT NULL,
    window_until  INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    -- The booking it turned into.
    booked_appointment_id INTEGER REFERENCES appointments (id),
    booked_at     INTEGER
) STRICT;

-- One wait per client, day, service and staff member (or anyone) at a time.
CREATE UNIQUE INDEX waits_one_per_day ON waits (client_id, service_id, COALESCE(staff_id, 0), day)
    WHERE booked_appointment_id IS NULL;
CREATE INDEX waits_by_window ON waits (window_from, window_until) WHERE booked_appointment_id IS NULL;
CREATE INDEX waits_by_day ON waits (day);
