-- A first for this platform: no golden path covers extensions, so this goes to a human review.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
