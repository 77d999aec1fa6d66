/* term.h -- what the terminal needs to know: whether to colour, and how
 * wide text is on screen.
 *
 * Ownership: nothing here allocates or keeps anything; strings are only
 * read.  The colour rule lives here and nowhere else: colour only on a
 * terminal, and never when NO_COLOR is set (https://no-color.org).
 */
#ifndef TERM_H
#define TERM_H

#include <stdbool.h>

/* Whether output on file descriptor fd may carry ANSI colour: fd is a
 * terminal and NO_COLOR is not set. */
bool term_color(int fd);

/* Display width of UTF-8 text in terminal columns (CJK = 2, combining
 * marks 0), via utf8proc; an invalid byte counts as one column (it shows
 * as one replacement character).  NULL is 0 wide. */
int term_text_width(const char *s);

#endif
