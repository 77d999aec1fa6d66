/* roster_image.c -- a dimension's members from a roster file, kept to be
 * made again without reading the file (the REPL evaluates the plan afresh
 * after every what-if; its roster of 100,000 reps is the same each time).
 *
 * An image is a copy of the members, their attributes and the dimension's
 * name tables, with every string in one block and every pointer inside the
 * image: making the members of a new Program copies the blocks into its
 * arena and moves each pointer by the distance between the copies.  No
 * name is normalised, checked or looked up again, and nothing is shared:
 * an image can be replaced or freed while Programs made from it live.
 *
 * An image is taken only of a roster that gave no diagnostic at all and
 * whose file had the same bytes before and after the read.  It is kept
 * for the declaration's text (levels, mapping, path) in its directory, one
 * image each (the older replaced; ROSTER_IMAGES_MAX in all, the oldest
 * dropped), and used only while that file, opened with the same checks as
 * the read, has the same bytes: its size and two 64-bit digests of them.
 * Reading and hashing is a small part of parsing and checking every row,
 * and a file rewritten within the file system's time resolution is not
 * taken for the old one.  So a Program made from an image has the
 * members, and the diagnostics (none), a fresh read would give.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check/check_int.h"
#include "data/source.h"

typedef struct {
    char *key;      /* the declaration's directory and text: one image each */
    long long size; /* the file's size and digests when it was read */
    uint64_t digest[2];
    char *strs;
    size_t nstrs;
    Member *mem;
    size_t n;
    Attr *attrs; /* every member's attributes, in order */
    size_t nattrs;
    Attr *firsts; /* the first definition of each attribute name (attr_names) */
    size_t nfirsts;
    StrMap by_name, attr_names;
} RosterImage;

struct RosterImages {
    RosterImage *v;
    int n;
    long hits, misses; /* for tests */
};

RosterImages *roster_images_new(void)
{
    return xcalloc(1, sizeof(RosterImages));
}

static void image_free(RosterImage *im)
{
    free(im->key);
    free(im->strs);
    free(im->mem);
    free(im->attrs);
    free(im->firsts);
    strmap_free(&im->by_name);
    strmap_free(&im->attr_names);
}

void roster_images_free(RosterImages *ri)
{
    if (!ri)
        return;
    for (int i = 0; i < ri->n; i++)
        image_free(&ri->v[i]);
    free(ri->v);
    free(ri);
}

void roster_images_counts(const RosterImages *ri, long *hits, long *misses, int *images)
{
    *hits = ri ? ri->hits : 0;
    *misses = ri ? ri->misses : 0;
    *images = ri ? ri->n : 0;
}

/* ---- the key ---- */

/* Two 64-bit digests of the bytes of the regular file at path, and its
 * size, when it is the file id (the one the read's checks opened). */
static bool file_digest(const char *path, FileId id, uint64_t *h, long long *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK); /* never waits on a FIFO */
    if (fd < 0)
        return false;
    struct stat st;
    bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
              (unsigned long long)st.st_dev == id.dev && (unsigned long long)st.st_ino == id.ino;
    uint64_t a = 1469598103934665603u, c = 0x9E3779B97F4A7C15u;
    long long n = 0;
    char buf[(1 << 16) + 8];
    ssize_t k = 0;
    while (ok && (k = read(fd, buf, 1 << 16)) > 0) {
        memset(buf + k, 0, (size_t)(-k & 7)); /* the last word of the file, padded */
        for (ssize_t i = 0; i < k; i += 8) {  /* a word at a time: chunks of 8 bytes */
            uint64_t w;
            memcpy(&w, buf + i, 8);
            a = (a ^ w) * 0x100000001B3u;
            a ^= a >> 29;
            c = (c + w + 1) * 0xBF58476D1CE4E5B9u;
            c ^= c >> 31;
        }
        n += k;
    }
    ok = ok && k == 0;
    close(fd);
    h[0] = a;
    h[1] = c;
    *size = n;
    return ok;
}

int rs_roster_key(R *r, const Node *decl, RosterKey *k)
{
    const Node *pn = decl->c;
    const Source *s = decl->loc.src;
    *k = (RosterKey){0};
    if (!pn || pn->kind != N_STR || !s || !s->text || !pn->loc.src || !pn->loc.src->dir)
        return 0; /* a database source, or text without a directory */
    size_t nids = r->p->files.n;
    RowSource *src = src_open_data(r->p, pn, pn->str); /* the read's own checks and messages */
    if (!src)
        return -1;
    src_close(src);
    if (r->p->files.n != nids + 1)
        return 0;
    Buf path = {0}, b = {0};
    buf_printf(&path, "%s/%s", pn->loc.src->dir, pn->str);
    k->path = path.data;
    k->id = r->p->files.ids[nids]; /* the file opened (fstat) */
    if (!file_digest(k->path, k->id, k->digest, &k->size)) {
        rs_roster_key_free(k);
        return 0; /* not the file just opened */
    }
    size_t a, z;
    ast_source_range(decl, &a, &z);
    buf_printf(&b, "%s\n", pn->loc.src->dir);
    buf_put(&b, s->text + a, z - a);
    buf_cstr(&b);
    k->text = b.data;
    return 0;
}

