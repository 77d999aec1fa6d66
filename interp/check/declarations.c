/* declarations.c -- static checks of one statement at a time: metrics,
 * targets, functions, incentives, scorecards, reviews, scenarios,
 * examples, assertions, reports and shows.  It checks what it is given
 * against the symbol tables; it never adds to them. */
#include <stdlib.h>
#include <string.h>

#include "check/check_int.h"
#include "data/notes.h"
#include "data/source.h"

/* ---- other declarations ------------------------------------------------------------ */

/* Is name in m?  Else an 'unknown WHAT' error with a did-you-mean. */
static bool check_ref(R *r, StrMap *m, const char *what, const char *name, Loc loc)
{
    if (strmap_get(m, name))
        return true;
    diag_error(r->d, loc, "unknown %s '%s'", what, name);
    if (m == &r->s->levels)
        sym_note_levels(r->d, r->s, name);
    else if (!m->count)
        diag_note_plain(r->d, "the plan has no %s", what);
    else
        sym_note_did_you_mean(r->d, sym_closest(m, name));
    return false;
}

/* `metric revenue money = volume * unit_price`: the kind an amount's
 * formula is shown and rounded as (a count times a price is money). */
static Kind declared_kind(R *r, Node *n, Kind k)
{
    if (!n->a)
        return k;
    int i = sym_word_index(sym_metric_kinds, n->a->name);
    if (i != 0 && i != 1) {
        diag_error(r->d, n->a->loc, "a derived metric may be declared money or count, not '%s'",
                   n->a->name);
        diag_note_plain(r->d, "a ratio is shown as a percent without a kind: metric M = A / B");
        return k;
    }
    if (k != K_ANY && k != K_NUM && k != K_MONEY && k != K_COUNT) {
        diag_error(r->d, n->c->loc, "a %s metric's formula must be an amount, got %s", n->a->name,
                   sym_kind_name(k));
        return k;
    }
    return i == 0 ? K_MONEY : K_COUNT;
}

static void check_derived(R *r, Node *n)
{
    const Node *attr = NULL;
    Scope sc = {SC_METRICS | SC_CELL_ATTRS | SC_HISTORY, 0, 0, 0, 0, 0, NULL, &attr};
    Kind k = rx_check(r, &sc, n->c);
    rs_one_history(r, n->c, "a derived metric");
    if (k == K_BOOL || k == K_STR)
        diag_error(r->d, n->c->loc, "a derived metric must be a number, got %s", sym_kind_name(k));
    k = declared_kind(r, n, k);
    if (attr && k != K_MONEY && k != K_COUNT) {
        diag_error(r->d, attr->loc, "'%s' reads attribute '%s' but %s", n->name, attr->name,
                   k == K_ANY       ? "its formula does not say it is money or a count"
                   : k == K_PERCENT ? "is a ratio, not money or a count"
                                    : "is not money or a count");
        diag_note_plain(r->d,
                        "an attribute is read per cell of a money or count metric: "
                        "metric %s money = ...",
                        n->name);
    }
    n->flags = (int)k; /* how its values are shown: collected / revenue is a percent */
}

static void check_metric(R *r, Node *n)
{
    if (n->op == MK_DERIVED) {
        check_derived(r, n);
        return;
    }
    if (sym_metric_kind(n) == K_ANY) {
        diag_error(r->d, n->a->loc, "unknown metric kind '%s'", n->a->name);
        sym_suggest_word(r->d, n->a->name, sym_metric_kinds, sym_word_count(sym_metric_kinds));
        diag_note_plain(r->d, "a metric is money, count, percent or score, or '= EXPRESSION'");
    }
    if (n->b && sym_word_index(sym_metric_options, n->b->name) < 0)
        diag_error(r->d, n->b->loc, "unknown metric option '%s' (expected lower_is_better)",
                   n->b->name);
}

