/* symbols.c -- reading the symbol tables: kinds, member lookup,
 * did-you-mean, attributes and activity.  Nothing here writes a table
 * (check/ builds them); sym_free releases one. */
#include <stdlib.h>
#include <string.h>

#include "base/valfmt.h"
#include "model/model.h"

Member member_ambiguous;

const char *const sym_cadence_names[] = {"monthly", "quarterly", "half", "annual", NULL};
const char *const sym_setting_names[] = {"year",     "start",    "currency", "unit",  "round",
                                         "rounding", "name",     "years",    "weeks", "week_start",
                                         "workdays", "holidays", "lang",     "bom",   NULL};
const char *const sym_metric_kinds[] = {"money", "count", "percent", "score", NULL};
const char *const sym_metric_options[] = {"lower_is_better", NULL};
const char *const sym_status_bands[] = {"green", "amber", NULL};
const char *const sym_metric_fields[] = {"target", "actual", "ytd_target", "ytd_actual", NULL};
const char *const sym_card_fields[] = {"score", "rating", "rank", NULL};
const char *const sym_flag_units[] = {"months", "quarters", "halves", "years", NULL};
const char *const sym_display_units[] = {"1", "", "k", "万", "M", "亿", NULL};
const char *const sym_calendar_words[] = {"week", "day", "working_days", "iso", "fiscal", "mon",
                                          "tue",  "wed", "thu",          "fri", "sat",    "sun",
                                          NULL};
const char *const sym_week_cadences[] = {"weekly", NULL};
const char *const sym_period_words[] = {"month", "quarter", "half", NULL};
const char *const *const sym_word_lists[] = {
    sym_cadence_names,  sym_setting_names, sym_metric_kinds, sym_metric_options,
    sym_status_bands,   sym_metric_fields, sym_card_fields,  sym_flag_units,
    sym_calendar_words, sym_week_cadences, sym_period_words, NULL};

int sym_word_index(const char *const *words, const char *name)
{
    for (int i = 0; words[i]; i++)
        if (strcmp(words[i], name) == 0)
            return i;
    return -1;
}

Cadence sym_reforecast_period(const Node *by, const char *review)
{
    if (by)
        return (Cadence)sym_word_index(sym_period_words, by->name);
    return review && strcmp(review, sym_cadence_names[CAD_HALF]) == 0 ? CAD_HALF : CAD_QUARTERLY;
}

int sym_word_count(const char *const *words)
{
    int n = 0;
    while (words[n])
        n++;
    return n;
}

void sym_free(Symbols *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->ndims; i++) {
        free(s->dims[i]->members);
        strmap_free(&s->dims[i]->by_name);
        strmap_free(&s->dims[i]->attr_names);
    }
    free(s->dims);
    StrMap *maps[] = {&s->levels,    &s->metrics,    &s->lets,        &s->fns,
                      &s->histories, &s->incentives, &s->scorecards,  &s->reviews,
                      &s->scenarios, &s->targets,    &s->targets_from};
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++)
        strmap_free(maps[i]);
    free(s->splits);
    free(s->week_splits);
    arena_free(&s->arena);
    free(s);
}

const Node *sym_reforecast_item(const Symbols *s, const char *metric, const Node **review)
{
    for (int c = 0; sym_cadence_names[c]; c++) {
        const Node *rv = strmap_get(&s->reviews, sym_cadence_names[c]);
        for (const Node *it = rv ? rv->a : NULL; it; it = it->next)
            if (it->kind == N_REFORECAST && strcmp(it->name, metric) == 0) {
                if (review)
                    *review = rv;
                return it;
            }
    }
    return NULL;
}

/* ---- kinds ---------------------------------------------------------------- */

const char *sym_kind_name(Kind k)
{
    static const char *const names[] = {"value", "number",     "money",  "count", "percent",
                                        "score", "true/false", "string", "month", "member"};
    return names[k];
}

Kind sym_metric_kind(const Node *m)
{
    if (m->op == MK_DERIVED || !m->a)
        return K_ANY;
    static const Kind kinds[] = {K_MONEY, K_COUNT, K_PERCENT, K_SCORE};
    int i = sym_word_index(sym_metric_kinds, m->a->name);
    return i < 0 ? K_ANY : kinds[i];
}

