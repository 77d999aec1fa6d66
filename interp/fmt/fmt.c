/* fmt.c -- `salesplan fmt`: the syntax tree back to text in the canonical
 * layout (docs/LANGUAGE.md, "Formatting"), one construct at a time; layout.c
 * adds what the tree does not keep (strings as written, parentheses, one-line
 * blocks, comments, blank lines), doc.c lays it out, verify.c checks it.
 * Nothing here reads other files or evaluates anything. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt/fmt_int.h"

/* ---- small helpers ------------------------------------------------------- */

static Doc *text(Fmt *f, const char *s)
{
    return doc_text(f, s);
}

static Doc *cat(Fmt *f, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    Doc *d = doc_cat(f);
    for (int i = 0; i < n; i++)
        doc_add(f, d, va_arg(ap, Doc *));
    va_end(ap);
    return d;
}

static const char *join(Fmt *f, const char *a, const char *sep, const char *b)
{
    return arena_printf(&f->arena, "%s%s%s", a, sep, b);
}

/* ---- expressions -------------------------------------------------------------- */

enum { P_IF, P_OR, P_AND, P_NOT, P_CMP, P_ADD, P_MUL, P_NEG, P_POST, P_ATOM };

static int binop_prec(int op)
{
    switch (op) {
    case OP_OR:
        return P_OR;
    case OP_AND:
        return P_AND;
    case OP_ADD:
    case OP_SUB:
        return P_ADD;
    case OP_MUL:
    case OP_DIV:
        return P_MUL;
    default:
        return P_CMP;
    }
}

static int prec_of(const Node *n)
{
    switch (n->kind) {
    case N_IF:
    case N_WHERE:
        return P_IF;
    case N_BINOP:
        return binop_prec(n->op);
    case N_UNOP:
        return n->op == OP_NOT ? P_NOT : P_NEG;
    case N_FIELD:
    case N_INDEX:
    case N_CALL:
        return P_POST;
    default:
        return P_ATOM;
    }
}

/* Pairs of parentheses written around n in the source. */
static int source_parens(const Fmt *f, const Node *n)
{
    long t0, t1;
    lay_span(f, n, &t0, &t1);
    int k = 0;
    while (lay_tok_is(f, t0 - 1 - k, '(') && lay_tok_is(f, t1 + 1 + k, ')') &&
           f->match[t0 - 1 - k] == t1 + 1 + k)
        k++;
    return k;
}

static Doc *expr(Fmt *f, const Node *n, int need, bool sole_arg);
static Doc *entries_block(Fmt *f, const Node *list, long close);

static Doc *args_doc(Fmt *f, const Node *args, bool breakable)
{
    Doc *inner = doc_cat(f);
    bool sole = args && !args->next;
    for (const Node *a = args; a; a = a->next) {
        if (a != args)
            doc_add(f, doc_add(f, inner, text(f, ",")),
                    breakable ? doc_line(f, D_LINE) : text(f, " "));
        doc_add(f, inner, expr(f, a, P_IF, sole));
    }
    if (!breakable || !args)
        return inner;
    return doc_wrap(f, D_GROUP,
                    cat(f, 2, doc_wrap(f, D_INDENT, cat(f, 2, doc_line(f, D_SOFT), inner), 2),
                        doc_line(f, D_SOFT)),
                    0);
}

/* a op b op c ...: operators of one precedence level in a row. */
static Doc *binop_doc(Fmt *f, const Node *n)
{
    int p = binop_prec(n->op);
    const Node *spine[64];
    int k = 0;
    const Node *cur = n;
    while (k < 64 && cur->kind == N_BINOP && binop_prec(cur->op) == p && p != P_CMP &&
           (cur == n || source_parens(f, cur) == 0)) {
        spine[k++] = cur;
        cur = cur->a;
    }
    if (k == 0) { /* a comparison: not associative */
        spine[k++] = n;
        cur = n->a;
    }
    Doc *rest = doc_cat(f);
    for (int i = k; i-- > 0;) {
        doc_add(f, rest, doc_line(f, D_LINE));
        doc_add(f, rest, text(f, ast_op_text(spine[i]->op)));
        doc_add(f, rest, text(f, " "));
        doc_add(f, rest, expr(f, spine[i]->b, p + 1, false));
    }
    Doc *first = expr(f, cur, p == P_CMP ? p + 1 : p, false);
    return doc_wrap(f, D_GROUP, cat(f, 2, first, doc_wrap(f, D_INDENT, rest, 2)), 0);
}

