/* cycles.c -- cyclic definitions (SPEC §8): lets, functions and metrics
 * that depend on themselves, through expressions, cell references, split
 * weights and values, and `like`.  A metric is two nodes: its target (a
 * bare name reads it) and its cells (`m[north]` and `like m` read them;
 * they come from the target and the metric's splits).  Each cycle is
 * reported once per edge that closes it, with every edge's position.  The
 * search is iterative: plans may chain 100,000 lets.  It also computes the
 * constant value of each let (post-order), for the rest of the checker. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/check_int.h"

/* What an edge is: a reference in an expression, or one of a metric's own. */
typedef enum {
    E_READS,  /* an expression names the target */
    E_LIKE,   /* split ... like M */
    E_TARGET, /* a metric's cells are split from its target */
    E_SUM     /* a metric's target is the sum of its cells */
} EdgeKind;

typedef struct {
    GNode *to;
    Loc at;
    EdgeKind kind;
    const Node *split; /* the split holding the reference, or NULL */
} Edge;

typedef struct {
    Edge *v;
    int n, cap;
} EdgeStack;

typedef struct {
    GNode **v;
    int n, cap;
} GStack;

/* Iterative depth-first search.  Frame i of the path owns the edges
 * succ[start[i] .. end[i]), of which pos[i] is the next. */
typedef struct {
    R *r;
    StrMap *splits; /* metric name -> SplitsOf */
    GStack path;
    EdgeStack succ;
    int *start, *pos, *end;
    int cap;
} Dfs;

typedef struct {
    Node **v;
    int n;
} SplitsOf;

/* ---- the nodes ------------------------------------------------------------------- */

static GNode *new_gnode(R *r, Node *decl, bool cells)
{
    GNode *g = arena_alloc(&r->s->arena, sizeof *g);
    memset(g, 0, sizeof *g);
    g->decl = decl;
    g->cells = cells;
    return g;
}

static void graph_add(R *r, StrMap *m)
{
    for (size_t i = 0; i < m->count; i++)
        if (!strmap_get(&r->graph, m->slots[i].key))
            strmap_put(&r->graph, m->slots[i].key, new_gnode(r, m->slots[i].val, false));
}

/* The cells node of a metric, made when first reached. */
static GNode *cells_of(R *r, Node *metric)
{
    GNode *g = strmap_get(&r->cells, metric->name);
    if (!g) {
        g = new_gnode(r, metric, true);
        strmap_put(&r->cells, metric->name, g);
    }
    return g;
}

static bool derived_untargeted(R *r, const Node *metric)
{
    return metric->op == MK_DERIVED && !strmap_get(&r->s->targets, metric->name);
}

/* The expression of a let, a function or a metric's target. */
static Node *definition(R *r, Node *decl)
{
    if (decl->kind == N_LET)
        return decl->a;
    if (decl->kind == N_FN)
        return decl->b;
    if (decl->kind == N_METRIC) {
        Node *t = strmap_get(&r->s->targets, decl->name);
        return derived_untargeted(r, decl) ? decl->c : t ? t->a : NULL;
    }
    return NULL;
}

/* ---- the edges ------------------------------------------------------------------- */

static void push_edge(Dfs *f, Edge e)
{
    if (f->succ.n == f->succ.cap) {
        f->succ.cap = f->succ.cap ? f->succ.cap * 2 : 64;
        f->succ.v = xrealloc(f->succ.v, (size_t)f->succ.cap * sizeof *f->succ.v);
    }
    f->succ.v[f->succ.n++] = e;
}

typedef struct {
    Dfs *f;
    bool all_cells;    /* every metric named is read cell by cell (a derived formula) */
    const Dim *attrs;  /* proportional to: this dimension's attributes shadow names */
    const Node *split; /* the split whose expression this is, or NULL */
} RefCtx;

static GNode *decl_node(R *r, Node *decl);

/* CARD.score (a scorecard's result) and total(INCENTIVE): edges to the
 * card and the incentive.  Returns whether ref was one of these. */
static bool card_or_total(RefCtx *c, Node *ref)
{
    R *r = c->f->r;
    Node *to = NULL;
    if (ref->kind == N_FIELD) {
        if (!strmap_get(&r->s->metrics, ref->a->name))
            to = strmap_get(&r->s->scorecards, ref->a->name);
    } else if (ref->kind == N_CALL && strcmp(ref->name, "total") == 0 && ref->b &&
               ref->b->kind == N_NAME) {
        to = strmap_get(&r->s->incentives, ref->b->name);
    }
    if (to)
        push_edge(c->f, (Edge){decl_node(r, to), ref->loc, E_READS, c->split});
    /* a field read as cells is LEVEL.METRIC (sum(customer.visits)); every
     * other field (CARD.score, revenue.target, history.sales) ends here */
    return ref->kind == N_FIELD && !strmap_get(&r->s->levels, ref->a->name);
}