static void check_target(R *r, Node *n)
{
    Node *metric = strmap_get(&r->s->metrics, n->name);
    if (!metric) {
        diag_error(r->d, n->name_loc, "unknown metric '%s'", n->name);
        sym_note_did_you_mean(r->d, sym_closest(&r->s->metrics, n->name));
    }
    if (n->c) {
        src_close(src_open_data(r->p, n->c, n->c->str));
        return;
    }
    Scope sc = {SC_METRICS | SC_HISTORY, 0, 0, 0, 0, 0, NULL, NULL};
    Kind k = rx_check(r, &sc, n->a);
    rs_one_history(r, n->a, "a target");
    Kind mk = metric ? sym_metric_kind(metric) : K_ANY;
    if (k == K_BOOL || k == K_STR || k == K_MONTH)
        diag_error(r->d, n->a->loc, "a target must be a number, got %s", sym_kind_name(k));
    else if (mk != K_ANY && k != K_ANY && k != K_NUM && k != mk &&
             !((mk == K_PERCENT || mk == K_SCORE) && (k == K_PERCENT || k == K_SCORE)) &&
             ((mk == K_MONEY && k == K_COUNT) || (mk == K_COUNT && k == K_MONEY)))
        diag_error(r->d, n->a->loc, "target of %s metric '%s' is %s", sym_kind_name(mk), n->name,
                   sym_kind_name(k));
}

static void check_incentive(R *r, Node *n)
{
    Level *lv = check_ref(r, &r->s->levels, "level", n->a->name, n->a->loc)
                    ? strmap_get(&r->s->levels, n->a->name)
                    : NULL;
    StrMap lines = {0};
    bool payout = false;
    for (Node *l = n->b; l; l = l->next) {
        Node *prev = strmap_get(&lines, l->name);
        if (prev) {
            rs_duplicate(r, l, prev, "incentive line");
            continue;
        }
        strmap_put(&lines, l->name, l);
        payout |= strcmp(l->name, "payout") == 0;
        Scope sc = {
            SC_INCENTIVE | SC_ATTRS | SC_CARDS, 0, lv ? lv->dim : NULL, n->b, l, false, NULL, NULL};
        r->card_owner = n;
        Kind k = rx_check(r, &sc, l->a);
        r->card_owner = NULL;
        bool is_payout = strcmp(l->name, "payout") == 0;
        if (k == K_MONTH || (is_payout && (k == K_BOOL || k == K_STR)))
            diag_error(r->d, l->a->loc, "line '%s' must be a number, got %s", l->name,
                       sym_kind_name(k));
        l->op = (int)k; /* how the statement shows it; later lines see the kind */
    }
    if (!payout) {
        diag_error(r->d, n->name_loc, "incentive '%s' has no 'payout' line", n->name);
        diag_note_plain(r->d, "the payout line is what is paid and what total() adds up");
    }
    strmap_free(&lines);
}

/* An item given twice where the first would win silently (or both would
 * show): false, after reporting it at at, with note at the first, when
 * key was seen; else it is remembered. */
static bool item_once(R *r, StrMap *seen, const Node *at, const char *key, const char *where,
                      const char *note)
{
    const Node *prev = strmap_get(seen, key);
    if (!prev) {
        strmap_put(seen, key, (void *)at);
        return true;
    }
    diag_error(r->d, at->loc, "'%s' is given twice in %s", key, where);
    diag_note(r->d, prev->loc, "%s", note);
    return false;
}

