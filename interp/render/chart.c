/* chart.c -- the charts of the html format, drawn with svg.c from the
 * cells of the item they stand beside: a chart reads the plain values of
 * the sheet's columns (or the table's cells) the producer named, so its
 * numbers are the table's.  Geometry is whole pixels scaled from the exact
 * values (num_muldiv, floor); labels are the texts people read in the
 * table.  Nothing is computed that the table does not show, except the
 * counts of a histogram's bands. */
#include "render/render_int.h"

#include <stdlib.h>
#include <string.h>

enum { CH_W = 520, CH_LABEL = 110, CH_ROW = 18, CH_TOP = 8 };

/* One value read from a row of the item. */
typedef struct {
    const char *label, *period; /* as people read them */
    const char *plain, *text;   /* the value: plain decimal, as people read it */
    const char *plain2, *text2; /* BARS_LINE: the second bar */
    Num v, v2;
    int style;
    long row, col, col2; /* the cells shown: data-row, data-col */
} Pt;

typedef struct {
    Pt *pt;
    size_t n;
} Pts;

/* The pixels of v on a scale where max is w (0 for v <= 0). */
static int px(Num v, Num max, int w)
{
    Num r;
    int64_t k = 0;
    if (num_sign(v) <= 0 || num_sign(max) <= 0)
        return 0;
    if (num_muldiv(v, num_from_int(w), max, &r) != NUM_OK || num_to_int(r, NUM_FLOOR, &k) != NUM_OK)
        return w;
    return k > w ? w : (int)k;
}

static const char *cell_plain(const Sheet *s, size_t r, int c)
{
    return c < 0 ? NULL : s->plain[r * s->ncols + (size_t)c];
}

static const char *cell_text(const Sheet *s, size_t r, int c)
{
    return c < 0 ? "" : rd_sheet_text(s, r, (size_t)c);
}

/* The member of row r: people see it on its first row only, so the
 * nearest non-empty cell of column c at or above r. */
static const char *label_at(const Sheet *s, size_t r, int c)
{
    for (size_t k = r + 1; c >= 0 && k-- > 0;)
        if (rd_sheet_text(s, k, (size_t)c)[0])
            return rd_sheet_text(s, k, (size_t)c);
    return "";
}

static bool parse(const char *plain, Num *v)
{
    return plain && plain[0] && num_parse(plain, strlen(plain), v) == NUM_OK;
}

/* Whether row r is one the chart reads: totals only for BARS_LINE, the
 * filter's value, a number in value_col. */
static bool row_wanted(const Sheet *s, const RenderChart *c, size_t r)
{
    bool total = s->total && s->total[r];
    if (total != (c->kind == CHART_BARS_LINE))
        return false;
    if (c->filter_col >= 0 && strcmp(cell_plain(s, r, c->filter_col), c->filter) != 0)
        return false;
    Num v;
    return parse(cell_plain(s, r, c->value_col), &v);
}

static Pts sheet_points(const Sheet *s, const RenderChart *c)
{
    Pts p = {xcalloc(s->nrows + 1, sizeof(Pt)), 0};
    for (size_t r = 0; r < s->nrows; r++) {
        if (!row_wanted(s, c, r))
            continue;
        Pt *q = &p.pt[p.n++];
        q->row = (long)r;
        q->col = c->value_col;
        q->col2 = c->value2_col;
        q->label = label_at(s, r, c->label_col);
        q->period = cell_text(s, r, c->period_col);
        q->plain = cell_plain(s, r, c->value_col);
        q->text = cell_text(s, r, c->value_col);
        parse(q->plain, &q->v);
        q->style = c->style_col < 0 ? -1 : s->style ? s->style[r * s->ncols + c->style_col] : 0;
        q->plain2 = cell_plain(s, r, c->value2_col);
        q->text2 = cell_text(s, r, c->value2_col);
        if (!parse(q->plain2, &q->v2))
            q->plain2 = NULL;
    }
    return p;
}

static Num max_of(const Pts *p, bool both)
{
    Num m = num_from_int(0);
    for (size_t i = 0; i < p->n; i++) {
        if (num_cmp(p->pt[i].v, m) > 0)
            m = p->pt[i].v;
        if (both && p->pt[i].plain2 && num_cmp(p->pt[i].v2, m) > 0)
            m = p->pt[i].v2;
    }
    return m;
}

/* "LABEL PERIOD: TEXT" for a mark's title. */
static const char *mark_title(Buf *b, const char *label, const char *period, const char *text)
{
    b->len = 0;
    buf_printf(b, "%s%s%s: %s", label, period && period[0] ? " " : "", period ? period : "", text);
    return buf_cstr(b);
}

static void figure_open(Buf *out, const RenderChart *c, const char *kind)
{
    buf_printf(out, "<figure class=\"chart\" data-kind=\"%s\" data-item=\"item-%zu\">\n", kind,
               c->item);
}

