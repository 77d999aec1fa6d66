/* emit_json.c -- the json format: one array of the document's items.  A
 * table is an object with its metric, levels, columns, rows (name, label,
 * cells, total) and totals; a sheet an object with its title, columns,
 * rows as records (every row but the totals) and note.  Names and plain
 * decimals, never a display unit or a colour. */
#include "render/render_int.h"

/* ---- tables ---------------------------------------------------------------------------- */

static const char *kind_name(ValueKind k)
{
    switch (k) {
    case VAL_MONEY:
        return "money";
    case VAL_COUNT:
        return "count";
    case VAL_PERCENT:
        return "percent";
    case VAL_SCORE:
        return "score";
    }
    return "money";
}

/* A number of column j (ncols: the total column) as written in JSON:
 * plain, base units, the column's decimals; or null. */
static void json_num(Buf *out, const Table *t, const Num *x, size_t j)
{
    char buf[NUM_BUFSZ];
    buf_puts(out, x ? vf_fixed(*x, rd_col_decimals(t, j), false, buf) : "null");
}

static void json_row(Buf *out, const Table *t, size_t i)
{
    buf_puts(out, i > 0 ? ",{\"name\":" : "{\"name\":");
    rd_json_str(out, rd_row_name(t, i));
    buf_puts(out, ",\"label\":");
    rd_json_str(out, t->row_labels ? t->row_labels[i] : NULL);
    buf_puts(out, ",\"cells\":[");
    for (size_t j = 0; j < t->ncols; j++) {
        if (j > 0)
            buf_putc(out, ',');
        json_num(out, t, rd_cell(t, i, j), j);
    }
    buf_puts(out, "],\"total\":");
    json_num(out, t, rd_row_total(t, i), t->ncols);
    buf_putc(out, '}');
}

static void json_totals(Buf *out, const Table *t)
{
    if (!rd_has_total_row(t) && !t->grand_total) {
        buf_puts(out, "null");
        return;
    }
    buf_puts(out, "{\"cells\":[");
    for (size_t j = 0; rd_has_total_row(t) && j < t->ncols; j++) {
        if (j > 0)
            buf_putc(out, ',');
        json_num(out, t, rd_total_cell(t, j), j);
    }
    buf_puts(out, "],\"total\":");
    json_num(out, t, rd_grand_total(t), t->ncols);
    buf_putc(out, '}');
}

static void json_table(Buf *out, const Table *t)
{
    const char *keys[] = {"{\"title\":", ",\"metric\":",    ",\"label\":",
                          ",\"kind\":",  ",\"row_level\":", ",\"col_level\":"};
    const char *vals[] = {t->title,           t->metric,    t->metric_label,
                          kind_name(t->kind), t->row_level, t->col_level};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        buf_puts(out, keys[k]);
        rd_json_str(out, vals[k]);
    }
    buf_puts(out, ",\"columns\":[");
    for (size_t j = 0; j < t->ncols; j++) {
        if (j > 0)
            buf_putc(out, ',');
        rd_json_str(out, rd_col_name(t, j));
    }
    for (size_t j = 0; t->col_kinds && j < t->ncols; j++) /* metrics side by side */
        buf_printf(out, "%s\"%s\"", j ? "," : "],\"kinds\":[", kind_name(t->col_kinds[j]));
    buf_puts(out, "],\"rows\":[");
    for (size_t i = 0; i < t->nrows; i++)
        json_row(out, t, i);
    buf_puts(out, "],\"totals\":");
    json_totals(out, t);
    buf_puts(out, ",\"note\":");
    rd_json_str(out, t->note);
    buf_putc(out, '}');
}

/* ---- sheets ---------------------------------------------------------------------------- */

/* Row r as a record: "HEAD":value for each column JSON shows. */
static void json_record(Buf *out, const Sheet *s, size_t r)
{
    bool first = true;
    buf_putc(out, '{');
    for (size_t c = 0; c < s->ncols; c++) {
        if (!rd_col_shown(s, c, RENDER_RECORDS))
            continue;
        if (!first)
            buf_putc(out, ',');
        first = false;
        rd_json_str(out, s->heads[c]);
        buf_putc(out, ':');
        const char *v = s->plain[r * s->ncols + c];
        bool num = s->json_num && s->json_num[c];
        if (num)
            buf_puts(out, v && v[0] ? v : "null");
        else
            rd_json_str(out, v ? v : "");
    }
    buf_putc(out, '}');
}

static void json_sheet(Buf *out, const Sheet *s)
{
    buf_puts(out, "{\"title\":");
    rd_json_str(out, s->title);
    buf_puts(out, ",\"columns\":[");
    bool first = true;
    for (size_t c = 0; c < s->ncols; c++)
        if (rd_col_shown(s, c, RENDER_RECORDS)) {
            buf_puts(out, first ? "" : ",");
            rd_json_str(out, s->heads[c]);
            first = false;
        }
    buf_puts(out, "],\"rows\":[");
    first = true;
    for (size_t r = 0; r < s->nrows; r++) {
        if (s->total && s->total[r])
            continue;
        buf_puts(out, first ? "" : ",");
        json_record(out, s, r);
        first = false;
    }
    buf_puts(out, "],\"note\":");
    rd_json_str(out, s->note);
    buf_putc(out, '}');
}

void emit_json(const RenderDoc *d, Buf *out)
{
    buf_putc(out, '[');
    int shown = 0;
    for (size_t i = 0; i < d->nitems; i++) {
        const RenderItem *it = &d->items[i];
        if (!rd_item_shown(it, RENDER_RECORDS))
            continue;
        if (shown++ > 0)
            buf_putc(out, ',');
        if (it->kind == RI_TABLE)
            json_table(out, &it->table);
        else
            json_sheet(out, &it->sheet);
    }
    buf_puts(out, "]\n");
}
