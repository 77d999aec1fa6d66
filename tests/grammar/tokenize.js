#!/usr/bin/env node
// tokenize.js -- the TextMate grammar of editors/vscode against salesplan's
// own lexer.  Every plan given is tokenized with vscode-textmate and
// vscode-oniguruma (the engine VS Code uses) and read by the lexer
// (build/lextokens); every lexeme must get the scope its kind implies:
//
//   keyword   keyword.declaration / keyword.control.conditional /
//             keyword.operator.wordlike.logical / keyword.other (after '.':
//             a field, variable.other.property)
//   number    constant.numeric.decimal, its suffix % k M 万 亿 also
//             keyword.other.unit.suffix; grouped (1,400万) or malformed: invalid.illegal
//   month     constant.numeric.date.month (date: constant.numeric.date.day)
//   string    string.quoted.double, its escapes constant.character.escape
//   comment   comment.line.number-sign
//   name      a month, Q1..Q4, H1 H2, FYyyyy: constant.language.period; a
//             builtin before '(': support.function.builtin; after dimension,
//             metric, let, fn, history, incentive, scorecard or scenario:
//             entity.name.type/function or variable.other.constant/history;
//             otherwise no keyword, constant, string, comment or invalid scope
//   punct     operators keyword.operator.*, brackets and separators punctuation.*
//
// Text between lexemes may be neither string nor comment, and every line
// must end in the grammar's initial state (nothing spans lines in a plan).
//
// With --vim, the same lexemes are checked against the Vim syntax file of
// editors/vim as a headless Neovim applies it (vimdump.lua): each kind above
// has its syntax item (salesplanStatement, salesplanNumber, salesplanUnit...;
// VIM below), and opening a .plan file must set the file type salesplan.
// Files that are not UTF-8 are left to the TextMate run (Vim would read them
// as Latin-1).
// Usage: tokenize.js [--vim] LEXTOKENS GRAMMAR FILE|@LIST...   (exit 1 on any mismatch)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { createRequire } = require('module');

const top = path.resolve(__dirname, '..', '..');
const need = createRequire(path.join(top, 'editors', 'vscode', 'package.json'));
const vsctm = need('vscode-textmate');
const oniguruma = need('vscode-oniguruma');

const argv = process.argv.slice(2);
const vimMode = argv[0] === '--vim';
if (vimMode) argv.shift();
const [lextokens, grammarPath, ...args] = argv;
// @LIST: the files named in LIST, a line each (names may hold spaces)
const files = args.flatMap((a) => (a.startsWith('@')
  ? fs.readFileSync(a.slice(1), 'utf8').split('\n').filter((l) => l !== '') : [a]));
if (!lextokens || !grammarPath || files.length === 0) {
  process.stderr.write('usage: tokenize.js LEXTOKENS GRAMMAR FILE...\n');
  process.exit(2);
}

// ---- the words the lexer knows -------------------------------------------
const KW = new Map(); // text -> starts a statement
const PERIODS = new Set(['Q1', 'Q2', 'Q3', 'Q4', 'H1', 'H2']);
const BUILTINS = new Set();
for (const line of execFileSync(lextokens, ['--words'], { encoding: 'utf8' }).split('\n')) {
  const [what, text, flag] = line.split(' ');
  if (what === 'keyword') KW.set(text, flag === '1');
  else if (what === 'month') PERIODS.add(text);
  else if (what === 'builtin') BUILTINS.add(text);
}
const CONDITIONAL = new Set(['if', 'then', 'else']);
// statements that declare the name after their keyword
const DECLARES = new Set(['dimension', 'metric', 'let', 'fn', 'history', 'incentive', 'scorecard', 'scenario']);
const LOGICAL = new Set(['and', 'or', 'not']);

// ---- what a lexeme must be -----------------------------------------------
// num.c's scan_literal, and the lexer's two rules for grouping commas
const VALID_NUMBER = /^[0-9](?:_?[0-9])*(?:\.[0-9](?:_?[0-9])*)?(%|k|M|万|亿)?$/u;
const GROUPED = /^[1-9][0-9]{0,2}(?:(?:,[0-9]{3}){2,}|,[0-9]{3}(?:万|亿|k|M|\.[0-9]))/u;
const FORBIDDEN_FOR_NAMES = ['keyword.', 'constant.', 'string.', 'comment.', 'invalid.'];

