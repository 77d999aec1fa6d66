/* run.h -- `salesplan run`: evaluate a plan and print its tables. */
#ifndef RUN_H
#define RUN_H

#include "alloc/alloc.h"
#include "measure/measure.h"
#include "load/load.h"
#include "render/render.h"
#include "session/table_diff.h"

typedef struct {
    const char *file;
    const char **shows; /* --show texts */
    int nshows;
    const char **allow;
    int nallow;
    const RenderFormat *format;
    const char *out; /* -o FILE, or NULL for stdout */
    const char *explain;
    size_t max_cells;
    const char **actuals; /* --actuals files (they replace the plan's) */
    int nactuals;
    const char *as_of;    /* --as-of YYYY-MM, or NULL */
    const char *scenario; /* --scenario NAME, or NULL */
    bool lenient;         /* --lenient: skip and count bad actuals rows */
} RunOpts;

typedef struct {
    const Node **shows; /* malloc'd; the nodes belong to the program */
    const char **titles;
    int n;
} ShowList;

/* The plan's reports and show statements, in order. */
void run_plan_shows(Program *p, ShowList *l);
/* One table per split metric and dimension. */
void run_default_shows(Program *p, Engine *en, Arena *arena, ShowList *l);
/* `show review CADENCE` for every review of the plan. */
void run_review_shows(Program *p, Arena *arena, ShowList *l);
/* One show evaluated into its logical grid: what its CSV holds (salesplan
 * diff, the REPL's answers).  *out gets a grid with one reference, empty
 * when nothing evaluated.  Returns 0, or 1 after reporting. */
int run_show_grid(Engine *en, Measure *ms, const Node *show, RenderGrid **out);
/* Renders a list of shows as `run` prints them (the REPL's :run, show
 * statements), in colour when color is set and the table goes to a
 * terminal. */
int run_render(Program *p, Engine *en, Measure *ms, ShowList *l, const RenderFormat *format,
               bool color, Buf *out);

/* Returns the exit status: 0, 1 (invalid plan or evaluation error) or 2. */
int run_plan(const RunOpts *o);

/* Evaluates every split metric, reporting allocation errors (for check). */
void run_check_allocations(Program *p);

/* check: reads the plan's actuals, then runs every worked example and
 * assertion (SPEC §13), reporting failures with both sides. */
void run_check_verify(Program *p);

#endif