static void collect_ref(void *arg, Node *ref)
{
    RefCtx *c = arg;
    R *r = c->f->r;
    if (card_or_total(c, ref))
        return;
    bool indexed = ref->kind == N_INDEX || ref->kind == N_FIELD; /* sum(rep.revenue): cells */
    const char *name = ref->kind == N_INDEX ? ref->a->name : ref->name;
    if (c->attrs && (strmap_get(&c->attrs->attr_names, name) || !strcmp(name, "active_months")))
        return;
    GNode *g = strmap_get(&r->graph, name);
    if (!g || (ref->kind == N_CALL) != (g->decl->kind == N_FN))
        return;
    if (g->decl->kind == N_METRIC && (indexed || c->all_cells))
        g = cells_of(r, g->decl);
    push_edge(c->f, (Edge){g, ref->loc, E_READS, c->split});
}

static void refs_of(Dfs *f, Node *e, const Node *params, const Node *split, bool all_cells)
{
    RefCtx c = {f, all_cells, NULL, split};
    rx_refs(e, params, collect_ref, &c);
}

/* The expressions of one split of a metric, and the metric it is like. */
static void split_edges(Dfs *f, Node *split)
{
    R *r = f->r;
    Node *spec = split->c;
    if (spec->kind == N_SPEC_MAP || spec->kind == N_SPEC_WEIGHTS) {
        for (Node *e = spec->a; e; e = e->next)
            refs_of(f, e->b, NULL, split, false);
    } else if (spec->kind == N_SPEC_PROP) {
        Level *lv = split->a ? strmap_get(&r->s->levels, split->a->name) : NULL;
        RefCtx c = {f, false, lv ? lv->dim : NULL, split};
        rx_refs(spec->a, NULL, collect_ref, &c);
    } else if (spec->kind == N_SPEC_LIKE) {
        Node *other = strmap_get(&r->s->metrics, spec->name);
        if (other && strcmp(other->name, split->name) != 0) /* like itself: splits.c says so */
            push_edge(f, (Edge){cells_of(r, other), spec->name_loc, E_LIKE, split});
    }
    if (split->d)
        refs_of(f, split->d->a, NULL, split, false);
}

/* A metric's cells: its target split by its splits, or (derived, with no
 * target) its formula on its components' cells. */
static void cells_edges(Dfs *f, GNode *g)
{
    R *r = f->r;
    Node *m = g->decl;
    if (strmap_get(&r->s->targets_from, m->name))
        return; /* submitted from a file */
    if (derived_untargeted(r, m)) {
        refs_of(f, m->c, NULL, NULL, true);
        return;
    }
    GNode *root = strmap_get(&r->graph, m->name);
    Node *t = strmap_get(&r->s->targets, m->name);
    if (root && root->decl == m)
        push_edge(f, (Edge){root, t ? t->loc : m->name_loc, E_TARGET, NULL});
    SplitsOf *sp = strmap_get(f->splits, m->name);
    for (int i = 0; sp && i < sp->n; i++)
        split_edges(f, sp->v[i]);
}

/* The node of an incentive or a scorecard, made when first reached (kept
 * in r->cells under a key no name can have). */
static GNode *decl_node(R *r, Node *decl)
{
    char *key = arena_printf(&r->s->arena, "%s\x1f%s", ast_kind_name(decl->kind), decl->name);
    GNode *g = strmap_get(&r->cells, key);
    if (!g) {
        g = new_gnode(r, decl, false);
        strmap_put(&r->cells, key, g);
    }
    return g;
}

/* An incentive reads what its lines read; a scorecard what its weights,
 * caps, curves and rating thresholds read. */
static void decl_edges(Dfs *f, Node *d)
{
    for (Node *x = d->b; x; x = x->next) {
        if (d->kind == N_INCENTIVE) {
            refs_of(f, x->a, NULL, NULL, false);
        } else if (x->kind == N_KPI) {
            refs_of(f, x->a, NULL, NULL, false); /* weight, cap, the curve's points */
            refs_of(f, x->b, NULL, NULL, false);
            refs_of(f, x->c, NULL, NULL, false);
        } else {
            for (Node *e = x->a; e; e = e->next) /* rating thresholds */
                refs_of(f, e->b, NULL, NULL, false);
        }
    }
}

