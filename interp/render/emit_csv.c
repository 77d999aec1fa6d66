/* emit_csv.c -- the csv format (SPEC §15): each item's logical grid as
 * RFC 4180 CSV, names and plain decimals in base units, no total rows of
 * sheets; items separated by a blank line.  Never a label or a colour.
 * Text cells are made safe for spreadsheets (rd_csv_field) unless the
 * options ask for them raw. */
#include "render/render_int.h"

typedef struct {
    Buf *out;
    bool raw; /* --csv-raw-text: text cells as they are */
} CsvOut;

/* One row of a grid as a CSV record. */
static void csv_row(void *ctx, const RenderCell *cells, size_t n, bool head)
{
    CsvOut *co = ctx;
    (void)head;
    for (size_t c = 0; c < n; c++) {
        if (c)
            buf_putc(co->out, ',');
        rd_csv_field(co->out, cells[c].text, co->raw);
    }
    buf_putc(co->out, '\n');
}

void emit_csv(const RenderDoc *d, Buf *out)
{
    CsvOut co = {out, d->opts.csv_raw_text};
    int shown = 0;
    for (size_t i = 0; i < d->nitems; i++) {
        if (!rd_item_shown(&d->items[i], RENDER_FLAT))
            continue;
        if (shown++ > 0)
            buf_putc(out, '\n');
        rd_item_rows(&d->items[i], false, csv_row, &co);
    }
}
