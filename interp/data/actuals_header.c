/* actuals_header.c -- the header row of an actuals source against the plan
 * (the rules are in actuals.h): the time column, the level and metric
 * columns, the plan's mapping of names to columns (mapping.h), and a
 * column serving two purposes.  It allocates what act_load needs for the
 * rows (the Loader's per-row arrays, the metrics' cells) but reads no row
 * itself.
 */
#include "data/actuals_int.h"
#include "data/mapping.h"

#include <stdlib.h>
#include <string.h>

/* ---- messages ---- */

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

/* ---- columns ---- */

/* Every mapping entry names date, month, a level or a metric. */
static bool check_mapping(Loader *ld)
{
    int before = ld->errors;
    const Symbols *s = ld->a->s;
    const unsigned kinds = MAP_TIME | MAP_LEVEL | MAP_METRIC;
    for (const Node *m = map_invalid(ld->mapping, s, kinds); m;
         m = map_invalid(m->next, s, kinds)) {
        mapping_error(ld, m->name_loc, "'%s' in an actuals mapping is not a level or a metric",
                      m->name);
        const char *sug = map_suggest(s, m->name);
        if (sug && ld->a->bad_mapping != ld->mapping)
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
static bool find_col(Loader *ld, const SrcRow *hdr, const Node *mp, const char *name, int *idx)
{
    *idx = -1;
    if (mp)
        name = map_entry_column(mp);
    else if (map_name(ld->mapping, name))
        return true;
    for (size_t i = 0; i < ld->nheader; i++) {
        if (strcmp(ld->names[i], name) != 0)
            continue;
        if (*idx >= 0) {
            ac_report(ld, ac_row_loc(ld, hdr, (long)i),
                      "column '%s' appears twice in the header (columns %d and %zu)", name,
                      *idx + 1, i + 1);
            return false;
        }
        *idx = (int)i;
    }
    return true;
}

/* A column the mapping names explicitly must be there. */
static bool need_col(Loader *ld, const SrcRow *hdr, const Node *m, const char *what)
{
    Buf b = {0};
    ac_report(ld, ac_row_loc(ld, hdr, -1), "no column '%s' (the plan maps %s'%s' to it)",
              map_entry_column(m), what, m->name);
    ac_note(ld, "the header has: %s", header_list(ld, &b));
    buf_free(&b);
    return false;
}

static bool find_time(Loader *ld, const SrcRow *hdr)
{
    const Node *md = map_entry(ld->mapping, "date"), *mm = map_entry(ld->mapping, "month");
    const char *dname = md ? map_entry_column(md) : "date";
    const char *mname = mm ? map_entry_column(mm) : "month";
    int d, m;
    if (!find_col(ld, hdr, md, dname, &d) || !find_col(ld, hdr, mm, mname, &m))
        return false;
    if (md && d < 0)
        return need_col(ld, hdr, md, "");
    if (mm && m < 0)
        return need_col(ld, hdr, mm, "");
    if (d < 0 && m < 0) {
        Buf b = {0};
        ac_report(ld, ac_row_loc(ld, hdr, -1), "no 'date' or 'month' column");
        ac_note(ld, "the header has: %s", header_list(ld, &b));
        ac_note(ld,
                "name the time column in the plan: actuals \"...\" { date = COLUMN } (YYYY-MM-DD) "
                "or { month = COLUMN } (YYYY-MM or 1-12)");
        buf_free(&b);
        return false;
    }
    if (d >= 0 && m >= 0 && md && mm) { /* the plan maps two times */
        ac_report(ld, ac_row_loc(ld, hdr, m),
                  "both a date column '%s' and a month column '%s' are mapped", ld->names[d],
                  ld->names[m]);
        ac_note(ld, "a row has one time: map only one of them (date or month)");
        return false;
    }
    if (d >= 0 && m >= 0 && !md && !mm) { /* SPEC §9: a date or a month; the date is read */
        Diags *dg = ld->a->p->diags;
        diag_warning(dg, ac_row_loc(ld, hdr, m),
                     "both a date column '%s' and a month column '%s': the date is used",
                     ld->names[d], ld->names[m]);
        diag_note_plain(dg,
                        "map the one to use to say so: actuals \"...\" { date = %s } or "
                        "{ month = %s }",
                        ld->names[d], ld->names[m]);
    }
    ld->time_is_date = d >= 0 && (m < 0 || md || !mm);
    ld->time_field = ld->time_is_date ? d : m;
    if (ld->a->wk && !ld->time_is_date) { /* a week needs the day of each row */
        ac_report(ld, ac_row_loc(ld, hdr, m),
                  "%s has a 'month' column and no 'date' column: the plan's weekly review needs "
                  "the date of each row",
                  ld->shown);
        ac_note(ld, "give each row its date (YYYY-MM-DD) in a 'date' column, or map one: "
                    "actuals \"...\" { date = COLUMN }");
        return false;
    }
    return true;
}

static void add_level_col(Loader *ld, int field, int dim, const Level *lv)
{
    Actuals *a = ld->a;
    LevelCol *c = &ld->lc[ld->nlc++];
    *c = (LevelCol){field, dim, lv, ac_level_map(a, a->s->dims[dim], dim, lv->depth)};
    if (ld->ngroups == 0 || ld->gdim[ld->ngroups - 1] != dim) {
        ld->gstart[ld->ngroups] = ld->nlc - 1;
        ld->gdim[ld->ngroups++] = dim;
    }
    ld->gstart[ld->ngroups] = ld->nlc;
}

static bool find_levels(Loader *ld, const SrcRow *hdr)
{
    Symbols *s = ld->a->s;
    for (int di = 0; di < s->ndims; di++) {
        Dim *d = s->dims[di];
        for (int l = 0; l < d->nlevels && !d->is_time; l++) {
            const Node *mp = map_entry(ld->mapping, d->levels[l].name);
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
    ac_cut_text(b, CVAL_QUOTE_MAX);
}

/* A percent metric's values may be written 95% (the kind is the name
 * after the metric's; derived metrics have op MK_DERIVED). */
static bool is_percent(const Node *metric)
{
    return metric->op != MK_DERIVED && metric->a && metric->a->name &&
           strcmp(metric->a->name, "percent") == 0;
}

static bool find_metrics(Loader *ld, const SrcRow *hdr)
{
    Actuals *a = ld->a;
    for (Unit *u = a->p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next) {
            if (n->kind != N_METRIC || strmap_get(&a->s->metrics, n->name) != n)
                continue;
            const Node *mp = map_entry(ld->mapping, n->name);
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
                ac_report(ld, ac_row_loc(ld, hdr, f), "%s is derived (= %s): give its components",
                          n->name, buf_cstr(&b));
                ac_note(ld, "a derived metric's actual is computed from the actuals of its parts");
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
static bool check_shared(Loader *ld, const SrcRow *hdr)
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
                ac_report(ld, ac_row_loc(ld, hdr, f[i]),
                          "column '%s' is used twice (for two of: the "
                          "time, a level, a metric)",
                          ld->names[f[i]]);
                ok = false;
            }
    free(f);
    return ok;
}

/* The trimmed header names and the Loader's per-row arrays. */
static void header_arrays(Loader *ld, const SrcRow *hdr)
{
    size_t n = hdr->nfields;
    ld->nheader = n;
    ld->names = xcalloc(n, sizeof *ld->names);
    for (size_t i = 0; i < n; i++) {
        const char *s = hdr->fields[i];
        size_t len = hdr->lens[i];
        cval_trim(&s, &len);
        ld->names[i] = xstrndup(s, len);
    }
    ld->lc = xcalloc(n + 1, sizeof *ld->lc);
    ld->gstart = xcalloc(n + 2, sizeof *ld->gstart);
    ld->gdim = xcalloc(n + 1, sizeof *ld->gdim);
    ld->mc = xcalloc(n + 1, sizeof *ld->mc);
    ld->found = xcalloc(n + 1, sizeof *ld->found);
    ld->deep = xcalloc(n + 1, sizeof *ld->deep);
    ld->vals = xcalloc(n + 1, sizeof *ld->vals);
    ld->has = xcalloc(n + 1, sizeof *ld->has);
}

/* A header without a column for any metric. */
static bool no_metric(Loader *ld, const SrcRow *hdr)
{
    const Actuals *a = ld->a;
    Buf b = {0};
    for (int i = 0; i < a->nms; i++)
        buf_printf(&b, "%s%s", i ? ", " : "", a->ms[i].name);
    ac_report(ld, ac_row_loc(ld, hdr, -1), "%s has no column for any metric; metrics are %s",
              ld->shown, a->nms ? buf_cstr(&b) : "(none declared)");
    ac_note(ld, "the header has: %s", header_list(ld, &b));
    ac_note(ld, "name a column after a metric, or map one: actuals \"...\" { METRIC = COLUMN }");
    buf_free(&b);
    return false;
}

/* The cells the rows of this source write (ac_put needs them). */
static void alloc_cells(Loader *ld)
{
    Actuals *a = ld->a;
    for (int i = 0; i < ld->nmc; i++) {
        MStore *ms = ld->mc[i].ms;
        ms->has_column = true;
        for (int g = 0; g < ld->ngroups; g++) {
            int d = ld->gdim[g];
            if (!ms->cells[d].row)
                ac_cells_alloc(&ms->cells[d], a->nmem[d] * a->stride);
        }
        if (!ms->cells[a->ndims].row)
            ac_cells_alloc(&ms->cells[a->ndims], a->stride);
    }
}

bool ac_read_header(Loader *ld, const SrcRow *hdr)
{
    header_arrays(ld, hdr);
    if (!check_mapping(ld) || !find_time(ld, hdr) || !find_levels(ld, hdr) ||
        !find_metrics(ld, hdr) || !check_shared(ld, hdr))
        return false;
    if (ld->nmc == 0)
        return no_metric(ld, hdr);
    alloc_cells(ld);
    return true;
}
