/* notes.c -- the rows of a review's notes file (notes.h): the header's four
 * columns, then each row's member, period and metric resolved against the
 * plan, and its text kept.  It reports what is wrong with the file; what a
 * note explains (a flagged status row) is measure/'s. */
#include "data/notes.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "data/source.h"

enum { COL_MEMBER, COL_PERIOD, COL_METRIC, COL_TEXT, NCOLS };
static const char *const col_names[NCOLS] = {"member", "period", "metric", "text"};

typedef struct {
    Program *p;
    const Node *rv, *decl;
    RowSource *src;
    int field[NCOLS];
    SrcRow row;
    int depth; /* of the review's periods in the time dimension: 3 month .. 0 year */
    int bad;
} Reader;

static void report(Reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void report(Reader *r, const char *fmt, ...)
{
    Buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (r->row.line)
        diag_error(r->p->diags, r->decl->c->loc, "%s:%ld: %s", r->decl->c->str, r->row.line,
                   buf_cstr(&b));
    else
        diag_error(r->p->diags, r->decl->c->loc, "%s: %s", r->decl->c->str, buf_cstr(&b));
    buf_free(&b);
}

/* The four columns of the header: false after reporting. */
static bool read_header(Reader *r)
{
    SrcRow hdr;
    if (src_header(r->src, &hdr) != 1) {
        report(r, "no header (member,period,metric,text)");
        return false;
    }
    for (int c = 0; c < NCOLS; c++) {
        r->field[c] = -1;
        for (size_t i = 0; i < hdr.nfields; i++)
            if (strcmp(hdr.fields[i], col_names[c]) == 0)
                r->field[c] = (int)i;
        if (r->field[c] < 0) {
            report(r, "no column '%s'", col_names[c]);
            diag_note_plain(r->p->diags, "a notes file has the columns member, period, metric "
                                         "and text");
            return false;
        }
    }
    return true;
}

static const char *field(const Reader *r, int c)
{
    size_t f = (size_t)r->field[c];
    return f < r->row.nfields ? r->row.fields[f] : "";
}

static const Member *row_member(Reader *r)
{
    const Symbols *s = r->p->sym;
    const char *name = field(r, COL_MEMBER);
    const Member *m = sym_member(s, name);
    if (m == &member_ambiguous) {
        report(r, "member '%s' is in more than one dimension", name);
        return NULL;
    }
    if (!m || m->dim->is_time) {
        report(r, "unknown member '%s'", name);
        sym_note_did_you_mean(r->p->diags, sym_closest_member(s, name));
    }
    return m && !m->dim->is_time ? m : NULL;
}

/* The names of the time members at the review's level, for a did-you-mean. */
static void period_names(const Reader *r, StrMap *out)
{
    const Dim *t = r->p->sym->time;
    for (size_t i = 0; i < t->nmembers; i++)
        if (t->members[i]->depth == r->depth)
            strmap_put(out, t->members[i]->name, t->members[i]);
}

/* A weekly review's period: a week of the plan (-1 after reporting). */
static int row_week(Reader *r)
{
    const char *name = field(r, COL_PERIOD);
    const WeekCal *c = r->p->sym->weeks;
    int w = c ? wk_week_by_label(c, name) : -1;
    if (w < 0 && c) {
        char a[24], b[24];
        report(r, "'%s' is not a week of review weekly", name);
        diag_note_plain(r->p->diags, "its weeks are %s .. %s", wk_week_label(c, 0, a),
                        wk_week_label(c, c->nweeks - 1, b));
    }
    return w;
}

static const Member *row_period(Reader *r)
{
    const char *name = field(r, COL_PERIOD);
    StrMap names = {0};
    period_names(r, &names);
    const Member *m = strmap_get(&names, name);
    if (!m) {
        report(r, "'%s' is not a period of review %s", name, r->rv->name);
        sym_note_did_you_mean(r->p->diags, sym_closest(&names, name));
        const Dim *t = r->p->sym->time;
        const char *first = NULL, *last = NULL;
        for (size_t i = 0; i < t->nmembers; i++)
            if (t->members[i]->depth == r->depth) {
                first = first ? first : t->members[i]->name;
                last = t->members[i]->name;
            }
        if (first && first == last)
            diag_note_plain(r->p->diags, "its one period is %s", first);
        else if (first)
            diag_note_plain(r->p->diags, "its periods are %s .. %s", first, last);
    }
    strmap_free(&names);
    return m;
}

/* The status metrics of the review, by name. */
static void status_metrics(const Reader *r, StrMap *out)
{
    for (const Node *it = r->rv->a; it; it = it->next)
        if (it->kind == N_STATUS && strmap_get(&r->p->sym->metrics, it->name))
            strmap_put(out, it->name, strmap_get(&r->p->sym->metrics, it->name));
}

static const Node *row_metric(Reader *r)
{
    const char *name = field(r, COL_METRIC);
    StrMap names = {0};
    status_metrics(r, &names);
    const Node *m = strmap_get(&names, name);
    if (!m) {
        if (strmap_get(&r->p->sym->metrics, name))
            report(r, "review %s has no status for '%s'", r->rv->name, name);
        else
            report(r, "unknown metric '%s'", name);
        sym_note_did_you_mean(r->p->diags, sym_closest(&names, name));
    }
    strmap_free(&names);
    return m;
}

static void add_note(Reader *r, NoteTable *t, Note n)
{
    const Note *prev = n.week >= 0 ? note_find_week(t, n.member, n.week, n.metric)
                                   : note_find(t, n.member, n.period, n.metric);
    if (prev) {
        report(r, "a second note for %s, %s, %s (the first is on line %ld)", n.member->name,
               n.pname, n.metric->name, prev->line);
        r->bad++;
        return;
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 16;
        t->v = xrealloc(t->v, t->cap * sizeof *t->v);
    }
    t->v[t->n++] = n;
}

static void read_row(Reader *r, NoteTable *t)
{
    bool weekly = r->depth < 0;
    Note n = {.member = row_member(r), .week = -1, .line = r->row.line};
    if (weekly)
        n.week = row_week(r);
    else
        n.period = row_period(r);
    n.metric = row_metric(r);
    bool period = weekly ? n.week >= 0 : n.period != NULL;
    const char *text = field(r, COL_TEXT);
    if (period)
        n.pname = weekly ? arena_strdup(&t->arena, field(r, COL_PERIOD)) : n.period->name;
    if (n.member && period && n.metric && !text[0])
        report(r, "the note for %s, %s, %s has no text", n.member->name, n.pname, n.metric->name);
    if (!n.member || !period || !n.metric || !text[0]) {
        r->bad++;
        return;
    }
    n.text = arena_strdup(&t->arena, text);
    add_note(r, t, n);
}

static int cadence_depth(const Node *rv)
{
    if (strcmp(rv->name, "weekly") == 0)
        return -1; /* weeks are not members */
    for (int c = 0; sym_cadence_names[c]; c++)
        if (strcmp(sym_cadence_names[c], rv->name) == 0)
            return 3 - c; /* monthly: the month level ... annual: the year */
    return 3;
}

int note_load(Program *p, const Node *rv, const Node *decl, NoteTable *out)
{
    memset(out, 0, sizeof *out);
    Reader r = {.p = p, .rv = rv, .decl = decl, .depth = cadence_depth(rv)};
    r.src = src_open_data(p, decl->c, decl->c->str);
    if (!r.src)
        return -1;
    int rc = read_header(&r) ? 1 : -1;
    while (rc == 1 && (rc = src_next(r.src, &r.row)) == 1)
        if (!src_blank(&r.row))
            read_row(&r, out);
    if (rc < 0 && src_error(r.src, NULL, NULL)) {
        long line, col;
        const char *msg = src_error(r.src, &line, &col);
        diag_error(p->diags, decl->c->loc, "%s:%ld:%ld: %s", decl->c->str, line, col, msg);
        p->data_error = true;
    }
    src_close(r.src);
    return rc < 0 ? -1 : r.bad;
}

const Note *note_find(const NoteTable *t, const Member *m, const Member *period, const Node *metric)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].member == m && t->v[i].period == period && t->v[i].week < 0 &&
            t->v[i].metric == metric)
            return &t->v[i];
    return NULL;
}

const Note *note_find_week(const NoteTable *t, const Member *m, int week, const Node *metric)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].member == m && t->v[i].week == week && t->v[i].metric == metric)
            return &t->v[i];
    return NULL;
}

const Node *note_item(const Node *rv)
{
    for (const Node *it = rv->a; it; it = it->next)
        if (it->kind == N_NOTES)
            return it;
    return NULL;
}

void note_free(NoteTable *t)
{
    free(t->v);
    arena_free(&t->arena);
    memset(t, 0, sizeof *t);
}
