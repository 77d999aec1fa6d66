/* commands.c -- the REPL's :commands: loading and reloading the plan, the
 * baseline, undo, listing, formats, actuals and the as-of month, reports
 * (:diff is in answers.c, :save in save.c).  Each command reads or
 * changes the Repl; evaluation is world.c's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repl/repl_int.h"

char *repl_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

char *repl_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    Buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= PROG_MAX_FILE_BYTES)
        buf_put(&b, chunk, n);
    int err = ferror(f) ? errno : b.len > PROG_MAX_FILE_BYTES ? EFBIG : 0;
    fclose(f);
    if (err) {
        buf_free(&b);
        errno = err;
        return NULL;
    }
    *len = b.len;
    return b.data ? b.data : xstrdup("");
}

/* ---- commands ----------------------------------------------------------------------------- */

static void cmd_help(Repl *S, const Cmd *c)
{
    (void)c;
    Buf u = {0};
    render_usage(&u, repl_usage);
    const char *h = strstr(buf_cstr(&u), "\nAn interactive"), *end = strstr(h, "\nexit status");
    fwrite(h + 1, 1, (size_t)(end - h), S->out);
    buf_free(&u);
}

/* Reads FILE into a new base, or reports why not; NULL then. */
static ReplBase *read_base(Repl *S, const Cmd *c, const char *file)
{
    size_t len = 0;
    char *text = repl_read_file(file, &len);
    if (!text) {
        repl_error_at(S, c->text, c->line, c->argcol, (int)strlen(c->arg), "cannot read '%s': %s",
                      file, errno == EFBIG ? "file too large (over 64 MiB)" : strerror(errno));
        return NULL;
    }
    char *dir = repl_dir_of(file);
    ReplBase *b = repl_base_new(file, dir, text, len);
    free(dir);
    free(text);
    return b;
}

static void cmd_load(Repl *S, const Cmd *c)
{
    if (!*c->arg) {
        repl_error_at(S, c->text, c->line, 1, 5, ":load needs a plan file");
        return;
    }
    ReplBase *b = read_base(S, c, c->arg);
    if (!b)
        return;
    ReplState next = {0};
    next.base = b;
    ReplWorld *w = repl_world_build(S, &next, -1);
    if (!w) {
        repl_say(S, repl_zh(S) ? "未加载：会话不变\n" : "not loaded: the session is unchanged\n");
        S->errors++;
        repl_state_free(&next);
        return;
    }
    repl_state_free(&S->st);
    S->st = next;
    S->st.what = xstrdup(":load");
    repl_world_free(S, S->world);
    S->world = w;
    repl_clear_undo(S);
    repl_set_baseline(S);
    if (repl_zh(S))
        repl_say(S, "已加载 %s：%d 张表\n", c->arg, w->l.n);
    else
        repl_say(S, "loaded %s: %d table%s\n", c->arg, w->l.n, w->l.n == 1 ? "" : "s");
}

/* Evaluates a state without printing its diagnostics (the first error is
 * in S->quiet_msg). */
static ReplWorld *quiet_build(Repl *S, const ReplState *st)
{
    free(S->quiet_msg);
    S->quiet_msg = NULL;
    S->quiet++;
    ReplWorld *w = repl_world_build(S, st, st->nw);
    S->quiet--;
    return w;
}

/* Adds entry e to keep if it still applies: then the new evaluation, else
 * w after saying that e is dropped. */
static ReplWorld *keep_entry(Repl *S, ReplState *keep, const ReplEntry *e, ReplWorld *w)
{
    repl_entry_add(keep, e->text, e->line, e->incentive, e->adds);
    ReplWorld *t = quiet_build(S, keep);
    if (t) {
        repl_world_free(S, w);
        return t;
    }
    char *what = repl_short_text(e->text);
    repl_say(S, "dropped the what-if of <repl>:%d (%s): %s\n", e->line, what,
             S->quiet_msg ? S->quiet_msg : "it no longer checks");
    free(what);
    repl_entries_truncate(keep, keep->nw - 1);
    return w;
}

