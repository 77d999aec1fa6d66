/* years.c -- a multi-year plan (`years = 3`): the targets of the year being
 * checked.  The plan is checked once per fiscal year (Program.world); a
 * target written per year (`target revenue = { FY2027: 1400万, FY2028:
 * FY2027 * 115% }`) becomes, in each world, its own year's value, where a
 * plan year named in it is that year's exact target (from
 * Program.year_values: the earlier worlds, evaluated first).  What a
 * multi-year plan cannot mean (actuals, reviews, incentives...) is
 * reported here, with the mistakes of the per-year targets themselves. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check_int.h"

/* The fiscal year a name such as FY2027 stands for, or 0. */
static int fy_of(const char *name)
{
    if (!name || strlen(name) != 6 || strncmp(name, "FY", 2) != 0)
        return 0;
    for (int i = 2; i < 6; i++)
        if (name[i] < '0' || name[i] > '9')
            return 0;
    return atoi(name + 2);
}

static bool plan_year(const Symbols *s, int y)
{
    return y >= s->first_year && y < s->first_year + s->years;
}

static void note_years(R *r)
{
    const Symbols *s = r->s;
    if (s->years == 1)
        diag_note_plain(r->d, "the plan covers FY%d; `years = N` in the header plans N years",
                        s->first_year);
    else
        diag_note_plain(r->d, "the plan covers FY%d .. FY%d (years = %d)", s->first_year,
                        s->first_year + s->years - 1, s->years);
}

/* The entry of year y, or NULL. */
static Node *entry_of(Node *t, int y)
{
    for (Node *e = t->b; e; e = e->next)
        if (e->a->kind == N_NAME && fy_of(e->a->name) == y)
            return e;
    return NULL;
}

/* Each entry names a year of the plan once, with a value. */
static bool check_entries(R *r, Node *t)
{
    int before = r->d->nerrors;
    for (Node *e = t->b; e; e = e->next) {
        int y = e->a->kind == N_NAME ? fy_of(e->a->name) : 0;
        if (!y) {
            diag_error(r->d, e->a->loc,
                       "a per-year target's key must be a fiscal year such as FY%d",
                       r->s->first_year);
            note_years(r);
        } else if (!plan_year(r->s, y)) {
            diag_error(r->d, e->a->loc, "FY%d is not a year of the plan", y);
            note_years(r);
        } else if (entry_of(t, y) != e) {
            diag_error(r->d, e->a->loc, "FY%d is given twice", y);
            diag_note(r->d, entry_of(t, y)->a->loc, "first given here");
        } else if (e->b->kind == N_REST) {
            diag_error(r->d, e->b->loc, "a year's target cannot be 'rest'");
            diag_note_plain(r->d, "write a number, or growth on an earlier year: FY%d * 110%%",
                            y - 1);
        }
    }
    return r->d->nerrors == before;
}

static void check_missing(R *r, Node *t)
{
    const Symbols *s = r->s;
    for (int y = s->first_year; y < s->first_year + s->years; y++)
        if (!entry_of(t, y)) {
            diag_error(r->d, t->name_loc, "target %s has no value for FY%d", t->name, y);
            if (y > s->first_year)
                diag_note_plain(r->d,
                                "add `FY%d: ...`, e.g. growth on the year before: FY%d: "
                                "FY%d * 110%%",
                                y, y, y - 1);
            else
                diag_note_plain(r->d, "add `FY%d: ...` with the first year's target", y);
        }
}

typedef struct {
    R *r;
    Node *t;
    int year; /* the entry's year */
    bool report;
} Sub;

/* A plan year named in the value of `year`: the exact target of that
 * (earlier) year.  Years inside total(...) are the history's. */
