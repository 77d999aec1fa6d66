/* rexpr.c -- checking expressions: names per context, builtin arity,
 * kinds (money plus count is an error), booleans, and folding constants.
 * It reports problems; it never evaluates anything that needs data. */
#include <string.h>

#include "base/valfmt.h"
#include "parser.h"
#include "check/check_int.h"

const char *kind_name(Kind k)
{
    static const char *const names[] = {"value", "number", "money", "count", "percent",
                                        "score", "true/false", "string", "month", "member"};
    return names[k];
}

Kind kind_of_metric(const Node *m)
{
    if (m->op == MK_DERIVED || !m->a)
        return K_ANY;
    const char *k = m->a->name;
    return strcmp(k, "money") == 0     ? K_MONEY
           : strcmp(k, "count") == 0   ? K_COUNT
           : strcmp(k, "percent") == 0 ? K_PERCENT
           : strcmp(k, "score") == 0   ? K_SCORE
                                       : K_ANY;
}

const char *closest(const StrMap *m, const char *name)
{
    int limit = (int)strlen(name) / 3 + 1; /* 1 for short names, at most 3 */
    if (limit > 3)
        limit = 3;
    const char *best = NULL;
    int best_d = limit + 1;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        int d = edit_distance(name, m->keys[i], limit);
        /* ties go to the alphabetically first name: deterministic output */
        if (d < best_d || (d == best_d && best && strcmp(m->keys[i], best) < 0)) {
            best = m->keys[i];
            best_d = d;
        }
    }
    return best_d <= limit ? best : NULL;
}

void note_did_you_mean(R *r, const char *s)
{
    if (s)
        diag_note_plain(r->d, "did you mean '%s'?", s);
}

void note_suggest_word(R *r, const char *name, const char *const *words, int n)
{
    StrMap m = {0};
    for (int i = 0; i < n; i++)
        strmap_put(&m, words[i], (void *)words[i]);
    note_did_you_mean(r, closest(&m, name));
    strmap_free(&m);
}

char *fmt_money(R *r, Num v, char *buf)
{
    return vf_plan(v, num_decimals(r->s->round_step), buf);
}

/* ---- builtins ----------------------------------------------------------- */

typedef struct {
    const char *name;
    int min, max; /* arguments; max -1 = any */
} Builtin;

static const Builtin builtins[] = {
    {"min", 2, -1},   {"max", 2, -1},  {"clamp", 3, 3},     {"abs", 1, 1},
    {"round", 1, 2},  {"floor", 1, 2}, {"ceil", 1, 2},      {"total", 1, 2},
    {"attainment", 1, 2}, {"prev", 1, 1},
};

static const Builtin *builtin(const char *name)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return &builtins[i];
    return NULL;
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

static Kind attr_kind(const Attr *a)
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
        for (size_t i = 0; i < sc->attr_dim->attr_names.cap; i++)
            if (sc->attr_dim->attr_names.keys[i])
                strmap_put(m, sc->attr_dim->attr_names.keys[i], sc->attr_dim);
    const StrMap *maps[] = {&r->s->lets, &r->s->metrics};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < maps[k]->cap; i++)
            if (maps[k]->keys[i])
                strmap_put(m, maps[k]->keys[i], maps[k]->vals[i]);
}

