/* test_round.c -- the controlled-rounding flow solver on random tables:
 * every solution meets its row and tree bounds (a tree above the rows
 * too), cells only move up by one step where they have a remainder, and
 * equal inputs give equal outputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alloc/flow.h"

static uint64_t rng = 88172645463325252ULL;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* A tree above the rows (pairs of rows, all pairs under one top node, as
 * months under quarters under a half): each node's bounds the floor and
 * ceiling of its rows' remainders (rowsum, in 1/1000 steps). */
typedef struct {
    size_t n;
    int up[64], par[33];
    int64_t lo[33], hi[33], sum[33];
} RowTree;

static void row_tree(RowTree *rt, int nrows, const int64_t *rowsum)
{
    memset(rt, 0, sizeof *rt);
    int pairs = (nrows + 1) / 2;
    rt->n = (size_t)pairs + 1;
    for (int r = 0; r < nrows; r++) {
        rt->up[r] = r / 2;
        rt->sum[r / 2] += rowsum[r];
        rt->sum[pairs] += rowsum[r];
    }
    for (int k = 0; k <= pairs; k++) {
        rt->par[k] = k < pairs ? pairs : -1;
        rt->lo[k] = rt->sum[k] / 1000;
        rt->hi[k] = rt->sum[k] / 1000 + (rt->sum[k] % 1000 ? 1 : 0);
    }
}

/* Whether the rows' extra steps (rowgot) meet the row tree's bounds. */
static void assert_row_tree(const RowTree *rt, int nrows, const int64_t *rowgot)
{
    int64_t got[33] = {0};
    for (int r = 0; r < nrows; r++)
        for (int n = rt->up[r]; n >= 0; n = rt->par[n])
            got[n] += rowgot[r];
    for (size_t n = 0; n < rt->n; n++) {
        assert_true(got[n] >= rt->lo[n]);
        assert_true(got[n] <= rt->hi[n]);
    }
}

/* A random table of remainders in [0, 1) (in 1/1000 steps); rows and the
 * nodes of a two-level column tree must get the floor or the ceiling of
 * their remainders' sum; with_rows: the rows' tree too. */
