/* main.c -- the command line: subcommands, options, exit status.
 * Exit status: 0 success; 1 the plan is invalid; 2 usage, file or data
 * errors.  It parses arguments and dispatches; it does no planning. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/term.h"
#include "cli/cmd_diff.h"
#include "check/check.h"
#include "fmt/fmt.h"
#include "load/load.h"
#include "repl/repl.h"
#include "render/render.h"
#include "session/session.h"

#define VERSION "0.1.0"

static const char usage_text[] =
    "usage: salesplan <command> [options] FILE...\n"
    "\n"
    "Sales plans as text: targets, splits, incentives, scorecards and reviews.\n"
    "\n"
    "commands:\n"
    "  check [--format text|json|github] [--allow-path DIR] FILE...\n"
    "                    validate plans: syntax, names, splits, weights, kinds\n"
    "  run FILE [--actuals CSV]... [--as-of YYYY-MM] [--scenario NAME] [--show SPEC]...\n"
    "      [--format {formats}] [-o FILE] [--lenient]\n"
    "                    evaluate a plan: allocation tables, incentive statements,\n"
    "                    scorecards and reviews\n"
    "  repl [FILE]       interactive what-if session: try targets, splits and rates,\n"
    "                    see what changed, :undo, :diff, :save (salesplan repl --help)\n"
    "  diff OLD.plan NEW.plan [--show SPEC]... [--format {formats}]\n"
    "                    the cells a change to a plan moves: old, new, delta, percent\n"
    "  fmt [--check | -w] FILE...\n"
    "                    print plans in the canonical layout, or list or rewrite\n"
    "                    the files whose layout would change\n"
    "\n"
    "options:\n"
    "  -h, --help        show this help (salesplan COMMAND --help for a command)\n"
    "  --version         show the version\n"
    "\n"
    "exit status: 0 ok, 1 the plan is invalid, 2 usage, file or data errors\n"
    "documentation: docs/LANGUAGE.md, man salesplan\n";

static const char check_usage[] =
    "usage: salesplan check [--format text|json|github] [--allow-path DIR] FILE...\n"
    "\n"
    "Parses each plan with its imports and data files and reports every problem\n"
    "found: syntax, unknown or duplicate names (with a did-you-mean), splits that do\n"
    "not add up, weights, breakpoints, kinds; reads the plan's actuals files; runs\n"
    "every worked example and assertion and prints both sides of any that fails.\n"
    "\n"
    "  --format text     FILE:LINE:COL: error: MESSAGE, the source line, a caret,\n"
    "                    notes, and a closing count on stderr (the default)\n"
    "  --format json     one JSON document on stdout: {\"diagnostics\": [...],\n"
    "                    \"errors\": N, \"warnings\": N}\n"
    "  --format github   ::error file=F,line=L,col=C::MESSAGE lines on stdout\n"
    "  --allow-path DIR  also let plans read data files below DIR\n"
    "\n"
    "exit status: 0 all plans valid, 1 a plan is invalid, 2 usage or file errors\n";

static const char run_usage[] =
    "usage: salesplan run FILE [--actuals CSV]... [--as-of YYYY-MM] [--scenario NAME]\n"
    "                     [--show SPEC]... [--format {formats}] [-o FILE]\n"
    "                     [--lenient] [--allow-path DIR] [--max-cells N]\n"
    "\n"
    "Checks the plan, then evaluates it: the plan's reports, or what --show names,\n"
    "or one table per split metric and dimension (and every review when there are\n"
    "actuals).  Every table adds up: cells are rounded to the plan's step with\n"
    "controlled rounding, and totals are sums of the cells shown.\n"
    "\n"
    "  --show SPEC       a show statement without 'show': \"revenue by region, quarter\"\n"
    "  --format FORMAT   {formats-help}\n"
    "  -o FILE           write to FILE atomically (nothing is written on error)\n"
    "  --allow-path DIR  also let the plan read data files below DIR\n"
    "  --max-cells N     refuse allocations of more than N cells (default 50000000)\n"
    "  --explain CELL    how one cell came about: \"revenue[north, Q1]\" prints every split\n"
    "                    on the way, with its line in the plan, its share and its value\n"
    "  --show \"incentive NAME\" | \"scorecard NAME\" | \"review CADENCE\"\n"
    "                    statements per member and period (one column per line),\n"
    "                    scorecards, and reviews (status, reforecast, ranking)\n"
    "  --actuals CSV     actuals to use instead of the plan's 'actuals' files\n"
    "                    (repeatable; read with the mapping of the plan's first one)\n"
    "  --as-of YYYY-MM   review up to this month (default: the last month with actuals)\n"
    "  --scenario NAME   actuals made from the targets by one of the plan's scenarios\n"
    "  --lenient         skip actuals rows with unknown or contradicting members and\n"
    "                    count them in a warning (default: each one is an error)\n"
    "\n"
    "exit status: 0 ok, 1 the plan is invalid or does not evaluate, 2 usage or file errors\n";

static const char fmt_usage[] =
    "usage: salesplan fmt [--check | -w] FILE...\n"
    "\n"
    "Prints each plan in the one canonical layout (FILE '-' reads standard input).\n"
    "Only the layout changes: the plan is parsed alone (imports and data files are\n"
    "not read), and the result must parse to the same syntax tree with the same\n"
    "comments, or nothing is written.  Formatting a formatted plan changes nothing.\n"
    "\n"
    "  --check           list the files whose layout would change, one per line;\n"
    "                    exit 1 if there is any\n"
    "  -w, --write       rewrite files in place (atomically), only those that change\n"
    "  --dump-ast        print the syntax tree without positions (for tests)\n"
    "\n"
    "The layout (docs/LANGUAGE.md, \"Formatting\"):\n"
    "  - two spaces of indentation per level of braces; one statement per line, at\n"
    "    most one blank line between statements and between entries;\n"
    "  - a { } block stays on one line if it was on one line and fits in 100\n"
    "    columns; otherwise one entry per line, without separators, and '}' on a\n"
    "    line of its own; on one line entries are separated by ', ' (review,\n"
    "    scorecard, report and example items by two spaces);\n"
    "  - entries in a row line up: '=' of settings, incentive lines, lets and\n"
    "    targets, values after 'key:', member labels, metric labels and kinds, KPI\n"
    "    weights (widths count CJK characters as two columns);\n"
    "  - one space around operators and '=', after ',' and ':'; numbers, strings\n"
    "    and parentheses as written;\n"
    "  - lines longer than 100 columns break after '=', before 'else', before\n"
    "    operators, between arguments and before an assertion's message;\n"
    "  - comments stay where they were: at the end of their line (aligned in a\n"
    "    row of entries), or on their own lines before what follows them;\n"
    "    comment lines right under an entry and indented deeper stay under it;\n"
    "    a comment inside an expression moves to a line above its entry.\n"
    "\n"
    "exit status: 0 ok (--check: nothing to change), 1 a plan does not parse or\n"
    "(--check) would change, 2 usage, file or internal errors\n";

/* Prints a usage text with the format table's names and help in place. */
static void print_usage(const char *text)
{
    Buf b = {0};
    render_usage(&b, text);
    fputs(buf_cstr(&b), stdout);
    buf_free(&b);
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("salesplan: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'salesplan --help'.\n", stderr);
    return 2;
}

