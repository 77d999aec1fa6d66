/* alloc.c -- the allocation engine: a metric's target, split down every
 * dimension it is split by, into exact joint cells; then controlled
 * rounding (round.c) so that every cell is within one step of its exact
 * value, children add up to their parents and every dimension's totals
 * stay exact.  See docs/LANGUAGE.md "How splits combine" for the model.
 * It reports evaluation errors (amounts that do not add up, negative
 * rest, zero weights) with the numbers; it prints no tables. */
#include "alloc.h"

#include "csv.h"

#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "history.h"
#include "round.h"

struct SplitInfo {
    const Node *node;  /* the split statement */
    const Node *spec;
    Dim *dim;
    int depth;
    Member *scope[16];
    int nscope;
    int adj_kind; /* 0, OVERASSIGN or RESERVE */
    Num adj;
    const Node *like; /* LIKE: the other metric */
    Alloc *like_alloc; /* its allocation, once found */
};

static bool share_expr(Engine *en, const Node *e);

/* ---- small helpers ----------------------------------------------------------- */

static Level *level_of(Dim *d, int depth) { return &d->levels[depth]; }

static const char *plural_of(const char *level)
{
    return strcmp(level, "half") == 0 ? "halves" : level;
}

static bool under_or_is(const Member *m, const Member *anc)
{
    for (; m; m = m->parent)
        if (m == anc)
            return true;
    return false;
}

static const Member *ancestor_at(const Member *m, int depth)
{
    while (m && m->depth > depth)
        m = m->parent;
    return m && m->depth == depth ? m : NULL;
}

static int month_code(const Member *m) /* 202705 for "2027-05" */
{
    const char *s = m->name;
    return ((s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0')) * 100 +
           (s[5] - '0') * 10 + (s[6] - '0');
}

static char *fmtv(const Alloc *A, Num v, char *buf)
{
    return num_fmt(v, num_decimals(A->step), true, buf);
}

static int num_err(Engine *en, Loc at, NumStatus st)
{
    diag_error(en->p->diags, at, "arithmetic %s while allocating", num_status_str(st));
    return -1;
}

/* ---- splits of a metric ----------------------------------------------------------- */

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

static const SplitList *splits_of(Engine *en, const char *metric)
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
    const SplitList *mine = splits_of(en, A->metric->name);
    for (int i = 0; i < mine->n; i++) {
        const Node *n = mine->v[i];
        if (n->a) {
            if (info_from(en, A, n, n->c) < 0)
                return -1;
            continue;
        }
        /* split M like X: every split of X, with X's shares */
        const SplitList *theirs = splits_of(en, n->c->name);
        for (int k = 0; k < theirs->n; k++)
            if (theirs->v[k]->a && info_from(en, A, theirs->v[k], n->c) < 0)
                return -1;
    }
    return 0;
}

/* ---- axes ---------------------------------------------------------------------------- */

static bool dim_has_activity(const Dim *d)
{
    for (size_t i = 0; i < d->nmembers; i++)
        for (int k = 0; k < d->members[i]->nattrs; k++)
            if (strcmp(d->members[i]->attrs[k].name, "start") == 0 ||
                strcmp(d->members[i]->attrs[k].name, "end") == 0)
                return true;
    return false;
}

static int axis_of(const Alloc *A, const Dim *d)
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
            hit |= p && under_or_is(p, si->scope[k]);
        }
    return !any || hit;
}

/* Children grouped by parent: depends only on the dimension and the two
 * levels, so the engine keeps one per pair for all metrics. */
typedef struct Grouping {
    Dim *dim;
    int depth, pdepth;
    int ngrp;
    int *start;
    Member **parent;
    Member **kids;
} Grouping;

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
            const Member *a = pd < 0 ? NULL : ancestor_at(d->members[i], pd);
            gr->start[(a ? pos[a->gindex] : 0) + 1]++;
            nkids++;
        }
    for (int g = 0; g < ng; g++)
        gr->start[g + 1] += gr->start[g];
    gr->kids = xmalloc((nkids ? nkids : 1) * sizeof *gr->kids);
    int *fill = xcalloc((size_t)ng + 1, sizeof *fill);
    for (size_t i = 0; i < d->nmembers; i++)
        if (d->members[i]->depth == depth) {
            const Member *a = pd < 0 ? NULL : ancestor_at(d->members[i], pd);
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
                           s->name, A->metric->name, level_of(d, s->depth)->name, s->name);
                diag_note_plain(en->p->diags, "add 'split %s by %s ...', or scope by a %s",
                                A->metric->name, level_of(d, s->depth)->name,
                                level_of(d, ax->sl[0] < si->depth ? ax->sl[0] : 0)->name);
                return -1;
            }
        }
    }
    int grain = ax->sl[ax->nsl - 1];
    /* reserve rows: one per parent a reserving split may apply to */
    for (int k = 0; k < ax->nsl; k++) {
        int pd = k ? ax->sl[k - 1] : -1;
        for (int i = 0; i < A->nsplits; i++) {
            SplitInfo *si = &A->splits[i];
            if (si->dim != d || si->depth != ax->sl[k] || si->adj_kind != RESERVE)
                continue;
            size_t np = pd < 0 ? 1 : d->nmembers;
            for (size_t j = 0; j < np; j++) {
                const Member *p = pd < 0 ? NULL : d->members[j];
                if (p && p->depth != pd)
                    continue;
                if (!scope_fits_parent(si, p))
                    continue;
                bool dup = false;
                for (int q = 0; q < ax->npseudo; q++)
                    dup |= ax->pseudo[q]->parent == p && ax->pseudo[q]->depth == ax->sl[k];
                if (!dup)
                    make_reserve(A, ax, p, ax->sl[k]);
            }
        }
    }
    for (int k = 0; k < ax->nsl; k++) {
        group_children(en, ax, k);
        index_splits(A, ax, k);
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
        if (axis_of(A, d) >= 0)
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
            if (e->b->kind != N_REST && !share_expr(en, e->b)) {
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
            if (time_pair && dim_has_activity(other))
                ax->depends = true;
        }
    }
    return 0;
}

/* ---- evaluating one axis ------------------------------------------------------------- */

typedef struct {
    Member **coord; /* leaf members of the axes before this one (NULL entries: none) */
    int n;
} Ctx;

/* Does split si apply to the cell of parent p in context c?  Its scope
 * members of one dimension are alternatives; of different ones, all must
 * hold.  Returns the specificity (more scoped dimensions, deeper members
 * win), or -1. */
static int applies(const Alloc *A, const Axis *ax, const SplitInfo *si, const Member *p,
                   const Ctx *c)
{
    int spec = 0;
    for (int k = 0; k < si->nscope; k++) {
        const Member *s = si->scope[k];
        bool hit = false;
        for (int q = 0; q < si->nscope && !hit; q++) {
            const Member *t = si->scope[q];
            if (t->dim != s->dim)
                continue;
            if (t->dim == ax->dim)
                hit = p && under_or_is(p, t);
            else {
                int j = axis_of(A, t->dim);
                hit = j >= 0 && j < c->n && c->coord[j] && under_or_is(c->coord[j], t);
            }
        }
        if (!hit)
            return -1;
        spec += 1000 + s->depth;
    }
    return spec;
}

