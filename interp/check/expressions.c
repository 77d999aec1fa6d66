/* expressions.c -- checking expressions: names per context, builtin
 * arity, kinds (money plus count is an error), booleans, and folding
 * constants.  It reports problems and records each node's kind; it never
 * evaluates anything that needs data. */
#include <stdlib.h>
#include <string.h>

#include "base/valfmt.h"
#include "check/check_int.h"

char *rs_fmt_money(R *r, Num v, char *buf)
{
    return sym_fmt_amount(r->s, v, buf);
}

static bool mixes(Kind a, Kind b)
{
    return (a == K_MONEY && b == K_COUNT) || (a == K_COUNT && b == K_MONEY);
}

/* The parameter's position, or -1. */
static int param_index(const Scope *sc, const char *name)
{
    int i = 0;
    for (const Node *p = sc->params; p; p = p->next, i++)
        if (strcmp(p->name, name) == 0)
            return i;
    return -1;
}

static Node *find_line(const Scope *sc, const char *name, bool *later)
{
    *later = false;
    bool past = false;
    for (Node *l = sc->lines; l; l = l->next) {
        if (l == sc->cur_line)
            past = true;
        if (strcmp(l->name, name) == 0) {
            *later = past;
            return l;
        }
    }
    return NULL;
}

Kind rx_attr_kind(const Attr *a)
{
    if (!a->value)
        return K_ANY;
    switch (a->value->kind) {
    case N_NUM:
        return a->value->str && strchr(a->value->str, '%') ? K_PERCENT : K_NUM;
    case N_STR:
        return K_STR;
    case N_MONTH:
    case N_DATE:
        return K_MONTH;
    default:
        return K_ANY;
    }
}

/* Adds every visible name to m, for did-you-mean. */
static void visible_names(R *r, const Scope *sc, StrMap *m)
{
    for (const Node *p = sc->params; p; p = p->next)
        strmap_put(m, p->name, (void *)p);
    for (Node *l = sc->lines; l && l != sc->cur_line; l = l->next)
        strmap_put(m, l->name, l);
    if (sc->attr_dim)
        for (size_t i = 0; i < sc->attr_dim->attr_names.count; i++)
            strmap_put(m, sc->attr_dim->attr_names.slots[i].key, sc->attr_dim);
    const StrMap *maps[] = {&r->s->lets, &r->s->metrics};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < maps[k]->count; i++)
            strmap_put(m, maps[k]->slots[i].key, maps[k]->slots[i].val);
}

/* A line of the incentive being checked: only earlier lines have a value. */
static bool line_name(R *r, const Scope *sc, Node *e, Kind *k)
{
    const char *n = e->name;
    bool later;
    Node *line = find_line(sc, n, &later);
    if (!line)
        return false;
    if (!later && line != sc->cur_line) {
        *k = (Kind)line->op; /* its kind, recorded by check_incentive */
        return true;
    }
    diag_error(r->d, e->loc, "line '%s' is used before it is computed", n);
    diag_note(r->d, line->name_loc,
              "'%s' is defined here; lines are computed in order, "
              "use prev(%s) for the previous period",
              n, n);
    *k = K_ANY;
    return true;
}

/* An attribute of the members in scope, or active_months. */
static bool attr_name_kind(const Scope *sc, const char *n, Kind *k)
{
    if (sc->active_months && strcmp(n, "active_months") == 0) {
        *k = K_NUM;
        return true;
    }
    Attr *a = sc->attr_dim ? strmap_get(&sc->attr_dim->attr_names, n) : NULL;
    if (!a)
        return false;
    *k = rx_attr_kind(a);
    return true;
}

static Kind let_kind(R *r, const Node *let)
{
    GNode *g = strmap_get(&r->graph, let->name);
    if (g && g->color == 1)
        return K_ANY; /* cycle: reported by the cycle check */
    return let->a && let->a->kind == N_NUM && strchr(let->a->str, '%') ? K_PERCENT : K_ANY;
}

