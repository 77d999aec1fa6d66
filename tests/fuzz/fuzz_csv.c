/* fuzz_csv.c -- libFuzzer harness for the CSV reader (rosters, histories,
 * bottom-up targets, actuals): any bytes, read to the end or to the first
 * error, with small blocks and a small field limit so that every boundary
 * case is reached.  Then the same bytes as a file split into 2, 3 and 4
 * parts (csv_split, as threads read actuals): read part after part, each
 * numbered from the line the one before it ended on, they must give the
 * whole input's records, fields and lines, up to a part that ends in an
 * error (a cut inside a quoted field may cause it: what follows is not
 * compared), and end where it ends.  A crash, hang, sanitizer report or
 * trap is a finding. */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "data/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FIELD 256

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

static CsvReader *reader(const uint8_t *data, size_t size)
{
    CsvReader *r = csv_open_mem((const char *)data, size);
    if (r)
        csv_set_max_field(r, MAX_FIELD);
    return r;
}

/* Reads the parts of one split of the file at fd (data) against a reader
 * of the whole. */
static void check_parts(int fd, const uint8_t *data, size_t size, int n)
{
    CsvRange rg[4];
    check(csv_split(fd, 0, (long long)size, 1, n, rg) == 0);
    CsvReader *whole = reader(data, size);
    if (!whole)
        return;
    long next = 1; /* the line the part starts on */
    bool cut_in_record = false;
    for (int k = 0; k < n && !cut_in_record; k++) {
        check(rg[k].offset == (k ? rg[k - 1].offset + rg[k - 1].length : 0));
        check(rg[k].length >= 0 && rg[k].line == 1);
        check(k == 0 || rg[k].offset == rg[k - 1].offset || rg[k].offset == (long long)size ||
              data[rg[k].offset - 1] == '\n');
        CsvReader *part = reader(data, size);
        if (!part)
            break;
        csv_set_range(part, rg[k].offset, k == n - 1 ? -1 : rg[k].length, rg[k].line);
        long d = next - 1;
        CsvRow p, w;
        int rc;
        while ((rc = csv_next(part, &p)) == 1) {
            check(csv_next(whole, &w) == 1);
            check(w.line == p.line + d && w.nfields == p.nfields);
            for (size_t i = 0; i < p.nfields; i++)
                check(w.lens[i] == p.lens[i] && memcmp(w.fields[i], p.fields[i], p.lens[i]) == 0);
        }
        if (rc < 0 && k < n - 1)
            cut_in_record = true;
        else if (rc < 0)
            check(csv_next(whole, &w) < 0);
        else if (k == n - 1)
            check(csv_next(whole, &w) == 0);
        long after;
        csv_tell(part, &after);
        next = after + d;
        csv_close(part);
    }
    csv_close(whole);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    CsvReader *r = csv_open_mem((const char *)data, size);
    if (!r)
        return 0;
    csv_set_block_size(r, size > 0 ? 1 + data[0] % 97 : 1);
    csv_set_max_field(r, MAX_FIELD);
    CsvRow row;
    size_t fields = 0;
    while (csv_next(r, &row) == 1)
        fields += row.nfields;
    long line = 0, col = 0;
    (void)csv_error(r, &line, &col);
    (void)fields;
    csv_close(r);
    int fd = memfd_create("fuzz_csv", 0);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) == (ssize_t)size)
        for (int n = 2; n <= 4; n++)
            check_parts(fd, data, size, n);
    close(fd);
    return 0;
}
