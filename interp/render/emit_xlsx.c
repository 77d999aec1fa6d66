/* emit_xlsx.c -- the xlsx format: one Excel workbook per document, written
 * by libxlsxwriter.  A first sheet says what the workbook is of (plan,
 * fiscal year, as-of month, source file, version); then one worksheet per
 * item, named after its title, holding the item's logical grid (exactly
 * what csv writes, cell for cell): numbers as numbers with a number format
 * of their kind, texts as texts (never a formula), the header row bold and
 * frozen, a table's total row bold, status cells filled, columns as wide
 * as their display width.
 *
 * A number whose decimal text has more than 15 significant digits does
 * not survive Excel's doubles: it is written as its text, never as a
 * nearby number.  A sheet past Excel's limits (1,048,576 rows, 16,384
 * columns) fails the document before anything is written (rd_fail).
 * libxlsxwriter writes to a file name: the workbook goes to an anonymous
 * memory file whose bytes are then appended to out, so that the caller
 * writes them like every format (atomically, with -o).  The bytes depend
 * on nothing but the document: the creation time is fixed. */
#define _GNU_SOURCE /* memfd_create */
#include "render/render_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <utf8proc.h>
#include <xlsxwriter.h>

#include "base/term.h"

#define XLSX_MAX_ROWS 1048576
#define XLSX_MAX_COLS 16384
#define XLSX_NAME_MAX 31       /* characters of a sheet name */
#define XLSX_CREATED 946684800 /* 2000-01-01T00:00:00Z: the workbook's fixed creation time */
#define XLSX_MAX_DIGITS 15     /* significant digits a double keeps exactly */
#define XLSX_FORMATS 64        /* distinct cell formats a workbook caches */

/* A cell format: number format, bold, fill (CellStyle). */
typedef struct {
    char num[48];
    bool bold;
    unsigned char fill;
    lxw_format *f;
} XFormat;

typedef struct {
    const RenderDoc *d;
    lxw_workbook *wb;
    XFormat formats[XLSX_FORMATS];
    size_t nformats;
    char **names; /* sheet names taken, case-folded */
    char **shown; /* the names as given to the workbook, kept until it is closed */
    size_t nnames;
} Xlsx;

/* ---- formats --------------------------------------------------------------------------- */

/* The number format of a money value with decimals in the plan's unit.
 * Excel scales by thousands only: k and M use the ',' scaling; 万 and 亿
 * show the base amount with a literal point (0!.0000"万": 1234567 reads
 * 123.4567万, exact to one base unit).  None changes the stored value. */
static void money_format(int decimals, const char *unit, char *out, size_t n)
{
    if (strcmp(unit, "k") == 0)
        snprintf(out, n, "#,##0.00,\"k\"");
    else if (strcmp(unit, "M") == 0)
        snprintf(out, n, "#,##0.00,,\"M\"");
    else if (strcmp(unit, "万") == 0)
        snprintf(out, n, "0!.0000\"万\"");
    else if (strcmp(unit, "亿") == 0)
        snprintf(out, n, "0!.00000000\"亿\"");
    else if (decimals > 0)
        snprintf(out, n, "#,##0.%.*s", decimals > 10 ? 10 : decimals, "0000000000");
    else
        snprintf(out, n, "#,##0");
}

/* The number format of a value of kind (kind + 1; 0: plain) with decimals. */
static void number_format(const Xlsx *x, int kind, int decimals, char *out, size_t n)
{
    switch (kind) {
    case VAL_MONEY + 1:
        money_format(decimals, x->d->opts.unit, out, n);
        return;
    case VAL_COUNT + 1:
        snprintf(out, n, "#,##0");
        return;
    case VAL_PERCENT + 1:
        snprintf(out, n, "0.00%%");
        return;
    case VAL_SCORE + 1:
        snprintf(out, n, "0.00");
        return;
    default:
        out[0] = '\0';
    }
}

/* Excel's fills for status cells: green, amber and red. */
static lxw_color_t fill_color(unsigned char style)
{
    return style == STY_GREEN ? 0xC6EFCE : style == STY_AMBER ? 0xFFEB9C : 0xFFC7CE;
}

