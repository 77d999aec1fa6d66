/* derived.c -- derived metrics (`metric M = EXPR` without a target or split
 * of its own).  An additive one (its expression is money or a count) is an
 * allocation of its own: its joint cells are the cells of the dimensions
 * all its additive components are split by (each at the shallowest of
 * their finest levels), each its formula on the components' exact values
 * there, and it is rounded and tabled like any allocation.  A ratio is its
 * formula evaluated where it is shown (tables.c).  Nothing here prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/alloc_int.h"

bool al_is_derived(Engine *en, const Node *metric)
{
    const Symbols *s = en->p->sym;
    return metric->op == MK_DERIVED && !strmap_get(&s->targets, metric->name) &&
           !strmap_get(&s->targets_from, metric->name) && !alloc_has_splits(en, metric);
}

bool alloc_is_ratio(Engine *en, const Node *metric)
{
    return al_is_derived(en, metric) && !al_additive(metric);
}

bool al_additive(const Node *metric)
{
    Kind k = sym_value_kind(metric);
    return (k == K_MONEY || k == K_COUNT) &&
           !(metric->op == MK_DERIVED && sym_uses_working_days(metric->c));
}

/* ---- the dimensions a derived metric has --------------------------------------------------- */

/* Keeps the dimensions A shares with the set, each at the shallower level. */
static void meet(DimSet *ds, const Alloc *A)
{
    if (!ds->any) {
        for (int i = 0; i < A->nax && i < ALLOC_MAX_AXES; i++) {
            ds->dim[i] = A->ax[i].dim;
            ds->depth[i] = A->ax[i].sl[A->ax[i].nsl - 1];
        }
        ds->n = A->nax;
        ds->any = true;
        return;
    }
    int k = 0;
    for (int i = 0; i < ds->n; i++) {
        int ai = al_axis_of(A, ds->dim[i]);
        if (ai < 0)
            continue;
        int d = A->ax[ai].sl[A->ax[ai].nsl - 1];
        ds->dim[k] = ds->dim[i];
        ds->depth[k++] = d < ds->depth[i] ? d : ds->depth[i];
    }
    ds->n = k;
}

/* The over-assigning splits of a component, kept in D's own list so that
 * tables of D are cut where the component's tables are (table_cut). */
static void take_overassign(Alloc *D, const Alloc *X)
{
    for (int i = 0; D && i < X->nsplits; i++) {
        const SplitInfo *si = &X->splits[i];
        bool seen = si->adj_kind != ADJ_OVERASSIGN;
        for (int k = 0; k < D->nsplits && !seen; k++)
            seen = D->splits[k].dim == si->dim && D->splits[k].depth == si->depth;
        if (seen)
            continue;
        D->splits = xrealloc(D->splits, (size_t)(D->nsplits + 1) * sizeof *D->splits);
        D->splits[D->nsplits++] = *si;
    }
}

/* A walk through a formula: each let, function and metric once (a
 * formula may name one many times, through many paths), its nesting
 * bounded as evaluation's is. */
typedef struct {
    Engine *en;
    DimSet *ds;
    Alloc *D;
    StrMap seen; /* names of lets, functions and metrics walked */
    int nest;    /* definitions walked into: attributes are read at 0 only */
} Walk;

static int walk(Walk *w, const Node *e);

/* Walks a definition's expression, once. */
static int walk_into(Walk *w, const char *name, const Node *e)
{
    if (strmap_get(&w->seen, name))
        return 0;
    strmap_put(&w->seen, name, (void *)e);
    if (eval_enter(&w->en->ev, e->loc, EVAL_UNITS_DEFINITION) < 0)
        return -1;
    w->nest++;
    int rc = walk(w, e);
    w->nest--;
    eval_leave(&w->en->ev, EVAL_UNITS_DEFINITION);
    return rc;
}

