/* files.c -- opening a file for reading the one way (files.h): without
 * blocking, only a regular file, beneath a directory when asked; and the
 * identities of the files read. */
#include "base/files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

#if defined(__linux__) && defined(__has_include)
#if __has_include(<linux/openat2.h>) && __has_include(<sys/syscall.h>)
#include <linux/openat2.h>
#include <sys/syscall.h>
#if defined(SYS_openat2)
#define HAVE_OPENAT2 1
#endif
#endif
#endif

#define READ_FLAGS (O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)

/* What a file that is not regular is, as the end of a sentence. */
static const char *kind_of(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "it is a FIFO (named pipe), not a regular file";
    if (S_ISDIR(mode))
        return "it is a directory, not a regular file";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "it is a device, not a regular file";
    if (S_ISSOCK(mode))
        return "it is a socket, not a regular file";
    return "it is not a regular file";
}

/* The failure of an open (errno), in why. */
static int failed(FileWhy *why, bool beneath)
{
    why->err = errno;
    if (beneath && errno == EXDEV) {
        why->err = 0;
        why->outside = true;
    }
    return -1;
}

/* Opens each component of path beneath dirfd without following a symbolic
 * link; '.' and '..' are taken by name ('..' above dirfd: outside). */
static int walk_beneath(int dirfd, const char *path, FileWhy *why)
{
    if (path[0] == '/') {
        why->outside = true;
        return -1;
    }
    char *copy = xstrdup(path), *save = NULL;
    size_t cap = strlen(path) / 2 + 2, n = 0;
    char **part = xmalloc(cap * sizeof *part);
    for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
        if (strcmp(c, ".") == 0)
            continue;
        if (strcmp(c, "..") != 0)
            part[n++] = c;
        else if (n > 0)
            n--;
        else
            why->outside = true;
    }
    int fd = why->outside || n == 0 ? -1 : dirfd;
    if (n == 0 && !why->outside)
        why->err = EISDIR;
    for (size_t i = 0; fd != -1 && i < n; i++) {
        int flags = i + 1 < n ? O_RDONLY | O_DIRECTORY | O_CLOEXEC : READ_FLAGS;
        int next = openat(fd, part[i], flags | O_NOFOLLOW);
        if (next < 0) {
            why->err = errno;
            why->link = errno == ELOOP || (errno == ENOTDIR && i + 1 < n);
        }
        if (fd != dirfd)
            close(fd);
        fd = next;
    }
    free(part);
    free(copy);
    return fd;
}

static int open_beneath(int dirfd, const char *path, FileWhy *why)
{
#ifdef HAVE_OPENAT2
    struct open_how how = {.flags = READ_FLAGS, .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
    long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
    if (fd >= 0)
        return (int)fd;
    if (errno != ENOSYS && errno != EPERM && errno != EINVAL && errno != E2BIG)
        return failed(why, true);
#endif
    int fd2 = walk_beneath(dirfd, path, why);
    if (why->link) {
        why->err = 0;
        why->outside = true;
    }
    return fd2;
}

int file_open_read(int dirfd, const char *path, bool beneath, FileWhy *why)
{
    *why = (FileWhy){0};
    int fd = beneath ? open_beneath(dirfd, path, why) : openat(dirfd, path, READ_FLAGS);
    if (fd < 0)
        return why->err || why->outside ? -1 : failed(why, false);
    struct stat st;
    int fl = fcntl(fd, F_GETFL);
    if (fstat(fd, &st) != 0 || fl < 0) {
        why->err = errno;
    } else if (!S_ISREG(st.st_mode)) {
        why->kind = kind_of(st.st_mode);
    } else if (fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == 0) {
        return fd;
    } else {
        why->err = errno;
    }
    close(fd);
    return -1;
}

const char *file_why_text(const FileWhy *why)
{
    if (why->kind)
        return why->kind;
    if (why->link)
        return "a symbolic link is on the way (not followed on this system)";
    if (why->outside)
        return "it resolves outside the plan's directory";
    return strerror(why->err ? why->err : EIO);
}

/* ---- identities ---- */

void file_ids_add_fd(FileIds *s, int fd)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->ids = xrealloc(s->ids, s->cap * sizeof *s->ids);
    }
    s->ids[s->n++] = (FileId){(unsigned long long)st.st_dev, (unsigned long long)st.st_ino};
}

bool file_ids_has_path(const FileIds *s, const char *path)
{
    struct stat st;
    if (!s || stat(path, &st) != 0)
        return false;
    for (size_t i = 0; i < s->n; i++)
        if (s->ids[i].dev == (unsigned long long)st.st_dev &&
            s->ids[i].ino == (unsigned long long)st.st_ino)
            return true;
    return false;
}

void file_ids_free(FileIds *s)
{
    free(s->ids);
    *s = (FileIds){0};
}
