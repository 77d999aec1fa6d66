/* session.h -- the pipeline of an evaluation, once: load -> check ->
 * engine -> actuals -> measure -> verify, the tables a run shows, and how
 * they are rendered (the report for managers with its charts, report.c)
 * and compared.  The front doors (cli/ check, run and
 * diff, the REPL's evaluations, the language server) each make a Session
 * and ask it for the stages they need, in order; none of them sequences
 * the stages itself.
 *
 * Ownership: a Session owns its Diags, its Program, Engine and Measure,
 * and the actuals store it read (a store lent by session_lend_actuals
 * stays the lender's); session_free releases what it owns.  It borrows
 * the SessionOpts and their strings, which must outlive it.  A ShowList
 * owns its arrays (session_shows_free), not the show nodes (they belong to
 * the Program).  Rendering appends to the caller's Buf; a RenderGrid comes
 * with one reference for the caller.
 */
#ifndef SESSION_H
#define SESSION_H

#include "alloc/alloc.h"
#include "load/load.h"
#include "measure/measure.h"
#include "render/render.h"
#include "session/table_diff.h"

typedef struct {
    const char *const *allow; /* --allow-path directories */
    int nallow;
    const char *const *sources; /* --source NAME=URI: where a plan's sources are */
    int nsources;
    size_t max_cells;           /* --max-cells; 0: the engine's default */
    const char *const *actuals; /* --actuals files: they replace the plan's */
    int nactuals;
    bool lenient;         /* --lenient: skip and count bad actuals rows */
    const char *as_of;    /* --as-of YYYY-MM, or NULL */
    const char *scenario; /* --scenario NAME, or NULL */
    bool csv_raw_text;    /* --csv-raw-text: csv text cells as they are */
    bool csv_bom;         /* --csv-bom: csv starts with a UTF-8 byte-order mark */
    bool labels;          /* --labels: member labels instead of names in csv and json */
    bool strict;          /* check --strict: unexplained deviations are errors */
    const char *lang;     /* --lang en|zh (checked), or NULL: the plan header's, else en */
    uint64_t max_steps;   /* --max-steps; 0: EVAL_DEFAULT_MAX_STEPS */
    EvalBudget *budget;   /* lent by the REPL (it resets it per entry), or NULL: the session's */
} SessionOpts;

/* The stages, in the order they run. */
enum {
    SESSION_CHECK = 1,    /* names and static checks (check_program) */
    SESSION_SPLITS = 2,   /* every split evaluated for its errors, as `check` reports them */
    SESSION_ENGINE = 4,   /* the allocation engine; --as-of and --scenario resolved */
    SESSION_ACTUALS = 8,  /* the actuals the shows and assertions need (none under a scenario) */
    SESSION_MEASURE = 16, /* targets against actuals, with the scenario and as-of month */
    SESSION_VERIFY = 32,  /* every worked example and assertion, on the actuals read */
};

/* When the SESSION_ACTUALS stage reads the actuals. */
typedef enum {
    ACTUALS_NEEDED,     /* when a show needs them (statements, scorecards, reviews) or
                           --actuals names files */
    ACTUALS_FOR_VERIFY, /* also when the plan has worked examples or assertions */
    ACTUALS_ALWAYS      /* whenever the plan names any (`check` validates them) */
} ActualsNeed;

typedef struct {
    const Node **shows; /* malloc'd; the nodes belong to the program */
    const char **titles;
    int n;
} ShowList;

typedef struct Session {
    const SessionOpts *o;
    Diags d;
    Program *p;
    Engine en;
    bool engine;
    Actuals *act;
    bool lent_act;
    ActualsNeed need;
    Measure ms;
    bool measure;
    int as_of;      /* fiscal month 0..11 from --as-of, -1: from the actuals, MS_AS_OF_NONE */
    int as_of_week; /* the last week ended by --as-of, -1: none, -2: not given */
    const Node *scenario;
    ShowList shows;
    unsigned done;     /* the stages run so far */
    int plan_errors;   /* errors of the plan itself, before any option was looked at */
    bool usage;        /* an option's text is wrong (--show, --as-of...): exit 2 */
    int show_errors;   /* errors of --show texts: reported without the plan's count line */
    EvalBudget budget; /* its evaluations' nesting and steps, unless SessionOpts lends one */
    /* A multi-year plan (`years = N`): the plan again for each later fiscal
     * year (worlds[k - 1] is year + k), loaded as this one was; its
     * engine's tables span them (session/years.c). */
    char *load_path, *load_name, *load_dir, *load_text;
    size_t load_len;
    struct Session **worlds;
    int nworlds;
    bool is_world;         /* one of another session's worlds */
    StrMap year_values;    /* "METRIC FYyyyy" -> exact target (Num, owned) */
    struct Engine **years; /* the engines of the years, for Engine.years */
} Session;

/* A multi-year plan: the later years' worlds, checked, with their engines
 * (after the check of this one); false after reporting. */
bool session_years_build(Session *S);
/* Their splits evaluated for their errors (after this one's); false after
 * reporting. */
