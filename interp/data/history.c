/* history.c -- loads a history source (a CSV file, or any row source:
 * source.h) into monthly totals per (month, level values) group, and
 * derives seasonality shares and totals from them; and the HistSpec of a
 * plan's `history` declaration (its mapping, mapping.h).  Streams the
 * rows: it must never keep rows, only groups.  It does not resolve members
 * or check them against the plan's dimensions (the caller's job); level
 * values stay text.
 */
#include "data/history.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ident.h"
#include "base/util.h"
#include "data/cells.h"
#include "data/mapping.h"
#include "data/source.h"

#define NO_ID (-1)

typedef struct {
    int ym;                   /* year * 12 + month - 1 */
    int ids[HIST_MAX_LEVELS]; /* interned value per level, NO_ID when absent */
    Num total;
    long rows;
} Group;

typedef struct {
    StrMap ids;    /* value text -> (void *)(id + 1) */
    char **values; /* id -> text (in the arena) */
    size_t count, cap;
    int unknown; /* the one id of every value the plan has no member for, or NO_ID */
} Intern;

struct History {
    int nlevels;
    char *level_names[HIST_MAX_LEVELS];
    int level_field[HIST_MAX_LEVELS]; /* field index in the file, -1 when absent */
    Intern interns[HIST_MAX_LEVELS];
    Arena arena; /* names and interned values */
    char *value_name, *time_name;
    int value_field, time_field;
    bool time_is_date;
    Group *groups;
    size_t ngroups, capgroups;
    size_t *slots; /* open addressing: group index + 1, 0 = empty */
    size_t nslots;
    long nrows;
    long unknown_rows;                            /* level values no member has */
    const char *unknown_names[HIST_UNKNOWN_KEEP]; /* the first ones (in the arena) */
    int nunknown_names;
};

/* Everything hist_load needs while reading. */
typedef struct {
    History *h;
    const HistSpec *spec;
    HistError *err;
    RowSource *src;
    size_t nheader;
    char **names;                  /* trimmed header names (in the arena) */
    Buf scratch;                   /* a level value, NUL-terminated for lookups */
    StrMap known[HIST_MAX_LEVELS]; /* per level: its members' names, aliases and labels */
    bool check[HIST_MAX_LEVELS];   /* whether known[] decides (a level of the plan) */
    bool row_unknown;              /* the row names a value no member has */
} Loader;

/* ---- errors ---- */

