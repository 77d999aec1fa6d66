/* measure.c -- targets, actuals and attainment of one member over a range
 * of months, and the periods a cadence reports (see measure.h for the
 * rules).  Targets are read from allocation tables; nothing here splits a
 * target or prints. */
#include "measure/measure.h"

#include <stdlib.h>
#include <string.h>

/* A metric's rounded targets per member of one level and per time bucket
 * (12 months, 4 quarters, 2 halves or the year), from its allocation table. */
struct Grid {
    int nbuckets; /* 12, 4, 2 or 1 */
    size_t nmem;  /* members of the level (rows), by Member.index */
    Num *cells;   /* nmem * nbuckets */
    bool *have;   /* nmem: the table has a row for it */
    bool failed;
};

static Member *time_member(const Symbols *s, int depth, int index)
{
    for (size_t i = 0; i < s->time->nmembers; i++) {
        Member *m = s->time->members[i];
        if (m->depth == depth && m->index == index)
            return m;
    }
    return NULL;
}

int ms_cadence(const char *name)
{
    return sym_word_index(sym_cadence_names, name);
}

int ms_fiscal_month(const Symbols *s, int year, int month)
{
    return cal_fiscal_month(sym_fiscal_year(s), year, month);
}

const char *ms_month_label(const Symbols *s, int i)
{
    Member *m = time_member(s, 3, i);
    return m ? m->name : "?";
}

static void ms_eval_hooks(Measure *ms);

void ms_init(Measure *ms, Program *p, Engine *en, const Actuals *act, const Node *scenario,
             int as_of)
{
    memset(ms, 0, sizeof *ms);
    ms->p = p;
    ms->en = en;
    ms->act = act;
    ms->scenario = scenario;
    ms->d_actual = -1;
    ms->as_of_week = -2;
    if (as_of >= 0 || as_of == MS_AS_OF_NONE)
        ms->as_of = as_of < 0 ? -1 : as_of;
    else if (scenario)
        ms->as_of = 11;
    else
        ms->as_of = act ? act_last_month(act) : -1;
    eval_init(&ms->ev, p);
    ms->ev.budget = en->ev.budget; /* one budget for the engine and the measures */
    ms_eval_hooks(ms);
}

void ms_free(Measure *ms)
{
    for (size_t i = 0; i < ms->grids.count; i++) {
        Grid *g = ms->grids.slots[i].val;
        if (g) {
            free(g->cells);
            free(g->have);
            free(g);
        }
    }
    strmap_free(&ms->grids);
    ms_weeks_free(ms);
    ms_cards_free(ms);
    eval_free(&ms->ev);
    arena_free(&ms->arena);
}

/* The time member a period of cadence c starting at fiscal month from is
 * named after. */
static Member *period_member(const Symbols *s, Cadence c, int from)
{
    switch (c) {
    case CAD_MONTHLY:
        return time_member(s, 3, from);
    case CAD_QUARTERLY:
        return time_member(s, 2, cal_quarter_of(from));
    case CAD_HALF:
        return time_member(s, 1, cal_half_of(from));
    default:
        return time_member(s, 0, 0);
    }
}

const char *ms_period_label(const Symbols *s, Cadence c, int from)
{
    Member *m = period_member(s, c, from);
    return m ? m->name : "?";
}

int ms_periods(Measure *ms, Cadence c, Period *out)
{
    static const int span[] = {1, 3, 6, 12};
    int n = 0, len = span[c];
    for (int from = 0; from < 12 && from <= ms->as_of; from += len) {
        Period *pd = &out[n++];
        pd->from = from;
        pd->to = from + len - 1;
        pd->partial = ms->as_of < pd->to;
        pd->last = pd->partial ? ms->as_of : pd->to;
        Member *m = period_member(ms->p->sym, c, from);
        pd->label = m ? m->name : "?";
        pd->week = -1;
    }
    return n;
}

/* ---- targets ------------------------------------------------------------------------------ */

static Node *name_node(Measure *ms, const char *name, Loc loc)
{
    Node *n = ast_new(&ms->arena, N_NAME, loc);
    n->name = name;
    return n;
}