static void random_problem(int nrows, int ncols, int ngroups, bool with_rows)
{
    int64_t *rowsums = calloc((size_t)nrows, sizeof *rowsums);
    RowTree rt;
    int nnodes = 1 + ngroups + ncols;
    int *parent = malloc((size_t)nnodes * sizeof *parent);
    RoundBound *lo = calloc((size_t)nnodes, sizeof *lo), *hi = calloc((size_t)nnodes, sizeof *hi);
    int64_t *rlo = calloc((size_t)nrows, sizeof *rlo), *rhi = calloc((size_t)nrows, sizeof *rhi);
    int *frac = calloc((size_t)(nrows * ncols), sizeof *frac);
    uint32_t *crow = malloc((size_t)(nrows * ncols) * sizeof *crow);
    int32_t *cnode = malloc((size_t)(nrows * ncols) * sizeof *cnode);
    uint32_t *crank = malloc((size_t)(nrows * ncols) * sizeof *crank);
    int *cell_of = malloc((size_t)(nrows * ncols) * sizeof *cell_of);
    parent[0] = -1;
    for (int g = 0; g < ngroups; g++)
        parent[1 + g] = 0;
    for (int c = 0; c < ncols; c++)
        parent[1 + ngroups + c] = 1 + c % ngroups;
    int64_t *nodesum = calloc((size_t)nnodes, sizeof *nodesum);
    size_t ncells = 0;
    for (int r = 0; r < nrows; r++) {
        int64_t rowsum = 0;
        for (int c = 0; c < ncols; c++) {
            int f = (int)(next_rand() % 4 == 0 ? 0 : next_rand() % 1000);
            frac[r * ncols + c] = f;
            rowsum += f;
            for (int n = 1 + ngroups + c; n >= 0; n = parent[n])
                nodesum[n] += f;
            if (f) {
                crow[ncells] = (uint32_t)r;
                cnode[ncells] = 1 + ngroups + c;
                crank[ncells] = (uint32_t)f;
                cell_of[ncells++] = r * ncols + c;
            }
        }
        /* the row may take the floor or the ceiling of its remainders: the
         * exact remainders are then a fractional solution, so an integer one
         * exists (flows with integer bounds have integer vertices) */
        rowsums[r] = rowsum;
        rlo[r] = rowsum / 1000;
        rhi[r] = rowsum / 1000 + (rowsum % 1000 ? 1 : 0);
    }
    for (int n = 0; n < nnodes; n++) {
        lo[n] = nodesum[n] / 1000;
        hi[n] = nodesum[n] / 1000 + (nodesum[n] % 1000 ? 1 : 0);
    }
    uint8_t *x = calloc(ncells + 1, 1);
    row_tree(&rt, nrows, rowsums);
    size_t nrn = with_rows ? rt.n : 0;
    const int *up = with_rows ? rt.up : NULL;
    RoundProblem rp = {.nrows = (size_t)nrows, .row_lo = rlo, .row_hi = rhi, .nnodes = (size_t)nnodes, .parent = parent, .lo = lo, .hi = hi, .ncells = ncells, .cell_row = crow, .cell_node = cnode, .cell_rank = crank, .nrnodes = nrn, .row_up = up, .rn_parent = rt.par, .rn_lo = rt.lo, .rn_hi = rt.hi};
    int rc = round_solve(&rp, x);
    assert_int_equal(rc, 0);
    {
        int64_t *rowgot = calloc((size_t)nrows, sizeof *rowgot);
        int64_t *nodegot = calloc((size_t)nnodes, sizeof *nodegot);
        for (size_t k = 0; k < ncells; k++) {
            assert_true(x[k] == 0 || x[k] == 1);
            assert_true(frac[cell_of[k]] > 0 || x[k] == 0);
            rowgot[crow[k]] += x[k];
            for (int n = cnode[k]; n >= 0; n = parent[n])
                nodegot[n] += x[k];
        }
        for (int r = 0; r < nrows; r++) {
            assert_true(rowgot[r] >= rlo[r]);
            assert_true(rowgot[r] <= rhi[r]);
        }
        for (int n = 0; n < nnodes; n++) {
            assert_true(nodegot[n] >= lo[n]);
            assert_true(nodegot[n] <= hi[n]);
        }
        if (with_rows)
            assert_row_tree(&rt, nrows, rowgot);
        uint8_t *again = calloc(ncells + 1, 1); /* deterministic */
        assert_int_equal(round_solve(&rp, again), 0);
        assert_memory_equal(x, again, ncells);
        free(again);
        free(rowgot);
        free(nodegot);
    }
    free(x);
    free(parent);
    free(lo);
    free(hi);
    free(rlo);
    free(rhi);
    free(frac);
    free(crow);
    free(cnode);
    free(crank);
    free(cell_of);
    free(nodesum);
    free(rowsums);
}

static void test_many_random_tables(void **state)
{
    (void)state;
    for (int i = 0; i < 500; i++)
        random_problem(1 + (int)(next_rand() % 12), 1 + (int)(next_rand() % 15),
                       1 + (int)(next_rand() % 4), false);
}

/* The same with a tree above the rows: still always solvable (two nested
 * families of sums are a flow). */
static void test_many_random_tables_with_row_tree(void **state)
{
    (void)state;
    for (int i = 0; i < 500; i++)
        random_problem(1 + (int)(next_rand() % 12), 1 + (int)(next_rand() % 15),
                       1 + (int)(next_rand() % 4), true);
}

/* A table of one level of columns whose row and column totals are all
 * fixed (the usual table: rows and columns at their rounded totals), made
 * from a rounding chosen at random so that one exists.  Greedy by
 * remainder misses often here; the repair must still meet every total. */