static Kind check_name(R *r, const Scope *sc, Node *e)
{
    const char *n = e->name;
    bool later;
    int pi = param_index(sc, n);
    if (pi >= 0)
        return sc->param_kinds ? (Kind)sc->param_kinds[pi] : K_ANY;
    if (sc->lines) {
        Node *line = find_line(sc, n, &later);
        if (line && !later && line != sc->cur_line)
            return (Kind)line->op; /* its kind, recorded by check_incentive */
        if (line) {
            diag_error(r->d, e->loc, "line '%s' is used before it is computed", n);
            diag_note(r->d, line->name_loc, "'%s' is defined here; lines are computed in order, "
                                            "use prev(%s) for the previous period", n, n);
            return K_ANY;
        }
    }
    if (sc->flags & SC_ATTRS) {
        if (sc->active_months && strcmp(n, "active_months") == 0)
            return K_NUM;
        if (sc->attr_dim) {
            Attr *a = strmap_get(&sc->attr_dim->attr_names, n);
            if (a)
                return attr_kind(a);
        }
    }
    Node *let = strmap_get(&r->s->lets, n);
    if (let) {
        GNode *g = strmap_get(&r->graph, n);
        if (g && g->color == 1)
            return K_ANY; /* cycle: reported by the cycle check */
        return let->a ? (let->a->kind == N_NUM && strchr(let->a->str, '%') ? K_PERCENT : K_ANY)
                      : K_ANY;
    }
    Node *metric = strmap_get(&r->s->metrics, n);
    if (metric) {
        if (sc->flags & SC_METRICS)
            return kind_of_metric(metric);
        diag_error(r->d, e->loc, "metric '%s' needs '.target' or '.actual' here", n);
        diag_note_plain(r->d, "in incentives and examples write %s.target, %s.actual, "
                              "%s.ytd_target or %s.ytd_actual", n, n, n, n);
        return K_ANY;
    }
    if (strmap_get(&r->s->fns, n)) {
        diag_error(r->d, e->loc, "function '%s' is used without arguments", n);
        return K_ANY;
    }
    Member *m = strmap_get(&r->s->members, n);
    if (m) {
        diag_error(r->d, e->loc, "'%s' is a member, not a value", n);
        diag_note_plain(r->d, "members select cells: revenue[%s]", n);
        return K_ANY;
    }
    diag_error(r->d, e->loc, "unknown name '%s'", n);
    StrMap vis = {0};
    visible_names(r, sc, &vis);
    note_did_you_mean(r, closest(&vis, n));
    strmap_free(&vis);
    return K_ANY;
}

Member *lookup_member_in(R *r, Node *ref, const Dim *d, bool report)
{
    if (d && ref->kind == N_NAME) {
        Member *m = strmap_get(&d->by_name, ref->name);
        if (m)
            return m;
    }
    return lookup_member(r, ref, report);
}

Member *lookup_member(R *r, Node *ref, bool report)
{
    if (ref->kind == N_MONTH) {
        Member *m = strmap_get(&r->s->time->by_name, ref->str);
        if (!m && report) {
            diag_error(r->d, ref->loc, "month %s is not in fiscal year FY%d", ref->str, r->s->year);
            diag_note_plain(r->d, "FY%d runs %s .. %s", r->s->year,
                            r->s->time->members[r->s->time->nmembers - 12]->name,
                            r->s->time->members[r->s->time->nmembers - 1]->name);
        }
        return m;
    }
    if (ref->kind == N_FIELD && ref->a && ref->a->kind == N_NAME) {
        Dim *d = NULL;
        for (int i = 0; i < r->s->ndims; i++)
            if (strcmp(r->s->dims[i]->name, ref->a->name) == 0)
                d = r->s->dims[i];
        if (!d) {
            if (report)
                diag_error(r->d, ref->a->loc, "unknown dimension '%s'", ref->a->name);
            return NULL;
        }
        Member *m = strmap_get(&d->by_name, ref->name);
        if (!m && report) {
            diag_error(r->d, ref->name_loc, "dimension '%s' has no member '%s'", d->name, ref->name);
            note_did_you_mean(r, closest(&d->by_name, ref->name));
        }
        return m;
    }
    if (ref->kind != N_NAME) {
        if (report)
            diag_error(r->d, ref->loc, "a member name is expected here");
        return NULL;
    }
    Member *m = strmap_get(&r->s->members, ref->name);
    if (m == &member_ambiguous) {
        if (report) {
            diag_error(r->d, ref->loc, "'%s' is a member of more than one dimension", ref->name);
            Buf b = {0};
            for (int i = 0; i < r->s->ndims; i++)
                if (strmap_get(&r->s->dims[i]->by_name, ref->name))
                    buf_printf(&b, "%s%s.%s", b.len ? " or " : "", r->s->dims[i]->name, ref->name);
            diag_note_plain(r->d, "write %s", buf_cstr(&b));
            buf_free(&b);
        }
        return NULL;
    }
    if (!m && report) {
        diag_error(r->d, ref->loc, "unknown member '%s'", ref->name);
        note_did_you_mean(r, closest(&r->s->members, ref->name));
    }
    return m;
}

