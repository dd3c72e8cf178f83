-- How many days ahead times are offered and can be booked (the booking horizon).
ALTER TABLE settings ADD COLUMN booking_horizon_days INTEGER NOT NULL DEFAULT 365
    CHECK (booking_horizon_days BETWEEN 1 AND 3650);
