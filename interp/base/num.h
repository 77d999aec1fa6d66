/* num.h -- exact decimal numbers for money, shares and payouts.
 *
 * A Num is a 128-bit signed fixed-point value with 12 decimal places:
 * value = v / 10^12.  It is a plain value type (no ownership, no heap).
 * Addition, subtraction and comparison are exact; multiplication and
 * division round the exact result to 12 decimals, half-even.  Every
 * operation that could overflow or divide by zero returns a NumStatus
 * instead of producing a wrong number, and writes *out only on NUM_OK.
 * No binary floating point anywhere.
 */
#ifndef NUM_H
#define NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NUM_DECIMALS 12
#define NUM_BUFSZ 80 /* enough for any formatted Num, with separators */

typedef struct {
    __int128 v; /* value * 10^12 */
} Num;

typedef enum {
    NUM_OK = 0,
    NUM_OVERFLOW, /* result does not fit */
    NUM_DIVZERO,  /* division by zero */
    NUM_SYNTAX,   /* malformed literal */
    NUM_PRECISION /* literal has more than 12 decimal places */
} NumStatus;

typedef enum {
    NUM_HALF_UP,   /* ties away from zero */
    NUM_HALF_EVEN, /* ties to the even neighbour */
    NUM_FLOOR,     /* toward -infinity */
    NUM_CEIL,      /* toward +infinity */
    NUM_TRUNC      /* toward zero */
} NumRound;

extern const Num NUM_ZERO;
extern const Num NUM_ONE;
extern const Num NUM_MAX; /* largest Num: v = 2^127 - 1 (about 1.7e26); -NUM_MAX is the least */

/* A short English text for a status ("overflow", "division by zero", ...). */
const char *num_status_str(NumStatus st);

Num num_from_int(int64_t i);
/* num / den rounded half-even to 12 decimals; NUM_DIVZERO when den == 0.
 * Never overflows. */
NumStatus num_from_ratio(int64_t num, int64_t den, Num *out);
/* Whole units of x, rounded with mode; NUM_OVERFLOW when outside int64. */
NumStatus num_to_int(Num x, NumRound mode, int64_t *out);

/* Parse a literal as the lexer sees it: digits with optional '_' between
 * digits, optional '.' and digits, then at most one suffix: "%" (/100),
 * "k" (*10^3), "M" (*10^6), "万" (*10^4), "亿" (*10^8).  No sign, no
 * exponent.  Examples: "1400万", "1_400_000", "12.5", "15%", "2.5k".
 * '_' may also separate fraction digits ("0.000_001").  The '.' needs digits
 * on both sides.  Reads exactly len bytes (s need not be NUL-terminated).
 * NUM_PRECISION when the value has a nonzero digit beyond the 12th decimal
 * after the suffix is applied ("0.000000000001%"); trailing zeros are exact
 * and accepted ("1.50000000000000").  Precedence: NUM_SYNTAX, then
 * NUM_OVERFLOW, then NUM_PRECISION. */
NumStatus num_parse(const char *s, size_t len, Num *out);

NumStatus num_add(Num a, Num b, Num *out);
/* num_add inline, for loops over millions of cells: the same result and
 * status (out unchanged on overflow). */
static inline NumStatus num_add_inline(Num a, Num b, Num *out)
{
    const __int128 max = (__int128)((((unsigned __int128)1) << 127) - 1);
    if (a.v >= 0 ? b.v > max - a.v : b.v < -max - a.v)
        return NUM_OVERFLOW;
    out->v = a.v + b.v;
    return NUM_OK;
}
NumStatus num_sub(Num a, Num b, Num *out);
NumStatus num_mul(Num a, Num b, Num *out);
NumStatus num_div(Num a, Num b, Num *out);
/* a * b / c with one rounding (half-even, to 12 decimals): the product is
 * kept whole, so it may exceed the Num range (a share of a huge value). */
NumStatus num_muldiv(Num a, Num b, Num c, Num *out);
/* a / b rounded to 12 decimals with mode.  NUM_TRUNC keeps what later
 * rounding needs: a truncated quotient rounds half-up to fewer decimals,
 * and compares with any 12-decimal threshold, exactly as the true
 * quotient does (attainment uses it). */
NumStatus num_div_mode(Num a, Num b, NumRound mode, Num *out);
Num num_neg(Num a); /* never overflows: |v| is kept below 2^127 - 1 */
Num num_abs(Num a);
int num_cmp(Num a, Num b); /* -1, 0, 1 */
bool num_is_zero(Num a);
int num_sign(Num a); /* -1, 0, 1 */

/* Round x to a multiple of step (step > 0) with mode.  step <= 0 is
 * NUM_SYNTAX.  round(2.5, 1, HALF_EVEN) = 2; round(2.5, 1, HALF_UP) = 3;
 * round(-2.5, 1, HALF_UP) = -3; round(1234.5678, 0.05, HALF_UP) = 1234.55. */
NumStatus num_round(Num x, Num step, NumRound mode, Num *out);

/* Shortest exact decimal text: "1400000", "0.15", "-3.000000000001".
 * Writes into buf (NUM_BUFSZ bytes) and returns buf. */
char *num_str(Num x, char *buf);

/* Fixed decimals (0..12; values outside are clamped), rounded half-up from
 * the exact value; with thousands = true, groups integer digits with ','
 * ("14,000,000.00").
 * Never prints "-0.00": a value that rounds to zero prints unsigned.
 * Returns buf (NUM_BUFSZ bytes). */
char *num_fmt(Num x, int decimals, bool thousands, char *buf);

/* Number of decimals in the shortest text of x (0 for integers, 2 for 0.01). */
int num_decimals(Num x);

/* Exact long division of hi * 2^nbits + lo by d, for 0 < d, hi < d,
 * lo < 2^nbits and nbits <= 128, when the quotient fits in 128 bits:
 * *q the quotient, *r the remainder. */
void num_long_div(unsigned __int128 hi, unsigned __int128 lo, int nbits, unsigned __int128 d,
                  unsigned __int128 *q, unsigned __int128 *r);

#endif
