/* report.c -- renders a Table as aligned text, CSV, JSON or Markdown, and
 * writes output files atomically.
 *
 * It only formats: it never computes or adjusts a number (the caller passes
 * the totals it shows, SPEC §8), never uses floating point, and never reads
 * a clock or the environment, so the same Table gives the same bytes.
 * Human formats (table, md) show labels and money in the display unit
 * (rounded half-up to 2 decimals; an unknown unit counts as 1 and is not
 * shown); machine formats (CSV, JSON) show names and plain decimals in base
 * units with t->decimals.  A one-level table has no total column; its total
 * line shows the grand total (or col_totals[0]).  Text shown to a human is
 * sanitised: tabs and line ends become spaces, other control characters
 * '?', invalid UTF-8 U+FFFD; md also escapes \ | * ` and <.  Sheets
 * (report_sheet) are rendered by sheet.c with the helpers of report_int.h.
 */
#include "render/render_int.h"

#include "base/term.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utf8proc.h>

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */
#define BOLD_ON "\033[1m"
#define BOLD_OFF "\033[0m"

/* ---- text ---------------------------------------------------------------- */

/* Decodes the code point at s[i..n); returns its length, or 0 when the byte
 * at s[i] does not start a valid sequence. */
static size_t next_cp(const char *s, size_t i, size_t n, utf8proc_int32_t *c)
{
    utf8proc_ssize_t k =
        utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), c);
    return k > 0 ? (size_t)k : 0;
}

/* Appends s for a human reader: tabs and line ends become spaces, other
 * control characters '?', invalid bytes U+FFFD.  With md, also escapes the
 * characters that would end a Markdown table cell or start emphasis, code
 * or HTML. */
void rp_put_clean(Buf *b, const char *s, bool md)
{
    size_t n = s ? strlen(s) : 0, i = 0;
    while (i < n) {
        utf8proc_int32_t c;
        size_t k = next_cp(s, i, n, &c);
        if (k == 0) {
            buf_puts(b, REPLACEMENT);
            i++;
            continue;
        }
        if (c == '\t' || c == '\n' || c == '\r')
            buf_putc(b, ' ');
        else if (c < 0x20 || (c >= 0x7f && c < 0xa0))
            buf_putc(b, '?');
        else if (md && c < 0x80 && strchr("\\|*`<", (int)c)) {
            buf_putc(b, '\\');
            buf_putc(b, (char)c);
        } else
            buf_put(b, s + i, k);
        i += k;
    }
}

static char *dup_clean(const char *s)
{
    Buf b = {0};
    rp_put_clean(&b, s, false);
    char *r = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return r;
}

/* Appends line to out without trailing spaces, optionally bold, then '\n';
 * empties line. */
void rp_emit_line(Buf *out, Buf *line, bool bold)
{
    size_t n = line->len;
    while (n > 0 && line->data[n - 1] == ' ')
        n--;
    if (bold && n > 0)
        buf_puts(out, BOLD_ON);
    if (n > 0)
        buf_put(out, line->data, n);
    if (bold && n > 0)
        buf_puts(out, BOLD_OFF);
    buf_putc(out, '\n');
    line->len = 0;
}

void rp_put_spaces(Buf *b, int n)
{
    for (int i = 0; i < n; i++)
        buf_putc(b, ' ');
}

/* ---- table shape ---------------------------------------------------------- */

static bool one_level(const Table *t)
{
    return t->col_level == NULL;
}

/* A total column exists only for two-level tables with row totals. */
static bool has_total_col(const Table *t)
{
    return !one_level(t) && t->row_totals;
}

/* A one-level table's total line shows the grand total (or the column
 * total when the grand total is not given). */
static bool has_total_row(const Table *t)
{
    return t->col_totals || (one_level(t) && t->grand_total);
}

/* The total row's cell for column j, or NULL when it is not given. */
static const Num *total_cell(const Table *t, size_t j)
{
    if (t->col_totals)
        return &t->col_totals[j];
    return one_level(t) ? t->grand_total : NULL;
}

