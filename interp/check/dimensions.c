/* dimensions.c -- dimensions: levels, inline member trees, members from a
 * roster source (data/roster.h reads it; the members are made here),
 * attributes, the global member names and each member's active months.
 * It builds the dimension tables; it never reads actuals or evaluates an
 * expression. */
#include <stdlib.h>
#include <string.h>

#include "check/check_int.h"
#include "data/roster.h"

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
    rs_lookalike(r, m, NULL);
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
    diag_error(r->d, n->name_loc,
               "'%s' is a leaf at level '%s', but leaves of '%s' must be "
               "at level '%s'",
               n->name, d->levels[depth].name, d->name, d->levels[d->nlevels - 1].name);
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
        rs_reserved_name(r, m, NULL);
        check_leaf(r, d, n, depth);
        inline_members(r, d, n->a, depth + 1, m);
    }
}

/* roster_member of a name in NFC, checked. */
static Member *roster_find(R *r, RosterReader *rr, Dim *d, int l, const char *name, Member *parent,
                           Loc at)
{
    Member *m = strmap_get(&d->by_name, name);
    if (m && m->parent != parent) {
        roster_row_error(rr, "'%s' appears under '%s' and under '%s'", name,
                         m->parent ? m->parent->name : d->name, parent ? parent->name : d->name);
        return NULL;
    }
    if (m && l == d->nlevels - 1) {
        roster_row_error(rr, "duplicate %s '%s'", d->levels[l].name, name);
        return NULL;
    }
    if (!m) {
        m = rs_new_member(r, d, arena_strdup(&r->s->arena, name), l, parent, at);
        strmap_put(&d->by_name, m->name, m);
        if (!rs_lookalike(r, m, rr) || !rs_reserved_name(r, m, rr))
            return NULL;
    }
    return m;
}

static const char active_hint[] = "a member is active from its start month to its end month, "
                                  "both included (a child inherits its parent's)";

/* A roster row's `start` and `end` (columns col[0] and col[1], -1 when
 * there is none): each a month, as in the plan (empty: no limit), and the
 * end not before the start; else an error at the field (rs_activity
 * leaves a roster row's own dates to this). */
static void roster_months(R *r, RosterReader *rr, const Member *m, const int *col,
                          const char *const *text)
{
    static const char *const word[2] = {"start", "end"};
    int ym[2] = {0, 0};
    int first = col[1] >= 0 && (col[0] < 0 || col[1] < col[0]); /* in column order */
    for (int j = 0; j < 2; j++) {
        int k = j ? !first : first;
        const char *t = col[k] >= 0 ? text[col[k]] : "";
        if (*t && !(ym[k] = cal_parse_ym(t, strlen(t))))
            roster_attr_error(rr, col[k], "'%s' must be a month such as 2027-05, got '%s'", word[k],
                              t);
    }
    if (!ym[0] || !ym[1] || ym[0] <= ym[1])
        return;
    roster_attr_error(rr, col[1], "'%s' ends in %04d-%02d, before it starts in %04d-%02d", m->name,
                      ym[1] / 100, ym[1] % 100, ym[0] / 100, ym[0] % 100);
    diag_note_plain(r->d, "%s", active_hint);
}

/* One level value of a roster row: the member it names under parent, made
 * when new.  NULL after reporting. */
static Member *roster_member(R *r, RosterReader *rr, Dim *d, int l, const char *text,
                             Member *parent, Loc at)
{
    if (!*text) {
        roster_row_error(rr, "empty '%s'", d->levels[l].name);
        return NULL;
    }
    char *nfc;
    const char *name = rs_roster_name(r, rr, d->levels[l].name, text, &nfc);
    Member *m = name ? roster_find(r, rr, d, l, name, parent, at) : NULL;
    free(nfc);
    return m;
}

/* The members the previous row named above the last level, and their
 * texts.  A row under the same members as the row before (most rows of a
 * roster sorted by its levels) takes them over without normalising and
 * looking up their names again: roster_member would find the same members
 * and report nothing. */
typedef struct {
    Dim *d;
    char **text;     /* per level: the previous row's text, or NULL */
    Member **member; /* its member */
} RosterRun;

/* The member of level l a row names with text under parent (roster_member). */
static Member *level_member(R *r, RosterReader *rr, RosterRun *run, int l, const char *text,
                            Member *parent, Loc at)
{
    Dim *d = run->d;
    bool last = l == d->nlevels - 1; /* a leaf twice is an error: never taken over */
    if (!last && run->text[l] && run->member[l]->parent == parent &&
        strcmp(run->text[l], text) == 0)
        return run->member[l];
    Member *m = roster_member(r, rr, d, l, text, parent, at);
    if (!last) {
        free(run->text[l]);
        run->text[l] = m ? xstrdup(text) : NULL;
        run->member[l] = m;
    }
    return m;
}

/* The members of a dimension declared with a roster source (data/roster.h
 * reads it; the members and their attributes are made here). */
