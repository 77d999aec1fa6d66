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
    bool broken; /* an item was dropped after a syntax error */
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
    Node **tops; /* the same items in an array (parse.c packs them) */
    size_t ntops, cap_tops;
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
    Loc num_loc;    /* the last number literal, for "60 %" */
    size_t num_end; /* byte offset after it */
    const char *num_text;
} ParseCtx;

/* Called by the lexer for every lexeme: records tokens and comments when
 * ctx->layout is set (white space and a leading byte-order mark are not
 * recorded). */
void parse_layout_note(ParseCtx *ctx, const char *s, size_t n, int line, int col, int end_line,
                       int end_col);

void list_push(NodeList *l, Node *n);
/* Appends a statement (or a list of them) to the unit's items. */
void parse_item(ParseCtx *ctx, Node *n);

/* literals.c: literals written as in a spreadsheet or a handbook. */
/* "1月", "1季度" as the malformed number node: an error with what to
 * write, and node made the month (N_MONTH) or its str the quarter's name
 * ("Q1") meant; PERIOD_NONE when s is no such literal. */
enum { PERIOD_NONE, PERIOD_MONTH, PERIOD_QUARTER, PERIOD_OTHER };
int parse_period_literal(ParseCtx *ctx, Node *node, const char *s, size_t n);
/* "1,400万": an error with what to write; the number without the commas. */
Node *parse_grouped_number(ParseCtx *ctx, Loc loc, const char *s, size_t n);
/* A '%' token: after a number and spaces ("60 %"), an error at the number
 * saying to write "60%"; else an invalid character. */
void parse_percent_apart(ParseCtx *ctx, Loc loc);

#endif
