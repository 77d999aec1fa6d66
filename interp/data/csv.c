/* csv.c -- streaming RFC 4180 CSV reader.
 *
 * Blocks are read with read(2) into one buffer that holds the record being
 * parsed plus at least one block; records are parsed in place (separators and
 * closing quotes become NULs, "" is collapsed once the record is complete), so
 * the steady state allocates nothing.  Special bytes are found 64 at a time
 * through a bit mask (SSE2 when available).  A reader may be limited to a
 * byte range of its input (csv_set_range), which csv_split guesses (just
 * after a line feed), so that several threads can read one file.  This
 * module must never read outside its buffer, buffer more than one record
 * plus a block, or hang.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "data/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "base/files.h"
#include "base/util.h"

#if defined(__SSE2__) && !defined(CSV_NO_SIMD)
#include <emmintrin.h>
#define CSV_SSE2 1
#endif

/* The buffer always has SLACK readable bytes after its capacity, so a 64-byte
 * mask may be computed at any position up to the end of the data. */
#define SLACK 64
#define DEFAULT_BLOCK ((size_t)64 << 10)
#define MAX_BLOCK ((size_t)1 << 30)

enum { ST_OK, ST_EOF, ST_ERR };

struct CsvReader {
    int fd;
    bool own_fd;
    bool is_mem;
    const unsigned char *mem;
    size_t mem_len, mem_pos;
    long long in_pos; /* input offset of the next byte a descriptor gives */
    long long in_end; /* csv_set_range: where the input ends (-1: its end) */
    bool ranged;      /* csv_set_range: pread from in_pos */
    bool skip_bom;
    char *name;
    unsigned char *buf; /* cap + SLACK bytes, zero-filled when allocated */
    size_t cap;         /* 0 until the first csv_next */
    size_t pos;         /* start of the record being parsed (or the next one) */
    size_t end;         /* end of the data read; buf[end] == 0 */
    size_t block, max_field, max_record;
    bool eof;
    int state;
    long line;     /* physical line of the record at pos */
    char **fields; /* of the record being parsed, then of the row returned */
    size_t *lens;
    size_t nf_open;      /* fields of the unfinished record, for fill to move */
    uint64_t mask;       /* special-byte mask of the 64 bytes at mask_base, kept */
    uint64_t mask_comma; /* the commas among them */
    size_t mask_base;    /* between records while mask_ok (fill clears it) */
    bool mask_ok;
    char msg[256];
    long err_line, err_col;
};

/* ---- opening and closing ---- */

static CsvReader *reader_new(int fd, const char *name)
{
    CsvReader *r = xcalloc(1, sizeof *r);
    r->fd = fd;
    r->name = xstrdup(name);
    r->block = DEFAULT_BLOCK;
    r->line = 1;
    r->in_end = -1;
    r->skip_bom = true;
    csv_set_max_field(r, CSV_DEFAULT_MAX_FIELD);
    r->lens = xmalloc(CSV_MAX_FIELDS * sizeof *r->lens);
    r->fields = xmalloc(CSV_MAX_FIELDS * sizeof *r->fields);
    return r;
}

static char *open_error(char **err_msg, const char *path, const char *why)
{
    if (!err_msg)
        return NULL;
    size_t n = strlen(path) + strlen(why) + 32;
    char *m = xmalloc(n);
    snprintf(m, n, "cannot open '%s': %s", path, why);
    return *err_msg = m;
}

CsvReader *csv_open(const char *path, char **err_msg)
{
    FileWhy why;
    int fd = file_open_read(AT_FDCWD, path, false, &why);
    if (fd < 0) {
        open_error(err_msg, path, file_why_text(&why));
        return NULL;
    }
#ifdef POSIX_FADV_SEQUENTIAL
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    CsvReader *r = reader_new(fd, path);
    r->own_fd = true;
    return r;
}

CsvReader *csv_open_fd(int fd, const char *name)
{
    CsvReader *r = reader_new(fd, name);
    off_t at = lseek(fd, 0, SEEK_CUR);
    r->in_pos = at > 0 ? (long long)at : 0;
    return r;
}

CsvReader *csv_open_mem(const char *data, size_t len)
{
    CsvReader *r = reader_new(-1, "<memory>");
    r->is_mem = true;
    r->mem = (const unsigned char *)data;
    r->mem_len = len;
    return r;
}

const char *csv_name(const CsvReader *r)
{
    return r->name;
}

