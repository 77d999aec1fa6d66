/* flow.c -- controlled rounding (see flow.h): one sort of the cells by
 * remainder, a greedy pass in that order, and when it misses a bound,
 * augmenting paths (a deterministic Dinic max-flow) that repair it.  The
 * network carries the greedy pass's rounding; an edge u->v with bounds
 * [l, c] carrying f has residual c-f forward and f-l back, and an edge
 * below its lower bound (or above its upper) becomes a demand of the
 * difference between a super source and sink; the rounding exists iff
 * the max flow meets every demand. */
#include "alloc/flow.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

typedef struct {
    int32_t *to, *next;
    int64_t *cap;
    int32_t *head;
    size_t nedges, cap_edges;
    int nnodes;
} Graph;

static void add_edge(Graph *g, int u, int v, int64_t cap)
{
    if (g->nedges + 2 > g->cap_edges) {
        g->cap_edges = g->cap_edges ? g->cap_edges * 2 : 1024;
        g->to = xrealloc(g->to, g->cap_edges * sizeof *g->to);
        g->next = xrealloc(g->next, g->cap_edges * sizeof *g->next);
        g->cap = xrealloc(g->cap, g->cap_edges * sizeof *g->cap);
    }
    size_t e = g->nedges;
    g->to[e] = v;
    g->cap[e] = cap;
    g->next[e] = g->head[u];
    g->head[u] = (int32_t)e;
    g->to[e + 1] = u;
    g->cap[e + 1] = 0;
    g->next[e + 1] = g->head[v];
    g->head[v] = (int32_t)(e + 1);
    g->nedges += 2;
}

/* The levels of a phase, up to t's: no path to t goes through a node
 * found after it (none is more than one level deeper than another), so
 * the search stops there and leaves the rest unleveled. */
static bool bfs(const Graph *g, int s, int t, int *level, int *queue)
{
    for (int i = 0; i < g->nnodes; i++)
        level[i] = -1;
    int qh = 0, qt = 0;
    level[s] = 0;
    queue[qt++] = s;
    while (qh < qt) {
        int u = queue[qh++];
        for (int e = g->head[u]; e >= 0; e = g->next[e])
            if (g->cap[e] > 0 && level[g->to[e]] < 0) {
                level[g->to[e]] = level[u] + 1;
                queue[qt++] = g->to[e];
                if (g->to[e] == t)
                    return true;
            }
    }
    return false;
}

/* Pushes the bottleneck of the path's edges along it; returns it. */
static int64_t augment(Graph *g, const int32_t *path_e, int depth)
{
    int64_t f = INT64_MAX;
    for (int i = 0; i < depth; i++)
        if (g->cap[path_e[i]] < f)
            f = g->cap[path_e[i]];
    for (int i = 0; i < depth; i++) {
        g->cap[path_e[i]] -= f;
        g->cap[path_e[i] ^ 1] += f;
    }
    return f;
}

/* The next edge out of u, from it[u] on, that has capacity left and goes
 * one level down; -1 when none does. */
static int admissible_edge(const Graph *g, const int *level, int32_t *it, int u)
{
    int e = it[u];
    while (e >= 0 && !(g->cap[e] > 0 && level[g->to[e]] == level[u] + 1))
        e = g->next[e];
    it[u] = e;
    return e;
}

/* One blocking-flow phase with an explicit stack (paths may be long). */
static int64_t push_phase(Graph *g, int s, int t, const int *level, int32_t *it, int32_t *path_e)
{
    int64_t total = 0;
    int depth = 0, u = s;
    for (;;) {
        if (u == t) {
            total += augment(g, path_e, depth);
            depth = 0;
            u = s;
            continue;
        }
        int e = admissible_edge(g, level, it, u);
        if (e >= 0) {
            path_e[depth++] = e;
            u = g->to[e];
            continue;
        }
        if (depth == 0)
            return total;
        depth--; /* dead end: retreat and skip the edge that led here */
        u = g->to[path_e[depth] ^ 1];
        it[u] = g->next[it[u]];
    }
}

static int64_t max_flow(Graph *g, int s, int t)
{
    int *level = xmalloc((size_t)g->nnodes * sizeof *level);
    int *queue = xmalloc((size_t)g->nnodes * sizeof *queue);
    int32_t *it = xmalloc((size_t)g->nnodes * sizeof *it);
    int32_t *path = xmalloc((size_t)g->nnodes * sizeof *path);
    int64_t flow = 0;
    while (bfs(g, s, t, level, queue)) {
        memcpy(it, g->head, (size_t)g->nnodes * sizeof *it);
        flow += push_phase(g, s, t, level, it, path);
    }
    free(level);
    free(queue);
    free(it);
    free(path);
    return flow;
}

/* Whether cell k may take a step: in a table by position, not a cell
 * without a remainder. */
static inline bool takes_steps(const RoundProblem *rp, size_t k)
{
    return rp->cell_row || rp->cell_rank[k] != ROUND_NO_STEP;
}

/* The row (the column-tree leaf) of cell k. */
static inline uint32_t row_at(const RoundProblem *rp, size_t k)
{
    uint32_t r;
    int32_t n;
    round_cell(rp, k, &r, &n);
    return r;
}

static inline int32_t node_at(const RoundProblem *rp, size_t k)
{
    uint32_t r;
    int32_t n;
    round_cell(rp, k, &r, &n);
    return n;
}

void round_table_cells(RoundProblem *rp, size_t ncols)
{
    rp->cell_row = NULL;
    rp->cell_node = NULL;
    rp->ncols = ncols;
    rp->ncols_inv = ncols > 1 ? UINT64_MAX / ncols + 1 : 0;
}

/* The cells that may take a step (*count of them) by ascending remainder,
 * ties in reverse declaration order (head insertion in the flow's lists
 * reverses it): the cells taken last to first, then sorted stably by
 * rank.  Ranks (at most 10^6: millionths of a step) in a table of more
 * cells than ranks are counted in one pass; others go through a radix
 * sort, 11 bits a pass, with only the passes the largest rank needs. */
