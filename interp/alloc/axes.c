/* axes.c -- a metric's axes: one per dimension it is split by, with its
 * split levels, reserve rows, children grouped by parent, candidate
 * splits per level and leaves; what depends on the other axes.  Built
 * once per allocation from its SplitInfo; no values are computed here. */
#include <stdlib.h>
#include <string.h>

#include "alloc/alloc_int.h"

/* ---- reserve rows, groups and candidate splits of a level ------------------------------- */

/* A reserve row under parent (NULL: the plan) at depth, owned by the axis. */
static Member *make_reserve(Axis *ax, const Member *parent, int depth)
{
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

/* Numbers the members at depth pd (the parents) into gr: their group
 * positions by gindex (pos), and each group's parent.  pd < 0: one group,
 * the whole plan. */
static int *number_parents(Grouping *gr, const Dim *d, int pd)
{
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
    return pos;
}

/* The group of a member at the grouping's depth. */
static int group_of(const Grouping *gr, const Member *m, const int *pos)
{
    const Member *a = gr->pdepth < 0 ? NULL : al_ancestor_at(m, gr->pdepth);
    return a ? pos[a->gindex] : 0;
}

/* Places the members at the grouping's depth in their groups (start, kids). */
static void place_kids(Grouping *gr, const Dim *d, const int *pos)
{
    size_t nkids = 0;
    for (size_t i = 0; i < d->nmembers; i++)
        if (d->members[i]->depth == gr->depth) {
            gr->start[group_of(gr, d->members[i], pos) + 1]++;
            nkids++;
        }
    for (int g = 0; g < gr->ngrp; g++)
        gr->start[g + 1] += gr->start[g];
    gr->kids = xmalloc((nkids ? nkids : 1) * sizeof *gr->kids);
    int *fill = xcalloc((size_t)gr->ngrp + 1, sizeof *fill);
    for (size_t i = 0; i < d->nmembers; i++)
        if (d->members[i]->depth == gr->depth) {
            int g = group_of(gr, d->members[i], pos);
            gr->kids[gr->start[g] + fill[g]++] = d->members[i];
        }
    free(fill);
}

/* The members of d at depth grouped by their ancestor at pd: made once per
 * (dimension, depth, pd) and kept by the engine. */
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
    int *pos = number_parents(gr, d, pd);
    place_kids(gr, d, pos);
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

/* Candidate splits of level k: those with no scope in this dimension
 * (free_splits), and (scope member's gindex, split) pairs sorted (scoped). */
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
}

/* Each group's reserve row at split level k (grp_reserve stays NULL when
 * the level reserves nothing). */
