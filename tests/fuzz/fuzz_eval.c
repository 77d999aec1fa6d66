/* fuzz_eval.c -- libFuzzer harness that reaches evaluation: the bytes are
 * loaded as a plan from memory (no file access: imports of files and data
 * paths end in diagnostics, "std/NAME" imports load the embedded stdlib)
 * and checked as `salesplan check` does (names, static checks, every split
 * tree).  A plan that checks is then evaluated through the session API as
 * `salesplan run` does, without actuals: the engine, measure, the worked
 * examples and assertions, and every table the plan shows (its reports and
 * show statements, one table per split metric and dimension, every review,
 * every incentive and scorecard), rendered in every format of the format
 * table and as logical grids (what diff and the REPL compare).  When the
 * plan has a scenario, the same again under its first one: the only way
 * to reach statements and reviews with actuals and no file.
 *
 * Diagnostics are formatted in turn as text, JSON and GitHub annotations,
 * and everything rendered is written to /dev/null, so escaping code sees
 * the hostile bytes too.  Work per input is bounded by a small --max-cells
 * (FUZZ_MAX_CELLS), a small --max-steps (FUZZ_MAX_STEPS: the default budget
 * runs for seconds under the sanitizers, which libFuzzer would take for a
 * hang) and libFuzzer's -timeout.
 *
 *   make fuzz FUZZTIME=60
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "session/session.h"

#ifndef FUZZ_MAX_CELLS
#define FUZZ_MAX_CELLS 200000
#endif
#ifndef FUZZ_MAX_STEPS
#define FUZZ_MAX_STEPS 300000
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *sink(void)
{
    static FILE *null_out;
    if (!null_out)
        null_out = fopen("/dev/null", "w");
    return null_out;
}

/* Formats the diagnostics to the sink (text, JSON and GitHub form on
 * successive calls) and clears them; before session_free: they point into
 * the program's sources. */
static void flush_diags(Session *S)
{
    static unsigned turn;
    static const DiagFormat formats[] = {FMT_TEXT, FMT_JSON, FMT_GITHUB};
    bool first = true;
    if (!sink())
        return;
    S->d.color = turn % 2;
    diag_flush(&S->d, sink(), formats[turn++ % 3], &first);
    diag_count_line(&S->d, sink(), "fuzz.plan");
}

/* `show incentive NAME` and `show scorecard NAME` for each of the plan's. */
static void add_statement_shows(Session *S)
{
    const Symbols *s = S->p->sym;
    const StrMap *maps[] = {&s->incentives, &s->scorecards};
    const char *words[] = {"incentive", "scorecard"};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < maps[k]->count; i++) {
            Buf spec = {0};
            buf_printf(&spec, "%s %s", words[k], maps[k]->slots[i].key);
            bool ok = session_add_show(S, buf_cstr(&spec));
            buf_free(&spec);
            if (!ok)
                return;
        }
}

/* Every show in every format, then each one's logical grid. */
static void render_everything(Session *S)
{
    for (size_t i = 0; render_format_at(i); i++) {
        Buf out = {0};
        session_render(S, &S->shows, render_format_at(i), i == 0, &out);
        if (sink() && out.len)
            fwrite(out.data, 1, out.len, sink());
        buf_free(&out);
    }
    for (int i = 0; i < S->shows.n; i++) {
        RenderGrid *g = NULL;
        session_show_grid(&S->en, &S->ms, S->shows.shows[i], &g);
        render_grid_unref(g);
    }
}

/* The first scenario of a checked plan, or NULL. */
static const char *first_scenario(const Program *p)
{
    const StrMap *m = &p->sym->scenarios;
    return m->count ? m->slots[0].key : NULL;
}

/* One evaluation of the text with the options o; returns the first
 * scenario's name (malloc'd) when asked for and the plan has one. */
static char *evaluate(const SessionOpts *o, const uint8_t *data, size_t size, bool want_scenario)
{
    Session S;
    session_init(&S, o);
    session_load_text(&S, "fuzz.plan", getenv("FUZZ_DATA_DIR"), (const char *)data, size);
    char *scenario = NULL;
    if (session_run(&S, SESSION_CHECK | SESSION_SPLITS | SESSION_ENGINE)) {
        if (want_scenario && first_scenario(S.p))
            scenario = xstrdup(first_scenario(S.p));
        session_all_shows(&S);
        session_review_shows(S.p, &S.p->main->arena, &S.shows);
        add_statement_shows(&S);
        session_need_actuals(&S, ACTUALS_FOR_VERIFY);
        if (session_run(&S, SESSION_ACTUALS | SESSION_MEASURE)) {
            render_everything(&S);
            session_run(&S, SESSION_VERIFY);
        }
    }
    flush_diags(&S);
    session_free(&S);
    return scenario;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SessionOpts o = {.max_cells = FUZZ_MAX_CELLS, .max_steps = FUZZ_MAX_STEPS};
    char *scenario = evaluate(&o, data, size, true);
    if (scenario) {
        o.scenario = scenario;
        evaluate(&o, data, size, false);
        free(scenario);
    }
    return 0;
}
