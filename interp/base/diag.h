/* diag.h -- sources (plan text with a line table) and diagnostics.
 *
 * A Source owns its name and text.  A Loc points into a Source by line and
 * column (1-based; columns count UTF-8 code points).  Diags collects
 * diagnostics in memory (each owns its message and notes) and prints them
 * sorted by position when flushed, as text (with source line and caret),
 * JSON or GitHub workflow commands.  Nothing here exits the process.
 */
#ifndef DIAG_H
#define DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/num.h"

/* A place on a line: code points before it, their UTF-16 units, its byte. */
typedef struct {
    int cps, units;
    size_t off;
} SourceUnits;

/* The places of every 64th code point of the last long line of a Source
 * that source_offset or source_utf16 was asked about (line: 1 for the
 * Source's first, whatever its first_line; 0: none).  After changing the
 * text: source_forget_places. */
typedef struct {
    int line;
    SourceUnits *ck;
    size_t nck;
} SourcePlaces;

typedef struct Source {
    char *name; /* as shown in diagnostics: "plans/fy.plan", "<std>/bands", "<repl>" */
    char *dir;  /* directory for relative data paths and imports; NULL if none */
    char *text; /* NUL-terminated; len bytes */
    size_t len;
    size_t *lines; /* byte offset of each line start */
    size_t nlines;
    int index;        /* load order, for sorting diagnostics */
    int first_line;   /* number of the first line (1, or more in the REPL) */
    SourcePlaces *at; /* kept places of a long line (NULL: none are kept) */
} Source;

typedef struct {
    Source *src;
    int line, col;         /* start */
    int end_line, end_col; /* last character, inclusive */
} Loc;

typedef enum { DIAG_ERROR, DIAG_WARNING } DiagLevel;
typedef enum { FMT_TEXT, FMT_JSON, FMT_GITHUB } DiagFormat;

typedef struct {
    Loc loc; /* loc.src may be NULL: a note without position */
    char *msg;
} DiagNote;

typedef struct {
    DiagLevel level;
    Loc loc;
    char *msg;
    DiagNote *notes;
    size_t nnotes;
    unsigned seq;
} Diag;

#define DIAG_MAX_ERRORS_PER_FILE 20

typedef struct {
    Diag *v;
    size_t n, cap;
    int nerrors, nwarnings; /* totals, including suppressed ones */
    int suppressed;         /* errors past the per-file cap */
    bool color;
    bool last_dropped; /* the last diagnostic was suppressed: its notes go too */
} Diags;

/* Makes a Source from text (copied) and builds its line table. */
Source *source_new(const char *name, const char *dir, const char *text, size_t len, int index);
void source_free(Source *s);
/* The byte offset of a line and column (in code points, 1-based) of s;
 * 0 before its first line, its length after its last.  On a line over 1
 * KiB it counts from the kept place of the 64th code point before (the
 * places of a line are found once), so that many places on one long line
 * (the statements of a REPL entry, an outline in the editor) cost its
 * length, not that many times it.  Not for two threads at once on one
 * Source. */
size_t source_offset(const Source *s, int line, int col);
/* The UTF-16 units of the first ncp code points of a line of s (an LSP
 * column), past the line's end one each; counted as source_offset counts. */
int source_utf16(const Source *s, int line, int ncp);
/* Drops what source_offset and source_utf16 keep of s's text (its text changed). */
void source_forget_places(Source *s);
/* Start of line (absolute line number) and its length without newline. */
const char *source_line(const Source *s, int line, size_t *len);

Loc loc_span(Loc a, Loc b); /* from a's start to b's end */

void diag_error(Diags *d, Loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void diag_warning(Diags *d, Loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void diag_verror(Diags *d, DiagLevel level, Loc loc, const char *fmt, va_list ap);
/* Attaches a note to the last diagnostic; loc.src NULL for no position. */
void diag_note(Diags *d, Loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void diag_note_plain(Diags *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints and removes the collected diagnostics (sorted by source, line,
 * column).  For FMT_JSON the caller prints the document's frame; this
 * prints the objects, comma-separated, setting *first as it goes. */
void diag_flush(Diags *d, FILE *out, DiagFormat fmt, bool *json_first);
void diag_free(Diags *d);

/* Reports an arithmetic fault of a and b (division by zero, overflow) at
 * loc with the operands; returns -1. */
int diag_arith_fault(Diags *d, Loc at, NumStatus st, Num a, Num b);

/* Prints s as diagnostics show text: what could drive a terminal or a CI
 * log escaped (term_escape), e.g. a file name. */
void diag_put_text(FILE *out, const char *s);

/* "FILE: 3 errors, 1 warning", the name escaped as diag_put_text does */
void diag_count_line(const Diags *d, FILE *out, const char *what);

/* JSON string escaping into out (with the quotes). */
void diag_json_string(FILE *out, const char *s);

#endif
