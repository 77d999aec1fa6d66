/* world.c -- a REPL session state evaluated: the base plan with the
 * what-ifs applied, checked, and its tables computed.
 *
 * Every evaluation parses the base text afresh into a new Program (so no
 * two evaluations share syntax trees), then applies the what-if entries in
 * order: a statement replaces the statement of the main plan with the
 * same key (stmt_key: the same metric, level and scope for a split) in
 * its place, or is appended; NAME.LINE = EXPR replaces one line of an
 * incentive (a line it does not have is an error) and NAME + LINE = EXPR
 * adds one.  The entries' statements keep their own Sources (named
 * "<repl>", numbered by input line), so their diagnostics point at what
 * was typed.  It never prints anything but diagnostics.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "repl/repl_int.h"

/* ---- states ------------------------------------------------------------------------------- */

ReplBase *repl_base_new(const char *file, const char *dir, const char *text, size_t len)
{
    ReplBase *b = xcalloc(1, sizeof *b);
    b->refs = 1;
    b->file = file ? xstrdup(file) : NULL;
    b->dir = dir ? xstrdup(dir) : NULL; /* NULL: the plan reads no file */
    b->text = xstrndup(text, len);
    b->len = len;
    return b;
}

void repl_base_unref(ReplBase *b)
{
    if (!b || --b->refs > 0)
        return;
    free(b->file);
    free(b->dir);
    free(b->text);
    free(b);
}

void repl_entry_add(ReplState *st, const char *text, int line, const char *incentive, bool adds)
{
    st->w = xrealloc(st->w, (size_t)(st->nw + 1) * sizeof *st->w);
    st->w[st->nw].text = xstrdup(text);
    st->w[st->nw].line = line;
    st->w[st->nw].incentive = incentive ? xstrdup(incentive) : NULL;
    st->w[st->nw].adds = adds;
    st->nw++;
}

void repl_entries_truncate(ReplState *st, int n)
{
    for (int i = n; i < st->nw; i++) {
        free(st->w[i].text);
        free(st->w[i].incentive);
    }
    if (n < st->nw)
        st->nw = n;
}

void repl_state_copy(ReplState *dst, const ReplState *src)
{
    memset(dst, 0, sizeof *dst);
    dst->base = src->base;
    if (dst->base)
        dst->base->refs++;
    for (int i = 0; i < src->nw; i++)
        repl_entry_add(dst, src->w[i].text, src->w[i].line, src->w[i].incentive, src->w[i].adds);
    dst->actuals = xcalloc((size_t)src->nactuals + 1, sizeof *dst->actuals);
    for (int i = 0; i < src->nactuals; i++)
        dst->actuals[i] = xstrdup(src->actuals[i]);
    dst->nactuals = src->nactuals;
    dst->as_of = src->as_of ? xstrdup(src->as_of) : NULL;
    dst->what = src->what ? xstrdup(src->what) : NULL;
    dst->valid = src->valid;
}

void repl_state_free(ReplState *st)
{
    repl_base_unref(st->base);
    for (int i = 0; i < st->nw; i++) {
        free(st->w[i].text);
        free(st->w[i].incentive);
    }
    free(st->w);
    for (int i = 0; i < st->nactuals; i++)
        free(st->actuals[i]);
    free(st->actuals);
    free(st->as_of);
    free(st->what);
    memset(st, 0, sizeof *st);
}

/* ---- source text -------------------------------------------------------------------------- */

void repl_node_text(const Node *n, Buf *out)
{
    size_t a, z;
    ast_source_range(n, &a, &z);
    buf_put(out, n->loc.src->text + a, z - a);
}

/* Makes a Source show other text of the same lines and columns (the
 * original of a masked NAME.LINE entry). */
static void source_swap_text(Source *s, const char *text, size_t len)
{
    Source *t = source_new(s->name, NULL, text, len, s->index);
    char *tx = s->text;
    size_t *ln = s->lines;
    s->text = t->text;
    s->len = t->len;
    s->lines = t->lines;
    s->nlines = t->nlines;
    source_forget_places(s);
    t->text = tx;
    t->lines = ln;
    source_free(t);
}

