/* tdiff.c -- comparing two CSV forms of one table cell by cell (for
 * `salesplan diff` and the REPL).  It reads only our own CSV output and
 * never evaluates anything. */
#include "session/table_diff.h"

#include <stdlib.h>
#include <string.h>

#include "data/csv.h"

char *tdiff_show_key(const Node *s)
{
    Buf b = {0};
    static const char *const what[] = {"", "scorecard ", "incentive ", "review "};
    buf_printf(&b, "%s%s", what[s->op], s->name);
    for (const Node *l = s->a; l; l = l->next)
        buf_printf(&b, "%s%s", l == s->a ? " by " : ", ", l->name);
    char *k = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return k;
}

int tdiff_key_columns(const Node *s)
{
    return s->op == SHOW_METRIC ? 1 : s->op == SHOW_INCENTIVE ? 2 : 3;
}

void tdiff_csv_free(TdCsv *c)
{
    for (size_t r = 0; r < c->nrows; r++) {
        for (size_t k = 0; k < c->ncols; k++)
            free(c->rows[r][k]);
        free(c->rows[r]);
    }
    for (size_t k = 0; k < c->ncols; k++)
        free(c->heads[k]);
    free(c->rows);
    free(c->heads);
    memset(c, 0, sizeof *c);
}

void tdiff_csv_read(const Buf *b, TdCsv *c)
{
    memset(c, 0, sizeof *c);
    if (!b->len)
        return;
    CsvReader *r = csv_open_mem(b->data, b->len);
    CsvRow row;
    bool head = true;
    while (csv_next(r, &row) == 1) {
        if (row.nfields == 1 && row.lens[0] == 0)
            break;
        if (head) {
            c->ncols = row.nfields;
            c->heads = xcalloc(c->ncols, sizeof *c->heads);
            for (size_t k = 0; k < c->ncols; k++)
                c->heads[k] = xstrdup(row.fields[k]);
            head = false;
            continue;
        }
        char **cells = xcalloc(c->ncols, sizeof *cells);
        for (size_t k = 0; k < c->ncols; k++)
            cells[k] = xstrdup(k < row.nfields ? row.fields[k] : "");
        c->rows = xrealloc(c->rows, (c->nrows + 1) * sizeof *c->rows);
        c->rows[c->nrows++] = cells;
    }
    csv_close(r);
}

static char *row_key(const TdCsv *c, size_t r, int nkey)
{
    Buf b = {0};
    for (int k = 0; k < nkey && (size_t)k < c->ncols; k++)
        buf_printf(&b, "%s%s", k ? " / " : "", c->rows[r][k]);
    char *s = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return s;
}

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

/* Decimals as written: "12.50" has 2. */
static int text_decimals(const char *s)
{
    const char *dot = strchr(s, '.');
    return dot ? (int)strlen(dot + 1) : 0;
}

static void change_add(TdChanges *ch, const char *table, const char *row, const char *col,
                       const char *old, const char *new_)
{
    if (ch->nrows == ch->cap) {
        ch->cap = ch->cap ? 2 * ch->cap : 64;
        ch->text = xrealloc(ch->text, ch->cap * TDIFF_COLS * sizeof *ch->text);
    }
    const char **t = &ch->text[ch->nrows++ * TDIFF_COLS];
    t[0] = arena_strdup(&ch->arena, table);
    t[1] = arena_strdup(&ch->arena, row);
    t[2] = arena_strdup(&ch->arena, col);
    t[3] = arena_strdup(&ch->arena, old ? old : "");
    t[4] = arena_strdup(&ch->arena, new_ ? new_ : "");
    t[5] = t[6] = "";
    Num a, b, d;
    if (old && new_ && parse_signed(old, &a) && parse_signed(new_, &b) &&
        num_sub(b, a, &d) == NUM_OK) {
        char buf[NUM_BUFSZ];
        int dec =
            text_decimals(old) > text_decimals(new_) ? text_decimals(old) : text_decimals(new_);
        t[5] = arena_strdup(&ch->arena, vf_fmt(d, &(ValFmt){.min_dec = dec, .max_dec = dec, .plus = true}, buf));
        Num q, pct;
        if (!num_is_zero(a) && num_div(d, num_abs(a), &q) == NUM_OK &&
            num_mul(q, num_from_int(100), &pct) == NUM_OK) {
            ValFmt f = {.min_dec = 2, .max_dec = 2, .plus = true, .suffix = "%"};
            t[6] = arena_strdup(&ch->arena, vf_fmt(pct, &f, buf));
        }
    }
}

