/* test_actuals.c -- cmocka tests for interp/actuals.c: sums per member and
 * fiscal month, roll-ups to every ancestor, names and labels, date, YYYY-MM
 * and month-number columns around a February fiscal year, percent
 * averages, mappings, blank cells, lenient and outside-the-year counting,
 * contradictions, exact big sums, --actuals files replacing the plan's,
 * the diagnostics' positions and messages, and order independence.
 * Each test writes its plan and CSVs into a fresh mkdtemp directory.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

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
#include "data/actuals_int.h" /* test_cells_add, test_write_path */

/* ---- helpers ---- */


static int setup(void **state)
{
    (void)state;
    return tmpdir_make("test_actuals");
}

static int teardown(void **state)
{
    (void)state;
    return tmpdir_remove();
}

/* The plan every test starts from: FY2027 from February, org with labels. */
#define HEADER "plan \"t\" { year = 2027  start = feb }\n"
#define ORG                                                                                        \
    "dimension org levels region > team > rep {\n"                                                 \
    "  north \"华北\" { team_a { zhang \"张三\", li }  team_b { zhao } }\n"                    \
    "  east \"华东\" { team_c { sun, zhou } }\n"                                                 \
    "}\n"                                                                                          \
    "dimension product { cards, membership }\n"                                                    \
    "metric revenue money\n"                                                                       \
    "metric units count\n"                                                                         \
    "metric rate percent\n"                                                                        \
    "metric score_m score\n"                                                                       \
    "metric collection_rate = revenue / revenue\n"

typedef struct {
    Diags d;
    Program *p;
    Actuals *a;
    bool none;
} T;

/* Loads and checks the plan (HEADER ORG + extra), then its actuals. */
static T *load_with(const char *extra, const char *const *files, int nfiles, bool lenient)
{
    T *t = calloc(1, sizeof *t);
    assert_non_null(t);
    t->p = prog_new(&t->d);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fprintf(f, "%s%s%s", HEADER, ORG, extra);
    fclose(f);
    prog_load_text(t->p, "t.plan", tmpdir, text, len);
    free(text);
    check_program(t->p);
    if (t->d.nerrors) {
        bool first = true;
        diag_flush(&t->d, stderr, FMT_TEXT, &first);
        fail_msg("the test plan has errors");
    }
    t->a = act_load_all(t->p, files, nfiles, lenient, &t->none);
    return t;
}

static T *load(const char *extra)
{
    return load_with(extra, NULL, 0, false);
}

static void done(T *t)
{
    act_free(t->a);
    bool first = true;
    FILE *null = fopen("/dev/null", "w");
    diag_flush(&t->d, null, FMT_TEXT, &first); /* after act_free: sources live in the Program */
    fclose(null);
    prog_free(t->p);
    diag_free(&t->d);
    free(t);
}

/* The diagnostic whose message contains part, or a failure. */
static const Diag *find_diag(T *t, const char *part)
{
    for (size_t i = 0; i < t->d.n; i++)
        if (strstr(t->d.v[i].msg, part))
            return &t->d.v[i];
    for (size_t i = 0; i < t->d.n; i++)
        fprintf(stderr, "  have: %s\n", t->d.v[i].msg);
    fail_msg("no diagnostic contains '%s'", part);
    return NULL;
}

static bool has_note(const Diag *g, const char *part)
{
    for (size_t i = 0; i < g->nnotes; i++)
        if (strstr(g->notes[i].msg, part))
            return true;
    return false;
}

static void assert_at(const Diag *g, const char *file, int line, int col)
{
    assert_non_null(g->loc.src);
    assert_string_equal(g->loc.src->name, file);
    assert_int_equal(g->loc.line, line);
    assert_int_equal(g->loc.col, col);
}

static const Node *metric(T *t, const char *name)
{
    const Node *m = strmap_get(&t->p->sym->metrics, name);
    assert_non_null(m);
    return m;
}

static const Member *member(T *t, const char *name)
{
    const Member *m = sym_member(t->p->sym, name);
    assert_non_null(m);
    return m;
}

static void assert_sum(T *t, const char *met, const char *mem, int from, int to, const char *want)
{
    char buf[NUM_BUFSZ];
    Num v = act_sum(t->a, metric(t, met), mem ? member(t, mem) : NULL, from, to);
    assert_string_equal(num_str(v, buf), want);
}

static long count_of(T *t, const char *met, const char *mem, int from, int to)
{
    return act_count(t->a, metric(t, met), mem ? member(t, mem) : NULL, from, to);
}

/* ---- tests ---- */

static void test_sums_and_rollups(void **state)
{
    (void)state;
    tmpdir_write("a.csv", "date,rep,revenue,units\n"
                        "2027-02-03,zhang,100.50,1\n"
                        "2027-02-28,zhang,10,2\n"
                        "2027-03-01,li,200.25,3\n"
                        "2027-03-15,zhao,-50,1\n"
                        "2027-04-01,sun,1000,4\n"
                        "2027-04-02,zhou,0.000000000001,0\n");
    T *t = load("actuals \"a.csv\"\n");
    assert_non_null(t->a);
    assert_int_equal(t->d.nerrors, 0);
    assert_int_equal(t->d.nwarnings, 0);
    assert_sum(t, "revenue", "zhang", 0, 0, "110.5");
    assert_sum(t, "revenue", "zhang", 1, 11, "0");
    assert_int_equal(count_of(t, "revenue", "zhang", 0, 0), 2);
    assert_sum(t, "revenue", "team_a", 0, 11, "310.75");
    assert_sum(t, "revenue", "team_b", 0, 11, "-50");
    assert_sum(t, "revenue", "north", 0, 11, "260.75");
    assert_sum(t, "revenue", "north", 1, 1, "150.25");
    assert_sum(t, "revenue", "east", 2, 2, "1000.000000000001");
    assert_sum(t, "revenue", NULL, 0, 11, "1260.750000000001");
    assert_int_equal(count_of(t, "revenue", NULL, 0, 11), 6);
    assert_int_equal(count_of(t, "revenue", "north", 0, 11), 4);
    assert_sum(t, "units", "north", 0, 11, "7");
    /* months by time member: Q1 is feb..apr, mar is fiscal month 1 */
    assert_sum(t, "revenue", "Q1", 0, 11, "1260.750000000001");
    assert_sum(t, "revenue", "Q2", 0, 11, "0");
    assert_sum(t, "revenue", "mar", 0, 11, "150.25");
    assert_sum(t, "revenue", "Q1", 1, 11, "1150.250000000001");
    /* no product column: nothing per product, still the plan total */
    assert_sum(t, "revenue", "cards", 0, 11, "0");
    assert_int_equal(count_of(t, "revenue", "cards", 0, 11), 0);
    assert_int_equal(act_rows(t->a), 6);
    assert_int_equal(act_last_month(t->a), 2);
    assert_true(act_has(t->a, metric(t, "revenue")));
    assert_false(act_has(t->a, metric(t, "rate")));
    assert_sum(t, "rate", NULL, 0, 11, "0");
    done(t);
}