static const SplitInfo *pick_split(const Alloc *A, const Axis *ax, int k, const Member *p,
                                   const Ctx *c)
{
    const SplitInfo *best = NULL;
    int best_spec = -1;
    for (int i = 0; i < ax->nfree[k]; i++) {
        const SplitInfo *si = &A->splits[ax->free_splits[k][i]];
        int spec = applies(A, ax, si, p, c);
        if (spec > best_spec) {
            best = si;
            best_spec = spec;
        }
    }
    for (const Member *m = p; m; m = m->parent) { /* splits scoped by p or its ancestors */
        int lo = 0, hi = ax->nscoped[k];
        while (lo < hi) { /* first pair of this member */
            int mid = (lo + hi) / 2;
            if ((ax->scoped[k][mid] >> 32) < m->gindex)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (int i = lo; i < ax->nscoped[k] && (ax->scoped[k][i] >> 32) == m->gindex; i++) {
            const SplitInfo *si = &A->splits[ax->scoped[k][i] & 0xFFFFFFFF];
            int spec = applies(A, ax, si, p, c);
            if (spec > best_spec) {
                best = si;
                best_spec = spec;
            }
        }
    }
    return best;
}

/* Months a context's time coordinate covers, or 0 when there is none. */
static int ctx_months(const Alloc *A, const Ctx *c, int *months)
{
    for (int j = 0; j < c->n; j++)
        if (c->coord[j] && A->ax[j].dim->is_time) {
            const Member *t = c->coord[j];
            int n = 0;
            Dim *d = t->dim;
            for (size_t i = 0; i < d->nmembers; i++)
                if (d->members[i]->depth == 3 && under_or_is(d->members[i], t))
                    months[n++] = month_code(d->members[i]);
            return n;
        }
    return 0;
}

static bool is_active(const Alloc *A, const Axis *ax, const Member *kid, const Ctx *c)
{
    int months[12], n = 0;
    if (ax->dim->is_time) {
        Dim *d = kid->dim;
        for (size_t i = 0; i < d->nmembers; i++)
            if (d->members[i]->depth == 3 && under_or_is(d->members[i], kid))
                months[n++] = month_code(d->members[i]);
        for (int k = 0; k < n; k++) {
            bool all = true;
            for (int j = 0; j < c->n; j++)
                if (c->coord[j] && !A->ax[j].dim->is_time && !c->coord[j]->pseudo)
                    all &= eval_active(c->coord[j], months[k]);
            if (all)
                return true;
        }
        return n == 0;
    }
    if (kid->pseudo)
        return true;
    n = ctx_months(A, c, months);
    if (n == 0)
        return true;
    for (int k = 0; k < n; k++)
        if (eval_active(kid, months[k]))
            return true;
    return false;
}

static int64_t active_months_of(Engine *en, const Member *m)
{
    Dim *t = en->p->sym->time;
    int64_t n = 0;
    for (size_t i = 0; i < t->nmembers; i++)
        if (t->members[i]->depth == 3 && eval_active(m, month_code(t->members[i])))
            n++;
    return n;
}

static History *history(Engine *en, const char *name, const Node *at)
{
    History *h = strmap_get(&en->hists, name);
    if (h)
        return h;
    Node *decl = strmap_get(&en->p->sym->histories, name);
    if (!decl)
        return NULL;
    char *path = prog_data_path(en->p, decl->c);
    if (!path)
        return NULL;
    HistSpec spec;
    memset(&spec, 0, sizeof spec);
    spec.name = name;
    spec.fy_year = en->p->sym->year;
    spec.start_month = en->p->sym->start_month;
    for (Node *m = decl->d; m; m = m->next) {
        const char *col = m->a ? (m->a->kind == N_STR ? m->a->str : m->a->name) : NULL;
        if (!m->name || !col)
            continue;
        if (strcmp(m->name, "date") == 0)
            spec.date_col = col;
        else if (strcmp(m->name, "month") == 0)
            spec.month_col = col;
        else if (strcmp(m->name, name) == 0)
            spec.value_col = col;
        else if (strmap_get(&en->p->sym->levels, m->name) && spec.nlevels < HIST_MAX_LEVELS &&
                 !((Level *)strmap_get(&en->p->sym->levels, m->name))->dim->is_time)
            spec.levels[spec.nlevels++] = (HistLevel){m->name, col};
    }
    for (size_t i = 0; i < en->p->sym->levels.cap; i++) { /* unmapped levels: same-named columns */
        const char *lv = en->p->sym->levels.keys[i];
        if (lv && ((Level *)en->p->sym->levels.vals[i])->dim->is_time)
            continue;
        bool have = false;
        for (int k = 0; k < spec.nlevels; k++)
            have |= lv && strcmp(spec.levels[k].level, lv) == 0;
        if (lv && !have && spec.nlevels < HIST_MAX_LEVELS)
            spec.levels[spec.nlevels++] = (HistLevel){lv, NULL};
    }
    HistError err;
    h = hist_load(path, &spec, &err);
    free(path);
    if (!h) {
        diag_error(en->p->diags, decl->c->loc, "%s%s%ld%s%ld: %s", decl->c->str,
                   err.line ? ":" : "", err.line, err.col ? ":" : "", err.col, err.msg);
        en->p->data_error = true;
        (void)at;
        return NULL;
    }
    strmap_put(&en->hists, name, h);
    return h;
}

static int season_weights(Engine *en, const SplitInfo *si, Member **kids, int n, Num *w)
{
    History *h = history(en, si->spec->name, si->spec);
    if (!h)
        return -1;
    HistFilter f[16];
    const char *vals[16][2];
    size_t nf = 0;
    for (int k = 0; k < si->nscope; k++) {
        Member *s = si->scope[k];
        if (s->dim == si->dim || nf >= 16)
            continue;
        vals[nf][0] = s->name;
        vals[nf][1] = s->label ? s->label : s->name;
        f[nf] = (HistFilter){level_of(s->dim, s->depth)->name, vals[nf], 2};
        nf++;
    }
    Num months[12];
    int years[64];
    int ny = hist_season_where(h, en->p->sym->start_month, f, nf, months, years, 64);
    if (ny <= 0) {
        diag_error(en->p->diags, si->spec->loc, "history '%s' has %s", si->spec->name,
                   ny < 0 ? "a month total too large to add up" : "no complete fiscal year");
        diag_note_plain(en->p->diags, "seasonality uses the fiscal years (from %s) whose 12 months "
                                      "all have rows%s", rs_month_names[en->p->sym->start_month - 1],
                        nf ? " for the split's scope" : "");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        w[i] = NUM_ZERO;
        Dim *t = kids[i]->dim;
        for (size_t k = 0; k < t->nmembers; k++) {
            Member *m = t->members[k];
            if (m->depth == 3 && under_or_is(m, kids[i]) && num_add(w[i], months[m->index], &w[i]) != NUM_OK)
                return num_err(en, si->spec->loc, NUM_OVERFLOW);
        }
    }
    return 0;
}

static Alloc *alloc_get_cut(Engine *en, const Node *metric, const int *cuts);
static bool share_expr(Engine *en, const Node *e);
static int eval_axis(Engine *en, Alloc *A, Axis *ax, const Ctx *ctx, Num base, Num *val,
                     Num *leafval);

/* A metric's values per member of one axis, for the whole plan: summed
 * from its exact cells, or (check, or shares that depend on other
 * dimensions) from its split tree.  Computed once per axis. */
static const Num *marginal(Engine *en, Alloc *X, int ai)
{
    Axis *ax = &X->ax[ai];
    if (ax->marginal)
        return ax->marginal;
    size_t total = ax->dim->nmembers + (size_t)ax->npseudo;
    Num *m = xcalloc(total + 1, sizeof *m);
    if (!X->exact || ax->depends) {
        Num *leaf = xcalloc(ax->nleaves + 1, sizeof *leaf);
        Ctx none = {NULL, 0};
        int rc = eval_axis(en, X, ax, &none, X->root, m, leaf);
        free(leaf);
        if (rc < 0) {
            free(m);
            return NULL;
        }
    } else {
        size_t stride = 1;
        for (int j = ai + 1; j < X->nax; j++)
            stride *= X->ax[j].nleaves;
        for (size_t c = 0; c < X->ncells; c++) {
            const Member *leaf = ax->leaves[(c / stride) % ax->nleaves];
            for (const Member *p = leaf; p; p = p->parent)
                num_add(m[p->gindex], X->exact[c], &m[p->gindex]);
        }
    }
    ax->marginal = m;
    return m;
}

/* `like X`: the children's weights are X's values for them. */
static int like_weights(Engine *en, Alloc *A, SplitInfo *si, Member **kids, int n, Num *w)
{
    (void)A;
    Alloc *X = si->like_alloc ? si->like_alloc : (si->like_alloc = alloc_get(en, si->like));
    if (!X)
        return -1;
    int ai = axis_of(X, si->dim);
    if (ai < 0) {
        diag_error(en->p->diags, si->spec->loc, "'%s' is not split by %s, so there are no "
                                                "shares to copy", si->like->name,
                   level_of(si->dim, si->depth)->name);
        return -1;
    }
    const Num *m = marginal(en, X, ai);
    if (!m)
        return -1;
    for (int i = 0; i < n; i++)
        w[i] = kids[i]->pseudo ? NUM_ZERO : m[kids[i]->gindex];
    return 0;
}

typedef struct {
    Member **kids;
    int n;
    Num *val;      /* by gindex */
    Member *reserve; /* this parent's reserve row, or NULL */
    const Member *parent;
    const Ctx *ctx;
} Group;

static const char *cell_name(const Alloc *A, const Member *p, Buf *b)
{
    b->len = 0;
    buf_printf(b, "%s", A->metric->name);
    if (p)
        buf_printf(b, "[%s]", p->name);
    return buf_cstr(b);
}

/* A split value is a share when its kind is percent (60%, 1 - 40%, a let
 * holding 15%); anything else is an amount. */
static bool share_expr(Engine *en, const Node *e)
{
    Diags quiet = {0}, *saved = en->ev.r.d;
    en->ev.r.d = &quiet;
    Scope sc = {SC_METRICS, 0, 0, 0, 0, 0};
    Kind k = rx_check(&en->ev.r, &sc, (Node *)e);
    en->ev.r.d = saved;
    diag_free(&quiet);
    return k == K_PERCENT;
}

static int split_map(Engine *en, Alloc *A, const SplitInfo *si, Num base, Group *g,
                     const bool *active)
{
    Diags *d = en->p->diags;
    Num locks = NUM_ZERO, shares = NUM_ZERO, inactive_share = NUM_ZERO, v;
    int rest = -1;
    Frame top = {0};
    Num *amount = xcalloc((size_t)g->n, sizeof *amount);
    int *kind = xcalloc((size_t)g->n, sizeof *kind); /* 0 none, 1 lock, 2 share, 3 rest */
    int rc = -1;
    for (const Node *e = si->spec->a; e; e = e->next) {
        Member *m = lookup_member_in(&en->ev.r, e->a, si->dim, false);
        int i = 0;
        while (i < g->n && g->kids[i] != m)
            i++;
        if (i == g->n)
            continue;
        if (e->b->kind == N_REST) {
            kind[i] = 3;
            rest = i;
            continue;
        }
        Frame fr = {NULL, NULL, m, false, 0, &top};
        if (eval_num(&en->ev, &fr, e->b, &v) < 0)
            goto done;
        bool share = share_expr(en, e->b);
        kind[i] = share ? 2 : 1;
        amount[i] = v;
        if (!active[i] && kind[i] == 1 && !num_is_zero(v)) {
            diag_error(d, e->b->loc, "'%s' is not active here but has an amount", m->name);
            goto done;
        }
        if (!active[i] && share) {
            num_add(inactive_share, v, &inactive_share);
            continue;
        }
        if (num_add(share ? shares : locks, v, share ? &shares : &locks) != NUM_OK)
            goto done;
    }
    Num total, part;
    if (num_mul(base, shares, &part) != NUM_OK || num_add(locks, part, &total) != NUM_OK)
        goto done;
    char b1[NUM_BUFSZ], b2[NUM_BUFSZ], b3[NUM_BUFSZ];
    Buf nb = {0};
    Num diff;
    num_sub(base, total, &diff);
    if (rest >= 0) {
        if (num_sign(diff) < 0) {
            diag_error(d, si->spec->loc, "'rest' would be %s: the other %s take %s of %s's %s",
                       fmtv(A, diff, b1), plural_of(level_of(si->dim, si->depth)->name),
                       fmtv(A, total, b2), cell_name(A, g->parent, &nb), fmtv(A, base, b3));
            buf_free(&nb);
            goto done;
        }
        g->val[g->kids[rest]->gindex] = diff;
    } else if (!num_is_zero(inactive_share) && !num_is_zero(shares)) {
        /* shares of inactive members go to the active ones, in proportion */
        Num scale;
        num_add(shares, inactive_share, &scale);
        num_div(scale, shares, &scale);
        for (int i = 0; i < g->n; i++)
            if (kind[i] == 2 && active[i])
                num_mul(amount[i], scale, &amount[i]);
        num_sub(base, locks, &diff);
        num_mul(base, shares, &part);
        num_mul(part, scale, &part);
        num_sub(diff, part, &diff);
    }
    if (rest < 0 && !num_is_zero(diff)) {
        diag_error(d, si->spec->loc, "%s of %s sum to %s but %s is %s (%s by %s)",
                   plural_of(level_of(si->dim, si->depth)->name),
                   g->parent ? g->parent->name : A->metric->name, fmtv(A, total, b1),
                   cell_name(A, g->parent, &nb), fmtv(A, base, b2),
                   num_sign(diff) > 0 ? "short" : "over", fmtv(A, num_abs(diff), b3));
        diag_note_plain(d, "give one %s 'rest', or correct the amounts",
                        level_of(si->dim, si->depth)->name);
        buf_free(&nb);
        goto done;
    }
    buf_free(&nb);
    for (int i = 0; i < g->n; i++) {
        Num *out = &g->val[g->kids[i]->gindex];
        if (kind[i] == 1)
            *out = amount[i];
        else if (kind[i] == 2)
            *out = active[i] && num_mul(base, amount[i], out) == NUM_OK ? *out : NUM_ZERO;
        else if (kind[i] == 0)
            *out = NUM_ZERO;
    }
    rc = 0;
done:
    free(amount);
    free(kind);
    return rc;
}

static int split_weighted(Engine *en, Alloc *A, SplitInfo *si, Num base, Group *g,
                          const bool *active)
{
    Num *w = xcalloc((size_t)g->n, sizeof *w), sum = NUM_ZERO;
    Frame top = {0};
    int rc = -1;
    switch (si->spec->kind) {
    case N_SPEC_EQUAL:
        for (int i = 0; i < g->n; i++)
            w[i] = NUM_ONE;
        break;
    case N_SPEC_WEIGHTS:
        for (const Node *e = si->spec->a; e; e = e->next) {
            Member *m = lookup_member_in(&en->ev.r, e->a, si->dim, false);
            for (int i = 0; i < g->n; i++)
                if (g->kids[i] == m && eval_num(&en->ev, &top, e->b, &w[i]) < 0)
                    goto done;
        }
        break;
    case N_SPEC_PROP:
        for (int i = 0; i < g->n; i++) {
            Frame fr = {NULL, NULL, g->kids[i], true, active_months_of(en, g->kids[i]), &top};
            if (eval_num(&en->ev, &fr, si->spec->a, &w[i]) < 0)
                goto done;
            if (num_sign(w[i]) < 0) {
                char b[NUM_BUFSZ];
                diag_error(en->p->diags, si->spec->a->loc, "'proportional to' gives %s for '%s': "
                                                           "weights cannot be negative",
                           num_str(w[i], b), g->kids[i]->name);
                goto done;
            }
        }
        break;
    case N_SPEC_SEASON:
        if (season_weights(en, si, g->kids, g->n, w) < 0)
            goto done;
        break;
    case N_SPEC_LIKE:
        if (like_weights(en, A, si, g->kids, g->n, w) < 0)
            goto done;
        break;
    default:
        goto done;
    }
    for (int i = 0; i < g->n; i++) {
        if (!active[i])
            w[i] = NUM_ZERO;
        if (num_add(sum, w[i], &sum) != NUM_OK) {
            num_err(en, si->spec->loc, NUM_OVERFLOW);
            goto done;
        }
    }
    if (num_sign(sum) <= 0) {
        Buf nb = {0};
        diag_error(en->p->diags, si->spec->loc, "the weights of the %s of %s add up to %s: "
                                                "nothing to split %s by",
                   plural_of(level_of(si->dim, si->depth)->name),
                   g->parent ? g->parent->name : A->metric->name,
                   num_is_zero(sum) ? "zero" : "less than zero", cell_name(A, g->parent, &nb));
        buf_free(&nb);
        goto done;
    }
    for (int i = 0; i < g->n; i++) {
        Num *out = &g->val[g->kids[i]->gindex], t;
        if (num_mul(base, w[i], &t) != NUM_OK || num_div(t, sum, out) != NUM_OK) {
            num_err(en, si->spec->loc, NUM_OVERFLOW);
            goto done;
        }
    }
    rc = 0;
done:
    free(w);
    return rc;
}

/* Splits one parent's value among its children (and its reserve row). */
static int split_group(Engine *en, Alloc *A, Axis *ax, SplitInfo *si, Num pv, Group *g)
{
    Num base = pv, reserve = NUM_ZERO, one_plus;
    if (si->adj_kind == OVERASSIGN) {
        if (num_add(NUM_ONE, si->adj, &one_plus) != NUM_OK || num_mul(pv, one_plus, &base) != NUM_OK)
            return num_err(en, si->node->loc, NUM_OVERFLOW);
    } else if (si->adj_kind == RESERVE) {
        if (num_mul(pv, si->adj, &reserve) != NUM_OK || num_sub(pv, reserve, &base) != NUM_OK)
            return num_err(en, si->node->loc, NUM_OVERFLOW);
    }
    if (g->reserve)
        g->val[g->reserve->gindex] = reserve;
    if (num_is_zero(pv) && si->spec->kind != N_SPEC_MAP) { /* nothing to split */
        for (int i = 0; i < g->n; i++)
            g->val[g->kids[i]->gindex] = NUM_ZERO;
        return 0;
    }
    bool *active = xmalloc((size_t)(g->n ? g->n : 1) * sizeof *active);
    bool any = false;
    for (int i = 0; i < g->n; i++)
        any |= active[i] = is_active(A, ax, g->kids[i], g->ctx);
    int rc;
    if (!any && g->n > 0 && !num_is_zero(base)) {
        diag_error(en->p->diags, si->node->loc, "no %s of %s is active to take its share",
                   level_of(si->dim, si->depth)->name, g->parent ? g->parent->name : "the plan");
        rc = -1;
    } else if (si->spec->kind == N_SPEC_MAP) {
        rc = split_map(en, A, si, base, g, active);
    } else {
        rc = split_weighted(en, A, si, base, g, active);
    }
    free(active);
    return rc;
}

/* Computes the values of one axis's split tree under `base`, for the
 * coordinates in ctx, into val (by gindex); leaf values land in leafval. */
static int eval_axis(Engine *en, Alloc *A, Axis *ax, const Ctx *ctx, Num base, Num *val,
                     Num *leafval)
{
    Dim *d = ax->dim;
    for (int k = 0; k < ax->nsl; k++) {
        int depth = ax->sl[k];
        for (int gi = 0; gi < ax->ngrp[k]; gi++) {
            Member *p = ax->grp_parent[k][gi];
            int from = ax->grp_start[k][gi], n = ax->grp_start[k][gi + 1] - from;
            Num pv = p ? val[p->gindex] : base;
            const SplitInfo *si = pick_split(A, ax, k, p, ctx);
            if (!si) {
                const Node *at = NULL; /* the scoped splits of this level, for the position */
                for (int i = 0; i < A->nsplits && !at; i++)
                    if (A->splits[i].dim == d && A->splits[i].depth == depth)
                        at = A->splits[i].node;
                diag_error(en->p->diags, at ? at->loc : A->metric->name_loc,
                           "the %s of %s have no split: this split covers only part of %s",
                           plural_of(level_of(d, depth)->name), p ? p->name : "the plan",
                           A->metric->name);
                diag_note_plain(en->p->diags, "add 'split %s by %s equally' (or another rule) for "
                                              "the rest, or one 'in %s'",
                                A->metric->name, level_of(d, depth)->name, p ? p->name : "...");
                return -1;
            }
            Member *res = ax->grp_reserve[k] ? ax->grp_reserve[k][gi] : NULL;
            if (res)
                val[res->gindex] = NUM_ZERO;
            Group g = {ax->grp_kids[k] + from, n, val, res, p, ctx};
            if (split_group(en, A, ax, (SplitInfo *)si, pv, &g) < 0)
                return -1;
        }
    }
    for (size_t i = 0; i < ax->nleaves; i++)
        leafval[i] = val[ax->leaves[i]->gindex];
    return 0;
}

/* ---- exact joint values and controlled rounding ---------------------------------------- */

#define SNAP ((Num){1000}) /* 1e-9: closer than this to a multiple of the step is on it */

typedef struct {
    Num *floor_;   /* per cell */
    Num *frac;     /* per cell, in steps (0 <= frac < 1) */
} Floors;

static void floor_cell(const Alloc *A, Num exact, Num *fl, Num *frac_steps)
{
    Num f, r;
    num_round(exact, A->step, NUM_FLOOR, &f);
    num_sub(exact, f, &r);
    Num gap;
    num_sub(A->step, r, &gap);
    if (num_cmp(r, SNAP) < 0) {
        r = NUM_ZERO;
    } else if (num_cmp(gap, SNAP) < 0) {
        num_add(f, A->step, &f);
        r = NUM_ZERO;
    }
    *fl = f;
    num_div(r, A->step, frac_steps);
}

/* floor and ceiling of a sum of remainders, snapping near-integers */
static void bounds_of(Num x, int64_t *lo, int64_t *hi)
{
    Num r;
    int64_t near;
    num_round(x, NUM_ONE, NUM_HALF_EVEN, &r);
    num_to_int(r, NUM_TRUNC, &near);
    Num d;
    num_sub(x, r, &d);
    if (num_cmp(num_abs(d), (Num){1000000}) < 0) { /* within 1e-6 */
        *lo = *hi = near;
        return;
    }
    num_to_int(x, NUM_FLOOR, lo);
    num_to_int(x, NUM_CEIL, hi);
}

/* Rounds stage i: rows are the cells of the axes before it (already
 * rounded: prev_rounded), columns the tree of axis i. */
static int round_stage(Engine *en, Alloc *A, int i, size_t nrows, const Num *prev_exact,
                       const Num *prev_rounded, const Num *exact, Num *rounded)
{
    Axis *ax = &A->ax[i];
    size_t nl = ax->nleaves, ncells = nrows * nl;
    Dim *d = ax->dim;
    size_t total = d->nmembers + (size_t)ax->npseudo;
    /* column tree: node 0 is the root, then members at split levels and reserve rows */
    int *node_of = xmalloc(total * sizeof *node_of);
    int *parent = xmalloc((total + 1) * sizeof *parent);
    int nnodes = 1;
    parent[0] = -1;
    for (size_t g = 0; g < total; g++) {
        node_of[g] = -1;
        const Member *m = g < d->nmembers ? d->members[g] : ax->pseudo[g - d->nmembers];
        bool at_split = m->pseudo;
        for (int k = 0; k < ax->nsl; k++)
            at_split |= m->depth == ax->sl[k];
        if (at_split)
            node_of[g] = nnodes++;
    }
    for (size_t g = 0; g < total; g++) {
        if (node_of[g] < 0)
            continue;
        const Member *m = g < d->nmembers ? d->members[g] : ax->pseudo[g - d->nmembers];
        const Member *p = m->parent;
        while (p && node_of[p->gindex] < 0)
            p = p->parent;
        parent[node_of[g]] = p ? node_of[p->gindex] : 0;
    }
    Num *xsum = xcalloc((size_t)nnodes, sizeof *xsum);
    int64_t *lo = xmalloc((size_t)nnodes * sizeof *lo), *hi = xmalloc((size_t)nnodes * sizeof *hi);
    int64_t *rlo = xmalloc((nrows ? nrows : 1) * sizeof *rlo), *rhi = xmalloc((nrows ? nrows : 1) * sizeof *rhi);
    uint32_t *crow = xmalloc((ncells ? ncells : 1) * sizeof *crow);
    int32_t *cnode = xmalloc((ncells ? ncells : 1) * sizeof *cnode);
    uint64_t *crank = xmalloc((ncells ? ncells : 1) * sizeof *crank);
    size_t *cidx = xmalloc((ncells ? ncells : 1) * sizeof *cidx);
    size_t nfrac = 0;
    int rc = 0;
    for (size_t r = 0; r < nrows; r++) {
        Num rowx = NUM_ZERO, floors = NUM_ZERO, sum = NUM_ZERO;
        for (size_t j = 0; j < nl; j++) {
            size_t c = r * nl + j;
            Num fr;
            floor_cell(A, exact[c], &rounded[c], &fr);
            num_add(floors, rounded[c], &floors);
            num_add(sum, exact[c], &sum);
            if (!num_is_zero(fr)) {
                num_add(rowx, fr, &rowx);
                int leafnode = node_of[ax->leaves[j]->gindex];
                for (int n = leafnode; n >= 0; n = parent[n])
                    num_add(xsum[n], fr, &xsum[n]);
                crow[nfrac] = (uint32_t)r;
                cnode[nfrac] = leafnode;
                crank[nfrac] = (uint64_t)(((unsigned __int128)fr.v << 20) / (unsigned __int128)NUM_ONE.v);
                cidx[nfrac++] = c;
            }
        }
        Num gap;
        num_sub(sum, prev_exact[r], &gap);
        if (prev_rounded && num_cmp(num_abs(gap), (Num){1000000}) < 0) {
            Num need; /* the row's total is fixed: the shares sum to one */
            num_sub(prev_rounded[r], floors, &need);
            num_div(need, A->step, &need);
            num_to_int(need, NUM_HALF_EVEN, &rlo[r]);
            rhi[r] = rlo[r];
        } else {
            bounds_of(rowx, &rlo[r], &rhi[r]);
        }
    }
    for (int n = 0; n < nnodes; n++)
        bounds_of(xsum[n], &lo[n], &hi[n]);
    uint8_t *x = xcalloc(nfrac ? nfrac : 1, 1);
    RoundProblem rp = {nrows, rlo, rhi, (size_t)nnodes, parent, lo, hi, nfrac, crow, cnode, crank};
    if (round_solve(&rp, x) < 0) {
        for (int n = 0; n < nnodes; n++) { /* relax the free totals by one step and try again */
            if (lo[n] < hi[n] || n == 0) {
                lo[n] = lo[n] > 0 ? lo[n] - 1 : 0;
                hi[n]++;
            }
        }
        if (round_solve(&rp, x) < 0) {
            diag_error(en->p->diags, A->metric->name_loc,
                       "cannot round %s to %s steps so that every total adds up", A->metric->name,
                       "whole");
            rc = -1;
        } else {
            diag_warning(en->p->diags, A->metric->name_loc,
                         "some %s totals of %s are more than one rounding step from their exact "
                         "value", d->name, A->metric->name);
        }
    }
    for (size_t k = 0; k < nfrac && rc == 0; k++)
        if (x[k])
            num_add(rounded[cidx[k]], A->step, &rounded[cidx[k]]);
    free(x);
    free(node_of);
    free(parent);
    free(xsum);
    free(lo);
    free(hi);
    free(rlo);
    free(rhi);
    free(crow);
    free(cnode);
    free(crank);
    free(cidx);
    return rc;
}

static void decode(const Alloc *A, int upto, size_t c, Member **coord)
{
    for (int j = upto - 1; j >= 0; j--) {
        size_t nl = A->ax[j].nleaves;
        coord[j] = A->ax[j].leaves[c % nl];
        c /= nl;
    }
}

/* check: every axis's tree in every context it depends on, no joint cells */
static int check_axes(Engine *en, Alloc *A)
{
    size_t contexts = 1;
    for (int i = 0; i < A->nax; i++) {
        Axis *ax = &A->ax[i];
        size_t need = ax->dim->nmembers + (size_t)ax->npseudo + ax->nleaves + 2;
        if (need > en->scratch_n) { /* every value is written before it is read */
            free(en->scratch);
            en->scratch = xmalloc(need * sizeof *en->scratch);
            en->scratch_n = need;
        }
        Num *val = en->scratch, *leaf = en->scratch + ax->dim->nmembers + ax->npseudo + 1;
        Member *coord[ALLOC_MAX_AXES];
        Ctx ctx = {coord, i};
        size_t n = ax->depends ? contexts : 1;
        int rc = 0;
        for (size_t c = 0; c < n && rc == 0; c++) {
            decode(A, i, c, coord);
            rc = eval_axis(en, A, ax, &ctx, A->root, val, leaf);
        }
        if (rc < 0)
            return -1;
        if (ax->nleaves && contexts > en->max_cells / ax->nleaves)
            break; /* deeper contexts would be as many as the cells: stop here */
        contexts *= ax->nleaves;
    }
    return 0;
}

static int compute(Engine *en, Alloc *A)
{
    if (en->check_only)
        return check_axes(en, A);
    size_t n = 1;
    Num *cur = xmalloc(sizeof *cur), *cur_r = NULL;
    cur[0] = A->root;
    int rc = 0;
    for (int i = 0; i < A->nax && rc == 0; i++) {
        Axis *ax = &A->ax[i];
        size_t nl = ax->nleaves;
        if (nl && n > en->max_cells / nl) {
            diag_error(en->p->diags, A->metric->name_loc,
                       "%s would have more than %zu cells (--max-cells)", A->metric->name,
                       en->max_cells);
            rc = -1;
            break;
        }
        size_t ncells = n * nl > 0 ? n * nl : 1;
        Num *next = xcalloc(ncells, sizeof *next);
        Num *next_r = xcalloc(ncells, sizeof *next_r);
        Num *val = xcalloc(ax->dim->nmembers + (size_t)ax->npseudo + 1, sizeof *val);
        Num *leaf = xcalloc(nl ? nl : 1, sizeof *leaf);
        Member *coord[ALLOC_MAX_AXES];
        Ctx ctx = {coord, i};
        bool zero = num_is_zero(A->root);
        for (size_t c = 0; c < n && rc == 0; c++) {
            if (c == 0 || ax->depends) {
                decode(A, i, c, coord);
                rc = eval_axis(en, A, ax, &ctx, A->root, val, leaf);
            }
            for (size_t j = 0; j < nl && rc == 0; j++) {
                Num t;
                if (i == 0)
                    next[j] = leaf[j];
                else if (!zero && (num_mul(cur[c], leaf[j], &t) != NUM_OK ||
                                   num_div(t, A->root, &next[c * nl + j]) != NUM_OK))
                    rc = num_err(en, A->metric->name_loc, NUM_OVERFLOW);
            }
        }
        if (rc == 0)
            rc = round_stage(en, A, i, n, cur, cur_r, next, next_r);
        free(val);
        free(leaf);
        free(cur);
        free(cur_r);
        cur = next;
        cur_r = next_r;
        n *= nl;
    }
    A->ncells = n;
    A->exact = cur;
    A->rounded = cur_r;
    if (A->nax == 0) { /* no split: one cell, the target */
        A->rounded = xmalloc(sizeof *A->rounded);
        Num f;
        num_round(A->root, A->step, en->p->sym->rounding, &f);
        A->rounded[0] = f;
    }
    return rc;
}

/* ---- the engine ------------------------------------------------------------------------- */

/* ---- targets from the bottom up ------------------------------------------------------------ */

static Member *member_by_text(Dim *d, int depth, const char *text)
{
    Member *m = strmap_get(&d->by_name, text);
    if (m && m->depth == depth)
        return m;
    for (size_t i = 0; i < d->nmembers; i++) /* a label, as people type them */
        if (d->members[i]->depth == depth && d->members[i]->label &&
            strcmp(d->members[i]->label, text) == 0)
            return d->members[i];
    return NULL;
}

static const char *mapped(const Node *mapping, const char *name)
{
    for (const Node *m = mapping; m; m = m->next)
        if (m->name && strcmp(m->name, name) == 0 && m->a)
            return m->a->kind == N_STR ? m->a->str : m->a->name;
    return name;
}

/* "80万" in the plan's display unit, else with separators */
static char *fmt_unit(Engine *en, const Alloc *A, Num v, char *buf)
{
    static const struct {
        const char *unit;
        int64_t scale;
    } units[] = {{"万", 10000}, {"亿", 100000000}, {"k", 1000}, {"M", 1000000}};
    const char *unit = NULL;
    for (Node *a = en->p->sym->header ? en->p->sym->header->a : NULL; a; a = a->next)
        if (strcmp(a->name, "unit") == 0 && a->a->kind == N_STR)
            unit = a->a->str;
    for (size_t i = 0; unit && i < sizeof units / sizeof units[0]; i++)
        if (strcmp(unit, units[i].unit) == 0) {
            Num q;
            if (num_div(v, num_from_int(units[i].scale), &q) == NUM_OK) {
                num_str(q, buf);
                strcat(buf, unit);
                return buf;
            }
        }
    return fmtv(A, v, buf);
}

static void negotiation_gap(Engine *en, Alloc *A, const Node *from, Num sum)
{
    Node *td = strmap_get(&en->p->sym->targets, A->metric->name);
    Num target;
    Frame top = {0};
    if (!td || eval_num(&en->ev, &top, td->a, &target) < 0)
        return;
    Num gap, pct;
    num_sub(sum, target, &gap);
    if (num_is_zero(gap))
        return;
    char b1[NUM_BUFSZ], b2[NUM_BUFSZ], b3[NUM_BUFSZ], b4[NUM_BUFSZ];
    bool ok = !num_is_zero(target) && num_div(num_abs(gap), target, &pct) == NUM_OK &&
              num_mul(pct, num_from_int(100), &pct) == NUM_OK;
    Buf b = {0};
    buf_printf(&b, "bottom-up sums to %s, %s (%s%%) %s the %s target", fmtv(A, sum, b1),
               fmt_unit(en, A, num_abs(gap), b2), ok ? num_fmt(pct, 1, false, b3) : "?",
               num_sign(gap) < 0 ? "short of" : "over", fmt_unit(en, A, target, b4));
    A->note = xstrdup(buf_cstr(&b));
    diag_warning(en->p->diags, from->loc, "%s", A->note);
    diag_note(en->p->diags, td->loc, "the top-down target");
    buf_free(&b);
}

static int bottom_up(Engine *en, Alloc *A, const Node *decl)
{
    Diags *d = en->p->diags;
    char *path = prog_data_path(en->p, decl->c), *err = NULL;
    if (!path)
        return -1;
    CsvReader *cr = csv_open(path, &err);
    free(path);
    if (!cr) {
        diag_error(d, decl->c->loc, "%s", err);
        free(err);
        en->p->data_error = true;
        return -1;
    }
    CsvRow row;
    int value_col = -1, col[ALLOC_MAX_AXES], rc = -1;
    const char *file = decl->c->str;
    if (csv_next(cr, &row) != 1) {
        diag_error(d, decl->c->loc, "%s: no header", file);
        goto fail;
    }
    const char *want = mapped(decl->d, A->metric->name);
    for (size_t i = 0; i < row.nfields; i++) {
        if (strcmp(row.fields[i], want) == 0) {
            value_col = (int)i;
            continue;
        }
        for (size_t k = 0; k < en->p->sym->levels.cap; k++) { /* level columns, mapped or not */
            Level *lv = en->p->sym->levels.vals[k];
            if (!en->p->sym->levels.keys[k] || strcmp(mapped(decl->d, lv->name), row.fields[i]))
                continue;
            if (axis_of(A, lv->dim) >= 0 || A->nax == ALLOC_MAX_AXES) {
                diag_error(d, decl->c->loc, "%s: two columns for dimension '%s'", file,
                           lv->dim->name);
                goto fail;
            }
            col[A->nax] = (int)i;
            Axis *ax = &A->ax[A->nax++];
            ax->dim = lv->dim;
            ax->nsl = 1;
            ax->sl[0] = lv->depth;
        }
    }
    if (value_col < 0 || A->nax == 0) {
        diag_error(d, decl->c->loc, "%s: needs a column '%s' and columns named after levels", file,
                   want);
        goto fail;
    }
    size_t n = 1;
    for (int i = 0; i < A->nax; i++) {
        Axis *ax = &A->ax[i];
        ax->leaves = xmalloc((ax->dim->nmembers + 1) * sizeof *ax->leaves);
        ax->leaf_of = xmalloc((ax->dim->nmembers + 1) * sizeof *ax->leaf_of);
        for (size_t k = 0; k < ax->dim->nmembers; k++) {
            ax->leaf_of[k] = -1;
            if (ax->dim->members[k]->depth == ax->sl[0]) {
                ax->leaf_of[k] = (int)ax->nleaves;
                ax->leaves[ax->nleaves++] = ax->dim->members[k];
            }
        }
        n *= ax->nleaves ? ax->nleaves : 1;
    }
    A->ncells = n;
    A->exact = xcalloc(n, sizeof *A->exact);
    int got;
    while ((got = csv_next(cr, &row)) == 1) {
        if (row.nfields == 1 && row.lens[0] == 0)
            continue;
        size_t c = 0;
        for (int i = 0; i < A->nax; i++) {
            const char *text = (size_t)col[i] < row.nfields ? row.fields[col[i]] : "";
            Member *m = member_by_text(A->ax[i].dim, A->ax[i].sl[0], text);
            if (!m) {
                diag_error(d, decl->c->loc, "%s:%ld: unknown %s '%s'", file, row.line,
                           A->ax[i].dim->levels[A->ax[i].sl[0]].name, text);
                goto fail;
            }
            c = c * A->ax[i].nleaves + (size_t)A->ax[i].leaf_of[m->gindex];
        }
        const char *t = (size_t)value_col < row.nfields ? row.fields[value_col] : "";
        bool neg = t[0] == '-';
        Num v;
        if (num_parse(t + neg, strlen(t + neg), &v) != NUM_OK) {
            diag_error(d, decl->c->loc, "%s:%ld: '%s' is not a number", file, row.line, t);
            goto fail;
        }
        if (num_add(A->exact[c], neg ? num_neg(v) : v, &A->exact[c]) != NUM_OK) {
            num_err(en, decl->c->loc, NUM_OVERFLOW);
            goto fail;
        }
    }
    if (got < 0) {
        long line, ccol;
        const char *msg = csv_error(cr, &line, &ccol);
        diag_error(d, decl->c->loc, "%s:%ld:%ld: %s", file, line, ccol, msg);
        goto fail;
    }
    A->rounded = xmalloc(n * sizeof *A->rounded);
    Num sum = NUM_ZERO;
    for (size_t c = 0; c < n; c++) {
        num_round(A->exact[c], A->step, en->p->sym->rounding, &A->rounded[c]);
        num_add(sum, A->rounded[c], &sum);
    }
    A->root = sum;
    negotiation_gap(en, A, decl, sum);
    rc = 0;
fail:
    if (rc < 0)
        en->p->data_error = true;
    csv_close(cr);
    return rc;
}

static Num metric_step(Engine *en, const Node *metric)
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

static int metric_hook(Eval *e, const Node *metric, Member **coords, int ncoords, const Node *at,
                       Num *out);
static Alloc *table_alloc(Engine *en, Alloc *A, Level **lv, int nlv);

void engine_init(Engine *en, Program *p)
{
    memset(en, 0, sizeof *en);
    en->p = p;
    eval_init(&en->ev, p);
    en->ev.metric = metric_hook;
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
        free(ax->leaves);
        free(ax->leaf_of);
        for (int k = 0; k < ax->nsl; k++) {
            free(ax->grp_reserve[k]);
            free(ax->free_splits[k]);
            free(ax->scoped[k]);
        }
    }
    free(A->splits);
    free(A->note);
    free(A->exact);
    free(A->rounded);
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

static Alloc *alloc_get_cut(Engine *en, const Node *metric, const int *cuts)
{
    for (int i = 0; i < en->nallocs; i++)
        if (en->allocs[i]->metric == metric && same_cuts(en->allocs[i], cuts))
            return en->allocs[i]->failed ? NULL : en->allocs[i];
    Alloc *A = xcalloc(1, sizeof *A);
    A->metric = metric;
    for (int i = 0; i < ALLOC_MAX_AXES; i++)
        A->asked_cut[i] = cuts ? cuts[i] : 1 << 20;
    A->step = metric_step(en, metric);
    Kind k = kind_of_metric(metric);
    A->level_metric = k == K_PERCENT || k == K_SCORE;
    en->allocs = xrealloc(en->allocs, (size_t)(en->nallocs + 1) * sizeof *en->allocs);
    en->allocs[en->nallocs++] = A;
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
        A->failed = bottom_up(en, A, from) < 0;
        return A->failed ? NULL : A;
    }
    int rc = root_target(en, metric, NULL, &A->root);
    en->busy = xrealloc(en->busy, (size_t)(en->nbusy + 1) * sizeof *en->busy);
    en->busy[en->nbusy++] = metric;
    if (rc == 0)
        rc = collect_splits(en, A);
    if (rc == 0)
        rc = build_axes(en, A, cuts);
    if (rc == 0 && !A->level_metric)
        rc = compute(en, A);
    en->nbusy--;
    A->failed = rc < 0;
    return A->failed ? NULL : A;
}

