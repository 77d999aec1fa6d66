/* actuals_threads.c -- a big actuals source read by several threads
 * (act_load).
 *
 * The rows after the header are split into parts (src_split: a CSV file
 * into byte ranges cut after a line feed, where a record most likely
 * starts); each worker reads one part with its own Loader and cells, and
 * records its errors instead of reporting them.  The main thread then
 * reports them in file order as one thread would have (the first
 * ACT_MAX_ERRORS, their lines numbered from the file's start), adds the
 * workers' counts and cells (exact integers: the order does not matter)
 * and leaves the roll-up to act_load.  Nothing may depend on the number of
 * threads: where it could, one thread reads instead, the whole file again
 * (a metric's bound passed) or from the record where a part's reader found
 * an error (the part may have been cut inside that record).  It must not
 * map or buffer the file: memory may grow with threads, not with rows.
 */
#include "data/actuals_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define THREADS_LIMIT 64 /* the most SALESPLAN_THREADS may ask for */
#define READ_AGAIN (-2)  /* merge: the workers' results must not be used */
#define GO_ON (-3)       /* merge: one thread goes on from a reader's error */

int ac_thread_count(const RowSource *src)
{
    const char *env = getenv("SALESPLAN_THREADS");
    if (env && *env) {
        char *end;
        errno = 0;
        long n = strtol(env, &end, 10);
        if (errno == 0 && *end == '\0' && n >= 1)
            return n > THREADS_LIMIT ? THREADS_LIMIT : (int)n;
    }
    int n = src_parallel(src);
    return n < 1 ? 1 : n > THREADS_LIMIT ? THREADS_LIMIT : n;
}

/* ---- workers ---- */

typedef struct {
    Loader ld;    /* the file's Loader, with its own row arrays, part and cells */
    Recorder rec; /* what it found */
    MStore *ms;   /* per metric of the Actuals: its cells and bound (NULL: no column) */
    int rc;       /* ac_read_range's result */
    pthread_t tid;
    bool started;
} Worker;

/* The worker's own arrays and cells.  Made by the worker's thread, so that
 * the per-row data of two threads do not share cache lines. */
static void worker_setup(Worker *w)
{
    Loader *ld = &w->ld;
    const Actuals *a = ld->a;
    size_t nf = ld->nheader + 1;
    ld->found = xcalloc(nf, sizeof *ld->found);
    ld->deep = xcalloc(nf, sizeof *ld->deep);
    ld->vals = xcalloc(nf, sizeof *ld->vals);
    ld->has = xcalloc(nf, sizeof *ld->has);
    MetricCol *mc = xcalloc((size_t)ld->nmc + 1, sizeof *mc);
    w->ms = xcalloc((size_t)a->nms, sizeof *w->ms);
    w->rec.room0 = xcalloc((size_t)ld->nmc + 1, sizeof *w->rec.room0);
    for (int j = 0; j < ld->nmc; j++) {
        const MStore *shared = ld->mc[j].ms;
        MStore *ms = &w->ms[shared - a->ms];
        *ms = (MStore){.metric = shared->metric,
                       .has_column = true,
                       .cells = xcalloc((size_t)a->ndims + 1, sizeof(Cells)),
                       .room = shared->room};
        for (int d = 0; d <= a->ndims; d++)
            if (shared->cells[d].row)
                ac_cells_alloc_rows(&ms->cells[d], shared->cells[d].size);
        mc[j] = ld->mc[j];
        mc[j].ms = ms;
        w->rec.room0[j] = ms->room;
    }
    ld->mc = mc;
}

static void *worker_main(void *arg)
{
    Worker *w = arg;
    worker_setup(w);
    w->rc = ac_read_range(&w->ld);
    return NULL;
}

/* A worker for part of the source: a copy of the file's Loader (sharing
 * its header arrays) that records errors; worker_setup makes the rest.
 * Each on pages of its own, which the worker writes on every row: with
 * the workers 64-byte aligned side by side in one page (1,536 bytes
 * apart), each thread read W1's half of the file in 412-470 ms of CPU;
 * a page apart, in 391 ms, wall and CPU alike, whatever else the heap
 * holds (a cache line of their own was not enough, nor 128 bytes). */
