/* render.h -- output as data: a document of tables and sheets (and the
 * charts the html format draws beside them from their cells), rendered
 * whole in one of the output formats (the format table: table, csv, json,
 * md, html); the logical grid of each item (what CSV writes, what the table diff
 * compares); atomic output files.
 *
 * Ownership: a RenderDoc owns an arena (render_arena) and everything copied
 * into it: the caption, and every sheet made with the sheet builder
 * (RenderSheet: its cells, heads, title, heading and note are copied; its
 * cell arrays pass to the document).
 * render_add_table and render_add_sheet copy only the struct: the arrays and
 * strings a Table or Sheet points to stay the caller's and must live until
 * the document is rendered or freed (allocate them in render_arena to tie
 * them to it).  render_add_chart copies the chart (its filter text into the
 * arena).  render_free releases the document and its arena.  A
 * RenderGrid owns its texts and is reference counted (render_grid_ref,
 * render_grid_unref), so that it outlives the document and the plan it came
 * from.  Rendering appends to a Buf the caller owns.  Nothing here
 * computes a number: callers pass the totals they show (SPEC §8); render
 * only formats, lays out and sanitises what people read.
 */
#ifndef RENDER_H
#define RENDER_H

#include <stdbool.h>

#include "base/files.h"
#include "base/lang.h"
#include "base/num.h"
#include "base/util.h"
#include "base/valfmt.h"

/* ---- the format table ------------------------------------------------------------------- */

/* The views of a document: whom a format writes for.  A format has one;
 * producers mark sheets and columns with the views that show them (0 or
 * RENDER_ALL: every view), and may skip computing what the document's
 * view does not show (render_shows). */
enum {
    RENDER_PEOPLE = 1,  /* labels, display texts in the display unit, total rows, sheets
                           split into one table per value of their group column */
    RENDER_RECORDS = 2, /* names and plain values, one record per row, no total rows */
    RENDER_FLAT = 4,    /* the flat export of SPEC §15 (no total rows), which is also the
                           logical grid of an item */
    RENDER_ALL = 7
};

typedef struct RenderDoc RenderDoc;

typedef struct {
    const char *name; /* what --format and :format take: "table" */
    const char *help; /* for usage texts: "aligned, display unit; the default", or NULL */
    bool binary;      /* bytes for a file rather than text for a terminal */
    unsigned view;    /* RENDER_PEOPLE, RENDER_RECORDS or RENDER_FLAT */
    void (*emit)(const RenderDoc *d, Buf *out); /* writes the whole document */
} RenderFormat;

/* The format of that name, or NULL. */
const RenderFormat *render_format(const char *name);
/* The default format (table). */
const RenderFormat *render_format_default(void);
/* The i-th format of the table (for listings and completion), NULL past the end. */
const RenderFormat *render_format_at(size_t i);
/* Appends the format names joined by sep, the last two by last_sep:
 * (", ", " or ") gives "table, csv, json or md". */
void render_format_names(Buf *out, const char *sep, const char *last_sep);
/* Appends a usage text with "{formats}" replaced by the names joined by
 * '|', "{text-formats}" by those of the formats that are not binary (what
 * a terminal shows), and "{formats-help}" by each name with its help,
 * "table (aligned, ...), csv (base units), json, ... or xlsx (...)",
 * wrapped to 84 columns under the column where it starts. */
void render_usage(Buf *out, const char *text);

/* ---- what a document holds ------------------------------------------------------------------ */

/* An allocation table of exact numbers (filled by alloc_table).  A
 * one-level table has no total column; its total line shows the grand
 * total (or col_totals[0]). */
