/* pipeline.c -- the stages of an evaluation in their one order: load,
 * check, the splits' own errors, the engine with --as-of and --scenario,
 * actuals, measure, worked examples and assertions.  Every front door
 * runs its evaluation through here; nothing here renders or prints but
 * the diagnostics. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/term.h"
#include "check/check.h"
#include "session/session.h"

static const SessionOpts no_opts;

void session_init(Session *S, const SessionOpts *o)
{
    memset(S, 0, sizeof *S);
    S->o = o ? o : &no_opts;
    S->budget.max_steps = S->o->max_steps;
    S->as_of = -1;
    S->as_of_week = -2;
    S->p = prog_new(&S->d);
    for (int i = 0; i < S->o->nallow; i++)
        prog_allow_path(S->p, S->o->allow[i]);
    S->p->sources = S->o->sources;
    S->p->nsources = S->o->nsources;
}

void session_free(Session *S)
{
    session_years_free(S);
    if (S->measure)
        ms_free(&S->ms);
    if (!S->lent_act)
        act_free(S->act);
    if (S->engine)
        alloc_engine_free(&S->en);
    session_shows_free(&S->shows);
    prog_free(S->p);
    diag_free(&S->d);
    memset(S, 0, sizeof *S);
}

bool session_load_file(Session *S, const char *path)
{
    S->load_path = xstrdup(path);
    return prog_load_file(S->p, path);
}

void session_load_text(Session *S, const char *name, const char *dir, const char *text, size_t len)
{
    S->load_name = xstrdup(name);
    S->load_dir = dir ? xstrdup(dir) : NULL;
    S->load_text = xmalloc(len + 1);
    memcpy(S->load_text, text, len);
    S->load_text[len] = 0;
    S->load_len = len;
    prog_load_text(S->p, name, dir, text, len);
}

void session_need_actuals(Session *S, ActualsNeed need)
{
    S->need = need;
}

void session_lend_actuals(Session *S, Actuals *act)
{
    S->act = act;
    S->lent_act = true;
    S->done |= SESSION_ACTUALS;
}

bool session_parse_max_steps(const char *v, uint64_t *out)
{
    char *end = NULL;
    if (!v || *v < '0' || *v > '9')
        return false;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (*end || n == 0 || errno == ERANGE)
        return false;
    *out = (uint64_t)n;
    return true;
}

EvalBudget *session_budget(Session *S)
{
    return S->o->budget ? S->o->budget : &S->budget;
}

/* An engine bounded by the session's budget and --max-cells. */
static void engine_init(Session *S, Engine *en)
{
    alloc_engine_init(en, S->p);
    en->ev.budget = session_budget(S);
    if (S->o->max_cells)
        en->max_cells = S->o->max_cells;
}

int session_status(const Session *S)
{
    if (!S->d.nerrors)
        return 0;
    const EvalBudget *b = S->o->budget ? S->o->budget : &S->budget;
    if (b->stop == EVAL_OUT_OF_STEPS)
        return 2; /* a limit of the run, like a data error: the plan may be right */
    return S->p->data_error || (!S->plan_errors && S->usage) ? 2 : 1;
}

void session_report(Session *S, const char *file)
{
    bool first = true;
    S->d.color = term_color(2);
    diag_flush(&S->d, stderr, FMT_TEXT, &first);
    if (file && S->d.nerrors > S->show_errors)
        diag_count_line(&S->d, stderr, file);
}

/* ---- the stages ------------------------------------------------------------------------ */

/* The default budget for this plan: the base and a share per member. */
static void size_budget(Session *S)
{
    uint64_t members = 0;
    const Symbols *s = S->p->sym;
    for (int i = 0; s && i < s->ndims; i++)
        members += s->dims[i]->nmembers;
    session_budget(S)->default_steps = EVAL_DEFAULT_MAX_STEPS + EVAL_STEPS_PER_MEMBER * members;
}

static bool stage_check(Session *S)
{
    check_program(S->p);
    size_budget(S);
    S->plan_errors = S->d.nerrors;
    if (!S->d.nerrors && !S->is_world && S->p->sym->years > 1 && !session_years_build(S))
        S->plan_errors = S->d.nerrors;
    return !S->d.nerrors;
}