size_t tdiff_compare(TdChanges *ch, const char *table, int nkey, const TdCsv *a, const TdCsv *b)
{
    size_t before = ch->nrows;
    StrMap old_rows = {0}, seen = {0};
    char **keys_a = xcalloc(a->nrows + 1, sizeof *keys_a);
    for (size_t r = 0; r < a->nrows; r++) {
        keys_a[r] = row_key(a, r, nkey);
        strmap_put(&old_rows, keys_a[r], a->rows[r]);
    }
    long *col_of = xcalloc(b->ncols + 1, sizeof *col_of); /* b's column -> a's, or -1 */
    for (size_t c = 0; c < b->ncols; c++) {
        col_of[c] = -1;
        for (size_t j = (size_t)nkey; j < a->ncols; j++)
            if (strcmp(a->heads[j], b->heads[c]) == 0)
                col_of[c] = (long)j;
    }
    char **keys_b = xcalloc(b->nrows + 1, sizeof *keys_b);
    for (size_t r = 0; r < b->nrows; r++) {
        char *k = keys_b[r] = row_key(b, r, nkey);
        char **orow = strmap_get(&old_rows, k);
        strmap_put(&seen, k, b->rows[r]);
        for (size_t c = (size_t)nkey; c < b->ncols; c++) {
            const char *ov = orow && col_of[c] >= 0 ? orow[col_of[c]] : NULL;
            const char *nv = b->rows[r][c];
            if (ov ? strcmp(ov, nv) != 0 : nv[0] != '\0')
                change_add(ch, table, k, b->heads[c], ov, nv);
        }
        for (size_t j = (size_t)nkey; orow && ch->old_columns && j < a->ncols; j++) {
            bool kept = false; /* a column the new side no longer has */
            for (size_t c = (size_t)nkey; c < b->ncols && !kept; c++)
                kept = col_of[c] == (long)j;
            if (!kept && orow[j][0])
                change_add(ch, table, k, a->heads[j], orow[j], NULL);
        }
    }
    for (size_t r = 0; r < a->nrows; r++) { /* rows only the old side has */
        if (strmap_get(&seen, keys_a[r]))
            continue;
        for (size_t c = (size_t)nkey; c < a->ncols; c++)
            if (a->rows[r][c][0])
                change_add(ch, table, keys_a[r], a->heads[c], a->rows[r][c], NULL);
    }
    for (size_t r = 0; r < a->nrows; r++)
        free(keys_a[r]);
    for (size_t r = 0; r < b->nrows; r++)
        free(keys_b[r]);
    free(keys_a);
    free(keys_b);
    free(col_of);
    strmap_free(&old_rows);
    strmap_free(&seen);
    return ch->nrows - before;
}

size_t tdiff_compare_csv(TdChanges *ch, const char *table, int nkey, const Buf *a, const Buf *b)
{
    if (a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0))
        return 0;
    TdCsv c[2];
    tdiff_csv_read(a, &c[0]);
    tdiff_csv_read(b, &c[1]);
    size_t n = tdiff_compare(ch, table, nkey, &c[0], &c[1]);
    tdiff_csv_free(&c[0]);
    tdiff_csv_free(&c[1]);
    return n;
}

static bool same_field(const CsvRow *x, const CsvRow *y, size_t k)
{
    return x->lens[k] == y->lens[k] && memcmp(x->fields[k], y->fields[k], x->lens[k]) == 0;
}

