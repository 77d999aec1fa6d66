/* cross_locks.c -- amounts in a split scoped by another dimension
 * (`split revenue by product in north { cards: 300万, membership: rest }`).
 * The cells of the axes before the locked one fall into groups, one per set
 * of lock scopes they are in; the locked axis's split tree is evaluated on
 * each group's own total, and a cell's share is its value there divided by
 * that total, so that the cells of a group under a locked member add up to
 * the amount exactly.  Here: which splits lock, the groups, and the checks
 * that every lock holds (no other split takes part of its cells). */
#include <stdlib.h>
#include <string.h>

#include "alloc/alloc_int.h"

/* An entry of a map split that is an amount, not a share or 'rest'. */
static const Node *first_amount(const SplitInfo *si)
{
    if (si->spec->kind != N_SPEC_MAP)
        return NULL;
    for (const Node *e = si->spec->a; e; e = e->next)
        if (e->b->kind != N_REST && !al_share_expr(e->b))
            return e;
    return NULL;
}

static bool other_dim_scope(const SplitInfo *si)
{
    for (int q = 0; q < si->nscope; q++)
        if (si->scope[q]->dim != si->dim)
            return true;
    return false;
}

bool al_cross_lock(const SplitInfo *si)
{
    return other_dim_scope(si) && first_amount(si);
}

bool al_has_cross_locks(const Alloc *A)
{
    for (int i = 0; i < A->nax; i++)
        if (A->ax[i].locks)
            return true;
    return false;
}

/* The deepest member of dimension d in si's scope containing coord, or NULL. */
static Member *deepest_in(const SplitInfo *si, const Dim *d, const Member *coord)
{
    Member *best = NULL;
    for (int q = 0; q < si->nscope; q++) {
        Member *t = si->scope[q];
        if (t->dim == d && coord && al_under_or_is(coord, t) && (!best || t->depth > best->depth))
            best = t;
    }
    return best;
}

/* Whether si's scope in other dimensions holds for the coordinates of the
 * n axes before (coord); key[j] gets the scope member holding on axis j. */
static bool scope_of_cell(const Alloc *A, const SplitInfo *si, Member *const *coord, int n,
                          Member **key)
{
    for (int j = 0; j < n; j++)
        key[j] = NULL;
    for (int q = 0; q < si->nscope; q++) {
        const Dim *d = si->scope[q]->dim;
        if (d == si->dim)
            continue;
        int j = al_axis_of(A, d);
        if (j < 0 || j >= n || !(key[j] = deepest_in(si, d, coord[j])))
            return false;
    }
    return true;
}

/* The group with this key, added when new. */
static int group_of(LockGroups *lg, Member *const *key)
{
    size_t kn = (size_t)lg->nkey;
    for (int g = 0; g < lg->n; g++)
        if (!memcmp(&lg->key[(size_t)g * kn], key, kn * sizeof *key))
            return g;
    int g = lg->n++;
    lg->key = xrealloc(lg->key, (size_t)lg->n * (kn ? kn : 1) * sizeof *lg->key);
    lg->base = xrealloc(lg->base, (size_t)lg->n * sizeof *lg->base);
    lg->where = xrealloc(lg->where, (size_t)lg->n * sizeof *lg->where);
    memcpy(&lg->key[(size_t)g * kn], key, kn * sizeof *key);
    lg->base[g] = NUM_ZERO;
    Buf b = {0};
    for (size_t j = 0; j < kn; j++)
        if (key[j])
            buf_printf(&b, "%s%s", b.len ? ", " : "", key[j]->name);
    lg->where[g] = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return g;
}

/* A split's scope in words: "in north" (the first member of each dimension). */
static const char *scope_words(const SplitInfo *si, Buf *b)
{
    b->len = 0;
    for (int q = 0; q < si->nscope; q++)
        buf_printf(b, "%s%s", q ? ", " : "in ", si->scope[q]->name);
    if (!si->nscope)
        buf_puts(b, "without a scope");
    return buf_cstr(b);
}

/* The key of one cell: the scope members of the locks holding there (all
 * the same, else *clash gets two locks that differ); false when none holds. */
