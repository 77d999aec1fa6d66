/* output.c -- the one output module: files written atomically (a
 * temporary file beside the target, synced, then renamed over it, so that
 * a reader sees the old file or the whole new one, never a part), and
 * standard output closed with its errors checked.
 *
 * The rules every writer follows (-o, fmt -w, the REPL's :save): a symbolic
 * link is written through to its target (the link stays); a target that
 * is not a regular file (a device, a FIFO, a directory), that is read-only
 * (no write permission, or no write bit at all, which root is not stopped
 * by) or that is one of the files a plan read is refused; an existing
 * file keeps its mode (and, best effort, its owner), a new one is made
 * with 0666 less the umask; the temporary file is removed on SIGINT,
 * SIGTERM, SIGHUP and SIGXFSZ before the signal does what it did before,
 * and at exit (out of memory).  Every
 * write, sync and close is checked.  It writes only the file it is given
 * (and its temporary).
 *
 * For tests only: SALESPLAN_TEST_WRITE_PAUSE=SECONDS waits that long with
 * the temporary file written, before it is renamed (tests/files sends a
 * signal then). */
#include "render/render.h"

#include "base/term.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- the temporary file and signals ---- */

static const int tmp_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGXFSZ};
#define NSIGNALS (sizeof tmp_signals / sizeof tmp_signals[0])
static struct sigaction tmp_old[NSIGNALS];
static bool tmp_installed[NSIGNALS];
static char tmp_path[PATH_MAX + 32];
static volatile sig_atomic_t tmp_armed;

/* Removes the temporary file, restores what the signal did and raises it
 * again (only async-signal-safe calls). */
static void on_signal(int sig)
{
    if (tmp_armed)
        unlink(tmp_path);
    tmp_armed = 0;
    for (size_t i = 0; i < NSIGNALS; i++)
        if (tmp_signals[i] == sig && tmp_installed[i])
            sigaction(sig, &tmp_old[i], NULL);
    raise(sig);
}

/* At exit (out of memory while a large output is being written, say)
 * the temporary file goes too. */
static void remove_at_exit(void)
{
    if (tmp_armed)
        unlink(tmp_path);
    tmp_armed = 0;
}

/* Registers tmp for removal on a signal (a signal that was ignored stays
 * ignored) and at exit. */