void csv_set_max_field(CsvReader *r, size_t max_bytes)
{
    r->max_field = max_bytes;
    r->max_record = max_bytes > CSV_MIN_MAX_RECORD / 4 ? max_bytes : CSV_MIN_MAX_RECORD / 4;
    r->max_record = r->max_record > SIZE_MAX / 8 ? SIZE_MAX / 8 : r->max_record * 4;
}

void csv_set_block_size(CsvReader *r, size_t bytes)
{
    r->block = bytes < 1 ? 1 : bytes > MAX_BLOCK ? MAX_BLOCK : bytes;
}

void csv_set_range(CsvReader *r, long long offset, long long length, long first_line)
{
    if (offset < 0)
        offset = 0;
    r->line = first_line < 1 ? 1 : first_line;
    r->skip_bom = offset == 0;
    if (r->is_mem) {
        size_t from = (unsigned long long)offset < r->mem_len ? (size_t)offset : r->mem_len;
        if (length >= 0 && (unsigned long long)length < r->mem_len - from)
            r->mem_len = from + (size_t)length;
        r->mem_pos = from;
        return;
    }
    r->ranged = true;
    r->in_pos = offset;
    r->in_end = length < 0 || length > LLONG_MAX - offset ? -1 : offset + length;
}

long long csv_tell(const CsvReader *r, long *line)
{
    long long next = r->is_mem ? (long long)r->mem_pos : r->in_pos;
    if (line)
        *line = r->line;
    return next - (long long)(r->end - r->pos);
}

void csv_close(CsvReader *r)
{
    if (!r)
        return;
    if (r->own_fd)
        close(r->fd);
    free(r->buf);
    free(r->lens);
    free(r->fields);
    free(r->name);
    free(r);
}

/* ---- errors ---- */

const char *csv_error(const CsvReader *r, long *line, long *col)
{
    if (line)
        *line = r->state == ST_ERR ? r->err_line : 0;
    if (col)
        *col = r->state == ST_ERR ? r->err_col : 0;
    return r->state == ST_ERR ? r->msg : NULL;
}

/* Line and column of e inside the current record.  The record is still as
 * read except for NULs over separators and closing quotes, which count as
 * one code point like the bytes they replaced. */
static void locate(const CsvReader *r, const unsigned char *e, long *line, long *col)
{
    const unsigned char *s = r->buf + r->pos, *ls = s;
    long ln = r->line, c = 1;
    for (; s < e; s++) {
        if (*s == '\n') {
            ln++;
            ls = s + 1;
        }
    }
    for (s = ls; s < e; s++)
        c += (*s & 0xC0) != 0x80;
    *line = ln;
    *col = c;
}

static int vfail(CsvReader *r, long line, long col, const char *fmt, va_list ap)
{
    vsnprintf(r->msg, sizeof r->msg, fmt, ap);
    r->err_line = line;
    r->err_col = col;
    r->state = ST_ERR;
    return -1;
}

__attribute__((format(printf, 4, 5))) static int fail(CsvReader *r, long line, long col,
                                                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(r, line, col, fmt, ap);
    va_end(ap);
    return -1;
}

/* Fails with the location of e, a position in the current record. */
__attribute__((format(printf, 3, 4), noinline, cold)) static int
fail_at(CsvReader *r, const unsigned char *e, const char *fmt, ...)
{
    long line, col;
    va_list ap;
    locate(r, e, &line, &col);
    va_start(ap, fmt);
    vfail(r, line, col, fmt, ap);
    va_end(ap);
    return -1;
}

__attribute__((noinline, cold)) static int fail_long(CsvReader *r, const unsigned char *start,
                                                     bool quoted)
{
    if (quoted)
        return fail_at(r, start, "quoted field longer than %zu bytes (is a closing quote missing?)",
                       r->max_field);
    return fail_at(r, start, "field longer than %zu bytes", r->max_field);
}

__attribute__((noinline, cold)) static int fail_utf8(CsvReader *r, const unsigned char *e)
{
    return fail_at(r, e, "invalid UTF-8 byte 0x%02x (save the file as UTF-8, not GBK or Latin-1)",
                   *e);
}

__attribute__((noinline, cold)) static int fail_unterminated(CsvReader *r, const unsigned char *q)
{
    long line, col;
    locate(r, q, &line, &col);
    return fail(r, line, col, "unterminated quoted field starting at line %ld", line);
}

/* ---- input ---- */

/* Bytes left in the input, or SIZE_MAX when not known. */
static size_t src_left(const CsvReader *r)
{
    if (r->is_mem)
        return r->mem_len - r->mem_pos;
    if (r->in_end >= 0)
        return r->in_end > r->in_pos ? (size_t)(r->in_end - r->in_pos) : 0;
    return SIZE_MAX;
}

