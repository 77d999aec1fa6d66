/* csv.h -- streaming RFC 4180 CSV reader (actuals, history, dimension sources).
 *
 * Ownership: a CsvReader owns its buffer and the field arrays.  A CsvRow
 * filled by csv_next points into them: its fields, lens and texts stay valid
 * until the next csv_next or csv_close on the same reader; copy what you keep.
 * csv_open's *err_msg is malloc'd and freed by the caller with free().
 * csv_open_mem does not copy: data must stay valid and unchanged until
 * csv_close.  csv_open_fd does not take the descriptor: the caller closes it.
 * The message from csv_error lives in the reader.  csv_split fills the
 * caller's array and keeps nothing.
 *
 * Format: UTF-8 (validated), ',' separator, records end with "\n" or "\r\n";
 * a field in double quotes may hold ',', '\n', '\r' and "" (one quote).  A
 * UTF-8 byte order mark at the start is skipped.  Header handling is the
 * caller's: the first record is returned like any other.
 */
#ifndef CSV_H
#define CSV_H

#include <stddef.h>

#include "data/row.h"

#define CSV_MAX_FIELDS 4096                     /* fields per record */
#define CSV_DEFAULT_MAX_FIELD ((size_t)1 << 20) /* bytes per field */
#define CSV_MIN_MAX_RECORD ((size_t)16 << 20)   /* see csv_set_max_field */

typedef struct CsvReader CsvReader;

/* A record (data/row.h): nfields >= 1; fields: NUL-terminated texts (quotes
 * removed, "" collapsed); lens: their byte lengths, without the NUL; line:
 * the 1-based physical line where the record starts; weight: always 1. */
typedef DataRow CsvRow;

/* Opens path for reading (base/files.h: never blocking, only a regular
 * file).  On failure returns NULL and sets *err_msg to a malloc'd message
 * such as "cannot open 'x.csv': No such file or directory" (the caller
 * frees it with free(); err_msg may be NULL to get none). */
CsvReader *csv_open(const char *path, char **err_msg);

/* Reads len bytes at data (not copied; see ownership above). */
CsvReader *csv_open_mem(const char *data, size_t len);

/* Reads from an open descriptor (not closed by csv_close); name is copied and
 * returned by csv_name. */
CsvReader *csv_open_fd(int fd, const char *name);

/* The path or name given when opening ("<memory>" for csv_open_mem). */
const char *csv_name(const CsvReader *r);

/* Longest field accepted, in bytes as stored (a quoted field is measured
 * between its quotes, before "" is collapsed); default 1 MiB.  A longer field
 * is an error found after reading at most about max_bytes + one block.  A
 * whole record (without its line end) may hold at most
 * max(CSV_MIN_MAX_RECORD, 4 * max_bytes) bytes. */
void csv_set_max_field(CsvReader *r, size_t max_bytes);

/* Bytes per read(2) (default 1 MiB, clamped to 1 .. 1 GiB).  Rows and errors
 * never depend on it; tests use tiny blocks to put every byte of a record on a
 * block boundary. */
void csv_set_block_size(CsvReader *r, size_t bytes);

/* Reads only the bytes [offset, offset + length) of the input (length < 0:
 * up to its end) as if they were all of it: their end is the end of input.
 * A descriptor is then read with pread(2) (its file position is neither used
 * nor moved, so several readers may share a file); memory is read in place.
 * The first record is counted as physical line first_line (>= 1), and a
 * byte order mark is skipped only when offset is 0.  For reading a file in
 * pieces cut by csv_split: the rows and errors of a range that starts a
 * record are those of the whole input there, except where the whole input
 * would go on past the range's end.  Call before the first csv_next. */
void csv_set_range(CsvReader *r, long long offset, long long length, long first_line);

/* Where the next record starts: its byte offset in the input (counted from
 * the start of the file or memory, a byte order mark included; for
 * csv_open_fd, from the file's start when the descriptor can seek) and, in
 * *line (may be NULL), its physical line.  Meant for after csv_next returned
 * 1, e.g. to split the records after a header; before the first csv_next it
 * is where reading starts. */
long long csv_tell(const CsvReader *r, long *line);

/* A piece of a file for csv_set_range. */
typedef struct {
    long long offset, length; /* bytes [offset, offset + length) */
    long line;                /* the line its first record is numbered (csv_split) */
} CsvRange;

/* Splits bytes [from, to) of the file open at fd, where from starts a record
 * on physical line `line`, into n >= 1 ranges of about equal size, in order,
 * that together cover it.  Nothing before a cut is read or counted, so each
 * cut is a guess, just after a '\n' at or after an n-th of the way: the
 * first one outside quotes when exactly one guess of the quote state there
 * reads the next 64 KiB without a misplaced '"' (a '"' in the middle of an
 * unquoted field, or one closing a quoted field that goes on), else the
 * first '\n'; at to when there is none (a range may be empty).  The first
 * range has line `line`, each later one line 1: its lines count from its
 * own start (add the line the range before it ends on, csv_tell after
 * reading it).  A cut may still fall inside a quoted field: reading the
 * range before it then ends in an error (the quote is open at its end); a
 * range read to its end without an error ends where a record does.
 * Returns 0, or -1 with errno set after a read error (ESPIPE: fd cannot be
 * split). */
int csv_split(int fd, long long from, long long to, long line, int n, CsvRange *out);

/* Reads the next record into *row.  Returns 1 for a record, 0 at end of input
 * and -1 on an error (see csv_error); after 0 or -1 every later call returns
 * the same.
 * Record rules: a final record without a line end is a record; the empty text
 * after the last line end is not.  An empty line anywhere else ("a\n\nb\n",
 * also a blank last line as in "a\n\n") IS a record with one empty field
 * (nfields 1, lens[0] 0), as RFC 4180 reads it: callers that want to skip
 * blank lines test for exactly that.
 * Errors: unterminated quoted field, '"' inside an unquoted field, text after
 * a closing quote, '\r' not followed by '\n' outside quotes, invalid UTF-8, a
 * NUL byte, a field or record over the limits, more than CSV_MAX_FIELDS
 * fields, a read error. */
int csv_next(CsvReader *r, CsvRow *row);

/* The last error's message (lower case, no location), or NULL if none.  Sets
 * *line and *col (either may be NULL) to where it was found: 1-based physical
 * line, and column in UTF-8 code points within that line (a skipped byte
 * order mark is not counted).  For a read error both are 0. */
const char *csv_error(const CsvReader *r, long *line, long *col);

/* Frees the reader (NULL is allowed); closes the file only if csv_open opened it. */
void csv_close(CsvReader *r);

#endif
