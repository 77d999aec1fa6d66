/* w1_ref.c - straightforward C reference implementation of workload W1 (see ../W1.md).
 * Vendored unchanged (apart from these two lines) from the shared W1 peer benchmark, bench/peers/w1_ref.c
 * (W1.md there defines the workload); a fresh clone builds it from here (tests/w1/run.sh).
 *
 * usage: w1_ref DATA_DIR OUT_CSV
 * One pass over actuals.csv with read(2) into a 1 MiB buffer, hand-written
 * field parsing, an open-addressing hash table keyed by the rep_id string,
 * integer cents throughout (no floating point anywhere).
 * build: gcc -O2 -o w1_ref w1_ref.c
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXID 32

/* Every keyed record starts with this layout, so one hash table type serves reps and teams. */
typedef struct { char id[MAXID]; uint32_t idlen; } key_t_;

typedef struct {
    key_t_ key;
    int team;
    int64_t target[4], actual[4];   /* cents */
} rep_t;

/* Open addressing, linear probing, load factor <= 1/2.  A slot holds 32 hash bits and
   the record index (8 bytes: the table for 10k reps stays in L2); the key itself is
   compared in the record array. */
typedef struct { uint32_t h; int32_t idx; } slot_t;   /* idx < 0: empty */
typedef struct { slot_t *s; size_t mask; const char *base; size_t stride; } hmap_t;

static void die(const char *m) { perror(m); exit(1); }

static uint64_t hash_bytes(const char *p, size_t n) {   /* FNV-1a */
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) { h ^= (unsigned char)p[i]; h *= 1099511628211ULL; }
    return h;
}
static void hmap_init(hmap_t *m, size_t max_keys, const void *base, size_t stride) {
    size_t c = 16; while (c < max_keys * 2) c <<= 1;
    m->s = malloc(c * sizeof(slot_t)); if (!m->s) die("malloc");
    for (size_t i = 0; i < c; i++) m->s[i].idx = -1;
    m->mask = c - 1; m->base = base; m->stride = stride;
}
/* Look key k up; if absent and insert_idx >= 0, record it under insert_idx (the caller has
   already written the key into record insert_idx).  Returns the index, or -1. */
static int hmap_get(const hmap_t *m, const char *k, size_t n, int insert_idx) {
    uint64_t h = hash_bytes(k, n);
    uint32_t tag = (uint32_t)(h >> 32);
    for (size_t i = (size_t)h & m->mask;; i = (i + 1) & m->mask) {
        slot_t *s = &m->s[i];
        if (s->idx < 0) {
            if (insert_idx >= 0) { s->h = tag; s->idx = insert_idx; }
            return insert_idx;
        }
        if (s->h == tag) {
            const key_t_ *key = (const key_t_ *)(m->base + (size_t)s->idx * m->stride);
            if (key->idlen == n && memcmp(key->id, k, n) == 0) return s->idx;
        }
    }
}
static void set_key(key_t_ *key, const char *k, size_t n) {
    if (n >= MAXID) { fprintf(stderr, "id too long\n"); exit(1); }
    memcpy(key->id, k, n); key->id[n] = 0; key->idlen = (uint32_t)n;
}

/* parse a decimal like -123.45 / 7 / 7.5 into cents (exact for up to 2 decimals) */
static int64_t parse_cents(const char *p, const char *end) {
    int neg = 0, frac = -1; int64_t v = 0;
    if (p < end && (*p == '-' || *p == '+')) { neg = (*p == '-'); p++; }
    for (; p < end; p++) {
        if (*p == '.') { frac = 0; continue; }
        if (*p < '0' || *p > '9') break;
        if (frac >= 0) { if (frac == 2) break; frac++; }
        v = v * 10 + (*p - '0');
    }
    if (frac < 0) frac = 0;
    for (; frac < 2; frac++) v *= 10;
    return neg ? -v : v;
}

