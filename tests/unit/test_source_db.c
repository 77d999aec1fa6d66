/* test_source_db.c -- a table of a database as a row source
 * (data/source_db.c), on SQLite files made here (PostgreSQL is tested
 * against a real server by tests/db/).
 *
 * Identifiers are quoted and never SQL: a table and columns named with
 * quotes, semicolons and comments are read as names and the file is intact
 * afterwards.  An aggregating request hands over one row per group, its
 * weight the group's rows and its counts each column's values, sums exact
 * (0.1 + 0.2 is 0.3) and dates outside the window left out.  Wrong values
 * and wrong column types are errors; the plan cannot reach a database
 * without a table, and a CSV file has no tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data/source.h"
#include "data/source_db.h"

static char path[64], uri[80];

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
}

/* A file with a table of hostile names and a plain one. */
static int setup(void **state)
{
    (void)state;
    strcpy(path, "/tmp/test_source_db_XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    snprintf(uri, sizeof uri, "sqlite:%s", path);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return -1;
    exec(db, "CREATE TABLE \"s\"\"; DROP TABLE t; --\" (\"r'ep\" TEXT, \"d/*x*/\" TEXT, "
             "\"a;\"\"b\" REAL)");
    exec(db, "INSERT INTO \"s\"\"; DROP TABLE t; --\" VALUES ('x', '2027-03-05', 0.1), "
             "('x', '2027-03-20', 0.2), ('x', '2027-03-21', NULL), ('y', '2026-12-31', 5), "
             "('y', '2027-04-01', 7)");
    exec(db, "CREATE TABLE t (rep TEXT, date TEXT, amount TEXT, flag BOOLEAN)");
    exec(db, "INSERT INTO t VALUES ('x', '2027-01-02', 'abc', 1)");
    sqlite3_close(db);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return unlink(path);
}

static void test_quote_ident(void **state)
{
    (void)state;
    Buf b = {0};
    db_quote_ident(&b, "a\"; DROP TABLE x; --");
    assert_string_equal(buf_cstr(&b), "\"a\"\"; DROP TABLE x; --\"");
    b.len = 0;
    db_quote_ident(&b, "销售");
    assert_string_equal(buf_cstr(&b), "\"销售\"");
    buf_free(&b);
}

static RowSource *open_hostile(void)
{
    char *err = NULL;
    RowSource *s = src_open_table(uri, "s\"; DROP TABLE t; --", NULL, "crm:s", &err);
    if (!s)
        fail_msg("%s", err ? err : "?");
    return s;
}

static void test_header_is_the_columns(void **state)
{
    (void)state;
    RowSource *s = open_hostile();
    SrcRow row;
    assert_int_equal(src_header(s, &row), 1);
    assert_int_equal(row.nfields, 3);
    assert_string_equal(row.fields[0], "r'ep");
    assert_string_equal(row.fields[1], "d/*x*/");
    assert_string_equal(row.fields[2], "a;\"b");
    assert_true(src_is_table(s));
    /* without a request: every row, every column as text, sorted */
    assert_int_equal(src_next(s, &row), 1);
    assert_string_equal(row.fields[0], "x");
    assert_string_equal(row.fields[1], "2027-03-05");
    assert_int_equal(row.weight, 1);
    src_close(s);
}

static void test_groups(void **state)
{
    (void)state;
    RowSource *s = open_hostile();
    SrcRow row;
    assert_int_equal(src_header(s, &row), 1);
    SrcRole roles[] = {SRC_KEY, SRC_DATE, SRC_VALUE};
    SrcRequest rq = {roles, 3, false, 2027 * 12 + 0, 2027 * 12 + 11, false};
    assert_int_equal(src_request(s, &rq), 0);
    assert_int_equal(src_next(s, &row), 1); /* x, March: 0.1 + 0.2, two values of three rows */
    assert_string_equal(row.fields[0], "x");
    assert_string_equal(row.fields[1], "2027-03-01");
    assert_string_equal(row.fields[2], "0.3");
    assert_int_equal(row.weight, 3);
    assert_non_null(row.counts);
    assert_int_equal(row.counts[2], 2);
    assert_int_equal(src_next(s, &row), 1); /* y, April (December 2026 is left out) */
    assert_string_equal(row.fields[0], "y");
    assert_string_equal(row.fields[1], "2027-04-01");
    assert_string_equal(row.fields[2], "7");
    assert_int_equal(row.weight, 1);
    assert_int_equal(src_next(s, &row), 0);
    src_close(s);
    /* the other table is still there */
    char *err = NULL;
    s = src_open_table(uri, "t", NULL, "crm:t", &err);
    assert_non_null(s);
    src_close(s);
}

static void test_not_a_number(void **state)
{
    (void)state;
    char *err = NULL;
    RowSource *s = src_open_table(uri, "t", NULL, "crm:t", &err);
    assert_non_null(s);
    SrcRow row;
    assert_int_equal(src_header(s, &row), 1);
    SrcRole roles[] = {SRC_KEY, SRC_DATE, SRC_VALUE, SRC_UNUSED};
    SrcRequest rq = {roles, 4, false, -1, -1, false};
    assert_int_equal(src_request(s, &rq), 0);
    assert_int_equal(src_next(s, &row), -1);
    const char *msg = src_error(s, NULL, NULL);
    assert_non_null(strstr(msg, "'abc' is not a number"));
    src_close(s);
}

static void test_wrong_type(void **state)
{
    (void)state;
    char *err = NULL;
    RowSource *s = src_open_table(uri, "t", NULL, "crm:t", &err);
    SrcRow row;
    assert_int_equal(src_header(s, &row), 1);
    SrcRole roles[] = {SRC_KEY, SRC_DATE, SRC_UNUSED, SRC_VALUE};
    SrcRequest rq = {roles, 4, false, -1, -1, true};
    assert_int_equal(src_request(s, &rq), -1);
    assert_non_null(strstr(src_error(s, NULL, NULL), "column 'flag' is BOOLEAN"));
    src_close(s);
}

static void test_refusals(void **state)
{
    (void)state;
    char *err = NULL;
    assert_null(src_open_table(uri, "nope", NULL, "crm:nope", &err));
    assert_non_null(strstr(err, "no table 'nope'"));
    free(err);
    assert_null(src_open(uri, "x", &err)); /* a database needs a table */
    assert_non_null(strstr(err, "through a source"));
    free(err);
    assert_null(src_open_table("data.csv", "t", NULL, "x", &err));
    assert_non_null(strstr(err, "not a database"));
    free(err);
    assert_null(src_open_table("sqlite:/nonexistent/x.db", "t", NULL, "x", &err));
    assert_non_null(strstr(err, "no such SQLite file"));
    free(err);
    assert_null(src_open_table(uri, "t", "seq", "x", &err)); /* an order column it lacks */
    assert_non_null(strstr(err, "no column 'seq'"));
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quote_ident),        cmocka_unit_test(test_header_is_the_columns),
        cmocka_unit_test(test_groups),             cmocka_unit_test(test_not_a_number),
        cmocka_unit_test(test_wrong_type),         cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
