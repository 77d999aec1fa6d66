/* atable.c -- targets from the bottom up (a submitted CSV, with the
 * negotiation gap), tables of allocations (rollups, reserve rows, cut
 * allocations above over-assignment, percent and derived metrics), and
 * --explain. */
#include <stdlib.h>
#include <string.h>

#include "alloc/alloc_int.h"

/* ---- targets from the bottom up ------------------------------------------------------------ */

/* A member of level depth of d named by text: its name, a month number 1-12 of the fiscal year
 * (calendar month: 1 is january wherever the year starts), or its label. */
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
    for (size_t i = 0; i < d->nmembers; i++) /* a label, as people type them */
        if (d->members[i]->depth == depth && d->members[i]->label &&
            strcmp(d->members[i]->label, text) == 0)
            return d->members[i];
    return NULL;
}

static const char *mapped(const Node *mapping, const char *name)
{
    for (const Node *m = mapping; m; m = m->next)
        if (m->name && strcmp(m->name, name) == 0 && m->a)
            return m->a->kind == N_STR ? m->a->str : m->a->name;
    return name;
}

/* "1,400万" in the plan's display unit (every decimal of the quotient,
 * rounded half-even at 12 as a division would), else as al_fmtv. */
static char *fmt_unit(Engine *en, const Alloc *A, Num v, char *buf)
{
    const char *unit = NULL;
    for (Node *a = en->p->sym->header ? en->p->sym->header->a : NULL; a; a = a->next)
        if (strcmp(a->name, "unit") == 0 && a->a->kind == N_STR)
            unit = a->a->str;
    int e = vf_unit_exp(unit);
    if (e == 0)
        return al_fmtv(A, v, buf);
    ValFmt f = {.shift = -e, .max_dec = VF_ALL, .trim = true, .round = NUM_HALF_EVEN,
                .thousands = true, .suffix = unit};
    return vf_fmt(v, &f, buf);
}

static void negotiation_gap(Engine *en, Alloc *A, const Node *from, Num sum)
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
    buf_printf(&b, "bottom-up sums to %s, %s (%s%%) %s the %s target", al_fmtv(A, sum, b1),
               fmt_unit(en, A, num_abs(gap), b2), ok ? vf_fixed(pct, 1, false, b3) : "?",
               num_sign(gap) < 0 ? "short of" : "over", fmt_unit(en, A, target, b4));
    A->note = xstrdup(buf_cstr(&b));
    diag_warning(en->p->diags, from->loc, "%s", A->note);
    diag_note(en->p->diags, td->loc, "the top-down target");
    buf_free(&b);
}

