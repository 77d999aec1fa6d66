/* ast.c -- the syntax tree's constructors, the names of its kinds and
 * operators, and its dump (for tests and the formatter's self-check).
 * It builds and prints; it checks nothing. */
#include "syntax/ast.h"

#include <string.h>

static const char *const kind_names[] = {
#define X(k, text, slots) text,
    AST_KINDS(X)
#undef X
};

static const char *const kind_ids[] = {
#define X(k, text, slots) #k,
    AST_KINDS(X)
#undef X
};

const char *ast_kind_name(NodeKind k)
{
    return k < N__COUNT ? kind_names[k] : "?";
}

static const char *const op_texts[] = {"",
#define X(code, text) text,
                                       AST_OPS(X)
#undef X
};

SplitForm ast_split_form(const Node *spec)
{
    switch (spec->kind) {
#define X(form, kind)                                                                              \
    case kind:                                                                                     \
        return form;
        SPLIT_FORMS(X)
#undef X
    default:
        return SPLIT_VALUES; /* the parser makes no other spec */
    }
}

const char *ast_op_text(int op)
{
    return op > OP_NONE && op < OP__COUNT ? op_texts[op] : "?";
}

const char *ast_show_word(int op)
{
    static const char *const words[] = {"", "scorecard ", "incentive ", "review ", "reforecast "};
    return op > SHOW_METRIC && op <= SHOW_REFORECAST ? words[op] : "";
}

bool ast_op_compares(int op)
{
    return op >= OP_LT && op <= OP_NE;
}

Node *ast_new(Arena *arena, NodeKind kind, Loc loc)
{
    Node *n = arena_alloc(arena, sizeof *n);
    n->kind = kind;
    n->loc = loc;
    n->name_loc = loc;
    return n;
}

void ast_source_range(const Node *n, size_t *start, size_t *end)
{
    const Source *s = n->loc.src;
    *start = source_offset(s, n->loc.line, n->loc.col);
    size_t last = source_offset(s, n->loc.end_line, n->loc.end_col);
    size_t k =
        last < s->len ? utf8_seq_len((const unsigned char *)s->text + last, s->len - last) : 0;
    *end = last + (last < s->len ? (k ? k : 1) : 0);
    if (*end < *start)
        *end = *start;
}

Node *ast_append(Node *list, Node *item)
{
    if (!item)
        return list;
    if (!list)
        return item;
    Node *p = list;
    while (p->next)
        p = p->next;
    p->next = item;
    return list;
}

size_t ast_list_len(const Node *list)
{
    size_t n = 0;
    for (; list; list = list->next)
        n++;
    return n;
}

void ast_dump(FILE *out, const Node *n, int depth)
{
    for (; n; n = n->next) {
        char buf[NUM_BUFSZ];
        fprintf(out, "%*s%s %d:%d", depth * 2, "", kind_ids[n->kind] + 2, n->loc.line, n->loc.col);
        if (n->name)
            fprintf(out, " name=%s", n->name);
        if (n->str)
            fprintf(out, " str=\"%s\"", n->str);
        if (n->kind == N_NUM)
            fprintf(out, " %s", num_str(n->num, buf));
        if (n->op)
            fprintf(out, " op=%d", n->op);
        if (n->flags)
            fprintf(out, " flags=%d", n->flags);
        fputc('\n', out);
        const Node *kids[] = {n->a, n->b, n->c, n->d};
        for (int i = 0; i < 4; i++)
            if (kids[i]) {
                fprintf(out, "%*s%c:\n", depth * 2 + 1, "", "abcd"[i]);
                ast_dump(out, kids[i], depth + 1);
            }
    }
}