/* Evaluates next with only the what-ifs that still apply, in order, and
 * makes them next's; NULL when the plan alone does not check. */
static ReplWorld *build_keeping(Repl *S, ReplState *next)
{
    ReplState keep;
    repl_state_copy(&keep, next);
    repl_entries_truncate(&keep, 0);
    ReplWorld *w = repl_world_build(S, &keep, 0);
    for (int i = 0; w && i < next->nw; i++)
        w = keep_entry(S, &keep, &next->w[i], w);
    repl_state_free(next);
    *next = keep;
    return w;
}

/* The session on a new base b (read from file), with the what-ifs that still apply. */
static void reload(Repl *S, ReplBase *b, const char *file)
{
    ReplState next;
    repl_state_copy(&next, &S->st);
    repl_base_unref(next.base);
    next.base = b;
    ReplWorld *w = quiet_build(S, &next);
    if (!w)
        w = build_keeping(S, &next);
    if (!w) {
        repl_say(S,
                 repl_zh(S) ? "%s 检查未通过：会话不变\n"
                            : "%s does not check: the session is unchanged\n",
                 file);
        S->errors++;
        repl_state_free(&next);
        return;
    }
    repl_say(S, repl_zh(S) ? "已重新加载 %s\n" : "reloaded %s\n", file);
    repl_commit(S, &next, w, ":reload");
}

/* :reload keeps the what-ifs that still apply, in order. */
static void cmd_reload(Repl *S, const Cmd *c)
{
    if (!S->st.base || !S->st.base->file) {
        repl_error_at(S, c->text, c->line, 1, 7, "there is no plan file to reload");
        return;
    }
    char *file = xstrdup(S->st.base->file);
    ReplBase *b = read_base(S, c, file);
    if (b)
        reload(S, b, file);
    free(file);
}

static void cmd_baseline(Repl *S, const Cmd *c)
{
    (void)c;
    repl_set_baseline(S);
    if (repl_zh(S))
        repl_say(S, "基线：含 %d 个假设的计划\n", S->st.nw);
    else
        repl_say(S, "baseline: the plan with %d what-if%s\n", S->st.nw, S->st.nw == 1 ? "" : "s");
}

static void cmd_undo(Repl *S, const Cmd *c)
{
    (void)c;
    if (!S->nundo) {
        repl_say(S, repl_zh(S) ? "没有可撤销的操作\n" : "nothing to undo\n");
        return;
    }
    ReplState *prev = &S->undo[S->nundo - 1];
    ReplWorld *w = prev->valid ? repl_world_build(S, prev, prev->nw) : NULL;
    if (!w && prev->valid) {
        repl_say(S, repl_zh(S) ? "无法撤销：之前的状态已不能通过检查\n"
                               : "cannot undo: the earlier state no longer checks\n");
        S->errors++;
        return;
    }
    S->nundo--;
    repl_say(S, repl_zh(S) ? "已撤销：%s\n" : "undone: %s\n",
             S->st.what   ? S->st.what
             : repl_zh(S) ? "上一次修改"
                          : "the last change");
    if (w && S->world)
        repl_say_changes(S, S->world, w);
    repl_state_free(&S->st);
    S->st = *prev;
    repl_world_free(S, S->world);
    S->world = w;
}

static void cmd_list(Repl *S, const Cmd *c)
{
    (void)c;
    if (!S->st.nw)
        repl_say(S,
                 repl_zh(S) ? "没有假设：计划与加载时相同\n" : "no what-ifs: the plan as loaded\n");
    for (int i = 0; i < S->st.nw; i++) {
        char *t = repl_short_text(S->st.w[i].text), how[300];
        if (S->world)
            repl_say(S, "<repl>:%d: %s  (%s)\n", S->st.w[i].line, t,
                     repl_entry_effect(S->world, i, how, sizeof how));
        else
            repl_say(S, "<repl>:%d: %s\n", S->st.w[i].line, t);
        free(t);
    }
}