static void figure_close(Buf *out, const char *caption)
{
    rd_svg_close(out);
    buf_puts(out, "<figcaption>");
    rd_html_text(out, caption);
    buf_puts(out, "</figcaption>\n</figure>\n");
}

static const char *style_class_svg(int style)
{
    switch (style) {
    case STY_GREEN:
        return "s-green";
    case STY_AMBER:
        return "s-amber";
    case STY_RED:
        return "s-red";
    case STY_MARK:
        return "s-mark";
    default:
        return "s-none";
    }
}

/* ---- horizontal bars: shares, attainment ---------------------------------------------- */

static void hbar_rows(Buf *out, const Pts *p, Num max, const char *cls)
{
    Buf t = {0};
    int w = CH_W - CH_LABEL - 90;
    for (size_t i = 0; i < p->n; i++) {
        const Pt *q = &p->pt[i];
        int y = CH_TOP + (int)i * CH_ROW;
        rd_svg_text(out, CH_LABEL - 6, y + 12, "end", "lbl", q->label);
        const char *k = cls ? cls : style_class_svg(q->style);
        rd_svg_rect(out, CH_LABEL, y + 2, px(q->v, max, w), CH_ROW - 4, k,
                    mark_title(&t, q->label, q->period, q->text), q->plain, q->row, q->col);
        rd_svg_text(out, CH_LABEL + px(q->v, max, w) + 4, y + 12, "start", "val", q->text);
    }
    buf_free(&t);
}

/* A one-level table (or the row totals of a two-level one): each row's value. */
static Pts table_points(const Table *t, const RenderOpts *o)
{
    ShownTable g;
    rd_shown_build(&g, t, o);
    Pts p = {xcalloc(t->nrows + 1, sizeof(Pt)), 0};
    bool two = rd_has_total_col(t);
    for (size_t i = 0; i < t->nrows; i++) {
        const Num *x = two ? rd_row_total(t, i) : rd_cell(t, i, 0);
        if (!x)
            continue;
        char buf[NUM_BUFSZ];
        Pt *q = &p.pt[p.n++];
        q->row = (long)i;
        q->col = two ? (long)t->ncols : 0;
        q->label = xstrdup(rd_row_label(t, i));
        q->text = xstrdup(rd_shown(&g, i + 1, two ? g.nc - 1 : 1));
        q->plain = xstrdup(num_fmt(*x, t->decimals, false, buf));
        q->v = *x;
    }
    rd_shown_free(&g);
    return p;
}

static void table_points_free(Pts *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free((char *)p->pt[i].label);
        free((char *)p->pt[i].text);
        free((char *)p->pt[i].plain);
    }
    free(p->pt);
}

static void chart_shares(Buf *out, const RenderDoc *d, const RenderChart *c)
{
    const Table *t = &d->items[c->item].table;
    Pts p = table_points(t, &d->opts);
    figure_open(out, c, "shares");
    Buf aria = {0};
    buf_printf(&aria, "%s: %s", t->metric, t->row_level ? t->row_level : "");
    rd_svg_open(out, CH_W, CH_TOP * 2 + (int)p.n * CH_ROW, buf_cstr(&aria));
    hbar_rows(out, &p, max_of(&p, false), "bar");
    figure_close(out, buf_cstr(&aria));
    buf_free(&aria);
    table_points_free(&p);
}

/* Sorts by value, highest first (stable: ties keep the table's order). */
static void sort_desc(Pts *p)
{
    for (size_t i = 1; i < p->n; i++) {
        Pt x = p->pt[i];
        size_t j = i;
        for (; j > 0 && num_cmp(p->pt[j - 1].v, x.v) < 0; j--)
            p->pt[j] = p->pt[j - 1];
        p->pt[j] = x;
    }
}

/* Keeps the points of the last period only. */
static void last_period(Pts *p)
{
    if (!p->n)
        return;
    const char *last = p->pt[p->n - 1].period;
    size_t k = 0;
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->pt[i].period, last) == 0)
            p->pt[k++] = p->pt[i];
    p->n = k;
}

/* A threshold's line, labelled above the bars (green) or below them (amber). */
static void threshold(Buf *out, Num v, Num max, int h, const char *cls, bool below)
{
    int x = CH_LABEL + px(v, max, CH_W - CH_LABEL - 90);
    rd_svg_line(out, x, CH_TOP - 2, x, h - 14, cls);
    char buf[VF_BUFSZ];
    rd_svg_text(out, x, below ? h - 3 : CH_TOP - 4, "middle", "thr", vf_percent(v, 0, buf));
}

