/* program.c -- loading a plan and its imports.  It reads files only where
 * a plan may look (its own directory, --allow-path, $SALESPLAN_PATH for
 * imports), detects import cycles and bounds import depth.  It parses;
 * it never checks or evaluates a statement. */
#include "load/load.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load/stdlib_mods.h"
#include "model/model.h"
#include "syntax/syntax.h"

Program *prog_new(Diags *d)
{
    Program *p = xcalloc(1, sizeof *p);
    p->diags = d;
    return p;
}

void prog_allow_path(Program *p, const char *dir)
{
    char *real = realpath(dir, NULL);
    if (!real)
        return;
    p->allow = xrealloc(p->allow, (size_t)(p->nallow + 1) * sizeof *p->allow);
    p->allow[p->nallow++] = real;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

/* Reads a whole file from f (closed here); NULL with errno set on failure. */
static char *read_stream(FILE *f, size_t *len, bool *too_big)
{
    *too_big = false;
    Buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > PROG_MAX_FILE_BYTES) {
            *too_big = true;
            break;
        }
        buf_put(&b, chunk, n);
    }
    int err = ferror(f) ? errno : 0;
    fclose(f);
    if (err || *too_big) {
        buf_free(&b);
        errno = err ? err : EFBIG;
        return NULL;
    }
    *len = b.len;
    return b.data ? b.data : xstrdup("");
}

/* Reads the main plan (the file the user named: any kind of file). */
static char *read_file(Program *p, const char *path, size_t *len, bool *too_big)
{
    *too_big = false;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    file_ids_add_fd(&p->files, fileno(f));
    return read_stream(f, len, too_big);
}

/* Reads the file open at fd (taken over). */
static char *read_fd(int fd, size_t *len, bool *too_big)
{
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        int e = errno;
        close(fd);
        errno = e;
        *too_big = false;
        return NULL;
    }
    return read_stream(f, len, too_big);
}

static Unit *add_unit(Program *p, const char *name, const char *dir, const char *text, size_t len)
{
    Unit *u = xcalloc(1, sizeof *u);
    u->src = source_new(name, dir, text, len, p->nunits++);
    if (p->last_unit)
        p->last_unit->next = u;
    else
        p->units = u;
    p->last_unit = u;
    return u;
}

/* A path is inside dir when dir is a prefix ending at a '/' boundary. */
static bool inside(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0' || n == 1);
}

/* The directory a plan may read (its own, an --allow-path one) that path
 * is in, or NULL. */
static const char *base_of(const Program *p, const char *path)
{
    if (p->root && inside(path, p->root))
        return p->root;
    for (int i = 0; i < p->nallow; i++)
        if (inside(path, p->allow[i]))
            return p->allow[i];
    return NULL;
}

static bool allowed(const Program *p, const char *real)
{
    return base_of(p, real) != NULL;
}

/* Opens abs (an absolute path below base, which is a real path) beneath
 * base: no symbolic link or '..' leads out of it on the way. */
static int open_under(const char *base, const char *abs, FileWhy *why)
{
    *why = (FileWhy){0};
    const char *rel = abs + strlen(base);
    while (*rel == '/')
        rel++;
    if (!*rel) {
        why->err = EISDIR;
        return -1;
    }
    int dfd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        why->err = errno;
        return -1;
    }
    int fd = file_open_read(dfd, rel, true, why);
    close(dfd);
    return fd;
}

/* Opens rel (a path without '..' above its start) in the directory dir,
 * beneath the directory a plan may read that holds dir; when a symbolic
 * link leads out of that one, beneath the one it leads into, if any. */
static int open_allowed(Program *p, const char *dir, const char *rel, FileWhy *why)
{
    *why = (FileWhy){0};
    char *rdir = realpath(dir, NULL);
    if (!rdir) {
        why->err = errno;
        return -1;
    }
    Buf b = {0};
    buf_printf(&b, "%s/%s", rdir, rel);
    const char *base = base_of(p, rdir);
    int fd = base ? open_under(base, buf_cstr(&b), why) : -1;
    if (!base)
        why->outside = true;
    if (fd < 0 && why->outside && !why->link) { /* a link into an --allow-path directory */
        char *real = realpath(buf_cstr(&b), NULL);
        const char *other = real ? base_of(p, real) : NULL;
        if (other)
            fd = open_under(other, real, why);
        free(real);
    }
    buf_free(&b);
    free(rdir);
    if (fd >= 0)
        file_ids_add_fd(&p->files, fd);
    return fd;
}