static Kind metric_name_kind(R *r, const Scope *sc, Node *e, Node *metric)
{
    const char *n = e->name;
    if (sc->flags & SC_METRICS)
        return sym_value_kind(metric); /* derived metrics are checked first (resolve.c) */
    diag_error(r->d, e->loc, "metric '%s' needs '.target' or '.actual' here", n);
    diag_note_plain(r->d,
                    "in incentives and examples write %s.target, %s.actual, "
                    "%s.ytd_target or %s.ytd_actual",
                    n, n, n, n);
    return K_ANY;
}

/* A name with no value here: a function, a member, or unknown. */
static Kind not_a_value(R *r, const Scope *sc, Node *e)
{
    const char *n = e->name;
    if (strcmp(n, "else") == 0) { /* the key of an else entry outside a lookup table */
        diag_error(r->d, e->loc, "'else:' is an entry of a lookup table only");
        diag_note_plain(r->d, "write table(KEY) { key: value, ..., else: value }");
        return K_ANY;
    }
    if (strmap_get(&r->s->fns, n)) {
        diag_error(r->d, e->loc, "function '%s' is used without arguments", n);
        return K_ANY;
    }
    if (sym_member(r->s, n)) {
        diag_error(r->d, e->loc, "'%s' is a member, not a value", n);
        diag_note_plain(r->d, "members select cells: revenue[%s]", n);
        return K_ANY;
    }
    diag_error(r->d, e->loc, "unknown name '%s'", n);
    StrMap vis = {0};
    visible_names(r, sc, &vis);
    sym_note_did_you_mean(r->d, sym_closest(&vis, n));
    sym_note_period_word(r->d, r->s, n);
    strmap_free(&vis);
    return K_ANY;
}

/* Parameters, then incentive lines, attributes, lets and metrics. */
static Kind check_name(R *r, const Scope *sc, Node *e)
{
    const char *n = e->name;
    Kind k;
    int pi = param_index(sc, n);
    if (pi >= 0)
        return sc->param_kinds ? (Kind)sc->param_kinds[pi] : K_ANY;
    if (sc->lines && line_name(r, sc, e, &k))
        return k;
    if ((sc->flags & SC_ATTRS) && attr_name_kind(sc, n, &k))
        return k;
    Node *let = strmap_get(&r->s->lets, n);
    if (let)
        return let_kind(r, let);
    Node *metric = strmap_get(&r->s->metrics, n);
    if (metric)
        return metric_name_kind(r, sc, e, metric);
    if ((sc->flags & SC_CELL_ATTRS) && rx_cell_attr(r, sc, e, &k))
        return k;
    if (strcmp(n, "working_days") == 0) {
        e->op = SYM_WORKING_DAYS;
        return K_NUM;
    }
    return not_a_value(r, sc, e);
}

static void check_args(R *r, const Scope *sc, Node *args)
{
    for (Node *a = args; a; a = a->next)
        rx_check(r, sc, a);
}

/* A did-you-mean over the names of two tables. */
static void note_closest_of(R *r, const StrMap *a, const StrMap *b, const char *name)
{
    StrMap both = {0};
    const StrMap *maps[] = {a, b};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < maps[k]->count; i++)
            strmap_put(&both, maps[k]->slots[i].key, maps[k]->slots[i].val);
    sym_note_did_you_mean(r->d, sym_closest(&both, name));
    strmap_free(&both);
}

static bool is_fiscal_year_name(const Node *a)
{
    return a->kind == N_NAME && strlen(a->name) == 6 && strncmp(a->name, "FY", 2) == 0 &&
           strspn(a->name + 2, "0123456789") == 4;
}

