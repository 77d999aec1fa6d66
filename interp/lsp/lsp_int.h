/* lsp_int.h -- the parts of the language server (prefix ls_): the framed
 * transport (io.c), documents and positions (docs.c), analyses and their
 * diagnostics (analysis.c), names at positions (names.c), and the
 * requests (features.c, hover.c, complete.c, outline.c).  Internal to
 * lsp/; every file of lsp/ includes the project's headers through it. */
#ifndef LSP_INT_H
#define LSP_INT_H

#include <stdbool.h>

#include "alloc/alloc.h"
#include "eval/eval.h"
#include "fmt/fmt.h"
#include "model/model.h"
#include "session/session.h"
#include "syntax/syntax.h"
#include <jansson.h>

/* The largest message accepted (a plan may be up to PROG_MAX_FILE_BYTES,
 * escaped in JSON). */
#define LS_MAX_MESSAGE (3 * (size_t)PROG_MAX_FILE_BYTES)

/* JSON-RPC and LSP error codes. */
enum {
    LS_PARSE_ERROR = -32700,
    LS_INVALID_REQUEST = -32600,
    LS_METHOD_NOT_FOUND = -32601,
    LS_INVALID_PARAMS = -32602,
    LS_NOT_INITIALIZED = -32002,
    LS_REQUEST_FAILED = -32803,
};

/* Where messages come from: a descriptor or bytes in memory. */
typedef struct {
    int fd; /* -1: mem */
    const unsigned char *mem;
    size_t memlen;
    unsigned char buf[65536];
    size_t len, pos;
    unsigned long long skip; /* the body of an oversized message, still to skip */
    bool eof;
} LsIn;

/* A did-you-mean of the last diagnostics: the range of the diagnostic,
 * the wrong word and its suggestion (for code actions). */
typedef struct {
    json_t *diag;                     /* the published diagnostic (a reference) */
    int line, col, end_line, end_col; /* LSP range */
    char *word, *suggestion;
} LsFix;

/* The most split metrics a member's hover shows its value in. */
#define LS_HOVER_METRICS 8

/* One analysis: a session on one version of a document's text. */
typedef struct {
    Session S;
    SessionOpts so;
    int version;
    bool checked;       /* the check stage ran: the symbols are there */
    bool complete;      /* everything `check` runs has run (else only names and static checks) */
    bool stopped;       /* input came during the second step: it runs again on a new analysis */
    bool values;        /* hovers show values: the allocations they need are made (with
                           --settle 0, made when asked) */
    const Node **items; /* the main unit's statements, in order (by line), for searches */
    size_t nitems;
    /* the split metrics a member's hover shows (listed once, their
     * allocations made in the second step), and how many more there are */
    const Node *hover_metrics[LS_HOVER_METRICS];
    int nhover_metrics, hover_more;
    bool hover_listed;
} LsRun;

typedef struct LsDoc {
    char *uri, *path, *dir, *name;
    Buf text;
    int version;
    bool dirty;  /* the text changed since the last analysis */
    LsRun *cur;  /* the analysis of the text as it was last analysed */
    LsRun *good; /* the last analysis whose check ran (for names) */
    LsFix *fixes;
    size_t nfixes;
    struct LsDoc *next;
} LsDoc;

typedef struct {
    LsIn in;
    int out_fd; /* -1: answers are discarded */
    bool initialized, shutdown, exited;
    LsDoc *docs;
    long analyses;      /* how many analyses ran */
    bool no_files;      /* fuzzing: plans read no file */
    uint64_t max_steps; /* each analysis's --max-steps; 0: the default */
    int settle_ms;      /* --settle: 0 runs every check before publishing once */
} LsServer;

/* ---- io.c ---- */
/* Reads the next message's body: 1 (body in *out, malloc'd, *len bytes), 0 at
 * the end of input, -1 on a framing error (message in *err, static): the
 * caller answers it and goes on. */
int ls_read_message(LsIn *in, char **out, size_t *len, const char **err);
/* Whether input is waiting (buffered or readable now). */
bool ls_pending(LsIn *in);
/* Whether input comes within ms milliseconds. */
bool ls_wait(LsIn *in, int ms);
/* Writes msg framed (takes the reference). */
void ls_send(LsServer *sv, json_t *msg);
void ls_reply(LsServer *sv, json_t *id, json_t *result);
void ls_reply_error(LsServer *sv, json_t *id, int code, const char *msg);
void ls_notify(LsServer *sv, const char *method, json_t *params);