static void roster_members(R *r, Dim *d, Node *decl)
{
    RosterReader *rr = roster_open(r->p, decl, d);
    if (!rr)
        return;
    int nattrs;
    const char *const *names = roster_attr_names(rr, &nattrs);
    const char **attr = xcalloc((size_t)nattrs + 1, sizeof *attr);
    int months[2] = {-1, -1}; /* the start and end columns */
    for (int i = 0; i < nattrs; i++) {
        attr[i] = arena_strdup(&r->s->arena, names[i]);
        if (strcmp(attr[i], "start") == 0)
            months[0] = i;
        else if (strcmp(attr[i], "end") == 0)
            months[1] = i;
    }
    Loc at = decl->c->loc;
    RosterRow row;
    RosterRun run = {d, xcalloc((size_t)d->nlevels, sizeof(char *)),
                     xcalloc((size_t)d->nlevels, sizeof(Member *))};
    while (roster_next(rr, &row) == 1) {
        Member *m = NULL;
        for (int l = 0; l < d->nlevels; l++)
            if (!(m = level_member(r, rr, &run, l, row.level[l], m, at)))
                break;
        if (!m)
            break;
        roster_months(r, rr, m, months, row.attr);
        for (int i = 0; i < nattrs; i++)
            add_attr(r, m, attr[i], NULL, arena_strdup(&r->s->arena, row.attr[i]), at);
    }
    free(attr);
    for (int l = 0; l < d->nlevels; l++)
        free(run.text[l]);
    free(run.text);
    free(run.member);
    roster_close(rr);
}

/* A roster dimension's members: made from the image of the same roster
 * read before (roster_image.c), or read, and the image kept when the read
 * gave no diagnostic. */
static void roster_dim(R *r, Dim *d, Node *n)
{
    RosterKey k = {0};
    if (r->p->rosters && rs_roster_key(r, n, &k) < 0)
        return; /* the file cannot be opened: reported as the read would */
    if (k.text && rs_roster_made(r, &k, d, n->c->loc)) {
        rs_roster_key_free(&k);
        return;
    }
    size_t before = r->d->n;
    int errors = r->d->nerrors, warnings = r->d->nwarnings;
    roster_members(r, d, n);
    if (k.text && r->d->n == before && r->d->nerrors == errors && r->d->nwarnings == warnings)
        rs_roster_keep(r, &k, d);
    rs_roster_key_free(&k);
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
    rs_lookalikes_begin(r, d);
    if (n->c)
        roster_dim(r, d, n);
    else
        inline_members(r, d, n->b, 0, NULL);
    rs_lookalikes_end(r);
    if (d->nmembers == 0 && !n->c)
        diag_warning(r->d, n->name_loc, "dimension '%s' has no members", n->name);
}

void rs_index_members(R *r)
{
    Symbols *s = r->s;
    for (int i = 0; i < s->ndims; i++) {
        Dim *d = s->dims[i];
        int *counts = xcalloc((size_t)d->nlevels + 1, sizeof *counts);
        for (size_t k = 0; k < d->nmembers; k++) {
            Member *m = d->members[k];
            if (!d->is_time && m->depth >= 0 && m->depth < d->nlevels)
                m->index = counts[m->depth]++;
        }
        free(counts);
    }
}

void rs_check_labels(R *r, const Dim *d)
{
    for (size_t i = 0; i < d->nmembers; i++) {
        const Member *m = d->members[i];
        const Member *o = m->label ? strmap_get(&d->by_name, m->label) : NULL;
        if (!o || o == m || o->depth != m->depth || m->pseudo)
            continue;
        diag_error(r->d, m->loc, "the label '%s' of %s '%s' is the name of another %s", m->label,
                   d->levels[m->depth].name, m->name, d->levels[m->depth].name);
        diag_note(r->d, o->loc,
                  "'%s' is named here: a data file's '%s' means it, while tables show '%s' "
                  "as '%s'",
                  o->name, m->label, m->name, m->label);
    }
}

void rs_activity(R *r, Dim *d)
{
    for (size_t i = 0; i < d->nmembers; i++) { /* parents come before their children */
        Member *m = d->members[i];
        const Member *p = m->parent;
        const Attr *start = NULL, *end = NULL;
        m->active_from = p ? p->active_from : 0;
        m->active_to = p ? p->active_to : 0;
        for (int k = 0; k < m->nattrs; k++) {
            const Attr *a = &m->attrs[k];
            if (strcmp(a->name, "start") == 0) {
                start = a;
                m->active_from = sym_attr_month(a);
            } else if (strcmp(a->name, "end") == 0) {
                end = a;
                m->active_to = sym_attr_month(a);
            }
        }
        bool from_roster = start && end && !start->value && !end->value; /* roster_months */
        if (m->active_from && m->active_to && m->active_from > m->active_to && (start || end) &&
            !from_roster) {
            diag_error(r->d, end ? end->loc : start->loc,
                       "'%s' ends in %04d-%02d, before it starts in %04d-%02d", m->name,
                       m->active_to / 100, m->active_to % 100, m->active_from / 100,
                       m->active_from % 100);
            diag_note_plain(r->d, "%s", active_hint);
        }
    }
}
