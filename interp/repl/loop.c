/* loop.c -- `salesplan repl [FILE]`: the session loop and its entries.
 *
 * An entry (one line, or several while brackets are open) is a :command,
 * a statement (a what-if: applied on top of the plan, replacing the
 * declaration with the same key, see world.c; `show` only prints), a
 * NAME.LINE = EXPR change of an incentive line, or an expression (its value
 * is printed).  Every change builds a new evaluation; if it does not check,
 * its diagnostics are printed and the session keeps its state.  Errors
 * never end the session; :quit or the end of input does.
 */
#include "base/version.h"
#include "check/check.h"
#include "repl/repl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fmt/fmt.h"
#include "repl/repl_int.h"
#include "syntax/syntax.h"

const char repl_usage[] =
    "usage: salesplan repl [FILE] [--actuals CSV]... [--as-of YYYY-MM] [--format FORMAT]\n"
    "                      [--allow-path DIR] [--source NAME=URI] [--max-steps N]\n"
    "                      [--lang en|zh]\n"
    "\n"
    "An interactive what-if session on a plan (none: start from an empty plan).\n"
    "Type a statement to try it on top of the plan: it replaces the declaration\n"
    "with the same key (target M; split M by LEVEL [in SCOPE]; let, metric,\n"
    "incentive, scorecard... by name) or is added, and the answer says what\n"
    "changed: 'revenue: 14,000,000.00 -> 15,000,000.00 (+7.14%); 96 cells changed'.\n"
    "NAME.LINE = EXPR changes a line of an incentive (one it has), NAME + LINE =\n"
    "EXPR adds a line before its payout.  An expression prints its value\n"
    "(revenue[north, Q1], total(commission)); show ... prints a table.\n"
    "\n"
    "commands:\n"
    "  :help              this list             :list          the what-ifs applied\n"
    "  :load FILE         start over on a plan  :reload        re-read the file, keep\n"
    "  :baseline          compare with now                     the what-ifs that apply\n"
    "  :diff [SHOW]       cells changed since the baseline: baseline, now, delta\n"
    "  :undo              take back the last change (what-if, :reload, :actuals, :as-of)\n"
    "  :save FILE         write the plan with the what-ifs applied, formatted\n"
    "  :save! FILE        the same over an existing file (:save asks first at a\n"
    "                     terminal, and refuses without one)\n"
    "  :actuals [CSV...|none]  actuals to use (none: the plan's own)\n"
    "  :actuals reload    read the actuals again (a database's table changed)\n"
    "  :as-of [YYYY-MM|DAY|WEEK|none]   review up to this month, day or week\n"
    "  :format [{text-formats}]  how tables are printed\n"
    "  :report [TITLE]    print a report of the plan (no title: list them)\n"
    "  :run               every table `salesplan run` of the plan would print\n"
    "  :quit              leave (also Ctrl-D)\n"
    "\n"
    "On a terminal: line editing and history (GNU readline; $SALESPLAN_HISTORY,\n"
    "else $XDG_STATE_HOME/salesplan/history, else ~/.salesplan_history), Tab\n"
    "completes keywords, commands and the plan's names, '...>' continues an entry\n"
    "while brackets are open, Ctrl-C drops the entry being typed or stops its\n"
    "evaluation (the session goes on).  Otherwise entries are read\n"
    "from standard input without prompts, and diagnostics go to standard output\n"
    "with the answers, so a session is a diffable transcript.  --max-steps N bounds\n"
    "the evaluation of each entry (default 10000000 + 1000 per member).  --lang zh\n"
    "answers in Chinese (the plan's 'lang' is the default): heads, totals, status\n"
    "words and what changed; diagnostics stay English.\n"
    "\n"
    "exit status: 0; 1 when, without a terminal, an entry reported an error;\n"
    "2 usage errors or FILE cannot be read\n";

/* ---- small helpers ------------------------------------------------------------------------ */

void repl_say(Repl *S, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(S->out, fmt, ap);
    va_end(ap);
}

