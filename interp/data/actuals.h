/* actuals.h -- what was really sold (SPEC §9): actuals sources (CSV files,
 * or any row source: data/source.h) streamed into per-member, per-month
 * sums.
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
 *   record has as many fields as the header.  Spaces and tabs around
 *   header names and cells are ignored.
 * - Columns: a time column (`date` YYYY-MM-DD, or `month` YYYY-MM or a
 *   month number 1-12 of the fiscal year), required; columns named after
 *   levels of declared dimensions, holding member names or labels; columns
 *   named after base metrics, holding plain decimals (optional leading
 *   '-', at most 12 decimals; a percent metric also takes "95%" for 0.95);
 *   an empty metric cell gives no value for that metric, and an empty
 *   level cell names no member of that level.  The mapping
 *   `{ rep = rep_id  revenue = amount  date = 日期 }` renames: plan name =
 *   column name; a mapped column must exist, and a column the mapping
 *   gives to one name is not also taken by another name's default.  A
 *   mapping entry that names no level, metric, date or month is an error in
 *   the plan.  Other columns are ignored.  A column for a derived metric
 *   is an error (its components are what counts).  A file without a time
 *   column or without any metric column is an error at its header.
 * - Several level columns of one dimension must agree: the deepest names
 *   the member, the others must be its ancestors ("rep zhang is in north,
 *   not east").  An unknown member or a contradiction is an error at
 *   file:line:col, unless lenient: then the row is skipped and counted.
 *   A member is found by name first, then by label (a label that several
 *   members of the level share is ambiguous: an error).
 * - Rows outside the plan's fiscal year are skipped and counted.
 * - Sums are exact; when the absolute values of one metric add up to more
 *   than the largest Num that is an error (so no sum can overflow).
 * - At the end of each file act_load warns once about rows outside the
 *   fiscal year and once about rows skipped by lenient (at the first such
 *   row: "--lenient: 3 rows skipped (first at FILE:LINE: unknown rep 'x')").
 * - Every error is reported to the Program's diagnostics at the CSV
 *   position (FILE:LINE:COL, with the offending line and a caret when it is
 *   short enough) and sets p->data_error; reading stops after
 *   ACT_MAX_ERRORS errors in one file.
 * - A big file (16 MiB or more; SALESPLAN_THREADS overrides) is read by
 *   several threads, each with its own part of the file and its own cells;
 *   sums, counts, warnings and errors (their order too) are exactly those
 *   of one thread.
 * - A row a source hands over pre-aggregated (SrcRow.weight > 1) counts as
 *   that many rows: its values are their sum.
 *
 * Ownership: an Actuals belongs to its creator (act_free).  The Sources
 * that diagnostics about CSV files point into (the offending lines) are
 * kept by the Program, as Units without statements, so diagnostics may be
 * flushed at any time before prog_free, also after act_free or after
 * act_load_all returned NULL.  An Actuals reads p->sym and must not outlive
 * the Program.
 */
#ifndef ACTUALS_H
#define ACTUALS_H

#include "data/source.h"
#include "load/load.h"
#include "model/model.h"

#define ACT_MAX_ERRORS 20

typedef struct Actuals Actuals;

/* An empty store for the plan (p must be checked without errors). */
Actuals *act_new(Program *p);
void act_free(Actuals *a);

/* Streams one source into the store.  path is what to open (a file, or a
 * URI: src_open); shown is the name diagnostics use; mapping is the N_ATTR list of an `actuals`
 * declaration (or NULL); at is where the file is named (the plan's
 * `actuals` line; src NULL for --actuals).  Returns 0, or -1 after
 * reporting (the store is then incomplete and must not be used). */
int act_load(Actuals *a, const char *path, const char *shown, const Node *mapping, Loc at,
             bool lenient);

/* The same from a source already open (its name is the one diagnostics
 * use); the source is read to its end but not closed.  at: where the plan
 * declares it (src NULL: nowhere), where a database table's header and
 * errors are reported. */
int act_load_source(Actuals *a, RowSource *src, const Node *mapping, Loc at, bool lenient);

/* Reads every source: the files given on the command line (they replace
 * the plan's `actuals` declarations and use the mapping of its first one),
 * or else every `actuals` declaration of the plan, paths checked with
 * src_open_data (prog_open_data for files).  Afterwards warns once per file about rows outside the
 * fiscal year and rows skipped by lenient.  Returns NULL after reporting
 * (and when nothing was read, with *none set). */
Actuals *act_load_all(Program *p, const char *const *files, int nfiles, bool lenient, bool *none);

/* Whether the store may serve plan p (checked, without errors): the same
 * dimensions (members in order, levels), every base metric of the store
 * still a base metric, and weeks kept exactly when p has a weekly review
 * (the same weeks of the same days).  What the store was read from (the sources,
 * the fiscal year) is the caller's to compare. */
bool act_fits(const Actuals *a, const Program *p);

/* Binds the store to p (act_fits must hold): members are found by position
 * in their dimension and metrics by name from now on.  The plan it was
 * bound to is never read again (it may be freed). */
void act_rebind(Actuals *a, Program *p);

/* Whether the store is bound to p (a NULL store is bound to nothing). */
bool act_bound_to(const Actuals *a, const Program *p);

/* Whether some file read has a column for this base metric (its actuals
 * are then known, even when no row falls in the fiscal year). */
bool act_has(const Actuals *a, const Node *metric);

/* The last fiscal month (0 = the first month of the fiscal year .. 11)
 * with at least one row of any metric, or -1 when there is none. */
int act_last_month(const Actuals *a);

/* Sum and row count of a base metric over fiscal months from..to
 * (inclusive, 0..11) for member m and everything under it (m NULL: the
 * whole plan; a member of the time dimension: the plan over that
 * member's months within from..to).  A metric no file gives, a dimension
 * no file has a column for, a reserve row (pseudo member) and a NULL
 * Actuals all sum to 0 with count 0.  Percent and score metrics average:
 * the caller divides the sum by the count. */
Num act_sum(const Actuals *a, const Node *metric, const Member *m, int from, int to);
long act_count(const Actuals *a, const Node *metric, const Member *m, int from, int to);

/* Weeks (a plan with a weekly review only: otherwise rows are kept per
 * month alone).  act_has_weeks: whether the store keeps them; every source
 * then has a date column (a `month` column is an error at its header).
 * act_last_week: the last week (0 .. nweeks - 1 of the plan's WeekCal)
 * with a row, or -1.  act_week_sum / act_week_count: sum and row count of
 * a base metric in week w (its days inside the fiscal year) for member m
 * and everything under it (m NULL: the plan); 0 where act_sum gives 0. */
bool act_has_weeks(const Actuals *a);
int act_last_week(const Actuals *a);
Num act_week_sum(const Actuals *a, const Node *metric, const Member *m, int week);
long act_week_count(const Actuals *a, const Node *metric, const Member *m, int week);

/* Data rows read from every file (blank lines not counted), of them the
 * rows skipped by lenient, and the rows outside the fiscal year: for
 * messages. */
long act_rows(const Actuals *a);
long act_rows_skipped(const Actuals *a);
long act_rows_outside(const Actuals *a);

#endif