Alloc *alloc_get(Engine *en, const Node *metric) { return alloc_get_cut(en, metric, NULL); }

/* A level metric's value set for m or its nearest ancestor by a split
 * naming it; false when none does (the root target applies). */
static bool explicit_value(Engine *en, Alloc *A, const Member *m, Num *out)
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
static bool level_value(Engine *en, Alloc *A, const Member *m, Num *out)
{
    if (!m || !explicit_value(en, A, m, out))
        *out = A->root;
    return true;
}

/* Sum of the rounded cells under the given members (one per dimension). */
static int rollup(Engine *en, Alloc *A, Member **coords, int n, const Node *at, Num *out)
{
    int which[ALLOC_MAX_AXES];
    for (int k = 0; k < n; k++) {
        which[k] = axis_of(A, coords[k]->dim);
        if (which[k] < 0 || coords[k]->depth > A->ax[which[k]].sl[A->ax[which[k]].nsl - 1]) {
            diag_error(en->p->diags, at->loc, "%s is not split down to '%s'", A->metric->name,
                       coords[k]->name);
            return -1;
        }
    }
    Num sum = NUM_ZERO;
    Member *coord[ALLOC_MAX_AXES];
    for (size_t c = 0; c < A->ncells; c++) {
        decode(A, A->nax, c, coord);
        bool in = true;
        for (int k = 0; k < n && in; k++)
            in = under_or_is(coord[which[k]], coords[k]);
        if (in && num_add(sum, A->rounded[c], &sum) != NUM_OK)
            return num_err(en, at->loc, NUM_OVERFLOW);
    }
    *out = sum;
    return 0;
}

