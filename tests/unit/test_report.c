/* test_report.c -- cmocka tests for interp/render/: CSV, table, Markdown
 * and JSON rendering of documents of tables and sheets (whole outputs
 * compared byte for byte), the format table, the logical grid, display
 * width of CJK text, sanitising of labels, and atomic file writes that
 * leave no temporary file behind.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/term.h"
#include "render/render.h"

/* ---- helpers ---- */

/* A Num from text with an optional leading '-' ("1400万", "-0.001"). */
static Num N(const char *s)
{
    bool neg = s[0] == '-';
    Num x;
    assert_int_equal(num_parse(s + neg, strlen(s + neg), &x), NUM_OK);
    return neg ? num_neg(x) : x;
}

/* Renders tables 0..n-1 as one document in format f.  Returns a malloc'd
 * string. */
static char *render_n(const Table *t, size_t n, const char *f, const RenderOpts *o)
{
    Buf b = {0};
    RenderDoc *d = render_new(render_format(f), o);
    for (size_t i = 0; i < n; i++)
        render_add_table(d, &t[i]);
    render_doc(d, &b);
    render_free(d);
    char *s = strdup(buf_cstr(&b));
    buf_free(&b);
    return s;
}

static char *render(const Table *t, const char *f, const char *unit)
{
    RenderOpts o = {.unit = unit, .currency = "CNY"};
    return render_n(t, 1, f, &o);
}

static void check_render(const Table *t, const char *f, const char *unit, const char *want)
{
    char *got = render(t, f, unit);
    assert_string_equal(got, want);
    free(got);
}

/* The standard two-level fixture: region x quarter, money, with totals. */
static const char *rnames[] = {"north", "east"};
static const char *rlabels[] = {"华北", "华东"};
static const char *cnames[] = {"Q1", "Q2"};
static const char *clabels[] = {"一季度", NULL};
static Num cells2[4], rtot2[2], ctot2[2], grand2;

static Table two_level(void)
{
    cells2[0] = N("1000.5");
    cells2[1] = N("2000");
    cells2[2] = N("3000");
    cells2[3] = N("4000.25");
    rtot2[0] = N("3000.5");
    rtot2[1] = N("7000.25");
    ctot2[0] = N("4000.5");
    ctot2[1] = N("6000.25");
    grand2 = N("10000.75");
    Table t = {.metric = "revenue",
               .metric_label = "销售额",
               .kind = VAL_MONEY,
               .decimals = 2,
               .row_level = "region",
               .col_level = "quarter",
               .nrows = 2,
               .ncols = 2,
               .row_names = rnames,
               .row_labels = rlabels,
               .col_names = cnames,
               .col_labels = clabels,
               .cells = cells2,
               .row_totals = rtot2,
               .col_totals = ctot2,
               .grand_total = &grand2};
    return t;
}

static Num cells1[3], grand1;
static const char *rnames3[] = {"north", "east", "west"};

static Table one_level(void)
{
    cells1[0] = N("1400万");
    cells1[1] = N("0.5");
    cells1[2] = N("-3");
    grand1 = N("13999997.5");
    Table t = {.metric = "revenue",
               .kind = VAL_MONEY,
               .decimals = 2,
               .row_level = "region",
               .nrows = 3,
               .ncols = 1,
               .row_names = rnames3,
               .cells = cells1,
               .grand_total = &grand1};
    return t;
}

/* ---- a small JSON checker (RFC 8259 structure, not values) ---- */

static const char *json_value(const char *p);

static const char *json_ws(const char *p)
{
    while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
        p++;
    return p;
}

static const char *json_string(const char *p)
{
    if (*p++ != '"')
        return NULL;
    while (*p != '"') {
        if ((unsigned char)*p < 0x20)
            return NULL;
        if (*p == '\\') {
            p++;
            if (*p == 'u') {
                for (int i = 1; i <= 4; i++)
                    if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
                        return NULL;
                p += 4;
            } else if (!*p || !strchr("\"\\/bfnrt", *p))
                return NULL;
        }
        p++;
    }
    return p + 1;
}

static const char *json_number(const char *p)
{
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (*p >= '0' && *p <= '9')
            p++;
    else
        return NULL;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return NULL;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return p;
}

/* Parses '[' ... ']' or '{' ... '}' (members as "key": value). */
static const char *json_compound(const char *p, char close, bool object)
{
    p = json_ws(p + 1);
    if (*p == close)
        return p + 1;
    for (;;) {
        if (object) {
            p = json_string(json_ws(p));
            if (!p || *(p = json_ws(p)) != ':')
                return NULL;
            p++;
        }
        p = json_value(p);
        if (!p)
            return NULL;
        p = json_ws(p);
        if (*p == close)
            return p + 1;
        if (*p++ != ',')
            return NULL;
    }
}

static const char *json_value(const char *p)
{
    p = json_ws(p);
    if (*p == '{')
        return json_compound(p, '}', true);
    if (*p == '[')
        return json_compound(p, ']', false);
    if (*p == '"')
        return json_string(p);
    if (strncmp(p, "null", 4) == 0)
        return p + 4;
    return json_number(p);
}

static void assert_json(const char *s)
{
    const char *end = json_value(s);
    assert_non_null(end);
    assert_string_equal(json_ws(end), "");
}

/* ---- CSV ---- */

static void test_csv_two_level(void **state)
{
    (void)state;
    Table t = two_level();
    check_render(&t, "csv", "万",
                 "region,Q1,Q2,total\n"
                 "north,1000.50,2000.00,3000.50\n"
                 "east,3000.00,4000.25,7000.25\n"
                 "total,4000.50,6000.25,10000.75\n");
}

static void test_csv_one_level(void **state)
{
    (void)state;
    Table t = one_level();
    check_render(&t, "csv", "万",
                 "region,revenue\n"
                 "north,14000000.00\n"
                 "east,0.50\n"
                 "west,-3.00\n"
                 "total,13999997.50\n");
}

static void test_csv_without_totals(void **state)
{
    (void)state;
    Table t = two_level();
    t.row_totals = NULL;
    check_render(&t, "csv", "",
                 "region,Q1,Q2\n"
                 "north,1000.50,2000.00\n"
                 "east,3000.00,4000.25\n"
                 "total,4000.50,6000.25\n");
    t = two_level();
    t.col_totals = NULL;
    check_render(&t, "csv", "",
                 "region,Q1,Q2,total\n"
                 "north,1000.50,2000.00,3000.50\n"
                 "east,3000.00,4000.25,7000.25\n");
    t = one_level();
    t.grand_total = NULL;
    check_render(&t, "csv", "", "region,revenue\nnorth,14000000.00\neast,0.50\nwest,-3.00\n");
}

