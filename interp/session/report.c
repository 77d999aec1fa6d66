/* report.c -- the report for managers (`salesplan report`): the shows of
 * the session as one html document, with charts attached to the items
 * that hold their numbers.  Which charts stand beside which item is
 * decided here; render/ draws them from the item's cells (so a chart's
 * numbers are its table's), measure/ gives the review's thresholds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/valfmt.h"
#include "session/session.h"

/* The column headed by word w, in English or in Chinese (the sheets' heads
 * are the CSV's), or -1. */
static int head(const Sheet *s, LangWord w)
{
    int c = render_sheet_find(s, lang_word(LANG_EN, w));
    return c >= 0 ? c : render_sheet_find(s, lang_word(LANG_ZH, w));
}

/* The column of a status sheet that names the member: the first text
 * column that is not the period, metric or status. */
static int member_col(const Sheet *s, int period, int metric)
{
    for (size_t c = 0; c < s->ncols; c++)
        if ((int)c != period && (int)c != metric && !(s->right && s->right[c]))
            return (int)c;
    return -1;
}

/* Every metric of a status sheet once, in order: the plain texts of
 * column c (at most max). */
static int sheet_metrics(const Sheet *s, int c, const char **out, int max)
{
    int n = 0;
    for (size_t r = 0; r < s->nrows; r++) {
        const char *m = s->plain[r * s->ncols + (size_t)c];
        bool seen = !m || !m[0];
        for (int k = 0; k < n && !seen; k++)
            seen = strcmp(out[k], m) == 0;
        if (!seen && n < max)
            out[n++] = m;
    }
    return n;
}

/* A review's status sheet: per metric, target and actual per period
 * (totals), attainment by member in the last period with the thresholds,
 * and the member x period status map. */
static void status_charts(Measure *ms, RenderDoc *doc, size_t i, const Node *show)
{
    const Sheet *s = render_item_sheet(doc, i);
    int period = head(s, W_PERIOD), metric = render_sheet_find(s, "metric");
    int att = head(s, W_ATTAINMENT), status = head(s, W_STATUS);
    if (period < 0 || metric < 0 || att < 0 || status < 0)
        return;
    const char *metrics[16];
    int nm = sheet_metrics(s, metric, metrics, 16);
    for (int k = 0; k < nm; k++) {
        RenderChart c = render_chart(CHART_BARS_LINE, i);
        c.period_col = period;
        c.filter_col = metric;
        c.filter = metrics[k];
        c.label_col = metric;
        c.value_col = head(s, W_TARGET);
        c.value2_col = head(s, W_ACTUAL);
        render_add_chart(doc, &c);
        c.kind = CHART_HBARS;
        c.label_col = member_col(s, period, metric);
        c.value_col = att;
        c.value2_col = -1;
        c.style_col = status;
        c.thresholds = show && ms_status_thresholds(ms, show->name, metrics[k], &c.green, &c.amber);
        render_add_chart(doc, &c);
        c.kind = CHART_HEATMAP;
        render_add_chart(doc, &c);
    }
}

/* ---- the payout distribution ---------------------------------------------------------------- */

enum { MAX_BANDS = 12 };

/* The payouts of the last period of an incentive statement (member rows). */
typedef struct {
    Num *v; /* malloc'd */
    int n, cap, decimals;
    const char *period;
    Num lo, hi;
} Payouts;