static void random_flat_problem(int nrows, int ncols)
{
    size_t n = (size_t)nrows * (size_t)ncols;
    int nnodes = 1 + ncols;
    int *parent = malloc((size_t)nnodes * sizeof *parent);
    RoundBound *lo = calloc((size_t)nnodes, sizeof *lo), *hi = calloc((size_t)nnodes, sizeof *hi);
    int64_t *rlo = calloc((size_t)nrows, sizeof *rlo), *rhi = calloc((size_t)nrows, sizeof *rhi);
    uint32_t *crow = malloc(n * sizeof *crow);
    int32_t *cnode = malloc(n * sizeof *cnode);
    uint32_t *crank = malloc(n * sizeof *crank);
    parent[0] = -1;
    for (int c = 0; c < ncols; c++)
        parent[1 + c] = 0;
    size_t ncells = 0;
    for (int r = 0; r < nrows; r++)
        for (int c = 0; c < ncols; c++) {
            if (next_rand() % 5 == 0)
                continue; /* no remainder: not a candidate */
            crow[ncells] = (uint32_t)r;
            cnode[ncells] = 1 + c;
            crank[ncells] = next_rand() % 8; /* few ranks: many ties */
            if (next_rand() % 3 == 0) {     /* the rounding the totals come from */
                rlo[r]++;
                lo[1 + c]++;
                lo[0]++;
            }
            ncells++;
        }
    for (int r = 0; r < nrows; r++)
        rhi[r] = rlo[r];
    for (int k = 0; k < nnodes; k++)
        hi[k] = lo[k];
    uint8_t *x = calloc(ncells + 1, 1), *again = calloc(ncells + 1, 1);
    RoundProblem rp = {.nrows = (size_t)nrows, .row_lo = rlo, .row_hi = rhi, .nnodes = (size_t)nnodes, .parent = parent, .lo = lo, .hi = hi, .ncells = ncells, .cell_row = crow, .cell_node = cnode, .cell_rank = crank};
    assert_int_equal(round_solve(&rp, x), 0);
    int64_t *rowgot = calloc((size_t)nrows, sizeof *rowgot);
    int64_t *colgot = calloc((size_t)nnodes, sizeof *colgot);
    for (size_t k = 0; k < ncells; k++) {
        assert_true(x[k] == 0 || x[k] == 1);
        rowgot[crow[k]] += x[k];
        colgot[cnode[k]] += x[k];
        colgot[0] += x[k];
    }
    for (int r = 0; r < nrows; r++)
        assert_int_equal(rowgot[r], rlo[r]);
    for (int k = 0; k < nnodes; k++)
        assert_int_equal(colgot[k], lo[k]);
    assert_int_equal(round_solve(&rp, again), 0); /* deterministic */
    assert_memory_equal(x, again, ncells);
    int64_t work = round_pairs_work; /* the search by pairs of columns finds the same */
    round_pairs_work = (int64_t)(next_rand() % 3 == 0 ? INT64_MAX : next_rand() % 200);
    memset(again, 0, ncells);
    assert_int_equal(round_solve(&rp, again), 0);
    assert_memory_equal(x, again, ncells);
    round_pairs_work = work;
    size_t npos = n; /* the same cells by position, with the rest unable to take a step */
    uint32_t *prank = malloc(npos * sizeof *prank);
    uint8_t *px = calloc(npos, 1);
    for (size_t k = 0; k < npos; k++)
        prank[k] = ROUND_NO_STEP;
    for (size_t k = 0; k < ncells; k++)
        prank[crow[k] * (uint32_t)ncols + (uint32_t)(cnode[k] - 1)] = crank[k];
    RoundProblem pp = rp;
    pp.ncells = npos;
    pp.cell_rank = prank;
    round_table_cells(&pp, (size_t)ncols);
    assert_int_equal(round_solve(&pp, px), 0);
    for (size_t k = 0; k < ncells; k++)
        assert_int_equal(px[crow[k] * (uint32_t)ncols + (uint32_t)(cnode[k] - 1)], x[k]);
    for (size_t k = 0; k < npos; k++)
        assert_true(prank[k] != ROUND_NO_STEP || px[k] == 0);
    free(prank);
    free(px);
    free(rowgot);
    free(colgot);
    free(x);
    free(again);
    free(parent);
    free(lo);
    free(hi);
    free(rlo);
    free(rhi);
    free(crow);
    free(cnode);
    free(crank);
}

static void test_many_random_flat_tables(void **state)
{
    (void)state;
    for (int i = 0; i < 300; i++)
        random_flat_problem(1 + (int)(next_rand() % 300), 1 + (int)(next_rand() % 20));
}

/* A table by time as time_grid.c makes it: nmem members, each a node over
 * two halves over two quarters each; twelve rows (months), row r's cells
 * under quarter r / 3 of each member.  Rows and members first get the
 * floor or ceiling of their remainders and the flow rounds it; its counts
 * then become fixed totals (every row total fixed, as in a table by time),
 * and the table is rounded again with the moves between rows (tall): the
 * result meets every bound, only cells with a remainder take a step, and
 * equal inputs give equal outputs.  Returns whether the moves mended it
 * (else the flow did). */
