/* source_pg.c -- a PostgreSQL table as a row source (`--source
 * crm=postgresql://...`), through libpq; also any engine that speaks its
 * protocol and SQL (Citus, Greenplum, Redshift, CockroachDB ...).
 *
 * One connection, one read-only REPEATABLE READ transaction with a
 * statement timeout, the client encoding UTF-8.  The table is described
 * from the catalog (to_regclass of the quoted name, so a name is never SQL)
 * with whether the user may read it; the query's rows come back in
 * single-row mode, so memory holds one row whatever the result's size.
 * Sums are numeric (exact; a floating-point column is cast to numeric,
 * 15 significant digits); a text column's values are cast to numeric and a
 * text that is not a number stops the query with the database's message.
 */
#include <dlfcn.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/source_db.h"

/* ---- libpq, loaded when a PostgreSQL source first opens ---- */

/* Not linked: libpq and what it loads (TLS, Kerberos, LDAP, SASL: about
 * twenty libraries) took every command about 3 ms to start, PostgreSQL or
 * not.  The functions are found by name in libpq.so.5, the library of
 * libpq-fe.h (Debian's libpq5), and called as pq.PQxxx: one missing
 * from this list does not compile. */
#define PQ_FUNCTIONS(X)                                                                            \
    X(PQclear)                                                                                     \
    X(PQconnectdbParams)                                                                           \
    X(PQerrorMessage)                                                                              \
    X(PQexec)                                                                                      \
    X(PQexecParams)                                                                                \
    X(PQfinish)                                                                                    \
    X(PQgetisnull)                                                                                 \
    X(PQgetlength)                                                                                 \
    X(PQgetResult)                                                                                 \
    X(PQgetvalue)                                                                                  \
    X(PQnfields)                                                                                   \
    X(PQntuples)                                                                                   \
    X(PQprepare)                                                                                   \
    X(PQresultErrorField)                                                                          \
    X(PQresultErrorMessage)                                                                        \
    X(PQresultStatus)                                                                              \
    X(PQsendQuery)                                                                                 \
    X(PQsetSingleRowMode)                                                                          \
    X(PQstatus)

#define PQ_POINTER(f) __typeof__(f) *f;
static struct {
    PQ_FUNCTIONS(PQ_POINTER)
} pq;

/* Loads libpq: NULL, or why it cannot be used (a static text).  Only
 * success is remembered, so a REPL session that was told to install the
 * library finds it on the next :reload. */
static const char *pq_load(void)
{
    static bool loaded;
    static char why[256];
    if (loaded)
        return NULL;
    void *lib = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *e = dlerror();
        snprintf(why, sizeof why, "%s", e && *e ? e : "libpq.so.5 not found");
        return why;
    }
    void *sym;
