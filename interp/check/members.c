/* members.c -- checking what reads the members' attributes as numbers:
 * an attribute named in a derived metric's formula (its value is the one
 * of each cell's member: `metric revenue money = volume * unit_price`),
 * and the aggregates over the members of a level, sum(rep.quota),
 * avg(rep.quota), count(rep) and count(rep where tier == "A").  It
 * reports problems and records kinds; evaluation is eval/members.c's. */
#include <stdlib.h>
#include <string.h>

#include "check/check_int.h"

/* Whether an attribute's value is (or may be) a number: an expression of
 * a number's kind, or a CSV text that reads as one. */
static bool numeric_attr(const Attr *a)
{
    if (a->text) {
        const char *t = a->text;
        size_t len = strlen(t);
        bool neg = len > 1 && t[0] == '-';
        Num n;
        return len && num_parse(t + neg, len - neg, &n) == NUM_OK;
    }
    Kind k = rx_attr_kind(a);
    return k != K_STR && k != K_MONTH;
}

/* Reports the first member of the level (every member of the dimension
 * at depth) without the attribute, or with one that is not a number;
 * false then. */
bool rs_attr_on_members(R *r, const Dim *d, int depth, const char *name, Loc at, const char *why)
{
    for (size_t i = 0; i < d->nmembers; i++) {
        const Member *m = d->members[i];
        if (m->depth != depth || m->pseudo)
            continue;
        const Attr *a = sym_attr(m, name);
        if (!a) {
            diag_error(r->d, at, "%s '%s' has no attribute '%s'", d->levels[depth].name, m->name,
                       name);
            diag_note(r->d, m->loc, "'%s' is declared here", m->name);
            diag_note_plain(r->d, "%s", why);
            return false;
        }
        if (!numeric_attr(a)) {
            diag_error(r->d, at, "attribute '%s' of %s '%s' is not a number ('%s')", name,
                       d->levels[depth].name, m->name,
                       a->text         ? a->text
                       : a->value->str ? a->value->str
                                       : "?");
            diag_note(r->d, a->loc, "'%s' is set here", name);
            diag_note_plain(r->d, "an attribute used as a number must be a number on every %s",
                            d->levels[depth].name);
            return false;
        }
    }
    return true;
}

/* ---- attributes in a derived metric --------------------------------------------------------- */

/* The dimension whose members have the attribute, or NULL (none, or
 * *reported: more than one). */
static const Dim *attr_dim(R *r, const Node *e, bool *reported)
{
    const Dim *found = NULL;
    for (int i = 0; i < r->s->ndims; i++) {
        const Dim *d = r->s->dims[i];
        if (!strmap_get((StrMap *)&d->attr_names, e->name))
            continue;
        if (found) {
            diag_error(r->d, e->loc, "attribute '%s' is set in dimensions '%s' and '%s'", e->name,
                       found->name, d->name);
            diag_note_plain(r->d, "rename one of them: a formula names one dimension's attribute");
            *reported = true;
            return NULL;
        }
        found = d;
    }
    return found;
}

bool rx_cell_attr(R *r, const Scope *sc, Node *e, Kind *k)
{
    bool reported = false;
    const Dim *d = attr_dim(r, e, &reported);
    *k = K_ANY;
    if (!d)
        return reported;
    const Attr *a = strmap_get((StrMap *)&d->attr_names, e->name);
    *k = rx_attr_kind(a);
    if (*k == K_STR || *k == K_MONTH) {
        diag_error(r->d, e->loc, "attribute '%s' of %s holds a %s, not a number", e->name, d->name,
                   sym_kind_name(*k));
        diag_note(r->d, a->loc, "'%s' is set here", e->name);
        diag_note_plain(r->d,
                        "a derived metric multiplies numbers; compare texts in a filter: "
                        "count(LEVEL where %s == \"...\")",
                        e->name);
        *k = K_ANY;
    }
    if (sc->attr_used && !*sc->attr_used)
        *sc->attr_used = e;
    return true;
}

