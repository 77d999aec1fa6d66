/* statements.c -- `show incentive`, `show scorecard` and `show review` as
 * sheets of a render document: incentive statements with every line as a
 * column, scorecards with one row per KPI and a total row (and the flags
 * of the review showing them, cards.c), reviews with
 * each status metric, the reforecast of the rest of the year, and the
 * review's scorecards and incentives.
 *
 * It builds sheets and never chooses a format: the sheets and columns say
 * which views show them (render.h), so that CSV follows SPEC §15 exactly
 * (a review's status rows only) and people get total rows and one table
 * per period; work the document's view would not show is skipped.  Every
 * value is rounded once, from its exact value, where it is shown.
 */
#include "measure/measure.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/valfmt.h"
#include "data/notes.h"

/* What every sheet of one show statement shares. */
typedef struct {
    Measure *ms;
    const Symbols *s;
    RenderDoc *doc;
    Arena *a; /* the document's */
    const Period *per;
    int nper;
    unsigned views; /* of the sheets made: 0 (all), or those of a review's extras */
    bool weekly;    /* a weekly review's */
} Stmt;

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

static Num money_rounded(const Symbols *s, Num v)
{
    Num r;
    return num_round(v, s->round_step, s->rounding, &r) == NUM_OK ? r : v;
}

/* Money rounded to the plan's step: plain ("1234.50") and for people ("1,234.50"). */
static void money(const Symbols *s, Num v, char *plain, char *text)
{
    Num r = money_rounded(s, v);
    vf_fixed(r, step_decimals(s), false, plain);
    vf_fixed(r, step_decimals(s), true, text);
}

/* A ratio: plain with 4 decimals ("1.1220"), for people as a percent ("112.20%"). */
static void ratio(Num v, char *plain, char *text)
{
    vf_fixed(v, 4, false, plain);
    vf_percent(v, 2, text);
}

/* A metric's value as SPEC §15 writes it: money to the step's decimals,
 * count 0 decimals, percent 4 (a fraction), score 2; returns its kind. */
static ValueKind metric_value(const Symbols *s, const Node *metric, Num v, char *plain, char *text)
{
    Kind k = sym_metric_kind(metric);
    if (metric->op == MK_DERIVED) { /* as its tables show it: a ratio is a percent */
        k = (Kind)metric->flags;
        if (k != K_MONEY && k != K_COUNT && k != K_SCORE)
            k = K_PERCENT;
    }
    switch (k) {
    case K_COUNT:
        vf_fixed(v, 0, false, plain);
        vf_upto(v, 2, text);
        return VAL_COUNT;
    case K_PERCENT:
        ratio(v, plain, text);
        return VAL_PERCENT;
    case K_SCORE:
        vf_fixed(v, 2, false, plain);
        vf_fixed(v, 2, true, text);
        return VAL_SCORE;
    default:
        money(s, v, plain, text);
        return VAL_MONEY;
    }
}

/* Sets cell c of the last row to a number of that kind (plain and for people). */
static void set_num(RenderSheet *b, size_t c, ValueKind kind, const char *text, const char *plain)
{
    render_sheet_set(b, c, text, plain);
    render_sheet_kind(b, c, kind);
}

/* Sets cell c of the last row to a money value (plain and for people). */
static void set_money(RenderSheet *b, size_t c, const Symbols *s, Num v)
{
    char plain[VF_BUFSZ], text[VF_BUFSZ];
    money(s, v, plain, text);
    set_num(b, c, VAL_MONEY, text, plain);
}

/* Sets cell c of the last row to n/a: "n/a" for people, empty in CSV, null in JSON. */
static void set_na(RenderSheet *b, size_t c)
{
    render_sheet_set(b, c, "n/a", "");
}

static const char *member_text(const Member *m)
{
    return m->label ? m->label : m->name;
}

/* Whether the sheets' phrases are Chinese (the document's language). */
static bool zh(const Stmt *st)
{
    return render_lang(st->doc) == LANG_ZH;
}

/* "per LEVEL" (no level: the plan), after `what` ("status ", or ""). */
static char *per_level(const Stmt *st, const char *what_en, const char *what_zh, const Level *lv)
{
    if (zh(st))
        return arena_printf(st->a, "%s按 %s", what_zh, lv ? lv->name : "全计划");
    return arena_printf(st->a, "%sper %s", what_en, lv ? lv->name : "plan");
}

static char *heading(const Stmt *st, const char *what)
{
    Measure *ms = st->ms;
    const char *to = zh(st) ? "%s，实际截至 %s" : "%s, actuals to %s";
    if (ms->scenario)
        return arena_printf(st->a, zh(st) ? "%s，情景 %s" : "%s, scenario %s", what,
                            ms->scenario->name);
    if (st->nper > 0 && st->per[0].week >= 0) /* a weekly review: to the as-of day or week */
        return arena_printf(st->a, to, what,
                            ms->as_of_text ? ms->as_of_text : st->per[st->nper - 1].label);
    if (st->weekly && ms->as_of_text)
        return arena_printf(st->a, to, what, ms->as_of_text);
    if (ms->as_of < 0 || st->weekly)
        return arena_printf(st->a, zh(st) ? "%s，无实际数据" : "%s, no actuals", what);
    return arena_printf(st->a, to, what, ms_month_label(ms->p->sym, ms->as_of));
}

/* The line under a sheet: why it is empty, or that its last period is partial. */
static const char *nothing_note(const Stmt *st)
{
    if (st->nper == 0 && st->weekly && st->ms->as_of_week > -2)
        return arena_printf(st->a,
                            zh(st) ? "没有可报告的周：截至 %s 没有已结束的周"
                                   : "no week to report: none has ended by the as-of %s",
                            st->ms->as_of_text ? st->ms->as_of_text
                            : zh(st)           ? "月"
                                               : "month");
    if (st->nper == 0)
        return zh(st) ? "没有可报告的期间：没有实际数据（请给出 --actuals、--as-of 或 --scenario）"
                      : "no period to report: no actuals (give --actuals, --as-of or --scenario)";
    const Period *last = &st->per[st->nper - 1];
    if (last->partial)
        return arena_printf(st->a,
                            zh(st) ? "%s 不完整：目标和实际截至 %s"
                                   : "%s is partial: targets and actuals to %s",
                            last->label, ms_month_label(st->s, last->last));
    return NULL;
}

/* ---- incentives ---------------------------------------------------------------------------- */

static void line_cell(RenderSheet *b, size_t c, const Symbols *s, const Node *line, const Value *v)
{
    char plain[VF_BUFSZ], text[VF_BUFSZ];
    if (v->kind == V_STR || v->kind == V_BOOL) {
        const char *t = v->kind == V_STR      ? (v->str ? v->str : "")
                        : num_is_zero(v->num) ? "false"
                                              : "true";
        render_sheet_set(b, c, t, NULL);
        render_sheet_col_text(b, c);
        return;
    }
    if (ms_money_line(line)) {
        money(s, v->num, plain, text);
        render_sheet_kind(b, c, VAL_MONEY);
    } else if ((Kind)line->op == K_PERCENT) {
        ratio(v->num, plain, text);
        render_sheet_kind(b, c, VAL_PERCENT);
    } else { /* 4 decimals; people see no trailing zeros */
        vf_fixed(v->num, 4, false, plain);
        vf_fmt(v->num, &(ValFmt){.max_dec = 4, .trim = true, .thousands = true}, text);
    }
    render_sheet_set(b, c, text, plain);
}

