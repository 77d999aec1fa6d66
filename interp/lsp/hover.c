/* hover.c -- what a name is (its kind, label, declaration and value) and
 * what a cell reference holds (its value and the --explain chain). */
#include <stdlib.h>
#include <string.h>

#include "lsp/lsp_int.h"

/* An engine for values: the session's, built when first asked; NULL when
 * the plan has errors. */
static Engine *engine(LsRun *r)
{
    if (r->stopped)
        return NULL;
    if (!(r->S.done & SESSION_ENGINE) && (r->S.d.nerrors || !session_run(&r->S, SESSION_ENGINE)))
        return NULL;
    return &r->S.en;
}

/* The engine for values that need allocations (members' shares, cells):
 * only that of the current text's analysis once its second step is done
 * (it made the allocations members show); else NULL, and the hover says
 * the values are pending rather than wait for them. */
static Engine *settled_engine(LsDoc *d, LsRun *r)
{
    return r == d->cur && r->complete && r->values ? engine(r) : NULL;
}

static const char pending[] = "values pending: they are shown once the text has settled and "
                              "checks\n";

/* The source lines of loc (at most max) into a fenced block. */
static void source_block(Buf *md, const Loc *loc, int max)
{
    if (!loc->src)
        return;
    buf_puts(md,
             md->len && md->data[md->len - 1] == '\n' ? "\n```salesplan\n" : "\n\n```salesplan\n");
    for (int l = loc->line; l <= loc->end_line && l < loc->line + max; l++) {
        size_t n;
        const char *s = source_line(loc->src, l, &n);
        buf_put(md, s, n);
        buf_putc(md, '\n');
    }
    if (loc->end_line >= loc->line + max)
        buf_puts(md, "...\n");
    buf_puts(md, "```\n");
}

/* Removes the diagnostics added to d since before (a hover reports
 * nothing to the document), their messages appended to md when it is
 * not NULL. */
static void drop_new(Diags *d, const Diags *before, Buf *md)
{
    for (size_t k = before->n; md && k < d->n; k++)
        buf_printf(md, "%s\n", d->v[k].msg);
    while (d->n > before->n) {
        Diag *g = &d->v[--d->n];
        for (size_t i = 0; i < g->nnotes; i++)
            free(g->notes[i].msg);
        free(g->notes);
        free(g->msg);
    }
    d->nerrors = before->nerrors;
    d->nwarnings = before->nwarnings;
    d->suppressed = before->suppressed;
}

/* The head of an explain chain (the cell's value) and the step that gives
 * member its share ("rep zhang: in proportion, ... = 33.3333% of north"). */
static void value_lines(const char *ex, const char *member, Buf *md)
{
    const char *nl = strchr(ex, '\n');
    buf_puts(md, "\n`");
    buf_put(md, ex, nl ? (size_t)(nl - ex) : strlen(ex));
    buf_puts(md, "`");
    size_t ml = member ? strlen(member) : 0;
    for (const char *l = nl; l && ml; l = strchr(l + 1, '\n')) {
        const char *sp = l[1] == ' ' && l[2] == ' ' && l[3] != ' ' ? strchr(l + 3, ' ') : NULL;
        if (sp && strncmp(sp + 1, member, ml) == 0 && sp[1 + ml] == ':') {
            const char *end = strchr(l + 1, '\n');
            buf_puts(md, ": ");
            buf_put(md, sp + ml + 3, end ? (size_t)(end - sp - ml - 3) : strlen(sp + ml + 3));
            break;
        }
    }
    buf_puts(md, "\n");
}

/* The first line of the explain chain of metric[coords]: its value. */
static void cell_value(Engine *en, const char *metric, const char *const *coords, int n, Buf *md)
{
    Node names[ALLOC_MAX_AXES + 1], cell;
    memset(names, 0, sizeof names);
    memset(&cell, 0, sizeof cell);
    names[0].kind = N_NAME;
    names[0].name = metric;
    for (int i = 0; i < n && i < ALLOC_MAX_AXES; i++) {
        names[i + 1].kind = N_NAME;
        names[i + 1].name = coords[i];
        names[i + 1].next = i + 1 < n ? &names[i + 2] : NULL;
    }
    cell.kind = N_INDEX;
    cell.a = &names[0];
    cell.b = n ? &names[1] : NULL;
    Buf out = {0};
    Diags *d = en->p->diags, before = *d;
    if (alloc_explain_path(en, &cell, &out) == 0 && out.len)
        value_lines(buf_cstr(&out), n ? coords[n - 1] : NULL, md);
    drop_new(d, &before, NULL);
    buf_free(&out);
}