static void check_args(R *r, const Scope *sc, Node *args)
{
    for (Node *a = args; a; a = a->next)
        rx_check(r, sc, a);
}

static Kind check_special(R *r, const Scope *sc, Node *e, const char *f)
{
    Node *a1 = e->b, *a2 = a1 ? a1->next : NULL;
    if (strcmp(f, "total") == 0) {
        if (a1->kind != N_NAME || (!strmap_get(&r->s->histories, a1->name) &&
                                   !strmap_get(&r->s->incentives, a1->name))) {
            diag_error(r->d, a1->loc, "bad argument #1 to 'total' (history or incentive expected)");
            if (a1->kind == N_NAME) {
                StrMap both = {0};
                for (int k = 0; k < 2; k++) {
                    const StrMap *m = k ? &r->s->incentives : &r->s->histories;
                    for (size_t i = 0; i < m->cap; i++)
                        if (m->keys[i])
                            strmap_put(&both, m->keys[i], m->vals[i]);
                }
                note_did_you_mean(r, closest(&both, a1->name));
                strmap_free(&both);
            }
            return K_ANY;
        }
        bool fy = a2 && a2->kind == N_NAME && strlen(a2->name) == 6 &&
                  strncmp(a2->name, "FY", 2) == 0 && strspn(a2->name + 2, "0123456789") == 4;
        if (a2 && !fy) { /* a past year (FY2026) is fine: histories hold past years */
            Member *y = lookup_member(r, a2, true);
            if (y && (!y->dim->is_time || y->depth != 0))
                diag_error(r->d, a2->loc, "bad argument #2 to 'total' (fiscal year expected, got '%s')",
                           y->name);
        }
        return strmap_get(&r->s->incentives, a1->name) ? K_MONEY : K_ANY;
    }
    if (strcmp(f, "attainment") == 0) {
        if (!(sc->flags & (SC_INCENTIVE | SC_FIELDS))) {
            diag_error(r->d, e->loc, "attainment() is only known inside an incentive, example or assert");
            return K_NUM;
        }
        if (a1->kind != N_NAME || !strmap_get(&r->s->metrics, a1->name)) {
            diag_error(r->d, a1->loc, "bad argument #1 to 'attainment' (metric expected)");
            if (a1->kind == N_NAME)
                note_did_you_mean(r, closest(&r->s->metrics, a1->name));
        }
        if (a2 && (a2->kind != N_NAME || !strmap_get(&r->s->levels, a2->name))) {
            diag_error(r->d, a2->loc, "bad argument #2 to 'attainment' (level expected)");
            if (a2->kind == N_NAME)
                note_did_you_mean(r, closest(&r->s->levels, a2->name));
        }
        return K_PERCENT; /* a ratio, shown as a fraction with 4 decimals */
    }
    /* prev(line) */
    if (!(sc->flags & SC_INCENTIVE)) {
        diag_error(r->d, e->loc, "prev() is only known inside an incentive");
        return K_ANY;
    }
    bool later;
    if (a1->kind != N_NAME || !find_line(sc, a1->name, &later)) {
        diag_error(r->d, a1->loc, "bad argument #1 to 'prev' (incentive line expected)");
        if (a1->kind == N_NAME) {
            StrMap lines = {0};
            for (Node *l = sc->lines; l; l = l->next)
                strmap_put(&lines, l->name, l);
            note_did_you_mean(r, closest(&lines, a1->name));
            strmap_free(&lines);
        }
    }
    return K_ANY;
}