static void cmd_format(Repl *S, const Cmd *c)
{
    const RenderFormat *f = *c->arg ? render_format(c->arg) : S->format;
    if (!f) {
        Buf names = {0};
        render_format_names(&names, ", ", " or ");
        repl_error_at(S, c->text, c->line, c->argcol, (int)strlen(c->arg),
                      "unknown format '%s' (expected %s)", c->arg, buf_cstr(&names));
        buf_free(&names);
        return;
    }
    if (f->binary) {
        repl_error_at(S, c->text, c->line, c->argcol, (int)strlen(c->arg),
                      "the REPL prints tables: %s is a file format (use 'salesplan run --format "
                      "%s -o FILE')",
                      f->name, f->name);
        return;
    }
    S->format = f;
    repl_say(S, "format: %s\n", f->name);
}

/* Splits the words of an argument (no quoting: file names without spaces). */
static int split_words(const char *arg, char ***out)
{
    int n = 0;
    *out = NULL;
    for (const char *p = arg; *p;) {
        p += strspn(p, " \t");
        size_t k = strcspn(p, " \t");
        if (!k)
            break;
        *out = xrealloc(*out, (size_t)(n + 1) * sizeof **out);
        (*out)[n++] = xstrndup(p, k);
        p += k;
    }
    return n;
}

/* Makes next, which changes a setting (cmd ":actuals", label "actuals") to
 * arg, the session's state: evaluated and committed, or while nothing is
 * evaluated only remembered. */
static void change_setting(Repl *S, ReplState *next, const char *cmd, const char *label,
                           const char *arg)
{
    if (!S->world) {
        repl_state_free(&S->st);
        S->st = *next;
        repl_say(S, "%s: %s\n", label, arg);
        return;
    }
    Buf what = {0};
    buf_printf(&what, "%s %s", cmd, arg);
    repl_apply_setting(S, next, buf_cstr(&what));
    buf_free(&what);
}

/* The files of :actuals CSV... (none: the plan's own) into st; false after
 * reporting one that cannot be read. */
static bool set_actuals(Repl *S, const Cmd *c, ReplState *st)
{
    for (int i = 0; i < st->nactuals; i++)
        free(st->actuals[i]);
    free(st->actuals);
    st->actuals = NULL;
    st->nactuals = 0;
    if (strcmp(c->arg, "none") == 0)
        return true;
    st->nactuals = split_words(c->arg, &st->actuals);
    for (int i = 0; i < st->nactuals; i++)
        if (access(st->actuals[i], R_OK) != 0) {
            repl_error_at(S, c->text, c->line, c->argcol, (int)strlen(c->arg),
                          "cannot read '%s': %s", st->actuals[i], strerror(errno));
            return false;
        }
    return true;
}

static void cmd_actuals(Repl *S, const Cmd *c)
{
    if (!*c->arg) {
        if (!S->st.nactuals)
            repl_say(S, "actuals: the plan's own\n");
        for (int i = 0; i < S->st.nactuals; i++)
            repl_say(S, "actuals: %s\n", S->st.actuals[i]);
        return;
    }
    ReplState next;
    repl_state_copy(&next, &S->st);
    if (strcmp(c->arg, "reload") == 0) { /* read the sources again, whatever their markers say */
        repl_actuals_unref(S->ra);
        S->ra = NULL;
        change_setting(S, &next, ":actuals", "actuals", c->arg);
        return;
    }
    if (set_actuals(S, c, &next))
        change_setting(S, &next, ":actuals", "actuals", c->arg);
    else
        repl_state_free(&next);
}

/* Whether :as-of's argument is a month, a day or a week (of the plan's
 * year, when a plan is evaluated); else reports it. */
