/* parse.h -- turning one Source into a list of top-level AST nodes.
 *
 * The nodes live in the caller's arena.  Syntax errors go to diags; the
 * returned list holds every statement that parsed (recovery skips the
 * broken ones), so later passes can still check the rest.
 */
#ifndef PARSE_H
#define PARSE_H

#include "ast.h"

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
    int line, col; /* lexer position of the next character */
} ParseCtx;

/* Parses src; returns the statements (a list linked by next). */
Node *parse_source(Source *src, Arena *arena, Diags *diags, int *nerrors);

void list_push(NodeList *l, Node *n);

#endif
