-- The local users' own table (migration track "local-users").
-- Portable SQL: it runs on PostgreSQL and on H2 in PostgreSQL mode. IF NOT EXISTS, because H2 commits
-- each DDL statement by itself, and because a database that an earlier Wirehaven (one schema for all)
-- created has the table already, in this shape.
-- Times are TIMESTAMP WITH TIME ZONE, written in UTC.

CREATE TABLE IF NOT EXISTS users (
    name            VARCHAR(128)  NOT NULL PRIMARY KEY,
    password_hash   VARCHAR(512)  NOT NULL,
    disabled        BOOLEAN       NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
