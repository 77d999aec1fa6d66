/* test_history.c -- cmocka tests for interp/history.c: loading history CSVs
 * (date, month and month-number columns, mapped and guessed columns, level
 * columns), every load error with its line and column, seasonality over
 * complete fiscal years with and without a level filter, total(), bounded
 * memory on a large file, and the shipped example history.
 * Each test writes its CSV into a fresh mkdtemp directory.
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

#include "data/history.h"
#include "base/num.h"

/* ---- helpers ---- */

static int file_counter;

static int setup(void **state)
{
    (void)state;
    return tmpdir_make("test_history");
}

static int teardown(void **state)
{
    (void)state;
    return tmpdir_remove();
}

/* Writes text (n bytes) to a new file in tmpdir; returns its path (static). */
static const char *write_file_n(const char *text, size_t n)
{
    char name[32];
    snprintf(name, sizeof name, "h%d.csv", ++file_counter);
    return tmpdir_write_n(name, text, n);
}

static const char *write_file(const char *text)
{
    return write_file_n(text, strlen(text));
}

/* The default spec: history "sales", fiscal year FY2027 starting in feb,
 * with a region level. */
static HistSpec spec_feb(void)
{
    HistSpec sp = {0};
    sp.name = "sales";
    sp.fy_year = 2027;
    sp.start_month = 2;
    sp.levels[0].level = "region";
    sp.nlevels = 1;
    return sp;
}

static History *load_ok(const char *text, const HistSpec *sp)
{
    HistError err;
    History *h = hist_load(write_file(text), sp, &err);
    if (!h)
        fail_msg("unexpected error at %ld:%ld: %s", err.line, err.col, err.msg);
    return h;
}

/* Loads text expecting an error; checks line, column and a message part. */
static void load_err(const char *text, const HistSpec *sp, long line, long col, const char *part)
{
    HistError err;
    History *h = hist_load(write_file(text), sp, &err);
    if (h) {
        hist_free(h);
        fail_msg("expected an error containing '%s'", part);
    }
    if (!strstr(err.msg, part))
        fail_msg("message '%s' lacks '%s'", err.msg, part);
    assert_int_equal(err.line, line);
    assert_int_equal(err.col, col);
}

static void assert_num(Num x, const char *want)
{
    char buf[NUM_BUFSZ];
    assert_string_equal(num_str(x, buf), want);
}

static Num ratio(int64_t a, int64_t b)
{
    Num r;
    assert_int_equal(num_from_ratio(a, b, &r), NUM_OK);
    return r;
}

/* Shares = weights / their sum. */
static void shares_of(const Num w[12], Num out[12])
{
    Num sum = NUM_ZERO;
    for (int i = 0; i < 12; i++)
        assert_int_equal(num_add(sum, w[i], &sum), NUM_OK);
    for (int i = 0; i < 12; i++)
        assert_int_equal(num_div(w[i], sum, &out[i]), NUM_OK);
}

/* Appends "YYYY-MM,REGION,VALUE\n" rows for fiscal years first..last (feb
 * start), value = f(fiscal year, fiscal month index). */
typedef long (*ValueFn)(int fy, int idx);

static void add_years(FILE *f, int first, int last, const char *region, ValueFn fn)
{
    for (int fy = first; fy <= last; fy++)
        for (int i = 0; i < 12; i++) {
            int m = (1 + i) % 12 + 1; /* feb..jan */
            int y = m >= 2 ? fy : fy + 1;
            if (region)
                fprintf(f, "%04d-%02d,%s,%ld\n", y, m, region, fn(fy, i));
            else
                fprintf(f, "%04d-%02d,%ld\n", y, m, fn(fy, i));
        }
}

static long flat_100(int fy, int idx)
{
    (void)fy;
    (void)idx;
    return 100;
}

/* Year k (0, 1, 2 for 2024..2026) sells (k + 1) * (idx + 1). */
static long uneven(int fy, int idx)
{
    return (long)(fy - 2023) * (idx + 1);
}

static long huge(int fy, int idx)
{
    (void)fy;
    (void)idx;
    return 1000000;
}

/* ---- seasonality ---- */

