/* tdiff.h -- two evaluations of one table compared cell by cell, as its
 * CSV form (SPEC §15) publishes them: what `salesplan diff` and the REPL's
 * answers and :diff are made of.
 *
 * Rows are matched by their key columns (the member; period and member for
 * incentive statements; period, member and KPI or metric for scorecards
 * and reviews), columns by name; a row only one side has counts as all its
 * cells added or removed.  A TdCsv owns its strings (tdiff_csv_free); a
 * TdChanges owns its rows, seven strings each (table, row, column, old,
 * new, delta, change), in its arena (tdiff_changes_free).
 */
#ifndef TDIFF_H
#define TDIFF_H

#include "syntax/ast.h"
#include "render/render.h"

/* The text that names a show on both sides: "revenue by region, quarter",
 * "incentive commission" (malloc'd). */
char *tdiff_show_key(const Node *show);
/* How many leading CSV columns identify a row of the show's table. */
int tdiff_key_columns(const Node *show);

typedef struct {
    char **heads;
    size_t ncols;
    char ***rows; /* each ncols strings */
    size_t nrows;
} TdCsv;

/* Reads the first table of our own CSV output (a blank line ends it). */
void tdiff_csv_read(const Buf *b, TdCsv *c);
void tdiff_csv_free(TdCsv *c);

#define TDIFF_COLS 7

typedef struct {
    Arena arena;
    size_t nrows, cap;
    const char **text; /* nrows * TDIFF_COLS */
    bool old_columns;  /* also cells of columns only the old side has (the REPL) */
} TdChanges;

/* Adds the changed cells of one table (old a, new b) to ch; returns how
 * many were added. */
size_t tdiff_compare(TdChanges *ch, const char *table, int nkey, const TdCsv *a, const TdCsv *b);
/* The same from the two CSV texts (either may be empty: the table is
 * missing on that side); equal texts are skipped without parsing. */
size_t tdiff_compare_csv(TdChanges *ch, const char *table, int nkey, const Buf *a, const Buf *b);
void tdiff_changes_free(TdChanges *ch);
/* How many cells tdiff_compare_csv would add (with old_columns), counted
 * without making them. */
size_t tdiff_count_csv(int nkey, const Buf *a, const Buf *b);

/* Renders the changes as one sheet (columns table, row, column, then
 * old_name, new_name, delta, change) in o->format. */
void tdiff_sheet(Buf *out, const TdChanges *ch, const OutOpts *o, const char *old_name,
                 const char *new_name);

#endif