/* total(history or incentive [, year]) */
static Kind check_total(R *r, Node *a1, Node *a2)
{
    if (a1->kind != N_NAME ||
        (!strmap_get(&r->s->histories, a1->name) && !strmap_get(&r->s->incentives, a1->name))) {
        diag_error(r->d, a1->loc, "bad argument #1 to 'total' (history or incentive expected)");
        if (a1->kind == N_NAME)
            note_closest_of(r, &r->s->histories, &r->s->incentives, a1->name);
        return K_ANY;
    }
    /* a past year (FY2026) is fine: histories hold past years */
    if (a2 && !is_fiscal_year_name(a2)) {
        Member *y = sym_lookup_member(r->s, a2, r->d);
        if (y && (!y->dim->is_time || y->depth != 0))
            diag_error(r->d, a2->loc, "bad argument #2 to 'total' (fiscal year expected, got '%s')",
                       y->name);
    }
    return strmap_get(&r->s->incentives, a1->name) ? K_MONEY : K_ANY;
}

/* attainment(metric [, level]) */
static Kind check_attainment(R *r, const Scope *sc, Node *e, Node *a1, Node *a2)
{
    if (!(sc->flags & (SC_INCENTIVE | SC_FIELDS))) {
        diag_error(r->d, e->loc,
                   "attainment() is only known inside an incentive, example or assert");
        return K_NUM;
    }
    if (a1->kind != N_NAME || !strmap_get(&r->s->metrics, a1->name)) {
        diag_error(r->d, a1->loc, "bad argument #1 to 'attainment' (metric expected)");
        if (a1->kind == N_NAME)
            sym_note_did_you_mean(r->d, sym_closest(&r->s->metrics, a1->name));
    }
    if (a2 && (a2->kind != N_NAME || !strmap_get(&r->s->levels, a2->name))) {
        diag_error(r->d, a2->loc, "bad argument #2 to 'attainment' (level expected)");
        if (a2->kind == N_NAME)
            sym_note_levels(r->d, r->s, a2->name);
    }
    return K_PERCENT; /* a ratio, shown as a fraction with 4 decimals */
}

/* prev(line) */
static Kind check_prev(R *r, const Scope *sc, Node *e, Node *a1)
{
    if (!(sc->flags & SC_INCENTIVE)) {
        diag_error(r->d, e->loc, "prev() is only known inside an incentive");
        return K_ANY;
    }
    bool later;
    if (a1->kind == N_NAME && find_line(sc, a1->name, &later))
        return K_ANY;
    diag_error(r->d, a1->loc, "bad argument #1 to 'prev' (incentive line expected)");
    if (a1->kind == N_NAME) {
        StrMap lines = {0};
        for (Node *l = sc->lines; l; l = l->next)
            strmap_put(&lines, l->name, l);
        sym_note_did_you_mean(r->d, sym_closest(&lines, a1->name));
        strmap_free(&lines);
    }
    return K_ANY;
}

/* The builtins whose arguments are not plain numbers. */
static Kind check_special(R *r, const Scope *sc, Node *e, const char *f)
{
    Node *a1 = e->b, *a2 = a1 ? a1->next : NULL;
    if (strcmp(f, "total") == 0)
        return check_total(r, a1, a2);
    if (strcmp(f, "attainment") == 0)
        return check_attainment(r, sc, e, a1, a2);
    return check_prev(r, sc, e, a1);
}

/* The key of a function for arguments of these kinds: "name(k1,k2,...)". */
static char *fn_kind_key(R *r, const Node *fn, const int *kinds)
{
    Buf b = {0};
    buf_printf(&b, "%s(", fn->name);
    for (int i = 0, n = (int)ast_list_len(fn->a); i < n; i++)
        buf_printf(&b, "%d,", kinds[i]);
    char *key = arena_strdup(&r->s->arena, buf_cstr(&b));
    buf_free(&b);
    return key;
}

/* The kind a user function returns for arguments of these kinds: its body
 * checked again with the parameters' kinds known, quietly (its errors were
 * reported where it is defined), once per function and kinds (a function
 * calling another three times would otherwise be checked 3^depth times).
 * Deep chains of calls stay unknown. */
