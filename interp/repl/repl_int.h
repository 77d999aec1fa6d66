/* repl_int.h -- shared by the REPL's files: loop.c (the session loop and
 * its entries), commands.c (the :commands), world.c (a session state
 * evaluated: the plan with the what-ifs applied, its tables and the text
 * :save writes), answers.c (what changed, values, :diff), fingerprint.c
 * (what a change touches), save.c (:save), input.c (reading entries:
 * readline, history, completion, Ctrl-C) and actuals_cache.c (the actuals
 * store kept across evaluations).  Not for other modules: repl.h is the
 * interface.
 *
 * Ownership: a ReplState owns its entries and strings and shares its
 * ReplBase (reference counted).  A ReplWorld owns its Program, Engine,
 * Measure, tables and Diags, and holds a reference to a ReplActuals.  The
 * Repl owns the current state and world, the undo stack, the baseline,
 * the actuals cache and the --allow-path array (its strings are argv's).
 */
#ifndef REPL_INT_H
#define REPL_INT_H

#include <stdio.h>

#include "alloc/alloc.h"
#include "base/term.h"
#include "check/check.h"
#include "data/actuals.h"
#include "measure/measure.h"
#include "render/render.h"
#include "session/session.h"

/* The plan text the session started from (:load, :reload). */
typedef struct {
    int refs;
    char *file; /* as given, or NULL: a session without a plan file */
    char *dir;  /* where data paths and imports resolve; NULL: nowhere (no file is read) */
    char *text;
    size_t len;
} ReplBase;

/* One what-if: an entry of one or more statements, NAME.LINE = EXPR (a
 * line of an incentive changed) or NAME + LINE = EXPR (a line added). */
typedef struct {
    char *text;      /* as typed, lines joined with '\n' */
    int line;        /* its first input line */
    char *incentive; /* NAME of a NAME.LINE or NAME + LINE entry, else NULL */
    bool adds;       /* NAME + LINE = EXPR */
} ReplEntry;

typedef struct {
    ReplBase *base; /* NULL: nothing loaded */
    ReplEntry *w;
    int nw;
    char **actuals; /* :actuals files (replacing the plan's); none: the plan's */
    int nactuals;
    char *as_of; /* YYYY-MM, or NULL */
    char *what;  /* the entry or command that made this state (for :undo) */
    bool valid;  /* it checked (on the undo stack: whether to evaluate it again) */
} ReplState;

/* The actuals store, shared by the evaluations whose plans have the same
 * dimensions, base metrics and actuals sources (actuals_cache.c). */
typedef struct ReplActuals {
    int refs;
    Actuals *act; /* NULL: there are no actuals */
    char *sig;    /* what it was read for */
} ReplActuals;

/* A statement of the main unit: a base statement, or one a what-if put
 * in its place or after the base. */
typedef struct {
    Node *n;
    size_t start, end;  /* base statements: their bytes in the base text */
    int entry;          /* -1: the base's own; else the entry that placed it */
    bool lines_changed; /* an incentive whose lines NAME.LINE entries changed */
    char *key;          /* what a what-if must match to replace it, or NULL */
} ReplSlot;

typedef struct {
    const char *name;
    const Node *metric;
    Num value;
} ReplRoot;

typedef struct {
    SessionOpts so; /* what the evaluation may read (the session's --allow-path) */
    Session s;      /* the evaluation: its diagnostics, program, engine and measure */
    ReplActuals *ra;
    bool fresh_actuals; /* read for this evaluation (its warnings are news) */
    ReplSlot *slots;
    int nslots, nbase, cap_slots;
    StrMap slot_of;        /* a slot's key -> its index + 1, the first slot with that key */
    Source **esrc;         /* per entry: its Source */
    const Node **replaced; /* per entry: the first statement of the plan it replaced */
    Node **line;           /* per NAME.LINE entry: its line */
    ShowList l;            /* the tables compared after each change */
    char **keys;           /* per table: session_show_key */
    RenderGrid **grids;    /* per table: its logical grid (shared with later evaluations) */
    ReplRoot *roots;       /* per metric with a target: the root target */
    int nroots;
    ReplRoot *payouts; /* per incentive, with actuals: total(INCENTIVE) */
    int npayouts;
    char *fp_common; /* fingerprint.c: what every metric depends on */
    StrMap fp;       /* metric name -> the text of what its allocation depends on */
    Arena fp_arena;
    char **default_metric, **default_level; /* the default tables: metric by level */
    int ndefault;
} ReplWorld;