typedef struct {
    const char *title;        /* report title, or NULL */
    const char *metric;       /* metric name, e.g. "revenue" */
    const char *metric_label; /* e.g. "销售额", or NULL */
    ValueKind kind;
    int decimals;            /* plain decimals (CSV, JSON, grid): money = decimals of the
                                plan's round step, count 0, percent 4 (a fraction), score 2 */
    const char *row_level;   /* e.g. "region" */
    const char *col_level;   /* e.g. "quarter"; NULL for a one-level table */
    size_t nrows, ncols;     /* ncols = 1 when col_level is NULL */
    const char **row_names;  /* member names, in order */
    const char **row_labels; /* display labels or NULL entries (then the name is shown) */
    const char **col_names;
    const char **col_labels;
    const Num *cells;       /* nrows * ncols, row-major */
    const Num *row_totals;  /* nrows, or NULL: no total column */
    const Num *col_totals;  /* ncols, or NULL: no total row */
    const Num *grand_total; /* or NULL */
    const char *note;       /* a line under the table (e.g. a negotiation gap), or NULL */
    const bool *na;         /* or NULL: which values are n/a (a ratio over zero): the cells, then
                               the row totals, the column totals and the grand total (nrows * ncols
                               + nrows + ncols + 1); people read "n/a", csv an empty cell, json null */
    bool total_level;       /* row_level is the word "total" (a table of no level), translated */
    /* Several metrics side by side (`show revenue, margin by region`): each column's kind and
     * plain decimals (ncols each), or NULL: every column is `kind` with `decimals`.  Such a
     * table has col_level "metric" (one level: a column per metric, labelled with the
     * metric's label) or the second level's name (columns "METRIC MEMBER" grouped by metric,
     * then "METRIC total"), a total row of each column's own total and no total column. */
    const ValueKind *col_kinds;
    const int *col_decimals;
} Table;

/* A sheet: rows of already formatted cells, for statements, scorecards,
 * reviews and changes, where each column has its own kind.  People see
 * `text`, one table per value of column `group` (titled "TITLE — VALUE",
 * without that column), with the total rows; the other views see `plain`,
 * every row but the totals in one table. */
typedef enum { STY_NONE, STY_GREEN, STY_AMBER, STY_RED, STY_MARK } CellStyle;

typedef struct {
    const char *title;
    const char *heading; /* a line under the title (people), or NULL */
    size_t ncols, nrows;
    const char **heads;             /* column names: CSV header, JSON keys */
    const bool *right;              /* per column: right-aligned (numbers) */
    const bool *json_num;           /* per column: a number in JSON (else a string) */
    const char **text;              /* nrows * ncols: as people see them */
    const char **plain;             /* nrows * ncols: as CSV and JSON write them */
    const unsigned char *style;     /* nrows * ncols CellStyle, or NULL */
    const bool *total;              /* per row: a total row (people only), or NULL */
    int group;                      /* column that splits people's output, or -1 */
    const char **notes;             /* per group value: a line under its table, or NULL */
    const char *note;               /* a line under the whole sheet, or NULL */
    const unsigned char *col_views; /* per column: the views that show it, or NULL: all */
    unsigned views;                 /* the views that show the sheet; 0: all */
    /* The chrome's language (render/translate.c): heads, the title's first word and the
     * cells marked as words are English words of LANG_WORDS that people's formats and csv
     * show in the document's language; json keeps them in English. */
    const bool *head_name;      /* per column: the head is a name from the plan, or NULL */
    const unsigned char *words; /* nrows * ncols: 1 where the cell is a word, or NULL */
    const char **label;         /* nrows * ncols, or NULL: where plain is a member's
                                   name, its label (--labels writes it), else NULL */
    const unsigned char *kind;  /* nrows * ncols: 0 plain, else ValueKind + 1 (the
                                   number format of xlsx), or NULL */
} Sheet;

typedef struct {
    const char *unit;     /* display unit for money (people): "", "1", "k", "万", "M", "亿" */
    const char *currency; /* e.g. "CNY", or NULL */
    bool color;           /* ANSI colour where the format has it (the table format) */
    bool csv_raw_text;    /* csv: text cells as they are (no ' before a formula, no escapes) */
    Lang lang;            /* the chrome's language (`lang = "zh"`, --lang) */
    bool labels;          /* --labels: member labels instead of names in csv, json, xlsx */
    bool bom;             /* --csv-bom, `bom = true`: csv starts with a UTF-8 byte-order mark */
    /* What the document is of (xlsx's first sheet, the report's title); NULL: not known. */
    const char *plan_name;   /* the plan header's name: "FY2027 销售计划" */
    const char *plan_file;   /* the plan's file name without folders: "fy2027.plan" */
    const char *fiscal_year; /* "FY2027" (a plan of several years: "FY2027–FY2029") */
    const char *as_of;       /* the month reviewed to: "2027-06", or NULL */
    const char *version;     /* SALESPLAN_VERSION */
} RenderOpts;

/* A new, empty document rendered by format f (NULL: a document only for
 * its grids, whose view is RENDER_FLAT); o may be NULL (no unit, currency
 * or colour). */
RenderDoc *render_new(const RenderFormat *f, const RenderOpts *o);
void render_free(RenderDoc *d);
/* The document's arena: what is allocated there lives as long as it. */
Arena *render_arena(RenderDoc *d);
/* The language the document shows its chrome in: the options' language,
 * but English for json (it is for programs).  Producers write words as
 * English (render/translate.c translates them); phrases with values in
 * them (a sheet's heading, its notes) they write in this language. */