static void last_payouts(const Sheet *s, int payout, int period, Payouts *p)
{
    p->n = 0;
    p->period = NULL;
    for (size_t r = s->nrows; r-- > 0;) {
        const char *v = s->plain[r * s->ncols + (size_t)payout];
        const char *per = s->plain[r * s->ncols + (size_t)period];
        Num x;
        if ((s->total && s->total[r]) || num_parse(v, strlen(v), &x) != NUM_OK)
            continue;
        if (!p->period)
            p->period = per;
        if (strcmp(per, p->period) != 0)
            break;
        if (p->n == p->cap) {
            p->cap = p->cap ? 2 * p->cap : 64;
            p->v = xrealloc(p->v, (size_t)p->cap * sizeof *p->v);
        }
        const char *dot = strchr(v, '.');
        int dec = dot ? (int)strlen(dot + 1) : 0;
        p->decimals = dec > p->decimals ? dec : p->decimals;
        if (!p->n || num_cmp(x, p->lo) < 0)
            p->lo = x;
        if (!p->n || num_cmp(x, p->hi) > 0)
            p->hi = x;
        p->v[p->n++] = x;
    }
}

/* The band width: the least of 1, 2 and 5 times a power of ten (from
 * 0.01) that covers lo..hi in MAX_BANDS - 2 bands. */
static Num band_width(Num lo, Num hi)
{
    Num span, w = {0};
    if (num_sub(hi, lo, &span) != NUM_OK)
        return NUM_ONE;
    static const int steps[] = {1, 2, 5};
    Num scale;
    num_from_ratio(1, 100, &scale);
    for (int k = 0; k < 16; k++) {
        for (int j = 0; j < 3; j++) {
            Num bands;
            if (num_mul(scale, num_from_int(steps[j] * (MAX_BANDS - 2)), &bands) == NUM_OK &&
                num_cmp(bands, span) >= 0 && num_mul(scale, num_from_int(steps[j]), &w) == NUM_OK)
                return w;
        }
        if (num_mul(scale, num_from_int(10), &scale) != NUM_OK)
            break;
    }
    return span;
}

/* Band k of width w from start: from, to (as people read money), count. */
static void band_row(RenderSheet *b, Num start, Num w, int k, int decimals, int count)
{
    Num from = start, to = start, kw;
    if (num_mul(w, num_from_int(k), &kw) == NUM_OK)
        num_add(start, kw, &from);
    num_add(from, w, &to);
    char text[VF_BUFSZ], plain[VF_BUFSZ], n[32];
    render_sheet_row(b, false);
    render_sheet_set(b, 0, num_fmt(from, decimals, true, text),
                     num_fmt(from, decimals, false, plain));
    render_sheet_set(b, 1, num_fmt(to, decimals, true, text), num_fmt(to, decimals, false, plain));
    snprintf(n, sizeof n, "%d", count);
    render_sheet_set(b, 2, n, NULL);
}

/* How many payouts fall in each band [start + k w, start + (k + 1) w). */
static int band_counts(const Payouts *p, Num start, Num w, int *count)
{
    int nb = 1;
    memset(count, 0, MAX_BANDS * sizeof *count);
    for (int i = 0; i < p->n; i++) {
        Num d, q;
        int64_t k = 0;
        if (num_sub(p->v[i], start, &d) == NUM_OK && num_div(d, w, &q) == NUM_OK)
            num_to_int(q, NUM_FLOOR, &k);
        k = k < 0 ? 0 : k >= MAX_BANDS ? MAX_BANDS - 1 : k;
        count[k]++;
        nb = (int)k + 1 > nb ? (int)k + 1 : nb;
    }
    return nb;
}

/* A sheet of how many members' payouts of the last period fall in each
 * band, after the statement (item i), with its histogram. */