/* The kind a user function returns for arguments of these kinds: its body
 * checked again with the parameters' kinds known, quietly (its errors were
 * reported where it is defined).  Deep chains of calls stay unknown. */
static Kind fn_kind(R *r, Node *fn, const int *kinds)
{
    static int depth;
    if (!kinds || depth >= 16)
        return K_ANY;
    Diags quiet = {0}, *saved = r->d;
    r->d = &quiet;
    depth++;
    Scope fs = {SC_METRICS | SC_FIELDS | SC_INCENTIVE, fn->a, 0, 0, 0, 0, kinds};
    Kind k = rx_check(r, &fs, fn->b);
    depth--;
    r->d = saved;
    diag_free(&quiet);
    return k;
}

static Kind check_call(R *r, const Scope *sc, Node *e)
{
    const char *f = e->name;
    size_t n = ast_list_len(e->b);
    const Builtin *b = builtin(f);
    Node *fn = b ? NULL : strmap_get(&r->s->fns, f);
    if (!b && !fn) {
        diag_error(r->d, e->name_loc, "unknown function '%s'", f);
        StrMap all = {0};
        for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
            strmap_put(&all, builtins[i].name, (void *)&builtins[i]);
        for (size_t i = 0; i < r->s->fns.cap; i++)
            if (r->s->fns.keys[i])
                strmap_put(&all, r->s->fns.keys[i], r->s->fns.vals[i]);
        note_did_you_mean(r, closest(&all, f));
        strmap_free(&all);
        check_args(r, sc, e->b);
        return K_ANY;
    }
    int min = b ? b->min : (int)ast_list_len(fn->a), max = b ? b->max : min;
    if ((int)n < min || (max >= 0 && (int)n > max)) {
        if (min == max)
            diag_error(r->d, e->loc, "'%s' takes %d argument%s, got %zu", f, min, min == 1 ? "" : "s", n);
        else if (max < 0)
            diag_error(r->d, e->loc, "'%s' takes at least %d arguments, got %zu", f, min, n);
        else
            diag_error(r->d, e->loc, "'%s' takes %d to %d arguments, got %zu", f, min, max, n);
        if (fn)
            diag_note(r->d, fn->name_loc, "'%s' is defined here", f);
        return K_ANY;
    }
    if (b && (strcmp(f, "total") == 0 || strcmp(f, "attainment") == 0 || strcmp(f, "prev") == 0))
        return check_special(r, sc, e, f);
    Kind k = K_ANY;
    int i = 1, kinds[64];
    for (Node *a = e->b; a; a = a->next, i++) {
        Kind ak = rx_check(r, sc, a);
        if (i <= 64)
            kinds[i - 1] = (int)ak;
        if (ak == K_BOOL || ak == K_STR || ak == K_MEMBER) {
            diag_error(r->d, a->loc, "bad argument #%d to '%s' (number expected, got %s)", i, f,
                       kind_name(ak));
            continue;
        }
        if (!b)
            continue;
        bool step_arg = i == 2 && (strcmp(f, "round") == 0 || strcmp(f, "floor") == 0 ||
                                   strcmp(f, "ceil") == 0);
        if (step_arg || (strcmp(f, "clamp") == 0 && i > 1 && ak == K_NUM))
            continue;
        if (ak == K_ANY) /* unknown: the other arguments decide */
            continue;
        if (k == K_ANY || k == K_NUM)
            k = ak;
        else if (ak != K_ANY && ak != K_NUM && ak != k &&
                 ((k == K_MONEY && ak == K_COUNT) || (k == K_COUNT && ak == K_MONEY))) {
            diag_error(r->d, a->loc, "bad argument #%d to '%s' (%s mixed with %s)", i, f,
                       kind_name(ak), kind_name(k));
        }
    }
    return b ? k : fn_kind(r, fn, n <= 64 ? kinds : NULL);
}

static bool is_metric_field(const char *f)
{
    return strcmp(f, "target") == 0 || strcmp(f, "actual") == 0 || strcmp(f, "ytd_target") == 0 ||
           strcmp(f, "ytd_actual") == 0;
}