/* Each level of a show statement for one of its metrics, where it is named. */
static void check_show_metric(Engine *en, const Node *show, const char *name)
{
    const Symbols *s = en->p->sym;
    const Node *metric = strmap_get(&s->metrics, name);
    for (const Node *l = show->a; metric && show->op == SHOW_METRIC && l; l = l->next) {
        bool sub = strcmp(l->name, "week") == 0 || strcmp(l->name, "day") == 0;
        if (sub && alloc_check_week_show(en, metric, l) < 0)
            return;
        Level *lv = strmap_get(&s->levels, sub ? "month" : l->name);
        if (lv && alloc_check_levels(en, metric, &lv, 1, l, ALLOC_ASK_TABLE) < 0)
            return;
    }
}

static void check_show(Engine *en, const Node *show)
{
    check_show_metric(en, show, show->name);
    for (const Node *m = show->op == SHOW_METRIC ? show->b : NULL; m; m = m->next)
        check_show_metric(en, show, m->name);
}

/* A metric a statement shows per member of lv (KPIs, statuses, reforecasts). */
static void check_statement_metric(Engine *en, const Node *item, Level *lv)
{
    const Node *metric = strmap_get(&en->p->sym->metrics, item->name);
    if (metric && lv)
        alloc_check_levels(en, metric, &lv, 1, item, ALLOC_ASK_TARGETS);
}

/* The targets an incentive line reads per member: M.target, M.ytd_target
 * and attainment(M) (at the line's level, or the one it names). */
static void check_line_targets(Engine *en, const Node *e, Level *lv, int depth)
{
    const Symbols *s = en->p->sym;
    if (!e || depth > EVAL_MAX_DEPTH)
        return;
    const Node *m = NULL;
    Level *at = lv;
    if (e->kind == N_FIELD && e->a && e->a->kind == N_NAME &&
        (strcmp(e->name, "target") == 0 || strcmp(e->name, "ytd_target") == 0))
        m = strmap_get(&s->metrics, e->a->name);
    if (e->kind == N_CALL && strcmp(e->name, "attainment") == 0 && e->b && e->b->kind == N_NAME) {
        m = strmap_get(&s->metrics, e->b->name);
        if (e->b->next && e->b->next->kind == N_NAME)
            at = strmap_get(&s->levels, e->b->next->name);
    }
    if (m && at && alloc_check_levels(en, m, &at, 1, e, ALLOC_ASK_TARGETS) < 0)
        return;
    const Node *kids[] = {e->a, e->b, e->c, e->d};
    for (int i = 0; i < 4; i++)
        for (const Node *k = kids[i]; k; k = k->next)
            check_line_targets(en, k, lv, depth + 1);
}

static void check_statements(Engine *en, const Node *n)
{
    const Symbols *s = en->p->sym;
    if (n->kind == N_INCENTIVE) {
        Level *lv = strmap_get(&s->levels, n->a->name);
        for (const Node *line = n->b; line; line = line->next)
            check_line_targets(en, line->a, lv, 0);
    }
    if (n->kind == N_SCORECARD) {
        Level *lv = strmap_get(&s->levels, n->a->name);
        for (const Node *it = n->b; it; it = it->next)
            if (it->kind == N_KPI)
                check_statement_metric(en, it, lv);
    } else if (n->kind == N_REVIEW) {
        Level *lv = (Level *)ms_review_level(en->p, n);
        for (const Node *it = n->a; it; it = it->next)
            if (it->kind == N_STATUS || it->kind == N_REFORECAST)
                check_statement_metric(en, it, lv);
    }
}

/* What the plan shows can be shown: its show statements and reports, its
 * scorecards and reviews, each metric by the levels it is asked for. */
static void check_shows(Engine *en)
{
    for (Unit *u = en->p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next) {
            if (n->kind == N_SHOW)
                check_show(en, n);
            for (const Node *sh = n->kind == N_REPORT ? n->a : NULL; sh; sh = sh->next)
                check_show(en, sh);
            check_statements(en, n);
        }
}

