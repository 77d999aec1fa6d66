/* parser.y -- tokens to AST.  Pure, reentrant, %expect 0.
 * Actions only build nodes; every check that needs names or values lives
 * in the checker (check/).  Newlines are white space, so statements are told
 * apart by their leading keyword; entries in { } may be separated by ',',
 * ';' or nothing. */
%require "3.8"
%define api.pure full
%define api.prefix {sp_yy}
%define parse.error custom
%define parse.lac full
%locations
%expect 0

%code requires {
#include "syntax/ast.h"
#include "syntax/parse_int.h"
typedef void *yyscan_t;
}

%param {yyscan_t scanner}
%parse-param {ParseCtx *ctx}

%union {
    Node *node;
    const char *str;
    NodeList list;
    int ival;
}

%code {
#include <string.h>
int sp_yylex(SP_YYSTYPE *yylval, SP_YYLTYPE *yylloc, yyscan_t scanner);
static Loc L(ParseCtx *ctx, SP_YYLTYPE l);
static Node *mk(ParseCtx *ctx, NodeKind k, SP_YYLTYPE l);
static Node *named(ParseCtx *ctx, NodeKind k, SP_YYLTYPE l, const char *name, SP_YYLTYPE nl);

static Node *binop(ParseCtx *ctx, SP_YYLTYPE l, int op, Node *a, Node *b);
static Node *deep(ParseCtx *ctx, Node *n);
static void sp_yyerror(SP_YYLTYPE *l, yyscan_t scanner, ParseCtx *ctx, const char *msg);
static NodeList list1(Node *n) { return (NodeList){n, n, false}; }
#define LIST1(x) list1(x)
#define PUSH(l, x) (list_push(&(l), (x)), (l))
}

%token <str> IDENT "name"
%token <node> NUMBER "number" STRING "string" MONTH "month" DATE "date"
%token LE "<=" GE ">=" EQ "==" NE "!="
%token <str> PLAN "plan" DIMENSION "dimension" LEVELS "levels" FROM "from" METRIC "metric"
%token <str> LET "let" FN "fn" TARGET "target" SPLIT "split" BY "by" IN "in" REST "rest"
%token <str> WEIGHTS "weights" PROPORTIONAL "proportional" TO "to" EQUALLY "equally"
%token <str> SEASONALITY "seasonality" LIKE "like" OVERASSIGN "overassign" RESERVE "reserve"
%token <str> HISTORY "history" ACTUALS "actuals" INCENTIVE "incentive" PER "per"
%token <str> SCORECARD "scorecard" KPI "kpi" WEIGHT "weight" CAP "cap" SCORE "score"
%token <str> CURVE "curve" RATING "rating" REVIEW "review" STATUS "status" FLAG "flag"
%token <str> DEVIATION "deviation" REFORECAST "reforecast" RANK "rank" WITHIN "within"
%token <str> BOTTOM "bottom" SCENARIO "scenario" EXAMPLE "example" GIVEN "given"
%token <str> EXPECT "expect" ASSERT "assert" REPORT "report" SHOW "show" IMPORT "import"
%token <str> IF "if" THEN "then" ELSE "else" AND "and" OR "or" NOT "not" STEP "step"
%token <str> BRACKET "bracket" TABLE "table" FOR "for" WHERE "where" GROWTH "growth"
%token <str> NOTES "notes" SOURCE "source"

%type <str> name soft field_name
%type <node> stmt expr primary postfix opt_label table entry key value member_ref
%type <node> split_spec opt_adjust opt_mapping mapping member attr body_item
%type <node> opt_cap opt_curve sc_item rv_item opt_within opt_bottom show scen_item
%type <node> given_item given_lhs opt_message arg db_source
%type <list> attrs entries args opt_args members levels body names scope scope_list
%type <list> mappings sc_items rv_items shows scen_items given_items expect_items
%type <list> params opt_params show_levels

%precedence BY   /* `show reforecast by quarter` shows a metric named reforecast */
%precedence TABLE /* `table(` begins a lookup table; `table` alone is a name */
%precedence LOW
%precedence ELSE
%left OR
%left AND
%precedence NOT
%nonassoc '<' '>' LE GE EQ NE
%left '+' '-'
%left '*' '/'
%precedence UMINUS
%precedence '('

%%

plan: %empty
    | plan stmt        { parse_item(ctx, $2); }
    | plan error       { }
    ;