static void test_labels_and_levels(void **state)
{
    (void)state;
    tmpdir_write("a.csv", "date,region,team,rep,product,revenue\n"
                        "2027-02-01,华北,team_a,张三,cards,1\n"
                        "2027-02-01,north,,li,membership,2\n"
                        "2027-02-01,华东,,,cards,4\n"
                        "2027-02-01,,,,,8\n"
                        "2027-02-01, 华北 ,,,,16\n");
    T *t = load("actuals \"a.csv\"\n");
    assert_non_null(t->a);
    assert_sum(t, "revenue", "zhang", 0, 11, "1");
    assert_sum(t, "revenue", "team_a", 0, 11, "3");
    assert_sum(t, "revenue", "north", 0, 11, "19");
    assert_sum(t, "revenue", "east", 0, 11, "4");
    assert_sum(t, "revenue", "cards", 0, 11, "5");
    assert_sum(t, "revenue", "membership", 0, 11, "2");
    assert_sum(t, "revenue", NULL, 0, 11, "31");
    done(t);
}

static void test_month_numbers_and_ym(void **state)
{
    (void)state;
    /* FY2027 from feb: 2 is 2027-02 (fiscal 0), 12 is 2027-12, 1 is 2028-01 (fiscal 11) */
    tmpdir_write("a.csv", "month,rep,revenue\n"
                        "2,zhang,1\n"
                        "12,zhang,2\n"
                        "1,zhang,4\n"
                        "2028-01,zhang,8\n"
                        "2027-01,zhang,16\n"
                        "2028-02,zhang,32\n"
                        " 03 ,zhang,64\n");
    T *t = load("actuals \"a.csv\"\n");
    assert_non_null(t->a);
    assert_sum(t, "revenue", "zhang", 0, 0, "1");
    assert_sum(t, "revenue", "zhang", 10, 10, "2");
    assert_sum(t, "revenue", "zhang", 11, 11, "12");
    assert_sum(t, "revenue", "zhang", 1, 1, "64");
    assert_int_equal(act_rows_outside(t->a), 2);
    assert_int_equal(act_last_month(t->a), 11);
    const Diag *g = find_diag(t, "2 rows outside FY2027 (2027-02 .. 2028-01) skipped");
    assert_int_equal(g->level, DIAG_WARNING);
    assert_at(g, "a.csv", 6, 1);
    done(t);
}

static void test_fiscal_year_boundaries(void **state)
{
    (void)state;
    tmpdir_write("a.csv", "date,rep,revenue\n"
                        "2027-01-31,zhang,1\n"
                        "2027-02-01,zhang,2\n"
                        "2028-01-31,zhang,4\n"
                        "2028-02-01,zhang,8\n"
                        "2028-02-29,zhang,16\n");
    T *t = load("actuals \"a.csv\"\n");
    assert_non_null(t->a);
    assert_sum(t, "revenue", NULL, 0, 11, "6");
    assert_sum(t, "revenue", NULL, 0, 0, "2");
    assert_sum(t, "revenue", NULL, 11, 11, "4");
    assert_int_equal(act_rows_outside(t->a), 3);
    assert_int_equal(act_rows(t->a), 5);
    const Diag *g = find_diag(t, "3 rows outside FY2027");
    assert_at(g, "a.csv", 2, 1);
    assert_int_equal(t->d.nerrors, 0);
    done(t);
}

static void test_percent_and_score_averages(void **state)
{
    (void)state;
    tmpdir_write("a.csv", "date,rep,rate,score_m\n"
                        "2027-02-01,zhang,95%,3\n"
                        "2027-02-02,zhang,0.85,4.5\n"
                        "2027-02-03,li,100.5%,\n"
                        "2027-02-04,li,,\n");
    T *t = load("actuals \"a.csv\"\n");
    assert_non_null(t->a);
    assert_sum(t, "rate", "zhang", 0, 0, "1.8");
    assert_int_equal(count_of(t, "rate", "zhang", 0, 0), 2);
    assert_sum(t, "rate", "team_a", 0, 11, "2.805");
    assert_int_equal(count_of(t, "rate", "team_a", 0, 11), 3);
    assert_sum(t, "score_m", "team_a", 0, 11, "7.5");
    assert_int_equal(count_of(t, "score_m", "team_a", 0, 11), 2);
    assert_true(act_has(t->a, metric(t, "score_m")));
    assert_int_equal(act_rows(t->a), 4);
    done(t);
}

static void test_percent_sign_only_for_percent(void **state)
{
    (void)state;
    tmpdir_write("a.csv", "date,rep,revenue\n2027-02-01,zhang,95%\n");
    T *t = load("actuals \"a.csv\"\n");
    assert_null(t->a);
    const Diag *g = find_diag(t, "bad number '95%' in column 'revenue'");
    assert_at(g, "a.csv", 2, 18);
    assert_true(t->p->data_error);
    done(t);
}

static void test_mapping(void **state)
{
    (void)state;
    tmpdir_write("a.csv", "日期,销售,金额,revenue,other\n"
                        "2027-03-05,zhang,10,999,x\n"
                        "2027-03-06,sun,20,999,y\n");
    T *t = load("actuals \"a.csv\" { rep = 销售  revenue = \"金额\"  date = 日期 }\n");
    assert_non_null(t->a);
    assert_sum(t, "revenue", "north", 1, 1, "10");
    assert_sum(t, "revenue", NULL, 0, 11, "30");
    done(t);
}

static void test_mapped_column_missing(void **state)
{
    (void)state;
    tmpdir_write("a.csv", "date,rep,amount\n2027-03-05,zhang,10\n");
    T *t = load("actuals \"a.csv\" { rep = rep_id  revenue = amount }\n");
    assert_null(t->a);
    const Diag *g = find_diag(t, "no column 'rep_id' (the plan maps level 'rep' to it)");
    assert_at(g, "a.csv", 1, 1);
    assert_true(has_note(g, "the header has: 'date', 'rep', 'amount'"));
    done(t);
}

