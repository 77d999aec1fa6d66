/* doc.c -- documents to text: a Wadler-style printer (groups break outermost
 * first, only when they do not fit in FMT_WIDTH columns) and blocks laid out
 * one entry per line, cells padded into columns, end-of-line comments aligned,
 * at most one blank line kept.  Widths are display widths (a CJK character is
 * two columns).  It knows nothing of the plan language. */
#include <stdlib.h>
#include <string.h>

#include "base/term.h"
#include "fmt/fmt_int.h"

/* ---- building ---------------------------------------------------------- */

static Doc *doc_new(Fmt *f, DocKind kind)
{
    Doc *d = arena_alloc(&f->arena, sizeof *d);
    d->kind = kind;
    return d;
}

Doc *doc_text(Fmt *f, const char *s)
{
    Doc *d = doc_new(f, D_TEXT);
    d->text = s;
    d->width = term_text_width(s);
    return d;
}

Doc *doc_cat(Fmt *f)
{
    return doc_new(f, D_CAT);
}

Doc *doc_add(Fmt *f, Doc *cat, Doc *kid)
{
    if (!kid)
        return cat;
    if (cat->nkids == cat->cap) {
        int cap = cat->cap ? 2 * cat->cap : 4;
        Doc **kids = arena_alloc(&f->arena, (size_t)cap * sizeof *kids);
        if (cat->nkids)
            memcpy(kids, cat->kids, (size_t)cat->nkids * sizeof *kids);
        cat->kids = kids;
        cat->cap = cap;
    }
    cat->kids[cat->nkids++] = kid;
    cat->hard |= kid->hard;
    return cat;
}

Doc *doc_wrap(Fmt *f, DocKind kind, Doc *a, int width)
{
    Doc *d = doc_new(f, kind);
    d->a = a;
    d->width = width;
    d->hard = a->hard;
    return d;
}

Doc *doc_line(Fmt *f, DocKind kind)
{
    return doc_new(f, kind);
}

Doc *doc_block(Fmt *f, Block *b)
{
    Doc *d = doc_new(f, D_BLOCK);
    d->block = b;
    d->hard = b->forced;
    return d;
}

/* ---- the printer --------------------------------------------------------- */

typedef struct {
    int ind;
    bool flat;
    const Doc *d;
} Cmd;

typedef struct {
    Cmd *v;
    size_t n, cap;
} Stack;

static void push(Stack *s, int ind, bool flat, const Doc *d)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 32;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = (Cmd){ind, flat, d};
}

static void push_kids(Stack *s, const Cmd *c)
{
    for (int i = c->d->nkids; i-- > 0;)
        push(s, c->ind, c->flat, c->d->kids[i]);
}

/* One command of fits(), taking its width from *w; false at a line break
 * (the rest starts a new line). */
static bool fit_step(Stack *s, Cmd c, int *w)
{
    const Doc *x = c.d;
    switch (x->kind) {
    case D_TEXT:
        *w -= x->width;
        return true;
    case D_CAT:
        push_kids(s, &c);
        return true;
    case D_LINE:
    case D_SOFT:
        *w -= c.flat && x->kind == D_LINE;
        return c.flat;
    case D_GROUP:
    case D_INDENT:
    case D_ALIGN:
        push(s, 0, c.flat, x->a);
        return true;
    case D_FLAT:
        push(s, 0, true, x->a);
        return true;
    case D_ASSIGN:
        if (!c.flat)
            return false;
        *w -= 1;
        push(s, 0, true, x->a);
        return true;
    case D_BLOCK:
        if (!x->block->forced && c.flat) {
            push(s, 0, true, x->block->flat);
            return true;
        }
        *w -= 1; /* "{", then a line break */
        return false;
    }
    return false;
}

/* Whether d printed flat, then what follows it (rest, in its own modes)
 * up to the next line break, fits in w columns. */