static void test_flat_three_years(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fputs("month,sales\n", f);
    add_years(f, 2024, 2026, NULL, flat_100);
    fclose(f);
    HistSpec sp = spec_feb();
    sp.nlevels = 0;
    History *h = load_ok(text, &sp);
    free(text);
    Num w[12], s[12];
    int years[8];
    assert_int_equal(hist_season(h, 2, NULL, NULL, w, years, 8), 3);
    assert_int_equal(years[0], 2024);
    assert_int_equal(years[1], 2025);
    assert_int_equal(years[2], 2026);
    shares_of(w, s);
    for (int i = 0; i < 12; i++) {
        assert_num(w[i], "300");
        assert_int_equal(num_cmp(s[i], ratio(1, 12)), 0);
    }
    assert_int_equal(hist_group_count(h), 36);
    assert_int_equal(hist_rows(h), 36);
    assert_string_equal(hist_value_column(h), "sales");
    assert_string_equal(hist_time_column(h), "month");
    hist_free(h);
}

static void test_uneven_three_years(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fputs("month,sales\n", f);
    add_years(f, 2024, 2026, NULL, uneven);
    fclose(f);
    HistSpec sp = spec_feb();
    sp.nlevels = 0;
    History *h = load_ok(text, &sp);
    free(text);
    Num w[12], s[12];
    assert_int_equal(hist_season(h, 2, NULL, NULL, w, NULL, 0), 3);
    /* month idx sums (1 + 2 + 3) * (idx + 1); total 6 * 78 = 468, so the
     * share of fiscal month idx is (idx + 1) / 78: feb 1/78 .. jan 12/78. */
    assert_num(w[0], "6");
    assert_num(w[5], "36");
    assert_num(w[11], "72");
    shares_of(w, s);
    for (int i = 0; i < 12; i++)
        assert_int_equal(num_cmp(s[i], ratio(i + 1, 78)), 0);
    /* The same file read with a jan start has no complete fiscal year that
     * is not also cut: FY2024 (jan..dec 2024) lacks jan 2024. */
    int years[4];
    assert_int_equal(hist_season(h, 1, NULL, NULL, w, years, 4), 2);
    assert_int_equal(years[0], 2025);
    assert_int_equal(years[1], 2026);
    hist_free(h);
}

static void test_hand_computed_decimals(void **state)
{
    (void)state;
    /* One fiscal year FY2026 (feb 2026 .. jan 2027): feb 150.25, dec 49.75,
     * every other month 80: sum 200 + 10 * 80 = 1000. */
    char text[2048] = "month,sales\n";
    for (int i = 0; i < 12; i++) {
        int m = (1 + i) % 12 + 1, y = m >= 2 ? 2026 : 2027;
        const char *v = m == 2 ? "150.25" : m == 12 ? "49.75" : "80";
        snprintf(text + strlen(text), sizeof text - strlen(text), "%04d-%02d,%s\n", y, m, v);
    }
    HistSpec sp = spec_feb();
    History *h = load_ok(text, &sp);
    Num w[12], s[12];
    int years[1];
    assert_int_equal(hist_season(h, 2, NULL, NULL, w, years, 1), 1);
    assert_int_equal(years[0], 2026);
    shares_of(w, s);
    assert_num(s[0], "0.15025");  /* feb */
    assert_num(s[1], "0.08");     /* mar */
    assert_num(s[10], "0.04975"); /* dec */
    assert_num(s[11], "0.08");    /* jan */
    hist_free(h);
}

static void test_incomplete_years_ignored(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fputs("month,sales\n", f);
    /* leading FY2023 has only jun 2023 .. jan 2024 */
    for (int m = 6; m <= 12; m++)
        fprintf(f, "2023-%02d,1000000\n", m);
    fputs("2024-01,1000000\n", f);
    add_years(f, 2024, 2026, NULL, flat_100);
    /* trailing FY2027 has only feb .. may 2027 */
    for (int m = 2; m <= 5; m++)
        fprintf(f, "2027-%02d,1000000\n", m);
    /* FY2029 misses december: incomplete in the middle of nowhere */
    add_years(f, 2029, 2029, NULL, huge);
    fclose(f);
    /* remove december 2029 */
    char *dec = strstr(text, "2029-12,1000000\n");
    assert_non_null(dec);
    memmove(dec, dec + 16, strlen(dec + 16) + 1);
    HistSpec sp = spec_feb();
    History *h = load_ok(text, &sp);
    free(text);
    Num w[12];
    int years[8];
    assert_int_equal(hist_season(h, 2, NULL, NULL, w, years, 8), 3);
    assert_int_equal(years[0], 2024);
    assert_int_equal(years[2], 2026);
    for (int i = 0; i < 12; i++)
        assert_num(w[i], "300");
    /* max_years smaller than the count: the count is still the whole. */
    assert_int_equal(hist_season(h, 2, NULL, NULL, w, years, 1), 3);
    assert_int_equal(years[0], 2024);
    hist_free(h);
}