static void test_mapping_names_nothing(void **state)
{
    (void)state;
    tmpdir_write("a.csv", "date,rep,revenue\n2027-03-05,zhang,10\n");
    T *t = load("actuals \"a.csv\" { revenu = amount }\n");
    assert_null(t->a);
    const Diag *g = find_diag(t, "'revenu' in an actuals mapping is not a level or a metric");
    assert_string_equal(g->loc.src->name, "t.plan");
    assert_true(has_note(g, "did you mean 'revenue'?"));
    done(t);
}

static void test_empty_cells(void **state)
{
    (void)state;
    tmpdir_write("a.csv", "date,rep,revenue,units\n"
                        "2027-02-01,zhang,,1\n"
                        "2027-02-01,zhang,5,\n"
                        "2027-02-01,zhang, ,\n"
                        "\n"
                        "2027-02-01,zhang,7,2\n");
    T *t = load("actuals \"a.csv\"\n");
    assert_non_null(t->a);
    assert_sum(t, "revenue", "zhang", 0, 0, "12");
    assert_int_equal(count_of(t, "revenue", "zhang", 0, 0), 2);
    assert_sum(t, "units", "zhang", 0, 0, "3");
    assert_int_equal(count_of(t, "units", "zhang", 0, 0), 2);
    assert_int_equal(act_rows(t->a), 4);
    done(t);
}

static void test_unknown_member(void **state)
{
    (void)state;
    tmpdir_write("a.csv", "date,rep,revenue\n"
                        "2027-02-01,zhang,1\n"
                        "2027-02-01,zhangg,1\n"
                        "2027-02-01,team_a,1\n");
    T *t = load("actuals \"a.csv\"\n");
    assert_null(t->a);
    assert_true(t->p->data_error);
    const Diag *g = find_diag(t, "unknown rep 'zhangg'");
    assert_at(g, "a.csv", 3, 12);
    assert_int_equal(g->loc.end_col, 17);
    assert_true(has_note(g, "did you mean 'zhang'?"));
    g = find_diag(t, "unknown rep 'team_a'");
    assert_true(has_note(g, "'team_a' is a team, not a rep"));
    /* the excerpt is the offending line */
    size_t len;
    const char *line = source_line(g->loc.src, g->loc.line, &len);
    assert_int_equal(len, strlen("2027-02-01,team_a,1"));
    assert_memory_equal(line, "2027-02-01,team_a,1", len);
    done(t);
}

static void test_lenient(void **state)
{
    (void)state;
    tmpdir_write("a.csv", "date,region,rep,revenue\n"
                        "2027-02-01,north,zhang,1\n"
                        "2027-02-01,north,xx,2\n"
                        "2027-02-01,east,zhang,4\n"
                        "2027-02-01,north,yy,8\n"
                        "2027-02-01,north,li,16\n");
    T *t = load_with("actuals \"a.csv\"\n", NULL, 0, true);
    assert_non_null(t->a);
    assert_int_equal(t->d.nerrors, 0);
    assert_int_equal(act_rows_skipped(t->a), 3);
    assert_int_equal(act_rows(t->a), 5);
    assert_sum(t, "revenue", NULL, 0, 11, "17");
    assert_sum(t, "revenue", "north", 0, 11, "17");
    const Diag *g = find_diag(t, "--lenient: 3 rows skipped (first at a.csv:3: unknown rep 'xx')");
    assert_int_equal(g->level, DIAG_WARNING);
    assert_at(g, "a.csv", 3, 18);
    done(t);
}

static void test_contradiction(void **state)
{
    (void)state;
    tmpdir_write("a.csv", "date,region,team,rep,revenue\n"
                        "2027-02-01,north,team_a,zhang,1\n"
                        "2027-02-01,east,,zhang,1\n"
                        "2027-02-01,north,team_b,zhang,1\n"
                        "2027-02-01,华东,team_c,,1\n"
                        "2027-02-01,华北,team_c,,1\n");
    T *t = load("actuals \"a.csv\"\n");
    assert_null(t->a);
    const Diag *g = find_diag(t, "rep 'zhang' is under region 'north', not 'east'");
    assert_at(g, "a.csv", 3, 12);
    g = find_diag(t, "rep 'zhang' is under team 'team_a', not 'team_b'");
    assert_at(g, "a.csv", 4, 18);
    g = find_diag(t, "team 'team_c' is under region 'east', not '华北'");
    assert_at(g, "a.csv", 6, 12);
    assert_int_equal(t->d.nerrors, 3);
    done(t);
}

/* The fast path reads a plain decimal of up to 8 bytes after its sign as
 * one word: every place of the point in texts of 1 to 10 bytes, with and
 * without '-', adds up to what num_parse makes of each text, and a text
 * with a point first, last or twice, or another byte, is a bad number. */
static void test_plain_decimals_every_point(void **state)
{
    (void)state;
    static const char digits[] = "9081726354";
    char *csv = NULL, text[16];
    size_t len = 0;
    FILE *f = open_memstream(&csv, &len);
    fputs("date,rep,revenue\n", f);
    Num want = NUM_ZERO;
    long rows = 0;
    for (int n = 1; n <= 10; n++)
        for (int point = 0; point < n; point++) /* 0: none; else digits before it */
            for (int neg = 0; neg < 2; neg++) {
                int k = 0;
                if (neg)
                    text[k++] = '-';
                for (int i = 0; i < n; i++) {
                    if (point && i == point)
                        text[k++] = '.';
                    text[k++] = digits[(i * 7 + n + point + 3 * neg) % 10];
                }
                text[k] = 0;
                Num v;
                assert_int_equal(num_parse(text + neg, strlen(text + neg), &v), NUM_OK);
                assert_int_equal(num_add(want, neg ? num_neg(v) : v, &want), NUM_OK);
                fprintf(f, "2027-03-05,zhang,%s\n", text);
                rows++;
            }
    fclose(f);
    tmpdir_write("a.csv", csv);
    free(csv);
    T *t = load("actuals \"a.csv\"\n");
    assert_non_null(t->a);
    char buf[NUM_BUFSZ];
    assert_sum(t, "revenue", "zhang", 1, 1, num_str(want, buf));
    assert_int_equal(count_of(t, "revenue", "zhang", 1, 1), rows);
    done(t);

    static const char *const bad[] = {".5",   "5.",    "-.5",  "1.2.3", "12..3",   "-",
                                      "1-2",  "12 3",  "+5",   "1a",    "1234567.", ".1234567",
                                      "1.2.", "--1",   "1/2",  "12:30", "1234567a", "a1234567"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char row[64], msg[64];
        snprintf(row, sizeof row, "date,rep,revenue\n2027-03-05,zhang,%s\n", bad[i]);
        tmpdir_write("b.csv", row);
        t = load("actuals \"b.csv\"\n");
        snprintf(msg, sizeof msg, "bad number '%s'", bad[i]);
        if (!find_diag(t, msg))
            fail_msg("'%s' was not refused", bad[i]);
        done(t);
    }
}

