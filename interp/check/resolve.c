/* resolve.c -- the checker's driver (SPEC §8): collects declarations,
 * checks the plan header, builds the calendar, and runs the other checker
 * files (cycles.c, dimensions.c, declarations.c, splits.c).  It never evaluates a split: that is
 * the allocation engine's. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/lang.h"
#include "check/check_int.h"

/* ---- declarations --------------------------------------------------------- */

void rs_duplicate(R *r, Node *n, Node *prev, const char *what)
{
    diag_error(r->d, n->name_loc, "duplicate %s '%s'", what, n->name);
    diag_note(r->d, prev->name_loc, "first declared here");
}

static void put_unique(R *r, StrMap *m, Node *n, const char *what)
{
    Node *prev = strmap_get(m, n->name);
    if (prev)
        rs_duplicate(r, n, prev, what);
    else
        strmap_put(m, n->name, n);
}

static void add_split(Symbols *s, Node *n)
{
    if (n->a && (strcmp(n->a->name, "week") == 0 || strcmp(n->a->name, "day") == 0)) {
        s->week_splits =
            xrealloc(s->week_splits, (size_t)(s->nweek_splits + 1) * sizeof *s->week_splits);
        s->week_splits[s->nweek_splits++] = n;
        return;
    }
    s->splits = xrealloc(s->splits, (size_t)(s->nsplits + 1) * sizeof *s->splits);
    s->splits[s->nsplits++] = n;
}

static void collect_target(R *r, Node *n)
{
    /* a target per cell (a file's, or last year's: history.NAME) is "from" */
    bool per_cell = n->c || sym_history_refs(n->a, NULL, 0) > 0;
    StrMap *m = per_cell ? &r->s->targets_from : &r->s->targets;
    Node *prev = strmap_get(m, n->name);
    if (prev) {
        diag_error(r->d, n->name_loc, "duplicate target for '%s'", n->name);
        diag_note(r->d, prev->loc, "first target here");
        return;
    }
    strmap_put(m, n->name, n);
}

/* The plan header: one, in the main file. */
static void collect_header(R *r, Unit *u, Node *n)
{
    if (u != r->p->main) {
        diag_error(r->d, n->loc, "an imported file cannot have a 'plan' header");
        diag_note_plain(r->d, "the plan header belongs to the main plan file");
    } else if (r->s->header) {
        diag_error(r->d, n->loc, "duplicate 'plan' header");
        diag_note(r->d, r->s->header->loc, "first header here");
    } else {
        r->s->header = n;
    }
}

static void collect(R *r, Unit *u)
{
    Symbols *s = r->s;
    for (Node *n = u->items; n; n = n->next) {
        switch (n->kind) {
        case N_PLAN:
            collect_header(r, u, n);
            break;
        case N_METRIC:
            put_unique(r, &s->metrics, n, "metric");
            break;
        case N_LET:
            put_unique(r, &s->lets, n, "let");
            break;
        case N_FN:
            put_unique(r, &s->fns, n, "function");
            break;
        case N_HISTORY:
            put_unique(r, &s->histories, n, "history");
            break;
        case N_INCENTIVE:
            put_unique(r, &s->incentives, n, "incentive");
            break;
        case N_SCORECARD:
            put_unique(r, &s->scorecards, n, "scorecard");
            break;
        case N_REVIEW:
            put_unique(r, &s->reviews, n, "review");
            break;
        case N_SCENARIO:
            put_unique(r, &s->scenarios, n, "scenario");
            break;
        case N_TARGET:
            collect_target(r, n);
            break;
        case N_SPLIT:
            add_split(s, n);
            break;
        default:
            break;
        }
    }
}

/* A let, fn and metric share one namespace: an expression could not tell
 * them apart. */
