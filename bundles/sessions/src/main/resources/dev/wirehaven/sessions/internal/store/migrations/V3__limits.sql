-- The limits on connection requests. Same dialect rules as V1: statements that H2 in PostgreSQL mode
-- and PostgreSQL both run, IF NOT EXISTS where a re-run must be harmless.

-- the source that a session's connection request is counted under: the IPv4 address, or the /64 of
-- an IPv6 address (text such as 2001:db8:1:2::/64), so that the sessions still waiting for
-- authentication can be counted per source; NULL for the sessions from before this migration
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS source_key VARCHAR(64);
CREATE INDEX IF NOT EXISTS sessions_source_key ON sessions (source_key);

-- sessions waiting for authentication are counted by phase among the open ones
CREATE INDEX IF NOT EXISTS sessions_phase ON sessions (phase);
