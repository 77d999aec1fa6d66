/* actuals.c -- streams actuals CSV files (SPEC §9) into exact per-member,
 * per-month sums; the reading rules are in actuals.h.
 *
 * Two row paths: fast_add takes the common row (a YYYY-MM-DD date, names
 * found as written, plain short decimals) without a diagnostic in sight;
 * any other row goes to add_row, which trims, checks everything and
 * reports.  Neither allocates: names are found in one open-addressing
 * table per level, and a value is added to the cells of the deepest member
 * the row names; roll_up adds those to the ancestors after each file.  It
 * must never keep rows, use floating point, or read a plan's path without
 * prog_data_path.
 */
#include "actuals.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"

#define SHOW_MAX 4096 /* bytes of a CSV line kept for a diagnostic's excerpt */
#define QUOTE_MAX 60  /* bytes of a cell quoted in a message */

/* The (member, month) cells of one metric and dimension, [gindex * 12 +
 * month]: a sum is lo + hi, where lo takes every value that fits in 64 bits
 * until it would overflow and then moves to hi; a row count is n + nhi.
 * The per-row path touches only lo and n, in two arrays (the cache misses
 * of a big roster are what a load costs, and two small arrays measured
 * faster than one of 12- or 16-byte cells), and only of the deepest member
 * a row names; hi and nhi are allocated when first needed.  After each
 * file roll_up adds every member's cells into sum and cnt of the member
 * and its ancestors: what queries read. */
typedef struct {
    int64_t *lo; /* NULL: no file gave this dimension for the metric */
    uint32_t *n;
    Num *sum; /* after roll_up: lo + hi of the member and all under it */
    long *cnt;
    size_t size;
    Num *hi;
    int64_t *nhi;
} Cells;

typedef struct {
    const Node *metric;
    bool has_column; /* some file had a column for it */
    Cells *cells;    /* per dimension; [ndims]: the plan total (12 cells) */
    __int128 room;   /* the largest Num minus the sum of |value| of every row so
                      * far: keeping it >= 0 bounds every partial sum */
} MStore;

/* A slot of a level's open-addressing table of names and labels: the key
 * itself when it has at most 16 bytes, so a lookup touches one slot. */
typedef struct {
    uint64_t a, b; /* key_words of the key */
    uint32_t len;  /* | LABEL_BIT for a label; 0: an empty slot */
    int32_t g;     /* the member's gindex, or AMBIGUOUS */
} LEntry;

#define LABEL_BIT 0x80000000u
#define LEN_MASK 0x7FFFFFFFu
#define AMBIGUOUS (-2)

typedef struct {
    LEntry *e;         /* mask + 1 slots, at most half full */
    const char **keys; /* the key of each slot (for longer keys and suggestions) */
    size_t mask;
} LevelMap;

/* A member's place in its tree, kept compact for the per-row path. */
typedef struct {
    int32_t up; /* parent's gindex, -1 for a top member */
    int32_t depth;
} Link;

struct Actuals {
    Program *p;
    Symbols *s;
    size_t *nmem;    /* per dimension: members when the store was made */
    LevelMap **maps; /* per dimension, per depth; built on first use */
    MStore *ms;      /* base metrics in declaration order */
    int nms;
    uint16_t *tmask; /* per time member: its fiscal months */
    unsigned months; /* fiscal months with a value */
    long rows, skipped, outside;
    Link **links;            /* per dimension, per member gindex */
    const Node *bad_mapping; /* already reported */
};

typedef struct {
    int field, dim;
    const Level *level;
    LevelMap *map;
} LevelCol;

typedef struct {
    int field;
    MStore *ms;
    bool pct;
} MetricCol;

/* What one act_load needs while reading. */
typedef struct {
    Actuals *a;
    CsvReader *csv;
    const char *path, *shown;
    const Node *mapping;
    bool lenient;
    int src_index; /* sort key of the file's diagnostics, -1 until needed */
    int errors;
    size_t nheader;
    char **names; /* trimmed header names */
    int time_field;
    bool time_is_date;
    LevelCol *lc; /* by dimension, then depth */
    int nlc;
    int *gstart; /* lc index where each dimension's columns start; [ngroups] = nlc */
    int *gdim;
    int ngroups;
    MetricCol *mc;
    int nmc;
    int32_t *found; /* per level column: the current row's member (gindex), or -1 */
    int32_t *deep;  /* per group: the deepest member the row names, or -1 */
    Num *vals;      /* per metric column: the current row's value */
    bool *has;      /* per metric column: whether it has one */
    int fy_start;   /* year * 12 + month - 1 of fiscal month 0 */
    long skipped, outside;
    Loc skip_loc, outside_loc;
    char skip_msg[200];
    Buf scratch;
} Loader;

/* ---- text helpers ---- */

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