void rs_roster_key_free(RosterKey *k)
{
    free(k->text);
    free(k->path);
    *k = (RosterKey){0};
}

/* ---- taking an image ---- */

/* The strings of an image: sized first, then copied. */
typedef struct {
    char *v;
    size_t len;
} Strs;

static const char *put_str(Strs *sb, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    if (sb->v)
        memcpy(sb->v + sb->len, s, n);
    const char *at = sb->v ? sb->v + sb->len : NULL;
    sb->len += n;
    return at;
}

/* An attribute's name, once however many members have it (names: the
 * names put so far). */
static const char *put_name(Strs *sb, StrMap *names, const char *s)
{
    const char *at = strmap_get(names, s);
    if (at)
        return sb->v ? at : NULL;
    at = put_str(sb, s);
    strmap_put(names, s, sb->v ? (void *)at : (void *)names); /* sizing: any mark */
    return at;
}

/* The strings of d's members and attributes (sizing: sb->v NULL). */
static void copy_strings(Strs *sb, const Dim *d, RosterImage *im)
{
    StrMap names = {0};
    size_t k = 0;
    for (size_t i = 0; i < d->nmembers; i++) {
        const Member *m = d->members[i];
        const char *name = put_str(sb, m->name), *alias = put_str(sb, m->alias),
                   *label = put_str(sb, m->label);
        if (im) {
            im->mem[i].name = name;
            im->mem[i].alias = alias;
            im->mem[i].label = label;
        }
        for (int j = 0; j < m->nattrs; j++, k++) {
            const char *an = put_name(sb, &names, m->attrs[j].name),
                       *at = put_str(sb, m->attrs[j].text);
            if (im) {
                im->attrs[k].name = an;
                im->attrs[k].text = at;
            }
        }
    }
    for (size_t i = 0; i < d->attr_names.count; i++) {
        const Attr *a = d->attr_names.slots[i].val;
        const char *an = put_name(sb, &names, a->name), *at = put_str(sb, a->text);
        if (im) {
            im->firsts[im->nfirsts].name = an;
            im->firsts[im->nfirsts].text = at;
            im->attr_names.slots[i].key = an; /* the same slot as in d */
            im->attr_names.slots[i].val = &im->firsts[im->nfirsts];
            im->nfirsts++;
        }
    }
    strmap_free(&names);
}

/* Whether d is what an image can hold: members of d in order, attributes
 * with text only, names that map to their own members. */
static bool imageable(const Dim *d)
{
    for (size_t i = 0; i < d->nmembers; i++) {
        const Member *m = d->members[i];
        if (m->dim != d || m->gindex != (int)i || m->pseudo ||
            (m->parent && (m->parent->dim != d || m->parent->gindex >= (int)i)))
            return false;
        for (int j = 0; j < m->nattrs; j++)
            if (m->attrs[j].value || !m->attrs[j].name)
                return false;
    }
    size_t names = 0;
    for (size_t i = 0; i < d->by_name.count; i++) {
        const Member *m = d->by_name.slots[i].val;
        if (m == &member_ambiguous || m->dim != d || d->by_name.slots[i].key != m->name)
            return false;
        names++;
    }
    for (size_t i = 0; i < d->attr_names.count; i++)
        if (!d->attr_names.slots[i].val || ((const Attr *)d->attr_names.slots[i].val)->value)
            return false;
    return names == d->nmembers;
}

/* The image of the declaration's image (NULL: none yet). */
static RosterImage *image_of(RosterImages *ri, const char *text)
{
    for (int i = 0; i < ri->n; i++)
        if (strcmp(ri->v[i].key, text) == 0)
            return &ri->v[i];
    return NULL;
}

