/* resolve.c -- binds names and runs the static checks of SPEC §8: unknown
 * and duplicate names, levels and scopes, cycles, split amounts and shares
 * that can be checked from constants, weights, breakpoints, scorecard
 * weights and kinds.  It reads roster CSVs to learn member names but never
 * evaluates a split: that is the allocation engine's job. */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "parser.h"
#include "resolve_int.h"

Member member_ambiguous;

static const char *const month_names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                          "jul", "aug", "sep", "oct", "nov", "dec"};

/* ---- declarations --------------------------------------------------------- */

static void duplicate(R *r, Node *n, Node *prev, const char *what)
{
    diag_error(r->d, n->name_loc, "duplicate %s '%s'", what, n->name);
    diag_note(r->d, prev->name_loc, "first declared here");
}

static void put_unique(R *r, StrMap *m, Node *n, const char *what)
{
    Node *prev = strmap_get(m, n->name);
    if (prev)
        duplicate(r, n, prev, what);
    else
        strmap_put(m, n->name, n);
}

static void add_split(Symbols *s, Node *n)
{
    s->splits = xrealloc(s->splits, (size_t)(s->nsplits + 1) * sizeof *s->splits);
    s->splits[s->nsplits++] = n;
}

static void collect_target(R *r, Node *n)
{
    StrMap *m = n->c ? &r->s->targets_from : &r->s->targets;
    Node *prev = strmap_get(m, n->name);
    if (prev) {
        diag_error(r->d, n->name_loc, "duplicate target for '%s'", n->name);
        diag_note(r->d, prev->loc, "first target here");
        return;
    }
    strmap_put(m, n->name, n);
}

static void collect(R *r, Unit *u)
{
    Symbols *s = r->s;
    for (Node *n = u->items; n; n = n->next) {
        switch (n->kind) {
        case N_PLAN:
            if (u != r->p->main) {
                diag_error(r->d, n->loc, "an imported file cannot have a 'plan' header");
                diag_note_plain(r->d, "the plan header belongs to the main plan file");
            } else if (s->header) {
                diag_error(r->d, n->loc, "duplicate 'plan' header");
                diag_note(r->d, s->header->loc, "first header here");
            } else {
                s->header = n;
            }
            break;
        case N_METRIC: put_unique(r, &s->metrics, n, "metric"); break;
        case N_LET: put_unique(r, &s->lets, n, "let"); break;
        case N_FN: put_unique(r, &s->fns, n, "function"); break;
        case N_HISTORY: put_unique(r, &s->histories, n, "history"); break;
        case N_INCENTIVE: put_unique(r, &s->incentives, n, "incentive"); break;
        case N_SCORECARD: put_unique(r, &s->scorecards, n, "scorecard"); break;
        case N_REVIEW: put_unique(r, &s->reviews, n, "review"); break;
        case N_SCENARIO: put_unique(r, &s->scenarios, n, "scenario"); break;
        case N_TARGET: collect_target(r, n); break;
        case N_SPLIT: add_split(s, n); break;
        default: break;
        }
    }
}

/* A let, fn and metric share one namespace: an expression could not tell
 * them apart. */
static void check_clashes(R *r)
{
    const StrMap *maps[] = {&r->s->metrics, &r->s->lets, &r->s->fns};
    const char *what[] = {"metric", "let", "function"};
    for (int a = 0; a < 3; a++)
        for (int b = a + 1; b < 3; b++)
            for (size_t i = 0; i < maps[b]->cap; i++) {
                if (!maps[b]->keys[i])
                    continue;
                Node *x = strmap_get(maps[a], maps[b]->keys[i]);
                if (!x)
                    continue;
                Node *y = maps[b]->vals[i];
                Node *later = x->loc.src->index > y->loc.src->index ||
                                      (x->loc.src == y->loc.src && x->loc.line > y->loc.line)
                                  ? x
                                  : y;
                Node *first = later == x ? y : x;
                diag_error(r->d, later->name_loc, "'%s' is already a %s", later->name,
                           later == x ? what[b] : what[a]);
                diag_note(r->d, first->name_loc, "declared here");
            }
}

/* ---- header and calendar ------------------------------------------------------ */

static int month_index(const char *name)
{
    for (int i = 0; i < 12; i++)
        if (strcmp(name, month_names[i]) == 0)
            return i + 1;
    return 0;
}

static void header_key(R *r, Node *a, Node *seen[7])
{
    static const char *const keys[] = {"year", "start", "currency", "unit", "round", "rounding",
                                       "name"};
    int k = -1;
    for (int i = 0; i < 7; i++)
        if (strcmp(a->name, keys[i]) == 0)
            k = i;
    if (k < 0) {
        diag_error(r->d, a->name_loc, "unknown plan setting '%s'", a->name);
        StrMap m = {0};
        for (int i = 0; i < 7; i++)
            strmap_put(&m, keys[i], (void *)keys[i]);
        note_did_you_mean(r, closest(&m, a->name));
        strmap_free(&m);
        diag_note_plain(r->d, "settings are year, start, currency, unit, round and rounding");
        return;
    }
    if (seen[k]) {
        duplicate(r, a, seen[k], "plan setting");
        return;
    }
    seen[k] = a;
    Node *v = a->a;
    Symbols *s = r->s;
    Num x;
    switch (k) {
    case 0: {
        int64_t y;
        if (rx_const(r, v, &x) != 1 || num_to_int(x, NUM_TRUNC, &y) != NUM_OK ||
            num_cmp(x, num_from_int(y)) != 0 || y < 1900 || y > 9998) {
            diag_error(r->d, v->loc, "'year' must be a whole year such as 2027");
            return;
        }
        s->year = (int)y;
        break;
    }
    case 1:
        if (v->kind != N_NAME || !month_index(v->name)) {
            diag_error(r->d, v->loc, "'start' must be a month name: jan, feb, ..., dec");
            if (v->kind == N_NAME) {
                StrMap m = {0};
                for (int i = 0; i < 12; i++)
                    strmap_put(&m, month_names[i], (void *)month_names[i]);
                note_did_you_mean(r, closest(&m, v->name));
                strmap_free(&m);
            }
            return;
        }
        s->start_month = month_index(v->name);
        break;
    case 2:
    case 6:
        if (v->kind != N_STR)
            diag_error(r->d, v->loc, "'%s' must be a string such as \"CNY\"", a->name);
        break;
    case 3:
        if (v->kind != N_STR) {
            diag_error(r->d, v->loc, "'unit' must be a string: \"1\", \"k\", \"万\", \"M\" or \"亿\"");
        } else {
            const char *u = v->str;
            if (strcmp(u, "1") && strcmp(u, "") && strcmp(u, "k") && strcmp(u, "万") &&
                strcmp(u, "M") && strcmp(u, "亿"))
                diag_error(r->d, v->loc, "unknown display unit \"%s\" (expected \"1\", \"k\", \"万\", "
                                         "\"M\" or \"亿\")", u);
        }
        break;
    case 4:
        if (rx_const(r, v, &x) != 1 || num_sign(x) <= 0) {
            diag_error(r->d, v->loc, "'round' must be a positive step such as 0.01");
            return;
        }
        s->round_step = x;
        break;
    case 5:
        if (v->kind != N_NAME || (strcmp(v->name, "half_up") && strcmp(v->name, "half_even"))) {
            diag_error(r->d, v->loc, "'rounding' must be half_up or half_even");
            if (v->kind == N_NAME)
                note_did_you_mean(r, edit_distance(v->name, "half_up", 3) <
                                             edit_distance(v->name, "half_even", 3)
                                         ? "half_up"
                                         : "half_even");
            return;
        }
        s->rounding = strcmp(v->name, "half_up") == 0 ? NUM_HALF_UP : NUM_HALF_EVEN;
        break;
    }
}