/* The finest time level the allocation reaches: 3 month .. 0 year. */
static int time_depth(const Alloc *A)
{
    for (int i = 0; i < A->nax; i++)
        if (A->ax[i].dim->is_time)
            return A->ax[i].sl[A->ax[i].nsl - 1];
    return 0;
}

/* A grid per lv needs the metric split down to lv. */
static int check_level_split(Measure *ms, const Alloc *A, const Node *metric, const Level *lv,
                             const Node *at)
{
    int ai = -1;
    for (int i = 0; i < A->nax; i++)
        if (A->ax[i].dim == lv->dim)
            ai = i;
    if (ai >= 0 && A->ax[ai].sl[A->ax[ai].nsl - 1] >= lv->depth)
        return 0;
    diag_error(ms->p->diags, at->loc, "'%s' has no target per %s", metric->name, lv->name);
    if (ai < 0)
        diag_note_plain(ms->p->diags,
                        "it is not split by %s; add a split such as 'split %s by %s "
                        "...'",
                        lv->dim->name, metric->name, lv->name);
    else
        diag_note_plain(ms->p->diags, "its splits of %s stop at %s", lv->dim->name,
                        lv->dim->levels[A->ax[ai].sl[A->ax[ai].nsl - 1]].name);
    return -1;
}

/* `show METRIC by LV, TIME` (TIME: the level of depth td; either may be
 * absent), the table a grid is read from. */
static Node *grid_show(Measure *ms, const Node *metric, const Level *lv, int td, const Node *at)
{
    Node *show = ast_new(&ms->arena, N_SHOW, at->loc);
    show->op = SHOW_METRIC;
    show->name = metric->name;
    Node *levels = lv ? name_node(ms, lv->name, at->loc) : NULL;
    if (td > 0) {
        Node *t = name_node(ms, ms->p->sym->time->levels[td].name, at->loc);
        levels = levels ? ast_append(levels, t) : t;
    }
    show->a = levels;
    return show;
}

/* The grid's rows from the table: the members of lv by index (or one row,
 * the plan), a bucket per column (or the total repeated). */
static void fill_grid(Grid *g, const Table *t, const Level *lv, int td)
{
    size_t nmem = lv ? 0 : 1;
    for (size_t i = 0; lv && i < lv->dim->nmembers; i++)
        if (lv->dim->members[i]->depth == lv->depth && !lv->dim->members[i]->pseudo)
            nmem++;
    g->nmem = nmem;
    g->cells = xcalloc(nmem * (size_t)g->nbuckets, sizeof *g->cells);
    g->have = xcalloc(nmem, sizeof *g->have);
    if (!lv) {
        g->have[0] = true;
        for (int b = 0; b < g->nbuckets; b++)
            g->cells[b] = td > 0 ? t->cells[b] : t->cells[0];
        return;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        Member *m = strmap_get(&lv->dim->by_name, t->row_names[r]);
        if (!m || m->depth != lv->depth || m->pseudo || (size_t)m->index >= nmem)
            continue;
        g->have[m->index] = true;
        Num *row = &g->cells[(size_t)m->index * (size_t)g->nbuckets];
        for (int b = 0; b < g->nbuckets && (size_t)b < t->ncols; b++)
            row[b] = t->cells[r * t->ncols + (size_t)b];
    }
}

static Grid *build_grid(Measure *ms, const Node *metric, const Level *lv, const Node *at)
{
    static const int buckets[] = {1, 2, 4, 12};
    Grid *g = xcalloc(1, sizeof *g);
    Alloc *A = alloc_get(ms->en, metric);
    if (!A || (lv && check_level_split(ms, A, metric, lv, at) < 0)) {
        g->failed = true;
        return g;
    }
    int td = time_depth(A);
    g->nbuckets = buckets[td];
    Arena arena = {0};
    Table t;
    if (alloc_table(ms->en, grid_show(ms, metric, lv, td, at), &arena, &t) < 0)
        g->failed = true;
    else
        fill_grid(g, &t, lv, td);
    arena_free(&arena);
    return g;
}

