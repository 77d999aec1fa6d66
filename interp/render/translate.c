/* translate.c -- the chrome in the document's language.  Producers write
 * the chrome as English words of LANG_WORDS (base/lang.h), which are also
 * json's keys and what the table diff compares; people's formats and csv
 * read a copy of the document in which those words are translated: the
 * sheets' heads (but for heads that are names from the plan), the first
 * word of a sheet's title ("review monthly" -> "回顾 monthly"), the cells a
 * producer marked as words (render_sheet_word: total rows' labels, status
 * words), the level head of a table of no level; the total row and column
 * of tables follow the item's language (people.c, grid.c).  Names and
 * labels from the plan are never translated, even when they spell a word. */
#include "render/render_int.h"

#include <stdlib.h>
#include <string.h>

/* "WORD rest" or "WORD(rest)" with WORD translated; other titles as they are. */
static const char *title_in(Arena *a, const char *title, Lang lang)
{
    if (!title)
        return NULL;
    size_t n = strcspn(title, " (");
    char *first = arena_strndup(a, title, n);
    int w = lang_lookup(first);
    if (w < 0)
        return title;
    return arena_printf(a, "%s%s", lang_word(lang, (LangWord)w), title + n);
}

static const char **heads_in(Arena *a, const Sheet *s, Lang lang)
{
    const char **h = arena_alloc(a, (s->ncols + 1) * sizeof *h);
    for (size_t c = 0; c < s->ncols; c++)
        h[c] = s->head_name && s->head_name[c] ? s->heads[c] : lang_translate(lang, s->heads[c]);
    return h;
}

/* The cells of v with the word cells translated. */
static const char **cells_in(Arena *a, const Sheet *s, const char **v, Lang lang)
{
    size_t n = s->nrows * s->ncols;
    const char **t = arena_alloc(a, (n + 1) * sizeof *t);
    for (size_t k = 0; k < n; k++)
        t[k] = s->words[k] ? lang_translate(lang, v[k]) : v[k];
    return t;
}

static void translate_sheet(Arena *a, Sheet *s, Lang lang)
{
    s->title = title_in(a, s->title, lang);
    s->heads = heads_in(a, s, lang);
    if (s->words) {
        s->text = cells_in(a, s, s->text, lang);
        s->plain = cells_in(a, s, s->plain, lang);
    }
}

RenderDoc *rd_translated(const RenderDoc *d, Lang lang)
{
    RenderDoc *t = xcalloc(1, sizeof *t);
    t->format = d->format;
    t->view = d->view;
    t->opts = d->opts;
    t->opts.lang = lang;
    t->caption = title_in(&t->arena, d->caption, lang);
    t->charts = d->charts; /* lent: they name items by index, which the copy keeps */
    t->ncharts = d->ncharts;
    t->nitems = t->cap = d->nitems;
    t->items = xcalloc(d->nitems + 1, sizeof *t->items);
    for (size_t i = 0; i < d->nitems; i++) {
        RenderItem *it = &t->items[i];
        *it = d->items[i];
        it->lang = lang;
        if (it->kind == RI_SHEET)
            translate_sheet(&t->arena, &it->sheet, lang);
        else if (it->table.total_level)
            it->table.row_level = lang_word(lang, W_TOTAL);
    }
    return t;
}

void rd_translated_free(RenderDoc *t)
{
    free(t->error);
    free(t->items);
    arena_free(&t->arena);
    free(t);
}