static const Num *corner_cell(const Table *t)
{
    if (one_level(t))
        return t->grand_total ? t->grand_total : t->col_totals ? &t->col_totals[0] : NULL;
    return t->grand_total;
}

static const Num *cell(const Table *t, size_t i, size_t j)
{
    return &t->cells[i * t->ncols + j];
}

static const char *row_name(const Table *t, size_t i)
{
    return t->row_names && t->row_names[i] ? t->row_names[i] : "";
}

static const char *row_label(const Table *t, size_t i)
{
    return t->row_labels && t->row_labels[i] ? t->row_labels[i] : row_name(t, i);
}

/* Column j's name; a one-level table's single column is the metric. */
static const char *col_name(const Table *t, size_t j)
{
    if (!one_level(t) && t->col_names && t->col_names[j])
        return t->col_names[j];
    return t->metric ? t->metric : "";
}

static const char *col_label(const Table *t, size_t j)
{
    if (one_level(t))
        return t->metric_label ? t->metric_label : col_name(t, j);
    return t->col_labels && t->col_labels[j] ? t->col_labels[j] : col_name(t, j);
}

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

/* ---- numbers -------------------------------------------------------------- */

/* A number as shown in table and md output. */
static char *fmt_display(const Table *t, const OutOpts *o, Num x, char *buf)
{
    return vf_display(x, t->kind, o->unit, buf);
}

/* A number as written in CSV and JSON: plain, base units, t->decimals. */
static void put_plain(Buf *out, const Table *t, Num x)
{
    char buf[NUM_BUFSZ];
    buf_puts(out, num_fmt(x, t->decimals, false, buf));
}

/* ---- grid of display strings (table and md) -------------------------------- */

typedef struct {
    size_t nr, nc;  /* rows with header and total row; columns with the label column */
    char **cells;   /* nr * nc, malloc'd, sanitised but not md-escaped */
    bool total_row; /* the last row is the total row */
} Grid;

static char **gcell(Grid *g, size_t r, size_t c)
{
    return &g->cells[r * g->nc + c];
}

static char *num_cell(const Table *t, const OutOpts *o, const Num *x)
{
    char buf[VF_BUFSZ];
    return xstrdup(x ? fmt_display(t, o, *x, buf) : "");
}

static void grid_build(Grid *g, const Table *t, const OutOpts *o)
{
    bool tc = has_total_col(t);
    g->total_row = has_total_row(t);
    g->nc = 1 + t->ncols + (tc ? 1 : 0);
    g->nr = 1 + t->nrows + (g->total_row ? 1 : 0);
    g->cells = xcalloc(g->nr * g->nc, sizeof *g->cells);
    *gcell(g, 0, 0) = dup_clean(t->row_level);
    for (size_t j = 0; j < t->ncols; j++)
        *gcell(g, 0, 1 + j) = dup_clean(col_label(t, j));
    if (tc)
        *gcell(g, 0, g->nc - 1) = xstrdup("total");
    for (size_t i = 0; i < t->nrows; i++) {
        *gcell(g, 1 + i, 0) = dup_clean(row_label(t, i));
        for (size_t j = 0; j < t->ncols; j++)
            *gcell(g, 1 + i, 1 + j) = num_cell(t, o, cell(t, i, j));
        if (tc)
            *gcell(g, 1 + i, g->nc - 1) = num_cell(t, o, &t->row_totals[i]);
    }
    if (!g->total_row)
        return;
    size_t r = g->nr - 1;
    *gcell(g, r, 0) = xstrdup("total");
    for (size_t j = 0; j < t->ncols; j++)
        *gcell(g, r, 1 + j) = num_cell(t, o, total_cell(t, j));
    if (tc)
        *gcell(g, r, g->nc - 1) = num_cell(t, o, corner_cell(t));
}

