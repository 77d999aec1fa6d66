/* row.h -- a row of text fields as the readers of data/ see it: what the
 * CSV reader fills (csv.h, as CsvRow) and what every row source hands over
 * (source.h, as SrcRow).  One type, so that the CSV source passes rows on
 * without copying them.
 *
 * Ownership: a row points into the reader or source that filled it (see
 * csv.h and source.h for how long its texts stay valid).
 */
#ifndef ROW_H
#define ROW_H

#include <stddef.h>

typedef struct {
    size_t nfields;     /* >= 1 */
    char **fields;      /* NUL-terminated texts */
    size_t *lens;       /* their byte lengths, without the NUL */
    long line;          /* where it starts: a CSV's physical line, else its record number */
    long weight;        /* rows of data it stands for: 1, or a group's row count */
    const long *counts; /* per field: how many of the group's rows have a value in it
                           (a sum of that many values); NULL: weight each */
} DataRow;

#endif