/* rating { A: 90%, B: 75% }: names as labels, each once. */
static void check_rating(R *r, Node *n, Node *k, Node **rating)
{
    Scope sc = {0, 0, 0, 0, 0, 0, NULL, NULL};
    if (*rating) {
        diag_error(r->d, k->loc, "scorecard '%s' has two ratings", n->name);
        diag_note(r->d, (*rating)->loc, "first rating here");
    }
    *rating = k;
    StrMap labels = {0};
    size_t nr = ast_list_len(k->a), i = 0;
    Num *v = xcalloc(nr + 1, sizeof *v); /* the constant thresholds, once each */
    bool *is_const = xcalloc(nr + 1, sizeof *is_const);
    for (Node *e = k->a; e; e = e->next, i++) {
        bool named = e->op != 1 && e->a->kind == N_NAME;
        if (e->op == 1) /* else: */
            diag_error(r->d, e->a->loc, "a rating has no 'else': its labels are names such as A");
        else if (e->a->kind != N_NAME)
            diag_error(r->d, e->a->loc, "a rating label is a name such as A or 优秀");
        else if (strmap_get(&labels, e->a->name))
            diag_error(r->d, e->a->loc, "rating '%s' is given twice", e->a->name);
        else
            strmap_put(&labels, e->a->name, e);
        rx_check(r, &sc, e->b);
        is_const[i] = named && rx_const(r, e->b, &v[i]) == 1;
        size_t j = 0;
        for (const Node *o = k->a; is_const[i] && o != e; o = o->next, j++)
            if (is_const[j] && num_cmp(v[i], v[j]) == 0 && strcmp(o->a->name, e->a->name) != 0) {
                char b[NUM_BUFSZ];
                diag_error(r->d, e->b->loc, "ratings '%s' and '%s' have the same threshold %s",
                           o->a->name, e->a->name, num_str(v[i], b));
                diag_note_plain(r->d, "the rating is the label with the highest threshold at or "
                                      "below the total: one of them could never be given");
                break;
            }
    }
    free(v);
    free(is_const);
    strmap_free(&labels);
}

/* The kpis of a scorecard: their weights add up to 100% when constant. */
typedef struct {
    StrMap names;
    Num sum;
    bool all_const;
    int n;
} Kpis;

static void check_kpi(R *r, Node *k, Kpis *kp)
{
    Scope sc = {0, 0, 0, 0, 0, 0, NULL, NULL};
    kp->n++;
    Node *metric = strmap_get(&r->s->metrics, k->name);
    if (!metric) {
        diag_error(r->d, k->name_loc, "unknown metric '%s'", k->name);
        sym_note_did_you_mean(r->d, sym_closest(&r->s->metrics, k->name));
    } else if (strmap_get(&kp->names, k->name)) {
        diag_error(r->d, k->name_loc, "kpi '%s' is given twice", k->name);
    }
    strmap_put(&kp->names, k->name, k);
    rx_check(r, &sc, k->a);
    Num w;
    if (rx_const(r, k->a, &w) == 1) {
        if (num_sign(w) < 0)
            diag_error(r->d, k->a->loc, "negative kpi weight");
        num_add(kp->sum, w, &kp->sum);
    } else {
        kp->all_const = false;
    }
    if (k->b)
        rx_check(r, &sc, k->b);
    if (k->c)
        rx_check(r, &sc, k->c);
    if (k->b && k->c) { /* the curve gives the score: a cap would be ignored */
        diag_error(r->d, k->b->loc, "kpi '%s' has a cap and a score curve", k->name);
        diag_note(r->d, k->c->loc,
                  "the curve's value is the score; to cap it, end the curve flat (a last "
                  "point at the cap's score)");
    }
}

static void check_scorecard(R *r, Node *n)
{
    check_ref(r, &r->s->levels, "level", n->a->name, n->a->loc);
    Kpis kp = {{0}, NUM_ZERO, true, 0};
    Node *rating = NULL;
    for (Node *k = n->b; k; k = k->next) {
        if (k->kind == N_RATING)
            check_rating(r, n, k, &rating);
        else
            check_kpi(r, k, &kp);
    }
    strmap_free(&kp.names);
    if (n->op) /* a kpi was dropped after a syntax error: its weight is not known */
        return;
    if (!kp.n)
        diag_error(r->d, n->name_loc, "scorecard '%s' has no kpi", n->name);
    else if (kp.all_const && num_cmp(kp.sum, NUM_ONE) != 0) {
        char b[NUM_BUFSZ];
        diag_error(r->d, n->name_loc, "kpi weights of '%s' sum to %s, not 100%%", n->name,
                   rs_fmt_pct(kp.sum, b));
        diag_note_plain(r->d, "weights are percents of the total score");
    }
}

