/* tables.c -- targets from the bottom up (the rows of a submitted source,
 * read by data/targets.c, added up here with the negotiation gap) and the
 * tables of allocations (rollups, reserve rows, cut allocations above
 * over-assignment, percent and derived metrics) as Table data for render/.
 * Nothing here formats or prints a table. */
#include <stdlib.h>
#include <string.h>

#include "alloc/alloc_int.h"

/* ---- targets from the bottom up ------------------------------------------------------------ */

/* A member of level depth of d named by text: its name, a month number 1-12 of the fiscal year
 * (calendar month: 1 is january wherever the year starts), or its label (&member_ambiguous when
 * several members of the level have it, as the actuals reader says). */
static Member *member_by_text(Dim *d, int depth, const char *text, int start_month)
{
    Member *m = strmap_get(&d->by_name, text);
    if (m && m->depth == depth)
        return m;
    if (d->is_time && depth == d->nlevels - 1 && text[0] >= '0' && text[0] <= '9' &&
        (!text[1] || (text[1] >= '0' && text[1] <= '9' && !text[2]))) {
        int cal = text[1] ? (text[0] - '0') * 10 + (text[1] - '0') : text[0] - '0';
        int start = start_month >= 1 && start_month <= 12 ? start_month : 1;
        if (cal < 1 || cal > 12)
            return NULL;
        for (size_t i = 0; i < d->nmembers; i++)
            if (d->members[i]->depth == depth && d->members[i]->index == (cal - start + 12) % 12)
                return d->members[i];
        return NULL;
    }
    Member *found = NULL;
    for (size_t i = 0; i < d->nmembers; i++) /* a label, as people type them */
        if (d->members[i]->depth == depth && d->members[i]->label &&
            strcmp(d->members[i]->label, text) == 0) {
            if (found)
                return &member_ambiguous;
            found = d->members[i];
        }
    return found;
}

void al_negotiation_gap(Engine *en, Alloc *A, const Node *from, Num sum)
{
    Node *td = strmap_get(&en->p->sym->targets, A->metric->name);
    Num target;
    Frame top = {0};
    if (!td || eval_num(&en->ev, &top, td->a, &target) < 0)
        return;
    Num gap, pct;
    num_sub(sum, target, &gap);
    if (num_is_zero(gap))
        return;
    char b1[NUM_BUFSZ], b2[NUM_BUFSZ], b3[NUM_BUFSZ], b4[NUM_BUFSZ];
    bool ok = !num_is_zero(target) && num_div(num_abs(gap), target, &pct) == NUM_OK &&
              num_mul(pct, num_from_int(100), &pct) == NUM_OK;
    Buf b = {0};
    buf_printf(&b, "%s %s, %s (%s%%) %s the %s target",
               from->c ? "bottom-up sums to" : "the cells from last year sum to",
               al_fmt_amount(A, sum, b1), al_fmt_amount(A, num_abs(gap), b2),
               ok ? vf_fixed(pct, 1, false, b3) : "?", num_sign(gap) < 0 ? "short of" : "over",
               al_fmt_amount(A, target, b4));
    bool told = en->told; /* once per metric, however many cuts of it are made */
    for (int i = 0; i < en->nallocs && !told; i++)
        told = en->allocs[i] != A && en->allocs[i]->metric == A->metric && en->allocs[i]->note;
    A->note = xstrdup(buf_cstr(&b));
    if (!told) {
        diag_warning(en->p->diags, from->loc, "%s", A->note);
        diag_note(en->p->diags, td->loc, "the top-down target");
    }
    buf_free(&b);
}

/* The axes of the level columns of t: one per column, at the column's level. */
static size_t bottom_up_axes(Alloc *A, const TgtReader *t)
{
    size_t n = 1;
    for (int i = 0; i < tgt_nlevels(t); i++) {
        Axis *ax = &A->ax[A->nax++];
        ax->dim = tgt_level(t, i)->dim;
        ax->nsl = 1;
        ax->sl[0] = tgt_level(t, i)->depth;
        ax->leaves = xmalloc((ax->dim->nmembers + 1) * sizeof *ax->leaves);
        ax->leaf_of = xmalloc((ax->dim->nmembers + 1) * sizeof *ax->leaf_of);
        for (size_t k = 0; k < ax->dim->nmembers; k++) {
            ax->leaf_of[k] = -1;
            if (ax->dim->members[k]->depth == ax->sl[0]) {
                ax->leaf_of[k] = (int)ax->nleaves;
                ax->leaves[ax->nleaves++] = ax->dim->members[k];
            }
        }
        n *= ax->nleaves ? ax->nleaves : 1;
    }
    return n;
}

