/* source_kinds.h -- the kinds of row sources, one line each: SRC_KIND(scheme,
 * open function).  A where that starts with a kind's scheme ("sqlite:",
 * "postgresql://") is opened by that kind; any other where is a file path,
 * opened by the kind whose scheme is NULL (the last line).  source.h
 * declares the open functions from this list and source.c builds its table
 * from it: adding a kind of source is one file and one line here.  No
 * include guard: it is read once per use with SRC_KIND defined.
 */
SRC_KIND("postgresql://", src_pg_open) /* a PostgreSQL table (source_pg.c) */
SRC_KIND("postgres://", src_pg_open)
SRC_KIND("sqlite:", src_sqlite_open) /* a table of an SQLite file (source_sqlite.c) */
SRC_KIND(NULL, src_csv_open)         /* a file path: a CSV file (source_csv.c) */
