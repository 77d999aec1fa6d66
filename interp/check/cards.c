/* cards.c -- scorecard results read elsewhere (SPEC §10, §11, §12):
 * CARD.score, CARD.rating and CARD.rank in incentive lines and review
 * flags, the lookup table `table(KEY) { ... }`, and the flags themselves
 * (`flag promote if rep_card.rating == "S" for 2 quarters`).  An incentive
 * reads the card of its own member and period, so the card must grade the
 * incentive's level and be reviewed at each cadence the incentive is paid
 * at; a flag reads the cards its review shows. */
#include <string.h>

#include "check/check_int.h"

/* What a period of each cadence is called, by Cadence. */
static const char *const period_nouns[] = {"month", "quarter", "half", "year"};

/* The cadences (bit 1 << Cadence) of the reviews naming an incentive
 * (card false), or showing or ranking a scorecard; annual when none.
 * at[c] is the item naming it in the review of cadence c. */
static unsigned cadences_of(R *r, const char *name, bool card, const Node **at)
{
    unsigned set = 0;
    for (Unit *u = r->p->units; u; u = u->next)
        for (Node *n = u->items; n; n = n->next) {
            int c = n->kind == N_REVIEW ? sym_word_index(sym_cadence_names, n->name) : -1;
            for (Node *it = c >= 0 ? n->a : NULL; it; it = it->next) {
                bool hit = card ? it->kind == N_USE_SCORECARD || it->kind == N_RANK
                                : it->kind == N_USE_INCENTIVE;
                if (hit && strcmp(it->name, name) == 0 && !(set & (1u << c))) {
                    set |= 1u << c;
                    if (at)
                        at[c] = it;
                }
            }
        }
    return set ? set : 1u << CAD_ANNUAL;
}

/* "quarter", "month and year": the periods of a set of cadences. */
static void periods_text(unsigned set, Buf *b)
{
    int n = 0, k = 0;
    for (int c = 0; c < CAD__COUNT; c++)
        n += (set >> c) & 1;
    for (int c = 0; c < CAD__COUNT; c++)
        if ((set >> c) & 1) {
            buf_printf(b, "%s%s", k == 0 ? "" : k == n - 1 ? " and " : ", ", period_nouns[c]);
            k++;
        }
}

/* An incentive reads its own member's card: same level. */
static void check_card_level(R *r, const Node *inc, const Node *e, const Node *card)
{
    if (strcmp(inc->a->name, card->a->name) == 0)
        return;
    diag_error(r->d, e->loc, "scorecard '%s' grades each %s, incentive '%s' pays each %s",
               card->name, card->a->name, inc->name, inc->a->name);
    diag_note(r->d, card->a->loc, "'%s' is per %s here", card->name, card->a->name);
    diag_note_plain(r->d,
                    "an incentive reads the scorecard of the member it pays: use a scorecard "
                    "per %s, or pay the incentive per %s",
                    inc->a->name, card->a->name);
}

/* ... and for the same periods: the card is reviewed at every cadence
 * the incentive is paid at. */
static void check_card_cadence(R *r, const Node *inc, const Node *e, const Node *card)
{
    const Node *at[CAD__COUNT] = {0};
    unsigned paid = cadences_of(r, inc->name, false, at);
    unsigned graded = cadences_of(r, card->name, true, NULL);
    unsigned missing = paid & ~graded;
    if (!missing)
        return;
    int c = 0;
    while (!((missing >> c) & 1))
        c++;
    Buf b = {0};
    periods_text(graded, &b);
    diag_error(r->d, e->loc, "incentive '%s' is paid per %s, scorecard '%s' is computed per %s",
               inc->name, period_nouns[c], card->name, buf_cstr(&b));
    buf_free(&b);
    if (at[c])
        diag_note(r->d, at[c]->loc, "'%s' is paid per %s here", inc->name, period_nouns[c]);
    else
        diag_note_plain(r->d, "no review names '%s': it is paid for the year", inc->name);
    if (strmap_get(&r->s->reviews, sym_cadence_names[c]))
        diag_note_plain(r->d, "add 'scorecard %s' to the %s review, so that each %s has a result",
                        card->name, sym_cadence_names[c], period_nouns[c]);
    else
        diag_note_plain(r->d, "add 'review %s { scorecard %s }', so that each %s has a result",
                        sym_cadence_names[c], card->name, period_nouns[c]);
}

static Node *first_card(R *r, Node *x);

/* A flag reads the cards its review shows, all of one level. */
static void check_flag_card(R *r, const Node *e, const Node *card)
{
    const Node *first = first_card(r, r->card_owner->a);
    if (first && strcmp(first->a->name, card->a->name) != 0) {
        diag_error(r->d, e->loc, "flag '%s' reads scorecard '%s' per %s and '%s' per %s",
                   r->card_owner->name, first->name, first->a->name, card->name, card->a->name);
        diag_note_plain(r->d, "a flag marks the members of its first scorecard: read scorecards "
                              "of one level");
        return;
    }
    for (const Node *it = r->card_review->a; it; it = it->next)
        if ((it->kind == N_USE_SCORECARD || it->kind == N_RANK) &&
            strcmp(it->name, card->name) == 0)
            return;
    diag_error(r->d, e->loc, "flag '%s' reads scorecard '%s', which the %s review does not show",
               r->card_owner->name, card->name, r->card_review->name);
    diag_note_plain(r->d, "add 'scorecard %s' to the review: the flag is shown beside it",
                    card->name);
}

