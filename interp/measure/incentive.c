/* incentive.c -- incentive lines, scorecards and rankings per member and
 * period; worked examples and assertions (SPEC §10, §11, §13).
 *
 * Incentive lines are plan expressions evaluated by eval.c in a frame
 * whose parameters are the lines computed so far and whose member gives
 * the attributes.  What only an incentive knows (revenue.actual,
 * attainment(revenue, team), prev(owed)) comes through the Eval's context
 * hook, answered here from a Cx: a real member and period, the givens of
 * an example, or the whole plan (assertions).
 */
#include "measure/measure.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/valfmt.h"

typedef enum { CX_MEMBER, CX_EXAMPLE, CX_PLAN } CxMode;

typedef struct {
    CxMode mode;
    const Member *m;
    const Period *pd;
    const Node *lines; /* the incentive's lines */
    const Value *prev; /* this member's values in its previous period, or NULL */
    const Node *given; /* CX_EXAMPLE: list of N_ENTRY */
} Cx;

static const Value ZERO_VALUE = {.kind = V_NUM, .num = {0}, .str = NULL};

static int line_index(const Node *lines, const char *name)
{
    int i = 0;
    for (const Node *l = lines; l; l = l->next, i++)
        if (strcmp(l->name, name) == 0)
            return i;
    return -1;
}

bool ms_active(const Symbols *s, const Member *m, const Period *pd)
{
    for (int k = pd->from; k <= pd->last; k++) {
        if (sym_active(m, cal_month_code(sym_fiscal_year(s), k)))
            return true;
    }
    return false;
}

Member **ms_level_members(const Level *lv, size_t *n)
{
    Member **v = xcalloc(lv->dim->nmembers + 1, sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < lv->dim->nmembers; i++) {
        Member *m = lv->dim->members[i];
        if (m->depth == lv->depth && !m->pseudo)
            v[k++] = m;
    }
    *n = k;
    return v;
}

/* ---- the context hook ------------------------------------------------------------------- */

/* Structural equality of two small expressions (given left-hand sides). */
static bool same_expr(const Node *a, const Node *b)
{
    if (!a || !b)
        return a == b;
    if (a->kind != b->kind)
        return false;
    if ((a->name || b->name) && (!a->name || !b->name || strcmp(a->name, b->name) != 0))
        return false;
    if (a->kind == N_NUM)
        return num_cmp(a->num, b->num) == 0;
    if (!same_expr(a->a, b->a))
        return false;
    const Node *x = a->b, *y = b->b;
    if (a->kind == N_CALL) {
        for (; x && y; x = x->next, y = y->next)
            if (!same_expr(x, y))
                return false;
        return !x && !y;
    }
    return true;
}

/* The given value for an expression of the example, if any. */
static const Node *given_for(const Cx *cx, const Node *n)
{
    for (const Node *g = cx->given; g; g = g->next)
        if (same_expr(g->a, n))
            return g;
    return NULL;
}

static int eval_given(Measure *ms, const Node *g, Value *out)
{
    Frame top = {0};
    return eval_expr(&ms->ev, &top, g->b, out);
}

/* A field of an example: given, or derived from what is given. */
static int example_field(Measure *ms, const Cx *cx, const Node *n, Value *out);

static int given_field(Measure *ms, const Cx *cx, const Node *n, const char *metric,
                       const char *field, Num *out)
{
    Node probe = *n, obj = {0};
    obj.kind = N_NAME;
    obj.name = metric;
    probe.kind = N_FIELD;
    probe.a = &obj;
    probe.name = field;
    Value v;
    if (example_field(ms, cx, &probe, &v) < 0)
        return -1;
    *out = v.num;
    return 0;
}

static int example_attainment(Measure *ms, const Cx *cx, const Node *call, Value *out)
{
    const Node *g = given_for(cx, call);
    if (g)
        return eval_given(ms, g, out);
    const Node *a1 = call->b;
    if (a1->next) { /* attainment(M, LEVEL): as if the member were alone in its team */
        Node probe = *call;
        Node arg = *a1;
        arg.next = NULL;
        probe.b = &arg;
        return example_attainment(ms, cx, &probe, out);
    }
    Node *metric = strmap_get(&ms->p->sym->metrics, a1->name);
    Num t, a;
    if (given_field(ms, cx, call, a1->name, "target", &t) < 0 ||
        given_field(ms, cx, call, a1->name, "actual", &a) < 0)
        return -1;
    *out = (Value){.kind = V_NUM, .num = NUM_ZERO, .str = NULL};
    ms_ratio(metric, t, a, ms_default_cap(), &out->num); /* n/a: 0 */
    return 0;
}

/* An example's M.actual from M.target and attainment(M), or its M.target
 * from M.actual and attainment(M), when both are given.  Returns 0, -1
 * after reporting, or 1 when they are not given. */
