/* emit_md.c -- the md format: Markdown for pull-request comments.  Tables
 * and sheets as people read them (labels, the display unit, total rows in
 * bold, one table per period of a sheet); text is escaped so that it can
 * neither end a cell nor start emphasis, code or HTML.  Never colour. */
#include "render/render_int.h"

/* ---- tables ---------------------------------------------------------------------------- */

static void md_row(Buf *out, Buf *line, const ShownTable *g, size_t r, bool bold)
{
    buf_putc(line, '|');
    for (size_t c = 0; c < g->nc; c++) {
        const char *s = rd_shown(g, r, c);
        bool b = bold && s[0];
        buf_puts(line, b ? " **" : " ");
        rd_put_clean(line, s, true);
        buf_puts(line, b ? "** |" : " |");
    }
    rd_emit_line(out, line, false);
}

static void md_table(Buf *out, const Table *t, const RenderOpts *o)
{
    Buf line = {0};
    if (t->title) {
        buf_puts(&line, "### ");
        rd_put_clean(&line, t->title, true);
        rd_emit_line(out, &line, false);
    }
    rd_metric_heading(&line, t, o, true);
    rd_emit_line(out, &line, false);
    buf_putc(out, '\n');
    ShownTable g;
    rd_shown_build(&g, t, o);
    md_row(out, &line, &g, 0, false);
    buf_putc(&line, '|');
    for (size_t c = 0; c < g.nc; c++)
        buf_puts(&line, c == 0 ? " --- |" : " ---: |");
    rd_emit_line(out, &line, false);
    for (size_t r = 1; r < g.nr; r++)
        md_row(out, &line, &g, r, g.total_row && r == g.nr - 1);
    if (t->note) {
        buf_putc(out, '\n');
        rd_put_clean(&line, t->note, true);
        rd_emit_line(out, &line, false);
    }
    rd_shown_free(&g);
    buf_free(&line);
}

/* ---- sheets ---------------------------------------------------------------------------- */

/* Row r of the sheet (r < 0: the head row); a total row's cells in bold. */
static void md_sheet_row(Buf *out, const Sheet *s, long r)
{
    bool total = r >= 0 && s->total && s->total[r];
    Buf line = {0}, cell = {0};
    buf_putc(&line, '|');
    for (size_t c = 0; c < s->ncols; c++) {
        if (!rd_people_col(s, c))
            continue;
        rd_put_clean(&cell, r < 0 ? s->heads[c] : rd_sheet_text(s, (size_t)r, c), true);
        bool b = total && cell.len;
        buf_puts(&line, b ? " **" : " ");
        if (cell.len)
            buf_put(&line, cell.data, cell.len);
        buf_puts(&line, b ? "** |" : " |");
        cell.len = 0;
    }
    rd_emit_line(out, &line, false);
    buf_free(&cell);
    buf_free(&line);
}

static void md_sheet_part(Buf *out, const SheetPart *p, const RenderOpts *o)
{
    (void)o;
    const Sheet *s = p->s;
    rd_sheet_title(out, p, true);
    buf_putc(out, '\n');
    md_sheet_row(out, s, -1);
    Buf line = {0};
    buf_putc(&line, '|');
    for (size_t c = 0; c < s->ncols; c++)
        if (rd_people_col(s, c))
            buf_puts(&line, s->right && s->right[c] ? " ---: |" : " --- |");
    rd_emit_line(out, &line, false);
    for (size_t r = p->from; r < p->to; r++)
        md_sheet_row(out, s, (long)r);
    if (p->note) {
        buf_putc(out, '\n');
        rd_put_clean(&line, p->note, true);
        rd_emit_line(out, &line, false);
    }
    buf_free(&line);
}

void emit_md(const RenderDoc *d, Buf *out)
{
    if (d->caption) {
        buf_puts(out, "**");
        rd_put_clean(out, d->caption, true);
        buf_puts(out, "**\n\n");
    }
    int shown = 0;
    for (size_t i = 0; i < d->nitems; i++) {
        const RenderItem *it = &d->items[i];
        if (!rd_item_shown(it, RENDER_PEOPLE))
            continue;
        if (shown++ > 0)
            buf_putc(out, '\n');
        if (it->kind == RI_TABLE)
            md_table(out, &it->table, &d->opts);
        else
            rd_sheet_parts(out, &it->sheet, &d->opts, true, md_sheet_part);
    }
}
