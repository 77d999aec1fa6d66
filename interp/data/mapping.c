/* mapping.c -- the column mapping of a data declaration (mapping.h): plan
 * name to column and back, and the entries a reader's rule rejects.  It
 * reads the mapping's nodes and the plan's symbols; it opens nothing and
 * reports nothing (the readers do, in their words).
 */
#include "data/mapping.h"

#include <string.h>

const char *map_entry_column(const Node *entry)
{
    const Node *a = entry->a;
    return a ? (a->kind == N_STR ? a->str : a->name) : NULL;
}

const Node *map_entry(const Node *mapping, const char *name)
{
    for (const Node *m = mapping; m; m = m->next)
        if (m->name && strcmp(m->name, name) == 0 && map_entry_column(m))
            return m;
    return NULL;
}

const char *map_column(const Node *mapping, const char *name)
{
    const Node *m = map_entry(mapping, name);
    return m ? map_entry_column(m) : NULL;
}

const char *map_column_or_name(const Node *mapping, const char *name)
{
    const char *col = map_column(mapping, name);
    return col ? col : name;
}

const char *map_name(const Node *mapping, const char *column)
{
    for (const Node *m = mapping; m; m = m->next) {
        const char *col = map_entry_column(m);
        if (m->name && col && strcmp(col, column) == 0)
            return m->name;
    }
    return NULL;
}

const char *map_name_or_column(const Node *mapping, const char *column)
{
    const char *name = map_name(mapping, column);
    return name ? name : column;
}

/* Whether name is one of kinds in s. */
static bool names_kind(const char *name, const Symbols *s, unsigned kinds)
{
    if ((kinds & MAP_TIME) && (strcmp(name, "date") == 0 || strcmp(name, "month") == 0))
        return true;
    const Level *l = strmap_get(&s->levels, name);
    if ((kinds & MAP_LEVEL) && l && !l->dim->is_time)
        return true;
    return (kinds & MAP_METRIC) && strmap_get(&s->metrics, name) != NULL;
}

const Node *map_invalid(const Node *from, const Symbols *s, unsigned kinds)
{
    for (const Node *m = from; m; m = m->next)
        if (m->name && !names_kind(m->name, s, kinds))
            return m;
    return NULL;
}

const char *map_suggest(const Symbols *s, const char *name)
{
    int best = 4;
    const char *sug = NULL;
    const StrMap *maps[2] = {&s->levels, &s->metrics};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < maps[k]->count; i++) {
            const char *key = maps[k]->slots[i].key;
            int d = edit_distance(name, key, 3);
            if (d < best || (d == best && sug && strcmp(key, sug) < 0)) {
                best = d;
                sug = key;
            }
        }
    return sug && best <= (int)strlen(name) / 3 + 1 ? sug : NULL;
}
