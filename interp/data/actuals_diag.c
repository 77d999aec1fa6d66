/* actuals_diag.c -- where a diagnostic about an actuals source points, and
 * the error and note wrappers of the actuals reader (actuals_read.c,
 * actuals_header.c).
 *
 * A source keeps no text: a diagnostic gets a Source made of the offending
 * row as the row source shows it (src_locate: for a CSV, the row as it was
 * most likely written), or of the line an error of the source's reader is
 * on (src_line_text), cut to SHOW_MAX bytes and kept by the Program.  A
 * worker thread (actuals_threads.c) records its errors and Sources in its
 * Recorder instead: it must not touch the Program.  This file must not
 * keep rows or anything else past the diagnostic, nor decide what is an
 * error.
 */
#include "data/actuals_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

Loc ac_row_loc(Loader *ld, const SrcRow *row, long fi)
{
    if (row->line <= 0 && ld->at.src) /* a table's header: the plan's declaration */
        return ld->at;
    SrcPos at;
    src_locate(ld->src, row, fi, SHOW_MAX, &at, &ld->scratch);
    Source *s = ac_csv_source(ld, row->line, &ld->scratch);
    int line = clamp_int(at.line);
    return (Loc){s, line, clamp_int(at.col), line, clamp_int(at.end_col)};
}

Loc ac_error_loc(Loader *ld, long line, long col)
{
    if (line <= 0)
        return (Loc){0};
    src_line_text(ld->src, line, SHOW_MAX, &ld->scratch);
    Source *s = ac_csv_source(ld, line, &ld->scratch);
    return (Loc){s, clamp_int(line), clamp_int(col), clamp_int(line), clamp_int(col)};
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
