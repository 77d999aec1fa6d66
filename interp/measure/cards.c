/* cards.c -- a scorecard's result read by an incentive line or a review's
 * flag (SPEC §10, §12): CARD.score, CARD.rating and CARD.rank of one
 * member in one period, and the flags of a review's scorecard.
 *
 * The card is computed for exactly the incentive's period (a quarter's
 * payout reads that quarter's card), once per card and period: the
 * results are kept in the Measure until ms_free.  Its rank is the one the
 * review of the same cadence shows (its `rank CARD` item, `within` and
 * all), else the rank over every member of the card's level.  Values are
 * those the scorecard shows: the score is its total rounded to 2 decimals
 * (half up), the rating and rank come from the exact total. */
#include "measure/measure.h"

#include <stdlib.h>
#include <string.h>

typedef struct CardCache {
    const Node *card;
    int from, to, last;
    ScResult r;
    struct CardCache *next;
} CardCache;

static const Node no_within = {.kind = N_RANK};

/* 0.01: scorecards show scores with 2 decimals. */
static Num score_step(void)
{
    Num step;
    num_from_ratio(1, 100, &step);
    return step;
}

/* The cadence whose periods span from..to. */
static int span_cadence(const Period *pd)
{
    int len = pd->to - pd->from + 1;
    return len == 1 ? CAD_MONTHLY : len == 3 ? CAD_QUARTERLY : len == 6 ? CAD_HALF : CAD_ANNUAL;
}

/* The last `rank CARD` item of the review of cadence c (what it shows), or
 * a plain rank over the level. */
static const Node *card_rank(Measure *ms, const Node *card, int c)
{
    const Node *rv = strmap_get(&ms->p->sym->reviews, sym_cadence_names[c]), *rank = &no_within;
    for (const Node *it = rv ? rv->a : NULL; it; it = it->next)
        if (it->kind == N_RANK && strcmp(it->name, card->name) == 0)
            rank = it;
    return rank;
}

/* The card's result for the period, computed once. */
static const ScResult *card_result(Measure *ms, const Node *card, const Period *pd)
{
    for (CardCache *c = ms->cards; c; c = c->next)
        if (c->card == card && c->from == pd->from && c->to == pd->to && c->last == pd->last)
            return &c->r;
    CardCache *c = xcalloc(1, sizeof *c);
    c->card = card;
    c->from = pd->from;
    c->to = pd->to;
    c->last = pd->last;
    if (ms_scorecard(ms, card, pd, 1, card_rank(ms, card, span_cadence(pd)), &c->r) < 0) {
        ms_scorecard_free(&c->r);
        free(c);
        return NULL;
    }
    c->next = ms->cards;
    ms->cards = c;
    return &c->r;
}

void ms_cards_free(Measure *ms)
{
    for (CardCache *c = ms->cards, *next; c; c = next) {
        next = c->next;
        ms_scorecard_free(&c->r);
        free(c);
    }
    ms->cards = NULL;
}

int ms_card_value(Measure *ms, const Node *n, const Member *m, const Period *pd, Value *out)
{
    const Node *card = strmap_get(&ms->p->sym->scorecards, n->a->name);
    const ScResult *r = card && m && pd ? card_result(ms, card, pd) : NULL;
    if (!r)
        return -1;
    size_t i = (size_t)m->index; /* its place among the level's members, unless reserve rows */
    if (i >= r->nmem || r->mem[i] != m)
        for (i = 0; i < r->nmem && r->mem[i] != m; i++)
            ;
    bool have = i < r->nmem && r->in[i] && !r->total_na[i];
    *out = (Value){.kind = V_NUM, .num = NUM_ZERO, .str = NULL};
    if (strcmp(n->name, "rating") == 0)
        *out = (Value){.kind = V_STR, .num = NUM_ZERO, .str = have ? r->rating[i] : ""};
    else if (have && strcmp(n->name, "score") == 0) /* as the scorecard shows it */
        num_round(r->total[i], score_step(), NUM_HALF_UP, &out->num);
    else if (have)
        out->num = num_from_int(r->rank[i]);
    return 0;
}

/* ---- flags ---------------------------------------------------------------------------- */

/* The first scorecard a condition reads (CARD.field), or NULL. */
static const Node *first_card(const Symbols *s, const Node *x)
{
    if (!x)
        return NULL;
    if (x->kind == N_FIELD && x->a->kind == N_NAME && !strmap_get(&s->metrics, x->a->name)) {
        const Node *card = strmap_get(&s->scorecards, x->a->name);
        if (card)
            return card;
    }
    const Node *kids[] = {x->a, x->b, x->c};
    for (int i = 0; i < 3; i++)
        for (const Node *k = kids[i]; k; k = k->next) {
            const Node *c = first_card(s, k->kind == N_ENTRY ? k->b : k);
            if (c)
                return c;
        }
    return NULL;
}

bool ms_has_flags(const Symbols *s, const Node *rv, const Node *card)
{
    for (const Node *it = rv ? rv->a : NULL; it; it = it->next)
        if (it->kind == N_RUN_FLAG && first_card(s, it->a) == card)
            return true;
    return false;
}

/* Whether the flag's condition holds for member i in each period of r. */
static int flag_holds(Measure *ms, const Node *flag, const ScResult *r, size_t i, bool *holds)
{
    for (int p = 0; p < r->nper; p++) {
        holds[p] = false;
        if (!r->in[(size_t)p * r->nmem + i])
            continue;
        if (ms_flag_holds(ms, flag, r->mem[i], &r->per[p], &holds[p]) < 0)
            return -1;
    }
    return 0;
}

/* Adds the flag's name to text[p] where it held for its count of periods in a row. */
static void flag_runs(const Node *flag, const bool *holds, int nper, Arena *a, const char **text)
{
    int64_t need = 0;
    num_to_int(flag->b->num, NUM_FLOOR, &need);
    int run = 0;
    for (int p = 0; p < nper; p++) {
        run = holds[p] ? run + 1 : 0;
        if (need > 0 && run >= need)
            text[p] = *text[p] ? arena_printf(a, "%s %s", text[p], flag->name) : flag->name;
    }
}

int ms_card_flags(Measure *ms, const Node *rv, const ScResult *r, Arena *a, const char **text)
{
    size_t cells = (size_t)r->nper * r->nmem;
    for (size_t c = 0; c < cells; c++)
        text[c] = "";
    bool *holds = xcalloc((size_t)r->nper + 1, sizeof *holds);
    const char **col = xcalloc((size_t)r->nper + 1, sizeof *col);
    int rc = 0;
    for (const Node *it = rv ? rv->a : NULL; it && rc == 0; it = it->next) {
        if (it->kind != N_RUN_FLAG || first_card(ms->p->sym, it->a) != r->decl)
            continue;
        for (size_t i = 0; i < r->nmem && rc == 0; i++) {
            rc = flag_holds(ms, it, r, i, holds);
            for (int p = 0; p < r->nper; p++)
                col[p] = text[(size_t)p * r->nmem + i];
            flag_runs(it, holds, r->nper, a, col);
            for (int p = 0; p < r->nper; p++)
                text[(size_t)p * r->nmem + i] = col[p];
        }
    }
    free(holds);
    free(col);
    return rc;
}
