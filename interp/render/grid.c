/* grid.c -- the logical grid of an item: its header and rows of plain
 * cells, exactly what CSV writes (names, plain decimals, no total rows of
 * sheets), typed where a cell is a number.  The CSV emitter writes the
 * rows as they come; render_grid keeps them in a RenderGrid, which owns its
 * texts, for the table diff (session/). */
#include "render/render_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- tables ---------------------------------------------------------------------------- */

/* The rows of a table: one reused row of cells, its numbers' texts in bufs. */
typedef struct {
    const Table *t;
    bool typed;
    const char *total; /* the word "total" in the item's language */
    bool labels;       /* --labels: members by their labels */
    StrMap rows, cols; /* labels two rows (columns) share: written as names */
    Num step;          /* 10^-decimals: what a text rounds its number to */
    RenderCell *cells;
    char (*bufs)[VF_BUFSZ];
} TableRows;

static Num decimals_step(int decimals)
{
    int64_t p = 1;
    for (int i = 0; i < decimals && i < NUM_DECIMALS; i++)
        p *= 10;
    Num step;
    return num_from_ratio(1, p, &step) == NUM_OK ? step : NUM_ONE;
}

/* Cell c (the table's column c - 1): the plain decimals of x (none for
 * NULL), and the value they show. */
static void num_cell(TableRows *tr, size_t c, const Num *x)
{
    RenderCell *cell = &tr->cells[c];
    int dec = rd_col_decimals(tr->t, c - 1);
    Num step = tr->t->col_decimals ? decimals_step(dec) : tr->step;
    cell->text = x ? vf_fixed(*x, dec, false, tr->bufs[c]) : "";
    cell->plain = x != NULL;
    cell->is_num = x && tr->typed && num_round(*x, step, NUM_HALF_UP, &cell->num) == NUM_OK;
    cell->money = cell->is_num && rd_col_kind(tr->t, c - 1) == VAL_MONEY;
}

/* Column j's head: its member's name, or with --labels its label. */
static const char *col_key(TableRows *tr, size_t j)
{
    const Table *t = tr->t;
    if (!tr->labels || !rd_cols_are_members(t))
        return rd_col_name(t, j);
    return rd_member_key(&tr->cols, t->col_labels[j], rd_col_name(t, j));
}

static const char *row_key(TableRows *tr, size_t i)
{
    const Table *t = tr->t;
    if (!tr->labels || !t->row_labels)
        return rd_row_name(t, i);
    return rd_member_key(&tr->rows, t->row_labels[i], rd_row_name(t, i));
}

static void table_head(TableRows *tr, size_t n)
{
    const Table *t = tr->t;
    memset(tr->cells, 0, n * sizeof *tr->cells);
    tr->cells[0].text = t->row_level ? t->row_level : "";
    for (size_t j = 0; j < t->ncols; j++)
        tr->cells[1 + j].text = col_key(tr, j);
    if (rd_has_total_col(t))
        tr->cells[1 + t->ncols].text = tr->total;
}

/* Row i (i == nrows: the total row). */
static void table_row(TableRows *tr, size_t i)
{
    const Table *t = tr->t;
    bool total = i == t->nrows;
    tr->cells[0] = (RenderCell){total ? tr->total : row_key(tr, i), false, NUM_ZERO, false, false};
    for (size_t j = 0; j < t->ncols; j++)
        num_cell(tr, 1 + j, total ? rd_total_cell(t, j) : rd_cell(t, i, j));
    if (rd_has_total_col(t))
        num_cell(tr, 1 + t->ncols, total ? rd_corner_cell(t) : rd_row_total(t, i));
}