static Kind fn_kind(R *r, Node *fn, const int *kinds)
{
    static int depth;
    if (!kinds || depth >= 16)
        return K_ANY;
    char *key = fn_kind_key(r, fn, kinds);
    void *known = strmap_get(&r->fn_kinds, key);
    if (known)
        return (Kind)((intptr_t)known - 1);
    Diags quiet = {0}, *saved = r->d;
    r->d = &quiet;
    depth++;
    Scope fs = {SC_METRICS | SC_FIELDS | SC_INCENTIVE, fn->a, 0, 0, 0, 0, kinds, NULL};
    Kind k = rx_check(r, &fs, fn->b);
    depth--;
    r->d = saved;
    diag_free(&quiet);
    strmap_put(&r->fn_kinds, key, (void *)((intptr_t)k + 1));
    return k;
}

static Kind unknown_function(R *r, const Scope *sc, Node *e)
{
    diag_error(r->d, e->name_loc, "unknown function '%s'", e->name);
    StrMap all = {0};
    for (const Builtin *x = eval_builtins; x->name; x++)
        strmap_put(&all, x->name, (void *)x);
    for (size_t i = 0; i < r->s->fns.count; i++)
        strmap_put(&all, r->s->fns.slots[i].key, r->s->fns.slots[i].val);
    sym_note_did_you_mean(r->d, sym_closest(&all, e->name));
    strmap_free(&all);
    check_args(r, sc, e->b);
    return K_ANY;
}

/* Are there min to max arguments (max < 0: no upper bound)?  Else an error. */
static bool arity_ok(R *r, const Node *e, int min, int max, const Node *fn)
{
    const char *f = e->name;
    size_t n = ast_list_len(e->b);
    if ((int)n >= min && (max < 0 || (int)n <= max))
        return true;
    if (min == max)
        diag_error(r->d, e->loc, "'%s' takes %d argument%s, got %zu", f, min, min == 1 ? "" : "s",
                   n);
    else if (max < 0)
        diag_error(r->d, e->loc, "'%s' takes at least %d arguments, got %zu", f, min, n);
    else
        diag_error(r->d, e->loc, "'%s' takes %d to %d arguments, got %zu", f, min, max, n);
    if (fn)
        diag_note(r->d, fn->name_loc, "'%s' is defined here", f);
    return false;
}

/* The kind of a call of builtin b so far (k), with argument #i of kind ak
 * taken in: the arguments that are amounts decide, and must not mix money
 * with counts. */
static Kind with_arg(R *r, const Builtin *b, const Node *a, int i, Kind ak, Kind k)
{
    bool step_arg = i == 2 && (b->kinds & BI_STEP_ARG);
    if (step_arg || ((b->kinds & BI_PLAIN_BOUNDS) && i > 1 && ak == K_NUM))
        return k;
    if (ak == K_ANY) /* unknown: the other arguments decide */
        return k;
    if (k == K_ANY || k == K_NUM)
        return ak;
    if (mixes(k, ak))
        diag_error(r->d, a->loc, "bad argument #%d to '%s' (%s mixed with %s)", i, b->name,
                   sym_kind_name(ak), sym_kind_name(k));
    return k;
}

static Kind check_call(R *r, const Scope *sc, Node *e)
{
    const char *f = e->name;
    size_t n = ast_list_len(e->b);
    const Builtin *b = eval_builtin(f);
    Node *fn = b ? NULL : strmap_get(&r->s->fns, f);
    if (!b && !fn)
        return unknown_function(r, sc, e);
    int min = b ? b->min : (int)ast_list_len(fn->a), max = b ? b->max : min;
    if (!arity_ok(r, e, min, max, fn))
        return K_ANY;
    if (b && b->cls == BI_MEMBERS)
        return rx_check_members(r, e);
    if (b && b->cls != BI_NUMERIC)
        return check_special(r, sc, e, f);
    Kind k = K_ANY;
    int i = 1, kinds[64];
    for (Node *a = e->b; a; a = a->next, i++) {
        Kind ak = rx_check(r, sc, a);
        if (i <= 64)
            kinds[i - 1] = (int)ak;
        if (ak == K_BOOL || ak == K_STR || ak == K_MEMBER)
            diag_error(r->d, a->loc, "bad argument #%d to '%s' (number expected, got %s)", i, f,
                       sym_kind_name(ak));
        else if (b)
            k = with_arg(r, b, a, i, ak, k);
    }
    return b ? k : fn_kind(r, fn, n <= 64 ? kinds : NULL);
}

