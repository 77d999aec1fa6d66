/* statement.c -- `show incentive`, `show scorecard` and `show review` as
 * sheets (report.h): incentive statements with every line as a column,
 * scorecards with one row per KPI and a total row, reviews with each
 * status metric as "actual [pct% of target]", the reforecast of the rest
 * of the year, and the review's scorecards and incentives.
 *
 * CSV follows SPEC §15 exactly (the status rows only for a review); table
 * and md output split sheets by period and add total rows.  Every value
 * is rounded once, from its exact value, where it is shown.
 */
#include "measure/statements.h"

#include <stdlib.h>
#include <string.h>

#include "measure/incentive.h"

/* ---- building sheets ---------------------------------------------------------------------- */

typedef struct {
    Arena *arena;
    size_t ncols, nrows, cap;
    const char **heads;
    bool *right, *json_num;
    const char **text, **plain;
    unsigned char *style;
    bool *total;
} SB;

static void sb_init(SB *b, Arena *arena, size_t ncols)
{
    memset(b, 0, sizeof *b);
    b->arena = arena;
    b->ncols = ncols;
    b->heads = arena_alloc(arena, ncols * sizeof *b->heads);
    b->right = arena_alloc(arena, ncols * sizeof *b->right);
    b->json_num = arena_alloc(arena, ncols * sizeof *b->json_num);
}

static void sb_col(SB *b, size_t c, const char *head, bool number)
{
    b->heads[c] = head;
    b->right[c] = number;
    b->json_num[c] = number;
}

static void sb_row(SB *b, bool total)
{
    if (b->nrows == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 64;
        b->text = xrealloc(b->text, b->cap * b->ncols * sizeof *b->text);
        b->plain = xrealloc(b->plain, b->cap * b->ncols * sizeof *b->plain);
        b->style = xrealloc(b->style, b->cap * b->ncols);
        b->total = xrealloc(b->total, b->cap * sizeof *b->total);
    }
    size_t r = b->nrows++;
    for (size_t c = 0; c < b->ncols; c++) {
        b->text[r * b->ncols + c] = "";
        b->plain[r * b->ncols + c] = "";
        b->style[r * b->ncols + c] = STY_NONE;
    }
    b->total[r] = total;
}

/* Sets a cell of the last row: shown text and plain text (NULL: the same). */
static void sb_set(SB *b, size_t c, const char *text, const char *plain)
{
    size_t r = b->nrows - 1;
    b->text[r * b->ncols + c] = arena_strdup(b->arena, text);
    b->plain[r * b->ncols + c] = plain ? arena_strdup(b->arena, plain) : b->text[r * b->ncols + c];
}

static void sb_style(SB *b, size_t c, int style)
{
    b->style[(b->nrows - 1) * b->ncols + c] = (unsigned char)style;
}

static void sb_emit(SB *b, Buf *out, const OutOpts *o, int *index, const char *title,
                    const char *heading, int group, const char *note)
{
    Sheet s = {title,   heading,    b->ncols,  b->nrows, b->heads, b->right, b->json_num,
               b->text, b->plain,   b->style,  b->total, group,    NULL,     note};
    report_sheet(out, &s, o, (*index)++);
    free(b->text);
    free(b->plain);
    free(b->style);
    free(b->total);
    memset(b, 0, sizeof *b);
}

/* ---- numbers ------------------------------------------------------------------------------- */

/* Decimals of the plan's rounding step (0.01 -> 2), remembered: a
 * statement formats every money cell with them. */
static int step_decimals(const Symbols *s)
{
    static Num step;
    static int decimals = -1;
    if (decimals < 0 || num_cmp(step, s->round_step) != 0) {
        step = s->round_step;
        decimals = num_decimals(step);
    }
    return decimals;
}

/* Money rounded to the plan's step: plain ("1234.50") and for people ("1,234.50"). */
static void money(const Symbols *s, Num v, char *plain, char *text)
{
    Num r;
    if (num_round(v, s->round_step, s->rounding, &r) != NUM_OK)
        r = v;
    num_fmt(r, step_decimals(s), false, plain);
    num_fmt(r, step_decimals(s), true, text);
}

static Num money_rounded(const Symbols *s, Num v)
{
    Num r;
    return num_round(v, s->round_step, s->rounding, &r) == NUM_OK ? r : v;
}

