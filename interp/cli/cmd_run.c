/* cmd_run.c -- `salesplan run FILE`: the plan evaluated through the session
 * pipeline, its tables rendered in one format, written to stdout or
 * atomically to -o FILE; or --explain of one cell.  On any error nothing
 * is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/term.h"
#include "check/check.h"
#include "cli/cli.h"

static const char run_usage[] =
    "usage: salesplan run FILE [--actuals CSV]... [--as-of YYYY-MM] [--scenario NAME]\n"
    "                     [--show SPEC]... [--format {formats}] [-o FILE]\n"
    "                     [--csv-raw-text] [--csv-bom] [--labels] [--lenient]\n"
    "                     [--allow-path DIR] [--source NAME=URI] [--max-cells N]\n"
    "                     [--max-steps N] [--lang en|zh]\n"
    "\n"
    "Checks the plan, then evaluates it: the plan's reports, or what --show names,\n"
    "or one table per split metric and dimension (and every review when there are\n"
    "actuals).  Every table adds up: cells are rounded to the plan's step with\n"
    "controlled rounding, and totals are sums of the cells shown.\n"
    "\n"
    "  --show SPEC       a show statement without 'show': \"revenue by region, quarter\";\n"
    "                    metrics side by side: \"revenue, margin, cost by region\"\n"
    "                    (a column per metric; labels too: \"销售额, 毛利 by 产品线\")\n"
    "  --format FORMAT   {formats-help}\n"
    "  --csv-raw-text    csv: write text cells as they are; by default a name that\n"
    "                    starts with = + - @ (a spreadsheet formula) gets a leading '\n"
    "                    and control characters are escaped (numbers never change)\n"
    "  --lang en|zh      the language of the chrome: heads, total rows, status words,\n"
    "                    titles (default: the plan's 'lang', else en); names and labels\n"
    "                    stay as written, json stays English\n"
    "  --csv-bom         csv: start with a UTF-8 byte-order mark, for Excel (also\n"
    "                    bom = true in the plan header)\n"
    "  --labels          csv, json: members by their labels instead of their names\n"
    "  -o FILE           write to FILE atomically (nothing is written on error)\n"
    "  --allow-path DIR  also let the plan read data files below DIR\n"
    "  --source NAME=URI where source NAME of the plan is: postgresql://... or\n"
    "                    sqlite:FILE (else $SALESPLAN_SOURCE_NAME)\n"
    "  --max-cells N     refuse tables and allocations of more than N cells (default 50000000)\n"
    "  --max-steps N     stop an evaluation after N steps: expressions evaluated and\n"
    "                    allocations made (default 10000000 + 1000 per member)\n"
    "  --explain CELL    how one cell came about: \"revenue[north, Q1]\" prints every split\n"
    "                    on the way, with its line in the plan, its share and its value\n"
    "  --show \"incentive NAME\" | \"scorecard NAME\" | \"review CADENCE\"\n"
    "                    statements per member and period (one column per line),\n"
    "                    scorecards, and reviews (status, reforecast, ranking)\n"
    "  --show \"reforecast METRIC [by month|quarter|half]\"\n"
    "                    a review's reforecast of METRIC on its own (CSV included),\n"
    "                    by quarter unless the review or 'by' says otherwise\n"
    "  --actuals CSV     actuals to use instead of the plan's 'actuals' files\n"
    "                    (repeatable; read with the mapping of the plan's first one)\n"
    "  --as-of YYYY-MM   review up to this month (default: the last month with actuals);\n"
    "                    a day YYYY-MM-DD or a week (2027-W41): weekly reviews to the weeks\n"
    "                    ended by then, the others to the months ended by then\n"
    "  --scenario NAME   actuals made from the targets by one of the plan's scenarios\n"
    "  --lenient         skip actuals rows with unknown or contradicting members and\n"
    "                    count them in a warning (default: each one is an error)\n"
    "\n"
    "exit status: 0 ok, 1 the plan is invalid or does not evaluate, 2 usage or file errors\n"
    "or the evaluation reached --max-steps\n";

typedef struct {
    CliOpts c;
    const char *out;     /* -o FILE, or NULL for stdout */
    const char *explain; /* --explain CELL */
    const char *usage;   /* its usage text */
    bool report;         /* the report for managers (html with charts) */
} RunOpts;