static int metric_hook(Eval *e, const Node *metric, Member **coords, int ncoords, const Node *at,
                       Num *out)
{
    Engine *en = e->user;
    if (!coords || ncoords == 0)
        return root_target(en, metric, at, out);
    Alloc *A = alloc_get(en, metric);
    if (!A)
        return -1;
    if (A->level_metric)
        return level_value(en, A, coords[ncoords - 1], out) ? 0 : -1;
    Level *lv[ALLOC_MAX_AXES];
    int n = ncoords < ALLOC_MAX_AXES ? ncoords : ALLOC_MAX_AXES;
    for (int k = 0; k < n; k++)
        lv[k] = &coords[k]->dim->levels[coords[k]->depth];
    A = table_alloc(en, A, lv, n);
    return A ? rollup(en, A, coords, ncoords, at, out) : -1;
}

/* ---- tables --------------------------------------------------------------------------------- */

typedef struct {
    Level *lv;
    int axis;
    size_t n;
    const char **names, **labels;
    int *pos_of_leaf; /* leaf -> row or column */
    Member **members;
} Side;

static int side_for(Engine *en, Alloc *A, const Node *ref, Level *lv, Arena *arena, Side *sd)
{
    sd->lv = lv;
    sd->axis = axis_of(A, lv->dim);
    if (sd->axis < 0) {
        diag_error(en->p->diags, ref->loc, "%s is not split by %s", A->metric->name, lv->name);
        diag_note_plain(en->p->diags, "add 'split %s by %s ...'", A->metric->name, lv->name);
        return -1;
    }
    Axis *ax = &A->ax[sd->axis];
    if (!A->level_metric && lv->depth > ax->sl[ax->nsl - 1]) {
        diag_error(en->p->diags, ref->loc, "%s is split by %s only down to %s", A->metric->name,
                   lv->dim->name, level_of(lv->dim, ax->sl[ax->nsl - 1])->name);
        return -1;
    }
    Dim *d = lv->dim;
    size_t cap = d->nmembers + (size_t)ax->npseudo + 1;
    sd->names = arena_alloc(arena, cap * sizeof *sd->names);
    sd->labels = arena_alloc(arena, cap * sizeof *sd->labels);
    sd->members = arena_alloc(arena, cap * sizeof *sd->members);
    int *row_of = xmalloc(cap * sizeof *row_of);
    sd->n = 0;
    for (size_t i = 0; i < d->nmembers; i++)
        if (d->members[i]->depth == lv->depth) {
            row_of[i] = (int)sd->n;
            sd->members[sd->n] = d->members[i];
            sd->names[sd->n] = d->members[i]->name;
            sd->labels[sd->n++] = d->members[i]->label;
        }
    sd->pos_of_leaf = arena_alloc(arena, (ax->nleaves + 1) * sizeof *sd->pos_of_leaf);
    for (size_t j = 0; j < ax->nleaves; j++) {
        const Member *m = ax->leaves[j];
        if (m->pseudo && m->depth <= lv->depth) { /* a reserve row above the table's level */
            sd->members[sd->n] = (Member *)m;
            sd->names[sd->n] = m->parent ? arena_printf(arena, "reserve:%s", m->parent->name)
                                         : "reserve";
            sd->labels[sd->n] = m->parent ? arena_printf(arena, "reserve (%s)",
                                                         m->parent->label ? m->parent->label
                                                                          : m->parent->name)
                                          : "reserve";
            sd->pos_of_leaf[j] = (int)sd->n++;
            continue;
        }
        const Member *a = ancestor_at(m, lv->depth);
        sd->pos_of_leaf[j] = a ? row_of[a->gindex] : -1;
    }
    free(row_of);
    return 0;
}