/* status METRIC { green: P, amber: P }: amber not above green. */
static void check_status(R *r, Node *it)
{
    Scope sc = {0, 0, 0, 0, 0, 0, NULL, NULL};
    check_ref(r, &r->s->metrics, "metric", it->name, it->name_loc);
    Num green = NUM_ZERO, amber = NUM_ZERO;
    bool hg = false, ha = false;
    StrMap bands = {0};
    for (Node *e = it->a; e; e = e->next) {
        const char *band = e->a->kind == N_NAME ? e->a->name : "";
        int bi = sym_word_index(sym_status_bands, band);
        bool g = bi == 0, a = bi == 1;
        if (!g && !a) {
            diag_error(r->d, e->a->loc, "status bands are 'green' and 'amber'");
            continue;
        }
        if (!item_once(r, &bands, e->a, band, "this status",
                       "first given here; a band has one threshold"))
            continue;
        rx_check(r, &sc, e->b);
        Num v;
        if (rx_const(r, e->b, &v) == 1) {
            *(g ? &green : &amber) = v;
            *(g ? &hg : &ha) = true;
        }
    }
    strmap_free(&bands);
    if (hg && ha && num_cmp(amber, green) > 0) {
        char b1[NUM_BUFSZ], b2[NUM_BUFSZ];
        diag_error(r->d, it->loc, "amber (%s) is above green (%s)", rs_fmt_pct(amber, b1),
                   rs_fmt_pct(green, b2));
    }
}

/* rank SCORECARD [within LEVEL] [bottom P] */
static void check_rank(R *r, Node *it)
{
    check_ref(r, &r->s->scorecards, "scorecard", it->name, it->name_loc);
    if (it->a)
        check_ref(r, &r->s->levels, "level", it->a->name, it->a->loc);
    if (!it->b)
        return;
    Scope sc = {0, 0, 0, 0, 0, 0, NULL, NULL};
    Num v;
    rx_check(r, &sc, it->b);
    if (rx_const(r, it->b, &v) == 1 && (num_sign(v) <= 0 || num_cmp(v, NUM_ONE) > 0))
        diag_error(r->d, it->b->loc, "'bottom' must be a share above 0%% and at most 100%%");
}

/* The period of `reforecast METRIC by PERIOD`: month, quarter or half. */
static void check_reforecast_period(R *r, const Node *p)
{
    if (!p || sym_word_index(sym_period_words, p->name) >= 0)
        return;
    diag_error(r->d, p->name_loc, "a reforecast is by month, quarter or half, not '%s'", p->name);
    StrMap m = {0};
    for (int i = 0; sym_period_words[i]; i++)
        strmap_put(&m, sym_period_words[i], NULL);
    const char *near = sym_closest(&m, p->name);
    if (near)
        diag_note_plain(r->d, "did you mean '%s'?", near);
    strmap_free(&m);
}

/* reforecast METRIC [by PERIOD] (a review's item or a show): a money or count metric. */
static bool check_reforecast_metric(R *r, const Node *it)
{
    check_reforecast_period(r, it->a);
    if (!check_ref(r, &r->s->metrics, "metric", it->name, it->name_loc))
        return false;
    if (sym_additive(strmap_get(&r->s->metrics, it->name)))
        return true;
    diag_error(r->d, it->name_loc, "only money and count metrics can be reforecast");
    return false;
}

static void check_review_item(R *r, Node *it)
{
    Scope sc = {0, 0, 0, 0, 0, 0, NULL, NULL};
    switch (it->kind) {
    case N_STATUS:
        check_status(r, it);
        break;
    case N_FLAG:
        rx_check(r, &sc, it->a);
        break;
    case N_REFORECAST:
        check_reforecast_metric(r, it);
        break;
    case N_GROWTH:
        rs_check_growth(r, it);
        break;
    case N_USE_SCORECARD:
        check_ref(r, &r->s->scorecards, "scorecard", it->name, it->name_loc);
        break;
    case N_USE_INCENTIVE:
        check_ref(r, &r->s->incentives, "incentive", it->name, it->name_loc);
        break;
    case N_RANK:
        check_rank(r, it);
        break;
    default:
        break;
    }
}

