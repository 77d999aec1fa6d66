/* grids.c -- the cells of a two-level table: rounded once per allocation
 * and pair of levels in one orientation (time in the columns, else the
 * earlier axis in the rows) and transposed for the other, so that
 * `by region, quarter` and `by quarter, region` show the same cells; a
 * time level below the half nests in the level above it (each member's
 * months add up to its quarters, its quarters to its halves).  Rounded
 * grids are kept with the allocation for every later table and cell.
 * Nothing here chooses which cells a table shows (tables.c does). */
#include <stdlib.h>
#include <string.h>

#include "alloc/alloc_int.h"

/* A rounded grid: rows x columns of one pair of levels, in the canonical
 * orientation; the columns' totals are the sums of the cells. */
struct GridCache {
    const Level *row, *col;
    size_t nr, nc;
    Num *cells, *ct;
    struct GridCache *next;
};

void al_grids_free(Alloc *A)
{
    for (GridCache *g = A->grids, *next; g; g = next) {
        next = g->next;
        free(g->cells);
        free(g->ct);
        free(g);
    }
    A->grids = NULL;
}

static GridCache *cached(const Alloc *A, const Side *side)
{
    for (GridCache *g = A->grids; g; g = g->next)
        if (g->row == side[0].lv && g->col == side[1].lv && g->nr == side[0].n &&
            g->nc == side[1].n)
            return g;
    return NULL;
}

/* Grids of more cells than this are not kept: the next table that needs
 * one rounds it again (the same cells: rounding depends on nothing but
 * the plan), rather than hold a copy of a large table for the run. */
#define KEEP_CELLS ((size_t)1 << 22)

static void keep(Alloc *A, const Side *side, const TableNums *tn)
{
    if (side[0].n * side[1].n > KEEP_CELLS)
        return;
    GridCache *g = xcalloc(1, sizeof *g);
    g->row = side[0].lv;
    g->col = side[1].lv;
    g->nr = side[0].n;
    g->nc = side[1].n;
    g->cells = xmalloc((g->nr * g->nc + 1) * sizeof *g->cells);
    g->ct = xmalloc((g->nc + 1) * sizeof *g->ct);
    memcpy(g->cells, tn->cells, g->nr * g->nc * sizeof *g->cells);
    memcpy(g->ct, tn->ct, g->nc * sizeof *g->ct);
    g->next = A->grids;
    A->grids = g;
}

/* The exact cells of a two-level table: the allocation's cells summed by
 * row and column (from its factors when it has them), into `into` (nr x nc
 * cells) or, when it is NULL, a new array; NULL after reporting. */
static Num *table_exact(Engine *en, Alloc *A, const Side *side, Num *into)
{
    size_t nc = side[1].n;
    FactorTable *ft = A->factored ? al_factor_table(A, side[0].axis, side[0].pos_of_leaf, side[0].n,
                                                    side[1].axis, side[1].pos_of_leaf, nc)
                                  : NULL;
    Num *exact = into ? into : xmalloc((side[0].n * nc + 1) * sizeof *exact);
    if (ft) {
        int rc = 0;
        for (size_t r = 0; r < side[0].n && rc == 0; r++)
            rc = al_factor_row(ft, r, &exact[r * nc]);
        al_factor_table_free(ft);
        if (rc == 0)
            return exact;
    }
    if (al_cells(en, A) < 0) {
        if (!into)
            free(exact);
        return NULL;
    }
    memset(exact, 0, side[0].n * nc * sizeof *exact);
    size_t rs = al_stride(A, side[0].axis), cs = al_stride(A, side[1].axis);
    size_t rn = A->ax[side[0].axis].nleaves, cn = A->ax[side[1].axis].nleaves;
    /* the leaves at cell c, (c / rs) % rn and (c / cs) % cn, counted up
     * instead of divided: ri moves on every rs cells, ki every cs */
    size_t ri = 0, rleft = rs, ki = 0, kleft = cs;
    for (size_t c = 0; c < A->ncells; c++) {
        int r = side[0].pos_of_leaf[ri], k = side[1].pos_of_leaf[ki];
        if (r >= 0 && k >= 0)
            num_add_inline(exact[(size_t)r * nc + (size_t)k], A->exact[c],
                           &exact[(size_t)r * nc + (size_t)k]);
        if (--rleft == 0) {
            rleft = rs;
            ri = ri + 1 == rn ? 0 : ri + 1;
        }
        if (--kleft == 0) {
            kleft = cs;
            ki = ki + 1 == cn ? 0 : ki + 1;
        }
    }
    return exact;
}

/* Whether an axis over-assigns or keeps reserves: its levels do not add up
 * to the level above, so nothing nests in it. */
