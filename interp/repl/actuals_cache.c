/* actuals_cache.c -- the REPL keeps one actuals store across what-ifs.
 *
 * Reading actuals is the slow part of evaluating a plan that has them, and
 * the store depends only on the plan's dimensions (members in order), its
 * base metrics (names, in order), its fiscal year and the sources read.  So
 * a what-if that changes none of them reuses the store: act_rebind binds it
 * to the new evaluation's plan (the store finds members by position in
 * their dimension and metrics by name, so it must point at the plan that
 * asks).  The signature of what a store was read for is the text of those
 * declarations plus what every source involved says about itself
 * (src_signature: for a file its size, time and inode).
 *
 * It uses only the public interfaces of the store and the sources; it
 * never reads the old plan, which may already be freed.
 */
#include <stdlib.h>
#include <string.h>

#include "data/actuals.h"
#include "data/source.h"
#include "repl/repl_int.h"

static char *signature(const ReplWorld *w, const ReplState *st)
{
    Buf b = {0};
    const Symbols *s = w->s.p->sym;
    buf_printf(&b, "%d/%d\n", s->year, s->start_month);
    for (int i = 0; i < st->nactuals; i++) {
        buf_printf(&b, "--actuals %s", st->actuals[i]);
        src_signature_at(st->actuals[i], &b);
        buf_putc(&b, '\n');
    }
    for (const Unit *u = w->s.p->units; u; u = u->next)
        for (const Node *n = u->items; n; n = n->next) {
            bool base_metric = n->kind == N_METRIC && n->op != MK_DERIVED;
            if (n->kind != N_DIMENSION && n->kind != N_ACTUALS && !base_metric)
                continue;
            if (base_metric) { /* name and order matter, not the label */
                buf_printf(&b, "metric %s %s\n", n->name, n->a ? n->a->name : "");
                continue;
            }
            repl_node_text(n, &b);
            src_signature_of(w->s.p, n->c, &b);
            buf_printf(&b, " @%s\n", n->loc.src->dir ? n->loc.src->dir : "");
        }
    return b.data ? b.data : xstrdup("");
}

void repl_actuals_unref(ReplActuals *ra)
{
    if (!ra || --ra->refs > 0)
        return;
    act_free(ra->act);
    free(ra->sig);
    free(ra);
}

bool repl_actuals_bound_to(const ReplActuals *ra, const Program *p)
{
    return act_bound_to(ra->act, p);
}

void repl_actuals_bind(ReplActuals *ra, Program *p)
{
    if (ra->act)
        act_rebind(ra->act, p);
}

static ReplActuals *load(Repl *S, ReplWorld *w, const ReplState *st, char *sig)
{
    bool none = false;
    Actuals *act =
        act_load_all(w->s.p, (const char *const *)st->actuals, st->nactuals, false, &none);
    if (!act && !none) {
        free(sig);
        return NULL;
    }
    ReplActuals *ra = xcalloc(1, sizeof *ra);
    ra->refs = 1;
    ra->act = act;
    ra->sig = sig;
    repl_actuals_unref(S->ra); /* the cache now holds this one */
    S->ra = ra;
    ra->refs++;
    w->fresh_actuals = true;
    return ra;
}

ReplActuals *repl_actuals_get(Repl *S, ReplWorld *w, const ReplState *st)
{
    char *sig = signature(w, st);
    ReplActuals *ra = S->ra;
    if (ra && strcmp(ra->sig, sig) == 0 && (!ra->act || act_fits(ra->act, w->s.p))) {
        free(sig);
        repl_actuals_bind(ra, w->s.p);
        ra->refs++;
        return ra;
    }
    return load(S, w, st, sig);
}
