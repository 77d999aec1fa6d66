/* cmd_diff.c -- `salesplan diff OLD.plan NEW.plan`: what a change to a plan
 * does to its numbers, cell by cell.
 *
 * Both plans are loaded and evaluated as `run` would.  The tables compared
 * are those --show names, or else every table either plan shows (reports,
 * show statements, one table per split metric and dimension, and the
 * reviews when there are actuals).  Each table is evaluated on both sides
 * into its logical grid (the cells of its CSV form, SPEC §15), so cells
 * are compared exactly as they are published: rows are matched by their key columns (the member;
 * period and member for statements; and the KPI or metric for scorecards and reviews), columns by
 * name.  A table one side lacks counts as all its cells added or removed.  Nothing changed: no
 * output, exit 0; changes: one table of changed cells per table, exit 1.
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "base/term.h"
#include "check/check.h"

typedef struct {
    const char *file;
    Session S;
} Side;

/* Loads, checks and prepares one plan; 0, 1 (invalid) or 2 (file/data). */
static int side_load(Side *sd, const CliOpts *o)
{
    Session *S = &sd->S;
    if (!session_load_file(S, sd->file))
        return 2;
    if (session_run(S, SESSION_CHECK | SESSION_ENGINE)) {
        for (int i = 0; i < o->nshows && session_add_show(S, o->shows[i]); i++)
            ;
        if (!S->d.nerrors)
            session_all_shows(S);
        session_run(S, SESSION_ACTUALS | SESSION_MEASURE);
    }
    return session_status(S);
}

static const Node *find_show(const Side *sd, const char *key)
{
    for (int i = 0; i < sd->S.shows.n; i++) {
        char *k = session_show_key(sd->S.shows.shows[i]);
        bool same = strcmp(k, key) == 0;
        free(k);
        if (same)
            return sd->S.shows.shows[i];
    }
    return NULL;
}

/* The grid of show s on one side (NULL when that side does not show it);
 * with --labels, rows and columns are matched by what csv would write. */