static void substitute(Sub *x, Node *e, int depth)
{
    if (!e || depth > 256)
        return;
    if (e->kind == N_CALL && strcmp(e->name, "total") == 0)
        return;
    int y = e->kind == N_NAME ? fy_of(e->name) : 0;
    if (y && plan_year(x->r->s, y)) {
        if (y >= x->year) {
            if (x->report) {
                diag_error(x->r->d, e->loc, "FY%d's target cannot use FY%d's", x->year, y);
                diag_note_plain(x->r->d,
                                "a year's target may use the targets of earlier years "
                                "only, e.g. FY%d: FY%d * 110%%",
                                y, y - 1);
            }
            return;
        }
        const StrMap *vals = x->r->p->year_values;
        char key[256];
        snprintf(key, sizeof key, "%s FY%d", x->t->name, y);
        const Num *v = vals ? strmap_get(vals, key) : NULL;
        e->kind = N_NUM;
        e->num = v ? *v : num_from_int(0);
        e->str = e->name;
        e->name = NULL;
        return;
    }
    Node *kids[] = {e->a, e->b, e->c, e->d};
    for (int i = 0; i < 4; i++)
        for (Node *k = kids[i]; k; k = k->next)
            substitute(x, k, depth + 1);
}

static Node *zero(R *r, Node *at)
{
    Node *z = ast_new(&r->s->arena, N_NUM, at->loc);
    z->num = num_from_int(0);
    z->str = "0";
    return z;
}

/* A per-year target becomes this world's value. */
static void select_year(R *r, Node *t)
{
    bool first = r->p->world == 0; /* the first world reports; the others select */
    if (first) {
        int before = r->d->nerrors;
        if (check_entries(r, t))
            check_missing(r, t);
        if (r->d->nerrors > before) {
            t->a = zero(r, t);
            return;
        }
    }
    if (first)
        for (Node *e = t->b; e; e = e->next) {
            Sub x = {r, t, fy_of(e->a->name), true};
            substitute(&x, e->b, 0);
        }
    Node *e = entry_of(t, r->s->year);
    if (!e) {
        t->a = zero(r, t);
        return;
    }
    Sub x = {r, t, r->s->year, false};
    substitute(&x, e->b, 0);
    t->a = e->b;
}

/* One value for every year: an error in a plan of several years. */
static void one_value(R *r, Node *t)
{
    const Symbols *s = r->s;
    if (t->c) {
        diag_error(r->d, t->loc,
                   "a target from a file sets one fiscal year, and this plan covers %d", s->years);
        diag_note_plain(r->d, "give each year's value: target %s = { FY%d: ..., FY%d: ... }",
                        t->name, s->first_year, s->first_year + 1);
        return;
    }
    diag_error(r->d, t->a->loc, "target %s needs a value per year: the plan covers FY%d .. FY%d",
               t->name, s->first_year, s->first_year + s->years - 1);
    diag_note_plain(r->d, "write target %s = { FY%d: ..., FY%d: FY%d * 110%%, ... }", t->name,
                    s->first_year, s->first_year + 1, s->first_year);
}

/* What a plan of several years cannot mean: statements measured against
 * one year's actuals. */
static void one_year_only(R *r, Node *n)
{
    const char *what = NULL;
    switch (n->kind) {
    case N_ACTUALS:
        what = "actuals belong";
        break;
    case N_INCENTIVE:
        what = "an incentive belongs";
        break;
    case N_SCORECARD:
        what = "a scorecard belongs";
        break;
    case N_REVIEW:
        what = "a review belongs";
        break;
    case N_SCENARIO:
        what = "a scenario belongs";
        break;
    case N_EXAMPLE:
        what = "a worked example belongs";
        break;
    case N_ASSERT:
        what = "an assertion belongs";
        break;
    default:
        return;
    }
    diag_error(r->d, n->loc, "%s to one fiscal year, and this plan covers %d", what, r->s->years);
    diag_note_plain(r->d,
                    "measure each year in its own plan (year = %d, no `years`) with that "
                    "year's targets",
                    r->s->first_year);
}

void rs_select_years(R *r)
{
    for (Unit *u = r->p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next) {
            if (n->kind == N_TARGET && n->op == TARGET_BY_YEAR)
                select_year(r, n);
            else if (n->kind == N_TARGET && r->s->years > 1 && r->p->world == 0)
                one_value(r, n);
            else if (r->s->years > 1 && r->p->world == 0)
                one_year_only(r, n);
        }
}
