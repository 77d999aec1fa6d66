/* num.c -- exact decimal arithmetic on 128-bit fixed point (scale 10^12).
 * Values stay within +-(2^127 - 1), so negation never overflows; every step
 * works on unsigned magnitudes and a sign and checks before it computes, as
 * signed __int128 overflow is undefined behaviour even for out-of-range
 * results.  No floating point, no heap. */
#include "base/num.h"

#include <string.h>

typedef unsigned __int128 u128;
typedef __int128 i128;

#define SCALE ((u128)1000000000000u) /* 10^NUM_DECIMALS */
#define MAG_MAX ((((u128)1) << 127) - 1)
#define LOW64 ((u128)UINT64_MAX)

const Num NUM_ZERO = {0};
const Num NUM_ONE = {1000000000000};
const Num NUM_MAX = {(i128)MAG_MAX};

const char *num_status_str(NumStatus st)
{
    switch (st) {
    case NUM_OK:
        return "ok";
    case NUM_OVERFLOW:
        return "number too large";
    case NUM_DIVZERO:
        return "division by zero";
    case NUM_SYNTAX:
        return "malformed number";
    case NUM_PRECISION:
        return "more than 12 decimal places";
    }
    return "unknown number error";
}

/* ---- magnitudes, signs and rounding ---------------------------------- */

static const uint64_t pow10_64[20] = {1,
                                      10,
                                      100,
                                      1000,
                                      10000,
                                      100000,
                                      1000000,
                                      10000000,
                                      100000000,
                                      1000000000,
                                      10000000000,
                                      100000000000,
                                      1000000000000,
                                      10000000000000,
                                      100000000000000,
                                      1000000000000000,
                                      10000000000000000,
                                      100000000000000000,
                                      1000000000000000000,
                                      10000000000000000000u};

static u128 pow10u(int n)
{
    if (n <= 19)
        return pow10_64[n < 0 ? 0 : n];
    u128 p = pow10_64[19];
    for (n -= 19; n > 0; n--)
        p *= 10;
    return p;
}

/* |v| without signed overflow (also defined for INT128_MIN). */
static u128 mag(i128 v)
{
    return v < 0 ? -(u128)v : (u128)v;
}

/* Stores sign * m in *out, or reports overflow when m is out of range. */
static NumStatus finish(u128 m, bool neg, Num *out)
{
    if (m > MAG_MAX)
        return NUM_OVERFLOW;
    out->v = neg ? -(i128)m : (i128)m;
    return NUM_OK;
}

/* Whether the truncated magnitude quotient q (remainder r < d) moves one
 * step away from zero under mode; neg is the sign of the exact value. */
static bool round_away(u128 q, u128 r, u128 d, bool neg, NumRound mode)
{
    if (r == 0)
        return false;
    u128 rest = d - r; /* distance up to the next multiple; no 2*r overflow */
    switch (mode) {
    case NUM_HALF_UP:
        return r >= rest;
    case NUM_HALF_EVEN:
        return r > rest || (r == rest && (q & 1) != 0);
    case NUM_FLOOR:
        return neg;
    case NUM_CEIL:
        return !neg;
    case NUM_TRUNC:
        return false;
    }
    return false;
}

/* Rounds the magnitude quotient q (remainder r of divisor d) and stores it. */
static NumStatus finish_rounded(u128 q, u128 r, u128 d, bool neg, NumRound mode, Num *out)
{
    if (round_away(q, r, d, neg, mode)) {
        if (q >= MAG_MAX)
            return NUM_OVERFLOW;
        q++;
    }
    return finish(q, neg, out);
}

/* ---- 256-bit intermediates for mul and div ---------------------------- */

typedef struct {
    u128 hi, lo;
} U256;

static U256 mul_wide(u128 a, u128 b)
{
    U256 r;
    if ((a >> 64) == 0 && (b >> 64) == 0) { /* common case: no cross terms */
        r.hi = 0;
        r.lo = a * b;
        return r;
    }
    u128 a0 = a & LOW64, a1 = a >> 64, b0 = b & LOW64, b1 = b >> 64;
    u128 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    u128 mid = (p00 >> 64) + (p01 & LOW64) + (p10 & LOW64); /* < 3 * 2^64 */
    r.lo = (p00 & LOW64) | (mid << 64);
    r.hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    return r;
}

