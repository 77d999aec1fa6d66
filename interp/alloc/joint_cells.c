/* joint_cells.c -- the exact joint cells of a metric (its target times each
 * axis's shares), or for independent axes their factors and what is made
 * from them (a dimension's sums, a table's exact cells a row at a time);
 * every dimension's rounded totals (al_canon), and the controlled rounding
 * of a two-level table against them (al_round_grid, through flow.c); also
 * check mode, which evaluates every split tree without joint cells.
 * Nothing here reads plan text or prints. */
#include <stdlib.h>
#include <string.h>

#include "alloc/alloc_int.h"

/* ---- rounding totals ------------------------------------------------------------------------ */

/* Rounds a total (a sum of exact cells, a hair off the exact number it
 * stands for) to the step with the plan's rule: within 1e-6 of a step of
 * a multiple or a half step, it is taken to be on it. */
static void round_total(Engine *en, Num x, Num step, Num *out)
{
    Num f, r, half, d;
    num_round(x, step, NUM_FLOOR, &f);
    num_sub(x, f, &r);
    num_div(r, step, &r); /* in steps: 0 <= r < 1 */
    num_parse("0.5", 3, &half);
    num_sub(r, half, &d);
    if (num_cmp(num_abs(d), AL_TIE) < 0) { /* a half step: the plan's tie rule */
        Num mid;
        num_mul(half, step, &mid);
        num_add(f, mid, &mid);
        num_round(mid, step, en->p->sym->rounding, out);
        return;
    }
    num_round(x, step, en->p->sym->rounding, out);
}

/* ---- a dimension's rounded totals (al_canon) ------------------------------------------------ */

/* The work of al_canon on one axis. */
typedef struct {
    Engine *en;
    Alloc *A;
    Axis *ax;
    int ai;
    size_t total; /* members and reserve rows; as a parent key: the whole plan */
    Num *ex;      /* exact totals, by gindex */
    Num *rd;      /* rounded totals, by gindex: the result */
    int *start;   /* the children of parent key k: kids[start[k] .. start[k + 1]) */
    Member **kids;
    Num *gtarget;    /* rounded totals of over-assigned groups, by parent key */
    Num *kex, *kout; /* one group's exact and rounded values */
} Canon;

/* The split level whose parents are at depth (-1: the plan), or nsl. */
static int split_level_below(const Axis *ax, int depth)
{
    int k = 0;
    while (k < ax->nsl && (k ? ax->sl[k - 1] : -1) != depth)
        k++;
    return k;
}

static Num children_sum(const Canon *w, size_t key)
{
    Num sum = NUM_ZERO;
    for (int i = w->start[key]; i < w->start[key + 1]; i++)
        num_add(sum, w->ex[w->kids[i]->gindex], &sum);
    return sum;
}

/* The groups under the members at one depth whose split over-assigns:
 * their parent keys (who) and exact sums (g).  Every group's sum goes into
 * *all; the rounded totals of the others into *fixed.  Returns how many. */
static size_t overassigned_groups(const Canon *w, int depth, int k, size_t *who, Num *g, Num *all,
                                  Num *fixed)
{
    Dim *d = w->ax->dim;
    size_t np = depth < 0 ? 1 : d->nmembers, n = 0;
    for (size_t pi = 0; pi < np; pi++) {
        const Member *p = depth < 0 ? NULL : d->members[pi];
        if (p && p->depth != depth)
            continue;
        size_t key = p ? (size_t)p->gindex : w->total;
        Num sum = children_sum(w, key);
        num_add(*all, sum, all);
        if (al_adjusts(w->A, w->ax, k, p, ADJ_OVERASSIGN)) {
            who[n] = key;
            g[n++] = sum;
        } else {
            num_add(*fixed, p ? w->rd[p->gindex] : w->ax->canon_root, fixed);
        }
    }
    return n;
}

/* Reserve rows beside the members at one depth (those inside a group are
 * counted with it) go into *all and *fixed. */
static void add_reserves_beside(const Canon *w, int depth, Num *all, Num *fixed)
{
    const Axis *ax = w->ax;
    for (int q = 0; q < ax->npseudo; q++) {
        const Member *r = ax->pseudo[q];
        if ((r->parent ? r->parent->depth : -1) >= depth)
            continue;
        num_add(*all, w->ex[r->gindex], all);
        num_add(*fixed, w->rd[r->gindex], fixed);
    }
}

/* Rounds the over-assigned groups' sums g together: largest remainder
 * against the rounded sum of everything at the level less the fixed
 * totals, or each on its own when those are too far off. */
static void round_groups_together(const Canon *w, const Num *g, size_t n, Num all, Num fixed,
                                  Num *out)
{
    Num step = w->A->step, want, floors = NUM_ZERO;
    round_total(w->en, all, step, &want);
    num_sub(want, fixed, &want);
    for (size_t i = 0; i < n; i++) {
        Num f, r;
        al_floor_to_step(step, g[i], &f, &r);
        num_add(floors, f, &floors);
    }
    int64_t need = al_steps_between(floors, want, step, NULL);
    if (need >= 0 && need <= (int64_t)n)
        alloc_apportion(step, g, n, want, APPORTION_SNAP, out);
    else
        for (size_t i = 0; i < n; i++)
            round_total(w->en, g[i], step, &out[i]);
}

/* The totals of the over-assigned groups under the members at one depth
 * (what their children add up to), rounded together so that the grand
 * total of a table of the next level stays within one step: into
 * gtarget. */
static void inflated_targets(Canon *w, int depth)
{
    int k = split_level_below(w->ax, depth);
    if (k == w->ax->nsl)
        return;
    size_t np = (depth < 0 ? 1 : w->ax->dim->nmembers) + 1;
    size_t *who = xmalloc(np * sizeof *who);
    Num *g = xmalloc(np * sizeof *g), *out = xmalloc(np * sizeof *out);
    Num all = NUM_ZERO, fixed = NUM_ZERO;
    size_t n = overassigned_groups(w, depth, k, who, g, &all, &fixed);
    add_reserves_beside(w, depth, &all, &fixed);
    if (n) {
        round_groups_together(w, g, n, all, fixed, out);
        for (size_t i = 0; i < n; i++)
            w->gtarget[who[i]] = out[i];
    }
    free(who);
    free(g);
    free(out);
}

/* The exact sum of the cells under each leaf of axis ai: from the
 * factors when A has them, else summed from the cells. */