static void chart_hbars(Buf *out, const RenderDoc *d, const RenderChart *c, const char *what)
{
    Pts p = sheet_points(&d->items[c->item].sheet, c);
    last_period(&p);
    sort_desc(&p);
    Num max = max_of(&p, false);
    if (c->thresholds && num_cmp(c->green, max) > 0)
        max = c->green;
    Buf aria = {0};
    buf_printf(&aria, "%s%s%s", what, p.n ? " " : "", p.n ? p.pt[0].period : "");
    figure_open(out, c, "hbars");
    int h = CH_TOP * 2 + 24 + (int)p.n * CH_ROW;
    rd_svg_open(out, CH_W, h, buf_cstr(&aria));
    buf_puts(out, "<g transform=\"translate(0,10)\">\n");
    hbar_rows(out, &p, max, NULL);
    if (c->thresholds) {
        threshold(out, c->green, max, h - 10, "green", false);
        threshold(out, c->amber, max, h - 10, "amber", true);
    }
    buf_puts(out, "</g>\n");
    figure_close(out, buf_cstr(&aria));
    buf_free(&aria);
    free(p.pt);
}

/* ---- heat map ------------------------------------------------------------------------------ */

/* The index of s in names (added when new). */
static size_t index_of(const char **names, size_t *n, const char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    names[*n] = s;
    return (*n)++;
}

static void chart_heatmap(Buf *out, const RenderDoc *d, const RenderChart *c, const char *what)
{
    Pts p = sheet_points(&d->items[c->item].sheet, c);
    const char **rows = xcalloc(p.n + 1, sizeof *rows), **cols = xcalloc(p.n + 1, sizeof *cols);
    size_t nr = 0, nc = 0;
    for (size_t i = 0; i < p.n; i++) {
        index_of(rows, &nr, p.pt[i].label);
        index_of(cols, &nc, p.pt[i].period);
    }
    int cw = nc ? (CH_W - CH_LABEL) / (int)nc : 0;
    cw = cw > 40 ? 40 : cw < 8 ? 8 : cw;
    figure_open(out, c, "heatmap");
    rd_svg_open(out, CH_LABEL + cw * (int)nc + 4, 40 + (int)nr * CH_ROW, what);
    for (size_t j = 0; j < nc; j++)
        if (j == 0 || j + 1 == nc)
            rd_svg_text(out, CH_LABEL + (int)j * cw, 12, "start", "lbl", cols[j]);
    for (size_t i = 0; i < nr; i++)
        rd_svg_text(out, CH_LABEL - 6, 34 + (int)i * CH_ROW, "end", "lbl", rows[i]);
    Buf t = {0};
    for (size_t i = 0; i < p.n; i++) {
        const Pt *q = &p.pt[i];
        int x = CH_LABEL + (int)index_of(cols, &nc, q->period) * cw;
        int y = 22 + (int)index_of(rows, &nr, q->label) * CH_ROW;
        rd_svg_rect(out, x, y, cw - 2, CH_ROW - 2, style_class_svg(q->style),
                    mark_title(&t, q->label, q->period, q->text), q->plain, q->row, q->col);
    }
    buf_free(&t);
    figure_close(out, what);
    free(rows);
    free(cols);
    free(p.pt);
}

/* ---- target and actual per period ---------------------------------------------------------- */

/* The legend of the two bars: their columns' heads. */
static void bars_legend(Buf *out, const Sheet *s, const RenderChart *c, int x)
{
    rd_svg_rect(out, x, 4, 10, 10, "bar", s->heads[c->value_col], NULL, -1, -1);
    rd_svg_text(out, x + 14, 13, "start", "lbl", s->heads[c->value_col]);
    if (c->value2_col < 0)
        return;
    rd_svg_rect(out, x + 80, 4, 10, 10, "bar2", s->heads[c->value2_col], NULL, -1, -1);
    rd_svg_text(out, x + 94, 13, "start", "lbl", s->heads[c->value2_col]);
}

static void chart_bars_line(Buf *out, const RenderDoc *d, const RenderChart *c, const char *what)
{
    Pts p = sheet_points(&d->items[c->item].sheet, c);
    Num max = max_of(&p, true);
    int h = 200, base = 175, bw = p.n ? (CH_W - 40) / (int)p.n : 0;
    bw = bw > 60 ? 60 : bw;
    figure_open(out, c, c->kind == CHART_HISTOGRAM ? "histogram" : "bars");
    rd_svg_open(out, CH_W, h, what);
    rd_svg_line(out, 30, base, 30 + bw * (int)p.n, base, "axis");
    bars_legend(out, &d->items[c->item].sheet, c, 32);
    Buf t = {0};
    for (size_t i = 0; i < p.n; i++) {
        const Pt *q = &p.pt[i];
        int x = 32 + (int)i * bw, h1 = px(q->v, max, base - 24);
        rd_svg_rect(out, x, base - h1, c->value2_col >= 0 ? bw / 2 - 2 : bw - 4, h1, "bar",
                    mark_title(&t, q->label, q->period, q->text), q->plain, q->row, q->col);
        if (q->plain2) {
            int h2 = px(q->v2, max, base - 24);
            rd_svg_rect(out, x + bw / 2 - 1, base - h2, bw / 2 - 2, h2, "bar2",
                        mark_title(&t, q->label, q->period, q->text2), q->plain2, q->row, q->col2);
        }
        if (i == 0 || i + 1 == p.n || p.n <= 6 || (c->kind == CHART_HISTOGRAM && i % 2 == 0))
            rd_svg_text(out, x + bw / 2, base + 14, "middle", "lbl",
                        q->period[0] ? q->period : q->label);
    }
    buf_free(&t);
    figure_close(out, what);
    free(p.pt);
}