/* notes "FILE": one per review, its rows resolved (data/notes.c reports). */
static void check_notes(R *r, const Node *rv, const Node *it)
{
    const Node *first = note_item(rv);
    if (first != it) {
        diag_error(r->d, it->loc, "a second notes file for review %s", rv->name);
        diag_note(r->d, first->loc, "the first is here");
        return;
    }
    NoteTable t;
    note_load(r->p, rv, it, &t);
    note_free(&t);
}

/* The key of a review item shown once per review ("status revenue"), or
 * NULL for an item that may repeat.  A reforecast's key names the period
 * it is shown by, written or not (sym_reforecast_period), so that
 * `reforecast revenue` and `reforecast revenue by quarter` meet. */
static const char *review_item_key(R *r, const Node *rv, const Node *it)
{
    const char *what = it->kind == N_STATUS          ? "status"
                       : it->kind == N_USE_SCORECARD ? "scorecard"
                       : it->kind == N_USE_INCENTIVE ? "incentive"
                       : it->kind == N_GROWTH        ? "growth"
                       : it->kind == N_REFORECAST    ? "reforecast"
                       : it->kind == N_RANK          ? "rank"
                                                     : NULL;
    if (it->kind == N_FLAG)
        return "flag deviation";
    if (!what || !it->name)
        return NULL;
    if (it->kind == N_REFORECAST) {
        Cadence c = sym_reforecast_period(it->a, rv->name);
        return arena_printf(&r->s->arena, "%s %s by %s", what, it->name,
                            (int)c >= 0 ? sym_period_words[c] : it->a->name);
    }
    return arena_printf(&r->s->arena, "%s %s", what, it->name);
}

/* An item shown twice in one review (two statuses of one metric would
 * show two rows that disagree). */
static void review_item_once(R *r, const Node *rv, Node *it, StrMap *seen)
{
    const char *key = review_item_key(r, rv, it);
    if (key)
        item_once(r, seen, it, key, arena_printf(&r->s->arena, "review %s", rv->name),
                  it->kind == N_FLAG ? "first given here; one flag deviation applies to every "
                                       "status of the review"
                  : it->kind == N_RANK
                      ? "first given here; a scorecard is ranked once a review: one item takes "
                        "both parts (rank CARD within LEVEL bottom P%)"
                  : it->kind == N_REFORECAST
                      ? "first given here; a review shows each item once (a reforecast without "
                        "'by' is shown by quarter, a half-yearly review's by half)"
                      : "first given here; a review shows each item once");
}

static void check_review(R *r, Node *n)
{
    StrMap seen = {0};
    if (strcmp(n->name, "weekly") == 0)
        rs_check_weekly_review(r, n);
    else if (sym_word_index(sym_cadence_names, n->name) < 0) {
        diag_error(r->d, n->name_loc, "unknown review cadence '%s'", n->name);
        sym_suggest_word(r->d, n->name, sym_cadence_names, CAD__COUNT);
        diag_note_plain(r->d, "reviews are weekly, monthly, quarterly, half or annual");
    }
    for (Node *it = n->a; it; it = it->next) {
        if (it->kind == N_NOTES)
            check_notes(r, n, it);
        else if (it->kind == N_RUN_FLAG)
            rs_check_run_flag(r, n, it);
        else
            check_review_item(r, it);
        if (strcmp(n->name, "weekly") != 0 || rs_weekly_item(it))
            review_item_once(r, n, it, &seen); /* a weekly review refuses the others */
    }
    strmap_free(&seen);
}