static void check_header(R *r)
{
    Symbols *s = r->s;
    s->start_month = 1;
    s->round_step = num_from_int(1);
    NumStatus st = num_parse("0.01", 4, &s->round_step);
    (void)st;
    s->rounding = NUM_HALF_UP;
    Unit *m = r->p->main;
    if (!s->header) {
        Loc at = {m->src, m->src->first_line, 1, m->src->first_line, 1};
        diag_error(r->d, at, "the plan has no 'plan' header");
        diag_note_plain(r->d, "start the plan with: plan \"NAME\" { year = 2027 }");
        s->year = 2000;
        return;
    }
    Node *seen[7] = {0};
    for (Node *a = s->header->a; a; a = a->next)
        header_key(r, a, seen);
    if (!seen[0]) {
        diag_error(r->d, s->header->loc, "the plan header needs a 'year'");
        diag_note_plain(r->d, "for example: plan \"FY2027\" { year = 2027 }");
    }
    if (!s->year)
        s->year = 2000;
}

static Member *new_member(R *r, Dim *d, const char *name, int depth, Member *parent, Loc loc)
{
    Member *m = arena_alloc(&r->s->arena, sizeof *m);
    m->name = name;
    m->dim = d;
    m->depth = depth;
    m->parent = parent;
    m->loc = loc;
    if (d->nmembers == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->members = xrealloc(d->members, d->cap * sizeof *d->members);
    }
    d->members[d->nmembers++] = m;
    return m;
}

static Dim *new_dim(R *r, const char *name)
{
    Dim *d = arena_alloc(&r->s->arena, sizeof *d);
    d->name = name;
    Symbols *s = r->s;
    s->dims = xrealloc(s->dims, (size_t)(s->ndims + 1) * sizeof *s->dims);
    s->dims[s->ndims++] = d;
    return d;
}

static void build_time(R *r)
{
    Symbols *s = r->s;
    Dim *t = new_dim(r, "time");
    t->is_time = true;
    s->time = t;
    static const char *const lv[] = {"year", "half", "quarter", "month"};
    t->nlevels = 4;
    t->levels = arena_alloc(&s->arena, 4 * sizeof *t->levels);
    for (int i = 0; i < 4; i++) {
        t->levels[i] = (Level){lv[i], t, i, {0}};
        strmap_put(&s->levels, lv[i], &t->levels[i]);
    }
    Loc none = {0};
    Member *fy = new_member(r, t, arena_printf(&s->arena, "FY%d", s->year), 0, NULL, none);
    strmap_put(&t->by_name, fy->name, fy);
    for (int h = 0; h < 2; h++) {
        Member *hm = new_member(r, t, h ? "H2" : "H1", 1, fy, none);
        hm->index = h;
        strmap_put(&t->by_name, hm->name, hm);
        for (int q = h * 2; q < h * 2 + 2; q++) {
            Member *qm = new_member(r, t, arena_printf(&s->arena, "Q%d", q + 1), 2, hm, none);
            qm->index = q;
            strmap_put(&t->by_name, qm->name, qm);
            for (int k = q * 3; k < q * 3 + 3; k++) {
                int cal = (s->start_month - 1 + k) % 12 + 1;
                int year = s->year + (s->start_month - 1 + k) / 12;
                Member *mm = new_member(r, t, arena_printf(&s->arena, "%04d-%02d", year, cal), 3,
                                        qm, none);
                mm->alias = month_names[cal - 1];
                mm->index = k;
                strmap_put(&t->by_name, mm->name, mm);
                strmap_put(&t->by_name, mm->alias, mm);
            }
        }
    }
}

/* ---- dimensions ----------------------------------------------------------------- */

static void add_attr(R *r, Member *m, const char *name, Node *value, const char *text, Loc loc)
{
    for (int i = 0; i < m->nattrs; i++)
        if (strcmp(m->attrs[i].name, name) == 0) {
            diag_error(r->d, loc, "duplicate attribute '%s' of '%s'", name, m->name);
            diag_note(r->d, m->attrs[i].loc, "first set here");
            return;
        }
    Attr *a = arena_alloc(&r->s->arena, (size_t)(m->nattrs + 1) * sizeof *a);
    if (m->nattrs)
        memcpy(a, m->attrs, (size_t)m->nattrs * sizeof *a);
    a[m->nattrs] = (Attr){name, value, text, loc};
    m->attrs = a;
    m->nattrs++;
    if (!strmap_get(&m->dim->attr_names, name))
        strmap_put(&m->dim->attr_names, name, &m->attrs[m->nattrs - 1]);
    if (strcmp(name, "start") == 0 || strcmp(name, "end") == 0) {
        if (value && value->kind != N_MONTH)
            diag_error(r->d, value->loc, "'%s' must be a month such as 2027-05", name);
    }
}

static Member *add_member(R *r, Dim *d, const char *name, int depth, Member *parent, Loc loc)
{
    Member *prev = strmap_get(&d->by_name, name);
    if (prev) {
        diag_error(r->d, loc, "duplicate member '%s' in dimension '%s'", name, d->name);
        if (prev->loc.src)
            diag_note(r->d, prev->loc, "first declared here");
        return NULL;
    }
    Member *m = new_member(r, d, name, depth, parent, loc);
    strmap_put(&d->by_name, name, m);
    return m;
}

static void inline_members(R *r, Dim *d, Node *list, int depth, Member *parent)
{
    for (Node *n = list; n; n = n->next) {
        if (n->kind == N_ATTR) {
            if (parent)
                add_attr(r, parent, n->name, n->a, NULL, n->name_loc);
            continue;
        }
        if (depth >= d->nlevels) {
            diag_error(r->d, n->name_loc, "'%s' is nested below the last level '%s' of '%s'",
                       n->name, d->levels[d->nlevels - 1].name, d->name);
            continue;
        }
        Member *m = add_member(r, d, n->name, depth, parent, n->name_loc);
        if (!m)
            continue;
        m->label = n->str;
        bool has_child = false;
        for (Node *c = n->a; c; c = c->next)
            if (c->kind == N_MEMBER)
                has_child = true;
        if (!has_child && depth < d->nlevels - 1) {
            diag_error(r->d, n->name_loc, "'%s' is a leaf at level '%s', but leaves of '%s' must be "
                                          "at level '%s'", n->name, d->levels[depth].name, d->name,
                       d->levels[d->nlevels - 1].name);
            diag_note_plain(r->d, "give '%s' members of level '%s'", n->name,
                            d->levels[depth + 1].name);
        }
        inline_members(r, d, n->a, depth + 1, m);
    }
}

static const char *mapped_column(Node *mapping, const char *target)
{
    for (Node *m = mapping; m; m = m->next)
        if (m->name && strcmp(m->name, target) == 0 && m->a)
            return m->a->kind == N_STR ? m->a->str : m->a->name;
    return target;
}