sep: %empty | ',' | ';' ;
semi: %empty | ';' ;

name: IDENT | soft ;

/* Words that are keywords only inside some statement stay usable as names. */
soft: LEVELS | FROM | BY | IN | WEIGHTS | PROPORTIONAL | TO | EQUALLY | SEASONALITY | LIKE
    | OVERASSIGN | RESERVE | PER | KPI | WEIGHT | CAP | SCORE | RATING | STATUS | FLAG
    | DEVIATION | REFORECAST %prec LOW | RANK | WITHIN | BOTTOM | NOTES | FOR | TABLE | WHERE
    | GROWTH | SOURCE
    ;

/* After '.', any word is a field name: revenue.target, org.per. */
field_name: name | PLAN | DIMENSION | METRIC | LET | FN | TARGET | SPLIT | REST | HISTORY
          | ACTUALS | INCENTIVE | SCORECARD | CURVE | REVIEW | SCENARIO | EXAMPLE | GIVEN
          | EXPECT | ASSERT | REPORT | SHOW | IMPORT | IF | THEN | ELSE | AND | OR | NOT | STEP
          | BRACKET
          ;

opt_label: %empty { $$ = NULL; } | STRING ;

stmt: PLAN opt_label '{' attrs '}'
        { $$ = mk(ctx, N_PLAN, @$); $$->str = $2 ? $2->str : NULL; $$->a = $4.head; }
    | DIMENSION name opt_label levels '{' members '}'
        { $$ = named(ctx, N_DIMENSION, @$, $2, @2); $$->str = $3 ? $3->str : NULL;
          $$->a = $4.head; $$->b = $6.head; }
    | DIMENSION name opt_label levels FROM STRING opt_mapping
        { $$ = named(ctx, N_DIMENSION, @$, $2, @2); $$->str = $3 ? $3->str : NULL;
          $$->a = $4.head; $$->c = $6; $$->d = $7; }
    | DIMENSION name opt_label levels FROM db_source opt_mapping
        { $$ = named(ctx, N_DIMENSION, @$, $2, @2); $$->str = $3 ? $3->str : NULL;
          $$->a = $4.head; $$->c = $6; $$->d = $7; }
    | METRIC name opt_label name
        { $$ = named(ctx, N_METRIC, @$, $2, @2); $$->str = $3 ? $3->str : NULL;
          $$->a = named(ctx, N_NAME, @4, $4, @4); }
    | METRIC name opt_label name name
        { $$ = named(ctx, N_METRIC, @$, $2, @2); $$->str = $3 ? $3->str : NULL;
          $$->a = named(ctx, N_NAME, @4, $4, @4); $$->b = named(ctx, N_NAME, @5, $5, @5); }
    | METRIC name opt_label '=' expr
        { $$ = named(ctx, N_METRIC, @$, $2, @2); $$->str = $3 ? $3->str : NULL;
          $$->op = MK_DERIVED; $$->c = $5; }
    | METRIC name opt_label name '=' expr
        { $$ = named(ctx, N_METRIC, @$, $2, @2); $$->str = $3 ? $3->str : NULL;
          $$->a = named(ctx, N_NAME, @4, $4, @4); $$->op = MK_DERIVED; $$->c = $6; }
    | LET name '=' expr           { $$ = named(ctx, N_LET, @$, $2, @2); $$->a = $4; }
    | FN name '(' opt_params ')' '=' expr
        { $$ = named(ctx, N_FN, @$, $2, @2); $$->a = $4.head; $$->b = $7; }
    | TARGET name '=' expr        { $$ = named(ctx, N_TARGET, @$, $2, @2); $$->a = $4; }
    | TARGET name '=' '{' entries '}'
        { $$ = named(ctx, N_TARGET, @$, $2, @2); $$->op = TARGET_BY_YEAR; $$->b = $5.head; }
    | TARGET name FROM STRING opt_mapping
        { $$ = named(ctx, N_TARGET, @$, $2, @2); $$->c = $4; $$->d = $5; }
    | TARGET name FROM db_source opt_mapping
        { $$ = named(ctx, N_TARGET, @$, $2, @2); $$->c = $4; $$->d = $5; }
    | SPLIT name BY name scope split_spec opt_adjust
        { $$ = named(ctx, N_SPLIT, @$, $2, @2); $$->a = named(ctx, N_NAME, @4, $4, @4);
          $$->b = $5.head; $$->c = $6; $$->d = $7; }
    | SPLIT name LIKE name
        { $$ = named(ctx, N_SPLIT, @$, $2, @2); $$->c = named(ctx, N_SPEC_LIKE, @3, $4, @4); }
    | HISTORY name '=' STRING opt_mapping
        { $$ = named(ctx, N_HISTORY, @$, $2, @2); $$->c = $4; $$->d = $5; }
    | ACTUALS STRING opt_mapping  { $$ = mk(ctx, N_ACTUALS, @$); $$->c = $2; $$->d = $3; }
    | HISTORY name '=' db_source opt_mapping
        { $$ = named(ctx, N_HISTORY, @$, $2, @2); $$->c = $4; $$->d = $5; }
    | ACTUALS FROM db_source opt_mapping { $$ = mk(ctx, N_ACTUALS, @$); $$->c = $3; $$->d = $4; }
    | INCENTIVE name PER name '{' attrs '}'
        { $$ = named(ctx, N_INCENTIVE, @$, $2, @2); $$->a = named(ctx, N_NAME, @4, $4, @4);
          $$->b = $6.head; }
    | SCORECARD name PER name '{' sc_items '}'
        { $$ = named(ctx, N_SCORECARD, @$, $2, @2); $$->a = named(ctx, N_NAME, @4, $4, @4);
          $$->b = $6.head; $$->op = $6.broken; /* check: no weight sum over a dropped kpi */ }
    | REVIEW name '{' rv_items '}' { $$ = named(ctx, N_REVIEW, @$, $2, @2); $$->a = $4.head; }
    | SCENARIO name '{' scen_items '}'
        { $$ = named(ctx, N_SCENARIO, @$, $2, @2); $$->a = $4.head; }
    | EXAMPLE STRING name '{' GIVEN given_items EXPECT expect_items '}'
        { $$ = named(ctx, N_EXAMPLE, @$, $3, @3); $$->str = $2->str; $$->a = $6.head;
          $$->b = $8.head; }
    | ASSERT expr opt_message     { $$ = mk(ctx, N_ASSERT, @$); $$->a = $2; $$->str = $3 ? $3->str : NULL; }
    | ASSERT name ':' expr opt_message
        { $$ = named(ctx, N_ASSERT, @$, $2, @2); $$->a = $4; $$->str = $5 ? $5->str : NULL; }
    | REPORT STRING '{' shows '}' { $$ = mk(ctx, N_REPORT, @$); $$->str = $2->str; $$->a = $4.head; }
    | show
    | IMPORT STRING               { $$ = mk(ctx, N_IMPORT, @$); $$->str = $2->str; $$->c = $2; }
    ;

