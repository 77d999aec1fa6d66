/* ast.h -- the syntax tree of a plan.
 *
 * Every node lives in the arena of the file it was parsed from and is
 * freed with it; nodes never own heap memory.  A node has a kind, its full
 * source location, an optional name (with the name's own location), an
 * optional string (labels, paths, messages), a number, four child slots
 * a..d and a `next` link for lists.  What each slot holds per kind is
 * documented in the list below, once.
 */
#ifndef AST_H
#define AST_H

#include "base/diag.h"
#include "base/num.h"
#include "base/util.h"

/* X(kind, text, slots) */
#define AST_KINDS(X)                                                                               \
    /* expressions */                                                                              \
    X(N_NUM, "number", "num; str = literal text")                                                  \
    X(N_STR, "string", "str")                                                                      \
    X(N_MONTH, "month", "num = year*100+month; str = text")                                        \
    X(N_DATE, "date", "num = yyyymmdd; str = text")                                                \
    X(N_NAME, "name", "name")                                                                      \
    X(N_FIELD, "field", "a = object; name = field (revenue.actual, org.north)")                    \
    X(N_INDEX, "cell", "a = object; b = list of coordinates (revenue[north, Q1])")                 \
    X(N_CALL, "call", "name = function; b = list of arguments")                                    \
    X(N_BINOP, "operator", "op = OP_*; a, b")                                                      \
    X(N_UNOP, "operator", "op = OP_NEG or OP_NOT; a")                                              \
    X(N_IF, "if", "a = condition; b = then; c = else")                                             \
    X(N_TABLE, "table",                                                                            \
      "op = TABLE_STEP/TABLE_BRACKET/TABLE_CURVE/TABLE_LOOKUP; a = argument; b = list of N_ENTRY") \
    X(N_ENTRY, "entry", "a = key; b = value (N_REST for rest); op = 1: the else entry")            \
    X(N_REST, "rest", "")                                                                          \
    X(N_WHERE, "where", "a = members (a level, or LEVEL.attribute); b = condition")                \
    /* declarations */                                                                             \
    X(N_PLAN, "plan", "str = title; a = list of N_ATTR")                                           \
    X(N_ATTR, "setting", "name; a = value")                                                        \
    X(N_DIMENSION, "dimension",                                                                    \
      "name; str = label; a = levels (N_NAME list); b = members; c = from path N_STR or "          \
      "N_SOURCE; d = "                                                                             \
      "mapping")                                                                                   \
    X(N_MEMBER, "member", "name; str = label; a = body (N_ATTR and N_MEMBER)")                     \
    X(N_METRIC, "metric",                                                                          \
      "name; str = label; a = kind N_NAME (money...); b = option N_NAME (lower_is_better); c = "   \
      "derived expr, op = MK_DERIVED (a: its declared kind, or NULL), flags = its Kind "           \
      "(resolve)")                                                                                 \
    X(N_LET, "let", "name; a = expr")                                                              \
    X(N_FN, "fn", "name; a = params (N_NAME list); b = body")                                      \
    X(N_TARGET, "target",                                                                          \
      "name = metric; a = expr, or c = from path N_STR; d = mapping; op = TARGET_BY_YEAR: b = "    \
      "list of N_ENTRY (FYyyyy: expr), a = this year's value once checked")                        \
    X(N_SPLIT, "split", "name = metric; a = level N_NAME; b = scope list; c = spec; d = N_ADJUST") \
    X(N_SPEC_MAP, "split values", "a = list of N_ENTRY")                                           \
    X(N_SPEC_WEIGHTS, "weights", "a = list of N_ENTRY")                                            \
    X(N_SPEC_PROP, "proportional to", "a = expr")                                                  \
    X(N_SPEC_EQUAL, "equally", "")                                                                 \
    X(N_SPEC_SEASON, "seasonality", "name = history")                                              \
    X(N_SPEC_LIKE, "like", "name = metric")                                                        \
    X(N_ADJUST, "adjustment", "op = ADJ_OVERASSIGN/ADJ_RESERVE; a = expr")                         \
    X(N_HISTORY, "history", "name; c = path N_STR; d = mapping")                                   \
    X(N_SOURCE, "source",                                                                          \
      "a table of a declared source, in place of a path N_STR (c of a dimension, target, "         \
      "history, "                                                                                  \
      "actuals): name = source; a = table N_STR; b = source N_STR; str = NAME:TABLE, the name "    \
      "diagnostics use")                                                                           \
    X(N_ACTUALS, "actuals", "c = path N_STR; d = mapping")                                         \
    X(N_INCENTIVE, "incentive", "name; a = level N_NAME; b = list of N_ATTR lines")                \
    X(N_SCORECARD, "scorecard", "name; a = level N_NAME; b = list of N_KPI and N_RATING")          \
    X(N_KPI, "kpi", "name = metric; a = weight; b = cap; c = curve N_TABLE")                       \
    X(N_RATING, "rating", "a = list of N_ENTRY (key N_NAME)")                                      \
    X(N_REVIEW, "review", "name = cadence; a = list of review items")                              \
    X(N_STATUS, "status", "name = metric; a = list of N_ENTRY (green/amber)")                      \
    X(N_FLAG, "flag deviation", "a = expr")                                                        \
    X(N_REFORECAST, "reforecast", "name = metric; a = period (N_NAME) or NULL")                    \
    X(N_GROWTH, "growth", "name = metric; str = its history (check)")                              \
    X(N_USE_SCORECARD, "scorecard", "name")                                                        \
    X(N_USE_INCENTIVE, "incentive", "name")                                                        \
    X(N_RANK, "rank", "name = scorecard; a = within level N_NAME; b = bottom expr")                \
    X(N_NOTES, "notes", "c = path N_STR (member, period, metric, text)")                           \
    X(N_RUN_FLAG, "flag", "name = flag; a = condition; b = count N_NUM; c = period unit N_NAME")   \
    X(N_SCENARIO, "scenario", "name; a = list of N_ATTR (name NULL: every metric)")                \
    X(N_EXAMPLE, "example",                                                                        \
      "str = title; name = incentive; a = given list of N_ENTRY; b = expect list of N_ATTR")       \
    X(N_ASSERT, "assert", "name = scenario or NULL; a = condition; str = message")                 \
    X(N_REPORT, "report", "str = title; a = list of N_SHOW")                                       \
    X(N_SHOW, "show",                                                                              \
      "op = SHOW_*; name; a = levels (N_NAME list; a reforecast's period); b = the metrics after " \
      "the first (N_NAME list: side by side)")                                                     \
    X(N_IMPORT, "import", "str = path")

