/* weeks.c -- weeks and days under the months: the weight of each week
 * fragment of a month (from the metric's split by week, else by working
 * days), and the tables by week or day made from the table by month.
 * Each member's month cell is shared among the month's week fragments by
 * controlled rounding (the members' fragments add up to their month cells,
 * each fragment column to its share of the month's total, by largest
 * remainder); a week is the sum of its fragments; a fragment is shared
 * among its days by working days the same way.  Ratios and rates by week
 * or day are their formula on these tables. */
#include <stdlib.h>
#include <string.h>

#include "alloc/alloc_int.h"

bool al_sub_month(const char *level)
{
    return strcmp(level, "week") == 0 || strcmp(level, "day") == 0;
}

/* The split by week of metric that applies to fiscal month m: one scoped
 * to the month, else to its quarter, half or the year; NULL: none. */
static const Node *week_split_for(const Symbols *s, const Node *metric, int m)
{
    const Node *best = NULL;
    int best_depth = -1;
    for (int i = 0; i < s->nweek_splits; i++) {
        const Node *n = s->week_splits[i];
        if (strcmp(n->name, metric->name) != 0 || strcmp(n->a->name, "week") != 0)
            continue;
        const Member *tm = n->b ? sym_lookup_member(s, n->b, NULL) : s->time->members[0];
        if (!tm || !tm->dim->is_time)
            continue;
        bool covers = tm->depth == 0 || (tm->depth == 3 && tm->index == m) ||
                      (tm->depth == 2 && tm->index == m / 3) ||
                      (tm->depth == 1 && tm->index == m / 6);
        if (covers && tm->depth > best_depth) {
            best = n;
            best_depth = tm->depth;
        }
    }
    return best;
}

/* Weights of the fragments of month m: their working days (their days
 * when the month has none, or when days is set). */
static void day_weights(const WeekCal *c, int m, bool days, Num *w)
{
    int total = 0, from, to;
    for (int k = 0; k < c->nfrag[m]; k++) {
        wk_frag_days(c, m, k, &from, &to);
        total += wk_workdays(c, from, to);
    }
    for (int k = 0; k < c->nfrag[m]; k++) {
        wk_frag_days(c, m, k, &from, &to);
        w[k] = num_from_int(days || total == 0 ? to - from : wk_workdays(c, from, to));
    }
}

/* The sum of the weights w[0..n) into *sum: 0, or -1 after reporting a
 * negative weight or weights that add up to 0. */
static int weigh(Engine *en, const Node *at, const Num *w, int n, Num *sum)
{
    *sum = NUM_ZERO;
    for (int k = 0; k < n; k++)
        if (num_sign(w[k]) < 0 || num_add(*sum, w[k], sum) != NUM_OK) {
            diag_error(en->p->diags, at->loc, "a week's weight is negative or too large");
            return -1;
        }
    if (num_is_zero(*sum)) {
        diag_error(en->p->diags, at->loc, "the weeks' weights add up to 0");
        return -1;
    }
    return 0;
}

/* { w1: amount, w2: share, w3: rest }: the weeks' values, over the
 * month's exact total (*sum); 1 when the month is 0 (then by working days). */
static int map_shares(Engine *en, const Node *metric, const Node *n, int m, Num *w, Num *sum)
{
    const WeekCal *c = en->p->sym->weeks;
    Num total, given = NUM_ZERO;
    if (alloc_exact_over(en, metric, NULL, m, m, &total) < 0)
        return -1;
    int rest = -1;
    Frame top = {0};
    for (const Node *e = n->c->a; e; e = e->next) {
        int k = wk_frag_by_name(c, m, e->a->name);
        if (e->b->kind == N_REST) {
            rest = k;
            continue;
        }
        Num v;
        if (eval_num(&en->ev, &top, e->b, &v) < 0)
            return -1;
        if ((Kind)e->b->flags == K_PERCENT && num_mul(v, total, &v) != NUM_OK)
            return al_num_err(en, e->b->loc, NUM_OVERFLOW);
        w[k] = v;
        if (num_add(given, v, &given) != NUM_OK)
            return al_num_err(en, e->b->loc, NUM_OVERFLOW);
    }
    Num left;
    num_sub(total, given, &left);
    char b1[NUM_BUFSZ], b2[NUM_BUFSZ];
    if ((rest < 0 && !num_is_zero(left)) || (rest >= 0 && num_sign(left) < 0)) {
        diag_error(en->p->diags, n->c->loc, "the weeks add up to %s, but the month is %s",
                   num_fmt(given, 2, true, b1), num_fmt(total, 2, true, b2));
        diag_note_plain(en->p->diags, rest < 0 ? "give one week 'rest', or make them add up"
                                               : "the weeks named are more than the month");
        return -1;
    }
    if (rest >= 0)
        w[rest] = left;
    *sum = total;
    return num_is_zero(total) ? 1 : 0; /* nothing to share: by working days */
}

