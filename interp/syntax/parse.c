/* parse.c -- runs the flex scanner and bison parser over one Source,
 * records the layout of tokens and comments when the formatter asks, and
 * holds the keyword list.  Parsing only builds the tree: nothing here
 * looks at names or values. */
#include "syntax/parse_int.h"

#include <stdlib.h>
#include <string.h>

#include "parser.h"
#define YYSTYPE SP_YYSTYPE
#define YYLTYPE SP_YYLTYPE
#include "lexer.h"

const char *const ast_keywords[] = {
#define X(text, tok, statement) text,
    SYNTAX_KEYWORDS(X)
#undef X
        NULL};

Node *ast_parse(Source *src, Arena *arena, Diags *diags, int *nerrors)
{
    return ast_parse_layout(src, arena, diags, nerrors, NULL);
}

Node *ast_parse_layout(Source *src, Arena *arena, Diags *diags, int *nerrors, Layout *layout)
{
    ParseCtx *ctx = xcalloc(1, sizeof *ctx);
    ctx->layout = layout;
    ctx->arena = arena;
    ctx->diags = diags;
    ctx->src = src;
    ctx->line = src->first_line;
    ctx->col = 1;
    ctx->eof_loc = (Loc){src, ctx->line, 1, ctx->line, 1};
    yyscan_t scanner;
    if (sp_yylex_init_extra(ctx, &scanner) != 0) {
        fputs("salesplan: out of memory\n", stderr);
        exit(2);
    }
    YY_BUFFER_STATE buf = sp_yy_scan_bytes(src->text, (int)src->len, scanner);
    int rc = sp_yyparse(scanner, ctx);
    (void)rc; /* every failure has been reported as a diagnostic */
    sp_yy_delete_buffer(buf, scanner);
    sp_yylex_destroy(scanner);
    Node *items = ctx->items.head;
    *nerrors = ctx->nerrors;
    free(ctx);
    return items;
}

void parse_layout_note(ParseCtx *ctx, const char *s, size_t n, int line, int col, int end_line,
                       int end_col)
{
    Layout *lay = ctx->layout;
    if (!lay || n == 0 || s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')
        return;
    if (ctx->off == 0 && n == 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        return;
    LexTok t = {ctx->off, n, line, col, end_line, end_col};
    if (s[0] == '#') {
        if (lay->ncomments == lay->cap_comments) {
            lay->cap_comments = lay->cap_comments ? 2 * lay->cap_comments : 64;
            lay->comments = xrealloc(lay->comments, lay->cap_comments * sizeof *lay->comments);
        }
        lay->comments[lay->ncomments++] = (LexComment){t, lay->ntoks};
        return;
    }
    if (lay->ntoks == lay->cap_toks) {
        lay->cap_toks = lay->cap_toks ? 2 * lay->cap_toks : 256;
        lay->toks = xrealloc(lay->toks, lay->cap_toks * sizeof *lay->toks);
    }
    lay->toks[lay->ntoks++] = t;
}

void ast_layout_free(Layout *layout)
{
    free(layout->toks);
    free(layout->comments);
    *layout = (Layout){0};
}