typedef struct {
    DiagFormat format;
    const char **allow;
    int nallow;
} CheckOpts;

/* Checks one file; returns 0, 1 (invalid) or 2 (unreadable). */
static int check_one(const char *path, const CheckOpts *o, bool *json_first, int *errors,
                     int *warnings)
{
    Diags d = {0};
    d.color = o->format == FMT_TEXT && term_color(2);
    Program *p = prog_new(&d);
    for (int i = 0; i < o->nallow; i++)
        prog_allow_path(p, o->allow[i]);
    if (prog_load_file(p, path)) {
        check_program(p);
        if (!d.nerrors) /* evaluation errors: splits that do not add up, zero weights, ... */
            run_check_allocations(p);
        if (!d.nerrors) /* actuals files, worked examples, assertions */
            run_check_verify(p);
    }
    FILE *out = o->format == FMT_TEXT ? stderr : stdout;
    diag_flush(&d, out, o->format, json_first);
    int rc = p->data_error ? 2 : d.nerrors ? 1 : 0;
    *errors += d.nerrors;
    *warnings += d.nwarnings;
    if (o->format == FMT_TEXT) {
        if (d.nerrors || d.nwarnings)
            diag_count_line(&d, stderr, path);
        if (!d.nerrors)
            printf("%s: ok\n", path);
    }
    prog_free(p);
    diag_free(&d);
    return rc;
}