/* Rejects absolute paths and paths whose '..' climbs above their start. */
static const char *lexical_escape(const char *path)
{
    if (path[0] == '/')
        return "absolute paths are not allowed in a plan";
    if (path[0] == '\0')
        return "the path is empty";
    int depth = 0;
    const char *s = path;
    while (*s) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 2 && s[0] == '.' && s[1] == '.')
            depth--;
        else if (n > 0 && !(n == 1 && s[0] == '.'))
            depth++;
        if (depth < 0)
            return "the path leaves the plan's directory";
        s += n;
        if (*s == '/')
            s++;
    }
    return NULL;
}

/* Reports why the data file of pn could not be opened. */
static void open_error(Program *p, const Node *pn, const FileWhy *why)
{
    if (why->outside) {
        diag_error(p->diags, pn->loc, "cannot use '%s': %s", pn->str, file_why_text(why));
        diag_note_plain(p->diags, "a symbolic link may point elsewhere; use --allow-path DIR");
        return;
    }
    if (why->kind) {
        diag_error(p->diags, pn->loc, "cannot read '%s': %s", pn->str, file_why_text(why));
        diag_note_plain(p->diags, "a data file must be a regular file");
    } else {
        diag_error(p->diags, pn->loc, "cannot open '%s': %s", pn->str, file_why_text(why));
    }
    p->data_error = true;
}

int prog_open_data(Program *p, const Node *pn, char **path)
{
    const char *escape = lexical_escape(pn->str);
    if (escape) {
        diag_error(p->diags, pn->loc, "cannot use '%s': %s", pn->str, escape);
        diag_note_plain(p->diags, "data files are named relative to the plan, inside its directory "
                                  "(or a directory given with --allow-path)");
        return -1;
    }
    if (p->no_files || !pn->loc.src->dir) {
        diag_error(p->diags, pn->loc, "cannot read '%s': no file access here", pn->str);
        return -1;
    }
    FileWhy why;
    int fd = open_allowed(p, pn->loc.src->dir, pn->str, &why);
    if (fd < 0) {
        open_error(p, pn, &why);
        return -1;
    }
    if (path) {
        Buf b = {0};
        buf_printf(&b, "%s/%s", pn->loc.src->dir, pn->str);
        *path = b.data;
    }
    return fd;
}

static Unit *parse_unit(Program *p, Unit *u)
{
    int nerr = 0;
    u->items = ast_parse(u->src, &u->arena, p->diags, &nerr);
    p->syntax_errors += nerr;
    return u;
}

static void load_imports(Program *p, Unit *u, int depth, const char **stack);

static bool on_stack(const char **stack, int depth, const char *key)
{
    for (int i = 0; i < depth; i++)
        if (strcmp(stack[i], key) == 0)
            return true;
    return false;
}

static Unit *find_loaded(Program *p, const char *key)
{
    for (Unit *u = p->units; u; u = u->next)
        if (u->realpath && strcmp(u->realpath, key) == 0)
            return u;
    return NULL;
}

static const char *shown_name(Program *p, const char *key)
{
    Unit *u = find_loaded(p, key);
    return u ? u->src->name : key;
}

static void cycle_error(Program *p, const Node *imp, const char **stack, int depth, const char *key)
{
    diag_error(p->diags, imp->loc, "import cycle: '%s' is already being imported", imp->str);
    Buf b = {0};
    bool started = false;
    for (int i = 0; i < depth; i++) {
        if (strcmp(stack[i], key) == 0)
            started = true;
        if (started)
            buf_printf(&b, "%s -> ", shown_name(p, stack[i]));
    }
    buf_puts(&b, shown_name(p, key));
    diag_note_plain(p->diags, "the cycle: %s", buf_cstr(&b));
    buf_free(&b);
}

/* In the import functions, depth is the importing file's depth:
 * stack[0..depth] holds the files being loaded. */
static void load_std(Program *p, const Node *imp, const StdModule *m, int depth, const char **stack)
{
    char key[256];
    snprintf(key, sizeof key, "<std>/%s", m->name);
    if (on_stack(stack, depth + 1, key)) {
        cycle_error(p, imp, stack, depth + 1, key);
        return;
    }
    if (find_loaded(p, key))
        return;
    Unit *u = add_unit(p, key, NULL, m->text, m->len);
    u->is_std = true;
    u->realpath = xstrdup(key);
    parse_unit(p, u);
    load_imports(p, u, depth + 1, stack);
}

