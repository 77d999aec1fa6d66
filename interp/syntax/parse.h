/* parse.h -- turning one Source into a list of top-level AST nodes.
 *
 * The nodes live in the caller's arena.  Syntax errors go to diags; the
 * returned list holds every statement that parsed (recovery skips the
 * broken ones), so later passes can still check the rest.
 */
#ifndef PARSE_H
#define PARSE_H

#include "syntax/ast.h"

#define PARSE_MAX_NEST 256

typedef struct {
    Node *head, *tail;
} NodeList;

typedef struct {
    char ch;          /* '(' '[' '{' */
    Loc loc;          /* of the bracket */
    const char *stmt; /* keyword of the statement it belongs to, or NULL */
    int stmt_line;
} OpenBracket;

/* The layout of a source, for the formatter (fmt.c): every token and every
 * comment with its byte range and position, in source order.  The parser
 * never reads it; parse_source_layout fills it, and the caller frees it
 * with parse_layout_free. */
typedef struct {
    size_t off, len;       /* bytes of the source text */
    int line, col;         /* first character (columns count code points) */
    int end_line, end_col; /* last character, inclusive */
} LexTok;

typedef struct {
    LexTok at;
    size_t tok; /* number of tokens before the comment */
} LexComment;

typedef struct {
    LexTok *toks;
    size_t ntoks, cap_toks;
    LexComment *comments;
    size_t ncomments, cap_comments;
} Layout;

typedef struct ParseCtx {
    Arena *arena;
    Diags *diags;
    Source *src;
    NodeList items;
    int nerrors; /* syntax and lexical errors in this source */
    bool fatal;  /* stop reporting: nesting too deep */
    OpenBracket open[PARSE_MAX_NEST];
    int depth;
    const char *stmt; /* last statement keyword seen at depth 0 */
    int stmt_line;
    Loc eof_loc;
    int line, col;  /* lexer position of the next character */
    size_t off;     /* byte offset of the next character */
    Layout *layout; /* NULL unless the formatter asked for it */
} ParseCtx;

/* Parses src; returns the statements (a list linked by next). */
Node *parse_source(Source *src, Arena *arena, Diags *diags, int *nerrors);

/* The same, and fills layout with the source's tokens and comments. */
Node *parse_source_layout(Source *src, Arena *arena, Diags *diags, int *nerrors, Layout *layout);
void parse_layout_free(Layout *layout);
/* Called by the lexer for every lexeme: records tokens and comments when
 * ctx->layout is set (white space and a leading byte-order mark are not
 * recorded). */
void parse_layout_note(ParseCtx *ctx, const char *s, size_t n, int line, int col, int end_line,
                       int end_col);

void list_push(NodeList *l, Node *n);

#endif
