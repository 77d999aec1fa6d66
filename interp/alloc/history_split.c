/* history_split.c -- a target from last year split below the history's
 * levels (SPEC §9): with a history per region and month, `target revenue =
 * 110% * history.sales` and `split revenue by rep equally` give each rep
 * of a region its share of the region's cell, month by month.
 *
 * The shares are the metric's splits on a whole (an allocation of its own,
 * made here and freed): each member's part of that whole, over the part of
 * every member under the same cell of last year.  Only splits that share
 * can apply (equally, weights, proportional to, like, percents and rest),
 * below the history's level of their dimension and not by time: the
 * history gives the rest. */
#include <stdlib.h>
#include <string.h>

#include "alloc/alloc_int.h"

/* What the shares are taken from: a whole of a million, so that twelve
 * decimals leave every share exact to well below a cent of any cell. */
#define SHARE_WHOLE 1000000

static int refuse(Engine *en, const SplitInfo *si, const char *why)
{
    diag_error(en->p->diags, si->node->loc,
               "'%s' has a target per cell from last year: this split cannot apply (%s)",
               si->node->name, why);
    diag_note_plain(en->p->diags, "split below the history's levels by shares: equally, weights, "
                                  "proportional to, like, or percents and rest");
    return -1;
}

/* A split of such a target: below the history's level, by shares. */
static int split_allowed(Engine *en, const Alloc *H, const SplitInfo *si)
{
    int hi = al_axis_of(H, si->dim);
    if (si->dim->is_time)
        return refuse(en, si, "its cells are last year's months already");
    if (hi >= 0 && si->depth <= H->ax[hi].sl[0])
        return refuse(en, si, "the history gives that level: split below it");
    if (si->adj_kind)
        return refuse(en, si, "no over-assignment or reserve");
    if (si->spec->kind == N_SPEC_MAP)
        for (const Node *e = si->spec->a; e; e = e->next)
            if (e->b->kind != N_REST && !al_share_expr(e->b))
                return refuse(en, si, "an amount: give percents and rest");
    return 0;
}

/* `split METRIC by month equally` first, so that the shares are taken
 * month by month (members who start or end take none where they are not
 * active, their siblings theirs); fake holds its three nodes. */
static void by_month_first(Engine *en, Alloc *B, Node *fake)
{
    Dim *t = en->p->sym->time;
    fake[0] = (Node){.kind = N_SPLIT,
                     .loc = B->metric->name_loc,
                     .name = B->metric->name,
                     .a = &fake[1],
                     .c = &fake[2]};
    fake[1] = (Node){.kind = N_NAME, .loc = B->metric->name_loc, .name = t->levels[3].name};
    fake[2] = (Node){.kind = N_SPEC_EQUAL, .loc = B->metric->name_loc};
    SplitInfo si = {.node = &fake[0], .spec = &fake[2], .dim = t, .depth = 3};
    B->splits = xrealloc(B->splits, (size_t)(B->nsplits + 1) * sizeof *B->splits);
    memmove(B->splits + 1, B->splits, (size_t)B->nsplits * sizeof *B->splits);
    B->splits[0] = si;
    B->nsplits++;
}

/* The metric's splits on a whole: B's cells are the shares' numerators.
 * Made in full in check too, since the target's cells are. */
static int shares(Engine *en, Alloc *B, const Node *metric, const Alloc *H, Node *fake)
{
    B->metric = metric;
    B->step = al_metric_step(en, metric);
    B->unit = sym_value_kind(metric) == K_MONEY ? sym_unit(en->p->sym) : NULL;
    B->root = num_from_int(SHARE_WHOLE);
    for (int i = 0; i < ALLOC_MAX_AXES; i++)
        B->asked_cut[i] = AL_NO_CUT;
    if (al_collect_splits(en, B) < 0)
        return -1;
    for (int i = 0; i < B->nsplits; i++)
        if (split_allowed(en, H, &B->splits[i]) < 0)
            return -1;
    by_month_first(en, B, fake);
    if (al_build_axes(en, B, NULL) < 0)
        return -1;
    bool check_only = en->check_only;
    en->check_only = false;
    int rc = al_compute(en, B);
    if (rc == 0)
        rc = al_cells(en, B);
    en->check_only = check_only;
    return rc;
}

/* A's axes: each dimension at B's leaves, else at the history's level;
 * then the months. */
static void split_axes(Engine *en, Alloc *A, const Alloc *B, const Alloc *H)
{
    const Symbols *s = en->p->sym;
    A->nax = 0;
    A->ncells = 1;
    for (int i = 0; i < s->ndims && A->nax < ALLOC_MAX_AXES - 1; i++) {
        Dim *d = s->dims[i];
        int j = al_axis_of(B, d), h = al_axis_of(H, d);
        if (d == s->time || (j < 0 && h < 0))
            continue;
        int depth = j >= 0 ? B->ax[j].sl[B->ax[j].nsl - 1] : H->ax[h].sl[0];
        al_plain_axis(en, &A->ax[A->nax++], d, depth);
    }
    al_plain_axis(en, &A->ax[A->nax++], s->time, 3);
    for (int i = 0; i < A->nax; i++)
        A->ncells *= A->ax[i].nleaves ? A->ax[i].nleaves : 1;
}

/* The index of X's cell holding members coord (one per axis of the grid
 * whose axes are dims), each taken at X's level; (size_t)-1 when one is
 * above it.  Axes of X whose dimension is not among dims count as leaf 0
 * when skip is set (a key ignoring them), else make it (size_t)-1. */