static Num *leaf_sums(Engine *en, Alloc *A, int ai)
{
    if (A->factored) {
        Num *sum = al_factor_sums(A, ai);
        if (sum || al_cells(en, A) < 0)
            return sum ? sum : xcalloc(A->ax[ai].nleaves + 1, sizeof *sum);
    }
    const Axis *ax = &A->ax[ai];
    size_t stride = al_stride(A, ai), nl = ax->nleaves;
    Num *leafsum = xcalloc(nl + 1, sizeof *leafsum);
    size_t c = 0; /* cell c = (o * nl + j) * stride + s: each sum in cell order, no division */
    while (nl && c < A->ncells)
        for (size_t j = 0; j < nl; j++)
            for (size_t s = 0; s < stride && c < A->ncells; s++, c++)
                num_add_inline(leafsum[j], A->exact[c], &leafsum[j]);
    return leafsum;
}

/* Every member's exact total (ex) from the cells; returns the plan's
 * total, the target itself when the cells add up to it. */
static Num exact_totals(Canon *w)
{
    const Axis *ax = w->ax;
    Num *leafsum = leaf_sums(w->en, w->A, w->ai), all = NUM_ZERO, off;
    for (size_t j = 0; j < ax->nleaves; j++) {
        num_add(all, leafsum[j], &all);
        for (const Member *m = ax->leaves[j]; m; m = m->parent)
            num_add(w->ex[m->gindex], leafsum[j], &w->ex[m->gindex]);
    }
    free(leafsum);
    num_sub(all, w->A->root, &off);
    return num_cmp(num_abs(off), (Num){1000000}) < 0 ? w->A->root : all;
}

/* The first split level of the axis that over-assigns anywhere, or -1. */
static int first_overassigned_level(const Alloc *A, const Axis *ax)
{
    int oa_k = -1;
    for (int i = 0; i < A->nsplits; i++)
        if (al_split_dim(A, i) == ax->dim && al_split_overassigns(A, i))
            for (int k = 0; k < ax->nsl; k++)
                if (ax->sl[k] == al_split_depth(A, i) && (oa_k < 0 || k < oa_k))
                    oa_k = k;
    return oa_k;
}

static bool is_uncut(const Alloc *A)
{
    bool uncut = true;
    for (int i = 0; i < ALLOC_MAX_AXES; i++)
        uncut &= A->asked_cut[i] == AL_NO_CUT;
    return uncut;
}

/* Reserve rows kept back above the cut depth pd: the same rows of the cut
 * allocation's axis cax, whose totals are cc. */
static void copy_cut_reserves(Canon *w, const Axis *cax, const Num *cc, int pd)
{
    const Axis *ax = w->ax;
    for (int q = 0; q < ax->npseudo; q++) {
        const Member *r = ax->pseudo[q];
        if ((r->parent ? r->parent->depth : -1) >= pd)
            continue;
        for (int k = 0; k < cax->npseudo; k++)
            if (cax->pseudo[k]->parent == r->parent && cax->pseudo[k]->depth == r->depth)
                w->rd[r->gindex] = cc[cax->pseudo[k]->gindex];
    }
}

/* Above the first over-assigned level the totals are those of the
 * allocation cut there (the declared values that tables of those levels
 * show): copies them into rd and returns the depth they reach, or -1
 * when every level is rounded here. */
static int copy_cut_totals(Canon *w)
{
    Axis *ax = w->ax;
    Dim *d = ax->dim;
    int oa_k = first_overassigned_level(w->A, ax);
    if (oa_k <= 0 || !is_uncut(w->A))
        return -1;
    int pd = ax->sl[oa_k - 1], cuts[ALLOC_MAX_AXES];
    for (int i = 0; i < ALLOC_MAX_AXES; i++)
        cuts[i] = AL_NO_CUT;
    cuts[w->ai] = pd;
    Alloc *C = al_alloc_get_cut(w->en, w->A->metric, cuts);
    int ci = C ? al_axis_of(C, d) : -1;
    if (ci < 0)
        return -1;
    const Num *cc = al_canon(w->en, C, ci);
    for (size_t g = 0; g < d->nmembers; g++)
        if (d->members[g]->depth <= pd)
            w->rd[g] = cc[g];
    copy_cut_reserves(w, &C->ax[ci], cc, pd);
    ax->canon_root = C->ax[ci].canon_root;
    return pd;
}

/* Children grouped by parent (start, kids) down to maxdepth; reserve rows
 * sit with their parent. */
static void group_by_parent(Canon *w, int maxdepth)
{
    Dim *d = w->ax->dim;
    w->start = xcalloc(w->total + 3, sizeof *w->start);
    w->kids = xmalloc((w->total + 1) * sizeof *w->kids);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t g = 0; g < w->total; g++) {
            Member *m = g < d->nmembers ? d->members[g] : w->ax->pseudo[g - d->nmembers];
            if (m->depth > maxdepth)
                continue;
            size_t key = m->parent ? (size_t)m->parent->gindex : w->total;
            if (pass == 0)
                w->start[key + 2]++;
            else
                w->kids[w->start[key + 1]++] = m;
        }
        if (pass == 0)
            for (size_t k = 2; k < w->total + 3; k++)
                w->start[k] += w->start[k - 1];
    }
}

/* Shares the rounded total of p (NULL: the plan) among its children by
 * largest remainder; under over-assignment (split level k) the group's
 * own rounded sum instead. */
static void round_children(Canon *w, const Member *p, int k)
{
    size_t key = p ? (size_t)p->gindex : w->total;
    size_t from = (size_t)w->start[key], n = (size_t)w->start[key + 1] - from;
    if (!n)
        return;
    for (size_t i = 0; i < n; i++)
        w->kex[i] = w->ex[w->kids[from + i]->gindex];
    Num target = p ? w->rd[p->gindex] : w->ax->canon_root;
    if (k < w->ax->nsl && al_adjusts(w->A, w->ax, k, p, ADJ_OVERASSIGN))
        target = w->gtarget[key];
    alloc_apportion(w->A->step, w->kex, n, target, APPORTION_SNAP, w->kout);
    for (size_t i = 0; i < n; i++)
        w->rd[w->kids[from + i]->gindex] = w->kout[i];
}

