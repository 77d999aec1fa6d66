/* eval.h -- evaluating plan expressions to exact values.
 *
 * An Eval holds what evaluation needs across expressions: the checked
 * Program, a cache of let values, and a hook through which metric names
 * and cells are answered (the allocation engine provides it).  Frames are
 * stack-allocated by the caller and say what is in scope: function
 * arguments, the member whose attributes are visible, active_months.
 * Every fault (division by zero, overflow, bad breakpoints, recursion
 * deeper than EVAL_MAX_DEPTH, nesting deeper than EVAL_MAX_NESTING, more
 * steps than the budget, an interrupt) is reported to the diagnostics
 * with the source position and makes the call return -1.  Values never own memory:
 * strings point into the AST or the symbol tables.
 */
#ifndef EVAL_H
#define EVAL_H

#include <signal.h>
#include <stdint.h>

#include "load/load.h"
#include "model/model.h"

#define EVAL_MAX_DEPTH 200

/* Evaluation nests at most this deep, counted in units: an expression
 * node is one, a let, a function call, a target or an allocation more
 * (EVAL_UNITS_*).  It keeps the C stack (8 MB by default, more used under
 * sanitizers) far from full, whatever chain of lets, functions or metrics
 * a plan holds. */
#define EVAL_MAX_NESTING 10000
#define EVAL_UNITS_DEFINITION 4 /* a let, a function call, a metric's target */
#define EVAL_UNITS_ALLOC 16     /* an allocation: the engine's frames until it evaluates */

/* The default evaluation budget (--max-steps): a step is one expression
 * node evaluated or one allocation made.  A plan gets the base plus a
 * share per member of its dimensions (the session sets it after check):
 * real work grows with the members, a doubling function does not, and
 * the base alone runs out in well under a second (a few under the
 * sanitizers). */
#define EVAL_DEFAULT_MAX_STEPS 10000000ULL
#define EVAL_STEPS_PER_MEMBER 1000ULL

typedef enum { V_NUM, V_BOOL, V_STR, V_MONTH } ValKind;

typedef struct {     /* 32 bytes: the kind after the pointer, not before the Num's alignment */
    Num num;         /* V_NUM; V_BOOL: 0 or 1; V_MONTH: year*100+month */
    const char *str; /* V_STR */
    ValKind kind;
} Value;

typedef struct Frame {
    const Node *params; /* N_NAME list */
    const Value *args;
    const Member *member; /* attributes of this member and its ancestors */
    bool has_active_months;
    int64_t active_months;
    const struct Frame *outer;
} Frame;

typedef struct Eval Eval;

/* Why evaluation stopped: set once, reported once; every later step
 * fails at once, without a further message. */
typedef enum { EVAL_GOING, EVAL_TOO_DEEP, EVAL_OUT_OF_STEPS, EVAL_INTERRUPTED } EvalStop;

/* What bounds an evaluation (SPEC §17): nesting, steps, and an interrupt
 * flag (the REPL's SIGINT).  One budget is shared by the Evals of a
 * session (the engine's and the measures'); its owner resets it
 * (eval_budget_reset) before each evaluation it wants bounded alone. */
typedef struct {
    int depth;                              /* nesting now, in units */
    uint64_t steps;                         /* steps taken */
    uint64_t max_steps;                     /* --max-steps; 0: default_steps */
    uint64_t default_steps;                 /* 0: EVAL_DEFAULT_MAX_STEPS */
    const volatile sig_atomic_t *interrupt; /* nonzero: stop; or NULL */
    EvalStop stop;
    Loc outer;       /* where the outermost evaluation started (for messages) */
    bool outer_expr; /* outer is an expression's (not only an allocation's metric) */
    int outer_depth; /* the nesting outside that expression */
} EvalBudget;

/* Answers a metric name (cell == NULL: the root target) or a cell
 * revenue[north, Q1] (coordinates resolved to members).  Returns 0 with
 * *out set, or -1 after reporting. */
typedef int (*MetricHook)(Eval *e, const Node *metric, Member **coords, int ncoords, const Node *at,
                          Num *out);

/* Answers total(NAME[, FYyyyy]) (fiscal_year 0: all): a history's sum. */
typedef int (*TotalHook)(Eval *e, const Node *call, const char *name, int fiscal_year, Num *out);

/* Answers history.NAME (ref: the N_FIELD) outside a target per cell: last
 * year's value of the cell being computed.  0 with *out set, or -1 after
 * reporting. */
typedef int (*HistHook)(Eval *e, const Node *ref, Num *out);

/* Answers what only an incentive, example or assertion knows: fields
 * (revenue.actual) and the calls attainment(...) and prev(...).  n is the
 * N_FIELD or N_CALL node.  Returns 0 with *out set, or -1 after reporting. */
