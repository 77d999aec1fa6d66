/* test_weeks.c -- cmocka tests for interp/base/weeks.c: day numbers and
 * dates, weekdays, strict date parsing, ISO-8601 week names at year ends
 * (2026-W53, 2020-W53, 2025-W01), fiscal weeks from a weekday, the
 * fragments a week leaves in each month, and working days. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "base/weeks.h"

static void test_days_and_dates(void **state)
{
    (void)state;
    assert_int_equal(wk_day_number(1970, 1, 1), 0);
    assert_int_equal(wk_day_number(2000, 3, 1), 11017);
    for (int day = -1000; day < 30000; day += 37) {
        int y, m, d;
        wk_date_of(day, &y, &m, &d);
        assert_int_equal(wk_day_number(y, m, d), day);
    }
    assert_int_equal(wk_weekday(wk_day_number(2027, 10, 1)), 4); /* a friday */
    assert_int_equal(wk_weekday(wk_day_number(1969, 12, 29)), 0);
    char buf[16];
    assert_string_equal(wk_date_label(wk_day_number(2028, 2, 29), buf), "2028-02-29");
}

static void test_parse_date(void **state)
{
    (void)state;
    int day;
    assert_true(wk_parse_date("2027-10-14", 10, &day));
    assert_int_equal(day, wk_day_number(2027, 10, 14));
    assert_true(wk_parse_date("2028-02-29", 10, &day));
    const char *bad[] = {"2027-02-29", "2027-13-01", "2027-00-10", "2027-1-01", "27-10-14",
                         "2027/10/14", "2027-10-32", "0000-01-01", "2027-10-1a"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(wk_parse_date(bad[i], strlen(bad[i]), &day));
}

static void test_iso_weeks(void **state)
{
    (void)state;
    WeekCal c;
    char buf[24];
    wk_init(&c, (FiscalYear){2027, 1}, WK_ISO, 3, 0x1f); /* week_start ignored: ISO */
    assert_int_equal(c.ndays, 365);
    assert_int_equal(c.nweeks, 53);
    assert_string_equal(wk_week_label(&c, 0, buf), "2026-W53"); /* 2027-01-01 is a friday */
    assert_string_equal(wk_week_label(&c, 1, buf), "2027-W01");
    assert_string_equal(wk_week_label(&c, 52, buf), "2027-W52");
    assert_int_equal(wk_week_by_label(&c, "2027-W41"), 41);
    assert_int_equal(wk_week_by_label(&c, "2027-W60"), -1);
    /* october 2027: w1 = 1-3 (part of W39), w5 = 25-31 */
    assert_int_equal(c.nfrag[9], 5);
    int from, to;
    wk_frag_days(&c, 9, 0, &from, &to);
    assert_int_equal(to - from, 3);
    assert_string_equal(wk_week_label(&c, c.frag_week[9][0], buf), "2027-W39");
    assert_int_equal(wk_frag_by_name(&c, 9, "w5"), 4);
    assert_int_equal(wk_frag_by_name(&c, 9, "w6"), -1);
    assert_int_equal(wk_frag_by_name(&c, 9, "x1"), -1);
    assert_int_equal(wk_workdays(&c, 0, c.ndays), 261);
    wk_init(&c, (FiscalYear){2020, 1}, WK_ISO, 0, 0x1f);
    assert_string_equal(wk_week_label(&c, c.nweeks - 1, buf), "2020-W53");
    wk_init(&c, (FiscalYear){2024, 4}, WK_ISO, 0, 0x1f); /* april 2024 .. march 2025 */
    assert_string_equal(wk_week_label(&c, c.nweeks - 1, buf), "2025-W14");
}

static void test_fiscal_weeks_and_fragments(void **state)
{
    (void)state;
    WeekCal c;
    char buf[24];
    wk_init(&c, (FiscalYear){2027, 4}, WK_FISCAL, 6, 0x3f); /* sunday weeks, mon-sat worked */
    assert_string_equal(wk_week_label(&c, 0, buf), "FY2027-W01");
    assert_int_equal(wk_weekday(c.first_day + c.week_first[1]), 6);
    int days = 0;
    for (int m = 0; m < 12; m++)
        for (int k = 0; k < c.nfrag[m]; k++) {
            int from, to;
            wk_frag_days(&c, m, k, &from, &to);
            assert_true(to > from && to - from <= 7);
            assert_true(from >= c.month_first[m] && to <= c.month_first[m + 1]);
            days += to - from;
        }
    assert_int_equal(days, c.ndays); /* the fragments tile the year */
    assert_int_equal(wk_workdays(&c, 0, 7), 6);
    assert_int_equal(wk_index_of(&c, c.first_day - 1), -1);
    assert_int_equal(wk_week_of(&c, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days_and_dates),
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_iso_weeks),
        cmocka_unit_test(test_fiscal_weeks_and_fragments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
