/* splits.c -- static checks of splits: metric, level and scope, keys,
 * missing members, duplicates, and amounts and shares against parents
 * that constants fix (root targets, locks, rest).  It computes only what
 * constants give; allocating a split is the engine's. */
#include <stdlib.h>
#include <string.h>

#include "base/valfmt.h"
#include "check/check_int.h"

/* ---- splits ----------------------------------------------------------------------- */

static const char *plural(R *r, const char *level)
{
    size_t n = strlen(level);
    if (strcmp(level, "half") == 0)
        return "halves";
    if (n == 0 || (unsigned char)level[n - 1] >= 0x80 || level[n - 1] == 's')
        return level;
    return arena_printf(&r->s->arena, "%ss", level);
}

static char *fmt_value(R *r, const Node *metric, Num v, char *buf)
{
    Kind k = sym_value_kind(metric);
    if (k == K_COUNT)
        return vf_upto(v, 4, buf);
    if (k == K_MONEY)
        return rs_fmt_money(r, v, buf);
    return vf_plan(v, num_decimals(r->s->round_step), buf);
}

char *rs_fmt_pct(Num share, char *buf)
{
    Num h;
    if (num_mul(share, num_from_int(100), &h) != NUM_OK)
        h = share;
    return vf_fmt(h, &(ValFmt){.max_dec = VF_ALL, .suffix = "%"}, buf);
}

/* Is member m (or one of its ancestors) one of the scope members of its dimension? */
static bool under(const Member *m, Member **scope, int n)
{
    for (; m; m = m->parent)
        for (int i = 0; i < n; i++)
            if (scope[i] == m)
                return true;
    return false;
}

struct Split {
    Node *node;
    Node *metric;
    Level *level;
    Member *scope[16];
    int nscope;
    int nscope_same; /* scope members in the split's own dimension */
    bool ok;         /* resolved well enough to check further */
};

static Split *split_at(R *r, const Node *metric, const Level *lv, const Member *scope1)
{
    Split *best = NULL;
    for (int i = 0; i < r->s->nsplits; i++) {
        Split *s = &r->splits_info[i];
        if (!s->ok || s->metric != metric || s->level != lv)
            continue;
        if (s->nscope == 0 && !best)
            best = s;
        if (scope1)
            for (int k = 0; k < s->nscope; k++)
                if (s->scope[k] == scope1)
                    return s;
    }
    return best;
}

/* Is this split's parent the metric's root target? */
static bool root_parented(R *r, const Split *sp)
{
    if (sp->nscope)
        return false;
    for (int d = 0; d < sp->level->depth; d++)
        if (split_at(r, sp->metric, &sp->level->dim->levels[d], NULL))
            return false;
    return true;
}

static bool metric_root(R *r, const Node *metric, Num *out)
{
    Node *t = strmap_get(&r->s->targets, metric->name);
    return t && t->a && rx_const(r, t->a, out) == 1;
}

static bool cell_value(R *r, const Node *metric, const Member *m, Num *out, int depth);

/* What the members of a split share: the parent, over-assigned or less its
 * reserve.  False when the adjustment is not a constant. */
static bool adjusted(R *r, const Split *sp, Num pv, Num *out)
{
    const Node *adj = sp->node->d;
    Num a, f;
    if (!adj) {
        *out = pv;
        return true;
    }
    if (rx_const(r, adj->a, &a) != 1)
        return false;
    NumStatus st = adj->op == ADJ_OVERASSIGN ? num_add(NUM_ONE, a, &f) : num_sub(NUM_ONE, a, &f);
    return st == NUM_OK && num_mul(pv, f, out) == NUM_OK;
}

/* The parent value of sp for the cell under `parent` (NULL = root). */
static bool parent_value(R *r, const Split *sp, const Member *parent, Num *out, int depth)
{
    if (parent)
        return cell_value(r, sp->metric, parent, out, depth + 1);
    return root_parented(r, sp) && metric_root(r, sp->metric, out);
}

static bool entry_share(R *r, Node *value)
{
    Scope sc = {SC_METRICS, 0, 0, 0, 0, 0, NULL, NULL};
    Diags quiet = {0}, *saved = r->d;
    r->d = &quiet;
    Kind k = rx_check(r, &sc, value);
    r->d = saved;
    diag_free(&quiet);
    return k == K_PERCENT;
}

/* The weight of member c in an equal or weights split; false when it is
 * not a constant. */
static bool member_weight(R *r, const Node *spec, const Dim *d, const Member *c, Num *cw)
{
    *cw = num_from_int(1);
    if (spec->kind != N_SPEC_WEIGHTS)
        return true;
    *cw = NUM_ZERO;
    for (Node *e = spec->a; e; e = e->next)
        if (sym_lookup_member_in(r->s, e->a, d, NULL) == c && rx_const(r, e->b, cw) != 1)
            return false;
    return true;
}

