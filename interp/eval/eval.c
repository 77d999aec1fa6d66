/* eval.c -- exact evaluation of expressions: arithmetic, comparisons,
 * if, lets (cached), functions (bounded depth), attributes, builtins and
 * the table functions step, bracket and curve.  It knows nothing about
 * allocation: metric values come through Eval.metric. */
#include "eval/eval.h"

#include <stdlib.h>
#include <string.h>

/* The helpers of eval_node are not inlined into it: evaluation recurses
 * through eval_expr, and each level should hold only the frames of the
 * node kinds on its path, not all of them (under sanitizers, 2 KB). */
#define NOINLINE __attribute__((noinline))

typedef struct {
    int state; /* 0 new, 1 evaluating, 2 done, 3 failed */
    Value v;
} LetCache;

void eval_init(Eval *e, Program *p)
{
    memset(e, 0, sizeof *e);
    e->p = p;
    e->s = p->sym;
    e->d = p->diags;
    e->budget = &e->own;
}

/* ---- the budget ---------------------------------------------------------------------- */

void eval_budget_reset(EvalBudget *b)
{
    b->depth = 0;
    b->steps = 0;
    b->stop = EVAL_GOING;
    b->outer_expr = false;
    b->outer_depth = 0;
}

static uint64_t max_steps(const EvalBudget *b)
{
    return b->max_steps       ? b->max_steps
           : b->default_steps ? b->default_steps
                              : EVAL_DEFAULT_MAX_STEPS;
}

/* The one report of why evaluation stops: at the outermost evaluation (the
 * plan's line), with where it had got to. */
static int stop_here(Eval *e, Loc at, EvalStop why)
{
    EvalBudget *b = e->budget;
    b->stop = why;
    if (why == EVAL_INTERRUPTED) {
        diag_error(e->d, b->outer, "evaluation interrupted");
        return -1;
    }
    if (why == EVAL_TOO_DEEP)
        diag_error(e->d, b->outer, "evaluation nested too deep (more than %d levels)",
                   EVAL_MAX_NESTING);
    else
        diag_error(e->d, b->outer, "evaluation needs more than %llu steps (--max-steps)",
                   (unsigned long long)max_steps(b));
    diag_note(e->d, at, "%s",
              why == EVAL_TOO_DEEP ? "the deepest level reached" : "the step it had reached");
    diag_note_plain(e->d, why == EVAL_TOO_DEEP
                              ? "a chain of lets, functions or metrics this long cannot be "
                                "evaluated: shorten it, or make parts of it constants"
                              : "a function that calls another twice doubles the work at every "
                                "level; raise --max-steps if the plan really needs more");
    return -1;
}

int eval_enter(Eval *e, Loc at, int units)
{
    EvalBudget *b = e->budget;
    if (b->stop != EVAL_GOING)
        return -1;
    if (b->depth == 0 || (!b->outer_expr && units != EVAL_UNITS_ALLOC)) {
        b->outer = at; /* the plan's line: the outermost expression, else the metric */
        b->outer_expr = units != EVAL_UNITS_ALLOC;
        b->outer_depth = b->depth;
    }
    if (b->depth + units > EVAL_MAX_NESTING)
        return stop_here(e, at, EVAL_TOO_DEEP);
    if (++b->steps > max_steps(b))
        return stop_here(e, at, EVAL_OUT_OF_STEPS);
    if (b->interrupt && *b->interrupt)
        return stop_here(e, at, EVAL_INTERRUPTED);
    b->depth += units;
    return 0;
}

int eval_poll(Eval *e, Loc at)
{
    EvalBudget *b = e->budget;
    if (b->stop != EVAL_GOING)
        return -1;
    return b->interrupt && *b->interrupt ? stop_here(e, at, EVAL_INTERRUPTED) : 0;
}

void eval_leave(Eval *e, int units)
{
    EvalBudget *b = e->budget;
    b->depth -= units;
    if (b->depth <= b->outer_depth) /* the outermost expression is done */
        b->outer_expr = false;
}

void eval_free(Eval *e)
{
    for (size_t i = 0; i < e->lets.count; i++)
        free(e->lets.slots[i].val);
    strmap_free(&e->lets);
}

