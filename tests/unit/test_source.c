/* test_source.c -- the row-source interface (data/source.h) and the column
 * mapping (data/mapping.h).
 *
 * The CSV file as a source: header, rows, positions, errors, signatures
 * and splitting into parts.  The seam: an in-memory source written here,
 * implementing the interface and registered nowhere, is fed to the
 * actuals store and to a history, with pre-aggregated rows (a weight) as a
 * database source would hand them over, and its errors are reported at its
 * own positions.  The mapping: lookups both ways, the entries a reader's
 * rule rejects, the did-you-mean, and the spec of a history.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tmpdir.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check/check.h"
#include "data/actuals.h"
#include "data/history.h"
#include "data/mapping.h"
#include "data/source.h"

/* ---- files ---- */


static int setup(void **state)
{
    (void)state;
    return tmpdir_make("test_source");
}

static int teardown(void **state)
{
    (void)state;
    return tmpdir_remove();
}

/* ---- an in-memory source: rows "a|b|c", a weight per data row ---- */

typedef struct {
    RowSource base;
    const char *const *rows;
    const long *weights; /* per data row (not the header), or NULL: 1 */
    int n, at;
    int fail_at; /* the row where reading fails, or -1 */
    bool failed;
    char *buf;
    char *fields[16];
    size_t lens[16];
} MemSource;

static int mem_next(RowSource *s, SrcRow *row)
{
    MemSource *m = (MemSource *)s;
    if (m->failed || m->at == m->fail_at) {
        m->failed = true;
        return -1;
    }
    if (m->at >= m->n)
        return 0;
    free(m->buf);
    m->buf = strdup(m->rows[m->at]);
    size_t nf = 0;
    for (char *p = m->buf;; p++) {
        char *bar = strchr(p, '|');
        if (bar)
            *bar = 0;
        m->fields[nf] = p;
        m->lens[nf++] = strlen(p);
        if (!bar)
            break;
        p = bar;
    }
    long w = m->at > 0 && m->weights ? m->weights[m->at - 1] : 1;
    *row = (SrcRow){nf, m->fields, m->lens, m->at + 1, w, NULL};
    m->at++;
    return 1;
}

static const char *mem_error(const RowSource *s, long *line, long *col)
{
    const MemSource *m = (const MemSource *)s;
    if (line)
        *line = m->failed ? m->fail_at + 1 : 0;
    if (col)
        *col = m->failed ? 1 : 0;
    return m->failed ? "connection lost" : NULL;
}

static void mem_close(RowSource *s)
{
    MemSource *m = (MemSource *)s;
    free(m->buf);
    src_fini(s);
    free(m);
}

static const SrcOps mem_ops = {.next = mem_next, .error = mem_error, .close = mem_close};

static RowSource *mem_open(const char *name, const char *const *rows, int n, const long *weights)
{
    MemSource *m = calloc(1, sizeof *m);
    assert_non_null(m);
    src_init(&m->base, &mem_ops, name);
    m->rows = rows;
    m->n = n;
    m->weights = weights;
    m->fail_at = -1;
    return &m->base;
}

/* ---- a plan ---- */

#define PLAN                                                                                       \
    "plan \"t\" { year = 2027  start = feb }\n"                                                    \
    "dimension org levels region > rep {\n"                                                        \
    "  north \"华北\" { zhang, li }\n"                                                             \
    "  east { sun }\n"                                                                             \
    "}\n"                                                                                          \
    "metric revenue money\n"                                                                       \
    "metric rate percent\n"

typedef struct {
    Diags d;
    Program *p;
} T;

static T *plan(const char *extra)
{
    T *t = calloc(1, sizeof *t);
    assert_non_null(t);
    t->p = prog_new(&t->d);
    char text[4096];
    snprintf(text, sizeof text, "%s%s", PLAN, extra);
    prog_load_text(t->p, "t.plan", tmpdir, text, strlen(text));
    check_program(t->p);
    assert_int_equal(t->d.nerrors, 0);
    return t;
}