/* The members a level column named lately, by their text: a source's rows
 * come in runs of one rep, and a month column has twelve texts. */
#define TEXT_SEEN 16
typedef struct {
    char text[TEXT_SEEN][24]; /* "": an empty entry */
    Member *m[TEXT_SEEN];
} TextSeen;

/* member_by_text through the column's entries (a text that names no member,
 * or several, is never kept). */
static Member *member_seen(TextSeen *ts, const Axis *ax, const char *text, int start_month)
{
    size_t n = strlen(text), h = n;
    for (size_t i = 0; i < n; i++)
        h = h * 31 + (unsigned char)text[i];
    h %= TEXT_SEEN;
    if (ts->m[h] && strcmp(ts->text[h], text) == 0)
        return ts->m[h];
    Member *m = member_by_text(ax->dim, ax->sl[0], text, start_month);
    if (m && m != &member_ambiguous && n < sizeof ts->text[h]) {
        memcpy(ts->text[h], text, n + 1);
        ts->m[h] = m;
    }
    return m;
}

/* Adds the row tgt_next gave (texts: its level columns) to its cell: 0, or
 * -1 after reporting. */
static int bottom_up_row(Engine *en, Alloc *A, TgtReader *t, const char **texts, const Node *decl,
                         TextSeen *seen, uint64_t *given)
{
    size_t c = 0;
    for (int i = 0; i < A->nax; i++) {
        const Axis *ax = &A->ax[i];
        Member *m = member_seen(&seen[i], ax, texts[i], en->p->sym->start_month);
        const char *level = ax->dim->levels[ax->sl[0]].name;
        if (m == &member_ambiguous) {
            tgt_row_error(t,
                          "%s label '%s' is ambiguous: several members of level '%s' have it; "
                          "use their names",
                          level, texts[i], level);
            return -1;
        }
        if (!m) {
            tgt_row_error(t, "unknown %s '%s'", level, texts[i]);
            return -1;
        }
        c = c * ax->nleaves + (size_t)ax->leaf_of[m->gindex];
    }
    if (given[c / 64] & (uint64_t)1 << (c % 64)) { /* one row per leaf cell */
        Buf b = {0};
        for (int i = 0; i < A->nax; i++)
            buf_printf(&b, "%s%s '%s'", i ? ", " : "", A->ax[i].dim->levels[A->ax[i].sl[0]].name,
                       texts[i]);
        tgt_row_error(t, "%s is given twice: the file has one row per cell", buf_cstr(&b));
        buf_free(&b);
        return -1;
    }
    given[c / 64] |= (uint64_t)1 << (c % 64);
    Num v;
    if (tgt_value(t, &v) < 0)
        return -1;
    if (num_add(A->exact[c], v, &A->exact[c]) != NUM_OK)
        return al_num_err(en, decl->c->loc, NUM_OVERFLOW);
    return 0;
}

int al_bottom_up(Engine *en, Alloc *A, const Node *decl)
{
    TgtReader *t = tgt_open(en->p, decl, A->metric, ALLOC_MAX_AXES);
    if (!t)
        return -1;
    A->ncells = bottom_up_axes(A, t);
    A->exact = xcalloc(A->ncells, sizeof *A->exact);
    const char *texts[ALLOC_MAX_AXES];
    TextSeen *seen = xcalloc(ALLOC_MAX_AXES, sizeof *seen);
    uint64_t *given = xcalloc(A->ncells / 64 + 1, sizeof *given); /* the cells a row gave */
    int rc;
    while ((rc = tgt_next(t, texts)) == 1 && bottom_up_row(en, A, t, texts, decl, seen, given) == 0)
        ;
    free(given);
    free(seen);
    tgt_close(t);
    if (rc != 0) {
        en->p->data_error = true;
        return -1;
    }
    Num sum = NUM_ZERO;
    for (size_t c = 0; c < A->ncells; c++)
        num_add(sum, A->exact[c], &sum);
    A->root = sum;
    al_negotiation_gap(en, A, decl, sum);
    return 0;
}

