/* features.c -- definitions, references, completion, formatting and quick
 * fixes, each from the document's last analysis. */
#include <stdlib.h>
#include <string.h>

#include "lsp/lsp_int.h"

bool ls_request_pos(LsRun *r, json_t *params, int *line, int *col)
{
    int l, ch;
    if (json_unpack(params, "{s:{s:i,s:i}}", "position", "line", &l, "character", &ch) != 0 ||
        l < 0 || ch < 0 || !r->S.p->main)
        return false;
    const Source *src = r->S.p->main->src;
    *line = l + src->first_line;
    size_t n = 0;
    const char *s = (size_t)l < src->nlines ? source_line(src, *line, &n) : NULL;
    *col = (s ? ls_codepoints(s, n, ch) : 0) + 1;
    return true;
}

/* The location a name or an import at the request's position declares. */
static json_t *definition_of(LsRun *r, LsDoc *d, int line, int col)
{
    const Node *imp = ls_import_at(r->S.p, line, col);
    if (imp) {
        const Unit *u = ls_import_unit(r->S.p, imp);
        if (!u || !u->realpath)
            return NULL;
        char *uri = ls_uri_of(u->realpath);
        json_t *l = json_pack("{s:s,s:o}", "uri", uri, "range", ls_range_raw(0, 0, 0, 0));
        free(uri);
        return l;
    }
    LsName n;
    Loc where;
    const char *what;
    const Node *decl;
    if (!ls_name_at(r, line, col, &n) || !ls_declaration(r->S.p, &n, &where, &what, &decl))
        return NULL;
    return ls_location(r->S.p, d, &where);
}

json_t *ls_definition(LsServer *sv, LsDoc *d, json_t *params)
{
    LsRun *r = ls_names_run(sv, d);
    int line, col;
    if (!r || !ls_request_pos(r, params, &line, &col))
        return NULL;
    return definition_of(r, d, line, col);
}

typedef struct {
    LsRun *r;
    LsDoc *d;
    Loc decl;
    const char *name;
    bool with_decl;
    json_t *out;
} Refs;

static bool same_loc(const Loc *a, const Loc *b)
{
    return a->src == b->src && a->line == b->line && a->col == b->col;
}

static void ref_name(const LsName *n, void *ctx)
{
    Refs *f = ctx;
    Loc where;
    const char *what;
    const Node *decl;
    if (strcmp(n->name, f->name) != 0 || !ls_declaration(f->r->S.p, n, &where, &what, &decl) ||
        !same_loc(&where, &f->decl))
        return;
    if (!f->with_decl && same_loc(&n->loc, &f->decl))
        return;
    json_t *l = ls_location(f->r->S.p, f->d, &n->loc);
    if (l)
        json_array_append_new(f->out, l);
}

json_t *ls_references(LsServer *sv, LsDoc *d, json_t *params)
{
    LsRun *r = ls_names_run(sv, d);
    int line, col;
    LsName n;
    const char *what;
    const Node *decl;
    Refs f = {r, d, {0}, NULL, true, json_array()};
    if (!r || !ls_request_pos(r, params, &line, &col) || !ls_name_at(r, line, col, &n) ||
        !ls_declaration(r->S.p, &n, &f.decl, &what, &decl))
        return f.out;
    f.name = n.name;
    json_t *ctx = json_object_get(params, "context");
    f.with_decl = !json_is_false(json_object_get(ctx, "includeDeclaration"));
    ls_each_name(r->S.p, ref_name, &f);
    if (f.with_decl && f.decl.src != r->S.p->main->src) { /* declared in an import */
        json_t *l = ls_location(r->S.p, d, &f.decl);
        if (l)
            json_array_insert_new(f.out, 0, l);
    }
    return f.out;
}

/* ---- formatting ---- */

