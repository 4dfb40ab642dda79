CREATE TABLE t (a int);
SELECT 'never closed;
CREATE INDEX i ON t (a);