/* A ratio: plain with 4 decimals ("1.1220"), for people as a percent ("112.20%"). */
static void ratio(Num v, char *plain, char *text)
{
    num_fmt(v, 4, false, plain);
    Num h;
    if (num_mul(v, num_from_int(100), &h) != NUM_OK)
        h = v;
    num_fmt(h, 2, true, text);
    strcat(text, "%");
}

/* A metric's value as SPEC §15 writes it: money to the step's decimals,
 * count 0 decimals, percent 4 (a fraction), score 2. */
static void metric_value(const Symbols *s, const Node *metric, Num v, char *plain, char *text)
{
    Kind k = sym_metric_kind(metric);
    if (metric->op == MK_DERIVED) { /* as its tables show it: a ratio is a percent */
        k = (Kind)metric->flags;
        if (k != K_MONEY && k != K_COUNT && k != K_SCORE)
            k = K_PERCENT;
    }
    switch (k) {
    case K_COUNT:
        num_fmt(v, 0, false, plain);
        num_fmt(v, num_decimals(v) > 2 ? 2 : num_decimals(v), true, text);
        return;
    case K_PERCENT:
        ratio(v, plain, text);
        return;
    case K_SCORE:
        num_fmt(v, 2, false, plain);
        num_fmt(v, 2, true, text);
        return;
    default:
        money(s, v, plain, text);
    }
}

static const char *member_text(const Member *m)
{
    return m->label ? m->label : m->name;
}

static char *heading(Measure *ms, Arena *a, const char *what)
{
    if (ms->scenario)
        return arena_printf(a, "%s, scenario %s", what, ms->scenario->name);
    if (ms->as_of < 0)
        return arena_printf(a, "%s, no actuals", what);
    return arena_printf(a, "%s, actuals to %s", what, ms_month_label(ms->p->sym, ms->as_of));
}

/* The line under a sheet: why it is empty, or that its last period is partial. */
static const char *nothing_note(Measure *ms, const Period *per, int nper)
{
    if (nper == 0)
        return "no period to report: no actuals (give --actuals, --as-of or --scenario)";
    if (per[nper - 1].partial) {
        static char buf[128];
        snprintf(buf, sizeof buf, "%s is partial: targets and actuals to %s", per[nper - 1].label,
                 ms_month_label(ms->p->sym, per[nper - 1].last));
        return buf;
    }
    return NULL;
}

/* ---- incentives ---------------------------------------------------------------------------- */


static void line_cell(SB *b, size_t c, const Symbols *s, const Node *line, const Value *v)
{
    char plain[NUM_BUFSZ], text[NUM_BUFSZ + 2];
    if (v->kind == V_STR) {
        sb_set(b, c, v->str ? v->str : "", NULL);
        b->json_num[c] = false;
        return;
    }
    if (v->kind == V_BOOL) {
        sb_set(b, c, num_is_zero(v->num) ? "false" : "true", NULL);
        b->json_num[c] = false;
        return;
    }
    if (inc_money_line(line)) {
        money(s, v->num, plain, text);
    } else if ((Kind)line->op == K_PERCENT) {
        ratio(v->num, plain, text);
    } else { /* 4 decimals; people see no trailing zeros */
        Num r;
        num_fmt(v->num, 4, false, plain);
        if (num_round(v->num, num_from_ratio(1, 10000, &r) == NUM_OK ? r : NUM_ONE, NUM_HALF_UP, &r) != NUM_OK)
            r = v->num;
        num_fmt(r, num_decimals(r), true, text);
    }
    sb_set(b, c, text, plain);
}

