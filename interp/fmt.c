/* fmt.c -- `salesplan fmt`: a plan's syntax tree back to text in the one
 * canonical layout, with its comments where they were.
 *
 * The tree says what to print; the lexer's side list of tokens and
 * comments (parse_source_layout) says what the tree does not keep: the
 * text of strings as written, the parentheses the writer put, whether a
 * block was on one line, the comments and the blank lines.  Numbers keep
 * their literal text (Node.str).  Before it gives any text back, fmt_plan
 * parses its own output and compares syntax trees and comments: a layout
 * that would change the plan is an internal error, never a wrong file.
 * Nothing here reads other files or evaluates anything.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt_int.h"
#include "parser.h"

/* ---- tokens and comments of the source ---------------------------------- */

static const LexTok *tok(const Fmt *f, long i) { return &f->lay.toks[i]; }

static bool tok_is(const Fmt *f, long i, char c)
{
    if (i < 0 || (size_t)i >= f->lay.ntoks)
        return false;
    return tok(f, i)->len == 1 && f->src->text[tok(f, i)->off] == c;
}

static int pos_cmp(int l1, int c1, int l2, int c2)
{
    return l1 != l2 ? (l1 < l2 ? -1 : 1) : c1 != c2 ? (c1 < c2 ? -1 : 1) : 0;
}

