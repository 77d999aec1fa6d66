/* tmpdir.h -- the scratch directory of a unit test file that reads files:
 * made by its group setup (tmpdir_make), emptied and removed by its
 * teardown (tmpdir_remove), and the files written into it.  Included after
 * cmocka.h by each such test file (test_actuals, test_history,
 * test_roster_image, test_source). */
#ifndef TESTS_TMPDIR_H
#define TESTS_TMPDIR_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[64];

/* Makes /tmp/NAME_XXXXXX: 0, or -1. */
static inline int tmpdir_make(const char *name)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/%s_XXXXXX", name);
    return mkdtemp(tmpdir) ? 0 : -1;
}

/* Removes the files in tmpdir, then tmpdir: 0, or -1. */
static inline int tmpdir_remove(void)
{
    DIR *d = opendir(tmpdir);
    if (!d)
        return -1;
    struct dirent *e;
    char path[512];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", tmpdir, e->d_name);
        unlink(path);
    }
    closedir(d);
    return rmdir(tmpdir);
}

/* Writes n bytes of text to tmpdir/name; returns its path (static). */
static inline const char *tmpdir_write_n(const char *name, const char *text, size_t n)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    return path;
}

static inline const char *tmpdir_write(const char *name, const char *text)
{
    return tmpdir_write_n(name, text, strlen(text));
}

#endif