/* Restoring binary long division, one bit a step: for d >= 2^127. */
static void bit_division(u128 rem, u128 lo, int nbits, u128 d, u128 *q, u128 *r)
{
    u128 quo = 0;
    for (int i = nbits - 1; i >= 0; i--) {
        u128 carry = rem >> 127;
        rem = (rem << 1) | ((lo >> i) & 1);
        quo <<= 1;
        if (carry != 0 || rem >= d) {
            rem -= d; /* wraps back into range when carry was set */
            quo |= 1;
        }
    }
    *q = quo;
    *r = rem;
}

static int bit_length(u128 x)
{
    uint64_t hi = (uint64_t)(x >> 64), lo = (uint64_t)x;
    return hi ? 128 - __builtin_clzll(hi) : lo ? 64 - __builtin_clzll(lo) : 0;
}

/* Long division in digits of as many bits as fit beside d: a remainder
 * below d has 128 - bit_length(d) bits free, so each step shifts in that
 * many bits of lo and divides once.  Exact: the same quotient and
 * remainder as dividing bit by bit. */
void num_long_div(u128 hi, u128 lo, int nbits, u128 d, u128 *q, u128 *r)
{
    int free_bits = 128 - bit_length(d);
    if (free_bits == 0) {
        bit_division(hi, lo, nbits, d, q, r);
        return;
    }
    u128 rem = hi, quo = 0;
    while (nbits > 0) {
        int k = free_bits < nbits ? free_bits : nbits;
        nbits -= k;
        rem = (rem << k) | ((lo >> nbits) & ((((u128)1) << k) - 1));
        quo = (quo << k) | (rem / d);
        rem %= d;
    }
    *q = quo;
    *r = rem;
}

/* n / d for d > 0.  False when the quotient needs more than 128 bits. */
static bool div_wide(U256 n, u128 d, u128 *q, u128 *r)
{
    if (n.hi == 0) {
        *q = n.lo / d;
        *r = n.lo % d;
        return true;
    }
    if (n.hi >= d)
        return false;
    if (d <= LOW64) { /* two 128/64 steps; each partial remainder < d */
        u128 cur = (n.hi << 64) | (n.lo >> 64);
        u128 q1 = cur / d;
        cur = ((cur % d) << 64) | (n.lo & LOW64);
        *q = (q1 << 64) | (cur / d);
        *r = cur % d;
        return true;
    }
    num_long_div(n.hi, n.lo, 128, d, q, r);
    return true;
}

/* ---- conversions ------------------------------------------------------ */

Num num_from_int(int64_t i)
{
    Num r;
    r.v = (i128)i * (i128)SCALE; /* |i| * 10^12 < 2^103 */
    return r;
}

NumStatus num_from_ratio(int64_t num, int64_t den, Num *out)
{
    if (den == 0)
        return NUM_DIVZERO;
    bool neg = (num < 0) != (den < 0);
    u128 n = mag(num) * SCALE, d = mag(den); /* < 2^103 */
    return finish_rounded(n / d, n % d, d, neg, NUM_HALF_EVEN, out);
}

NumStatus num_to_int(Num x, NumRound mode, int64_t *out)
{
    bool neg = x.v < 0;
    u128 m = mag(x.v), q = m / SCALE;
    if (round_away(q, m % SCALE, SCALE, neg, mode))
        q++;
    if (q > (neg ? (u128)1 << 63 : (u128)INT64_MAX))
        return NUM_OVERFLOW;
    if (q == 0)
        *out = 0;
    else
        *out = neg ? -(int64_t)(q - 1) - 1 : (int64_t)q;
    return NUM_OK;
}

/* ---- parsing ---------------------------------------------------------- */

