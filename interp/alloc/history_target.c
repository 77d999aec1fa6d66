/* history_target.c -- a target per cell from last year (SPEC §9):
 * `target revenue = 115% * history.sales`.  The history's last complete
 * fiscal year before the plan's year is read into cells (month by the
 * deepest level of each dimension the history has a column for); the
 * target's formula, evaluated once per cell with history.NAME standing for
 * that cell, gives the cells of the allocation, which then roll up,
 * round and meet a top-down target like a bottom-up one (tables.c). */
#include <stdlib.h>
#include <string.h>

#include "alloc/alloc_int.h"

/* Last year of one history, read once per engine (Engine.last_years):
 * an allocation without splits whose cells are the history's, the members
 * that have rows and the rows that name no member of the plan. */
struct LastYear {
    History *h;
    int fy;                      /* the fiscal year read */
    int spec_of[ALLOC_MAX_AXES]; /* axis -> spec level index; -1 for the time axis */
    Alloc *H;                    /* its exact cells: last year's values */
    bool *seen[ALLOC_MAX_AXES];  /* per axis, by member gindex: has rows last year */
    long dropped_rows;           /* rows naming members the plan does not have */
    Num dropped;
    int missing; /* members of the plan without rows: reported once (-1: not looked at) */
    const char *ambiguous, *ambiguous_level; /* a label several members have, and their level */
};

int al_last_year(Engine *en, History *h, const Node *ref)
{
    const Symbols *s = en->p->sym;
    Num w[12];
    int years[64];
    int ny = hist_season(h, s->start_month, NULL, NULL, w, years, 64);
    int fy = 0;
    for (int i = 0; i < ny && i < 64; i++)
        if (years[i] < s->year)
            fy = years[i];
    if (fy == 0) {
        diag_error(en->p->diags, ref->loc, "history '%s' has no complete fiscal year before FY%d",
                   ref->str, s->year);
        diag_note_plain(en->p->diags,
                        "history.%s reads the last fiscal year (from %s) whose 12 months all "
                        "have rows; add last year's rows to the history",
                        ref->name, cal_month_name(s->start_month));
        return 0;
    }
    if (fy != s->year - 1 && !en->told) {
        diag_warning(en->p->diags, ref->loc,
                     "history '%s' has no complete FY%d: history.%s reads FY%d", ref->str,
                     s->year - 1, ref->name, fy);
    }
    return fy;
}

/* The deepest level of d the history has a column for (its spec index in
 * *spec_ix), or -1. */
static int deepest_level(const HistSpec *spec, const History *h, const Dim *d, int *spec_ix)
{
    int depth = -1;
    for (int j = 0; j < spec->nlevels; j++) {
        Level *lv = NULL;
        for (int k = 0; k < d->nlevels; k++)
            if (strcmp(d->levels[k].name, spec->levels[j].level) == 0)
                lv = &d->levels[k];
        if (lv && hist_has_level(h, lv->name) && lv->depth > depth) {
            depth = lv->depth;
            *spec_ix = j;
        }
    }
    return depth;
}

/* A's axes: every dimension the history has a column for, then the months. */
static void last_year_axes(Engine *en, Alloc *A, LastYear *ly, const HistSpec *spec)
{
    const Symbols *s = en->p->sym;
    A->nax = 0;
    A->ncells = 1;
    for (int i = 0; i < s->ndims && A->nax < ALLOC_MAX_AXES - 1; i++) {
        Dim *d = s->dims[i];
        int ix = -1, depth = d == s->time ? -1 : deepest_level(spec, ly->h, d, &ix);
        if (depth < 0)
            continue;
        ly->spec_of[A->nax] = ix;
        al_plain_axis(en, &A->ax[A->nax++], d, depth);
    }
    ly->spec_of[A->nax] = -1;
    al_plain_axis(en, &A->ax[A->nax++], s->time, 3); /* months, whatever lies below them */
    for (int i = 0; i < A->nax; i++)
        A->ncells *= A->ax[i].nleaves ? A->ax[i].nleaves : 1;
}

/* The member of ax's level a history value names (name, alias or label);
 * &member_ambiguous for a label several members of the level have. */
static Member *member_named(const Axis *ax, const char *text)
{
    if (!text)
        return NULL;
    Member *m = strmap_get(&ax->dim->by_name, text);
    if (m && m->depth == ax->sl[0])
        return m;
    Member *found = NULL;
    for (size_t i = 0; i < ax->nleaves; i++)
        if (ax->leaves[i]->label && strcmp(ax->leaves[i]->label, text) == 0) {
            if (found)
                return &member_ambiguous;
            found = ax->leaves[i];
        }
    return found;
}

/* The cell of group g, or (size_t)-1: not last year, or a member the plan
 * does not have (counted in ly->dropped). */