static int show_incentive(Measure *ms, const Node *inc, const Period *per, int nper,
                          const OutOpts *o, Buf *out, int *index, Arena *a)
{
    const Symbols *s = ms->p->sym;
    IncResult r;
    if (inc_compute(ms, inc, per, nper, &r) < 0) {
        inc_result_free(&r);
        return -1;
    }
    size_t nc = 2 + (size_t)r.nlines;
    SB b;
    sb_init(&b, a, nc);
    sb_col(&b, 0, "period", false);
    sb_col(&b, 1, r.lv->name, false);
    int *order = xcalloc((size_t)r.nlines + 1, sizeof *order), k = 0;
    for (int j = 0; j < r.nlines; j++)
        if (j != r.payout)
            order[k++] = j;
    order[k++] = r.payout;
    for (int j = 0; j < r.nlines; j++)
        sb_col(&b, 2 + (size_t)j, r.lines[order[j]]->name, true);
    bool human = o->format == OUT_TABLE || o->format == OUT_MD;
    for (int p = 0; p < r.nper; p++) {
        Num *sum = xcalloc((size_t)r.nlines + 1, sizeof *sum);
        for (size_t i = 0; i < r.nmem; i++) {
            size_t c = (size_t)p * r.nmem + i;
            if (!r.in[c])
                continue;
            sb_row(&b, false);
            sb_set(&b, 0, r.per[p].label, NULL);
            sb_set(&b, 1, human ? member_text(r.mem[i]) : r.mem[i]->name, r.mem[i]->name);
            for (int j = 0; j < r.nlines; j++) {
                const Value *v = &r.val[c * (size_t)r.nlines + (size_t)order[j]];
                line_cell(&b, 2 + (size_t)j, s, r.lines[order[j]], v);
                if (v->kind == V_NUM && inc_money_line(r.lines[order[j]]))
                    num_add(sum[j], money_rounded(s, v->num), &sum[j]);
            }
        }
        if (human) {
            sb_row(&b, true);
            sb_set(&b, 0, r.per[p].label, NULL);
            sb_set(&b, 1, "total", NULL);
            for (int j = 0; j < r.nlines; j++)
                if (inc_money_line(r.lines[order[j]])) {
                    char plain[NUM_BUFSZ], text[NUM_BUFSZ];
                    money(s, sum[j], plain, text);
                    sb_set(&b, 2 + (size_t)j, text, plain);
                }
        }
        free(sum);
    }
    free(order);
    char *title = arena_printf(a, "incentive %s", inc->name);
    sb_emit(&b, out, o, index, title, heading(ms, a, arena_printf(a, "per %s", r.lv->name)), 0,
            nothing_note(ms, per, nper));
    inc_result_free(&r);
    return 0;
}

/* ---- scorecards ---------------------------------------------------------------------------- */

static int show_scorecard(Measure *ms, const Node *sc, const Period *per, int nper, const Node *rank,
                          const OutOpts *o, Buf *out, int *index, Arena *a)
{
    const Symbols *s = ms->p->sym;
    ScResult r;
    if (sc_compute(ms, sc, per, nper, rank, &r) < 0) {
        sc_result_free(&r);
        return -1;
    }
    bool ranked = rank && o->format != OUT_CSV;
    size_t nc = 9 + (ranked ? 2 : 0);
    SB b;
    sb_init(&b, a, nc);
    static const char *const heads[] = {"period", NULL, "kpi", "weight", "target", "actual",
                                        "attainment", "score", "rating"};
    for (size_t c = 0; c < 9; c++)
        sb_col(&b, c, c == 1 ? r.lv->name : heads[c], c >= 3 && c <= 7);
    if (ranked) {
        sb_col(&b, 9, "rank", true);
        sb_col(&b, 10, "bottom", false);
    }
    bool human = o->format == OUT_TABLE || o->format == OUT_MD;
    char p1[NUM_BUFSZ], t1[NUM_BUFSZ + 2];
    for (int p = 0; p < r.nper; p++)
        for (size_t i = 0; i < r.nmem; i++) {
            size_t c = (size_t)p * r.nmem + i;
            if (!r.in[c])
                continue;
            const char *who = r.mem[i]->name;
            for (int k = 0; k <= r.nkpi; k++) {
                bool tot = k == r.nkpi;
                sb_row(&b, false);
                sb_set(&b, 0, r.per[p].label, NULL);
                sb_set(&b, 1, human && k > 0 ? "" : human ? member_text(r.mem[i]) : who, who);
                if (tot) {
                    sb_set(&b, 2, "total", NULL);
                    sb_set(&b, 3, human ? "100.00%" : "1.0000", "1.0000");
                    num_fmt(r.total[c], 2, false, p1);
                    num_fmt(r.total[c], 2, true, t1);
                    sb_set(&b, 7, t1, p1);
                    sb_set(&b, 8, r.rating[c], NULL);
                    if (ranked) {
                        snprintf(p1, sizeof p1, "%d", r.rank[c]);
                        sb_set(&b, 9, p1, NULL);
                        sb_set(&b, 10, r.bottom[c] ? "bottom" : "", NULL);
                        if (r.bottom[c])
                            sb_style(&b, 10, STY_RED);
                    }
                    continue;
                }
                size_t x = c * (size_t)r.nkpi + (size_t)k;
                const Node *metric = strmap_get(&s->metrics, r.kpis[k]->name);
                sb_set(&b, 2, r.kpis[k]->name, NULL);
                ratio(r.weight[k], p1, t1);
                sb_set(&b, 3, t1, p1);
                metric_value(s, metric, r.target[x], p1, t1);
                sb_set(&b, 4, t1, p1);
                metric_value(s, metric, r.actual[x], p1, t1);
                sb_set(&b, 5, t1, p1);
                ratio(r.att[x], p1, t1);
                sb_set(&b, 6, t1, p1);
                num_fmt(r.score[x], 2, false, p1);
                num_fmt(r.score[x], 2, true, t1);
                sb_set(&b, 7, t1, p1);
            }
        }
    char *title = arena_printf(a, "scorecard %s", sc->name);
    const char *what = arena_printf(a, "per %s%s", r.lv->name,
                                    ranked ? arena_printf(a, ", ranked%s%s", rank->a ? " within " : "",
                                                          rank->a ? rank->a->name : "")
                                           : "");
    sb_emit(&b, out, o, index, title, heading(ms, a, what), 0, nothing_note(ms, per, nper));
    sc_result_free(&r);
    return 0;
}

