/* diag.c -- source line tables and diagnostics: collected (at most
 * DIAG_MAX_ERRORS_PER_FILE errors a file), sorted by position, printed as
 * text with caret lines, as JSON or as GitHub annotations.  It formats and
 * prints; it never decides what is an error. */
#include "base/diag.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "base/term.h"
#include "base/util.h"

Source *source_new(const char *name, const char *dir, const char *text, size_t len, int index)
{
    Source *s = xcalloc(1, sizeof *s);
    s->name = xstrdup(name);
    s->dir = dir ? xstrdup(dir) : NULL;
    s->text = xstrndup(text, len);
    s->len = len;
    s->index = index;
    s->first_line = 1;
    s->at = xcalloc(1, sizeof *s->at);
    size_t cap = 64;
    s->lines = xmalloc(cap * sizeof *s->lines);
    s->lines[s->nlines++] = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n') {
            if (s->nlines == cap) {
                cap *= 2;
                s->lines = xrealloc(s->lines, cap * sizeof *s->lines);
            }
            s->lines[s->nlines++] = i + 1;
        }
    return s;
}

void source_free(Source *s)
{
    if (!s)
        return;
    free(s->name);
    free(s->dir);
    free(s->text);
    free(s->lines);
    if (s->at)
        free(s->at->ck);
    free(s->at);
    free(s);
}

#define CK_EVERY 64  /* code points between two kept places of a long line */
#define CK_LONG 1024 /* bytes: a line longer has its places kept */

/* Walks from place *u over [*u, end) of text until ncp code points. */
static void walk_units(const char *text, size_t end, int ncp, SourceUnits *u)
{
    for (; u->cps < ncp && u->off < end; u->cps++) {
        size_t n = utf8_seq_len((const unsigned char *)text + u->off, end - u->off);
        u->units += n == 4 ? 2 : 1;
        u->off += n ? n : 1;
    }
}

/* Keeps the place of every CK_EVERY-th code point of line i ([off, end)). */
static void keep_places(const Source *s, long i, size_t off, size_t end)
{
    SourcePlaces *k = s->at;
    free(k->ck);
    k->nck = (end - off) / CK_EVERY + 2; /* a code point takes a byte or more */
    k->ck = xmalloc(k->nck * sizeof *k->ck);
    SourceUnits u = {0, 0, off};
    size_t n = 0;
    for (;;) {
        k->ck[n++] = u;
        if (u.off >= end || n == k->nck)
            break;
        walk_units(s->text, end, u.cps + CK_EVERY, &u);
    }
    k->nck = n;
    k->line = (int)i + 1;
}

/* Where to count ncp >= 0 code points of line i from: its start, or on a
 * long line the kept place at or before the ncp-th.  *end: the end of its
 * text (without the line end); *next: the next line's start. */
static SourceUnits place_before(const Source *s, long i, int ncp, size_t *end, size_t *next)
{
    size_t off = s->lines[i];
    *next = (size_t)i + 1 < s->nlines ? s->lines[i + 1] : s->len;
    *end = *next > off && s->text[*next - 1] == '\n' ? *next - 1 : *next;
    if (*end > off && s->text[*end - 1] == '\r')
        --*end;
    SourceUnits u = {0, 0, off};
    SourcePlaces *k = s->at;
    if (k && *end - off > CK_LONG) {
        if (k->line != i + 1)
            keep_places(s, i, off, *end);
        size_t j = (size_t)ncp / CK_EVERY;
        u = k->ck[j < k->nck ? j : k->nck - 1];
    }
    return u;
}

size_t source_offset(const Source *s, int line, int col)
{
    long i = (long)line - s->first_line;
    if (i < 0)
        return 0;
    if ((size_t)i >= s->nlines)
        return s->len;
    size_t end, next;
    SourceUnits u = place_before(s, i, col > 1 ? col - 1 : 0, &end, &next);
    walk_units(s->text, next, col - 1, &u); /* past the text: over its line end */
    return u.off;
}

int source_utf16(const Source *s, int line, int ncp)
{
    long i = (long)line - s->first_line;
    if (ncp <= 0 || i < 0 || (size_t)i >= s->nlines)
        return ncp > 0 && i >= 0 ? ncp : 0;
    size_t end, next;
    SourceUnits u = place_before(s, i, ncp, &end, &next);
    walk_units(s->text, end, ncp, &u);
    return u.units + (ncp - u.cps);
}

void source_forget_places(Source *s)
{
    if (!s->at)
        return;
    free(s->at->ck);
    *s->at = (SourcePlaces){0};
}

