/* files.h -- the one way a file is opened for reading: once, without
 * blocking, only a regular file, and (for the files a plan names) beneath a
 * directory without a way out of it.
 *
 * Every reader of a file goes through file_open_read: the plan's imports
 * and data files (load/, data/), the CSV files named on the command line.
 * A FIFO, device, directory or socket is refused after it was opened
 * without waiting (O_NONBLOCK, cleared again for a regular file), so that
 * nothing blocks on a FIFO nobody writes.  With beneath, the path is
 * resolved inside the directory dirfd in the same call that opens it
 * (openat2 with RESOLVE_BENEATH where the kernel has it; else every
 * component is opened with O_NOFOLLOW, so no symbolic link is followed at
 * all): no check by name is followed by an open by name, so swapping a
 * symbolic link in between leads nowhere.
 *
 * Identities (FileId: device and inode) let a writer refuse to replace a
 * file that was read (render/ compares them).  Nothing here allocates
 * except what a FileIds holds (file_ids_free).
 */
#ifndef FILES_H
#define FILES_H

#include <stdbool.h>
#include <stddef.h>

/* Why an open failed: an errno, a file that is not regular, or a path that
 * leads out of the directory. */
typedef struct {
    int err;          /* errno, 0 when kind or outside says why */
    const char *kind; /* what the file is when it is not regular ("a FIFO"), else NULL */
    bool outside;     /* beneath: a symbolic link or '..' leads out of the directory */
    bool link;        /* beneath, without openat2: a symbolic link on the way (not followed) */
} FileWhy;

/* Opens path for reading (relative to the directory open at dirfd, or
 * AT_FDCWD).  Returns the descriptor (close-on-exec, blocking) of a
 * regular file, or -1 with *why filled. */
int file_open_read(int dirfd, const char *path, bool beneath, FileWhy *why);

/* Why, in words: "No such file or directory", "it is a FIFO, not a
 * regular file", ... (static or *why's). */
const char *file_why_text(const FileWhy *why);

/* A file's identity. */
typedef struct {
    unsigned long long dev, ino;
} FileId;

/* A set of identities (the files a plan read). */
typedef struct {
    FileId *ids;
    size_t n, cap;
} FileIds;

/* Adds the file open at fd (nothing when fstat fails). */
void file_ids_add_fd(FileIds *s, int fd);
/* Whether the file at path (following a symbolic link) is one of s. */
bool file_ids_has_path(const FileIds *s, const char *path);
void file_ids_free(FileIds *s);

#endif