Lang render_lang(const RenderDoc *d);
/* Whether the document's view is one of views. */
bool render_shows(const RenderDoc *d, unsigned views);
/* A line above every item for people (bold in md), copied; sanitised as
 * every text people read. */
void render_caption(RenderDoc *d, const char *text);
/* Adds a table or a sheet (the struct is copied, not what it points to). */
void render_add_table(RenderDoc *d, const Table *t);
void render_add_sheet(RenderDoc *d, const Sheet *s);
/* Renders the whole document in its format; appends to out.  Items are
 * separated by a blank line (JSON: elements of one array).  Returns 0, or
 * -1 when the format cannot write the document (xlsx: a sheet past
 * Excel's limits); then nothing is appended and render_error says why. */
int render_doc(const RenderDoc *d, Buf *out);
/* Why render_doc failed ("a sheet of more than ..."), or NULL. */
const char *render_error(const RenderDoc *d);

/* ---- charts (the html format) ---------------------------------------------------------- */

/* A chart drawn beside an item of the document, from that item's cells
 * only (its numbers are the table's): the producer says which item and
 * which of its columns; the html emitter draws it, the other formats
 * ignore it.  Sheet columns are indices, -1 for none; a chart of a table
 * reads its cells (a one-level table). */
typedef enum {
    CHART_BARS_LINE, /* per period (period_col): value_col as bars beside value2_col, from
                        the total rows */
    CHART_LINE,      /* the last total row's columns value_col..value2_col (periods) as a
                        line: a reforecast of the months left */
    CHART_HBARS,     /* per member (label_col), value_col (an attainment) of the last period,
                        sorted, with the green and amber thresholds drawn */
    CHART_HEATMAP,   /* member (label_col) x period (period_col), coloured by style_col's
                        status, valued by value_col */
    CHART_HISTOGRAM, /* a distribution: value_col (members per band) of every row as bars,
                        labelled by label_col (the band's lower bound) */
    CHART_SHARES     /* a one-level table: each row's share of the total */
} ChartKind;

typedef struct {
    ChartKind kind;
    size_t item; /* index of the table or sheet among the document's items */
    int label_col, period_col, value_col, value2_col, style_col;
    int filter_col;     /* only rows whose plain cell equals filter (-1: every row) */
    const char *filter; /* copied */
    bool thresholds;    /* CHART_HBARS: draw green and amber */
    Num green, amber;
} RenderChart;

/* A chart with every column -1 and no thresholds. */
RenderChart render_chart(ChartKind kind, size_t item);
/* Adds a chart (copied). */
void render_add_chart(RenderDoc *d, const RenderChart *c);
/* How many items the document holds (the index the next one will have). */
size_t render_item_count(const RenderDoc *d);
/* Item i as a sheet, or NULL when it is a table (and the reverse). */
const Sheet *render_item_sheet(const RenderDoc *d, size_t i);
const Table *render_item_table(const RenderDoc *d, size_t i);
/* Column of a sheet with that head, or -1. */
int render_sheet_find(const Sheet *s, const char *head);

/* ---- building a sheet --------------------------------------------------------------------- */

/* A sheet being built row by row for a document.  The fields are the
 * builder's own: use the functions.  Every text is copied into the
 * document's arena. */
typedef struct {
    RenderDoc *doc;
    size_t ncols, nrows, cap;
    const char **heads;
    bool *right, *json_num;
    unsigned char *col_views;
    const char **text, **plain, **label;
    unsigned char *style, *words, *kind;
    bool *total, *head_name;
} RenderSheet;

void render_sheet_init(RenderSheet *b, RenderDoc *d, size_t ncols);
/* Column c: its head, and whether it holds numbers (right-aligned, JSON numbers). */
void render_sheet_col(RenderSheet *b, size_t c, const char *head, bool number);
/* Column c is shown only in these views (default: all). */
void render_sheet_col_views(RenderSheet *b, size_t c, unsigned views);
/* Column c is written as strings in JSON (it holds a text value). */
void render_sheet_col_text(RenderSheet *b, size_t c);
/* Room for rows rows in all (known ahead: no copies as the sheet grows). */
void render_sheet_reserve(RenderSheet *b, size_t rows);
/* Starts a row (a total row: people only), every cell empty. */
void render_sheet_row(RenderSheet *b, bool total);
/* Sets cell c of the last row: the text people see, and the plain text
 * (NULL: the same). */