/* ---- what a what-if replaces -------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A scope member as the key names it: months by name, members bare. */
static const char *scope_name(const Node *r)
{
    if (r->kind == N_MONTH && strlen(r->str) == 7) { /* 2027-02 */
        int m = (r->str[5] - '0') * 10 + (r->str[6] - '0');
        return m >= 1 && m <= 12 ? cal_month_name(m) : r->str;
    }
    return r->name ? r->name : "";
}

static char *split_key(const Node *n)
{
    Buf b = {0};
    if (!n->a) {
        buf_printf(&b, "split %s like", n->name);
        return b.data;
    }
    buf_printf(&b, "split %s by %s", n->name, n->a->name);
    size_t k = ast_list_len(n->b), i = 0;
    const char **names = xcalloc(k + 1, sizeof *names);
    for (const Node *r = n->b; r; r = r->next)
        names[i++] = scope_name(r);
    qsort(names, k, sizeof *names, cmp_str);
    for (i = 0; i < k; i++)
        buf_printf(&b, "%s%s", i ? "," : " in ", names[i]);
    free(names);
    return b.data;
}

/* The statements a what-if replaces by their kind and name. */
static bool keyed_by_name(NodeKind k)
{
    static const NodeKind kinds[] = {N_DIMENSION, N_METRIC,    N_LET,    N_FN,      N_HISTORY,
                                     N_INCENTIVE, N_SCORECARD, N_REVIEW, N_SCENARIO};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (kinds[i] == k)
            return true;
    return false;
}

/* What a what-if statement must match to replace n; NULL: n is only ever added. */
static char *stmt_key(const Node *n)
{
    Buf b = {0};
    NodeKind k = n->kind;
    if (k == N_SPLIT)
        return split_key(n);
    if (k == N_PLAN)
        buf_puts(&b, "plan");
    else if (keyed_by_name(k))
        buf_printf(&b, "%s %s", ast_kind_name(k), n->name);
    else if (k == N_EXAMPLE) /* by incentive and title */
        buf_printf(&b, "example %s \"%s\"", n->name ? n->name : "", n->str ? n->str : "");
    else if (k == N_REPORT || k == N_IMPORT) /* by title, by path */
        buf_printf(&b, "%s %s", ast_kind_name(k), n->str ? n->str : "");
    else if (k == N_TARGET) /* a target per cell (a file's, last year's) replaces one */
        buf_printf(&b, "target %s%s", n->name,
                   n->c || sym_history_refs(n->a, NULL, 0) > 0 ? " from" : "");
    else if (k == N_ASSERT && n->str) /* by its message: one without is only ever added */
        buf_printf(&b, "assert %s:%s", n->name ? n->name : "", n->str);
    return b.data;
}

/* A slot for n, keyed by key (taken: freed with the slot; NULL: none). */
static void slot_add(ReplWorld *w, Node *n, int entry, char *key)
{
    if (w->nslots == w->cap_slots) {
        w->cap_slots = w->cap_slots ? 2 * w->cap_slots : 64;
        w->slots = xrealloc(w->slots, (size_t)w->cap_slots * sizeof *w->slots);
    }
    ReplSlot *s = &w->slots[w->nslots++];
    memset(s, 0, sizeof *s);
    s->n = n;
    s->entry = entry;
    s->key = key;
    if (s->key && !strmap_get(&w->slot_of, s->key))
        strmap_put(&w->slot_of, s->key, (void *)(intptr_t)w->nslots);
    if (entry < 0)
        ast_source_range(n, &s->start, &s->end);
}

/* The first slot whose key is key, or NULL. */
static ReplSlot *slot_find(ReplWorld *w, const char *key)
{
    intptr_t i = key ? (intptr_t)strmap_get(&w->slot_of, key) : 0;
    return i ? &w->slots[i - 1] : NULL;
}

/* Statement n of an entry, keyed by key (taken), replaces the plan's or
 * an earlier entry's statement of that key, or is added.  Returns the key
 * as its slot keeps it. */