/* ---- tables --------------------------------------------------------------------------------- */

TableNums al_table_nums(Arena *arena, size_t nr, size_t nc)
{
    TableNums tn;
    tn.cells = arena_alloc(arena, nr * nc * sizeof *tn.cells);
    tn.rt = arena_alloc(arena, nr * sizeof *tn.rt);
    tn.ct = arena_alloc(arena, nc * sizeof *tn.ct);
    tn.grand = arena_alloc(arena, sizeof *tn.grand);
    return tn;
}

/* The members of lv as the side's rows, room for cap rows; row_of (when
 * not NULL) gets each member's row by gindex. */
static void side_members(Side *sd, const Level *lv, size_t cap, Arena *arena, int *row_of)
{
    Dim *d = lv->dim;
    sd->names = arena_alloc(arena, cap * sizeof *sd->names);
    sd->labels = arena_alloc(arena, cap * sizeof *sd->labels);
    sd->members = arena_alloc(arena, cap * sizeof *sd->members);
    sd->n = 0;
    for (size_t i = 0; i < d->nmembers; i++)
        if (d->members[i]->depth == lv->depth) {
            if (row_of)
                row_of[i] = (int)sd->n;
            sd->members[sd->n] = d->members[i];
            sd->names[sd->n] = d->members[i]->name;
            sd->labels[sd->n++] = d->members[i]->label;
        }
}

/* A reserve row at or above the table's level, or kept back by a member
 * above it: a row of its own ("reserve:north"). */
static int reserve_row(Side *sd, const Member *m, Arena *arena)
{
    const Member *p = m->parent;
    sd->members[sd->n] = (Member *)m;
    sd->names[sd->n] = p ? arena_printf(arena, "reserve:%s", p->name) : "reserve";
    sd->labels[sd->n] =
        p ? arena_printf(arena, "reserve (%s)", p->label ? p->label : p->name) : "reserve";
    return (int)sd->n++;
}

/* Each leaf of the axis: the row of its ancestor at the side's level, or
 * its own row (reserve rows), or -1. */
static void place_leaves(Side *sd, const Axis *ax, const int *row_of, Arena *arena)
{
    int depth = sd->lv->depth;
    sd->pos_of_leaf = arena_alloc(arena, (ax->nleaves + 1) * sizeof *sd->pos_of_leaf);
    for (size_t j = 0; j < ax->nleaves; j++) {
        const Member *m = ax->leaves[j];
        const Member *a = al_ancestor_at(m, depth);
        if (m->pseudo && (m->depth <= depth || !a))
            sd->pos_of_leaf[j] = reserve_row(sd, m, arena);
        else
            sd->pos_of_leaf[j] = a ? row_of[a->gindex] : -1;
    }
}

/* The side of a table showing level lv of A. */
int al_side_for(Engine *en, Alloc *A, const Node *ref, Level *lv, Arena *arena, Side *sd)
{
    sd->lv = lv;
    sd->axis = al_axis_of(A, lv->dim);
    if (sd->axis < 0 && A->level_metric) { /* every member inherits: just the members */
        side_members(sd, lv, lv->dim->nmembers + 1, arena, NULL);
        return 0;
    }
    if (sd->axis < 0) {
        diag_error(en->p->diags, ref->loc, "%s is not split by %s", A->metric->name, lv->name);
        diag_note_plain(en->p->diags, "add 'split %s by %s ...'", A->metric->name, lv->name);
        return -1;
    }
    Axis *ax = &A->ax[sd->axis];
    if (!A->level_metric && lv->depth > ax->sl[ax->nsl - 1]) {
        diag_error(en->p->diags, ref->loc, "%s is split by %s only down to %s", A->metric->name,
                   lv->dim->name, al_level_of(lv->dim, ax->sl[ax->nsl - 1])->name);
        return -1;
    }
    size_t cap = lv->dim->nmembers + (size_t)ax->npseudo + 1;
    int *row_of = xmalloc(cap * sizeof *row_of);
    side_members(sd, lv, cap, arena, row_of);
    place_leaves(sd, ax, row_of, arena);
    free(row_of);
    return 0;
}

/* The cut of axis i for a table showing levels lv: the shown level when it
 * over-assigns below it; for a dimension not shown, just above its first
 * over-assigning split; else none. */
