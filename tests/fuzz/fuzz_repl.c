/* fuzz_repl.c -- libFuzzer harness for REPL sessions: the bytes up to the
 * first NUL are a plan (none: the whole input is entries on an empty
 * plan), the rest are lines typed into `salesplan repl` without a terminal
 * (repl_run_text: the same loop, entries joined while brackets are open,
 * what-ifs, expressions, shows, :commands, :undo, :diff...).  The plan is
 * read from memory; its imports and data paths resolve in $FUZZ_DATA_DIR
 * (read only: make fuzz fills build/fuzz/files), without it it reads no
 * file.  The commands that read or write
 * files (:load, :reload, :save, :actuals with a file) are blanked out of
 * the lines before the session sees them: a fuzzer must not write files.
 * Answers and diagnostics go to /dev/null.
 *
 *   make fuzz FUZZTIME=60
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repl/repl.h"

/* Each entry's step budget: small, as fuzz_eval's (the default runs for
 * seconds under the sanitizers, which libFuzzer would take for a hang). */
#ifndef FUZZ_MAX_STEPS
#define FUZZ_MAX_STEPS 300000
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The commands a line may run. */
static const char *const allowed[] = {"help", "h",     "?",      "baseline", "diff",
                                      "undo", "as-of", "format", "list",     "report",
                                      "run",  "quit",  "q",      "exit",     NULL};

static bool allowed_command(const char *word, size_t n, const char *rest, size_t nrest)
{
    for (int i = 0; allowed[i]; i++)
        if (strlen(allowed[i]) == n && memcmp(allowed[i], word, n) == 0)
            return true;
    /* :actuals alone (lists them) or :actuals none (the plan's own, here none) */
    if (n == 7 && memcmp(word, "actuals", 7) == 0) {
        size_t a = 0, b = nrest;
        while (a < b && (rest[a] == ' ' || rest[a] == '\t'))
            a++;
        while (b > a && (rest[b - 1] == ' ' || rest[b - 1] == '\t' || rest[b - 1] == '\r'))
            b--;
        return b == a || (b - a == 4 && memcmp(rest + a, "none", 4) == 0);
    }
    return false;
}

/* Whether a line (without its newline) may be typed: not a command that
 * reads or writes files. */
static bool line_ok(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
        i++;
    if (i == n || s[i] != ':')
        return true;
    size_t w = ++i;
    while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
        i++;
    return allowed_command(s + w, i - w, s + i, n - i);
}

/* The entry lines with the file commands blanked (line numbers kept). */
static char *filter_lines(const char *s, size_t n, size_t *len)
{
    char *out = malloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - s) : n;
        if (line_ok(s + i, e - i)) {
            memcpy(out + o, s + i, e - i);
            o += e - i;
        }
        if (nl)
            out[o++] = '\n';
        i = e + 1;
    }
    *len = o;
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *null_out;
    if (!null_out && !(null_out = fopen("/dev/null", "w")))
        return 0;
    const char *text = (const char *)data;
    const char *nul = memchr(text, 0, size);
    size_t plan_len = nul ? (size_t)(nul - text) : 0;
    const char *lines = nul ? nul + 1 : text;
    size_t nlines = size - (size_t)(lines - text);
    size_t len = 0;
    char *entries = filter_lines(lines, nlines, &len);
    if (!len)
        entries[len++] = '\n'; /* fmemopen wants a size of at least 1: one empty line */
    FILE *in = fmemopen(entries, len, "r");
    if (in) {
        repl_run_text("fuzz.plan", getenv("FUZZ_DATA_DIR"), text, plan_len, in, null_out,
                      FUZZ_MAX_STEPS);
        fclose(in);
    }
    free(entries);
    return 0;
}