static bool random_tall(int nmem)
{
    enum { ROWS = 12, PER = 7 };
    size_t nn = 1 + (size_t)nmem * PER, maxc = (size_t)nmem * ROWS + 1;
    int *parent = malloc(nn * sizeof *parent);
    RoundBound *lo = calloc(nn, sizeof *lo), *hi = calloc(nn, sizeof *hi);
    int64_t *sum = calloc(nn, 8);
    int64_t rlo[ROWS], rhi[ROWS], rsum[ROWS] = {0};
    uint32_t *crow = malloc(maxc * sizeof *crow), *crank = malloc(maxc * sizeof *crank);
    int32_t *cnode = malloc(maxc * sizeof *cnode);
    parent[0] = -1;
    size_t nc = 0;
    for (int i = 0; i < nmem; i++) {
        int b = 1 + i * PER;
        parent[b] = 0;
        parent[b + 1] = parent[b + 2] = b;
        parent[b + 3] = parent[b + 4] = b + 1;
        parent[b + 5] = parent[b + 6] = b + 2;
        for (int r = 0; r < ROWS; r++) {
            int f = (int)(next_rand() % 5 == 0 ? 0 : next_rand() % 3 == 0 ? 500 : next_rand() % 1000);
            if (!f)
                continue;
            crow[nc] = (uint32_t)r;
            cnode[nc] = b + 3 + r / 3;
            crank[nc++] = (uint32_t)f;
            rsum[r] += f;
            for (int n = b + 3 + r / 3; n >= 0; n = parent[n])
                sum[n] += f;
        }
    }
    for (size_t n = 0; n < nn; n++) {
        lo[n] = sum[n] / 1000;
        hi[n] = sum[n] / 1000 + (sum[n] % 1000 ? 1 : 0);
    }
    for (int r = 0; r < ROWS; r++) {
        rlo[r] = rsum[r] / 1000;
        rhi[r] = rsum[r] / 1000 + (rsum[r] % 1000 ? 1 : 0);
    }
    RoundProblem rp = {.nrows = ROWS, .row_lo = rlo, .row_hi = rhi, .nnodes = nn,
                       .parent = parent, .lo = lo, .hi = hi, .ncells = nc, .cell_row = crow,
                       .cell_node = cnode, .cell_rank = crank};
    uint8_t *x = calloc(nc + 1, 1), *again = calloc(nc + 1, 1);
    assert_int_equal(round_solve(&rp, x), 0);
    int64_t got[ROWS] = {0}, *ngot = calloc(nn, sizeof *ngot);
    for (size_t k = 0; k < nc; k++) {
        got[crow[k]] += x[k];
        for (int n = cnode[k]; n >= 0; n = parent[n])
            ngot[n] += x[k];
    }
    for (int r = 0; r < ROWS; r++)
        rlo[r] = rhi[r] = got[r];
    for (int i = 0; i < nmem; i++)
        lo[1 + i * PER] = hi[1 + i * PER] = ngot[1 + i * PER];
    int64_t from = round_tall_from, before = round_tall_repairs;
    round_tall_from = 0;
    memset(x, 0, nc);
    assert_int_equal(round_solve(&rp, x), 0);
    bool tall = round_tall_repairs > before;
    memset(got, 0, sizeof got);
    memset(ngot, 0, nn * sizeof *ngot);
    for (size_t k = 0; k < nc; k++) {
        assert_true(x[k] == 0 || x[k] == 1);
        got[crow[k]] += x[k];
        for (int n = cnode[k]; n >= 0; n = parent[n])
            ngot[n] += x[k];
    }
    for (int r = 0; r < ROWS; r++)
        assert_int_equal(got[r], rlo[r]);
    for (size_t n = 0; n < nn; n++) {
        assert_true(ngot[n] >= lo[n]);
        assert_true(ngot[n] <= hi[n]);
    }
    assert_int_equal(round_solve(&rp, again), 0); /* deterministic */
    assert_memory_equal(x, again, nc);
    round_tall_from = from;
    free(parent);
    free(lo);
    free(hi);
    free(sum);
    free(crow);
    free(crank);
    free(cnode);
    free(x);
    free(again);
    free(ngot);
    return tall;
}

static void test_many_random_tall_tables(void **state)
{
    (void)state;
    int tall = 0;
    for (int i = 0; i < 300; i++)
        tall += random_tall(1 + (int)(next_rand() % (i % 10 == 0 ? 3000 : 60)));
    print_message("the moves between rows mended %d of 300 tables\n", tall);
    assert_true(tall >= 100); /* the path under test, not only the flow after it */
}

/* Cells whose members interleave are not a table by time: the greedy pass
 * and the flow round them, whatever x held before. */