int al_week_shares(Engine *en, const Node *metric, int m, Num *w, Num *sum)
{
    const WeekCal *c = en->p->sym->weeks;
    const Node *n = week_split_for(en->p->sym, metric, m);
    for (int k = 0; k < WK_MAX_FRAGS; k++)
        w[k] = NUM_ZERO;
    if (n && n->c->kind == N_SPEC_MAP) {
        int rc = map_shares(en, metric, n, m, w, sum);
        if (rc <= 0)
            return rc;
        n = NULL;
    }
    if (n && n->c->kind == N_SPEC_WEIGHTS) {
        Frame top = {0};
        for (const Node *e = n->c->a; e; e = e->next)
            if (eval_num(&en->ev, &top, e->b, &w[wk_frag_by_name(c, m, e->a->name)]) < 0)
                return -1;
        return weigh(en, n->c, w, c->nfrag[m], sum);
    }
    day_weights(c, m, n != NULL, w);
    return weigh(en, metric, w, c->nfrag[m], sum);
}

/* ---- tables by week or day ------------------------------------------------------------------ */

typedef struct {
    Engine *en;
    const Alloc *A;
    const WeekCal *c;
    bool days;                              /* columns are days, not weeks */
    int ncol;                               /* weeks, or days */
    Num weight[12][WK_MAX_FRAGS], wsum[12]; /* fragment k of month m: weight / wsum */
} Sub;

/* v * w / sum, multiplied first (a share that ends is exact). */
static int part(Num v, Num w, Num sum, Num *out)
{
    return num_mul(v, w, out) == NUM_OK && num_div(*out, sum, out) == NUM_OK ? 0 : -1;
}

/* Rounds nr lines of n cells: line r shares rowt[r] by the weights
 * w[0..n) over wsum, each column adding up to its share of the lines' sum
 * (largest remainder): out[r * n + k]. */
static int share_lines(const Sub *u, size_t nr, const Num *rowt, const Num *w, Num wsum, int n,
                       Num *out)
{
    Num sum = NUM_ZERO, colx[7], colt[7];
    Num *exact = xmalloc((nr * (size_t)n + 1) * sizeof *exact);
    int rc = 0;
    for (size_t r = 0; r < nr; r++)
        num_add(sum, rowt[r], &sum);
    for (int k = 0; k < n && rc == 0; k++) {
        rc = part(sum, w[k], wsum, &colx[k]);
        for (size_t r = 0; r < nr && rc == 0; r++)
            rc = part(rowt[r], w[k], wsum, &exact[r * (size_t)n + (size_t)k]);
    }
    if (rc == 0 && alloc_apportion(u->A->step, colx, (size_t)n, sum, APPORTION_SNAP, colt) < 0)
        rc = -1;
    if (rc < 0)
        al_num_err(u->en, u->A->metric->name_loc, NUM_OVERFLOW);
    else
        rc = al_round_grid(u->en, u->A, nr, (size_t)n, exact, rowt, colt, NULL, 0, out);
    free(exact);
    return rc;
}

/* Day weights of the days [from, to): working days, or every day when
 * none is worked; their sum in *sum. */
static void day_shares(const WeekCal *c, int from, int to, Num *w, Num *sum)
{
    int wd = wk_workdays(c, from, to);
    for (int i = from; i < to; i++)
        w[i - from] = num_from_int(wd ? c->work[i] : 1);
    *sum = num_from_int(wd ? wd : to - from);
}

