/* fuzz_fmt.c -- libFuzzer harness for `salesplan fmt`: formats the bytes as
 * a plan.  Text that parses must format (an internal error, that is a
 * layout that would change the plan or lose a comment, is a finding and
 * aborts), and formatting the result must give it back unchanged
 * (idempotence).  Text that does not parse must be refused.
 *
 *   make fuzz-fmt FUZZTIME=60
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt/fmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FmtResult format(const char *text, size_t len, Buf *out)
{
    Diags d = {0};
    Source *src = source_new("fuzz.plan", NULL, text, len, 0);
    FmtResult r = fmt_plan(src, &d, out);
    if (r == FMT_INTERNAL_ERROR) {
        bool first = true;
        diag_flush(&d, stderr, FMT_TEXT, &first);
    }
    diag_free(&d);
    source_free(src);
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (memchr(data, 0, size)) /* a plan is text: a NUL ends it early */
        return 0;
    Buf once = {0}, twice = {0};
    FmtResult r = format((const char *)data, size, &once);
    if (r == FMT_INTERNAL_ERROR)
        abort();
    if (r == FMT_DONE) {
        if (format(once.data ? once.data : "", once.len, &twice) != FMT_DONE)
            abort();
        if (twice.len != once.len || (once.len && memcmp(once.data, twice.data, once.len) != 0)) {
            fprintf(stderr, "not idempotent:\n--- once\n%s--- twice\n%s", buf_cstr(&once),
                    buf_cstr(&twice));
            abort();
        }
    }
    buf_free(&once);
    buf_free(&twice);
    return 0;
}
