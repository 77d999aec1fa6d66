/* check_int.h -- shared by the checker's files: resolve.c (collecting
 * declarations, the calendar), cycles.c, dimensions.c (dimensions and
 * members, rosters), declarations.c (one statement at a time),
 * expressions.c (names, kinds, constants) and splits.c (splits against
 * their parents).  Not for other modules: check/check.h is the interface.
 *
 * Ownership: an R lives for one check; it borrows the Program and its
 * Diags and fills the Program's Symbols, which the Program owns.
 */
#ifndef CHECK_INT_H
#define CHECK_INT_H

#include "check/check.h"
#include "eval/eval.h"
#include "model/model.h"

enum {
    SC_ATTRS = 1,       /* attributes of attr_dim's members are names */
    SC_INCENTIVE = 2,   /* lines, M.target/.actual, attainment(), prev() */
    SC_FIELDS = 4,      /* M.target and attainment() without lines (given, asserts) */
    SC_METRICS = 8,     /* a bare metric name is its root target */
    SC_CARDS = 16,      /* CARD.score, CARD.rating, CARD.rank (cards.c) */
    SC_CELL_ATTRS = 32, /* a derived metric's formula: attributes of each cell's members */
    SC_HISTORY = 64,    /* history.NAME: last year's value per cell (history_refs.c) */
};

typedef struct {
    int flags;
    Node *params;           /* fn parameters (N_NAME list) */
    Dim *attr_dim;          /* whose attributes are visible */
    Node *lines;            /* incentive lines */
    Node *cur_line;         /* the line being checked: later lines are not visible */
    bool active_months;     /* proportional to: the builtin attribute */
    const int *param_kinds; /* Kind of each fn parameter at a call, or NULL (unknown) */
    const Node **attr_used; /* SC_CELL_ATTRS: set to the first attribute named */
} Scope;

typedef struct {
    Node *decl;
    bool cells;    /* a metric's cells, not its target */
    bool reported; /* in a cycle already reported */
    int color;     /* 0 new, 1 on the stack, 2 done */
    int cstate;    /* constant value: 0 unknown, 1 known, 2 not constant */
    Num value;
} GNode;

typedef struct Split Split;           /* splits.c */
typedef struct Lookalikes Lookalikes; /* names.c */
struct RosterReader;                  /* data/roster.h */

typedef struct R {
    Program *p;
    Diags *d;
    Symbols *s;
    StrMap graph;            /* let/fn/metric name -> GNode */
    Split *splits_info;      /* parallel to s->splits while splits are checked */
    Lookalikes *look;        /* the skeletons of the dimension being built */
    StrMap cells;            /* metric name -> GNode of its cells (cycles.c) */
    StrMap fn_kinds;         /* "fn(k1,k2..)" -> the kind it returns + 1 (expressions.c) */
    const Node *card_owner;  /* SC_CARDS: the N_INCENTIVE or N_RUN_FLAG being checked */
    const Node *card_review; /* the N_REVIEW holding that flag */
} R;

void rs_duplicate(R *r, Node *n, Node *prev, const char *what);
Member *rs_new_member(R *r, Dim *d, const char *name, int depth, Member *parent, Loc loc);
Dim *rs_new_dim(R *r, const char *name);
void rs_build_dim(R *r, Node *n); /* dimensions.c */
/* roster_image.c: what identifies a roster declaration's image: its
 * directory and text (NULL: no image is kept for it), the file, and the
 * size and digests of its bytes.  rs_roster_key fills it after opening the
 * file as a read does: -1 when that failed (reported).  rs_roster_made
 * makes d's members from the image when its file had the same bytes
 * (false: read it); rs_roster_keep keeps the image of d's members just
 * read, when the file still has the bytes k saw (taking k's text).  Free
 * k with rs_roster_key_free. */
typedef struct {
    char *text, *path;
    FileId id;
    long long size;
    uint64_t digest[2];
} RosterKey;
int rs_roster_key(R *r, const Node *decl, RosterKey *k);
bool rs_roster_made(R *r, const RosterKey *k, Dim *d, Loc at);
void rs_roster_keep(R *r, RosterKey *k, const Dim *d);
void rs_roster_key_free(RosterKey *k);

/* names.c: look-alike members of the dimension being built, between
 * begin and end.  rs_lookalike reports (at the roster row when rr is not
 * NULL) when m's name looks like an earlier member's and one of the two is
 * not ASCII; false then. */
void rs_lookalikes_begin(R *r, const Dim *d);
bool rs_lookalike(R *r, Member *m, struct RosterReader *rr);
void rs_lookalikes_end(R *r);
/* Reports a member named (or labelled) what tables print for something
 * else: total, reserve, Q1-Q4, H1, H2, FYnnnn, jan-dec, without regard to
 * case (a label only for total and reserve); false then. */