static int cmd_check(int argc, char **argv)
{
    CheckOpts o = {FMT_TEXT, NULL, 0};
    const char **files = xcalloc((size_t)argc, sizeof *files);
    const char **allow = xcalloc((size_t)argc, sizeof *allow);
    int nfiles = 0, rc = 0;
    o.allow = allow;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(check_usage, stdout);
            goto done;
        } else if (strcmp(a, "--format") == 0 || strncmp(a, "--format=", 9) == 0) {
            const char *v = a[8] == '=' ? a + 9 : i + 1 < argc ? argv[++i] : NULL;
            if (!v)
                rc = usage_error("--format needs a value: text, json or github%s", "");
            else if (strcmp(v, "text") == 0)
                o.format = FMT_TEXT;
            else if (strcmp(v, "json") == 0)
                o.format = FMT_JSON;
            else if (strcmp(v, "github") == 0)
                o.format = FMT_GITHUB;
            else
                rc = usage_error("unknown format '%s' (expected text, json or github)", v);
        } else if (strcmp(a, "--allow-path") == 0) {
            if (i + 1 >= argc)
                rc = usage_error("--allow-path needs a directory%s", "");
            else
                allow[o.nallow++] = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            rc = usage_error("unknown option '%s' for check", a);
        } else {
            files[nfiles++] = a;
        }
        if (rc)
            goto done;
    }
    if (nfiles == 0) {
        rc = usage_error("check needs at least one plan file%s", "");
        goto done;
    }
    bool first = true;
    if (o.format == FMT_JSON)
        fputs("{\"diagnostics\":[", stdout);
    int errors = 0, warnings = 0;
    for (int i = 0; i < nfiles; i++) {
        int r = check_one(files[i], &o, &first, &errors, &warnings);
        if (r > rc)
            rc = r;
    }
    if (o.format == FMT_JSON)
        printf("],\"errors\":%d,\"warnings\":%d}\n", errors, warnings);
done:
    free(files);
    free(allow);
    return rc;
}

typedef enum { FMT_PRINT, FMT_CHECK, FMT_WRITE, FMT_DUMP } FmtMode;

/* Reads a whole file ("-": standard input); NULL with errno set. */
static char *slurp(const char *path, size_t *len)
{
    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!in)
        return NULL;
    Buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0) {
        buf_put(&b, chunk, n);
        if (b.len > PROG_MAX_FILE_BYTES) {
            errno = EFBIG;
            break;
        }
    }
    int err = ferror(in) ? errno : b.len > PROG_MAX_FILE_BYTES ? EFBIG : 0;
    if (in != stdin)
        fclose(in);
    if (err) {
        buf_free(&b);
        errno = err;
        return NULL;
    }
    *len = b.len;
    return b.data ? b.data : xstrdup("");
}

