/* save.c -- the REPL's :save FILE: the plan with the what-ifs applied,
 * in the canonical layout, written atomically.
 *
 * Before anything is written the saved text is evaluated again from FILE's
 * directory, as `salesplan check` and `salesplan run` of FILE would: it must
 * check (splits, examples, assertions, the plan's own actuals) and show
 * exactly the tables the session shows, cell for cell; otherwise nothing is
 * written and the reason is printed.
 *
 * The plan's file names (data files and imports, load/paths.c) are
 * relative to its folder: saved into another folder they are rewritten to
 * name the same files from there, or the save is refused when one would be
 * outside the new folder (a plan names no file above its own folder).
 *
 * A file that exists (or the plan file the session started from) is
 * overwritten only by :save! FILE, or after a yes at a terminal; without a
 * terminal :save refuses it, so a script never overwrites by mistake.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data/source.h"
#include "fmt/fmt.h"
#include "repl/repl_int.h"
#include "syntax/syntax.h"

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

/* The plan text formatted into out; NULL, or why not. */
static char *format_plan(Repl *S, const char *file, const Buf *plan, Buf *out)
{
    Source *src = source_new(file, NULL, buf_cstr((Buf *)plan), plan->len, 0);
    Diags d = {0};
    char *why = NULL;
    if (fmt_plan(src, &d, out) != FMT_DONE) {
        repl_flush(S, &d);
        why = xstrdup("the plan text does not format (internal error)");
    }
    diag_free(&d);
    source_free(src);
    return why;
}

/* ---- file names for another folder -------------------------------------------------------- */

/* Moving a plan's file names from the real directory from to the real
 * directory to. */
typedef struct {
    const char *from, *to;
    const char *shown_to; /* the new folder as the user named it */
    const char *text;     /* the plan text the nodes point into */
    Buf *out;             /* the text with the names rewritten */
    size_t pos;           /* how much of text is in out */
    char *why;            /* a name that cannot be moved, or NULL */
} Move;

/* from/path with "." and ".." taken out (malloc'd). */
static char *join_clean(const char *from, const char *path)
{
    Buf b = {0};
    buf_puts(&b, strcmp(from, "/") == 0 ? "" : from);
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            while (b.len && b.data[b.len - 1] != '/')
                b.len--;
            if (b.len)
                b.len--;
        } else if (n && !(n == 1 && p[0] == '.')) {
            buf_putc(&b, '/');
            buf_put(&b, p, n);
        }
        p += n + (p[n] == '/');
    }
    char *r = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return r;
}

/* path (relative to from) relative to to (malloc'd), or NULL when it is not inside to. */
static char *rebase(const char *from, const char *to, const char *path)
{
    char *abs = join_clean(from, path);
    size_t n = strcmp(to, "/") == 0 ? 0 : strlen(to);
    char *r = NULL;
    if (strncmp(abs, to, n) == 0 && abs[n] == '/' && abs[n + 1])
        r = xstrdup(abs + n + 1);
    free(abs);
    return r;
}

/* A file name as a string of the language. */
static void put_string(Buf *out, const char *s)
{
    buf_putc(out, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            buf_putc(out, '\\');
        buf_putc(out, *s);
    }
    buf_putc(out, '"');
}

/* An import found elsewhere ($SALESPLAN_PATH) keeps its name. */
static bool beside_plan(const Move *m, const char *path)
{
    char *abs = join_clean(m->from, path);
    bool here = access(abs, F_OK) == 0;
    free(abs);
    return here;
}

static void move_path(Node *path, bool import, void *ctx)
{
    Move *m = ctx;
    if (m->why || !src_is_file(path->str) || (import && !beside_plan(m, path->str)))
        return;
    char *moved = rebase(m->from, m->to, path->str);
    if (!moved) {
        Buf b = {0};
        buf_printf(&b, "the plan reads '%s', which is not inside '%s' (the new plan's folder)",
                   path->str, m->shown_to);
        m->why = b.data;
        return;
    }
    size_t start, end;
    ast_source_range(path, &start, &end);
    buf_put(m->out, m->text + m->pos, start - m->pos);
    put_string(m->out, moved);
    m->pos = end;
    free(moved);
}

/* The plan text with its file names rewritten to name the same files from
 * the directory of file; NULL, or why not (and *note: what to do). */
