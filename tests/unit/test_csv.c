/* test_csv.c -- cmocka tests for interp/csv.c: RFC 4180 records, quoting,
 * line ends, BOM, UTF-8, every error with its line and column, limits with
 * bounded memory, and block boundaries.
 * Most expectations are a dump of the whole parse ("LINE:[f1][f2]" per record,
 * then "EOF" or "ERR line:col message"), and every dump is checked with many
 * read block sizes, so each byte also lands on a block boundary.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "data/csv.h"

/* ---- helpers ---- */

typedef struct {
    char *s;
    size_t len, cap;
} Text;

static void put(Text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->s = realloc(t->s, t->cap);
        assert_non_null(t->s);
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = 0;
}

static void puts_(Text *t, const char *s)
{
    put(t, s, strlen(s));
}

/* Appends a field, showing line ends as \n and \r. */
static void put_field(Text *t, const char *s, size_t n)
{
    puts_(t, "[");
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            puts_(t, "\\n");
        else if (s[i] == '\r')
            puts_(t, "\\r");
        else
            put(t, s + i, 1);
    }
    puts_(t, "]");
}

/* Reads r to the end and returns the dump (malloc'd).  Checks the row
 * invariants (a record is one row: weight 1, as row sources see it) and
 * that the final status is sticky. */
static char *dump_reader(CsvReader *r)
{
    Text t = {NULL, 0, 0};
    CsvRow row;
    int k;
    char line[64];
    puts_(&t, "");
    while ((k = csv_next(r, &row)) == 1) {
        assert_true(row.nfields >= 1);
        assert_int_equal(row.weight, 1); /* a record is one row */
        snprintf(line, sizeof line, "%ld:", row.line);
        puts_(&t, line);
        for (size_t i = 0; i < row.nfields; i++) {
            assert_int_equal(strlen(row.fields[i]), row.lens[i]); /* NUL-terminated */
            put_field(&t, row.fields[i], row.lens[i]);
        }
        puts_(&t, "\n");
    }
    if (k == 0) {
        assert_null(csv_error(r, NULL, NULL));
        puts_(&t, "EOF");
    } else {
        long l = -1, c = -1;
        const char *msg = csv_error(r, &l, &c);
        assert_non_null(msg);
        snprintf(line, sizeof line, "ERR %ld:%ld ", l, c);
        puts_(&t, line);
        puts_(&t, msg);
    }
    assert_int_equal(csv_next(r, &row), k);
    assert_int_equal(csv_next(r, &row), k);
    return t.s;
}

static char *dump_mem(const char *data, size_t len, size_t block, size_t max_field)
{
    CsvReader *r = csv_open_mem(data, len);
    assert_non_null(r);
    if (block)
        csv_set_block_size(r, block);
    if (max_field)
        csv_set_max_field(r, max_field);
    char *s = dump_reader(r);
    csv_close(r);
    return s;
}

static const size_t blocks[] = {0, 1, 2, 3, 4, 5, 7, 13, 63, 64, 65, 200};

/* The dump of data (len bytes; max_field 0 = default) must equal expect with
 * every block size. */
static void check_max(const char *data, size_t len, size_t max_field, const char *expect)
{
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
        char *got = dump_mem(data, len, blocks[i], max_field);
        if (strcmp(got, expect) != 0)
            print_error("block size %zu:\n--- got\n%s\n--- expected\n%s\n", blocks[i], got, expect);
        assert_string_equal(got, expect);
        free(got);
    }
}

#define check(lit, expect) check_max((lit), sizeof(lit) - 1, 0, (expect))

/* A malloc'd buffer of n copies of c. */
static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    assert_non_null(s);
    memset(s, c, n);
    s[n] = 0;
    return s;
}

/* ---- well-formed input ---- */

static void test_simple(void **state)
{
    (void)state;
    check("date,rep,amount\n2027-01-05,zhang,100.50\n2027-01-06,li,-3\n",
          "1:[date][rep][amount]\n2:[2027-01-05][zhang][100.50]\n3:[2027-01-06][li][-3]\nEOF");
    check("x\n", "1:[x]\nEOF");
    check("a,b,c", "1:[a][b][c]\nEOF");
}

static void test_crlf(void **state)
{
    (void)state;
    check("a,b\r\n1,2\r\n", "1:[a][b]\n2:[1][2]\nEOF");
    check("a,b\r\n1,2", "1:[a][b]\n2:[1][2]\nEOF");
    check("a\r\n\r\nb\n", "1:[a]\n2:[]\n3:[b]\nEOF");
    check("\"q\"\r\nx\r\n", "1:[q]\n2:[x]\nEOF");
    check("mixed\nends\r\nok", "1:[mixed]\n2:[ends]\n3:[ok]\nEOF");
}

static void test_bom(void **state)
{
    (void)state;
    check("\xEF\xBB\xBF"
          "date,amount\n2027-01-01,5\n",
          "1:[date][amount]\n2:[2027-01-01][5]\nEOF");
    check("\xEF\xBB\xBF", "EOF");
    check("\xEF\xBB\xBF\n", "1:[]\nEOF");
    check("\xEF\xBB",
          "ERR 1:1 invalid UTF-8 byte 0xef (save the file as UTF-8, not GBK or Latin-1)");
    /* only at the very start */
    check("a\n\xEF\xBB\xBF"
          "b\n",
          "1:[a]\n2:[\xEF\xBB\xBF"
          "b]\nEOF");
    /* columns do not count the mark */
    check("\xEF\xBB\xBF"
          "ab\"c\n",
          "ERR 1:3 '\"' in an unquoted field (quote the whole field and double the quotes inside)");
}

static void test_quoted_comma(void **state)
{
    (void)state;
    check("\"a,b\",c\n\"x,\",\",y\"\n", "1:[a,b][c]\n2:[x,][,y]\nEOF");
    check("\"a\",\"b\"", "1:[a][b]\nEOF");
    check("plain,\"quoted\"\n", "1:[plain][quoted]\nEOF");
}

static void test_quoted_newline(void **state)
{
    (void)state;
    check("\"line1\nline2\",x\nnext,y\n", "1:[line1\\nline2][x]\n3:[next][y]\nEOF");
    check("\"a\r\nb\"\r\nc\r\n", "1:[a\\r\\nb]\n3:[c]\nEOF");
    check("\"\n\n\n\"\nz\n", "1:[\\n\\n\\n]\n5:[z]\nEOF");
    /* a lone CR inside quotes is data */
    check("\"a\rb\",\"\r\"\n", "1:[a\\rb][\\r]\nEOF");
}