static void test_region_filter(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fputs("month,region,sales\n", f);
    add_years(f, 2024, 2026, "north", uneven);
    add_years(f, 2025, 2026, "east", flat_100);
    fputs("2024-05,east,999\n", f); /* east FY2024 is incomplete */
    fclose(f);
    HistSpec sp = spec_feb();
    History *h = load_ok(text, &sp);
    free(text);
    assert_true(hist_has_level(h, "region"));
    assert_false(hist_has_level(h, "team"));
    Num w[12], s[12];
    int years[4];

    assert_int_equal(hist_season(h, 2, "region", "north", w, years, 4), 3);
    shares_of(w, s);
    for (int i = 0; i < 12; i++)
        assert_int_equal(num_cmp(s[i], ratio(i + 1, 78)), 0);

    assert_int_equal(hist_season(h, 2, "region", "east", w, years, 4), 2);
    assert_int_equal(years[0], 2025);
    assert_int_equal(years[1], 2026);
    for (int i = 0; i < 12; i++)
        assert_num(w[i], "200");

    /* unfiltered: FY2024 counts (north makes it complete), east's may too */
    assert_int_equal(hist_season(h, 2, NULL, NULL, w, years, 4), 3);
    assert_num(w[0], "206");  /* north 1+2+3, east 100+100 */
    assert_num(w[3], "1223"); /* may: north 4*6, east 100+100+999 */

    /* a level the file lacks filters nothing */
    Num w2[12];
    assert_int_equal(hist_season(h, 2, "team", "team_a", w2, years, 4), 3);
    for (int i = 0; i < 12; i++)
        assert_int_equal(num_cmp(w[i], w2[i]), 0);

    /* an unknown member has no rows */
    assert_int_equal(hist_season(h, 2, "region", "west", w, years, 4), 0);
    for (int i = 0; i < 12; i++)
        assert_true(num_is_zero(w[i]));

    /* several members: north or east is everything */
    const char *both[] = {"north", "east"};
    HistFilter flt = {"region", both, 2};
    assert_int_equal(hist_season_where(h, 2, &flt, 1, w2, years, 4), 3);
    assert_num(w2[3], "1223");
    hist_free(h);
}

/* ---- time columns ---- */

static void test_date_column(void **state)
{
    (void)state;
    HistSpec sp = spec_feb();
    History *h = load_ok("date,region,sales\n"
                         "2024-02-01,north,10\n"
                         "2024-02-29,north,5.5\n" /* leap day */
                         "2024-03-15,north,1\n"
                         "2024-02-10,east,2\n"
                         "2024-02-11,north,0.5\n",
                         &sp);
    assert_int_equal(hist_rows(h), 5);
    assert_int_equal(hist_group_count(h), 3);
    HistGroup g;
    assert_true(hist_group(h, 0, &g));
    assert_int_equal(g.year, 2024);
    assert_int_equal(g.month, 2);
    assert_string_equal(g.scope[0], "north");
    assert_num(g.total, "16");
    assert_int_equal(g.rows, 3);
    assert_true(hist_group(h, 2, &g));
    assert_string_equal(g.scope[0], "east");
    assert_false(hist_group(h, 3, &g));
    assert_string_equal(hist_time_column(h), "date");
    hist_free(h);

    load_err("date,sales\n2024-02-01,1\n2025-02-29,1\n", &sp, 3, 1, "bad date '2025-02-29'");
    load_err("date,sales\n2024-02,1\n", &sp, 2, 1, "expected YYYY-MM-DD");
    load_err("sales,date\n1,2024-13-01\n", &sp, 2, 3, "bad date '2024-13-01' in column 'date'");
}

