-- Every lexical form PostgreSQL migrations use.
/* a block comment /* nested */ still a comment ; */
SET lock_timeout = '2s';
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  NEW.updated_at := now(); -- ; inside the body
  RETURN NEW;
END;
$body$;
INSERT INTO notes (body) VALUES (E'it\'s; fine'), (U&'d\0061t\+000061'), ('semi;colon'), ($$dollar;$$);
SELECT "Weird;Name" FROM "Sales"."Orders";
\set ON_ERROR_STOP on
SELECT {{ .Schema }}.x FROM t WHERE a = :'value' AND b = $1;
COPY notes (body) FROM stdin;
data; with; semicolons
\.
CREATE FUNCTION add(a int, b int) RETURNS int
    BEGIN ATOMIC
        SELECT CASE WHEN a > 0 THEN a ELSE 0 END + b;
    END;
select 1\; select 2;
