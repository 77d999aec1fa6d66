/* grid.c -- the logical grid of an item: its header and rows of plain
 * cells, exactly what CSV writes (names, plain decimals, no total rows of
 * sheets), typed where a cell is a number.  The CSV emitter writes grids
 * and the table diff (session/) compares them.  A grid owns its texts. */
#include "render/render_int.h"

#include <stdlib.h>
#include <string.h>

static RenderGrid *grid_new(size_t ncols, size_t nrows)
{
    RenderGrid *g = xcalloc(1, sizeof *g);
    g->refs = 1;
    g->ncols = ncols;
    g->nrows = nrows;
    g->heads = arena_alloc(&g->arena, (ncols + 1) * sizeof *g->heads);
    g->cells = arena_alloc(&g->arena, (nrows * ncols + 1) * sizeof *g->cells);
    return g;
}

static RenderCell *grid_at(RenderGrid *g, size_t r, size_t c)
{
    return &g->cells[r * g->ncols + c];
}

/* ---- tables ---------------------------------------------------------------------------- */

typedef struct {
    RenderGrid *g;
    const Table *t;
    bool typed;
    Num step; /* 10^-decimals: what the text rounds to */
} TableGrid;

static void text_cell(TableGrid *tg, size_t r, size_t c, const char *s)
{
    grid_at(tg->g, r, c)->text = arena_strdup(&tg->g->arena, s);
}

/* A number cell: the plain decimals, and the value they show. */
static void num_cell(TableGrid *tg, size_t r, size_t c, const Num *x)
{
    RenderCell *cell = grid_at(tg->g, r, c);
    char buf[NUM_BUFSZ];
    cell->text = x ? arena_strdup(&tg->g->arena, num_fmt(*x, tg->t->decimals, false, buf)) : "";
    if (x && tg->typed)
        cell->is_num = num_round(*x, tg->step, NUM_HALF_UP, &cell->num) == NUM_OK;
}

static void table_row(TableGrid *tg, size_t i)
{
    const Table *t = tg->t;
    text_cell(tg, i, 0, rd_row_name(t, i));
    for (size_t j = 0; j < t->ncols; j++)
        num_cell(tg, i, 1 + j, rd_cell(t, i, j));
    if (rd_has_total_col(t))
        num_cell(tg, i, 1 + t->ncols, &t->row_totals[i]);
}

static void table_total_row(TableGrid *tg)
{
    const Table *t = tg->t;
    size_t r = t->nrows;
    text_cell(tg, r, 0, "total");
    for (size_t j = 0; j < t->ncols; j++)
        num_cell(tg, r, 1 + j, rd_total_cell(t, j));
    if (rd_has_total_col(t))
        num_cell(tg, r, 1 + t->ncols, rd_corner_cell(t));
}

static Num decimals_step(int decimals)
{
    int64_t p = 1;
    for (int i = 0; i < decimals && i < NUM_DECIMALS; i++)
        p *= 10;
    Num step;
    return num_from_ratio(1, p, &step) == NUM_OK ? step : NUM_ONE;
}

static RenderGrid *table_grid(const Table *t, bool typed)
{
    bool tc = rd_has_total_col(t), tr = rd_has_total_row(t);
    TableGrid tg = {grid_new(1 + t->ncols + tc, t->nrows + tr), t, typed, decimals_step(t->decimals)};
    Arena *a = &tg.g->arena;
    tg.g->heads[0] = arena_strdup(a, t->row_level ? t->row_level : "");
    for (size_t j = 0; j < t->ncols; j++)
        tg.g->heads[1 + j] = arena_strdup(a, rd_col_name(t, j));
    if (tc)
        tg.g->heads[t->ncols + 1] = "total";
    for (size_t i = 0; i < t->nrows; i++)
        table_row(&tg, i);
    if (tr)
        table_total_row(&tg);
    return tg.g;
}

/* ---- sheets ---------------------------------------------------------------------------- */

/* A sheet's cell is a number when its plain text is a decimal. */
static bool parse_signed(const char *s, Num *out)
{
    bool neg = s[0] == '-';
    size_t n = strlen(s + neg);
    if (!n || num_parse(s + neg, n, out) != NUM_OK)
        return false;
    if (neg)
        *out = num_neg(*out);
    return true;
}

static size_t flat_rows(const Sheet *s)
{
    size_t n = 0;
    for (size_t r = 0; r < s->nrows; r++)
        n += !(s->total && s->total[r]);
    return n;
}

static RenderGrid *sheet_grid(const Sheet *s, bool typed)
{
    size_t *cols = xcalloc(s->ncols + 1, sizeof *cols), nc = 0, row = 0;
    for (size_t c = 0; c < s->ncols; c++)
        if (rd_col_shown(s, c, RENDER_FLAT))
            cols[nc++] = c;
    RenderGrid *g = grid_new(nc, flat_rows(s));
    for (size_t k = 0; k < nc; k++)
        g->heads[k] = arena_strdup(&g->arena, s->heads[cols[k]]);
    for (size_t r = 0; r < s->nrows; r++) {
        if (s->total && s->total[r])
            continue;
        for (size_t k = 0; k < nc; k++) {
            const char *v = s->plain[r * s->ncols + cols[k]];
            RenderCell *cell = grid_at(g, row, k);
            cell->text = arena_strdup(&g->arena, v ? v : "");
            cell->is_num = typed && parse_signed(cell->text, &cell->num);
        }
        row++;
    }
    free(cols);
    return g;
}

/* ---- grids ----------------------------------------------------------------------------- */

RenderGrid *rd_item_grid(const RenderItem *it, bool typed)
{
    return it->kind == RI_TABLE ? table_grid(&it->table, typed) : sheet_grid(&it->sheet, typed);
}

RenderGrid *rgrid_ref(RenderGrid *g)
{
    if (g)
        g->refs++;
    return g;
}

void rgrid_unref(RenderGrid *g)
{
    if (!g || --g->refs > 0)
        return;
    arena_free(&g->arena);
    free(g);
}

bool rgrid_equal(const RenderGrid *a, const RenderGrid *b)
{
    static const RenderGrid none = {0};
    a = a ? a : &none;
    b = b ? b : &none;
    if (a == b)
        return true;
    if (a->ncols != b->ncols || a->nrows != b->nrows)
        return false;
    for (size_t c = 0; c < a->ncols; c++)
        if (strcmp(a->heads[c], b->heads[c]) != 0)
            return false;
    for (size_t i = 0; i < a->nrows * a->ncols; i++)
        if (strcmp(a->cells[i].text, b->cells[i].text) != 0)
            return false;
    return true;
}
