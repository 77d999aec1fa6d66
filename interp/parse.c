/* parse.c -- runs the flex scanner and bison parser over one Source. */
#include "parse.h"

#include <stdlib.h>

#include "parser.h"
#define YYSTYPE SP_YYSTYPE
#define YYLTYPE SP_YYLTYPE
#include "lexer.h"

Node *parse_source(Source *src, Arena *arena, Diags *diags, int *nerrors)
{
    ParseCtx *ctx = xcalloc(1, sizeof *ctx);
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
