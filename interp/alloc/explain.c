/* explain.c -- `--explain METRIC[coords]`: how one cell came about, from
 * the target through every split on the way (with its plan line) to the
 * exact and the rounded value.  It reads the engine's allocations and
 * changes nothing but the engine's caches. */
#include <string.h>

#include "alloc/alloc_int.h"

static void source_ref(Buf *out, const Node *n)
{
    size_t len;
    const char *line = source_line(n->loc.src, n->loc.line, &len);
    while (len > 0 && (*line == ' ' || *line == '\t')) {
        line++;
        len--;
    }
    buf_printf(out, "%s:%d: %.*s", n->loc.src->name, n->loc.line, (int)len, line);
}

static void rule_of(Engine *en, const SplitInfo *si, const Member *m, Buf *out)
{
    switch (ast_split_form(si->spec)) {
    case SPLIT_VALUES:
        for (const Node *e = si->spec->a; e; e = e->next)
            if (sym_lookup_member_in(en->p->sym, e->a, si->dim, NULL) == m) {
                buf_puts(out, e->b->kind == N_REST  ? "the rest"
                              : al_share_expr(e->b) ? "a share"
                                                    : "an amount (locked)");
                return;
            }
        buf_puts(out, "not named: nothing");
        return;
    case SPLIT_WEIGHTS:
        buf_puts(out, "by weight");
        return;
    case SPLIT_PROPORTIONAL:
        buf_puts(out, "in proportion");
        return;
    case SPLIT_EQUALLY:
        buf_puts(out, "an equal part");
        return;
    case SPLIT_SEASONALITY:
        buf_printf(out, "by the seasonality of '%s'", si->spec->name);
        return;
    case SPLIT_LIKE:
        buf_printf(out, "as '%s' is split", si->spec->name);
        return;
    }
}

/* Split level k on the way to m: the member there, its rule, and its value
 * as a share of its parent's (marg: the axis's values for the whole plan);
 * nothing when no split applies. */
static void explain_level(Engine *en, Alloc *A, int ai, int k, const Member *m, const Num *marg,
                          Buf *out)
{
    const Axis *ax = &A->ax[ai];
    const Member *at = al_ancestor_at(m, ax->sl[k]);
    const Member *parent = k ? al_ancestor_at(m, ax->sl[k - 1]) : NULL;
    Ctx none = {NULL, 0, NULL, NULL, false};
    const SplitInfo *si = at ? al_pick_split(A, ax, k, parent, &none) : NULL;
    if (!si)
        return;
    char b1[NUM_BUFSZ], b2[NUM_BUFSZ], b3[NUM_BUFSZ];
    Num pv = parent ? marg[parent->gindex] : A->root, share = NUM_ZERO;
    if (!num_is_zero(pv))
        num_div(marg[at->gindex], pv, &share);
    num_mul(share, num_from_int(100), &share);
    buf_printf(out, "  %s %s: ", al_level_of(ax->dim, ax->sl[k])->name, at->name);
    rule_of(en, si, at, out);
    buf_printf(out, ", %s = %s%% of %s %s\n      ", al_fmtv(A, marg[at->gindex], b1),
               vf_fixed(share, 4, false, b2), parent ? parent->name : A->metric->name,
               al_fmtv(A, pv, b3));
    source_ref(out, si->node);
    buf_putc(out, '\n');
    if (ax->depends)
        buf_printf(out, "      (its shares depend on the cell's other coordinates: start/end or "
                        "'in' scopes; the values above are for the whole plan)\n");
}

/* One coordinate: the path of splits from the whole plan down to m. */
static int explain_axis(Engine *en, Alloc *A, int ai, const Member *m, Buf *out)
{
    Axis *ax = &A->ax[ai];
    const Num *marg = al_marginal(en, A, ai);
    if (!marg)
        return -1;
    for (int k = 0; k < ax->nsl && ax->sl[k] <= m->depth; k++)
        explain_level(en, A, ai, k, m, marg, out);
    if (m->depth > ax->sl[ax->nsl - 1])
        buf_printf(out, "  %s is below the finest split of %s\n", m->name, ax->dim->name);
    return 0;
}