static int table_cut(const Alloc *A, int i, Level **lv, int nlv)
{
    int shown = AL_NO_CUT, first_oa = AL_NO_CUT;
    for (int k = 0; k < nlv; k++)
        if (A->ax[i].dim == lv[k]->dim)
            shown = lv[k]->depth;
    bool oa_below_shown = false;
    for (int s = 0; s < A->nsplits; s++) {
        const SplitInfo *si = &A->splits[s];
        if (si->dim != A->ax[i].dim || si->adj_kind != ADJ_OVERASSIGN)
            continue;
        if (si->depth < first_oa)
            first_oa = si->depth;
        oa_below_shown |= shown != AL_NO_CUT && si->depth > shown;
    }
    if (shown != AL_NO_CUT && oa_below_shown)
        return shown;
    if (shown == AL_NO_CUT && first_oa != AL_NO_CUT)
        return first_oa - 1;
    return AL_NO_CUT;
}

/* Over-assignment below the shown level: the shown level keeps its own
 * (declared) values, so the table comes from an allocation cut there.  A
 * dimension the table does not show is cut above its first over-assigning
 * split, so that the table adds up to the plan's own target. */
Alloc *al_table_alloc(Engine *en, Alloc *A, Level **lv, int nlv)
{
    int cuts[ALLOC_MAX_AXES];
    bool cut = false;
    for (int i = 0; i < ALLOC_MAX_AXES; i++)
        cuts[i] = AL_NO_CUT;
    for (int i = 0; i < A->nax; i++) {
        cuts[i] = table_cut(A, i, lv, nlv);
        cut |= cuts[i] != AL_NO_CUT;
    }
    return cut ? al_alloc_get_cut(en, A->metric, cuts) : A;
}

static void fill_meta(const Alloc *A, Table *t)
{
    Kind k = sym_metric_kind(A->metric);
    if (A->metric->op == MK_DERIVED) { /* a ratio such as collected / revenue is a percent */
        k = (Kind)A->metric->flags;
        if (k != K_MONEY && k != K_COUNT && k != K_SCORE)
            k = K_PERCENT;
    }
    t->metric = A->metric->name;
    t->metric_label = A->metric->str;
    t->kind = k == K_COUNT     ? VAL_COUNT
              : k == K_PERCENT ? VAL_PERCENT
              : k == K_SCORE   ? VAL_SCORE
                               : VAL_MONEY;
    t->decimals = k == K_COUNT ? 0 : k == K_PERCENT ? 4 : k == K_SCORE ? 2 : num_decimals(A->step);
}

/* The levels of `show METRIC by LEVEL[, LEVEL]` (at most two) and, when
 * ref is not NULL, the nodes naming them.  Returns how many. */
static int show_levels(const Symbols *s, const Node *show, Level **lv, const Node **ref)
{
    int nlv = 0;
    for (const Node *l = show->a; l && nlv < 2; l = l->next) {
        if (ref)
            ref[nlv] = l;
        lv[nlv++] = strmap_get(&s->levels, l->name);
    }
    return nlv;
}

/* The table's levels, size and row and column names from its sides; a
 * table of no level has one row named after the metric. */
static void set_headings(Table *t, const Node *metric, const Side *side, Level **lv, int nlv,
                         Arena *arena)
{
    t->row_level = nlv ? lv[0]->name : "total";
    t->total_level = !nlv;
    t->col_level = nlv > 1 ? lv[1]->name : NULL;
    t->nrows = nlv ? side[0].n : 1;
    t->ncols = nlv > 1 ? side[1].n : 1;
    if (nlv) {
        t->row_names = side[0].names;
        t->row_labels = side[0].labels;
    } else {
        const char **names = arena_alloc(arena, sizeof *names);
        names[0] = metric->name;
        t->row_names = names;
        t->row_labels = NULL;
    }
    if (nlv > 1) {
        t->col_names = side[1].names;
        t->col_labels = side[1].labels;
    }
}

/* Percent and score metrics: each cell is the value set for the column's
 * member, else the row's, else the target; they do not add up. */
