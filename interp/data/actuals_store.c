/* actuals_store.c -- the store of actuals (SPEC §9): exact per-member,
 * per-month sums and row counts of every base metric, rolled up to every
 * ancestor; the queries incentives, scorecards and reviews ask of it;
 * rebinding to another plan with the same dimensions and metrics; and
 * act_load_all, which reads every source of a plan into one store.
 *
 * Reading one source is actuals_read.c's (with actuals_header.c and
 * actuals_diag.c); the types they share, and the one write path (ac_put),
 * are in actuals_int.h.  The store must never keep rows, use floating
 * point, or read a plan's path without src_open_data.
 */
#include "data/actuals_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- the store ---- */

/* The store's view of the plan's dimensions: member counts, levels and
 * each member's place in its tree. */
static void new_dims(Actuals *a, const Symbols *s)
{
    a->ndims = s->ndims;
    a->nmem = xcalloc((size_t)s->ndims + 1, sizeof *a->nmem);
    a->nlevels = xcalloc((size_t)s->ndims + 1, sizeof *a->nlevels);
    a->maps = xcalloc((size_t)s->ndims + 1, sizeof *a->maps);
    a->links = xcalloc((size_t)s->ndims + 1, sizeof *a->links);
    for (int d = 0; d < s->ndims; d++) {
        a->nmem[d] = s->dims[d]->nmembers;
        a->nlevels[d] = s->dims[d]->nlevels;
        a->maps[d] = xcalloc((size_t)s->dims[d]->nlevels + 1, sizeof **a->maps);
        a->links[d] = xcalloc(a->nmem[d] + 1, sizeof **a->links);
        for (size_t k = 0; k < a->nmem[d]; k++) {
            const Member *m = s->dims[d]->members[k];
            a->links[d][k] = (Link){m->parent ? m->parent->gindex : -1, m->depth};
        }
    }
}

/* A store per base metric, in declaration order. */
static void new_metrics(Actuals *a, const Program *p)
{
    for (Unit *u = p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next)
            if (n->kind == N_METRIC && n->op != MK_DERIVED &&
                strmap_get(&p->sym->metrics, n->name) == n) {
                a->ms = xrealloc(a->ms, (size_t)(a->nms + 1) * sizeof *a->ms);
                a->ms[a->nms++] = (MStore){.metric = n,
                                           .name = xstrdup(n->name),
                                           .cells = xcalloc((size_t)a->ndims + 1, sizeof(Cells)),
                                           .room = NUM_MAX.v};
            }
}

/* Per time member: the fiscal months under it. */
static void new_time_masks(Actuals *a, const Dim *t)
{
    a->tmask = xcalloc(t ? t->nmembers + 1 : 1, sizeof *a->tmask);
    for (size_t k = 0; t && k < t->nmembers; k++)
        if (t->members[k]->depth == 3 && t->members[k]->index < 12)
            for (Member *m = t->members[k]; m; m = m->parent)
                a->tmask[m->gindex] |= (uint16_t)(1u << t->members[k]->index);
}

/* Whether the plan's actuals are kept per week too: it has a weekly review. */
static bool wants_weeks(const Symbols *s)
{
    return s->weeks && strmap_get(&s->reviews, "weekly");
}

/* Whether the store's weeks are the plan's: days are put in the same weeks. */
static bool same_weeks(const Actuals *a, const Symbols *s)
{
    if (!a->wk || !wants_weeks(s))
        return !a->wk && !wants_weeks(s);
    const WeekCal *c = s->weeks;
    if (c->first_day != a->wk->first_day || c->ndays != a->wk->ndays || c->nweeks != a->wk->nweeks)
        return false;
    return memcmp(c->week_first, a->wk->week_first, (size_t)c->nweeks * sizeof *c->week_first) == 0;
}

Actuals *act_new(Program *p)
{
    Actuals *a = xcalloc(1, sizeof *a);
    a->p = p;
    a->s = p->sym;
    a->stride = 12;
    if (wants_weeks(p->sym)) {
        a->wkcal = *p->sym->weeks;
        a->wk = &a->wkcal;
        a->stride = 12 + WK_MAX_WEEKS;
    }
    new_dims(a, p->sym);
    new_metrics(a, p);
    new_time_masks(a, p->sym->time);
    return a;
}

