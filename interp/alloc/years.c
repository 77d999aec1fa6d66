/* years.c -- the tables of a multi-year plan (`years = 3`), assembled from
 * the table each year's engine makes (Engine.years: one engine per fiscal
 * year, the plan evaluated once per year).  A year's numbers are its own
 * table's, exactly as rounded there; what spans the years is their sum, so
 * every table adds up:
 *   - a time level across: the years' columns side by side (FY2028 Q1...);
 *   - a time level down: the years' rows one under the other;
 *   - `by year` alone, or no time level: a column per year and the total;
 *   - two other levels: the years' rows one under the other (FY2028 north).
 * A ratio or a percent metric has no sum: its totals across years are n/a.
 */
#include <string.h>

#include "alloc/alloc_int.h"

typedef struct {
    Table *w; /* one table per year */
    int n;
    Arena *arena;
    Table *t; /* the assembled table */
    bool additive;
} Years;

static bool is_time_level(const Engine *en, const char *name)
{
    const Level *lv = name ? strmap_get(&en->p->sym->levels, name) : NULL;
    return lv && lv->dim->is_time;
}

/* Quarters and halves repeat each year: their name in the years' table
 * carries the year (FY2028 Q1); months (2028-03) and years do not. */
static bool needs_year(const char *level)
{
    return strcmp(level, "quarter") == 0 || strcmp(level, "half") == 0;
}

static Num sum_or_zero(const Num *v)
{
    return v ? *v : num_from_int(0);
}

static void add_to(Num *acc, Num v)
{
    Num r;
    if (num_add(*acc, v, &r) == NUM_OK)
        *acc = r;
}

/* The arrays of t for nr x nc, with every total, and n/a flags. */
static void shape(Years *y, size_t nr, size_t nc)
{
    Table *t = y->t;
    t->nrows = nr;
    t->ncols = nc;
    t->row_names = arena_alloc(y->arena, nr * sizeof *t->row_names);
    t->row_labels = arena_alloc(y->arena, nr * sizeof *t->row_labels);
    t->col_names = arena_alloc(y->arena, nc * sizeof *t->col_names);
    t->col_labels = arena_alloc(y->arena, nc * sizeof *t->col_labels);
    t->cells = arena_alloc(y->arena, nr * nc * sizeof(Num));
    t->row_totals = arena_alloc(y->arena, nr * sizeof(Num));
    t->col_totals = arena_alloc(y->arena, nc * sizeof(Num));
    t->grand_total = arena_alloc(y->arena, sizeof(Num));
    t->na = arena_alloc(y->arena, nr * nc + nr + nc + 1);
}

#define CELL(t, r, c) (((Num *)(t)->cells)[(r) * (t)->ncols + (c)])
#define NA(t) ((bool *)(t)->na)

static bool na_of(const Table *w, size_t i)
{
    return w->na && w->na[i];
}

/* Columns side by side: a time level across (2-level tables). */
static void side_by_side(Years *y, const Engine *const *en)
{
    Table *t = y->t;
    size_t nc = 0, nr = y->w[0].nrows;
    for (int k = 0; k < y->n; k++)
        nc += y->w[k].ncols;
    shape(y, nr, nc);
    size_t c0 = 0;
    for (int k = 0; k < y->n; k++) {
        const Table *w = &y->w[k];
        for (size_t c = 0; c < w->ncols; c++) {
            t->col_names[c0 + c] =
                needs_year(w->col_level)
                    ? arena_printf(y->arena, "FY%d %s", en[k]->p->sym->year, w->col_names[c])
                    : w->col_names[c];
            t->col_labels[c0 + c] = w->col_labels ? w->col_labels[c] : NULL;
            ((Num *)t->col_totals)[c0 + c] = sum_or_zero(w->col_totals ? &w->col_totals[c] : NULL);
            NA(t)[nr * nc + nr + c0 + c] = na_of(w, w->nrows * w->ncols + w->nrows + c);
            for (size_t r = 0; r < nr; r++) {
                CELL(t, r, c0 + c) = w->cells[r * w->ncols + c];
                NA(t)[r * nc + c0 + c] = na_of(w, r * w->ncols + c);
            }
        }
        for (size_t r = 0; r < nr; r++)
            add_to((Num *)&t->row_totals[r], sum_or_zero(w->row_totals ? &w->row_totals[r] : NULL));
        add_to((Num *)t->grand_total, sum_or_zero(w->grand_total));
        c0 += w->ncols;
    }
    for (size_t r = 0; r < nr; r++) {
        t->row_names[r] = y->w[0].row_names[r];
        t->row_labels[r] = y->w[0].row_labels ? y->w[0].row_labels[r] : NULL;
        NA(t)[nr * nc + r] = !y->additive;
    }
    NA(t)[nr * nc + nr + nc] = !y->additive;
}

