/* doc.c -- render documents: the items callers add (tables, and sheets
 * built row by row), which views show them, and rendering a whole
 * document with its format's emitter.  It lays out nothing itself: the
 * emitters (emit_*.c) write the bytes. */
#include "render/render_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

RenderDoc *render_new(const RenderFormat *f, const RenderOpts *o)
{
    RenderDoc *d = xcalloc(1, sizeof *d);
    d->format = f;
    d->view = f ? f->view : RENDER_FLAT;
    if (o)
        d->opts = *o;
    if (!d->opts.unit)
        d->opts.unit = "";
    return d;
}

void render_free(RenderDoc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nowned; i++)
        free(d->owned[i]);
    free(d->owned);
    free(d->items);
    free(d->error);
    free(d->charts);
    arena_free(&d->arena);
    free(d);
}

Arena *render_arena(RenderDoc *d)
{
    return &d->arena;
}

Lang render_lang(const RenderDoc *d)
{
    return d->view == RENDER_RECORDS ? LANG_EN : d->opts.lang;
}

bool render_shows(const RenderDoc *d, unsigned views)
{
    return (d->view & views) != 0;
}

void render_caption(RenderDoc *d, const char *text)
{
    d->caption = text ? arena_strdup(&d->arena, text) : NULL;
}