/* if c then a else if c2 then b else d, one branch per line when long. */
static Doc *if_doc(Fmt *f, const Node *n)
{
    Doc *d = doc_cat(f);
    const Node *cur = n;
    bool first = true;
    for (;;) {
        if (!first)
            doc_add(f, d, doc_line(f, D_LINE));
        doc_add(f, d, text(f, first ? "if " : "else if "));
        doc_add(f, d, expr(f, cur->a, P_OR, false));
        doc_add(f, d, text(f, " then "));
        doc_add(f, d, expr(f, cur->b, P_OR, false));
        first = false;
        if (cur->c->kind == N_IF && source_parens(f, cur->c) == 0) {
            cur = cur->c;
            continue;
        }
        doc_add(f, d, doc_line(f, D_LINE));
        doc_add(f, d, text(f, "else "));
        doc_add(f, d, expr(f, cur->c, P_IF, false));
        break;
    }
    return doc_wrap(f, D_ALIGN, doc_wrap(f, D_GROUP, d, 0), 0);
}

static Doc *unop_doc(Fmt *f, const Node *n)
{
    if (n->op == OP_NOT)
        return cat(f, 2, text(f, "not "), expr(f, n->a, P_NOT, false));
    if (n->a->kind == N_UNOP && n->a->op == OP_NEG && source_parens(f, n->a) == 0)
        return cat(f, 2, text(f, "- "), expr(f, n->a, P_NEG, false)); /* not "--x" */
    return cat(f, 2, text(f, "-"), expr(f, n->a, P_NEG, false));
}

/* step x { ... }, bracket x { ... }, curve x { ... } */
static Doc *table_doc(Fmt *f, const Node *n)
{
    if (n->op == TABLE_LOOKUP) /* table(KEY) { ... } */
        return cat(f, 4, text(f, "table("), expr(f, n->a, P_IF, true), text(f, ") "),
                   entries_block(f, n->b, lay_last(f, n)));
    return cat(f, 5, text(f, ast_op_text(n->op)), text(f, " "), expr(f, n->a, P_OR, false),
               text(f, " "), entries_block(f, n->b, lay_last(f, n)));
}

static Doc *expr_body(Fmt *f, const Node *n)
{
    switch (n->kind) {
    case N_NUM:
    case N_MONTH:
    case N_DATE:
        return text(f, n->str ? n->str : "0");
    case N_STR:
        return lay_string(f, lay_first(f, n), n->str);
    case N_NAME:
        return text(f, n->name);
    case N_SOURCE:
        return cat(f, 4, text(f, "source "), expr(f, n->b, P_IF, false), text(f, " table "),
                   expr(f, n->a, P_IF, false));
    case N_REST:
        return text(f, "rest");
    case N_FIELD: /* 5 .x would read as the number "5.x" */
        return cat(f, 3, expr(f, n->a, n->a->kind == N_NUM ? P_ATOM + 1 : P_POST, false),
                   text(f, "."), text(f, n->name));
    case N_INDEX:
        return cat(f, 4, expr(f, n->a, P_POST, false), text(f, "["), args_doc(f, n->b, false),
                   text(f, "]"));
    case N_CALL:
        return cat(f, 3, text(f, join(f, n->name, "", "(")), args_doc(f, n->b, true), text(f, ")"));
    case N_BINOP:
        return binop_doc(f, n);
    case N_UNOP:
        return unop_doc(f, n);
    case N_IF:
        return if_doc(f, n);
    case N_TABLE:
        return table_doc(f, n);
    case N_WHERE: /* count(rep where tier == "A") */
        return cat(f, 3, expr(f, n->a, P_OR, false), text(f, " where "),
                   expr(f, n->b, P_OR, false));
    default:
        return text(f, ast_kind_name(n->kind));
    }
}

/* n, with the parentheses written around it in the source (less the call's
 * own around a sole argument), and at least those its place needs. */