/* The workbook's format for (num, bold, fill), made once; NULL: the default. */
static lxw_format *cell_format(Xlsx *x, const char *num, bool bold, unsigned char fill)
{
    if (fill == STY_MARK)
        fill = STY_NONE;
    if (!*num && !bold && !fill)
        return NULL;
    for (size_t i = 0; i < x->nformats; i++) {
        XFormat *f = &x->formats[i];
        if (strcmp(f->num, num) == 0 && f->bold == bold && f->fill == fill)
            return f->f;
    }
    if (x->nformats == XLSX_FORMATS)
        return NULL;
    XFormat *f = &x->formats[x->nformats++];
    snprintf(f->num, sizeof f->num, "%s", num);
    f->bold = bold;
    f->fill = fill;
    f->f = workbook_add_format(x->wb);
    if (*num)
        format_set_num_format(f->f, num);
    if (bold)
        format_set_bold(f->f);
    if (fill) {
        format_set_pattern(f->f, LXW_PATTERN_SOLID);
        format_set_bg_color(f->f, fill_color(fill));
    }
    return f->f;
}

/* ---- sheet names ----------------------------------------------------------------------- */

/* Whether Excel refuses c in a sheet name. */
static bool bad_name_char(int32_t c)
{
    return c < 0x20 || (c >= 0x7f && c < 0xa0) || (c < 0x80 && strchr("[]:*?/\\", (int)c));
}

/* name made valid: bad characters '_', at most max characters, no ' at
 * either end, never empty. */
static void clean_name(const char *name, size_t max, Buf *out)
{
    const uint8_t *p = (const uint8_t *)(name ? name : "");
    while (*p == '\'')
        p++;
    for (size_t n = 0; *p && n < max; n++) {
        int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &c);
        if (k <= 0 || bad_name_char(c))
            buf_putc(out, '_');
        else
            buf_put(out, (const char *)p, (size_t)k);
        p += k > 0 ? k : 1;
    }
    while (out->len && out->data[out->len - 1] == '\'')
        out->data[--out->len] = '\0';
    if (!out->len)
        buf_puts(out, "sheet");
}

static char *folded(const char *s)
{
    utf8proc_uint8_t *f = NULL;
    if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &f,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD) <
        0)
        return xstrdup(s);
    return (char *)f;
}

static bool name_taken(const Xlsx *x, const char *name)
{
    char *f = folded(name);
    bool taken = false;
    for (size_t i = 0; i < x->nnames && !taken; i++)
        taken = strcmp(x->names[i], f) == 0;
    free(f);
    return taken;
}

/* A valid sheet name from title, unique case-insensitively ("NAME (2)"),
 * kept until the workbook is freed. */
static const char *sheet_name(Xlsx *x, const char *title)
{
    Buf name = {0};
    clean_name(title, XLSX_NAME_MAX, &name);
    for (int k = 2; name_taken(x, buf_cstr(&name)); k++) {
        char suffix[16];
        int n = snprintf(suffix, sizeof suffix, " (%d)", k);
        name.len = 0;
        clean_name(title, XLSX_NAME_MAX - (size_t)n, &name);
        buf_puts(&name, suffix);
    }
    x->names = xrealloc(x->names, (x->nnames + 1) * sizeof *x->names);
    x->shown = xrealloc(x->shown, (x->nnames + 1) * sizeof *x->shown);
    x->names[x->nnames] = folded(buf_cstr(&name));
    x->shown[x->nnames] = xstrdup(buf_cstr(&name));
    buf_free(&name);
    return x->shown[x->nnames++];
}

/* ---- cells ----------------------------------------------------------------------------- */

/* Whether the decimal text survives a double: at most 15 significant digits. */
static bool fits_double(const char *s)
{
    const char *first = NULL, *last = NULL;
    for (const char *p = s; *p; p++)
        if (*p >= '1' && *p <= '9') {
            first = first ? first : p;
            last = p;
        }
    if (!first)
        return true;
    int digits = 0;
    for (const char *p = first; p <= last; p++)
        digits += *p >= '0' && *p <= '9';
    return digits <= XLSX_MAX_DIGITS;
}

/* Decimals of a plain number's text ("1234.50" -> 2). */
static int text_decimals(const char *s)
{
    const char *dot = strchr(s, '.');
    return dot ? (int)strlen(dot + 1) : 0;
}

/* Writing one item's grid into a worksheet. */
typedef struct {
    Xlsx *x;
    lxw_worksheet *ws;
    const RenderItem *it;
    lxw_row_t row;  /* the next row of the worksheet */
    size_t src;     /* a sheet's next source row */
    size_t *cols;   /* a sheet's source column of each grid column */
    double *widths; /* display width of each column */
    size_t ncols;
} ItemOut;

