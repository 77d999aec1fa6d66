/* model.h -- the symbol tables of a plan once its names are bound, and the
 * read-only API every stage after the checker uses: the calendar of the
 * fiscal year, dimensions with their levels and members, a table per kind
 * of declaration, the kinds of values, member lookup and did-you-mean.
 *
 * Ownership: check/ builds a Symbols (the only module that writes one);
 * everything in it is allocated in Symbols.arena or in the maps and arrays
 * it owns, or points into the AST, and sym_free releases it.  Every other
 * stage (data, eval, alloc, measure, render, the front doors) only reads
 * it.  Nothing here prints or allocates except the diagnostics the lookup
 * functions report when asked to.
 */
#ifndef MODEL_H
#define MODEL_H

#include "base/calendar.h"
#include "base/diag.h"
#include "base/num.h"
#include "base/util.h"
#include "base/weeks.h"
#include "syntax/ast.h"

/* The kind of a value, as the checker infers it for every expression (and
 * records in Node.flags) and as tables show it. */
typedef enum {
    K_ANY, /* unknown: checked no further */
    K_NUM, /* plain number */
    K_MONEY,
    K_COUNT,
    K_PERCENT, /* a share or rate: 15% */
    K_SCORE,
    K_BOOL,
    K_STR,
    K_MONTH,
    K_MEMBER,
} Kind;
_Static_assert(K_MEMBER < 128, "a Node's flags hold a Kind in 8 bits");

typedef struct Dim Dim;
typedef struct Symbols Symbols;
typedef struct Member Member;

typedef struct {
    const char *name;
    Dim *dim;
    int depth; /* 0 = top level of its dimension */
    Loc loc;
} Level;

typedef struct {
    const char *name;
    Node *value;      /* inline attribute expression, or NULL for CSV text */
    const char *text; /* CSV value */
    Loc loc;
} Attr;

struct Member {
    const char *name;
    const char *alias; /* months: "feb" beside "2027-02" */
    const char *label;
    Dim *dim;
    int depth;
    Member *parent;
    Loc loc;
    Attr *attrs;
    int nattrs;
    int index;                  /* position among the members of its level, in order */
    int gindex;                 /* position in dim->members */
    bool pseudo;                /* a 'reserve' row made by the allocation engine */
    int active_from, active_to; /* yyyymm from start/end (inherited), 0 = open */
};

struct Dim {
    const char *name;
    const char *label;
    Node *decl; /* NULL for the built-in time dimension */
    Level *levels;
    int nlevels;
    Member **members; /* all members, in order of appearance */
    size_t nmembers, cap;
    StrMap by_name;    /* member name (and alias) -> Member */
    StrMap attr_names; /* attribute name -> Attr (first definition) */
    bool is_time;
};

/* Member names resolve globally when unique; an ambiguous bare name maps to
 * this sentinel. */
extern Member member_ambiguous;

struct Symbols {
    Arena arena;
    Node *header;
    int year, start_month; /* fiscal year, first calendar month 1..12 */
    int years;             /* fiscal years the plan covers (`years = 3`); 1 by default */
    int first_year;        /* the plan's first fiscal year: year, less the world's offset */
    Num round_step;
    NumRound rounding; /* half_up (default) or half_even */
    Dim *time;
    Dim **dims; /* time first, then declared dimensions in order */
    int ndims;
    StrMap levels; /* name -> Level */
    StrMap metrics, lets, fns, histories, incentives, scorecards, reviews, scenarios;
    StrMap targets, targets_from; /* metric -> N_TARGET */
    Node **splits;
    int nsplits;
    WeekCal *weeks;     /* weeks, days and working days under the months (in arena) */
    Node **week_splits; /* splits by week or day (the month layer below the engine's) */
    int nweek_splits;
};

/* The most fiscal years a plan may cover (`years = N`). */
#define SYM_MAX_YEARS 10

/* The plan's fiscal year (year and first month) for base/calendar.h. */
static inline FiscalYear sym_fiscal_year(const Symbols *s)
{
    return (FiscalYear){s->year, s->start_month};
}

/* ---- the words of a plan beyond its keywords, each list once ----------- */

/* Review cadences. */
typedef enum { CAD_MONTHLY, CAD_QUARTERLY, CAD_HALF, CAD_ANNUAL, CAD__COUNT } Cadence;
/* Settings of the plan header, in this order. */
typedef enum {
    SET_YEAR,
    SET_START,
    SET_CURRENCY,
    SET_UNIT,
    SET_ROUND,
    SET_ROUNDING,
    SET_NAME,
    SET_YEARS,
    SET_WEEKS,
    SET_WEEK_START,
    SET_WORKDAYS,
    SET_HOLIDAYS,
    SET_LANG,
    SET_BOM,
    SET__COUNT
} PlanSetting;

extern const char *const sym_cadence_names[];  /* "monthly" ... by Cadence, then NULL */
extern const char *const sym_setting_names[];  /* "year" ... by PlanSetting, then NULL */
extern const char *const sym_metric_kinds[];   /* "money", "count", "percent", "score", NULL */
extern const char *const sym_metric_options[]; /* "lower_is_better", NULL */
extern const char *const sym_status_bands[];   /* "green", "amber", NULL */
extern const char *const sym_metric_fields[];  /* "target", "actual", "ytd_target", ... NULL */
extern const char *const sym_card_fields[];    /* "score", "rating", "rank", NULL */
extern const char *const sym_flag_units[];     /* "months" ... "years" by Cadence, then NULL */
extern const char *const sym_calendar_words[]; /* "week", "day", "working_days", "iso", ... NULL */
extern const char *const sym_week_cadences[];  /* "weekly" (not a Cadence: weekly.c), NULL */
extern const char *const sym_display_units[];  /* "1", "", "k", "万", "M", "亿", NULL */
extern const char *const sym_period_words[];   /* "month", "quarter", "half" by Cadence, NULL */
/* Every list above, then NULL: the words completion offers. */
extern const char *const *const sym_word_lists[];

