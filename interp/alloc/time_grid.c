/* time_grid.c -- a table of members by the finest time level rounded in
 * one flow, with each member's time tree as the column tree: the member's
 * total is its rounded total, each of its halves (and quarters above its
 * months) takes the step below or above its exact value, and every time
 * column adds up to the time dimension's rounded total.  Coarser tables
 * are these cells summed (grids.c), so a member's months add up to its
 * quarters, its quarters to its halves.  Nothing here chooses cells. */
#include <stdlib.h>
#include <string.h>

#include "alloc/alloc_int.h"

_Static_assert(ROUND_BOUND_MAX == ALLOC_MAX_CELLS_LIMIT, "--max-cells keeps a table's bounds");

/* The flow problem (flow.h): rows are the time columns, under the row
 * nodes of the periods above them (the quarter and half of every member
 * together); nodes are the root, then per member its node and its periods
 * above the finest level; cells hang under the member's period just above
 * their own. */
typedef struct {
    size_t nr, nc, per; /* members, time columns, nodes per member */
    int tf;             /* the finest time depth (the columns') */
    int *span;          /* nodes per member at each depth 0 .. tf - 1: 1, 2, 4 */
    RoundProblem rp;
    int64_t *rlo, *rhi;
    RoundBound *lo, *hi;
    int *parent;
    uint32_t *crow;
    int32_t *cnode;
    uint32_t *crank;  /* the remainder in millionths of a step */
    Num *rowx, *memx; /* remainders (in steps) per row and per member */
    Num *perx;        /* the member being floored: per node of its tree */
    size_t nrn;       /* row nodes: the periods above the columns */
    int *rup, *rnpar;
    int64_t *rnlo, *rnhi;
    Num *rnx, *rnf, *rnct; /* per row node: remainders, floors, rounded totals */
} TimeTree;

/* Node of member r at depth k (0: the member), period index p of k. */
static size_t tnode(const TimeTree *tt, size_t r, int k, int p)
{
    size_t off = 0;
    for (int j = 0; j < k; j++)
        off += (size_t)tt->span[j];
    return 1 + r * tt->per + off + (size_t)p;
}

/* Row node of period p at depth k (1 .. tf - 1). */
static int rnode(const TimeTree *tt, int k, int p)
{
    int off = 0;
    for (int j = 1; j < k; j++)
        off += tt->span[j];
    return off + p;
}

static void row_tree_init(TimeTree *tt)
{
    for (int k = 1; k < tt->tf; k++)
        tt->nrn += (size_t)tt->span[k];
    size_t n = tt->nrn + 1;
    tt->rup = xcalloc(tt->nc + 1, sizeof *tt->rup);
    tt->rnpar = xcalloc(n, sizeof *tt->rnpar);
    tt->rnlo = xcalloc(n, sizeof *tt->rnlo);
    tt->rnhi = xcalloc(n, sizeof *tt->rnhi);
    tt->rnx = xcalloc(n, sizeof *tt->rnx);
    tt->rnf = xcalloc(n, sizeof *tt->rnf);
    tt->rnct = xcalloc(n, sizeof *tt->rnct);
    for (int k = 1; k < tt->tf; k++)
        for (int p = 0; p < tt->span[k]; p++)
            tt->rnpar[rnode(tt, k, p)] =
                k == 1 ? -1 : rnode(tt, k - 1, p / (tt->span[k] / tt->span[k - 1]));
}

