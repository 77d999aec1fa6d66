/* analysis.c -- a document's text through the session pipeline, as
 * `check` runs it (the same sandbox: data files and imports beside the
 * document), and its diagnostics published with their notes as related
 * information and a quick fix kept for each did-you-mean. */
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "lsp/lsp_int.h"

void ls_run_free(LsRun *r)
{
    if (!r)
        return;
    session_free(&r->S);
    free(r->items);
    free(r);
}

static LsRun *run_new(const LsServer *sv, LsDoc *d)
{
    LsRun *r = xcalloc(1, sizeof *r);
    r->so.max_steps = sv->max_steps;
    session_init(&r->S, &r->so);
    r->version = d->version;
    session_load_text(&r->S, d->name, sv->no_files ? NULL : d->dir, buf_cstr(&d->text),
                      d->text.len);
    /* the check stage reports every mistake of the names at once; when it
     * finds one, `check` stops there too */
    r->complete = !session_run(&r->S, SESSION_CHECK);
    if (!r->complete && sv->settle_ms == 0) {
        session_check_all(&r->S);
        r->complete = true;
    }
    r->values = sv->settle_ms == 0; /* every step at once: hovers compute their values */
    r->checked = r->S.p->sym != NULL && r->S.p->syntax_errors == 0;
    return r;
}

/* The file: URI of the unit whose source is src, or NULL. */
static char *src_uri(const Program *p, const LsDoc *d, const Source *src)
{
    if (src && p->main && src == p->main->src)
        return xstrdup(d->uri);
    for (const Unit *u = p->units; src && u; u = u->next)
        if (u->src == src && u->realpath)
            return ls_uri_of(u->realpath);
    return NULL;
}

json_t *ls_location(const Program *p, LsDoc *d, const Loc *loc)
{
    char *uri = src_uri(p, d, loc->src);
    if (!uri)
        return NULL;
    json_t *l = json_pack("{s:s,s:o}", "uri", uri, "range", ls_range(loc));
    free(uri);
    return l;
}

/* A JSON string of s, with what is not UTF-8 replaced. */
static json_t *text(const char *s)
{
    json_t *j = json_string(s);
    if (j)
        return j;
    Buf b = {0};
    for (size_t i = 0, n = strlen(s); i < n;) {
        size_t k = utf8_seq_len((const unsigned char *)s + i, n - i);
        buf_put(&b, k ? s + i : "\xEF\xBF\xBD", k ? k : 3);
        i += k ? k : 1;
    }
    j = json_string(buf_cstr(&b));
    buf_free(&b);
    return j ? j : json_string("?");
}

/* The did-you-mean suggestion of a note, malloc'd, or NULL. */
static char *suggestion(const char *msg)
{
    const char *a = strstr(msg, "did you mean '");
    const char *b = a ? strrchr(msg, '\'') : NULL;
    a = a ? a + 14 : NULL;
    return a && b > a ? xstrndup(a, (size_t)(b - a)) : NULL;
}

/* The first quoted word of a message ('revnue'), malloc'd, or NULL. */
static char *quoted(const char *msg)
{
    const char *a = strchr(msg, '\'');
    const char *b = a ? strchr(a + 1, '\'') : NULL;
    return b && b > a + 1 ? xstrndup(a + 1, (size_t)(b - a - 1)) : NULL;
}

static void keep_fix(LsDoc *d, json_t *diag, const Diag *g, char *sugg)
{
    char *word = quoted(g->msg);
    if (!word || strcmp(word, sugg) == 0) {
        free(word);
        free(sugg);
        return;
    }
    d->fixes = xrealloc(d->fixes, (d->nfixes + 1) * sizeof *d->fixes);
    LsFix *f = &d->fixes[d->nfixes++];
    json_unpack(json_object_get(diag, "range"), "{s:{s:i,s:i},s:{s:i,s:i}}", "start", "line",
                &f->line, "character", &f->col, "end", "line", &f->end_line, "character",
                &f->end_col);
    f->diag = json_incref(diag);
    f->word = word;
    f->suggestion = sugg;
}

/* The notes of g as related information (a note without a place points
 * at the diagnostic itself). */
static json_t *related(LsRun *r, LsDoc *d, const Diag *g, json_t *range, char **sugg)
{
    json_t *a = json_array();
    for (size_t i = 0; i < g->nnotes; i++) {
        const DiagNote *n = &g->notes[i];
        json_t *loc = n->loc.src ? ls_location(r->S.p, d, &n->loc) : NULL;
        if (!loc)
            loc = json_pack("{s:s,s:O}", "uri", d->uri, "range", range);
        json_array_append_new(a, json_pack("{s:o,s:o}", "location", loc, "message", text(n->msg)));
        if (!*sugg)
            *sugg = suggestion(n->msg);
    }
    return a;
}

/* One diagnostic; one in another file (an import) is shown at the top of
 * the document, with its place in the message. */