static ssize_t src_read(CsvReader *r, unsigned char *dst, size_t n)
{
    if (n > src_left(r))
        n = src_left(r);
    if (r->is_mem) {
        if (n > 0)
            memcpy(dst, r->mem + r->mem_pos, n);
        r->mem_pos += n;
        return (ssize_t)n;
    }
    if (n == 0)
        return 0;
    for (;;) {
        ssize_t k = r->ranged ? pread(r->fd, dst, n, (off_t)r->in_pos) : read(r->fd, dst, n);
        if (k > 0)
            r->in_pos += k;
        if (k >= 0 || errno != EINTR)
            return k;
    }
}

/* Grows the buffer to at least need bytes (plus SLACK), keeping the data and
 * the fields found so far. */
static void grow(CsvReader *r, size_t need)
{
    size_t cap = r->cap * 2 > need ? r->cap * 2 : need;
    if (cap > SIZE_MAX - SLACK)
        cap = SIZE_MAX - SLACK;
    unsigned char *nb = xcalloc(cap + SLACK, 1);
    if (r->buf)
        memcpy(nb, r->buf, r->end + 1);
    for (size_t i = 0; i < r->nf_open; i++)
        r->fields[i] = (char *)nb + ((unsigned char *)r->fields[i] - r->buf);
    free(r->buf);
    r->buf = nb;
    r->cap = cap;
}

/* Moves the current record to the front of the buffer and reads one more
 * block after it.  Returns 1 when bytes were added, 0 at end of input, -1 on
 * an error.  Offsets from the record start stay valid, and so do the
 * pointers of the nf_open fields already found; other pointers do not.
 * Callers check the limits first (see limit), which bounds the buffer. */
static int fill(CsvReader *r)
{
    if (r->eof)
        return 0;
    size_t keep = r->end - r->pos;
    r->mask_ok = false;
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, keep);
        for (size_t i = 0; i < r->nf_open; i++)
            r->fields[i] -= r->pos;
        r->pos = 0;
        r->end = keep;
    }
    size_t want = r->block < src_left(r) ? r->block : src_left(r);
    if (r->cap - r->end < want)
        grow(r, r->end + want);
    ssize_t n = src_read(r, r->buf + r->end, want);
    if (n < 0)
        return fail(r, 0, 0, "read error: %s", strerror(errno));
    if (n == 0)
        r->eof = true;
    r->end += (size_t)n;
    r->buf[r->end] = 0;
    return n > 0;
}

/* First call: allocate the buffer and skip a byte order mark. */
static int start(CsvReader *r)
{
    size_t cap = 2 * r->block, left = src_left(r);
    if (left < SIZE_MAX - 16 && cap > left + 16)
        cap = left + 16;
    grow(r, cap);
    while (r->end - r->pos < 3) {
        int k = fill(r);
        if (k < 0)
            return -1;
        if (k == 0)
            break;
    }
    if (r->skip_bom && r->end - r->pos >= 3 && memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0)
        r->pos += 3;
    return 0;
}

/* ---- scanning ---- */

#ifdef CSV_SSE2
/* A 64-byte mask is made from four 16-byte lanes; the loops over them are
 * unrolled (the pragma, which GCC and Clang read: the scan makes a mask for
 * every 64 bytes, and GCC -O2 leaves these loops rolled, 3% of W1's CPU). */

/* The 16 bytes at s + 16 * i. */
static inline __m128i lane(const unsigned char *s, int i)
{
    return _mm_loadu_si128((const __m128i *)(const void *)(s + 16 * i));
}

/* Lane i's 16-bit mask (the high bit of each byte of x) in its place of a
 * 64-byte mask. */
static inline uint64_t lane_bits(__m128i x, int i)
{
    return (uint64_t)(uint32_t)_mm_movemask_epi8(x) << (16 * i);
}

/* Bit i set when s[i] equals a, b, c, d or NUL, or is non-ASCII. */
static inline uint64_t mask64(const unsigned char *s, char a, char b, char c, char d)
{
    const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);
    const __m128i vc = _mm_set1_epi8(c), vd = _mm_set1_epi8(d);
    uint64_t m = 0;
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
        __m128i v = lane(s, i);
        __m128i x = _mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb));
        __m128i y = _mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vd));
        x = _mm_or_si128(_mm_or_si128(x, y),
                         _mm_or_si128(_mm_cmpeq_epi8(v, _mm_setzero_si128()), v));
        m |= lane_bits(x, i);
    }
    return m;
}

