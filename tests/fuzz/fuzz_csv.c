/* fuzz_csv.c -- libFuzzer harness for the CSV reader (rosters, histories,
 * bottom-up targets, actuals): any bytes, read to the end or to the first
 * error, with small blocks and a small field limit so that every boundary
 * case is reached.  A crash, hang or sanitizer report is a finding. */
#include <stddef.h>
#include <stdint.h>

#include "data/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    CsvReader *r = csv_open_mem((const char *)data, size);
    if (!r)
        return 0;
    csv_set_block_size(r, size > 0 ? 1 + data[0] % 97 : 1);
    csv_set_max_field(r, 256);
    CsvRow row;
    size_t fields = 0;
    while (csv_next(r, &row) == 1)
        fields += row.nfields;
    long line = 0, col = 0;
    (void)csv_error(r, &line, &col);
    (void)fields;
    csv_close(r);
    return 0;
}