/* Rounds the children of every member at one depth (-1: the plan). */
static void round_level(Canon *w, int depth)
{
    Dim *d = w->ax->dim;
    inflated_targets(w, depth);
    int k = split_level_below(w->ax, depth);
    size_t np = depth < 0 ? 1 : d->nmembers;
    for (size_t pi = 0; pi < np; pi++) {
        const Member *p = depth < 0 ? NULL : d->members[pi];
        if (!p || p->depth == depth)
            round_children(w, p, k);
    }
}

/* A dimension's totals at every level, rounded once for all tables: the
 * target rounded, then each parent's rounded value shared among its
 * members by largest remainder (or, under over-assignment, the members'
 * own rounded sum). */
const Num *al_canon(Engine *en, Alloc *A, int ai)
{
    Axis *ax = &A->ax[ai];
    if (ax->canon)
        return ax->canon;
    Canon w = {.en = en, .A = A, .ax = ax, .ai = ai};
    w.total = ax->dim->nmembers + (size_t)ax->npseudo;
    w.ex = xcalloc(w.total + 1, sizeof *w.ex);
    w.rd = xcalloc(w.total + 1, sizeof *w.rd);
    round_total(en, exact_totals(&w), A->step, &ax->canon_root);
    int from_depth = copy_cut_totals(&w), maxdepth = ax->sl[ax->nsl - 1];
    group_by_parent(&w, maxdepth);
    w.kex = xmalloc((w.total + 1) * sizeof *w.kex);
    w.kout = xmalloc((w.total + 1) * sizeof *w.kout);
    w.gtarget = xcalloc(w.total + 2, sizeof *w.gtarget);
    for (int depth = from_depth; depth < maxdepth; depth++)
        round_level(&w, depth);
    free(w.start);
    free(w.kids);
    free(w.kex);
    free(w.kout);
    free(w.gtarget);
    free(w.ex);
    if (ax->locks)
        al_lock_canon(en, A, ai, w.rd);
    ax->canon = w.rd;
    return w.rd;
}

/* ---- controlled rounding of a table --------------------------------------------------------- */

/* The flow problem of one table (see flow.h): a column tree of one level
 * (node 0 the table, node 1 + c column c) and the cells with a remainder
 * (or every cell, by position). */
typedef struct {
    size_t nr, nc, nfrac; /* nfrac: the problem's cells */
    const int *rgroup;    /* per row: its lock group (nodes under the columns), -1: none */
    int ngroups;
    Num *gx; /* per (group, column): the sum of the remainders (in steps) */
    int *parent;
    RoundBound *lo, *hi; /* per node */
    int64_t *rlo, *rhi;  /* per row */
    bool dense;          /* the cells by position, every one (see round_table_cells) */
    uint32_t *crow;      /* else per candidate cell (with a remainder) */
    int32_t *cnode;
    uint32_t *crank;      /* the remainder in millionths of a step (ROUND_NO_STEP: none) */
    Num *colx, *colfloor; /* per column: the sum of the remainders (in steps), of the floors */
} GridProblem;

static void grid_problem_init(GridProblem *gp, size_t nr, size_t nc, const int *rgroup, int ng)
{
    size_t n = nr * nc > 0 ? nr * nc : 1, nn = nc + 1 + (size_t)ng * nc;
    memset(gp, 0, sizeof *gp);
    gp->nr = nr;
    gp->nc = nc;
    gp->rgroup = rgroup;
    gp->ngroups = ng;
    gp->gx = xcalloc((size_t)ng * nc + 1, sizeof *gp->gx);
    gp->parent = xmalloc(nn * sizeof *gp->parent);
    gp->lo = xcalloc(nn, sizeof *gp->lo);
    gp->hi = xcalloc(nn, sizeof *gp->hi);
    gp->rlo = xcalloc(nr + 1, sizeof *gp->rlo);
    gp->rhi = xcalloc(nr + 1, sizeof *gp->rhi);
    gp->dense = !rgroup && n <= UINT32_MAX; /* no lock groups, positions in 32 bits */
    if (!gp->dense) {
        gp->crow = xmalloc(n * sizeof *gp->crow);
        gp->cnode = xmalloc(n * sizeof *gp->cnode);
    }
    gp->crank = xmalloc(n * sizeof *gp->crank);
    gp->colx = xcalloc(nc + 1, sizeof *gp->colx);
    gp->colfloor = xcalloc(nc + 1, sizeof *gp->colfloor);
    gp->parent[0] = -1;
    for (size_t c = 0; c < nc; c++)
        gp->parent[1 + c] = 0;
    for (size_t k = 0; k < (size_t)ng * nc; k++) /* node (group g, column c) */
        gp->parent[1 + nc + k] = 1 + (int)(k % nc);
}

/* The column-tree node of a cell: its column, or its group's part of it. */
static int32_t grid_node(const GridProblem *gp, size_t r, size_t c)
{
    int g = gp->rgroup ? gp->rgroup[r] : -1;
    return (int32_t)(g < 0 ? 1 + c : 1 + gp->nc + (size_t)g * gp->nc + c);
}

/* A lock group's part of a column takes the floor or ceiling of its exact
 * sum: the step exactly when the sum is a multiple of it (a lock). */
static void group_bounds(GridProblem *gp)
{
    for (size_t k = 0; k < (size_t)gp->ngroups * gp->nc; k++)
        al_node_bounds(gp->gx[k], &gp->lo[1 + gp->nc + k], &gp->hi[1 + gp->nc + k]);
}

static void grid_problem_free(GridProblem *gp)
{
    free(gp->parent);
    free(gp->lo);
    free(gp->hi);
    free(gp->rlo);
    free(gp->rhi);
    free(gp->crow);
    free(gp->cnode);
    free(gp->crank);
    free(gp->colx);
    free(gp->colfloor);
    free(gp->gx);
}

/* A candidate's position in the table: its row, and its column from its
 * node (a column, or a lock group's part of one). */
static size_t grid_cell(const GridProblem *gp, size_t k)
{
    if (gp->dense)
        return k;
    return (size_t)gp->crow[k] * gp->nc + (size_t)(gp->cnode[k] - 1) % gp->nc;
}

/* Floors every cell into out; a cell with a remainder becomes a candidate
 * for one more step.  Each row must get the steps up to its total.  The
 * exact cells come a row at a time; -1 when one overflows. */
