/* docs.c -- the open documents: their texts as the editor sent them (whole
 * or by ranges), positions between LSP's UTF-16 units and our lines and
 * code points, and file: URIs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lsp/lsp_int.h"

LsDoc *ls_doc_find(LsServer *sv, const char *uri)
{
    for (LsDoc *d = sv->docs; d && uri; d = d->next)
        if (strcmp(d->uri, uri) == 0)
            return d;
    return NULL;
}

/* The directory and file name of a path (malloc'd). */
static void split_path(LsDoc *d)
{
    const char *slash = d->path ? strrchr(d->path, '/') : NULL;
    if (!d->path) {
        d->name = xstrdup(d->uri);
        return;
    }
    d->dir =
        slash ? xstrndup(d->path, slash == d->path ? 1 : (size_t)(slash - d->path)) : xstrdup(".");
    d->name = xstrdup(d->path);
}

LsDoc *ls_doc_open(LsServer *sv, const char *uri, const char *text, int version)
{
    LsDoc *d = ls_doc_find(sv, uri);
    if (!d) {
        d = xcalloc(1, sizeof *d);
        d->uri = xstrdup(uri);
        d->path = ls_path_of(uri);
        split_path(d);
        d->next = sv->docs;
        sv->docs = d;
    }
    d->text.len = 0;
    buf_puts(&d->text, text);
    d->version = version;
    d->dirty = true;
    return d;
}

static void free_fixes(LsDoc *d)
{
    for (size_t i = 0; i < d->nfixes; i++) {
        json_decref(d->fixes[i].diag);
        free(d->fixes[i].word);
        free(d->fixes[i].suggestion);
    }
    free(d->fixes);
    d->fixes = NULL;
    d->nfixes = 0;
}

void ls_doc_free(LsDoc *d)
{
    if (d->good != d->cur)
        ls_run_free(d->good);
    ls_run_free(d->cur);
    free_fixes(d);
    buf_free(&d->text);
    free(d->uri);
    free(d->path);
    free(d->dir);
    free(d->name);
    free(d);
}

void ls_doc_close(LsServer *sv, LsDoc *d)
{
    for (LsDoc **p = &sv->docs; *p; p = &(*p)->next)
        if (*p == d) {
            *p = d->next;
            break;
        }
    ls_doc_free(d);
}

/* The number of bytes of the UTF-8 sequence at s (1 for a bad byte). */
static size_t seq(const char *s, size_t n)
{
    size_t k = utf8_seq_len((const unsigned char *)s, n);
    return k ? k : 1;
}

int ls_utf16(const char *s, size_t n, int ncp)
{
    int units = 0;
    for (size_t i = 0; i < n && ncp > 0; ncp--) {
        size_t k = seq(s + i, n - i);
        units += k == 4 ? 2 : 1;
        i += k;
    }
    return units + (ncp > 0 ? ncp : 0);
}

int ls_codepoints(const char *s, size_t n, int ch)
{
    int cp = 0;
    for (size_t i = 0; i < n && ch > 0; cp++) {
        size_t k = seq(s + i, n - i);
        ch -= k == 4 ? 2 : 1;
        i += k;
    }
    return cp;
}

size_t ls_offset(const char *text, size_t len, int line, int ch)
{
    size_t i = 0;
    for (int l = 0; l < line && i < len; i++)
        if (text[i] == '\n')
            l++;
    if (line < 0)
        return 0;
    while (i < len && ch > 0 && text[i] != '\n' && text[i] != '\r') {
        size_t k = seq(text + i, len - i);
        ch -= k == 4 ? 2 : 1;
        i += k;
    }
    return i;
}

bool ls_doc_change(LsDoc *d, json_t *change)
{
    const char *text = json_string_value(json_object_get(change, "text"));
    json_t *range = json_object_get(change, "range");
    if (!text)
        return false;
    if (!range) {
        d->text.len = 0;
        buf_puts(&d->text, text);
        return true;
    }
    int l0, c0, l1, c1;
    if (json_unpack(range, "{s:{s:i,s:i},s:{s:i,s:i}}", "start", "line", &l0, "character", &c0,
                    "end", "line", &l1, "character", &c1) != 0)
        return false;
    const char *t = buf_cstr(&d->text);
    size_t a = ls_offset(t, d->text.len, l0, c0), b = ls_offset(t, d->text.len, l1, c1);
    if (b < a)
        b = a;
    Buf nb = {0};
    buf_put(&nb, t, a);
    buf_puts(&nb, text);
    buf_put(&nb, t + b, d->text.len - b);
    buf_free(&d->text);
    d->text = nb;
    return true;
}

json_t *ls_range_raw(int line, int col, int end_line, int end_col)
{
    return json_pack("{s:{s:i,s:i},s:{s:i,s:i}}", "start", "line", line, "character", col, "end",
                     "line", end_line, "character", end_col);
}

json_t *ls_pos(const Loc *l, bool end)
{
    int line = end ? l->end_line : l->line, col = end ? l->end_col : l->col - 1;
    size_t n = 0;
    const char *s = l->src && line >= l->src->first_line ? source_line(l->src, line, &n) : NULL;
    int ch = s ? source_utf16(l->src, line, col) : 0;
    return json_pack("{s:i,s:i}", "line", line > 0 ? line - 1 : 0, "character", ch);
}

json_t *ls_range(const Loc *l)
{
    Loc e = *l;
    if (e.end_line < e.line || (e.end_line == e.line && e.end_col < e.col)) {
        e.end_line = e.line; /* an empty or missing end: the start */
        e.end_col = e.col - 1;
    }
    return json_pack("{s:o,s:o}", "start", ls_pos(&e, false), "end", ls_pos(&e, true));
}

static int hex(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

char *ls_path_of(const char *uri)
{
    if (strncmp(uri, "file://", 7) != 0)
        return NULL;
    const char *s = uri + 7;
    if (*s != '/')
        s = strchr(s, '/'); /* file://host/path */
    if (!s)
        return NULL;
    Buf b = {0};
    for (; *s; s++) {
        int h, l;
        if (*s == '%' && (h = hex(s[1])) >= 0 && (l = hex(s[2])) >= 0) {
            buf_putc(&b, (char)(h * 16 + l));
            s += 2;
        } else {
            buf_putc(&b, *s);
        }
    }
    buf_cstr(&b);
    if (memchr(b.data, 0, b.len)) { /* %00 */
        buf_free(&b);
        return NULL;
    }
    return b.data;
}

char *ls_uri_of(const char *path)
{
    Buf b = {0};
    buf_puts(&b, "file://");
    for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
            strchr("/-._~", *s))
            buf_putc(&b, (char)*s);
        else
            buf_printf(&b, "%%%02X", *s);
    }
    buf_cstr(&b);
    return b.data;
}