static Kind check_field(R *r, const Scope *sc, Node *e)
{
    if (e->a->kind == N_NAME) {
        Node *metric = strmap_get(&r->s->metrics, e->a->name);
        if (metric) {
            if (!is_metric_field(e->name)) {
                diag_error(r->d, e->name_loc, "metric '%s' has no field '%s'", e->a->name, e->name);
                diag_note_plain(r->d, "fields are target, actual, ytd_target and ytd_actual");
                return K_ANY;
            }
            if (!(sc->flags & (SC_INCENTIVE | SC_FIELDS))) {
                diag_error(r->d, e->loc, "'%s.%s' is only known inside an incentive or example",
                           e->a->name, e->name);
                diag_note_plain(r->d, "at plan level, '%s' is its target and %s[member] a cell",
                                e->a->name, e->a->name);
            }
            return kind_of_metric(metric);
        }
        for (int i = 0; i < r->s->ndims; i++)
            if (strcmp(r->s->dims[i]->name, e->a->name) == 0) {
                lookup_member(r, e, true);
                diag_error(r->d, e->loc, "'%s.%s' is a member, not a value", e->a->name, e->name);
                return K_MEMBER;
            }
    }
    Kind k = rx_check(r, sc, e->a);
    if (k != K_ANY)
        diag_error(r->d, e->name_loc, "a %s has no field '%s'", kind_name(k), e->name);
    return K_ANY;
}