static void hover_metric(LsRun *r, const Node *m, Buf *md)
{
    const Symbols *s = r->S.p->sym;
    Kind k = sym_value_kind(m);
    buf_printf(md, " (%s)\n", sym_kind_name(k));
    const Node *t = strmap_get(&s->targets, m->name);
    if (t)
        source_block(md, &t->loc, 3);
    Engine *en = engine(r);
    Num v;
    char b[NUM_BUFSZ];
    if (en && t && alloc_root_target(en, m, &v) == 0)
        buf_printf(md, "\ntarget: `%s`\n", k == K_MONEY ? sym_fmt_amount(s, v, b) : num_str(v, b));
}

/* The split metrics a member's hover shows (the first LS_HOVER_METRICS
 * that add up, in plan order), once per analysis. */
static void list_hover_metrics(LsRun *r, Engine *en)
{
    const Symbols *s = r->S.p->sym;
    r->hover_listed = true;
    for (const Unit *u = r->S.p->units; u; u = u->next)
        for (const Node *n = u->items; n; n = n->next) {
            const Node *met = n->kind == N_METRIC ? strmap_get(&s->metrics, n->name) : NULL;
            if (met != n || !sym_additive(met) || !alloc_has_splits(en, met))
                continue;
            if (r->nhover_metrics < LS_HOVER_METRICS)
                r->hover_metrics[r->nhover_metrics++] = met;
            else
                r->hover_more++;
        }
}

/* A member's dimension, level, parent, attributes and its share of each
 * split metric. */
static void hover_member(LsRun *r, Engine *en, const Member *m, Buf *md)
{
    buf_printf(md, " of `%s`, level `%s`", m->dim->name, m->dim->levels[m->depth].name);
    if (m->parent)
        buf_printf(md, ", under `%s`", m->parent->name);
    buf_puts(md, "\n");
    for (int i = 0; i < m->nattrs; i++) {
        const Attr *a = &m->attrs[i];
        if (a->text)
            buf_printf(md, "\n- %s = %s", a->name, a->text);
        else if (a->value && a->value->loc.src)
            source_block(md, &a->value->loc, 1);
    }
    if (!en) { /* a stopped analysis has the interruption among its errors */
        if (!r->S.d.nerrors || r->stopped)
            buf_printf(md, "\n%s", pending);
        return;
    }
    if (!r->hover_listed)
        list_hover_metrics(r, en);
    for (int i = 0; i < r->nhover_metrics; i++)
        cell_value(en, r->hover_metrics[i]->name, &m->name, 1, md);
    int more = r->hover_more;
    if (more)
        buf_printf(md, "\n(and %d more split metric%s)\n", more, more == 1 ? "" : "s");
}

bool ls_hover_prepare(LsRun *r)
{
    Engine *en = engine(r);
    if (!en)
        return true;
    if (!r->hover_listed)
        list_hover_metrics(r, en);
    const Symbols *s = r->S.p->sym;
    Buf scratch = {0};
    /* a member of each level of each dimension: its metrics' allocations,
     * tables and rounded totals, as the first hover on such a member needs them */
    for (int i = 0; i < r->nhover_metrics; i++)
        for (int k = 0; k < s->ndims; k++)
            for (int depth = 0; depth < s->dims[k]->nlevels; depth++) {
                const Member *m = NULL;
                for (size_t j = 0; !m && j < s->dims[k]->nmembers; j++)
                    if (s->dims[k]->members[j]->depth == depth && !s->dims[k]->members[j]->pseudo)
                        m = s->dims[k]->members[j];
                if (m)
                    cell_value(en, r->hover_metrics[i]->name, &m->name, 1, &scratch);
                if (en->ev.budget->stop != EVAL_GOING) {
                    buf_free(&scratch);
                    return false;
                }
            }
    buf_free(&scratch);
    return true;
}

