/* source_sqlite.c -- a table of an SQLite file as a row source
 * (`--source crm=sqlite:crm.db`), through libsqlite3.
 *
 * The file is opened read-only, with `query_only`, the defensive and
 * untrusted-schema settings, inside one transaction (a consistent read),
 * and every statement is interrupted after the statement timeout.  SQLite
 * keeps dates as text and decimals as binary floating point, so the GROUP
 * BY uses four functions of ours: sp_time (a date's month or day, checked
 * as the CSV reader checks it; anything else handed over as it is, for the
 * reader to report), sp_in (the fiscal-year window), and the aggregates
 * sp_sum and sp_count, which sum the values' decimal texts exactly (a REAL
 * is taken as SQLite writes it, 15 significant digits) and stop the query
 * at a value that is not a decimal.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/num.h"
#include "data/cells.h"
#include "data/source_db.h"

typedef struct {
    sqlite3 *db;
    sqlite3_stmt *st;
    char *path;
    struct timespec deadline;
    const char **vals;
    size_t *lens;
    int nvals;
} Lite;

static Lite *lite(DbSource *d)
{
    return (Lite *)d->conn;
}

/* ---- our SQL functions ---- */

/* The text of a value, trimmed (NULL for an SQL NULL). */
static const char *value_text(sqlite3_value *v, size_t *n)
{
    if (sqlite3_value_type(v) == SQLITE_NULL)
        return NULL;
    const char *s = (const char *)sqlite3_value_text(v);
    *n = (size_t)sqlite3_value_bytes(v);
    if (!s)
        return NULL;
    cval_trim(&s, n);
    return s;
}

/* sp_time(date, by_day): YYYY-MM (or YYYY-MM-DD) of a date, else the text. */
static void fn_time(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    size_t n = 0;
    const char *s = value_text(argv[0], &n);
    int y, m;
    if (!s)
        sqlite3_result_null(cx);
    else if (cval_date(s, n, &y, &m))
        sqlite3_result_text(cx, s, sqlite3_value_int(argv[1]) ? 10 : 7, SQLITE_TRANSIENT);
    else
        sqlite3_result_text(cx, s, (int)n, SQLITE_TRANSIENT);
}

/* sp_in(date, first, last): whether the row is kept (NULLs and texts that
 * are no date are, for the reader to report). */
static void fn_in(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    size_t n = 0;
    const char *s = value_text(argv[0], &n);
    int y, m;
    if (!s || !cval_date(s, n, &y, &m)) {
        sqlite3_result_int(cx, 1);
        return;
    }
    const char *a = (const char *)sqlite3_value_text(argv[1]);
    const char *b = (const char *)sqlite3_value_text(argv[2]);
    sqlite3_result_int(cx, a && b && memcmp(s, a, 10) >= 0 && memcmp(s, b, 10) <= 0);
}

/* An aggregate's state.  SQLite aligns it to 8 bytes only, so the 16-byte
 * Num is kept as bytes (memcpy in and out). */
typedef struct {
    unsigned char sum[sizeof(Num)];
    long long count;
} Agg;

static void sum_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    size_t n = 0;
    const char *s = value_text(argv[0], &n);
    if (!s || n == 0)
        return;
    Agg *g = sqlite3_aggregate_context(cx, sizeof *g);
    Num v;
    if (!g) {
        sqlite3_result_error_nomem(cx);
        return;
    }
    if (cval_decimal(s, n, false, &v) != NUM_OK) {
        char *msg = sqlite3_mprintf("'%.*s' is not a number (a plain decimal such as 1234.56)",
                                    cval_clip(s, n, 40), s);
        sqlite3_result_error(cx, msg, -1);
        sqlite3_free(msg);
        return;
    }
    Num sum;
    memcpy(&sum, g->sum, sizeof sum);
    if (g->count == 0)
        sum = NUM_ZERO;
    if (num_add(sum, v, &sum) != NUM_OK) {
        sqlite3_result_error(cx, "the values add up to more than the largest number", -1);
        return;
    }
    memcpy(g->sum, &sum, sizeof sum);
    g->count++;
}

static void sum_final(sqlite3_context *cx)
{
    Agg *g = sqlite3_aggregate_context(cx, 0);
    char buf[NUM_BUFSZ];
    Num sum;
    if (!g || g->count == 0) {
        sqlite3_result_null(cx);
        return;
    }
    memcpy(&sum, g->sum, sizeof sum);
    sqlite3_result_text(cx, num_str(sum, buf), -1, SQLITE_TRANSIENT);
}

