/* test_number.c -- cmocka tests for interp/num.c: literals, exact arithmetic,
 * overflow and division faults, rounding modes and text forms.
 * Values are written as literals and compared through num_str, so every
 * expectation reads as the decimal a user would see.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/num.h"

#define MAX_TEXT "170141183460469231731687303.715884105727" /* (2^127 - 1) / 10^12 */

static NumStatus parse(const char *s, Num *out)
{
    return num_parse(s, strlen(s), out);
}

/* The Num for a literal that must parse; "-" in front negates. */
static Num N(const char *s)
{
    Num x = NUM_ZERO;
    bool neg = s[0] == '-';
    assert_int_equal(parse(s + neg, &x), NUM_OK);
    return neg ? num_neg(x) : x;
}

#define assert_num(x, text)                                                                        \
    do {                                                                                           \
        char buf_[NUM_BUFSZ];                                                                      \
        assert_string_equal(num_str((x), buf_), (text));                                          \
    } while (0)

/* op(a, b) must succeed with the given shortest text. */
#define assert_op(op, a, b, text)                                                                  \
    do {                                                                                           \
        Num r_;                                                                                    \
        assert_int_equal(op(N(a), N(b), &r_), NUM_OK);                                             \
        assert_num(r_, text);                                                                      \
    } while (0)

#define assert_round(x, step, mode, text)                                                          \
    do {                                                                                           \
        Num r_;                                                                                    \
        assert_int_equal(num_round(N(x), N(step), (mode), &r_), NUM_OK);                           \
        assert_num(r_, text);                                                                      \
    } while (0)

#define assert_fmt(x, dec, sep, text)                                                              \
    do {                                                                                           \
        char buf_[NUM_BUFSZ];                                                                      \
        assert_string_equal(num_fmt((x), (dec), (sep), buf_), (text));                            \
    } while (0)

#define assert_to_int(x, mode, want)                                                               \
    do {                                                                                           \
        int64_t i_ = 42;                                                                           \
        assert_int_equal(num_to_int(N(x), (mode), &i_), NUM_OK);                                   \
        assert_true(i_ == (int64_t)(want));                                                        \
    } while (0)

static void test_add_exact(void **state)
{
    (void)state;
    Num r;
    assert_int_equal(num_add(N("0.1"), N("0.2"), &r), NUM_OK);
    assert_int_equal(num_cmp(r, N("0.3")), 0);
    assert_true(r.v == N("0.3").v);
    assert_op(num_add, "1400万", "0.000000000001", "14000000.000000000001");
    assert_op(num_sub, "0.3", "0.1", "0.2");
    assert_op(num_sub, "1", "1.000000000001", "-0.000000000001");
    assert_op(num_add, "-2.5", "2.5", "0");
}

static void test_parse_suffixes(void **state)
{
    (void)state;
    assert_num(N("1400万"), "14000000");
    assert_int_equal(num_cmp(N("1400万"), num_from_int(14000000)), 0);
    assert_num(N("15%"), "0.15");
    assert_num(N("2.5k"), "2500");
    assert_num(N("1_400_000"), "1400000");
    assert_num(N("3M"), "3000000");
    assert_num(N("1.5亿"), "150000000");
    assert_num(N("12.5"), "12.5");
    assert_num(N("0"), "0");
    assert_num(N("007.50"), "7.5");
    assert_num(N("0.000_001"), "0.000001");
    assert_num(N("12.5%"), "0.125");
    assert_num(N("0.000000000001M"), "0.000001");
}

static void test_parse_malformed(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "1__0", "_1", "1_", "12.", ".5", "1.2.3", "12x", "", "1%%", "-1", "+1", "1e5", "1_.5",
        "1._5", "1.5_", "1 0", "k", "%", "1kM", "1K", "1m", "1万万", "0x10", "1,000", "\xE4\xB8",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        Num x = N("7");
        assert_int_equal(parse(bad[i], &x), NUM_SYNTAX);
        assert_num(x, "7"); /* untouched on error */
    }
}

