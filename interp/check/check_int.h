/* check_int.h -- shared by the checker's files: resolve.c (collecting
 * declarations, the calendar), cycles.c, dimensions.c (dimensions and
 * members, rosters), declarations.c (one statement at a time),
 * expressions.c (names, kinds, constants) and splits.c (splits against
 * their parents).  Not for other modules: check/check.h is the interface.
 *
 * Ownership: an R lives for one check; it borrows the Program and its
 * Diags and fills the Program's Symbols, which the Program owns.
 */
#ifndef CHECK_INT_H
#define CHECK_INT_H

#include "check/check.h"
#include "eval/eval.h"
#include "model/model.h"

enum {
    SC_ATTRS = 1,     /* attributes of attr_dim's members are names */
    SC_INCENTIVE = 2, /* lines, M.target/.actual, attainment(), prev() */
    SC_FIELDS = 4,    /* M.target and attainment() without lines (given, asserts) */
    SC_METRICS = 8,   /* a bare metric name is its root target */
};

typedef struct {
    int flags;
    Node *params;           /* fn parameters (N_NAME list) */
    Dim *attr_dim;          /* whose attributes are visible */
    Node *lines;            /* incentive lines */
    Node *cur_line;         /* the line being checked: later lines are not visible */
    bool active_months;     /* proportional to: the builtin attribute */
    const int *param_kinds; /* Kind of each fn parameter at a call, or NULL (unknown) */
} Scope;

typedef struct {
    Node *decl;
    bool cells;    /* a metric's cells, not its target */
    bool reported; /* in a cycle already reported */
    int color;     /* 0 new, 1 on the stack, 2 done */
    int cstate;    /* constant value: 0 unknown, 1 known, 2 not constant */
    Num value;
} GNode;

typedef struct Split Split;           /* splits.c */
typedef struct Lookalikes Lookalikes; /* names.c */
struct RosterReader;                  /* data/roster.h */

typedef struct R {
    Program *p;
    Diags *d;
    Symbols *s;
    StrMap graph;       /* let/fn/metric name -> GNode */
    Split *splits_info; /* parallel to s->splits while splits are checked */
    Lookalikes *look;   /* the skeletons of the dimension being built */
    StrMap cells;       /* metric name -> GNode of its cells (cycles.c) */
    StrMap fn_kinds;    /* "fn(k1,k2..)" -> the kind it returns + 1 (expressions.c) */
} R;

void rs_duplicate(R *r, Node *n, Node *prev, const char *what);
Member *rs_new_member(R *r, Dim *d, const char *name, int depth, Member *parent, Loc loc);
Dim *rs_new_dim(R *r, const char *name);
void rs_build_dim(R *r, Node *n); /* dimensions.c */

/* names.c: look-alike members of the dimension being built, between
 * begin and end.  rs_lookalike reports (at the roster row when rr is not
 * NULL) when m's name looks like an earlier member's and one of the two is
 * not ASCII; false then. */
void rs_lookalikes_begin(R *r, const Dim *d);
bool rs_lookalike(R *r, Member *m, struct RosterReader *rr);
void rs_lookalikes_end(R *r);
/* Reports a member named (or labelled) what tables print for something
 * else: total, reserve, Q1-Q4, H1, H2, FYnnnn, jan-dec, without regard to
 * case (a label only for total and reserve); false then. */
bool rs_reserved_name(R *r, const Member *m, struct RosterReader *rr);
/* A roster's level value as a member name: its NFC form (*nfc, malloc'd,
 * when it differs), or NULL after reporting an invisible character, a
 * bidi control or mixed scripts. */
const char *rs_roster_name(R *r, struct RosterReader *rr, const char *level, const char *name,
                           char **nfc);
void rs_index_members(R *r);
/* Sets every member's active months from its start/end attributes
 * (inherited); once per dimension. */
void rs_activity(Dim *d);
void rs_check_splits(R *r); /* splits.c */
/* weeks.c: a calendar setting of the header (SET_WEEKS .. SET_HOLIDAYS),
 * the week calendar with its holidays, the splits by week (before
 * rs_check_splits: they add the month splits they imply). */
void rs_week_setting(R *r, int k, Node *v);
void rs_build_weeks(R *r);
void rs_check_week_splits(R *r);
int rs_month_of(const Member *m);
/* Reports cyclic definitions, with each edge; sets the lets' constant
 * values (cycles.c). */
void rs_check_cycles(R *r);
char *rs_fmt_pct(Num share, char *buf);
void rs_check_item(R *r, Node *n); /* declarations.c */

const char *sym_kind_name(Kind k);
Kind sym_metric_kind(const Node *metric);
Kind rx_check(R *r, const Scope *sc, Node *e);
/* 1 with *out set when e is a constant number, 0 when not constant,
 * -1 after reporting an arithmetic error. */
int rx_const(R *r, Node *e, Num *out);
/* Names an expression refers to (lets, fns, metrics), for the cycle check:
 * N_NAME, N_CALL, or N_INDEX for a cell `name[...]`. */
void rx_refs(Node *e, const Node *params, void (*fn)(void *, Node *), void *arg);
char *rs_fmt_money(R *r, Num v, char *buf);

#endif
