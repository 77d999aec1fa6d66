/* source_db.h -- what the database kinds of row source share (source_db.c):
 * a table of a database as a row source, whatever the engine.
 *
 * A DbSource is opened on a table: its header is the table's columns (from
 * the catalog, in table order; a roster's `order` column left out), and no
 * row is read until the reader says what it needs (src_request) or asks
 * for the first row.  Then source_db.c writes one SELECT from the columns'
 * roles -- only quoted identifiers, never text of the plan's as SQL -- and
 * the engine streams its rows back.  An aggregating request becomes
 * `GROUP BY` the key and time columns with a sum and a count per value
 * column and a count of rows, filtered to the fiscal year; each group is
 * handed over as one row whose weight is its row count, with the count of
 * each value column's values (SrcRow.counts).  Without a
 * request every row is read, every column as text, in the order of the
 * `order` column or else sorted by all columns.
 *
 * An engine (source_pg.c, source_sqlite.c) fills a DbEngine: how to
 * describe a table, how a column of each kind becomes a key, a month or a
 * sum in its SQL, and how to run a query (or only prepare it) and fetch
 * its rows.  Every engine runs in a read-only transaction with a statement
 * timeout (SALESPLAN_STATEMENT_TIMEOUT seconds, default 600).
 *
 * Ownership: a DbSource belongs to whoever opened it (src_close); the
 * engine's state (eng) is freed by its close.  Texts a fetch returns stay
 * valid until the next fetch.
 */
#ifndef SOURCE_DB_H
#define SOURCE_DB_H

#include "data/source.h"

/* What a column holds, as far as reading it goes. */
typedef enum {
    DB_TEXT,  /* text (or no declared type): anything, read as text */
    DB_NUM,   /* a number: integer, numeric, floating point */
    DB_DATE,  /* a date or a timestamp */
    DB_OTHER, /* anything else (boolean, money, json, ...): only a key */
} DbType;

typedef struct {
    char *name;
    char *type_name; /* as the catalog spells it, for messages */
    DbType type;
} DbColumn;

typedef struct DbSource DbSource;

typedef struct {
    const char *what; /* "PostgreSQL", "SQLite" */
    /* The columns of d->table (schema.table or table; db_table_sql); 0, or
     * -1 with db_fail. */
    int (*describe)(DbSource *d);
    /* SQL for a column as a group key (text), its month (text YYYY-MM or
     * the number YYYYMM) or day (text YYYY-MM-DD; by_day), the filter keeping NULL, invalid and
     * in-window dates (first and last day, YYYY-MM-DD), its sum as text and
     * its count of values.  q is the quoted identifier.  Keys and times sort
     * by their bytes (the same order in every engine). */
    void (*key)(Buf *sql, const char *q, const DbColumn *c);
    void (*time)(Buf *sql, const char *q, const DbColumn *c, bool by_day);
    void (*window)(Buf *sql, const char *q, const DbColumn *c, const char *first, const char *last);
    void (*sum)(Buf *sql, const char *q, const DbColumn *c);
    void (*count)(Buf *sql, const char *q, const DbColumn *c);
    /* Runs sql (or, prepare_only, only checks it); 0, or -1 with db_fail. */
    int (*start)(DbSource *d, const char *sql, bool prepare_only);
    /* The next result row: 1 (vals[i] NULL for an SQL NULL), 0 at the end,
     * -1 with db_fail. */
    int (*fetch)(DbSource *d, const char ***vals, const size_t **lens);
    /* The names of the tables and views the user sees, each passed to fn
     * (for a did-you-mean); may be NULL. */
    void (*tables)(DbSource *d, void (*fn)(void *arg, const char *name), void *arg);
    /* A cheap change marker of the table (appended). */
    void (*marker)(DbSource *d, Buf *out);
    void (*close)(DbSource *d);
} DbEngine;

struct DbSource {
    RowSource base;
    const DbEngine *eng;
    void *conn;     /* the engine's */
    char *where;    /* the URI, for the signature (without a password) */
    char *table;    /* as the plan wrote it */
    char *order;    /* a roster's order column, or NULL */
    DbColumn *cols; /* the table's columns */
    size_t ncols;
    int order_col; /* index of order in cols, or -1 */
    size_t *shown; /* header column -> cols index (order_col left out) */
    size_t nshown;
    int state; /* source_db.c's */
    char *err; /* the last error, malloc'd */
    long timeout_ms;
    /* the rows being handed over (source_db.c) */
    struct DbRows *rows;
};

/* Sets the source's error (printf-style) and returns -1. */
int db_fail(DbSource *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Adds a column of the table (describe calls it in table order). */
void db_add_column(DbSource *d, const char *name, const char *type_name, DbType type);

/* Appends s as a quoted SQL identifier ("a""b"). */
void db_quote_ident(Buf *b, const char *s);

/* Appends the source's table as quoted identifiers ("schema"."table"). */
void db_table_sql(Buf *b, const DbSource *d);

/* Opens table of the database at where with engine eng: calls open_conn
 * (which sets d->conn, or fails with db_fail) and describe.  NULL with *err
 * set on failure. */
RowSource *db_open(const DbEngine *eng, const char *where, const char *table, const char *order,
                   const char *name, int (*open_conn)(DbSource *d, const char *where), char **err);

/* The statement timeout in milliseconds (SALESPLAN_STATEMENT_TIMEOUT). */
long db_timeout_ms(void);

#endif