static void table_rows(const Table *t, Lang lang, bool typed, bool labels, GridRowFn *row,
                       void *ctx)
{
    size_t n = 1 + t->ncols + rd_has_total_col(t);
    TableRows tr = {t,
                    typed,
                    lang_word(lang, W_TOTAL),
                    labels,
                    {0},
                    {0},
                    decimals_step(t->decimals),
                    xcalloc(n, sizeof *tr.cells),
                    xcalloc(n, sizeof *tr.bufs)};
    if (labels) {
        rd_shared_labels(&tr.rows, t->row_labels, t->row_names, t->nrows, 1);
        if (!rd_one_level(t))
            rd_shared_labels(&tr.cols, t->col_labels, t->col_names, t->ncols, 1);
    }
    table_head(&tr, n);
    row(ctx, tr.cells, n, true);
    for (size_t i = 0; i < t->nrows + rd_has_total_row(t); i++) {
        table_row(&tr, i);
        row(ctx, tr.cells, n, false);
    }
    free(tr.cells);
    free(tr.bufs);
    strmap_free(&tr.rows);
    strmap_free(&tr.cols);
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

/* Row r of the sheet's plain texts (r < 0: the heads) in columns cols;
 * with shared (--labels: a map per column), members by their labels. */
static void sheet_row(const Sheet *s, long r, bool typed, const size_t *cols, size_t n,
                      RenderCell *cells, const StrMap *shared)
{
    for (size_t k = 0; k < n; k++) {
        size_t at = (size_t)r * s->ncols + cols[k];
        const char *v = r < 0 ? s->heads[cols[k]] : s->plain[at];
        if (r >= 0 && shared && s->label && s->label[at])
            v = rd_member_key(&shared[k], s->label[at], v);
        cells[k].text = v ? v : "";
        cells[k].is_num = r >= 0 && typed && parse_signed(cells[k].text, &cells[k].num);
        cells[k].money = false;
    }
}

static void sheet_rows(const Sheet *s, bool typed, bool labels, GridRowFn *row, void *ctx)
{
    RenderCell *cells = xcalloc(s->ncols + 1, sizeof *cells);
    size_t *cols = xcalloc(s->ncols + 1, sizeof *cols), n = 0;
    for (size_t c = 0; c < s->ncols; c++)
        if (rd_col_shown(s, c, RENDER_FLAT))
            cols[n++] = c;
    StrMap *shared = labels && s->label ? rd_sheet_shared(s, cols, n) : NULL;
    sheet_row(s, -1, typed, cols, n, cells, shared);
    row(ctx, cells, n, true);
    for (size_t r = 0; r < s->nrows; r++)
        if (!(s->total && s->total[r])) {
            sheet_row(s, (long)r, typed, cols, n, cells, shared);
            row(ctx, cells, n, false);
        }
    rd_sheet_shared_free(shared, n);
    free(cols);
    free(cells);
}

void rd_item_rows(const RenderItem *it, bool typed, GridRowFn *row, void *ctx)
{
    if (it->kind == RI_TABLE)
        table_rows(&it->table, it->lang, typed, it->labels, row, ctx);
    else
        sheet_rows(&it->sheet, typed, it->labels, row, ctx);
}

/* ---- grids ----------------------------------------------------------------------------- */

/* Keeps a row in the grid: texts copied into its arena, cells grown as rows come. */
static void keep_row(void *ctx, const RenderCell *cells, size_t n, bool head)
{
    RenderGrid *g = ctx;
    Arena *a = &g->arena;
    if (head) {
        g->ncols = n;
        g->heads = arena_alloc(a, (n + 1) * sizeof *g->heads);
        for (size_t c = 0; c < n; c++)
            g->heads[c] = arena_strdup(a, cells[c].text);
        return;
    }
    if (g->nrows == g->cap) {
        g->cap = g->cap ? 2 * g->cap : 16;
        g->cells = xrealloc(g->cells, g->cap * (n + 1) * sizeof *g->cells);
    }
    RenderCell *row = &g->cells[g->nrows++ * n];
    for (size_t c = 0; c < n; c++) {
        row[c] = cells[c];
        row[c].text = arena_strdup(a, cells[c].text);
    }
}

RenderGrid *render_grid(const RenderDoc *d)
{
    RenderGrid *g = xcalloc(1, sizeof *g);
    g->refs = 1;
    for (size_t i = 0; i < d->nitems; i++)
        if (rd_item_shown(&d->items[i], RENDER_FLAT)) {
            rd_item_rows(&d->items[i], true, keep_row, g);
            break;
        }
    return g;
}

int render_grid_keys_note(const RenderGrid *g, int nkey)
{
    return g && nkey >= 0 && nkey < RENDER_GRID_KEYS ? g->keys[nkey] : 0;
}

void render_grid_set_keys_note(const RenderGrid *g, int nkey, int note)
{
    if (g && nkey >= 0 && nkey < RENDER_GRID_KEYS) /* a memo: the cells stay as they are */
        ((RenderGrid *)g)->keys[nkey] = (signed char)(note > 0 ? 1 : note < 0 ? -1 : 0);
}

RenderGrid *render_grid_ref(RenderGrid *g)
{
    if (g)
        g->refs++;
    return g;
}

void render_grid_unref(RenderGrid *g)
{
    if (!g || --g->refs > 0)
        return;
    free(g->cells);
    arena_free(&g->arena);
    free(g);
}

bool render_grid_equal(const RenderGrid *a, const RenderGrid *b)
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