static Value num_value(Num n)
{
    return (Value){.kind = V_NUM, .num = n, .str = NULL};
}
static Value bool_value(bool b)
{
    return (Value){.kind = V_BOOL, .num = b ? NUM_ONE : NUM_ZERO, .str = NULL};
}

NOINLINE static int fault(Eval *e, const Node *at, NumStatus st, Num a, Num b)
{
    return diag_arith_fault(e->d, at->loc, st, a, b);
}

int eval_num(Eval *e, const Frame *f, const Node *n, Num *out)
{
    Value v;
    if (eval_expr(e, f, n, &v) < 0)
        return -1;
    if (v.kind != V_NUM) {
        diag_error(e->d, n->loc, "a number is needed here");
        return -1;
    }
    *out = v.num;
    return 0;
}

/* A CSV attribute: a number (with optional '-'), a month, or text. */
NOINLINE static Value text_value(const char *t)
{
    Num n;
    size_t len = strlen(t);
    bool neg = len > 1 && t[0] == '-';
    if (len && num_parse(t + neg, len - neg, &n) == NUM_OK)
        return num_value(neg ? num_neg(n) : n);
    int ym = cal_parse_ym(t, len);
    if (ym)
        return (Value){.kind = V_MONTH, .num = num_from_int(ym), .str = NULL};
    return (Value){.kind = V_STR, .num = NUM_ZERO, .str = t};
}

NOINLINE static int eval_let(Eval *e, const Node *let, Value *out)
{
    LetCache *c = strmap_get(&e->lets, let->name);
    if (!c) {
        c = xcalloc(1, sizeof *c);
        strmap_put(&e->lets, let->name, c);
    }
    if (c->state == 2) {
        *out = c->v;
        return 0;
    }
    if (c->state == 1 || c->state == 3)
        return -1; /* a cycle (reported by check) or an earlier failure */
    if (eval_enter(e, let->loc, EVAL_UNITS_DEFINITION) < 0)
        return -1;
    c->state = 1;
    Frame top = {0};
    int rc = eval_expr(e, &top, let->a, &c->v);
    eval_leave(e, EVAL_UNITS_DEFINITION);
    if (rc < 0) {
        c->state = e->budget->stop == EVAL_GOING ? 3 : 0; /* stopped: try again later */
        return -1;
    }
    c->state = 2;
    *out = c->v;
    return 0;
}

/* A name bound in frame fr: a parameter, active_months, or an attribute of
 * its member.  True when bound, with the result of evaluating it in *rc. */
NOINLINE static bool in_frame(Eval *e, const Frame *fr, const char *name, Value *out, int *rc)
{
    int i = 0;
    *rc = 0;
    for (const Node *p = fr->params; p; p = p->next, i++)
        if (strcmp(p->name, name) == 0) {
            *out = fr->args[i];
            return true;
        }
    if (fr->has_active_months && strcmp(name, "active_months") == 0) {
        *out = num_value(num_from_int(fr->active_months));
        return true;
    }
    const Attr *a = fr->member ? sym_attr(fr->member, name) : NULL;
    if (!a)
        return false;
    if (a->text) {
        *out = text_value(a->text);
        return true;
    }
    Frame plain = {0};
    *rc = eval_expr(e, &plain, a->value, out);
    return true;
}

/* An attribute of a derived metric's cell: of the cell's member on the
 * attribute's dimension (the checker made sure there is one), or of the
 * member a measure evaluates the formula for. */
NOINLINE static bool cell_attr(Eval *e, const char *name, Value *out, int *rc)
{
    for (int i = 0; i <= e->ncell; i++) {
        const Member *m = i < e->ncell ? (e->cell ? e->cell[i] : NULL) : e->attr_member;
        if (!m || m->pseudo || m->dim->is_time || !strmap_get(&m->dim->attr_names, name))
            continue;
        Frame fr = {NULL, NULL, m, false, 0, NULL};
        return in_frame(e, &fr, name, out, rc);
    }
    return false;
}

/* An attribute a derived metric reads where no member of its dimension
 * is known (an actual by another dimension): reported, true. */
