/* alloc_int.h -- shared by the allocation engine's files: engine.c (a
 * metric's splits, the engine), axes.c (a metric's axes), split_tree.c
 * (one axis's split tree), joint_cells.c (joint cells, rounded totals,
 * controlled rounding of tables), apportion.c (largest remainder), flow.c
 * (the flow solver, flow.h), tables.c (bottom-up targets, tables),
 * cross_locks.c (amounts in a split scoped by another dimension) and
 * explain.c (--explain).  Not for other modules.
 *
 * Ownership: the Engine owns every Alloc, and an Alloc owns its axes'
 * arrays, its SplitInfo array, its cells and its note; an Axis marked
 * shared borrows its leaves from the Engine's leaf sets, and every Axis
 * borrows its groupings (Grouping) from the Engine.  SplitInfo and Ctx
 * borrow the plan's nodes and members.  Functions here that return
 * pointers (al_canon, al_marginal, al_history, al_splits_of) return
 * memory the Engine keeps until alloc_engine_free; callers never free it. */
#ifndef ALLOC_INT_H
#define ALLOC_INT_H

#include "alloc/alloc.h"
#include "alloc/flow.h"
#include "data/history.h"
#include "data/targets.h"

struct SplitInfo {
    const Node *node; /* the split statement */
    const Node *spec;
    Dim *dim;
    int depth;
    Member *scope[16];
    int nscope;
    int adj_kind; /* 0, ADJ_OVERASSIGN or ADJ_RESERVE */
    Num adj;
    const Node *like;  /* LIKE: the other metric */
    Alloc *like_alloc; /* its allocation, once found */
};

/* The coordinates (leaf members) of the axes before the one being split. */
typedef struct {
    Member **coord; /* leaf members of the axes before this one (NULL entries: none) */
    int n;
    /* under locks in another dimension's scope (cross_locks.c): the scope
     * members the cell is in, one per axis before (NULL: none), and their
     * names for messages ("north"); key NULL outside every lock */
    Member *const *key;
    const char *where;
    bool discard; /* check: nobody reads the leaves' values (al_check_axes) */
} Ctx;

/* Children grouped by parent: depends only on the dimension and the two
 * levels, so the engine keeps one per pair for all metrics. */
typedef struct Grouping {
    Dim *dim;
    int depth, pdepth;
    int ngrp;
    int *start;
    Member **parent;
    Member **kids;
} Grouping;

/* The members of a dimension at one depth, and their positions: the same
 * for every metric, so the engine keeps one per (dimension, depth). */
typedef struct LeafSet {
    const Dim *dim;
    int depth;
    Member **leaves;
    size_t n;
    int *leaf_of;
    size_t *first_key; /* check: the leaves first of their activity key, once (joint_cells.c) */
    size_t nfirst_key;
} LeafSet;

/* Exact values are carried to 12 decimals, so shares like 1/3 are a hair
 * off: within 1e-7 of a multiple of the step (or of another remainder) a
 * value counts as on it (or equal). */
#define AL_SNAP ((Num){100000})
#define AL_TIE ((Num){1000000}) /* remainders (in steps) closer than 1e-6 are equal */

/* A cut (Alloc.asked_cut, grain_cut) that cuts nothing. */
#define AL_NO_CUT (1 << 20)

/* engine.c */
Level *al_level_of(Dim *d, int depth);
/* Split i of A: its dimension, its depth, whether it over-assigns. */
Dim *al_split_dim(const Alloc *A, int i);
int al_split_depth(const Alloc *A, int i);
bool al_split_overassigns(const Alloc *A, int i);
const char *al_plural_of(const char *level); /* "halves" for "half" */
bool al_under_or_is(const Member *m, const Member *anc);
/* m's ancestor (or m) at depth, or NULL. */
const Member *al_ancestor_at(const Member *m, int depth);
int al_month_code(const Member *m); /* 202705 for "2027-05" */
/* The month codes of the months under (or equal to) time member t; returns how many. */
int al_months_under(const Member *t, int *months);
/* Cells between two leaves of axis ai: the product of the later axes' leaves. */
size_t al_stride(const Alloc *A, int ai);
/* v for a message, with the plan's decimals or more (buf: NUM_BUFSZ). */
char *al_fmtv(const Alloc *A, Num v, char *buf);
/* The same in a diagnostic: money in the plan's display unit (A->unit),
 * as sym_fmt_amount. */