static void test_month_column(void **state)
{
    (void)state;
    HistSpec sp = spec_feb();
    History *h =
        load_ok("month,region,sales\n2024-02,north,1\n2024-02,north,2\n 2024-12 ,north,3\n", &sp);
    HistGroup g;
    assert_int_equal(hist_group_count(h), 2);
    assert_true(hist_group(h, 1, &g));
    assert_int_equal(g.year, 2024);
    assert_int_equal(g.month, 12);
    hist_free(h);
    load_err("month,sales\n2024-1,1\n", &sp, 2, 1, "bad month '2024-1'");
    load_err("month,sales\n2024-00,1\n", &sp, 2, 1, "expected YYYY-MM or a month number 1-12");
    load_err("month,sales\n13,1\n", &sp, 2, 1, "bad month '13'");
}

static void test_month_numbers(void **state)
{
    (void)state;
    HistSpec sp = spec_feb(); /* FY2027 runs 2027-02 .. 2028-01 */
    char text[1024] = "month,sales\n";
    for (int m = 1; m <= 12; m++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "%d,%d\n", m, m * 10);
    History *h = load_ok(text, &sp);
    HistGroup g;
    assert_true(hist_group(h, 0, &g)); /* "1" */
    assert_int_equal(g.year, 2028);
    assert_int_equal(g.month, 1);
    assert_true(hist_group(h, 1, &g)); /* "2" */
    assert_int_equal(g.year, 2027);
    assert_int_equal(g.month, 2);
    assert_true(hist_group(h, 11, &g)); /* "12" */
    assert_int_equal(g.year, 2027);
    assert_int_equal(g.month, 12);
    Num w[12];
    int years[2];
    assert_int_equal(hist_season(h, 2, NULL, NULL, w, years, 2), 1);
    assert_int_equal(years[0], 2027);
    assert_num(w[0], "20");  /* feb */
    assert_num(w[11], "10"); /* jan */
    hist_free(h);

    /* "01" is a month number too; without a plan year it is an error */
    sp.fy_year = 0;
    load_err("month,sales\n2024-02,1\n01,5\n", &sp, 3, 1,
             "month number '01' in column 'month' needs the plan's fiscal year");
}

/* ---- columns ---- */

static void test_mapped_chinese_columns(void **state)
{
    (void)state;
    HistSpec sp = spec_feb();
    sp.date_col = "日期";
    sp.value_col = "销售额";
    sp.levels[0].column = "区域";
    History *h = load_ok("\xEF\xBB\xBF日期,区域,备注,销售额\n"
                         "2024-02-03,华北,首单,1200.50\n"
                         "2024-02-20,华北,,800\n"
                         "2024-03-01,华东,\"含,逗号\",300\n",
                         &sp);
    assert_string_equal(hist_value_column(h), "销售额");
    assert_string_equal(hist_time_column(h), "日期");
    assert_true(hist_has_level(h, "region"));
    assert_int_equal(hist_group_count(h), 2);
    HistGroup g;
    assert_true(hist_group(h, 0, &g));
    assert_string_equal(g.scope[0], "华北");
    assert_num(g.total, "2000.5");
    bool ovf = true;
    assert_num(hist_total(h, 2, 0, &ovf), "2300.5");
    assert_false(ovf);
    hist_free(h);

    /* a bad number after a Chinese field: the column counts code points */
    load_err("日期,区域,备注,销售额\n2024-02-03,华北,首单,1.2.3\n", &sp, 2, 18,
             "bad number '1.2.3' in column '销售额'");
}

static void test_value_column_rules(void **state)
{
    (void)state;
    HistSpec sp = spec_feb();
    /* no column "sales": the one numeric column besides month and region */
    History *h = load_ok("month,region,note,amount\n2024-02,north,x,5\n2024-03,north,y,7\n", &sp);
    assert_string_equal(hist_value_column(h), "amount");
    assert_num(hist_total(h, 2, 0, NULL), "12");
    hist_free(h);
    /* a column named after the history wins over other numeric columns */
    h = load_ok("month,qty,sales\n2024-02,3,5\n", &sp);
    assert_string_equal(hist_value_column(h), "sales");
    hist_free(h);
    load_err("month,qty,amount\n2024-02,3,5\n", &sp, 2, 1,
             "cannot tell the value column: 'qty' and 'amount' both hold numbers");
    load_err("month,note\n2024-02,x\n", &sp, 2, 1, "no value column");
    /* header only: an empty history, nothing to guess from */
    h = load_ok("month,amount\n", &sp);
    assert_int_equal(hist_group_count(h), 0);
    Num w[12];
    assert_int_equal(hist_season(h, 2, NULL, NULL, w, NULL, 0), 0);
    hist_free(h);
}