NOINLINE static bool no_cell_attr(Eval *e, const Node *n)
{
    if (!e->cell && !e->attr_member)
        return false;
    for (int i = 0; i < e->s->ndims; i++) {
        const Dim *d = e->s->dims[i];
        if (d->is_time || !strmap_get((StrMap *)&d->attr_names, n->name))
            continue;
        diag_error(e->d, n->loc, "'%s' is an attribute of each %s, and no %s is known here",
                   n->name, d->levels[d->nlevels - 1].name, d->levels[d->nlevels - 1].name);
        diag_note_plain(e->d,
                        "a metric that reads an attribute is measured per member of its "
                        "dimension: review or score it by %s",
                        d->levels[d->nlevels - 1].name);
        return true;
    }
    return false;
}

/* The innermost frame first, then lets, then metrics. */
/* working_days: the working days of the cell's period (its time
 * coordinate: a month, quarter, half or the year), else of the year. */
static int working_days(Eval *e, Value *out)
{
    int from = 0, to = 11;
    for (int i = 0; i < e->ncell; i++) {
        const Member *m = e->cell[i];
        if (!m || !m->dim->is_time)
            continue;
        int span = m->depth == 0 ? 12 : m->depth == 1 ? 6 : m->depth == 2 ? 3 : 1;
        from = m->index * span;
        to = from + span - 1;
    }
    const WeekCal *c = e->s->weeks;
    out->kind = V_NUM;
    out->str = NULL;
    out->num =
        num_from_int(e->days_to > 0 ? wk_workdays(c, e->days_from, e->days_to)
                                    : wk_workdays(c, c->month_first[from], c->month_first[to + 1]));
    return 0;
}

NOINLINE static int eval_name(Eval *e, const Frame *f, const Node *n, Value *out)
{
    const char *name = n->name;
    int rc;
    for (const Frame *fr = f; fr; fr = fr->outer)
        if (in_frame(e, fr, name, out, &rc))
            return rc;
    Node *let = strmap_get(&e->s->lets, name);
    if (let)
        return eval_let(e, let, out);
    Node *metric = strmap_get(&e->s->metrics, name);
    if (metric && e->metric) {
        out->kind = V_NUM;
        out->str = NULL;
        return e->metric(e, metric, e->cell, e->ncell, n, &out->num);
    }
    if (cell_attr(e, name, out, &rc))
        return rc;
    if (no_cell_attr(e, n))
        return -1;
    if (n->op == SYM_WORKING_DAYS && e->s->weeks)
        return working_days(e, out);
    diag_error(e->d, n->loc, "'%s' has no value here", name);
    if (f && f->member)
        diag_note_plain(e->d, "member '%s' has no attribute '%s'", f->member->name, name);
    return -1;
}

static int eval_args(Eval *e, const Frame *f, const Node *args, Value *v, int max)
{
    int n = 0;
    for (const Node *a = args; a && n < max; a = a->next, n++)
        if (eval_expr(e, f, a, &v[n]) < 0)
            return -1;
    return n;
}

/* A function of the plan: its body with the arguments as parameters. */
NOINLINE static int call_fn(Eval *e, const Frame *f, const Node *n, const Node *fn, Value *out)
{
    size_t np = ast_list_len(fn->a);
    Value *args = np ? xcalloc(np, sizeof *args) : NULL;
    int got = eval_args(e, f, n->b, args, (int)np);
    int rc = -1;
    if (got == (int)np) {
        if (e->depth >= EVAL_MAX_DEPTH) {
            diag_error(e->d, n->loc, "function calls nested more than %d deep", EVAL_MAX_DEPTH);
        } else if (eval_enter(e, n->loc, EVAL_UNITS_DEFINITION) == 0) {
            Frame callee = {fn->a, args, NULL, false, 0, NULL};
            e->depth++;
            rc = eval_expr(e, &callee, fn->b, out);
            e->depth--;
            eval_leave(e, EVAL_UNITS_DEFINITION);
        }
    }
    free(args);
    return rc;
}

NOINLINE static int call_total(Eval *e, const Node *n, Value *out)
{
    const Node *a1 = n->b, *a2 = a1 ? a1->next : NULL;
    int fy = 0;
    if (a2 && a2->kind == N_NAME && strncmp(a2->name, "FY", 2) == 0)
        fy = atoi(a2->name + 2);
    if (!a1 || a1->kind != N_NAME || !e->total) {
        diag_error(e->d, n->loc, "total() cannot be evaluated here");
        return -1;
    }
    out->kind = V_NUM;
    out->str = NULL;
    return e->total(e, n, a1->name, fy, &out->num);
}

