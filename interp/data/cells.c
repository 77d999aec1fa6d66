/* cells.c -- values in CSV cells: plain decimals, dates, months, trimming
 * and clipping (see cells.h), one definition for the actuals and the
 * history readers.  It only reads bytes: it never allocates, reports, uses
 * floating point or looks at a locale.
 */
#include "data/cells.h"

#include "base/util.h"

void cval_trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

bool cval_all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

int cval_digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

int cval_clip(const char *s, size_t n, size_t max)
{
    size_t i = 0;
    while (i < n) {
        size_t k = utf8_seq_len((const unsigned char *)s + i, n - i);
        if (k == 0)
            k = 1;
        if (i + k > max)
            break;
        i += k;
    }
    return (int)i;
}

int cval_month_days(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

bool cval_ym(const char *s, int *y, int *m)
{
    if (!cval_all_digits(s, 4) || s[4] != '-' || !cval_all_digits(s + 5, 2))
        return false;
    *y = cval_digits(s, 4);
    *m = cval_digits(s + 5, 2);
    return *y >= 1 && *m >= 1 && *m <= 12;
}

int cval_month(const char *s, size_t n, int *y, int *m)
{
    if (n == 7)
        return cval_ym(s, y, m) ? CVAL_YM : CVAL_BAD_MONTH;
    if (n < 1 || n > 2 || !cval_all_digits(s, n))
        return CVAL_BAD_MONTH;
    *m = cval_digits(s, n);
    return *m >= 1 && *m <= 12 ? CVAL_MONTH_NUMBER : CVAL_BAD_MONTH;
}

NumStatus cval_decimal(const char *s, size_t n, bool pct, Num *out)
{
    bool neg = n && s[0] == '-';
    if (neg) {
        s++;
        n--;
    }
    size_t body = pct && n && s[n - 1] == '%' ? n - 1 : n;
    const char *dot = memchr(s, '.', body);
    size_t ip = dot ? (size_t)(dot - s) : body;
    if (!cval_all_digits(s, ip) || (dot && !cval_all_digits(dot + 1, body - ip - 1)))
        return NUM_SYNTAX;
    Num v;
    NumStatus st = num_parse(s, n, &v);
    if (st == NUM_OK)
        *out = neg ? num_neg(v) : v;
    return st;
}