/* m's part of parent in an equal or weights split: parent * w(m) / sum of w. */
static bool weighted_child(R *r, Split *sp, const Member *m, const Member *under_m, Num parent,
                           Num *out)
{
    Dim *d = sp->level->dim;
    Num sum = NUM_ZERO, w = NUM_ZERO, cw, v;
    int n = 0;
    for (size_t i = 0; i < d->nmembers; i++) {
        Member *c = d->members[i];
        if (c->depth != sp->level->depth || (under_m && !under(c, (Member **)&under_m, 1)))
            continue;
        if (!member_weight(r, sp->node->c, d, c, &cw))
            return false;
        if (c == m)
            w = cw;
        if (num_add(sum, cw, &sum) != NUM_OK)
            return false;
        n++;
    }
    if (!n || num_is_zero(sum))
        return false;
    return num_mul(parent, w, &v) == NUM_OK && num_div(v, sum, out) == NUM_OK;
}

/* m's value in a map split: its amount, its share of parent, or the rest. */
static bool mapped_child(R *r, Split *sp, const Member *m, Num parent, Num *out)
{
    Num sum = NUM_ZERO, v;
    Node *mine = NULL;
    for (Node *e = sp->node->c->a; e; e = e->next) {
        if (sym_lookup_member_in(r->s, e->a, sp->level->dim, NULL) == m) {
            mine = e;
            continue;
        }
        if (e->b->kind == N_REST || rx_const(r, e->b, &v) != 1)
            continue;
        if (entry_share(r, e->b) && num_mul(parent, v, &v) != NUM_OK)
            return false;
        if (num_add(sum, v, &sum) != NUM_OK)
            return false;
    }
    if (!mine)
        return false;
    if (mine->b->kind == N_REST)
        return num_sub(parent, sum, out) == NUM_OK;
    if (rx_const(r, mine->b, &v) != 1)
        return false;
    if (entry_share(r, mine->b))
        return num_mul(parent, v, out) == NUM_OK;
    *out = v;
    return true;
}

/* Value of one child under a constant parent (the cell of member `under_m`,
 * NULL for the root), from a map, equal or weights split. */
static bool child_value(R *r, Split *sp, const Member *m, const Member *under_m, Num parent,
                        Num *out)
{
    Node *spec = sp->node->c;
    if (spec->kind == N_SPEC_EQUAL || spec->kind == N_SPEC_WEIGHTS)
        return weighted_child(r, sp, m, under_m, parent, out);
    if (spec->kind == N_SPEC_MAP)
        return mapped_child(r, sp, m, parent, out);
    return false;
}

static bool cell_value(R *r, const Node *metric, const Member *m, Num *out, int depth)
{
    if (depth > 16)
        return false;
    Level *lv = &m->dim->levels[m->depth];
    Split *sp = split_at(r, metric, lv, m->parent);
    if (!sp)
        return false;
    bool scoped = false;
    for (int k = 0; k < sp->nscope; k++)
        scoped |= sp->scope[k] == m->parent;
    if (sp->nscope && !scoped)
        return false;
    Num parent;
    if (!parent_value(r, sp, scoped ? m->parent : NULL, &parent, depth) ||
        !adjusted(r, sp, parent, &parent))
        return false;
    return child_value(r, sp, m, scoped ? m->parent : NULL, parent, out);
}

/* The scope members of sp in the split's own dimension; returns their count. */
static int same_dim_scope(const Split *sp, Member *same[16])
{
    int n = 0;
    for (int i = 0; i < sp->nscope; i++)
        if (sp->scope[i]->dim == sp->level->dim)
            same[n++] = sp->scope[i];
    return n;
}

/* The value of one entry: 'rest' once and only for amounts; weights not
 * negative; a metric that does not add up gets values, not amounts. */
static void check_entry_value(R *r, Split *sp, Node *e, const Member *m, bool weights, Node **rest)
{
    if (e->b->kind == N_REST) {
        if (weights || !sym_additive(sp->metric))
            diag_error(r->d, e->b->loc,
                       "'rest' is only for amounts and shares of money and "
                       "count metrics");
        else if (*rest) {
            diag_error(r->d, e->b->loc, "'rest' is given twice");
            diag_note(r->d, (*rest)->loc, "first 'rest' here; only one member can take the rest");
        }
        *rest = e->b;
        return;
    }
    Scope sc = {SC_METRICS, 0, 0, 0, 0, 0, NULL, NULL};
    Kind k = rx_check(r, &sc, e->b);
    Num w;
    if (weights && rx_const(r, e->b, &w) == 1 && num_sign(w) < 0) {
        char b[NUM_BUFSZ];
        diag_error(r->d, e->b->loc, "negative weight %s for '%s'", num_str(w, b),
                   m ? m->name : "?");
    }
    if (!sym_additive(sp->metric) && (k == K_MONEY || k == K_COUNT))
        diag_error(r->d, e->b->loc, "%s is a %s metric: give each member a %s value",
                   sp->metric->name, sym_kind_name(sym_metric_kind(sp->metric)),
                   sym_kind_name(sym_metric_kind(sp->metric)));
}

