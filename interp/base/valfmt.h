/* valfmt.h -- numbers written for people (and plainly for files): the one
 * formatter for money, counts, percents and scores, in the plan's display
 * unit (万, 亿, k, M) when asked.
 *
 * Ownership: nothing is allocated or kept; every function writes into the
 * caller's buffer of VF_BUFSZ bytes and returns it.  No floating point:
 * the digits of the exact Num are shifted and rounded as text, so nothing
 * overflows and nothing is rounded twice.  Rounding is half away from zero
 * unless asked otherwise; a value that rounds to zero never shows a minus
 * sign.
 */
#ifndef VALFMT_H
#define VALFMT_H

#include <stdbool.h>

#include "base/num.h"

/* What a column of numbers holds: how tables show it to people. */
typedef enum { VAL_MONEY, VAL_COUNT, VAL_PERCENT, VAL_SCORE } ValueKind;

#define VF_BUFSZ NUM_BUFSZ  /* any formatted Num with sign, separators and suffix (at most 62) */
#define VF_ALL NUM_DECIMALS /* max_dec: every decimal the value has (at most 12) */

typedef struct {
    int shift;          /* the value is shown times 10^shift: 2 for a percent, -4 in 万 */
    int min_dec;        /* decimals shown: the value's own (trailing zeros dropped), */
    int max_dec;        /* at least min_dec and at most max_dec (rounded there) */
    bool trim;          /* after rounding to max_dec, drop trailing zeros down to min_dec */
    NumRound round;     /* how the dropped digits round: NUM_HALF_UP (0, the default), ... */
    bool thousands;     /* ',' between groups of three integer digits */
    bool plus;          /* '+' before a positive value (even one that rounds to zero) */
    const char *suffix; /* appended ("%", "万"), at most 8 bytes; NULL: none */
} ValFmt;

/* x as f says; buf holds VF_BUFSZ bytes. */
char *vf_fmt(Num x, const ValFmt *f, char *buf);

/* The power of ten of a display unit: k 3, 万 4, M 6, 亿 8; any other
 * unit (none, "1", unknown) 0. */
int vf_unit_exp(const char *unit);

/* Fixed decimals, with or without separators ("1,234.50"). */
char *vf_fixed(Num x, int decimals, bool thousands, char *buf);
/* The value's own decimals, at most max_dec, with separators (counts). */
char *vf_upto(Num x, int max_dec, char *buf);
/* At least the plan's decimals, more when the value has more, with
 * separators: "rest would be -0.06" is never shown as 0.00 (messages). */
char *vf_plan(Num x, int plan_decimals, char *buf);
/* A ratio as a percent with separators: 0.9712 -> "97.12%" (decimals 2). */
char *vf_percent(Num ratio, int decimals, char *buf);
/* Money for people: in the display unit, 2 decimals, separators. */
char *vf_money(Num x, const char *unit, char *buf);
/* Money in a message or an answer, where no table heading carries the
 * unit: in the display unit with it as a suffix ("1,400.00万"), at least 2
 * decimals and more when the value has more, then the amount in base units
 * ("359.999999万 = 3,599,999.99": a message never calls two different
 * amounts the same); without a unit (none, "1") as vf_plan with the plan's
 * decimals. */
char *vf_amount(Num x, const char *unit, int plan_decimals, char *buf);
/* A table cell for people by kind: money as vf_money, counts with at most
 * 2 decimals, percents as vf_percent with 2, scores with 2 decimals. */
char *vf_display(Num x, ValueKind kind, const char *unit, char *buf);

#endif