static int derive_field(Measure *ms, const Cx *cx, const Node *n, Value *out)
{
    bool actual = strcmp(n->name, "actual") == 0;
    Node obj = {0}, call = {0}, other = *n;
    obj.kind = N_NAME;
    obj.name = n->a->name;
    call.kind = N_CALL;
    call.name = "attainment";
    call.b = &obj;
    other.a = &obj;
    other.name = actual ? "target" : "actual";
    const Node *ga = given_for(cx, &call), *go = given_for(cx, &other);
    if (!ga || !go)
        return 1;
    Value att, ov;
    if (eval_given(ms, ga, &att) < 0 || eval_given(ms, go, &ov) < 0)
        return -1;
    NumStatus st =
        actual ? num_mul(ov.num, att.num, &out->num) : num_div(ov.num, att.num, &out->num);
    out->kind = V_NUM;
    out->str = NULL;
    return st == NUM_OK ? 0 : diag_arith_fault(ms->p->diags, n->loc, st, ov.num, att.num);
}

static int example_field(Measure *ms, const Cx *cx, const Node *n, Value *out)
{
    const Node *g = given_for(cx, n);
    if (g)
        return eval_given(ms, g, out);
    const char *metric = n->a->name, *f = n->name;
    if (strcmp(f, "ytd_target") == 0 || strcmp(f, "ytd_actual") == 0) {
        Num v;
        if (given_field(ms, cx, n, metric, f + 4, &v) < 0)
            return -1;
        *out = (Value){.kind = V_NUM, .num = v, .str = NULL};
        return 0;
    }
    int rc = derive_field(ms, cx, n, out);
    if (rc <= 0)
        return rc;
    diag_error(ms->p->diags, n->loc, "the example does not give %s.%s", metric, f);
    diag_note_plain(ms->p->diags, "add it after 'given': %s.%s = ...", metric, f);
    return -1;
}

static const Member *ancestor_at(const Member *m, const Level *lv)
{
    while (m && m->depth > lv->depth)
        m = m->parent;
    return m && m->depth == lv->depth ? m : NULL;
}

/* prev(LINE): the line's value in the member's previous period (0 in the
 * first); in an example, its given value or 0. */
static int prev_value(Measure *ms, const Cx *cx, const Node *n, Value *out)
{
    if (cx->mode == CX_EXAMPLE) {
        const Node *g = given_for(cx, n);
        return g ? eval_given(ms, g, out) : 0;
    }
    int i = cx->lines ? line_index(cx->lines, n->b->name) : -1;
    if (i < 0) {
        diag_error(ms->p->diags, n->loc, "prev() needs an incentive line");
        return -1;
    }
    if (cx->prev)
        *out = cx->prev[i];
    return 0;
}

/* M.target, M.actual, M.ytd_target, M.ytd_actual of the member over its
 * period (year to date: from the first month); the whole plan's target
 * covers the year. */
static int field_value(Measure *ms, const Cx *cx, const Node *n, int from, int last, Value *out)
{
    Node *metric = strmap_get(&ms->p->sym->metrics, n->a->name);
    const char *fl = n->name;
    bool ytd = strncmp(fl, "ytd_", 4) == 0, target = strcmp(fl + (ytd ? 4 : 0), "target") == 0;
    int a = ytd ? 0 : from;
    int z = target && cx->mode == CX_PLAN ? 11 : last;
    int rc = target ? ms_target(ms, metric, cx->m, a, z, n, &out->num)
                    : ms_actual(ms, metric, cx->m, a, z, n, &out->num);
    return rc < 0 ? -1 : 0; /* n/a (a ratio without denominator) counts as 0 */
}

/* attainment(M[, LEVEL]): of the member, or of its ancestor at LEVEL. */
static int attainment_value(Measure *ms, const Cx *cx, const Node *n, int from, int last,
                            Value *out)
{
    Diags *d = ms->p->diags;
    Node *metric = strmap_get(&ms->p->sym->metrics, n->b->name);
    const Node *lvn = n->b->next;
    const Member *m = cx->m;
    if (lvn) {
        Level *lv = strmap_get(&ms->p->sym->levels, lvn->name);
        const Member *anc = m && lv ? ancestor_at(m, lv) : NULL;
        if (!anc) {
            diag_error(d, lvn->loc, "%s has no %s above it", m ? m->name : "the plan", lvn->name);
            if (m && lv)
                diag_note_plain(d, "%s is a %s of %s; %s is a level of %s", m->name,
                                m->dim->levels[m->depth].name, m->dim->name, lv->name,
                                lv->dim->name);
            return -1;
        }
        m = anc;
    }
    /* n/a (a zero target) is 0: no target, no attainment-based pay */
    return ms_attainment(ms, metric, m, from, last, n, &out->num) < 0 ? -1 : 0;
}

/* The Eval's context hook: what only an incentive, example or assertion
 * knows (see the top of this file). */