static Grid *grid_for(Measure *ms, const Node *metric, const Level *lv, const Node *at)
{
    for (int i = 0; i < 4; i++)
        if (ms->recent[i].metric == metric && ms->recent[i].lv == lv)
            return ms->recent[i].g->failed ? NULL : ms->recent[i].g;
    char key[512];
    snprintf(key, sizeof key, "%s\x1f%s", metric->name, lv ? lv->name : "");
    Grid *g = strmap_get(&ms->grids, key);
    if (!g) {
        g = build_grid(ms, metric, lv, at);
        if (g->failed && ms->ev.budget->stop != EVAL_GOING) {
            free(g->cells); /* stopped (Ctrl-C, --max-steps): not a failure to remember */
            free(g->have);
            free(g);
            return NULL;
        }
        strmap_put(&ms->grids, arena_strdup(&ms->arena, key), g);
    }
    memmove(&ms->recent[1], &ms->recent[0], 3 * sizeof ms->recent[0]);
    ms->recent[0].metric = metric;
    ms->recent[0].lv = lv;
    ms->recent[0].g = g;
    return g->failed ? NULL : g;
}

static int num_fail(Measure *ms, const Node *at, NumStatus st)
{
    return diag_arith_fault(ms->p->diags, at->loc, st, NUM_ZERO, NUM_ZERO);
}

/* Sum of a grid row over months from..to; a bucket partly inside counts in
 * proportion to its months. */
static int grid_sum(Measure *ms, const Grid *g, size_t row, int from, int to, const Node *at,
                    Num *out)
{
    int span = 12 / g->nbuckets;
    Num acc = NUM_ZERO;
    for (int b = 0; b < g->nbuckets; b++) {
        int lo = b * span, hi = lo + span - 1;
        int a = lo > from ? lo : from, z = hi < to ? hi : to;
        if (a > z)
            continue;
        Num v = g->cells[row * (size_t)g->nbuckets + (size_t)b];
        NumStatus st = NUM_OK;
        if (z - a + 1 < span) {
            Num part;
            if ((st = num_mul(v, num_from_int(z - a + 1), &part)) == NUM_OK)
                st = num_div(part, num_from_int(span), &v);
        }
        if (st == NUM_OK)
            st = num_add(acc, v, &acc);
        if (st != NUM_OK)
            return num_fail(ms, at, st);
    }
    *out = acc;
    return 0;
}

static bool is_level_kind(const Node *metric)
{
    Kind k = sym_metric_kind(metric);
    return k == K_PERCENT || k == K_SCORE;
}

/* A derived metric's value from its components (targets or actuals): 0,
 * 1 when it is n/a (a division by zero in its formula or a component's;
 * *out 0), or -1 after reporting. */
/* The values of derived metrics found during one outermost derived_value:
 * a formula naming a derived metric twice (m2 = m1 / m1...) computes it
 * once.  Kept no longer, as a worked example's inputs change between
 * evaluations. */
typedef struct {
    Num v;
    int rc;
} DerivedMemo;

static const char *memo_key(const Node *metric, const Member *m, int from, int to, int actual,
                            Buf *b)
{
    b->len = 0;
    buf_printf(b, "%s\x1f%p\x1f%d\x1f%d\x1f%d", metric->name, (const void *)m, from, to, actual);
    return buf_cstr(b);
}

static void memo_free(StrMap *memo)
{
    for (size_t i = 0; i < memo->count; i++)
        free(memo->slots[i].val);
    strmap_free(memo);
}

static int derived_formula(Measure *ms, const Node *metric, const Member *m, int from, int to,
                           int actual, Num *out);

