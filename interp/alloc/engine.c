/* engine.c -- the allocation engine's driver: gathers a metric's splits,
 * makes and caches its allocations (cycles, cuts, the metric hook for
 * expressions); axes.c, split_tree.c, joint_cells.c and tables.c do the
 * rest.  docs/LANGUAGE.md "How splits combine" has the model.  Nothing
 * here rounds or prints. */
#include <stdlib.h>
#include <string.h>

#include "alloc/alloc_int.h"

/* ---- small helpers ----------------------------------------------------------- */

Level *al_level_of(Dim *d, int depth)
{
    return &d->levels[depth];
}

const char *al_plural_of(const char *level)
{
    return strcmp(level, "half") == 0 ? "halves" : level;
}

bool al_under_or_is(const Member *m, const Member *anc)
{
    for (; m; m = m->parent)
        if (m == anc)
            return true;
    return false;
}

const Member *al_ancestor_at(const Member *m, int depth)
{
    while (m && m->depth > depth)
        m = m->parent;
    return m && m->depth == depth ? m : NULL;
}

int al_month_code(const Member *m) /* 202705 for "2027-05" */
{
    return cal_parse_ym(m->name, strlen(m->name));
}

int al_months_under(const Member *t, int *months)
{
    const Dim *d = t->dim;
    int n = 0;
    size_t at = (size_t)t->gindex;
    if (at < d->nmembers && d->members[at] == t) { /* in order: the members under t follow it */
        if (t->depth == 3)
            months[n++] = al_month_code(t);
        for (size_t i = at + 1; i < d->nmembers && d->members[i]->depth > t->depth; i++)
            if (d->members[i]->depth == 3)
                months[n++] = al_month_code(d->members[i]);
        return n;
    }
    for (size_t i = 0; i < d->nmembers; i++)
        if (d->members[i]->depth == 3 && al_under_or_is(d->members[i], t))
            months[n++] = al_month_code(d->members[i]);
    return n;
}

size_t al_stride(const Alloc *A, int ai)
{
    size_t stride = 1;
    for (int j = ai + 1; j < A->nax; j++)
        stride *= A->ax[j].nleaves;
    return stride;
}

/* A value in a message: the plan's decimals, or more when it has more,
 * so that "rest would be -0.06" is not shown as 0. */
char *al_fmtv(const Alloc *A, Num v, char *buf)
{
    return vf_plan(v, num_decimals(A->step), buf);
}

char *al_fmt_amount(const Alloc *A, Num v, char *buf)
{
    return A->unit ? vf_amount(v, A->unit, num_decimals(A->step), buf) : al_fmtv(A, v, buf);
}

int al_axis_of(const Alloc *A, const Dim *d)
{
    for (int i = 0; i < A->nax; i++)
        if (A->ax[i].dim == d)
            return i;
    return -1;
}

int al_num_err(Engine *en, Loc at, NumStatus st)
{
    diag_error(en->p->diags, at, "arithmetic %s while allocating", num_status_str(st));
    return -1;
}

/* ---- splits of a metric ----------------------------------------------------------- */

Dim *al_split_dim(const Alloc *A, int i)
{
    return A->splits[i].dim;
}
int al_split_depth(const Alloc *A, int i)
{
    return A->splits[i].depth;
}
bool al_split_overassigns(const Alloc *A, int i)
{
    return A->splits[i].adj_kind == ADJ_OVERASSIGN;
}

static void add_info(Alloc *A, SplitInfo si)
{
    A->splits = xrealloc(A->splits, (size_t)(A->nsplits + 1) * sizeof *A->splits);
    A->splits[A->nsplits++] = si;
}