/* min, max, round...: the arguments evaluated to numbers, then the table's code. */
NOINLINE static int call_numeric(Eval *e, const Frame *f, const Node *n, const Builtin *b,
                                 Value *out)
{
    int na = (int)ast_list_len(n->b), rc = -1;
    Value *v = xcalloc((size_t)na + 1, sizeof *v);
    Num *x = xcalloc((size_t)na + 1, sizeof *x);
    if (eval_args(e, f, n->b, v, na) < 0)
        goto done;
    for (int i = 0; i < na; i++) {
        if (v[i].kind != V_NUM) {
            diag_error(e->d, n->loc, "bad argument #%d to '%s' (number expected)", i + 1, b->name);
            goto done;
        }
        x[i] = v[i].num;
    }
    BuiltinFault fault;
    Num r;
    if (b->fn(x, na, e->s->rounding, &r, &fault) < 0)
        eval_builtin_fault(e->d, n, &fault);
    else
        *out = num_value(r), rc = 0;
done:
    free(v);
    free(x);
    return rc;
}

NOINLINE static int eval_call(Eval *e, const Frame *f, const Node *n, Value *out)
{
    const Node *fn = strmap_get(&e->s->fns, n->name);
    if (fn)
        return call_fn(e, f, n, fn, out);
    const Builtin *b = eval_builtin(n->name);
    if (b && b->cls == BI_TOTAL)
        return call_total(e, n, out);
    if (b && b->cls == BI_MEMBERS)
        return eval_members(e, f, n, out);
    if (b && b->cls == BI_CONTEXT) {
        if (e->context)
            return e->context(e, f, n, out);
        diag_error(e->d, n->loc, "%s() is only known inside an incentive, example or assert",
                   n->name);
        return -1;
    }
    if (b)
        return call_numeric(e, f, n, b, out);
    diag_error(e->d, n->loc, "'%s' cannot be evaluated here", n->name);
    return -1;
}

/* Evaluates the breakpoints of a table and checks that they do not
 * decrease.  Breakpoints computed per member (80% * quota) may meet when
 * the quota is 0: a band of zero width is empty, so equal breakpoints are
 * accepted here (constant ones must increase: check reports those). */
NOINLINE static int table_points(Eval *e, const Frame *f, const Node *t, Num *keys, Num *vals,
                                 int max)
{
    int n = 0;
    for (const Node *en = t->b; en && n < max; en = en->next, n++) {
        if (eval_num(e, f, en->a, &keys[n]) < 0 || eval_num(e, f, en->b, &vals[n]) < 0)
            return -1;
        if (n > 0 && num_cmp(keys[n], keys[n - 1]) < 0) {
            char b1[NUM_BUFSZ], b2[NUM_BUFSZ];
            diag_error(e->d, en->a->loc, "breakpoints must not decrease: %s after %s",
                       num_str(keys[n], b1), num_str(keys[n - 1], b2));
            return -1;
        }
    }
    return n;
}

#define MAX_POINTS 256

/* step: the value of the last breakpoint at or below x. */
static NumStatus step_value(Num x, const Num *keys, const Num *vals, int n, Num *acc)
{
    for (int i = 0; i < n; i++)
        if (num_cmp(keys[i], x) <= 0)
            *acc = vals[i];
    return NUM_OK;
}

/* bracket: each band's rate on the part of x inside the band. */
static NumStatus bracket_value(Num x, const Num *keys, const Num *vals, int n, Num *acc)
{
    NumStatus st = NUM_OK;
    Num tmp;
    for (int i = 0; i < n && st == NUM_OK && num_cmp(x, keys[i]) > 0; i++) {
        Num top = i + 1 < n && num_cmp(keys[i + 1], x) < 0 ? keys[i + 1] : x;
        if ((st = num_sub(top, keys[i], &tmp)) == NUM_OK &&
            (st = num_mul(tmp, vals[i], &tmp)) == NUM_OK)
            st = num_add(*acc, tmp, acc);
    }
    return st;
}