Kind rs_card_field(R *r, const Scope *sc, Node *e, Node *card)
{
    int f = sym_word_index(sym_card_fields, e->name);
    if (f < 0) {
        diag_error(r->d, e->name_loc, "scorecard '%s' has no field '%s'", card->name, e->name);
        sym_suggest_word(r->d, e->name, sym_card_fields, sym_word_count(sym_card_fields));
        diag_note_plain(r->d, "the fields of a scorecard are score, rating and rank");
        return K_ANY;
    }
    if (!(sc->flags & SC_CARDS)) {
        diag_error(r->d, e->loc, "'%s.%s' is only known inside an incentive or a review's flag",
                   card->name, e->name);
        diag_note_plain(r->d, "it is the %s of the member and period the line is computed for",
                        e->name);
    } else if (r->card_owner && r->card_owner->kind == N_INCENTIVE) {
        check_card_level(r, r->card_owner, e, card);
        check_card_cadence(r, r->card_owner, e, card);
    } else if (r->card_owner && r->card_review) {
        check_flag_card(r, e, card);
    }
    return f == 0 ? K_SCORE : f == 1 ? K_STR : K_COUNT;
}

/* ---- lookup tables ------------------------------------------------------------------ */

/* The scorecard whose rating a table looks up (KEY is CARD.rating), or NULL. */
static Node *rating_card(R *r, const Node *x)
{
    if (x->kind != N_FIELD || x->a->kind != N_NAME || strcmp(x->name, "rating") != 0 ||
        strmap_get(&r->s->metrics, x->a->name))
        return NULL;
    return strmap_get(&r->s->scorecards, x->a->name);
}

/* The card's rating labels, name -> entry. */
static void card_labels(const Node *card, StrMap *out)
{
    for (const Node *k = card->b; k; k = k->next)
        if (k->kind == N_RATING)
            for (const Node *e = k->a; e; e = e->next)
                if (e->a->kind == N_NAME)
                    strmap_put(out, e->a->name, (void *)e);
}

/* A key's text: a word, a string, or a constant number (canonical). */
static const char *key_text(R *r, Node *k, bool *number, char *buf)
{
    *number = false;
    if (k->kind == N_NAME)
        return k->name;
    if (k->kind == N_STR)
        return k->str;
    Num v;
    if ((k->kind == N_NUM || (k->kind == N_UNOP && k->op == OP_NEG)) && rx_const(r, k, &v) == 1) {
        *number = true;
        return num_str(v, buf);
    }
    diag_error(r->d, k->loc, "a key of 'table' is a word, a string or a number");
    diag_note_plain(r->d, "write the key as it is: S, \"S\" or 3");
    return NULL;
}

typedef struct {
    Kind xk;       /* what is looked up */
    Node *card;    /* its rating's scorecard, or NULL */
    StrMap seen;   /* key text -> entry */
    StrMap labels; /* the card's ratings */
} Lookup;

static void check_key(R *r, Lookup *lk, Node *en)
{
    char buf[NUM_BUFSZ];
    bool number;
    const char *t = key_text(r, en->a, &number, buf);
    if (!t)
        return;
    if (number ? lk->xk == K_STR : lk->xk != K_STR && lk->xk != K_ANY) {
        diag_error(r->d, en->a->loc, "key '%s' is a %s; the table looks up a %s", t,
                   number ? "number" : "word", sym_kind_name(lk->xk));
        return;
    }
    Node *prev = strmap_get(&lk->seen, t);
    if (prev) {
        diag_error(r->d, en->a->loc, "key '%s' is given twice", t);
        diag_note(r->d, prev->loc, "first given here");
        return;
    }
    strmap_put(&lk->seen, arena_strdup(&r->s->arena, t), en);
    if (lk->card && !strmap_get(&lk->labels, t)) {
        diag_error(r->d, en->a->loc, "scorecard '%s' has no rating '%s'", lk->card->name, t);
        sym_note_did_you_mean(r->d, sym_closest(&lk->labels, t));
    }
}

/* Without else, every rating of the card needs an entry. */
static void check_every_rating(R *r, Lookup *lk, const Node *e)
{
    Buf b = {0};
    int n = 0;
    for (const Node *k = lk->card->b; k; k = k->next)
        for (const Node *x = k->kind == N_RATING ? k->a : NULL; x; x = x->next)
            if (x->a->kind == N_NAME && !strmap_get(&lk->seen, x->a->name))
                buf_printf(&b, "%s%s", n++ ? ", " : "", x->a->name);
    if (n) {
        diag_error(r->d, e->loc, "table has no entry for rating%s %s of scorecard '%s'",
                   n > 1 ? "s" : "", buf_cstr(&b), lk->card->name);
        diag_note_plain(r->d, "add an entry for each, or 'else: VALUE' for every rating left out");
    }
    buf_free(&b);
}