static int info_from(Engine *en, Alloc *A, const Node *n, const Node *spec)
{
    Symbols *sym = en->p->sym;
    SplitInfo si;
    memset(&si, 0, sizeof si);
    si.node = n;
    si.spec = spec;
    Level *lv = strmap_get(&sym->levels, n->a->name);
    if (!lv)
        return -1;
    si.dim = lv->dim;
    si.depth = lv->depth;
    for (Node *s = n->b; s && si.nscope < 16; s = s->next) {
        Member *m = sym_lookup_member(sym, s, NULL);
        if (m)
            si.scope[si.nscope++] = m;
    }
    if (n->d) {
        si.adj_kind = n->d->op;
        Frame top = {0};
        if (eval_num(&en->ev, &top, n->d->a, &si.adj) < 0)
            return -1;
    }
    if (spec->kind == N_SPEC_LIKE)
        si.like = strmap_get(&sym->metrics, spec->name);
    add_info(A, si);
    return 0;
}

const SplitList *al_splits_of(Engine *en, const char *metric)
{
    Symbols *s = en->p->sym;
    if (!en->by_metric.cap) /* index the plan's splits by metric, once */
        for (int i = 0; i < s->nsplits; i++) {
            SplitList *l = strmap_get(&en->by_metric, s->splits[i]->name);
            if (!l) {
                l = xcalloc(1, sizeof *l);
                strmap_put(&en->by_metric, s->splits[i]->name, l);
            }
            l->v = xrealloc(l->v, (size_t)(l->n + 1) * sizeof *l->v);
            l->v[l->n++] = s->splits[i];
        }
    static const SplitList none = {NULL, 0};
    const SplitList *l = strmap_get(&en->by_metric, metric);
    return l ? l : &none;
}

int al_collect_splits(Engine *en, Alloc *A)
{
    const SplitList *mine = al_splits_of(en, A->metric->name);
    for (int i = 0; i < mine->n; i++) {
        const Node *n = mine->v[i];
        if (n->a) {
            if (info_from(en, A, n, n->c) < 0)
                return -1;
            continue;
        }
        /* split M like X: every split of X, with X's shares */
        const SplitList *theirs = al_splits_of(en, n->c->name);
        for (int k = 0; k < theirs->n; k++)
            if (theirs->v[k]->a && info_from(en, A, theirs->v[k], n->c) < 0)
                return -1;
    }
    return 0;
}

/* ---- the engine ------------------------------------------------------------------------- */

Num al_metric_step(Engine *en, const Node *metric)
{
    Kind k = sym_value_kind(metric);
    return k == K_COUNT ? NUM_ONE : en->p->sym->round_step;
}

static bool busy(Engine *en, const Node *n)
{
    for (int i = 0; i < en->nbusy; i++)
        if (en->busy[i] == n)
            return true;
    return false;
}

/* Marks a metric's allocation, or a target expression, as being computed
 * (en->nbusy-- when done). */
static void push_busy(Engine *en, const Node *n)
{
    en->busy = xrealloc(en->busy, (size_t)(en->nbusy + 1) * sizeof *en->busy);
    en->busy[en->nbusy++] = n;
}

/* The root target of a metric: its target expression, or its derived formula. */
static int root_target(Engine *en, const Node *metric, const Node *at, Num *out)
{
    Symbols *s = en->p->sym;
    Node *t = strmap_get(&s->targets, metric->name);
    const Node *expr = t ? t->a : metric->op == MK_DERIVED ? metric->c : NULL;
    if (!t && al_is_derived(en, metric) && al_additive(metric)) {
        Alloc *A = alloc_get(en, metric); /* the sum of its cells */
        if (!A)
            return -1;
        *out = A->root;
        return 0;
    }
    if (!expr && strmap_get(&s->targets_from, metric->name)) {
        Alloc *A = alloc_get(en, metric); /* the sum of the submitted cells */
        if (!A)
            return -1;
        *out = A->root;
        return 0;
    }
    if (!expr) {
        diag_error(en->p->diags, at ? at->loc : metric->name_loc, "metric '%s' has no target",
                   metric->name);
        diag_note(en->p->diags, metric->name_loc, "add 'target %s = ...'", metric->name);
        return -1;
    }
    if (busy(en, expr)) { /* the expression, not the metric: its splits may read its target */
        diag_error(en->p->diags, at ? at->loc : metric->name_loc,
                   "the target of '%s' depends on itself", metric->name);
        return -1;
    }
    if (eval_enter(&en->ev, expr->loc, EVAL_UNITS_DEFINITION) < 0)
        return -1;
    push_busy(en, expr);
    Frame top = {0};
    int rc = eval_num(&en->ev, &top, expr, out);
    en->nbusy--;
    eval_leave(&en->ev, EVAL_UNITS_DEFINITION);
    return rc;
}