static const char *apply_stmt(ReplWorld *w, Node *n, int entry, char *key)
{
    ReplSlot *s = slot_find(w, key);
    if (!s) {
        slot_add(w, n, entry, key);
        return key;
    }
    free(key);
    if (!w->replaced[entry]) /* the plan's statement, or the one an earlier entry replaced */
        w->replaced[entry] = s->entry < 0 ? s->n : w->replaced[s->entry];
    s->n = n;
    s->entry = entry;
    s->lines_changed = false;
    return s->key;
}

/* NAME.LINE = EXPR names no incentive of the plan (at: NAME). */
static void no_incentive(ReplWorld *w, const char *inc, Loc at)
{
    StrMap names = {0};
    for (int i = 0; i < w->nslots; i++)
        if (w->slots[i].n->kind == N_INCENTIVE)
            strmap_put(&names, w->slots[i].n->name, w->slots[i].n);
    diag_error(&w->s.d, at, "the plan has no incentive '%s'", inc);
    const char *near = sym_closest(&names, inc);
    if (near)
        diag_note_plain(&w->s.d, "did you mean '%s'?", near);
    else
        diag_note_plain(&w->s.d, "NAME.LINE = EXPRESSION changes a line of an incentive, NAME + "
                                 "LINE = EXPRESSION adds one");
    strmap_free(&names);
}

/* The line of an incentive called name, or NULL. */
static Node *find_line(const Node *incentive, const char *name)
{
    for (Node *l = incentive->b; l; l = l->next)
        if (strcmp(l->name, name) == 0)
            return l;
    return NULL;
}

/* NAME.LINE = EXPR names a line the incentive inc does not have. */
static void no_line(ReplWorld *w, const Node *inc, const Node *line)
{
    StrMap names = {0};
    Buf all = {0};
    for (Node *l = inc->b; l; l = l->next) {
        strmap_put(&names, l->name, l);
        buf_printf(&all, "%s%s", all.len ? ", " : "", l->name);
    }
    diag_error(&w->s.d, line->name_loc, "incentive '%s' has no line '%s'", inc->name, line->name);
    sym_note_did_you_mean(&w->s.d, sym_closest(&names, line->name));
    diag_note_plain(&w->s.d, "its lines: %s; '%s + %s = EXPRESSION' adds a line", buf_cstr(&all),
                    inc->name, line->name);
    buf_free(&all);
    strmap_free(&names);
}

/* NAME + LINE = EXPR names a line the incentive inc has already. */
static void has_line(ReplWorld *w, const Node *inc, const Node *line)
{
    diag_error(&w->s.d, line->name_loc, "incentive '%s' already has a line '%s'", inc->name,
               line->name);
    diag_note_plain(&w->s.d, "'%s.%s = EXPRESSION' changes it", inc->name, line->name);
}

/* Puts line into an incentive's list of lines: in place of old (the line
 * of the same name), or else before the payout line (or last). */
static void put_line(Node *incentive, Node *line, Node *old)
{
    Node **pp = &incentive->b, **payout = NULL;
    for (; *pp; pp = &(*pp)->next) {
        if (*pp == old) {
            line->next = old->next;
            *pp = line;
            return;
        }
        if (strcmp((*pp)->name, "payout") == 0 && !payout)
            payout = pp;
    }
    Node **at = payout ? payout : pp;
    line->next = *at;
    *at = line;
}

/* NAME.LINE = EXPR: the line replaces the incentive's line of that name;
 * NAME + LINE = EXPR: it goes before the payout line. */
static void apply_line(ReplWorld *w, const ReplEntry *e, Loc at, Node *line, int entry)
{
    Buf k = {0};
    buf_printf(&k, "incentive %s", e->incentive);
    ReplSlot *s = slot_find(w, buf_cstr(&k));
    buf_free(&k);
    if (!s) {
        no_incentive(w, e->incentive, at);
        return;
    }
    Node *old = find_line(s->n, line->name);
    if (!old != e->adds) {
        (e->adds ? has_line : no_line)(w, s->n, line);
        return;
    }
    if (!w->replaced[entry])
        w->replaced[entry] = s->entry < 0 ? s->n : w->replaced[s->entry];
    w->line[entry] = line;
    put_line(s->n, line, old);
    s->lines_changed = true;
}

