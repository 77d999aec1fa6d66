/* answers.c -- what the REPL answers: what a change moved (one line per
 * metric, incentive or table: old -> new, percent, cells changed), values
 * of expressions, and :diff against the baseline.  Tables are compared as
 * their logical grids (table_diff.c), so a cell "changed" exactly when
 * `salesplan diff` would list it.  Nothing here evaluates a plan: it reads what
 * world.c computed. */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "repl/repl_int.h"

/* ---- numbers ------------------------------------------------------------------------------ */

static int money_decimals(const ReplWorld *w)
{
    int d = w ? num_decimals(w->s.p->sym->round_step) : 2;
    return d < 2 ? 2 : d;
}

static int kind_of(const Node *metric)
{
    return metric->op == MK_DERIVED ? metric->flags : (int)sym_metric_kind(metric);
}

/* A number by kind: money with separators and the plan's decimals (in
 * its display unit, written after the amount, when it has one), counts with at most 4 decimals,
 * percents as percent, other numbers with all their decimals. */
static char *fmt_kind(const ReplWorld *w, int kind, Num v, bool plain, char *buf)
{
    Num pct;
    if (plain) /* csv and json: plain decimals */
        return num_str(v, buf);
    switch (kind) {
    case K_MONEY:
        if (w && vf_unit_exp(sym_unit(w->s.p->sym)))
            return sym_fmt_amount(w->s.p->sym, v, buf);
        return vf_fixed(v, money_decimals(w), true, buf);
    case K_PERCENT: /* the exact product, else (overflow) the plain ratio */
        if (num_mul(v, num_from_int(100), &pct) != NUM_OK)
            return num_str(v, buf);
        return vf_fmt(pct, &(ValFmt){.min_dec = 2, .max_dec = 2, .thousands = true, .suffix = "%"},
                      buf);
    case K_SCORE:
        return vf_fixed(v, 2, true, buf);
    case K_COUNT:
        return vf_upto(v, 4, buf);
    default:
        return vf_upto(v, VF_ALL, buf);
    }
}

char *repl_fmt_metric(const ReplWorld *w, const Node *metric, Num v, char *buf)
{
    return fmt_kind(w, kind_of(metric), v, false, buf);
}

void repl_say_value(Repl *S, const Value *v, int kind, Buf *out)
{
    char buf[NUM_BUFSZ + 2];
    bool plain = !(S->format->view & RENDER_PEOPLE);
    switch (v->kind) {
    case V_BOOL:
        buf_puts(out, num_is_zero(v->num) ? "false" : "true");
        break;
    case V_STR:
        buf_puts(out, v->str);
        break;
    case V_MONTH: {
        int64_t ym = 0;
        num_to_int(v->num, NUM_TRUNC, &ym);
        buf_printf(out, "%04d-%02d", (int)(ym / 100), (int)(ym % 100));
        break;
    }
    default:
        buf_puts(out, fmt_kind(S->world, kind, v->num, plain, buf));
        break;
    }
    buf_putc(out, '\n');
}

/* Whether w answers in Chinese (--lang, else the plan's `lang`). */
static bool zh(const ReplWorld *w)
{
    return w && session_lang(w->s.p, &w->so) == LANG_ZH;
}

bool repl_zh(const Repl *S)
{
    Lang l = LANG_EN;
    if (S->lang && lang_parse(S->lang, &l))
        return l == LANG_ZH;
    return zh(S->world);
}

static char *fmt_cells(size_t n, bool zh, char *buf)
{
    char num[VF_BUFSZ];
    vf_fixed(num_from_int((int64_t)n), 0, true, num);
    if (zh)
        sprintf(buf, "%s 个单元格有变化", num);
    else
        sprintf(buf, "%s cell%s changed", num, n == 1 ? "" : "s");
    return buf;
}

/* " (+7.14%)" from old to new, or "" when old is 0. */
static char *fmt_pct(Num old, Num now, char *buf)
{
    Num d, q, pct;
    buf[0] = '\0';
    if (num_is_zero(old) || num_sub(now, old, &d) != NUM_OK ||
        num_div(d, num_abs(old), &q) != NUM_OK || num_mul(q, num_from_int(100), &pct) != NUM_OK)
        return buf;
    char n[VF_BUFSZ];
    ValFmt f = {.min_dec = 2, .max_dec = 2, .thousands = true, .plus = true, .suffix = "%"};
    sprintf(buf, " (%s)", vf_fmt(pct, &f, n));
    return buf;
}