const char *source_line(const Source *s, int line, size_t *len)
{
    long i = (long)line - s->first_line;
    if (i < 0 || (size_t)i >= s->nlines) {
        *len = 0;
        return "";
    }
    size_t start = s->lines[i];
    size_t end = (size_t)i + 1 < s->nlines ? s->lines[i + 1] - 1 : s->len;
    if (end > start && s->text[end - 1] == '\r')
        end--;
    *len = end - start;
    return s->text + start;
}

Loc loc_span(Loc a, Loc b)
{
    a.end_line = b.end_line;
    a.end_col = b.end_col;
    return a;
}

/* The text of a message as every format shows it: what could drive a
 * terminal or a CI log, or hide text, escaped (term_escape).  Names and
 * values from plans and data files reach the messages through %s; this is
 * the one place they are made safe.  Takes b's text. */
static char *message_text(Buf *b)
{
    if (!b->data)
        return xstrdup("");
    if (!term_needs_escape(b->data, b->len, 0))
        return b->data;
    Buf e = {0};
    term_escape(&e, b->data, b->len, 0);
    buf_free(b);
    buf_cstr(&e); /* NUL-terminated */
    return e.data;
}

/* Already DIAG_MAX_ERRORS_PER_FILE errors in loc's file? */
static bool file_full(const Diags *d, Loc loc)
{
    int in_file = 0;
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].level == DIAG_ERROR && d->v[i].loc.src == loc.src)
            in_file++;
    return in_file >= DIAG_MAX_ERRORS_PER_FILE;
}

void diag_verror(Diags *d, DiagLevel level, Loc loc, const char *fmt, va_list ap)
{
    if (level == DIAG_ERROR)
        d->nerrors++;
    else
        d->nwarnings++;
    if (level == DIAG_ERROR && loc.src && file_full(d, loc)) {
        d->suppressed++; /* counted, and its notes dropped with it */
        d->last_dropped = true;
        return;
    }
    d->last_dropped = false;
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->v = xrealloc(d->v, d->cap * sizeof *d->v);
    }
    Buf b = {0};
    buf_vprintf(&b, fmt, ap);
    Diag *g = &d->v[d->n];
    memset(g, 0, sizeof *g);
    g->level = level;
    g->loc = loc;
    g->msg = message_text(&b);
    g->seq = (unsigned)d->n;
    d->n++;
}

void diag_error(Diags *d, Loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(d, DIAG_ERROR, loc, fmt, ap);
    va_end(ap);
}

void diag_warning(Diags *d, Loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(d, DIAG_WARNING, loc, fmt, ap);
    va_end(ap);
}

static void add_note(Diags *d, Loc loc, const char *fmt, va_list ap)
{
    if (d->n == 0 || d->last_dropped)
        return;
    Diag *g = &d->v[d->n - 1];
    g->notes = xrealloc(g->notes, (g->nnotes + 1) * sizeof *g->notes);
    Buf b = {0};
    buf_vprintf(&b, fmt, ap);
    g->notes[g->nnotes].loc = loc;
    g->notes[g->nnotes].msg = message_text(&b);
    g->nnotes++;
}

void diag_note(Diags *d, Loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_note(d, loc, fmt, ap);
    va_end(ap);
}

void diag_note_plain(Diags *d, const char *fmt, ...)
{
    Loc none = {0};
    va_list ap;
    va_start(ap, fmt);
    add_note(d, none, fmt, ap);
    va_end(ap);
}