static size_t cell_of(Engine *en, const Alloc *A, LastYear *ly, const HistGroup *g)
{
    int start = en->p->sym->start_month >= 1 ? en->p->sym->start_month : 1;
    if ((g->month >= start ? g->year : g->year - 1) != ly->fy)
        return (size_t)-1;
    size_t c = 0;
    for (int i = 0; i < A->nax; i++) {
        const Axis *ax = &A->ax[i];
        const Member *m = NULL;
        if (ly->spec_of[i] < 0) {
            for (size_t k = 0; k < ax->nleaves; k++)
                if (ax->leaves[k]->index == (g->month - start + 12) % 12)
                    m = ax->leaves[k];
        } else {
            m = member_named(ax, g->scope[ly->spec_of[i]]);
        }
        if (m == &member_ambiguous) {
            ly->ambiguous = g->scope[ly->spec_of[i]];
            ly->ambiguous_level = ax->dim->levels[ax->sl[0]].name;
            return (size_t)-1;
        }
        if (!m) {
            ly->dropped_rows += g->rows;
            num_add(ly->dropped, g->total, &ly->dropped);
            return (size_t)-1;
        }
        c = c * ax->nleaves + (size_t)ax->leaf_of[m->gindex];
    }
    return c;
}

/* Last year's groups into ly->cells; marks the members seen. */
static int read_cells(Engine *en, const Alloc *A, LastYear *ly, const Node *ref)
{
    HistGroup g;
    for (size_t i = 0; hist_group(ly->h, i, &g); i++) {
        size_t c = cell_of(en, A, ly, &g);
        if (c == (size_t)-1)
            continue;
        if (num_add(ly->H->exact[c], g.total, &ly->H->exact[c]) != NUM_OK)
            return al_num_err(en, ref->loc, NUM_OVERFLOW);
        Member *coord[ALLOC_MAX_AXES];
        al_decode(A, A->nax, c, coord);
        for (int k = 0; k < A->nax; k++)
            ly->seen[k][coord[k]->gindex] = true;
    }
    if (ly->ambiguous) { /* as the actuals reader says */
        diag_error(en->p->diags, ref->loc,
                   "history '%s': %s label '%s' is ambiguous: several members of level '%s' "
                   "have it; use their names",
                   ref->str, ly->ambiguous_level, ly->ambiguous, ly->ambiguous_level);
        return -1;
    }
    return 0;
}

/* Members of the plan with no row last year: an error naming the first
 * few of each level (a new member has no last year to grow from). */
static int missing_members(Engine *en, const Alloc *A, const LastYear *ly, const Node *ref)
{
    int errors = 0;
    for (int i = 0; i < A->nax; i++) {
        const Axis *ax = &A->ax[i];
        Buf b = {0};
        size_t n = 0;
        for (size_t k = 0; k < ax->nleaves; k++)
            if (!ly->seen[i][ax->leaves[k]->gindex] && n++ < 5)
                buf_printf(&b, "%s'%s'", n > 1 ? ", " : "", ax->leaves[k]->name);
        if (n) {
            diag_error(en->p->diags, ref->loc,
                       "history '%s' has no rows in FY%d for %zu %s%s: %s%s", ref->str, ly->fy, n,
                       ax->dim->levels[ax->sl[0]].name, n == 1 ? "" : "s", buf_cstr(&b),
                       n > 5 ? ", ..." : "");
            diag_note_plain(en->p->diags,
                            "each cell is last year's same cell: give a new member its rows in "
                            "the history (0 for one that starts from nothing); members below "
                            "the history's levels take theirs by a split");
            errors++;
        }
        buf_free(&b);
    }
    return errors ? -1 : 0;
}

/* Rows of last year for members the plan does not have: left out. */
static void warn_dropped(Engine *en, const Alloc *A, const LastYear *ly, const Node *ref)
{
    if (!ly->dropped_rows || en->told)
        return;
    char b[NUM_BUFSZ];
    diag_warning(en->p->diags, ref->loc,
                 "%ld row%s of FY%d in history '%s' (%s) name%s members the plan does not "
                 "have: they are in no cell of the target",
                 ly->dropped_rows, ly->dropped_rows == 1 ? "" : "s", ly->fy, ref->str,
                 al_fmt_amount(A, ly->dropped, b), ly->dropped_rows == 1 ? "s" : "");
}

/* The formula once per cell of last year, history.NAME standing for the
 * cell's value, into out[H->ncells]. */
static int eval_cells(Engine *en, const LastYear *ly, const Node *decl, Num *out)
{
    Frame top = {0};
    int rc = 0;
    for (size_t c = 0; c < ly->H->ncells && rc == 0; c++) {
        en->ev.hist_cell = &ly->H->exact[c];
        rc = eval_num(&en->ev, &top, decl->a, &out[c]);
    }
    en->ev.hist_cell = NULL;
    return rc;
}

