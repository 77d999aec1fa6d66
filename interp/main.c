/* main.c -- the command line: subcommands, options, exit status.
 * Exit status: 0 success; 1 the plan is invalid; 2 usage, file or data
 * errors.  It parses arguments and dispatches; it does no planning. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "program.h"

#define VERSION "0.1.0"

static const char usage_text[] =
    "usage: salesplan <command> [options] FILE...\n"
    "\n"
    "Sales plans as text: targets, splits, incentives, scorecards and reviews.\n"
    "\n"
    "commands:\n"
    "  check [--format text|json|github] [--allow-path DIR] FILE...\n"
    "                    validate plans: syntax, names, splits, weights, kinds\n"
    "  run FILE ...      evaluate a plan into tables (not in this release)\n"
    "  repl [FILE]       interactive what-if session (not in this release)\n"
    "  fmt, diff         formatter and plan diff (not in this release)\n"
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
    "found without evaluating the plan: syntax, unknown or duplicate names (with a\n"
    "did-you-mean), splits that do not add up, weights, breakpoints, kinds.\n"
    "\n"
    "  --format text     FILE:LINE:COL: error: MESSAGE, the source line, a caret,\n"
    "                    notes, and a closing count on stderr (the default)\n"
    "  --format json     one JSON document on stdout: {\"diagnostics\": [...],\n"
    "                    \"errors\": N, \"warnings\": N}\n"
    "  --format github   ::error file=F,line=L,col=C::MESSAGE lines on stdout\n"
    "  --allow-path DIR  also let plans read data files below DIR\n"
    "\n"
    "exit status: 0 all plans valid, 1 a plan is invalid, 2 usage or file errors\n";

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
    d.color = o->format == FMT_TEXT && isatty(2) && !getenv("NO_COLOR");
    Program *p = prog_new(&d);
    for (int i = 0; i < o->nallow; i++)
        prog_allow_path(p, o->allow[i]);
    if (prog_load_file(p, path))
        prog_check(p);
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

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("a command is needed%s", "");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("salesplan %s\n", VERSION);
        return 0;
    }
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 2, argv + 2);
    if (strcmp(cmd, "run") == 0 || strcmp(cmd, "repl") == 0 || strcmp(cmd, "fmt") == 0 ||
        strcmp(cmd, "diff") == 0) {
        fprintf(stderr, "salesplan: '%s' is not available in this release yet; "
                        "'salesplan check' validates plans today\n", cmd);
        return 2;
    }
    return usage_error("unknown command '%s'", cmd);
}