#define WORKER_ALIGN 4096
static Worker *worker_new(const Loader *file, RowSource *part)
{
    size_t size = (sizeof(Worker) + WORKER_ALIGN - 1) / WORKER_ALIGN * WORKER_ALIGN;
    Worker *w = aligned_alloc(WORKER_ALIGN, size);
    if (!w)
        w = xmalloc(size);
    memset(w, 0, size);
    Loader *ld = &w->ld;
    *ld = (Loader){.a = file->a,
                   .src = part,
                   .shown = file->shown,
                   .mapping = file->mapping,
                   .lenient = file->lenient,
                   .src_index = -1,
                   .nheader = file->nheader,
                   .names = file->names,
                   .time_field = file->time_field,
                   .time_is_date = file->time_is_date,
                   .lc = file->lc,
                   .nlc = file->nlc,
                   .gstart = file->gstart,
                   .gdim = file->gdim,
                   .ngroups = file->ngroups,
                   .mc = file->mc, /* replaced by worker_setup */
                   .nmc = file->nmc,
                   .fy_start = file->fy_start,
                   .rec = &w->rec};
    return w;
}

static void worker_free(Worker *w, const Actuals *a)
{
    Loader *ld = &w->ld;
    src_close(ld->src);
    if (w->ms) { /* worker_setup ran */
        free(ld->mc);
        for (int i = 0; i < a->nms; i++) {
            for (int d = 0; w->ms[i].cells && d <= a->ndims; d++)
                ac_cells_free(&w->ms[i].cells[d]);
            free(w->ms[i].cells);
        }
        free(w->ms);
    }
    free(ld->found);
    free(ld->deep);
    free(ld->vals);
    free(ld->has);
    buf_free(&ld->scratch);
    ac_recorder_free(&w->rec);
    free(w);
}

/* Runs range 0 on this thread and the others on their own (or here, one
 * after the other, when a thread cannot be made). */
static void run_workers(Worker **w, int n)
{
    for (int k = 1; k < n; k++)
        w[k]->started = pthread_create(&w[k]->tid, NULL, worker_main, w[k]) == 0;
    worker_main(w[0]);
    for (int k = 1; k < n; k++) {
        if (w[k]->started)
            pthread_join(w[k]->tid, NULL);
        else
            worker_main(w[k]);
    }
}

/* ---- merging, in file order ---- */

/* The bound metric column j of worker w took: all its rows, or those up to
 * the error e where reading stops. */
static __int128 used_by(const Worker *w, int j, const RecError *e)
{
    return e ? e->used[j] : w->rec.room0[j] - w->ld.mc[j].ms->room;
}

/* Whether the workers' rows together stay within every metric's bound.
 * Otherwise one thread must find the row that passes it (a later range
 * cannot know how much of the bound the earlier ones took). */
static bool within_bounds(const Loader *ld, Worker **w, int n)
{
    for (int k = 0; k < n; k++)
        if (w[k]->ld.over_bound)
            return false;
    for (int j = 0; j < ld->nmc; j++) {
        __int128 left = ld->mc[j].ms->room;
        for (int k = 0; k < n; k++) {
            __int128 used = used_by(w[k], j, NULL);
            if (used > left)
                return false;
            left -= used;
        }
    }
    return true;
}

/* Reports a worker's error as ac_report and ac_note would have. */
static void replay(Loader *ld, Worker *w, const RecError *e)
{
    ac_adopt_source(ld, &w->rec, e->loc.src);
    ac_report(ld, e->loc, "%s", e->msg);
    for (int i = 0; i < e->nnotes; i++)
        ac_note(ld, "%s", e->notes[i]);
}

/* Adds what worker w read (up to its error e where reading stops, or all)
 * to the file's Loader and cells. */
static void take(Loader *ld, Worker *w, const RecError *e)
{
    const Loader *wl = &w->ld;
    long skipped = e ? e->skipped : wl->skipped, outside = e ? e->outside : wl->outside;
    if (skipped && !ld->skipped) {
        ac_adopt_source(ld, &w->rec, wl->skip_loc.src);
        ld->skip_loc = wl->skip_loc;
        memcpy(ld->skip_msg, wl->skip_msg, sizeof ld->skip_msg);
    }
    if (outside && !ld->outside) {
        ac_adopt_source(ld, &w->rec, wl->outside_loc.src);
        ld->outside_loc = wl->outside_loc;
    }
    ld->skipped += skipped;
    ld->outside += outside;
    ld->rows += e ? e->rows : wl->rows;
    ld->months |= wl->months;
    ld->weeks |= wl->weeks;
    int ndims = ld->a->ndims;
    for (int j = 0; j < ld->nmc; j++) {
        MStore *ms = ld->mc[j].ms;
        ms->room -= used_by(w, j, e);
        for (int d = 0; d <= ndims; d++)
            ac_cells_add(&ms->cells[d], &wl->mc[j].ms->cells[d]);
    }
}

