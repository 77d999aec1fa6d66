/* render_int.h -- shared by the files of render/: the format list, the
 * document's items, the emitters' helpers.  Not for other modules:
 * render.h is the interface.
 *
 * Ownership: a document's items live in its arena (doc.c); the helpers
 * only append to a Buf the caller owns, or fill a RenderGrid that owns
 * its texts.  Helpers keep nothing.
 */
#ifndef RENDER_INT_H
#define RENDER_INT_H

#include "render/render.h"

/* The format table: one X(name, help, binary, view) per format, in the
 * order usage texts list them; the first is the default.  Adding a format
 * is one line here and one file render/emit_NAME.c defining
 * void emit_NAME(const RenderDoc *d, Buf *out). */
#define RENDER_FORMATS(X)                                                                          \
    X(table, "aligned, display unit; the default", false, RENDER_PEOPLE)                           \
    X(csv, "base units", false, RENDER_FLAT)                                                       \
    X(json, NULL, false, RENDER_RECORDS)                                                           \
    X(md, "for pull-request comments", false, RENDER_PEOPLE)                                       \
    X(xlsx, "Excel workbook, with -o FILE.xlsx", true, RENDER_FLAT)                                \
    X(html, "a self-contained web page", false, RENDER_PEOPLE)

#define RENDER_DECLARE_EMITTER(name, help, binary, view)                                           \
    void emit_##name(const RenderDoc *d, Buf *out);
RENDER_FORMATS(RENDER_DECLARE_EMITTER)

/* ---- documents (doc.c) ---- */

typedef enum { RI_TABLE, RI_SHEET } RenderItemKind;

typedef struct {
    RenderItemKind kind;
    bool labels; /* the document's --labels: members written by their labels */
    Table table; /* RI_TABLE */
    Sheet sheet; /* RI_SHEET */
    Lang lang;   /* the words the grid writes itself ("total"): LANG_EN but in a translated copy */
} RenderItem;

struct RenderDoc {
    const RenderFormat *format; /* NULL: a document for grids */
    unsigned view;
    RenderOpts opts;
    const char *caption;
    RenderItem *items;
    size_t nitems, cap;
    Arena arena;
    void **owned; /* malloc'd blocks the document frees (the sheets' cells) */
    size_t nowned;
    char *error;         /* why the emitter could not write the document (rd_fail), or NULL */
    RenderChart *charts; /* drawn by the html format beside their items */
    size_t ncharts;
};

/* --labels: the labels of one column that stand for two different members
 * there (labels[i] of names[i], n entries stride apart; a NULL label:
 * none), put in shared (the caller frees it).  Those members are written
 * by their names, so that what is written reads back as the same members. */
void rd_shared_labels(StrMap *shared, const char *const *labels, const char *const *names, size_t n,
                      size_t stride);
/* What --labels writes for a member: its label, or its name when it has
 * none or the label is shared. */
const char *rd_member_key(const StrMap *shared, const char *label, const char *name);

/* The shared labels of each of a sheet's columns cols (n of them), for
 * rd_member_key; freed by rd_sheet_shared_free (NULL is ignored). */
StrMap *rd_sheet_shared(const Sheet *s, const size_t *cols, size_t n);
void rd_sheet_shared_free(StrMap *shared, size_t n);
/* The emitter cannot write the document: the message render_error gives
 * (the first one is kept).  An emitter that fails appends nothing. */
