/* diff.c -- `salesplan diff OLD.plan NEW.plan`: what a change to a plan
 * does to its numbers, cell by cell.
 *
 * Both plans are loaded and evaluated as `run` would.  The tables compared
 * are those --show names, or else every table either plan shows (reports,
 * show statements, one table per split metric and dimension, and the
 * reviews when there are actuals).  Each table is evaluated on both sides
 * into its CSV form (SPEC §15), so cells are compared exactly as they are
 * published: rows are matched by their key columns (the member; period
 * and member for statements; and the KPI or metric for scorecards and
 * reviews), columns by name.  A table one side lacks counts as all its
 * cells added or removed.  Nothing changed: no output, exit 0; changes:
 * one table of changed cells per table, exit 1.
 */
#include "diff.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "resolve.h"
#include "run.h"

typedef struct {
    const char *file;
    Diags d;
    Program *p;
    Engine en;
    bool engine;
    Actuals *act;
    Measure ms;
    bool measure;
    ShowList l;
    const Node *scenario;
} Side;

/* The text that identifies a show on both sides: "revenue by region, quarter". */
static char *show_key(const Node *s)
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

static int key_columns(const Node *s)
{
    return s->op == SHOW_METRIC ? 1 : s->op == SHOW_INCENTIVE ? 2 : 3;
}

static void side_free(Side *sd)
{
    if (sd->measure)
        ms_free(&sd->ms);
    act_free(sd->act);
    if (sd->engine)
        engine_free(&sd->en);
    free(sd->l.shows);
    free(sd->l.titles);
    if (sd->p)
        prog_free(sd->p);
}

static void flush_side(Side *sd)
{
    bool first = true;
    sd->d.color = isatty(2) && !getenv("NO_COLOR");
    diag_flush(&sd->d, stderr, FMT_TEXT, &first);
    if (sd->d.nerrors)
        diag_count_line(&sd->d, stderr, sd->file);
}

/* Loads, checks and prepares one plan; 0, 1 (invalid) or 2 (file/data). */
static int side_load(Side *sd, const DiffOpts *o)
{
    sd->p = prog_new(&sd->d);
    for (int i = 0; i < o->nallow; i++)
        prog_allow_path(sd->p, o->allow[i]);
    if (!prog_load_file(sd->p, sd->file))
        return 2;
    prog_check(sd->p);
    if (sd->d.nerrors)
        return sd->p->data_error ? 2 : 1;
    engine_init(&sd->en, sd->p);
    sd->engine = true;
    Arena *arena = &sd->p->main->arena;
    if (o->nshows) {
        for (int i = 0; i < o->nshows; i++) {
            Buf text = {0};
            buf_printf(&text, "show %s", o->shows[i]);
            Node *items = prog_parse_extra(sd->p, "--show", buf_cstr(&text));
            buf_free(&text);
            if (!items || items->kind != N_SHOW || items->next) {
                if (!sd->d.nerrors)
                    diag_error(&sd->d, (Loc){0}, "--show '%s' is not a show statement", o->shows[i]);
                return 2;
            }
            resolve_extra(sd->p, items);
            if (sd->d.nerrors)
                return 2;
            sd->l.shows = xrealloc(sd->l.shows, (size_t)(sd->l.n + 1) * sizeof *sd->l.shows);
            sd->l.titles = xrealloc(sd->l.titles, (size_t)(sd->l.n + 1) * sizeof *sd->l.titles);
            sd->l.shows[sd->l.n] = items;
            sd->l.titles[sd->l.n++] = NULL;
        }
    } else {
        run_plan_shows(sd->p, &sd->l);
        run_default_shows(sd->p, &sd->en, arena, &sd->l);
        if (o->nactuals)
            run_review_shows(sd->p, arena, &sd->l);
    }
    bool need = o->nactuals > 0;
    for (int i = 0; i < sd->l.n; i++)
        need |= sd->l.shows[i]->op != SHOW_METRIC;
    bool none = false;
    if (need)
        sd->act = act_load_all(sd->p, o->actuals, o->nactuals, false, &none);
    if (sd->d.nerrors)
        return sd->p->data_error ? 2 : 1;
    ms_init(&sd->ms, sd->p, &sd->en, sd->act, NULL, -1);
    sd->measure = true;
    return 0;
}