/* Rows one under the other: a time level down, or two other levels. */
static void one_under_other(Years *y, const Engine *const *en, bool prefix_all)
{
    Table *t = y->t;
    size_t nr = 0, nc = y->w[0].ncols;
    for (int k = 0; k < y->n; k++)
        nr += y->w[k].nrows;
    shape(y, nr, nc);
    size_t r0 = 0;
    for (int k = 0; k < y->n; k++) {
        const Table *w = &y->w[k];
        bool prefix = prefix_all || needs_year(w->row_level);
        for (size_t r = 0; r < w->nrows; r++) {
            t->row_names[r0 + r] =
                prefix ? arena_printf(y->arena, "FY%d %s", en[k]->p->sym->year, w->row_names[r])
                       : w->row_names[r];
            t->row_labels[r0 + r] = w->row_labels && !prefix ? w->row_labels[r] : NULL;
            ((Num *)t->row_totals)[r0 + r] = sum_or_zero(w->row_totals ? &w->row_totals[r] : NULL);
            NA(t)[nr * nc + r0 + r] = na_of(w, w->nrows * w->ncols + r);
            for (size_t c = 0; c < nc; c++) {
                CELL(t, r0 + r, c) = w->cells[r * nc + c];
                NA(t)[(r0 + r) * nc + c] = na_of(w, r * nc + c);
            }
        }
        for (size_t c = 0; c < nc; c++)
            add_to((Num *)&t->col_totals[c], sum_or_zero(w->col_totals ? &w->col_totals[c] : NULL));
        add_to((Num *)t->grand_total, sum_or_zero(w->grand_total));
        r0 += w->nrows;
    }
    for (size_t c = 0; c < nc; c++) {
        t->col_names[c] = y->w[0].col_names ? y->w[0].col_names[c] : NULL;
        t->col_labels[c] = y->w[0].col_labels ? y->w[0].col_labels[c] : NULL;
        NA(t)[nr * nc + nr + c] = !y->additive;
    }
    NA(t)[nr * nc + nr + nc] = !y->additive;
    if (!y->w[0].row_totals)
        t->row_totals = NULL; /* a one-level table has no total column */
    if (!y->w[0].col_names)
        t->col_names = t->col_labels = NULL;
}

/* A column per year: one-level tables (`by region`, `by year`, none). */
static void year_columns(Years *y, const Engine *const *en)
{
    Table *t = y->t;
    bool by_year = strcmp(y->w[0].row_level, "year") == 0;
    size_t nr = by_year ? 1 : y->w[0].nrows, nc = (size_t)y->n;
    shape(y, nr, nc);
    t->col_level = "year";
    for (int k = 0; k < y->n; k++) {
        const Table *w = &y->w[k];
        t->col_names[k] = arena_printf(y->arena, "FY%d", en[k]->p->sym->year);
        ((Num *)t->col_totals)[k] = sum_or_zero(w->grand_total);
        NA(t)[nr * nc + nr + k] = na_of(w, w->nrows * w->ncols + w->nrows + w->ncols);
        for (size_t r = 0; r < nr; r++) {
            CELL(t, r, k) = w->cells[r * w->ncols];
            NA(t)[r * nc + k] = na_of(w, r * w->ncols);
            add_to((Num *)&t->row_totals[r], w->cells[r * w->ncols]);
        }
        add_to((Num *)t->grand_total, sum_or_zero(w->grand_total));
    }
    for (size_t r = 0; r < nr; r++) {
        t->row_names[r] = by_year ? y->w[0].metric : y->w[0].row_names[r];
        t->row_labels[r] = !by_year && y->w[0].row_labels ? y->w[0].row_labels[r] : NULL;
        NA(t)[nr * nc + r] = !y->additive;
    }
    NA(t)[nr * nc + nr + nc] = !y->additive;
    if (by_year) {
        t->row_level = "total";
        t->total_level = true;
    }
}

int al_table_years(Engine *en, const Node *show, Arena *arena, Table *t)
{
    if (en->nyears < 2)
        return al_table_one(en, show, arena, t);
    Years y = {arena_alloc(arena, (size_t)en->nyears * sizeof(Table)), en->nyears, arena, t, true};
    for (int k = 0; k < y.n; k++)
        if (al_table_one(en->years[k], show, arena, &y.w[k]) < 0) {
            if (k > 0)
                diag_note_plain(en->p->diags, "in FY%d, year %d of the plan's %d",
                                en->years[k]->p->sym->year, k + 1, y.n);
            return -1;
        }
    *t = y.w[0];
    y.additive = (t->kind == VAL_MONEY || t->kind == VAL_COUNT) && !t->na;
    const Engine *const *ens = (const Engine *const *)en->years;
    if (t->col_level && is_time_level(en, t->col_level))
        side_by_side(&y, ens);
    else if (!t->col_level && is_time_level(en, t->row_level) && strcmp(t->row_level, "year"))
        one_under_other(&y, ens, false);
    else if (t->col_level && is_time_level(en, t->row_level))
        one_under_other(&y, ens, false);
    else if (!t->col_level)
        year_columns(&y, ens);
    else
        one_under_other(&y, ens, true);
    return 0;
}
