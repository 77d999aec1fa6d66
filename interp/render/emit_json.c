/* emit_json.c -- the json format: one array of the document's items.  A
 * table is an object with its metric, levels, columns, rows (name, label,
 * cells, total) and totals; a sheet an object with its title, columns,
 * rows as records (every row but the totals) and note.  Names and plain
 * decimals, never a display unit or a colour.  With --labels, members
 * are written by their labels where a name would be (a row's name, the
 * columns of a two-level table, the member cells of a sheet), except a
 * label two members of that column share. */
#include "render/render_int.h"

#include <stdlib.h>

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

/* Row i; rows (--labels): the labels rows share, or NULL: names. */
static void json_row(Buf *out, const Table *t, size_t i, const StrMap *rows)
{
    buf_puts(out, i > 0 ? ",{\"name\":" : "{\"name\":");
    const char *label = t->row_labels ? t->row_labels[i] : NULL;
    rd_json_str(out, rows ? rd_member_key(rows, label, rd_row_name(t, i)) : rd_row_name(t, i));
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

/* The columns: the metric, or each column's member (labels: by label). */
static void json_columns(Buf *out, const Table *t, bool labels)
{
    StrMap cols = {0};
    bool by_label = labels && rd_cols_are_members(t);
    if (by_label)
        rd_shared_labels(&cols, t->col_labels, t->col_names, t->ncols, 1);
    for (size_t j = 0; j < t->ncols; j++) {
        if (j > 0)
            buf_putc(out, ',');
        const char *name = rd_col_name(t, j);
        rd_json_str(out, by_label ? rd_member_key(&cols, t->col_labels[j], name) : name);
    }
    strmap_free(&cols);
}

static void json_table(Buf *out, const Table *t, bool labels)
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
    json_columns(out, t, labels);
    for (size_t j = 0; t->col_kinds && j < t->ncols; j++) /* metrics side by side */
        buf_printf(out, "%s\"%s\"", j ? "," : "],\"kinds\":[", kind_name(t->col_kinds[j]));
    buf_puts(out, "],\"rows\":[");
    StrMap rows = {0};
    if (labels)
        rd_shared_labels(&rows, t->row_labels, t->row_names, t->nrows, 1);
    for (size_t i = 0; i < t->nrows; i++)
        json_row(out, t, i, labels ? &rows : NULL);
    strmap_free(&rows);
    buf_puts(out, "],\"totals\":");
    json_totals(out, t);
    buf_puts(out, ",\"note\":");
    rd_json_str(out, t->note);
    buf_putc(out, '}');
}

/* ---- sheets ---------------------------------------------------------------------------- */

/* Row r as a record: "HEAD":value for each column JSON shows; shared
 * (--labels: one map per column), member cells by their labels. */
static void json_record(Buf *out, const Sheet *s, size_t r, const StrMap *shared)
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
        if (shared && s->label[r * s->ncols + c])
            v = rd_member_key(&shared[c], s->label[r * s->ncols + c], v);
        bool num = s->json_num && s->json_num[c];
        if (num)
            buf_puts(out, v && v[0] ? v : "null");
        else
            rd_json_str(out, v ? v : "");
    }
    buf_putc(out, '}');
}

static void json_sheet(Buf *out, const Sheet *s, bool labels)
{
    size_t *cols = xcalloc(s->ncols + 1, sizeof *cols);
    for (size_t c = 0; c < s->ncols; c++)
        cols[c] = c;
    StrMap *shared = labels && s->label ? rd_sheet_shared(s, cols, s->ncols) : NULL;
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
        json_record(out, s, r, shared);
        first = false;
    }
    buf_puts(out, "],\"note\":");
    rd_json_str(out, s->note);
    buf_putc(out, '}');
    rd_sheet_shared_free(shared, s->ncols);
    free(cols);
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
            json_table(out, &it->table, it->labels);
        else
            json_sheet(out, &it->sheet, it->labels);
    }
    buf_puts(out, "]\n");
}