static void rank_pass(const RoundProblem *rp, const uint32_t *from, uint32_t *to, size_t n,
                      int shift)
{
    size_t count[2049] = {0};
    for (size_t k = 0; k < n; k++)
        count[((rp->cell_rank[from[k]] >> shift) & 2047) + 1]++;
    for (size_t d = 1; d < 2049; d++)
        count[d] += count[d - 1];
    for (size_t k = 0; k < n; k++)
        to[count[(rp->cell_rank[from[k]] >> shift) & 2047]++] = from[k];
}

static uint32_t *ranked_cells(const RoundProblem *rp, size_t *count)
{
    size_t n = rp->ncells, m = 0;
    uint32_t max = 0;
    for (size_t c = 0; c < n; c++)
        if (takes_steps(rp, c)) {
            m++;
            max = rp->cell_rank[c] > max ? rp->cell_rank[c] : max;
        }
    *count = m;
    uint32_t *cells = xmalloc((m ? m : 1) * sizeof *cells);
    if (max < ((uint32_t)1 << 20) && max < m) {
        size_t *at = xcalloc((size_t)max + 2, sizeof *at);
        for (size_t c = 0; c < n; c++)
            if (takes_steps(rp, c))
                at[rp->cell_rank[c] + 1]++;
        for (size_t b = 1; b < (size_t)max + 2; b++)
            at[b] += at[b - 1];
        for (size_t c = n; c-- > 0;)
            if (takes_steps(rp, c))
                cells[at[rp->cell_rank[c]]++] = (uint32_t)c;
        free(at);
        return cells;
    }
    uint32_t *tmp = xmalloc((m ? m : 1) * sizeof *tmp);
    for (size_t c = n, k = 0; c-- > 0;)
        if (takes_steps(rp, c))
            cells[k++] = (uint32_t)c;
    for (int shift = 0; shift < 32 && (max >> shift); shift += 11) {
        rank_pass(rp, cells, tmp, m, shift);
        uint32_t *t = cells;
        cells = tmp;
        tmp = t;
    }
    free(tmp);
    return cells;
}

/* The row node above row r, -1 when none. */
static int row_up(const RoundProblem *rp, size_t r)
{
    return rp->row_up ? rp->row_up[r] : -1;
}

static bool meets_lower_bounds(const RoundProblem *rp, const int64_t *row, const RoundBound *node,
                               const int64_t *rnode)
{
    for (size_t r = 0; r < rp->nrows; r++)
        if (row[r] < rp->row_lo[r])
            return false;
    for (size_t n = 0; n < rp->nnodes; n++)
        if (node[n] < rp->lo[n])
            return false;
    for (size_t n = 0; n < rp->nrnodes; n++)
        if (rnode[n] < rp->rn_lo[n])
            return false;
    return true;
}

/* Whether a cell of row r and column-tree leaf n can take one more step
 * within every upper bound. */
static bool has_room(const RoundProblem *rp, uint32_t r, int32_t leaf, const int64_t *row,
                     const RoundBound *node, const int64_t *rnode)
{
    if (row[r] >= rp->row_hi[r])
        return false;
    for (int n = leaf; n >= 0; n = rp->parent[n])
        if (node[n] >= rp->hi[n])
            return false;
    for (int n = row_up(rp, r); n >= 0; n = rp->rn_parent[n])
        if (rnode[n] >= rp->rn_hi[n])
            return false;
    return true;
}

/* What a rounding gives each row, column-tree node and row node (a
 * node's count is a bound's size: RoundBound). */
typedef struct {
    int64_t *row;
    RoundBound *node;
    int64_t *rnode;
} Counts;

/* Larger remainders first, within every upper bound; succeeds when that
 * also meets every lower bound (the usual case).  Same order as the flow:
 * equal remainders go to the first declared cell.  *cnt gets what each
 * row and node got. */
static bool greedy(const RoundProblem *rp, const uint32_t *order, size_t m, uint8_t *x, Counts *cnt)
{
    int64_t *row = cnt->row, *rnode = cnt->rnode;
    RoundBound *node = cnt->node;
    const RoundProblem *keep = rp->strict ? rp->strict : rp;
    memset(x, 0, rp->ncells);
    for (size_t k = m; k-- > 0;) { /* order is ascending */
        uint32_t c = order[k], r;
        int32_t leaf;
        round_cell(rp, c, &r, &leaf);
        if (!has_room(rp, r, leaf, row, node, rnode) ||
            (keep != rp && !has_room(keep, r, leaf, row, node, rnode)))
            continue;
        x[c] = 1;
        row[r]++;
        for (int n = leaf; n >= 0; n = rp->parent[n])
            node[n]++;
        for (int n = row_up(rp, r); n >= 0; n = rp->rn_parent[n])
            rnode[n]++;
    }
    return meets_lower_bounds(rp, row, node, rnode);
}

/* The flow network: S, T, SS, TT, then the column-tree nodes, then the
 * rows, then the row nodes. */
enum { S = 0, T = 1, SS = 2, TT = 3, BASE_NODE = 4 };

/* nedges: how many edges the graph will have (add_edge grows it if more). */
static void graph_init(Graph *g, int nnodes, size_t nedges)
{
    memset(g, 0, sizeof *g);
    g->nnodes = nnodes;
    g->head = xmalloc((size_t)nnodes * sizeof *g->head);
    for (int i = 0; i < nnodes; i++)
        g->head[i] = -1;
    g->cap_edges = 2 * nedges;
    g->to = xmalloc(g->cap_edges * sizeof *g->to);
    g->next = xmalloc(g->cap_edges * sizeof *g->next);
    g->cap = xmalloc(g->cap_edges * sizeof *g->cap);
}

static void graph_free(Graph *g)
{
    free(g->to);
    free(g->next);
    free(g->cap);
    free(g->head);
}

/* An edge u -> v with bounds [lo, hi] that carries f: residual hi - f
 * forward and f - lo back.  Below its lower bound it is taken to carry lo,
 * and the difference goes into excess (the flow must still bring it). */
static void add_carrying(Graph *g, int u, int v, int64_t lo, int64_t hi, int64_t f, int64_t *excess)
{
    int64_t to = f < lo ? lo : f > hi ? hi : f; /* above hi (the strict bounds allowed it): back */
    excess[v] += to - f;
    excess[u] -= to - f;
    f = to;
    add_edge(g, u, v, hi - f);
    g->cap[g->nedges - 1] = f - lo;
}