/* Where NAME of a NAME.LINE entry is: tok, its first byte in the entry. */
static Loc line_entry_loc(Source *src, const ReplEntry *e, const char *tok)
{
    int line = e->line, col = 1;
    for (const char *t = e->text; t < tok; t++) {
        if (*t == '\n')
            line++, col = 1;
        else if (((unsigned char)*t & 0xC0) != 0x80)
            col++;
    }
    int end = col + (int)utf8_count(e->incentive, strlen(e->incentive)) - 1;
    return (Loc){src, line, col, line, end};
}

/* Parses a NAME.LINE = EXPR (or NAME + LINE = EXPR) entry as a one-line
 * incentive whose header sits on the line above it, what comes before
 * LINE masked by spaces (code point for code point, line ends kept), and
 * then gives the Source its real text back. */
static void parse_line_entry(ReplWorld *w, const ReplEntry *e, int entry, const char *dir)
{
    Buf head = {0}, masked = {0}, real = {0};
    buf_printf(&head, "incentive %s per _ {\n", e->incentive);
    const char *tok = repl_first_token(e->text);
    const char *sep = strchr(tok, e->adds ? '+' : '.');
    size_t cut = sep ? (size_t)(sep - e->text) + 1 : 0;
    buf_puts(&masked, buf_cstr(&head));
    for (size_t i = 0; i < cut; i++)
        if (((unsigned char)e->text[i] & 0xC0) != 0x80)
            buf_putc(&masked, e->text[i] == '\t' || e->text[i] == '\n' ? e->text[i] : ' ');
    buf_printf(&masked, "%s\n}\n", e->text + cut);
    buf_printf(&real, "%s%s\n}\n", buf_cstr(&head), e->text);
    Unit *u = NULL;
    Node *items =
        prog_parse_unit(w->s.p, "<repl>", dir, buf_cstr(&masked), masked.len, e->line - 1, &u);
    u->items = NULL;
    source_swap_text(u->src, buf_cstr(&real), real.len);
    w->esrc[entry] = u->src;
    if (items && items->kind == N_INCENTIVE && !items->next && items->b && !items->b->next)
        apply_line(w, e, line_entry_loc(u->src, e, tok), items->b, entry);
    else if (!w->s.d.nerrors)
        diag_error(&w->s.d, line_entry_loc(u->src, e, tok), "expected NAME.LINE = EXPRESSION");
    buf_free(&head);
    buf_free(&masked);
    buf_free(&real);
}

/* Whether a plan file refuses n twice (asserts and imports may repeat). */
static bool once_only(const Node *n)
{
    return n->kind != N_ASSERT && n->kind != N_IMPORT;
}

static void apply_entry(ReplWorld *w, const ReplEntry *e, int entry, const char *dir)
{
    if (e->incentive) {
        parse_line_entry(w, e, entry, dir);
        return;
    }
    Unit *u = NULL;
    Node *items = prog_parse_unit(w->s.p, "<repl>", dir, e->text, strlen(e->text), e->line, &u);
    u->items = NULL;
    w->esrc[entry] = u->src;
    StrMap seen = {0}; /* one entry says each thing once, as a plan file must */
    for (Node *n = items, *next; n; n = next) {
        next = n->next;
        n->next = NULL;
        if (n->kind == N_SHOW)
            continue;
        char *key = stmt_key(n);
        const Node *prev = key && once_only(n) ? strmap_get(&seen, key) : NULL;
        if (prev) {
            diag_error(&w->s.d, n->loc, "'%s' is given twice in this entry", key);
            diag_note(&w->s.d, prev->loc, "first given here; which one should count?");
        }
        const char *kept = apply_stmt(w, n, entry, key); /* key is the slot's now */
        if (kept && !prev && once_only(n))
            strmap_put(&seen, kept, n);
    }
    strmap_free(&seen);
}

