/* cell_attrs.c -- the attributes a derived metric's formula reads in each
 * cell (`metric revenue money = volume * unit_price`): the metric must be
 * split by the attribute's dimension, and every member of its level there
 * must hold a number, so that each cell is its member's value and every
 * coarser cell the sum of the finer ones.  Nothing here evaluates. */
#include <stdlib.h>
#include <string.h>

#include "alloc/alloc_int.h"

Dim *al_attr_dim(Engine *en, const char *name)
{
    const Symbols *s = en->p->sym;
    for (int i = 0; i < s->ndims; i++)
        if (!s->dims[i]->is_time && strmap_get(&s->dims[i]->attr_names, name))
            return s->dims[i];
    return NULL;
}

/* A CSV text that reads as a number, or an expression that is not a
 * string or a month. */
static bool holds_number(const Attr *a)
{
    if (a->text) {
        size_t len = strlen(a->text);
        bool neg = len > 1 && a->text[0] == '-';
        Num n;
        return len && num_parse(a->text + neg, len - neg, &n) == NUM_OK;
    }
    NodeKind k = a->value->kind;
    return k != N_STR && k != N_MONTH && k != N_DATE;
}

static int not_split(Engine *en, const Node *metric, const Node *at, const Dim *d, const DimSet *ds)
{
    diag_error(en->p->diags, at->loc, "'%s' is an attribute of %s, but %s is not split by %s",
               at->name, d->name, metric->name, d->name);
    const char *comp = ds->ncomp ? ds->comp[0]->name : "its components";
    diag_note_plain(en->p->diags,
                    "split %s by %s: each cell of %s is then one %s's %s times its %s", comp,
                    d->levels[d->nlevels - 1].name, metric->name, d->levels[d->nlevels - 1].name,
                    comp, at->name);
    return -1;
}

/* Every member of d at depth holds the attribute as a number. */
static int on_every_member(Engine *en, const Node *metric, const Node *at, const Dim *d, int depth)
{
    Diags *dg = en->p->diags;
    const char *lv = d->levels[depth].name;
    for (size_t i = 0; i < d->nmembers; i++) {
        const Member *m = d->members[i];
        if (m->depth != depth || m->pseudo)
            continue;
        const Attr *a = sym_attr(m, at->name);
        if (a && holds_number(a))
            continue;
        if (a)
            diag_error(dg, at->loc, "attribute '%s' of %s '%s' is not a number ('%s')", at->name,
                       lv, m->name,
                       a->text         ? a->text
                       : a->value->str ? a->value->str
                                       : "?");
        else
            diag_error(dg, at->loc, "%s '%s' has no attribute '%s'", lv, m->name, at->name);
        diag_note(dg, a ? a->loc : m->loc, "'%s' is %s here", a ? at->name : m->name,
                  a ? "set" : "declared");
        diag_note_plain(dg, "%s is computed per %s: give every %s a number '%s'%s", metric->name,
                        lv, lv, at->name,
                        depth + 1 < d->nlevels ? ", or split its components further down" : "");
        return -1;
    }
    return 0;
}

int al_cell_attrs(Engine *en, const Node *metric, const DimSet *ds)
{
    for (int k = 0; k < ds->nattrs; k++) {
        const Node *at = ds->attrs[k];
        const Dim *d = al_attr_dim(en, at->name);
        int i = 0;
        while (i < ds->n && ds->dim[i] != d)
            i++;
        if (i == ds->n)
            return not_split(en, metric, at, d, ds);
        if (on_every_member(en, metric, at, d, ds->depth[i]) < 0)
            return -1;
    }
    return 0;
}

int al_cell_attr_reserves(Engine *en, const Alloc *D, const DimSet *ds)
{
    for (int k = 0; k < ds->nattrs; k++) {
        const Node *at = ds->attrs[k];
        const Dim *d = al_attr_dim(en, at->name);
        int i = al_axis_of(D, d);
        if (i < 0 || !D->ax[i].npseudo)
            continue;
        const char *comp = ds->ncomp ? ds->comp[0]->name : "a component";
        diag_error(en->p->diags, at->loc,
                   "%s keeps a reserve row among the %ss, and a reserve has no '%s'", comp,
                   d->levels[D->ax[i].sl[0]].name, at->name);
        diag_note_plain(en->p->diags,
                        "%s reads '%s' per %s: split %s by %s without 'reserve' (a reserve "
                        "may stay on another dimension)",
                        D->metric->name, at->name, d->levels[D->ax[i].sl[0]].name, comp,
                        d->levels[D->ax[i].sl[0]].name);
        return -1;
    }
    return 0;
}