/* Edges of the column tree (from its parent, S for the root), of the rows
 * and of the row nodes (to their row node, else T), carrying the greedy
 * pass's counts. */
static void add_bound_edges(Graph *g, const RoundProblem *rp, const Counts *cnt, int base_row,
                            int64_t *excess)
{
    for (size_t n = 0; n < rp->nnodes; n++) {
        int u = rp->parent[n] < 0 ? S : BASE_NODE + rp->parent[n], v = BASE_NODE + (int)n;
        add_carrying(g, u, v, rp->lo[n], rp->hi[n], cnt->node[n], excess);
    }
    int base_rn = base_row + (int)rp->nrows;
    for (size_t r = 0; r < rp->nrows; r++) {
        int up = row_up(rp, r);
        add_carrying(g, base_row + (int)r, up < 0 ? T : base_rn + up, rp->row_lo[r], rp->row_hi[r],
                     cnt->row[r], excess);
    }
    for (size_t n = 0; n < rp->nrnodes; n++) {
        int up = rp->rn_parent[n];
        add_carrying(g, base_rn + (int)n, up < 0 ? T : base_rn + up, rp->rn_lo[n], rp->rn_hi[n],
                     cnt->rnode[n], excess);
    }
}

/* One edge per cell, from its column node to its row, carrying x[c]; best
 * remainders first in each adjacency list; returns each cell's edge. */
static int32_t *add_cell_edges(Graph *g, const RoundProblem *rp, const uint32_t *order, size_t m,
                               int base_row, const uint8_t *x)
{
    int32_t *edge_of = xmalloc((rp->ncells ? rp->ncells : 1) * sizeof *edge_of);
    for (size_t k = 0; k < m; k++) {
        uint32_t c = order[k], r;
        int32_t leaf;
        round_cell(rp, c, &r, &leaf);
        edge_of[c] = (int32_t)g->nedges;
        add_edge(g, BASE_NODE + leaf, base_row + (int)r, 1 - x[c]);
        g->cap[g->nedges - 1] = x[c];
    }
    return edge_of;
}

/* Edges from SS to the nodes with excess and from those short of it to
 * TT; returns the flow that must pass. */
static int64_t add_demand_edges(Graph *g, const int64_t *excess)
{
    int64_t need = 0;
    for (int v = 0; v < g->nnodes; v++) {
        if (excess[v] > 0) {
            add_edge(g, SS, v, excess[v]);
            need += excess[v];
        } else if (excess[v] < 0) {
            add_edge(g, v, TT, -excess[v]);
        }
    }
    return need;
}

/* The greedy pass repaired: the network carries its rounding, each bound
 * it misses becomes a demand, and augmenting paths from SS to TT move
 * steps between cells until every demand is met (a circulation with lower
 * bounds; none met means no rounding meets the bounds). */
static int repair(const RoundProblem *rp, const uint32_t *order, size_t m, const Counts *cnt,
                  uint8_t *x)
{
    const int base_row = BASE_NODE + (int)rp->nnodes;
    const int nn = base_row + (int)rp->nrows + (int)rp->nrnodes;
    Graph g; /* trees, rows, cells, T -> S, and at most one demand edge a node */
    graph_init(&g, nn, rp->nnodes + rp->nrows + rp->nrnodes + m + 1 + (size_t)nn);
    int64_t *excess = xcalloc((size_t)g.nnodes, sizeof *excess);
    add_bound_edges(&g, rp, cnt, base_row, excess);
    int32_t *edge_of = add_cell_edges(&g, rp, order, m, base_row, x);
    add_edge(&g, T, S, INT64_MAX / 4);
    g.cap[g.nedges - 1] = cnt->node[0];
    int64_t need = add_demand_edges(&g, excess);
    int64_t got = max_flow(&g, SS, TT);
    for (size_t c = 0; c < rp->ncells; c++)
        x[c] = takes_steps(rp, c) && g.cap[edge_of[c]] == 0 ? 1 : 0;
    free(edge_of);
    free(excess);
    graph_free(&g);
    return got == need ? 0 : -1;
}

/* ---- the usual table: one level of columns, every total fixed ------------------------------ */

/* A table whose columns hang off the root alone, with no tree above the
 * rows, every bound fixed (lo = hi), and its cells in row order (in a row,
 * by column: the order both searches below reach columns in).  Then a
 * repair is a path over the columns: a column short of its total takes a
 * cell of some row, which gives up a cell of another column, which takes
 * a cell of another row, ... until a row short of its total takes one.
 * With a handful of columns the search runs over columns, not cells. */
static bool flat_table(const RoundProblem *rp)
{
    if (rp->row_up || rp->nnodes < 2 || rp->parent[0] != -1 || rp->lo[0] != rp->hi[0])
        return false;
    for (size_t n = 1; n < rp->nnodes; n++)
        if (rp->parent[n] != 0 || rp->lo[n] != rp->hi[n])
            return false;
    for (size_t r = 0; r < rp->nrows; r++)
        if (rp->row_lo[r] != rp->row_hi[r])
            return false;
    if (!rp->cell_row) /* in ascending order */
        return true;
    for (size_t k = 1; k < rp->ncells; k++) /* by row, and in a row by column */
        if (rp->cell_row[k] < rp->cell_row[k - 1] ||
            (rp->cell_row[k] == rp->cell_row[k - 1] && rp->cell_node[k] <= rp->cell_node[k - 1]))
            return false;
    return true;
}

/* A column node an expansion reaches, and the place in the expanded
 * column's cells of the first row that reaches it. */
typedef struct {
    size_t place;
    int32_t node;
} Reach;

typedef struct {
    const RoundProblem *rp;
    uint8_t *x;
    int64_t *row;    /* what each row has */
    RoundBound *col; /* and each column (node) */
    /* the index (all NULL for a table by position, which is its own): */
    size_t *rstart; /* row r's cells: rstart[r] .. rstart[r + 1] */
    size_t *cstart; /* column node n's cells, by row: ccell[cstart[n] .. cstart[n + 1]) */
    uint32_t *ccell;
    uint32_t *shortrows; /* rows still short of their total */
    size_t nshort;
    int64_t *term;  /* per column node: cells of short rows it could still take */
    int32_t *vrow;  /* per column node: the row that reached it (-1: a start) */
    int32_t *vfrom; /* and the column it came from; -2: not reached */
    int32_t *queue;
    size_t work; /* cells and rows the search over the cells has visited */
    size_t *slo; /* per column node: no short row before this place in shortrows takes a cell */
    /* with few columns and many steps to move (NULL otherwise): for every
     * pair of column nodes (n, m), pairs[n * nnodes + m] rows could hand
     * a step from m to n (a free cell in n, a taken one in m), none of them
     * before place wlo[n * nnodes + m] of n's cells */
    int64_t *pairs;
    size_t *wlo;
    Reach *found; /* per column node: the columns one expansion reaches */
} Flat;