/* ---- evaluating ----------------------------------------------------------------------------- */

void repl_flush(Repl *S, Diags *d)
{
    bool first = true;
    if (S->quiet) {
        for (size_t i = 0; i < d->n && !S->quiet_msg; i++)
            if (d->v[i].level == DIAG_ERROR)
                S->quiet_msg = xstrdup(d->v[i].msg);
        FILE *null = fopen("/dev/null", "w");
        if (null) {
            diag_flush(d, null, FMT_TEXT, &first);
            fclose(null);
        }
    } else {
        d->color = S->color;
        fflush(S->out);
        diag_flush(d, S->diag, FMT_TEXT, &first);
        fflush(S->diag);
    }
    d->nerrors = d->nwarnings = 0;
}

/* An error at <repl>:LINE:COL with its caret and, unless NULL, a note. */
static void error_at(Repl *S, const char *text, int line, int col, int len, const char *note,
                     const char *fmt, va_list ap)
{
    Source *src = source_new("<repl>", NULL, text, strlen(text), 0);
    src->first_line = line;
    Diags d = {0};
    diag_verror(&d, DIAG_ERROR, (Loc){src, line, col, line, col + (len > 0 ? len - 1 : 0)}, fmt,
                ap);
    if (note)
        diag_note_plain(&d, "%s", note);
    repl_flush(S, &d);
    diag_free(&d);
    source_free(src);
    S->errors++;
}

void repl_error_at(Repl *S, const char *text, int line, int col, int len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_at(S, text, line, col, len, NULL, fmt, ap);
    va_end(ap);
}

void repl_error_note_at(Repl *S, const char *text, int line, int col, int len, const char *note,
                        const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_at(S, text, line, col, len, note, fmt, ap);
    va_end(ap);
}

static void add_show(ReplWorld *w, const Node *s, const char *title)
{
    char *key = session_show_key(s);
    for (int i = 0; i < w->l.n; i++)
        if (strcmp(w->keys[i], key) == 0) {
            free(key);
            return;
        }
    int n = w->l.n + 1;
    w->l.shows = xrealloc(w->l.shows, (size_t)n * sizeof *w->l.shows);
    w->l.titles = xrealloc(w->l.titles, (size_t)n * sizeof *w->l.titles);
    w->keys = xrealloc(w->keys, (size_t)n * sizeof *w->keys);
    w->l.shows[w->l.n] = s;
    w->l.titles[w->l.n] = title;
    w->keys[w->l.n] = key;
    w->l.n = n;
}

/* The plan's reports and shows, one table per split metric and
 * dimension, and with actuals every review, statement and scorecard. */
static void collect_shows(ReplWorld *w, const ReplWorld *old)
{
    ShowList l = {0};
    Arena *arena = &w->s.p->main->arena;
    session_plan_shows(w->s.p, &l);
    repl_default_shows(w, old, &l);
    if (w->ra->act) {
        session_review_shows(w->s.p, arena, &l);
        for (Unit *u = w->s.p->units; u; u = u->next)
            for (Node *n = u->items; n; n = n->next)
                if (n->kind == N_INCENTIVE || n->kind == N_SCORECARD) {
                    Node *s = ast_new(arena, N_SHOW, n->loc);
                    s->name = n->name;
                    s->op = n->kind == N_INCENTIVE ? SHOW_INCENTIVE : SHOW_SCORECARD;
                    l.shows = xrealloc(l.shows, (size_t)(l.n + 1) * sizeof *l.shows);
                    l.titles = xrealloc(l.titles, (size_t)(l.n + 1) * sizeof *l.titles);
                    l.shows[l.n] = s;
                    l.titles[l.n++] = NULL;
                }
    }
    for (int i = 0; i < l.n; i++)
        add_show(w, l.shows[i], l.titles[i]);
    free(l.shows);
    free(l.titles);
}

static bool metric_decl(const Program *p, const Node *n)
{
    return n->kind == N_METRIC && strmap_get(&p->sym->metrics, n->name) == n;
}