static void edges_of(Dfs *f, GNode *g)
{
    R *r = f->r;
    Node *d = g->decl;
    if (g->cells) {
        cells_edges(f, g);
        return;
    }
    if (d->kind == N_INCENTIVE || d->kind == N_SCORECARD) {
        decl_edges(f, d);
        return;
    }
    refs_of(f, definition(r, d), d->kind == N_FN ? d->a : NULL, NULL, false);
    bool bottom_up =
        strmap_get(&r->s->targets_from, d->name) && !strmap_get(&r->s->targets, d->name);
    bool sum = d->kind == N_METRIC && (bottom_up || (derived_untargeted(r, d) && sym_additive(d)));
    if (sum)
        push_edge(f, (Edge){cells_of(r, d), d->name_loc, E_SUM, NULL});
}

/* ---- the report ------------------------------------------------------------------ */

static const char *node_text(const GNode *g, Buf *b)
{
    b->len = 0;
    if (g->cells)
        buf_printf(b, "the cells of '%s'", g->decl->name);
    else
        buf_printf(b, "'%s'", g->decl->name);
    return buf_cstr(b);
}

static const char *what_of(R *r, const Node *decl)
{
    if (decl->kind == N_INCENTIVE || decl->kind == N_SCORECARD)
        return ast_kind_name(decl->kind);
    if (decl->kind == N_LET)
        return "let";
    if (decl->kind == N_FN)
        return "function";
    return derived_untargeted(r, decl) ? "the formula of" : "the target of";
}

/* One edge of the cycle, at the position of its reference. */
static void note_edge(R *r, const GNode *from, const Edge *e)
{
    Buf b = {0};
    const char *to = node_text(e->to, &b), *name = from->decl->name;
    const char *level = e->split && e->split->a ? e->split->a->name : "everything";
    switch (e->kind) {
    case E_LIKE:
        diag_note(r->d, e->at, "the split of '%s' by %s copies the shares of '%s'", name, level,
                  e->to->decl->name);
        break;
    case E_TARGET:
        diag_note(r->d, e->at, "the cells of '%s' are split from its target", name);
        break;
    case E_SUM:
        diag_note(r->d, e->at, "the target of '%s' is the sum of its cells", name);
        break;
    case E_READS:
        if (e->split)
            diag_note(r->d, e->at, "the split of '%s' by %s reads %s", name, level, to);
        else if (from->cells)
            diag_note(r->d, e->at, "the cells of '%s' are its formula on %s", name, to);
        else
            diag_note(r->d, e->at, "%s '%s' %s %s", what_of(r, from->decl), name,
                      e->to->decl->kind == N_FN ? "calls" : "reads", to);
        break;
    }
    buf_free(&b);
}

enum { MAX_EDGE_NOTES = 12 };

/* Whether a cycle through these declarations was reported: a derived
 * metric's formula makes a cycle of targets and the same one of cells. */
static bool reported(R *r, GNode **v, int n, bool mark)
{
    for (int i = 0; i < n; i++) {
        GNode *root = strmap_get(&r->graph, v[i]->decl->name);
        GNode *cells = strmap_get(&r->cells, v[i]->decl->name);
        if (!mark && ((root && root->reported) || (cells && cells->reported)))
            return true;
        v[i]->reported |= mark;
        if (mark && root && root->decl == v[i]->decl)
            root->reported = true;
        if (mark && cells)
            cells->reported = true;
    }
    return false;
}

static void report_cycle(Dfs *f, GNode *again)
{
    R *r = f->r;
    int from = f->path.n - 1;
    while (from > 0 && f->path.v[from] != again)
        from--;
    if (reported(r, f->path.v + from, f->path.n - from, false))
        return;
    reported(r, f->path.v + from, f->path.n - from, true);
    Buf b = {0};
    for (int i = from; i < f->path.n; i++)
        if (i == from || f->path.v[i]->decl != f->path.v[i - 1]->decl)
            buf_printf(&b, "%s -> ", f->path.v[i]->decl->name);
    buf_puts(&b, again->decl->name);
    Node *d = again->decl;
    if (again->cells)
        diag_error(r->d, d->name_loc, "the allocation of '%s' depends on itself", d->name);
    else
        diag_error(r->d, d->name_loc, "%s '%s' is defined in terms of itself",
                   d->kind == N_LET         ? "let"
                   : d->kind == N_FN        ? "function"
                   : d->kind == N_INCENTIVE ? "incentive"
                   : d->kind == N_SCORECARD ? "scorecard"
                                            : "metric",
                   d->name);
    diag_note_plain(r->d, "the cycle: %s", buf_cstr(&b));
    for (int i = from; i < f->path.n && i - from < MAX_EDGE_NOTES; i++)
        note_edge(r, f->path.v[i], &f->succ.v[f->pos[i] - 1]);
    if (f->path.n - from > MAX_EDGE_NOTES)
        diag_note_plain(r->d, "... and %d more steps", f->path.n - from - MAX_EDGE_NOTES);
    buf_free(&b);
}

