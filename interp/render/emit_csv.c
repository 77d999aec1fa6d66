/* emit_csv.c -- the csv format (SPEC §15): each item's logical grid as
 * RFC 4180 CSV, names (labels with --labels) and plain decimals in base
 * units, no total rows of sheets; items separated by a blank line; a
 * UTF-8 byte-order mark first when asked (--csv-bom, `bom = true`).
 * Never a colour.
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
        if (cells[c].plain) /* a number: never quoted, never a formula */
            buf_puts(co->out, cells[c].text);
        else
            rd_csv_field(co->out, cells[c].text, co->raw);
    }
    buf_putc(co->out, '\n');
}

void emit_csv(const RenderDoc *d, Buf *out)
{
    CsvOut co = {out, d->opts.csv_raw_text};
    int shown = 0;
    if (d->opts.bom) /* asked for: Excel reads the file as UTF-8 only with it */
        buf_puts(out, "\xEF\xBB\xBF");
    for (size_t i = 0; i < d->nitems; i++) {
        if (!rd_item_shown(&d->items[i], RENDER_FLAT))
            continue;
        if (shown++ > 0)
            buf_putc(out, '\n');
        rd_item_rows(&d->items[i], false, csv_row, &co);
    }
}