static void add_root(ReplRoot **v, int *n, const char *name, const Node *metric, Num value)
{
    *v = xrealloc(*v, (size_t)(*n + 1) * sizeof **v);
    (*v)[(*n)++] = (ReplRoot){name, metric, value};
}

/* Root targets of the metrics that have one, and with actuals the total
 * payout of every incentive: what the change lines compare. */
static int compute_totals(ReplWorld *w, const ReplWorld *old)
{
    Symbols *s = w->s.p->sym;
    for (Unit *u = w->s.p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next) {
            Num v;
            if (metric_decl(w->s.p, n) &&
                (strmap_get(&s->targets, n->name) || strmap_get(&s->targets_from, n->name))) {
                const ReplRoot *r = NULL;
                for (int i = 0; repl_touch_same(old, w, n->name) && i < old->nroots && !r; i++)
                    r = strcmp(old->roots[i].name, n->name) == 0 ? &old->roots[i] : NULL;
                if (r)
                    v = r->value;
                else if (w->s.en.ev.metric(&w->s.en.ev, n, NULL, 0, NULL, &v) < 0)
                    return -1;
                add_root(&w->roots, &w->nroots, n->name, n, v);
            } else if (n->kind == N_INCENTIVE && w->ra->act &&
                       strmap_get(&s->incentives, n->name) == n) {
                if (ms_incentive_total(&w->s.ms, n, n, &v) < 0)
                    return -1;
                add_root(&w->payouts, &w->npayouts, n->name, NULL, v);
            }
        }
    return 0;
}

/* Whether no metric of show s was touched by the change. */
static bool show_untouched(const ReplWorld *old, const ReplWorld *w, const Node *s)
{
    bool same = s->op == SHOW_METRIC && repl_touch_same(old, w, s->name);
    for (const Node *m = s->b; same && m; m = m->next)
        same = repl_touch_same(old, w, m->name);
    return same;
}

/* The grid of table i: the previous evaluation's when its metrics are
 * untouched, else computed. */
static void table_grid(ReplWorld *w, const ReplWorld *old, int i)
{
    const Node *s = w->l.shows[i];
    for (int j = 0; show_untouched(old, w, s) && j < old->l.n; j++)
        if (strcmp(old->keys[j], w->keys[i]) == 0) {
            w->grids[i] = render_grid_ref(old->grids[j]);
            return;
        }
    session_show_grid(&w->s.en, &w->s.ms, s, &w->grids[i]);
}

/* Allocates every metric with splits or a target from a file whose
 * allocation the change touched (so that their errors show now). */
static void allocate_touched(ReplWorld *w, const ReplWorld *old)
{
    Program *p = w->s.p;
    for (Unit *u = p->units; u; u = u->next)
        for (Node *m = u->items; m; m = m->next)
            if (metric_decl(p, m) && !repl_touch_same(old, w, m->name) &&
                (alloc_has_splits(&w->s.en, m) || strmap_get(&p->sym->targets_from, m->name)))
                alloc_get(&w->s.en, m);
}

/* The months and weeks --as-of or :as-of names (checked: else none). */
static void set_as_of(ReplWorld *w, const char *as_of)
{
    int m = -1, wk = -2;
    if (ms_parse_as_of(w->s.p->sym, as_of, &m, &wk) == AS_OF_OK) {
        w->s.as_of = m;
        w->s.as_of_week = wk;
    }
}

/* The tables' grids, then the examples and assertions, then the totals
 * the change lines compare. */
static void compute_tables(ReplWorld *w, const ReplWorld *old)
{
    collect_shows(w, old);
    w->grids = xcalloc((size_t)w->l.n + 1, sizeof *w->grids);
    for (int i = 0; i < w->l.n && !w->s.d.nerrors; i++)
        table_grid(w, old, i);
    if (!w->s.d.nerrors)
        session_run(&w->s, SESSION_VERIFY);
    if (!w->s.d.nerrors)
        compute_totals(w, old);
}

/* Allocations (their errors), the tables, examples and assertions; what
 * the change did not touch is taken over from the current evaluation. */
