/* history_ref.c -- finding `history.NAME` (last year's value per cell) in
 * an expression: what makes a target a target per cell and a derived
 * metric a ratio to last year. */
#include <string.h>

#include "model/model.h"

bool sym_is_history_ref(const Node *e)
{
    return e && e->kind == N_FIELD && e->a && e->a->kind == N_NAME &&
           strcmp(e->a->name, "history") == 0;
}

static void collect(const Node *e, const Node **out, int max, int *n)
{
    if (!e)
        return;
    if (sym_is_history_ref(e)) {
        if (*n < max)
            out[*n] = e;
        (*n)++;
        return;
    }
    collect(e->a, out, max, n);
    if (e->kind == N_FIELD)
        return;
    for (const Node *x = e->b; x; x = x->next) /* argument and entry lists */
        collect(x, out, max, n);
    collect(e->c, out, max, n);
}

int sym_history_refs(const Node *e, const Node **out, int max)
{
    int n = 0;
    collect(e, out, max, &n);
    return n;
}
