/* symbols.h -- what resolve.c knows about a plan once names are bound:
 * the calendar, dimensions with their levels and members, and a table per
 * kind of declaration.  Everything is allocated in Symbols.arena (or points
 * into the AST) and freed with resolve_free.  Later stages (allocation,
 * incentives) read these tables; they never change them.
 */
#ifndef SYMBOLS_H
#define SYMBOLS_H

#include "load/load.h"

typedef struct Dim Dim;
typedef struct Member Member;

typedef struct {
    const char *name;
    Dim *dim;
    int depth; /* 0 = top level of its dimension */
    Loc loc;
} Level;

typedef struct {
    const char *name;
    Node *value; /* inline attribute expression, or NULL for CSV text */
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
    int index; /* position among the members of its level, in order */
    int gindex; /* position in dim->members */
    bool pseudo; /* a 'reserve' row made by the allocation engine */
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
    StrMap by_name; /* member name (and alias) -> Member */
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
    Num round_step;
    NumRound rounding; /* half_up (default) or half_even */
    Dim *time;
    Dim **dims; /* time first, then declared dimensions in order */
    int ndims;
    StrMap levels;  /* name -> Level */
    StrMap members; /* bare name -> Member or &member_ambiguous */
    StrMap metrics, lets, fns, histories, incentives, scorecards, reviews, scenarios;
    StrMap targets, targets_from; /* metric -> N_TARGET */
    Node **splits;
    int nsplits;
};

#endif
