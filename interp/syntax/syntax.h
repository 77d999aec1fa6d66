/* syntax.h -- the public face of the syntax module: plan text to a syntax
 * tree (syntax/ast.h), the layout of a source for the formatter, and the
 * words of the language.
 *
 * Ownership: parsing allocates the nodes in the caller's arena and
 * reports to the caller's Diags; a Layout is filled by
 * ast_parse_layout and freed by the caller with ast_layout_free.
 * The keyword list is static.  This module knows nothing of symbols:
 * names are bound later, by check/.
 */
#ifndef SYNTAX_H
#define SYNTAX_H

#include "syntax/ast.h"

#define PARSE_MAX_NEST 256

/* The layout of a source, for the formatter (fmt.c): every token and every
 * comment with its byte range and position, in source order.  The parser
 * never reads it; ast_parse_layout fills it, and the caller frees it
 * with ast_layout_free. */
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

/* Parses src; returns the statements (a list linked by next). */
Node *ast_parse(Source *src, Arena *arena, Diags *diags, int *nerrors);

/* The same, and fills layout with the source's tokens and comments. */
Node *ast_parse_layout(Source *src, Arena *arena, Diags *diags, int *nerrors, Layout *layout);
void ast_layout_free(Layout *layout);
/* The words of the language, for the lexer and for completion:
 * X(text, TOKEN, starts_statement), sorted by text. */
#define SYNTAX_KEYWORDS(X)                                                                         \
    X("actuals", ACTUALS, 1)                                                                       \
    X("and", AND, 0)                                                                               \
    X("assert", ASSERT, 1)                                                                         \
    X("bottom", BOTTOM, 0)                                                                         \
    X("bracket", BRACKET, 0)                                                                       \
    X("by", BY, 0)                                                                                 \
    X("cap", CAP, 0)                                                                               \
    X("curve", CURVE, 0)                                                                           \
    X("deviation", DEVIATION, 0)                                                                   \
    X("dimension", DIMENSION, 1)                                                                   \
    X("else", ELSE, 0)                                                                             \
    X("equally", EQUALLY, 0)                                                                       \
    X("example", EXAMPLE, 1)                                                                       \
    X("expect", EXPECT, 0)                                                                         \
    X("flag", FLAG, 0)                                                                             \
    X("fn", FN, 1)                                                                                 \
    X("for", FOR, 0)                                                                               \
    X("from", FROM, 0)                                                                             \
    X("given", GIVEN, 0)                                                                           \
    X("growth", GROWTH, 0)                                                                         \
    X("history", HISTORY, 1)                                                                       \
    X("if", IF, 0)                                                                                 \
    X("import", IMPORT, 1)                                                                         \
    X("in", IN, 0)                                                                                 \
    X("incentive", INCENTIVE, 1)                                                                   \
    X("kpi", KPI, 0)                                                                               \
    X("let", LET, 1)                                                                               \
    X("levels", LEVELS, 0)                                                                         \
    X("like", LIKE, 0)                                                                             \
    X("metric", METRIC, 1)                                                                         \
    X("not", NOT, 0)                                                                               \
    X("notes", NOTES, 0)                                                                           \
    X("or", OR, 0)                                                                                 \
    X("overassign", OVERASSIGN, 0)                                                                 \
    X("per", PER, 0)                                                                               \
    X("plan", PLAN, 1)                                                                             \
    X("proportional", PROPORTIONAL, 0)                                                             \
    X("rank", RANK, 0)                                                                             \
    X("rating", RATING, 0)                                                                         \
    X("reforecast", REFORECAST, 0)                                                                 \
    X("report", REPORT, 1)                                                                         \
    X("reserve", RESERVE, 0)                                                                       \
    X("rest", REST, 0)                                                                             \
    X("review", REVIEW, 1)                                                                         \
    X("scenario", SCENARIO, 1)                                                                     \
    X("score", SCORE, 0)                                                                           \
    X("scorecard", SCORECARD, 1)                                                                   \
    X("seasonality", SEASONALITY, 0)                                                               \
    X("show", SHOW, 1)                                                                             \
    X("source", SOURCE, 0)                                                                         \
    X("split", SPLIT, 1)                                                                           \
    X("status", STATUS, 0)                                                                         \
    X("step", STEP, 0)                                                                             \
    X("table", TABLE, 0)                                                                           \
    X("target", TARGET, 1)                                                                         \
    X("then", THEN, 0)                                                                             \
    X("to", TO, 0)                                                                                 \
    X("weight", WEIGHT, 0)                                                                         \
    X("weights", WEIGHTS, 0)                                                                       \
    X("where", WHERE, 0)                                                                           \
    X("within", WITHIN, 0)

/* The keywords' texts, in SYNTAX_KEYWORDS order, ending with NULL. */
extern const char *const ast_keywords[];

#endif
