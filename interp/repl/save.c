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

/* The session's settings on the saved text of file, without what-ifs. */
static void saved_state(ReplState *vs, const ReplState *st, const char *file, const Buf *text)
{
    repl_state_copy(vs, st);
    repl_entries_truncate(vs, 0);
    repl_base_unref(vs->base);
    char *dir = repl_dir_of(file);
    vs->base = repl_base_new(file, dir, text->data ? text->data : "", text->len);
    free(dir);
}

/* Why w, the evaluation of the saved text (NULL: it did not check), is not
 * the session's plan; NULL when it is. */
static char *why_not_same(Repl *S, ReplWorld *w)
{
    if (!w)
        return xstrdup(S->quiet_msg ? S->quiet_msg : "it does not check");
    if (!session_check_all(&w->s)) { /* what check adds: every split tree, the plan's own actuals */
        repl_flush(S, &w->s.d);
        return xstrdup(S->quiet_msg ? S->quiet_msg : "it does not check");
    }
    if (!same_tables(S->world, w))
        return xstrdup("it would not show the same tables as the session (internal error)");
    return NULL;
}

/* Evaluates the text to be saved, quietly; NULL when it is fine, else why not. */
static char *verify(Repl *S, const char *file, const Buf *text)
{
    ReplState vs;
    saved_state(&vs, &S->st, file, text);
    free(S->quiet_msg);
    S->quiet_msg = NULL;
    S->quiet++;
    S->fresh = true; /* everything computed from the saved text alone */
    ReplWorld *w = repl_world_build(S, &vs, 0);
    S->fresh = false;
    char *why = why_not_same(S, w);
    repl_world_free(S, w);
    S->quiet--;
    repl_state_free(&vs);
    return why;
}

/* The plan with the what-ifs applied, formatted into out; NULL, or why not. */
static char *format_plan(Repl *S, const char *file, Buf *out)
{
    Buf plan = {0};
    repl_world_text(S->world, &S->st, &plan);
    Source *src = source_new(file, NULL, buf_cstr(&plan), plan.len, 0);
    Diags d = {0};
    char *why = NULL;
    if (fmt_plan(src, &d, out) != FMT_DONE) {
        repl_flush(S, &d);
        why = xstrdup("the plan text does not format (internal error)");
    }
    diag_free(&d);
    source_free(src);
    buf_free(&plan);
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
    Buf out = {0};
    char *why = format_plan(S, file, &out), *err = NULL;
    if (!why)
        why = verify(S, file, &out);
    int len = (int)utf8_count(file, strlen(file));
    if (why)
        repl_error_at(S, text, line, argcol, len, "not saved: %s", why);
    else if (render_write_atomic(file, out.data ? out.data : "", out.len, NULL, &err) < 0)
        repl_error_at(S, text, line, argcol, len, "not saved: %s", err);
    else
        fprintf(S->out, "saved %s: the plan with %d what-if%s\n", file, S->st.nw,
                S->st.nw == 1 ? "" : "s");
    free(err);
    free(why);
    buf_free(&out);
}
