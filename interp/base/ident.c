/* ident.c -- NFC forms (utf8proc) and the checks that refuse a name that
 * hides or fakes characters (ICU's spoof checker, UTS #39).  It judges
 * one name or two; which names a plan must compare, and how to report a
 * fault, is its callers' business. */
#include "base/ident.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uclean.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <utf8proc.h>

#include "base/util.h"

/* ---- the checker, once per process ---- */

static USpoofChecker *checker;
static pthread_once_t checker_once = PTHREAD_ONCE_INIT;

static void checker_close(void)
{
    uspoof_close(checker);
    checker = NULL;
    u_cleanup();
}

/* Highly restrictive (UTS #39 §5.2): one script, or Latin with Han and
 * Japanese or Korean; digits of one system. */
static void checker_open(void)
{
    UErrorCode st = U_ZERO_ERROR;
    USpoofChecker *sc = uspoof_open(&st);
    uspoof_setChecks(sc, USPOOF_RESTRICTION_LEVEL | USPOOF_MIXED_NUMBERS, &st);
    uspoof_setRestrictionLevel(sc, USPOOF_HIGHLY_RESTRICTIVE);
    if (U_FAILURE(st)) {
        uspoof_close(sc);
        return; /* no ICU data: the script checks are skipped */
    }
    checker = sc;
    atexit(checker_close);
}

static const USpoofChecker *spoof(void)
{
    pthread_once(&checker_once, checker_open);
    return checker;
}

/* ---- code points ---- */

bool ident_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

char *ident_nfc(const char *s, size_t n)
{
    if (ident_ascii(s, n))
        return NULL;
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t k = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &out,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (k < 0)
        return NULL;
    if ((size_t)k == n && memcmp(out, s, n) == 0) {
        free(out);
        return NULL;
    }
    return (char *)out;
}

/* Decodes the code point at s[*i..n) and moves *i past it; 0xFFFD for an
 * invalid byte. */
static int32_t next_cp(const char *s, size_t n, size_t *i)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t k =
        utf8proc_iterate((const utf8proc_uint8_t *)s + *i, (utf8proc_ssize_t)(n - *i), &c);
    *i += k > 0 ? (size_t)k : 1;
    return k > 0 ? c : 0xFFFD;
}

static bool is_invisible(int32_t c)
{
    return u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) ||
           u_charType(c) == U_SPACE_SEPARATOR;
}

int32_t ident_find_bidi(const char *s, size_t n, int *index)
{
    *index = 0;
    for (size_t i = 0; i < n; (*index)++) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        int32_t c = next_cp(s, n, &i);
        if (u_hasBinaryProperty(c, UCHAR_BIDI_CONTROL))
            return c;
    }
    return 0;
}

/* The code point that makes a prefix of s fail the checks in bits: the
 * last one of the shortest failing prefix (names are short, and this
 * runs only for a name already refused). */
static IdentProblem first_failing(const char *s, int32_t bits, IdentFault fault)
{
    size_t n = strlen(s), i = 0;
    for (int index = 0; i < n; index++) {
        int32_t c = next_cp(s, n, &i);
        UErrorCode st = U_ZERO_ERROR;
        if (uspoof_checkUTF8(spoof(), s, (int32_t)i, NULL, &st) & bits)
            return (IdentProblem){fault, c, index};
    }
    return (IdentProblem){fault, 0xFFFD, 0};
}