static int floor_rows(GridProblem *gp, Num step, ExactRowFn row, void *ctx, const Num *rowt,
                      Num *out)
{
    Num *exact = xmalloc((gp->nc + 1) * sizeof *exact);
    for (size_t r = 0; r < gp->nr; r++) {
        Num floors = NUM_ZERO;
        if (row(ctx, r, exact) < 0) {
            free(exact);
            return -1;
        }
        for (size_t c = 0; c < gp->nc; c++) {
            size_t k = r * gp->nc + c;
            Num fr;
            al_floor_to_step(step, exact[c], &out[k], &fr);
            num_add_inline(floors, out[k], &floors);
            num_add_inline(gp->colfloor[c], out[k], &gp->colfloor[c]);
            if (gp->dense) /* every cell, by position */
                gp->crank[k] = num_is_zero(fr) ? ROUND_NO_STEP : al_rank(fr);
            if (num_is_zero(fr))
                continue;
            num_add_inline(gp->colx[c], fr, &gp->colx[c]);
            if (gp->dense)
                continue;
            gp->crow[gp->nfrac] = (uint32_t)r;
            gp->cnode[gp->nfrac] = grid_node(gp, r, c);
            if (gp->cnode[gp->nfrac] > (int32_t)gp->nc)
                num_add(gp->gx[(size_t)gp->cnode[gp->nfrac] - 1 - gp->nc], fr,
                        &gp->gx[(size_t)gp->cnode[gp->nfrac] - 1 - gp->nc]);
            gp->crank[gp->nfrac++] = al_rank(fr);
        }
        gp->rlo[r] = gp->rhi[r] = al_steps_between(floors, rowt[r], step, NULL);
    }
    if (gp->dense)
        gp->nfrac = gp->nr * gp->nc;
    free(exact);
    return 0;
}

typedef struct {
    const Num *exact;
    size_t nc;
} ExactTable;

static int exact_row(void *ctx, size_t r, Num *cells)
{
    const ExactTable *t = ctx;
    memcpy(cells, &t->exact[r * t->nc], t->nc * sizeof *cells);
    return 0;
}

/* Each column must get the steps up to its total; the table, all of them. */
static void column_bounds(GridProblem *gp, Num step, const Num *colt)
{
    __int128 all = 0; /* of the bounds before they are clamped: no overflow in 128 bits */
    for (size_t c = 0; c < gp->nc; c++) {
        int64_t n = al_steps_between(gp->colfloor[c], colt[c], step, NULL);
        gp->lo[1 + c] = gp->hi[1 + c] = round_bound(n);
        all += n;
    }
    gp->lo[0] = gp->hi[0] = round_bound(all > INT64_MAX   ? INT64_MAX
                                        : all < INT64_MIN ? INT64_MIN
                                                          : (int64_t)all);
}

/* Which candidates take a step (x); when the totals fight, columns may
 * move within their floor and ceiling.  Returns 0, or -1 when even that
 * fails. */
static int solve_grid(GridProblem *gp, uint8_t *x)
{
    RoundProblem rp = {.nrows = gp->nr,
                       .row_lo = gp->rlo,
                       .row_hi = gp->rhi,
                       .nnodes = gp->nc + 1 + (size_t)gp->ngroups * gp->nc,
                       .parent = gp->parent,
                       .lo = gp->lo,
                       .hi = gp->hi,
                       .ncells = gp->nfrac,
                       .cell_row = gp->crow,
                       .cell_node = gp->cnode,
                       .cell_rank = gp->crank};
    if (gp->dense)
        round_table_cells(&rp, gp->nc);
    if (round_solve(&rp, x) == 0)
        return 0;
    RoundProblem strict = rp; /* the relaxed rounding keeps what totals it can */
    size_t nn = rp.nnodes;
    RoundBound *slo = xmalloc(nn * sizeof *slo), *shi = xmalloc(nn * sizeof *shi);
    memcpy(slo, gp->lo, nn * sizeof *slo);
    memcpy(shi, gp->hi, nn * sizeof *shi);
    strict.lo = slo;
    strict.hi = shi;
    rp.strict = &strict;
    gp->lo[0] = 0;
    gp->hi[0] = ROUND_BOUND_MAX;
    for (size_t c = 0; c < gp->nc; c++)
        al_node_bounds(gp->colx[c], &gp->lo[1 + c], &gp->hi[1 + c]);
    int rc = round_solve(&rp, x);
    free(slo);
    free(shi);
    return rc;
}

/* Rounds a table of exact cells so that each row adds up to rowt[r] and
 * each column to colt[c] (the dimensions' rounded totals), every cell
 * going to the step below or above its exact value.  If the two sets of
 * totals admit no such rounding, column totals may move by one step. */
int al_round_grid_rows(Engine *en, const Alloc *A, size_t nr, size_t nc, ExactRowFn row, void *ctx,
                       const Num *rowt, const Num *colt, const int *rgroup, int ngroups, Num *out)
{
    GridProblem gp;
    grid_problem_init(&gp, nr, nc, rgroup, ngroups);
    if (floor_rows(&gp, A->step, row, ctx, rowt, out) < 0) {
        grid_problem_free(&gp);
        return en ? al_num_err(en, A->metric->name_loc, NUM_OVERFLOW) : -1;
    }
    column_bounds(&gp, A->step, colt);
    group_bounds(&gp);
    uint8_t *x = xcalloc(gp.nfrac + 1, 1);
    int rc = solve_grid(&gp, x);
    if (rc < 0 && en) /* en NULL: the caller tries it quietly */
        diag_error(en->p->diags, A->metric->name_loc,
                   "cannot round a table of %s so that its "
                   "totals hold",
                   A->metric->name);
    for (size_t k = 0; k < gp.nfrac && rc == 0; k++)
        if (x[k])
            num_add_inline(out[grid_cell(&gp, k)], A->step, &out[grid_cell(&gp, k)]);
    free(x);
    grid_problem_free(&gp);
    return rc;
}

int al_round_grid(Engine *en, const Alloc *A, size_t nr, size_t nc, const Num *exact,
                  const Num *rowt, const Num *colt, const int *rgroup, int ngroups, Num *out)
{
    ExactTable t = {exact, nc};
    return al_round_grid_rows(en, A, nr, nc, exact_row, &t, rowt, colt, rgroup, ngroups, out);
}

void al_decode(const Alloc *A, int upto, size_t c, Member **coord)
{
    for (int j = upto - 1; j >= 0; j--) {
        size_t nl = A->ax[j].nleaves;
        coord[j] = A->ax[j].leaves[c % nl];
        c /= nl;
    }
}