static void test_bad_values_positions(void **state)
{
    (void)state;
    tmpdir_write("a.csv", "date,rep,revenue\n"
                        "2027-02-01,zhang,12;3\n"
                        "2027-02-01,zhang,1e5\n"
                        "2027-02-01,zhang,\"12,3\"\n"
                        "2027-02-01,zhang,0.1234567890123\n"
                        "2027-02-01,zhang,+5\n"
                        "2027-02-01,zhang,.5\n"
                        "2027-02-30,zhang,1\n"
                        "2027-2-01,zhang,1\n"
                        "2027-02-01,zhang,1,2\n"
                        "2027-02-01,zhang\n"
                        "2027-02-01,zhang,1000000000000000000000000000\n");
    T *t = load("actuals \"a.csv\"\n");
    assert_null(t->a);
    assert_at(find_diag(t, "bad number '12;3' in column 'revenue'"), "a.csv", 2, 18);
    assert_at(find_diag(t, "bad number '1e5'"), "a.csv", 3, 18);
    assert_at(find_diag(t, "bad number '12,3'"), "a.csv", 4, 18);
    assert_at(find_diag(t, "has more than 12 decimals"), "a.csv", 5, 18);
    assert_at(find_diag(t, "bad number '+5'"), "a.csv", 6, 18);
    assert_at(find_diag(t, "bad number '.5'"), "a.csv", 7, 18);
    assert_at(find_diag(t, "bad date '2027-02-30' in column 'date' (expected YYYY-MM-DD)"), "a.csv",
              8, 1);
    assert_at(find_diag(t, "bad date '2027-2-01'"), "a.csv", 9, 1);
    assert_at(find_diag(t, "row has 4 fields but the header has 3"), "a.csv", 10, 20);
    assert_at(find_diag(t, "row has 2 fields but the header has 3"), "a.csv", 11, 1);
    assert_at(find_diag(t, "is too large"), "a.csv", 12, 18);
    assert_int_equal(t->d.nerrors, 11);
    done(t);
}

static void test_error_cap(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fprintf(f, "date,rep,revenue\n");
    for (int i = 0; i < 50; i++)
        fprintf(f, "2027-02-01,zhang,x%d\n", i);
    fclose(f);
    tmpdir_write("a.csv", text);
    free(text);
    T *t = load("actuals \"a.csv\"\n");
    assert_null(t->a);
    assert_int_equal(t->d.nerrors, ACT_MAX_ERRORS);
    const Diag *g = find_diag(t, "bad number 'x19'");
    assert_true(has_note(g, "stopped reading a.csv after 20 errors"));
    done(t);
}

static void test_csv_errors(void **state)
{
    (void)state;
    tmpdir_write("a.csv", "date,rep,revenue\n2027-02-01,zhang,1\n2027-02-01,\"zh\n");
    T *t = load("actuals \"a.csv\"\n");
    assert_null(t->a);
    assert_at(find_diag(t, "unterminated quoted field starting at line 3"), "a.csv", 3, 12);
    done(t);
    tmpdir_write("b.csv", "date,rep,revenue\n2027-02-01,zh\xff,1\n");
    t = load("actuals \"b.csv\"\n");
    assert_null(t->a);
    const Diag *g = find_diag(t, "invalid UTF-8 byte 0xff");
    assert_at(g, "b.csv", 2, 14);
    size_t len;
    const char *line = source_line(g->loc.src, 2, &len);
    assert_memory_equal(line, "2027-02-01,zh?,1", len); /* shown as '?' */
    done(t);
}

static void test_header_errors(void **state)
{
    (void)state;
    tmpdir_write("a.csv", "day,rep,revenue\n");
    T *t = load("actuals \"a.csv\"\n");
    assert_null(t->a);
    const Diag *g = find_diag(t, "no 'date' or 'month' column");
    assert_at(g, "a.csv", 1, 1);
    assert_true(has_note(g, "the header has: 'day', 'rep', 'revenue'"));
    done(t);
    tmpdir_write("b.csv", "date,rep,revenue,collection_rate\n");
    t = load("actuals \"b.csv\"\n");
    assert_null(t->a);
    g = find_diag(t, "collection_rate is derived (= revenue / revenue): give its components");
    assert_at(g, "b.csv", 1, 18);
    done(t);
    tmpdir_write("c.csv", "date,rep,amount\n");
    t = load("actuals \"c.csv\"\n");
    assert_null(t->a);
    g = find_diag(t,
                  "c.csv has no column for any metric; metrics are revenue, units, rate, score_m");
    done(t);
    tmpdir_write("d.csv", "");
    t = load("actuals \"d.csv\"\n");
    assert_null(t->a);
    find_diag(t, "empty file: a header row is expected");
    done(t);
    tmpdir_write("e.csv", "date,rep,revenue,rep\n");
    t = load("actuals \"e.csv\"\n");
    assert_null(t->a);
    find_diag(t, "column 'rep' appears twice in the header (columns 2 and 4)");
    done(t);
}

static void test_big_values_exact(void **state)
{
    (void)state;
    /* 9,000,000.5 does not fit 64 bits at 12 decimals; three of them
     * overflow any 64-bit sum; the total is still exact */
    tmpdir_write("a.csv", "date,rep,revenue\n"
                        "2027-02-01,zhang,9000000.5\n"
                        "2027-02-01,zhang,9000000.5\n"
                        "2027-02-01,zhang,9000000.5\n"
                        "2027-02-01,zhang,-0.5\n"
                        "2027-02-01,zhang,5000000\n"
                        "2027-02-01,zhang,5000000\n"
                        "2027-02-01,li,123456789012345678.123456789012\n");
    T *t = load("actuals \"a.csv\"\n");
    assert_non_null(t->a);
    assert_sum(t, "revenue", "zhang", 0, 0, "37000001");
    assert_int_equal(count_of(t, "revenue", "zhang", 0, 0), 6);
    assert_sum(t, "revenue", "north", 0, 0, "123456789049345679.123456789012");
    done(t);
}

