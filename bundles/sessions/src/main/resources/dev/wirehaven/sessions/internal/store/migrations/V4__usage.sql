-- Accounting: what a session used, as the server's own device counted it, saved when the session
-- ends (its peer's counters go with the peer). Same dialect rules as V1. NULL for sessions that ended
-- before this migration or never had a peer.
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS rx_bytes BIGINT;
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS tx_bytes BIGINT;
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS rx_packets BIGINT;
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS tx_packets BIGINT;
CREATE INDEX IF NOT EXISTS sessions_user_name ON sessions (user_name);
