/* test_tables.c -- the lists kept once hold together: every REPL command
 * of the command table is in the :help summary and every command the
 * summary names is in the table; every keyword of the language is found
 * by the lexer as that keyword; every builtin has its arity and help. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "eval/eval.h"
#include "repl/repl_int.h"
#include "syntax/syntax.h"

static void test_help_lists_every_command(void **state)
{
    (void)state;
    for (const ReplCommand *c = repl_command_table; c->name; c++) {
        if (c->alias)
            continue;
        char word[64];
        snprintf(word, sizeof word, "  :%s", c->name);
        if (!strstr(repl_usage, word))
            fail_msg("':%s' is in the command table but not in the :help summary", c->name);
        assert_non_null(c->help);
        assert_non_null(c->usage);
    }
}

static void test_every_command_in_help_is_in_the_table(void **state)
{
    (void)state;
    const char *p = strstr(repl_usage, "\ncommands:\n");
    const char *end = strstr(repl_usage, "\nOn a terminal");
    assert_non_null(p);
    assert_non_null(end);
    for (; p && p < end; p = strstr(p + 1, "\n  :")) {
        if (strncmp(p, "\n  :", 4) != 0)
            continue;
        char word[64];
        size_t n = strcspn(p + 4, " \n");
        snprintf(word, sizeof word, "%.*s", (int)n, p + 4);
        if (!repl_find_command(word))
            fail_msg("the :help summary names ':%s', which the command table lacks", word);
    }
}

static void test_keywords_parse_as_keywords(void **state)
{
    (void)state;
    int n = 0;
    for (const char *const *k = ast_keywords; *k; k++, n++)
        if (k[1])
            assert_true(strcmp(k[0], k[1]) < 0); /* sorted: the lexer searches them */
    assert_true(n > 40);
}

static void test_builtins(void **state)
{
    (void)state;
    int n = 0;
    for (const Builtin *b = eval_builtins; b->name; b++, n++) {
        assert_ptr_equal(eval_builtin(b->name), b);
        assert_true(b->min >= 1 && (b->max < 0 || b->max >= b->min));
        assert_true((b->cls == BI_NUMERIC) == (b->fn != NULL));
        assert_non_null(b->help);
    }
    assert_int_equal(n, 13);
    assert_null(eval_builtin("sqrt"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_lists_every_command),
        cmocka_unit_test(test_every_command_in_help_is_in_the_table),
        cmocka_unit_test(test_keywords_parse_as_keywords),
        cmocka_unit_test(test_builtins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
