/* formats.c -- the format table (RENDER_FORMATS in render_int.h): looking
 * a format up by name, and its names and help for usage texts, messages
 * and completion.  The only place that lists the formats. */
#include "render/render_int.h"

#include <string.h>

#define RENDER_FORMAT_ENTRY(name, help, binary, view) {#name, help, binary, view, emit_##name},
static const RenderFormat formats[] = {RENDER_FORMATS(RENDER_FORMAT_ENTRY)};
#define NFORMATS (sizeof formats / sizeof formats[0])

const RenderFormat *render_format(const char *name)
{
    for (size_t i = 0; name && i < NFORMATS; i++)
        if (strcmp(formats[i].name, name) == 0)
            return &formats[i];
    return NULL;
}

const RenderFormat *render_format_default(void)
{
    return &formats[0];
}

const RenderFormat *render_format_at(size_t i)
{
    return i < NFORMATS ? &formats[i] : NULL;
}

void render_format_names(Buf *out, const char *sep, const char *last_sep)
{
    for (size_t i = 0; i < NFORMATS; i++) {
        if (i > 0)
            buf_puts(out, i + 1 == NFORMATS ? last_sep : sep);
        buf_puts(out, formats[i].name);
    }
}

/* The column where out's last line ends (usage texts are ASCII). */
static int column(const Buf *out)
{
    size_t i = out->len;
    while (i > 0 && out->data[i - 1] != '\n')
        i--;
    return (int)(out->len - i);
}

/* Appends one word of a wrapped list: on this line when it fits in 84
 * columns, else on the next, under column indent. */
static void put_word(Buf *out, const char *word, size_t n, int indent, bool first)
{
    if (!first && column(out) + 1 + (int)n > 84) {
        buf_putc(out, '\n');
        for (int i = 0; i < indent; i++)
            buf_putc(out, ' ');
    } else if (!first) {
        buf_putc(out, ' ');
    }
    buf_put(out, word, n);
}

/* "table (aligned, ...), csv (base units), json, or md (...)", wrapped. */
static void put_formats_help(Buf *out)
{
    Buf text = {0};
    for (size_t i = 0; i < NFORMATS; i++) {
        buf_puts(&text, i == 0 ? "" : i + 1 == NFORMATS ? ", or " : ", ");
        buf_puts(&text, formats[i].name);
        if (formats[i].help)
            buf_printf(&text, " (%s)", formats[i].help);
    }
    int indent = column(out);
    const char *p = buf_cstr(&text);
    for (bool first = true; *p; first = false) {
        size_t n = strcspn(p, " ");
        put_word(out, p, n, indent, first);
        p += n + (p[n] == ' ');
    }
    buf_free(&text);
}

/* The names of the formats that are text (not binary), joined by '|'. */
static void put_text_formats(Buf *out)
{
    for (size_t i = 0, n = 0; i < NFORMATS; i++)
        if (!formats[i].binary) {
            buf_puts(out, n++ ? "|" : "");
            buf_puts(out, formats[i].name);
        }
}

void render_usage(Buf *out, const char *text)
{
    static const char names[] = "{formats}", help[] = "{formats-help}", texts[] = "{text-formats}";
    while (*text) {
        if (strncmp(text, names, sizeof names - 1) == 0) {
            render_format_names(out, "|", "|");
            text += sizeof names - 1;
        } else if (strncmp(text, texts, sizeof texts - 1) == 0) {
            put_text_formats(out);
            text += sizeof texts - 1;
        } else if (strncmp(text, help, sizeof help - 1) == 0) {
            put_formats_help(out);
            text += sizeof help - 1;
        } else {
            buf_putc(out, *text++);
        }
    }
}