/* Bit i set when s[i] < 0x2D or s[i] >= 0x80 (one signed compare per 16
 * bytes): every byte that may end or change an unquoted field, and also
 * space, '!', '#' to '+' and the other control characters, which the scan
 * steps over. */
static inline uint64_t below_comma64(const unsigned char *s)
{
    const __m128i lim = _mm_set1_epi8(0x2D);
    uint64_t m = 0;
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++)
        m |= lane_bits(_mm_cmplt_epi8(lane(s, i), lim), i);
    return m;
}

/* Bit i set when s[i] == c. */
static inline uint64_t eq64(const unsigned char *s, char c)
{
    const __m128i vc = _mm_set1_epi8(c);
    uint64_t m = 0;
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++)
        m |= lane_bits(_mm_cmpeq_epi8(lane(s, i), vc), i);
    return m;
}
#else
static inline uint64_t mask64(const unsigned char *s, char a, char b, char c, char d)
{
    uint64_t m = 0;
    for (int i = 0; i < 64; i++) {
        unsigned char x = s[i];
        m |= (uint64_t)(x == (unsigned char)a || x == (unsigned char)b || x == (unsigned char)c ||
                        x == (unsigned char)d || x == 0 || x >= 0x80)
             << i;
    }
    return m;
}

static inline uint64_t eq64(const unsigned char *s, char c)
{
    uint64_t m = 0;
    for (int i = 0; i < 64; i++)
        m |= (uint64_t)(s[i] == (unsigned char)c) << i;
    return m;
}
#endif

/* Bit i set when s[i] may end or change an unquoted field: , \n \r " NUL or a
 * non-ASCII byte; with SSE2 also some other bytes below ',' (see
 * below_comma64), which scan_record steps over.  Reads s[0..63]. */
static inline uint64_t mask_plain(const unsigned char *s)
{
#ifdef CSV_SSE2
    return below_comma64(s);
#else
    return mask64(s, ',', '\n', '\r', '"');
#endif
}

/* Same inside quotes: " \n NUL or a non-ASCII byte (\n only to count lines). */
static inline uint64_t mask_quoted(const unsigned char *s)
{
    return mask64(s, '"', '\n', '"', '"');
}

static inline int lowest_bit(uint64_t m)
{
#if defined(__GNUC__)
    return __builtin_ctzll(m);
#else
    int i = 0;
    while (!(m & 1)) {
        m >>= 1;
        i++;
    }
    return i;
#endif
}

/* Moves the scan to np (>= the current bit): clears the bits before it, or
 * starts a new mask when np lies past this one. */
#define ADVANCE_TO(np, maskfn)                                                                     \
    do {                                                                                           \
        size_t off_ = (size_t)((np)-base);                                                         \
        if (off_ >= 64) {                                                                          \
            base = (np);                                                                           \
            maskfn;                                                                                \
        } else {                                                                                   \
            m &= ~(uint64_t)0 << off_;                                                             \
        }                                                                                          \
    } while (0)

/* Length of the valid multi-byte UTF-8 sequence at s (avail bytes are data),
 * 0 if invalid (stray continuation, overlong, surrogate, > U+10FFFF), -1 if
 * valid so far but cut at avail (more input may complete it). */