/* Over-assignment below the shown level: the shown level keeps its own
 * (declared) values, so the table comes from an allocation cut there.  A
 * dimension the table does not show is cut above its first over-assigning
 * split, so that the table adds up to the plan's own target. */
static Alloc *table_alloc(Engine *en, Alloc *A, Level **lv, int nlv)
{
    enum { NONE = 1 << 20 };
    int cuts[ALLOC_MAX_AXES];
    bool cut = false;
    for (int i = 0; i < ALLOC_MAX_AXES; i++)
        cuts[i] = NONE;
    for (int i = 0; i < A->nax; i++) {
        int shown = NONE, first_oa = NONE;
        for (int k = 0; k < nlv; k++)
            if (A->ax[i].dim == lv[k]->dim)
                shown = lv[k]->depth;
        bool oa_below_shown = false;
        for (int s = 0; s < A->nsplits; s++) {
            const SplitInfo *si = &A->splits[s];
            if (si->dim != A->ax[i].dim || si->adj_kind != OVERASSIGN)
                continue;
            if (si->depth < first_oa)
                first_oa = si->depth;
            oa_below_shown |= shown != NONE && si->depth > shown;
        }
        if (shown != NONE && oa_below_shown)
            cuts[i] = shown;
        else if (shown == NONE && first_oa != NONE)
            cuts[i] = first_oa - 1;
        cut |= cuts[i] != NONE;
    }
    return cut ? alloc_get_cut(en, A->metric, cuts) : A;
}

