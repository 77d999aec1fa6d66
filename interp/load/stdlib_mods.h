/* stdlib_mods.h -- the standard library modules embedded at build time
 * (build/stdlib.c, generated from the stdlib directory).  Static data; the
 * table ends with a NULL name. */
#ifndef STDLIB_MODS_H
#define STDLIB_MODS_H

#include <stddef.h>

typedef struct {
    const char *name; /* "commission" for stdlib/commission.plan */
    const char *text;
    size_t len;
} StdModule;

extern const StdModule std_modules[];

#endif