/* y0 + (x - x0) * (y1 - y0) / (x1 - x0) */
static NumStatus interpolate(Num x, Num x0, Num x1, Num y0, Num y1, Num *out)
{
    Num dx, dy, span, t;
    NumStatus st;
    if ((st = num_sub(x, x0, &dx)) != NUM_OK || (st = num_sub(y1, y0, &dy)) != NUM_OK ||
        (st = num_sub(x1, x0, &span)) != NUM_OK || (st = num_mul(dx, dy, &t)) != NUM_OK ||
        (st = num_div(t, span, &t)) != NUM_OK)
        return st;
    return num_add(y0, t, out);
}

/* curve: straight lines between the points, flat beyond the ends. */
static NumStatus curve_value(Num x, const Num *keys, const Num *vals, int n, Num *acc)
{
    NumStatus st = NUM_OK;
    if (n > 0)
        *acc = num_cmp(x, keys[0]) <= 0 ? vals[0] : vals[n - 1];
    for (int i = 0; i + 1 < n && st == NUM_OK; i++) {
        if (num_cmp(x, keys[i]) <= 0 || num_cmp(x, keys[i + 1]) > 0 ||
            num_cmp(keys[i], keys[i + 1]) == 0)
            continue;
        st = interpolate(x, keys[i], keys[i + 1], vals[i], vals[i + 1], acc);
    }
    return st;
}

/* The points live on the heap: tables nest in tables, and the C stack is
 * kept small per level of evaluation. */
NOINLINE static int eval_table(Eval *e, const Frame *f, const Node *t, Value *out)
{
    Num x, acc = NUM_ZERO;
    if (t->op == TABLE_LOOKUP)
        return eval_lookup(e, f, t, out);
    if (eval_num(e, f, t->a, &x) < 0)
        return -1;
    size_t np = ast_list_len(t->b);
    np = np < MAX_POINTS ? np : MAX_POINTS;
    Num *keys = xcalloc(2 * np + 1, sizeof *keys), *vals = keys + np;
    int n = table_points(e, f, t, keys, vals, (int)np), rc = -1;
    NumStatus st = n < 0                    ? NUM_OK
                   : t->op == TABLE_STEP    ? step_value(x, keys, vals, n, &acc)
                   : t->op == TABLE_BRACKET ? bracket_value(x, keys, vals, n, &acc)
                                            : curve_value(x, keys, vals, n, &acc);
    free(keys);
    if (n >= 0 && st != NUM_OK)
        return fault(e, t, st, x, NUM_ZERO);
    if (n >= 0) {
        *out = num_value(acc);
        rc = 0;
    }
    return rc;
}

NOINLINE static int compare(Eval *e, const Node *n, const Value *a, const Value *b, Value *out)
{
    int op = n->op, c;
    if (a->kind == V_STR || b->kind == V_STR) {
        if (a->kind != b->kind || (op != OP_EQ && op != OP_NE)) {
            diag_error(e->d, n->loc, "strings can only be compared with == and !=");
            return -1;
        }
        c = strcmp(a->str, b->str);
    } else {
        c = num_cmp(a->num, b->num);
    }
    bool r = op == OP_LT   ? c < 0
             : op == OP_GT ? c > 0
             : op == OP_LE ? c <= 0
             : op == OP_GE ? c >= 0
             : op == OP_EQ ? c == 0
                           : c != 0;
    *out = bool_value(r);
    return 0;
}

/* and, or: the right side only when the left does not decide. */
NOINLINE static int eval_logic(Eval *e, const Frame *f, const Node *n, Value a, Value *out)
{
    bool av = !num_is_zero(a.num);
    if ((n->op == OP_AND && !av) || (n->op == OP_OR && av)) {
        *out = bool_value(av);
        return 0;
    }
    Value b;
    if (eval_expr(e, f, n->b, &b) < 0)
        return -1;
    *out = bool_value(!num_is_zero(b.num));
    return 0;
}

NOINLINE static int arith(Eval *e, const Node *n, Value a, Value b, Value *out)
{
    if (a.kind != V_NUM || b.kind != V_NUM) {
        diag_error(e->d, n->loc, "arithmetic needs numbers");
        return -1;
    }
    Num r;
    NumStatus st = n->op == OP_ADD   ? num_add(a.num, b.num, &r)
                   : n->op == OP_SUB ? num_sub(a.num, b.num, &r)
                   : n->op == OP_MUL ? num_mul(a.num, b.num, &r)
                                     : num_div(a.num, b.num, &r);
    if (st == NUM_DIVZERO && e->na_div) {
        e->na = true;
        r = NUM_ZERO;
        st = NUM_OK;
    }
    if (st != NUM_OK)
        return fault(e, n, st, a.num, b.num);
    *out = num_value(r);
    return 0;
}