static int eval_show(Side *sd, const Node *s, RenderGrid **out)
{
    *out = NULL;
    if (!s)
        return 0;
    Session *S = &sd->S;
    int rc = S->o->labels ? session_show_grid_labels(&S->en, &S->ms, s, out)
                          : session_show_grid(&S->en, &S->ms, s, out);
    return rc == 0 && !S->d.nerrors ? 0 : -1;
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
        for (int i = 0; i < sides[s].S.shows.n; i++) {
            char *k = session_show_key(sides[s].S.shows.shows[i]);
            if (listed(t, k)) {
                free(k);
                continue;
            }
            t->keys = xrealloc(t->keys, (size_t)(t->n + 1) * sizeof *t->keys);
            for (int side = 0; side < 2; side++) {
                t->shows[side] =
                    xrealloc(t->shows[side], (size_t)(t->n + 1) * sizeof *t->shows[side]);
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
                rc = session_status(&sides[s].S) == 2 ? 2 : 1;
        if (!rc) {
            const Node *any = t->shows[1][i] ? t->shows[1][i] : t->shows[0][i];
            *tables += session_diff(ch, t->keys[i], session_key_columns(any), g[0], g[1]) > 0;
        }
        render_grid_unref(g[0]);
        render_grid_unref(g[1]);
    }
    return rc;
}

/* The changed cells, under a line that counts them (people's formats);
 * the new plan's `bom` setting, as run would. */
static void print_changes(const CliOpts *o, const Program *now, const TdChanges *ch, int tables,
                          Lang lang)
{
    RenderOpts ro = session_render_opts(now, term_color(1));
    ro.csv_raw_text = o->so.csv_raw_text;
    ro.bom = ro.bom || o->so.csv_bom;
    ro.lang = lang;
    RenderDoc *doc = render_new(o->format, &ro);
    Buf caption = {0}, out = {0};
    if (render_lang(doc) == LANG_ZH)
        buf_printf(&caption, "salesplan diff %s %s：%d 张表中 %zu 个单元格有变化", o->files[0],
                   o->files[1], tables, ch->nrows);
    else
        buf_printf(&caption, "salesplan diff %s %s: %zu cell%s changed in %d table%s", o->files[0],
                   o->files[1], ch->nrows, ch->nrows == 1 ? "" : "s", tables,
                   tables == 1 ? "" : "s");
    render_caption(doc, buf_cstr(&caption));
    session_diff_sheet(doc, ch, "old", "new");
    render_doc(doc, &out);
    fwrite(buf_cstr(&out), 1, out.len, stdout);
    render_free(doc);
    buf_free(&caption);
    buf_free(&out);
}

/* Prints the changed cells; returns 0 (nothing changed), 1 (changes, or
 * a plan is invalid) or 2 (usage, file or data errors). */
static int diff_plans(const CliOpts *o)
{
    Side sides[2];
    for (int i = 0; i < 2; i++) {
        sides[i].file = o->files[i];
        session_init(&sides[i].S, &o->so);
    }
    int rc = 0;
    for (int i = 0; i < 2 && !rc; i++)
        rc = side_load(&sides[i], o);
    TdChanges ch = {0};
    int tables = 0;
    if (!rc) { /* amounts in the new plan's display unit */
        ch.unit = sym_unit(sides[1].S.p->sym);
        ch.decimals = num_decimals(sides[1].S.p->sym->round_step);
        TableList t;
        list_tables(sides, &t);
        rc = compare_tables(sides, &t, &ch, &tables);
        table_list_free(&t);
    }
    if (!rc && ch.nrows) {
        print_changes(o, sides[1].S.p, &ch, tables, session_lang(sides[1].S.p, &o->so));
        rc = 1;
    }
    session_diff_free(&ch);
    for (int i = 0; i < 2; i++) {
        session_report(&sides[i].S, sides[i].file);
        session_free(&sides[i].S);
    }
    return rc;
}

static const char diff_usage[] =
    "usage: salesplan diff OLD.plan NEW.plan [--show SPEC]... [--actuals CSV]...\n"
    "                      [--format {text-formats}] [--csv-raw-text] [--csv-bom]\n"
    "                      [--labels] [--allow-path DIR] [--source NAME=URI]\n"
    "                      [--max-steps N] [--lang en|zh]\n"
    "\n"
    "What a change to a plan does to its numbers.  Both plans are evaluated as\n"
    "'salesplan run' would, and every table either plan shows (or each --show) is\n"
    "compared cell by cell, totals included, as its CSV form publishes it.  Each\n"
    "changed cell is listed with its table, row, column, old and new value, the\n"
    "delta and the change in percent (money in the new plan's display unit, the unit\n"
    "after each amount; csv and json: base units).  With --actuals, incentive\n"
    "statements, scorecards and reviews are compared too.\n"
    "\n"
    "  --show SPEC       compare only this table (repeatable)\n"
    "  --actuals CSV     actuals for both plans (repeatable)\n"
    "  --format FORMAT   table (the default), csv, json, md for a pull-request comment,\n"
    "                    or html (a web page)\n"
    "  --csv-raw-text    csv: text cells as they are (no ' before = + - @, no escapes)\n"
    "  --lang en|zh      the language of the heads and the caption (default: the new\n"
    "                    plan's 'lang', else en); json stays English\n"
    "  --csv-bom         csv: start with a UTF-8 byte-order mark, for Excel (also\n"
    "                    bom = true in the new plan's header)\n"
    "  --labels          rows and columns matched and shown by their members' labels\n"
    "  --allow-path DIR  also let the plans read data files below DIR\n"
    "  --source NAME=URI where source NAME of the plan is: postgresql://... or\n"
    "                    sqlite:FILE (else $SALESPLAN_SOURCE_NAME)\n"
    "  --max-steps N     stop an evaluation after N steps (default 10000000\n"
    "                    + 1000 per member)\n"
    "\n"
    "Two revisions of a plan in git, each beside its own data files:\n"
    "  git salesplan-diff HEAD~1 -- plans/fy2027.plan\n"
    "(installed with salesplan; docs/CI.md).  A plan without data files:\n"
    "  salesplan diff <(git show HEAD~1:plans/fy2027.plan) plans/fy2027.plan\n"
    "\n"
    "exit status: 0 nothing changed, 1 something changed or a plan is invalid,\n"
    "2 usage, file or data errors or an evaluation reached --max-steps\n";

int cmd_diff(int argc, char **argv)
{
    CliOpts o;
    cli_opts_init(&o, argc);
    int rc = 0;
    for (int i = 0; i < argc && !rc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            cli_print_usage(diff_usage);
            rc = -1;
        } else if (cli_shared_option(&o, argc, argv, &i, &rc)) {
            continue;
        } else if (a[0] == '-' && a[1]) {
            rc = cli_usage_error("unknown option '%s' for diff", a);
        } else if (o.nfiles == 2) {
            rc = cli_usage_error("diff takes two plan files (got a third: '%s')", a);
        } else {
            o.files[o.nfiles++] = a;
        }
    }
    if (!rc && o.nfiles != 2)
        rc = cli_usage_error("diff needs two plan files: OLD.plan NEW.plan%s", "");
    if (!rc && o.format->binary)
        rc = cli_usage_error("diff lists changes as text: --format %s is not one of its formats "
                             "(use table, csv, json, md or html)",
                             o.format->name);
    if (!rc)
        rc = diff_plans(&o);
    cli_opts_free(&o);
    return rc < 0 ? 0 : rc;
}
