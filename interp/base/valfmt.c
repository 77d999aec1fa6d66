/* valfmt.c -- the value formatter (valfmt.h).  The exact digits of a Num
 * (num_fmt with 12 decimals) are shifted, rounded and grouped as text; it
 * computes nothing else and keeps no state. */
#include "base/valfmt.h"

#include <stdio.h>
#include <string.h>

/* Digits of |x| times 10^shift, without the point: the first *point
 * digits are the integer part (at least one).  Returns the length. */
static int shifted_digits(Num x, int shift, char *d, int *point)
{
    char raw[NUM_BUFSZ];
    const char *p = num_fmt(num_abs(x), NUM_DECIMALS, false, raw);
    int n = 0, ip = (int)strcspn(p, ".");
    for (; *p; p++)
        if (*p != '.')
            d[n++] = *p;
    ip += shift;
    if (ip < 1) { /* 0.00x: leading zeros up to one integer digit */
        memmove(d + (1 - ip), d, (size_t)n);
        memset(d, '0', (size_t)(1 - ip));
        n += 1 - ip;
        ip = 1;
    }
    while (n < ip)
        d[n++] = '0';
    *point = ip;
    return n;
}

/* Whether dropping the digits d[keep..n) rounds the magnitude up. */
static bool rounds_up(const char *d, int n, int keep, NumRound mode, bool neg)
{
    bool rest = false; /* anything after the first dropped digit */
    for (int i = keep + 1; i < n && !rest; i++)
        rest = d[i] != '0';
    bool any = d[keep] != '0' || rest;
    switch (mode) {
    case NUM_HALF_UP:
        return d[keep] >= '5';
    case NUM_HALF_EVEN:
        return d[keep] > '5' || (d[keep] == '5' && (rest || (keep > 0 && (d[keep - 1] - '0') % 2)));
    case NUM_FLOOR:
        return neg && any;
    case NUM_CEIL:
        return !neg && any;
    case NUM_TRUNC:
        return false;
    }
    return false;
}

/* Rounds the digits to keep of them; a carry out of the first digit adds
 * a digit in front.  Returns the new length (keep or keep + 1), and moves
 * *point with a carry. */
static int round_digits(char *d, int n, int keep, const ValFmt *f, bool neg, int *point)
{
    if (keep >= n)
        return n;
    if (!rounds_up(d, n, keep, f->round, neg))
        return keep;
    int i = keep - 1;
    while (i >= 0 && d[i] == '9')
        d[i--] = '0';
    if (i >= 0) {
        d[i]++;
        return keep;
    }
    memmove(d + 1, d, (size_t)keep);
    d[0] = '1';
    (*point)++;
    return keep + 1;
}

/* How many decimals to show of the frac digits at d. */
static int decimals_shown(const char *d, int frac, const ValFmt *f)
{
    int own = frac;
    while (own > 0 && d[own - 1] == '0')
        own--;
    int max = f->max_dec > 20 ? 20 : f->max_dec;
    int dec = own > max ? max : own;
    return dec < f->min_dec ? f->min_dec : dec;
}

/* Writes the integer digits d[0..point) with separators at out. */
static char *put_integer(char *out, const char *d, int point, bool thousands)
{
    int skip = 0;
    while (skip + 1 < point && d[skip] == '0')
        skip++;
    for (int i = skip; i < point; i++) {
        if (thousands && i > skip && (point - i) % 3 == 0)
            *out++ = ',';
        *out++ = d[i];
    }
    return out;
}

static unsigned __int128 pow10u(int e)
{
    unsigned __int128 p = 1;
    while (e-- > 0)
        p *= 10;
    return p;
}

/* Fixed decimals, rounded half away from zero or toward zero: the value
 * in units of 10^-dec is computed exactly with one division, then written
 * by num_fmt.  false when f asks for more (then the digits are moved as
 * text), or when the shifted value would not fit. */
static bool fixed_fast(Num x, const ValFmt *f, char *buf)
{
    int dec = f->max_dec, e = NUM_DECIMALS - dec - f->shift;
    if (f->min_dec != dec || dec < 0 || dec > NUM_DECIMALS || f->trim || e < 0 || e > 30 ||
        (f->round != NUM_HALF_UP && f->round != NUM_TRUNC))
        return false;
    unsigned __int128 m = x.v < 0 ? -(unsigned __int128)x.v : (unsigned __int128)x.v;
    unsigned __int128 div = pow10u(e), q = m / div, r = m % div, unit = pow10u(NUM_DECIMALS - dec);
    if (f->round == NUM_HALF_UP && r >= div - r)
        q++;
    if (q > ((unsigned __int128)1 << 126) / unit)
        return false;
    Num z = {(__int128)(q * unit)};
    char *out = buf;
    if (num_sign(x) > 0 && f->plus)
        *out++ = '+';
    num_fmt(num_sign(x) < 0 ? num_neg(z) : z, dec, f->thousands, out);
    if (f->suffix)
        strcat(out, f->suffix);
    return true;
}