/* The lines in the order shown: every line but the payout, then the payout. */
static int *line_order(const IncResult *r)
{
    int *order = xcalloc((size_t)r->nlines + 1, sizeof *order), k = 0;
    for (int j = 0; j < r->nlines; j++)
        if (j != r->payout)
            order[k++] = j;
    order[k] = r->payout;
    return order;
}

/* A period's total row (people): the sums of the money lines as shown. */
static void incentive_total(RenderSheet *b, const Symbols *s, const IncResult *r, const int *order,
                            int p, const Num *sum)
{
    render_sheet_row(b, true);
    render_sheet_set(b, 0, r->per[p].label, NULL);
    render_sheet_word(b, 1, "total");
    for (int j = 0; j < r->nlines; j++)
        if (ms_money_line(r->lines[order[j]]))
            set_money(b, 2 + (size_t)j, s, sum[j]);
}

static void incentive_period(RenderSheet *b, const Symbols *s, const IncResult *r, const int *order,
                             int p)
{
    Num *sum = xcalloc((size_t)r->nlines + 1, sizeof *sum);
    for (size_t i = 0; i < r->nmem; i++) {
        size_t c = (size_t)p * r->nmem + i;
        if (!r->in[c])
            continue;
        render_sheet_row(b, false);
        render_sheet_set(b, 0, r->per[p].label, NULL);
        render_sheet_set(b, 1, member_text(r->mem[i]), r->mem[i]->name);
        render_sheet_label(b, 1, r->mem[i]->label);
        for (int j = 0; j < r->nlines; j++) {
            const Value *v = &r->val[c * (size_t)r->nlines + (size_t)order[j]];
            line_cell(b, 2 + (size_t)j, s, r->lines[order[j]], v);
            if (v->kind == V_NUM && ms_money_line(r->lines[order[j]]))
                num_add(sum[j], money_rounded(s, v->num), &sum[j]);
        }
    }
    incentive_total(b, s, r, order, p, sum);
    free(sum);
}

static int show_incentive(const Stmt *st, const Node *inc)
{
    IncResult r;
    if (ms_incentive(st->ms, inc, st->per, st->nper, &r) < 0) {
        ms_incentive_free(&r);
        return -1;
    }
    RenderSheet b;
    render_sheet_init(&b, st->doc, 2 + (size_t)r.nlines);
    render_sheet_col(&b, 0, "period", false);
    render_sheet_col(&b, 1, r.lv->name, false);
    render_sheet_col_name(&b, 1);
    render_sheet_reserve(&b, (size_t)r.nper * (r.nmem + 1)); /* a total row per period */
    int *order = line_order(&r);
    for (int j = 0; j < r.nlines; j++) {
        render_sheet_col(&b, 2 + (size_t)j, r.lines[order[j]]->name, true);
        render_sheet_col_name(&b, 2 + (size_t)j);
    }
    for (int p = 0; p < r.nper; p++)
        incentive_period(&b, st->s, &r, order, p);
    free(order);
    const char *what = per_level(st, "", "", r.lv);
    render_sheet_add(&b, arena_printf(st->a, "incentive %s", inc->name), heading(st, what), 0,
                     nothing_note(st), st->views);
    ms_incentive_free(&r);
    return 0;
}

/* ---- scorecards ---------------------------------------------------------------------------- */

/* Period, member, KPI, weight ... rating; rank and bottom (not in the
 * flat export) when ranked. */
static void scorecard_columns(RenderSheet *b, const ScResult *r, bool ranked)
{
    static const char *const heads[] = {"period", NULL,         "kpi",   "weight", "target",
                                        "actual", "attainment", "score", "rating"};
    for (size_t c = 0; c < 9; c++)
        render_sheet_col(b, c, c == 1 ? r->lv->name : heads[c], c >= 3 && c <= 7);
    render_sheet_col_name(b, 1);
    if (!ranked)
        return;
    render_sheet_col(b, 9, "rank", true);
    render_sheet_col(b, 10, "bottom", false);
    render_sheet_col_views(b, 9, RENDER_PEOPLE | RENDER_RECORDS);
    render_sheet_col_views(b, 10, RENDER_PEOPLE | RENDER_RECORDS);
}

/* The member's total line (cell c of the result): weight 100%, score,
 * rating, rank; n/a (no rating, no rank) when no KPI has a score. */
static void scorecard_total(RenderSheet *b, const ScResult *r, size_t c, bool ranked)
{
    char plain[VF_BUFSZ], text[VF_BUFSZ];
    render_sheet_word(b, 2, "total");
    set_num(b, 3, VAL_PERCENT, "100.00%", "1.0000");
    if (r->total_na[c])
        set_na(b, 7);
    else
        set_num(b, 7, VAL_SCORE, vf_fixed(r->total[c], 2, true, text),
                vf_fixed(r->total[c], 2, false, plain));
    render_sheet_set(b, 8, r->rating[c], NULL);
    if (!ranked)
        return;
    if (r->rank[c] == 0) {
        set_na(b, 9);
        return;
    }
    snprintf(plain, sizeof plain, "%d", r->rank[c]);
    set_num(b, 9, VAL_COUNT, plain, NULL);
    render_sheet_word(b, 10, r->bottom[c] ? "bottom" : "");
    if (r->bottom[c])
        render_sheet_style(b, 10, STY_RED);
}

/* A metric's value in cell c, or n/a. */
static void value_cell(RenderSheet *b, size_t c, const Symbols *s, const Node *metric, Num v,
                       bool na)
{
    char plain[VF_BUFSZ], text[VF_BUFSZ];
    if (na) {
        set_na(b, c);
        return;
    }
    set_num(b, c, metric_value(s, metric, v, plain, text), text, plain);
}

/* KPI k of the member (cell c of the result). */
static void scorecard_kpi(RenderSheet *b, const Symbols *s, const ScResult *r, size_t c, int k)
{
    char plain[VF_BUFSZ], text[VF_BUFSZ];
    size_t x = c * (size_t)r->nkpi + (size_t)k;
    const Node *metric = strmap_get(&s->metrics, r->kpis[k]->name);
    render_sheet_set(b, 2, r->kpis[k]->name, NULL);
    ratio(r->weight[k], plain, text);
    set_num(b, 3, VAL_PERCENT, text, plain);
    value_cell(b, 4, s, metric, r->target[x], r->na[x] & MS_NA_TARGET);
    value_cell(b, 5, s, metric, r->actual[x], r->na[x] & MS_NA_ACTUAL);
    if (r->na[x] & MS_NA_SCORE) {
        set_na(b, 6);
        set_na(b, 7);
        return;
    }
    ratio(r->att[x], plain, text);
    set_num(b, 6, VAL_PERCENT, text, plain);
    set_num(b, 7, VAL_SCORE, vf_fixed(r->score[x], 2, true, text),
            vf_fixed(r->score[x], 2, false, plain));
}