/* ---- what changed ------------------------------------------------------------------------- */

typedef struct {
    char *name; /* a metric's name, or a table's key */
    size_t cells;
    bool said;
} Group;

typedef struct {
    Group *v;
    int n;
} Groups;

/* The group called name, or NULL. */
static Group *group_named(Groups *g, const char *name)
{
    for (int i = 0; i < g->n; i++)
        if (strcmp(g->v[i].name, name) == 0)
            return &g->v[i];
    return NULL;
}

/* The group called name, added if there is none. */
static Group *group_of(Groups *g, const char *name)
{
    Group *old = group_named(g, name);
    if (old)
        return old;
    g->v = xrealloc(g->v, (size_t)(g->n + 1) * sizeof *g->v);
    g->v[g->n] = (Group){xstrdup(name), 0, false};
    return &g->v[g->n++];
}

static int find_key(char *const *keys, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (strcmp(keys[i], key) == 0)
            return i;
    return -1;
}

/* Counts the changed cells of every table of either world, by group. */
static void count_changes(const ReplWorld *old, const ReplWorld *now, Groups *g)
{
    for (int side = 1; side >= 0; side--) {
        const ReplWorld *w = side ? now : old, *other = side ? old : now;
        for (int i = 0; i < w->l.n; i++) {
            int j = find_key(other->keys, other->l.n, w->keys[i]);
            if (side == 0 && j >= 0)
                continue; /* compared from the new side */
            const Node *s = w->l.shows[i];
            const RenderGrid *b = w->grids[i], *o = j >= 0 ? other->grids[j] : NULL;
            size_t n = side ? session_diff_count(session_key_columns(s), o, b)
                            : session_diff_count(session_key_columns(s), b, o);
            group_of(g, s->op == SHOW_METRIC ? s->name : w->keys[i])->cells += n;
        }
    }
}

static const ReplRoot *root_named(const ReplRoot *v, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0)
            return &v[i];
    return NULL;
}

/* A root's value: a target as its tables show it (money in the plan's
 * unit), a payout as incentive statements do (currency units). */
static char *fmt_root(const ReplWorld *w, const ReplRoot *r, Num v, bool payout, char *buf)
{
    if (payout)
        return vf_fixed(v, money_decimals(w), true, buf);
    return fmt_kind(w, kind_of(r->metric), v, false, buf);
}

static void say_root(Buf *out, const ReplWorld *old, const ReplWorld *now, const ReplRoot *r,
                     Group *g, bool payout)
{
    const ReplRoot *o = payout ? root_named(old->payouts, old->npayouts, r->name)
                               : root_named(old->roots, old->nroots, r->name);
    size_t cells = g ? g->cells : 0;
    if (g)
        g->said = true;
    bool same = o && num_cmp(o->value, r->value) == 0;
    if (same && !cells)
        return;
    char a[NUM_BUFSZ + 2], b[NUM_BUFSZ + 2], p[NUM_BUFSZ + 8], c[NUM_BUFSZ + 32];
    bool z = zh(now);
    buf_printf(out, "%s: %s", r->name, !payout ? "" : z ? "奖金 " : "payout ");
    if (same)
        buf_printf(out, z ? "%s（未变）" : "%s (unchanged)", fmt_root(now, r, r->value, payout, b));
    else if (o)
        buf_printf(out, "%s -> %s%s", fmt_root(old, r, o->value, payout, a),
                   fmt_root(now, r, r->value, payout, b), fmt_pct(o->value, r->value, p));
    else
        buf_printf(out, z ? "%s（新增）" : "%s (new)", fmt_root(now, r, r->value, payout, b));
    if (cells)
        buf_printf(out, z ? "；%s" : "; %s", fmt_cells(cells, z, c));
    buf_putc(out, '\n');
}

/* The root targets: old -> new with their metric's cells, or gone. */
static void say_targets(Buf *out, const ReplWorld *old, const ReplWorld *now, Groups *g)
{
    for (int i = 0; i < now->nroots; i++)
        say_root(out, old, now, &now->roots[i], group_named(g, now->roots[i].name), false);
    for (int i = 0; i < old->nroots; i++)
        if (!root_named(now->roots, now->nroots, old->roots[i].name)) {
            char a[NUM_BUFSZ + 2];
            buf_printf(out, zh(now) ? "%s: %s -> 无目标\n" : "%s: %s -> no target\n",
                       old->roots[i].name,
                       repl_fmt_metric(old, old->roots[i].metric, old->roots[i].value, a));
        }
}