/* A name in a formula: a metric (a component), a let or nothing else. */
static int walk_name(Walk *w, const Node *e)
{
    Engine *en = w->en;
    DimSet *ds = w->ds;
    const Symbols *s = en->p->sym;
    const Node *m = strmap_get(&s->metrics, e->name), *let = strmap_get(&s->lets, e->name);
    if (let)
        return walk_into(w, let->name, let->a);
    if (!m) {
        if (w->nest == 0 && ds->nattrs < 16 && al_attr_dim(en, e->name))
            ds->attrs[ds->nattrs++] = e; /* unit_price: read in each cell */
        return 0;
    }
    if (al_is_derived(en, m) && !al_additive(m))
        return walk_into(w, m->name, m->c); /* a ratio: its own components */
    if (m->op != MK_DERIVED && !strmap_get(&s->targets, m->name) &&
        !strmap_get(&s->targets_from, m->name)) {
        ds->untargeted = m; /* an actuals-only metric: no target to be made of */
        return 0;
    }
    if (strmap_get(&w->seen, m->name))
        return 0;
    strmap_put(&w->seen, m->name, (void *)m);
    Alloc *X = alloc_get(en, m);
    if (!X)
        return -1;
    if (!X->level_metric) {
        meet(ds, X);
        take_overassign(w->D, X);
        if (ds->ncomp < (int)(sizeof ds->comp / sizeof ds->comp[0]))
            ds->comp[ds->ncomp++] = m;
    }
    return 0;
}

/* history.NAME: last year's cells, a component like a metric's. */
static int walk_history(Walk *w, const Node *e)
{
    LastYear *ly = al_last_year_of(w->en, e);
    if (!ly)
        return -1;
    meet(w->ds, al_last_year_cells(ly));
    return 0;
}

/* The components of a formula, through lets, functions and ratios; an
 * explicit cell (revenue[north]) constrains nothing. */
static int walk(Walk *w, const Node *e)
{
    if (!e || e->kind == N_INDEX)
        return 0;
    if (sym_is_history_ref(e))
        return walk_history(w, e);
    if (e->kind == N_NAME)
        return walk_name(w, e);
    if (e->kind == N_CALL) {
        const Builtin *b = eval_builtin(e->name);
        if (b && b->cls == BI_MEMBERS)
            return 0; /* sum(product.unit_price): the same in every cell */
        const Node *fn = strmap_get(&w->en->p->sym->fns, e->name);
        if (fn && walk_into(w, fn->name, fn->b) < 0)
            return -1;
    }
    if (eval_enter(&w->en->ev, e->loc, 1) < 0)
        return -1;
    const Node *kids[] = {e->a, e->b, e->c, e->d};
    int rc = 0;
    for (int i = 0; i < 4 && rc == 0; i++)
        for (const Node *k = kids[i]; k && rc == 0; k = k->next)
            rc = walk(w, k);
    eval_leave(&w->en->ev, 1);
    return rc;
}

/* The dimensions of a formula's components into ds (zeroed first). */
static int walk_formula(Engine *en, const Node *formula, DimSet *ds, Alloc *D)
{
    memset(ds, 0, sizeof *ds);
    Walk w = {en, ds, D, {0}, 0};
    int rc = walk(&w, formula);
    strmap_free(&w.seen);
    return rc;
}

/* ---- the cells ------------------------------------------------------------------------------- */

/* The cuts of component X for the cell grid of D (cut by dcuts, one per
 * axis of D): a dimension D has is cut as D is; one D does not have is
 * summed over, so it is cut above its first over-assigning split, as a
 * table that does not show it. */