char *al_fmt_amount(const Alloc *A, Num v, char *buf);
/* Reports an arithmetic failure while allocating; returns -1. */
int al_num_err(Engine *en, Loc at, NumStatus st);
/* The axis of dimension d in A, or -1. */
int al_axis_of(const Alloc *A, const Dim *d);
/* A's splits (SplitInfo) from the plan's splits of its metric; -1 after
 * reporting. */
int al_collect_splits(Engine *en, Alloc *A);
/* Frees an allocation the engine does not keep (a scratch one). */
void al_alloc_free(Alloc *A);
/* The plan's splits of a metric (indexed once). */
const SplitList *al_splits_of(Engine *en, const char *metric);
/* The allocation of metric with its dimensions cut at cuts[axis] (NULL: the
 * full allocation); cached, NULL after reporting an error. */
Alloc *al_alloc_get_cut(Engine *en, const Node *metric, const int *cuts);
/* The Eval's metric hook: a metric's target, or its cell at coords. */
int al_metric_hook(Eval *e, const Node *metric, Member **coords, int ncoords, const Node *at,
                   Num *out);
/* The rounding step of a metric: 1 for counts, else the plan's. */
Num al_metric_step(Engine *en, const Node *metric);
/* A level metric's value set for m or its nearest ancestor (false: none),
 * and its value for m, the target when none is set. */
bool al_explicit_value(Engine *en, Alloc *A, const Member *m, Num *out);
bool al_level_value(Engine *en, Alloc *A, const Member *m, Num *out);
/* A level metric's value at a cell of several members: the value set for
 * the last coordinate that has one of its own (or through its ancestors),
 * else the first coordinate's value with inheritance, as tables show it. */
bool al_level_at(Engine *en, Alloc *A, Member *const *coords, int n, Num *out);
/* axes.c */
/* A's axes from its splits (cut at cuts[axis]; NULL: none); -1 after
 * reporting. */
int al_build_axes(Engine *en, Alloc *A, const int *cuts);
/* Whether the split of level k that applies to parent p adjusts by kind
 * (ADJ_OVERASSIGN or ADJ_RESERVE). */
bool al_adjusts(const Alloc *A, const Axis *ax, int k, const Member *p, int kind);
/* split_tree.c */
History *al_history(Engine *en, const char *name, const Node *at); /* loaded once */
/* Whether a split value is a share (its kind is percent), not an amount. */
bool al_share_expr(const Node *e);
/* The split of level k that applies to parent p in context c: the most
 * specific; NULL when none does. */
const SplitInfo *al_pick_split(const Alloc *A, const Axis *ax, int k, const Member *p,
                               const Ctx *c);
/* The values of one axis's split tree under base in context ctx, into val
 * (by gindex) and leafval (by leaf); -1 after reporting. */
int al_eval_axis(Engine *en, Alloc *A, Axis *ax, const Ctx *ctx, Num base, Num *val, Num *leafval);
/* The values of X per member of axis ai for the whole plan (cached). */
const Num *al_marginal(Engine *en, Alloc *X, int ai);
/* cross_locks.c: amounts in a split scoped by another dimension.  The
 * cells of the axes before axis i fall into groups, one per set of lock
 * scopes they are in; a group's split tree is evaluated on the group's
 * own total (base), so that its locks hold exactly. */
typedef struct {
    int *of;      /* per cell of the axes before: its group, -1: outside every lock */
    Num *base;    /* per group: the sum of its cells */
    Member **key; /* per group: i members (one per axis before; NULL: any) */
    char **where; /* per group: "north", "north, Q1" */
    int n, nkey;
} LockGroups;

/* Whether a split locks amounts in the scope of another dimension. */
bool al_cross_lock(const SplitInfo *si);
/* Whether some axis of A has such locks. */
bool al_has_cross_locks(const Alloc *A);
/* The groups of the n cells cur of the axes before axis i; -1 after
 * reporting locks whose scopes overlap. */
int al_lock_groups(Engine *en, const Alloc *A, int i, const Num *cur, size_t n, LockGroups *lg);
void al_lock_groups_free(LockGroups *lg);
/* The rows of a table (members of one level) grouped by the scope member
 * of the column axis's locks that contains them, when those locks are
 * scoped in the rows' dimension only: per row its group (-1: none), or
 * NULL when no lock applies; *ng gets how many groups. */
int *al_lock_row_groups(const Alloc *A, Member *const *rows, size_t nr, int col_axis, int *ng);
/* A split picked for parent p (level k) in context c must be the lock whose
 * scope is the cell's group, and no other split with amounts may apply
 * where locks are: -1 after reporting. */
int al_check_lock_pick(Engine *en, const Alloc *A, const Axis *ax, int k, const Member *p,
                       const Ctx *c, const SplitInfo *picked);
