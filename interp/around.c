/* around.c -- the exact joint cells of a metric (target times each axis's
 * shares) and their controlled rounding, axis by axis, through round.c;
 * and check mode, which evaluates every split tree without joint cells. */
#include <stdlib.h>
#include <string.h>

#include "alloc_int.h"

/* ---- exact joint values and controlled rounding ---------------------------------------- */

#define SNAP ((Num){1000}) /* 1e-9: closer than this to a multiple of the step is on it */

/* The multiple of the step just below exact (snapping values a hair below
 * a multiple onto it) and the remainder in steps. */
static void floor_cell(const Num step, Num exact, Num *fl, Num *frac_steps)
{
    Num f, r, gap;
    num_round(exact, step, NUM_FLOOR, &f);
    num_sub(exact, f, &r);
    num_sub(step, r, &gap);
    if (num_cmp(r, SNAP) < 0) {
        r = NUM_ZERO;
    } else if (num_cmp(gap, SNAP) < 0) {
        num_add(f, step, &f);
        r = NUM_ZERO;
    }
    *fl = f;
    num_div(r, step, frac_steps);
}

static int64_t steps_between(Num from, Num to, Num step)
{
    Num d;
    int64_t n = 0;
    num_sub(to, from, &d);
    num_div(d, step, &d);
    num_to_int(d, NUM_HALF_EVEN, &n);
    return n;
}

/* floor and ceiling of a sum of remainders, snapping near-integers */
static void bounds_of(Num x, int64_t *lo, int64_t *hi)
{
    Num r, d;
    int64_t near;
    num_round(x, NUM_ONE, NUM_HALF_EVEN, &r);
    num_to_int(r, NUM_TRUNC, &near);
    num_sub(x, r, &d);
    if (num_cmp(num_abs(d), (Num){1000000}) < 0) { /* within 1e-6 */
        *lo = *hi = near;
        return;
    }
    num_to_int(x, NUM_FLOOR, lo);
    num_to_int(x, NUM_CEIL, hi);
}

typedef struct {
    Num frac;
    size_t i;
} Rem;

static int by_remainder(const void *a, const void *b)
{
    const Rem *x = a, *y = b;
    int c = num_cmp(y->frac, x->frac); /* larger first */
    return c ? c : (x->i > y->i) - (x->i < y->i); /* ties: declaration order */
}

/* Largest remainder: rounds exact[0..n) into out so that they add up to
 * target, each to the step below or above its exact value; larger
 * remainders go up first, equal ones in order. */