/* ---- docs.c ---- */
LsDoc *ls_doc_find(LsServer *sv, const char *uri);
LsDoc *ls_doc_open(LsServer *sv, const char *uri, const char *text, int version);
void ls_doc_close(LsServer *sv, LsDoc *d);
void ls_doc_free(LsDoc *d);
/* Applies one contentChanges entry; false when it is malformed. */
bool ls_doc_change(LsDoc *d, json_t *change);
/* The byte offset of an LSP position (line, UTF-16 unit) in text, clamped. */
size_t ls_offset(const char *text, size_t len, int line, int ch);
/* The UTF-16 units of the first ncp code points of s[0..n). */
int ls_utf16(const char *s, size_t n, int ncp);
/* The code points of s[0..n) before UTF-16 unit ch (clamped). */
int ls_codepoints(const char *s, size_t n, int ch);
/* {"line", "character"} of a Loc's start (end: false) or end, exclusive. */
json_t *ls_pos(const Loc *l, bool end);
json_t *ls_range(const Loc *l);
json_t *ls_range_raw(int line, int col, int end_line, int end_col);
/* The file: URI of a path (malloc'd), and the path of a file: URI or NULL. */
char *ls_uri_of(const char *path);
char *ls_path_of(const char *uri);

/* ---- analysis.c ---- */
/* How long the text must stay unchanged before the slow part of the
 * checks (splits evaluated, examples and assertions run) starts, unless
 * --settle says otherwise. */
#define LS_SETTLE_MS 150

/* Analyses a dirty document (parse, names, static checks) and publishes
 * its diagnostics. */
void ls_analyse(LsServer *sv, LsDoc *d);
/* Runs the rest of what `check` runs on the document's analysis and
 * publishes the diagnostics again. */
void ls_complete(LsServer *sv, LsDoc *d);
/* The analysis names are looked up in: the current one if it was
 * checked, else the last good one; NULL when there is none. */
LsRun *ls_names_run(LsServer *sv, LsDoc *d);
void ls_run_free(LsRun *r);

/* ---- names.c ---- */
/* A name in the plan: where it is written and what it is. */
typedef struct {
    const Node *node; /* the node the name belongs to */
    Loc loc;          /* the name's own span */
    const char *name;
} LsName;

/* The statements of the main unit in an array (LsRun.items), made once
 * per analysis: ls_analyse makes it after publishing, so that the first
 * request on names does not wait for it. */
void ls_index_items(LsRun *r);
/* The name under (line, col) (1-based, code points) in the main unit. */
bool ls_name_at(LsRun *r, int line, int col, LsName *out);
/* The innermost cell reference (revenue[north, Q1]) at (line, col). */
const Node *ls_cell_at(LsRun *r, int line, int col);
/* The import statement at (line, col). */
const Node *ls_import_at(const Program *p, int line, int col);
/* Where name n is declared (false: nowhere known), with a word for what
 * it is ("metric", "member"...) and its declaring node (may be NULL). */
bool ls_declaration(const Program *p, const LsName *n, Loc *where, const char **what,
                    const Node **decl);
/* Calls fn on every name of the main unit, in order. */
void ls_each_name(const Program *p, void (*fn)(const LsName *n, void *ctx), void *ctx);
/* The unit an import names, or NULL. */
const Unit *ls_import_unit(const Program *p, const Node *imp);

/* ---- features.c, outline.c, hover.c ---- */
json_t *ls_hover(LsServer *sv, LsDoc *d, json_t *params);
/* Makes the allocations a member's hover shows values from, on the
 * analysis's engine (the second step, after the checks): false when an
 * evaluation stopped (input came). */
bool ls_hover_prepare(LsRun *r);
json_t *ls_definition(LsServer *sv, LsDoc *d, json_t *params);
json_t *ls_references(LsServer *sv, LsDoc *d, json_t *params);
json_t *ls_completion(LsServer *sv, LsDoc *d, json_t *params);
json_t *ls_symbols(LsServer *sv, LsDoc *d, json_t *params);
json_t *ls_formatting(LsServer *sv, LsDoc *d, json_t *params, const char **err);
json_t *ls_code_actions(LsServer *sv, LsDoc *d, json_t *params);
/* A location {uri, range} of loc in p (NULL: no file to point to). */
json_t *ls_location(const Program *p, LsDoc *d, const Loc *loc);
/* (line, col) of the request's position in run r's main source. */
bool ls_request_pos(LsRun *r, json_t *params, int *line, int *col);

#endif
