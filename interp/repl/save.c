/* save.c -- the REPL's :save FILE: the plan with the what-ifs applied,
 * in the canonical layout, written atomically.
 *
 * Before anything is written the saved text is evaluated again from FILE's
 * directory, as `salesplan check` and `salesplan run` of FILE would: it must
 * check (splits, examples, assertions, the plan's own actuals) and show
 * exactly the tables the session shows, cell for cell; otherwise nothing is
 * written and the reason is printed.
 */
#include <stdlib.h>
#include <string.h>

#include "fmt/fmt.h"
#include "repl/repl_int.h"

/* Whether w shows the same tables, with the same cells, as the session. */
static bool same_tables(const ReplWorld *a, const ReplWorld *b)
{
    if (a->l.n != b->l.n)
        return false;
    for (int i = 0; i < a->l.n; i++)
        if (strcmp(a->keys[i], b->keys[i]) != 0 || !render_grid_equal(a->grids[i], b->grids[i]))
            return false;
    return true;
}

/* Evaluates the text to be saved; NULL when it is fine, else why not. */
static char *verify(Repl *S, const char *file, const Buf *text)
{
    ReplState vs;
    repl_state_copy(&vs, &S->st);
    for (int i = 0; i < vs.nw; i++) {
        free(vs.w[i].text);
        free(vs.w[i].incentive);
    }
    vs.nw = 0;
    repl_base_unref(vs.base);
    char *dir = repl_dir_of(file);
    vs.base = repl_base_new(file, dir, text->data ? text->data : "", text->len);
    free(dir);
    free(S->quiet_msg);
    S->quiet_msg = NULL;
    S->quiet++;
    S->fresh = true; /* everything computed from the saved text alone */
    ReplWorld *w = repl_world_build(S, &vs, 0);
    S->fresh = false;
    char *why = NULL;
    if (w) { /* what check adds: every split tree, the plan's own actuals */
        if (!session_check_all(&w->s)) {
            repl_flush(S, &w->s.d);
            why = xstrdup(S->quiet_msg ? S->quiet_msg : "it does not check");
        } else if (!same_tables(S->world, w)) {
            why = xstrdup("it would not show the same tables as the session (internal error)");
        }
    } else {
        why = xstrdup(S->quiet_msg ? S->quiet_msg : "it does not check");
    }
    repl_world_free(S, w);
    S->quiet--;
    repl_state_free(&vs);
    return why;
}

void repl_cmd_save(Repl *S, const char *text, int line, const char *file, int argcol)
{
    if (!*file) {
        repl_error_at(S, text, line, 1, 5, ":save needs a file name");
        return;
    }
    if (!S->world) {
        repl_error_at(S, text, line, argcol, (int)strlen(file),
                      "nothing to save: the plan does not check");
        return;
    }
    Buf plan = {0}, out = {0};
    repl_world_text(S->world, &S->st, &plan);
    Source *src = source_new(file, NULL, buf_cstr(&plan), plan.len, 0);
    Diags d = {0};
    FmtResult r = fmt_plan(src, &d, &out);
    char *why = NULL;
    if (r != FMT_DONE) {
        repl_flush(S, &d);
        why = xstrdup("the plan text does not format (internal error)");
    }
    if (!why)
        why = verify(S, file, &out);
    char *err = NULL;
    if (why)
        repl_error_at(S, text, line, argcol, (int)utf8_count(file, strlen(file)), "not saved: %s",
                      why);
    else if (render_write_atomic(file, out.data ? out.data : "", out.len, &err) < 0)
        repl_error_at(S, text, line, argcol, (int)utf8_count(file, strlen(file)), "not saved: %s",
                      err);
    else
        fprintf(S->out, "saved %s: the plan with %d what-if%s\n", file, S->st.nw,
                S->st.nw == 1 ? "" : "s");
    free(err);
    free(why);
    diag_free(&d);
    source_free(src);
    buf_free(&plan);
    buf_free(&out);
}
