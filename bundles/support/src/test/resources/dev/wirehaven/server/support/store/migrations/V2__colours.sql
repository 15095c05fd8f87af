-- a test track's second script
ALTER TABLE things ADD COLUMN IF NOT EXISTS colour VARCHAR(32);
CREATE TABLE IF NOT EXISTS colours (
    name        VARCHAR(32)  NOT NULL PRIMARY KEY
);
