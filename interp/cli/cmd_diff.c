/* diff.c -- `salesplan diff OLD.plan NEW.plan`: what a change to a plan
 * does to its numbers, cell by cell.
 *
 * Both plans are loaded and evaluated as `run` would.  The tables compared
 * are those --show names, or else every table either plan shows (reports,
 * show statements, one table per split metric and dimension, and the
 * reviews when there are actuals).  Each table is evaluated on both sides
 * into its logical grid (the cells of its CSV form, SPEC §15), so cells
 * are compared exactly as they are published: rows are matched by their key columns (the member; period
 * and member for statements; and the KPI or metric for scorecards and
 * reviews), columns by name.  A table one side lacks counts as all its
 * cells added or removed.  Nothing changed: no output, exit 0; changes:
 * one table of changed cells per table, exit 1.
 */
#include "cli/cmd_diff.h"

#include <stdlib.h>
#include <string.h>

#include "base/term.h"
#include "check/check.h"
#include "session/session.h"

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
    sd->d.color = term_color(2);
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
    check_program(sd->p);
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
            check_statement(sd->p, items);
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

static const Node *find_show(const Side *sd, const char *key)
{
    for (int i = 0; i < sd->l.n; i++) {
        char *k = tdiff_show_key(sd->l.shows[i]);
        bool same = strcmp(k, key) == 0;
        free(k);
        if (same)
            return sd->l.shows[i];
    }
    return NULL;
}

/* The grid of show s on one side (NULL when that side does not show it). */
static int eval_show(Side *sd, const Node *s, RenderGrid **out)
{
    *out = NULL;
    if (!s)
        return 0;
    return run_show_grid(&sd->en, &sd->ms, s, out) == 0 && !sd->d.nerrors ? 0 : -1;
}

/* The tables compared: every table of the new plan, then those only the
 * old one shows; each with its show on either side (or NULL). */
typedef struct {
    char **keys;
    const Node **shows[2];
    int n;
} TableList;

static bool listed(const TableList *t, const char *key)
{
    for (int j = 0; j < t->n; j++)
        if (strcmp(t->keys[j], key) == 0)
            return true;
    return false;
}

static void list_tables(Side *sides, TableList *t)
{
    memset(t, 0, sizeof *t);
    for (int s = 1; s >= 0; s--)
        for (int i = 0; i < sides[s].l.n; i++) {
            char *k = tdiff_show_key(sides[s].l.shows[i]);
            if (listed(t, k)) {
                free(k);
                continue;
            }
            t->keys = xrealloc(t->keys, (size_t)(t->n + 1) * sizeof *t->keys);
            for (int side = 0; side < 2; side++) {
                t->shows[side] = xrealloc(t->shows[side], (size_t)(t->n + 1) * sizeof *t->shows[side]);
                t->shows[side][t->n] = find_show(&sides[side], k);
            }
            t->keys[t->n++] = k;
        }
}

static void table_list_free(TableList *t)
{
    for (int i = 0; i < t->n; i++)
        free(t->keys[i]);
    free(t->keys);
    free(t->shows[0]);
    free(t->shows[1]);
}

/* Compares every table of the list; *tables counts those that changed.
 * Returns 0, or the exit status of a side that did not evaluate. */
static int compare_tables(Side *sides, const TableList *t, TdChanges *ch, int *tables)
{
    int rc = 0;
    for (int i = 0; i < t->n && !rc; i++) {
        RenderGrid *g[2] = {NULL, NULL};
        for (int s = 0; s < 2; s++)
            if (eval_show(&sides[s], t->shows[s][i], &g[s]) < 0)
                rc = sides[s].p->data_error ? 2 : 1;
        if (!rc) {
            const Node *any = t->shows[1][i] ? t->shows[1][i] : t->shows[0][i];
            *tables += tdiff_compare(ch, t->keys[i], tdiff_key_columns(any), g[0], g[1]) > 0;
        }
        rgrid_unref(g[0]);
        rgrid_unref(g[1]);
    }
    return rc;
}

/* The changed cells, under a line that counts them (people's formats). */
static void print_changes(const DiffOpts *o, const TdChanges *ch, int tables)
{
    RenderOpts ro = {"", NULL, term_color(1)};
    RenderDoc *doc = rdoc_new(o->format, &ro);
    Buf caption = {0}, out = {0};
    buf_printf(&caption, "salesplan diff %s %s: %zu cell%s changed in %d table%s", o->old_file,
               o->new_file, ch->nrows, ch->nrows == 1 ? "" : "s", tables, tables == 1 ? "" : "s");
    rdoc_caption(doc, buf_cstr(&caption));
    tdiff_add_sheet(doc, ch, "old", "new");
    render_doc(doc, &out);
    fwrite(buf_cstr(&out), 1, out.len, stdout);
    rdoc_free(doc);
    buf_free(&caption);
    buf_free(&out);
}

int diff_plans(const DiffOpts *o)
{
    Side sides[2];
    memset(sides, 0, sizeof sides);
    sides[0].file = o->old_file;
    sides[1].file = o->new_file;
    int rc = 0;
    for (int i = 0; i < 2 && !rc; i++)
        rc = side_load(&sides[i], o);
    TdChanges ch = {0};
    int tables = 0;
    if (!rc) {
        TableList t;
        list_tables(sides, &t);
        rc = compare_tables(sides, &t, &ch, &tables);
        table_list_free(&t);
    }
    if (!rc && ch.nrows) {
        print_changes(o, &ch, tables);
        rc = 1;
    }
    tdiff_changes_free(&ch);
    for (int i = 0; i < 2; i++) {
        flush_side(&sides[i]);
        side_free(&sides[i]);
        diag_free(&sides[i].d);
    }
    return rc;
}
