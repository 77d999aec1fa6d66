/* people.c -- what people read, shared by the table and md emitters: the
 * metric heading and the display strings of a Table, and the parts of a
 * Sheet (one per period), their titles and columns.  Numbers are shown by
 * the value formatter (base/valfmt.h) in the display unit; nothing is
 * computed here. */
#include "render/render_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- tables ---------------------------------------------------------------------------- */

void rd_metric_heading(Buf *b, const Table *t, const RenderOpts *o, bool md)
{
    if (md)
        buf_puts(b, "**");
    rd_put_clean(b, t->metric, md);
    if (t->metric_label) {
        buf_putc(b, ' ');
        rd_put_clean(b, t->metric_label, md);
    }
    if (md)
        buf_puts(b, "**");
    bool unit = t->kind == VAL_MONEY && vf_unit_exp(o->unit) > 0;
    bool cur = t->kind == VAL_MONEY && o->currency && o->currency[0];
    if (!unit && !cur)
        return;
    buf_puts(b, " (");
    if (unit)
        rd_put_clean(b, o->unit, md);
    if (unit && cur)
        buf_putc(b, ' ');
    if (cur)
        rd_put_clean(b, o->currency, md);
    buf_putc(b, ')');
}

static char *dup_clean(const char *s)
{
    Buf b = {0};
    rd_put_clean(&b, s, false);
    char *r = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return r;
}

static char **shown_at(ShownTable *g, size_t r, size_t c)
{
    return &g->cells[r * g->nc + c];
}

const char *rd_shown(const ShownTable *g, size_t r, size_t c)
{
    return g->cells[r * g->nc + c];
}

/* A number as people read it ("" for a cell not given). */
static char *num_cell(const Table *t, const RenderOpts *o, const Num *x, size_t j)
{
    char buf[VF_BUFSZ];
    return xstrdup(x ? vf_display(*x, rd_col_kind(t, j), o->unit, buf) : t->na ? "n/a" : "");
}

/* Row r of the shown table: the label, the cells, the total column. */
static void shown_row(ShownTable *g, const Table *t, const RenderOpts *o, size_t i)
{
    *shown_at(g, 1 + i, 0) = dup_clean(rd_row_label(t, i));
    for (size_t j = 0; j < t->ncols; j++)
        *shown_at(g, 1 + i, 1 + j) = num_cell(t, o, rd_cell(t, i, j), j);
    if (rd_has_total_col(t))
        *shown_at(g, 1 + i, g->nc - 1) = num_cell(t, o, rd_row_total(t, i), t->ncols);
}

static void shown_total_row(ShownTable *g, const Table *t, const RenderOpts *o)
{
    size_t r = g->nr - 1;
    *shown_at(g, r, 0) = xstrdup(lang_word(o->lang, W_TOTAL));
    for (size_t j = 0; j < t->ncols; j++)
        *shown_at(g, r, 1 + j) = num_cell(t, o, rd_total_cell(t, j), j);
    if (rd_has_total_col(t))
        *shown_at(g, r, g->nc - 1) = num_cell(t, o, rd_corner_cell(t), t->ncols);
}

void rd_shown_build(ShownTable *g, const Table *t, const RenderOpts *o)
{
    bool tc = rd_has_total_col(t);
    g->total_row = rd_has_total_row(t);
    g->nc = 1 + t->ncols + (tc ? 1 : 0);
    g->nr = 1 + t->nrows + (g->total_row ? 1 : 0);
    g->cells = xcalloc(g->nr * g->nc, sizeof *g->cells);
    *shown_at(g, 0, 0) = dup_clean(t->row_level);
    for (size_t j = 0; j < t->ncols; j++)
        *shown_at(g, 0, 1 + j) = dup_clean(rd_col_label(t, j));
    if (tc)
        *shown_at(g, 0, g->nc - 1) = xstrdup(lang_word(o->lang, W_TOTAL));
    for (size_t i = 0; i < t->nrows; i++)
        shown_row(g, t, o, i);
    if (g->total_row)
        shown_total_row(g, t, o);
}

void rd_shown_free(ShownTable *g)
{
    for (size_t i = 0; i < g->nr * g->nc; i++)
        free(g->cells[i]);
    free(g->cells);
}

/* ---- sheets ---------------------------------------------------------------------------- */

const char *rd_sheet_text(const Sheet *s, size_t r, size_t c)
{
    const char *v = s->text[r * s->ncols + c];
    return v ? v : "";
}

bool rd_people_col(const Sheet *s, size_t c)
{
    return (int)c != s->group && rd_col_shown(s, c, RENDER_PEOPLE);
}

void rd_sheet_title(Buf *out, const SheetPart *p, bool md)
{
    Buf line = {0};
    const Sheet *s = p->s;
    if (s->title || p->group_value) { /* "TITLE — GROUP", or the group alone */
        if (md)
            buf_puts(&line, "### ");
        if (s->title)
            rd_put_clean(&line, s->title, md);
        if (s->title && p->group_value)
            buf_puts(&line, " — ");
        if (p->group_value)
            rd_put_clean(&line, p->group_value, md);
        rd_emit_line(out, &line, false);
    }
    if (s->heading) {
        rd_put_clean(&line, s->heading, md);
        rd_emit_line(out, &line, false);
    }
    buf_free(&line);
}

/* The first row after `from` whose group value differs. */
static size_t group_end(const Sheet *s, size_t from)
{
    const char *v = rd_sheet_text(s, from, (size_t)s->group);
    size_t to = from + 1;
    while (to < s->nrows && strcmp(rd_sheet_text(s, to, (size_t)s->group), v) == 0)
        to++;
    return to;
}

void rd_sheet_parts(Buf *out, const Sheet *s, const RenderOpts *o, bool md, SheetPartFn *part)
{
    if (s->group < 0 || s->nrows == 0) {
        part(out, &(SheetPart){s, 0, s->nrows, NULL, s->note}, o);
        return;
    }
    int g = 0;
    for (size_t from = 0, to; from < s->nrows; from = to, g++) {
        to = group_end(s, from);
        if (from > 0)
            buf_putc(out, '\n');
        const char *v = rd_sheet_text(s, from, (size_t)s->group);
        part(out, &(SheetPart){s, from, to, v, s->notes ? s->notes[g] : NULL}, o);
        if (to == s->nrows && s->note) {
            Buf line = {0};
            rd_put_clean(&line, s->note, md);
            rd_emit_line(out, &line, false);
            buf_free(&line);
        }
    }
}