/* Each coordinate's path of splits; which[i] gets its axis (-1: none). */
static int explain_coords(Engine *en, Alloc *A, Member **coords, int n, int *which, Buf *out)
{
    for (int i = 0; i < n; i++) {
        which[i] = al_axis_of(A, coords[i]->dim);
        if (which[i] < 0)
            buf_printf(out, "  %s is not split by %s\n", A->metric->name, coords[i]->dim->name);
        else if (explain_axis(en, A, which[i], coords[i], out) < 0)
            return -1;
    }
    return 0;
}

/* The metric and members of a cell such as revenue[north, Q1]; NULL after
 * reporting. */
static const Node *cell_metric(Engine *en, const Node *cell, Member **coords, int *n)
{
    const Node *mref = cell->kind == N_INDEX ? cell->a : cell;
    const Node *metric = mref->kind == N_NAME ? strmap_get(&en->p->sym->metrics, mref->name) : NULL;
    if (!metric) {
        diag_error(en->p->diags, cell->loc,
                   "--explain needs a metric cell such as revenue[north, Q1]");
        return NULL;
    }
    *n = 0;
    for (const Node *c = cell->kind == N_INDEX ? cell->b : NULL; c && *n < ALLOC_MAX_AXES;
         c = c->next) {
        Member *m = sym_lookup_member(en->p->sym, (Node *)c, en->ev.d);
        if (!m)
            return NULL;
        coords[(*n)++] = m;
    }
    return metric;
}

/* "revenue[north, Q1] = 1,234.00" and the target with its plan line. */
static void explain_head(Engine *en, const Alloc *A, Member **coords, int n, Num value, Buf *out)
{
    const Symbols *s = en->p->sym;
    const char *name = A->metric->name;
    char b[NUM_BUFSZ];
    buf_printf(out, "%s", name);
    for (int i = 0; i < n; i++)
        buf_printf(out, "%s%s", i ? ", " : "[", coords[i]->name);
    buf_printf(out, "%s = %s\n", n ? "]" : "", al_fmtv(A, value, b));
    Node *t = strmap_get(&s->targets, name), *from = strmap_get(&s->targets_from, name);
    buf_printf(out, "  target %s = %s\n      ", name, al_fmtv(A, A->root, b));
    if (t || from)
        source_ref(out, from ? from : t);
    else if (A->metric->op == MK_DERIVED)
        source_ref(out, A->metric); /* the sum of its formula's cells */
    buf_putc(out, '\n');
}

/* The attributes a derived metric's formula reads in each cell: the
 * member's value, or that every member under the cell has its own. */
static void explain_attrs(Engine *en, const Alloc *A, Member **coords, int n, Buf *out)
{
    DimSet ds;
    if (A->metric->op != MK_DERIVED || al_derived_dims(en, A->metric, &ds) < 0)
        return;
    for (int k = 0; k < ds.nattrs; k++) {
        const char *name = ds.attrs[k]->name;
        const Dim *d = al_attr_dim(en, name);
        const Member *m = NULL;
        for (int i = 0; i < n && !m; i++)
            m = coords[i]->dim == d ? coords[i] : NULL;
        const Attr *a = m ? sym_attr(m, name) : NULL;
        if (a)
            buf_printf(out, "  %s of %s = %s\n", name, m->name,
                       a->text         ? a->text
                       : a->value->str ? a->value->str
                                       : "?");
        else
            buf_printf(out, "  %s: each %s's own, in its cells; this is their sum\n", name,
                       d->levels[d->nlevels - 1].name);
    }
}

/* m has start/end months and none of them falls in time member t. */
static void inactive_note(const Member *m, const Member *t, Buf *out)
{
    int months[12], nm = al_months_under(t, months);
    bool any = false;
    for (int j = 0; j < nm; j++)
        any |= sym_active(m, months[j]);
    char from[16];
    if (!any)
        buf_printf(out,
                   "  %s is not active in %s (start %s%s): it gets nothing there, "
                   "its active siblings take its part\n",
                   m->name, t->name, cal_month_label(m->active_from, from),
                   m->active_to ? ", with an end month" : "");
}

/* Members of the cell outside their start/end months in its time coordinate. */
static void explain_inactive(Member **coords, int n, Buf *out)
{
    for (int i = 0; i < n; i++) {
        const Member *m = coords[i];
        if (m->dim->is_time || (!m->active_from && !m->active_to))
            continue;
        for (int k = 0; k < n; k++)
            if (coords[k]->dim->is_time)
                inactive_note(m, coords[k], out);
    }
}