void rs_roster_keep(R *r, RosterKey *key, const Dim *d)
{
    RosterImages *ri = r->p->rosters;
    uint64_t after[2];
    long long size;
    if (!key->text || !imageable(d) || !file_digest(key->path, key->id, after, &size) ||
        size != key->size || after[0] != key->digest[0] || after[1] != key->digest[1])
        return; /* or the file changed while it was read: which bytes made d? */
    RosterImage im = {.key = key->text, .size = key->size, .n = d->nmembers};
    memcpy(im.digest, key->digest, sizeof im.digest);
    key->text = NULL; /* the image's now */
    for (size_t i = 0; i < d->nmembers; i++)
        im.nattrs += (size_t)d->members[i]->nattrs;
    Strs sb = {0};
    copy_strings(&sb, d, NULL);
    sb.v = xmalloc(sb.len ? sb.len : 1);
    im.strs = sb.v;
    im.nstrs = sb.len;
    sb.len = 0;
    im.mem = xcalloc(im.n + 1, sizeof *im.mem);
    im.attrs = xcalloc(im.nattrs + 1, sizeof *im.attrs);
    im.firsts = xcalloc(d->attr_names.count + 1, sizeof *im.firsts);
    strmap_same_layout(&im.attr_names, &d->attr_names);
    copy_strings(&sb, d, &im);
    size_t k = 0;
    for (size_t i = 0; i < d->nmembers; i++) {
        const Member *m = d->members[i];
        Member *c = &im.mem[i];
        c->dim = NULL;
        c->depth = m->depth;
        c->parent = m->parent ? &im.mem[m->parent->gindex] : NULL;
        c->attrs = m->nattrs ? &im.attrs[k] : NULL;
        c->nattrs = m->nattrs;
        c->gindex = m->gindex;
        k += (size_t)m->nattrs;
    }
    strmap_same_layout(&im.by_name, &d->by_name); /* each key is its member's name (imageable) */
    for (size_t i = 0; i < d->by_name.count; i++) {
        Member *c = &im.mem[((const Member *)d->by_name.slots[i].val)->gindex];
        im.by_name.slots[i].key = c->name;
        im.by_name.slots[i].val = c;
    }
    RosterImage *old = image_of(ri, im.key); /* one image a declaration: the older goes */
    if (old) {
        image_free(old);
        *old = im;
        return;
    }
    if (ri->n == ROSTER_IMAGES_MAX) { /* the oldest goes */
        image_free(&ri->v[0]);
        memmove(ri->v, ri->v + 1, (size_t)(ri->n - 1) * sizeof *ri->v);
        ri->n--;
    }
    ri->v = xrealloc(ri->v, (size_t)(ri->n + 1) * sizeof *ri->v);
    ri->v[ri->n++] = im;
}

/* ---- making members from an image ---- */

/* p moved from the block [from, from + n) to the one at to; other
 * pointers (NULL) stay. */
static inline const void *moved(const void *p, const void *from, size_t n, void *to)
{
    uintptr_t a = (uintptr_t)p, f = (uintptr_t)from;
    return a >= f && a < f + n ? (char *)to + (a - f) : p;
}

/* A copy of map whose keys and values move with the image's blocks. */
static void copy_map(StrMap *dst, const StrMap *src, const RosterImage *im, char *strs,
                     void *vals_to, const void *vals_from, size_t vals_n)
{
    strmap_same_layout(dst, src);
    for (size_t i = 0; i < src->count; i++) {
        dst->slots[i].key = moved(src->slots[i].key, im->strs, im->nstrs, strs);
        dst->slots[i].val = (void *)moved(src->slots[i].val, vals_from, vals_n, vals_to);
    }
}

/* n attributes of the image copied to dst, their strings moved to strs,
 * at the new plan's `from`. */
static void copy_attrs(Attr *dst, const Attr *src, size_t n, const RosterImage *im, char *strs,
                       Loc at)
{
    for (size_t k = 0; k < n; k++) {
        dst[k] = src[k];
        dst[k].name = moved(src[k].name, im->strs, im->nstrs, strs);
        dst[k].text = moved(src[k].text, im->strs, im->nstrs, strs);
        dst[k].loc = at;
    }
}

bool rs_roster_made(R *r, const RosterKey *key, Dim *d, Loc at)
{
    RosterImages *ri = r->p->rosters;
    const RosterImage *im = key->text ? image_of(ri, key->text) : NULL;
    if (!im || im->size != key->size || im->digest[0] != key->digest[0] ||
        im->digest[1] != key->digest[1]) {
        ri->misses++;
        return false;
    }
    ri->hits++;
    Arena *ar = &r->s->arena;
    char *strs = arena_alloc(ar, im->nstrs ? im->nstrs : 1);
    memcpy(strs, im->strs, im->nstrs);
    Member *mem = arena_alloc(ar, (im->n + 1) * sizeof *mem);
    Attr *attrs = arena_alloc(ar, (im->nattrs + 1) * sizeof *attrs);
    Attr *firsts = arena_alloc(ar, (im->nfirsts + 1) * sizeof *firsts);
    size_t ms = im->n * sizeof *mem, as = im->nattrs * sizeof *attrs;
    copy_attrs(attrs, im->attrs, im->nattrs, im, strs, at);
    copy_attrs(firsts, im->firsts, im->nfirsts, im, strs, at);
    d->cap = im->n ? im->n : 1;
    d->members = xrealloc(d->members, d->cap * sizeof *d->members);
    for (size_t i = 0; i < im->n; i++) {
        const Member *c = &im->mem[i];
        Member *m = &mem[i];
        *m = *c;
        m->name = moved(c->name, im->strs, im->nstrs, strs);
        m->alias = moved(c->alias, im->strs, im->nstrs, strs);
        m->label = moved(c->label, im->strs, im->nstrs, strs);
        m->dim = d;
        m->parent = (Member *)moved(c->parent, im->mem, ms, mem);
        m->attrs = (Attr *)moved(c->attrs, im->attrs, as, attrs);
        m->loc = at;
        d->members[i] = m;
    }
    d->nmembers = im->n;
    strmap_free(&d->by_name);
    strmap_free(&d->attr_names);
    copy_map(&d->by_name, &im->by_name, im, strs, mem, im->mem, ms);
    copy_map(&d->attr_names, &im->attr_names, im, strs, firsts, im->firsts,
             im->nfirsts * sizeof *firsts);
    return true;
}