/* The diagnostics flushed as text. */
static char *flushed(T *t)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    bool first = true;
    diag_flush(&t->d, f, FMT_TEXT, &first);
    fclose(f);
    return out;
}

static void done(T *t)
{
    free(flushed(t));
    prog_free(t->p);
    diag_free(&t->d);
    free(t);
}

static const Member *member(T *t, const char *name)
{
    const Member *m = sym_member(t->p->sym, name);
    assert_non_null(m);
    return m;
}

static const Node *metric(T *t, const char *name)
{
    const Node *m = strmap_get(&t->p->sym->metrics, name);
    assert_non_null(m);
    return m;
}

static const Node *first_decl(T *t, NodeKind kind)
{
    for (Node *n = t->p->main->items; n; n = n->next)
        if (n->kind == kind)
            return n;
    fail_msg("no such declaration");
    return NULL;
}

static void assert_num(Num v, const char *want)
{
    char buf[NUM_BUFSZ];
    assert_string_equal(num_str(v, buf), want);
}

/* ---- the CSV file as a source ---- */

static void test_csv_rows(void **state)
{
    (void)state;
    const char *path = tmpdir_write("a.csv", "date,rep\n\"x,1\",\"a\"\"b\"\n\nlast,row");
    char *err = NULL;
    RowSource *s = src_open(path, "shown.csv", &err);
    assert_non_null(s);
    assert_null(err);
    assert_string_equal(src_name(s), "shown.csv");
    SrcRow r;
    assert_int_equal(src_header(s, &r), 1);
    assert_int_equal(r.nfields, 2);
    assert_string_equal(r.fields[1], "rep");
    assert_int_equal(src_next(s, &r), 1);
    assert_string_equal(r.fields[0], "x,1");
    assert_string_equal(r.fields[1], "a\"b");
    assert_int_equal(r.line, 2);
    assert_int_equal(r.weight, 1);
    assert_int_equal(src_next(s, &r), 1);
    assert_true(src_blank(&r));
    assert_int_equal(src_next(s, &r), 1);
    assert_int_equal(r.line, 4);
    assert_int_equal(src_next(s, &r), 0);
    assert_int_equal(src_next(s, &r), 0);
    assert_null(src_error(s, NULL, NULL));
    src_close(s);
}

static void test_csv_errors_and_lines(void **state)
{
    (void)state;
    const char *path = tmpdir_write("bad.csv", "a,b\n1,2\nx,\"y\"z\n");
    RowSource *s = src_open(path, "bad.csv", NULL);
    SrcRow r;
    assert_int_equal(src_header(s, &r), 1);
    assert_int_equal(src_next(s, &r), 1);
    assert_int_equal(src_next(s, &r), -1);
    long line, col;
    const char *msg = src_error(s, &line, &col);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "after closing quote"));
    assert_int_equal(line, 3);
    assert_int_equal(col, 6);
    Buf b = {0};
    src_line_text(s, line, 4096, &b);
    assert_string_equal(buf_cstr(&b), "x,\"y\"z");
    src_line_text(s, 1, 2, &b); /* cut to max bytes */
    assert_string_equal(buf_cstr(&b), "a,");
    buf_free(&b);
    src_close(s);
    char *err = NULL;
    RowSource *none = src_open("/nonexistent/z.csv", "z.csv", &err);
    assert_null(none);
    assert_string_equal(err, "cannot open '/nonexistent/z.csv': No such file or directory");
    free(err);
}

