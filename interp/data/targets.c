/* targets.c -- the rows of a bottom-up targets source (targets.h): the
 * header against the plan's levels and the mapping, then each row's level
 * texts and value.  It reads through the row-source interface and reports
 * what is wrong with the source; it must not decide what a text names or
 * add anything up (alloc/ does, with its axes).
 */
#include "data/targets.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "data/mapping.h"
#include "data/source.h"

struct TgtReader {
    Program *p;
    const Node *decl; /* decl->c: the file's name in the plan */
    RowSource *src;
    const char *want; /* the value column's name */
    int value_field;
    int nlevels, max_levels;
    const Level **levels;
    int *fields;
    SrcRow row; /* the current row */
};

static void report(TgtReader *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void report(TgtReader *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(t->p->diags, DIAG_ERROR, t->decl->c->loc, fmt, ap);
    va_end(ap);
    t->p->data_error = true;
}

void tgt_row_error(TgtReader *t, const char *fmt, ...)
{
    Buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    report(t, "%s:%ld: %s", t->decl->c->str, t->row.line, buf_cstr(&b));
    buf_free(&b);
}

/* Whether a level column of dimension d was found already. */
static bool has_dim(const TgtReader *t, const Dim *d)
{
    for (int i = 0; i < t->nlevels; i++)
        if (t->levels[i]->dim == d)
            return true;
    return false;
}

/* The levels whose (mapped) name header field f is: false after reporting
 * a second column of one dimension. */
static bool level_columns(TgtReader *t, const char *field, int f)
{
    const StrMap *levels = &t->p->sym->levels;
    const Node *mapping = t->decl->d;
    for (size_t k = 0; k < levels->count; k++) {
        const Level *lv = levels->slots[k].val;
        if (strcmp(map_column_or_name(mapping, lv->name), field) != 0)
            continue;
        if (has_dim(t, lv->dim) || t->nlevels == t->max_levels) {
            report(t, "%s: two columns for dimension '%s'", t->decl->c->str, lv->dim->name);
            return false;
        }
        t->levels[t->nlevels] = lv;
        t->fields[t->nlevels++] = f;
    }
    return true;
}

/* The value and level columns of the header: false after reporting. */
static bool read_header(TgtReader *t)
{
    SrcRow hdr;
    if (src_header(t->src, &hdr) != 1) {
        report(t, "%s: no header", t->decl->c->str);
        return false;
    }
    t->levels = xcalloc(hdr.nfields + 1, sizeof *t->levels);
    t->fields = xcalloc(hdr.nfields + 1, sizeof *t->fields);
    for (size_t i = 0; i < hdr.nfields; i++) {
        if (strcmp(hdr.fields[i], t->want) == 0)
            t->value_field = (int)i;
        else if (!level_columns(t, hdr.fields[i], (int)i))
            return false;
    }
    if (t->value_field < 0 || t->nlevels == 0) {
        report(t, "%s: needs a column '%s' and columns named after levels", t->decl->c->str,
               t->want);
        return false;
    }
    return true;
}

TgtReader *tgt_open(Program *p, const Node *decl, const Node *metric, int max_levels)
{
    RowSource *src = src_open_data(p, decl->c, decl->c->str);
    if (!src)
        return NULL;
    TgtReader *t = xcalloc(1, sizeof *t);
    *t = (TgtReader){.p = p, .decl = decl, .src = src, .value_field = -1, .max_levels = max_levels};
    t->want = map_column_or_name(decl->d, metric->name);
    if (!read_header(t)) {
        tgt_close(t);
        return NULL;
    }
    return t;
}

int tgt_nlevels(const TgtReader *t)
{
    return t->nlevels;
}

const Level *tgt_level(const TgtReader *t, int i)
{
    return t->levels[i];
}

/* Field f of the current row, or "" when the row is shorter. */
static const char *field_text(const TgtReader *t, int f)
{
    return (size_t)f < t->row.nfields ? t->row.fields[f] : "";
}

int tgt_next(TgtReader *t, const char **texts)
{
    int rc;
    while ((rc = src_next(t->src, &t->row)) == 1 && src_blank(&t->row))
        ;
    if (rc < 0) {
        long line, col;
        const char *msg = src_error(t->src, &line, &col);
        report(t, "%s:%ld:%ld: %s", t->decl->c->str, line, col, msg);
    }
    for (int i = 0; rc == 1 && i < t->nlevels; i++)
        texts[i] = field_text(t, t->fields[i]);
    return rc;
}

int tgt_value(TgtReader *t, Num *out)
{
    const char *s = field_text(t, t->value_field);
    bool neg = s[0] == '-';
    if (num_parse(s + neg, strlen(s + neg), out) != NUM_OK) {
        tgt_row_error(t, "'%s' is not a number", s);
        return -1;
    }
    if (neg)
        *out = num_neg(*out);
    return 0;
}

void tgt_close(TgtReader *t)
{
    if (!t)
        return;
    src_close(t->src);
    free(t->levels);
    free(t->fields);
    free(t);
}