static int evaluate(Repl *S, ReplWorld *w, const ReplState *st)
{
    if (!session_run(&w->s, SESSION_ENGINE))
        return -1;
    repl_touch_prepare(w);
    const ReplWorld *old = S->fresh ? NULL : S->world;
    allocate_touched(w, old);
    if (w->s.d.nerrors)
        return -1;
    if (!(w->ra = repl_actuals_get(S, w, st)))
        return -1;
    if (st->as_of)
        set_as_of(w, st->as_of);
    session_lend_actuals(&w->s, w->ra->act);
    if (!session_run(&w->s, SESSION_MEASURE))
        return -1;
    compute_tables(w, old);
    return w->s.d.nerrors ? -1 : 0;
}

/* Drops the warnings that do not point into the new entries (those of
 * the plan and of earlier entries were shown before). */
static void keep_new_warnings(Diags *d, Source **srcs, int nsrcs)
{
    size_t k = 0;
    for (size_t i = 0; i < d->n; i++) {
        bool keep = d->v[i].level == DIAG_ERROR;
        for (int j = 0; j < nsrcs && !keep; j++)
            keep = d->v[i].loc.src == srcs[j];
        if (keep) {
            d->v[k++] = d->v[i];
            continue;
        }
        for (size_t q = 0; q < d->v[i].nnotes; q++)
            free(d->v[i].notes[q].msg);
        free(d->v[i].notes);
        free(d->v[i].msg);
    }
    d->n = k;
}

/* The main unit's statements with the what-ifs of st applied, in order. */
static void apply_entries(ReplWorld *w, const ReplState *st)
{
    Unit *mu = w->s.p->main;
    for (Node *n = mu->items; n; n = n->next)
        slot_add(w, n, -1, stmt_key(n));
    w->nbase = w->nslots;
    w->esrc = xcalloc((size_t)st->nw + 1, sizeof *w->esrc);
    w->replaced = xcalloc((size_t)st->nw + 1, sizeof *w->replaced);
    w->line = xcalloc((size_t)st->nw + 1, sizeof *w->line);
    for (int i = 0; i < st->nw; i++)
        apply_entry(w, &st->w[i], i, st->base->dir);
    mu->items = NULL;
    for (int i = w->nslots - 1; i >= 0; i--) {
        w->slots[i].n->next = mu->items;
        mu->items = w->slots[i].n;
    }
}

ReplWorld *repl_world_build(Repl *S, const ReplState *st, int first_new)
{
    ReplWorld *w = xcalloc(1, sizeof *w);
    w->so.allow = S->allow;
    w->so.nallow = S->nallow;
    w->so.sources = S->sources;
    w->so.nsources = S->nsources;
    w->so.budget = &S->budget;
    w->so.lang = S->lang;
    session_init(&w->s, &w->so);
    const ReplBase *b = st->base;
    session_load_text(&w->s, b->file ? b->file : "<empty plan>", b->dir, b->text, b->len);
    w->s.p->rosters = S->rosters; /* the roster's members made from the last read */
    apply_entries(w, st);
    int rc = w->s.d.nerrors ? -1 : 0;
    if (rc == 0) {
        prog_load_new_imports(w->s.p); /* what the what-ifs import */
        rc = session_run(&w->s, SESSION_CHECK) ? evaluate(S, w, st) : -1;
    }
    if (rc == 0 && w->s.nworlds && st->nw > 0) { /* its years are the plan file's */
        diag_error(&w->s.d, (Loc){0},
                   "the plan covers %d fiscal years: the REPL changes a plan of one year",
                   w->s.p->sym->years);
        diag_note_plain(&w->s.d,
                        "edit the plan file, or try the change in a plan of one year (no `years`)");
        rc = -1;
    }
    if (rc == 0 && first_new >= 0 && !w->fresh_actuals) /* the new entries' warnings are news */
        keep_new_warnings(&w->s.d, w->esrc + first_new, st->nw - first_new);
    repl_flush(S, &w->s.d);
    if (rc < 0) {
        repl_world_free(S, w);
        return NULL;
    }
    return w;
}

