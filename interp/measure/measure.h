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
 * up to that month (the period is partial).  A weekly review's periods
 * are the plan's weeks that have ended by the as-of day (weekly.c).
 *
 * A Measure borrows the Program, the Engine and the Actuals; it owns its
 * caches and its Eval.  Errors are reported to the Program's diagnostics.
 */
#ifndef MEASURE_H
#define MEASURE_H

#include "alloc/alloc.h"
#include "data/actuals.h"

typedef struct {
    int from, to;      /* fiscal months 0..11 of the whole period */
    int last;          /* last month counted: to, or the as-of month when partial */
    const char *label; /* "Q1", "2027-02", "H1", "FY2027", "2027-W41" */
    bool partial;
    int week; /* a weekly review's week (WeekCal index), else -1 */
} Period;

typedef struct Grid Grid;

typedef struct Measure {
    Program *p;
    Engine *en;
    const Actuals *act;     /* NULL: no actuals */
    const Node *scenario;   /* N_SCENARIO or NULL */
    int as_of;              /* last fiscal month reported, -1: nothing to report */
    int as_of_week;         /* last week a weekly review reports (-1: none), -2: not given */
    const char *as_of_text; /* --as-of as given (a date or a week), or NULL */
    StrMap wgrids;          /* weekly.c: "metric\x1flevel" -> week targets */
    Eval ev;                /* incentive lines, derived metrics, assertions */
    StrMap grids;           /* "metric\x1flevel" -> Grid */
    Arena arena;
    /* the derived metric being computed: its components answer for these */
    const Member *d_member;
    int d_from, d_to;
    int d_actual; /* 1: actuals, 0: targets, -1: not inside a derived metric */
    void *ctx;    /* the incentive, example or assertion being evaluated (incentive.c) */
    StrMap dmemo; /* derived metrics' values during one evaluation (measure.c) */
    int dmemo_depth;
    const Node *busy[16]; /* incentives being computed: total(X) inside X is a cycle */
    int nbusy;
    struct {
        const Node *metric;
        const Level *lv;
        Grid *g;
    } recent[4];             /* grid lookups */
    struct CardCache *cards; /* scorecards read by incentive lines and flags (cards.c) */
} Measure;

/* as_of: fiscal month 0..11 from --as-of, or -1 to take it from the
 * scenario (the whole year) or the actuals (their last month), or
 * MS_AS_OF_NONE: --as-of is a day before the end of the first month. */
#define MS_AS_OF_NONE (-3)
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
/* The name of the period of cadence c starting at fiscal month from: "Q1", "H2". */
const char *ms_period_label(const Symbols *s, Cadence c, int from);

/* Target, actual and attainment of metric for member m (NULL: the whole
 * plan) over fiscal months from..to.  at is where the value is asked for
 * (for diagnostics).  Return 0; 1 when the value is n/a (*out is 0): a
 * derived metric whose formula divides by zero for this member and these
 * months (collected / revenue without revenue), or an attainment of a
 * zero target or of an n/a value; or -1 after reporting. */
int ms_target(Measure *ms, const Node *metric, const Member *m, int from, int to, const Node *at,
              Num *out);
int ms_actual(Measure *ms, const Node *metric, const Member *m, int from, int to, const Node *at,
              Num *out);
/* actual / target (target / actual when lower_is_better) truncated at 12
 * decimals, so that rounding it for display and comparing it with
 * thresholds give what the exact ratio gives; a lower_is_better actual of
 * 0 against a positive target is full attainment, ms_default_cap(). */
int ms_attainment(Measure *ms, const Node *metric, const Member *m, int from, int to,
                  const Node *at, Num *out);
/* The same from a target and an actual already known; full: what a
 * lower_is_better actual of 0 attains (a scorecard KPI's cap).  0, or 1
 * when it is n/a (a zero target; *out 0). */
int ms_ratio(const Node *metric, Num target, Num actual, Num full, Num *out);
/* 120%: a KPI's cap unless it sets one, and full attainment elsewhere. */
Num ms_default_cap(void);

/* ---- weekly.c: weekly reviews ---- */

/* The weeks a weekly review reports (at most WK_MAX_WEEKS): those that have
 * ended by the as-of day (as_of_week), else, under a scenario, every week,
 * else the weeks up to the last one with actuals.  Each Period's months
 * (from..to) are those its days fall in; its label the week's name. */
