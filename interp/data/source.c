/* source.c -- the row-source interface (source.h): the table of kinds, the
 * calls every reader makes, and the default way of showing a row (as a CSV
 * line would have it).  It must not know any kind's insides: what a kind
 * does is in its own file (source_csv.c), reached through its SrcOps.
 */
#include "data/source.h"

#include <stdlib.h>
#include <string.h>

#include "data/cells.h"

/* ---- the kinds ---- */

typedef struct {
    const char *scheme; /* NULL: file paths */
    RowSource *(*open)(const char *where, const char *table, const char *order, const char *name,
                       char **err);
} SrcKind;

static const SrcKind kinds[] = {
#define SRC_KIND(scheme, open) {scheme, open},
#include "data/source_kinds.h"
#undef SRC_KIND
};

#define NKINDS (sizeof kinds / sizeof kinds[0])

/* The kind whose scheme starts where, or NULL. */
static const SrcKind *kind_with_scheme(const char *where)
{
    for (size_t i = 0; i < NKINDS; i++)
        if (kinds[i].scheme && strncmp(where, kinds[i].scheme, strlen(kinds[i].scheme)) == 0)
            return &kinds[i];
    return NULL;
}

/* The kind that opens where: by its scheme, else the kind of file paths. */
static const SrcKind *kind_of(const char *where)
{
    const SrcKind *k = kind_with_scheme(where);
    for (size_t i = 0; !k && i < NKINDS; i++)
        if (!kinds[i].scheme)
            k = &kinds[i];
    return k;
}

RowSource *src_open(const char *where, const char *name, char **err)
{
    if (err)
        *err = NULL;
    return kind_of(where)->open(where, NULL, NULL, name, err);
}

RowSource *src_open_table(const char *where, const char *table, const char *order, const char *name,
                          char **err)
{
    if (err)
        *err = NULL;
    const SrcKind *k = kind_with_scheme(where);
    if (!k) {
        if (err)
            *err = xstrdup("not a database: the URI must start with postgresql://, postgres:// "
                           "or sqlite:");
        return NULL;
    }
    return k->open(where, table, order, name, err);
}

bool src_is_file(const char *where)
{
    return kind_with_scheme(where) == NULL;
}

const char *src_source_uri(const Program *p, const char *name)
{
    size_t n = strlen(name);
    const char *uri = NULL;
    for (int i = 0; i < p->nsources; i++) /* the last --source NAME=URI counts */
        if (strncmp(p->sources[i], name, n) == 0 && p->sources[i][n] == '=')
            uri = p->sources[i] + n + 1;
    if (uri)
        return uri;
    Buf var = {0};
    src_source_var(name, &var);
    uri = getenv(buf_cstr(&var));
    buf_free(&var);
    return uri && *uri ? uri : NULL;
}