/* Month m of every line: its fragments, added to their weeks or spread
 * over their days, into lines[r * ncol + column]. */
static int spread_month(const Sub *u, int m, size_t nr, const Num *month, Num *lines)
{
    const WeekCal *c = u->c;
    int n = c->nfrag[m];
    Num *fr = xmalloc((nr * WK_MAX_FRAGS + 1) * sizeof *fr);
    Num *col = xmalloc((nr + 1) * sizeof *col), *dr = xmalloc((nr * 7 + 1) * sizeof *dr);
    int rc = share_lines(u, nr, month, u->weight[m], u->wsum[m], n, fr);
    for (int k = 0; k < n && rc == 0; k++) {
        int from, to, w = c->frag_week[m][k];
        wk_frag_days(c, m, k, &from, &to);
        Num sh[7], shsum;
        day_shares(c, from, to, sh, &shsum);
        for (size_t r = 0; r < nr; r++)
            col[r] = fr[r * (size_t)n + (size_t)k];
        if (u->days && (rc = share_lines(u, nr, col, sh, shsum, to - from, dr)) < 0)
            break;
        for (size_t r = 0; r < nr; r++) {
            Num *line = &lines[r * (size_t)u->ncol];
            if (!u->days)
                num_add(line[w], col[r], &line[w]);
            for (int i = from; u->days && i < to; i++)
                line[i] = dr[r * (size_t)(to - from) + (size_t)(i - from)];
        }
    }
    free(fr);
    free(col);
    free(dr);
    return rc;
}

static const char **col_names(const Sub *u, Arena *arena)
{
    const char **names = arena_alloc(arena, (size_t)u->ncol * sizeof *names);
    char buf[24];
    for (int i = 0; i < u->ncol; i++)
        names[i] = arena_strdup(arena, u->days ? wk_date_label(u->c->first_day + i, buf)
                                               : wk_week_label(u->c, i, buf));
    return names;
}

/* The month table's cells, a line (row or column) of months per member,
 * spread to the table by week or day. */
static int spread_table(const Sub *u, const Table *mt, int iw, Table *t, Arena *arena)
{
    size_t nother = iw == 0 ? mt->ncols : mt->nrows, nsub = (size_t)u->ncol;
    Num *lines = arena_alloc(arena, nother * nsub * sizeof *lines);
    Num *month = xmalloc((nother + 1) * sizeof *month);
    memset(lines, 0, nother * nsub * sizeof *lines);
    for (int m = 0; m < 12; m++) {
        for (size_t o = 0; o < nother; o++)
            month[o] =
                iw == 0 ? mt->cells[(size_t)m * mt->ncols + o] : mt->cells[o * 12 + (size_t)m];
        if (spread_month(u, m, nother, month, lines) < 0) {
            free(month);
            return -1;
        }
    }
    free(month);
    size_t nr = iw == 0 ? nsub : nother, nc = iw == 0 ? nother : nsub;
    Num *cells = lines, *ct = arena_alloc(arena, nc * sizeof *ct);
    if (iw == 0) { /* rows are weeks: the lines are the columns */
        cells = arena_alloc(arena, nr * nc * sizeof *cells);
        for (size_t o = 0; o < nother; o++)
            for (size_t s = 0; s < nsub; s++)
                cells[s * nother + o] = lines[o * nsub + s];
    }
    for (size_t c = 0; c < nc; c++) {
        ct[c] = NUM_ZERO;
        for (size_t r = 0; r < nr; r++)
            num_add(ct[c], cells[r * nc + c], &ct[c]);
    }
    t->cells = cells;
    t->col_totals = ct;
    if (iw == 0 && t->row_totals) { /* each week the sum of its cells */
        Num *rt = arena_alloc(arena, nr * sizeof *rt);
        for (size_t r = 0; r < nr; r++) {
            rt[r] = NUM_ZERO;
            for (size_t c = 0; c < nc; c++)
                num_add(rt[r], cells[r * nc + c], &rt[r]);
        }
        t->row_totals = rt;
    }
    return 0;
}

/* ---- rates by week or day ------------------------------------------------------------------- */

