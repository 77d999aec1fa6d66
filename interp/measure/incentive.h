/* incentive.h -- incentives (SPEC §10), scorecards (§11) and reviews (§12)
 * computed for every member of their level and every period reported,
 * plus worked examples and assertions (§13).
 *
 * Results own their arrays (free with the matching _free); values are
 * exact; rounding happens only when statements.c shows them.  Every error
 * is reported to the Program's diagnostics with the member and period it
 * happened for.
 */
#ifndef INCENTIVE_H
#define INCENTIVE_H

#include "measure/measure.h"

typedef struct {
    const Node *decl; /* N_INCENTIVE */
    const Level *lv;
    Member **mem;
    size_t nmem;
    Period per[12];
    int nper;
    const Node **lines;
    int nlines, payout; /* payout: index of the payout line */
    Value *val;         /* nper * nmem * nlines */
    bool *in;           /* nper * nmem: the member is active in the period */
} IncResult;

typedef struct {
    const Node *decl; /* N_SCORECARD */
    const Level *lv;
    Member **mem;
    size_t nmem;
    Period per[12];
    int nper;
    const Node **kpis;
    int nkpi;
    Num *weight;           /* nkpi */
    Num *target, *actual, *att, *score; /* nper * nmem * nkpi */
    Num *total;            /* nper * nmem */
    const char **rating;   /* nper * nmem ("" when no threshold is reached) */
    bool *in;              /* nper * nmem */
    int *rank;             /* nper * nmem, 0 when not ranked */
    bool *bottom;          /* nper * nmem */
    const Node *rank_decl; /* the review's rank item, or NULL */
} ScResult;

/* The cadence an incentive or scorecard is shown with: that of the first
 * review naming it, else annual. */
Cadence inc_cadence(Program *p, const char *name, bool scorecard);
/* The level a review reports on: its first scorecard's or incentive's,
 * else the first incentive's or scorecard's of the plan, else the deepest
 * level of the first dimension; NULL when the plan has no dimension. */
const Level *review_level(Program *p, const Node *review);
/* Members of a level in order, reserve rows left out (malloc'd). */
Member **level_members(const Level *lv, size_t *n);
/* Whether m is active in any month of the period. */
bool ms_active(const Symbols *s, const Member *m, const Period *pd);

int inc_compute(Measure *ms, const Node *inc, const Period *per, int nper, IncResult *out);
void inc_result_free(IncResult *r);
/* total(INCENTIVE): the rounded payouts of every payee and period. */
int inc_total(Measure *ms, const Node *inc, const Node *at, Num *out);

int sc_compute(Measure *ms, const Node *sc, const Period *per, int nper, const Node *rank,
               ScResult *out);
void sc_result_free(ScResult *r);

/* Evaluates a plan-level expression as an assertion would (metrics and
 * cells, M.target and M.actual of the whole plan, total(INCENTIVE)): the
 * REPL's expressions.  Returns 0, or -1 after reporting. */
int inc_eval_plan(Measure *ms, const Node *e, Value *out);

/* Whether a line is shown as money (rounded to the plan's step, totalled):
 * the payout, and lines of kind money, plain number (draw = 5000) or
 * unknown; percent lines show as ratios, count and score lines with 4
 * decimals.  Statements and worked examples both use this rule. */
bool inc_money_line(const Node *line);

/* `check`: every example and assertion; failures are errors printing both
 * sides.  Returns the number of failures. */
int verify_plan(Measure *ms);

#endif