static void set_err(HistError *err, long line, long col, int field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void set_err(HistError *err, long line, long col, int field, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->line = line;
    err->col = col;
    err->field = field;
}

static void field_err(Loader *ld, const SrcRow *row, size_t fi, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void field_err(Loader *ld, const SrcRow *row, size_t fi, const char *fmt, ...)
{
    if (!ld->err)
        return;
    SrcPos at;
    src_locate(ld->src, row, (long)fi, 0, &at, NULL);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ld->err->msg, sizeof ld->err->msg, fmt, ap);
    va_end(ap);
    ld->err->line = at.line;
    ld->err->col = at.col;
    ld->err->field = (int)fi + 1;
}

/* ---- cells ---- */

/* Parses a plain decimal with an optional leading '-'. */
static NumStatus parse_value(const char *s, size_t n, Num *out)
{
    cval_trim(&s, &n);
    return cval_decimal(s, n, false, out);
}

static bool parse_date(const char *s, size_t n, int *y, int *m)
{
    cval_trim(&s, &n);
    return cval_date(s, n, y, m);
}

/* 1: parsed; 0: malformed; -1: a month number but no fiscal year known. */
static int parse_month(const char *s, size_t n, const HistSpec *spec, int *y, int *m)
{
    cval_trim(&s, &n);
    int kind = cval_month(s, n, y, m);
    if (kind != CVAL_MONTH_NUMBER)
        return kind == CVAL_YM ? 1 : 0;
    if (spec->fy_year <= 0)
        return -1;
    int start = spec->start_month >= 1 && spec->start_month <= 12 ? spec->start_month : 1;
    *y = *m >= start ? spec->fy_year : spec->fy_year + 1;
    return 1;
}

/* ---- interning and groups ---- */

/* A new id for the text copy (in the arena). */
static int intern_add(Intern *in, char *copy)
{
    if (in->count == in->cap) {
        in->cap = in->cap ? in->cap * 2 : 16;
        in->values = xrealloc(in->values, in->cap * sizeof *in->values);
    }
    in->values[in->count] = copy;
    return (int)in->count++;
}

/* A value no member of the level has: one id for them all (not in the map,
 * so that no filter finds it), and the first few names kept for the
 * warning; memory does not grow with them. */
static int intern_unknown(Loader *ld, int level, const char *s, size_t n)
{
    History *h = ld->h;
    Intern *in = &h->interns[level];
    ld->row_unknown = true;
    bool kept = false; /* each name once: 'south', not 'south', 'south' */
    for (int i = 0; i < h->nunknown_names && !kept; i++)
        kept = strlen(h->unknown_names[i]) == n && memcmp(h->unknown_names[i], s, n) == 0;
    if (!kept && h->nunknown_names < HIST_UNKNOWN_KEEP)
        h->unknown_names[h->nunknown_names++] = arena_strndup(&h->arena, s, n);
    if (in->unknown == NO_ID)
        in->unknown = intern_add(in, arena_strdup(&h->arena, "?"));
    return in->unknown;
}

static int intern(Loader *ld, int level, const char *s, size_t n)
{
    History *h = ld->h;
    Intern *in = &h->interns[level];
    void *v = strmap_get(&in->ids, s);
    if (v)
        return (int)((uintptr_t)v - 1);
    char *nfc = ident_nfc(s, n); /* members are named in NFC: a decomposed é is the same */
    if (nfc) {
        int id = intern(ld, level, nfc, strlen(nfc));
        free(nfc);
        if (id != in->unknown) /* an alias only for a known name: memory stays bounded */
            strmap_put(&in->ids, arena_strndup(&h->arena, s, n), (void *)(uintptr_t)(id + 1));
        return id;
    }
    if (ld->check[level] && !strmap_get(&ld->known[level], s))
        return intern_unknown(ld, level, s, n);
    char *copy = arena_strndup(&h->arena, s, n);
    int id = intern_add(in, copy);
    strmap_put(&in->ids, copy, (void *)(uintptr_t)(id + 1));
    return id;
}

static uint64_t group_hash(int ym, const int *ids, int nlevels)
{
    uint64_t x = 1469598103934665603ULL ^ (uint64_t)(uint32_t)ym;
    x *= 1099511628211ULL;
    for (int i = 0; i < nlevels; i++) {
        x ^= (uint64_t)(uint32_t)ids[i];
        x *= 1099511628211ULL;
    }
    return x ^ (x >> 29);
}

static bool group_eq(const Group *g, int ym, const int *ids, int nlevels)
{
    return g->ym == ym && memcmp(g->ids, ids, (size_t)nlevels * sizeof *ids) == 0;
}

static void rehash(History *h)
{
    size_t n = h->nslots ? h->nslots * 2 : 64;
    free(h->slots);
    h->slots = xcalloc(n, sizeof *h->slots);
    h->nslots = n;
    for (size_t gi = 0; gi < h->ngroups; gi++) {
        const Group *g = &h->groups[gi];
        size_t i = (size_t)group_hash(g->ym, g->ids, h->nlevels) & (n - 1);
        while (h->slots[i])
            i = (i + 1) & (n - 1);
        h->slots[i] = gi + 1;
    }
}

static Group *find_group(History *h, int ym, const int *ids)
{
    if ((h->ngroups + 1) * 2 > h->nslots)
        rehash(h);
    size_t mask = h->nslots - 1;
    size_t i = (size_t)group_hash(ym, ids, h->nlevels) & mask;
    for (; h->slots[i]; i = (i + 1) & mask) {
        Group *g = &h->groups[h->slots[i] - 1];
        if (group_eq(g, ym, ids, h->nlevels))
            return g;
    }
    if (h->ngroups == h->capgroups) {
        h->capgroups = h->capgroups ? h->capgroups * 2 : 64;
        h->groups = xrealloc(h->groups, h->capgroups * sizeof *h->groups);
    }
    Group *g = &h->groups[h->ngroups];
    memset(g, 0, sizeof *g);
    g->ym = ym;
    memcpy(g->ids, ids, (size_t)h->nlevels * sizeof *ids);
    g->total = NUM_ZERO;
    h->slots[i] = ++h->ngroups;
    return g;
}

/* ---- header ---- */

/* Index of the header field named name, -1 when absent, -2 when duplicated. */
static int find_col(const SrcRow *hdr, const char *name)
{
    int found = -1;
    size_t want = strlen(name);
    for (size_t i = 0; i < hdr->nfields; i++) {
        const char *s = hdr->fields[i];
        size_t n = hdr->lens[i];
        cval_trim(&s, &n);
        if (n == want && memcmp(s, name, n) == 0) {
            if (found >= 0)
                return -2;
            found = (int)i;
        }
    }
    return found;
}

/* Looks a column up; required columns must exist.  Returns false on error. */
static bool lookup_col(Loader *ld, const SrcRow *hdr, const char *name, bool required, int *out)
{
    int i = find_col(hdr, name);
    if (i == -2) {
        set_err(ld->err, hdr->line, 1, 0, "duplicate column '%.100s' in the header", name);
        return false;
    }
    if (i == -1 && required) {
        set_err(ld->err, hdr->line, 1, 0, "missing column '%.100s'", name);
        return false;
    }
    *out = i;
    return true;
}

static bool resolve_time(Loader *ld, const SrcRow *hdr)
{
    const HistSpec *sp = ld->spec;
    History *h = ld->h;
    const char *dname = sp->date_col ? sp->date_col : "date";
    const char *mname = sp->month_col ? sp->month_col : "month";
    int d, m;
    if (!lookup_col(ld, hdr, dname, sp->date_col != NULL, &d) ||
        !lookup_col(ld, hdr, mname, sp->month_col != NULL, &m))
        return false;
    if (d >= 0 && m >= 0 && sp->date_col && sp->month_col) { /* the plan maps two times */
        set_err(ld->err, hdr->line, 1, 0,
                "both a date column '%.100s' and a month column '%.100s' are mapped: map only "
                "one of them",
                dname, mname);
        return false;
    }
    bool use_date = d >= 0 && (m < 0 || sp->date_col || !sp->month_col); /* the date first */
    if (d < 0 && m < 0) {
        set_err(ld->err, hdr->line, 1, 0,
                "no '%.100s' or '%.100s' column: map the date or month column", dname, mname);
        return false;
    }
    h->time_is_date = use_date;
    h->time_field = use_date ? d : m;
    h->time_name = arena_strdup(&h->arena, use_date ? dname : mname);
    return true;
}

static bool resolve_levels(Loader *ld, const SrcRow *hdr)
{
    History *h = ld->h;
    for (int i = 0; i < h->nlevels; i++) {
        const HistLevel *lv = &ld->spec->levels[i];
        const char *col = lv->column ? lv->column : lv->level;
        if (!lookup_col(ld, hdr, col, lv->column != NULL, &h->level_field[i]))
            return false;
        if (h->level_field[i] == h->time_field) {
            set_err(ld->err, hdr->line, 1, 0,
                    "column '%.100s' cannot be both the %s and level '%.100s'", col,
                    h->time_is_date ? "date" : "month", lv->level);
            return false;
        }
    }
    return true;
}

static bool is_used_field(const History *h, int f)
{
    if (f == h->time_field)
        return true;
    for (int i = 0; i < h->nlevels; i++)
        if (h->level_field[i] == f)
            return true;
    return false;
}

static bool set_value_col(Loader *ld, long line, int f)
{
    History *h = ld->h;
    if (is_used_field(h, f)) {
        set_err(ld->err, line, 1, f + 1, "value column '%.100s' is also the %s or a level column",
                ld->names[f], h->time_is_date ? "date" : "month");
        return false;
    }
    h->value_field = f;
    h->value_name = ld->names[f];
    return true;
}

/* The value column from the spec or the history's name, when it can be
 * decided from the header alone; else value_field stays -1. */
static bool resolve_value_named(Loader *ld, const SrcRow *hdr)
{
    const HistSpec *sp = ld->spec;
    int f = -1;
    ld->h->value_field = -1;
    if (sp->value_col) {
        if (!lookup_col(ld, hdr, sp->value_col, true, &f))
            return false;
    } else if (sp->name) {
        if (!lookup_col(ld, hdr, sp->name, false, &f))
            return false;
        if (f >= 0 && is_used_field(ld->h, f))
            f = -1; /* a history named like its month column: guess instead */
    }
    return f < 0 || set_value_col(ld, hdr->line, f);
}

/* Picks the one numeric column of the first data row (see history.h). */
static bool guess_value(Loader *ld, const SrcRow *row)
{
    History *h = ld->h;
    int found = -1, second = -1;
    for (size_t f = 0; f < row->nfields; f++) {
        Num v;
        if (is_used_field(h, (int)f) || parse_value(row->fields[f], row->lens[f], &v) == NUM_SYNTAX)
            continue;
        if (found < 0)
            found = (int)f;
        else if (second < 0)
            second = (int)f;
    }
    const char *hn = ld->spec->name ? ld->spec->name : "NAME";
    if (found < 0) {
        set_err(ld->err, row->line, 1, 0,
                "no value column: no column named '%.100s' and no other column holds numbers "
                "(map one: { %.100s = COLUMN })",
                hn, hn);
        return false;
    }
    if (second >= 0) {
        set_err(ld->err, row->line, 1, 0,
                "cannot tell the value column: '%.100s' and '%.100s' both hold numbers "
                "(map one: { %.100s = COLUMN })",
                ld->names[found], ld->names[second], hn);
        return false;
    }
    return set_value_col(ld, row->line, found);
}

/* ---- rows ---- */

static bool read_time(Loader *ld, const SrcRow *row, int *y, int *m)
{
    History *h = ld->h;
    size_t f = (size_t)h->time_field;
    const char *s = row->fields[f];
    size_t n = row->lens[f];
    int q = cval_clip(s, n, CVAL_QUOTE_MAX);
    const char *more = (size_t)q < n ? "..." : "";
    if (h->time_is_date) {
        if (parse_date(s, n, y, m))
            return true;
        field_err(ld, row, f, "bad date '%.*s%s' in column '%.100s' (expected YYYY-MM-DD)", q, s,
                  more, h->time_name);
        return false;
    }
    int rc = parse_month(s, n, ld->spec, y, m);
    if (rc > 0)
        return true;
    if (rc < 0)
        field_err(ld, row, f, "month number '%.*s' in column '%.100s' needs the plan's fiscal year",
                  q, s, h->time_name);
    else
        field_err(ld, row, f,
                  "bad month '%.*s%s' in column '%.100s' (expected YYYY-MM or a month number 1-12)",
                  q, s, more, h->time_name);
    return false;
}

static bool read_value(Loader *ld, const SrcRow *row, Num *v)
{
    History *h = ld->h;
    size_t f = (size_t)h->value_field;
    const char *s = row->fields[f];
    size_t n = row->lens[f];
    NumStatus st = parse_value(s, n, v);
    if (st == NUM_OK)
        return true;
    cval_trim(&s, &n);
    int q = cval_clip(s, n, CVAL_QUOTE_MAX);
    const char *more = (size_t)q < n ? "..." : "";
    if (n == 0)
        field_err(ld, row, f, "empty value in column '%.100s'", h->value_name);
    else if (st == NUM_OVERFLOW)
        field_err(ld, row, f, "number '%.*s%s' in column '%.100s' is too large", q, s, more,
                  h->value_name);
    else if (st == NUM_PRECISION)
        field_err(ld, row, f, "number '%.*s%s' in column '%.100s' has more than 12 decimals", q, s,
                  more, h->value_name);
    else
        field_err(ld, row, f, "bad number '%.*s%s' in column '%.100s'", q, s, more, h->value_name);
    return false;
}

static int level_id(Loader *ld, const SrcRow *row, int level)
{
    const History *h = ld->h;
    int f = h->level_field[level];
    if (f < 0)
        return NO_ID;
    const char *s = row->fields[f];
    size_t n = row->lens[f];
    cval_trim(&s, &n);
    Buf *b = &ld->scratch;
    b->len = 0;
    buf_put(b, s, n);
    return intern(ld, level, buf_cstr(b), n);
}

static bool add_row(Loader *ld, const SrcRow *row)
{
    History *h = ld->h;
    if (row->nfields != ld->nheader) {
        set_err(ld->err, row->line, 1, 0, "row has %zu field%s but the header has %zu",
                row->nfields, row->nfields == 1 ? "" : "s", ld->nheader);
        return false;
    }
    if (h->value_field < 0 && !guess_value(ld, row))
        return false;
    int y, m;
    Num v;
    if (!read_time(ld, row, &y, &m) || !read_value(ld, row, &v))
        return false;
    int ids[HIST_MAX_LEVELS];
    ld->row_unknown = false;
    for (int i = 0; i < h->nlevels; i++)
        ids[i] = level_id(ld, row, i);
    if (ld->row_unknown)
        h->unknown_rows += row->weight;
    Group *g = find_group(h, y * 12 + m - 1, ids);
    if (num_add(g->total, v, &g->total) != NUM_OK) {
        field_err(ld, row, (size_t)h->value_field,
                  "the sum of column '%.100s' for %04d-%02d overflows", h->value_name, y, m);
        return false;
    }
    g->rows += row->weight;
    h->nrows += row->weight;
    return true;
}

/* The header (header true) or the next row, skipping blank lines; sets
 * the error of the source's reader. */
static int next_record(Loader *ld, SrcRow *row, bool header)
{
    int rc = header ? src_header(ld->src, row) : src_next(ld->src, row);
    while (rc > 0 && src_blank(row))
        rc = src_next(ld->src, row);
    if (rc < 0) {
        long line, col;
        const char *msg = src_error(ld->src, &line, &col);
        set_err(ld->err, line, col, 0, "%s", msg ? msg : "read error");
    }
    return rc;
}

static bool read_header(Loader *ld, const SrcRow *hdr)
{
    History *h = ld->h;
    ld->nheader = hdr->nfields;
    ld->names = arena_alloc(&h->arena, hdr->nfields * sizeof *ld->names);
    for (size_t i = 0; i < hdr->nfields; i++) {
        const char *s = hdr->fields[i];
        size_t n = hdr->lens[i];
        cval_trim(&s, &n);
        ld->names[i] = arena_strndup(&h->arena, s, n);
    }
    return resolve_time(ld, hdr) && resolve_levels(ld, hdr) && resolve_value_named(ld, hdr);
}

/* The names a level's values may have (spec->sym: the plan's members of
 * that level), for the levels the file has a column for. */
static void known_values(Loader *ld)
{
    const Symbols *s = ld->spec->sym;
    for (int i = 0; s && i < ld->h->nlevels; i++) {
        const Level *l = strmap_get(&s->levels, ld->spec->levels[i].level);
        if (!l || ld->h->level_field[i] < 0)
            continue;
        ld->check[i] = true;
        for (size_t k = 0; k < l->dim->nmembers; k++) {
            const Member *m = l->dim->members[k];
            const char *names[3] = {m->name, m->alias, m->label};
            for (int j = 0; j < 3 && m->depth == l->depth; j++)
                if (names[j])
                    strmap_put(&ld->known[i], names[j], (void *)m);
        }
    }
}

static bool read_all(Loader *ld)
{
    SrcRow row;
    int rc = next_record(ld, &row, true);
    if (rc < 0)
        return false;
    if (rc == 0) {
        set_err(ld->err, 1, 1, 0, "empty file: a header row is expected");
        return false;
    }
    if (!read_header(ld, &row))
        return false;
    known_values(ld);
    while ((rc = next_record(ld, &row, false)) > 0)
        if (!add_row(ld, &row))
            return false;
    return rc == 0;
}

History *hist_read(RowSource *src, const HistSpec *spec, HistError *err)
{
    set_err(err, 0, 0, 0, "%s", "");
    if (spec->nlevels < 0 || spec->nlevels > HIST_MAX_LEVELS) {
        set_err(err, 0, 0, 0, "too many level columns (at most %d)", HIST_MAX_LEVELS);
        return NULL;
    }
    History *h = xcalloc(1, sizeof *h);
    h->nlevels = spec->nlevels;
    h->value_field = h->time_field = -1;
    for (int i = 0; i < h->nlevels; i++) {
        h->level_names[i] = arena_strdup(&h->arena, spec->levels[i].level);
        h->level_field[i] = -1;
    }
    for (int i = 0; i < HIST_MAX_LEVELS; i++)
        h->interns[i].unknown = NO_ID;
    Loader ld = {.h = h, .spec = spec, .err = err, .src = src};
    bool ok = read_all(&ld);
    buf_free(&ld.scratch);
    for (int i = 0; i < HIST_MAX_LEVELS; i++)
        strmap_free(&ld.known[i]);
    if (!ok) {
        hist_free(h);
        return NULL;
    }
    return h;
}

History *hist_load(const char *path, const HistSpec *spec, HistError *err)
{
    set_err(err, 0, 0, 0, "%s", "");
    if (spec->nlevels < 0 || spec->nlevels > HIST_MAX_LEVELS) {
        set_err(err, 0, 0, 0, "too many level columns (at most %d)", HIST_MAX_LEVELS);
        return NULL;
    }
    char *emsg = NULL;
    RowSource *src = src_open(path, path, &emsg);
    if (!src) {
        set_err(err, 0, 0, 0, "%s", emsg ? emsg : "cannot open the file");
        free(emsg);
        return NULL;
    }
    History *h = hist_read(src, spec, err);
    src_close(src);
    return h;
}

/* Whether the spec has a level called name. */
static bool spec_has_level(const HistSpec *spec, const char *name)
{
    for (int k = 0; k < spec->nlevels; k++)
        if (strcmp(spec->levels[k].level, name) == 0)
            return true;
    return false;
}

void hist_spec_init(HistSpec *spec, const Symbols *s, const char *name, const Node *mapping)
{
    memset(spec, 0, sizeof *spec);
    spec->name = name;
    spec->fy_year = s->year;
    spec->start_month = s->start_month;
    spec->sym = s;
    spec->date_col = map_column(mapping, "date");
    spec->month_col = map_column(mapping, "month");
    bool time_name = strcmp(name, "date") == 0 || strcmp(name, "month") == 0;
    spec->value_col = time_name ? NULL : map_column(mapping, name);
    for (const Node *m = mapping; m; m = m->next) { /* mapped levels, in the mapping's order */
        const Level *l = m->name ? strmap_get(&s->levels, m->name) : NULL;
        const char *col = map_entry_column(m);
        if (l && col && !l->dim->is_time && spec->nlevels < HIST_MAX_LEVELS &&
            map_entry(mapping, m->name) == m && strcmp(m->name, name) != 0 &&
            strcmp(m->name, "date") != 0 && strcmp(m->name, "month") != 0)
            spec->levels[spec->nlevels++] = (HistLevel){m->name, col};
    }
    for (size_t i = 0; i < s->levels.count; i++) { /* unmapped levels: same-named columns */
        const char *lv = s->levels.slots[i].key;
        if (!((Level *)s->levels.slots[i].val)->dim->is_time && !spec_has_level(spec, lv) &&
            spec->nlevels < HIST_MAX_LEVELS)
            spec->levels[spec->nlevels++] = (HistLevel){lv, NULL};
    }
}

void hist_free(History *h)
{
    if (!h)
        return;
    for (int i = 0; i < HIST_MAX_LEVELS; i++) {
        strmap_free(&h->interns[i].ids);
        free(h->interns[i].values);
    }
    arena_free(&h->arena);
    free(h->groups);
    free(h->slots);
    free(h);
}

/* ---- queries ---- */

long hist_rows(const History *h)
{
    return h->nrows;
}

long hist_unknown(const History *h, const char *const **names, int *nnames)
{
    *names = h->unknown_names;
    *nnames = h->nunknown_names;
    return h->unknown_rows;
}

size_t hist_group_count(const History *h)
{
    return h->ngroups;
}

bool hist_group(const History *h, size_t i, HistGroup *out)
{
    if (i >= h->ngroups)
        return false;
    const Group *g = &h->groups[i];
    memset(out, 0, sizeof *out);
    out->year = g->ym / 12;
    out->month = g->ym % 12 + 1;
    for (int l = 0; l < h->nlevels; l++)
        out->scope[l] = g->ids[l] == NO_ID ? NULL : h->interns[l].values[g->ids[l]];
    out->total = g->total;
    out->rows = g->rows;
    return true;
}

const char *hist_value_column(const History *h)
{
    return h->value_name;
}

const char *hist_time_column(const History *h)
{
    return h->time_name;
}

static int level_index(const History *h, const char *level)
{
    for (int i = 0; i < h->nlevels; i++)
        if (h->level_field[i] >= 0 && strcmp(h->level_names[i], level) == 0)
            return i;
    return -1;
}

bool hist_has_level(const History *h, const char *level)
{
    return level && level_index(h, level) >= 0;
}

/* Fiscal year of a group's month, and the month's place in it (0..11). */
static int fiscal_of(int ym, int start, int *idx)
{
    int y = ym / 12, m = ym % 12 + 1;
    *idx = (m - start + 12) % 12;
    return m >= start ? y : y - 1;
}

#define FY_SPAN 10001 /* fiscal years 0..10000 (calendar years are 1..9999) */
#define ALL_MONTHS 0xFFFu

typedef struct {
    int level;
    bool *accept; /* by interned id */
} Compiled;

static size_t compile_filters(const History *h, const HistFilter *fs, size_t n, Compiled *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int l = fs[i].level ? level_index(h, fs[i].level) : -1;
        if (l < 0)
            continue;
        const Intern *in = &h->interns[l];
        out[k].level = l;
        out[k].accept = xcalloc(in->count + 1, sizeof(bool));
        for (size_t v = 0; v < fs[i].nvalues; v++) {
            void *id = fs[i].values[v] ? strmap_get(&in->ids, fs[i].values[v]) : NULL;
            if (id)
                out[k].accept[(uintptr_t)id - 1] = true;
        }
        k++;
    }
    return k;
}

