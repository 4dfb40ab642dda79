// PostgreSQL's own parser (libpg_query, Debian's libpg-query-dev), used to tell invalid SQL from valid SQL.
#include <pg_query.h>