static void test_parse_respects_len(void **state)
{
    (void)state;
    Num x;
    const char wan[] = "1400\xE4\xB8\x87"; /* 1400万 */
    assert_int_equal(num_parse("15%x", 3, &x), NUM_OK);
    assert_num(x, "0.15");
    assert_int_equal(num_parse("12.5", 3, &x), NUM_SYNTAX); /* "12." */
    assert_int_equal(num_parse("1_0", 2, &x), NUM_SYNTAX);  /* "1_" */
    assert_int_equal(num_parse(wan, 6, &x), NUM_SYNTAX);    /* truncated 万 */
    assert_int_equal(num_parse(wan, 7, &x), NUM_OK);
    assert_num(x, "14000000");
    assert_int_equal(num_parse(NULL, 0, &x), NUM_SYNTAX);
    char heap_free[4] = {'9', '9', '.', '5'}; /* no NUL terminator at all */
    assert_int_equal(num_parse(heap_free, sizeof heap_free, &x), NUM_OK);
    assert_num(x, "99.5");
}

static void test_parse_precision(void **state)
{
    (void)state;
    Num x;
    assert_num(N("0.000000000001"), "0.000000000001");
    assert_int_equal(parse("0.0000000000001", &x), NUM_PRECISION);
    assert_num(N("0.0000000001%"), "0.000000000001");             /* 10 + 2 = 12 decimals */
    assert_int_equal(parse("0.000000000001%", &x), NUM_PRECISION); /* 14 decimals */
    assert_int_equal(parse("0.00000000001%", &x), NUM_PRECISION); /* 13 decimals */
    assert_num(N("0.0000000001k"), "0.0000001");
    assert_num(N("0.0000000000001k"), "0.0000000001"); /* suffix brings it back */
    assert_num(N("1.50000000000000"), "1.5");          /* trailing zeros are exact */
    assert_int_equal(parse("1.0000000000000000000000000000000000000000001", &x), NUM_PRECISION);
}

/* Plain decimals up to 18 digits take a shorter path than longer ones:
 * both give the same values on either side of the limit. */
static void test_parse_plain_lengths(void **state)
{
    (void)state;
    Num x;
    assert_num(N("123456789012345678"), "123456789012345678");   /* 18 digits */
    assert_num(N("1234567890123456789"), "1234567890123456789"); /* 19 */
    assert_num(N("123456.789012345678"), "123456.789012345678"); /* 12 decimals */
    assert_num(N("12345678.9012345678"), "12345678.9012345678");
    assert_int_equal(parse("1234567.8901234567891", &x), NUM_PRECISION); /* 13 decimals */
    assert_int_equal(parse("1.2345678901234", &x), NUM_PRECISION);
    assert_num(N("007.50"), "7.5");
    assert_num(N("0"), "0");
    assert_num(N("99999999999999.9999"), "99999999999999.9999");
}

static void test_parse_limits(void **state)
{
    (void)state;
    Num x;
    assert_int_equal(parse(MAX_TEXT, &x), NUM_OK);
    assert_int_equal(num_cmp(x, NUM_MAX), 0);
    assert_num(x, MAX_TEXT);
    assert_int_equal(parse("170141183460469231731687303.715884105728", &x), NUM_OVERFLOW);
    assert_int_equal(parse("170141183460469231731687304", &x), NUM_OVERFLOW);
    assert_int_equal(parse("10000000000000000000亿", &x), NUM_OVERFLOW);
    assert_int_equal(parse("99999999999999999999999999999999999999999999", &x), NUM_OVERFLOW);
    assert_num(N("1700000000000000000亿"), "170000000000000000000000000");
    assert_num(N("000000000000000000000000000000000000000000001"), "1");
    /* syntax is reported before overflow, overflow before precision */
    assert_int_equal(parse("999999999999999999999999999999x", &x), NUM_SYNTAX);
    assert_int_equal(parse("999999999999999999999999999999.0000000000001", &x), NUM_OVERFLOW);
    assert_int_equal(parse("170141183460469231731687303.9999999999999", &x), NUM_OVERFLOW);
    assert_int_equal(parse("170141183460469231731687303.7000000000001", &x), NUM_PRECISION);
}

