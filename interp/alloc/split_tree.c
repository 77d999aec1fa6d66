/* split_tree.c -- one axis of a metric: which split applies to each parent
 * (scopes, most specific wins), members that are not active, and the
 * values of locks, shares, rest, weights, proportional, equally,
 * seasonality and like, with over-assignment and reserves.  Values only:
 * joint cells and rounding are joint_cells.c's. */
#include <stdlib.h>
#include <string.h>

#include "alloc/alloc_int.h"

/* ---- which split applies ------------------------------------------------------------------ */

/* Whether scope member t holds for the cell of parent p in context c. */
static bool scope_holds(const Alloc *A, const Axis *ax, const Member *t, const Member *p,
                        const Ctx *c)
{
    if (t->dim == ax->dim)
        return p && al_under_or_is(p, t);
    int j = al_axis_of(A, t->dim);
    return j >= 0 && j < c->n && c->coord[j] && al_under_or_is(c->coord[j], t);
}

static bool first_of_its_dim(const SplitInfo *si, int k)
{
    for (int q = 0; q < k; q++)
        if (si->scope[q]->dim == si->scope[k]->dim)
            return false;
    return true;
}

/* The depth of the deepest scope member of scope[k]'s dimension (from k
 * on) that holds for the cell, or -1. */
static int deepest_holding(const Alloc *A, const Axis *ax, const SplitInfo *si, int k,
                           const Member *p, const Ctx *c)
{
    int depth = -1;
    for (int q = k; q < si->nscope; q++) {
        const Member *t = si->scope[q];
        if (t->dim == si->scope[k]->dim && scope_holds(A, ax, t, p, c) && t->depth > depth)
            depth = t->depth;
    }
    return depth;
}

/* Does split si apply to the cell of parent p in context c?  Its scope
 * members of one dimension are alternatives; of different ones, all must
 * hold.  Returns the specificity (more scoped dimensions, deeper members
 * win), or -1. */
static int applies(const Alloc *A, const Axis *ax, const SplitInfo *si, const Member *p,
                   const Ctx *c)
{
    int spec = 0;
    for (int k = 0; k < si->nscope; k++) {
        if (!first_of_its_dim(si, k)) /* each dimension counts once */
            continue;
        int depth = deepest_holding(A, ax, si, k, p, c);
        if (depth < 0)
            return -1;
        spec += 1000 + depth;
    }
    return spec;
}

