/* names.c -- the names written in a plan: which is under a position, what
 * each one names (from the checker's symbol tables) and where that is
 * declared. */
#include <stdlib.h>
#include <string.h>

#include "lsp/lsp_int.h"

static bool inside(const Loc *l, int line, int col)
{
    if (!l->src || line < l->line || line > l->end_line)
        return false;
    if (line == l->line && col < l->col)
        return false;
    return !(line == l->end_line && col > l->end_col + 1); /* just after the end too */
}

/* The span of a node's name: name_loc, or for a plain name its loc. */
static bool name_span(const Node *n, Loc *out)
{
    if (!n->name || !n->name[0])
        return false;
    if (n->name_loc.src)
        *out = n->name_loc;
    else if (n->kind == N_NAME || n->kind == N_CALL)
        *out = n->loc;
    else
        return false;
    if (n->kind == N_CALL && !n->name_loc.src) {
        out->end_line = out->line; /* the function's name only */
        out->end_col = out->col + (int)utf8_count(n->name, strlen(n->name)) - 1;
    }
    return true;
}

typedef void (*NameFn)(const LsName *n, void *ctx);

static void walk(const Node *n, NameFn fn, void *ctx)
{
    for (; n; n = n->next) {
        LsName nm = {n, {0}, n->name};
        if (name_span(n, &nm.loc))
            fn(&nm, ctx);
        walk(n->a, fn, ctx);
        walk(n->b, fn, ctx);
        walk(n->c, fn, ctx);
        walk(n->d, fn, ctx);
    }
}

void ls_each_name(const Program *p, void (*fn)(const LsName *n, void *ctx), void *ctx)
{
    if (p->main)
        walk(p->main->items, fn, ctx);
}

/* Whether nothing under n can be on line (a construct's span holds its
 * parts'): the searches by position skip it. */
static bool off_line(const Node *n, int line)
{
    return n->loc.src && n->loc.end_line >= n->loc.line &&
           (line < n->loc.line || line > n->loc.end_line);
}

static void name_at(const Node *n, int line, int col, LsName *best, bool *found);

/* The last name in node n or under it containing (line, col). */
static void name_in(const Node *n, int line, int col, LsName *best, bool *found)
{
    if (off_line(n, line))
        return;
    LsName nm = {n, {0}, n->name};
    if (name_span(n, &nm.loc) && inside(&nm.loc, line, col)) {
        *best = nm;
        *found = true;
    }
    name_at(n->a, line, col, best, found);
    name_at(n->b, line, col, best, found);
    name_at(n->c, line, col, best, found);
    name_at(n->d, line, col, best, found);
}

/* The same over a list of nodes. */
static void name_at(const Node *n, int line, int col, LsName *best, bool *found)
{
    for (; n; n = n->next)
        name_in(n, line, col, best, found);
}

void ls_index_items(LsRun *r)
{
    const Unit *u = r->S.p->main;
    if (r->items || !u)
        return;
    size_t n = ast_list_len(u->items), i = 0;
    r->items = xmalloc((n ? n : 1) * sizeof *r->items);
    for (const Node *s = u->items; s; s = s->next)
        r->items[i++] = s;
    r->nitems = n;
}

/* The first statement that may hold line: the statements follow each other
 * in the text, so a binary search finds the last one starting at or before
 * it, then those before it that end on it. */
static size_t first_on(LsRun *r, int line)
{
    ls_index_items(r);
    size_t lo = 0, hi = r->nitems;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->items[mid]->loc.line <= line)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t i = lo ? lo - 1 : 0;
    while (i > 0 && r->items[i - 1]->loc.end_line >= line)
        i--;
    return i;
}

bool ls_name_at(LsRun *r, int line, int col, LsName *out)
{
    bool found = false;
    for (size_t i = first_on(r, line); i < r->nitems && r->items[i]->loc.line <= line; i++) {
        name_in(r->items[i], line, col, out, &found);
    }
    return found;
}

static const Node *innermost(const Node *n, NodeKind k, int line, int col);

/* The innermost node of kind k containing (line, col): n or one below it. */
static const Node *innermost_in(const Node *n, NodeKind k, int line, int col)
{
    const Node *best = NULL;
    if (off_line(n, line))
        return NULL;
    if (n->kind == k && inside(&n->loc, line, col))
        best = n;
    const Node *kids[] = {n->a, n->b, n->c, n->d};
    for (int i = 0; i < 4; i++) {
        const Node *in = innermost(kids[i], k, line, col);
        if (in)
            best = in;
    }
    return best;
}

/* The same over a list of nodes. */
static const Node *innermost(const Node *n, NodeKind k, int line, int col)
{
    const Node *best = NULL;
    for (; n; n = n->next) {
        const Node *in = innermost_in(n, k, line, col);
        if (in)
            best = in;
    }
    return best;
}

const Node *ls_cell_at(LsRun *r, int line, int col)
{
    const Node *best = NULL;
    for (size_t i = first_on(r, line); i < r->nitems && r->items[i]->loc.line <= line; i++) {
        const Node *in = innermost_in(r->items[i], N_INDEX, line, col);
        if (in)
            best = in;
    }
    return best;
}