/* The member of one entry: of the split's level, inside its scope, once. */
static void check_entry_member(R *r, Split *sp, Node *e, Member *m, StrMap *seen)
{
    Level *lv = sp->level;
    if (m->dim != lv->dim || m->depth != lv->depth) {
        diag_error(r->d, e->a->loc, "'%s' is a %s, not a %s", m->name,
                   m->dim->levels[m->depth].name, lv->name);
        return;
    }
    Member *same[16];
    int n = same_dim_scope(sp, same);
    if (n && !under(m, same, n)) {
        diag_error(r->d, e->a->loc, "'%s' is not a %s of %s", m->name, lv->name, same[0]->name);
        return;
    }
    Node *prev = strmap_get(seen, m->name);
    if (prev) {
        diag_error(r->d, e->a->loc, "'%s' is given twice", m->name);
        diag_note(r->d, prev->loc, "first given here");
    } else {
        strmap_put(seen, m->name, e->a);
    }
}

static void check_keys(R *r, Split *sp, Node *spec, bool weights)
{
    StrMap seen = {0};
    Node *rest = NULL;
    for (Node *e = spec->a; e; e = e->next) {
        Member *m = sym_lookup_member_in(r->s, e->a, sp->level->dim, r->d);
        check_entry_value(r, sp, e, m, weights, &rest);
        if (m)
            check_entry_member(r, sp, e, m, &seen);
    }
    strmap_free(&seen);
}

/* Members of sp's level that the split covers (under its scope). */
static bool covered(const Split *sp, const Member *m)
{
    if (m->depth != sp->level->depth)
        return false;
    Member *same[16];
    int n = same_dim_scope(sp, same);
    return n == 0 || under(m, same, n);
}

/* How a metric uses a dimension: its first split by it (the split's
 * index; the axes come in that order) and the deepest level it is split
 * to. */
typedef struct {
    int first, deep;
} AxisUse;

static int dim_index(const Symbols *s, const Dim *d)
{
    for (int i = 0; i < s->ndims; i++)
        if (s->dims[i] == d)
            return i;
    return -1;
}

/* Whether scope member x of split sp can hold for some cell: one of the
 * split's own dimension, or of a dimension whose axis comes before the
 * split's and is split down to x's level. */
static bool scope_can_hold(const Symbols *s, const AxisUse *u, const Split *sp, const Member *x)
{
    if (x->dim == sp->level->dim)
        return true;
    int d = dim_index(s, x->dim), own = dim_index(s, sp->level->dim);
    return d >= 0 && own >= 0 && u[d].first >= 0 && u[d].first < u[own].first &&
           u[d].deep >= x->depth;
}
/* The depth of the deepest scope member of split o in dimension d that
 * contains m, or -1 (-2: o has no scope in d).  With u (the metric's
 * AxisUse), only the scope members that can hold count: -1 also when o has
 * scope members in d and none of them can. */
static int scope_depth_for(const Symbols *s, const AxisUse *u, const Split *o, const Dim *d,
                           const Member *m)
{
    int depth = -2;
    for (int i = 0; i < o->nscope; i++) {
        if (o->scope[i]->dim != d)
            continue;
        if (depth == -2)
            depth = -1;
        if ((!u || scope_can_hold(s, u, o, o->scope[i])) && under(m, (Member **)&o->scope[i], 1) &&
            o->scope[i]->depth > depth)
            depth = o->scope[i]->depth;
    }
    return depth;
}

/* Is m taken over by a more specific split of the same metric and level? */
static bool overridden(R *r, const Split *sp, const Member *m)
{
    const Dim *d = sp->level->dim;
    int mine = scope_depth_for(r->s, NULL, sp, d, m);
    for (int i = 0; i < r->s->nsplits; i++) {
        const Split *o = &r->splits_info[i];
        if (o == sp || !o->ok || o->metric != sp->metric || o->level != sp->level)
            continue;
        int theirs = scope_depth_for(r->s, NULL, o, d, m);
        if (theirs >= 0 && theirs > mine)
            return true;
    }
    return false;
}

static bool has_rest(const Node *spec)
{
    for (const Node *e = spec->a; e; e = e->next)
        if (e->b->kind == N_REST)
            return true;
    return false;
}

static bool names_member(R *r, const Node *spec, const Dim *d, const Member *m)
{
    for (const Node *e = spec->a; e; e = e->next)
        if (sym_lookup_member_in(r->s, e->a, d, NULL) == m)
            return true;
    return false;
}

/* Without 'rest', every member the split covers needs a value. */
static void check_missing(R *r, Split *sp, Node *spec)
{
    if (has_rest(spec))
        return;
    Dim *d = sp->level->dim;
    Buf missing = {0};
    int n = 0;
    for (size_t i = 0; i < d->nmembers; i++) {
        Member *m = d->members[i];
        if (!covered(sp, m) || overridden(r, sp, m) || names_member(r, spec, d, m))
            continue;
        if (n < 5)
            buf_printf(&missing, "%s'%s'", n ? ", " : "", m->name);
        n++;
    }
    if (n) {
        diag_error(r->d, spec->loc, "no value for %s%s", buf_cstr(&missing),
                   n > 5 ? arena_printf(&r->s->arena, " and %d more", n - 5) : "");
        diag_note_plain(r->d, "give every %s a value, or give one of them 'rest'", sp->level->name);
    }
    buf_free(&missing);
}