static int cx_hook(Eval *e, const Frame *f, const Node *n, Value *out)
{
    (void)f;
    Measure *ms = e->user;
    const Cx *cx = ms->ctx;
    if (!cx) {
        diag_error(ms->p->diags, n->loc,
                   "this is only known inside an incentive, example or assert");
        return -1;
    }
    *out = ZERO_VALUE;
    if (n->kind == N_CALL && strcmp(n->name, "prev") == 0)
        return prev_value(ms, cx, n, out);
    if (cx->mode == CX_EXAMPLE)
        return n->kind == N_FIELD ? example_field(ms, cx, n, out)
                                  : example_attainment(ms, cx, n, out);
    int from = cx->pd ? cx->pd->from : 0, last = cx->pd ? cx->pd->last : ms->as_of;
    if (n->kind == N_FIELD && !strmap_get(&ms->p->sym->metrics, n->a->name))
        return ms_card_value(ms, n, cx->m, cx->pd, out); /* CARD.score, .rating, .rank */
    if (n->kind == N_FIELD)
        return field_value(ms, cx, n, from, last, out);
    return attainment_value(ms, cx, n, from, last, out);
}

/* ---- incentives --------------------------------------------------------------------------- */

static int inc_total_hook(Eval *e, const Node *call, const char *name, int fy, Num *out);

static void bind(Measure *ms)
{
    ms->ev.context = cx_hook;
    ms->ev.total = inc_total_hook;
}

Cadence ms_statement_cadence(Program *p, const char *name, bool scorecard)
{
    for (Unit *u = p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next) {
            if (n->kind != N_REVIEW || ms_cadence(n->name) < 0)
                continue;
            for (Node *it = n->a; it; it = it->next)
                if (it->kind == (scorecard ? N_USE_SCORECARD : N_USE_INCENTIVE) &&
                    strcmp(it->name, name) == 0)
                    return (Cadence)ms_cadence(n->name);
        }
    return CAD_ANNUAL;
}

static void where(Diags *d, const Member *m, const Period *pd)
{
    if (m)
        diag_note_plain(d, "for %s %s, %s", m->dim->levels[m->depth].name, m->name, pd->label);
    else
        diag_note_plain(d, "for %s", pd->label);
}

/* total(X) inside X is a cycle; and total() nests at most 16 deep. */
static int check_not_busy(Measure *ms, const Node *inc)
{
    for (int i = 0; i < ms->nbusy; i++)
        if (ms->busy[i] == inc) {
            diag_error(ms->p->diags, inc->name_loc, "incentive '%s' depends on its own total",
                       inc->name);
            return -1;
        }
    if (ms->nbusy >= 16) {
        diag_error(ms->p->diags, inc->name_loc, "incentives nested too deeply through total()");
        return -1;
    }
    return 0;
}

/* The result's members, periods, lines and value arrays. */
static void inc_result_init(IncResult *r, const Node *inc, const Period *per, int nper)
{
    r->mem = ms_level_members(r->lv, &r->nmem);
    r->nper = nper;
    memcpy(r->per, per, (size_t)nper * sizeof *per);
    r->nlines = (int)ast_list_len(inc->b);
    r->lines = xcalloc((size_t)r->nlines + 1, sizeof *r->lines);
    int k = 0;
    for (const Node *l = inc->b; l; l = l->next, k++) {
        r->lines[k] = l;
        if (strcmp(l->name, "payout") == 0)
            r->payout = k;
    }
    size_t cells = (size_t)nper * r->nmem;
    r->val = xcalloc(cells * (size_t)r->nlines + 1, sizeof *r->val);
    r->in = xcalloc(cells + 1, sizeof *r->in);
}

/* Member i in period p: every line in order (nothing when the member is
 * not active); last[i] holds its values of the period before, for prev(). */
static int inc_member_period(Measure *ms, const Node *inc, IncResult *r, int p, size_t i,
                             const Value **last)
{
    Member *m = r->mem[i];
    size_t c = (size_t)p * r->nmem + i;
    if (!ms_active(ms->p->sym, m, &r->per[p]))
        return 0;
    r->in[c] = true;
    Value *v = &r->val[c * (size_t)r->nlines];
    Cx cx = {CX_MEMBER, m, &r->per[p], inc->b, last[i], NULL};
    void *saved = ms->ctx;
    ms->ctx = &cx;
    Frame f = {inc->b, v, m, false, 0, NULL};
    int j = 0, rc = 0;
    for (const Node *l = inc->b; l && rc == 0; l = l->next, j++)
        if (eval_expr(&ms->ev, &f, l->a, &v[j]) < 0) {
            where(ms->p->diags, m, &r->per[p]);
            rc = -1;
        }
    ms->ctx = saved;
    last[i] = v;
    return rc;
}

int ms_incentive(Measure *ms, const Node *inc, const Period *per, int nper, IncResult *r)
{
    memset(r, 0, sizeof *r);
    bind(ms);
    r->decl = inc;
    r->lv = strmap_get(&ms->p->sym->levels, inc->a->name);
    if (!r->lv || check_not_busy(ms, inc) < 0)
        return -1;
    inc_result_init(r, inc, per, nper);
    const Value **last = xcalloc(r->nmem + 1, sizeof *last);
    ms->busy[ms->nbusy++] = inc;
    int rc = 0;
    for (int p = 0; p < nper && rc == 0; p++)
        for (size_t i = 0; i < r->nmem && rc == 0; i++)
            rc = inc_member_period(ms, inc, r, p, i, last);
    ms->nbusy--;
    free(last);
    return rc;
}

void ms_incentive_free(IncResult *r)
{
    free(r->mem);
    free(r->lines);
    free(r->val);
    free(r->in);
    memset(r, 0, sizeof *r);
}