static void largest_remainder(Num step, const Num *exact, Num *out, size_t n, Num target)
{
    Num floors = NUM_ZERO;
    Rem *rem = xmalloc((n ? n : 1) * sizeof *rem);
    for (size_t i = 0; i < n; i++) {
        floor_cell(step, exact[i], &out[i], &rem[i].frac);
        rem[i].i = i;
        num_add(floors, out[i], &floors);
    }
    int64_t need = steps_between(floors, target, step);
    qsort(rem, n, sizeof *rem, by_remainder);
    for (size_t k = 0; need > 0 && n > 0; k = (k + 1) % n, need--)
        num_add(out[rem[k].i], step, &out[rem[k].i]);
    for (size_t k = n; need < 0 && k-- > 0; need++) /* only when a total was overridden */
        num_sub(out[rem[k].i], step, &out[rem[k].i]);
    free(rem);
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
    Dim *d = ax->dim;
    size_t total = d->nmembers + (size_t)ax->npseudo;
    Num *ex = xcalloc(total + 1, sizeof *ex), *rd = xcalloc(total + 1, sizeof *rd);
    size_t stride = 1;
    for (int j = ai + 1; j < A->nax; j++)
        stride *= A->ax[j].nleaves;
    Num *leafsum = xcalloc(ax->nleaves + 1, sizeof *leafsum);
    for (size_t c = 0; c < A->ncells; c++)
        num_add(leafsum[(c / stride) % ax->nleaves], A->exact[c], &leafsum[(c / stride) % ax->nleaves]);
    Num all = NUM_ZERO;
    for (size_t j = 0; j < ax->nleaves; j++) {
        num_add(all, leafsum[j], &all);
        for (const Member *m = ax->leaves[j]; m; m = m->parent)
            num_add(ex[m->gindex], leafsum[j], &ex[m->gindex]);
    }
    num_round(all, A->step, en->p->sym->rounding, &ax->canon_root);
    /* children grouped by parent (index total = the whole plan); reserve
     * rows sit with their parent */
    int maxdepth = ax->sl[ax->nsl - 1];
    int *start = xcalloc(total + 3, sizeof *start);
    Member **kids = xmalloc((total + 1) * sizeof *kids);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t g = 0; g < total; g++) {
            Member *m = g < d->nmembers ? d->members[g] : ax->pseudo[g - d->nmembers];
            if (m->depth > maxdepth)
                continue;
            size_t key = m->parent ? (size_t)m->parent->gindex : total;
            if (pass == 0)
                start[key + 2]++;
            else
                kids[start[key + 1]++] = m;
        }
        if (pass == 0)
            for (size_t k = 2; k < total + 3; k++)
                start[k] += start[k - 1];
    }
    Num *kex = xmalloc((total + 1) * sizeof *kex), *kout = xmalloc((total + 1) * sizeof *kout);
    for (int depth = -1; depth < maxdepth; depth++) {
        size_t np = depth < 0 ? 1 : d->nmembers;
        for (size_t pi = 0; pi < np; pi++) {
            const Member *p = depth < 0 ? NULL : d->members[pi];
            if (p && p->depth != depth)
                continue;
            size_t key = p ? (size_t)p->gindex : total;
            size_t from = (size_t)start[key], n = (size_t)start[key + 1] - from;
            if (!n)
                continue;
            Num sum = NUM_ZERO;
            for (size_t i = 0; i < n; i++) {
                kex[i] = ex[kids[from + i]->gindex];
                num_add(sum, kex[i], &sum);
            }
            Num pex = p ? ex[p->gindex] : all, target = p ? rd[p->gindex] : ax->canon_root, gap;
            num_sub(sum, pex, &gap);
            if (num_cmp(num_abs(gap), (Num){1000000}) >= 0) /* over-assigned: its own total */
                num_round(sum, A->step, en->p->sym->rounding, &target);
            largest_remainder(A->step, kex, kout, n, target);
            for (size_t i = 0; i < n; i++)
                rd[kids[from + i]->gindex] = kout[i];
        }
    }
    free(start);
    free(kids);
    free(kex);
    free(kout);
    free(leafsum);
    free(ex);
    ax->canon = rd;
    return rd;
}

/* Rounds a table of exact cells so that each row adds up to rowt[r] and
 * each column to colt[c] (the dimensions' rounded totals), every cell
 * going to the step below or above its exact value.  If the two sets of
 * totals admit no such rounding, column totals may move by one step. */