/* A split's entries under one parent whose value constants fix. */
typedef struct {
    Num pv;              /* the parent's value, less its reserve or plus its overassign */
    Num amounts, shares; /* of the entries with constant values */
    Num total;           /* amounts plus the shares of pv */
    Node *rest;
    bool any_share;
    const char *of, *whole; /* "quarters of H1", "revenue[H1]" */
} Sums;

/* Adds up the entries under parent; false when one is not a constant. */
static bool add_entries(R *r, Split *sp, Node *spec, const Member *parent, Sums *t)
{
    Num v;
    for (Node *e = spec->a; e; e = e->next) {
        if (e->b->kind == N_REST) {
            t->rest = e->b;
            continue;
        }
        if (parent) {
            Member *m = sym_lookup_member_in(r->s, e->a, sp->level->dim, NULL);
            if (!m || !under(m, (Member **)&parent, 1))
                continue;
        }
        if (rx_const(r, e->b, &v) != 1)
            return false;
        bool share = entry_share(r, e->b);
        t->any_share |= share;
        if (num_add(share ? t->shares : t->amounts, v, share ? &t->shares : &t->amounts) != NUM_OK)
            return false;
    }
    return true;
}

/* The entries do not add up to the parent, or leave 'rest' below zero. */
static void report_sums(R *r, Split *sp, Node *spec, const Sums *t)
{
    char b1[NUM_BUFSZ], b2[NUM_BUFSZ], b3[NUM_BUFSZ];
    const Node *metric = sp->metric;
    Num diff;
    num_sub(t->pv, t->total, &diff);
    if (t->rest) {
        if (num_sign(diff) < 0) {
            diag_error(r->d, t->rest->loc,
                       "'rest' would be %s: the other %s already take %s of %s's %s",
                       fmt_value(r, metric, diff, b1), t->of, fmt_value(r, metric, t->total, b2),
                       t->whole, fmt_value(r, metric, t->pv, b3));
            diag_note_plain(r->d, "lower the other amounts or shares");
        }
        return;
    }
    if (num_is_zero(diff))
        return;
    if (t->any_share && num_is_zero(t->amounts))
        diag_error(r->d, spec->loc, "shares of %s sum to %s, not 100%%", t->of,
                   rs_fmt_pct(t->shares, b1));
    else
        diag_error(r->d, spec->loc, "%s sum to %s but %s is %s (%s by %s)", t->of,
                   fmt_value(r, metric, t->total, b1), t->whole, fmt_value(r, metric, t->pv, b2),
                   num_sign(diff) > 0 ? "short" : "over", fmt_value(r, metric, num_abs(diff), b3));
    diag_note_plain(r->d, "give one %s 'rest', or correct the %s", sp->level->name,
                    t->any_share ? "shares" : "amounts");
}

/* Amounts and shares against a parent known from constants. */
static void check_sums(R *r, Split *sp, Node *spec, const Member *parent)
{
    Sums t = {.amounts = NUM_ZERO, .shares = NUM_ZERO};
    if (!parent_value(r, sp, parent, &t.pv, 0) || !adjusted(r, sp, t.pv, &t.pv) ||
        !add_entries(r, sp, spec, parent, &t))
        return;
    const char *children = plural(r, sp->level->name);
    t.of = parent ? arena_printf(&r->s->arena, "%s of %s", children, parent->name) : children;
    t.whole = parent ? arena_printf(&r->s->arena, "%s[%s]", sp->metric->name, parent->name)
                     : sp->metric->name;
    if (num_cmp(t.shares, NUM_ONE) > 0) {
        char b[NUM_BUFSZ];
        diag_error(r->d, spec->loc, "shares of %s sum to %s, over 100%%", t.of,
                   rs_fmt_pct(t.shares, b));
        return;
    }
    Num part;
    if (num_mul(t.pv, t.shares, &part) != NUM_OK || num_add(t.amounts, part, &t.total) != NUM_OK)
        return;
    report_sums(r, sp, spec, &t);
}

static void check_adjust(R *r, Split *sp)
{
    Node *adj = sp->node->d;
    if (!adj)
        return;
    const char *what = ast_op_text(adj->op);
    if (!sym_additive(sp->metric)) {
        diag_error(r->d, adj->loc, "'%s' is only for money and count metrics", what);
        return;
    }
    Num v;
    Scope sc = {0, 0, 0, 0, 0, 0, NULL, NULL};
    rx_check(r, &sc, adj->a);
    if (rx_const(r, adj->a, &v) == 1 &&
        (num_sign(v) <= 0 || (adj->op == ADJ_RESERVE && num_cmp(v, NUM_ONE) >= 0))) {
        char b[NUM_BUFSZ];
        diag_error(r->d, adj->a->loc, "'%s %s' is out of range (more than 0%%%s)", what,
                   rs_fmt_pct(v, b), adj->op == ADJ_RESERVE ? ", less than 100%" : "");
    }
}

/* Weights, 'proportional to' and 'equally' share out amounts. */
static void check_additive(R *r, Split *sp, Node *spec, const char *why)
{
    if (!sym_additive(sp->metric))
        diag_error(r->d, spec->loc, "%s is a %s metric: %s", sp->metric->name,
                   sym_kind_name(sym_metric_kind(sp->metric)), why);
}