static int diag_order(const void *pa, const void *pb)
{
    const Diag *a = pa, *b = pb;
    int ia = a->loc.src ? a->loc.src->index : -1, ib = b->loc.src ? b->loc.src->index : -1;
    if (ia != ib)
        return ia < ib ? -1 : 1;
    if (a->loc.line != b->loc.line)
        return a->loc.line < b->loc.line ? -1 : 1;
    if (a->loc.col != b->loc.col)
        return a->loc.col < b->loc.col ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

#define WINDOW 100 /* code points of a long line shown around the caret */

/* A source line with the caret line under it, being written. */
typedef struct {
    FILE *out;
    Buf caret;
    Loc loc;
    int from, to; /* code points shown: the line, or a window around the caret */
    int last;     /* the last code point underlined */
} Excerpt;

static void excerpt_window(Excerpt *x, int total)
{
    Loc loc = x->loc;
    x->from = 1;
    x->to = total;
    x->last = loc.end_line == loc.line && loc.end_col >= loc.col ? loc.end_col : total;
    if (total > WINDOW) {
        x->from = loc.col > WINDOW / 2 ? loc.col - WINDOW / 2 : 1;
        if (x->from + WINDOW - 1 < x->to)
            x->to = x->from + WINDOW - 1;
    }
    if (x->last > x->to)
        x->last = x->to;
}

/* Code point number cp (c, n bytes at p) and its columns of the caret line. */
static void excerpt_char(Excerpt *x, const char *p, size_t n, utf8proc_int32_t c, int cp)
{
    char tmp[12];
    const char *esc = term_escape_cp(c, TERM_KEEP_TAB, tmp);
    if (esc)
        fputs(esc, x->out);
    else
        fwrite(p, 1, n, x->out);
    int w = esc ? (int)strlen(esc) : c == '\t' ? 1 : utf8proc_charwidth(c);
    if (w < 1)
        w = 1;
    for (int k = 0; k < w && cp <= x->last; k++) {
        char mark = cp < x->loc.col ? (c == '\t' ? '\t' : ' ') : cp == x->loc.col ? '^' : '~';
        buf_putc(&x->caret, mark == '^' && k > 0 ? '~' : mark);
    }
}

/* Prints a source line (or a window of it) and the caret line under it. */
static void print_excerpt(FILE *out, const Diags *d, Loc loc)
{
    size_t len;
    const char *line = source_line(loc.src, loc.line, &len);
    int total = (int)utf8_count(line, len);
    Excerpt x = {out, {0}, loc, 1, total, total};
    excerpt_window(&x, total);
    fprintf(out, "%5d | %s", loc.line, x.from > 1 ? "..." : "");
    buf_puts(&x.caret, x.from > 1 ? "   " : "");
    int cp = 1;
    for (size_t i = 0; i < len && cp <= x.to; cp++) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n =
            utf8proc_iterate((const utf8proc_uint8_t *)line + i, (utf8proc_ssize_t)(len - i), &c);
        if (n <= 0) {
            n = 1;
            c = 0xFFFD;
        }
        if (cp >= x.from)
            excerpt_char(&x, line + i, (size_t)n, c, cp);
        i += (size_t)n;
    }
    if (loc.col > cp - 1) /* caret just past the end of the line */
        buf_putc(&x.caret, '^');
    fprintf(out, "%s\n      | %s%s%s\n", x.to < total ? "..." : "", d->color ? "\033[1;32m" : "",
            buf_cstr(&x.caret), d->color ? "\033[0m" : "");
    buf_free(&x.caret);
}

/* A source's name as diagnostics show it (escaped, term_escape); tmp
 * holds it when it needs escaping. */
static const char *shown_name(const Source *src, Buf *tmp)
{
    const char *s = src ? src->name : "";
    size_t n = strlen(s);
    if (!term_needs_escape(s, n, 0))
        return s;
    tmp->len = 0;
    term_escape(tmp, s, n, 0);
    return buf_cstr(tmp);
}

static void print_text(FILE *out, const Diags *d, const Diag *g)
{
    Buf tmp = {0};
    const char *lvl = g->level == DIAG_ERROR ? "error" : "warning";
    const char *col = g->level == DIAG_ERROR ? "\033[1;31m" : "\033[1;35m";
    if (g->loc.src)
        fprintf(out, "%s%s:%d:%d:%s ", d->color ? "\033[1m" : "", shown_name(g->loc.src, &tmp),
                g->loc.line, g->loc.col, d->color ? "\033[0m" : "");
    fprintf(out, "%s%s:%s %s\n", d->color ? col : "", lvl, d->color ? "\033[0m" : "", g->msg);
    if (g->loc.src && g->loc.line > 0)
        print_excerpt(out, d, g->loc);
    for (size_t i = 0; i < g->nnotes; i++) {
        const DiagNote *nt = &g->notes[i];
        if (nt->loc.src)
            fprintf(out, "%s:%d:%d: ", shown_name(nt->loc.src, &tmp), nt->loc.line, nt->loc.col);
        fprintf(out, "%snote:%s %s\n", d->color ? "\033[1;36m" : "", d->color ? "\033[0m" : "",
                nt->msg);
    }
    buf_free(&tmp);
}

/* One ASCII byte of a JSON string. */
static void json_char(FILE *out, unsigned char c)
{
    switch (c) {
    case '"':
        fputs("\\\"", out);
        break;
    case '\\':
        fputs("\\\\", out);
        break;
    case '\n':
        fputs("\\n", out);
        break;
    case '\t':
        fputs("\\t", out);
        break;
    case '\r':
        fputs("\\r", out);
        break;
    default:
        if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
}

void diag_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    size_t n = strlen(s);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x80) {
            json_char(out, *p);
            continue;
        }
        /* JSON must be UTF-8: invalid bytes become U+FFFD */
        size_t k = utf8_seq_len(p, n - (size_t)(p - (const unsigned char *)s));
        if (k == 0) {
            fputs("\\ufffd", out);
            continue;
        }
        fwrite(p, 1, k, out);
        p += k - 1;
    }
    fputc('"', out);
}