static void test_add_overflow(void **state)
{
    (void)state;
    Num r, tiny = N("0.000000000001");
    Num min = num_neg(NUM_MAX);
    assert_int_equal(num_add(NUM_MAX, tiny, &r), NUM_OVERFLOW);
    assert_int_equal(num_add(min, num_neg(tiny), &r), NUM_OVERFLOW);
    assert_int_equal(num_sub(min, tiny, &r), NUM_OVERFLOW);
    assert_int_equal(num_sub(NUM_MAX, num_neg(tiny), &r), NUM_OVERFLOW);
    assert_int_equal(num_add(NUM_MAX, NUM_MAX, &r), NUM_OVERFLOW);
    assert_int_equal(num_sub(NUM_MAX, min, &r), NUM_OVERFLOW);
    assert_int_equal(num_add(NUM_MAX, min, &r), NUM_OK);
    assert_true(num_is_zero(r));
    assert_int_equal(num_sub(NUM_MAX, tiny, &r), NUM_OK);
    assert_int_equal(num_add(r, tiny, &r), NUM_OK);
    assert_int_equal(num_cmp(r, NUM_MAX), 0);
    assert_int_equal(num_sub(min, min, &r), NUM_OK);
    assert_true(num_is_zero(r));
}

static void test_mul_exact(void **state)
{
    (void)state;
    assert_op(num_mul, "1400万", "15%", "2100000");
    assert_op(num_mul, "1.1", "1.1", "1.21");
    assert_op(num_mul, "-2.5", "4", "-10");
    assert_op(num_mul, "-2.5", "-0.4", "1");
    assert_op(num_mul, "0", "-123.456", "0");
    /* operands past 64 bits of magnitude take the wide path */
    assert_op(num_mul, "100000000000000000000", "1.5", "150000000000000000000");
    assert_op(num_mul, "12345678901234.567890123456", "1000", "12345678901234567.890123456");
    assert_op(num_mul, "10000000000000", "10000000000000", "100000000000000000000000000");
    assert_op(num_mul, "-99999999.999999999999", "99999999.999999999999",
              "-9999999999999999.9998"); /* exact is ...99980000...0001 (24 places) */
}

static void test_mul_overflow(void **state)
{
    (void)state;
    Num r;
    assert_int_equal(num_mul(N("100000000000000000000000000"), N("10"), &r), NUM_OVERFLOW);
    assert_int_equal(num_mul(N("-100000000000000000000000000"), N("10"), &r), NUM_OVERFLOW);
    assert_int_equal(num_mul(NUM_MAX, NUM_MAX, &r), NUM_OVERFLOW);
    assert_int_equal(num_mul(N("20000000000000"), N("10000000000000"), &r), NUM_OVERFLOW);
    assert_int_equal(num_mul(NUM_MAX, N("1.000000000001"), &r), NUM_OVERFLOW);
    assert_int_equal(num_mul(NUM_MAX, NUM_ONE, &r), NUM_OK);
    assert_int_equal(num_cmp(r, NUM_MAX), 0);
    assert_int_equal(num_mul(NUM_MAX, N("-1"), &r), NUM_OK);
    assert_int_equal(num_cmp(r, num_neg(NUM_MAX)), 0);
}