/* The incentives' total payouts, with their statements' cells. */
static void say_payouts(Buf *out, const ReplWorld *old, const ReplWorld *now, Groups *g)
{
    for (int i = 0; i < now->npayouts; i++) {
        Buf key = {0};
        buf_printf(&key, "incentive %s", now->payouts[i].name);
        Group *gr = group_named(g, buf_cstr(&key));
        buf_free(&key);
        say_root(out, old, now, &now->payouts[i], gr, true);
    }
}

/* What changed from old to now, one line per target, payout or table. */
static void say_moves(Repl *S, const ReplWorld *old, const ReplWorld *now, Buf *out)
{
    char c[NUM_BUFSZ + 32];
    Groups g = {0};
    count_changes(old, now, &g);
    say_targets(out, old, now, &g);
    say_payouts(out, old, now, &g);
    for (int k = 0; k < g.n; k++)
        if (!g.v[k].said && g.v[k].cells)
            buf_printf(out, "%s: %s\n", g.v[k].name, fmt_cells(g.v[k].cells, zh(now), c));
    for (int k = 0; k < g.n; k++)
        free(g.v[k].name);
    free(g.v);
    if (!out->len && S->statements_changed && !now->ra->act)
        buf_puts(out, zh(now) ? "没有变化（没有实际数据时不计算奖金、计分卡和回顾：:actuals CSV）\n"
                              : "nothing changed (without actuals no payout, scorecard or review "
                                "is computed: :actuals CSV)\n");
    else if (!out->len)
        buf_puts(out, zh(now) ? "没有变化\n" : "nothing changed\n");
}

void repl_say_changes(Repl *S, const ReplWorld *old, const ReplWorld *now)
{
    Buf out = {0};
    if (old)
        say_moves(S, old, now, &out);
    else if (zh(now))
        buf_printf(&out, "计划检查通过：%d 张表\n", now->l.n);
    else
        buf_printf(&out, "the plan checks: %d table%s\n", now->l.n, now->l.n == 1 ? "" : "s");
    fputs(buf_cstr(&out), S->out);
    buf_free(&out);
}

/* ---- the baseline and :diff --------------------------------------------------------------- */

void repl_baseline_free(Repl *S)
{
    for (int i = 0; i < S->nbase_tables; i++) {
        free(S->base_keys[i]);
        render_grid_unref(S->base_grids[i]);
    }
    free(S->base_keys);
    free(S->base_grids);
    free(S->base_nkey);
    S->base_keys = NULL;
    S->base_grids = NULL;
    S->base_nkey = NULL;
    S->nbase_tables = 0;
    if (S->have_baseline)
        repl_state_free(&S->base_st);
    S->have_baseline = false;
}

void repl_set_baseline(Repl *S)
{
    repl_baseline_free(S);
    repl_state_copy(&S->base_st, &S->st);
    S->base_st.valid = S->world != NULL;
    S->have_baseline = true;
    const ReplWorld *w = S->world;
    int n = w ? w->l.n : 0;
    S->base_keys = xcalloc((size_t)n + 1, sizeof *S->base_keys);
    S->base_grids = xcalloc((size_t)n + 1, sizeof *S->base_grids);
    S->base_nkey = xcalloc((size_t)n + 1, sizeof *S->base_nkey);
    for (int i = 0; i < n; i++) {
        S->base_keys[i] = xstrdup(w->keys[i]);
        S->base_grids[i] = render_grid_ref(w->grids[i]);
        S->base_nkey[i] = session_key_columns(w->l.shows[i]);
    }
    S->nbase_tables = n;
}

/* Parses SHOW ("revenue by rep, month", at column col of the entry) in
 * world w; NULL after reporting. */
static Node *parse_show(Repl *S, ReplWorld *w, const char *arg, int col)
{
    Buf text = {0};
    for (int i = 6; i < col; i++) /* "show " ends where SHOW starts */
        buf_putc(&text, ' ');
    buf_printf(&text, "show %s", arg);
    Unit *u = NULL;
    int errors = w->s.d.nerrors;
    Node *items = prog_parse_unit(w->s.p, "<repl>", NULL, buf_cstr(&text), text.len, S->line, &u);
    u->items = NULL;
    if (w->s.d.nerrors == errors && (!items || items->kind != N_SHOW || items->next)) {
        Loc at = {u->src, S->line, col, S->line, col};
        diag_error(&w->s.d, at,
                   "expected what a show statement shows, such as revenue by region, "
                   "quarter");
    }
    buf_free(&text);
    if (w->s.d.nerrors == errors)
        check_statement(w->s.p, items);
    return w->s.d.nerrors == errors ? items : NULL;
}