static json_t *diagnostic(LsRun *r, LsDoc *d, const Diag *g)
{
    bool here = g->loc.src && r->S.p->main && g->loc.src == r->S.p->main->src;
    json_t *range = here ? ls_range(&g->loc) : ls_range_raw(0, 0, 0, 0);
    Buf msg = {0};
    if (!here && g->loc.src)
        buf_printf(&msg, "%s:%d:%d: ", g->loc.src->name, g->loc.line, g->loc.col);
    buf_puts(&msg, g->msg);
    char *sugg = NULL;
    json_t *rel = related(r, d, g, range, &sugg);
    json_t *j = json_pack("{s:o,s:i,s:s,s:o,s:o}", "range", range, "severity",
                          g->level == DIAG_ERROR ? 1 : 2, "source", "salesplan", "message",
                          text(buf_cstr(&msg)), "relatedInformation", rel);
    buf_free(&msg);
    if (sugg && here)
        keep_fix(d, j, g, sugg);
    else
        free(sugg);
    return j;
}

static void publish(LsServer *sv, LsDoc *d, LsRun *r)
{
    for (size_t i = 0; i < d->nfixes; i++) {
        json_decref(d->fixes[i].diag);
        free(d->fixes[i].word);
        free(d->fixes[i].suggestion);
    }
    d->nfixes = 0;
    json_t *list = json_array();
    for (size_t i = 0; i < r->S.d.n; i++)
        json_array_append_new(list, diagnostic(r, d, &r->S.d.v[i]));
    ls_notify(
        sv, "textDocument/publishDiagnostics",
        json_pack("{s:s,s:i,s:o}", "uri", d->uri, "version", r->version, "diagnostics", list));
}

void ls_analyse(LsServer *sv, LsDoc *d)
{
    if (!d->dirty)
        return;
    LsRun *r = run_new(sv, d);
    sv->analyses++;
    d->dirty = false;
    publish(sv, d, r);
    ls_index_items(r);
    if (d->cur != d->good)
        ls_run_free(d->cur);
    if (r->checked) {
        if (d->good != r)
            ls_run_free(d->good);
        d->good = r;
    }
    d->cur = r;
}

/* Set when input arrives during the second step: its evaluations stop at
 * their next step (EvalBudget.interrupt), and the editor is answered at
 * once; the step runs again when the text settles. */
static volatile sig_atomic_t input_came;
static int watched_fd = -1;

static void on_tick(int sig)
{
    (void)sig;
    struct pollfd p = {watched_fd, POLLIN, 0};
    if (poll(&p, 1, 0) > 0)
        input_came = 1;
}

/* Starts (fd >= 0) or stops watching fd for input every 10 ms. */
static void watch(int fd)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fd >= 0 ? on_tick : SIG_IGN;
    sa.sa_flags = SA_RESTART; /* the files the checks read are read on */
    sigemptyset(&sa.sa_mask);
    struct itimerval t = {{0, fd >= 0 ? 10000 : 0}, {0, fd >= 0 ? 10000 : 0}};
    watched_fd = fd;
    input_came = 0;
    if (fd >= 0)
        sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &t, NULL);
    if (fd < 0)
        sigaction(SIGALRM, &sa, NULL);
}

/* Watches the input during an evaluation of r (on: true) or stops. */
static void watching(LsServer *sv, LsRun *r, bool on)
{
    if (sv->in.fd < 0)
        return;
    session_budget(&r->S)->interrupt = on ? &input_came : NULL;
    watch(on ? sv->in.fd : -1);
}

/* The allocations a member's hover shows, made on the analysis's engine;
 * r->values says whether that finished (input stops it, and what it made
 * stays for the next try). */
static void make_values(LsRun *r)
{
    r->values = true;
    if (r->S.d.nerrors || !session_run(&r->S, SESSION_ENGINE))
        return;
    eval_budget_reset(session_budget(&r->S));
    r->values = ls_hover_prepare(r) && !input_came;
    if (!r->values) /* the evaluation it stopped is forgotten: hovers evaluate afresh */
        eval_budget_reset(session_budget(&r->S));
}

void ls_complete(LsServer *sv, LsDoc *d)
{
    LsRun *r = d->cur;
    if (r && r->stopped && !d->dirty) { /* a fresh session: the stopped one has the interruption */
        d->dirty = true;
        ls_analyse(sv, d);
        r = d->cur;
    }
    if (!r || (r->complete && r->values) || d->dirty)
        return;
    watching(sv, r, true);
    if (!r->complete) {
        session_check_all(&r->S);
        if (input_came) { /* names still answer from it; the checks start again when the text
                             settles */
            watching(sv, r, false);
            r->stopped = true;
            return;
        }
    }
    /* hovers on values answer at once from here on; when input stops this,
     * the diagnostics are published all the same and hovers say their
     * values are pending until it is done */
    make_values(r);
    watching(sv, r, false);
    if (!r->complete) {
        r->complete = true;
        publish(sv, d, r);
    }
}

LsRun *ls_names_run(LsServer *sv, LsDoc *d)
{
    ls_analyse(sv, d);
    return d->cur && d->cur->checked ? d->cur : d->good;
}
