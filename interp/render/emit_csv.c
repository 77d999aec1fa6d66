/* emit_csv.c -- the csv format (SPEC §15): each item's logical grid as
 * RFC 4180 CSV, names and plain decimals in base units, no total rows of
 * sheets; items separated by a blank line.  Never a label or a colour. */
#include "render/render_int.h"

static void csv_grid(Buf *out, const RenderGrid *g)
{
    for (size_t c = 0; c < g->ncols; c++) {
        if (c)
            buf_putc(out, ',');
        rd_csv_field(out, g->heads[c]);
    }
    buf_putc(out, '\n');
    for (size_t r = 0; r < g->nrows; r++) {
        for (size_t c = 0; c < g->ncols; c++) {
            if (c)
                buf_putc(out, ',');
            rd_csv_field(out, g->cells[r * g->ncols + c].text);
        }
        buf_putc(out, '\n');
    }
}

void emit_csv(const RenderDoc *d, Buf *out)
{
    int shown = 0;
    for (size_t i = 0; i < d->nitems; i++) {
        if (!rd_item_shown(&d->items[i], RENDER_FLAT))
            continue;
        if (shown++ > 0)
            buf_putc(out, '\n');
        RenderGrid *g = rd_item_grid(&d->items[i], false);
        csv_grid(out, g);
        rgrid_unref(g);
    }
}
