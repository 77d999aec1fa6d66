/* targets.h -- bottom-up targets: `target METRIC from "file.csv" { mapping }`
 * read as rows of level values and a value (SPEC §7).
 *
 * The source's header names the value column (the metric's name, or the
 * column the mapping gives it) and level columns (a level's name, or its
 * mapped column), one per dimension.  A reader hands over each data row as
 * the texts of its level columns (an absent field is ""), in header order,
 * and its value on request; what the texts name, and what the values add
 * up to, is the caller's (alloc/); a pre-aggregated row (SrcRow.weight) is
 * read like any other, its value being a sum.  Every error is reported at
 * the file's name in the plan as "FILE:LINE: ..." and sets p->data_error.
 *
 * Ownership: a TgtReader belongs to its opener (tgt_close); it keeps
 * pointers into the Program (the declaration, the symbols), which must
 * outlive it.  The texts tgt_next hands out stay valid until the next
 * tgt_next or tgt_close.
 */
#ifndef TARGETS_H
#define TARGETS_H

#include "load/load.h"
#include "model/model.h"

typedef struct TgtReader TgtReader;

/* Opens the source of decl (an N_TARGET with a file) for metric and reads
 * its header, accepting at most max_levels level columns.  NULL after
 * reporting (or after src_open_data refused the path). */
TgtReader *tgt_open(Program *p, const Node *decl, const Node *metric, int max_levels);

/* The level columns found, in header order: how many, and the level of
 * column i. */
int tgt_nlevels(const TgtReader *t);
const Level *tgt_level(const TgtReader *t, int i);

/* The next data row (blank lines skipped): texts[i] is the text of level
 * column i.  1, 0 at the end, -1 after reporting a reader error. */
int tgt_next(TgtReader *t, const char **texts);

/* The value of the row tgt_next gave: 0, or -1 after reporting that it is
 * not a number. */
int tgt_value(TgtReader *t, Num *out);

/* Reports an error about the row tgt_next gave ("FILE:LINE: " and the
 * message) and sets p->data_error. */
void tgt_row_error(TgtReader *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Closes the source and frees t (NULL is allowed). */
void tgt_close(TgtReader *t);

#endif