/* ---- reviews ------------------------------------------------------------------------------- */

typedef struct {
    const Node *metric;
    Num green, amber;
} StatusItem;

static int status_of(Num att, const StatusItem *st)
{
    return num_cmp(att, st->green) >= 0 ? STY_GREEN : num_cmp(att, st->amber) >= 0 ? STY_AMBER : STY_RED;
}

static const char *status_name(int sty)
{
    return sty == STY_GREEN ? "green" : sty == STY_AMBER ? "amber" : "red";
}

static int show_status(Measure *ms, const Node *rv, const Level *lv, const Period *per, int nper,
                       const OutOpts *o, Buf *out, int *index, Arena *a)
{
    const Symbols *s = ms->p->sym;
    StatusItem items[32];
    int ni = 0;
    Num dev = NUM_ZERO;
    bool has_flag = false;
    Frame top = {0};
    for (const Node *it = rv->a; it; it = it->next) {
        if (it->kind == N_FLAG) {
            if (eval_num(&ms->ev, &top, it->a, &dev) < 0)
                return -1;
            has_flag = true;
        }
        if (it->kind != N_STATUS || ni >= 32)
            continue;
        StatusItem *st = &items[ni++];
        st->metric = strmap_get(&s->metrics, it->name);
        st->green = NUM_ONE;
        num_from_ratio(9, 10, &st->amber);
        for (const Node *e = it->a; e; e = e->next) {
            Num v;
            if (eval_num(&ms->ev, &top, e->b, &v) < 0)
                return -1;
            *(strcmp(e->a->name, "green") == 0 ? &st->green : &st->amber) = v;
        }
    }
    bool csv = o->format == OUT_CSV, human = o->format == OUT_TABLE || o->format == OUT_MD;
    if (!ni && !csv)
        return 0;
    size_t nmem;
    Member **mem = lv ? level_members(lv, &nmem) : NULL;
    if (!lv)
        nmem = 0;
    SB b;
    if (human) { /* period, member, metric, actual [pct% of target], status, flag */
        sb_init(&b, a, 6);
        sb_col(&b, 0, "period", false);
        sb_col(&b, 1, lv ? lv->name : "member", false);
        sb_col(&b, 2, "metric", false);
        sb_col(&b, 3, "actual [% of target]", true);
        sb_col(&b, 4, "status", false);
        sb_col(&b, 5, "flag", false);
    } else {
        sb_init(&b, a, 8);
        static const char *const heads[] = {"period", NULL, "metric", "target", "actual",
                                            "attainment", "status", "flag"};
        for (size_t c = 0; c < 8; c++)
            sb_col(&b, c, c == 1 ? (lv ? lv->name : "member") : heads[c], c >= 3 && c <= 5);
    }
    int rc = 0;
    for (int p = 0; p < nper && rc == 0; p++)
        for (size_t i = 0; i <= nmem && rc == 0; i++) {
            const Member *m = i < nmem ? mem[i] : NULL; /* the last row: the whole plan */
            if (m && !ms_active(s, m, &per[p]))
                continue;
            if (!m && !human)
                continue;
            for (int k = 0; k < ni; k++) {
                Num t, act;
                if (ms_target(ms, items[k].metric, m, per[p].from, per[p].last, rv, &t) < 0 ||
                    ms_actual(ms, items[k].metric, m, per[p].from, per[p].last, rv, &act) < 0) {
                    rc = -1;
                    break;
                }
                Num att = ms_ratio(items[k].metric, t, act), off;
                int sty = status_of(att, &items[k]);
                bool flag = false;
                if (has_flag && num_sub(att, NUM_ONE, &off) == NUM_OK)
                    flag = num_cmp(num_abs(off), dev) > 0;
                char pt[NUM_BUFSZ], tt[NUM_BUFSZ], pa[NUM_BUFSZ], ta[NUM_BUFSZ], pr[NUM_BUFSZ],
                    tr[NUM_BUFSZ + 2];
                metric_value(s, items[k].metric, t, pt, tt);
                metric_value(s, items[k].metric, act, pa, ta);
                ratio(att, pr, tr);
                sb_row(&b, !m);
                sb_set(&b, 0, per[p].label, NULL);
                const char *who = m ? m->name : "total";
                sb_set(&b, 1, k > 0 && human ? "" : human && m ? member_text(m) : who, who);
                sb_set(&b, 2, items[k].metric->name, NULL);
                if (human) {
                    Num pct;
                    char pc[NUM_BUFSZ], cell[4 * NUM_BUFSZ];
                    if (num_mul(att, num_from_int(100), &pct) != NUM_OK ||
                        num_round(pct, NUM_ONE, NUM_TRUNC, &pct) != NUM_OK) /* 99.5% is not 100% */
                        pct = att;
                    num_fmt(pct, 0, true, pc);
                    snprintf(cell, sizeof cell, "%s [%s%% of %s]", ta, pc, tt);
                    sb_set(&b, 3, cell, NULL);
                    sb_set(&b, 4, status_name(sty), NULL);
                    sb_style(&b, 4, sty);
                    sb_set(&b, 5, flag ? "deviation" : "", NULL);
                } else {
                    sb_set(&b, 3, tt, pt);
                    sb_set(&b, 4, ta, pa);
                    sb_set(&b, 5, tr, pr);
                    sb_set(&b, 6, status_name(sty), NULL);
                    sb_set(&b, 7, flag ? "deviation" : "", NULL);
                }
            }
        }
    free(mem);
    if (rc == 0) {
        const char *title = arena_printf(a, "review %s", rv->name);
        const char *what = arena_printf(a, "status per %s", lv ? lv->name : "plan");
        sb_emit(&b, out, o, index, title, heading(ms, a, what), 0, nothing_note(ms, per, nper));
    } else {
        free(b.text);
        free(b.plain);
        free(b.style);
        free(b.total);
    }
    return rc;
}