int al_round_grid(Engine *en, const Alloc *A, size_t nr, size_t nc, const Num *exact,
                  const Num *rowt, const Num *colt, Num *out)
{
    size_t n = nr * nc, nfrac = 0;
    int nnodes = 1 + (int)nc;
    int *parent = xmalloc((size_t)nnodes * sizeof *parent);
    int64_t *lo = xcalloc((size_t)nnodes, sizeof *lo), *hi = xcalloc((size_t)nnodes, sizeof *hi);
    int64_t *rlo = xcalloc(nr + 1, sizeof *rlo), *rhi = xcalloc(nr + 1, sizeof *rhi);
    uint32_t *crow = xmalloc((n ? n : 1) * sizeof *crow);
    int32_t *cnode = xmalloc((n ? n : 1) * sizeof *cnode);
    uint64_t *crank = xmalloc((n ? n : 1) * sizeof *crank);
    size_t *cidx = xmalloc((n ? n : 1) * sizeof *cidx);
    Num *colx = xcalloc(nc + 1, sizeof *colx), *colfloor = xcalloc(nc + 1, sizeof *colfloor);
    parent[0] = -1;
    for (size_t c = 0; c < nc; c++)
        parent[1 + c] = 0;
    for (size_t r = 0; r < nr; r++) {
        Num floors = NUM_ZERO;
        for (size_t c = 0; c < nc; c++) {
            size_t k = r * nc + c;
            Num fr;
            floor_cell(A->step, exact[k], &out[k], &fr);
            num_add(floors, out[k], &floors);
            num_add(colfloor[c], out[k], &colfloor[c]);
            if (num_is_zero(fr))
                continue;
            num_add(colx[c], fr, &colx[c]);
            crow[nfrac] = (uint32_t)r;
            cnode[nfrac] = 1 + (int32_t)c;
            crank[nfrac] = (uint64_t)(((unsigned __int128)fr.v << 20) / (unsigned __int128)NUM_ONE.v);
            cidx[nfrac++] = k;
        }
        rlo[r] = rhi[r] = steps_between(floors, rowt[r], A->step);
    }
    for (size_t c = 0; c < nc; c++) {
        lo[1 + c] = hi[1 + c] = steps_between(colfloor[c], colt[c], A->step);
        lo[0] += lo[1 + c];
    }
    hi[0] = lo[0];
    uint8_t *x = xcalloc(nfrac + 1, 1);
    RoundProblem rp = {nr, rlo, rhi, (size_t)nnodes, parent, lo, hi, nfrac, crow, cnode, crank};
    int rc = round_solve(&rp, x);
    if (rc < 0) { /* the totals fight: let columns move within their floor and ceiling */
        lo[0] = 0;
        hi[0] = INT64_MAX / 4;
        for (size_t c = 0; c < nc; c++)
            bounds_of(colx[c], &lo[1 + c], &hi[1 + c]);
        rc = round_solve(&rp, x);
        if (rc < 0)
            diag_error(en->p->diags, A->metric->name_loc, "cannot round a table of %s so that its "
                                                          "totals hold", A->metric->name);
    }
    for (size_t k = 0; k < nfrac && rc == 0; k++)
        if (x[k])
            num_add(out[cidx[k]], A->step, &out[cidx[k]]);
    free(x);
    free(parent);
    free(lo);
    free(hi);
    free(rlo);
    free(rhi);
    free(crow);
    free(cnode);
    free(crank);
    free(cidx);
    free(colx);
    free(colfloor);
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
    Num *cur = xmalloc(sizeof *cur);
    cur[0] = A->root;
    int rc = 0;
    bool zero = num_is_zero(A->root);
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
        Num *next = xmalloc(ncells * sizeof *next);
        Num *val = xcalloc(ax->dim->nmembers + (size_t)ax->npseudo + 1, sizeof *val);
        Num *leaf = xcalloc(nl ? nl : 1, sizeof *leaf), *frac = xcalloc(nl ? nl : 1, sizeof *frac);
        Member *coord[ALLOC_MAX_AXES];
        Ctx ctx = {coord, i};
        for (size_t c = 0; c < n && rc == 0; c++) {
            if (c == 0 || ax->depends) {
                al_decode(A, i, c, coord);
                rc = al_eval_axis(en, A, ax, &ctx, A->root, val, leaf);
                for (size_t j = 0; j < nl && rc == 0 && !zero; j++) /* the axis's shares */
                    if (num_div(leaf[j], A->root, &frac[j]) != NUM_OK)
                        rc = al_num_err(en, A->metric->name_loc, NUM_OVERFLOW);
            }
            for (size_t j = 0; j < nl && rc == 0; j++) {
                if (i == 0)
                    next[j] = leaf[j];
                else if (zero)
                    next[c * nl + j] = NUM_ZERO;
                else if (num_mul(cur[c], frac[j], &next[c * nl + j]) != NUM_OK)
                    rc = al_num_err(en, A->metric->name_loc, NUM_OVERFLOW);
            }
        }
        free(val);
        free(leaf);
        free(frac);
        free(cur);
        cur = next;
        n *= nl;
    }
    A->ncells = n;
    A->exact = cur;
    return rc;
}