static Doc *expr(Fmt *f, const Node *n, int need, bool sole_arg)
{
    int k = source_parens(f, n) - (sole_arg ? 1 : 0);
    if (k <= 0)
        k = prec_of(n) < need ? 1 : 0;
    Doc *d = expr_body(f, n);
    if (!k)
        return d;
    char *open = arena_alloc(&f->arena, (size_t)k + 1),
         *close = arena_alloc(&f->arena, (size_t)k + 1);
    memset(open, '(', (size_t)k);
    memset(close, ')', (size_t)k);
    return cat(f, 3, text(f, open), d, text(f, close));
}

/* "= value", breaking after '=' when the value does not fit; a call or a
 * table too long for a line of its own breaks inside instead. */
static Doc *assign(Fmt *f, const Node *n, Doc *value)
{
    bool hug = (n->kind == N_CALL || n->kind == N_TABLE) && source_parens(f, n) == 0;
    return cat(f, 2, text(f, "="), doc_wrap(f, D_ASSIGN, value, hug));
}

static Doc *assign_expr(Fmt *f, const Node *n)
{
    return assign(f, n, expr(f, n, P_IF, false));
}

/* ---- blocks of the language --------------------------------------------------- */

/* { key: value, ... } of splits, tables, ratings and status bands. */
static Doc *entries_block(Fmt *f, const Node *list, long close)
{
    Block *b = lay_block(f, close, ", ", ',');
    for (const Node *n = list; n; n = n->next) {
        Entry *e = lay_node_entry(f, b, n);
        Doc *key = expr(f, n->a, P_IF, false);
        Doc *value = expr(f, n->b, P_IF, false);
        const char *ks = doc_flat_string(f, key);
        if (strchr(ks, '\n')) {
            e->last = cat(f, 3, key, text(f, ": "), value);
            continue;
        }
        e->kind = K_ENTRY;
        lay_cell(f, e, join(f, ks, "", ":"));
        e->last = value;
    }
    return lay_block_doc(f, b);
}

static void attr_entry(Fmt *f, Block *b, const Node *a)
{
    Entry *e = lay_node_entry(f, b, a);
    e->kind = K_ATTR;
    lay_cell(f, e, a->b ? join(f, a->b->name, " ", a->name) : a->name);
    e->last = assign_expr(f, a->a);
}

/* name = value lines: plan headers, incentives, mappings, scenarios. */
static Doc *attrs_block(Fmt *f, const Node *list, long close)
{
    Block *b = lay_block(f, close, ", ", ',');
    for (const Node *a = list; a; a = a->next)
        if (a->name) /* an empty mapping is one nameless N_ATTR */
            attr_entry(f, b, a);
    return lay_block_doc(f, b);
}

static Doc *members_block(Fmt *f, const Node *list, long close);

static void member_entry(Fmt *f, Block *b, const Node *m)
{
    Entry *e = lay_node_entry(f, b, m);
    e->kind = K_MEMBER;
    long nt = lay_tok_before(f, m->name_loc.line, m->name_loc.col);
    Doc *parts[3];
    int np = 0;
    parts[np++] = text(f, m->name);
    if (m->str)
        parts[np++] = lay_label(f, nt, m->str);
    if (lay_tok_is(f, e->t1, '}') && e->t1 > nt + (m->str ? 1 : 0))
        parts[np++] = members_block(f, m->a, e->t1);
    for (int i = 0; i + 1 < np; i++)
        lay_cell(f, e, doc_flat_string(f, parts[i]));
    e->last = parts[np - 1];
}

static Doc *members_block(Fmt *f, const Node *list, long close)
{
    Block *b = lay_block(f, close, ", ", ',');
    for (const Node *n = list; n; n = n->next) {
        if (n->kind == N_MEMBER)
            member_entry(f, b, n);
        else
            attr_entry(f, b, n);
    }
    return lay_block_doc(f, b);
}

static Doc *one_per_entry(Fmt *f, Block *b, const Node *n, Doc *d)
{
    Entry *e = lay_node_entry(f, b, n);
    e->last = d;
    return d;
}

static Doc *kpi_doc(Fmt *f, const Node *k)
{
    Doc *d = cat(f, 2, text(f, "weight "), expr(f, k->a, P_IF, false));
    if (k->b)
        doc_add(f, doc_add(f, d, text(f, " cap ")), expr(f, k->b, P_IF, false));
    if (k->c)
        doc_add(f, doc_add(f, d, text(f, " score curve ")),
                entries_block(f, k->c->b, lay_last(f, k->c)));
    return d;
}