/* The last token that starts at or before line:col, or -1. */
static long tok_before(const Fmt *f, int line, int col)
{
    long lo = 0, hi = (long)f->lay.ntoks - 1, hit = -1;
    while (lo <= hi) {
        long mid = lo + (hi - lo) / 2;
        if (pos_cmp(tok(f, mid)->line, tok(f, mid)->col, line, col) <= 0) {
            hit = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return hit;
}

/* First and last token of a node. */
static void span(const Fmt *f, const Node *n, long *t0, long *t1)
{
    *t0 = tok_before(f, n->loc.line, n->loc.col);
    *t1 = tok_before(f, n->loc.end_line, n->loc.end_col);
    if (*t0 < 0)
        *t0 = 0;
    if (*t1 < *t0)
        *t1 = *t0;
}

static long first_tok(const Fmt *f, const Node *n)
{
    long t0, t1;
    span(f, n, &t0, &t1);
    return t0;
}

static long last_tok(const Fmt *f, const Node *n)
{
    long t0, t1;
    span(f, n, &t0, &t1);
    return t1;
}

static void match_brackets(Fmt *f)
{
    size_t n = f->lay.ntoks;
    f->match = xmalloc((n + 1) * sizeof *f->match);
    long *stack = xmalloc((n + 1) * sizeof *stack);
    size_t depth = 0;
    for (size_t i = 0; i < n; i++) {
        f->match[i] = -1;
        const LexTok *t = tok(f, (long)i);
        char c = t->len == 1 ? f->src->text[t->off] : 0;
        if (c == '(' || c == '[' || c == '{') {
            stack[depth++] = (long)i;
        } else if ((c == ')' || c == ']' || c == '}') && depth) {
            long o = stack[--depth];
            f->match[o] = (long)i;
            f->match[i] = o;
        }
    }
    free(stack);
}

/* Index of the first comment after token t (comments with tok > t). */
static size_t comment_after(const Fmt *f, long t)
{
    size_t lo = 0, hi = f->lay.ncomments;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((long)f->lay.comments[mid].tok <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const char *comment_text(Fmt *f, const LexComment *c)
{
    size_t n = c->at.len;
    const char *s = f->src->text + c->at.off;
    while (n > 1 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    return arena_strndup(&f->arena, s, n);
}

/* Nothing but white space on some line strictly between l1 and l2. */
static bool blank_between(const Fmt *f, int l1, int l2)
{
    for (int l = l1 + 1; l < l2; l++) {
        size_t len;
        const char *s = source_line(f->src, l, &len);
        size_t i = 0;
        while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
            i++;
        if (i == len)
            return true;
    }
    return false;
}

/* A comment alone on its line. */
static bool full_line(const Fmt *f, const LexComment *c)
{
    return c->tok == 0 || tok(f, (long)c->tok - 1)->end_line < c->at.line;
}

static void clist_push(Fmt *f, CList *l, CLine c)
{
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 4;
        CLine *v = arena_alloc(&f->arena, (size_t)cap * sizeof *v);
        if (l->n)
            memcpy(v, l->v, (size_t)l->n * sizeof *v);
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = c;
}

/* ---- blocks and their entries ------------------------------------------- */

static Block *blk_new(Fmt *f, long close, const char *sep, char need_sep)
{
    Block *b = arena_alloc(&f->arena, sizeof *b);
    b->braces = true;
    b->close = close;
    b->open = close >= 0 && (size_t)close < f->lay.ntoks ? f->match[close] : -1;
    b->sep = sep;
    b->need_sep = need_sep;
    return b;
}

static Entry *blk_entry(Fmt *f, Block *b, long t0, long t1)
{
    if (b->n == b->cap) {
        int cap = b->cap ? 2 * b->cap : 8;
        Entry *e = arena_alloc(&f->arena, (size_t)cap * sizeof *e);
        if (b->n)
            memcpy(e, b->e, (size_t)b->n * sizeof *e);
        b->e = e;
        b->cap = cap;
    }
    Entry *e = &b->e[b->n++];
    memset(e, 0, sizeof *e);
    e->t0 = t0;
    e->t1 = t1;
    return e;
}

static Entry *node_entry(Fmt *f, Block *b, const Node *n)
{
    long t0, t1;
    span(f, n, &t0, &t1);
    return blk_entry(f, b, t0, t1);
}

static void cell(Fmt *f, Entry *e, const char *s)
{
    if (e->ncells == e->cap) {
        int cap = e->cap ? 2 * e->cap : 4;
        const char **v = arena_alloc(&f->arena, (size_t)cap * sizeof *v);
        if (e->ncells)
            memcpy(v, e->cells, (size_t)e->ncells * sizeof *v);
        e->cells = v;
        e->cap = cap;
    }
    e->cells[e->ncells++] = s;
}

/* Comments between the entries of b: at the end of an entry's line
 * (trailing), right under it and written deeper (hanging), after the
 * opening brace, else before the next entry or the closing brace. */
static void attach_between(Fmt *f, Block *b)
{
    const LexComment *cs = f->lay.comments;
    size_t ci = comment_after(f, b->open), ce = comment_after(f, b->close);
    int last_line = b->open >= 0 ? tok(f, b->open)->line : 0;
    int prev = -1;
    bool hang = false;
    CList pending = {0};
    for (int k = 0; k <= b->n; k++) {
        long limit = k < b->n ? b->e[k].t0 : b->close;
        if (k > 0) /* not those inside the entry before: hoist_inner's */
            ci = comment_after(f, b->e[k - 1].t1);
        for (; ci < ce && (long)cs[ci].tok <= limit; ci++) {
            if (f->claimed[ci])
                continue;
            f->claimed[ci] = true;
            const LexComment *c = &cs[ci];
            const char *text = comment_text(f, c);
            Entry *p = prev >= 0 ? &b->e[prev] : NULL;
            if (p && !p->trailing && !pending.n && c->at.line == tok(f, p->t1)->end_line) {
                p->trailing = text;
            } else if (!p && b->open >= 0 && !b->open_comment && c->at.line == tok(f, b->open)->line) {
                b->open_comment = text;
            } else if (p && hang && full_line(f, c) && !blank_between(f, last_line, c->at.line) &&
                       c->at.col > tok(f, p->t0)->col) {
                clist_push(f, &p->hanging, (CLine){text, false, c->at.col});
            } else {
                clist_push(f, &pending, (CLine){text, blank_between(f, last_line, c->at.line), 0});
                hang = false;
            }
            last_line = c->at.line;
        }
        if (k == b->n)
            break;
        Entry *e = &b->e[k];
        e->leading = pending;
        pending = (CList){0};
        e->blank_before = blank_between(f, last_line, tok(f, e->t0)->line);
        last_line = tok(f, e->t1)->end_line;
        prev = k;
        hang = true;
    }
    b->dangling = pending;
}

/* Comments inside an entry that nothing inside it placed (in the middle of
 * an expression): they go on lines of their own before the entry. */
static void hoist_inner(Fmt *f, Entry *e)
{
    for (size_t ci = comment_after(f, e->t0); ci < f->lay.ncomments; ci++) {
        if ((long)f->lay.comments[ci].tok > e->t1)
            break;
        if (f->claimed[ci])
            continue;
        f->claimed[ci] = true;
        clist_push(f, &e->leading, (CLine){comment_text(f, &f->lay.comments[ci]), false, 0});
    }
}

static Doc *text(Fmt *f, const char *s) { return doc_text(f, s); }

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

static Doc *entry_flat(Fmt *f, const Entry *e)
{
    Doc *d = doc_cat(f);
    if (!e->cont)
        for (int i = 0; i < e->ncells; i++)
            if (e->cells[i][0])
                doc_add(f, doc_add(f, d, text(f, e->cells[i])), text(f, " "));
    return doc_add(f, d, e->last);
}

/* Places the block's comments and makes its one-line form. */
static Doc *blk_doc(Fmt *f, Block *b)
{
    attach_between(f, b);
    bool comments = b->open_comment || b->dangling.n;
    for (int k = 0; k < b->n; k++) {
        hoist_inner(f, &b->e[k]);
        Entry *e = &b->e[k];
        comments |= e->leading.n || e->trailing || e->hanging.n;
    }
    if (!b->braces)
        return NULL;
    b->forced = comments || b->open < 0 || tok(f, b->open)->line != tok(f, b->close)->line;
    if (!b->n) {
        b->flat = text(f, "{}");
    } else {
        b->flat = doc_add(f, doc_cat(f), text(f, "{ "));
        for (int k = 0; k < b->n; k++) {
            if (k)
                doc_add(f, b->flat, text(f, b->sep));
            doc_add(f, b->flat, entry_flat(f, &b->e[k]));
        }
        doc_add(f, b->flat, text(f, " }"));
    }
    return doc_block(f, b);
}

/* ---- strings ----------------------------------------------------------------- */

static char *unescape(const char *s, size_t n)
{
    Buf b = {0};
    for (size_t i = 1; i + 1 < n; i++) {
        char c = s[i];
        if (c == '\\' && i + 2 < n) {
            c = s[++i];
            c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
        }
        buf_putc(&b, c);
    }
    char *r = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return r;
}

/* A string as written at token t, when that token is the string whose
 * value is value; else value written with escapes. */
static Doc *str_doc(Fmt *f, long t, const char *value)
{
    if (t >= 0 && (size_t)t < f->lay.ntoks) {
        const LexTok *k = tok(f, t);
        const char *s = f->src->text + k->off;
        if (k->len >= 2 && s[0] == '"' && s[k->len - 1] == '"') {
            char *v = unescape(s, k->len);
            bool same = strcmp(v, value) == 0;
            free(v);
            if (same)
                return text(f, arena_strndup(&f->arena, s, k->len));
        }
    }
    Buf b = {0};
    buf_putc(&b, '"');
    for (const char *p = value; *p; p++) {
        if (*p == '"' || *p == '\\')
            buf_putc(&b, '\\');
        if (*p == '\n' || *p == '\t')
            buf_puts(&b, *p == '\n' ? "\\n" : "\\t");
        else
            buf_putc(&b, *p);
    }
    buf_putc(&b, '"');
    Doc *d = text(f, arena_strdup(&f->arena, buf_cstr(&b)));
    buf_free(&b);
    return d;
}

/* A label or title: the string token right after token t, if any. */
static Doc *label_after(Fmt *f, long t, const char *value)
{
    return value ? str_doc(f, t + 1, value) : NULL;
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
    case OR: return P_OR;
    case AND: return P_AND;
    case '+': case '-': return P_ADD;
    case '*': case '/': return P_MUL;
    default: return P_CMP;
    }
}

static const char *binop_text(int op)
{
    switch (op) {
    case OR: return "or";
    case AND: return "and";
    case LE: return "<=";
    case GE: return ">=";
    case EQ: return "==";
    case NE: return "!=";
    case '+': return "+";
    case '-': return "-";
    case '*': return "*";
    case '/': return "/";
    case '<': return "<";
    default: return ">";
    }
}

static int prec_of(const Node *n)
{
    switch (n->kind) {
    case N_IF: return P_IF;
    case N_BINOP: return binop_prec(n->op);
    case N_UNOP: return n->op == NOT ? P_NOT : P_NEG;
    case N_FIELD: case N_INDEX: case N_CALL: return P_POST;
    default: return P_ATOM;
    }
}

/* Pairs of parentheses written around n in the source. */
static int source_parens(const Fmt *f, const Node *n)
{
    long t0, t1;
    span(f, n, &t0, &t1);
    int k = 0;
    while (tok_is(f, t0 - 1 - k, '(') && tok_is(f, t1 + 1 + k, ')') && f->match[t0 - 1 - k] == t1 + 1 + k)
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
            doc_add(f, doc_add(f, inner, text(f, ",")), breakable ? doc_line(f, D_LINE) : text(f, " "));
        doc_add(f, inner, expr(f, a, P_IF, sole));
    }
    if (!breakable || !args)
        return inner;
    return doc_wrap(f, D_GROUP, cat(f, 2, doc_wrap(f, D_INDENT, cat(f, 2, doc_line(f, D_SOFT), inner), 2),
                                    doc_line(f, D_SOFT)), 0);
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
        doc_add(f, rest, text(f, binop_text(spine[i]->op)));
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

static const char *table_word(int op) { return op == STEP ? "step" : op == BRACKET ? "bracket" : "curve"; }

static Doc *expr_body(Fmt *f, const Node *n)
{
    switch (n->kind) {
    case N_NUM:
    case N_MONTH:
    case N_DATE:
        return text(f, n->str ? n->str : "0");
    case N_STR:
        return str_doc(f, first_tok(f, n), n->str);
    case N_NAME:
        return text(f, n->name);
    case N_REST:
        return text(f, "rest");
    case N_FIELD: /* 5 .x would read as the number "5.x" */
        return cat(f, 3, expr(f, n->a, n->a->kind == N_NUM ? P_ATOM + 1 : P_POST, false), text(f, "."),
                   text(f, n->name));
    case N_INDEX:
        return cat(f, 4, expr(f, n->a, P_POST, false), text(f, "["), args_doc(f, n->b, false),
                   text(f, "]"));
    case N_CALL:
        return cat(f, 3, text(f, join(f, n->name, "", "(")), args_doc(f, n->b, true), text(f, ")"));
    case N_BINOP:
        return binop_doc(f, n);
    case N_UNOP:
        if (n->op == NOT)
            return cat(f, 2, text(f, "not "), expr(f, n->a, P_NOT, false));
        return cat(f, 2, text(f, "-"), expr(f, n->a, P_NEG, false));
    case N_IF:
        return if_doc(f, n);
    case N_TABLE:
        return cat(f, 5, text(f, table_word(n->op)), text(f, " "), expr(f, n->a, P_OR, false),
                   text(f, " "), entries_block(f, n->b, last_tok(f, n)));
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
    char *open = arena_alloc(&f->arena, (size_t)k + 1), *close = arena_alloc(&f->arena, (size_t)k + 1);
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

static Doc *assign_expr(Fmt *f, const Node *n) { return assign(f, n, expr(f, n, P_IF, false)); }

/* ---- blocks of the language --------------------------------------------------- */

/* { key: value, ... } of splits, tables, ratings and status bands. */
static Doc *entries_block(Fmt *f, const Node *list, long close)
{
    Block *b = blk_new(f, close, ", ", ',');
    for (const Node *n = list; n; n = n->next) {
        Entry *e = node_entry(f, b, n);
        Doc *key = expr(f, n->a, P_IF, false);
        Doc *value = expr(f, n->b, P_IF, false);
        const char *ks = doc_flat_string(f, key);
        if (strchr(ks, '\n')) {
            e->last = cat(f, 3, key, text(f, ": "), value);
            continue;
        }
        e->kind = K_ENTRY;
        cell(f, e, join(f, ks, "", ":"));
        e->last = value;
    }
    return blk_doc(f, b);
}

static void attr_entry(Fmt *f, Block *b, const Node *a)
{
    Entry *e = node_entry(f, b, a);
    e->kind = K_ATTR;
    cell(f, e, a->b ? join(f, a->b->name, " ", a->name) : a->name);
    e->last = assign_expr(f, a->a);
}

/* name = value lines: plan headers, incentives, mappings, scenarios. */
static Doc *attrs_block(Fmt *f, const Node *list, long close)
{
    Block *b = blk_new(f, close, ", ", ',');
    for (const Node *a = list; a; a = a->next)
        if (a->name) /* an empty mapping is one nameless N_ATTR */
            attr_entry(f, b, a);
    return blk_doc(f, b);
}

static Doc *members_block(Fmt *f, const Node *list, long close);

static void member_entry(Fmt *f, Block *b, const Node *m)
{
    Entry *e = node_entry(f, b, m);
    e->kind = K_MEMBER;
    long nt = tok_before(f, m->name_loc.line, m->name_loc.col);
    Doc *parts[3];
    int np = 0;
    parts[np++] = text(f, m->name);
    if (m->str)
        parts[np++] = label_after(f, nt, m->str);
    if (tok_is(f, e->t1, '}') && e->t1 > nt + (m->str ? 1 : 0))
        parts[np++] = members_block(f, m->a, e->t1);
    for (int i = 0; i + 1 < np; i++)
        cell(f, e, doc_flat_string(f, parts[i]));
    e->last = parts[np - 1];
}

static Doc *members_block(Fmt *f, const Node *list, long close)
{
    Block *b = blk_new(f, close, ", ", ',');
    for (const Node *n = list; n; n = n->next) {
        if (n->kind == N_MEMBER)
            member_entry(f, b, n);
        else
            attr_entry(f, b, n);
    }
    return blk_doc(f, b);
}

static Doc *one_per_entry(Fmt *f, Block *b, const Node *n, Doc *d)
{
    Entry *e = node_entry(f, b, n);
    e->last = d;
    return d;
}

static Doc *kpi_doc(Fmt *f, const Node *k)
{
    Doc *d = cat(f, 2, text(f, "weight "), expr(f, k->a, P_IF, false));
    if (k->b)
        doc_add(f, doc_add(f, d, text(f, " cap ")), expr(f, k->b, P_IF, false));
    if (k->c)
        doc_add(f, doc_add(f, d, text(f, " score curve ")), entries_block(f, k->c->b, last_tok(f, k->c)));
    return d;
}

static Doc *scorecard_block(Fmt *f, const Node *list, long close)
{
    Block *b = blk_new(f, close, "  ", 0);
    for (const Node *n = list; n; n = n->next) {
        if (n->kind == N_KPI) {
            Entry *e = node_entry(f, b, n);
            e->kind = K_KPI;
            cell(f, e, join(f, "kpi", " ", n->name));
            e->last = kpi_doc(f, n);
        } else {
            one_per_entry(f, b, n, cat(f, 2, text(f, "rating "), entries_block(f, n->a, last_tok(f, n))));
        }
    }
    return blk_doc(f, b);
}

static Doc *review_item(Fmt *f, const Node *n)
{
    switch (n->kind) {
    case N_STATUS:
        return cat(f, 2, text(f, join(f, "status", " ", join(f, n->name, "", " "))),
                   entries_block(f, n->a, last_tok(f, n)));
    case N_FLAG:
        return cat(f, 2, text(f, "flag deviation "), expr(f, n->a, P_IF, false));
    case N_REFORECAST:
        return text(f, join(f, "reforecast", " ", n->name));
    case N_USE_SCORECARD:
        return text(f, join(f, "scorecard", " ", n->name));
    case N_USE_INCENTIVE:
        return text(f, join(f, "incentive", " ", n->name));
    default: { /* N_RANK */
        Doc *d = text(f, join(f, "rank", " ", n->name));
        d = cat(f, 1, d);
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
    Block *b = blk_new(f, close, "  ", 0);
    for (const Node *n = list; n; n = n->next)
        one_per_entry(f, b, n, review_item(f, n));
    return blk_doc(f, b);
}

static Doc *show_doc(Fmt *f, const Node *n)
{
    static const char *const what[] = {"", "scorecard ", "incentive ", "review "};
    Doc *d = text(f, join(f, "show ", what[n->op], n->name));
    if (n->op != SHOW_METRIC || !n->a)
        return d;
    d = cat(f, 2, d, text(f, " by "));
    for (const Node *l = n->a; l; l = l->next)
        doc_add(f, d, text(f, l->next ? join(f, l->name, "", ", ") : l->name));
    return d;
}

static Doc *shows_block(Fmt *f, const Node *list, long close)
{
    Block *b = blk_new(f, close, "  ", ';');
    for (const Node *n = list; n; n = n->next)
        one_per_entry(f, b, n, show_doc(f, n));
    return blk_doc(f, b);
}

/* given/expect items: the lines as written, items two spaces apart. */
static long example_clause(Fmt *f, Block *b, const char *word, long word_tok, const Node *items,
                           bool given)
{
    if (!items) {
        Entry *e = blk_entry(f, b, word_tok, word_tok);
        e->last = text(f, word);
        return word_tok;
    }
    Entry *e = NULL;
    Doc *line = NULL;
    int end_line = 0;
    long t1 = word_tok;
    char *pad = arena_strdup(&f->arena, word);
    memset(pad, ' ', strlen(pad));
    for (const Node *n = items; n; n = n->next) {
        long a, z;
        span(f, n, &a, &z);
        if (!e || tok(f, a)->line != end_line) {
            e = blk_entry(f, b, a, z);
            cell(f, e, line ? pad : word);
            e->cont = line != NULL;
            line = doc_cat(f);
            e->last = doc_wrap(f, D_FLAT, line, 0);
        } else {
            doc_add(f, line, text(f, "  "));
        }
        Doc *lhs = given ? expr(f, n->a, P_IF, false) : text(f, n->name);
        doc_add(f, line, cat(f, 3, lhs, text(f, " = "), expr(f, given ? n->b : n->a, P_IF, false)));
        e->t1 = z;
        end_line = tok(f, z)->end_line;
        t1 = z;
    }
    return t1;
}

static Doc *example_block(Fmt *f, const Node *n, long close)
{
    Block *b = blk_new(f, close, "  ", 0);
    long given_tok = b->open + 1;
    long end = example_clause(f, b, "given", given_tok, n->a, true);
    example_clause(f, b, "expect", end + 1, n->b, false);
    return blk_doc(f, b);
}

/* ---- statements ------------------------------------------------------------------ */

static Doc *mapping(Fmt *f, const Node *m, long close)
{
    if (!m)
        return NULL;
    return cat(f, 2, text(f, " "), attrs_block(f, m, close));
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
    const Node *c = n->c;
    switch (c->kind) {
    case N_SPEC_MAP:
        doc_add(f, d, entries_block(f, c->a, last_tok(f, c)));
        break;
    case N_SPEC_WEIGHTS:
        doc_add(f, doc_add(f, d, text(f, "weights ")), entries_block(f, c->a, last_tok(f, c)));
        break;
    case N_SPEC_PROP:
        doc_add(f, doc_add(f, d, text(f, "proportional to ")), expr(f, c->a, P_IF, false));
        break;
    case N_SPEC_EQUAL:
        doc_add(f, d, text(f, "equally"));
        break;
    case N_SPEC_SEASON:
        doc_add(f, d, text(f, join(f, "seasonality ", "", c->name)));
        break;
    default:
        doc_add(f, d, text(f, join(f, "like ", "", c->name)));
        break;
    }
    if (n->d) {
        doc_add(f, d, text(f, n->d->op == OVERASSIGN ? " overassign " : " reserve "));
        doc_add(f, d, expr(f, n->d->a, P_IF, false));
    }
    return d;
}

static Doc *dimension_doc(Fmt *f, const Node *n, long t1)
{
    long nt = tok_before(f, n->name_loc.line, n->name_loc.col);
    Doc *d = cat(f, 1, text(f, join(f, "dimension ", "", n->name)));
    if (n->str)
        doc_add(f, doc_add(f, d, text(f, " ")), label_after(f, nt, n->str));
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
        doc_add(f, g, doc_wrap(f, D_INDENT, cat(f, 2, doc_line(f, D_LINE), str_doc(f, t1, n->str)), 2));
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

/* One statement: its cells (for alignment with its neighbours) and the rest. */
static void stmt_entry(Fmt *f, Block *file, const Node *n)
{
    Entry *e = node_entry(f, file, n);
    long t0 = e->t0, t1 = e->t1;
    switch (n->kind) {
    case N_PLAN:
        e->last = cat(f, 4, text(f, n->str ? "plan " : "plan"), label_after(f, t0, n->str), text(f, " "),
                      attrs_block(f, n->a, t1));
        break;
    case N_DIMENSION:
        e->last = dimension_doc(f, n, t1);
        break;
    case N_METRIC: {
        long nt = tok_before(f, n->name_loc.line, n->name_loc.col);
        e->kind = K_METRIC;
        cell(f, e, join(f, "metric ", "", n->name));
        cell(f, e, n->str ? doc_flat_string(f, label_after(f, nt, n->str)) : "");
        if (n->op == MK_DERIVED)
            e->last = assign_expr(f, n->c);
        else
            e->last = text(f, n->b ? join(f, n->a->name, " ", n->b->name) : n->a->name);
        break;
    }
    case N_LET:
        e->kind = K_LET;
        cell(f, e, join(f, "let ", "", n->name));
        e->last = assign_expr(f, n->a);
        break;
    case N_FN:
        e->last = cat(f, 2, params_doc(f, n), assign_expr(f, n->b));
        break;
    case N_TARGET:
        if (n->c) {
            e->last = cat(f, 3, text(f, join(f, "target ", n->name, " from ")), expr(f, n->c, P_IF, false),
                          mapping(f, n->d, t1));
        } else {
            e->kind = K_TARGET;
            cell(f, e, join(f, "target ", "", n->name));
            e->last = assign_expr(f, n->a);
        }
        break;
    case N_SPLIT:
        e->last = split_doc(f, n);
        break;
    case N_HISTORY:
        e->kind = K_HISTORY;
        cell(f, e, join(f, "history ", "", n->name));
        e->last = cat(f, 3, text(f, "= "), expr(f, n->c, P_IF, false), mapping(f, n->d, t1));
        break;
    case N_ACTUALS:
        e->last = cat(f, 3, text(f, "actuals "), expr(f, n->c, P_IF, false), mapping(f, n->d, t1));
        break;
    case N_INCENTIVE:
        e->last = cat(f, 2, text(f, arena_printf(&f->arena, "incentive %s per %s ", n->name, n->a->name)),
                      attrs_block(f, n->b, t1));
        break;
    case N_SCORECARD:
        e->last = cat(f, 2, text(f, arena_printf(&f->arena, "scorecard %s per %s ", n->name, n->a->name)),
                      scorecard_block(f, n->b, t1));
        break;
    case N_REVIEW:
        e->kind = K_REVIEW;
        cell(f, e, join(f, "review ", "", n->name));
        e->last = review_block(f, n->a, t1);
        break;
    case N_SCENARIO:
        e->last = cat(f, 2, text(f, join(f, "scenario ", n->name, " ")), attrs_block(f, n->a, t1));
        break;
    case N_EXAMPLE:
        e->last = cat(f, 4, text(f, "example "), label_after(f, t0, n->str),
                      text(f, join(f, " ", n->name, " ")), example_block(f, n, t1));
        break;
    case N_ASSERT:
        e->last = assert_doc(f, n, t1);
        break;
    case N_REPORT:
        e->last = cat(f, 4, text(f, "report "), label_after(f, t0, n->str), text(f, " "),
                      shows_block(f, n->a, t1));
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

/* ---- checking the result ---------------------------------------------------------- */

/* ast_dump of items, and the same with the positions left out. */
static void dump(const Node *items, char **with, char **without)
{
    size_t n;
    FILE *m = open_memstream(with, &n);
    if (!m) {
        fputs("salesplan: out of memory\n", stderr);
        exit(2);
    }
    ast_dump(m, items, 0);
    fclose(m);
    Buf b = {0};
    for (const char *s = *with; *s;) {
        const char *eol = strchr(s, '\n');
        size_t len = eol ? (size_t)(eol - s) : strlen(s);
        size_t i = 0;
        while (i < len && s[i] == ' ')
            i++;
        while (i < len && s[i] != ' ')
            i++;
        size_t j = i + 1;
        while (j < len && s[j] >= '0' && s[j] <= '9')
            j++;
        size_t k = j < len && s[j] == ':' ? j + 1 : 0;
        while (k && k < len && s[k] >= '0' && s[k] <= '9')
            k++;
        if (k > j + 1 && (k == len || s[k] == ' ') && j > i + 1) {
            buf_put(&b, s, i);
            buf_put(&b, s + k, len - k);
        } else {
            buf_put(&b, s, len);
        }
        buf_putc(&b, '\n');
        s += len + (eol ? 1 : 0);
    }
    *without = b.data ? b.data : xstrdup("");
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The comments of a layout, sorted, as one string. */
static char *comment_set(const Source *src, const Layout *lay)
{
    const char **v = xcalloc(lay->ncomments + 1, sizeof *v);
    for (size_t i = 0; i < lay->ncomments; i++) {
        const LexComment *c = &lay->comments[i];
        size_t n = c->at.len;
        while (n > 1 && (src->text[c->at.off + n - 1] == ' ' || src->text[c->at.off + n - 1] == '\t' ||
                         src->text[c->at.off + n - 1] == '\r'))
            n--;
        v[i] = xstrndup(src->text + c->at.off, n);
    }
    qsort(v, lay->ncomments, sizeof *v, cmp_str);
    Buf b = {0};
    for (size_t i = 0; i < lay->ncomments; i++) {
        buf_puts(&b, v[i]);
        buf_putc(&b, '\n');
        free((void *)v[i]);
    }
    free(v);
    return b.data ? b.data : xstrdup("");
}

/* Line and column of the first line where two dumps differ, from the
 * original's positions. */
static Loc first_difference(Source *src, const char *with, const char *a, const char *b)
{
    int line = 0;
    while (*a && *a == *b) {
        if (*a == '\n')
            line++;
        a++;
        b++;
    }
    Loc loc = {src, 1, 1, 1, 1};
    for (const char *s = with; *s && line > 0; s++)
        if (*s == '\n' && --line == 0)
            with = s + 1;
    const char *p = with;
    while (*p == ' ')
        p++;
    while (*p && *p != ' ' && *p != '\n')
        p++;
    int l, c;
    if (sscanf(p, " %d:%d", &l, &c) == 2 && l > 0 && c > 0)
        loc = (Loc){src, l, c, l, c};
    return loc;
}

static FmtResult verify(Fmt *f, const Node *items, const Buf *out, Diags *d)
{
    Diags d2 = {0};
    Arena a2 = {0};
    Layout l2 = {0};
    Source *s2 = source_new(f->src->name, NULL, out->data ? out->data : "", out->len, 0);
    int nerr = 0;
    Node *items2 = parse_source_layout(s2, &a2, &d2, &nerr, &l2);
    FmtResult r = FMT_DONE;
    char *w1 = NULL, *n1 = NULL, *w2 = NULL, *n2 = NULL, *c1 = NULL, *c2 = NULL;
    if (nerr || d2.nerrors) {
        diag_error(d, (Loc){f->src, 1, 1, 1, 1},
                   "internal error: the formatted plan does not parse (line %d of it: %s)",
                   d2.n ? d2.v[0].loc.line : 0, d2.n ? d2.v[0].msg : "?");
        r = FMT_INTERNAL_ERROR;
    } else {
        dump(items, &w1, &n1);
        dump(items2, &w2, &n2);
        c1 = comment_set(f->src, &f->lay);
        c2 = comment_set(s2, &l2);
        if (strcmp(n1, n2) != 0) {
            diag_error(d, first_difference(f->src, w1, n1, n2),
                       "internal error: formatting would change the plan here");
            r = FMT_INTERNAL_ERROR;
        } else if (strcmp(c1, c2) != 0) {
            diag_error(d, (Loc){f->src, 1, 1, 1, 1},
                       "internal error: formatting would lose or change a comment");
            r = FMT_INTERNAL_ERROR;
        }
    }
    if (r != FMT_DONE)
        diag_note_plain(d, "nothing was written; please report this, with the plan, as a bug");
    free(w1), free(n1), free(w2), free(n2), free(c1), free(c2);
    parse_layout_free(&l2);
    arena_free(&a2);
    diag_free(&d2);
    source_free(s2);
    return r;
}

/* ---- entry points -------------------------------------------------------------------- */

/* Parses src into f; false on syntax errors (reported in d). */
static bool fmt_parse(Fmt *f, Source *src, Diags *d, Node **items)
{
    memset(f, 0, sizeof *f);
    f->src = src;
    int nerr = 0, before = d->nerrors;
    *items = parse_source_layout(src, &f->arena, d, &nerr, &f->lay);
    return !nerr && d->nerrors == before;
}

static void fmt_free(Fmt *f)
{
    free(f->match);
    free(f->claimed);
    parse_layout_free(&f->lay);
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
    match_brackets(&f);
    f.claimed = xcalloc(f.lay.ncomments + 1, sizeof *f.claimed);
    Block *file = blk_new(&f, -1, "", 0);
    file->braces = false;
    file->close = (long)f.lay.ntoks;
    for (const Node *n = items; n; n = n->next)
        stmt_entry(&f, file, n);
    blk_doc(&f, file);
    Buf text = {0};
    doc_print_file(&text, file);
    FmtResult r = verify(&f, items, &text, d);
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
    dump(items, &with, &without);
    buf_puts(out, without);
    free(with);
    free(without);
    fmt_free(&f);
    return FMT_DONE;
}
