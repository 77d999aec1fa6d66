/* cmd_textconv.c -- `salesplan textconv FILE`: what `git diff` shows of a
 * plan (git's textconv driver, docs/CI.md).
 *
 * It prints the plan's text and, when the plan evaluates on its own, the
 * tables `run` shows; when it does not (it does not check, it reads a data
 * file or imports a plan file, any error), the text and one line saying
 * why.  Once it has a file name it exits 0 whatever the plan holds: a git
 * diff must never fail because of a plan.
 *
 * It reads no file but FILE (a regular file): git hands textconv a copy of
 * an old revision in a temporary directory where the plan's data paths do
 * not resolve, and the two sides of a diff must be treated alike, so data
 * files and imported plan files are never read, even where they exist (the
 * standard library is built in).  Nothing goes to stderr: git shows
 * textconv's output, not its diagnostics.  The text is shown with what
 * could drive a terminal or hide text escaped (tabs and line feeds kept).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/files.h"
#include "base/term.h"
#include "cli/cli.h"

static const char textconv_usage[] =
    "usage: salesplan textconv [--format table|csv|md] [--show SPEC]... [--lang en|zh]\n"
    "                          [--max-steps N] [--max-lines N] [--] FILE\n"
    "\n"
    "What 'git diff' shows of a plan (a textconv driver): the plan's text, then,\n"
    "when the plan evaluates on its own, the tables 'salesplan run' shows (table\n"
    "format unless --format says otherwise).  When it does not evaluate (it does\n"
    "not check, or it reads a data file or imports a plan file) the text is\n"
    "followed by one line saying why.  Only FILE is read: git hands textconv a\n"
    "temporary copy of an old revision, away from the plan's data files, so no\n"
    "data file is read for either side.  Nothing is printed on stderr.\n"
    "\n"
    "  --max-lines N     leave the tables out, with a line saying so, when they are\n"
    "                    longer than N lines (default 20000)\n"
    "  --                the next argument is the file, even if it starts with '-'\n"
    "                    (git appends the file's name: a plan may be named -x.plan)\n"
    "\n"
    "  git config diff.salesplan.textconv 'salesplan textconv --'\n"
    "  echo '*.plan diff=salesplan' >> .gitattributes\n"
    "\n"
    "The numbers of plans that read data files: git salesplan-diff (docs/CI.md).\n"
    "\n"
    "exit status: 0 whatever the plan holds (FILE unreadable included), 2 usage errors\n";

/* The line between the text and what follows it. */
#define TC_TABLES "# ---- salesplan textconv: the tables ----\n"
#define TC_NONE "# ---- salesplan textconv: no tables: "
/* Tables longer than this are left out (--max-lines): git diffs them line by line. */
#define TC_MAX_LINES 20000

/* Reads FILE (only a regular file, never waiting on a FIFO); NULL with
 * the reason in *why (static or errno's text). */
static char *read_plan(const char *path, size_t *len, const char **why)
{
    FileWhy fw;
    int fd = file_open_read(AT_FDCWD, path, false, &fw);
    if (fd < 0) {
        *why = file_why_text(&fw);
        return NULL;
    }
    Buf b = {0};
    char chunk[65536];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0 && b.len <= PROG_MAX_FILE_BYTES)
        buf_put(&b, chunk, (size_t)n);
    int err = n < 0 ? errno : 0;
    close(fd);
    if (err || b.len > PROG_MAX_FILE_BYTES) {
        *why = err ? strerror(err) : "the file is larger than 64 MiB";
        buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.data ? b.data : xstrdup("");
}

/* Whether diagnostic a comes before b as they are printed. */
static bool before(const Diag *a, const Diag *b)
{
    int sa = a->loc.src ? a->loc.src->index : INT_MAX,
        sb = b->loc.src ? b->loc.src->index : INT_MAX;
    if (sa != sb)
        return sa < sb;
    return a->loc.line != b->loc.line ? a->loc.line < b->loc.line : a->loc.col < b->loc.col;
}

/* The first error as it would be printed, or NULL. */
static const Diag *first_error(const Diags *d)
{
    const Diag *first = NULL;
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].level == DIAG_ERROR && (!first || before(&d->v[i], first)))
            first = &d->v[i];
    return first;
}

