/* actuals.h -- what was really sold (SPEC §9): actuals CSV files streamed
 * into per-member, per-month sums.
 *
 * An Actuals holds, for every base metric (money, count, percent, score)
 * that some file gives, and for every dimension of the plan, the exact sum
 * and the number of rows of each (member, fiscal month) pair, rolled up
 * to every ancestor, plus the plan-wide total per month.  Memory grows
 * with members x months x metrics, never with the number of rows.  Cells
 * across two dimensions (north x cards) are not kept: incentives,
 * scorecards and reviews ask about one member at a time.
 *
 * Reading rules (act_load):
 * - RFC 4180 CSV, UTF-8, header row; blank lines are skipped; every other
 *   record has as many fields as the header.
 * - Columns: a time column (`date` YYYY-MM-DD, or `month` YYYY-MM or a
 *   month number 1-12 of the fiscal year), required; columns named after
 *   levels of declared dimensions, holding member names or labels; columns
 *   named after base metrics, holding plain decimals (optional leading
 *   '-'); an empty metric cell gives no value for that metric.  The
 *   mapping `{ rep = rep_id  revenue = amount  date = 日期 }` renames:
 *   plan name = column name.  Other columns are ignored.  A column for a
 *   derived metric is an error (its components are what counts).
 * - Several level columns of one dimension must agree: the deepest names
 *   the member, the others must be its ancestors ("rep zhang is in north,
 *   not east").  An unknown member or a contradiction is an error at
 *   file:line:col, unless lenient: then the row is skipped and counted.
 * - Rows outside the plan's fiscal year are skipped and counted.
 * - Every error is reported to the Program's diagnostics at the CSV
 *   position (FILE:LINE:COL, with the offending line and a caret when it is
 *   short enough) and sets p->data_error; reading stops after
 *   ACT_MAX_ERRORS errors in one file.
 */
#ifndef ACTUALS_H
#define ACTUALS_H

#include "symbols.h"

#define ACT_MAX_ERRORS 20

typedef struct Actuals Actuals;

/* An empty store for the plan (p must be checked without errors). */
Actuals *act_new(Program *p);
void act_free(Actuals *a);

/* Streams one CSV into the store.  path is what to open; shown is the
 * name diagnostics use; mapping is the N_ATTR list of an `actuals`
 * declaration (or NULL); at is where the file is named (the plan's
 * `actuals` line; src NULL for --actuals).  Returns 0, or -1 after
 * reporting (the store is then incomplete and must not be used). */
int act_load(Actuals *a, const char *path, const char *shown, const Node *mapping, Loc at, bool lenient);

/* Reads every source: the files given on the command line (they replace
 * the plan's `actuals` declarations and use the mapping of its first one),
 * or else every `actuals` declaration of the plan, paths checked with
 * prog_data_path.  Afterwards warns once per file about rows outside the
 * fiscal year and rows skipped by lenient.  Returns NULL after reporting
 * (and when nothing was read, with *none set). */
Actuals *act_load_all(Program *p, const char *const *files, int nfiles, bool lenient, bool *none);

/* Whether any file gave a value for this base metric. */
bool act_has(const Actuals *a, const Node *metric);

/* The last fiscal month (0 = the first month of the fiscal year .. 11)
 * with at least one row of any metric, or -1 when there is none. */
int act_last_month(const Actuals *a);

/* Sum and row count of a base metric over fiscal months from..to
 * (inclusive, 0..11) for member m and everything under it (m NULL: the
 * whole plan).  A metric no file gives sums to 0 with count 0. */
Num act_sum(const Actuals *a, const Node *metric, const Member *m, int from, int to);
long act_count(const Actuals *a, const Node *metric, const Member *m, int from, int to);

/* Data rows read from every file (blank lines not counted), of them the
 * rows skipped by lenient, and the rows outside the fiscal year: for
 * messages. */
long act_rows(const Actuals *a);
long act_rows_skipped(const Actuals *a);
long act_rows_outside(const Actuals *a);

#endif
