/* show_names.c -- the names of a show statement written as labels:
 * `show 销售额, 毛利 by 产品线` names metrics by their labels and a level by
 * its dimension's label.  Each such name is rewritten to the metric's or
 * level's own name (the statement's tables then read as if written with
 * names); a label two metrics or dimensions share is an error, and so are
 * a metric shown twice and metrics side by side without a level. */
#include <stdlib.h>
#include <string.h>

#include "check/check_int.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Reports that label names several things (their names, sorted). */
static void ambiguous(R *r, Loc at, const char *label, const char *what, const char **names,
                      size_t n)
{
    qsort(names, n, sizeof *names, cmp_str);
    Buf b = {0};
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", names[i]);
    diag_error(r->d, at, "'%s' is the label of %s %s", label, what, buf_cstr(&b));
    diag_note_plain(r->d, "write the name of the one to show");
    buf_free(&b);
}

/* The metric labelled label, NULL when none; *n: how many are (their names in names). */
static const char *metric_by_label(R *r, const char *label, const char **names, size_t *n)
{
    *n = 0;
    for (size_t i = 0; i < r->s->metrics.count; i++) {
        const Node *m = r->s->metrics.slots[i].val;
        if (m && m->str && strcmp(m->str, label) == 0 && *n < 16)
            names[(*n)++] = m->name;
    }
    return *n ? names[0] : NULL;
}

/* A metric of the show written as a label becomes its name; false after
 * reporting a label of several metrics. */
static bool resolve_metric(R *r, Node *n, const char **name)
{
    const char *names[16];
    size_t k;
    if (strmap_get(&r->s->metrics, *name) || !metric_by_label(r, *name, names, &k))
        return true;
    if (k > 1) {
        ambiguous(r, n->name_loc, *name, "metrics", names, k);
        return false;
    }
    *name = names[0];
    return true;
}

/* The deepest level of the dimension labelled l->name; false after
 * reporting a label of several dimensions. */
static bool resolve_level(R *r, Node *l)
{
    const char *names[16];
    Dim *found = NULL;
    size_t k = 0;
    if (strmap_get(&r->s->levels, l->name))
        return true;
    for (int i = 0; i < r->s->ndims; i++) {
        Dim *d = r->s->dims[i];
        if (d->label && strcmp(d->label, l->name) == 0 && d->nlevels > 0 && k < 16) {
            found = d;
            names[k++] = d->name;
        }
    }
    if (k > 1) {
        ambiguous(r, l->loc, l->name, "dimensions", names, k);
        return false;
    }
    if (found)
        l->name = found->levels[found->nlevels - 1].name;
    return true;
}

/* A metric named twice. */
static bool shown_twice(R *r, const Node *n)
{
    bool twice = false;
    for (const Node *m = n->b; m; m = m->next) {
        bool seen = strcmp(m->name, n->name) == 0;
        for (const Node *e = n->b; !seen && e != m; e = e->next)
            seen = strcmp(e->name, m->name) == 0;
        if (seen) {
            diag_error(r->d, m->loc, "metric '%s' is shown twice in one table", m->name);
            twice = true;
        }
    }
    return twice;
}

bool rs_show_names(R *r, Node *n)
{
    bool ok = resolve_metric(r, n, &n->name);
    for (Node *m = n->b; m; m = m->next) {
        ok &= resolve_metric(r, m, &m->name);
    }
    for (Node *l = n->a; l; l = l->next)
        ok &= resolve_level(r, l);
    if (n->b && !n->a) {
        diag_error(r->d, n->loc, "metrics side by side need a level for their rows");
        diag_note_plain(r->d, "write 'show %s, %s by LEVEL'", n->name, n->b->name);
        return false;
    }
    return ok && !shown_twice(r, n);
}
