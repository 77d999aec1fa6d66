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
#include "cli/cmd_diff.h"

#include <stdlib.h>
#include <string.h>

#include "base/term.h"
#include "check/check.h"
#include "session/session.h"
#include "session/table_diff.h"

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
    TdChanges ch = {0};
    int tables = 0;
    if (!rc) {
        /* every table of the new plan, then those only the old one shows */
        char **keys = NULL;
        const Node **shows[2] = {NULL, NULL};
        int n = 0;
        for (int s = 1; s >= 0; s--)
            for (int i = 0; i < sides[s].l.n; i++) {
                char *k = tdiff_show_key(sides[s].l.shows[i]);
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
                TdCsv c[2];
                tdiff_csv_read(&b[0], &c[0]);
                tdiff_csv_read(&b[1], &c[1]);
                const Node *any = shows[1][i] ? shows[1][i] : shows[0][i];
                tables += tdiff_compare(&ch, keys[i], tdiff_key_columns(any), &c[0], &c[1]) > 0;
                tdiff_csv_free(&c[0]);
                tdiff_csv_free(&c[1]);
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
        Buf out = {0};
        OutOpts oo = {o->format, "", NULL, o->format == OUT_TABLE && term_color(1)};
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
        tdiff_sheet(&out, &ch, &oo, "old", "new");
        fwrite(buf_cstr(&out), 1, out.len, stdout);
        buf_free(&out);
        free(title);
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