static void csv_members(R *r, Dim *d, Node *decl)
{
    Node *pathn = decl->c;
    char *path = prog_data_path(r->p, pathn);
    if (!path)
        return;
    char *err = NULL;
    CsvReader *cr = csv_open(path, &err);
    if (!cr) {
        diag_error(r->d, pathn->loc, "%s", err);
        r->p->data_error = true;
        free(err);
        free(path);
        return;
    }
    CsvRow row;
    int col_of_level[64];
    int nattr_cols = 0;
    int *attr_cols = NULL;
    char **header = NULL;
    size_t ncols = 0;
    int rc = csv_next(cr, &row);
    if (rc == 1) {
        ncols = row.nfields;
        header = xcalloc(ncols, sizeof *header);
        for (size_t i = 0; i < ncols; i++)
            header[i] = arena_strdup(&r->s->arena, row.fields[i]);
        attr_cols = xcalloc(ncols, sizeof *attr_cols);
        for (int l = 0; l < d->nlevels && l < 64; l++) {
            const char *want = mapped_column(decl->d, d->levels[l].name);
            col_of_level[l] = -1;
            for (size_t i = 0; i < ncols; i++)
                if (strcmp(header[i], want) == 0)
                    col_of_level[l] = (int)i;
            if (col_of_level[l] < 0) {
                diag_error(r->d, pathn->loc, "%s: no column '%s' for level '%s'", pathn->str, want,
                           d->levels[l].name);
                diag_note_plain(r->d, "the header has: %s%s", ncols ? header[0] : "",
                                ncols > 1 ? ", ..." : "");
                r->p->data_error = true;
                goto done;
            }
        }
        for (size_t i = 0; i < ncols; i++) {
            bool is_level = false;
            for (int l = 0; l < d->nlevels; l++)
                if (col_of_level[l] == (int)i)
                    is_level = true;
            if (!is_level)
                attr_cols[nattr_cols++] = (int)i;
        }
    }
    while (rc == 1 && (rc = csv_next(cr, &row)) == 1) {
        if (row.nfields == 1 && row.lens[0] == 0)
            continue;
        Loc at = {pathn->loc.src, pathn->loc.line, pathn->loc.col, pathn->loc.end_line,
                  pathn->loc.end_col};
        if (row.nfields != ncols) {
            diag_error(r->d, at, "%s:%ld: %zu fields, but the header has %zu", pathn->str, row.line,
                       row.nfields, ncols);
            r->p->data_error = true;
            break;
        }
        Member *parent = NULL;
        for (int l = 0; l < d->nlevels; l++) {
            const char *name = row.fields[col_of_level[l]];
            if (!*name) {
                diag_error(r->d, at, "%s:%ld: empty '%s'", pathn->str, row.line, d->levels[l].name);
                r->p->data_error = true;
                goto done;
            }
            Member *m = strmap_get(&d->by_name, name);
            if (m && m->parent != parent) {
                diag_error(r->d, at, "%s:%ld: '%s' appears under '%s' and under '%s'", pathn->str,
                           row.line, name, m->parent ? m->parent->name : d->name,
                           parent ? parent->name : d->name);
                r->p->data_error = true;
                goto done;
            }
            if (m && l == d->nlevels - 1) {
                diag_error(r->d, at, "%s:%ld: duplicate %s '%s'", pathn->str, row.line,
                           d->levels[l].name, name);
                r->p->data_error = true;
                goto done;
            }
            if (!m) {
                m = new_member(r, d, arena_strdup(&r->s->arena, name), l, parent, at);
                strmap_put(&d->by_name, m->name, m);
            }
            parent = m;
        }
        for (int i = 0; i < nattr_cols; i++) {
            int c = attr_cols[i];
            add_attr(r, parent, header[c], NULL, arena_strdup(&r->s->arena, row.fields[c]), at);
        }
    }
    if (rc < 0) {
        long line, col;
        const char *msg = csv_error(cr, &line, &col);
        diag_error(r->d, pathn->loc, "%s:%ld:%ld: %s", pathn->str, line, col, msg);
        r->p->data_error = true;
    }
done:
    free(header);
    free(attr_cols);
    csv_close(cr);
    free(path);
}

static void build_dim(R *r, Node *n)
{
    Symbols *s = r->s;
    for (int i = 0; i < s->ndims; i++)
        if (strcmp(s->dims[i]->name, n->name) == 0) {
            diag_error(r->d, n->name_loc, "duplicate dimension '%s'", n->name);
            if (s->dims[i]->decl)
                diag_note(r->d, s->dims[i]->decl->name_loc, "first declared here");
            else
                diag_note_plain(r->d, "'time' is the built-in calendar");
            return;
        }
    Dim *d = new_dim(r, n->name);
    d->decl = n;
    d->label = n->str;
    int nl = (int)ast_list_len(n->a);
    d->nlevels = nl ? nl : 1;
    d->levels = arena_alloc(&s->arena, (size_t)d->nlevels * sizeof *d->levels);
    if (!nl) {
        d->levels[0] = (Level){n->name, d, 0, n->name_loc};
    } else {
        int i = 0;
        for (Node *l = n->a; l; l = l->next, i++)
            d->levels[i] = (Level){l->name, d, i, l->name_loc};
    }
    for (int i = 0; i < d->nlevels; i++) {
        Level *prev = strmap_get(&s->levels, d->levels[i].name);
        if (prev) {
            diag_error(r->d, d->levels[i].loc, "level '%s' is already a level of '%s'",
                       d->levels[i].name, prev->dim->name);
            if (prev->loc.src)
                diag_note(r->d, prev->loc, "declared here");
            else
                diag_note_plain(r->d, "year, half, quarter and month are the calendar's levels");
            continue;
        }
        strmap_put(&s->levels, d->levels[i].name, &d->levels[i]);
    }
    if (n->c)
        csv_members(r, d, n);
    else
        inline_members(r, d, n->b, 0, NULL);
    if (d->nmembers == 0 && !n->c)
        diag_warning(r->d, n->name_loc, "dimension '%s' has no members", n->name);
}

static void index_members(R *r)
{
    Symbols *s = r->s;
    for (int i = 0; i < s->ndims; i++) {
        Dim *d = s->dims[i];
        int counts[64] = {0};
        for (size_t k = 0; k < d->nmembers; k++) {
            Member *m = d->members[k];
            if (!d->is_time && m->depth < 64)
                m->index = counts[m->depth]++;
            const char *names[2] = {m->name, m->alias};
            for (int j = 0; j < 2; j++) {
                if (!names[j])
                    continue;
                Member *prev = strmap_get(&s->members, names[j]);
                strmap_put(&s->members, names[j], prev && prev != m ? &member_ambiguous : m);
            }
        }
    }
}

/* ---- cycles ---------------------------------------------------------------------- */

static void graph_add(R *r, StrMap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i] && !strmap_get(&r->graph, m->keys[i])) {
            GNode *g = arena_alloc(&r->s->arena, sizeof *g);
            g->decl = m->vals[i];
            strmap_put(&r->graph, m->keys[i], g);
        }
}

static Node *definition(R *r, Node *decl)
{
    if (decl->kind == N_LET)
        return decl->a;
    if (decl->kind == N_FN)
        return decl->b;
    if (decl->kind == N_METRIC) {
        Node *t = strmap_get(&r->s->targets, decl->name);
        return decl->op == MK_DERIVED && !t ? decl->c : t ? t->a : NULL;
    }
    return NULL;
}

typedef struct {
    GNode **v;
    int n, cap;
} GStack;

static void gpush(GStack *s, GNode *g)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->v = xrealloc(s->v, (size_t)s->cap * sizeof *s->v);
    }
    s->v[s->n++] = g;
}