static void check_clashes(R *r)
{
    const StrMap *maps[] = {&r->s->metrics, &r->s->lets, &r->s->fns};
    const char *what[] = {"metric", "let", "function"};
    for (int a = 0; a < 3; a++)
        for (int b = a + 1; b < 3; b++)
            for (size_t i = 0; i < maps[b]->count; i++) {
                Node *x = strmap_get(maps[a], maps[b]->slots[i].key);
                if (!x)
                    continue;
                Node *y = maps[b]->slots[i].val;
                Node *later = x->loc.src->index > y->loc.src->index ||
                                      (x->loc.src == y->loc.src && x->loc.line > y->loc.line)
                                  ? x
                                  : y;
                Node *first = later == x ? y : x;
                diag_error(r->d, later->name_loc, "'%s' is already a %s", later->name,
                           later == x ? what[b] : what[a]);
                diag_note(r->d, first->name_loc, "declared here");
            }
    /* an attribute named like a metric or a let: `proportional to w` would read the
     * attribute and a formula the let */
    for (int d = 0; d < r->s->ndims; d++) {
        const StrMap *attrs = &r->s->dims[d]->attr_names;
        for (size_t i = 0; i < attrs->count; i++) {
            const Attr *at = attrs->slots[i].val;
            for (int a = 0; at && a < 2; a++) {
                const Node *x = strmap_get(maps[a], at->name);
                if (!x)
                    continue;
                diag_error(r->d, x->name_loc, "'%s' is a %s and an attribute of %s", at->name,
                           what[a], r->s->dims[d]->name);
                diag_note(r->d, at->loc,
                          "the attribute; a split's weights would read one and a formula the "
                          "other: rename one of them");
            }
        }
    }
}

/* ---- header and calendar ------------------------------------------------------ */

static void set_year(R *r, Node *v)
{
    Num x;
    int64_t y;
    if (rx_const(r, v, &x) != 1 || num_to_int(x, NUM_TRUNC, &y) != NUM_OK ||
        num_cmp(x, num_from_int(y)) != 0 || y < 1900 || y > 9998) {
        diag_error(r->d, v->loc, "'year' must be a whole year such as 2027");
        return;
    }
    r->s->year = (int)y;
}

static void set_years(R *r, Node *v)
{
    Num x;
    int64_t y;
    if (rx_const(r, v, &x) != 1 || num_to_int(x, NUM_TRUNC, &y) != NUM_OK ||
        num_cmp(x, num_from_int(y)) != 0 || y < 1 || y > SYM_MAX_YEARS) {
        diag_error(r->d, v->loc, "'years' must be a whole number of fiscal years from 1 to %d",
                   SYM_MAX_YEARS);
        diag_note_plain(r->d,
                        "for a three-year plan: plan \"三年规划\" { year = 2027  years = 3 }");
        return;
    }
    r->s->years = (int)y;
}

static void set_start(R *r, Node *v)
{
    if (v->kind != N_NAME || !cal_month_by_name(v->name)) {
        diag_error(r->d, v->loc, "'start' must be a month name: jan, feb, ..., dec");
        if (v->kind == N_NAME)
            sym_suggest_word(r->d, v->name, cal_month_names, 12);
        return;
    }
    r->s->start_month = cal_month_by_name(v->name);
}

/* currency and name: strings the plan only shows. */
static void check_text_setting(R *r, Node *a)
{
    if (a->a->kind != N_STR)
        diag_error(r->d, a->a->loc, "'%s' must be a string such as \"CNY\"", a->name);
}

static void check_unit(R *r, Node *v)
{
    if (v->kind != N_STR) {
        diag_error(r->d, v->loc, "'unit' must be a string: \"1\", \"k\", \"万\", \"M\" or \"亿\"");
        return;
    }
    if (sym_word_index(sym_display_units, v->str) < 0)
        diag_error(r->d, v->loc,
                   "unknown display unit \"%s\" (expected \"1\", \"k\", \"万\", "
                   "\"M\" or \"亿\")",
                   v->str);
}

/* `lang = "zh"`: the chrome's language, "en" or "zh" (base/lang.h). */
static void check_lang(R *r, Node *v)
{
    Lang l;
    if (v->kind == N_STR && lang_parse(v->str, &l))
        return;
    if (v->kind == N_STR)
        diag_error(r->d, v->loc, "unknown output language \"%s\" (expected \"en\" or \"zh\")",
                   v->str);
    else
        diag_error(r->d, v->loc, "'lang' must be a string: \"en\" or \"zh\"");
    const char *s = v->kind == N_STR ? v->str : v->kind == N_NAME ? v->name : NULL;
    if (s && (strcasecmp(s, "zh") == 0 || strncasecmp(s, "zh-", 3) == 0 ||
              strncasecmp(s, "zh_", 3) == 0 || strcasecmp(s, "cn") == 0 ||
              strcasecmp(s, "chinese") == 0))
        sym_note_did_you_mean(r->d, "zh");
    else if (s && (strcasecmp(s, "en") == 0 || strncasecmp(s, "en-", 3) == 0 ||
                   strncasecmp(s, "en_", 3) == 0 || strcasecmp(s, "english") == 0))
        sym_note_did_you_mean(r->d, "en");
    else
        diag_note_plain(r->d, "the chrome (heads, totals, status words) is English (\"en\") "
                              "or Chinese (\"zh\"); names and labels stay as written");
}