/* Spreads `left` over cells in proportion to weights, rounded to step with
 * the largest remainders (ties to the earlier month), so they add up to
 * `left` rounded. */
static int spread(const Symbols *s, Num left, const Num *w, int n, Num *out)
{
    Num sum = NUM_ZERO;
    for (int i = 0; i < n; i++)
        if (num_add(sum, w[i], &sum) != NUM_OK)
            return -1;
    Num target = money_rounded(s, left), acc = NUM_ZERO, rem[12];
    for (int i = 0; i < n; i++) {
        Num exact, prod;
        if (num_mul(left, w[i], &prod) != NUM_OK || num_div(prod, sum, &exact) != NUM_OK ||
            num_round(exact, s->round_step, NUM_FLOOR, &out[i]) != NUM_OK ||
            num_sub(exact, out[i], &rem[i]) != NUM_OK || num_add(acc, out[i], &acc) != NUM_OK)
            return -1;
    }
    Num short_by;
    if (num_sub(target, acc, &short_by) != NUM_OK)
        return -1;
    int64_t steps = 0;
    Num q;
    if (num_div(short_by, s->round_step, &q) != NUM_OK || num_to_int(q, NUM_HALF_UP, &steps) != NUM_OK)
        return -1;
    bool used[12] = {0};
    for (int64_t k = 0; k < steps && k < n; k++) {
        int best = -1;
        for (int i = 0; i < n; i++)
            if (!used[i] && (best < 0 || num_cmp(rem[i], rem[best]) > 0))
                best = i;
        used[best] = true;
        num_add(out[best], s->round_step, &out[best]);
    }
    return 0;
}