static void test_mul_tiny_half_even(void **state)
{
    (void)state;
    assert_op(num_mul, "0.000000000001", "0.000000000001", "0");
    assert_op(num_mul, "0.000000000001", "0.5", "0");              /* 0.5e-12 -> 0 (even) */
    assert_op(num_mul, "0.000000000003", "0.5", "0.000000000002"); /* 1.5e-12 -> 2e-12 */
    assert_op(num_mul, "0.000000000005", "0.5", "0.000000000002"); /* 2.5e-12 -> 2e-12 */
    assert_op(num_mul, "-0.000000000003", "0.5", "-0.000000000002");
    assert_op(num_mul, "0.000000000001", "0.500000000001", "0.000000000001"); /* above tie */
    assert_op(num_mul, "-0.000000000001", "0.5", "0"); /* never a negative zero */
}

static void test_div(void **state)
{
    (void)state;
    Num r;
    assert_op(num_div, "1", "3", "0.333333333333");
    assert_op(num_div, "2", "3", "0.666666666667");
    assert_op(num_div, "-2", "3", "-0.666666666667");
    assert_op(num_div, "2", "-3", "-0.666666666667");
    assert_op(num_div, "1", "8", "0.125");
    assert_op(num_div, "0.000000000001", "2", "0");              /* tie -> even 0 */
    assert_op(num_div, "0.000000000003", "2", "0.000000000002"); /* tie -> even 2 */
    assert_op(num_div, "2100000", "15%", "14000000");
    /* wide numerator, divisor below and above 64 bits */
    assert_op(num_div, "100000000000000000000", "3", "33333333333333333333.333333333333");
    assert_op(num_div, "100000000000000000000", "30000000000000000000", "3.333333333333");
    assert_op(num_div, MAX_TEXT, MAX_TEXT, "1");
    assert_int_equal(num_div(NUM_MAX, N("0.1"), &r), NUM_OVERFLOW);
    assert_int_equal(num_div(N("1000000000000000"), N("0.000000000001"), &r), NUM_OVERFLOW);
    assert_int_equal(num_div(N("1"), NUM_ZERO, &r), NUM_DIVZERO);
    assert_int_equal(num_div(NUM_ZERO, NUM_ZERO, &r), NUM_DIVZERO);
}

static void test_from_ratio(void **state)
{
    (void)state;
    Num r;
    assert_int_equal(num_from_ratio(1, 3, &r), NUM_OK);
    assert_num(r, "0.333333333333");
    assert_int_equal(num_from_ratio(2, 3, &r), NUM_OK);
    assert_num(r, "0.666666666667");
    assert_int_equal(num_from_ratio(2, -3, &r), NUM_OK);
    assert_num(r, "-0.666666666667");
    assert_int_equal(num_from_ratio(1, 2000000000000, &r), NUM_OK); /* 0.5e-12 tie */
    assert_num(r, "0");
    assert_int_equal(num_from_ratio(3, 2000000000000, &r), NUM_OK); /* 1.5e-12 tie */
    assert_num(r, "0.000000000002");
    assert_int_equal(num_from_ratio(INT64_MIN, 1, &r), NUM_OK);
    assert_num(r, "-9223372036854775808");
    assert_int_equal(num_from_ratio(INT64_MIN, -1, &r), NUM_OK);
    assert_num(r, "9223372036854775808");
    assert_int_equal(num_from_ratio(5, 0, &r), NUM_DIVZERO);
}

