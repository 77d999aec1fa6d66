/* members.c -- evaluating what reads the members' attributes as numbers:
 * sum(rep.quota), avg(rep.quota) and count(rep), each over every member
 * of the level (active or not in the plan's year) that the optional
 * `where` filter keeps.  The filter sees the member's attributes and its
 * active_months.  Exact: sums of decimals, a mean divided once. */
#include <string.h>

#include "eval/eval.h"

/* The months of the fiscal year the member is active in. */
static int64_t active_months(const Eval *e, const Member *m)
{
    int64_t n = 0;
    for (int i = 0; i < 12; i++)
        if (sym_active(m, cal_month_code(sym_fiscal_year(e->s), i)))
            n++;
    return n;
}

/* Whether the filter keeps member m: -1 after reporting. */
static int keeps(Eval *e, const Frame *f, const Node *cond, const Member *m)
{
    if (!cond)
        return 1;
    Frame fr = {NULL, NULL, m, true, active_months(e, m), f};
    Value v;
    if (eval_expr(e, &fr, cond, &v) < 0)
        return -1;
    if (v.kind != V_BOOL) {
        diag_error(e->d, cond->loc, "the filter after 'where' must be true/false");
        return -1;
    }
    return num_is_zero(v.num) ? 0 : 1;
}

/* The attribute's value on member m, as a number; or, for a metric that
 * is no attribute of the level's dimension, its cell of m. */
static int attr_num(Eval *e, const Frame *f, const Node *subject, const Member *m, Num *out)
{
    const Node *metric = strmap_get(&e->s->metrics, subject->name);
    if (metric && e->metric && !strmap_get(&m->dim->attr_names, subject->name)) {
        Member *cell[1] = {(Member *)m};
        return e->metric(e, metric, cell, 1, subject, out);
    }
    Node name = *subject;
    name.kind = N_NAME;
    name.a = name.b = name.c = name.d = name.next = NULL;
    Frame fr = {NULL, NULL, m, false, 0, f};
    Value v;
    if (eval_expr(e, &fr, &name, &v) < 0)
        return -1;
    if (v.kind != V_NUM) {
        diag_error(e->d, subject->loc, "attribute '%s' of '%s' is not a number", subject->name,
                   m->name);
        return -1;
    }
    *out = v.num;
    return 0;
}

int eval_members(Eval *e, const Frame *f, const Node *call, Value *out)
{
    const Node *x = call->b, *cond = x->kind == N_WHERE ? x->b : NULL;
    const Node *subject = cond ? x->a : x;
    const Node *lvname = subject->kind == N_FIELD ? subject->a : subject;
    const Level *L = strmap_get(&e->s->levels, lvname->name);
    bool count = strcmp(call->name, "count") == 0;
    if (!L || (!count && subject->kind != N_FIELD)) {
        diag_error(e->d, call->loc, "'%s' cannot be evaluated here", call->name);
        return -1;
    }
    Num sum = NUM_ZERO;
    int64_t n = 0;
    for (size_t i = 0; i < L->dim->nmembers; i++) {
        const Member *m = L->dim->members[i];
        if (m->depth != L->depth || m->pseudo)
            continue;
        int k = keeps(e, f, cond, m);
        if (k < 0)
            return -1;
        Num v;
        if (k && !count && attr_num(e, f, subject, m, &v) < 0)
            return -1;
        NumStatus st = k && !count ? num_add(sum, v, &sum) : NUM_OK;
        if (st != NUM_OK)
            return diag_arith_fault(e->d, call->loc, st, sum, v);
        n += k;
    }
    *out = (Value){.kind = V_NUM, .num = count ? num_from_int(n) : sum, .str = NULL};
    if (strcmp(call->name, "avg") != 0)
        return 0;
    if (n == 0) {
        diag_error(e->d, call->loc, "avg() over no %s: the filter keeps none", L->name);
        return -1;
    }
    NumStatus st = num_div(sum, num_from_int(n), &out->num);
    return st == NUM_OK ? 0 : diag_arith_fault(e->d, call->loc, st, sum, num_from_int(n));
}
