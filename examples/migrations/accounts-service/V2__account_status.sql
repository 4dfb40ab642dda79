SET lock_timeout = '2s';
SET statement_timeout = '5min';
ALTER TABLE accounts ADD COLUMN status text NOT NULL;
CREATE INDEX CONCURRENTLY accounts_status_idx ON accounts (status);
