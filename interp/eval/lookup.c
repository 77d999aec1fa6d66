/* lookup.c -- the lookup table `table(KEY) { S: 150%, A: 120%, else: 0 }`
 * (SPEC §10): the value of the entry whose key equals KEY.  Keys are
 * words (S), strings ("S") or numbers; a word or string key matches a
 * text exactly, a number key a number exactly.  `else:` answers any other
 * key; without it, a key with no entry is an error naming the key (the
 * caller adds the member and period). */
#include <string.h>

#include "base/valfmt.h"
#include "eval/eval.h"

/* Whether entry en's key equals the value x; -1 after reporting. */
static int key_matches(Eval *e, const Frame *f, const Node *en, const Value *x)
{
    const Node *k = en->a;
    if (k->kind == N_NAME || k->kind == N_STR) {
        const char *t = k->kind == N_NAME ? k->name : k->str;
        return x->kind == V_STR && strcmp(x->str ? x->str : "", t) == 0;
    }
    Value kv;
    if (eval_expr(e, f, k, &kv) < 0)
        return -1;
    return x->kind != V_STR && kv.kind != V_STR && num_cmp(kv.num, x->num) == 0;
}

static void no_entry(Eval *e, const Node *t, const Value *x)
{
    char buf[NUM_BUFSZ];
    if (x->kind == V_STR)
        diag_error(e->d, t->loc, "table has no entry for \"%s\"", x->str ? x->str : "");
    else
        diag_error(e->d, t->loc, "table has no entry for %s", vf_upto(x->num, 4, buf));
    if (x->kind == V_STR && !(x->str && *x->str))
        diag_note_plain(e->d, "a member whose total is below every rating threshold, or whose "
                              "every KPI is n/a, has no rating: add 'else: VALUE'");
    else
        diag_note_plain(e->d, "add an entry for it, or 'else: VALUE' for every other key");
}

int eval_lookup(Eval *e, const Frame *f, const Node *t, Value *out)
{
    Value x;
    if (eval_expr(e, f, t->a, &x) < 0)
        return -1;
    const Node *other = NULL;
    for (const Node *en = t->b; en; en = en->next) {
        if (en->op == 1) {
            other = en;
            continue;
        }
        int m = key_matches(e, f, en, &x);
        if (m < 0)
            return -1;
        if (m)
            return eval_expr(e, f, en->b, out);
    }
    if (other)
        return eval_expr(e, f, other->b, out);
    no_entry(e, t, &x);
    return -1;
}