static bool cell_key(const Alloc *A, int i, Member *const *coord, Member **key,
                     const SplitInfo **clash)
{
    const Axis *ax = &A->ax[i];
    const SplitInfo *first = NULL;
    for (int s = 0; s < A->nsplits; s++) {
        const SplitInfo *si = &A->splits[s];
        Member *k2[ALLOC_MAX_AXES];
        if (si->dim != ax->dim || !al_cross_lock(si) || !scope_of_cell(A, si, coord, i, k2))
            continue;
        if (!first) {
            first = si;
            memcpy(key, k2, (size_t)i * sizeof *key);
        } else if (memcmp(key, k2, (size_t)i * sizeof *key)) {
            clash[0] = first;
            clash[1] = si;
        }
    }
    return first != NULL;
}

static int locks_overlap_error(Engine *en, const SplitInfo *const *clash, const char *where)
{
    Buf b1 = {0}, b2 = {0};
    diag_error(en->p->diags, clash[1]->node->loc,
               "the locks %s (line %d) and %s (line %d) both hold for the cells of %s: "
               "a cell can be under one lock's scope only",
               scope_words(clash[0], &b1), clash[0]->node->loc.line, scope_words(clash[1], &b2),
               clash[1]->node->loc.line, where);
    diag_note_plain(en->p->diags,
                    "lock disjoint scopes (each team of a region, not the region and one of "
                    "its teams), or lock those cells in one split ('in north, Q1')");
    buf_free(&b1);
    buf_free(&b2);
    return -1;
}

int al_lock_groups(Engine *en, const Alloc *A, int i, const Num *cur, size_t n, LockGroups *lg)
{
    memset(lg, 0, sizeof *lg);
    lg->nkey = i;
    lg->of = xmalloc((n ? n : 1) * sizeof *lg->of);
    for (size_t c = 0; c < n; c++) {
        Member *coord[ALLOC_MAX_AXES], *key[ALLOC_MAX_AXES];
        const SplitInfo *clash[2] = {NULL, NULL};
        al_decode(A, i, c, coord);
        lg->of[c] = -1;
        if (!cell_key(A, i, coord, key, clash))
            continue;
        int g = group_of(lg, key);
        if (clash[0]) {
            Buf b = {0};
            for (int j = 0; j < i; j++)
                buf_printf(&b, "%s%s", j ? ", " : "", coord[j]->name);
            locks_overlap_error(en, clash, buf_cstr(&b));
            buf_free(&b);
            return -1;
        }
        lg->of[c] = g;
        if (cur)
            num_add(lg->base[g], cur[c], &lg->base[g]);
    }
    return 0;
}

void al_lock_groups_free(LockGroups *lg)
{
    for (int g = 0; g < lg->n; g++)
        free(lg->where[g]);
    free(lg->where);
    free(lg->of);
    free(lg->base);
    free(lg->key);
    memset(lg, 0, sizeof *lg);
}

/* ---- every lock holds -------------------------------------------------------------------------
 */

/* Whether si's scope in its own dimension holds for parent p. */
static bool own_scope_holds(const SplitInfo *si, const Member *p)
{
    bool any = false, hit = false;
    for (int q = 0; q < si->nscope; q++)
        if (si->scope[q]->dim == si->dim) {
            any = true;
            hit |= p && al_under_or_is(p, si->scope[q]);
        }
    return !any || hit;
}

static int amounts_beside_locks(Engine *en, const Alloc *A, const Axis *ax, const SplitInfo *si)
{
    const SplitInfo *lock = NULL;
    for (int s = 0; s < A->nsplits && !lock; s++)
        if (A->splits[s].dim == ax->dim && al_cross_lock(&A->splits[s]))
            lock = &A->splits[s];
    Buf b1 = {0}, b2 = {0};
    diag_error(en->p->diags, first_amount(si)->b->loc,
               "this amount cannot hold beside the lock %s (line %d): the cells of %s are "
               "split there on their own",
               scope_words(lock, &b1), lock->node->loc.line, scope_words(lock, &b2) + 3);
    diag_note_plain(en->p->diags,
                    "where %s is locked in another dimension's scope, the other splits of %s "
                    "take shares, 'rest' or weights; or scope this one to the other members",
                    ax->dim->name, al_level_of(ax->dim, si->depth)->name);
    buf_free(&b1);
    buf_free(&b2);
    return -1;
}

