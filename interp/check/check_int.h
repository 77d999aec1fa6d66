/* resolve_int.h -- shared by resolve.c (declarations) and rexpr.c
 * (expressions).  Not for other modules. */
#ifndef RESOLVE_INT_H
#define RESOLVE_INT_H

#include "check/check.h"
#include "model/model.h"

typedef enum {
    K_ANY,     /* unknown: checked no further */
    K_NUM,     /* plain number */
    K_MONEY,
    K_COUNT,
    K_PERCENT, /* a share or rate: 15% */
    K_SCORE,
    K_BOOL,
    K_STR,
    K_MONTH,
    K_MEMBER,
} Kind;

enum {
    SC_ATTRS = 1,     /* attributes of attr_dim's members are names */
    SC_INCENTIVE = 2, /* lines, M.target/.actual, attainment(), prev() */
    SC_FIELDS = 4,    /* M.target and attainment() without lines (given, asserts) */
    SC_METRICS = 8,   /* a bare metric name is its root target */
};

typedef struct {
    int flags;
    Node *params;   /* fn parameters (N_NAME list) */
    Dim *attr_dim;  /* whose attributes are visible */
    Node *lines;    /* incentive lines */
    Node *cur_line; /* the line being checked: later lines are not visible */
    bool active_months; /* proportional to: the builtin attribute */
    const int *param_kinds; /* Kind of each fn parameter at a call, or NULL (unknown) */
} Scope;

typedef struct {
    Node *decl;
    int color; /* 0 new, 1 on the stack, 2 done */
    int cstate; /* constant value: 0 unknown, 1 known, 2 not constant */
    Num value;
} GNode;

typedef struct Split Split; /* rsplit.c */

typedef struct R {
    Program *p;
    Diags *d;
    Symbols *s;
    StrMap graph;        /* let/fn/metric name -> GNode */
    Split *splits_info;  /* parallel to s->splits while splits are checked */
} R;

extern const char *const rs_month_names[12];
void rs_duplicate(R *r, Node *n, Node *prev, const char *what);
Member *rs_new_member(R *r, Dim *d, const char *name, int depth, Member *parent, Loc loc);
Dim *rs_new_dim(R *r, const char *name);
void rs_build_dim(R *r, Node *n);          /* rdims.c */
void rs_index_members(R *r);
void rs_check_splits(R *r);                /* rsplit.c */
bool rs_additive(const Node *metric);
char *rs_fmt_pct(Num share, char *buf);
void rs_check_item(R *r, Node *n);         /* rdecl.c */

const char *kind_name(Kind k);
Kind kind_of_metric(const Node *metric);
Kind rx_check(R *r, const Scope *sc, Node *e);
/* 1 with *out set when e is a constant number, 0 when not constant,
 * -1 after reporting an arithmetic error. */
int rx_const(R *r, Node *e, Num *out);
/* Reports an arithmetic fault (division by zero, overflow) with the operands; returns -1. */
int rx_fault(Diags *d, Loc at, NumStatus st, Num a, Num b);
/* Names an expression refers to (lets, fns, metrics), for the cycle check. */
void rx_refs(Node *e, const Node *params, void (*fn)(void *, Node *), void *arg);
/* Did-you-mean over a map's keys; NULL if nothing is close. */
const char *closest(const StrMap *m, const char *name);
void note_did_you_mean(R *r, const char *suggestion);
/* Did-you-mean among a fixed list of words (kinds, cadences, settings). */
void note_suggest_word(R *r, const char *name, const char *const *words, int n);
Member *lookup_member(R *r, Node *ref, bool report);
/* The same, trying dimension d first (split keys name members of the split's level). */
Member *lookup_member_in(R *r, Node *ref, const Dim *d, bool report);
char *fmt_money(R *r, Num v, char *buf);

#endif