const Node *ls_import_at(const Program *p, int line, int col)
{
    for (const Node *n = p->main ? p->main->items : NULL; n; n = n->next)
        if (n->kind == N_IMPORT && inside(&n->loc, line, col))
            return n;
    return NULL;
}

const Unit *ls_import_unit(const Program *p, const Node *imp)
{
    const char *base = strrchr(imp->str, '/');
    base = base ? base + 1 : imp->str;
    size_t n = strlen(base);
    for (const Unit *u = p->units; u; u = u->next) {
        if (u == p->main || !u->src || !u->src->name)
            continue;
        const char *name = u->src->name, *b = strrchr(name, '/');
        b = b ? b + 1 : name;
        if (strncmp(b, base, n) == 0 && (b[n] == 0 || strcmp(b + n, ".plan") == 0))
            return u;
    }
    return NULL;
}

/* An incentive's line (commission.payout): its N_ATTR. */
static const Node *incentive_line(const Symbols *s, const Node *field)
{
    if (field->kind != N_FIELD || !field->a || field->a->kind != N_NAME)
        return NULL;
    const Node *inc = strmap_get(&s->incentives, field->a->name);
    for (const Node *l = inc ? inc->b : NULL; l; l = l->next)
        if (l->kind == N_ATTR && l->name && strcmp(l->name, field->name) == 0)
            return l;
    return NULL;
}

/* A parameter of the fn whose body holds the name. */
static const Node *fn_param(const Symbols *s, const LsName *n)
{
    for (size_t i = 0; i < s->fns.count; i++) {
        const Node *f = s->fns.slots[i].val;
        if (!f || !inside(&f->loc, n->loc.line, n->loc.col) || f->loc.src != n->loc.src)
            continue;
        for (const Node *a = f->a; a; a = a->next)
            if (strcmp(a->name, n->name) == 0)
                return a;
    }
    return NULL;
}

/* A line of the incentive whose body holds the name (base * 10%). */
static const Node *incentive_local(const Symbols *s, const LsName *n)
{
    for (size_t i = 0; i < s->incentives.count; i++) {
        const Node *inc = s->incentives.slots[i].val;
        if (!inc || inc->loc.src != n->loc.src || !inside(&inc->loc, n->loc.line, n->loc.col))
            continue;
        for (const Node *l = inc->b; l; l = l->next)
            if (l->kind == N_ATTR && l->name && strcmp(l->name, n->name) == 0)
                return l;
    }
    return NULL;
}

typedef struct {
    const StrMap *map;
    const char *what;
} DeclTable;

/* Declarations found in the tables of declarations by node. */
static const Node *by_table(const Symbols *s, const char *name, const char **what)
{
    const DeclTable t[] = {
        {&s->metrics, "metric"},
        {&s->lets, "let"},
        {&s->fns, "fn"},
        {&s->incentives, "incentive"},
        {&s->scorecards, "scorecard"},
        {&s->histories, "history"},
        {&s->scenarios, "scenario"},
        {&s->reviews, "review"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        const Node *d = strmap_get(t[i].map, name);
        if (d) {
            *what = t[i].what;
            return d;
        }
    }
    return NULL;
}

static bool by_dims(const Symbols *s, const char *name, Loc *where, const char **what,
                    const Node **decl)
{
    const Level *lv = strmap_get(&s->levels, name);
    if (lv && lv->loc.src) {
        *where = lv->loc, *what = "level", *decl = NULL;
        return true;
    }
    const Member *m = sym_member(s, name);
    if (m && m != &member_ambiguous && m->loc.src) {
        *where = m->loc, *what = "member", *decl = NULL;
        return true;
    }
    for (int i = 0; i < s->ndims; i++) {
        const Attr *a = strmap_get(&s->dims[i]->attr_names, name);
        if (a && a->loc.src) {
            *where = a->loc, *what = "attribute", *decl = NULL;
            return true;
        }
    }
    for (int i = 0; i < s->ndims; i++)
        if (s->dims[i]->decl && strcmp(s->dims[i]->name, name) == 0) {
            *where = s->dims[i]->decl->name_loc, *what = "dimension", *decl = s->dims[i]->decl;
            return true;
        }
    return false;
}

bool ls_declaration(const Program *p, const LsName *n, Loc *where, const char **what,
                    const Node **decl)
{
    const Symbols *s = p->sym;
    if (!s)
        return false;
    const Node *d = incentive_line(s, n->node);
    if (d) {
        *where = d->name_loc, *what = "incentive line", *decl = d;
        return true;
    }
    if (n->node->kind != N_FIELD && (d = incentive_local(s, n)) != NULL) {
        *where = d->name_loc, *what = "incentive line", *decl = d;
        return true;
    }
    if ((d = fn_param(s, n)) != NULL) {
        *where = d->name_loc, *what = "parameter", *decl = d;
        return true;
    }
    if (n->node->kind == N_FIELD) /* revenue.actual, org.north: the field's own name */
        return by_dims(s, n->name, where, what, decl);
    if ((d = by_table(s, n->name, what)) != NULL) {
        *where = d->name_loc.src ? d->name_loc : d->loc, *decl = d;
        return true;
    }
    return by_dims(s, n->name, where, what, decl);
}