static int level_table(Engine *en, Alloc *A, Side *rows, Side *cols, Arena *arena, Table *t)
{
    size_t nr = rows ? rows->n : 1, nc = cols ? cols->n : 1;
    Num *cells = arena_alloc(arena, nr * nc * sizeof *cells);
    for (size_t r = 0; r < nr; r++)
        for (size_t c = 0; c < nc; c++) {
            Num v;
            if (!cols || !al_explicit_value(en, A, cols->members[c], &v))
                al_level_value(en, A, rows ? rows->members[r] : NULL, &v);
            cells[r * nc + c] = v;
        }
    t->cells = cells;
    Num *grand = arena_alloc(arena, sizeof *grand);
    *grand = A->root;
    t->grand_total = grand;
    return 0;
}

bool alloc_has_splits(Engine *en, const Node *metric)
{
    return al_splits_of(en, metric->name)->n > 0;
}

int al_ratio_at(Engine *en, const Node *metric, Member **coords, int n, const Node *at, Num *out)
{
    Level *lv[ALLOC_MAX_AXES] = {0};
    for (int k = 0; k < n && k < ALLOC_MAX_AXES; k++) {
        lv[k] = &coords[k]->dim->levels[coords[k]->depth];
        if (alloc_check_levels(en, metric, &lv[k], 1, at ? at : metric, ALLOC_ASK_TABLE) < 0)
            return -1;
    }
    Alloc *G = al_level_grid(en, metric, lv, n);
    size_t c = 0; /* the cell of coords */
    for (int k = 0; k < n; k++)
        c = c * G->ax[k].nleaves + (size_t)G->ax[k].leaf_of[coords[k]->gindex];
    Num *vals = xcalloc(G->ncells + 1, sizeof *vals);
    bool *na = xcalloc(G->ncells + 1, sizeof *na);
    int rc = al_eval_cells(en, metric, G, lv, n, c, c + 1, vals, na);
    if (rc == 0 && na[c]) /* no value to compute with */
        rc = diag_arith_fault(en->p->diags, at ? at->loc : metric->loc, NUM_DIVZERO, NUM_ZERO,
                              NUM_ZERO);
    else if (rc == 0)
        *out = vals[c];
    free(vals);
    free(na);
    al_level_grid_free(G);
    return rc;
}

/* A ratio on the grid of levels lv[0..n) (into out, na), the components'
 * tables cut as the table's (table_lv) are. */
static int ratio_grid(Engine *en, const Node *metric, Level **lv, int n, Level **table_lv, int nlv,
                      Num *out, bool *na)
{
    Alloc *G = al_level_grid(en, metric, lv, n);
    int rc = al_eval_grid(en, metric, G, table_lv, nlv, out, na);
    al_level_grid_free(G);
    return rc;
}

/* A ratio's value at each cell, row, column and the plan (in Table.na
 * order: cells, row totals, column totals, grand total): its formula on
 * the components' exact sums there. */
static int ratio_values(Engine *en, const Node *metric, Level **lv, int nlv, const Side *side,
                        TableNums *tn, bool *na)
{
    size_t nr = side[0].n, nc = side[1].n;
    bool *ct_na = na + nr * nc + nr, *grand_na = ct_na + nc;
    int rc = ratio_grid(en, metric, lv, nlv, lv, nlv, tn->cells, na);
    if (rc == 0 && nlv > 1)
        rc = ratio_grid(en, metric, lv, 1, lv, nlv, tn->rt, na + nr * nc);
    if (rc == 0 && nlv > 1)
        rc = ratio_grid(en, metric, lv + 1, 1, lv, nlv, tn->ct, ct_na);
    if (rc == 0)
        rc = ratio_grid(en, metric, NULL, 0, lv, nlv, tn->grand, grand_na);
    if (rc == 0 && nlv == 1) { /* the column total of one level is the grid of none */
        tn->ct[0] = *tn->grand;
        *ct_na = *grand_na;
    }
    return rc;
}

/* The table of a ratio (a derived metric that is not money or a count):
 * its formula again at every cell, row, column and total, on what the
 * components' tables show there; never rounded to the money step. */