#define RATE_MAX_PARTS 8

static bool by_formula(Engine *en, const Node *metric);

/* A rate's formula at one cell or total of its table: each component's
 * value there (slot: a cell r * ncols + c, then the row totals, the
 * column totals and the grand total, as Table.na counts them). */
typedef struct {
    const Node *metric[RATE_MAX_PARTS];
    Table tab[RATE_MAX_PARTS];
    int n;
    size_t slot;
} RateCtx;

static Num slot_value(const Table *t, size_t slot)
{
    size_t ncell = t->nrows * t->ncols;
    if (slot < ncell)
        return t->cells[slot];
    if (slot < ncell + t->nrows)
        return t->row_totals ? t->row_totals[slot - ncell] : t->cells[(slot - ncell) * t->ncols];
    if (slot < ncell + t->nrows + t->ncols)
        return t->col_totals[slot - ncell - t->nrows];
    return *t->grand_total;
}

static int rate_hook(Eval *e, const Node *metric, Member **coords, int ncoords, const Node *at,
                     Num *out)
{
    const RateCtx *rc = e->user;
    for (int i = 0; i < rc->n; i++)
        if (rc->metric[i] == metric && coords == e->cell && ncoords == e->ncell) {
            *out = slot_value(&rc->tab[i], rc->slot);
            return 0;
        }
    diag_error(e->d, at->loc, "'%s' has no value by week here", metric->name);
    diag_note_plain(e->d, "a ratio or rate by week or day names its metrics without [ ]");
    return -1;
}

/* The additive metrics the formula names, each once. */
static void rate_parts(Engine *en, const Node *e, RateCtx *rc)
{
    for (; e; e = e->next) {
        const Node *m = e->kind == N_NAME ? strmap_get(&en->p->sym->metrics, e->name) : NULL;
        bool seen = false;
        for (int i = 0; m && i < rc->n; i++)
            seen |= rc->metric[i] == m;
        if (m && !seen && rc->n < RATE_MAX_PARTS)
            rc->metric[rc->n++] = m;
        rate_parts(en, e->a, rc);
        rate_parts(en, e->b, rc);
        rate_parts(en, e->c, rc);
        rate_parts(en, e->d, rc);
    }
}

/* The days of a slot: its week or day (the column, or the row, of level
 * iw), else the whole year. */
static void slot_days(const Table *t, int iw, bool days, const WeekCal *c, size_t slot, int *from,
                      int *to)
{
    size_t ncell = t->nrows * t->ncols, i = (size_t)-1;
    if (slot < ncell)
        i = iw == 0 ? slot / t->ncols : slot % t->ncols;
    else if (slot < ncell + t->nrows && iw == 0)
        i = slot - ncell;
    else if (slot >= ncell + t->nrows && slot < ncell + t->nrows + t->ncols && iw == 1)
        i = slot - ncell - t->nrows;
    *from = 0;
    *to = c->ndays;
    if (i != (size_t)-1) {
        *from = days ? (int)i : c->week_first[i];
        *to = days ? (int)i + 1 : c->week_first[i] + 7;
    }
    if (*from < 0)
        *from = 0;
}

static int rate_values(Engine *en, const Node *metric, RateCtx *rc, int iw, bool days, Table *t,
                       Arena *arena)
{
    size_t nslot = t->nrows * t->ncols + t->nrows + t->ncols + 1;
    Num *v = arena_alloc(arena, nslot * sizeof *v);
    bool *na = arena_alloc(arena, nslot * sizeof *na);
    Eval *ev = &en->ev;
    Eval saved = *ev;
    ev->metric = rate_hook;
    ev->user = rc;
    ev->na_div = true;
    int rcode = 0;
    for (rc->slot = 0; rc->slot < nslot && rcode == 0; rc->slot++) {
        slot_days(t, iw, days, en->p->sym->weeks, rc->slot, &ev->days_from, &ev->days_to);
        ev->na = false;
        Frame top = {0};
        rcode = eval_num(ev, &top, metric->c, &v[rc->slot]);
        if ((na[rc->slot] = ev->na))
            v[rc->slot] = NUM_ZERO;
    }
    ev->metric = saved.metric;
    ev->user = saved.user;
    ev->na_div = saved.na_div;
    ev->na = saved.na;
    ev->days_from = saved.days_from;
    ev->days_to = saved.days_to;
    size_t ncell = t->nrows * t->ncols;
    t->cells = v;
    t->row_totals = t->row_totals ? v + ncell : NULL;
    t->col_totals = v + ncell + t->nrows;
    t->grand_total = v + ncell + t->nrows + t->ncols;
    t->na = na;
    return rcode;
}