int alloc_root_target(Engine *en, const Node *metric, Num *out)
{
    return root_target(en, metric, NULL, out);
}

static int total_hook(Eval *e, const Node *call, const char *name, int fiscal_year, Num *out)
{
    Engine *en = e->user;
    if (strmap_get(&en->p->sym->incentives, name)) {
        diag_error(en->p->diags, call->loc,
                   "total(%s) sums incentive payouts: evaluated from a "
                   "later release",
                   name);
        return -1;
    }
    History *h = al_history(en, name, call);
    if (!h)
        return -1;
    bool overflow = false;
    *out = hist_total(h, en->p->sym->start_month, fiscal_year, &overflow);
    if (overflow)
        return al_num_err(en, call->loc, NUM_OVERFLOW);
    return 0;
}

void alloc_engine_init(Engine *en, Program *p)
{
    memset(en, 0, sizeof *en);
    en->p = p;
    eval_init(&en->ev, p);
    en->ev.metric = al_metric_hook;
    en->ev.total = total_hook;
    en->ev.hist = al_derived_history;
    en->ev.user = en;
    en->max_cells = 50000000;
}

void al_alloc_free(Alloc *A)
{
    for (int i = 0; i < A->nax; i++) {
        Axis *ax = &A->ax[i];
        for (int q = 0; !ax->shared && q < ax->npseudo; q++)
            free(ax->pseudo[q]);
        if (!ax->shared)
            free(ax->pseudo); /* a shared axis borrows its reserve rows (derived.c) */
        free(ax->marginal);
        free(ax->like_seen);
        free(ax->canon);
        free(A->factor[i]);
        if (!ax->shared) {
            free(ax->leaves);
            free(ax->leaf_of);
        }
        for (int k = 0; k < ax->nsl; k++) {
            free(ax->grp_reserve[k]);
            free(ax->free_splits[k]);
            free(ax->scoped[k]);
        }
    }
    al_grids_free(A);
    free(A->splits);
    free(A->note);
    al_kept_sums_free(A);
    free(A->exact);
    free(A);
}

static void free_split_lists(StrMap *by_metric)
{
    for (size_t i = 0; i < by_metric->count; i++) {
        SplitList *l = by_metric->slots[i].val;
        free(l->v);
        free(l);
    }
    strmap_free(by_metric);
}

/* The leaf sets and groupings the engine shares among metrics. */
static void free_shared_sets(Engine *en)
{
    for (int i = 0; i < en->nleafsets; i++) {
        free(en->leafsets[i].leaves);
        free(en->leafsets[i].leaf_of);
        free(en->leafsets[i].first_key);
    }
    free(en->leafsets);
    for (int i = 0; i < en->ngroupings; i++) {
        free(en->groupings[i].start);
        free(en->groupings[i].parent);
        free(en->groupings[i].kids);
    }
    free(en->groupings);
}

void alloc_engine_free(Engine *en)
{
    al_exact_months_free(en);
    for (int i = 0; i < en->nallocs; i++)
        al_alloc_free(en->allocs[i]);
    free(en->allocs);
    free(en->busy);
    for (size_t i = 0; i < en->hists.count; i++)
        hist_free(en->hists.slots[i].val);
    free_split_lists(&en->by_metric);
    strmap_free(&en->full);
    free(en->activity_dim);
    free(en->activity);
    free_shared_sets(en);
    free(en->scratch);
    free(en->month_codes);
    strmap_free(&en->hists);
    for (size_t i = 0; i < en->last_years.count; i++)
        al_last_year_free(en->last_years.slots[i].val);
    strmap_free(&en->last_years);
    eval_free(&en->ev);
}

static bool same_cuts(const Alloc *A, const int *cuts)
{
    for (int i = 0; i < ALLOC_MAX_AXES; i++)
        if (A->asked_cut[i] != (cuts ? cuts[i] : AL_NO_CUT))
            return false;
    return true;
}