/* bom: true or false (a byte-order mark before csv output). */
static void check_flag(R *r, Node *a)
{
    static const char *const flags[] = {"true", "false", NULL};
    Node *v = a->a;
    if (v->kind == N_NAME && sym_word_index(flags, v->name) >= 0)
        return;
    diag_error(r->d, v->loc, "'%s' must be true or false", a->name);
    if (v->kind == N_NAME)
        sym_suggest_word(r->d, v->name, flags, 2);
    else if (v->kind == N_STR && sym_word_index(flags, v->str) >= 0)
        diag_note_plain(r->d, "write it without quotes: %s = %s", a->name, v->str);
}

static void set_round(R *r, Node *v)
{
    Num x;
    if (rx_const(r, v, &x) != 1 || num_sign(x) <= 0) {
        diag_error(r->d, v->loc, "'round' must be a positive step such as 0.01");
        return;
    }
    r->s->round_step = x;
}

static void set_rounding(R *r, Node *v)
{
    if (v->kind != N_NAME || (strcmp(v->name, "half_up") && strcmp(v->name, "half_even"))) {
        diag_error(r->d, v->loc, "'rounding' must be half_up or half_even");
        if (v->kind == N_NAME)
            sym_note_did_you_mean(r->d, edit_distance(v->name, "half_up", 3) <
                                                edit_distance(v->name, "half_even", 3)
                                            ? "half_up"
                                            : "half_even");
        return;
    }
    r->s->rounding = strcmp(v->name, "half_up") == 0 ? NUM_HALF_UP : NUM_HALF_EVEN;
}

static void header_key(R *r, Node *a, Node *seen[SET__COUNT])
{
    int k = sym_word_index(sym_setting_names, a->name);
    if (k < 0) {
        diag_error(r->d, a->name_loc, "unknown plan setting '%s'", a->name);
        sym_suggest_word(r->d, a->name, sym_setting_names, SET__COUNT);
        Buf b = {0}; /* every setting but `name`, which the header's title sets */
        for (int i = 0; i < SET__COUNT; i++)
            if (i != SET_NAME)
                buf_printf(&b, "%s%s", b.len ? ", " : "", sym_setting_names[i]);
        diag_note_plain(r->d, "settings are %s", buf_cstr(&b));
        buf_free(&b);
        return;
    }
    if (seen[k]) {
        rs_duplicate(r, a, seen[k], "plan setting");
        return;
    }
    seen[k] = a;
    switch (k) {
    case SET_YEAR:
        set_year(r, a->a);
        break;
    case SET_YEARS:
        set_years(r, a->a);
        break;
    case SET_START:
        set_start(r, a->a);
        break;
    case SET_CURRENCY:
    case SET_NAME:
        check_text_setting(r, a);
        break;
    case SET_UNIT:
        check_unit(r, a->a);
        break;
    case SET_ROUND:
        set_round(r, a->a);
        break;
    case SET_ROUNDING:
        set_rounding(r, a->a);
        break;
    case SET_LANG:
        check_lang(r, a->a);
        break;
    case SET_BOM:
        check_flag(r, a);
        break;
    default:
        rs_week_setting(r, k, a->a);
        break;
    }
}

static void check_header(R *r)
{
    Symbols *s = r->s;
    s->start_month = 1;
    s->round_step = num_from_int(1);
    NumStatus st = num_parse("0.01", 4, &s->round_step);
    (void)st;
    s->rounding = NUM_HALF_UP;
    s->years = 1;
    Unit *m = r->p->main;
    if (!s->header) {
        Loc at = {m->src, m->src->first_line, 1, m->src->first_line, 1};
        diag_error(r->d, at, "the plan has no 'plan' header");
        diag_note_plain(r->d, "start the plan with: plan \"NAME\" { year = 2027 }");
        s->year = s->first_year = 2000;
        return;
    }
    Node *seen[SET__COUNT] = {0};
    for (Node *a = s->header->a; a; a = a->next)
        header_key(r, a, seen);
    if (!seen[0]) {
        diag_error(r->d, s->header->loc, "the plan header needs a 'year'");
        diag_note_plain(r->d, "for example: plan \"FY2027\" { year = 2027 }");
    }
    if (!s->year)
        s->year = 2000;
    s->first_year = s->year;
    s->year += r->p->world; /* world k of a multi-year plan is its year k + 1 */
}