static LastYear *read_last_year(Engine *en, const Node *ref)
{
    History *h = al_history(en, ref->str, ref);
    int fy = h ? al_last_year(en, h, ref) : 0;
    if (!fy)
        return NULL;
    LastYear *ly = xcalloc(1, sizeof *ly);
    ly->h = h;
    ly->fy = fy;
    ly->missing = -1;
    ly->H = xcalloc(1, sizeof *ly->H);
    ly->H->step = en->p->sym->round_step;
    HistSpec spec;
    const Node *decl = strmap_get(&en->p->sym->histories, ref->str);
    hist_spec_init(&spec, en->p->sym, ref->str, decl->d);
    last_year_axes(en, ly->H, ly, &spec);
    if (ly->H->ncells > en->max_cells) {
        diag_error(en->p->diags, ref->loc,
                   "last year of history '%s' would have more than %zu cells", ref->str,
                   en->max_cells);
        al_last_year_free(ly);
        return NULL;
    }
    ly->H->exact = xcalloc(ly->H->ncells + 1, sizeof *ly->H->exact);
    for (int i = 0; i < ly->H->nax; i++)
        ly->seen[i] = xcalloc(ly->H->ax[i].dim->nmembers + 1, sizeof *ly->seen[i]);
    if (read_cells(en, ly->H, ly, ref) < 0) {
        al_last_year_free(ly);
        return NULL;
    }
    return ly;
}

LastYear *al_last_year_of(Engine *en, const Node *ref)
{
    if (!ref->str)
        return NULL;
    LastYear *ly = strmap_get(&en->last_years, ref->str);
    if (!ly && (ly = read_last_year(en, ref)) != NULL)
        strmap_put(&en->last_years, ref->str, ly);
    return ly;
}

const Alloc *al_last_year_cells(const LastYear *ly)
{
    return ly->H;
}

void al_last_year_free(LastYear *ly)
{
    if (!ly)
        return;
    for (int i = 0; i < ALLOC_MAX_AXES; i++)
        free(ly->seen[i]);
    al_kept_sums_free(ly->H);
    free(ly->H->exact);
    free(ly->H);
    free(ly);
}

int al_history_target(Engine *en, Alloc *A, const Node *decl)
{
    const Node *ref;
    if (sym_history_refs(decl->a, &ref, 1) < 1)
        return -1;
    LastYear *ly = al_last_year_of(en, ref);
    if (!ly)
        return -1;
    if (ly->missing < 0) { /* once per history, whatever reads it */
        ly->missing = missing_members(en, ly->H, ly, ref) < 0;
        warn_dropped(en, ly->H, ly, ref);
    }
    if (ly->missing)
        return -1;
    Num *coarse = xcalloc(ly->H->ncells + 1, sizeof *coarse);
    int rc = eval_cells(en, ly, decl, coarse);
    if (rc == 0 && alloc_has_splits(en, A->metric)) {
        rc = al_split_last_year(en, A, ly->H, coarse);
    } else if (rc == 0) {
        A->nax = ly->H->nax;
        A->ncells = ly->H->ncells;
        for (int i = 0; i < A->nax; i++)
            al_plain_axis(en, &A->ax[i], ly->H->ax[i].dim, ly->H->ax[i].sl[0]);
        A->exact = coarse;
        coarse = NULL;
    }
    free(coarse);
    A->root = NUM_ZERO;
    for (size_t c = 0; rc == 0 && c < A->ncells; c++)
        if (num_add(A->root, A->exact[c], &A->root) != NUM_OK)
            return al_num_err(en, decl->loc, NUM_OVERFLOW);
    if (rc == 0)
        al_negotiation_gap(en, A, decl, A->root);
    return rc;
}

int alloc_last_year_depth(Engine *en, const Node *ref, const Dim *d)
{
    LastYear *ly = al_last_year_of(en, ref);
    if (!ly)
        return -2;
    int ai = al_axis_of(ly->H, d);
    return ai < 0 ? -1 : ly->H->ax[ai].sl[0];
}

int alloc_last_year_over(Engine *en, const Node *ref, const Member *m, int from, int to, Num *out)
{
    *out = NUM_ZERO;
    LastYear *ly = al_last_year_of(en, ref);
    if (!ly)
        return -1;
    const Alloc *H = ly->H;
    int ai = m ? al_axis_of(H, m->dim) : -1;
    if (m && (ai < 0 || m->depth > H->ax[ai].sl[0]))
        return 1;
    Member *coord[ALLOC_MAX_AXES];
    for (size_t c = 0; c < H->ncells; c++) {
        al_decode(H, H->nax, c, coord);
        int month = coord[H->nax - 1]->index; /* the time axis is the last */
        if (month < from || month > to || (m && !al_under_or_is(coord[ai], m)))
            continue;
        if (num_add(*out, H->exact[c], out) != NUM_OK)
            return al_num_err(en, ref->loc, NUM_OVERFLOW);
    }
    return 0;
}
