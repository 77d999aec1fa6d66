/* report_int.h -- shared by the renderers: report.c (tables, numbers,
 * atomic files) and sheet.c (sheets of formatted cells).  Not for other
 * modules: report.h is the interface.
 *
 * Ownership: these helpers only append to a Buf the caller owns; they
 * keep nothing.
 */
#ifndef REPORT_INT_H
#define REPORT_INT_H

#include "render/render.h"

/* Appends s for a human reader: tabs and line ends become spaces, other
 * control characters '?', invalid bytes U+FFFD; with md, also escapes the
 * characters that would end a Markdown table cell or start emphasis, code
 * or HTML. */
void rp_put_clean(Buf *b, const char *s, bool md);

/* Appends line to out without trailing spaces, optionally bold, then '\n';
 * empties line. */
void rp_emit_line(Buf *out, Buf *line, bool bold);

/* Appends n spaces. */
void rp_put_spaces(Buf *b, int n);

/* A CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF. */
void rp_csv_field(Buf *out, const char *s);

/* A JSON string, or null for NULL.  Invalid UTF-8 becomes \ufffd. */
void rp_json_str(Buf *out, const char *s);

#endif