static void component_cuts(const Alloc *D, const int *dcuts, const Alloc *X, int *xcuts)
{
    for (int j = 0; j < ALLOC_MAX_AXES; j++)
        xcuts[j] = AL_NO_CUT;
    for (int j = 0; j < X->nax; j++) {
        int i = al_axis_of(D, X->ax[j].dim);
        if (i >= 0) {
            xcuts[j] = dcuts ? dcuts[i] : AL_NO_CUT;
            continue;
        }
        for (int s = 0; s < X->nsplits; s++)
            if (X->splits[s].dim == X->ax[j].dim && X->splits[s].adj_kind == ADJ_OVERASSIGN &&
                X->splits[s].depth - 1 < xcuts[j])
                xcuts[j] = X->splits[s].depth - 1;
    }
}

/* D's leaf for a member of a component at D's level: the member, or a
 * reserve row of D under the same parent at the same depth. */
static int d_leaf(const Axis *ax, const Member *m)
{
    if (!m->pseudo)
        return ax->leaf_of[m->gindex];
    for (int q = 0; q < ax->npseudo; q++)
        if (ax->pseudo[q]->parent == m->parent && ax->pseudo[q]->depth == m->depth)
            return ax->leaf_of[ax->pseudo[q]->gindex];
    return -1;
}

/* D's leaf on axis i for a component's coordinate m there, or -1 (kept
 * back above D's level). */
static int d_cell_axis(const Alloc *D, int i, const Member *m)
{
    const Member *a =
        m->pseudo && m->depth <= D->ax[i].sl[0] ? m : al_ancestor_at(m, D->ax[i].sl[0]);
    return a ? d_leaf(&D->ax[i], a) : -1;
}

/* The same from a factored component: each axis of D takes X's factors
 * summed by D's leaf, and a cell of D is the part the other axes keep
 * times each of its leaves' sums over the target; NULL on overflow. */
static Num *factor_sums_of(const Alloc *D, const Alloc *X, const int *xa)
{
    bool skip[ALLOC_MAX_AXES] = {false};
    Num rest, *agg[ALLOC_MAX_AXES] = {NULL};
    for (int i = 0; i < D->nax; i++)
        skip[xa[i]] = true;
    bool ok = al_factor_rest(X, skip, &rest);
    for (int i = 0; ok && i < D->nax; i++) {
        const Axis *xx = &X->ax[xa[i]], *dx = &D->ax[i];
        agg[i] = xcalloc(dx->nleaves + 1, sizeof *agg[i]);
        for (size_t j = 0; ok && j < xx->nleaves; j++) {
            int leaf = d_cell_axis(D, i, xx->leaves[j]);
            if (leaf >= 0)
                ok = num_add(agg[i][leaf], X->factor[xa[i]][j], &agg[i][leaf]) == NUM_OK;
        }
    }
    Num *sum = ok ? xcalloc(D->ncells + 1, sizeof *sum) : NULL;
    size_t at[ALLOC_MAX_AXES] = {0}; /* cell c's leaf on each axis of D, the last fastest */
    for (size_t c = 0; ok && c < D->ncells; c++) {
        Num v = rest;
        for (int i = 0; ok && i < D->nax; i++)
            ok = al_scale(v, agg[i][at[i]], X->root, &v);
        sum[c] = v;
        for (int i = D->nax - 1; i >= 0; i--) {
            at[i] = at[i] + 1 < D->ax[i].nleaves ? at[i] + 1 : 0;
            if (at[i])
                break;
        }
    }
    for (int i = 0; i < D->nax; i++)
        free(agg[i]);
    if (!ok) {
        free(sum);
        return NULL;
    }
    return sum;
}

/* Per axis of D: X's leaves of its dimension -> D's leaf (-1: kept back
 * above D's level). */
static void leaf_maps(const Alloc *D, const Alloc *X, const int *xa, int **map)
{
    for (int i = 0; i < D->nax; i++) {
        const Axis *xx = &X->ax[xa[i]];
        map[i] = xmalloc((xx->nleaves + 1) * sizeof *map[i]);
        for (size_t j = 0; j < xx->nleaves; j++)
            map[i][j] = d_cell_axis(D, i, xx->leaves[j]);
    }
}

