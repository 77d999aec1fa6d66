/* side.c -- several metrics side by side (`show revenue, margin, cost by
 * region`): each metric's own table (al_table_years, as a one-metric show
 * makes it), its columns copied next to the others', so that every number
 * is the one the metric's own table shows: a derived ratio's total stays
 * the ratio of its totals.  One level: a column per metric; two levels:
 * per metric, a column per member of the second level and the metric's
 * total column.  The total row is each column's own total.  A row only
 * some metrics have (a reserve) is n/a for the others. */
#include <string.h>

#include "alloc/alloc_int.h"

typedef struct {
    Table *w; /* each metric's table */
    size_t n;
    Arena *a;
    Table *t;
    long *at; /* n * t->nrows: the row of each metric's table for a row of t, or -1 */
} SideBySide;

/* Whether value k (in the order of Table.na) of w is n/a. */
static bool na_of(const Table *w, size_t k)
{
    return w->na && w->na[k];
}

/* The columns metric table w gives. */
static size_t width(const Table *w)
{
    return w->col_level ? w->ncols + (w->row_totals != NULL) : 1;
}

/* Column j of w in row i (i == nrows: the total row; i < 0: a row w does
 * not have): its value, or NULL (n/a, none). */
static const Num *value_of(const Table *w, long i, size_t j)
{
    if (i < 0)
        return NULL;
    size_t nc = w->ncols, cells = w->nrows * nc, k;
    const Num *v;
    bool tot = (size_t)i == w->nrows, tcol = w->col_level && j == nc;
    if (!tot && !tcol)
        v = &w->cells[(size_t)i * nc + j], k = (size_t)i * nc + j;
    else if (!tot)
        v = &w->row_totals[i], k = cells + (size_t)i;
    else if (!tcol && w->col_totals)
        v = &w->col_totals[j], k = cells + w->nrows + j;
    else
        v = w->grand_total, k = cells + w->nrows + nc;
    return v && !na_of(w, k) ? v : NULL;
}

static void side_names(SideBySide *s, size_t k, size_t c)
{
    const Table *w = &s->w[k];
    Table *t = s->t;
    const char **names = (const char **)t->col_names, **labels = (const char **)t->col_labels;
    const char *label = w->metric_label ? w->metric_label : w->metric;
    for (size_t j = 0; j < width(w); j++, c++) {
        if (!w->col_level) {
            names[c] = w->metric;
            labels[c] = w->metric_label;
            continue;
        }
        bool tc = j == w->ncols;
        const char *cn = tc ? "total" : w->col_names[j];
        const char *cl = tc || !w->col_labels || !w->col_labels[j] ? cn : w->col_labels[j];
        names[c] = arena_printf(s->a, "%s %s", w->metric, cn);
        labels[c] = arena_printf(s->a, "%s %s", label, cl);
    }
}

/* Metric k's columns, from column c0 of the side-by-side table. */
static void side_columns(SideBySide *s, size_t k, size_t c0)
{
    const Table *w = &s->w[k];
    Table *t = s->t;
    size_t nr = t->nrows, nc = t->ncols;
    bool *na = (bool *)t->na;
    side_names(s, k, c0);
    for (size_t j = 0; j < width(w); j++) {
        size_t c = c0 + j;
        ((ValueKind *)t->col_kinds)[c] = w->kind;
        ((int *)t->col_decimals)[c] = w->decimals;
        for (size_t i = 0; i <= nr; i++) {
            const Num *v = value_of(w, i < nr ? s->at[k * nr + i] : (long)w->nrows, j);
            Num *to = i < nr ? (Num *)&t->cells[i * nc + c] : (Num *)&t->col_totals[c];
            *to = v ? *v : NUM_ZERO;
            na[i < nr ? i * nc + c : nr * nc + nr + c] = !v;
        }
    }
}

/* Row name of w, or -1. */
static long row_of(const Table *w, const char *name)
{
    for (size_t i = 0; i < w->nrows; i++)
        if (strcmp(w->row_names[i], name) == 0)
            return (long)i;
    return -1;
}

/* The rows of the table: the first metric's, then those only a later
 * metric has (a reserve row), in their order; a metric without a row
 * shows n/a there.  Fills names, labels (cap: the rows of every table). */