typedef struct {
    size_t int_end;    /* integer digits are s[0, int_end) */
    size_t frac_start; /* fraction digits are s[frac_start, frac_end) */
    size_t frac_end;
    int shift; /* decimal exponent of the suffix */
} Literal;

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Skips a digit run with single '_' between digits; false if no digit. */
static bool scan_digits(const char *s, size_t len, size_t *i)
{
    if (*i >= len || !is_digit(s[*i]))
        return false;
    (*i)++;
    while (*i < len) {
        if (is_digit(s[*i]))
            (*i)++;
        else if (s[*i] == '_' && *i + 1 < len && is_digit(s[*i + 1]))
            *i += 2;
        else
            break;
    }
    return true;
}

/* Matches all n bytes at s against the suffixes. */
static bool scan_suffix(const char *s, size_t n, int *shift)
{
    static const struct {
        const char *text;
        int shift;
    } suffixes[] = {
        {"%", -2}, {"k", 3}, {"M", 6}, {"\xE4\xB8\x87", 4} /* 万 */, {"\xE4\xBA\xBF", 8} /* 亿 */,
    };
    *shift = 0;
    if (n == 0)
        return true;
    for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++) {
        if (strlen(suffixes[k].text) == n && memcmp(s, suffixes[k].text, n) == 0) {
            *shift = suffixes[k].shift;
            return true;
        }
    }
    return false;
}

static bool scan_literal(const char *s, size_t len, Literal *lit)
{
    size_t i = 0;
    if (!scan_digits(s, len, &i))
        return false;
    lit->int_end = lit->frac_start = lit->frac_end = i;
    if (i < len && s[i] == '.') {
        lit->frac_start = ++i;
        if (!scan_digits(s, len, &i))
            return false;
        lit->frac_end = i;
    }
    return scan_suffix(s + i, len - i, &lit->shift);
}

/* Value * 10^12 of a scanned literal. */
/* The digits s[0..end) ('_' between them) as an integer. */
static NumStatus int_digits(const char *s, size_t end, u128 *out)
{
    u128 ip = 0;
    for (size_t i = 0; i < end; i++) {
        if (s[i] == '_')
            continue;
        unsigned dg = (unsigned)(s[i] - '0');
        if (ip > (MAG_MAX - dg) / 10)
            return NUM_OVERFLOW;
        ip = ip * 10 + dg;
    }
    *out = ip;
    return NUM_OK;
}

/* The fraction digits s[from..to) in units of unit (the value of the
 * integer digit 1); *inexact when a digit below the smallest unit is not 0. */
static u128 frac_digits(const char *s, size_t from, size_t to, u128 unit, bool *inexact)
{
    u128 frac = 0;
    for (size_t i = from; i < to; i++) {
        if (s[i] == '_')
            continue;
        unsigned dg = (unsigned)(s[i] - '0');
        if (unit > 1) {
            unit /= 10;
            frac += dg * unit; /* stays below the initial unit */
        } else if (dg != 0) {
            *inexact = true;
        }
    }
    return frac;
}

static NumStatus literal_value(const char *s, const Literal *lit, u128 *out)
{
    u128 unit = pow10u(NUM_DECIMALS + lit->shift); /* 10^10 .. 10^20 */
    u128 ip;
    if (int_digits(s, lit->int_end, &ip) != NUM_OK || ip > MAG_MAX / unit)
        return NUM_OVERFLOW;
    ip *= unit;
    bool inexact = false; /* reported after overflow, as num.h promises */
    u128 frac = frac_digits(s, lit->frac_start, lit->frac_end, unit, &inexact);
    if (frac > MAG_MAX - ip)
        return NUM_OVERFLOW;
    if (inexact)
        return NUM_PRECISION;
    *out = ip + frac;
    return NUM_OK;
}

/* The common literal, without scan_literal: 1 to 18 digits, at most 12 of
 * them after a point between digits ("1234.56"). */
static bool parse_plain(const char *s, size_t len, Num *out)
{
    uint64_t v = 0;
    int nd = 0, nf = 0;
    bool point = false;
    if (len == 0 || len > 19)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d <= 9) {
            v = v * 10 + d;
            nd++;
            nf += point;
        } else if (s[i] == '.' && !point && nd > 0 && i + 1 < len) {
            point = true;
        } else {
            return false;
        }
    }
    if (nd > 18 || nf > NUM_DECIMALS)
        return false;
    out->v = (i128)((u128)v * pow10_64[NUM_DECIMALS - nf]);
    return true;
}

