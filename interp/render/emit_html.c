/* emit_html.c -- the html format: one self-contained page (inline CSS, no
 * script, a Content-Security-Policy that lets it fetch nothing) with the
 * plan's title, fiscal year and as-of month, every table and sheet as
 * people read them (each in a section that starts a printed page) under
 * the charts attached to them (chart.c), and the version in a footer.  Every
 * text is escaped; numeric cells carry their plain value in data-value. */
#include "render/render_int.h"

#include <string.h>

static const char html_css[] =
    "body{font-family:\"Noto Sans\",\"Noto Sans CJK SC\",\"WenQuanYi Micro Hei\",\"PingFang SC\","
    "\"Microsoft YaHei\",Arial,sans-serif;color:#222;margin:24px;font-size:13px}\n"
    "header.doc h1{font-size:22px;margin:0 0 4px}\n"
    "p.meta{color:#555;margin:0 0 16px}\n"
    "section.item{margin:0 0 28px}\n"
    "h2{font-size:16px;margin:0 0 4px}\n"
    "p.heading,p.note{color:#555;margin:4px 0}\n"
    "div.charts{display:flex;flex-wrap:wrap;gap:8px 24px;align-items:flex-end;margin:6px 0}\n"
    "table{border-collapse:collapse;margin:4px 0 10px}\n"
    "th,td{border-bottom:1px solid #ddd;padding:2px 8px;white-space:nowrap}\n"
    "th{text-align:left;background:#f3f3f3}\n"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "tr.total td{font-weight:bold;border-top:1px solid #888}\n"
    "td.s-green{background:#d9f2d9}td.s-amber{background:#fbeccb}td.s-red{background:#f7d4d4}"
    "td.s-mark{background:#e6e0f5}\n"
    "figure{margin:4px 0}figcaption{color:#555;font-size:12px}\n"
    "svg text{font-size:11px;fill:#333}\n"
    "rect.bar{fill:#4878a8}rect.bar2{fill:#e8963c}rect.s-green{fill:#5bb35b}"
    "rect.s-amber{fill:#e8b33c}rect.s-red{fill:#d65c5c}rect.s-none{fill:#ccc}"
    "rect.s-mark{fill:#9a86c8}rect.dot{fill:#c0392b}\n"
    "line.axis{stroke:#888}line.green{stroke:#2e8b2e;stroke-dasharray:4 3}"
    "line.amber{stroke:#c08a00;stroke-dasharray:4 3}line.fc{stroke:#c0392b;stroke-width:2}\n"
    "footer{color:#777;font-size:11px;margin-top:24px}\n"
    "@page{size:A4;margin:14mm}\n"
    "@media "
    "print{body{margin:0;-webkit-print-color-adjust:exact;print-color-adjust:exact}section.item+"
    "section.item{break-before:page}"
    "tr{break-inside:avoid}figure{break-inside:avoid}h2,h3,p.heading{break-after:avoid}"
    "thead{display:table-header-group}}\n";

/* An element with escaped text: <tag class="cls">s</tag>. */
static void element(Buf *out, const char *tag, const char *cls, const char *s)
{
    buf_printf(out, "<%s", tag);
    if (cls)
        buf_printf(out, " class=\"%s\"", cls);
    buf_putc(out, '>');
    rd_html_text(out, s);
    buf_printf(out, "</%s>\n", tag);
}

/* ---- tables ---------------------------------------------------------------------------- */

/* The plain value of cell (r, c) of the shown table t (r, c from 1), or NULL. */
static const Num *shown_num(const Table *t, const ShownTable *g, size_t r, size_t c)
{
    bool total_row = g->total_row && r == g->nr - 1;
    bool total_col = rd_has_total_col(t) && c == g->nc - 1;
    if (total_row)
        return total_col ? rd_corner_cell(t) : rd_total_cell(t, c - 1);
    return total_col ? rd_row_total(t, r - 1) : rd_cell(t, r - 1, c - 1);
}

