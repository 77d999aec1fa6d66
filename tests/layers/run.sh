#!/bin/sh
# tests/layers/run.sh -- make check-layers: the module rules of interp/
# hold on this tree, and tools/check-layers.sh fails on each kind of
# wrong include, planted in a copy of the tree.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }

if sh "$here/tools/check-layers.sh" "$here" > "$tmp/out" 2>&1; then ok; else
    cat "$tmp/out"; bad "the tree breaks its own layer rules"; fi

# plant FILE LINE EXPECTED: a copy of interp/ with LINE added to FILE must
# fail, naming FILE and saying EXPECTED
plant() {
    rm -rf "$tmp/tree" && mkdir -p "$tmp/tree" && cp -R "$here/interp" "$tmp/tree/"
    printf '%s\n' "$2" >> "$tmp/tree/interp/$1"
    if sh "$here/tools/check-layers.sh" "$tmp/tree" > "$tmp/out" 2>&1; then
        bad "$1: '$2' was accepted"
    elif ! grep -q "interp/$1:.*$3" "$tmp/out"; then
        cat "$tmp/out"; bad "$1: '$2' rejected without saying '$3'"
    else
        ok
    fi
}

plant base/num.c '#include "alloc/alloc.h"' 'may not include alloc/alloc.h'      # up a layer
plant render/table.c '#include "measure/measure.h"' 'may not include'             # sideways: render sees only tables
plant data/csv.c '#include "eval/eval.h"' 'may not include'                      # data never sees evaluation
plant syntax/ast.c '#include "model/model.h"' 'may not include'                  # syntax knows no symbols
plant measure/measure.c '#include "data/actuals_int.h"' 'internal to data/'      # another module's internal header
plant check/resolve.c '#include "parser.h"' 'only inside syntax/'                # generated parser header
plant eval/eval.c '#include "util.h"' 'by their path under interp/'              # bare project include
plant alloc/engine.c '#include "alloc/nosuch.h"' 'does not exist'

# a module folder the table does not know
rm -rf "$tmp/tree" && mkdir -p "$tmp/tree" && cp -R "$here/interp" "$tmp/tree/"
mkdir "$tmp/tree/interp/extra" && echo 'int x;' > "$tmp/tree/interp/extra/x.c"
if sh "$here/tools/check-layers.sh" "$tmp/tree" > "$tmp/out" 2>&1; then bad "an unknown module was accepted"
elif grep -q "interp/extra: a module" "$tmp/out"; then ok; else cat "$tmp/out"; bad "unknown module message"; fi

echo "layers: $pass passed, $fail failed"
[ "$fail" = 0 ]