void rd_fail(const RenderDoc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Whether the view shows the item. */
bool rd_item_shown(const RenderItem *it, unsigned view);
/* Whether the view shows column c of a sheet. */
bool rd_col_shown(const Sheet *s, size_t c, unsigned view);

/* ---- the chrome's language (translate.c) ---- */

/* A copy of d whose items show the chrome in lang: sheets' heads, titles'
 * first words and word cells translated (the strings in the copy's arena);
 * free it with rd_translated_free.  The originals are untouched. */
RenderDoc *rd_translated(const RenderDoc *d, Lang lang);
void rd_translated_free(RenderDoc *t);

/* ---- the shape of a table (shape.c) ---- */

/* A one-level table: no column level. */
bool rd_one_level(const Table *t);
/* The columns are members of a level (what --labels writes by label), not
 * the metric or metrics side by side, which stay named as in the plan. */
bool rd_cols_are_members(const Table *t);
/* A total column exists only for two-level tables with row totals. */
bool rd_has_total_col(const Table *t);
/* A one-level table's total line shows the grand total (or the column
 * total when the grand total is not given). */
bool rd_has_total_row(const Table *t);
/* The total row's cell for column j, or NULL when it is not given. */
const Num *rd_total_cell(const Table *t, size_t j);
/* The cell where the total row meets the total column, or NULL. */
const Num *rd_corner_cell(const Table *t);
const Num *rd_cell(const Table *t, size_t i, size_t j);
/* Row i's total, or NULL (none, or n/a); the grand total, or NULL (n/a). */
const Num *rd_row_total(const Table *t, size_t i);
const Num *rd_grand_total(const Table *t);
/* Row i's member name ("" for none) and what people see (label or name). */
const char *rd_row_name(const Table *t, size_t i);
const char *rd_row_label(const Table *t, size_t i);
/* Column j's name and label; a one-level table's single column is the metric. */
const char *rd_col_name(const Table *t, size_t j);
const char *rd_col_label(const Table *t, size_t j);
/* Column j's kind and plain decimals (Table.col_kinds, col_decimals; the
 * table's own for the total column, j == ncols, and when not given). */
ValueKind rd_col_kind(const Table *t, size_t j);
int rd_col_decimals(const Table *t, size_t j);

/* ---- text (text.c) ---- */

/* Appends s for a human reader: tabs and line ends become spaces, other
 * control characters '?', invalid bytes U+FFFD; with md, also escapes the
 * characters that would end a Markdown table cell or start emphasis, code
 * or HTML. */
void rd_put_clean(Buf *b, const char *s, bool md);
/* Appends line to out without trailing spaces, optionally bold, then '\n';
 * empties line. */
void rd_emit_line(Buf *out, Buf *line, bool bold);
/* Appends n spaces. */
void rd_put_spaces(Buf *b, int n);
/* A CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF.
 * Unless raw, a text that a spreadsheet would read as a formula (it starts
 * with =, +, -, @, tab or CR and is not a number) gets a leading ' (OWASP),
 * and control characters are escaped as term_escape shows them. */
void rd_csv_field(Buf *out, const char *s, bool raw);
/* A JSON string, or null for NULL.  Invalid UTF-8 becomes \ufffd; control
 * characters (C0, DEL, C1) and bidi controls are \u escapes. */
void rd_json_str(Buf *out, const char *s);

/* ---- tables for people (people.c) ---- */

/* "revenue 销售额 (万 CNY)": the metric, its label, and for money the unit
 * and currency (bold metric in md). */
void rd_metric_heading(Buf *b, const Table *t, const RenderOpts *o, bool md);

/* A table's cells as people read them, with the header row, the label
 * column and the total row and column. */
typedef struct {
    size_t nr, nc;  /* rows with header and total row; columns with the label column */
    char **cells;   /* nr * nc, malloc'd, sanitised but not md-escaped */
    bool total_row; /* the last row is the total row */
} ShownTable;

/* Fills g from t: labels sanitised, numbers by the value formatter in
 * o's display unit. */
void rd_shown_build(ShownTable *g, const Table *t, const RenderOpts *o);
/* Cell (r, c) of g (row 0: the header). */
const char *rd_shown(const ShownTable *g, size_t r, size_t c);
void rd_shown_free(ShownTable *g);

/* One part of a sheet as people read it: rows [from, to), titled with the
 * group value (or NULL), with the note under it (or NULL). */
typedef struct {
    const Sheet *s;
    size_t from, to;
    const char *group_value;
    const char *note;
} SheetPart;

typedef void SheetPartFn(Buf *out, const SheetPart *p, const RenderOpts *o);

/* Calls part() for each part of the sheet: one per run of rows with the
 * same group value (all rows when there is no group column), a blank line
 * between them, and the sheet's note under the last. */
void rd_sheet_parts(Buf *out, const Sheet *s, const RenderOpts *o, bool md, SheetPartFn *part);
/* Cell (r, c) as people read it ("" for none). */
const char *rd_sheet_text(const Sheet *s, size_t r, size_t c);
/* Whether people see column c (not the group column, and shown to them). */
bool rd_people_col(const Sheet *s, size_t c);
/* "TITLE — GROUP" (md: "### ...") and the heading, each on its line. */
void rd_sheet_title(Buf *out, const SheetPart *p, bool md);

/* ---- grids (grid.c) ---- */

/* One row of an item's grid: n cells (the header's have no numbers),
 * valid during the call only. */
typedef void GridRowFn(void *ctx, const RenderCell *cells, size_t n, bool head);

/* Calls row() for the header and then each row of the item's grid (what
 * the flat view writes), in order; typed: with the numbers of the cells. */
void rd_item_rows(const RenderItem *it, bool typed, GridRowFn *row, void *ctx);

/* ---- html (emit_html.c, chart.c, svg.c) ---- */

/* Appends s as HTML text or attribute value: & < > " ' escaped, control
 * characters dropped, invalid bytes U+FFFD. */
void rd_html_text(Buf *out, const char *s);
/* Draws chart c of d as an inline SVG figure, beside the table whose
 * element id is "item-N" (N: c->item). */
void rd_chart(Buf *out, const RenderDoc *d, const RenderChart *c);

/* The SVG writer: plain shapes, every text escaped. */
void rd_svg_open(Buf *out, int w, int h, const char *aria);
void rd_svg_close(Buf *out);
/* A mark: a rectangle with a class, its <title> and data-value (plain
 * decimal), and the cell it shows: data-row and data-col (row < 0: none),
 * the same as the table's <tr data-row> and <td data-col>. */
void rd_svg_rect(Buf *out, int x, int y, int w, int h, const char *cls, const char *title,
                 const char *value, long row, long col);
void rd_svg_line(Buf *out, int x1, int y1, int x2, int y2, const char *cls);
/* A text at (x, y); anchor "start", "middle" or "end". */
void rd_svg_text(Buf *out, int x, int y, const char *anchor, const char *cls, const char *s);

#endif