static void check_scenario(R *r, Node *n)
{
    Scope sc = {0, 0, 0, 0, 0, 0, NULL, NULL};
    bool per_metric = false;
    StrMap seen = {0}; /* the metrics given, and "attainment" for every metric */
    for (Node *it = n->a; it; it = it->next) {
        item_once(r, &seen, it, it->name, arena_printf(&r->s->arena, "scenario %s", n->name),
                  "first given here");
        if (it->b) { /* attainment METRIC = P */
            if (strcmp(it->b->name, "attainment") != 0)
                diag_error(r->d, it->b->loc, "unknown scenario setting '%s' (expected attainment)",
                           it->b->name);
            per_metric = true;
        }
        if (!it->b && strcmp(it->name, "attainment") == 0 && !per_metric) {
            rx_check(r, &sc, it->a);
            continue;
        }
        if (!it->b && !per_metric) {
            diag_error(r->d, it->name_loc, "unknown scenario setting '%s'", it->name);
            diag_note_plain(r->d,
                            "write 'attainment = 100%%' or 'attainment revenue = 110%%, ...'");
            continue;
        }
        check_ref(r, &r->s->metrics, "metric", it->name, it->name_loc);
        rx_check(r, &sc, it->a);
    }
    strmap_free(&seen);
}

/* One 'given' item: prev(line), an attribute, or an expression. */
static void check_given(R *r, const Scope *sc, Node *inc, Level *lv, Node *g)
{
    Node *lhs = g->a;
    if (lhs->kind == N_CALL && strcmp(lhs->name, "prev") == 0) { /* the balance carried in */
        Node *a1 = lhs->b;
        bool line = false;
        for (Node *l = inc->b; l && a1 && a1->kind == N_NAME; l = l->next)
            line |= strcmp(l->name, a1->name) == 0;
        if (!line || (a1 && a1->next))
            diag_error(r->d, lhs->loc, "prev() in 'given' names one line of incentive '%s'",
                       inc->name);
    } else if (lhs->kind == N_NAME) {
        bool attr = lv && strmap_get(&lv->dim->attr_names, lhs->name);
        if (!attr) {
            diag_error(r->d, lhs->loc, "'%s' is not an attribute of a %s", lhs->name,
                       lv ? lv->name : "member");
            if (lv)
                sym_note_did_you_mean(r->d, sym_closest(&lv->dim->attr_names, lhs->name));
        }
    } else {
        rx_check(r, sc, lhs);
    }
    rx_check(r, sc, g->b);
}

/* 'expect' names lines of the incentive. */
static void check_expected(R *r, const Scope *sc, Node *inc, Node *expect)
{
    StrMap lines = {0};
    for (Node *l = inc->b; l; l = l->next)
        strmap_put(&lines, l->name, l);
    for (Node *e = expect; e; e = e->next) {
        if (!strmap_get(&lines, e->name)) {
            diag_error(r->d, e->name_loc, "incentive '%s' has no line '%s'", inc->name, e->name);
            sym_note_did_you_mean(r->d, sym_closest(&lines, e->name));
        }
        rx_check(r, sc, e->a);
    }
    strmap_free(&lines);
}

/* The source text of a node without its blanks, for telling two of them
 * apart (attainment(revenue, team) is attainment(revenue,team)). */
static const char *node_text(R *r, const Node *n)
{
    size_t start, end, k = 0;
    ast_source_range(n, &start, &end);
    char *t = arena_strndup(&r->s->arena, n->loc.src->text + start, end - start);
    for (size_t i = 0; t[i]; i++)
        if (t[i] != ' ' && t[i] != '\t' && t[i] != '\n' && t[i] != '\r')
            t[k++] = t[i];
    t[k] = '\0';
    return t;
}

