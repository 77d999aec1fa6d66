#!/usr/bin/env node
// gen-grammar.js -- writes syntaxes/salesplan.tmLanguage.json, the TextMate
// grammar of .plan files, and editors/vim (the Vim syntax file, file type
// detection and settings) from the interpreter's own lists, so that the
// grammars and the language cannot drift apart:
//   the keywords        SYNTAX_KEYWORDS in interp/syntax/syntax.h (with
//                       their "starts a statement" flag)
//   the builtins        eval_builtins[] in interp/eval/builtins.c
//   the month names     cal_month_names in interp/base/calendar.c
// and the lexical rules of interp/syntax/lexer.l and num.c's scan_literal,
// mirrored below.  --check: exit 1 when a committed file differs from
// what this script writes (make check-grammar-keywords); without it, the
// grammar is rewritten (make grammar).
'use strict';
const fs = require('fs');
const path = require('path');

const top = path.resolve(__dirname, '..', '..', '..');
const out = path.resolve(__dirname, '..', 'syntaxes', 'salesplan.tmLanguage.json');

function read(rel) {
  return fs.readFileSync(path.join(top, rel), 'utf8');
}

function fail(msg) {
  process.stderr.write(`gen-grammar: ${msg}\n`);
  process.exit(2);
}

// X("actuals", ACTUALS, 1) ... -> [{text, statement}]
function keywords() {
  const h = read('interp/syntax/syntax.h');
  const block = h.slice(h.indexOf('#define SYNTAX_KEYWORDS'));
  const kws = [];
  for (const m of block.matchAll(/X\("([^"]+)", *\w+, *([01])\)/g))
    kws.push({ text: m[1], statement: m[2] === '1' });
  if (kws.length < 20)
    fail('cannot read SYNTAX_KEYWORDS in interp/syntax/syntax.h');
  return kws;
}

function builtins() {
  const c = read('interp/eval/builtins.c');
  const start = c.indexOf('const Builtin eval_builtins[] = {');
  const end = c.indexOf('};', start);
  if (start < 0 || end < 0)
    fail('cannot read eval_builtins[] in interp/eval/builtins.c');
  return [...c.slice(start, end).matchAll(/\{"(\w+)", *-?\d/g)].map((m) => m[1]);
}

function months() {
  const c = read('interp/base/calendar.c');
  const m = c.match(/cal_month_names\[12\] = \{([^}]*)\}/);
  if (!m)
    fail('cannot read cal_month_names in interp/base/calendar.c');
  const names = [...m[1].matchAll(/"(\w+)"/g)].map((x) => x[1]);
  if (names.length !== 12)
    fail('cal_month_names has not 12 names');
  return names;
}

// The lexer's IDCHAR: ASCII letters, digits and '_', and any other character
// but the CJK punctuation block (U+3000-303F), the byte-order mark and the
// full-width ASCII forms (U+FF00-FF5F), which are punctuation typed with a
// Chinese input method.
const IDCHAR = '[0-9A-Z_a-z\\x{80}-\\x{2FFF}\\x{3040}-\\x{FEFE}\\x{FF60}-\\x{10FFFF}]';
const IDSTART = '[A-Z_a-z\\x{80}-\\x{2FFF}\\x{3040}-\\x{FEFE}\\x{FF60}-\\x{10FFFF}]';
const NAME = `${IDSTART}${IDCHAR}*`;
const BEFORE = `(?<!${IDCHAR})`; // not in the middle of a name
const AFTER = `(?!${IDCHAR})`;

const words = (list) => list.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');

// Statements that declare the name after their keyword.
const DECLARES = {
  dimension: 'entity.name.type.dimension.salesplan',
  metric: 'entity.name.type.metric.salesplan',
  let: 'variable.other.constant.salesplan',
  fn: 'entity.name.function.salesplan',
  history: 'variable.other.history.salesplan',
  incentive: 'entity.name.type.incentive.salesplan',
  scorecard: 'entity.name.type.scorecard.salesplan',
  scenario: 'entity.name.type.scenario.salesplan',
};

const CONDITIONAL = ['if', 'then', 'else'];
const LOGICAL = ['and', 'or', 'not'];

function keywordRules(kws) {
  const texts = kws.map((k) => k.text);
  for (const w of [...CONDITIONAL, ...LOGICAL, ...Object.keys(DECLARES)])
    if (!texts.includes(w))
      fail(`'${w}' is no longer a keyword: update gen-grammar.js`);
  const statement = kws.filter((k) => k.statement).map((k) => k.text);
  const other = texts.filter((t) => !statement.includes(t) && !CONDITIONAL.includes(t) &&
                                    !LOGICAL.includes(t));
  const declares = Object.entries(DECLARES).map(([kw, scope]) => ({
    match: `${BEFORE}(${kw})\\s+(?!(?:${words(texts)})${AFTER})(${NAME})`,
    captures: { 1: { name: 'keyword.declaration.salesplan' }, 2: { name: scope } },
  }));
  return [
    ...declares,
    { match: `${BEFORE}(?:${words(statement)})${AFTER}`, name: 'keyword.declaration.salesplan' },
    { match: `${BEFORE}(?:${words(CONDITIONAL)})${AFTER}`,
      name: 'keyword.control.conditional.salesplan' },
    { match: `${BEFORE}(?:${words(LOGICAL)})${AFTER}`,
      name: 'keyword.operator.wordlike.logical.salesplan' },
    { match: `${BEFORE}(?:${words(other)})${AFTER}`, name: 'keyword.other.salesplan' },
  ];
}

// num.c's scan_literal: digits with single '_' between them, a decimal part,
// one suffix; the lexer reads a number as far as name characters, '.' and '%'
// go, so anything longer is one malformed number.
const DIGITS = '[0-9](?:_?[0-9])*';
const SUFFIX = '%|k|M|\\x{4E07}|\\x{4EBF}'; // 万 亿
const NUMBER_TAIL = `(?:${IDCHAR}|[.%])`;

function numberRules() {
  return [
    { // 1,400万 and 1,000,000: the lexer reads them, then reports the commas
      match: `[1-9][0-9]{0,2}(?:(?:,[0-9]{3}){2,}|,[0-9]{3}(?=\\x{4E07}|\\x{4EBF}|k|M|\\.[0-9]))${NUMBER_TAIL}*`,
      name: 'constant.numeric.decimal.salesplan invalid.illegal.grouping.salesplan',
    },
    {
      match: `${DIGITS}(?:\\.${DIGITS})?(${SUFFIX})?(?!${NUMBER_TAIL})`,
      name: 'constant.numeric.decimal.salesplan',
      captures: { 1: { name: 'keyword.other.unit.suffix.salesplan' } },
    },
    { match: `[0-9]${NUMBER_TAIL}*`, name: 'invalid.illegal.number.salesplan' },
  ];
}

function grammar() {
  const kws = keywords();
  const periods = [...months(), 'Q1', 'Q2', 'Q3', 'Q4', 'H1', 'H2'];
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'salesplan',
    scopeName: 'source.salesplan',
    comment: 'Generated by tools/gen-grammar.js from the interpreter\'s sources (make grammar): ' +
      'do not edit by hand.',
    fileTypes: ['plan'],
    patterns: [
      { include: '#comment' }, { include: '#string' }, { include: '#period' },
      { include: '#number' }, { include: '#field' }, { include: '#keyword' },
      { include: '#constant' }, { include: '#call' }, { include: '#name' },
      { include: '#operator' }, { include: '#punctuation' }, { include: '#invalid' },
    ],
    repository: {
      comment: {
        match: '(#).*$',
        name: 'comment.line.number-sign.salesplan',
        captures: { 1: { name: 'punctuation.definition.comment.salesplan' } },
      },
      string: {
        // strings end on their line: an unterminated one ends with it
        begin: '"',
        end: '"|$',
        beginCaptures: { 0: { name: 'punctuation.definition.string.begin.salesplan' } },
        endCaptures: { 0: { name: 'punctuation.definition.string.end.salesplan' } },
        name: 'string.quoted.double.salesplan',
        patterns: [
          { match: '\\\\[nt"\\\\]', name: 'constant.character.escape.salesplan' },
          { match: '\\\\.', name: 'invalid.illegal.escape.salesplan' },
        ],
      },
      period: {
        patterns: [
          { match: '[0-9]{4}-[0-9]{2}-[0-9]{2}', name: 'constant.numeric.date.day.salesplan' },
          { match: '[0-9]{4}-[0-9]{2}', name: 'constant.numeric.date.month.salesplan' },
        ],
      },
      number: { patterns: numberRules() },
      field: {
        // after '.', any word is a field name: revenue.target, org.per
        match: `(\\.)\\s*(${NAME})`,
        captures: {
          1: { name: 'punctuation.accessor.salesplan' },
          2: { name: 'variable.other.property.salesplan' },
        },
      },
      keyword: { patterns: keywordRules(kws) },
      constant: {
        // the built-in time dimension's members: months, quarters, halves, years
        match: `${BEFORE}(?:${words(periods)}|FY[0-9]{4})${AFTER}`,
        name: 'constant.language.period.salesplan',
      },
      call: {
        patterns: [
          { match: `${BEFORE}(?:${words(builtins())})(?=\\s*\\()`,
            name: 'support.function.builtin.salesplan' },
          { match: `${NAME}(?=\\s*\\()`, name: 'entity.name.function.call.salesplan' },
        ],
      },
      name: { match: NAME, name: 'variable.other.salesplan' },
      operator: {
        patterns: [
          { match: '<=|>=|==|!=|<|>', name: 'keyword.operator.comparison.salesplan' },
          { match: '=', name: 'keyword.operator.assignment.salesplan' },
          { match: '[-+*/]', name: 'keyword.operator.arithmetic.salesplan' },
        ],
      },
      punctuation: {
        patterns: [
          { match: '[{}]', name: 'punctuation.section.braces.salesplan' },
          { match: '[\\[\\]]', name: 'punctuation.section.brackets.salesplan' },
          { match: '[()]', name: 'punctuation.section.parens.salesplan' },
          { match: ',', name: 'punctuation.separator.comma.salesplan' },
          { match: ';', name: 'punctuation.terminator.salesplan' },
          { match: ':', name: 'punctuation.separator.key-value.salesplan' },
        ],
      },
      invalid: {
        patterns: [
          { // typed with a Chinese input method: the lexer reports each one
            match: '[\\x{3000}-\\x{303F}\\x{FF00}-\\x{FF5F}]',
            name: 'invalid.illegal.full-width.salesplan',
          },
          { match: '[^\\s]', name: 'invalid.illegal.character.salesplan' },
        ],
      },
    },
  };
}