/* How many consecutive cells of X fall into one cell of D: X's axes after
 * the last one D has vary fastest and are summed over. */
static size_t run_of(const Alloc *X, const int *xa, int nxa, int *last)
{
    *last = -1;
    for (int i = 0; i < nxa; i++)
        if (xa[i] > *last)
            *last = xa[i];
    size_t run = 1;
    for (int j = *last + 1; j < X->nax; j++)
        run *= X->ax[j].nleaves ? X->ax[j].nleaves : 1;
    return run;
}

/* Adds |v| to *total: false when the sum of magnitudes passes the Num
 * range, so that some sum of cells in some order might overflow. */
static inline bool add_magnitude(unsigned __int128 *total, __int128 v)
{
    const unsigned __int128 max = (((unsigned __int128)1) << 127) - 1;
    unsigned __int128 a = v < 0 ? -(unsigned __int128)v : (unsigned __int128)v;
    if (a > max - *total)
        return false;
    *total += a;
    return true;
}

/* X's exact cells summed per leaf combination of its axes 0..last (one
 * sum for last -1; the cells themselves for X's last axis), or NULL.
 * The sums are kept only while the sum of the cells' magnitudes fits the
 * Num range (X->sums_safe), found on the first pass over the cells: then
 * no sum of cells in any order or grouping overflows, and adding run sums
 * gives the sums cell-by-cell addition gives.  Made once per last, from a
 * finer kept array when there is one. */
static const Num *kept_sums(Alloc *X, int last)
{
    if (X->sums_safe < 0)
        return NULL;
    bool whole = last == X->nax - 1;
    if (whole && X->sums_safe)
        return X->exact;
    Num **slot = &X->run_sums[last + 1];
    if (*slot)
        return *slot;
    size_t n = 1; /* an axis without leaves counts one, as in ncells */
    for (int j = 0; !whole && j <= last; j++)
        n *= X->ax[j].nleaves ? X->ax[j].nleaves : 1;
    int from = last + 1; /* the finest kept array's last axis, else the cells */
    while (from < X->nax && !X->run_sums[from + 1])
        from++;
    const Num *in = from < X->nax ? X->run_sums[from + 1] : X->exact;
    size_t nin = from < X->nax ? 1 : X->ncells;
    for (int j = 0; from < X->nax && j <= from; j++)
        nin *= X->ax[j].nleaves ? X->ax[j].nleaves : 1;
    Num *out = whole ? NULL : xcalloc(n + 1, sizeof *out);
    size_t per = whole ? nin : nin / n;
    unsigned __int128 total = 0;
    bool safe = true;
    for (size_t r = 0, k = 0; safe && r < (whole ? 1 : n); r++) {
        Num acc = NUM_ZERO;
        for (size_t e = k + per; safe && k < e; k++) {
            safe = X->sums_safe || add_magnitude(&total, in[k].v);
            if (safe)
                acc.v += in[k].v; /* no overflow while safe */
        }
        if (out)
            out[r] = acc;
    }
    X->sums_safe = safe ? 1 : -1;
    if (!safe || whole) {
        free(out);
        return safe ? X->exact : NULL;
    }
    *slot = out;
    return out;
}

void al_kept_sums_free(Alloc *A)
{
    for (int k = 0; k <= ALLOC_MAX_AXES; k++) {
        free(A->run_sums[k]);
        A->run_sums[k] = NULL;
    }
    A->sums_safe = 0;
}

/* The exact values of an additive component summed into D's cells; NULL
 * after reporting.  X's cells are taken a run at a time, each run added
 * into its cell of D cell by cell, in order (the same sums, an overflowing
 * cell skipped as ever); when no sum can overflow (kept_sums), each run's
 * sum is kept and added instead: a plan's tables of a ratio by region,
 * team, rep and the whole plan pass over the cells once. */