static void test_round_ties(void **state)
{
    (void)state;
    assert_round("2.5", "1", NUM_HALF_EVEN, "2");
    assert_round("2.5", "1", NUM_HALF_UP, "3");
    assert_round("3.5", "1", NUM_HALF_EVEN, "4");
    assert_round("-2.5", "1", NUM_HALF_UP, "-3");
    assert_round("-2.5", "1", NUM_HALF_EVEN, "-2");
    assert_round("-3.5", "1", NUM_HALF_EVEN, "-4");
    assert_round("2.499999999999", "1", NUM_HALF_UP, "2");
    assert_round("1.005", "0.01", NUM_HALF_UP, "1.01");
    assert_round("1.005", "0.01", NUM_HALF_EVEN, "1");
    assert_round("1.015", "0.01", NUM_HALF_EVEN, "1.02");
    assert_round("-1.005", "0.01", NUM_HALF_UP, "-1.01");
    assert_round("1234.5678", "0.05", NUM_HALF_UP, "1234.55");
    assert_round("1.025", "0.05", NUM_HALF_UP, "1.05");
    assert_round("1.025", "0.05", NUM_HALF_EVEN, "1");
    assert_round("1.075", "0.05", NUM_HALF_EVEN, "1.1");
    assert_round("25000", "10000", NUM_HALF_UP, "30000");
    assert_round("25000", "10000", NUM_HALF_EVEN, "20000");
    assert_round("15000", "10000", NUM_HALF_EVEN, "20000");
    assert_round("-25000", "10000", NUM_HALF_UP, "-30000");
    assert_round("-25000", "10000", NUM_HALF_EVEN, "-20000");
    assert_round("1400万", "10000", NUM_HALF_UP, "14000000");
}

static void test_round_directed(void **state)
{
    (void)state;
    assert_round("-2.1", "1", NUM_FLOOR, "-3");
    assert_round("-2.9", "1", NUM_CEIL, "-2");
    assert_round("-2.9", "1", NUM_TRUNC, "-2");
    assert_round("-2", "1", NUM_FLOOR, "-2");
    assert_round("2.9", "1", NUM_FLOOR, "2");
    assert_round("2.1", "1", NUM_CEIL, "3");
    assert_round("2.9", "1", NUM_TRUNC, "2");
    assert_round("-1.001", "0.01", NUM_FLOOR, "-1.01");
    assert_round("-1.009", "0.01", NUM_CEIL, "-1");
    assert_round("-0.4", "1", NUM_CEIL, "0");
    assert_round("-12345", "10000", NUM_TRUNC, "-10000");
    assert_round("0.000000000001", "0.000000000001", NUM_FLOOR, "0.000000000001");
}

static void test_round_errors(void **state)
{
    (void)state;
    Num r;
    assert_int_equal(num_round(N("1"), NUM_ZERO, NUM_HALF_UP, &r), NUM_SYNTAX);
    assert_int_equal(num_round(N("1"), N("-0.01"), NUM_HALF_UP, &r), NUM_SYNTAX);
    assert_int_equal(num_round(NUM_MAX, NUM_ONE, NUM_CEIL, &r), NUM_OVERFLOW);
    assert_int_equal(num_round(num_neg(NUM_MAX), NUM_ONE, NUM_FLOOR, &r), NUM_OVERFLOW);
    assert_int_equal(num_round(NUM_MAX, N("100000000000000000000000000"), NUM_HALF_UP, &r),
                     NUM_OVERFLOW);
    assert_int_equal(num_round(NUM_MAX, NUM_ONE, NUM_FLOOR, &r), NUM_OK);
    assert_num(r, "170141183460469231731687303");
    assert_int_equal(num_round(NUM_MAX, NUM_MAX, NUM_HALF_UP, &r), NUM_OK);
    assert_int_equal(num_cmp(r, NUM_MAX), 0);
}