static void test_csv_quoting(void **state)
{
    (void)state;
    static const char *rn[] = {"a,b", "plain"};
    static const char *cn[] = {"say \"hi\"", "two\nlines"};
    Table t = two_level();
    t.row_names = rn;
    t.col_names = cn;
    t.row_level = "re\rgion";
    /* raw: as they are, quoted by RFC 4180 */
    RenderOpts raw = {.unit = "", .csv_raw_text = true};
    char *got = render_n(&t, 1, "csv", &raw);
    assert_string_equal(got, "\"re\rgion\",\"say \"\"hi\"\"\",\"two\nlines\",total\n"
                             "\"a,b\",1000.50,2000.00,3000.50\n"
                             "plain,3000.00,4000.25,7000.25\n"
                             "total,4000.50,6000.25,10000.75\n");
    free(got);
    /* by default line ends are escaped, so they need no quotes */
    check_render(&t, "csv", "",
                 "re\\rgion,\"say \"\"hi\"\"\",two\\nlines,total\n"
                 "\"a,b\",1000.50,2000.00,3000.50\n"
                 "plain,3000.00,4000.25,7000.25\n"
                 "total,4000.50,6000.25,10000.75\n");
}

/* Text cells a spreadsheet would take for a formula get a leading ';
 * numbers, negative and signed ones included, never change. */
static void test_csv_formula_prefix(void **state)
{
    (void)state;
    static const char *rn[] = {"=1+1", "-2+3"};
    static const char *cn[] = {"@SUM(A1)", "+x"};
    Table t = two_level();
    t.row_names = rn;
    t.col_names = cn;
    t.row_level = "\tlevel";
    check_render(&t, "csv", "",
                 "'\\tlevel,'@SUM(A1),'+x,total\n"
                 "'=1+1,1000.50,2000.00,3000.50\n"
                 "'-2+3,3000.00,4000.25,7000.25\n"
                 "total,4000.50,6000.25,10000.75\n");
    RenderOpts raw = {.unit = "", .csv_raw_text = true};
    char *got = render_n(&t, 1, "csv", &raw);
    assert_string_equal(got, "\tlevel,@SUM(A1),+x,total\n"
                             "=1+1,1000.50,2000.00,3000.50\n"
                             "-2+3,3000.00,4000.25,7000.25\n"
                             "total,4000.50,6000.25,10000.75\n");
    free(got);
}

static void test_csv_negative_and_zero(void **state)
{
    (void)state;
    static Num c[3];
    c[0] = N("-1234.5");
    c[1] = N("-0.001"); /* rounds to zero: never "-0.00" */
    c[2] = N("-0.005"); /* half-up, away from zero */
    Table t = one_level();
    t.cells = c;
    t.grand_total = NULL;
    check_render(&t, "csv", "", "region,revenue\nnorth,-1234.50\neast,0.00\nwest,-0.01\n");
    t.decimals = 0; /* a plan rounding money to whole units */
    check_render(&t, "csv", "", "region,revenue\nnorth,-1235\neast,0\nwest,0\n");
}

static void test_csv_percent(void **state)
{
    (void)state;
    static Num c[3];
    c[0] = N("95%");
    c[1] = N("1.234567");
    c[2] = N("-0.00004");
    Table t = one_level();
    t.metric = "collection_rate";
    t.kind = VAL_PERCENT;
    t.decimals = 4;
    t.cells = c;
    t.grand_total = NULL;
    check_render(&t, "csv", "万",
                 "region,collection_rate\nnorth,0.9500\neast,1.2346\nwest,0.0000\n");
    check_render(&t, "table", "万",
                 "collection_rate\n"
                 "region  collection_rate\n"
                 "-----------------------\n"
                 "north            95.00%\n"
                 "east            123.46%\n"
                 "west              0.00%\n");
}

static void test_csv_tables_separated(void **state)
{
    (void)state;
    Table t[2] = {one_level(), one_level()};
    t[1].grand_total = NULL;
    RenderOpts o = {.unit = "", .color = false};
    char *got = render_n(t, 2, "csv", &o);
    assert_string_equal(got, "region,revenue\nnorth,14000000.00\neast,0.50\nwest,-3.00\n"
                             "total,13999997.50\n"
                             "\n"
                             "region,revenue\nnorth,14000000.00\neast,0.50\nwest,-3.00\n");
    free(got);
}

/* ---- table ---- */

static void test_display_width(void **state)
{
    (void)state;
    assert_int_equal(term_text_width(""), 0);
    assert_int_equal(term_text_width(NULL), 0);
    assert_int_equal(term_text_width("west"), 4);
    assert_int_equal(term_text_width("华北"), 4);
    assert_int_equal(term_text_width("一季度 Q1"), 9);
    assert_int_equal(term_text_width("a\xff\xfe"
                                   "b"),
                     4);                            /* invalid bytes: 1 each */
    assert_int_equal(term_text_width("\xe5\x8d"), 2); /* truncated sequence */
}

/* What could drive a terminal is shown escaped; text is copied. */
static void test_term_escape(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        unsigned flags;
        const char *want;
    } cases[] = {
        {"plain 华北", 0, "plain 华北"},
        {"\033]0;PWNED\a\033[2J", 0, "\\e]0;PWNED\\x07\\e[2J"},
        {"a\tb\nc\rd", 0, "a\\tb\\nc\\rd"},
        {"a\tb\nc", TERM_KEEP_TAB | TERM_KEEP_NEWLINE, "a\tb\nc"},
        {"del\x7f c1\xc2\x9b", 0, "del\\x7f c1\\u{9b}"},
        {"bidi\xe2\x80\xae x", TERM_KEEP_INVISIBLE, "bidi\\u{202e} x"},
        {"zw\xe2\x80\x8b", 0, "zw\\u{200b}"},
        {"zw\xe2\x80\x8b", TERM_KEEP_INVISIBLE, "zw\xe2\x80\x8b"},
        {"bad\xff", 0, "bad\\xff"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        Buf b = {0};
        size_t n = strlen(cases[i].in);
        term_escape(&b, cases[i].in, n, cases[i].flags);
        assert_string_equal(buf_cstr(&b), cases[i].want);
        assert_int_equal(term_needs_escape(cases[i].in, n, cases[i].flags),
                         strcmp(cases[i].in, cases[i].want) != 0);
        buf_free(&b);
    }
}

