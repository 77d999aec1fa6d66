/* term.c -- the colour rule and the display width of text (term.h).  It
 * reads the environment and asks whether a descriptor is a terminal; it
 * never writes anything. */
#include "base/term.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <utf8proc.h>

bool term_color(int fd)
{
    return isatty(fd) && !getenv("NO_COLOR");
}

int term_text_width(const char *s)
{
    if (!s)
        return 0;
    utf8proc_ssize_t n = (utf8proc_ssize_t)strlen(s), i = 0;
    int w = 0;
    while (i < n) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, n - i, &c);
        if (k <= 0) { /* an invalid byte shows as one replacement character */
            w++;
            i++;
            continue;
        }
        w += utf8proc_charwidth(c);
        i += k;
    }
    return w;
}

/* The bidi controls: ALM, LRM, RLM, the embeddings and overrides, the
 * isolates.  They reorder what a terminal or a web page shows. */
static bool is_bidi_control(int32_t c)
{
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069);
}

/* Whether c is shown escaped: controls, bidi controls, line and paragraph
 * separators, and (unless kept) the other format characters. */
static bool escaped_cp(int32_t c, unsigned flags)
{
    if (c == '\t')
        return !(flags & TERM_KEEP_TAB);
    if (c == '\n')
        return !(flags & TERM_KEEP_NEWLINE);
    if (c < 0x20 || (c >= 0x7f && c < 0xa0))
        return true;
    if (c < 0xa0)
        return false;
    if (is_bidi_control(c) || c == 0x2028 || c == 0x2029)
        return true;
    return !(flags & TERM_KEEP_INVISIBLE) && utf8proc_category(c) == UTF8PROC_CATEGORY_CF;
}

const char *term_escape_cp(int32_t c, unsigned flags, char *buf)
{
    if (!escaped_cp(c, flags))
        return NULL;
    switch (c) {
    case 0x1b:
        return "\\e";
    case '\t':
        return "\\t";
    case '\n':
        return "\\n";
    case '\r':
        return "\\r";
    default:
        snprintf(buf, 12, c < 0x80 ? "\\x%02x" : "\\u{%x}", (unsigned)c);
        return buf;
    }
}

/* Decodes the code point at s[0..n); its length, or 0 for an invalid byte. */
static size_t next_cp(const char *s, size_t n, int32_t *c)
{
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, c);
    return k > 0 ? (size_t)k : 0;
}

bool term_needs_escape(const char *s, size_t n, unsigned flags)
{
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)s[i];
        if (b >= 0x20 && b < 0x7f) { /* printable ASCII: the common case */
            i++;
            continue;
        }
        int32_t c;
        size_t k = next_cp(s + i, n - i, &c);
        if (k == 0 || escaped_cp(c, flags))
            return true;
        i += k;
    }
    return false;
}

void term_escape(Buf *b, const char *s, size_t n, unsigned flags)
{
    size_t i = 0;
    while (i < n) {
        size_t run = i; /* a run of bytes copied as they are */
        while (run < n && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7f)
            run++;
        buf_put(b, s + i, run - i);
        if ((i = run) >= n)
            break;
        int32_t c;
        char tmp[12];
        size_t k = next_cp(s + i, n - i, &c);
        const char *esc = k ? term_escape_cp(c, flags, tmp) : NULL;
        if (k == 0)
            buf_printf(b, "\\x%02x", (unsigned char)s[i]);
        else if (esc)
            buf_puts(b, esc);
        else
            buf_put(b, s + i, k);
        i += k ? k : 1;
    }
}
