/* test_table_diff.c -- cmocka tests for interp/session/table_diff.c: two
 * logical grids compared cell by cell (rows by key, columns by name,
 * deltas and percents from the numbers shown), the aligned count against
 * the full comparison, and the changes rendered as one sheet.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "session/session.h"

static Num N(const char *s)
{
    bool neg = s[0] == '-';
    Num x;
    assert_int_equal(num_parse(s + neg, strlen(s + neg), &x), NUM_OK);
    return neg ? num_neg(x) : x;
}

/* The grid of a one-level money table: rows names[i] with cells vals[i]. */
static RenderGrid *grid(const char **names, const char **vals, size_t n, int decimals)
{
    static Num cells[8];
    for (size_t i = 0; i < n; i++)
        cells[i] = N(vals[i]);
    Table t = {.metric = "revenue", .kind = VAL_MONEY, .decimals = decimals,
               .row_level = "region", .nrows = n, .ncols = 1, .row_names = names,
               .cells = cells};
    RenderDoc *d = render_new(NULL, NULL);
    render_add_table(d, &t);
    RenderGrid *g = render_grid(d);
    render_free(d);
    return g;
}

static void check_row(const TdChanges *ch, size_t r, const char *const want[TDIFF_COLS])
{
    for (int k = 0; k < TDIFF_COLS; k++)
        assert_string_equal(ch->text[r * TDIFF_COLS + k], want[k]);
}

/* A plan with a unit: people read old, new and delta of money in it, the
 * unit after each; csv and json (text) keep plain base units. */
static void test_changes_in_unit(void **state)
{
    (void)state;
    const char *n[] = {"north"}, *v1[] = {"14000000"}, *v2[] = {"15000000.01"};
    RenderGrid *a = grid(n, v1, 1, 2), *b = grid(n, v2, 1, 2);
    TdChanges ch = {.unit = "万", .decimals = 2};
    assert_int_equal(session_diff(&ch, "t", 1, a, b), 1);
    check_row(&ch, 0, (const char *[]){"t", "north", "revenue", "14000000.00", "15000000.01",
                                       "+1000000.01", "+7.14%"});
    const char *want[] = {"t", "north", "revenue", "1,400.00万", "1,500.000001万 = 15,000,000.01",
                          "+100.000001万 = 1,000,000.01", "+7.14%"};
    for (int k = 0; k < TDIFF_COLS; k++)
        assert_string_equal(ch.shown[k], want[k]);
    session_diff_free(&ch);
    render_grid_unref(a);
    render_grid_unref(b);
}

static void test_changed_cells(void **state)
{
    (void)state;
    const char *n1[] = {"north", "east", "west"}, *v1[] = {"100", "200.5", "0"};
    const char *n2[] = {"south", "north", "east"}, *v2[] = {"7", "150", "200.5"};
    RenderGrid *a = grid(n1, v1, 3, 2), *b = grid(n2, v2, 3, 2);
    TdChanges ch = {0};
    assert_int_equal(session_diff(&ch, "revenue by region", 1, a, b), 3);
    check_row(&ch, 0, (const char *[]){"revenue by region", "south", "revenue", "", "7.00", "", ""});
    check_row(&ch, 1, (const char *[]){"revenue by region", "north", "revenue", "100.00", "150.00",
                                       "+50.00", "+50.00%"});
    check_row(&ch, 2, (const char *[]){"revenue by region", "west", "revenue", "0.00", "", "", ""});
    assert_int_equal(session_diff_count(1, a, b), 3);
    assert_int_equal(session_diff_count(1, a, a), 0);
    assert_int_equal(session_diff_changed(&ch, "x", 1, a, a), 0);
    assert_int_equal(session_diff_count(1, NULL, b), 3); /* a table only the new side has */
    session_diff_free(&ch);
    render_grid_unref(a);
    render_grid_unref(b);
}

static void test_aligned_count(void **state)
{
    (void)state;
    const char *n[] = {"north", "east"}, *v1[] = {"1", "2"}, *v2[] = {"1", "3"};
    RenderGrid *a = grid(n, v1, 2, 0), *b = grid(n, v2, 2, 0);
    TdChanges ch = {0};
    ch.old_columns = true;
    assert_int_equal(session_diff_count(1, a, b), session_diff_changed(&ch, "t", 1, a, b));
    check_row(&ch, 0, (const char *[]){"t", "east", "revenue", "2", "3", "+1", "+50.00%"});
    RenderDoc *d = render_new(render_format("csv"), NULL);
    session_diff_sheet(d, &ch, "old", "new");
    Buf out = {0};
    render_doc(d, &out);
    assert_string_equal(buf_cstr(&out),
                        "table,row,column,old,new,delta,change\nt,east,revenue,2,3,+1,+50.00%\n");
    buf_free(&out);
    render_free(d);
    session_diff_free(&ch);
    render_grid_unref(a);
    render_grid_unref(b);
}

/* A chain of what-ifs: each new grid is compared with the one before.
 * The key uniqueness a grid remembers carries over to the next, and
 * a key twice still sends the count to the full comparison (which pairs
 * the rows by key: the last of two rows of one key is the one matched). */
static void test_chained_counts(void **state)
{
    (void)state;
    const char *u[] = {"north", "east", "west"}, *d[] = {"north", "east", "north"};
    const char *v1[] = {"1", "2", "3"}, *v2[] = {"1", "5", "3"}, *v3[] = {"4", "5", "6"};
    for (int dup = 0; dup < 2; dup++) {
        const char **n = dup ? d : u;
        RenderGrid *a = grid(n, v1, 3, 0), *b = grid(n, v2, 3, 0), *c = grid(n, v3, 3, 0);
        assert_int_equal(render_grid_keys_note(b, 1), 0);
        for (int twice = 0; twice < 2; twice++) { /* the second time from what they remember */
            TdChanges ch = {0};
            ch.old_columns = true;
            assert_int_equal(session_diff_count(1, a, b), session_diff(&ch, "t", 1, a, b));
            session_diff_free(&ch);
            ch.old_columns = true;
            assert_int_equal(session_diff_count(1, b, c), session_diff(&ch, "t", 1, b, c));
            session_diff_free(&ch);
            assert_int_equal(render_grid_keys_note(c, 1), dup ? -1 : 1);
        }
        assert_int_equal(session_diff_count(1, a, b), dup ? 2 : 1);
        assert_int_equal(session_diff_count(1, b, c), dup ? 2 : 2);
        render_grid_unref(a);
        render_grid_unref(b);
        render_grid_unref(c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_changed_cells),
        cmocka_unit_test(test_changes_in_unit),
        cmocka_unit_test(test_aligned_count),
        cmocka_unit_test(test_chained_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