static int ratio_table(Engine *en, const Node *show, const Node *metric, Arena *arena, Table *t)
{
    const Symbols *s = en->p->sym;
    Level *lv[2] = {NULL, NULL};
    const Node *ref[2] = {NULL, NULL};
    int nlv = show_levels(s, show, lv, ref);
    for (int k = 0; k < nlv; k++)
        if (alloc_check_levels(en, metric, &lv[k], 1, ref[k], ALLOC_ASK_TABLE) < 0)
            return -1;
    Kind k = (Kind)metric->flags; /* the kind the checker found */
    t->metric = metric->name;
    t->metric_label = metric->str;
    t->kind = k == K_SCORE ? VAL_SCORE : VAL_PERCENT;
    t->decimals = k == K_SCORE ? 2 : 4;
    if (k == K_MONEY ||
        k == K_COUNT) { /* a rate per working day: money, or a count in 2 decimals */
        t->kind = k == K_MONEY ? VAL_MONEY : VAL_SCORE;
        t->decimals = k == K_MONEY ? num_decimals(s->round_step) : 2;
    }
    Side side[2] = {{.n = 1}, {.n = 1}};
    for (int i = 0; i < nlv; i++)
        side_members(&side[i], lv[i], lv[i]->dim->nmembers + 1, arena, NULL);
    set_headings(t, metric, side, lv, nlv, arena);
    TableNums tn = al_table_nums(arena, side[0].n, side[1].n);
    bool *na = arena_alloc(arena, (side[0].n + 1) * (side[1].n + 1) * sizeof *na);
    if (ratio_values(en, metric, lv, nlv, side, &tn, na) < 0)
        return -1;
    t->cells = tn.cells;
    t->row_totals = nlv > 1 ? tn.rt : NULL;
    t->col_totals = nlv > 0 ? tn.ct : NULL;
    t->grand_total = tn.grand;
    t->na = na;
    return 0;
}

static Num total_of(Engine *en, Alloc *A)
{
    if (A->nax > 0) {
        al_canon(en, A, 0);
        return A->ax[0].canon_root;
    }
    Num r;
    num_round(A->root, A->step, en->p->sym->rounding, &r);
    return r;
}

/* The cells of a table of nlv (0..2) levels: one level shows the
 * dimension's rounded totals; two levels are rounded on their own grid
 * against the rounded totals of both dimensions (controlled rounding). */
/* A table of more cells than --max-cells is refused like an allocation
 * of more (its cells are made even where the allocation's are not). */
static int table_too_big(Engine *en, const Alloc *A, size_t nr, size_t nc)
{
    if (nc == 0 || nr <= en->max_cells / nc)
        return 0;
    diag_error(en->p->diags, A->metric->name_loc,
               "a table of %s would have more than %zu cells (--max-cells)", A->metric->name,
               en->max_cells);
    return -1;
}

static int grid(Engine *en, Alloc *A, int nlv, const Side *side, TableNums *tn)
{
    *tn->grand = total_of(en, A);
    if (nlv == 0) {
        tn->cells[0] = *tn->grand;
        return 0;
    }
    const Num *rc = al_canon(en, A, side[0].axis);
    *tn->grand = NUM_ZERO; /* the total of the rows shown */
    for (size_t r = 0; r < side[0].n; r++) {
        tn->rt[r] = rc[side[0].members[r]->gindex];
        num_add(*tn->grand, tn->rt[r], tn->grand);
    }
    if (nlv == 2)
        return al_round_table(en, A, side, tn);
    memcpy(tn->cells, tn->rt, side[0].n * sizeof *tn->cells);
    tn->ct[0] = *tn->grand;
    return 0;
}

/* The sides of a table holding the cell coords[0..n) (n <= 2). */
static int cell_sides(Engine *en, Alloc *A, Member **coords, int n, const Node *at, Arena *arena,
                      Side *side)
{
    for (int k = 0; k < n; k++)
        if (al_side_for(en, A, at, &coords[k]->dim->levels[coords[k]->depth], arena, &side[k]) < 0)
            return -1;
    if (n == 2 && side[0].axis == side[1].axis) {
        diag_error(en->p->diags, at->loc, "two members of dimension '%s' in one cell",
                   coords[0]->dim->name);
        return -1;
    }
    return 0;
}

/* The row (or column) of m, or 0. */
static size_t side_position(const Side *sd, const Member *m)
{
    size_t pos = 0;
    for (size_t i = 0; i < sd->n; i++)
        if (sd->members[i] == m)
            pos = i;
    return pos;
}