static bool as_of_month(Repl *S, const Cmd *c)
{
    int y = 0, m = 0, day, wm, ww;
    char tail = 0;
    const Symbols *s = S->world ? S->world->s.p->sym : NULL;
    if (s && ms_parse_as_of(s, c->arg, &wm, &ww) == AS_OF_OK)
        return true;
    if (!s && ((sscanf(c->arg, "%4d-%2d%c", &y, &m, &tail) == 2 && m >= 1 && m <= 12) ||
               wk_parse_date(c->arg, strlen(c->arg), &day) || strchr(c->arg, 'W')))
        return true;
    if (s)
        repl_error_at(S, c->text, c->line, c->argcol, (int)strlen(c->arg),
                      "'%s' is not a month of FY%d (YYYY-MM, %s .. %s), nor one of its days "
                      "(YYYY-MM-DD) or weeks",
                      c->arg, s->year, ms_month_label(s, 0), ms_month_label(s, 11));
    else
        repl_error_at(S, c->text, c->line, c->argcol, (int)strlen(c->arg),
                      "'%s' is not a month (YYYY-MM), a day or a week", c->arg);
    return false;
}

static void cmd_as_of(Repl *S, const Cmd *c)
{
    if (!*c->arg) {
        repl_say(S, "as of: %s\n", S->st.as_of ? S->st.as_of : "the last month with actuals");
        return;
    }
    bool none = strcmp(c->arg, "none") == 0;
    if (!none && !as_of_month(S, c))
        return;
    ReplState next;
    repl_state_copy(&next, &S->st);
    free(next.as_of);
    next.as_of = none ? NULL : xstrdup(c->arg);
    change_setting(S, &next, ":as-of", "as of", c->arg);
}

static void cmd_report(Repl *S, const Cmd *c)
{
    if (!repl_need_world(S, c->text, c->line))
        return;
    int found = 0;
    for (Unit *u = S->world->s.p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next) {
            if (n->kind != N_REPORT)
                continue;
            if (!*c->arg)
                repl_say(S, "report \"%s\"\n", n->str);
            else if (strcmp(n->str, c->arg) == 0 && !found++)
                repl_print_shows(S, n->a, n->str, false);
            found += !*c->arg;
        }
    if (!found && *c->arg)
        repl_error_at(S, c->text, c->line, c->argcol, (int)strlen(c->arg),
                      "the plan has no report \"%s\"", c->arg);
    else if (!found)
        repl_say(S, "the plan has no reports\n");
}

/* What `salesplan run` of the plan prints: its reports and shows, or one
 * table per split metric and dimension (and the reviews with actuals). */
static void cmd_run(Repl *S, const Cmd *c)
{
    if (!repl_need_world(S, c->text, c->line))
        return;
    ReplWorld *w = S->world;
    ShowList l = {0};
    Arena *arena = &w->s.p->main->arena;
    session_plan_shows(w->s.p, &l);
    if (!l.n) {
        session_default_shows(w->s.p, &w->s.en, arena, &l);
        if (w->ra->act || S->st.as_of)
            session_review_shows(w->s.p, arena, &l);
    }
    Buf out = {0};
    bool color = S->interactive && term_color(1);
    int errors = w->s.d.nerrors;
    session_render_parts(w->s.p, &w->so, &w->s.en, &w->s.ms, &l, S->format, color, &out);
    if (w->s.d.nerrors > errors)
        S->errors++;
    repl_flush(S, &w->s.d);
    fwrite(buf_cstr(&out), 1, out.len, S->out);
    buf_free(&out);
    free(l.shows);
    free(l.titles);
}

static void cmd_diff(Repl *S, const Cmd *c)
{
    repl_cmd_diff(S, c->arg, c->argcol);
}
static void cmd_save(Repl *S, const Cmd *c)
{
    repl_cmd_save(S, c->text, c->line, c->arg, c->argcol, false);
}
static void cmd_save_over(Repl *S, const Cmd *c)
{
    repl_cmd_save(S, c->text, c->line, c->arg, c->argcol, true);
}
static void cmd_quit(Repl *S, const Cmd *c)
{
    (void)c;
    S->quit = true;
}