static bool end_of_table(int got, const CsvRow *r)
{
    return got != 1 || (r->nfields == 1 && r->lens[0] == 0);
}

/* Counts changed cells walking both tables row by row when they have the
 * same columns and the same rows in the same order (what a what-if usually
 * leaves); -1 when they do not, and the full comparison must match them. */
static long count_aligned(int nkey, const Buf *a, const Buf *b)
{
    CsvReader *ra = csv_open_mem(a->data, a->len), *rb = csv_open_mem(b->data, b->len);
    CsvRow x, y;
    long n = 0;
    StrMap names = {0}, keys = {0};
    Arena arena = {0};
    int gx = csv_next(ra, &x), gy = csv_next(rb, &y);
    size_t ncols = gx == 1 ? x.nfields : 0;
    if (end_of_table(gx, &x) || end_of_table(gy, &y) || y.nfields != ncols)
        n = -1;
    for (size_t k = 0; n >= 0 && k < ncols; k++) { /* equal headers, no name twice */
        if (!same_field(&x, &y, k) || strmap_get(&names, x.fields[k]))
            n = -1;
        else
            strmap_put(&names, arena_strdup(&arena, x.fields[k]), &names);
    }
    while (n >= 0) {
        gx = csv_next(ra, &x);
        gy = csv_next(rb, &y);
        bool ex = end_of_table(gx, &x), ey = end_of_table(gy, &y);
        if (ex || ey) {
            n = ex && ey ? n : -1;
            break;
        }
        if (x.nfields != ncols || y.nfields != ncols) {
            n = -1;
            break;
        }
        Buf key = {0};
        for (int k = 0; k < nkey && (size_t)k < ncols && n >= 0; k++) {
            if (!same_field(&x, &y, (size_t)k))
                n = -1;
            buf_printf(&key, "%s%s", k ? " / " : "", x.fields[k]);
        }
        if (n >= 0 && strmap_get(&keys, buf_cstr(&key)))
            n = -1; /* a key twice: the full comparison decides which rows pair */
        else if (n >= 0)
            strmap_put(&keys, arena_strdup(&arena, buf_cstr(&key)), &keys);
        buf_free(&key);
        for (size_t k = (size_t)nkey; n >= 0 && k < ncols; k++)
            n += !same_field(&x, &y, k);
    }
    csv_close(ra);
    csv_close(rb);
    strmap_free(&names);
    strmap_free(&keys);
    arena_free(&arena);
    return n;
}

size_t tdiff_count_csv(int nkey, const Buf *a, const Buf *b)
{
    if (a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0))
        return 0;
    long n = a->len && b->len ? count_aligned(nkey, a, b) : -1;
    if (n >= 0)
        return (size_t)n;
    TdChanges ch = {0};
    ch.old_columns = true;
    size_t m = tdiff_compare_csv(&ch, "", nkey, a, b);
    tdiff_changes_free(&ch);
    return m;
}

void tdiff_changes_free(TdChanges *ch)
{
    free(ch->text);
    arena_free(&ch->arena);
    memset(ch, 0, sizeof *ch);
}

void tdiff_sheet(Buf *out, const TdChanges *ch, const OutOpts *o, const char *old_name,
                 const char *new_name)
{
    const char *heads[TDIFF_COLS] = {"table",  "row",   "column", old_name,
                                     new_name, "delta", "change"};
    static const bool right[] = {false, false, false, true, true, true, true};
    static const bool jnum[] = {false, false, false, false, false, false, false};
    Sheet s = {0};
    s.ncols = TDIFF_COLS;
    s.nrows = ch->nrows;
    s.heads = heads;
    s.right = right;
    s.json_num = jnum;
    s.text = ch->text;
    s.plain = ch->text;
    s.group = o->format == OUT_TABLE || o->format == OUT_MD ? 0 : -1;
    if (o->format == OUT_JSON)
        report_json_begin(out);
    report_sheet(out, &s, o, 0);
    if (o->format == OUT_JSON)
        report_json_end(out);
}