// ---- the Vim syntax file (Vim and Neovim, which read no TextMate grammar) ----
// The same lists and rules as Vim syntax items.  Vim's priorities: a keyword
// beats a match starting at the same column, of two matches starting at the
// same column the one defined last wins, an earlier start wins over both.
// \k is a name character: iskeyword holds ASCII letters, digits and '_', and
// Vim counts every letter beyond ASCII (华, é) as one too.
const VIM_NOT_AFTER_NAME = '\\k\\@1<!';

function vimWords(list, width = 92) {
  const lines = [];
  let cur = '';
  for (const w of list) {
    if (cur && cur.length + w.length + 1 > width) {
      lines.push(cur);
      cur = '';
    }
    cur += (cur ? ' ' : '') + w;
  }
  if (cur) lines.push(cur);
  return lines;
}

function vimKeyword(group, list) {
  return vimWords(list, 70).map((l) => `syntax keyword ${group} ${l}`).join('\n');
}

function vimSyntax() {
  const kws = keywords();
  const texts = kws.map((k) => k.text);
  const statement = kws.filter((k) => k.statement).map((k) => k.text);
  const other = texts.filter((t) => !statement.includes(t) && !CONDITIONAL.includes(t) &&
                                    !LOGICAL.includes(t));
  const periods = [...months(), 'Q1', 'Q2', 'Q3', 'Q4', 'H1', 'H2'];
  const digits = '\\d\\%(_\\=\\d\\)*';
  const tail = '\\%(\\k\\|[.%]\\)';
  const declares = Object.keys(DECLARES).join('\\|');
  return `" Vim syntax file for salesplan plans (*.plan).
" Generated by editors/vscode/tools/gen-grammar.js from the interpreter's
" keywords, builtins and month names (make grammar): do not edit by hand.
" The same highlighting as editors/vscode/syntaxes/salesplan.tmLanguage.json.
if exists('b:current_syntax')
  finish
endif
let s:cpo_save = &cpo
set cpo&vim

syntax iskeyword @,48-57,_,192-255
syntax case match

" malformed numbers first: a longer, valid match at the same column wins
syntax match salesplanBadNumber "${VIM_NOT_AFTER_NAME}\\d${tail}*"
syntax match salesplanNumber "${VIM_NOT_AFTER_NAME}${digits}\\%(\\.${digits}\\)\\=\\%(%\\|k\\|M\\|万\\|亿\\)\\=${tail}\\@!" contains=salesplanUnit
syntax match salesplanUnit "[%kM万亿]" contained
" 1,400万 and 1,000,000: read, then reported (commas group no digits)
syntax match salesplanGrouped "${VIM_NOT_AFTER_NAME}[1-9]\\d\\{0,2}\\%(\\%(,\\d\\{3}\\)\\{2,}\\|,\\d\\{3}\\%(万\\|亿\\|k\\|M\\|\\.\\d\\)\\@=\\)${tail}*"
syntax match salesplanDate "${VIM_NOT_AFTER_NAME}\\d\\{4}-\\d\\{2}\\%(-\\d\\{2}\\)\\="

${vimKeyword('salesplanStatement', statement)}
${vimKeyword('salesplanConditional', CONDITIONAL)}
${vimKeyword('salesplanLogical', LOGICAL)}
${vimKeyword('salesplanKeyword', other)}
${vimKeyword('salesplanPeriod', periods)}
syntax match salesplanPeriod "${VIM_NOT_AFTER_NAME}FY\\d\\{4}\\k\\@!"

" the name a statement declares; after '.', any word is a field
syntax match salesplanDeclared "\\%(${VIM_NOT_AFTER_NAME}\\%(${declares}\\)\\s\\+\\)\\@<=\\k\\+"
syntax match salesplanField "\\.\\s*\\k\\+"
${vimWords(builtins(), 60).map((l) => `syntax match salesplanBuiltin "${VIM_NOT_AFTER_NAME}\\%(${l.split(' ').join('\\|')}\\)\\ze\\s*("`).join('\n')}

" characters no plan holds outside strings and comments ('!' only in !=)
syntax match salesplanBadChar "[%!@$&|?^\`~'\\\\]"
syntax match salesplanOperator "[-+*/<>=]\\|!="
" full-width punctuation typed with a Chinese input method
syntax match salesplanFullWidth "[\\u3000-\\u303f\\uff00-\\uff5f]"

" strings end on their line; escapes \\" \\\\ \\n \\t
syntax region salesplanString start=+"+ skip=+\\\\.+ end=+"+ end=+$+ oneline contains=salesplanBadEscape,salesplanEscape
syntax match salesplanBadEscape "\\\\." contained
syntax match salesplanEscape +\\\\[nt"\\\\]+ contained
" a comment ends before a carriage return, as the lexer's does
syntax match salesplanComment "#[^\\r]*" contains=@Spell

highlight default link salesplanStatement Statement
highlight default link salesplanConditional Conditional
highlight default link salesplanLogical Keyword
highlight default link salesplanKeyword Keyword
highlight default link salesplanPeriod Constant
highlight default link salesplanDeclared Identifier
highlight default link salesplanField Identifier
highlight default link salesplanBuiltin Function
highlight default link salesplanNumber Number
highlight default link salesplanUnit Special
highlight default link salesplanDate Number
highlight default link salesplanGrouped Error
highlight default link salesplanBadNumber Error
highlight default link salesplanString String
highlight default link salesplanEscape SpecialChar
highlight default link salesplanBadEscape Error
highlight default link salesplanComment Comment
highlight default link salesplanOperator Operator
highlight default link salesplanFullWidth Error
highlight default link salesplanBadChar Error

let b:current_syntax = 'salesplan'
let &cpo = s:cpo_save
unlet s:cpo_save
`;
}