/* Row r's cells: row_begin .. row_end. */
static size_t row_begin(const Flat *f, uint32_t r)
{
    return f->rstart ? f->rstart[r] : (size_t)r * f->rp->ncols;
}

static size_t row_end(const Flat *f, uint32_t r)
{
    return f->rstart ? f->rstart[r + 1] : ((size_t)r + 1) * f->rp->ncols;
}

/* Column node n's cells, by row: col_cell(f, n, i) for i < col_count(f, n). */
static size_t col_count(const Flat *f, int32_t n)
{
    return f->cstart ? f->cstart[n + 1] - f->cstart[n] : f->rp->nrows;
}

static size_t col_cell(const Flat *f, int32_t n, size_t i)
{
    return f->ccell ? f->ccell[f->cstart[n] + i] : i * f->rp->ncols + (size_t)(n - 1);
}

static void flat_index(Flat *f)
{
    const RoundProblem *rp = f->rp;
    size_t nn = rp->nnodes;
    if (rp->cell_row) {
        f->rstart = xcalloc(rp->nrows + 2, sizeof *f->rstart);
        f->cstart = xcalloc(nn + 2, sizeof *f->cstart);
        f->ccell = xmalloc((rp->ncells + 1) * sizeof *f->ccell);
        for (size_t k = 0; k < rp->ncells; k++) {
            f->rstart[row_at(rp, k) + 1]++;
            f->cstart[node_at(rp, k) + 1]++;
        }
        for (size_t r = 0; r < rp->nrows; r++)
            f->rstart[r + 1] += f->rstart[r];
        for (size_t n = 0; n < nn; n++)
            f->cstart[n + 1] += f->cstart[n];
        size_t *at = xmalloc((nn + 1) * sizeof *at);
        memcpy(at, f->cstart, nn * sizeof *at);
        for (size_t k = 0; k < rp->ncells; k++)
            f->ccell[at[node_at(rp, k)]++] = (uint32_t)k;
        free(at);
    }
    f->shortrows = xmalloc((rp->nrows + 1) * sizeof *f->shortrows);
    f->term = xcalloc(nn + 1, sizeof *f->term);
    f->slo = xcalloc(nn + 1, sizeof *f->slo);
    for (size_t r = 0; r < rp->nrows; r++) {
        if (f->row[r] >= rp->row_lo[r])
            continue;
        f->shortrows[f->nshort++] = (uint32_t)r;
        for (size_t k = row_begin(f, (uint32_t)r); k < row_end(f, (uint32_t)r); k++)
            if (!f->x[k] && takes_steps(rp, k))
                f->term[node_at(rp, k)]++;
    }
    f->vrow = xmalloc((nn + 1) * sizeof *f->vrow);
    f->vfrom = xmalloc((nn + 1) * sizeof *f->vfrom);
    f->queue = xmalloc((nn + 1) * sizeof *f->queue);
}

static void flat_free(Flat *f)
{
    free(f->pairs);
    free(f->wlo);
    free(f->slo);
    free(f->found);
    free(f->rstart);
    free(f->cstart);
    free(f->ccell);
    free(f->shortrows);
    free(f->term);
    free(f->vrow);
    free(f->vfrom);
    free(f->queue);
}

/* Row r's cell in column node n that may take a step, or SIZE_MAX. */
static size_t cell_at(const Flat *f, uint32_t r, int32_t n)
{
    if (!f->rstart) {
        size_t k = (size_t)r * f->rp->ncols + (size_t)(n - 1);
        return takes_steps(f->rp, k) ? k : SIZE_MAX;
    }
    for (size_t k = f->rstart[r]; k < f->rstart[r + 1]; k++)
        if (node_at(f->rp, k) == n)
            return k;
    return SIZE_MAX;
}

static size_t short_place(const Flat *f, uint32_t r);

/* Counts row r's free cells in term (by d: 1 or -1); counted in, the
 * search for a short row taking a cell of theirs resumes at r. */
static void count_free(Flat *f, uint32_t r, int d)
{
    size_t at = d > 0 ? short_place(f, r) : 0;
    for (size_t j = row_begin(f, r); j < row_end(f, r); j++)
        if (!f->x[j] && takes_steps(f->rp, j)) {
            int32_t n = node_at(f->rp, j);
            f->term[n] += d;
            if (d > 0 && at < f->slo[n])
                f->slo[n] = at;
        }
}

/* The pairs of columns are counted for tables of at most PAIRS_MAX column
 * nodes, once the search over the cells has visited as many cells as
 * counting them costs (a row's cells times its columns, every row): a
 * repair of a few steps never pays for them, one of many steps no more
 * than twice what it would have paid. */
#define PAIRS_MAX 256
int64_t round_pairs_work = -1;

static bool is_free(const Flat *f, size_t k)
{
    return !f->x[k] && takes_steps(f->rp, k);
}