/* The position of name in a NULL-terminated list, or -1. */
int sym_word_index(const char *const *words, const char *name);
/* The number of words in a NULL-terminated list. */
int sym_word_count(const char *const *words);
/* The period a review's `reforecast METRIC [by PERIOD]` is shown by: the
 * one written (-1 when it is no period word), else by half in a
 * half-yearly review and by quarter in any other (a monthly review's
 * eleven months would not fit a terminal). */
Cadence sym_reforecast_period(const Node *by, const char *review);

/* N_NAME.op of a name the checker bound to the builtin working_days (no
 * let, metric or parameter of that name). */
#define SYM_WORKING_DAYS 1
/* Whether expression e uses the builtin working_days anywhere: a derived
 * metric over it is a rate, evaluated at each cell. */
bool sym_uses_working_days(const Node *e);

/* The plan's display unit for money (`unit = "万"`), "" when it has none. */
const char *sym_unit(const Symbols *s);
/* An amount of money for a message or an answer: vf_amount in the plan's
 * unit with the decimals of its rounding step (every amount a message
 * shows goes through here, or al_fmt_amount in alloc/). */
char *sym_fmt_amount(const Symbols *s, Num v, char *buf);

/* Frees everything a Symbols owns, and s itself (NULL is allowed). */
void sym_free(Symbols *s);

/* "money", "percent", "true/false", ... for messages. */
const char *sym_kind_name(Kind k);
/* The kind a metric declares (money, count, percent, score); K_ANY for a
 * derived metric (its expression's kind is in Node.flags after check) or
 * an unknown kind word. */
Kind sym_metric_kind(const Node *metric);
/* The kind a metric's values are shown with: its declared kind, or for a
 * derived metric the kind of its expression as the checker found it. */
Kind sym_value_kind(const Node *metric);
/* Whether sums of the metric's values mean something (money, count):
 * those are split, rounded and added up; percent and score are not. */
bool sym_additive(const Node *metric);

/* The `reforecast METRIC` item of the first review (in cadence order,
 * monthly to annual) that reforecasts metric, and that review in *review;
 * NULL when none does. */
const Node *sym_reforecast_item(const Symbols *s, const char *metric, const Node **review);

/* The member a reference names: a bare name (unique across dimensions), a
 * month literal (2027-05), or DIM.NAME.  NULL when there is none; then, if
 * report is not NULL, an error with a did-you-mean goes there. */
Member *sym_lookup_member(const Symbols *s, const Node *ref, Diags *report);
/* The same, trying dimension d first (split keys name members of the
 * split's level). */
Member *sym_lookup_member_in(const Symbols *s, const Node *ref, const Dim *d, Diags *report);

/* The member a bare name (or a month's alias, feb) names: the one
 * dimension's member that has it, &member_ambiguous when several
 * dimensions have it, NULL when none does.  Each dimension's map is asked
 * in turn, so no second map of every name is kept (a million reps). */
Member *sym_member(const Symbols *s, const char *name);

/* The closest key of m to name (edit distance, at most 3, ties to the
 * alphabetically first), or NULL: the did-you-mean of every message. */
const char *sym_closest(const StrMap *m, const char *name);
/* The same over every dimension's member names and aliases. */
const char *sym_closest_member(const Symbols *s, const char *name);
/* Attaches "did you mean 'S'?" to the last diagnostic (nothing for NULL). */
void sym_note_did_you_mean(Diags *d, const char *suggestion);
/* "unknown level NAME" follows: a did-you-mean and a note listing the
 * plan's levels, time first, in declaration order. */
void sym_note_levels(Diags *d, const Symbols *s, const char *name);
/* After "unknown member/name NAME": when NAME is a month, quarter or half
 * written in Chinese (一月, 一季度, 上半年), a note with what to write. */
void sym_note_period_word(Diags *d, const Symbols *s, const char *name);
/* The plan's calendar level a Chinese word names (季度: quarter), or NULL. */
const char *sym_cn_level(const Symbols *s, const char *name);
/* The same, choosing among a fixed list of words (kinds, cadences...). */
void sym_suggest_word(Diags *d, const char *name, const char *const *words, int n);

/* Member m's attribute name, inherited from its ancestors; NULL if none. */
const Attr *sym_attr(const Member *m, const char *name);
/* The month an attribute holds (yyyymm: a month literal, or "YYYY-MM" in a
 * CSV cell); 0 when it holds no month. */
int sym_attr_month(const Attr *a);
/* Whether member m is active in the calendar month yyyymm (its start/end,
 * inherited, as the checker set them in active_from/active_to). */
bool sym_active(const Member *m, int yyyymm);

/* `history.NAME` in an expression (last year's value per cell, SPEC §9):
 * an N_FIELD whose object is the keyword `history`.  The checker resolves
 * it and leaves the history's name in its str. */
bool sym_is_history_ref(const Node *e);
/* The history references in e, in source order: how many, and the first
 * max of them in out (out may be NULL when max is 0). */
int sym_history_refs(const Node *e, const Node **out, int max);

#endif