static void test_missing_and_duplicate_columns(void **state)
{
    (void)state;
    HistSpec sp = spec_feb();
    sp.value_col = "amount";
    load_err("month,sales\n2024-02,1\n", &sp, 1, 1, "missing column 'amount'");
    sp = spec_feb();
    sp.levels[0].column = "区域";
    load_err("month,region,sales\n2024-02,north,1\n", &sp, 1, 1, "missing column '区域'");
    sp = spec_feb();
    sp.date_col = "day";
    load_err("month,sales\n2024-02,1\n", &sp, 1, 1, "missing column 'day'");
    sp = spec_feb();
    load_err("region,sales\nnorth,1\n", &sp, 1, 1, "no 'date' or 'month' column");
    load_err("month,sales,sales\n2024-02,1,2\n", &sp, 1, 1, "duplicate column 'sales'");
    /* an unmapped level column that is absent is simply not there */
    History *h = load_ok("month,sales\n2024-02,1\n", &sp);
    assert_false(hist_has_level(h, "region"));
    HistGroup g;
    assert_true(hist_group(h, 0, &g));
    assert_null(g.scope[0]);
    hist_free(h);
}

/* Both a date and a month column: the date is read unless the month is
 * mapped; both mapped is an error at the header. */
static void test_date_or_month_mapped(void **state)
{
    (void)state;
    HistSpec sp = spec_feb();
    History *h = load_ok("month,date,sales\n3,2024-05-01,1\n", &sp);
    assert_string_equal(hist_time_column(h), "date");
    hist_free(h);
    sp.date_col = "date";
    sp.month_col = "month";
    load_err("month,date,sales\n3,2024-05-01,1\n", &sp, 1, 1, "are mapped: map only one");
    sp.date_col = NULL; /* the month mapped, the date column not */
    h = load_ok("month,date,sales\n3,2024-05-01,1\n", &sp);
    assert_string_equal(hist_time_column(h), "month");
    HistGroup g;
    assert_true(hist_group(h, 0, &g));
    assert_int_equal(g.year, 2027);
    assert_int_equal(g.month, 3);
    hist_free(h);
}

/* ---- values and errors ---- */

static void test_bad_number_line(void **state)
{
    (void)state;
    HistSpec sp = spec_feb();
    load_err("month,region,sales\n2024-02,north,1\n\n2024-03,north,12x\n", &sp, 4, 15,
             "bad number '12x' in column 'sales'");
    load_err("month,region,sales\n2024-02,north,\n", &sp, 2, 15, "empty value in column 'sales'");
    load_err("month,region,sales\n2024-02,north,1e5\n", &sp, 2, 15, "bad number '1e5'");
    load_err("month,region,sales\n2024-02,north,1_000\n", &sp, 2, 15, "bad number '1_000'");
    load_err("month,region,sales\n2024-02,north,+5\n", &sp, 2, 15, "bad number '+5'");
    load_err("month,region,sales\n2024-02,north,5.\n", &sp, 2, 15, "bad number '5.'");
    load_err("month,region,sales\n2024-02,north,--5\n", &sp, 2, 15, "bad number '--5'");
    load_err("month,region,sales\n2024-02,north,1.0000000000001\n", &sp, 2, 15,
             "more than 12 decimals");
    load_err("month,region,sales\n2024-02,north,1000000000000000000000000000\n", &sp, 2, 15,
             "is too large");
    /* a quoted field before the bad value: '"north, upper"' is 14 columns */
    load_err("region,month,sales\n\"north, upper\",2024-02,abc\n", &sp, 2, 24, "bad number 'abc'");
    /* a field with a line end moves the position to the next line */
    load_err("region,month,sales\n\"north\nupper\",2024-02,abc\n", &sp, 3, 16, "bad number 'abc'");
}

