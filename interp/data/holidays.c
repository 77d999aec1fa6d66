/* holidays.c -- the holiday file onto the week calendar (holidays.h). */
#include "data/holidays.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "data/source.h"

typedef struct {
    Program *p;
    const Node *at;
    RowSource *src;
    SrcRow row;
    int date_col, work_col;
    size_t ncols;
} HolReader;

static void hol_error(HolReader *h, long col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void hol_error(HolReader *h, long col, const char *fmt, ...)
{
    SrcPos pos = {h->row.line, 1, 1};
    if (col >= 0)
        src_locate(h->src, &h->row, col, 0, &pos, NULL);
    Buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    diag_error(h->p->diags, h->at->loc, "%s:%ld:%ld: %s", h->at->str, pos.line, pos.col,
               buf_cstr(&b));
    buf_free(&b);
    h->p->data_error = true;
}

static void read_error(HolReader *h)
{
    long line, col;
    const char *msg = src_error(h->src, &line, &col);
    diag_error(h->p->diags, h->at->loc, "%s:%ld:%ld: %s", h->at->str, line, col, msg);
    h->p->data_error = true;
}

static int header(HolReader *h)
{
    SrcRow hdr;
    int rc = src_header(h->src, &hdr);
    if (rc < 0)
        read_error(h);
    if (rc <= 0)
        return rc;
    h->ncols = hdr.nfields;
    h->date_col = h->work_col = -1;
    for (size_t i = 0; i < hdr.nfields; i++) {
        if (strcmp(hdr.fields[i], "date") == 0)
            h->date_col = (int)i;
        if (strcmp(hdr.fields[i], "workday") == 0)
            h->work_col = (int)i;
    }
    if (h->date_col < 0) {
        diag_error(h->p->diags, h->at->loc, "%s: no column 'date'", h->at->str);
        diag_note_plain(h->p->diags,
                        "a holiday file has the columns date (YYYY-MM-DD), name and workday");
        h->p->data_error = true;
        return -1;
    }
    return 1;
}

/* Whether the workday field says yes; -1 for a value that is neither. */
static int workday_value(const char *s)
{
    if (!*s || !strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "0"))
        return 0;
    if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "1"))
        return 1;
    return -1;
}

static int one_row(HolReader *h, WeekCal *c)
{
    const SrcRow *r = &h->row;
    if (r->nfields != h->ncols) {
        hol_error(h, -1, "%zu fields, but the header has %zu", r->nfields, h->ncols);
        return -1;
    }
    const char *ds = r->fields[h->date_col];
    int day, i;
    if (!wk_parse_date(ds, r->lens[h->date_col], &day)) {
        hol_error(h, h->date_col, "'%s' is not a date: write YYYY-MM-DD, e.g. 2027-10-01", ds);
        return -1;
    }
    if ((i = wk_index_of(c, day)) < 0) {
        char a[16], b[16];
        hol_error(h, h->date_col, "%s is outside the fiscal year (%s .. %s)", ds,
                  wk_date_label(c->first_day, a), wk_date_label(c->first_day + c->ndays - 1, b));
        return -1;
    }
    if (c->marked[i]) {
        hol_error(h, h->date_col, "%s is listed twice", ds);
        return -1;
    }
    int w = h->work_col >= 0 ? workday_value(r->fields[h->work_col]) : 0;
    if (w < 0) {
        hol_error(h, h->work_col, "workday must be yes or no, not '%s'", r->fields[h->work_col]);
        return -1;
    }
    c->marked[i] = 1;
    c->work[i] = (unsigned char)w;
    return 0;
}

int hol_load(Program *p, const Node *path_node, WeekCal *c)
{
    HolReader h = {.p = p, .at = path_node};
    h.src = src_open_data(p, path_node, path_node->str);
    if (!h.src)
        return -1;
    int rc = header(&h), bad = 0;
    if (rc < 0) {
        src_close(h.src);
        return -1;
    }
    while (rc == 1 && (rc = src_next(h.src, &h.row)) == 1)
        if (!src_blank(&h.row) && one_row(&h, c) < 0 && ++bad >= 20)
            break;
    if (rc < 0)
        read_error(&h);
    src_close(h.src);
    return rc < 0 || bad ? -1 : 0;
}