static bool is_metric_field(const char *f)
{
    return sym_word_index(sym_metric_fields, f) >= 0;
}

/* M.target, M.actual...: known in incentives, examples and assertions. */
static Kind metric_field(R *r, const Scope *sc, Node *e, Node *metric)
{
    if (!is_metric_field(e->name)) {
        diag_error(r->d, e->name_loc, "metric '%s' has no field '%s'", e->a->name, e->name);
        diag_note_plain(r->d, "fields are target, actual, ytd_target and ytd_actual");
        return K_ANY;
    }
    if (!(sc->flags & (SC_INCENTIVE | SC_FIELDS))) {
        diag_error(r->d, e->loc, "'%s.%s' is only known inside an incentive or example", e->a->name,
                   e->name);
        diag_note_plain(r->d, "at plan level, '%s' is its target and %s[member] a cell", e->a->name,
                        e->a->name);
    }
    return sym_value_kind(metric); /* derived metrics are checked first (resolve.c) */
}

/* A parameter or an incentive line of that name hides a scorecard. */
static bool param_or_line(const Scope *sc, const char *name)
{
    bool later;
    return param_index(sc, name) >= 0 || (sc->lines && find_line(sc, name, &later));
}

static Kind check_field(R *r, const Scope *sc, Node *e)
{
    if (sym_is_history_ref(e))
        return rx_history_field(r, sc, e);
    if (e->a->kind == N_NAME) {
        Node *metric = strmap_get(&r->s->metrics, e->a->name);
        if (metric)
            return metric_field(r, sc, e, metric);
        Node *card = strmap_get(&r->s->scorecards, e->a->name);
        if (card && !param_or_line(sc, e->a->name))
            return rs_card_field(r, sc, e, card);
        for (int i = 0; i < r->s->ndims; i++)
            if (strcmp(r->s->dims[i]->name, e->a->name) == 0) {
                sym_lookup_member(r->s, e, r->d);
                diag_error(r->d, e->loc, "'%s.%s' is a member, not a value", e->a->name, e->name);
                return K_MEMBER;
            }
    }
    Kind k = rx_check(r, sc, e->a);
    if (k != K_ANY)
        diag_error(r->d, e->name_loc, "a %s has no field '%s'", sym_kind_name(k), e->name);
    return K_ANY;
}

static Kind check_index(R *r, const Scope *sc, Node *e)
{
    (void)sc;
    Node *metric = e->a->kind == N_NAME ? strmap_get(&r->s->metrics, e->a->name) : NULL;
    if (!metric) {
        diag_error(r->d, e->a->loc, "only a metric can be indexed by members");
        if (e->a->kind == N_NAME)
            sym_note_did_you_mean(r->d, sym_closest(&r->s->metrics, e->a->name));
        return K_ANY;
    }
    Dim *seen[64];
    int nseen = 0;
    for (Node *c = e->b; c; c = c->next) {
        Member *m = sym_lookup_member(r->s, c, r->d);
        if (!m)
            continue;
        for (int i = 0; i < nseen; i++)
            if (seen[i] == m->dim) {
                diag_error(r->d, c->loc, "two members of dimension '%s' in one cell", m->dim->name);
                break;
            }
        if (nseen < 64)
            seen[nseen++] = m->dim;
    }
    return sym_value_kind(metric);
}

static const char *op_text(int op)
{
    switch (op) {
    case OP_ADD:
        return "add";
    case OP_SUB:
        return "subtract";
    case OP_MUL:
        return "multiply";
    case OP_DIV:
        return "divide";
    default:
        return "compare";
    }
}