static Num *sums_of(Engine *en, const Alloc *D, Alloc *X)
{
    int xa[ALLOC_MAX_AXES], last;
    for (int i = 0; i < D->nax; i++)
        xa[i] = al_axis_of(X, D->ax[i].dim);
    Num *fs = X->factored ? factor_sums_of(D, X, xa) : NULL;
    if (fs)
        return fs;
    if (al_cells(en, X) < 0)
        return NULL;
    Num *sum = xcalloc(D->ncells + 1, sizeof *sum);
    int *map[ALLOC_MAX_AXES];
    leaf_maps(D, X, xa, map);
    size_t run = run_of(X, xa, D->nax, &last);
    const Num *rs = kept_sums(X, last);
    size_t at[ALLOC_MAX_AXES] = {0}; /* the run's leaf on each axis up to last, the last fastest */
    for (size_t c = 0, r = 0; c < X->ncells; c += run, r++) {
        size_t idx = 0, end = X->ncells - c < run ? X->ncells : c + run;
        int i = 0;
        for (; i < D->nax && map[i][at[xa[i]]] >= 0; i++)
            idx = idx * D->ax[i].nleaves + (size_t)map[i][at[xa[i]]];
        if (i == D->nax && rs) {
            sum[idx].v += rs[r].v;
        } else if (i == D->nax) {
            Num acc = sum[idx];
            for (size_t k = c; k < end; k++)
                num_add_inline(acc, X->exact[k], &acc);
            sum[idx] = acc;
        }
        for (int j = last; j >= 0; j--) {
            at[j] = at[j] + 1 < X->ax[j].nleaves ? at[j] + 1 : 0;
            if (at[j])
                break;
        }
    }
    for (int i = 0; i < D->nax; i++)
        free(map[i]);
    return sum;
}

/* A component's allocation as D's cells see it: cut as D is, or (a grid
 * of a table's levels) as the component's own table by those levels. */
static Alloc *component(Engine *en, const Alloc *D, const Node *metric)
{
    Alloc *X = alloc_get(en, metric);
    if (!X || X->level_metric)
        return X;
    const DerivedCtx *dc = en->dctx;
    if (dc && dc->D == D && dc->lv)
        return al_table_alloc(en, X, (Level **)dc->lv, dc->nlv);
    int xcuts[ALLOC_MAX_AXES];
    component_cuts(D, D->asked_cut, X, xcuts);
    return al_alloc_get_cut(en, metric, xcuts);
}

/* A ratio's value at the cell being computed, once per cell: a formula
 * naming a ratio twice (m2 = m1 / m1, m1 = m0 / m0...) is not evaluated
 * again for each mention. */
typedef struct {
    size_t cell;
    Num v;
    bool na; /* it divided by zero (Eval.na) */
} RatioMemo;

static int ratio_in_cell(Engine *en, DerivedCtx *dc, const Node *metric, Num *out)
{
    RatioMemo *m = strmap_get(&dc->ratios, metric->name);
    if (m && m->cell == dc->cell) {
        *out = m->v;
        en->ev.na |= m->na;
        return 0;
    }
    if (eval_enter(&en->ev, metric->name_loc, EVAL_UNITS_DEFINITION) < 0)
        return -1;
    bool was_na = en->ev.na;
    en->ev.na = false;
    Frame top = {0}; /* its formula on the same cell */
    int rc = eval_num(&en->ev, &top, metric->c, out);
    eval_leave(&en->ev, EVAL_UNITS_DEFINITION);
    bool na = en->ev.na;
    en->ev.na = was_na || na;
    if (rc == 0 && !m) {
        m = xmalloc(sizeof *m);
        strmap_put(&dc->ratios, metric->name, m);
    }
    if (rc == 0)
        *m = (RatioMemo){dc->cell, *out, na};
    return rc;
}