static int show_reforecast(Measure *ms, const Node *item, const Level *lv,
                           const OutOpts *o, Buf *out, int *index, Arena *a)
{
    const Symbols *s = ms->p->sym;
    const Node *metric = strmap_get(&s->metrics, item->name);
    int L = ms->as_of;
    const char *title = arena_printf(a, "reforecast %s", metric->name);
    if (L < 0 || L >= 11) {
        if (o->format == OUT_CSV)
            return 0;
        SB b;
        sb_init(&b, a, 1);
        sb_col(&b, 0, lv ? lv->name : "plan", false);
        sb_emit(&b, out, o, index, title, NULL, -1,
                L < 0 ? "no actuals yet: nothing to reforecast" : "the year is complete: nothing left to reforecast");
        return 0;
    }
    int nm = 11 - L;
    size_t nmem = 0;
    Member **mem = lv ? level_members(lv, &nmem) : NULL;
    SB b;
    size_t nc = 4 + (size_t)nm;
    sb_init(&b, a, nc);
    sb_col(&b, 0, lv ? lv->name : "plan", false);
    sb_col(&b, 1, "annual target", true);
    sb_col(&b, 2, arena_printf(a, "actual to %s", ms_month_label(s, L)), true);
    for (int j = 0; j < nm; j++)
        sb_col(&b, 3 + (size_t)j, ms_month_label(s, L + 1 + j), true);
    sb_col(&b, nc - 1, "rest of year", true);
    bool human = o->format == OUT_TABLE || o->format == OUT_MD;
    Num col[12] = {{0}}, tot_annual = NUM_ZERO, tot_ytd = NUM_ZERO, tot_rest = NUM_ZERO;
    int rc = 0, stuck = 0, above = 0;
    for (size_t i = 0; i < nmem && rc == 0; i++) {
        const Member *m = mem[i];
        Num annual, ytd, left, orig[12], now[12], rest = NUM_ZERO;
        if (ms_target(ms, metric, m, 0, 11, item, &annual) < 0 ||
            ms_actual(ms, metric, m, 0, L, item, &ytd) < 0) {
            rc = -1;
            break;
        }
        Num wsum = NUM_ZERO;
        for (int j = 0; j < nm && rc == 0; j++) {
            if (ms_target(ms, metric, m, L + 1 + j, L + 1 + j, item, &orig[j]) < 0)
                rc = -1;
            else
                num_add(wsum, orig[j], &wsum);
        }
        if (rc < 0)
            break;
        num_sub(annual, ytd, &left);
        if (num_sign(left) < 0) {
            left = NUM_ZERO;
            above++;
        }
        if (num_sign(wsum) <= 0) {
            for (int j = 0; j < nm; j++)
                now[j] = orig[j];
            if (num_sign(left) > 0)
                stuck++;
        } else if (spread(s, left, orig, nm, now) < 0) {
            diag_error(ms->p->diags, item->loc, "reforecast of %s for %s does not fit in a number",
                       metric->name, m->name);
            rc = -1;
            break;
        }
        sb_row(&b, false);
        sb_set(&b, 0, human ? member_text(m) : m->name, m->name);
        char pl[NUM_BUFSZ], tx[NUM_BUFSZ], cell[4 * NUM_BUFSZ];
        money(s, annual, pl, tx);
        sb_set(&b, 1, tx, pl);
        money(s, ytd, pl, tx);
        sb_set(&b, 2, tx, pl);
        num_add(tot_annual, money_rounded(s, annual), &tot_annual);
        num_add(tot_ytd, money_rounded(s, ytd), &tot_ytd);
        for (int j = 0; j < nm; j++) {
            money(s, now[j], pl, tx);
            Num chg, pct; /* the row's exact factor: left / its months' original targets */
            if (human && num_sign(wsum) > 0 && num_div(left, wsum, &chg) == NUM_OK &&
                num_sub(chg, NUM_ONE, &chg) == NUM_OK && num_mul(chg, num_from_int(100), &pct) == NUM_OK) {
                char pc[NUM_BUFSZ];
                num_fmt(pct, 1, true, pc);
                snprintf(cell, sizeof cell, "%s (%s%s%%)", tx, num_sign(pct) > 0 ? "+" : "", pc);
                sb_set(&b, 3 + (size_t)j, cell, pl);
            } else {
                sb_set(&b, 3 + (size_t)j, tx, pl);
            }
            num_add(col[j], now[j], &col[j]);
            num_add(rest, now[j], &rest);
        }
        money(s, rest, pl, tx);
        sb_set(&b, nc - 1, tx, pl);
        num_add(tot_rest, rest, &tot_rest);
    }
    free(mem);
    if (rc < 0) {
        free(b.text);
        free(b.plain);
        free(b.style);
        free(b.total);
        return -1;
    }
    if (human && nmem) {
        char pl[NUM_BUFSZ], tx[NUM_BUFSZ];
        sb_row(&b, true);
        sb_set(&b, 0, "total", NULL);
        money(s, tot_annual, pl, tx);
        sb_set(&b, 1, tx, pl);
        money(s, tot_ytd, pl, tx);
        sb_set(&b, 2, tx, pl);
        for (int j = 0; j < nm; j++) {
            money(s, col[j], pl, tx);
            sb_set(&b, 3 + (size_t)j, tx, pl);
        }
        money(s, tot_rest, pl, tx);
        sb_set(&b, nc - 1, tx, pl);
    }
    Buf note = {0};
    buf_printf(&note, "the rest of each annual target over the months left, in proportion to their targets");
    if (above)
        buf_printf(&note, "; %d already above the annual target (nothing left)", above);
    if (stuck)
        buf_printf(&note, "; %d with no target left in these months (not spread)", stuck);
    sb_emit(&b, out, o, index, title, heading(ms, a, arena_printf(a, "per %s", lv ? lv->name : "plan")),
            -1, arena_strdup(a, buf_cstr(&note)));
    buf_free(&note);
    return 0;
}