/* The loader's refusal of a file ("cannot read 'PATH': no file access
 * here", the same for an import) as "it reads 'PATH'" into why; false when
 * msg is another error. */
static bool file_access(const char *msg, Buf *why)
{
    static const char *const verbs[][2] = {{"cannot read ", "it reads "},
                                           {"cannot import ", "it imports "}};
    const char *tail = strstr(msg, ": no file access here");
    for (size_t i = 0; tail && i < sizeof verbs / sizeof verbs[0]; i++) {
        size_t n = strlen(verbs[i][0]);
        if (strncmp(msg, verbs[i][0], n) == 0 && msg + n < tail) {
            buf_puts(why, verbs[i][1]);
            buf_put(why, msg + n, (size_t)(tail - msg - n));
            return true;
        }
    }
    return false;
}

/* Why there are no tables, in one line (no file name: git's copy of an old
 * revision has a name of its own, and the line must read alike on both
 * sides of a diff). */
static void reason(const Session *S, Buf *out)
{
    const Diag *e = first_error(&S->d);
    Buf why = {0};
    if (!e) {
        buf_puts(&why, "a table did not evaluate");
    } else if (file_access(e->msg, &why)) {
        buf_printf(&why,
                   " (line %d): textconv reads only the plan, as git hands it a copy away from "
                   "the files beside it; git salesplan-diff compares the numbers",
                   e->loc.line);
    } else {
        if (e->loc.src && e->loc.src->index == 0)
            buf_printf(&why, "line %d: ", e->loc.line);
        else if (e->loc.src)
            buf_printf(&why, "%s:%d: ", e->loc.src->name, e->loc.line);
        buf_printf(&why, "%s", e->msg);
        if (S->d.nerrors > 1)
            buf_printf(&why, " (and %d more error%s)", S->d.nerrors - 1,
                       S->d.nerrors > 2 ? "s" : "");
    }
    buf_puts(out, TC_NONE);
    term_escape(out, buf_cstr(&why), why.len, 0); /* one line, nothing to drive a terminal */
    buf_puts(out, " ----\n");
    buf_free(&why);
}

/* The shows rendered one after the other into t, as run renders them all
 * (table, csv, md), until t holds more than max_lines lines, so that a
 * plan of thousands of reps is not rendered whole; returns the lines
 * counted (more than max_lines: there were too many), or SIZE_MAX when a
 * show did not evaluate. */
static size_t tc_render_shows(Session *S, const RenderFormat *f, size_t max_lines, Buf *t)
{
    size_t lines = 0;
    for (int i = 0; i < S->shows.n && lines <= max_lines; i++) {
        ShowList one = {&S->shows.shows[i], &S->shows.titles[i], 1};
        size_t from = t->len;
        if (i)
            buf_putc(t, '\n');
        if (session_render(S, &one, f, false, t) != 0)
            return SIZE_MAX;
        for (size_t k = from; k < t->len; k++)
            lines += t->data[k] == '\n';
    }
    return lines;
}

/* The tables `run` shows of the plan's text, evaluated without any file:
 * appended to out, or the line saying why there are none. */
static void tables(const CliOpts *o, size_t max_lines, const char *name, const char *text,
                   size_t len, Buf *out)
{
    size_t lines = 0;
    Session S;
    session_init(&S, &o->so);
    session_load_text(&S, name, NULL, text, len); /* no directory: no file access */
    Buf t = {0};
    if (session_run(&S, SESSION_CHECK)) {
        for (int i = 0; i < o->nshows && session_add_show(&S, o->shows[i]); i++)
            ;
    }
    if (!S.d.nerrors && session_run(&S, SESSION_ENGINE)) {
        session_run_shows(&S);
        session_need_actuals(&S, ACTUALS_FOR_VERIFY);
        if (session_run(&S, SESSION_ACTUALS | SESSION_MEASURE) &&
            (lines = tc_render_shows(&S, o->format, max_lines, &t)) <= max_lines)
            session_run(&S, SESSION_VERIFY);
    }
    if (S.d.nerrors || lines == SIZE_MAX) {
        reason(&S, out);
    } else if (lines > max_lines) {
        buf_printf(out,
                   TC_NONE "the tables are longer than %zu lines (--max-lines): git "
                           "salesplan-diff compares the numbers ----\n",
                   max_lines);
    } else if (!t.len) {
        buf_puts(out, TC_NONE "the plan shows no table ----\n");
    } else {
        buf_puts(out, TC_TABLES);
        buf_put(out, t.data, t.len);
    }
    buf_free(&t);
    session_free(&S);
}