/* The first (scope gindex, split) pair of level k for member gindex g. */
static int first_pair_of(const Axis *ax, int k, int g)
{
    int lo = 0, hi = ax->nscoped[k];
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if ((ax->scoped[k][mid] >> 32) < g)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Split number i replaces *best when it applies more specifically. */
static void consider(const Alloc *A, const Axis *ax, int i, const Member *p, const Ctx *c,
                     const SplitInfo **best, int *best_spec)
{
    const SplitInfo *si = &A->splits[i];
    int spec = applies(A, ax, si, p, c);
    if (spec > *best_spec) {
        *best = si;
        *best_spec = spec;
    }
}

const SplitInfo *al_pick_split(const Alloc *A, const Axis *ax, int k, const Member *p, const Ctx *c)
{
    const SplitInfo *best = NULL;
    int best_spec = -1;
    for (int i = 0; i < ax->nfree[k]; i++)
        consider(A, ax, ax->free_splits[k][i], p, c, &best, &best_spec);
    for (const Member *m = p; m; m = m->parent) /* splits scoped by p or its ancestors */
        for (int i = first_pair_of(ax, k, m->gindex);
             i < ax->nscoped[k] && (ax->scoped[k][i] >> 32) == m->gindex; i++)
            consider(A, ax, (int)(ax->scoped[k][i] & 0xFFFFFFFF), p, c, &best, &best_spec);
    return best;
}

/* ---- members that are not active ---------------------------------------------------------- */

/* Months a context's time coordinate covers, or 0 when there is none. */
static int ctx_months(const Alloc *A, const Ctx *c, int *months)
{
    for (int j = 0; j < c->n; j++)
        if (c->coord[j] && A->ax[j].dim->is_time)
            return al_months_under(c->coord[j], months);
    return 0;
}

/* A time member is active when in one of its months every member of the
 * context (reserve rows aside) is. */
static bool time_kid_active(const Alloc *A, const Member *kid, const Ctx *c)
{
    int months[12], n = al_months_under(kid, months);
    for (int k = 0; k < n; k++) {
        bool all = true;
        for (int j = 0; j < c->n; j++)
            if (c->coord[j] && !A->ax[j].dim->is_time && !c->coord[j]->pseudo)
                all &= sym_active(c->coord[j], months[k]);
        if (all)
            return true;
    }
    return n == 0;
}

static void plan_months(Engine *en);

/* Whether a child gets a part in this context: active in some month of it
 * (with no time coordinate, in some month of the plan: a member gone
 * before the year begins gets nothing). */
static bool is_active(Engine *en, const Alloc *A, const Axis *ax, const Member *kid, const Ctx *c)
{
    if (ax->dim->is_time)
        return time_kid_active(A, kid, c);
    if (kid->pseudo)
        return true;
    int months[12], n = ctx_months(A, c, months);
    if (n == 0 && (kid->active_from || kid->active_to)) { /* the plan's months are a run */
        plan_months(en);
        int first = en->month_codes[0], last = en->month_codes[en->nmonth_codes - 1];
        return (!kid->active_from || kid->active_from <= last) &&
               (!kid->active_to || kid->active_to >= first);
    }
    if (n == 0)
        return true;
    for (int k = 0; k < n; k++)
        if (sym_active(kid, months[k]))
            return true;
    return false;
}

/* How many of the plan's months member m is active in (its start and
 * end); the months' codes are made once an engine. */
/* The codes of the plan's months (en->month_codes, in order), made once
 * an engine. */
static void plan_months(Engine *en)
{
    if (en->month_codes)
        return;
    Dim *t = en->p->sym->time;
    en->month_codes = xmalloc((t->nmembers + 1) * sizeof *en->month_codes);
    for (size_t i = 0; i < t->nmembers; i++)
        if (t->members[i]->depth == 3)
            en->month_codes[en->nmonth_codes++] = al_month_code(t->members[i]);
}

static int64_t active_months_of(Engine *en, const Member *m)
{
    plan_months(en);
    if (!m->active_from && !m->active_to)
        return en->nmonth_codes;
    int64_t n = 0;
    for (int i = 0; i < en->nmonth_codes; i++)
        n += sym_active(m, en->month_codes[i]);
    return n;
}

/* Warns about the rows of a history that name members the plan does not
 * have (the first few by name), unless an earlier engine did. */
static void warn_unknown(Engine *en, const Node *decl, const History *h)
{
    const char *const *names;
    int n;
    long rows = hist_unknown(h, &names, &n);
    if (!rows || en->told)
        return;
    Buf b = {0};
    for (int i = 0; i < n; i++)
        buf_printf(&b, "%s'%s'", i ? ", " : "", names[i]);
    diag_warning(en->p->diags, decl->c->loc,
                 "%s: %ld row%s name%s members the plan does not have: %s%s", decl->c->str, rows,
                 rows == 1 ? "" : "s", rows == 1 ? "s" : "", buf_cstr(&b),
                 n == HIST_UNKNOWN_KEEP && rows > n ? ", ..." : "");
    buf_free(&b);
    sym_note_did_you_mean(en->p->diags, sym_closest_member(en->p->sym, names[0]));
    diag_note_plain(en->p->diags,
                    "they count in total(%s) and in seasonality without a scope, "
                    "and for no member",
                    decl->name);
}

History *al_history(Engine *en, const char *name, const Node *at)
{
    History *h = strmap_get(&en->hists, name);
    if (h)
        return h;
    Node *decl = strmap_get(&en->p->sym->histories, name);
    if (!decl)
        return NULL;
    RowSource *src = src_open_data(en->p, decl->c, decl->c->str);
    if (!src)
        return NULL;
    HistSpec spec;
    hist_spec_init(&spec, en->p->sym, name, decl->d);
    HistError err;
    h = hist_read(src, &spec, &err);
    src_close(src);
    if (!h) {
        diag_error(en->p->diags, decl->c->loc, "%s%s%ld%s%ld: %s", decl->c->str,
                   err.line ? ":" : "", err.line, err.col ? ":" : "", err.col, err.msg);
        en->p->data_error = true;
        (void)at;
        return NULL;
    }
    warn_unknown(en, decl, h);
    strmap_put(&en->hists, name, h);
    return h;
}

/* ---- weights ---------------------------------------------------------------------------- */

/* The split's scope in other dimensions as history filters: a row matches
 * by the member's name or its label.  Returns how many. */
static size_t season_filters(const SplitInfo *si, HistFilter *f, const char *(*vals)[2])
{
    size_t nf = 0;
    for (int k = 0; k < si->nscope; k++) {
        Member *s = si->scope[k];
        if (s->dim == si->dim || nf >= 16)
            continue;
        vals[nf][0] = s->name;
        vals[nf][1] = s->label ? s->label : s->name;
        f[nf] = (HistFilter){al_level_of(s->dim, s->depth)->name, vals[nf], 2};
        nf++;
    }
    return nf;
}

static int no_season_error(Engine *en, const SplitInfo *si, int ny, size_t nf)
{
    diag_error(en->p->diags, si->spec->loc, "history '%s' has %s", si->spec->name,
               ny < 0 ? "a month total too large to add up" : "no complete fiscal year");
    diag_note_plain(en->p->diags,
                    "seasonality uses the fiscal years (from %s) whose 12 months "
                    "all have rows%s",
                    cal_month_name(en->p->sym->start_month), nf ? " for the split's scope" : "");
    return -1;
}

/* `by seasonality H`: each time member weighs the sum of its months'
 * shares of the history's complete fiscal years. */
static int season_weights(Engine *en, const SplitInfo *si, Member **kids, int n, Num *w)
{
    History *h = al_history(en, si->spec->name, si->spec);
    if (!h)
        return -1;
    HistFilter f[16];
    const char *vals[16][2];
    size_t nf = season_filters(si, f, vals);
    Num months[12];
    int years[64];
    int ny = hist_season_where(h, en->p->sym->start_month, f, nf, months, years, 64);
    if (ny <= 0)
        return no_season_error(en, si, ny, nf);
    for (int i = 0; i < n; i++) {
        w[i] = NUM_ZERO;
        Dim *t = kids[i]->dim;
        for (size_t k = 0; k < t->nmembers; k++) {
            Member *m = t->members[k];
            if (m->depth == 3 && al_under_or_is(m, kids[i]) &&
                num_add(w[i], months[m->index], &w[i]) != NUM_OK)
                return al_num_err(en, si->spec->loc, NUM_OVERFLOW);
        }
    }
    return 0;
}

/* X's exact cells summed into each leaf of axis ai and its ancestors (m,
 * by gindex).  The cells of one leaf come in runs of the axis's stride;
 * each member adds a run's cells in their order, as it would cell by
 * cell (the same sums, an overflowing cell skipped). */
static void marginal_of_cells(const Alloc *X, int ai, Num *m)
{
    const Axis *ax = &X->ax[ai];
    size_t stride = al_stride(X, ai);
    for (size_t c = 0; stride && c < X->ncells; c += stride) {
        size_t end = X->ncells - c < stride ? X->ncells : c + stride;
        for (const Member *p = ax->leaves[(c / stride) % ax->nleaves]; p; p = p->parent) {
            Num acc = m[p->gindex];
            for (size_t k = c; k < end; k++)
                num_add_inline(acc, X->exact[k], &acc);
            m[p->gindex] = acc;
        }
    }
}

/* A metric's values per member of one axis, for the whole plan: summed
 * from its exact cells, or (check, or shares that depend on other
 * dimensions) from its split tree.  Computed once per axis. */
const Num *al_marginal(Engine *en, Alloc *X, int ai)
{
    Axis *ax = &X->ax[ai];
    if (ax->marginal)
        return ax->marginal;
    size_t total = ax->dim->nmembers + (size_t)ax->npseudo;
    Num *m = xcalloc(total + 1, sizeof *m);
    Num *fs = X->factored && !ax->depends ? al_factor_sums(X, ai) : NULL;
    if (fs) {
        for (size_t j = 0; j < ax->nleaves; j++)
            for (const Member *p = ax->leaves[j]; p; p = p->parent)
                num_add(m[p->gindex], fs[j], &m[p->gindex]);
        free(fs);
    } else if (!X->exact || ax->depends) {
        Num *leaf = xcalloc(ax->nleaves + 1, sizeof *leaf);
        Ctx none = {NULL, 0, NULL, NULL, false};
        int rc = al_eval_axis(en, X, ax, &none, X->root, m, leaf);
        free(leaf);
        if (rc < 0) {
            free(m);
            return NULL;
        }
    } else {
        marginal_of_cells(X, ai, m);
    }
    ax->marginal = m;
    return m;
}

/* `like X` where X has locks in another dimension's scope: X's values
 * for the children, summed from its cells. */
static int locked_like_weights(const Alloc *X, int ai, Member **kids, int n, Num *w)
{
    const Axis *ax = &X->ax[ai];
    size_t stride = al_stride(X, ai);
    for (int i = 0; i < n; i++)
        w[i] = NUM_ZERO;
    for (size_t c = 0; c < X->ncells; c++) {
        const Member *leaf = ax->leaves[(c / stride) % ax->nleaves];
        for (int i = 0; i < n; i++)
            if (!kids[i]->pseudo && al_under_or_is(leaf, kids[i]))
                num_add(w[i], X->exact[c], &w[i]);
    }
    return 0;
}

/* The allocation a `like X` split copies, made once (NULL after
 * reporting). */
static Alloc *like_target(Engine *en, SplitInfo *si)
{
    if (!si->like_alloc)
        si->like_alloc = alloc_get(en, si->like);
    return si->like_alloc;
}

/* `like X`: the children's weights are X's values for them. */
static int like_weights(Engine *en, Alloc *A, SplitInfo *si, Member **kids, int n, Num *w)
{
    (void)A;
    Alloc *X = like_target(en, si);
    if (!X)
        return -1;
    int ai = al_axis_of(X, si->dim);
    if (ai < 0) {
        diag_error(en->p->diags, si->spec->loc,
                   "'%s' is not split by %s, so there are no "
                   "shares to copy",
                   si->like->name, al_level_of(si->dim, si->depth)->name);
        return -1;
    }
    if (X->ax[ai].locks && X->exact) /* its locks make its values: sum its cells */
        return locked_like_weights(X, ai, kids, n, w);
    const Num *m = al_marginal(en, X, ai);
    if (!m)
        return -1;
    for (int i = 0; i < n; i++)
        w[i] = kids[i]->pseudo ? NUM_ZERO : m[kids[i]->gindex];
    return 0;
}

typedef struct {
    Member **kids;
    int n;
    Num *val;        /* by gindex */
    Member *reserve; /* this parent's reserve row, or NULL */
    const Member *parent;
    const Ctx *ctx;
    bool last; /* the children are the axis's leaves: no deeper split reads them */
} Group;

/* The parent for messages: its name, the lock's scope, or the metric. */
static const char *group_name(const Alloc *A, const Group *g)
{
    if (g->parent)
        return g->parent->name;
    return g->ctx && g->ctx->key && g->ctx->where ? g->ctx->where : A->metric->name;
}

/* The parent's cell for messages: revenue[hardware], or revenue[north]
 * when the split is a lock in north's scope (revenue[north, hardware]). */
static const char *cell_name(const Alloc *A, const Group *g, Buf *b)
{
    const char *where = g->ctx && g->ctx->key && g->ctx->where ? g->ctx->where : NULL;
    b->len = 0;
    buf_printf(b, "%s", A->metric->name);
    if (where && g->parent)
        buf_printf(b, "[%s, %s]", where, g->parent->name);
    else if (where || g->parent)
        buf_printf(b, "[%s]", where ? where : g->parent->name);
    return buf_cstr(b);
}

/* A split value is a share when its kind is percent (60%, 1 - 40%, a let
 * holding 15%); anything else is an amount. */
bool al_share_expr(const Node *e)
{
    return e->flags == K_PERCENT; /* the checker recorded it */
}

/* What an entry of a map split gives its member. */
typedef enum { MAP_UNNAMED, MAP_LOCK, MAP_SHARE, MAP_REST } MapKind;

/* Takes the values of the inactive members that are not locked (into
 * *freed) and sums the positive values of the active ones not locked
 * (*weight); returns the last of those, or -1. */
static int take_from_inactive(Group *g, const bool *active, const MapKind *kind, Num *freed,
                              Num *weight)
{
    int last = -1;
    for (int i = 0; i < g->n; i++) {
        Num v = g->val[g->kids[i]->gindex];
        if (!active[i] && kind[i] != MAP_LOCK) {
            num_add(*freed, v, freed);
            g->val[g->kids[i]->gindex] = NUM_ZERO;
        } else if (active[i] && kind[i] != MAP_LOCK && num_sign(v) > 0) {
            num_add(*weight, v, weight);
            last = i;
        }
    }
    return last;
}

/* Hands the values of inactive members (shares, rest) to their active
 * siblings that are not locked, in proportion to their values; the last
 * takes the exact remainder, so the children still add up exactly. */
static int give_to_active(Engine *en, const SplitInfo *si, Group *g, const bool *active,
                          const MapKind *kind)
{
    Num freed = NUM_ZERO, weight = NUM_ZERO, given = NUM_ZERO;
    int last = take_from_inactive(g, active, kind, &freed, &weight);
    if (num_is_zero(freed))
        return 0;
    if (last < 0) {
        diag_error(en->p->diags, si->spec->loc,
                   "no active %s under %s can take the part of the "
                   "inactive ones",
                   al_level_of(si->dim, si->depth)->name, g->parent ? g->parent->name : "the plan");
        return -1;
    }
    for (int i = 0; i < g->n; i++) {
        Num *v = &g->val[g->kids[i]->gindex], part;
        if (!active[i] || kind[i] == MAP_LOCK || num_sign(*v) <= 0)
            continue;
        if (i == last)
            num_sub(freed, given, &part);
        else if (num_mul(freed, *v, &part) != NUM_OK || num_div(part, weight, &part) != NUM_OK)
            return al_num_err(en, si->spec->loc, NUM_OVERFLOW);
        num_add(given, part, &given);
        num_add(*v, part, v);
    }
    return 0;
}

/* What the entries of a map split add up to. */
typedef struct {
    MapKind *kind;  /* per child */
    Num locks;      /* the amounts */
    Num shares;     /* the shares' values */
    Num share_sum;  /* the shares themselves */
    int rest;       /* the child taking the rest, or -1 */
    int last_share; /* the last child given a share, or -1 */
} MapSums;

static int kid_index(const Group *g, const Member *m)
{
    int i = 0;
    while (i < g->n && g->kids[i] != m)
        i++;
    return i;
}

static int inactive_amount_error(Engine *en, const Node *entry, const Member *m)
{
    diag_error(en->p->diags, entry->b->loc, "'%s' has an amount but is not active here", m->name);
    diag_note_plain(en->p->diags, "an amount must hold in every cell; use a share, or split by "
                                  "the dimension with start/end after this one");
    return -1;
}

/* One entry `member: value` of a map split: a lock, a share or 'rest'. */
static int map_entry(Engine *en, const SplitInfo *si, const Node *e, Num base, Group *g,
                     const bool *active, MapSums *ms)
{
    Member *m = sym_lookup_member_in(en->p->sym, e->a, si->dim, NULL);
    int i = kid_index(g, m);
    if (i == g->n)
        return 0;
    if (e->b->kind == N_REST) {
        ms->kind[i] = MAP_REST;
        ms->rest = i;
        return 0;
    }
    Frame top = {0}, fr = {NULL, NULL, m, false, 0, &top};
    Num v, *out = &g->val[m->gindex];
    if (eval_num(&en->ev, &fr, e->b, &v) < 0)
        return -1;
    bool share = al_share_expr(e->b), ok;
    ms->kind[i] = share ? MAP_SHARE : MAP_LOCK;
    if (!active[i] && !share && !num_is_zero(v))
        return inactive_amount_error(en, e, m);
    if (share) {
        ok = num_mul(base, v, out) == NUM_OK && num_add(ms->shares, *out, &ms->shares) == NUM_OK &&
             num_add(ms->share_sum, v, &ms->share_sum) == NUM_OK;
        ms->last_share = i;
    } else {
        *out = v;
        ok = num_add(ms->locks, v, &ms->locks) == NUM_OK;
    }
    return ok ? 0 : al_num_err(en, si->spec->loc, NUM_OVERFLOW);
}

/* What the members take (*total) and what is left of base (*diff).  The
 * shares count as base x (their sum), one product, so that 39% + 20% +
 * 41% of 100/3 is all of it; without 'rest', the last share takes the
 * exact remainder. */
static int map_remainder(Engine *en, const SplitInfo *si, Num base, Group *g, const MapSums *ms,
                         Num *total, Num *diff)
{
    Num exact_shares;
    if (num_mul(base, ms->share_sum, &exact_shares) != NUM_OK ||
        num_add(ms->locks, exact_shares, total) != NUM_OK)
        return al_num_err(en, si->spec->loc, NUM_OVERFLOW);
    num_sub(base, *total, diff);
    if (ms->rest < 0 && num_is_zero(*diff) && ms->last_share >= 0) {
        Num *lv = &g->val[g->kids[ms->last_share]->gindex], others;
        num_sub(ms->shares, *lv, &others);
        num_sub(base, ms->locks, lv);
        num_sub(*lv, others, lv);
    }
    if (ms->rest >= 0) { /* the rest of what the members were actually given */
        num_add(ms->locks, ms->shares, total);
        num_sub(base, *total, diff);
    }
    return 0;
}

/* 'rest' cannot fall below zero, and without it the members must add up
 * to their parent's value. */
static int check_map_total(Engine *en, const Alloc *A, const SplitInfo *si, Num base,
                           const Group *g, int rest, Num total, Num diff)
{
    if (rest >= 0 ? num_sign(diff) >= 0 : num_is_zero(diff))
        return 0;
    Diags *d = en->p->diags;
    char b1[NUM_BUFSZ], b2[NUM_BUFSZ], b3[NUM_BUFSZ];
    Buf nb = {0};
    const char *level = al_level_of(si->dim, si->depth)->name, *kids_name = al_plural_of(level);
    if (rest >= 0) {
        diag_error(d, si->spec->loc, "'rest' would be %s: the other %s take %s of %s's %s",
                   al_fmt_amount(A, diff, b1), kids_name, al_fmt_amount(A, total, b2),
                   cell_name(A, g, &nb), al_fmt_amount(A, base, b3));
    } else {
        diag_error(d, si->spec->loc, "%s of %s sum to %s but %s is %s (%s by %s)", kids_name,
                   group_name(A, g), al_fmt_amount(A, total, b1), cell_name(A, g, &nb),
                   al_fmt_amount(A, base, b2), num_sign(diff) > 0 ? "short" : "over",
                   al_fmt_amount(A, num_abs(diff), b3));
        diag_note_plain(d, "give one %s 'rest', or correct the amounts", level);
    }
    if (g->ctx && g->ctx->key && !g->parent)
        diag_note_plain(d, "a lock 'in %s' shares what the other splits give %s: %s", g->ctx->where,
                        g->ctx->where, al_fmt_amount(A, base, b3));
    buf_free(&nb);
    return -1;
}

/* `split M by LEVEL { member: value, ... }`: locks, shares and 'rest'. */
static int split_map(Engine *en, Alloc *A, const SplitInfo *si, Num base, Group *g,
                     const bool *active)
{
    MapSums ms = {xcalloc((size_t)g->n, sizeof *ms.kind), NUM_ZERO, NUM_ZERO, NUM_ZERO, -1, -1};
    Num total, diff;
    int rc = 0;
    for (int i = 0; i < g->n; i++)
        g->val[g->kids[i]->gindex] = NUM_ZERO;
    for (const Node *e = si->spec->a; e && rc == 0; e = e->next)
        rc = map_entry(en, si, e, base, g, active, &ms);
    if (rc == 0)
        rc = map_remainder(en, si, base, g, &ms, &total, &diff);
    if (rc == 0)
        rc = check_map_total(en, A, si, base, g, ms.rest, total, diff);
    if (rc == 0 && ms.rest >= 0)
        g->val[g->kids[ms.rest]->gindex] = diff;
    if (rc == 0)
        rc = give_to_active(en, si, g, active, ms.kind);
    free(ms.kind);
    return rc;
}

/* The position of m among the children (ascending by gindex: binary
 * search), or -1. */
static int kid_position(const Group *g, const Member *m, bool sorted)
{
    if (!m)
        return -1;
    if (!sorted) {
        for (int i = 0; i < g->n; i++)
            if (g->kids[i] == m)
                return i;
        return -1;
    }
    int lo = 0, hi = g->n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (g->kids[mid]->gindex < m->gindex)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < g->n && g->kids[lo] == m ? lo : -1;
}

/* `weights { member: w, ... }`: unnamed children weigh nothing.  Each
 * name is found among the children by binary search (they come in member
 * order), so a list of R regions costs R log R, not R x R. */
static int listed_weights(Engine *en, const SplitInfo *si, const Group *g, Num *w)
{
    Frame top = {0};
    bool sorted = true;
    for (int i = 1; i < g->n && sorted; i++)
        sorted = g->kids[i - 1]->gindex < g->kids[i]->gindex;
    for (const Node *e = si->spec->a; e; e = e->next) {
        int i = kid_position(g, sym_lookup_member_in(en->p->sym, e->a, si->dim, NULL), sorted);
        if (i >= 0 && eval_num(&en->ev, &top, e->b, &w[i]) < 0)
            return -1;
    }
    return 0;
}

/* `proportional to EXPR`: the expression for each child, never negative. */
static int proportional_weights(Engine *en, const SplitInfo *si, const Group *g, Num *w)
{
    Frame top = {0};
    for (int i = 0; i < g->n; i++) {
        Frame fr = {NULL, NULL, g->kids[i], true, active_months_of(en, g->kids[i]), &top};
        if (eval_num(&en->ev, &fr, si->spec->a, &w[i]) < 0)
            return -1;
        if (num_sign(w[i]) < 0) {
            char b[NUM_BUFSZ];
            diag_error(en->p->diags, si->spec->a->loc,
                       "'proportional to' gives %s for '%s': "
                       "weights cannot be negative",
                       num_str(w[i], b), g->kids[i]->name);
            return -1;
        }
    }
    return 0;
}

/* The children's weights by the split's rule. */
static int rule_weights(Engine *en, Alloc *A, SplitInfo *si, const Group *g, Num *w)
{
    switch (ast_split_form(si->spec)) {
    case SPLIT_EQUALLY:
        for (int i = 0; i < g->n; i++)
            w[i] = NUM_ONE;
        return 0;
    case SPLIT_WEIGHTS:
        return listed_weights(en, si, g, w);
    case SPLIT_PROPORTIONAL:
        return proportional_weights(en, si, g, w);
    case SPLIT_SEASONALITY:
        return season_weights(en, si, g->kids, g->n, w);
    case SPLIT_LIKE:
        return like_weights(en, A, si, g->kids, g->n, w);
    case SPLIT_VALUES:
        return -1; /* split_map: amounts, shares and rest, not weights */
    }
    return -1;
}

/* The sum of the weights, inactive children weighing nothing; it must be
 * positive. */
static int weight_sum(Engine *en, const Alloc *A, const SplitInfo *si, const Group *g,
                      const bool *active, Num *w, Num *sum)
{
    *sum = NUM_ZERO;
    for (int i = 0; i < g->n; i++) {
        if (!active[i])
            w[i] = NUM_ZERO;
        if (num_add(*sum, w[i], sum) != NUM_OK)
            return al_num_err(en, si->spec->loc, NUM_OVERFLOW);
    }
    if (num_sign(*sum) > 0)
        return 0;
    Buf nb = {0};
    diag_error(en->p->diags, si->spec->loc,
               "the weights of the %s of %s add up to %s: "
               "nothing to split %s by",
               al_plural_of(al_level_of(si->dim, si->depth)->name), group_name(A, g),
               num_is_zero(*sum) ? "zero" : "less than zero", cell_name(A, g, &nb));
    buf_free(&nb);
    return -1;
}

/* A `like X` split: where X's axis remembers the children of this group
 * (like_seen), or NULL when it cannot (X not made yet or not split by
 * this dimension, X's locks make its values).  The weights of a like
 * split depend only on X and the children, so a plan's many metrics split
 * `like revenue` share what the first one found. */
static Member ***like_slot(Engine *en, const SplitInfo *si, const Group *g)
{
    Alloc *X = si->like_alloc;
    int ai = X ? al_axis_of(X, si->dim) : -1;
    if (!en->check_only || ai < 0 || X->ax[ai].locks)
        return NULL;
    Axis *xa = &X->ax[ai];
    size_t nm = xa->dim->nmembers, at = g->parent ? (size_t)g->parent->gindex : nm;
    if (at > nm)
        return NULL;
    if (!xa->like_seen)
        xa->like_seen = xcalloc(nm + 1, sizeof *xa->like_seen);
    return &xa->like_seen[at];
}

/* Check mode: 1 when the leaves' values are not read, every child is
 * active, and these children were split like the same metric before
 * without error and with no weight below zero.  Then each part is at most
 * the parent's value (no overflow) and the split can fail in no new way,
 * so it is not computed again: the check of M metrics split `like
 * revenue` over R regions is linear, not M x R.  0: compute it; -1 after
 * reporting (the other metric failed). */
static int like_known(Engine *en, const Alloc *A, const Axis *ax, SplitInfo *si, const Group *g)
{
    int months[12];
    if (!g->ctx->discard || !g->last || g->n == 0 || ast_split_form(si->spec) != SPLIT_LIKE ||
        ax->dim->is_time || ctx_months(A, g->ctx, months) != 0)
        return 0; /* no months in the context: every child is active */
    if (!like_target(en, si))
        return -1; /* as like_weights would */
    Member ***slot = like_slot(en, si, g);
    return slot && *slot == g->kids;
}

/* Equally, weights, proportional, seasonality, like: base in proportion to
 * the children's weights. */
static int split_weighted(Engine *en, Alloc *A, SplitInfo *si, Num base, Group *g,
                          const bool *active)
{
    Num *w = xcalloc((size_t)g->n, sizeof *w), sum;
    int rc = rule_weights(en, A, si, g, w);
    if (rc == 0)
        rc = weight_sum(en, A, si, g, active, w, &sum);
    bool plain = rc == 0;                       /* every child active, no weight below zero */
    for (int i = 0; i < g->n && rc == 0; i++) { /* one rounding; base x w may exceed a Num */
        plain &= active[i] && num_sign(w[i]) >= 0;
        if (num_muldiv(base, w[i], sum, &g->val[g->kids[i]->gindex]) != NUM_OK)
            rc = al_num_err(en, si->spec->loc, NUM_OVERFLOW);
    }
    Member ***slot;
    if (rc == 0 && plain && ast_split_form(si->spec) == SPLIT_LIKE && (slot = like_slot(en, si, g)))
        *slot = g->kids;
    free(w);
    return rc;
}

/* ---- splitting a parent's value --------------------------------------------------------- */

/* The value shared among the children (*base) and the parent's reserve
 * row (*reserve), after over-assignment or a reserve. */
static int adjusted_base(Engine *en, const SplitInfo *si, Num pv, Num *base, Num *reserve)
{
    Num one_plus;
    *base = pv;
    *reserve = NUM_ZERO;
    if (si->adj_kind == ADJ_OVERASSIGN) {
        if (num_add(NUM_ONE, si->adj, &one_plus) != NUM_OK || num_mul(pv, one_plus, base) != NUM_OK)
            return al_num_err(en, si->node->loc, NUM_OVERFLOW);
    } else if (si->adj_kind == ADJ_RESERVE) {
        if (num_mul(pv, si->adj, reserve) != NUM_OK || num_sub(pv, *reserve, base) != NUM_OK)
            return al_num_err(en, si->node->loc, NUM_OVERFLOW);
    }
    return 0;
}

/* Splits one parent's value pv among its children (and its reserve row). */
static int split_group(Engine *en, Alloc *A, Axis *ax, SplitInfo *si, Num pv, Group *g)
{
    Num base, reserve;
    if (adjusted_base(en, si, pv, &base, &reserve) < 0)
        return -1;
    if (g->reserve)
        g->val[g->reserve->gindex] = reserve;
    if (num_is_zero(pv) && si->spec->kind != N_SPEC_MAP) { /* nothing to split */
        for (int i = 0; i < g->n; i++)
            g->val[g->kids[i]->gindex] = NUM_ZERO;
        return 0;
    }
    int known = like_known(en, A, ax, si, g);
    if (known != 0)
        return known < 0 ? -1 : 0;
    bool *active = xmalloc((size_t)(g->n ? g->n : 1) * sizeof *active), any = false;
    for (int i = 0; i < g->n; i++)
        any |= active[i] = is_active(en, A, ax, g->kids[i], g->ctx);
    int rc;
    if (!any && g->n > 0 && !num_is_zero(base)) {
        diag_error(en->p->diags, si->node->loc, "no %s of %s is active to take its share",
                   al_level_of(si->dim, si->depth)->name, g->parent ? g->parent->name : "the plan");
        rc = -1;
    } else if (si->spec->kind == N_SPEC_MAP) {
        rc = split_map(en, A, si, base, g, active);
    } else {
        rc = split_weighted(en, A, si, base, g, active);
    }
    free(active);
    return rc;
}

/* No split covers the children of p at split level k. */
static int no_split_error(Engine *en, const Alloc *A, const Axis *ax, int k, const Member *p)
{
    Dim *d = ax->dim;
    int depth = ax->sl[k];
    const Node *at = NULL; /* the scoped splits of this level, for the position */
    for (int i = 0; i < A->nsplits && !at; i++)
        if (A->splits[i].dim == d && A->splits[i].depth == depth)
            at = A->splits[i].node;
    diag_error(en->p->diags, at ? at->loc : A->metric->name_loc,
               "the %s of %s have no split: this split covers only part of %s",
               al_plural_of(al_level_of(d, depth)->name), p ? p->name : "the plan",
               A->metric->name);
    diag_note_plain(en->p->diags,
                    "add 'split %s by %s equally' (or another rule) for "
                    "the rest, or one 'in %s'",
                    A->metric->name, al_level_of(d, depth)->name, p ? p->name : "...");
    return -1;
}

/* Splits the value of group gi of split level k among its children. */
static int split_parent(Engine *en, Alloc *A, Axis *ax, int k, int gi, const Ctx *ctx, Num base,
                        Num *val)
{
    Member *p = ax->grp_parent[k][gi];
    int from = ax->grp_start[k][gi], n = ax->grp_start[k][gi + 1] - from;
    Num pv = p ? val[p->gindex] : base;
    const SplitInfo *si = al_pick_split(A, ax, k, p, ctx);
    if (!si)
        return no_split_error(en, A, ax, k, p);
    if (ax->locks && al_check_lock_pick(en, A, ax, k, p, ctx, si) < 0)
        return -1;
    Member *res = ax->grp_reserve[k] ? ax->grp_reserve[k][gi] : NULL;
    if (res)
        val[res->gindex] = NUM_ZERO;
    Group g = {ax->grp_kids[k] + from, n, val, res, p, ctx, k == ax->nsl - 1};
    return split_group(en, A, ax, (SplitInfo *)si, pv, &g);
}

/* Computes the values of one axis's split tree under `base`, for the
 * coordinates in ctx, into val (by gindex); leaf values land in leafval. */
int al_eval_axis(Engine *en, Alloc *A, Axis *ax, const Ctx *ctx, Num base, Num *val, Num *leafval)
{
    for (int k = 0; k < ax->nsl; k++)
        for (int gi = 0; gi < ax->ngrp[k]; gi++)
            if (split_parent(en, A, ax, k, gi, ctx, base, val) < 0)
                return -1;
    for (size_t i = 0; !ctx->discard && i < ax->nleaves; i++)
        leafval[i] = val[ax->leaves[i]->gindex];
    return 0;
}
