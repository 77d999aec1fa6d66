/* cells.h -- values in CSV cells: plain decimals, dates, months, trimming,
 * and how much of a cell a message quotes.  Shared by the readers of
 * actuals (the actuals_*.c files) and of histories (history.c),
 * so that both accept exactly the same cells.
 *
 * Ownership: nothing here allocates or keeps anything.  A cell is the
 * bytes s[0..n) (no NUL needed); only the out-parameters are written, and
 * only the ones a function's comment names.  None of these functions trims
 * unless it says so: the callers trim (cval_trim) where their rules allow
 * spaces.
 */
#ifndef CSVVAL_H
#define CSVVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/num.h"

#define CVAL_QUOTE_MAX 60 /* bytes of a cell quoted in a message */

/* What cval_month found. */
enum { CVAL_BAD_MONTH = 0, CVAL_YM = 1, CVAL_MONTH_NUMBER = 2 };

/* Drops the spaces and tabs around s[0..*n) (moves *s, shrinks *n). */
void cval_trim(const char **s, size_t *n);

/* Whether s[0..n) is one or more ASCII digits. */
bool cval_all_digits(const char *s, size_t n);

/* The value of the ASCII digits s[0..n) (the caller checked them; n <= 9). */
int cval_digits(const char *s, size_t n);

/* Bytes of s[0..n) to quote in a message: at most max, on a code point
 * boundary. */
int cval_clip(const char *s, size_t n, size_t max);

/* Days of month m (1..12) of year y (Gregorian). */
int cval_month_days(int y, int m);

/* "YYYY-MM" at s (at least 7 bytes): *y and *m, true when year is 1..9999
 * and month 1..12.  *y and *m may be written also when it returns false. */
bool cval_ym(const char *s, int *y, int *m);

/* A month cell: "YYYY-MM" (CVAL_YM, *y and *m set), a month number 1-12
 * (CVAL_MONTH_NUMBER, only *m set: its year is the caller's rule), or
 * neither (CVAL_BAD_MONTH). */
int cval_month(const char *s, size_t n, int *y, int *m);

/* A plain decimal: an optional leading '-', digits with at most one '.'
 * (and, with pct, a trailing '%': "95%" is 0.95), through num_parse (at
 * most 12 decimals).  NUM_SYNTAX for anything else; *out is set only on
 * NUM_OK. */
NumStatus cval_decimal(const char *s, size_t n, bool pct, Num *out);

/* Whether the bytes of w under mask are all ASCII digits. */
static inline bool cval_swar_digits(uint64_t w, uint64_t mask)
{
    uint64_t hi = 0xF0F0F0F0F0F0F0F0ull & mask, three = 0x3030303030303030ull & mask;
    return (w & hi) == three && ((w + (0x0606060606060606ull & mask)) & hi) == three;
}

/* A date cell "YYYY-MM-DD", exactly (n == 10): *y and *m, true when the
 * date exists (year 1..9999).  Inline and eight bytes at a time: it is on
 * the per-row path of the actuals. */
static inline bool cval_date(const char *s, size_t n, int *y, int *m)
{
    if (n != 10)
        return false;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t w;
    uint16_t dd;
    memcpy(&w, s, 8);
    memcpy(&dd, s + 8, 2);
    if (!cval_swar_digits(w, 0x00FFFF00FFFFFFFFull) ||
        (w & 0xFF0000FF00000000ull) != 0x2D00002D00000000ull || !cval_swar_digits(dd, 0xFFFF))
        return false;
#else
    if (!cval_all_digits(s, 4) || s[4] != '-' || !cval_all_digits(s + 5, 2) || s[7] != '-' ||
        !cval_all_digits(s + 8, 2))
        return false;
#endif
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    return *y >= 1 && *m >= 1 && *m <= 12 && d >= 1 && (d <= 28 || d <= cval_month_days(*y, *m));
}

#endif
