/* report.c -- the report for managers (`salesplan report`): the shows of
 * the session as one html document, with charts attached to the items
 * that hold their numbers.  Which charts stand beside which item is
 * decided here; render/ draws them from the item's cells (so a chart's
 * numbers are its table's), measure/ gives the review's thresholds. */
#include <string.h>

#include "session/session.h"

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
    int period = render_sheet_find(s, "period"), metric = render_sheet_find(s, "metric");
    int att = render_sheet_find(s, "attainment"), status = render_sheet_find(s, "status");
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
        c.value_col = render_sheet_find(s, "target");
        c.value2_col = render_sheet_find(s, "actual");
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

/* An incentive statement: the payout per member in the last period. */
static void payout_chart(RenderDoc *doc, size_t i)
{
    const Sheet *s = render_item_sheet(doc, i);
    int payout = render_sheet_find(s, "payout"), period = render_sheet_find(s, "period");
    if (payout < 0 || period < 0)
        return;
    RenderChart c = render_chart(CHART_HBARS, i);
    c.period_col = period;
    c.label_col = member_col(s, period, -1);
    c.value_col = payout;
    render_add_chart(doc, &c);
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
static void add_charts(Measure *ms, RenderDoc *doc, size_t from, size_t to, const Node *show)
{
    for (size_t i = from; i < to; i++) {
        if (render_item_table(doc, i)) {
            RenderChart c = render_chart(CHART_SHARES, i);
            render_add_chart(doc, &c);
            continue;
        }
        const Sheet *s = render_item_sheet(doc, i);
        if (render_sheet_find(s, "status") >= 0)
            status_charts(ms, doc, i, show->op == SHOW_REVIEW ? show : NULL);
        else if (render_sheet_find(s, "payout") >= 0)
            payout_chart(doc, i);
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
        add_charts(&S->ms, doc, from, render_item_count(doc), S->shows.shows[k]);
    }
    render_doc(doc, out);
    render_free(doc);
    return rc;
}