/* check: every axis's tree in every context it depends on, no joint cells */
static Num *scratch(Engine *en, size_t need)
{
    if (need > en->scratch_n) { /* every value is written before it is read */
        free(en->scratch);
        en->scratch = xmalloc(need * sizeof *en->scratch);
        en->scratch_n = need;
    }
    return en->scratch;
}

/* What an axis whose shares depend on the other axes only through start/
 * end (no scope in another dimension, no locks) reads of a context: each
 * coordinate's active months, or the time coordinate itself (its key).
 * Contexts whose coordinates have the same keys evaluate alike, so check
 * evaluates each combination of keys once. */
static bool by_activity_only(const Axis *ax)
{
    return ax->depends && !ax->cross_scoped && !ax->locks;
}

/* The key of one coordinate on axis j (two int64s). */
static void coord_key(const Alloc *A, int j, const Member *m, int64_t *key)
{
    if (A->ax[j].dim->is_time)
        key[0] = (int64_t)(intptr_t)m, key[1] = -2;
    else if (m->pseudo)
        key[0] = 0, key[1] = -3;
    else
        key[0] = m->active_from, key[1] = m->active_to;
}

/* The keys seen so far: an open-addressing set of rows of width int64s. */
typedef struct {
    int64_t *rows;
    size_t n, cap, width;
    size_t *slot; /* cap * 2 entries: row index + 1, or 0 */
} KeySet;

static uint64_t key_hash(const int64_t *k, size_t w)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < w; i++)
        h = (h ^ (uint64_t)k[i]) * 1099511628211u;
    return h ^ (h >> 29);
}

static void keyset_grow(KeySet *ks)
{
    size_t cap = ks->cap ? ks->cap * 2 : 16, nslot = cap * 2;
    free(ks->slot);
    ks->slot = xcalloc(nslot, sizeof *ks->slot);
    ks->rows = xrealloc(ks->rows, cap * ks->width * sizeof *ks->rows);
    ks->cap = cap;
    for (size_t r = 0; r < ks->n; r++) {
        size_t s = key_hash(&ks->rows[r * ks->width], ks->width) & (nslot - 1);
        while (ks->slot[s])
            s = (s + 1) & (nslot - 1);
        ks->slot[s] = r + 1;
    }
}

/* The row of key, added when new (*added). */
static size_t keyset_row(KeySet *ks, const int64_t *key, bool *added)
{
    if (ks->n == ks->cap)
        keyset_grow(ks);
    size_t mask = ks->cap * 2 - 1, w = ks->width, s = key_hash(key, w) & mask;
    for (; ks->slot[s]; s = (s + 1) & mask)
        if (memcmp(&ks->rows[(ks->slot[s] - 1) * w], key, w * sizeof *key) == 0) {
            *added = false;
            return ks->slot[s] - 1;
        }
    memcpy(&ks->rows[ks->n * w], key, w * sizeof *key);
    ks->slot[s] = ++ks->n;
    *added = true;
    return ks->n - 1;
}

/* Adds key; false when it was there already. */
static bool keyset_add(KeySet *ks, const int64_t *key)
{
    bool added;
    keyset_row(ks, key, &added);
    return added;
}

/* The positions of axis j's leaves that are the first of their key. */
static size_t *first_of_each_key(const Alloc *A, int j, size_t *n)
{
    const Axis *ax = &A->ax[j];
    size_t *first = xmalloc((ax->nleaves + 1) * sizeof *first);
    KeySet ks = {NULL, 0, 0, 2, NULL};
    int64_t key[2];
    *n = 0;
    for (size_t l = 0; l < ax->nleaves; l++) {
        coord_key(A, j, ax->leaves[l], key);
        if (keyset_add(&ks, key))
            first[(*n)++] = l;
    }
    free(ks.rows);
    free(ks.slot);
    return first;
}

/* first_of_each_key of axis j, kept in its leaf set when the engine
 * shares the axis's leaves: the plan's metrics split by the same level
 * ask for the same leaves (NULL: not shared; the caller makes its own). */
static size_t *shared_first_of_each_key(Engine *en, const Alloc *A, int j, size_t *n)
{
    const Axis *ax = &A->ax[j];
    for (int k = 0; ax->shared && k < en->nleafsets; k++) {
        LeafSet *ls = &en->leafsets[k];
        if (ls->leaves != ax->leaves || ls->n != ax->nleaves)
            continue;
        if (!ls->first_key)
            ls->first_key = first_of_each_key(A, j, &ls->nfirst_key);
        *n = ls->nfirst_key;
        return ls->first_key;
    }
    return NULL;
}

/* Axis i in the first context of each distinct key, in the order of the
 * contexts: the first context that fails is the one a pass over every
 * context meets first, with the same message. */
static int check_axis_by_key(Engine *en, Alloc *A, int i, Num *val, Num *leaf)
{
    size_t *first[ALLOC_MAX_AXES], nfirst[ALLOC_MAX_AXES], at[ALLOC_MAX_AXES] = {0};
    bool none = false, own[ALLOC_MAX_AXES];
    for (int j = 0; j < i; j++) {
        first[j] = shared_first_of_each_key(en, A, j, &nfirst[j]);
        if ((own[j] = !first[j]))
            first[j] = first_of_each_key(A, j, &nfirst[j]);
        none |= nfirst[j] == 0;
    }
    Member *coord[ALLOC_MAX_AXES];
    Ctx ctx = {coord, i, NULL, NULL, true};
    int rc = 0, j = none ? -1 : 0;
    while (j >= 0 && rc == 0) {
        for (j = 0; j < i; j++)
            coord[j] = A->ax[j].leaves[first[j][at[j]]];
        rc = al_eval_axis(en, A, &A->ax[i], &ctx, A->root, val, leaf);
        for (j = i - 1; j >= 0 && ++at[j] == nfirst[j]; j--)
            at[j] = 0;
    }
    for (int k = 0; k < i; k++)
        if (own[k])
            free(first[k]);
    return rc;
}

