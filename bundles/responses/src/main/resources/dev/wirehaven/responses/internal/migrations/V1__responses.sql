-- The security responses (migration track "responses"): the lasting ones in force, so that blocks and
-- disabled users survive a restart, and the latest ended ones for the operator.
-- Portable SQL: it runs on PostgreSQL and on H2 in PostgreSQL mode. IF NOT EXISTS, because H2 commits
-- each DDL statement by itself.
-- Times are TIMESTAMP WITH TIME ZONE, written in UTC.

CREATE TABLE IF NOT EXISTS responses (
    id              VARCHAR(32)   NOT NULL PRIMARY KEY,
    action          VARCHAR(32)   NOT NULL,
    target          VARCHAR(512)  NOT NULL,
    reason          VARCHAR(2000) NOT NULL,
    requested_by    VARCHAR(256)  NOT NULL,
    started         TIMESTAMP WITH TIME ZONE NOT NULL,
    expires         TIMESTAMP WITH TIME ZONE NOT NULL,
    state           VARCHAR(16)   NOT NULL,
    note            VARCHAR(2000) NOT NULL
);

-- at activation the server reads the ones in force; the retention keeps the latest ended ones
CREATE INDEX IF NOT EXISTS responses_state_started ON responses (state, started);