static void test_field_count_and_csv_errors(void **state)
{
    (void)state;
    HistSpec sp = spec_feb();
    load_err("month,region,sales\n2024-02,north,1\n2024-03,north\n", &sp, 3, 1,
             "row has 2 fields but the header has 3");
    load_err("month,region,sales\n2024-02,north,1,2\n", &sp, 2, 1,
             "row has 4 fields but the header has 3");
    /* invalid UTF-8 comes from the CSV reader with its position */
    load_err("month,region,sales\n2024-02,nor\xff,1\n", &sp, 2, 12, "invalid UTF-8 byte 0xff");
    load_err("month,region,sales\n2024-02,\"north,1\n", &sp, 2, 9, "unterminated quoted field");
    load_err("", &sp, 1, 1, "empty file");
    HistError err;
    char path[600];
    snprintf(path, sizeof path, "%s/does-not-exist.csv", tmpdir);
    assert_null(hist_load(path, &sp, &err));
    assert_non_null(strstr(err.msg, "cannot open"));
    assert_int_equal(err.line, 0);
}

static void test_negative_values_and_trimming(void **state)
{
    (void)state;
    HistSpec sp = spec_feb();
    History *h = load_ok("month , region , sales\r\n"
                         "2024-02, north ,100.5\r\n"
                         "\r\n"
                         "2024-02,north, -20.25 \r\n"
                         "2024-03,north,-0\r\n"
                         "2024-03,north,-80\r\n",
                         &sp);
    assert_int_equal(hist_rows(h), 4);
    HistGroup g;
    assert_true(hist_group(h, 0, &g));
    assert_string_equal(g.scope[0], "north");
    assert_num(g.total, "80.25");
    assert_true(hist_group(h, 1, &g));
    assert_num(g.total, "-80");
    assert_num(hist_total(h, 2, 0, NULL), "0.25");
    hist_free(h);
}

static void test_sum_overflow(void **state)
{
    (void)state;
    HistSpec sp = spec_feb();
    load_err(
        "month,sales\n2024-02,100000000000000000000000000\n2024-02,100000000000000000000000000\n",
        &sp, 3, 9, "the sum of column 'sales' for 2024-02 overflows");
    /* per-month sums fit, the total does not */
    History *h = load_ok("month,sales\n2024-02,100000000000000000000000000\n"
                         "2024-03,100000000000000000000000000\n",
                         &sp);
    bool ovf = false;
    assert_true(num_is_zero(hist_total(h, 2, 0, &ovf)));
    assert_true(ovf);
    hist_free(h);
}

/* ---- total() ---- */

static void test_total_all_and_fiscal_year(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fputs("month,sales\n", f);
    add_years(f, 2024, 2026, NULL, uneven);
    fputs("2024-01,0.5\n", f); /* FY2023 with a feb start */
    fclose(f);
    HistSpec sp = spec_feb();
    History *h = load_ok(text, &sp);
    free(text);
    bool ovf = true;
    assert_num(hist_total(h, 2, 0, &ovf), "468.5");
    assert_false(ovf);
    assert_num(hist_total(h, 2, 2024, &ovf), "78");
    assert_num(hist_total(h, 2, 2025, &ovf), "156");
    assert_num(hist_total(h, 2, 2026, &ovf), "234");
    assert_num(hist_total(h, 2, 2023, &ovf), "0.5");
    assert_num(hist_total(h, 2, 2027, &ovf), "0");
    /* calendar years with a jan start: 2024 = feb..dec of FY2024 (1 + .. +
     * 11 = 66) plus jan 0.5 */
    assert_num(hist_total(h, 1, 2024, &ovf), "66.5");
    hist_free(h);
}

/* ---- scale and the shipped example ---- */