NOINLINE static int eval_binop(Eval *e, const Frame *f, const Node *n, Value *out)
{
    Value a, b;
    if (eval_expr(e, f, n->a, &a) < 0)
        return -1;
    if (n->op == OP_AND || n->op == OP_OR)
        return eval_logic(e, f, n, a, out);
    if (eval_expr(e, f, n->b, &b) < 0)
        return -1;
    if (n->op < OP_ADD || n->op > OP_DIV)
        return compare(e, n, &a, &b, out);
    return arith(e, n, a, b, out);
}

NOINLINE static int eval_cell(Eval *e, const Node *n, Value *out)
{
    Node *metric = strmap_get(&e->s->metrics, n->a->name);
    Member *coords[16];
    int k = 0;
    for (Node *c = n->b; c && k < 16; c = c->next) {
        Member *m = sym_lookup_member(e->s, c, e->d);
        if (!m)
            return -1;
        coords[k++] = m;
    }
    if (!metric || !e->metric) {
        diag_error(e->d, n->loc, "no value for this cell here");
        return -1;
    }
    out->kind = V_NUM;
    out->str = NULL;
    return e->metric(e, metric, coords, k, n, &out->num);
}

NOINLINE static int eval_unop(Eval *e, const Frame *f, const Node *n, Value *out)
{
    Value a;
    if (eval_expr(e, f, n->a, &a) < 0)
        return -1;
    *out = n->op == OP_NEG ? num_value(num_neg(a.num)) : bool_value(num_is_zero(a.num));
    return 0;
}

NOINLINE static int eval_if(Eval *e, const Frame *f, const Node *n, Value *out)
{
    Value c;
    if (eval_expr(e, f, n->a, &c) < 0)
        return -1;
    return eval_expr(e, f, num_is_zero(c.num) ? n->c : n->b, out);
}

/* M.target, M.actual...: the context (an incentive, example or assert) knows. */
NOINLINE static int eval_field(Eval *e, const Frame *f, const Node *n, Value *out)
{
    if (sym_is_history_ref(n)) {
        if (e->hist_cell) {
            *out = num_value(*e->hist_cell);
            return 0;
        }
        Num v;
        if (e->hist) {
            int rc = e->hist(e, n, &v);
            *out = num_value(v);
            return rc;
        }
        diag_error(e->d, n->loc, "'history.%s' is last year's value of a cell: no cell here",
                   n->name);
        return -1;
    }
    if (e->context)
        return e->context(e, f, n, out);
    diag_error(e->d, n->loc, "'%s' is only known inside an incentive, example or assert", n->name);
    return -1;
}

static int eval_node(Eval *e, const Frame *f, const Node *n, Value *out)
{
    switch (n->kind) {
    case N_NUM:
        *out = num_value(n->num);
        return 0;
    case N_STR:
        *out = (Value){.kind = V_STR, .num = NUM_ZERO, .str = n->str};
        return 0;
    case N_MONTH:
    case N_DATE:
        *out = (Value){.kind = V_MONTH, .num = n->num, .str = NULL};
        return 0;
    case N_NAME:
        return eval_name(e, f, n, out);
    case N_INDEX:
        return eval_cell(e, n, out);
    case N_CALL:
        return eval_call(e, f, n, out);
    case N_BINOP:
        return eval_binop(e, f, n, out);
    case N_UNOP:
        return eval_unop(e, f, n, out);
    case N_IF:
        return eval_if(e, f, n, out);
    case N_TABLE:
        return eval_table(e, f, n, out);
    case N_FIELD:
        return eval_field(e, f, n, out);
    default:
        diag_error(e->d, n->loc, "%s cannot be evaluated here", ast_kind_name(n->kind));
        return -1;
    }
}

int eval_expr(Eval *e, const Frame *f, const Node *n, Value *out)
{
    if (n->kind == N_NUM) { /* the common leaf: no step, no nesting */
        *out = num_value(n->num);
        return 0;
    }
    if (eval_enter(e, n->loc, 1) < 0)
        return -1;
    int rc = eval_node(e, f, n, out);
    eval_leave(e, 1);
    return rc;
}