static Doc *scorecard_block(Fmt *f, const Node *list, long close)
{
    Block *b = lay_block(f, close, "  ", 0);
    for (const Node *n = list; n; n = n->next) {
        if (n->kind == N_KPI) {
            Entry *e = lay_node_entry(f, b, n);
            e->kind = K_KPI;
            lay_cell(f, e, join(f, "kpi", " ", n->name));
            e->last = kpi_doc(f, n);
        } else {
            one_per_entry(f, b, n,
                          cat(f, 2, text(f, "rating "), entries_block(f, n->a, lay_last(f, n))));
        }
    }
    return lay_block_doc(f, b);
}

static Doc *review_item(Fmt *f, const Node *n)
{
    switch (n->kind) {
    case N_STATUS:
        if (n->op) /* written without bands: the defaults */
            return text(f, join(f, "status", " ", n->name));
        return cat(f, 2, text(f, arena_printf(&f->arena, "status %s ", n->name)),
                   entries_block(f, n->a, lay_last(f, n)));
    case N_FLAG:
        return cat(f, 2, text(f, "flag deviation "), expr(f, n->a, P_IF, false));
    case N_RUN_FLAG: /* flag NAME if CONDITION for N UNITS */
        return cat(f, 3, text(f, arena_printf(&f->arena, "flag %s if ", n->name)),
                   expr(f, n->a, P_OR, false),
                   text(f, arena_printf(&f->arena, " for %s %s", n->b->str, n->c->name)));
    case N_REFORECAST: /* reforecast METRIC [by PERIOD] */
        return text(f, n->a ? arena_printf(&f->arena, "reforecast %s by %s", n->name, n->a->name)
                            : join(f, "reforecast", " ", n->name));
    case N_GROWTH:
        return text(f, arena_printf(&f->arena, "growth(%s)", n->name));
    case N_USE_SCORECARD:
        return text(f, join(f, "scorecard", " ", n->name));
    case N_USE_INCENTIVE:
        return text(f, join(f, "incentive", " ", n->name));
    case N_NOTES:
        return cat(f, 2, text(f, "notes "), expr(f, n->c, P_IF, false));
    default: { /* N_RANK */
        Doc *d = cat(f, 1, text(f, join(f, "rank", " ", n->name)));
        if (n->a)
            doc_add(f, d, text(f, join(f, " within", " ", n->a->name)));
        if (n->b)
            doc_add(f, doc_add(f, d, text(f, " bottom ")), expr(f, n->b, P_IF, false));
        return d;
    }
    }
}

static Doc *review_block(Fmt *f, const Node *list, long close)
{
    Block *b = lay_block(f, close, "  ", 0);
    for (const Node *n = list; n; n = n->next)
        one_per_entry(f, b, n, review_item(f, n));
    return lay_block_doc(f, b);
}

static Doc *show_doc(Fmt *f, const Node *n)
{
    Doc *d = cat(f, 1, text(f, join(f, "show ", ast_show_word(n->op), n->name)));
    for (const Node *m = n->op == SHOW_METRIC ? n->b : NULL; m; m = m->next)
        doc_add(f, d, text(f, join(f, ", ", "", m->name)));
    if (n->op == SHOW_REFORECAST && n->a)
        return cat(f, 2, d, text(f, join(f, " by ", "", n->a->name)));
    if (n->op != SHOW_METRIC || !n->a)
        return d;
    d = cat(f, 2, d, text(f, " by "));
    for (const Node *l = n->a; l; l = l->next)
        doc_add(f, d, text(f, l->next ? join(f, l->name, "", ", ") : l->name));
    return d;
}

static Doc *shows_block(Fmt *f, const Node *list, long close)
{
    Block *b = lay_block(f, close, "  ", ';');
    for (const Node *n = list; n; n = n->next)
        one_per_entry(f, b, n, show_doc(f, n));
    return lay_block_doc(f, b);
}

/* A new line of given/expect items: an entry whose cell is the word, or
 * padding under it on the lines after the first; *line gets its items. */
static Entry *clause_line(Fmt *f, Block *b, long t0, long t1, const char *cell, Doc **line)
{
    Entry *e = lay_entry(f, b, t0, t1);
    lay_cell(f, e, cell);
    e->clause = true;
    e->cont = *line != NULL;
    *line = doc_cat(f);
    e->last = doc_wrap(f, D_FLAT, *line, 0);
    return e;
}

