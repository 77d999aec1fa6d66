/* history.h -- `history NAME = "file.csv" { mapping }` sources (a CSV file, or
 * any row source: data/source.h): monthly totals
 * per (month, level values) group, seasonality month shares (SPEC §8) and
 * total(HISTORY[, FYyyyy]) (SPEC §9).
 *
 * Ownership: hist_load copies everything it keeps from the HistSpec (the
 * spec, its strings and the file name may be freed right after the call).
 * A History owns its groups and every string it hands out (HistGroup.scope,
 * hist_value_column, hist_time_column): they stay valid until hist_free.
 * A HistError is a plain value with a fixed message buffer; nothing to free.
 * The module only reads the file it is given: resolving the path against the
 * plan's directory and refusing paths that leave it (SPEC §17) is the caller's.
 *
 * Reading rules (hist_load):
 * - RFC 4180 CSV, UTF-8, first record is the header.  Blank lines are
 *   skipped.  Every other record must have as many fields as the header.
 *   Spaces and tabs around header names and values are ignored.
 * - Time column: the candidates are spec->date_col (default "date") holding
 *   YYYY-MM-DD and spec->month_col (default "month") holding YYYY-MM or a
 *   calendar month number 1-12.  A column named explicitly in the spec must
 *   exist ("missing column").  An explicitly named column beats a default
 *   one; between two of the same kind the date column wins; the other is
 *   then ignored.  A month number m belongs to fiscal year spec->fy_year,
 *   which starts in spec->start_month: it is month m of calendar year
 *   fy_year when m >= start_month, else of fy_year + 1 (with start = feb,
 *   FY2027: 2 -> 2027-02, 12 -> 2027-12, 1 -> 2028-01).  A month number
 *   with fy_year == 0 is an error.
 * - Value column: spec->value_col when given (it must exist); else the
 *   column named spec->name (the history's name) when present; else the one
 *   column, among those that are neither the time column nor a level column,
 *   whose value on the first data row is a number; none or several such
 *   columns is an error asking for a mapping.  Other columns are ignored.
 * - Values are plain decimals with an optional leading '-' ("-12345.67"),
 *   at most 12 decimals; no '+', '_', exponents, suffixes or separators.
 *   An empty value is an error.  Sums are exact; an overflow is an error.
 * - Level columns: spec->levels[i].column when given (it must exist), else
 *   a column named spec->levels[i].level when present (else the level is
 *   absent and its scope is NULL in every group).  Values are kept as text
 *   (an empty cell is the value "").
 * - A row a source hands over pre-aggregated (SrcRow.weight > 1) counts as
 *   that many rows: its value is their sum.
 * - Rows are aggregated while streaming: memory grows with the number of
 *   distinct (month, level values) groups, never with the number of rows.
 *   Groups are kept in order of first appearance, and every sum is taken in
 *   that order, so results are deterministic.
 */
#ifndef HISTORY_H
#define HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/num.h"
#include "data/source.h"
#include "model/model.h"

#define HIST_MAX_LEVELS 16
#define HIST_ERR_MAX 512
#define HIST_UNKNOWN_KEEP 5 /* unknown level values kept by name for the warning */

typedef struct {
    const char *level;  /* level name as the plan knows it ("region") */
    const char *column; /* mapped header name, or NULL: a column named `level`, if any */
} HistLevel;

typedef struct {
    const char *name;      /* the history's name (default value column), or NULL */
    const char *value_col; /* mapped value column, or NULL (see the rules above) */
    const char *date_col;  /* mapped date column, or NULL ("date" if present) */
    const char *month_col; /* mapped month column, or NULL ("month" if present) */
    HistLevel levels[HIST_MAX_LEVELS];
    int nlevels;
    int fy_year;        /* plan year, for month numbers 1-12 (0 = unknown) */
    int start_month;    /* fiscal start 1..12 (0 = jan), for month numbers */
    const Symbols *sym; /* the plan's members (see "Unknown members"), or NULL: keep every value */
} HistSpec;

typedef struct {
    char msg[HIST_ERR_MAX]; /* lower case, no file name or location */
    long line;              /* 1-based physical line, 0 when none (file cannot be opened) */
    long col;               /* 1-based column in code points, 0 when none; see hist_load */
    int field;              /* 1-based CSV field number, 0 when none */
} HistError;

/* One aggregated group: all rows of one calendar month with the same level values. */
typedef struct {
    int year, month;                    /* calendar month */
    const char *scope[HIST_MAX_LEVELS]; /* per spec level: the value, or NULL if absent */
    Num total;                          /* exact sum of the rows' values */
    long rows;                          /* number of rows summed */
} HistGroup;

