/* input.c -- how the REPL reads entries.
 *
 * On a terminal: GNU readline through its callback interface (so that
 * Ctrl-C can drop the entry being typed: SIGINT interrupts the wait for
 * input and the line state is cleaned up with rl_free_line_state and
 * rl_callback_sigcleanup), the prompt "salesplan> " and "...> " while
 * brackets are open, persistent history and Tab completion of keywords,
 * commands and the plan's names.  While an entry is evaluated, Ctrl-C sets
 * the flag the evaluation budget checks at every step (eval.h), so the
 * evaluation stops and the session goes on.  Otherwise plain lines from standard
 * input, no prompt, joined the same way.  Only the four wrappers below
 * (read a line, add to history, read and write the history file) know
 * about readline.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "eval/eval.h"
#include "repl/repl_int.h"
#include "syntax/syntax.h"

#define HISTORY_MAX 2000

struct ReplInput {
    Repl *S;
    bool rl;
    char *history; /* the history file, or NULL */
    char *line;    /* what the callback got */
    bool have_line;
    char *buf; /* getline's buffer */
    size_t cap;
};

static volatile sig_atomic_t got_sigint;
static ReplInput *current; /* readline's callbacks take no argument */

static volatile sig_atomic_t evaluating; /* an entry is being run, not typed */

static void on_sigint(int sig)
{
    (void)sig;
    if (evaluating && !got_sigint) /* the terminal echoed ^C: end its line */
        (void)!write(STDOUT_FILENO, "\n", 1);
    got_sigint = 1;
}

void repl_input_entry_begin(void)
{
    got_sigint = 0;
    evaluating = 1;
}

void repl_input_entry_end(void)
{
    evaluating = 0;
}

/* ---- brackets ----------------------------------------------------------------------------- */

int repl_open_brackets(const char *t)
{
    int depth = 0;
    for (const char *p = t; *p; p++) {
        if (*p == '#') {
            while (p[1] && p[1] != '\n')
                p++;
        } else if (*p == '"') {
            for (p++; *p && *p != '"' && *p != '\n'; p++)
                if (*p == '\\' && p[1])
                    p++;
            if (!*p)
                break;
        } else if (*p == '(' || *p == '[' || *p == '{') {
            depth++;
        } else if (*p == ')' || *p == ']' || *p == '}') {
            depth--;
        }
    }
    return depth;
}

/* ---- completion --------------------------------------------------------------------------- */

typedef struct {
    const char **v;
    size_t n, cap;
} Names;

static void name_add(Names *c, const char *s)
{
    if (!s || !*s)
        return;
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 256;
        c->v = xrealloc(c->v, c->cap * sizeof *c->v);
    }
    c->v[c->n++] = s;
}

static void map_names(Names *c, const StrMap *m)
{
    for (size_t i = 0; i < m->count; i++)
        name_add(c, m->slots[i].key);
}

static Names cands;
static size_t cand_next;
static Arena cand_text; /* "rep.quota": the candidates made for one completion */

/* Attribute names, bare (unit_price in a formula, tier in a filter) and
 * after each level of their dimension (rep.quota in sum and avg). */
static void attr_names(Names *c, const Dim *d)
{
    for (size_t i = 0; i < d->attr_names.count; i++) {
        const char *a = d->attr_names.slots[i].key;
        name_add(c, a);
        for (int l = 0; l < d->nlevels; l++)
            name_add(c, arena_printf(&cand_text, "%s.%s", d->levels[l].name, a));
    }
}

static Names owned; /* "history.NAME" candidates, made for one completion */

static char *history_ref(const char *name)
{
    size_t n = strlen(name) + sizeof "history.";
    char *r = xmalloc(n);
    snprintf(r, n, "history.%s", name);
    return r;
}

/* history.NAME for each history, and for each metric when there is one
 * history (last year's value per cell, SPEC §9). */
static void history_refs(Names *c, const Symbols *s)
{
    for (size_t i = 0; i < owned.n; i++)
        free((char *)owned.v[i]);
    owned.n = 0;
    for (size_t i = 0; i < s->histories.count; i++)
        name_add(&owned, history_ref(s->histories.slots[i].key));
    for (size_t i = 0; s->histories.count == 1 && i < s->metrics.count; i++)
        if (!strmap_get(&s->histories, s->metrics.slots[i].key))
            name_add(&owned, history_ref(s->metrics.slots[i].key));
    for (size_t i = 0; i < owned.n; i++)
        name_add(c, owned.v[i]);
}