static Kind check_index(R *r, const Scope *sc, Node *e)
{
    (void)sc;
    Node *metric = e->a->kind == N_NAME ? strmap_get(&r->s->metrics, e->a->name) : NULL;
    if (!metric) {
        diag_error(r->d, e->a->loc, "only a metric can be indexed by members");
        if (e->a->kind == N_NAME)
            note_did_you_mean(r, closest(&r->s->metrics, e->a->name));
        return K_ANY;
    }
    Dim *seen[64];
    int nseen = 0;
    for (Node *c = e->b; c; c = c->next) {
        Member *m = lookup_member(r, c, true);
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
    return kind_of_metric(metric);
}

static bool mixes(Kind a, Kind b)
{
    return (a == K_MONEY && b == K_COUNT) || (a == K_COUNT && b == K_MONEY);
}

static const char *op_text(int op)
{
    switch (op) {
    case '+': return "add";
    case '-': return "subtract";
    case '*': return "multiply";
    case '/': return "divide";
    default: return "compare";
    }
}

static Kind check_binop(R *r, const Scope *sc, Node *e)
{
    Kind a = rx_check(r, sc, e->a), b = rx_check(r, sc, e->b);
    int op = e->op;
    if (op == AND || op == OR) {
        const char *opname = op == AND ? "and" : "or";
        if ((a != K_BOOL && a != K_ANY) || (b != K_BOOL && b != K_ANY))
            diag_error(r->d, e->loc, "'%s' needs true/false on both sides (got %s and %s)", opname,
                       kind_name(a), kind_name(b));
        return K_BOOL;
    }
    bool cmp = op == '<' || op == '>' || op == LE || op == GE ||
               op == EQ || op == NE;
    if (a == K_BOOL || b == K_BOOL || a == K_STR || b == K_STR || a == K_MEMBER || b == K_MEMBER) {
        if (!(cmp && (op == EQ || op == NE) && a == b)) {
            diag_error(r->d, e->loc, "cannot %s %s and %s", op_text(op), kind_name(a), kind_name(b));
            return cmp ? K_BOOL : K_ANY;
        }
    }
    if ((op == '+' || op == '-' || cmp) && mixes(a, b)) {
        diag_error(r->d, e->loc, "cannot %s %s and %s", op_text(op), kind_name(a), kind_name(b));
        diag_note(r->d, e->a->loc, "this is %s", kind_name(a));
        diag_note(r->d, e->b->loc, "this is %s", kind_name(b));
        return cmp ? K_BOOL : K_ANY;
    }
    if (cmp)
        return K_BOOL;
    if (op == '+' || op == '-') /* an unknown side takes the known side's kind */
        return a == b ? a : (a == K_NUM || a == K_ANY ? b : b == K_NUM || b == K_ANY ? a : K_ANY);
    if (op == '*') {
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

/* Returns the table's kind: a bracket of rates on money is money; step and
 * curve give their values' kind (when all values have the same one). */
static Kind check_table(R *r, const Scope *sc, Node *e)
{
    Kind xk = e->a ? rx_check(r, sc, e->a) : K_ANY, vk = K_ANY;
    bool first = true;
    if (xk == K_BOOL || xk == K_STR)
        diag_error(r->d, e->a->loc, "a table needs a number to look up, got %s", kind_name(xk));
    Num prev = NUM_ZERO;
    Node *prev_key = NULL;
    const char *what = e->op == STEP ? "step" : e->op == BRACKET ? "bracket" : "curve";
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
        Num v;
        int c = rx_const(r, en->a, &v);
        if (c == 1) {
            if (prev_key && num_cmp(v, prev) <= 0) {
                char b1[NUM_BUFSZ], b2[NUM_BUFSZ];
                diag_error(r->d, en->a->loc, "breakpoints of '%s' must increase: %s after %s", what,
                           num_str(v, b1), num_str(prev, b2));
                diag_note(r->d, prev_key->loc, "the previous breakpoint");
            }
            prev = v;
            prev_key = en->a;
        } else {
            prev_key = NULL; /* computed breakpoints are checked when evaluated */
        }
    }
    if (e->op != BRACKET)
        return vk;
    if (vk == K_PERCENT || vk == K_NUM) /* rates on an amount */
        return xk == K_PERCENT && vk == K_PERCENT ? K_PERCENT : xk;
    return K_ANY;
}

Kind rx_check(R *r, const Scope *sc, Node *e)
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
    case N_UNOP: {
        Kind k = rx_check(r, sc, e->a);
        if (e->op == '-') {
            if (k == K_BOOL || k == K_STR)
                diag_error(r->d, e->loc, "cannot negate %s", kind_name(k));
            return k;
        }
        if (k != K_BOOL && k != K_ANY)
            diag_error(r->d, e->loc, "'not' needs true/false, got %s", kind_name(k));
        return K_BOOL;
    }
    case N_IF: {
        Kind c = rx_check(r, sc, e->a);
        if (c != K_BOOL && c != K_ANY)
            diag_error(r->d, e->a->loc, "the condition of 'if' must be true/false, got %s",
                       kind_name(c));
        Kind a = rx_check(r, sc, e->b), b = rx_check(r, sc, e->c);
        if (mixes(a, b)) {
            diag_error(r->d, e->loc, "'if' gives %s in one branch and %s in the other",
                       kind_name(a), kind_name(b));
            return K_ANY;
        }
        return a == b ? a : a == K_NUM ? b : b == K_NUM ? a : K_ANY;
    }
    case N_TABLE:
        return check_table(r, sc, e);
    case N_REST:
        diag_error(r->d, e->loc, "'rest' is only a split value");
        return K_ANY;
    default:
        return K_ANY;
    }
}

/* ---- constants ------------------------------------------------------------ */

int rx_fault(Diags *d, Loc at, NumStatus st, Num a, Num b)
{
    char b1[NUM_BUFSZ], b2[NUM_BUFSZ];
    if (st == NUM_DIVZERO)
        diag_error(d, at, "division by zero (%s / 0)", num_str(a, b1));
    else
        diag_error(d, at, "arithmetic overflow (%s and %s)", num_str(a, b1), num_str(b, b2));
    return -1;
}

static int arith_error(R *r, Node *e, NumStatus st, Num a, Num b)
{
    return rx_fault(r->d, e->loc, st, a, b);
}

