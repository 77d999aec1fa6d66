/* util.c -- memory that never returns NULL, arenas, buffers, a string map,
 * UTF-8 helpers and the edit distance behind did-you-mean.  Nothing here
 * knows about plans. */
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
    fputs("salesplan: out of memory\n", stderr);
    exit(2);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        oom();
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* Arena: a list of blocks; big requests get a block of their own. */
struct ArenaBlock {
    ArenaBlock *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

#define ARENA_BLOCK 65536

/* n bytes of the current block of chain *head (a new one when they do not
 * fit), not zeroed, aligned to align (a power of two up to 16). */
static void *arena_take(ArenaBlock **head, size_t n, size_t align)
{
    ArenaBlock *b = *head;
    size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
    if (!b || at > b->cap || b->cap - at < n) {
        size_t cap = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
        b = xmalloc(sizeof *b + cap);
        b->used = 0;
        b->cap = cap;
        if (cap == n && *head) { /* keep the current block for small requests */
            b->next = (*head)->next;
            (*head)->next = b;
        } else {
            b->next = *head;
            *head = b;
        }
        at = 0;
    }
    b->used = at + n;
    return b->data + at;
}

void *arena_alloc(Arena *a, size_t n)
{
    return memset(arena_take(&a->head, n, 16), 0, n);
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
    char *p = arena_take(&a->text, n + 1, 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(Arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_printf(Arena *a, const char *fmt, ...)
{
    Buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *p = arena_strndup(a, buf_cstr(&b), b.len);
    buf_free(&b);
    return p;
}

static void free_chain(ArenaBlock *b)
{
    while (b) {
        ArenaBlock *next = b->next;
        free(b);
        b = next;
    }
}

void arena_free(Arena *a)
{
    free_chain(a->head);
    free_chain(a->text);
    a->head = a->text = NULL;
}

static void buf_grow(Buf *b, size_t extra)
{
    if (b->spill && b->len >= b->spill_at && b->len > 0) {
        b->spill(b->spill_ctx, b->data, b->len);
        b->spilled += b->len;
        b->len = 0;
    }
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

void buf_putc(Buf *b, char c)
{
    buf_grow(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void buf_put(Buf *b, const char *s, size_t n)
{
    buf_grow(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_puts(Buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

void buf_vprintf(Buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    buf_grow(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void buf_printf(Buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

const char *buf_cstr(Buf *b)
{
    return b->data ? b->data : "";
}

void buf_free(Buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* The index position of key (hash h): where its entry number is, or the
 * free position where it would go. */
static size_t strmap_pos(const StrMap *m, const char *key, uint32_t h)
{
    size_t i = (size_t)h & (m->cap - 1);
    for (uint32_t e; (e = m->index[i]) != 0; i = (i + 1) & (m->cap - 1)) {
        const StrMapSlot *s = &m->slots[e - 1];
        if (s->key == key || (s->hash == h && strcmp(s->key, key) == 0))
            break;
    }
    return i;
}

void *strmap_get(const StrMap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    uint32_t e = m->index[strmap_pos(m, key, (uint32_t)hash_str(key))];
    return e ? m->slots[e - 1].val : NULL;
}

/* Twice the index (16 to start with), and room in slots for as many
 * entries as it may index (half its size). */
static void strmap_grow(StrMap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 16;
    if (cap > UINT32_MAX) {
        fputs("salesplan: out of memory\n", stderr);
        exit(2);
    }
    m->slots = xrealloc(m->slots, cap / 2 * sizeof *m->slots);
    free(m->index);
    m->index = xcalloc(cap, sizeof *m->index);
    m->cap = cap;
    for (size_t k = 0; k < m->count; k++) { /* keys are distinct: the first free position */
        size_t j = (size_t)m->slots[k].hash & (cap - 1);
        while (m->index[j])
            j = (j + 1) & (cap - 1);
        m->index[j] = (uint32_t)k + 1;
    }
}

void strmap_same_layout(StrMap *dst, const StrMap *src)
{
    *dst = (StrMap){0};
    if (!src->cap)
        return;
    dst->cap = src->cap;
    dst->count = src->count;
    dst->slots = xcalloc(src->cap / 2, sizeof *dst->slots);
    dst->index = xmalloc(src->cap * sizeof *dst->index);
    memcpy(dst->index, src->index, src->cap * sizeof *dst->index);
    for (size_t i = 0; i < src->count; i++)
        dst->slots[i].hash = src->slots[i].hash;
}

void *strmap_put(StrMap *m, const char *key, void *val)
{
    if ((m->count + 1) * 2 > m->cap)
        strmap_grow(m);
    uint32_t h = (uint32_t)hash_str(key);
    size_t i = strmap_pos(m, key, h);
    if (m->index[i]) {
        StrMapSlot *s = &m->slots[m->index[i] - 1];
        void *old = s->val;
        s->key = key;
        s->val = val;
        return old;
    }
    m->slots[m->count] = (StrMapSlot){key, val, h};
    m->index[i] = (uint32_t)++m->count;
    return NULL;
}

void strmap_free(StrMap *m)
{
    free(m->slots);
    free(m->index);
    m->slots = NULL;
    m->index = NULL;
    m->cap = m->count = 0;
}

/* The length of the sequence lead byte c starts, and the least code point
 * it may encode (shorter forms are overlong); 0 for a byte that cannot lead. */
static size_t lead_length(unsigned c, unsigned *min)
{
    if (c >= 0xC2 && c <= 0xDF) {
        *min = 0x80;
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        *min = 0x800;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        *min = 0x10000;
        return 4;
    }
    return 0;
}

size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    unsigned min;
    size_t len = lead_length(c, &min);
    if (len == 0 || n < len)
        return 0;
    unsigned cp = c & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

size_t utf8_count(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            count++;
    return count;
}

/* The next row of the distance table, for character ca of a at row i;
 * returns the row's least value. */
static int next_row(int *row, int i, char ca, const char *b, size_t lb)
{
    int diag = row[0];
    row[0] = i;
    int best = row[0];
    for (size_t j = 1; j <= lb; j++) {
        int up = row[j];
        int v = diag + (ca == b[j - 1] ? 0 : 1);
        if (up + 1 < v)
            v = up + 1;
        if (row[j - 1] + 1 < v)
            v = row[j - 1] + 1;
        row[j] = v;
        diag = up;
        if (v < best)
            best = v;
    }
    return best;
}

int edit_distance(const char *a, const char *b, int max)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return max + 1;
    if ((la > lb ? la - lb : lb - la) > (size_t)max)
        return max + 1;
    int row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        if (next_row(row, (int)i, a[i - 1], b, lb) > max)
            return max + 1; /* every later row only grows */
    return row[lb] > max ? max + 1 : row[lb];
}