static bool adjusted(const Alloc *A, const Axis *ax)
{
    if (ax->npseudo)
        return true;
    for (int s = 0; s < A->nsplits; s++)
        if (A->splits[s].dim == ax->dim && A->splits[s].adj_kind == ADJ_OVERASSIGN)
            return true;
    return false;
}

/* The column side is time, and time nests: it adds up (no over-assignment
 * or reserve of time), and the level is below the year. */
static bool nests(const Alloc *A, const Side *cols)
{
    const Axis *ax = &A->ax[cols->axis];
    return ax->dim->is_time && cols->lv->depth >= 1 && !adjusted(A, ax);
}

static int round_grid(Engine *en, Alloc *A, const Side *side, TableNums *tn);

/* The column's position among the parent side's members, by parent. */
static int *parents_of(const Side *cols, const Side *ps)
{
    int *par = xcalloc(cols->n + 1, sizeof *par);
    for (size_t c = 0; c < cols->n; c++) {
        const Member *p = al_ancestor_at(cols->members[c], ps->lv->depth);
        for (size_t k = 0; k < ps->n; k++)
            if (ps->members[k] == p)
                par[c] = (int)k;
    }
    return par;
}

/* A time level above the finest: the finest table's cells summed by
 * period, so that every member's months add up to its quarters and its
 * quarters to its halves. */
static int sum_finer(Engine *en, Alloc *A, const Side *side, TableNums *tn)
{
    const Axis *ax = &A->ax[side[1].axis];
    Arena arena = {0};
    Side fine[2] = {side[0]};
    Level *flv = &ax->dim->levels[ax->sl[ax->nsl - 1]];
    int rc = al_side_for(en, A, A->metric, flv, &arena, &fine[1]);
    TableNums ftn = al_table_nums(&arena, side[0].n, fine[1].n);
    if (rc == 0) {
        memcpy(ftn.rt, tn->rt, side[0].n * sizeof *ftn.rt);
        rc = round_grid(en, A, fine, &ftn);
    }
    int *par = rc == 0 ? parents_of(&fine[1], &side[1]) : NULL;
    size_t nc = side[1].n, fc = fine[1].n;
    for (size_t i = 0; rc == 0 && i < side[0].n * nc; i++)
        tn->cells[i] = NUM_ZERO;
    for (size_t r = 0; rc == 0 && r < side[0].n; r++)
        for (size_t c = 0; c < fc; c++) {
            Num *to = &tn->cells[r * nc + (size_t)par[c]];
            num_add(*to, ftn.cells[r * fc + c], to);
        }
    free(par);
    arena_free(&arena);
    return rc;
}

/* Floors the nr x nc exact cells in place as the rounding does
 * (al_floor_to_step); true when none has a remainder left and they add up
 * to the rounded totals rt by row and ct by column (targets given to the
 * cent): then no cell can take a step, and the floors are the rounding.
 * False otherwise; a cell is only written when it has no remainder, and
 * then with its floor, which floors to itself again with no remainder, as
 * the exact value did: the rounding that follows sees the same floors and
 * remainders as it would have from the exact cells. */
static bool floors_are_rounding(const Alloc *A, Num *out, size_t nr, size_t nc, const Num *rt,
                                const Num *ct)
{
    Num fl, fr;
    for (size_t k = 0; k < nr * nc; k++) {
        al_floor_to_step(A->step, out[k], &fl, &fr);
        if (!num_is_zero(fr))
            return false;
        out[k] = fl;
    }
    Num *col = xcalloc(nc + 1, sizeof *col);
    bool ok = true;
    for (size_t r = 0; r < nr && ok; r++) {
        Num row = NUM_ZERO;
        for (size_t c = 0; c < nc; c++) {
            num_add_inline(row, out[r * nc + c], &row);
            num_add_inline(col[c], out[r * nc + c], &col[c]);
        }
        ok = num_cmp(row, rt[r]) == 0;
    }
    for (size_t c = 0; c < nc && ok; c++)
        ok = num_cmp(col[c], ct[c]) == 0;
    free(col);
    return ok;
}