static size_t side_rows(SideBySide *s, const char **names, const char **labels)
{
    size_t nr = 0;
    for (size_t k = 0; k < s->n; k++) {
        const Table *w = &s->w[k];
        for (size_t i = 0; i < w->nrows; i++) {
            bool seen = false;
            for (size_t r = 0; r < nr && !seen; r++)
                seen = strcmp(names[r], w->row_names[i]) == 0;
            if (seen)
                continue;
            labels[nr] = w->row_labels ? w->row_labels[i] : NULL;
            names[nr++] = w->row_names[i];
        }
    }
    s->at = arena_alloc(s->a, (s->n * nr + 1) * sizeof *s->at);
    for (size_t k = 0; k < s->n; k++)
        for (size_t r = 0; r < nr; r++)
            s->at[k * nr + r] = row_of(&s->w[k], names[r]);
    return nr;
}

/* Whether the metrics' tables have the same shape (one level, or two). */
static bool same_shape(const SideBySide *s, const Node *show, Diags *d)
{
    for (size_t k = 1; k < s->n; k++)
        if (!s->w[k].col_level != !s->w[0].col_level) {
            diag_error(d, show->loc,
                       "%s and %s have tables of different shapes: they cannot be "
                       "side by side",
                       s->w[0].metric, s->w[k].metric);
            return false;
        }
    return true;
}

static void side_shape(SideBySide *s, size_t nc)
{
    Table *t = s->t;
    const Table *w0 = &s->w[0];
    size_t cap = 1;
    for (size_t k = 0; k < s->n; k++)
        cap += s->w[k].nrows;
    const char **names = arena_alloc(s->a, cap * sizeof *names);
    const char **labels = arena_alloc(s->a, cap * sizeof *labels);
    *t = (Table){.metric = w0->metric, .kind = w0->kind, .decimals = w0->decimals};
    t->row_level = w0->row_level;
    t->col_level = w0->col_level ? w0->col_level : "metric";
    t->nrows = side_rows(s, names, labels);
    t->ncols = nc;
    t->row_names = names;
    t->row_labels = labels;
    t->col_names = arena_alloc(s->a, nc * sizeof *t->col_names);
    t->col_labels = arena_alloc(s->a, nc * sizeof *t->col_labels);
    t->cells = arena_alloc(s->a, (t->nrows * nc + 1) * sizeof(Num));
    t->col_totals = arena_alloc(s->a, nc * sizeof(Num));
    t->na = arena_alloc(s->a, t->nrows * nc + t->nrows + nc + 1);
    t->col_kinds = arena_alloc(s->a, nc * sizeof *t->col_kinds);
    t->col_decimals = arena_alloc(s->a, nc * sizeof *t->col_decimals);
}

/* "revenue, margin, cost"; the kind of the heading's unit: money when a column is. */
static void side_heading(SideBySide *s)
{
    Buf b = {0}, notes = {0};
    for (size_t k = 0; k < s->n; k++) {
        buf_printf(&b, "%s%s", k ? ", " : "", s->w[k].metric);
        if (s->w[k].kind == VAL_MONEY)
            s->t->kind = VAL_MONEY;
        if (s->w[k].note)
            buf_printf(&notes, "%s%s", notes.len ? "; " : "", s->w[k].note);
    }
    s->t->metric = arena_strdup(s->a, buf_cstr(&b));
    s->t->note = notes.len ? arena_strdup(s->a, buf_cstr(&notes)) : NULL;
    buf_free(&b);
    buf_free(&notes);
}

/* One metric's show: the show with that metric alone. */
static int metric_table(Engine *en, const Node *show, const char *metric, Arena *a, Table *w)
{
    Node one = *show;
    one.name = metric;
    one.b = NULL;
    one.next = NULL;
    return al_table_years(en, &one, a, w);
}

int alloc_table(Engine *en, const Node *show, Arena *arena, Table *t)
{
    if (!show->b)
        return al_table_years(en, show, arena, t);
    SideBySide s = {NULL, 1, arena, t, NULL};
    for (const Node *m = show->b; m; m = m->next)
        s.n++;
    s.w = arena_alloc(arena, s.n * sizeof *s.w);
    size_t k = 0, nc = 0;
    for (const Node *m = NULL; k < s.n; m = m ? m->next : show->b, k++) {
        if (metric_table(en, show, m ? m->name : show->name, arena, &s.w[k]) < 0)
            return -1;
        nc += width(&s.w[k]);
    }
    if (!same_shape(&s, show, en->p->diags))
        return -1;
    side_shape(&s, nc);
    for (k = 0, nc = 0; k < s.n; nc += width(&s.w[k]), k++)
        side_columns(&s, k, nc);
    side_heading(&s);
    return 0;
}
