/* actdiag.c -- where a diagnostic about an actuals CSV points, and the
 * error and note wrappers of the actuals reader (actread.c, acthead.c).
 *
 * The CSV reader keeps no text: a diagnostic gets a Source made of the
 * offending row as it was most likely written (re-quoted from its fields),
 * or of the physical line read again from the file, cut to SHOW_MAX bytes
 * and kept by the Program.  A worker thread (actuals_par.c) records its
 * errors and Sources in its Recorder instead: it must not touch the
 * Program.  This file must not keep rows or anything else past the
 * diagnostic, nor decide what is an error.
 */
#include "data/actuals_int.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SHOW_MAX 4096 /* bytes of a CSV line kept for a diagnostic's excerpt */

/* The Program keeps s (a Unit without statements), so the diagnostics
 * pointing into it can be flushed any time before prog_free, also after
 * act_free.  Every Source of the file has the same index: the sort key of
 * its diagnostics, taken when the first is needed. */
static void keep_source(Loader *ld, Source *s)
{
    Program *p = ld->a->p;
    if (ld->src_index < 0)
        ld->src_index = p->nunits++;
    s->index = ld->src_index;
    Unit *u = xcalloc(1, sizeof *u);
    u->src = s;
    if (p->last_unit)
        p->last_unit->next = u;
    else
        p->units = u;
    p->last_unit = u;
}

Source *ac_csv_source(Loader *ld, long first_line, Buf *text)
{
    for (size_t i = 0; i < text->len;) { /* NULs and invalid UTF-8 show as '?' */
        size_t k = utf8_seq_len((unsigned char *)text->data + i, text->len - i);
        if (text->data[i] == '\0' || k == 0)
            text->data[i] = '?';
        i += k ? k : 1;
    }
    Source *s = source_new(ld->shown, NULL, buf_cstr(text), text->len, 0);
    s->first_line = clamp_int(first_line);
    Recorder *rec = ld->rec;
    if (rec) {
        rec->srcs = xrealloc(rec->srcs, (size_t)(rec->nsrcs + 1) * sizeof *rec->srcs);
        rec->srcs[rec->nsrcs++] = s;
    } else {
        keep_source(ld, s);
    }
    return s;
}

void ac_adopt_source(Loader *ld, Recorder *rec, Source *s)
{
    for (int i = 0; s && i < rec->nsrcs; i++)
        if (rec->srcs[i] == s) {
            rec->srcs[i] = NULL;
            keep_source(ld, s);
        }
}

void ac_recorder_free(Recorder *rec)
{
    for (int i = 0; i < rec->n; i++) {
        RecError *e = &rec->v[i];
        free(e->msg);
        for (int k = 0; k < e->nnotes; k++)
            free(e->notes[k]);
        free(e->notes);
        free(e->used);
    }
    free(rec->v);
    for (int i = 0; i < rec->nsrcs; i++)
        source_free(rec->srcs[i]);
    free(rec->srcs);
    free(rec->room0);
    *rec = (Recorder){0};
}

/* Cuts text to at most max bytes, on a code point boundary. */
void ac_cut_text(Buf *b, size_t max)
{
    if (b->len > max)
        b->len = (size_t)cval_clip(b->data, b->len, max);
}

typedef struct {
    long line, col;
} Pos;

static void advance(Pos *p, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n') {
            p->line++;
            p->col = 1;
        } else if ((c & 0xC0) != 0x80) {
            p->col++;
        }
    }
}

static void put_bounded(Buf *b, const char *s, size_t n)
{
    size_t room = b->len < SHOW_MAX ? SHOW_MAX - b->len : 0;
    buf_put(b, s, n < room ? n : room);
}

/* Appends field s[0..n) as it was most likely written (quoted only when it
 * must be) and moves p over it. */
static void put_field(Buf *b, Pos *p, const char *s, size_t n)
{
    bool q = memchr(s, ',', n) || memchr(s, '"', n) || memchr(s, '\n', n) || memchr(s, '\r', n);
    if (q) {
        put_bounded(b, "\"", 1);
        p->col++;
    }
    const char *e = s + n;
    while (s < e) {
        const char *qt = memchr(s, '"', (size_t)(e - s));
        size_t k = qt ? (size_t)(qt - s) : (size_t)(e - s);
        put_bounded(b, s, k);
        advance(p, s, k);
        s += k;
        if (qt) {
            put_bounded(b, "\"\"", 2);
            p->col += 2;
            s++;
        }
    }
    if (q) {
        put_bounded(b, "\"", 1);
        p->col++;
    }
}