static Kind check_logic(R *r, Node *e, Kind a, Kind b)
{
    if ((a != K_BOOL && a != K_ANY) || (b != K_BOOL && b != K_ANY))
        diag_error(r->d, e->loc, "'%s' needs true/false on both sides (got %s and %s)",
                   ast_op_text(e->op), sym_kind_name(a), sym_kind_name(b));
    return K_BOOL;
}

/* The kind of a + b, a * b or a / b of numbers of kinds a and b. */
static Kind arith_kind(int op, Kind a, Kind b)
{
    if (op == OP_ADD || op == OP_SUB) /* an unknown side takes the known side's kind */
        return a == b ? a : (a == K_NUM || a == K_ANY ? b : b == K_NUM || b == K_ANY ? a : K_ANY);
    if (op == OP_MUL) {
        if (a == K_PERCENT && b == K_PERCENT)
            return K_PERCENT;
        if (a == K_NUM || a == K_PERCENT)
            return b == K_PERCENT ? K_NUM : b;
        if (b == K_NUM || b == K_PERCENT)
            return a;
        return K_ANY;
    }
    if (a == b && a != K_ANY) /* money / money: a ratio, shown as a percent */
        return a == K_NUM ? K_NUM : K_PERCENT;
    return b == K_NUM || b == K_PERCENT ? a : K_ANY;
}

static bool not_numeric(Kind k)
{
    return k == K_BOOL || k == K_STR || k == K_MEMBER;
}

static Kind check_binop(R *r, const Scope *sc, Node *e)
{
    Kind a = rx_check(r, sc, e->a), b = rx_check(r, sc, e->b);
    int op = e->op;
    if (op == OP_AND || op == OP_OR)
        return check_logic(r, e, a, b);
    bool cmp = ast_op_compares(op);
    bool eq = cmp && (op == OP_EQ || op == OP_NE); /* a CSV text (any) may equal a string */
    if ((not_numeric(a) || not_numeric(b)) && !(eq && (a == b || a == K_ANY || b == K_ANY))) {
        diag_error(r->d, e->loc, "cannot %s %s and %s", op_text(op), sym_kind_name(a),
                   sym_kind_name(b));
        return cmp ? K_BOOL : K_ANY;
    }
    if ((op == OP_ADD || op == OP_SUB || cmp) && mixes(a, b)) {
        diag_error(r->d, e->loc, "cannot %s %s and %s", op_text(op), sym_kind_name(a),
                   sym_kind_name(b));
        diag_note(r->d, e->a->loc, "this is %s", sym_kind_name(a));
        diag_note(r->d, e->b->loc, "this is %s", sym_kind_name(b));
        return cmp ? K_BOOL : K_ANY;
    }
    return cmp ? K_BOOL : arith_kind(op, a, b);
}

/* Constant breakpoints must increase; *prev_key is the last constant one
 * (NULL after a computed one). */
static void check_breakpoint(R *r, const char *what, Node *key, Node **prev_key, Num *prev)
{
    Num v;
    if (rx_const(r, key, &v) != 1) {
        *prev_key = NULL; /* computed breakpoints are checked when evaluated */
        return;
    }
    if (*prev_key && num_cmp(v, *prev) <= 0) {
        char b1[NUM_BUFSZ], b2[NUM_BUFSZ];
        diag_error(r->d, key->loc, "breakpoints of '%s' must increase: %s after %s", what,
                   num_str(v, b1), num_str(*prev, b2));
        diag_note(r->d, (*prev_key)->loc, "the previous breakpoint");
    }
    *prev = v;
    *prev_key = key;
}

/* Returns the table's kind: a bracket of rates on money is money; step and
 * curve give their values' kind (when all values have the same one). */