/* ---- a line across the columns of the total row ------------------------------------------- */

static Pts line_points(const Sheet *s, const RenderChart *c)
{
    Pts p = {xcalloc(s->ncols + 1, sizeof(Pt)), 0};
    size_t r = s->nrows;
    while (r > 0 && !(s->total && s->total[r - 1]))
        r--;
    for (int k = c->value_col; r > 0 && k >= 0 && k <= c->value2_col && k < (int)s->ncols; k++) {
        Pt *q = &p.pt[p.n];
        q->plain = cell_plain(s, r - 1, k);
        if (!parse(q->plain, &q->v))
            continue;
        q->label = cell_text(s, r - 1, 0);
        q->period = s->heads[k];
        q->text = cell_text(s, r - 1, k);
        q->row = (long)r - 1;
        q->col = k;
        p.n++;
    }
    return p;
}

static void chart_line(Buf *out, const RenderDoc *d, const RenderChart *c, const char *what)
{
    Pts p = line_points(&d->items[c->item].sheet, c);
    Num max = max_of(&p, false);
    int base = 170, step = p.n ? (CH_W - 60) / (int)p.n : 0, px0 = 0, py0 = 0;
    step = step > 60 ? 60 : step;
    figure_open(out, c, "line");
    rd_svg_open(out, CH_W, 200, what);
    rd_svg_line(out, 30, base, 30 + step * (int)p.n, base, "axis");
    Buf t = {0};
    for (size_t i = 0; i < p.n; i++) {
        const Pt *q = &p.pt[i];
        int x = 30 + step / 2 + (int)i * step, y = base - px(q->v, max, base - 20);
        if (i > 0)
            rd_svg_line(out, px0, py0, x, y, "fc");
        rd_svg_rect(out, x - 3, y - 3, 6, 6, "dot", mark_title(&t, q->label, q->period, q->text),
                    q->plain, q->row, q->col);
        if (i == 0 || i + 1 == p.n || p.n <= 6)
            rd_svg_text(out, x, base + 14, "middle", "lbl", q->period);
        px0 = x;
        py0 = y;
    }
    buf_free(&t);
    figure_close(out, what);
    free(p.pt);
}

/* The chart's caption: the sheet's title and the column it draws. */
static const char *chart_what(Buf *b, const RenderDoc *d, const RenderChart *c)
{
    const RenderItem *it = &d->items[c->item];
    if (it->kind != RI_SHEET)
        return "";
    const Sheet *s = &it->sheet;
    buf_printf(b, "%s", s->title ? s->title : "");
    if (c->filter)
        buf_printf(b, " — %s", c->filter);
    if (c->value_col >= 0)
        buf_printf(b, ": %s", s->heads[c->value_col]);
    if (c->value2_col >= 0)
        buf_printf(b, c->kind == CHART_LINE ? " … %s" : ", %s", s->heads[c->value2_col]);
    return buf_cstr(b);
}

void rd_chart(Buf *out, const RenderDoc *d, const RenderChart *c)
{
    if (c->item >= d->nitems)
        return;
    bool table = d->items[c->item].kind == RI_TABLE;
    if (table != (c->kind == CHART_SHARES) || (!table && c->value_col < 0))
        return;
    Buf what = {0};
    chart_what(&what, d, c);
    switch (c->kind) {
    case CHART_SHARES:
        chart_shares(out, d, c);
        break;
    case CHART_HBARS:
        chart_hbars(out, d, c, buf_cstr(&what));
        break;
    case CHART_HEATMAP:
        chart_heatmap(out, d, c, buf_cstr(&what));
        break;
    case CHART_BARS_LINE:
        chart_bars_line(out, d, c, buf_cstr(&what));
        break;
    case CHART_LINE:
        chart_line(out, d, c, buf_cstr(&what));
        break;
    case CHART_HISTOGRAM:
        chart_bars_line(out, d, c, buf_cstr(&what));
        break;
    }
    buf_free(&what);
}