int ms_incentive_total(Measure *ms, const Node *inc, const Node *at, Num *out)
{
    Period per[12];
    int n = ms_periods(ms, ms_statement_cadence(ms->p, inc->name, false), per);
    IncResult r;
    if (ms_incentive(ms, inc, per, n, &r) < 0) {
        ms_incentive_free(&r);
        return -1;
    }
    Symbols *s = ms->p->sym;
    Num acc = NUM_ZERO;
    NumStatus st = NUM_OK;
    for (size_t c = 0; c < (size_t)n * r.nmem && st == NUM_OK; c++) {
        if (!r.in[c])
            continue;
        Num pay;
        Num v = r.val[c * (size_t)r.nlines + (size_t)r.payout].num;
        st = num_round(v, s->round_step, s->rounding, &pay);
        if (st == NUM_OK)
            st = num_add(acc, pay, &acc);
    }
    ms_incentive_free(&r);
    if (st != NUM_OK)
        return diag_arith_fault(ms->p->diags, at->loc, st, acc, NUM_ZERO);
    *out = acc;
    return 0;
}

static int inc_total_hook(Eval *e, const Node *call, const char *name, int fy, Num *out)
{
    Measure *ms = e->user;
    Node *inc = strmap_get(&ms->p->sym->incentives, name);
    if (inc)
        return ms_incentive_total(ms, inc, call, out);
    return ms->en->ev.total(&ms->en->ev, call, name, fy, out);
}

/* ---- scorecards --------------------------------------------------------------------------- */

/* A KPI's cap: its own, else 120%. */
static int kpi_cap(Measure *ms, const Node *kpi, Num *cap)
{
    Frame top = {0};
    *cap = ms_default_cap();
    return kpi->b ? eval_num(&ms->ev, &top, kpi->b, cap) : 0;
}

static int kpi_score(Measure *ms, const Node *kpi, Num att, Num cap, Num *out)
{
    Frame top = {0};
    if (kpi->c) { /* score curve { attainment: score, ... } */
        Node arg = {0}, table = *kpi->c;
        arg.kind = N_NUM;
        arg.loc = kpi->c->loc;
        arg.num = att;
        table.a = &arg;
        return eval_num(&ms->ev, &top, &table, out);
    }
    Num capped = num_cmp(att, cap) > 0 ? cap : att;
    NumStatus st = num_mul(capped, num_from_int(100), out);
    if (st != NUM_OK)
        return diag_arith_fault(ms->p->diags, kpi->loc, st, capped, num_from_int(100));
    return 0;
}

static int rate(Measure *ms, const Node *sc, Num total, const char **out)
{
    *out = "";
    Num best = NUM_ZERO;
    bool have = false;
    for (const Node *k = sc->b; k; k = k->next) {
        if (k->kind != N_RATING)
            continue;
        for (const Node *e = k->a; e; e = e->next) {
            Num t;
            Frame top = {0};
            if (eval_num(&ms->ev, &top, e->b, &t) < 0)
                return -1;
            if (num_cmp(t, total) <= 0 && (!have || num_cmp(t, best) > 0)) {
                best = t;
                have = true;
                *out = e->a->name;
            }
        }
    }
    return 0;
}

static int rank_within(ScResult *r, Measure *ms, const Node *rank);

/* The scorecard's KPIs and their weights. */
static int sc_kpis(Measure *ms, const Node *sc, ScResult *r)
{
    for (const Node *k = sc->b; k; k = k->next)
        r->nkpi += k->kind == N_KPI;
    r->kpis = xcalloc((size_t)r->nkpi + 1, sizeof *r->kpis);
    r->weight = xcalloc((size_t)r->nkpi + 1, sizeof *r->weight);
    int nk = 0;
    Frame top = {0};
    for (const Node *k = sc->b; k; k = k->next)
        if (k->kind == N_KPI) {
            r->kpis[nk] = k;
            if (eval_num(&ms->ev, &top, k->a, &r->weight[nk]) < 0)
                return -1;
            nk++;
        }
    return 0;
}

/* The result's arrays: per member and period, and per KPI of those. */
static void sc_result_alloc(ScResult *r)
{
    size_t cells = (size_t)r->nper * r->nmem, kc = cells * (size_t)r->nkpi + 1;
    r->target = xcalloc(kc, sizeof *r->target);
    r->actual = xcalloc(kc, sizeof *r->actual);
    r->att = xcalloc(kc, sizeof *r->att);
    r->score = xcalloc(kc, sizeof *r->score);
    r->na = xcalloc(kc, sizeof *r->na);
    r->total = xcalloc(cells + 1, sizeof *r->total);
    r->total_na = xcalloc(cells + 1, sizeof *r->total_na);
    r->rating = xcalloc(cells + 1, sizeof *r->rating);
    r->in = xcalloc(cells + 1, sizeof *r->in);
    r->rank = xcalloc(cells + 1, sizeof *r->rank);
    r->bottom = xcalloc(cells + 1, sizeof *r->bottom);
}

/* The weighted scores of a member's KPIs: their sum and the weights that count. */
typedef struct {
    Num sum, weight;
} Weighted;