/* source "crm" table "sales": a table of a database the command line names. */
db_source: SOURCE STRING TABLE STRING
        { $$ = mk(ctx, N_SOURCE, @$); $$->name = $2->str; $$->name_loc = $2->loc; $$->a = $4; $$->b = $2;
          $$->str = arena_printf(ctx->arena, "%s:%s", $2->str, $4->str); }
       ;

opt_message: %empty { $$ = NULL; } | STRING ;

attrs: %empty                    { $$ = (NodeList){0}; }
     | attrs attr sep            { $$ = PUSH($1, $2); }
     | attrs error sep           { $$ = $1; }
     ;
attr: name '=' expr             { $$ = named(ctx, N_ATTR, @$, $1, @1); $$->a = $3; } ;

levels: %empty                   { $$ = (NodeList){0}; }
      | LEVELS names             { $$ = $2; }
      ;
names: name                      { $$ = LIST1(named(ctx, N_NAME, @1, $1, @1)); }
     | names '>' name            { $$ = PUSH($1, named(ctx, N_NAME, @3, $3, @3)); }
     ;

members: %empty                  { $$ = (NodeList){0}; }
       | members member sep      { $$ = PUSH($1, $2); }
       | members error sep       { $$ = $1; }
       ;
member: name opt_label           { $$ = named(ctx, N_MEMBER, @$, $1, @1); $$->str = $2 ? $2->str : NULL; }
      | name opt_label '{' body '}'
          { $$ = named(ctx, N_MEMBER, @$, $1, @1); $$->str = $2 ? $2->str : NULL; $$->a = $4.head; }
      ;
body: %empty                     { $$ = (NodeList){0}; }
    | body body_item sep         { $$ = PUSH($1, $2); }
    | body error sep             { $$ = $1; }
    ;
