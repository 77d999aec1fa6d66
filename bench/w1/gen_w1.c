/* gen_w1.c - deterministic data generator for benchmark workload W1.
 * Vendored unchanged (apart from these two lines) from the shared W1 peer benchmark, bench/gen/gen_w1.c
 * (W1.md there defines the workload); a fresh clone builds it from here (tests/w1/run.sh).
 *
 * usage: gen_w1 N_REPS N_ROWS SEED OUTDIR
 * writes OUTDIR/reps.csv, OUTDIR/targets.csv, OUTDIR/actuals.csv
 *
 * Determinism: all randomness comes from one splitmix64 stream seeded with
 * SEED and consumed in a fixed order (reps, then targets, then actuals);
 * all money arithmetic is integer (cents), so the output is byte-identical
 * for the same arguments on any platform with a C99 compiler.
 * See ../W1.md for the data model.
 * build: gcc -O2 -o gen_w1 gen_w1.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;
static uint64_t next_u64(void) {           /* splitmix64 */
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
/* uniform integer in [0, n) (Lemire multiply-shift, no rejection: tiny bias, deterministic) */
static uint64_t urand(uint64_t n) {
    return (uint64_t)(((unsigned __int128)next_u64() * n) >> 64);
}
/* uniform integer in [lo, hi] */
static int64_t irand(int64_t lo, int64_t hi) { return lo + (int64_t)urand((uint64_t)(hi - lo + 1)); }

static const char *REGIONS[4] = {"华北", "华东", "华南", "西部"};
static const int DIM[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}; /* 2027: not a leap year */

/* ---- buffered output ---- */
typedef struct { FILE *f; char *buf; size_t len, cap; } out_t;
static void out_open(out_t *o, const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    o->f = fopen(path, "wb");
    if (!o->f) { perror(path); exit(1); }
    o->cap = 1 << 20; o->len = 0; o->buf = malloc(o->cap);
}
static void out_flush(out_t *o) { if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len) { perror("fwrite"); exit(1); } o->len = 0; }
static void out_close(out_t *o) { out_flush(o); if (fclose(o->f)) { perror("fclose"); exit(1); } free(o->buf); }
static inline void out_ensure(out_t *o, size_t n) { if (o->len + n > o->cap) out_flush(o); }
static inline void put_str(out_t *o, const char *s) { size_t n = strlen(s); out_ensure(o, n); memcpy(o->buf + o->len, s, n); o->len += n; }
static inline void put_ch(out_t *o, char c) { out_ensure(o, 1); o->buf[o->len++] = c; }
static inline void put_uint(out_t *o, uint64_t v, int width) { /* zero-padded to at least width */
    char tmp[24]; int n = 0;
    do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n < width) tmp[n++] = '0';
    out_ensure(o, (size_t)n);
    while (n) o->buf[o->len++] = tmp[--n];
}
static inline void put_cents(out_t *o, int64_t c) { /* -12345 -> "-123.45" */
    if (c < 0) { put_ch(o, '-'); c = -c; }
    put_uint(o, (uint64_t)(c / 100), 1);
    put_ch(o, '.');
    put_uint(o, (uint64_t)(c % 100), 2);
}

