/* outline.c -- the document's outline (documentSymbol): the plan, its
 * dimensions with their levels and members, metrics, lets, fns, targets,
 * splits, incentives with their lines, scorecards, reviews, scenarios,
 * examples, assertions, reports with their shows, imports.  It reads the
 * syntax tree only, so it works on a plan the checker rejects. */
#include <stdlib.h>
#include <string.h>

#include "lsp/lsp_int.h"

enum {
    SK_FILE = 1,
    SK_MODULE = 2,
    SK_NAMESPACE = 3,
    SK_CLASS = 5,
    SK_METHOD = 6,
    SK_PROPERTY = 7,
    SK_FIELD = 8,
    SK_ENUM = 10,
    SK_FUNCTION = 12,
    SK_VARIABLE = 13,
    SK_CONSTANT = 14,
    SK_STRING = 15,
    SK_KEY = 20,
    SK_ENUM_MEMBER = 22,
    SK_EVENT = 24,
    SK_OPERATOR = 25
};

static json_t *symbol(const char *name, const char *detail, int kind, const Node *n)
{
    json_t *s = json_pack("{s:s,s:i,s:o,s:o}", "name", name && *name ? name : "?", "kind", kind,
                          "range", ls_range(&n->loc), "selectionRange",
                          ls_range(n->name_loc.src ? &n->name_loc : &n->loc));
    if (!s)
        s = json_pack("{s:s,s:i,s:o,s:o}", "name", "?", "kind", kind, "range", ls_range(&n->loc),
                      "selectionRange", ls_range(&n->loc));
    if (detail && *detail)
        json_object_set_new(s, "detail", json_string(detail));
    return s;
}

static void child(json_t *parent, json_t *kid)
{
    json_t *kids = json_object_get(parent, "children");
    if (!kids) {
        kids = json_array();
        json_object_set_new(parent, "children", kids);
    }
    json_array_append_new(kids, kid);
}

static void members(json_t *parent, const Node *list, int depth)
{
    for (const Node *m = list; m && depth < 64; m = m->next)
        if (m->kind == N_MEMBER) {
            json_t *s = symbol(m->name, m->str, SK_ENUM_MEMBER, m);
            members(s, m->a, depth + 1);
            child(parent, s);
        }
}

static json_t *dimension(const Node *n)
{
    json_t *s = symbol(n->name, n->str, SK_ENUM, n);
    for (const Node *l = n->a; l; l = l->next)
        child(s, symbol(l->name, "level", SK_KEY, l));
    members(s, n->b, 0);
    return s;
}

/* The items of a block as children: an incentive's lines, a report's
 * shows, a scorecard's KPIs, a review's items, a plan's settings. */
static json_t *with_items(const Node *n, const char *name, int kind, const Node *items)
{
    json_t *s = symbol(name, n->str, kind, n);
    for (const Node *i = items; i; i = i->next) {
        const char *word = ast_kind_name(i->kind);
        child(s, symbol(i->name ? i->name : word, i->name ? word : NULL,
                        i->kind == N_ATTR ? SK_FIELD : SK_PROPERTY, i));
    }
    return s;
}

static json_t *item(const Node *n)
{
    const char *word = ast_kind_name(n->kind);
    switch (n->kind) {
    case N_PLAN:
        return with_items(n, n->str ? n->str : "plan", SK_FILE, n->a);
    case N_DIMENSION:
        return dimension(n);
    case N_METRIC:
        return symbol(n->name, n->str ? n->str : "metric", SK_VARIABLE, n);
    case N_LET:
        return symbol(n->name, word, SK_CONSTANT, n);
    case N_FN:
        return symbol(n->name, word, SK_FUNCTION, n);
    case N_INCENTIVE:
        return with_items(n, n->name, SK_CLASS, n->b);
    case N_SCORECARD:
        return with_items(n, n->name, SK_CLASS, n->b);
    case N_REVIEW:
        return with_items(n, n->name, SK_EVENT, n->a);
    case N_SCENARIO:
        return with_items(n, n->name, SK_NAMESPACE, n->a);
    case N_REPORT:
        return with_items(n, n->str ? n->str : "report", SK_MODULE, n->a);
    case N_IMPORT:
        return symbol(n->str, word, SK_FILE, n);
    case N_EXAMPLE:
        return symbol(n->str ? n->str : "example", n->name, SK_METHOD, n);
    case N_ASSERT:
        return symbol(n->str ? n->str : "assert", n->name, SK_OPERATOR, n);
    case N_TARGET:
    case N_SPLIT:
    case N_HISTORY:
    case N_SHOW:
        return symbol(n->name, word, n->kind == N_HISTORY ? SK_CLASS : SK_PROPERTY, n);
    default:
        return symbol(n->name ? n->name : word, word, SK_STRING, n);
    }
}

json_t *ls_symbols(LsServer *sv, LsDoc *d, json_t *params)
{
    (void)params;
    ls_analyse(sv, d);
    json_t *out = json_array();
    const Program *p = d->cur ? d->cur->S.p : NULL;
    for (const Node *n = p && p->main ? p->main->items : NULL; n; n = n->next)
        if (n->loc.src)
            json_array_append_new(out, item(n));
    return out;
}
