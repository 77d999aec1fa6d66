/* alloc_int.h -- shared by the allocation engine's files: alloc.c (splits,
 * axes, the engine), atree.c (one axis's split tree), around.c (joint
 * cells and controlled rounding), atable.c (bottom-up targets, tables,
 * explain).  Not for other modules. */
#ifndef ALLOC_INT_H
#define ALLOC_INT_H

#include "alloc/alloc.h"
#include "data/history.h"
#include "data/targets.h"
#include "alloc/flow.h"

struct SplitInfo {
    const Node *node;  /* the split statement */
    const Node *spec;
    Dim *dim;
    int depth;
    Member *scope[16];
    int nscope;
    int adj_kind; /* 0, ADJ_OVERASSIGN or ADJ_RESERVE */
    Num adj;
    const Node *like; /* LIKE: the other metric */
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

Level *al_level_of(Dim *d, int depth);
Dim *al_split_dim(const Alloc *A, int i);
int al_split_depth(const Alloc *A, int i);
bool al_split_overassigns(const Alloc *A, int i);
bool al_adjusts(const Alloc *A, const Axis *ax, int k, const Member *p, int kind);
const char *al_plural_of(const char *level);
bool al_under_or_is(const Member *m, const Member *anc);
const Member *al_ancestor_at(const Member *m, int depth);
int al_month_code(const Member *m); /* 202705 for "2027-05" */
char *al_fmtv(const Alloc *A, Num v, char *buf);
int al_num_err(Engine *en, Loc at, NumStatus st);
int al_axis_of(const Alloc *A, const Dim *d);
const SplitList *al_splits_of(Engine *en, const char *metric);
Alloc *al_alloc_get_cut(Engine *en, const Node *metric, const int *cuts);
int al_metric_hook(Eval *e, const Node *metric, Member **coords, int ncoords, const Node *at,
                   Num *out);
Num al_metric_step(Engine *en, const Node *metric);
bool al_explicit_value(Engine *en, Alloc *A, const Member *m, Num *out);
bool al_level_value(Engine *en, Alloc *A, const Member *m, Num *out);
/* atree.c */
History *al_history(Engine *en, const char *name, const Node *at); /* loaded once */
bool al_share_expr(const Node *e);
const SplitInfo *al_pick_split(const Alloc *A, const Axis *ax, int k, const Member *p,
                               const Ctx *c);
int al_eval_axis(Engine *en, Alloc *A, Axis *ax, const Ctx *ctx, Num base, Num *val,
                 Num *leafval);
const Num *al_marginal(Engine *en, Alloc *X, int ai);
/* around.c */
void al_decode(const Alloc *A, int upto, size_t c, Member **coord);
int al_compute(Engine *en, Alloc *A);
int al_check_axes(Engine *en, Alloc *A);
/* A dimension's rounded totals per member (gindex), the same for every table. */
const Num *al_canon(Engine *en, Alloc *A, int ai);
int al_round_grid(Engine *en, const Alloc *A, size_t nr, size_t nc, const Num *exact,
                  const Num *rowt, const Num *colt, Num *out);
/* atable.c */
int al_bottom_up(Engine *en, Alloc *A, const Node *decl);
Alloc *al_table_alloc(Engine *en, Alloc *A, Level **lv, int nlv);
/* METRIC[coords] as its table shows it. */
int al_cell(Engine *en, Alloc *A, Member **coords, int n, const Node *at, Num *out);

#endif
