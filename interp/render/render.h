/* report.h -- rendering tables of exact numbers as text, CSV, JSON or
 * Markdown, and writing output files atomically.
 *
 * A Table is filled by the caller (alloc.c, later incentive.c...) and only
 * read here; its strings and arrays belong to the caller.  Rendering
 * appends to a Buf owned by the caller.  Nothing here computes a total:
 * the caller passes the totals it shows (SPEC §8: totals shown are sums of
 * the rounded cells shown), and the renderer only formats them.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdbool.h>

#include "base/num.h"
#include "base/util.h"
#include "base/valfmt.h"

typedef enum { OUT_TABLE, OUT_CSV, OUT_JSON, OUT_MD } OutFormat;

typedef struct {
    const char *title;        /* report title, or NULL */
    const char *metric;       /* metric name, e.g. "revenue" */
    const char *metric_label; /* e.g. "销售额", or NULL */
    ValueKind kind;
    int decimals;             /* CSV/JSON decimals: money = decimals of the plan's round step,
                                 count 0, percent 4 (as a fraction: 0.9500), score 2 */
    const char *row_level;    /* e.g. "region" */
    const char *col_level;    /* e.g. "quarter"; NULL for a one-level table */
    size_t nrows, ncols;      /* ncols = 1 when col_level is NULL */
    const char **row_names;   /* member names, in order */
    const char **row_labels;  /* display labels or NULL entries (then the name is shown) */
    const char **col_names;
    const char **col_labels;
    const Num *cells;         /* nrows * ncols, row-major */
    const Num *row_totals;    /* nrows, or NULL: no total column */
    const Num *col_totals;    /* ncols, or NULL: no total row */
    const Num *grand_total;   /* or NULL */
    const char *note;         /* a line printed under the table (e.g. a negotiation gap), or NULL */
} Table;

typedef struct {
    OutFormat format;
    const char *unit;  /* display unit for money in table/md: "", "1", "k", "万", "M", "亿" */
    const char *currency; /* e.g. "CNY", or NULL */
    bool color;        /* ANSI colour (table format on a terminal only) */
} OutOpts;

/* A sheet: rows of already formatted cells, for statements, scorecards
 * and reviews (the tables of incentive.c), where each column has its own
 * kind.  Table and md output split the sheet into one table per value of
 * column `group` (the period), titled "TITLE — VALUE", without that
 * column; CSV and JSON keep every row in one table, and leave out the
 * rows marked as totals.  Cells point into the caller's memory. */
typedef enum { STY_NONE, STY_GREEN, STY_AMBER, STY_RED, STY_MARK } CellStyle;

typedef struct {
    const char *title;
    const char *heading;   /* a line under the title (table, md), or NULL */
    size_t ncols, nrows;
    const char **heads;    /* column names: CSV header, JSON keys */
    const bool *right;     /* per column: right-aligned (numbers) */
    const bool *json_num;  /* per column: a number in JSON (else a string) */
    const char **text;     /* nrows * ncols: as shown in table and md */
    const char **plain;    /* nrows * ncols: as written in CSV and JSON */
    const unsigned char *style; /* nrows * ncols CellStyle, or NULL */
    const bool *total;     /* per row: a total row (table and md only), or NULL */
    int group;             /* column that splits table/md output, or -1 */
    const char **notes;    /* per group value: a line under its table, or NULL */
    const char *note;      /* a line under the whole sheet, or NULL */
} Sheet;

void report_sheet(Buf *out, const Sheet *s, const OutOpts *o, int index);

/* Appends one table.  Several tables in one output are separated by one
 * blank line (text, md) or are elements of one JSON array (the caller
 * calls report_json_begin/end around them); CSV tables are separated by a
 * blank line. */
void report_table(Buf *out, const Table *t, const OutOpts *o, int index);
void report_json_begin(Buf *out);
void report_json_end(Buf *out);

/* Writes data to path atomically: a temporary file in the same directory,
 * fsync, then rename.  Returns 0, or -1 with *err a malloc'd message. */
int write_atomic(const char *path, const char *data, size_t len, char **err);

#endif