/* METRIC[a] or METRIC[a, b]: the cell of its table. */
static int table_cell(Engine *en, Alloc *A, Member **coords, int n, const Node *at, Num *out)
{
    Arena arena = {0};
    Side side[2];
    memset(side, 0, sizeof side);
    int rc = cell_sides(en, A, coords, n, at, &arena, side);
    size_t nr = n ? side[0].n : 1, nc = n > 1 ? side[1].n : 1;
    if (rc == 0)
        rc = table_too_big(en, A, nr, nc);
    TableNums tn = al_table_nums(&arena, rc == 0 ? nr + 1 : 1, rc == 0 ? nc + 1 : 1);
    if (rc == 0)
        rc = grid(en, A, n, side, &tn);
    if (rc == 0) {
        size_t r = n > 0 ? side_position(&side[0], coords[0]) : 0;
        size_t c = n > 1 ? side_position(&side[1], coords[1]) : 0;
        *out = n == 0 ? *tn.grand : tn.cells[r * nc + c];
    }
    arena_free(&arena);
    return rc;
}

Num al_exact_under(const Alloc *A, Member **coords, const int *which, int n, size_t *count)
{
    Num sum = NUM_ZERO;
    Member *coord[ALLOC_MAX_AXES];
    *count = 0;
    for (size_t c = 0; c < A->ncells; c++) {
        al_decode(A, A->nax, c, coord);
        bool in = true;
        for (int k = 0; k < n && in; k++)
            in = which[k] >= 0 && al_under_or_is(coord[which[k]], coords[k]);
        if (in) {
            num_add(sum, A->exact[c], &sum);
            ++*count;
        }
    }
    return sum;
}

/* The value of METRIC[a] or METRIC[a, b] as its table shows it; more
 * coordinates: the exact sum, rounded. */
int al_cell(Engine *en, Alloc *A, Member **coords, int n, const Node *at, Num *out)
{
    if (n <= 2)
        return table_cell(en, A, coords, n, at, out);
    int which[ALLOC_MAX_AXES];
    for (int k = 0; k < n; k++)
        if ((which[k] = al_axis_of(A, coords[k]->dim)) < 0) {
            diag_error(en->p->diags, at->loc, "%s is not split by %s", A->metric->name,
                       coords[k]->dim->name);
            return -1;
        }
    size_t cells;
    if (al_cells(en, A) < 0)
        return -1;
    num_round(al_exact_under(A, coords, which, n, &cells), A->step, en->p->sym->rounding, out);
    return 0;
}

/* An amount metric's table: cells, totals and the negotiation note. */
static int amount_table(Engine *en, Alloc *A, const Side *side, int nlv, Arena *arena, Table *t)
{
    if (table_too_big(en, A, t->nrows, t->ncols) < 0)
        return -1;
    TableNums tn = al_table_nums(arena, t->nrows, t->ncols);
    if (grid(en, A, nlv, side, &tn) < 0)
        return -1;
    t->cells = tn.cells;
    t->row_totals = nlv > 1 ? tn.rt : NULL;
    t->col_totals = nlv > 0 ? tn.ct : NULL;
    t->grand_total = tn.grand;
    t->note = A->note ? arena_strdup(arena, A->note) : NULL;
    return 0;
}

int al_table_one(Engine *en, const Node *show, Arena *arena, Table *t)
{
    memset(t, 0, sizeof *t);
    Symbols *s = en->p->sym;
    const Node *metric = strmap_get(&s->metrics, show->name);
    if (!metric)
        return -1;
    for (const Node *l = show->a; l; l = l->next)
        if (al_sub_month(l->name))
            return al_week_table(en, show, arena, t);
    if (al_is_derived(en, metric) && !al_additive(metric)) /* a target set directly wins */
        return ratio_table(en, show, metric, arena, t);
    Alloc *A = alloc_get(en, metric);
    Level *lv[2] = {NULL, NULL};
    const Node *ref[2] = {NULL, NULL};
    int nlv = show_levels(s, show, lv, ref);
    if (A && !A->level_metric)
        A = al_table_alloc(en, A, lv, nlv);
    if (!A)
        return -1;
    fill_meta(A, t);
    Side side[2];
    for (int k = 0; k < nlv; k++)
        if (al_side_for(en, A, ref[k], lv[k], arena, &side[k]) < 0)
            return -1;
    set_headings(t, A->metric, side, lv, nlv, arena);
    if (A->level_metric)
        return level_table(en, A, nlv ? &side[0] : NULL, nlv > 1 ? &side[1] : NULL, arena, t);
    return amount_table(en, A, side, nlv, arena, t);
}