int al_bottom_up(Engine *en, Alloc *A, const Node *decl)
{
    Diags *d = en->p->diags;
    char *path = prog_data_path(en->p, decl->c), *err = NULL;
    if (!path)
        return -1;
    CsvReader *cr = csv_open(path, &err);
    free(path);
    if (!cr) {
        diag_error(d, decl->c->loc, "%s", err);
        free(err);
        en->p->data_error = true;
        return -1;
    }
    CsvRow row;
    int value_col = -1, col[ALLOC_MAX_AXES], rc = -1;
    const char *file = decl->c->str;
    if (csv_next(cr, &row) != 1) {
        diag_error(d, decl->c->loc, "%s: no header", file);
        goto fail;
    }
    const char *want = mapped(decl->d, A->metric->name);
    for (size_t i = 0; i < row.nfields; i++) {
        if (strcmp(row.fields[i], want) == 0) {
            value_col = (int)i;
            continue;
        }
        for (size_t k = 0; k < en->p->sym->levels.cap; k++) { /* level columns, mapped or not */
            Level *lv = en->p->sym->levels.vals[k];
            if (!en->p->sym->levels.keys[k] || strcmp(mapped(decl->d, lv->name), row.fields[i]))
                continue;
            if (al_axis_of(A, lv->dim) >= 0 || A->nax == ALLOC_MAX_AXES) {
                diag_error(d, decl->c->loc, "%s: two columns for dimension '%s'", file,
                           lv->dim->name);
                goto fail;
            }
            col[A->nax] = (int)i;
            Axis *ax = &A->ax[A->nax++];
            ax->dim = lv->dim;
            ax->nsl = 1;
            ax->sl[0] = lv->depth;
        }
    }
    if (value_col < 0 || A->nax == 0) {
        diag_error(d, decl->c->loc, "%s: needs a column '%s' and columns named after levels", file,
                   want);
        goto fail;
    }
    size_t n = 1;
    for (int i = 0; i < A->nax; i++) {
        Axis *ax = &A->ax[i];
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
    A->ncells = n;
    A->exact = xcalloc(n, sizeof *A->exact);
    int got;
    while ((got = csv_next(cr, &row)) == 1) {
        if (row.nfields == 1 && row.lens[0] == 0)
            continue;
        size_t c = 0;
        for (int i = 0; i < A->nax; i++) {
            const char *text = (size_t)col[i] < row.nfields ? row.fields[col[i]] : "";
            Member *m = member_by_text(A->ax[i].dim, A->ax[i].sl[0], text,
                                       en->p->sym->start_month);
            if (!m) {
                diag_error(d, decl->c->loc, "%s:%ld: unknown %s '%s'", file, row.line,
                           A->ax[i].dim->levels[A->ax[i].sl[0]].name, text);
                goto fail;
            }
            c = c * A->ax[i].nleaves + (size_t)A->ax[i].leaf_of[m->gindex];
        }
        const char *t = (size_t)value_col < row.nfields ? row.fields[value_col] : "";
        bool neg = t[0] == '-';
        Num v;
        if (num_parse(t + neg, strlen(t + neg), &v) != NUM_OK) {
            diag_error(d, decl->c->loc, "%s:%ld: '%s' is not a number", file, row.line, t);
            goto fail;
        }
        if (num_add(A->exact[c], neg ? num_neg(v) : v, &A->exact[c]) != NUM_OK) {
            al_num_err(en, decl->c->loc, NUM_OVERFLOW);
            goto fail;
        }
    }
    if (got < 0) {
        long line, ccol;
        const char *msg = csv_error(cr, &line, &ccol);
        diag_error(d, decl->c->loc, "%s:%ld:%ld: %s", file, line, ccol, msg);
        goto fail;
    }
    Num sum = NUM_ZERO;
    for (size_t c = 0; c < n; c++)
        num_add(sum, A->exact[c], &sum);
    A->root = sum;
    negotiation_gap(en, A, decl, sum);
    rc = 0;
fail:
    if (rc < 0)
        en->p->data_error = true;
    csv_close(cr);
    return rc;
}

/* ---- tables --------------------------------------------------------------------------------- */

typedef struct {
    Level *lv;
    int axis;
    size_t n;
    const char **names, **labels;
    int *pos_of_leaf; /* leaf -> row or column */
    Member **members;
} Side;

static int side_for(Engine *en, Alloc *A, const Node *ref, Level *lv, Arena *arena, Side *sd)
{
    sd->lv = lv;
    sd->axis = al_axis_of(A, lv->dim);
    if (sd->axis < 0 && A->level_metric) { /* every member inherits: just the members */
        Dim *d = lv->dim;
        sd->names = arena_alloc(arena, (d->nmembers + 1) * sizeof *sd->names);
        sd->labels = arena_alloc(arena, (d->nmembers + 1) * sizeof *sd->labels);
        sd->members = arena_alloc(arena, (d->nmembers + 1) * sizeof *sd->members);
        sd->n = 0;
        for (size_t i = 0; i < d->nmembers; i++)
            if (d->members[i]->depth == lv->depth) {
                sd->members[sd->n] = d->members[i];
                sd->names[sd->n] = d->members[i]->name;
                sd->labels[sd->n++] = d->members[i]->label;
            }
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
    Dim *d = lv->dim;
    size_t cap = d->nmembers + (size_t)ax->npseudo + 1;
    sd->names = arena_alloc(arena, cap * sizeof *sd->names);
    sd->labels = arena_alloc(arena, cap * sizeof *sd->labels);
    sd->members = arena_alloc(arena, cap * sizeof *sd->members);
    int *row_of = xmalloc(cap * sizeof *row_of);
    sd->n = 0;
    for (size_t i = 0; i < d->nmembers; i++)
        if (d->members[i]->depth == lv->depth) {
            row_of[i] = (int)sd->n;
            sd->members[sd->n] = d->members[i];
            sd->names[sd->n] = d->members[i]->name;
            sd->labels[sd->n++] = d->members[i]->label;
        }
    sd->pos_of_leaf = arena_alloc(arena, (ax->nleaves + 1) * sizeof *sd->pos_of_leaf);
    for (size_t j = 0; j < ax->nleaves; j++) {
        const Member *m = ax->leaves[j];
        if (m->pseudo && (m->depth <= lv->depth || !al_ancestor_at(m, lv->depth))) {
            /* a reserve row at or above the table's level, or kept back by a
             * member above it: a row of its own */
            sd->members[sd->n] = (Member *)m;
            sd->names[sd->n] = m->parent ? arena_printf(arena, "reserve:%s", m->parent->name)
                                         : "reserve";
            sd->labels[sd->n] = m->parent ? arena_printf(arena, "reserve (%s)",
                                                         m->parent->label ? m->parent->label
                                                                          : m->parent->name)
                                          : "reserve";
            sd->pos_of_leaf[j] = (int)sd->n++;
            continue;
        }
        const Member *a = al_ancestor_at(m, lv->depth);
        sd->pos_of_leaf[j] = a ? row_of[a->gindex] : -1;
    }
    free(row_of);
    return 0;
}

/* Over-assignment below the shown level: the shown level keeps its own
 * (declared) values, so the table comes from an allocation cut there.  A
 * dimension the table does not show is cut above its first over-assigning
 * split, so that the table adds up to the plan's own target. */
Alloc *al_table_alloc(Engine *en, Alloc *A, Level **lv, int nlv)
{
    enum { NONE = 1 << 20 };
    int cuts[ALLOC_MAX_AXES];
    bool cut = false;
    for (int i = 0; i < ALLOC_MAX_AXES; i++)
        cuts[i] = NONE;
    for (int i = 0; i < A->nax; i++) {
        int shown = NONE, first_oa = NONE;
        for (int k = 0; k < nlv; k++)
            if (A->ax[i].dim == lv[k]->dim)
                shown = lv[k]->depth;
        bool oa_below_shown = false;
        for (int s = 0; s < A->nsplits; s++) {
            const SplitInfo *si = &A->splits[s];
            if (si->dim != A->ax[i].dim || si->adj_kind != OVERASSIGN)
                continue;
            if (si->depth < first_oa)
                first_oa = si->depth;
            oa_below_shown |= shown != NONE && si->depth > shown;
        }
        if (shown != NONE && oa_below_shown)
            cuts[i] = shown;
        else if (shown == NONE && first_oa != NONE)
            cuts[i] = first_oa - 1;
        cut |= cuts[i] != NONE;
    }
    return cut ? al_alloc_get_cut(en, A->metric, cuts) : A;
}

static void fill_meta(Engine *en, Alloc *A, Table *t)
{
    Kind k = kind_of_metric(A->metric);
    if (A->metric->op == MK_DERIVED) { /* a ratio such as collected / revenue is a percent */
        Scope sc = {SC_METRICS, 0, 0, 0, 0, 0, NULL};
        Diags quiet = {0}, *saved = en->ev.r.d;
        en->ev.r.d = &quiet;
        k = rx_check(&en->ev.r, &sc, A->metric->c);
        en->ev.r.d = saved;
        diag_free(&quiet);
        if (k != K_MONEY && k != K_COUNT && k != K_SCORE)
            k = K_PERCENT;
    }
    t->metric = A->metric->name;
    t->metric_label = A->metric->str;
    t->kind = k == K_COUNT ? VAL_COUNT : k == K_PERCENT ? VAL_PERCENT : k == K_SCORE ? VAL_SCORE
                                                                                      : VAL_MONEY;
    t->decimals = k == K_COUNT ? 0 : k == K_PERCENT ? 4 : k == K_SCORE ? 2
                                                                       : num_decimals(A->step);
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

/* The formula of a derived metric in one cell (coords NULL: the whole plan). */
static int derived_cell(Engine *en, const Node *metric, Member **coords, int n, Num *out)
{
    Member **saved = en->ev.cell;
    int saved_n = en->ev.ncell;
    en->ev.cell = coords;
    en->ev.ncell = n;
    Frame top = {0};
    int rc = eval_num(&en->ev, &top, metric->c, out);
    en->ev.cell = saved;
    en->ev.ncell = saved_n;
    if (rc == 0 && kind_of_metric(metric) != K_PERCENT) {
        Num r; /* a computed cell is shown rounded to the plan's step */
        if (num_round(*out, en->p->sym->round_step, en->p->sym->rounding, &r) == NUM_OK)
            *out = r;
    }
    return rc;
}

/* Tables of a derived metric: every cell from the formula over its
 * components' cells.  Money and count totals are sums of the cells shown;
 * ratios are computed again at the total. */
static int derived_table(Engine *en, const Node *show, const Node *metric, Arena *arena, Table *t)
{
    Symbols *s = en->p->sym;
    Level *lv[2] = {NULL, NULL};
    int nlv = 0;
    for (const Node *l = show->a; l && nlv < 2; l = l->next)
        lv[nlv++] = strmap_get(&s->levels, l->name);
    Scope sc = {SC_METRICS, 0, 0, 0, 0, 0, NULL};
    Diags quiet = {0}, *saved = en->ev.r.d;
    en->ev.r.d = &quiet;
    Kind k = rx_check(&en->ev.r, &sc, metric->c);
    en->ev.r.d = saved;
    diag_free(&quiet);
    bool additive = k == K_MONEY || k == K_COUNT;
    t->metric = metric->name;
    t->metric_label = metric->str;
    t->kind = k == K_COUNT ? VAL_COUNT : additive ? VAL_MONEY : VAL_PERCENT;
    t->decimals = k == K_COUNT ? 0 : additive ? num_decimals(s->round_step) : 4;
    Member **mem[2] = {NULL, NULL};
    size_t cnt[2] = {1, 1};
    for (int i = 0; i < nlv; i++) {
        Dim *d = lv[i]->dim;
        mem[i] = arena_alloc(arena, (d->nmembers + 1) * sizeof *mem[i]);
        const char **names = arena_alloc(arena, (d->nmembers + 1) * sizeof *names);
        const char **labels = arena_alloc(arena, (d->nmembers + 1) * sizeof *labels);
        cnt[i] = 0;
        for (size_t j = 0; j < d->nmembers; j++)
            if (d->members[j]->depth == lv[i]->depth) {
                names[cnt[i]] = d->members[j]->name;
                labels[cnt[i]] = d->members[j]->label;
                mem[i][cnt[i]++] = d->members[j];
            }
        if (i == 0) {
            t->row_names = names;
            t->row_labels = labels;
        } else {
            t->col_names = names;
            t->col_labels = labels;
        }
    }
    t->row_level = nlv ? lv[0]->name : "total";
    t->col_level = nlv > 1 ? lv[1]->name : NULL;
    t->nrows = cnt[0];
    t->ncols = cnt[1];
    if (!nlv) {
        const char **names = arena_alloc(arena, sizeof *names);
        names[0] = metric->name;
        t->row_names = names;
    }
    Num *cells = arena_alloc(arena, cnt[0] * cnt[1] * sizeof *cells);
    Num *rt = arena_alloc(arena, cnt[0] * sizeof *rt), *ct = arena_alloc(arena, cnt[1] * sizeof *ct);
    Num *grand = arena_alloc(arena, sizeof *grand);
    for (size_t r = 0; r < cnt[0]; r++)
        for (size_t c = 0; c < cnt[1]; c++) {
            Member *co[2];
            int n = 0;
            if (nlv > 0)
                co[n++] = mem[0][r];
            if (nlv > 1)
                co[n++] = mem[1][c];
            Num *cell = &cells[r * cnt[1] + c];
            if (derived_cell(en, metric, n ? co : NULL, n, cell) < 0)
                return -1;
            if (additive) {
                num_add(rt[r], *cell, &rt[r]);
                num_add(ct[c], *cell, &ct[c]);
                num_add(*grand, *cell, grand);
            }
        }
    if (!additive) {
        for (size_t r = 0; r < cnt[0] && nlv > 1; r++)
            if (derived_cell(en, metric, &mem[0][r], 1, &rt[r]) < 0)
                return -1;
        for (size_t c = 0; c < cnt[1] && nlv > 0; c++)
            if (derived_cell(en, metric, nlv > 1 ? &mem[1][c] : NULL, nlv > 1, &ct[c]) < 0)
                return -1;
        if (derived_cell(en, metric, NULL, 0, grand) < 0)
            return -1;
    }
    t->cells = cells;
    t->row_totals = nlv > 1 ? rt : NULL;
    t->col_totals = nlv > 0 ? ct : NULL;
    t->grand_total = grand;
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
static int grid(Engine *en, Alloc *A, int nlv, Side *side, Num *cells, Num *rt, Num *ct,
                Num *grand)
{
    *grand = total_of(en, A);
    if (nlv == 0) {
        cells[0] = *grand;
        return 0;
    }
    const Num *rc = al_canon(en, A, side[0].axis);
    *grand = NUM_ZERO; /* the total of the rows shown */
    for (size_t r = 0; r < side[0].n; r++) {
        rt[r] = rc[side[0].members[r]->gindex];
        num_add(*grand, rt[r], grand);
    }
    if (nlv == 1) {
        memcpy(cells, rt, side[0].n * sizeof *cells);
        ct[0] = *grand;
        return 0;
    }
    const Num *cc = al_canon(en, A, side[1].axis);
    for (size_t c = 0; c < side[1].n; c++)
        ct[c] = cc[side[1].members[c]->gindex];
    size_t nr = side[0].n, nc = side[1].n;
    Num *exact = xcalloc(nr * nc + 1, sizeof *exact);
    size_t stride[ALLOC_MAX_AXES];
    for (int i = A->nax - 1; i >= 0; i--)
        stride[i] = i == A->nax - 1 ? 1 : stride[i + 1] * A->ax[i + 1].nleaves;
    Axis *ra = &A->ax[side[0].axis], *ca = &A->ax[side[1].axis];
    for (size_t c = 0; c < A->ncells; c++) {
        int r = side[0].pos_of_leaf[(c / stride[side[0].axis]) % ra->nleaves];
        int k = side[1].pos_of_leaf[(c / stride[side[1].axis]) % ca->nleaves];
        if (r >= 0 && k >= 0)
            num_add(exact[(size_t)r * nc + (size_t)k], A->exact[c], &exact[(size_t)r * nc + (size_t)k]);
    }
    int rc2 = al_round_grid(en, A, nr, nc, exact, rt, ct, cells);
    free(exact);
    if (rc2 < 0)
        return -1;
    for (size_t c = 0; c < nc; c++) { /* column totals as the cells add up */
        ct[c] = NUM_ZERO;
        for (size_t r = 0; r < nr; r++)
            num_add(ct[c], cells[r * nc + c], &ct[c]);
    }
    return 0;
}

/* The value of METRIC[a] or METRIC[a, b] as its table shows it; more
 * coordinates: the exact sum, rounded. */
int al_cell(Engine *en, Alloc *A, Member **coords, int n, const Node *at, Num *out)
{
    if (n <= 2) {
        Arena arena = {0};
        Side side[2];
        memset(side, 0, sizeof side);
        int rc = 0;
        for (int k = 0; k < n && rc == 0; k++)
            rc = side_for(en, A, at, &coords[k]->dim->levels[coords[k]->depth], &arena, &side[k]);
        if (rc == 0 && n == 2 && side[0].axis == side[1].axis) {
            diag_error(en->p->diags, at->loc, "two members of dimension '%s' in one cell",
                       coords[0]->dim->name);
            rc = -1;
        }
        size_t nr = n ? side[0].n : 1, nc = n > 1 ? side[1].n : 1;
        Num *cells = xcalloc(nr * nc + 1, sizeof *cells), *rt = xcalloc(nr + 1, sizeof *rt);
        Num *ct = xcalloc(nc + 1, sizeof *ct), grand;
        if (rc == 0)
            rc = grid(en, A, n, side, cells, rt, ct, &grand);
        if (rc == 0) {
            size_t r = 0, c = 0;
            for (size_t i = 0; n > 0 && i < side[0].n; i++)
                if (side[0].members[i] == coords[0])
                    r = i;
            for (size_t i = 0; n > 1 && i < side[1].n; i++)
                if (side[1].members[i] == coords[1])
                    c = i;
            *out = n == 0 ? grand : cells[r * nc + c];
        }
        free(cells);
        free(rt);
        free(ct);
        arena_free(&arena);
        return rc;
    }
    int which[ALLOC_MAX_AXES];
    for (int k = 0; k < n; k++)
        if ((which[k] = al_axis_of(A, coords[k]->dim)) < 0) {
            diag_error(en->p->diags, at->loc, "%s is not split by %s", A->metric->name,
                       coords[k]->dim->name);
            return -1;
        }
    Num sum = NUM_ZERO;
    Member *coord[ALLOC_MAX_AXES];
    for (size_t c = 0; c < A->ncells; c++) {
        al_decode(A, A->nax, c, coord);
        bool in = true;
        for (int k = 0; k < n && in; k++)
            in = al_under_or_is(coord[which[k]], coords[k]);
        if (in)
            num_add(sum, A->exact[c], &sum);
    }
    num_round(sum, A->step, en->p->sym->rounding, out);
    return 0;
}

int alloc_table(Engine *en, const Node *show, Arena *arena, Table *t)
{
    memset(t, 0, sizeof *t);
    Symbols *s = en->p->sym;
    const Node *metric = strmap_get(&s->metrics, show->name);
    if (!metric)
        return -1;
    if (metric->op == MK_DERIVED && !alloc_has_splits(en, metric) &&
        !strmap_get(&s->targets, metric->name)) /* a target set directly wins (SPEC §6) */
        return derived_table(en, show, metric, arena, t);
    Alloc *A = alloc_get(en, metric);
    if (!A)
        return -1;
    Level *lv[2] = {NULL, NULL};
    const Node *ref[2] = {NULL, NULL};
    int nlv = 0;
    for (const Node *l = show->a; l && nlv < 2; l = l->next) {
        ref[nlv] = l;
        lv[nlv++] = strmap_get(&s->levels, l->name);
    }
    if (!A->level_metric)
        A = al_table_alloc(en, A, lv, nlv);
    if (!A)
        return -1;
    fill_meta(en, A, t);
    Side side[2];
    for (int k = 0; k < nlv; k++)
        if (side_for(en, A, ref[k], lv[k], arena, &side[k]) < 0)
            return -1;
    t->row_level = nlv ? lv[0]->name : "total";
    t->col_level = nlv > 1 ? lv[1]->name : NULL;
    t->nrows = nlv ? side[0].n : 1;
    t->ncols = nlv > 1 ? side[1].n : 1;
    t->row_names = nlv ? side[0].names : (const char *[]){"total"};
    t->row_labels = nlv ? side[0].labels : NULL;
    if (!nlv) {
        const char **names = arena_alloc(arena, sizeof *names);
        names[0] = A->metric->name;
        t->row_names = names;
    }
    if (nlv > 1) {
        t->col_names = side[1].names;
        t->col_labels = side[1].labels;
    }
    if (A->level_metric)
        return level_table(en, A, nlv ? &side[0] : NULL, nlv > 1 ? &side[1] : NULL, arena, t);
    Num *cells = arena_alloc(arena, t->nrows * t->ncols * sizeof *cells);
    Num *rt = arena_alloc(arena, t->nrows * sizeof *rt), *ct = arena_alloc(arena, t->ncols * sizeof *ct);
    Num *grand = arena_alloc(arena, sizeof *grand);
    if (grid(en, A, nlv, side, cells, rt, ct, grand) < 0)
        return -1;
    t->cells = cells;
    t->row_totals = nlv > 1 ? rt : NULL;
    t->col_totals = nlv > 0 ? ct : NULL;
    t->grand_total = grand;
    t->note = A->note ? arena_strdup(arena, A->note) : NULL;
    return 0;
}

/* ---- explaining a cell ------------------------------------------------------------------- */

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
    switch (si->spec->kind) {
    case N_SPEC_MAP:
        for (const Node *e = si->spec->a; e; e = e->next)
            if (lookup_member_in(&en->ev.r, e->a, si->dim, false) == m) {
                buf_puts(out, e->b->kind == N_REST ? "the rest"
                              : al_share_expr(en, e->b) ? "a share" : "an amount (locked)");
                return;
            }
        buf_puts(out, "not named: nothing");
        return;
    case N_SPEC_WEIGHTS: buf_puts(out, "by weight"); return;
    case N_SPEC_PROP: buf_puts(out, "in proportion"); return;
    case N_SPEC_EQUAL: buf_puts(out, "an equal part"); return;
    case N_SPEC_SEASON: buf_printf(out, "by the seasonality of '%s'", si->spec->name); return;
    case N_SPEC_LIKE: buf_printf(out, "as '%s' is split", si->spec->name); return;
    default: return;
    }
}

/* One coordinate: the path of splits from the whole plan down to m. */
static int explain_axis(Engine *en, Alloc *A, int ai, const Member *m, Buf *out)
{
    Axis *ax = &A->ax[ai];
    const Num *marg = al_marginal(en, A, ai);
    if (!marg)
        return -1;
    char b1[NUM_BUFSZ], b2[NUM_BUFSZ], b3[NUM_BUFSZ];
    Ctx none = {NULL, 0};
    for (int k = 0; k < ax->nsl && ax->sl[k] <= m->depth; k++) {
        const Member *at = al_ancestor_at(m, ax->sl[k]);
        const Member *parent = k ? al_ancestor_at(m, ax->sl[k - 1]) : NULL;
        const SplitInfo *si = at ? al_pick_split(A, ax, k, parent, &none) : NULL;
        if (!si)
            continue;
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
    if (m->depth > ax->sl[ax->nsl - 1])
        buf_printf(out, "  %s is below the finest split of %s\n", m->name, ax->dim->name);
    return 0;
}

int alloc_explain(Engine *en, const Node *cell, Buf *out)
{
    Symbols *s = en->p->sym;
    const Node *mref = cell->kind == N_INDEX ? cell->a : cell;
    const Node *metric = mref->kind == N_NAME ? strmap_get(&s->metrics, mref->name) : NULL;
    if (!metric) {
        diag_error(en->p->diags, cell->loc, "--explain needs a metric cell such as revenue[north, Q1]");
        return -1;
    }
    Member *coords[ALLOC_MAX_AXES];
    int n = 0;
    for (const Node *c = cell->kind == N_INDEX ? cell->b : NULL; c && n < ALLOC_MAX_AXES; c = c->next) {
        Member *m = lookup_member(&en->ev.r, (Node *)c, true);
        if (!m)
            return -1;
        coords[n++] = m;
    }
    Alloc *A = alloc_get(en, metric);
    if (!A)
        return -1;
    char b1[NUM_BUFSZ], b2[NUM_BUFSZ];
    Num value;
    if (al_metric_hook(&en->ev, metric, n ? coords : NULL, n, cell, &value) < 0)
        return -1;
    buf_printf(out, "%s", metric->name);
    for (int i = 0; i < n; i++)
        buf_printf(out, "%s%s", i ? ", " : "[", coords[i]->name);
    buf_printf(out, "%s = %s\n", n ? "]" : "", al_fmtv(A, value, b1));
    Node *t = strmap_get(&s->targets, metric->name);
    Node *from = strmap_get(&s->targets_from, metric->name);
    buf_printf(out, "  target %s = %s\n      ", metric->name, al_fmtv(A, A->root, b1));
    if (t || from)
        source_ref(out, from ? from : t);
    buf_putc(out, '\n');
    if (from || A->level_metric) {
        buf_printf(out, "  %s\n", from ? "the cells come from the submitted file, summed"
                                        : "a percent or score value: set for the member, else "
                                          "inherited from its parent, else the target");
        return 0;
    }
    for (int i = 0; i < n; i++) {
        int ai = al_axis_of(A, coords[i]->dim);
        if (ai < 0) {
            buf_printf(out, "  %s is not split by %s\n", metric->name, coords[i]->dim->name);
            continue;
        }
        if (explain_axis(en, A, ai, coords[i], out) < 0)
            return -1;
    }
    Num exact = NUM_ZERO;
    size_t cells = 0;
    Member *coord[ALLOC_MAX_AXES];
    for (size_t c = 0; c < A->ncells; c++) {
        al_decode(A, A->nax, c, coord);
        bool in = true;
        for (int k = 0; k < n && in; k++) {
            int ai = al_axis_of(A, coords[k]->dim);
            in = ai >= 0 && al_under_or_is(coord[ai], coords[k]);
        }
        if (in) {
            num_add(exact, A->exact[c], &exact);
            cells++;
        }
    }
    char b3[NUM_BUFSZ];
    for (int i = 0; i < n; i++) { /* a member outside its start/end months */
        const Member *m = coords[i];
        if (m->dim->is_time || (!m->active_from && !m->active_to))
            continue;
        for (int k = 0; k < n; k++) {
            if (!coords[k]->dim->is_time)
                continue;
            int months[12], nm = 0;
            Dim *td = coords[k]->dim;
            for (size_t j = 0; j < td->nmembers; j++)
                if (td->members[j]->depth == 3 && al_under_or_is(td->members[j], coords[k]))
                    months[nm++] = al_month_code(td->members[j]);
            bool any = false;
            for (int j = 0; j < nm; j++)
                any |= eval_active(m, months[j]);
            if (!any)
                buf_printf(out, "  %s is not active in %s (start %04d-%02d%s): it gets nothing there, "
                                "its active siblings take its part\n",
                           m->name, coords[k]->name, m->active_from / 100, m->active_from % 100,
                           m->active_to ? ", with an end month" : "");
        }
    }
    buf_printf(out, "  exact value %s, the sum of %zu allocation cell%s; cells are rounded to "
                    "steps of %s together (controlled rounding): %s\n",
               al_fmtv(A, exact, b1), cells, cells == 1 ? "" : "s", num_str(A->step, b2),
               al_fmtv(A, value, b3));
    return 0;
}