static void test_sum_bound(void **state)
{
    (void)state;
    tmpdir_write("a.csv", "date,rep,revenue\n"
                        "2027-02-01,zhang,100000000000000000000000000\n"
                        "2027-02-01,zhang,-100000000000000000000000000\n");
    T *t = load("actuals \"a.csv\"\n");
    assert_null(t->a);
    assert_at(find_diag(t, "the values of 'revenue' add up to more than the largest number"),
              "a.csv", 3, 18);
    done(t);
}

static void test_command_line_files_replace(void **state)
{
    (void)state;
    tmpdir_write("plan.csv", "d,r,amount\n2027-02-01,zhang,1\n");
    tmpdir_write("cli.csv", "d,r,amount\n2027-02-01,li,10\n2027-03-01,sun,20\n");
    tmpdir_write("cli2.csv", "d,r,amount\n2027-03-01,sun,5\n");
    tmpdir_write("other.csv", "not read\n");
    char p1[512], p2[512];
    snprintf(p1, sizeof p1, "%s/cli.csv", tmpdir);
    snprintf(p2, sizeof p2, "%s/cli2.csv", tmpdir);
    const char *files[] = {p1, p2};
    T *t = load_with("actuals \"plan.csv\" { date = d  rep = r  revenue = amount }\n"
                     "actuals \"other.csv\"\n",
                     files, 2, false);
    assert_non_null(t->a);
    assert_sum(t, "revenue", "zhang", 0, 11, "0");
    assert_sum(t, "revenue", "li", 0, 11, "10");
    assert_sum(t, "revenue", "sun", 1, 1, "25");
    assert_sum(t, "revenue", NULL, 0, 11, "35");
    assert_false(t->none);
    done(t);
    t = load("");
    assert_null(t->a);
    assert_true(t->none);
    assert_int_equal(t->d.nerrors, 0);
    done(t);
    t = load_with("", (const char *[]){"/nonexistent/x.csv"}, 1, false);
    assert_null(t->a);
    find_diag(t, "cannot open '/nonexistent/x.csv'");
    assert_true(t->p->data_error);
    done(t);
}

static void test_several_plan_files(void **state)
{
    (void)state;
    tmpdir_write("a.csv", "date,rep,revenue\n2027-02-01,zhang,1\n");
    tmpdir_write("b.csv", "month,region,revenue\n2027-03,east,2\n");
    T *t = load("actuals \"a.csv\"\nactuals \"b.csv\"\n");
    assert_non_null(t->a);
    assert_sum(t, "revenue", NULL, 0, 11, "3");
    assert_sum(t, "revenue", "east", 0, 11, "2");
    assert_sum(t, "revenue", "north", 0, 11, "1");
    assert_int_equal(act_last_month(t->a), 1);
    done(t);
}

static void test_last_month(void **state)
{
    (void)state;
    tmpdir_write("a.csv", "date,rep,revenue\n2026-05-01,zhang,1\n2027-06-01,zhang,\n");
    T *t = load("actuals \"a.csv\"\n");
    assert_non_null(t->a);
    assert_int_equal(act_last_month(t->a), -1); /* outside the year; a blank value */
    done(t);
    tmpdir_write("b.csv", "date,rep,revenue\n2027-06-01,zhang,0\n2027-02-01,zhang,1\n");
    t = load("actuals \"b.csv\"\n");
    assert_int_equal(act_last_month(t->a), 4);
    done(t);
}

static void test_pseudo_member(void **state)
{
    (void)state;
    tmpdir_write("a.csv", "date,rep,revenue\n2027-02-01,zhang,1\n");
    T *t = load("actuals \"a.csv\"\n");
    Member reserve = *member(t, "team_a");
    reserve.pseudo = true;
    reserve.gindex = (int)reserve.dim->nmembers;
    assert_true(num_is_zero(act_sum(t->a, metric(t, "revenue"), &reserve, 0, 11)));
    assert_int_equal(act_count(t->a, metric(t, "revenue"), &reserve, 0, 11), 0);
    done(t);
}

/* The same rows in another order, split over two files: identical sums. */
static void test_order_independent(void **state)
{
    (void)state;
    const char *rows[] = {"2027-02-01,zhang,cards,1.1", "2027-05-01,li,membership,2.2",
                          "2027-06-01,sun,cards,-3.3", "2027-12-01,zhou,cards,4.4",
                          "2028-01-01,zhao,membership,5.5"};
    char a[512] = "date,rep,product,revenue\n", b[512] = "date,rep,product,revenue\n",
         c[512] = "date,rep,product,revenue\n";
    for (int i = 0; i < 5; i++) {
        strcat(strcat(a, rows[i]), "\n");
        strcat(strcat(i % 2 ? b : c, rows[4 - i]), "\n");
    }
    tmpdir_write("a.csv", a);
    tmpdir_write("b.csv", b);
    tmpdir_write("c.csv", c);
    T *t1 = load("actuals \"a.csv\"\n");
    T *t2 = load("actuals \"b.csv\"\nactuals \"c.csv\"\n");
    const char *mems[] = {"zhang",  "li",    "zhao", "sun",   "zhou",
                          "team_a", "north", "east", "cards", "membership"};
    for (size_t k = 0; k < sizeof mems / sizeof *mems; k++)
        for (int m = 0; m < 12; m++) {
            const Member *x = member(t1, mems[k]), *y = member(t2, mems[k]);
            assert_int_equal(num_cmp(act_sum(t1->a, metric(t1, "revenue"), x, m, m),
                                     act_sum(t2->a, metric(t2, "revenue"), y, m, m)),
                             0);
            assert_int_equal(act_count(t1->a, metric(t1, "revenue"), x, m, m),
                             act_count(t2->a, metric(t2, "revenue"), y, m, m));
        }
    assert_sum(t1, "revenue", "cards", 0, 11, "2.2");
    done(t1);
    done(t2);
}

/* Many members: every lookup goes through the hash tables, rows in both
 * the fast and the slow path (spaces, quotes) land in the same cells. */