static void check_map_spec(R *r, Split *sp, Node *spec)
{
    check_keys(r, sp, spec, false);
    if (!sym_additive(sp->metric))
        return;
    check_missing(r, sp, spec);
    if (sp->nscope_same == 0)
        check_sums(r, sp, spec, NULL);
    for (int i = 0; i < sp->nscope; i++)
        if (sp->scope[i]->dim == sp->level->dim)
            check_sums(r, sp, spec, sp->scope[i]);
}

static void check_weights_spec(R *r, Split *sp, Node *spec)
{
    check_additive(r, sp, spec, "weights do not apply; give values");
    check_keys(r, sp, spec, true);
    bool all_const = true, nonzero = false;
    for (Node *e = spec->a; e; e = e->next) {
        Num w;
        if (e->b->kind == N_REST || rx_const(r, e->b, &w) != 1)
            all_const = false;
        else if (!num_is_zero(w))
            nonzero = true;
    }
    if (all_const && !nonzero)
        diag_error(r->d, spec->loc, "all weights are zero");
}

static void check_prop_spec(R *r, Split *sp, Node *spec)
{
    check_additive(r, sp, spec, "'proportional to' does not apply");
    Scope sc = {SC_ATTRS, 0, sp->level->dim, 0, 0, true, NULL, NULL};
    Kind k = rx_check(r, &sc, spec->a);
    if (k == K_BOOL || k == K_STR)
        diag_error(r->d, spec->a->loc, "'proportional to' needs a number, got %s",
                   sym_kind_name(k));
}

static void check_season_spec(R *r, Split *sp, Node *spec)
{
    if (!sp->level->dim->is_time || sp->level->depth == 0)
        diag_error(r->d, spec->loc, "seasonality splits time (half, quarter or month), not %s",
                   sp->level->name);
    if (!strmap_get(&r->s->histories, spec->name)) {
        diag_error(r->d, spec->name_loc, "unknown history '%s'", spec->name);
        sym_note_did_you_mean(r->d, sym_closest(&r->s->histories, spec->name));
    }
}

static void check_spec(R *r, Split *sp)
{
    Node *spec = sp->node->c;
    switch (ast_split_form(spec)) {
    case SPLIT_VALUES:
        check_map_spec(r, sp, spec);
        break;
    case SPLIT_WEIGHTS:
        check_weights_spec(r, sp, spec);
        break;
    case SPLIT_PROPORTIONAL:
        check_prop_spec(r, sp, spec);
        break;
    case SPLIT_EQUALLY:
        check_additive(r, sp, spec, "'equally' does not apply");
        break;
    case SPLIT_SEASONALITY:
        check_season_spec(r, sp, spec);
        break;
    case SPLIT_LIKE:
        break; /* check_like, once every split is known */
    }
    check_adjust(r, sp);
}

/* The metrics with a split, and with a split by a level ("metric|level"),
 * so that each `like` is looked up, not searched for among every split. */
static void index_splits(R *r, StrMap *by)
{
    for (int i = 0; i < r->s->nsplits; i++) {
        const Split *o = &r->splits_info[i];
        if (!o->ok)
            continue;
        strmap_put(by, o->metric->name, (void *)o);
        if (o->level)
            strmap_put(by, arena_printf(&r->s->arena, "%s|%s", o->metric->name, o->level->name),
                       (void *)o);
    }
}

static void check_like(R *r, Split *sp, const StrMap *by)
{
    Node *spec = sp->node->c;
    Node *other = strmap_get(&r->s->metrics, spec->name);
    if (!other) {
        diag_error(r->d, spec->name_loc, "unknown metric '%s'", spec->name);
        sym_note_did_you_mean(r->d, sym_closest(&r->s->metrics, spec->name));
        return;
    }
    if (other == sp->metric) {
        diag_error(r->d, spec->name_loc, "'%s' cannot be split like itself", spec->name);
        return;
    }
    bool found;
    if (sp->level) {
        Buf b = {0};
        buf_printf(&b, "%s|%s", other->name, sp->level->name);
        found = strmap_get(by, buf_cstr(&b)) != NULL;
        buf_free(&b);
    } else {
        found = strmap_get(by, other->name) != NULL;
    }
    if (!found)
        diag_error(r->d, spec->name_loc, "'%s' has no split%s%s to copy", other->name,
                   sp->level ? " by " : "", sp->level ? sp->level->name : "");
}

/* One member of 'in': above the split's level when of its dimension. */
static void add_scope(R *r, Split *sp, Node *s)
{
    Member *m = sym_lookup_member(r->s, s, r->d);
    if (!m || sp->nscope >= 16)
        return;
    if (sp->level && m->dim == sp->level->dim) {
        if (m->depth >= sp->level->depth) {
            diag_error(r->d, s->loc, "'%s' is a %s, not above level '%s'", m->name,
                       m->dim->levels[m->depth].name, sp->level->name);
            diag_note_plain(r->d,
                            "'in' names the cells being split: members of a level "
                            "above '%s', or of another dimension",
                            sp->level->name);
            return;
        }
        sp->nscope_same++;
    }
    sp->scope[sp->nscope++] = m;
}