void act_free(Actuals *a)
{
    if (!a)
        return;
    for (int i = 0; i < a->nms; i++) {
        for (int d = 0; d <= a->ndims; d++)
            ac_cells_free(&a->ms[i].cells[d]);
        free(a->ms[i].cells);
        free(a->ms[i].name);
    }
    free(a->ms);
    ac_level_maps_free(a);
    for (int d = 0; d < a->ndims; d++) {
        free(a->maps[d]);
        free(a->links[d]);
    }
    free(a->maps);
    free(a->links);
    free(a->nmem);
    free(a->nlevels);
    free(a->tmask);
    for (int i = 0; i < a->nread; i++)
        free(a->read[i].metrics);
    free(a->read);
    free(a);
}

/* ---- another plan with the same dimensions and metrics ---- */

bool act_fits(const Actuals *a, const Program *p)
{
    const Symbols *s = p->sym;
    if (s->ndims != a->ndims || !same_weeks(a, s))
        return false;
    for (int d = 0; d < s->ndims; d++)
        if (s->dims[d]->nmembers != a->nmem[d] || s->dims[d]->nlevels != a->nlevels[d])
            return false;
    for (int i = 0; i < a->nms; i++) {
        const Node *m = strmap_get(&s->metrics, a->ms[i].name);
        if (!m || m->op == MK_DERIVED)
            return false;
    }
    return true;
}

void act_rebind(Actuals *a, Program *p)
{
    a->p = p;
    a->s = p->sym;
    a->bad_mapping = NULL;
    ac_level_maps_free(a); /* their keys are the old plan's names */
    for (int i = 0; i < a->nms; i++)
        a->ms[i].metric = strmap_get(&p->sym->metrics, a->ms[i].name);
}

bool act_bound_to(const Actuals *a, const Program *p)
{
    return a && a->p == p;
}

/* ---- cells ---- */

void ac_cells_alloc(Cells *c, size_t size)
{
    c->size = size;
    c->row = xcalloc(size, sizeof *c->row);
    c->sum = xcalloc(size, sizeof *c->sum);
    c->cnt = xcalloc(size, sizeof *c->cnt);
}

void ac_cells_alloc_rows(Cells *c, size_t size)
{
    c->size = size;
    c->row = xcalloc(size, sizeof *c->row);
}

void ac_cells_free(Cells *c)
{
    free(c->row);
    free(c->sum);
    free(c->cnt);
    free(c->hi);
    free(c->nhi);
    *c = (Cells){0};
}

void ac_cells_add(Cells *dst, const Cells *src)
{
    for (size_t i = 0; src->row && i < src->size && i < dst->size; i++) {
        uint64_t count = (uint64_t)src->row[i].n + (uint64_t)(src->nhi ? src->nhi[i] : 0);
        __int128 v = (__int128)src->row[i].lo + (src->hi ? src->hi[i].v : 0);
        if (count) /* a cell without rows holds 0 */
            ac_cell_add(dst, i, v, v == (int64_t)v, count);
    }
}

__attribute__((noinline, cold)) void ac_cell_spill(Cells *c, size_t i, __int128 v)
{
    if (!c->hi)
        c->hi = xcalloc(c->size, sizeof *c->hi);
    c->hi[i].v += (__int128)c->row[i].lo + v;
    c->row[i].lo = 0;
}

__attribute__((noinline, cold)) void ac_count_spill(Cells *c, size_t i, uint64_t count)
{
    uint64_t n = (uint64_t)c->row[i].n + (count & 0xFFFFFFFFu);
    c->row[i].n = (uint32_t)n;
    if (!c->nhi)
        c->nhi = xcalloc(c->size, sizeof *c->nhi);
    c->nhi[i] += (int64_t)((n >> 32) << 32) + (int64_t)((count >> 32) << 32);
}