Kind sym_value_kind(const Node *metric)
{
    return metric->op == MK_DERIVED ? (Kind)metric->flags : sym_metric_kind(metric);
}

bool sym_uses_working_days(const Node *e)
{
    for (; e; e = e->next) {
        if (e->kind == N_NAME && e->op == SYM_WORKING_DAYS)
            return true;
        if (sym_uses_working_days(e->a) || sym_uses_working_days(e->b) ||
            sym_uses_working_days(e->c) || sym_uses_working_days(e->d))
            return true;
    }
    return false;
}

bool sym_additive(const Node *metric)
{
    Kind k = sym_metric_kind(metric);
    return k != K_PERCENT && k != K_SCORE;
}

/* ---- did-you-mean ------------------------------------------------------------ */

/* The closest key so far (*best at distance *best_d) against m's keys. */
static void closest_in(const StrMap *m, const char *name, int limit, const char **best, int *best_d)
{
    for (size_t i = 0; i < m->count; i++) {
        int d = edit_distance(name, m->slots[i].key, limit);
        /* ties go to the alphabetically first name: deterministic output */
        if (d < *best_d || (d == *best_d && *best && strcmp(m->slots[i].key, *best) < 0)) {
            *best = m->slots[i].key;
            *best_d = d;
        }
    }
}

/* How far a did-you-mean may be: 1 for short names, at most 3. */
static int closest_limit(const char *name)
{
    int limit = (int)strlen(name) / 3 + 1;
    return limit > 3 ? 3 : limit;
}

const char *sym_closest(const StrMap *m, const char *name)
{
    int limit = closest_limit(name), best_d = limit + 1;
    const char *best = NULL;
    closest_in(m, name, limit, &best, &best_d);
    return best_d <= limit ? best : NULL;
}

const char *sym_closest_member(const Symbols *s, const char *name)
{
    int limit = closest_limit(name), best_d = limit + 1;
    const char *best = NULL;
    for (int i = 0; i < s->ndims; i++)
        closest_in(&s->dims[i]->by_name, name, limit, &best, &best_d);
    return best_d <= limit ? best : NULL;
}

Member *sym_member(const Symbols *s, const char *name)
{
    Member *found = NULL;
    for (int i = 0; i < s->ndims; i++) {
        Member *m = strmap_get(&s->dims[i]->by_name, name);
        if (m && found && m != found)
            return &member_ambiguous;
        found = m ? m : found;
    }
    return found;
}

void sym_note_did_you_mean(Diags *d, const char *s)
{
    if (s)
        diag_note_plain(d, "did you mean '%s'?", s);
}

void sym_note_levels(Diags *d, const Symbols *s, const char *name)
{
    /* week and day are levels under the month, not levels of the time
     * dimension's tree (alloc/weeks.c): named after the month */
    static const char *const sub_month[] = {"week", "day"};
    const char *cn = sym_cn_level(s, name);
    const char *best = cn ? cn : sym_closest(&s->levels, name);
    for (int i = 0; i < 2 && !best; i++)
        if (edit_distance(name, sub_month[i], 1) <= 1)
            best = sub_month[i];
    sym_note_did_you_mean(d, best);
    Buf b = {0};
    for (int i = 0; i < s->ndims; i++)
        for (int k = 0; k < s->dims[i]->nlevels; k++) {
            const char *lv = s->dims[i]->levels[k].name;
            buf_printf(&b, "%s%s", b.len ? ", " : "", lv);
            if (i == 0 && strcmp(lv, "month") == 0)
                buf_printf(&b, ", %s, %s", sub_month[0], sub_month[1]);
        }
    diag_note_plain(d, "the plan's levels: %s", b.len ? buf_cstr(&b) : "none");
    buf_free(&b);
}

void sym_suggest_word(Diags *d, const char *name, const char *const *words, int n)
{
    StrMap m = {0};
    for (int i = 0; i < n; i++)
        strmap_put(&m, words[i], (void *)words[i]);
    sym_note_did_you_mean(d, sym_closest(&m, name));
    strmap_free(&m);
}

/* ---- members ------------------------------------------------------------------- */