static bool passes(const Group *g, const Compiled *cf, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!cf[i].accept[g->ids[cf[i].level]])
            return false;
    return true;
}

/* Sums the months of complete years into weights; false on overflow. */
static bool sum_complete(const History *h, int start, const Compiled *cf, size_t ncf,
                         const uint16_t *mask, Num weights[12])
{
    for (size_t gi = 0; gi < h->ngroups; gi++) {
        const Group *g = &h->groups[gi];
        int idx, fy = fiscal_of(g->ym, start, &idx);
        if (mask[fy] == ALL_MONTHS && passes(g, cf, ncf) &&
            num_add(weights[idx], g->total, &weights[idx]) != NUM_OK)
            return false;
    }
    return true;
}

/* The months each fiscal year has rows for (passing the filters) into
 * mask[fy]; the complete years into years[0..max_years): how many. */
static int complete_years(const History *h, int start, const Compiled *cf, size_t ncf,
                          uint16_t *mask, int *years, int max_years)
{
    for (size_t gi = 0; gi < h->ngroups; gi++) {
        int idx, fy = fiscal_of(h->groups[gi].ym, start, &idx);
        if (passes(&h->groups[gi], cf, ncf))
            mask[fy] |= (uint16_t)(1u << idx);
    }
    int count = 0;
    for (int fy = 0; fy < FY_SPAN; fy++)
        if (mask[fy] == ALL_MONTHS) {
            if (count < max_years && years)
                years[count] = fy;
            count++;
        }
    return count;
}