/* textconv's options: run's shared ones it takes, and --max-lines. */
typedef struct {
    CliOpts c;
    size_t max_lines;
} TcOpts;

static void textconv(const TcOpts *t, const char *path, Buf *out)
{
    const CliOpts *o = &t->c;
    size_t len = 0;
    const char *why = NULL;
    char *text = read_plan(path, &len, &why);
    if (!text) {
        buf_puts(out, TC_NONE);
        Buf msg = {0};
        buf_printf(&msg, "cannot read the plan: %s", why);
        term_escape(out, buf_cstr(&msg), msg.len, 0);
        buf_puts(out, " ----\n");
        buf_free(&msg);
        return;
    }
    term_escape(out, text, len, TERM_KEEP_TAB | TERM_KEEP_NEWLINE);
    if (len && text[len - 1] != '\n')
        buf_putc(out, '\n');
    const char *slash = strrchr(path, '/');
    tables(o, t->max_lines, slash ? slash + 1 : path, text, len, out);
    free(text);
}

/* --max-lines N */
static int max_lines(const char *v, size_t *out)
{
    char *end = NULL;
    long long n = v && *v >= '0' && *v <= '9' ? strtoll(v, &end, 10) : -1;
    if (n < 0 || *end)
        return cli_usage_error("--max-lines needs a whole number%s", "");
    *out = (size_t)n;
    return 0;
}

/* The plan file named by a; 0, or 2: a second one. */
static int tc_file(TcOpts *t, const char *a)
{
    if (t->c.nfiles)
        return cli_usage_error("textconv takes one plan file (got a second: '%s')", a);
    t->c.files[t->c.nfiles++] = a;
    return 0;
}

/* One argument: --format, --show, --lang, --max-steps, --max-lines or the
 * file (files are refused: textconv reads none); 0, 2 after a usage error,
 * or -1: --help was printed. */
static int textconv_arg(TcOpts *t, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    int rc = 0;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
        cli_print_usage(textconv_usage);
        return -1;
    }
    if (cli_is_opt(a, "--actuals") || cli_is_opt(a, "--allow-path"))
        return cli_usage_error("textconv reads no file but the plan: %s is for run and diff", a);
    if (cli_is_opt(a, "--max-lines"))
        return max_lines(cli_opt_value(argc, argv, i, "--max-lines"), &t->max_lines);
    if (cli_shared_option(&t->c, argc, argv, i, &rc))
        return rc;
    if (a[0] == '-' && a[1])
        return cli_usage_error("unknown option '%s' for textconv", a);
    return tc_file(t, a);
}

/* A format whose tables are lines, one table after another: table, csv, md. */
static bool line_format(const RenderFormat *f)
{
    static const char *const ok[] = {"table", "csv", "md"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (strcmp(f->name, ok[i]) == 0)
            return true;
    return false;
}

int cmd_textconv(int argc, char **argv)
{
    TcOpts t = {.max_lines = TC_MAX_LINES};
    cli_opts_init(&t.c, argc);
    int rc = 0;
    int i = 0;
    for (; i < argc && !rc && strcmp(argv[i], "--") != 0; i++)
        rc = textconv_arg(&t, argc, argv, &i);
    for (i++; i < argc && !rc; i++) /* after --: the file, whatever its name (git's "-x.plan") */
        rc = tc_file(&t, argv[i]);
    if (!rc && t.c.nfiles != 1)
        rc = cli_usage_error("textconv needs a plan file%s", "");
    if (!rc && !line_format(t.c.format))
        rc = cli_usage_error("textconv writes lines to diff: --format %s is not one of its formats "
                             "(table, csv or md)",
                             t.c.format->name);
    if (!rc) {
        Buf out = {0};
        textconv(&t, t.c.files[0], &out);
        fwrite(out.data ? out.data : "", 1, out.len, stdout);
        buf_free(&out);
    }
    cli_opts_free(&t.c);
    return rc < 0 ? 0 : rc;
}