/* given: lhs = value; expect: line = value */
static Doc *clause_item(Fmt *f, const Node *n, bool given)
{
    Doc *lhs = given ? expr(f, n->a, P_IF, false) : text(f, n->name);
    return cat(f, 3, lhs, text(f, " = "), expr(f, given ? n->b : n->a, P_IF, false));
}

/* given/expect items: the lines as written, items two spaces apart. */
static long example_clause(Fmt *f, Block *b, const char *word, long word_tok, const Node *items,
                           bool given)
{
    if (!items) {
        Entry *e = lay_entry(f, b, word_tok, word_tok);
        e->last = text(f, word);
        return word_tok;
    }
    Entry *e = NULL;
    Doc *line = NULL;
    int end_line = 0, first = b->n;
    char *pad = arena_strdup(&f->arena, word);
    memset(pad, ' ', strlen(pad));
    for (const Node *n = items; n; n = n->next) {
        long a, z;
        lay_span(f, n, &a, &z);
        if (!e || lay_tok(f, a)->line != end_line)
            e = clause_line(f, b, a, z, line ? pad : word, &line);
        else
            doc_add(f, line, text(f, "  "));
        doc_add(f, line, clause_item(f, n, given));
        e->t1 = z;
        end_line = lay_tok(f, z)->end_line;
    }
    for (int i = first; i < b->n; i++) /* the lines grew after they were wrapped */
        b->e[i].last->hard = b->e[i].last->a->hard;
    return e->t1;
}

static Doc *example_block(Fmt *f, const Node *n, long close)
{
    Block *b = lay_block(f, close, "  ", 0);
    long given_tok = b->open + 1;
    long end = example_clause(f, b, "given", given_tok, n->a, true);
    example_clause(f, b, "expect", end + 1, n->b, false);
    return lay_block_doc(f, b);
}

/* ---- statements ------------------------------------------------------------------ */

static Doc *mapping(Fmt *f, const Node *m, long close)
{
    if (!m)
        return NULL;
    return cat(f, 2, text(f, " "), attrs_block(f, m, close));
}

/* What a split does: { map }, weights { ... }, proportional to, ... */
static Doc *spec_doc(Fmt *f, const Node *c)
{
    switch (ast_split_form(c)) {
    case SPLIT_VALUES:
        return entries_block(f, c->a, lay_last(f, c));
    case SPLIT_WEIGHTS:
        return cat(f, 2, text(f, "weights "), entries_block(f, c->a, lay_last(f, c)));
    case SPLIT_PROPORTIONAL:
        return cat(f, 2, text(f, "proportional to "), expr(f, c->a, P_IF, false));
    case SPLIT_EQUALLY:
        return text(f, "equally");
    case SPLIT_SEASONALITY:
        return text(f, join(f, "seasonality ", "", c->name));
    case SPLIT_LIKE:
        return text(f, join(f, "like ", "", c->name));
    }
    return NULL;
}

static Doc *split_doc(Fmt *f, const Node *n)
{
    Doc *d = cat(f, 1, text(f, join(f, "split ", "", n->name)));
    if (!n->a)
        return doc_add(f, d, text(f, join(f, " like ", "", n->c->name)));
    doc_add(f, d, text(f, join(f, " by ", "", n->a->name)));
    for (const Node *s = n->b; s; s = s->next) {
        doc_add(f, d, text(f, s == n->b ? " in " : ", "));
        doc_add(f, d, expr(f, s, P_IF, false));
    }
    doc_add(f, d, text(f, " "));
    doc_add(f, d, spec_doc(f, n->c));
    if (n->d) {
        doc_add(f, d, text(f, join(f, " ", ast_op_text(n->d->op), " ")));
        doc_add(f, d, expr(f, n->d->a, P_IF, false));
    }
    return d;
}