/* The finest time level: each member's time tree rounded in one flow. */
static int round_time(Engine *en, Alloc *A, const Side *side, TableNums *tn)
{
    const Axis *ax = &A->ax[side[1].axis];
    if (side[1].lv->depth < ax->sl[ax->nsl - 1])
        return sum_finer(en, A, side, tn);
    int ng, *rgroup = al_lock_row_groups(A, side[0].members, side[0].n, side[1].axis, &ng);
    int rc = 0;
    if (rgroup) {
        Num *exact = table_exact(en, A, side, NULL);
        rc = exact ? al_round_time_locked(en, A, side, exact, tn->rt, tn->ct, rgroup, ng, tn->cells)
                   : -1;
        free(exact);
    } else if (!table_exact(en, A, side, tn->cells)) { /* the cells floored in place */
        rc = -1;
    } else if (!floors_are_rounding(A, tn->cells, side[0].n, side[1].n, tn->rt, tn->ct)) {
        rc = al_round_time_tree(en, A, side, tn->cells, tn->rt, tn->ct, tn->cells);
    }
    free(rgroup);
    return rc;
}

/* The grid in the canonical orientation (side[1] the columns): rows add up
 * to tn->rt, columns to the column dimension's rounded totals (rarely a
 * step off: see al_round_grid); ct becomes the sums of the cells. */
static int round_grid(Engine *en, Alloc *A, const Side *side, TableNums *tn)
{
    size_t nr = side[0].n, nc = side[1].n;
    const GridCache *g = cached(A, side);
    if (g) {
        memcpy(tn->cells, g->cells, nr * nc * sizeof *tn->cells);
        memcpy(tn->ct, g->ct, nc * sizeof *tn->ct);
        return 0;
    }
    const Num *cc = al_canon(en, A, side[1].axis);
    for (size_t c = 0; c < nc; c++)
        tn->ct[c] = cc[side[1].members[c]->gindex];
    int rc;
    if (nests(A, &side[1])) {
        rc = round_time(en, A, side, tn);
    } else {
        int ng, *rgroup = al_lock_row_groups(A, side[0].members, nr, side[1].axis, &ng);
        FactorTable *ft = A->factored ? al_factor_table(A, side[0].axis, side[0].pos_of_leaf, nr,
                                                        side[1].axis, side[1].pos_of_leaf, nc)
                                      : NULL;
        if (ft) { /* the exact cells a row at a time, never all of them */
            rc = al_round_grid_rows(en, A, nr, nc, al_factor_row, ft, tn->rt, tn->ct, rgroup, ng,
                                    tn->cells);
        } else {
            Num *exact = table_exact(en, A, side, NULL);
            rc = exact ? al_round_grid(en, A, nr, nc, exact, tn->rt, tn->ct, rgroup, ng, tn->cells)
                       : -1;
            free(exact);
        }
        al_factor_table_free(ft);
        free(rgroup);
    }
    if (rc < 0)
        return -1;
    for (size_t c = 0; c < nc; c++) /* column totals as the cells add up, a row at a time */
        tn->ct[c] = NUM_ZERO;
    for (size_t r = 0; r < nr; r++)
        for (size_t c = 0; c < nc; c++)
            num_add_inline(tn->ct[c], tn->cells[r * nc + c], &tn->ct[c]);
    keep(A, side, tn);
    return 0;
}

/* Whether the table is rounded with its sides swapped: time goes in the
 * columns, else the earlier axis in the rows. */
static bool swapped(const Alloc *A, const Side *side)
{
    bool t0 = A->ax[side[0].axis].dim->is_time, t1 = A->ax[side[1].axis].dim->is_time;
    if (t0 != t1)
        return t0;
    return side[0].axis > side[1].axis;
}

/* The transposed grid: rows and columns of tn from the canonical one. */
static int round_swapped(Engine *en, Alloc *A, const Side *side, TableNums *tn)
{
    size_t nr = side[0].n, nc = side[1].n;
    Side sw[2] = {side[1], side[0]};
    Arena arena = {0};
    TableNums t2 = al_table_nums(&arena, nc, nr);
    const Num *cc = al_canon(en, A, side[1].axis);
    for (size_t c = 0; c < nc; c++)
        t2.rt[c] = cc[side[1].members[c]->gindex];
    int rc = round_grid(en, A, sw, &t2);
    for (size_t r = 0; r < nr && rc == 0; r++) {
        tn->rt[r] = t2.ct[r];
        for (size_t c = 0; c < nc; c++)
            tn->cells[r * nc + c] = t2.cells[c * nr + r];
    }
    for (size_t c = 0; c < nc && rc == 0; c++)
        tn->ct[c] = t2.rt[c];
    arena_free(&arena);
    return rc;
}

int al_round_table(Engine *en, Alloc *A, const Side *side, TableNums *tn)
{
    if (!swapped(A, side))
        return round_grid(en, A, side, tn);
    if (round_swapped(en, A, side, tn) < 0)
        return -1;
    *tn->grand = NUM_ZERO; /* the rows may have moved by a step where the columns had to */
    for (size_t r = 0; r < side[0].n; r++)
        num_add(*tn->grand, tn->rt[r], tn->grand);
    return 0;
}
