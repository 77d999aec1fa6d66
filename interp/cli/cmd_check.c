/* cmd_check.c -- `salesplan check FILE...`: every problem of each plan, as
 * text, JSON or GitHub annotations.  It parses options and reports; the
 * checking is session_check_all's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/term.h"
#include "cli/cli.h"

static const char check_usage[] =
    "usage: salesplan check [--format text|json|github] [--allow-path DIR] [--source NAME=URI]\n"
    "                       [--max-steps N] [--as-of YYYY-MM] [--strict] FILE...\n"
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
    "  --source NAME=URI where source NAME of the plan is: postgresql://... or\n"
    "                    sqlite:FILE (else $SALESPLAN_SOURCE_NAME)\n"
    "  --max-steps N     stop an evaluation after N steps (default 10000000\n"
    "                    + 1000 per member)\n"
    "  --as-of YYYY-MM   judge reviews up to this month (default: the last month\n"
    "                    with actuals): a flagged status row of a review with\n"
    "                    notes that has no note is a warning; a day YYYY-MM-DD or a\n"
    "                    week (2027-W41) judges the weeks and months ended by then\n"
    "  --strict          such an unexplained deviation is an error\n"
    "\n"
    "exit status: 0 all plans valid, 1 a plan is invalid, 2 usage or file errors\n"
    "or an evaluation reached --max-steps\n";

typedef struct {
    DiagFormat format;
    SessionOpts so;
    bool first; /* JSON: no diagnostic printed yet */
    int errors, warnings;
} Check;

/* Checks one file; returns 0, 1 (invalid) or 2 (unreadable). */
static int check_one(Check *c, const char *path)
{
    Session S;
    session_init(&S, &c->so);
    S.d.color = c->format == FMT_TEXT && term_color(2);
    if (session_load_file(&S, path))
        session_check_all(&S);
    FILE *out = c->format == FMT_TEXT ? stderr : stdout;
    diag_flush(&S.d, out, c->format, &c->first);
    int rc = session_status(&S);
    c->errors += S.d.nerrors;
    c->warnings += S.d.nwarnings;
    if (c->format == FMT_TEXT) {
        if (S.d.nerrors || S.d.nwarnings)
            diag_count_line(&S.d, stderr, path);
        if (!S.d.nerrors) {
            diag_put_text(stdout, path);
            fputs(": ok\n", stdout);
        }
    }
    session_free(&S);
    return rc;
}

static int check_format(const char *v, DiagFormat *out)
{
    static const char *const names[] = {"text", "json", "github"};
    static const DiagFormat formats[] = {FMT_TEXT, FMT_JSON, FMT_GITHUB};
    if (!v)
        return cli_usage_error("--format needs a value: text, json or github%s", "");
    for (int i = 0; i < 3; i++)
        if (strcmp(v, names[i]) == 0) {
            *out = formats[i];
            return 0;
        }
    return cli_usage_error("unknown format '%s' (expected text, json or github)", v);
}

/* One argument; 0, 2 after a usage error, or -1: --help was printed. */
static int check_arg(Check *c, CliOpts *o, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
        fputs(check_usage, stdout);
        return -1;
    }
    if (strcmp(a, "--format") == 0 || strncmp(a, "--format=", 9) == 0)
        return check_format(a[8] == '=' ? a + 9 : *i + 1 < argc ? argv[++*i] : NULL, &c->format);
    int rc = 0;
    if (cli_max_steps_option(&o->so, argc, argv, i, &rc) ||
        cli_source_option(&o->so, o->sources, argc, argv, i, &rc))
        return rc;
    if (strcmp(a, "--strict") == 0) {
        o->so.strict = true;
        return 0;
    }
    if (strcmp(a, "--as-of") == 0 || strncmp(a, "--as-of=", 8) == 0) {
        o->so.as_of = a[7] == '=' ? a + 8 : *i + 1 < argc ? argv[++*i] : NULL;
        return o->so.as_of ? 0 : cli_usage_error("--as-of needs a month such as 2027-06%s", "");
    }
    if (strcmp(a, "--allow-path") == 0) {
        if (*i + 1 >= argc)
            return cli_usage_error("--allow-path needs a directory%s", "");
        o->allow[o->so.nallow++] = argv[++*i];
        return 0;
    }
    if (a[0] == '-' && a[1] != '\0')
        return cli_usage_error("unknown option '%s' for check", a);
    o->files[o->nfiles++] = a;
    return 0;
}

int cmd_check(int argc, char **argv)
{
    CliOpts o;
    cli_opts_init(&o, argc);
    Check c = {FMT_TEXT, {0}, true, 0, 0};
    int rc = 0;
    for (int i = 0; i < argc && !rc; i++)
        rc = check_arg(&c, &o, argc, argv, &i);
    if (!rc && o.nfiles == 0)
        rc = cli_usage_error("check needs at least one plan file%s", "");
    if (!rc) {
        c.so = o.so;
        if (c.format == FMT_JSON)
            fputs("{\"diagnostics\":[", stdout);
        for (int i = 0; i < o.nfiles; i++) {
            int r = check_one(&c, o.files[i]);
            rc = r > rc ? r : rc;
        }
        if (c.format == FMT_JSON)
            printf("],\"errors\":%d,\"warnings\":%d}\n", c.errors, c.warnings);
    }
    cli_opts_free(&o);
    return rc < 0 ? 0 : rc;
}