/* Rounded to max_dec by fixed_fast, then trailing zeros dropped down to
 * min_dec; false when fixed_fast cannot. */
static bool trimmed_fast(Num x, const ValFmt *f, char *buf)
{
    ValFmt fixed = *f;
    fixed.min_dec = f->max_dec;
    fixed.trim = false;
    fixed.suffix = NULL;
    if (!fixed_fast(x, &fixed, buf))
        return false;
    char *end = buf + strlen(buf), *dot = strchr(buf, '.');
    for (int dec = dot ? (int)(end - dot - 1) : 0; dec > f->min_dec && end[-1] == '0'; dec--)
        *--end = '\0';
    if (end[-1] == '.')
        *--end = '\0';
    if (f->suffix)
        strcat(end, f->suffix);
    return true;
}

char *vf_fmt(Num x, const ValFmt *f, char *buf)
{
    if (f->trim ? trimmed_fast(x, f, buf) : fixed_fast(x, f, buf))
        return buf;
    char d[NUM_BUFSZ + 48];
    int point, n = shifted_digits(x, f->shift, d, &point);
    int dec = decimals_shown(d + point, n - point, f);
    int avail = n - point;
    n = round_digits(d, n, point + (dec < avail ? dec : avail), f, num_sign(x) < 0, &point);
    while (n < point + dec)
        d[n++] = '0';
    while (f->trim && dec > f->min_dec && d[point + dec - 1] == '0')
        dec--;
    bool zero = true;
    for (int i = 0; i < point + dec && zero; i++)
        zero = d[i] == '0';
    char *out = buf;
    if (num_sign(x) < 0 && !zero)
        *out++ = '-';
    else if (num_sign(x) > 0 && f->plus)
        *out++ = '+';
    out = put_integer(out, d, point, f->thousands);
    if (dec > 0) {
        *out++ = '.';
        memcpy(out, d + point, (size_t)dec);
        out += dec;
    }
    *out = '\0';
    if (f->suffix)
        strcat(out, f->suffix);
    return buf;
}

int vf_unit_exp(const char *unit)
{
    static const struct {
        const char *name;
        int exp;
    } units[] = {{"k", 3}, {"万", 4}, {"M", 6}, {"亿", 8}};
    for (size_t i = 0; unit && i < sizeof units / sizeof units[0]; i++)
        if (strcmp(unit, units[i].name) == 0)
            return units[i].exp;
    return 0;
}

char *vf_fixed(Num x, int decimals, bool thousands, char *buf)
{
    return num_fmt(x, decimals, thousands, buf);
}

char *vf_upto(Num x, int max_dec, char *buf)
{
    return vf_fmt(x, &(ValFmt){.max_dec = max_dec, .thousands = true}, buf);
}

char *vf_plan(Num x, int plan_decimals, char *buf)
{
    ValFmt f = {.min_dec = plan_decimals, .max_dec = VF_ALL, .thousands = true};
    return vf_fmt(x, &f, buf);
}

char *vf_percent(Num ratio, int decimals, char *buf)
{
    ValFmt f = {
        .shift = 2, .min_dec = decimals, .max_dec = decimals, .thousands = true, .suffix = "%"};
    return vf_fmt(ratio, &f, buf);
}

char *vf_money(Num x, const char *unit, char *buf)
{
    ValFmt f = {.shift = -vf_unit_exp(unit), .min_dec = 2, .max_dec = 2, .thousands = true};
    return f.shift == 0 ? num_fmt(x, 2, true, buf) : vf_fmt(x, &f, buf);
}

char *vf_amount(Num x, const char *unit, int plan_decimals, char *buf)
{
    int e = vf_unit_exp(unit);
    if (e == 0)
        return vf_plan(x, plan_decimals, buf);
    ValFmt f = {.shift = -e, .min_dec = 2, .max_dec = VF_ALL, .thousands = true, .suffix = unit};
    char two[VF_BUFSZ], base[VF_BUFSZ];
    vf_fmt(x, &f, buf);
    f.max_dec = 2;
    if (strcmp(vf_fmt(x, &f, two), buf) == 0)
        return buf;
    /* more decimals than people read in the unit: the amount in base units too */
    vf_plan(x, plan_decimals, base);
    size_t n = strlen(buf);
    if (n + strlen(base) + 4 <= VF_BUFSZ)
        sprintf(buf + n, " = %s", base);
    return buf;
}

char *vf_display(Num x, ValueKind kind, const char *unit, char *buf)
{
    switch (kind) {
    case VAL_MONEY:
        return vf_money(x, unit, buf);
    case VAL_COUNT:
        return vf_upto(x, 2, buf);
    case VAL_PERCENT:
        return vf_percent(x, 2, buf);
    case VAL_SCORE:
        return vf_fixed(x, 2, true, buf);
    }
    return vf_fixed(x, 2, true, buf);
}
