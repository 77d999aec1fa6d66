/* test_util.c -- cmocka tests for base/util.c: the string map (entries in
 * the order they were put, an index over them) and the arena (structs and
 * strings in chains of their own).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

enum { NKEYS = 50000 };

/* Keys that share long prefixes and differ in their last bytes, and some
 * that are prefixes of others: what a plan's generated names look like. */
static char *key_text(Arena *a, int i)
{
    return arena_printf(a, i % 7 == 0 ? "rep_%d" : "rep_%06d_销售", i);
}

static void test_map_grows_and_finds(void **state)
{
    (void)state;
    Arena a = {0};
    StrMap m = {0};
    char **keys = xmalloc(NKEYS * sizeof *keys);
    for (int i = 0; i < NKEYS; i++) {
        keys[i] = key_text(&a, i);
        assert_null(strmap_put(&m, keys[i], &keys[i]));
        assert_int_equal(m.count, (size_t)i + 1);
    }
    for (int i = 0; i < NKEYS; i++) {
        char copy[64]; /* the same text at another address */
        snprintf(copy, sizeof copy, "%s", keys[i]);
        assert_ptr_equal(strmap_get(&m, copy), &keys[i]);
        assert_ptr_equal(strmap_get(&m, keys[i]), &keys[i]);
    }
    assert_null(strmap_get(&m, "rep_"));
    assert_null(strmap_get(&m, "rep_000001_销"));
    assert_null(strmap_get(&m, ""));
    strmap_free(&m);
    assert_null(strmap_get(&m, keys[0]));
    assert_int_equal(m.count, 0);
    free(keys);
    arena_free(&a);
}

/* A walk over slots[0 .. count) sees every key once, in the order they
 * were first put; putting a key again replaces its value in place and
 * returns the old one. */
static void test_map_walk_order(void **state)
{
    (void)state;
    Arena a = {0};
    StrMap m = {0};
    int vals[1000];
    for (int i = 0; i < 1000; i++)
        strmap_put(&m, key_text(&a, 999 - i), &vals[i]);
    int again = 0;
    assert_ptr_equal(strmap_put(&m, key_text(&a, 500), &again), &vals[499]);
    assert_int_equal(m.count, 1000);
    assert_true(m.cap >= 2 * m.count);
    for (size_t i = 0; i < m.count; i++) {
        int want = 999 - (int)i;
        char text[64];
        snprintf(text, sizeof text, want % 7 == 0 ? "rep_%d" : "rep_%06d_销售", want);
        assert_string_equal(m.slots[i].key, text);
        assert_ptr_equal(m.slots[i].val, want == 500 ? (void *)&again : (void *)&vals[i]);
    }
    strmap_free(&m);
    arena_free(&a);
}

/* Structs stay 16-byte aligned and zeroed between strings of every length;
 * every string keeps its bytes, large ones (a block of their own) too. */
static void test_arena_strings_and_structs(void **state)
{
    (void)state;
    Arena a = {0};
    char *s[3000];
    unsigned char *p[3000];
    for (int i = 0; i < 3000; i++) {
        size_t n = (size_t)(i * 37 % 101);
        if (i % 500 == 0)
            n = 20000 + (size_t)i; /* over a quarter block */
        char *text = xmalloc(n + 1);
        for (size_t k = 0; k < n; k++)
            text[k] = (char)('a' + (i + (int)k) % 26);
        s[i] = arena_strndup(&a, text, n);
        free(text);
        size_t size = (size_t)(i % 3 == 0 ? 24 : i % 3 == 1 ? 1 : 40000);
        p[i] = arena_alloc(&a, size);
        assert_int_equal((uintptr_t)p[i] % 16, 0);
        for (size_t k = 0; k < size; k++)
            assert_int_equal(p[i][k], 0);
        memset(p[i], 0xA5, size);
    }
    for (int i = 0; i < 3000; i++) {
        size_t n = (size_t)(i * 37 % 101);
        if (i % 500 == 0)
            n = 20000 + (size_t)i;
        assert_int_equal(strlen(s[i]), n);
        for (size_t k = 0; k < n; k++)
            assert_int_equal(s[i][k], (char)('a' + (i + (int)k) % 26));
        assert_int_equal(p[i][0], 0xA5);
    }
    assert_string_equal(arena_printf(&a, "%s-%d", "万", 7), "万-7");
    arena_free(&a);
    assert_null(a.head);
    assert_null(a.text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_grows_and_finds),
        cmocka_unit_test(test_map_walk_order),
        cmocka_unit_test(test_arena_strings_and_structs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