static Kind check_table(R *r, const Scope *sc, Node *e)
{
    if (e->op == TABLE_LOOKUP)
        return rs_check_lookup(r, sc, e);
    Kind xk = e->a ? rx_check(r, sc, e->a) : K_ANY, vk = K_ANY;
    bool first = true;
    if (xk == K_BOOL || xk == K_STR)
        diag_error(r->d, e->a->loc, "a table needs a number to look up, got %s", sym_kind_name(xk));
    Num prev = NUM_ZERO;
    Node *prev_key = NULL;
    const char *what = ast_op_text(e->op);
    if (!e->b)
        diag_error(r->d, e->loc, "'%s' needs at least one 'breakpoint: value' entry", what);
    for (Node *en = e->b; en; en = en->next) {
        rx_check(r, sc, en->a);
        if (en->b->kind == N_REST) {
            diag_error(r->d, en->b->loc, "'rest' is only a split value");
        } else {
            Kind k = rx_check(r, sc, en->b);
            vk = first || k == vk ? k : K_ANY;
            first = false;
        }
        check_breakpoint(r, what, en->a, &prev_key, &prev);
    }
    if (e->op != TABLE_BRACKET)
        return vk;
    if (vk == K_PERCENT || vk == K_NUM) /* rates on an amount */
        return xk == K_PERCENT && vk == K_PERCENT ? K_PERCENT : xk;
    return K_ANY;
}

static Kind check_unop(R *r, const Scope *sc, Node *e)
{
    Kind k = rx_check(r, sc, e->a);
    if (e->op == OP_NEG) {
        if (k == K_BOOL || k == K_STR)
            diag_error(r->d, e->loc, "cannot negate %s", sym_kind_name(k));
        return k;
    }
    if (k != K_BOOL && k != K_ANY)
        diag_error(r->d, e->loc, "'not' needs true/false, got %s", sym_kind_name(k));
    return K_BOOL;
}

static Kind check_if(R *r, const Scope *sc, Node *e)
{
    Kind c = rx_check(r, sc, e->a);
    if (c != K_BOOL && c != K_ANY)
        diag_error(r->d, e->a->loc, "the condition of 'if' must be true/false, got %s",
                   sym_kind_name(c));
    Kind a = rx_check(r, sc, e->b), b = rx_check(r, sc, e->c);
    if (mixes(a, b)) {
        diag_error(r->d, e->loc, "'if' gives %s in one branch and %s in the other",
                   sym_kind_name(a), sym_kind_name(b));
        return K_ANY;
    }
    return a == b ? a : a == K_NUM ? b : b == K_NUM ? a : K_ANY;
}

static Kind kind_of(R *r, const Scope *sc, Node *e)
{
    if (!e)
        return K_ANY;
    switch (e->kind) {
    case N_NUM:
        return e->str && strchr(e->str, '%') ? K_PERCENT : K_NUM;
    case N_STR:
        return K_STR;
    case N_MONTH:
    case N_DATE:
        return K_MONTH;
    case N_NAME:
        return check_name(r, sc, e);
    case N_FIELD:
        return check_field(r, sc, e);
    case N_INDEX:
        return check_index(r, sc, e);
    case N_CALL:
        return check_call(r, sc, e);
    case N_BINOP:
        return check_binop(r, sc, e);
    case N_UNOP:
        return check_unop(r, sc, e);
    case N_IF:
        return check_if(r, sc, e);
    case N_TABLE:
        return check_table(r, sc, e);
    case N_REST:
        diag_error(r->d, e->loc, "'rest' is only a split value");
        return K_ANY;
    case N_WHERE:
        return rx_where_alone(r, e);
    default:
        return K_ANY;
    }
}

Kind rx_check(R *r, const Scope *sc, Node *e)
{
    Kind k = kind_of(r, sc, e);
    e->flags = (int)k; /* what later stages read instead of checking again */
    return k;
}

/* ---- constants ------------------------------------------------------------ */

static int arith_error(R *r, Node *e, NumStatus st, Num a, Num b)
{
    return diag_arith_fault(r->d, e->loc, st, a, b);
}