static int const_call(R *r, Node *e, Num *out)
{
    Num v[3];
    int n = 0;
    const char *f = e->name;
    bool minmax = strcmp(f, "min") == 0 || strcmp(f, "max") == 0;
    for (Node *a = e->b; a; a = a->next) {
        Num x;
        int c = rx_const(r, a, &x);
        if (c != 1)
            return c;
        if (minmax) {
            if (n == 0 || (strcmp(f, "min") == 0 ? num_cmp(x, v[0]) < 0 : num_cmp(x, v[0]) > 0))
                v[0] = x;
            n = 1;
        } else if (n < 3) {
            v[n++] = x;
        }
    }
    if (minmax) {
        *out = v[0];
        return n;
    }
    if (strcmp(f, "abs") == 0 && n == 1) {
        *out = num_abs(v[0]);
        return 1;
    }
    if (strcmp(f, "clamp") == 0 && n == 3) {
        *out = num_cmp(v[0], v[1]) < 0 ? v[1] : num_cmp(v[0], v[2]) > 0 ? v[2] : v[0];
        return 1;
    }
    NumRound mode = strcmp(f, "round") == 0   ? r->s->rounding
                    : strcmp(f, "floor") == 0 ? NUM_FLOOR
                    : strcmp(f, "ceil") == 0  ? NUM_CEIL
                                              : (NumRound)-1;
    if ((int)mode < 0 || n < 1)
        return 0;
    Num step = n == 2 ? v[1] : NUM_ONE;
    if (num_sign(step) <= 0) {
        char b[NUM_BUFSZ];
        diag_error(r->d, e->loc, "bad argument #2 to '%s' (the step must be positive, got %s)", f,
                   num_str(step, b));
        return -1;
    }
    NumStatus st = num_round(v[0], step, mode, out);
    return st == NUM_OK ? 1 : arith_error(r, e, st, v[0], step);
}

int rx_const(R *r, Node *e, Num *out)
{
    switch (e->kind) {
    case N_NUM:
        *out = e->num;
        return 1;
    case N_NAME: {
        GNode *g = strmap_get(&r->graph, e->name);
        if (!g || g->decl->kind != N_LET || g->cstate != 1)
            return 0;
        *out = g->value;
        return 1;
    }
    case N_UNOP: {
        if (e->op != '-')
            return 0;
        int c = rx_const(r, e->a, out);
        if (c == 1)
            *out = num_neg(*out);
        return c;
    }
    case N_BINOP: {
        if (e->op != '+' && e->op != '-' && e->op != '*' && e->op != '/')
            return 0;
        Num a, b;
        int c = rx_const(r, e->a, &a);
        if (c != 1)
            return c;
        c = rx_const(r, e->b, &b);
        if (c != 1)
            return c;
        NumStatus st = e->op == '+'   ? num_add(a, b, out)
                       : e->op == '-' ? num_sub(a, b, out)
                       : e->op == '*' ? num_mul(a, b, out)
                                      : num_div(a, b, out);
        return st == NUM_OK ? 1 : arith_error(r, e, st, a, b);
    }
    case N_CALL:
        if (!builtin(e->name))
            return 0;
        return const_call(r, e, out);
    default:
        return 0;
    }
}

void rx_refs(Node *e, const Node *params, void (*fn)(void *, Node *), void *arg)
{
    for (; e; e = NULL) {
        switch (e->kind) {
        case N_NAME:
            for (const Node *p = params; p; p = p->next)
                if (strcmp(p->name, e->name) == 0)
                    return;
            fn(arg, e);
            return;
        case N_CALL:
            fn(arg, e);
            for (Node *a = e->b; a; a = a->next)
                rx_refs(a, params, fn, arg);
            return;
        case N_FIELD:
            if (e->a->kind != N_NAME)
                rx_refs(e->a, params, fn, arg);
            return;
        case N_INDEX:
            rx_refs(e->a, params, fn, arg);
            return;
        case N_TABLE:
            rx_refs(e->a, params, fn, arg);
            for (Node *en = e->b; en; en = en->next) {
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
}
