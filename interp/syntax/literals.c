/* literals.c -- what the lexer says about literals written the way a
 * spreadsheet or a Chinese handbook writes them: "1,400万" (grouping
 * commas), "60 %" (a space before the percent sign), "1月" and "1季度"
 * (months and quarters in Chinese).  Each gets an error at the literal and
 * a note saying what to write; the lexer then goes on with the value meant,
 * so the rest of the plan is still checked. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "syntax/parse_int.h"

#define CN_MONTH "\xE6\x9C\x88"               /* 月 */
#define CN_QUARTER "\xE5\xAD\xA3\xE5\xBA\xA6" /* 季度 */

/* The value of setting name in the plan header parsed so far, or NULL. */
static const Node *header_setting(const ParseCtx *ctx, const char *name)
{
    for (const Node *it = ctx->items.head; it; it = it->next)
        if (it->kind == N_PLAN)
            for (const Node *a = it->a; a; a = a->next)
                if (a->name && strcmp(a->name, name) == 0)
                    return a->a;
    return NULL;
}

/* The fiscal year of the plan header parsed so far; year 0 when there is
 * none yet. */
static FiscalYear header_year(const ParseCtx *ctx)
{
    FiscalYear fy = {0, 1};
    const Node *y = header_setting(ctx, "year");
    const Node *st = header_setting(ctx, "start");
    int64_t v;
    if (y && y->kind == N_NUM && num_to_int(y->num, NUM_TRUNC, &v) == NUM_OK && v >= 1 && v <= 9999)
        fy.year = (int)v;
    if (st && st->kind == N_NAME && cal_month_by_name(st->name) > 0)
        fy.start = cal_month_by_name(st->name);
    return fy;
}

/* The number of digits at the start of s (at most n), and their value. */
static size_t leading_int(const char *s, size_t n, int *value)
{
    size_t i = 0;
    *value = 0;
    while (i < n && i < 4 && s[i] >= '0' && s[i] <= '9')
        *value = *value * 10 + (s[i++] - '0');
    return i;
}

static FiscalYear month_hint(ParseCtx *ctx, int m)
{
    FiscalYear fy = header_year(ctx);
    if (fy.year)
        diag_note_plain(ctx->diags, "write %s, or %04d-%02d (month %d of fiscal year %d)",
                        cal_month_name(m), cal_year_of_month(fy, m), m, m, fy.year);
    else
        diag_note_plain(ctx->diags, "write %s, or the month as YYYY-%02d", cal_month_name(m), m);
    return fy;
}

int parse_period_literal(ParseCtx *ctx, Node *node, const char *s, size_t n)
{
    Loc loc = node->loc;
    int v;
    size_t k = leading_int(s, n, &v);
    const char *rest = s + k;
    size_t rn = n - k;
    if (k && v >= 1 && v <= 12 && rn == strlen(CN_MONTH) && memcmp(rest, CN_MONTH, rn) == 0) {
        diag_error(ctx->diags, loc, "'%.*s' is not a month literal", (int)n, s);
        FiscalYear fy = month_hint(ctx, v);
        if (!fy.year)
            return PERIOD_OTHER;
        node->kind = N_MONTH; /* read as meant: the rest of the plan is still checked */
        node->num = num_from_int((int64_t)cal_year_of_month(fy, v) * 100 + v);
        node->str = arena_printf(ctx->arena, "%04d-%02d", cal_year_of_month(fy, v), v);
        return PERIOD_MONTH;
    }
    if (k && v >= 1 && v <= 4 && rn == strlen(CN_QUARTER) && memcmp(rest, CN_QUARTER, rn) == 0) {
        diag_error(ctx->diags, loc, "'%.*s' is not a quarter", (int)n, s);
        diag_note_plain(ctx->diags, "write Q%d (the fiscal year's quarter %d)", v, v);
        node->str = arena_printf(ctx->arena, "Q%d", v);
        return PERIOD_QUARTER;
    }
    return PERIOD_NONE;
}

Node *parse_grouped_number(ParseCtx *ctx, Loc loc, const char *s, size_t n)
{
    Node *node = ast_new(ctx->arena, N_NUM, loc);
    node->str = arena_strndup(ctx->arena, s, n);
    Buf b = {0};
    for (size_t i = 0; i < n; i++)
        if (s[i] != ',')
            buf_putc(&b, s[i]);
    diag_error(ctx->diags, loc, "grouping commas in number '%s'", node->str);
    diag_note_plain(ctx->diags, "write %s (or group digits with '_')", buf_cstr(&b));
    ctx->nerrors++;
    if (num_parse(buf_cstr(&b), b.len, &node->num) != NUM_OK)
        node->num = NUM_ZERO;
    buf_free(&b);
    return node;
}

void parse_percent_apart(ParseCtx *ctx, Loc loc)
{
    const char *text = ctx->src->text;
    size_t pct = ctx->off - 1; /* the '%' */
    size_t i = ctx->num_end;
    bool apart = ctx->num_end > 0 && i <= pct;
    for (; apart && i < pct; i++)
        apart = text[i] == ' ' || text[i] == '\t';
    size_t j = ctx->off; /* "5 % 3" is no percent literal */
    while (text[j] == ' ' || text[j] == '\t')
        j++;
    apart = apart && !(text[j] >= '0' && text[j] <= '9') && text[j] != '(';
    ctx->nerrors++;
    if (!apart) {
        diag_error(ctx->diags, loc, "invalid character '%%'");
        diag_note_plain(ctx->diags, "'%%' is written right after a number: 60%%");
        return;
    }
    Loc at = ctx->num_loc;
    at.end_line = loc.end_line;
    at.end_col = loc.end_col;
    diag_error(ctx->diags, at, "a space between a number and its '%%'");
    diag_note_plain(ctx->diags, "write %s%%", ctx->num_text);
}
