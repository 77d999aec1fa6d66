/* text.c -- the text helpers every emitter shares: sanitising what people
 * read, lines without trailing spaces, CSV fields and JSON strings.  They
 * only append to the caller's Buf; they never format a number. */
#include "render/render_int.h"

#include <string.h>

#include <utf8proc.h>

#include "base/term.h"

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
    char tmp[12];
    const char *esc = term_escape_cp(c, TERM_KEEP_INVISIBLE, tmp);
    if (c == '\t' || c == '\n' || c == '\r')
        buf_putc(b, ' ');
    else if (esc)
        buf_puts(b, esc);
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
            buf_printf(b, "\\x%02x", (unsigned char)s[i]);
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

/* Whether s is a number as CSV writes one: an optional sign, digits with
 * an optional fraction, an optional '%' ("-700000.00", "+12.50%"). */
static bool csv_number(const char *s)
{
    s += *s == '-' || *s == '+';
    size_t d = strspn(s, "0123456789");
    if (d == 0)
        return false;
    s += d;
    if (*s == '.') {
        size_t f = strspn(s + 1, "0123456789");
        if (f == 0)
            return false;
        s += 1 + f;
    }
    s += *s == '%';
    return *s == '\0';
}

/* Whether a spreadsheet would read s as a formula (OWASP's list of first
 * characters) and s is not a number. */
static bool csv_formula(const char *s)
{
    return s[0] && strchr("=+-@\t\r", s[0]) && !csv_number(s);
}

/* Appends s, quoted when it holds a comma, quote, CR or LF (RFC 4180). */
static void csv_quoted(Buf *out, const char *s, size_t n)
{
    size_t plain = 0;
    while (plain < n && !strchr(",\"\r\n", s[plain]))
        plain++;
    if (plain == n) {
        buf_put(out, s, n);
        return;
    }
    buf_putc(out, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            buf_putc(out, '"');
        buf_putc(out, s[i]);
    }
    buf_putc(out, '"');
}

/* Whether s (n bytes) is printable ASCII without a comma or quote: written
 * as it is (the common case, every number included), in one pass. */
static bool csv_plain(const char *s, size_t *n)
{
    size_t i = 0;
    for (unsigned char c; (c = (unsigned char)s[i]); i++)
        if (c < 0x20 || c >= 0x7f || c == ',' || c == '"') {
            *n = i + strlen(s + i);
            return false;
        }
    *n = i;
    return true;
}

void rd_csv_field(Buf *out, const char *s, bool raw)
{
    size_t n;
    bool plain = csv_plain(s, &n);
    bool formula = !raw && csv_formula(s);
    if (plain && !formula) {
        buf_put(out, s, n);
        return;
    }
    if (raw || (!formula && !term_needs_escape(s, n, TERM_KEEP_INVISIBLE))) {
        csv_quoted(out, s, n);
        return;
    }
    Buf safe = {0};
    if (formula)
        buf_putc(&safe, '\'');
    term_escape(&safe, s, n, TERM_KEEP_INVISIBLE);
    csv_quoted(out, buf_cstr(&safe), safe.len);
    buf_free(&safe);
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
        char tmp[12];
        if (esc)
            buf_puts(out, esc);
        else if (c < 0x20 || term_escape_cp(c, TERM_KEEP_INVISIBLE, tmp))
            buf_printf(out, "\\u%04x", (unsigned)c); /* controls, bidi: BMP */
        else
            buf_put(out, s + i, k);
        i += k ? k : 1;
    }
    buf_putc(out, '"');
}
