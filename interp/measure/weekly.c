/* weekly.c -- the weeks a weekly review reports and a member's target and
 * actual in one week.  A week's target is the week as the tables by week
 * show it (`show METRIC by LEVEL, week`: the sum of the member's rounded
 * fragments); its actual is the sum of the rows dated in the week (the
 * actuals store keeps a cell per member and week when the plan has a
 * weekly review).  A week is reported once it has ended: its last day
 * (inside the fiscal year) is on or before the as-of day. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure/measure.h"

/* A metric's rounded week targets per member of one level (or the plan). */
typedef struct {
    size_t nmem;
    int nweeks;
    Num *cells; /* nmem * nweeks */
    bool *have; /* nmem */
    bool failed;
} WeekGrid;

/* The last day (a day index inside the fiscal year) of week w. */
static int week_end(const WeekCal *c, int w)
{
    int end = c->week_first[w] + 6;
    return end < c->ndays ? end : c->ndays - 1;
}

int ms_week_last_day(const Symbols *s, int w)
{
    return week_end(s->weeks, w);
}

int ms_month_ended(const Symbols *s, int day)
{
    const WeekCal *c = s->weeks;
    int last = -1;
    for (int m = 0; c && m < 12; m++)
        if (c->month_first[m + 1] - 1 <= day)
            last = m;
    return last;
}

/* The months and weeks ended by day index day. */
static void ended_by(const Symbols *s, int day, int *as_of, int *as_of_week)
{
    int m = ms_month_ended(s, day);
    *as_of = m >= 0 ? m : MS_AS_OF_NONE;
    *as_of_week = ms_week_of_day(s, day);
}

AsOfKind ms_parse_as_of(const Symbols *s, const char *text, int *as_of, int *as_of_week)
{
    const WeekCal *c = s->weeks;
    int day, i, y = 0, m = 0;
    char tail = 0;
    if (wk_parse_date(text, strlen(text), &day)) {
        if (!c || (i = wk_index_of(c, day)) < 0)
            return AS_OF_BAD_DAY;
        ended_by(s, i, as_of, as_of_week);
        return AS_OF_OK;
    }
    if (strchr(text, 'W')) {
        int w = c ? wk_week_by_label(c, text) : -1;
        if (w < 0)
            return AS_OF_BAD_WEEK;
        ended_by(s, week_end(c, w), as_of, as_of_week);
        return AS_OF_OK;
    }
    if (sscanf(text, "%4d-%2d%c", &y, &m, &tail) != 2 || m < 1 || m > 12 ||
        (*as_of = ms_fiscal_month(s, y, m)) < 0)
        return AS_OF_BAD_MONTH;
    *as_of_week = c ? ms_week_of_day(s, c->month_first[*as_of + 1] - 1) : -2;
    return AS_OF_OK;
}

int ms_week_of_day(const Symbols *s, int day)
{
    const WeekCal *c = s->weeks;
    int last = -1;
    for (int w = 0; c && w < c->nweeks; w++)
        if (week_end(c, w) <= day)
            last = w;
    return last;
}

/* The months week w's days inside the fiscal year fall in. */
static void week_months(const WeekCal *c, int w, int *from, int *to)
{
    int first = c->week_first[w] < 0 ? 0 : c->week_first[w], last = week_end(c, w);
    *from = *to = 0;
    for (int m = 0; m < 12; m++) {
        if (c->month_first[m] <= first)
            *from = m;
        if (c->month_first[m] <= last)
            *to = m;
    }
}

int ms_week_periods(Measure *ms, Period *out)
{
    const WeekCal *c = ms->p->sym->weeks;
    int last = ms->as_of_week;
    if (last < -1) /* not given: the whole year under a scenario, else the last week with rows */
        last = ms->scenario ? (c ? c->nweeks - 1 : -1) : ms->act ? act_last_week(ms->act) : -1;
    int n = 0;
    for (int w = 0; c && w <= last && w < c->nweeks; w++) {
        Period *pd = &out[n++];
        char buf[24];
        week_months(c, w, &pd->from, &pd->to);
        pd->last = pd->to;
        pd->partial = false;
        pd->week = w;
        pd->label = arena_strdup(&ms->arena, wk_week_label(c, w, buf));
    }
    return n;
}