static Doc *dimension_doc(Fmt *f, const Node *n, long t1)
{
    long nt = lay_tok_before(f, n->name_loc.line, n->name_loc.col);
    Doc *d = cat(f, 1, text(f, join(f, "dimension ", "", n->name)));
    if (n->str)
        doc_add(f, doc_add(f, d, text(f, " ")), lay_label(f, nt, n->str));
    for (const Node *l = n->a; l; l = l->next)
        doc_add(f, d, text(f, join(f, l == n->a ? " levels " : " > ", "", l->name)));
    if (n->c)
        return doc_add(f, doc_add(f, doc_add(f, d, text(f, " from ")), expr(f, n->c, P_IF, false)),
                       mapping(f, n->d, t1));
    return doc_add(f, doc_add(f, d, text(f, " ")), members_block(f, n->b, t1));
}

static Doc *assert_doc(Fmt *f, const Node *n, long t1)
{
    Doc *d = cat(f, 1, text(f, "assert "));
    if (n->name)
        doc_add(f, d, text(f, join(f, n->name, "", ": ")));
    Doc *g = cat(f, 1, expr(f, n->a, P_IF, false));
    if (n->str)
        doc_add(
            f, g,
            doc_wrap(f, D_INDENT, cat(f, 2, doc_line(f, D_LINE), lay_string(f, t1, n->str)), 2));
    return doc_add(f, d, doc_wrap(f, D_GROUP, g, 0));
}

static Doc *params_doc(Fmt *f, const Node *n)
{
    Buf b = {0};
    buf_printf(&b, "fn %s(", n->name);
    for (const Node *p = n->a; p; p = p->next)
        buf_printf(&b, "%s%s", p == n->a ? "" : ", ", p->name);
    buf_puts(&b, ") ");
    Doc *d = text(f, arena_strdup(&f->arena, buf_cstr(&b)));
    buf_free(&b);
    return d;
}

/* An entry aligned with its neighbours of the same kind: "let x" = ... */
static void cell_entry(Fmt *f, Entry *e, AlignKind kind, const char *word, const char *name,
                       Doc *last)
{
    e->kind = kind;
    lay_cell(f, e, join(f, word, "", name));
    e->last = last;
}

static void metric_entry(Fmt *f, Entry *e, const Node *n)
{
    long nt = lay_tok_before(f, n->name_loc.line, n->name_loc.col);
    e->kind = K_METRIC;
    lay_cell(f, e, join(f, "metric ", "", n->name));
    lay_cell(f, e, n->str ? doc_flat_string(f, lay_label(f, nt, n->str)) : "");
    if (n->op == MK_DERIVED && n->a) /* metric revenue money = volume * unit_price */
        e->last = cat(f, 2, text(f, join(f, n->a->name, "", " ")), assign_expr(f, n->c));
    else if (n->op == MK_DERIVED)
        e->last = assign_expr(f, n->c);
    else
        e->last = text(f, n->b ? join(f, n->a->name, " ", n->b->name) : n->a->name);
}

/* A statement that reads a file: what comes before the path, the path, its
 * column mapping. */
static Doc *file_doc(Fmt *f, const char *lead, const Node *n, long t1)
{
    return cat(f, 3, text(f, lead), expr(f, n->c, P_IF, false), mapping(f, n->d, t1));
}

static void target_entry(Fmt *f, Entry *e, const Node *n)
{
    if (n->c)
        e->last = file_doc(f, join(f, "target ", n->name, " from "), n, e->t1);
    else if (n->op == TARGET_BY_YEAR)
        cell_entry(f, e, K_TARGET, "target ", n->name,
                   cat(f, 2, text(f, "= "), entries_block(f, n->b, lay_last(f, n))));
    else
        cell_entry(f, e, K_TARGET, "target ", n->name, assign_expr(f, n->a));
}

/* incentive NAME per LEVEL { ... }, scorecard NAME per LEVEL { ... } */
static Doc *per_level_doc(Fmt *f, const char *word, const Node *n, Doc *block)
{
    return cat(f, 2, text(f, arena_printf(&f->arena, "%s %s per %s ", word, n->name, n->a->name)),
               block);
}

/* A statement with a title string: plan, example, report. */
static Doc *titled_doc(Fmt *f, const char *word, const Node *n, long t0, const char *after,
                       Doc *block)
{
    return cat(f, 4, text(f, word), lay_label(f, t0, n->str), text(f, after), block);
}

