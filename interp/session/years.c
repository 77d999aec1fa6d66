/* years.c -- a multi-year plan (`years = 3`) through the one pipeline: the
 * plan is loaded and checked again for each later fiscal year (a world:
 * Program.world = k checks it as year + k, with its own targets), in order,
 * each world's exact targets kept for the next (FY2028: FY2027 * 115%).
 * The first year is the session itself; its engine gets the engines of the
 * years (Engine.years), from which alloc_table assembles the tables that
 * span them.  A later year's errors are reported with its year. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session/session.h"

/* The exact target of every per-year metric in world W, kept under
 * "METRIC FYyyyy" for the later worlds. */
static bool keep_targets(Session *S, Session *W)
{
    const Symbols *s = W->p->sym;
    Engine en;
    alloc_engine_init(&en, W->p);
    en.ev.budget = session_budget(W);
    bool ok = true;
    for (Unit *u = W->p->units; u && ok; u = u->next)
        for (Node *n = u->items; n && ok; n = n->next) {
            const Node *m = n->kind == N_TARGET && n->op == TARGET_BY_YEAR &&
                                    strmap_get(&s->targets, n->name) == n
                                ? strmap_get(&s->metrics, n->name)
                                : NULL;
            Num v;
            if (!m)
                continue;
            if (alloc_root_target(&en, m, &v) < 0) {
                ok = false;
                break;
            }
            char key[300];
            snprintf(key, sizeof key, "%s FY%d", n->name, s->year);
            Num *val = xmalloc(sizeof *val);
            *val = v;
            free(strmap_put(&S->year_values, xstrdup(key), val));
        }
    alloc_engine_free(&en);
    return ok;
}

/* Where a world's diagnostic is in the first year's sources. */
static Loc first_loc(const Session *S, Loc at)
{
    for (const Unit *u = S->p->units; at.src && u; u = u->next)
        if (u->src->index == at.src->index) {
            at.src = u->src;
            return at;
        }
    return (Loc){0};
}

/* Whether S already reports error G of a later year at the same place. */
static bool reported(const Session *S, const Diag *g, Loc at)
{
    for (size_t i = 0; i < S->d.n; i++) {
        const Diag *h = &S->d.v[i];
        if (h->level == DIAG_ERROR && h->loc.src == at.src && h->loc.line == at.line &&
            h->loc.col == at.col && strcmp(h->msg, g->msg) == 0)
            return true;
    }
    return false;
}

/* A later year's errors, reported with their year; an error an earlier
 * year reported at the same place, in the same words, only once. */
static void move_errors(Session *S, Session *W)
{
    for (size_t i = 0; i < W->d.n; i++) {
        const Diag *g = &W->d.v[i];
        if (g->level != DIAG_ERROR || reported(S, g, first_loc(S, g->loc)))
            continue; /* its warnings are the first year's */
        diag_error(&S->d, first_loc(S, g->loc), "%s", g->msg);
        for (size_t j = 0; j < g->nnotes; j++)
            if (g->notes[j].loc.src)
                diag_note(&S->d, first_loc(S, g->notes[j].loc), "%s", g->notes[j].msg);
            else
                diag_note_plain(&S->d, "%s", g->notes[j].msg);
        diag_note_plain(&S->d, "in FY%d, year %d of the plan's %d", W->p->sym->year,
                        W->p->world + 1, S->p->sym->years);
    }
}

static void load_again(Session *W, const Session *S)
{
    if (S->load_path)
        session_load_file(W, S->load_path);
    else
        session_load_text(W, S->load_name ? S->load_name : "<plan>", S->load_dir, S->load_text,
                          S->load_len);
}

static SessionOpts *world_opts(const Session *S)
{
    SessionOpts *o = xmalloc(sizeof *o);
    *o = *S->o;
    o->as_of = NULL; /* the first year's: a later year has no actuals */
    o->scenario = NULL;
    o->nactuals = 0;
    o->budget = session_budget((Session *)S); /* one budget for the years: --max-steps */
    return o;
}

bool session_years_build(Session *S)
{
    int n = S->p->sym->years;
    if ((!S->load_path && !S->load_text) || !keep_targets(S, S))
        return false;
    S->worlds = xcalloc((size_t)n, sizeof *S->worlds);
    for (int k = 1; k < n; k++) {
        Session *W = xcalloc(1, sizeof *W);
        S->worlds[S->nworlds++] = W;
        session_init(W, world_opts(S));
        W->is_world = true;
        W->p->world = k;
        W->p->year_values = &S->year_values;
        load_again(W, S);
        bool ok = session_run(W, SESSION_CHECK | SESSION_ENGINE) && keep_targets(S, W);
        move_errors(S, W);
        if (!ok || S->d.nerrors)
            return false;
    }
    return true;
}

/* Every later year's splits are checked, even after an error in an
 * earlier year: `check` reports what `run` would. */
bool session_years_splits(Session *S)
{
    for (int k = 0; k < S->nworlds; k++) {
        session_run(S->worlds[k], SESSION_SPLITS);
        move_errors(S, S->worlds[k]);
    }
    return !S->d.nerrors;
}

void session_years_attach(Session *S)
{
    if (!S->nworlds)
        return;
    if (S->o->as_of || S->o->nactuals) {
        diag_error(&S->d, (Loc){0}, "%s: the plan covers %d fiscal years and has no actuals",
                   S->o->as_of ? "--as-of" : "--actuals", S->p->sym->years);
        diag_note_plain(&S->d, "measure a year with a plan of its own (year = %d, no `years`)",
                        S->p->sym->first_year);
        S->usage = true;
    }
    free(S->years);
    S->years = xcalloc((size_t)S->nworlds + 1, sizeof *S->years);
    S->years[0] = &S->en;
    for (int k = 0; k < S->nworlds; k++)
        S->years[k + 1] = &S->worlds[k]->en;
    S->en.years = S->years;
    S->en.nyears = S->nworlds + 1;
    for (int k = 0; k < S->nworlds; k++) { /* what their tables find is reported here */
        S->worlds[k]->p->diags = &S->d;
        S->worlds[k]->en.ev.d = &S->d;
    }
}

void session_years_free(Session *S)
{
    for (int k = 0; k < S->nworlds; k++) {
        const SessionOpts *o = S->worlds[k]->o;
        session_free(S->worlds[k]);
        free((void *)o);
        free(S->worlds[k]);
    }
    free(S->worlds);
    free(S->years);
    for (size_t i = 0; i < S->year_values.count; i++) {
        free((void *)S->year_values.slots[i].key);
        free(S->year_values.slots[i].val);
    }
    strmap_free(&S->year_values);
    free(S->load_path);
    free(S->load_name);
    free(S->load_dir);
    free(S->load_text);
}