typedef enum {
#define X(k, text, slots) k,
    AST_KINDS(X)
#undef X
        N__COUNT
} NodeKind;

/* The op field of N_BINOP and N_UNOP (operators), N_TABLE (its form) and
 * N_ADJUST (over-assignment or reserve): our own codes, never the parser's
 * tokens.  X(code, text as written in a plan) */
#define AST_OPS(X)                                                                                 \
    X(OP_ADD, "+")                                                                                 \
    X(OP_SUB, "-")                                                                                 \
    X(OP_MUL, "*")                                                                                 \
    X(OP_DIV, "/")                                                                                 \
    X(OP_LT, "<")                                                                                  \
    X(OP_GT, ">")                                                                                  \
    X(OP_LE, "<=")                                                                                 \
    X(OP_GE, ">=")                                                                                 \
    X(OP_EQ, "==")                                                                                 \
    X(OP_NE, "!=")                                                                                 \
    X(OP_AND, "and")                                                                               \
    X(OP_OR, "or")                                                                                 \
    X(OP_NOT, "not")                                                                               \
    X(OP_NEG, "-")                                                                                 \
    X(TABLE_STEP, "step")                                                                          \
    X(TABLE_BRACKET, "bracket")                                                                    \
    X(TABLE_CURVE, "curve")                                                                        \
    X(TABLE_LOOKUP, "table")                                                                       \
    X(ADJ_OVERASSIGN, "overassign")                                                                \
    X(ADJ_RESERVE, "reserve")

