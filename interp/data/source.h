/* source.h -- the row-source interface: where the rows of a plan's data come
 * from.
 *
 * The readers of data/ (actuals, histories, rosters, bottom-up targets) read
 * rows of text fields through a RowSource and never see what is behind it: a
 * CSV file today (source_csv.c), a database query later.  A source is opened
 * by where (a path, or a URI whose scheme one of the kinds claims), gives its
 * header (the column names) and then its rows, says where a row or field is
 * for a diagnostic, and says what it is (its signature: identity and a cheap
 * change marker) so that a cache can tell when it changed.  A source that
 * aggregates (GROUP BY member x month, with SUM and COUNT) hands over one row
 * per group with the number of rows it stands for in SrcRow.weight and, in
 * SrcRow.counts, how many of them have a value in each summed column.
 *
 * Adding a kind of source: one file that fills a SrcOps and defines the open
 * function, and one line in data/source_kinds.h.
 *
 * Ownership: a RowSource belongs to whoever opened it (src_close).  A SrcRow
 * filled by src_header or src_next points into the source: its texts stay
 * valid until the next call on the same source or src_close; copy what you
 * keep.  Error messages live in the source until its next call.  *err of
 * src_open is malloc'd (the caller frees it).  Text appended to a caller's
 * Buf is the caller's.  Parts made by src_split are sources of their own
 * (each closed by the caller) and keep nothing of the source split.
 */
#ifndef SOURCE_H
#define SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/util.h"
#include "data/row.h"
#include "load/load.h"

typedef struct RowSource RowSource;

/* A row: the header or a data row (data/row.h: nfields, fields, lens, line,
 * weight). */
typedef DataRow SrcRow;

/* Where something is in a source, for a diagnostic. */
typedef struct {
    long line;    /* 1-based line (CSV) or record number */
    long col;     /* 1-based column in code points */
    long end_col; /* the last column of the field on that line (>= col) */
} SrcPos;

/* What a reader needs of each header column (src_request). */
typedef enum {
    SRC_UNUSED = 0, /* not read */
    SRC_KEY,        /* grouped by, as text (a level's members) */
    SRC_DATE,       /* the date: grouped by its month (its day with by_day), in the window */
    SRC_MONTH,      /* a month column (YYYY-MM or 1-12): grouped by, as text */
    SRC_VALUE,      /* summed, with a count of its values */
} SrcRole;

/* A reader's request: what to read of each header column. */
typedef struct {
    const SrcRole *roles; /* one per header column */
    size_t n;             /* the header's column count */
    bool by_day;          /* the date grouped by day (weekly reviews), else by month */
    int first_month;      /* dates kept: absolute months (year * 12 + month - 1) */
    int last_month;       /* first_month .. last_month; first_month < 0: every date */
    bool prepare_only;    /* check the query without reading a row */
} SrcRequest;

/* What a kind of source implements.  next (the header's column names
 * first, then the data rows), error and close are required; the others may
 * be NULL.  The functions below state the contracts (locate: src_locate,
 * and so on). */
typedef struct {
    int (*next)(RowSource *s, SrcRow *row);
    const char *(*error)(const RowSource *s, long *line, long *col);
    void (*locate)(RowSource *s, const SrcRow *row, long fi, size_t max, SrcPos *at, Buf *text);
    void (*line_text)(RowSource *s, long line, size_t max, Buf *out);
    int (*parallel)(const RowSource *s);
    int (*split)(RowSource *s, int n, RowSource **parts);
    bool (*part_lines)(const RowSource *s, long *first, long *after);
    RowSource *(*rest)(RowSource *part, long line);
    void (*signature)(const RowSource *s, Buf *out);
    int (*request)(RowSource *s, const SrcRequest *rq);
    void (*close)(RowSource *s);
} SrcOps;

/* The part every source starts with (an implementation embeds it first). */
struct RowSource {
    const SrcOps *ops;
    char *name; /* for diagnostics; owned (src_init, src_close) */
};

/* ---- using a source ---- */

/* Opens the source at where (a path or a URI; see data/source_kinds.h) with
 * name for diagnostics.  NULL on failure, with *err (may be NULL) set to a
 * malloc'd message such as "cannot open 'x.csv': No such file or
 * directory". */
RowSource *src_open(const char *where, const char *name, char **err);

/* Opens the plan's data path (a string node) with name for diagnostics: a
 * URI of a kind with a scheme as written, else the file through
 * prog_open_data (once, inside the plan's directory or an --allow-path
 * one, only a regular file) read by the kind of file paths.  NULL after
 * reporting at the node (p->data_error set when the source cannot be
 * read). */
RowSource *src_open_data(Program *p, const Node *path_node, const char *name);
/* path_node may also be an N_SOURCE (`source "crm" table "sales"`): the
 * table of the database the command line gives the source (--source
 * crm=URI, else SALESPLAN_SOURCE_CRM), with order (a roster's `order =`
 * column, or NULL) as the order of its rows.  A plan that names a database
 * in a path is refused: only the command line says where a database is. */
RowSource *src_open_decl(Program *p, const Node *path_node, const char *order);

/* The URI the command line or the environment gives source `name`, or
 * NULL. */
const char *src_source_uri(const Program *p, const char *name);
/* Appends the environment variable that gives source `name`
 * (SALESPLAN_SOURCE_ and the name upper-cased, other bytes as '_'). */
void src_source_var(const char *name, Buf *out);

/* The table of the database at where (a kind with a scheme), with order
 * as above.  NULL with *err set (malloc'd) on failure. */
