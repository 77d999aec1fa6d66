/* complete.c -- completion: the words before the cursor ("rev", or
 * "commission." for an incentive's lines), matched against keywords, the
 * plan's names and the words of the language, each list read once from
 * where it is kept. */
#include <stdlib.h>
#include <string.h>

#include "lsp/lsp_int.h"

enum {
    CK_FUNCTION = 3,
    CK_FIELD = 5,
    CK_VARIABLE = 6,
    CK_CLASS = 7,
    CK_PROPERTY = 10,
    CK_VALUE = 12,
    CK_ENUM = 13,
    CK_KEYWORD = 14,
    CK_MEMBER = 20,
    CK_CONSTANT = 21
};

/* The most items one answer carries (then it is marked incomplete: the
 * editor asks again as the word grows). */
#define LS_MAX_COMPLETIONS 1000

typedef struct {
    const char *prefix;
    size_t plen;
    StrMap seen;
    json_t *items;
    bool more; /* items were left out */
} Comp;

static bool word_byte(unsigned char c)
{
    return c == '_' || c >= 0x80 || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

static void add(Comp *c, const char *word, int kind, const char *detail)
{
    if (!word || !*word || strncmp(word, c->prefix, c->plen) != 0 || strmap_get(&c->seen, word))
        return;
    if (json_array_size(c->items) >= LS_MAX_COMPLETIONS) {
        c->more = true;
        return;
    }
    strmap_put(&c->seen, word, (void *)word);
    json_t *it = json_pack("{s:s,s:i}", "label", word, "kind", kind);
    if (it && detail && *detail)
        json_object_set_new(it, "detail", json_string(detail));
    if (it)
        json_array_append_new(c->items, it);
}

static void add_map(Comp *c, const StrMap *m, int kind)
{
    for (size_t i = 0; i < m->count; i++) {
        const Node *n = m->slots[i].val;
        add(c, m->slots[i].key, kind, n && n->kind != N_ATTR ? n->str : NULL);
    }
}

static void add_words(Comp *c, const char *const *w, int kind)
{
    for (; w && *w; w++)
        add(c, *w, kind, NULL);
}

static void add_members(Comp *c, const Dim *d)
{
    for (size_t i = 0; i < d->nmembers; i++)
        if (!d->members[i]->pseudo)
            add(c, d->members[i]->name, CK_MEMBER, d->members[i]->label);
}

/* Everything a bare word may be. */
static void add_all(Comp *c, const Symbols *s)
{
    add_words(c, ast_keywords, CK_KEYWORD);
    for (const Builtin *b = eval_builtins; b->name; b++)
        add(c, b->name, CK_FUNCTION, b->help);
    for (const char *const *const *l = sym_word_lists; *l; l++)
        add_words(c, *l, CK_VALUE);
    if (!s)
        return;
    add_map(c, &s->metrics, CK_VARIABLE);
    add_map(c, &s->lets, CK_CONSTANT);
    add_map(c, &s->fns, CK_FUNCTION);
    add_map(c, &s->incentives, CK_CLASS);
    add_map(c, &s->scorecards, CK_CLASS);
    add_map(c, &s->histories, CK_CLASS);
    add_map(c, &s->scenarios, CK_CLASS);
    for (size_t i = 0; i < s->levels.count; i++)
        add(c, s->levels.slots[i].key, CK_ENUM, NULL);
    for (int i = 0; i < s->ndims; i++)
        add_members(c, s->dims[i]);
}

/* What may follow "obj.". */
static void add_fields(Comp *c, const Symbols *s, const char *obj)
{
    const Node *inc = strmap_get(&s->incentives, obj);
    for (const Node *l = inc ? inc->b : NULL; l; l = l->next)
        if (l->kind == N_ATTR)
            add(c, l->name, CK_FIELD, "incentive line");
    if (strmap_get(&s->metrics, obj))
        add_words(c, sym_metric_fields, CK_PROPERTY);
    if (strmap_get(&s->scorecards, obj))
        add_words(c, sym_card_fields, CK_PROPERTY);
    for (int i = 0; i < s->ndims; i++)
        if (strcmp(s->dims[i]->name, obj) == 0)
            add_members(c, s->dims[i]);
}

json_t *ls_completion(LsServer *sv, LsDoc *d, json_t *params)
{
    int l, ch;
    if (json_unpack(params, "{s:{s:i,s:i}}", "position", "line", &l, "character", &ch) != 0)
        return NULL;
    const char *t = buf_cstr(&d->text);
    size_t at = ls_offset(t, d->text.len, l, ch), p = at;
    while (p > 0 && word_byte((unsigned char)t[p - 1]))
        p--;
    char *prefix = xstrndup(t + p, at - p), *obj = NULL;
    if (p > 0 && t[p - 1] == '.') {
        size_t o = p - 1;
        while (o > 0 && word_byte((unsigned char)t[o - 1]))
            o--;
        obj = xstrndup(t + o, p - 1 - o);
    }
    LsRun *r = ls_names_run(sv, d);
    const Symbols *s = r ? r->S.p->sym : NULL;
    Comp c = {prefix, strlen(prefix), {0}, json_array(), false};
    if (obj && s)
        add_fields(&c, s, obj);
    else if (!obj)
        add_all(&c, s);
    strmap_free(&c.seen);
    free(prefix);
    free(obj);
    return json_pack("{s:b,s:o}", "isIncomplete", c.more, "items", c.items);
}