body_item: attr | member ;

opt_mapping: %empty              { $$ = NULL; }
           | '{' mappings '}'    { $$ = $2.head ? $2.head : mk(ctx, N_ATTR, @$); }
           ;
mappings: %empty                 { $$ = (NodeList){0}; }
        | mappings mapping sep   { $$ = PUSH($1, $2); }
        | mappings error sep     { $$ = $1; }
        ;
mapping: name '=' name           { $$ = named(ctx, N_ATTR, @$, $1, @1); $$->a = named(ctx, N_NAME, @3, $3, @3); }
       | name '=' STRING         { $$ = named(ctx, N_ATTR, @$, $1, @1); $$->a = $3; }
       ;

opt_params: %empty               { $$ = (NodeList){0}; } | params ;
params: name                     { $$ = LIST1(named(ctx, N_NAME, @1, $1, @1)); }
      | params ',' name          { $$ = PUSH($1, named(ctx, N_NAME, @3, $3, @3)); }
      ;

scope: %empty                    { $$ = (NodeList){0}; }
     | IN scope_list             { $$ = $2; }
     ;
scope_list: member_ref           { $$ = LIST1($1); }
          | scope_list ',' member_ref { $$ = PUSH($1, $3); }
          ;
member_ref: name                 { $$ = named(ctx, N_NAME, @$, $1, @1); }
          | name '.' name        { $$ = mk(ctx, N_FIELD, @$); $$->a = named(ctx, N_NAME, @1, $1, @1);
                                   $$->name = $3; $$->name_loc = L(ctx, @3); }
          | MONTH
          ;

split_spec: '{' entries '}'      { $$ = mk(ctx, N_SPEC_MAP, @$); $$->a = $2.head; }
          | WEIGHTS '{' entries '}' { $$ = mk(ctx, N_SPEC_WEIGHTS, @$); $$->a = $3.head; }
          | PROPORTIONAL TO expr { $$ = mk(ctx, N_SPEC_PROP, @$); $$->a = $3; }
          | EQUALLY              { $$ = mk(ctx, N_SPEC_EQUAL, @$); }
          | SEASONALITY name     { $$ = named(ctx, N_SPEC_SEASON, @$, $2, @2); }
          | LIKE name            { $$ = named(ctx, N_SPEC_LIKE, @$, $2, @2); }
          ;
opt_adjust: %empty %prec LOW     { $$ = NULL; }
          | OVERASSIGN expr      { $$ = mk(ctx, N_ADJUST, @$); $$->op = ADJ_OVERASSIGN; $$->a = $2; }
          | RESERVE expr         { $$ = mk(ctx, N_ADJUST, @$); $$->op = ADJ_RESERVE; $$->a = $2; }
          ;

/* { key: value, ... } for splits, tables, ratings and status bands. */
entries: %empty                  { $$ = (NodeList){0}; }
       | entries entry sep       { $$ = PUSH($1, $2); }
       | entries error sep       { $$ = $1; }
       ;
entry: key ':' value             { $$ = mk(ctx, N_ENTRY, @$); $$->a = $1; $$->b = $3; }
     | ELSE ':' value            { $$ = mk(ctx, N_ENTRY, @$); $$->op = 1;
                                   $$->a = named(ctx, N_NAME, @1, "else", @1); $$->b = $3; }
     ;
key: expr ;
value: expr %prec LOW | REST               { $$ = mk(ctx, N_REST, @1); } ;

sc_items: %empty                 { $$ = (NodeList){0}; }
        | sc_items sc_item sep   { $$ = PUSH($1, $2); }
        | sc_items error sep     { $$ = $1; $$.broken = true; }
        ;
sc_item: KPI name WEIGHT expr opt_cap opt_curve
           { $$ = named(ctx, N_KPI, @$, $2, @2); $$->a = $4; $$->b = $5; $$->c = $6; }
       | RATING '{' entries '}'  { $$ = mk(ctx, N_RATING, @$); $$->a = $3.head; }
       ;
opt_cap: %empty                  { $$ = NULL; } | CAP expr { $$ = $2; } ;
opt_curve: %empty                { $$ = NULL; }
         | SCORE CURVE '{' entries '}' { $$ = mk(ctx, N_TABLE, @$); $$->op = TABLE_CURVE; $$->b = $4.head; }
         ;

