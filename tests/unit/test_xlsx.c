/* test_xlsx.c -- cmocka tests for the xlsx format of interp/render/: a
 * document past Excel's limits (rows, columns) fails with a message naming
 * the limit and appends nothing; a small document gives a zip whose bytes
 * are the same on every render.  What the workbook holds is read back with
 * openpyxl by tests/xlsx/check.py.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

static const char *names[] = {"north", "east"};
static Num cells[2], grand;

/* A one-level table of n rows (its names and cells are never read when
 * the document is refused before writing). */
static Table table_of(size_t nrows, size_t ncols, const char *col_level)
{
    cells[0] = num_from_int(1200);
    cells[1] = num_from_int(800);
    grand = num_from_int(2000);
    Table t = {.title = "revenue",
               .metric = "revenue",
               .kind = VAL_MONEY,
               .decimals = 2,
               .row_level = "region",
               .col_level = col_level,
               .nrows = nrows,
               .ncols = ncols,
               .row_names = names,
               .col_names = names,
               .cells = cells,
               .grand_total = &grand};
    return t;
}

/* Renders t as xlsx into out: render_doc's result; *err gets the message. */
static int render_xlsx(const Table *t, Buf *out, char **err)
{
    RenderOpts o = {.unit = "", .plan_name = "FY2027", .version = "test"};
    RenderDoc *d = render_new(render_format("xlsx"), &o);
    render_add_table(d, t);
    int rc = render_doc(d, out);
    *err = render_error(d) ? strdup(render_error(d)) : NULL;
    render_free(d);
    return rc;
}

static void test_too_many_rows(void **state)
{
    (void)state;
    Table t = table_of(1048576, 1, NULL); /* with the header and the total row: 1,048,578 */
    Buf out = {0};
    char *err = NULL;
    assert_int_equal(render_xlsx(&t, &out, &err), -1);
    assert_int_equal(out.len, 0);
    assert_non_null(err);
    assert_non_null(strstr(err, "at most 1048576 rows"));
    assert_non_null(strstr(err, "'revenue' has 1048578 rows"));
    free(err);
    buf_free(&out);
}

static void test_too_many_columns(void **state)
{
    (void)state;
    Table t = table_of(1, 16384, "month"); /* with the row names: 16,385 columns */
    Buf out = {0};
    char *err = NULL;
    assert_int_equal(render_xlsx(&t, &out, &err), -1);
    assert_int_equal(out.len, 0);
    assert_non_null(strstr(err, "at most 16384 columns"));
    free(err);
    buf_free(&out);
}

static void test_small_workbook_same_bytes(void **state)
{
    (void)state;
    Table t = table_of(2, 1, NULL);
    Buf a = {0}, b = {0};
    char *err = NULL;
    assert_int_equal(render_xlsx(&t, &a, &err), 0);
    assert_null(err);
    assert_int_equal(render_xlsx(&t, &b, &err), 0);
    assert_true(a.len > 1000);
    assert_memory_equal(a.data, "PK\x03\x04", 4);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    buf_free(&a);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_too_many_rows),
        cmocka_unit_test(test_too_many_columns),
        cmocka_unit_test(test_small_workbook_same_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
