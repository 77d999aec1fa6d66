/* fingerprint.c -- what a change touches: the REPL recomputes only the
 * allocation tables of the metrics whose inputs changed.
 *
 * A metric's allocation depends on its own declaration, target and splits,
 * on those of the metrics they name (`like revenue`, a target written from
 * another metric, the components of a derived metric), and on what every
 * metric may read: the plan header, the dimensions, histories and imports,
 * and every let and fn (with the metrics they name).  The fingerprint of a
 * metric is the source text of all of that (and the inode, size,
 * modification and status change times of every file it reads: a file
 * rewritten with its old size and time put back still differs); when an
 * evaluation's fingerprint of a metric equals the previous evaluation's,
 * the metric's tables, default shows and root target are taken over
 * instead of computed.  Text is compared, never hashed, so
 * two fingerprints are equal only when the inputs are.  Nothing else is
 * assumed: incentives, scorecards and reviews are always recomputed.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "repl/repl_int.h"

static void file_stat(Buf *b, const Node *pn)
{
    struct stat st;
    Buf path = {0};
    if (pn && pn->kind == N_STR && pn->loc.src && pn->loc.src->dir) {
        buf_printf(&path, "%s/%s", pn->loc.src->dir, pn->str);
        if (stat(buf_cstr(&path), &st) == 0)
            buf_printf(b, "[%llu %lld %lld.%09ld %lld.%09ld]", (unsigned long long)st.st_ino,
                       (long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                       (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
    }
    buf_free(&path);
}

/* A statement's text, where it comes from, and the files it reads. */
static void stmt_text(Buf *b, const Node *n)
{
    buf_printf(b, "%s@%s:", ast_kind_name(n->kind), n->loc.src->dir ? n->loc.src->dir : "");
    repl_node_text(n, b);
    file_stat(b, n->c);
    buf_putc(b, '\n');
}

typedef struct {
    const Symbols *s;
    StrMap seen; /* metric names in the closure */
    const char **queue;
    int n, cap;
} Closure;

static void enqueue(Closure *c, const char *name)
{
    const Node *m = name ? strmap_get(&c->s->metrics, name) : NULL;
    if (!m || strmap_get(&c->seen, m->name))
        return;
    strmap_put(&c->seen, m->name, (void *)m);
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 16;
        c->queue = xrealloc(c->queue, (size_t)c->cap * sizeof *c->queue);
    }
    c->queue[c->n++] = m->name;
}

/* Every name under n (a list), as a metric it may refer to. */
static void names_in(Closure *c, const Node *n)
{
    for (; n; n = n->next) {
        enqueue(c, n->name);
        names_in(c, n->a);
        names_in(c, n->b);
        names_in(c, n->c);
        names_in(c, n->d);
    }
}

static void names_of(Closure *c, const Node *stmt)
{
    enqueue(c, stmt->name);
    names_in(c, stmt->a);
    names_in(c, stmt->b);
    names_in(c, stmt->c);
    names_in(c, stmt->d);
}

/* What every metric depends on; lets and fns also put the metrics they name into c. */
static void common_text(const Program *p, Closure *c, Buf *b)
{
    for (const Unit *u = p->units; u; u = u->next)
        for (const Node *n = u->items; n; n = n->next)
            switch (n->kind) {
            case N_PLAN:
            case N_DIMENSION:
            case N_HISTORY:
            case N_IMPORT:
                stmt_text(b, n);
                break;
            case N_LET:
            case N_FN:
                stmt_text(b, n);
                names_of(c, n);
                break;
            default:
                break;
            }
}

/* The fingerprint of one metric: its closure's declarations, targets and splits. */
static char *metric_text(const Program *p, const Closure *lets, const char *metric)
{
    const Symbols *s = p->sym;
    Closure c = {s, {0}, NULL, 0, 0};
    enqueue(&c, metric);
    for (int i = 0; i < lets->n; i++)
        enqueue(&c, lets->queue[i]);
    Buf b = {0};
    for (int i = 0; i < c.n; i++) { /* the queue grows as names are found */
        const char *x = c.queue[i];
        const Node *decl = strmap_get(&s->metrics, x);
        buf_printf(&b, "== %s\n", x);
        stmt_text(&b, decl);
        names_of(&c, decl);
        const Node *t[2] = {strmap_get(&s->targets, x), strmap_get(&s->targets_from, x)};
        for (int k = 0; k < 2; k++)
            if (t[k]) {
                stmt_text(&b, t[k]);
                names_of(&c, t[k]);
            }
        for (int k = 0; k < s->nsplits; k++)
            if (strcmp(s->splits[k]->name, x) == 0) {
                stmt_text(&b, s->splits[k]);
                names_of(&c, s->splits[k]);
            }
    }
    strmap_free(&c.seen);
    free(c.queue);
    return b.data ? b.data : xstrdup("");
}