/* The allocation made before for these cuts (NULL: the full one), or NULL. */
static Alloc *cached_alloc(Engine *en, const Node *metric, const int *cuts)
{
    if (!cuts) { /* the common case, often for the metric asked for last */
        Alloc *A = en->last_full;
        if (A && A->metric == metric && !A->stale)
            return A;
        if ((A = strmap_get(&en->full, metric->name)) != NULL)
            en->last_full = A;
        return A;
    }
    for (int i = 0; i < en->nallocs; i++)
        if (en->allocs[i]->metric == metric && !en->allocs[i]->stale &&
            same_cuts(en->allocs[i], cuts))
            return en->allocs[i];
    return NULL;
}

/* An allocation whose evaluation was stopped (Ctrl-C in the REPL,
 * --max-steps) leaves the cache: the next ask makes it afresh.  It stays
 * in en->allocs, to be freed with the engine. */
static Alloc *forget_alloc(Engine *en, Alloc *A)
{
    A->stale = true;
    A->failed = true;
    if (strmap_get(&en->full, A->metric->name) == A)
        strmap_put(&en->full, A->metric->name, NULL);
    return NULL;
}

/* A new, empty allocation of metric, cached at once (a cycle finds it). */
static Alloc *new_alloc(Engine *en, const Node *metric, const int *cuts)
{
    Alloc *A = xcalloc(1, sizeof *A);
    A->metric = metric;
    for (int i = 0; i < ALLOC_MAX_AXES; i++)
        A->asked_cut[i] = cuts ? cuts[i] : AL_NO_CUT;
    A->step = al_metric_step(en, metric);
    A->unit = sym_value_kind(metric) == K_MONEY ? sym_unit(en->p->sym) : NULL;
    Kind k = sym_metric_kind(metric);
    A->level_metric = k == K_PERCENT || k == K_SCORE ||
                      (metric->op == MK_DERIVED && strmap_get(&en->p->sym->targets, metric->name));
    en->allocs = xrealloc(en->allocs, (size_t)(en->nallocs + 1) * sizeof *en->allocs);
    en->allocs[en->nallocs++] = A;
    if (!cuts)
        strmap_put(&en->full, metric->name, A);
    return A;
}

/* A bottom-up target: the submitted cells, which cannot also be split. */
static int bottom_up_alloc(Engine *en, Alloc *A, const Node *from)
{
    if (from->c && alloc_has_splits(en, A->metric)) { /* last year's cells may be split below */
        diag_error(en->p->diags, from->loc,
                   "'%s' has a bottom-up target, so it cannot also be split", A->metric->name);
        return -1;
    }
    return from->c ? al_bottom_up(en, A, from) : al_history_target(en, A, from);
}

/* A table above over-assignment: the splits below the cuts (one per
 * dimension, in the order of first split) lose it. */
static void drop_overassign_below(Alloc *A, const int *cuts)
{
    Dim *order[ALLOC_MAX_AXES];
    int nd = 0;
    for (int i = 0; i < A->nsplits; i++) {
        bool seen = false;
        for (int q = 0; q < nd; q++)
            seen |= order[q] == A->splits[i].dim;
        if (!seen && nd < ALLOC_MAX_AXES)
            order[nd++] = A->splits[i].dim;
    }
    for (int i = 0; i < A->nsplits; i++)
        for (int q = 0; q < nd; q++)
            if (order[q] == A->splits[i].dim && A->splits[i].adj_kind == ADJ_OVERASSIGN &&
                A->splits[i].depth > cuts[q])
                A->splits[i].adj_kind = 0;
}

/* Target, splits, axes and (but for level metrics) the joint cells. */
static int compute_alloc(Engine *en, Alloc *A, const int *cuts)
{
    if (al_is_derived(en, A->metric) && al_additive(A->metric)) {
        push_busy(en, A->metric);
        int rc = al_derived_alloc(en, A);
        en->nbusy--;
        return rc;
    }
    int rc = root_target(en, A->metric, NULL, &A->root);
    push_busy(en, A->metric);
    if (rc == 0)
        rc = al_collect_splits(en, A);
    if (rc == 0 && cuts)
        drop_overassign_below(A, cuts);
    if (rc == 0)
        rc = al_build_axes(en, A, NULL);
    if (rc == 0 && !A->level_metric)
        rc = al_compute(en, A);
    en->nbusy--;
    return rc;
}

