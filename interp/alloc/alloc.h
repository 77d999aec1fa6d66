/* alloc.h -- targets and splits become exact allocation tables.
 *
 * An Alloc is one metric's allocation: its axes (the dimensions it is
 * split by, in the order their first split appears, each down to its
 * deepest split level) and the exact value of every joint cell, or, where
 * no axis's shares depend on another's members, each axis's values alone
 * (the joint cells made from them only when something needs them all).  Each
 * dimension's totals are rounded once (al_canon) and each table is
 * rounded against them (controlled rounding), so every cell shown is
 * within one step of its exact value and every table adds up.
 * Allocations are made on demand and cached in the Engine, which owns
 * them; an Engine is freed with alloc_engine_free.  Nothing here prints tables:
 * alloc_table fills a Table for render/ (render/render.h).  alloc_apportion, the one
 * largest-remainder rounding, is plain arithmetic on the caller's arrays.
 */
#ifndef ALLOC_H
#define ALLOC_H

#include "eval/eval.h"
#include "render/render.h"

#define ALLOC_MAX_AXES 8

typedef struct SplitInfo SplitInfo;

typedef struct {
    Dim *dim;
    int nsl;         /* split levels of this dimension, top-down */
    int sl[8];       /* their depths */
    Member **leaves; /* members at the deepest split level, and reserve rows */
    size_t nleaves;
    int *leaf_of;    /* gindex (members and reserve rows) -> leaf position, or -1 */
    Member **pseudo; /* reserve rows, owned */
    int npseudo;
    bool depends;      /* its shares depend on the other axes' coordinates */
    bool cross_scoped; /* a split of it has a scope in another dimension */
    bool shared;       /* leaves and leaf_of belong to the engine */
    bool locks;        /* a split of it locks amounts in a scope of another dimension */
    /* children grouped by parent, per split level: group g of level k has
     * parent grp_parent[k][g] (NULL = the whole plan) and children
     * grp_kids[k][grp_start[k][g] .. grp_start[k][g + 1]) */
    int ngrp[8];
    int *grp_start[8];
    Member **grp_parent[8];
    Member **grp_kids[8];
    Member **grp_reserve[8]; /* the group's reserve row, or NULL */
    /* candidate splits per split level: those without a scope in this
     * dimension, then (gindex of the scope member, split) pairs sorted */
    int *free_splits[8], nfree[8];
    int64_t *scoped[8];
    int nscoped[8];
    Num *marginal; /* per gindex: this metric's values for the whole plan
                      (lazily, for other metrics split 'like' it) */
    Num *canon;    /* per gindex: rounded totals, the same in every table */
    /* check: per parent gindex (the whole plan last), the children already
     * split `like` this metric without error, all weights at least zero
     * (split_tree.c: like_slot) */
    Member ***like_seen;
    Num canon_root;
} Axis;

typedef struct Alloc {
    const Node *metric;
    bool level_metric; /* percent/score: values per member, no rounding to sums */
    Num root;          /* exact target */
    Num step;          /* rounding step of the metric */
    const char *unit;  /* money: the plan's display unit for messages; else NULL */
    Axis ax[ALLOC_MAX_AXES];
    int nax;
    int grain_cut[ALLOC_MAX_AXES]; /* levels cut away (tables of coarser levels) */
    int asked_cut[ALLOC_MAX_AXES]; /* the cuts asked for, by the full allocation's axes */
    size_t ncells;
    Num *exact; /* ncells joint values, axis 0 outermost; NULL while factored */
    /* Axes independent of each other (no shares that depend on another
     * axis's coordinates, no locks): each axis's leaf values, once, and
     * the joint cells made from them only when something needs every one
     * (al_cells); a two-level table and a dimension's totals come from the
     * factors directly. */
    bool factored;
    Num *factor[ALLOC_MAX_AXES];
    SplitInfo *splits;
    int nsplits;
    bool failed;
    bool computing;          /* being made: reaching it again is a cycle */
    bool stale;              /* its evaluation was stopped: out of the cache */
    char *note;              /* printed under its tables: the negotiation gap */
    struct GridCache *grids; /* its two-level tables, rounded once (grids.c) */
    /* Its exact cells summed in runs, kept for derived metrics' tables
     * (derived.c): run_sums[k + 1] holds one sum per leaf combination of
     * axes 0..k (the axes after k summed over); only while no sum of
     * cells in any order can overflow (sums_safe 1; -1 when one can, 0
     * before it is known). */
    Num *run_sums[ALLOC_MAX_AXES + 1];
    signed char sums_safe;
} Alloc;

typedef struct {
    const Node **v;
    int n;
} SplitList;

/* The most cells --max-cells may allow: a rounding counts a node's steps
 * in 32 bits (flow.h, RoundBound), so a table or an allocation rounds at
 * most this many cells. */
#define ALLOC_MAX_CELLS_LIMIT ((size_t)1073741823)

typedef struct Engine {
    Program *p;
    Eval ev;
    Alloc **allocs;
    int nallocs;
    const Node **busy; /* allocations (metrics) and target expressions being computed */
    int nbusy;
    size_t max_cells;
    StrMap hists;             /* history name -> History (loaded once) */
    StrMap last_years;        /* history name -> its LastYear (history_target.c) */
    bool check_only;          /* evaluate every split tree for its errors; no joint cells */
    bool told;                /* an earlier engine of the session gave the data's warnings */
    StrMap by_metric;         /* metric name -> SplitList */
    StrMap full;              /* metric name -> its allocation without cuts */
    Alloc *last_full;         /* the one of full found last (NULL, or stale: look again) */
    const Dim **activity_dim; /* whether a dimension has start/end, once each */
    bool *activity;
    int nactivity;
    struct LeafSet *leafsets; /* members per (dimension, depth), shared by metrics */
    int nleafsets;
    struct Grouping *groupings; /* children grouped by parent, per dimension and level pair */
    int ngroupings;
    struct DerivedCtx *dctx;          /* the cell of a derived metric being computed (derived.c) */
    struct ExactMonths *exact_months; /* exact sums per member and month (derived.c) */
    Num *scratch;                     /* check: values of one axis, reused */
    size_t scratch_n;
    int *month_codes; /* the plan's months as yyyymm, once (split_tree.c) */
    int nmonth_codes;
    /* A multi-year plan: the engine of each fiscal year, this one first
     * (lent by the session); tables span them.  NULL: one year. */
    struct Engine **years;
    int nyears;
} Engine;