/* One row per KPI of member i in period p, then its total row. */
static void scorecard_member(RenderSheet *b, const Symbols *s, const ScResult *r, int p, size_t i,
                             bool ranked)
{
    size_t c = (size_t)p * r->nmem + i;
    const char *who = r->mem[i]->name;
    for (int k = 0; k <= r->nkpi; k++) {
        render_sheet_row(b, false);
        render_sheet_set(b, 0, r->per[p].label, NULL);
        render_sheet_set(b, 1, k > 0 ? "" : member_text(r->mem[i]), who);
        render_sheet_label(b, 1, r->mem[i]->label);
        if (k == r->nkpi)
            scorecard_total(b, r, c, ranked);
        else
            scorecard_kpi(b, s, r, c, k);
    }
}

static void scorecard_rows(RenderSheet *b, const Symbols *s, const ScResult *r, bool ranked,
                           const char **flags, size_t fcol)
{
    for (int p = 0; p < r->nper; p++)
        for (size_t k = 0; k < r->nmem; k++) {
            size_t i = ranked && r->order ? r->order[(size_t)p * r->nmem + k] : k;
            size_t c = (size_t)p * r->nmem + i;
            if (!r->in[c])
                continue;
            scorecard_member(b, s, r, p, i, ranked);
            if (flags) /* on the total row, the member's last */
                render_sheet_set(b, fcol, flags[c], NULL);
        }
}

/* The scorecard of review rv (NULL: none), ranked by rank (or NULL), with
 * the review's flags on it when it has some. */
static int show_scorecard(const Stmt *st, const Node *sc, const Node *rank, const Node *rv)
{
    ScResult r;
    if (ms_scorecard(st->ms, sc, st->per, st->nper, rank, &r) < 0) {
        ms_scorecard_free(&r);
        return -1;
    }
    bool ranked = rank != NULL;
    const char **flags = NULL;
    if (ms_has_flags(st->s, rv, sc)) {
        flags = xcalloc((size_t)r.nper * r.nmem + 1, sizeof *flags);
        if (ms_card_flags(st->ms, rv, &r, st->a, flags) < 0) {
            free(flags);
            ms_scorecard_free(&r);
            return -1;
        }
    }
    size_t fcol = 9 + (ranked ? 2 : 0);
    RenderSheet b;
    render_sheet_init(&b, st->doc, fcol + (flags ? 1 : 0));
    scorecard_columns(&b, &r, ranked);
    if (flags)
        render_sheet_col(&b, fcol, "flags", false);
    scorecard_rows(&b, st->s, &r, ranked, flags, fcol);
    const char *within =
        rank && rank->a ? arena_printf(st->a, zh(st) ? "，在 %s 内" : " within %s", rank->a->name)
                        : "";
    const char *what = arena_printf(st->a, zh(st) ? "按 %s%s%s" : "per %s%s%s", r.lv->name,
                                    !ranked  ? ""
                                    : zh(st) ? "，排名"
                                             : ", ranked",
                                    within);
    render_sheet_add(&b, arena_printf(st->a, "scorecard %s", sc->name), heading(st, what), 0,
                     nothing_note(st), st->views);
    free(flags);
    ms_scorecard_free(&r);
    return 0;
}

/* ---- review status -------------------------------------------------------------------------- */

typedef struct {
    const Node *metric;
    Num green, amber;
} StatusItem;

/* A row the notes sheet lists: a flagged row, or one with a note. */
typedef struct {
    const char *period, *who, *metric, *shown, *text; /* text NULL: unexplained */
} NoteLine;

/* The review's notes (`notes FILE`) and the rows of its notes sheet. */
typedef struct {
    NoteTable t;
    NoteLine *v;
    size_t n, cap;
} NoteState;

typedef struct {
    StatusItem items[32];
    int n;
    Num dev; /* flag deviations from 100% beyond this */
    bool has_flag;
    NoteState *notes; /* NULL: the review has no notes */
} StatusSpec;

/* The review's status items and deviation flag, evaluated; -1 after reporting. */
static int status_spec(Measure *ms, const Node *rv, StatusSpec *sp)
{
    Frame top = {0};
    memset(sp, 0, sizeof *sp);
    for (const Node *it = rv->a; it; it = it->next) {
        if (it->kind == N_FLAG) {
            if (eval_num(&ms->ev, &top, it->a, &sp->dev) < 0)
                return -1;
            sp->has_flag = true;
        }
        if (it->kind != N_STATUS || sp->n >= 32)
            continue;
        StatusItem *si = &sp->items[sp->n++];
        si->metric = strmap_get(&ms->p->sym->metrics, it->name);
        si->green = NUM_ONE;
        num_from_ratio(9, 10, &si->amber);
        for (const Node *e = it->a; e; e = e->next) {
            Num v;
            if (eval_num(&ms->ev, &top, e->b, &v) < 0)
                return -1;
            *(strcmp(e->a->name, "green") == 0 ? &si->green : &si->amber) = v;
        }
    }
    return 0;
}

static CellStyle status_of(Num att, const StatusItem *si)
{
    return num_cmp(att, si->green) >= 0   ? STY_GREEN
           : num_cmp(att, si->amber) >= 0 ? STY_AMBER
                                          : STY_RED;
}

static const char *status_name(CellStyle sty)
{
    return sty == STY_GREEN ? "green" : sty == STY_AMBER ? "amber" : "red";
}

/* People read "actual [pct% of target]"; the other views target, actual
 * and attainment apart. */
static void status_columns(RenderSheet *b, const Level *lv)
{
    static const char *const heads[] = {
        "period", NULL,  "metric", "target", "actual", "attainment", "actual [% of target]",
        "status", "flag"};
    for (size_t c = 0; c < 9; c++)
        render_sheet_col(b, c, c == 1 ? (lv ? lv->name : "member") : heads[c], c >= 3 && c <= 6);
    if (lv)
        render_sheet_col_name(b, 1);
    for (size_t c = 3; c <= 5; c++)
        render_sheet_col_views(b, c, RENDER_RECORDS | RENDER_FLAT);
    render_sheet_col_views(b, 6, RENDER_PEOPLE);
}

#define STATUS_CELL_SZ (4 * VF_BUFSZ) /* "actual [pct% of target]" */

/* A status row's target and actual, and what of them is n/a (MS_NA_*). */
typedef struct {
    Num t, act;
    unsigned na;
} StatusVal;

/* The cells of a status row whose attainment is n/a: no status, no flag. */
static void status_na(RenderSheet *b, const Symbols *s, const StatusItem *si, const StatusVal *v,
                      char *cell)
{
    char pt[VF_BUFSZ], tt[VF_BUFSZ], pa[VF_BUFSZ], ta[VF_BUFSZ];
    value_cell(b, 3, s, si->metric, v->t, v->na & MS_NA_TARGET);
    value_cell(b, 4, s, si->metric, v->act, v->na & MS_NA_ACTUAL);
    set_na(b, 5);
    metric_value(s, si->metric, v->t, pt, tt);
    metric_value(s, si->metric, v->act, pa, ta);
    bool zh = render_lang(b->doc) == LANG_ZH;
    snprintf(cell, STATUS_CELL_SZ, zh ? "%s [目标 %s 的 n/a]" : "%s [n/a of %s]",
             v->na & MS_NA_ACTUAL ? "n/a" : ta, v->na & MS_NA_TARGET ? "n/a" : tt);
    render_sheet_set(b, 6, cell, NULL);
    set_na(b, 7);
}