static void test_fmt(void **state)
{
    (void)state;
    assert_fmt(N("14000000"), 2, true, "14,000,000.00");
    assert_fmt(N("-1234.5"), 2, true, "-1,234.50");
    assert_fmt(N("-1234.5"), 2, false, "-1234.50");
    assert_fmt(N("-0.001"), 2, true, "0.00");
    assert_fmt(N("-0.004999999999"), 2, true, "0.00");
    assert_fmt(N("-0.005"), 2, true, "-0.01"); /* half-up: away from zero */
    assert_fmt(N("0.005"), 2, true, "0.01");
    assert_fmt(N("999.995"), 2, true, "1,000.00");
    assert_fmt(N("999.994999999999"), 2, true, "999.99");
    assert_fmt(N("123"), 0, true, "123");
    assert_fmt(N("1234.5"), 0, true, "1,235");
    assert_fmt(N("-0.5"), 0, false, "-1");
    assert_fmt(N("0.9500"), 4, false, "0.9500");
    assert_fmt(N("1.000000000001"), 12, false, "1.000000000001");
    assert_fmt(N("1.000000000001"), 11, false, "1.00000000000");
    assert_fmt(NUM_ZERO, 2, true, "0.00");
    assert_fmt(NUM_MAX, 12, true, "170,141,183,460,469,231,731,687,303.715884105727");
    assert_fmt(num_neg(NUM_MAX), 2, true, "-170,141,183,460,469,231,731,687,303.72");
    assert_fmt(N("7.5"), 99, false, "7.500000000000"); /* clamped */
    assert_fmt(N("7.5"), -3, false, "8");
}

static void test_str(void **state)
{
    (void)state;
    assert_num(N("1400000"), "1400000");
    assert_num(N("0.15"), "0.15");
    assert_num(N("-3.000000000001"), "-3.000000000001");
    assert_num(NUM_ZERO, "0");
    assert_num(NUM_ONE, "1");
    assert_num(N("0.000000000001"), "0.000000000001");
    assert_num(N("-0.1"), "-0.1");
    assert_num(N("100.100"), "100.1");
    assert_num(num_neg(NUM_MAX), "-" MAX_TEXT);
    assert_num(num_from_int(INT64_MIN), "-9223372036854775808");
    char buf[NUM_BUFSZ];
    assert_ptr_equal(num_str(NUM_ONE, buf), buf);
}

static void test_decimals(void **state)
{
    (void)state;
    assert_int_equal(num_decimals(N("1400万")), 0);
    assert_int_equal(num_decimals(N("0.01")), 2);
    assert_int_equal(num_decimals(N("-0.05")), 2);
    assert_int_equal(num_decimals(N("1.10")), 1);
    assert_int_equal(num_decimals(N("0.000000000001")), 12);
    assert_int_equal(num_decimals(NUM_ZERO), 0);
    assert_int_equal(num_decimals(N("15%")), 2);
}

static void test_to_int(void **state)
{
    (void)state;
    int64_t i;
    assert_to_int("2.5", NUM_HALF_EVEN, 2);
    assert_to_int("2.5", NUM_HALF_UP, 3);
    assert_to_int("-2.5", NUM_HALF_UP, -3);
    assert_to_int("-2.5", NUM_HALF_EVEN, -2);
    assert_to_int("-2.1", NUM_FLOOR, -3);
    assert_to_int("-2.9", NUM_CEIL, -2);
    assert_to_int("-2.9", NUM_TRUNC, -2);
    assert_to_int("-0.4", NUM_HALF_UP, 0);
    assert_to_int("1400万", NUM_TRUNC, 14000000);
    assert_to_int("9223372036854775807", NUM_HALF_UP, INT64_MAX);
    assert_to_int("9223372036854775807.4", NUM_HALF_UP, INT64_MAX);
    assert_to_int("-9223372036854775808", NUM_HALF_UP, INT64_MIN);
    assert_to_int("-9223372036854775808.4", NUM_HALF_UP, INT64_MIN);
    assert_to_int("-9223372036854775808.9", NUM_CEIL, INT64_MIN);
    assert_int_equal(num_to_int(N("9223372036854775807.5"), NUM_HALF_UP, &i), NUM_OVERFLOW);
    assert_int_equal(num_to_int(N("9223372036854775807.1"), NUM_CEIL, &i), NUM_OVERFLOW);
    assert_int_equal(num_to_int(N("-9223372036854775808.5"), NUM_HALF_UP, &i), NUM_OVERFLOW);
    assert_int_equal(num_to_int(NUM_MAX, NUM_TRUNC, &i), NUM_OVERFLOW);
    assert_int_equal(num_to_int(num_from_int(INT64_MIN), NUM_FLOOR, &i), NUM_OK);
    assert_true(i == INT64_MIN);
}