// Expectations: a list of {from, to, must: [prefix...], not: [prefix...]}
// over code-point offsets within the lexeme.
function expect(tok, prev, next) {
  const n = [...tok.text].length;
  const all = (must, not = []) => [{ from: 0, to: n, must, not }];
  const afterDot = prev && prev.kind === 'punct' && prev.text === '.';
  switch (tok.kind) {
  case 'comment':
    return [...all(['comment.line.number-sign']),
      { from: 0, to: 1, must: ['punctuation.definition.comment'], not: [] }];
  case 'string': return stringExpect(tok.text, n);
  case 'month': return all(['constant.numeric.date.month']);
  case 'date': return all(['constant.numeric.date.day']);
  case 'number': return numberExpect(tok.text, n);
  case 'keyword':
    if (afterDot) return all(['variable.other.property'], ['keyword.']);
    if (KW.get(tok.text)) return all(['keyword.declaration']);
    if (CONDITIONAL.has(tok.text)) return all(['keyword.control.conditional']);
    if (LOGICAL.has(tok.text)) return all(['keyword.operator.wordlike.logical']);
    return all(['keyword.other']);
  case 'name':
    if (afterDot) return all(['variable.other.property'], FORBIDDEN_FOR_NAMES);
    if (PERIODS.has(tok.text) || /^FY[0-9]{4}$/.test(tok.text))
      return all(['constant.language.period']);
    if (BUILTINS.has(tok.text) && next && next.text === '(')
      return all(['support.function.builtin']);
    if (prev && prev.kind === 'keyword' && DECLARES.has(prev.text) && prev.line === tok.line)
      return all(['declared'], ['keyword.', 'constant.', 'string.', 'comment.', 'invalid.']);
    return all([], FORBIDDEN_FOR_NAMES);
  default: return punctExpect(tok, next, n);
  }
}

function stringExpect(text, n) {
  const cps = [...text];
  const out = [{ from: 0, to: n, must: ['string.quoted.double'], not: [] },
    { from: 0, to: 1, must: ['punctuation.definition.string.begin'], not: [] }];
  let i = 1;
  for (; i < n; i++) {
    if (cps[i] === '\\' && i + 1 < n) {
      const ok = 'nt"\\'.includes(cps[i + 1]);
      out.push({ from: i, to: i + 2, must: [ok ? 'constant.character.escape' : 'invalid.illegal.escape'], not: [] });
      i++;
    } else if (cps[i] === '"' && i === n - 1) {
      out.push({ from: i, to: n, must: ['punctuation.definition.string.end'], not: [] });
    }
  }
  return out;
}

function numberExpect(text, n) {
  const m = VALID_NUMBER.exec(text);
  if (m) {
    const suffix = m[1] ? [...m[1]].length : 0;
    const out = [{ from: 0, to: n - suffix, must: ['constant.numeric.decimal'], not: ['keyword.', 'invalid.'] }];
    if (suffix)
      out.push({ from: n - suffix, to: n, must: ['constant.numeric.decimal', 'keyword.other.unit.suffix'], not: ['invalid.'] });
    return out;
  }
  if (GROUPED.test(text))
    return [{ from: 0, to: n, must: ['constant.numeric.decimal', 'invalid.illegal.grouping'], not: [] }];
  return [{ from: 0, to: n, must: ['invalid.illegal'], not: [] }];
}

function punctExpect(tok, next, n) {
  const t = tok.text;
  let must;
  if (['<=', '>=', '==', '!=', '<', '>'].includes(t)) must = ['keyword.operator.comparison'];
  else if (t === '=') must = ['keyword.operator.assignment'];
  else if ('+-*/'.includes(t) && t.length === 1) must = ['keyword.operator.arithmetic'];
  else if ('{}[]()'.includes(t) && t.length === 1) must = ['punctuation.section'];
  else if (t === ',' || t === ';' || t === ':') must = ['punctuation.'];
  else if (t === '.') must = next && (next.kind === 'name' || next.kind === 'keyword') ? ['punctuation.accessor'] : [];
  else if (/^[\u3000-\u303F\uFF00-\uFF5F]$/u.test(t)) must = ['invalid.illegal.full-width'];
  else must = ['invalid.illegal'];
  return [{ from: 0, to: n, must, not: ['string.', 'comment.'] }];
}

