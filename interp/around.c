/* around.c -- the exact joint cells of a metric (target times each axis's
 * shares) and their controlled rounding, axis by axis, through round.c;
 * and check mode, which evaluates every split tree without joint cells. */
#include <stdlib.h>
#include <string.h>

#include "alloc_int.h"

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

void al_decode(const Alloc *A, int upto, size_t c, Member **coord)
{
    for (int j = upto - 1; j >= 0; j--) {
        size_t nl = A->ax[j].nleaves;
        coord[j] = A->ax[j].leaves[c % nl];
        c /= nl;
    }
}

/* check: every axis's tree in every context it depends on, no joint cells */
int al_check_axes(Engine *en, Alloc *A)
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
            al_decode(A, i, c, coord);
            rc = al_eval_axis(en, A, ax, &ctx, A->root, val, leaf);
        }
        if (rc < 0)
            return -1;
        if (ax->nleaves && contexts > en->max_cells / ax->nleaves)
            break; /* deeper contexts would be as many as the cells: stop here */
        contexts *= ax->nleaves;
    }
    return 0;
}

int al_compute(Engine *en, Alloc *A)
{
    if (en->check_only)
        return al_check_axes(en, A);
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
                al_decode(A, i, c, coord);
                rc = al_eval_axis(en, A, ax, &ctx, A->root, val, leaf);
            }
            for (size_t j = 0; j < nl && rc == 0; j++) {
                Num t;
                if (i == 0)
                    next[j] = leaf[j];
                else if (!zero && (num_mul(cur[c], leaf[j], &t) != NUM_OK ||
                                   num_div(t, A->root, &next[c * nl + j]) != NUM_OK))
                    rc = al_num_err(en, A->metric->name_loc, NUM_OVERFLOW);
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