NumStatus num_parse(const char *s, size_t len, Num *out)
{
    Literal lit;
    u128 m;
    if (parse_plain(s, len, out))
        return NUM_OK;
    if (!scan_literal(s, len, &lit))
        return NUM_SYNTAX;
    NumStatus st = literal_value(s, &lit, &m);
    if (st != NUM_OK)
        return st;
    return finish(m, false, out);
}

/* ---- arithmetic ------------------------------------------------------- */

NumStatus num_add(Num a, Num b, Num *out)
{
    return num_add_inline(a, b, out);
}

NumStatus num_sub(Num a, Num b, Num *out)
{
    i128 max = (i128)MAG_MAX;
    if (b.v >= 0 ? a.v < -max + b.v : a.v > max + b.v)
        return NUM_OVERFLOW;
    out->v = a.v - b.v;
    return NUM_OK;
}

NumStatus num_mul(Num a, Num b, Num *out)
{
    bool neg = (a.v < 0) != (b.v < 0);
    u128 q, r;
    if (!div_wide(mul_wide(mag(a.v), mag(b.v)), SCALE, &q, &r))
        return NUM_OVERFLOW;
    return finish_rounded(q, r, SCALE, neg, NUM_HALF_EVEN, out);
}

NumStatus num_muldiv(Num a, Num b, Num c, Num *out)
{
    if (c.v == 0)
        return NUM_DIVZERO;
    bool neg = ((a.v < 0) != (b.v < 0)) != (c.v < 0);
    u128 d = mag(c.v), q, r;
    if (!div_wide(mul_wide(mag(a.v), mag(b.v)), d, &q, &r))
        return NUM_OVERFLOW;
    return finish_rounded(q, r, d, neg, NUM_HALF_EVEN, out);
}

NumStatus num_div(Num a, Num b, Num *out)
{
    return num_div_mode(a, b, NUM_HALF_EVEN, out);
}

NumStatus num_div_mode(Num a, Num b, NumRound mode, Num *out)
{
    if (b.v == 0)
        return NUM_DIVZERO;
    bool neg = (a.v < 0) != (b.v < 0);
    u128 d = mag(b.v), q, r;
    if (!div_wide(mul_wide(mag(a.v), SCALE), d, &q, &r))
        return NUM_OVERFLOW;
    return finish_rounded(q, r, d, neg, mode, out);
}

/* Negation goes through unsigned so even an out-of-contract INT128_MIN
 * cannot trigger undefined behaviour. */
Num num_neg(Num a)
{
    a.v = (i128) - (u128)a.v;
    return a;
}

Num num_abs(Num a)
{
    return a.v < 0 ? num_neg(a) : a;
}

int num_cmp(Num a, Num b)
{
    return (a.v > b.v) - (a.v < b.v);
}

bool num_is_zero(Num a)
{
    return a.v == 0;
}

int num_sign(Num a)
{
    return (a.v > 0) - (a.v < 0);
}

NumStatus num_round(Num x, Num step, NumRound mode, Num *out)
{
    if (step.v <= 0)
        return NUM_SYNTAX;
    bool neg = x.v < 0;
    u128 m = mag(x.v), d = (u128)step.v, q, r;
    if (m <= UINT64_MAX && d <= UINT64_MAX) { /* 64-bit division, which is fast */
        q = (uint64_t)m / (uint64_t)d;
        r = (uint64_t)m % (uint64_t)d;
    } else {
        q = m / d;
        r = m % d;
    }
    if (round_away(q, r, d, neg, mode))
        q++; /* q <= 2^127 / d, so no wrap */
    if (q > MAG_MAX / d)
        return NUM_OVERFLOW;
    return finish(q * d, neg, out);
}

/* ---- text ------------------------------------------------------------- */

/* "00" .. "99": two digits a division. */
static const char two_digits[] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