/* Right edges of the numbers line up by display width, not by bytes. */
static void test_table_cjk_alignment(void **state)
{
    (void)state;
    static const char *rn[] = {"north", "east", "west"};
    static const char *rl[] = {"华北", "华东", NULL};
    static Num c[3];
    c[0] = N("3000000");
    c[1] = N("123456789.12");
    c[2] = N("-12350");
    Table t = one_level();
    t.title = "区域目标";
    t.metric_label = "销售额";
    t.row_names = rn;
    t.row_labels = rl;
    t.cells = c;
    t.grand_total = NULL;
    const char *want = "区域目标\n"
                       "revenue 销售额 (万 CNY)\n"
                       "region     销售额\n"
                       "-----------------\n"
                       "华北       300.00\n"
                       "华东    12,345.68\n"
                       "west        -1.24\n";
    check_render(&t, "table", "万", want);
    /* every table line is exactly as wide as the separator */
    char *got = render(&t, "table", "万");
    char *save = NULL, *line = strtok_r(got, "\n", &save);
    int n = 0;
    for (; line; line = strtok_r(NULL, "\n", &save), n++)
        if (n >= 2)
            assert_int_equal(term_text_width(line), 17);
    assert_int_equal(n, 7);
    free(got);
}

static void test_table_two_level(void **state)
{
    (void)state;
    Table t = two_level();
    t.note = "bottom-up sums to 10,000.75";
    check_render(&t, "table", "k",
                 "revenue 销售额 (k CNY)\n"
                 "region  一季度    Q2  total\n"
                 "---------------------------\n"
                 "华北      1.00  2.00   3.00\n"
                 "华东      3.00  4.00   7.00\n"
                 "total     4.00  6.00  10.00\n"
                 "bottom-up sums to 10,000.75\n");
    check_render(&t, "table", "",
                 "revenue 销售额 (CNY)\n"
                 "region    一季度        Q2      total\n"
                 "-------------------------------------\n"
                 "华北    1,000.50  2,000.00   3,000.50\n"
                 "华东    3,000.00  4,000.25   7,000.25\n"
                 "total   4,000.50  6,000.25  10,000.75\n"
                 "bottom-up sums to 10,000.75\n");
}

static void test_table_units(void **state)
{
    (void)state;
    static const char *rn[] = {"a", "b", "c", "d", "e", "f"};
    static Num c[6];
    c[0] = N("14000000");
    c[1] = N("12345");
    c[2] = N("12350"); /* 1.235万: half-up to 1.24 */
    c[3] = N("-12350");
    c[4] = N("-49.99"); /* rounds to zero: no "-0.00" */
    c[5] = N("0.01");
    Table t = one_level();
    t.nrows = 6;
    t.row_names = rn;
    t.cells = c;
    t.grand_total = NULL;
    check_render(&t, "table", "万",
                 "revenue (万 CNY)\nregion   revenue\n----------------\n"
                 "a       1,400.00\nb           1.23\nc           1.24\nd          -1.24\n"
                 "e           0.00\nf           0.00\n");
    check_render(&t, "table", "亿",
                 "revenue (亿 CNY)\nregion  revenue\n---------------\n"
                 "a          0.14\nb          0.00\nc          0.00\nd          0.00\n"
                 "e          0.00\nf          0.00\n");
    check_render(&t, "table", "M",
                 "revenue (M CNY)\nregion  revenue\n---------------\n"
                 "a         14.00\nb          0.01\nc          0.01\nd         -0.01\n"
                 "e          0.00\nf          0.00\n");
    check_render(&t, "table", "1",
                 "revenue (CNY)\nregion        revenue\n---------------------\n"
                 "a       14,000,000.00\nb           12,345.00\nc           12,350.00\n"
                 "d          -12,350.00\ne              -49.99\nf                0.01\n");
}

static void test_table_count_and_score(void **state)
{
    (void)state;
    static Num c[3];
    c[0] = N("1234567");
    c[1] = N("2.5");
    c[2] = N("1.235");
    Table t = one_level();
    t.metric = "new_customers";
    t.metric_label = "新客户";
    t.kind = VAL_COUNT;
    t.decimals = 0;
    t.cells = c;
    t.grand_total = NULL;
    check_render(&t, "table", "万",
                 "new_customers 新客户\nregion     新客户\n-----------------\n"
                 "north   1,234,567\neast          2.5\nwest         1.24\n");
    t.kind = VAL_SCORE;
    t.decimals = 2;
    check_render(&t, "table", "万",
                 "new_customers 新客户\nregion        新客户\n--------------------\n"
                 "north   1,234,567.00\neast            2.50\nwest            1.24\n");
}

static void test_table_color_and_sanitising(void **state)
{
    (void)state;
    static const char *rl[] = {"evil\033[31m", "tab\there "};
    Table t = two_level();
    t.row_labels = rl;
    t.row_totals = NULL;
    t.col_totals = NULL;
    RenderOpts o = {.unit = "", .color = true};
    char *got = render_n(&t, 1, "table", &o);
    assert_string_equal(got, "revenue 销售额\n"
                             "\033[1mregion        一季度        Q2\033[0m\n"
                             "------------------------------\n"
                             "evil\\e[31m  1,000.50  2,000.00\n"
                             "tab here    3,000.00  4,000.25\n");
    free(got);
    o.color = false;
    got = render_n(&t, 1, "table", &o);
    assert_null(strchr(got, '\033'));
    free(got);
}

/* ---- Markdown ---- */

static void test_md(void **state)
{
    (void)state;
    static const char *rl[] = {"华北", "a|b*"};
    Table t[2] = {two_level(), one_level()};
    t[0].title = "区域季度目标";
    t[0].row_labels = rl;
    t[0].note = "gap: 5%";
    RenderOpts o = {.unit = "万", .currency = "CNY", .color = true};
    char *got = render_n(t, 2, "md", &o);
    assert_string_equal(got, "### 区域季度目标\n"
                             "**revenue 销售额** (万 CNY)\n"
                             "\n"
                             "| region | 一季度 | Q2 | total |\n"
                             "| --- | ---: | ---: | ---: |\n"
                             "| 华北 | 0.10 | 0.20 | 0.30 |\n"
                             "| a\\|b\\* | 0.30 | 0.40 | 0.70 |\n"
                             "| **total** | **0.40** | **0.60** | **1.00** |\n"
                             "\n"
                             "gap: 5%\n"
                             "\n"
                             "**revenue** (万 CNY)\n"
                             "\n"
                             "| region | revenue |\n"
                             "| --- | ---: |\n"
                             "| north | 1,400.00 |\n"
                             "| east | 0.00 |\n"
                             "| west | 0.00 |\n"
                             "| **total** | **1,400.00** |\n");
    free(got);
}

