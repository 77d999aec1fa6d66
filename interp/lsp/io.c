/* io.c -- the framed transport: headers with Content-Length, bodies of
 * JSON, answers written whole.  Framing errors are reported to the caller
 * (who answers them) and never end the loop; the end of input does. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lsp/lsp_int.h"

/* Refills the buffer: false at the end of input. */
static bool fill(LsIn *in)
{
    if (in->eof)
        return false;
    if (in->fd < 0) {
        size_t n = in->memlen < sizeof in->buf ? in->memlen : sizeof in->buf;
        memcpy(in->buf, in->mem, n);
        in->mem += n;
        in->memlen -= n;
        in->len = n;
    } else {
        ssize_t n;
        do
            n = read(in->fd, in->buf, sizeof in->buf);
        while (n < 0 && errno == EINTR);
        in->len = n > 0 ? (size_t)n : 0;
    }
    in->pos = 0;
    in->eof = in->len == 0;
    return !in->eof;
}

static int next_byte(LsIn *in)
{
    if (in->pos == in->len && !fill(in))
        return -1;
    return in->buf[in->pos++];
}

bool ls_pending(LsIn *in)
{
    if (in->pos < in->len)
        return true;
    if (in->fd < 0)
        return in->memlen > 0;
    struct pollfd p = {in->fd, POLLIN, 0};
    return !in->eof && poll(&p, 1, 0) > 0;
}

bool ls_wait(LsIn *in, int ms)
{
    if (in->pos < in->len)
        return true;
    if (in->fd < 0)
        return in->memlen > 0;
    struct pollfd p = {in->fd, POLLIN, 0};
    return !in->eof && poll(&p, 1, ms) != 0;
}

/* One header line without its CR LF, at most cap - 1 bytes (the rest is
 * dropped): its length, or -1 at the end of input. */
static long header_line(LsIn *in, char *line, size_t cap)
{
    size_t n = 0;
    int c;
    while ((c = next_byte(in)) >= 0 && c != '\n')
        if (n + 1 < cap)
            line[n++] = (char)c;
    if (c < 0 && n == 0)
        return -1;
    if (n && line[n - 1] == '\r')
        n--;
    line[n] = 0;
    return (long)n;
}

/* The Content-Length of a header line, -2 when it is not that header, -1
 * when its value is not a number. */
static long long content_length(const char *line)
{
    static const char key[] = "content-length:";
    if (strncasecmp(line, key, sizeof key - 1) != 0)
        return -2;
    const char *v = line + sizeof key - 1;
    while (*v == ' ' || *v == '\t')
        v++;
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    while (*end == ' ' || *end == '\t')
        end++;
    return v[0] >= '0' && v[0] <= '9' && !*end && errno == 0 ? n : -1;
}

/* Reads the headers up to the empty line: the length, -1 without a valid
 * Content-Length, -3 at the end of input. */
static long long read_headers(LsIn *in)
{
    char line[1024];
    long long length = -1;
    bool any = false;
    for (;;) {
        long n = header_line(in, line, sizeof line);
        if (n < 0)
            return -3;
        if (n == 0 && any)
            return length;
        if (n == 0)
            continue; /* blank lines between messages */
        any = true;
        long long v = content_length(line);
        if (v != -2)
            length = v;
    }
}

/* Reads n bytes; false at the end of input. */
static bool read_body(LsIn *in, char *out, size_t n)
{
    size_t got = 0;
    while (got < n) {
        if (in->pos == in->len && !fill(in))
            return false;
        size_t k = in->len - in->pos < n - got ? in->len - in->pos : n - got;
        memcpy(out + got, in->buf + in->pos, k);
        in->pos += k;
        got += k;
    }
    return true;
}

/* Skips n bytes of input; false at the end of input. */
static bool skip(LsIn *in, unsigned long long n)
{
    while (n) {
        if (in->pos == in->len && !fill(in))
            return false;
        size_t k = in->len - in->pos < n ? in->len - in->pos : (size_t)n;
        in->pos += k;
        n -= k;
    }
    return true;
}

int ls_read_message(LsIn *in, char **out, size_t *len, const char **err)
{
    if (in->skip && !skip(in, in->skip))
        return 0;
    in->skip = 0;
    long long n = read_headers(in);
    if (n == -3)
        return 0;
    if (n < 0) {
        *err = "a message header without a valid Content-Length";
        return -1;
    }
    if ((unsigned long long)n > LS_MAX_MESSAGE) {
        *err = "a message larger than the server accepts (its body is skipped)";
        in->skip = (unsigned long long)n; /* after the answer */
        return -1;
    }
    char *body = xmalloc((size_t)n + 1);
    if (!read_body(in, body, (size_t)n)) {
        free(body); /* the client left in the middle of a message */
        return 0;
    }
    body[n] = 0;
    *out = body;
    *len = (size_t)n;
    return 1;
}

/* Writes everything; false when the client is gone. */
static bool write_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        s += w;
        n -= (size_t)w;
    }
    return true;
}

void ls_send(LsServer *sv, json_t *msg)
{
    json_object_set_new(msg, "jsonrpc", json_string("2.0"));
    char *body = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);
    if (!body)
        return;
    if (sv->out_fd >= 0) {
        Buf b = {0};
        buf_printf(&b, "Content-Length: %zu\r\n\r\n", strlen(body));
        buf_puts(&b, body);
        if (!write_all(sv->out_fd, b.data, b.len))
            sv->out_fd = -1; /* nobody reads: answers are dropped until input ends */
        buf_free(&b);
    }
    free(body);
}

void ls_reply(LsServer *sv, json_t *id, json_t *result)
{
    json_t *m = json_object();
    json_object_set(m, "id", id ? id : json_null());
    json_object_set_new(m, "result", result ? result : json_null());
    ls_send(sv, m);
}

void ls_reply_error(LsServer *sv, json_t *id, int code, const char *msg)
{
    json_t *m = json_object();
    json_object_set(m, "id", id ? id : json_null());
    json_object_set_new(m, "error", json_pack("{s:i,s:s}", "code", code, "message", msg));
    ls_send(sv, m);
}

void ls_notify(LsServer *sv, const char *method, json_t *params)
{
    json_t *m = json_object();
    json_object_set_new(m, "method", json_string(method));
    json_object_set_new(m, "params", params);
    ls_send(sv, m);
}
