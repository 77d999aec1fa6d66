/* fuzz_lsp.c -- libFuzzer harness for the language server's message loop:
 * the bytes are what a client writes to `salesplan lsp` (headers, bodies,
 * anything), read through the same framing, dispatch and analyses
 * (lsp_serve_bytes: answers discarded, plans read no file).  Seeds are
 * sessions like those of tests/lsp (tests/fuzz/lsp_corpus.py).
 *
 *   make fuzz-lsp FUZZTIME=60
 */
#include <stddef.h>
#include <stdint.h>

#include "lsp/lsp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lsp_serve_bytes(data, size);
    return 0;
}
