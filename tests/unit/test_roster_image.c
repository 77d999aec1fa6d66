/* test_roster_image.c -- rosters kept across checks (check/check.h:
 * RosterImages), as the REPL keeps them between what-ifs.
 *
 * A plan reading a roster is checked twice with one RosterImages: the
 * second check makes the members from the image, and they must be the
 * members the first read made (names, levels, parents, positions,
 * attributes, the name tables), owned by the second Program alone.  The
 * image must not be used when the file changed (even with its size and
 * modification time put back), when the declaration changed, when the
 * read gave a diagnostic, or when the file changed during the read; an
 * edited file's image replaces the old one; a file that cannot be opened
 * any more is reported once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tmpdir.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check/check_int.h"


static int setup(void **state)
{
    (void)state;
    return tmpdir_make("test_roster_image");
}

static int teardown(void **state)
{
    (void)state;
    return tmpdir_remove();
}

#define ROSTER                                                                                     \
    "region,team,rep,base_salary,start\n"                                                          \
    "华东,t1,张伟,8000,\n"                                                                         \
    "华东,t1,li_na,9000,2027-05\n"                                                                 \
    "华东,t2,wang,7000,\n"                                                                         \
    "north,t3,zhao,6500,2027-09\n"

#define DECL "dimension org levels region > team > rep from \"roster.csv\"\n"
#define REST "metric revenue money\ntarget revenue = 1000\nsplit revenue by rep equally\n"

typedef struct {
    Diags d;
    Program *p;
} T;

static T *check(RosterImages *ri, const char *decl)
{
    T *t = calloc(1, sizeof *t);
    assert_non_null(t);
    t->p = prog_new(&t->d);
    char text[4096];
    snprintf(text, sizeof text, "plan \"t\" { year = 2027  start = feb }\n%s%s", decl, REST);
    prog_load_text(t->p, "t.plan", tmpdir, text, strlen(text));
    t->p->rosters = ri;
    check_program(t->p);
    return t;
}

static void done(T *t)
{
    prog_free(t->p);
    diag_free(&t->d);
    free(t);
}

static const Dim *org(const T *t)
{
    for (int i = 0; i < t->p->sym->ndims; i++)
        if (strcmp(t->p->sym->dims[i]->name, "org") == 0)
            return t->p->sym->dims[i];
    fail_msg("no dimension org");
    return NULL;
}

static void counts(const RosterImages *ri, long hits, long misses)
{
    long h, m;
    int n;
    roster_images_counts(ri, &h, &m, &n);
    assert_int_equal(h, hits);
    assert_int_equal(m, misses);
    assert_true(n <= ROSTER_IMAGES_MAX);
}

static int images(const RosterImages *ri)
{
    long h, m;
    int n;
    roster_images_counts(ri, &h, &m, &n);
    return n;
}

/* Two name tables with the same names in the same slots (what walks a
 * table's slots, such as the REPL's completion, sees them in one order). */
static void same_slots(const StrMap *a, const StrMap *b)
{
    assert_int_equal(a->cap, b->cap);
    assert_int_equal(a->count, b->count);
    for (size_t i = 0; i < a->count; i++)
        assert_string_equal(a->slots[i].key, b->slots[i].key);
    if (a->cap)
        assert_memory_equal(a->index, b->index, a->cap * sizeof *a->index);
}

/* The members of b are a's, made anew: same everything, no pointer shared. */
static void same_members(const T *ta, const T *tb)
{
    const Dim *a = org(ta), *b = org(tb);
    assert_int_equal(a->nmembers, b->nmembers);
    assert_int_equal(a->by_name.count, b->by_name.count);
    for (size_t i = 0; i < a->nmembers; i++) {
        const Member *x = a->members[i], *y = b->members[i];
        assert_ptr_not_equal(x, y);
        assert_string_equal(x->name, y->name);
        assert_ptr_not_equal(x->name, y->name);
        assert_ptr_equal(y->dim, b);
        assert_int_equal(x->depth, y->depth);
        assert_int_equal(x->gindex, y->gindex);
        assert_int_equal(x->index, y->index);
        assert_int_equal(x->active_from, y->active_from);
        assert_int_equal(x->active_to, y->active_to);
        assert_true(x->parent ? y->parent && y->parent == b->members[x->parent->gindex]
                              : !y->parent);
        assert_ptr_equal(y->loc.src, tb->p->main->src); /* the new plan's `from` */
        assert_int_equal(x->nattrs, y->nattrs);
        for (int k = 0; k < x->nattrs; k++) {
            assert_string_equal(x->attrs[k].name, y->attrs[k].name);
            assert_string_equal(x->attrs[k].text, y->attrs[k].text);
            assert_null(y->attrs[k].value);
            assert_ptr_equal(y->attrs[k].loc.src, tb->p->main->src);
        }
        assert_ptr_equal(strmap_get(&b->by_name, x->name), y);
        assert_ptr_equal(sym_member(tb->p->sym, x->name), y);
    }
    same_slots(&a->by_name, &b->by_name);
    same_slots(&a->attr_names, &b->attr_names);
    const Attr *sa = strmap_get(&a->attr_names, "base_salary"),
               *sb = strmap_get(&b->attr_names, "base_salary");
    assert_non_null(sa);
    assert_non_null(sb);
    assert_string_equal(sa->text, sb->text);
    assert_ptr_equal(sb->loc.src, tb->p->main->src);
    assert_non_null(strmap_get(&b->attr_names, "start"));
}