/* ---- cells ---------------------------------------------------------------------------------- */

typedef struct {
    char **heads;
    size_t ncols;
    char ***rows; /* each ncols strings */
    size_t nrows;
} Csv;

static void csv_free_all(Csv *c)
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

/* Reads the first table of our own CSV output (a blank line ends it). */
static void csv_read(const Buf *b, Csv *c)
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

static char *row_key(const Csv *c, size_t r, int nkey)
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

typedef struct {
    Arena arena;
    size_t ncols, nrows, cap;
    const char **text;
} Changes;

static void change_add(Changes *ch, const char *table, const char *row, const char *col,
                       const char *old, const char *new_)
{
    if (ch->nrows == ch->cap) {
        ch->cap = ch->cap ? 2 * ch->cap : 64;
        ch->text = xrealloc(ch->text, ch->cap * 7 * sizeof *ch->text);
    }
    const char **t = &ch->text[ch->nrows++ * 7];
    t[0] = arena_strdup(&ch->arena, table);
    t[1] = arena_strdup(&ch->arena, row);
    t[2] = arena_strdup(&ch->arena, col);
    t[3] = arena_strdup(&ch->arena, old ? old : "");
    t[4] = arena_strdup(&ch->arena, new_ ? new_ : "");
    t[5] = t[6] = "";
    Num a, b, d;
    if (old && new_ && parse_signed(old, &a) && parse_signed(new_, &b) && num_sub(b, a, &d) == NUM_OK) {
        char buf[NUM_BUFSZ];
        int dec = text_decimals(old) > text_decimals(new_) ? text_decimals(old) : text_decimals(new_);
        num_fmt(d, dec, false, buf);
        t[5] = arena_printf(&ch->arena, "%s%s", num_sign(d) > 0 ? "+" : "", buf);
        Num q, pct;
        if (!num_is_zero(a) && num_div(d, num_abs(a), &q) == NUM_OK &&
            num_mul(q, num_from_int(100), &pct) == NUM_OK) {
            num_fmt(pct, 2, false, buf);
            t[6] = arena_printf(&ch->arena, "%s%s%%", num_sign(pct) > 0 ? "+" : "", buf);
        }
    }
}