static void grid_free(Grid *g)
{
    for (size_t i = 0; i < g->nr * g->nc; i++)
        free(g->cells[i]);
    free(g->cells);
}

/* ---- table (human) ---------------------------------------------------------- */

/* "revenue 销售额 (万 CNY)": the metric, its label, and for money the unit. */
static void put_metric_heading(Buf *b, const Table *t, const OutOpts *o, bool md)
{
    if (md)
        buf_puts(b, "**");
    rp_put_clean(b, t->metric, md);
    if (t->metric_label) {
        buf_putc(b, ' ');
        rp_put_clean(b, t->metric_label, md);
    }
    if (md)
        buf_puts(b, "**");
    bool unit = t->kind == VAL_MONEY && vf_unit_exp(o->unit) > 0;
    bool cur = t->kind == VAL_MONEY && o->currency && o->currency[0];
    if (!unit && !cur)
        return;
    buf_puts(b, " (");
    if (unit)
        rp_put_clean(b, o->unit, md);
    if (unit && cur)
        buf_putc(b, ' ');
    if (cur)
        rp_put_clean(b, o->currency, md);
    buf_putc(b, ')');
}

static void text_row(Buf *out, Buf *line, Grid *g, size_t r, const int *w, bool bold)
{
    for (size_t c = 0; c < g->nc; c++) {
        const char *s = *gcell(g, r, c);
        int pad = w[c] - term_text_width(s);
        if (c > 0)
            buf_puts(line, "  ");
        if (c > 0)
            rp_put_spaces(line, pad);
        buf_puts(line, s);
        if (c == 0 && g->nc > 1)
            rp_put_spaces(line, pad);
    }
    rp_emit_line(out, line, bold);
}

static void render_text(Buf *out, const Table *t, const OutOpts *o)
{
    Buf line = {0};
    if (t->title) {
        rp_put_clean(&line, t->title, false);
        rp_emit_line(out, &line, false);
    }
    put_metric_heading(&line, t, o, false);
    rp_emit_line(out, &line, false);
    Grid g;
    grid_build(&g, t, o);
    int *w = xcalloc(g.nc, sizeof *w), total = 0;
    for (size_t c = 0; c < g.nc; c++) {
        for (size_t r = 0; r < g.nr; r++) {
            int cw = term_text_width(*gcell(&g, r, c));
            w[c] = cw > w[c] ? cw : w[c];
        }
        total += w[c] + (c > 0 ? 2 : 0);
    }
    text_row(out, &line, &g, 0, w, o->color);
    for (int i = 0; i < total; i++)
        buf_putc(&line, '-');
    rp_emit_line(out, &line, false);
    for (size_t r = 1; r < g.nr; r++)
        text_row(out, &line, &g, r, w, false);
    if (t->note) {
        rp_put_clean(&line, t->note, false);
        rp_emit_line(out, &line, false);
    }
    free(w);
    grid_free(&g);
    buf_free(&line);
}

/* ---- Markdown --------------------------------------------------------------- */

static void md_row(Buf *out, Buf *line, Grid *g, size_t r, bool bold)
{
    buf_putc(line, '|');
    for (size_t c = 0; c < g->nc; c++) {
        const char *s = *gcell(g, r, c);
        bool b = bold && s[0];
        buf_puts(line, b ? " **" : " ");
        rp_put_clean(line, s, true);
        buf_puts(line, b ? "** |" : " |");
    }
    rp_emit_line(out, line, false);
}

static void render_md(Buf *out, const Table *t, const OutOpts *o)
{
    Buf line = {0};
    if (t->title) {
        buf_puts(&line, "### ");
        rp_put_clean(&line, t->title, true);
        rp_emit_line(out, &line, false);
    }
    put_metric_heading(&line, t, o, true);
    rp_emit_line(out, &line, false);
    buf_putc(out, '\n');
    Grid g;
    grid_build(&g, t, o);
    md_row(out, &line, &g, 0, false);
    buf_putc(&line, '|');
    for (size_t c = 0; c < g.nc; c++)
        buf_puts(&line, c == 0 ? " --- |" : " ---: |");
    rp_emit_line(out, &line, false);
    for (size_t r = 1; r < g.nr; r++)
        md_row(out, &line, &g, r, g.total_row && r == g.nr - 1);
    if (t->note) {
        buf_putc(out, '\n');
        rp_put_clean(&line, t->note, true);
        rp_emit_line(out, &line, false);
    }
    grid_free(&g);
    buf_free(&line);
}

