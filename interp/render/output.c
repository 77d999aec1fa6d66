/* output.c -- output files written atomically: a temporary file beside
 * the target, synced, then renamed over it, so that a reader sees the old
 * file or the whole new one, never a part.  It writes only the file it is
 * given (and its temporary). */
#include "render/render.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_fail(const char *path, const char *tmp, int fd, int e, char **err)
{
    if (fd >= 0)
        close(fd);
    if (tmp)
        unlink(tmp);
    const char *msg = strerror(e);
    size_t n = strlen(path) + strlen(msg) + 32;
    *err = xmalloc(n);
    snprintf(*err, n, "cannot write '%s': %s", path, msg);
    return -1;
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
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

int render_write_atomic(const char *path, const char *data, size_t len, char **err)
{
    size_t n = strlen(path);
    char *tmp = xmalloc(n + sizeof ".tmp.XXXXXX");
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
    int fd = mkstemp(tmp), rc = 0;
    if (fd < 0)
        rc = write_fail(path, NULL, -1, errno, err);
    else if (fchmod(fd, 0644) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0)
        rc = write_fail(path, tmp, fd, errno, err);
    else if (close(fd) != 0)
        rc = write_fail(path, tmp, -1, errno, err);
    else if (rename(tmp, path) != 0)
        rc = write_fail(path, tmp, -1, errno, err);
    else
        sync_parent_dir(path);
    free(tmp);
    return rc;
}
