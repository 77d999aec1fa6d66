/* table_diff.h -- two evaluations of one table compared cell by cell, as
 * their logical grids (render.h: the cells its CSV form publishes, SPEC
 * §15): what `salesplan diff` and the REPL's answers and :diff are made
 * of.
 *
 * Rows are matched by their key columns (the member for tables and the
 * reforecast; period and member for
 * incentive statements; period, member and KPI or metric for scorecards
 * and reviews), columns by name; a row only one side has counts as all its
 * cells added or removed.  A missing table is a NULL grid.  The grids
 * stay the caller's; a TdChanges owns its rows, seven strings each (table,
 * row, column, old, new, delta, change), plain and as people read them,
 * in its arena (session_diff_free).
 */
#ifndef TABLE_DIFF_H
#define TABLE_DIFF_H

#include "render/render.h"
#include "syntax/ast.h"

/* The text that names a show on both sides: "revenue by region, quarter",
 * "incentive commission" (malloc'd). */
char *session_show_key(const Node *show);
/* How many leading columns identify a row of the show's table. */
int session_key_columns(const Node *show);

#define TDIFF_COLS 7

typedef struct {
    Arena arena;
    size_t nrows, cap;
    const char **text;  /* nrows * TDIFF_COLS: plain, base units (csv, json) */
    const char **shown; /* nrows * TDIFF_COLS: for people: money in `unit` */
    bool old_columns;   /* also cells of columns only the old side has (the REPL) */
    /* Set before the first comparison: the plan's display unit ("" or NULL:
     * none) and decimals, in which people read the old, new and delta of
     * money cells (vf_amount: "1,400.00万", the unit on each amount). */
    const char *unit;
    int decimals;
} TdChanges;

/* Adds the changed cells of one table (old a, new b) to ch; returns how
 * many were added. */
size_t session_diff(TdChanges *ch, const char *table, int nkey, const RenderGrid *a,
                    const RenderGrid *b);
/* The same, except that equal grids add nothing without their rows being
 * matched (the REPL, after every change). */
size_t session_diff_changed(TdChanges *ch, const char *table, int nkey, const RenderGrid *a,
                            const RenderGrid *b);
void session_diff_free(TdChanges *ch);
/* How many cells session_diff_changed would add (with old_columns),
 * counted without making them. */
size_t session_diff_count(int nkey, const RenderGrid *a, const RenderGrid *b);

/* Adds the changes to doc as one sheet (columns table, row, column, then
 * old_name, new_name, delta, change); ch must outlive doc. */
void session_diff_sheet(RenderDoc *doc, const TdChanges *ch, const char *old_name,
                        const char *new_name);

#endif