static void table_cell(Buf *out, const Table *t, const ShownTable *g, size_t r, size_t c)
{
    if (c == 0) {
        element(out, "td", NULL, rd_shown(g, r, c));
        return;
    }
    const Num *x = shown_num(t, g, r, c);
    buf_printf(out, "<td class=\"n\" data-col=\"%zu\"", c - 1);
    if (x) {
        char buf[NUM_BUFSZ];
        buf_printf(out, " data-value=\"%s\"", num_fmt(*x, t->decimals, false, buf));
    }
    buf_putc(out, '>');
    rd_html_text(out, rd_shown(g, r, c));
    buf_puts(out, "</td>");
}

static void html_table(Buf *out, const Table *t, const RenderOpts *o)
{
    ShownTable g;
    rd_shown_build(&g, t, o);
    buf_puts(out, "<table>\n<thead><tr>");
    for (size_t c = 0; c < g.nc; c++)
        element(out, "th", c ? "n" : NULL, rd_shown(&g, 0, c));
    buf_puts(out, "</tr></thead>\n<tbody>\n");
    for (size_t r = 1; r < g.nr; r++) {
        if (g.total_row && r == g.nr - 1)
            buf_puts(out, "<tr class=\"total\">");
        else
            buf_printf(out, "<tr data-row=\"%zu\">", r - 1);
        for (size_t c = 0; c < g.nc; c++)
            table_cell(out, t, &g, r, c);
        buf_puts(out, "</tr>\n");
    }
    buf_puts(out, "</tbody>\n</table>\n");
    rd_shown_free(&g);
}

/* ---- sheets ---------------------------------------------------------------------------- */

static const char *style_class(int style)
{
    switch (style) {
    case STY_GREEN:
        return " s-green";
    case STY_AMBER:
        return " s-amber";
    case STY_RED:
        return " s-red";
    case STY_MARK:
        return " s-mark";
    default:
        return "";
    }
}

static void sheet_cell(Buf *out, const Sheet *s, size_t r, size_t c)
{
    bool num = s->right && s->right[c];
    int sty = s->style ? s->style[r * s->ncols + c] : STY_NONE;
    const char *plain = s->plain[r * s->ncols + c];
    buf_printf(out, "<td class=\"%s%s\" data-col=\"%zu\"", num ? "n" : "t", style_class(sty), c);
    Num v;
    if (num && plain && plain[0] && num_parse(plain, strlen(plain), &v) == NUM_OK) {
        buf_puts(out, " data-value=\"");
        rd_html_text(out, plain);
        buf_putc(out, '"');
    }
    buf_putc(out, '>');
    rd_html_text(out, rd_sheet_text(s, r, c));
    buf_puts(out, "</td>");
}

/* Row r's start tag: its index, the total class, and the plain values of
 * the numeric columns people do not see (data-cN), which charts may show. */
static void sheet_row_tag(Buf *out, const Sheet *s, size_t r)
{
    buf_printf(out, "<tr%s data-row=\"%zu\"", s->total && s->total[r] ? " class=\"total\"" : "", r);
    for (size_t c = 0; c < s->ncols; c++) {
        const char *plain = s->plain[r * s->ncols + c];
        if (rd_people_col(s, c) || (int)c == s->group || !(s->right && s->right[c]) || !plain[0])
            continue;
        buf_printf(out, " data-c%zu=\"", c);
        rd_html_text(out, plain);
        buf_putc(out, '"');
    }
    buf_putc(out, '>');
}

static void html_sheet_part(Buf *out, const SheetPart *p, const RenderOpts *o)
{
    (void)o;
    const Sheet *s = p->s;
    if (p->group_value)
        element(out, "h3", NULL, p->group_value);
    buf_puts(out, "<table>\n<thead><tr>");
    for (size_t c = 0; c < s->ncols; c++)
        if (rd_people_col(s, c))
            element(out, "th", s->right && s->right[c] ? "n" : NULL, s->heads[c]);
    buf_puts(out, "</tr></thead>\n<tbody>\n");
    for (size_t r = p->from; r < p->to; r++) {
        sheet_row_tag(out, s, r);
        for (size_t c = 0; c < s->ncols; c++)
            if (rd_people_col(s, c))
                sheet_cell(out, s, r, c);
        buf_puts(out, "</tr>\n");
    }
    buf_puts(out, "</tbody>\n</table>\n");
    if (p->note)
        element(out, "p", "note", p->note);
}

/* rd_sheet_parts' separators and the sheet's last note are plain text
 * lines: HTML ignores the blank lines; the note is written by us. */