/* The LSP position of the end of text. */
static void text_end(const char *t, size_t n, int *line, int *ch)
{
    size_t start = 0;
    *line = 0;
    for (size_t i = 0; i < n; i++)
        if (t[i] == '\n') {
            (*line)++;
            start = i + 1;
        }
    *ch = ls_utf16(t + start, n - start, (int)utf8_count(t + start, n - start));
}

json_t *ls_formatting(LsServer *sv, LsDoc *d, json_t *params, const char **err)
{
    (void)sv, (void)params;
    const char *t = buf_cstr(&d->text);
    Source *src = source_new(d->name, d->dir, t, d->text.len, 0);
    Diags dg = {0};
    Buf out = {0};
    FmtResult fr = fmt_plan(src, &dg, &out);
    json_t *edits = NULL;
    if (fr != FMT_DONE) {
        *err = fr == FMT_SYNTAX_ERROR ? "the plan does not parse: fix its syntax errors first"
                                      : "the formatter would change the plan's meaning";
    } else {
        edits = json_array();
        if (out.len != d->text.len || memcmp(out.data ? out.data : "", t, out.len) != 0) {
            int l, c;
            text_end(t, d->text.len, &l, &c);
            json_array_append_new(edits, json_pack("{s:o,s:s}", "range", ls_range_raw(0, 0, l, c),
                                                   "newText", buf_cstr(&out)));
        }
    }
    buf_free(&out);
    diag_free(&dg);
    source_free(src);
    return edits;
}

/* ---- quick fixes ---- */

static bool overlaps(const LsFix *f, int l0, int c0, int l1, int c1)
{
    if (f->end_line < l0 || (f->end_line == l0 && f->end_col < c0))
        return false;
    return !(f->line > l1 || (f->line == l1 && f->col > c1));
}

/* The edit replacing the fix's word inside its range of text t. */
static json_t *fix_edit(const LsDoc *d, const LsFix *f)
{
    const char *t = buf_cstr((Buf *)&d->text);
    size_t a = ls_offset(t, d->text.len, f->line, f->col);
    size_t b = ls_offset(t, d->text.len, f->end_line, f->end_col);
    size_t wl = strlen(f->word);
    for (size_t i = a; i + wl <= b && wl; i++)
        if (memcmp(t + i, f->word, wl) == 0) {
            size_t ls = i;
            while (ls > 0 && t[ls - 1] != '\n')
                ls--;
            int c0 = ls_utf16(t + ls, i - ls, (int)utf8_count(t + ls, i - ls));
            int c1 = c0 + ls_utf16(f->word, wl, (int)utf8_count(f->word, wl));
            return json_pack("{s:o,s:s}", "range", ls_range_raw(f->line + 0, c0, f->line, c1),
                             "newText", f->suggestion);
        }
    return NULL;
}

json_t *ls_code_actions(LsServer *sv, LsDoc *d, json_t *params)
{
    json_t *out = json_array();
    int l0, c0, l1, c1;
    ls_analyse(sv, d);
    if (json_unpack(params, "{s:{s:{s:i,s:i},s:{s:i,s:i}}}", "range", "start", "line", &l0,
                    "character", &c0, "end", "line", &l1, "character", &c1) != 0)
        return out;
    for (size_t i = 0; i < d->nfixes; i++) {
        const LsFix *f = &d->fixes[i];
        json_t *e = f->line == f->end_line && overlaps(f, l0, c0, l1, c1) ? fix_edit(d, f) : NULL;
        if (!e)
            continue;
        Buf title = {0};
        buf_printf(&title, "Replace '%s' with '%s'", f->word, f->suggestion);
        json_t *changes = json_object();
        json_object_set_new(changes, d->uri, json_pack("[o]", e));
        json_array_append_new(out,
                              json_pack("{s:s,s:s,s:[O],s:b,s:{s:o}}", "title", buf_cstr(&title),
                                        "kind", "quickfix", "diagnostics", f->diag, "isPreferred",
                                        1, "edit", "changes", changes));
        buf_free(&title);
    }
    return out;
}
