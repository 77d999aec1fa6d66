/* shows.c -- which tables an evaluation shows: --show texts, the plan's
 * reports and show statements, one table per split metric and dimension,
 * the reviews.  It lists show statements; it evaluates nothing but the
 * allocations that say which dimensions a metric is split by. */
#include <stdlib.h>
#include <string.h>

#include "base/ident.h"
#include "check/check.h"
#include "session/session.h"

void session_shows_add(ShowList *l, const Node *s, const char *title)
{
    l->shows = xrealloc(l->shows, (size_t)(l->n + 1) * sizeof *l->shows);
    l->titles = xrealloc(l->titles, (size_t)(l->n + 1) * sizeof *l->titles);
    l->shows[l->n] = s;
    l->titles[l->n++] = title;
}

void session_shows_free(ShowList *l)
{
    free(l->shows);
    free(l->titles);
    memset(l, 0, sizeof *l);
}

static const char *const show_words[] = {"review", "scorecard", "incentive", "reforecast"};

/* Whether some metric has label w. */
static bool metric_label(const Symbols *s, const char *w)
{
    for (size_t i = 0; i < s->metrics.count; i++) {
        const Node *m = s->metrics.slots[i].val;
        if (m && m->str && strcmp(m->str, w) == 0)
            return true;
    }
    return false;
}

/* Whether w is a metric of the plan or a metric's label (compared in NFC,
 * as the lexer reads names) or a word that starts a table's name. */
static bool show_head(const Symbols *s, const char *w)
{
    char *nfc = ident_nfc(w, strlen(w));
    bool metric = strmap_get(&s->metrics, nfc ? nfc : w) || metric_label(s, nfc ? nfc : w);
    free(nfc);
    for (size_t i = 0; !metric && i < sizeof show_words / sizeof *show_words; i++)
        metric = strcmp(w, show_words[i]) == 0;
    return metric;
}

/* A --show that starts with neither a metric nor a table word ("reveiw
 * monthly"): reported as a show error with the whole argument corrected,
 * not as a syntax error of the plan.  False after reporting. */
static bool show_head_known(Session *S, const char *spec)
{
    while (*spec == ' ')
        spec++;
    size_t n = strcspn(spec, " ,");
    char *w = xstrndup(spec, n);
    const Symbols *s = S->p->sym;
    bool known = !w[0] || show_head(s, w);
    if (!known) {
        StrMap m = {0};
        for (size_t i = 0; i < s->metrics.count; i++)
            strmap_put(&m, s->metrics.slots[i].key, NULL);
        for (size_t i = 0; i < sizeof show_words / sizeof *show_words; i++)
            strmap_put(&m, show_words[i], NULL);
        const char *near = sym_closest(&m, w);
        diag_error(&S->d, (Loc){0},
                   "--show '%s': '%s' is not a metric, nor review, scorecard, incentive or "
                   "reforecast",
                   spec, w);
        if (near)
            diag_note_plain(&S->d, "did you mean '%s%s'?", near, spec + n);
        else
            diag_note_plain(&S->d, "--show takes 'METRIC[, METRIC ...] [by LEVEL, ...]', 'review "
                                   "NAME', 'scorecard NAME', 'incentive NAME' or 'reforecast "
                                   "METRIC [by month|quarter|half]'");
        strmap_free(&m);
    }
    free(w);
    return known;
}

bool session_add_show(Session *S, const char *spec)
{
    int before = S->d.nerrors;
    if (!show_head_known(S, spec)) {
        S->show_errors += S->d.nerrors - before;
        S->usage = true;
        return false;
    }
    Buf text = {0};
    buf_printf(&text, "show %s", spec);
    Node *items = prog_parse_extra(S->p, "--show", buf_cstr(&text));
    buf_free(&text);
    if (items && items->kind == N_SHOW && !items->next) {
        check_statement(S->p, items);
        session_shows_add(&S->shows, items, NULL);
    } else if (!S->d.nerrors) {
        diag_error(&S->d, (Loc){0}, "--show '%s' is not a show statement", spec);
    }
    S->show_errors += S->d.nerrors - before;
    S->usage |= S->d.nerrors > 0;
    return !S->d.nerrors;
}

