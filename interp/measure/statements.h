/* statement.h -- `show incentive|scorecard|review NAME` rendered as sheets. */
#ifndef STATEMENT_H
#define STATEMENT_H

#include "measure/measure.h"
#include "render/render.h"

/* Appends the sheets of one show statement (op SHOW_INCENTIVE,
 * SHOW_SCORECARD or SHOW_REVIEW) to out; *index counts the tables written
 * so far (for separators).  Returns 0, or -1 after reporting. */
int stmt_show(Measure *ms, const Node *show, const OutOpts *o, Buf *out, int *index);

#endif