/* A store must never point into a freed plan (act_free reads it): one
 * bound to w's plan moves to the current world's, or leaves the cache and
 * is freed with w's plan still alive. */
static void release_actuals(Repl *S, ReplWorld *w)
{
    ReplActuals *ra = w->ra;
    if (ra && ra->act && repl_actuals_bound_to(ra, w->s.p)) {
        if (S->world && S->world != w && S->world->ra == ra)
            repl_actuals_bind(ra, S->world->s.p);
        else if (S->ra == ra) {
            S->ra = NULL;
            repl_actuals_unref(ra);
        }
    }
    repl_actuals_unref(ra);
    w->ra = NULL;
}

/* The tables a world compares and their totals. */
static void free_tables(ReplWorld *w)
{
    for (int i = 0; i < w->l.n; i++) {
        free(w->keys[i]);
        if (w->grids)
            render_grid_unref(w->grids[i]);
    }
    free(w->keys);
    free(w->grids);
    free(w->l.shows);
    free(w->l.titles);
    free(w->roots);
    free(w->payouts);
}

void repl_world_free(Repl *S, ReplWorld *w)
{
    if (!w)
        return;
    if (w->s.measure) { /* before the store it reads may go */
        ms_free(&w->s.ms);
        w->s.measure = false;
    }
    release_actuals(S, w);
    free_tables(w);
    repl_touch_free(w);
    strmap_free(&w->slot_of);
    for (int i = 0; i < w->nslots; i++)
        free(w->slots[i].key);
    free(w->slots);
    free(w->esrc);
    free(w->replaced);
    free(w->line);
    repl_flush(S, &w->s.d);
    session_free(&w->s);
    free(w);
}

const char *repl_entry_effect(const ReplWorld *w, int i, char *buf, size_t cap)
{
    bool live = false;
    for (int k = 0; k < w->nslots && !live; k++) {
        live = w->slots[k].entry == i;
        for (const Node *l = w->line[i] ? w->slots[k].n->b : NULL; l && !live; l = l->next)
            live = w->slots[k].n->kind == N_INCENTIVE && l == w->line[i];
    }
    const Node *r = w->replaced[i];
    if (!live)
        snprintf(buf, cap, "replaced by a later what-if");
    else if (r)
        snprintf(buf, cap, "replaces %s:%d", r->loc.src->name, r->loc.line);
    else
        snprintf(buf, cap, "%s", w->line[i] ? "adds a line" : "adds");
    return buf;
}

/* ---- the plan text ------------------------------------------------------------------------ */

/* An incentive whose lines were changed, written from its lines. */
static void incentive_text(const Node *n, Buf *out)
{
    buf_printf(out, "incentive %s per %s {\n", n->name, n->a->name);
    for (const Node *l = n->b; l; l = l->next) {
        buf_puts(out, "  ");
        repl_node_text(l, out);
        buf_putc(out, '\n');
    }
    buf_putc(out, '}');
}

static void slot_text(const ReplSlot *s, const ReplBase *b, Buf *out)
{
    if (s->lines_changed)
        incentive_text(s->n, out);
    else if (s->entry < 0)
        buf_put(out, b->text + s->start, s->end - s->start);
    else
        repl_node_text(s->n, out);
}

void repl_world_text(const ReplWorld *w, const ReplState *st, Buf *out)
{
    const ReplBase *b = st->base;
    size_t pos = 0;
    for (int i = 0; i < w->nbase; i++) {
        const ReplSlot *s = &w->slots[i];
        buf_put(out, b->text + pos, s->start - pos);
        slot_text(s, b, out);
        pos = s->end;
    }
    buf_put(out, b->text + pos, b->len - pos);
    for (int i = w->nbase; i < w->nslots; i++) { /* what the what-ifs add, together */
        if (out->len && out->data[out->len - 1] != '\n')
            buf_putc(out, '\n');
        if (out->len && i == w->nbase)
            buf_putc(out, '\n');
        slot_text(&w->slots[i], b, out);
        buf_putc(out, '\n');
    }
}
