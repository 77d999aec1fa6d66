/* check.h -- names and the static checks of SPEC §8 that need no data:
 * the only module that builds the symbol tables (model/model.h).
 *
 * Ownership: check_program builds p->sym, which the Program owns
 * (prog_free releases it with sym_free); every problem goes to
 * p->diags.  Nothing here reads data files other than rosters, or
 * evaluates a split (session/ does that after the check).
 */
#ifndef CHECK_H
#define CHECK_H

#include "load/load.h"
#include "model/model.h"

/* Resolves every name of the loaded program and runs the static checks. */
void check_program(Program *p);
/* Checks one more statement (a --show, --explain, a REPL entry) against
 * the checked plan. */
void check_statement(Program *p, Node *n);
/* Checks an expression typed in the REPL as an assertion's would be
 * (metrics, cells, M.target and M.actual of the whole plan); returns its
 * kind (K_ANY when unknown), and for a derived metric named alone the kind
 * of its values. */
Kind check_expression(Program *p, Node *e);

/* Rosters kept across checks (roster_image.c): a Program whose `rosters`
 * points here makes a dimension's members from the image of the same
 * roster, unchanged, that an earlier check read without a diagnostic,
 * instead of reading the file again (the REPL, after every what-if).
 * The caller owns it; a Program only borrows it while it is checked. */
typedef struct RosterImages RosterImages;
#define ROSTER_IMAGES_MAX 8 /* the images kept, the oldest dropped */
RosterImages *roster_images_new(void);
void roster_images_free(RosterImages *ri);
/* How many dimensions were made from an image, how many read, and how
 * many images are kept (one a declaration, ROSTER_IMAGES_MAX in all). */
void roster_images_counts(const RosterImages *ri, long *hits, long *misses, int *images);

#endif