RowSource *src_open_table(const char *where, const char *table, const char *order, const char *name,
                          char **err);
/* Whether a data path of the plan names a file (relative to the plan), not
 * a URI of a kind with a scheme. */
bool src_is_file(const char *where);

/* The identity (device and inode) of the file a source reads: false for a
 * source that is no file (a database table). */
bool src_file_identity(const RowSource *s, unsigned long long *dev, unsigned long long *ino);

/* The name given when opening. */
static inline const char *src_name(const RowSource *s)
{
    return s->name;
}

/* The header: the first row (a source of another kind gives its column
 * names first).  1, 0 when there is none (an empty source), -1 on an error
 * (src_error). */
int src_header(RowSource *s, SrcRow *hdr);

/* The next row: 1, 0 at the end, -1 on an error (src_error); after 0 or -1
 * every later call returns the same.  Inline: it is on every reader's
 * per-row path. */
static inline int src_next(RowSource *s, SrcRow *row)
{
    return s->ops->next(s, row);
}

/* Whether a CSV row is a blank line (readers skip them). */
static inline bool src_blank(const SrcRow *row)
{
    return row->nfields == 1 && row->lens[0] == 0;
}

/* The last error's message (lower case, no location) or NULL; *line and
 * *col (may be NULL) where it was found, 0 when nowhere (a read error). */
const char *src_error(const RowSource *s, long *line, long *col);

/* Where field fi of row is (fi < 0: the row's start) in *at, and, when text
 * is not NULL, the row's lines as written (from line row->line) in text: at
 * most max bytes, cut on a code point boundary, empty when field fi starts
 * too far in to be shown.  By default the row as a CSV line would have it
 * (fields quoted only where they must be). */
void src_locate(RowSource *s, const SrcRow *row, long fi, size_t max, SrcPos *at, Buf *text);

/* The text of line `line` as the source has it (at most max bytes), for an
 * error src_error placed there; empty when the source cannot say. */
void src_line_text(RowSource *s, long line, size_t max, Buf *out);

/* How many parts the rest of the source is worth reading at once (1: not
 * worth splitting; it may still be split when asked). */
int src_parallel(const RowSource *s);

/* The rows not read yet, as n >= 1 sources whose rows, part after part, are
 * those src_next would give, with the same errors and lines (see
 * src_part_lines), as long as no part ends in an error of its reader: a
 * part may be cut inside a record, and the part before such a cut then ends
 * in an error; that error and the later parts must be ignored, and the
 * rest read in one piece from the record in error (src_rest).  0, or -1
 * when the source cannot be split (nothing changed). */
int src_split(RowSource *s, int n, RowSource **parts);

/* A part of src_split: the line its first row is numbered (*first) and the
 * line after the last row read (*after).  True when its lines count from
 * the part's own start (line 1) and not from the file's: the caller adds
 * the line the part starts on once the earlier parts are read.  (Only an
 * error in a part before it can make that line uncertain, and src_split's
 * caller must then ignore the later parts.) */
bool src_part_lines(const RowSource *s, long *first, long *after);

/* A part of src_split that ended in an error of its reader: a source for
 * the whole source's rows from the record the error is in to the end, that
 * record on line `line` (a new reader: the error may be found again, or it
 * came of the cut).  NULL when it cannot be made. */
RowSource *src_rest(RowSource *part, long line);

/* Appends what the source is: its kind and identity, and a cheap change
 * marker (a file: size, time and inode). */
void src_signature(const RowSource *s, Buf *out);

/* Says, after the header and before any row, what the reader needs (a
 * source that aggregates -- a database -- then hands over one row per group
 * of the SRC_KEY, SRC_DATE and SRC_MONTH columns, SRC_VALUE columns summed,
 * weight the group's row count; see SrcRow).  0, or -1 on an error
 * (src_error: a column whose type does not fit its role, a query the
 * database refuses).  A source that cannot aggregate ignores it and hands
 * over every row (0). */
int src_request(RowSource *s, const SrcRequest *rq);

/* Whether the source is a table of a database (it aggregates). */
bool src_is_table(const RowSource *s);

/* The signature of the source at where without reading it; "[?]" when it
 * cannot be opened. */
void src_signature_at(const char *where, Buf *out);

/* The signature of the plan's data path node as src_open_data would name it
 * (no diagnostics, no sandbox check; a source's table: through p). */
void src_signature_of(const Program *p, const Node *path_node, Buf *out);

/* Closes s and frees it (NULL is allowed). */
void src_close(RowSource *s);

/* ---- implementing a source ---- */

/* Sets the common part (name copied). */
void src_init(RowSource *s, const SrcOps *ops, const char *name);

/* Frees the common part (an implementation's close calls it last). */
void src_fini(RowSource *s);

/* The default src_locate: the row as a CSV line would have it. */
void src_locate_as_csv(const SrcRow *row, long fi, size_t max, SrcPos *at, Buf *text);

/* The open functions of the kinds (data/source_kinds.h): table NULL for a
 * file, else the table (and order, or NULL) of the database at where. */
#define SRC_KIND(scheme, open)                                                                     \
    RowSource *open(const char *where, const char *table, const char *order, const char *name,     \
                    char **err);
#include "data/source_kinds.h"
#undef SRC_KIND

/* The kind of file paths reading a file already open (fd is taken over;
 * path names the file in the signature). */
RowSource *src_file_open_fd(int fd, const char *path, const char *name);

#endif