static void payout_distribution(RenderDoc *doc, size_t i, const char *name, Lang lang)
{
    const Sheet *s = render_item_sheet(doc, i);
    int payout = head(s, W_PAYOUT), period = head(s, W_PERIOD);
    Payouts p = {0};
    if (payout < 0 || period < 0 || (last_payouts(s, payout, period, &p), p.n == 0)) {
        free(p.v);
        return;
    }
    Num w = band_width(p.lo, p.hi), start = num_from_int(0), q;
    int64_t k = 0;
    if (num_div(p.lo, w, &q) == NUM_OK && num_to_int(q, NUM_FLOOR, &k) == NUM_OK)
        num_mul(w, num_from_int(k), &start); /* the first band holds the least payout */
    int count[MAX_BANDS], nb = band_counts(&p, start, w, count);
    free(p.v);
    RenderSheet b;
    render_sheet_init(&b, doc, 3);
    render_sheet_col(&b, 0, lang_word(lang, W_FROM), true);
    render_sheet_col(&b, 1, lang_word(lang, W_BELOW), true);
    render_sheet_col(&b, 2, lang_word(lang, W_MEMBERS), true);
    for (int j = 0; j < nb; j++)
        band_row(&b, start, w, j, p.decimals, count[j]);
    char title[512];
    snprintf(title, sizeof title, "%s — %s, %s", lang_word(lang, W_PAYOUT_DISTRIBUTION),
             name ? name : "", p.period);
    render_sheet_add(&b, title, NULL, -1, NULL, RENDER_PEOPLE);
    RenderChart c = render_chart(CHART_HISTOGRAM, render_item_count(doc) - 1);
    c.label_col = 0;
    c.value_col = 2;
    render_add_chart(doc, &c);
}

/* An incentive statement: the payout per member in the last period, and
 * how the payouts spread over bands. */
static void payout_chart(RenderDoc *doc, size_t i, Lang lang)
{
    const Sheet *s = render_item_sheet(doc, i);
    int payout = head(s, W_PAYOUT), period = head(s, W_PERIOD);
    if (payout < 0 || period < 0)
        return;
    RenderChart c = render_chart(CHART_HBARS, i);
    c.period_col = period;
    c.label_col = member_col(s, period, -1);
    c.value_col = payout;
    render_add_chart(doc, &c);
    payout_distribution(doc, i, s->title, lang);
}

/* A reforecast: the team's months left as a line (the total row's
 * columns between "actual to ..." and "rest of year"). */
static void reforecast_chart(RenderDoc *doc, size_t i)
{
    const Sheet *s = render_item_sheet(doc, i);
    int rest = render_sheet_find(s, "rest of year"), from = -1;
    for (int c = 0; c < rest; c++)
        if (strncmp(s->heads[c], "actual to ", 10) == 0)
            from = c + 1;
    if (from < 0 || rest <= from)
        return;
    RenderChart c = render_chart(CHART_LINE, i);
    c.value_col = from;
    c.value2_col = rest - 1;
    render_add_chart(doc, &c);
}

/* The charts of items [from, to), which came from show. */
static void add_charts(Measure *ms, RenderDoc *doc, size_t from, size_t to, const Node *show,
                       Lang lang)
{
    for (size_t i = from; i < to; i++) {
        if (render_item_table(doc, i)) {
            RenderChart c = render_chart(CHART_SHARES, i);
            render_add_chart(doc, &c);
            continue;
        }
        const Sheet *s = render_item_sheet(doc, i);
        if (head(s, W_STATUS) >= 0)
            status_charts(ms, doc, i, show->op == SHOW_REVIEW ? show : NULL);
        else if (head(s, W_PAYOUT) >= 0)
            payout_chart(doc, i, lang);
        else if (render_sheet_find(s, "rest of year") >= 0)
            reforecast_chart(doc, i);
    }
}

int session_render_report(Session *S, Buf *out)
{
    RenderOpts ro = session_doc_opts(S, false);
    RenderDoc *doc = render_new(render_format("html"), &ro);
    int rc = 0;
    for (int k = 0; k < S->shows.n; k++) {
        size_t from = render_item_count(doc);
        ShowList one = {&S->shows.shows[k], &S->shows.titles[k], 1};
        rc |= session_doc_shows(&S->en, &S->ms, &one, doc);
        add_charts(&S->ms, doc, from, render_item_count(doc), S->shows.shows[k], ro.lang);
    }
    render_doc(doc, out);
    render_free(doc);
    return rc;
}
