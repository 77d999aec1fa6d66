#!/bin/sh
# Checks every ```plan block of docs/LANGUAGE.md and README.md with
# `salesplan check`, so that the documentation cannot rot.  Each block is a
# complete plan; it is checked in a scratch folder holding a copy of
# examples/data, as the documentation tells readers to run it.
# Usage: tests/docs/run.sh BIN
set -u
LC_ALL=C
export LC_ALL NO_COLOR=1
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -R "$top/examples/data" "$tmp/data"
passed=0 failed=0
for doc in docs/LANGUAGE.md README.md; do
    awk -v dir="$tmp" -v doc="$(basename "$doc" .md)" '
        /^```plan[ \t]*$/ { n++; inblock = 1; start = NR; file = sprintf("%s/%s_%03d_L%d.plan", dir, doc, n, NR + 1); next }
        /^```/ && inblock { inblock = 0; close(file); next }
        inblock { print > file }
    ' "$top/$doc"
done
for f in "$tmp"/*.plan; do
    [ -e "$f" ] || continue
    if out=$(cd "$tmp" && "$bin" check "$(basename "$f")" 2>&1); then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $(basename "$f") (block starting at that line of the document):"
        echo "$out" | sed 's/^/    /'
    fi
done
echo "docs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
