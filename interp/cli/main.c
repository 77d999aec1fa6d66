/* main.c -- the command line: one table of subcommands, dispatch, --help
 * and --version.  Exit status: 0 success; 1 the plan is invalid; 2 usage,
 * file or data errors.  It parses and dispatches; it does no planning. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/version.h"
#include "cli/cli.h"
#include "lsp/lsp.h"
#include "repl/repl.h"

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
    "  report FILE [--actuals CSV]... [--as-of YYYY-MM] [--scenario NAME] [-o FILE]\n"
    "                    a self-contained HTML page for managers: every table of the\n"
    "                    plan with charts, ready to print (salesplan report --help)\n"
    "  repl [FILE]       interactive what-if session: try targets, splits and rates,\n"
    "                    see what changed, :undo, :diff, :save (salesplan repl --help)\n"
    "  diff OLD.plan NEW.plan [--show SPEC]... [--format {formats}]\n"
    "                    the cells a change to a plan moves: old, new, delta, percent\n"
    "  fmt [--check | -w] FILE...\n"
    "                    print plans in the canonical layout, or list or rewrite\n"
    "                    the files whose layout would change\n"
    "  textconv FILE     what 'git diff' shows of a plan: its text and its tables,\n"
    "                    or one line saying why there are none; always exits 0\n"
    "  lsp               a language server for editors on standard input and output\n"
    "                    (docs/EDITORS.md)\n"
    "\n"
    "options:\n"
    "  -h, --help        show this help (salesplan COMMAND --help for a command)\n"
    "  --version         show the version\n"
    "\n"
    "exit status: 0 ok, 1 the plan is invalid, 2 usage, file or data errors\n"
    "documentation: docs/LANGUAGE.md, man salesplan\n";

/* Every command: its word and what runs it (with the arguments after it). */
static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"check", cmd_check}, {"run", cmd_run},       {"diff", cmd_diff},         {"fmt", cmd_fmt},
    {"repl", repl_main},  {"report", cmd_report}, {"textconv", cmd_textconv}, {"lsp", lsp_main},
};

/* The command's status, or 2 when standard output lost what was written. */
static int finish(int rc)
{
    char *err = NULL;
    if (render_close_stdout(&err) == 0)
        return rc;
    fprintf(stderr, "salesplan: %s\n", err);
    free(err);
    return 2;
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("a command is needed%s", "");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        cli_print_usage(usage_text);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("salesplan %s\n", SALESPLAN_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 2, argv + 2);
    return cli_usage_error("unknown command '%s'", cmd);
}

int main(int argc, char **argv)
{
    return finish(dispatch(argc, argv));
}