static char *move_paths(Repl *S, const char *file, const Buf *plan, Buf *out, char **note)
{
    const char *dir = S->st.base ? S->st.base->dir : NULL;
    char *to_dir = repl_dir_of(file), *from = dir ? realpath(dir, NULL) : NULL;
    char *to = realpath(to_dir, NULL), *why = NULL;
    if (!to) {
        Buf b = {0};
        buf_printf(&b, "cannot save into '%s': %s", to_dir, strerror(errno));
        why = b.data;
        *note = xstrdup(":save writes into a folder that exists: create it first");
    } else if (!from || strcmp(from, to) == 0) {
        buf_put(out, buf_cstr((Buf *)plan), plan->len);
    } else {
        Source *src = source_new(file, NULL, buf_cstr((Buf *)plan), plan->len, 0);
        Arena arena = {0};
        Diags d = {0};
        int nerr = 0;
        Move m = {from, to, to_dir, src->text, out, 0, NULL};
        prog_each_path(ast_parse(src, &arena, &d, &nerr), move_path, &m);
        buf_put(out, src->text + m.pos, src->len - m.pos);
        if ((why = m.why)) {
            Buf b = {0};
            buf_printf(&b,
                       "a plan names files only inside its own folder: save it where every "
                       "file it reads is inside the new plan's folder (such as '%s')",
                       dir);
            *note = b.data;
        }
        diag_free(&d);
        arena_free(&arena);
        source_free(src);
    }
    free(to_dir);
    free(from);
    free(to);
    return why;
}

/* dir/base of path with dir's real path (malloc'd); NULL when the directory
 * does not resolve. */
static char *real_name(const char *path)
{
    char *dir = repl_dir_of(path), *rdir = realpath(dir, NULL);
    const char *slash = strrchr(path, '/');
    Buf b = {0};
    if (rdir)
        buf_printf(&b, "%s/%s", rdir, slash ? slash + 1 : path);
    free(dir);
    free(rdir);
    return b.data;
}

/* Whether file is the plan file the session started from. */
static bool is_plan_file(const Repl *S, const char *file)
{
    const ReplBase *b = S->st.base;
    if (!b || !b->file)
        return false;
    char *x = real_name(b->file), *y = real_name(file);
    bool same = x && y && strcmp(x, y) == 0;
    free(x);
    free(y);
    return same;
}

/* :save onto an existing file (or the session's plan file): whether to
 * write it.  At a terminal the answer to a question; otherwise no, after an
 * error that names :save!. */
static bool may_overwrite(Repl *S, const char *text, int line, const char *file, int argcol)
{
    struct stat st;
    bool own = is_plan_file(S, file);
    if (!own && lstat(file, &st) != 0)
        return true;
    if (S->interactive) {
        Buf q = {0};
        buf_printf(&q, "%s '%s'%s? (y/N) ", repl_zh(S) ? "覆盖" : "overwrite", file,
                   own ? (repl_zh(S) ? "（会话所用的计划文件）" : ", the session's plan file")
                       : "");
        bool yes = repl_input_confirm(buf_cstr(&q));
        buf_free(&q);
        if (!yes)
            repl_say(S, repl_zh(S) ? "未保存：%s 未改动\n" : "not saved: %s is left as it was\n",
                     file);
        return yes;
    }
    Buf note = {0};
    buf_printf(&note, "':save! %s' overwrites it", file);
    repl_error_note_at(S, text, line, argcol, (int)utf8_count(file, strlen(file)), buf_cstr(&note),
                       "not saved: '%s' %s", file, own ? "is the session's plan file" : "exists");
    buf_free(&note);
    return false;
}

/* The text to save, its file names moved to file's directory, formatted
 * and checked from there, into out; NULL, or why not (and *note). */
static char *saved_text(Repl *S, const char *file, Buf *out, char **note)
{
    Buf plan = {0}, moved = {0};
    repl_world_text(S->world, &S->st, &plan);
    char *why = move_paths(S, file, &plan, &moved, note);
    if (!why)
        why = format_plan(S, file, &moved, out);
    if (!why)
        why = verify(S, file, out);
    buf_free(&plan);
    buf_free(&moved);
    return why;
}

void repl_cmd_save(Repl *S, const char *text, int line, const char *file, int argcol, bool force)
{
    int col = 1, len = force ? 6 : 5;
    if (!*file) {
        repl_error_at(S, text, line, col, len, ":save%s needs a file name", force ? "!" : "");
        return;
    }
    len = (int)utf8_count(file, strlen(file));
    if (!S->world) {
        repl_error_at(S, text, line, argcol, len, "nothing to save: the plan does not check");
        return;
    }
    Buf out = {0};
    char *note = NULL, *why = saved_text(S, file, &out, &note), *err = NULL;
    bool go = !why && (force || may_overwrite(S, text, line, file, argcol));
    if (why)
        repl_error_note_at(S, text, line, argcol, len, note, "not saved: %s", why);
    else if (go && render_write_atomic(file, out.data ? out.data : "", out.len, NULL, &err) < 0)
        repl_error_at(S, text, line, argcol, len, "not saved: %s", err);
    else if (go)
        fprintf(S->out, "saved %s: the plan with %d what-if%s\n", file, S->st.nw,
                S->st.nw == 1 ? "" : "s");
    free(err);
    free(why);
    free(note);
    buf_free(&out);
}