static bool has_derived(const Program *p)
{
    for (const Unit *u = p->units; u; u = u->next)
        for (const Node *n = u->items; n; n = n->next)
            if (n->kind == N_METRIC && n->op == MK_DERIVED)
                return true;
    return false;
}

/* Every split tree evaluated with an engine of its own that makes no
 * joint cells: the errors `check` reports (sums, rest, zero weights...);
 * then what the plan shows, and every derived metric at every level. */
static bool stage_splits(Session *S)
{
    Engine en;
    engine_init(S, &en);
    en.check_only = true;
    for (Unit *u = S->p->units; u; u = u->next)
        for (Node *m = u->items; m; m = m->next)
            if (m->kind == N_METRIC &&
                (alloc_has_splits(&en, m) || strmap_get(&S->p->sym->targets_from, m->name)))
                alloc_get(&en, m);
    if (!S->d.nerrors)
        check_shows(&en);
    alloc_engine_free(&en);
    if (!S->d.nerrors && has_derived(S->p)) {
        engine_init(S, &en);
        en.told = true; /* the first engine warned about gaps and history rows */
        alloc_check_derived(&en);
        alloc_engine_free(&en);
    }
    if (!S->d.nerrors && S->p->sym->nweek_splits) {
        engine_init(S, &en);
        alloc_check_weeks(&en);
        alloc_engine_free(&en);
    }
    bool ok = !S->d.nerrors;
    return session_years_splits(S) && ok; /* every year's errors, as `run` finds them */
}

/* --as-of YYYY-MM: a month of the plan's fiscal year; or a day or a week
 * (ms_parse_as_of). */
static void resolve_as_of(Session *S)
{
    const Symbols *s = S->p->sym;
    const WeekCal *c = s->weeks;
    const char *t = S->o->as_of;
    char a[24], b[24];
    switch (ms_parse_as_of(s, t, &S->as_of, &S->as_of_week)) {
    case AS_OF_OK:
        return;
    case AS_OF_BAD_DAY:
        diag_error(&S->d, (Loc){0}, "--as-of '%s' is not a day of FY%d (%s .. %s)", t, s->year,
                   wk_date_label(c ? c->first_day : 0, a),
                   wk_date_label(c ? c->first_day + c->ndays - 1 : 0, b));
        break;
    case AS_OF_BAD_WEEK:
        diag_error(&S->d, (Loc){0}, "--as-of '%s' is not a week of FY%d (%s .. %s)", t, s->year,
                   c ? wk_week_label(c, 0, a) : "?", c ? wk_week_label(c, c->nweeks - 1, b) : "?");
        break;
    case AS_OF_BAD_MONTH:
        diag_error(&S->d, (Loc){0},
                   "--as-of '%s' is not a month of FY%d (YYYY-MM, %s .. %s; or a day YYYY-MM-DD "
                   "or a week)",
                   t, s->year, ms_month_label(s, 0), ms_month_label(s, 11));
        break;
    }
    S->as_of = -1;
    S->usage = true;
}

static void resolve_scenario(Session *S)
{
    const StrMap *all = &S->p->sym->scenarios;
    if ((S->scenario = strmap_get(all, S->o->scenario)))
        return;
    diag_error(&S->d, (Loc){0}, "--scenario '%s': the plan has no such scenario", S->o->scenario);
    sym_note_did_you_mean(&S->d, sym_closest(all, S->o->scenario));
    S->usage = true;
}

static bool stage_engine(Session *S)
{
    engine_init(S, &S->en);
    S->engine = true;
    session_years_attach(S);
    if (!S->d.nerrors && S->o->as_of)
        resolve_as_of(S);
    if (!S->d.nerrors && S->o->scenario)
        resolve_scenario(S);
    return !S->d.nerrors;
}

static bool has_kind(const Program *p, NodeKind a, NodeKind b)
{
    for (const Unit *u = p->units; u; u = u->next)
        for (const Node *n = u->items; n; n = n->next)
            if (n->kind == a || n->kind == b)
                return true;
    return false;
}