static void fill_meta(Engine *en, Alloc *A, Table *t)
{
    Kind k = kind_of_metric(A->metric);
    t->metric = A->metric->name;
    t->metric_label = A->metric->str;
    t->kind = k == K_COUNT ? VAL_COUNT : k == K_PERCENT ? VAL_PERCENT : k == K_SCORE ? VAL_SCORE
                                                                                      : VAL_MONEY;
    t->decimals = k == K_COUNT ? 0 : k == K_PERCENT ? 4 : k == K_SCORE ? 2
                                                                       : num_decimals(A->step);
    (void)en;
}

/* Percent and score metrics: each cell is the value set for the column's
 * member, else the row's, else the target; they do not add up. */
static int level_table(Engine *en, Alloc *A, Side *rows, Side *cols, Arena *arena, Table *t)
{
    size_t nr = rows ? rows->n : 1, nc = cols ? cols->n : 1;
    Num *cells = arena_alloc(arena, nr * nc * sizeof *cells);
    for (size_t r = 0; r < nr; r++)
        for (size_t c = 0; c < nc; c++) {
            Num v;
            if (!cols || !explicit_value(en, A, cols->members[c], &v))
                level_value(en, A, rows ? rows->members[r] : NULL, &v);
            cells[r * nc + c] = v;
        }
    t->cells = cells;
    Num *grand = arena_alloc(arena, sizeof *grand);
    *grand = A->root;
    t->grand_total = grand;
    return 0;
}

