/* actuals_int.h -- shared by the actuals files: actuals_store.c (the store:
 * its cells, the one write path, roll-ups, queries, rebinding,
 * act_load_all), actuals_read.c (act_load_source: the read loop, the two row
 * paths, the member tables), actuals_header.c (the header row against the
 * plan), actuals_diag.c (where a diagnostic points, the error and note
 * wrappers) and actuals_threads.c (a big source read in parts by several
 * threads).  Not for other modules: actuals.h is the interface.
 *
 * Ownership: an Actuals owns every array below (act_free); a Loader lives
 * for one act_load_source and owns its per-source arrays (loader_free in
 * actuals_read.c), never the Actuals, RowSource or mapping it points to.  A
 * worker's Loader (actuals_threads.c) shares the header's arrays (names, lc,
 * gstart, gdim) with the file's and owns the rest, its part of the source
 * too; its Recorder owns the errors it holds and the Sources not yet handed
 * to the Program.
 */
#ifndef ACTUALS_INT_H
#define ACTUALS_INT_H

#include <limits.h>

#include "data/actuals.h"
#include "data/cells.h"
#include "data/source.h"

/* What the per-row path adds to a cell: lo takes every value that fits in
 * 64 bits until it would overflow (then it moves to Cells.hi), n counts rows
 * until it would pass 32 bits (then Cells.nhi).  One 12-byte cell, so that a
 * row costs one cache miss in a big roster, not one per array. */
typedef struct __attribute__((packed, aligned(4))) {
    int64_t lo;
    uint32_t n;
} RowCell;

/* The (member, month) cells of one metric and dimension, [gindex * stride
 * + month] (stride 12; with a weekly review, 12 + WK_MAX_WEEKS: slot 12 + w
 * holds week w, every row being counted in its month and in its week): a sum is row.lo + hi, a
 * row count is row.n + nhi.  The per-row path touches only row, and only of the deepest member a
 * row names; hi and nhi are allocated when first needed.  After each file ac_roll_up adds every
 * member's cells into sum and cnt of the member and its ancestors: what queries read. */
typedef struct {
    RowCell *row; /* NULL: no file gave this dimension for the metric */
    Num *sum;     /* after ac_roll_up: row.lo + hi of the member and all under it */
    long *cnt;
    size_t size;
    Num *hi;
    int64_t *nhi;
} Cells;

/* Cell adds held back for a few rows (the per-row path of actuals_read.c):
 * each cell is prefetched when its add is queued and written PENDING_LAG
 * adds later, so that the cache miss of a big roster overlaps the next rows'
 * parsing.  The order of adds does not matter: every cell is an exact sum. */
#define PENDING_LAG 16

typedef struct {
    Cells *c; /* NULL: an empty slot */
    size_t i;
    __int128 v;
    uint64_t count;
} PendingAdd;

typedef struct {
    PendingAdd q[PENDING_LAG];
    unsigned at; /* the next slot, which holds the oldest add */
} Pending;

typedef struct {
    const Node *metric;
    char *name;      /* the metric's, kept for act_rebind (the plan may be gone) */
    bool has_column; /* some file had a column for it */
    Cells *cells;    /* per dimension; [ndims]: the plan total (12 cells) */
    __int128 room;   /* the largest Num minus the sum of |value| of every row so
                      * far: keeping it >= 0 bounds every partial sum */
} MStore;

/* A slot of a level's open-addressing table of names and labels: 16 bytes,
 * so that the table of a big roster stays in cache.  a is the first of the
 * key's key_words, which with its length identifies a key of at most 8
 * bytes: a lookup touches one slot; a longer key also compares the second
 * word (LevelMap.b) and, past 16 bytes, the key itself. */
typedef struct {
    uint64_t a;
    uint32_t len; /* | LABEL_BIT for a label; 0: an empty slot */
    int32_t g;    /* the member's gindex, or AMBIGUOUS */
} LEntry;

#define LABEL_BIT 0x80000000u
#define LEN_MASK 0x7FFFFFFFu
#define AMBIGUOUS (-2)

