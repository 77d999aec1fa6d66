/* resolve.h -- names and the static checks of SPEC §8 that need no
 * evaluation.  Builds p->sym (owned by the Program; resolve_free releases
 * it) and reports every problem to p->diags. */
#ifndef RESOLVE_H
#define RESOLVE_H

#include "load/load.h"

void resolve_program(Program *p);
void resolve_free(Program *p);
/* Checks one more statement (a --show) against the resolved plan. */
void resolve_extra(Program *p, Node *n);

#endif