/* A rate (a derived metric over working_days) by week or day: its formula
 * at every cell and total, on its components' tables by the same levels,
 * with the working days of the cell's week or day (a total: of the year). */
static int rate_week_table(Engine *en, const Node *show, const Node *metric, int iw, Arena *arena,
                           Table *t)
{
    RateCtx *rc = xcalloc(1, sizeof *rc);
    rate_parts(en, metric->c, rc);
    int rcode = 0;
    for (int i = 0; i < rc->n && rcode == 0; i++) {
        Node part = *show;
        part.name = rc->metric[i]->name;
        if (!al_additive(rc->metric[i])) {
            diag_error(en->p->diags, show->loc, "'%s' in '%s' is not shown by week",
                       rc->metric[i]->name, metric->name);
            rcode = -1;
        } else
            rcode = al_week_table(en, &part, arena, &rc->tab[i]);
        if (rcode == 0 && i > 0 &&
            (rc->tab[i].nrows != rc->tab[0].nrows || rc->tab[i].ncols != rc->tab[0].ncols)) {
            diag_error(en->p->diags, show->loc, "the metrics of '%s' have different rows here",
                       metric->name);
            rcode = -1;
        }
    }
    if (rcode == 0 && rc->n == 0) {
        diag_error(en->p->diags, show->loc, "'%s' names no metric to show by week", metric->name);
        rcode = -1;
    }
    if (rcode == 0) {
        *t = rc->tab[0];
        Kind k = (Kind)metric->flags;
        t->metric = metric->name;
        t->metric_label = metric->str;
        t->kind = k == K_MONEY ? VAL_MONEY : k == K_COUNT || k == K_SCORE ? VAL_SCORE : VAL_PERCENT;
        t->decimals = k == K_MONEY           ? num_decimals(en->p->sym->round_step)
                      : t->kind == VAL_SCORE ? 2
                                             : 4;
        t->note = NULL;
        bool days = strcmp(iw == 0 ? show->a->name : show->a->next->name, "day") == 0;
        rcode = rate_values(en, metric, rc, iw, days, t, arena);
    }
    free(rc);
    return rcode;
}

/* The show by month a show by week or day is made from (copy, with the
 * level nodes in lv); returns the position of the week or day level. */
static int month_show(const Node *show, Node *copy, Node lv[2])
{
    Node *prev = NULL;
    int iw = 0, k = 0;
    *copy = *show;
    copy->a = NULL;
    for (const Node *l = show->a; l && k < 2; l = l->next, k++) {
        lv[k] = *l;
        lv[k].next = NULL;
        if (al_sub_month(l->name)) {
            iw = k;
            lv[k].name = "month";
        }
        if (prev)
            prev->next = &lv[k];
        else
            copy->a = &lv[k];
        prev = &lv[k];
    }
    return iw;
}

/* A ratio or a rate: its formula again at every cell and total. */
static bool by_formula(Engine *en, const Node *metric)
{
    return al_is_derived(en, metric) && !al_additive(metric);
}

/* The week or day side of the table in place of the months. */
static void sub_headings(const Sub *u, int iw, Table *t, Arena *arena)
{
    if (iw == 0) {
        t->row_level = u->days ? "day" : "week";
        t->nrows = (size_t)u->ncol;
        t->row_names = col_names(u, arena);
        t->row_labels = NULL;
    } else {
        t->col_level = u->days ? "day" : "week";
        t->ncols = (size_t)u->ncol;
        t->col_names = col_names(u, arena);
        t->col_labels = NULL;
    }
}