/* Whether a row's attainment is flagged as a deviation. */
static bool flagged(const StatusSpec *sp, Num att)
{
    Num off;
    return sp->has_flag && num_sub(att, NUM_ONE, &off) == NUM_OK &&
           num_cmp(num_abs(off), sp->dev) > 0;
}

/* The status cells of one row: target, actual, attainment, their people's
 * form (the percent truncated: 99.5% is not 100%; also into cell), status
 * and flag.  Returns whether the row is flagged. */
static bool status_cells(RenderSheet *b, const Symbols *s, const StatusItem *si,
                         const StatusSpec *sp, const StatusVal *v, char *cell)
{
    char pt[VF_BUFSZ], tt[VF_BUFSZ], pa[VF_BUFSZ], ta[VF_BUFSZ], pr[VF_BUFSZ], tr[VF_BUFSZ];
    char pc[VF_BUFSZ];
    Num att;
    if (v->na || ms_ratio(si->metric, v->t, v->act, ms_default_cap(), &att)) {
        status_na(b, s, si, v, cell);
        return false;
    }
    CellStyle sty = status_of(att, si);
    bool flag = flagged(sp, att);
    ValueKind k = metric_value(s, si->metric, v->t, pt, tt);
    metric_value(s, si->metric, v->act, pa, ta);
    ratio(att, pr, tr);
    set_num(b, 3, k, tt, pt);
    set_num(b, 4, k, ta, pa);
    set_num(b, 5, VAL_PERCENT, tr, pr);
    vf_fmt(att, &(ValFmt){.shift = 2, .round = NUM_TRUNC, .thousands = true}, pc);
    if (render_lang(b->doc) == LANG_ZH)
        snprintf(cell, STATUS_CELL_SZ, "%s [目标 %s 的 %s%%]", ta, tt, pc);
    else
        snprintf(cell, STATUS_CELL_SZ, "%s [%s%% of %s]", ta, pc, tt);
    render_sheet_set(b, 6, cell, NULL);
    render_sheet_word(b, 7, status_name(sty));
    render_sheet_style(b, 7, sty);
    render_sheet_word(b, 8, flag ? "deviation" : "");
    return flag;
}

/* The note of member m's row for metric in period pd: into column 9
 * (records and the flat export), and, with the row flagged or noted, into
 * the notes sheet's lines. */
static void status_note(const Stmt *st, RenderSheet *b, NoteState *ns, const Member *m,
                        const Period *pd, const Node *metric, bool flag, const char *shown)
{
    const Member *per = strmap_get(&st->s->time->by_name, pd->label);
    const Note *note = !m              ? NULL
                       : pd->week >= 0 ? note_find_week(&ns->t, m, pd->week, metric)
                                       : note_find(&ns->t, m, per, metric);
    render_sheet_set(b, 9, note ? note->text : "", NULL);
    if (!m || (!note && !flag))
        return;
    if (ns->n == ns->cap) {
        ns->cap = ns->cap ? 2 * ns->cap : 16;
        ns->v = xrealloc(ns->v, ns->cap * sizeof *ns->v);
    }
    ns->v[ns->n++] = (NoteLine){pd->label, member_text(m), metric->name, arena_strdup(st->a, shown),
                                note ? note->text : NULL};
}

/* Target and actual of metric for member m (NULL: the plan) in period pd,
 * a week's or months': into v (with what is n/a); 0, or -1 after reporting. */
static int period_values(Measure *ms, const Node *metric, const Member *m, const Period *pd,
                         const Node *at, StatusVal *v)
{
    int rt = pd->week >= 0 ? ms_week_target(ms, metric, m, pd->week, at, &v->t)
                           : ms_target(ms, metric, m, pd->from, pd->last, at, &v->t);
    int ra = rt < 0          ? -1
             : pd->week >= 0 ? ms_week_actual(ms, metric, m, pd->week, at, &v->act)
                             : ms_actual(ms, metric, m, pd->from, pd->last, at, &v->act);
    v->na = (rt > 0 ? MS_NA_TARGET : 0) | (ra > 0 ? MS_NA_ACTUAL : 0);
    return rt < 0 || ra < 0 ? -1 : 0;
}

/* The rows of member m (NULL: the whole plan, a total row) in period p. */
static int status_member(const Stmt *st, RenderSheet *b, const Node *rv, const StatusSpec *sp,
                         const Member *m, int p)
{
    const Period *pd = &st->per[p];
    const char *who = m ? m->name : "total";
    for (int k = 0; k < sp->n; k++) {
        StatusVal v;
        const Node *metric = sp->items[k].metric;
        if (period_values(st->ms, metric, m, pd, rv, &v) < 0)
            return -1;
        render_sheet_row(b, !m);
        render_sheet_set(b, 0, pd->label, NULL);
        if (!m && k == 0)
            render_sheet_word(b, 1, who);
        else
            render_sheet_set(b, 1, k > 0 ? "" : m ? member_text(m) : who, who);
        render_sheet_label(b, 1, m ? m->label : NULL);
        render_sheet_set(b, 2, metric->name, NULL);
        char shown[STATUS_CELL_SZ];
        bool flag = status_cells(b, st->s, &sp->items[k], sp, &v, shown);
        if (sp->notes)
            status_note(st, b, sp->notes, m, pd, metric, flag, shown);
    }
    return 0;
}

/* Every member of lv active in each period, then the whole plan (people
 * only): fn(st, m, p, arg) for each row (m NULL: the plan); stops at the
 * first negative result. */
typedef int RowFn(const Stmt *st, const Member *m, int p, void *arg);
static int each_row(const Stmt *st, const Level *lv, RowFn *fn, void *arg)
{
    size_t nmem = 0;
    Member **mem = lv ? ms_level_members(lv, &nmem) : NULL;
    bool plan_rows = render_shows(st->doc, RENDER_PEOPLE);
    int rc = 0;
    for (int p = 0; p < st->nper && rc >= 0; p++)
        for (size_t i = 0; i <= nmem && rc >= 0; i++) {
            const Member *m = i < nmem ? mem[i] : NULL;
            if (m ? ms_active(st->s, m, &st->per[p]) : plan_rows)
                rc = fn(st, m, p, arg);
        }
    free(mem);
    return rc < 0 ? rc : 0;
}

typedef struct {
    RenderSheet *b;
    const Node *rv;
    const StatusSpec *sp;
} StatusRows;

static int status_row(const Stmt *st, const Member *m, int p, void *arg)
{
    StatusRows *a = arg;
    return status_member(st, a->b, a->rv, a->sp, m, p);
}

static int status_rows(const Stmt *st, RenderSheet *b, const Node *rv, const StatusSpec *sp,
                       const Level *lv)
{
    StatusRows a = {b, rv, sp};
    return each_row(st, lv, status_row, &a);
}

/* Whether note n's period is one the review reports (at or before the as-of). */
static bool period_reported(const Period *per, int nper, const Note *n)
{
    for (int p = 0; p < nper; p++)
        if (n->week >= 0 ? per[p].week == n->week : strcmp(per[p].label, n->period->name) == 0)
            return true;
    return false;
}

/* How far a weekly review goes, for messages: --as-of, else its last week. */
static const char *weeks_as_of(const Measure *ms, const Period *per, int nper)
{
    return ms->as_of_text ? ms->as_of_text : nper ? per[nper - 1].label : "no week";
}