/* Moves l by d lines when it points into a Source of rec. */
static void shift_loc(const Recorder *rec, Loc *l, long d)
{
    for (int i = 0; i < rec->nsrcs; i++)
        if (l->src && rec->srcs[i] == l->src) {
            l->line = clamp_int(l->line + d);
            l->end_line = clamp_int(l->end_line + d);
            return;
        }
}

/* Numbers what worker w found from the file's start: its part's lines
 * were counted from the part's own start (src_part_lines), and `next` is
 * the line it starts on, where the part before it ended.  Returns the line
 * after its part. */
static long number_lines(Worker *w, long next)
{
    long first, after;
    if (!src_part_lines(w->ld.src, &first, &after))
        return after;
    long d = next - first;
    Recorder *rec = &w->rec;
    for (int i = 0; i < rec->nsrcs; i++)
        if (rec->srcs[i])
            rec->srcs[i]->first_line = clamp_int(rec->srcs[i]->first_line + d);
    for (int i = 0; i < rec->n; i++)
        shift_loc(rec, &rec->v[i].loc, d);
    shift_loc(rec, &w->ld.skip_loc, d);
    shift_loc(rec, &w->ld.outside_loc, d);
    return after + d;
}

/* The workers' results as one thread would have had them: 0, -1 after
 * reporting, READ_AGAIN, or GO_ON.  A part whose reader found an error may
 * have been cut inside a record (src_split): its rows before that record
 * are taken, and *rest is then a source of the file from that record on,
 * which one thread must go on reading (GO_ON); the parts after it are not
 * used. */
static int merge(Loader *ld, Worker **w, int n, RowSource **rest)
{
    *rest = NULL;
    if (!within_bounds(ld, w, n))
        return READ_AGAIN;
    int cut = 0;   /* the first part with a reader error, or n */
    long next = 0; /* the line after the parts numbered so far */
    for (; cut < n; cut++) {
        next = number_lines(w[cut], next);
        if (w[cut]->rc < 0)
            break; /* next: the line of the record in error */
    }
    if (cut < n && !(*rest = src_rest(w[cut]->ld.src, next)))
        return READ_AGAIN;
    bool stop = false;
    for (int k = 0; k < n && k <= cut && !stop; k++) {
        const RecError *last = NULL;
        int nerr = w[k]->rec.n - (k == cut); /* the reader's error is found again, or not */
        for (int i = 0; i < nerr && !stop; i++) {
            replay(ld, w[k], &w[k]->rec.v[i]);
            if (ld->errors >= ACT_MAX_ERRORS) {
                last = &w[k]->rec.v[i];
                stop = true;
            }
        }
        take(ld, w[k], last);
    }
    if (*rest && !stop)
        return GO_ON;
    if (*rest) {
        src_close(*rest);
        *rest = NULL;
    }
    if (ld->errors >= ACT_MAX_ERRORS) {
        ac_note(ld, "stopped reading %s after %d errors", ld->shown, ACT_MAX_ERRORS);
        return -1;
    }
    return ld->errors ? -1 : 0;
}

int ac_read_threads(Loader *ld, int n)
{
    RowSource **parts = xcalloc((size_t)n, sizeof *parts);
    if (src_split(ld->src, n, parts) < 0) {
        free(parts);
        return ac_read_rest(ld);
    }
    Worker **w = xcalloc((size_t)n, sizeof *w);
    for (int k = 0; k < n; k++)
        w[k] = worker_new(ld, parts[k]);
    run_workers(w, n);
    RowSource *rest;
    int rc = merge(ld, w, n, &rest);
    for (int k = 0; k < n; k++)
        worker_free(w[k], ld->a);
    free(w);
    free(parts);
    if (rc == GO_ON) { /* the rest of the file as one thread reads it */
        RowSource *whole = ld->src;
        ld->src = rest;
        rc = ac_read_rest(ld);
        ld->src = whole;
        src_close(rest);
        return rc;
    }
    return rc == READ_AGAIN ? ac_read_rest(ld) : rc;
}
