/* term.h -- what the terminal needs to know: whether to colour, how
 * wide text is on screen, and how text from a plan or a data file is shown
 * so that it cannot drive the terminal or a CI log.
 *
 * Ownership: nothing here keeps anything; strings are only read, and
 * term_escape appends to the caller's Buf.  The colour rule lives here and nowhere else: colour
 * only on a terminal, and never when NO_COLOR is set (https://no-color.org).
 */
#ifndef TERM_H
#define TERM_H

#include <stdbool.h>
#include <stddef.h>

#include "base/util.h"

/* Whether output on file descriptor fd may carry ANSI colour: fd is a
 * terminal and NO_COLOR is not set. */
bool term_color(int fd);

/* Display width of UTF-8 text in terminal columns (CJK = 2, combining
 * marks 0), via utf8proc; an invalid byte counts as one column (it shows
 * as one replacement character).  NULL is 0 wide. */
int term_text_width(const char *s);

/* What term_escape leaves as it is (flags). */
enum {
    TERM_KEEP_TAB = 1,       /* tabs */
    TERM_KEEP_NEWLINE = 2,   /* line feeds */
    TERM_KEEP_INVISIBLE = 4, /* format characters other than bidi controls (U+200B, U+00AD...) */
};

/* Appends the n bytes at s to b with what could drive a terminal, a CI log
 * or hide text shown escaped: ESC as \e, tab, line feed and carriage
 * return as \t \n \r, other C0 controls, DEL and invalid UTF-8 bytes as
 * \xHH, C1 controls, bidi controls and other format characters (unless
 * TERM_KEEP_INVISIBLE) as \u{HH}.  Everything else is copied. */
void term_escape(Buf *b, const char *s, size_t n, unsigned flags);
/* Whether term_escape would change the n bytes at s. */
bool term_needs_escape(const char *s, size_t n, unsigned flags);
/* The escape of code point c under flags ("\e", "\u{9b}"...) into buf
 * (at least 12 bytes), or NULL when c is shown as it is. */
const char *term_escape_cp(int32_t c, unsigned flags, char *buf);

#endif