/* Whether the actuals are to be read, by S->need. */
static bool actuals_needed(const Session *S)
{
    if (S->need == ACTUALS_ALWAYS || S->o->nactuals > 0)
        return true;
    for (int i = 0; i < S->shows.n; i++)
        if (S->shows.shows[i]->op != SHOW_METRIC)
            return true;
    return S->need == ACTUALS_FOR_VERIFY && has_kind(S->p, N_EXAMPLE, N_ASSERT);
}

static bool stage_actuals(Session *S)
{
    if (S->scenario || !actuals_needed(S))
        return true; /* under a scenario, actuals are targets times its attainment */
    bool none = false;
    if (S->o->as_of && S->as_of >= 0) /* a database leaves out the months after --as-of */
        S->p->actuals_months = S->as_of + 1;
    S->act = act_load_all(S->p, S->o->actuals, S->o->nactuals, S->o->lenient, &none);
    return !S->d.nerrors;
}

static bool stage_measure(Session *S)
{
    ms_init(&S->ms, S->p, &S->en, S->act, S->scenario, S->as_of);
    S->ms.as_of_week = S->as_of_week;
    S->ms.as_of_text = S->o ? S->o->as_of : NULL;
    S->measure = true;
    return !S->d.nerrors;
}

/* Examples and assertions hold on the actuals read, without a scenario. */
static bool stage_verify(Session *S)
{
    if (!has_kind(S->p, N_EXAMPLE, N_ASSERT))
        return true;
    Measure plain;
    ms_init(&plain, S->p, &S->en, S->act, NULL, -1);
    ms_verify(&plain);
    ms_free(&plain);
    return !S->d.nerrors;
}

typedef struct {
    unsigned stage, needs; /* a stage, and the stages that must come first */
    bool (*run)(Session *S);
} Stage;

static const Stage stages[] = {
    {SESSION_CHECK, 0, stage_check},
    {SESSION_SPLITS, SESSION_CHECK, stage_splits},
    {SESSION_ENGINE, SESSION_CHECK, stage_engine},
    {SESSION_ACTUALS, SESSION_ENGINE, stage_actuals},
    {SESSION_MEASURE, SESSION_ENGINE, stage_measure},
    {SESSION_VERIFY, SESSION_ENGINE, stage_verify},
};

bool session_run(Session *S, unsigned want)
{
    unsigned all = want;
    for (int i = (int)(sizeof stages / sizeof stages[0]) - 1; i >= 0; i--)
        if (all & stages[i].stage)
            all |= stages[i].needs;
    for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++) {
        if (!(all & stages[i].stage) || (S->done & stages[i].stage))
            continue;
        /* the check runs on whatever parsed, to report every mistake at once */
        if ((S->d.nerrors && stages[i].stage != SESSION_CHECK) || !stages[i].run(S))
            return false;
        S->done |= stages[i].stage;
    }
    return !S->d.nerrors;
}

/* Whether some `actuals` declaration reads a database's table. */
static bool actuals_in_tables(const Program *p)
{
    for (const Unit *u = p->units; u; u = u->next)
        for (const Node *n = u->items; n; n = n->next)
            if (n->kind == N_ACTUALS && n->c && n->c->kind == N_SOURCE)
                return true;
    return false;
}

bool session_check_all(Session *S)
{
    if (!session_run(S, SESSION_CHECK) || !stage_splits(S))
        return false;
    bool none = false; /* the plan's own actuals, an engine of its own */
    Engine en;
    engine_init(S, &en);
    if (S->o && S->o->as_of)
        resolve_as_of(S);
    S->p->sources_checked = true; /* a database's actuals: the query checked, no row read */
    Actuals *act = S->d.nerrors ? NULL : act_load_all(S->p, NULL, 0, false, &none);
    S->p->sources_checked = false;
    if (act && actuals_in_tables(S->p)) { /* examples and asserts need them read: run */
        act_free(act);
        act = NULL;
    }
    if (act || none) {
        Measure ms;
        ms_init(&ms, S->p, &en, act, NULL, S->as_of);
        ms.as_of_week = S->as_of_week;
        ms.as_of_text = S->o ? S->o->as_of : NULL;
        ms_verify(&ms);
        ms_check_notes(&ms, S->o && S->o->strict);
        ms_free(&ms);
    }
    act_free(act);
    alloc_engine_free(&en);
    return !S->d.nerrors;
}