typedef struct {
    LEntry *e;         /* mask + 1 slots, at most a third full */
    uint64_t *b;       /* the second of each slot's key_words */
    const char **keys; /* the key of each slot (for longer keys and suggestions) */
    size_t mask;
    int shift; /* 64 - log2(mask + 1): a hash's high bits index the table */
} LevelMap;

/* A member's place in its tree, kept compact for the per-row path. */
typedef struct {
    int32_t up; /* parent's gindex, -1 for a top member */
    int32_t depth;
} Link;

struct Actuals {
    Program *p;
    Symbols *s;
    int ndims;       /* when the store was made (act_rebind keeps them) */
    size_t *nmem;    /* per dimension: members */
    int *nlevels;    /* per dimension: levels */
    LevelMap **maps; /* per dimension, per depth; built on first use */
    MStore *ms;      /* base metrics in declaration order */
    int nms;
    uint16_t *tmask;   /* per time member: its fiscal months */
    unsigned months;   /* fiscal months with a value */
    size_t stride;     /* cells per member: 12 months, then (weekly) a week each */
    const WeekCal *wk; /* &wkcal when the plan has a weekly review, else NULL */
    WeekCal wkcal;     /* a copy of the plan's weeks (the plan may go: act_rebind) */
    uint64_t weeks;    /* weeks with a value (weekly only) */
    long rows, skipped, outside;
    Link **links;                    /* per dimension, per member gindex */
    const Node *bad_mapping;         /* already reported */
    struct {                         /* the files read so far (a file read twice for one metric */
        unsigned long long dev, ino; /* would count every row twice) */
        Loc at;
        bool *metrics; /* per metric store: read from the file */
    } * read;
    int nread;
};

typedef struct {
    int field, dim;
    const Level *level;
    LevelMap *map;
} LevelCol;

typedef struct {
    int field;
    MStore *ms;
    bool pct;
} MetricCol;

/* An error a worker found, kept for the main thread to report in file
 * order (actuals_threads.c): what ac_report and ac_note would have reported,
 * and the worker's counts when it was found. */
typedef struct {
    Loc loc; /* loc.src: one of the Recorder's srcs, or NULL */
    char *msg;
    char **notes;
    int nnotes;
    long rows, skipped, outside; /* of the worker's range, up to this error */
    __int128 *used;              /* per metric column: the bound its rows took */
} RecError;

/* A worker's errors and the Sources it made (the Program's only when
 * adopted: ac_adopt_source). */
typedef struct {
    RecError *v;
    int n;
    Source **srcs;
    int nsrcs;
    __int128 *room0; /* per metric column: the bound when the worker started */
} Recorder;

/* What one act_load needs while reading. */
typedef struct {
    Actuals *a;
    RowSource *src;
    const char *shown; /* src's name */
    const Node *mapping;
    Loc at; /* the declaration (src NULL: none): a table's header and errors */
    bool lenient;
    int src_index; /* sort key of the file's diagnostics, -1 until needed */
    int errors;
    size_t nheader;
    char **names; /* trimmed header names */
    int time_field;
    bool time_is_date;
    LevelCol *lc; /* by dimension, then depth */
    int nlc;
    int *gstart; /* lc index where each dimension's columns start; [ngroups] = nlc */
    int *gdim;
    int ngroups;
    MetricCol *mc;
    int nmc;
    int32_t *found;  /* per level column: the current row's member (gindex), or -1 */
    int32_t *deep;   /* per group: the deepest member the row names, or -1 */
    Num *vals;       /* per metric column: the current row's value */
    bool *has;       /* per metric column: whether it has one */
    int fy_start;    /* year * 12 + month - 1 of fiscal month 0 */
    long rows;       /* data rows read (blank lines not counted) */
    unsigned months; /* fiscal months with a value */
    uint64_t weeks;  /* weeks with a value (a->wk only) */
    Recorder *rec;   /* a worker's: errors are recorded there, not reported */
    bool over_bound; /* some row passed a metric's bound (MStore.room) */
    long skipped, outside;
    Loc skip_loc, outside_loc;
    char skip_msg[200];
    Buf scratch;
    Pending pending; /* the common rows' cell adds not yet written */
} Loader;