static inline int utf8_len(const unsigned char *s, size_t avail)
{
    unsigned c = s[0], lo = 0x80, hi = 0xBF;
    int n;
    if (c >= 0xE0 && c < 0xF0) { /* most CJK text */
        n = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xC2 && c < 0xE0) {
        n = 2;
    } else if (c >= 0xF0 && c < 0xF5) {
        n = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if ((size_t)n <= avail) {
        bool ok = s[1] >= lo && s[1] <= hi && (n < 3 || (s[2] & 0xC0) == 0x80) &&
                  (n < 4 || (s[3] & 0xC0) == 0x80);
        return ok ? n : 0;
    }
    for (size_t k = 1; k < avail; k++) {
        if (s[k] < lo || s[k] > hi)
            return 0;
        lo = 0x80;
        hi = 0xBF;
    }
    return -1;
}

/* Validates the run of non-ASCII characters at s; returns the first byte
 * after it, or the start of a bad sequence with *k = 0 (invalid) or -1 (cut
 * at end). */
static inline unsigned char *utf8_run(unsigned char *s, const unsigned char *end, int *k)
{
    do {
        unsigned c = s[0];
        if (c >= 0xE1 && c != 0xED && c <= 0xEF && end - s >= 3 && (s[1] & 0xC0) == 0x80 &&
            (s[2] & 0xC0) == 0x80) { /* most CJK text: what utf8_len accepts, in one test */
            s += 3;
            *k = 3;
            continue;
        }
        *k = utf8_len(s, (size_t)(end - s));
        if (*k <= 0)
            return s;
        s += *k;
    } while (*s >= 0x80);
    return s;
}

/* ---- records ---- */

typedef struct {
    long nl;  /* line feeds inside quoted fields */
    bool esc; /* some quoted field holds "" */
} RecState;

/* Checks the field and record length limits at q, where start is where the
 * field's content starts: with at = 0 before reading more (the bytes before
 * q are known, the one at q is not), with at = 1 before reporting an error
 * at q (q is then a field byte: an error past a limit reports the limit).
 * When both limits are broken the one broken first in the text is reported.
 * So the outcome never depends on where blocks end.  Returns -1 on error. */
static int limit(CsvReader *r, const unsigned char *q, const unsigned char *start, bool quoted,
                 size_t at)
{
    const unsigned char *rec = r->buf + r->pos;
    bool field = (size_t)(q - start) + at > r->max_field;
    bool record = (size_t)(q - rec) + at > r->max_record;
    if (field && (!record || (size_t)(start - rec) + r->max_field <= r->max_record))
        return fail_long(r, start - quoted, quoted);
    if (record)
        return fail_at(r, rec, "record longer than %zu bytes", r->max_record);
    return 0;
}

/* The field at s of len bytes broke a limit: its length, the record's, or
 * the field count. */
__attribute__((noinline, cold)) static int field_limit(CsvReader *r, const unsigned char *s,
                                                       size_t len, bool quoted)
{
    if (limit(r, s + len, s, quoted, 0) < 0)
        return -1;
    return fail_at(r, s - quoted, "too many fields (more than %d)", CSV_MAX_FIELDS);
}

/* Appends the field [s, s + len) to the record.  A macro so the hot loop
 * keeps nf, fields, lens and maxf in registers. */
#define PUSH_FIELD(s, len, quoted)                                                                 \
    do {                                                                                           \
        if ((len) > maxf || nf == CSV_MAX_FIELDS)                                                  \
            return field_limit(r, (s), (len), (quoted));                                           \
        fields[nf] = (char *)(s);                                                                  \
        lens[nf] = (len);                                                                          \
        nf++;                                                                                      \
    } while (0)

/* The closing quote of the field opened at offset qoff is at offset coff of
 * the record: checks what follows it (reading more if needed) and
 * NUL-terminates the field.  Returns the offset of the separator (or of the
 * end of input), or -1. */
static long close_quoted(CsvReader *r, size_t qoff, size_t coff)
{
    if (limit(r, r->buf + r->pos + coff, r->buf + r->pos + qoff + 1, true, 0) < 0)
        return -1;
    for (;;) {
        unsigned char *rec = r->buf + r->pos, *end = r->buf + r->end, *t = rec + coff + 1;
        if (*t == ',' || *t == '\n' || (*t == '\r' && t[1] == '\n') || (t == end && r->eof)) {
            rec[coff] = 0;
            return (long)(coff + 1);
        }
        if ((t == end || (*t == '\r' && t + 1 == end)) && !r->eof) {
            if (limit(r, t, t, false, 0) < 0 || fill(r) < 0)
                return -1;
            continue;
        }
        if (limit(r, t, t, false, 1) < 0)
            return -1;
        if (*t == '\r')
            return fail_at(r, t, "carriage return not followed by a line feed");
        if (*t == 0)
            return fail_at(r, t, "NUL byte in input");
        return fail_at(r, t, "text after closing quote (expected ',' or end of line)");
    }
}

/* Scans the quoted field whose opening quote is at offset qoff of the record.
 * Returns the offset of what follows the closing quote, or -1. */
static long scan_quoted(CsvReader *r, RecState *st, size_t qoff)
{
    unsigned char *rec = r->buf + r->pos, *end = r->buf + r->end;
    unsigned char *q = rec + qoff + 1, *base = q;
    uint64_t m = mask_quoted(base);
    int k;
    for (;;) {
        while (m == 0) {
            base += 64;
            m = mask_quoted(base);
        }
        q = base + lowest_bit(m);
        unsigned c = *q;
        if (c == '"') {
            if (q + 1 == end && !r->eof)
                goto need_more;
            if (q[1] != '"')
                return close_quoted(r, qoff, (size_t)(q - rec));
            st->esc = true;
            ADVANCE_TO(q + 2, m = mask_quoted(base));
            continue;
        }
        if (c == '\n') {
            st->nl++;
            m &= m - 1;
            continue;
        }
        if (c >= 0x80) {
            unsigned char *u = utf8_run(q, end, &k);
            if (k > 0) {
                ADVANCE_TO(u, m = mask_quoted(base));
                continue;
            }
            q = u;
            if (k < 0 && !r->eof)
                goto need_more;
        } else if (q == end && !r->eof) {
            goto need_more;
        }
        if (q == end) /* and at end of input */
            return fail_unterminated(r, rec + qoff);
        if (limit(r, q, rec + qoff + 1, true, 1) < 0)
            return -1;
        return c >= 0x80 ? fail_utf8(r, q) : fail_at(r, q, "NUL byte in input");
    need_more:
        if (limit(r, q, rec + qoff + 1, true, 0) < 0)
            return -1;
        size_t oq = (size_t)(q - rec);
        if (fill(r) < 0)
            return -1;
        rec = r->buf + r->pos;
        end = r->buf + r->end;
        q = rec + oq;
        base = q;
        m = mask_quoted(base);
    }
}

/* Collapses "" in the fields of a record that has escaped quotes (an
 * unquoted field cannot hold '"', so every '"' left is the first of a pair). */
static void unescape(CsvReader *r, size_t nf)
{
    for (size_t i = 0; i < nf; i++) {
        char *s = r->fields[i], *e = s + r->lens[i];
        char *w = memchr(s, '"', r->lens[i]), *rd = w;
        if (!w)
            continue;
        while (rd < e) {
            char ch = *rd++;
            *w++ = ch;
            rd += ch == '"';
        }
        *w = 0;
        r->lens[i] = (size_t)(w - s);
    }
}

/* Hands out the record that ends at term (its line end, or the end of
 * input) and continues at next. */
static inline int finish_record(CsvReader *r, CsvRow *row, size_t nf, const RecState *st,
                                const unsigned char *term, unsigned char *next)
{
    if ((size_t)(term - (r->buf + r->pos)) > r->max_record && limit(r, term, term, false, 0) < 0)
        return -1;
    if (st->esc)
        unescape(r, nf);
    r->nf_open = 0;
    row->nfields = nf;
    row->fields = r->fields;
    row->lens = r->lens;
    row->line = r->line;
    row->weight = 1;
    row->counts = NULL;
    r->line += 1 + st->nl;
    r->pos = (size_t)(next - r->buf);
    return 1;
}

/* Scans the quoted field opened at q as field number nf.  Returns the
 * position of the separator after it (or of the end of input), or NULL. */
__attribute__((noinline)) static unsigned char *quoted_field(CsvReader *r, RecState *st, size_t nf,
                                                             const unsigned char *q)
{
    size_t qoff = (size_t)(q - (r->buf + r->pos));
    r->nf_open = nf;
    long after = scan_quoted(r, st, qoff);
    if (after < 0)
        return NULL;
    unsigned char *rec = r->buf + r->pos;
    size_t len = (size_t)after - qoff - 2;
    if (nf == CSV_MAX_FIELDS) {
        field_limit(r, rec + qoff + 1, len, true);
        return NULL;
    }
    r->fields[nf] = (char *)rec + qoff + 1;
    r->lens[nf] = len;
    return rec + after;
}

/* An error item at q inside the unquoted field at fstart (see limit). */
#define FAIL_ITEM(call) return limit(r, q, fstart, false, 1) < 0 ? -1 : (call)

enum { AT_END = 1, MORE = 2 }; /* what other_byte found */

/* The scan of the unquoted field at fstart of the record at rec stopped at
 * q on a byte that is no separator, line end, quote or non-ASCII byte: a
 * '\r' without '\n', a NUL byte, or the end of the data read so far.
 * Returns MORE when more input must be read first, AT_END when the record
 * ends here (the end of input), 0 at the end of input before any record,
 * -1 after failing. */
__attribute__((noinline)) static int other_byte(CsvReader *r, const unsigned char *q,
                                                const unsigned char *fstart,
                                                const unsigned char *rec, const unsigned char *end)
{
    if (*q == '\r') {
        if (q + 1 == end && !r->eof)
            return MORE;
        FAIL_ITEM(fail_at(r, q, "carriage return not followed by a line feed"));
    }
    if (q != end)
        FAIL_ITEM(fail_at(r, q, "NUL byte in input"));
    if (!r->eof)
        return MORE;
    if (q == rec) {
        r->state = ST_EOF;
        return 0;
    }
    return AT_END;
}

/* Reads more input for the record being scanned (nf fields found, the
 * unquoted field at fstart scanned up to q): false after failing.  The
 * record moves: offsets from its start stay valid, pointers do not. */
__attribute__((noinline)) static bool read_more(CsvReader *r, const unsigned char *q,
                                                const unsigned char *fstart, size_t nf)
{
    if (limit(r, q, fstart, false, 0) < 0)
        return false;
    r->nf_open = nf;
    return fill(r) >= 0;
}

/* Keeps the masks of the 64 bytes at base for the next record. */
static inline void keep_masks(CsvReader *r, uint64_t m, uint64_t mc, const unsigned char *base)
{
    r->mask = m;
    r->mask_comma = mc;
    r->mask_base = (size_t)(base - r->buf);
    r->mask_ok = true;
}

/* Where the scan of the record at rec starts, with its masks *m (special
 * bytes) and *mc (commas): the previous record's when they cover it. */
static inline __attribute__((always_inline)) unsigned char *
scan_start(CsvReader *r, unsigned char *rec, uint64_t *m, uint64_t *mc)
{
    size_t off = r->pos - r->mask_base;
    if (!r->mask_ok || off >= 64) {
        *m = mask_plain(rec);
        *mc = eq64(rec, ',');
        return rec;
    }
    *m = r->mask & (~(uint64_t)0 << off);
    *mc = r->mask_comma;
    return r->buf + r->mask_base;
}

/* The quoted field whose opening quote is at q, field number nf of the
 * record, which must start at fstart: returns the position after its
 * closing quote, or NULL after failing. */
static unsigned char *quoted_at(CsvReader *r, RecState *st, size_t nf, unsigned char *q,
                                const unsigned char *fstart)
{
    if (q != fstart) {
        if (limit(r, q, fstart, false, 1) == 0)
            fail_at(r, q,
                    "'\"' in an unquoted field (quote the whole field and double the "
                    "quotes inside)");
        return NULL;
    }
    q = quoted_field(r, st, nf, q);
    r->mask_ok = false;
    return q;
}

/* Scans the record at r->pos into r->fields and r->lens: sets *term (where
 * it ends: its line end, or the end of input) and *next (where the next
 * one starts).  Returns its number of fields, 0 at the end of input, -1
 * after failing.  The hot loop: separators, line ends and runs of UTF-8
 * text; anything else is a call. */
static long scan_record(CsvReader *r, RecState *st, unsigned char **term, unsigned char **next)
{
    unsigned char *rec = r->buf + r->pos, *end = r->buf + r->end, *fstart = rec, *q;
    char **fields = r->fields;
    size_t *lens = r->lens, maxf = r->max_field, nf = 0;
    uint64_t m, mc; /* special bytes at base, and the commas among them */
    unsigned char *base = scan_start(r, rec, &m, &mc);
    int k;
#define RELOAD() (m = mask_plain(base), mc = eq64(base, ','))
    for (;;) {
        while (m == 0) {
            base += 64;
            RELOAD();
        }
        q = base + lowest_bit(m);
        if (mc & m & -m) { /* ',' without loading the byte */
            PUSH_FIELD(fstart, (size_t)(q - fstart), false);
            *q = 0;
            fstart = q + 1;
            m &= m - 1;
            continue;
        }
        unsigned c = *q;
        if (c == '\n' || (c == '\r' && q[1] == '\n')) {
            keep_masks(r, m, mc, base);
            *next = q + 1 + (c == '\r');
            break;
        }
        if (c >= 0x80) {
            unsigned char *u = utf8_run(q, end, &k);
            if (k > 0) {
                ADVANCE_TO(u, RELOAD());
                continue;
            }
            q = u;
            if (k == 0 || r->eof)
                FAIL_ITEM(fail_utf8(r, q));
        } else if (c == '"') {
            if (!(q = quoted_at(r, st, nf++, q, fstart)))
                return -1;
            rec = r->buf + r->pos;
            end = r->buf + r->end;
            if (q == end || *q != ',') {
                *next = q == end ? q : q + 1 + (*q == '\r');
                *term = q;
                return (long)nf;
            }
            fstart = base = q + 1;
            RELOAD();
            continue;
        } else if (c != '\r' && c != 0) { /* a byte mask_plain takes as well */
            m &= m - 1;
            continue;
        } else {
            int o = other_byte(r, q, fstart, rec, end);
            if (o == AT_END) {
                *next = q;
                break;
            }
            if (o <= 0)
                return o;
        }
        size_t oq = (size_t)(q - rec), of = (size_t)(fstart - rec);
        if (!read_more(r, q, fstart, nf))
            return -1;
        rec = r->buf + r->pos;
        end = r->buf + r->end;
        q = rec + oq;
        fstart = rec + of;
        base = q;
        RELOAD();
    }
#undef RELOAD
    PUSH_FIELD(fstart, (size_t)(q - fstart), false); /* the last field */
    *q = 0;
    *term = q;
    return (long)nf;
}

int csv_next(CsvReader *r, CsvRow *row)
{
    if (r->state != ST_OK)
        return r->state == ST_EOF ? 0 : -1;
    if (!r->cap && start(r) < 0)
        return -1;
    RecState st = {0, false};
    unsigned char *term = NULL, *next = NULL;
    long nf = scan_record(r, &st, &term, &next);
    return nf <= 0 ? (int)nf : finish_record(r, row, (size_t)nf, &st, term, next);
}

/* ---- splitting a file into ranges ---- */

#define GUESS_WINDOW 65536 /* bytes read at each cut's place to guess the quote state */

/* Reads s[0..n) as CSV with a quote open at s[0] or not (inside), s[0]
 * perhaps starting a field: false when some '"' is where none can be (in
 * the middle of an unquoted field, or closing a quoted one that goes on).
 * *cut: the offset after the first '\n' outside quotes, or 0. */
static bool reads_as(const unsigned char *s, size_t n, bool inside, size_t *cut)
{
    bool in = inside, start = true; /* at a field's start */
    *cut = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (in) {
            if (c != '"')
                continue;
            if (i + 1 < n && s[i + 1] == '"') { /* "" */
                i++;
                continue;
            }
            if (i + 1 < n && s[i + 1] != ',' && s[i + 1] != '\n' && s[i + 1] != '\r')
                return false;
            in = start = false;
        } else if (c == '"') {
            if (!start)
                return false;
            in = true;
        } else {
            start = c == ',' || c == '\n';
            if (c == '\n' && !*cut)
                *cut = i + 1;
        }
    }
    return true;
}