/* ---- JSON ---- */

static void test_json(void **state)
{
    (void)state;
    Table t[2] = {two_level(), one_level()};
    t[0].title = "区域季度目标";
    t[0].note = "gap";
    RenderOpts o = {.unit = "万", .currency = "CNY", .color = false};
    char *got = render_n(t, 2, "json", &o);
    assert_json(got);
    assert_string_equal(
        got,
        "[{\"title\":\"区域季度目标\",\"metric\":\"revenue\",\"label\":\"销售额\","
        "\"kind\":\"money\",\"row_level\":\"region\",\"col_level\":\"quarter\","
        "\"columns\":[\"Q1\",\"Q2\"],\"rows\":["
        "{\"name\":\"north\",\"label\":\"华北\",\"cells\":[1000.50,2000.00],\"total\":3000.50},"
        "{\"name\":\"east\",\"label\":\"华东\",\"cells\":[3000.00,4000.25],\"total\":7000.25}],"
        "\"totals\":{\"cells\":[4000.50,6000.25],\"total\":10000.75},\"note\":\"gap\"},"
        "{\"title\":null,\"metric\":\"revenue\",\"label\":null,\"kind\":\"money\","
        "\"row_level\":\"region\",\"col_level\":null,\"columns\":[\"revenue\"],\"rows\":["
        "{\"name\":\"north\",\"label\":null,\"cells\":[14000000.00],\"total\":null},"
        "{\"name\":\"east\",\"label\":null,\"cells\":[0.50],\"total\":null},"
        "{\"name\":\"west\",\"label\":null,\"cells\":[-3.00],\"total\":null}],"
        "\"totals\":{\"cells\":[13999997.50],\"total\":13999997.50},\"note\":null}]\n");
    free(got);
}

static void test_json_escaping(void **state)
{
    (void)state;
    static const char *rl[] = {"q\"b\\s\n\t\x01\x1f", "bad\xff\xc3("};
    static Num c[2];
    c[0] = N("-0.004");
    c[1] = N("0.9");
    Table t = two_level();
    t.row_labels = rl;
    t.cells = c;
    t.ncols = 1;
    t.col_level = NULL;
    t.kind = VAL_PERCENT;
    t.decimals = 4;
    t.row_totals = NULL;
    t.col_totals = NULL;
    t.grand_total = NULL;
    t.note = "\x7f";
    RenderOpts o = {.unit = "", .color = false};
    char *got = render_n(&t, 1, "json", &o);
    assert_json(got);
    assert_string_equal(
        got, "[{\"title\":null,\"metric\":\"revenue\",\"label\":\"销售额\",\"kind\":\"percent\","
             "\"row_level\":\"region\",\"col_level\":null,\"columns\":[\"revenue\"],\"rows\":["
             "{\"name\":\"north\",\"label\":\"q\\\"b\\\\s\\n\\t\\u0001\\u001f\","
             "\"cells\":[-0.0040],\"total\":null},"
             "{\"name\":\"east\",\"label\":\"bad\\ufffd\\ufffd(\",\"cells\":[0.9000],"
             "\"total\":null}],\"totals\":null,\"note\":\"\\u007f\"}]\n");
    free(got);
}

static void test_deterministic(void **state)
{
    (void)state;
    Table t = two_level();
    for (size_t f = 0; render_format_at(f); f++) {
        const char *name = render_format_at(f)->name;
        char *a = render(&t, name, "万"), *b = render(&t, name, "万");
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
}

/* ---- atomic writes ---- */

static char tmpdir[64];

static int make_tmpdir(void **state)
{
    (void)state;
    strcpy(tmpdir, "/tmp/test_report.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    (void)state;
    DIR *d = opendir(tmpdir);
    struct dirent *e;
    char p[sizeof tmpdir + sizeof e->d_name + 2];
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
            unlink(p);
        }
    }
    if (d)
        closedir(d);
    return rmdir(tmpdir);
}

