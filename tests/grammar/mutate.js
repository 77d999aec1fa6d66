#!/usr/bin/env node
// mutate.js GRAMMAR OUT NAME -- writes GRAMMAR with one rule broken, so that
// tests/grammar/run.sh can require the grammar test to fail on it: a test
// that cannot fail proves nothing.  NAME --list prints the mutations.
'use strict';
const fs = require('fs');

const muts = {
  'keyword split dropped': (r) => {
    for (const p of r.keyword.patterns) if (p.match) p.match = p.match.replace('|split|', '|');
  },
  'unit suffix unscoped': (r) => { for (const p of r.number.patterns) delete p.captures; },
  '万 no suffix': (r) => {
    for (const p of r.number.patterns) p.match = p.match.split('|\\x{4E07}').join('');
  },
  'string spans lines': (r) => { r.string.end = '"'; },
  'comment scope renamed': (r) => { r.comment.name = 'comment.block.salesplan'; },
  'month literal dropped': (r) => { r.period.patterns.pop(); },
  'field after dot dropped': (r) => { r.field.match = '(?!)'; },
  'declared names dropped': (r) => { r.keyword.patterns = r.keyword.patterns.filter((p) => !p.captures); },
  'statement keywords as other': (r) => {
    for (const p of r.keyword.patterns)
      if (p.name === 'keyword.declaration.salesplan') p.name = 'keyword.other.salesplan';
  },
};

const [src, out, name] = process.argv.slice(2);
if (src === '--list') {
  console.log(Object.keys(muts).join('\n'));
  process.exit(0);
}
const g = JSON.parse(fs.readFileSync(src, 'utf8'));
if (!muts[name]) {
  process.stderr.write(`mutate.js: no mutation '${name}'\n`);
  process.exit(2);
}
const before = JSON.stringify(g);
muts[name](g.repository);
if (JSON.stringify(g) === before) {
  process.stderr.write(`mutate.js: '${name}' changes nothing: the grammar moved, update the mutation\n`);
  process.exit(2);
}
fs.writeFileSync(out, JSON.stringify(g, null, 2));