static void import_std(Program *p, const Node *imp, int depth, const char **stack)
{
    const char *mod = imp->str + 4;
    for (const StdModule *m = std_modules; m->name; m++)
        if (strcmp(m->name, mod) == 0) {
            load_std(p, imp, m, depth, stack);
            return;
        }
    diag_error(p->diags, imp->loc, "no standard module '%s'", imp->str);
    Buf b = {0};
    for (const StdModule *m = std_modules; m->name; m++)
        buf_printf(&b, "%sstd/%s", b.len ? ", " : "", m->name);
    diag_note_plain(p->diags, "the standard library has: %s", buf_cstr(&b));
    buf_free(&b);
}

/* The import relative to the importing file, when it resolves inside the
 * directories a plan may read (*outside when it resolves elsewhere). */
static char *find_relative(Program *p, const Unit *from, const Node *imp, bool *outside)
{
    if (!from->src->dir || lexical_escape(imp->str))
        return NULL;
    Buf b = {0};
    buf_printf(&b, "%s/%s", from->src->dir, imp->str);
    char *real = realpath(buf_cstr(&b), NULL);
    buf_free(&b);
    if (real && allowed(p, real))
        return real;
    if (real)
        *outside = true;
    free(real);
    return NULL;
}

/* dir/path, when it exists inside dir (no symbolic link out of it);
 * *root gets dir's real path (malloc'd). */
static char *inside_dir(const char *dir, const char *path, char **root)
{
    Buf b = {0};
    buf_printf(&b, "%s/%s", dir, path);
    char *real = realpath(buf_cstr(&b), NULL);
    *root = realpath(dir, NULL);
    buf_free(&b);
    if (!real || !*root || !inside(real, *root)) {
        free(real);
        free(*root);
        *root = real = NULL;
    }
    return real;
}

static char *find_on_path(const Node *imp, char **base)
{
    const char *env = getenv("SALESPLAN_PATH");
    if (!env || lexical_escape(imp->str))
        return NULL;
    char *copy = xstrdup(env), *save = NULL, *real = NULL;
    for (char *dir = strtok_r(copy, ":", &save); dir && !real; dir = strtok_r(NULL, ":", &save))
        real = inside_dir(dir, imp->str, base);
    free(copy);
    return real;
}

/* Finds an import: relative to the importing file, then $SALESPLAN_PATH;
 * *base gets the directory it is to be opened beneath (malloc'd). */
static char *find_import(Program *p, const Unit *from, const Node *imp, bool *from_env,
                         bool *outside, char **base)
{
    *from_env = false;
    *outside = false;
    *base = NULL;
    char *real = find_relative(p, from, imp, outside);
    if (real) {
        *base = xstrdup(base_of(p, real));
        return real;
    }
    real = find_on_path(imp, base);
    *from_env = real != NULL;
    return real;
}

static void import_not_found(Program *p, const Node *imp, bool outside)
{
    const char *why = lexical_escape(imp->str);
    if (why) {
        diag_error(p->diags, imp->loc, "cannot import '%s': %s", imp->str, why);
    } else if (outside) {
        diag_error(p->diags, imp->loc,
                   "cannot import '%s': it resolves outside the plan's directory", imp->str);
        diag_note_plain(p->diags, "a symbolic link may point elsewhere; use --allow-path DIR");
    } else {
        diag_error(p->diags, imp->loc, "cannot import '%s': no such file", imp->str);
        diag_note_plain(p->diags, "imports are found relative to the importing file, then along "
                                  "$SALESPLAN_PATH; the standard library is 'std/NAME'");
        p->data_error = true;
    }
}

/* The name an import is shown by: relative to the main plan, as the user
 * would name it. */
static char *import_name(const Unit *from, const Node *imp, const char *real, bool from_env)
{
    Buf name = {0};
    char *shown_dir = dir_of(from->src->name);
    if (from_env)
        buf_puts(&name, real);
    else if (strcmp(shown_dir, ".") != 0 && !from->is_std)
        buf_printf(&name, "%s/%s", shown_dir, imp->str);
    else
        buf_puts(&name, imp->str);
    free(shown_dir);
    char *s = xstrdup(buf_cstr(&name));
    buf_free(&name);
    return s;
}

/* Reads the file real (the unit takes it over), opened beneath base, as
 * name, then its imports. */