static void html_sheet(Buf *out, const Sheet *s, const RenderOpts *o)
{
    Sheet bare = *s;
    bare.note = NULL;
    rd_sheet_parts(out, &bare, o, false, html_sheet_part);
    if (s->note)
        element(out, "p", "note", s->note);
}

/* ---- the page -------------------------------------------------------------------------- */

static void item_heading(Buf *out, const RenderItem *it, const RenderOpts *o)
{
    if (it->kind == RI_SHEET) {
        element(out, "h2", NULL, it->sheet.title);
        if (it->sheet.heading)
            element(out, "p", "heading", it->sheet.heading);
        return;
    }
    const Table *t = &it->table;
    Buf h = {0};
    rd_metric_heading(&h, t, o, false);
    if (!t->title && t->row_level)
        buf_printf(&h, " — %s%s%s", t->row_level, t->col_level ? " × " : "",
                   t->col_level ? t->col_level : "");
    element(out, "h2", NULL, t->title ? t->title : buf_cstr(&h));
    if (t->title)
        element(out, "p", "heading", buf_cstr(&h));
    buf_free(&h);
}

/* The charts of item i, in a row above its tables. */
static void item_charts(Buf *out, const RenderDoc *d, size_t i)
{
    bool any = false;
    for (size_t k = 0; k < d->ncharts; k++) {
        if (d->charts[k].item != i)
            continue;
        if (!any)
            buf_puts(out, "<div class=\"charts\">\n");
        any = true;
        rd_chart(out, d, &d->charts[k]);
    }
    if (any)
        buf_puts(out, "</div>\n");
}

static void html_item(Buf *out, const RenderDoc *d, size_t i)
{
    const RenderItem *it = &d->items[i];
    buf_printf(out, "<section class=\"item\" id=\"item-%zu\">\n", i);
    item_heading(out, it, &d->opts);
    item_charts(out, d, i);
    buf_puts(out, "<div class=\"tables\">\n");
    if (it->kind == RI_TABLE) {
        html_table(out, &it->table, &d->opts);
        if (it->table.note)
            element(out, "p", "note", it->table.note);
    } else {
        html_sheet(out, &it->sheet, &d->opts);
    }
    buf_puts(out, "</div>\n</section>\n");
}

/* "fiscal year FY2027 · as of 2027-06 · source fy2027.plan" */
static void meta_line(Buf *out, const RenderOpts *o)
{
    struct {
        LangWord w;
        const char *v;
    } parts[] = {{W_FISCAL_YEAR, o->fiscal_year}, {W_AS_OF, o->as_of}, {W_SOURCE, o->plan_file}};
    int n = 0;
    buf_puts(out, "<p class=\"meta\">");
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (!parts[i].v)
            continue;
        buf_puts(out, n++ ? " · " : "");
        rd_html_text(out, lang_word(o->lang, parts[i].w));
        buf_puts(out, ": ");
        rd_html_text(out, parts[i].v);
    }
    buf_puts(out, "</p>\n");
}

static void page_head(Buf *out, const RenderDoc *d)
{
    const RenderOpts *o = &d->opts;
    const char *title = o->plan_name ? o->plan_name : o->plan_file ? o->plan_file : "salesplan";
    buf_printf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
               o->lang == LANG_ZH ? "zh-CN" : "en");
    buf_puts(out, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                  "style-src 'unsafe-inline'; img-src data:\">\n");
    element(out, "title", NULL, title);
    buf_printf(out, "<style>\n%s</style>\n</head>\n<body>\n<header class=\"doc\">\n", html_css);
    element(out, "h1", NULL, title);
    meta_line(out, o);
    if (d->caption)
        element(out, "p", "caption", d->caption);
    buf_puts(out, "</header>\n");
}

void emit_html(const RenderDoc *d, Buf *out)
{
    page_head(out, d);
    for (size_t i = 0; i < d->nitems; i++)
        if (rd_item_shown(&d->items[i], RENDER_PEOPLE))
            html_item(out, d, i);
    buf_puts(out, "<footer>");
    rd_html_text(out, lang_word(d->opts.lang, W_VERSION));
    buf_puts(out, " ");
    rd_html_text(out, d->opts.version ? d->opts.version : "");
    buf_puts(out, "</footer>\n</body>\n</html>\n");
}