/* Writes the digits of s to the end of tmp[20]; returns where they start. */
static size_t digits_u64(char *tmp, uint64_t s)
{
    size_t n = 20;
    while (s >= 100) {
        unsigned d = (unsigned)(s % 100);
        s /= 100;
        tmp[--n] = two_digits[2 * d + 1];
        tmp[--n] = two_digits[2 * d];
    }
    if (s >= 10) {
        tmp[--n] = two_digits[2 * s + 1];
        tmp[--n] = two_digits[2 * s];
    } else {
        tmp[--n] = (char)('0' + (int)s);
    }
    return n;
}

/* Writes the digits of m (grouped by ',' when asked) to p; returns the count. */
static size_t put_digits(char *p, u128 m, bool thousands)
{
    char tmp[64];
    size_t n = 0;
    int k = 0;
    if (m <= UINT64_MAX && !thousands) { /* 64-bit division, two digits at a time */
        size_t at = digits_u64(tmp, (uint64_t)m);
        memcpy(p, tmp + at, 20 - at);
        return 20 - at;
    }
    do {
        if (thousands && k > 0 && k % 3 == 0)
            tmp[n++] = ',';
        tmp[n++] = (char)('0' + (int)(m % 10));
        m /= 10;
        k++;
    } while (m != 0);
    for (size_t i = 0; i < n; i++)
        p[i] = tmp[n - 1 - i];
    return n;
}

/* Writes m as exactly width digits, zero-padded on the left. */
static size_t put_padded(char *p, u128 m, int width)
{
    if (m <= UINT64_MAX) { /* two digits a division, from the right */
        uint64_t s = (uint64_t)m;
        int i = width;
        for (; i >= 2; i -= 2, s /= 100) {
            unsigned d = (unsigned)(s % 100);
            p[i - 1] = two_digits[2 * d + 1];
            p[i - 2] = two_digits[2 * d];
        }
        if (i == 1)
            p[0] = (char)('0' + (int)(s % 10));
        return (size_t)width;
    }
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + (int)(m % 10));
        m /= 10;
    }
    return (size_t)width;
}

/* Fraction digits of m (< SCALE) without trailing zeros; 0 when m == 0. */
static int strip_fraction(u128 *m)
{
    if (*m == 0)
        return 0;
    int d = NUM_DECIMALS;
    while (*m % 10 == 0) {
        *m /= 10;
        d--;
    }
    return d;
}

char *num_str(Num x, char *buf)
{
    u128 m = mag(x.v), frac = m % SCALE;
    int decimals = strip_fraction(&frac);
    char *p = buf;
    if (x.v < 0)
        *p++ = '-';
    p += put_digits(p, m / SCALE, false);
    if (decimals > 0) {
        *p++ = '.';
        p += put_padded(p, frac, decimals);
    }
    *p = '\0';
    return buf;
}

char *num_fmt(Num x, int decimals, bool thousands, char *buf)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > NUM_DECIMALS)
        decimals = NUM_DECIMALS;
    u128 step = pow10u(NUM_DECIMALS - decimals), unit = pow10u(decimals);
    u128 m = mag(x.v), q;
    if (m <= UINT64_MAX) { /* 64-bit division, which is fast */
        uint64_t s = (uint64_t)step, q64 = (uint64_t)m / s, r = (uint64_t)m % s;
        q = q64 + (r != 0 && r >= s - r); /* half up, as round_away */
    } else {
        q = m / step;
        if (round_away(q, m % step, step, x.v < 0, NUM_HALF_UP))
            q++; /* q <= 2^127 / 10 here, so no wrap */
    }
    char *p = buf;
    if (x.v < 0 && q != 0)
        *p++ = '-';
    u128 whole, frac;
    if (q <= UINT64_MAX) { /* 64-bit division again */
        whole = (uint64_t)q / (uint64_t)unit;
        frac = (uint64_t)q % (uint64_t)unit;
    } else {
        whole = q / unit;
        frac = q % unit;
    }
    p += put_digits(p, whole, thousands);
    if (decimals > 0) {
        *p++ = '.';
        p += put_padded(p, frac, decimals);
    }
    *p = '\0';
    return buf;
}

int num_decimals(Num x)
{
    u128 frac = mag(x.v) % SCALE;
    return strip_fraction(&frac);
}
