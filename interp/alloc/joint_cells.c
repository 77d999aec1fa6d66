/* around.c -- the exact joint cells of a metric (target times each axis's
 * shares) and their controlled rounding, axis by axis, through round.c;
 * and check mode, which evaluates every split tree without joint cells. */
#include <stdlib.h>
#include <string.h>

#include "alloc/alloc_int.h"

/* ---- exact joint values and controlled rounding ---------------------------------------- */

/* Exact values are carried to 12 decimals, so shares like 1/3 are a hair
 * off: within 1e-7 of a multiple of the step (or of another remainder) a
 * value counts as on it (or equal). */
#define SNAP ((Num){100000})
#define TIE ((Num){1000000}) /* remainders (in steps) closer than 1e-6 are equal */

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
    if (num_cmp(num_abs(d), TIE) < 0) { /* a half step: the plan's tie rule */
        Num mid;
        num_mul(half, step, &mid);
        num_add(f, mid, &mid);
        num_round(mid, step, en->p->sym->rounding, out);
        return;
    }
    num_round(x, step, en->p->sym->rounding, out);
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
    Num d;
    num_sub(y->frac, x->frac, &d); /* larger first; within TIE: equal */
    int c = num_cmp(num_abs(d), TIE) < 0 ? 0 : num_sign(d);
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

/* The totals of the over-assigned groups under the members at one depth
 * (what their children add up to), rounded together: largest remainder
 * against the rounded sum of everything at the next level, so that the
 * grand total of a table of that level stays within one step. */
static void inflated_targets(Engine *en, Alloc *A, Axis *ax, int ai, int depth, const int *start,
                             Member **kids, const Num *ex, const Num *rd, Num *gtarget)
{
    (void)ai;
    Dim *d = ax->dim;
    size_t total = d->nmembers + (size_t)ax->npseudo;
    int k = 0;
    while (k < ax->nsl && (k ? ax->sl[k - 1] : -1) != depth)
        k++;
    if (k == ax->nsl)
        return;
    size_t np = depth < 0 ? 1 : d->nmembers, n = 0;
    size_t *who = xmalloc((np + 1) * sizeof *who);
    Num *g = xmalloc((np + 1) * sizeof *g), *out = xmalloc((np + 1) * sizeof *out);
    Num all = NUM_ZERO, fixed = NUM_ZERO;
    for (size_t pi = 0; pi < np; pi++) {
        const Member *p = depth < 0 ? NULL : d->members[pi];
        if (p && p->depth != depth)
            continue;
        size_t key = p ? (size_t)p->gindex : total;
        Num sum = NUM_ZERO;
        for (int i = start[key]; i < start[key + 1]; i++)
            num_add(sum, ex[kids[i]->gindex], &sum);
        num_add(all, sum, &all);
        if (al_adjusts(A, ax, k, p, ADJ_OVERASSIGN)) {
            who[n] = key;
            g[n++] = sum;
        } else {
            num_add(fixed, p ? rd[p->gindex] : ax->canon_root, &fixed);
        }
    }
    for (int q = 0; q < ax->npseudo; q++) { /* reserve rows beside these members */
        const Member *r = ax->pseudo[q];
        if ((r->parent ? r->parent->depth : -1) >= depth) /* inside a group: counted there */
            continue;
        num_add(all, ex[r->gindex], &all);
        num_add(fixed, rd[r->gindex], &fixed);
    }
    if (n) {
        Num want, floors = NUM_ZERO;
        round_total(en, all, A->step, &want);
        num_sub(want, fixed, &want);
        for (size_t i = 0; i < n; i++) {
            Num f, r;
            floor_cell(A->step, g[i], &f, &r);
            num_add(floors, f, &floors);
        }
        int64_t need = steps_between(floors, want, A->step);
        if (need >= 0 && need <= (int64_t)n)
            largest_remainder(A->step, g, out, n, want);
        else /* the fixed totals are too far off: each on its own */
            for (size_t i = 0; i < n; i++)
                round_total(en, g[i], A->step, &out[i]);
        for (size_t i = 0; i < n; i++)
            gtarget[who[i]] = out[i];
    }
    free(who);
    free(g);
    free(out);
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
    Num off;
    num_sub(all, A->root, &off);
    if (num_cmp(num_abs(off), (Num){1000000}) < 0) /* the cells add up to the target: use it */
        all = A->root;
    round_total(en, all, A->step, &ax->canon_root);
    /* Above the first over-assigned level, the totals are those of the
     * allocation cut there (the declared values that tables of those levels
     * show): copy them, and round only the levels below. */
    int oa_k = -1; /* the first split level that over-assigns anywhere */
    for (int i = 0; i < A->nsplits; i++)
        if (al_split_dim(A, i) == d && al_split_overassigns(A, i))
            for (int k = 0; k < ax->nsl; k++)
                if (ax->sl[k] == al_split_depth(A, i) && (oa_k < 0 || k < oa_k))
                    oa_k = k;
    int from_depth = -1;
    bool stripped = true;
    for (int i = 0; i < ALLOC_MAX_AXES; i++)
        stripped &= A->asked_cut[i] == 1 << 20;
    if (oa_k > 0 && stripped) {
        int pd = ax->sl[oa_k - 1]; /* its parents keep their declared totals */
        int cuts[ALLOC_MAX_AXES];
        for (int i = 0; i < ALLOC_MAX_AXES; i++)
            cuts[i] = 1 << 20;
        cuts[ai] = pd;
        Alloc *C = al_alloc_get_cut(en, A->metric, cuts);
        int ci = C ? al_axis_of(C, d) : -1;
        if (ci >= 0) {
            const Num *cc = al_canon(en, C, ci);
            for (size_t g = 0; g < d->nmembers; g++)
                if (d->members[g]->depth <= pd)
                    rd[g] = cc[g];
            for (int q = 0; q < ax->npseudo; q++) /* reserve rows up there: the same rows */
                for (int k = 0; k < C->ax[ci].npseudo; k++)
                    if ((ax->pseudo[q]->parent ? ax->pseudo[q]->parent->depth : -1) < pd &&
                        C->ax[ci].pseudo[k]->parent == ax->pseudo[q]->parent &&
                        C->ax[ci].pseudo[k]->depth == ax->pseudo[q]->depth)
                        rd[ax->pseudo[q]->gindex] = cc[C->ax[ci].pseudo[k]->gindex];
            ax->canon_root = C->ax[ci].canon_root;
            from_depth = pd;
        }
    }
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
    Num *gtarget = xcalloc(total + 2, sizeof *gtarget);
    for (int depth = from_depth; depth < maxdepth; depth++) {
        size_t np = depth < 0 ? 1 : d->nmembers;
        inflated_targets(en, A, ax, ai, depth, start, kids, ex, rd, gtarget);
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
            Num target = p ? rd[p->gindex] : ax->canon_root;
            int k = 0; /* the split level whose parents are at this depth */
            while (k < ax->nsl && (k ? ax->sl[k - 1] : -1) != depth)
                k++;
            if (k < ax->nsl && al_adjusts(A, ax, k, p, ADJ_OVERASSIGN)) /* over-assigned */
                target = gtarget[p ? (size_t)p->gindex : total];
            largest_remainder(A->step, kex, kout, n, target);
            for (size_t i = 0; i < n; i++)
                rd[kids[from + i]->gindex] = kout[i];
        }
    }
    free(start);
    free(gtarget);
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
            crank[nfrac] = (uint64_t)((fr.v + 500000) / 1000000); /* remainder in 1e-6 steps */
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
    u128 quot = 0, rem = 0;
    for (int bit = 127 + 96; bit >= 0; bit--) { /* long division of (a << 96) by b */
        rem = (rem << 1) | (bit >= 96 ? (a >> (bit - 96)) & 1 : 0);
        quot <<= 1;
        if (rem >= b) {
            rem -= b;
            quot |= 1;
        }
    }
    *q = quot;
    return true;
}

