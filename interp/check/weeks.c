/* weeks.c -- the calendar settings of the plan header (weeks, week_start,
 * workdays, holidays), the week calendar they make, and the splits by
 * week: their scope and form, and the month split a split by week at a
 * year, half or quarter scope implies (every week equal: months in
 * proportion to their days). */
#include <string.h>

#include "check/check_int.h"
#include "data/holidays.h"

static const char *const numberings[] = {"iso", "fiscal", NULL};

/* "mon-fri sat", "mon,tue": a mask of weekdays, 0 when malformed. */
static unsigned parse_workdays(const char *s)
{
    unsigned mask = 0;
    while (*s) {
        if (*s == ' ' || *s == ',') {
            s++;
            continue;
        }
        int a = wk_day_by_name(s, strnlen(s, 3)), b = a;
        if (a < 0)
            return 0;
        s += 3;
        if (*s == '-') {
            if ((b = wk_day_by_name(s + 1, strnlen(s + 1, 3))) < 0)
                return 0;
            s += 4;
        }
        for (int d = a;; d = (d + 1) % 7) {
            mask |= 1u << d;
            if (d == b)
                break;
        }
        if (*s && *s != ' ' && *s != ',')
            return 0;
    }
    return mask;
}

void rs_week_setting(R *r, int k, Node *v)
{
    switch (k) {
    case SET_WEEKS:
        if (v->kind != N_NAME || sym_word_index(numberings, v->name) < 0) {
            diag_error(r->d, v->loc, "'weeks' must be iso or fiscal");
            if (v->kind == N_NAME)
                sym_suggest_word(r->d, v->name, numberings, 2);
        }
        break;
    case SET_WEEK_START:
        if (v->kind != N_NAME || wk_day_by_name(v->name, strlen(v->name)) < 0) {
            diag_error(r->d, v->loc, "'week_start' must be a weekday: mon, tue, ..., sun");
            if (v->kind == N_NAME)
                sym_suggest_word(r->d, v->name, wk_day_names, 7);
        }
        break;
    case SET_WORKDAYS:
        if (v->kind != N_STR || !parse_workdays(v->str)) {
            diag_error(r->d, v->loc, "'workdays' must be a string of weekdays such as \"mon-fri\"");
            diag_note_plain(r->d, "weekdays are mon tue wed thu fri sat sun; a range is mon-fri");
        }
        break;
    default: /* SET_HOLIDAYS */
        if (v->kind != N_STR)
            diag_error(r->d, v->loc,
                       "'holidays' must be a file name such as \"data/holidays.csv\"");
        break;
    }
}

static Node *setting(const Symbols *s, const char *name)
{
    for (Node *a = s->header ? s->header->a : NULL; a; a = a->next)
        if (strcmp(a->name, name) == 0)
            return a;
    return NULL;
}

void rs_build_weeks(R *r)
{
    Symbols *s = r->s;
    Node *num = setting(s, "weeks"), *start = setting(s, "week_start");
    Node *work = setting(s, "workdays"), *hol = setting(s, "holidays");
    bool fiscal = num && num->a->kind == N_NAME && strcmp(num->a->name, "fiscal") == 0;
    int ws = start && start->a->kind == N_NAME
                 ? wk_day_by_name(start->a->name, strlen(start->a->name))
                 : 0;
    if (!fiscal && ws > 0) {
        diag_error(r->d, start->a->loc, "ISO weeks start on monday, not %s", start->a->name);
        diag_note_plain(r->d,
                        "write weeks = fiscal for weeks from %s, counted from the fiscal "
                        "year's first day",
                        start->a->name);
    }
    unsigned mask = work && work->a->kind == N_STR ? parse_workdays(work->a->str) : 0;
    s->weeks = arena_alloc(&s->arena, sizeof *s->weeks);
    wk_init(s->weeks, sym_fiscal_year(s), fiscal ? WK_FISCAL : WK_ISO, ws < 0 ? 0 : ws,
            mask ? mask : 0x1fu);
    if (hol && hol->a->kind == N_STR)
        hol_load(r->p, hol->a, s->weeks);
}

/* The time member a split by week is scoped to (the fiscal year when it
 * has no scope); NULL after reporting. */
static Member *week_scope(R *r, const Node *n)
{
    Member *tm = NULL;
    for (const Node *sc = n->b; sc; sc = sc->next) {
        Member *m = sym_lookup_member(r->s, sc, r->d);
        if (!m)
            return NULL;
        if (!m->dim->is_time || tm) {
            diag_error(r->d, sc->loc, "a split by week is scoped by one period only");
            diag_note_plain(r->d, "write 'in' with a year, half, quarter or month, e.g. in oct");
            return NULL;
        }
        tm = m;
    }
    return tm ? tm : r->s->time->members[0];
}