static void test_locate_as_csv(void **state)
{
    (void)state;
    char f0[] = "a,b", f1[] = "line1\nsé\"q", f2[] = "x";
    char *fields[] = {f0, f1, f2};
    size_t lens[] = {3, strlen(f1), 1};
    SrcRow row = {3, fields, lens, 7, 1, NULL};
    SrcPos at;
    Buf b = {0};
    src_locate_as_csv(&row, 2, 4096, &at, &b);
    assert_string_equal(buf_cstr(&b), "\"a,b\",\"line1\nsé\"\"q\",x");
    assert_int_equal(at.line, 8); /* the second field holds a line end */
    assert_int_equal(at.col, 8);
    assert_int_equal(at.end_col, 8);
    src_locate_as_csv(&row, 1, 4096, &at, NULL); /* the position alone */
    assert_int_equal(at.line, 7);
    assert_int_equal(at.col, 7);
    src_locate_as_csv(&row, -1, 4, &at, &b); /* the row's start; text cut */
    assert_int_equal(at.col, 1);
    assert_int_equal(b.len, 0); /* too short a window to show a field in */
    buf_free(&b);
}

/* A file split into 1..16 parts: where every part before the last reads
 * without an error, the parts give the whole file's rows, with its lines
 * once each part's are moved by the line the part before it ended on
 * (src_part_lines); where one does not, it was cut inside a quoted field.
 * Here every seventh record has a line feed in quotes, and the split's
 * guess of the quote state finds where records start every time. */
static void test_csv_split_parts(void **state)
{
    (void)state;
    Buf text = {0};
    buf_puts(&text, "h1,h2\n");
    for (int i = 0; i < 500; i++)
        buf_printf(&text, i % 7 ? "%d,v%d\n" : "%d,\"multi\nline %d\"\n", i, i);
    const char *path = tmpdir_write("big.csv", buf_cstr(&text));
    buf_free(&text);
    int clean = 0, in_quotes = 0;
    for (int n = 1; n <= 16; n++) {
        RowSource *whole = src_open(path, "big.csv", NULL), *s = src_open(path, "big.csv", NULL);
        SrcRow r, w;
        assert_int_equal(src_header(s, &r), 1);
        assert_int_equal(src_header(whole, &w), 1);
        RowSource *parts[16];
        assert_int_equal(src_split(s, n, parts), 0);
        long next = 2, first, after;
        bool ok = true;
        for (int k = 0; k < n; k++) {
            bool own = src_part_lines(parts[k], &first, &after);
            assert_int_equal(own, k > 0);
            assert_int_equal(first, k ? 1 : 2);
            long d = own ? next - first : 0;
            int rc;
            while (ok && (rc = src_next(parts[k], &r)) == 1) {
                assert_int_equal(src_next(whole, &w), 1);
                assert_int_equal(r.line + d, w.line);
                assert_string_equal(r.fields[1], w.fields[1]);
            }
            if (ok && rc < 0) { /* the quote is open at the part's end */
                long line, col;
                assert_true(k < n - 1);
                assert_non_null(strstr(src_error(parts[k], &line, &col), "unterminated"));
                ok = false;
            }
            src_part_lines(parts[k], &first, &after);
            next = after + d;
            src_close(parts[k]);
        }
        if (ok) {
            clean++;
            assert_int_equal(src_next(whole, &w), 0);
        } else {
            in_quotes++;
        }
        assert_int_equal(src_parallel(s), 1); /* a small file */
        src_close(s);
        src_close(whole);
    }
    assert_int_equal(clean, 16);
    assert_int_equal(in_quotes, 0);
}

static void test_signatures(void **state)
{
    (void)state;
    const char *path = tmpdir_write("s.csv", "a\n1\n");
    char p[512];
    snprintf(p, sizeof p, "%s", path);
    Buf one = {0}, two = {0}, three = {0};
    src_signature_at(p, &one);
    src_signature_at(p, &two);
    assert_string_equal(buf_cstr(&one), buf_cstr(&two));
    assert_non_null(strstr(buf_cstr(&one), p));
    tmpdir_write("s.csv", "a\n1\n2\n"); /* another size */
    src_signature_at(p, &three);
    assert_string_not_equal(buf_cstr(&one), buf_cstr(&three));
    one.len = 0;
    src_signature_at("/nonexistent/z.csv", &one);
    assert_string_equal(buf_cstr(&one), "[?]");
    buf_free(&one);
    buf_free(&two);
    buf_free(&three);
}