static bool fits(const Doc *d, const Stack *rest, int w)
{
    Stack s = {0};
    push(&s, 0, true, d);
    size_t ri = rest->n;
    bool ok = true;
    while (ok) {
        if (w < 0) {
            ok = false;
            break;
        }
        Cmd c;
        if (s.n)
            c = s.v[--s.n];
        else if (ri)
            c = rest->v[--ri];
        else
            break;
        if (!fit_step(&s, c, &w))
            break;
    }
    free(s.v);
    return ok && w >= 0;
}

/* A new line indented by ind; the line before loses its trailing blanks. */
static void newline(Buf *out, int ind)
{
    while (out->len && out->data[out->len - 1] == ' ')
        out->len--;
    buf_putc(out, '\n');
    for (int i = 0; i < ind; i++)
        buf_putc(out, ' ');
}

static void print_block(Buf *out, Block *b, int ind, int *col);

typedef struct {
    Buf *out;
    Stack s;
    int *col;
    int line_ind; /* indentation of the line being written */
} Printer;

static void print_break(Printer *p, Cmd c)
{
    if (!c.flat) {
        newline(p->out, c.ind);
        *p->col = p->line_ind = c.ind;
    } else if (c.d->kind == D_LINE) {
        buf_putc(p->out, ' ');
        (*p->col)++;
    }
}

/* "= value": the value on this line, or on the next indented by 2. */
static void print_assign(Printer *p, Cmd c)
{
    const Doc *x = c.d;
    if (c.flat || (!x->hard && fits(x, &p->s, FMT_WIDTH - *p->col)) ||
        (x->width && (x->hard || !fits(x->a, &p->s, FMT_WIDTH - c.ind - 2)))) {
        buf_putc(p->out, ' ');
        (*p->col)++;
        push(&p->s, c.ind, c.flat, x->a);
    } else {
        newline(p->out, c.ind + 2);
        *p->col = p->line_ind = c.ind + 2;
        push(&p->s, c.ind + 2, false, x->a);
    }
}

static void print_block_doc(Printer *p, Cmd c)
{
    Block *b = c.d->block;
    if (!b->forced && (c.flat || fits(b->flat, &p->s, FMT_WIDTH - *p->col)))
        push(&p->s, c.ind, true, b->flat);
    else /* its lines are indented from the line it starts on */
        print_block(p->out, b, p->line_ind, p->col);
}

static void print_cmd(Printer *p, Cmd c)
{
    const Doc *x = c.d;
    switch (x->kind) {
    case D_TEXT:
        buf_puts(p->out, x->text);
        *p->col += x->width;
        break;
    case D_CAT:
        push_kids(&p->s, &c);
        break;
    case D_LINE:
    case D_SOFT:
        print_break(p, c);
        break;
    case D_GROUP:
        push(&p->s, c.ind, c.flat || (!x->hard && fits(x->a, &p->s, FMT_WIDTH - *p->col)), x->a);
        break;
    case D_INDENT:
        push(&p->s, c.ind + x->width, c.flat, x->a);
        break;
    case D_ALIGN:
        push(&p->s, *p->col, c.flat, x->a);
        break;
    case D_FLAT:
        push(&p->s, c.ind, true, x->a);
        break;
    case D_ASSIGN:
        print_assign(p, c);
        break;
    case D_BLOCK:
        print_block_doc(p, c);
        break;
    }
}

void doc_print(Buf *out, const Doc *d, int ind, int *col)
{
    Printer p = {out, {0}, col, ind};
    push(&p.s, ind, false, d);
    while (p.s.n) {
        Cmd c = p.s.v[--p.s.n];
        print_cmd(&p, c);
    }
    free(p.s.v);
}

char *doc_flat_string(Fmt *f, const Doc *d)
{
    Buf b = {0};
    int col = 0;
    doc_print(&b, doc_wrap(f, D_FLAT, (Doc *)d, 0), 0, &col);
    char *s = arena_strdup(&f->arena, buf_cstr(&b));
    buf_free(&b);
    return s;
}

/* ---- blocks, one entry per line ----------------------------------------- */

typedef struct {
    char *text;  /* the document part, printed after the cells */
    bool single; /* on one line */
    int width;   /* of the line as laid out (cells padded), when single */
} Rendered;