/* The kind and decimals of grid cell c of the current row, and its fill. */
static void cell_kind(const ItemOut *o, size_t c, int *kind, int *dec, unsigned char *fill,
                      const char *text)
{
    *fill = STY_NONE;
    if (o->it->kind == RI_TABLE) {
        const Table *t = &o->it->table; /* metrics side by side: each column its own */
        *kind = c > 0 ? (int)rd_col_kind(t, c - 1) + 1 : 0;
        *dec = c > 0 ? rd_col_decimals(t, c - 1) : 0;
        return;
    }
    const Sheet *s = &o->it->sheet;
    size_t k = o->src * s->ncols + o->cols[c];
    *kind = s->kind ? s->kind[k] : 0;
    *dec = text_decimals(text);
    *fill = s->style ? s->style[k] : STY_NONE;
}

/* Whether the current row is a table's total row. */
static bool total_row(const ItemOut *o)
{
    const Table *t = &o->it->table;
    return o->it->kind == RI_TABLE && o->row == t->nrows + 1 && rd_has_total_row(t);
}

static void write_cell(ItemOut *o, size_t c, const RenderCell *cell, bool head)
{
    int kind = 0, dec = 0;
    unsigned char fill = STY_NONE;
    char num[48] = "";
    if (!head)
        cell_kind(o, c, &kind, &dec, &fill, cell->text);
    bool number = !head && cell->is_num && fits_double(cell->text);
    if (number)
        number_format(o->x, kind, dec, num, sizeof num);
    lxw_format *f = cell_format(o->x, num, head || total_row(o), fill);
    lxw_col_t col = (lxw_col_t)c;
    if (number)
        worksheet_write_number(o->ws, o->row, col, strtod(cell->text, NULL), f);
    else if (*cell->text || f)
        worksheet_write_string(o->ws, o->row, col, cell->text, f);
    double w = term_text_width(cell->text) + (number && kind == VAL_MONEY + 1 ? 4 : 2);
    if (w > o->widths[c])
        o->widths[c] = w;
}

/* One row of the item's grid (GridRowFn). */
static void item_row(void *ctx, const RenderCell *cells, size_t n, bool head)
{
    ItemOut *o = ctx;
    const Sheet *s = o->it->kind == RI_SHEET ? &o->it->sheet : NULL;
    while (s && !head && s->total && s->total[o->src]) /* the grid skips total rows */
        o->src++;
    for (size_t c = 0; c < n && c < o->ncols; c++)
        write_cell(o, c, &cells[c], head);
    o->row++;
    if (s && !head)
        o->src++;
}

/* ---- items ----------------------------------------------------------------------------- */

/* The rows and columns of an item's grid. */
static void item_size(const RenderItem *it, size_t *rows, size_t *cols)
{
    if (it->kind == RI_TABLE) {
        const Table *t = &it->table;
        *rows = 1 + t->nrows + rd_has_total_row(t);
        *cols = 1 + t->ncols + rd_has_total_col(t);
        return;
    }
    const Sheet *s = &it->sheet;
    *rows = 1;
    for (size_t r = 0; r < s->nrows; r++)
        *rows += !(s->total && s->total[r]);
    *cols = 0;
    for (size_t c = 0; c < s->ncols; c++)
        *cols += rd_col_shown(s, c, RENDER_FLAT);
}

/* The item's title: the report's, the sheet's, or "METRIC by ROWS, COLUMNS". */
static const char *item_title(const RenderItem *it, char *buf, size_t n)
{
    if (it->kind == RI_SHEET)
        return it->sheet.title;
    const Table *t = &it->table;
    if (t->title)
        return t->title;
    snprintf(buf, n, "%s by %s%s%s", t->metric ? t->metric : "table",
             t->row_level ? t->row_level : "plan", t->col_level ? ", " : "",
             t->col_level ? t->col_level : "");
    return buf;
}

static void write_item(Xlsx *x, const RenderItem *it)
{
    char title[256];
    size_t rows, ncols;
    item_size(it, &rows, &ncols);
    const char *name = sheet_name(x, item_title(it, title, sizeof title));
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
    if (!ws) {
        rd_fail(x->d, "xlsx: Excel does not take '%s' as a sheet name", name);
        return;
    }
    ItemOut o = {x,
                 ws,
                 it,
                 0,
                 0,
                 xcalloc(ncols + 1, sizeof *o.cols),
                 xcalloc(ncols + 1, sizeof *o.widths),
                 ncols};
    if (it->kind == RI_SHEET)
        for (size_t c = 0, k = 0; c < it->sheet.ncols; c++)
            if (rd_col_shown(&it->sheet, c, RENDER_FLAT))
                o.cols[k++] = c;
    rd_item_rows(it, true, item_row, &o);
    for (size_t c = 0; c < ncols; c++)
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, o.widths[c], NULL);
    bool two_level = it->kind == RI_TABLE && !rd_one_level(&it->table);
    worksheet_freeze_panes(ws, 1, two_level ? 1 : 0);
    free(o.cols);
    free(o.widths);
}