/* Target, actual and attainment of KPI k (x: its cell of the result), and
 * what of them is n/a. */
static int kpi_values(Measure *ms, ScResult *r, size_t x, int k, const Member *m, const Period *pd,
                      Num cap)
{
    const Node *kpi = r->kpis[k];
    Node *metric = strmap_get(&ms->p->sym->metrics, kpi->name);
    int rt = ms_target(ms, metric, m, pd->from, pd->last, kpi, &r->target[x]);
    int ra = rt < 0 ? -1 : ms_actual(ms, metric, m, pd->from, pd->last, kpi, &r->actual[x]);
    if (rt < 0 || ra < 0)
        return -1;
    r->na[x] = (rt ? MS_NA_TARGET : 0) | (ra ? MS_NA_ACTUAL : 0);
    if (r->na[x] || ms_ratio(metric, r->target[x], r->actual[x], cap, &r->att[x]))
        r->na[x] |= MS_NA_SCORE;
    return 0;
}

/* KPI k of member cell c (member m, period pd): target, actual,
 * attainment and score; its weighted score goes into *w (not when n/a). */
static int kpi_cell(Measure *ms, ScResult *r, size_t c, int k, const Period *pd, Weighted *w)
{
    size_t x = c * (size_t)r->nkpi + (size_t)k;
    const Node *kpi = r->kpis[k];
    const Member *m = r->mem[c % r->nmem];
    Num cap;
    if (kpi_cap(ms, kpi, &cap) < 0 || kpi_values(ms, r, x, k, m, pd, cap) < 0 ||
        (!r->na[x] && kpi_score(ms, kpi, r->att[x], cap, &r->score[x]) < 0)) {
        where(ms->p->diags, m, pd);
        return -1;
    }
    if (r->na[x] & MS_NA_SCORE)
        return 0;
    Num part;
    if (num_mul(r->weight[k], r->score[x], &part) != NUM_OK ||
        num_add(w->sum, part, &w->sum) != NUM_OK ||
        num_add(w->weight, r->weight[k], &w->weight) != NUM_OK) {
        diag_error(ms->p->diags, kpi->loc, "score of %s too large to add up", m->name);
        return -1;
    }
    return 0;
}

/* The total of cell c: the weighted scores, the weights of the KPIs left
 * out (n/a) spread over the others; n/a when every KPI is. */
static void sc_total(ScResult *r, size_t c, const Weighted *w)
{
    r->total_na[c] = num_sign(w->weight) <= 0;
    r->total[c] = w->sum;
    if (!r->total_na[c] && num_cmp(w->weight, NUM_ONE) != 0 &&
        num_div(w->sum, w->weight, &r->total[c]) != NUM_OK)
        r->total[c] = w->sum;
}

/* Member i in period p: every KPI, the weighted total and the rating. */
static int sc_member_period(Measure *ms, const Node *sc, ScResult *r, int p, size_t i)
{
    size_t c = (size_t)p * r->nmem + i;
    r->rating[c] = "";
    if (!ms_active(ms->p->sym, r->mem[i], &r->per[p]))
        return 0;
    r->in[c] = true;
    Weighted w = {NUM_ZERO, NUM_ZERO};
    for (int k = 0; k < r->nkpi; k++)
        if (kpi_cell(ms, r, c, k, &r->per[p], &w) < 0)
            return -1;
    sc_total(r, c, &w);
    return r->total_na[c] ? 0 : rate(ms, sc, r->total[c], &r->rating[c]);
}

int ms_scorecard(Measure *ms, const Node *sc, const Period *per, int nper, const Node *rank,
                 ScResult *r)
{
    memset(r, 0, sizeof *r);
    bind(ms);
    r->decl = sc;
    r->lv = strmap_get(&ms->p->sym->levels, sc->a->name);
    if (!r->lv)
        return -1;
    r->mem = ms_level_members(r->lv, &r->nmem);
    r->nper = nper;
    memcpy(r->per, per, (size_t)nper * sizeof *per);
    if (sc_kpis(ms, sc, r) < 0)
        return -1;
    sc_result_alloc(r);
    r->rank_decl = rank;
    for (int p = 0; p < nper; p++)
        for (size_t i = 0; i < r->nmem; i++)
            if (sc_member_period(ms, sc, r, p, i) < 0)
                return -1;
    return rank ? rank_within(r, ms, rank) : 0;
}

typedef struct {
    Num total;
    size_t i;
} RankItem;