void repl_touch_prepare(ReplWorld *w)
{
    const Program *p = w->s.p;
    Closure lets = {p->sym, {0}, NULL, 0, 0};
    Buf common = {0};
    common_text(p, &lets, &common);
    w->fp_common = common.data ? common.data : xstrdup("");
    for (const Unit *u = p->units; u; u = u->next)
        for (const Node *n = u->items; n; n = n->next)
            if (n->kind == N_METRIC && strmap_get(&p->sym->metrics, n->name) == n) {
                char *key = arena_strdup(&w->fp_arena, n->name);
                strmap_put(&w->fp, key, metric_text(p, &lets, n->name));
            }
    strmap_free(&lets.seen);
    free(lets.queue);
}

bool repl_touch_same(const ReplWorld *old, const ReplWorld *w, const char *metric)
{
    if (!old || !old->fp_common || !w->fp_common || strcmp(old->fp_common, w->fp_common) != 0)
        return false;
    const char *a = strmap_get(&old->fp, metric), *b = strmap_get(&w->fp, metric);
    return a && b && strcmp(a, b) == 0;
}

void repl_touch_free(ReplWorld *w)
{
    for (size_t i = 0; i < w->fp.count; i++)
        free(w->fp.slots[i].val);
    strmap_free(&w->fp);
    free(w->fp_common);
    for (int i = 0; i < w->ndefault; i++) {
        free(w->default_metric[i]);
        free(w->default_level[i]);
    }
    free(w->default_metric);
    free(w->default_level);
    arena_free(&w->fp_arena);
}

static void add_default(ReplWorld *w, ShowList *l, const Node *metric, const char *level)
{
    Arena *arena = &w->s.p->main->arena;
    Node *s = ast_new(arena, N_SHOW, metric->loc);
    s->name = metric->name;
    s->op = SHOW_METRIC;
    Node *lv = ast_new(arena, N_NAME, metric->loc);
    lv->name = arena_strdup(arena, level);
    s->a = lv;
    l->shows = xrealloc(l->shows, (size_t)(l->n + 1) * sizeof *l->shows);
    l->titles = xrealloc(l->titles, (size_t)(l->n + 1) * sizeof *l->titles);
    l->shows[l->n] = s;
    l->titles[l->n++] = NULL;
    w->default_metric = xrealloc(w->default_metric, (size_t)(w->ndefault + 1) * sizeof(char *));
    w->default_level = xrealloc(w->default_level, (size_t)(w->ndefault + 1) * sizeof(char *));
    w->default_metric[w->ndefault] = xstrdup(metric->name);
    w->default_level[w->ndefault++] = xstrdup(level);
}

/* As run_default_shows: one table per split metric and dimension, by the
 * deepest level it is split to; an untouched metric's come from old. */
void repl_default_shows(ReplWorld *w, const ReplWorld *old, ShowList *l)
{
    const Program *p = w->s.p;
    for (const Unit *u = p->units; u; u = u->next)
        for (const Node *m = u->items; m; m = m->next) {
            if (m->kind != N_METRIC)
                continue;
            bool split = false;
            for (int i = 0; i < p->sym->nsplits && !split; i++)
                split = strcmp(p->sym->splits[i]->name, m->name) == 0;
            if (!split)
                continue;
            if (repl_touch_same(old, w, m->name)) {
                for (int i = 0; i < old->ndefault; i++)
                    if (strcmp(old->default_metric[i], m->name) == 0)
                        add_default(w, l, m, old->default_level[i]);
                continue;
            }
            Alloc *A = alloc_get(&w->s.en, m);
            for (int i = 0; A && i < A->nax; i++)
                add_default(w, l, m, A->ax[i].dim->levels[A->ax[i].sl[A->ax[i].nsl - 1]].name);
        }
}