static void arm(const char *tmp)
{
    static bool at_exit;
    if (!at_exit)
        at_exit = atexit(remove_at_exit) == 0;
    size_t n = strlen(tmp);
    if (n >= sizeof tmp_path)
        return;
    memcpy(tmp_path, tmp, n + 1);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NSIGNALS; i++) {
        struct sigaction old;
        tmp_installed[i] = false;
        if (sigaction(tmp_signals[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
            continue;
        tmp_old[i] = old;
        tmp_installed[i] = sigaction(tmp_signals[i], &sa, NULL) == 0;
    }
    tmp_armed = 1;
}

static void disarm(void)
{
    tmp_armed = 0;
    for (size_t i = 0; i < NSIGNALS; i++)
        if (tmp_installed[i]) {
            sigaction(tmp_signals[i], &tmp_old[i], NULL);
            tmp_installed[i] = false;
        }
}

/* Creates a new temporary file beside target, mode 0666 less the umask:
 * its descriptor and *tmp (malloc'd), or -1 with errno set. */
static int make_tmp(const char *target, char **tmp)
{
    size_t n = strlen(target) + 32;
    *tmp = xmalloc(n);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long x = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16);
    for (int attempt = 0; attempt < 100; attempt++) {
        x = x * 6364136223846793005UL + 1442695040888963407UL;
        snprintf(*tmp, n, "%s.tmp.%06lx", target, (x >> 20) & 0xFFFFFF);
        int fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

/* ---- writing ---- */

/* "cannot write 'PATH': why[tail]", the path's control bytes escaped. */
static int path_error(const char *path, const char *why, const char *tail, char **err)
{
    Buf b = {0};
    buf_puts(&b, "cannot write '");
    term_escape(&b, path, strlen(path), 0);
    buf_printf(&b, "': %s%s", why, tail);
    *err = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return -1;
}

static int write_fail(const char *path, const char *tmp, int fd, int e, char **err)
{
    if (fd >= 0)
        close(fd);
    if (tmp)
        unlink(tmp);
    disarm();
    return path_error(path, strerror(e), "", err);
}

static int refuse(const char *path, const char *why, char **err)
{
    return path_error(path, why, "; nothing written", err);
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t k = write(fd, data, len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (k == 0)
                errno = EIO;
            return -1;
        }
        data += k;
        len -= (size_t)k;
    }
    return 0;
}

/* Makes the rename durable; best effort, as some file systems refuse to
 * open or sync a directory and the data itself is already synced. */
static void sync_parent_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

/* The file to write for path: path, or the target of the symbolic link
 * path is (malloc'd); NULL after refusing. */
static char *target_of(const char *path, char **err)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
        return xstrdup(path);
    char *real = realpath(path, NULL);
    if (!real)
        refuse(path, "it is a symbolic link to a file that does not exist", err);
    return real;
}

/* Whether an existing target may be replaced (*have: it exists, *st its
 * status); -1 after refusing. */
static int check_target(const char *path, const FileIds *keep, struct stat *st, bool *have,
                        char **err)
{
    *have = stat(path, st) == 0;
    if (!*have)
        return errno == ENOENT ? 0 : write_fail(path, NULL, -1, errno, err);
    if (!S_ISREG(st->st_mode))
        return refuse(path,
                      S_ISDIR(st->st_mode) ? "it is a directory"
                                           : "it is not a regular file (a device or a FIFO)",
                      err);
    if (keep && file_ids_has_path(keep, path))
        return refuse(path, "it is a file the plan reads", err);
    if ((st->st_mode & 0222) == 0 || access(path, W_OK) != 0)
        return refuse(path, "it is read-only", err);
    return 0;
}

/* The test hook: a pause with the temporary file written. */
static void test_pause(void)
{
    const char *s = getenv("SALESPLAN_TEST_WRITE_PAUSE");
    int secs = s ? atoi(s) : 0;
    if (secs > 0 && secs < 60)
        sleep((unsigned)secs);
}

/* ---- a file written as it is made ---- */

/* The target's temporary file opens when the first bytes come (or at the
 * commit): so an output too small to spill is checked and written only
 * when the plan evaluated, as before there were sinks. */
struct RenderSink {
    char *path;          /* as given */
    const FileIds *keep; /* the files the plan read (may grow while it runs) */
    char *target, *tmp;  /* once open */
    int fd;              /* the temporary file; -1: not open */
    bool have;           /* the target existed: keep its mode and owner */
    struct stat st;
    char *err; /* the first failure (malloc'd); nothing more is written */
};

RenderSink *render_sink_new(const char *path, const FileIds *keep)
{
    RenderSink *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    s->keep = keep;
    s->fd = -1;
    return s;
}

/* The failure of an open temporary file: it is closed and removed. */
static void sink_fail(RenderSink *s, int e)
{
    write_fail(s->target, s->tmp, s->fd, e, &s->err);
    s->fd = -1;
}

/* Checks the target and opens a new temporary file beside it, with the
 * target's mode (and, best effort, owner); 0, or -1 with s->err. */
static int sink_open(RenderSink *s)
{
    s->target = target_of(s->path, &s->err);
    if (!s->target || check_target(s->target, s->keep, &s->st, &s->have, &s->err) < 0)
        return -1;
    s->fd = make_tmp(s->target, &s->tmp);
    if (s->fd < 0)
        return write_fail(s->target, NULL, -1, errno, &s->err);
    arm(s->tmp);
    if (s->have && (s->st.st_uid != geteuid() || s->st.st_gid != getegid()))
        (void)!fchown(s->fd, s->st.st_uid, s->st.st_gid); /* best effort: root keeps the owner */
    if (s->have && fchmod(s->fd, s->st.st_mode & 07777) != 0) {
        sink_fail(s, errno);
        return -1;
    }
    return 0;
}

void render_sink_spill(void *ctx, const char *data, size_t len)
{
    RenderSink *s = ctx;
    if (s->err || (s->fd < 0 && sink_open(s) < 0))
        return;
    if (write_all(s->fd, data, len) != 0)
        sink_fail(s, errno);
}

/* Closes and removes the temporary file. */
static void sink_drop(RenderSink *s)
{
    close(s->fd);
    unlink(s->tmp);
    disarm();
    s->fd = -1;
}

/* Writes the rest, syncs, closes and renames: 0, or -1 with s->err. */
static int sink_finish(RenderSink *s, const char *data, size_t len)
{
    if (write_all(s->fd, data, len) != 0 || fsync(s->fd) != 0) {
        sink_fail(s, errno);
        return -1;
    }
    int fd = s->fd;
    s->fd = -1;
    if (close(fd) != 0)
        return write_fail(s->target, s->tmp, -1, errno, &s->err);
    test_pause();
    if (rename(s->tmp, s->target) != 0)
        return write_fail(s->target, s->tmp, -1, errno, &s->err);
    disarm();
    sync_parent_dir(s->target);
    return 0;
}

int render_sink_commit(RenderSink *s, const char *data, size_t len, char **err)
{
    if (!s->err && s->fd < 0) {
        sink_open(s);
    } else if (!s->err && s->keep && file_ids_has_path(s->keep, s->target)) { /* read since */
        sink_drop(s);
        refuse(s->target, "it is a file the plan reads", &s->err);
    }
    if (!s->err && sink_finish(s, data, len) == 0)
        return 0;
    *err = s->err;
    s->err = NULL;
    return -1;
}

void render_sink_free(RenderSink *s)
{
    if (!s)
        return;
    if (s->fd >= 0) /* never committed: nothing of it stays */
        sink_drop(s);
    free(s->path);
    free(s->target);
    free(s->tmp);
    free(s->err);
    free(s);
}

int render_write_atomic(const char *path, const char *data, size_t len, const FileIds *keep,
                        char **err)
{
    RenderSink *s = render_sink_new(path, keep);
    int rc = render_sink_commit(s, data, len, err);
    render_sink_free(s);
    return rc;
}

int render_close_stdout(char **err)
{
    int e = 0;
    if (fflush(stdout) != 0)
        e = errno ? errno : EIO;
    else if (ferror(stdout))
        e = EIO;
    if (fclose(stdout) != 0 && !e)
        e = errno ? errno : EIO;
    if (!e)
        return 0;
    const char *msg = strerror(e);
    size_t n = strlen(msg) + 48;
    *err = xmalloc(n);
    snprintf(*err, n, "cannot write standard output: %s", msg);
    return -1;
}