/* The first place in v[0 .. n) (ascending) whose value is not below x. */
static size_t lower_bound(const uint32_t *v, size_t n, size_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The place of cell k among column node n's cells. */
static size_t col_place(const Flat *f, int32_t n, size_t k)
{
    if (!f->ccell)
        return row_at(f->rp, k);
    return lower_bound(f->ccell + f->cstart[n], f->cstart[n + 1] - f->cstart[n], k);
}

/* The place of row r in shortrows (which ascends), or nshort. */
static size_t short_place(const Flat *f, uint32_t r)
{
    size_t at = lower_bound(f->shortrows, f->nshort, r);
    return at < f->nshort && f->shortrows[at] == r ? at : f->nshort;
}

/* Row r's pairs counted in (d 1) or out (d -1) of f->pairs; counted in,
 * the places where the search resumes move back to it. */
static void pairs_row(Flat *f, uint32_t r, int d)
{
    const RoundProblem *rp = f->rp;
    size_t nn = rp->nnodes, b = row_begin(f, r), e = row_end(f, r);
    for (size_t i = b; i < e; i++) {
        if (!is_free(f, i))
            continue;
        int32_t n = node_at(rp, i);
        size_t place = d > 0 ? col_place(f, n, i) : 0;
        for (size_t j = b; j < e; j++) {
            if (!f->x[j])
                continue;
            size_t pm = (size_t)n * nn + (size_t)node_at(rp, j);
            f->pairs[pm] += d;
            if (d > 0 && place < f->wlo[pm])
                f->wlo[pm] = place;
        }
    }
}

/* Counts every row's pairs: the search over columns without the cells. */
static void pairs_index(Flat *f)
{
    size_t nn = f->rp->nnodes;
    f->pairs = xcalloc(nn * nn, sizeof *f->pairs);
    f->wlo = xcalloc(nn * nn, sizeof *f->wlo);
    f->found = xcalloc(nn, sizeof *f->found);
    for (size_t r = 0; r < f->rp->nrows; r++)
        pairs_row(f, (uint32_t)r, 1);
}

/* Row r takes cell k (v 1) or gives it up (v 0); the free cells of short
 * rows stay counted in term, and the row's pairs in pairs. */
static void flat_set(Flat *f, size_t k, uint8_t v)
{
    const RoundProblem *rp = f->rp;
    uint32_t r = row_at(rp, k);
    if (f->pairs)
        pairs_row(f, r, -1);
    if (f->row[r] < rp->row_lo[r])
        count_free(f, r, -1);
    f->x[k] = v;
    f->row[r] += v ? 1 : -1;
    f->col[node_at(rp, k)] += v ? 1 : -1;
    if (f->row[r] < rp->row_lo[r])
        count_free(f, r, 1);
    if (f->pairs)
        pairs_row(f, r, 1);
}

/* The first place in column node n's cells whose row could hand a step
 * from m to n (there is one: pairs counts it). */
static size_t witness(Flat *f, int32_t n, int32_t m)
{
    const RoundProblem *rp = f->rp;
    size_t *at = &f->wlo[(size_t)n * rp->nnodes + (size_t)m];
    for (size_t cn = col_count(f, n); *at < cn; ++*at) {
        size_t k = col_cell(f, n, *at);
        if (!is_free(f, k))
            continue;
        size_t j = cell_at(f, row_at(rp, k), m);
        if (j != SIZE_MAX && f->x[j])
            return *at;
    }
    return SIZE_MAX;
}

/* flat_expand from the pairs: the same columns reached in the same order
 * (by the place of the first row that reaches each, then by column). */
static void pairs_expand(Flat *f, int32_t n, size_t *qt, size_t *left)
{
    const RoundProblem *rp = f->rp;
    size_t nn = rp->nnodes, nfound = 0;
    for (size_t m = 1; m < nn; m++) {
        if (f->vfrom[m] != -2 || f->pairs[(size_t)n * nn + m] <= 0)
            continue;
        size_t w = witness(f, n, (int32_t)m), i = nfound;
        if (w == SIZE_MAX) /* cannot be: pairs counts a row */
            continue;
        nfound++;
        for (; i > 0 && f->found[i - 1].place > w; i--) /* by place, then column */
            f->found[i] = f->found[i - 1];
        f->found[i].place = w;
        f->found[i].node = (int32_t)m;
    }
    for (size_t i = 0; i < nfound; i++) {
        int32_t m = f->found[i].node;
        f->vfrom[m] = n;
        f->vrow[m] = (int32_t)row_at(rp, col_cell(f, n, f->found[i].place));
        f->queue[(*qt)++] = m;
        --*left;
    }
}

/* From column node n, the columns its free cells' rows could hand a step
 * to, queued; stops when every column is reached (*left 0). */
static void flat_expand(Flat *f, int32_t n, size_t *qt, size_t *left)
{
    const RoundProblem *rp = f->rp;
    for (size_t i = 0, cn = col_count(f, n); i < cn && *left; i++) {
        size_t k = col_cell(f, n, i);
        f->work++;
        if (f->x[k] || !takes_steps(rp, k))
            continue;
        uint32_t r = row_at(rp, k);
        f->work += row_end(f, r) - row_begin(f, r);
        for (size_t j = row_begin(f, r); j < row_end(f, r); j++) {
            int32_t m = node_at(rp, j);
            if (f->x[j] && f->vfrom[m] == -2) {
                f->vfrom[m] = n;
                f->vrow[m] = (int32_t)r;
                f->queue[(*qt)++] = m;
                --*left;
            }
        }
    }
}

/* The first short row that could take a cell of column node n. */
static size_t short_cell(Flat *f, int32_t n)
{
    const RoundProblem *rp = f->rp;
    for (size_t i = f->slo[n]; i < f->nshort; i++) {
        uint32_t r = f->shortrows[i];
        f->work++;
        size_t k = f->row[r] < rp->row_lo[r] ? cell_at(f, r, n) : SIZE_MAX;
        if (k != SIZE_MAX && !f->x[k])
            return k;
        f->slo[n] = i + 1; /* none before it, until a row changes */
    }
    return SIZE_MAX;
}

/* One step moved from a short column to a short row, along the shortest
 * path over the columns (breadth first, columns and rows in order);
 * false when none is left. */
static bool flat_augment(Flat *f, RoundBound *root)
{
    const RoundProblem *rp = f->rp;
    size_t nn = rp->nnodes, qh = 0, qt = 0, left = nn - 1;
    for (size_t n = 0; n < nn; n++)
        f->vfrom[n] = -2;
    for (size_t n = 1; n < nn; n++)
        if (f->col[n] < rp->lo[n]) {
            f->vfrom[n] = -1;
            f->queue[qt++] = (int32_t)n;
            left--;
        }
    int32_t end = -1;
    while (qh < qt && end < 0) {
        int32_t n = f->queue[qh++];
        if (f->term[n] > 0)
            end = n;
        else if (left && f->pairs)
            pairs_expand(f, n, &qt, &left);
        else if (left)
            flat_expand(f, n, &qt, &left);
    }
    size_t k = end < 0 ? SIZE_MAX : short_cell(f, end);
    if (k == SIZE_MAX)
        return false;
    flat_set(f, k, 1);
    ++*root;
    for (int32_t n = end; f->vfrom[n] >= 0; n = f->vfrom[n]) {
        uint32_t r = (uint32_t)f->vrow[n];
        flat_set(f, cell_at(f, r, f->vfrom[n]), 1); /* takes first: never short */
        flat_set(f, cell_at(f, r, n), 0);
    }
    return true;
}

/* Repairs the greedy pass of a flat table; false (x as the greedy left
 * it or partly repaired, counts in cnt) when it cannot. */
static bool flat_repair(const RoundProblem *rp, Counts *cnt, uint8_t *x)
{
    Flat f = {.rp = rp, .x = x, .row = cnt->row, .col = cnt->node};
    flat_index(&f);
    int64_t need = 0;
    for (size_t i = 0; i < f.nshort; i++)
        need += rp->row_lo[f.shortrows[i]] - cnt->row[f.shortrows[i]];
    size_t budget = round_pairs_work >= 0 ? (size_t)round_pairs_work
                                          : rp->ncells * (rp->nnodes - 1); /* what counting costs */
    bool ok = true;
    while (ok && need-- > 0) {
        if (!f.pairs && rp->nnodes <= PAIRS_MAX && f.work >= budget)
            pairs_index(&f);
        ok = flat_augment(&f, &cnt->node[0]);
    }
    flat_free(&f);
    return ok && meets_lower_bounds(rp, cnt->row, cnt->node, cnt->rnode);
}

/* ---- a tall table: few rows, many members with trees of their own ------------------------- */

/* A table by time (time_grid.c): the rows are the few time columns, every
 * row total fixed; the column tree is the root over the members, each with
 * a small tree of its own (its halves and quarters), and the cells come
 * member by member.  Instead of the greedy pass, each member is rounded
 * on its own first (its tree's bounds met, larger remainders first), which
 * leaves some rows over their totals and some short; then a step at a time
 * moves along a path over the rows: a short row takes a step that some
 * member moves to it from another row, which takes one moved from another
 * row, ... until the row it comes from is one over its total.  The search
 * runs over the rows; for every pair of rows a place in the members
 * remembers where the next member that could move a step between them may
 * be.  Where it cannot finish, the greedy pass and the flow after it round
 * the table, as they do tables of fewer than round_tall_from cells. */
#define TALL_ROWS 64
/* The deepest a member's tree may be for the rounding member by member. */
#define TALL_DEPTH 8
int64_t round_tall_from = -2;
int64_t round_tall_repairs;

/* round_tall_from, the first time it is needed: SALESPLAN_ROUND_TALL_FROM
 * when set (the property tests' 0), else 100,000. */
static int64_t tall_from(void)
{
    if (round_tall_from == -2) {
        const char *env = getenv("SALESPLAN_ROUND_TALL_FROM");
        char *end = NULL;
        long long v = env && *env ? strtoll(env, &end, 10) : 0;
        round_tall_from = end && !*end && v >= -1 ? (int64_t)v : 100000;
    }
    return round_tall_from;
}

typedef struct {
    const RoundProblem *rp;
    uint8_t *x;
    int64_t *row;
    RoundBound *node;
    size_t nmem;
    size_t *mstart;    /* member i's cells: mstart[i] .. mstart[i + 1] */
    size_t *wlo;       /* per pair (r, a): the members from here on are yet to be looked at */
    struct {           /* and before it, those that could move a step from a to r when */
        uint32_t *v;   /* they changed (or were passed over while in a search); some */
        size_t n, cap; /* no longer can */
    } * back;
    uint32_t *stamp, gen; /* members in this search's tree (stamp == gen) */
    size_t wmax;          /* the furthest place of any pair (tall_set: none past it, no look) */
    int32_t *path;        /* the member being rounded: per cell, its nodes (cell_path) */
    int *plen;            /* and how far its leaf is below the member */
    int32_t vfrom[TALL_ROWS], vmem[TALL_ROWS], queue[TALL_ROWS];
} Tall;

static bool tall_table(const RoundProblem *rp)
{
    if (!rp->cell_row || rp->strict || rp->nrows == 0 || rp->nrows > TALL_ROWS ||
        rp->parent[0] != -1 || tall_from() < 0 || rp->ncells < (uint64_t)tall_from())
        return false;
    for (size_t r = 0; r < rp->nrows; r++)
        if (rp->row_lo[r] != rp->row_hi[r])
            return false;
    return true;
}

/* The member (child of the root) above node n, or -1 for the root. */
static int32_t member_node(const RoundProblem *rp, int32_t n)
{
    if (n <= 0)
        return -1;
    while (rp->parent[n] > 0)
        n = rp->parent[n];
    return n;
}

/* The members and their cells; false when the cells do not come member
 * by member. */
static bool tall_index(Tall *t)
{
    const RoundProblem *rp = t->rp;
    size_t n = 0;
    for (size_t k = 0, last = 0; k < rp->ncells; k++) { /* the members, in order */
        size_t m = (size_t)member_node(rp, rp->cell_node[k]);
        if (m + 1 == 0 || m < last)
            return false;
        n += m != last;
        last = m;
    }
    t->mstart = xmalloc((n + 2) * sizeof *t->mstart);
    for (size_t k = 0, last = 0; k < rp->ncells; k++) {
        int32_t m = member_node(rp, rp->cell_node[k]);
        if ((size_t)m != last) {
            t->mstart[t->nmem++] = k;
            last = (size_t)m;
        }
    }
    t->mstart[t->nmem] = rp->ncells;
    size_t most = 1; /* the most cells of a member */
    for (size_t i = 0; i < t->nmem; i++)
        most = t->mstart[i + 1] - t->mstart[i] > most ? t->mstart[i + 1] - t->mstart[i] : most;
    t->path = xmalloc(most * TALL_DEPTH * sizeof *t->path);
    t->plen = xmalloc(most * sizeof *t->plen);
    t->wlo = xcalloc(rp->nrows * rp->nrows + 1, sizeof *t->wlo);
    t->back = xcalloc(rp->nrows * rp->nrows + 1, sizeof *t->back);
    t->stamp = xcalloc(t->nmem + 1, sizeof *t->stamp);
    return true;
}

static void tall_free(Tall *t)
{
    for (size_t q = 0; t->back && q < t->rp->nrows * t->rp->nrows; q++)
        free(t->back[q].v);
    free(t->back);
    free(t->mstart);
    free(t->wlo);
    free(t->stamp);
    free(t->path);
    free(t->plen);
}

/* Member i's cell in row r that may take a step, or SIZE_MAX. */
static size_t tall_cell(const Tall *t, size_t i, size_t r)
{
    for (size_t k = t->mstart[i]; k < t->mstart[i + 1]; k++)
        if (t->rp->cell_row[k] == r)
            return k;
    return SIZE_MAX;
}

/* Whether every node from n up to (not including) top can take one more
 * step (d 1) or give one up (d -1). */
static bool tall_room(const Tall *t, int32_t n, int32_t top, int d)
{
    for (; n >= 0 && n != top; n = t->rp->parent[n])
        if (d > 0 ? t->node[n] >= t->rp->hi[n] : t->node[n] <= t->rp->lo[n])
            return false;
    return true;
}

/* The lowest node above both a and b (nodes of one member). */
static int32_t tall_meet(const RoundProblem *rp, int32_t a, int32_t b)
{
    for (int32_t u = a; u >= 0; u = rp->parent[u])
        for (int32_t v = b; v >= 0; v = rp->parent[v])
            if (u == v)
                return u;
    return 0;
}

/* Whether member i can move a step from its cell ka to its cell kr. */
static bool tall_moves(const Tall *t, size_t ka, size_t kr)
{
    if (ka == SIZE_MAX || kr == SIZE_MAX || !t->x[ka] || t->x[kr])
        return false;
    int32_t la = t->rp->cell_node[ka], lr = t->rp->cell_node[kr], top = tall_meet(t->rp, la, lr);
    return tall_room(t, la, top, -1) && tall_room(t, lr, top, 1);
}

/* Keeps member i among those of pair q to look at again. */
static void tall_back(Tall *t, size_t q, size_t i)
{
    if (t->back[q].n == t->back[q].cap) {
        t->back[q].cap = t->back[q].cap ? 2 * t->back[q].cap : 16;
        t->back[q].v = xrealloc(t->back[q].v, t->back[q].cap * sizeof *t->back[q].v);
    }
    t->back[q].v[t->back[q].n++] = (uint32_t)i;
}

/* The member not in this search that can move a step from row a to row r:
 * one of those kept to look at again (the last first), else the next from
 * the place on; SIZE_MAX when none is.  Each member is passed once by the
 * place, so the search over a pair costs the members once, plus what
 * changed. */
static size_t tall_witness(Tall *t, size_t r, size_t a)
{
    size_t q = r * t->rp->nrows + a;
    for (size_t j = t->back[q].n; j-- > 0;) {
        size_t i = t->back[q].v[j];
        if (!tall_moves(t, tall_cell(t, i, a), tall_cell(t, i, r)))
            t->back[q].v[j] = t->back[q].v[--t->back[q].n];
        else if (t->stamp[i] != t->gen)
            return i;
    }
    for (size_t *at = &t->wlo[q]; *at < t->nmem;) {
        size_t i = (*at)++;
        t->wmax = *at > t->wmax ? *at : t->wmax;
        if (!tall_moves(t, tall_cell(t, i, a), tall_cell(t, i, r)))
            continue;
        if (t->stamp[i] != t->gen)
            return i;
        tall_back(t, q, i);
    }
    return SIZE_MAX;
}

/* Member i takes (v 1) or gives up (v 0) cell k; it is kept to look at
 * again for the pairs of rows it can now move a step between (passed by
 * their places). */
static void tall_set(Tall *t, size_t i, size_t k, uint8_t v)
{
    const RoundProblem *rp = t->rp;
    size_t nr = rp->nrows, b = t->mstart[i], e = t->mstart[i + 1];
    t->x[k] = v;
    t->row[rp->cell_row[k]] += v ? 1 : -1;
    for (int32_t n = rp->cell_node[k]; n >= 0; n = rp->parent[n])
        t->node[n] += v ? 1 : -1;
    if (t->wmax <= i) /* no pair's place has passed member i: nothing to keep */
        return;
    for (size_t ka = b; ka < e; ka++)
        for (size_t kr = b; kr < e && t->x[ka]; kr++) {
            size_t q = rp->cell_row[kr] * nr + rp->cell_row[ka];
            if (t->wlo[q] > i && tall_moves(t, ka, kr))
                tall_back(t, q, i);
        }
}

/* The best free cell of member i under node n (n < 0: any) that every node
 * above it can take, or SIZE_MAX: larger remainders first, then the first
 * declared. */
static size_t tall_best(const Tall *t, size_t i, int32_t n)
{
    const RoundProblem *rp = t->rp;
    size_t best = SIZE_MAX;
    for (size_t k = t->mstart[i]; k < t->mstart[i + 1]; k++) {
        if (t->x[k] || (best != SIZE_MAX && rp->cell_rank[k] <= rp->cell_rank[best]))
            continue;
        bool under = n < 0;
        for (int32_t u = rp->cell_node[k]; u >= 0 && !under; u = rp->parent[u])
            under = u == n;
        if (under && tall_room(t, rp->cell_node[k], -1, 1))
            best = k;
    }
    return best;
}

/* The nodes on the path from cell k's leaf up to its member: path[d] the
 * node d levels below the member (the member itself at 0; -1: none), for
 * d < TALL_DEPTH.  Returns how many levels the leaf is below the member. */
static int cell_path(const RoundProblem *rp, size_t k, int32_t *path)
{
    int len = 0;
    int32_t n = rp->cell_node[k];
    for (int d = 0; d < TALL_DEPTH; d++)
        path[d] = -1;
    for (int32_t u = n; u > 0 && rp->parent[u] > 0; u = rp->parent[u])
        len++;
    for (int d = len; n > 0 && d >= 0; d--, n = rp->parent[n])
        if (d < TALL_DEPTH)
            path[d] = n;
    return len;
}

/* Member i rounded on its own (the rows aside): every node of its tree up
 * to its lower bound, the deepest first, the member itself last, each step
 * to the best cell that keeps every upper bound.  False when some bound
 * cannot be met so (a tree deeper than TALL_DEPTH among them). */
static bool tall_member(Tall *t, size_t i)
{
    const RoundProblem *rp = t->rp;
    size_t b = t->mstart[i], e = t->mstart[i + 1];
    for (size_t k = b; k < e; k++)
        t->plen[k - b] = cell_path(rp, k, &t->path[(k - b) * TALL_DEPTH]);
    for (int depth = TALL_DEPTH - 1; depth >= 0; depth--)
        for (size_t k = b; k < e; k++) {
            int32_t n = depth <= t->plen[k - b] ? t->path[(k - b) * TALL_DEPTH + depth] : -1;
            while (n > 0 && t->node[n] < rp->lo[n]) {
                size_t c = tall_best(t, i, n);
                if (c == SIZE_MAX)
                    return false;
                tall_set(t, i, c, 1);
            }
        }
    return true;
}

/* One step from an over row to a short row along a path over the rows
 * (breadth first, rows and members in order); false when none is found. */
static bool tall_augment(Tall *t)
{
    const RoundProblem *rp = t->rp;
    size_t nr = rp->nrows, qh = 0, qt = 0, end = SIZE_MAX;
    t->gen++;
    for (size_t r = 0; r < nr; r++) {
        t->vfrom[r] = -2;
        if (t->row[r] < rp->row_lo[r]) {
            t->vfrom[r] = -1;
            t->queue[qt++] = (int32_t)r;
        }
    }
    while (qh < qt && end == SIZE_MAX) {
        size_t r = (size_t)t->queue[qh++];
        for (size_t a = 0; a < nr && end == SIZE_MAX; a++) {
            size_t i = t->vfrom[a] == -2 ? tall_witness(t, r, a) : SIZE_MAX;
            if (i == SIZE_MAX)
                continue;
            t->stamp[i] = t->gen;
            t->vfrom[a] = (int32_t)r;
            t->vmem[a] = (int32_t)i;
            t->queue[qt++] = (int32_t)a;
            if (t->row[a] > rp->row_hi[a])
                end = a;
        }
    }
    if (end == SIZE_MAX)
        return false;
    for (size_t a = end; t->vfrom[a] >= 0; a = (size_t)t->vfrom[a]) {
        size_t i = (size_t)t->vmem[a], r = (size_t)t->vfrom[a];
        tall_set(t, i, tall_cell(t, i, r), 1);
        tall_set(t, i, tall_cell(t, i, a), 0);
    }
    return true;
}

/* Whether every count is within its bounds (the row nodes' counted again
 * from the rows). */
static bool within_bounds(const RoundProblem *rp, Counts *cnt)
{
    for (size_t n = 0; n < rp->nrnodes; n++)
        cnt->rnode[n] = 0;
    for (size_t r = 0; r < rp->nrows; r++)
        for (int n = row_up(rp, r); n >= 0; n = rp->rn_parent[n])
            cnt->rnode[n] += cnt->row[r];
    for (size_t r = 0; r < rp->nrows; r++)
        if (cnt->row[r] > rp->row_hi[r])
            return false;
    for (size_t n = 0; n < rp->nnodes; n++)
        if (cnt->node[n] > rp->hi[n])
            return false;
    for (size_t n = 0; n < rp->nrnodes; n++)
        if (cnt->rnode[n] > rp->rn_hi[n])
            return false;
    return meets_lower_bounds(rp, cnt->row, cnt->node, cnt->rnode);
}

/* Rounds a tall table (x and cnt from nothing); false (x as far as it got,
 * its counts in cnt) when it cannot. */
static bool tall_repair(const RoundProblem *rp, Counts *cnt, uint8_t *x)
{
    Tall t = {.rp = rp, .x = x, .row = cnt->row, .node = cnt->node};
    if (!tall_index(&t)) {
        tall_free(&t);
        return false; /* x and cnt untouched */
    }
    memset(x, 0, rp->ncells);
    memset(cnt->row, 0, rp->nrows * sizeof *cnt->row);
    memset(cnt->node, 0, rp->nnodes * sizeof *cnt->node);
    bool ok = true;
    for (size_t i = 0; ok && i < t.nmem; i++)
        ok = tall_member(&t, i);
    int64_t need = 0;
    for (size_t r = 0; r < rp->nrows; r++)
        need += rp->row_lo[r] > cnt->row[r] ? rp->row_lo[r] - cnt->row[r] : 0;
    while (ok && need-- > 0)
        ok = tall_augment(&t);
    tall_free(&t);
    ok = within_bounds(rp, cnt);
    round_tall_repairs += ok;
    return ok;
}

int round_solve(const RoundProblem *rp, uint8_t *x)
{
    if (rp->ncells >= ROUND_BOUND_MAX) /* a bound clamped to the most could be met */
        return -1;
    size_t m = 0;
    uint32_t *order = NULL;
    Counts cnt = {xcalloc(rp->nrows + 1, sizeof(int64_t)),
                  xcalloc(rp->nnodes + 1, sizeof(RoundBound)),
                  xcalloc(rp->nrnodes + 1, sizeof(int64_t))};
    int rc = 0;
    bool tall = tall_table(rp), ok = tall && tall_repair(rp, &cnt, x); /* no greedy pass */
    if (!ok) {
        if (tall) { /* the greedy pass from nothing, and the flow repairs it */
            memset(cnt.row, 0, rp->nrows * sizeof *cnt.row);
            memset(cnt.node, 0, rp->nnodes * sizeof *cnt.node);
            memset(cnt.rnode, 0, rp->nrnodes * sizeof *cnt.rnode);
        }
        order = ranked_cells(rp, &m);
        ok = greedy(rp, order, m, x, &cnt);
    }
    if (!ok && flat_table(rp)) {
        free(order); /* the flat repair has no use for the order: its memory for the index */
        ok = flat_repair(rp, &cnt, x);
        order = ok ? NULL : ranked_cells(rp, &m);
    }
    if (!ok)
        rc = repair(rp, order, m, &cnt, x);
    free(cnt.row);
    free(cnt.node);
    free(cnt.rnode);
    free(order);
    return rc;
}
