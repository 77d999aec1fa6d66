/* measure.h -- targets against actuals, one member and a range of months
 * at a time: what incentives, scorecards and reviews are computed from.
 *
 * Targets come from the allocation tables: a member's target for a range
 * of months is the sum of its rounded cells in `show METRIC by LEVEL,
 * month` (or the coarsest time level the metric is split by, a part of a
 * quarter counting in proportion to its months); percent and score
 * metrics have one value per member for every period.  Actuals come from
 * the Actuals store, or, under a scenario, are the targets times the
 * scenario's attainment.  Derived metrics are computed from their
 * components' values for the same member and months, targets and actuals
 * alike, unless a target sets them directly.
 *
 * Periods: a review of cadence monthly, quarterly, half or annual reports
 * each period whose first month is at or before the as-of month (the last
 * month with actuals, --as-of, or the whole year under a scenario); in
 * the period holding the as-of month, targets and actuals both count only
 * up to that month (the period is partial).
 *
 * A Measure borrows the Program, the Engine and the Actuals; it owns its
 * caches and its Eval.  Errors are reported to the Program's diagnostics.
 */
#ifndef MEASURE_H
#define MEASURE_H

#include "data/actuals.h"
#include "alloc/alloc.h"


typedef struct {
    int from, to;      /* fiscal months 0..11 of the whole period */
    int last;          /* last month counted: to, or the as-of month when partial */
    const char *label; /* "Q1", "2027-02", "H1", "FY2027" */
    bool partial;
} Period;

typedef struct Grid Grid;

typedef struct Measure {
    Program *p;
    Engine *en;
    const Actuals *act;   /* NULL: no actuals */
    const Node *scenario; /* N_SCENARIO or NULL */
    int as_of;            /* last fiscal month reported, -1: nothing to report */
    Eval ev;              /* incentive lines, derived metrics, assertions */
    StrMap grids;         /* "metric\x1flevel" -> Grid */
    Arena arena;
    /* the derived metric being computed: its components answer for these */
    const Member *d_member;
    int d_from, d_to;
    int d_actual; /* 1: actuals, 0: targets, -1: not inside a derived metric */
    void *ctx;    /* the incentive, example or assertion being evaluated (incentive.c) */
    const Node *busy[16]; /* incentives being computed: total(X) inside X is a cycle */
    int nbusy;
    struct { const Node *metric; const Level *lv; Grid *g; } recent[4]; /* grid lookups */
} Measure;

/* as_of: fiscal month 0..11 from --as-of, or -1 to take it from the
 * scenario (the whole year) or the actuals (their last month). */
void ms_init(Measure *ms, Program *p, Engine *en, const Actuals *act, const Node *scenario,
             int as_of);
void ms_free(Measure *ms);

/* "quarterly" -> CAD_QUARTERLY; -1 for anything else. */
int ms_cadence(const char *name);
/* The periods of a cadence that are reported; returns how many (0..12). */
int ms_periods(Measure *ms, Cadence c, Period *out);
/* Fiscal month 0..11 of YYYY-MM in the plan's fiscal year, or -1. */
int ms_fiscal_month(const Symbols *s, int year, int month);
/* The label of fiscal month i ("2027-02"). */
const char *ms_month_label(const Symbols *s, int i);

/* Target, actual and attainment of metric for member m (NULL: the whole
 * plan) over fiscal months from..to.  at is where the value is asked for
 * (for diagnostics).  Return 0, or -1 after reporting. */
int ms_target(Measure *ms, const Node *metric, const Member *m, int from, int to, const Node *at,
              Num *out);
int ms_actual(Measure *ms, const Node *metric, const Member *m, int from, int to, const Node *at,
              Num *out);
/* actual / target (target / actual when lower_is_better), 0 when the
 * divisor is 0; truncated at 12 decimals so that rounding it for display
 * and comparing it with thresholds give what the exact ratio gives. */
int ms_attainment(Measure *ms, const Node *metric, const Member *m, int from, int to,
                  const Node *at, Num *out);
/* The same from a target and an actual already known. */
Num ms_ratio(const Node *metric, Num target, Num actual);

/* ---- statements.c: show incentive|scorecard|review NAME ---- */

/* Adds the sheets of one show statement (op SHOW_INCENTIVE, SHOW_SCORECARD
 * or SHOW_REVIEW) to doc, those its view shows; every text is copied into
 * the document.  Returns 0, or -1 after reporting. */
int stmt_show(Measure *ms, const Node *show, RenderDoc *doc);

#endif