/* One statement: its cells (for alignment with its neighbours) and the rest. */
static void stmt_entry(Fmt *f, Block *file, const Node *n)
{
    Entry *e = lay_node_entry(f, file, n);
    long t0 = e->t0, t1 = e->t1;
    switch (n->kind) {
    case N_PLAN:
        e->last = titled_doc(f, n->str ? "plan " : "plan", n, t0, " ", attrs_block(f, n->a, t1));
        break;
    case N_DIMENSION:
        e->last = dimension_doc(f, n, t1);
        break;
    case N_METRIC:
        metric_entry(f, e, n);
        break;
    case N_LET:
        cell_entry(f, e, K_LET, "let ", n->name, assign_expr(f, n->a));
        break;
    case N_FN:
        e->last = cat(f, 2, params_doc(f, n), assign_expr(f, n->b));
        break;
    case N_TARGET:
        target_entry(f, e, n);
        break;
    case N_SPLIT:
        e->last = split_doc(f, n);
        break;
    case N_HISTORY:
        cell_entry(f, e, K_HISTORY, "history ", n->name, file_doc(f, "= ", n, t1));
        break;
    case N_ACTUALS:
        e->last = file_doc(f, n->c->kind == N_SOURCE ? "actuals from " : "actuals ", n, t1);
        break;
    case N_INCENTIVE:
        e->last = per_level_doc(f, "incentive", n, attrs_block(f, n->b, t1));
        break;
    case N_SCORECARD:
        e->last = per_level_doc(f, "scorecard", n, scorecard_block(f, n->b, t1));
        break;
    case N_REVIEW:
        cell_entry(f, e, K_REVIEW, "review ", n->name, review_block(f, n->a, t1));
        break;
    case N_SCENARIO:
        e->last = cat(f, 2, text(f, join(f, "scenario ", n->name, " ")), attrs_block(f, n->a, t1));
        break;
    case N_EXAMPLE:
        e->last =
            titled_doc(f, "example ", n, t0, join(f, " ", n->name, " "), example_block(f, n, t1));
        break;
    case N_ASSERT:
        e->last = assert_doc(f, n, t1);
        break;
    case N_REPORT:
        e->last = titled_doc(f, "report ", n, t0, " ", shows_block(f, n->a, t1));
        break;
    case N_SHOW:
        e->last = show_doc(f, n);
        break;
    case N_IMPORT:
        e->last = cat(f, 2, text(f, "import "), expr(f, n->c, P_IF, false));
        break;
    default:
        e->last = text(f, ast_kind_name(n->kind));
        break;
    }
}

/* ---- entry points -------------------------------------------------------------------- */

/* Parses src into f; false on syntax errors (reported in d). */
static bool fmt_parse(Fmt *f, Source *src, Diags *d, Node **items)
{
    memset(f, 0, sizeof *f);
    f->src = src;
    int nerr = 0, before = d->nerrors;
    *items = ast_parse_layout(src, &f->arena, d, &nerr, &f->lay);
    return !nerr && d->nerrors == before;
}

static void fmt_free(Fmt *f)
{
    free(f->match);
    free(f->claimed);
    ast_layout_free(&f->lay);
    arena_free(&f->arena);
}

FmtResult fmt_plan(Source *src, Diags *d, Buf *out)
{
    Fmt f;
    Node *items;
    if (!fmt_parse(&f, src, d, &items)) {
        fmt_free(&f);
        return FMT_SYNTAX_ERROR;
    }
    lay_match_brackets(&f);
    f.claimed = xcalloc(f.lay.ncomments + 1, sizeof *f.claimed);
    Block *file = lay_block(&f, -1, "", 0);
    file->braces = false;
    file->close = (long)f.lay.ntoks;
    for (const Node *n = items; n; n = n->next)
        stmt_entry(&f, file, n);
    lay_block_doc(&f, file);
    Buf text = {0};
    doc_print_file(&text, file);
    FmtResult r = fmt_verify(&f, items, &text, d);
    if (r == FMT_DONE)
        buf_put(out, text.data ? text.data : "", text.len);
    buf_free(&text);
    fmt_free(&f);
    return r;
}

FmtResult fmt_dump_ast(Source *src, Diags *d, Buf *out)
{
    Fmt f;
    Node *items;
    if (!fmt_parse(&f, src, d, &items)) {
        fmt_free(&f);
        return FMT_SYNTAX_ERROR;
    }
    char *with, *without;
    fmt_dump_tree(items, &with, &without);
    buf_puts(out, without);
    free(with);
    free(without);
    fmt_free(&f);
    return FMT_DONE;
}