typedef struct {
    ReplState st;
    ReplWorld *world; /* NULL: the plan does not check (or none is loaded) */
    ReplState *undo;
    int nundo;
    ReplState base_st; /* :baseline */
    char **base_keys;
    RenderGrid **base_grids;
    int *base_nkey;
    int nbase_tables;
    bool have_baseline;
    ReplActuals *ra;       /* the cache */
    RosterImages *rosters; /* rosters read: each evaluation makes their members again */
    const char **allow;
    int nallow;
    const char **sources; /* --source NAME=URI (argv's strings) */
    int nsources;
    const RenderFormat *format;
    const char *lang; /* --lang en|zh (checked), or NULL: the plan's */
    bool interactive;
    FILE *in;                /* entries, without a terminal */
    FILE *out;               /* answers */
    FILE *diag;              /* diagnostics: stdout when not interactive */
    bool color;              /* diagnostics in colour */
    int line;                /* input lines read so far */
    const char *entry_text;  /* the entry being run */
    int errors;              /* entries that reported an error */
    bool statements_changed; /* the what-if changes an incentive, scorecard or review */
    int quiet;               /* > 0: diagnostics are not printed, the first error is kept */
    char *quiet_msg;
    bool fresh; /* evaluate everything: take nothing over from the current evaluation */
    bool quit;
    EvalBudget budget; /* every evaluation's: reset per entry; Ctrl-C sets its interrupt */
} Repl;

/* ---- world.c ---- */
ReplBase *repl_base_new(const char *file, const char *dir, const char *text, size_t len);
void repl_base_unref(ReplBase *b);
void repl_state_copy(ReplState *dst, const ReplState *src);
void repl_state_free(ReplState *st);
void repl_entry_add(ReplState *st, const char *text, int line, const char *incentive, bool adds);
/* Drops the entries from index n on. */
void repl_entries_truncate(ReplState *st, int n);
/* Evaluates a state: NULL after printing its diagnostics.  Warnings are
 * printed only when they point into entries from index first_new on
 * (-1: all of them).  What the change did not touch is taken over from
 * the current evaluation (S->world), unless S->fresh. */
