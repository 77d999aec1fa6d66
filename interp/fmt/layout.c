/* layout.c -- for the formatter, what the syntax tree does not keep: the
 * source's tokens (strings as written, parentheses, brackets), its comments
 * and blank lines; and blocks of entries, with each comment placed on the
 * entry it belongs to (fmt_int.h).  It reads the source and the layout of
 * one parse, never the plan's meaning. */
#include <stdlib.h>
#include <string.h>

#include "fmt/fmt_int.h"

/* ---- tokens and comments of the source ---------------------------------- */

const LexTok *lay_tok(const Fmt *f, long i)
{
    return &f->lay.toks[i];
}

bool lay_tok_is(const Fmt *f, long i, char c)
{
    if (i < 0 || (size_t)i >= f->lay.ntoks)
        return false;
    return lay_tok(f, i)->len == 1 && f->src->text[lay_tok(f, i)->off] == c;
}

static int pos_cmp(int l1, int c1, int l2, int c2)
{
    return l1 != l2 ? (l1 < l2 ? -1 : 1) : c1 != c2 ? (c1 < c2 ? -1 : 1) : 0;
}

/* The last token that starts at or before line:col, or -1. */
long lay_tok_before(const Fmt *f, int line, int col)
{
    long lo = 0, hi = (long)f->lay.ntoks - 1, hit = -1;
    while (lo <= hi) {
        long mid = lo + (hi - lo) / 2;
        if (pos_cmp(lay_tok(f, mid)->line, lay_tok(f, mid)->col, line, col) <= 0) {
            hit = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return hit;
}

/* First and last token of a node. */
void lay_span(const Fmt *f, const Node *n, long *t0, long *t1)
{
    *t0 = lay_tok_before(f, n->loc.line, n->loc.col);
    *t1 = lay_tok_before(f, n->loc.end_line, n->loc.end_col);
    if (*t0 < 0)
        *t0 = 0;
    if (*t1 < *t0)
        *t1 = *t0;
}

long lay_first(const Fmt *f, const Node *n)
{
    long t0, t1;
    lay_span(f, n, &t0, &t1);
    return t0;
}

long lay_last(const Fmt *f, const Node *n)
{
    long t0, t1;
    lay_span(f, n, &t0, &t1);
    return t1;
}

void lay_match_brackets(Fmt *f)
{
    size_t n = f->lay.ntoks;
    f->match = xmalloc((n + 1) * sizeof *f->match);
    long *stack = xmalloc((n + 1) * sizeof *stack);
    size_t depth = 0;
    for (size_t i = 0; i < n; i++) {
        f->match[i] = -1;
        const LexTok *t = lay_tok(f, (long)i);
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
    return c->tok == 0 || lay_tok(f, (long)c->tok - 1)->end_line < c->at.line;
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

Block *lay_block(Fmt *f, long close, const char *sep, char need_sep)
{
    Block *b = arena_alloc(&f->arena, sizeof *b);
    b->braces = true;
    b->close = close;
    b->open = close >= 0 && (size_t)close < f->lay.ntoks ? f->match[close] : -1;
    b->sep = sep;
    b->need_sep = need_sep;
    return b;
}

Entry *lay_entry(Fmt *f, Block *b, long t0, long t1)
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

Entry *lay_node_entry(Fmt *f, Block *b, const Node *n)
{
    long t0, t1;
    lay_span(f, n, &t0, &t1);
    return lay_entry(f, b, t0, t1);
}

void lay_cell(Fmt *f, Entry *e, const char *s)
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

/* Where the comments of a block go while its entries are walked. */
typedef struct {
    int prev;      /* the entry before them, or -1 */
    bool hang;     /* comment lines right under it, written deeper, hang from it */
    int last_line; /* of the last token or comment placed */
    CList pending; /* full-line comments for the next entry */
} Walk;

static void place_comment(Fmt *f, Block *b, Walk *w, const LexComment *c)
{
    const char *text = comment_text(f, c);
    Entry *p = w->prev >= 0 ? &b->e[w->prev] : NULL;
    if (p && !p->trailing && !w->pending.n && c->at.line == lay_tok(f, p->t1)->end_line) {
        p->trailing = text;
    } else if (!p && b->open >= 0 && !b->open_comment && c->at.line == lay_tok(f, b->open)->line) {
        b->open_comment = text;
    } else if (p && w->hang && full_line(f, c) && !blank_between(f, w->last_line, c->at.line) &&
               c->at.col > lay_tok(f, p->t0)->col) {
        clist_push(f, &p->hanging, (CLine){text, false, c->at.col});
    } else {
        clist_push(f, &w->pending, (CLine){text, blank_between(f, w->last_line, c->at.line), 0});
        w->hang = false;
    }
    w->last_line = c->at.line;
}

/* Places the comments not yet claimed from index ci on, up to those of
 * token limit and not past index ce. */
static void place_comments(Fmt *f, Block *b, Walk *w, size_t ci, size_t ce, long limit)
{
    const LexComment *cs = f->lay.comments;
    for (; ci < ce && (long)cs[ci].tok <= limit; ci++) {
        if (f->claimed[ci])
            continue;
        f->claimed[ci] = true;
        place_comment(f, b, w, &cs[ci]);
    }
}

/* Comments between the entries of b: at the end of an entry's line
 * (trailing), right under it and written deeper (hanging), after the
 * opening brace, else before the next entry or the closing brace. */
static void attach_between(Fmt *f, Block *b)
{
    size_t ce = comment_after(f, b->close);
    Walk w = {-1, false, b->open >= 0 ? lay_tok(f, b->open)->line : 0, {0}};
    for (int k = 0; k <= b->n; k++) {
        long limit = k < b->n ? b->e[k].t0 : b->close;
        /* after the entry before, not inside it: those are hoist_inner's */
        size_t ci = comment_after(f, k > 0 ? b->e[k - 1].t1 : b->open);
        place_comments(f, b, &w, ci, ce, limit);
        if (k == b->n)
            break;
        Entry *e = &b->e[k];
        e->leading = w.pending;
        w.pending = (CList){0};
        e->blank_before = blank_between(f, w.last_line, lay_tok(f, e->t0)->line);
        w.last_line = lay_tok(f, e->t1)->end_line;
        w.prev = k;
        w.hang = true;
    }
    b->dangling = w.pending;
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
        /* the blank line before the entry goes before them */
        clist_push(f, &e->leading,
                   (CLine){comment_text(f, &f->lay.comments[ci]), e->blank_before, 0});
        e->blank_before = false;
    }
}

static Doc *entry_flat(Fmt *f, const Entry *e)
{
    Doc *d = doc_cat(f);
    if (!e->cont)
        for (int i = 0; i < e->ncells; i++)
            if (e->cells[i][0])
                doc_add(f, doc_add(f, d, doc_text(f, e->cells[i])), doc_text(f, " "));
    return doc_add(f, d, e->last);
}

/* Places the block's comments and makes its one-line form. */
Doc *lay_block_doc(Fmt *f, Block *b)
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
    b->forced = comments || b->open < 0 || lay_tok(f, b->open)->line != lay_tok(f, b->close)->line;
    if (!b->n) {
        b->flat = doc_text(f, "{}");
    } else {
        b->flat = doc_add(f, doc_cat(f), doc_text(f, "{ "));
        for (int k = 0; k < b->n; k++) {
            if (k)
                doc_add(f, b->flat, doc_text(f, b->sep));
            doc_add(f, b->flat, entry_flat(f, &b->e[k]));
        }
        doc_add(f, b->flat, doc_text(f, " }"));
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

/* The string token t as written, when its value is value; else NULL. */
static Doc *as_written(Fmt *f, long t, const char *value)
{
    if (t < 0 || (size_t)t >= f->lay.ntoks)
        return NULL;
    const LexTok *k = lay_tok(f, t);
    const char *s = f->src->text + k->off;
    if (k->len < 2 || s[0] != '"' || s[k->len - 1] != '"')
        return NULL;
    char *v = unescape(s, k->len);
    bool same = strcmp(v, value) == 0;
    free(v);
    return same ? doc_text(f, arena_strndup(&f->arena, s, k->len)) : NULL;
}

/* A string as written at token t, when that token is the string whose
 * value is value; else value written with escapes. */
Doc *lay_string(Fmt *f, long t, const char *value)
{
    Doc *d = as_written(f, t, value);
    if (d)
        return d;
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
    d = doc_text(f, arena_strdup(&f->arena, buf_cstr(&b)));
    buf_free(&b);
    return d;
}

/* A label or title: the string token right after token t, if any. */
Doc *lay_label(Fmt *f, long t, const char *value)
{
    return value ? lay_string(f, t + 1, value) : NULL;
}