static void resolve_split(R *r, Split *sp)
{
    Node *n = sp->node;
    sp->metric = strmap_get(&r->s->metrics, n->name);
    if (!sp->metric) {
        diag_error(r->d, n->name_loc, "unknown metric '%s'", n->name);
        sym_note_did_you_mean(r->d, sym_closest(&r->s->metrics, n->name));
    }
    if (n->a) {
        sp->level = strmap_get(&r->s->levels, n->a->name);
        if (!sp->level) {
            diag_error(r->d, n->a->loc, "unknown level '%s'", n->a->name);
            sym_note_levels(r->d, r->s, n->a->name);
        }
    }
    for (Node *s = n->b; s; s = s->next)
        add_scope(r, sp, s);
    sp->ok = sp->metric && (sp->level || !n->a);
}

static const char *split_key(R *r, const Split *sp)
{
    Buf b = {0};
    buf_printf(&b, "%s|%s", sp->metric->name, sp->level ? sp->level->name : "*");
    const char *names[16];
    for (int i = 0; i < sp->nscope; i++)
        names[i] = sp->scope[i]->name;
    for (int i = 1; i < sp->nscope; i++) /* sort: scope order does not matter */
        for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            const char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    for (int i = 0; i < sp->nscope; i++) /* a member named twice counts once */
        if (i == 0 || strcmp(names[i - 1], names[i]) != 0)
            buf_printf(&b, "|%s", names[i]);
    const char *key = arena_strdup(&r->s->arena, buf_cstr(&b));
    buf_free(&b);
    return key;
}

/* One split: not a second split of the same cells, then its form. */
static void check_split(R *r, Split *sp, StrMap *seen, const StrMap *by)
{
    const char *key = split_key(r, sp);
    Node *prev = strmap_get(seen, key);
    if (prev) {
        diag_error(r->d, sp->node->loc, "duplicate split of '%s' by %s%s", sp->metric->name,
                   sp->level ? sp->level->name : "everything",
                   sp->nscope ? " with the same scope" : "");
        diag_note(r->d, prev->loc, "first split here; a narrower 'in' scope would override it");
        return;
    }
    strmap_put(seen, key, sp->node);
    if (sp->node->c->kind == N_SPEC_LIKE)
        check_like(r, sp, by);
    if (sp->level)
        check_spec(r, sp);
}

/* `split M like X` (every level) beside `split M by LEVEL ...` where X is
 * split by LEVEL too: two splits of the same cells, the first one written
 * winning. */
static void check_like_overlap(R *r, const StrMap *by)
{
    for (int i = 0; i < r->s->nsplits; i++) {
        const Split *l = &r->splits_info[i];
        if (!l->ok || l->level || l->nscope || l->node->c->kind != N_SPEC_LIKE)
            continue;
        for (int j = 0; j < r->s->nsplits; j++) {
            const Split *o = &r->splits_info[j];
            if (!o->ok || !o->level || o->nscope || o->metric != l->metric ||
                !strmap_get(by,
                            arena_printf(&r->s->arena, "%s|%s", l->node->c->name, o->level->name)))
                continue;
            diag_error(r->d, o->node->loc,
                       "'%s' is split like %s at every level, and by %s here as well",
                       o->metric->name, l->node->c->name, o->level->name);
            diag_note(r->d, l->node->loc,
                      "the split like %s, which copies its split by %s; copy the levels one by "
                      "one instead (split %s by LEVEL like %s) and split %s by %s here",
                      l->node->c->name, o->level->name, l->metric->name, l->node->c->name,
                      l->metric->name, o->level->name);
        }
    }
}

/* ---- equally specific scopes ---- */

#define TIE_DIFFS 256        /* differences of specificity kept per pair */
#define TIE_PAIRS_MAX 200000 /* pairs looked at per plan (bounded work) */

/* Adds v to the set diffs[0..*n) (kept small: a pair's scopes are few). */
static void diff_add(int *diffs, int *n, int v)
{
    for (int i = 0; i < *n; i++)
        if (diffs[i] == v)
            return;
    if (*n < TIE_DIFFS)
        diffs[(*n)++] = v;
}

/* Per metric with splits by levels, its AxisUse per dimension of the plan
 * (metric name -> AxisUse[ndims]); a metric split `like` another at every
 * level gets none (its axes are the other's: not judged here). */
static void axis_uses(R *r, StrMap *uses)
{
    StrMap skip = {0};
    for (int i = 0; i < r->s->nsplits; i++) {
        const Split *sp = &r->splits_info[i];
        if (sp->ok && !sp->level)
            strmap_put(&skip, sp->metric->name, (void *)sp);
    }
    for (int i = 0; i < r->s->nsplits; i++) {
        const Split *sp = &r->splits_info[i];
        int d = sp->ok && sp->level ? dim_index(r->s, sp->level->dim) : -1;
        if (d < 0 || strmap_get(&skip, sp->metric->name))
            continue;
        AxisUse *u = strmap_get(uses, sp->metric->name);
        if (!u) {
            u = arena_alloc(&r->s->arena, (size_t)r->s->ndims * sizeof *u);
            for (int k = 0; k < r->s->ndims; k++)
                u[k] = (AxisUse){-1, -1};
            strmap_put(uses, sp->metric->name, u);
        }
        if (u[d].first < 0)
            u[d].first = i;
        if (sp->level->depth > u[d].deep)
            u[d].deep = sp->level->depth;
    }
    strmap_free(&skip);
}