static void test_many_members(void **state)
{
    (void)state;
    char *roster = NULL, *csv = NULL;
    size_t rl = 0, cl = 0;
    FILE *r = open_memstream(&roster, &rl), *c = open_memstream(&csv, &cl);
    fprintf(r, "region,team,rep\n");
    fprintf(c, "date,rep,team,revenue\n");
    for (int i = 0; i < 3000; i++) {
        int m = i % 12 + 1, y = m >= 2 ? 2027 : 2028;
        fprintf(r, "R%d,T%d,rep%05d\n", i / 10 % 7, i / 10, i);
        fprintf(c, "%d-%02d-01,rep%05d,T%d,%d.25\n", y, m, i, i / 10, i);
        fprintf(c, "%d-%02d-01, rep%05d ,\"T%d\",\" %d.75\"\n", y, m, i, i / 10, i);
    }
    fclose(r);
    fclose(c);
    tmpdir_write("roster.csv", roster);
    tmpdir_write("a.csv", csv);
    free(roster);
    free(csv);
    T *t = load_with("dimension staff levels branch > squad > seller from \"roster.csv\" "
                     "{ branch = region  squad = team  seller = rep }\n"
                     "actuals \"a.csv\" { seller = rep  squad = team }\n",
                     NULL, 0, false);
    if (!t->a)
        find_diag(t, "(no error expected)");
    assert_sum(t, "revenue", "rep01234", 0, 11, "2469");
    assert_sum(t, "revenue", "T123", 0, 11, "24700");
    assert_int_equal(count_of(t, "revenue", "R3", 0, 11), 860);
    /* 2 * sum(i) + 3000 for i < 3000 */
    assert_sum(t, "revenue", NULL, 0, 11, "9000000");
    done(t);
}

/* ---- several threads ---- */

/* Everything a load shows: each diagnostic in the order reported (level,
 * file, index, span, message, the line shown, notes), the row counts, and
 * the sum and count of every metric for every member and month. */
static char *outcome(T *t)
{
    char *text = NULL, buf[NUM_BUFSZ];
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fprintf(f, "errors %d warnings %d data_error %d\n", t->d.nerrors, t->d.nwarnings,
            t->p->data_error);
    for (size_t i = 0; i < t->d.n; i++) {
        const Diag *g = &t->d.v[i];
        const Source *src = g->loc.src;
        size_t ll = 0;
        const char *line = src ? source_line(src, g->loc.line, &ll) : "";
        fprintf(f, "%d %s#%d:%d:%d-%d:%d %s | %.*s\n", g->level, src ? src->name : "-",
                src ? src->index : -1, g->loc.line, g->loc.col, g->loc.end_line, g->loc.end_col,
                g->msg, (int)ll, line);
        for (size_t k = 0; k < g->nnotes; k++)
            fprintf(f, "  note: %s\n", g->notes[k].msg);
    }
    if (t->a) {
        fprintf(f, "rows %ld skipped %ld outside %ld last %d\n", act_rows(t->a),
                act_rows_skipped(t->a), act_rows_outside(t->a), act_last_month(t->a));
        const char *metrics[] = {"revenue", "units", "rate", "score_m"};
        Symbols *sym = t->p->sym;
        for (size_t k = 0; k < 4; k++)
            for (int d = -1; d < sym->ndims; d++)
                for (size_t i = 0; i < (d < 0 ? 1 : sym->dims[d]->nmembers); i++)
                    for (int m = 0; m < 12; m++) {
                        const Member *mem = d < 0 ? NULL : sym->dims[d]->members[i];
                        const Node *met = metric(t, metrics[k]);
                        long n = act_count(t->a, met, mem, m, m);
                        if (n)
                            fprintf(f, "%s %s %d: %s (%ld)\n", metrics[k],
                                    mem ? mem->name : "total", m,
                                    num_str(act_sum(t->a, met, mem, m, m), buf), n);
                    }
    }
    fclose(f);
    return text;
}

/* The outcome of loading csv as a.csv with SALESPLAN_THREADS=threads. */
static char *outcome_with(const char *csv, bool lenient, const char *threads)
{
    tmpdir_write("a.csv", csv);
    const char *was = getenv("SALESPLAN_THREADS");
    char *saved = was ? strdup(was) : NULL;
    setenv("SALESPLAN_THREADS", threads, 1);
    T *t = load_with("actuals \"a.csv\"\n", NULL, 0, lenient);
    if (saved)
        setenv("SALESPLAN_THREADS", saved, 1);
    else
        unsetenv("SALESPLAN_THREADS");
    free(saved);
    char *s = outcome(t);
    done(t);
    return s;
}

/* A CSV of n rows: row i (line i + 2 without line ends in quotes) is
 * rows[i % nrows] with %d as i (malloc'd). */
static char *rows_csv(const char *header, const char *const *rows, int nrows, int n)
{
    size_t cap = strlen(header) + 1 + (size_t)n * 200, len = strlen(header);
    char *text = malloc(cap);
    assert_non_null(text);
    memcpy(text, header, len + 1);
    for (int i = 0; i < n; i++) {
        int k = snprintf(text + len, cap - len, rows[i % nrows], i);
        assert_true(k >= 0 && (size_t)k + 2 < cap - len);
        len += (size_t)k;
        text[len++] = '\n';
        text[len] = 0;
    }
    return text;
}

/* Overwrites the bytes at offset skip of the first occurrence of what in
 * text with those of by. */
static void overwrite(char *text, const char *what, size_t skip, const char *by)
{
    char *at = strstr(text, what);
    assert_non_null(at);
    memcpy(at + skip, by, strlen(by));
}

/* Each case, read by 1 thread and by 2, 3, 4, 7 and 16: the same
 * diagnostics (same order, places, lines shown, notes), counts and sums. */
static void check_threads(const char *csv, bool lenient)
{
    static const char *const threads[] = {"2", "3", "4", "7", "16"};
    char *one = outcome_with(csv, lenient, "1");
    for (size_t i = 0; i < sizeof threads / sizeof *threads; i++) {
        char *got = outcome_with(csv, lenient, threads[i]);
        if (strcmp(got, one) != 0)
            print_error("SALESPLAN_THREADS=%s, input:\n%s\n--- one thread:\n%s--- got:\n%s",
                        threads[i], csv, one, got);
        assert_string_equal(got, one);
        free(got);
    }
    free(one);
}

static void test_threads_valid(void **state)
{
    (void)state;
    /* BOM, CRLF, blank lines, quotes with line ends and "", labels, big values */
    const char *good[] = {"2027-02-01,zhang,cards,%d.5,1,\r",
                          "2027-03-01,\"li\",\"membership\",\"-%d\",2,\"a \"\"b\"\"\nc\"",
                          "",
                          "2027-04-01,zhao,cards,9000000.%d,3,\"\n\n\"\r",
                          "2027-05-01,\"张三\",,%d000000000000,,",
                          "2027-06-01,sun,\"cards\",0.00000000000%d,\"1\",x",
                          "2028-06-01,sun,cards,1,1,\"\"\"\"",
                          "\r"};
    char *csv = rows_csv("\xEF\xBB\xBF"
                         "date,rep,product,revenue,units,note\r\n",
                         good, 8, 700);
    check_threads(csv, false);
    free(csv);
}

