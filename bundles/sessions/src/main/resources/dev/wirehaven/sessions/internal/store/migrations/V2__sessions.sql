-- The session flow (issue 4). Same dialect rules as V1: statements that H2 in PostgreSQL mode and
-- PostgreSQL both run, IF NOT EXISTS where a re-run must be harmless.

-- A session exists from the connection request on, before anyone has authenticated: the user and
-- the token hash are only known from the AUTHENTICATED phase. NULLs are distinct in the UNIQUE
-- index of token_hash on both databases.
ALTER TABLE sessions ALTER COLUMN token_hash DROP NOT NULL;
ALTER TABLE sessions ALTER COLUMN user_name DROP NOT NULL;

-- where the connection request came from, and the address the client asked for
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS source_address VARCHAR(45);
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS requested_address VARCHAR(45);

-- the identity as JSON: established by an earlier factor while CHALLENGED, authenticated from then
-- on; with the methods the client may answer now and those it has passed (multi-factor, re-auth)
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS identity_json VARCHAR(16000);
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS challenge_methods VARCHAR(1000);
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS completed_methods VARCHAR(1000);

-- the session's preshared key (standard base64): fresh per session, handed out with the server
-- config before the peer row exists, and kept on re-authentication with the tunnel
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS preshared_key VARCHAR(64);

-- the leased tunnel addresses with their pools, so that cleanup releases them even after the
-- configured subnets changed
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS address_v4 VARCHAR(45);
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS pool_v4 VARCHAR(64);
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS address_v6 VARCHAR(45);
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS pool_v6 VARCHAR(64);

-- the site-to-site subnets that policy admitted, comma-separated
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS advertised_subnets VARCHAR(12000);
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS configured_at TIMESTAMP WITH TIME ZONE;

-- policy updates: the newest version for the session and the newest one the client applied
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS policy_version BIGINT DEFAULT 1 NOT NULL;
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS policy_acked_version BIGINT DEFAULT 0 NOT NULL;

ALTER TABLE sessions ADD COLUMN IF NOT EXISTS close_reason VARCHAR(500);

CREATE INDEX IF NOT EXISTS sessions_key ON sessions (client_public_key);
CREATE INDEX IF NOT EXISTS sessions_open ON sessions (closed_at);

-- a site-to-site peer routes up to 256 subnets besides its tunnel addresses
ALTER TABLE peers ALTER COLUMN allowed_ips SET DATA TYPE VARCHAR(12000);