static void tree_init(TimeTree *tt, size_t nr, size_t nc, int tf)
{
    static int spans[] = {1, 2, 4, 12};
    memset(tt, 0, sizeof *tt);
    tt->nr = nr;
    tt->nc = nc;
    tt->tf = tf;
    tt->span = spans;
    for (int k = 0; k < tf; k++)
        tt->per += (size_t)spans[k];
    size_t nn = 1 + nr * tt->per, ncell = nr * nc + 1;
    tt->rlo = xcalloc(nc + 1, sizeof *tt->rlo);
    tt->rhi = xcalloc(nc + 1, sizeof *tt->rhi);
    tt->lo = xcalloc(nn, sizeof *tt->lo);
    tt->hi = xcalloc(nn, sizeof *tt->hi);
    tt->parent = xcalloc(nn, sizeof *tt->parent);
    tt->crow = xmalloc(ncell * sizeof *tt->crow);
    tt->cnode = xmalloc(ncell * sizeof *tt->cnode);
    tt->crank = xmalloc(ncell * sizeof *tt->crank);
    tt->rowx = xcalloc(nc + 1, sizeof *tt->rowx);
    tt->memx = xcalloc(nr + 1, sizeof *tt->memx);
    tt->perx = xcalloc(tt->per + 1, sizeof *tt->perx);
    tt->parent[0] = -1;
    for (size_t r = 0; r < nr; r++)
        for (int k = 0; k < tf; k++)
            for (int p = 0; p < spans[k]; p++)
                tt->parent[tnode(tt, r, k, p)] =
                    k == 0 ? 0 : (int)tnode(tt, r, k - 1, p / (spans[k] / spans[k - 1]));
    row_tree_init(tt);
}

static void tree_free(TimeTree *tt)
{
    free(tt->rlo);
    free(tt->rhi);
    free(tt->lo);
    free(tt->hi);
    free(tt->parent);
    free(tt->crow);
    free(tt->cnode);
    free(tt->crank);
    free(tt->rowx);
    free(tt->memx);
    free(tt->perx);
    free(tt->rup);
    free(tt->rnpar);
    free(tt->rnlo);
    free(tt->rnhi);
    free(tt->rnx);
    free(tt->rnf);
    free(tt->rnct);
}

/* The period index at depth k of a time member at the finest depth. */
static int period_at(const Member *tm, int k)
{
    const Member *a = al_ancestor_at(tm, k);
    return a ? a->index : 0;
}

/* Adds remainder fr (in steps) to the cell's member nodes and its row. */
static void add_remainder(TimeTree *tt, size_t r, size_t c, const Member *tm, Num fr)
{
    num_add(tt->rowx[c], fr, &tt->rowx[c]);
    for (int k = 1; k < tt->tf; k++) {
        int n = rnode(tt, k, period_at(tm, k));
        num_add(tt->rnx[n], fr, &tt->rnx[n]);
    }
    for (int k = 0; k < tt->tf; k++) {
        size_t n = tnode(tt, r, k, period_at(tm, k)) - tnode(tt, r, 0, 0);
        num_add(tt->perx[n], fr, &tt->perx[n]);
    }
}

/* The row nodes' floors and rounded totals (the columns' under them):
 * each period above the columns at its one-dimension total. */
static void row_tree_bounds(TimeTree *tt, const Alloc *A, const Side *side, const Num *colf,
                            const Num *ct)
{
    for (size_t c = 0; c < tt->nc; c++) {
        const Member *tm = side[1].members[c];
        tt->rup[c] = tt->tf > 1 ? rnode(tt, tt->tf - 1, period_at(tm, tt->tf - 1)) : -1;
        for (int k = 1; k < tt->tf; k++) {
            int n = rnode(tt, k, period_at(tm, k));
            num_add(tt->rnf[n], colf[c], &tt->rnf[n]);
            num_add(tt->rnct[n], ct[c], &tt->rnct[n]);
        }
    }
    for (size_t n = 0; n < tt->nrn; n++)
        tt->rnlo[n] = tt->rnhi[n] = al_steps_between(tt->rnf[n], tt->rnct[n], A->step, NULL);
}

/* Member r's floored: the periods between it and its cells take the floor
 * or ceiling of their remainders; the member's own sum is kept for a
 * relaxation (solve_relaxed). */
static void member_bounds(TimeTree *tt, size_t r)
{
    size_t base = tnode(tt, r, 0, 0);
    for (size_t n = 1; n < tt->per; n++) {
        al_node_bounds(tt->perx[n], &tt->lo[base + n], &tt->hi[base + n]);
        tt->perx[n] = NUM_ZERO;
    }
    tt->memx[r] = tt->perx[0];
    tt->perx[0] = NUM_ZERO;
}

