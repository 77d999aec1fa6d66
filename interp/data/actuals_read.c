/* actuals_read.c -- act_load: streams one actuals source into the store
 * (SPEC §9; the reading rules are in actuals.h), through the row-source
 * interface (source.h): it never sees a file.
 *
 * Two row paths: fast_add takes the common row (a YYYY-MM-DD date, names
 * found as written, plain short decimals) without a diagnostic in sight
 * (fast_add_one when the source has one level column and one metric
 * column: the same checks with the row's values in registers); any other
 * row goes to add_row, which trims, checks everything and reports.  Neither
 * allocates (but add_row for a name it does not find that is not ASCII: it
 * looks for its NFC form): names are found in one open-addressing table
 * per level, and both hand a row's values to the store's one write path
 * (ac_put), for the deepest member the row names; the common rows' adds
 * are held back a few rows behind a prefetch of their cell (Pending in
 * actuals_int.h), written before ac_read_range returns; ac_roll_up adds
 * those to the ancestors after each source.  A big source is read by
 * several threads (actuals_threads.c), each running ac_read_range over a
 * part of it.  It must never keep rows or use floating point.
 */
#include "data/actuals_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ident.h"

/* ---- numbers ---- */

static const int64_t pow10_tab[13] = {
    1,        10,        100,        1000,        10000,        100000,       1000000,
    10000000, 100000000, 1000000000, 10000000000, 100000000000, 1000000000000};

/* The 1..8 bytes p[0..m) as one word, p[0] in its byte 8 - m and p[m - 1]
 * in its byte 7 (the text's order, right-aligned), the bytes below '0':
 * the digits of the text with leading zeros.  Loads only inside p[0..m). */
static inline uint64_t right_aligned(const unsigned char *p, size_t m)
{
    uint32_t lo, hi;
    if (m < 4) {
        uint64_t w = 0x3030303030303030ull;
        for (size_t i = 0; i < m; i++)
            w = w >> 8 | (uint64_t)p[i] << 56;
        return w;
    }
    memcpy(&lo, p, 4);
    memcpy(&hi, p + m - 4, 4);
    unsigned pad = (unsigned)(8 - m) * 8;
    uint64_t zeros = pad ? 0x3030303030303030ull >> (64 - pad) : 0;
    return (uint64_t)hi << 32 | (uint64_t)lo << pad | zeros;
}

/* The value of a word of 8 ASCII digits, the first in byte 0 (false when
 * some byte is no digit). */