static void load_import(Program *p, const Node *imp, char *real, const char *base, const char *name,
                        int depth, const char **stack)
{
    size_t len;
    bool too_big = false;
    FileWhy why;
    int fd = open_under(base, real, &why);
    if (fd >= 0)
        file_ids_add_fd(&p->files, fd);
    char *text = fd >= 0 ? read_fd(fd, &len, &too_big) : NULL;
    if (!text) {
        diag_error(p->diags, imp->loc, "cannot import '%s': %s", imp->str,
                   too_big  ? "file too large"
                   : fd < 0 ? file_why_text(&why)
                            : strerror(errno));
        if (why.kind)
            diag_note_plain(p->diags, "an imported plan must be a regular file");
        p->data_error = true;
        free(real);
        return;
    }
    char *dir = dir_of(real);
    Unit *u = add_unit(p, name, dir, text, len);
    u->realpath = real;
    free(dir);
    free(text);
    parse_unit(p, u);
    load_imports(p, u, depth + 1, stack);
}

static void import_file(Program *p, Unit *from, const Node *imp, int depth, const char **stack)
{
    if (p->no_files) {
        diag_error(p->diags, imp->loc, "cannot import '%s': no file access here", imp->str);
        return;
    }
    bool from_env, outside;
    char *base, *real = find_import(p, from, imp, &from_env, &outside, &base);
    if (!real) {
        import_not_found(p, imp, outside);
        return;
    }
    if (on_stack(stack, depth + 1, real)) {
        cycle_error(p, imp, stack, depth + 1, real);
        free(real);
    } else if (find_loaded(p, real)) {
        free(real);
    } else {
        char *name = import_name(from, imp, real, from_env);
        load_import(p, imp, real, base, name, depth, stack);
        free(name);
    }
    free(base);
}

static void load_imports(Program *p, Unit *u, int depth, const char **stack)
{
    if (depth >= PROG_MAX_IMPORT_DEPTH) {
        for (Node *n = u->items; n; n = n->next)
            if (n->kind == N_IMPORT) {
                diag_error(p->diags, n->loc, "imports nested more than %d deep",
                           PROG_MAX_IMPORT_DEPTH);
                return;
            }
        return;
    }
    stack[depth] = u->realpath ? u->realpath : u->src->name;
    for (Node *n = u->items; n; n = n->next) {
        if (n->kind != N_IMPORT)
            continue;
        if (strncmp(n->str, "std/", 4) == 0)
            import_std(p, n, depth, stack);
        else
            import_file(p, u, n, depth, stack);
    }
}

static void load_main(Program *p, Unit *u)
{
    p->main = u;
    parse_unit(p, u);
    const char *stack[PROG_MAX_IMPORT_DEPTH + 2];
    load_imports(p, u, 0, stack);
}

bool prog_load_file(Program *p, const char *path)
{
    size_t len;
    bool too_big;
    char *text = read_file(p, path, &len, &too_big);
    if (!text) {
        diag_error(p->diags, (Loc){0}, "cannot read '%s': %s", path,
                   too_big ? "file too large (over 64 MiB)" : strerror(errno));
        p->data_error = true;
        return false;
    }
    char *dir = dir_of(path);
    p->root = realpath(dir, NULL);
    Unit *u = add_unit(p, path, dir, text, len);
    u->realpath = realpath(path, NULL);
    free(dir);
    free(text);
    load_main(p, u);
    return true;
}

void prog_load_text(Program *p, const char *name, const char *dir, const char *text, size_t len)
{
    if (dir)
        p->root = realpath(dir, NULL);
    else
        p->no_files = true;
    Unit *u = add_unit(p, name, dir, text, len);
    load_main(p, u);
}

Node *prog_parse_unit(Program *p, const char *name, const char *dir, const char *text, size_t len,
                      int first_line, Unit **unit)
{
    Unit *u = add_unit(p, name, dir, text, len);
    u->src->first_line = first_line;
    parse_unit(p, u);
    if (unit)
        *unit = u;
    return u->items;
}

void prog_load_new_imports(Program *p)
{
    const char *stack[PROG_MAX_IMPORT_DEPTH + 2];
    if (p->main)
        load_imports(p, p->main, 0, stack); /* those already loaded are skipped */
}

Node *prog_parse_extra(Program *p, const char *name, const char *text)
{
    Unit *u = add_unit(p, name, NULL, text, strlen(text));
    parse_unit(p, u);
    return u->items;
}

void prog_free(Program *p)
{
    if (!p)
        return;
    sym_free(p->sym);
    Unit *u = p->units;
    while (u) {
        Unit *next = u->next;
        arena_free(&u->arena);
        source_free(u->src);
        free(u->realpath);
        free(u);
        u = next;
    }
    for (int i = 0; i < p->nallow; i++)
        free((void *)p->allow[i]);
    free(p->allow);
    free(p->root);
    file_ids_free(&p->files);
    free(p);
}
