/* diff.h -- `salesplan diff OLD.plan NEW.plan`: the cells a change moves. */
#ifndef DIFF_H
#define DIFF_H

#include "render/render.h"

typedef struct {
    const char *old_file, *new_file;
    const char **shows; /* --show texts; none: every table either plan shows */
    int nshows;
    const char **actuals; /* --actuals: statements, scorecards and reviews compared too */
    int nactuals;
    const char **allow;
    int nallow;
    const RenderFormat *format;
} DiffOpts;

/* Prints the changed cells; returns 0 (nothing changed), 1 (changes, or
 * a plan is invalid) or 2 (usage, file or data errors). */
int diff_plans(const DiffOpts *o);

#endif