static void test_escaped_quotes(void **state)
{
    (void)state;
    check("\"say \"\"hi\"\"\",\"\"\"\"\n", "1:[say \"hi\"][\"]\nEOF");
    check("\"\"\"\"\"\"\n", "1:[\"\"]\nEOF");
    check("\"a\"\"\",b,\"\"\"c\"\n", "1:[a\"][b][\"c]\nEOF");
    check("\"x\"\"\ny\"\"\"", "1:[x\"\\ny\"]\nEOF");
}

static void test_empty_fields(void **state)
{
    (void)state;
    check(",,\n", "1:[][][]\nEOF");
    check("\"\",\"\"\n", "1:[][]\nEOF");
    check("a,\n,b\n", "1:[a][]\n2:[][b]\nEOF");
    check("a,", "1:[a][]\nEOF");
    check("\"\"", "1:[]\nEOF");
}

static void test_no_trailing_newline(void **state)
{
    (void)state;
    check("a,b\nc,d", "1:[a][b]\n2:[c][d]\nEOF");
    check("\"q\nq\"", "1:[q\\nq]\nEOF");
    check("华北", "1:[华北]\nEOF");
}

static void test_empty_lines(void **state)
{
    (void)state;
    check("", "EOF");
    check("\n", "1:[]\nEOF");
    check("a\n\nb\n", "1:[a]\n2:[]\n3:[b]\nEOF");
    check("a\n\n", "1:[a]\n2:[]\nEOF");
    check("a\n", "1:[a]\nEOF");
}

static void test_chinese(void **state)
{
    (void)state;
    check("区域,销售代表,金额\n华北,张伟,\"1,200.00\"\n华东,李娜,300\n",
          "1:[区域][销售代表][金额]\n2:[华北][张伟][1,200.00]\n3:[华东][李娜][300]\nEOF");
    CsvReader *r = csv_open_mem("华北,西部\n", 14);
    CsvRow row;
    assert_int_equal(csv_next(r, &row), 1);
    assert_int_equal(row.nfields, 2);
    assert_int_equal(row.lens[0], 6);
    assert_string_equal(row.fields[1], "西部");
    csv_close(r);
}

static void test_utf8_valid_edges(void **state)
{
    (void)state;
    /* U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFF, U+10000, U+10FFFF */
    check("\xC2\x80,\xDF\xBF,\xE0\xA0\x80,\xED\x9F\xBF,\xEE\x80\x80,\xEF\xBF\xBF\n"
          "\xF0\x90\x80\x80,\xF4\x8F\xBF\xBF,\"😀\"\n",
          "1:[\xC2\x80][\xDF\xBF][\xE0\xA0\x80][\xED\x9F\xBF][\xEE\x80\x80][\xEF\xBF\xBF]\n"
          "2:[\xF0\x90\x80\x80][\xF4\x8F\xBF\xBF][😀]\nEOF");
}

/* ---- errors, each with its position ---- */

static void test_err_unterminated(void **state)
{
    (void)state;
    check("a,b\nc,\"d\ne\n", "1:[a][b]\nERR 2:3 unterminated quoted field starting at line 2");
    check("\"", "ERR 1:1 unterminated quoted field starting at line 1");
    check("x\n\"abc\"\"", "1:[x]\nERR 2:1 unterminated quoted field starting at line 2");
    check("华北,\"", "ERR 1:4 unterminated quoted field starting at line 1");
}

static void test_err_quote_in_unquoted(void **state)
{
    (void)state;
    const char *msg =
        "'\"' in an unquoted field (quote the whole field and double the quotes inside)";
    char want[200];
    snprintf(want, sizeof want, "ERR 1:3 %s", msg);
    check("ab\"c\n", want);
    snprintf(want, sizeof want, "1:[ok]\nERR 2:5 %s", msg);
    check("ok\nx,y \"z\"\n", want);
    snprintf(want, sizeof want, "ERR 1:3 %s", msg);
    check("华北\"", want);
}

static void test_err_text_after_quote(void **state)
{
    (void)state;
    check("\"ab\"c,d\n", "ERR 1:5 text after closing quote (expected ',' or end of line)");
    check("\"ab\" ,d\n", "ERR 1:5 text after closing quote (expected ',' or end of line)");
    check("x,\"a\nb\"\"\"y\n", "ERR 2:5 text after closing quote (expected ',' or end of line)");
    check("\"华\n北北\"x", "ERR 2:4 text after closing quote (expected ',' or end of line)");
}

static void test_err_bare_cr(void **state)
{
    (void)state;
    check("a\rb\n", "ERR 1:2 carriage return not followed by a line feed");
    check("a,b\r", "ERR 1:4 carriage return not followed by a line feed");
    check("\"a\"\rb", "ERR 1:4 carriage return not followed by a line feed");
    check("ok\r\nold\rmac\r", "1:[ok]\nERR 2:4 carriage return not followed by a line feed");
}

static void test_err_invalid_utf8(void **state)
{
    (void)state;
    check("华北,\xFF\n",
          "ERR 1:4 invalid UTF-8 byte 0xff (save the file as UTF-8, not GBK or Latin-1)");
    /* GBK for 华北 */
    check("id\nR1,\xBB\xAA\xB1\xB1\n",
          "1:[id]\nERR 2:4 invalid UTF-8 byte 0xbb (save the file as UTF-8, not GBK or Latin-1)");
    check("\xC0\x80",
          "ERR 1:1 invalid UTF-8 byte 0xc0 (save the file as UTF-8, not GBK or Latin-1)");
    check("a\xED\xA0\x80", /* surrogate */
          "ERR 1:2 invalid UTF-8 byte 0xed (save the file as UTF-8, not GBK or Latin-1)");
    check("ab\xF4\x90\x80\x80", /* above U+10FFFF */
          "ERR 1:3 invalid UTF-8 byte 0xf4 (save the file as UTF-8, not GBK or Latin-1)");
    check("\xE0\x9F\xBF", /* overlong */
          "ERR 1:1 invalid UTF-8 byte 0xe0 (save the file as UTF-8, not GBK or Latin-1)");
    check("\xF0\x8F\xBF\xBF", /* overlong */
          "ERR 1:1 invalid UTF-8 byte 0xf0 (save the file as UTF-8, not GBK or Latin-1)");
    check("华\x80", "ERR 1:2 invalid UTF-8 byte 0x80 (save the file as UTF-8, not GBK or Latin-1)");
    check("x,\xE5\x8D", /* cut by the end of input */
          "ERR 1:3 invalid UTF-8 byte 0xe5 (save the file as UTF-8, not GBK or Latin-1)");
    check("x,\xE5\x8D,y\n", /* cut by a comma */
          "ERR 1:3 invalid UTF-8 byte 0xe5 (save the file as UTF-8, not GBK or Latin-1)");
    check("\"a\n\xF5\"\n", /* inside quotes, second line */
          "ERR 2:1 invalid UTF-8 byte 0xf5 (save the file as UTF-8, not GBK or Latin-1)");
    check("\"\xE5\x8D\"",
          "ERR 1:2 invalid UTF-8 byte 0xe5 (save the file as UTF-8, not GBK or Latin-1)");
}