/* The first line of an entry, shortened, for messages. */
char *repl_short_text(const char *text)
{
    size_t n = strcspn(text, "\n");
    bool more = text[n] != '\0';
    if (n > 60) {
        n = 57;
        while (n && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--;
        more = true;
    }
    Buf b = {0};
    buf_put(&b, text, n);
    if (more)
        buf_puts(&b, " ...");
    return b.data ? b.data : xstrdup("");
}

/* ---- changing the state ------------------------------------------------------------------- */

static void push_undo(Repl *S)
{
    S->undo = xrealloc(S->undo, (size_t)(S->nundo + 1) * sizeof *S->undo);
    S->st.valid = S->world != NULL;
    S->undo[S->nundo++] = S->st;
    memset(&S->st, 0, sizeof S->st);
}

void repl_commit(Repl *S, ReplState *next, ReplWorld *w, const char *what)
{
    repl_say_changes(S, S->world, w);
    push_undo(S);
    S->st = *next;
    free(S->st.what);
    S->st.what = xstrdup(what);
    memset(next, 0, sizeof *next);
    ReplWorld *old = S->world;
    S->world = w;
    repl_world_free(S, old);
}

void repl_clear_undo(Repl *S)
{
    for (int i = 0; i < S->nundo; i++)
        repl_state_free(&S->undo[i]);
    free(S->undo);
    S->undo = NULL;
    S->nundo = 0;
}

static bool apply_whatif(Repl *S, const char *text, int line, const char *incentive, bool adds)
{
    ReplState next;
    repl_state_copy(&next, &S->st);
    repl_entry_add(&next, text, line, incentive, adds);
    ReplWorld *w = repl_world_build(S, &next, next.nw - 1);
    if (!w) {
        fputs("what-if not applied\n", S->diag);
        S->errors++;
        repl_state_free(&next);
        return false;
    }
    char *what = repl_short_text(text);
    repl_commit(S, &next, w, what);
    free(what);
    return true;
}

void repl_apply_setting(Repl *S, ReplState *next, const char *what)
{
    ReplWorld *w = repl_world_build(S, next, next->nw);
    if (!w) {
        repl_say(S, repl_zh(S) ? "未修改\n" : "not changed\n");
        S->errors++;
        repl_state_free(next);
        return;
    }
    repl_commit(S, next, w, what);
}

/* ---- entries ------------------------------------------------------------------------------ */

static const char *const stmt_words[] = {"plan",      "import",  "dimension", "metric",  "let",
                                         "fn",        "target",  "split",     "history", "actuals",
                                         "incentive", "example", "scorecard", "review",  "scenario",
                                         "assert",    "report",  "show",      NULL};

static bool ident_char(unsigned char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c >= 0x80;
}

/* The identifier at s: its length (0: none). */
static size_t ident_len(const char *s)
{
    size_t n = 0;
    if (*s >= '0' && *s <= '9')
        return 0;
    while (ident_char((unsigned char)s[n]))
        n++;
    return n;
}

static bool starts_statement(const char *s)
{
    size_t n = ident_len(s);
    for (int i = 0; n && stmt_words[i]; i++)
        if (strlen(stmt_words[i]) == n && strncmp(s, stmt_words[i], n) == 0)
            return true;
    return false;
}

/* NAME.LINE = EXPR or NAME + LINE = EXPR (*adds): returns NAME (malloc'd), or NULL. */
static char *line_change(const char *s, bool *adds)
{
    size_t a = ident_len(s);
    if (!a)
        return NULL;
    const char *p = s + a;
    while (*p == ' ' || *p == '\t')
        p++;
    *adds = *p == '+';
    if (*p != '.' && *p != '+')
        return NULL;
    p++;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t b = ident_len(p);
    if (!b)
        return NULL;
    p += b;
    while (*p == ' ' || *p == '\t')
        p++;
    if (p[0] != '=' || p[1] == '=')
        return NULL;
    return xstrndup(s, a);
}

void repl_print_shows(Repl *S, Node *items, const char *title, bool check)
{
    ReplWorld *w = S->world;
    ShowList l = {0};
    int errors = w->s.d.nerrors;
    for (Node *s = items; s; s = s->next) {
        if (s->kind != N_SHOW)
            continue;
        if (check)
            check_statement(w->s.p, s);
        l.shows = xrealloc(l.shows, (size_t)(l.n + 1) * sizeof *l.shows);
        l.titles = xrealloc(l.titles, (size_t)(l.n + 1) * sizeof *l.titles);
        l.shows[l.n] = s;
        l.titles[l.n++] = title;
    }
    Buf out = {0};
    bool color = S->interactive && term_color(1);
    if (w->s.d.nerrors == errors)
        session_render_parts(w->s.p, &w->so, &w->s.en, &w->s.ms, &l, S->format, color, &out);
    if (w->s.d.nerrors > errors)
        S->errors++;
    repl_flush(S, &w->s.d);
    fwrite(buf_cstr(&out), 1, out.len, S->out);
    buf_free(&out);
    free(l.shows);
    free(l.titles);
}

bool repl_need_world(Repl *S, const char *text, int line)
{
    if (S->world)
        return true;
    const char *t = text + strspn(text, " \t");
    repl_error_at(S, text, line, (int)(t - text) + 1, 1, "no plan to evaluate: %s",
                  S->st.base && S->st.base->file
                      ? "the plan does not check (fix it and :reload, or change it with a what-if)"
                      : "type a plan header, or :load FILE");
    return false;
}

/* Parses an entry of statements alone: whether it does (else its errors
 * are reported), whether it changes the plan and whether it shows tables. */
static bool scan_statements(Repl *S, const char *text, int line, bool *changes, bool *shows)
{
    Source *src = source_new("<repl>", NULL, text, strlen(text), 0);
    src->first_line = line;
    Arena arena = {0};
    Diags d = {0};
    int nerr = 0;
    Node *items = ast_parse(src, &arena, &d, &nerr);
    S->statements_changed = false;
    for (Node *n = items; n; n = n->next) {
        *changes |= n->kind != N_SHOW;
        *shows |= n->kind == N_SHOW;
        S->statements_changed |= n->kind == N_INCENTIVE || n->kind == N_SCORECARD ||
                                 n->kind == N_REVIEW || n->kind == N_EXAMPLE;
    }
    bool ok = !d.nerrors;
    if (!ok) {
        repl_flush(S, &d);
        S->errors++;
    }
    diag_free(&d);
    arena_free(&arena);
    source_free(src);
    return ok;
}

/* The show statements of an entry, printed from the current evaluation. */
static void print_entry_shows(Repl *S, const char *text, int line)
{
    Unit *u = NULL;
    Node *items = prog_parse_unit(S->world->s.p, "<repl>", NULL, text, strlen(text), line, &u);
    u->items = NULL;
    repl_print_shows(S, items, NULL, true);
}

/* An entry of statements: its changes applied as one what-if, then its shows printed. */
static void statements(Repl *S, const char *text, int line)
{
    bool changes = false, shows = false;
    if (!scan_statements(S, text, line, &changes, &shows))
        return;
    if (changes && !apply_whatif(S, text, line, NULL, false))
        return;
    if (shows && repl_need_world(S, text, line))
        print_entry_shows(S, text, line);
}

/* Parses an expression entry in world w as `let _ = EXPR`: the let, or
 * NULL after reporting why not. */
static Node *parse_expression(Repl *S, ReplWorld *w, const char *text, int line)
{
    Buf t = {0};
    buf_printf(&t, "let _ =\n%s", text); /* the expression keeps its line and columns */
    Unit *u = NULL;
    int errors = w->s.d.nerrors;
    Node *items = prog_parse_unit(w->s.p, "<repl>", NULL, buf_cstr(&t), t.len, line - 1, &u);
    u->items = NULL;
    buf_free(&t);
    if (w->s.d.nerrors > errors) {
        S->errors++;
        repl_flush(S, &w->s.d);
        return NULL;
    }
    if (!items || items->kind != N_LET || items->next) {
        repl_flush(S, &w->s.d);
        const char *s = text + strspn(text, " \t");
        repl_error_at(S, text, line, (int)(s - text) + 1, 1,
                      "expected a statement, an expression or a :command");
        return NULL;
    }
    return items;
}

/* An expression entry: its value printed. */
static void expression(Repl *S, const char *text, int line)
{
    if (!repl_need_world(S, text, line))
        return;
    ReplWorld *w = S->world;
    int errors = w->s.d.nerrors;
    Node *let = parse_expression(S, w, text, line);
    if (!let)
        return;
    Kind kind = check_expression(w->s.p, let->a);
    Value v;
    if (w->s.d.nerrors == errors && ms_eval_plan(&w->s.ms, let->a, &v) == 0 &&
        w->s.d.nerrors == errors) {
        Buf out = {0};
        repl_say_value(S, &v, (int)kind, &out);
        fwrite(buf_cstr(&out), 1, out.len, S->out);
        buf_free(&out);
    }
    if (w->s.d.nerrors > errors)
        S->errors++;
    repl_flush(S, &w->s.d);
}

const char *repl_first_token(const char *p)
{
    for (;;) {
        p += strspn(p, " \t\r\n");
        if (*p != '#')
            return p;
        p += strcspn(p, "\n");
    }
}

/* An entry by its kind: a :command, NAME.LINE = EXPR or NAME + LINE =
 * EXPR, statements or an expression (p: its first token). */
static void run_entry(Repl *S, const char *text, int line, const char *p)
{
    if (*p == ':') {
        repl_command(S, text, line);
        return;
    }
    bool adds = false;
    char *inc = line_change(p, &adds);
    S->statements_changed = inc != NULL;
    if (inc)
        apply_whatif(S, text, line, inc, adds);
    else if (starts_statement(p))
        statements(S, text, line);
    else
        expression(S, text, line);
    free(inc);
}

/* One entry, its evaluation bounded by the budget afresh: Ctrl-C or
 * --max-steps stop it with an error (what it was making is forgotten by
 * the caches, eval.h) and the session goes on. */
static void entry(Repl *S, const char *text, int line)
{
    S->entry_text = text;
    eval_budget_reset(&S->budget);
    const char *p = repl_first_token(text);
    if (!*p)
        return;
    repl_input_entry_begin();
    run_entry(S, text, line, p);
    repl_input_entry_end();
}

/* ---- the session -------------------------------------------------------------------------- */

/* The plan file as the session's base; 2 after saying why it cannot be read. */
static int read_plan(Repl *S, const char *file)
{
    size_t len = 0;
    char *text = repl_read_file(file, &len);
    if (!text) {
        fprintf(stderr, "salesplan: cannot read '%s': %s\n", file,
                errno == EFBIG ? "file too large (over 64 MiB)" : strerror(errno));
        return 2;
    }
    char *dir = repl_dir_of(file);
    S->st.base = repl_base_new(file, dir, text, len);
    free(dir);
    free(text);
    return 0;
}

/* --as-of names no month, day or week of the plan's year: says so, returns 2. */
static int as_of_error(const Repl *S)
{
    const Symbols *s = S->world->s.p->sym;
    fprintf(stderr,
            "salesplan: --as-of '%s' is not a month of FY%d (YYYY-MM, %s .. %s), nor one of its "
            "days (YYYY-MM-DD) or weeks\n",
            S->st.as_of, s->year, ms_month_label(s, 0), ms_month_label(s, 11));
    return 2;
}

/* The evaluation of the base the session starts from; 0 or 2. */
static int first_world(Repl *S, const char *file)
{
    S->world = repl_world_build(S, &S->st, -1);
    int m, w;
    if (S->world && S->st.as_of &&
        ms_parse_as_of(S->world->s.p->sym, S->st.as_of, &m, &w) != AS_OF_OK)
        return as_of_error(S);
    if (!S->world) {
        fprintf(S->diag, "%s does not check: fix it and :reload, or :load another plan\n", file);
        S->errors++;
    }
    repl_set_baseline(S);
    return 0;
}

/* The session's first state: the plan file evaluated (or an empty plan); 0 or 2. */
static int start(Repl *S, const char *file)
{
    if (!file) {
        S->st.base = repl_base_new(NULL, ".", "", 0);
        repl_set_baseline(S);
        return 0;
    }
    if (read_plan(S, file) != 0)
        return 2;
    return first_world(S, file);
}

static void finish(Repl *S)
{
    repl_world_free(S, S->world);
    S->world = NULL;
    repl_state_free(&S->st);
    repl_clear_undo(S);
    repl_baseline_free(S);
    repl_actuals_unref(S->ra);
    roster_images_free(S->rosters);
    free(S->quiet_msg);
    free(S->allow);
    free(S->sources);
}

/* --help: the usage on stdout; returns -1. */
static int print_help(void)
{
    Buf u = {0};
    render_usage(&u, repl_usage);
    fputs(buf_cstr(&u), stdout);
    buf_free(&u);
    return -1;
}

/* "salesplan: MESSAGE" and the --help hint on stderr; returns 2. */
static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("salesplan: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'salesplan repl --help'.\n", stderr);
    return 2;
}

