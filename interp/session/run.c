/* run.c -- `salesplan run`: load and check the plan, evaluate the tables
 * asked for (--show, the plan's reports, or one table per split metric
 * and dimension), render them, and write them to stdout or atomically to
 * -o FILE.  On any error nothing is written. */
#include "session/session.h"
#include "check/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/alloc.h"
#include "base/term.h"
#include "load/load.h"

static void add_show(ShowList *l, const Node *s, const char *title)
{
    l->shows = xrealloc(l->shows, (size_t)(l->n + 1) * sizeof *l->shows);
    l->titles = xrealloc(l->titles, (size_t)(l->n + 1) * sizeof *l->titles);
    l->shows[l->n] = s;
    l->titles[l->n++] = title;
}

/* Without --show or reports: one table per split metric and dimension. */
void run_default_shows(Program *p, Engine *en, Arena *arena, ShowList *l)
{
    for (Unit *u = p->units; u; u = u->next)
        for (Node *m = u->items; m; m = m->next) {
            if (m->kind != N_METRIC)
                continue;
            bool split = false;
            for (int i = 0; i < p->sym->nsplits; i++)
                split |= strcmp(p->sym->splits[i]->name, m->name) == 0;
            if (!split)
                continue;
            Alloc *A = alloc_get(en, m);
            if (!A)
                continue;
            for (int i = 0; i < A->nax; i++) {
                Node *s = ast_new(arena, N_SHOW, m->loc);
                s->name = m->name;
                s->op = SHOW_METRIC;
                Node *lv = ast_new(arena, N_NAME, m->loc);
                lv->name = A->ax[i].dim->levels[A->ax[i].sl[A->ax[i].nsl - 1]].name;
                s->a = lv;
                add_show(l, s, NULL);
            }
        }
}

void run_plan_shows(Program *p, ShowList *l)
{
    for (Unit *u = p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next) {
            if (n->kind == N_REPORT)
                for (Node *s = n->a; s; s = s->next)
                    add_show(l, s, n->str);
            else if (n->kind == N_SHOW)
                add_show(l, n, NULL);
        }
}

static bool flush(Diags *d, bool color)
{
    bool first = true;
    d->color = color;
    diag_flush(d, stderr, FMT_TEXT, &first);
    return d->nerrors > 0;
}

void run_check_allocations(Program *p)
{
    Engine en;
    engine_init(&en, p);
    en.check_only = true;
    for (Unit *u = p->units; u; u = u->next)
        for (Node *m = u->items; m; m = m->next) {
            if (m->kind != N_METRIC)
                continue;
            if (alloc_has_splits(&en, m) || strmap_get(&p->sym->targets_from, m->name))
                alloc_get(&en, m);
        }
    engine_free(&en);
}

void run_check_verify(Program *p)
{
    Engine en;
    engine_init(&en, p);
    bool none = false;
    Actuals *act = act_load_all(p, NULL, 0, false, &none);
    if (act || none) {
        Measure ms;
        ms_init(&ms, p, &en, act, NULL, -1);
        verify_plan(&ms);
        ms_free(&ms);
    }
    act_free(act);
    engine_free(&en);
}

/* Reviews are shown by default when there is something to review. */
void run_review_shows(Program *p, Arena *arena, ShowList *l)
{
    for (Unit *u = p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next)
            if (n->kind == N_REVIEW) {
                Node *s = ast_new(arena, N_SHOW, n->loc);
                s->name = n->name;
                s->op = SHOW_REVIEW;
                add_show(l, s, NULL);
            }
}

/* The plan's display unit and currency; colour as asked. */
static RenderOpts plan_render_opts(const Program *p, bool color)
{
    RenderOpts ro = {"", NULL, color};
    for (Node *a = p->sym->header ? p->sym->header->a : NULL; a; a = a->next) {
        if (strcmp(a->name, "unit") == 0 && a->a->kind == N_STR)
            ro.unit = a->a->str;
        if (strcmp(a->name, "currency") == 0 && a->a->kind == N_STR)
            ro.currency = a->a->str;
    }
    return ro;
}

/* Adds the tables and sheets of the shows to doc; 0, or 1 when one did
 * not evaluate (the others are still added). */
static int add_shows(Engine *en, Measure *ms, const ShowList *l, RenderDoc *doc)
{
    int rc = 0;
    for (int i = 0; i < l->n; i++) {
        const Node *s = l->shows[i];
        if (s->op != SHOW_METRIC) {
            if (stmt_show(ms, s, doc) < 0)
                rc = 1;
            continue;
        }
        Table t;
        if (alloc_table(en, s, rdoc_arena(doc), &t) < 0) {
            rc = 1;
            continue;
        }
        t.title = l->titles[i];
        rdoc_add_table(doc, &t);
    }
    return rc;
}

static int render(Program *p, Engine *en, Measure *ms, const RenderFormat *f, bool color,
                  const ShowList *l, Buf *out)
{
    RenderOpts ro = plan_render_opts(p, color);
    RenderDoc *doc = rdoc_new(f, &ro);
    int rc = add_shows(en, ms, l, doc);
    render_doc(doc, out);
    rdoc_free(doc);
    return rc;
}

int run_show_grid(Engine *en, Measure *ms, const Node *show, RenderGrid **out)
{
    RenderDoc *doc = rdoc_new(NULL, NULL);
    ShowList l = {&show, (const char *[]){NULL}, 1};
    int rc = add_shows(en, ms, &l, doc);
    *out = rdoc_grid(doc);
    rdoc_free(doc);
    return rc;
}