rv_items: %empty                 { $$ = (NodeList){0}; }
        | rv_items rv_item sep   { $$ = PUSH($1, $2); }
        | rv_items error sep     { $$ = $1; }
        ;
rv_item: STATUS name '{' entries '}' { $$ = named(ctx, N_STATUS, @$, $2, @2); $$->a = $4.head; }
       | STATUS name %prec LOW    { $$ = named(ctx, N_STATUS, @$, $2, @2); $$->op = 1; /* no bands */ }
       | FLAG DEVIATION expr     { $$ = mk(ctx, N_FLAG, @$); $$->a = $3; }
       | REFORECAST name         { $$ = named(ctx, N_REFORECAST, @$, $2, @2); }
       | REFORECAST name BY name { $$ = named(ctx, N_REFORECAST, @$, $2, @2); $$->a = named(ctx, N_NAME, @4, $4, @4); }
       | GROWTH '(' name ')'     { $$ = named(ctx, N_GROWTH, @$, $3, @3); }
       | SCORECARD name          { $$ = named(ctx, N_USE_SCORECARD, @$, $2, @2); }
       | INCENTIVE name          { $$ = named(ctx, N_USE_INCENTIVE, @$, $2, @2); }
       | RANK name opt_within opt_bottom
           { $$ = named(ctx, N_RANK, @$, $2, @2); $$->a = $3; $$->b = $4; }
       | NOTES STRING            { $$ = mk(ctx, N_NOTES, @$); $$->c = $2; }
       | FLAG IDENT IF expr FOR NUMBER name
           { $$ = named(ctx, N_RUN_FLAG, @$, $2, @2); $$->a = $4; $$->b = $6;
             $$->c = named(ctx, N_NAME, @7, $7, @7); }
       ;
opt_within: %empty               { $$ = NULL; }
          | WITHIN name          { $$ = named(ctx, N_NAME, @2, $2, @2); }
          ;
opt_bottom: %empty %prec LOW     { $$ = NULL; } | BOTTOM expr { $$ = $2; } ;

scen_items: %empty               { $$ = (NodeList){0}; }
          | scen_items scen_item sep { $$ = PUSH($1, $2); }
          | scen_items error sep { $$ = $1; }
          ;
scen_item: name '=' expr         { $$ = named(ctx, N_ATTR, @$, $1, @1); $$->a = $3; }
         | name name '=' expr    { $$ = named(ctx, N_ATTR, @$, $2, @2); $$->a = $4;
                                   $$->b = named(ctx, N_NAME, @1, $1, @1); }
         ;

given_items: %empty              { $$ = (NodeList){0}; }
           | given_items given_item sep { $$ = PUSH($1, $2); }
           | given_items error sep { $$ = $1; }
           ;
given_item: given_lhs '=' expr   { $$ = mk(ctx, N_ENTRY, @$); $$->a = $1; $$->b = $3; } ;
given_lhs: name                  { $$ = named(ctx, N_NAME, @$, $1, @1); }
         | IDENT '(' opt_args ')' { $$ = named(ctx, N_CALL, @$, $1, @1); $$->b = $3.head; }
         | soft '(' opt_args ')'  { $$ = named(ctx, N_CALL, @$, $1, @1); $$->b = $3.head; }
         | given_lhs '.' field_name { $$ = mk(ctx, N_FIELD, @$); $$->a = $1; $$->name = $3; $$->name_loc = L(ctx, @3); }
         ;
expect_items: %empty             { $$ = (NodeList){0}; }
            | expect_items attr sep { $$ = PUSH($1, $2); }
            | expect_items error sep { $$ = $1; }
            ;

shows: %empty                    { $$ = (NodeList){0}; }
     | shows show semi           { $$ = PUSH($1, $2); }
     | shows error semi          { $$ = $1; }
     ;