static void test_err_nul(void **state)
{
    (void)state;
    static const char a[] = "ab\0c\n", b[] = "x\n\"q\0\"\n", c[] = "\"q\"\0\n";
    check_max(a, sizeof a - 1, 0, "ERR 1:3 NUL byte in input");
    check_max(b, sizeof b - 1, 0, "1:[x]\nERR 2:3 NUL byte in input");
    check_max(c, sizeof c - 1, 0, "ERR 1:4 NUL byte in input");
    check_max("\0", 1, 0, "ERR 1:1 NUL byte in input");
}

static void test_err_field_too_long(void **state)
{
    (void)state;
    check_max("x,0123456789\n", 13, 10, "1:[x][0123456789]\nEOF");
    check_max("x,0123456789A\n", 14, 10, "ERR 1:3 field longer than 10 bytes");
    check_max("x,0123456789A", 13, 10, "ERR 1:3 field longer than 10 bytes");
    check_max("x,\"0123456789\"\n", 15, 10, "1:[x][0123456789]\nEOF");
    /* measured between the quotes, before "" collapses */
    check_max("x,\"0123456\"\"9\"\n", 15, 10, "1:[x][0123456\"9]\nEOF");
    check_max("x,\"01234567\"\"9\"\n", 16, 10,
              "ERR 1:3 quoted field longer than 10 bytes (is a closing quote missing?)");
    check_max("a\nx,\"0123456789A\"\n", 18, 10,
              "1:[a]\nERR 2:3 quoted field longer than 10 bytes (is a closing quote missing?)");
    check_max("a\nx,\"0123456789A", 16, 10,
              "1:[a]\nERR 2:3 quoted field longer than 10 bytes (is a closing quote missing?)");
}

/* A 3 MiB field against the default 1 MiB limit, plain and quoted. */
static void test_err_3mib_field(void **state)
{
    (void)state;
    size_t n = (size_t)3 << 20;
    char *s = repeat('x', n + 3);
    static const size_t bs[] = {0, 4096, 65537};
    for (size_t i = 0; i < 3; i++) {
        s[n] = '\n';
        char *got = dump_mem(s, n + 1, bs[i], 0);
        assert_string_equal(got, "ERR 1:1 field longer than 1048576 bytes");
        free(got);
        s[0] = '"';
        s[n + 1] = '"';
        s[n + 2] = '\n';
        got = dump_mem(s, n + 3, bs[i], 0);
        assert_string_equal(got, "ERR 1:1 quoted field longer than 1048576 bytes (is a closing "
                                 "quote missing?)");
        free(got);
        s[0] = 'x';
    }
    free(s);
}

/* An endless field from a pipe fails after reading little more than the
 * limit: the reader never buffers the whole field. */
