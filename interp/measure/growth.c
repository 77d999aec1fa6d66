/* growth.c -- last year in reviews (SPEC §9, §12): a review's growth(M)
 * (the actual to the as-of month against the same months of last year in
 * the history), and history.NAME inside a derived metric measured for a
 * member and months (metric yoy = revenue / history.revenue in a status).
 * Last year's values come from the engine (alloc_last_year_over). */
#include "measure/measure.h"

int ms_hist_hook(Eval *e, const Node *ref, Num *out)
{
    Measure *ms = e->user;
    if (ms->d_actual < 0) {
        diag_error(ms->p->diags, ref->loc,
                   "'history.%s' is last year's value of a cell: no cell here", ref->name);
        return -1;
    }
    int rc = alloc_last_year_over(ms->en, ref, ms->d_member, ms->d_from, ms->d_to, out);
    if (rc > 0)
        e->na = true; /* the history has no column for the member's level: n/a */
    return rc < 0 ? -1 : 0;
}

const Level *ms_growth_level(Measure *ms, const Node *item, const Level *lv, bool *coarser)
{
    *coarser = false;
    if (!lv)
        return NULL;
    int depth = alloc_last_year_depth(ms->en, item, lv->dim);
    if (depth >= lv->depth || depth == -2)
        return lv;
    *coarser = true;
    return depth < 0 ? NULL : &lv->dim->levels[depth];
}

int ms_growth(Measure *ms, const Node *item, const Member *m, const Period *pd, Growth *g)
{
    const Node *metric = strmap_get(&ms->p->sym->metrics, item->name);
    g->na = 0;
    int ra = ms_actual(ms, metric, m, pd->from, pd->last, item, &g->actual);
    int rl = ra < 0 ? -1 : alloc_last_year_over(ms->en, item, m, pd->from, pd->last, &g->last);
    if (ra < 0 || rl < 0)
        return -1;
    g->na = (ra ? MS_NA_ACTUAL : 0) | (rl ? MS_NA_TARGET : 0);
    if (g->na || num_is_zero(g->last)) {
        g->na |= MS_NA_SCORE; /* nothing to divide by: no growth */
        g->growth = NUM_ZERO;
        return 0;
    }
    Num q;
    NumStatus st = num_div(g->actual, g->last, &q);
    if (st == NUM_OK)
        st = num_sub(q, NUM_ONE, &g->growth);
    if (st != NUM_OK)
        return diag_arith_fault(ms->p->diags, item->loc, st, g->actual, g->last);
    return 0;
}