/* Number of entries in tmpdir, besides . and .. */
static int count_entries(void)
{
    DIR *d = opendir(tmpdir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static void test_write_atomic(void **state)
{
    (void)state;
    char path[128], got[64] = {0};
    snprintf(path, sizeof path, "%s/out.csv", tmpdir);
    char *err = NULL;
    mode_t old_umask = umask(022); /* a new file is 0666 less the umask */
    for (int round = 0; round < 2; round++) { /* create, then replace */
        const char *data = round ? "second\n" : "a,b\n1,2\n";
        assert_int_equal(render_write_atomic(path, data, strlen(data), NULL, &err), 0);
        assert_null(err);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        size_t n = fread(got, 1, sizeof got - 1, f);
        got[n] = '\0';
        fclose(f);
        assert_string_equal(got, data);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0644);
        assert_int_equal(count_entries(), 1); /* no temporary file left */
    }
    assert_int_equal(render_write_atomic(path, "", 0, NULL, &err), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 0);
    umask(old_umask);
}

static void test_write_atomic_missing_dir(void **state)
{
    (void)state;
    char path[128], want[256];
    snprintf(path, sizeof path, "%s/missing/out.csv", tmpdir);
    char *err = NULL;
    assert_int_equal(render_write_atomic(path, "x", 1, NULL, &err), -1);
    assert_non_null(err);
    snprintf(want, sizeof want, "cannot write '%s': No such file or directory", path);
    assert_string_equal(err, want);
    free(err);
    assert_int_equal(count_entries(), 0);
}

/* Writing over a directory fails at rename: the temporary file is removed. */
static void test_write_atomic_rename_fails(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/adir", tmpdir);
    assert_int_equal(mkdir(path, 0755), 0);
    char *err = NULL;
    assert_int_equal(render_write_atomic(path, "x", 1, NULL, &err), -1);
    assert_non_null(err);
    assert_non_null(strstr(err, "cannot write '"));
    free(err);
    assert_int_equal(count_entries(), 1); /* only adir */
    assert_int_equal(rmdir(path), 0);
}


/* ---- sheets (statements, scorecards, reviews) ------------------------------------------ */

static const char *sheet_heads[] = {"period", "rep", "payout", "status"};
static const bool sheet_right[] = {false, false, true, false};
static const bool sheet_jnum[] = {false, false, true, false};
static const char *sheet_text[] = {
    "Q1", "张伟", "1,200.00", "green",
    "Q1", "total", "1,200.00", "",
    "Q2", "张伟", "30.50", "red",
};
static const char *sheet_plain[] = {
    "Q1", "zhang", "1200.00", "green",
    "Q1", "total", "1200.00", "",
    "Q2", "zhang", "30.50", "red",
};
static const unsigned char sheet_style[] = {0, 0, 0, STY_GREEN, 0, 0, 0, 0, 0, 0, 0, STY_RED};
static const bool sheet_total[] = {false, true, false};

static Sheet sample_sheet(void)
{
    Sheet s = {"incentive pay", "per rep", 4, 3, sheet_heads, sheet_right, sheet_jnum,
               sheet_text, sheet_plain, sheet_style, sheet_total, 0, NULL, "a note", NULL, 0,
               NULL, NULL, NULL, NULL};
    return s;
}

static char *render_sheet(const char *f, bool color)
{
    Sheet s = sample_sheet();
    RenderOpts o = {.unit = "", .color = color};
    Buf b = {0};
    RenderDoc *d = render_new(render_format(f), &o);
    render_add_sheet(d, &s);
    render_doc(d, &b);
    render_free(d);
    char *r = strdup(buf_cstr(&b));
    buf_free(&b);
    return r;
}

/* The sample sheet with its member cells labelled, rendered with opts o. */
static char *render_sheet_opts(const char *f, const RenderOpts *o, const char **labels)
{
    Sheet s = sample_sheet();
    s.label = labels;
    Buf b = {0};
    RenderDoc *d = render_new(render_format(f), o);
    render_add_sheet(d, &s);
    render_doc(d, &b);
    render_free(d);
    char *r = strdup(buf_cstr(&b));
    buf_free(&b);
    return r;
}

static const char *sheet_labels[] = {
    NULL, "张伟", NULL, NULL, NULL, NULL, NULL, NULL, NULL, "张伟", NULL, NULL,
};

static void test_sheet_labels(void **state)
{
    (void)state;
    RenderOpts o = {.unit = "", .labels = true};
    char *c = render_sheet_opts("csv", &o, sheet_labels);
    assert_string_equal(c, "period,rep,payout,status\nQ1,张伟,1200.00,green\nQ2,张伟,30.50,red\n");
    free(c);
    char *j = render_sheet_opts("json", &o, sheet_labels);
    assert_non_null(strstr(j, "\"rep\":\"张伟\""));
    assert_null(strstr(j, "zhang"));
    free(j);
    o.labels = false; /* without --labels: names, labels or not */
    c = render_sheet_opts("csv", &o, sheet_labels);
    assert_string_equal(c, "period,rep,payout,status\nQ1,zhang,1200.00,green\nQ2,zhang,30.50,red\n");
    free(c);
}

/* Two members with one label in a column: both written by their names. */
static void test_labels_shared_fall_back_to_names(void **state)
{
    (void)state;
    const char *names[] = {"wang", "wang2", "sun"}, *labels[] = {"王伟", "王伟", "孙, \"丽\""};
    const char *cols[] = {"Q1"};
    Num cells[3];
    cells[0] = N("1.00");
    cells[1] = N("2.00");
    cells[2] = N("3.00");
    Table t = {.metric = "revenue", .kind = VAL_MONEY, .decimals = 2, .row_level = "rep",
               .nrows = 3, .ncols = 1, .row_names = names, .row_labels = labels,
               .col_names = cols, .cells = cells};
    RenderOpts o = {.unit = "", .labels = true};
    char *c = render_n(&t, 1, "csv", &o);
    assert_string_equal(c, "rep,revenue\nwang,1.00\nwang2,2.00\n\"孙, \"\"丽\"\"\",3.00\n");
    free(c);
}

/* The byte-order mark: csv only, first, once, only when asked. */
static void test_csv_bom(void **state)
{
    (void)state;
    RenderOpts o = {.unit = "", .bom = true};
    char *c = render_sheet_opts("csv", &o, NULL);
    assert_memory_equal(c, "\xEF\xBB\xBFperiod,", 10);
    assert_null(strstr(c + 3, "\xEF\xBB\xBF"));
    free(c);
    const char *others[] = {"table", "json", "md"};
    for (size_t i = 0; i < 3; i++) {
        c = render_sheet_opts(others[i], &o, NULL);
        assert_null(strstr(c, "\xEF\xBB\xBF"));
        free(c);
    }
    o.bom = false;
    c = render_sheet_opts("csv", &o, NULL);
    assert_memory_equal(c, "period,", 7);
    free(c);
}

static void test_sheet_table_groups(void **state)
{
    (void)state;
    char *t = render_sheet("table", false);
    assert_string_equal(t, "incentive pay — Q1\n"
                           "per rep\n"
                           "rep      payout  status\n"
                           "-----------------------\n"
                           "张伟   1,200.00  green\n"
                           "total  1,200.00\n"
                           "\n"
                           "incentive pay — Q2\n"
                           "per rep\n"
                           "rep   payout  status\n"
                           "--------------------\n"
                           "张伟   30.50  red\n"
                           "a note\n");
    free(t);
}

static void test_sheet_csv_and_json_leave_out_totals(void **state)
{
    (void)state;
    char *c = render_sheet("csv", false);
    assert_string_equal(c, "period,rep,payout,status\nQ1,zhang,1200.00,green\nQ2,zhang,30.50,red\n");
    free(c);
    char *j = render_sheet("json", false);
    assert_string_equal(j, "[{\"title\":\"incentive pay\",\"columns\":[\"period\",\"rep\",\"payout\","
                           "\"status\"],\"rows\":[{\"period\":\"Q1\",\"rep\":\"zhang\",\"payout\":1200.00,"
                           "\"status\":\"green\"},{\"period\":\"Q2\",\"rep\":\"zhang\",\"payout\":30.50,"
                           "\"status\":\"red\"}],\"note\":\"a note\"}]\n");
    free(j);
}

static void test_sheet_status_colour(void **state)
{
    (void)state;
    char *t = render_sheet("table", true);
    assert_non_null(strstr(t, "\x1b[32mgreen\x1b[0m"));
    assert_non_null(strstr(t, "\x1b[31mred\x1b[0m"));
    free(t);
    char *plain = render_sheet("table", false);
    assert_null(strchr(plain, '\x1b'));
    free(plain);
    char *md = render_sheet("md", true); /* Markdown never carries escapes */
    assert_null(strchr(md, '\x1b'));
    assert_non_null(strstr(md, "| **total** | **1,200.00** |"));
    free(md);
}


/* ---- html: escaping, data values, charts ---------------------------------------------------- */

/* Appends the html of a document with the one-level table, a sheet with
 * markup and control characters in its texts, and a chart of each. */
static char *render_html(bool charts)
{
    Table t = one_level();
    static const char *labels[] = {"<north> & \"co\"", NULL, "west's\x1b[31m"};
    t.row_labels = labels;
    RenderOpts o = {.unit = "", .plan_name = "Plan <1> & 'two'", .fiscal_year = "FY2027",
                    .as_of = "2027-06", .plan_file = "p.plan", .version = "9.9"};
    RenderDoc *d = render_new(render_format("html"), &o);
    render_add_table(d, &t);
    Sheet s = sample_sheet();
    render_add_sheet(d, &s);
    if (charts) {
        RenderChart c = render_chart(CHART_SHARES, 0);
        render_add_chart(d, &c);
        c = render_chart(CHART_HBARS, 1);
        c.period_col = 0;
        c.label_col = 1;
        c.value_col = 2;
        c.style_col = 3;
        render_add_chart(d, &c);
        c = render_chart(CHART_HBARS, 7); /* no such item: nothing drawn */
        render_add_chart(d, &c);
    }
    Buf b = {0};
    render_doc(d, &b);
    render_free(d);
    char *r = strdup(buf_cstr(&b));
    buf_free(&b);
    return r;
}

static int count_of(const char *s, const char *what)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, what)); p++)
        n++;
    return n;
}