static void test_second_check_makes_the_same_members(void **state)
{
    (void)state;
    tmpdir_write("roster.csv", ROSTER);
    RosterImages *ri = roster_images_new();
    T *a = check(ri, DECL);
    assert_int_equal(a->d.nerrors + a->d.nwarnings, 0);
    counts(ri, 0, 1);
    T *b = check(ri, DECL);
    assert_int_equal(b->d.nerrors + b->d.nwarnings, 0);
    counts(ri, 1, 1);
    same_members(a, b);
    T *c = check(NULL, DECL); /* no images: read as ever */
    same_members(c, b);
    done(a); /* b owns its members: still whole after a and the images go */
    roster_images_free(ri);
    done(c);
    const Member *m = strmap_get(&org(b)->by_name, "li_na");
    assert_non_null(m);
    assert_string_equal(m->parent->name, "t1");
    assert_string_equal(m->parent->parent->name, "华东");
    assert_int_equal(m->active_from, 202705);
    done(b);
}

static void test_changed_file_is_read_again(void **state)
{
    (void)state;
    tmpdir_write("roster.csv", ROSTER);
    RosterImages *ri = roster_images_new();
    done(check(ri, DECL));
    tmpdir_write("roster.csv", ROSTER "north,t3,qian,6600,\n");
    T *t = check(ri, DECL);
    counts(ri, 0, 2);
    assert_non_null(strmap_get(&org(t)->by_name, "qian"));
    done(t);
    t = check(ri, DECL); /* the new file's image */
    counts(ri, 1, 2);
    assert_non_null(strmap_get(&org(t)->by_name, "qian"));
    done(t);

    /* the same size and modification time, other text: the status change
     * time still tells */
    char path[512];
    snprintf(path, sizeof path, "%s/roster.csv", tmpdir);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    tmpdir_write("roster.csv", ROSTER "north,t3,sunn,6600,\n");
    struct timespec times[2] = {st.st_atim, st.st_mtim};
    assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
    t = check(ri, DECL);
    counts(ri, 1, 3);
    assert_null(strmap_get(&org(t)->by_name, "qian"));
    assert_non_null(strmap_get(&org(t)->by_name, "sunn"));
    done(t);
    assert_int_equal(images(ri), 1); /* each new file's image replaced the last */
    roster_images_free(ri);
}

static void test_changed_declaration_is_read_again(void **state)
{
    (void)state;
    tmpdir_write("roster.csv", ROSTER);
    RosterImages *ri = roster_images_new();
    done(check(ri, DECL));
    T *t = check(ri, "dimension org levels region > team > rep from \"roster.csv\" "
                     "{ rep = rep }\n");
    counts(ri, 0, 2);
    assert_int_equal(t->d.nerrors, 0);
    done(t);
    assert_int_equal(images(ri), 2);
    /* many declarations: the oldest images go */
    for (int i = 0; i < ROSTER_IMAGES_MAX + 3; i++) {
        char decl[256];
        snprintf(decl, sizeof decl, "dimension org \"v%d\" levels region > team > rep "
                 "from \"roster.csv\"\n", i);
        done(check(ri, decl));
    }
    assert_int_equal(images(ri), ROSTER_IMAGES_MAX);
    roster_images_free(ri);
}

static void test_no_image_of_a_roster_with_diagnostics(void **state)
{
    (void)state;
    tmpdir_write("roster.csv", ROSTER "north,t3,zhao,6600,\n"); /* zhao twice */
    RosterImages *ri = roster_images_new();
    for (int i = 0; i < 3; i++) {
        T *t = check(ri, DECL);
        assert_int_equal(t->d.nerrors, 1); /* reported every time */
        done(t);
    }
    counts(ri, 0, 3);
    roster_images_free(ri);
}

static void test_missing_file_is_reported_once(void **state)
{
    (void)state;
    tmpdir_write("roster.csv", ROSTER);
    RosterImages *ri = roster_images_new();
    done(check(ri, DECL));
    char path[512];
    snprintf(path, sizeof path, "%s/roster.csv", tmpdir);
    assert_int_equal(unlink(path), 0);
    T *t = check(ri, DECL);
    assert_int_equal(t->d.nerrors, 1);
    assert_int_equal(org(t)->nmembers, 0);
    counts(ri, 0, 1);
    done(t);
    roster_images_free(ri);
}

/* The roster's dimension statement of a checked plan. */
static Node *dim_decl(T *t)
{
    for (Node *n = t->p->main->items; n; n = n->next)
        if (n->kind == N_DIMENSION)
            return n;
    fail_msg("no dimension statement");
    return NULL;
}

/* The key taken before the read, the file rewritten before the image is
 * taken: which bytes made the members is unknown, so none is kept. */
static void test_file_changed_during_the_read_is_not_kept(void **state)
{
    (void)state;
    for (int rewrite = 0; rewrite < 2; rewrite++) {
        tmpdir_write("roster.csv", ROSTER);
        T *t = check(NULL, DECL);
        RosterImages *ri = roster_images_new();
        t->p->rosters = ri;
        R r = {.p = t->p, .d = &t->d, .s = t->p->sym};
        RosterKey k;
        assert_int_equal(rs_roster_key(&r, dim_decl(t), &k), 0);
        assert_non_null(k.text);
        if (rewrite)
            tmpdir_write("roster.csv", ROSTER "north,t3,wu,6600,\n");
        rs_roster_keep(&r, &k, org(t));
        rs_roster_key_free(&k);
        assert_int_equal(images(ri), rewrite ? 0 : 1);
        t->p->rosters = NULL;
        roster_images_free(ri);
        done(t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_second_check_makes_the_same_members),
        cmocka_unit_test(test_changed_file_is_read_again),
        cmocka_unit_test(test_changed_declaration_is_read_again),
        cmocka_unit_test(test_no_image_of_a_roster_with_diagnostics),
        cmocka_unit_test(test_missing_file_is_reported_once),
        cmocka_unit_test(test_file_changed_during_the_read_is_not_kept),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