/* joint_cells.c */
/* The leaves of the first upto axes at joint cell c. */
void al_decode(const Alloc *A, int upto, size_t c, Member **coord);
/* The exact joint cells of A, or (independent axes) its factors (check
 * mode: al_check_axes). */
int al_compute(Engine *en, Alloc *A);
/* The joint cells of a factored A made from its factors, once (nothing
 * to do when A has its cells); -1 after reporting too many cells. */
int al_cells(Engine *en, Alloc *A);
/* Factored A: the target times, for each axis not skipped, the sum of its
 * factors over the target (the part of the cells those axes keep when
 * summed over); false on overflow. */
bool al_factor_rest(const Alloc *A, const bool *skip, Num *out);
/* x * num / den exactly (to 12 decimals); den 0 gives 0; false on overflow. */
bool al_scale(Num x, Num num, Num den, Num *out);
/* Factored A: the exact sum of the cells under each leaf of axis ai, or
 * NULL on overflow (free it). */
Num *al_factor_sums(const Alloc *A, int ai);
/* Factored A: the exact cells of a table of axis ra (rows: a leaf j goes
 * to row rpos[j], -1: none) by axis ca (columns, cpos), summed over the
 * other axes, a row at a time (al_factor_row, an ExactRowFn on the
 * FactorTable); false on overflow.  Free it with al_factor_table_free. */
typedef struct FactorTable FactorTable;
FactorTable *al_factor_table(const Alloc *A, int ra, const int *rpos, size_t nr, int ca,
                             const int *cpos, size_t nc);
int al_factor_row(void *ft, size_t r, Num *cells);
void al_factor_table_free(FactorTable *ft);
/* Check mode: every split tree in every context it depends on, no cells. */
int al_check_axes(Engine *en, Alloc *A);
typedef struct GridCache GridCache;
typedef struct ExactMonths ExactMonths;
void al_exact_months_free(Engine *en);

/* derived.c: the cell of a derived metric being computed.  Its components
 * answer for it through the metric hook: additive ones with their exact
 * values summed into the cell (sums: metric name -> Num[D->ncells]),
 * level ones with their value for the cell's members, ratios with their
 * formula on the same cell. */
typedef struct DerivedCtx {
    Alloc *D;
    Member **coords; /* the cell's members, one per axis of D */
    size_t cell;
    StrMap sums;
    StrMap ratios;    /* ratio name -> RatioMemo: its value at the last cell asked */
    Level *const *lv; /* a table's grid: the levels its components' tables are cut for */
    int nlv;
    struct DerivedCtx *outer;
} DerivedCtx;

/* A formula evaluated at every cell of the grid G (an allocation's axes:
 * a derived metric's own, or a table's levels lv, whose cuts the
 * components then take), its components answering with their exact values
 * summed into each cell; out[G->ncells].  na (or NULL: a division by zero
 * is an error): which cells divide by zero, then 0 in out. */
int al_eval_grid(Engine *en, const Node *metric, Alloc *G, Level *const *lv, int nlv, Num *out,
                 bool *na);
/* The same for the cells c0 .. c1 of G only (out and na indexed by cell). */
int al_eval_cells(Engine *en, const Node *metric, Alloc *G, Level *const *lv, int nlv, size_t c0,
                  size_t c1, Num *out, bool *na);

/* Whether metric is derived (a formula without a target or split of its
 * own), and whether it adds up (its formula is money or a count). */
bool al_is_derived(Engine *en, const Node *metric);
bool al_additive(const Node *metric);
/* weeks.c: whether a level name is one under the month (week, day); the
 * weights w[0..nfrag) of fiscal month m's week fragments for metric, over
 * *sum (0, or -1 after reporting); the table of a show by week or day. */
bool al_sub_month(const char *level);
int al_week_shares(Engine *en, const Node *metric, int m, Num *w, Num *sum);
int al_week_table(Engine *en, const Node *show, Arena *arena, Table *t);
/* A grid of the levels lv[0..n) for al_eval_grid: an allocation with an
 * axis per level, its leaves the level's members (free it with
 * al_level_grid_free). */
Alloc *al_level_grid(Engine *en, const Node *metric, Level *const *lv, int n);
void al_level_grid_free(Alloc *G);
/* Frees the run sums a ratio's tables kept on A (derived.c), not A. */
void al_kept_sums_free(Alloc *A);
/* A ratio's formula at a coordinate of members (tables.c). */
int al_ratio_at(Engine *en, const Node *metric, Member **coords, int n, const Node *at, Num *out);
/* Which dimensions, down to which level, every additive component of a
 * derived metric reaches (through lets, functions and ratios): where the
 * metric can be shown. */