static bool takes_value(const char *a)
{
    return strcmp(a, "--actuals") == 0 || strcmp(a, "--as-of") == 0 ||
           strcmp(a, "--allow-path") == 0 || strcmp(a, "--format") == 0 ||
           strcmp(a, "--max-steps") == 0 || strcmp(a, "--lang") == 0 || strcmp(a, "--source") == 0;
}

/* An option that takes a value (takes_value), with its value v; 0 or 2. */
static int value_option(Repl *S, const char *a, const char *v)
{
    if (strcmp(a, "--actuals") == 0) {
        S->st.actuals = xrealloc(S->st.actuals, (size_t)(S->st.nactuals + 1) * sizeof(char *));
        S->st.actuals[S->st.nactuals++] = xstrdup(v);
    } else if (strcmp(a, "--as-of") == 0) {
        free(S->st.as_of);
        S->st.as_of = xstrdup(v);
    } else if (strcmp(a, "--allow-path") == 0) {
        S->allow[S->nallow++] = v;
    } else if (strcmp(a, "--source") == 0) {
        const char *eq = strchr(v, '=');
        if (!eq || eq == v || !eq[1])
            return usage_error("--source needs NAME=URI, such as crm=postgresql:///sales");
        S->sources[S->nsources++] = v;
    } else if (strcmp(a, "--lang") == 0) {
        Lang l;
        if (!lang_parse(v, &l))
            return usage_error("unknown language '%s' for --lang (expected en or zh)", v);
        S->lang = v;
    } else if (strcmp(a, "--max-steps") == 0) {
        if (!session_parse_max_steps(v, &S->budget.max_steps))
            return usage_error("--max-steps needs a positive whole number");
    } else if (!(S->format = render_format(v))) {
        Buf names = {0};
        render_format_names(&names, ", ", " or ");
        int rc = usage_error("unknown format '%s' (expected %s)", v, buf_cstr(&names));
        buf_free(&names);
        return rc;
    } else if (S->format->binary) {
        return usage_error("the REPL prints tables: %s is a file format (use 'salesplan run "
                           "--format %s -o FILE')",
                           v, v);
    }
    return 0;
}