static void index_reserves(Axis *ax, int k)
{
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
    bool any = false; /* most plans adjust nowhere: no split's scope need be looked at */
    for (int i = 0; i < A->nsplits && !any; i++)
        any = A->splits[i].adj_kind == kind;
    if (!any)
        return false;
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

/* ---- one axis ------------------------------------------------------------------------------ */

/* The members of d at depth, shared by every metric. */
static LeafSet *leaf_set(Engine *en, Dim *d, int depth)
{
    for (int i = 0; i < en->nleafsets; i++)
        if (en->leafsets[i].dim == d && en->leafsets[i].depth == depth)
            return &en->leafsets[i];
    en->leafsets = xrealloc(en->leafsets, (size_t)(en->nleafsets + 1) * sizeof *en->leafsets);
    LeafSet *ls = &en->leafsets[en->nleafsets++];
    *ls = (LeafSet){0};
    ls->dim = d;
    ls->depth = depth;
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

void al_plain_axis(Engine *en, Axis *ax, Dim *d, int depth)
{
    LeafSet *ls = leaf_set(en, d, depth);
    ax->dim = d;
    ax->nsl = 1;
    ax->sl[0] = depth;
    ax->leaves = ls->leaves;
    ax->nleaves = ls->n;
    ax->leaf_of = ls->leaf_of;
    ax->shared = true;
}

/* The depths the metric's splits of this dimension reach (down to cut),
 * top-down, into ax->sl. */
static void find_split_levels(const Alloc *A, Axis *ax, int cut)
{
    for (int i = 0; i < A->nsplits; i++) {
        const SplitInfo *si = &A->splits[i];
        if (si->dim != ax->dim || si->depth > cut)
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
}

static bool is_split_level(const Axis *ax, int depth)
{
    for (int k = 0; k < ax->nsl; k++)
        if (ax->sl[k] == depth)
            return true;
    return false;
}

static int scope_not_split_error(Engine *en, const Alloc *A, const Axis *ax, const SplitInfo *si,
                                 const Member *s)
{
    Dim *d = ax->dim;
    diag_error(en->p->diags, si->node->loc,
               "'in %s' needs a split of %s by %s, so that %s has a value to split", s->name,
               A->metric->name, al_level_of(d, s->depth)->name, s->name);
    diag_note_plain(en->p->diags, "add 'split %s by %s ...', or scope by a %s", A->metric->name,
                    al_level_of(d, s->depth)->name,
                    al_level_of(d, ax->sl[0] < si->depth ? ax->sl[0] : 0)->name);
    return -1;
}

/* A scope inside the split's own dimension must be a split level above
 * it, so that the scope member has a value to split. */
static int check_own_scopes(Engine *en, const Alloc *A, const Axis *ax, int cut)
{
    for (int i = 0; i < A->nsplits; i++) {
        const SplitInfo *si = &A->splits[i];
        if (si->dim != ax->dim || si->depth > cut)
            continue;
        for (int k = 0; k < si->nscope; k++)
            if (si->scope[k]->dim == ax->dim && !is_split_level(ax, si->scope[k]->depth))
                return scope_not_split_error(en, A, ax, si, si->scope[k]);
    }
    return 0;
}

static bool level_reserves(const Alloc *A, const Dim *d, int depth)
{
    for (int i = 0; i < A->nsplits; i++)
        if (A->splits[i].dim == d && A->splits[i].depth == depth &&
            A->splits[i].adj_kind == ADJ_RESERVE)
            return true;
    return false;
}

/* Reserve rows: one per parent whose split reserves. */
static void add_reserve_rows(Alloc *A, Axis *ax)
{
    Dim *d = ax->dim;
    for (int k = 0; k < ax->nsl; k++) {
        if (!level_reserves(A, d, ax->sl[k])) /* most levels reserve nothing: skip them */
            continue;
        int pd = k ? ax->sl[k - 1] : -1;
        size_t np = pd < 0 ? 1 : d->nmembers;
        for (size_t j = 0; j < np; j++) {
            const Member *p = pd < 0 ? NULL : d->members[j];
            if (p && p->depth != pd)
                continue;
            if (al_adjusts(A, ax, k, p, ADJ_RESERVE))
                make_reserve(ax, p, ax->sl[k]);
        }
    }
}

/* The axis's leaves: the members at its finest split level, then its
 * reserve rows.  Without reserve rows they are the engine's, shared by
 * all metrics. */
static void set_leaves(Engine *en, Axis *ax)
{
    Dim *d = ax->dim;
    int grain = ax->sl[ax->nsl - 1];
    if (ax->npseudo == 0) {
        LeafSet *ls = leaf_set(en, d, grain);
        ax->leaves = ls->leaves;
        ax->nleaves = ls->n;
        ax->leaf_of = ls->leaf_of;
        ax->shared = true;
        return;
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
}

/* One axis of A, its splits taken down to depth cut: split levels,
 * reserve rows, groups, candidate splits and leaves. */
static int build_axis(Engine *en, Alloc *A, Axis *ax, int cut)
{
    find_split_levels(A, ax, cut);
    if (check_own_scopes(en, A, ax, cut) < 0)
        return -1;
    add_reserve_rows(A, ax);
    for (int k = 0; k < ax->nsl; k++) {
        group_children(en, ax, k);
        index_splits(A, ax, k);
        index_reserves(ax, k);
    }
    set_leaves(en, ax);
    return 0;
}

/* ---- the axes of an allocation ------------------------------------------------------------- */

/* One axis per dimension the metric is split by, in the order of its
 * first split. */
static int add_axes(Engine *en, Alloc *A)
{
    for (int i = 0; i < A->nsplits; i++) {
        Dim *d = A->splits[i].dim;
        if (al_axis_of(A, d) >= 0)
            continue;
        if (A->nax == ALLOC_MAX_AXES) {
            diag_error(en->p->diags, A->splits[i].node->loc,
                       "a metric can be split by at most %d dimensions", ALLOC_MAX_AXES);
            return -1;
        }
        A->ax[A->nax++].dim = d;
    }
    return 0;
}

/* Builds every axis with its splits down to its cut; a cut above every
 * split of a dimension drops its axis. */
static int build_kept_axes(Engine *en, Alloc *A, const int *cuts)
{
    int kept = 0;
    for (int i = 0; i < A->nax; i++) {
        int cut = cuts ? cuts[i] : AL_NO_CUT;
        A->grain_cut[i] = cut;
        bool any = false;
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
    return 0;
}

/* A lock in the scope of another dimension holds for the cells of that
 * dimension's axis, which must come before the locked one. */
static int lock_scope_error(Engine *en, const Alloc *A, const SplitInfo *si, const Member *t)
{
    const char *sl = al_level_of(t->dim, t->depth)->name,
               *ll = al_level_of(si->dim, si->depth)->name;
    diag_error(en->p->diags, si->node->loc,
               "the amounts 'in %s' need %s split by %s before it is split by %s", t->name,
               A->metric->name, sl, ll);
    diag_note_plain(en->p->diags,
                    "a lock holds for the cells of %s: put a split of %s by %s (or a level "
                    "below it) before the first split by %s",
                    t->name, A->metric->name, sl, ll);
    return -1;
}

/* Axes with amounts locked in a scope of another dimension (cross_locks.c);
 * in the full allocation (check), every such scope's axis comes first. */
static int mark_locked_axes(Engine *en, Alloc *A, bool full)
{
    for (int k = 0; k < A->nsplits; k++) {
        const SplitInfo *si = &A->splits[k];
        int ai = al_axis_of(A, si->dim);
        if (ai < 0 || !al_cross_lock(si))
            continue;
        A->ax[ai].locks = true;
        for (int q = 0; q < si->nscope && full; q++) {
            int j = si->scope[q]->dim == si->dim ? -1 : al_axis_of(A, si->scope[q]->dim);
            if (si->scope[q]->dim != si->dim &&
                (j < 0 || j > ai || A->ax[j].sl[A->ax[j].nsl - 1] < si->scope[q]->depth))
                return lock_scope_error(en, A, si, si->scope[q]);
        }
    }
    return 0;
}

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

/* Which axes' shares depend on the coordinates of earlier ones: scopes in
 * other dimensions, or start/end paired with time. */
static void mark_dependent_axes(Engine *en, Alloc *A)
{
    for (int i = 0; i < A->nax; i++) {
        Axis *ax = &A->ax[i];
        for (int k = 0; k < A->nsplits; k++)
            if (A->splits[k].dim == ax->dim)
                for (int q = 0; q < A->splits[k].nscope; q++)
                    ax->cross_scoped |= A->splits[k].scope[q]->dim != ax->dim;
        ax->depends |= ax->cross_scoped;
        for (int j = 0; j < i; j++) {
            bool time_pair = A->ax[j].dim->is_time || ax->dim->is_time;
            Dim *other = A->ax[j].dim->is_time ? ax->dim : A->ax[j].dim;
            if (time_pair && dim_has_activity(en, other))
                ax->depends = true;
        }
    }
}

int al_build_axes(Engine *en, Alloc *A, const int *cuts)
{
    if (add_axes(en, A) < 0 || build_kept_axes(en, A, cuts) < 0)
        return -1;
    mark_dependent_axes(en, A);
    return mark_locked_axes(en, A, cuts == NULL);
}