static Node *name_node(Measure *ms, const char *name, Loc loc)
{
    Node *n = ast_new(&ms->arena, N_NAME, loc);
    n->name = name;
    return n;
}

/* `show METRIC by LV, week` (the plan: `show METRIC by week`). */
static Node *week_show(Measure *ms, const Node *metric, const Level *lv, const Node *at)
{
    Node *show = ast_new(&ms->arena, N_SHOW, at->loc);
    show->op = SHOW_METRIC;
    show->name = metric->name;
    Node *wk = name_node(ms, "week", at->loc);
    show->a = lv ? ast_append(name_node(ms, lv->name, at->loc), wk) : wk;
    return show;
}

static void fill_week_grid(WeekGrid *g, const Table *t, const Level *lv)
{
    g->nmem = lv ? lv->dim->nmembers : 1;
    g->cells = xcalloc(g->nmem * (size_t)g->nweeks, sizeof *g->cells);
    g->have = xcalloc(g->nmem, sizeof *g->have);
    if (!lv) {
        g->have[0] = true;
        for (size_t w = 0; w < t->nrows && w < (size_t)g->nweeks; w++)
            g->cells[w] = t->cells[w * t->ncols];
        return;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        Member *m = strmap_get(&lv->dim->by_name, t->row_names[r]);
        if (!m || m->depth != lv->depth || m->pseudo || (size_t)m->index >= g->nmem)
            continue;
        g->have[m->index] = true;
        for (size_t w = 0; w < t->ncols && w < (size_t)g->nweeks; w++)
            g->cells[(size_t)m->index * (size_t)g->nweeks + w] = t->cells[r * t->ncols + w];
    }
}

static WeekGrid *week_grid(Measure *ms, const Node *metric, const Level *lv, const Node *at)
{
    char key[512];
    snprintf(key, sizeof key, "%s\x1f%s", metric->name, lv ? lv->name : "");
    WeekGrid *g = strmap_get(&ms->wgrids, key);
    if (g)
        return g->failed ? NULL : g;
    g = xcalloc(1, sizeof *g);
    g->nweeks = ms->p->sym->weeks ? ms->p->sym->weeks->nweeks : 0;
    Arena arena = {0};
    Table t;
    if (alloc_table(ms->en, week_show(ms, metric, lv, at), &arena, &t) < 0)
        g->failed = true;
    else
        fill_week_grid(g, &t, lv);
    arena_free(&arena);
    strmap_put(&ms->wgrids, arena_strdup(&ms->arena, key), g);
    return g->failed ? NULL : g;
}

void ms_weeks_free(Measure *ms)
{
    for (size_t i = 0; i < ms->wgrids.count; i++) {
        WeekGrid *g = ms->wgrids.slots[i].val;
        if (g) {
            free(g->cells);
            free(g->have);
            free(g);
        }
    }
    strmap_free(&ms->wgrids);
}

int ms_week_target(Measure *ms, const Node *metric, const Member *m, int week, const Node *at,
                   Num *out)
{
    *out = NUM_ZERO;
    WeekGrid *g = week_grid(ms, metric, m ? &m->dim->levels[m->depth] : NULL, at);
    if (!g)
        return -1;
    size_t row = m ? (size_t)m->index : 0;
    if (row < g->nmem && g->have[row] && week >= 0 && week < g->nweeks)
        *out = g->cells[row * (size_t)g->nweeks + (size_t)week];
    return 0;
}

int ms_week_actual(Measure *ms, const Node *metric, const Member *m, int week, const Node *at,
                   Num *out)
{
    if (!ms->scenario) {
        *out = (m && m->pseudo) ? NUM_ZERO : act_week_sum(ms->act, metric, m, week);
        return 0;
    }
    Num t, f = NUM_ONE;
    if (ms_week_target(ms, metric, m, week, at, &t) < 0)
        return -1;
    for (const Node *it = ms->scenario->a; it; it = it->next) /* as scenario_factor reads it */
        if ((!it->b && strcmp(it->name, "attainment") == 0) ||
            strcmp(it->name, metric->name) == 0) {
            Frame top = {0};
            if (eval_num(&ms->ev, &top, it->a, &f) < 0)
                return -1;
            if (strcmp(it->name, metric->name) == 0)
                break;
        }
    NumStatus st = num_mul(t, f, out);
    return st == NUM_OK ? 0 : diag_arith_fault(ms->p->diags, at->loc, st, t, f);
}