/* Every name the plan declares, and the words of the language. */
static void plan_names(Names *c)
{
    for (int i = 0; ast_keywords[i]; i++)
        name_add(c, ast_keywords[i]);
    for (int l = 0; sym_word_lists[l]; l++)
        for (int i = 0; sym_word_lists[l][i]; i++)
            name_add(c, sym_word_lists[l][i]);
    for (const Builtin *b = eval_builtins; b->name; b++)
        name_add(c, b->name);
    name_add(c, "payout");
    const ReplWorld *w = current->S->world;
    if (!w)
        return;
    const Symbols *s = w->s.p->sym;
    const StrMap *maps[] = {&s->metrics,   &s->levels,     &s->lets,       &s->fns,
                            &s->histories, &s->incentives, &s->scorecards, &s->scenarios};
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++)
        map_names(c, maps[i]);
    history_refs(c, s);
    for (int d = 0; d < s->ndims; d++) {
        name_add(c, s->dims[d]->name);
        attr_names(c, s->dims[d]);
        for (size_t k = 0; k < s->dims[d]->nmembers; k++) {
            name_add(c, s->dims[d]->members[k]->name);
            name_add(c, s->dims[d]->members[k]->alias);
        }
    }
}

static void report_titles(Names *c)
{
    const ReplWorld *w = current->S->world;
    for (Unit *u = w ? w->s.p->units : NULL; u; u = u->next)
        for (Node *n = u->items; n; n = n->next)
            if (n->kind == N_REPORT)
                name_add(c, n->str);
}

static void command_names(Names *c)
{
    for (const ReplCommand *k = repl_command_table; k->name; k++)
        if (!k->alias)
            name_add(c, k->name);
}

static void format_names(Names *c)
{
    for (size_t i = 0; render_format_at(i); i++)
        if (!render_format_at(i)->binary) /* the REPL prints: no file formats */
            name_add(c, render_format_at(i)->name);
}

/* What follows "history.": each history, and each metric when there is one
 * history (its value last year, SPEC §9). */
static void history_names(Names *c, const Symbols *s)
{
    for (size_t i = 0; i < s->histories.count; i++)
        name_add(c, s->histories.slots[i].key);
    for (size_t i = 0; s->histories.count == 1 && i < s->metrics.count; i++)
        if (!strmap_get(&s->histories, s->metrics.slots[i].key))
            name_add(c, s->metrics.slots[i].key);
}

/* What may follow word and a dot: an incentive's lines (NAME.LINE = ...),
 * a metric's fields (target, actual, ...), a scorecard's (score, rating,
 * rank), a level's attributes (rep.base_salary), the histories. */
static void dotted_names(Names *c, const Symbols *s, const char *word)
{
    const Node *inc = strmap_get(&s->incentives, word);
    const Level *lv = strmap_get(&s->levels, word);
    for (const Node *l = inc ? inc->b : NULL; l; l = l->next)
        name_add(c, l->name);
    const char *const *fields = strmap_get(&s->metrics, word)      ? sym_metric_fields
                                : strmap_get(&s->scorecards, word) ? sym_card_fields
                                                                   : NULL;
    for (int i = 0; fields && fields[i]; i++)
        name_add(c, fields[i]);
    if (lv)
        map_names(c, &lv->dim->attr_names);
    if (strcmp(word, "history") == 0)
        history_names(c, s);
}

/* After "NAME.": only what may follow NAME and a dot (nothing after a word
 * that takes no dot); false when the word does not end in a dot. */
static bool field_names(Names *c, int start)
{
    if (start < 2 || rl_line_buffer[start - 1] != '.')
        return false;
    int a = start - 1;
    while (a > 0 && !strchr(rl_completer_word_break_characters, rl_line_buffer[a - 1]))
        a--;
    const ReplWorld *w = current->S->world;
    char *word = xstrndup(rl_line_buffer + a, (size_t)(start - 1 - a));
    if (w)
        dotted_names(c, w->s.p->sym, word);
    free(word);
    return true;
}

static char *next_candidate(const char *text, int state)
{
    if (state == 0)
        cand_next = 0;
    size_t len = strlen(text);
    while (cand_next < cands.n) {
        const char *s = cands.v[cand_next++];
        if (strncmp(s, text, len) == 0)
            return xstrdup(s);
    }
    return NULL;
}