/* Whether some cell has splits a and b (same metric and level, both
 * scoped) applying with the same specificity, so that the one written
 * first would win (al_pick_split: more scoped dimensions, then deeper
 * scope members).  Per dimension either scopes, the members that decide
 * are their scope members (a cell's deepest scope ancestor is one of
 * them); the dimensions combine freely, so the differences of
 * specificity add up over them.  A scope member that cannot hold (its
 * dimension's axis comes later, or is not split down to it) decides
 * nothing. */
static bool equally_specific(const Symbols *s, const AxisUse *u, const Split *a, const Split *b)
{
    const Dim *dims[32];
    int nd = 0;
    for (int k = 0; k < 2; k++) {
        const Split *sp = k ? b : a;
        for (int i = 0; i < sp->nscope; i++) {
            int j = 0;
            while (j < nd && dims[j] != sp->scope[i]->dim)
                j++;
            if (j == nd)
                dims[nd++] = sp->scope[i]->dim;
        }
    }
    int diffs[TIE_DIFFS] = {0}, n = 1;
    for (int j = 0; j < nd; j++) {
        int here[TIE_DIFFS], nh = 0;
        for (int k = 0; k < 2; k++) {
            const Split *sp = k ? b : a;
            for (int i = 0; i < sp->nscope; i++) {
                const Member *x = sp->scope[i];
                if (x->dim != dims[j])
                    continue;
                int da = scope_depth_for(s, u, a, dims[j], x),
                    db = scope_depth_for(s, u, b, dims[j], x);
                if (da == -1 || db == -1) /* one of them does not apply under x */
                    continue;
                diff_add(here, &nh, (da == -2 ? 0 : 1000 + da) - (db == -2 ? 0 : 1000 + db));
            }
        }
        if (nh == 0)
            return false; /* no cell where both apply */
        int next[TIE_DIFFS], nn = 0;
        for (int p = 0; p < n; p++)
            for (int v = 0; v < nh; v++)
                diff_add(next, &nn, diffs[p] + here[v]);
        memcpy(diffs, next, (size_t)nn * sizeof *next);
        n = nn;
    }
    for (int p = 0; p < n; p++)
        if (diffs[p] == 0)
            return true;
    return false;
}

/* A scoped split none of whose scope members of some other dimension can
 * hold never applies: reported, as its values would be ignored. */
static void dead_scope(R *r, const AxisUse *u, const Split *sp)
{
    const Node *spec = sp->node->c;
    for (const Node *e = spec->kind == N_SPEC_MAP ? spec->a : NULL; e; e = e->next)
        if (e->b->kind != N_REST && (Kind)e->b->flags != K_PERCENT)
            return; /* amounts: a lock, whose scope's axis the allocation checks (axes.c) */
    for (int i = 0; i < sp->nscope; i++) {
        const Member *x = sp->scope[i];
        bool first = true, any = false;
        for (int k = 0; k < sp->nscope; k++)
            if (sp->scope[k]->dim == x->dim) {
                first &= k >= i;
                any |= scope_can_hold(r->s, u, sp, sp->scope[k]);
            }
        if (!first || any)
            continue;
        int d = dim_index(r->s, x->dim), own = dim_index(r->s, sp->level->dim);
        const char *lv = x->dim->levels[x->depth].name;
        diag_error(r->d, sp->node->loc,
                   "this split of '%s' by %s never applies: 'in %s' names a %s", sp->metric->name,
                   sp->level->name, x->name, lv);
        if (u[d].first < 0)
            diag_note_plain(r->d, "'%s' is not split by %s, so no cell is in %s", sp->metric->name,
                            lv, x->name);
        else if (u[d].first > u[own].first)
            diag_note(r->d, r->splits_info[u[d].first].node->loc,
                      "'%s' is split by %s only after %s (its first split by %s is here): a scope "
                      "of another dimension must be split first",
                      sp->metric->name, x->dim->name, sp->level->dim->name, x->dim->name);
        else
            diag_note(r->d, r->splits_info[u[d].first].node->loc,
                      "'%s' is not split down to %s (its splits by %s begin here)",
                      sp->metric->name, lv, x->dim->name);
        return;
    }
}

/* Two scoped splits of one metric and level that some cells get from
 * either with the same specificity: which applies would depend on the
 * order they are written in. */
static void tie_error(R *r, const Split *a, const Split *b)
{
    diag_error(r->d, b->node->loc,
               "two splits of '%s' by %s are equally specific for some cells, so the one "
               "written first would win",
               a->metric->name, a->level->name);
    diag_note(r->d, a->node->loc, "the other split");
    diag_note_plain(r->d, "scopes that overlap need one of them more specific where they meet "
                          "(in more dimensions, or a deeper member), or a split of its own for "
                          "the cells they share");
}