/* One axis in each of n contexts. */
static int check_axis(Engine *en, Alloc *A, int i, size_t n)
{
    Axis *ax = &A->ax[i];
    Num *val = scratch(en, ax->dim->nmembers + (size_t)ax->npseudo + ax->nleaves + 2);
    Num *leaf = val + ax->dim->nmembers + ax->npseudo + 1;
    if (n > 1 && by_activity_only(ax))
        return check_axis_by_key(en, A, i, val, leaf);
    Member *coord[ALLOC_MAX_AXES];
    Ctx ctx = {coord, i, NULL, NULL, true};
    int rc = 0;
    for (size_t c = 0; c < n && rc == 0; c++) {
        al_decode(A, i, c, coord);
        rc = al_eval_axis(en, A, ax, &ctx, A->root, val, leaf);
    }
    return rc;
}

int al_check_axes(Engine *en, Alloc *A)
{
    size_t contexts = 1;
    for (int i = 0; i < A->nax; i++) {
        Axis *ax = &A->ax[i];
        if (check_axis(en, A, i, ax->depends ? contexts : 1) < 0)
            return -1;
        if (ax->nleaves && contexts > en->max_cells / ax->nleaves)
            break; /* deeper contexts would be as many as the cells: stop here */
        contexts *= ax->nleaves;
    }
    return 0;
}

/* An axis's share leaf / root as a binary fraction with 96 bits after
 * the point (about 29 decimals), so that a cell costs one wide multiply and
 * a shift, and keeps its 12 decimals.  *neg for a negative share; false
 * when the share is 2^30 or more (then the cell is computed by division). */
typedef unsigned __int128 u128;

static bool share_bits(Num leaf, Num root, u128 *q, bool *neg)
{
    u128 a = (u128)(leaf.v < 0 ? -leaf.v : leaf.v), b = (u128)(root.v < 0 ? -root.v : root.v);
    *neg = (leaf.v < 0) != (root.v < 0) && leaf.v != 0;
    if (b == 0 || a / b >= ((u128)1 << 30))
        return false;
    u128 frac, rem; /* (a << 96) / b: a / b < 2^30 above the point, then 96 bits */
    num_long_div(a % b, 0, 96, b, &frac, &rem);
    u128 quot = ((a / b) << 96) | frac;
    *q = quot;
    return true;
}

/* x * q / 2^96, rounded half-even to 12 decimals, negative when exactly
 * one of x and the share is (neg: the share's sign); false on overflow. */
static bool mul_share(Num x, u128 q, bool neg, Num *out)
{
    u128 a = (u128)(x.v < 0 ? -x.v : x.v);
    neg = neg != (x.v < 0);
    uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64), b0 = (uint64_t)q, b1 = (uint64_t)(q >> 64);
    u128 p00 = (u128)a0 * b0, p01 = (u128)a0 * b1, p10 = (u128)a1 * b0, p11 = (u128)a1 * b1;
    /* 256-bit product in limbs l0..l3 */
    u128 mid = (p00 >> 64) + (uint64_t)p01 + (uint64_t)p10;
    uint64_t l0 = (uint64_t)p00, l1 = (uint64_t)mid;
    u128 hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    uint64_t l2 = (uint64_t)hi, l3 = (uint64_t)(hi >> 64);
    /* shift right by 96: result = l3:l2:l1 >> 32; the dropped part decides rounding */
    u128 res = ((u128)l3 << 96) | ((u128)l2 << 32) | (l1 >> 32);
    if (l3 >> 32)
        return false;
    uint64_t low = ((uint64_t)(uint32_t)l1 << 32) >> 32; /* bits 64..95 of the product */
    bool half = (low >> 31) & 1, rest = (low & 0x7FFFFFFF) || l0;
    if (half && (rest || (res & 1)))
        res++;
    if (res >> 127)
        return false;
    out->v = neg ? -(__int128)res : (__int128)res;
    return true;
}

/* One axis's shares in one context: its split tree's values, its leaves'
 * values, and each leaf's share of the target as a binary fraction (fok:
 * one could be made). */
typedef struct {
    Num *val;  /* by gindex */
    Num *leaf; /* by leaf */
    u128 *frac;
    bool *fneg, *fok;
} AxisShares;

static void axis_shares_init(AxisShares *sh, const Axis *ax)
{
    size_t nl = ax->nleaves ? ax->nleaves : 1;
    sh->val = xcalloc(ax->dim->nmembers + (size_t)ax->npseudo + 1, sizeof *sh->val);
    sh->leaf = xcalloc(nl, sizeof *sh->leaf);
    sh->frac = xcalloc(nl, sizeof *sh->frac);
    sh->fneg = xcalloc(nl, sizeof *sh->fneg);
    sh->fok = xcalloc(nl, sizeof *sh->fok);
}

static void axis_shares_free(AxisShares *sh)
{
    free(sh->val);
    free(sh->leaf);
    free(sh->frac);
    free(sh->fneg);
    free(sh->fok);
}

/* Evaluates axis i's split tree for the context of cell c of the axes
 * before it. */
static int eval_shares(Engine *en, Alloc *A, int i, size_t c, const LockGroups *lg, AxisShares *sh)
{
    Axis *ax = &A->ax[i];
    Member *coord[ALLOC_MAX_AXES];
    int g = lg->of ? lg->of[c] : -1;
    Ctx ctx = {coord, i, g < 0 ? NULL : &lg->key[(size_t)g * (size_t)lg->nkey],
               g < 0 ? NULL : lg->where[g], false};
    Num base = g < 0 ? A->root : lg->base[g];
    al_decode(A, i, c, coord);
    int rc = al_eval_axis(en, A, ax, &ctx, base, sh->val, sh->leaf);
    if (num_is_zero(base)) /* every cell is zero: no shares needed */
        return rc;
    for (size_t j = 0; j < ax->nleaves; j++)
        sh->fok[j] = share_bits(sh->leaf[j], base, &sh->frac[j], &sh->fneg[j]);
    return rc;
}

/* Below this many units (10^-12) a cell times a 96-bit share is off by
 * less than 1/64 unit; above, the share's truncation would add up over
 * the cells to more than a rounding step (a total of 10^26 showed one step
 * short), so the cell is computed exactly: v * leaf / root in 256 bits. */
#define FAST_SHARE_LIMIT ((u128)1 << 90)

/* The cells under one cell v of the axes before: v times each leaf's share. */
static int split_cell(Engine *en, const Alloc *A, Num v, Num base, const AxisShares *sh, size_t nl,
                      Num *next)
{
    bool fast = (u128)(v.v < 0 ? -v.v : v.v) < FAST_SHARE_LIMIT;
    for (size_t j = 0; j < nl; j++) {
        if (num_is_zero(base))
            next[j] = NUM_ZERO; /* a lock's scope whose total is 0: its cells are 0 */
        else if (fast && sh->fok[j] ? !mul_share(v, sh->frac[j], sh->fneg[j], &next[j])
                                    : num_muldiv(v, sh->leaf[j], base, &next[j]) != NUM_OK)
            return al_num_err(en, A->metric->name_loc, NUM_OVERFLOW);
    }
    return 0;
}