/* whole-file read for the two small files */
static char *slurp(const char *path, size_t *len) {
    int fd = open(path, O_RDONLY); if (fd < 0) die(path);
    size_t cap = 1 << 20, n = 0; char *b = malloc(cap);
    for (;;) {
        if (n == cap) { cap *= 2; b = realloc(b, cap); if (!b) die("realloc"); }
        ssize_t r = read(fd, b + n, cap - n);
        if (r < 0) die("read");
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd); *len = n; return b;
}
/* split line [p,e) at commas into up to nf fields; returns the field count */
static int split(const char *p, const char *e, const char **fs, const char **fe, int nf) {
    int k = 0; fs[0] = p;
    for (const char *q = p; q < e; q++)
        if (*q == ',') { if (k + 1 >= nf) break; fe[k] = q; fs[++k] = q + 1; }
    fe[k] = e; return k + 1;
}
/* iterate the data lines (header skipped) of an in-memory file */
#define FOR_LINES(b, len, p, le)                                                             \
    for (const char *p = next_line(b, b + len), *le_ = NULL, *le = NULL; p < b + len;        \
         p = next_line(p, b + len))                                                          \
        if ((le_ = memchr(p, '\n', (size_t)(b + len - p)), le = le_ ? le_ : b + len,         \
             le = (le > p && le[-1] == '\r') ? le - 1 : le, le > p))
static const char *next_line(const char *p, const char *end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    return nl ? nl + 1 : end;
}

static rep_t *reps;
static int cmp_rep(const void *a, const void *b) { return strcmp(reps[*(const int *)a].key.id, reps[*(const int *)b].key.id); }