static char **complete(const char *text, int start, int end)
{
    (void)end;
    const char *line = rl_line_buffer + strspn(rl_line_buffer, " \t");
    int lead = (int)(line - rl_line_buffer);
    cands.n = 0;
    arena_free(&cand_text);
    rl_attempted_completion_over = 1; /* no file names unless a command takes one */
    if (line[0] == ':') {
        size_t n = strcspn(line + 1, " \t");
        char *word = xstrndup(line + 1, n);
        const ReplCommand *cmd = repl_find_command(word);
        free(word);
        if (start <= lead + 1)
            command_names(&cands);
        else if (cmd && cmd->complete == RC_FILES) {
            rl_attempted_completion_over = 0;
            return NULL;
        } else if (cmd && cmd->complete == RC_REPORTS)
            report_titles(&cands);
        else if (cmd && cmd->complete == RC_FORMATS)
            format_names(&cands);
        else
            plan_names(&cands);
    } else if (!field_names(&cands, start)) {
        plan_names(&cands);
    }
    return rl_completion_matches(text, next_candidate);
}

/* ---- the four readline wrappers ---------------------------------------------------------- */

static void on_line(char *line)
{
    current->line = line;
    current->have_line = true;
    rl_callback_handler_remove();
}

/* Waits for a key on the terminal: 1, 0 after Ctrl-C, -1 on an error. */
static int wait_key(void)
{
    for (;;) {
        fd_set fds;
        int fd = fileno(rl_instream);
        FD_ZERO(&fds);
        FD_SET(fd, &fds);
        if (select(fd + 1, &fds, NULL, NULL, NULL) >= 0)
            return 1;
        if (errno != EINTR)
            return -1;
        if (got_sigint) {
            got_sigint = 0;
            return 0;
        }
    }
}

/* Ctrl-C: drops what is typed; the next line starts a new entry. */
static void drop_typed(void)
{
    rl_free_line_state();
    rl_callback_sigcleanup();
    rl_replace_line("", 0);
    rl_point = rl_end = rl_mark = 0;
    rl_callback_handler_remove();
    fputs("^C\n", rl_outstream);
    fflush(rl_outstream);
}

/* One line from the terminal; NULL at the end of input, *dropped after Ctrl-C. */
static char *rl_read_line(ReplInput *in, const char *prompt, bool *dropped)
{
    *dropped = false;
    got_sigint = 0;
    in->have_line = false;
    in->line = NULL;
    rl_callback_handler_install(prompt, on_line);
    while (!in->have_line) {
        int r = wait_key();
        if (r == 0) {
            drop_typed();
            *dropped = true;
            return NULL;
        }
        if (r < 0) {
            rl_callback_handler_remove();
            return NULL;
        }
        rl_callback_read_char();
    }
    if (!in->line)
        fputc('\n', rl_outstream); /* Ctrl-D: leave the shell's prompt on a line of its own */
    return in->line;
}

static void rl_add_history(const char *entry)
{
    if (!*entry)
        return;
    HIST_ENTRY *last = history_length ? history_get(history_base + history_length - 1) : NULL;
    if (!last || strcmp(last->line, entry) != 0)
        add_history(entry);
}

static void rl_read_history_file(ReplInput *in)
{
    using_history();
    stifle_history(HISTORY_MAX);
    if (in->history)
        read_history(in->history); /* none yet: fine */
}

static void rl_write_history_file(ReplInput *in)
{
    if (in->history && write_history(in->history) != 0)
        fprintf(stderr, "salesplan: cannot write the history to '%s'\n", in->history);
}

/* $SALESPLAN_HISTORY, else $XDG_STATE_HOME/salesplan/history, else ~/.salesplan_history. */
static char *history_path(void)
{
    const char *e = getenv("SALESPLAN_HISTORY");
    if (e && *e)
        return xstrdup(e);
    Buf b = {0};
    const char *x = getenv("XDG_STATE_HOME"), *h = getenv("HOME");
    if (x && *x) {
        buf_printf(&b, "%s/salesplan", x);
        mkdir(buf_cstr(&b), 0700); /* may exist */
        buf_puts(&b, "/history");
    } else if (h && *h) {
        buf_printf(&b, "%s/.salesplan_history", h);
    }
    return b.data;
}