static void check_example(R *r, Node *n)
{
    Node *inc = strmap_get(&r->s->incentives, n->name);
    if (!inc) {
        diag_error(r->d, n->name_loc, "unknown incentive '%s'", n->name);
        sym_note_did_you_mean(r->d, sym_closest(&r->s->incentives, n->name));
        return;
    }
    Level *lv = strmap_get(&r->s->levels, inc->a->name);
    Scope sc = {SC_FIELDS | SC_METRICS | SC_CARDS, 0, 0, 0, 0, 0, NULL, NULL};
    StrMap given = {0}, expected = {0};
    for (Node *g = n->a; g; g = g->next) {
        check_given(r, &sc, inc, lv, g);
        item_once(r, &given, g->a, node_text(r, g->a), "this example's 'given'",
                  "first given here");
    }
    check_expected(r, &sc, inc, n->b);
    for (Node *e = n->b; e; e = e->next)
        if (e->name)
            item_once(r, &expected, e, e->name, "this example's 'expect'", "first given here");
    strmap_free(&given);
    strmap_free(&expected);
}

void rs_check_titles(R *r)
{
    StrMap seen[2] = {{0}, {0}}; /* examples, reports */
    for (Unit *u = r->p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next) {
            int k = n->kind == N_EXAMPLE ? 0 : n->kind == N_REPORT ? 1 : -1;
            if (k < 0 || !n->str)
                continue;
            const char *key = k ? n->str : arena_printf(&r->s->arena, "%s\x1f%s", n->name, n->str);
            const Node *prev = strmap_get(&seen[k], key);
            if (!prev) {
                strmap_put(&seen[k], key, n);
                continue;
            }
            if (k)
                diag_error(r->d, n->loc, "two reports are titled \"%s\"", n->str);
            else
                diag_error(r->d, n->loc, "two examples of '%s' are titled \"%s\"", n->name, n->str);
            diag_note(r->d, prev->loc, "the first; a title names one %s",
                      k ? "report (in --show, the REPL and the output)"
                        : "example (in the output and the REPL)");
        }
    strmap_free(&seen[0]);
    strmap_free(&seen[1]);
}

/* show METRIC by LEVEL, LEVEL: at most two levels, of different dimensions. */
static void check_show_levels(R *r, Node *n)
{
    Dim *dims[16];
    int nd = 0;
    for (Node *l = n->a; l; l = l->next) {
        bool sub = strcmp(l->name, "week") == 0 || strcmp(l->name, "day") == 0;
        Level *lv = strmap_get(&r->s->levels, sub ? "month" : l->name);
        if (!lv) {
            diag_error(r->d, l->loc, "unknown level '%s'", l->name);
            sym_note_levels(r->d, r->s, l->name);
            continue;
        }
        for (int i = 0; i < nd; i++)
            if (dims[i] == lv->dim)
                diag_error(r->d, l->loc, "'%s' and another level of '%s' in one table", l->name,
                           lv->dim->name);
        if (nd < 16)
            dims[nd++] = lv->dim;
    }
    if (nd > 2)
        diag_error(r->d, n->loc, "a table shows at most two levels (rows, columns)");
}

static void check_show(R *r, Node *n)
{
    switch (n->op) {
    case SHOW_METRIC: { /* show METRIC, METRIC ... by LEVEL, LEVEL */
        if (!rs_show_names(r, n))
            break;
        bool ok = check_ref(r, &r->s->metrics, "metric", n->name, n->name_loc);
        for (const Node *m = n->b; m; m = m->next)
            ok &= check_ref(r, &r->s->metrics, "metric", m->name, m->loc);
        if (ok)
            check_show_levels(r, n);
        break;
    }
    case SHOW_SCORECARD:
        check_ref(r, &r->s->scorecards, "scorecard", n->name, n->name_loc);
        break;
    case SHOW_INCENTIVE:
        check_ref(r, &r->s->incentives, "incentive", n->name, n->name_loc);
        break;
    case SHOW_REFORECAST:
        if (check_reforecast_metric(r, n) && !sym_reforecast_item(r->s, n->name, NULL)) {
            diag_error(r->d, n->name_loc, "no review reforecasts '%s'", n->name);
            diag_note_plain(r->d,
                            "add 'reforecast %s' to a review: the show is that reforecast, per "
                            "the level the review reports on",
                            n->name);
        }
        break;
    default:
        check_ref(r, &r->s->reviews, "review", n->name, n->name_loc);
        break;
    }
}

