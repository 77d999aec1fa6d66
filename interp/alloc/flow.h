/* flow.h -- controlled rounding as an integer flow problem (flow.c).
 *
 * Every allocation cell is rounded down to a multiple of the step, then
 * some cells get one more step.  Which ones is a transportation problem:
 * each row (a cell of the dimensions already rounded) must get between
 * row_lo[r] and row_hi[r] extra steps (equal when the row's total is
 * already fixed); each node of the column tree (the next
 * dimension's members at its split levels) must get between lo[n] and
 * hi[n] extra steps; a cell can take one extra step only if its exact
 * value is not already a multiple of the step.  The exact values are a
 * fractional solution, so an integer one exists whenever the bounds are
 * the floor and ceiling of the exact sums (flows with integer bounds have
 * integer vertices).  The rows may have a tree of their own above them
 * (a time column's quarter and half), bounded the same way: two nested
 * families of sums are still a flow.  The solver is deterministic and prefers cells with
 * larger remainders (a big table by time less so: see round_tall_from).  All arrays belong
 * to the caller.
 */
#ifndef FLOW_H
#define FLOW_H

#include <stddef.h>
#include <stdint.h>

/* A bound on the extra steps under a column-tree node.  No node can get
 * more steps than there are cells, and round_solve refuses
 * ROUND_BOUND_MAX cells or more (--max-cells stops a table before), so 32 bits hold every bound
 * that binds: a table by time at a million members has seven million nodes.  round_bound clamps a
 * wider one to +-ROUND_BOUND_MAX, which allows and forbids the same counts. */
typedef int32_t RoundBound;
#define ROUND_BOUND_MAX (INT32_MAX / 2)
static inline RoundBound round_bound(int64_t v)
{
    return v > ROUND_BOUND_MAX    ? ROUND_BOUND_MAX
           : v < -ROUND_BOUND_MAX ? -ROUND_BOUND_MAX
                                  : (RoundBound)v;
}

typedef struct RoundProblem {
    size_t nrows;
    const int64_t *row_lo, *row_hi; /* extra steps each row must get */
    size_t nnodes;                  /* column tree; node 0 is the root */
    const int *parent;              /* parent[0] = -1 */
    const RoundBound *lo, *hi;      /* bounds on the extra steps under each node */
    size_t ncells;                  /* cells that may take an extra step */
    const uint32_t *cell_row;
    const int32_t *cell_node;  /* the column-tree leaf of the cell */
    const uint32_t *cell_rank; /* larger = preferred (the remainder in millionths of a step) */
    /* optional tree above the rows (row_up NULL: none): row r passes its
     * steps to row node row_up[r] (-1: none), node n to rn_parent[n] */
    size_t nrnodes;
    const int *row_up, *rn_parent;
    const int64_t *rn_lo, *rn_hi; /* bounds on the extra steps through each row node */
    /* optional (NULL: none): stricter bounds on the same cells and trees,
     * which the greedy pass keeps to before the repair meets these; so a
     * problem relaxed because the strict one has no rounding moves only
     * the totals it must */
    const struct RoundProblem *strict;
    /* optional (cell_row and cell_node NULL): the cells are the positions
     * of a table whose columns hang off the root, k = row * ncols + column
     * (column c's node is 1 + c), and a cell of rank ROUND_NO_STEP (no
     * remainder) takes no step; set by round_table_cells */
    size_t ncols;
    uint64_t ncols_inv; /* 2^64 / ncols, rounded up: a division by a multiply */
} RoundProblem;

#define ROUND_NO_STEP UINT32_MAX

/* Makes rp's cells the positions of a table of ncols columns (see ncols):
 * no row or node a cell, and the index a repair needs is the table's. */
void round_table_cells(RoundProblem *rp, size_t ncols);

/* Cell k's row and column-tree leaf. */
static inline void round_cell(const RoundProblem *rp, size_t k, uint32_t *row, int32_t *node)
{
    if (rp->cell_row) {
        *row = rp->cell_row[k];
        *node = rp->cell_node[k];
        return;
    }
    uint32_t i = (uint32_t)k;
    uint32_t q = rp->ncols == 1 ? i : (uint32_t)(((unsigned __int128)rp->ncols_inv * i) >> 64);
    *row = q;
    *node = (int32_t)(1 + i - q * (uint32_t)rp->ncols);
}

/* Fills x[ncells] with 0 or 1.  Returns 0, or -1 when no rounding meets
 * the bounds (the caller relaxes them and says so). */
int round_solve(const RoundProblem *rp, uint8_t *x);

/* How many cells a flat table's repair may visit before it counts pairs
 * of columns; -1 (the default): as many as counting them costs.  The unit
 * tests change it to compare the two searches, which find the same. */
extern int64_t round_pairs_work;

/* The fewest cells of a table by time (few rows, every row total fixed,
 * many members each with a small tree) that is rounded member by member,
 * then mended by moving steps between rows, instead of by the greedy pass
 * and the flow (-1: never).  Both meet every bound.  The moves take the
 * first member, in order, that can move a step, not the larger remainder,
 * so the two may give different cells their steps.  Unset (-2), it is the
 * environment's SALESPLAN_ROUND_TALL_FROM (the property tests run with 0),
 * else 100,000; the unit tests set it. */
extern int64_t round_tall_from;
/* How many tables the moves between rows have mended (for the tests). */
extern int64_t round_tall_repairs;

#endif