static inline bool eight_digits(uint64_t w, uint64_t *out)
{
    uint64_t d = w - 0x3030303030303030ull;
    if ((w & 0xF0F0F0F0F0F0F0F0ull) != 0x3030303030303030ull ||
        ((d + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) != 0)
        return false;
    d = d * 10 + (d >> 8); /* each byte pair: its two digits' value in its low byte */
    d = ((d & 0x000000FF000000FFull) * (100 + (1000000ull << 32)) +
         ((d >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32))) >>
        32;
    *out = d;
    return true;
}

/* A plain decimal ("-1234.56": at most 18 digits, at most 12 after the
 * point, nothing else) as a Num's scaled value; false for anything else.
 * Up to 8 bytes after the sign are read as one word (no loop, no branch
 * on the length); longer ones in one pass over the bytes. */
static inline bool fast_decimal(const char *s, size_t n, __int128 *out)
{
    size_t neg = s[0] == '-';
    if (n - neg - 1 > 18) /* 1..19 bytes after the sign */
        return false;
    const unsigned char *p = (const unsigned char *)s + neg, *e = (const unsigned char *)s + n;
    uint64_t v = 0;
    size_t nf = 0, m = n - neg;
    if (m <= 8) {
        uint64_t w = right_aligned(p, m), z = w ^ 0x2E2E2E2E2E2E2E2Eull;
        uint64_t dots = ~(((z & 0x7F7F7F7F7F7F7F7Full) + 0x7F7F7F7F7F7F7F7Full) | z) &
                        0x8080808080808080ull; /* the high bit of each '.' byte */
        if (dots) {
            unsigned k = (unsigned)__builtin_ctzll(dots) / 8; /* the first point's byte */
            if ((dots & (dots - 1)) || k == 8 - m || k == 7)
                return false; /* two points, or one first or last */
            uint64_t below = ((uint64_t)1 << (8 * k)) - 1;
            w = (w & ~below & ~((uint64_t)0xFF << (8 * k))) | (w & below) << 8 | 0x30;
            nf = 7 - k;
        }
        if (!eight_digits(w, &v))
            return false;
    } else {
        const unsigned char *dot = NULL;
        for (; p < e; p++) {
            unsigned d = (unsigned)*p - '0';
            if (__builtin_expect(d <= 9, 1))
                v = v * 10 + d;
            else if (*p == '.' && !dot)
                dot = p;
            else
                return false;
        }
        if (dot) { /* a point between digits, then 1 to 12 digits */
            nf = (size_t)(e - dot - 1);
            if (dot == (const unsigned char *)s + neg || nf < 1 || nf > 12)
                return false;
        }
    }
    __int128 x = (__int128)v * pow10_tab[12 - nf];
    *out = neg ? -x : x;
    return true;
}

/* ---- member tables ---- */

static inline uint64_t load64(const char *s)
{
    uint64_t w;
    memcpy(&w, s, 8);
    return w;
}

/* Two words that hold every byte of a key of at most 16 bytes (with its
 * length they identify it), and a prefilter for longer keys. */
static inline void key_words(const char *s, size_t n, uint64_t *a, uint64_t *b)
{
    if (n >= 8) {
        *a = load64(s);
        *b = load64(s + n - 8);
    } else if (n >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, s, 4);
        memcpy(&hi, s + n - 4, 4);
        *a = lo | (uint64_t)hi << 32;
        *b = 0;
    } else {
        *a = n ? (unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
                     (uint64_t)(unsigned char)s[n - 1] << 16
               : 0;
        *b = 0;
    }
}

static inline uint64_t key_hash(const char *s, size_t n, uint64_t a, uint64_t b)
{
    uint64_t h = (a ^ (n * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull;
    for (size_t i = 8; i + 8 < n; i += 8) /* the middle of a long key */
        h = (h ^ (h >> 29) ^ load64(s + i)) * 0xBF58476D1CE4E5B9ull;
    h = (h ^ (h >> 32) ^ b) * 0x94D049BB133111EBull;
    return h; /* the table takes its high bits, which every input bit reaches */
}

/* The slot of s[0..n) (n > 0), or of the empty slot where it would go. */
static inline __attribute__((always_inline)) size_t map_slot(const LevelMap *lm, const char *s,
                                                             size_t n)
{
    uint64_t a, b;
    key_words(s, n, &a, &b);
    size_t i = (size_t)(key_hash(s, n, a, b) >> lm->shift);
    for (;; i = (i + 1) & lm->mask) {
        const LEntry *e = &lm->e[i];
        if (!e->len || (e->a == a && (e->len & LEN_MASK) == n &&
                        (n <= 8 || (lm->b[i] == b && (n <= 16 || memcmp(lm->keys[i], s, n) == 0)))))
            return i;
    }
}

/* The member's gindex, AMBIGUOUS, or -1 when nothing has this name. */
static inline __attribute__((always_inline)) int32_t map_find(const LevelMap *lm, const char *s,
                                                              size_t n)
{
    const LEntry *e = &lm->e[map_slot(lm, s, n)];
    return e->len ? e->g : -1;
}

/* Names come first; a label another member of the level also has becomes
 * ambiguous; a label equal to a name is that name. */
static void map_put(LevelMap *lm, const char *key, int32_t g, bool label)
{
    size_t n = strlen(key), i = map_slot(lm, key, n);
    LEntry *e = &lm->e[i];
    if (e->len) {
        if ((e->len & LABEL_BIT) && e->g != g)
            e->g = AMBIGUOUS;
        return;
    }
    key_words(key, n, &e->a, &lm->b[i]);
    e->len = (uint32_t)n | (label ? LABEL_BIT : 0);
    e->g = g;
    lm->keys[i] = key;
}

LevelMap *ac_level_map(Actuals *a, const Dim *d, int dim, int depth)
{
    LevelMap *lm = &a->maps[dim][depth];
    if (lm->e)
        return lm;
    size_t keys = 0, cap = 16;
    for (size_t k = 0; k < a->nmem[dim]; k++) {
        const Member *m = d->members[k];
        keys += m->depth == depth ? 1 + (m->label != NULL) : 0;
    }
    while (cap < 3 * keys) /* at most a third full */
        cap *= 2;
    lm->e = xcalloc(cap, sizeof *lm->e);
    lm->b = xcalloc(cap, sizeof *lm->b);
    lm->keys = xcalloc(cap, sizeof *lm->keys);
    lm->mask = cap - 1;
    lm->shift = 64 - __builtin_ctzll(cap);
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < a->nmem[dim]; k++) {
            Member *m = d->members[k];
            const char *key = pass ? m->label : m->name;
            if (m->depth == depth && !m->pseudo && key && *key && strlen(key) <= LEN_MASK)
                map_put(lm, key, m->gindex, pass == 1);
        }
    return lm;
}

void ac_level_maps_free(Actuals *a)
{
    for (int d = 0; d < a->ndims; d++)
        for (int l = 0; l < a->nlevels[d]; l++) {
            free(a->maps[d][l].e);
            free(a->maps[d][l].b);
            free(a->maps[d][l].keys);
            a->maps[d][l] = (LevelMap){0};
        }
}

/* ---- rows ---- */

/* Counts a row that lenient skips; remembers the first for the warning. */
static int skip_row(Loader *ld, const SrcRow *row, long fi, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int skip_row(Loader *ld, const SrcRow *row, long fi, const char *fmt, ...)
{
    if (ld->skipped == 0) {
        ld->skip_loc = ac_row_loc(ld, row, fi);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ld->skip_msg, sizeof ld->skip_msg, fmt, ap);
        va_end(ap);
    }
    ld->skipped += row->weight;
    return 0;
}

/* The closest name or label at the level, for a did-you-mean. */
static const char *closest_member(const LevelCol *c, const char *word)
{
    int limit = (int)strlen(word) / 3 + 1;
    limit = limit > 3 ? 3 : limit;
    const char *best = NULL;
    int best_d = limit + 1;
    for (size_t i = 0; i <= c->map->mask; i++) {
        const char *key = c->map->keys[i];
        if (!key || c->map->e[i].g == AMBIGUOUS)
            continue;
        int d = edit_distance(word, key, limit);
        if (d < best_d || (d == best_d && best && strcmp(key, best) < 0)) {
            best = key;
            best_d = d;
        }
    }
    return best_d <= limit ? best : NULL;
}

static int unknown_member(Loader *ld, const SrcRow *row, const LevelCol *c, const char *s, size_t n)
{
    const char *lv = c->level->name;
    if (ld->lenient)
        return skip_row(ld, row, c->field, "unknown %s '%.*s%s'", lv, QUOTED(s, n));
    ac_report(ld, ac_row_loc(ld, row, c->field), "unknown %s '%.*s%s'", lv, QUOTED(s, n));
    char *word = xstrndup(s, n);
    const char *sug = closest_member(c, word);
    Member *other = strmap_get(&ld->a->s->dims[c->dim]->by_name, word);
    if (other && other->depth != c->level->depth)
        ac_note(ld, "'%.*s%s' is a %s, not a %s", QUOTED(s, n),
                other->dim->levels[other->depth].name, lv);
    else if (sug)
        ac_note(ld, "did you mean '%s'?", sug);
    ac_note(ld, "column '%s' holds the names or labels of level '%s'; --lenient skips such rows",
            ld->names[c->field], lv);
    free(word);
    return -1;
}

/* The member a level cell names (-1 for a blank cell) into *g: 1, or 0
 * when the row is skipped, or -1 after reporting. */
static int find_member_slow(Loader *ld, const SrcRow *row, const LevelCol *c, int32_t *g)
{
    const char *s = row->fields[c->field];
    size_t n = row->lens[c->field];
    cval_trim(&s, &n);
    *g = n ? map_find(c->map, s, n) : -1;
    if (*g == -1 && n) { /* members are named in NFC: a decomposed é is the same name */
        char *nfc = ident_nfc(s, n);
        if (nfc)
            *g = map_find(c->map, nfc, strlen(nfc));
        free(nfc);
    }
    if (!n || *g >= 0)
        return 1;
    if (*g == -1)
        return unknown_member(ld, row, c, s, n);
    if (ld->lenient)
        return skip_row(ld, row, c->field, "%s label '%.*s%s' is ambiguous", c->level->name,
                        QUOTED(s, n));
    ac_report(ld, ac_row_loc(ld, row, c->field), "%s label '%.*s%s' is ambiguous", c->level->name,
              QUOTED(s, n));
    ac_note(ld, "several members of level '%s' have this label; use their names", c->level->name);
    return -1;
}

static inline int32_t ancestor_at(const Link *links, int32_t g, int depth)
{
    while (g >= 0 && links[g].depth > depth)
        g = links[g].up;
    return g;
}

/* The deeper column names member g, which is not under the shallower one. */
static int contradiction(Loader *ld, const SrcRow *row, const LevelCol *deep, const LevelCol *up,
                         int32_t g)
{
    const char *s = row->fields[up->field], *ds = row->fields[deep->field];
    size_t n = row->lens[up->field], dn = row->lens[deep->field];
    cval_trim(&s, &n);
    cval_trim(&ds, &dn);
    const Dim *d = ld->a->s->dims[deep->dim];
    int32_t real = ancestor_at(ld->a->links[deep->dim], g, up->level->depth);
    const char *rn = real >= 0 ? d->members[real]->name : "?";
    if (ld->lenient)
        return skip_row(ld, row, up->field, "%s '%.*s%s' is under %s '%s', not '%.*s%s'",
                        deep->level->name, QUOTED(ds, dn), up->level->name, rn, QUOTED(s, n));
    ac_report(ld, ac_row_loc(ld, row, up->field), "%s '%.*s%s' is under %s '%s', not '%.*s%s'",
              deep->level->name, QUOTED(ds, dn), up->level->name, rn, QUOTED(s, n));
    ac_note(ld,
            "the level columns of one row must name members on one branch of '%s'; "
            "--lenient skips such rows",
            d->name);
    return -1;
}

/* Finds the deepest member of each dimension the row names: 1, 0 when the
 * row is skipped (lenient), -1 after reporting. */
static int row_members(Loader *ld, const SrcRow *row)
{
    for (int gr = 0; gr < ld->ngroups; gr++) {
        int first = ld->gstart[gr], last = ld->gstart[gr + 1], di = -1;
        for (int i = first; i < last; i++) {
            const LevelCol *c = &ld->lc[i];
            size_t n = row->lens[c->field];
            int32_t g = n ? map_find(c->map, row->fields[c->field], n) : -1;
            if (__builtin_expect(n && g < 0, 0)) {
                int rc = find_member_slow(ld, row, c, &g);
                if (rc <= 0)
                    return rc;
            }
            ld->found[i] = g;
            if (g >= 0)
                di = i;
        }
        ld->deep[gr] = di >= 0 ? ld->found[di] : -1;
        const Link *links = ld->a->links[ld->gdim[gr]];
        for (int i = first; i < di; i++) {
            int32_t up = ld->found[i];
            if (up >= 0 && ancestor_at(links, ld->deep[gr], links[up].depth) != up)
                return contradiction(ld, row, &ld->lc[di], &ld->lc[i], ld->deep[gr]);
        }
    }
    return 1;
}

/* The row's fiscal month 0..11; -1 outside the fiscal year, -2 after reporting. */
static int row_month(Loader *ld, const SrcRow *row)
{
    const char *s = row->fields[ld->time_field];
    size_t n = row->lens[ld->time_field];
    int y, m;
    if (!(ld->time_is_date && cval_date(s, n, &y, &m))) {
        cval_trim(&s, &n);
        const char *col = ld->names[ld->time_field];
        if (ld->time_is_date && !cval_date(s, n, &y, &m)) {
            ac_report(ld, ac_row_loc(ld, row, ld->time_field),
                      "bad date '%.*s%s' in column '%s' (expected YYYY-MM-DD)", QUOTED(s, n), col);
            return -2;
        }
        if (!ld->time_is_date) {
            int kind = cval_month(s, n, &y, &m);
            if (kind == CVAL_BAD_MONTH) {
                ac_report(ld, ac_row_loc(ld, row, ld->time_field),
                          "bad month '%.*s%s' in column '%s' (expected YYYY-MM or a month number "
                          "1-12)",
                          QUOTED(s, n), col);
                return -2;
            }
            if (kind == CVAL_MONTH_NUMBER)
                y = ld->a->s->year + (m < ld->a->s->start_month);
        }
    }
    int idx = y * 12 + m - 1 - ld->fy_start;
    return idx >= 0 && idx < 12 ? idx : -1;
}

/* A value that is not a plain short decimal: 1 with *v, 0 for a blank
 * cell, -1 after reporting. */
static int value_slow(Loader *ld, const SrcRow *row, const MetricCol *mc, Num *v)
{
    const char *s = row->fields[mc->field];
    size_t n = row->lens[mc->field];
    cval_trim(&s, &n);
    if (n == 0)
        return 0;
    NumStatus st = cval_decimal(s, n, mc->pct, v);
    if (st == NUM_OK)
        return 1;
    const char *col = ld->names[mc->field];
    Loc at = ac_row_loc(ld, row, mc->field);
    if (st == NUM_PRECISION) {
        ac_report(ld, at, "number '%.*s%s' in column '%s' has more than 12 decimals", QUOTED(s, n),
                  col);
    } else if (st == NUM_OVERFLOW) {
        ac_report(ld, at, "number '%.*s%s' in column '%s' is too large", QUOTED(s, n), col);
    } else {
        ac_report(ld, at, "bad number '%.*s%s' in column '%s'", QUOTED(s, n), col);
        ac_note(ld,
                "values are plain decimals such as 1234.5 or -89.10%s: no thousands separators, "
                "exponents, '+' or units",
                mc->pct ? ", or percents such as 95%" : "");
    }
    return -1;
}

/* Hands a row's checked values (has[i]: metric column i has one), the sum
 * of count rows, to the store's write path, for month and the members
 * deep[]. */
static inline __attribute__((always_inline)) void accumulate(Loader *ld, Pending *pd, int month,
                                                             int week, const int32_t *deep,
                                                             const Num *vals, const bool *has,
                                                             uint64_t count, const long *counts)
{
    int ndims = ld->a->ndims;
    size_t stride = ld->a->stride;
    for (int i = 0; i < ld->nmc; i++) {
        if (!has[i])
            continue;
        uint64_t n = counts ? (uint64_t)counts[ld->mc[i].field] : count;
        ac_put(pd, ld->mc[i].ms, ndims, ld->gdim, deep, ld->ngroups, month, stride, week, vals[i].v,
               n);
        ld->months |= 1u << month;
        if (week >= 0)
            ld->weeks |= (uint64_t)1 << week;
    }
}

/* The week of the row's date (a plan with a weekly review), else -1. */
static int row_week(const Loader *ld, const SrcRow *row)
{
    if (!ld->a->wk)
        return -1;
    const char *s = row->fields[ld->time_field];
    size_t n = row->lens[ld->time_field];
    int day;
    cval_trim(&s, &n);
    if (!wk_parse_date(s, n, &day))
        return -1;
    int i = wk_index_of(ld->a->wk, day);
    return i < 0 ? -1 : wk_week_of(ld->a->wk, i);
}

/* Parses, checks and adds the row's values: 1, or -1 after reporting. */
static int row_values(Loader *ld, const SrcRow *row, int month)
{
    for (int i = 0; i < ld->nmc; i++) {
        const MetricCol *mc = &ld->mc[i];
        size_t n = row->lens[mc->field];
        ld->has[i] = n > 0;
        if (n && !fast_decimal(row->fields[mc->field], n, &ld->vals[i].v)) {
            int rc = value_slow(ld, row, mc, &ld->vals[i]);
            if (rc < 0)
                return -1;
            ld->has[i] = rc > 0;
        }
    }
    for (int i = 0; i < ld->nmc; i++)
        if (ld->has[i] && !bound_add(ld->mc[i].ms, ld->vals[i].v)) {
            ld->over_bound = true;
            ac_report(ld, ac_row_loc(ld, row, ld->mc[i].field),
                      "the values of '%s' add up to more than the largest number (about 1.7e26)",
                      ld->mc[i].ms->metric->name);
            return -1;
        }
    accumulate(ld, NULL, month, row_week(ld, row), ld->deep, ld->vals, ld->has,
               (uint64_t)row->weight, row->counts);
    return 1;
}

/* One data row: 1 added, 0 skipped, -1 after reporting. */
static int add_row(Loader *ld, const SrcRow *row)
{
    if (row->nfields != ld->nheader) {
        long fi = row->nfields > ld->nheader ? (long)ld->nheader : -1;
        ac_report(ld, ac_row_loc(ld, row, fi), "row has %zu field%s but the header has %zu",
                  row->nfields, row->nfields == 1 ? "" : "s", ld->nheader);
        if (row->nfields > ld->nheader)
            ac_note(ld, "a value holding ',' must be quoted: \"12,3\"");
        return -1;
    }
    int month = row_month(ld, row);
    if (month == -1) {
        if (ld->outside == 0)
            ld->outside_loc = ac_row_loc(ld, row, ld->time_field);
        ld->outside += row->weight;
        return 0;
    }
    if (month < 0)
        return -1;
    int rc = row_members(ld, row);
    return rc <= 0 ? rc : row_values(ld, row, month);
}

/* The members a common row names: each found by exact name or label, the
 * row's columns of one dimension on one branch.  False when the slow path
 * must look. */
static inline bool fast_members(Loader *ld, const SrcRow *row)
{
    for (int i = 0; i < ld->nlc; i++) {
        const LevelCol *c = &ld->lc[i];
        size_t n = row->lens[c->field];
        ld->found[i] = n ? map_find(c->map, row->fields[c->field], n) : -1;
        if (n && ld->found[i] < 0)
            return false;
    }
    for (int gr = 0; gr < ld->ngroups; gr++) {
        int first = ld->gstart[gr], di = ld->gstart[gr + 1] - 1;
        while (di >= first && ld->found[di] < 0)
            di--;
        ld->deep[gr] = di >= first ? ld->found[di] : -1;
        const Link *links = ld->a->links[ld->gdim[gr]];
        for (int i = first; i < di; i++) {
            int32_t up = ld->found[i];
            if (up >= 0 && ancestor_at(links, ld->deep[gr], links[up].depth) != up)
                return false;
        }
    }
    return true;
}

/* The values of a common row: plain short decimals within their metrics'
 * bounds (add_row reports a bound passed).  False when the slow path must
 * look. */
static inline bool fast_values(Loader *ld, const SrcRow *row)
{
    for (int i = 0; i < ld->nmc; i++) {
        size_t f = (size_t)ld->mc[i].field;
        ld->has[i] = row->lens[f] > 0;
        if (ld->has[i] && !fast_decimal(row->fields[f], row->lens[f], &ld->vals[i].v))
            return false;
    }
    for (int i = 0; i < ld->nmc; i++)
        if (ld->has[i] && !bound_fits(ld->mc[i].ms, ld->vals[i].v))
            return false;
    return true;
}

/* The common row, checked without diagnostics: a YYYY-MM-DD date in the
 * fiscal year, fast_members, fast_values.  Adds it and returns true, or
 * returns false without changing anything: add_row then reads it again
 * and reports. */
static bool fast_add(Loader *ld, const SrcRow *row)
{
    int y, m;
    size_t tf = (size_t)ld->time_field;
    if (row->nfields != ld->nheader || !ld->time_is_date ||
        !cval_date(row->fields[tf], row->lens[tf], &y, &m))
        return false;
    unsigned month = (unsigned)(y * 12 + m - 1 - ld->fy_start);
    if (month >= 12 || !fast_members(ld, row) || !fast_values(ld, row))
        return false;
    for (int i = 0; i < ld->nmc; i++)
        if (ld->has[i])
            ld->mc[i].ms->room -= ld->vals[i].v < 0 ? -ld->vals[i].v : ld->vals[i].v;
    int week = row_week(ld, row);
    if (__builtin_expect(row->weight == 1, 1)) /* a constant count: one increment per cell */
        accumulate(ld, &ld->pending, (int)month, week, ld->deep, ld->vals, ld->has, 1, NULL);
    else
        accumulate(ld, &ld->pending, (int)month, week, ld->deep, ld->vals, ld->has,
                   (uint64_t)row->weight, row->counts);
    return true;
}

/* fast_add for the usual shape: one level column, one metric column, a
 * date column and no weeks (one_column_shape).  The same checks and the
 * same adds, with the row's few values kept in registers. */
static inline bool fast_add_one(Loader *ld, const SrcRow *row)
{
    int y, m;
    size_t tf = (size_t)ld->time_field;
    if (row->nfields != ld->nheader || !cval_date(row->fields[tf], row->lens[tf], &y, &m))
        return false;
    unsigned month = (unsigned)(y * 12 + m - 1 - ld->fy_start);
    const LevelCol *c = ld->lc;
    size_t n = row->lens[c->field];
    int32_t g = n ? map_find(c->map, row->fields[c->field], n) : -1;
    if (month >= 12 || (n && g < 0))
        return false;
    size_t f = (size_t)ld->mc->field;
    if (row->lens[f] == 0)
        return true; /* nothing to add */
    __int128 v;
    MStore *ms = ld->mc->ms;
    if (!fast_decimal(row->fields[f], row->lens[f], &v) || !bound_fits(ms, v))
        return false;
    ms->room -= v < 0 ? -v : v;
    ld->months |= 1u << month;
    uint64_t count = row->weight == 1 ? 1
                     : row->counts    ? (uint64_t)row->counts[f]
                                      : (uint64_t)row->weight;
    ac_put(&ld->pending, ms, ld->a->ndims, ld->gdim, &g, 1, (int)month, ld->a->stride, -1, v,
           count);
    return true;
}

/* Whether fast_add_one can take the source's common rows. */
static bool one_column_shape(const Loader *ld)
{
    return ld->nlc == 1 && ld->ngroups == 1 && ld->nmc == 1 && ld->time_is_date && !ld->a->wk;
}

/* ---- a source ---- */

/* Reports the error the source's reader found. */
static void read_error(Loader *ld)
{
    long line, col;
    const char *msg = src_error(ld->src, &line, &col);
    if (line <= 0)
        ac_report(ld, ld->at, "%s: %s", ld->shown, msg ? msg : "read error");
    else
        ac_report(ld, ac_error_loc(ld, line, col), "%s", msg ? msg : "read error");
}

/* src_next, skipping blank lines; reports a reader error. */
static inline int next_record(Loader *ld, SrcRow *row)
{
    int rc;
    while ((rc = src_next(ld->src, row)) > 0 && src_blank(row))
        ;
    if (__builtin_expect(rc < 0, 0))
        read_error(ld);
    return rc;
}

/* The header record (blank lines before it skipped): 0, or -1 after
 * reporting. */
static int read_header(Loader *ld)
{
    SrcRow row;
    int rc = src_header(ld->src, &row);
    while (rc > 0 && src_blank(&row))
        rc = src_next(ld->src, &row);
    if (rc < 0) {
        read_error(ld);
        return -1;
    }
    if (rc == 0) {
        Buf empty = {0};
        Source *s = ac_csv_source(ld, 1, &empty);
        ac_report(ld, (Loc){s, 1, 1, 1, 1}, "empty file: a header row is expected");
        return -1;
    }
    return ac_read_header(ld, &row) ? 0 : -1;
}

int ac_read_range(Loader *ld)
{
    SrcRow row;
    int rc = 1;
    bool one = one_column_shape(ld);
    while (ld->errors < ACT_MAX_ERRORS && (rc = next_record(ld, &row)) > 0) {
        ld->rows += row.weight;
        if (!(one ? fast_add_one(ld, &row) : fast_add(ld, &row)))
            add_row(ld, &row);
    }
    pending_flush(&ld->pending);
    return rc;
}

int ac_read_rest(Loader *ld)
{
    int rc = ac_read_range(ld);
    if (ld->errors >= ACT_MAX_ERRORS) {
        ac_note(ld, "stopped reading %s after %d errors", ld->shown, ACT_MAX_ERRORS);
        return -1;
    }
    return rc < 0 || ld->errors ? -1 : 0;
}

/* The warnings at the end of a file: rows outside the year, rows skipped. */
static void warn_skipped(Loader *ld)
{
    Symbols *s = ld->a->s;
    Diags *d = ld->a->p->diags;
    int last = ld->fy_start + 11;
    if (ld->outside)
        diag_warning(d, ld->outside_loc, "%ld row%s outside FY%d (%04d-%02d .. %04d-%02d) skipped",
                     ld->outside, ld->outside == 1 ? "" : "s", s->year, ld->fy_start / 12,
                     ld->fy_start % 12 + 1, last / 12, last % 12 + 1);
    if (ld->skipped)
        diag_warning(d, ld->skip_loc, "--lenient: %ld row%s skipped (first at %s:%d: %s)",
                     ld->skipped, ld->skipped == 1 ? "" : "s", ld->shown, ld->skip_loc.line,
                     ld->skip_msg);
    ld->a->skipped += ld->skipped;
    ld->a->outside += ld->outside;
}

static void loader_free(Loader *ld)
{
    for (size_t i = 0; ld->names && i < ld->nheader; i++)
        free(ld->names[i]);
    free(ld->names);
    free(ld->lc);
    free(ld->gstart);
    free(ld->gdim);
    free(ld->mc);
    free(ld->found);
    free(ld->deep);
    free(ld->vals);
    free(ld->has);
    buf_free(&ld->scratch);
}

/* Tells a source that aggregates (a database's table) what to read: the
 * level columns and the time column grouped by, the metric columns summed
 * (the fiscal year's dates only).  0, or -1 after reporting. */
static int request_groups(Loader *ld)
{
    if (!src_is_table(ld->src))
        return 0;
    SrcRole *roles = xcalloc(ld->nheader + 1, sizeof *roles);
    int months = ld->a->p->actuals_months;
    roles[ld->time_field] = ld->time_is_date ? SRC_DATE : SRC_MONTH;
    for (int i = 0; i < ld->nlc; i++)
        roles[ld->lc[i].field] = SRC_KEY;
    for (int i = 0; i < ld->nmc; i++)
        roles[ld->mc[i].field] = SRC_VALUE;
    SrcRequest rq = {.roles = roles,
                     .n = ld->nheader,
                     .by_day = ld->a->wk != NULL,
                     .first_month = ld->fy_start,
                     .last_month = ld->fy_start + (months > 0 && months < 12 ? months - 1 : 11),
                     .prepare_only = ld->a->p->sources_checked};
    int rc = src_request(ld->src, &rq);
    free(roles);
    if (rc < 0)
        read_error(ld);
    return rc;
}

/* False, after reporting, when the source is a file read already for one
 * of the metrics its header maps (every row would count twice); else it
 * is remembered. */
static bool first_reading(Loader *ld)
{
    Actuals *a = ld->a;
    unsigned long long dev, ino;
    if (!src_file_identity(ld->src, &dev, &ino))
        return true;
    for (int i = 0; i < a->nread; i++) {
        if (a->read[i].dev != dev || a->read[i].ino != ino)
            continue;
        for (int j = 0; j < ld->nmc; j++) {
            const MStore *ms = ld->mc[j].ms;
            if (!a->read[i].metrics[ms - a->ms])
                continue;
            ac_report(ld, ld->at, "%s is read twice for %s: every row would count twice", ld->shown,
                      ms->metric->name);
            if (a->read[i].at.src)
                diag_note(a->p->diags, a->read[i].at, "first read here");
            ac_note(ld, "name each file once (another path or a link to it is the same file), "
                        "or map other metrics from it");
            return false;
        }
    }
    a->read = xrealloc(a->read, (size_t)(a->nread + 1) * sizeof *a->read);
    a->read[a->nread].dev = dev;
    a->read[a->nread].ino = ino;
    a->read[a->nread].at = ld->at;
    a->read[a->nread].metrics = xcalloc((size_t)a->nms + 1, sizeof(bool));
    for (int j = 0; j < ld->nmc; j++)
        a->read[a->nread].metrics[ld->mc[j].ms - a->ms] = true;
    a->nread++;
    return true;
}

int act_load_source(Actuals *a, RowSource *src, const Node *mapping, Loc at, bool lenient)
{
    Loader ld = {.a = a,
                 .at = at,
                 .src = src,
                 .shown = src_name(src),
                 .mapping = mapping,
                 .lenient = lenient,
                 .src_index = -1};
    ld.fy_start = a->s->year * 12 + a->s->start_month - 1;
    int rc = read_header(&ld);
    if (rc == 0 && !first_reading(&ld))
        rc = -1;
    if (rc == 0)
        rc = request_groups(&ld);
    if (rc == 0) {
        int threads = ac_thread_count(src);
        rc = threads > 1 ? ac_read_threads(&ld, threads) : ac_read_rest(&ld);
    }
    warn_skipped(&ld);
    a->rows += ld.rows;
    a->months |= ld.months;
    a->weeks |= ld.weeks;
    ac_roll_up(a);
    loader_free(&ld);
    return rc;
}

int act_load(Actuals *a, const char *path, const char *shown, const Node *mapping, Loc at,
             bool lenient)
{
    char *emsg = NULL;
    RowSource *src = src_open(path, shown, &emsg);
    if (!src) {
        diag_error(a->p->diags, at, "%s", emsg ? emsg : "cannot open the file");
        a->p->data_error = true;
        free(emsg);
        return -1;
    }
    int rc = act_load_source(a, src, mapping, at, lenient);
    src_close(src);
    return rc;
}
