/* test_parse.c -- the lexer and parser: AST shapes, locations in code
 * points, suffixed numbers, error recovery, and hostile nesting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "syntax/syntax.h"
#include "check/check.h"
#include "load/load.h"
#include "model/model.h"

typedef struct {
    Source *src;
    Arena arena;
    Diags diags;
    Node *items;
    int nerrors;
} Parsed;

static Parsed *parse(const char *text)
{
    Parsed *p = xcalloc(1, sizeof *p);
    p->src = source_new("t.plan", NULL, text, strlen(text), 0);
    p->items = ast_parse(p->src, &p->arena, &p->diags, &p->nerrors);
    return p;
}

static void done(Parsed *p)
{
    arena_free(&p->arena);
    source_free(p->src);
    diag_free(&p->diags);
    free(p);
}

/* history.NAME is a field of the keyword; growth(M) a review item;
 * `growth` stays a name elsewhere. */
static void test_last_year_shapes(void **state)
{
    (void)state;
    Parsed *p = parse("target revenue = 110% * history.sales + history.sales\n"
                      "review quarterly { growth(revenue) }\n"
                      "let growth = 1\n");
    assert_int_equal(p->nerrors, 0);
    Node *t = p->items;
    assert_int_equal(t->kind, N_TARGET);
    const Node *refs[4];
    assert_int_equal(sym_history_refs(t->a, refs, 4), 2);
    assert_true(sym_is_history_ref(refs[0]));
    assert_string_equal(refs[0]->name, "sales");
    assert_false(sym_is_history_ref(t->a));
    Node *rv = t->next;
    assert_int_equal(rv->kind, N_REVIEW);
    assert_int_equal(rv->a->kind, N_GROWTH);
    assert_string_equal(rv->a->name, "revenue");
    assert_int_equal(rv->next->kind, N_LET);
    assert_string_equal(rv->next->name, "growth");
    done(p);
}

static void test_split_shape(void **state)
{
    (void)state;
    Parsed *p = parse("split revenue by quarter { Q1: 300万, Q2: 25%, Q3: rest }");
    assert_int_equal(p->nerrors, 0);
    Node *s = p->items;
    assert_non_null(s);
    assert_int_equal(s->kind, N_SPLIT);
    assert_string_equal(s->name, "revenue");
    assert_string_equal(s->a->name, "quarter");
    assert_int_equal(s->c->kind, N_SPEC_MAP);
    assert_int_equal(ast_list_len(s->c->a), 3);
    Node *e1 = s->c->a;
    assert_string_equal(e1->a->name, "Q1");
    char buf[NUM_BUFSZ];
    assert_string_equal(num_str(e1->b->num, buf), "3000000");
    assert_string_equal(num_str(e1->next->b->num, buf), "0.25");
    assert_int_equal(e1->next->next->b->kind, N_REST);
    done(p);
}

static void test_locations_count_code_points(void **state)
{
    (void)state;
    Parsed *p = parse("dimension org { 华北 \"北方\", east }\nlet x = 1");
    assert_int_equal(p->nerrors, 0);
    Node *d = p->items;
    Node *m2 = d->b->next;
    assert_string_equal(m2->name, "east");
    /* "dimension org { 华北 "北方", " is 25 code points */
    assert_int_equal(m2->name_loc.line, 1);
    assert_int_equal(m2->name_loc.col, 26);
    Node *let = d->next;
    assert_int_equal(let->loc.line, 2);
    assert_int_equal(let->loc.col, 1);
    assert_int_equal(let->name_loc.col, 5);
    done(p);
}

/* source_offset by a walk from the line's start, as a reference (a column
 * past the line's end is the next line's start). */
static size_t offset_by_walk(const char *text, int line, int col)
{
    const char *p = text;
    for (int l = 1; l < line && strchr(p, '\n'); l++)
        p = strchr(p, '\n') + 1;
    const char *end = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p);
    for (int c = 1; c < col && p < end; c++) {
        p++;
        while (p < end && (*p & 0xC0) == 0x80)
            p++;
    }
    return (size_t)(p - text);
}

