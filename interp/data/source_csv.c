/* source_csv.c -- the CSV file as a row source (source.h), over the reader
 * of csv.c: rows, errors, the physical line an error is on, the file's
 * signature (path, size, time, inode), and splitting what is left of a big
 * file into byte ranges that several threads read at once.  It must not
 * decide what a row means: that is the readers' (actuals, history, ...).
 */
#include "data/source.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/files.h"
#include "data/cells.h"
#include "data/csv.h"

/* A file is worth reading in parts from this size, by at most this many. */
#define PARALLEL_FROM ((long long)16 << 20)
#define PARALLEL_MAX 4

typedef struct {
    RowSource base;
    CsvReader *csv;
    int fd; /* the file, owned: read again by line_text and split with pread */
    char *path;
    long first_line; /* a part's (csv_src_split): the line its rows are numbered from */
    bool own_lines;  /* a part's lines count from its own start (csv_split) */
} CsvSource;

static const SrcOps csv_ops;

static CsvSource *csv_of(const RowSource *s)
{
    return (CsvSource *)s;
}

/* A source reading the file open at fd (taken over). */
static CsvSource *csv_source_new(int fd, const char *path, const char *name)
{
    CsvSource *c = xcalloc(1, sizeof *c);
    src_init(&c->base, &csv_ops, name);
    c->csv = csv_open_fd(fd, path);
    c->fd = fd;
    c->path = xstrdup(path);
    return c;
}

RowSource *src_file_open_fd(int fd, const char *path, const char *name)
{
#ifdef POSIX_FADV_SEQUENTIAL
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    return &csv_source_new(fd, path, name)->base;
}

RowSource *src_csv_open(const char *where, const char *table, const char *order, const char *name,
                        char **err)
{
    (void)order;
    if (table) { /* src_open_table sends only URIs of a database here */
        if (err)
            *err = xstrdup("a CSV file has no tables");
        return NULL;
    }
    FileWhy why;
    int fd = file_open_read(AT_FDCWD, where, false, &why);
    if (fd >= 0)
        return src_file_open_fd(fd, where, name);
    if (err) {
        Buf b = {0};
        buf_printf(&b, "cannot open '%s': %s", where, file_why_text(&why));
        *err = b.data;
    }
    return NULL;
}

static int csv_src_next(RowSource *s, SrcRow *row)
{
    return csv_next(csv_of(s)->csv, row);
}

static const char *csv_src_error(const RowSource *s, long *line, long *col)
{
    return csv_error(csv_of(s)->csv, line, col);
}

/* Appends what follows s (up to a line end) while out holds less than max. */
static bool put_line(Buf *out, size_t max, const char *s, const char *e)
{
    const char *nl = memchr(s, '\n', (size_t)(e - s));
    size_t n = (size_t)((nl ? nl : e) - s), room = out->len < max ? max - out->len : 0;
    buf_put(out, s, n < room ? n : room);
    return nl || out->len >= max;
}

/* Physical line `line` of the file, read again: the reader keeps no text of
 * a record it rejects. */