typedef struct {
    R *r;
    GStack *succ;
} RefCtx;

static void collect_ref(void *arg, Node *ref)
{
    RefCtx *c = arg;
    GNode *g = strmap_get(&c->r->graph, ref->name);
    if (g && (ref->kind == N_CALL) == (g->decl->kind == N_FN))
        gpush(c->succ, g);
}

static void report_cycle(R *r, GStack *path, GNode *again)
{
    int from = path->n - 1;
    while (from > 0 && path->v[from] != again)
        from--;
    Buf b = {0};
    for (int i = from; i < path->n; i++)
        buf_printf(&b, "%s -> ", path->v[i]->decl->name);
    buf_puts(&b, again->decl->name);
    Node *d = again->decl;
    const char *what = d->kind == N_LET ? "let" : d->kind == N_FN ? "function" : "metric";
    diag_error(r->d, d->name_loc, "%s '%s' is defined in terms of itself", what, d->name);
    diag_note_plain(r->d, "the cycle: %s", buf_cstr(&b));
    buf_free(&b);
}

/* Iterative depth-first search (plans may chain 100,000 lets); computes
 * the constant value of each let in post-order.  Frame i of the path owns
 * successors succ[start[i] .. end[i]), of which pos[i] is the next. */
typedef struct {
    GStack path, succ;
    int *start, *pos, *end;
    int cap;
} Dfs;

static void enter(R *r, Dfs *f, GNode *g)
{
    if (f->path.n >= f->cap) {
        f->cap = f->cap ? f->cap * 2 : 64;
        f->start = xrealloc(f->start, (size_t)f->cap * sizeof *f->start);
        f->pos = xrealloc(f->pos, (size_t)f->cap * sizeof *f->pos);
        f->end = xrealloc(f->end, (size_t)f->cap * sizeof *f->end);
    }
    int i = f->path.n;
    g->color = 1;
    gpush(&f->path, g);
    f->start[i] = f->pos[i] = f->succ.n;
    RefCtx c = {r, &f->succ};
    rx_refs(definition(r, g->decl), g->decl->kind == N_FN ? g->decl->a : NULL, collect_ref, &c);
    f->end[i] = f->succ.n;
}

static void visit(R *r, GNode *root)
{
    Dfs f = {0};
    enter(r, &f, root);
    while (f.path.n > 0) {
        int top = f.path.n - 1;
        if (f.pos[top] < f.end[top]) {
            GNode *s = f.succ.v[f.pos[top]++];
            if (s->color == 1)
                report_cycle(r, &f.path, s);
            else if (s->color == 0)
                enter(r, &f, s);
            continue;
        }
        GNode *g = f.path.v[top];
        g->color = 2;
        g->cstate = 2;
        if (g->decl->kind == N_LET && rx_const(r, g->decl->a, &g->value) == 1)
            g->cstate = 1;
        f.succ.n = f.start[top];
        f.path.n--;
    }
    free(f.path.v);
    free(f.succ.v);
    free(f.start);
    free(f.pos);
    free(f.end);
}

static void check_cycles(R *r)
{
    graph_add(r, &r->s->lets);
    graph_add(r, &r->s->fns);
    graph_add(r, &r->s->metrics);
    /* in declaration order, for deterministic messages */
    for (Unit *u = r->p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next)
            if (n->kind == N_LET || n->kind == N_FN || n->kind == N_METRIC) {
                GNode *g = strmap_get(&r->graph, n->name);
                if (g && g->decl == n && g->color == 0)
                    visit(r, g);
            }
}

/* ---- splits ----------------------------------------------------------------------- */

static bool additive(const Node *metric)
{
    Kind k = kind_of_metric(metric);
    return k != K_PERCENT && k != K_SCORE;
}

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
    if (kind_of_metric(metric) == K_COUNT) {
        int dec = num_decimals(v);
        return num_fmt(v, dec > 4 ? 4 : dec, true, buf);
    }
    return fmt_money(r, v, buf);
}