static void hover_let(LsRun *r, const Node *let, Buf *md)
{
    Engine *en = engine(r);
    Num v;
    Frame f = {0};
    char b[NUM_BUFSZ];
    if (en && eval_num(&en->ev, &f, let->a, &v) == 0)
        buf_printf(md, "\n= `%s`\n",
                   let->a->flags == K_MONEY ? sym_fmt_amount(r->S.p->sym, v, b) : num_str(v, b));
}

/* A level's dimension, depth and number of members. */
static void hover_level(LsRun *r, const char *name, Buf *md)
{
    const Level *lv = strmap_get(&r->S.p->sym->levels, name);
    size_t n = 0;
    for (size_t i = 0; lv && i < lv->dim->nmembers; i++)
        n += lv->dim->members[i]->depth == lv->depth && !lv->dim->members[i]->pseudo;
    if (lv)
        buf_printf(md, " of `%s` (depth %d): %zu member%s\n", lv->dim->name, lv->depth, n,
                   n == 1 ? "" : "s");
}

static void hover_label(const char *what, const LsName *n, const Node *decl, const Member *m,
                        Buf *md)
{
    const char *label = m ? m->label : decl && decl->kind != N_ATTR ? decl->str : NULL;
    buf_printf(md, "**%s** `%s`", what, n->name);
    if (label && *label)
        buf_printf(md, " \"%s\"", label);
}

static json_t *hover_name(LsDoc *d, LsRun *r, const LsName *n)
{
    Loc where;
    const char *what;
    const Node *decl;
    if (!ls_declaration(r->S.p, n, &where, &what, &decl))
        return NULL;
    const Symbols *s = r->S.p->sym;
    const Member *m = strcmp(what, "member") == 0 ? sym_member(s, n->name) : NULL;
    Buf md = {0};
    hover_label(what, n, decl, m, &md);
    if (decl && decl->kind == N_METRIC)
        hover_metric(r, decl, &md);
    else if (m)
        hover_member(r, settled_engine(d, r), m, &md);
    else if (decl && decl->kind == N_LET)
        hover_let(r, decl, &md);
    else if (strcmp(what, "level") == 0)
        hover_level(r, n->name, &md);
    if (!m && decl)
        source_block(&md, &decl->loc, strcmp(what, "metric") == 0 ? 1 : 8);
    json_t *h = json_pack("{s:{s:s,s:s},s:o}", "contents", "kind", "markdown", "value",
                          buf_cstr(&md), "range", ls_range(&n->loc));
    buf_free(&md);
    return h;
}

static json_t *hover_cell(LsDoc *d, LsRun *r, const Node *cell)
{
    Engine *en = settled_engine(d, r);
    Buf md = {0}, out = {0};
    buf_puts(&md, "**cell**\n\n```\n");
    Diags before = r->S.d;
    if (!en)
        buf_puts(&md, r->S.d.nerrors && !r->stopped ? "no value: the plan has errors\n" : pending);
    else if (alloc_explain(en, cell, &out) == 0)
        buf_put(&md, out.data ? out.data : "", out.len);
    else
        buf_puts(&md, "no value: ");
    if (en)
        drop_new(&r->S.d, &before, &md);
    buf_puts(&md, "```\n");
    json_t *h = json_pack("{s:{s:s,s:s},s:o}", "contents", "kind", "markdown", "value",
                          buf_cstr(&md), "range", ls_range(&cell->loc));
    buf_free(&md);
    buf_free(&out);
    return h;
}

json_t *ls_hover(LsServer *sv, LsDoc *d, json_t *params)
{
    LsRun *r = ls_names_run(sv, d);
    int line, col;
    if (!r || !ls_request_pos(r, params, &line, &col))
        return NULL;
    const Node *cell = ls_cell_at(r, line, col);
    LsName n;
    bool name = ls_name_at(r, line, col, &n);
    if (cell && (!name || n.node == cell->a))
        return hover_cell(d, r, cell);
    return name ? hover_name(d, r, &n) : NULL;
}