static void put_spaces(Buf *b, int n)
{
    for (int i = 0; i < n; i++)
        buf_putc(b, ' ');
}

static int cells_width(const Entry *e)
{
    int w = 0;
    for (int i = 0; i < e->ncells; i++)
        if (e->cells[i][0])
            w += term_text_width(e->cells[i]) + 1;
    return w;
}

static void render(const Entry *e, int ind, Rendered *r)
{
    Buf b = {0};
    int col = ind + cells_width(e);
    doc_print(&b, e->last, ind, &col);
    r->text = b.data ? b.data : xstrdup("");
    r->single = strchr(r->text, '\n') == NULL;
}

static char first_char(const Entry *e, const Rendered *r)
{
    if (!e->cont)
        for (int i = 0; i < e->ncells; i++)
            if (e->cells[i][0])
                return e->cells[i][0];
    return r->text[0];
}

typedef struct {
    Buf *out;
    bool braces;
    bool any; /* a line has been written */
} Asm;

static void start_line(Asm *a, int ind)
{
    if (a->any || a->braces)
        newline(a->out, ind);
    else
        put_spaces(a->out, ind);
    a->any = true;
}

static void comment_lines(Asm *a, const CList *l, int ind)
{
    for (int i = 0; i < l->n; i++) {
        if (l->v[i].blank_before && a->any)
            start_line(a, 0);
        start_line(a, ind);
        buf_puts(a->out, l->v[i].text);
    }
}

/* Column widths of the cells of the entries [from, to) of one kind. */
static void run_widths(const Entry *e, int from, int to, int *w, int maxcells)
{
    for (int j = 0; j < maxcells; j++)
        w[j] = 0;
    for (int i = from; i < to; i++)
        for (int j = 0; j < e[i].ncells && j < maxcells; j++) {
            int cw = term_text_width(e[i].cells[j]);
            if (cw > w[j])
                w[j] = cw;
        }
}

/* The cells of entry e, padded to w (NULL: as they are). */
static void put_cells(Buf *b, const Entry *e, const int *w)
{
    if (e->cont) {
        for (int i = 0; i < e->ncells; i++) {
            buf_puts(b, e->cells[i]);
            buf_putc(b, ' ');
        }
        return;
    }
    for (int j = 0; j < e->ncells; j++) {
        int cw = term_text_width(e->cells[j]);
        int want = w ? w[j] : cw;
        if (want == 0)
            continue;
        buf_puts(b, e->cells[j]);
        put_spaces(b, want - cw + 1);
    }
}

/* Which entries of a section (single-line entries with no comment line or
 * blank line between them) are padded: runs of one kind. */
static void pad_section(Block *b, Rendered *r, int from, int to, int ind, Buf *lines)
{
    int i = from;
    while (i < to) {
        int j = i + 1;
        AlignKind k = b->e[i].kind;
        while (k != K_NONE && j < to && b->e[j].kind == k)
            j++;
        int maxcells = 0;
        for (int x = i; x < j; x++)
            if (b->e[x].ncells > maxcells)
                maxcells = b->e[x].ncells;
        int *w = xcalloc((size_t)maxcells + 1, sizeof *w);
        run_widths(b->e, i, j, w, maxcells);
        for (int x = i; x < j; x++) {
            Buf *l = &lines[x];
            put_cells(l, &b->e[x], j - i > 1 ? w : NULL);
            buf_puts(l, r[x].text);
            r[x].width = ind + term_text_width(buf_cstr(l));
        }
        free(w);
        i = j;
    }
}

/* The section starting at entry i: single-line entries with no comment or
 * blank line between them (else entry i alone); returns its end. */
static int section_end(const Block *b, const Rendered *r, int i)
{
    int j = i + 1;
    if (r[i].single)
        while (j < b->n && r[j].single && !b->e[j].leading.n && !b->e[j].blank_before &&
               !b->e[j - 1].hanging.n)
            j++;
    return j;
}