show: SHOW name                  { $$ = named(ctx, N_SHOW, @$, $2, @2); $$->op = SHOW_METRIC; }
    | SHOW name BY show_levels   { $$ = named(ctx, N_SHOW, @$, $2, @2); $$->op = SHOW_METRIC; $$->a = $4.head; }
    | SHOW name ',' show_levels  { $$ = named(ctx, N_SHOW, @$, $2, @2); $$->op = SHOW_METRIC; $$->b = $4.head; }
    | SHOW name ',' show_levels BY show_levels
        { $$ = named(ctx, N_SHOW, @$, $2, @2); $$->op = SHOW_METRIC; $$->b = $4.head; $$->a = $6.head; }
    | SHOW SCORECARD name        { $$ = named(ctx, N_SHOW, @$, $3, @3); $$->op = SHOW_SCORECARD; }
    | SHOW INCENTIVE name        { $$ = named(ctx, N_SHOW, @$, $3, @3); $$->op = SHOW_INCENTIVE; }
    | SHOW REVIEW name           { $$ = named(ctx, N_SHOW, @$, $3, @3); $$->op = SHOW_REVIEW; }
    | SHOW REFORECAST name       { $$ = named(ctx, N_SHOW, @$, $3, @3); $$->op = SHOW_REFORECAST; }
    | SHOW REFORECAST name BY name
        { $$ = named(ctx, N_SHOW, @$, $3, @3); $$->op = SHOW_REFORECAST; $$->a = named(ctx, N_NAME, @5, $5, @5); }
    ;

expr: postfix
    | '-' expr %prec UMINUS      { $$ = mk(ctx, N_UNOP, @$); $$->op = OP_NEG; $$->a = $2; $$ = deep(ctx, $$); }
    | NOT expr                   { $$ = mk(ctx, N_UNOP, @$); $$->op = OP_NOT; $$->a = $2; $$ = deep(ctx, $$); }
    | expr '+' expr              { $$ = binop(ctx, @$, OP_ADD, $1, $3); }
    | expr '-' expr              { $$ = binop(ctx, @$, OP_SUB, $1, $3); }
    | expr '*' expr              { $$ = binop(ctx, @$, OP_MUL, $1, $3); }
    | expr '/' expr              { $$ = binop(ctx, @$, OP_DIV, $1, $3); }
    | expr '<' expr              { $$ = binop(ctx, @$, OP_LT, $1, $3); }
    | expr '>' expr              { $$ = binop(ctx, @$, OP_GT, $1, $3); }
    | expr LE expr               { $$ = binop(ctx, @$, OP_LE, $1, $3); }
    | expr GE expr               { $$ = binop(ctx, @$, OP_GE, $1, $3); }
    | expr EQ expr               { $$ = binop(ctx, @$, OP_EQ, $1, $3); }
    | expr NE expr               { $$ = binop(ctx, @$, OP_NE, $1, $3); }
    | expr AND expr              { $$ = binop(ctx, @$, OP_AND, $1, $3); }
    | expr OR expr               { $$ = binop(ctx, @$, OP_OR, $1, $3); }
    | IF expr THEN expr ELSE expr
        { $$ = mk(ctx, N_IF, @$); $$->a = $2; $$->b = $4; $$->c = $6; $$ = deep(ctx, $$); }
    ;

postfix: primary
       | postfix '.' field_name  { $$ = mk(ctx, N_FIELD, @$); $$->a = $1; $$->name = $3; $$->name_loc = L(ctx, @3); $$ = deep(ctx, $$); }
       | postfix '[' args ']'    { $$ = mk(ctx, N_INDEX, @$); $$->a = $1; $$->b = $3.head; $$ = deep(ctx, $$); }
       ;

primary: NUMBER | STRING | MONTH | DATE
       | IDENT %prec LOW         { $$ = named(ctx, N_NAME, @$, $1, @1); }
       | soft %prec LOW          { $$ = named(ctx, N_NAME, @$, $1, @1); }
       | IDENT '(' opt_args ')'  { $$ = named(ctx, N_CALL, @$, $1, @1); $$->b = $3.head; $$ = deep(ctx, $$); }
       | soft '(' opt_args ')'   { $$ = named(ctx, N_CALL, @$, $1, @1); $$->b = $3.head; $$ = deep(ctx, $$); }
       | '(' expr ')'            { $$ = $2; }
       | table
       | HISTORY '.' field_name  { $$ = mk(ctx, N_FIELD, @$); $$->a = named(ctx, N_NAME, @1, $1, @1);
                                   $$->name = $3; $$->name_loc = L(ctx, @3); $$ = deep(ctx, $$); }
       ;

