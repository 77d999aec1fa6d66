/* cli.h -- shared by the command-line front door: main.c (the commands and
 * their dispatch), options.c (usage texts and the options several
 * commands take) and one file per command (cmd_check.c, cmd_run.c,
 * cmd_diff.c, cmd_fmt.c).  Not for other modules: the CLI has no public
 * interface beyond the program itself.
 *
 * Ownership: a CliOpts owns the arrays it collects option values in
 * (cli_opts_free); the values point into argv.
 */
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>

#include "render/render.h"
#include "session/session.h"

/* Exit status: 0 ok, 1 the plan is invalid (or, for diff, changed), 2
 * usage, file or data errors. */

/* Prints "salesplan: MESSAGE" and the --help hint on stderr; returns 2.
 * fmt has one %s, for arg. */
int cli_usage_error(const char *fmt, const char *arg);
/* Prints a usage text with the format table's names and help in place. */
void cli_print_usage(const char *text);
/* The value of option name at argv[*i]: after '=' or the next argument
 * (then *i moves on); NULL when there is none. */
const char *cli_opt_value(int argc, char **argv, int *i, const char *name);
/* s with its control characters shown escaped, for a message (in b). */
const char *cli_clean(Buf *b, const char *s);

/* Whether a is option opt, alone or as opt=VALUE. */
bool cli_is_opt(const char *a, const char *opt);

/* --max-steps N (run, diff and check): whether argv[*i] is it (then *rc
 * is 0, or 2 after a usage error). */
bool cli_max_steps_option(SessionOpts *so, int argc, char **argv, int *i, int *rc);

/* --source NAME=URI (also --source=NAME=URI) into sources (argc long) and
 * so; false when argv[*i] is not it, *rc 2 after a usage error. */
bool cli_source_option(SessionOpts *so, const char **sources, int argc, char **argv, int *i,
                       int *rc);

/* --lang en|zh (run, diff, repl): whether argv[*i] is it (then *rc is 0,
 * or 2 after a usage error). */
bool cli_lang_option(SessionOpts *so, int argc, char **argv, int *i, int *rc);

/* What run and diff take: --show, --actuals, --allow-path, --format,
 * --csv-raw-text, --max-steps, and the files named. */
typedef struct {
    SessionOpts so; /* so.allow and so.actuals point at the arrays below */
    const char **shows, **actuals, **allow, **files, **sources;
    int nshows, nfiles;
    const RenderFormat *format;
} CliOpts;

void cli_opts_init(CliOpts *o, int argc);
void cli_opts_free(CliOpts *o);
/* Whether argv[*i] is one of the shared options (then *rc is 0, or 2 after
 * a usage error). */
bool cli_shared_option(CliOpts *o, int argc, char **argv, int *i, int *rc);

/* run's option parsing and evaluation, for run and report (report: the
 * html report with charts, its own usage text); returns the exit status. */
int cli_run_command(int argc, char **argv, bool report, const char *usage);

int cmd_check(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_fmt(int argc, char **argv);
int cmd_textconv(int argc, char **argv);

#endif
