/* lextokens.c -- what salesplan's own lexer makes of a plan, one lexeme a
 * line, for the grammar test (tests/grammar/tokenize.js):
 *
 *     KIND <TAB> LINE <TAB> COL <TAB> END_COL <TAB> TEXT
 *
 * KIND is comment, string, month, date, number, keyword, name or punct;
 * columns count code points from 1, END_COL is the last one.  The token
 * boundaries are the lexer's (ast_parse_layout); the kind follows from the
 * lexer's rules: a string begins with '"', a month or a date is the only
 * lexeme that begins with a digit and holds '-', another one that begins
 * with a digit is a number, and a name is a keyword when it is in
 * ast_keywords (SYNTAX_KEYWORDS).  Exits 2 when a file cannot be read.
 *
 * lextokens --words prints the words the grammar must know, a line each:
 * "keyword TEXT 1" (1: it starts a statement), "month TEXT", "builtin TEXT". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/diag.h"
#include "base/util.h"
#include "eval/eval.h"
#include "syntax/syntax.h"

static bool is_keyword(const char *s, size_t n)
{
    for (int i = 0; ast_keywords[i]; i++)
        if (strlen(ast_keywords[i]) == n && memcmp(ast_keywords[i], s, n) == 0)
            return true;
    return false;
}

static bool is_name_start(unsigned char c)
{
    return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0xC2;
}

static const char *kind_of(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    if (c == '"')
        return "string";
    if (c >= '0' && c <= '9') {
        if (memchr(s, '-', n))
            return n > 7 ? "date" : "month";
        return "number";
    }
    /* full-width punctuation (EF BC/BD ..) and CJK punctuation (E3 80 ..) */
    if ((c == 0xEF && ((unsigned char)s[1] == 0xBC || (unsigned char)s[1] == 0xBD)) ||
        (c == 0xE3 && (unsigned char)s[1] == 0x80))
        return "punct";
    if (is_name_start(c))
        return is_keyword(s, n) ? "keyword" : "name";
    return "punct";
}

static void put(const char *kind, const Source *src, const LexTok *t)
{
    printf("%s\t%d\t%d\t%d\t%.*s\n", kind, t->line, t->col, t->end_col, (int)t->len,
           src->text + t->off);
}

static int dump(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "lextokens: cannot open %s\n", path);
        return 2;
    }
    Buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, n);
    fclose(f);
    Source *src = source_new(path, NULL, b.data ? b.data : "", b.len, 0);
    buf_free(&b);
    Arena arena = {0};
    Diags diags = {0};
    Layout lay = {0};
    int nerrors = 0;
    ast_parse_layout(src, &arena, &diags, &nerrors, &lay);
    size_t c = 0;
    for (size_t i = 0; i <= lay.ntoks; i++) {
        for (; c < lay.ncomments && lay.comments[c].tok == i; c++)
            put("comment", src, &lay.comments[c].at);
        if (i < lay.ntoks)
            put(kind_of(src->text + lay.toks[i].off, lay.toks[i].len), src, &lay.toks[i]);
    }
    ast_layout_free(&lay);
    diag_free(&diags);
    arena_free(&arena);
    source_free(src);
    return 0;
}

static int words(void)
{
#define X(text, tok, statement) printf("keyword %s %d\n", text, statement);
    SYNTAX_KEYWORDS(X)
#undef X
    for (int m = 1; m <= 12; m++)
        printf("month %s\n", cal_month_name(m));
    for (const Builtin *b = eval_builtins; b->name; b++)
        printf("builtin %s\n", b->name);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--words") == 0)
        return words();
    if (argc != 2) {
        fputs("usage: lextokens FILE.plan | --words\n", stderr);
        return 2;
    }
    return dump(argv[1]);
}