typedef struct {
    int team, region;
    int kind;                 /* 0 normal, 1 churned (mostly returns), 2 inactive (no sales) */
    int64_t target[12];       /* cents */
    int64_t mean[12];         /* mean positive sale amount, cents */
} rep_t;

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: %s N_REPS N_ROWS SEED OUTDIR\n", argv[0]); return 2; }
    long n_reps = atol(argv[1]);
    long long n_rows = atoll(argv[2]);
    rng_state = strtoull(argv[3], NULL, 10);
    const char *dir = argv[4];
    if (n_reps < 1 || n_reps > 999999 || n_rows < 0) { fprintf(stderr, "bad sizes\n"); return 2; }
    long n_teams = n_reps / 10; if (n_teams < 1) n_teams = 1;

    rep_t *reps = calloc((size_t)n_reps, sizeof *reps);
    int *active = malloc(sizeof(int) * (size_t)n_reps);
    long n_active = 0;
    int64_t *team_perf = malloc(sizeof(int64_t) * (size_t)(n_teams + 1));
    for (long t = 1; t <= n_teams; t++) team_perf[t] = irand(700, 1200);   /* per mille */

    /* ---- reps.csv ---- */
    out_t o;
    out_open(&o, dir, "reps.csv");
    put_str(&o, "rep_id,team,region,base_salary\n");
    for (long i = 0; i < n_reps; i++) {
        rep_t *r = &reps[i];
        r->team = (int)irand(1, n_teams);
        r->region = (int)urand(4);
        uint64_t k = urand(1000);
        r->kind = k < 4 ? 1 : (k < 6 ? 2 : 0);   /* 0.4% churned, 0.2% inactive */
        int64_t salary = irand(600000, 3000000);  /* cents */
        put_ch(&o, 'R'); put_uint(&o, (uint64_t)(i + 1), 6); put_ch(&o, ',');
        put_ch(&o, 'T'); put_uint(&o, (uint64_t)r->team, 3); put_ch(&o, ',');
        put_str(&o, REGIONS[r->region]); put_ch(&o, ',');
        put_cents(&o, salary); put_ch(&o, '\n');
        if (r->kind != 2) active[n_active++] = (int)i;
    }
    out_close(&o);
    if (n_active == 0) { active[0] = 0; reps[0].kind = 0; n_active = 1; }

    /* ---- targets.csv ---- */
    out_open(&o, dir, "targets.csv");
    put_str(&o, "rep_id,month,target\n");
    for (long i = 0; i < n_reps; i++) {
        rep_t *r = &reps[i];
        int64_t base = irand(3000000, 12000000);                  /* monthly target base, cents */
        int64_t rep_perf = team_perf[r->team] * irand(750, 1300) / 1000; /* per mille, whole year */
        int64_t perf = 0;                                                 /* per mille, this quarter */
        for (int m = 0; m < 12; m++) {
            int64_t tgt = base * irand(850, 1150) / 1000 + irand(0, 99);
            if (tgt < 100) tgt = 100;
            r->target[m] = tgt;
            if (m % 3 == 0) perf = (r->kind == 1) ? 300 : rep_perf * irand(850, 1150) / 1000;
            /* expected rows of this rep in month m: n_rows * DIM[m] / (365 * n_active);
               mean sale so that expected monthly sales = perf * target */
            unsigned __int128 num = (unsigned __int128)tgt * (uint64_t)perf * 365u * (uint64_t)n_active;
            unsigned __int128 den = (unsigned __int128)1000u * (uint64_t)(n_rows ? n_rows : 1) * (uint64_t)DIM[m];
            int64_t mean = (int64_t)(num / den);
            if (mean < 100) mean = 100;
            r->mean[m] = mean;
            put_ch(&o, 'R'); put_uint(&o, (uint64_t)(i + 1), 6); put_ch(&o, ',');
            put_uint(&o, (uint64_t)(m + 1), 1); put_ch(&o, ',');
            put_cents(&o, tgt); put_ch(&o, '\n');
        }
    }
    out_close(&o);

    /* ---- actuals.csv ---- */
    int doy_month[365], doy_day[365];
    for (int m = 0, d = 0; m < 12; m++)
        for (int k = 1; k <= DIM[m]; k++, d++) { doy_month[d] = m; doy_day[d] = k; }
    static const char *PRODUCTS[20] = {"P01","P02","P03","P04","P05","P06","P07","P08","P09","P10",
                                       "P11","P12","P13","P14","P15","P16","P17","P18","P19","P20"};
    out_open(&o, dir, "actuals.csv");
    put_str(&o, "date,rep_id,region,product,amount\n");
    for (long long n = 0; n < n_rows; n++) {
        int doy = (int)urand(365);
        int ri = active[urand((uint64_t)n_active)];
        rep_t *r = &reps[ri];
        int m = doy_month[doy];
        int prod = (int)urand(20);
        int64_t mean = r->mean[m];
        uint64_t u = urand(100000);
        int64_t amt;
        if (r->kind == 1 ? u < 60000 : u < 800) {         /* return: 0.8% normally, 60% for churned reps */
            amt = -(mean * irand(r->kind == 1 ? 500 : 50, r->kind == 1 ? 2500 : 500) / 1000 + irand(0, 99));
            if (amt == 0) amt = -1;
        } else {
            amt = mean * irand(100, 1900) / 1000 + irand(0, 99);
            if (amt == 0) amt = 1;
        }
        out_ensure(&o, 64);
        put_str(&o, "2027-");
        put_uint(&o, (uint64_t)(m + 1), 2); put_ch(&o, '-');
        put_uint(&o, (uint64_t)doy_day[doy], 2); put_ch(&o, ',');
        put_ch(&o, 'R'); put_uint(&o, (uint64_t)(ri + 1), 6); put_ch(&o, ',');
        put_str(&o, REGIONS[r->region]); put_ch(&o, ',');
        put_str(&o, PRODUCTS[prod]); put_ch(&o, ',');
        put_cents(&o, amt); put_ch(&o, '\n');
    }
    out_close(&o);
    free(reps); free(active); free(team_perf);
    return 0;
}