/* The fiscal month of a month member, -1 for a coarser one. */
int rs_month_of(const Member *m)
{
    return m->depth == 3 ? m->index : -1;
}

static void week_list_note(R *r, int m)
{
    const WeekCal *c = r->s->weeks;
    Buf b = {0};
    for (int k = 0; k < c->nfrag[m]; k++) {
        int from, to;
        char d1[16], d2[16];
        wk_frag_days(c, m, k, &from, &to);
        buf_printf(&b, "%sw%d (%s .. %s)", k ? ", " : "", k + 1,
                   wk_date_label(c->first_day + from, d1),
                   wk_date_label(c->first_day + to - 1, d2));
    }
    diag_note_plain(r->d, "the weeks of this month are %s", buf_cstr(&b));
    buf_free(&b);
}

static void week_entries(R *r, const Node *n, int m)
{
    const Node *rest = NULL, *seen[WK_MAX_FRAGS] = {0};
    bool weights = n->c->kind == N_SPEC_WEIGHTS;
    Scope sc = {SC_METRICS, 0, 0, 0, 0, 0, NULL, NULL};
    for (Node *e = n->c->a; e; e = e->next) {
        int k = e->a->kind == N_NAME ? wk_frag_by_name(r->s->weeks, m, e->a->name) : -1;
        if (k < 0) {
            int code = cal_month_code(sym_fiscal_year(r->s), m);
            diag_error(r->d, e->a->loc, "'%s' is not a week of %s (%04d-%02d)",
                       e->a->kind == N_NAME ? e->a->name : "this", cal_month_name(code % 100),
                       code / 100, code % 100);
            week_list_note(r, m);
        } else if (seen[k]) {
            diag_error(r->d, e->a->loc, "'%s' is given twice", e->a->name);
            diag_note(r->d, seen[k]->loc, "first given here; each week takes one value");
        } else {
            seen[k] = e->a;
        }
        if (e->b->kind == N_REST) {
            if (weights) {
                diag_error(r->d, e->b->loc, "'rest' is not a weight");
            } else if (rest) {
                diag_error(r->d, e->b->loc, "'rest' is given twice");
                diag_note(r->d, rest->loc, "first 'rest' here; only one week can take the rest");
            }
            rest = e->b;
            continue;
        }
        Kind vk = rx_check(r, &sc, e->b);
        if (vk != K_ANY && vk != K_NUM && vk != K_MONEY && vk != K_COUNT && vk != K_PERCENT)
            diag_error(r->d, e->b->loc, "a week's value must be an amount, a share or a weight");
    }
}

/* A split by month of the same metric and scope as n, reported. */
static bool month_split_clash(R *r, const Node *n, const Member *tm)
{
    Symbols *s = r->s;
    for (int i = 0; i < s->nsplits; i++) {
        Node *o = s->splits[i];
        if (strcmp(o->name, n->name) || !o->a || strcmp(o->a->name, "month"))
            continue;
        const Member *om = o->b ? sym_lookup_member(s, o->b, NULL) : s->time->members[0];
        if (om == tm && (!o->b || !o->b->next)) {
            diag_error(r->d, n->loc, "'%s' is split by week in %s and by month there too", n->name,
                       tm->name);
            diag_note(r->d, o->loc,
                      "the split by month; a split by week sets the months itself "
                      "(in proportion to their days)");
            return true;
        }
    }
    return false;
}

/* { month: its days } for the months under tm. */
static Node *month_days(R *r, const Node *n, const Member *tm)
{
    Symbols *s = r->s;
    Node *list = NULL;
    for (size_t i = 0; i < s->time->nmembers; i++) {
        Member *mm = s->time->members[i];
        const Member *up = mm;
        while (up && up != tm)
            up = up->parent;
        if (mm->depth != 3 || !up)
            continue;
        Node *e = ast_new(&s->arena, N_ENTRY, n->loc);
        e->a = ast_new(&s->arena, N_NAME, n->loc);
        e->a->name = mm->name;
        e->b = ast_new(&s->arena, N_NUM, n->loc);
        e->b->num =
            num_from_int(s->weeks->month_first[mm->index + 1] - s->weeks->month_first[mm->index]);
        e->b->flags = K_NUM;
        e->b->str = "";
        list = ast_append(list, e);
    }
    return list;
}

/* split M by month [in SCOPE] weights { month: days }: the months a split
 * by week equally at a coarser scope implies. */