static void test_cmp_sign(void **state)
{
    (void)state;
    const char *const sorted[] = {
        ("-" MAX_TEXT), "-1400万", "-1", "-0.000000000001", "0", "0.000000000001", "0.3", "1",
        "1.000000000001", "2.5k", "1.5亿", MAX_TEXT,
    };
    size_t n = sizeof sorted / sizeof sorted[0];
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            int want = (i > j) - (i < j);
            assert_int_equal(num_cmp(N(sorted[i]), N(sorted[j])), want);
        }
    }
    assert_int_equal(num_sign(N("-0.000000000001")), -1);
    assert_int_equal(num_sign(NUM_ZERO), 0);
    assert_int_equal(num_sign(N("3M")), 1);
    assert_true(num_is_zero(num_neg(NUM_ZERO)));
    assert_false(num_is_zero(N("0.000000000001")));
    assert_num(num_abs(N("-2.5")), "2.5");
    assert_num(num_abs(N("2.5")), "2.5");
    assert_num(num_neg(num_neg(N("1.5亿"))), "150000000");
}

static void test_status_str(void **state)
{
    (void)state;
    assert_string_equal(num_status_str(NUM_DIVZERO), "division by zero");
    assert_string_equal(num_status_str(NUM_SYNTAX), "malformed number");
    assert_string_equal(num_status_str(NUM_OVERFLOW), "number too large");
    assert_string_equal(num_status_str(NUM_PRECISION), "more than 12 decimal places");
    assert_string_equal(num_status_str(NUM_OK), "ok");
}


/* Truncated quotients round and compare like the exact ratio (attainment). */
static void test_div_trunc(void **state)
{
    (void)state;
    Num q;
    char b[NUM_BUFSZ];
    assert_int_equal(num_div_mode(N("2"), N("3"), NUM_TRUNC, &q), NUM_OK);
    assert_string_equal(num_str(q, b), "0.666666666666");
    assert_int_equal(num_div_mode(num_neg(N("2")), N("3"), NUM_TRUNC, &q), NUM_OK);
    assert_string_equal(num_str(q, b), "-0.666666666666");
    assert_int_equal(num_div(N("2"), N("3"), &q), NUM_OK);
    assert_string_equal(num_str(q, b), "0.666666666667");
    /* 0.11075 - 1e-13 exactly: half-even at 12 decimals would make it 0.110750000000 and
     * round up to 0.1108; truncated it stays below the tie and rounds to 0.1107 */
    assert_int_equal(num_div_mode(N("110749999999999.9"), N("1000000000000000"), NUM_TRUNC, &q), NUM_OK);
    assert_string_equal(num_fmt(q, 4, false, b), "0.1107");
    assert_int_equal(num_div(N("110749999999999.9"), N("1000000000000000"), &q), NUM_OK);
    assert_string_equal(num_fmt(q, 4, false, b), "0.1108");
    assert_int_equal(num_div_mode(N("1"), NUM_ZERO, NUM_TRUNC, &q), NUM_DIVZERO);
}

