#!/bin/sh
# repl_corpus.sh DIR -- seeds for fuzz_repl (a plan, a NUL byte, the lines
# typed): each REPL transcript of tests/repl on its plan, and every plan of
# examples/ and tests/fuzz/corpus/ with entries that print every table in
# every format and undo.  Run from the top of the tree (make fuzz).
set -e
out=$1
mkdir -p "$out"
for in in tests/repl/*.in; do
    name=$(basename "$in" .in)
    plan=
    if [ -f "tests/repl/$name.args" ]; then
        plan=tests/repl/$(awk '{ print $1; exit }' "tests/repl/$name.args")
    elif [ -f "tests/repl/$name.plan" ]; then
        plan=tests/repl/$name.plan
    fi
    { [ -n "$plan" ] && [ -f "$plan" ] && cat "$plan"; printf '\0'; cat "$in"; } >"$out/repl-$name"
done
for plan in examples/*.plan tests/fuzz/corpus/*.plan; do
    { cat "$plan"; printf '\0'; printf ':run\n:format csv\n:run\n:format json\n:baseline\n:run\n'
      printf ':format md\n:list\n:diff\n:undo\n:help\n'; } >"$out/plan-$(basename "$plan" .plan)"
done