typedef int (*ContextHook)(Eval *e, const Frame *f, const Node *n, Value *out);

struct Eval {
    Program *p;
    Symbols *s;
    Diags *d;
    StrMap lets; /* name -> LetCache */
    MetricHook metric;
    TotalHook total;
    HistHook hist;
    ContextHook context;
    void *user;
    int depth;          /* function calls nested */
    EvalBudget *budget; /* own, unless the owner shares one (eval_init: own) */
    EvalBudget own;
    Member **cell; /* when set, a bare metric name is its value in this cell */
    int ncell;
    /* A derived metric's formula: a name that is no let or metric is an
     * attribute of the cell's member of its dimension, or of this member. */
    const Member *attr_member;
    /* na_div set: a division by zero is no error; it gives 0 and sets na
     * (measure.c: a derived metric with a zero denominator is n/a). */
    bool na_div, na;
    /* When set, history.NAME is this value: last year's value of the cell
     * being computed (a target per cell, a ratio to last year). */
    const Num *hist_cell;
    /* when days_to > 0: working_days counts the days [days_from, days_to) of
     * the fiscal year (a week or a day of a table by week or day) */
    int days_from, days_to;
};

/* table(KEY) { key: value, ..., else: value } (lookup.c): the value of
 * the entry whose key equals KEY's value.  Returns 0, or -1 after
 * reporting (no entry for the key and no else). */
int eval_lookup(Eval *e, const Frame *f, const Node *t, Value *out);

/* ---- builtins: one table for the checker, the evaluator and completion ---- */

typedef enum {
    BI_NUMERIC, /* numbers in, a number out: Builtin.fn computes it */
    BI_TOTAL,   /* total(NAME[, FYyyyy]): answered by Eval.total */
    BI_CONTEXT, /* attainment(...), prev(...): answered by Eval.context */
    BI_MEMBERS, /* sum(rep.quota), avg(rep.quota), count(rep [where ...]): eval_members */
} BuiltinClass;

/* How the arguments' kinds make the result's kind (numeric builtins): the
 * kind the arguments share, except these arguments, which do not count. */
enum {
    BI_STEP_ARG = 1,    /* argument 2 is a rounding step (round, floor, ceil) */
    BI_PLAIN_BOUNDS = 2 /* plain numbers after argument 1 (clamp's bounds) */
};

/* Why a numeric builtin gave no value: st (NUM_OK: none) of the operands
 * a and b, or bad_step: the step is not positive. */
typedef struct {
    NumStatus st;
    Num a, b;
    bool bad_step;
} BuiltinFault;

typedef int (*BuiltinFn)(const Num *v, int n, NumRound rounding, Num *out, BuiltinFault *fault);

typedef struct {
    const char *name;
    int min, max; /* arguments; max -1: any number */
    BuiltinClass cls;
    unsigned kinds; /* BI_STEP_ARG, BI_PLAIN_BOUNDS */
    BuiltinFn fn;   /* BI_NUMERIC only; 0 with *out set, or -1 with *fault set */
    const char *help;
} Builtin;

/* Every builtin, ending with a NULL name. */
extern const Builtin eval_builtins[];
/* The builtin called name, or NULL. */
const Builtin *eval_builtin(const char *name);
/* Reports why a numeric builtin failed at call (its fault); returns -1. */
int eval_builtin_fault(Diags *d, const Node *call, const BuiltinFault *fault);

void eval_init(Eval *e, Program *p);
/* Clears the nesting, the steps and the stop of a budget (keeps its limit
 * and interrupt flag). */
void eval_budget_reset(EvalBudget *b);
/* Enters one level of units (EVAL_UNITS_*) of an evaluation at `at`,
 * taking a step: 0, or -1 after reporting (once) that the nesting or the
 * steps ran out or that the interrupt flag is set.  Each 0 is matched by
 * eval_leave with the same units. */
int eval_enter(Eval *e, Loc at, int units);
void eval_leave(Eval *e, int units);
/* Inside an evaluation, between steps (a long loop of arithmetic): -1
 * after reporting (once) that the interrupt flag is set, or when the
 * evaluation has stopped already; else 0.  Takes no step. */
int eval_poll(Eval *e, Loc at);
void eval_free(Eval *e);
int eval_expr(Eval *e, const Frame *f, const Node *n, Value *out);
/* sum(L.attr), avg(L.attr), count(L), each with an optional `where`
 * filter (eval/members.c): 0 with *out set, or -1 after reporting. */
int eval_members(Eval *e, const Frame *f, const Node *call, Value *out);
/* Evaluates to a number; a non-number is reported as a type error. */
int eval_num(Eval *e, const Frame *f, const Node *n, Num *out);

#endif
