/* repl.h -- `salesplan repl [FILE]`: interactive what-if sessions (SPEC §16,
 * docs/LANGUAGE.md "The REPL").  A statement typed in is applied on top of
 * the plan, an expression prints its value, `show ...` prints a table, and
 * :commands load, compare, undo and save. */
#ifndef REPL_H
#define REPL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Runs the command with its arguments (those after `repl`); returns the
 * exit status: 0, 1 (without a terminal: an entry reported an error), 2
 * (usage, or FILE cannot be read). */
int repl_main(int argc, char **argv);

/* The same session without a terminal on a plan given as text (name: its
 * file name in diagnostics; dir: where its imports and data paths resolve,
 * NULL: no file is read), entries read from in, answers and diagnostics
 * written to out, each entry's evaluation bounded by max_steps (0: the
 * default of --max-steps); for harnesses and tests.  Returns the exit
 * status: 0, or 1 when an entry reported an error or the plan does not
 * check. */
int repl_run_text(const char *name, const char *dir, const char *text, size_t len, FILE *in,
                  FILE *out, uint64_t max_steps);

#endif