static void imply_months(R *r, Node *n, const Member *tm)
{
    Symbols *s = r->s;
    if (month_split_clash(r, n, tm))
        return;
    Node *sp = ast_new(&s->arena, N_SPLIT, n->loc);
    sp->name = n->name;
    sp->name_loc = n->name_loc;
    sp->a = ast_new(&s->arena, N_NAME, n->a->loc);
    sp->a->name = "month";
    sp->b = n->b;
    sp->c = ast_new(&s->arena, N_SPEC_WEIGHTS, n->loc);
    sp->c->a = month_days(r, n, tm);
    s->splits = xrealloc(s->splits, (size_t)(s->nsplits + 1) * sizeof *s->splits);
    s->splits[s->nsplits++] = sp;
}

/* The form of a split by week scoped to month m (-1: a coarser period). */
static void week_form(R *r, Node *n, const Member *tm, int m)
{
    NodeKind k = n->c->kind;
    if (m < 0 && k != N_SPEC_EQUAL) {
        diag_error(r->d, n->c->loc, "a split by week in %s must be 'equally'", tm->name);
        diag_note_plain(r->d,
                        "name the weeks of one month: split %s by week in oct { w1: ..., "
                        "w2: rest }",
                        n->name);
        return;
    }
    if (k != N_SPEC_EQUAL && k != N_SPEC_MAP && k != N_SPEC_WEIGHTS) {
        diag_error(r->d, n->c->loc, "a split by week takes { week: value }, weights or equally");
        return;
    }
    if (n->d)
        diag_error(r->d, n->d->loc, "a split by week has no overassign or reserve");
    if (m >= 0 && k != N_SPEC_EQUAL)
        week_entries(r, n, m);
    if (m < 0)
        imply_months(r, n, tm);
}

static void check_week_split(R *r, Node *n, StrMap *seen)
{
    Node *metric = strmap_get(&r->s->metrics, n->name);
    if (!metric) {
        diag_error(r->d, n->name_loc, "unknown metric '%s'", n->name);
        sym_note_did_you_mean(r->d, sym_closest(&r->s->metrics, n->name));
        return;
    }
    if (strcmp(n->a->name, "day") == 0) {
        diag_error(r->d, n->a->loc, "a metric is split by week, not by day");
        diag_note_plain(r->d, "days take their week's value by working days: 'show %s by day'",
                        n->name);
        return;
    }
    if (!sym_additive(metric)) {
        diag_error(r->d, n->loc, "'%s' is a %s: only money and count metrics are split by week",
                   n->name, sym_kind_name(sym_metric_kind(metric)));
        return;
    }
    Member *tm = week_scope(r, n);
    if (!tm)
        return;
    char *key = arena_printf(&r->s->arena, "%s|%s", n->name, tm->name);
    Node *prev = strmap_get(seen, key);
    if (prev) {
        diag_error(r->d, n->loc, "duplicate split of '%s' by week in %s", n->name, tm->name);
        diag_note(r->d, prev->loc, "first split here");
        return;
    }
    strmap_put(seen, key, n);
    week_form(r, n, tm, rs_month_of(tm));
}

void rs_check_week_splits(R *r)
{
    StrMap seen = {0};
    for (int i = 0; i < r->s->nweek_splits; i++)
        check_week_split(r, r->s->week_splits[i], &seen);
    strmap_free(&seen);
}

/* ---- weekly reviews ---- */

/* A weekly review's status metric: a money or count metric of its own
 * (its actuals are rows dated in the week). */
static void weekly_status(R *r, const Node *it)
{
    const Node *metric = strmap_get(&r->s->metrics, it->name);
    if (!metric || metric->op == MK_MONEY || metric->op == MK_COUNT)
        return;
    diag_error(r->d, it->name_loc,
               "'%s' is a %s metric: a weekly review's status metrics are "
               "money and count metrics that actuals give",
               it->name,
               metric->op == MK_DERIVED ? "derived" : sym_kind_name(sym_metric_kind(metric)));
    diag_note_plain(r->d, "review it monthly: 'review monthly { status %s }'", it->name);
}

bool rs_weekly_item(const Node *it)
{
    return it->kind == N_STATUS || it->kind == N_FLAG || it->kind == N_NOTES;
}

void rs_check_weekly_review(R *r, const Node *n)
{
    for (const Node *it = n->a; it; it = it->next) {
        if (it->kind == N_STATUS)
            weekly_status(r, it);
        if (rs_weekly_item(it))
            continue;
        const char *what = it->kind == N_NOTES ? "notes" : ast_kind_name(it->kind);
        diag_error(r->d, it->loc,
                   "a weekly review has status, 'flag deviation' and notes items only: "
                   "'%s' is not one of them",
                   what);
        diag_note_plain(r->d, "put it in a monthly review: 'review monthly { ... }'");
    }
}