static void test_html_page(void **state)
{
    (void)state;
    char *h = render_html(false);
    assert_non_null(strstr(h, "<!DOCTYPE html>"));
    assert_non_null(strstr(h, "content=\"default-src 'none'; style-src 'unsafe-inline'"));
    assert_non_null(strstr(h, "<h1>Plan &lt;1&gt; &amp; &#39;two&#39;</h1>"));
    assert_non_null(strstr(h, "fiscal year: FY2027 · as of: 2027-06 · source: p.plan"));
    assert_non_null(strstr(h, "&lt;north&gt; &amp; &quot;co&quot;"));
    assert_non_null(strstr(h, "west&#39;s\\e[31m")); /* ESC shown escaped, as in every format */
    assert_null(strchr(h, '\x1b'));
    assert_null(strstr(h, "<script"));
    assert_non_null(strstr(h, "data-value=\"14000000.00\""));
    assert_non_null(strstr(h, "data-value=\"-3.00\""));
    assert_non_null(strstr(h, "<tr class=\"total\">"));
    assert_non_null(strstr(h, "<td class=\"t s-green\" data-col=\"3\">green</td>"));
    assert_non_null(strstr(h, "<footer>salesplan version 9.9</footer>"));
    assert_int_equal(count_of(h, "<section"), 2);
    assert_null(strstr(h, "<svg"));
    free(h);
}

static void test_html_charts(void **state)
{
    (void)state;
    char *h = render_html(true);
    assert_int_equal(count_of(h, "<svg"), 2);
    assert_int_equal(count_of(h, "role=\"img\""), 2);
    /* the table's bars: one per row with a value; -3 is drawn with no width */
    assert_non_null(strstr(h, "data-row=\"0\" data-col=\"0\" data-value=\"14000000.00\">"
                              "<title>&lt;north&gt; &amp; &quot;co&quot;: 14,000,000.00</title>"));
    assert_non_null(strstr(h, "width=\"0\" height=\"14\" data-row=\"2\" data-col=\"0\" "
                              "data-value=\"-3.00\""));
    /* the sheet's last period only (Q2), no total row, coloured by status */
    assert_non_null(strstr(h, "<rect class=\"s-red\""));
    assert_non_null(strstr(h, "data-row=\"2\" data-col=\"2\" data-value=\"30.50\"><title>张伟 Q2: "
                              "30.50</title>"));
    assert_null(strstr(h, "data-value=\"1200.00\"><title>"));
    free(h);
}

/* ---- the format table, documents, the sheet builder, grids ------------------------------ */

static void test_format_table(void **state)
{
    (void)state;
    assert_string_equal(render_format_default()->name, "table");
    assert_ptr_equal(render_format("md"), render_format_at(3));
    assert_null(render_format("xml"));
    assert_null(render_format(NULL));
    assert_ptr_equal(render_format("xlsx"), render_format_at(4));
    assert_true(render_format("xlsx")->binary);
    assert_ptr_equal(render_format("html"), render_format_at(5));
    assert_false(render_format("html")->binary);
    assert_null(render_format_at(6));
    assert_int_equal(render_format("csv")->view, RENDER_FLAT);
    Buf b = {0};
    render_format_names(&b, ", ", " or ");
    assert_string_equal(buf_cstr(&b), "table, csv, json, md, xlsx or html");
    b.len = 0;
    render_usage(&b, "[--format {formats}]\n  --format FORMAT   {formats-help}\n");
    assert_string_equal(buf_cstr(&b),
                        "[--format table|csv|json|md|xlsx|html]\n"
                        "  --format FORMAT   table (aligned, display unit; the default), csv (base units),\n"
                        "                    json, md (for pull-request comments), xlsx (Excel workbook, with\n"
                        "                    -o FILE.xlsx), or html (a self-contained web page)\n");
    b.len = 0;
    render_usage(&b, ":format [{text-formats}]");
    assert_string_equal(buf_cstr(&b), ":format [table|csv|json|md|html]");
    buf_free(&b);
}

/* A sheet made with the builder: a total row, a column only people see,
 * a text column, a sheet only the flat view shows. */
static RenderDoc *built_doc(const char *format, bool flat_sheet)
{
    RenderDoc *d = render_new(render_format(format), NULL);
    RenderSheet b;
    render_sheet_init(&b, d, 4);
    render_sheet_col(&b, 0, "rep", false);
    render_sheet_col(&b, 1, "pay", true);
    render_sheet_col(&b, 2, "shown", true);
    render_sheet_col_views(&b, 2, RENDER_PEOPLE);
    render_sheet_col(&b, 3, "tier", true);
    render_sheet_col_text(&b, 3);
    render_sheet_row(&b, false);
    render_sheet_set(&b, 0, "张伟", "zhang");
    render_sheet_set(&b, 1, "1,200.50", "1200.50");
    render_sheet_set(&b, 2, "(+5.0%)", NULL);
    render_sheet_set(&b, 3, "12", NULL);
    render_sheet_style(&b, 3, STY_MARK);
    render_sheet_row(&b, true);
    render_sheet_set(&b, 0, "total", NULL);
    render_sheet_set(&b, 1, "1,200.50", "1200.50");
    char note[] = "a note";
    render_sheet_add(&b, "pay", NULL, -1, note, 0);
    note[0] = 'X'; /* copied */
    if (flat_sheet) {
        render_sheet_init(&b, d, 1);
        render_sheet_col(&b, 0, "only", false);
        render_sheet_add(&b, "flat", NULL, -1, NULL, RENDER_FLAT);
    }
    return d;
}