/* The arguments of "'%.*s%s'" for a cell quoted in a message. */
#define QUOTED(s, n)                                                                               \
    cval_clip((s), (n), CVAL_QUOTE_MAX), (s),                                                      \
        (size_t)cval_clip((s), (n), CVAL_QUOTE_MAX) < (n) ? "..." : ""

static inline int clamp_int(long v)
{
    return v > INT_MAX ? INT_MAX : v < 0 ? 0 : (int)v;
}

/* ---- the store (actuals_store.c) ---- */

/* Allocates the four arrays every Cells has (size cells, zeroed). */
void ac_cells_alloc(Cells *c, size_t size);

/* Allocates only what the row path writes (row): a worker's cells. */
void ac_cells_alloc_rows(Cells *c, size_t size);

/* Frees a Cells' arrays (and sets them NULL). */
void ac_cells_free(Cells *c);

/* Adds the rows of src (row and its spills: a worker's cells of the
 * same size) to dst.  Exact when the sum of |value| of every row of both
 * is within the metric's bound, which the caller checks. */
void ac_cells_add(Cells *dst, const Cells *src);

/* Moves a cell's 64-bit part and v to its 128-bit part (cannot overflow:
 * bounded by MStore.room); adds count to a count that would pass 32 bits. */
__attribute__((noinline, cold)) void ac_cell_spill(Cells *c, size_t i, __int128 v);
__attribute__((noinline, cold)) void ac_count_spill(Cells *c, size_t i, uint64_t count);

/* Sets sum and cnt of every cell from the rows read so far (after each file). */
void ac_roll_up(Actuals *a);

/* Whether |v| fits in what is left of the metric's bound; bound_add takes
 * it when it does. */
static inline bool bound_fits(const MStore *ms, __int128 v)
{
    return (v < 0 ? -v : v) <= ms->room;
}

static inline bool bound_add(MStore *ms, __int128 v)
{
    if (!bound_fits(ms, v))
        return false;
    ms->room -= v < 0 ? -v : v;
    return true;
}

/* Adds a value (v64: it fits in 64 bits), the sum of count rows, to cell i. */
static inline __attribute__((always_inline)) void ac_cell_add(Cells *c, size_t i, __int128 v,
                                                              bool v64, uint64_t count)
{
    RowCell *rc = &c->row[i];
    int64_t r;
    uint32_t n;
    if (__builtin_expect(count >> 32 || __builtin_add_overflow(rc->n, (uint32_t)count, &n), 0))
        ac_count_spill(c, i, count);
    else
        rc->n = n;
    if (__builtin_expect(v64 && !__builtin_add_overflow(rc->lo, (int64_t)v, &r), 1))
        rc->lo = r;
    else
        ac_cell_spill(c, i, v);
}

static inline __attribute__((always_inline)) void pending_apply(PendingAdd *p)
{
    if (p->c)
        ac_cell_add(p->c, p->i, p->v, p->v == (int64_t)p->v, p->count);
    p->c = NULL;
}

/* Writes every add held back (before the cells are read or merged). */
static inline void pending_flush(Pending *pd)
{
    for (unsigned k = 0; k < PENDING_LAG; k++)
        pending_apply(&pd->q[k]);
}

/* Adds to cell i of c now (pd NULL), or queues the add and writes the
 * oldest one held back. */
static inline __attribute__((always_inline)) void ac_cell_put(Pending *pd, Cells *c, size_t i,
                                                              __int128 v, bool v64, uint64_t count)
{
    if (!pd) {
        ac_cell_add(c, i, v, v64, count);
        return;
    }
    __builtin_prefetch(&c->row[i], 1, 3);
    PendingAdd *p = &pd->q[pd->at];
    pending_apply(p);
    *p = (PendingAdd){c, i, v, count};
    pd->at = (pd->at + 1) % PENDING_LAG;
}

