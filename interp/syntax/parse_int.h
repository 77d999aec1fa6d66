/* parse_int.h -- shared by the parser (parser.y), the lexer (lexer.l) and
 * the parse driver (parse.c): the state of one parse.  Not for other
 * modules: syntax/syntax.h is the interface.
 *
 * Ownership: a ParseCtx lives on the stack of ast_parse for one
 * source; it borrows the arena, the Diags and the Source.
 */
#ifndef PARSE_INT_H
#define PARSE_INT_H

#include "syntax/syntax.h"

typedef struct {
    Node *head, *tail;
} NodeList;

typedef struct {
    char ch;          /* '(' '[' '{' */
    Loc loc;          /* of the bracket */
    const char *stmt; /* keyword of the statement it belongs to, or NULL */
    int stmt_line;
} OpenBracket;

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

/* Called by the lexer for every lexeme: records tokens and comments when
 * ctx->layout is set (white space and a leading byte-order mark are not
 * recorded). */
void parse_layout_note(ParseCtx *ctx, const char *s, size_t n, int line, int col, int end_line,
                       int end_col);

void list_push(NodeList *l, Node *n);

#endif