Member *sym_lookup_member_in(const Symbols *s, const Node *ref, const Dim *d, Diags *report)
{
    if (d && ref->kind == N_NAME) {
        Member *m = strmap_get(&d->by_name, ref->name);
        if (m)
            return m;
    }
    return sym_lookup_member(s, ref, report);
}

static Member *lookup_month(const Symbols *s, const Node *ref, Diags *report)
{
    Member *m = strmap_get(&s->time->by_name, ref->str);
    if (!m && report) {
        diag_error(report, ref->loc, "month %s is not in fiscal year FY%d", ref->str, s->year);
        int first = cal_month_code(sym_fiscal_year(s), 0);
        int last = cal_month_code(sym_fiscal_year(s), 11);
        diag_note_plain(report, "FY%d runs %04d-%02d .. %04d-%02d", s->year, first / 100,
                        first % 100, last / 100, last % 100);
    }
    return m;
}

/* DIM.NAME */
static Member *lookup_qualified(const Symbols *s, const Node *ref, Diags *report)
{
    Dim *d = NULL;
    for (int i = 0; i < s->ndims; i++)
        if (strcmp(s->dims[i]->name, ref->a->name) == 0)
            d = s->dims[i];
    if (!d) {
        if (report)
            diag_error(report, ref->a->loc, "unknown dimension '%s'", ref->a->name);
        return NULL;
    }
    Member *m = strmap_get(&d->by_name, ref->name);
    if (!m && report) {
        diag_error(report, ref->name_loc, "dimension '%s' has no member '%s'", d->name, ref->name);
        sym_note_did_you_mean(report, sym_closest(&d->by_name, ref->name));
    }
    return m;
}

static void report_ambiguous(const Symbols *s, const Node *ref, Diags *report)
{
    diag_error(report, ref->loc, "'%s' is a member of more than one dimension", ref->name);
    Buf b = {0};
    for (int i = 0; i < s->ndims; i++)
        if (strmap_get(&s->dims[i]->by_name, ref->name))
            buf_printf(&b, "%s%s.%s", b.len ? " or " : "", s->dims[i]->name, ref->name);
    diag_note_plain(report, "write %s", buf_cstr(&b));
    buf_free(&b);
}

Member *sym_lookup_member(const Symbols *s, const Node *ref, Diags *report)
{
    if (ref->kind == N_MONTH)
        return lookup_month(s, ref, report);
    if (ref->kind == N_FIELD && ref->a && ref->a->kind == N_NAME)
        return lookup_qualified(s, ref, report);
    if (ref->kind != N_NAME) {
        if (report)
            diag_error(report, ref->loc, "a member name is expected here");
        return NULL;
    }
    Member *m = sym_member(s, ref->name);
    if (m == &member_ambiguous) {
        if (report)
            report_ambiguous(s, ref, report);
        return NULL;
    }
    if (!m && report) {
        diag_error(report, ref->loc, "unknown member '%s'", ref->name);
        sym_note_did_you_mean(report, sym_closest_member(s, ref->name));
        sym_note_period_word(report, s, ref->name);
    }
    return m;
}

/* ---- attributes and activity ------------------------------------------------ */

const Attr *sym_attr(const Member *m, const char *name)
{
    for (; m; m = m->parent)
        for (int i = 0; i < m->nattrs; i++)
            if (strcmp(m->attrs[i].name, name) == 0)
                return &m->attrs[i];
    return NULL;
}

int sym_attr_month(const Attr *a)
{
    if (!a)
        return 0;
    if (a->value && a->value->kind == N_MONTH) {
        int64_t v;
        num_to_int(a->value->num, NUM_TRUNC, &v);
        return (int)v;
    }
    return a->text ? cal_parse_ym(a->text, strlen(a->text)) : 0;
}

bool sym_active(const Member *m, int yyyymm)
{
    return (!m->active_from || yyyymm >= m->active_from) &&
           (!m->active_to || yyyymm <= m->active_to);
}

const char *sym_unit(const Symbols *s)
{
    for (const Node *a = s && s->header ? s->header->a : NULL; a; a = a->next)
        if (strcmp(a->name, "unit") == 0 && a->a && a->a->kind == N_STR)
            return a->a->str;
    return "";
}

char *sym_fmt_amount(const Symbols *s, Num v, char *buf)
{
    return vf_amount(v, sym_unit(s), s ? num_decimals(s->round_step) : 2, buf);
}