typedef struct {
    Dim *dim[ALLOC_MAX_AXES];
    int depth[ALLOC_MAX_AXES];
    int n;
    bool any;               /* some additive component was seen (else: anywhere) */
    const Node *untargeted; /* a component without a target: the metric has none */
    const Node *comp[32];   /* the additive components (the first 32) */
    int ncomp;
    const Node *attrs[16]; /* attributes the formula names (the first 16): N_NAME */
    int nattrs;
} DimSet;

int al_derived_dims(Engine *en, const Node *metric, DimSet *ds);
/* cell_attrs.c: the dimension whose members have the attribute, or NULL;
 * al_cell_attrs reports an attribute of a derived metric's formula whose
 * dimension the metric is not split by, or that a member of the metric's
 * level of it lacks (or holds no number in): -1 then. */
Dim *al_attr_dim(Engine *en, const char *name);
int al_cell_attrs(Engine *en, const Node *metric, const DimSet *ds);
/* Reports a reserve row on the axis of an attribute's dimension (it has
 * no member to read the attribute from): -1 then. */
int al_cell_attr_reserves(Engine *en, const Alloc *D, const DimSet *ds);
/* The cells of an additive derived metric (an allocation without splits). */
int al_derived_alloc(Engine *en, Alloc *D);
/* A component's value for the derived cell being computed (en->dctx). */
int al_derived_value(Engine *en, const Node *metric, Num *out);
/* An axis of dimension d at one level, without splits (bottom-up targets,
 * derived metrics): its leaves are the members at depth. */
void al_plain_axis(Engine *en, Axis *ax, Dim *d, int depth);

/* One side of a table: the members of a level as rows (or columns). */
typedef struct {
    Level *lv;
    int axis;
    size_t n;
    const char **names, **labels;
    int *pos_of_leaf; /* leaf -> row or column */
    Member **members;
} Side;

/* A table's numbers (arena memory, zeroed): cells (rows x columns), row
 * and column totals, the grand total. */
typedef struct {
    Num *cells, *rt, *ct, *grand;
} TableNums;

TableNums al_table_nums(Arena *arena, size_t nr, size_t nc);
/* tables.c: the table of a show in this engine's one fiscal year (alloc_table
 * assembles the years of a multi-year plan from these, years.c). */
int al_table_one(Engine *en, const Node *show, Arena *arena, Table *t);
/* One metric's table over every year of the plan (years.c); alloc_table
 * (side.c) puts several side by side. */
int al_table_years(Engine *en, const Node *show, Arena *arena, Table *t);
/* The side of a table showing level lv of A (ref: where the level is
 * named, for errors); 0, or -1 after reporting. */
int al_side_for(Engine *en, Alloc *A, const Node *ref, Level *lv, Arena *arena, Side *sd);
/* grids.c: the cells of a two-level table whose row totals tn->rt are the
 * rows' rounded totals; fills cells and column totals (see grids.c). */
int al_round_table(Engine *en, Alloc *A, const Side *side, TableNums *tn);
/* Frees the table cache of an allocation. */
void al_grids_free(Alloc *A);

/* A dimension's rounded totals per member (gindex), the same for every table. */
const Num *al_canon(Engine *en, Alloc *A, int ai);
/* cross_locks.c: a locked dimension of one level, its locks scoped in one
 * other dimension: its rounded totals (rd, by gindex) become the column
 * sums of the finest table of that dimension by its members (each lock's
 * sums kept), where that table's own totals cannot all hold, so that the
 * tables of its members beside the scopes' dimension keep every total. */
void al_lock_canon(Engine *en, Alloc *A, int ai, Num *rd);
/* Controlled rounding of an nr x nc table against row and column totals
 * (en NULL: no message when it cannot be done); rgroup (NULL: none): each row's lock group (-1:
 * none), whose part of every column keeps its exact sum when that is a multiple of the step. */
int al_round_grid(Engine *en, const Alloc *A, size_t nr, size_t nc, const Num *exact,
                  const Num *rowt, const Num *colt, const int *rgroup, int ngroups, Num *out);
/* The same with the exact cells made a row at a time: row(ctx, r, cells)
 * writes row r's nc exact cells (0, or -1 on overflow). */
typedef int (*ExactRowFn)(void *ctx, size_t r, Num *cells);
int al_round_grid_rows(Engine *en, const Alloc *A, size_t nr, size_t nc, ExactRowFn row, void *ctx,
                       const Num *rowt, const Num *colt, const int *rgroup, int ngroups, Num *out);
