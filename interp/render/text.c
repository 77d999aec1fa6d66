/* text.c -- the text helpers every emitter shares: sanitising what people
 * read, lines without trailing spaces, CSV fields and JSON strings.  They
 * only append to the caller's Buf; they never format a number. */
#include "render/render_int.h"

#include <string.h>

#include <utf8proc.h>

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */
#define BOLD_ON "\033[1m"
#define BOLD_OFF "\033[0m"

/* Decodes the code point at s[i..n); returns its length, or 0 when the byte
 * at s[i] does not start a valid sequence. */
static size_t next_cp(const char *s, size_t i, size_t n, utf8proc_int32_t *c)
{
    utf8proc_ssize_t k =
        utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), c);
    return k > 0 ? (size_t)k : 0;
}

/* Appends code point c (k bytes at p) as a human reader should see it. */
static void put_clean_cp(Buf *b, utf8proc_int32_t c, const char *p, size_t k, bool md)
{
    if (c == '\t' || c == '\n' || c == '\r')
        buf_putc(b, ' ');
    else if (c < 0x20 || (c >= 0x7f && c < 0xa0))
        buf_putc(b, '?');
    else if (md && c < 0x80 && strchr("\\|*`<", (int)c)) {
        buf_putc(b, '\\');
        buf_putc(b, (char)c);
    } else
        buf_put(b, p, k);
}

void rd_put_clean(Buf *b, const char *s, bool md)
{
    size_t n = s ? strlen(s) : 0, i = 0;
    while (i < n) {
        utf8proc_int32_t c;
        size_t k = next_cp(s, i, n, &c);
        if (k == 0) {
            buf_puts(b, REPLACEMENT);
            i++;
            continue;
        }
        put_clean_cp(b, c, s + i, k, md);
        i += k;
    }
}

void rd_emit_line(Buf *out, Buf *line, bool bold)
{
    size_t n = line->len;
    while (n > 0 && line->data[n - 1] == ' ')
        n--;
    if (bold && n > 0)
        buf_puts(out, BOLD_ON);
    if (n > 0)
        buf_put(out, line->data, n);
    if (bold && n > 0)
        buf_puts(out, BOLD_OFF);
    buf_putc(out, '\n');
    line->len = 0;
}

void rd_put_spaces(Buf *b, int n)
{
    for (int i = 0; i < n; i++)
        buf_putc(b, ' ');
}

void rd_csv_field(Buf *out, const char *s)
{
    if (!s[strcspn(s, ",\"\r\n")]) {
        buf_puts(out, s);
        return;
    }
    buf_putc(out, '"');
    for (; *s; s++) {
        if (*s == '"')
            buf_putc(out, '"');
        buf_putc(out, *s);
    }
    buf_putc(out, '"');
}

/* The JSON escape of code point c, or NULL when it is written as is. */
static const char *json_escape(utf8proc_int32_t c)
{
    switch (c) {
    case '"':
        return "\\\"";
    case '\\':
        return "\\\\";
    case '\n':
        return "\\n";
    case '\r':
        return "\\r";
    case '\t':
        return "\\t";
    case '\b':
        return "\\b";
    case '\f':
        return "\\f";
    default:
        return NULL;
    }
}

void rd_json_str(Buf *out, const char *s)
{
    if (!s) {
        buf_puts(out, "null");
        return;
    }
    size_t n = strlen(s), i = 0;
    buf_putc(out, '"');
    while (i < n) {
        utf8proc_int32_t c;
        size_t k = next_cp(s, i, n, &c);
        const char *esc = k ? json_escape(c) : "\\ufffd";
        if (esc)
            buf_puts(out, esc);
        else if (c < 0x20)
            buf_printf(out, "\\u%04x", (unsigned)c);
        else
            buf_put(out, s + i, k);
        i += k ? k : 1;
    }
    buf_putc(out, '"');
}