static int show_review(Measure *ms, const Node *rv, const OutOpts *o, Buf *out, int *index, Arena *a)
{
    Period per[12];
    int c = ms_cadence(rv->name);
    if (c < 0)
        return -1;
    int nper = ms_periods(ms, (Cadence)c, per);
    const Level *lv = review_level(ms->p, rv);
    if (show_status(ms, rv, lv, per, nper, o, out, index, a) < 0)
        return -1;
    if (o->format == OUT_CSV)
        return 0;
    const Symbols *s = ms->p->sym;
    for (const Node *it = rv->a; it; it = it->next) {
        int rc = 0;
        if (it->kind == N_REFORECAST) {
            rc = show_reforecast(ms, it, lv, o, out, index, a);
        } else if (it->kind == N_USE_SCORECARD) {
            const Node *rank = NULL;
            for (const Node *r = rv->a; r; r = r->next)
                if (r->kind == N_RANK && strcmp(r->name, it->name) == 0)
                    rank = r;
            rc = show_scorecard(ms, strmap_get(&s->scorecards, it->name), per, nper, rank, o, out,
                                index, a);
        } else if (it->kind == N_USE_INCENTIVE) {
            rc = show_incentive(ms, strmap_get(&s->incentives, it->name), per, nper, o, out, index, a);
        } else if (it->kind == N_RANK) {
            bool shown = false;
            for (const Node *u = rv->a; u; u = u->next)
                shown |= u->kind == N_USE_SCORECARD && strcmp(u->name, it->name) == 0;
            if (!shown)
                rc = show_scorecard(ms, strmap_get(&s->scorecards, it->name), per, nper, it, o, out,
                                    index, a);
        }
        if (rc < 0)
            return -1;
    }
    return 0;
}

int stmt_show(Measure *ms, const Node *show, const OutOpts *o, Buf *out, int *index)
{
    Arena arena = {0};
    const Symbols *s = ms->p->sym;
    int rc = -1;
    Period per[12];
    if (show->op == SHOW_INCENTIVE) {
        const Node *inc = strmap_get(&s->incentives, show->name);
        int n = ms_periods(ms, inc_cadence(ms->p, show->name, false), per);
        rc = inc ? show_incentive(ms, inc, per, n, o, out, index, &arena) : -1;
    } else if (show->op == SHOW_SCORECARD) {
        const Node *sc = strmap_get(&s->scorecards, show->name);
        int n = ms_periods(ms, inc_cadence(ms->p, show->name, true), per);
        rc = sc ? show_scorecard(ms, sc, per, n, NULL, o, out, index, &arena) : -1;
    } else if (show->op == SHOW_REVIEW) {
        const Node *rv = strmap_get(&s->reviews, show->name);
        rc = rv ? show_review(ms, rv, o, out, index, &arena) : -1;
    }
    arena_free(&arena);
    return rc;
}