/* ---- the seam: an in-memory source into the store ---- */

static void test_memory_source_into_actuals(void **state)
{
    (void)state;
    T *t = plan("");
    static const char *const rows[] = {"month|rep|revenue|rate", "2027-02|zhang|300|",
                                       "2027-02|li|40.5|95%", "2027-03|li||0.5",
                                       "2028-02|sun|7|"};
    static const long weights[] = {3, 2, 4, 10};
    RowSource *src = mem_open("db:sales", rows, 5, weights);
    Actuals *a = act_new(t->p);
    assert_int_equal(act_load_source(a, src, NULL, (Loc){0}, false), 0);
    src_close(src);
    assert_num(act_sum(a, metric(t, "revenue"), member(t, "zhang"), 0, 0), "300");
    assert_int_equal(act_count(a, metric(t, "revenue"), member(t, "zhang"), 0, 0), 3);
    assert_int_equal(act_count(a, metric(t, "revenue"), member(t, "north"), 0, 11), 5);
    assert_num(act_sum(a, metric(t, "rate"), member(t, "north"), 0, 11), "1.45");
    assert_int_equal(act_count(a, metric(t, "rate"), member(t, "north"), 0, 11), 6);
    assert_int_equal(act_rows(a), 19); /* every row a group stands for */
    assert_int_equal(act_rows_outside(a), 10);
    assert_int_equal(act_last_month(a), 1);
    act_free(a);
    char *out = flushed(t);
    assert_non_null(strstr(out, "db:sales:5:1: warning: 10 rows outside FY2027"));
    free(out);
    done(t);
}

static void test_memory_source_errors(void **state)
{
    (void)state;
    T *t = plan("");
    static const char *const rows[] = {"date|rep|revenue", "2027-02-01|zhang|1",
                                       "2027-02-01|nobody|2", "2027-02-01|li|3"};
    RowSource *src = mem_open("db:sales", rows, 4, NULL);
    ((MemSource *)src)->fail_at = 3;
    Actuals *a = act_new(t->p);
    assert_int_equal(act_load_source(a, src, NULL, (Loc){0}, false), -1);
    src_close(src);
    act_free(a);
    char *out = flushed(t);
    /* a field's place as the default src_locate shows the row: as a CSV line */
    assert_non_null(strstr(out, "db:sales:3:12: error: unknown rep 'nobody'\n"
                                "    3 | 2027-02-01,nobody,2\n"));
    assert_non_null(strstr(out, "db:sales:4:1: error: connection lost\n"));
    free(out);
    done(t);
}

static void test_memory_source_into_history(void **state)
{
    (void)state;
    T *t = plan("");
    static const char *const rows[] = {"month|region|sales", "2026-02|north|10", "2026-02|north|5",
                                       "2026-03|east|7"};
    static const long weights[] = {4, 1, 2};
    RowSource *src = mem_open("db:history", rows, 4, weights);
    HistSpec spec;
    hist_spec_init(&spec, t->p->sym, "sales", NULL);
    HistError err;
    History *h = hist_read(src, &spec, &err);
    src_close(src);
    assert_non_null(h);
    assert_int_equal(hist_rows(h), 7);
    assert_int_equal(hist_group_count(h), 2);
    HistGroup g;
    assert_true(hist_group(h, 0, &g));
    assert_num(g.total, "15");
    assert_int_equal(g.rows, 5);
    assert_true(hist_has_level(h, "region"));
    hist_free(h);
    done(t);
}

/* ---- rebinding the store to another plan ---- */

