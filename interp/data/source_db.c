/* source_db.c -- a table of a database as a row source (source_db.h): the
 * header from the catalog, the one SELECT written from the reader's request
 * (quoted identifiers only), and the rows or groups handed over as SrcRows.
 * What an engine does differently (its catalog, its SQL for months and
 * exact sums, its wire) is in source_pg.c and source_sqlite.c.
 */
#include "data/source_db.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "data/cells.h"

enum { ST_HEADER, ST_READY, ST_ROWS, ST_GROUPS, ST_DONE, ST_FAILED };

#define DEFAULT_TIMEOUT_S 600

/* The groups being handed over, and where each result field goes. */
typedef struct DbRows {
    SrcRole *roles; /* per header column (a copy of the request's) */
    size_t nkeys;   /* result fields 0..nkeys-1: key and time columns, */
    size_t *key_at; /* ... into these header columns */
    size_t nvals;   /* then a sum and a count per value column */
    size_t *val_at; /* ... into these header columns */
    int time_at;    /* the header column of the time key, or -1 */
    bool month_key; /* the time key is a month (YYYY-MM): handed over as its first day */
    /* the group fetched */
    const char **vals;
    const size_t *lens;
    long *fcounts; /* per header column: the values its sum adds up */
    long line;     /* groups (or rows) handed over */
    /* the row handed over */
    char **fields;
    size_t *flens;
    Buf store;
    size_t *offs;
} DbRows;

int db_fail(DbSource *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    Buf b = {0};
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == ' '))
        b.len--;
    if (b.data)
        b.data[b.len] = '\0';          /* buf_cstr reads to the terminator, not to len */
    for (size_t i = 0; i < b.len; i++) /* one line: an engine's message may have several */
        if (b.data[i] == '\n' || b.data[i] == '\t')
            b.data[i] = ' ';
    free(d->err);
    d->err = xstrdup(buf_cstr(&b));
    buf_free(&b);
    d->state = ST_FAILED;
    return -1;
}

void db_add_column(DbSource *d, const char *name, const char *type_name, DbType type)
{
    d->cols = xrealloc(d->cols, (d->ncols + 1) * sizeof *d->cols);
    d->cols[d->ncols++] = (DbColumn){xstrdup(name), xstrdup(type_name ? type_name : ""), type};
}