static int derived_value(Measure *ms, const Node *metric, const Member *m, int from, int to,
                         int actual, Num *out)
{
    Buf b = {0};
    const char *key = memo_key(metric, m, from, to, actual, &b);
    DerivedMemo *hit = strmap_get(&ms->dmemo, key);
    int rc = hit ? hit->rc : 0;
    if (hit) {
        *out = hit->v;
    } else if (eval_enter(&ms->ev, metric->name_loc, EVAL_UNITS_DEFINITION) < 0) {
        rc = -1;
    } else {
        ms->dmemo_depth++;
        rc = derived_formula(ms, metric, m, from, to, actual, out);
        ms->dmemo_depth--;
        eval_leave(&ms->ev, EVAL_UNITS_DEFINITION);
        DerivedMemo *memo = xmalloc(sizeof *memo);
        *memo = (DerivedMemo){*out, rc};
        if (ms->dmemo_depth > 0 && rc >= 0)
            strmap_put(&ms->dmemo, key, memo);
        else
            free(memo);
    }
    buf_free(&b);
    if (ms->dmemo_depth == 0)
        memo_free(&ms->dmemo);
    return rc;
}

static int derived_formula(Measure *ms, const Node *metric, const Member *m, int from, int to,
                           int actual, Num *out)
{
    const Member *sm = ms->d_member;
    int sf = ms->d_from, st = ms->d_to, sa = ms->d_actual;
    bool s_div = ms->ev.na_div, s_na = ms->ev.na;
    ms->d_member = m;
    ms->d_from = from;
    ms->d_to = to;
    ms->d_actual = actual;
    ms->ev.na_div = true;
    ms->ev.na = false;
    const Member *s_attr = ms->ev.attr_member;
    ms->ev.attr_member = m; /* volume * unit_price for a product: its unit_price */
    Frame top = {0};
    int rc = eval_num(&ms->ev, &top, metric->c, out);
    ms->ev.attr_member = s_attr;
    bool na = ms->ev.na;
    ms->d_member = sm;
    ms->d_from = sf;
    ms->d_to = st;
    ms->d_actual = sa;
    ms->ev.na_div = s_div;
    ms->ev.na = s_na;
    if (rc == 0 && na) {
        *out = NUM_ZERO;
        return 1;
    }
    return rc;
}

/* A percent or score metric: one value per member, the same in every period. */
static int level_target(Measure *ms, const Node *metric, const Alloc *A, const Member *m,
                        const Node *at, Num *out)
{
    if (!m) {
        *out = A->root;
        return 0;
    }
    Member *c[1] = {(Member *)m};
    return ms->en->ev.metric(&ms->en->ev, metric, c, 1, at, out);
}

int ms_target(Measure *ms, const Node *metric, const Member *m, int from, int to, const Node *at,
              Num *out)
{
    if (from > to) {
        *out = NUM_ZERO;
        return 0;
    }
    if (alloc_is_ratio(ms->en, metric)) /* additive ones are allocations of their own */
        return derived_value(ms, metric, m, from, to, 0, out);
    Alloc *A = alloc_get(ms->en, metric);
    if (!A)
        return -1;
    if (A->level_metric)
        return level_target(ms, metric, A, m, at, out);
    Grid *g = grid_for(ms, metric, m ? &m->dim->levels[m->depth] : NULL, at);
    if (!g)
        return -1;
    size_t row = m ? (size_t)m->index : 0;
    if (row >= g->nmem || !g->have[row]) {
        *out = NUM_ZERO;
        return 0;
    }
    return grid_sum(ms, g, row, from, to, at, out);
}

/* ---- actuals ------------------------------------------------------------------------------ */

/* The scenario's attainment for a metric: its own line, else the line for
 * every metric, else 100%. */
static int scenario_factor(Measure *ms, const Node *metric, Num *out)
{
    const Node *all = NULL, *own = NULL;
    for (const Node *it = ms->scenario->a; it; it = it->next) {
        if (!it->b && strcmp(it->name, "attainment") == 0)
            all = it; /* attainment = P% */
        else if (strcmp(it->name, metric->name) == 0)
            own = it; /* attainment revenue = P%, new_customers = P% */
    }
    const Node *use = own ? own : all;
    if (!use) {
        *out = NUM_ONE;
        return 0;
    }
    Frame top = {0};
    return eval_num(&ms->ev, &top, use->a, out);
}