static int rank_cmp(const void *a, const void *b)
{
    const RankItem *x = a, *y = b;
    int c = num_cmp(y->total, x->total); /* highest first */
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* The group of member g in period p: the active members not ranked yet
 * (done) under the same ancestor at within (all of them without one),
 * ranked by total; the lowest floor(n x share) are marked bottom. */
static void rank_group(ScResult *r, int p, size_t g, const Level *within, Num share, bool *done,
                       RankItem *items)
{
    const Member *grp = within ? ancestor_at(r->mem[g], within) : NULL;
    size_t n = 0;
    for (size_t i = g; i < r->nmem; i++) {
        size_t c = (size_t)p * r->nmem + i;
        if (done[i] || !r->in[c] || r->total_na[c] ||
            (within && ancestor_at(r->mem[i], within) != grp))
            continue;
        done[i] = true;
        items[n++] = (RankItem){r->total[c], i};
    }
    qsort(items, n, sizeof *items, rank_cmp);
    int64_t nb = 0;
    Num cut;
    if (num_mul(num_from_int((int64_t)n), share, &cut) == NUM_OK)
        num_to_int(cut, NUM_FLOOR, &nb);
    for (size_t k = 0; k < n; k++) {
        size_t c = (size_t)p * r->nmem + items[k].i;
        r->rank[c] = (int)k + 1;
        r->bottom[c] = (int64_t)(n - k) <= nb;
    }
}

typedef struct {
    size_t group, i;
    int rank;
} OrderKey;

static int order_cmp(const void *a, const void *b)
{
    const OrderKey *x = a, *y = b;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* Period p's members in the order a ranking shows them: by group (the
 * first member under the same ancestor at within), then rank, the
 * unranked (rank 0) last, then plan order. */
static void rank_order(ScResult *r, int p, const Level *within, OrderKey *keys)
{
    for (size_t i = 0; i < r->nmem; i++) {
        size_t c = (size_t)p * r->nmem + i, g = 0;
        const Member *anc = within ? ancestor_at(r->mem[i], within) : NULL;
        while (within && g < i && ancestor_at(r->mem[g], within) != anc)
            g++;
        keys[i] = (OrderKey){g, i, r->rank[c] ? r->rank[c] : INT_MAX};
    }
    qsort(keys, r->nmem, sizeof *keys, order_cmp);
    for (size_t k = 0; k < r->nmem; k++)
        r->order[(size_t)p * r->nmem + k] = keys[k].i;
}

/* Ranks each period's members by total within their ancestor at the
 * rank's level (the whole level without one), and marks the bottom share:
 * the lowest floor(n x P) of each group. */
static int rank_within(ScResult *r, Measure *ms, const Node *rank)
{
    const Level *within = rank->a ? strmap_get(&ms->p->sym->levels, rank->a->name) : NULL;
    if (within && (within->dim != r->lv->dim || within->depth >= r->lv->depth)) {
        diag_error(ms->p->diags, rank->a->loc, "cannot rank %s within %s", r->lv->name,
                   within->name);
        diag_note_plain(ms->p->diags, "'within' names a level above %s in %s", r->lv->name,
                        r->lv->dim->name);
        return -1;
    }
    Num share = NUM_ZERO;
    Frame top = {0};
    if (rank->b && eval_num(&ms->ev, &top, rank->b, &share) < 0)
        return -1;
    RankItem *items = xcalloc(r->nmem + 1, sizeof *items);
    OrderKey *keys = xcalloc(r->nmem + 1, sizeof *keys);
    r->order = xcalloc((size_t)r->nper * r->nmem + 1, sizeof *r->order);
    for (int p = 0; p < r->nper; p++) {
        bool *done = xcalloc(r->nmem + 1, sizeof *done);
        for (size_t g = 0; g < r->nmem; g++)
            if (!done[g] && r->in[(size_t)p * r->nmem + g] && !r->total_na[(size_t)p * r->nmem + g])
                rank_group(r, p, g, within, share, done, items);
        free(done);
        rank_order(r, p, within, keys);
    }
    free(keys);
    free(items);
    return 0;
}

void ms_scorecard_free(ScResult *r)
{
    free(r->mem);
    free(r->kpis);
    free(r->weight);
    free(r->target);
    free(r->actual);
    free(r->att);
    free(r->score);
    free(r->na);
    free(r->total);
    free(r->total_na);
    free(r->rating);
    free(r->in);
    free(r->rank);
    free(r->bottom);
    free(r->order);
    memset(r, 0, sizeof *r);
}

const Level *ms_review_level(Program *p, const Node *review)
{
    Symbols *s = p->sym;
    for (int pass = 0; pass < 2; pass++)
        for (const Node *it = pass ? NULL : review->a; it; it = it->next) {
            const Node *d = it->kind == N_USE_SCORECARD   ? strmap_get(&s->scorecards, it->name)
                            : it->kind == N_USE_INCENTIVE ? strmap_get(&s->incentives, it->name)
                                                          : NULL;
            if (d)
                return strmap_get(&s->levels, d->a->name);
        }
    for (Unit *u = p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next)
            if (n->kind == N_INCENTIVE || n->kind == N_SCORECARD)
                return strmap_get(&s->levels, n->a->name);
    for (int i = 0; i < s->ndims; i++)
        if (!s->dims[i]->is_time && s->dims[i]->nlevels > 0)
            return &s->dims[i]->levels[s->dims[i]->nlevels - 1];
    return NULL;
}

bool ms_money_line(const Node *line)
{
    Kind k = (Kind)line->op;
    return k == K_MONEY || k == K_NUM || k == K_ANY || strcmp(line->name, "payout") == 0;
}

int ms_flag_holds(Measure *ms, const Node *flag, const Member *m, const Period *pd, bool *out)
{
    bind(ms);
    Cx cx = {CX_MEMBER, m, pd, NULL, NULL, NULL};
    void *saved = ms->ctx;
    ms->ctx = &cx;
    Frame f = {NULL, NULL, m, false, 0, NULL};
    Value v;
    int rc = eval_expr(&ms->ev, &f, flag->a, &v);
    ms->ctx = saved;
    if (rc < 0) {
        where(ms->p->diags, m, pd);
        return -1;
    }
    *out = v.kind != V_STR && !num_is_zero(v.num);
    return 0;
}

/* ---- examples and assertions ---------------------------------------------------------------- */

/* A value for a message: text as is, numbers with at most 4 decimals. */
static char *fmt_value(const Value *v, char *buf)
{
    if (v->kind == V_STR)
        return strcpy(buf, v->str ? v->str : "");
    if (v->kind == V_BOOL)
        return strcpy(buf, num_is_zero(v->num) ? "false" : "true");
    return vf_upto(v->num, 4, buf);
}

/* Equal exactly, or once the computed value is rounded as a statement
 * shows it (money to the plan's step, other numbers to 4 decimals). */
static bool values_match(Measure *ms, const Node *line, const Value *got, const Value *want)
{
    if (got->kind == V_STR || want->kind == V_STR)
        return got->kind == want->kind && strcmp(got->str, want->str) == 0;
    if (num_cmp(got->num, want->num) == 0)
        return true;
    Num step = ms->p->sym->round_step, r;
    if (!ms_money_line(line))
        num_from_ratio(1, 10000, &step);
    return num_round(got->num, step, ms->p->sym->rounding, &r) == NUM_OK &&
           num_cmp(r, want->num) == 0;
}

/* The given attributes of an example (given region = "north") as the
 * parameters of an outer frame. */
typedef struct {
    Node *names;
    Value *vals;
    size_t n;
} Givens;

static int eval_givens(Measure *ms, const Node *ex, Givens *gv)
{
    gv->n = 0;
    for (const Node *g = ex->a; g; g = g->next)
        gv->n += g->a->kind == N_NAME;
    gv->names = xcalloc(gv->n + 1, sizeof *gv->names);
    gv->vals = xcalloc(gv->n + 1, sizeof *gv->vals);
    size_t k = 0;
    int rc = 0;
    for (const Node *g = ex->a; g && rc == 0; g = g->next) {
        if (g->a->kind != N_NAME)
            continue;
        gv->names[k] = *g->a;
        gv->names[k].next = NULL;
        if (k > 0)
            gv->names[k - 1].next = &gv->names[k];
        Frame top = {0};
        rc = eval_expr(&ms->ev, &top, g->b, &gv->vals[k]);
        k++;
    }
    return rc;
}

/* The incentive's lines (into v) as the example gives them: attributes as
 * parameters, metric fields through the context hook. */
static int example_lines(Measure *ms, const Node *ex, const Node *inc, const Givens *gv, Value *v)
{
    Frame outer = {gv->n ? gv->names : NULL, gv->vals, NULL, false, 0, NULL};
    Frame f = {inc->b, v, NULL, false, 0, &outer};
    Cx cx = {CX_EXAMPLE, NULL, NULL, inc->b, NULL, ex->a};
    void *saved = ms->ctx;
    ms->ctx = &cx;
    int j = 0, rc = 0;
    for (const Node *l = inc->b; l && rc == 0; l = l->next, j++)
        if (eval_expr(&ms->ev, &f, l->a, &v[j]) < 0) {
            diag_note(ms->p->diags, ex->loc, "in example \"%s\"", ex->str ? ex->str : "");
            rc = -1;
        }
    ms->ctx = saved;
    return rc;
}

static const Node *line_at(const Node *lines, int i)
{
    while (i-- > 0)
        lines = lines->next;
    return lines;
}

/* The values the example expects (want[e] for its e-th entry). */
static int expected_values(Measure *ms, const Node *ex, Value *want)
{
    int e = 0;
    for (const Node *x = ex->b; x; x = x->next, e++) {
        Frame top = {0};
        if (eval_expr(&ms->ev, &top, x->a, &want[e]) < 0)
            return -1;
    }
    return 0;
}

/* How many expected values differ from the computed lines v. */
static int count_differences(Measure *ms, const Node *ex, const Node *inc, const Value *v,
                             const Value *want)
{
    int e = 0, failed = 0;
    for (const Node *x = ex->b; x; x = x->next, e++) {
        int li = line_index(inc->b, x->name);
        if (li >= 0 && !values_match(ms, line_at(inc->b, li), &v[li], &want[e]))
            failed++;
    }
    return failed;
}

/* The error of a failed example: every expected value beside the computed one. */
static void report_example(Measure *ms, const Node *ex, const Node *inc, const Value *v,
                           const Value *want, int failed)
{
    Diags *d = ms->p->diags;
    diag_error(d, ex->loc, "example \"%s\" does not hold: %d of %zu expected values differ",
               ex->str ? ex->str : "", failed, ast_list_len(ex->b));
    int e = 0;
    for (const Node *x = ex->b; x; x = x->next, e++) {
        int li = line_index(inc->b, x->name);
        if (li < 0)
            continue;
        char b1[NUM_BUFSZ], b2[NUM_BUFSZ];
        bool ok = values_match(ms, line_at(inc->b, li), &v[li], &want[e]);
        diag_note(d, x->loc, "%s: expected %s, computed %s%s", x->name, fmt_value(&want[e], b1),
                  fmt_value(&v[li], b2), ok ? "" : "  <- differs");
    }
}

/* The computed lines v against the example's expected values: the number
 * of differences (reported), or -1 after an error. */
static int check_example(Measure *ms, const Node *ex, const Node *inc, const Value *v)
{
    Value *want = xcalloc(ast_list_len(ex->b) + 1, sizeof *want);
    int failed = -1;
    if (expected_values(ms, ex, want) == 0)
        failed = count_differences(ms, ex, inc, v, want);
    if (failed > 0)
        report_example(ms, ex, inc, v, want, failed);
    free(want);
    return failed;
}

/* One worked example: 1 when it fails or cannot be computed, else 0. */
static int run_example(Measure *ms, const Node *ex)
{
    Node *inc = strmap_get(&ms->p->sym->incentives, ex->name);
    if (!inc)
        return 0;
    Givens gv;
    int rc = eval_givens(ms, ex, &gv);
    Value *v = xcalloc(ast_list_len(inc->b) + 1, sizeof *v);
    if (rc == 0)
        rc = example_lines(ms, ex, inc, &gv, v);
    if (rc == 0)
        rc = check_example(ms, ex, inc, v);
    free(v);
    free(gv.names);
    free(gv.vals);
    return rc != 0;
}

/* The source text of an expression on one line, for messages. */
static char *expr_text(const Node *n, char *buf, size_t cap)
{
    size_t len;
    const char *line = n->loc.src ? source_line(n->loc.src, n->loc.line, &len) : NULL;
    buf[0] = '\0';
    if (!line || n->loc.end_line != n->loc.line)
        return strcpy(buf, "the expression");
    /* columns are code points: walk to them */
    size_t a = 0, z = 0;
    int col = 1;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || ((unsigned char)line[i] & 0xC0) != 0x80) {
            if (col == n->loc.col)
                a = i;
            if (col == n->loc.end_col + 1) {
                z = i;
                break;
            }
            if (i < len)
                col++;
            z = i;
        }
    }
    size_t k = z > a ? z - a : 0;
    if (k >= cap)
        k = cap - 1;
    memcpy(buf, line + a, k);
    buf[k] = '\0';
    return buf;
}