static size_t cell_in(const Alloc *X, Member *const *coord, Dim *const *dims, int n, bool skip)
{
    size_t c = 0;
    for (int i = 0; i < X->nax; i++) {
        const Axis *ax = &X->ax[i];
        const Member *m = NULL;
        for (int k = 0; k < n && !m; k++)
            if (dims[k] == ax->dim)
                m = al_ancestor_at(coord[k], ax->sl[ax->nsl - 1]);
        if (!m && !skip)
            return (size_t)-1;
        int leaf = m ? ax->leaf_of[m->gindex] : 0;
        if (leaf < 0)
            return (size_t)-1;
        c = c * ax->nleaves + (size_t)leaf;
    }
    return c;
}

/* The sum of B's cells under each cell of last year (the dimensions B
 * shares with it, the others at leaf 0): the shares' denominators. */
static Num *group_sums(const Alloc *B, const Alloc *H)
{
    Num *g = xcalloc(H->ncells + 1, sizeof *g);
    Member *coord[ALLOC_MAX_AXES];
    Dim *dims[ALLOC_MAX_AXES];
    for (int j = 0; j < B->nax; j++)
        dims[j] = B->ax[j].dim;
    for (size_t b = 0; b < B->ncells; b++) {
        al_decode(B, B->nax, b, coord);
        size_t key = cell_in(H, coord, dims, B->nax, true);
        if (key != (size_t)-1)
            num_add(g[key], B->exact[b], &g[key]);
    }
    return g;
}

static int no_share(Engine *en, const Alloc *A, Member *const *coord)
{
    Buf b = {0};
    for (int i = 0; i < A->nax; i++)
        buf_printf(&b, "%s%s", i ? ", " : "", coord[i]->name);
    diag_error(en->p->diags, A->metric->name_loc,
               "'%s' has last year's value at [%s], and no member below it gets a share",
               A->metric->name, buf_cstr(&b));
    diag_note_plain(en->p->diags, "the splits give every member there 0: weights or members");
    buf_free(&b);
    return -1;
}

/* A cell: last year's cell over it times its share of the cell; *hc gets
 * that cell of last year, or (size_t)-1 when it shares nothing. */
static int one_cell(Engine *en, Alloc *A, const Alloc *B, const Alloc *H, const Num *coarse,
                    const Num *g, size_t c, size_t *hc)
{
    *hc = (size_t)-1;
    Member *coord[ALLOC_MAX_AXES];
    Dim *dims[ALLOC_MAX_AXES];
    al_decode(A, A->nax, c, coord);
    for (int i = 0; i < A->nax; i++)
        dims[i] = A->ax[i].dim;
    size_t h = cell_in(H, coord, dims, A->nax, false), b = cell_in(B, coord, dims, A->nax, false);
    Member *keyc[ALLOC_MAX_AXES];
    memcpy(keyc, coord, sizeof keyc);
    for (int i = 0; i < A->nax; i++)
        if (al_axis_of(B, A->ax[i].dim) < 0)
            dims[i] = NULL; /* the key: only the dimensions B shares (the months among them) */
    size_t key = cell_in(H, keyc, dims, A->nax, true);
    A->exact[c] = NUM_ZERO;
    if (h == (size_t)-1 || b == (size_t)-1 || key == (size_t)-1 || num_is_zero(coarse[h]))
        return 0;
    if (num_is_zero(g[key]))
        return no_share(en, A, coord);
    Num prod;
    NumStatus st = num_mul(coarse[h], B->exact[b], &prod);
    if (st == NUM_OK)
        st = num_div(prod, g[key], &A->exact[c]);
    if (!num_is_zero(B->exact[b]))
        *hc = h;
    return st == NUM_OK ? 0 : al_num_err(en, A->metric->name_loc, st);
}

/* Each cell of last year is shared out exactly: the last cell with a share
 * takes what the divisions (twelve decimals) left. */
static int share_out_exactly(Engine *en, Alloc *A, const Alloc *H, const Num *coarse,
                             const size_t *hof)
{
    Num *sum = xcalloc(H->ncells + 1, sizeof *sum);
    size_t *last = xmalloc((H->ncells + 1) * sizeof *last);
    for (size_t h = 0; h < H->ncells; h++)
        last[h] = (size_t)-1;
    for (size_t c = 0; c < A->ncells; c++)
        if (hof[c] != (size_t)-1) {
            num_add(sum[hof[c]], A->exact[c], &sum[hof[c]]);
            last[hof[c]] = c;
        }
    NumStatus st = NUM_OK;
    for (size_t h = 0; h < H->ncells && st == NUM_OK; h++)
        if (last[h] != (size_t)-1) {
            Num left;
            st = num_sub(coarse[h], sum[h], &left);
            if (st == NUM_OK)
                st = num_add(A->exact[last[h]], left, &A->exact[last[h]]);
        }
    free(sum);
    free(last);
    return st == NUM_OK ? 0 : al_num_err(en, A->metric->name_loc, st);
}

int al_split_last_year(Engine *en, Alloc *A, const Alloc *H, const Num *coarse)
{
    Alloc *B = xcalloc(1, sizeof *B);
    Node fake[3];
    int rc = shares(en, B, A->metric, H, fake);
    Num *g = NULL;
    size_t *hof = NULL;
    if (rc == 0) {
        split_axes(en, A, B, H);
        g = group_sums(B, H);
        A->exact = xcalloc(A->ncells + 1, sizeof *A->exact);
        hof = xmalloc((A->ncells + 1) * sizeof *hof);
    }
    for (size_t c = 0; rc == 0 && c < A->ncells; c++)
        rc = one_cell(en, A, B, H, coarse, g, c, &hof[c]);
    if (rc == 0)
        rc = share_out_exactly(en, A, H, coarse, hof);
    free(hof);
    free(g);
    al_alloc_free(B);
    return rc;
}