Member *rs_new_member(R *r, Dim *d, const char *name, int depth, Member *parent, Loc loc)
{
    Member *m = arena_alloc(&r->s->arena, sizeof *m);
    m->name = name;
    m->dim = d;
    m->depth = depth;
    m->parent = parent;
    m->loc = loc;
    if (d->nmembers == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->members = xrealloc(d->members, d->cap * sizeof *d->members);
    }
    m->gindex = (int)d->nmembers;
    d->members[d->nmembers++] = m;
    return m;
}

Dim *rs_new_dim(R *r, const char *name)
{
    Dim *d = arena_alloc(&r->s->arena, sizeof *d);
    d->name = name;
    Symbols *s = r->s;
    s->dims = xrealloc(s->dims, (size_t)(s->ndims + 1) * sizeof *s->dims);
    s->dims[s->ndims++] = d;
    return d;
}

/* A member of the calendar, found by its name. */
static Member *time_member(R *r, const char *name, int depth, Member *parent, int index)
{
    Dim *t = r->s->time;
    Loc none = {0};
    Member *m = rs_new_member(r, t, name, depth, parent, none);
    m->index = index;
    strmap_put(&t->by_name, m->name, m);
    return m;
}

/* The three months of quarter q, named 2027-04 and also apr. */
static void add_months(R *r, Member *qm, int q)
{
    Symbols *s = r->s;
    for (int k = q * 3; k < q * 3 + 3; k++) {
        int code = cal_month_code(sym_fiscal_year(s), k);
        Member *mm =
            time_member(r, arena_printf(&s->arena, "%04d-%02d", code / 100, code % 100), 3, qm, k);
        mm->alias = cal_month_name(code % 100);
        strmap_put(&s->time->by_name, mm->alias, mm);
    }
}

static void build_time(R *r)
{
    Symbols *s = r->s;
    Dim *t = rs_new_dim(r, "time");
    t->is_time = true;
    s->time = t;
    static const char *const lv[] = {"year", "half", "quarter", "month"};
    t->nlevels = 4;
    t->levels = arena_alloc(&s->arena, 4 * sizeof *t->levels);
    for (int i = 0; i < 4; i++) {
        t->levels[i] = (Level){lv[i], t, i, {0}};
        strmap_put(&s->levels, lv[i], &t->levels[i]);
    }
    Member *fy = time_member(r, arena_printf(&s->arena, "FY%d", s->year), 0, NULL, 0);
    for (int h = 0; h < 2; h++) {
        Member *hm = time_member(r, h ? "H2" : "H1", 1, fy, h);
        for (int q = h * 2; q < h * 2 + 2; q++)
            add_months(r, time_member(r, arena_printf(&s->arena, "Q%d", q + 1), 2, hm, q), q);
    }
}

void check_program(Program *p)
{
    R r = {p, p->diags, xcalloc(1, sizeof(Symbols)), {0}, NULL, NULL, {0}, {0}, NULL, NULL};
    p->sym = r.s;
    for (Unit *u = p->units; u; u = u->next)
        collect(&r, u);
    check_header(&r);
    rs_select_years(&r);
    build_time(&r);
    rs_build_weeks(&r);
    for (Unit *u = p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next)
            if (n->kind == N_DIMENSION)
                rs_build_dim(&r, n);
    rs_index_members(&r);
    for (int i = 0; i < r.s->ndims; i++)
        rs_activity(&r, r.s->dims[i]);
    for (int i = 0; i < r.s->ndims; i++)
        rs_check_labels(&r, r.s->dims[i]);
    check_clashes(&r);
    rs_check_cycles(&r);
    for (int pass = 0; pass < 2; pass++) /* derived metrics first: M.actual reads their kind */
        for (Unit *u = p->units; u; u = u->next)
            for (Node *n = u->items; n; n = n->next)
                if ((n->kind == N_METRIC && n->op == MK_DERIVED) == (pass == 0))
                    rs_check_item(&r, n);
    rs_check_titles(&r);
    rs_check_week_splits(&r);
    rs_check_splits(&r);
    strmap_free(&r.graph);
    strmap_free(&r.cells);
    strmap_free(&r.fn_kinds);
}

void check_statement(Program *p, Node *n)
{
    R r = {p, p->diags, p->sym, {0}, NULL, NULL, {0}, {0}, NULL, NULL};
    rs_check_item(&r, n);
    strmap_free(&r.graph);
    strmap_free(&r.cells);
    strmap_free(&r.fn_kinds);
}
