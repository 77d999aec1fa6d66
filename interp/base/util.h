/* util.h -- allocation that never returns NULL, arenas, growable buffers,
 * and a string hash table.
 *
 * xmalloc and friends print "salesplan: out of memory" and exit(2) on
 * failure.  An Arena owns every block allocated from it; arena_free
 * releases them all at once (AST nodes and token text live in one arena
 * per parsed file; the strings are packed in blocks of their own, so that
 * a pass over names reads few lines and pages).  A Buf owns its bytes until buf_free or buf_detach.
 * A Buf may pass its bytes on as it grows (an output written, never read
 * back): with spill set, once it holds spill_at bytes spill(spill_ctx,
 * data, len) takes them, spilled counts them, and it starts again empty.
 * A StrMap maps NUL-terminated keys (not copied: the caller keeps them
 * alive, usually in an arena) to void* values; freeing it frees only the
 * table.
 */
#ifndef UTIL_H
#define UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

typedef struct ArenaBlock ArenaBlock;
typedef struct {
    ArenaBlock *head;
    ArenaBlock *text; /* strings, packed apart from the structs between them */
} Arena;

void *arena_alloc(Arena *a, size_t n); /* zeroed, 16-byte aligned */
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_strdup(Arena *a, const char *s);
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free(Arena *a);

typedef struct {
    char *data;
    size_t len, cap;
    void (*spill)(void *ctx, const char *data, size_t len); /* NULL: keep everything */
    void *spill_ctx;
    size_t spill_at, spilled;
} Buf;

void buf_putc(Buf *b, char c);
void buf_put(Buf *b, const char *s, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(Buf *b, const char *fmt, va_list ap);
const char *buf_cstr(Buf *b); /* NUL-terminated view (never NULL) */
void buf_free(Buf *b);

typedef struct {
    const char *key;
    void *val;
    uint32_t hash; /* the key's hash: probes compare it before the text, growing reuses it */
} StrMapSlot;

/* The entries in the order they were first put, slots[0 .. count) (a
 * walk over a map goes through them), and an index over them by open
 * addressing with linear probing: index[i] is an entry's number + 1, 0
 * free.  A lookup reads 4 bytes of the index and then the entry; names put
 * one after another (a plan's declarations) sit side by side, so a pass in
 * the plan's order reads them from the cache. */
typedef struct {
    StrMapSlot *slots;
    uint32_t *index;
    size_t cap, count; /* cap: the index's size, a power of two; count <= cap / 2 */
} StrMap;

void *strmap_get(const StrMap *m, const char *key);
/* Sets key to val; returns the previous value or NULL. */
void *strmap_put(StrMap *m, const char *key, void *val);
void strmap_free(StrMap *m);
/* dst: src's index, count and hashes, each slot's key and value NULL for
 * the caller to set, so that dst is laid out as src is (a copy whose keys
 * live elsewhere). */
void strmap_same_layout(StrMap *dst, const StrMap *src);

uint64_t hash_str(const char *s);

/* UTF-8 helpers. */
/* Length in bytes of the valid UTF-8 sequence at s (at most n bytes), or 0
 * when it is invalid (overlong, surrogate, > U+10FFFF, truncated). */
size_t utf8_seq_len(const unsigned char *s, size_t n);
/* Number of code points in s[0..n) (invalid bytes count one each). */
size_t utf8_count(const char *s, size_t n);

/* Levenshtein distance between two UTF-8 strings by bytes, capped at max+1. */
int edit_distance(const char *a, const char *b, int max);

#endif
