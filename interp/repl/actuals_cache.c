/* replact.c -- the REPL keeps one actuals store across what-ifs.
 *
 * Reading actuals is the slow part of evaluating a plan that has them, and
 * the store depends only on the plan's dimensions (members in order), its
 * base metrics (names, in order), its fiscal year and the files read.  So
 * a what-if that changes none of them reuses the store: it is rebound to
 * the new evaluation's plan (the store finds members by position in their
 * dimension and metrics by their node, so it must point at the plan that
 * asks).  The signature of what a store was read for is the text of those
 * declarations plus the size and time of every file involved.
 *
 * Coupling: rebinding sets the store's plan, symbols and metric nodes
 * (actuals_int.h); it touches nothing else and never reads the old plan,
 * which may already be freed.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "data/actuals_int.h"
#include "repl/repl_int.h"

static void stat_sig(Buf *b, const char *path)
{
    struct stat st;
    if (path && stat(path, &st) == 0)
        buf_printf(b, "[%lld %lld.%09ld]", (long long)st.st_size, (long long)st.st_mtim.tv_sec,
                   st.st_mtim.tv_nsec);
    else
        buf_puts(b, "[?]");
}

/* A data path of the plan as it would be opened (no diagnostics). */
static void path_sig(Buf *b, const Node *pn)
{
    if (!pn || pn->kind != N_STR || !pn->loc.src || !pn->loc.src->dir)
        return;
    Buf path = {0};
    buf_printf(&path, "%s/%s", pn->loc.src->dir, pn->str);
    stat_sig(b, buf_cstr(&path));
    buf_free(&path);
}

static char *signature(const ReplWorld *w, const ReplState *st)
{
    Buf b = {0};
    const Symbols *s = w->p->sym;
    buf_printf(&b, "%d/%d\n", s->year, s->start_month);
    for (int i = 0; i < st->nactuals; i++) {
        buf_printf(&b, "--actuals %s", st->actuals[i]);
        stat_sig(&b, st->actuals[i]);
        buf_putc(&b, '\n');
    }
    for (const Unit *u = w->p->units; u; u = u->next)
        for (const Node *n = u->items; n; n = n->next) {
            bool base_metric = n->kind == N_METRIC && n->op != MK_DERIVED;
            if (n->kind != N_DIMENSION && n->kind != N_ACTUALS && !base_metric)
                continue;
            if (base_metric) { /* name and order matter, not the label */
                buf_printf(&b, "metric %s %s\n", n->name, n->a ? n->a->name : "");
                continue;
            }
            repl_node_text(n, &b);
            path_sig(&b, n->c);
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
    free(ra->nmem);
    for (int i = 0; i < ra->nmetrics; i++)
        free(ra->metrics[i]);
    free(ra->metrics);
    free(ra);
}

/* Whether the store fits plan p: the same dimensions and base metrics. */
static bool fits(const ReplActuals *ra, const Program *p)
{
    const Symbols *s = p->sym;
    if (!ra->act)
        return true;
    if (s->ndims != ra->ndims || ra->act->nms != ra->nmetrics)
        return false;
    for (int d = 0; d < s->ndims; d++)
        if (s->dims[d]->nmembers != ra->nmem[d])
            return false;
    for (int i = 0; i < ra->nmetrics; i++) {
        const Node *m = strmap_get(&s->metrics, ra->metrics[i]);
        if (!m || m->op == MK_DERIVED)
            return false;
    }
    return true;
}

bool repl_actuals_bound_to(const ReplActuals *ra, const Program *p)
{
    return ra->act && ra->act->p == p;
}

void repl_actuals_bind(ReplActuals *ra, Program *p)
{
    Actuals *a = ra->act;
    if (!a)
        return;
    a->p = p;
    a->s = p->sym;
    a->bad_mapping = NULL;
    for (int i = 0; i < a->nms; i++)
        a->ms[i].metric = strmap_get(&p->sym->metrics, ra->metrics[i]);
}

static ReplActuals *load(Session *S, ReplWorld *w, const ReplState *st, char *sig)
{
    bool none = false;
    Actuals *act = act_load_all(w->p, (const char *const *)st->actuals, st->nactuals, false, &none);
    if (!act && !none) {
        free(sig);
        return NULL;
    }
    ReplActuals *ra = xcalloc(1, sizeof *ra);
    ra->refs = 1;
    ra->act = act;
    ra->sig = sig;
    const Symbols *s = w->p->sym;
    ra->ndims = s->ndims;
    ra->nmem = xcalloc((size_t)s->ndims + 1, sizeof *ra->nmem);
    for (int d = 0; d < s->ndims; d++)
        ra->nmem[d] = s->dims[d]->nmembers;
    ra->nmetrics = act ? act->nms : 0;
    ra->metrics = xcalloc((size_t)ra->nmetrics + 1, sizeof *ra->metrics);
    for (int i = 0; i < ra->nmetrics; i++)
        ra->metrics[i] = xstrdup(act->ms[i].metric->name);
    repl_actuals_unref(S->ra); /* the cache now holds this one */
    S->ra = ra;
    ra->refs++;
    w->fresh_actuals = true;
    return ra;
}

ReplActuals *repl_actuals_get(Session *S, ReplWorld *w, const ReplState *st)
{
    char *sig = signature(w, st);
    ReplActuals *ra = S->ra;
    if (ra && strcmp(ra->sig, sig) == 0 && fits(ra, w->p)) {
        free(sig);
        repl_actuals_bind(ra, w->p);
        ra->refs++;
        return ra;
    }
    return load(S, w, st, sig);
}