static void check_fn(R *r, Node *n)
{
    StrMap params = {0};
    for (Node *p = n->a; p; p = p->next) {
        if (strmap_get(&params, p->name))
            diag_error(r->d, p->loc, "parameter '%s' is given twice", p->name);
        strmap_put(&params, p->name, p);
    }
    strmap_free(&params);
    Scope sc = {SC_METRICS | SC_FIELDS | SC_INCENTIVE, n->a, 0, 0, 0, 0, NULL, NULL};
    rx_check(r, &sc, n->b);
}

static void check_assert(R *r, Node *n)
{
    if (n->name)
        check_ref(r, &r->s->scenarios, "scenario", n->name, n->name_loc);
    Scope sc = {SC_METRICS | SC_FIELDS, 0, 0, 0, 0, 0, NULL, NULL};
    Kind k = rx_check(r, &sc, n->a);
    if (k != K_BOOL && k != K_ANY)
        diag_error(r->d, n->a->loc, "an assertion must be a comparison, got %s", sym_kind_name(k));
}

/* A data declaration's column mapping { rep = rep_id  revenue = amount }:
 * each plan name once (the first would win silently). */
static void check_mapping(R *r, const Node *n)
{
    bool data = n->kind == N_ACTUALS || n->kind == N_HISTORY ||
                ((n->kind == N_TARGET || n->kind == N_DIMENSION) && n->c);
    if (!data || !n->d)
        return;
    StrMap seen = {0};
    for (Node *m = n->d; m; m = m->next)
        if (m->kind == N_ATTR && m->name)
            item_once(r, &seen, m, m->name, "this column mapping", "first given here");
    strmap_free(&seen);
}

void rs_check_item(R *r, Node *n)
{
    Scope plan = {SC_METRICS, 0, 0, 0, 0, 0, NULL, NULL};
    check_mapping(r, n);
    switch (n->kind) {
    case N_METRIC:
        check_metric(r, n);
        break;
    case N_LET:
        rx_check(r, &plan, n->a);
        break;
    case N_FN:
        check_fn(r, n);
        break;
    case N_TARGET:
        check_target(r, n);
        break;
    case N_HISTORY:
    case N_ACTUALS:
        src_close(src_open_data(r->p, n->c, n->c->str));
        break;
    case N_INCENTIVE:
        check_incentive(r, n);
        break;
    case N_SCORECARD:
        check_scorecard(r, n);
        break;
    case N_REVIEW:
        check_review(r, n);
        break;
    case N_SCENARIO:
        check_scenario(r, n);
        break;
    case N_EXAMPLE:
        check_example(r, n);
        break;
    case N_ASSERT:
        check_assert(r, n);
        break;
    case N_REPORT:
        for (Node *s = n->a; s; s = s->next)
            check_show(r, s);
        break;
    case N_SHOW:
        check_show(r, n);
        break;
    default:
        break;
    }
}

Kind check_expression(Program *p, Node *e)
{
    R r = {p, p->diags, p->sym, {0}, NULL, NULL, {0}, {0}, NULL, NULL};
    Scope sc = {SC_METRICS | SC_FIELDS, 0, 0, 0, 0, 0, NULL, NULL};
    Kind kind = rx_check(&r, &sc, e);
    strmap_free(&r.graph);
    strmap_free(&r.cells);
    strmap_free(&r.fn_kinds);
    const Node *x = e->kind == N_INDEX ? e->a : e; /* m, m[...] */
    const Node *m = x->kind == N_NAME ? strmap_get(&p->sym->metrics, x->name) : NULL;
    if (kind == K_ANY && m && m->op == MK_DERIVED)
        kind = (Kind)m->flags; /* collected / revenue: a percent */
    return kind;
}