static void test_err_endless_field_bounded(void **state)
{
    (void)state;
    int data[2], report[2];
    assert_int_equal(pipe(data), 0);
    assert_int_equal(pipe(report), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        static char chunk[65536];
        unsigned long long total = 0;
        signal(SIGPIPE, SIG_IGN);
        close(data[0]);
        close(report[0]);
        memset(chunk, 'y', sizeof chunk);
        chunk[0] = '"';
        for (;;) {
            ssize_t k = write(data[1], chunk, sizeof chunk);
            if (k <= 0)
                break;
            total += (unsigned long long)k;
            chunk[0] = 'y';
        }
        if (write(report[1], &total, sizeof total) != sizeof total)
            _exit(1);
        _exit(0);
    }
    close(data[1]);
    close(report[1]);
    CsvReader *r = csv_open_fd(data[0], "<pipe>");
    assert_string_equal(csv_name(r), "<pipe>");
    char *got = dump_reader(r);
    assert_string_equal(got, "ERR 1:1 quoted field longer than 1048576 bytes (is a closing quote "
                             "missing?)");
    free(got);
    csv_close(r);
    close(data[0]);
    unsigned long long total = 0;
    assert_int_equal(read(report[0], &total, sizeof total), sizeof total);
    close(report[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_true(total < ((unsigned long long)4 << 20)); /* limit + a block + the pipe */
}

static void test_err_too_many_fields(void **state)
{
    (void)state;
    char *s = repeat(',', CSV_MAX_FIELDS + 1);
    s[CSV_MAX_FIELDS - 1] = '\n'; /* line 1: exactly the maximum */
    CsvReader *r = csv_open_mem(s, CSV_MAX_FIELDS + 1);
    CsvRow row;
    assert_int_equal(csv_next(r, &row), 1);
    assert_int_equal(row.nfields, CSV_MAX_FIELDS);
    assert_int_equal(csv_next(r, &row), 1); /* line 2: "," */
    assert_int_equal(row.nfields, 2);
    csv_close(r);
    s[CSV_MAX_FIELDS - 1] = ','; /* CSV_MAX_FIELDS + 2 empty fields */
    char want[64];
    snprintf(want, sizeof want, "ERR 1:%d too many fields (more than %d)", CSV_MAX_FIELDS + 1,
             CSV_MAX_FIELDS);
    for (size_t b = 0; b < 3; b++) {
        char *got = dump_mem(s, CSV_MAX_FIELDS + 1, b * 100, 0);
        assert_string_equal(got, want);
        free(got);
    }
    free(s);
}

static void test_err_record_too_long(void **state)
{
    (void)state;
    size_t field = 5000, n = field * CSV_MAX_FIELDS; /* 4096 fields, 20 MB */
    char *s = repeat('z', n + 2);
    for (size_t i = field; i < n; i += field)
        s[i] = ',';
    s[0] = 'a';
    memcpy(s, "ok\n", 3);
    char want[64];
    snprintf(want, sizeof want, "1:[ok]\nERR 2:1 record longer than %zu bytes", CSV_MIN_MAX_RECORD);
    char *got = dump_mem(s, n, 0, 0);
    assert_string_equal(got, want);
    free(got);
    free(s);
}

static void test_sticky_status(void **state)
{
    (void)state;
    CsvReader *r = csv_open_mem("a\n\"b", 4);
    CsvRow row;
    long l = 7, c = 7;
    assert_null(csv_error(r, &l, &c));
    assert_int_equal(l, 0);
    assert_int_equal(csv_next(r, &row), 1);
    assert_int_equal(csv_next(r, &row), -1);
    assert_int_equal(csv_next(r, &row), -1);
    assert_string_equal(csv_error(r, &l, &c), "unterminated quoted field starting at line 2");
    assert_int_equal(l, 2);
    assert_int_equal(c, 1);
    csv_close(r);
    csv_close(NULL);
}

/* ---- files ---- */

static void test_open_missing_file(void **state)
{
    (void)state;
    char *err = NULL;
    assert_null(csv_open("/nonexistent-dir/actuals.csv", &err));
    assert_string_equal(err,
                        "cannot open '/nonexistent-dir/actuals.csv': No such file or directory");
    free(err);
    err = NULL;
    assert_null(csv_open("/", &err));
    assert_string_equal(err, "cannot open '/': it is a directory, not a regular file");
    free(err);
}

static void test_open_file_and_fd(void **state)
{
    (void)state;
    char path[] = "/tmp/test_csv_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static const char text[] = "\xEF\xBB\xBFrep,amount\r\nzhang,\"1,000\"\r\n";
    assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);

    char *err = NULL;
    CsvReader *r = csv_open(path, &err);
    assert_non_null(r);
    assert_null(err);
    assert_string_equal(csv_name(r), path);
    char *got = dump_reader(r);
    assert_string_equal(got, "1:[rep][amount]\n2:[zhang][1,000]\nEOF");
    free(got);
    csv_close(r);

    fd = open(path, O_RDONLY);
    r = csv_open_fd(fd, "actuals");
    csv_set_block_size(r, 3);
    got = dump_reader(r);
    assert_string_equal(got, "1:[rep][amount]\n2:[zhang][1,000]\nEOF");
    free(got);
    csv_close(r);
    assert_int_equal(close(fd), 0); /* still open: csv_close left it */
    unlink(path);
}

/* ---- block boundaries and robustness ---- */

static uint64_t rng = 88172645463325252ULL;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* Writes one random field value into t (raw) and its CSV form into csv. */
static void random_field(Text *raw, Text *csv)
{
    static const char *const atoms[] = {"a",  "7",    " ",    ",", "\"", "\n",
                                        "\r", "\r\n", "华北", "😀", "é",  "x.y",
                                        "\t !#$%&'()*+", "\x01\x0b\x0c\x1f-/"};
    Text v = {NULL, 0, 0};
    size_t n = rnd(4) == 0 ? 0 : rnd(8) + (rnd(20) == 0 ? 150 : 0);
    puts_(&v, "");
    for (size_t i = 0; i < n; i++)
        puts_(&v, atoms[rnd(sizeof atoms / sizeof atoms[0])]);
    bool must = strpbrk(v.s, ",\"\n\r") != NULL;
    put_field(raw, v.s, v.len);
    if (must || rnd(5) == 0) {
        puts_(csv, "\"");
        for (size_t i = 0; i < v.len; i++) {
            if (v.s[i] == '"')
                puts_(csv, "\"");
            put(csv, v.s + i, 1);
        }
        puts_(csv, "\"");
    } else {
        put(csv, v.s, v.len);
    }
    free(v.s);
}

/* Random well-formed documents built with their expected dump parse the
 * same at any block size. */
static void test_block_boundaries(void **state)
{
    (void)state;
    for (int doc = 0; doc < 300; doc++) {
        Text csv = {NULL, 0, 0}, want = {NULL, 0, 0};
        long line = 1;
        char buf[32];
        puts_(&csv, "");
        puts_(&want, "");
        int nrec = (int)rnd(12);
        for (int rec = 0; rec < nrec; rec++) {
            size_t start = csv.len;
            snprintf(buf, sizeof buf, "%ld:", line);
            puts_(&want, buf);
            int nf = 1 + (int)rnd(5);
            for (int f = 0; f < nf; f++) {
                if (f)
                    puts_(&csv, ",");
                random_field(&want, &csv);
            }
            puts_(&want, "\n");
            bool last = rec == nrec - 1;
            if (last && csv.len == start) /* an empty last line is no record */
                puts_(&csv, "\"\"");
            if (!last || rnd(2))
                puts_(&csv, rnd(2) ? "\r\n" : "\n");
            for (size_t i = start; i < csv.len; i++)
                line += csv.s[i] == '\n';
        }
        puts_(&want, "EOF");
        size_t b = 1 + rnd(70);
        char *got = dump_mem(csv.s, csv.len, b, 0);
        if (strcmp(got, want.s) != 0)
            print_error("doc %d block %zu input:\n%s\n", doc, b, csv.s);
        assert_string_equal(got, want.s);
        free(got);
        free(csv.s);
        free(want.s);
    }
}

/* ---- a slow, obviously correct reference parser for random input ---- */

typedef struct {
    const unsigned char *s;
    size_t n, i, body; /* body: where the text after a byte order mark starts */
    Text out, field, err;
} Ref;

/* Length of a valid UTF-8 sequence at s[0..n), or 0 (Unicode table 3-7). */
static size_t ref_utf8(const unsigned char *s, size_t n)
{
    static const struct {
        unsigned char lo, hi, lo1, hi1, len;
    } forms[] = {
        {0xC2, 0xDF, 0x80, 0xBF, 2}, {0xE0, 0xE0, 0xA0, 0xBF, 3}, {0xE1, 0xEC, 0x80, 0xBF, 3},
        {0xED, 0xED, 0x80, 0x9F, 3}, {0xEE, 0xEF, 0x80, 0xBF, 3}, {0xF0, 0xF0, 0x90, 0xBF, 4},
        {0xF1, 0xF3, 0x80, 0xBF, 4}, {0xF4, 0xF4, 0x80, 0x8F, 4},
    };
    for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
        if (s[0] < forms[f].lo || s[0] > forms[f].hi)
            continue;
        size_t len = forms[f].len;
        if (n < len || s[1] < forms[f].lo1 || s[1] > forms[f].hi1)
            return 0;
        for (size_t k = 2; k < len; k++)
            if (s[k] < 0x80 || s[k] > 0xBF)
                return 0;
        return len;
    }
    return 0;
}

