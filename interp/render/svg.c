/* svg.c -- our own small SVG writer for the html format's charts: an
 * inline <svg> with role="img" and an aria-label, rectangles (marks with a
 * <title> and the plain value in data-value), lines and texts.  Geometry
 * is in whole pixels; every text is escaped as HTML. */
#include "render/render_int.h"

#include <string.h>

#include <utf8proc.h>

/* A control character: dropped from HTML. */
static bool is_control(utf8proc_int32_t c)
{
    return (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7f && c < 0xa0);
}

static void put_cp(Buf *out, utf8proc_int32_t c, const char *p, size_t k)
{
    switch (c) {
    case '&':
        buf_puts(out, "&amp;");
        break;
    case '<':
        buf_puts(out, "&lt;");
        break;
    case '>':
        buf_puts(out, "&gt;");
        break;
    case '"':
        buf_puts(out, "&quot;");
        break;
    case '\'':
        buf_puts(out, "&#39;");
        break;
    case '\t':
    case '\n':
        buf_putc(out, ' ');
        break;
    default:
        if (!is_control(c))
            buf_put(out, p, k);
    }
}

void rd_html_text(Buf *out, const char *s)
{
    size_t n = s ? strlen(s) : 0, i = 0;
    while (i < n) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &c);
        if (k <= 0) {
            buf_puts(out, "\xef\xbf\xbd");
            i++;
            continue;
        }
        put_cp(out, c, s + i, (size_t)k);
        i += (size_t)k;
    }
}

void rd_svg_open(Buf *out, int w, int h, const char *aria)
{
    buf_printf(out,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%d\" height=\"%d\" "
               "viewBox=\"0 0 %d %d\" aria-label=\"",
               w, h, w, h);
    rd_html_text(out, aria);
    buf_puts(out, "\">\n");
}

void rd_svg_close(Buf *out)
{
    buf_puts(out, "</svg>\n");
}

void rd_svg_rect(Buf *out, int x, int y, int w, int h, const char *cls, const char *title,
                 const char *value, long row, long col)
{
    buf_printf(out, "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"", cls, x, y,
               w < 0 ? 0 : w, h < 0 ? 0 : h);
    if (row >= 0)
        buf_printf(out, " data-row=\"%ld\" data-col=\"%ld\"", row, col);
    if (value) {
        buf_puts(out, " data-value=\"");
        rd_html_text(out, value);
        buf_putc(out, '"');
    }
    buf_puts(out, "><title>");
    rd_html_text(out, title);
    buf_puts(out, "</title></rect>\n");
}

void rd_svg_line(Buf *out, int x1, int y1, int x2, int y2, const char *cls)
{
    buf_printf(out, "<line class=\"%s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", cls, x1, y1,
               x2, y2);
}

void rd_svg_text(Buf *out, int x, int y, const char *anchor, const char *cls, const char *s)
{
    buf_printf(out, "<text class=\"%s\" x=\"%d\" y=\"%d\" text-anchor=\"%s\">", cls, x, y, anchor);
    rd_html_text(out, s);
    buf_puts(out, "</text>\n");
}