const ReplCommand repl_command_table[] = {
    {"help", cmd_help, RC_NONE, false, ":help", "this list"},
    {"load", cmd_load, RC_FILES, false, ":load FILE", "start over on a plan"},
    {"reload", cmd_reload, RC_NONE, false, ":reload",
     "re-read the file, keep the what-ifs that apply"},
    {"baseline", cmd_baseline, RC_NONE, false, ":baseline", "compare with now"},
    {"diff", cmd_diff, RC_NAMES, false, ":diff [SHOW]",
     "cells changed since the baseline: baseline, now, delta"},
    {"undo", cmd_undo, RC_NONE, false, ":undo",
     "take back the last change (what-if, :reload, :actuals, :as-of)"},
    {"save", cmd_save, RC_FILES, false, ":save FILE",
     "write the plan with the what-ifs applied, formatted"},
    {"save!", cmd_save_over, RC_FILES, false, ":save! FILE",
     "the same over an existing file (:save asks first, or refuses without a terminal)"},
    {"actuals", cmd_actuals, RC_FILES, false, ":actuals [CSV...|none|reload]",
     "actuals to use (none: the plan's own; reload: read them again)"},
    {"as-of", cmd_as_of, RC_NAMES, false, ":as-of [YYYY-MM|DAY|WEEK|none]",
     "review up to this month, day or week"},
    {"format", cmd_format, RC_FORMATS, false, ":format [FORMAT]", "how tables are printed"},
    {"list", cmd_list, RC_NONE, false, ":list", "the what-ifs applied"},
    {"report", cmd_report, RC_REPORTS, false, ":report [TITLE]",
     "print a report of the plan (no title: list them)"},
    {"run", cmd_run, RC_NONE, false, ":run", "every table `salesplan run` of the plan would print"},
    {"quit", cmd_quit, RC_NONE, false, ":quit", "leave (also Ctrl-D)"},
    {"q", cmd_quit, RC_NONE, true, ":q", "leave"},
    {"exit", cmd_quit, RC_NONE, true, ":exit", "leave"},
    {"h", cmd_help, RC_NONE, true, ":h", "this list"},
    {"?", cmd_help, RC_NONE, true, ":?", "this list"},
    {NULL, NULL, RC_NONE, false, NULL, NULL},
};

const ReplCommand *repl_find_command(const char *name)
{
    for (const ReplCommand *c = repl_command_table; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

/* The command nearest to a mistyped one, for "did you mean". */
static const char *nearest_command(const char *name)
{
    const char *best = NULL;
    int bd = 3;
    for (const ReplCommand *c = repl_command_table; c->name; c++) {
        int d = c->alias ? 3 : edit_distance(name, c->name, 2);
        if (d < bd) {
            bd = d;
            best = c->name;
        }
    }
    return best;
}

/* ':NAME' at column col of the entry is no command: says so, with a did-you-mean. */
static void unknown_command(Repl *S, const char *text, int line, int col, const char *name)
{
    const char *best = nearest_command(name);
    Buf hint = {0};
    if (best)
        buf_printf(&hint, " (did you mean ':%s'?)", best);
    else
        buf_puts(&hint, " (:help lists the commands)");
    repl_error_at(S, text, line, col, (int)utf8_count(name, strlen(name)) + 1,
                  "unknown command ':%s'%s", name, buf_cstr(&hint));
    buf_free(&hint);
}

/* The argument after the command word, without trailing white space (malloc'd). */
static char *command_arg(const char *a)
{
    char *arg = xstrdup(a);
    size_t al = strlen(arg);
    while (al && (arg[al - 1] == ' ' || arg[al - 1] == '\t' || arg[al - 1] == '\n'))
        arg[--al] = '\0';
    return arg;
}

void repl_command(Repl *S, const char *text, int line)
{
    const char *p = text + strspn(text, " \t");
    int col = (int)(p - text) + 1;
    p++; /* ':' */
    size_t n = strcspn(p, " \t\n");
    char *name = xstrndup(p, n);
    const char *a = p + n + strspn(p + n, " \t\n");
    char *arg = command_arg(a);
    Cmd c = {text, line, arg, (int)utf8_count(text, (size_t)(a - text)) + 1};
    const ReplCommand *e = repl_find_command(name);
    if (e)
        e->fn(S, &c);
    else
        unknown_command(S, text, line, col, name);
    free(name);
    free(arg);
}