static int lock_overridden(Engine *en, const SplitInfo *lock, const SplitInfo *picked, const Ctx *c)
{
    Buf b1 = {0}, b2 = {0};
    diag_error(en->p->diags, lock->node->loc,
               "the lock %s cannot hold: the split %s (line %d) applies to its cells in %s",
               scope_words(lock, &b1), scope_words(picked, &b2), picked->node->loc.line,
               c->where && *c->where ? c->where : "part of the plan");
    diag_note_plain(en->p->diags, "one split must cover all the cells a lock names: put the "
                                  "amounts in the more specific split, or drop one of them");
    buf_free(&b1);
    buf_free(&b2);
    return -1;
}

static int locks_overlap(Engine *en, const SplitInfo *picked, const Ctx *c)
{
    Buf b = {0};
    diag_error(en->p->diags, picked->node->loc,
               "the lock %s overlaps another lock of the same dimension in %s: part of its "
               "cells would be split on their own",
               scope_words(picked, &b), c->where ? c->where : "part of the plan");
    diag_note_plain(en->p->diags,
                    "lock disjoint scopes (each team of a region, not the region and a team), or "
                    "scope one split by both ('in north, Q1')");
    buf_free(&b);
    return -1;
}

int al_check_lock_pick(Engine *en, const Alloc *A, const Axis *ax, int k, const Member *p,
                       const Ctx *c, const SplitInfo *picked)
{
    if (!al_cross_lock(picked) && first_amount(picked))
        return amounts_beside_locks(en, A, ax, picked);
    Member *key[ALLOC_MAX_AXES];
    if (al_cross_lock(picked)) {
        if (!c->key || !scope_of_cell(A, picked, c->coord, c->n, key) ||
            memcmp(key, c->key, (size_t)c->n * sizeof *key))
            return locks_overlap(en, picked, c);
        return 0;
    }
    for (int s = 0; s < A->nsplits; s++) {
        const SplitInfo *L = &A->splits[s];
        if (L->dim == ax->dim && L->depth == ax->sl[k] && al_cross_lock(L) &&
            own_scope_holds(L, p) && scope_of_cell(A, L, c->coord, c->n, key))
            return lock_overridden(en, L, picked, c);
    }
    return 0;
}

/* ---- tables -----------------------------------------------------------------------------------
 */

/* Whether every scope member of si outside its own dimension is of d. */
static bool scoped_in_only(const SplitInfo *si, const Dim *d)
{
    for (int q = 0; q < si->nscope; q++)
        if (si->scope[q]->dim != si->dim && si->scope[q]->dim != d)
            return false;
    return true;
}

/* The deepest scope member of a lock of dimension ld, scoped in rows'
 * dimension only, that contains m; NULL when none does. */
static const Member *row_lock_scope(const Alloc *A, const Dim *ld, const Member *m)
{
    const Member *best = NULL;
    for (int s = 0; s < A->nsplits; s++) {
        const SplitInfo *si = &A->splits[s];
        if (si->dim != ld || !al_cross_lock(si) || !scoped_in_only(si, m->dim))
            continue;
        const Member *t = deepest_in(si, m->dim, m);
        if (t && (!best || t->depth > best->depth))
            best = t;
    }
    return best;
}

int *al_lock_row_groups(const Alloc *A, Member *const *rows, size_t nr, int col_axis, int *ng)
{
    *ng = 0;
    if (!A->ax[col_axis].locks || nr == 0)
        return NULL;
    const Member **scope = xmalloc(nr * sizeof *scope);
    int *of = xmalloc(nr * sizeof *of);
    for (size_t r = 0; r < nr; r++) {
        const Member *t = row_lock_scope(A, A->ax[col_axis].dim, rows[r]);
        of[r] = -1;
        for (int g = 0; g < *ng && t && of[r] < 0; g++)
            if (scope[g] == t)
                of[r] = g;
        if (t && of[r] < 0) {
            scope[*ng] = t;
            of[r] = (*ng)++;
        }
    }
    free(scope);
    if (*ng == 0) {
        free(of);
        return NULL;
    }
    return of;
}

/* ---- a locked dimension's totals ----------------------------------------------------------------
 */

/* The one dimension every lock of axis ai is scoped in (its axis into *j),
 * when the axis is one level with no reserve or over-assignment. */
