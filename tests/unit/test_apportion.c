/* test_apportion.c -- largest-remainder apportionment (alloc_apportion):
 * the rounded values add up to the total, each within one step of its
 * exact value; larger remainders go up first, ties in index order; the
 * snapping mode treats 12-decimal noise as equal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alloc/alloc.h"

static Num num(const char *s)
{
    Num v;
    bool neg = s[0] == '-';
    assert_int_equal(num_parse(s + neg, strlen(s + neg), &v), NUM_OK);
    return neg ? num_neg(v) : v;
}

static void assert_num(Num got, const char *want)
{
    char b1[NUM_BUFSZ], b2[NUM_BUFSZ];
    if (num_cmp(got, num(want)) != 0)
        fail_msg("got %s, want %s", num_str(got, b1), num_str(num(want), b2));
}

static void test_thirds_go_up_in_order(void **state)
{
    (void)state;
    Num ex[3], out[3];
    for (int i = 0; i < 3; i++)
        ex[i] = num("33.333333333333");
    assert_int_equal(alloc_apportion(num("0.01"), ex, 3, num("100"), APPORTION_SNAP, out), 0);
    assert_num(out[0], "33.34");
    assert_num(out[1], "33.33");
    assert_num(out[2], "33.33");
}

static void test_larger_remainder_first(void **state)
{
    (void)state;
    Num ex[3] = {num("1.004"), num("2.006"), num("3")}, out[3];
    assert_int_equal(alloc_apportion(num("0.01"), ex, 3, num("6.01"), APPORTION_EXACT, out), 0);
    assert_num(out[0], "1");
    assert_num(out[1], "2.01");
    assert_num(out[2], "3");
}

/* 0.4999999998 and 0.5000000002: exactly, the second is larger; snapped,
 * they are equal and the first goes up. */
static void test_snap_makes_near_remainders_equal(void **state)
{
    (void)state;
    Num ex[2] = {num("0.4999999998"), num("0.5000000002")}, out[2];
    alloc_apportion(NUM_ONE, ex, 2, NUM_ONE, APPORTION_EXACT, out);
    assert_num(out[0], "0");
    assert_num(out[1], "1");
    alloc_apportion(NUM_ONE, ex, 2, NUM_ONE, APPORTION_SNAP, out);
    assert_num(out[0], "1");
    assert_num(out[1], "0");
}

/* A value a hair below a multiple counts as on it when snapping. */
static void test_snap_floor(void **state)
{
    (void)state;
    Num ex[2] = {num("1.99999999999"), num("1.5")}, out[2];
    alloc_apportion(NUM_ONE, ex, 2, num("4"), APPORTION_SNAP, out);
    assert_num(out[0], "2");
    assert_num(out[1], "2");
    alloc_apportion(NUM_ONE, ex, 2, num("3"), APPORTION_SNAP, out);
    assert_num(out[0], "2");
    assert_num(out[1], "1");
}

static void test_more_steps_than_values_go_round(void **state)
{
    (void)state;
    Num ex[2] = {NUM_ZERO, NUM_ZERO}, out[2];
    alloc_apportion(NUM_ONE, ex, 2, num("3"), APPORTION_SNAP, out);
    assert_num(out[0], "2");
    assert_num(out[1], "1");
}

static void test_total_below_floors_takes_smallest_remainders(void **state)
{
    (void)state;
    Num ex[2] = {num("1.2"), num("1.7")}, out[2];
    alloc_apportion(NUM_ONE, ex, 2, NUM_ONE, APPORTION_SNAP, out);
    assert_num(out[0], "0");
    assert_num(out[1], "1");
}

/* Values far from their total (a caller's slip: weights that do not add
 * up): the gap is spread in whole steps at once, not one step a turn, and
 * still ends at the total.  Twelve billion steps one at a time would not
 * end within the test's time. */
static void test_far_total_is_reached_at_once(void **state)
{
    (void)state;
    Num ex[3] = {num("0.3"), num("0.6"), num("0.1")}, out[3], sum = NUM_ZERO;
    assert_int_equal(alloc_apportion(num("0.01"), ex, 3, num("120000001.01"), APPORTION_SNAP, out),
                     0);
    assert_num(out[0], "40000000.31");
    assert_num(out[1], "40000000.60");
    assert_num(out[2], "40000000.10");
    for (int i = 0; i < 3; i++)
        num_add(sum, out[i], &sum);
    assert_num(sum, "120000001.01");
}

/* Far below the floors: every value down the whole steps, then the
 * smallest remainders one more (before, only one step each at most). */
static void test_far_below_floors_is_reached(void **state)
{
    (void)state;
    Num ex[2] = {num("10.2"), num("10.7")}, out[2];
    assert_int_equal(alloc_apportion(NUM_ONE, ex, 2, num("5"), APPORTION_SNAP, out), 0);
    assert_num(out[0], "2");
    assert_num(out[1], "3");
}

static uint64_t rng = 88172645463325252ULL;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Random weights: the parts add up to the rounded whole, each within one
 * step of its exact value, in both modes. */
static void test_random_parts_add_up(void **state)
{
    (void)state;
    Num step = num("0.01");
    for (int t = 0; t < 2000; t++) {
        size_t n = 1 + next_rand() % 12;
        Num w[12], ex[12], out[12], wsum = NUM_ZERO;
        Num whole = num_from_int((int64_t)(next_rand() % 100000));
        for (size_t i = 0; i < n; i++) {
            w[i] = num_from_int(1 + (int64_t)(next_rand() % 7));
            num_add(wsum, w[i], &wsum);
        }
        for (size_t i = 0; i < n; i++) {
            Num p;
            num_mul(whole, w[i], &p);
            num_div(p, wsum, &ex[i]);
        }
        for (int mode = 0; mode < 2; mode++) {
            Num sum = NUM_ZERO;
            assert_int_equal(alloc_apportion(step, ex, n, whole, (ApportionMode)mode, out), 0);
            for (size_t i = 0; i < n; i++) {
                Num d;
                num_sub(out[i], ex[i], &d);
                assert_true(num_cmp(num_abs(d), step) < 0);
                num_add(sum, out[i], &sum);
            }
            assert_int_equal(num_cmp(sum, whole), 0);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thirds_go_up_in_order),
        cmocka_unit_test(test_larger_remainder_first),
        cmocka_unit_test(test_snap_makes_near_remainders_equal),
        cmocka_unit_test(test_snap_floor),
        cmocka_unit_test(test_more_steps_than_values_go_round),
        cmocka_unit_test(test_total_below_floors_takes_smallest_remainders),
        cmocka_unit_test(test_far_total_is_reached_at_once),
        cmocka_unit_test(test_far_below_floors_is_reached),
        cmocka_unit_test(test_random_parts_add_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
