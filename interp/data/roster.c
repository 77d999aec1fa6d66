/* roster.c -- the rows of a dimension's roster source (roster.h): the
 * header against the dimension's levels and the mapping, then each row's
 * level and attribute values.  It reads through the row-source interface
 * and reports what is wrong with the source; it must not make members or
 * touch the symbol tables (check/ does).
 */
#include "data/roster.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "data/mapping.h"
#include "data/source.h"

struct RosterReader {
    Program *p;
    const Node *decl; /* decl->c: the file's name in the plan */
    const Dim *dim;
    RowSource *src;
    size_t ncols;
    char **header;          /* the header's names, as they are */
    int *level_col;         /* per level: its column */
    int *attr_col;          /* per attribute: its column */
    const char **attr_name; /* per attribute: its plan name */
    int nattrs;
    const char **level, **attr; /* the current row's texts */
    long line;
    SrcRow cur; /* the row roster_next gave (its texts are the source's) */
};

static void report(RosterReader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void report(RosterReader *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(r->p->diags, DIAG_ERROR, r->decl->c->loc, fmt, ap);
    va_end(ap);
    r->p->data_error = true;
}

void roster_row_error(RosterReader *r, const char *fmt, ...)
{
    Buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    report(r, "%s:%ld: %s", r->decl->c->str, r->line, buf_cstr(&b));
    buf_free(&b);
}

void roster_attr_error(RosterReader *r, int attr, const char *fmt, ...)
{
    SrcPos at = {r->line, 1, 1};
    if (attr >= 0 && attr < r->nattrs)
        src_locate(r->src, &r->cur, r->attr_col[attr], 0, &at, NULL);
    Buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    report(r, "%s:%ld:%ld: %s", r->decl->c->str, at.line, at.col, buf_cstr(&b));
    buf_free(&b);
}

/* Reports the error the source's reader found. */
static void read_error(RosterReader *r)
{
    long line, col;
    const char *msg = src_error(r->src, &line, &col);
    report(r, "%s:%ld:%ld: %s", r->decl->c->str, line, col, msg);
}

/* The column of every level (the last one named so): false after
 * reporting a level without one. */
static bool find_levels(RosterReader *r)
{
    const Dim *d = r->dim;
    for (int l = 0; l < d->nlevels; l++) {
        const char *want = map_column_or_name(r->decl->d, d->levels[l].name);
        r->level_col[l] = -1;
        for (size_t i = 0; i < r->ncols; i++)
            if (strcmp(r->header[i], want) == 0)
                r->level_col[l] = (int)i;
        if (r->level_col[l] < 0) {
            report(r, "%s: no column '%s' for level '%s'", r->decl->c->str, want,
                   d->levels[l].name);
            diag_note_plain(r->p->diags, "the header has: %s%s", r->ncols ? r->header[0] : "",
                            r->ncols > 1 ? ", ..." : "");
            return false;
        }
    }
    return true;
}

/* Every column that is no level's is an attribute. */
static void find_attrs(RosterReader *r)
{
    for (size_t i = 0; i < r->ncols; i++) {
        bool is_level = false;
        for (int l = 0; l < r->dim->nlevels; l++)
            is_level |= r->level_col[l] == (int)i;
        if (is_level)
            continue;
        r->attr_col[r->nattrs] = (int)i;
        r->attr_name[r->nattrs++] = map_name_or_column(r->decl->d, r->header[i]);
    }
}

/* The header (none in an empty source): false after reporting. */
static bool read_header(RosterReader *r)
{
    SrcRow hdr;
    int rc = src_header(r->src, &hdr);
    if (rc < 0)
        read_error(r);
    if (rc <= 0)
        return rc == 0;
    r->ncols = hdr.nfields;
    r->header = xcalloc(r->ncols, sizeof *r->header);
    for (size_t i = 0; i < r->ncols; i++)
        r->header[i] = xstrdup(hdr.fields[i]);
    r->attr_col = xcalloc(r->ncols, sizeof *r->attr_col);
    r->attr_name = xcalloc(r->ncols, sizeof *r->attr_name);
    r->attr = xcalloc(r->ncols, sizeof *r->attr);
    for (size_t i = 0; i < r->ncols; i++) /* each column once: the last would win */
        for (size_t j = i + 1; j < r->ncols; j++)
            if (strcmp(r->header[i], r->header[j]) == 0) {
                report(r, "%s:%ld: column '%s' appears twice in the header (columns %zu and %zu)",
                       r->decl->c->str, hdr.line, r->header[i], i + 1, j + 1);
                return false;
            }
    if (!find_levels(r))
        return false;
    find_attrs(r);
    for (int i = 0; i < r->nattrs; i++) /* two columns mapped to one attribute */
        for (int j = i + 1; j < r->nattrs; j++)
            if (strcmp(r->attr_name[i], r->attr_name[j]) == 0) {
                report(r, "%s:%ld: columns '%s' and '%s' are both attribute '%s'", r->decl->c->str,
                       hdr.line, r->header[r->attr_col[i]], r->header[r->attr_col[j]],
                       r->attr_name[i]);
                return false;
            }
    return true;
}

RosterReader *roster_open(Program *p, const Node *decl, const Dim *d)
{
    const char *order = decl->c->kind == N_SOURCE ? map_column(decl->d, "order") : NULL;
    RowSource *src = src_open_decl(p, decl->c, order);
    if (!src)
        return NULL;
    RosterReader *r = xcalloc(1, sizeof *r);
    *r = (RosterReader){.p = p, .decl = decl, .dim = d, .src = src};
    r->level_col = xcalloc((size_t)d->nlevels + 1, sizeof *r->level_col);
    r->level = xcalloc((size_t)d->nlevels + 1, sizeof *r->level);
    if (!read_header(r)) {
        roster_close(r);
        return NULL;
    }
    return r;
}

const char *const *roster_attr_names(const RosterReader *r, int *n)
{
    *n = r->nattrs;
    return r->attr_name;
}

int roster_next(RosterReader *r, RosterRow *row)
{
    SrcRow sr;
    int rc = r->header ? 1 : 0; /* an empty source has no rows */
    while (rc == 1 && (rc = src_next(r->src, &sr)) == 1 && src_blank(&sr))
        ;
    if (rc < 0)
        read_error(r);
    if (rc != 1)
        return rc;
    r->line = sr.line;
    r->cur = sr;
    if (sr.nfields != r->ncols) {
        roster_row_error(r, "%zu fields, but the header has %zu", sr.nfields, r->ncols);
        return -1;
    }
    for (int l = 0; l < r->dim->nlevels; l++)
        r->level[l] = sr.fields[r->level_col[l]];
    for (int i = 0; i < r->nattrs; i++)
        r->attr[i] = sr.fields[r->attr_col[i]];
    *row = (RosterRow){sr.line, r->level, r->attr};
    return 1;
}

void roster_close(RosterReader *r)
{
    if (!r)
        return;
    src_close(r->src);
    for (size_t i = 0; i < r->ncols; i++)
        free(r->header[i]);
    free(r->header);
    free(r->level_col);
    free(r->attr_col);
    free(r->attr_name);
    free(r->level);
    free(r->attr);
    free(r);
}
