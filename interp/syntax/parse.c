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

/* The items copied into one block, in order: the many passes over a
 * unit's items then read memory in sequence, not one node after another
 * scattered among their subtrees.  Nothing but the list points to an
 * item once the parse is done. */
static Node *pack_items(ParseCtx *ctx)
{
    size_t n = ctx->ntops;
    if (n < 2)
        return ctx->items.head;
    Node *block = arena_alloc(ctx->arena, n * sizeof *block);
    for (size_t i = 0; i < n; i++)
        block[i] = *ctx->tops[i];
    for (size_t i = 0; i + 1 < n; i++)
        block[i].next = &block[i + 1];
    block[n - 1].next = NULL;
    return block;
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
    Node *items = pack_items(ctx);
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

void parse_item(ParseCtx *ctx, Node *n)
{
    list_push(&ctx->items, n);
    for (; n; n = n->next) {
        if (ctx->ntops == ctx->cap_tops) { /* in the arena: a large block freed would make
                                              malloc keep more memory for the rest of the run */
            Node **tops = ctx->tops;
            ctx->cap_tops = ctx->cap_tops ? 2 * ctx->cap_tops : 256;
            ctx->tops = arena_alloc(ctx->arena, ctx->cap_tops * sizeof *ctx->tops);
            if (ctx->ntops)
                memcpy(ctx->tops, tops, ctx->ntops * sizeof *ctx->tops);
        }
        ctx->tops[ctx->ntops++] = n;
    }
}

void ast_layout_free(Layout *layout)
{
    free(layout->toks);
    free(layout->comments);
    *layout = (Layout){0};
}