/* Floors every cell into out; cells with a remainder become candidates.
 * Each member node must reach its rounded total rt[r]; each column its
 * rounded total ct[c]; each period between takes floor or ceiling. */
static void floor_cells(TimeTree *tt, const Alloc *A, const Side *side, const Num *exact,
                        const Num *rt, const Num *ct, Num *out)
{
    Num *rowf = xcalloc(tt->nr + 1, sizeof *rowf), *colf = xcalloc(tt->nc + 1, sizeof *colf);
    for (size_t r = 0; r < tt->nr; r++) {
        for (size_t c = 0; c < tt->nc; c++) {
            size_t k = r * tt->nc + c;
            const Member *tm = side[1].members[c];
            Num fr;
            al_floor_to_step(A->step, exact[k], &out[k], &fr);
            num_add(rowf[r], out[k], &rowf[r]);
            num_add(colf[c], out[k], &colf[c]);
            if (num_is_zero(fr))
                continue;
            add_remainder(tt, r, c, tm, fr);
            size_t i = tt->rp.ncells++;
            tt->crow[i] = (uint32_t)c;
            tt->cnode[i] =
                (int32_t)(tt->tf > 1 ? tnode(tt, r, tt->tf - 1, period_at(tm, tt->tf - 1))
                                     : tnode(tt, r, 0, 0));
            tt->crank[i] = al_rank(fr);
        }
        member_bounds(tt, r);
    }
    for (size_t c = 0; c < tt->nc; c++)
        tt->rlo[c] = tt->rhi[c] = al_steps_between(colf[c], ct[c], A->step, NULL);
    row_tree_bounds(tt, A, side, colf, ct);
    for (size_t r = 0; r < tt->nr; r++) {
        size_t m = tnode(tt, r, 0, 0);
        tt->lo[m] = tt->hi[m] = round_bound(al_steps_between(rowf[r], rt[r], A->step, NULL));
    }
    free(rowf);
    free(colf);
}

/* The root takes any number of steps. */
static void period_bounds(TimeTree *tt)
{
    tt->lo[0] = 0;
    tt->hi[0] = ROUND_BOUND_MAX;
}

/* Relaxes the row nodes of depth k to the floor and ceiling of their
 * exact sums. */
static void relax_row_level(TimeTree *tt, int k)
{
    for (int p = 0; p < tt->span[k]; p++) {
        int n = rnode(tt, k, p);
        al_remainder_bounds(tt->rnx[n], &tt->rnlo[n], &tt->rnhi[n]);
    }
}

/* Strict totals first; then time columns within floor and ceiling, the
 * periods above them (quarters, then halves) kept at their totals as long
 * as they can be, then within floor and ceiling too; then the members too
 * (always possible: the exact cells are a fractional solution).  Returns
 * how far it had to go (-1: no rounding). */
/* A copy of n items of the given size. */
static void *dup_items(const void *v, size_t n, size_t size)
{
    void *d = xmalloc((n ? n : 1) * size);
    memcpy(d, v, n * size);
    return d;
}

/* The strict problem's bounds copied, for the relaxed ones to keep to. */
static RoundProblem strict_copy(const RoundProblem *rp)
{
    RoundProblem s = *rp;
    s.row_lo = dup_items(rp->row_lo, rp->nrows, sizeof *rp->row_lo);
    s.row_hi = dup_items(rp->row_hi, rp->nrows, sizeof *rp->row_hi);
    s.lo = dup_items(rp->lo, rp->nnodes, sizeof *rp->lo);
    s.hi = dup_items(rp->hi, rp->nnodes, sizeof *rp->hi);
    s.rn_lo = dup_items(rp->rn_lo, rp->nrnodes, sizeof *rp->rn_lo);
    s.rn_hi = dup_items(rp->rn_hi, rp->nrnodes, sizeof *rp->rn_hi);
    return s;
}