// The Vim syntax items that stand for the TextMate scopes; a scope without
// an item here (punctuation, operators' kinds) is not asked of Vim.
const VIM = {
  'comment.line.number-sign': ['salesplanComment'],
  'string.quoted.double': ['salesplanString', 'salesplanEscape', 'salesplanBadEscape'],
  'constant.character.escape': ['salesplanEscape'],
  'invalid.illegal.escape': ['salesplanBadEscape'],
  'constant.numeric.date.month': ['salesplanDate'],
  'constant.numeric.date.day': ['salesplanDate'],
  'constant.numeric.decimal': ['salesplanNumber', 'salesplanUnit', 'salesplanGrouped'],
  'keyword.other.unit.suffix': ['salesplanUnit'],
  'invalid.illegal.grouping': ['salesplanGrouped'],
  'invalid.illegal.full-width': ['salesplanFullWidth'],
  'invalid.illegal': ['salesplanBadNumber', 'salesplanGrouped', 'salesplanFullWidth', 'salesplanBadEscape',
    'salesplanBadChar'],
  'keyword.declaration': ['salesplanStatement'],
  'keyword.control.conditional': ['salesplanConditional'],
  'keyword.operator.wordlike.logical': ['salesplanLogical'],
  'keyword.other': ['salesplanKeyword'],
  'variable.other.property': ['salesplanField'],
  'declared': ['salesplanDeclared'],
  'constant.language.period': ['salesplanPeriod'],
  'support.function.builtin': ['salesplanBuiltin'],
  'keyword.operator.comparison': ['salesplanOperator'],
  'keyword.operator.assignment': ['salesplanOperator'],
  'keyword.operator.arithmetic': ['salesplanOperator'],
  // what names, punctuation and white space must not be
  'keyword.': ['salesplanStatement', 'salesplanConditional', 'salesplanLogical', 'salesplanKeyword', 'salesplanUnit'],
  'constant.': ['salesplanNumber', 'salesplanDate', 'salesplanPeriod', 'salesplanEscape'],
  'string.': ['salesplanString'],
  'comment.': ['salesplanComment'],
  'invalid.': ['salesplanBadNumber', 'salesplanGrouped', 'salesplanFullWidth', 'salesplanBadEscape',
    'salesplanBadChar'],
};

// Does a character with these scopes (TextMate) or this item (Vim) have
// the scope prefix p?  undefined: Vim is not asked.
function has(got, p) {
  if (!vimMode && p === 'declared')
    return got.some((s) => /^(entity\.name\.(type|function)|variable\.other\.(constant|history))\./.test(s));
  if (!vimMode)
    return got.some((s) => s.startsWith(p));
  const items = VIM[p];
  return items ? items.includes(got[0]) : undefined;
}