ReplWorld *repl_world_build(Repl *S, const ReplState *st, int first_new);
void repl_world_free(Repl *S, ReplWorld *w);
/* The plan text of the world: the base with the what-ifs in place. */
void repl_world_text(const ReplWorld *w, const ReplState *st, Buf *out);
/* Prints and clears a world's diagnostics (quiet: keeps the first error). */
void repl_flush(Repl *S, Diags *d);
/* An error about an entry, at <repl>:LINE:COL with its caret (len code points). */
void repl_error_at(Repl *S, const char *text, int line, int col, int len, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* The same with a note after it (a hint: what to do instead). */
void repl_error_note_at(Repl *S, const char *text, int line, int col, int len, const char *note,
                        const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Appends the text of a node's source range. */
void repl_node_text(const Node *n, Buf *out);
/* What entry i did in world w: "replaces FILE:LINE", "adds", "replaced later". */
const char *repl_entry_effect(const ReplWorld *w, int i, char *buf, size_t cap);

/* ---- answers.c ---- */
/* One line per metric or statement a change moved (or "nothing changed"). */
void repl_say_changes(Repl *S, const ReplWorld *old, const ReplWorld *now);
/* Whether the session answers in Chinese: --lang, else the plan's `lang`. */
bool repl_zh(const Repl *S);
/* A value as the REPL prints it, by kind (model's Kind). */
void repl_say_value(Repl *S, const Value *v, int kind, Buf *out);
/* :diff [SHOW]; argcol: the column of SHOW in the entry */
void repl_cmd_diff(Repl *S, const char *arg, int argcol);
/* Saves the baseline's tables (the current world's). */
void repl_set_baseline(Repl *S);
void repl_baseline_free(Repl *S);
/* A money, count or percent value as the change lines show it. */
char *repl_fmt_metric(const ReplWorld *w, const Node *metric, Num v, char *buf);

/* ---- fingerprint.c ---- */
/* Fingerprints every metric of a checked plan. */
void repl_touch_prepare(ReplWorld *w);
/* Whether metric's allocation in w is the one in old (NULL: no). */
bool repl_touch_same(const ReplWorld *old, const ReplWorld *w, const char *metric);
void repl_touch_free(ReplWorld *w);
/* One table per split metric and dimension, as session_default_shows; an
 * untouched metric's are old's, without evaluating it. */
void repl_default_shows(ReplWorld *w, const ReplWorld *old, ShowList *l);

/* ---- save.c ---- */
/* :save FILE, or :save! FILE (force: over an existing file); text: the
 * entry, argcol: the column of FILE. */
void repl_cmd_save(Repl *S, const char *text, int line, const char *file, int argcol, bool force);

/* ---- actuals_cache.c ---- */
/* The store for a world's checked plan: the cached one (rebound to this
 * plan) when its dimensions, base metrics and sources are the same, else
 * a new one read now.  NULL after reporting a read error. */
ReplActuals *repl_actuals_get(Repl *S, ReplWorld *w, const ReplState *st);
void repl_actuals_unref(ReplActuals *ra);
/* Points the store at plan p again (p must be one it was valid for). */
void repl_actuals_bind(ReplActuals *ra, Program *p);
bool repl_actuals_bound_to(const ReplActuals *ra, const Program *p);

/* ---- input.c ---- */
typedef struct ReplInput ReplInput;
ReplInput *repl_input_open(Repl *S);
/* The next entry (lines joined while brackets are open), malloc'd; NULL at
 * the end of input.  *first_line: the number of its first line. */
char *repl_input_next(ReplInput *in, int *first_line);
/* Around the run of an entry: Ctrl-C then interrupts its evaluation (on
 * a terminal, the budget's interrupt flag is set: repl_input_open). */
void repl_input_entry_begin(void);
void repl_input_entry_end(void);
void repl_input_close(ReplInput *in);
/* At a terminal: asks question and whether the answer is yes (y or yes);
 * false for anything else, Ctrl-C, Ctrl-D, or without a terminal. */
bool repl_input_confirm(const char *question);
/* Open brackets left at the end of text (strings and comments skipped). */
int repl_open_brackets(const char *text);

/* ---- loop.c: the session and its entries ---- */
extern const char repl_usage[];
void repl_say(Repl *S, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The first line of an entry, shortened, for messages (malloc'd). */
char *repl_short_text(const char *text);
/* The first token of an entry: after white space and comments. */
const char *repl_first_token(const char *p);
/* Makes next (with its evaluation w) the session's state and says what
 * changed; the old state goes on the undo stack. */
void repl_commit(Repl *S, ReplState *next, ReplWorld *w, const char *what);
void repl_clear_undo(Repl *S);
/* Evaluates and commits a state that differs in its settings (:actuals, :as-of). */
void repl_apply_setting(Repl *S, ReplState *next, const char *what);
/* Prints the tables of show statements as `run` prints them (check: resolve them first). */
void repl_print_shows(Repl *S, Node *items, const char *title, bool check);
/* Whether there is an evaluated plan; else reports it at the entry. */
bool repl_need_world(Repl *S, const char *text, int line);

/* ---- commands.c: the :commands ---- */
typedef struct {
    const char *text; /* the whole entry */
    int line;
    const char *arg; /* after the command word, trimmed */
    int argcol;      /* its column */
} Cmd;

/* What Tab completes after a command word. */
typedef enum { RC_NONE, RC_FILES, RC_REPORTS, RC_FORMATS, RC_NAMES } ReplCompletion;

/* One :command: its word, what runs it, what its argument completes to,
 * and its line of help.  Aliases (":q") run the same handler and are
 * neither completed nor suggested. */
typedef struct {
    const char *name;
    void (*fn)(Repl *, const Cmd *);
    ReplCompletion complete;
    bool alias;
    const char *usage; /* ":load FILE" */
    const char *help;
} ReplCommand;

/* Every command, ending with a NULL name; :help's summary lists each of
 * them (a unit test holds repl_usage against this table). */
extern const ReplCommand repl_command_table[];
/* The command called name (aliases too), or NULL. */
const ReplCommand *repl_find_command(const char *name);

void repl_command(Repl *S, const char *text, int line);
char *repl_dir_of(const char *path);
/* A whole file (malloc'd), or NULL with errno set (EFBIG over 64 MiB). */
char *repl_read_file(const char *path, size_t *len);

#endif
