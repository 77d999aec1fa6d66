/* shape.c -- what a Table holds, cell by cell: its total row and column,
 * names and labels, as every emitter and the grid read them.  It only
 * reads the Table; it formats and computes nothing. */
#include "render/render_int.h"

bool rd_one_level(const Table *t)
{
    return t->col_level == NULL;
}

bool rd_cols_are_members(const Table *t)
{
    return !rd_one_level(t) && t->col_labels && !t->col_kinds;
}

bool rd_has_total_col(const Table *t)
{
    return !rd_one_level(t) && t->row_totals;
}

bool rd_has_total_row(const Table *t)
{
    return t->col_totals || (rd_one_level(t) && t->grand_total);
}

/* Whether value k of the table (in the order of Table.na) is n/a. */
static bool na_at(const Table *t, size_t k)
{
    return t->na && t->na[k];
}

static size_t na_row_total(const Table *t, size_t i)
{
    return t->nrows * t->ncols + i;
}

static size_t na_col_total(const Table *t, size_t j)
{
    return t->nrows * t->ncols + t->nrows + j;
}

static size_t na_grand(const Table *t)
{
    return t->nrows * t->ncols + t->nrows + t->ncols;
}

const Num *rd_total_cell(const Table *t, size_t j)
{
    if (t->col_totals)
        return na_at(t, na_col_total(t, j)) ? NULL : &t->col_totals[j];
    return rd_one_level(t) && !na_at(t, na_grand(t)) ? t->grand_total : NULL;
}

const Num *rd_corner_cell(const Table *t)
{
    if (na_at(t, na_grand(t)))
        return NULL;
    if (rd_one_level(t))
        return t->grand_total ? t->grand_total : t->col_totals ? &t->col_totals[0] : NULL;
    return t->grand_total;
}

const Num *rd_grand_total(const Table *t)
{
    return na_at(t, na_grand(t)) ? NULL : t->grand_total;
}

const Num *rd_row_total(const Table *t, size_t i)
{
    return !t->row_totals || na_at(t, na_row_total(t, i)) ? NULL : &t->row_totals[i];
}

const Num *rd_cell(const Table *t, size_t i, size_t j)
{
    return na_at(t, i * t->ncols + j) ? NULL : &t->cells[i * t->ncols + j];
}

const char *rd_row_name(const Table *t, size_t i)
{
    return t->row_names && t->row_names[i] ? t->row_names[i] : "";
}

const char *rd_row_label(const Table *t, size_t i)
{
    return t->row_labels && t->row_labels[i] ? t->row_labels[i] : rd_row_name(t, i);
}

const char *rd_col_name(const Table *t, size_t j)
{
    if (!rd_one_level(t) && t->col_names && t->col_names[j])
        return t->col_names[j];
    return t->metric ? t->metric : "";
}

const char *rd_col_label(const Table *t, size_t j)
{
    if (rd_one_level(t))
        return t->metric_label ? t->metric_label : rd_col_name(t, j);
    return t->col_labels && t->col_labels[j] ? t->col_labels[j] : rd_col_name(t, j);
}

ValueKind rd_col_kind(const Table *t, size_t j)
{
    return t->col_kinds && j < t->ncols ? t->col_kinds[j] : t->kind;
}

int rd_col_decimals(const Table *t, size_t j)
{
    return t->col_decimals && j < t->ncols ? t->col_decimals[j] : t->decimals;
}
