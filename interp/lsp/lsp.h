/* lsp.h -- `salesplan lsp`: a Language Server Protocol server on standard
 * input and output (Content-Length framed JSON-RPC 2.0) for editors.  It
 * keeps the open documents' texts, runs each through the one session
 * pipeline (the checks of `check`) and answers from the last analysis:
 * diagnostics, hover with values and the --explain chain, definitions,
 * references, completion, the outline, formatting (fmt) and quick fixes
 * for did-you-mean notes.
 *
 * Ownership: the server owns its documents and their sessions; nothing
 * outlives lsp_main or lsp_serve_bytes.
 */
#ifndef LSP_H
#define LSP_H

#include <stddef.h>
#include <stdint.h>

/* Runs the command with its arguments (those after `lsp`); returns the
 * exit status: 0 after shutdown and exit, 1 when the client left without
 * shutdown, 2 on a usage error. */
int lsp_main(int argc, char **argv);

/* The same loop on messages held in memory, answers discarded, plans
 * reading no file and each analysis bounded to few steps (fuzzing);
 * returns what lsp_main would. */
int lsp_serve_bytes(const uint8_t *data, size_t len);

#endif
