/* repl.h -- `salesplan repl [FILE]`: interactive what-if sessions (SPEC §16,
 * docs/LANGUAGE.md "The REPL").  A statement typed in is applied on top of
 * the plan, an expression prints its value, `show ...` prints a table, and
 * :commands load, compare, undo and save. */
#ifndef REPL_H
#define REPL_H

/* Runs the command with its arguments (those after `repl`); returns the
 * exit status: 0, 1 (without a terminal: an entry reported an error), 2
 * (usage, or FILE cannot be read). */
int repl_main(int argc, char **argv);

#endif