static void print_json(FILE *out, const Diag *g)
{
    Buf tmp = {0};
    fputs("{\"file\":", out);
    diag_json_string(out, shown_name(g->loc.src, &tmp));
    buf_free(&tmp);
    fprintf(out,
            ",\"line\":%d,\"column\":%d,\"end_line\":%d,\"end_column\":%d,\"severity\":\"%s\",",
            g->loc.line, g->loc.col, g->loc.end_line, g->loc.end_col,
            g->level == DIAG_ERROR ? "error" : "warning");
    fputs("\"message\":", out);
    diag_json_string(out, g->msg);
    fputs(",\"notes\":[", out);
    for (size_t i = 0; i < g->nnotes; i++) {
        if (i)
            fputc(',', out);
        diag_json_string(out, g->notes[i].msg);
    }
    fputs("]}", out);
}

/* GitHub workflow commands: '%', CR and LF are escaped in the message;
 * property values additionally escape ',' and ':'. */
static void gh_escape(FILE *out, const char *s, bool property)
{
    for (; *s; s++) {
        if (*s == '%')
            fputs("%25", out);
        else if (*s == '\r')
            fputs("%0D", out);
        else if (*s == '\n')
            fputs("%0A", out);
        else if (property && *s == ',')
            fputs("%2C", out);
        else if (property && *s == ':')
            fputs("%3A", out);
        else
            fputc(*s, out);
    }
}

static void print_github(FILE *out, const Diag *g)
{
    fprintf(out, "::%s ", g->level == DIAG_ERROR ? "error" : "warning");
    Buf tmp = {0};
    fputs("file=", out);
    gh_escape(out, shown_name(g->loc.src, &tmp), true);
    buf_free(&tmp);
    fprintf(out, ",line=%d,col=%d::", g->loc.line, g->loc.col);
    gh_escape(out, g->msg, false);
    for (size_t i = 0; i < g->nnotes; i++) {
        fputs("%0Anote: ", out);
        gh_escape(out, g->notes[i].msg, false);
    }
    fputc('\n', out);
}

static void free_entries(Diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        for (size_t k = 0; k < d->v[i].nnotes; k++)
            free(d->v[i].notes[k].msg);
        free(d->v[i].notes);
        free(d->v[i].msg);
    }
}

static void print_diag(FILE *out, const Diags *d, const Diag *g, DiagFormat fmt, bool *json_first)
{
    if (fmt == FMT_TEXT) {
        print_text(out, d, g);
    } else if (fmt == FMT_GITHUB) {
        print_github(out, g);
    } else {
        if (!*json_first)
            fputc(',', out);
        *json_first = false;
        print_json(out, g);
    }
}

void diag_flush(Diags *d, FILE *out, DiagFormat fmt, bool *json_first)
{
    if (d->n > 1)
        qsort(d->v, d->n, sizeof *d->v, diag_order);
    for (size_t i = 0; i < d->n; i++)
        print_diag(out, d, &d->v[i], fmt, json_first);
    if (d->suppressed && fmt == FMT_TEXT)
        fprintf(out, "note: %d more error%s not shown (at most %d per file)\n", d->suppressed,
                d->suppressed == 1 ? "" : "s", DIAG_MAX_ERRORS_PER_FILE);
    free_entries(d);
    d->n = 0;
    d->suppressed = 0;
}

void diag_free(Diags *d)
{
    free_entries(d);
    free(d->v);
    memset(d, 0, sizeof *d);
}

void diag_put_text(FILE *out, const char *s)
{
    size_t n = strlen(s);
    if (!term_needs_escape(s, n, 0)) {
        fputs(s, out);
        return;
    }
    Buf e = {0};
    term_escape(&e, s, n, 0);
    fputs(buf_cstr(&e), out);
    buf_free(&e);
}

void diag_count_line(const Diags *d, FILE *out, const char *what)
{
    diag_put_text(out, what);
    fprintf(out, ": %d error%s", d->nerrors, d->nerrors == 1 ? "" : "s");
    if (d->nwarnings)
        fprintf(out, ", %d warning%s", d->nwarnings, d->nwarnings == 1 ? "" : "s");
    fputc('\n', out);
}

int diag_arith_fault(Diags *d, Loc at, NumStatus st, Num a, Num b)
{
    char b1[NUM_BUFSZ], b2[NUM_BUFSZ];
    if (st == NUM_DIVZERO)
        diag_error(d, at, "division by zero (%s / 0)", num_str(a, b1));
    else
        diag_error(d, at, "arithmetic overflow (%s and %s)", num_str(a, b1), num_str(b, b2));
    return -1;
}