/* ---- the search ------------------------------------------------------------------ */

static void gpush(GStack *s, GNode *g)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->v = xrealloc(s->v, (size_t)s->cap * sizeof *s->v);
    }
    s->v[s->n++] = g;
}

static void enter(Dfs *f, GNode *g)
{
    if (f->path.n >= f->cap) {
        f->cap = f->cap ? f->cap * 2 : 64;
        f->start = xrealloc(f->start, (size_t)f->cap * sizeof *f->start);
        f->pos = xrealloc(f->pos, (size_t)f->cap * sizeof *f->pos);
        f->end = xrealloc(f->end, (size_t)f->cap * sizeof *f->end);
    }
    int i = f->path.n;
    g->color = 1;
    gpush(&f->path, g);
    f->start[i] = f->pos[i] = f->succ.n;
    edges_of(f, g);
    f->end[i] = f->succ.n;
}

/* Post-order: every successor is done, so a let's constant value is known. */
static void leave(Dfs *f)
{
    int top = f->path.n - 1;
    GNode *g = f->path.v[top];
    g->color = 2;
    g->cstate = 2;
    if (!g->cells && g->decl->kind == N_LET && rx_const(f->r, g->decl->a, &g->value) == 1)
        g->cstate = 1;
    f->succ.n = f->start[top];
    f->path.n--;
}

static void visit(Dfs *f, GNode *root)
{
    if (root->color != 0)
        return;
    enter(f, root);
    while (f->path.n > 0) {
        int top = f->path.n - 1;
        if (f->pos[top] >= f->end[top]) {
            leave(f);
            continue;
        }
        GNode *s = f->succ.v[f->pos[top]++].to;
        if (s->color == 1)
            report_cycle(f, s);
        else if (s->color == 0)
            enter(f, s);
    }
}

/* The plan's splits by metric name. */
static void index_splits(R *r, StrMap *by)
{
    for (int i = 0; i < r->s->nsplits; i++) {
        Node *n = r->s->splits[i];
        SplitsOf *l = strmap_get(by, n->name);
        if (!l) {
            l = xcalloc(1, sizeof *l);
            strmap_put(by, n->name, l);
        }
        l->v = xrealloc(l->v, (size_t)(l->n + 1) * sizeof *l->v);
        l->v[l->n++] = n;
    }
}

static void free_splits(StrMap *by)
{
    for (size_t i = 0; i < by->count; i++) {
        SplitsOf *l = by->slots[i].val;
        free(l->v);
        free(l);
    }
    strmap_free(by);
}

void rs_check_cycles(R *r)
{
    graph_add(r, &r->s->lets);
    graph_add(r, &r->s->fns);
    graph_add(r, &r->s->metrics);
    StrMap splits = {0};
    index_splits(r, &splits);
    Dfs f = {r, &splits, {0}, {0}, NULL, NULL, NULL, 0};
    /* in declaration order, for deterministic messages */
    for (Unit *u = r->p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next)
            if (n->kind == N_LET || n->kind == N_FN || n->kind == N_METRIC) {
                GNode *g = strmap_get(&r->graph, n->name);
                if (g && g->decl == n)
                    visit(&f, g);
                if (g && g->decl == n && n->kind == N_METRIC)
                    visit(&f, cells_of(r, n));
            }
    for (Unit *u = r->p->units; u; u = u->next) /* incentives reading scorecards */
        for (Node *n = u->items; n; n = n->next)
            if ((n->kind == N_INCENTIVE && strmap_get(&r->s->incentives, n->name) == n) ||
                (n->kind == N_SCORECARD && strmap_get(&r->s->scorecards, n->name) == n))
                visit(&f, decl_node(r, n));
    free(f.path.v);
    free(f.succ.v);
    free(f.start);
    free(f.pos);
    free(f.end);
    free_splits(&splits);
}