static RenderItem *add_item(RenderDoc *d, RenderItemKind kind)
{
    if (d->nitems == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 8;
        d->items = xrealloc(d->items, d->cap * sizeof *d->items);
    }
    RenderItem *it = &d->items[d->nitems++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->labels = d->opts.labels;
    return it;
}

void render_add_table(RenderDoc *d, const Table *t)
{
    add_item(d, RI_TABLE)->table = *t;
}

void render_add_sheet(RenderDoc *d, const Sheet *s)
{
    add_item(d, RI_SHEET)->sheet = *s;
}

void rd_shared_labels(StrMap *shared, const char *const *labels, const char *const *names, size_t n,
                      size_t stride)
{
    StrMap first = {0}; /* label -> the name it first stood for */
    for (size_t i = 0; labels && i < n; i++) {
        const char *l = labels[i * stride], *name = names[i * stride];
        if (!l || !name)
            continue;
        const char *was = strmap_get(&first, l);
        if (!was)
            strmap_put(&first, l, (void *)name);
        else if (strcmp(was, name) != 0)
            strmap_put(shared, l, (void *)l);
    }
    strmap_free(&first);
}

const char *rd_member_key(const StrMap *shared, const char *label, const char *name)
{
    return label && label[0] && !strmap_get(shared, label) ? label : name;
}

StrMap *rd_sheet_shared(const Sheet *s, const size_t *cols, size_t n)
{
    StrMap *shared = xcalloc(n + 1, sizeof *shared);
    for (size_t k = 0; k < n; k++)
        rd_shared_labels(&shared[k], s->label + cols[k], s->plain + cols[k], s->nrows, s->ncols);
    return shared;
}

void rd_sheet_shared_free(StrMap *shared, size_t n)
{
    for (size_t k = 0; shared && k < n; k++)
        strmap_free(&shared[k]);
    free(shared);
}

RenderChart render_chart(ChartKind kind, size_t item)
{
    RenderChart c = {.kind = kind,
                     .item = item,
                     .label_col = -1,
                     .period_col = -1,
                     .value_col = -1,
                     .value2_col = -1,
                     .style_col = -1,
                     .filter_col = -1};
    return c;
}

void render_add_chart(RenderDoc *d, const RenderChart *c)
{
    d->charts = xrealloc(d->charts, (d->ncharts + 1) * sizeof *d->charts);
    RenderChart *k = &d->charts[d->ncharts++];
    *k = *c;
    k->filter = c->filter ? arena_strdup(&d->arena, c->filter) : NULL;
}

size_t render_item_count(const RenderDoc *d)
{
    return d->nitems;
}

const Sheet *render_item_sheet(const RenderDoc *d, size_t i)
{
    return i < d->nitems && d->items[i].kind == RI_SHEET ? &d->items[i].sheet : NULL;
}

const Table *render_item_table(const RenderDoc *d, size_t i)
{
    return i < d->nitems && d->items[i].kind == RI_TABLE ? &d->items[i].table : NULL;
}

int render_sheet_find(const Sheet *s, const char *head)
{
    for (size_t c = 0; c < s->ncols; c++)
        if (s->heads[c] && strcmp(s->heads[c], head) == 0)
            return (int)c;
    return -1;
}

bool rd_item_shown(const RenderItem *it, unsigned view)
{
    return it->kind == RI_TABLE || !it->sheet.views || (it->sheet.views & view);
}

bool rd_col_shown(const Sheet *s, size_t c, unsigned view)
{
    return !s->col_views || !s->col_views[c] || (s->col_views[c] & view);
}

int render_doc(const RenderDoc *d, Buf *out)
{
    if (!d->format)
        return 0;
    if (render_lang(d) == LANG_EN) { /* json: English keys and words */
        d->format->emit(d, out);
        return d->error ? -1 : 0;
    }
    RenderDoc *t = rd_translated(d, d->opts.lang);
    d->format->emit(t, out);
    if (t->error)
        rd_fail(d, "%s", t->error);
    rd_translated_free(t);
    return d->error ? -1 : 0;
}

const char *render_error(const RenderDoc *d)
{
    return d->error;
}

void rd_fail(const RenderDoc *d, const char *fmt, ...)
{
    RenderDoc *w = (RenderDoc *)d; /* documents are never const objects: the slot is theirs */
    if (w->error)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    w->error = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(w->error, (size_t)n + 1, fmt, ap);
    va_end(ap);
}

/* ---- the sheet builder ------------------------------------------------------------------ */

void render_sheet_init(RenderSheet *b, RenderDoc *d, size_t ncols)
{
    memset(b, 0, sizeof *b);
    b->doc = d;
    b->ncols = ncols;
    b->heads = arena_alloc(&d->arena, ncols * sizeof *b->heads);
    b->right = arena_alloc(&d->arena, ncols * sizeof *b->right);
    b->json_num = arena_alloc(&d->arena, ncols * sizeof *b->json_num);
    b->col_views = arena_alloc(&d->arena, ncols * sizeof *b->col_views);
    b->head_name = arena_alloc(&d->arena, ncols * sizeof *b->head_name);
}

void render_sheet_col_name(RenderSheet *b, size_t c)
{
    b->head_name[c] = true;
}

void render_sheet_col(RenderSheet *b, size_t c, const char *head, bool number)
{
    b->heads[c] = head ? arena_strdup(&b->doc->arena, head) : "";
    b->right[c] = number;
    b->json_num[c] = number;
}

void render_sheet_col_views(RenderSheet *b, size_t c, unsigned views)
{
    b->col_views[c] = (unsigned char)views;
}

void render_sheet_col_text(RenderSheet *b, size_t c)
{
    b->json_num[c] = false;
}

void render_sheet_reserve(RenderSheet *b, size_t rows)
{
    if (rows <= b->cap)
        return;
    b->cap = rows;
    b->text = xrealloc(b->text, b->cap * b->ncols * sizeof *b->text);
    b->plain = xrealloc(b->plain, b->cap * b->ncols * sizeof *b->plain);
    b->label = xrealloc(b->label, b->cap * b->ncols * sizeof *b->label);
    b->style = xrealloc(b->style, b->cap * b->ncols);
    b->words = xrealloc(b->words, b->cap * b->ncols);
    b->kind = xrealloc(b->kind, b->cap * b->ncols);
    b->total = xrealloc(b->total, b->cap * sizeof *b->total);
}

void render_sheet_row(RenderSheet *b, bool total)
{
    if (b->nrows == b->cap)
        render_sheet_reserve(b, b->cap ? 2 * b->cap : 64);
    size_t r = b->nrows++;
    for (size_t c = 0; c < b->ncols; c++) {
        b->text[r * b->ncols + c] = "";
        b->plain[r * b->ncols + c] = "";
        b->label[r * b->ncols + c] = NULL;
        b->style[r * b->ncols + c] = STY_NONE;
        b->words[r * b->ncols + c] = 0;
        b->kind[r * b->ncols + c] = 0;
    }
    b->total[r] = total;
}

void render_sheet_set(RenderSheet *b, size_t c, const char *text, const char *plain)
{
    size_t k = (b->nrows - 1) * b->ncols + c;
    b->text[k] = arena_strdup(&b->doc->arena, text);
    b->plain[k] =
        plain && strcmp(plain, text) != 0 ? arena_strdup(&b->doc->arena, plain) : b->text[k];
}

void render_sheet_label(RenderSheet *b, size_t c, const char *label)
{
    b->label[(b->nrows - 1) * b->ncols + c] = label ? arena_strdup(&b->doc->arena, label) : NULL;
}

void render_sheet_style(RenderSheet *b, size_t c, CellStyle style)
{
    b->style[(b->nrows - 1) * b->ncols + c] = (unsigned char)style;
}

void render_sheet_word(RenderSheet *b, size_t c, const char *word)
{
    render_sheet_set(b, c, word, NULL);
    b->words[(b->nrows - 1) * b->ncols + c] = 1;
}

void render_sheet_kind(RenderSheet *b, size_t c, ValueKind kind)
{
    b->kind[(b->nrows - 1) * b->ncols + c] = (unsigned char)(kind + 1);
}

/* The document takes p (malloc'd) and frees it with itself. */
static void *own(RenderDoc *d, void *p)
{
    if (p) {
        d->owned = xrealloc(d->owned, (d->nowned + 1) * sizeof *d->owned);
        d->owned[d->nowned++] = p;
    }
    return p;
}

void render_sheet_add(RenderSheet *b, const char *title, const char *heading, int group,
                      const char *note, unsigned views)
{
    Arena *a = &b->doc->arena;
    Sheet s = {0};
    s.title = title ? arena_strdup(a, title) : NULL;
    s.heading = heading ? arena_strdup(a, heading) : NULL;
    s.ncols = b->ncols;
    s.nrows = b->nrows;
    s.heads = b->heads;
    s.right = b->right;
    s.json_num = b->json_num;
    s.col_views = b->col_views;
    s.text = own(b->doc, b->text);
    s.plain = own(b->doc, b->plain);
    s.label = own(b->doc, b->label);
    s.style = own(b->doc, b->style);
    s.kind = own(b->doc, b->kind);
    s.total = own(b->doc, b->total);
    s.words = own(b->doc, b->words);
    s.head_name = b->head_name;
    s.group = group;
    s.note = note ? arena_strdup(a, note) : NULL;
    s.views = views;
    render_add_sheet(b->doc, &s);
    memset(b, 0, sizeof *b);
}

void render_sheet_discard(RenderSheet *b)
{
    free(b->text);
    free(b->plain);
    free(b->label);
    free(b->style);
    free(b->kind);
    free(b->total);
    free(b->words);
    memset(b, 0, sizeof *b);
}