/* Whether every split of the group is scoped in one dimension, the same. */
static bool one_dim_group(R *r, const int *idx, int n)
{
    const Dim *d = r->splits_info[idx[0]].scope[0]->dim;
    for (int i = 0; i < n; i++) {
        const Split *sp = &r->splits_info[idx[i]];
        for (int k = 0; k < sp->nscope; k++)
            if (sp->scope[k]->dim != d)
                return false;
    }
    return true;
}

/* A group scoped in one dimension: two splits tie exactly when they share
 * a scope member that can hold (at that member's own cells neither has a
 * deeper one holding, and equal depths on one branch are one member), so
 * a map of the members seen finds the ties in one pass. */
static void ties_one_dim(R *r, StrMap *uses, const int *idx, int n)
{
    StrMap seen = {0}; /* scope member name -> the first split scoped by it */
    for (int i = 0; i < n; i++) {
        const Split *b = &r->splits_info[idx[i]];
        const AxisUse *u = strmap_get(uses, b->metric->name);
        const Split *tie = NULL;
        for (int k = 0; k < b->nscope; k++) {
            const Member *x = b->scope[k];
            if (!scope_can_hold(r->s, u, b, x))
                continue;
            const Split *a = strmap_get(&seen, x->name);
            if (!a)
                strmap_put(&seen, x->name, (void *)b);
            else if (!tie && a != b && strcmp(split_key(r, a), split_key(r, b)) != 0)
                tie = a; /* the same scope is a duplicate, reported as such */
        }
        if (tie)
            tie_error(r, tie, b);
    }
    strmap_free(&seen);
}

/* Any other group, pair by pair (at most TIE_PAIRS_MAX pairs a plan). */
static void ties_pairwise(R *r, StrMap *uses, const int *idx, int n, long *pairs)
{
    for (int i = 0; i < n && *pairs < TIE_PAIRS_MAX; i++) {
        const Split *a = &r->splits_info[idx[i]];
        const AxisUse *u = strmap_get(uses, a->metric->name);
        for (int j = i + 1; j < n && *pairs < TIE_PAIRS_MAX; j++) {
            const Split *b = &r->splits_info[idx[j]];
            ++*pairs;
            if (equally_specific(r->s, u, a, b) && strcmp(split_key(r, a), split_key(r, b)) != 0)
                tie_error(r, a, b);
        }
    }
}

/* Scoped splits in groups of one metric and level, in plan order within
 * a group (the order of the groups does not matter: each is looked at
 * alone, and diagnostics are sorted by position). */
static const Split *sort_splits;

static int by_metric_level(const void *x, const void *y)
{
    const Split *a = &sort_splits[*(const int *)x], *b = &sort_splits[*(const int *)y];
    int c = strcmp(a->metric->name, b->metric->name);
    if (!c)
        c = strcmp(a->level->name, b->level->name);
    return c ? c : (*(const int *)x > *(const int *)y) - (*(const int *)x < *(const int *)y);
}

static void check_ties(R *r)
{
    StrMap uses = {0};
    axis_uses(r, &uses);
    int *idx = xcalloc((size_t)r->s->nsplits + 1, sizeof *idx), n = 0;
    for (int i = 0; i < r->s->nsplits; i++) {
        const Split *sp = &r->splits_info[i];
        const AxisUse *u =
            sp->ok && sp->level && sp->nscope ? strmap_get(&uses, sp->metric->name) : NULL;
        if (u) {
            dead_scope(r, u, sp);
            idx[n++] = i;
        }
    }
    sort_splits = r->splits_info;
    qsort(idx, (size_t)n, sizeof *idx, by_metric_level);
    long pairs = 0;
    for (int g = 0, end; g < n; g = end) {
        const Split *first = &r->splits_info[idx[g]];
        for (end = g + 1; end < n && r->splits_info[idx[end]].metric == first->metric &&
                          r->splits_info[idx[end]].level == first->level;
             end++)
            ;
        if (one_dim_group(r, idx + g, end - g))
            ties_one_dim(r, &uses, idx + g, end - g);
        else
            ties_pairwise(r, &uses, idx + g, end - g, &pairs);
    }
    free(idx);
    strmap_free(&uses);
}

void rs_check_splits(R *r)
{
    Symbols *s = r->s;
    r->splits_info = xcalloc((size_t)s->nsplits + 1, sizeof *r->splits_info);
    for (int i = 0; i < s->nsplits; i++) {
        r->splits_info[i].node = s->splits[i];
        resolve_split(r, &r->splits_info[i]);
    }
    StrMap seen = {0}, by = {0};
    index_splits(r, &by);
    for (int i = 0; i < s->nsplits; i++)
        if (r->splits_info[i].ok)
            check_split(r, &r->splits_info[i], &seen, &by);
    check_like_overlap(r, &by);
    check_ties(r);
    strmap_free(&seen);
    strmap_free(&by);
    free(r->splits_info);
    r->splits_info = NULL;
}