IdentProblem ident_check(const char *name)
{
    size_t n = strlen(name);
    if (ident_ascii(name, n))
        return (IdentProblem){IDENT_OK, 0, 0};
    int index = 0;
    for (size_t i = 0; i < n; index++) {
        int32_t c = next_cp(name, n, &i);
        if (u_hasBinaryProperty(c, UCHAR_BIDI_CONTROL))
            return (IdentProblem){IDENT_BIDI, c, index};
        if (is_invisible(c))
            return (IdentProblem){IDENT_INVISIBLE, c, index};
    }
    if (!spoof() || n > INT32_MAX)
        return (IdentProblem){IDENT_OK, 0, 0};
    UErrorCode st = U_ZERO_ERROR;
    int32_t bits = uspoof_checkUTF8(spoof(), name, (int32_t)n, NULL, &st);
    if (U_FAILURE(st))
        return (IdentProblem){IDENT_OK, 0, 0};
    if (bits & USPOOF_RESTRICTION_LEVEL)
        return first_failing(name, USPOOF_RESTRICTION_LEVEL, IDENT_MIXED_SCRIPT);
    if (bits & USPOOF_MIXED_NUMBERS)
        return first_failing(name, USPOOF_MIXED_NUMBERS, IDENT_MIXED_DIGITS);
    return (IdentProblem){IDENT_OK, 0, 0};
}

const char *ident_fault_text(IdentFault f)
{
    switch (f) {
    case IDENT_OK:
        break;
    case IDENT_INVISIBLE:
        return "an invisible character";
    case IDENT_BIDI:
        return "a bidi control";
    case IDENT_MIXED_SCRIPT:
        return "a character of another script";
    case IDENT_MIXED_DIGITS:
        return "a digit of another numbering system";
    }
    return "nothing wrong";
}

const char *ident_fault_hint(IdentFault f)
{
    switch (f) {
    case IDENT_OK:
        break;
    case IDENT_INVISIBLE:
        return "invisible characters make different names look the same; remove it";
    case IDENT_BIDI:
        return "bidi controls make text read differently from what it is (Trojan Source); "
               "remove it";
    case IDENT_MIXED_SCRIPT:
        return "a name mixing scripts can pass for another name; write it in one script "
               "(Latin with Chinese, Japanese or Korean is fine)";
    case IDENT_MIXED_DIGITS:
        return "write the name's digits in one numbering system";
    }
    return "";
}

const char *ident_cp_name(int32_t c, bool with_script, char *buf)
{
    char name[96] = "";
    UErrorCode st = U_ZERO_ERROR;
    u_charName(c, U_EXTENDED_CHAR_NAME, name, (int32_t)sizeof name, &st);
    if (U_FAILURE(st))
        name[0] = '\0';
    UScriptCode sc = uscript_getScript(c, &(UErrorCode){U_ZERO_ERROR});
    const char *script = with_script && sc > USCRIPT_INHERITED ? uscript_getName(sc) : NULL;
    snprintf(buf, IDENT_CP_NAME_SZ, "U+%04X%s%s%s%s", (unsigned)c, name[0] ? " " : "", name,
             script ? ", " : "", script ? script : "");
    return buf;
}

char *ident_skeleton(const char *name)
{
    size_t n = strlen(name);
    if (!spoof() || n > INT32_MAX / 4)
        return NULL;
    int32_t cap = (int32_t)n * 3 + 16;
    for (int tries = 0; tries < 2; tries++) {
        char *out = xmalloc((size_t)cap);
        UErrorCode st = U_ZERO_ERROR;
        int32_t k = uspoof_getSkeletonUTF8(spoof(), 0, name, (int32_t)n, out, cap, &st);
        if (U_SUCCESS(st) && k < cap)
            return out;
        free(out);
        if (st != U_BUFFER_OVERFLOW_ERROR && st != U_STRING_NOT_TERMINATED_WARNING)
            return NULL;
        cap = k + 1;
    }
    return NULL;
}

void ident_first_difference(const char *a, const char *b, int32_t *ca, int32_t *cb, int *index)
{
    size_t na = strlen(a), nb = strlen(b), i = 0, j = 0;
    for (*index = 0;; (*index)++) {
        *ca = i < na ? next_cp(a, na, &i) : 0;
        *cb = j < nb ? next_cp(b, nb, &j) : 0;
        if (*ca != *cb || (!*ca && !*cb))
            return;
    }
}
