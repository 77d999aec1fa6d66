/* builtins.c -- the builtin functions of the language, once: their names,
 * arity, how their result's kind follows from the arguments', and the
 * numeric ones' code.  The checker (arity, kinds, constant folding), the
 * evaluator and the REPL's completion all read this table. */
#include <string.h>

#include "eval/eval.h"

static int bi_min(const Num *v, int n, NumRound rounding, Num *out, BuiltinFault *fault)
{
    (void)rounding, (void)fault;
    Num best = v[0];
    for (int i = 1; i < n; i++)
        if (num_cmp(v[i], best) < 0)
            best = v[i];
    *out = best;
    return 0;
}

static int bi_max(const Num *v, int n, NumRound rounding, Num *out, BuiltinFault *fault)
{
    (void)rounding, (void)fault;
    Num best = v[0];
    for (int i = 1; i < n; i++)
        if (num_cmp(v[i], best) > 0)
            best = v[i];
    *out = best;
    return 0;
}

static int bi_clamp(const Num *v, int n, NumRound rounding, Num *out, BuiltinFault *fault)
{
    (void)n, (void)rounding, (void)fault;
    *out = num_cmp(v[0], v[1]) < 0 ? v[1] : num_cmp(v[0], v[2]) > 0 ? v[2] : v[0];
    return 0;
}

static int bi_abs(const Num *v, int n, NumRound rounding, Num *out, BuiltinFault *fault)
{
    (void)n, (void)rounding, (void)fault;
    *out = num_abs(v[0]);
    return 0;
}

/* x rounded to a multiple of the step (argument 2, default 1). */
static int round_to(const Num *v, int n, NumRound mode, Num *out, BuiltinFault *fault)
{
    Num step = n > 1 ? v[1] : NUM_ONE;
    if (num_sign(step) <= 0) {
        *fault = (BuiltinFault){NUM_OK, step, NUM_ZERO, true};
        return -1;
    }
    NumStatus st = num_round(v[0], step, mode, out);
    if (st != NUM_OK) {
        *fault = (BuiltinFault){st, v[0], step, false};
        return -1;
    }
    return 0;
}

static int bi_round(const Num *v, int n, NumRound rounding, Num *out, BuiltinFault *fault)
{
    return round_to(v, n, rounding, out, fault);
}

static int bi_floor(const Num *v, int n, NumRound rounding, Num *out, BuiltinFault *fault)
{
    (void)rounding;
    return round_to(v, n, NUM_FLOOR, out, fault);
}

static int bi_ceil(const Num *v, int n, NumRound rounding, Num *out, BuiltinFault *fault)
{
    (void)rounding;
    return round_to(v, n, NUM_CEIL, out, fault);
}

const Builtin eval_builtins[] = {
    {"min", 2, -1, BI_NUMERIC, 0, bi_min, "min(a, b, ...): the least"},
    {"max", 2, -1, BI_NUMERIC, 0, bi_max, "max(a, b, ...): the greatest"},
    {"clamp", 3, 3, BI_NUMERIC, BI_PLAIN_BOUNDS, bi_clamp,
     "clamp(x, lo, hi): x kept within lo .. hi"},
    {"abs", 1, 1, BI_NUMERIC, 0, bi_abs, "abs(x): x without its sign"},
    {"round", 1, 2, BI_NUMERIC, BI_STEP_ARG, bi_round,
     "round(x[, step]): to a multiple of step (default 1), as the plan rounds"},
    {"floor", 1, 2, BI_NUMERIC, BI_STEP_ARG, bi_floor,
     "floor(x[, step]): down to a multiple of step"},
    {"ceil", 1, 2, BI_NUMERIC, BI_STEP_ARG, bi_ceil, "ceil(x[, step]): up to a multiple of step"},
    {"total", 1, 2, BI_TOTAL, 0, NULL,
     "total(NAME[, FYyyyy]): a history's sum, or an incentive's payouts"},
    {"attainment", 1, 2, BI_CONTEXT, 0, NULL, "attainment(METRIC[, LEVEL]): actual / target"},
    {"prev", 1, 1, BI_CONTEXT, 0, NULL, "prev(LINE): the line's value in the previous period"},
    {"sum", 1, 1, BI_MEMBERS, 0, NULL,
     "sum(LEVEL.attr [where COND]): the attribute summed over the level's members"},
    {"avg", 1, 1, BI_MEMBERS, 0, NULL,
     "avg(LEVEL.attr [where COND]): the attribute's mean over the level's members"},
    {"count", 1, 1, BI_MEMBERS, 0, NULL,
     "count(LEVEL [where COND]): the number of the level's members"},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

const Builtin *eval_builtin(const char *name)
{
    for (const Builtin *b = eval_builtins; b->name; b++)
        if (b->name[0] == name[0] && strcmp(b->name, name) == 0)
            return b;
    return NULL;
}

int eval_builtin_fault(Diags *d, const Node *call, const BuiltinFault *fault)
{
    if (fault->bad_step) {
        char b[NUM_BUFSZ];
        diag_error(d, call->loc, "bad argument #2 to '%s' (the step must be positive, got %s)",
                   call->name, num_str(fault->a, b));
        return -1;
    }
    return diag_arith_fault(d, call->loc, fault->st, fault->a, fault->b);
}