typedef enum {
    OP_NONE,
#define X(code, text) code,
    AST_OPS(X)
#undef X
        OP__COUNT
} AstOp;

/* The text of an op as written in a plan ("<=", "and", "bracket"). */
const char *ast_op_text(int op);
/* Whether op compares (<, >, <=, >=, ==, !=). */
bool ast_op_compares(int op);

/* The forms of a split (the kind of N_SPLIT's c slot), listed once.  The
 * stages that handle splits switch over SplitForm without a default, so
 * the compiler (-Wswitch) names every place a new form must be handled:
 * the checker's rule, the allocation's weights, --explain's phrase and the
 * formatter's layout.  X(form, node kind) */
#define SPLIT_FORMS(X)                                                                             \
    X(SPLIT_VALUES, N_SPEC_MAP)                                                                    \
    X(SPLIT_WEIGHTS, N_SPEC_WEIGHTS)                                                               \
    X(SPLIT_PROPORTIONAL, N_SPEC_PROP)                                                             \
    X(SPLIT_EQUALLY, N_SPEC_EQUAL)                                                                 \
    X(SPLIT_SEASONALITY, N_SPEC_SEASON)                                                            \
    X(SPLIT_LIKE, N_SPEC_LIKE)

typedef enum {
#define X(form, kind) form,
    SPLIT_FORMS(X)
#undef X
} SplitForm;

typedef enum { MK_MONEY, MK_COUNT, MK_PERCENT, MK_SCORE, MK_DERIVED } MetricKind;
/* N_TARGET's op: one value, or a value per fiscal year. */
typedef enum { TARGET_ONE, TARGET_BY_YEAR } TargetForm;
typedef enum { SHOW_METRIC, SHOW_SCORECARD, SHOW_INCENTIVE, SHOW_REVIEW, SHOW_REFORECAST } ShowKind;
/* The word after `show` that says the kind, with a space ("review "), or
 * "" (a metric's table). */
const char *ast_show_word(int op);

typedef struct Node Node;
struct Node { /* 128 bytes: the Num first, the small fields in one word */
    Num num;
    NodeKind kind : 8;
    int op : 16;   /* the small codes above (OP_*, SHOW_*, ...) */
    int flags : 8; /* expressions: the Kind (model/model.h) the checker found, 0 before;
                      a derived metric: the Kind of its expression */
    int depth;     /* expression nesting, bounded by the parser */
    Loc loc;       /* the whole construct */
    Loc name_loc;  /* the name, when there is one */
    const char *name;
    const char *str;
    Node *a, *b, *c, *d;
    Node *next;
};
_Static_assert(N__COUNT <= 128, "a Node's kind has 8 bits");
_Static_assert(OP__COUNT <= 32767, "a Node's op has 16 bits");

const char *ast_kind_name(NodeKind k);
/* The form of a split's spec node (one of the N_SPEC_ kinds). */
SplitForm ast_split_form(const Node *spec);

Node *ast_new(Arena *arena, NodeKind kind, Loc loc);
/* Appends item to a list kept as head (returned) with items linked by next. */
Node *ast_append(Node *list, Node *item);
size_t ast_list_len(const Node *list);
/* The bytes of n's source text (its loc, the last character whole):
 * [*start, *end) in n->loc.src->text. */
void ast_source_range(const Node *n, size_t *start, size_t *end);

/* Prints the tree (for tests and --dump-ast), one node per line. */
void ast_dump(FILE *out, const Node *n, int depth);

#endif
