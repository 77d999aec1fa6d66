/* fmt.h -- the canonical layout of plan text (`salesplan fmt`).
 *
 * fmt_plan parses one file's text on its own (imports and data files are
 * not read), prints it in the canonical layout (docs/LANGUAGE.md,
 * "Formatting") and then parses its own output again: the result must
 * have the same syntax tree (ast_dump without positions) and the same
 * comments, or fmt_plan refuses with an internal error and gives no text.
 * The caller owns the Diags and the output Buf; nothing else outlives a
 * call; the Source is the caller's.
 */
#ifndef FMT_H
#define FMT_H

#include <stddef.h>

#include "base/diag.h"
#include "base/util.h"

/* Lines longer than this are broken where the layout allows it. */
#define FMT_WIDTH 100

typedef enum {
    FMT_DONE,          /* *out holds the formatted plan */
    FMT_SYNTAX_ERROR,  /* the plan does not parse: the errors are in d */
    FMT_INTERNAL_ERROR /* the layout would change the plan: an error is in d */
} FmtResult;

/* Formats the plan text of src into out (appended).  Diagnostics point
 * into src: flush d before freeing src. */
FmtResult fmt_plan(Source *src, Diags *d, Buf *out);

/* The syntax tree of src as ast_dump prints it, without positions (what
 * fmt_plan compares); for tests. */
FmtResult fmt_dump_ast(Source *src, Diags *d, Buf *out);

#endif