static char *fmt_pct(Num share, char *buf)
{
    Num h;
    if (num_mul(share, num_from_int(100), &h) != NUM_OK)
        h = share;
    num_str(h, buf);
    strcat(buf, "%");
    return buf;
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

typedef struct {
    Node *node;
    Node *metric;
    Level *level;
    Member *scope[16];
    int nscope;
    int nscope_same; /* scope members in the split's own dimension */
    bool ok;        /* resolved well enough to check further */
} Split;

static Split *splits_info; /* parallel to r->s->splits during resolve */

static Split *split_at(R *r, const Node *metric, const Level *lv, const Member *scope1)
{
    Split *best = NULL;
    for (int i = 0; i < r->s->nsplits; i++) {
        Split *s = &splits_info[i];
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

/* The parent value of sp for the cell under `parent` (NULL = root). */
static bool parent_value(R *r, const Split *sp, const Member *parent, Num *out, int depth)
{
    if (parent)
        return cell_value(r, sp->metric, parent, out, depth + 1);
    return root_parented(r, sp) && metric_root(r, sp->metric, out);
}

static bool entry_share(R *r, Node *value)
{
    Scope sc = {SC_METRICS, 0, 0, 0, 0, 0};
    Diags quiet = {0}, *saved = r->d;
    r->d = &quiet;
    Kind k = rx_check(r, &sc, value);
    r->d = saved;
    diag_free(&quiet);
    return k == K_PERCENT;
}

/* Value of one child under a constant parent, from a map, equal or weights split. */
static bool child_value(R *r, Split *sp, const Member *m, Num parent, Num *out)
{
    Node *spec = sp->node->c;
    Num sum = NUM_ZERO, v;
    if (spec->kind == N_SPEC_EQUAL || spec->kind == N_SPEC_WEIGHTS) {
        Num w = NUM_ZERO;
        int n = 0;
        Dim *d = sp->level->dim;
        for (size_t i = 0; i < d->nmembers; i++) {
            Member *c = d->members[i];
            if (c->depth != sp->level->depth || c->parent != m->parent)
                continue;
            Num cw = num_from_int(1);
            if (spec->kind == N_SPEC_WEIGHTS) {
                cw = NUM_ZERO;
                for (Node *e = spec->a; e; e = e->next)
                    if (lookup_member(r, e->a, false) == c && rx_const(r, e->b, &cw) != 1)
                        return false;
            }
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
    if (spec->kind != N_SPEC_MAP)
        return false;
    Node *mine = NULL;
    for (Node *e = spec->a; e; e = e->next) {
        if (lookup_member(r, e->a, false) == m) {
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
    if (!parent_value(r, sp, scoped ? m->parent : NULL, &parent, depth))
        return false;
    return child_value(r, sp, m, parent, out);
}

static void check_keys(R *r, Split *sp, Node *spec, bool weights)
{
    StrMap seen = {0};
    Node *rest = NULL;
    Level *lv = sp->level;
    for (Node *e = spec->a; e; e = e->next) {
        Member *m = lookup_member(r, e->a, true);
        if (e->b->kind == N_REST) {
            if (weights || !additive(sp->metric))
                diag_error(r->d, e->b->loc, "'rest' is only for amounts and shares of money and "
                                            "count metrics");
            else if (rest) {
                diag_error(r->d, e->b->loc, "'rest' is given twice");
                diag_note(r->d, rest->loc, "first 'rest' here; only one member can take the rest");
            }
            rest = e->b;
        } else {
            Scope sc = {SC_METRICS, 0, 0, 0, 0, 0};
            Kind k = rx_check(r, &sc, e->b);
            Num w;
            if (weights && rx_const(r, e->b, &w) == 1 && num_sign(w) < 0) {
                char b[NUM_BUFSZ];
                diag_error(r->d, e->b->loc, "negative weight %s for '%s'", num_str(w, b),
                           m ? m->name : "?");
            }
            if (!additive(sp->metric) && (k == K_MONEY || k == K_COUNT))
                diag_error(r->d, e->b->loc, "%s is a %s metric: give each member a %s value",
                           sp->metric->name, kind_name(kind_of_metric(sp->metric)),
                           kind_name(kind_of_metric(sp->metric)));
        }
        if (!m)
            continue;
        if (m->dim != lv->dim || m->depth != lv->depth) {
            diag_error(r->d, e->a->loc, "'%s' is a %s, not a %s", m->name,
                       m->dim->levels[m->depth].name, lv->name);
            continue;
        }
        if (sp->nscope_same) {
            Member *same[16];
            int n = 0;
            for (int i = 0; i < sp->nscope; i++)
                if (sp->scope[i]->dim == lv->dim)
                    same[n++] = sp->scope[i];
            if (!under(m, same, n)) {
                diag_error(r->d, e->a->loc, "'%s' is not a %s of %s", m->name, lv->name,
                           same[0]->name);
                continue;
            }
        }
        Node *prev = strmap_get(&seen, m->name);
        if (prev) {
            diag_error(r->d, e->a->loc, "'%s' is given twice", m->name);
            diag_note(r->d, prev->loc, "first given here");
        } else {
            strmap_put(&seen, m->name, e->a);
        }
    }
    strmap_free(&seen);
}

/* Members of sp's level that the split covers (under its scope). */
static bool covered(const Split *sp, const Member *m)
{
    if (m->depth != sp->level->depth)
        return false;
    Member *same[16];
    int n = 0;
    for (int i = 0; i < sp->nscope; i++)
        if (sp->scope[i]->dim == sp->level->dim)
            same[n++] = sp->scope[i];
    return n == 0 || under(m, same, n);
}

static void check_missing(R *r, Split *sp, Node *spec)
{
    for (Node *e = spec->a; e; e = e->next)
        if (e->b->kind == N_REST)
            return;
    Dim *d = sp->level->dim;
    Buf missing = {0};
    int n = 0;
    for (size_t i = 0; i < d->nmembers; i++) {
        Member *m = d->members[i];
        if (!covered(sp, m))
            continue;
        bool found = false;
        for (Node *e = spec->a; e && !found; e = e->next)
            found = lookup_member(r, e->a, false) == m;
        if (!found) {
            if (n < 5)
                buf_printf(&missing, "%s'%s'", n ? ", " : "", m->name);
            n++;
        }
    }
    if (n) {
        diag_error(r->d, spec->loc, "no value for %s%s", buf_cstr(&missing),
                   n > 5 ? arena_printf(&r->s->arena, " and %d more", n - 5) : "");
        diag_note_plain(r->d, "give every %s a value, or give one of them 'rest'", sp->level->name);
    }
    buf_free(&missing);
}

/* Amounts and shares against a parent known from constants. */
static void check_sums(R *r, Split *sp, Node *spec, const Member *parent)
{
    Num pv;
    if (!parent_value(r, sp, parent, &pv, 0))
        return;
    Num amounts = NUM_ZERO, shares = NUM_ZERO, v;
    Node *rest = NULL;
    bool any_share = false;
    for (Node *e = spec->a; e; e = e->next) {
        if (e->b->kind == N_REST) {
            rest = e->b;
            continue;
        }
        if (parent) {
            Member *m = lookup_member(r, e->a, false);
            if (!m || !under(m, (Member **)&parent, 1))
                continue;
        }
        if (rx_const(r, e->b, &v) != 1)
            return;
        bool share = entry_share(r, e->b);
        any_share |= share;
        if (num_add(share ? shares : amounts, v, share ? &shares : &amounts) != NUM_OK)
            return;
    }
    char b1[NUM_BUFSZ], b2[NUM_BUFSZ], b3[NUM_BUFSZ];
    if (num_cmp(shares, NUM_ONE) > 0) {
        diag_error(r->d, spec->loc, "shares sum to %s, over 100%%", fmt_pct(shares, b1));
        return;
    }
    Num total, part;
    if (num_mul(pv, shares, &part) != NUM_OK || num_add(amounts, part, &total) != NUM_OK)
        return;
    const char *children = plural(r, sp->level->name);
    const char *whole = parent ? arena_printf(&r->s->arena, "%s[%s]", sp->metric->name, parent->name)
                               : sp->metric->name;
    const char *of = parent ? arena_printf(&r->s->arena, "%s of %s", children, parent->name) : children;
    Num diff;
    num_sub(pv, total, &diff);
    if (rest) {
        if (num_sign(diff) < 0) {
            diag_error(r->d, rest->loc, "'rest' would be %s: the other %s already take %s of %s's %s",
                       fmt_value(r, sp->metric, diff, b1), of, fmt_value(r, sp->metric, total, b2),
                       whole, fmt_value(r, sp->metric, pv, b3));
            diag_note_plain(r->d, "lower the other amounts or shares");
        }
        return;
    }
    if (num_is_zero(diff))
        return;
    if (any_share && num_is_zero(amounts))
        diag_error(r->d, spec->loc, "shares of %s sum to %s, not 100%%", of, fmt_pct(shares, b1));
    else
        diag_error(r->d, spec->loc, "%s sum to %s but %s is %s (%s by %s)", of,
                   fmt_value(r, sp->metric, total, b1), whole, fmt_value(r, sp->metric, pv, b2),
                   num_sign(diff) > 0 ? "short" : "over", fmt_value(r, sp->metric, num_abs(diff), b3));
    diag_note_plain(r->d, "give one %s 'rest', or correct the %s", sp->level->name,
                    any_share ? "shares" : "amounts");
}

static void check_adjust(R *r, Split *sp)
{
    Node *adj = sp->node->d;
    if (!adj)
        return;
    const char *what = adj->op == OVERASSIGN ? "overassign" : "reserve";
    if (!additive(sp->metric)) {
        diag_error(r->d, adj->loc, "'%s' is only for money and count metrics", what);
        return;
    }
    Num v;
    Scope sc = {0, 0, 0, 0, 0, 0};
    rx_check(r, &sc, adj->a);
    if (rx_const(r, adj->a, &v) == 1 &&
        (num_sign(v) <= 0 || (adj->op == RESERVE && num_cmp(v, NUM_ONE) >= 0))) {
        char b[NUM_BUFSZ];
        diag_error(r->d, adj->a->loc, "'%s %s' is out of range (more than 0%%%s)", what,
                   fmt_pct(v, b), adj->op == RESERVE ? ", less than 100%" : "");
    }
}

static void check_spec(R *r, Split *sp)
{
    Node *spec = sp->node->c;
    bool add = additive(sp->metric);
    const char *kindn = kind_name(kind_of_metric(sp->metric));
    switch (spec->kind) {
    case N_SPEC_MAP:
        check_keys(r, sp, spec, false);
        if (add) {
            check_missing(r, sp, spec);
            if (sp->nscope_same == 0)
                check_sums(r, sp, spec, NULL);
            for (int i = 0; i < sp->nscope; i++)
                if (sp->scope[i]->dim == sp->level->dim)
                    check_sums(r, sp, spec, sp->scope[i]);
        }
        break;
    case N_SPEC_WEIGHTS: {
        if (!add)
            diag_error(r->d, spec->loc, "%s is a %s metric: weights do not apply; give values",
                       sp->metric->name, kindn);
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
        break;
    }
    case N_SPEC_PROP: {
        if (!add)
            diag_error(r->d, spec->loc, "%s is a %s metric: 'proportional to' does not apply",
                       sp->metric->name, kindn);
        Scope sc = {SC_ATTRS, 0, sp->level->dim, 0, 0, true};
        Kind k = rx_check(r, &sc, spec->a);
        if (k == K_BOOL || k == K_STR)
            diag_error(r->d, spec->a->loc, "'proportional to' needs a number, got %s", kind_name(k));
        break;
    }
    case N_SPEC_EQUAL:
        if (!add)
            diag_error(r->d, spec->loc, "%s is a %s metric: 'equally' does not apply",
                       sp->metric->name, kindn);
        break;
    case N_SPEC_SEASON:
        if (!sp->level->dim->is_time || sp->level->depth == 0)
            diag_error(r->d, spec->loc, "seasonality splits time (half, quarter or month), not %s",
                       sp->level->name);
        if (!strmap_get(&r->s->histories, spec->name)) {
            diag_error(r->d, spec->name_loc, "unknown history '%s'", spec->name);
            note_did_you_mean(r, closest(&r->s->histories, spec->name));
        }
        break;
    case N_SPEC_LIKE:
        break;
    default:
        break;
    }
    check_adjust(r, sp);
}

static void check_like(R *r, Split *sp)
{
    Node *spec = sp->node->c;
    Node *other = strmap_get(&r->s->metrics, spec->name);
    if (!other) {
        diag_error(r->d, spec->name_loc, "unknown metric '%s'", spec->name);
        note_did_you_mean(r, closest(&r->s->metrics, spec->name));
        return;
    }
    if (other == sp->metric) {
        diag_error(r->d, spec->name_loc, "'%s' cannot be split like itself", spec->name);
        return;
    }
    bool found = false;
    for (int i = 0; i < r->s->nsplits; i++) {
        Split *o = &splits_info[i];
        if (o->ok && o->metric == other && (!sp->level || o->level == sp->level))
            found = true;
    }
    if (!found)
        diag_error(r->d, spec->name_loc, "'%s' has no split%s%s to copy", other->name,
                   sp->level ? " by " : "", sp->level ? sp->level->name : "");
}

static void resolve_split(R *r, Split *sp)
{
    Node *n = sp->node;
    sp->metric = strmap_get(&r->s->metrics, n->name);
    if (!sp->metric) {
        diag_error(r->d, n->name_loc, "unknown metric '%s'", n->name);
        note_did_you_mean(r, closest(&r->s->metrics, n->name));
    }
    if (n->a) {
        sp->level = strmap_get(&r->s->levels, n->a->name);
        if (!sp->level) {
            diag_error(r->d, n->a->loc, "unknown level '%s'", n->a->name);
            note_did_you_mean(r, closest(&r->s->levels, n->a->name));
        }
    }
    for (Node *s = n->b; s; s = s->next) {
        Member *m = lookup_member(r, s, true);
        if (!m || sp->nscope >= 16)
            continue;
        if (sp->level && m->dim == sp->level->dim) {
            if (m->depth >= sp->level->depth) {
                diag_error(r->d, s->loc, "'%s' is a %s, not above level '%s'", m->name,
                           m->dim->levels[m->depth].name, sp->level->name);
                diag_note_plain(r->d, "'in' names the cells being split: members of a level "
                                      "above '%s', or of another dimension", sp->level->name);
                continue;
            }
            sp->nscope_same++;
        }
        sp->scope[sp->nscope++] = m;
    }
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
    for (int i = 0; i < sp->nscope; i++)
        buf_printf(&b, "|%s", names[i]);
    const char *key = arena_strdup(&r->s->arena, buf_cstr(&b));
    buf_free(&b);
    return key;
}

static void check_splits(R *r)
{
    Symbols *s = r->s;
    splits_info = xcalloc((size_t)s->nsplits + 1, sizeof *splits_info);
    for (int i = 0; i < s->nsplits; i++) {
        splits_info[i].node = s->splits[i];
        resolve_split(r, &splits_info[i]);
    }
    StrMap seen = {0};
    for (int i = 0; i < s->nsplits; i++) {
        Split *sp = &splits_info[i];
        if (!sp->ok)
            continue;
        const char *key = split_key(r, sp);
        Node *prev = strmap_get(&seen, key);
        if (prev) {
            diag_error(r->d, sp->node->loc, "duplicate split of '%s' by %s%s", sp->metric->name,
                       sp->level ? sp->level->name : "everything",
                       sp->nscope ? " with the same scope" : "");
            diag_note(r->d, prev->loc, "first split here; a narrower 'in' scope would override it");
            continue;
        }
        strmap_put(&seen, key, sp->node);
        if (sp->node->c->kind == N_SPEC_LIKE)
            check_like(r, sp);
        if (sp->level)
            check_spec(r, sp);
    }
    strmap_free(&seen);
    free(splits_info);
    splits_info = NULL;
}

/* ---- other declarations ------------------------------------------------------------ */

static void check_metric(R *r, Node *n)
{
    if (n->op == MK_DERIVED) {
        Scope sc = {SC_METRICS, 0, 0, 0, 0, 0};
        Kind k = rx_check(r, &sc, n->c);
        if (k == K_BOOL || k == K_STR)
            diag_error(r->d, n->c->loc, "a derived metric must be a number, got %s", kind_name(k));
        return;
    }
    if (kind_of_metric(n) == K_ANY) {
        diag_error(r->d, n->a->loc, "unknown metric kind '%s'", n->a->name);
        StrMap m = {0};
        static const char *const kinds[] = {"money", "count", "percent", "score"};
        for (int i = 0; i < 4; i++)
            strmap_put(&m, kinds[i], (void *)kinds[i]);
        note_did_you_mean(r, closest(&m, n->a->name));
        strmap_free(&m);
        diag_note_plain(r->d, "a metric is money, count, percent or score, or '= EXPRESSION'");
    }
    if (n->b && strcmp(n->b->name, "lower_is_better") != 0)
        diag_error(r->d, n->b->loc, "unknown metric option '%s' (expected lower_is_better)",
                   n->b->name);
}

static void check_target(R *r, Node *n)
{
    Node *metric = strmap_get(&r->s->metrics, n->name);
    if (!metric) {
        diag_error(r->d, n->name_loc, "unknown metric '%s'", n->name);
        note_did_you_mean(r, closest(&r->s->metrics, n->name));
    }
    if (n->c) {
        char *path = prog_data_path(r->p, n->c);
        free(path);
        return;
    }
    Scope sc = {SC_METRICS, 0, 0, 0, 0, 0};
    Kind k = rx_check(r, &sc, n->a);
    Kind mk = metric ? kind_of_metric(metric) : K_ANY;
    if (k == K_BOOL || k == K_STR || k == K_MONTH)
        diag_error(r->d, n->a->loc, "a target must be a number, got %s", kind_name(k));
    else if (mk != K_ANY && k != K_ANY && k != K_NUM && k != mk &&
             !((mk == K_PERCENT || mk == K_SCORE) && (k == K_PERCENT || k == K_SCORE)) &&
             ((mk == K_MONEY && k == K_COUNT) || (mk == K_COUNT && k == K_MONEY)))
        diag_error(r->d, n->a->loc, "target of %s metric '%s' is %s", kind_name(mk), n->name,
                   kind_name(k));
}

static void check_incentive(R *r, Node *n)
{
    Level *lv = strmap_get(&r->s->levels, n->a->name);
    if (!lv) {
        diag_error(r->d, n->a->loc, "unknown level '%s'", n->a->name);
        note_did_you_mean(r, closest(&r->s->levels, n->a->name));
    }
    StrMap lines = {0};
    bool payout = false;
    for (Node *l = n->b; l; l = l->next) {
        Node *prev = strmap_get(&lines, l->name);
        if (prev) {
            duplicate(r, l, prev, "incentive line");
            continue;
        }
        strmap_put(&lines, l->name, l);
        payout |= strcmp(l->name, "payout") == 0;
        Scope sc = {SC_INCENTIVE | SC_ATTRS, 0, lv ? lv->dim : NULL, n->b, l, false};
        Kind k = rx_check(r, &sc, l->a);
        if (k == K_BOOL || k == K_STR || k == K_MONTH)
            diag_error(r->d, l->a->loc, "line '%s' must be a number, got %s", l->name, kind_name(k));
    }
    if (!payout) {
        diag_error(r->d, n->name_loc, "incentive '%s' has no 'payout' line", n->name);
        diag_note_plain(r->d, "the payout line is what is paid and what total() adds up");
    }
    strmap_free(&lines);
}

static void check_scorecard(R *r, Node *n)
{
    Level *lv = strmap_get(&r->s->levels, n->a->name);
    if (!lv) {
        diag_error(r->d, n->a->loc, "unknown level '%s'", n->a->name);
        note_did_you_mean(r, closest(&r->s->levels, n->a->name));
    }
    StrMap kpis = {0};
    Num sum = NUM_ZERO;
    bool all_const = true;
    int nkpi = 0;
    Node *rating = NULL;
    Scope sc = {0, 0, 0, 0, 0, 0};
    for (Node *k = n->b; k; k = k->next) {
        if (k->kind == N_RATING) {
            if (rating) {
                diag_error(r->d, k->loc, "scorecard '%s' has two ratings", n->name);
                diag_note(r->d, rating->loc, "first rating here");
            }
            rating = k;
            StrMap labels = {0};
            for (Node *e = k->a; e; e = e->next) {
                if (e->a->kind != N_NAME)
                    diag_error(r->d, e->a->loc, "a rating label is a name such as A or 优秀");
                else if (strmap_get(&labels, e->a->name))
                    diag_error(r->d, e->a->loc, "rating '%s' is given twice", e->a->name);
                else
                    strmap_put(&labels, e->a->name, e);
                rx_check(r, &sc, e->b);
            }
            strmap_free(&labels);
            continue;
        }
        nkpi++;
        Node *metric = strmap_get(&r->s->metrics, k->name);
        if (!metric) {
            diag_error(r->d, k->name_loc, "unknown metric '%s'", k->name);
            note_did_you_mean(r, closest(&r->s->metrics, k->name));
        } else if (strmap_get(&kpis, k->name)) {
            diag_error(r->d, k->name_loc, "kpi '%s' is given twice", k->name);
        }
        strmap_put(&kpis, k->name, k);
        rx_check(r, &sc, k->a);
        Num w;
        if (rx_const(r, k->a, &w) == 1) {
            if (num_sign(w) < 0)
                diag_error(r->d, k->a->loc, "negative kpi weight");
            num_add(sum, w, &sum);
        } else {
            all_const = false;
        }
        if (k->b)
            rx_check(r, &sc, k->b);
        if (k->c)
            rx_check(r, &sc, k->c);
    }
    strmap_free(&kpis);
    if (!nkpi)
        diag_error(r->d, n->name_loc, "scorecard '%s' has no kpi", n->name);
    else if (all_const && num_cmp(sum, NUM_ONE) != 0) {
        char b[NUM_BUFSZ];
        diag_error(r->d, n->name_loc, "kpi weights of '%s' sum to %s, not 100%%", n->name,
                   fmt_pct(sum, b));
        diag_note_plain(r->d, "weights are percents of the total score");
    }
}

static bool check_ref(R *r, StrMap *m, const char *what, const char *name, Loc loc)
{
    if (strmap_get(m, name))
        return true;
    diag_error(r->d, loc, "unknown %s '%s'", what, name);
    note_did_you_mean(r, closest(m, name));
    return false;
}

static void check_review(R *r, Node *n)
{
    static const char *const cadences[] = {"monthly", "quarterly", "half", "annual"};
    bool known = false;
    for (int i = 0; i < 4; i++)
        known |= strcmp(n->name, cadences[i]) == 0;
    if (!known) {
        diag_error(r->d, n->name_loc, "unknown review cadence '%s'", n->name);
        StrMap m = {0};
        for (int i = 0; i < 4; i++)
            strmap_put(&m, cadences[i], (void *)cadences[i]);
        note_did_you_mean(r, closest(&m, n->name));
        strmap_free(&m);
        diag_note_plain(r->d, "reviews are monthly, quarterly, half or annual");
    }
    Scope sc = {0, 0, 0, 0, 0, 0};
    for (Node *it = n->a; it; it = it->next) {
        switch (it->kind) {
        case N_STATUS: {
            check_ref(r, &r->s->metrics, "metric", it->name, it->name_loc);
            Num green = NUM_ZERO, amber = NUM_ZERO;
            bool hg = false, ha = false;
            for (Node *e = it->a; e; e = e->next) {
                const char *band = e->a->kind == N_NAME ? e->a->name : "";
                bool g = strcmp(band, "green") == 0, a = strcmp(band, "amber") == 0;
                if (!g && !a) {
                    diag_error(r->d, e->a->loc, "status bands are 'green' and 'amber'");
                    continue;
                }
                rx_check(r, &sc, e->b);
                Num v;
                if (rx_const(r, e->b, &v) == 1) {
                    *(g ? &green : &amber) = v;
                    *(g ? &hg : &ha) = true;
                }
            }
            if (hg && ha && num_cmp(amber, green) > 0) {
                char b1[NUM_BUFSZ], b2[NUM_BUFSZ];
                diag_error(r->d, it->loc, "amber (%s) is above green (%s)", fmt_pct(amber, b1),
                           fmt_pct(green, b2));
            }
            break;
        }
        case N_FLAG:
            rx_check(r, &sc, it->a);
            break;
        case N_REFORECAST:
            if (check_ref(r, &r->s->metrics, "metric", it->name, it->name_loc) &&
                !additive(strmap_get(&r->s->metrics, it->name)))
                diag_error(r->d, it->name_loc, "only money and count metrics can be reforecast");
            break;
        case N_USE_SCORECARD:
            check_ref(r, &r->s->scorecards, "scorecard", it->name, it->name_loc);
            break;
        case N_USE_INCENTIVE:
            check_ref(r, &r->s->incentives, "incentive", it->name, it->name_loc);
            break;
        case N_RANK:
            check_ref(r, &r->s->scorecards, "scorecard", it->name, it->name_loc);
            if (it->a)
                check_ref(r, &r->s->levels, "level", it->a->name, it->a->loc);
            if (it->b) {
                Num v;
                rx_check(r, &sc, it->b);
                if (rx_const(r, it->b, &v) == 1 &&
                    (num_sign(v) <= 0 || num_cmp(v, NUM_ONE) > 0))
                    diag_error(r->d, it->b->loc, "'bottom' must be a share above 0%% and at most 100%%");
            }
            break;
        default:
            break;
        }
    }
}

static void check_scenario(R *r, Node *n)
{
    Scope sc = {0, 0, 0, 0, 0, 0};
    bool per_metric = false;
    for (Node *it = n->a; it; it = it->next) {
        if (it->b) { /* attainment METRIC = P */
            if (strcmp(it->b->name, "attainment") != 0)
                diag_error(r->d, it->b->loc, "unknown scenario setting '%s' (expected attainment)",
                           it->b->name);
            per_metric = true;
        }
        if (!it->b && strcmp(it->name, "attainment") == 0 && !per_metric) {
            rx_check(r, &sc, it->a);
            continue;
        }
        if (!it->b && !per_metric) {
            diag_error(r->d, it->name_loc, "unknown scenario setting '%s'", it->name);
            diag_note_plain(r->d, "write 'attainment = 100%%' or 'attainment revenue = 110%%, ...'");
            continue;
        }
        check_ref(r, &r->s->metrics, "metric", it->name, it->name_loc);
        rx_check(r, &sc, it->a);
    }
}

static void check_example(R *r, Node *n)
{
    Node *inc = strmap_get(&r->s->incentives, n->name);
    if (!inc) {
        diag_error(r->d, n->name_loc, "unknown incentive '%s'", n->name);
        note_did_you_mean(r, closest(&r->s->incentives, n->name));
        return;
    }
    Level *lv = strmap_get(&r->s->levels, inc->a->name);
    Scope sc = {SC_FIELDS | SC_METRICS, 0, 0, 0, 0, 0};
    for (Node *g = n->a; g; g = g->next) {
        Node *lhs = g->a;
        if (lhs->kind == N_NAME) {
            bool attr = lv && strmap_get(&lv->dim->attr_names, lhs->name);
            if (!attr) {
                diag_error(r->d, lhs->loc, "'%s' is not an attribute of a %s", lhs->name,
                           lv ? lv->name : "member");
                if (lv)
                    note_did_you_mean(r, closest(&lv->dim->attr_names, lhs->name));
            }
        } else {
            rx_check(r, &sc, lhs);
        }
        rx_check(r, &sc, g->b);
    }
    StrMap lines = {0};
    for (Node *l = inc->b; l; l = l->next)
        strmap_put(&lines, l->name, l);
    for (Node *e = n->b; e; e = e->next) {
        if (!strmap_get(&lines, e->name)) {
            diag_error(r->d, e->name_loc, "incentive '%s' has no line '%s'", inc->name, e->name);
            note_did_you_mean(r, closest(&lines, e->name));
        }
        rx_check(r, &sc, e->a);
    }
    strmap_free(&lines);
}

static void check_show(R *r, Node *n)
{
    switch (n->op) {
    case SHOW_METRIC: {
        if (!check_ref(r, &r->s->metrics, "metric", n->name, n->name_loc))
            return;
        Dim *dims[16];
        int nd = 0;
        for (Node *l = n->a; l; l = l->next) {
            Level *lv = strmap_get(&r->s->levels, l->name);
            if (!lv) {
                diag_error(r->d, l->loc, "unknown level '%s'", l->name);
                note_did_you_mean(r, closest(&r->s->levels, l->name));
                continue;
            }
            for (int i = 0; i < nd; i++)
                if (dims[i] == lv->dim)
                    diag_error(r->d, l->loc, "'%s' and another level of '%s' in one table",
                               l->name, lv->dim->name);
            if (nd < 16)
                dims[nd++] = lv->dim;
        }
        if (nd > 2)
            diag_error(r->d, n->loc, "a table shows at most two levels (rows, columns)");
        break;
    }
    case SHOW_SCORECARD:
        check_ref(r, &r->s->scorecards, "scorecard", n->name, n->name_loc);
        break;
    case SHOW_INCENTIVE:
        check_ref(r, &r->s->incentives, "incentive", n->name, n->name_loc);
        break;
    default:
        check_ref(r, &r->s->reviews, "review", n->name, n->name_loc);
        break;
    }
}

static void check_item(R *r, Node *n)
{
    Scope plan = {SC_METRICS, 0, 0, 0, 0, 0};
    switch (n->kind) {
    case N_METRIC: check_metric(r, n); break;
    case N_LET: rx_check(r, &plan, n->a); break;
    case N_FN: {
        StrMap params = {0};
        for (Node *p = n->a; p; p = p->next) {
            if (strmap_get(&params, p->name))
                diag_error(r->d, p->loc, "parameter '%s' is given twice", p->name);
            strmap_put(&params, p->name, p);
        }
        strmap_free(&params);
        Scope sc = {SC_METRICS | SC_FIELDS | SC_INCENTIVE, n->a, 0, 0, 0, 0};
        rx_check(r, &sc, n->b);
        break;
    }
    case N_TARGET: check_target(r, n); break;
    case N_HISTORY:
    case N_ACTUALS: free(prog_data_path(r->p, n->c)); break;
    case N_INCENTIVE: check_incentive(r, n); break;
    case N_SCORECARD: check_scorecard(r, n); break;
    case N_REVIEW: check_review(r, n); break;
    case N_SCENARIO: check_scenario(r, n); break;
    case N_EXAMPLE: check_example(r, n); break;
    case N_ASSERT: {
        if (n->name)
            check_ref(r, &r->s->scenarios, "scenario", n->name, n->name_loc);
        Scope sc = {SC_METRICS | SC_FIELDS, 0, 0, 0, 0, 0};
        Kind k = rx_check(r, &sc, n->a);
        if (k != K_BOOL && k != K_ANY)
            diag_error(r->d, n->a->loc, "an assertion must be a comparison, got %s", kind_name(k));
        break;
    }
    case N_REPORT:
        for (Node *s = n->a; s; s = s->next)
            check_show(r, s);
        break;
    case N_SHOW: check_show(r, n); break;
    default: break;
    }
}

void resolve_program(Program *p)
{
    R r = {p, p->diags, xcalloc(1, sizeof(Symbols)), {0}};
    p->sym = r.s;
    for (Unit *u = p->units; u; u = u->next)
        collect(&r, u);
    check_header(&r);
    build_time(&r);
    for (Unit *u = p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next)
            if (n->kind == N_DIMENSION)
                build_dim(&r, n);
    index_members(&r);
    check_clashes(&r);
    check_cycles(&r);
    for (Unit *u = p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next)
            check_item(&r, n);
    check_splits(&r);
    strmap_free(&r.graph);
}

void resolve_free(Program *p)
{
    Symbols *s = p->sym;
    if (!s)
        return;
    for (int i = 0; i < s->ndims; i++) {
        free(s->dims[i]->members);
        strmap_free(&s->dims[i]->by_name);
        strmap_free(&s->dims[i]->attr_names);
    }
    free(s->dims);
    StrMap *maps[] = {&s->levels, &s->members, &s->metrics, &s->lets, &s->fns, &s->histories,
                      &s->incentives, &s->scorecards, &s->reviews, &s->scenarios, &s->targets,
                      &s->targets_from};
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++)
        strmap_free(maps[i]);
    free(s->splits);
    arena_free(&s->arena);
    free(s);
    p->sym = NULL;
}
