/* dimensions.c -- dimensions: their levels, inline member trees, roster
 * CSVs, attributes, the global member names and each member's active
 * months.  It builds the dimension tables; it never reads actuals or
 * evaluates an expression. */
#include <stdlib.h>
#include <string.h>

#include "data/csv.h"
#include "check/check_int.h"

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
    Member *m = rs_new_member(r, d, name, depth, parent, loc);
    strmap_put(&d->by_name, name, m);
    return m;
}

/* A member with no children must be at the last level. */
static void check_leaf(R *r, Dim *d, Node *n, int depth)
{
    for (Node *c = n->a; c; c = c->next)
        if (c->kind == N_MEMBER)
            return;
    if (depth >= d->nlevels - 1)
        return;
    diag_error(r->d, n->name_loc, "'%s' is a leaf at level '%s', but leaves of '%s' must be "
                                  "at level '%s'", n->name, d->levels[depth].name, d->name,
               d->levels[d->nlevels - 1].name);
    diag_note_plain(r->d, "give '%s' members of level '%s'", n->name, d->levels[depth + 1].name);
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
        check_leaf(r, d, n, depth);
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

/* The plan's name for a roster column: `{ base_salary = 底薪 }` maps the
 * column 底薪 to the attribute base_salary; other columns keep their name. */
static const char *attr_name(Node *mapping, const char *column)
{
    for (Node *m = mapping; m; m = m->next) {
        const char *col = m->a ? (m->a->kind == N_STR ? m->a->str : m->a->name) : NULL;
        if (m->name && col && strcmp(col, column) == 0)
            return m->name;
    }
    return column;
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
                m = rs_new_member(r, d, arena_strdup(&r->s->arena, name), l, parent, at);
                strmap_put(&d->by_name, m->name, m);
            }
            parent = m;
        }
        for (int i = 0; i < nattr_cols; i++) {
            int c = attr_cols[i];
            add_attr(r, parent, attr_name(decl->d, header[c]), NULL,
                     arena_strdup(&r->s->arena, row.fields[c]), at);
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

/* A second dimension of one name (time is built in). */
static bool dim_exists(R *r, Node *n)
{
    Symbols *s = r->s;
    for (int i = 0; i < s->ndims; i++)
        if (strcmp(s->dims[i]->name, n->name) == 0) {
            diag_error(r->d, n->name_loc, "duplicate dimension '%s'", n->name);
            if (s->dims[i]->decl)
                diag_note(r->d, s->dims[i]->decl->name_loc, "first declared here");
            else
                diag_note_plain(r->d, "'time' is the built-in calendar");
            return true;
        }
    return false;
}

/* The levels of d; without 'levels', one level named after the dimension. */
static void dim_levels(R *r, Dim *d, Node *n)
{
    int nl = (int)ast_list_len(n->a);
    d->nlevels = nl ? nl : 1;
    d->levels = arena_alloc(&r->s->arena, (size_t)d->nlevels * sizeof *d->levels);
    if (!nl) {
        d->levels[0] = (Level){n->name, d, 0, n->name_loc};
        return;
    }
    int i = 0;
    for (Node *l = n->a; l; l = l->next, i++)
        d->levels[i] = (Level){l->name, d, i, l->name_loc};
}

/* Level names are global: a split or incentive names a level alone. */
static void register_levels(R *r, Dim *d)
{
    for (int i = 0; i < d->nlevels; i++) {
        Level *prev = strmap_get(&r->s->levels, d->levels[i].name);
        if (!prev) {
            strmap_put(&r->s->levels, d->levels[i].name, &d->levels[i]);
            continue;
        }
        diag_error(r->d, d->levels[i].loc, "level '%s' is already a level of '%s'",
                   d->levels[i].name, prev->dim->name);
        if (prev->loc.src)
            diag_note(r->d, prev->loc, "declared here");
        else
            diag_note_plain(r->d, "year, half, quarter and month are the calendar's levels");
    }
}

void rs_build_dim(R *r, Node *n)
{
    if (dim_exists(r, n))
        return;
    Dim *d = rs_new_dim(r, n->name);
    d->decl = n;
    d->label = n->str;
    dim_levels(r, d, n);
    register_levels(r, d);
    if (n->c)
        csv_members(r, d, n);
    else
        inline_members(r, d, n->b, 0, NULL);
    if (d->nmembers == 0 && !n->c)
        diag_warning(r->d, n->name_loc, "dimension '%s' has no members", n->name);
}

void rs_index_members(R *r)
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


void rs_activity(Dim *d)
{
    for (size_t i = 0; i < d->nmembers; i++) { /* parents come before their children */
        Member *m = d->members[i];
        const Member *p = m->parent;
        m->active_from = p ? p->active_from : 0;
        m->active_to = p ? p->active_to : 0;
        for (int k = 0; k < m->nattrs; k++) {
            if (strcmp(m->attrs[k].name, "start") == 0)
                m->active_from = sym_attr_month(&m->attrs[k]);
            else if (strcmp(m->attrs[k].name, "end") == 0)
                m->active_to = sym_attr_month(&m->attrs[k]);
        }
    }
}