/* Notes for periods after the as-of month (a weekly review's: for weeks
 * not ended by the as-of) are not shown: a warning each. */
static void notes_after_as_of(Measure *ms, const Node *decl, const NoteTable *t, const Period *per,
                              int nper)
{
    for (size_t i = 0; i < t->n; i++) {
        const Note *n = &t->v[i];
        bool weekly = n->week >= 0;
        if ((weekly ? nper == 0 && ms->as_of_week < -1 : ms->as_of < 0) ||
            period_reported(per, nper, n)) /* no as-of: nothing is judged */
            continue;
        if (weekly)
            diag_warning(ms->p->diags, decl->c->loc,
                         "%s:%ld: the note for %s, %s, %s is for a week not ended by the as-of %s: "
                         "not shown",
                         decl->c->str, n->line, n->member->name, n->pname, n->metric->name,
                         weeks_as_of(ms, per, nper));
        else
            diag_warning(ms->p->diags, decl->c->loc,
                         "%s:%ld: the note for %s, %s, %s is after the as-of month %s: not shown",
                         decl->c->str, n->line, n->member->name, n->pname, n->metric->name,
                         ms_month_label(ms->p->sym, ms->as_of));
    }
}

/* People's sheet of the notes: every flagged or noted row, "unexplained"
 * for a flagged row without a note. */
static void notes_sheet(const Stmt *st, const Node *rv, const Level *lv, const NoteState *ns)
{
    static const char *const heads[] = {"period", NULL, "metric", "actual [% of target]", "note"};
    RenderSheet b;
    render_sheet_init(&b, st->doc, 5);
    for (size_t c = 0; c < 5; c++)
        render_sheet_col(&b, c, c == 1 ? (lv ? lv->name : "member") : heads[c], c == 3);
    if (lv)
        render_sheet_col_name(&b, 1);
    for (size_t i = 0; i < ns->n; i++) {
        const NoteLine *l = &ns->v[i];
        render_sheet_row(&b, false);
        render_sheet_set(&b, 0, l->period, NULL);
        render_sheet_set(&b, 1, l->who, NULL);
        render_sheet_set(&b, 2, l->metric, NULL);
        render_sheet_set(&b, 3, l->shown, NULL);
        if (l->text)
            render_sheet_set(&b, 4, l->text, NULL);
        else
            render_sheet_word(&b, 4, "unexplained");
        if (!l->text)
            render_sheet_style(&b, 4, STY_RED);
    }
    const char *what = per_level(st, "deviation notes ", "偏差说明，", lv);
    render_sheet_add(&b, arena_printf(st->a, "review %s", rv->name), heading(st, what), 0, NULL,
                     RENDER_PEOPLE);
}

/* The status sheet and, with notes, its note column and the notes sheet. */
static int status_sheets(const Stmt *st, const Node *rv, const Level *lv, StatusSpec *sp,
                         unsigned views)
{
    RenderSheet b;
    render_sheet_init(&b, st->doc, sp->notes ? 10 : 9);
    status_columns(&b, lv);
    if (sp->notes) {
        render_sheet_col(&b, 9, "note", false);
        render_sheet_col_text(&b, 9);
        render_sheet_col_views(&b, 9, RENDER_RECORDS | RENDER_FLAT);
    }
    if (status_rows(st, &b, rv, sp, lv) < 0) {
        render_sheet_discard(&b);
        return -1;
    }
    const char *what = per_level(st, "status ", "状态，", lv);
    render_sheet_add(&b, arena_printf(st->a, "review %s", rv->name), heading(st, what), 0,
                     nothing_note(st), views);
    if (sp->notes && sp->notes->n && render_shows(st->doc, RENDER_PEOPLE))
        notes_sheet(st, rv, lv, sp->notes);
    return 0;
}

/* The status sheet; without status items it is only in the flat export
 * (a review's CSV is its status table, SPEC §15). */
static int show_status(const Stmt *st, const Node *rv, const Level *lv)
{
    StatusSpec sp;
    if (status_spec(st->ms, rv, &sp) < 0)
        return -1;
    unsigned views = sp.n ? 0 : RENDER_FLAT;
    if (!render_shows(st->doc, views ? views : RENDER_ALL))
        return 0;
    NoteState ns = {0};
    const Node *decl = note_item(rv);
    if (decl) {
        if (note_load(st->ms->p, rv, decl, &ns.t) != 0) {
            note_free(&ns.t);
            return -1;
        }
        sp.notes = &ns;
        notes_after_as_of(st->ms, decl, &ns.t, st->per, st->nper);
    }
    int rc = status_sheets(st, rv, lv, &sp, views);
    free(ns.v);
    note_free(&ns.t);
    return rc;
}

/* ---- reforecast ----------------------------------------------------------------------------- */

/* Spreads `left` over cells in proportion to weights, rounded to step with
 * the largest remainders (ties to the earlier month), so they add up to
 * `left` rounded. */
static int spread(const Symbols *s, Num left, const Num *w, int n, Num *out)
{
    Num sum = NUM_ZERO;
    for (int i = 0; i < n; i++)
        if (num_add(sum, w[i], &sum) != NUM_OK)
            return -1;
    Num exact[12];
    for (int i = 0; i < n; i++) {
        Num prod;
        if (num_mul(left, w[i], &prod) != NUM_OK || num_div(prod, sum, &exact[i]) != NUM_OK)
            return -1;
    }
    return alloc_apportion(s->round_step, exact, (size_t)n, money_rounded(s, left), APPORTION_EXACT,
                           out);
}

/* One member's reforecast: months L+1 .. 11.  annual and ytd are as
 * shown (rounded); left = annual - ytd, at least 0, is spread over the
 * months in proportion to their original targets (wsum, their sum), and
 * what is not spread makes the row add up: ytd + rest + gap = annual. */
typedef struct {
    Num annual, ytd, left, wsum, now[12], rest, gap;
} Forecast;

/* The columns of the months left: one per period of the reforecast's
 * cadence (a month, quarter or half), the first one only its months after
 * the as-of month ("rest of Q1"); months from[j] .. to[j] (offsets into
 * Forecast.now). */
typedef struct {
    int n, from[12], to[12];
    const char *head[12];
} ForecastCols;

static void forecast_cols(const Stmt *st, Cadence c, ForecastCols *fc)
{
    static const int span[] = {1, 3, 6, 12};
    int L = st->ms->as_of, len = span[c];
    fc->n = 0;
    for (int m = L + 1; m <= 11; m = (m / len + 1) * len) {
        int j = fc->n++, start = m / len * len;
        fc->from[j] = m - (L + 1);
        fc->to[j] = (start + len - 1 < 11 ? start + len - 1 : 11) - (L + 1);
        const char *label =
            c == CAD_MONTHLY ? ms_month_label(st->s, m) : ms_period_label(st->s, c, start);
        fc->head[j] =
            m > start ? arena_printf(st->a, zh(st) ? "%s 余下" : "rest of %s", label) : label;
    }
}

/* The cadence a reforecast is shown by (sym_reforecast_period). */
static Cadence forecast_cadence(const Node *period, const Node *rv)
{
    return sym_reforecast_period(period, rv ? rv->name : NULL);
}