Alloc *al_alloc_get_cut(Engine *en, const Node *metric, const int *cuts)
{
    Alloc *A = cached_alloc(en, metric, cuts);
    if (A && !A->computing)
        return A->failed ? NULL : A;
    if (!A)
        A = new_alloc(en, metric, cuts);
    if (A->computing || busy(en, metric)) { /* check reports the cycle with its edges */
        diag_error(en->p->diags, metric->name_loc, "the allocation of '%s' depends on itself",
                   metric->name);
        A->failed = true;
        return NULL;
    }
    Node *from = strmap_get(&en->p->sym->targets_from, metric->name);
    if (eval_enter(&en->ev, metric->name_loc, EVAL_UNITS_ALLOC) < 0)
        return forget_alloc(en, A);
    A->computing = true;
    int rc = from ? bottom_up_alloc(en, A, from) : compute_alloc(en, A, cuts);
    A->computing = false;
    eval_leave(&en->ev, EVAL_UNITS_ALLOC);
    if (rc < 0 && en->ev.budget->stop != EVAL_GOING)
        return forget_alloc(en, A);
    A->failed = A->failed || rc < 0;
    return A->failed ? NULL : A;
}

Alloc *alloc_get(Engine *en, const Node *metric)
{
    return al_alloc_get_cut(en, metric, NULL);
}

/* A level metric's value set for m or its nearest ancestor by a split
 * naming it; false when none does (the root target applies). */
bool al_explicit_value(Engine *en, Alloc *A, const Member *m, Num *out)
{
    for (; m; m = m->parent)
        for (int i = 0; i < A->nsplits; i++) {
            SplitInfo *si = &A->splits[i];
            if (si->dim != m->dim || si->depth != m->depth || si->spec->kind != N_SPEC_MAP)
                continue;
            for (const Node *e = si->spec->a; e; e = e->next)
                if (sym_lookup_member_in(en->p->sym, e->a, si->dim, NULL) == m) {
                    Frame top = {0};
                    return eval_num(&en->ev, &top, e->b, out) == 0;
                }
        }
    return false;
}

/* A level metric's value for a member: set by a split naming it, else
 * inherited from its parent, else the root target. */
bool al_level_value(Engine *en, Alloc *A, const Member *m, Num *out)
{
    if (!m || !al_explicit_value(en, A, m, out))
        *out = A->root;
    return true;
}

bool al_level_at(Engine *en, Alloc *A, Member *const *coords, int n, Num *out)
{
    for (int k = n - 1; k > 0; k--) /* the later coordinate's own value wins */
        if (coords[k] && al_explicit_value(en, A, coords[k], out))
            return true;
    return al_level_value(en, A, n ? coords[0] : NULL, out);
}

int al_metric_hook(Eval *e, const Node *metric, Member **coords, int ncoords, const Node *at,
                   Num *out)
{
    Engine *en = e->user;
    if (en->dctx && coords == en->dctx->coords)
        return al_derived_value(en, metric, out);
    if (!coords || ncoords == 0)
        return root_target(en, metric, at, out);
    if (al_is_derived(en, metric) && !al_additive(metric))
        return al_ratio_at(en, metric, coords, ncoords, at, out);
    Alloc *A = alloc_get(en, metric);
    if (!A)
        return -1;
    if (A->level_metric)
        return al_level_at(en, A, coords, ncoords, out) ? 0 : -1;
    Level *lv[ALLOC_MAX_AXES];
    int n = ncoords < ALLOC_MAX_AXES ? ncoords : ALLOC_MAX_AXES;
    for (int k = 0; k < n; k++)
        lv[k] = &coords[k]->dim->levels[coords[k]->depth];
    A = al_table_alloc(en, A, lv, n);
    return A ? al_cell(en, A, coords, ncoords, at, out) : -1;
}