/* source_offset goes on from where it last stopped on a line: any order of
 * places (back, forth, past the line's end, other lines, after first_line
 * moves) gives the offsets a walk from the line's start gives. */
static void test_source_offset_any_order(void **state)
{
    (void)state;
    const char *text = "let 销售 = 1  let b = 华东 + 2\nx\n\n第三行 y = 3 é\n";
    Source *s = source_new("t", NULL, text, strlen(text), 0);
    static const int at[][2] = {{1, 5},  {1, 9},  {1, 30}, {1, 2},  {1, 21}, {1, 21}, {1, 22},
                                {2, 1},  {2, 2},  {2, 9},  {1, 13}, {4, 9},  {4, 3},  {4, 13},
                                {4, 12}, {3, 1},  {3, 4},  {1, 1},  {9, 1},  {0, 3},  {4, 40}};
    for (size_t i = 0; i < sizeof at / sizeof *at; i++)
        assert_int_equal(source_offset(s, at[i][0], at[i][1]),
                         at[i][0] < 1   ? 0
                         : at[i][0] > 4 ? strlen(text)
                                        : offset_by_walk(text, at[i][0], at[i][1]));
    s->first_line = 10; /* the same lines, numbered from 10 */
    assert_int_equal(source_offset(s, 10, 9), offset_by_walk(text, 1, 9));
    assert_int_equal(source_offset(s, 13, 5), offset_by_walk(text, 4, 5));
    assert_int_equal(source_offset(s, 10, 6), offset_by_walk(text, 1, 6));
    source_free(s);
    /* a long line (its places are kept every 64 code points), CRLF line ends */
    Buf t = {0};
    buf_puts(&t, "x\r\n");
    for (int i = 0; i < 300; i++)
        buf_puts(&t, i % 4 ? "let 销售 = 1 " : "😀é ");
    buf_puts(&t, "\r\nend\r\n");
    s = source_new("t", NULL, buf_cstr(&t), t.len, 0);
    static const int far[] = {1, 2000, 65, 64, 63, 129, 3000, 2, 1800, 1999, 4000, 700};
    for (size_t i = 0; i < sizeof far / sizeof *far; i++)
        assert_int_equal(source_offset(s, 2, far[i]), offset_by_walk(buf_cstr(&t), 2, far[i]));
    assert_int_equal(source_offset(s, 3, 2), offset_by_walk(buf_cstr(&t), 3, 2));
    source_free(s);
    buf_free(&t);
}

/* UTF-16 units of the first ncp code points of s (to its end, then one each). */
static int units_by_walk(const char *s, int ncp)
{
    int units = 0;
    while (ncp > 0 && *s && *s != '\n') {
        int n = (*s & 0xF8) == 0xF0 ? 4 : (*s & 0xF0) == 0xE0 ? 3 : (*s & 0xE0) == 0xC0 ? 2 : 1;
        units += n == 4 ? 2 : 1;
        s += n;
        ncp--;
    }
    return units + (ncp > 0 ? ncp : 0);
}

/* source_utf16 on a short line and on a long one (its places kept every
 * 64 code points), asked in any order: what a walk from the line's start
 * gives, astral characters counting 2. */
static void test_source_utf16_any_order(void **state)
{
    (void)state;
    Buf t = {0};
    buf_puts(&t, "a 华东😀 b\n");
    for (int i = 0; i < 400; i++)
        buf_puts(&t, i % 3 ? "let x = 华 " : "😀é ");
    buf_puts(&t, "\nend\n");
    const char *text = buf_cstr(&t);
    Source *s = source_new("t", NULL, text, t.len, 0);
    const char *line2 = strchr(text, '\n') + 1;
    static const int at[][2] = {{1, 0},    {1, 3},   {1, 5},   {1, 9},   {1, 40},   {2, 3000},
                                {2, 1},    {2, 700}, {2, 64},  {2, 63},  {2, 65},   {2, 2990},
                                {2, 5000}, {1, 4},   {2, 128}, {3, 2},   {2, 1500}, {0, 2}};
    for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
        int line = at[i][0], ncp = at[i][1];
        int want = line == 0 ? 0 : units_by_walk(line == 1 ? text : line == 2 ? line2 : "end", ncp);
        assert_int_equal(source_utf16(s, line, ncp), want);
    }
    source_free(s);
    buf_free(&t);
}