/* ---- sum, avg and count over members -------------------------------------------------------- */

/* The level an aggregate's argument names (rep, or rep.quota: *attr set),
 * or NULL after reporting. */
static const Level *agg_level(R *r, const char *f, Node *x, const char **attr)
{
    Node *lv = x;
    *attr = NULL;
    if (strcmp(f, "count") != 0) {
        if (x->kind != N_FIELD || x->a->kind != N_NAME) {
            diag_error(r->d, x->loc, "bad argument #1 to '%s' (LEVEL.attribute expected)", f);
            diag_note_plain(r->d, "as in %s(rep.quota) or %s(rep.quota where tier == \"A\")", f, f);
            return NULL;
        }
        lv = x->a;
        *attr = x->name;
    } else if (x->kind != N_NAME) {
        diag_error(r->d, x->loc, "bad argument #1 to 'count' (a level expected)");
        diag_note_plain(r->d, "as in count(rep) or count(rep where tier == \"A\")");
        return NULL;
    }
    const Level *L = strmap_get(&r->s->levels, lv->name);
    if (!L) {
        diag_error(r->d, lv->loc, "unknown level '%s'", lv->name);
        sym_note_did_you_mean(r->d, sym_closest(&r->s->levels, lv->name));
    }
    return L;
}

/* The attribute summed: known on the level's dimension, a number on each
 * of its members (unless a filter chooses them). */
static Kind agg_attr(R *r, const Level *L, Node *x, const char *attr, bool filtered)
{
    const Attr *a = strmap_get((StrMap *)&L->dim->attr_names, attr);
    const Node *metric = a ? NULL : strmap_get(&r->s->metrics, attr);
    if (metric) /* sum(customer.visits): the metric's cell of each member */
        return sym_value_kind(metric);
    if (!a) {
        diag_error(r->d, x->name_loc, "no %s has an attribute '%s'", L->name, attr);
        diag_note_plain(r->d, "after '%s.' comes an attribute of its members, or a metric",
                        L->name);
        sym_note_did_you_mean(r->d, sym_closest((StrMap *)&L->dim->attr_names, attr));
        return K_ANY;
    }
    if (!filtered &&
        !rs_attr_on_members(r, L->dim, L->depth, attr, x->loc,
                            "give it to every member of the level, or choose members with "
                            "'where'"))
        return K_ANY;
    Kind k = rx_attr_kind(a);
    if (k == K_STR || k == K_MONTH) {
        diag_error(r->d, x->name_loc, "attribute '%s' is %s, not a number", attr, sym_kind_name(k));
        return K_ANY;
    }
    return k;
}

/* The filter of `LEVEL where CONDITION`: the level's attributes (and
 * active_months) are its names; it must be true or false. */
static void agg_filter(R *r, const Level *L, Node *cond)
{
    Scope fs = {SC_ATTRS | SC_METRICS, 0, L->dim, 0, 0, true, NULL, NULL};
    Kind c = rx_check(r, &fs, cond);
    if (c != K_BOOL && c != K_ANY)
        diag_error(r->d, cond->loc, "the filter after 'where' must be true/false, got %s",
                   sym_kind_name(c));
}

Kind rx_check_members(R *r, Node *e)
{
    Node *x = e->b;
    bool filtered = x->kind == N_WHERE;
    Node *subject = filtered ? x->a : x;
    const char *attr;
    const Level *L = agg_level(r, e->name, subject, &attr);
    if (!L)
        return strcmp(e->name, "count") == 0 ? K_NUM : K_ANY;
    if (filtered) {
        agg_filter(r, L, x->b);
        x->flags = (int)K_MEMBER;
    }
    subject->flags = (int)K_MEMBER;
    if (!attr)
        return K_NUM;
    return agg_attr(r, L, subject, attr, filtered);
}

Kind rx_where_alone(R *r, Node *e)
{
    diag_error(r->d, e->loc, "'where' chooses the members of sum, avg or count");
    diag_note_plain(r->d, "as in count(rep where tier == \"A\")");
    return K_ANY;
}
