/* apportion.c -- largest-remainder apportionment: exact values rounded to
 * multiples of a step so that they add up to a given total, the one
 * implementation for every caller; and the snapping floor that the
 * controlled rounding of tables shares with it.  Pure arithmetic on the
 * caller's arrays: no engine state, no diagnostics. */
#include <stdlib.h>

#include "alloc/alloc_int.h"

/* The same for a value and step that fit in 63 bits (a table's cells,
 * nearly always): 64-bit arithmetic, the remainder in steps rounded half
 * to even as num_div rounds it. */
static void floor_small(uint64_t v, uint64_t s, Num *fl, Num *frac_steps)
{
    uint64_t r = v % s, f = v - r, snap = (uint64_t)AL_SNAP.v;
    if (r < snap || s - r < snap) {
        fl->v = (__int128)(r < snap ? f : f + s);
        frac_steps->v = 0;
        return;
    }
    fl->v = (__int128)f;
    unsigned __int128 n = (unsigned __int128)r * 1000000000000u; /* r < s: q < 10^12 */
    uint64_t q = (uint64_t)(n / s), rem = (uint64_t)(n - (unsigned __int128)q * s);
    if (rem > s - rem || (rem == s - rem && (q & 1)))
        q++;
    frac_steps->v = (__int128)q;
}

void al_floor_to_step(Num step, Num exact, Num *fl, Num *frac_steps)
{
    if (exact.v >= 0 && exact.v <= INT64_MAX && step.v > 0 && step.v <= INT64_MAX) {
        floor_small((uint64_t)exact.v, (uint64_t)step.v, fl, frac_steps);
        return;
    }
    Num f, r, gap;
    num_round(exact, step, NUM_FLOOR, &f);
    num_sub(exact, f, &r);
    num_sub(step, r, &gap);
    if (num_cmp(r, AL_SNAP) < 0) {
        r = NUM_ZERO;
    } else if (num_cmp(gap, AL_SNAP) < 0) {
        num_add(f, step, &f);
        r = NUM_ZERO;
    }
    *fl = f;
    num_div(r, step, frac_steps);
}

void al_remainder_bounds(Num x, int64_t *lo, int64_t *hi)
{
    Num r, d;
    num_round(x, NUM_ONE, NUM_HALF_EVEN, &r);
    num_sub(x, r, &d);
    if (num_cmp(num_abs(d), (Num){1000000}) < 0) { /* within 1e-6 */
        num_to_int(r, NUM_TRUNC, lo);
        *hi = *lo;
        return;
    }
    num_to_int(x, NUM_FLOOR, lo);
    num_to_int(x, NUM_CEIL, hi);
}

void al_node_bounds(Num x, RoundBound *lo, RoundBound *hi)
{
    int64_t l, h;
    al_remainder_bounds(x, &l, &h);
    *lo = round_bound(l);
    *hi = round_bound(h);
}

int64_t al_steps_between(Num from, Num to, Num step, NumStatus *st)
{
    Num d;
    int64_t n = 0;
    NumStatus s1 = num_sub(to, from, &d);
    NumStatus s2 = num_div(d, step, &d);
    NumStatus s3 = num_to_int(d, NUM_HALF_EVEN, &n);
    if (st && *st == NUM_OK)
        *st = s1 != NUM_OK ? s1 : s2 != NUM_OK ? s2 : s3;
    return n;
}

typedef struct {
    Num rem; /* APPORTION_SNAP: in steps; APPORTION_EXACT: as an amount */
    size_t i;
} Rem;

/* Larger remainders first; equal ones in index order. */
static int by_remainder_exact(const void *a, const void *b)
{
    const Rem *x = a, *y = b;
    int c = num_cmp(y->rem, x->rem);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* The same, remainders within AL_TIE of each other counting as equal. */
static int by_remainder_near(const void *a, const void *b)
{
    const Rem *x = a, *y = b;
    Num d;
    num_sub(y->rem, x->rem, &d);
    int c = num_cmp(num_abs(d), AL_TIE) < 0 ? 0 : num_sign(d);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* Floors every value into out and its remainder into rem; returns the sum
 * of the floors.  *st keeps the first arithmetic failure. */
static Num floor_all(Num step, const Num *exact, size_t n, ApportionMode mode, Num *out, Rem *rem,
                     NumStatus *st)
{
    Num floors = NUM_ZERO;
    for (size_t i = 0; i < n; i++) {
        NumStatus s = NUM_OK;
        if (mode == APPORTION_SNAP)
            al_floor_to_step(step, exact[i], &out[i], &rem[i].rem);
        else if ((s = num_round(exact[i], step, NUM_FLOOR, &out[i])) == NUM_OK)
            s = num_sub(exact[i], out[i], &rem[i].rem);
        rem[i].i = i;
        if (s == NUM_OK)
            s = num_add(floors, out[i], &floors);
        if (*st == NUM_OK)
            *st = s;
    }
    return floors;
}

int alloc_apportion(Num step, const Num *exact, size_t n, Num total, ApportionMode mode, Num *out)
{
    NumStatus st = NUM_OK;
    Rem *rem = xmalloc((n ? n : 1) * sizeof *rem);
    Num floors = floor_all(step, exact, n, mode, out, rem, &st);
    int64_t need = al_steps_between(floors, total, step, &st);
    qsort(rem, n, sizeof *rem, mode == APPORTION_SNAP ? by_remainder_near : by_remainder_exact);
    if (n > 0 && (need >= (int64_t)n || need <= -(int64_t)n)) {
        /* values that do not add up to the total (a caller's slip): every
         * value the whole steps first, in one multiplication, not one step
         * at a time (a loop as long as the gap: millions of steps). */
        Num whole;
        NumStatus s = num_mul(step, num_from_int(need / (int64_t)n), &whole);
        for (size_t i = 0; i < n && s == NUM_OK; i++)
            s = num_add(out[i], whole, &out[i]);
        if (st == NUM_OK)
            st = s;
        need %= (int64_t)n;
    }
    for (size_t k = 0; n > 0 && need > 0; k++, need--) /* largest remainders up */
        num_add(out[rem[k].i], step, &out[rem[k].i]);
    for (size_t k = n; n > 0 && need < 0; need++) { /* below the floors: smallest ones down */
        k--;
        num_sub(out[rem[k].i], step, &out[rem[k].i]);
    }
    free(rem);
    return st == NUM_OK ? 0 : -1;
}