static bool lock_canon_applies(const Alloc *A, int ai, int *j)
{
    const Axis *ax = &A->ax[ai];
    *j = -1;
    if (ax->dim->is_time || ax->nsl != 1 || ax->sl[0] != 0 || ax->npseudo)
        return false;
    for (int s = 0; s < A->nsplits; s++) {
        const SplitInfo *si = &A->splits[s];
        if (si->dim != ax->dim)
            continue;
        if (si->adj_kind)
            return false;
        for (int q = 0; q < si->nscope && al_cross_lock(si); q++) {
            int k = si->scope[q]->dim == si->dim ? -2 : al_axis_of(A, si->scope[q]->dim);
            if (k == -2 || k < 0 || (*j >= 0 && k != *j))
                return false;
            *j = k;
        }
    }
    return *j >= 0 && *j < ai;
}

/* The deepest level of the scope members of axis ai's locks. */
static int scope_depth(const Alloc *A, int ai)
{
    int d = 0;
    for (int s = 0; s < A->nsplits; s++) {
        const SplitInfo *si = &A->splits[s];
        for (int q = 0; q < si->nscope && si->dim == A->ax[ai].dim && al_cross_lock(si); q++)
            if (si->scope[q]->dim != si->dim && si->scope[q]->depth > d)
                d = si->scope[q]->depth;
    }
    return d;
}

/* The members of axis j's dimension at depth d (rows) and the exact table
 * of them by axis ai's leaves. */
static Num *scope_level_table(const Alloc *A, int j, int ai, int d, Member ***rows, size_t *nr)
{
    const Axis *aj = &A->ax[j];
    const Dim *D = aj->dim;
    size_t nl = A->ax[ai].nleaves, si = al_stride(A, ai), sj = al_stride(A, j);
    int *pos = xmalloc((D->nmembers + 1) * sizeof *pos);
    *rows = xmalloc((D->nmembers + 1) * sizeof **rows);
    *nr = 0;
    for (size_t g = 0; g < D->nmembers; g++) {
        pos[g] = D->members[g]->depth == d ? (int)*nr : -1;
        if (pos[g] >= 0)
            (*rows)[(*nr)++] = D->members[g];
    }
    Num *ex = xcalloc(*nr * nl + 1, sizeof *ex);
    for (size_t c = 0; c < A->ncells; c++) {
        const Member *m = al_ancestor_at(aj->leaves[(c / sj) % aj->nleaves], d);
        if (!m || m->pseudo || pos[m->gindex] < 0)
            continue;
        Num *to = &ex[(size_t)pos[m->gindex] * nl + (c / si) % nl];
        num_add(*to, A->exact[c], to);
    }
    free(pos);
    return ex;
}

void al_lock_canon(Engine *en, Alloc *A, int ai, Num *rd)
{
    int j, ng;
    if (!A->exact || !lock_canon_applies(A, ai, &j))
        return;
    const Axis *ax = &A->ax[ai];
    size_t nl = ax->nleaves, nr;
    Member **rows;
    Num *ex = scope_level_table(A, j, ai, scope_depth(A, ai), &rows, &nr);
    int *rgroup = al_lock_row_groups(A, rows, nr, ai, &ng);
    const Num *cj = al_canon(en, A, j);
    Num *rowt = xcalloc(nr + 1, sizeof *rowt), *colt = xcalloc(nl + 1, sizeof *colt);
    Num *out = xcalloc(nr * nl + 1, sizeof *out);
    for (size_t r = 0; r < nr; r++)
        rowt[r] = cj[rows[r]->gindex];
    for (size_t p = 0; p < nl; p++)
        colt[p] = rd[ax->leaves[p]->gindex];
    if (rgroup && al_round_grid(NULL, A, nr, nl, ex, rowt, colt, rgroup, ng, out) == 0)
        for (size_t p = 0; p < nl; p++) {
            Num sum = NUM_ZERO;
            for (size_t r = 0; r < nr; r++)
                num_add(sum, out[r * nl + p], &sum);
            rd[ax->leaves[p]->gindex] = sum;
        }
    free(rows);
    free(rgroup);
    free(ex);
    free(rowt);
    free(colt);
    free(out);
}