static char *render_built(const char *format, bool flat_sheet)
{
    RenderDoc *d = built_doc(format, flat_sheet);
    Buf b = {0};
    render_doc(d, &b);
    render_free(d);
    char *s = strdup(buf_cstr(&b));
    buf_free(&b);
    return s;
}

static void test_sheet_builder_and_views(void **state)
{
    (void)state;
    char *t = render_built("table", true);
    assert_string_equal(t, "pay\n"
                           "rep         pay    shown  tier\n"
                           "------------------------------\n"
                           "张伟   1,200.50  (+5.0%)    12\n"
                           "total  1,200.50\n"
                           "a note\n");
    free(t);
    char *c = render_built("csv", true);
    assert_string_equal(c, "rep,pay,tier\nzhang,1200.50,12\n\nonly\n");
    free(c);
    char *j = render_built("json", true);
    assert_json(j);
    assert_string_equal(j, "[{\"title\":\"pay\",\"columns\":[\"rep\",\"pay\",\"tier\"],"
                           "\"rows\":[{\"rep\":\"zhang\",\"pay\":1200.50,\"tier\":\"12\"}],"
                           "\"note\":\"a note\"}]\n");
    free(j);
    RenderDoc *d = render_new(render_format("json"), NULL);
    assert_true(render_shows(d, RENDER_RECORDS | RENDER_FLAT));
    assert_false(render_shows(d, RENDER_PEOPLE));
    render_free(d);
}

static void test_caption(void **state)
{
    (void)state;
    const char *want[] = {"table", "changed: 1\n\n", "md", "**changed: 1**\n\n", "csv", "",
                          "json", "["};
    for (int i = 0; i < 8; i += 2) {
        RenderDoc *d = render_new(render_format(want[i]), NULL);
        render_caption(d, "changed: 1");
        Table t = one_level();
        render_add_table(d, &t);
        Buf b = {0};
        render_doc(d, &b);
        assert_memory_equal(buf_cstr(&b), want[i + 1], strlen(want[i + 1]));
        assert_true(strncmp(buf_cstr(&b) + strlen(want[i + 1]), "changed", 7) != 0);
        buf_free(&b);
        render_free(d);
    }
}

static void test_grid_of_table(void **state)
{
    (void)state;
    RenderDoc *d = render_new(NULL, NULL);
    Table t = two_level();
    cells2[0] = N("1000.504"); /* shown as 1000.50: the grid holds what is shown */
    render_add_table(d, &t);
    RenderGrid *g = render_grid(d);
    render_free(d);
    assert_int_equal(g->ncols, 4);
    assert_int_equal(g->nrows, 3);
    assert_string_equal(g->heads[0], "region");
    assert_string_equal(g->heads[3], "total");
    assert_string_equal(g->cells[0].text, "north");
    assert_false(g->cells[0].is_num);
    assert_string_equal(g->cells[1].text, "1000.50");
    assert_true(g->cells[1].is_num);
    assert_int_equal(num_cmp(g->cells[1].num, N("1000.5")), 0);
    assert_string_equal(g->cells[2 * 4].text, "total");
    RenderGrid *h = render_grid_ref(g);
    assert_true(render_grid_equal(g, h));
    assert_false(render_grid_equal(g, NULL));
    render_grid_unref(g);
    render_grid_unref(h);
    d = render_new(NULL, NULL);
    g = render_grid(d); /* nothing shown: an empty grid */
    assert_int_equal(g->ncols, 0);
    assert_true(render_grid_equal(g, NULL));
    render_grid_unref(g);
    render_free(d);
}

static void test_grid_of_sheet(void **state)
{
    (void)state;
    RenderDoc *d = built_doc("csv", false);
    RenderGrid *g = render_grid(d);
    render_free(d);
    assert_int_equal(g->ncols, 3); /* "shown" is for people only */
    assert_int_equal(g->nrows, 1); /* no total row */
    assert_string_equal(g->heads[2], "tier");
    assert_string_equal(g->cells[0].text, "zhang");
    assert_false(g->cells[0].is_num);
    assert_true(g->cells[1].is_num);
    assert_true(g->cells[2].is_num); /* typed by its text, as CSV publishes it */
    assert_int_equal(num_cmp(g->cells[2].num, N("12")), 0);
    render_grid_unref(g);
}


/* ---- the chrome's language -------------------------------------------------------------- */

/* A review-like sheet built with the builder: heads are words but the
 * member column's ("rep", a name from the plan); members named "total"
 * and "green" next to the word cells "total" and "green". */
static char *render_lang_sheet(const char *f, Lang lang)
{
    RenderOpts o = {.unit = "", .lang = lang};
    RenderDoc *d = render_new(render_format(f), &o);
    RenderSheet b;
    render_sheet_init(&b, d, 4);
    static const char *const heads[] = {"period", "target", "attainment", "status"};
    for (size_t c = 0; c < 4; c++)
        render_sheet_col(&b, c, c == 1 ? "total" : heads[c], c == 2);
    render_sheet_col_name(&b, 1); /* a level named "total" */
    static const char *const who[] = {"total", "green", NULL};
    for (int r = 0; r < 3; r++) {
        render_sheet_row(&b, !who[r]);
        render_sheet_set(&b, 0, "Q1", NULL);
        if (who[r])
            render_sheet_set(&b, 1, who[r], NULL);
        else
            render_sheet_word(&b, 1, "total");
        render_sheet_set(&b, 2, "100.00%", "1.0000");
        render_sheet_word(&b, 3, r == 1 ? "amber" : "green");
    }
    render_sheet_add(&b, "review monthly", NULL, -1, NULL, 0);
    Buf out = {0};
    render_doc(d, &out);
    render_free(d);
    char *r = strdup(buf_cstr(&out));
    buf_free(&out);
    return r;
}

static void test_lang_zh_table_words_not_names(void **state)
{
    (void)state;
    char *t = render_lang_sheet("table", LANG_ZH);
    /* 期间 and 达成率 are two columns wide each: the number column stays right-aligned */
    assert_string_equal(t, "回顾 monthly\n"
                           "期间  total   达成率  状态\n"
                           "--------------------------\n"
                           "Q1    total  100.00%  正常\n"
                           "Q1    green  100.00%  预警\n"
                           "Q1    合计   100.00%  正常\n");
    free(t);
    char *e = render_lang_sheet("table", LANG_EN);
    assert_string_equal(e, "review monthly\n"
                           "period  total  attainment  status\n"
                           "---------------------------------\n"
                           "Q1      total     100.00%  green\n"
                           "Q1      green     100.00%  amber\n"
                           "Q1      total     100.00%  green\n");
    free(e);
}

