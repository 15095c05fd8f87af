-- The TOTP second factor's own tables (migration track "totp").
-- Portable SQL: it runs on PostgreSQL and on H2 in PostgreSQL mode. IF NOT EXISTS, because H2 commits
-- each DDL statement by itself, so a migration interrupted there is re-run whole.
-- Times are TIMESTAMP WITH TIME ZONE, written in UTC. User names are the users' names as the first
-- factor proves them (case-sensitive); there is no foreign key, since the users may live in a directory.

-- one authenticator per user. The secret is AES-256-GCM ciphertext (with its tag) and its 96-bit nonce,
-- both standard Base64, under the key in <data>/totp.key; never the secret itself. algorithm, digits and
-- period are those the user's app was given at enrollment, so that a later change of the configuration
-- does not break apps already set up. last_step is the time step of the newest code accepted (-1: none
-- yet): a code of that step or an older one is refused, which makes every code single-use.
CREATE TABLE IF NOT EXISTS totp_secrets (
    user_name           VARCHAR(128)  NOT NULL PRIMARY KEY,
    secret_ciphertext   VARCHAR(200)  NOT NULL,
    nonce               VARCHAR(24)   NOT NULL,
    algorithm           VARCHAR(16)   NOT NULL,
    digits              INTEGER       NOT NULL,
    period_seconds      INTEGER       NOT NULL,
    confirmed           BOOLEAN       NOT NULL DEFAULT FALSE,
    last_step           BIGINT        NOT NULL DEFAULT -1,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    confirmed_at        TIMESTAMP WITH TIME ZONE
);

-- single-use backup codes: only their HMAC-SHA256 under a key derived from <data>/totp.key, as 64 hex
-- digits; using a code deletes its row
CREATE TABLE IF NOT EXISTS totp_backup_codes (
    user_name       VARCHAR(128)  NOT NULL,
    code_hash       VARCHAR(64)   NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (user_name, code_hash)
);
