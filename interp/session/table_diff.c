/* table_diff.c -- comparing two logical grids of one table cell by cell
 * (for `salesplan diff` and the REPL).  It reads only grids (render.h),
 * typed where a cell is a number, and never evaluates or parses anything. */
#include "session/table_diff.h"

#include <stdlib.h>
#include <string.h>

static const RenderGrid no_grid = {0};

char *session_show_key(const Node *s)
{
    Buf b = {0};
    buf_printf(&b, "%s%s", ast_show_word(s->op), s->name);
    for (const Node *m = s->op == SHOW_METRIC ? s->b : NULL; m; m = m->next)
        buf_printf(&b, ", %s", m->name);
    for (const Node *l = s->a; l; l = l->next)
        buf_printf(&b, "%s%s", l == s->a ? " by " : ", ", l->name);
    char *k = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return k;
}

int session_key_columns(const Node *s)
{
    if (s->op == SHOW_METRIC || s->op == SHOW_REFORECAST)
        return 1; /* the row's member */
    return s->op == SHOW_INCENTIVE ? 2 : 3;
}

static const RenderCell *grid_row(const RenderGrid *g, size_t r)
{
    return &g->cells[r * g->ncols];
}

/* "north", "Q1 / zhang": the key columns of row r, joined (in arena a). */
static char *row_key(const RenderGrid *g, size_t r, int nkey, Arena *a)
{
    Buf b = {0};
    for (int k = 0; k < nkey && (size_t)k < g->ncols; k++)
        buf_printf(&b, "%s%s", k ? " / " : "", grid_row(g, r)[k].text);
    char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

/* Decimals as written: "12.50" has 2. */
static int text_decimals(const char *s)
{
    const char *dot = strchr(s, '.');
    return dot ? (int)strlen(dot + 1) : 0;
}

/* The delta and the change in percent of two number cells ("" when either
 * is not a number, or old is 0 for the percent). */
static void change_delta(Arena *a, const RenderCell *old, const RenderCell *new_, const char **t)
{
    Num d, q, pct;
    char buf[VF_BUFSZ];
    t[5] = t[6] = "";
    if (!old || !new_ || !old->is_num || !new_->is_num ||
        num_sub(new_->num, old->num, &d) != NUM_OK)
        return;
    int dec = text_decimals(old->text), dn = text_decimals(new_->text);
    dec = dn > dec ? dn : dec;
    t[5] = arena_strdup(a, vf_fmt(d, &(ValFmt){.min_dec = dec, .max_dec = dec, .plus = true}, buf));
    if (!num_is_zero(old->num) && num_div(d, num_abs(old->num), &q) == NUM_OK &&
        num_mul(q, num_from_int(100), &pct) == NUM_OK) {
        ValFmt f = {.min_dec = 2, .max_dec = 2, .plus = true, .suffix = "%"};
        t[6] = arena_strdup(a, vf_fmt(pct, &f, buf));
    }
}

/* Money in the plan's unit for people (the delta signed). */
static const char *amount(TdChanges *ch, Num x, bool plus)
{
    char buf[VF_BUFSZ];
    vf_amount(x, ch->unit, ch->decimals, buf);
    return arena_printf(&ch->arena, "%s%s", plus && num_sign(x) > 0 ? "+" : "", buf);
}

/* What people read of a changed cell: the plain texts, but old, new and
 * delta of a money cell in the plan's display unit when it has one. */
static void change_shown(TdChanges *ch, const RenderCell *old, const RenderCell *new_,
                         const char **t, const char **sh)
{
    memcpy(sh, t, TDIFF_COLS * sizeof *sh);
    if (!vf_unit_exp(ch->unit) || !((old && old->money) || (new_ && new_->money)))
        return;
    Num d;
    if (old && old->is_num)
        sh[3] = amount(ch, old->num, false);
    if (new_ && new_->is_num)
        sh[4] = amount(ch, new_->num, false);
    if (old && new_ && old->is_num && new_->is_num && num_sub(new_->num, old->num, &d) == NUM_OK)
        sh[5] = amount(ch, d, true);
}

static void change_add(TdChanges *ch, const char *table, const char *row, const char *col,
                       const RenderCell *old, const RenderCell *new_)
{
    if (ch->nrows == ch->cap) {
        ch->cap = ch->cap ? 2 * ch->cap : 64;
        ch->text = xrealloc(ch->text, ch->cap * TDIFF_COLS * sizeof *ch->text);
        ch->shown = xrealloc(ch->shown, ch->cap * TDIFF_COLS * sizeof *ch->shown);
    }
    const char **t = &ch->text[ch->nrows * TDIFF_COLS];
    const char **sh = &ch->shown[ch->nrows++ * TDIFF_COLS];
    t[0] = arena_strdup(&ch->arena, table);
    t[1] = arena_strdup(&ch->arena, row);
    t[2] = arena_strdup(&ch->arena, col);
    t[3] = arena_strdup(&ch->arena, old ? old->text : "");
    t[4] = arena_strdup(&ch->arena, new_ ? new_->text : "");
    change_delta(&ch->arena, old, new_, t);
    change_shown(ch, old, new_, t, sh);
}

/* Matching two grids: the rows of the old one by key, b's columns in a's. */
typedef struct {
    TdChanges *ch;
    const char *table;
    int nkey;
    const RenderGrid *a, *b;
    StrMap old_rows, seen;
    char **keys_a;
    long *col_of; /* b's column -> a's (the last of that name), or -1 */
    Arena arena;
} Match;

static void match_init(Match *m)
{
    const RenderGrid *a = m->a, *b = m->b;
    m->keys_a = xcalloc(a->nrows + 1, sizeof *m->keys_a);
    for (size_t r = 0; r < a->nrows; r++) {
        m->keys_a[r] = row_key(a, r, m->nkey, &m->arena);
        strmap_put(&m->old_rows, m->keys_a[r], (void *)grid_row(a, r));
    }
    m->col_of = xcalloc(b->ncols + 1, sizeof *m->col_of);
    for (size_t c = 0; c < b->ncols; c++) {
        m->col_of[c] = -1;
        for (size_t j = (size_t)m->nkey; j < a->ncols; j++)
            if (strcmp(a->heads[j], b->heads[c]) == 0)
                m->col_of[c] = (long)j;
    }
}

/* Cells of the old row in columns the new side no longer has. */
static void dropped_columns(Match *m, const char *k, const RenderCell *orow)
{
    for (size_t j = (size_t)m->nkey; j < m->a->ncols; j++) {
        bool kept = false;
        for (size_t c = (size_t)m->nkey; c < m->b->ncols && !kept; c++)
            kept = m->col_of[c] == (long)j;
        if (!kept && orow[j].text[0])
            change_add(m->ch, m->table, k, m->a->heads[j], &orow[j], NULL);
    }
}

/* Row r of the new grid against the old row with its key, if any. */
static void match_row(Match *m, size_t r)
{
    const RenderGrid *b = m->b;
    const RenderCell *brow = grid_row(b, r);
    char *k = row_key(b, r, m->nkey, &m->arena);
    const RenderCell *orow = strmap_get(&m->old_rows, k);
    strmap_put(&m->seen, k, (void *)brow);
    for (size_t c = (size_t)m->nkey; c < b->ncols; c++) {
        const RenderCell *ov = orow && m->col_of[c] >= 0 ? &orow[m->col_of[c]] : NULL;
        if (ov ? strcmp(ov->text, brow[c].text) != 0 : brow[c].text[0] != '\0')
            change_add(m->ch, m->table, k, b->heads[c], ov, &brow[c]);
    }
    if (orow && m->ch->old_columns)
        dropped_columns(m, k, orow);
}

size_t session_diff(TdChanges *ch, const char *table, int nkey, const RenderGrid *a,
                    const RenderGrid *b)
{
    Match m = {ch, table, nkey, a ? a : &no_grid, b ? b : &no_grid, {0}, {0}, NULL, NULL, {0}};
    size_t before = ch->nrows;
    match_init(&m);
    for (size_t r = 0; r < m.b->nrows; r++)
        match_row(&m, r);
    for (size_t r = 0; r < m.a->nrows; r++) { /* rows only the old side has */
        if (strmap_get(&m.seen, m.keys_a[r]))
            continue;
        const RenderCell *arow = grid_row(m.a, r);
        for (size_t c = (size_t)nkey; c < m.a->ncols; c++)
            if (arow[c].text[0])
                change_add(ch, table, m.keys_a[r], m.a->heads[c], &arow[c], NULL);
    }
    free(m.keys_a);
    free(m.col_of);
    strmap_free(&m.old_rows);
    strmap_free(&m.seen);
    arena_free(&m.arena);
    return ch->nrows - before;
}

size_t session_diff_changed(TdChanges *ch, const char *table, int nkey, const RenderGrid *a,
                            const RenderGrid *b)
{
    return render_grid_equal(a, b) ? 0 : session_diff(ch, table, nkey, a, b);
}

/* Whether the grid has a column name twice. */
static bool repeated_heads(const RenderGrid *g)
{
    StrMap names = {0};
    bool twice = false;
    for (size_t c = 0; c < g->ncols && !twice; c++)
        twice = strmap_put(&names, g->heads[c], (void *)g) != NULL;
    strmap_free(&names);
    return twice;
}

/* Whether the rows of a grid have unique keys (row_key) over nkey
 * columns: 1 when they do, -1 when a key comes twice.  The grid remembers the answer. */
static int keys_unique(const RenderGrid *g, int nkey)
{
    int note = render_grid_keys_note(g, nkey);
    if (note)
        return note;
    StrMap keys = {0};
    Arena arena = {0};
    note = 1;
    for (size_t r = 0; r < g->nrows && note > 0; r++) {
        char *key = row_key(g, r, nkey, &arena);
        if (strmap_put(&keys, key, key))
            note = -1;
    }
    strmap_free(&keys);
    arena_free(&arena);
    render_grid_set_keys_note(g, nkey, note);
    return note;
}

/* Counts changed cells walking both grids row by row when they have the
 * same columns and the same keys in the same order (what a what-if
 * usually leaves); -1 when they do not, and the full comparison must
 * match them.  Keys that are the same row by row are unique in both grids
 * or in neither: what one grid remembers holds for the other. */
static long count_aligned(int nkey, const RenderGrid *a, const RenderGrid *b)
{
    if (a->ncols != b->ncols || a->nrows != b->nrows || repeated_heads(a))
        return -1;
    for (size_t c = 0; c < a->ncols; c++)
        if (strcmp(a->heads[c], b->heads[c]) != 0)
            return -1;
    size_t kc = (size_t)nkey < a->ncols ? (size_t)nkey : a->ncols;
    long n = 0;
    for (size_t r = 0; r < a->nrows; r++) {
        const RenderCell *x = grid_row(a, r), *y = grid_row(b, r);
        for (size_t k = 0; k < kc; k++)
            if (strcmp(x[k].text, y[k].text) != 0)
                return -1;
        for (size_t c = kc; c < a->ncols; c++)
            n += strcmp(x[c].text, y[c].text) != 0;
    }
    int note = render_grid_keys_note(b, nkey);
    if (!note) {
        note = keys_unique(a, nkey);
        render_grid_set_keys_note(b, nkey, note);
    }
    return note > 0 ? n : -1; /* a key twice: the full comparison pairs rows */
}

size_t session_diff_count(int nkey, const RenderGrid *a, const RenderGrid *b)
{
    if (render_grid_equal(a, b))
        return 0;
    long n = a && b && a->ncols && b->ncols ? count_aligned(nkey, a, b) : -1;
    if (n >= 0)
        return (size_t)n;
    TdChanges ch = {0};
    ch.old_columns = true;
    size_t m = session_diff(&ch, "", nkey, a, b);
    session_diff_free(&ch);
    return m;
}

void session_diff_free(TdChanges *ch)
{
    free(ch->text);
    free(ch->shown);
    arena_free(&ch->arena);
    memset(ch, 0, sizeof *ch);
}

void session_diff_sheet(RenderDoc *doc, const TdChanges *ch, const char *old_name,
                        const char *new_name)
{
    static const bool right[TDIFF_COLS] = {false, false, false, true, true, true, true};
    static const bool jnum[TDIFF_COLS] = {false};
    const char **heads = arena_alloc(render_arena(doc), TDIFF_COLS * sizeof *heads);
    const char *names[TDIFF_COLS] = {"table",  "row",   "column", old_name,
                                     new_name, "delta", "change"};
    memcpy(heads, names, sizeof names);
    Sheet s = {0};
    s.ncols = TDIFF_COLS;
    s.nrows = ch->nrows;
    s.heads = heads;
    s.right = right;
    s.json_num = jnum;
    s.text = ch->shown;
    s.plain = ch->text;
    s.group = 0; /* people: one table per table compared */
    render_add_sheet(doc, &s);
}