/* What the sheet adds up, and what its note counts: members above their
 * annual target, and members with something left and no target in the
 * months left (they have left, or their year is over). */
typedef struct {
    Num col[12], annual, ytd, rest, gap, unspread;
    int above, stuck;
} ForecastSum;

/* The month targets of the months left (orig) and their sum. */
static int forecast_months(const Stmt *st, const Node *metric, const Node *item, const Member *m,
                           Num *orig, Forecast *f)
{
    int L = st->ms->as_of;
    f->wsum = NUM_ZERO;
    for (int j = 0; j < 11 - L; j++) {
        if (ms_target(st->ms, metric, m, L + 1 + j, L + 1 + j, item, &orig[j]) < 0)
            return -1;
        num_add(f->wsum, orig[j], &f->wsum);
    }
    return 0;
}

static int member_forecast(const Stmt *st, const Node *metric, const Node *item, const Member *m,
                           Forecast *f, ForecastSum *sum)
{
    Measure *ms = st->ms;
    int nm = 11 - ms->as_of;
    Num orig[12];
    if (ms_target(ms, metric, m, 0, 11, item, &f->annual) < 0 ||
        ms_actual(ms, metric, m, 0, ms->as_of, item, &f->ytd) < 0 ||
        forecast_months(st, metric, item, m, orig, f) < 0)
        return -1;
    f->annual = money_rounded(st->s, f->annual);
    f->ytd = money_rounded(st->s, f->ytd);
    num_sub(f->annual, f->ytd, &f->left);
    if (num_sign(f->left) < 0) {
        f->left = NUM_ZERO;
        sum->above++;
    }
    if (num_sign(f->wsum) <= 0) {
        memcpy(f->now, orig, (size_t)nm * sizeof *orig);
    } else if (spread(st->s, f->left, orig, nm, f->now) < 0) {
        diag_error(ms->p->diags, item->loc, "reforecast of %s for %s does not fit in a number",
                   metric->name, m->name);
        return -1;
    }
    f->rest = NUM_ZERO;
    for (int j = 0; j < nm; j++)
        num_add(f->rest, f->now[j], &f->rest);
    num_sub(f->annual, f->ytd, &f->gap);
    num_sub(f->gap, f->rest, &f->gap);
    if (num_sign(f->gap) > 0) {
        sum->stuck++;
        num_add(sum->unspread, f->gap, &sum->unspread);
    }
    return 0;
}

/* A month's new target; people also see the row's change, "(+12.5%)". */
static void forecast_cell(RenderSheet *b, size_t c, const Symbols *s, const Forecast *f, Num v)
{
    char pl[VF_BUFSZ], tx[VF_BUFSZ], pc[VF_BUFSZ], cell[4 * VF_BUFSZ];
    money(s, v, pl, tx);
    Num chg, pct; /* the row's exact factor: left / its months' original targets */
    if (num_sign(f->wsum) > 0 && num_div(f->left, f->wsum, &chg) == NUM_OK &&
        num_sub(chg, NUM_ONE, &chg) == NUM_OK && num_mul(chg, num_from_int(100), &pct) == NUM_OK) {
        ValFmt one = {.min_dec = 1, .max_dec = 1, .thousands = true, .plus = true, .suffix = "%"};
        snprintf(cell, sizeof cell, "%s (%s)", tx, vf_fmt(pct, &one, pc));
        set_num(b, c, VAL_MONEY, cell, pl);
    } else {
        set_num(b, c, VAL_MONEY, tx, pl);
    }
}

static void forecast_row(RenderSheet *b, const Symbols *s, const Member *m, const Forecast *f,
                         const ForecastCols *fc, ForecastSum *sum)
{
    int nm = fc->n;
    render_sheet_row(b, false);
    render_sheet_set(b, 0, member_text(m), m->name);
    render_sheet_label(b, 0, m->label);
    set_money(b, 1, s, f->annual);
    set_money(b, 2, s, f->ytd);
    num_add(sum->annual, f->annual, &sum->annual);
    num_add(sum->ytd, f->ytd, &sum->ytd);
    for (int j = 0; j < nm; j++) {
        Num v = NUM_ZERO;
        for (int k = fc->from[j]; k <= fc->to[j]; k++)
            num_add(v, f->now[k], &v);
        forecast_cell(b, 3 + (size_t)j, s, f, v);
        num_add(sum->col[j], v, &sum->col[j]);
    }
    set_money(b, 3 + (size_t)nm, s, f->rest);
    set_money(b, 4 + (size_t)nm, s, f->gap);
    num_add(sum->rest, f->rest, &sum->rest);
    num_add(sum->gap, f->gap, &sum->gap);
}

static void forecast_total(RenderSheet *b, const Symbols *s, const ForecastSum *sum, int nm)
{
    render_sheet_row(b, true);
    render_sheet_word(b, 0, "total");
    set_money(b, 1, s, sum->annual);
    set_money(b, 2, s, sum->ytd);
    for (int j = 0; j < nm; j++)
        set_money(b, 3 + (size_t)j, s, sum->col[j]);
    set_money(b, 3 + (size_t)nm, s, sum->rest);
    set_money(b, 4 + (size_t)nm, s, sum->gap);
}

static const char *forecast_note(const Stmt *st, const ForecastSum *sum)
{
    char plain[VF_BUFSZ], text[VF_BUFSZ];
    Buf note = {0};
    bool z = zh(st);
    buf_puts(&note, z ? "各年度目标的剩余部分按余下各月的目标比例分摊"
                      : "the rest of each annual target over the months left, in proportion to "
                        "their targets");
    if (sum->above)
        buf_printf(&note,
                   z ? "；%d 个已超过年度目标（无剩余；超出部分为未分摊的负数）"
                     : "; %d already above the annual target (nothing left; the surplus is a "
                       "negative not spread)",
                   sum->above);
    if (sum->stuck) {
        money(st->s, sum->unspread, plain, text);
        buf_printf(&note,
                   z ? "；%d 个在余下各月没有目标（已离开）：%s 未分摊"
                     : "; %d with no target in the months left (has left): %s not spread",
                   sum->stuck, text);
    }
    const char *r = arena_strdup(st->a, buf_cstr(&note));
    buf_free(&note);
    return r;
}

/* Member, annual target, actual to the as-of month, each month left, the
 * rest of the year and what is not spread (people see that column only
 * when a row has something there). */
static void forecast_columns(const Stmt *st, RenderSheet *b, const Level *lv, int L,
                             const ForecastCols *fc)
{
    int nm = fc->n;
    render_sheet_col(b, 0, lv ? lv->name : "plan", false);
    if (lv)
        render_sheet_col_name(b, 0);
    render_sheet_col(b, 1, "annual target", true);
    render_sheet_col(
        b, 2,
        arena_printf(st->a, zh(st) ? "实际截至 %s" : "actual to %s", ms_month_label(st->s, L)),
        true);
    for (int j = 0; j < nm; j++) {
        render_sheet_col(b, 3 + (size_t)j, fc->head[j], true);
        render_sheet_col_name(b, 3 + (size_t)j);
    }
    render_sheet_col(b, 3 + (size_t)nm, "rest of year", true);
    render_sheet_col(b, 4 + (size_t)nm, "not spread", true);
}