static void count_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    size_t n = 0;
    const char *s = value_text(argv[0], &n);
    Agg *g = sqlite3_aggregate_context(cx, sizeof *g);
    if (g && s && n)
        g->count++;
}

static void count_final(sqlite3_context *cx)
{
    Agg *g = sqlite3_aggregate_context(cx, 0);
    sqlite3_result_int64(cx, g ? g->count : 0);
}

static int add_functions(sqlite3 *db)
{
    int f = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    int rc = sqlite3_create_function(db, "sp_time", 2, f, NULL, fn_time, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "sp_in", 3, f, NULL, fn_in, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "sp_sum", 1, f, NULL, NULL, sum_step, sum_final);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "sp_count", 1, f, NULL, NULL, count_step, count_final);
    return rc;
}

/* ---- the SQL of a column ---- */

static void lite_key(Buf *sql, const char *q, const DbColumn *c)
{
    (void)c;
    buf_printf(sql, "CAST(%s AS TEXT)", q);
}

static void lite_time(Buf *sql, const char *q, const DbColumn *c, bool by_day)
{
    (void)c;
    buf_printf(sql, "sp_time(%s, %d)", q, by_day ? 1 : 0);
}

static void lite_window(Buf *sql, const char *q, const DbColumn *c, const char *first,
                        const char *last)
{
    (void)c;
    buf_printf(sql, "sp_in(%s, '%s', '%s')", q, first, last);
}

static void lite_sum(Buf *sql, const char *q, const DbColumn *c)
{
    (void)c;
    buf_printf(sql, "sp_sum(%s)", q);
}

static void lite_count(Buf *sql, const char *q, const DbColumn *c)
{
    (void)c;
    buf_printf(sql, "sp_count(%s)", q);
}

/* ---- running ---- */

static int lite_fail(DbSource *d, const char *what)
{
    Lite *l = lite(d);
    int code = sqlite3_errcode(l->db);
    if (code == SQLITE_INTERRUPT)
        return db_fail(d, "the statement ran longer than %ld s (SALESPLAN_STATEMENT_TIMEOUT)",
                       d->timeout_ms / 1000);
    return db_fail(d, "%s%s", what, sqlite3_errmsg(l->db));
}

/* Interrupts a statement past the deadline. */
static int progress(void *arg)
{
    Lite *l = arg;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > l->deadline.tv_sec ||
           (now.tv_sec == l->deadline.tv_sec && now.tv_nsec > l->deadline.tv_nsec);
}