/* ---- entries ------------------------------------------------------------------------------ */

ReplInput *repl_input_open(Repl *S)
{
    ReplInput *in = xcalloc(1, sizeof *in);
    in->S = S;
    in->rl = S->interactive;
    current = in;
    if (!in->rl)
        return in;
    rl_readline_name = "salesplan";
    rl_catch_signals = 0; /* SIGINT is ours: it drops the entry */
    rl_attempted_completion_function = complete;
    rl_completer_word_break_characters = " \t\n\"\\'`@$><=;|&{}()[],+-*/:.";
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);      /* no SA_RESTART: select is interrupted */
    S->budget.interrupt = &got_sigint; /* and an evaluation stops at its next step */
    in->history = history_path();
    rl_read_history_file(in);
    return in;
}

void repl_input_close(ReplInput *in)
{
    if (in->rl) {
        rl_write_history_file(in);
        clear_history();
        signal(SIGINT, SIG_DFL);
    }
    free(cands.v);
    memset(&cands, 0, sizeof cands);
    arena_free(&cand_text);
    free(in->history);
    free(in->buf);
    free(in);
    current = NULL;
}

bool repl_input_confirm(const char *question)
{
    if (!current || !current->rl)
        return false;
    sig_atomic_t was = evaluating;
    evaluating = 0; /* Ctrl-C answers no, as while typing */
    bool dropped;
    char *a = rl_read_line(current, question, &dropped);
    evaluating = was;
    got_sigint = 0;
    const char *t = a ? a + strspn(a, " \t") : "";
    size_t n = strcspn(t, " \t");
    bool yes = (n == 1 && (*t == 'y' || *t == 'Y')) || (n == 3 && strncasecmp(t, "yes", 3) == 0);
    free(a);
    return yes;
}

/* One line without its newline (malloc'd); NULL at the end of input. */
static char *read_line(ReplInput *in, bool more, bool *dropped)
{
    *dropped = false;
    if (in->rl)
        return rl_read_line(in, more ? "...> " : "salesplan> ", dropped);
    ssize_t n = getline(&in->buf, &in->cap, in->S->in);
    if (n < 0)
        return NULL;
    while (n > 0 && (in->buf[n - 1] == '\n' || in->buf[n - 1] == '\r'))
        in->buf[--n] = '\0';
    return xstrdup(in->buf);
}

/* The entry as history keeps it: on one line unless a comment needs the line ends. */
static void remember(ReplInput *in, const Buf *entry)
{
    if (!in->rl)
        return;
    char *h = xstrdup(buf_cstr((Buf *)entry));
    if (!strchr(h, '#'))
        for (char *p = h; *p; p++)
            if (*p == '\n')
                *p = ' ';
    rl_add_history(h);
    free(h);
}

/* Adds a line read (and frees it) to an entry; more: not its first line. */
static void add_line(ReplInput *in, Buf *entry, char *line, bool more, int *first_line)
{
    in->S->line++;
    if (!more)
        *first_line = in->S->line;
    else
        buf_putc(entry, '\n');
    buf_puts(entry, line);
    free(line);
}

/* Reads lines into entry while brackets are open (a :command is one
 * line); false at the end of input before the entry's first line.  The
 * brackets are counted line by line, each line once (strings and comments
 * end with their line), so an entry of many lines is read in linear time. */
static bool read_entry(ReplInput *in, Buf *entry, int *first_line)
{
    bool more = false;
    int depth = 0;
    for (;;) {
        bool dropped;
        char *line = read_line(in, more, &dropped);
        if (dropped) {
            entry->len = 0;
            more = false;
            depth = 0;
        } else if (!line) {
            return more; /* in an open bracket: the parser says what is missing */
        } else {
            bool command = !more && line[strspn(line, " \t")] == ':';
            depth += repl_open_brackets(line);
            add_line(in, entry, line, more, first_line);
            if (command || depth <= 0)
                return true;
            more = true;
        }
    }
}

char *repl_input_next(ReplInput *in, int *first_line)
{
    Buf entry = {0};
    char *s = NULL;
    if (read_entry(in, &entry, first_line)) {
        remember(in, &entry);
        s = xstrdup(buf_cstr(&entry));
    }
    buf_free(&entry);
    return s;
}