/* --max-cells N */
static int max_cells(const char *v, size_t *out)
{
    char *end = NULL;
    long long n = v ? strtoll(v, &end, 10) : 0;
    if (!v || *end || n <= 0)
        return cli_usage_error("--max-cells needs a positive number%s", "");
    if ((unsigned long long)n > ALLOC_MAX_CELLS_LIMIT) {
        char most[32];
        snprintf(most, sizeof most, "%zu", ALLOC_MAX_CELLS_LIMIT);
        return cli_usage_error("--max-cells is at most %s (the most cells a rounding takes)", most);
    }
    *out = (size_t)n;
    return 0;
}

/* An option that takes a value into *dst, or complains with need. */
static int take(int argc, char **argv, int *i, const char *name, const char **dst, const char *need)
{
    if (!(*dst = cli_opt_value(argc, argv, i, name)))
        return cli_usage_error(need, "");
    return 0;
}

#define IS(opt) (strcmp(a, opt) == 0 || strncmp(a, opt "=", sizeof opt) == 0)

/* Whether argv[*i] is one of run's own options (then *rc is 0, or 2 after
 * a usage error). */
static bool run_option(RunOpts *o, int argc, char **argv, int *i, int *rc)
{
    const char *a = argv[*i];
    SessionOpts *so = &o->c.so;
    if (strcmp(a, "-o") == 0 || IS("--output"))
        *rc = take(argc, argv, i, "--output", &o->out, "-o needs a file name%s");
    else if (IS("--explain"))
        *rc = take(argc, argv, i, "--explain", &o->explain,
                   "--explain needs a cell such as \"revenue[north, Q1]\"%s");
    else if (IS("--max-cells"))
        *rc = max_cells(cli_opt_value(argc, argv, i, "--max-cells"), &so->max_cells);
    else if (IS("--as-of"))
        *rc = take(argc, argv, i, "--as-of", &so->as_of, "--as-of needs a month such as 2027-06%s");
    else if (IS("--scenario"))
        *rc = take(argc, argv, i, "--scenario", &so->scenario,
                   "--scenario needs the name of a scenario of the plan%s");
    else if (strcmp(a, "--lenient") == 0)
        so->lenient = true;
    else
        return false;
    return true;
}

/* One argument; 0, 2 after a usage error, or -1: --help was printed. */
static int run_arg(RunOpts *o, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    int rc = 0;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
        cli_print_usage(o->usage);
        return -1;
    }
    if (cli_shared_option(&o->c, argc, argv, i, &rc) || run_option(o, argc, argv, i, &rc))
        return rc;
    if (a[0] == '-' && a[1])
        return cli_usage_error(
            o->report ? "unknown option '%s' for report" : "unknown option '%s' for run", a);
    if (o->c.nfiles)
        return cli_usage_error("one plan file is needed (got a second: '%s')", a);
    o->c.files[o->c.nfiles++] = a;
    return 0;
}

#undef IS

/* alloc_explain into out, with what could drive a terminal escaped (the
 * plan's lines and members' names are in it). */
static void explain_cell(Session *S, const Node *cell, Buf *out)
{
    Buf raw = {0};
    alloc_explain(&S->en, cell, &raw);
    term_escape(out, raw.data ? raw.data : "", raw.len,
                TERM_KEEP_TAB | TERM_KEEP_NEWLINE | TERM_KEEP_INVISIBLE);
    buf_free(&raw);
}

/* --explain CELL: every split on the way to one cell. */
static void explain(Session *S, const char *cell, Buf *out)
{
    Buf text = {0};
    buf_printf(&text, "let cell = %s", cell);
    Node *items = prog_parse_extra(S->p, "--explain", buf_cstr(&text));
    buf_free(&text);
    if (items && items->kind == N_LET && !items->next && !S->d.nerrors) {
        check_statement(S->p, items);
        if (!S->d.nerrors)
            explain_cell(S, items->a, out);
    } else if (!S->d.nerrors) {
        diag_error(&S->d, (Loc){0}, "--explain '%s' is not a cell such as revenue[north, Q1]",
                   cell);
    }
    S->usage |= S->d.nerrors > S->plan_errors;
}

/* The tables: evaluated, rendered, then the examples and assertions.
 * Returns 1 when a table did not evaluate without saying why, else 0. */