static bool split_metric(const Program *p, const Node *m)
{
    if (m->kind != N_METRIC)
        return false;
    for (int i = 0; i < p->sym->nsplits; i++)
        if (strcmp(p->sym->splits[i]->name, m->name) == 0)
            return true;
    return false;
}

static Node *show_node(Arena *arena, const Node *at, const char *name, int op)
{
    Node *s = ast_new(arena, N_SHOW, at->loc);
    s->name = name;
    s->op = op;
    return s;
}

void session_default_shows(Program *p, Engine *en, Arena *arena, ShowList *l)
{
    for (Unit *u = p->units; u; u = u->next)
        for (Node *m = u->items; m; m = m->next) {
            Alloc *A = split_metric(p, m) ? alloc_get(en, m) : NULL;
            for (int i = 0; A && i < A->nax; i++) {
                Node *s = show_node(arena, m, m->name, SHOW_METRIC);
                s->a = ast_new(arena, N_NAME, m->loc);
                s->a->name = A->ax[i].dim->levels[A->ax[i].sl[A->ax[i].nsl - 1]].name;
                session_shows_add(l, s, NULL);
            }
        }
}

void session_plan_shows(Program *p, ShowList *l)
{
    for (Unit *u = p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next) {
            if (n->kind == N_REPORT)
                for (Node *s = n->a; s; s = s->next)
                    session_shows_add(l, s, n->str);
            else if (n->kind == N_SHOW)
                session_shows_add(l, n, NULL);
        }
}

void session_review_shows(Program *p, Arena *arena, ShowList *l)
{
    for (Unit *u = p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next)
            if (n->kind == N_REVIEW)
                session_shows_add(l, show_node(arena, n, n->name, SHOW_REVIEW), NULL);
}

/* Whether there is something to review: actuals, a scenario or --as-of. */
static bool reviews_wanted(const Session *S)
{
    if (S->o->nactuals > 0 || S->scenario || S->as_of >= 0)
        return true;
    for (const Unit *u = S->p->units; u; u = u->next)
        for (const Node *n = u->items; n; n = n->next)
            if (n->kind == N_ACTUALS)
                return true;
    return false;
}

void session_run_shows(Session *S)
{
    if (!S->shows.n)
        session_plan_shows(S->p, &S->shows);
    if (S->shows.n)
        return;
    session_default_shows(S->p, &S->en, &S->p->main->arena, &S->shows);
    if (reviews_wanted(S))
        session_review_shows(S->p, &S->p->main->arena, &S->shows);
}

void session_all_shows(Session *S)
{
    if (S->shows.n)
        return;
    session_plan_shows(S->p, &S->shows);
    session_default_shows(S->p, &S->en, &S->p->main->arena, &S->shows);
    if (S->o->nactuals)
        session_review_shows(S->p, &S->p->main->arena, &S->shows);
}

/* Whether l shows review name. */
static bool shows_review(const ShowList *l, const char *name)
{
    for (int i = 0; i < l->n; i++)
        if (l->shows[i]->op == SHOW_REVIEW && strcmp(l->shows[i]->name, name) == 0)
            return true;
    return false;
}

void session_report_shows(Session *S)
{
    bool given = S->shows.n > 0;
    session_run_shows(S);
    if (given || !reviews_wanted(S))
        return;
    ShowList rv = {0};
    session_review_shows(S->p, &S->p->main->arena, &rv);
    for (int i = 0; i < rv.n; i++)
        if (!shows_review(&S->shows, rv.shows[i]->name))
            session_shows_add(&S->shows, rv.shows[i], NULL);
    session_shows_free(&rv);
}
