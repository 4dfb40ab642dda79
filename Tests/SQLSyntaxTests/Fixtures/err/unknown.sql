CREATE TABLE t (a int);
FROBNICATE TABLE t;
/* open comment