static char *fmt_cents(char *buf, int64_t c) {   /* always 2 decimals; '-' only for nonzero negatives */
    const char *sg = c < 0 ? "-" : ""; if (c < 0) c = -c;
    sprintf(buf, "%s%lld.%02lld", sg, (long long)(c / 100), (long long)(c % 100)); return buf;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s DATA_DIR OUT_CSV\n", argv[0]); return 2; }
    char path[4096]; size_t len; char *b;
    const char *fs[8], *fe[8];

    /* reps.csv: rep_id,team,region,base_salary */
    snprintf(path, sizeof path, "%s/reps.csv", argv[1]);
    b = slurp(path, &len);
    size_t max_reps = 1;
    for (size_t i = 0; i < len; i++) max_reps += (b[i] == '\n');
    reps = calloc(max_reps, sizeof(rep_t));
    key_t_ *teams = calloc(max_reps, sizeof(key_t_));
    if (!reps || !teams) die("calloc");
    hmap_t rep_map, team_map;
    hmap_init(&rep_map, max_reps, reps, sizeof(rep_t));
    hmap_init(&team_map, max_reps, teams, sizeof(key_t_));
    int n_reps = 0, n_teams = 0;
    FOR_LINES(b, len, p, le) {
        if (split(p, le, fs, fe, 4) < 2) { fprintf(stderr, "bad reps line\n"); return 1; }
        rep_t *r = &reps[n_reps];
        set_key(&r->key, fs[0], (size_t)(fe[0] - fs[0]));
        if (hmap_get(&rep_map, fs[0], r->key.idlen, n_reps) != n_reps) { fprintf(stderr, "duplicate rep\n"); return 1; }
        set_key(&teams[n_teams], fs[1], (size_t)(fe[1] - fs[1]));
        r->team = hmap_get(&team_map, fs[1], teams[n_teams].idlen, n_teams);
        if (r->team == n_teams) n_teams++;
        n_reps++;
    }
    free(b);

    /* targets.csv: rep_id,month,target */
    snprintf(path, sizeof path, "%s/targets.csv", argv[1]);
    b = slurp(path, &len);
    FOR_LINES(b, len, p, le) {
        if (split(p, le, fs, fe, 3) != 3) { fprintf(stderr, "bad targets line\n"); return 1; }
        int ri = hmap_get(&rep_map, fs[0], (size_t)(fe[0] - fs[0]), -1);
        if (ri < 0) continue;                               /* target of an unknown rep: ignored */
        int month = atoi(fs[1]);
        if (month < 1 || month > 12) { fprintf(stderr, "bad month\n"); return 1; }
        reps[ri].target[(month - 1) / 3] += parse_cents(fs[2], fe[2]);
    }
    free(b);

    /* actuals.csv: date,rep_id,region,product,amount - streamed in 1 MiB reads */
    snprintf(path, sizeof path, "%s/actuals.csv", argv[1]);
    int fd = open(path, O_RDONLY); if (fd < 0) die(path);
    size_t bufcap = 1 << 20, have = 0; char *buf = malloc(bufcap + 1);
    int header = 1; long long unknown = 0;
    for (;;) {
        ssize_t r = read(fd, buf + have, bufcap - have);
        if (r < 0) die("read");
        int eof = (r == 0);
        have += (size_t)r;
        char *end = buf + have, *line = buf;
        if (eof && have && end[-1] != '\n') { *end++ = '\n'; have++; }   /* last line without newline */
        for (char *nl; (nl = memchr(line, '\n', (size_t)(end - line))); line = nl + 1) {
            char *le = (nl > line && nl[-1] == '\r') ? nl - 1 : nl;
            if (header) { header = 0; continue; }
            if (le - line < 12) continue;                   /* blank or short line */
            int month = (line[5] - '0') * 10 + (line[6] - '0'); /* YYYY-MM-DD */
            const char *id = line + 11;                     /* after "YYYY-MM-DD," */
            const char *ide = memchr(id, ',', (size_t)(le - id));
            if (!ide || month < 1 || month > 12) { fprintf(stderr, "bad actuals line\n"); return 1; }
            const char *amt = le;                           /* amount = last field */
            while (amt > ide && amt[-1] != ',') amt--;
            int ri = hmap_get(&rep_map, id, (size_t)(ide - id), -1);
            if (ri >= 0) reps[ri].actual[(month - 1) / 3] += parse_cents(amt, le);
            else unknown++;
        }
        size_t rest = (size_t)(end - line);
        memmove(buf, line, rest); have = rest;
        if (eof) break;
        if (have == bufcap) { fprintf(stderr, "line too long\n"); return 1; }
    }
    close(fd); free(buf);
    if (unknown) fprintf(stderr, "warning: %lld actuals rows of unknown reps ignored\n", unknown);

    /* team sums */
    int64_t (*team_a)[4] = calloc((size_t)n_teams + 1, sizeof *team_a);
    int64_t (*team_t)[4] = calloc((size_t)n_teams + 1, sizeof *team_t);
    for (int i = 0; i < n_reps; i++)
        for (int q = 0; q < 4; q++) { team_a[reps[i].team][q] += reps[i].actual[q]; team_t[reps[i].team][q] += reps[i].target[q]; }

    int *order = malloc(sizeof(int) * (size_t)n_reps);
    for (int i = 0; i < n_reps; i++) order[i] = i;
    qsort(order, (size_t)n_reps, sizeof(int), cmp_rep);

    FILE *out = fopen(argv[2], "w"); if (!out) die(argv[2]);
    static char obuf[1 << 16]; setvbuf(out, obuf, _IOFBF, sizeof obuf);
    fputs("rep_id,quarter,target,actual,attainment,commission,kicker,payout,status\n", out);
    char s1[32], s2[32], s3[32], s4[32], s5[32], attbuf[40];
    for (int k = 0; k < n_reps; k++) {
        const rep_t *r = &reps[order[k]];
        for (int q = 0; q < 4; q++) {
            int64_t A = r->actual[q], T = r->target[q];
            if (T <= 0) { fprintf(stderr, "rep %s Q%d: target is not positive\n", r->key.id, q + 1); return 1; }
            /* attainment = A/T rounded half away from zero to 4 decimals */
            int64_t aa = A < 0 ? -A : A;
            int64_t att = (aa * 20000 + T) / (2 * T);
            sprintf(attbuf, "%s%lld.%04lld", (A < 0 && att) ? "-" : "", (long long)(att / 10000), (long long)(att % 10000));
            /* X = 500 * (exact commission in cents): brackets at 4T and 5T on the 5A scale */
            int64_t X = 0;
            if (A > 0) {
                int64_t A5 = 5 * A, b1 = 4 * T, b2 = 5 * T;
                X = (A5 < b1 ? A5 : b1)
                  + 3 * (A5 > b1 ? ((A5 < b2 ? A5 : b2) - b1) : 0)
                  + 5 * (A5 > b2 ? A5 - b2 : 0);
            }
            int kick = 5 * team_a[r->team][q] >= 4 * team_t[r->team][q];
            int64_t comm = (X + 250) / 500;                          /* half-up to cents */
            int64_t kicker = kick ? (X + 2500) / 5000 : 0;           /* kicker = X / 5000 cents */
            int64_t payout = ((kick ? 11 : 10) * X + 2500) / 5000;   /* (commission + kicker), then rounded */
            const char *status = A >= T ? "green" : (10 * A >= 9 * T ? "amber" : "red");
            fprintf(out, "%s,Q%d,%s,%s,%s,%s,%s,%s,%s\n", r->key.id, q + 1, fmt_cents(s1, T), fmt_cents(s2, A), attbuf,
                    fmt_cents(s3, comm), fmt_cents(s4, kicker), fmt_cents(s5, payout), status);
        }
    }
    if (fclose(out)) die("fclose");
    return 0;
}