static int forecast_rows(const Stmt *st, RenderSheet *b, const Node *item, const Node *metric,
                         const Level *lv, const ForecastCols *fc, ForecastSum *sum)
{
    size_t nmem = 0;
    Member **mem = lv ? ms_level_members(lv, &nmem) : NULL;
    int rc = 0;
    for (size_t i = 0; i < nmem && rc == 0; i++) {
        Forecast f;
        rc = member_forecast(st, metric, item, mem[i], &f, sum);
        if (rc == 0)
            forecast_row(b, st->s, mem[i], &f, fc, sum);
    }
    if (rc == 0 && nmem)
        forecast_total(b, st->s, sum, fc->n);
    free(mem);
    return rc;
}

/* The reforecast of item (review rv's), by period when given (a show's
 * `by quarter`), else by the item's own or its review's (forecast_cadence). */
static int show_reforecast(const Stmt *st, const Node *item, const Node *rv, const Node *period)
{
    const Level *lv = ms_review_level(st->ms->p, rv);
    const Node *metric = strmap_get(&st->s->metrics, item->name);
    int L = st->ms->as_of;
    const char *title = arena_printf(st->a, "reforecast %s", metric->name);
    RenderSheet b;
    if (L < 0 || L >= 11) {
        render_sheet_init(&b, st->doc, 1);
        render_sheet_col(&b, 0, lv ? lv->name : "plan", false);
        if (lv)
            render_sheet_col_name(&b, 0);
        render_sheet_add(&b, title, NULL, -1,
                         L < 0    ? (zh(st) ? "尚无实际数据：无需重新预测"
                                            : "no actuals yet: nothing to reforecast")
                         : zh(st) ? "全年已结束：无需重新预测"
                                  : "the year is complete: nothing left to reforecast",
                         st->views);
        return 0;
    }
    ForecastCols fc;
    Cadence c = forecast_cadence(period ? period : item->a, rv);
    forecast_cols(st, c, &fc);
    render_sheet_init(&b, st->doc, 5 + (size_t)fc.n);
    forecast_columns(st, &b, lv, L, &fc);
    ForecastSum sum = {0};
    if (forecast_rows(st, &b, item, metric, lv, &fc, &sum) < 0) {
        render_sheet_discard(&b);
        return -1;
    }
    if (sum.above == 0 && sum.stuck == 0)
        render_sheet_col_views(&b, 4 + (size_t)fc.n, RENDER_RECORDS | RENDER_FLAT);
    static const char *const by_zh[] = {"按月", "按季度", "按半年"};
    const char *what =
        zh(st) ? arena_printf(st->a, "%s，%s", per_level(st, "", "", lv), by_zh[c])
               : arena_printf(st->a, "per %s by %s", lv ? lv->name : "plan", sym_period_words[c]);
    render_sheet_add(&b, title, heading(st, what), -1, forecast_note(st, &sum), st->views);
    return 0;
}

/* ---- growth --------------------------------------------------------------------------------- */

/* Period, member, metric, actual, last year, growth. */
static void growth_columns(RenderSheet *b, const Level *lv)
{
    static const char *const heads[] = {"period", NULL, "metric", "actual", "last year", "growth"};
    for (size_t c = 0; c < 6; c++)
        render_sheet_col(b, c, c == 1 ? (lv ? lv->name : "member") : heads[c], c >= 3);
    if (lv)
        render_sheet_col_name(b, 1);
}

static void growth_cells(RenderSheet *b, const Symbols *s, const Node *metric, const Growth *g)
{
    char plain[VF_BUFSZ], text[VF_BUFSZ];
    value_cell(b, 3, s, metric, g->actual, g->na & MS_NA_ACTUAL);
    value_cell(b, 4, s, metric, g->last, g->na & MS_NA_TARGET);
    if (g->na & MS_NA_SCORE) {
        set_na(b, 5);
        return;
    }
    ratio(g->growth, plain, text);
    set_num(b, 5, VAL_PERCENT, text, plain);
}

typedef struct {
    RenderSheet *b;
    const Node *item, *metric;
} GrowthRows;

static int growth_row(const Stmt *st, const Member *m, int p, void *arg)
{
    GrowthRows *a = arg;
    Growth g;
    int rc = ms_growth(st->ms, a->item, m, &st->per[p], &g);
    if (rc < 0)
        return rc;
    render_sheet_row(a->b, !m);
    render_sheet_set(a->b, 0, st->per[p].label, NULL);
    if (m)
        render_sheet_set(a->b, 1, member_text(m), m->name);
    else
        render_sheet_word(a->b, 1, "total");
    render_sheet_set(a->b, 2, a->metric->name, NULL);
    growth_cells(a->b, st->s, a->metric, &g);
    return 0;
}

/* Every member of lv active in each period, then the plan (people only). */
static int growth_rows(const Stmt *st, RenderSheet *b, const Node *item, const Level *lv)
{
    GrowthRows a = {b, item, strmap_get(&st->s->metrics, item->name)};
    return each_row(st, lv, growth_row, &a);
}

/* A review's growth(M): per member of the review's level (or the history's,
 * when it has no column for the review's), against last year. */
static int show_growth(const Stmt *st, const Node *item, const Level *review_lv)
{
    bool coarser;
    const Level *lv = ms_growth_level(st->ms, item, review_lv, &coarser);
    RenderSheet b;
    render_sheet_init(&b, st->doc, 6);
    growth_columns(&b, lv);
    if (growth_rows(st, &b, item, lv) < 0) {
        render_sheet_discard(&b);
        return -1;
    }
    const char *what = zh(st) ? arena_printf(st->a, "按 %s，对比历史 %s 中的去年",
                                             lv ? lv->name : "全计划", item->str)
                              : arena_printf(st->a, "per %s against last year in history %s",
                                             lv ? lv->name : "plan", item->str);
    const char *note = !coarser ? nothing_note(st)
                                : arena_printf(st->a, "history %s has no %s column: per %s",
                                               item->str, review_lv->name, lv ? lv->name : "plan");
    render_sheet_add(&b, arena_printf(st->a, "growth(%s)", item->name), heading(st, what), -1, note,
                     st->views);
    return 0;
}

/* ---- reviews ------------------------------------------------------------------------------- */

/* The rank item of the review for scorecard name, or NULL. */
static const Node *rank_of(const Node *rv, const char *name)
{
    const Node *rank = NULL;
    for (const Node *r = rv->a; r; r = r->next)
        if (r->kind == N_RANK && strcmp(r->name, name) == 0)
            rank = r;
    return rank;
}

static bool uses_scorecard(const Node *rv, const char *name)
{
    for (const Node *u = rv->a; u; u = u->next)
        if (u->kind == N_USE_SCORECARD && strcmp(u->name, name) == 0)
            return true;
    return false;
}

/* One item of a review after its status: a reforecast, a scorecard
 * (ranked or not), an incentive. */
static int review_item(const Stmt *st, const Node *rv, const Node *it, const Level *lv)
{
    const Symbols *s = st->s;
    switch (it->kind) {
    case N_REFORECAST:
        return show_reforecast(st, it, rv, NULL);
    case N_GROWTH:
        return show_growth(st, it, lv);
    case N_USE_SCORECARD:
        return show_scorecard(st, strmap_get(&s->scorecards, it->name), rank_of(rv, it->name), rv);
    case N_USE_INCENTIVE:
        return show_incentive(st, strmap_get(&s->incentives, it->name));
    case N_RANK: /* a ranking of a scorecard the review does not show otherwise */
        if (uses_scorecard(rv, it->name))
            return 0;
        return show_scorecard(st, strmap_get(&s->scorecards, it->name), it, rv);
    default:
        return 0;
    }
}