static int ref_fail(Ref *r, size_t pos, const char *msg)
{
    long line = 1, col = 1;
    size_t ls = r->body;
    for (size_t i = r->body; i < pos; i++) {
        if (r->s[i] == '\n') {
            line++;
            ls = i + 1;
        }
    }
    for (size_t i = ls; i < pos; i++)
        col += (r->s[i] & 0xC0) != 0x80;
    char buf[300];
    if (strcmp(msg, "unterminated") == 0)
        snprintf(buf, sizeof buf, "ERR %ld:%ld unterminated quoted field starting at line %ld",
                 line, col, line);
    else if (strcmp(msg, "utf8") == 0)
        snprintf(
            buf, sizeof buf,
            "ERR %ld:%ld invalid UTF-8 byte 0x%02x (save the file as UTF-8, not GBK or Latin-1)",
            line, col, r->s[pos]);
    else
        snprintf(buf, sizeof buf, "ERR %ld:%ld %s", line, col, msg);
    puts_(&r->err, buf);
    return -1;
}

/* One content byte or UTF-8 sequence at r->i; -1 on error. */
static int ref_char(Ref *r)
{
    unsigned char c = r->s[r->i];
    size_t k = c < 0x80 ? 1 : ref_utf8(r->s + r->i, r->n - r->i);
    if (c == 0)
        return ref_fail(r, r->i, "NUL byte in input");
    if (k == 0)
        return ref_fail(r, r->i, "utf8");
    put(&r->field, (const char *)r->s + r->i, k);
    r->i += k;
    return 0;
}

/* Scans a field; returns 0 (',' follows), 1 (record ends), -1 (error). */
static int ref_field(Ref *r)
{
    const unsigned char *s = r->s;
    bool quoted = r->i < r->n && s[r->i] == '"';
    if (quoted) {
        size_t open = r->i++;
        for (;;) {
            if (r->i >= r->n)
                return ref_fail(r, open, "unterminated");
            if (s[r->i] == '"' && r->i + 1 < r->n && s[r->i + 1] == '"') {
                puts_(&r->field, "\"");
                r->i += 2;
            } else if (s[r->i] == '"') {
                r->i++;
                break;
            } else if (ref_char(r) < 0) {
                return -1;
            }
        }
    }
    for (;;) {
        if (r->i >= r->n)
            return 1;
        unsigned char c = s[r->i];
        if (c == ',' || c == '\n' || (c == '\r' && r->i + 1 < r->n && s[r->i + 1] == '\n')) {
            r->i += c == ',' ? 1 : c == '\n' ? 1 : 2;
            return c != ',';
        }
        if (c == '\r')
            return ref_fail(r, r->i, "carriage return not followed by a line feed");
        if (quoted)
            return ref_fail(r, r->i,
                            c == 0 ? "NUL byte in input"
                                   : "text after closing quote (expected ',' or end of line)");
        if (c == '"')
            return ref_fail(r, r->i,
                            "'\"' in an unquoted field (quote the whole field and double "
                            "the quotes inside)");
        if (ref_char(r) < 0)
            return -1;
    }
}