int ms_week_periods(Measure *ms, Period *out);
/* The last week (WeekCal index) whose last day inside the fiscal year is on
 * or before day index day, or -1. */
int ms_week_of_day(const Symbols *s, int day);
/* The last day index of week w inside the fiscal year. */
int ms_week_last_day(const Symbols *s, int w);
/* The last fiscal month that has ended by day index day, or -1. */
int ms_month_ended(const Symbols *s, int day);
/* --as-of TEXT: a month YYYY-MM (reviews to it; weekly ones to the weeks
 * ended by its last day), a day YYYY-MM-DD or a week (2027-W41, FY2027-W01:
 * to its last day; then the months and the weeks ended by that day, *as_of
 * MS_AS_OF_NONE when no month has).  Sets *as_of (a fiscal month) and
 * *as_of_week (ms->as_of_week) when AS_OF_OK. */
typedef enum { AS_OF_OK, AS_OF_BAD_MONTH, AS_OF_BAD_DAY, AS_OF_BAD_WEEK } AsOfKind;
AsOfKind ms_parse_as_of(const Symbols *s, const char *text, int *as_of, int *as_of_week);
/* A member's (NULL: the plan's) target in week w, as `show METRIC by LEVEL,
 * week` shows it, and its actual (the rows dated in the week; under a
 * scenario the target times its attainment): 0, or -1 after reporting. */
int ms_week_target(Measure *ms, const Node *metric, const Member *m, int week, const Node *at,
                   Num *out);
int ms_week_actual(Measure *ms, const Node *metric, const Member *m, int week, const Node *at,
                   Num *out);
void ms_weeks_free(Measure *ms);

/* ---- statements.c: show incentive|scorecard|review NAME ---- */

/* Adds the sheets of one show statement (op SHOW_INCENTIVE, SHOW_SCORECARD,
 * SHOW_REVIEW or SHOW_REFORECAST) to doc, those its view shows; every text
 * is copied into the document.  `show reforecast METRIC` is the reforecast
 * of the first review that has one for the metric (sym_reforecast_item),
 * per the review's level.  Returns 0, or -1 after reporting. */
int ms_show(Measure *ms, const Node *show, RenderDoc *doc);
/* The green and amber thresholds of `status METRIC` in review REVIEW
 * (attainments: 1 is 100%); false when the review has no such status or
 * they do not evaluate. */
bool ms_status_thresholds(Measure *ms, const char *review, const char *metric, Num *green,
                          Num *amber);

/* ---- incentives (SPEC §10), scorecards (§11), reviews (§12), examples and
 * assertions (§13), computed for every member of their level and every
 * period reported.  Results own their arrays (free with the matching
 * _free); values are exact; rounding happens only when statements.c shows
 * them.  Every error is reported to the Program's diagnostics with the
 * member and period it happened for. ---- */

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

/* What of a KPI is n/a: its target, its actual (a ratio with a zero
 * denominator), its attainment and so its score (those, or a zero target).
 * A KPI without a score is left out of the total, the other KPIs' weights
 * scaled up to 100%; a total without any KPI is n/a: no rating, no rank. */
enum { MS_NA_TARGET = 1, MS_NA_ACTUAL = 2, MS_NA_SCORE = 4 };

typedef struct {
    const Node *decl; /* N_SCORECARD */
    const Level *lv;
    Member **mem;
    size_t nmem;
    Period per[12];
    int nper;
    const Node **kpis;
    int nkpi;
    Num *weight;                        /* nkpi */
    Num *target, *actual, *att, *score; /* nper * nmem * nkpi */
    unsigned char *na;                  /* nper * nmem * nkpi: MS_NA_* */
    Num *total;                         /* nper * nmem */
    bool *total_na;                     /* nper * nmem: no KPI has a score */
    const char **rating;                /* nper * nmem ("" when no threshold is reached) */
    bool *in;                           /* nper * nmem */
    int *rank;                          /* nper * nmem, 0 when not ranked */
    bool *bottom;                       /* nper * nmem */
    const Node *rank_decl;              /* the review's rank item, or NULL */
    size_t *order; /* nper * nmem when ranked (else NULL): each period's members in rank order,
                      group by group of `within` (groups in plan order), the unranked last in
                      their group; equal totals have consecutive ranks in plan order */
} ScResult;

/* The cadence an incentive or scorecard is shown with: that of the first
 * review naming it, else annual. */