/* A numeric builtin of constant arguments, folded by the table's code. */
static int const_call(R *r, Node *e, const Builtin *b, Num *out)
{
    int na = (int)ast_list_len(e->b);
    if (na < b->min || (b->max >= 0 && na > b->max))
        return 0;
    Num *v = xcalloc((size_t)na + 1, sizeof *v);
    int i = 0, c = 1;
    for (Node *a = e->b; a && c == 1; a = a->next)
        c = rx_const(r, a, &v[i++]);
    BuiltinFault fault;
    if (c == 1 && b->fn(v, na, r->s->rounding, out, &fault) < 0)
        c = eval_builtin_fault(r->d, e, &fault);
    free(v);
    return c;
}

/* A let whose value the cycle check found constant. */
static int const_let(R *r, Node *e, Num *out)
{
    GNode *g = strmap_get(&r->graph, e->name);
    if (!g || g->decl->kind != N_LET || g->cstate != 1)
        return 0;
    *out = g->value;
    return 1;
}

static int const_binop(R *r, Node *e, Num *out)
{
    if (e->op < OP_ADD || e->op > OP_DIV)
        return 0;
    Num a, b;
    int c = rx_const(r, e->a, &a);
    if (c != 1)
        return c;
    c = rx_const(r, e->b, &b);
    if (c != 1)
        return c;
    NumStatus st = e->op == OP_ADD   ? num_add(a, b, out)
                   : e->op == OP_SUB ? num_sub(a, b, out)
                   : e->op == OP_MUL ? num_mul(a, b, out)
                                     : num_div(a, b, out);
    return st == NUM_OK ? 1 : arith_error(r, e, st, a, b);
}

int rx_const(R *r, Node *e, Num *out)
{
    switch (e->kind) {
    case N_NUM:
        *out = e->num;
        return 1;
    case N_NAME:
        return const_let(r, e, out);
    case N_UNOP: {
        if (e->op != OP_NEG)
            return 0;
        int c = rx_const(r, e->a, out);
        if (c == 1)
            *out = num_neg(*out);
        return c;
    }
    case N_BINOP:
        return const_binop(r, e, out);
    case N_CALL: {
        const Builtin *b = eval_builtin(e->name);
        return b && b->cls == BI_NUMERIC ? const_call(r, e, b, out) : 0;
    }
    default:
        return 0;
    }
}

static bool is_param(const Node *params, const char *name)
{
    for (const Node *p = params; p; p = p->next)
        if (strcmp(p->name, name) == 0)
            return true;
    return false;
}

void rx_refs(Node *e, const Node *params, void (*fn)(void *, Node *), void *arg)
{
    if (!e)
        return;
    switch (e->kind) {
    case N_NAME:
        if (!is_param(params, e->name))
            fn(arg, e);
        return;
    case N_CALL:
        fn(arg, e);
        for (Node *a = e->b; a; a = a->next)
            rx_refs(a, params, fn, arg);
        if (e->b && eval_builtin(e->name) && eval_builtin(e->name)->cls == BI_MEMBERS) {
            Node *x = e->b->kind == N_WHERE ? e->b->a : e->b;
            if (x->kind == N_FIELD) /* sum(customer.visits): the metric's cells */
                fn(arg, x);
        }
        return;
    case N_FIELD: /* CARD.score: the cycle check follows it to the scorecard */
        if (e->a->kind != N_NAME)
            rx_refs(e->a, params, fn, arg);
        else
            fn(arg, e);
        return;
    case N_INDEX:
        if (e->a->kind == N_NAME && !is_param(params, e->a->name))
            fn(arg, e);
        else if (e->a->kind != N_NAME)
            rx_refs(e->a, params, fn, arg);
        return;
    case N_TABLE:
        rx_refs(e->a, params, fn, arg);
        for (Node *en = e->b; en; en = en->next) {
            if (e->op != TABLE_LOOKUP) /* a lookup's keys are words, not names */
                rx_refs(en->a, params, fn, arg);
            rx_refs(en->b, params, fn, arg);
        }
        return;
    default:
        rx_refs(e->a, params, fn, arg);
        rx_refs(e->b, params, fn, arg);
        rx_refs(e->c, params, fn, arg);
        return;
    }
}