static void test_tall_needs_members_in_order(void **state)
{
    (void)state;
    int parent[3] = {-1, 0, 0};
    RoundBound lo[3] = {0, 0, 0}, hi[3] = {0, 1, 1};
    int64_t rlo[2] = {0, 0}, rhi[2] = {0, 0};
    uint32_t crow[3] = {0, 1, 0}, crank[3] = {500, 400, 300};
    int32_t cnode[3] = {1, 2, 1};
    RoundProblem rp = {.nrows = 2, .row_lo = rlo, .row_hi = rhi, .nnodes = 3, .parent = parent,
                       .lo = lo, .hi = hi, .ncells = 3, .cell_row = crow, .cell_node = cnode,
                       .cell_rank = crank};
    uint8_t x[3] = {1, 1, 1};
    int64_t from = round_tall_from;
    round_tall_from = 0;
    assert_int_equal(round_solve(&rp, x), 0);
    round_tall_from = from;
    assert_int_equal(x[0] + x[1] + x[2], 0);
}

/* A cell's row and column from its position: the division by a multiply
 * is exact for every 32-bit position and width. */
static void test_cell_positions(void **state)
{
    (void)state;
    const size_t widths[] = {1, 2, 3, 7, 20, 1000, 65537, 1000003, 2147483646};
    const uint32_t at[] = {0, 1, 19, 20, 21, 999999, 4294967294u, 4294967295u};
    for (size_t w = 0; w < sizeof widths / sizeof *widths; w++)
        for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
            RoundProblem rp = {.ncells = 1};
            round_table_cells(&rp, widths[w]);
            uint32_t r;
            int32_t n;
            round_cell(&rp, at[i], &r, &n);
            assert_int_equal(r, at[i] / widths[w]);
            assert_int_equal(n, 1 + (int64_t)(at[i] % widths[w]));
        }
    for (int k = 0; k < 100000; k++) {
        uint32_t pos = (uint32_t)next_rand();
        size_t width = 1 + next_rand() % 100000;
        RoundProblem rp = {.ncells = 1};
        round_table_cells(&rp, width);
        uint32_t r;
        int32_t n;
        round_cell(&rp, pos, &r, &n);
        assert_int_equal(r, pos / width);
        assert_int_equal(n, 1 + (int64_t)(pos % width));
    }
}

static void test_one_row_prefers_large_remainders(void **state)
{
    (void)state;
    /* one row needing 2 extra steps over cells with remainders .1 .9 .5 .5 */
    int parent[] = {-1, 0, 0, 0, 0};
    RoundBound lo[] = {2, 0, 0, 0, 0}, hi[] = {2, 1, 1, 1, 1};
    int64_t rlo[] = {2}, rhi[] = {2};
    uint32_t crow[] = {0, 0, 0, 0};
    int32_t cnode[] = {1, 2, 3, 4};
    uint32_t crank[] = {100, 900, 500, 500};
    uint8_t x[4];
    RoundProblem rp = {.nrows = 1, .row_lo = rlo, .row_hi = rhi, .nnodes = 5, .parent = parent, .lo = lo, .hi = hi, .ncells = 4, .cell_row = crow, .cell_node = cnode, .cell_rank = crank};
    assert_int_equal(round_solve(&rp, x), 0);
    assert_int_equal(x[0], 0);
    assert_int_equal(x[1], 1);
    assert_int_equal(x[2], 1); /* equal remainders: the first declared */
    assert_int_equal(x[3], 0);
}

/* Greedy takes (0,0) first, which leaves row 1 nothing; the repair finds
 * that row 0 must take (0,1) instead. */
static void test_flow_repairs_greedy(void **state)
{
    (void)state;
    int parent[] = {-1, 0, 0};
    RoundBound lo[] = {2, 1, 1}, hi[] = {2, 1, 1};
    int64_t rlo[] = {1, 1}, rhi[] = {1, 1};
    uint32_t crow[] = {0, 0, 1};
    int32_t cnode[] = {1, 2, 1};
    uint32_t crank[] = {900, 800, 700};
    uint8_t x[3];
    RoundProblem rp = {.nrows = 2, .row_lo = rlo, .row_hi = rhi, .nnodes = 3, .parent = parent, .lo = lo, .hi = hi, .ncells = 3, .cell_row = crow, .cell_node = cnode, .cell_rank = crank};
    assert_int_equal(round_solve(&rp, x), 0);
    assert_int_equal(x[0], 0);
    assert_int_equal(x[1], 1);
    assert_int_equal(x[2], 1);
}