/* The first sheet: what the workbook is of. */
static void write_about(Xlsx *x)
{
    const RenderOpts *ro = &x->d->opts;
    Lang l = ro->lang;
    const struct {
        LangWord w;
        const char *v;
    } rows[] = {{W_PLAN, ro->plan_name},
                {W_FISCAL_YEAR, ro->fiscal_year},
                {W_AS_OF, ro->as_of},
                {W_SOURCE, ro->plan_file},
                {W_VERSION, ro->version}};
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, sheet_name(x, lang_word(l, W_PLAN)));
    if (!ws) {
        rd_fail(x->d, "xlsx: cannot add the sheet '%s'", lang_word(l, W_PLAN));
        return;
    }
    lxw_format *bold = cell_format(x, "", true, STY_NONE);
    double w0 = 10, w1 = 10;
    for (lxw_row_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        const char *v = rows[r].v ? rows[r].v : "";
        worksheet_write_string(ws, r, 0, lang_word(l, rows[r].w), bold);
        if (*v)
            worksheet_write_string(ws, r, 1, v, NULL);
        double a = term_text_width(lang_word(l, rows[r].w)) + 2, b = term_text_width(v) + 2;
        w0 = a > w0 ? a : w0;
        w1 = b > w1 ? b : w1;
    }
    worksheet_set_column(ws, 0, 0, w0, NULL);
    worksheet_set_column(ws, 1, 1, w1, NULL);
}

/* ---- the workbook ---------------------------------------------------------------------- */

/* Refuses an item past Excel's limits; false after rd_fail. */
static bool within_limits(const RenderDoc *d)
{
    for (size_t i = 0; i < d->nitems; i++) {
        size_t rows, cols;
        char title[256];
        if (!rd_item_shown(&d->items[i], RENDER_FLAT))
            continue;
        item_size(&d->items[i], &rows, &cols);
        const char *t = item_title(&d->items[i], title, sizeof title);
        if (rows > XLSX_MAX_ROWS) {
            rd_fail(d, "xlsx: '%s' has %zu rows; an Excel sheet holds at most %d rows", t, rows,
                    XLSX_MAX_ROWS);
            return false;
        }
        if (cols > XLSX_MAX_COLS) {
            rd_fail(d, "xlsx: '%s' has %zu columns; an Excel sheet holds at most %d columns", t,
                    cols, XLSX_MAX_COLS);
            return false;
        }
    }
    return true;
}

/* Appends the bytes of the file open as fd to out; false on a read error. */
static bool read_back(int fd, Buf *out)
{
    if (lseek(fd, 0, SEEK_SET) < 0)
        return false;
    char chunk[65536];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0)
        buf_put(out, chunk, (size_t)n);
    return n == 0;
}

static void write_workbook(Xlsx *x, const char *path)
{
    lxw_workbook_options opts = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
    x->wb = workbook_new_opt(path, &opts);
    if (!x->wb) {
        rd_fail(x->d, "xlsx: cannot start a workbook");
        return;
    }
    lxw_doc_properties props = {.title = (char *)x->d->opts.plan_name, .created = XLSX_CREATED};
    workbook_set_properties(x->wb, &props);
    write_about(x);
    for (size_t i = 0; i < x->d->nitems && !x->d->error; i++)
        if (rd_item_shown(&x->d->items[i], RENDER_FLAT))
            write_item(x, &x->d->items[i]);
    lxw_error err = workbook_close(x->wb);
    if (err != LXW_NO_ERROR)
        rd_fail(x->d, "xlsx: writing the workbook failed: %s", lxw_strerror(err));
}

void emit_xlsx(const RenderDoc *d, Buf *out)
{
    if (!within_limits(d))
        return;
    int fd = memfd_create("salesplan-xlsx", MFD_CLOEXEC);
    if (fd < 0) {
        rd_fail(d, "xlsx: cannot make a memory file for the workbook: %s", strerror(errno));
        return;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    Xlsx x = {.d = d};
    write_workbook(&x, path);
    size_t len = out->len;
    if (!d->error && !read_back(fd, out)) {
        rd_fail(d, "xlsx: cannot read the workbook back: %s", strerror(errno));
        out->len = len;
    }
    close(fd);
    for (size_t i = 0; i < x.nnames; i++) {
        free(x.names[i]);
        free(x.shown[i]);
    }
    free(x.names);
    free(x.shown);
}
