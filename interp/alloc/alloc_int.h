/* alloc_int.h -- shared by the allocation engine's files: engine.c (a
 * metric's splits, the engine), axes.c (a metric's axes), split_tree.c
 * (one axis's split tree), joint_cells.c (joint cells, rounded totals,
 * controlled rounding of tables), apportion.c (largest remainder), flow.c
 * (the flow solver, flow.h), tables.c (bottom-up targets, tables) and
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
/* Reports an arithmetic failure while allocating; returns -1. */
int al_num_err(Engine *en, Loc at, NumStatus st);
/* The axis of dimension d in A, or -1. */
int al_axis_of(const Alloc *A, const Dim *d);
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
/* joint_cells.c */
/* The leaves of the first upto axes at joint cell c. */
void al_decode(const Alloc *A, int upto, size_t c, Member **coord);
/* The exact joint cells of A (check mode: al_check_axes). */
int al_compute(Engine *en, Alloc *A);
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
} DimSet;

int al_derived_dims(Engine *en, const Node *metric, DimSet *ds);
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
/* Controlled rounding of an nr x nc table against row and column totals. */
int al_round_grid(Engine *en, const Alloc *A, size_t nr, size_t nc, const Num *exact,
                  const Num *rowt, const Num *colt, Num *out);
/* time_grid.c: a table of members (side[0]) by the finest time level
 * (side[1]), each member's time tree rounded in one flow: rows add up to
 * rt, each period of a member takes the step below or above its exact
 * value, columns add up to ct (when that cannot hold, columns, then rows,
 * may move by a step). */
int al_round_time_tree(Engine *en, const Alloc *A, const Side *side, const Num *exact,
                       const Num *rt, const Num *ct, Num *out);
/* apportion.c */
/* The multiple of the step just below exact (snapping values a hair below
 * a multiple onto it: AL_SNAP) and the remainder in steps. */
void al_floor_to_step(Num step, Num exact, Num *fl, Num *frac_steps);
/* (to - from) / step as a whole number (half-even); st, when not NULL,
 * keeps the first arithmetic failure. */
int64_t al_steps_between(Num from, Num to, Num step, NumStatus *st);
/* tables.c */
int al_bottom_up(Engine *en, Alloc *A, const Node *decl);
/* The allocation a table of levels lv is read from: A, or A cut above
 * over-assignment. */
Alloc *al_table_alloc(Engine *en, Alloc *A, Level **lv, int nlv);
/* METRIC[coords] as its table shows it. */
int al_cell(Engine *en, Alloc *A, Member **coords, int n, const Node *at, Num *out);
/* The exact sum of the cells under coords[0..n) (which[k]: the axis of
 * coords[k]; -1: no cell is under it); *count gets how many cells. */
Num al_exact_under(const Alloc *A, Member **coords, const int *which, int n, size_t *count);

#endif