static void test_lang_zh_csv_translates_json_keeps_english(void **state)
{
    (void)state;
    char *c = render_lang_sheet("csv", LANG_ZH);
    assert_string_equal(c, "期间,total,达成率,状态\nQ1,total,1.0000,正常\nQ1,green,1.0000,预警\n");
    free(c);
    char *j = render_lang_sheet("json", LANG_ZH);
    assert_non_null(strstr(j, "\"attainment\""));
    assert_non_null(strstr(j, "\"amber\""));
    assert_null(strstr(j, "预警"));
    assert_null(strstr(j, "回顾"));
    free(j);
}

static void test_lang_zh_table_total(void **state)
{
    (void)state;
    static const char *rows[] = {"total", "north"};
    Num cells[] = {num_from_int(100), num_from_int(200)};
    Num grand = num_from_int(300);
    Table t = {.metric = "revenue", .kind = VAL_COUNT, .row_level = "region", .nrows = 2,
               .ncols = 1, .row_names = rows, .cells = cells, .grand_total = &grand};
    RenderOpts o = {.unit = "", .lang = LANG_ZH};
    const char *fmts[] = {"table", "csv"};
    const char *want[] = {"revenue\nregion  revenue\n---------------\ntotal   ", "region,revenue\n"};
    for (int k = 0; k < 2; k++) {
        RenderDoc *d = render_new(render_format(fmts[k]), &o);
        render_add_table(d, &t);
        Buf b = {0};
        render_doc(d, &b);
        assert_non_null(strstr(buf_cstr(&b), want[k]));
        assert_non_null(strstr(buf_cstr(&b), "\n合计"));    /* the total row */
        assert_non_null(strstr(buf_cstr(&b), "\ntotal")); /* the member named total */
        render_free(d);
        buf_free(&b);
    }
}

static void test_lang_words(void **state)
{
    (void)state;
    assert_string_equal(lang_translate(LANG_ZH, "attainment"), "达成率");
    assert_string_equal(lang_translate(LANG_ZH, "north"), "north");
    assert_string_equal(lang_translate(LANG_EN, "total"), "total");
    assert_int_equal(lang_lookup("not a word"), -1);
    for (int w = 0; w < LANG_NWORDS; w++) { /* every English word once: lookups are exact */
        assert_int_equal(lang_lookup(lang_word(LANG_EN, (LangWord)w)), w);
        assert_true(lang_word(LANG_ZH, (LangWord)w)[0] != '\0');
    }
}

/* Metrics side by side: each column in its own kind and decimals (money in
 * the display unit, a count, a percent), n/a where a metric has no row. */
static void test_side_by_side_kinds(void **state)
{
    (void)state;
    static const char *names[] = {"revenue", "orders", "margin"};
    static const char *labels[] = {"销售额", NULL, "毛利率"};
    static const ValueKind kinds[] = {VAL_MONEY, VAL_COUNT, VAL_PERCENT};
    static const int decs[] = {2, 0, 4};
    static bool na[2 * 3 + 2 + 3 + 1];
    Num cells[6] = {N("150000"), N("12"), N("0.5"), N("50000"), N("0"), N("0.25")};
    Num tot[3] = {N("200000"), N("12"), N("0.4375")};
    na[4] = true; /* east has no orders row */
    Table t = {.metric = "revenue, orders, margin",
               .kind = VAL_MONEY,
               .decimals = 2,
               .row_level = "region",
               .col_level = "metric",
               .nrows = 2,
               .ncols = 3,
               .row_names = rnames,
               .row_labels = rlabels,
               .col_names = names,
               .col_labels = labels,
               .cells = cells,
               .col_totals = tot,
               .na = na,
               .col_kinds = kinds,
               .col_decimals = decs};
    check_render(&t, "csv", "万",
                 "region,revenue,orders,margin\nnorth,150000.00,12,0.5000\n"
                 "east,50000.00,,0.2500\ntotal,200000.00,12,0.4375\n");
    check_render(&t, "table", "万",
                 "revenue, orders, margin (万 CNY)\n"
                 "region  销售额  orders  毛利率\n"
                 "------------------------------\n"
                 "华北     15.00      12  50.00%\n"
                 "华东      5.00     n/a  25.00%\n"
                 "total    20.00      12  43.75%\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_two_level),
        cmocka_unit_test(test_csv_one_level),
        cmocka_unit_test(test_csv_without_totals),
        cmocka_unit_test(test_csv_quoting),
        cmocka_unit_test(test_csv_formula_prefix),
        cmocka_unit_test(test_term_escape),
        cmocka_unit_test(test_csv_negative_and_zero),
        cmocka_unit_test(test_csv_percent),
        cmocka_unit_test(test_csv_tables_separated),
        cmocka_unit_test(test_display_width),
        cmocka_unit_test(test_table_cjk_alignment),
        cmocka_unit_test(test_table_two_level),
        cmocka_unit_test(test_table_units),
        cmocka_unit_test(test_table_count_and_score),
        cmocka_unit_test(test_table_color_and_sanitising),
        cmocka_unit_test(test_md),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_json_escaping),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_sheet_table_groups),
        cmocka_unit_test(test_sheet_csv_and_json_leave_out_totals),
        cmocka_unit_test(test_sheet_status_colour),
        cmocka_unit_test(test_format_table),
        cmocka_unit_test(test_html_page),
        cmocka_unit_test(test_html_charts),
        cmocka_unit_test(test_sheet_builder_and_views),
        cmocka_unit_test(test_caption),
        cmocka_unit_test(test_grid_of_table),
        cmocka_unit_test(test_grid_of_sheet),
        cmocka_unit_test(test_lang_zh_table_words_not_names),
        cmocka_unit_test(test_lang_zh_csv_translates_json_keeps_english),
        cmocka_unit_test(test_lang_zh_table_total),
        cmocka_unit_test(test_lang_words),
        cmocka_unit_test(test_sheet_labels),
        cmocka_unit_test(test_labels_shared_fall_back_to_names),
        cmocka_unit_test(test_csv_bom),
        cmocka_unit_test(test_side_by_side_kinds),
        cmocka_unit_test_setup_teardown(test_write_atomic, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_write_atomic_missing_dir, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_write_atomic_rename_fails, make_tmpdir, remove_tmpdir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
