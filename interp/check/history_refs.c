/* history_refs.c -- checking `history.NAME`, last year's value per cell
 * (SPEC §9): which history it reads, where it may stand, and its kind.
 *
 * NAME is a history's name (`history sales = ...`: history.sales), or a
 * metric's name when the plan declares exactly one history (history.revenue
 * reads that history); with several histories a metric's name is
 * ambiguous.  Its kind is the metric NAME's, else money (a history of
 * counts is named after its count metric).  Only a target (which it makes
 * a target per cell) and a derived metric's formula (a ratio to last year)
 * may read it.  A review's growth(M) reads the history named M, or the
 * only one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check_int.h"

static int by_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The histories' names, sorted, joined as "a, b and c" into b; how many. */
static size_t history_names(const Symbols *s, Buf *b)
{
    size_t n = 0;
    const char **v = xmalloc((s->histories.count + 1) * sizeof *v);
    for (size_t i = 0; i < s->histories.count; i++)
        v[n++] = s->histories.slots[i].key;
    qsort(v, n, sizeof *v, by_text);
    for (size_t i = 0; i < n; i++)
        buf_printf(b, "%s'%s'", i == 0 ? "" : i + 1 == n ? " and " : ", ", v[i]);
    free(v);
    return n;
}

/* The only history's name, or NULL. */
static const char *only_history(const Symbols *s, size_t n)
{
    return n == 1 ? s->histories.slots[0].key : NULL;
}

static void not_here(R *r, const Node *e)
{
    diag_error(r->d, e->loc,
               "'history.%s' is last year's value per cell: only a target or a "
               "derived metric can read it",
               e->name);
    diag_note_plain(r->d, "for one number from a history, write total(HISTORY, FYyyyy)");
}

/* The history e names (what: how the plan wrote it, "history.revenue"):
 * its name, or NULL after reporting. */
static const char *resolve(R *r, const Node *e, const char *what)
{
    Buf names = {0};
    size_t n = history_names(r->s, &names);
    const char *h = NULL;
    if (strmap_get(&r->s->histories, e->name)) {
        h = e->name;
    } else if (n == 0) {
        diag_error(r->d, e->loc, "'%s' reads a history, and the plan declares none", what);
        diag_note_plain(r->d, "declare one: history %s = \"file.csv\"", e->name);
    } else if (!strmap_get(&r->s->metrics, e->name)) {
        diag_error(r->d, e->name_loc, "unknown history '%s'", e->name);
        sym_note_did_you_mean(r->d, sym_closest(&r->s->histories, e->name));
        diag_note_plain(r->d,
                        "history.NAME names a history (%s), or a metric when the plan "
                        "has one history",
                        buf_cstr(&names));
    } else if (n > 1) {
        diag_error(r->d, e->name_loc, "'%s' is ambiguous: the plan has %zu histories (%s)", what, n,
                   buf_cstr(&names));
        if (e->kind == N_GROWTH)
            diag_note_plain(r->d,
                            "growth(%s) reads the history named '%s', or the plan's only "
                            "history",
                            e->name, e->name);
        else
            diag_note_plain(r->d, "name the history: history.NAME with NAME one of %s",
                            buf_cstr(&names));
    } else {
        h = only_history(r->s, n);
    }
    buf_free(&names);
    return h;
}

Kind rx_history_field(R *r, const Scope *sc, Node *e)
{
    char what[300];
    snprintf(what, sizeof what, "history.%s", e->name);
    const char *h = resolve(r, e, what);
    const Node *decl = h ? strmap_get(&r->s->histories, h) : NULL;
    e->str = decl ? decl->name : NULL;
    if (h && !(sc->flags & SC_HISTORY))
        not_here(r, e);
    Node *metric = strmap_get(&r->s->metrics, e->name);
    /* a metric's kind; a history named after no metric holds money */
    return metric && metric->op != MK_DERIVED ? sym_metric_kind(metric) : K_MONEY;
}

void rs_one_history(R *r, const Node *e, const char *what)
{
    const Node *refs[64];
    int n = sym_history_refs(e, refs, 64);
    for (int i = 1; i < n && i < 64; i++)
        if (refs[0]->str && refs[i]->str && strcmp(refs[0]->str, refs[i]->str) != 0) {
            diag_error(r->d, refs[i]->loc, "%s reads two histories, '%s' and '%s'", what,
                       refs[0]->str, refs[i]->str);
            diag_note(r->d, refs[0]->loc, "the first here: each cell is one history's cell");
            return;
        }
}

void rs_check_growth(R *r, Node *it)
{
    it->str = NULL;
    Node *metric = strmap_get(&r->s->metrics, it->name);
    if (!metric) {
        diag_error(r->d, it->name_loc, "unknown metric '%s'", it->name);
        sym_note_did_you_mean(r->d, sym_closest(&r->s->metrics, it->name));
        return;
    }
    Kind k = sym_value_kind(metric);
    if (k != K_MONEY && k != K_COUNT) {
        diag_error(r->d, it->name_loc, "growth(%s): only money and count metrics have a growth",
                   it->name);
        diag_note_plain(r->d, "growth compares a sum with last year's; for a ratio, compare "
                              "its parts (metric yoy = revenue / history.revenue)");
        return;
    }
    char what[300];
    snprintf(what, sizeof what, "growth(%s)", it->name);
    const char *h = resolve(r, it, what);
    const Node *decl = h ? strmap_get(&r->s->histories, h) : NULL;
    it->str = decl ? decl->name : NULL;
}