static void csv_src_line_text(RowSource *s, long line, size_t max, Buf *out)
{
    int fd = csv_of(s)->fd;
    char blk[65536];
    long cur = 1;
    bool first = true;
    ssize_t k;
    for (off_t at = 0; (k = pread(fd, blk, sizeof blk, at)) > 0; at += k) {
        const char *p = blk, *e = blk + k;
        if (first && k >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
            p += 3;
        first = false;
        for (const char *nl; p < e && cur < line; cur++, p = nl + 1)
            if (!(nl = memchr(p, '\n', (size_t)(e - p)))) {
                p = e;
                break;
            }
        if (cur >= line && put_line(out, max, p, e))
            break;
    }
    if (out->len > max)
        out->len = (size_t)cval_clip(out->data, out->len, max);
}

static int csv_src_parallel(const RowSource *s)
{
    struct stat st;
    if (fstat(csv_of(s)->fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < PARALLEL_FROM)
        return 1;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus < 1 ? 1 : cpus > PARALLEL_MAX ? PARALLEL_MAX : (int)cpus;
}

/* The ranges of what is left of the file (the reader is between records),
 * the last reading to the end; false when the file cannot be split.  The
 * cuts are guessed (csv_split): counting the quotes and lines before
 * them would read half the file once more before any row is read; a wrong
 * guess shows as an error at the end of the range before it, and one
 * thread then reads on from that record (csv_src_rest, actuals_threads.c). */
static bool ranges(CsvSource *c, int n, CsvRange *rg)
{
    long line;
    long long from = csv_tell(c->csv, &line);
    struct stat st;
    bool ok = fstat(c->fd, &st) == 0 && S_ISREG(st.st_mode) &&
              csv_split(c->fd, from, (long long)st.st_size, line, n, rg) == 0;
    rg[n - 1].length = -1; /* the last range reads to the end, as one reader would */
    return ok;
}

/* A source reading bytes [offset, offset + length) of c's file (length -1:
 * to the end), its first record on line `line`; NULL when the file cannot
 * be opened again. */
static CsvSource *csv_part(const CsvSource *c, long long offset, long long length, long line)
{
    int fd = fcntl(c->fd, F_DUPFD_CLOEXEC, 0);
    if (fd < 0)
        return NULL;
    CsvSource *part = csv_source_new(fd, c->path, c->base.name);
    csv_set_range(part->csv, offset, length, line);
    part->first_line = line;
    return part;
}

static int csv_src_split(RowSource *s, int n, RowSource **parts)
{
    CsvSource *c = csv_of(s);
    CsvRange *rg = xcalloc((size_t)n, sizeof *rg);
    int k = 0;
    if (ranges(c, n, rg))
        for (; k < n; k++) {
            CsvSource *part = csv_part(c, rg[k].offset, rg[k].length, rg[k].line);
            if (!part)
                break;
            part->own_lines = k > 0;
            parts[k] = &part->base;
        }
    free(rg);
    if (k == n)
        return 0;
    while (k-- > 0)
        src_close(parts[k]);
    return -1;
}

static RowSource *csv_src_rest(RowSource *part, long line)
{
    const CsvSource *c = csv_of(part);
    CsvSource *rest = csv_part(c, csv_tell(c->csv, NULL), -1, line);
    return rest ? &rest->base : NULL;
}

static void csv_src_signature(const RowSource *s, Buf *out)
{
    struct stat st;
    const char *path = csv_of(s)->path;
    if (fstat(csv_of(s)->fd, &st) == 0)
        buf_printf(out, "[csv %s %lld %lld.%09ld %llu]", path, (long long)st.st_size,
                   (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (unsigned long long)st.st_ino);
    else
        buf_puts(out, "[?]");
}

static bool csv_src_part_lines(const RowSource *s, long *first, long *after)
{
    const CsvSource *c = csv_of(s);
    *first = c->first_line;
    csv_tell(c->csv, after);
    return c->own_lines;
}

bool src_file_identity(const RowSource *s, unsigned long long *dev, unsigned long long *ino)
{
    struct stat st;
    if (s->ops != &csv_ops || fstat(csv_of(s)->fd, &st) != 0)
        return false;
    *dev = (unsigned long long)st.st_dev;
    *ino = (unsigned long long)st.st_ino;
    return true;
}

static void csv_src_close(RowSource *s)
{
    CsvSource *c = csv_of(s);
    csv_close(c->csv);
    close(c->fd);
    free(c->path);
    src_fini(s);
    free(c);
}

static const SrcOps csv_ops = {
    .next = csv_src_next,
    .error = csv_src_error,
    .line_text = csv_src_line_text,
    .parallel = csv_src_parallel,
    .split = csv_src_split,
    .part_lines = csv_src_part_lines,
    .rest = csv_src_rest,
    .signature = csv_src_signature,
    .close = csv_src_close,
};