Cadence ms_statement_cadence(Program *p, const char *name, bool scorecard);
/* The level a review reports on: its first scorecard's or incentive's,
 * else the first incentive's or scorecard's of the plan, else the deepest
 * level of the first dimension; NULL when the plan has no dimension. */
const Level *ms_review_level(Program *p, const Node *review);
/* Members of a level in order, reserve rows left out (malloc'd). */
Member **ms_level_members(const Level *lv, size_t *n);
/* Whether m is active in any month of the period that is counted (to
 * its last month: a member who starts after the as-of month is in no row
 * of a partial period). */
bool ms_active(const Symbols *s, const Member *m, const Period *pd);

/* ---- growth.c: last year in reviews ---- */

/* A review's growth(M) for member m (NULL: the plan) in period pd: the
 * actual to the period's last counted month, last year's same months in
 * the history, and growth = actual / last year - 1.  na: MS_NA_ACTUAL (the
 * actual is n/a), MS_NA_TARGET (the history has no column for m's level)
 * and MS_NA_SCORE (no growth: either, or last year is 0).  0, or -1 after
 * reporting. */
typedef struct {
    Num actual, last, growth;
    unsigned na;
} Growth;
int ms_growth(Measure *ms, const Node *item, const Member *m, const Period *pd, Growth *g);
/* The level growth(M) is reported on in a review of level lv: lv, or the
 * deepest level of its dimension the history has a column for (*coarser
 * set; NULL: none, the plan's total only). */
const Level *ms_growth_level(Measure *ms, const Node *item, const Level *lv, bool *coarser);
/* The Eval hook answering history.NAME inside a derived metric for the
 * member and months being measured. */
int ms_hist_hook(Eval *e, const Node *ref, Num *out);

int ms_incentive(Measure *ms, const Node *inc, const Period *per, int nper, IncResult *out);
void ms_incentive_free(IncResult *r);
/* total(INCENTIVE): the rounded payouts of every payee and period. */
int ms_incentive_total(Measure *ms, const Node *inc, const Node *at, Num *out);

int ms_scorecard(Measure *ms, const Node *sc, const Period *per, int nper, const Node *rank,
                 ScResult *out);
void ms_scorecard_free(ScResult *r);

/* Evaluates a plan-level expression as an assertion would (metrics and
 * cells, M.target and M.actual of the whole plan, total(INCENTIVE)): the
 * REPL's expressions.  Returns 0, or -1 after reporting. */
int ms_eval_plan(Measure *ms, const Node *e, Value *out);

/* Whether a line is shown as money (rounded to the plan's step, totalled):
 * the payout, and lines of kind money, plain number (draw = 5000) or
 * unknown; percent lines show as ratios, count and score lines with 4
 * decimals.  Statements and worked examples both use this rule. */
bool ms_money_line(const Node *line);

/* ---- cards.c: scorecard results read elsewhere ---- */

/* CARD.score, CARD.rating or CARD.rank (n: the N_FIELD) of member m in
 * period pd: the exact total (0 when n/a), the rating ("" when none) and
 * the rank (0 when not ranked) the review of pd's cadence shows.
 * Returns 0, or -1 after reporting. */
int ms_card_value(Measure *ms, const Node *n, const Member *m, const Period *pd, Value *out);
void ms_cards_free(Measure *ms);
/* Whether review rv has a flag reading scorecard card. */
bool ms_has_flags(const Symbols *s, const Node *rv, const Node *card);
/* The flags of review rv raised on each member and period of r (text[c],
 * names separated by spaces, "" when none; allocated in a): a flag is
 * raised in a period when its condition held in that period and the
 * periods before it, as many as it counts.  Returns 0, or -1 after
 * reporting. */
int ms_card_flags(Measure *ms, const Node *rv, const ScResult *r, Arena *a, const char **text);
/* Whether a flag's condition holds for member m in period pd (incentive.c). */
int ms_flag_holds(Measure *ms, const Node *flag, const Member *m, const Period *pd, bool *out);

/* `check`: every example and assertion; failures are errors printing both
 * sides.  Returns the number of failures. */
int ms_verify(Measure *ms);

/* `check`: every flagged status row of a review with notes that has no
 * note, reported at the notes file's name as a warning (an error when
 * strict).  Returns how many there are, or -1 after an evaluation error. */
int ms_check_notes(Measure *ms, bool strict);

#endif
