/* roster.h -- a dimension's members from a source: `dimension NAME levels
 * a > b from "file.csv" { mapping }` read as rows of level values and
 * attribute values (SPEC §5).
 *
 * The header has a column for every level (its name, or the column the
 * mapping gives it; the last such column counts); every other column is an
 * attribute, named after its column or by the mapping (plan name =
 * column).  Blank lines are skipped; every other row must have as many
 * fields as the header (a row's weight means nothing here).  Texts are
 * handed over as they are (not trimmed).
 * What the values make (members, their tree, attributes) is check/'s: only
 * it writes the symbol tables.  Errors are reported at the file's name in
 * the plan ("FILE:LINE: ...") and set p->data_error.
 *
 * Ownership: a RosterReader belongs to its opener (roster_close) and keeps
 * pointers into the Program and the Dim, which must outlive it.  The
 * attribute names stay valid until roster_close; the texts of a RosterRow
 * until the next roster_next or roster_close.
 */
#ifndef ROSTER_H
#define ROSTER_H

#include "load/load.h"
#include "model/model.h"

typedef struct RosterReader RosterReader;

/* A data row. */
typedef struct {
    long line;                /* where it starts in the source */
    const char *const *level; /* per level of the dimension, top first */
    const char *const *attr;  /* per attribute column (roster_attr_names) */
} RosterRow;

/* Opens the source of decl (an N_DIMENSION with a file) for dimension d
 * and reads its header.  NULL after reporting (or after src_open_data refused
 * the path).  An empty source is no error: its reader has no rows. */
RosterReader *roster_open(Program *p, const Node *decl, const Dim *d);

/* The attribute columns' plan names, in header order, and their number. */
const char *const *roster_attr_names(const RosterReader *r, int *n);

/* The next row: 1, 0 at the end, -1 after reporting (a reader error, a
 * row whose field count is not the header's). */
int roster_next(RosterReader *r, RosterRow *row);

/* Reports an error about the row roster_next gave ("FILE:LINE: " and the
 * message) and sets p->data_error. */
void roster_row_error(RosterReader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reports an error about attribute attr (roster_attr_names' index) of the
 * row roster_next gave ("FILE:LINE:COL: " and the message) and sets
 * p->data_error. */
void roster_attr_error(RosterReader *r, int attr, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Closes the source and frees r (NULL is allowed). */
void roster_close(RosterReader *r);

#endif
