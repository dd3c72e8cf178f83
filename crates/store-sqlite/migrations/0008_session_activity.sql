-- When a session was last used, for the idle timeout (a session unused for a while ends
-- before its absolute expiry). Sessions open at the upgrade count as used now.
ALTER TABLE admin_sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
UPDATE admin_sessions SET last_seen_at = unixepoch();
CREATE INDEX admin_sessions_expiry ON admin_sessions (expires_at);
