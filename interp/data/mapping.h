/* mapping.h -- the column mapping of a data declaration, one implementation
 * for actuals, histories, rosters and bottom-up targets.
 *
 * `actuals "f.csv" { rep = rep_id  revenue = amount  date = 日期 }` maps plan
 * names (levels, metrics, attributes, date, month, a history's name) to the
 * columns of a source: plan name = column (a bare name or a string).  A
 * mapping is the N_ATTR list the parser made (NULL: none); an entry's name
 * is the plan name, its `a` the column.  The first entry for a name counts.
 * What a name must be (a level, a metric, ...) is the reader's rule: it
 * asks map_invalid for the entries its rule rejects.
 *
 * Ownership: nothing here allocates; every string returned points into the
 * mapping's nodes (the Program's) or is an argument given back.
 */
#ifndef MAPPING_H
#define MAPPING_H

#include <stdbool.h>

#include "model/model.h"

/* The column entry maps to (its bare name or string), or NULL. */
const char *map_entry_column(const Node *entry);

/* The entry that maps plan name `name` to a column, or NULL. */
const Node *map_entry(const Node *mapping, const char *name);

/* The column mapped to plan name `name`, or NULL when it is not mapped. */
const char *map_column(const Node *mapping, const char *name);

/* The column for plan name `name`: the mapped one, else `name` itself. */
const char *map_column_or_name(const Node *mapping, const char *name);

/* The plan name that column stands for (the first entry mapping to it), or
 * NULL when no entry does. */
const char *map_name(const Node *mapping, const char *column);

/* The plan name for a column: the mapped one, else the column's own. */
const char *map_name_or_column(const Node *mapping, const char *column);

/* What an entry's name may be, for map_invalid. */
enum {
    MAP_TIME = 1,   /* date or month */
    MAP_LEVEL = 2,  /* a level of a declared dimension (not the calendar's) */
    MAP_METRIC = 4, /* a metric */
};

/* The first entry from `from` on whose name is none of the kinds (a MAP_*
 * set) in plan s, or NULL. */
const Node *map_invalid(const Node *from, const Symbols *s, unsigned kinds);

/* A level or metric name of s close to name, for a did-you-mean, or NULL. */
const char *map_suggest(const Symbols *s, const char *name);

#endif