/* A note in quotes longer than what the split reads to guess where a record
 * starts, with no quote in it: the cuts fall inside it, the parts before
 * them end in an error, and one thread goes on from the record it is in;
 * rows outside the year and unknown names after it are reported on their
 * lines. */
static void test_threads_cut_in_quotes(void **state)
{
    (void)state;
    const char *rows[] = {"2027-02-01,zhang,%d,x", "2026-02-01,li,%d,", "2027-03-01,zhangg,%d,"};
    char *head = rows_csv("date,rep,revenue,note\n", rows, 3, 40);
    Buf b = {0};
    buf_puts(&b, head);
    buf_puts(&b, "2027-04-01,li,7,\"");
    for (int i = 0; i < 20000; i++)
        buf_puts(&b, "a long note\n");
    buf_puts(&b, "\"\n");
    char *tail = rows_csv("", rows, 3, 40);
    buf_puts(&b, tail);
    check_threads(buf_cstr(&b), false);
    check_threads(buf_cstr(&b), true);
    free(head);
    free(tail);
    buf_free(&b);
}

static void test_threads_errors(void **state)
{
    (void)state;
    const char *bad[] = {
        "2027-02-01,zhang,%d", "2027-02-01,zhangg,%d",    "2027-02-01,zhang,x%d",
        "2027-02-30,zhang,%d", "2027-02-01,\"li\nx\",%d", "2027-02-01,zhang,%d,2",
        "2026-02-01,zhang,%d", "2027-02-01,team_a,%d",    "2027-02-01,zhang,\"1\n%d\""};
    for (int n = 1; n <= 60; n += n < 12 ? 1 : 7) {
        char *csv = rows_csv("date,rep,revenue\n", bad, 9, n);
        check_threads(csv, false);
        check_threads(csv, true);
        free(csv);
    }
    /* a few errors, then a reader error, then more: nothing after it */
    const char *stop[] = {"2027-02-01,zhang,%d", "2027-02-01,zhang,%d", "2027-02-01,zhang,%d",
                          "2027-02-01,zhang,%d", "2027-02-01,zhang,%d", "2027-02-01,zhang,y%d"};
    char *csv = rows_csv("date,rep,revenue\n", stop, 6, 120);
    overwrite(csv, "\n2027-02-01,zhang,60\n", 12, "zh\xff"); /* invalid UTF-8 on line 62 */
    check_threads(csv, false);
    overwrite(csv, "\n2027-02-01,zh\xffng,60\n", 12, "zh\""); /* '"' in an unquoted field */
    check_threads(csv, false);
    overwrite(csv, "\n2027-02-01,zh\"ng,60\n", 12, "\"zh"); /* unterminated: the parity is off */
    check_threads(csv, false);
    check_threads(csv, true);
    free(csv);
    /* the 20th error is a reader error; rows outside the year before and after it */
    const char *cap[] = {"2027-02-01,zhang,b%d", "2026-02-01,zhang,%d", "2027-02-01,zhang,%d"};
    csv = rows_csv("date,rep,revenue\n", cap, 3, 90);
    overwrite(csv, "\n2027-02-01,zhang,b57\n", 19, "\r"); /* a bare CR */
    check_threads(csv, false);
    check_threads(csv, true);
    free(csv);
}

static void test_threads_bound(void **state)
{
    (void)state;
    /* every range fits, the whole does not: the error is at the row that passes */
    const char *big[] = {"2027-02-01,zhang,60000000000000000000000000",
                         "2027-02-01,li,-60000000000000000000000000", "2027-02-01,zhao,%d"};
    for (int n = 2; n <= 12; n++) {
        char *csv = rows_csv("date,rep,revenue\n", big, 3, n);
        check_threads(csv, false);
        check_threads(csv, true);
        free(csv);
    }
    /* spills of the 64-bit parts in every range add up exactly */
    const char *spill[] = {"2027-02-01,zhang,9000000.5", "2027-02-01,zhang,-9000000.25",
                           "2027-02-01,zhang,8999999.%d"};
    char *csv = rows_csv("date,rep,revenue\n", spill, 3, 200);
    check_threads(csv, false);
    free(csv);
}

/* Only a header (with a BOM and blank lines), or no data row at all. */
static void test_threads_short(void **state)
{
    (void)state;
    check_threads("\xEF\xBB\xBF"
                  "date,rep,revenue\n",
                  false);
    check_threads("\n\ndate,rep,revenue\n\n\n", false);
    check_threads("date,rep,revenue", false);
    check_threads("date,rep,revenue\n2027-02-01,zhang,1", false);
    check_threads("date,rep,revenue\n\"2027-02-01\",zhang,1\n\n", false);
    check_threads("", false);
    check_threads("date,rep,revenue,collection_rate\n2027-02-01,zhang,1,1\n", false);
}

/* A worker's cells are added with the carries of the 32-bit counts and
 * the 64-bit sums. */
static void test_cells_add(void **state)
{
    (void)state;
    Cells a = {0}, b = {0};
    ac_cells_alloc_rows(&a, 12);
    ac_cells_alloc_rows(&b, 12);
    a.row[3].n = 5;
    a.row[3].lo = INT64_MAX;
    b.row[3].n = UINT32_MAX;
    b.row[3].lo = INT64_MAX;
    b.row[4].n = 2;
    b.row[4].lo = -7;
    ac_cells_add(&a, &b);
    assert_non_null(a.hi);
    assert_non_null(a.nhi);
    assert_true((__int128)a.row[3].lo + a.hi[3].v == (__int128)INT64_MAX * 2);
    assert_int_equal((int64_t)a.row[3].n + a.nhi[3], (int64_t)UINT32_MAX + 5);
    assert_int_equal(a.row[4].lo, -7);
    assert_int_equal(a.row[4].n, 2);
    ac_cells_add(&b, &a); /* b's spills into another's */
    assert_true((__int128)b.row[3].lo + b.hi[3].v == (__int128)INT64_MAX * 3);
    assert_int_equal((int64_t)b.row[3].n + b.nhi[3], (int64_t)UINT32_MAX * 2 + 5);
    assert_int_equal(b.row[4].lo, -14);
    ac_cells_free(&a);
    ac_cells_free(&b);
    assert_null(a.row);
}

/* The one write path: a value and the rows it stands for, into the cells
 * of the members named and of the plan total; counts past 32 bits and sums
 * past 64 bits spill. */