int hist_season_where(const History *h, int start_month, const HistFilter *filters, size_t nfilters,
                      Num weights[12], int *years, int max_years)
{
    for (int i = 0; i < 12; i++)
        weights[i] = NUM_ZERO;
    int start = start_month == 0 ? 1 : start_month;
    if (start < 1 || start > 12)
        return -1;
    Compiled *cf = xcalloc(nfilters + 1, sizeof *cf);
    size_t ncf = compile_filters(h, filters, nfilters, cf);
    uint16_t *mask = xcalloc(FY_SPAN, sizeof *mask);
    int count = complete_years(h, start, cf, ncf, mask, years, max_years);
    if (count > 0 && !sum_complete(h, start, cf, ncf, mask, weights)) {
        for (int i = 0; i < 12; i++)
            weights[i] = NUM_ZERO;
        count = -1;
    }
    for (size_t i = 0; i < ncf; i++)
        free(cf[i].accept);
    free(cf);
    free(mask);
    return count;
}

int hist_season(const History *h, int start_month, const char *filter_level,
                const char *filter_value, Num weights[12], int *years, int max_years)
{
    HistFilter f = {filter_level, &filter_value, 1};
    size_t n = filter_level && filter_value ? 1 : 0;
    return hist_season_where(h, start_month, &f, n, weights, years, max_years);
}

Num hist_total(const History *h, int start_month, int fiscal_year, bool *overflow)
{
    int start = start_month >= 1 && start_month <= 12 ? start_month : 1;
    Num sum = NUM_ZERO;
    if (overflow)
        *overflow = false;
    for (size_t gi = 0; gi < h->ngroups; gi++) {
        int idx;
        if (fiscal_year != 0 && fiscal_of(h->groups[gi].ym, start, &idx) != fiscal_year)
            continue;
        if (num_add(sum, h->groups[gi].total, &sum) != NUM_OK) {
            if (overflow)
                *overflow = true;
            return NUM_ZERO;
        }
    }
    return sum;
}