/* a * b / c with the product kept whole: one rounding, exact at the top of the range. */
static void test_muldiv(void **state)
{
    (void)state;
    Num q;
    char b[NUM_BUFSZ];
    assert_int_equal(num_muldiv(N("2"), N("1"), N("3"), &q), NUM_OK);
    assert_string_equal(num_str(q, b), "0.666666666667");
    assert_int_equal(num_muldiv(N("-2"), N("1"), N("3"), &q), NUM_OK);
    assert_string_equal(num_str(q, b), "-0.666666666667");
    assert_int_equal(num_muldiv(N("2"), N("-1"), N("-3"), &q), NUM_OK);
    assert_string_equal(num_str(q, b), "0.666666666667");
    /* the product 1.7e26 x 13 does not fit a Num; the result does */
    assert_int_equal(num_muldiv(N("169999999999999999999999999.99"), N("13"), N("42"), &q), NUM_OK);
    assert_string_equal(num_str(q, b), "52619047619047619047619047.615952380952");
    assert_int_equal(num_muldiv(N(MAX_TEXT), N(MAX_TEXT), N(MAX_TEXT), &q), NUM_OK);
    assert_string_equal(num_str(q, b), MAX_TEXT);
    assert_int_equal(num_muldiv(N(MAX_TEXT), N("2"), N("1"), &q), NUM_OVERFLOW);
    assert_int_equal(num_muldiv(N("1"), N("2"), NUM_ZERO, &q), NUM_DIVZERO);
}

/* num_long_div against bit-by-bit restoring division, on divisors of every
 * length (1 to 128 bits) and dividends from a fixed pseudo-random sequence. */
typedef unsigned __int128 U128;

static void bitwise_div(U128 rem, U128 lo, int nbits, U128 d, U128 *q, U128 *r)
{
    U128 quo = 0;
    for (int i = nbits - 1; i >= 0; i--) {
        U128 carry = rem >> 127;
        rem = (rem << 1) | ((lo >> i) & 1);
        quo <<= 1;
        if (carry || rem >= d) {
            rem -= d;
            quo |= 1;
        }
    }
    *q = quo;
    *r = rem;
}

static U128 next_random(U128 *state)
{
    *state = *state * ((((U128)0x2360ED051FC65DA4u) << 64) | 0x4385DF649FCCF645u) + 1442695040888963407u;
    return *state;
}

static void test_long_div(void **st)
{
    (void)st;
    U128 seed = 17;
    for (int bits = 1; bits <= 128; bits++)
        for (int k = 0; k < 40; k++) {
            U128 d = next_random(&seed) >> (128 - bits) | ((U128)1 << (bits - 1));
            int nbits = k % 3 == 0 ? 128 : k % 3 == 1 ? 96 : 64;
            U128 hi = next_random(&seed) % d;
            U128 lo = nbits == 128 ? next_random(&seed) : next_random(&seed) >> (128 - nbits);
            if (k % 5 == 0)
                lo = 0;
            U128 q1, r1, q2, r2; /* hi < d: the quotient is below 2^nbits */
            num_long_div(hi, lo, nbits, d, &q1, &r1);
            bitwise_div(hi, lo, nbits, d, &q2, &r2);
            assert_true(q1 == q2);
            assert_true(r1 == r2);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_exact),
        cmocka_unit_test(test_parse_suffixes),
        cmocka_unit_test(test_parse_malformed),
        cmocka_unit_test(test_parse_respects_len),
        cmocka_unit_test(test_parse_precision),
        cmocka_unit_test(test_parse_plain_lengths),
        cmocka_unit_test(test_parse_limits),
        cmocka_unit_test(test_add_overflow),
        cmocka_unit_test(test_mul_exact),
        cmocka_unit_test(test_mul_overflow),
        cmocka_unit_test(test_mul_tiny_half_even),
        cmocka_unit_test(test_div),
        cmocka_unit_test(test_muldiv),
        cmocka_unit_test(test_from_ratio),
        cmocka_unit_test(test_round_ties),
        cmocka_unit_test(test_round_directed),
        cmocka_unit_test(test_round_errors),
        cmocka_unit_test(test_fmt),
        cmocka_unit_test(test_str),
        cmocka_unit_test(test_decimals),
        cmocka_unit_test(test_to_int),
        cmocka_unit_test(test_cmp_sign),
        cmocka_unit_test(test_status_str),
        cmocka_unit_test(test_div_trunc),
        cmocka_unit_test(test_long_div),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
