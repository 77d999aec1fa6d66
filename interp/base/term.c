/* term.c -- the colour rule and the display width of text (term.h).  It
 * reads the environment and asks whether a descriptor is a terminal; it
 * never writes anything. */
#include "base/term.h"

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