static int lite_exec(DbSource *d, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(lite(d)->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    int rc = db_fail(d, "%s", msg ? msg : "cannot run a statement");
    sqlite3_free(msg);
    return rc;
}

static int lite_connect(DbSource *d, const char *where)
{
    Lite *l = xcalloc(1, sizeof *l);
    d->conn = l;
    l->path = xstrdup(where + strlen("sqlite:"));
    struct stat st;
    if (stat(l->path, &st) != 0)
        return db_fail(d, "cannot open '%s': no such SQLite file", l->path);
    if (!S_ISREG(st.st_mode)) /* a FIFO, a device, a directory: never a wait */
        return db_fail(d, "cannot open '%s': not a regular file", l->path);
    int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(l->path, &l->db, flags, NULL) != SQLITE_OK)
        return lite_fail(d, "cannot open the SQLite file: ");
    sqlite3_db_config(l->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(l->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_db_config(l->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
    sqlite3_busy_timeout(l->db, 5000);
    clock_gettime(CLOCK_MONOTONIC, &l->deadline);
    l->deadline.tv_sec += d->timeout_ms / 1000;
    sqlite3_progress_handler(l->db, 10000, progress, l);
    if (add_functions(l->db) != SQLITE_OK)
        return lite_fail(d, "");
    if (lite_exec(d, "PRAGMA query_only = 1") < 0)
        return -1;
    return lite_exec(d, "BEGIN");
}

static DbType affinity(const char *type)
{
    char up[64] = {0};
    for (size_t i = 0; type[i] && i < sizeof up - 1; i++)
        up[i] = (char)(type[i] >= 'a' && type[i] <= 'z' ? type[i] - 'a' + 'A' : type[i]);
    if (strstr(up, "INT") || strstr(up, "REAL") || strstr(up, "FLOA") || strstr(up, "DOUB"))
        return DB_NUM;
    if (!*up || strstr(up, "CHAR") || strstr(up, "CLOB") || strstr(up, "TEXT") ||
        strstr(up, "BLOB"))
        return DB_TEXT;
    if (strstr(up, "DATE") || strstr(up, "TIME"))
        return DB_TEXT; /* SQLite keeps dates as text: sp_time reads them */
    if (strstr(up, "BOOL"))
        return DB_OTHER;
    return DB_NUM; /* NUMERIC affinity */
}

static int lite_describe(DbSource *d)
{
    Lite *l = lite(d);
    sqlite3_stmt *st = NULL;
    const char *sql = "SELECT name, type FROM pragma_table_info(?1, ?2)";
    if (sqlite3_prepare_v2(l->db, sql, -1, &st, NULL) != SQLITE_OK)
        return lite_fail(d, "");
    const char *dot = strchr(d->table, '.'); /* schema.table */
    sqlite3_bind_text(st, 1, dot ? dot + 1 : d->table, -1, SQLITE_STATIC);
    if (dot)
        sqlite3_bind_text(st, 2, d->table, (int)(dot - d->table), SQLITE_STATIC);
    else
        sqlite3_bind_text(st, 2, "main", -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *type = (const char *)sqlite3_column_text(st, 1);
        db_add_column(d, name ? name : "", type && *type ? type : "untyped",
                      affinity(type ? type : ""));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : lite_fail(d, "");
}

static int lite_start(DbSource *d, const char *sql, bool prepare_only)
{
    Lite *l = lite(d);
    sqlite3_finalize(l->st);
    l->st = NULL;
    if (sqlite3_prepare_v2(l->db, sql, -1, &l->st, NULL) != SQLITE_OK)
        return lite_fail(d, "");
    l->nvals = sqlite3_column_count(l->st);
    free(l->vals);
    free(l->lens);
    l->vals = xcalloc((size_t)l->nvals + 1, sizeof *l->vals);
    l->lens = xcalloc((size_t)l->nvals + 1, sizeof *l->lens);
    if (prepare_only) {
        sqlite3_finalize(l->st);
        l->st = NULL;
    }
    return 0;
}

static int lite_fetch(DbSource *d, const char ***vals, const size_t **lens)
{
    Lite *l = lite(d);
    int rc = sqlite3_step(l->st);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW)
        return lite_fail(d, "");
    for (int i = 0; i < l->nvals; i++) {
        bool null = sqlite3_column_type(l->st, i) == SQLITE_NULL;
        l->vals[i] = null ? NULL : (const char *)sqlite3_column_text(l->st, i);
        l->lens[i] = null ? 0 : (size_t)sqlite3_column_bytes(l->st, i);
    }
    *vals = l->vals;
    *lens = l->lens;
    return 1;
}

static void lite_tables(DbSource *d, void (*fn)(void *arg, const char *name), void *arg)
{
    sqlite3_stmt *st = NULL;
    const char *sql = "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') ORDER BY 1";
    if (sqlite3_prepare_v2(lite(d)->db, sql, -1, &st, NULL) == SQLITE_OK)
        while (sqlite3_step(st) == SQLITE_ROW)
            fn(arg, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

/* The file's size, time and inode (and its write-ahead log's). */
static void lite_marker(DbSource *d, Buf *out)
{
    Lite *l = lite(d);
    Buf wal = {0};
    buf_printf(&wal, "%s-wal", l->path);
    const char *paths[] = {l->path, buf_cstr(&wal)};
    for (int i = 0; i < 2; i++) {
        struct stat st;
        if (stat(paths[i], &st) == 0)
            buf_printf(out, "%lld:%lld.%09ld:%llu ", (long long)st.st_size,
                       (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                       (unsigned long long)st.st_ino);
    }
    buf_free(&wal);
}

static void lite_close(DbSource *d)
{
    Lite *l = lite(d);
    sqlite3_finalize(l->st);
    sqlite3_close_v2(l->db);
    free(l->vals);
    free(l->lens);
    free(l->path);
    free(l);
    d->conn = NULL;
}

static const DbEngine lite_engine = {
    .what = "SQLite",
    .describe = lite_describe,
    .key = lite_key,
    .time = lite_time,
    .window = lite_window,
    .sum = lite_sum,
    .count = lite_count,
    .start = lite_start,
    .fetch = lite_fetch,
    .tables = lite_tables,
    .marker = lite_marker,
    .close = lite_close,
};

RowSource *src_sqlite_open(const char *where, const char *table, const char *order,
                           const char *name, char **err)
{
    if (!table) {
        if (err)
            *err = xstrdup("an SQLite file is read through a source: `from source \"NAME\" table "
                           "\"T\"` in the plan, --source NAME=sqlite:FILE");
        return NULL;
    }
    return db_open(&lite_engine, where, table, order, name, lite_connect, err);
}