/* Row 0 sits under a row node that takes one step only (a quarter at its
 * total): greedy gives it both of its best cells and leaves node 1's
 * second step nowhere to go; the flow moves row 0's second step to row 1. */
static void test_row_tree_bounds_hold(void **state)
{
    (void)state;
    int parent[] = {-1, 0, 0};
    RoundBound lo[] = {2, 0, 0}, hi[] = {2, 1, 1};
    int64_t rlo[] = {0, 0}, rhi[] = {2, 1};
    uint32_t crow[] = {0, 0, 1};
    int32_t cnode[] = {1, 2, 1};
    uint32_t crank[] = {900, 800, 100};
    int up[] = {0, -1}, rpar[] = {-1};
    int64_t rnlo[] = {1}, rnhi[] = {1};
    uint8_t x[3];
    RoundProblem rp = {.nrows = 2, .row_lo = rlo, .row_hi = rhi, .nnodes = 3, .parent = parent, .lo = lo, .hi = hi, .ncells = 3, .cell_row = crow, .cell_node = cnode, .cell_rank = crank, .nrnodes = 1, .row_up = up, .rn_parent = rpar, .rn_lo = rnlo, .rn_hi = rnhi};
    assert_int_equal(round_solve(&rp, x), 0);
    assert_int_equal(x[0] + x[1], 1);
    assert_int_equal(x[2], 1);
    assert_int_equal(x[0], 0); /* node 1 has room for one: row 1's */
    assert_int_equal(x[1], 1);
}

static void test_infeasible_is_reported(void **state)
{
    (void)state;
    int parent[] = {-1, 0};
    RoundBound lo[] = {0, 0}, hi[] = {1, 1};
    int64_t rlo[] = {2}, rhi[] = {2};
    uint32_t crow[] = {0};
    int32_t cnode[] = {1};
    uint32_t crank[] = {500};
    uint8_t x[1];
    RoundProblem rp = {.nrows = 1, .row_lo = rlo, .row_hi = rhi, .nnodes = 2, .parent = parent, .lo = lo, .hi = hi, .ncells = 1, .cell_row = crow, .cell_node = cnode, .cell_rank = crank};
    assert_int_equal(round_solve(&rp, x), -1);
}

/* A node's bound wider than 32 bits is clamped (round_bound) so that it
 * allows and forbids what the wide one did: no node gets more steps than
 * there are cells. */
static void test_wide_bounds_are_clamped(void **state)
{
    (void)state;
    assert_int_equal(round_bound(7), 7);
    assert_int_equal(round_bound(-7), -7);
    assert_int_equal(round_bound(INT64_MAX / 4), ROUND_BOUND_MAX);
    assert_int_equal(round_bound(-5000000000), -ROUND_BOUND_MAX);
    int parent[] = {-1, 0};
    RoundBound lo[] = {round_bound(-5000000000), round_bound(-5000000000)};
    RoundBound hi[] = {round_bound(5000000000), round_bound(5000000000)};
    int64_t rlo[] = {1}, rhi[] = {1};
    uint32_t crow[] = {0};
    int32_t cnode[] = {1};
    uint32_t crank[] = {500};
    uint8_t x[1];
    RoundProblem rp = {.nrows = 1, .row_lo = rlo, .row_hi = rhi, .nnodes = 2, .parent = parent, .lo = lo, .hi = hi, .ncells = 1, .cell_row = crow, .cell_node = cnode, .cell_rank = crank};
    assert_int_equal(round_solve(&rp, x), 0);
    assert_int_equal(x[0], 1);
    lo[1] = round_bound(5000000000); /* more steps than cells: still none */
    assert_int_equal(round_solve(&rp, x), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_random_tables),
        cmocka_unit_test(test_many_random_tables_with_row_tree),
        cmocka_unit_test(test_many_random_flat_tables),
        cmocka_unit_test(test_many_random_tall_tables),
        cmocka_unit_test(test_tall_needs_members_in_order),
        cmocka_unit_test(test_cell_positions),
        cmocka_unit_test(test_row_tree_bounds_hold),
        cmocka_unit_test(test_one_row_prefers_large_remainders),
        cmocka_unit_test(test_flow_repairs_greedy),
        cmocka_unit_test(test_infeasible_is_reported),
        cmocka_unit_test(test_wide_bounds_are_clamped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