int al_derived_value(Engine *en, const Node *metric, Num *out)
{
    DerivedCtx *dc = en->dctx;
    Num *sum = strmap_get(&dc->sums, metric->name);
    if (al_is_derived(en, metric) && !al_additive(metric))
        return ratio_in_cell(en, dc, metric, out);
    Alloc *X = sum ? NULL : component(en, dc->D, metric);
    if (!sum && !X)
        return -1;
    if (X && X->level_metric)
        return al_level_at(en, X, dc->coords, dc->D->nax, out) ? 0 : -1;
    if (!sum) {
        for (int i = 0; i < dc->D->nax; i++)
            if (al_axis_of(X, dc->D->ax[i].dim) < 0) { /* check refuses such a show */
                diag_error(en->p->diags, metric->name_loc, "%s is not split by %s", metric->name,
                           dc->D->ax[i].dim->name);
                return -1;
            }
        if (!(sum = sums_of(en, dc->D, X)))
            return -1;
        strmap_put(&dc->sums, metric->name, sum);
    }
    *out = sum[dc->cell];
    return 0;
}

int al_derived_history(Eval *e, const Node *ref, Num *out)
{
    Engine *en = e->user;
    DerivedCtx *dc = en->dctx;
    if (!dc) /* the plan as a whole, as a bare metric is its root target: last year's total */
        return alloc_last_year_over(en, ref, NULL, 0, 11, out) < 0 ? -1 : 0;
    LastYear *ly = al_last_year_of(en, ref);
    if (!ly)
        return -1;
    char key[300];
    snprintf(key, sizeof key, "history.%s", ref->str);
    Num *sum = strmap_get(&dc->sums, key);
    if (!sum) {
        const Alloc *H = al_last_year_cells(ly);
        for (int i = 0; i < dc->D->nax; i++)
            if (al_axis_of(H, dc->D->ax[i].dim) < 0) { /* check refuses such a show */
                diag_error(en->p->diags, ref->loc, "history '%s' has no column for %s", ref->str,
                           dc->D->ax[i].dim->name);
                return -1;
            }
        if (!(sum = sums_of(en, dc->D, (Alloc *)H)))
            return -1;
        strmap_put(&dc->sums, key, sum);
    }
    *out = sum[dc->cell];
    return 0;
}

/* Frees a map and the values it holds (sums, ratio memos). */
static void free_sums(StrMap *sums)
{
    for (size_t i = 0; i < sums->count; i++)
        free(sums->slots[i].val);
    strmap_free(sums);
}

int al_eval_grid(Engine *en, const Node *metric, Alloc *G, Level *const *lv, int nlv, Num *out,
                 bool *na)
{
    return al_eval_cells(en, metric, G, lv, nlv, 0, G->ncells, out, na);
}

int al_eval_cells(Engine *en, const Node *metric, Alloc *G, Level *const *lv, int nlv, size_t c0,
                  size_t c1, Num *out, bool *na)
{
    Member *coords[ALLOC_MAX_AXES + 1];
    DerivedCtx dc = {G, coords, 0, {0}, {0}, lv, nlv, en->dctx};
    Member **saved_cell = en->ev.cell;
    int saved_n = en->ev.ncell, rc = 0;
    bool na_div = en->ev.na_div, was_na = en->ev.na;
    en->dctx = &dc;
    en->ev.cell = coords;
    en->ev.ncell = G->nax;
    en->ev.na_div = na != NULL;
    for (size_t c = c0; c < c1 && rc == 0; c++) {
        al_decode(G, G->nax, c, coords);
        dc.cell = c;
        en->ev.na = false;
        Frame top = {0};
        rc = eval_num(&en->ev, &top, metric->c, &out[c]);
        if (na && (na[c] = en->ev.na))
            out[c] = NUM_ZERO;
    }
    en->dctx = dc.outer;
    en->ev.cell = saved_cell;
    en->ev.ncell = saved_n;
    en->ev.na_div = na_div;
    en->ev.na = was_na;
    free_sums(&dc.sums);
    free_sums(&dc.ratios);
    return rc;
}