void src_source_var(const char *name, Buf *out)
{
    buf_puts(out, "SALESPLAN_SOURCE_");
    for (const char *c = name; *c; c++) {
        char ch = *c;
        bool alnum =
            (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        buf_putc(out, !alnum ? '_' : ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch);
    }
}

/* The source table of an N_SOURCE node, reported at the node on failure. */
static RowSource *open_source_node(Program *p, const Node *n, const char *order)
{
    const char *uri = src_source_uri(p, n->name);
    if (!uri) {
        Buf var = {0};
        src_source_var(n->name, &var);
        diag_error(p->diags, n->name_loc, "source '%s' is not given", n->name);
        diag_note_plain(p->diags,
                        "give it on the command line: --source %s=postgresql://... (or "
                        "sqlite:FILE), or set %s",
                        n->name, buf_cstr(&var));
        buf_free(&var);
        p->data_error = true;
        return NULL;
    }
    char *err = NULL;
    RowSource *s = src_open_table(uri, n->a->str, order, n->str, &err);
    if (!s) {
        diag_error(p->diags, n->loc, "%s: %s", n->str, err ? err : "cannot open the source");
        p->data_error = true;
    }
    free(err);
    return s;
}

RowSource *src_open_decl(Program *p, const Node *path_node, const char *order)
{
    if (path_node->kind == N_SOURCE)
        return open_source_node(p, path_node, order);
    return src_open_data(p, path_node, path_node->str);
}

RowSource *src_open_data(Program *p, const Node *path_node, const char *name)
{
    if (path_node->kind == N_SOURCE)
        return open_source_node(p, path_node, NULL);
    if (kind_with_scheme(path_node->str)) {
        diag_error(p->diags, path_node->loc, "a plan cannot name a database ('%.*s...')",
                   (int)(strchr(path_node->str, ':') - path_node->str), path_node->str);
        diag_note_plain(p->diags, "declare a source, `from source \"crm\" table \"sales\"`, and "
                                  "give it on the command line: --source crm=URI");
        p->data_error = true;
        return NULL;
    }
    char *path = NULL;
    int fd = prog_open_data(p, path_node, &path);
    RowSource *s = fd >= 0 ? src_file_open_fd(fd, path, name) : NULL;
    free(path);
    return s;
}

/* ---- the common part ---- */

void src_init(RowSource *s, const SrcOps *ops, const char *name)
{
    s->ops = ops;
    s->name = xstrdup(name ? name : "");
}

void src_fini(RowSource *s)
{
    free(s->name);
    s->name = NULL;
}

void src_close(RowSource *s)
{
    if (s)
        s->ops->close(s);
}

/* ---- reading ---- */

int src_header(RowSource *s, SrcRow *hdr)
{
    return s->ops->next(s, hdr);
}

const char *src_error(const RowSource *s, long *line, long *col)
{
    return s->ops->error(s, line, col);
}

void src_line_text(RowSource *s, long line, size_t max, Buf *out)
{
    out->len = 0;
    if (s->ops->line_text)
        s->ops->line_text(s, line, max, out);
}

int src_parallel(const RowSource *s)
{
    return s->ops->parallel ? s->ops->parallel(s) : 1;
}

int src_request(RowSource *s, const SrcRequest *rq)
{
    return s->ops->request ? s->ops->request(s, rq) : 0;
}

bool src_is_table(const RowSource *s)
{
    return s->ops->request != NULL;
}

int src_split(RowSource *s, int n, RowSource **parts)
{
    return s->ops->split && n >= 1 ? s->ops->split(s, n, parts) : -1;
}

bool src_part_lines(const RowSource *s, long *first, long *after)
{
    *first = *after = 0;
    return s->ops->part_lines && s->ops->part_lines(s, first, after);
}

RowSource *src_rest(RowSource *part, long line)
{
    return part->ops->rest ? part->ops->rest(part, line) : NULL;
}

/* ---- signatures ---- */

void src_signature(const RowSource *s, Buf *out)
{
    if (s->ops->signature)
        s->ops->signature(s, out);
    else
        buf_printf(out, "[%s]", s->name);
}

void src_signature_at(const char *where, Buf *out)
{
    RowSource *s = src_open(where, where, NULL);
    if (!s) {
        buf_puts(out, "[?]");
        return;
    }
    src_signature(s, out);
    src_close(s);
}

void src_signature_of(const Program *p, const Node *pn, Buf *out)
{
    if (pn && pn->kind == N_SOURCE) {
        const char *uri = src_source_uri(p, pn->name);
        RowSource *s = uri ? src_open_table(uri, pn->a->str, NULL, pn->str, NULL) : NULL;
        if (s)
            src_signature(s, out);
        else
            buf_puts(out, "[?]");
        src_close(s);
        return;
    }
    if (!pn || pn->kind != N_STR)
        return;
    if (kind_with_scheme(pn->str)) {
        buf_puts(out, "[?]");
        return;
    }
    if (!pn->loc.src || !pn->loc.src->dir)
        return;
    Buf path = {0};
    buf_printf(&path, "%s/%s", pn->loc.src->dir, pn->str);
    src_signature_at(buf_cstr(&path), out);
    buf_free(&path);
}

/* ---- where a row is ---- */

void src_locate(RowSource *s, const SrcRow *row, long fi, size_t max, SrcPos *at, Buf *text)
{
    if (s->ops->locate)
        s->ops->locate(s, row, fi, max, at, text);
    else
        src_locate_as_csv(row, fi, max, at, text);
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

/* Appends s[0..n) to b (NULL: nothing) while b holds less than max bytes. */
static void put_bounded(Buf *b, size_t max, const char *s, size_t n)
{
    if (!b)
        return;
    size_t room = b->len < max ? max - b->len : 0;
    buf_put(b, s, n < room ? n : room);
}

/* Appends field s[0..n) as it was most likely written (quoted only when it
 * must be) and moves p over it. */
static void put_field(Buf *b, size_t max, Pos *p, const char *s, size_t n)
{
    bool q = memchr(s, ',', n) || memchr(s, '"', n) || memchr(s, '\n', n) || memchr(s, '\r', n);
    if (q) {
        put_bounded(b, max, "\"", 1);
        p->col++;
    }
    const char *e = s + n;
    while (s < e) {
        const char *qt = memchr(s, '"', (size_t)(e - s));
        size_t k = qt ? (size_t)(qt - s) : (size_t)(e - s);
        put_bounded(b, max, s, k);
        advance(p, s, k);
        s += k;
        if (qt) {
            put_bounded(b, max, "\"\"", 2);
            p->col += 2;
            s++;
        }
    }
    if (q) {
        put_bounded(b, max, "\"", 1);
        p->col++;
    }
}

void src_locate_as_csv(const SrcRow *row, long fi, size_t max, SrcPos *at, Buf *text)
{
    if (text)
        text->len = 0;
    Pos p = {row->line, 1}, here = p;
    size_t here_off = 0;
    long end_col = 1;
    for (size_t i = 0; i < row->nfields; i++) {
        if (i) {
            put_bounded(text, max, ",", 1);
            p.col++;
        }
        if ((long)i == fi) {
            here = p;
            here_off = text ? text->len : 0;
        }
        put_field(text, max, &p, row->fields[i], row->lens[i]);
        if ((long)i == fi)
            end_col = p.line == here.line ? p.col - 1 : here.col;
        if ((long)i >= fi && (!text || text->len >= max))
            break;
    }
    if (text && here_off + 256 > max) /* the field would not be in sight */
        text->len = 0;
    if (text && text->len > max)
        text->len = (size_t)cval_clip(text->data, text->len, max);
    *at = (SrcPos){here.line, here.col, end_col > here.col ? end_col : here.col};
}
