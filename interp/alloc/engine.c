/* alloc.c -- the allocation engine: a metric's target, split down every
 * dimension it is split by, into exact joint cells, then controlled rounding
 * so that every table adds up.  This file gathers a metric's splits, builds
 * its axes and runs the engine (caching, cycles, the metric hook for
 * expressions); atree.c, around.c and atable.c do the rest.  See
 * docs/LANGUAGE.md "How splits combine" for the model. */
#include <stdlib.h>
#include <string.h>

#include "alloc/alloc_int.h"

/* ---- small helpers ----------------------------------------------------------- */

Level *al_level_of(Dim *d, int depth) { return &d->levels[depth]; }

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
    const char *s = m->name;
    return ((s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0')) * 100 +
           (s[5] - '0') * 10 + (s[6] - '0');
}

/* A value in a message: the plan's decimals, or more when it has more,
 * so that "rest would be -0.06" is not shown as 0. */
char *al_fmtv(const Alloc *A, Num v, char *buf)
{
    return vf_plan(v, num_decimals(A->step), buf);
}

int al_num_err(Engine *en, Loc at, NumStatus st)
{
    diag_error(en->p->diags, at, "arithmetic %s while allocating", num_status_str(st));
    return -1;
}

/* ---- splits of a metric ----------------------------------------------------------- */

Dim *al_split_dim(const Alloc *A, int i) { return A->splits[i].dim; }
int al_split_depth(const Alloc *A, int i) { return A->splits[i].depth; }
bool al_split_overassigns(const Alloc *A, int i) { return A->splits[i].adj_kind == OVERASSIGN; }

static void add_info(Alloc *A, SplitInfo si)
{
    A->splits = xrealloc(A->splits, (size_t)(A->nsplits + 1) * sizeof *A->splits);
    A->splits[A->nsplits++] = si;
}

static int info_from(Engine *en, Alloc *A, const Node *n, const Node *spec)
{
    R *r = &en->ev.r;
    SplitInfo si;
    memset(&si, 0, sizeof si);
    si.node = n;
    si.spec = spec;
    Level *lv = strmap_get(&r->s->levels, n->a->name);
    if (!lv)
        return -1;
    si.dim = lv->dim;
    si.depth = lv->depth;
    for (Node *s = n->b; s && si.nscope < 16; s = s->next) {
        Member *m = lookup_member(r, s, false);
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
        si.like = strmap_get(&r->s->metrics, spec->name);
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

static int collect_splits(Engine *en, Alloc *A)
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

/* ---- axes ---------------------------------------------------------------------------- */

/* Whether any member of d has start/end (set by resolve): once per dimension. */
static bool dim_has_activity(Engine *en, const Dim *d)
{
    for (int i = 0; i < en->nactivity; i++)
        if (en->activity_dim[i] == d)
            return en->activity[i];
    bool any = false;
    for (size_t i = 0; i < d->nmembers && !any; i++)
        any = d->members[i]->active_from || d->members[i]->active_to;
    en->activity_dim = xrealloc(en->activity_dim, (size_t)(en->nactivity + 1) * sizeof(Dim *));
    en->activity = xrealloc(en->activity, (size_t)(en->nactivity + 1) * sizeof(bool));
    en->activity_dim[en->nactivity] = d;
    en->activity[en->nactivity++] = any;
    return any;
}

int al_axis_of(const Alloc *A, const Dim *d)
{
    for (int i = 0; i < A->nax; i++)
        if (A->ax[i].dim == d)
            return i;
    return -1;
}

static Member *make_reserve(Alloc *A, Axis *ax, const Member *parent, int depth)
{
    (void)A;
    Member *m = xcalloc(1, sizeof *m);
    m->name = "reserve";
    m->label = NULL;
    m->dim = ax->dim;
    m->depth = depth;
    m->parent = (Member *)parent;
    m->pseudo = true;
    m->gindex = (int)ax->dim->nmembers + ax->npseudo;
    ax->pseudo = xrealloc(ax->pseudo, (size_t)(ax->npseudo + 1) * sizeof *ax->pseudo);
    ax->pseudo[ax->npseudo++] = m;
    return m;
}

static bool scope_fits_parent(const SplitInfo *si, const Member *p)
{
    bool any = false, hit = false;
    for (int k = 0; k < si->nscope; k++)
        if (si->scope[k]->dim == si->dim) {
            any = true;
            hit |= p && al_under_or_is(p, si->scope[k]);
        }
    return !any || hit;
}


static Grouping *grouping(Engine *en, Dim *d, int depth, int pd)
{
    for (int i = 0; i < en->ngroupings; i++) {
        Grouping *g = &en->groupings[i];
        if (g->dim == d && g->depth == depth && g->pdepth == pd)
            return g;
    }
    en->groupings = xrealloc(en->groupings, (size_t)(en->ngroupings + 1) * sizeof *en->groupings);
    Grouping *gr = &en->groupings[en->ngroupings++];
    gr->dim = d;
    gr->depth = depth;
    gr->pdepth = pd;
    int *pos = xmalloc((d->nmembers ? d->nmembers : 1) * sizeof *pos); /* gindex -> group */
    int ng = pd < 0 ? 1 : 0;
    if (pd >= 0)
        for (size_t i = 0; i < d->nmembers; i++)
            if (d->members[i]->depth == pd)
                pos[i] = ng++;
    gr->ngrp = ng;
    gr->parent = xcalloc((size_t)ng + 1, sizeof *gr->parent);
    gr->start = xcalloc((size_t)ng + 2, sizeof *gr->start);
    if (pd >= 0)
        for (size_t i = 0; i < d->nmembers; i++)
            if (d->members[i]->depth == pd)
                gr->parent[pos[i]] = d->members[i];
    size_t nkids = 0;
    for (size_t i = 0; i < d->nmembers; i++)
        if (d->members[i]->depth == depth) {
            const Member *a = pd < 0 ? NULL : al_ancestor_at(d->members[i], pd);
            gr->start[(a ? pos[a->gindex] : 0) + 1]++;
            nkids++;
        }
    for (int g = 0; g < ng; g++)
        gr->start[g + 1] += gr->start[g];
    gr->kids = xmalloc((nkids ? nkids : 1) * sizeof *gr->kids);
    int *fill = xcalloc((size_t)ng + 1, sizeof *fill);
    for (size_t i = 0; i < d->nmembers; i++)
        if (d->members[i]->depth == depth) {
            const Member *a = pd < 0 ? NULL : al_ancestor_at(d->members[i], pd);
            int g = a ? pos[a->gindex] : 0;
            gr->kids[gr->start[g] + fill[g]++] = d->members[i];
        }
    free(fill);
    free(pos);
    return gr;
}

/* Groups the members of split level k by their ancestor at level k-1. */
static void group_children(Engine *en, Axis *ax, int k)
{
    Grouping *g = grouping(en, ax->dim, ax->sl[k], k ? ax->sl[k - 1] : -1);
    ax->ngrp[k] = g->ngrp;
    ax->grp_start[k] = g->start;
    ax->grp_parent[k] = g->parent;
    ax->grp_kids[k] = g->kids;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Candidate splits of level k, indexed by the scope member in this
 * dimension, and each group's reserve row. */
static void index_splits(Alloc *A, Axis *ax, int k)
{
    Dim *d = ax->dim;
    ax->free_splits[k] = xmalloc(((size_t)A->nsplits + 1) * sizeof *ax->free_splits[k]);
    ax->scoped[k] = xmalloc(((size_t)A->nsplits * 16 + 1) * sizeof *ax->scoped[k]);
    ax->nfree[k] = ax->nscoped[k] = 0;
    for (int i = 0; i < A->nsplits; i++) {
        const SplitInfo *si = &A->splits[i];
        if (si->dim != d || si->depth != ax->sl[k])
            continue;
        bool scoped = false;
        for (int q = 0; q < si->nscope; q++)
            if (si->scope[q]->dim == d) {
                scoped = true;
                ax->scoped[k][ax->nscoped[k]++] = (int64_t)si->scope[q]->gindex << 32 | i;
            }
        if (!scoped)
            ax->free_splits[k][ax->nfree[k]++] = i;
    }
    qsort(ax->scoped[k], (size_t)ax->nscoped[k], sizeof *ax->scoped[k], cmp_i64);
    ax->grp_reserve[k] = NULL;
    for (int q = 0; q < ax->npseudo; q++) {
        if (ax->pseudo[q]->depth != ax->sl[k])
            continue;
        if (!ax->grp_reserve[k])
            ax->grp_reserve[k] = xcalloc((size_t)ax->ngrp[k] + 1, sizeof *ax->grp_reserve[k]);
        for (int g = 0; g < ax->ngrp[k]; g++)
            if (ax->grp_parent[k][g] == ax->pseudo[q]->parent)
                ax->grp_reserve[k][g] = ax->pseudo[q];
    }
}

/* Whether the split of level k that applies to parent p over-assigns or
 * reserves (kind): the most specific split scoped in this dimension, or any
 * scoped by another dimension (it adjusts some cells). */
bool al_adjusts(const Alloc *A, const Axis *ax, int k, const Member *p, int kind)
{
    const SplitInfo *best = NULL;
    int best_depth = -2;
    bool cross_adjust = false;
    for (int i = 0; i < A->nsplits; i++) {
        const SplitInfo *si = &A->splits[i];
        if (si->dim != ax->dim || si->depth != ax->sl[k] || !scope_fits_parent(si, p))
            continue;
        bool cross = false;
        int depth = -1;
        for (int q = 0; q < si->nscope; q++) {
            if (si->scope[q]->dim != ax->dim)
                cross = true;
            else if (p && al_under_or_is(p, si->scope[q]) && si->scope[q]->depth > depth)
                depth = si->scope[q]->depth;
        }
        if (cross)
            cross_adjust |= si->adj_kind == kind;
        else if (depth > best_depth) {
            best = si;
            best_depth = depth;
        }
    }
    return cross_adjust || (best && best->adj_kind == kind);
}

/* The members of d at one depth, and their positions: the same for every
 * metric, so the engine keeps one per (dimension, depth). */
typedef struct LeafSet {
    const Dim *dim;
    int depth;
    Member **leaves;
    size_t n;
    int *leaf_of;
} LeafSet;

static LeafSet *leaf_set(Engine *en, Dim *d, int depth)
{
    for (int i = 0; i < en->nleafsets; i++)
        if (en->leafsets[i].dim == d && en->leafsets[i].depth == depth)
            return &en->leafsets[i];
    en->leafsets = xrealloc(en->leafsets, (size_t)(en->nleafsets + 1) * sizeof *en->leafsets);
    LeafSet *ls = &en->leafsets[en->nleafsets++];
    ls->dim = d;
    ls->depth = depth;
    ls->n = 0;
    ls->leaves = xmalloc((d->nmembers + 1) * sizeof *ls->leaves);
    ls->leaf_of = xmalloc((d->nmembers + 1) * sizeof *ls->leaf_of);
    for (size_t i = 0; i < d->nmembers; i++) {
        ls->leaf_of[i] = -1;
        if (d->members[i]->depth == depth) {
            ls->leaf_of[i] = (int)ls->n;
            ls->leaves[ls->n++] = d->members[i];
        }
    }
    return ls;
}

static int build_axis(Engine *en, Alloc *A, Axis *ax, int cut)
{
    Dim *d = ax->dim;
    for (int i = 0; i < A->nsplits; i++) {
        SplitInfo *si = &A->splits[i];
        if (si->dim != d || si->depth > cut)
            continue;
        bool seen = false;
        for (int k = 0; k < ax->nsl; k++)
            seen |= ax->sl[k] == si->depth;
        if (!seen && ax->nsl < 8)
            ax->sl[ax->nsl++] = si->depth;
    }
    for (int i = 1; i < ax->nsl; i++) /* sort the split levels top-down */
        for (int j = i; j > 0 && ax->sl[j - 1] > ax->sl[j]; j--) {
            int t = ax->sl[j];
            ax->sl[j] = ax->sl[j - 1];
            ax->sl[j - 1] = t;
        }
    /* a scope inside the split's own dimension must be a split level above it */
    for (int i = 0; i < A->nsplits; i++) {
        SplitInfo *si = &A->splits[i];
        if (si->dim != d || si->depth > cut)
            continue;
        for (int k = 0; k < si->nscope; k++) {
            Member *s = si->scope[k];
            if (s->dim != d)
                continue;
            bool ok = false;
            for (int j = 0; j < ax->nsl; j++)
                ok |= ax->sl[j] == s->depth;
            if (!ok) {
                diag_error(en->p->diags, si->node->loc,
                           "'in %s' needs a split of %s by %s, so that %s has a value to split",
                           s->name, A->metric->name, al_level_of(d, s->depth)->name, s->name);
                diag_note_plain(en->p->diags, "add 'split %s by %s ...', or scope by a %s",
                                A->metric->name, al_level_of(d, s->depth)->name,
                                al_level_of(d, ax->sl[0] < si->depth ? ax->sl[0] : 0)->name);
                return -1;
            }
        }
    }
    int grain = ax->sl[ax->nsl - 1];
    /* reserve rows: one per parent whose split reserves */
    for (int k = 0; k < ax->nsl; k++) {
        bool any = false; /* most levels reserve nothing: skip them */
        for (int i = 0; i < A->nsplits && !any; i++)
            any = A->splits[i].dim == d && A->splits[i].depth == ax->sl[k] &&
                  A->splits[i].adj_kind == RESERVE;
        if (!any)
            continue;
        int pd = k ? ax->sl[k - 1] : -1;
        size_t np = pd < 0 ? 1 : d->nmembers;
        for (size_t j = 0; j < np; j++) {
            const Member *p = pd < 0 ? NULL : d->members[j];
            if (p && p->depth != pd)
                continue;
            if (al_adjusts(A, ax, k, p, RESERVE))
                make_reserve(A, ax, p, ax->sl[k]);
        }
    }
    for (int k = 0; k < ax->nsl; k++) {
        group_children(en, ax, k);
        index_splits(A, ax, k);
    }
    if (ax->npseudo == 0) { /* the members at the grain: shared by all metrics */
        LeafSet *ls = leaf_set(en, d, grain);
        ax->leaves = ls->leaves;
        ax->nleaves = ls->n;
        ax->leaf_of = ls->leaf_of;
        ax->shared = true;
        return 0;
    }
    size_t total = d->nmembers + (size_t)ax->npseudo;
    ax->leaf_of = xmalloc(total * sizeof *ax->leaf_of);
    for (size_t i = 0; i < total; i++)
        ax->leaf_of[i] = -1;
    ax->leaves = xmalloc((total ? total : 1) * sizeof *ax->leaves);
    for (size_t i = 0; i < d->nmembers; i++)
        if (d->members[i]->depth == grain) {
            ax->leaf_of[i] = (int)ax->nleaves;
            ax->leaves[ax->nleaves++] = d->members[i];
        }
    for (int q = 0; q < ax->npseudo; q++) {
        ax->leaf_of[ax->pseudo[q]->gindex] = (int)ax->nleaves;
        ax->leaves[ax->nleaves++] = ax->pseudo[q];
    }
    return 0;
}

static int build_axes(Engine *en, Alloc *A, const int *cuts)
{
    for (int i = 0; i < A->nsplits; i++) {
        Dim *d = A->splits[i].dim;
        if (al_axis_of(A, d) >= 0)
            continue;
        if (A->nax == ALLOC_MAX_AXES) {
            diag_error(en->p->diags, A->splits[i].node->loc, "a metric can be split by at most %d "
                                                              "dimensions", ALLOC_MAX_AXES);
            return -1;
        }
        A->ax[A->nax++].dim = d;
    }
    int kept = 0;
    for (int i = 0; i < A->nax; i++) {
        int cut = cuts ? cuts[i] : 1 << 20;
        A->grain_cut[i] = cut;
        bool any = false; /* a cut above every split of this dimension drops it */
        for (int k = 0; k < A->nsplits; k++)
            any |= A->splits[k].dim == A->ax[i].dim && A->splits[k].depth <= cut;
        if (!any)
            continue;
        A->ax[kept] = A->ax[i];
        A->grain_cut[kept] = cut;
        if (build_axis(en, A, &A->ax[kept], cut) < 0)
            return -1;
        kept++;
    }
    A->nax = kept;
    /* amounts cannot lock a cell of two dimensions (see LANGUAGE.md) */
    for (int k = 0; k < A->nsplits; k++) {
        const SplitInfo *si = &A->splits[k];
        const Member *other = NULL;
        for (int q = 0; q < si->nscope; q++)
            if (si->scope[q]->dim != si->dim)
                other = si->scope[q];
        if (!other || si->spec->kind != N_SPEC_MAP)
            continue;
        for (const Node *e = si->spec->a; e; e = e->next)
            if (e->b->kind != N_REST && !al_share_expr(en, e->b)) {
                diag_error(en->p->diags, e->b->loc, "an amount in a split scoped by another "
                                                    "dimension ('in %s') is not supported",
                           other->name);
                diag_note_plain(en->p->diags, "use a share (such as 60%%), 'rest' or weights");
                return -1;
            }
    }
    /* which axes depend on the coordinates of earlier ones */
    for (int i = 0; i < A->nax; i++) {
        Axis *ax = &A->ax[i];
        for (int k = 0; k < A->nsplits; k++)
            if (A->splits[k].dim == ax->dim)
                for (int q = 0; q < A->splits[k].nscope; q++)
                    ax->depends |= A->splits[k].scope[q]->dim != ax->dim;
        for (int j = 0; j < i; j++) {
            bool time_pair = A->ax[j].dim->is_time || ax->dim->is_time;
            Dim *other = A->ax[j].dim->is_time ? ax->dim : A->ax[j].dim;
            if (time_pair && dim_has_activity(en, other))
                ax->depends = true;
        }
    }
    return 0;
}

/* ---- the engine ------------------------------------------------------------------------- */

Num al_metric_step(Engine *en, const Node *metric)
{
    Kind k = kind_of_metric(metric);
    return k == K_COUNT ? NUM_ONE : en->p->sym->round_step;
}

static bool busy(Engine *en, const Node *metric)
{
    for (int i = 0; i < en->nbusy; i++)
        if (en->busy[i] == metric)
            return true;
    return false;
}

/* The root target of a metric: its target expression, or its derived formula. */
static int root_target(Engine *en, const Node *metric, const Node *at, Num *out)
{
    Symbols *s = en->p->sym;
    Node *t = strmap_get(&s->targets, metric->name);
    const Node *expr = t ? t->a : metric->op == MK_DERIVED ? metric->c : NULL;
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
    if (busy(en, metric)) {
        diag_error(en->p->diags, at ? at->loc : metric->name_loc,
                   "the target of '%s' depends on itself", metric->name);
        return -1;
    }
    en->busy = xrealloc(en->busy, (size_t)(en->nbusy + 1) * sizeof *en->busy);
    en->busy[en->nbusy++] = metric;
    Frame top = {0};
    int rc = eval_num(&en->ev, &top, expr, out);
    en->nbusy--;
    return rc;
}


static int total_hook(Eval *e, const Node *call, const char *name, int fiscal_year, Num *out)
{
    Engine *en = e->user;
    if (strmap_get(&en->p->sym->incentives, name)) {
        diag_error(en->p->diags, call->loc, "total(%s) sums incentive payouts: evaluated from a "
                                            "later release", name);
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

void engine_init(Engine *en, Program *p)
{
    memset(en, 0, sizeof *en);
    en->p = p;
    eval_init(&en->ev, p);
    en->ev.metric = al_metric_hook;
    en->ev.total = total_hook;
    en->ev.user = en;
    en->max_cells = 50000000;
}

static void free_alloc(Alloc *A)
{
    for (int i = 0; i < A->nax; i++) {
        Axis *ax = &A->ax[i];
        for (int q = 0; q < ax->npseudo; q++)
            free(ax->pseudo[q]);
        free(ax->pseudo);
        free(ax->marginal);
        free(ax->canon);
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
    free(A->splits);
    free(A->note);
    free(A->exact);
    free(A);
}

void engine_free(Engine *en)
{
    for (int i = 0; i < en->nallocs; i++)
        free_alloc(en->allocs[i]);
    free(en->allocs);
    free(en->busy);
    for (size_t i = 0; i < en->hists.cap; i++)
        if (en->hists.keys[i])
            hist_free(en->hists.vals[i]);
    for (size_t i = 0; i < en->by_metric.cap; i++)
        if (en->by_metric.keys[i]) {
            SplitList *l = en->by_metric.vals[i];
            free(l->v);
            free(l);
        }
    strmap_free(&en->by_metric);
    strmap_free(&en->full);
    free(en->activity_dim);
    free(en->activity);
    for (int i = 0; i < en->nleafsets; i++) {
        free(en->leafsets[i].leaves);
        free(en->leafsets[i].leaf_of);
    }
    free(en->leafsets);
    for (int i = 0; i < en->ngroupings; i++) {
        free(en->groupings[i].start);
        free(en->groupings[i].parent);
        free(en->groupings[i].kids);
    }
    free(en->groupings);
    free(en->scratch);
    strmap_free(&en->hists);
    eval_free(&en->ev);
}

static bool same_cuts(const Alloc *A, const int *cuts)
{
    for (int i = 0; i < ALLOC_MAX_AXES; i++)
        if (A->asked_cut[i] != (cuts ? cuts[i] : 1 << 20))
            return false;
    return true;
}

Alloc *al_alloc_get_cut(Engine *en, const Node *metric, const int *cuts)
{
    Alloc *known = cuts ? NULL : strmap_get(&en->full, metric->name); /* the common case */
    if (known)
        return known->failed ? NULL : known;
    for (int i = 0; cuts && i < en->nallocs; i++)
        if (en->allocs[i]->metric == metric && same_cuts(en->allocs[i], cuts))
            return en->allocs[i]->failed ? NULL : en->allocs[i];
    Alloc *A = xcalloc(1, sizeof *A);
    A->metric = metric;
    for (int i = 0; i < ALLOC_MAX_AXES; i++)
        A->asked_cut[i] = cuts ? cuts[i] : 1 << 20;
    A->step = al_metric_step(en, metric);
    Kind k = kind_of_metric(metric);
    A->level_metric = k == K_PERCENT || k == K_SCORE ||
                      (metric->op == MK_DERIVED && strmap_get(&en->p->sym->targets, metric->name));
    en->allocs = xrealloc(en->allocs, (size_t)(en->nallocs + 1) * sizeof *en->allocs);
    en->allocs[en->nallocs++] = A;
    if (!cuts)
        strmap_put(&en->full, metric->name, A);
    if (busy(en, metric)) {
        diag_error(en->p->diags, metric->name_loc, "the allocation of '%s' depends on itself",
                   metric->name);
        A->failed = true;
        return NULL;
    }
    Node *from = strmap_get(&en->p->sym->targets_from, metric->name);
    if (from) {
        if (alloc_has_splits(en, metric)) {
            diag_error(en->p->diags, from->loc, "'%s' has a bottom-up target, so it cannot also be "
                                                "split", metric->name);
            A->failed = true;
            return NULL;
        }
        A->failed = al_bottom_up(en, A, from) < 0;
        return A->failed ? NULL : A;
    }
    int rc = root_target(en, metric, NULL, &A->root);
    en->busy = xrealloc(en->busy, (size_t)(en->nbusy + 1) * sizeof *en->busy);
    en->busy[en->nbusy++] = metric;
    if (rc == 0)
        rc = collect_splits(en, A);
    if (rc == 0 && cuts) { /* a table above over-assignment: those splits without it */
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
                if (order[q] == A->splits[i].dim && A->splits[i].adj_kind == OVERASSIGN &&
                    A->splits[i].depth > cuts[q])
                    A->splits[i].adj_kind = 0;
    }
    if (rc == 0)
        rc = build_axes(en, A, NULL);
    if (rc == 0 && !A->level_metric)
        rc = al_compute(en, A);
    en->nbusy--;
    A->failed = rc < 0;
    return A->failed ? NULL : A;
}

Alloc *alloc_get(Engine *en, const Node *metric) { return al_alloc_get_cut(en, metric, NULL); }

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
                if (lookup_member_in(&en->ev.r, e->a, si->dim, false) == m) {
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

int al_metric_hook(Eval *e, const Node *metric, Member **coords, int ncoords, const Node *at,
                       Num *out)
{
    Engine *en = e->user;
    if (!coords || ncoords == 0)
        return root_target(en, metric, at, out);
    Alloc *A = alloc_get(en, metric);
    if (!A)
        return -1;
    if (A->level_metric)
        return al_level_value(en, A, coords[ncoords - 1], out) ? 0 : -1;
    Level *lv[ALLOC_MAX_AXES];
    int n = ncoords < ALLOC_MAX_AXES ? ncoords : ALLOC_MAX_AXES;
    for (int k = 0; k < n; k++)
        lv[k] = &coords[k]->dim->levels[coords[k]->depth];
    A = al_table_alloc(en, A, lv, n);
    return A ? al_cell(en, A, coords, ncoords, at, out) : -1;
}

