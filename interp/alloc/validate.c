/* validate.c -- what `check` asks of the engine beyond the splits: that a
 * metric can be shown by the levels a show, a scorecard or a review asks
 * for (from its axes, without computing a cell), and that every derived
 * metric evaluates at every level it can be shown at.  So a plan `check`
 * accepts does not fail at `run`.  Nothing here prints a table. */
#include <string.h>

#include "alloc/alloc_int.h"

/* The level is one the dimension set reaches (down to its depth). */
static bool reaches(const DimSet *ds, const Level *lv)
{
    for (int i = 0; i < ds->n; i++)
        if (ds->dim[i] == lv->dim)
            return lv->depth <= ds->depth[i];
    return false;
}

static int not_shown(Engine *en, const Node *metric, const DimSet *ds, const Level *lv,
                     const Node *at)
{
    Diags *d = en->p->diags;
    diag_error(d, at->loc, "%s cannot be shown by %s", metric->name, lv->name);
    for (int i = 0; i < ds->n; i++)
        if (ds->dim[i] == lv->dim) {
            diag_note_plain(d, "what %s is made of is split by %s only down to %s", metric->name,
                            lv->dim->name, al_level_of(lv->dim, ds->depth[i])->name);
            return -1;
        }
    diag_note_plain(d, "not every metric %s is made of is split by %s", metric->name,
                    lv->dim->name);
    return -1;
}

/* A target per member of lv needs the metric split down to lv (as measure/
 * reports it at run). */
static int no_targets(Engine *en, const Alloc *A, const Level *lv, int ai, const Node *at)
{
    Diags *d = en->p->diags;
    diag_error(d, at->loc, "'%s' has no target per %s", A->metric->name, lv->name);
    if (ai < 0)
        diag_note_plain(d, "it is not split by %s; add a split such as 'split %s by %s ...'",
                        lv->dim->name, A->metric->name, lv->name);
    else
        diag_note_plain(d, "its splits of %s stop at %s", lv->dim->name,
                        al_level_of(lv->dim, A->ax[ai].sl[A->ax[ai].nsl - 1])->name);
    return -1;
}

/* A split metric: each level on one of its axes, no deeper than its splits. */
static int alloc_levels(Engine *en, Alloc *A, Level *const *lv, int nlv, const Node *at,
                        AllocAsk ask)
{
    for (int k = 0; k < nlv; k++) {
        int ai = al_axis_of(A, lv[k]->dim);
        if (ask == ALLOC_ASK_TARGETS && (ai < 0 || lv[k]->depth > A->ax[ai].sl[A->ax[ai].nsl - 1]))
            return no_targets(en, A, lv[k], ai, at);
        if (ai < 0) {
            diag_error(en->p->diags, at->loc, "%s is not split by %s", A->metric->name,
                       lv[k]->name);
            diag_note_plain(en->p->diags, "add 'split %s by %s ...'", A->metric->name, lv[k]->name);
            return -1;
        }
        const Axis *ax = &A->ax[ai];
        if (lv[k]->depth > ax->sl[ax->nsl - 1]) {
            diag_error(en->p->diags, at->loc, "%s is split by %s only down to %s", A->metric->name,
                       lv[k]->dim->name, al_level_of(lv[k]->dim, ax->sl[ax->nsl - 1])->name);
            return -1;
        }
    }
    return 0;
}

int alloc_check_levels(Engine *en, const Node *metric, Level *const *lv, int nlv, const Node *at,
                       AllocAsk ask)
{
    if (al_is_derived(en, metric) && !al_additive(metric)) {
        DimSet ds;
        if (al_derived_dims(en, metric, &ds) < 0)
            return -1;
        if (ds.untargeted) /* as run reports it */
            return alloc_get(en, ds.untargeted) ? 0 : -1;
        for (int k = 0; k < nlv; k++)
            if (ds.any && !reaches(&ds, lv[k]))
                return not_shown(en, metric, &ds, lv[k], at);
        return 0;
    }
    Alloc *A = alloc_get(en, metric);
    if (!A)
        return -1;
    return A->level_metric ? 0 : alloc_levels(en, A, lv, nlv, at, ask);
}

/* A ratio's one-level table at every level it reaches, and the plan. */
static int check_ratio(Engine *en, const Node *metric)
{
    DimSet ds;
    if (al_derived_dims(en, metric, &ds) < 0)
        return -1;
    if (ds.untargeted)
        return 0; /* shown nowhere: a show of it is reported where it is asked */
    Arena arena = {0};
    int rc = 0;
    for (int i = 0; i < ds.n && rc == 0; i++)
        for (int depth = 0; depth <= ds.depth[i] && rc == 0; depth++) {
            Node *show = ast_new(&arena, N_SHOW, metric->loc),
                 *l = ast_new(&arena, N_NAME, metric->loc);
            show->op = SHOW_METRIC;
            show->name = metric->name;
            l->name = ds.dim[i]->levels[depth].name;
            show->a = l;
            Table t;
            rc = alloc_table(en, show, &arena, &t);
        }
    arena_free(&arena);
    return rc;
}

int alloc_check_derived(Engine *en)
{
    int rc = 0;
    for (Unit *u = en->p->units; u; u = u->next)
        for (Node *m = u->items; m; m = m->next) {
            if (m->kind != N_METRIC || strmap_get(&en->p->sym->metrics, m->name) != m ||
                !al_is_derived(en, m))
                continue;
            DimSet ds;
            if (al_derived_dims(en, m, &ds) < 0)
                rc = -1;
            else if (!ds.untargeted &&
                     (al_additive(m) ? !alloc_get(en, m) : check_ratio(en, m) < 0))
                rc = -1;
        }
    return rc;
}