/* Where field fi of the row is (fi -1: the row's start), with a Source
 * holding the row's text (empty when the field starts too far in). */
Loc ac_row_loc(Loader *ld, const CsvRow *row, long fi)
{
    Buf *b = &ld->scratch;
    b->len = 0;
    Pos p = {row->line, 1}, at = p;
    size_t at_off = 0;
    long end_col = 1;
    for (size_t i = 0; i < row->nfields; i++) {
        if (i) {
            put_bounded(b, ",", 1);
            p.col++;
        }
        if ((long)i == fi) {
            at = p;
            at_off = b->len;
        }
        put_field(b, &p, row->fields[i], row->lens[i]);
        if ((long)i == fi)
            end_col = p.line == at.line ? p.col - 1 : at.col;
        if ((long)i >= fi && b->len >= SHOW_MAX)
            break;
    }
    if (at_off + 256 > SHOW_MAX)
        b->len = 0;
    ac_cut_text(b, SHOW_MAX);
    Source *s = ac_csv_source(ld, row->line, b);
    int line = clamp_int(at.line), col = clamp_int(at.col);
    return (Loc){s, line, col, line, end_col > at.col ? clamp_int(end_col) : col};
}

/* Physical line `line` of the file (at most SHOW_MAX bytes), for errors
 * the CSV reader finds: it keeps no text of a record it rejects. */
void ac_file_line(const char *path, long line, Buf *out)
{
    out->len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    char blk[65536];
    long cur = 1;
    bool first = true;
    ssize_t k;
    while ((k = read(fd, blk, sizeof blk)) > 0) {
        const char *s = blk, *e = blk + k;
        if (first && k >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
            s += 3;
        first = false;
        while (s < e && cur < line) {
            const char *nl = memchr(s, '\n', (size_t)(e - s));
            if (!nl) {
                s = e;
                break;
            }
            cur++;
            s = nl + 1;
        }
        if (cur < line)
            continue;
        const char *nl = memchr(s, '\n', (size_t)(e - s));
        put_bounded(out, s, (size_t)((nl ? nl : e) - s));
        if (nl || out->len >= SHOW_MAX)
            break;
    }
    close(fd);
    ac_cut_text(out, SHOW_MAX);
}

/* A worker's error: kept with the counts of its range so far. */
static void record_error(Loader *ld, Loc loc, const char *fmt, va_list ap)
{
    Recorder *rec = ld->rec;
    rec->v = xrealloc(rec->v, (size_t)(rec->n + 1) * sizeof *rec->v);
    RecError *e = &rec->v[rec->n++];
    Buf b = {0};
    buf_vprintf(&b, fmt, ap);
    *e = (RecError){.loc = loc,
                    .msg = xstrdup(buf_cstr(&b)),
                    .rows = ld->rows,
                    .skipped = ld->skipped,
                    .outside = ld->outside};
    buf_free(&b);
    e->used = xcalloc((size_t)ld->nmc + 1, sizeof *e->used);
    for (int i = 0; i < ld->nmc; i++)
        e->used[i] = rec->room0[i] - ld->mc[i].ms->room;
}

void ac_report(Loader *ld, Loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (ld->rec) {
        record_error(ld, loc, fmt, ap);
    } else {
        diag_verror(ld->a->p->diags, DIAG_ERROR, loc, fmt, ap);
        ld->a->p->data_error = true;
    }
    va_end(ap);
    ld->errors++;
}

void ac_note(Loader *ld, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    Buf b = {0};
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    Recorder *rec = ld->rec;
    if (rec && rec->n > 0) {
        RecError *e = &rec->v[rec->n - 1];
        e->notes = xrealloc(e->notes, (size_t)(e->nnotes + 1) * sizeof *e->notes);
        e->notes[e->nnotes++] = xstrdup(buf_cstr(&b));
    } else if (!rec) {
        diag_note_plain(ld->a->p->diags, "%s", buf_cstr(&b));
    }
    buf_free(&b);
}