static Kind entry_value(R *r, const Scope *sc, Node *en, Kind vk, bool first)
{
    if (en->b->kind == N_REST) {
        diag_error(r->d, en->b->loc, "'rest' is only a split value");
        return vk;
    }
    Kind k = rx_check(r, sc, en->b);
    return first || k == vk ? k : K_ANY;
}

Kind rs_check_lookup(R *r, const Scope *sc, Node *e)
{
    Lookup lk = {rx_check(r, sc, e->a), rating_card(r, e->a), {0}, {0}};
    if (lk.card)
        card_labels(lk.card, &lk.labels);
    Node *other = NULL;
    Kind vk = K_ANY;
    bool first = true;
    if (!e->b)
        diag_error(r->d, e->loc, "'table' needs at least one 'key: value' entry");
    for (Node *en = e->b; en; en = en->next) {
        if (en->op == 1 && other) {
            diag_error(r->d, en->a->loc, "'else' is given twice");
            diag_note(r->d, other->loc, "first given here");
        } else if (en->op == 1) {
            other = en;
        } else {
            check_key(r, &lk, en);
        }
        vk = entry_value(r, sc, en, vk, first);
        first = false;
    }
    if (other && other->next)
        diag_error(r->d, other->a->loc, "'else' is the last entry of a table");
    if (lk.card && !other)
        check_every_rating(r, &lk, e);
    strmap_free(&lk.seen);
    strmap_free(&lk.labels);
    return vk;
}

/* ---- flags -------------------------------------------------------------------------- */

/* The first scorecard a condition reads (CARD.field), or NULL. */
static Node *first_card(R *r, Node *x)
{
    if (!x)
        return NULL;
    if (x->kind == N_FIELD && x->a->kind == N_NAME && !strmap_get(&r->s->metrics, x->a->name)) {
        Node *card = strmap_get(&r->s->scorecards, x->a->name);
        if (card)
            return card;
    }
    Node *kids[] = {x->a, x->b, x->c};
    for (int i = 0; i < 3; i++)
        for (Node *k = kids[i]; k; k = k->next) {
            Node *c = first_card(r, k->kind == N_ENTRY ? k->b : k);
            if (c)
                return c;
        }
    return NULL;
}

/* for N UNITS: a unit of the review's own cadence, N of its periods. */
static void check_flag_span(R *r, Node *rv, Node *it)
{
    const char *u = it->c->name;
    int unit = sym_word_index(sym_flag_units, u);
    for (int c = 0; unit < 0 && c < CAD__COUNT; c++)
        if (strcmp(u, period_nouns[c]) == 0)
            unit = c;
    int cad = sym_word_index(sym_cadence_names, rv->name);
    static const int per_year[] = {12, 4, 2, 1};
    if (unit < 0) {
        diag_error(r->d, it->c->loc,
                   "unknown period '%s' (expected months, quarters, halves or "
                   "years)",
                   u);
        sym_suggest_word(r->d, u, sym_flag_units, sym_word_count(sym_flag_units));
        return;
    }
    if (cad >= 0 && unit != cad) {
        diag_error(r->d, it->c->loc, "a flag counting %s belongs in the %s review", u,
                   sym_cadence_names[unit]);
        diag_note(r->d, rv->name_loc, "this review is %s: its flags count %s", rv->name,
                  sym_flag_units[cad]);
        return;
    }
    int64_t n = 0;
    if (num_to_int(it->b->num, NUM_FLOOR, &n) != NUM_OK ||
        num_cmp(num_from_int(n), it->b->num) != 0 || n < 1 || n > per_year[unit]) {
        diag_error(r->d, it->b->loc, "a flag counts 1 to %d %s in a row", per_year[unit],
                   sym_flag_units[unit]);
        diag_note_plain(r->d, "the periods are those of the plan's year, up to the as-of month");
    }
}

void rs_check_run_flag(R *r, Node *rv, Node *it)
{
    for (Node *o = rv->a; o && o != it; o = o->next)
        if (o->kind == N_RUN_FLAG && strcmp(o->name, it->name) == 0) {
            rs_duplicate(r, it, o, "flag");
            break;
        }
    check_flag_span(r, rv, it);
    Node *card = first_card(r, it->a);
    Level *lv = card ? strmap_get(&r->s->levels, card->a->name) : NULL;
    Scope sc = {SC_CARDS | SC_ATTRS | SC_FIELDS, 0, lv ? lv->dim : NULL, 0, 0, false, NULL, NULL};
    r->card_owner = it;
    r->card_review = rv;
    Kind k = rx_check(r, &sc, it->a);
    r->card_owner = r->card_review = NULL;
    if (k != K_BOOL && k != K_ANY)
        diag_error(r->d, it->a->loc, "the condition of flag '%s' must be true/false, got %s",
                   it->name, sym_kind_name(k));
    if (!card) {
        diag_error(r->d, it->a->loc, "flag '%s' reads no scorecard", it->name);
        diag_note_plain(r->d, "a flag marks members of a scorecard: write, e.g., "
                              "'flag promote if rep_card.rating == \"S\" for 2 quarters'");
    }
}
