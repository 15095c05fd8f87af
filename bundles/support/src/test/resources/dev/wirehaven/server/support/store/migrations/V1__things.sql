-- a test track's first script
CREATE TABLE IF NOT EXISTS things (
    name        VARCHAR(64)  NOT NULL PRIMARY KEY,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