const FTDETECT = `" *.plan files are salesplan plans (editors/vim: add it to 'runtimepath')
autocmd BufRead,BufNewFile *.plan setfiletype salesplan
`;

const FTPLUGIN = `" salesplan plans: '#' comments
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1
setlocal commentstring=#\\ %s comments=:#
let b:undo_ftplugin = 'setlocal commentstring< comments<'
`;

const vim = path.resolve(__dirname, '..', '..', 'vim');
const outputs = [
  [out, JSON.stringify(grammar(), null, 2) + '\n'],
  [path.join(vim, 'syntax', 'salesplan.vim'), vimSyntax()],
  [path.join(vim, 'ftdetect', 'salesplan.vim'), FTDETECT],
  [path.join(vim, 'ftplugin', 'salesplan.vim'), FTPLUGIN],
];
if (process.argv[2] === '--check') {
  const stale = outputs.filter(([file, text]) =>
    !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text);
  if (stale.length) {
    for (const [file] of stale)
      process.stderr.write(`${path.relative(top, file)} is not what editors/vscode/tools/gen-grammar.js ` +
        'makes of the interpreter\'s keywords, builtins and months: run make grammar\n');
    process.exit(1);
  }
  console.log('check-grammar-keywords: the grammars\' keywords are SYNTAX_KEYWORDS');
} else {
  for (const [file, text] of outputs) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    console.log(`wrote ${path.relative(top, file)}`);
  }
}