/* The status table, then (not in the flat export) the review's items. */
static int show_review(Stmt *st, const Node *rv)
{
    Period per[WK_MAX_WEEKS];
    int c = ms_cadence(rv->name);
    st->weekly = strcmp(rv->name, "weekly") == 0;
    if (c < 0 && !st->weekly)
        return -1;
    st->per = per;
    st->nper = st->weekly ? ms_week_periods(st->ms, per) : ms_periods(st->ms, (Cadence)c, per);
    const Level *lv = ms_review_level(st->ms->p, rv);
    if (show_status(st, rv, lv) < 0)
        return -1;
    st->views = RENDER_PEOPLE | RENDER_RECORDS;
    if (!render_shows(st->doc, st->views))
        return 0;
    for (const Node *it = rv->a; it; it = it->next)
        if (review_item(st, rv, it, lv) < 0)
            return -1;
    return 0;
}

int ms_show(Measure *ms, const Node *show, RenderDoc *doc)
{
    const Symbols *s = ms->p->sym;
    Period per[12];
    Stmt st = {ms, s, doc, render_arena(doc), per, 0, 0, false};
    if (show->op == SHOW_INCENTIVE) {
        const Node *inc = strmap_get(&s->incentives, show->name);
        st.nper = ms_periods(ms, ms_statement_cadence(ms->p, show->name, false), per);
        return inc ? show_incentive(&st, inc) : -1;
    }
    if (show->op == SHOW_SCORECARD) {
        const Node *sc = strmap_get(&s->scorecards, show->name);
        Cadence c = ms_statement_cadence(ms->p, show->name, true);
        const Node *rv = strmap_get(&s->reviews, sym_cadence_names[c]);
        st.nper = ms_periods(ms, c, per);
        return sc ? show_scorecard(&st, sc, NULL, rv) : -1;
    }
    if (show->op == SHOW_REVIEW) {
        const Node *rv = strmap_get(&s->reviews, show->name);
        return rv ? show_review(&st, rv) : -1;
    }
    if (show->op == SHOW_REFORECAST) { /* a review's reforecast, in every view */
        const Node *rv = NULL, *item = sym_reforecast_item(s, show->name, &rv);
        return item ? show_reforecast(&st, item, rv, show->a) : -1;
    }
    return -1;
}

bool ms_status_thresholds(Measure *ms, const char *review, const char *metric, Num *green,
                          Num *amber)
{
    const Node *rv = strmap_get(&ms->p->sym->reviews, review);
    StatusSpec sp;
    if (!rv || status_spec(ms, rv, &sp) < 0)
        return false;
    for (int i = 0; i < sp.n; i++)
        if (sp.items[i].metric && strcmp(sp.items[i].metric->name, metric) == 0) {
            *green = sp.items[i].green;
            *amber = sp.items[i].amber;
            return true;
        }
    return false;
}

/* ---- unexplained deviations, for check ----------------------------------------------------- */

static void report_level(Diags *d, bool strict, Loc at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report_level(Diags *d, bool strict, Loc at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(d, strict ? DIAG_ERROR : DIAG_WARNING, at, fmt, ap);
    va_end(ap);
}

/* Reports member m's row for status item si in period pd when it is
 * flagged and has no note: 1, 0 when it is explained or not flagged. */
static int unexplained(Measure *ms, const Node *rv, const StatusSpec *sp, const StatusItem *si,
                       const Member *m, const Period *pd, bool strict)
{
    StatusVal v;
    Num att;
    if (period_values(ms, si->metric, m, pd, rv, &v) < 0)
        return -1;
    Num t = v.t, act = v.act;
    if (v.na || ms_ratio(si->metric, t, act, ms_default_cap(), &att) || !flagged(sp, att))
        return 0;
    const Member *per = strmap_get(&ms->p->sym->time->by_name, pd->label);
    if (pd->week >= 0 ? note_find_week(&sp->notes->t, m, pd->week, si->metric)
                      : note_find(&sp->notes->t, m, per, si->metric))
        return 0;
    char pt[VF_BUFSZ], tt[VF_BUFSZ], pa[VF_BUFSZ], ta[VF_BUFSZ], pc[VF_BUFSZ], pd_[VF_BUFSZ];
    metric_value(ms->p->sym, si->metric, t, pt, tt);
    metric_value(ms->p->sym, si->metric, act, pa, ta);
    vf_fmt(att, &(ValFmt){.shift = 2, .round = NUM_TRUNC, .thousands = true}, pc);
    vf_fmt(sp->dev, &(ValFmt){.shift = 2, .thousands = true}, pd_);
    const Node *decl = note_item(rv);
    report_level(ms->p->diags, strict, decl->c->loc,
                 "unexplained deviation in review %s: %s, %s, %s: %s is %s%% of %s (flagged "
                 "beyond %s%%)",
                 rv->name, m->name, pd->label, si->metric->name, ta, pc, tt, pd_);
    diag_note_plain(ms->p->diags, "give the reason in %s: %s,%s,%s,...", decl->c->str, m->name,
                    pd->label, si->metric->name);
    return 1;
}

/* The unexplained rows of review rv with its notes in sp. */
static int review_unexplained(Measure *ms, const Node *rv, StatusSpec *sp, bool strict)
{
    Period per[WK_MAX_WEEKS];
    int c = ms_cadence(rv->name), count = 0;
    int nper = strcmp(rv->name, "weekly") == 0 ? ms_week_periods(ms, per)
               : c < 0                         ? 0
                                               : ms_periods(ms, (Cadence)c, per);
    const Level *lv = ms_review_level(ms->p, rv);
    size_t nmem = 0;
    Member **mem = lv ? ms_level_members(lv, &nmem) : NULL;
    notes_after_as_of(ms, note_item(rv), &sp->notes->t, per, nper);
    for (int p = 0; p < nper && count >= 0; p++)
        for (size_t i = 0; i < nmem && count >= 0; i++)
            for (int k = 0; k < sp->n && count >= 0 && ms_active(ms->p->sym, mem[i], &per[p]);
                 k++) {
                int r = unexplained(ms, rv, sp, &sp->items[k], mem[i], &per[p], strict);
                count = r < 0 ? -1 : count + r;
            }
    free(mem);
    return count;
}

int ms_check_notes(Measure *ms, bool strict)
{
    const StrMap *rvs = &ms->p->sym->reviews;
    int count = 0;
    for (size_t i = 0; i < rvs->count && count >= 0; i++) {
        const Node *rv = rvs->slots[i].val;
        const Node *decl = rv ? note_item(rv) : NULL;
        StatusSpec sp;
        NoteState ns = {0};
        if (!decl || status_spec(ms, rv, &sp) < 0 || note_load(ms->p, rv, decl, &ns.t) != 0) {
            note_free(&ns.t);
            continue;
        }
        sp.notes = &ns;
        int r = review_unexplained(ms, rv, &sp, strict);
        count = r < 0 ? -1 : count + r;
        note_free(&ns.t);
    }
    return count;
}