/* Every cell: the formula with the components' values for it. */
static int derived_cells(Engine *en, Alloc *D)
{
    D->exact = xcalloc(D->ncells + 1, sizeof *D->exact);
    if (al_eval_grid(en, D->metric, D, NULL, 0, D->exact, NULL) < 0)
        return -1;
    D->root = NUM_ZERO;
    for (size_t c = 0; c < D->ncells; c++)
        if (num_add(D->root, D->exact[c], &D->root) != NUM_OK)
            return al_num_err(en, D->metric->c->loc, NUM_OVERFLOW);
    return 0;
}

Alloc *al_level_grid(Engine *en, const Node *metric, Level *const *lv, int n)
{
    Alloc *G = xcalloc(1, sizeof *G);
    G->metric = metric;
    G->ncells = 1;
    for (int k = 0; k < n && k < ALLOC_MAX_AXES; k++) {
        al_plain_axis(en, &G->ax[G->nax], lv[k]->dim, lv[k]->depth);
        G->ncells *= G->ax[G->nax].nleaves ? G->ax[G->nax].nleaves : 1;
        G->nax++;
    }
    for (int k = 0; k < ALLOC_MAX_AXES; k++)
        G->asked_cut[k] = AL_NO_CUT;
    return G;
}

void al_level_grid_free(Alloc *G)
{
    free(G); /* its axes borrow the engine's leaf sets */
}

int al_derived_dims(Engine *en, const Node *metric, DimSet *ds)
{
    return walk_formula(en, metric->c, ds, NULL);
}

/* Borrows the leaves of a component's axis that keeps reserve rows at D's
 * level, so that D's cells hold them too (the component keeps them). */
static void borrow_reserves(Engine *en, Alloc *D, const DimSet *ds)
{
    for (int i = 0; i < D->nax; i++) {
        Axis *ax = &D->ax[i];
        for (int k = 0; k < ds->ncomp && !ax->npseudo; k++) {
            const Alloc *X = component(en, D, ds->comp[k]);
            int j = X && !X->level_metric ? al_axis_of(X, ax->dim) : -1;
            const Axis *xa = j >= 0 ? &X->ax[j] : NULL;
            if (!xa || !xa->npseudo || xa->sl[xa->nsl - 1] != ax->sl[0])
                continue;
            ax->leaves = xa->leaves;
            ax->nleaves = xa->nleaves;
            ax->leaf_of = xa->leaf_of;
            ax->pseudo = xa->pseudo;
            ax->npseudo = xa->npseudo;
        }
    }
}

/* D's axes: one per dimension its additive components share, each at the
 * shallowest of their levels (a cut allocation keeps its levels and only
 * drops the over-assignment below the cut, as the components' do). */
static void derived_axes(Engine *en, Alloc *D, const DimSet *ds)
{
    for (int i = 0; i < ds->n; i++)
        al_plain_axis(en, &D->ax[D->nax++], ds->dim[i], ds->depth[i]);
    borrow_reserves(en, D, ds);
    D->ncells = 1;
    for (int i = 0; i < D->nax; i++)
        D->ncells *= D->ax[i].nleaves ? D->ax[i].nleaves : 1;
}

int al_derived_alloc(Engine *en, Alloc *D)
{
    DimSet ds;
    if (walk_formula(en, D->metric->c, &ds, D) < 0)
        return -1;
    if (al_cell_attrs(en, D->metric, &ds) < 0)
        return -1;
    derived_axes(en, D, &ds);
    if (ds.nattrs && al_cell_attr_reserves(en, D, &ds) < 0)
        return -1;
    if (en->check_only)
        return 0; /* check: the axes only, as for split metrics */
    if (D->ncells > en->max_cells) {
        diag_error(en->p->diags, D->metric->name_loc, "%s would have more than %zu cells",
                   D->metric->name, en->max_cells);
        return -1;
    }
    return derived_cells(en, D);
}