#define PQ_FIND(f)                                                                                 \
    if (!(sym = dlsym(lib, #f))) {                                                                 \
        snprintf(why, sizeof why, "libpq.so.5 has no %s", #f);                                     \
        dlclose(lib);                                                                              \
        return why;                                                                                \
    }                                                                                              \
    memcpy(&pq.f, &sym, sizeof sym); /* POSIX: a function's address fits in a void * */
    PQ_FUNCTIONS(PQ_FIND)
    loaded = true;
    return NULL;
}

/* ---- the source ---- */

typedef struct {
    PGconn *pg;
    PGresult *res; /* the row handed over */
    const char **vals;
    size_t *lens;
    int nvals;
    bool streaming;
} Pg;

static Pg *pg(DbSource *d)
{
    return (Pg *)d->conn;
}

static int pg_fail(DbSource *d, const char *what, const char *msg)
{
    return db_fail(d, "%s%s", what, msg && *msg ? msg : pq.PQerrorMessage(pg(d)->pg));
}

/* The error of a result: the server's primary message ("permission denied for
 * table sales"), without libpq's "ERROR:" and the context lines; else what
 * libpq says (a connection lost). */
static int pg_result_fail(DbSource *d, const PGresult *r)
{
    const char *primary = r ? pq.PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    return pg_fail(d, "", primary && *primary ? primary : r ? pq.PQresultErrorMessage(r) : NULL);
}

/* Runs a statement that returns nothing (or rows we do not need). */
static int pg_exec(DbSource *d, const char *sql)
{
    PGresult *r = pq.PQexec(pg(d)->pg, sql);
    ExecStatusType st = pq.PQresultStatus(r);
    int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : pg_result_fail(d, r);
    pq.PQclear(r);
    return rc;
}

static int pg_connect(DbSource *d, const char *where)
{
    const char *why = pq_load();
    if (why)
        return db_fail(d,
                       "cannot connect: PostgreSQL's client library cannot be loaded (%s); "
                       "install it (Debian: apt-get install libpq5)",
                       why);
    Pg *p = xcalloc(1, sizeof *p);
    d->conn = p;
    const char *keys[] = {"dbname", "client_encoding", "application_name", NULL};
    const char *vals[] = {where, "UTF8", "salesplan", NULL};
    p->pg = pq.PQconnectdbParams(keys, vals, 1);
    if (!p->pg)
        return db_fail(d, "cannot connect: out of memory");
    if (pq.PQstatus(p->pg) != CONNECTION_OK)
        return pg_fail(d, "cannot connect: ", NULL);
    Buf set = {0};
    buf_printf(&set,
               "BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY; "
               "SET LOCAL statement_timeout = %ld; SET LOCAL lock_timeout = %ld",
               d->timeout_ms, d->timeout_ms);
    int rc = pg_exec(d, buf_cstr(&set));
    buf_free(&set);
    return rc;
}

static DbType pg_type(const char *category, const char *name)
{
    if (*category == 'N')
        return strcmp(name, "money") == 0 ? DB_OTHER : DB_NUM;
    if (*category == 'S')
        return DB_TEXT;
    if (*category == 'D' && (strcmp(name, "date") == 0 || strncmp(name, "timestamp", 9) == 0))
        return DB_DATE;
    return DB_OTHER;
}

static int pg_describe(DbSource *d)
{
    Buf q = {0};
    db_table_sql(&q, d);
    const char *sql =
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod), t.typcategory, t.typname, "
        "has_table_privilege(c.oid, 'SELECT') OR has_any_column_privilege(c.oid, 'SELECT') "
        "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid "
        "JOIN pg_catalog.pg_type t ON t.oid = CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_type "
        "b WHERE b.oid = a.atttypid AND b.typtype = 'd') THEN (SELECT b.typbasetype FROM "
        "pg_catalog.pg_type b WHERE b.oid = a.atttypid) ELSE a.atttypid END "
        "WHERE c.oid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";
    const char *params[] = {buf_cstr(&q)};
    PGresult *r = pq.PQexecParams(pg(d)->pg, sql, 1, NULL, params, NULL, NULL, 0);
    buf_free(&q);
    int rc = 0;
    if (pq.PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = pg_result_fail(d, r);
    } else if (pq.PQntuples(r) > 0 && strcmp(pq.PQgetvalue(r, 0, 4), "t") != 0) {
        rc = db_fail(d, "permission denied: the database user may not read this table");
    } else {
        for (int i = 0; i < pq.PQntuples(r); i++)
            db_add_column(d, pq.PQgetvalue(r, i, 0), pq.PQgetvalue(r, i, 1),
                          pg_type(pq.PQgetvalue(r, i, 2), pq.PQgetvalue(r, i, 3)));
    }
    pq.PQclear(r);
    return rc;
}

/* ---- the SQL of a column ---- */

static void pg_key(Buf *sql, const char *q, const DbColumn *c)
{
    (void)c;
    buf_printf(sql, "CAST(%s AS text) COLLATE \"C\"", q);
}

/* A month as the number YYYYMM (grouping by a number is about a fifth
 * faster than by to_char's text); a day as text. */
static void pg_time(Buf *sql, const char *q, const DbColumn *c, bool by_day)
{
    Buf d = {0};
    buf_printf(&d, c->type == DB_DATE ? "%s" : "CAST(%s AS date)", q);
    const char *v = buf_cstr(&d);
    if (by_day)
        buf_printf(sql, "to_char(%s, 'YYYY-MM-DD') COLLATE \"C\"", v);
    else
        buf_printf(sql,
                   "CAST(date_part('year', %s) AS int) * 100 + CAST(date_part('month', %s) AS int)",
                   v, v);
    buf_free(&d);
}

static void pg_window(Buf *sql, const char *q, const DbColumn *c, const char *first,
                      const char *last)
{
    if (c->type == DB_DATE)
        buf_printf(sql, "(%s IS NULL OR (%s >= DATE '%s' AND %s < DATE '%s' + 1))", q, q, first, q,
                   last);
    else
        buf_printf(sql, "(%s IS NULL OR CAST(%s AS date) BETWEEN DATE '%s' AND DATE '%s')", q, q,
                   first, last);
}

static void pg_sum(Buf *sql, const char *q, const DbColumn *c)
{
    if (c->type == DB_NUM)
        buf_printf(sql, "SUM(CAST(%s AS numeric))", q);
    else
        buf_printf(sql, "SUM(CAST(NULLIF(btrim(%s), '') AS numeric))", q);
}

static void pg_count(Buf *sql, const char *q, const DbColumn *c)
{
    if (c->type == DB_NUM)
        buf_printf(sql, "COUNT(%s)", q);
    else
        buf_printf(sql, "COUNT(NULLIF(btrim(%s), ''))", q);
}

/* ---- running ---- */

static int pg_start(DbSource *d, const char *sql, bool prepare_only)
{
    Pg *p = pg(d);
    if (prepare_only) {
        PGresult *r = pq.PQprepare(p->pg, "", sql, 0, NULL);
        int rc = pq.PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : pg_result_fail(d, r);
        pq.PQclear(r);
        return rc;
    }
    if (!pq.PQsendQuery(p->pg, sql))
        return pg_fail(d, "", NULL);
    if (!pq.PQsetSingleRowMode(p->pg))
        return pg_fail(d, "", NULL);
    p->streaming = true;
    return 0;
}

/* Reads the results left after the last row (the end, or an error). */
static int pg_drain(DbSource *d, PGresult *r)
{
    Pg *p = pg(d);
    int rc = 0;
    for (; r; r = pq.PQgetResult(p->pg)) {
        ExecStatusType st = pq.PQresultStatus(r);
        if (rc == 0 && st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
            rc = pg_result_fail(d, r);
        pq.PQclear(r);
    }
    p->streaming = false;
    if (rc == 0 && pq.PQstatus(p->pg) != CONNECTION_OK)
        rc = pg_fail(d, "the connection was lost: ", NULL);
    return rc;
}

static int pg_fetch(DbSource *d, const char ***vals, const size_t **lens)
{
    Pg *p = pg(d);
    pq.PQclear(p->res);
    p->res = NULL;
    if (!p->streaming)
        return 0;
    PGresult *r = pq.PQgetResult(p->pg);
    if (!r || pq.PQresultStatus(r) != PGRES_SINGLE_TUPLE) {
        int rc = pg_drain(d, r);
        return rc < 0 ? -1 : 0;
    }
    p->res = r;
    int n = pq.PQnfields(r);
    if (n > p->nvals) {
        p->vals = xrealloc(p->vals, (size_t)n * sizeof *p->vals);
        p->lens = xrealloc(p->lens, (size_t)n * sizeof *p->lens);
        p->nvals = n;
    }
    for (int i = 0; i < n; i++) {
        bool null = pq.PQgetisnull(r, 0, i);
        p->vals[i] = null ? NULL : pq.PQgetvalue(r, 0, i);
        p->lens[i] = null ? 0 : (size_t)pq.PQgetlength(r, 0, i);
    }
    *vals = p->vals;
    *lens = p->lens;
    return 1;
}

static void pg_tables(DbSource *d, void (*fn)(void *arg, const char *name), void *arg)
{
    const char *sql = "SELECT relname FROM pg_catalog.pg_class WHERE relkind IN ('r', 'v', 'm', "
                      "'p', 'f') AND pg_catalog.pg_table_is_visible(oid) ORDER BY 1";
    PGresult *r = pq.PQexec(pg(d)->pg, sql);
    if (pq.PQresultStatus(r) == PGRES_TUPLES_OK)
        for (int i = 0; i < pq.PQntuples(r); i++)
            fn(arg, pq.PQgetvalue(r, i, 0));
    pq.PQclear(r);
}

/* The table's size and the statistics' counts of rows written: cheap, and
 * they change when rows do (a view's do not: :actuals reload). */
static void pg_marker(DbSource *d, Buf *out)
{
    Pg *p = pg(d);
    if (p->streaming)
        return;
    Buf q = {0};
    db_table_sql(&q, d);
    const char *sql = "SELECT pg_relation_size(c.oid), pg_stat_get_tuples_inserted(c.oid), "
                      "pg_stat_get_tuples_updated(c.oid), pg_stat_get_tuples_deleted(c.oid), "
                      "pg_stat_get_live_tuples(c.oid) FROM pg_catalog.pg_class c "
                      "WHERE c.oid = to_regclass($1)";
    const char *params[] = {buf_cstr(&q)};
    PGresult *r = pq.PQexecParams(p->pg, sql, 1, NULL, params, NULL, NULL, 0);
    if (pq.PQresultStatus(r) == PGRES_TUPLES_OK && pq.PQntuples(r) == 1)
        for (int i = 0; i < 5; i++)
            buf_printf(out, "%s ", pq.PQgetvalue(r, 0, i));
    pq.PQclear(r);
    buf_free(&q);
}

static void pg_close(DbSource *d)
{
    Pg *p = pg(d);
    pq.PQclear(p->res);
    if (p->pg)
        pq.PQfinish(p->pg); /* ends the transaction; a query still streaming is dropped */
    free(p->vals);
    free(p->lens);
    free(p);
    d->conn = NULL;
}

static const DbEngine pg_engine = {
    .what = "PostgreSQL",
    .describe = pg_describe,
    .key = pg_key,
    .time = pg_time,
    .window = pg_window,
    .sum = pg_sum,
    .count = pg_count,
    .start = pg_start,
    .fetch = pg_fetch,
    .tables = pg_tables,
    .marker = pg_marker,
    .close = pg_close,
};

RowSource *src_pg_open(const char *where, const char *table, const char *order, const char *name,
                       char **err)
{
    if (!table) {
        if (err)
            *err = xstrdup("a PostgreSQL database is read through a source: `from source \"NAME\" "
                           "table \"T\"` in the plan, --source NAME=postgresql://...");
        return NULL;
    }
    return db_open(&pg_engine, where, table, order, name, pg_connect, err);
}
