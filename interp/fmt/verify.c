/* verify.c -- the formatter checks its own output before anyone sees
 * it: parsed again, it must give the same syntax tree (ast_dump without
 * positions) and the same comments.  A difference is an internal error at
 * the first node that differs; no text is given back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt/fmt_int.h"

/* One line of an ast_dump, "  KIND LINE:COL rest", without " LINE:COL". */
static void put_without_position(Buf *b, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && s[i] == ' ')
        i++;
    while (i < len && s[i] != ' ')
        i++;
    size_t j = i + 1;
    while (j < len && s[j] >= '0' && s[j] <= '9')
        j++;
    size_t k = j < len && s[j] == ':' ? j + 1 : 0;
    while (k && k < len && s[k] >= '0' && s[k] <= '9')
        k++;
    if (k > j + 1 && (k == len || s[k] == ' ') && j > i + 1) {
        buf_put(b, s, i);
        buf_put(b, s + k, len - k);
    } else {
        buf_put(b, s, len);
    }
    buf_putc(b, '\n');
}

/* ast_dump of items, and the same with the positions left out. */
void fmt_dump_tree(const Node *items, char **with, char **without)
{
    size_t n;
    FILE *m = open_memstream(with, &n);
    if (!m) {
        fputs("salesplan: out of memory\n", stderr);
        exit(2);
    }
    ast_dump(m, items, 0);
    fclose(m);
    Buf b = {0};
    for (const char *s = *with; *s;) {
        const char *eol = strchr(s, '\n');
        size_t len = eol ? (size_t)(eol - s) : strlen(s);
        put_without_position(&b, s, len);
        s += len + (eol ? 1 : 0);
    }
    *without = b.data ? b.data : xstrdup("");
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The comments of a layout, sorted, as one string. */
static char *comment_set(const Source *src, const Layout *lay)
{
    const char **v = xcalloc(lay->ncomments + 1, sizeof *v);
    for (size_t i = 0; i < lay->ncomments; i++) {
        const LexComment *c = &lay->comments[i];
        size_t n = c->at.len;
        while (n > 1 &&
               (src->text[c->at.off + n - 1] == ' ' || src->text[c->at.off + n - 1] == '\t' ||
                src->text[c->at.off + n - 1] == '\r'))
            n--;
        v[i] = xstrndup(src->text + c->at.off, n);
    }
    qsort(v, lay->ncomments, sizeof *v, cmp_str);
    Buf b = {0};
    for (size_t i = 0; i < lay->ncomments; i++) {
        buf_puts(&b, v[i]);
        buf_putc(&b, '\n');
        free((void *)v[i]);
    }
    free(v);
    return b.data ? b.data : xstrdup("");
}

/* Line and column of the first line where two dumps differ, from the
 * original's positions. */
static Loc first_difference(Source *src, const char *with, const char *a, const char *b)
{
    int line = 0;
    while (*a && *a == *b) {
        if (*a == '\n')
            line++;
        a++;
        b++;
    }
    Loc loc = {src, 1, 1, 1, 1};
    for (const char *s = with; *s && line > 0; s++)
        if (*s == '\n' && --line == 0)
            with = s + 1;
    const char *p = with;
    while (*p == ' ')
        p++;
    while (*p && *p != ' ' && *p != '\n')
        p++;
    int l, c;
    if (sscanf(p, " %d:%d", &l, &c) == 2 && l > 0 && c > 0)
        loc = (Loc){src, l, c, l, c};
    return loc;
}

/* The output parsed again (items2, comments in l2) against the plan: the
 * same tree without positions and the same comments. */
static FmtResult compare_parses(Fmt *f, const Node *items, Source *s2, const Layout *l2,
                                const Node *items2, Diags *d)
{
    char *w1, *n1, *w2, *n2;
    fmt_dump_tree(items, &w1, &n1);
    fmt_dump_tree(items2, &w2, &n2);
    char *c1 = comment_set(f->src, &f->lay), *c2 = comment_set(s2, l2);
    FmtResult r = FMT_DONE;
    if (strcmp(n1, n2) != 0) {
        diag_error(d, first_difference(f->src, w1, n1, n2),
                   "internal error: formatting would change the plan here");
        r = FMT_INTERNAL_ERROR;
    } else if (strcmp(c1, c2) != 0) {
        diag_error(d, (Loc){f->src, 1, 1, 1, 1},
                   "internal error: formatting would lose or change a comment");
        r = FMT_INTERNAL_ERROR;
    }
    free(w1), free(n1), free(w2), free(n2), free(c1), free(c2);
    return r;
}

FmtResult fmt_verify(Fmt *f, const Node *items, const Buf *out, Diags *d)
{
    Diags d2 = {0};
    Arena a2 = {0};
    Layout l2 = {0};
    Source *s2 = source_new(f->src->name, NULL, out->data ? out->data : "", out->len, 0);
    int nerr = 0;
    Node *items2 = ast_parse_layout(s2, &a2, &d2, &nerr, &l2);
    FmtResult r;
    if (nerr || d2.nerrors) {
        diag_error(d, (Loc){f->src, 1, 1, 1, 1},
                   "internal error: the formatted plan does not parse (line %d of it: %s)",
                   d2.n ? d2.v[0].loc.line : 0, d2.n ? d2.v[0].msg : "?");
        r = FMT_INTERNAL_ERROR;
    } else {
        r = compare_parses(f, items, s2, &l2, items2, d);
    }
    if (r != FMT_DONE)
        diag_note_plain(d, "nothing was written; please report this, with the plan, as a bug");
    ast_layout_free(&l2);
    arena_free(&a2);
    diag_free(&d2);
    source_free(s2);
    return r;
}