/* The one write path: every value enters a store here.  Adds value v, the
 * sum of count rows of metric ms at fiscal month (0..11), and at week
 * (-1: none; the cells' stride then has room for it), to the cells of
 * the members deep[k] (a gindex; -1: none) of dimensions dims[k], k < n,
 * and to the plan total (cells[ndims]); ac_roll_up adds them to their
 * ancestors.  With pd, the adds are held back (pending_flush writes
 * them).  The metric's bound (MStore.room) is the caller's to take, and
 * the cells must exist (ac_read_header allocates them).  Inline: it is the
 * per-row path. */
static inline __attribute__((always_inline)) void ac_put(Pending *pd, MStore *ms, int ndims,
                                                         const int *dims, const int32_t *deep,
                                                         int n, int month, size_t stride, int week,
                                                         __int128 v, uint64_t count)
{
    bool v64 = v == (int64_t)v;
    for (int k = 0; k < n; k++)
        if (deep[k] >= 0) {
            size_t at = (size_t)deep[k] * stride;
            ac_cell_put(pd, &ms->cells[dims[k]], at + (size_t)month, v, v64, count);
            if (week >= 0)
                ac_cell_put(pd, &ms->cells[dims[k]], at + 12 + (size_t)week, v, v64, count);
        }
    ac_cell_add(&ms->cells[ndims], (size_t)month, v, v64, count);
    if (week >= 0)
        ac_cell_add(&ms->cells[ndims], 12 + (size_t)week, v, v64, count);
}

/* ---- reading (actuals_read.c) ---- */

/* The table of names and labels of one level, built on first use. */
LevelMap *ac_level_map(Actuals *a, const Dim *d, int dim, int depth);

/* Frees the tables of names and labels (ac_level_map makes them again). */
void ac_level_maps_free(Actuals *a);

/* Reads the data rows of ld->src until its end, a reader error or
 * ACT_MAX_ERRORS errors: returns what the last src_next returned (0 at
 * the end, -1 after an error, 1 when stopped by the errors). */
int ac_read_range(Loader *ld);

/* The rest of the source, one thread: ac_read_range, then the note about
 * stopping; 0, or -1 after reporting. */
int ac_read_rest(Loader *ld);

/* ---- several threads (actuals_threads.c) ---- */

/* How many threads read the source: SALESPLAN_THREADS when set to a
 * number, else what the source says it is worth (src_parallel). */
int ac_thread_count(const RowSource *src);

/* The rest of the source (after its header) with n threads, giving exactly
 * what ac_read_rest gives (it falls back to ac_read_rest when it must). */
int ac_read_threads(Loader *ld, int n);

/* ---- the header (actuals_header.c) ---- */

/* Maps the header row to the time, level and metric columns and allocates
 * the Loader's per-row arrays and the metrics' cells; false after reporting. */
bool ac_read_header(Loader *ld, const SrcRow *hdr);

/* ---- diagnostics (actuals_diag.c) ---- */

/* A Source for lines of the data starting at first_line (the Program keeps
 * it; a worker's Recorder until adopted); text is made printable in place. */
Source *ac_csv_source(Loader *ld, long first_line, Buf *text);

/* Hands a Source of the Recorder (s may be NULL) to the Program, as the
 * file's; later adoptions of the same Source do nothing. */
void ac_adopt_source(Loader *ld, Recorder *rec, Source *s);

/* Frees what the Recorder holds (Sources not adopted too). */
void ac_recorder_free(Recorder *rec);

/* Cuts text to at most max bytes, on a code point boundary. */
void ac_cut_text(Buf *b, size_t max);

/* Where field fi of the row is (fi -1: the row's start), with a Source
 * holding the row's text. */
Loc ac_row_loc(Loader *ld, const SrcRow *row, long fi);

/* Where an error of the source's reader is, with a Source holding the line
 * it is on (loc.src NULL when it is nowhere: a read error). */
Loc ac_error_loc(Loader *ld, long line, long col);

/* An error of the file at loc: counted, and sets p->data_error (a
 * worker's: counted and recorded). */
void ac_report(Loader *ld, Loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A note under the last diagnostic. */
void ac_note(Loader *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