/* The cut at or after pos (< to): just after the '\n' that a reading of
 * the next GUESS_WINDOW bytes finds outside quotes when exactly one guess
 * of the quote state at pos reads without a misplaced '"' (the quote
 * closed when both do), else just after the first '\n'; to when there is
 * none.  -1 with errno set after a read error. */
static long long guess_cut(int fd, long long pos, long long to)
{
    unsigned char *buf = xmalloc(GUESS_WINDOW);
    const unsigned char *nl;
    long long cut = -1;
    size_t have = 0, out_cut, in_cut;
    while (have < GUESS_WINDOW && pos + (long long)have < to) { /* the window */
        size_t want = GUESS_WINDOW - have;
        if ((unsigned long long)(to - pos - (long long)have) < want)
            want = (size_t)(to - pos - (long long)have);
        ssize_t got = pread(fd, buf + have, want, (off_t)(pos + (long long)have));
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            goto done;
        if (got == 0)
            break;
        have += (size_t)got;
    }
    bool out = reads_as(buf, have, false, &out_cut), in = reads_as(buf, have, true, &in_cut);
    nl = memchr(buf, '\n', have);
    if (in && !out && in_cut)
        cut = pos + (long long)in_cut;
    else if (out && out_cut)
        cut = pos + (long long)out_cut;
    else if (nl) /* no guess reads: the first '\n' */
        cut = pos + (nl - buf) + 1;
    if (cut >= 0)
        goto done;
    for (pos += (long long)have;;) { /* no line feed in the window: the first after it */
        ssize_t got = pos < to ? pread(fd, buf, GUESS_WINDOW, (off_t)pos) : 0;
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            goto done;
        if (got == 0 || pos + got >= to) {
            nl = got > 0 ? memchr(buf, '\n', (size_t)(to - pos)) : NULL;
            cut = nl ? pos + (nl - buf) + 1 : to;
            goto done;
        }
        nl = memchr(buf, '\n', (size_t)got);
        if (nl) {
            cut = pos + (nl - buf) + 1;
            goto done;
        }
        pos += got;
    }
done:
    free(buf);
    return cut;
}

int csv_split(int fd, long long from, long long to, long line, int n, CsvRange *out)
{
    if (to < from)
        to = from;
    long long span = to - from, pos = from;
    out[0] = (CsvRange){from, 0, line};
    for (int k = 1; k < n; k++) {
        long long target = from + span / n * k + span % n * k / n;
        if (target > pos && (pos = guess_cut(fd, target, to)) < 0)
            return -1; /* else the last cut is past this one's place */
        out[k - 1].length = pos - out[k - 1].offset;
        out[k] = (CsvRange){pos, 0, 1};
    }
    out[n - 1].length = to - out[n - 1].offset;
    return 0;
}