/* The grid of one table in world w (*out stays NULL when SHOW does not parse). */
static int show_grid(Repl *S, ReplWorld *w, const char *arg, int col, RenderGrid **out, int *nkey)
{
    Node *s = parse_show(S, w, arg, col);
    int rc = s ? session_show_grid(&w->s.en, &w->s.ms, s, out) : -1;
    if (s)
        *nkey = session_key_columns(s);
    if (w->s.d.nerrors)
        rc = -1;
    repl_flush(S, &w->s.d);
    return rc;
}

static void print_changes(Repl *S, const TdChanges *ch, int tables)
{
    bool z = zh(S->world);
    if (!ch->nrows) {
        fputs(z ? "与基线相比没有变化\n" : "no change since the baseline\n", S->out);
        return;
    }
    char c[VF_BUFSZ + 32];
    Buf caption = {0}, out = {0};
    if (z)
        buf_printf(&caption, "与基线相比，%d 张表中 %s", tables, fmt_cells(ch->nrows, z, c));
    else
        buf_printf(&caption, "%s in %d table%s since the baseline", fmt_cells(ch->nrows, z, c),
                   tables, tables == 1 ? "" : "s");
    RenderOpts ro = {
        .unit = "", .color = S->interactive && term_color(1), .lang = z ? LANG_ZH : LANG_EN};
    RenderDoc *doc = render_new(S->format, &ro);
    render_caption(doc, buf_cstr(&caption));
    session_diff_sheet(doc, ch, "baseline", "now");
    render_doc(doc, &out);
    fwrite(buf_cstr(&out), 1, out.len, S->out);
    render_free(doc);
    buf_free(&caption);
    buf_free(&out);
}

/* :diff: every table of the world against the baseline's. */
static int diff_all(Repl *S, const ReplWorld *w, TdChanges *ch)
{
    int tables = 0;
    for (int i = 0; i < w->l.n; i++) {
        int j = find_key(S->base_keys, S->nbase_tables, w->keys[i]);
        tables += session_diff_changed(ch, w->keys[i], session_key_columns(w->l.shows[i]),
                                       j >= 0 ? S->base_grids[j] : NULL, w->grids[i]) > 0;
    }
    for (int j = 0; j < S->nbase_tables; j++)
        if (find_key(w->keys, w->l.n, S->base_keys[j]) < 0)
            tables += session_diff_changed(ch, S->base_keys[j], S->base_nkey[j], S->base_grids[j],
                                           NULL) > 0;
    return tables;
}

/* :diff SHOW: the table evaluated now and in the baseline's state. */
static void diff_one(Repl *S, ReplWorld *w, const char *arg, int argcol, TdChanges *ch)
{
    RenderGrid *now = NULL, *then = NULL;
    int nkey = 1, bkey = 1;
    if (show_grid(S, w, arg, argcol, &now, &nkey) == 0) {
        ReplWorld *b = S->base_st.valid ? repl_world_build(S, &S->base_st, S->base_st.nw) : NULL;
        int rc = b ? show_grid(S, b, arg, argcol, &then, &bkey) : 0; /* no baseline: all new */
        repl_world_free(S, b);
        if (rc == 0)
            print_changes(S, ch, session_diff_changed(ch, arg, nkey, then, now) > 0);
        else
            S->errors++;
    } else {
        S->errors++;
    }
    render_grid_unref(now);
    render_grid_unref(then);
}

void repl_cmd_diff(Repl *S, const char *arg, int argcol)
{
    ReplWorld *w = S->world;
    if (!w) {
        repl_error_at(S, S->entry_text, S->line, 1, 5,
                      "no plan to compare: the plan does not check");
        return;
    }
    TdChanges ch = {0};
    ch.old_columns = true;
    ch.unit = sym_unit(w->s.p->sym); /* amounts as the plan's tables show them */
    ch.decimals = num_decimals(w->s.p->sym->round_step);
    if (!*arg)
        print_changes(S, &ch, diff_all(S, w, &ch));
    else
        diff_one(S, w, arg, argcol, &ch);
    session_diff_free(&ch);
}