// ---- running both -----------------------------------------------------------
function lexemes(file) {
  const out = execFileSync(lextokens, [file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return out.split('\n').filter((l) => l !== '').map((l) => {
    const [kind, line, col, endCol, ...rest] = l.split('\t');
    return { kind, line: +line, col: +col, endCol: +endCol, text: rest.join('\t') };
  });
}

// scopes[line][code point] for the lines of text
function scopesOf(grammar, text, failures, file) {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let stack = vsctm.INITIAL;
  return lines.map((line, k) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    if (stack.depth !== 1)
      failures.push(`${file}:${k + 1}: the line ends inside a construct (state depth ${stack.depth})`);
    const per16 = [];
    for (const t of r.tokens)
      for (let i = t.startIndex; i < Math.min(t.endIndex, line.length); i++) per16[i] = t.scopes;
    const perCp = [];
    let u = 0;
    for (const ch of line) {
      perCp.push(per16[u] || ['source.salesplan']);
      u += ch.length;
    }
    return perCp;
  });
}

// scopes[line][code point] = [the Vim syntax item] as vimdump.lua wrote them
function vimScopesOf(dump, failures, file) {
  const lines = fs.readFileSync(dump, 'utf8').split('\n');
  if (lines[0] !== 'salesplan')
    failures.push(`${file}: Neovim gives it the file type '${lines[0]}', not salesplan`);
  return lines.slice(1, -1).map((l) => (l === '' ? [] : l.split('\t').map((x) => [x])));
}

const counts = {};
function checkFile(grammar, file, failures) {
  const text = fs.readFileSync(file, 'utf8');
  const scopes = vimMode ? vimScopesOf(grammar.get(file), failures, file)
    : scopesOf(grammar, text, failures, file);
  const toks = lexemes(file);
  const covered = scopes.map((l) => new Array(l.length).fill(false));
  toks.forEach((tok, i) => {
    counts[tok.kind] = (counts[tok.kind] || 0) + 1;
    const line = scopes[tok.line - 1] || [];
    for (const e of expect(tok, toks[i - 1], toks[i + 1])) {
      for (let c = e.from; c < e.to; c++) {
        const got = line[tok.col - 1 + c] || [];
        const missing = e.must.filter((p) => has(got, p) === false);
        const wrong = e.not.filter((p) => has(got, p) === true);
        if (missing.length || wrong.length) {
          failures.push(`${file}:${tok.line}:${tok.col + c}: ${tok.kind} ${JSON.stringify(tok.text)}: ` +
            (missing.length ? `wants ${missing.join(', ')}` : `must not have ${wrong.join(', ')}`) +
            `; has ${got.join(' ')}`);
          break;
        }
      }
    }
    for (let c = tok.col - 1; c < tok.endCol && covered[tok.line - 1]; c++) covered[tok.line - 1][c] = true;
  });
  covered.forEach((l, k) => l.forEach((isTok, c) => {
    const got = scopes[k][c];
    if (!isTok && (has(got, 'string.') || has(got, 'comment.')))
      failures.push(`${file}:${k + 1}:${c + 1}: white space between lexemes has ${got.join(' ')}`);
  }));
  return scopes.length;
}

// every keyword, whether the plans use it or not, once alone and once after '.'
function keywordPlan(dir) {
  const file = path.join(dir, 'keywords.plan');
  const words = [...KW.keys()];
  fs.writeFileSync(file, words.map((w) => `${w} x.${w} ${w}(1) [${w}] ${w}`).join('\n') + '\n');
  return file;
}

// Runs vimdump.lua over the files; a Map of file -> its dump.
function vimDumps(dir, all) {
  const valid = all.filter((f) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(f));
      return true;
    } catch (_) {
      return false;
    }
  });
  fs.writeFileSync(path.join(dir, 'list'), valid.map((f) => path.resolve(f)).join('\n') + '\n');
  const rtp = path.dirname(path.dirname(path.resolve(grammarPath)));
  execFileSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n',
    '--cmd', `set rtp^=${rtp.replace(/[ ,\\]/g, '\\$&')}`,
    '-c', `luafile ${path.join(__dirname, 'vimdump.lua')}`, '-c', 'qa!'],
  { env: { ...process.env, VIMDUMP_LIST: path.join(dir, 'list'), VIMDUMP_OUT: dir },
    stdio: ['ignore', 'ignore', 'inherit'], timeout: 300000 });
  return new Map(valid.map((f, i) => [f, path.join(dir, `${i + 1}.syn`)]));
}

async function textmate() {
  const wasm = fs.readFileSync(need.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p) => new oniguruma.OnigScanner(p),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () => vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath),
  });
  return registry.loadGrammar('source.salesplan');
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'grammar-'));
  const failures = [];
  let lines = 0;
  let all = [...files, keywordPlan(tmp)];
  const grammar = vimMode ? vimDumps(tmp, all) : await textmate();
  if (vimMode) all = all.filter((f) => grammar.has(f));
  for (const f of all) lines += checkFile(grammar, f, failures);
  fs.rmSync(tmp, { recursive: true, force: true });
  const summary = Object.entries(counts).sort().map(([k, v]) => `${v} ${k}`).join(', ');
  if (failures.length) {
    for (const f of failures.slice(0, 40)) console.log(`FAIL ${f}`);
    if (failures.length > 40) console.log(`... and ${failures.length - 40} more`);
    console.log(`grammar${vimMode ? ' (vim)' : ''}: ${failures.length} mismatches in ${all.length} plans (${lines} lines)`);
    process.exit(1);
  }
  const what = vimMode ? 'Vim syntax item' : 'scope';
  console.log(`grammar${vimMode ? ' (vim)' : ''}: ${all.length} plans, ${lines} lines: ${summary}: every lexeme has its ${what}`);
}

main().catch((e) => { console.error(e); process.exit(2); });