static void strict_free(RoundProblem *s)
{
    free((void *)s->row_lo);
    free((void *)s->row_hi);
    free((void *)s->lo);
    free((void *)s->hi);
    free((void *)s->rn_lo);
    free((void *)s->rn_hi);
}

static int solve_relaxed(TimeTree *tt, uint8_t *x);

static int solve(TimeTree *tt, uint8_t *x)
{
    RoundProblem *rp = &tt->rp;
    *rp = (RoundProblem){.nrows = tt->nc,
                         .row_lo = tt->rlo,
                         .row_hi = tt->rhi,
                         .nnodes = 1 + tt->nr * tt->per,
                         .parent = tt->parent,
                         .lo = tt->lo,
                         .hi = tt->hi,
                         .ncells = rp->ncells,
                         .cell_row = tt->crow,
                         .cell_node = tt->cnode,
                         .cell_rank = tt->crank,
                         .nrnodes = tt->nrn,
                         .row_up = tt->rup,
                         .rn_parent = tt->rnpar,
                         .rn_lo = tt->rnlo,
                         .rn_hi = tt->rnhi};
    if (round_solve(rp, x) == 0)
        return 0;
    RoundProblem strict = strict_copy(rp);
    rp->strict = &strict;
    int rc = solve_relaxed(tt, x);
    rp->strict = NULL;
    strict_free(&strict);
    return rc;
}

/* The relaxations in turn (see solve). */
static int solve_relaxed(TimeTree *tt, uint8_t *x)
{
    RoundProblem *rp = &tt->rp;
    for (size_t c = 0; c < tt->nc; c++)
        al_remainder_bounds(tt->rowx[c], &tt->rlo[c], &tt->rhi[c]);
    if (round_solve(rp, x) == 0)
        return 1;
    for (int k = tt->tf - 1; k >= 1; k--) {
        relax_row_level(tt, k);
        if (round_solve(rp, x) == 0)
            return 1 + tt->tf - k;
    }
    for (size_t r = 0; r < tt->nr; r++) {
        size_t m = tnode(tt, r, 0, 0);
        al_node_bounds(tt->memx[r], &tt->lo[m], &tt->hi[m]);
    }
    return round_solve(rp, x) == 0 ? 1 + tt->tf : -1;
}

/* The table cell of candidate i: its member from its node, its column
 * from its row. */
static size_t cell_index(const TimeTree *tt, size_t i)
{
    return ((size_t)tt->cnode[i] - 1) / tt->per * tt->nc + tt->crow[i];
}

int al_round_time_tree(Engine *en, const Alloc *A, const Side *side, const Num *exact,
                       const Num *rt, const Num *ct, Num *out)
{
    TimeTree tt;
    tree_init(&tt, side[0].n, side[1].n, side[1].lv->depth);
    floor_cells(&tt, A, side, exact, rt, ct, out);
    period_bounds(&tt);
    uint8_t *x = xcalloc(tt.rp.ncells + 1, 1);
    int rc = solve(&tt, x);
    if (rc < 0)
        diag_error(en->p->diags, A->metric->name_loc,
                   "cannot round a table of %s so that its totals hold", A->metric->name);
    for (size_t i = 0; i < tt.rp.ncells && rc >= 0; i++)
        if (x[i]) {
            size_t k = cell_index(&tt, i);
            num_add(out[k], A->step, &out[k]);
        }
    free(x);
    tree_free(&tt);
    return rc < 0 ? -1 : 0;
}

/* ---- locks of time in another dimension's scope ------------------------------------------- */

/* The rows of group g (the rows of no group: g == ng) into idx; how many. */
static size_t rows_of_group(const int *rgroup, int ng, size_t nr, int g, size_t *idx)
{
    size_t k = 0;
    for (size_t r = 0; r < nr; r++)
        if ((rgroup[r] < 0 ? ng : rgroup[r]) == g)
            idx[k++] = r;
    return k;
}

/* Whether cells (n rows x nc) add up to rt by row and (ct not NULL) to ct
 * by column. */