/* Rewrites path with text, keeping its permissions; 0 or 2. */
static int fmt_write(const char *path, const Buf *text)
{
    char *real = realpath(path, NULL), *err = NULL;
    const char *target = real ? real : path;
    struct stat st;
    bool have_mode = stat(target, &st) == 0;
    int rc = write_atomic(target, text->data ? text->data : "", text->len, &err);
    if (rc == 0 && have_mode && (st.st_mode & 07777) != 0644)
        chmod(target, st.st_mode & 07777);
    if (rc != 0) {
        fprintf(stderr, "salesplan: %s\n", err ? err : "cannot write the file");
        free(err);
    }
    free(real);
    return rc ? 2 : 0;
}

/* Formats one file; returns 0, 1 (does not parse; --check: would change) or 2. */
static int fmt_one(const char *path, FmtMode mode)
{
    size_t len = 0;
    char *text = slurp(path, &len);
    if (!text) {
        fprintf(stderr, "salesplan: cannot read '%s': %s\n", path,
                errno == EFBIG ? "file too large (over 64 MiB)" : strerror(errno));
        return 2;
    }
    Source *src = source_new(strcmp(path, "-") == 0 ? "<stdin>" : path, NULL, text, len, 0);
    Diags d = {0};
    d.color = term_color(2);
    Buf out = {0};
    FmtResult r = mode == FMT_DUMP ? fmt_dump_ast(src, &d, &out) : fmt_plan(src, &d, &out);
    int rc = 0;
    if (r != FMT_DONE) {
        bool first = true;
        diag_flush(&d, stderr, FMT_TEXT, &first);
        diag_count_line(&d, stderr, src->name);
        rc = r == FMT_SYNTAX_ERROR ? 1 : 2;
    } else {
        bool same = out.len == len && (len == 0 || memcmp(out.data, text, len) == 0);
        if (mode == FMT_PRINT || mode == FMT_DUMP)
            fwrite(out.data ? out.data : "", 1, out.len, stdout);
        else if (mode == FMT_CHECK && !same) {
            printf("%s\n", path);
            rc = 1;
        } else if (mode == FMT_WRITE && !same)
            rc = fmt_write(path, &out);
    }
    buf_free(&out);
    diag_free(&d);
    source_free(src);
    free(text);
    return rc;
}

static int cmd_fmt(int argc, char **argv)
{
    FmtMode mode = FMT_PRINT;
    const char **files = xcalloc((size_t)argc + 1, sizeof *files);
    int nfiles = 0, rc = 0;
    bool only_files = false;
    for (int i = 0; i < argc && !rc; i++) {
        const char *a = argv[i];
        FmtMode m = mode;
        if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
            files[nfiles++] = a;
            continue;
        } else if (strcmp(a, "--") == 0) {
            only_files = true;
            continue;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(fmt_usage, stdout);
            goto done;
        } else if (strcmp(a, "--check") == 0) {
            m = FMT_CHECK;
        } else if (strcmp(a, "-w") == 0 || strcmp(a, "--write") == 0) {
            m = FMT_WRITE;
        } else if (strcmp(a, "--dump-ast") == 0) {
            m = FMT_DUMP;
        } else {
            rc = usage_error("unknown option '%s' for fmt", a);
            break;
        }
        if (mode != FMT_PRINT && m != mode)
            rc = usage_error("fmt takes one of --check, -w and --dump-ast%s", "");
        mode = m;
    }
    if (!rc && nfiles == 0)
        rc = usage_error("fmt needs at least one plan file ('-' for standard input)%s", "");
    for (int i = 0; i < nfiles && !rc; i++)
        if (mode == FMT_WRITE && strcmp(files[i], "-") == 0)
            rc = usage_error("fmt -w cannot rewrite standard input%s", "");
    if (rc)
        goto done;
    for (int i = 0; i < nfiles; i++) {
        int r = fmt_one(files[i], mode);
        if (r > rc)
            rc = r;
    }
done:
    free(files);
    return rc;
}

static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) == 0 && a[n] == '=')
        return a + n + 1;
    return *i + 1 < argc ? argv[++*i] : NULL;
}

/* Options `run` and `diff` share; values go where the fields point. */
typedef struct {
    const char **shows, **actuals, **allow;
    int *nshows, *nactuals, *nallow;
    const RenderFormat **format;
} SharedOpts;

