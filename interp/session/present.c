/* present.c -- the shows of an evaluation as one render document: the
 * allocation tables (alloc_table) and the sheets of incentives,
 * scorecards and reviews (ms_show), rendered in a format or read as the
 * logical grid a diff compares.  It decides nothing about layout
 * (render/ does) and computes no number (alloc/ and measure/ do). */
#include <string.h>

#include "base/term.h"
#include "base/version.h"
#include "session/session.h"

/* The plan's file name without its folders, for the document's metadata. */
static const char *plan_file(const Program *p)
{
    const char *name = p->main && p->main->src ? p->main->src->name : NULL;
    const char *slash = name ? strrchr(name, '/') : NULL;
    return slash ? slash + 1 : name;
}

RenderOpts session_render_opts(const Program *p, bool color)
{
    RenderOpts ro = {.unit = "", .color = color, .version = SALESPLAN_VERSION};
    const Symbols *sym = p->sym;
    for (Node *a = sym->header ? sym->header->a : NULL; a; a = a->next) {
        if (strcmp(a->name, "unit") == 0 && a->a->kind == N_STR)
            ro.unit = a->a->str;
        if (strcmp(a->name, "currency") == 0 && a->a->kind == N_STR)
            ro.currency = a->a->str;
    }
    ro.plan_name = sym->header ? sym->header->str : NULL;
    ro.plan_file = plan_file(p);
    Arena *ar = p->main ? &p->main->arena : NULL;
    if (!ar)
        return ro;
    if (sym->years > 1)
        ro.fiscal_year = arena_printf(ar, "FY%d–FY%d", sym->year, sym->year + sym->years - 1);
    else if (sym->year)
        ro.fiscal_year = arena_printf(ar, "FY%d", sym->year);
    return ro;
}

/* Adds the tables and sheets of the shows to doc; 0, or 1 when one did
 * not evaluate (the others are still added). */
int session_doc_shows(Engine *en, Measure *ms, const ShowList *l, RenderDoc *doc)
{
    int rc = 0;
    for (int i = 0; i < l->n; i++) {
        const Node *s = l->shows[i];
        if (s->op != SHOW_METRIC) {
            if (ms_show(ms, s, doc) < 0)
                rc = 1;
            continue;
        }
        Table t;
        if (alloc_table(en, s, render_arena(doc), &t) < 0) {
            rc = 1;
            continue;
        }
        t.title = l->titles[i];
        render_add_table(doc, &t);
    }
    return rc;
}

static int render_parts(Engine *en, Measure *ms, const ShowList *l, const RenderFormat *f,
                        const RenderOpts *ro, Buf *out)
{
    RenderDoc *doc = render_new(f, ro);
    int rc = session_doc_shows(en, ms, l, doc);
    render_doc(doc, out);
    render_free(doc);
    return rc;
}

int session_render_parts(Program *p, Engine *en, Measure *ms, const ShowList *l,
                         const RenderFormat *f, bool color, Buf *out)
{
    RenderOpts ro = session_render_opts(p, color);
    return render_parts(en, ms, l, f, &ro, out);
}

RenderOpts session_doc_opts(Session *S, bool color)
{
    RenderOpts ro = session_render_opts(S->p, color);
    ro.csv_raw_text = S->o && S->o->csv_raw_text;
    if (S->measure && S->ms.as_of >= 0 && S->p->main) {
        char label[16];
        int ym = cal_month_code(sym_fiscal_year(S->p->sym), S->ms.as_of);
        ro.as_of = arena_strdup(&S->p->main->arena, cal_month_label(ym, label));
    }
    return ro;
}

int session_render(Session *S, const ShowList *l, const RenderFormat *f, bool color, Buf *out)
{
    RenderOpts ro = session_doc_opts(S, color);
    return render_parts(&S->en, &S->ms, l, f, &ro, out);
}

int session_show_grid(Engine *en, Measure *ms, const Node *show, RenderGrid **out)
{
    RenderDoc *doc = render_new(NULL, NULL);
    ShowList l = {&show, (const char *[]){NULL}, 1};
    int rc = session_doc_shows(en, ms, &l, doc);
    *out = render_grid(doc);
    render_free(doc);
    return rc;
}
