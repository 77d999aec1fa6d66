/* fmt_int.h -- shared by the formatter's files: fmt.c (syntax tree to
 * documents), layout.c (tokens, comments and blocks of the source), doc.c
 * (documents to text) and verify.c (the output parsed again).  Not for
 * other modules: fmt/fmt.h is the interface.
 *
 * A document (Doc) is the layout of a piece of plan text in the style of
 * Wadler's "prettier printer": text, line breaks that become a space (or
 * nothing) when their group fits on the line, groups, indentation.  A
 * braced block is a Doc of its own (D_BLOCK): on one line when it was on
 * one line in the source and fits, else one entry per line, its entries
 * aligned and its comments in place.
 *
 * Ownership: a Fmt lives for one call of fmt_plan or fmt_dump_ast; every
 * Doc, Block, Entry and string lives in its arena, and its token and
 * comment tables (match, claimed, lay) are freed with it.  The Source is
 * the caller's.
 */
#ifndef FMT_INT_H
#define FMT_INT_H

#include <stdbool.h>

#include "fmt/fmt.h"
#include "syntax/syntax.h"

typedef enum {
    D_TEXT,   /* text (no newline), width = display width */
    D_CAT,    /* kids in order */
    D_LINE,   /* a space, or a newline when its group breaks */
    D_SOFT,   /* nothing, or a newline when its group breaks */
    D_GROUP,  /* a: on one line if it fits, else its lines break */
    D_INDENT, /* a, with breaks indented width more */
    D_ALIGN,  /* a, with breaks indented to the column where it starts */
    D_FLAT,   /* a, never broken (blocks that must break still do) */
    D_ASSIGN, /* " a" on this line if it fits, else on the next line indented 2
               * if it fits there; else (width 1: a call or a table) on this
               * line, breaking inside, or (width 0) on the next line */
    D_BLOCK   /* block */
} DocKind;

typedef struct Block Block;
typedef struct Doc Doc;
struct Doc {
    DocKind kind;
    bool hard; /* holds a block that must break: its groups break too */
    int width;
    const char *text;
    Doc **kids;
    int nkids, cap;
    Doc *a;
    Block *block;
};

/* A comment line: text as written (without trailing white space). */
typedef struct {
    const char *text;
    bool blank_before; /* an empty line before it (leading, dangling) */
    int col;           /* hanging: the column it was written at (1-based) */
} CLine;

typedef struct {
    CLine *v;
    int n, cap;
} CList;

/* One entry of a block: text cells, then a document.  In a run of entries
 * of the same kind the cells are padded so that what follows lines up. */
typedef enum {
    K_NONE,
    K_ATTR,
    K_ENTRY,
    K_MEMBER,
    K_METRIC,
    K_LET,
    K_TARGET,
    K_HISTORY,
    K_REVIEW,
    K_KPI
} AlignKind;

typedef struct {
    const char **cells; /* "" cells are padding only */
    int ncells, cap;
    Doc *last;
    AlignKind kind;
    bool clause; /* a line of given/expect items: its tokens start after the cell */
    bool cont;   /* a continuation line of given/expect: its cell only when broken */
    long t0, t1; /* first and last token */
    bool blank_before;
    CList leading;        /* full-line comments before it */
    const char *trailing; /* comment at the end of its last line */
    CList hanging;        /* comment lines right under it, written deeper */
} Entry;

struct Block {
    Entry *e;
    int n, cap;
    bool braces;      /* false: the file itself */
    bool forced;      /* on several lines in the source, or comments: never on one line */
    const char *sep;  /* between entries on one line: ", " or "  " */
    char need_sep;    /* on separate lines, before an entry that starts with '-' or '(' */
    long open, close; /* tokens of the braces */
    const char *open_comment;
    CList dangling; /* comments before the closing brace */
    Doc *flat;      /* the block on one line */
};

typedef struct Fmt {
    Arena arena;
    Source *src;
    Layout lay;
    long *match;   /* per token: the matching bracket, or -1 */
    bool *claimed; /* per comment: placed */
} Fmt;

/* The source's layout (layout.c).  Tokens are numbered in source order. */
const LexTok *lay_tok(const Fmt *f, long i);
bool lay_tok_is(const Fmt *f, long i, char c);        /* token i is the character c */
long lay_tok_before(const Fmt *f, int line, int col); /* last token starting at or before */
void lay_span(const Fmt *f, const Node *n, long *t0, long *t1); /* first and last token */
long lay_first(const Fmt *f, const Node *n);
long lay_last(const Fmt *f, const Node *n);
void lay_match_brackets(Fmt *f); /* fills f->match */
/* A block closed by token close; sep between entries on one line. */
Block *lay_block(Fmt *f, long close, const char *sep, char need_sep);
Entry *lay_entry(Fmt *f, Block *b, long t0, long t1);
Entry *lay_node_entry(Fmt *f, Block *b, const Node *n);
void lay_cell(Fmt *f, Entry *e, const char *s);
/* When its entries are made: places the block's comments, decides whether
 * it may be on one line, and returns its document (NULL for the file). */
Doc *lay_block_doc(Fmt *f, Block *b);
/* The string token t as written, when its value is value; else value
 * written with escapes.  lay_label: the string after token t, or NULL. */
Doc *lay_string(Fmt *f, long t, const char *value);
Doc *lay_label(Fmt *f, long t, const char *value);

/* Checking the output (verify.c). */
FmtResult fmt_verify(Fmt *f, const Node *items, const Buf *out, Diags *d);
/* ast_dump of items into *with, and the same without positions. */
void fmt_dump_tree(const Node *items, char **with, char **without);

/* Documents (doc.c). */
Doc *doc_text(Fmt *f, const char *s);
Doc *doc_cat(Fmt *f);
Doc *doc_add(Fmt *f, Doc *cat, Doc *kid); /* returns cat */
Doc *doc_wrap(Fmt *f, DocKind kind, Doc *a, int width);
Doc *doc_line(Fmt *f, DocKind kind);
Doc *doc_block(Fmt *f, Block *b);
/* Prints d at indentation ind starting at column *col; appends to out. */
void doc_print(Buf *out, const Doc *d, int ind, int *col);
/* The whole plan: the file's block, one entry per statement. */
void doc_print_file(Buf *out, Block *file);
/* d on one line (blocks that must break still break). */
char *doc_flat_string(Fmt *f, const Doc *d);

#endif
