-- Clients may cancel or move a booking only until this many hours before it starts; 0: always.
ALTER TABLE settings ADD COLUMN change_window_hours INTEGER NOT NULL DEFAULT 0 CHECK (change_window_hours >= 0);
