/* paths.c -- where a plan names files: the one list of the statements whose
 * strings are file names relative to the plan (what `:save` into another
 * folder rewrites).  A new statement that reads a file adds its case here. */
#include <string.h>

#include "load/load.h"
#include "model/model.h"

/* The holidays setting of a plan header: its string, or NULL. */
static Node *holidays(const Node *plan)
{
    for (Node *a = plan->a; a; a = a->next)
        if (a->kind == N_ATTR && a->name && strcmp(a->name, sym_setting_names[SET_HOLIDAYS]) == 0)
            return a->a && a->a->kind == N_STR ? a->a : NULL;
    return NULL;
}

/* The path string of one statement (a review: of its notes) through fn. */
static void statement_paths(Node *n, ProgPathFn fn, void *ctx)
{
    switch (n->kind) {
    case N_IMPORT:
        if (n->c && strncmp(n->c->str, "std/", 4) != 0)
            fn(n->c, true, ctx);
        break;
    case N_DIMENSION: /* from a roster */
    case N_TARGET:    /* from a file of bottom-up targets */
    case N_HISTORY:
    case N_ACTUALS:
        if (n->c && n->c->kind == N_STR)
            fn(n->c, false, ctx);
        break;
    case N_REVIEW:
        for (Node *i = n->a; i; i = i->next)
            if (i->kind == N_NOTES && i->c)
                fn(i->c, false, ctx);
        break;
    case N_PLAN:
        if (holidays(n))
            fn(holidays(n), false, ctx);
        break;
    default:
        break;
    }
}

void prog_each_path(Node *items, ProgPathFn fn, void *ctx)
{
    for (Node *n = items; n; n = n->next)
        statement_paths(n, fn, ctx);
}