int run_render(Program *p, Engine *en, Measure *ms, ShowList *l, const RenderFormat *format,
               bool color, Buf *out)
{
    return render(p, en, ms, format, color && term_color(1), l, out);
}

int run_plan(const RunOpts *o)
{
    Diags d = {0};
    bool color = term_color(2);
    Program *p = prog_new(&d);
    for (int i = 0; i < o->nallow; i++)
        prog_allow_path(p, o->allow[i]);
    int rc = 0;
    if (!prog_load_file(p, o->file)) {
        flush(&d, color);
        rc = 2;
        goto done;
    }
    check_program(p);
    ShowList l = {0};
    Engine en;
    engine_init(&en, p);
    if (o->max_cells)
        en.max_cells = o->max_cells;
    int plan_errors = d.nerrors;
    for (int i = 0; i < o->nshows && !d.nerrors; i++) {
        Buf text = {0};
        buf_printf(&text, "show %s", o->shows[i]);
        Node *items = prog_parse_extra(p, "--show", buf_cstr(&text));
        buf_free(&text);
        if (items && items->kind == N_SHOW && !items->next) {
            check_statement(p, items);
            add_show(&l, items, NULL);
        } else if (!d.nerrors) {
            diag_error(&d, (Loc){0}, "--show '%s' is not a show statement", o->shows[i]);
        }
    }
    int as_of = -1;
    const Node *scenario = NULL;
    if (!d.nerrors && o->as_of) {
        int y = 0, m = 0;
        char tail = 0;
        if (sscanf(o->as_of, "%4d-%2d%c", &y, &m, &tail) != 2 || m < 1 || m > 12 ||
            (as_of = ms_fiscal_month(p->sym, y, m)) < 0)
            diag_error(&d, (Loc){0}, "--as-of '%s' is not a month of FY%d (YYYY-MM, %s .. %s)",
                       o->as_of, p->sym->year, ms_month_label(p->sym, 0), ms_month_label(p->sym, 11));
    }
    if (!d.nerrors && o->scenario && !(scenario = strmap_get(&p->sym->scenarios, o->scenario))) {
        diag_error(&d, (Loc){0}, "--scenario '%s': the plan has no such scenario", o->scenario);
        const char *near = sym_closest(&p->sym->scenarios, o->scenario);
        if (near)
            diag_note_plain(&d, "did you mean '%s'?", near);
    }
    bool cli_error = d.nerrors > plan_errors; /* in the --show text: a usage error */
    Buf out = {0};
    if (!d.nerrors && o->explain) {
        Buf text = {0};
        buf_printf(&text, "let cell = %s", o->explain);
        Node *items = prog_parse_extra(p, "--explain", buf_cstr(&text));
        buf_free(&text);
        if (items && items->kind == N_LET && !items->next && !d.nerrors) {
            check_statement(p, items);
            if (!d.nerrors)
                alloc_explain(&en, items->a, &out);
        } else if (!d.nerrors) {
            diag_error(&d, (Loc){0}, "--explain '%s' is not a cell such as revenue[north, Q1]",
                       o->explain);
        }
        cli_error |= d.nerrors > plan_errors;
    } else if (!d.nerrors) {
        if (!o->nshows)
            run_plan_shows(p, &l);
        bool have_actuals = o->nactuals > 0 || scenario || as_of >= 0;
        for (Unit *u = p->units; u; u = u->next)
            for (Node *n = u->items; n; n = n->next)
                have_actuals |= n->kind == N_ACTUALS;
        if (!l.n) {
            run_default_shows(p, &en, (Arena *)&p->main->arena, &l);
            if (have_actuals)
                run_review_shows(p, (Arena *)&p->main->arena, &l);
        }
        bool need = o->nactuals > 0, verify = false;
        for (int i = 0; i < l.n; i++)
            need |= l.shows[i]->op != SHOW_METRIC;
        for (Unit *u = p->units; u; u = u->next) /* examples and assertions hold, as in check */
            for (Node *n = u->items; n; n = n->next)
                verify |= n->kind == N_EXAMPLE || n->kind == N_ASSERT;
        need |= verify;
        Actuals *act = NULL;
        bool none = false;
        if (need && !scenario)
            act = act_load_all(p, o->actuals, o->nactuals, o->lenient, &none);
        if (!d.nerrors) {
            Measure ms;
            ms_init(&ms, p, &en, act, scenario, as_of);
            bool tty = !o->out && term_color(1);
            if (render(p, &en, &ms, o->format, tty, &l, &out) != 0 && !d.nerrors)
                rc = 1;
            ms_free(&ms);
            if (verify && !d.nerrors) { /* the actuals read, no scenario */
                Measure plain;
                ms_init(&plain, p, &en, act, NULL, -1);
                verify_plan(&plain);
                ms_free(&plain);
            }
        }
        act_free(act);
    }
    if (d.nerrors) {
        rc = p->data_error || (!plan_errors && cli_error) ? 2 : 1;
    } else if (o->out) {
        char *err = NULL;
        if (write_atomic(o->out, out.data ? out.data : "", out.len, &err) < 0) {
            fprintf(stderr, "salesplan: %s\n", err);
            free(err);
            rc = 2;
        }
    } else {
        fwrite(buf_cstr(&out), 1, out.len, stdout);
    }
    flush(&d, color);
    if (d.nerrors)
        diag_count_line(&d, stderr, o->file);
    buf_free(&out);
    free(l.shows);
    free(l.titles);
    engine_free(&en);
done:
    prog_free(p);
    diag_free(&d);
    return rc;
}
