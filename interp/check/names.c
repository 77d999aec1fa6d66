/* names.c -- member names that hide or fake characters: a name from a
 * roster is put in NFC and refused for an invisible character, a bidi
 * control or mixed scripts (plan names are refused by the lexer); two
 * members of one dimension whose names have the same confusable skeleton
 * (base/ident.h), one of them not ASCII, are an error; and names that
 * tables print for something else (total, reserve, the periods) are
 * reserved.  It judges names; dimensions.c makes the members. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/ident.h"
#include "check/check_int.h"
#include "data/roster.h"

struct Lookalikes {
    const Dim *d;
    bool on;      /* a name that is not ASCII was seen: skeletons are kept */
    StrMap first; /* skeleton -> the first member with it */
    Arena arena;  /* the skeletons */
};

void rs_lookalikes_begin(R *r, const Dim *d)
{
    r->look = xcalloc(1, sizeof *r->look);
    r->look->d = d;
}

void rs_lookalikes_end(R *r)
{
    if (!r->look)
        return;
    strmap_free(&r->look->first);
    arena_free(&r->look->arena);
    free(r->look);
    r->look = NULL;
}

/* Keeps m's skeleton; the member that had it first, or NULL. */
static Member *remember(Lookalikes *lk, Member *m)
{
    char *sk = ident_skeleton(m->name);
    if (!sk)
        return NULL;
    Member *prev = strmap_get(&lk->first, sk);
    if (!prev)
        strmap_put(&lk->first, arena_strdup(&lk->arena, sk), m);
    free(sk);
    return prev;
}

/* "'рау' looks like 'pay': U+0440 ... where 'pay' has U+0070 ..." */
static void describe(Buf *b, const Member *m, const Member *prev)
{
    int32_t a, c;
    int at;
    char na[IDENT_CP_NAME_SZ], nb[IDENT_CP_NAME_SZ];
    ident_first_difference(m->name, prev->name, &a, &c, &at);
    buf_printf(b, "member '%s' of '%s' looks like '%s'", m->name, m->dim->name, prev->name);
    if (a && c)
        buf_printf(b, ": %s where '%s' has %s", ident_cp_name(a, true, na), prev->name,
                   ident_cp_name(c, true, nb));
}

bool rs_lookalike(R *r, Member *m, RosterReader *rr)
{
    Lookalikes *lk = r->look;
    if (!lk || (!lk->on && ident_ascii(m->name, strlen(m->name))))
        return true; /* ASCII names are compared only once another name is not */
    if (!lk->on) {
        lk->on = true;
        for (size_t i = 0; i < lk->d->nmembers && lk->d->members[i] != m; i++)
            remember(lk, lk->d->members[i]);
    }
    Member *prev = remember(lk, m);
    if (!prev || prev == m ||
        (ident_ascii(m->name, strlen(m->name)) && ident_ascii(prev->name, strlen(prev->name))))
        return true;
    Buf msg = {0};
    describe(&msg, m, prev);
    if (rr)
        roster_row_error(rr, "%s", buf_cstr(&msg));
    else
        diag_error(r->d, m->loc, "%s", buf_cstr(&msg));
    if (prev->loc.src && !rr)
        diag_note(r->d, prev->loc, "'%s' is declared here", prev->name);
    diag_note_plain(r->d, "names that look alike are mistaken for each other; rename one");
    buf_free(&msg);
    return false;
}

const char *rs_roster_name(R *r, RosterReader *rr, const char *level, const char *name, char **nfc)
{
    *nfc = ident_nfc(name, strlen(name));
    const char *s = *nfc ? *nfc : name;
    IdentProblem pb = ident_check(s);
    if (pb.fault == IDENT_OK)
        return s;
    char cp[IDENT_CP_NAME_SZ];
    roster_row_error(rr, "%s '%s' has %s: %s (character %d)", level, s, ident_fault_text(pb.fault),
                     ident_cp_name(pb.cp, pb.fault == IDENT_MIXED_SCRIPT, cp), pb.index + 1);
    diag_note_plain(r->d, "%s", ident_fault_hint(pb.fault));
    return NULL;
}

/* What tables print that a member name would collide with (compared
 * without case), or NULL. */
static const char *reserved_as(const char *name)
{
    static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                         "jul", "aug", "sep", "oct", "nov", "dec"};
    if (strnlen(name, 8) == 8 && name[0] != 'F' && name[0] != 'f')
        return NULL; /* longer than every word below but FY2027... (most names) */
    if (strcasecmp(name, "total") == 0)
        return "names the total row and column of tables";
    if (strcasecmp(name, "reserve") == 0)
        return "names the reserve row of tables";
    if ((name[0] == 'Q' || name[0] == 'q') && name[1] >= '1' && name[1] <= '4' && !name[2])
        return "names a quarter";
    if ((name[0] == 'H' || name[0] == 'h') && (name[1] == '1' || name[1] == '2') && !name[2])
        return "names a half";
    if (strncasecmp(name, "FY", 2) == 0 && name[2] &&
        strspn(name + 2, "0123456789") == strlen(name + 2))
        return "names a fiscal year";
    for (size_t i = 0; i < sizeof months / sizeof *months; i++)
        if (strcasecmp(name, months[i]) == 0)
            return "names a month";
    return NULL;
}

bool rs_reserved_name(R *r, const Member *m, struct RosterReader *rr)
{
    const char *what = reserved_as(m->name);
    const char *label_what = m->label ? reserved_as(m->label) : NULL;
    if (label_what && strcasecmp(m->label, "total") != 0 && strcasecmp(m->label, "reserve") != 0)
        label_what = NULL; /* a label "Q1" is fine: only total rows collide */
    if (!what && !label_what)
        return true;
    const char *word = what ? m->name : m->label;
    if (rr)
        roster_row_error(rr, "'%s' cannot name a member: it %s", word, what);
    else
        diag_error(r->d, m->loc, "'%s' cannot %s a member: it %s", word, what ? "name" : "label",
                   what ? what : label_what);
    if (!what)
        diag_note_plain(r->d, "choose another label");
    else if (strcasecmp(word, "total") == 0 || strcasecmp(word, "reserve") == 0)
        diag_note_plain(r->d, "rename it: a table would have two rows called '%s'", word);
    else
        diag_note_plain(r->d, "rename it (a label such as \"%s\" is fine)", word);
    return false;
}