/* The argument at argv[*i]: 0, 2 after a usage error, or -1: --help was printed. */
static int repl_arg(Repl *S, int argc, char **argv, int *i, const char **file)
{
    const char *a = argv[*i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
        return print_help();
    if (takes_value(a) && *i + 1 < argc)
        return value_option(S, a, argv[++*i]);
    if (a[0] == '-' && a[1])
        return usage_error("%s '%s' for repl",
                           takes_value(a) ? "a value is needed after" : "unknown option", a);
    if (*file)
        return usage_error("repl takes one plan file (got a second: '%s')", a);
    *file = a;
    return 0;
}

/* The arguments into S (the options) and *file; 0, 2 after a usage error,
 * or -1: --help was printed. */
static int parse_args(Repl *S, int argc, char **argv, const char **file)
{
    S->allow = xcalloc((size_t)argc + 1, sizeof *S->allow);
    S->sources = xcalloc((size_t)argc + 1, sizeof *S->sources);
    int rc = 0;
    for (int i = 0; i < argc && !rc; i++)
        rc = repl_arg(S, argc, argv, &i, file);
    return rc;
}

static void init(Repl *S)
{
    memset(S, 0, sizeof *S);
    S->format = render_format_default();
    S->interactive = isatty(0);
    S->in = stdin;
    S->out = stdout;
    S->diag = S->interactive ? stderr : stdout;
    S->color = S->interactive && term_color(2);
    S->rosters = roster_images_new();
}

/* Reads and runs entries until :quit or the end of input. */
static void read_entries(Repl *S, const char *file)
{
    if (S->interactive)
        printf("salesplan %s repl%s%s; :help lists the commands, Ctrl-D leaves\n",
               SALESPLAN_VERSION, file ? " on " : "",
               file ? file : " (no plan: type a plan header, or :load FILE)");
    ReplInput *in = repl_input_open(S);
    char *text;
    int line = 0;
    while (!S->quit && (text = repl_input_next(in, &line))) {
        entry(S, text, line);
        free(text);
        fflush(S->out);
        fflush(S->diag);
    }
    repl_input_close(in);
}

int repl_main(int argc, char **argv)
{
    Repl S;
    init(&S);
    const char *file = NULL;
    int rc = parse_args(&S, argc, argv, &file);
    if (rc == 0)
        rc = start(&S, file);
    if (rc == 0) {
        read_entries(&S, file);
        rc = !S.interactive && S.errors ? 1 : 0;
    }
    finish(&S);
    return rc < 0 ? 0 : rc;
}

int repl_run_text(const char *name, const char *dir, const char *text, size_t len, FILE *in,
                  FILE *out, uint64_t max_steps)
{
    Repl S;
    init(&S);
    S.budget.max_steps = max_steps;
    S.interactive = S.color = false;
    S.in = in;
    S.out = S.diag = out;
    S.st.base = repl_base_new(name, dir, text, len);
    int rc = first_world(&S, name);
    if (rc == 0) {
        read_entries(&S, name);
        rc = S.errors ? 1 : 0;
    }
    finish(&S);
    return rc;
}