/* ---- CSV -------------------------------------------------------------------- */

/* RFC 4180: quote a field holding a comma, quote, CR or LF; double quotes. */
void rp_csv_field(Buf *out, const char *s)
{
    if (!s[strcspn(s, ",\"\r\n")]) {
        buf_puts(out, s);
        return;
    }
    buf_putc(out, '"');
    for (; *s; s++) {
        if (*s == '"')
            buf_putc(out, '"');
        buf_putc(out, *s);
    }
    buf_putc(out, '"');
}

static void csv_opt_num(Buf *out, const Table *t, const Num *x)
{
    buf_putc(out, ',');
    if (x)
        put_plain(out, t, *x);
}

static void render_csv(Buf *out, const Table *t)
{
    bool tc = has_total_col(t);
    rp_csv_field(out, t->row_level ? t->row_level : "");
    for (size_t j = 0; j < t->ncols; j++) {
        buf_putc(out, ',');
        rp_csv_field(out, col_name(t, j));
    }
    buf_puts(out, tc ? ",total\n" : "\n");
    for (size_t i = 0; i < t->nrows; i++) {
        rp_csv_field(out, row_name(t, i));
        for (size_t j = 0; j < t->ncols; j++)
            csv_opt_num(out, t, cell(t, i, j));
        if (tc)
            csv_opt_num(out, t, &t->row_totals[i]);
        buf_putc(out, '\n');
    }
    if (!has_total_row(t))
        return;
    buf_puts(out, "total");
    for (size_t j = 0; j < t->ncols; j++)
        csv_opt_num(out, t, total_cell(t, j));
    if (tc)
        csv_opt_num(out, t, corner_cell(t));
    buf_putc(out, '\n');
}

/* ---- JSON ------------------------------------------------------------------- */

/* A JSON string, or null for NULL.  Invalid UTF-8 becomes \ufffd. */
void rp_json_str(Buf *out, const char *s)
{
    if (!s) {
        buf_puts(out, "null");
        return;
    }
    size_t n = strlen(s), i = 0;
    buf_putc(out, '"');
    while (i < n) {
        utf8proc_int32_t c;
        size_t k = next_cp(s, i, n, &c);
        if (k == 0) {
            buf_puts(out, "\\ufffd");
            i++;
            continue;
        }
        const char *esc = c == '"'    ? "\\\""
                          : c == '\\' ? "\\\\"
                          : c == '\n' ? "\\n"
                          : c == '\r' ? "\\r"
                          : c == '\t' ? "\\t"
                          : c == '\b' ? "\\b"
                          : c == '\f' ? "\\f"
                                      : NULL;
        if (esc)
            buf_puts(out, esc);
        else if (c < 0x20)
            buf_printf(out, "\\u%04x", (unsigned)c);
        else
            buf_put(out, s + i, k);
        i += k;
    }
    buf_putc(out, '"');
}

static void json_num(Buf *out, const Table *t, const Num *x)
{
    if (x)
        put_plain(out, t, *x);
    else
        buf_puts(out, "null");
}

static void json_row(Buf *out, const Table *t, size_t i)
{
    buf_puts(out, i > 0 ? ",{\"name\":" : "{\"name\":");
    rp_json_str(out, row_name(t, i));
    buf_puts(out, ",\"label\":");
    rp_json_str(out, t->row_labels ? t->row_labels[i] : NULL);
    buf_puts(out, ",\"cells\":[");
    for (size_t j = 0; j < t->ncols; j++) {
        if (j > 0)
            buf_putc(out, ',');
        json_num(out, t, cell(t, i, j));
    }
    buf_puts(out, "],\"total\":");
    json_num(out, t, t->row_totals ? &t->row_totals[i] : NULL);
    buf_putc(out, '}');
}

