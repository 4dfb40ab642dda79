BEGIN;
CREATE TABLE IF NOT EXISTS public.users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email varchar(255) NOT NULL UNIQUE,
    created_at timestamp without time zone DEFAULT now(),
    token uuid DEFAULT gen_random_uuid(),
    org_id integer REFERENCES orgs (id) ON DELETE CASCADE,
    CONSTRAINT users_email_check CHECK (email <> '')
);
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON public.users USING btree (lower(email), org_id) WHERE deleted_at IS NULL;
ALTER TABLE ONLY users ADD COLUMN nickname text, DROP COLUMN IF EXISTS legacy CASCADE, ALTER COLUMN email TYPE text USING email::text,
    ALTER COLUMN org_id SET NOT NULL, ALTER org_id DROP NOT NULL, ALTER COLUMN created_at SET DEFAULT clock_timestamp(),
    ALTER COLUMN created_at DROP DEFAULT, ADD CONSTRAINT users_org_fk FOREIGN KEY (org_id) REFERENCES orgs (id) NOT VALID,
    VALIDATE CONSTRAINT users_org_fk, ADD CONSTRAINT users_pk PRIMARY KEY USING INDEX users_id_idx, DROP CONSTRAINT old_check;
ALTER TABLE users RENAME COLUMN nickname TO handle;
ALTER TABLE users RENAME TO members;
ALTER TABLE members SET SCHEMA archive;
ALTER TABLE members ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);
ALTER TABLE members ENABLE ROW LEVEL SECURITY;
DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;
REINDEX INDEX CONCURRENTLY users_email_idx;
CREATE TYPE mood AS ENUM ('sad', 'ok');
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'happy' AFTER 'ok';
CREATE SEQUENCE IF NOT EXISTS order_seq AS bigint;
CREATE SCHEMA IF NOT EXISTS archive;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE OR REPLACE VIEW active_users AS SELECT * FROM users WHERE active;
CREATE MATERIALIZED VIEW stats AS SELECT count(*) FROM users;
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();
CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
ALTER DOMAIN positive ADD CONSTRAINT positive_check CHECK (VALUE > 0);
COMMENT ON COLUMN public.users.email IS 'classification=pii';
GRANT SELECT, INSERT ON TABLE users TO app_rw, PUBLIC;
REVOKE ALL ON users FROM PUBLIC;
SET LOCAL statement_timeout TO '5s';
TRUNCATE users, orgs CASCADE;
UPDATE users SET active = true;
DELETE FROM users WHERE id = 1;
INSERT INTO archive.users SELECT * FROM users;
SAVEPOINT before_drop;
DROP TABLE IF EXISTS legacy, older CASCADE;
ROLLBACK TO SAVEPOINT before_drop;
COMMIT;