static void test_write_path(void **state)
{
    (void)state;
    Cells cells[2] = {{0}, {0}};
    MStore ms = {.cells = cells};
    ac_cells_alloc_rows(&cells[0], 3 * 12); /* a dimension of 3 members */
    ac_cells_alloc_rows(&cells[1], 12);     /* the plan total */
    int dims[2] = {0, 0};
    int32_t deep[2] = {2, -1};
    ac_put(NULL, &ms, 1, dims, deep, 2, 4, 12, -1, 7, 1);
    ac_put(NULL, &ms, 1, dims, deep, 2, 4, 12, -1, -2, UINT32_MAX); /* a group of many rows */
    ac_put(NULL, &ms, 1, dims, deep, 1, 4, 12, -1, (__int128)INT64_MAX * 3, 5);
    assert_int_equal((int64_t)cells[0].row[2 * 12 + 4].n + cells[0].nhi[2 * 12 + 4],
                     (int64_t)UINT32_MAX + 6);
    assert_true((__int128)cells[0].row[2 * 12 + 4].lo + cells[0].hi[2 * 12 + 4].v ==
                (__int128)INT64_MAX * 3 + 5);
    assert_int_equal((int64_t)cells[1].row[4].n + cells[1].nhi[4], (int64_t)UINT32_MAX + 6);
    assert_int_equal(cells[0].row[1 * 12 + 4].n, 0);
    ac_cells_free(&cells[0]);
    ac_cells_free(&cells[1]);
}

/* Adds held back (the common rows' path) give the cells what adds made at
 * once give, in any order, once flushed; nothing is written before. */
static void test_write_path_pending(void **state)
{
    (void)state;
    Cells now[2] = {{0}, {0}}, later[2] = {{0}, {0}};
    MStore ms_now = {.cells = now}, ms_later = {.cells = later};
    Pending pd = {0};
    for (int k = 0; k < 2; k++) {
        ac_cells_alloc_rows(&now[k], k ? 12 : 5 * 12);
        ac_cells_alloc_rows(&later[k], k ? 12 : 5 * 12);
    }
    int dims[1] = {0};
    for (int r = 0; r < 3 * PENDING_LAG + 5; r++) {
        int32_t deep[1] = {r % 5};
        __int128 v = r % 7 == 0 ? (__int128)INT64_MAX - r : (__int128)r * 1000 - 9000;
        ac_put(NULL, &ms_now, 1, dims, deep, 1, r % 12, 12, -1, v, 1);
        ac_put(&pd, &ms_later, 1, dims, deep, 1, r % 12, 12, -1, v, 1);
    }
    assert_int_equal(later[0].row[2 * 12 + 4].n, 0); /* the last row's add is held back */
    pending_flush(&pd);
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < now[k].size; i++) {
            assert_true((__int128)now[k].row[i].lo + (now[k].hi ? now[k].hi[i].v : 0) ==
                        (__int128)later[k].row[i].lo + (later[k].hi ? later[k].hi[i].v : 0));
            assert_int_equal(now[k].row[i].n, later[k].row[i].n);
        }
    for (int k = 0; k < 2; k++) {
        ac_cells_free(&now[k]);
        ac_cells_free(&later[k]);
    }
}

/* With a weekly review a row counts in its month and in its week (slot 12 + week). */
static void test_write_path_weeks(void **state)
{
    (void)state;
    size_t stride = 12 + WK_MAX_WEEKS;
    Cells cells[2] = {{0}, {0}};
    MStore ms = {.cells = cells};
    ac_cells_alloc_rows(&cells[0], 3 * stride);
    ac_cells_alloc_rows(&cells[1], stride);
    int dims[1] = {0};
    int32_t deep[1] = {1};
    ac_put(NULL, &ms, 1, dims, deep, 1, 2, stride, 9, 250, 1);
    ac_put(NULL, &ms, 1, dims, deep, 1, 2, stride, 10, 50, 2);
    assert_int_equal(cells[0].row[1 * stride + 2].lo, 300);
    assert_int_equal(cells[0].row[1 * stride + 2].n, 3);
    assert_int_equal(cells[0].row[1 * stride + 12 + 9].lo, 250);
    assert_int_equal(cells[0].row[1 * stride + 12 + 10].lo, 50);
    assert_int_equal(cells[1].row[12 + 10].lo, 50);
    assert_int_equal(cells[1].row[12 + 9].n, 1);
    assert_int_equal(cells[0].row[0 * stride + 12 + 9].lo, 0);
    ac_cells_free(&cells[0]);
    ac_cells_free(&cells[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sums_and_rollups),
        cmocka_unit_test(test_labels_and_levels),
        cmocka_unit_test(test_month_numbers_and_ym),
        cmocka_unit_test(test_fiscal_year_boundaries),
        cmocka_unit_test(test_percent_and_score_averages),
        cmocka_unit_test(test_percent_sign_only_for_percent),
        cmocka_unit_test(test_mapping),
        cmocka_unit_test(test_mapped_column_missing),
        cmocka_unit_test(test_mapping_names_nothing),
        cmocka_unit_test(test_empty_cells),
        cmocka_unit_test(test_unknown_member),
        cmocka_unit_test(test_lenient),
        cmocka_unit_test(test_contradiction),
        cmocka_unit_test(test_plain_decimals_every_point),
        cmocka_unit_test(test_bad_values_positions),
        cmocka_unit_test(test_error_cap),
        cmocka_unit_test(test_csv_errors),
        cmocka_unit_test(test_header_errors),
        cmocka_unit_test(test_big_values_exact),
        cmocka_unit_test(test_sum_bound),
        cmocka_unit_test(test_command_line_files_replace),
        cmocka_unit_test(test_several_plan_files),
        cmocka_unit_test(test_last_month),
        cmocka_unit_test(test_pseudo_member),
        cmocka_unit_test(test_order_independent),
        cmocka_unit_test(test_many_members),
        cmocka_unit_test(test_threads_valid),
        cmocka_unit_test(test_threads_cut_in_quotes),
        cmocka_unit_test(test_threads_errors),
        cmocka_unit_test(test_threads_bound),
        cmocka_unit_test(test_threads_short),
        cmocka_unit_test(test_cells_add),
        cmocka_unit_test(test_write_path),
        cmocka_unit_test(test_write_path_pending),
        cmocka_unit_test(test_write_path_weeks),
    };
    /* every test also with several threads reading each file (tiny ranges) */
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    setenv("SALESPLAN_THREADS", "3", 1);
    failed += cmocka_run_group_tests(tests, setup, teardown);
    unsetenv("SALESPLAN_THREADS");
    return failed;
}