static void test_large_file_bounded_groups(void **state)
{
    (void)state;
    char path[600];
    snprintf(path, sizeof path, "%s/big.csv", tmpdir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("date,region,sales\n", f);
    const char *regions[] = {"north", "east", "south"};
    for (long i = 0; i < 100000; i++) {
        int mi = (int)(i % 24); /* 2024-02 .. 2026-01 */
        int m = (1 + mi) % 12 + 1, y = 2024 + (mi + 1) / 12;
        fprintf(f, "%04d-%02d-%02d,%s,%ld.%02ld\n", y, m, (int)(i % 28) + 1, regions[(i / 24) % 3],
                i % 1000, i % 100);
    }
    assert_int_equal(fclose(f), 0);
    HistSpec sp = spec_feb();
    HistError err;
    History *h = hist_load(path, &sp, &err);
    assert_non_null(h);
    assert_int_equal(hist_rows(h), 100000);
    assert_int_equal(hist_group_count(h), 72); /* 24 months x 3 regions */
    /* sum over i of (i % 1000) + (i % 100) / 100: 100 * 499500 + 1000 * 49.5 */
    assert_num(hist_total(h, 2, 0, NULL), "49999500");
    Num w[12];
    int years[4];
    assert_int_equal(hist_season(h, 2, "region", "south", w, years, 4), 2);
    assert_int_equal(years[0], 2024);
    assert_int_equal(years[1], 2025);
    hist_free(h);
}

static void test_example_history(void **state)
{
    (void)state;
    HistSpec sp = spec_feb();
    HistError err;
    History *h = hist_load("examples/data/sales_2024_2026.csv", &sp, &err);
    if (!h)
        fail_msg("examples/data/sales_2024_2026.csv:%ld:%ld: %s", err.line, err.col, err.msg);
    assert_int_equal(hist_rows(h), 72);
    assert_int_equal(hist_group_count(h), 72);
    Num w[12], s[12];
    int years[4];
    assert_int_equal(hist_season(h, 2, NULL, NULL, w, years, 4), 3);
    assert_int_equal(years[0], 2024);
    assert_int_equal(years[1], 2025);
    assert_int_equal(years[2], 2026);
    /* the weights add up to the whole history */
    Num sum = NUM_ZERO;
    for (int i = 0; i < 12; i++)
        assert_int_equal(num_add(sum, w[i], &sum), NUM_OK);
    assert_int_equal(num_cmp(sum, hist_total(h, 2, 0, NULL)), 0);
    shares_of(w, s);
    for (int i = 0; i < 12; i++)
        assert_true(num_sign(s[i]) > 0);
    assert_int_equal(hist_season(h, 2, "region", "north", w, years, 4), 3);
    assert_int_equal(hist_season(h, 2, "region", "east", w, years, 4), 3);
    /* the three fiscal years are the whole file */
    Num fy = NUM_ZERO, t;
    for (int y = 2024; y <= 2026; y++) {
        t = hist_total(h, 2, y, NULL);
        assert_int_equal(num_add(fy, t, &fy), NUM_OK);
    }
    assert_int_equal(num_cmp(fy, sum), 0);
    hist_free(h);
}

static void test_bad_start_month(void **state)
{
    (void)state;
    HistSpec sp = spec_feb();
    History *h = load_ok("month,sales\n2024-02,1\n", &sp);
    Num w[12];
    assert_int_equal(hist_season(h, 13, NULL, NULL, w, NULL, 0), -1);
    assert_int_equal(hist_season(h, -1, NULL, NULL, w, NULL, 0), -1);
    assert_int_equal(hist_season(h, 0, NULL, NULL, w, NULL, 0), 0); /* 0 = jan */
    hist_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flat_three_years),
        cmocka_unit_test(test_uneven_three_years),
        cmocka_unit_test(test_hand_computed_decimals),
        cmocka_unit_test(test_incomplete_years_ignored),
        cmocka_unit_test(test_region_filter),
        cmocka_unit_test(test_date_column),
        cmocka_unit_test(test_month_column),
        cmocka_unit_test(test_month_numbers),
        cmocka_unit_test(test_mapped_chinese_columns),
        cmocka_unit_test(test_value_column_rules),
        cmocka_unit_test(test_missing_and_duplicate_columns),
        cmocka_unit_test(test_date_or_month_mapped),
        cmocka_unit_test(test_bad_number_line),
        cmocka_unit_test(test_field_count_and_csv_errors),
        cmocka_unit_test(test_negative_values_and_trimming),
        cmocka_unit_test(test_sum_overflow),
        cmocka_unit_test(test_total_all_and_fiscal_year),
        cmocka_unit_test(test_large_file_bounded_groups),
        cmocka_unit_test(test_example_history),
        cmocka_unit_test(test_bad_start_month),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