table: STEP expr '{' entries '}'    { $$ = mk(ctx, N_TABLE, @$); $$->op = TABLE_STEP; $$->a = $2; $$->b = $4.head; $$ = deep(ctx, $$); }
     | BRACKET expr '{' entries '}' { $$ = mk(ctx, N_TABLE, @$); $$->op = TABLE_BRACKET; $$->a = $2; $$->b = $4.head; $$ = deep(ctx, $$); }
     | CURVE expr '{' entries '}'   { $$ = mk(ctx, N_TABLE, @$); $$->op = TABLE_CURVE; $$->a = $2; $$->b = $4.head; $$ = deep(ctx, $$); }
     | TABLE '(' expr ')' '{' entries '}' { $$ = mk(ctx, N_TABLE, @$); $$->op = TABLE_LOOKUP; $$->a = $3; $$->b = $6.head; $$ = deep(ctx, $$); }
     ;

show_levels: name               { $$ = LIST1(named(ctx, N_NAME, @1, $1, @1)); }
           | show_levels ',' name { $$ = PUSH($1, named(ctx, N_NAME, @3, $3, @3)); }
           ;

opt_args: %empty                 { $$ = (NodeList){0}; } | args ;
args: arg                        { $$ = LIST1($1); }
    | args ',' arg               { $$ = PUSH($1, $3); }
    ;
/* count(rep where tier == "A"): the members a sum, avg or count takes */
arg: expr
   | expr WHERE expr             { $$ = mk(ctx, N_WHERE, @$); $$->a = $1; $$->b = $3; $$ = deep(ctx, $$); }
   ;

%%

static Loc L(ParseCtx *ctx, SP_YYLTYPE l)
{
    Loc loc = {ctx->src, l.first_line, l.first_column, l.last_line, l.last_column};
    return loc;
}

static Node *mk(ParseCtx *ctx, NodeKind k, SP_YYLTYPE l) { return ast_new(ctx->arena, k, L(ctx, l)); }

static Node *named(ParseCtx *ctx, NodeKind k, SP_YYLTYPE l, const char *name, SP_YYLTYPE nl)
{
    Node *n = mk(ctx, k, l);
    n->name = name;
    n->name_loc = L(ctx, nl);
    return n;
}

#define MAX_EXPR_DEPTH 1000

/* Bounds expression depth, so that no later tree walk can run out of
 * stack on "1 + 1 + ... + 1" written on a megabyte-long line. */
static Node *deep(ParseCtx *ctx, Node *n)
{
    int d = 0;
    const Node *kids[] = {n->a, n->b, n->c};
    for (int i = 0; i < 3; i++)
        for (const Node *k = kids[i]; k; k = k->next) { /* lists: arguments, entries */
            int kd = k->kind == N_ENTRY ? (k->a ? k->a->depth : 0) : k->depth;
            if (k->kind == N_ENTRY && k->b && k->b->depth > kd)
                kd = k->b->depth;
            if (kd > d)
                d = kd;
        }
    n->depth = d + 1;
    if (n->depth <= MAX_EXPR_DEPTH)
        return n;
    if (!ctx->fatal) {
        diag_error(ctx->diags, n->loc, "expression nested more than %d deep", MAX_EXPR_DEPTH);
        ctx->nerrors++;
    }
    ctx->fatal = true;
    Node *zero = ast_new(ctx->arena, N_NUM, n->loc);
    zero->str = "0";
    return zero;
}

static Node *binop(ParseCtx *ctx, SP_YYLTYPE l, int op, Node *a, Node *b)
{
    Node *n = mk(ctx, N_BINOP, l);
    n->op = op;
    n->a = a;
    n->b = b;
    return deep(ctx, n);
}

void list_push(NodeList *l, Node *n)
{
    if (!n)
        return;
    if (l->tail)
        l->tail->next = n;
    else
        l->head = n;
    l->tail = n;
    while (l->tail->next) /* n may itself be a list */
        l->tail = l->tail->next;
}

/* Soft keywords are names too: listing them all in "expected" is noise. */
static bool is_soft(yysymbol_kind_t s)
{
    switch (s) {
    case YYSYMBOL_LEVELS: case YYSYMBOL_FROM: case YYSYMBOL_BY: case YYSYMBOL_IN:
    case YYSYMBOL_WEIGHTS: case YYSYMBOL_PROPORTIONAL: case YYSYMBOL_TO: case YYSYMBOL_EQUALLY:
    case YYSYMBOL_SEASONALITY: case YYSYMBOL_LIKE: case YYSYMBOL_OVERASSIGN:
    case YYSYMBOL_RESERVE: case YYSYMBOL_PER: case YYSYMBOL_KPI: case YYSYMBOL_WEIGHT:
    case YYSYMBOL_CAP: case YYSYMBOL_SCORE: case YYSYMBOL_RATING: case YYSYMBOL_STATUS:
    case YYSYMBOL_FLAG: case YYSYMBOL_DEVIATION: case YYSYMBOL_REFORECAST: case YYSYMBOL_RANK:
    case YYSYMBOL_WITHIN: case YYSYMBOL_BOTTOM: case YYSYMBOL_NOTES: case YYSYMBOL_FOR:
    case YYSYMBOL_TABLE: case YYSYMBOL_WHERE: case YYSYMBOL_GROWTH: case YYSYMBOL_SOURCE:
        return true;
    default:
        return false;
    }
}