/* Under a scenario: the target times the scenario's attainment. */
static int scenario_actual(Measure *ms, const Node *metric, const Member *m, int from, int to,
                           const Node *at, Num *out)
{
    Num t, f;
    int rc = ms_target(ms, metric, m, from, to, at, &t);
    if (rc != 0 || scenario_factor(ms, metric, &f) < 0) {
        *out = NUM_ZERO;
        return rc > 0 ? rc : -1; /* an n/a target gives an n/a actual */
    }
    NumStatus st = num_mul(t, f, out);
    return st == NUM_OK ? 0 : num_fail(ms, at, st);
}

/* From the actuals store: the sum, or for percent and score metrics the
 * mean of the months reported. */
static int recorded_actual(Measure *ms, const Node *metric, const Member *m, int from, int to,
                           const Node *at, Num *out)
{
    *out = NUM_ZERO;
    if (!ms->act || (m && m->pseudo))
        return 0;
    Num sum = act_sum(ms->act, metric, m, from, to);
    if (!is_level_kind(metric)) {
        *out = sum;
        return 0;
    }
    long n = act_count(ms->act, metric, m, from, to);
    if (n == 0)
        return 0;
    NumStatus st = num_div(sum, num_from_int(n), out);
    return st == NUM_OK ? 0 : num_fail(ms, at, st);
}

/* The dimension whose attribute a derived metric's own formula reads
 * (volume * unit_price: product), or NULL; *name set to the first one. */
static const Dim *formula_attr_dim(const Symbols *s, const Node *e, const Node **name)
{
    if (!e)
        return NULL;
    if (e->kind == N_NAME && !strmap_get((StrMap *)&s->lets, e->name) &&
        !strmap_get((StrMap *)&s->metrics, e->name))
        for (int i = 0; i < s->ndims; i++)
            if (!s->dims[i]->is_time && strmap_get(&s->dims[i]->attr_names, e->name)) {
                *name = e;
                return s->dims[i];
            }
    if (e->kind == N_CALL && eval_builtin(e->name) && eval_builtin(e->name)->cls == BI_MEMBERS)
        return NULL;
    const Node *kids[] = {e->a, e->b, e->c};
    for (int i = 0; i < 3; i++)
        for (const Node *k = kids[i]; k; k = k->next) {
            const Dim *d = formula_attr_dim(s, k, name);
            if (d)
                return d;
        }
    return NULL;
}

static bool is_under(const Member *x, const Member *m)
{
    while (x && x != m)
        x = x->parent;
    return x != NULL;
}

/* The actual of a metric that reads an attribute of d, for m (a member of
 * d, or the plan: NULL): the sum of its formula for each leaf of d under
 * m, each with the leaf's attribute and actuals. */
static int attr_actual(Measure *ms, const Node *metric, const Dim *d, const Node *attr,
                       const Member *m, int from, int to, Num *out)
{
    if (m && m->dim != d) {
        diag_error(ms->p->diags, attr->loc,
                   "the actual of %s reads '%s' of each %s, and %s is no %s", metric->name,
                   attr->name, d->name, m->name, d->name);
        diag_note_plain(ms->p->diags, "review, score or pay %s by a level of %s", metric->name,
                        d->name);
        return -1;
    }
    if (m && m->depth == d->nlevels - 1)
        return derived_value(ms, metric, m, from, to, 1, out);
    *out = NUM_ZERO;
    for (size_t i = 0; i < d->nmembers; i++) {
        const Member *x = d->members[i];
        if (x->depth != d->nlevels - 1 || (m && !is_under(x, m)))
            continue;
        Num v;
        int rc = derived_value(ms, metric, x, from, to, 1, &v);
        if (rc < 0)
            return -1;
        NumStatus st = rc == 0 ? num_add(*out, v, out) : NUM_OK;
        if (st != NUM_OK)
            return num_fail(ms, attr, st);
    }
    return 0;
}