/* x * q / 2^96, rounded half-even to 12 decimals; false on overflow. */
static bool mul_share(Num x, u128 q, bool neg, Num *out)
{
    u128 a = (u128)(x.v < 0 ? -x.v : x.v);
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
        Num *leaf = xcalloc(nl ? nl : 1, sizeof *leaf);
        u128 *frac = xcalloc(nl ? nl : 1, sizeof *frac);
        bool *fneg = xcalloc(nl ? nl : 1, sizeof *fneg), *fok = xcalloc(nl ? nl : 1, sizeof *fok);
        Member *coord[ALLOC_MAX_AXES];
        Ctx ctx = {coord, i};
        for (size_t c = 0; c < n && rc == 0; c++) {
            if (c == 0 || ax->depends) {
                al_decode(A, i, c, coord);
                rc = al_eval_axis(en, A, ax, &ctx, A->root, val, leaf);
                for (size_t j = 0; j < nl && !zero; j++) /* the axis's shares */
                    fok[j] = share_bits(leaf[j], A->root, &frac[j], &fneg[j]);
            }
            for (size_t j = 0; j < nl && rc == 0; j++) {
                Num t;
                if (i == 0)
                    next[j] = leaf[j];
                else if (zero)
                    next[c * nl + j] = NUM_ZERO;
                else if (fok[j] ? !mul_share(cur[c], frac[j], fneg[j], &next[c * nl + j])
                                : (num_mul(cur[c], leaf[j], &t) != NUM_OK ||
                                   num_div(t, A->root, &next[c * nl + j]) != NUM_OK))
                    rc = al_num_err(en, A->metric->name_loc, NUM_OVERFLOW);
            }
        }
        free(val);
        free(leaf);
        free(frac);
        free(fneg);
        free(fok);
        free(cur);
        cur = next;
        n *= nl;
    }
    A->ncells = n;
    A->exact = cur;
    return rc;
}