void db_quote_ident(Buf *b, const char *s)
{
    buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            buf_putc(b, '"');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

long db_timeout_ms(void)
{
    const char *v = getenv("SALESPLAN_STATEMENT_TIMEOUT");
    char *end;
    long s = v && *v ? strtol(v, &end, 10) : DEFAULT_TIMEOUT_S;
    if (!v || !*v || *end || s <= 0 || s > 86400)
        s = DEFAULT_TIMEOUT_S;
    return s * 1000;
}

static DbSource *db_of(const RowSource *s)
{
    return (DbSource *)s;
}

void db_table_sql(Buf *b, const DbSource *d)
{
    const char *dot = strchr(d->table, '.');
    if (dot) {
        char *schema = xstrndup(d->table, (size_t)(dot - d->table));
        db_quote_ident(b, schema);
        free(schema);
        buf_putc(b, '.');
        db_quote_ident(b, dot + 1);
    } else {
        db_quote_ident(b, d->table);
    }
}

/* ---- the queries ---- */

static const DbColumn *col_at(const DbSource *d, size_t header_col)
{
    return &d->cols[d->shown[header_col]];
}

/* SELECT every shown column as text, ordered. */
static void plain_sql(DbSource *d, Buf *sql)
{
    buf_puts(sql, "SELECT ");
    Buf q = {0};
    for (size_t i = 0; i < d->nshown; i++) {
        q.len = 0;
        db_quote_ident(&q, col_at(d, i)->name);
        if (i)
            buf_puts(sql, ", ");
        d->eng->key(sql, buf_cstr(&q), col_at(d, i));
    }
    buf_puts(sql, " FROM ");
    db_table_sql(sql, d);
    buf_puts(sql, " ORDER BY ");
    if (d->order_col >= 0) {
        db_quote_ident(sql, d->order);
    } else {
        for (size_t i = 0; i < d->nshown; i++)
            buf_printf(sql, "%s%zu", i ? ", " : "", i + 1);
    }
    buf_free(&q);
}

/* First and last day of the window of absolute months (year * 12 + month - 1). */
static void window_days(int first, int last, char a[32], char b[32])
{
    snprintf(a, 32, "%04d-%02d-01", first / 12, first % 12 + 1);
    snprintf(b, 32, "%04d-%02d-%02d", last / 12, last % 12 + 1,
             cval_month_days(last / 12, last % 12 + 1));
}

/* Checks that each column's type fits its role. */
static int check_types(DbSource *d, const SrcRequest *rq)
{
    for (size_t i = 0; i < rq->n; i++) {
        const DbColumn *c = col_at(d, i);
        if (rq->roles[i] == SRC_VALUE && c->type != DB_NUM && c->type != DB_TEXT)
            return db_fail(d,
                           "column '%s' is %s: a metric needs a number column (or text holding "
                           "decimals)",
                           c->name, c->type_name);
        if (rq->roles[i] == SRC_DATE && c->type != DB_DATE && c->type != DB_TEXT)
            return db_fail(d,
                           "column '%s' is %s: a date needs a date or timestamp column (or text "
                           "holding YYYY-MM-DD)",
                           c->name, c->type_name);
    }
    return 0;
}

/* The GROUP BY query of an aggregating request; fills r's layout. */
static void group_sql(DbSource *d, const SrcRequest *rq, DbRows *r, Buf *sql)
{
    const DbEngine *e = d->eng;
    Buf q = {0}, where = {0};
    buf_puts(sql, "SELECT ");
    for (int pass = 0; pass < 2; pass++) /* the keys, then the time column */
        for (size_t i = 0; i < rq->n; i++) {
            SrcRole role = rq->roles[i];
            bool want = pass == 0 ? role == SRC_KEY : role == SRC_DATE || role == SRC_MONTH;
            if (!want)
                continue;
            const DbColumn *c = col_at(d, i);
            q.len = 0;
            db_quote_ident(&q, c->name);
            buf_puts(sql, r->nkeys ? ", " : "");
            if (role == SRC_DATE) {
                e->time(sql, buf_cstr(&q), c, rq->by_day);
                r->time_at = (int)i;
                r->month_key = !rq->by_day;
                if (rq->first_month >= 0) {
                    char a[32], b[32];
                    window_days(rq->first_month, rq->last_month, a, b);
                    e->window(&where, buf_cstr(&q), c, a, b);
                }
            } else {
                e->key(sql, buf_cstr(&q), c);
            }
            r->key_at[r->nkeys++] = i;
        }
    for (size_t i = 0; i < rq->n; i++) {
        if (rq->roles[i] != SRC_VALUE)
            continue;
        q.len = 0;
        db_quote_ident(&q, col_at(d, i)->name);
        buf_puts(sql, r->nkeys || r->nvals ? ", " : "");
        e->sum(sql, buf_cstr(&q), col_at(d, i));
        buf_puts(sql, ", ");
        e->count(sql, buf_cstr(&q), col_at(d, i));
        r->val_at[r->nvals++] = i;
    }
    buf_puts(sql, r->nkeys || r->nvals ? ", COUNT(*) FROM " : "COUNT(*) FROM ");
    db_table_sql(sql, d);
    if (where.len)
        buf_printf(sql, " WHERE %s", buf_cstr(&where));
    for (size_t k = 0; k < r->nkeys; k++)
        buf_printf(sql, "%s%zu", k ? ", " : " GROUP BY ", k + 1);
    for (size_t k = 0; k < r->nkeys; k++)
        buf_printf(sql, "%s%zu", k ? ", " : " ORDER BY ", k + 1);
    buf_free(&q);
    buf_free(&where);
}

/* Starts a query, appending it first to $SALESPLAN_SQL_LOG (the caller's
 * file: for a benchmark or a curious reader). */
static int start(DbSource *d, const char *sql, bool prepare_only)
{
    const char *log = getenv("SALESPLAN_SQL_LOG");
    FILE *f = log && *log ? fopen(log, "a") : NULL;
    if (f) {
        fprintf(f, "%s;\n", sql);
        fclose(f);
    }
    return d->eng->start(d, sql, prepare_only);
}

static DbRows *rows_new(size_t nheader)
{
    DbRows *r = xcalloc(1, sizeof *r);
    r->roles = xcalloc(nheader + 1, sizeof *r->roles);
    r->key_at = xcalloc(nheader + 1, sizeof *r->key_at);
    r->val_at = xcalloc(nheader + 1, sizeof *r->val_at);
    r->fcounts = xcalloc(nheader + 1, sizeof *r->fcounts);
    r->fields = xcalloc(nheader + 1, sizeof *r->fields);
    r->flens = xcalloc(nheader + 1, sizeof *r->flens);
    r->offs = xcalloc(nheader + 1, sizeof *r->offs);
    r->time_at = -1;
    return r;
}

static void rows_free(DbRows *r)
{
    if (!r)
        return;
    free(r->roles);
    free(r->key_at);
    free(r->val_at);
    free(r->fcounts);
    free(r->fields);
    free(r->flens);
    free(r->offs);
    buf_free(&r->store);
    free(r);
}

static int db_request(RowSource *s, const SrcRequest *rq)
{
    DbSource *d = db_of(s);
    if (d->state == ST_FAILED)
        return -1;
    if (d->state != ST_READY || rq->n != d->nshown)
        return db_fail(d, "the request does not fit the table's header");
    if (check_types(d, rq) < 0)
        return -1;
    rows_free(d->rows);
    d->rows = rows_new(d->nshown);
    memcpy(d->rows->roles, rq->roles, rq->n * sizeof *rq->roles);
    Buf sql = {0};
    group_sql(d, rq, d->rows, &sql);
    int rc = start(d, buf_cstr(&sql), rq->prepare_only);
    buf_free(&sql);
    if (rc < 0)
        return -1;
    d->state = rq->prepare_only ? ST_DONE : ST_GROUPS;
    return 0;
}

/* ---- rows ---- */

/* Copies the texts into the row (they stay valid until the next row). */
static void row_set(DbRows *r, size_t i, const char *s, size_t n, const char *suffix)
{
    r->offs[i] = r->store.len;
    buf_put(&r->store, s, n);
    if (suffix)
        buf_puts(&r->store, suffix);
    r->flens[i] = r->store.len - r->offs[i];
    buf_putc(&r->store, '\0');
}

static void row_finish(DbRows *r, size_t n, SrcRow *row, long weight)
{
    for (size_t i = 0; i < n; i++)
        r->fields[i] = r->store.data + r->offs[i];
    *row = (SrcRow){n, r->fields, r->flens, r->line, weight, NULL};
}

static long count_of(const char *s)
{
    return s ? strtol(s, NULL, 10) : 0;
}

/* The group fetched as one row: its keys, its sums, its counts. */
static void group_row(DbSource *d, SrcRow *row)
{
    DbRows *r = d->rows;
    r->store.len = 0;
    for (size_t i = 0; i < d->nshown; i++) {
        row_set(r, i, "", 0, NULL);
        r->fcounts[i] = 0;
    }
    for (size_t k = 0; k < r->nkeys; k++) {
        const char *s = r->vals[k];
        size_t n = s ? r->lens[k] : 0;
        bool month = r->month_key && (int)r->key_at[k] == r->time_at;
        if (month && n == 6 && strspn(s, "0123456789") == 6) { /* YYYYMM */
            char ym[16];
            snprintf(ym, sizeof ym, "%.4s-%.2s-01", s, s + 4);
            row_set(r, r->key_at[k], ym, 10, NULL);
        } else {
            row_set(r, r->key_at[k], s ? s : "", n, month && n == 7 ? "-01" : NULL);
        }
    }
    for (size_t i = 0; i < r->nvals; i++) {
        const char *s = r->vals[r->nkeys + 2 * i];
        r->fcounts[r->val_at[i]] = count_of(r->vals[r->nkeys + 2 * i + 1]);
        if (s && r->fcounts[r->val_at[i]] > 0)
            row_set(r, r->val_at[i], s, r->lens[r->nkeys + 2 * i], NULL);
    }
    row_finish(r, d->nshown, row, count_of(r->vals[r->nkeys + 2 * r->nvals]));
    row->counts = r->fcounts;
}

/* The next result row: a group (grouped) or a row of every column as text. */
static int next_row(DbSource *d, SrcRow *row, bool grouped)
{
    DbRows *r = d->rows;
    int rc = d->eng->fetch(d, &r->vals, &r->lens);
    if (rc <= 0) {
        d->state = rc < 0 ? ST_FAILED : ST_DONE;
        return rc;
    }
    r->line++;
    if (grouped) {
        group_row(d, row);
        return 1;
    }
    r->store.len = 0;
    for (size_t i = 0; i < d->nshown; i++)
        row_set(r, i, r->vals[i] ? r->vals[i] : "", r->vals[i] ? r->lens[i] : 0, NULL);
    row_finish(r, d->nshown, row, 1);
    return 1;
}

static int db_next(RowSource *s, SrcRow *row)
{
    DbSource *d = db_of(s);
    switch (d->state) {
    case ST_HEADER: {
        DbRows *r = d->rows;
        r->store.len = 0;
        for (size_t i = 0; i < d->nshown; i++)
            row_set(r, i, col_at(d, i)->name, strlen(col_at(d, i)->name), NULL);
        row_finish(r, d->nshown, row, 1);
        row->line = 0;
        d->state = ST_READY;
        return 1;
    }
    case ST_READY: {
        Buf sql = {0};
        plain_sql(d, &sql);
        int rc = start(d, buf_cstr(&sql), false);
        buf_free(&sql);
        if (rc < 0)
            return -1;
        d->state = ST_ROWS;
        return next_row(d, row, false);
    }
    case ST_ROWS:
        return next_row(d, row, false);
    case ST_GROUPS:
        return next_row(d, row, true);
    case ST_FAILED:
        return -1;
    default:
        return 0;
    }
}

static const char *db_error(const RowSource *s, long *line, long *col)
{
    if (line)
        *line = 0;
    if (col)
        *col = 0;
    return db_of(s)->err;
}

/* A row shown as `column=value, ... (N rows)`. */
static void db_locate(RowSource *s, const SrcRow *row, long fi, size_t max, SrcPos *at, Buf *text)
{
    DbSource *d = db_of(s);
    Buf own = {0};
    Buf *b = text ? text : &own;
    b->len = 0;
    long col = 1, here = 1, end = 1;
    for (size_t i = 0; i < row->nfields && i < d->nshown; i++) {
        bool used = !d->rows || d->rows->roles[i] != SRC_UNUSED || d->state == ST_ROWS;
        if (!used && (long)i != fi)
            continue;
        if (b->len) {
            buf_puts(b, ", ");
            col += 2;
        }
        const char *name = col_at(d, i)->name;
        buf_printf(b, "%s=", name);
        col += (long)utf8_count(name, strlen(name)) + 1;
        if ((long)i == fi)
            here = col;
        buf_put(b, row->fields[i], row->lens[i]);
        col += (long)utf8_count(row->fields[i], row->lens[i]);
        if ((long)i == fi)
            end = col > here ? col - 1 : here;
    }
    if (row->weight != 1)
        buf_printf(b, " (%ld rows)", row->weight);
    if (b->len > max)
        b->len = max;
    buf_free(&own);
    *at = (SrcPos){row->line, here, end};
}

static void db_signature(const RowSource *s, Buf *out)
{
    DbSource *d = db_of(s);
    buf_printf(out, "[%s %s table %s ", d->eng->what, d->where, d->table);
    if (d->eng->marker)
        d->eng->marker(d, out);
    buf_putc(out, ']');
}

static void db_close(RowSource *s)
{
    DbSource *d = db_of(s);
    if (d->eng && d->conn)
        d->eng->close(d);
    for (size_t i = 0; i < d->ncols; i++) {
        free(d->cols[i].name);
        free(d->cols[i].type_name);
    }
    free(d->cols);
    free(d->shown);
    free(d->where);
    free(d->table);
    free(d->order);
    free(d->err);
    rows_free(d->rows);
    src_fini(&d->base);
    free(d);
}

static const SrcOps db_ops = {
    .next = db_next,
    .error = db_error,
    .locate = db_locate,
    .signature = db_signature,
    .request = db_request,
    .close = db_close,
};

/* The URI without a password (user:secret@ -> user@, password=... dropped). */
static char *uri_shown(const char *where)
{
    Buf b = {0};
    const char *at = strchr(where, '@'), *scheme = strstr(where, "://");
    const char *colon = scheme && at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
    if (colon) {
        buf_put(&b, where, (size_t)(colon - where));
        buf_puts(&b, at);
    } else {
        buf_puts(&b, where);
    }
    char *pw = strstr(b.data, "password=");
    if (pw) {
        char *amp = strchr(pw, '&');
        size_t tail = amp ? strlen(amp + 1) + 1 : 0;
        if (amp)
            memmove(pw, amp + 1, tail);
        else
            *pw = '\0';
        b.len = strlen(b.data);
    }
    return b.data;
}

/* The header: every column but the order column. */
static int find_order(DbSource *d)
{
    d->order_col = -1;
    d->shown = xcalloc(d->ncols + 1, sizeof *d->shown);
    for (size_t i = 0; i < d->ncols; i++) {
        if (d->order && strcmp(d->cols[i].name, d->order) == 0)
            d->order_col = (int)i;
        else
            d->shown[d->nshown++] = i;
    }
    if (d->order && d->order_col < 0)
        return db_fail(d, "no column '%s' for the order of its rows", d->order);
    return 0;
}

typedef struct {
    const char *want;
    char *best;
    int best_d;
} Closest;

static void closer(void *arg, const char *name)
{
    Closest *c = arg;
    int d = edit_distance(c->want, name, c->best_d - 1);
    if (d < c->best_d || (d == c->best_d && c->best && strcmp(name, c->best) < 0)) {
        free(c->best);
        c->best = xstrdup(name);
        c->best_d = d;
    }
}

/* The error of a table that is not there, with the closest name there is. */
static int no_table(DbSource *d)
{
    const char *dot = strchr(d->table, '.');
    int limit = (int)strlen(d->table) / 3 + 1;
    Closest c = {dot ? dot + 1 : d->table, NULL, (limit > 3 ? 3 : limit) + 1};
    if (d->eng->tables)
        d->eng->tables(d, closer, &c);
    int rc = c.best ? db_fail(d, "no table '%s' (did you mean '%s'?)", d->table, c.best)
                    : db_fail(d, "no table '%s' (or it has no columns)", d->table);
    free(c.best);
    return rc;
}

RowSource *db_open(const DbEngine *eng, const char *where, const char *table, const char *order,
                   const char *name, int (*open_conn)(DbSource *d, const char *where), char **err)
{
    DbSource *d = xcalloc(1, sizeof *d);
    src_init(&d->base, &db_ops, name);
    d->eng = eng;
    d->where = uri_shown(where);
    d->table = xstrdup(table);
    d->order = order ? xstrdup(order) : NULL;
    d->timeout_ms = db_timeout_ms();
    d->rows = rows_new(0);
    int rc = open_conn(d, where);
    const char *dot = strchr(table, '.');
    if (rc == 0 && (!*table || dot == table || (dot && !dot[1])))
        rc = db_fail(d, "'%s' is not a table name", table);
    if (rc == 0)
        rc = eng->describe(d);
    if (rc == 0 && d->ncols == 0)
        rc = no_table(d);
    if (rc == 0)
        rc = find_order(d);
    if (rc == 0) {
        rows_free(d->rows);
        d->rows = rows_new(d->nshown);
        d->state = ST_HEADER;
        return &d->base;
    }
    if (err)
        *err = xstrdup(d->err ? d->err : "cannot open the source");
    db_close(&d->base);
    return NULL;
}