void render_sheet_set(RenderSheet *b, size_t c, const char *text, const char *plain);
void render_sheet_style(RenderSheet *b, size_t c, CellStyle style);
/* Sets cell c of the last row to a word of LANG_WORDS (English: "total",
 * "green"), which people and csv read in the document's language. */
void render_sheet_word(RenderSheet *b, size_t c, const char *word);
/* Column c's head is a name from the plan: never translated. */
void render_sheet_col_name(RenderSheet *b, size_t c);
/* Cell c of the last row, whose plain text is a member's name, has this
 * label (NULL: none): what --labels writes in csv and json. */
void render_sheet_label(RenderSheet *b, size_t c, const char *label);
/* Cell c of the last row holds a value of this kind (xlsx's number format;
 * unset: a plain number). */
void render_sheet_kind(RenderSheet *b, size_t c, ValueKind kind);
/* Adds the sheet to the document (title, heading, note copied; group: the
 * column that splits people's output, or -1; views: 0 for all) and
 * empties the builder. */
void render_sheet_add(RenderSheet *b, const char *title, const char *heading, int group,
                      const char *note, unsigned views);
/* Drops a sheet that will not be added. */
void render_sheet_discard(RenderSheet *b);

/* ---- the logical grid ---------------------------------------------------------------------- */

typedef struct {
    const char *text; /* as CSV writes it; "" when empty */
    bool is_num;      /* the text is a decimal number, and num its exact value */
    Num num;
    bool money; /* a number that is an amount of money (a money table's cell) */
    bool plain; /* a decimal the table made (digits, '-', '.'): written as it is */
} RenderCell;

/* Key widths (leading columns) whose uniqueness a grid can remember. */
#define RENDER_GRID_KEYS 4

/* Header and rows of an item as plain cells: exactly what CSV writes. */
typedef struct {
    size_t ncols, nrows;
    const char **heads;
    RenderCell *cells;                  /* nrows * ncols, row-major */
    size_t cap;                         /* private: rows allocated */
    int refs;                           /* private: render_grid_ref / render_grid_unref */
    Arena arena;                        /* private: the texts */
    signed char keys[RENDER_GRID_KEYS]; /* private: render_grid_keys_note */
} RenderGrid;

/* The grid of the first item the flat view shows (0 columns when there
 * is none), with one reference. */
RenderGrid *render_grid(const RenderDoc *d);
RenderGrid *render_grid_ref(RenderGrid *g);
/* Drops a reference (NULL is ignored); the last one frees the grid. */
void render_grid_unref(RenderGrid *g);
/* Same heads and the same cell texts (NULL counts as an empty grid). */
bool render_grid_equal(const RenderGrid *a, const RenderGrid *b);
/* What a reader found out about the rows' keys over the first nkey
 * columns (a finished grid's cells never change, so it stays true):
 * 1 unique, -1 a key twice, 0 not known (nkey out of range: always 0).
 * The reader decides what a key is; it is the one that sets the note. */
int render_grid_keys_note(const RenderGrid *g, int nkey);
void render_grid_set_keys_note(const RenderGrid *g, int nkey, int note);

/* ---- output files -------------------------------------------------------------------------- */

/* Writes data to path atomically: a temporary file in the same directory,
 * fsync, then rename (render/output.c states the rules: a symbolic link is
 * written through, a target that is not a regular file, is read-only or
 * is one of keep (may be NULL) is refused, an existing file keeps its
 * mode, the temporary file goes on a signal).  Returns 0, or -1 with *err
 * a malloc'd message. */
int render_write_atomic(const char *path, const char *data, size_t len, const FileIds *keep,
                        char **err);

/* The same, for an output too large to hold: a Buf whose spill is
 * render_sink_spill (its ctx the sink) writes what it has to the
 * temporary file as it grows; render_sink_commit writes the rest, syncs
 * and renames (0), or says why not (-1, *err malloc'd).  The target is
 * checked when the first bytes come, and again at the commit.
 * render_sink_free removes a temporary file that was not committed. */
typedef struct RenderSink RenderSink;
RenderSink *render_sink_new(const char *path, const FileIds *keep);
void render_sink_spill(void *sink, const char *data, size_t len);
int render_sink_commit(RenderSink *s, const char *data, size_t len, char **err);
void render_sink_free(RenderSink *s);

/* Flushes and closes standard output: 0, or -1 with *err a malloc'd
 * message when anything written to it was lost (a full disk, /dev/full). */
int render_close_stdout(char **err);

#endif