/* time_grid.c: a table of members (side[0]) by the finest time level
 * (side[1]), each member's time tree rounded in one flow: rows add up to
 * rt, each period of a member takes the step below or above its exact
 * value, columns add up to ct (when that cannot hold, columns, then rows,
 * may move by a step).  exact may be out: each cell is read before it is
 * floored, so a table is rounded in place, never held twice. */
int al_round_time_tree(Engine *en, const Alloc *A, const Side *side, const Num *exact,
                       const Num *rt, const Num *ct, Num *out);
/* The same where time is locked in the scope of the rows' dimension
 * (rgroup: each row's lock group, -1: none; NULL: no lock): each group's
 * cells are rounded first as one row, so that a lock's periods keep their
 * exact sums over its members, then the group's rows against it (falling
 * back to one flow when that cannot hold). */
int al_round_time_locked(Engine *en, const Alloc *A, const Side *side, const Num *exact,
                         const Num *rt, const Num *ct, const int *rgroup, int ng, Num *out);
/* apportion.c */
/* The multiple of the step just below exact (snapping values a hair below
 * a multiple onto it: AL_SNAP) and the remainder in steps. */
void al_floor_to_step(Num step, Num exact, Num *fl, Num *frac_steps);
/* A remainder in steps (in [0, 1)) as the rounding ranks it: in
 * millionths of a step, to the nearest. */
static inline uint32_t al_rank(Num frac_steps)
{
    return (uint32_t)(((uint64_t)frac_steps.v + 500000) / 1000000);
}
/* (to - from) / step as a whole number (half-even); st, when not NULL,
 * keeps the first arithmetic failure. */
int64_t al_steps_between(Num from, Num to, Num step, NumStatus *st);
/* The floor and ceiling of x, a sum of remainders in steps: the steps a
 * row or node of a rounding may take; one number when x is within 1e-6 of
 * a whole one.  al_node_bounds: the same for a column-tree node, clamped
 * to 32 bits (round_bound). */
void al_remainder_bounds(Num x, int64_t *lo, int64_t *hi);
void al_node_bounds(Num x, RoundBound *lo, RoundBound *hi);
/* tables.c */
int al_bottom_up(Engine *en, Alloc *A, const Node *decl);
/* The gap between cells summing to sum and the metric's top-down target,
 * if it has one: a warning at from, kept as A's note. */
void al_negotiation_gap(Engine *en, Alloc *A, const Node *from, Num sum);
/* history_target.c: a target per cell from last year (`target M = 115% *
 * history.H`): A's axes are the history's levels and months, its cells the
 * formula on last year's same cells; -1 after reporting. */
int al_history_target(Engine *en, Alloc *A, const Node *decl);
/* The last year history reference ref reads (its history resolved by
 * check): read once per engine, NULL after reporting; its cells as an
 * allocation without splits (history levels x months); freed by the
 * engine. */
typedef struct LastYear LastYear;
LastYear *al_last_year_of(Engine *en, const Node *ref);
const Alloc *al_last_year_cells(const LastYear *ly);
/* history_split.c: a target from last year split below the history's
 * levels (split revenue by rep equally, with a history per region): A's
 * cells are each of last year's cells H (their values coarse[H->ncells],
 * the target's formula on them) shared among the members below it as the
 * metric's splits share a whole; -1 after reporting. */
int al_split_last_year(Engine *en, Alloc *A, const Alloc *H, const Num *coarse);
void al_last_year_free(LastYear *ly);
/* derived.c: history.NAME in a derived metric's cell (the Eval's hook):
 * last year's sum over the cell being computed. */
int al_derived_history(Eval *e, const Node *ref, Num *out);
/* The fiscal year history.NAME reads in h (the last complete one before the
 * plan's year), or 0 after reporting at ref. */
int al_last_year(Engine *en, History *h, const Node *ref);
/* The allocation a table of levels lv is read from: A, or A cut above
 * over-assignment. */
Alloc *al_table_alloc(Engine *en, Alloc *A, Level **lv, int nlv);
/* METRIC[coords] as its table shows it. */
int al_cell(Engine *en, Alloc *A, Member **coords, int n, const Node *at, Num *out);
/* The exact sum of the cells under coords[0..n) (which[k]: the axis of
 * coords[k]; -1: no cell is under it); *count gets how many cells. */
Num al_exact_under(const Alloc *A, Member **coords, const int *which, int n, size_t *count);

#endif