/* Compares one table's two CSV forms, adding its changed cells. */
static void compare(Changes *ch, const char *table, int nkey, const Csv *a, const Csv *b)
{
    StrMap old_rows = {0}, seen = {0};
    char **keys_a = xcalloc(a->nrows + 1, sizeof *keys_a);
    for (size_t r = 0; r < a->nrows; r++) {
        keys_a[r] = row_key(a, r, nkey);
        strmap_put(&old_rows, keys_a[r], a->rows[r]);
    }
    char **keys_b = xcalloc(b->nrows + 1, sizeof *keys_b);
    for (size_t r = 0; r < b->nrows; r++) {
        char *k = keys_b[r] = row_key(b, r, nkey);
        char **orow = strmap_get(&old_rows, k);
        strmap_put(&seen, k, b->rows[r]);
        for (size_t c = (size_t)nkey; c < b->ncols; c++) {
            const char *ov = NULL;
            for (size_t j = (size_t)nkey; orow && j < a->ncols; j++)
                if (strcmp(a->heads[j], b->heads[c]) == 0)
                    ov = orow[j];
            const char *nv = b->rows[r][c];
            if (ov ? strcmp(ov, nv) != 0 : nv[0] != '\0')
                change_add(ch, table, k, b->heads[c], ov, nv);
        }
    }
    for (size_t r = 0; r < a->nrows; r++) { /* rows only the old plan has */
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
    strmap_free(&old_rows);
    strmap_free(&seen);
}

static const Node *find_show(const Side *sd, const char *key)
{
    for (int i = 0; i < sd->l.n; i++) {
        char *k = show_key(sd->l.shows[i]);
        bool same = strcmp(k, key) == 0;
        free(k);
        if (same)
            return sd->l.shows[i];
    }
    return NULL;
}

static int eval_show(Side *sd, const Node *s, Buf *out)
{
    if (!s)
        return 0;
    return run_show_csv(sd->p, &sd->en, &sd->ms, s, out) == 0 && !sd->d.nerrors ? 0 : -1;
}

int diff_plans(const DiffOpts *o)
{
    Side sides[2];
    memset(sides, 0, sizeof sides);
    sides[0].file = o->old_file;
    sides[1].file = o->new_file;
    int rc = 0;
    for (int i = 0; i < 2 && !rc; i++) {
        rc = side_load(&sides[i], o);
    }
    Changes ch = {0};
    int tables = 0;
    if (!rc) {
        /* every table of the new plan, then those only the old one shows */
        char **keys = NULL;
        const Node **shows[2] = {NULL, NULL};
        int n = 0;
        for (int s = 1; s >= 0; s--)
            for (int i = 0; i < sides[s].l.n; i++) {
                char *k = show_key(sides[s].l.shows[i]);
                bool dup = false;
                for (int j = 0; j < n && !dup; j++)
                    dup = strcmp(keys[j], k) == 0;
                if (dup) {
                    free(k);
                    continue;
                }
                keys = xrealloc(keys, (size_t)(n + 1) * sizeof *keys);
                shows[0] = xrealloc(shows[0], (size_t)(n + 1) * sizeof *shows[0]);
                shows[1] = xrealloc(shows[1], (size_t)(n + 1) * sizeof *shows[1]);
                keys[n] = k;
                shows[0][n] = find_show(&sides[0], k);
                shows[1][n] = find_show(&sides[1], k);
                n++;
            }
        for (int i = 0; i < n && !rc; i++) {
            Buf b[2] = {{0}, {0}};
            for (int s = 0; s < 2; s++)
                if (eval_show(&sides[s], shows[s][i], &b[s]) < 0)
                    rc = sides[s].p->data_error ? 2 : 1;
            if (!rc) {
                Csv c[2];
                csv_read(&b[0], &c[0]);
                csv_read(&b[1], &c[1]);
                size_t before = ch.nrows;
                const Node *any = shows[1][i] ? shows[1][i] : shows[0][i];
                compare(&ch, keys[i], key_columns(any), &c[0], &c[1]);
                tables += ch.nrows > before;
                csv_free_all(&c[0]);
                csv_free_all(&c[1]);
            }
            buf_free(&b[0]);
            buf_free(&b[1]);
        }
        for (int i = 0; i < n; i++)
            free(keys[i]);
        free(keys);
        free(shows[0]);
        free(shows[1]);
    }
    if (!rc && ch.nrows) {
        static const char *heads[] = {"table", "row", "column", "old", "new", "delta", "change"};
        static const bool right[] = {false, false, false, true, true, true, true};
        static const bool jnum[] = {false, false, false, false, false, false, false};
        Buf out = {0};
        OutOpts oo = {o->format, "", NULL, o->format == OUT_TABLE && isatty(1) && !getenv("NO_COLOR")};
        char *title = NULL;
        Buf t = {0};
        buf_printf(&t, "salesplan diff %s %s: %zu cell%s changed in %d table%s", o->old_file, o->new_file,
                   ch.nrows, ch.nrows == 1 ? "" : "s", tables, tables == 1 ? "" : "s");
        title = xstrdup(buf_cstr(&t));
        buf_free(&t);
        if (o->format == OUT_TABLE || o->format == OUT_MD)
            buf_printf(&out, "%s%s\n\n", o->format == OUT_MD ? "**" : "", title);
        if (o->format == OUT_MD) { /* close the bold */
            out.len -= 2;
            buf_puts(&out, "**\n\n");
        }
        Sheet s = {NULL,
                   NULL,
                   7,
                   ch.nrows,
                   heads,
                   right,
                   jnum,
                   ch.text,
                   ch.text,
                   NULL,
                   NULL,
                   o->format == OUT_TABLE || o->format == OUT_MD ? 0 : -1,
                   NULL,
                   NULL};
        if (o->format == OUT_JSON)
            report_json_begin(&out);
        report_sheet(&out, &s, &oo, 0);
        if (o->format == OUT_JSON)
            report_json_end(&out);
        fwrite(buf_cstr(&out), 1, out.len, stdout);
        buf_free(&out);
        free(title);
        rc = 1;
    }
    free(ch.text);
    arena_free(&ch.arena);
    for (int i = 0; i < 2; i++) {
        flush_side(&sides[i]);
        side_free(&sides[i]);
        diag_free(&sides[i].d);
    }
    return rc;
}
