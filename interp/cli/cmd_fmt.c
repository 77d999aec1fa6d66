/* cmd_fmt.c -- `salesplan fmt [--check | -w] FILE...`: plans in the one
 * canonical layout (fmt/ makes it), printed, listed or rewritten in
 * place.  It reads and writes files; the layout is fmt_plan's. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/files.h"
#include "base/term.h"
#include "cli/cli.h"
#include "fmt/fmt.h"

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

typedef enum { FMT_PRINT, FMT_CHECK, FMT_WRITE, FMT_DUMP } FmtMode;

/* Opens the file to format: any readable file to print or check (a FIFO
 * from a shell's <(...) too), only a regular one to rewrite (-w: a FIFO or
 * a device is refused at once, never waited on or replaced).  NULL with
 * *why filled. */
static FILE *fmt_open(const char *path, bool rewrite, FileWhy *why)
{
    *why = (FileWhy){0};
    if (strcmp(path, "-") == 0)
        return stdin;
    if (!rewrite) {
        FILE *in = fopen(path, "rb");
        why->err = in ? 0 : errno;
        return in;
    }
    int fd = file_open_read(AT_FDCWD, path, false, why);
    FILE *in = fd < 0 ? NULL : fdopen(fd, "rb");
    if (fd >= 0 && !in) {
        why->err = errno;
        close(fd);
    }
    return in;
}

/* Reads a whole file ("-": standard input); NULL with *why filled
 * (why->err EFBIG: too large). */
static char *slurp(const char *path, bool rewrite, size_t *len, FileWhy *why)
{
    FILE *in = fmt_open(path, rewrite, why);
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
        why->err = err;
        return NULL;
    }
    *len = b.len;
    return b.data ? b.data : xstrdup("");
}

/* Rewrites path with text by the output module's rules (through a
 * symbolic link, keeping the mode, never a read-only file); 0 or 2. */
static int fmt_write(const char *path, const Buf *text)
{
    char *err = NULL;
    int rc = render_write_atomic(path, text->data ? text->data : "", text->len, NULL, &err);
    if (rc != 0) {
        fprintf(stderr, "salesplan: %s\n", err ? err : "cannot write the file");
        free(err);
    }
    return rc ? 2 : 0;
}

/* What becomes of a formatted plan (out; text: as read, len bytes):
 * printed, listed when it would change, or rewritten; 0, 1 or 2. */
static int fmt_output(const char *path, FmtMode mode, const char *text, size_t len, const Buf *out)
{
    bool same = out->len == len && (len == 0 || memcmp(out->data, text, len) == 0);
    if (mode == FMT_PRINT || mode == FMT_DUMP)
        fwrite(out->data ? out->data : "", 1, out->len, stdout);
    else if (mode == FMT_CHECK && !same) {
        Buf clean = {0};
        printf("%s\n", cli_clean(&clean, path));
        buf_free(&clean);
        return 1;
    } else if (mode == FMT_WRITE && !same)
        return fmt_write(path, out);
    return 0;
}

/* Formats one file; returns 0, 1 (does not parse; --check: would change) or 2. */
static int fmt_one(const char *path, FmtMode mode)
{
    size_t len = 0;
    FileWhy why;
    char *text = slurp(path, mode == FMT_WRITE, &len, &why);
    if (!text) {
        Buf clean = {0};
        fprintf(stderr, "salesplan: cannot read '%s': %s\n", cli_clean(&clean, path),
                why.err == EFBIG ? "file too large (over 64 MiB)" : file_why_text(&why));
        buf_free(&clean);
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
        rc = fmt_output(path, mode, text, len, &out);
    }
    buf_free(&out);
    diag_free(&d);
    source_free(src);
    free(text);
    return rc;
}

/* The mode an option asks for, or -1: it is not one of them. */
static int mode_option(const char *a)
{
    if (strcmp(a, "--check") == 0)
        return FMT_CHECK;
    if (strcmp(a, "-w") == 0 || strcmp(a, "--write") == 0)
        return FMT_WRITE;
    if (strcmp(a, "--dump-ast") == 0)
        return FMT_DUMP;
    return -1;
}

/* The arguments: the mode and the files; 0, 2 after a usage error, or -1:
 * --help was printed. */
static int fmt_args(int argc, char **argv, FmtMode *mode, const char **files, int *nfiles)
{
    bool only_files = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int m = mode_option(a);
        if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
            files[(*nfiles)++] = a;
        } else if (strcmp(a, "--") == 0) {
            only_files = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(fmt_usage, stdout);
            return -1;
        } else if (m < 0) {
            return cli_usage_error("unknown option '%s' for fmt", a);
        } else if (*mode != FMT_PRINT && (FmtMode)m != *mode) {
            return cli_usage_error("fmt takes one of --check, -w and --dump-ast%s", "");
        } else {
            *mode = (FmtMode)m;
        }
    }
    return 0;
}

/* Whether the files suit the mode: at least one, and standard input not
 * with -w; 0 or 2. */
static int check_files(FmtMode mode, const char **files, int nfiles)
{
    if (nfiles == 0)
        return cli_usage_error("fmt needs at least one plan file ('-' for standard input)%s", "");
    for (int i = 0; i < nfiles; i++)
        if (mode == FMT_WRITE && strcmp(files[i], "-") == 0)
            return cli_usage_error("fmt -w cannot rewrite standard input%s", "");
    return 0;
}

/* Formats every file; returns the worst status. */
static int fmt_files(FmtMode mode, const char **files, int nfiles)
{
    int rc = 0;
    for (int i = 0; i < nfiles; i++) {
        int r = fmt_one(files[i], mode);
        if (r > rc)
            rc = r;
    }
    return rc;
}

int cmd_fmt(int argc, char **argv)
{
    FmtMode mode = FMT_PRINT;
    const char **files = xcalloc((size_t)argc + 1, sizeof *files);
    int nfiles = 0;
    int rc = fmt_args(argc, argv, &mode, files, &nfiles);
    if (rc == 0)
        rc = check_files(mode, files, nfiles);
    if (rc == 0)
        rc = fmt_files(mode, files, nfiles);
    free(files);
    return rc < 0 ? 0 : rc;
}