static void test_precedence(void **state)
{
    (void)state;
    Parsed *p = parse("let x = 1 + 2 * 3 - 4 / 2 >= 5 and not y < 3 or z == 1");
    assert_int_equal(p->nerrors, 0);
    Node *e = p->items->a;
    /* or at the top, and below it, >= below and */
    assert_int_equal(e->kind, N_BINOP);
    Node *and_ = e->a;
    assert_int_equal(and_->kind, N_BINOP);
    Node *ge = and_->a;
    assert_int_equal(ge->kind, N_BINOP);
    Node *minus = ge->a;
    assert_int_equal(minus->op, OP_SUB);
    assert_int_equal(minus->a->op, OP_ADD);
    assert_int_equal(minus->a->b->op, OP_MUL);
    assert_int_equal(minus->b->op, OP_DIV);
    done(p);
}

/* The lexer looks a name up among the keywords only when it is lower-case
 * ASCII letters: every keyword must be. */
static void test_keywords_are_lower_case_letters(void **state)
{
    (void)state;
    for (const char *const *k = ast_keywords; *k; k++) {
        assert_true(strlen(*k) > 0);
        for (const char *c = *k; *c; c++)
            assert_true(*c >= 'a' && *c <= 'z');
    }
}

static void test_soft_keywords_are_names(void **state)
{
    (void)state;
    Parsed *p = parse("fn capped(x, cap) = min(x, cap)\n"
                      "incentive i per rep { quota = revenue.target  payout = quota }\n"
                      "split new_customers like revenue\n");
    assert_int_equal(p->nerrors, 0);
    assert_int_equal(ast_list_len(p->items), 3);
    Node *inc = p->items->next;
    assert_string_equal(inc->b->a->name, "target");
    Node *like = inc->next;
    assert_null(like->a);
    assert_int_equal(like->c->kind, N_SPEC_LIKE);
    done(p);
}

/* notes "FILE" and status without bands in a review; notes still a name. */
static void test_review_notes_and_bare_status(void **state)
{
    (void)state;
    Parsed *p = parse("metric notes count\n"
                      "review monthly { status notes  flag deviation 10%  notes \"n.csv\" }\n");
    assert_int_equal(p->nerrors, 0);
    Node *rv = p->items->next;
    assert_int_equal(rv->a->kind, N_STATUS);
    assert_int_equal(rv->a->op, 1);
    assert_null(rv->a->a);
    assert_int_equal(rv->a->next->next->kind, N_NOTES);
    assert_string_equal(rv->a->next->next->c->str, "n.csv");
    done(p);
}

/* Literals as a spreadsheet writes them: an error each, the value meant kept. */
static void test_literal_hints(void **state)
{
    (void)state;
    Parsed *p = parse("plan \"x\" { year = 2027  start = feb }\n"
                      "let a = 1,400万\nlet b = 60 %\nlet c = 1月\nlet d = max(1,400)\n");
    assert_int_equal(p->nerrors, 3);
    Node *a = p->items->next;
    assert_int_equal(num_cmp(a->a->num, num_from_int(14000000)), 0);
    Node *c = a->next->next;
    assert_int_equal(c->a->kind, N_MONTH);
    assert_string_equal(c->a->str, "2028-01");
    Node *d = c->next;
    assert_int_equal(ast_list_len(d->a->b), 2); /* max(1, 400): two arguments */
    done(p);
}

static void test_separators_optional(void **state)
{
    (void)state;
    Parsed *p = parse("plan \"x\" { year = 2027 start = feb; round = 0.01, unit = \"万\" }");
    assert_int_equal(p->nerrors, 0);
    assert_int_equal(ast_list_len(p->items->a), 4);
    done(p);
}