/* An axis's shares by the keys of the contexts they were evaluated in
 * (see by_activity_only): a context whose coordinates have the keys of an
 * earlier one takes its shares instead of evaluating the tree again. */
typedef struct {
    KeySet ks;
    AxisShares *saved; /* by key row */
    size_t nl;
} SharesMemo;

static void shares_copy(AxisShares *to, const AxisShares *from, size_t nl)
{
    memcpy(to->leaf, from->leaf, nl * sizeof *to->leaf);
    memcpy(to->frac, from->frac, nl * sizeof *to->frac);
    memcpy(to->fneg, from->fneg, nl * sizeof *to->fneg);
    memcpy(to->fok, from->fok, nl * sizeof *to->fok);
}

static int memo_shares(Engine *en, Alloc *A, int i, size_t c, const LockGroups *lg, AxisShares *sh,
                       SharesMemo *mo)
{
    Member *coord[ALLOC_MAX_AXES];
    int64_t key[2 * ALLOC_MAX_AXES];
    al_decode(A, i, c, coord);
    for (int j = 0; j < i; j++)
        coord_key(A, j, coord[j], &key[2 * j]);
    bool added;
    size_t row = keyset_row(&mo->ks, key, &added);
    if (!added) {
        shares_copy(sh, &mo->saved[row], mo->nl);
        return c % 4096 == 0 ? eval_poll(&en->ev, A->metric->name_loc) : 0;
    }
    int rc = eval_shares(en, A, i, c, lg, sh);
    mo->saved = xrealloc(mo->saved, mo->ks.n * sizeof *mo->saved);
    axis_shares_init(&mo->saved[row], &A->ax[i]);
    shares_copy(&mo->saved[row], sh, mo->nl);
    return rc;
}

static void shares_memo_free(SharesMemo *mo)
{
    for (size_t r = 0; r < mo->ks.n && mo->saved; r++)
        axis_shares_free(&mo->saved[r]);
    free(mo->saved);
    free(mo->ks.rows);
    free(mo->ks.slot);
}

/* Axis i's shares from its factors: the leaves' values over the target. */
static void factor_shares(const Alloc *A, int i, AxisShares *sh)
{
    size_t nl = A->ax[i].nleaves;
    memcpy(sh->leaf, A->factor[i], nl * sizeof *sh->leaf);
    for (size_t j = 0; j < nl; j++)
        sh->fok[j] = share_bits(sh->leaf[j], A->root, &sh->frac[j], &sh->fneg[j]);
}

/* The n cells of the axes before axis i (cur) split along it into next. */
static int split_along_axis(Engine *en, Alloc *A, int i, const Num *cur, size_t n, Num *next)
{
    const Axis *ax = &A->ax[i];
    size_t nl = ax->nleaves;
    AxisShares sh;
    axis_shares_init(&sh, ax);
    LockGroups lg = {0};
    int rc = ax->locks && i > 0 ? al_lock_groups(en, A, i, cur, n, &lg) : 0;
    SharesMemo mo = {{NULL, 0, 0, 2 * (size_t)i, NULL}, NULL, nl};
    bool memo = i > 0 && n > 1 && by_activity_only(ax) && !lg.of;
    for (size_t c = 0; c < n && rc == 0; c++) {
        if (memo)
            rc = memo_shares(en, A, i, c, &lg, &sh, &mo);
        else if (c == 0 && A->factored) /* evaluated already: its factors */
            factor_shares(A, i, &sh);
        else if (c == 0 || ax->depends)
            rc = eval_shares(en, A, i, c, &lg, &sh);
        else if (c % 4096 == 0) /* shares evaluated once: only arithmetic, which an interrupt
                                   (Ctrl-C, the language server's input) stops */
            rc = eval_poll(&en->ev, A->metric->name_loc);
        if (rc < 0)
            break;
        if (i == 0)
            memcpy(next, sh.leaf, nl * sizeof *next);
        else if (num_is_zero(A->root))
            for (size_t j = 0; j < nl; j++)
                next[c * nl + j] = NUM_ZERO;
        else
            rc = split_cell(en, A, cur[c], lg.of && lg.of[c] >= 0 ? lg.base[lg.of[c]] : A->root,
                            &sh, nl, &next[c * nl]);
    }
    shares_memo_free(&mo);
    al_lock_groups_free(&lg);
    axis_shares_free(&sh);
    return rc;
}

/* Whether A's cells are the target times one share per axis, each axis's
 * shares the same in every context: no shares that depend on an earlier
 * axis's coordinates, no locks, and no axis without leaves (whose trees
 * the joint cells would never evaluate). */
static bool independent_axes(const Alloc *A)
{
    size_t n = 1;
    for (int i = 0; i < A->nax; i++) {
        const Axis *ax = &A->ax[i];
        if (ax->locks || (i > 0 && ax->depends) || ax->nleaves == 0 || n > SIZE_MAX / ax->nleaves)
            return false;
        n *= ax->nleaves;
    }
    return true;
}

/* Each axis's tree evaluated once, in the context of the first cell: its
 * leaves' values are the factors of every joint cell. */
static int factor_axes(Engine *en, Alloc *A)
{
    LockGroups none = {0};
    size_t n = 1;
    for (int i = 0; i < A->nax; i++) {
        AxisShares sh;
        axis_shares_init(&sh, &A->ax[i]);
        int rc = eval_shares(en, A, i, 0, &none, &sh);
        A->factor[i] = sh.leaf;
        sh.leaf = NULL;
        axis_shares_free(&sh);
        if (rc < 0)
            return -1;
        n *= A->ax[i].nleaves;
    }
    A->ncells = n;
    A->factored = true;
    return 0;
}

/* The cells of the first axes grow by one axis at a time; more than
 * --max-cells is an error. */
static bool too_many_cells(Engine *en, const Alloc *A, size_t n, size_t nl)
{
    if (!nl || n <= en->max_cells / nl)
        return false;
    diag_error(en->p->diags, A->metric->name_loc, "%s would have more than %zu cells (--max-cells)",
               A->metric->name, en->max_cells);
    return true;
}

