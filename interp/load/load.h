/* load.h -- a plan and everything it imports, loaded.
 *
 * A Program owns its Units (one per file: Source, arena, statements) and
 * the symbol tables the checker builds (check/check.h).  Loading reads
 * files only inside the main plan's directory (or --allow-path directories
 * and $SALESPLAN_PATH for imports) and never runs anything.  prog_free
 * releases everything.
 */
#ifndef PROGRAM_H
#define PROGRAM_H

#include "base/diag.h"
#include "base/files.h"
#include "syntax/ast.h"

#define PROG_MAX_IMPORT_DEPTH 32
#define PROG_MAX_FILE_BYTES (64u << 20)

typedef struct Unit {
    Source *src;
    Arena arena;
    Node *items;
    bool is_std;
    char *realpath; /* NULL for embedded or in-memory units */
    struct Unit *next;
} Unit;

typedef struct Symbols Symbols; /* model/model.h, built by check/ */

typedef struct Program {
    Diags *diags;
    Unit *units, *last_unit;
    Unit *main;
    int nunits;
    char *root;         /* real path of the main plan's directory */
    const char **allow; /* extra readable directories (real paths) */
    int nallow;
    const char *const *sources; /* --source NAME=URI (the caller's), see data/source.h */
    int nsources;
    bool sources_checked; /* check: a database's actuals are checked, not read */
    int actuals_months;   /* --as-of: a database reads the first N fiscal months; 0: all */
    bool no_files;        /* fuzzing: no file system access at all */
    bool data_error;      /* a file could not be read: exit 2 */
    int syntax_errors;
    Symbols *sym;
    FileIds files; /* every file read: the plan, its imports, its data files */
    /* A multi-year plan (`years = N`) is checked once per fiscal year: world
     * k is the plan's year + k; year_values (the caller's, or NULL) holds the
     * exact targets of the earlier years, "METRIC FYyyyy" -> Num. */
    int world;
    const StrMap *year_values;
    /* Rosters read before (check/check.h: RosterImages), the caller's, or
     * NULL: each roster is read. */
    struct RosterImages *rosters;
} Program;

Program *prog_new(Diags *d);
void prog_allow_path(Program *p, const char *dir);
/* Loads the main plan from a file; false when it could not be read. */
bool prog_load_file(Program *p, const char *path);
/* Loads the main plan from memory (REPL, fuzzing, tests). */
void prog_load_text(Program *p, const char *name, const char *dir, const char *text, size_t len);
void prog_free(Program *p);
/* Parses text given on the command line ("show revenue by region") as a
 * unit of its own named name; returns its statements (owned by p). */
Node *prog_parse_extra(Program *p, const char *name, const char *text);
/* The same for the REPL: the unit's lines are numbered from first_line and
 * its data paths resolve in dir (NULL: none); *unit (if given) gets it. */
Node *prog_parse_unit(Program *p, const char *name, const char *dir, const char *text, size_t len,
                      int first_line, Unit **unit);
/* Loads what the main unit's imports name that is not loaded yet (the REPL
 * adds statements to the main unit after loading it). */
void prog_load_new_imports(Program *p);

/* Opens a data path named in the plan (relative to the plan's directory)
 * for reading, the one way (base/files.h): once, beneath the directory the
 * plan may read that holds it (its own, or an --allow-path one) with no
 * symbolic link out of it, never blocking, only a regular file.  Returns
 * the descriptor (the caller's; its file joins p->files) and, when path is
 * not NULL, a malloc'd name of the file (directory/path) in *path; or -1
 * after reporting at the node (p->data_error set when the file exists
 * nowhere or is not a regular file). */
int prog_open_data(Program *p, const Node *path_node, char **path);

/* Each string of the statements items that names a file relative to the
 * plan, in order: data files (a dimension's or a target's `from`, a
 * history, actuals, a review's notes, the `holidays` setting) and imports
 * (import: true; the standard library's are not files).  paths.c. */
typedef void (*ProgPathFn)(Node *path, bool import, void *ctx);
void prog_each_path(Node *items, ProgPathFn fn, void *ctx);

#endif