/* The error of a failed assertion, with both sides of a comparison. */
static void report_assert(Measure *ms, const Node *as, const Node *scn)
{
    Diags *d = ms->p->diags;
    diag_error(d, as->loc, "assertion failed%s%s", as->str ? ": " : "", as->str ? as->str : "");
    if (scn)
        diag_note(d, scn->loc, "under scenario '%s'", scn->name);
    const Node *c = as->a;
    if (c->kind != N_BINOP || c->op == OP_AND || c->op == OP_OR)
        return;
    Value l, r;
    char t1[256], t2[256], b1[NUM_BUFSZ], b2[NUM_BUFSZ];
    if (ms_eval_plan(ms, c->a, &l) == 0 && ms_eval_plan(ms, c->b, &r) == 0 && l.kind == V_NUM &&
        r.kind == V_NUM) {
        diag_note(d, c->a->loc, "left:  %s = %s", expr_text(c->a, t1, sizeof t1),
                  fmt_value(&l, b1));
        diag_note(d, c->b->loc, "right: %s = %s", expr_text(c->b, t2, sizeof t2),
                  fmt_value(&r, b2));
    }
}

/* One assertion, under its scenario when it names one: 1 when it fails
 * or cannot be computed, else 0. */
static int run_assert(Measure *base, const Node *as)
{
    const Node *scn = as->name ? strmap_get(&base->p->sym->scenarios, as->name) : NULL;
    Measure sub, *ms = base;
    if (scn) {
        ms_init(&sub, base->p, base->en, NULL, scn, -1);
        ms = &sub;
    }
    Value v;
    int rc = ms_eval_plan(ms, as->a, &v);
    bool failed = rc == 0 && num_is_zero(v.num);
    if (failed)
        report_assert(ms, as, scn);
    if (scn)
        ms_free(&sub);
    return rc < 0 || failed;
}

int ms_verify(Measure *ms)
{
    int failures = 0;
    bind(ms);
    for (Unit *u = ms->p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next) {
            if (n->kind == N_EXAMPLE)
                failures += run_example(ms, n);
            else if (n->kind == N_ASSERT)
                failures += run_assert(ms, n);
        }
    return failures;
}

int ms_eval_plan(Measure *ms, const Node *e, Value *out)
{
    bind(ms);
    Cx cx = {CX_PLAN, NULL, NULL, NULL, NULL, NULL};
    void *saved = ms->ctx;
    ms->ctx = &cx;
    Frame top = {0};
    int rc = eval_expr(&ms->ev, &top, e, out);
    ms->ctx = saved;
    return rc;
}