static void test_rebind(void **state)
{
    (void)state;
    tmpdir_write("r.csv", "date,rep,revenue\n2027-02-01,zhang,5\n");
    T *t1 = plan("actuals \"r.csv\"\n"), *t2 = plan("actuals \"r.csv\"\nlet x = 1\n");
    T *t3 = plan("metric extra money\n");
    bool none;
    Actuals *a = act_load_all(t1->p, NULL, 0, false, &none);
    assert_non_null(a);
    assert_true(act_bound_to(a, t1->p));
    assert_true(act_fits(a, t2->p));
    assert_true(act_fits(a, t3->p)); /* what the store has is still there */
    act_rebind(a, t2->p);
    assert_true(act_bound_to(a, t2->p));
    assert_false(act_bound_to(a, t1->p));
    done(t1); /* the old plan may go */
    assert_num(act_sum(a, metric(t2, "revenue"), member(t2, "north"), 0, 11), "5");
    T *t4 = plan("dimension product { cards }\n");
    assert_false(act_fits(a, t4->p));
    act_free(a);
    done(t2);
    done(t3);
    done(t4);
}

/* ---- the mapping ---- */

static void test_mapping_lookups(void **state)
{
    (void)state;
    tmpdir_write("m.csv", "x\n");
    T *t = plan("actuals \"m.csv\" { rep = rep_id  revenue = \"金额\"  region = other  rvenue = y }\n");
    const Node *mp = first_decl(t, N_ACTUALS)->d;
    assert_string_equal(map_column(mp, "rep"), "rep_id");
    assert_string_equal(map_column(mp, "revenue"), "金额");
    assert_null(map_column(mp, "team"));
    assert_string_equal(map_column_or_name(mp, "team"), "team");
    assert_string_equal(map_name(mp, "金额"), "revenue");
    assert_string_equal(map_name(mp, "other"), "region");
    assert_null(map_name(mp, "team"));
    assert_string_equal(map_name_or_column(mp, "z"), "z");
    assert_string_equal(map_entry_column(map_entry(mp, "rep")), "rep_id");
    assert_null(map_entry(NULL, "rep"));
    const Node *bad = map_invalid(mp, t->p->sym, MAP_TIME | MAP_LEVEL | MAP_METRIC);
    assert_non_null(bad);
    assert_string_equal(bad->name, "rvenue");
    assert_null(map_invalid(bad->next, t->p->sym, MAP_TIME | MAP_LEVEL | MAP_METRIC));
    assert_string_equal(map_invalid(mp, t->p->sym, MAP_LEVEL)->name, "revenue");
    assert_string_equal(map_suggest(t->p->sym, "rvenue"), "revenue");
    assert_null(map_suggest(t->p->sym, "zzzzzz"));
    done(t);
}

static void test_history_spec(void **state)
{
    (void)state;
    tmpdir_write("h.csv", "x\n");
    T *t = plan("history sales = \"h.csv\" { month = 月份  sales = 金额  rep = rep_id  "
                "quarter = q }\n");
    const Node *decl = first_decl(t, N_HISTORY);
    HistSpec spec;
    hist_spec_init(&spec, t->p->sym, "sales", decl->d);
    assert_string_equal(spec.month_col, "月份");
    assert_null(spec.date_col);
    assert_string_equal(spec.value_col, "金额");
    assert_int_equal(spec.fy_year, 2027);
    assert_int_equal(spec.start_month, 2);
    assert_int_equal(spec.nlevels, 2); /* rep (mapped), then region; never the calendar's */
    assert_string_equal(spec.levels[0].level, "rep");
    assert_string_equal(spec.levels[0].column, "rep_id");
    assert_string_equal(spec.levels[1].level, "region");
    assert_null(spec.levels[1].column);
    done(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_rows),
        cmocka_unit_test(test_csv_errors_and_lines),
        cmocka_unit_test(test_locate_as_csv),
        cmocka_unit_test(test_csv_split_parts),
        cmocka_unit_test(test_signatures),
        cmocka_unit_test(test_memory_source_into_actuals),
        cmocka_unit_test(test_memory_source_errors),
        cmocka_unit_test(test_memory_source_into_history),
        cmocka_unit_test(test_rebind),
        cmocka_unit_test(test_mapping_lookups),
        cmocka_unit_test(test_history_spec),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
