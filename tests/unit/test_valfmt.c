/* test_valfmt.c -- cmocka tests for base/valfmt.c: the one value
 * formatter (display units, percents, decimals kept or trimmed, rounding
 * modes, signs, separators, suffixes), compared as whole strings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "base/valfmt.h"

/* A Num from text with an optional leading '-'. */
static Num N(const char *s)
{
    bool neg = s[0] == '-';
    Num x;
    assert_int_equal(num_parse(s + neg, strlen(s + neg), &x), NUM_OK);
    return neg ? num_neg(x) : x;
}

static void check(const char *want, const char *got)
{
    assert_string_equal(got, want);
}

/* Amounts in messages: the unit after each, every decimal the value has,
 * and the base amount when the unit's two decimals would hide it. */
static void test_amounts(void **state)
{
    (void)state;
    char b[VF_BUFSZ];
    check("1,400.00万", vf_amount(N("14000000"), "万", 2, b));
    check("-20.00万", vf_amount(N("-200000"), "万", 2, b));
    check("1,440.00k", vf_amount(N("1440000"), "k", 2, b));
    check("359.999999万 = 3,599,999.99", vf_amount(N("3599999.99"), "万", 2, b));
    check("0.000001万 = 0.01", vf_amount(N("0.01"), "万", 2, b));
    check("1,440,000.00", vf_amount(N("1440000"), "", 2, b)); /* no unit: the plan's decimals */
    check("1,440,000.005", vf_amount(N("1440000.005"), "1", 2, b));
    check("0.00万", vf_amount(N("0"), "万", 2, b));
    /* the largest amounts fit the buffer: the base amount is left out before it would not */
    Num big;
    assert_int_equal(num_parse("99999999999999999999.123456789012", 32, &big), NUM_OK);
    assert_true(strlen(vf_amount(big, "亿", 2, b)) < VF_BUFSZ);
}

static void test_money_units(void **state)
{
    (void)state;
    char b[VF_BUFSZ];
    check("1,400.00", vf_money(N("14000000"), "万", b));
    check("1.24", vf_money(N("12350"), "万", b)); /* half away from zero */
    check("-1.24", vf_money(N("-12350"), "万", b));
    check("0.00", vf_money(N("-49.99"), "万", b)); /* no "-0.00" */
    check("0.14", vf_money(N("14000000"), "亿", b));
    check("14.00", vf_money(N("14000000"), "M", b));
    check("12.35", vf_money(N("12345.5"), "k", b));
    check("12,345.50", vf_money(N("12345.5"), "", b));
    check("12,345.50", vf_money(N("12345.5"), "CNY", b)); /* unknown unit: 1 */
    assert_int_equal(vf_unit_exp("亿"), 8);
    assert_int_equal(vf_unit_exp(NULL), 0);
}

static void test_percent_and_counts(void **state)
{
    (void)state;
    char b[VF_BUFSZ];
    check("97.00%", vf_percent(N("0.97"), 2, b));
    check("0.50%", vf_percent(N("0.005"), 2, b));
    check("0.00%", vf_percent(N("-0.00001"), 2, b));
    check("123,456.00%", vf_percent(N("1234.56"), 2, b));
    check("2.5", vf_upto(N("2.5"), 2, b));
    check("1.24", vf_upto(N("1.235"), 2, b));
    check("1,234,567", vf_upto(N("1234567"), 2, b));
    check("-0.06", vf_plan(N("-0.06"), 0, b));
    check("3.00", vf_plan(N("3"), 2, b));
    check("3.125", vf_plan(N("3.125"), 2, b));
    check("1,234.50", vf_fixed(N("1234.5"), 2, true, b));
}

static void test_options(void **state)
{
    (void)state;
    char b[VF_BUFSZ];
    ValFmt trim = {.max_dec = 4, .trim = true, .thousands = true};
    check("1", vf_fmt(N("0.99999"), &trim, b)); /* rounded, then trimmed */
    check("0.125", vf_fmt(N("0.125"), &trim, b));
    ValFmt trunc = {.shift = 2, .round = NUM_TRUNC, .thousands = true};
    check("99", vf_fmt(N("0.995"), &trunc, b)); /* 99.5% is not 100% */
    ValFmt even = {.max_dec = 1, .round = NUM_HALF_EVEN};
    check("0.2", vf_fmt(N("0.25"), &even, b));
    check("0.4", vf_fmt(N("0.35"), &even, b));
    check("0.4", vf_fmt(N("0.351"), &even, b));
    ValFmt plus = {.shift = 2, .min_dec = 1, .max_dec = 1, .plus = true, .suffix = "%"};
    check("+7.1%", vf_fmt(N("0.0714"), &plus, b));
    check("+0.0%", vf_fmt(N("0.0000001"), &plus, b)); /* the sign of the exact value */
    check("-12.0%", vf_fmt(N("-0.12"), &plus, b));
    ValFmt unit = {.shift = -4, .max_dec = VF_ALL, .trim = true, .thousands = true, .suffix = "万"};
    check("1,400万", vf_fmt(N("14000000"), &unit, b));
    check("0.0001万", vf_fmt(N("1"), &unit, b));
    ValFmt all = {.max_dec = VF_ALL};
    check("-1234.000000000001", vf_fmt(N("-1234.000000000001"), &all, b));
    check("99.99", vf_fmt(N("99.99"), &(ValFmt){.min_dec = 2, .max_dec = 2}, b));
    check("100.00", vf_fmt(N("99.995"), &(ValFmt){.min_dec = 2, .max_dec = 2}, b)); /* carry */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_money_units),
        cmocka_unit_test(test_percent_and_counts),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_amounts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