/* A metric named with [ ] inside a rate's formula (or NULL). */
static const Node *indexed_part(const Symbols *s, const Node *e)
{
    for (; e; e = e->next) {
        if (e->kind == N_INDEX && e->a && e->a->kind == N_NAME &&
            strmap_get(&s->metrics, e->a->name))
            return e;
        const Node *kids[] = {e->a, e->b, e->c, e->d};
        for (int i = 0; i < 4; i++) {
            const Node *f = indexed_part(s, kids[i]);
            if (f)
                return f;
        }
    }
    return NULL;
}

/* A rate by week or day: its metrics named plainly, each money or count. */
static int check_rate_parts(Engine *en, const Node *metric, const Node *at)
{
    const Node *ix = indexed_part(en->p->sym, metric->c);
    if (ix) {
        diag_error(en->p->diags, at->loc, "'%s' cannot be shown by %s", metric->name, at->name);
        diag_note(en->p->diags, ix->loc,
                  "a ratio or rate by week or day names its metrics without [ ]");
        return -1;
    }
    RateCtx *parts = xcalloc(1, sizeof *parts);
    rate_parts(en, metric->c, parts);
    int rc = 0;
    for (int i = 0; i < parts->n && rc == 0; i++)
        if (!al_additive(parts->metric[i])) {
            diag_error(en->p->diags, at->loc, "'%s' cannot be shown by %s: '%s' is a %s",
                       metric->name, at->name, parts->metric[i]->name,
                       al_is_derived(en, parts->metric[i])
                           ? "ratio"
                           : sym_kind_name(sym_metric_kind(parts->metric[i])));
            diag_note_plain(en->p->diags,
                            "a ratio or rate by week or day is made of money and count metrics");
            rc = -1;
        }
    free(parts);
    return rc;
}

int alloc_check_week_show(Engine *en, const Node *metric, const Node *at)
{
    if (by_formula(en, metric))
        return check_rate_parts(en, metric, at);
    if (!al_is_derived(en, metric) && !sym_additive(metric)) {
        diag_error(en->p->diags, at->loc, "a %s metric is not shown by %s",
                   sym_kind_name(sym_metric_kind(metric)), at->name);
        diag_note_plain(en->p->diags, "'%s' does not add up over days: show it by month",
                        metric->name);
        return -1;
    }
    return 0;
}

int al_week_table(Engine *en, const Node *show, Arena *arena, Table *t)
{
    Symbols *s = en->p->sym;
    const Node *metric = strmap_get(&s->metrics, show->name);
    Node copy, lv[2];
    int iw = month_show(show, &copy, lv);
    const char *sub = iw == 1 ? show->a->next->name : show->a->name;
    const Node *at = iw == 1 ? show->a->next : show->a;
    if (!metric || alloc_check_week_show(en, metric, at) < 0)
        return -1;
    if (by_formula(en, metric))
        return rate_week_table(en, show, metric, iw, arena, t);
    Alloc *A = NULL;
    if (alloc_table(en, &copy, arena, t) < 0 || !(A = alloc_get(en, metric)))
        return -1;
    Sub u = {.en = en, .A = A, .c = s->weeks, .days = strcmp(sub, "day") == 0};
    u.ncol = u.days ? u.c->ndays : u.c->nweeks;
    for (int m = 0; m < 12; m++)
        if (al_week_shares(en, metric, m, u.weight[m], &u.wsum[m]) < 0)
            return -1;
    Table mt = *t;
    sub_headings(&u, iw, t, arena);
    return spread_table(&u, &mt, iw, t, arena);
}

int alloc_check_weeks(Engine *en)
{
    const Symbols *s = en->p->sym;
    int rc = 0;
    for (int i = 0; i < s->nweek_splits; i++) {
        const Node *n = s->week_splits[i];
        const Node *metric = strmap_get(&s->metrics, n->name);
        const Member *tm = n->b ? sym_lookup_member(s, n->b, NULL) : NULL;
        if (!metric || !tm || !tm->dim->is_time || tm->depth != 3 || n->c->kind == N_SPEC_EQUAL)
            continue;
        Num w[WK_MAX_FRAGS], sum;
        if (al_week_shares(en, metric, tm->index, w, &sum) < 0)
            rc = -1;
    }
    return rc;
}
