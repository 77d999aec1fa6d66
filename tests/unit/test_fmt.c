/* test_fmt.c -- the formatter's inputs and contract: the lexer's side list
 * of tokens and comments (ast_parse_layout), and fmt_plan on small
 * plans (layout, idempotence, syntax errors).  The layout in full is tested
 * by tests/fmt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fmt/fmt.h"
#include "syntax/syntax.h"

static void test_layout_records_tokens_and_comments(void **state)
{
    (void)state;
    const char *text = "let 华北 = 1400万  # 目标\n# next\nlet b = \"x\"\n";
    Source *src = source_new("t.plan", NULL, text, strlen(text), 0);
    Arena arena = {0};
    Diags d = {0};
    Layout lay = {0};
    int nerr = 0;
    Node *items = ast_parse_layout(src, &arena, &d, &nerr, &lay);
    assert_int_equal(nerr, 0);
    assert_non_null(items);
    assert_int_equal(lay.ntoks, 8);
    assert_int_equal(lay.ncomments, 2);
    /* 1400万: columns count code points, bytes are bytes */
    assert_int_equal(lay.toks[3].line, 1);
    assert_int_equal(lay.toks[3].col, 10);
    assert_int_equal(lay.toks[3].end_col, 14);
    assert_int_equal(lay.toks[3].len, strlen("1400万"));
    assert_memory_equal(text + lay.toks[3].off, "1400万", strlen("1400万"));
    assert_int_equal(lay.comments[0].at.line, 1);
    assert_int_equal(lay.comments[0].at.col, 17);
    assert_int_equal(lay.comments[0].tok, 4);
    assert_int_equal(lay.comments[1].at.line, 2);
    assert_int_equal(lay.comments[1].at.col, 1);
    assert_int_equal(lay.comments[1].tok, 4);
    assert_memory_equal(text + lay.toks[7].off, "\"x\"", 3);
    ast_layout_free(&lay);
    arena_free(&arena);
    diag_free(&d);
    source_free(src);
}

/* fmt_plan of text; NULL when it does not give FMT_DONE.  Caller frees. */
static char *fmt(const char *text, FmtResult *r)
{
    Source *src = source_new("t.plan", NULL, text, strlen(text), 0);
    Diags d = {0};
    Buf out = {0};
    *r = fmt_plan(src, &d, &out);
    if (*r != FMT_DONE)
        assert_true(d.nerrors > 0);
    diag_free(&d);
    source_free(src);
    if (*r != FMT_DONE) {
        buf_free(&out);
        return NULL;
    }
    return out.data ? out.data : strdup("");
}

static void expect_fmt(const char *in, const char *want)
{
    FmtResult r;
    char *got = fmt(in, &r);
    assert_int_equal(r, FMT_DONE);
    assert_string_equal(got, want);
    char *again = fmt(got, &r);
    assert_int_equal(r, FMT_DONE);
    assert_string_equal(again, want);
    free(got);
    free(again);
}

static void test_spacing_and_literals(void **state)
{
    (void)state;
    expect_fmt("let x=1_400_000+1400万*(2.50k-3)  # c\n",
               "let x = 1_400_000 + 1400万 * (2.50k - 3)  # c\n");
    expect_fmt("let s = \"a\\tb\"\nlet t = (((1)))\n", "let s = \"a\\tb\"\nlet t = (((1)))\n");
    expect_fmt("", "");
    expect_fmt("\n\n# only\n\n\n", "# only\n");
}

static void test_blocks(void **state)
{
    (void)state;
    expect_fmt("split r by q {Q1:1,Q2:rest}\n", "split r by q { Q1: 1, Q2: rest }\n");
    expect_fmt("split r by q {\nQ1:1,north:rest}\n",
               "split r by q {\n  Q1:    1\n  north: rest\n}\n");
    /* a comma stays where the next entry would continue the value */
    expect_fmt("let x = step a {\n0: 1, -5: 2 }\n", "let x = step a {\n  0:  1,\n  -5: 2\n}\n");
}

static void test_syntax_error(void **state)
{
    (void)state;
    FmtResult r;
    char *got = fmt("split revenue by { a: 1 }\n", &r);
    assert_null(got);
    assert_int_equal(r, FMT_SYNTAX_ERROR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_records_tokens_and_comments),
        cmocka_unit_test(test_spacing_and_literals),
        cmocka_unit_test(test_blocks),
        cmocka_unit_test(test_syntax_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
