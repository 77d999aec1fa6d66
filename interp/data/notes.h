/* notes.h -- deviation notes: `notes "file.csv"` in a review, rows of
 * member, period, metric and text, each the reason for a row of the
 * review's status table (SPEC §12, docs/LANGUAGE.md "Deviation notes").
 *
 * The file is read through the row-source interface (the one file opener,
 * the CSV reader's rules: quoting, UTF-8, escaped bytes in messages).  Each
 * row's member (a bare member name), period (a period of the review's
 * cadence: 2027-02, Q1, H1, FY2027; a weekly review's: a week named as the
 * plan names them, 2027-W41 or FY2027-W01) and metric (one the review has a status
 * for) are resolved against the plan; what is wrong is reported as
 * "FILE:LINE: ..." at the file's name in the plan, with a did-you-mean.
 *
 * Ownership: a NoteTable owns its notes and their texts (its arena); the
 * members and metrics they point to are the Program's, which must outlive
 * it.
 */
#ifndef NOTES_H
#define NOTES_H

#include "load/load.h"
#include "model/model.h"

typedef struct {
    const Member *member;
    const Member *period; /* a member of the time dimension at the review's level
                           * (NULL in a weekly review) */
    int week;             /* a weekly review's week (WeekCal index), else -1 */
    const char *pname;    /* the period as written: 2027-02, Q1, 2027-W41 */
    const Node *metric;   /* N_METRIC */
    const char *text;
    long line; /* in the file */
} Note;

typedef struct {
    Note *v;
    size_t n, cap;
    Arena arena;
} NoteTable;

/* Reads the notes of review rv (an N_REVIEW) from its item decl (an
 * N_NOTES) into out.  Returns the number of rows reported as wrong (they
 * are left out), or -1 when the file cannot be read or has no usable
 * header (reported; p->data_error set when it cannot be read). */
int note_load(Program *p, const Node *rv, const Node *decl, NoteTable *out);

/* The note for member m, period and metric, or NULL. */
const Note *note_find(const NoteTable *t, const Member *m, const Member *period,
                      const Node *metric);

/* The note for member m, week (a weekly review's) and metric, or NULL. */
const Note *note_find_week(const NoteTable *t, const Member *m, int week, const Node *metric);

/* The N_NOTES item of review rv, or NULL. */
const Node *note_item(const Node *rv);

void note_free(NoteTable *t);

#endif
