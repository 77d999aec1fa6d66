/* sheet.c -- renders a Sheet (report.h): rows of cells the caller has
 * already formatted, one kind per column, for statements, scorecards and
 * reviews.  Table and md output split it into one aligned table per value
 * of the group column (the period); CSV and JSON keep every row but the
 * totals in one table.  Like report.c it only lays out text: it never
 * formats or computes a number, and sanitises what a human reads.
 */
#include "render/render_int.h"

#include "base/term.h"

#include <stdlib.h>
#include <string.h>

static const char *sheet_style_on(int style)
{
    switch (style) {
    case STY_GREEN: return "\x1b[32m";
    case STY_AMBER: return "\x1b[33m";
    case STY_RED: return "\x1b[31m";
    case STY_MARK: return "\x1b[1m";
    default: return NULL;
    }
}

static const char *sheet_cell(const Sheet *s, size_t r, size_t c, bool plain)
{
    const char *v = (plain ? s->plain : s->text)[r * s->ncols + c];
    return v ? v : "";
}

/* Rows [from, to) of the sheet as one aligned text or md table. */
static void sheet_human(Buf *out, const Sheet *s, const OutOpts *o, size_t from, size_t to,
                        const char *group_value, const char *note)
{
    bool md = o->format == OUT_MD;
    Buf line = {0};
    if (s->title || group_value) { /* "TITLE — GROUP", or the group alone */
        if (md)
            buf_puts(&line, "### ");
        if (s->title)
            rp_put_clean(&line, s->title, md);
        if (s->title && group_value)
            buf_puts(&line, " — ");
        if (group_value)
            rp_put_clean(&line, group_value, md);
        rp_emit_line(out, &line, false);
    }
    if (s->heading) {
        rp_put_clean(&line, s->heading, md);
        rp_emit_line(out, &line, false);
    }
    if (md)
        buf_putc(out, '\n');
    size_t nc = s->ncols;
    int *w = xcalloc(nc, sizeof *w);
    for (size_t c = 0; c < nc; c++) {
        if ((int)c == s->group)
            continue;
        w[c] = term_text_width(s->heads[c]);
        for (size_t r = from; r < to; r++) {
            Buf cell = {0};
            rp_put_clean(&cell, sheet_cell(s, r, c, false), md);
            int cw = term_text_width(buf_cstr(&cell));
            w[c] = cw > w[c] ? cw : w[c];
            buf_free(&cell);
        }
    }
    for (long r = -1; r < (long)to; r = r < 0 ? (long)from : r + 1) {
        bool head = r < 0, total = !head && s->total && s->total[r];
        if (md)
            buf_putc(&line, '|');
        bool first = true;
        for (size_t c = 0; c < nc; c++) {
            if ((int)c == s->group)
                continue;
            const char *v = head ? s->heads[c] : sheet_cell(s, (size_t)r, c, false);
            Buf cell = {0};
            rp_put_clean(&cell, v, md);
            int pad = w[c] - term_text_width(buf_cstr(&cell));
            bool right = s->right && s->right[c];
            int sty = head || !s->style ? 0 : s->style[(size_t)r * nc + c];
            const char *on = o->color && !md ? sheet_style_on(sty) : NULL;
            if (md) {
                bool b = total && cell.len;
                buf_puts(&line, b ? " **" : " ");
                buf_puts(&line, buf_cstr(&cell));
                buf_puts(&line, b ? "** |" : " |");
            } else {
                if (!first)
                    buf_puts(&line, "  ");
                if (right)
                    rp_put_spaces(&line, pad);
                if (on)
                    buf_puts(&line, on);
                buf_puts(&line, buf_cstr(&cell));
                if (on)
                    buf_puts(&line, "\x1b[0m");
                if (!right && c + 1 < nc)
                    rp_put_spaces(&line, pad);
            }
            buf_free(&cell);
            first = false;
        }
        rp_emit_line(out, &line, head && o->color && !md);
        if (head) {
            if (md) {
                buf_putc(&line, '|');
                for (size_t c = 0; c < nc; c++)
                    if ((int)c != s->group)
                        buf_puts(&line, s->right && s->right[c] ? " ---: |" : " --- |");
            } else {
                int total_w = 0;
                bool f = true;
                for (size_t c = 0; c < nc; c++)
                    if ((int)c != s->group) {
                        total_w += w[c] + (f ? 0 : 2);
                        f = false;
                    }
                for (int i = 0; i < total_w; i++)
                    buf_putc(&line, '-');
            }
            rp_emit_line(out, &line, false);
        }
    }
    if (note) {
        if (md)
            buf_putc(out, '\n');
        rp_put_clean(&line, note, md);
        rp_emit_line(out, &line, false);
    }
    free(w);
    buf_free(&line);
}