bool session_years_splits(Session *S);
/* Lends the years' engines to this session's engine. */
void session_years_attach(Session *S);
void session_years_free(Session *S);

/* A session with no plan yet; o may be NULL (no options). */
void session_init(Session *S, const SessionOpts *o);
void session_free(Session *S);
/* Loads the plan from a file (false: it could not be read) or from text. */
bool session_load_file(Session *S, const char *path);
void session_load_text(Session *S, const char *name, const char *dir, const char *text, size_t len);
/* Runs every stage of stages that has not run yet, in pipeline order,
 * stopping at the first error; returns whether there is none.  The check
 * runs before any other stage, the engine before actuals, measure and
 * verify; SESSION_SPLITS and SESSION_ACTUALS run only when asked for. */
bool session_run(Session *S, unsigned stages);
/* When SESSION_ACTUALS reads the actuals (default ACTUALS_NEEDED); call
 * before session_run. */
void session_need_actuals(Session *S, ActualsNeed need);
/* Uses a store the caller keeps (the REPL's cache) instead of reading one;
 * the SESSION_ACTUALS stage is then done. */
void session_lend_actuals(Session *S, Actuals *act);
/* What `check` adds to a checked plan: every split evaluated for its
 * errors, then the plan's own actuals read and every worked example and
 * assertion run on them, with an engine of its own.  Returns whether
 * there is no error. */
bool session_check_all(Session *S);
/* The value of --max-steps: a positive whole number (false: it is not). */
bool session_parse_max_steps(const char *v, uint64_t *out);
/* The budget every engine and measure of the session shares. */
EvalBudget *session_budget(Session *S);
/* 0 when there is no error; 2 when a file, data or an option's text is
 * wrong or the evaluation ran out of steps (--max-steps); 1 when the plan
 * is invalid. */
int session_status(const Session *S);
/* Prints and clears the diagnostics as text on stderr (in colour on a
 * terminal), with the count line for file (unless NULL) when there are
 * errors. */
void session_report(Session *S, const char *file);

/* ---- the tables a session shows ---- */

/* Adds `show SPEC` (the --show text): false after reporting a usage error. */
bool session_add_show(Session *S, const char *spec);
/* The plan's reports and show statements, in order. */
void session_plan_shows(Program *p, ShowList *l);
/* One table per split metric and dimension. */
void session_default_shows(Program *p, Engine *en, Arena *arena, ShowList *l);
/* `show review CADENCE` for every review of the plan. */
void session_review_shows(Program *p, Arena *arena, ShowList *l);
/* What `run` shows when no --show is given: the plan's reports and show
 * statements, else one table per split metric and dimension and, when
 * there are actuals to review, every review. */
void session_run_shows(Session *S);
/* What `diff` compares when no --show is given: every table the plan
 * shows, and the reviews when actuals are given. */
void session_all_shows(Session *S);
void session_shows_add(ShowList *l, const Node *show, const char *title);
void session_shows_free(ShowList *l);

/* ---- rendering ---- */

/* The plan's display unit and currency, its `bom` setting, and colour as asked. */
RenderOpts session_render_opts(const Program *p, bool color);
/* The chrome's language: o's --lang, else the plan header's `lang`, else English. */
Lang session_lang(const Program *p, const SessionOpts *o);
/* The plan's render options with the session's: csv_raw_text, csv_bom,
 * labels, the language, the as-of month. */
RenderOpts session_doc_opts(Session *S, bool color);
/* Adds the tables and sheets of the shows to doc: 0, or 1 when one did not
 * evaluate (the others are added). */
int session_doc_shows(Engine *en, Measure *ms, const ShowList *l, RenderDoc *doc);
/* What `report` shows: what `run` shows and, when there is something to
 * review, every review of the plan not among them. */
void session_report_shows(Session *S);
/* The report for managers (session/report.c): the shows in the html format
 * with their charts; 0, or 1 when one did not evaluate. */
int session_render_report(Session *S, Buf *out);
/* Renders the shows with format f (and the session's csv_raw_text,
 * csv_bom and labels): 0, or
 * 1 when one did not evaluate (the others are rendered) or the format
 * could not write them (an error reported, e.g. a sheet past Excel's
 * limits; then nothing is appended and the session's status is 2). */
int session_render(Session *S, const ShowList *l, const RenderFormat *f, bool color, Buf *out);
/* The same on the parts of an evaluation (the REPL's worlds, for a
 * terminal: never a byte-order mark). */
int session_render_parts(Program *p, const SessionOpts *o, Engine *en, Measure *ms,
                         const ShowList *l, const RenderFormat *f, bool color, Buf *out);
/* One show evaluated into its logical grid (what its CSV holds): *out gets
 * a grid with one reference (empty when nothing evaluated); 0, or 1 after
 * reporting. */
int session_show_grid(Engine *en, Measure *ms, const Node *show, RenderGrid **out);
/* The same with members by their labels (diff --labels). */
int session_show_grid_labels(Engine *en, Measure *ms, const Node *show, RenderGrid **out);

#endif