bool rs_reserved_name(R *r, const Member *m, struct RosterReader *rr);
/* A roster's level value as a member name: its NFC form (*nfc, malloc'd,
 * when it differs), or NULL after reporting an invisible character, a
 * bidi control or mixed scripts. */
const char *rs_roster_name(R *r, struct RosterReader *rr, const char *level, const char *name,
                           char **nfc);
void rs_index_members(R *r);
/* Sets every member's active months from its start/end attributes
 * (inherited); once per dimension. */
void rs_activity(R *r, Dim *d);
/* A label that is the name of another member of its level: an error. */
void rs_check_labels(R *r, const Dim *d);
void rs_check_splits(R *r); /* splits.c */
/* weeks.c: a calendar setting of the header (SET_WEEKS .. SET_HOLIDAYS),
 * the week calendar with its holidays, the splits by week (before
 * rs_check_splits: they add the month splits they imply). */
void rs_week_setting(R *r, int k, Node *v);
void rs_build_weeks(R *r);
void rs_check_week_splits(R *r);
/* A weekly review's items: status (of money and count metrics) and flag
 * deviation only; every other item is an error at it. */
void rs_check_weekly_review(R *r, const Node *n);
/* Whether a weekly review takes the item: status, flag deviation, notes. */
bool rs_weekly_item(const Node *it);
int rs_month_of(const Member *m);
/* Reports cyclic definitions, with each edge; sets the lets' constant
 * values (cycles.c). */
void rs_check_cycles(R *r);
char *rs_fmt_pct(Num share, char *buf);
void rs_check_item(R *r, Node *n); /* declarations.c */
/* Two examples, or two reports, with one title (declarations.c). */
void rs_check_titles(R *r);
/* show_names.c: the metrics (name, then b) and levels (a) of a show
 * statement written as labels become names (a metric's label, a
 * dimension's label for its deepest level); false after reporting a label
 * of several, or a metric shown twice. */
bool rs_show_names(R *r, Node *n);
/* A multi-year plan: each per-year target becomes this world's value; what
 * such a plan cannot mean is reported (years.c). */
void rs_select_years(R *r);

const char *sym_kind_name(Kind k);
Kind sym_metric_kind(const Node *metric);
Kind rx_check(R *r, const Scope *sc, Node *e);
/* 1 with *out set when e is a constant number, 0 when not constant,
 * -1 after reporting an arithmetic error. */
int rx_const(R *r, Node *e, Num *out);
/* Names an expression refers to (lets, fns, metrics), for the cycle check:
 * N_NAME, N_CALL, N_INDEX for a cell `name[...]`, or N_FIELD for `x.field`
 * (a scorecard's result). */
void rx_refs(Node *e, const Node *params, void (*fn)(void *, Node *), void *arg);
char *rs_fmt_money(R *r, Num v, char *buf);
/* history.NAME (history_refs.c): resolves it (its str becomes the history's
 * name) and gives its kind; an error where sc has no SC_HISTORY. */
Kind rx_history_field(R *r, const Scope *sc, Node *e);
/* A target or derived metric reading history.NAME: all its references name
 * one history (an error otherwise). */
void rs_one_history(R *r, const Node *e, const char *what);
/* A review's growth(METRIC): an additive metric, and the history it is
 * compared with (its str), resolved as history.METRIC is. */
void rs_check_growth(R *r, Node *it);

/* cards.c: CARD.score, CARD.rating, CARD.rank where sc allows them (an
 * incentive's line, a review's flag, an example's given): the field, the
 * card's level and cadence against the owner's; returns the field's kind. */
Kind rs_card_field(R *r, const Scope *sc, Node *e, Node *card);
/* table(KEY) { key: value, ..., else: value }: its keys against KEY's kind
 * and, for CARD.rating, the card's ratings; returns the values' kind. */
Kind rs_check_lookup(R *r, const Scope *sc, Node *e);
/* flag NAME if CONDITION for N UNITS, an item of review rv. */
void rs_check_run_flag(R *r, Node *rv, Node *it);
/* members.c: attributes read as numbers.  rs_attr_on_members reports (at
 * `at`, with the hint why) the first member of d at depth without the
 * attribute or with one that is not a number; false then.
 * rx_cell_attr: a name of a derived metric's formula that is an
 * attribute (true, with its kind).  rx_check_members: sum(L.a), avg(L.a),
 * count(L), each with an optional `where` filter.  rx_where_alone: a
 * `where` anywhere else. */
bool rs_attr_on_members(R *r, const Dim *d, int depth, const char *name, Loc at, const char *why);
bool rx_cell_attr(R *r, const Scope *sc, Node *e, Kind *k);
Kind rx_check_members(R *r, Node *e);
/* The kind an attribute's definition has (a CSV text: K_ANY, unknown). */
Kind rx_attr_kind(const Attr *a);
Kind rx_where_alone(R *r, Node *e);

#endif