bool alloc_has_splits(Engine *en, const Node *metric)
{
    return splits_of(en, metric->name)->n > 0;
}

/* The formula of a derived metric in one cell (coords NULL: the whole plan). */
static int derived_cell(Engine *en, const Node *metric, Member **coords, int n, Num *out)
{
    Member **saved = en->ev.cell;
    int saved_n = en->ev.ncell;
    en->ev.cell = coords;
    en->ev.ncell = n;
    Frame top = {0};
    int rc = eval_num(&en->ev, &top, metric->c, out);
    en->ev.cell = saved;
    en->ev.ncell = saved_n;
    if (rc == 0 && kind_of_metric(metric) != K_PERCENT) {
        Num r; /* a computed cell is shown rounded to the plan's step */
        if (num_round(*out, en->p->sym->round_step, en->p->sym->rounding, &r) == NUM_OK)
            *out = r;
    }
    return rc;
}

/* Tables of a derived metric: every cell from the formula over its
 * components' cells.  Money and count totals are sums of the cells shown;
 * ratios are computed again at the total. */
static int derived_table(Engine *en, const Node *show, const Node *metric, Arena *arena, Table *t)
{
    Symbols *s = en->p->sym;
    Level *lv[2] = {NULL, NULL};
    int nlv = 0;
    for (const Node *l = show->a; l && nlv < 2; l = l->next)
        lv[nlv++] = strmap_get(&s->levels, l->name);
    Scope sc = {SC_METRICS, 0, 0, 0, 0, 0};
    Diags quiet = {0}, *saved = en->ev.r.d;
    en->ev.r.d = &quiet;
    Kind k = rx_check(&en->ev.r, &sc, metric->c);
    en->ev.r.d = saved;
    diag_free(&quiet);
    bool additive = k == K_MONEY || k == K_COUNT;
    t->metric = metric->name;
    t->metric_label = metric->str;
    t->kind = k == K_COUNT ? VAL_COUNT : additive ? VAL_MONEY : VAL_PERCENT;
    t->decimals = k == K_COUNT ? 0 : additive ? num_decimals(s->round_step) : 4;
    Member **mem[2] = {NULL, NULL};
    size_t cnt[2] = {1, 1};
    for (int i = 0; i < nlv; i++) {
        Dim *d = lv[i]->dim;
        mem[i] = arena_alloc(arena, (d->nmembers + 1) * sizeof *mem[i]);
        const char **names = arena_alloc(arena, (d->nmembers + 1) * sizeof *names);
        const char **labels = arena_alloc(arena, (d->nmembers + 1) * sizeof *labels);
        cnt[i] = 0;
        for (size_t j = 0; j < d->nmembers; j++)
            if (d->members[j]->depth == lv[i]->depth) {
                names[cnt[i]] = d->members[j]->name;
                labels[cnt[i]] = d->members[j]->label;
                mem[i][cnt[i]++] = d->members[j];
            }
        if (i == 0) {
            t->row_names = names;
            t->row_labels = labels;
        } else {
            t->col_names = names;
            t->col_labels = labels;
        }
    }
    t->row_level = nlv ? lv[0]->name : "total";
    t->col_level = nlv > 1 ? lv[1]->name : NULL;
    t->nrows = cnt[0];
    t->ncols = cnt[1];
    if (!nlv) {
        const char **names = arena_alloc(arena, sizeof *names);
        names[0] = metric->name;
        t->row_names = names;
    }
    Num *cells = arena_alloc(arena, cnt[0] * cnt[1] * sizeof *cells);
    Num *rt = arena_alloc(arena, cnt[0] * sizeof *rt), *ct = arena_alloc(arena, cnt[1] * sizeof *ct);
    Num *grand = arena_alloc(arena, sizeof *grand);
    for (size_t r = 0; r < cnt[0]; r++)
        for (size_t c = 0; c < cnt[1]; c++) {
            Member *co[2];
            int n = 0;
            if (nlv > 0)
                co[n++] = mem[0][r];
            if (nlv > 1)
                co[n++] = mem[1][c];
            Num *cell = &cells[r * cnt[1] + c];
            if (derived_cell(en, metric, n ? co : NULL, n, cell) < 0)
                return -1;
            if (additive) {
                num_add(rt[r], *cell, &rt[r]);
                num_add(ct[c], *cell, &ct[c]);
                num_add(*grand, *cell, grand);
            }
        }
    if (!additive) {
        for (size_t r = 0; r < cnt[0] && nlv > 1; r++)
            if (derived_cell(en, metric, &mem[0][r], 1, &rt[r]) < 0)
                return -1;
        for (size_t c = 0; c < cnt[1] && nlv > 0; c++)
            if (derived_cell(en, metric, nlv > 1 ? &mem[1][c] : NULL, nlv > 1, &ct[c]) < 0)
                return -1;
        if (derived_cell(en, metric, NULL, 0, grand) < 0)
            return -1;
    }
    t->cells = cells;
    t->row_totals = nlv > 1 ? rt : NULL;
    t->col_totals = nlv > 0 ? ct : NULL;
    t->grand_total = grand;
    return 0;
}

int alloc_table(Engine *en, const Node *show, Arena *arena, Table *t)
{
    memset(t, 0, sizeof *t);
    Symbols *s = en->p->sym;
    const Node *metric = strmap_get(&s->metrics, show->name);
    if (!metric)
        return -1;
    if (metric->op == MK_DERIVED && !alloc_has_splits(en, metric))
        return derived_table(en, show, metric, arena, t);
    Alloc *A = alloc_get(en, metric);
    if (!A)
        return -1;
    Level *lv[2] = {NULL, NULL};
    const Node *ref[2] = {NULL, NULL};
    int nlv = 0;
    for (const Node *l = show->a; l && nlv < 2; l = l->next) {
        ref[nlv] = l;
        lv[nlv++] = strmap_get(&s->levels, l->name);
    }
    if (!A->level_metric)
        A = table_alloc(en, A, lv, nlv);
    if (!A)
        return -1;
    fill_meta(en, A, t);
    Side side[2];
    for (int k = 0; k < nlv; k++)
        if (side_for(en, A, ref[k], lv[k], arena, &side[k]) < 0)
            return -1;
    t->row_level = nlv ? lv[0]->name : "total";
    t->col_level = nlv > 1 ? lv[1]->name : NULL;
    t->nrows = nlv ? side[0].n : 1;
    t->ncols = nlv > 1 ? side[1].n : 1;
    t->row_names = nlv ? side[0].names : (const char *[]){"total"};
    t->row_labels = nlv ? side[0].labels : NULL;
    if (!nlv) {
        const char **names = arena_alloc(arena, sizeof *names);
        names[0] = A->metric->name;
        t->row_names = names;
    }
    if (nlv > 1) {
        t->col_names = side[1].names;
        t->col_labels = side[1].labels;
    }
    if (A->level_metric)
        return level_table(en, A, nlv ? &side[0] : NULL, nlv > 1 ? &side[1] : NULL, arena, t);
    Num *cells = arena_alloc(arena, t->nrows * t->ncols * sizeof *cells);
    Num *rt = arena_alloc(arena, t->nrows * sizeof *rt), *ct = arena_alloc(arena, t->ncols * sizeof *ct);
    Num *grand = arena_alloc(arena, sizeof *grand);
    size_t stride[ALLOC_MAX_AXES];
    for (int i = A->nax - 1; i >= 0; i--)
        stride[i] = i == A->nax - 1 ? 1 : stride[i + 1] * A->ax[i + 1].nleaves;
    for (size_t c = 0; c < A->ncells; c++) {
        int r = 0, k = 0;
        if (nlv > 0) {
            Axis *ax = &A->ax[side[0].axis];
            r = side[0].pos_of_leaf[(c / stride[side[0].axis]) % ax->nleaves];
        }
        if (nlv > 1) {
            Axis *ax = &A->ax[side[1].axis];
            k = side[1].pos_of_leaf[(c / stride[side[1].axis]) % ax->nleaves];
        }
        if (r < 0 || k < 0)
            continue;
        Num *cell = &cells[(size_t)r * t->ncols + (size_t)k];
        if (num_add(*cell, A->rounded[c], cell) != NUM_OK ||
            num_add(rt[r], A->rounded[c], &rt[r]) != NUM_OK ||
            num_add(ct[k], A->rounded[c], &ct[k]) != NUM_OK ||
            num_add(*grand, A->rounded[c], grand) != NUM_OK)
            return num_err(en, show->loc, NUM_OVERFLOW);
    }
    t->cells = cells;
    t->row_totals = nlv > 1 ? rt : NULL;
    t->col_totals = nlv > 0 ? ct : NULL;
    t->grand_total = grand;
    t->note = A->note ? arena_strdup(arena, A->note) : NULL;
    return 0;
}

