/* emit_table.c -- the table format: aligned text for a terminal.  Tables
 * and sheets as people read them (labels, the display unit, total rows,
 * one table per period of a sheet), columns padded by display width, the
 * header bold and sheet cells coloured when the options ask for colour. */
#include "render/render_int.h"

#include <stdlib.h>

#include "base/term.h"

/* ---- tables ---------------------------------------------------------------------------- */

static void text_row(Buf *out, Buf *line, const ShownTable *g, size_t r, const int *w, bool bold)
{
    for (size_t c = 0; c < g->nc; c++) {
        const char *s = rd_shown(g, r, c);
        int pad = w[c] - term_text_width(s);
        if (c > 0) {
            buf_puts(line, "  ");
            rd_put_spaces(line, pad);
        }
        buf_puts(line, s);
        if (c == 0 && g->nc > 1)
            rd_put_spaces(line, pad);
    }
    rd_emit_line(out, line, bold);
}

/* Column widths of the shown table; *total: the width of a whole line. */
static int *shown_widths(const ShownTable *g, int *total)
{
    int *w = xcalloc(g->nc, sizeof *w);
    *total = 0;
    for (size_t c = 0; c < g->nc; c++) {
        for (size_t r = 0; r < g->nr; r++) {
            int cw = term_text_width(rd_shown(g, r, c));
            w[c] = cw > w[c] ? cw : w[c];
        }
        *total += w[c] + (c > 0 ? 2 : 0);
    }
    return w;
}

static void emit_one_table(Buf *out, const Table *t, const RenderOpts *o)
{
    Buf line = {0};
    if (t->title) {
        rd_put_clean(&line, t->title, false);
        rd_emit_line(out, &line, false);
    }
    rd_metric_heading(&line, t, o, false);
    rd_emit_line(out, &line, false);
    ShownTable g;
    rd_shown_build(&g, t, o);
    int total, *w = shown_widths(&g, &total);
    text_row(out, &line, &g, 0, w, o->color);
    for (int i = 0; i < total; i++)
        buf_putc(&line, '-');
    rd_emit_line(out, &line, false);
    for (size_t r = 1; r < g.nr; r++)
        text_row(out, &line, &g, r, w, false);
    if (t->note) {
        rd_put_clean(&line, t->note, false);
        rd_emit_line(out, &line, false);
    }
    free(w);
    rd_shown_free(&g);
    buf_free(&line);
}

/* ---- sheets ---------------------------------------------------------------------------- */

static const char *style_on(int style)
{
    switch (style) {
    case STY_GREEN:
        return "\x1b[32m";
    case STY_AMBER:
        return "\x1b[33m";
    case STY_RED:
        return "\x1b[31m";
    case STY_MARK:
        return "\x1b[1m";
    default:
        return NULL;
    }
}

/* Widths of the columns people see: their heads and sanitised cells. */
static int *part_widths(const SheetPart *p)
{
    const Sheet *s = p->s;
    int *w = xcalloc(s->ncols + 1, sizeof *w);
    for (size_t c = 0; c < s->ncols; c++) {
        if (!rd_people_col(s, c))
            continue;
        w[c] = term_text_width(s->heads[c]);
        for (size_t r = p->from; r < p->to; r++) {
            Buf cell = {0};
            rd_put_clean(&cell, rd_sheet_text(s, r, c), false);
            int cw = term_text_width(buf_cstr(&cell));
            w[c] = cw > w[c] ? cw : w[c];
            buf_free(&cell);
        }
    }
    return w;
}

/* One cell of a sheet line: padded to width w, right-aligned or not,
 * coloured with `on` (or not). */
static void put_cell(Buf *line, const char *v, int w, bool right, bool last, const char *on)
{
    Buf cell = {0};
    rd_put_clean(&cell, v, false);
    int pad = w - term_text_width(buf_cstr(&cell));
    if (right)
        rd_put_spaces(line, pad);
    if (on)
        buf_puts(line, on);
    buf_puts(line, buf_cstr(&cell));
    if (on)
        buf_puts(line, "\x1b[0m");
    if (!right && !last)
        rd_put_spaces(line, pad);
    buf_free(&cell);
}

/* Row r of the sheet (r < 0: the head row) as one line. */
static void sheet_line(Buf *out, const SheetPart *p, long r, const int *w, const RenderOpts *o)
{
    const Sheet *s = p->s;
    Buf line = {0};
    bool first = true;
    for (size_t c = 0; c < s->ncols; c++) {
        if (!rd_people_col(s, c))
            continue;
        const char *v = r < 0 ? s->heads[c] : rd_sheet_text(s, (size_t)r, c);
        int sty = r < 0 || !s->style ? 0 : s->style[(size_t)r * s->ncols + c];
        if (!first)
            buf_puts(&line, "  ");
        put_cell(&line, v, w[c], s->right && s->right[c], c + 1 == s->ncols,
                 o->color ? style_on(sty) : NULL);
        first = false;
    }
    rd_emit_line(out, &line, r < 0 && o->color);
    buf_free(&line);
}

/* The dashes under the head row: as wide as the columns people see. */
static void sheet_rule(Buf *out, const Sheet *s, const int *w)
{
    Buf line = {0};
    int total = 0;
    bool first = true;
    for (size_t c = 0; c < s->ncols; c++)
        if (rd_people_col(s, c)) {
            total += w[c] + (first ? 0 : 2);
            first = false;
        }
    for (int i = 0; i < total; i++)
        buf_putc(&line, '-');
    rd_emit_line(out, &line, false);
    buf_free(&line);
}

static void sheet_part(Buf *out, const SheetPart *p, const RenderOpts *o)
{
    rd_sheet_title(out, p, false);
    int *w = part_widths(p);
    sheet_line(out, p, -1, w, o);
    sheet_rule(out, p->s, w);
    for (size_t r = p->from; r < p->to; r++)
        sheet_line(out, p, (long)r, w, o);
    if (p->note) {
        Buf line = {0};
        rd_put_clean(&line, p->note, false);
        rd_emit_line(out, &line, false);
        buf_free(&line);
    }
    free(w);
}

void emit_table(const RenderDoc *d, Buf *out)
{
    if (d->caption) {
        rd_put_clean(out, d->caption, false);
        buf_puts(out, "\n\n");
    }
    int shown = 0;
    for (size_t i = 0; i < d->nitems; i++) {
        const RenderItem *it = &d->items[i];
        if (!rd_item_shown(it, RENDER_PEOPLE))
            continue;
        if (shown++ > 0)
            buf_putc(out, '\n');
        if (it->kind == RI_TABLE)
            emit_one_table(out, &it->table, &d->opts);
        else
            rd_sheet_parts(out, &it->sheet, &d->opts, false, sheet_part);
    }
}