static bool all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int digits_val(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Bytes of s[0..n) to quote in a message: at most max, on a code point boundary. */
static int clip(const char *s, size_t n, size_t max)
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

#define QUOTED(s, n)                                                                               \
    clip((s), (n), QUOTE_MAX), (s), (size_t)clip((s), (n), QUOTE_MAX) < (n) ? "..." : ""

static int clamp_int(long v)
{
    return v > INT_MAX ? INT_MAX : v < 0 ? 0 : (int)v;
}

/* ---- dates and numbers ---- */

static int month_days(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* "YYYY-MM" at s (at least 7 bytes); year 1..9999, month 1..12. */
static bool parse_ym(const char *s, int *y, int *m)
{
    if (!all_digits(s, 4) || s[4] != '-' || !all_digits(s + 5, 2))
        return false;
    *y = digits_val(s, 4);
    *m = digits_val(s + 5, 2);
    return *y >= 1 && *m >= 1 && *m <= 12;
}

/* Whether the bytes of w under mask are all ASCII digits. */
static inline bool swar_digits(uint64_t w, uint64_t mask)
{
    uint64_t hi = 0xF0F0F0F0F0F0F0F0ull & mask, three = 0x3030303030303030ull & mask;
    return (w & hi) == three && ((w + (0x0606060606060606ull & mask)) & hi) == three;
}

/* "YYYY-MM-DD", exactly 10 bytes: the common case, checked in full, eight
 * bytes at a time. */
static inline bool fast_date(const char *s, int *y, int *m)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t w;
    uint16_t dd;
    memcpy(&w, s, 8);
    memcpy(&dd, s + 8, 2);
    if (!swar_digits(w, 0x00FFFF00FFFFFFFFull) ||
        (w & 0xFF0000FF00000000ull) != 0x2D00002D00000000ull || !swar_digits(dd, 0xFFFF))
        return false;
#else
    if (!all_digits(s, 4) || s[4] != '-' || !all_digits(s + 5, 2) || s[7] != '-' ||
        !all_digits(s + 8, 2))
        return false;
#endif
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    return *y >= 1 && *m >= 1 && *m <= 12 && d >= 1 && (d <= 28 || d <= month_days(*y, *m));
}

static const int64_t pow10_tab[13] = {
    1,        10,        100,        1000,        10000,        100000,       1000000,
    10000000, 100000000, 1000000000, 10000000000, 100000000000, 1000000000000};

/* A plain decimal ("-1234.56": at most 18 digits, at most 12 after the
 * point, nothing else) as a Num's scaled value; false for anything else. */
static inline bool fast_decimal(const char *s, size_t n, __int128 *out)
{
    size_t neg = s[0] == '-', dot = 0;
    uint64_t v = 0;
    if (n - neg - 1 > 18) /* 1..19 bytes after the sign */
        return false;
    for (size_t i = neg; i < n; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (d <= 9)
            v = v * 10 + d;
        else if (s[i] == '.' && !dot && i > neg && i + 1 < n && n - i - 1 <= 12)
            dot = i;
        else
            return false;
    }
    size_t nf = dot ? n - dot - 1 : 0;
    __int128 x = (__int128)v * pow10_tab[12 - nf];
    *out = neg ? -x : x;
    return true;
}

/* Any plain decimal with an optional leading '-' (and, for percent
 * metrics, a trailing '%': "95%" is 0.95), through num_parse. */
static NumStatus parse_plain(const char *s, size_t n, bool pct, Num *out)
{
    bool neg = n && s[0] == '-';
    if (neg) {
        s++;
        n--;
    }
    size_t body = pct && n && s[n - 1] == '%' ? n - 1 : n;
    const char *dot = memchr(s, '.', body);
    size_t ip = dot ? (size_t)(dot - s) : body;
    if (!all_digits(s, ip) || (dot && !all_digits(dot + 1, body - ip - 1)))
        return NUM_SYNTAX;
    Num v;
    NumStatus st = num_parse(s, n, &v);
    if (st == NUM_OK)
        *out = neg ? num_neg(v) : v;
    return st;
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
    h = (h ^ (h >> 31) ^ b) * 0x94D049BB133111EBull;
    h ^= h >> 32; /* the products' high bits reach the low bits the table uses */
    h *= 0xD6E8FEB86659FD93ull;
    return h ^ (h >> 29);
}

/* The slot of s[0..n) (n > 0), or of the empty slot where it would go. */
static inline size_t map_slot(const LevelMap *lm, const char *s, size_t n)
{
    uint64_t a, b;
    key_words(s, n, &a, &b);
    size_t i = key_hash(s, n, a, b) & lm->mask;
    for (;; i = (i + 1) & lm->mask) {
        const LEntry *e = &lm->e[i];
        if (!e->len || (e->a == a && e->b == b && (e->len & LEN_MASK) == n &&
                        (n <= 16 || memcmp(lm->keys[i], s, n) == 0)))
            return i;
    }
}

/* The member's gindex, AMBIGUOUS, or -1 when nothing has this name. */
static inline int32_t map_find(const LevelMap *lm, const char *s, size_t n)
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
    key_words(key, n, &e->a, &e->b);
    e->len = (uint32_t)n | (label ? LABEL_BIT : 0);
    e->g = g;
    lm->keys[i] = key;
}

static LevelMap *level_map(Actuals *a, const Dim *d, int dim, int depth)
{
    LevelMap *lm = &a->maps[dim][depth];
    if (lm->e)
        return lm;
    size_t keys = 0, cap = 16;
    for (size_t k = 0; k < a->nmem[dim]; k++) {
        const Member *m = d->members[k];
        keys += m->depth == depth ? 1 + (m->label != NULL) : 0;
    }
    while (cap < keys + keys / 2) /* at most two thirds full */
        cap *= 2;
    lm->e = xcalloc(cap, sizeof *lm->e);
    lm->keys = xcalloc(cap, sizeof *lm->keys);
    lm->mask = cap - 1;
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < a->nmem[dim]; k++) {
            Member *m = d->members[k];
            const char *key = pass ? m->label : m->name;
            if (m->depth == depth && !m->pseudo && key && *key && strlen(key) <= LEN_MASK)
                map_put(lm, key, m->gindex, pass == 1);
        }
    return lm;
}

/* ---- diagnostics ---- */

/* A Source for lines of the CSV starting at first_line.  The Program keeps
 * it (a Unit without statements), so the diagnostics pointing into it can
 * be flushed any time before prog_free, also after act_free. */
static Source *csv_source(Loader *ld, long first_line, Buf *text)
{
    Program *p = ld->a->p;
    if (ld->src_index < 0)
        ld->src_index = p->nunits++;
    for (size_t i = 0; i < text->len;) { /* NULs and invalid UTF-8 show as '?' */
        size_t k = utf8_seq_len((unsigned char *)text->data + i, text->len - i);
        if (text->data[i] == '\0' || k == 0)
            text->data[i] = '?';
        i += k ? k : 1;
    }
    Source *s = source_new(ld->shown, NULL, buf_cstr(text), text->len, ld->src_index);
    s->first_line = clamp_int(first_line);
    Unit *u = xcalloc(1, sizeof *u);
    u->src = s;
    if (p->last_unit)
        p->last_unit->next = u;
    else
        p->units = u;
    p->last_unit = u;
    return s;
}

/* Cuts text to at most max bytes, on a code point boundary. */
static void cut_text(Buf *b, size_t max)
{
    if (b->len > max)
        b->len = (size_t)clip(b->data, b->len, max);
}

typedef struct {
    long line, col;
} Pos;

static void advance(Pos *p, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n') {
            p->line++;
            p->col = 1;
        } else if ((c & 0xC0) != 0x80) {
            p->col++;
        }
    }
}

static void put_bounded(Buf *b, const char *s, size_t n)
{
    size_t room = b->len < SHOW_MAX ? SHOW_MAX - b->len : 0;
    buf_put(b, s, n < room ? n : room);
}

/* Appends field s[0..n) as it was most likely written (quoted only when it
 * must be) and moves p over it. */
