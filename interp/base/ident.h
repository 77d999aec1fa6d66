/* ident.h -- what makes a name safe to read and to compare: its NFC form
 * (utf8proc), and why a name is refused: an invisible character, a bidi
 * control, letters of scripts that do not go together, digits of two
 * systems, or (between two names) the same confusable skeleton.  Scripts,
 * skeletons and character names come from ICU's spoof checker (UTS #39),
 * not from tables of our own.
 *
 * Ownership: returned strings are malloc'd and the caller's.  The ICU
 * checker is made once per process (thread-safe) and closed at exit.
 * Pure ASCII names take a fast path and never reach ICU.
 */
#ifndef IDENT_H
#define IDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether the n bytes at s are all ASCII (then s is NFC, has one script
 * and no invisible character). */
bool ident_ascii(const char *s, size_t n);

/* The NFC form of the n bytes at s, malloc'd, or NULL when s already is
 * NFC (always for ASCII) or is not valid UTF-8. */
char *ident_nfc(const char *s, size_t n);

typedef enum {
    IDENT_OK,
    IDENT_INVISIBLE,    /* zero-width, no-break or other space, soft hyphen, BOM, selector... */
    IDENT_BIDI,         /* U+202A-202E, U+2066-2069, LRM, RLM, ALM */
    IDENT_MIXED_SCRIPT, /* e.g. a Cyrillic letter in a Latin name (Han with Latin is fine) */
    IDENT_MIXED_DIGITS, /* digits of two systems */
} IdentFault;

typedef struct {
    IdentFault fault;
    int32_t cp; /* the code point at fault */
    int index;  /* code points before it in the name */
} IdentProblem;

/* Why a name (NUL-terminated UTF-8) is refused; fault IDENT_OK when it
 * is not. */
IdentProblem ident_check(const char *name);

/* The first bidi control in the n bytes at s, or 0; *index gets the code
 * points before it. */
int32_t ident_find_bidi(const char *s, size_t n, int *index);

/* What a fault is, for a message: "an invisible character", ... */
const char *ident_fault_text(IdentFault f);
/* Why it is refused and what to do, for a note. */
const char *ident_fault_hint(IdentFault f);

#define IDENT_CP_NAME_SZ 128
/* "U+0430 CYRILLIC SMALL LETTER A" (and its script for letters of a
 * mixed-script fault: "U+0430 CYRILLIC SMALL LETTER A, Cyrillic") into
 * buf of IDENT_CP_NAME_SZ bytes. */
const char *ident_cp_name(int32_t c, bool with_script, char *buf);

/* The confusable skeleton of name (UTS #39): two names with the same
 * skeleton look alike.  Malloc'd; NULL when ICU cannot make one. */
char *ident_skeleton(const char *name);

/* The first code points where a and b differ (0 past the end of one);
 * *index gets the code points before them. */
void ident_first_difference(const char *a, const char *b, int32_t *ca, int32_t *cb, int *index);

#endif