static void json_totals(Buf *out, const Table *t)
{
    if (!has_total_row(t) && !t->grand_total) {
        buf_puts(out, "null");
        return;
    }
    buf_puts(out, "{\"cells\":[");
    for (size_t j = 0; has_total_row(t) && j < t->ncols; j++) {
        if (j > 0)
            buf_putc(out, ',');
        json_num(out, t, total_cell(t, j));
    }
    buf_puts(out, "],\"total\":");
    json_num(out, t, t->grand_total);
    buf_putc(out, '}');
}

static void render_json(Buf *out, const Table *t)
{
    const char *keys[] = {"{\"title\":", ",\"metric\":",    ",\"label\":",
                          ",\"kind\":",  ",\"row_level\":", ",\"col_level\":"};
    const char *vals[] = {t->title,           t->metric,    t->metric_label,
                          kind_name(t->kind), t->row_level, t->col_level};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        buf_puts(out, keys[k]);
        rp_json_str(out, vals[k]);
    }
    buf_puts(out, ",\"columns\":[");
    for (size_t j = 0; j < t->ncols; j++) {
        if (j > 0)
            buf_putc(out, ',');
        rp_json_str(out, col_name(t, j));
    }
    buf_puts(out, "],\"rows\":[");
    for (size_t i = 0; i < t->nrows; i++)
        json_row(out, t, i);
    buf_puts(out, "],\"totals\":");
    json_totals(out, t);
    buf_puts(out, ",\"note\":");
    rp_json_str(out, t->note);
    buf_putc(out, '}');
}

void report_json_begin(Buf *out)
{
    buf_putc(out, '[');
}

void report_json_end(Buf *out)
{
    buf_puts(out, "]\n");
}

void report_table(Buf *out, const Table *t, const OutOpts *o, int index)
{
    if (index > 0)
        buf_puts(out, o->format == OUT_JSON ? "," : "\n");
    switch (o->format) {
    case OUT_TABLE:
        render_text(out, t, o);
        break;
    case OUT_CSV:
        render_csv(out, t);
        break;
    case OUT_JSON:
        render_json(out, t);
        break;
    case OUT_MD:
        render_md(out, t, o);
        break;
    }
}

/* ---- atomic files ------------------------------------------------------------ */

static int write_fail(const char *path, const char *tmp, int fd, int e, char **err)
{
    if (fd >= 0)
        close(fd);
    if (tmp)
        unlink(tmp);
    const char *msg = strerror(e);
    size_t n = strlen(path) + strlen(msg) + 32;
    *err = xmalloc(n);
    snprintf(*err, n, "cannot write '%s': %s", path, msg);
    return -1;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t k = write(fd, data, len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (k == 0)
                errno = EIO;
            return -1;
        }
        data += k;
        len -= (size_t)k;
    }
    return 0;
}

/* Makes the rename durable; best effort, as some file systems refuse to
 * open or sync a directory and the data itself is already synced. */
static void sync_parent_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

int write_atomic(const char *path, const char *data, size_t len, char **err)
{
    size_t n = strlen(path);
    char *tmp = xmalloc(n + sizeof ".tmp.XXXXXX");
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
    int fd = mkstemp(tmp), rc = 0;
    if (fd < 0)
        rc = write_fail(path, NULL, -1, errno, err);
    else if (fchmod(fd, 0644) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0)
        rc = write_fail(path, tmp, fd, errno, err);
    else if (close(fd) != 0)
        rc = write_fail(path, tmp, -1, errno, err);
    else if (rename(tmp, path) != 0)
        rc = write_fail(path, tmp, -1, errno, err);
    else
        sync_parent_dir(path);
    free(tmp);
    return rc;
}