static int tables(Session *S, const RunOpts *o, Buf *out)
{
    if (o->report)
        session_report_shows(S);
    else
        session_run_shows(S);
    session_need_actuals(S, ACTUALS_FOR_VERIFY);
    if (!session_run(S, SESSION_ACTUALS | SESSION_MEASURE))
        return 0;
    bool tty = !o->out && term_color(1);
    int rc = o->report ? session_render_report(S, out)
                       : session_render(S, &S->shows, o->c.format, tty, out);
    rc = rc != 0 && !S->d.nerrors;
    session_run(S, SESSION_VERIFY);
    return rc;
}

/* An output held in memory up to this size, then written as it grows. */
#define SPILL_BYTES ((size_t)8 << 20)

/* Writes the result to -o FILE atomically (never over a file the plan
 * read; what out spilled is in the sink's temporary file already), or to
 * stdout (its errors are main's); 0 or 2. */
static int write_out(const Buf *out, RenderSink *sink)
{
    if (!sink) {
        fwrite(out->data ? out->data : "", 1, out->len, stdout);
        return 0;
    }
    char *err = NULL;
    if (render_sink_commit(sink, out->data ? out->data : "", out->len, &err) == 0)
        return 0;
    fprintf(stderr, "salesplan: %s\n", err);
    free(err);
    return 2;
}

/* Evaluates a loaded plan into out; returns 0, or 1 when a table did not
 * evaluate without an error being reported. */
static int evaluate(Session *S, const RunOpts *o, Buf *out)
{
    if (!session_run(S, SESSION_CHECK))
        return 0;
    for (int i = 0; i < o->c.nshows && session_add_show(S, o->c.shows[i]); i++)
        ;
    if (!session_run(S, SESSION_ENGINE))
        return 0;
    if (o->explain) {
        explain(S, o->explain, out);
        return 0;
    }
    return tables(S, o, out);
}

/* Returns the exit status: 0, 1 (invalid plan or evaluation error) or 2. */
static int run_plan(const RunOpts *o)
{
    const char *file = o->c.files[0];
    Session S;
    session_init(&S, &o->c.so);
    int rc = 2;
    Buf out = {0};
    RenderSink *sink = NULL;
    if (!session_load_file(&S, file)) {
        session_report(&S, NULL); /* why, without a count line */
    } else {
        if (o->out) { /* a large output goes to the file's temporary as it is made */
            sink = render_sink_new(o->out, &S.p->files);
            out.spill = render_sink_spill;
            out.spill_ctx = sink;
            out.spill_at = SPILL_BYTES;
        }
        int quiet_fail = evaluate(&S, o, &out);
        rc = session_status(&S);
        if (!S.d.nerrors) {
            int w = write_out(&out, sink);
            rc = w ? w : quiet_fail;
        }
        session_report(&S, file);
    }
    render_sink_free(sink);
    buf_free(&out);
    session_free(&S);
    return rc;
}

/* A binary format to standard output that is a terminal: refused (2). */
static int binary_to_terminal(const RenderFormat *f)
{
    Buf msg = {0};
    buf_printf(&msg, "%s is binary: use -o FILE.%s (standard output is a terminal)", f->name,
               f->name);
    int rc = cli_usage_error("%s", buf_cstr(&msg));
    buf_free(&msg);
    return rc;
}

/* What report refuses of run's options: --format and --explain. */
static int report_checks(const RunOpts *o)
{
    if (o->c.format)
        return cli_usage_error("report writes HTML: --format is for run%s", "");
    if (o->explain)
        return cli_usage_error("--explain is for run%s", "");
    return 0;
}

int cli_run_command(int argc, char **argv, bool report, const char *usage)
{
    RunOpts o = {.usage = usage, .report = report};
    cli_opts_init(&o.c, argc);
    if (report)
        o.c.format = NULL;
    int rc = 0;
    for (int i = 0; i < argc && !rc; i++)
        rc = run_arg(&o, argc, argv, &i);
    if (!rc && !o.c.nfiles)
        rc = cli_usage_error(report ? "report needs a plan file%s" : "run needs a plan file%s", "");
    if (!rc && report)
        rc = report_checks(&o);
    if (!rc && !report && o.c.format->binary && !o.out && !o.explain && isatty(1))
        rc = binary_to_terminal(o.c.format);
    if (!rc)
        rc = run_plan(&o);
    cli_opts_free(&o.c);
    return rc < 0 ? 0 : rc;
}

int cmd_run(int argc, char **argv)
{
    return cli_run_command(argc, argv, false, run_usage);
}