typedef struct History History;

/* A filter for hist_season_where: rows whose `level` value is one of
 * values[0..nvalues) (names or labels, as the caller likes). */
typedef struct {
    const char *level;
    const char *const *values;
    size_t nvalues;
} HistFilter;

/* Reads and aggregates the CSV at path (rules above).  On error returns NULL
 * and fills *err (err may be NULL): bad number, bad date or month, missing or
 * duplicate column, wrong field count, no value column, sum overflow, and
 * every CSV reader error (invalid UTF-8, bad quoting, ...) with its line and
 * column.  The column of a value error is exact when no earlier field of the
 * record was quoted without need; an earlier field holding a line end moves
 * line and column to where the field really is. */
History *hist_load(const char *path, const HistSpec *spec, HistError *err);

/* The same from a source already open (read to its end, not closed). */
History *hist_read(RowSource *src, const HistSpec *spec, HistError *err);

/* The spec of the plan's `history NAME = "..." { mapping }` (s: the plan's
 * symbols): the time and value columns the mapping names (date, month,
 * NAME), the mapped levels (of declared dimensions) in the mapping's
 * order, then every other such level of the plan, looked for under its
 * own name.  The spec points into name, mapping and s. */
void hist_spec_init(HistSpec *spec, const Symbols *s, const char *name, const Node *mapping);

/* Frees h (NULL is allowed). */
void hist_free(History *h);

/* Number of data rows read (blank lines not counted). */
long hist_rows(const History *h);

/* Unknown members: the rows whose value in a level's column is no name,
 * alias or label of a member of that level (spec->sym) -- how many (their
 * weights summed), and in *names the first HIST_UNKNOWN_KEEP distinct such values
 * (*nnames of them).  Such rows still count in totals and in seasonality
 * without a filter, but pass no filter; their values share one group key
 * per level, so memory does not grow with them. */
long hist_unknown(const History *h, const char *const **names, int *nnames);

/* Number of distinct (month, level values) groups: what memory grows with. */
size_t hist_group_count(const History *h);

/* The i-th group in order of first appearance; false when i is out of range. */
bool hist_group(const History *h, size_t i, HistGroup *out);

/* Header names of the columns used. */
const char *hist_value_column(const History *h);
const char *hist_time_column(const History *h);

/* Whether the file has a column for the spec level named `level`. */
bool hist_has_level(const History *h, const char *level);

/* Seasonality (SPEC §8, the three-year month-share method).  Fiscal months
 * are in fiscal order, start_month (1..12) first.  A fiscal year (N = months
 * start_month of N .. start_month - 1 of N + 1) is complete when each of its
 * 12 months has at least one row that passes the filter.  Writes the month
 * totals summed over all complete fiscal years into weights[12] (zeros when
 * there is none) and the complete years, ascending, into years[0..max_years)
 * (years may be NULL when max_years is 0).
 * Filter: only rows whose level `filter_level` equals `filter_value` (the
 * value text as in the file, spaces around it trimmed) count; a NULL
 * filter_level or filter_value, or a level the history has no column for,
 * counts every row (SPEC: "if the history has a column for a level named in
 * the split's in scope").
 * Returns the number of complete fiscal years (0: none, the caller reports
 * "history X has no complete fiscal year"), or -1 when a month total
 * overflows or start_month is not 0..12 (0 is jan, like 1).  Shares are weights / their sum;
 * the caller normalises (values may be negative, the sum may be 0). */
int hist_season(const History *h, int start_month, const char *filter_level,
                const char *filter_value, Num weights[12], int *years, int max_years);

/* The same with any number of filters (all must pass; each accepts any of
 * its values; filters on levels the history lacks are ignored), for an `in`
 * scope naming several members or levels. */
int hist_season_where(const History *h, int start_month, const HistFilter *filters, size_t nfilters,
                      Num weights[12], int *years, int max_years);

/* total(HISTORY[, FYyyyy]) (SPEC §9): the sum of the value column over all
 * rows (fiscal_year 0) or over fiscal year fiscal_year (months start_month of
 * fiscal_year .. start_month - 1 of fiscal_year + 1; start_month 1..12, any
 * other value is jan).  On overflow returns NUM_ZERO and sets *overflow (overflow may be
 * NULL); otherwise *overflow is set to false. */
Num hist_total(const History *h, int start_month, int fiscal_year, bool *overflow);

#endif
