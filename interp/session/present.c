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

Lang session_lang(const Program *p, const SessionOpts *o)
{
    Lang l = LANG_EN;
    if (o && o->lang && lang_parse(o->lang, &l))
        return l;
    const Symbols *sym = p ? p->sym : NULL;
    for (Node *a = sym && sym->header ? sym->header->a : NULL; a; a = a->next)
        if (strcmp(a->name, "lang") == 0 && a->a->kind == N_STR && lang_parse(a->a->str, &l))
            return l;
    return LANG_EN;
}

/* `bom = true` in the plan header. */
static bool header_bom(const Symbols *sym)
{
    for (Node *a = sym->header ? sym->header->a : NULL; a; a = a->next)
        if (strcmp(a->name, "bom") == 0 && a->a->kind == N_NAME)
            return strcmp(a->a->name, "true") == 0;
    return false;
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
    ro.lang = session_lang(p, NULL);
    ro.bom = header_bom(sym);
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

/* Renders the shows into out: 0, 1 when one did not evaluate, or -1 when
 * the format could not write them (reported in d; nothing appended). */
static int render_parts(Engine *en, Measure *ms, const ShowList *l, const RenderFormat *f,
                        const RenderOpts *ro, Diags *d, Buf *out)
{
    RenderDoc *doc = render_new(f, ro);
    int rc = session_doc_shows(en, ms, l, doc);
    if (render_doc(doc, out) < 0) {
        diag_error(d, (Loc){0}, "%s", render_error(doc));
        rc = -1;
    }
    render_free(doc);
    return rc;
}

int session_render_parts(Program *p, const SessionOpts *o, Engine *en, Measure *ms,
                         const ShowList *l, const RenderFormat *f, bool color, Buf *out)
{
    RenderOpts ro = session_render_opts(p, color);
    ro.lang = session_lang(p, o);
    ro.bom = false; /* the REPL writes to a terminal */
    return render_parts(en, ms, l, f, &ro, p->diags, out) != 0;
}

RenderOpts session_doc_opts(Session *S, bool color)
{
    RenderOpts ro = session_render_opts(S->p, color);
    ro.csv_raw_text = S->o && S->o->csv_raw_text;
    ro.lang = session_lang(S->p, S->o);
    ro.bom = ro.bom || (S->o && S->o->csv_bom);
    ro.labels = S->o && S->o->labels;
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
    int rc = render_parts(&S->en, &S->ms, l, f, &ro, &S->d, out);
    if (rc < 0) { /* the format refused what was asked: exit 2, no count line */
        S->usage = true;
        S->show_errors = S->d.nerrors;
    }
    return rc != 0;
}

static int show_grid(Engine *en, Measure *ms, const Node *show, bool labels, RenderGrid **out)
{
    RenderOpts ro = {.unit = "", .labels = labels};
    RenderDoc *doc = render_new(NULL, &ro);
    ShowList l = {&show, (const char *[]){NULL}, 1};
    int rc = session_doc_shows(en, ms, &l, doc);
    *out = render_grid(doc);
    render_free(doc);
    return rc;
}

int session_show_grid(Engine *en, Measure *ms, const Node *show, RenderGrid **out)
{
    return show_grid(en, ms, show, false, out);
}

int session_show_grid_labels(Engine *en, Measure *ms, const Node *show, RenderGrid **out)
{
    return show_grid(en, ms, show, true, out);
}