/* ---- explaining a cell ------------------------------------------------------------------- */

static void source_ref(Buf *out, const Node *n)
{
    size_t len;
    const char *line = source_line(n->loc.src, n->loc.line, &len);
    while (len > 0 && (*line == ' ' || *line == '\t')) {
        line++;
        len--;
    }
    buf_printf(out, "%s:%d: %.*s", n->loc.src->name, n->loc.line, (int)len, line);
}

static void rule_of(Engine *en, const SplitInfo *si, const Member *m, Buf *out)
{
    switch (si->spec->kind) {
    case N_SPEC_MAP:
        for (const Node *e = si->spec->a; e; e = e->next)
            if (lookup_member_in(&en->ev.r, e->a, si->dim, false) == m) {
                buf_puts(out, e->b->kind == N_REST ? "the rest"
                              : share_expr(en, e->b) ? "a share" : "an amount (locked)");
                return;
            }
        buf_puts(out, "not named: nothing");
        return;
    case N_SPEC_WEIGHTS: buf_puts(out, "by weight"); return;
    case N_SPEC_PROP: buf_puts(out, "in proportion"); return;
    case N_SPEC_EQUAL: buf_puts(out, "an equal part"); return;
    case N_SPEC_SEASON: buf_printf(out, "by the seasonality of '%s'", si->spec->name); return;
    case N_SPEC_LIKE: buf_printf(out, "as '%s' is split", si->spec->name); return;
    default: return;
    }
}

/* One coordinate: the path of splits from the whole plan down to m. */
static int explain_axis(Engine *en, Alloc *A, int ai, const Member *m, Buf *out)
{
    Axis *ax = &A->ax[ai];
    const Num *marg = marginal(en, A, ai);
    if (!marg)
        return -1;
    char b1[NUM_BUFSZ], b2[NUM_BUFSZ], b3[NUM_BUFSZ];
    Ctx none = {NULL, 0};
    for (int k = 0; k < ax->nsl && ax->sl[k] <= m->depth; k++) {
        const Member *at = ancestor_at(m, ax->sl[k]);
        const Member *parent = k ? ancestor_at(m, ax->sl[k - 1]) : NULL;
        const SplitInfo *si = at ? pick_split(A, ax, k, parent, &none) : NULL;
        if (!si)
            continue;
        Num pv = parent ? marg[parent->gindex] : A->root, share = NUM_ZERO;
        if (!num_is_zero(pv))
            num_div(marg[at->gindex], pv, &share);
        num_mul(share, num_from_int(100), &share);
        buf_printf(out, "  %s %s: ", level_of(ax->dim, ax->sl[k])->name, at->name);
        rule_of(en, si, at, out);
        buf_printf(out, ", %s = %s%% of %s %s\n      ", fmtv(A, marg[at->gindex], b1),
                   num_fmt(share, 4, false, b2), parent ? parent->name : A->metric->name,
                   fmtv(A, pv, b3));
        source_ref(out, si->node);
        buf_putc(out, '\n');
        if (ax->depends)
            buf_printf(out, "      (its shares depend on the cell's other coordinates: start/end or "
                            "'in' scopes; the values above are for the whole plan)\n");
    }
    if (m->depth > ax->sl[ax->nsl - 1])
        buf_printf(out, "  %s is below the finest split of %s\n", m->name, ax->dim->name);
    return 0;
}

int alloc_explain(Engine *en, const Node *cell, Buf *out)
{
    Symbols *s = en->p->sym;
    const Node *mref = cell->kind == N_INDEX ? cell->a : cell;
    const Node *metric = mref->kind == N_NAME ? strmap_get(&s->metrics, mref->name) : NULL;
    if (!metric) {
        diag_error(en->p->diags, cell->loc, "--explain needs a metric cell such as revenue[north, Q1]");
        return -1;
    }
    Member *coords[ALLOC_MAX_AXES];
    int n = 0;
    for (const Node *c = cell->kind == N_INDEX ? cell->b : NULL; c && n < ALLOC_MAX_AXES; c = c->next) {
        Member *m = lookup_member(&en->ev.r, (Node *)c, true);
        if (!m)
            return -1;
        coords[n++] = m;
    }
    Alloc *A = alloc_get(en, metric);
    if (!A)
        return -1;
    char b1[NUM_BUFSZ], b2[NUM_BUFSZ];
    Num value;
    if (metric_hook(&en->ev, metric, n ? coords : NULL, n, cell, &value) < 0)
        return -1;
    buf_printf(out, "%s", metric->name);
    for (int i = 0; i < n; i++)
        buf_printf(out, "%s%s", i ? ", " : "[", coords[i]->name);
    buf_printf(out, "%s = %s\n", n ? "]" : "", fmtv(A, value, b1));
    Node *t = strmap_get(&s->targets, metric->name);
    Node *from = strmap_get(&s->targets_from, metric->name);
    buf_printf(out, "  target %s = %s\n      ", metric->name, fmtv(A, A->root, b1));
    if (t || from)
        source_ref(out, from ? from : t);
    buf_putc(out, '\n');
    if (from || A->level_metric) {
        buf_printf(out, "  %s\n", from ? "the cells come from the submitted file, summed"
                                        : "a percent or score value: set for the member, else "
                                          "inherited from its parent, else the target");
        return 0;
    }
    for (int i = 0; i < n; i++) {
        int ai = axis_of(A, coords[i]->dim);
        if (ai < 0) {
            buf_printf(out, "  %s is not split by %s\n", metric->name, coords[i]->dim->name);
            continue;
        }
        if (explain_axis(en, A, ai, coords[i], out) < 0)
            return -1;
    }
    Num exact = NUM_ZERO;
    size_t cells = 0;
    Member *coord[ALLOC_MAX_AXES];
    for (size_t c = 0; c < A->ncells; c++) {
        decode(A, A->nax, c, coord);
        bool in = true;
        for (int k = 0; k < n && in; k++) {
            int ai = axis_of(A, coords[k]->dim);
            in = ai >= 0 && under_or_is(coord[ai], coords[k]);
        }
        if (in) {
            num_add(exact, A->exact[c], &exact);
            cells++;
        }
    }
    char b3[NUM_BUFSZ];
    for (int i = 0; i < n; i++) { /* a member outside its start/end months */
        const Member *m = coords[i];
        if (m->dim->is_time || (!m->active_from && !m->active_to))
            continue;
        for (int k = 0; k < n; k++) {
            if (!coords[k]->dim->is_time)
                continue;
            int months[12], nm = 0;
            Dim *td = coords[k]->dim;
            for (size_t j = 0; j < td->nmembers; j++)
                if (td->members[j]->depth == 3 && under_or_is(td->members[j], coords[k]))
                    months[nm++] = month_code(td->members[j]);
            bool any = false;
            for (int j = 0; j < nm; j++)
                any |= eval_active(m, months[j]);
            if (!any)
                buf_printf(out, "  %s is not active in %s (start %04d-%02d%s): it gets nothing there, "
                                "its active siblings take its part\n",
                           m->name, coords[k]->name, m->active_from / 100, m->active_from % 100,
                           m->active_to ? ", with an end month" : "");
        }
    }
    buf_printf(out, "  exact value %s, the sum of %zu allocation cell%s; cells are rounded to "
                    "steps of %s together (controlled rounding): %s\n",
               fmtv(A, exact, b1), cells, cells == 1 ? "" : "s", num_str(A->step, b2),
               fmtv(A, value, b3));
    return 0;
}