/* An engine for a checked program (borrowed, with its symbols) and one to
 * free every allocation, history and cache it made. */
void alloc_engine_init(Engine *en, Program *p);
void alloc_engine_free(Engine *en);

/* The exact root target of a metric (its target expression, or the sum of
 * its cells): 0, or -1 after reporting. */
int alloc_root_target(Engine *en, const Node *metric, Num *out);
/* Whether the plan splits this metric. */
bool alloc_has_splits(Engine *en, const Node *metric);

/* The full allocation of a metric (NULL after reporting an error). */
Alloc *alloc_get(Engine *en, const Node *metric);

/* The table of `show METRIC by LEVEL[, LEVEL]` (s is an N_SHOW node); in
 * a multi-year plan, the years' tables assembled (years.c); with several
 * metrics (`show revenue, margin by region`), each metric's own table side
 * by side in one (side.c: Table.col_kinds), every number that table's.
 * Returns 0, or -1 after reporting.  The Table's arrays are allocated in
 * arena. */
int alloc_table(Engine *en, const Node *show, Arena *arena, Table *t);

/* How alloc_apportion treats values a hair off (see below). */
typedef enum {
    APPORTION_EXACT, /* values and remainders taken exactly as they are */
    APPORTION_SNAP   /* sums of shares carried to 12 decimals: a value within 1e-7 of a
                        multiple of the step counts as on it, remainders within 1e-6 of a
                        step of each other are equal */
} ApportionMode;

/* Largest-remainder apportionment: rounds exact[0..n) to multiples of step
 * into out[0..n), each to the multiple just below or just above its exact
 * value, so that they add up to total (a multiple of step).  The floors
 * come first; the steps still missing go one each to the larger
 * remainders, equal remainders in index order (past n steps the round
 * starts again); when total is below the floors, the smallest remainders
 * go one step down.  out may not overlap exact.  Returns 0, or -1 when a
 * value, a sum or the number of steps does not fit in a Num (out is then
 * unreliable). */
int alloc_apportion(Num step, const Num *exact, size_t n, Num total, ApportionMode mode, Num *out);

/* Whether metric is a ratio: a derived metric (no target or split of its
 * own) whose formula is not money or a count.  It is evaluated where it
 * is shown; every other metric is an allocation (an additive derived one
 * too: its cells are its formula on its components' exact cells). */
bool alloc_is_ratio(Engine *en, const Node *metric);

/* What alloc_check_levels is asked: a table by the levels, or a target per
 * member of the level (scorecards, reviews); they are reported as `run`
 * reports them. */
typedef enum { ALLOC_ASK_TABLE, ALLOC_ASK_TARGETS } AllocAsk;

/* The exact sum of an additive metric's cells under member m (NULL: the
 * whole plan) over fiscal months from..to, as its table by m's level and
 * month sees them (a quarter split by time only down to quarters counts in
 * proportion to its months): what a ratio is made of.  0, or -1 after
 * reporting. */
int alloc_exact_over(Engine *en, const Node *metric, const Member *m, int from, int to, Num *out);

/* Last year (SPEC §9): ref names a history (history.NAME or growth(M),
 * its str the history the checker resolved).  The sum of that history's
 * last complete fiscal year before the plan's under member m (NULL: all
 * of it) over fiscal months from..to: 0; 1 when the history has no column
 * for m's level (*out 0: n/a); -1 after reporting. */
int alloc_last_year_over(Engine *en, const Node *ref, const Member *m, int from, int to, Num *out);
/* The deepest depth of d the history has a column for: -1 when none, -2
 * after reporting. */
int alloc_last_year_depth(Engine *en, const Node *ref, const Dim *d);

/* Whether metric can be shown by the levels lv[0..nlv): 0, or -1 after
 * reporting at `at`.  Reads the metric's axes only; works on a check-mode
 * engine. */
int alloc_check_levels(Engine *en, const Node *metric, Level *const *lv, int nlv, const Node *at,
                       AllocAsk ask);
/* Evaluates every derived metric of the plan at every level it can be shown
 * at (a normal engine); 0, or -1 after reporting. */
int alloc_check_derived(Engine *en);

/* Whether metric can be shown by week or day (at: the level's node): a
 * money or count metric, or a rate naming its metrics plainly; 0, or -1
 * after reporting. */
int alloc_check_week_show(Engine *en, const Node *metric, const Node *at);

/* The splits by week of one month (amounts, shares, rest, weights)
 * against the month's value (a normal engine); 0, or -1 after reporting. */
int alloc_check_weeks(Engine *en);

/* Prints how the cell METRIC[coords] came about: every split on the way,
 * with its position in the plan and the numbers. */
int alloc_explain(Engine *en, const Node *cell_expr, Buf *out);
/* The same up to the splits on the way to each coordinate (the cell's
 * value and its shares), without the exact sum of its allocation cells:
 * it reads no cell, so a hover answers at once. */
int alloc_explain_path(Engine *en, const Node *cell_expr, Buf *out);

#endif