static const char *tok_name(yysymbol_kind_t s)
{
    switch (s) {
    case YYSYMBOL_YYEOF: return "end of file";
    default: return yysymbol_name(s);
    }
}

/* Only bison's own failures arrive here ("memory exhausted"). */
static void sp_yyerror(SP_YYLTYPE *l, yyscan_t scanner, ParseCtx *ctx, const char *msg)
{
    (void)scanner;
    if (ctx->fatal)
        return;
    ctx->fatal = true;
    ctx->nerrors++;
    diag_error(ctx->diags, L(ctx, *l), "the plan is too deeply nested to parse (%s)", msg);
}

/* At the end of input with a bracket open: "'}' expected (to close ...)". */
static void report_unclosed(ParseCtx *ctx)
{
    const OpenBracket *o = &ctx->open[ctx->depth - 1];
    char close = o->ch == '{' ? '}' : o->ch == '(' ? ')' : ']';
    Loc loc = ctx->eof_loc;
    if (o->stmt)
        diag_error(ctx->diags, loc, "'%c' expected (to close '%s' at line %d)", close, o->stmt,
                   o->stmt_line);
    else
        diag_error(ctx->diags, loc, "'%c' expected (to close '%c' at line %d)", close, o->ch,
                   o->loc.line);
    diag_note(ctx->diags, o->loc, "'%c' opened here", o->ch);
}

/* The tokens that could come next, "a, b or c", into b (left empty when
 * more than six); soft keywords are left out where a name would do. */
static void expected_tokens(const yypcontext_t *yyctx, Buf *b, bool *want_value)
{
    yysymbol_kind_t exp[YYNTOKENS];
    int n = yypcontext_expected_tokens(yyctx, exp, YYNTOKENS);
    bool want_name = false;
    *want_value = false;
    for (int i = 0; i < n; i++) {
        want_name |= exp[i] == YYSYMBOL_IDENT;
        *want_value |= exp[i] == YYSYMBOL_NUMBER;
    }
    int shown = 0;
    for (int i = 0; i < n; i++)
        shown += !(want_name && is_soft(exp[i]));
    if (n <= 0 || shown > 6)
        return;
    for (int i = 0, k = 0; i < n; i++) {
        if (want_name && is_soft(exp[i]))
            continue;
        buf_printf(b, "%s%s", k == 0 ? "" : k == shown - 1 ? " or " : ", ", tok_name(exp[i]));
        k++;
    }
}

static int yyreport_syntax_error(const yypcontext_t *yyctx, yyscan_t scanner, ParseCtx *ctx)
{
    (void)scanner;
    if (ctx->fatal)
        return 0;
    ctx->nerrors++;
    yysymbol_kind_t tok = yypcontext_token(yyctx);
    if (tok == YYSYMBOL_YYEOF && ctx->depth > 0) {
        report_unclosed(ctx);
        return 0;
    }
    Buf b = {0};
    bool want_value;
    expected_tokens(yyctx, &b, &want_value);
    Loc loc = tok == YYSYMBOL_YYEOF ? ctx->eof_loc : L(ctx, *yypcontext_location(yyctx));
    if (b.len)
        diag_error(ctx->diags, loc, "unexpected %s, expected %s", tok_name(tok), buf_cstr(&b));
    else if (want_value)
        diag_error(ctx->diags, loc, "unexpected %s, expected a value", tok_name(tok));
    else
        diag_error(ctx->diags, loc, "unexpected %s", tok_name(tok));
    if (tok == YYSYMBOL_NUMBER || tok == YYSYMBOL_IDENT)
        if (strstr(buf_cstr(&b), "'}'") || strstr(buf_cstr(&b), "':'"))
            diag_note_plain(ctx->diags, "entries in { } are 'name: value' or 'name = value'");
    buf_free(&b);
    return 0;
}