/* x * num / den, exactly (to 12 decimals); den 0 gives 0. */
static bool scale(Num x, Num num, Num den, Num *out)
{
    if (num_is_zero(den)) {
        *out = NUM_ZERO;
        return true;
    }
    if (num_cmp(num, den) == 0) {
        *out = x;
        return true;
    }
    return num_muldiv(x, num, den, out) == NUM_OK;
}

/* x times the part of the cells each axis not skipped keeps: the sum of
 * its factors over the target. */
static bool scale_by_sums(const Alloc *A, const bool *skip, Num x, Num *out)
{
    *out = x;
    for (int o = 0; o < A->nax; o++) {
        if (skip[o])
            continue;
        Num sum = NUM_ZERO;
        for (size_t j = 0; j < A->ax[o].nleaves; j++)
            if (num_add(sum, A->factor[o][j], &sum) != NUM_OK)
                return false;
        if (!scale(*out, sum, A->root, out))
            return false;
    }
    return true;
}

/* x scaled by every axis other than a and b (-1: none). */
static bool others_scale(const Alloc *A, int a, int b, Num x, Num *out)
{
    bool skip[ALLOC_MAX_AXES] = {false};
    if (a >= 0)
        skip[a] = true;
    if (b >= 0)
        skip[b] = true;
    return scale_by_sums(A, skip, x, out);
}

bool al_factor_rest(const Alloc *A, const bool *skip, Num *out)
{
    return scale_by_sums(A, skip, A->root, out);
}

bool al_scale(Num x, Num num, Num den, Num *out)
{
    return scale(x, num, den, out);
}

Num *al_factor_sums(const Alloc *A, int ai)
{
    size_t nl = A->ax[ai].nleaves;
    Num *sum = xcalloc(nl + 1, sizeof *sum), k;
    if (!others_scale(A, ai, -1, A->root, &k)) {
        free(sum);
        return NULL;
    }
    for (size_t j = 0; j < nl; j++)
        if (!scale(A->factor[ai][j], k, A->root, &sum[j])) {
            free(sum);
            return NULL;
        }
    return sum;
}

/* The factors of one axis summed by the position of their leaf (-1: not
 * shown). */
static bool factor_by_pos(const Alloc *A, int ai, const int *pos, size_t n, Num *out)
{
    for (size_t j = 0; j < A->ax[ai].nleaves; j++)
        if (pos[j] >= 0 && (size_t)pos[j] < n &&
            num_add(out[pos[j]], A->factor[ai][j], &out[pos[j]]) != NUM_OK)
            return false;
    return true;
}

struct FactorTable {
    Num *row, *col; /* the rows' factors summed; the columns' times the other axes' part */
    u128 *q;        /* each row's factor over the target, as share_bits makes it */
    bool *neg, *ok;
    size_t nr, nc;
    Num root;
};

void al_factor_table_free(FactorTable *ft)
{
    if (!ft)
        return;
    free(ft->row);
    free(ft->col);
    free(ft->q);
    free(ft->neg);
    free(ft->ok);
    free(ft);
}

FactorTable *al_factor_table(const Alloc *A, int ra, const int *rpos, size_t nr, int ca,
                             const int *cpos, size_t nc)
{
    FactorTable *ft = xcalloc(1, sizeof *ft);
    ft->nr = nr;
    ft->nc = nc;
    ft->root = A->root;
    ft->row = xcalloc(nr + 1, sizeof *ft->row);
    ft->col = xcalloc(nc + 1, sizeof *ft->col);
    ft->q = xmalloc((nr + 1) * sizeof *ft->q);
    ft->neg = xmalloc((nr + 1) * sizeof *ft->neg);
    ft->ok = xmalloc((nr + 1) * sizeof *ft->ok);
    bool good = factor_by_pos(A, ra, rpos, nr, ft->row) && factor_by_pos(A, ca, cpos, nc, ft->col);
    for (size_t c = 0; good && c < nc; c++) /* the other axes' part goes with the columns */
        good = others_scale(A, ra, ca, ft->col[c], &ft->col[c]);
    for (size_t r = 0; good && r < nr; r++)
        ft->ok[r] = share_bits(ft->row[r], A->root, &ft->q[r], &ft->neg[r]);
    if (!good) {
        al_factor_table_free(ft);
        return NULL;
    }
    return ft;
}

int al_factor_row(void *ctx, size_t r, Num *cells)
{
    const FactorTable *ft = ctx;
    for (size_t c = 0; c < ft->nc; c++) {
        Num *to = &cells[c], x = ft->col[c];
        bool fast = ft->ok[r] && (u128)(x.v < 0 ? -x.v : x.v) < FAST_SHARE_LIMIT;
        if (num_is_zero(ft->root))
            *to = NUM_ZERO;
        else if (fast ? !mul_share(x, ft->q[r], ft->neg[r], to)
                      : num_muldiv(x, ft->row[r], ft->root, to) != NUM_OK)
            return -1;
    }
    return 0;
}

/* The exact joint cells: the target split along each axis in turn. */
static int joint_cells(Engine *en, Alloc *A)
{
    size_t n = 1;
    Num *cur = xmalloc(sizeof *cur);
    cur[0] = A->root;
    int rc = 0;
    for (int i = 0; i < A->nax && rc == 0; i++) {
        size_t nl = A->ax[i].nleaves;
        if (too_many_cells(en, A, n, nl)) {
            rc = -1;
            break;
        }
        Num *next = xmalloc((n * nl > 0 ? n * nl : 1) * sizeof *next);
        rc = split_along_axis(en, A, i, cur, n, next);
        free(cur);
        cur = next;
        n *= nl;
    }
    A->ncells = n;
    A->exact = cur;
    return rc;
}

int al_cells(Engine *en, Alloc *A)
{
    if (!A->factored || A->exact)
        return 0;
    size_t n = A->ncells;
    if (joint_cells(en, A) == 0)
        return 0;
    free(A->exact); /* some axes' worth: still factored, the next need tries again */
    A->exact = NULL;
    A->ncells = n;
    return -1;
}

int al_compute(Engine *en, Alloc *A)
{
    if (en->check_only && !al_has_cross_locks(A)) /* locks need the cells they lock */
        return al_check_axes(en, A);
    if (independent_axes(A))
        return factor_axes(en, A);
    return joint_cells(en, A);
}