/* Whether every scope member of si outside its own dimension contains a
 * coordinate of the cell. */
static bool cell_in_scope(const SplitInfo *si, Member **coords, int n)
{
    for (int q = 0; q < si->nscope; q++) {
        bool hit = si->scope[q]->dim == si->dim;
        for (int i = 0; i < n && !hit; i++)
            hit = al_under_or_is(coords[i], si->scope[q]);
        if (!hit)
            return false;
    }
    return true;
}

/* The locks in another dimension's scope that the cell lies in: they, not
 * the shares above, decide its value. */
static void explain_locks(Engine *en, const Alloc *A, Member **coords, int n, Buf *out)
{
    for (int s = 0; s < A->nsplits; s++) {
        const SplitInfo *si = &A->splits[s];
        if (!al_cross_lock(si) || !cell_in_scope(si, coords, n))
            continue;
        for (const Node *e = si->spec->a; e; e = e->next) {
            const Member *m = sym_lookup_member_in(en->p->sym, e->a, si->dim, NULL);
            bool amount = e->b->kind != N_REST && !al_share_expr(e->b), on = false;
            for (int i = 0; i < n && amount && m; i++)
                on |= al_under_or_is(coords[i], m);
            if (!on)
                continue;
            buf_printf(out, "  %s %s in ", al_level_of(si->dim, si->depth)->name, m->name);
            for (int q = 0, k = 0; q < si->nscope; q++)
                if (si->scope[q]->dim != si->dim)
                    buf_printf(out, "%s%s", k++ ? ", " : "", si->scope[q]->name);
            buf_puts(out, ": an amount (locked) for all of its cells there; ");
            buf_printf(out, "the other axes share it in proportion\n      ");
            source_ref(out, si->node);
            buf_putc(out, '\n');
        }
    }
}

/* The chain of alloc_explain; brief: without the exact sum of the cell's
 * allocation cells (which reads every cell of the allocation). */
static int explain(Engine *en, const Node *cell, bool brief, Buf *out)
{
    Member *coords[ALLOC_MAX_AXES];
    int n, which[ALLOC_MAX_AXES];
    const Node *metric = cell_metric(en, cell, coords, &n);
    Alloc *A = metric ? alloc_get(en, metric) : NULL;
    Num value;
    if (!A || al_metric_hook(&en->ev, metric, n ? coords : NULL, n, cell, &value) < 0)
        return -1;
    explain_head(en, A, coords, n, value, out);
    const Node *from = strmap_get(&en->p->sym->targets_from, metric->name);
    if (from || A->level_metric) {
        buf_printf(out, "  %s\n",
                   from && !from->c && alloc_has_splits(en, metric)
                       ? "each cell is its share, by the splits, of the target's formula on "
                         "last year's cell of the history above it, summed"
                   : from && !from->c ? "each cell is the target's formula on last year's same "
                                        "cell of the history, summed"
                   : from             ? "the cells come from the submitted file, summed"
                                      : "a percent or score value: set for the member, else "
                                        "inherited from its parent, else the target");
        return 0;
    }
    if (explain_coords(en, A, coords, n, which, out) < 0)
        return -1;
    if (brief)
        return 0;
    size_t cells;
    if (al_cells(en, A) < 0)
        return -1;
    Num exact = al_exact_under(A, coords, which, n, &cells);
    explain_inactive(coords, n, out);
    explain_locks(en, A, coords, n, out);
    explain_attrs(en, A, coords, n, out);
    char b1[NUM_BUFSZ], b2[NUM_BUFSZ], b3[NUM_BUFSZ];
    buf_printf(out,
               "  exact value %s, the sum of %zu allocation cell%s; cells are rounded to "
               "steps of %s together (controlled rounding): %s\n",
               al_fmtv(A, exact, b1), cells, cells == 1 ? "" : "s", num_str(A->step, b2),
               al_fmtv(A, value, b3));
    return 0;
}

int alloc_explain(Engine *en, const Node *cell, Buf *out)
{
    return explain(en, cell, false, out);
}

int alloc_explain_path(Engine *en, const Node *cell, Buf *out)
{
    return explain(en, cell, true, out);
}
