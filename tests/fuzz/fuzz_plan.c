/* fuzz_plan.c -- libFuzzer harness for plan text: loads the bytes as a plan
 * from memory and runs the static checks, as `salesplan check` would.
 * The program has no file access (dir NULL), so imports of files and data
 * paths end in diagnostics; "std/NAME" imports still load the embedded
 * stdlib.  Diagnostics are collected and freed, not printed, unless built
 * with -DFUZZ_FLUSH_DIAGS, which also formats them (text, JSON, GitHub) to
 * /dev/null so the caret and escaping code sees the hostile bytes too.
 *
 *   make fuzz FUZZTIME=60
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "check/check.h"
#include "load/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifdef FUZZ_FLUSH_DIAGS
/* Formats the diagnostics to /dev/null, in text, JSON and GitHub form on
 * successive inputs.  It must run before prog_free: they point into the
 * program's sources. */
static void flush_diags(Diags *d)
{
    static FILE *null_out;
    static unsigned turn;
    if (!null_out && !(null_out = fopen("/dev/null", "w")))
        return;
    static const DiagFormat formats[] = {FMT_TEXT, FMT_JSON, FMT_GITHUB};
    bool first = true;
    diag_flush(d, null_out, formats[turn++ % 3], &first);
    diag_count_line(d, null_out, "fuzz.plan");
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Diags d = {0};
    Program *p = prog_new(&d);
    prog_load_text(p, "fuzz.plan", NULL, (const char *)data, size);
    check_program(p);
#ifdef FUZZ_FLUSH_DIAGS
    flush_diags(&d);
#endif
    prog_free(p);
    diag_free(&d);
    return 0;
}