static bool is_opt(const char *a, const char *opt)
{
    size_t n = strlen(opt);
    return strncmp(a, opt, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

static int parse_format(const char *v, const RenderFormat **out)
{
    const RenderFormat *f = render_format(v);
    if (f) {
        *out = f;
        return 0;
    }
    Buf msg = {0};
    buf_printf(&msg, "unknown format '%s' (expected ", v ? v : "");
    render_format_names(&msg, ", ", " or ");
    buf_putc(&msg, ')');
    int rc = usage_error("%s", buf_cstr(&msg));
    buf_free(&msg);
    return rc;
}

/* Whether argv[*i] is a shared option (then *rc is 0 or a usage error's 2). */
static bool shared_option(const SharedOpts *s, int argc, char **argv, int *i, int *rc)
{
    static const struct {
        const char *opt, *need;
    } lists[] = {{"--show", "--show needs a value such as \"revenue by region\"%s"},
                 {"--actuals", "--actuals needs a CSV file%s"},
                 {"--allow-path", "--allow-path needs a directory%s"}};
    const char **arrays[] = {s->shows, s->actuals, s->allow};
    int *counts[] = {s->nshows, s->nactuals, s->nallow};
    const char *a = argv[*i];
    for (int k = 0; k < 3; k++) {
        if (!is_opt(a, lists[k].opt))
            continue;
        const char *v = opt_value(argc, argv, i, lists[k].opt);
        if (!v)
            *rc = usage_error(lists[k].need, "");
        else
            arrays[k][(*counts[k])++] = v;
        return true;
    }
    if (!is_opt(a, "--format"))
        return false;
    *rc = parse_format(opt_value(argc, argv, i, "--format"), s->format);
    return true;
}

static int cmd_run(int argc, char **argv)
{
    RunOpts o = {0};
    o.format = render_format_default();
    o.shows = xcalloc((size_t)argc + 1, sizeof *o.shows);
    o.allow = xcalloc((size_t)argc + 1, sizeof *o.allow);
    o.actuals = xcalloc((size_t)argc + 1, sizeof *o.actuals);
    SharedOpts sh = {o.shows, o.actuals, o.allow, &o.nshows, &o.nactuals, &o.nallow, &o.format};
    int rc = 0;
    for (int i = 0; i < argc && !rc; i++) {
        const char *a = argv[i], *v = NULL;
#define IS(opt) (strcmp(a, opt) == 0 || (strncmp(a, opt "=", sizeof opt) == 0))
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            print_usage(run_usage);
            goto done;
        } else if (shared_option(&sh, argc, argv, &i, &rc)) {
            continue;
        } else if (strcmp(a, "-o") == 0 || IS("--output")) {
            if (!(o.out = opt_value(argc, argv, &i, "--output")))
                rc = usage_error("-o needs a file name%s", "");
        } else if (IS("--explain")) {
            if (!(o.explain = opt_value(argc, argv, &i, "--explain")))
                rc = usage_error("--explain needs a cell such as \"revenue[north, Q1]\"%s", "");
        } else if (IS("--max-cells")) {
            v = opt_value(argc, argv, &i, "--max-cells");
            char *end = NULL;
            long long n = v ? strtoll(v, &end, 10) : 0;
            if (!v || *end || n <= 0)
                rc = usage_error("--max-cells needs a positive number%s", "");
            else
                o.max_cells = (size_t)n;
        } else if (IS("--as-of")) {
            if (!(o.as_of = opt_value(argc, argv, &i, "--as-of")))
                rc = usage_error("--as-of needs a month such as 2027-06%s", "");
        } else if (IS("--scenario")) {
            if (!(o.scenario = opt_value(argc, argv, &i, "--scenario")))
                rc = usage_error("--scenario needs the name of a scenario of the plan%s", "");
        } else if (strcmp(a, "--lenient") == 0) {
            o.lenient = true;
        } else if (a[0] == '-' && a[1]) {
            rc = usage_error("unknown option '%s' for run", a);
        } else if (o.file) {
            rc = usage_error("run takes one plan file (got a second: '%s')", a);
        } else {
            o.file = a;
        }
#undef IS
    }
    if (!rc && !o.file)
        rc = usage_error("run needs a plan file%s", "");
    if (!rc)
        rc = run_plan(&o);
done:
    free(o.shows);
    free(o.allow);
    free(o.actuals);
    return rc;
}

static const char diff_usage[] =
    "usage: salesplan diff OLD.plan NEW.plan [--show SPEC]... [--actuals CSV]...\n"
    "                      [--format {formats}] [--allow-path DIR]\n"
    "\n"
    "What a change to a plan does to its numbers.  Both plans are evaluated as\n"
    "'salesplan run' would, and every table either plan shows (or each --show) is\n"
    "compared cell by cell, totals included, as its CSV form publishes it.  Each\n"
    "changed cell is listed with its table, row, column, old and new value, the\n"
    "delta and the change in percent.  With --actuals, incentive statements,\n"
    "scorecards and reviews are compared too.\n"
    "\n"
    "  --show SPEC       compare only this table (repeatable)\n"
    "  --actuals CSV     actuals for both plans (repeatable)\n"
    "  --format FORMAT   table (the default), csv, json, or md for a pull-request comment\n"
    "  --allow-path DIR  also let the plans read data files below DIR\n"
    "\n"
    "Two revisions of a plan in git:\n"
    "  salesplan diff <(git show HEAD~1:plans/fy2027.plan) plans/fy2027.plan\n"
    "(data paths resolve beside each file, so compare files in the same directory,\n"
    "e.g. git show HEAD~1:plans/fy2027.plan > plans/.old.plan).\n"
    "\n"
    "exit status: 0 nothing changed, 1 something changed or a plan is invalid,\n"
    "2 usage, file or data errors\n";

static int cmd_diff(int argc, char **argv)
{
    DiffOpts o = {0};
    o.format = render_format_default();
    o.shows = xcalloc((size_t)argc + 1, sizeof *o.shows);
    o.actuals = xcalloc((size_t)argc + 1, sizeof *o.actuals);
    o.allow = xcalloc((size_t)argc + 1, sizeof *o.allow);
    SharedOpts sh = {o.shows, o.actuals, o.allow, &o.nshows, &o.nactuals, &o.nallow, &o.format};
    const char *files[2] = {NULL, NULL};
    int nfiles = 0, rc = 0;
    for (int i = 0; i < argc && !rc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            print_usage(diff_usage);
            goto done;
        } else if (shared_option(&sh, argc, argv, &i, &rc)) {
            continue;
        } else if (a[0] == '-' && a[1]) {
            rc = usage_error("unknown option '%s' for diff", a);
        } else if (nfiles == 2) {
            rc = usage_error("diff takes two plan files (got a third: '%s')", a);
        } else {
            files[nfiles++] = a;
        }
    }
    if (!rc && nfiles != 2)
        rc = usage_error("diff needs two plan files: OLD.plan NEW.plan%s", "");
    if (!rc) {
        o.old_file = files[0];
        o.new_file = files[1];
        rc = diff_plans(&o);
    }
done:
    free(o.shows);
    free(o.actuals);
    free(o.allow);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("a command is needed%s", "");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        print_usage(usage_text);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("salesplan %s\n", VERSION);
        return 0;
    }
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 2, argv + 2);
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 2, argv + 2);
    if (strcmp(cmd, "diff") == 0)
        return cmd_diff(argc - 2, argv + 2);
    if (strcmp(cmd, "fmt") == 0)
        return cmd_fmt(argc - 2, argv + 2);
    if (strcmp(cmd, "repl") == 0)
        return repl_main(argc - 2, argv + 2);
    return usage_error("unknown command '%s'", cmd);
}