/* Separators before entries that start with '-' or '(', then the column
 * of the comments at the ends of the section's lines. */
static int separate(const Block *b, Rendered *r, Buf *lines, int from, int to)
{
    int ccol = 0;
    for (int x = from; x < to; x++) {
        if (b->need_sep && x + 1 < b->n) {
            char c = first_char(&b->e[x + 1], &r[x + 1]);
            if (c == '-' || c == '(') {
                buf_putc(&lines[x], b->need_sep);
                r[x].width++;
            }
        }
        if (b->e[x].trailing && r[x].single && r[x].width + 2 > ccol)
            ccol = r[x].width + 2;
    }
    return ccol;
}

/* The comment at the end of e's last line: at column ccol after a
 * single-line entry; returns its column. */
static int put_trailing(Asm *a, const Entry *e, const Rendered *r, int ccol)
{
    int w = r->width;
    if (!r->single) { /* the width of the last line */
        const char *nl = strrchr(a->out->data, '\n');
        w = term_text_width(nl ? nl + 1 : a->out->data);
    }
    int tcol = r->single ? ccol : w + 2;
    put_spaces(a->out, tcol - w);
    buf_puts(a->out, e->trailing);
    return tcol;
}

/* Comment lines right under e, deeper than it (under its trailing comment
 * when it has one). */
static void put_hanging(Asm *a, const Entry *e, int ind, int tcol)
{
    for (int h = 0; h < e->hanging.n; h++) {
        int hcol = e->trailing ? tcol : e->hanging.v[h].col - 1;
        int deeper = ind + (e->clause ? cells_width(e) : 0) + 2; /* than the entry */
        if (hcol < deeper)
            hcol = deeper;
        start_line(a, hcol);
        buf_puts(a->out, e->hanging.v[h].text);
    }
}

static void put_entry(Asm *a, const Entry *e, const Rendered *r, Buf *line, int ind, int ccol)
{
    comment_lines(a, &e->leading, ind);
    if (e->blank_before && a->any)
        start_line(a, 0);
    start_line(a, ind);
    buf_puts(a->out, buf_cstr(line));
    int tcol = e->trailing ? put_trailing(a, e, r, ccol) : 0;
    put_hanging(a, e, ind, tcol);
}

static void print_entries(Asm *a, Block *b, int ind)
{
    Rendered *r = xcalloc((size_t)b->n + 1, sizeof *r);
    Buf *lines = xcalloc((size_t)b->n + 1, sizeof *lines);
    for (int i = 0; i < b->n; i++)
        render(&b->e[i], ind, &r[i]);
    for (int i = 0, j; i < b->n; i = j) {
        j = section_end(b, r, i);
        pad_section(b, r, i, j, ind, lines);
        int ccol = separate(b, r, lines, i, j);
        for (int x = i; x < j; x++)
            put_entry(a, &b->e[x], &r[x], &lines[x], ind, ccol);
    }
    for (int x = 0; x < b->n; x++) {
        free(r[x].text);
        buf_free(&lines[x]);
    }
    free(r);
    free(lines);
}

static void print_block(Buf *out, Block *b, int ind, int *col)
{
    Asm a = {out, b->braces, false};
    int eind = b->braces ? ind + 2 : ind;
    if (b->braces) {
        buf_putc(out, '{');
        if (b->open_comment) {
            buf_puts(out, "  ");
            buf_puts(out, b->open_comment);
        }
    }
    print_entries(&a, b, eind);
    if (b->dangling.n) {
        CList l = b->dangling;
        if (!b->n && l.n)
            l.v[0].blank_before = false;
        comment_lines(&a, &l, eind);
    }
    if (b->braces) {
        newline(out, ind);
        buf_putc(out, '}');
        *col = ind + 1;
    }
}

void doc_print_file(Buf *out, Block *file)
{
    int col = 0;
    print_block(out, file, 0, &col);
    while (out->len && (out->data[out->len - 1] == ' ' || out->data[out->len - 1] == '\n'))
        out->data[--out->len] = '\0';
    if (out->len)
        buf_putc(out, '\n');
}