static void sheet_csv(Buf *out, const Sheet *s)
{
    for (size_t c = 0; c < s->ncols; c++) {
        if (c)
            buf_putc(out, ',');
        rp_csv_field(out, s->heads[c]);
    }
    buf_putc(out, '\n');
    for (size_t r = 0; r < s->nrows; r++) {
        if (s->total && s->total[r])
            continue;
        for (size_t c = 0; c < s->ncols; c++) {
            if (c)
                buf_putc(out, ',');
            rp_csv_field(out, sheet_cell(s, r, c, true));
        }
        buf_putc(out, '\n');
    }
}

static void sheet_json(Buf *out, const Sheet *s)
{
    buf_puts(out, "{\"title\":");
    rp_json_str(out, s->title);
    buf_puts(out, ",\"columns\":[");
    for (size_t c = 0; c < s->ncols; c++) {
        if (c)
            buf_putc(out, ',');
        rp_json_str(out, s->heads[c]);
    }
    buf_puts(out, "],\"rows\":[");
    bool first = true;
    for (size_t r = 0; r < s->nrows; r++) {
        if (s->total && s->total[r])
            continue;
        buf_puts(out, first ? "{" : ",{");
        first = false;
        for (size_t c = 0; c < s->ncols; c++) {
            if (c)
                buf_putc(out, ',');
            rp_json_str(out, s->heads[c]);
            buf_putc(out, ':');
            const char *v = sheet_cell(s, r, c, true);
            if (s->json_num && s->json_num[c] && v[0])
                buf_puts(out, v);
            else if (s->json_num && s->json_num[c])
                buf_puts(out, "null");
            else
                rp_json_str(out, v);
        }
        buf_putc(out, '}');
    }
    buf_puts(out, "],\"note\":");
    rp_json_str(out, s->note);
    buf_putc(out, '}');
}

void report_sheet(Buf *out, const Sheet *s, const OutOpts *o, int index)
{
    if (index > 0)
        buf_puts(out, o->format == OUT_JSON ? "," : "\n");
    if (o->format == OUT_CSV) {
        sheet_csv(out, s);
        return;
    }
    if (o->format == OUT_JSON) {
        sheet_json(out, s);
        return;
    }
    if (s->group < 0 || s->nrows == 0) {
        sheet_human(out, s, o, 0, s->nrows, NULL, s->note);
        return;
    }
    size_t from = 0;
    int g = 0;
    while (from < s->nrows) {
        const char *v = sheet_cell(s, from, (size_t)s->group, false);
        size_t to = from + 1;
        while (to < s->nrows && strcmp(sheet_cell(s, to, (size_t)s->group, false), v) == 0)
            to++;
        if (from > 0)
            buf_putc(out, '\n');
        bool last = to == s->nrows;
        const char *note = s->notes ? s->notes[g] : NULL;
        sheet_human(out, s, o, from, to, v, note);
        if (last && s->note) {
            Buf line = {0};
            rp_put_clean(&line, s->note, o->format == OUT_MD);
            rp_emit_line(out, &line, false);
            buf_free(&line);
        }
        from = to;
        g++;
    }
}