/* The dump of s[0..n) by the reference parser (default limits). */
static char *ref_dump(const char *text, size_t n)
{
    Ref r = {(const unsigned char *)text, n, 0, 0, {NULL, 0, 0}, {NULL, 0, 0}, {NULL, 0, 0}};
    char buf[32];
    puts_(&r.out, "");
    puts_(&r.field, "");
    if (n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        r.i = r.body = 3;
    while (r.i < n) {
        long line = 1;
        for (size_t i = r.body; i < r.i; i++)
            line += text[i] == '\n';
        snprintf(buf, sizeof buf, "%ld:", line);
        size_t mark = r.out.len;
        puts_(&r.out, buf);
        int k;
        do {
            r.field.len = 0;
            k = ref_field(&r);
            if (k >= 0)
                put_field(&r.out, r.field.s, r.field.len);
        } while (k == 0);
        if (k < 0) {
            r.out.len = mark;
            puts_(&r.out, r.err.s);
            free(r.err.s);
            free(r.field.s);
            return r.out.s;
        }
        puts_(&r.out, "\n");
    }
    puts_(&r.out, "EOF");
    free(r.field.s);
    return r.out.s;
}

/* Random bytes never crash; the outcome (rows, or the error and its
 * position) is the reference parser's and does not depend on the block
 * size, also with tiny field limits. */
static void test_random_bytes(void **state)
{
    (void)state;
    static const char alphabet[] = "a,\"\n\r\0\xE5\x8D\x8E\xFF\xEF\xBB\xBF";
    static const char *const pieces[] = {"a",        "bc",
                                         ",",        "\"",
                                         "\"\"",     "\n",
                                         "\r\n",     "\r",
                                         "华北",     "\xEF\xBB\xBF",
                                         "\xE5\x8D", "\xFF",
                                         "\xC0\x80", "\xF0\x9F\x98\x80"};
    char data[400];
    for (int iter = 0; iter < 6000; iter++) {
        size_t n = 0, want = rnd(120);
        while (n < want) {
            if (iter % 2) { /* single bytes, or pieces that look like CSV */
                data[n++] = alphabet[rnd(sizeof alphabet - 1)];
            } else {
                const char *p = pieces[rnd(sizeof pieces / sizeof pieces[0])];
                memcpy(data + n, p, strlen(p));
                n += strlen(p);
            }
        }
        char *ref = ref_dump(data, n);
        char *got = dump_mem(data, n, 1 + rnd(9), 0);
        if (strcmp(got, ref) != 0)
            print_error("input of %zu bytes differs from the reference\n", n);
        assert_string_equal(got, ref);
        free(got);
        free(ref);
        size_t max_field = 1 + rnd(12);
        char *first = dump_mem(data, n, 0, max_field);
        for (int k = 0; k < 3; k++) {
            got = dump_mem(data, n, 1 + rnd(9), max_field);
            assert_string_equal(got, first);
            free(got);
        }
        free(first);
    }
}

/* A valid 3 MiB field passes with a 4 MiB limit and small blocks. */
static void test_long_field_across_blocks(void **state)
{
    (void)state;
    size_t n = (size_t)3 << 20;
    char *s = repeat('q', n + 8);
    memcpy(s, "a,\"", 3);
    memcpy(s + n, "\"\"\",b\n", 6); /* ends with an escaped quote */
    CsvReader *r = csv_open_mem(s, n + 6);
    csv_set_max_field(r, (size_t)4 << 20);
    csv_set_block_size(r, 4093);
    CsvRow row;
    assert_int_equal(csv_next(r, &row), 1);
    assert_int_equal(row.nfields, 3);
    assert_int_equal(row.lens[1], n - 3 + 1);
    assert_int_equal(row.fields[1][n - 3], '"');
    assert_int_equal(row.fields[1][0], 'q');
    assert_string_equal(row.fields[2], "b");
    assert_int_equal(csv_next(r, &row), 0);
    csv_close(r);
    free(s);
}

/* Many rows with a block that is not a multiple of the row length. */
static void test_many_rows(void **state)
{
    (void)state;
    Text t = {NULL, 0, 0};
    char line[80];
    puts_(&t, "date,rep_id,region,product,amount\n");
    for (int i = 0; i < 20000; i++) {
        snprintf(line, sizeof line, "2027-%02d-%02d,R%06d,%s,P%02d,%d.%02d\n", 1 + i % 12,
                 1 + i % 28, i, i % 2 ? "华北" : "西部", i % 20, i, i % 100);
        puts_(&t, line);
    }
    static const size_t bs[] = {0, 1000, 4096, 64};
    for (size_t b = 0; b < 4; b++) {
        CsvReader *r = csv_open_mem(t.s, t.len);
        if (bs[b])
            csv_set_block_size(r, bs[b]);
        CsvRow row;
        long rows = 0;
        while (csv_next(r, &row) == 1) {
            assert_int_equal(row.nfields, 5);
            assert_int_equal(row.line, rows + 1);
            if (rows > 0) {
                snprintf(line, sizeof line, "R%06ld", rows - 1);
                assert_string_equal(row.fields[1], line);
                assert_string_equal(row.fields[2], (rows - 1) % 2 ? "华北" : "西部");
            }
            rows++;
        }
        assert_null(csv_error(r, NULL, NULL));
        assert_int_equal(rows, 20001);
        csv_close(r);
    }
    free(t.s);
}

/* ---- ranges: csv_set_range, csv_tell, csv_split ---- */

/* The dump of bytes [off, off + len) of data as a range starting on line. */
static char *dump_range(const char *data, size_t n, long long off, long long len, long line,
                        size_t block)
{
    CsvReader *r = csv_open_mem(data, n);
    csv_set_range(r, off, len, line);
    if (block)
        csv_set_block_size(r, block);
    char *s = dump_reader(r);
    csv_close(r);
    return s;
}

/* The record boundaries of data (csv_tell before each record and after the
 * last), their lines, and the dump line of each record. */
typedef struct {
    long long at[64];
    long line[64];
    char *rec[64];
    int n; /* records */
} Bounds;

static void bounds_of(const char *data, size_t len, Bounds *b)
{
    char *all = dump_mem(data, len, 0, 0), *p = all;
    CsvReader *r = csv_open_mem(data, len);
    CsvRow row;
    b->n = 0;
    b->at[0] = csv_tell(r, &b->line[0]);
    while (csv_next(r, &row) == 1) {
        assert_true(b->n < 63);
        char *nl = strchr(p, '\n');
        assert_non_null(nl);
        b->rec[b->n] = strndup(p, (size_t)(nl + 1 - p));
        p = nl + 1;
        b->n++;
        b->at[b->n] = csv_tell(r, &b->line[b->n]);
    }
    assert_string_equal(p, "EOF");
    csv_close(r);
    free(all);
}

static void bounds_free(Bounds *b)
{
    for (int i = 0; i < b->n; i++)
        free(b->rec[i]);
}

/* Every range between two record boundaries gives exactly the records
 * between them, with their lines, at any block size; a byte order mark
 * is skipped only at offset 0. */
static void test_range_records(void **state)
{
    (void)state;
    static const char text[] = "\xEF\xBB\xBFh1,h2\na,b\n\"x\ny\",\"\"\"z\"\r\n"
                               "\xEF\xBB\xBF"
                               "c,d\n\n\"\n\",华北\ne,f";
    Bounds b;
    bounds_of(text, sizeof text - 1, &b);
    assert_int_equal(b.n, 7);
    assert_int_equal(b.at[1], 9); /* after the BOM and "h1,h2\n" */
    assert_int_equal(b.at[2], 13);
    assert_int_equal(b.line[3], 5);
    assert_string_equal(b.rec[3], "5:[\xEF\xBB\xBF"
                                  "c][d]\n"); /* not at the start: a character */
    assert_int_equal(b.at[7], (long long)sizeof text - 1);
    for (int i = 0; i <= b.n; i++)
        for (int j = i; j <= b.n; j++) {
            Text want = {NULL, 0, 0};
            puts_(&want, "");
            for (int k = i; k < j; k++)
                puts_(&want, b.rec[k]);
            puts_(&want, "EOF");
            for (size_t bl = 0; bl < sizeof blocks / sizeof blocks[0]; bl++) {
                long long len = j == b.n && bl % 2 ? -1 : b.at[j] - b.at[i];
                char *got = dump_range(text, sizeof text - 1, b.at[i], len, b.line[i], blocks[bl]);
                if (strcmp(got, want.s) != 0)
                    print_error("range %d..%d block %zu\n", i, j, blocks[bl]);
                assert_string_equal(got, want.s);
                free(got);
            }
            free(want.s);
        }
    bounds_free(&b);
    /* offset 0 skips the BOM; an offset past the end is an empty input */
    char *got = dump_range(text, sizeof text - 1, 0, 12, 1, 0);
    assert_string_equal(got, "1:[h1][h2]\n2:[a][b]\nEOF");
    free(got);
    got = dump_range(text, sizeof text - 1, 1000, -1, 9, 0);
    assert_string_equal(got, "EOF");
    free(got);
}

/* An error in a range is the whole input's, at the same line and column;
 * the end of a range is the end of input. */
static void test_range_errors(void **state)
{
    (void)state;
    static const char text[] = "h\n1\n\"a\nb\",x\n2,\xff\n3,\"open\n4\n";
    char *all = dump_mem(text, sizeof text - 1, 0, 0);
    assert_string_equal(all, "1:[h]\n2:[1]\n3:[a\\nb][x]\nERR 5:3 invalid UTF-8 byte 0xff "
                             "(save the file as UTF-8, not GBK or Latin-1)");
    const char *from = strstr(text, "\"a"); /* line 3 */
    char *got = dump_range(text, sizeof text - 1, from - text, -1, 3, 2);
    assert_string_equal(got, strstr(all, "3:"));
    free(got);
    free(all);
    from = strstr(text, "3,"); /* line 6: the quote is open at the range's end */
    got = dump_range(text, sizeof text - 1, from - text, 10, 6, 0);
    assert_string_equal(got, "ERR 6:3 unterminated quoted field starting at line 6");
    free(got);
    got = dump_range(text, sizeof text - 1, from - text, 2, 6, 0); /* "3," */
    assert_string_equal(got, "6:[3][]\nEOF");
    free(got);
}

/* Writes text to a new temporary file; its path is in path. */
static void temp_file(char *path, const char *text, size_t len)
{
    strcpy(path, "/tmp/test_csv_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    assert_int_equal(close(fd), 0);
}

/* Reads bytes [from, len) of the file at path split into n ranges, each
 * numbered from the line the one before it ended on (csv_tell): their dumps
 * put together, without the EOF of all but the last.  *bad: the first range
 * before the last whose reading ended in an error (the dump then ends
 * there), or -1. */
static char *dump_split(const char *path, long long from, long long len, long line, int n,
                        CsvRange *rg, int *bad)
{
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(csv_split(fd, from, len, line, n, rg), 0);
    close(fd);
    Text t = {NULL, 0, 0};
    puts_(&t, "");
    *bad = -1;
    for (int k = 0; k < n && *bad < 0; k++) {
        assert_int_equal(rg[k].offset, k ? rg[k - 1].offset + rg[k - 1].length : from);
        assert_int_equal(rg[k].line, k ? 1 : line);
        assert_true(rg[k].length >= 0);
        CsvReader *r = csv_open(path, NULL);
        assert_non_null(r);
        csv_set_range(r, rg[k].offset, rg[k].length, line);
        csv_set_block_size(r, 1 + rnd(50));
        char *d = dump_reader(r);
        long long end = csv_tell(r, &line);
        csv_close(r);
        size_t dl = strlen(d);
        bool last = k == n - 1;
        if (!last && dl >= 3 && strcmp(d + dl - 3, "EOF") == 0) {
            d[dl - 3] = 0;
            assert_int_equal(end, rg[k].offset + rg[k].length);
        } else if (!last) {
            *bad = k;
        }
        puts_(&t, d);
        free(d);
    }
    assert_int_equal(rg[n - 1].offset + rg[n - 1].length, len);
    return t.s;
}

/* Random well-formed documents (quotes, "" and line ends in fields, CRLF,
 * blank lines, UTF-8) split into 1..7 ranges after their first record:
 * every cut is just after a line feed from an n-th of the way on; where
 * every range before the last is read without an error, they read the same
 * as the document in one piece, with the same lines, and every cut is a
 * record boundary; where one is not, its end is not a record boundary
 * (a line feed in quotes).  Both happen. */
static void test_split_random(void **state)
{
    (void)state;
    char path[32];
    CsvRange rg[8];
    int clean = 0, in_record = 0;
    for (int doc = 0; doc < 200; doc++) {
        Text csv = {NULL, 0, 0};
        puts_(&csv, "");
        int nrec = 1 + (int)rnd(30);
        for (int rec = 0; rec < nrec; rec++) {
            int nf = rnd(6) == 0 ? 0 : 1 + (int)rnd(4); /* 0: a blank line */
            Text raw = {NULL, 0, 0};
            for (int f = 0; f < nf; f++) {
                if (f)
                    puts_(&csv, ",");
                random_field(&raw, &csv);
            }
            free(raw.s);
            puts_(&csv, rnd(3) ? "\n" : "\r\n");
        }
        Bounds b;
        bounds_of(csv.s, csv.len, &b);
        char *whole = dump_mem(csv.s, csv.len, 0, 0);
        temp_file(path, csv.s, csv.len);
        for (int n = 1; n <= 7; n++) {
            int bad;
            char *got = dump_split(path, b.at[1], (long long)csv.len, b.line[1], n, rg, &bad);
            long long span = (long long)csv.len - b.at[1];
            for (int k = 1; k < n; k++) { /* just after a '\n' from the k-th n-th on */
                long long at = b.at[1] + span / n * k + span % n * k / n;
                if (at <= rg[k - 1].offset) /* the last cut is past this one's place */
                    assert_int_equal(rg[k].offset, rg[k - 1].offset);
                else if (rg[k].offset < (long long)csv.len)
                    assert_true(rg[k].offset > at && csv.s[rg[k].offset - 1] == '\n');
                else /* at the end: after the last '\n', or there is none */
                    assert_true(csv.s[csv.len - 1] == '\n' ||
                                !memchr(csv.s + at, '\n', csv.len - (size_t)at));
            }
            if (bad >= 0) { /* its end is inside a record */
                free(got);
                in_record++;
                long long end = rg[bad].offset + rg[bad].length;
                for (int i = 0; i <= b.n; i++)
                    assert_true(b.at[i] != end);
                continue;
            }
            clean++;
            if (strcmp(got, strchr(whole, '\n') + 1) != 0)
                print_error("doc %d, %d ranges:\n%s\n", doc, n, csv.s);
            assert_string_equal(got, strchr(whole, '\n') + 1);
            free(got);
            for (int k = 0; k < n; k++) { /* at a boundary */
                int i = 0;
                while (i < b.n && b.at[i] < rg[k].offset)
                    i++;
                assert_int_equal(b.at[i], rg[k].offset);
            }
        }
        unlink(path);
        free(whole);
        bounds_free(&b);
        free(csv.s);
    }
    assert_true(clean > 100);
    assert_true(in_record > 10);
}

/* The cut at a quarter of a file whose records have a quoted field over
 * three lines: the quote state there is guessed from what follows (a '"'
 * in the middle of a field cannot be an opening one), and the cut is where
 * a record ends; without quotes, the first line feed. */
static void test_split_guess(void **state)
{
    (void)state;
    Text t = {NULL, 0, 0};
    puts_(&t, "a,b,note\n");
    for (int i = 0; i < 400; i++) {
        char row[80];
        snprintf(row, sizeof row, "%d,x,\"one \"\"q\"\"\ntwo, more\nthree\"\r\n", i);
        puts_(&t, row);
    }
    char path[32];
    temp_file(path, t.s, t.len);
    int fd = open(path, O_RDONLY);
    CsvRange rg[4];
    assert_int_equal(csv_split(fd, 9, (long long)t.len, 2, 4, rg), 0);
    for (int k = 1; k < 4; k++) { /* a record starts there: "<number>," */
        const char *at = t.s + rg[k].offset;
        assert_true(at[-1] == '\n' && at[-2] == '\r' && at[-3] == '"');
        assert_true(at[0] >= '0' && at[0] <= '9');
    }
    char *whole = dump_mem(t.s, t.len, 0, 0);
    int bad;
    char *got = dump_split(path, 9, (long long)t.len, 2, 4, rg, &bad);
    assert_int_equal(bad, -1);
    assert_string_equal(got, strchr(whole, '\n') + 1);
    free(got);
    free(whole);
    close(fd);
    unlink(path);
    free(t.s);
    /* no quotes: the first line feed from a quarter on */
    temp_file(path, "h\n111\n222\n333\n444\n555\n666\n777\n888\n", 34);
    fd = open(path, O_RDONLY);
    assert_int_equal(csv_split(fd, 2, 34, 2, 4, rg), 0);
    assert_int_equal(rg[1].offset, 14); /* the first quarter ends at 10: "333\n" at 13 */
    assert_int_equal(rg[2].offset, 22);
    assert_int_equal(rg[3].offset, 30);
    close(fd);
    unlink(path);
}

/* A quoted field over most of the file, without quotes for longer than
 * the bytes read to guess: the cuts fall in it, and the range before each
 * ends in an error at its end; a cut with no line feed after its place is
 * at the end (empty ranges); a pipe cannot be split. */
static void test_split_long_quoted(void **state)
{
    (void)state;
    Text t = {NULL, 0, 0};
    puts_(&t, "h\n1,\"");
    for (int i = 0; i < 30000; i++)
        puts_(&t, "abcdefg\n");
    puts_(&t, "\"\n2,x");
    char path[32];
    CsvRange rg[4];
    temp_file(path, t.s, t.len);
    int fd = open(path, O_RDONLY);
    assert_int_equal(csv_split(fd, 2, (long long)t.len, 2, 4, rg), 0);
    assert_int_equal(rg[0].offset, 2);
    assert_int_equal(rg[0].line, 2);
    for (int k = 1; k < 4; k++) {
        assert_int_equal(rg[k].line, 1);
        assert_true(rg[k].offset < (long long)t.len - 6); /* in the quotes */
        assert_int_equal(t.s[rg[k].offset - 1], '\n');
    }
    CsvReader *r = csv_open(path, NULL);
    csv_set_range(r, rg[0].offset, rg[0].length, 2);
    char *d = dump_reader(r);
    assert_string_equal(d, "ERR 2:3 unterminated quoted field starting at line 2");
    free(d);
    csv_close(r);
    close(fd);
    /* no line feed after the last quarter's place: the cuts are at the end */
    temp_file(path, "h\n1\n2\n3,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 46);
    fd = open(path, O_RDONLY);
    assert_int_equal(csv_split(fd, 2, 46, 2, 4, rg), 0);
    assert_int_equal(rg[0].length, 44);
    for (int k = 1; k < 4; k++) {
        assert_int_equal(rg[k].offset, 46);
        assert_int_equal(rg[k].length, 0);
    }
    close(fd);
    unlink(path);
    free(t.s);
    int p[2];
    assert_int_equal(pipe(p), 0);
    assert_int_equal(write(p[1], "a\nb\n", 4), 4);
    assert_int_equal(csv_split(p[0], 0, 4, 1, 2, rg), -1);
    assert_int_equal(errno, ESPIPE);
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_quoted_comma),
        cmocka_unit_test(test_quoted_newline),
        cmocka_unit_test(test_escaped_quotes),
        cmocka_unit_test(test_empty_fields),
        cmocka_unit_test(test_no_trailing_newline),
        cmocka_unit_test(test_empty_lines),
        cmocka_unit_test(test_chinese),
        cmocka_unit_test(test_utf8_valid_edges),
        cmocka_unit_test(test_err_unterminated),
        cmocka_unit_test(test_err_quote_in_unquoted),
        cmocka_unit_test(test_err_text_after_quote),
        cmocka_unit_test(test_err_bare_cr),
        cmocka_unit_test(test_err_invalid_utf8),
        cmocka_unit_test(test_err_nul),
        cmocka_unit_test(test_err_field_too_long),
        cmocka_unit_test(test_err_3mib_field),
        cmocka_unit_test(test_err_endless_field_bounded),
        cmocka_unit_test(test_err_too_many_fields),
        cmocka_unit_test(test_err_record_too_long),
        cmocka_unit_test(test_sticky_status),
        cmocka_unit_test(test_open_missing_file),
        cmocka_unit_test(test_open_file_and_fd),
        cmocka_unit_test(test_block_boundaries),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_long_field_across_blocks),
        cmocka_unit_test(test_many_rows),
        cmocka_unit_test(test_range_records),
        cmocka_unit_test(test_range_errors),
        cmocka_unit_test(test_split_random),
        cmocka_unit_test(test_split_guess),
        cmocka_unit_test(test_split_long_quoted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