static void put_field(Buf *b, Pos *p, const char *s, size_t n)
{
    bool q = memchr(s, ',', n) || memchr(s, '"', n) || memchr(s, '\n', n) || memchr(s, '\r', n);
    if (q) {
        put_bounded(b, "\"", 1);
        p->col++;
    }
    const char *e = s + n;
    while (s < e) {
        const char *qt = memchr(s, '"', (size_t)(e - s));
        size_t k = qt ? (size_t)(qt - s) : (size_t)(e - s);
        put_bounded(b, s, k);
        advance(p, s, k);
        s += k;
        if (qt) {
            put_bounded(b, "\"\"", 2);
            p->col += 2;
            s++;
        }
    }
    if (q) {
        put_bounded(b, "\"", 1);
        p->col++;
    }
}

/* Where field fi of the row is (fi -1: the row's start), with a Source
 * holding the row's text (empty when the field starts too far in). */
static Loc row_loc(Loader *ld, const CsvRow *row, long fi)
{
    Buf *b = &ld->scratch;
    b->len = 0;
    Pos p = {row->line, 1}, at = p;
    size_t at_off = 0;
    long end_col = 1;
    for (size_t i = 0; i < row->nfields; i++) {
        if (i) {
            put_bounded(b, ",", 1);
            p.col++;
        }
        if ((long)i == fi) {
            at = p;
            at_off = b->len;
        }
        put_field(b, &p, row->fields[i], row->lens[i]);
        if ((long)i == fi)
            end_col = p.line == at.line ? p.col - 1 : at.col;
        if ((long)i >= fi && b->len >= SHOW_MAX)
            break;
    }
    if (at_off + 256 > SHOW_MAX)
        b->len = 0;
    cut_text(b, SHOW_MAX);
    Source *s = csv_source(ld, row->line, b);
    int line = clamp_int(at.line), col = clamp_int(at.col);
    return (Loc){s, line, col, line, end_col > at.col ? clamp_int(end_col) : col};
}

/* Physical line `line` of the file (at most SHOW_MAX bytes), for errors
 * the CSV reader finds: it keeps no text of a record it rejects. */
