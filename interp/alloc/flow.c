/* flow.c -- controlled rounding (see flow.h): a greedy pass by remainder,
 * and when it misses a bound, a deterministic Dinic max-flow.  Lower
 * bounds are removed the textbook way: an edge u->v with [l, c] becomes
 * capacity c-l, and l units of demand move to a super source and sink;
 * the rounding exists iff the max flow saturates every demand edge. */
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
            }
    }
    return level[t] >= 0;
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

typedef struct {
    uint64_t rank;
    uint32_t cell;
} Ranked;

/* The cells by ascending remainder, ties in reverse declaration order
 * (head insertion in the flow's lists reverses it): a stable radix sort,
 * 11 bits a pass, of the cells taken last to first, with only the passes
 * the largest rank needs. */
static Ranked *ranked_cells(const RoundProblem *rp)
{
    size_t n = rp->ncells;
    Ranked *order = xmalloc((n ? n : 1) * sizeof *order);
    Ranked *tmp = xmalloc((n ? n : 1) * sizeof *tmp);
    uint64_t max = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t c = (uint32_t)(n - 1 - k);
        order[k] = (Ranked){rp->cell_rank[c], c};
        max |= rp->cell_rank[c];
    }
    for (int shift = 0; shift < 64 && (max >> shift); shift += 11) {
        size_t count[2049] = {0};
        for (size_t k = 0; k < n; k++)
            count[((order[k].rank >> shift) & 2047) + 1]++;
        for (size_t d = 1; d < 2049; d++)
            count[d] += count[d - 1];
        for (size_t k = 0; k < n; k++)
            tmp[count[(order[k].rank >> shift) & 2047]++] = order[k];
        Ranked *t = order;
        order = tmp;
        tmp = t;
    }
    free(tmp);
    return order;
}

/* The row node above row r, -1 when none. */
static int row_up(const RoundProblem *rp, size_t r)
{
    return rp->row_up ? rp->row_up[r] : -1;
}

static bool meets_lower_bounds(const RoundProblem *rp, const int64_t *row, const int64_t *node,
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

/* Whether cell c can take one more step within every upper bound. */
static bool has_room(const RoundProblem *rp, uint32_t c, const int64_t *row, const int64_t *node,
                     const int64_t *rnode)
{
    uint32_t r = rp->cell_row[c];
    if (row[r] >= rp->row_hi[r])
        return false;
    for (int n = rp->cell_node[c]; n >= 0; n = rp->parent[n])
        if (node[n] >= rp->hi[n])
            return false;
    for (int n = row_up(rp, r); n >= 0; n = rp->rn_parent[n])
        if (rnode[n] >= rp->rn_hi[n])
            return false;
    return true;
}

/* Larger remainders first, within every upper bound; succeeds when that
 * also meets every lower bound (the usual case).  Same order as the flow:
 * equal remainders go to the first declared cell. */
static bool greedy(const RoundProblem *rp, const Ranked *order, uint8_t *x)
{
    int64_t *row = xcalloc(rp->nrows + 1, sizeof *row);
    int64_t *node = xcalloc(rp->nnodes + 1, sizeof *node);
    int64_t *rnode = xcalloc(rp->nrnodes + 1, sizeof *rnode);
    memset(x, 0, rp->ncells);
    for (size_t k = rp->ncells; k-- > 0;) { /* order is ascending */
        uint32_t c = order[k].cell;
        if (!has_room(rp, c, row, node, rnode))
            continue;
        x[c] = 1;
        row[rp->cell_row[c]]++;
        for (int n = rp->cell_node[c]; n >= 0; n = rp->parent[n])
            node[n]++;
        for (int n = row_up(rp, rp->cell_row[c]); n >= 0; n = rp->rn_parent[n])
            rnode[n]++;
    }
    bool ok = meets_lower_bounds(rp, row, node, rnode);
    free(row);
    free(node);
    free(rnode);
    return ok;
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

/* An edge u -> v with bounds [lo, hi], its lower bound moved into excess. */
static void add_bounded(Graph *g, int u, int v, int64_t lo, int64_t hi, int64_t *excess)
{
    if (hi > lo)
        add_edge(g, u, v, hi - lo);
    excess[v] += lo;
    excess[u] -= lo;
}

/* Edges of the column tree (from its parent, S for the root), of the rows
 * and of the row nodes (to their row node, else T), their lower bounds
 * moved into excess. */
static void add_bound_edges(Graph *g, const RoundProblem *rp, int base_row, int64_t *excess)
{
    for (size_t n = 0; n < rp->nnodes; n++) {
        int u = rp->parent[n] < 0 ? S : BASE_NODE + rp->parent[n], v = BASE_NODE + (int)n;
        add_edge(g, u, v, rp->hi[n] - rp->lo[n]);
        excess[v] += rp->lo[n];
        excess[u] -= rp->lo[n];
    }
    int base_rn = base_row + (int)rp->nrows;
    for (size_t r = 0; r < rp->nrows; r++) {
        int up = row_up(rp, r);
        add_bounded(g, base_row + (int)r, up < 0 ? T : base_rn + up, rp->row_lo[r], rp->row_hi[r],
                    excess);
    }
    for (size_t n = 0; n < rp->nrnodes; n++) {
        int up = rp->rn_parent[n];
        add_bounded(g, base_rn + (int)n, up < 0 ? T : base_rn + up, rp->rn_lo[n], rp->rn_hi[n],
                    excess);
    }
}

/* One edge per cell, from its column node to its row, best remainders
 * first in each adjacency list; returns each cell's edge. */
static int32_t *add_cell_edges(Graph *g, const RoundProblem *rp, const Ranked *order, int base_row)
{
    int32_t *edge_of = xmalloc((rp->ncells ? rp->ncells : 1) * sizeof *edge_of);
    for (size_t k = 0; k < rp->ncells; k++) {
        uint32_t c = order[k].cell;
        edge_of[c] = (int32_t)g->nedges;
        add_edge(g, BASE_NODE + rp->cell_node[c], base_row + (int)rp->cell_row[c], 1);
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

/* The exact method: an integer circulation with lower bounds. */
static int round_flow(const RoundProblem *rp, const Ranked *order, uint8_t *x)
{
    const int base_row = BASE_NODE + (int)rp->nnodes;
    const int nn = base_row + (int)rp->nrows + (int)rp->nrnodes;
    Graph g; /* trees, rows, cells, T -> S, and at most one demand edge a node */
    graph_init(&g, nn, rp->nnodes + rp->nrows + rp->nrnodes + rp->ncells + 1 + (size_t)nn);
    int64_t *excess = xcalloc((size_t)g.nnodes, sizeof *excess);
    add_bound_edges(&g, rp, base_row, excess);
    int32_t *edge_of = add_cell_edges(&g, rp, order, base_row);
    add_edge(&g, T, S, INT64_MAX / 4);
    int64_t need = add_demand_edges(&g, excess);
    int64_t got = max_flow(&g, SS, TT);
    for (size_t c = 0; c < rp->ncells; c++)
        x[c] = g.cap[edge_of[c]] == 0 ? 1 : 0;
    free(edge_of);
    free(excess);
    graph_free(&g);
    return got == need ? 0 : -1;
}

int round_solve(const RoundProblem *rp, uint8_t *x)
{
    Ranked *order = ranked_cells(rp);
    int rc = greedy(rp, order, x) ? 0 : round_flow(rp, order, x);
    free(order);
    return rc;
}