/* ---- exact sums per member and month (what ratios are made of) ---------------------------- */

/* A metric's exact values per member of a level and fiscal month, as its
 * table by that level and month sees them; kept by the engine. */
struct ExactMonths {
    const Node *metric;
    const Level *lv;
    Num *v; /* [member index at lv (one row for the plan)][12] */
    struct ExactMonths *next;
};

/* Spreads v over the months of a time member (or the year: tm NULL), the
 * last month taking what the equal parts leave, so that they add up. */
static void spread_months(Num *row, const Member *tm, Num v)
{
    int from = 0, n = 12;
    if (tm && tm->depth > 0) {
        n = tm->depth == 3 ? 1 : tm->depth == 2 ? 3 : 6;
        from = tm->index * n;
    }
    Num part = v, left = v;
    if (n > 1)
        num_div(v, num_from_int(n), &part);
    for (int i = 0; i < n - 1; i++) {
        num_add(row[from + i], part, &row[from + i]);
        num_sub(left, part, &left);
    }
    num_add(row[from + n - 1], left, &row[from + n - 1]);
}

static void fill_months(ExactMonths *em, const Alloc *X)
{
    int ta = -1, ma = -1;
    for (int i = 0; i < X->nax; i++) {
        if (X->ax[i].dim->is_time)
            ta = i;
        else if (em->lv && X->ax[i].dim == em->lv->dim)
            ma = i;
    }
    Member *coord[ALLOC_MAX_AXES];
    for (size_t c = 0; c < X->ncells; c++) {
        al_decode(X, X->nax, c, coord);
        if (ta >= 0 && coord[ta]->pseudo)
            continue; /* a reserve of time is in no month */
        const Member *m = ma >= 0 ? al_ancestor_at(coord[ma], em->lv->depth) : NULL;
        if (em->lv && (!m || m->pseudo))
            continue; /* kept back above the level, or not split by it */
        Num *row = &em->v[(size_t)(m ? m->index : 0) * 12];
        spread_months(row, ta >= 0 ? coord[ta] : NULL, X->exact[c]);
    }
}

static ExactMonths *exact_months(Engine *en, const Node *metric, const Level *lv)
{
    for (ExactMonths *em = en->exact_months; em; em = em->next)
        if (em->metric == metric && em->lv == lv)
            return em;
    Alloc *X = alloc_get(en, metric);
    if (!X || X->level_metric)
        return NULL;
    Level *shown[2] = {(Level *)lv, &en->p->sym->time->levels[3]};
    Alloc *Xt = lv ? al_table_alloc(en, X, shown, 2) : al_table_alloc(en, X, shown + 1, 1);
    if (!Xt || al_cells(en, Xt) < 0)
        return NULL;
    ExactMonths *em = xcalloc(1, sizeof *em);
    em->metric = metric;
    em->lv = lv;
    em->v = xcalloc((lv ? lv->dim->nmembers : 1) * 12 + 1, sizeof *em->v);
    fill_months(em, Xt);
    em->next = en->exact_months;
    en->exact_months = em;
    return em;
}

int alloc_exact_over(Engine *en, const Node *metric, const Member *m, int from, int to, Num *out)
{
    const Level *lv = m ? &m->dim->levels[m->depth] : NULL;
    ExactMonths *em = exact_months(en, metric, lv);
    if (!em)
        return -1;
    const Num *row = &em->v[(size_t)(m ? m->index : 0) * 12];
    *out = NUM_ZERO;
    for (int k = from; k <= to && k < 12; k++)
        if (k >= 0 && num_add(*out, row[k], out) != NUM_OK)
            return al_num_err(en, metric->name_loc, NUM_OVERFLOW);
    return 0;
}

void al_exact_months_free(Engine *en)
{
    for (ExactMonths *em = en->exact_months, *next; em; em = next) {
        next = em->next;
        free(em->v);
        free(em);
    }
    en->exact_months = NULL;
}