static void file_line(const char *path, long line, Buf *out)
{
    out->len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    char blk[65536];
    long cur = 1;
    bool first = true;
    ssize_t k;
    while ((k = read(fd, blk, sizeof blk)) > 0) {
        const char *s = blk, *e = blk + k;
        if (first && k >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
            s += 3;
        first = false;
        while (s < e && cur < line) {
            const char *nl = memchr(s, '\n', (size_t)(e - s));
            if (!nl) {
                s = e;
                break;
            }
            cur++;
            s = nl + 1;
        }
        if (cur < line)
            continue;
        const char *nl = memchr(s, '\n', (size_t)(e - s));
        put_bounded(out, s, (size_t)((nl ? nl : e) - s));
        if (nl || out->len >= SHOW_MAX)
            break;
    }
    close(fd);
    cut_text(out, SHOW_MAX);
}

static void report(Loader *ld, Loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void report(Loader *ld, Loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(ld->a->p->diags, DIAG_ERROR, loc, fmt, ap);
    va_end(ap);
    ld->a->p->data_error = true;
    ld->errors++;
}

/* Errors of the plan's mapping are reported in the plan, once per Actuals. */
static void mapping_error(Loader *ld, Loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void mapping_error(Loader *ld, Loc loc, const char *fmt, ...)
{
    ld->errors++;
    if (ld->a->bad_mapping == ld->mapping)
        return;
    va_list ap;
    va_start(ap, fmt);
    diag_verror(ld->a->p->diags, DIAG_ERROR, loc, fmt, ap);
    va_end(ap);
    ld->a->p->data_error = true;
}

static void note(Loader *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(Loader *ld, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    Buf b = {0};
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    diag_note_plain(ld->a->p->diags, "%s", buf_cstr(&b));
    buf_free(&b);
}

/* "a, b, c" from the header, at most 12 names. */
static const char *header_list(Loader *ld, Buf *b)
{
    b->len = 0;
    for (size_t i = 0; i < ld->nheader && i < 12; i++) {
        const char *s = ld->names[i];
        size_t n = strlen(s);
        buf_printf(b, "%s'%.*s%s'", i ? ", " : "", QUOTED(s, n));
    }
    if (ld->nheader > 12)
        buf_printf(b, ", ... (%zu columns)", ld->nheader);
    return buf_cstr(b);
}

/* ---- the header ---- */

static const char *attr_col(const Node *m)
{
    return m->a ? (m->a->kind == N_STR ? m->a->str : m->a->name) : NULL;
}

static const Node *mapped(const Node *mapping, const char *name)
{
    for (const Node *m = mapping; m; m = m->next)
        if (m->name && strcmp(m->name, name) == 0 && attr_col(m))
            return m;
    return NULL;
}

static bool is_metric_name(const Actuals *a, const char *name)
{
    return strmap_get(&a->s->metrics, name) != NULL;
}

static bool is_data_level(const Actuals *a, const char *name)
{
    const Level *l = strmap_get(&a->s->levels, name);
    return l && !l->dim->is_time;
}

/* Every mapping entry names date, month, a level or a metric. */
static bool check_mapping(Loader *ld)
{
    int before = ld->errors;
    for (const Node *m = ld->mapping; m; m = m->next) {
        if (!m->name || strcmp(m->name, "date") == 0 || strcmp(m->name, "month") == 0 ||
            is_data_level(ld->a, m->name) || is_metric_name(ld->a, m->name))
            continue;
        mapping_error(ld, m->name_loc, "'%s' in an actuals mapping is not a level or a metric",
                      m->name);
        int best = 4;
        const char *sug = NULL;
        const StrMap *maps[2] = {&ld->a->s->levels, &ld->a->s->metrics};
        for (int k = 0; k < 2; k++)
            for (size_t i = 0; i < maps[k]->cap; i++) {
                const char *key = maps[k]->keys[i];
                int d = key ? edit_distance(m->name, key, 3) : 4;
                if (key && (d < best || (d == best && sug && strcmp(key, sug) < 0))) {
                    best = d;
                    sug = key;
                }
            }
        if (sug && best <= (int)strlen(m->name) / 3 + 1 && ld->a->bad_mapping != ld->mapping)
            diag_note_plain(ld->a->p->diags, "did you mean '%s'?", sug);
    }
    if (ld->errors > before)
        ld->a->bad_mapping = ld->mapping;
    return ld->errors == before;
}

/* Index of the header column for the mapping entry mp, or for the
 * default name when mp is NULL (-1 if none: a column the mapping gives to
 * something else is no default); false after reporting it twice in the
 * header. */
static bool find_col(Loader *ld, const CsvRow *hdr, const Node *mp, const char *name, int *idx)
{
    *idx = -1;
    if (mp)
        name = attr_col(mp);
    for (const Node *m = ld->mapping; m && !mp; m = m->next)
        if (attr_col(m) && strcmp(attr_col(m), name) == 0)
            return true;
    for (size_t i = 0; i < ld->nheader; i++) {
        if (strcmp(ld->names[i], name) != 0)
            continue;
        if (*idx >= 0) {
            report(ld, row_loc(ld, hdr, (long)i),
                   "column '%s' appears twice in the header (columns %d and %zu)", name, *idx + 1,
                   i + 1);
            return false;
        }
        *idx = (int)i;
    }
    return true;
}

/* A column the mapping names explicitly must be there. */
static bool need_col(Loader *ld, const CsvRow *hdr, const Node *m, const char *what)
{
    Buf b = {0};
    report(ld, row_loc(ld, hdr, -1), "no column '%s' (the plan maps %s'%s' to it)", attr_col(m),
           what, m->name);
    note(ld, "the header has: %s", header_list(ld, &b));
    buf_free(&b);
    return false;
}

static bool find_time(Loader *ld, const CsvRow *hdr)
{
    const Node *md = mapped(ld->mapping, "date"), *mm = mapped(ld->mapping, "month");
    const char *dname = md ? attr_col(md) : "date", *mname = mm ? attr_col(mm) : "month";
    int d, m;
    if (!find_col(ld, hdr, md, dname, &d) || !find_col(ld, hdr, mm, mname, &m))
        return false;
    if (md && d < 0)
        return need_col(ld, hdr, md, "");
    if (mm && m < 0)
        return need_col(ld, hdr, mm, "");
    if (d < 0 && m < 0) {
        Buf b = {0};
        report(ld, row_loc(ld, hdr, -1), "no 'date' or 'month' column");
        note(ld, "the header has: %s", header_list(ld, &b));
        note(ld, "name the time column in the plan: actuals \"...\" { date = COLUMN } (YYYY-MM-DD) "
                 "or { month = COLUMN } (YYYY-MM or 1-12)");
        buf_free(&b);
        return false;
    }
    ld->time_is_date = d >= 0 && (m < 0 || md || !mm);
    ld->time_field = ld->time_is_date ? d : m;
    return true;
}

static void add_level_col(Loader *ld, int field, int dim, const Level *lv)
{
    Actuals *a = ld->a;
    LevelCol *c = &ld->lc[ld->nlc++];
    *c = (LevelCol){field, dim, lv, level_map(a, a->s->dims[dim], dim, lv->depth)};
    if (ld->ngroups == 0 || ld->gdim[ld->ngroups - 1] != dim) {
        ld->gstart[ld->ngroups] = ld->nlc - 1;
        ld->gdim[ld->ngroups++] = dim;
    }
    ld->gstart[ld->ngroups] = ld->nlc;
}

static bool find_levels(Loader *ld, const CsvRow *hdr)
{
    Symbols *s = ld->a->s;
    for (int di = 0; di < s->ndims; di++) {
        Dim *d = s->dims[di];
        for (int l = 0; l < d->nlevels && !d->is_time; l++) {
            const Node *mp = mapped(ld->mapping, d->levels[l].name);
            int f;
            if (!find_col(ld, hdr, mp, d->levels[l].name, &f))
                return false;
            if (mp && f < 0)
                return need_col(ld, hdr, mp, "level ");
            if (f >= 0)
                add_level_col(ld, f, di, &d->levels[l]);
        }
    }
    return true;
}

/* Byte offset of code point column col (1-based) in line. */
static size_t byte_at_col(const char *line, size_t len, long col)
{
    size_t i = 0;
    for (long cp = 1; i < len && cp < col; cp++) {
        i++;
        while (i < len && ((unsigned char)line[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

/* The text of a derived metric's formula, from the plan source. */
static void formula_text(const Node *e, Buf *b)
{
    b->len = 0;
    if (!e || !e->loc.src)
        return;
    size_t len;
    const char *line = source_line(e->loc.src, e->loc.line, &len);
    size_t from = byte_at_col(line, len, e->loc.col);
    size_t to = e->loc.end_line == e->loc.line ? byte_at_col(line, len, e->loc.end_col + 1) : len;
    buf_put(b, line + from, to > from ? to - from : 0);
    cut_text(b, QUOTE_MAX);
}

/* A percent metric's values may be written 95% (the kind is the name
 * after the metric's; derived metrics have op MK_DERIVED). */
static bool is_percent(const Node *metric)
{
    return metric->op != MK_DERIVED && metric->a && metric->a->name &&
           strcmp(metric->a->name, "percent") == 0;
}

static bool find_metrics(Loader *ld, const CsvRow *hdr)
{
    Actuals *a = ld->a;
    for (Unit *u = a->p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next) {
            if (n->kind != N_METRIC || strmap_get(&a->s->metrics, n->name) != n)
                continue;
            const Node *mp = mapped(ld->mapping, n->name);
            int f;
            if (!find_col(ld, hdr, mp, n->name, &f))
                return false;
            if (f < 0 && mp)
                return need_col(ld, hdr, mp, "metric ");
            if (f < 0)
                continue;
            if (n->op == MK_DERIVED) {
                Buf b = {0};
                formula_text(n->c, &b);
                report(ld, row_loc(ld, hdr, f), "%s is derived (= %s): give its components",
                       n->name, buf_cstr(&b));
                note(ld, "a derived metric's actual is computed from the actuals of its parts");
                buf_free(&b);
                return false;
            }
            for (int i = 0; i < a->nms; i++)
                if (a->ms[i].metric == n)
                    ld->mc[ld->nmc++] = (MetricCol){f, &a->ms[i], is_percent(n)};
        }
    return true;
}

/* No column may serve two purposes. */
static bool check_shared(Loader *ld, const CsvRow *hdr)
{
    int n = 1 + ld->nlc + ld->nmc;
    int *f = xmalloc((size_t)n * sizeof *f);
    f[0] = ld->time_field;
    for (int i = 0; i < ld->nlc; i++)
        f[1 + i] = ld->lc[i].field;
    for (int i = 0; i < ld->nmc; i++)
        f[1 + ld->nlc + i] = ld->mc[i].field;
    bool ok = true;
    for (int i = 0; i < n && ok; i++)
        for (int k = i + 1; k < n && ok; k++)
            if (f[i] == f[k]) {
                report(ld, row_loc(ld, hdr, f[i]),
                       "column '%s' is used twice (for two of: the "
                       "time, a level, a metric)",
                       ld->names[f[i]]);
                ok = false;
            }
    free(f);
    return ok;
}

static void cells_alloc(Cells *c, size_t size)
{
    c->size = size;
    c->lo = xcalloc(size, sizeof *c->lo);
    c->n = xcalloc(size, sizeof *c->n);
    c->sum = xcalloc(size, sizeof *c->sum);
    c->cnt = xcalloc(size, sizeof *c->cnt);
}

static bool read_header(Loader *ld, const CsvRow *hdr)
{
    Actuals *a = ld->a;
    ld->nheader = hdr->nfields;
    ld->names = xcalloc(hdr->nfields, sizeof *ld->names);
    for (size_t i = 0; i < hdr->nfields; i++) {
        const char *s = hdr->fields[i];
        size_t n = hdr->lens[i];
        trim(&s, &n);
        ld->names[i] = xstrndup(s, n);
    }
    ld->lc = xcalloc(hdr->nfields + 1, sizeof *ld->lc);
    ld->gstart = xcalloc(hdr->nfields + 2, sizeof *ld->gstart);
    ld->gdim = xcalloc(hdr->nfields + 1, sizeof *ld->gdim);
    ld->mc = xcalloc(hdr->nfields + 1, sizeof *ld->mc);
    ld->found = xcalloc(hdr->nfields + 1, sizeof *ld->found);
    ld->deep = xcalloc(hdr->nfields + 1, sizeof *ld->deep);
    ld->vals = xcalloc(hdr->nfields + 1, sizeof *ld->vals);
    ld->has = xcalloc(hdr->nfields + 1, sizeof *ld->has);
    if (!check_mapping(ld) || !find_time(ld, hdr) || !find_levels(ld, hdr) ||
        !find_metrics(ld, hdr) || !check_shared(ld, hdr))
        return false;
    if (ld->nmc == 0) {
        Buf b = {0};
        for (int i = 0; i < a->nms; i++)
            buf_printf(&b, "%s%s", i ? ", " : "", a->ms[i].metric->name);
        report(ld, row_loc(ld, hdr, -1), "%s has no column for any metric; metrics are %s",
               ld->shown, a->nms ? buf_cstr(&b) : "(none declared)");
        note(ld, "the header has: %s", header_list(ld, &b));
        note(ld, "name a column after a metric, or map one: actuals \"...\" { METRIC = COLUMN }");
        buf_free(&b);
        return false;
    }
    for (int i = 0; i < ld->nmc; i++) {
        MStore *ms = ld->mc[i].ms;
        ms->has_column = true;
        for (int g = 0; g < ld->ngroups; g++) {
            int d = ld->gdim[g];
            if (!ms->cells[d].lo)
                cells_alloc(&ms->cells[d], a->nmem[d] * 12);
        }
        if (!ms->cells[a->s->ndims].lo)
            cells_alloc(&ms->cells[a->s->ndims], 12);
    }
    return true;
}

/* ---- rows ---- */

/* Counts a row that lenient skips; remembers the first for the warning. */
static int skip_row(Loader *ld, const CsvRow *row, long fi, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int skip_row(Loader *ld, const CsvRow *row, long fi, const char *fmt, ...)
{
    if (ld->skipped++ == 0) {
        ld->skip_loc = row_loc(ld, row, fi);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ld->skip_msg, sizeof ld->skip_msg, fmt, ap);
        va_end(ap);
    }
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

static int unknown_member(Loader *ld, const CsvRow *row, const LevelCol *c, const char *s, size_t n)
{
    const char *lv = c->level->name;
    if (ld->lenient)
        return skip_row(ld, row, c->field, "unknown %s '%.*s%s'", lv, QUOTED(s, n));
    report(ld, row_loc(ld, row, c->field), "unknown %s '%.*s%s'", lv, QUOTED(s, n));
    char *word = xstrndup(s, n);
    const char *sug = closest_member(c, word);
    Member *other = strmap_get(&ld->a->s->dims[c->dim]->by_name, word);
    if (other && other->depth != c->level->depth)
        note(ld, "'%.*s%s' is a %s, not a %s", QUOTED(s, n), other->dim->levels[other->depth].name,
             lv);
    else if (sug)
        note(ld, "did you mean '%s'?", sug);
    note(ld, "column '%s' holds the names or labels of level '%s'; --lenient skips such rows",
         ld->names[c->field], lv);
    free(word);
    return -1;
}

/* The member a level cell names (-1 for a blank cell) into *g: 1, or 0
 * when the row is skipped, or -1 after reporting. */
static int find_member_slow(Loader *ld, const CsvRow *row, const LevelCol *c, int32_t *g)
{
    const char *s = row->fields[c->field];
    size_t n = row->lens[c->field];
    trim(&s, &n);
    *g = n ? map_find(c->map, s, n) : -1;
    if (!n || *g >= 0)
        return 1;
    if (*g == -1)
        return unknown_member(ld, row, c, s, n);
    if (ld->lenient)
        return skip_row(ld, row, c->field, "%s label '%.*s%s' is ambiguous", c->level->name,
                        QUOTED(s, n));
    report(ld, row_loc(ld, row, c->field), "%s label '%.*s%s' is ambiguous", c->level->name,
           QUOTED(s, n));
    note(ld, "several members of level '%s' have this label; use their names", c->level->name);
    return -1;
}

static inline int32_t ancestor_at(const Link *links, int32_t g, int depth)
{
    while (g >= 0 && links[g].depth > depth)
        g = links[g].up;
    return g;
}

/* The deeper column names member g, which is not under the shallower one. */
static int contradiction(Loader *ld, const CsvRow *row, const LevelCol *deep, const LevelCol *up,
                         int32_t g)
{
    const char *s = row->fields[up->field], *ds = row->fields[deep->field];
    size_t n = row->lens[up->field], dn = row->lens[deep->field];
    trim(&s, &n);
    trim(&ds, &dn);
    const Dim *d = ld->a->s->dims[deep->dim];
    int32_t real = ancestor_at(ld->a->links[deep->dim], g, up->level->depth);
    const char *rn = real >= 0 ? d->members[real]->name : "?";
    if (ld->lenient)
        return skip_row(ld, row, up->field, "%s '%.*s%s' is under %s '%s', not '%.*s%s'",
                        deep->level->name, QUOTED(ds, dn), up->level->name, rn, QUOTED(s, n));
    report(ld, row_loc(ld, row, up->field), "%s '%.*s%s' is under %s '%s', not '%.*s%s'",
           deep->level->name, QUOTED(ds, dn), up->level->name, rn, QUOTED(s, n));
    note(ld,
         "the level columns of one row must name members on one branch of '%s'; "
         "--lenient skips such rows",
         d->name);
    return -1;
}

/* Finds the deepest member of each dimension the row names: 1, 0 when the
 * row is skipped (lenient), -1 after reporting. */
static int row_members(Loader *ld, const CsvRow *row)
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
static int row_month(Loader *ld, const CsvRow *row)
{
    const char *s = row->fields[ld->time_field];
    size_t n = row->lens[ld->time_field];
    int y, m;
    if (!(ld->time_is_date && n == 10 && fast_date(s, &y, &m))) {
        trim(&s, &n);
        const char *col = ld->names[ld->time_field];
        if (ld->time_is_date && !(n == 10 && fast_date(s, &y, &m))) {
            report(ld, row_loc(ld, row, ld->time_field),
                   "bad date '%.*s%s' in column '%s' (expected YYYY-MM-DD)", QUOTED(s, n), col);
            return -2;
        }
        if (!ld->time_is_date && !(n == 7 && parse_ym(s, &y, &m))) {
            if (n < 1 || n > 2 || !all_digits(s, n) || (m = digits_val(s, n)) < 1 || m > 12) {
                report(ld, row_loc(ld, row, ld->time_field),
                       "bad month '%.*s%s' in column '%s' (expected YYYY-MM or a month number "
                       "1-12)",
                       QUOTED(s, n), col);
                return -2;
            }
            int start = ld->a->s->start_month;
            y = ld->a->s->year + (m < start);
        }
    }
    int idx = y * 12 + m - 1 - ld->fy_start;
    return idx >= 0 && idx < 12 ? idx : -1;
}

/* A value that is not a plain short decimal: 1 with *v, 0 for a blank
 * cell, -1 after reporting. */
static int value_slow(Loader *ld, const CsvRow *row, const MetricCol *mc, Num *v)
{
    const char *s = row->fields[mc->field];
    size_t n = row->lens[mc->field];
    trim(&s, &n);
    if (n == 0)
        return 0;
    NumStatus st = parse_plain(s, n, mc->pct, v);
    if (st == NUM_OK)
        return 1;
    const char *col = ld->names[mc->field];
    Loc at = row_loc(ld, row, mc->field);
    if (st == NUM_PRECISION) {
        report(ld, at, "number '%.*s%s' in column '%s' has more than 12 decimals", QUOTED(s, n),
               col);
    } else if (st == NUM_OVERFLOW) {
        report(ld, at, "number '%.*s%s' in column '%s' is too large", QUOTED(s, n), col);
    } else {
        report(ld, at, "bad number '%.*s%s' in column '%s'", QUOTED(s, n), col);
        note(ld,
             "values are plain decimals such as 1234.5 or -89.10%s: no thousands separators, "
             "exponents, '+' or units",
             mc->pct ? ", or percents such as 95%" : "");
    }
    return -1;
}

/* Whether |v| fits in what is left of the metric's bound; bound_add takes
 * it when it does. */
static inline bool bound_fits(const MStore *ms, __int128 v)
{
    return (v < 0 ? -v : v) <= ms->room;
}

static inline bool bound_add(MStore *ms, __int128 v)
{
    if (!bound_fits(ms, v))
        return false;
    ms->room -= v < 0 ? -v : v;
    return true;
}

/* Moves a cell's 64-bit part and v to its 128-bit part (cannot overflow:
 * bounded by MStore.room). */
__attribute__((noinline, cold)) static void cell_spill(Cells *c, size_t i, __int128 v)
{
    if (!c->hi)
        c->hi = xcalloc(c->size, sizeof *c->hi);
    c->hi[i].v += (__int128)c->lo[i] + v;
    c->lo[i] = 0;
}

__attribute__((noinline, cold)) static void count_spill(Cells *c, size_t i)
{
    if (!c->nhi)
        c->nhi = xcalloc(c->size, sizeof *c->nhi);
    c->nhi[i] += (int64_t)1 << 32;
}

static inline void cell_add(Cells *c, size_t i, __int128 v, bool v64)
{
    int64_t r;
    if (__builtin_expect(++c->n[i] == 0, 0))
        count_spill(c, i);
    if (__builtin_expect(v64 && !__builtin_add_overflow(c->lo[i], (int64_t)v, &r), 1))
        c->lo[i] = r;
    else
        cell_spill(c, i, v);
}

/* Adds a row's checked values (has[i]: metric column i has one) to the
 * cells of month and of the members deep[] (roll_up adds them to their
 * ancestors). */
static void accumulate(Loader *ld, int month, const int32_t *deep, const Num *vals, const bool *has)
{
    const Actuals *a = ld->a;
    for (int i = 0; i < ld->nmc; i++) {
        if (!has[i])
            continue;
        MStore *ms = ld->mc[i].ms;
        __int128 v = vals[i].v;
        bool v64 = v == (int64_t)v;
        for (int gr = 0; gr < ld->ngroups; gr++)
            if (deep[gr] >= 0)
                cell_add(&ms->cells[ld->gdim[gr]], (size_t)deep[gr] * 12 + (size_t)month, v, v64);
        cell_add(&ms->cells[a->s->ndims], (size_t)month, v, v64);
        ld->a->months |= 1u << month;
    }
}

/* Parses, checks and adds the row's values: 1, or -1 after reporting. */
static int row_values(Loader *ld, const CsvRow *row, int month)
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
            report(ld, row_loc(ld, row, ld->mc[i].field),
                   "the values of '%s' add up to more than the largest number (about 1.7e26)",
                   ld->mc[i].ms->metric->name);
            return -1;
        }
    accumulate(ld, month, ld->deep, ld->vals, ld->has);
    return 1;
}

/* One data row: 1 added, 0 skipped, -1 after reporting. */
static int add_row(Loader *ld, const CsvRow *row)
{
    if (row->nfields != ld->nheader) {
        long fi = row->nfields > ld->nheader ? (long)ld->nheader : -1;
        report(ld, row_loc(ld, row, fi), "row has %zu field%s but the header has %zu", row->nfields,
               row->nfields == 1 ? "" : "s", ld->nheader);
        if (row->nfields > ld->nheader)
            note(ld, "a value holding ',' must be quoted: \"12,3\"");
        return -1;
    }
    int month = row_month(ld, row);
    if (month < 0) {
        if (month == -1 && ld->outside++ == 0)
            ld->outside_loc = row_loc(ld, row, ld->time_field);
        return month == -1 ? 0 : -1;
    }
    int rc = row_members(ld, row);
    return rc <= 0 ? rc : row_values(ld, row, month);
}

/* The common row, checked without diagnostics: a YYYY-MM-DD date in the
 * fiscal year, members found by exact name or label and on one branch,
 * plain short decimals.  Adds it and returns true, or returns false
 * without changing anything: add_row then reads it again and reports. */
static bool fast_add(Loader *ld, const CsvRow *row)
{
    int y, m;
    size_t tf = (size_t)ld->time_field;
    if (row->nfields != ld->nheader || row->lens[tf] != 10 || !ld->time_is_date ||
        !fast_date(row->fields[tf], &y, &m))
        return false;
    unsigned month = (unsigned)(y * 12 + m - 1 - ld->fy_start);
    if (month >= 12)
        return false;
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
    for (int i = 0; i < ld->nmc; i++) {
        size_t f = (size_t)ld->mc[i].field;
        ld->has[i] = row->lens[f] > 0;
        if (ld->has[i] && !fast_decimal(row->fields[f], row->lens[f], &ld->vals[i].v))
            return false;
    }
    for (int i = 0; i < ld->nmc; i++) /* add_row reports a bound passed */
        if (ld->has[i] && !bound_fits(ld->mc[i].ms, ld->vals[i].v))
            return false;
    for (int i = 0; i < ld->nmc; i++)
        if (ld->has[i])
            ld->mc[i].ms->room -= ld->vals[i].v < 0 ? -ld->vals[i].v : ld->vals[i].v;
    accumulate(ld, (int)month, ld->deep, ld->vals, ld->has);
    return true;
}

/* csv_next, skipping blank lines; reports a reader error. */
static int next_record(Loader *ld, CsvRow *row)
{
    int rc;
    while ((rc = csv_next(ld->csv, row)) > 0 && row->nfields == 1 && row->lens[0] == 0)
        ;
    if (rc < 0) {
        long line, col;
        const char *msg = csv_error(ld->csv, &line, &col);
        if (line <= 0) {
            report(ld, (Loc){0}, "%s: %s", ld->shown, msg ? msg : "read error");
            return rc;
        }
        Buf *b = &ld->scratch;
        file_line(ld->path, line, b);
        Source *s = csv_source(ld, line, b);
        Loc at = {s, clamp_int(line), clamp_int(col), clamp_int(line), clamp_int(col)};
        report(ld, at, "%s", msg ? msg : "read error");
    }
    return rc;
}

static int read_rows(Loader *ld)
{
    CsvRow row;
    int rc = next_record(ld, &row);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        Buf empty = {0};
        Source *s = csv_source(ld, 1, &empty);
        report(ld, (Loc){s, 1, 1, 1, 1}, "empty file: a header row is expected");
        return -1;
    }
    if (!read_header(ld, &row))
        return -1;
    while (ld->errors < ACT_MAX_ERRORS && (rc = next_record(ld, &row)) > 0) {
        ld->a->rows++;
        if (!fast_add(ld, &row))
            add_row(ld, &row);
    }
    if (ld->errors >= ACT_MAX_ERRORS) {
        note(ld, "stopped reading %s after %d errors", ld->shown, ACT_MAX_ERRORS);
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

/* Sets sum and cnt of every cell: its own rows plus every descendant's
 * (children come after their parent in dim->members).  Exact: every sum
 * is bounded by MStore.room. */
static void roll_up(Actuals *a)
{
    for (int i = 0; i < a->nms; i++)
        for (int d = 0; d <= a->s->ndims; d++) {
            Cells *c = &a->ms[i].cells[d];
            for (size_t k = 0; c->lo && k < c->size; k++) {
                c->sum[k].v = (__int128)c->lo[k] + (c->hi ? c->hi[k].v : 0);
                c->cnt[k] = (long)c->n[k] + (c->nhi ? c->nhi[k] : 0);
            }
            for (size_t g = d < a->s->ndims && c->lo ? a->nmem[d] : 0; g-- > 0;) {
                int32_t up = a->links[d][g].up;
                for (size_t m = 0; up >= 0 && m < 12; m++) {
                    c->sum[(size_t)up * 12 + m].v += c->sum[g * 12 + m].v;
                    c->cnt[(size_t)up * 12 + m] += c->cnt[g * 12 + m];
                }
            }
        }
}

int act_load(Actuals *a, const char *path, const char *shown, const Node *mapping, Loc at,
             bool lenient)
{
    char *emsg = NULL;
    CsvReader *csv = csv_open(path, &emsg);
    if (!csv) {
        diag_error(a->p->diags, at, "%s", emsg ? emsg : "cannot open the file");
        a->p->data_error = true;
        free(emsg);
        return -1;
    }
    Loader ld = {.a = a,
                 .csv = csv,
                 .path = path,
                 .shown = shown,
                 .mapping = mapping,
                 .lenient = lenient,
                 .src_index = -1};
    ld.fy_start = a->s->year * 12 + a->s->start_month - 1;
    int rc = read_rows(&ld);
    warn_skipped(&ld);
    roll_up(a);
    csv_close(csv);
    loader_free(&ld);
    return rc;
}

/* ---- the store ---- */

Actuals *act_new(Program *p)
{
    Actuals *a = xcalloc(1, sizeof *a);
    Symbols *s = p->sym;
    a->p = p;
    a->s = s;
    a->nmem = xcalloc((size_t)s->ndims + 1, sizeof *a->nmem);
    a->maps = xcalloc((size_t)s->ndims + 1, sizeof *a->maps);
    a->links = xcalloc((size_t)s->ndims + 1, sizeof *a->links);
    for (int d = 0; d < s->ndims; d++) {
        a->nmem[d] = s->dims[d]->nmembers;
        a->maps[d] = xcalloc((size_t)s->dims[d]->nlevels + 1, sizeof **a->maps);
        a->links[d] = xcalloc(a->nmem[d] + 1, sizeof **a->links);
        for (size_t k = 0; k < a->nmem[d]; k++) {
            const Member *m = s->dims[d]->members[k];
            a->links[d][k] = (Link){m->parent ? m->parent->gindex : -1, m->depth};
        }
    }
    for (Unit *u = p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next)
            if (n->kind == N_METRIC && n->op != MK_DERIVED &&
                strmap_get(&s->metrics, n->name) == n) {
                a->ms = xrealloc(a->ms, (size_t)(a->nms + 1) * sizeof *a->ms);
                memset(&a->ms[a->nms], 0, sizeof *a->ms);
                a->ms[a->nms].metric = n;
                a->ms[a->nms].room = NUM_MAX.v;
                a->ms[a->nms++].cells = xcalloc((size_t)s->ndims + 1, sizeof(Cells));
            }
    Dim *t = s->time;
    a->tmask = xcalloc(t ? t->nmembers + 1 : 1, sizeof *a->tmask);
    for (size_t k = 0; t && k < t->nmembers; k++)
        if (t->members[k]->depth == 3 && t->members[k]->index < 12)
            for (Member *m = t->members[k]; m; m = m->parent)
                a->tmask[m->gindex] |= (uint16_t)(1u << t->members[k]->index);
    return a;
}

void act_free(Actuals *a)
{
    if (!a)
        return;
    for (int i = 0; i < a->nms; i++) {
        for (int d = 0; d <= a->s->ndims; d++) {
            Cells *c = &a->ms[i].cells[d];
            free(c->lo);
            free(c->n);
            free(c->sum);
            free(c->cnt);
            free(c->hi);
            free(c->nhi);
        }
        free(a->ms[i].cells);
    }
    free(a->ms);
    for (int d = 0; d < a->s->ndims; d++) {
        for (int l = 0; l < a->s->dims[d]->nlevels; l++) {
            free(a->maps[d][l].e);
            free(a->maps[d][l].keys);
        }
        free(a->maps[d]);
        free(a->links[d]);
    }
    free(a->maps);
    free(a->links);
    free(a->nmem);
    free(a->tmask);
    free(a);
}

/* The name diagnostics use for a plan's data path: as the user would name
 * it from the current directory, like imports. */
static char *shown_path(const Node *pn)
{
    const char *plan = pn->loc.src ? pn->loc.src->name : "";
    const char *slash = strrchr(plan, '/');
    Buf b = {0};
    if (slash && plan[0] != '<')
        buf_printf(&b, "%.*s/", (int)(slash - plan), plan);
    buf_puts(&b, pn->str);
    return b.data;
}

Actuals *act_load_all(Program *p, const char *const *files, int nfiles, bool lenient, bool *none)
{
    const Node *first = NULL;
    int ndecl = 0;
    for (Unit *u = p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next)
            if (n->kind == N_ACTUALS && ndecl++ == 0)
                first = n;
    *none = nfiles == 0 && ndecl == 0;
    if (*none)
        return NULL;
    Actuals *a = act_new(p);
    bool ok = true;
    for (int i = 0; i < nfiles; i++)
        ok &= act_load(a, files[i], files[i], first ? first->d : NULL, (Loc){0}, lenient) == 0;
    for (Unit *u = nfiles ? NULL : p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next) {
            if (n->kind != N_ACTUALS)
                continue;
            char *path = prog_data_path(p, n->c);
            if (!path) {
                p->data_error = true;
                ok = false;
                continue;
            }
            char *shown = shown_path(n->c);
            ok &= act_load(a, path, shown, n->d, n->c->loc, lenient) == 0;
            free(shown);
            free(path);
        }
    if (!ok) {
        act_free(a);
        return NULL;
    }
    return a;
}

/* ---- queries ---- */

static const MStore *store_of(const Actuals *a, const Node *metric)
{
    for (int i = 0; i < a->nms; i++)
        if (a->ms[i].metric == metric ||
            (metric && strcmp(a->ms[i].metric->name, metric->name) == 0))
            return &a->ms[i];
    return NULL;
}

bool act_has(const Actuals *a, const Node *metric)
{
    const MStore *ms = a ? store_of(a, metric) : NULL;
    return ms && ms->has_column;
}

int act_last_month(const Actuals *a)
{
    for (int m = 11; a && m >= 0; m--)
        if (a->months & (1u << m))
            return m;
    return -1;
}

/* Where m's cells are: *dim and *first (a gindex * 12), or false when m has
 * none; *mask: the months of a time member, else all. */
static bool cells_for(const Actuals *a, const Member *m, int *dim, size_t *first, unsigned *mask)
{
    *mask = 0xFFFu;
    *dim = a->s->ndims;
    *first = 0;
    if (!m)
        return true;
    int di = 0;
    while (di < a->s->ndims && a->s->dims[di] != m->dim)
        di++;
    if (di == a->s->ndims || m->pseudo || m->gindex < 0 || (size_t)m->gindex >= a->nmem[di])
        return false;
    if (m->dim->is_time) {
        *mask = a->tmask[m->gindex];
        return true;
    }
    *dim = di;
    *first = (size_t)m->gindex * 12;
    return true;
}

/* Adds up the cells of metric and m over fiscal months from..to. */
static void sum_cells(const Actuals *a, const Node *metric, const Member *m, int from, int to,
                      Num *sum, long *count)
{
    const MStore *ms = a ? store_of(a, metric) : NULL;
    int dim;
    size_t first;
    unsigned mask;
    sum->v = 0;
    *count = 0;
    if (!ms || !cells_for(a, m, &dim, &first, &mask) || !ms->cells[dim].lo)
        return;
    const Cells *c = &ms->cells[dim];
    for (int k = from < 0 ? 0 : from; k <= to && k < 12; k++) {
        size_t i = first + (size_t)k;
        if (mask & (1u << k)) { /* cannot overflow: bounded by MStore.room */
            sum->v += c->sum[i].v;
            *count += c->cnt[i];
        }
    }
}

Num act_sum(const Actuals *a, const Node *metric, const Member *m, int from, int to)
{
    Num sum;
    long n;
    sum_cells(a, metric, m, from, to, &sum, &n);
    return sum;
}

long act_count(const Actuals *a, const Node *metric, const Member *m, int from, int to)
{
    Num sum;
    long n;
    sum_cells(a, metric, m, from, to, &sum, &n);
    return n;
}

long act_rows(const Actuals *a)
{
    return a ? a->rows : 0;
}

long act_rows_skipped(const Actuals *a)
{
    return a ? a->skipped : 0;
}

long act_rows_outside(const Actuals *a)
{
    return a ? a->outside : 0;
}