static bool adds_up(const Num *cells, size_t n, size_t nc, const Num *rt, const Num *ct)
{
    for (size_t r = 0; r < n; r++) {
        Num s = NUM_ZERO;
        for (size_t c = 0; c < nc; c++)
            num_add(s, cells[r * nc + c], &s);
        if (num_cmp(s, rt[r]) != 0)
            return false;
    }
    for (size_t c = 0; c < nc && ct; c++) {
        Num s = NUM_ZERO;
        for (size_t r = 0; r < n; r++)
            num_add(s, cells[r * nc + c], &s);
        if (num_cmp(s, ct[c]) != 0)
            return false;
    }
    return true;
}

/* Stage 2: the members of group g against the group's rounded row gout. */
static bool round_group_rows(Engine *en, const Alloc *A, const Side *side, const Num *exact,
                             const Num *rt, const int *rgroup, int ng, int g, const Num *gout,
                             Num *out)
{
    size_t nr = side[0].n, nc = side[1].n, *idx = xmalloc((nr + 1) * sizeof *idx);
    size_t k = rows_of_group(rgroup, ng, nr, g, idx);
    Num *sx = xcalloc(k * nc + 1, sizeof *sx), *srt = xcalloc(k + 1, sizeof *srt);
    Num *so = xcalloc(k * nc + 1, sizeof *so);
    for (size_t i = 0; i < k; i++) {
        srt[i] = rt[idx[i]];
        memcpy(&sx[i * nc], &exact[idx[i] * nc], nc * sizeof *sx);
    }
    Side ss[2] = {side[0], side[1]};
    ss[0].n = k;
    bool ok = k == 0 || (al_round_time_tree(en, A, ss, sx, srt, gout, so) == 0 &&
                         adds_up(so, k, nc, srt, gout));
    for (size_t i = 0; i < k && ok; i++)
        memcpy(&out[idx[i] * nc], &so[i * nc], nc * sizeof *out);
    free(idx);
    free(sx);
    free(srt);
    free(so);
    return ok;
}

/* Stage 1: each group's cells summed, rounded as one member's (a lock's
 * periods keep their exact sums); stage 2: each group's members against
 * its row.  False when a stage had to move a group's or a member's total:
 * then the caller rounds the table in one flow. */
static bool round_by_groups(Engine *en, const Alloc *A, const Side *side, const Num *exact,
                            const Num *rt, const Num *ct, const int *rgroup, int ng, Num *out)
{
    size_t nr = side[0].n, nc = side[1].n, G = (size_t)ng + 1;
    Num *gex = xcalloc(G * nc + 1, sizeof *gex), *grt = xcalloc(G + 1, sizeof *grt);
    Num *gout = xcalloc(G * nc + 1, sizeof *gout);
    for (size_t r = 0; r < nr; r++) {
        size_t g = rgroup[r] < 0 ? (size_t)ng : (size_t)rgroup[r];
        num_add(grt[g], rt[r], &grt[g]);
        for (size_t c = 0; c < nc; c++)
            num_add(gex[g * nc + c], exact[r * nc + c], &gex[g * nc + c]);
    }
    Side gs[2] = {side[0], side[1]};
    gs[0].n = G;
    /* the groups' rows must hold; a time column may move by a step where
     * the locks and the columns' totals cannot both hold (then the table's
     * column is the sum of its cells) */
    bool ok =
        al_round_time_tree(en, A, gs, gex, grt, ct, gout) == 0 && adds_up(gout, G, nc, grt, NULL);
    for (size_t g = 0; g < G && ok; g++)
        ok = round_group_rows(en, A, side, exact, rt, rgroup, ng, (int)g, &gout[g * nc], out);
    free(gex);
    free(grt);
    free(gout);
    return ok;
}

int al_round_time_locked(Engine *en, const Alloc *A, const Side *side, const Num *exact,
                         const Num *rt, const Num *ct, const int *rgroup, int ng, Num *out)
{
    if (rgroup && round_by_groups(en, A, side, exact, rt, ct, rgroup, ng, out))
        return 0;
    return al_round_time_tree(en, A, side, exact, rt, ct, out);
}
