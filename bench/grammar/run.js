#!/usr/bin/env node
// run.js -- how fast VS Code's engine (vscode-textmate + vscode-oniguruma, from
// editors/vscode/node_modules: run `npm ci` there first) highlights a plan
// with editors/vscode's grammar: tokenizes every line of PLAN, RUNS times
// (default 5) after one warm-up, and prints lines, the median time and the
// lines per second.  Usage: node bench/grammar/run.js PLAN [RUNS]   (make bench-grammar)
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const top = path.resolve(__dirname, '..', '..');
const need = createRequire(path.join(top, 'editors', 'vscode', 'package.json'));
const vsctm = need('vscode-textmate');
const oniguruma = need('vscode-oniguruma');
const grammarPath = path.join(top, 'editors', 'vscode', 'syntaxes', 'salesplan.tmLanguage.json');

async function main() {
  const [plan, runsArg] = process.argv.slice(2);
  if (!plan) {
    process.stderr.write('usage: node bench/grammar/run.js PLAN [RUNS]\n');
    process.exit(2);
  }
  const runs = Number(runsArg || 5);
  await oniguruma.loadWASM(fs.readFileSync(need.resolve('vscode-oniguruma/release/onig.wasm')).buffer);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p) => new oniguruma.OnigScanner(p),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () => vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath),
  });
  const grammar = await registry.loadGrammar('source.salesplan');
  const lines = fs.readFileSync(plan, 'utf8').split(/\r?\n/);
  const once = () => {
    const t0 = process.hrtime.bigint();
    let stack = vsctm.INITIAL;
    let tokens = 0;
    for (const line of lines) {
      const r = grammar.tokenizeLine2(line, stack);
      stack = r.ruleStack;
      tokens += r.tokens.length / 2;
    }
    return [Number(process.hrtime.bigint() - t0) / 1e6, tokens];
  };
  once();
  const times = [];
  let tokens = 0;
  for (let i = 0; i < runs; i++) {
    const [ms, n] = once();
    times.push(ms);
    tokens = n;
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`grammar: ${lines.length} lines, ${tokens} tokens: median ${median.toFixed(0)} ms ` +
    `(min ${times[0].toFixed(0)}, max ${times[times.length - 1].toFixed(0)}), ` +
    `${Math.round(lines.length / (median / 1000))} lines/s`);
}

main().catch((e) => { console.error(e); process.exit(2); });