/* Sets sum and cnt of every cell: its own rows plus every descendant's
 * (children come after their parent in dim->members).  Exact: every sum
 * is bounded by MStore.room. */
void ac_roll_up(Actuals *a)
{
    for (int i = 0; i < a->nms; i++)
        for (int d = 0; d <= a->ndims; d++) {
            Cells *c = &a->ms[i].cells[d];
            for (size_t k = 0; c->row && k < c->size; k++) {
                c->sum[k].v = (__int128)c->row[k].lo + (c->hi ? c->hi[k].v : 0);
                c->cnt[k] = (long)c->row[k].n + (c->nhi ? c->nhi[k] : 0);
            }
            for (size_t g = d < a->ndims && c->row ? a->nmem[d] : 0; g-- > 0;) {
                int32_t up = a->links[d][g].up;
                size_t w = a->stride;
                for (size_t m = 0; up >= 0 && m < w; m++) {
                    c->sum[(size_t)up * w + m].v += c->sum[g * w + m].v;
                    c->cnt[(size_t)up * w + m] += c->cnt[g * w + m];
                }
            }
        }
}

/* ---- every source of a plan ---- */

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

/* Reads the plan's `actuals` declarations into a: false when one failed. */
static bool load_declared(Actuals *a, Program *p, bool lenient)
{
    bool ok = true;
    for (Unit *u = p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next) {
            if (n->kind != N_ACTUALS)
                continue;
            char *shown = n->c->kind == N_SOURCE ? xstrdup(n->c->str) : shown_path(n->c);
            RowSource *src = src_open_data(p, n->c, shown);
            free(shown);
            if (!src) {
                p->data_error = true;
                ok = false;
                continue;
            }
            ok &= act_load_source(a, src, n->d, n->loc, lenient) == 0;
            src_close(src);
        }
    return ok;
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
    if (!nfiles)
        ok = load_declared(a, p, lenient);
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
        if (a->ms[i].metric == metric || (metric && strcmp(a->ms[i].name, metric->name) == 0))
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
    *dim = a->ndims;
    *first = 0;
    if (!m)
        return true;
    int di = 0;
    while (di < a->ndims && a->s->dims[di] != m->dim)
        di++;
    if (di == a->ndims || m->pseudo || m->gindex < 0 || (size_t)m->gindex >= a->nmem[di])
        return false;
    if (m->dim->is_time) {
        *mask = a->tmask[m->gindex];
        return true;
    }
    *dim = di;
    *first = (size_t)m->gindex * a->stride;
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
    if (!ms || !cells_for(a, m, &dim, &first, &mask) || !ms->cells[dim].row)
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

bool act_has_weeks(const Actuals *a)
{
    return a && a->wk;
}

int act_last_week(const Actuals *a)
{
    int last = -1;
    for (int w = 0; a && w < WK_MAX_WEEKS; w++)
        if (a->weeks & ((uint64_t)1 << w))
            last = w;
    return last;
}

/* Adds up the week cells of metric and m (not of the time dimension). */
static void sum_week(const Actuals *a, const Node *metric, const Member *m, int week, Num *sum,
                     long *count)
{
    const MStore *ms = a && a->wk ? store_of(a, metric) : NULL;
    int dim;
    size_t first;
    unsigned mask;
    sum->v = 0;
    *count = 0;
    if (!ms || week < 0 || week >= WK_MAX_WEEKS || (m && m->dim->is_time) ||
        !cells_for(a, m, &dim, &first, &mask) || !ms->cells[dim].row)
        return;
    const Cells *c = &ms->cells[dim];
    sum->v = c->sum[first + 12 + (size_t)week].v;
    *count = c->cnt[first + 12 + (size_t)week];
}

Num act_week_sum(const Actuals *a, const Node *metric, const Member *m, int week)
{
    Num sum;
    long n;
    sum_week(a, metric, m, week, &sum, &n);
    return sum;
}

long act_week_count(const Actuals *a, const Node *metric, const Member *m, int week)
{
    Num sum;
    long n;
    sum_week(a, metric, m, week, &sum, &n);
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