int ms_actual(Measure *ms, const Node *metric, const Member *m, int from, int to, const Node *at,
              Num *out)
{
    const Node *attr = NULL;
    const Dim *ad =
        metric->op == MK_DERIVED ? formula_attr_dim(ms->en->p->sym, metric->c, &attr) : NULL;
    if (to > ms->as_of)
        to = ms->as_of;
    if (from > to) {
        *out = NUM_ZERO;
        return 0;
    }
    if (ms->scenario && !alloc_is_ratio(ms->en, metric))
        return scenario_actual(ms, metric, m, from, to, at, out);
    if (ad)
        return attr_actual(ms, metric, ad, attr, m, from, to, out);
    if (metric->op == MK_DERIVED)
        return derived_value(ms, metric, m, from, to, 1, out);
    return recorded_actual(ms, metric, m, from, to, at, out);
}

Num ms_default_cap(void)
{
    Num cap;
    num_from_ratio(6, 5, &cap); /* 120% */
    return cap;
}

int ms_ratio(const Node *metric, Num target, Num actual, Num full, Num *out)
{
    bool lower = metric->b && strcmp(metric->b->name, "lower_is_better") == 0;
    *out = NUM_ZERO;
    if (num_is_zero(target))
        return 1; /* no target: n/a */
    if (lower && num_is_zero(actual)) {
        if (num_sign(target) < 0)
            return 1;
        *out = full; /* none at all against a positive target: full attainment */
        return 0;
    }
    Num num = lower ? target : actual, den = lower ? actual : target, q;
    if (num_div_mode(num, den, NUM_TRUNC, &q) == NUM_OK)
        *out = q;
    return 0;
}

int ms_attainment(Measure *ms, const Node *metric, const Member *m, int from, int to,
                  const Node *at, Num *out)
{
    Num t, a;
    int last = to < ms->as_of ? to : ms->as_of;
    int rt = ms_target(ms, metric, m, from, last, at, &t);
    int ra = rt < 0 ? -1 : ms_actual(ms, metric, m, from, last, at, &a);
    *out = NUM_ZERO;
    if (rt < 0 || ra < 0)
        return -1;
    if (rt > 0 || ra > 0)
        return 1;
    return ms_ratio(metric, t, a, ms_default_cap(), out);
}

/* ---- evaluation hooks --------------------------------------------------------------------- */

/* Inside a derived metric, a component answers for the member and months
 * being computed; elsewhere a metric name is its plan target (allocation). */
/* A component a ratio's target takes exactly (money and counts, derived
 * ones too), not as the rounded cells its tables show. */
static bool exact_component(Measure *ms, const Node *metric)
{
    if (alloc_is_ratio(ms->en, metric))
        return false;
    const Alloc *A = alloc_get(ms->en, metric);
    return A && !A->level_metric;
}

static int metric_hook(Eval *e, const Node *metric, Member **coords, int ncoords, const Node *at,
                       Num *out)
{
    Measure *ms = e->user;
    if (ms->d_actual == 0 && !coords && exact_component(ms, metric))
        return alloc_exact_over(ms->en, metric, ms->d_member, ms->d_from, ms->d_to, out);
    if (ms->d_actual >= 0 && !coords) {
        int rc = ms->d_actual ? ms_actual(ms, metric, ms->d_member, ms->d_from, ms->d_to, at, out)
                              : ms_target(ms, metric, ms->d_member, ms->d_from, ms->d_to, at, out);
        if (rc > 0)
            e->na = true; /* an n/a component: the derived metric is n/a */
        return rc < 0 ? -1 : 0;
    }
    return ms->en->ev.metric(&ms->en->ev, metric, coords, ncoords, at, out);
}

static int total_hook(Eval *e, const Node *call, const char *name, int fy, Num *out)
{
    Measure *ms = e->user;
    return ms->en->ev.total(&ms->en->ev, call, name, fy, out);
}

static void ms_eval_hooks(Measure *ms)
{
    ms->ev.metric = metric_hook;
    ms->ev.total = total_hook;
    ms->ev.hist = ms_hist_hook;
    ms->ev.user = ms;
}