static void test_recovery_reports_each_error(void **state)
{
    (void)state;
    Parsed *p = parse("let a = \n"
                      "let b = 2\n"
                      "split revenue by quarter { Q1 300 }\n"
                      "metric m money\n"
                      "target = 5\n"
                      "let c = 3\n");
    assert_int_equal(p->nerrors, 3);
    /* the good statements survive */
    int lets = 0, metrics = 0;
    for (Node *n = p->items; n; n = n->next) {
        lets += n->kind == N_LET;
        metrics += n->kind == N_METRIC;
    }
    assert_int_equal(lets, 2);
    assert_int_equal(metrics, 1);
    done(p);
}

static void test_malformed_numbers(void **state)
{
    (void)state;
    const char *bad[] = {"let x = 12x", "let x = 1400万元", "let x = 1__0", "let x = 3.",
                         "let x = 0.0000000000001", "let x = 2027-13"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        Parsed *p = parse(bad[i]);
        assert_true(p->nerrors >= 1);
        done(p);
    }
}

static void test_unclosed_brace_names_statement(void **state)
{
    (void)state;
    Parsed *p = parse("metric r money\nsplit r by quarter {\n  Q1: 10%\n");
    assert_int_equal(p->nerrors, 1);
    assert_int_equal(p->diags.n, 1);
    assert_string_equal(p->diags.v[0].msg, "'}' expected (to close 'split' at line 2)");
    done(p);
}

static void test_deep_nesting_is_an_error(void **state)
{
    (void)state;
    size_t n = 10000;
    char *text = xmalloc(2 * n + 32);
    strcpy(text, "let x = ");
    size_t k = strlen(text);
    for (size_t i = 0; i < n; i++)
        text[k++] = '(';
    text[k++] = '1';
    for (size_t i = 0; i < n; i++)
        text[k++] = ')';
    text[k] = '\0';
    Parsed *p = parse(text);
    assert_true(p->nerrors >= 1);
    assert_non_null(strstr(p->diags.v[0].msg, "nested more than 256"));
    done(p);
    free(text);
}

static void test_long_operator_chain_is_bounded(void **state)
{
    (void)state;
    size_t n = 5000;
    char *text = xmalloc(4 * n + 32);
    strcpy(text, "let x = 1");
    size_t k = strlen(text);
    for (size_t i = 0; i < n; i++) {
        memcpy(text + k, " + 1", 4);
        k += 4;
    }
    text[k] = '\0';
    Parsed *p = parse(text);
    assert_int_equal(p->nerrors, 1);
    assert_non_null(strstr(p->diags.v[0].msg, "expression nested more than"));
    done(p);
    free(text);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    Parsed *p = parse("let x = 1\nlet \xff = 2\n");
    assert_true(p->nerrors >= 1);
    assert_int_equal(p->diags.v[0].loc.line, 2);
    assert_int_equal(p->diags.v[0].loc.col, 5);
    assert_non_null(strstr(p->diags.v[0].msg, "invalid UTF-8 byte 0xFF"));
    done(p);
}

static void test_stdlib_modules_parse_and_check(void **state)
{
    (void)state;
    const char *text = "plan \"s\" { year = 2027 }\nimport \"std/commission\"\n"
                       "import \"std/bands\"\n";
    Diags d = {0};
    Program *p = prog_new(&d);
    prog_load_text(p, "s.plan", NULL, text, strlen(text));
    check_program(p);
    assert_int_equal(d.nerrors, 0);
    assert_int_equal(p->nunits, 3);
    prog_free(p);
    diag_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_shape),
        cmocka_unit_test(test_locations_count_code_points),
        cmocka_unit_test(test_source_offset_any_order),
        cmocka_unit_test(test_source_utf16_any_order),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_keywords_are_lower_case_letters),
        cmocka_unit_test(test_soft_keywords_are_names),
        cmocka_unit_test(test_review_notes_and_bare_status),
        cmocka_unit_test(test_literal_hints),
        cmocka_unit_test(test_separators_optional),
        cmocka_unit_test(test_recovery_reports_each_error),
        cmocka_unit_test(test_malformed_numbers),
        cmocka_unit_test(test_unclosed_brace_names_statement),
        cmocka_unit_test(test_deep_nesting_is_an_error),
        cmocka_unit_test(test_long_operator_chain_is_bounded),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_last_year_shapes),
        cmocka_unit_test(test_stdlib_modules_parse_and_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
