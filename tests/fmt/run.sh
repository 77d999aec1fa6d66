#!/bin/sh
# run.sh -- tests of `salesplan fmt` (make check-fmt).
#
# usage: sh tests/fmt/run.sh BIN          all of it
#        UPDATE=1 sh tests/fmt/run.sh BIN rewrite tests/fmt/cases/*.expected
#        FMT_PROP_N=N                     random plans (default 300; 0: none)
#
# 1. cases: tests/fmt/cases/NAME.plan formats to NAME.expected, which
#    formats to itself (`fmt --check` lists nothing).
# 2. the command line: --check lists and exits 1, -w rewrites only files that
#    change, a syntax error prints check's diagnostics, exits 1 and writes
#    nothing, standard input, usage errors.
# 3. every plan in examples/, stdlib/, tests/ and the ```plan blocks of
#    docs/LANGUAGE.md and README.md: formatting is idempotent, keeps the
#    syntax tree (--dump-ast), keeps `check`'s verdict, and keeps the output
#    of `run --format csv` (and of the golden test's own `run` arguments)
#    byte for byte.  The formatted copy runs next to the original, so that
#    data files and imports resolve, and is deleted afterwards.
# 4. random plans (tests/fmt/fmt_prop.py): the generator of
#    tests/prop/alloc_prop.py plus random expressions, laid out at random.
# The last line is "N passed, M failed"; the exit status is 1 if any failed.

LC_ALL=C
export LC_ALL
NO_COLOR=1
export NO_COLOR
unset SALESPLAN_PATH

if [ $# -lt 1 ] || [ ! -x "$1" ]; then
    echo "usage: sh tests/fmt/run.sh BIN" >&2
    exit 2
fi
case $1 in
/*) bin=$1 ;;
*) bin=$(pwd)/$1 ;;
esac
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fmt.XXXXXX") || exit 2
copies=
trap 'rm -rf "$tmp"; [ -n "$copies" ] && rm -f $copies' EXIT
trap 'exit 1' HUP INT PIPE TERM

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    echo "FAIL: $1"
    [ -s "$tmp/why" ] && sed 's/^/    /' "$tmp/why" | head -n 40
    : >"$tmp/why"
}
: >"$tmp/why"

# ---- 1. before/after cases -------------------------------------------------
cd "$top/tests/fmt/cases" || exit 2
for plan in *.plan; do
    name=${plan%.plan}
    "$bin" fmt "$plan" >"$tmp/out" 2>"$tmp/err"
    status=$?
    if [ -n "$UPDATE" ] && [ $status -eq 0 ]; then
        cp "$tmp/out" "$name.expected"
    fi
    if [ $status -ne 0 ]; then
        cat "$tmp/err" >"$tmp/why"
        bad "cases/$plan: fmt exits $status"
    elif ! cmp -s "$name.expected" "$tmp/out"; then
        diff -u "$name.expected" "$tmp/out" >"$tmp/why"
        bad "cases/$plan: output differs from $name.expected (--- expected, +++ actual)"
    else
        ok
    fi
    if "$bin" fmt --check - <"$name.expected" >"$tmp/out" 2>"$tmp/err" && [ ! -s "$tmp/out" ]; then
        ok
    else
        "$bin" fmt - <"$name.expected" | diff -u "$name.expected" - >"$tmp/why"
        bad "cases/$name.expected: not stable under fmt"
    fi
done
cd "$top" || exit 2

# ---- 2. the command line ------------------------------------------------------
# expect WHAT STATUS CMD...: runs CMD, stdout and stderr in $tmp/out, $tmp/err
expect() {
    what=$1 want=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -eq "$want" ]; then
        ok
    else
        { echo "exit status $got, expected $want"; cat "$tmp/out" "$tmp/err"; } >"$tmp/why"
        bad "cli: $what"
    fi
}
# check_file WHAT FILE CONTENT-FILE: FILE holds exactly CONTENT-FILE
same_file() {
    if cmp -s "$2" "$3"; then ok; else diff -u "$3" "$2" >"$tmp/why"; bad "cli: $1"; fi
}
w=$tmp/cli
mkdir -p "$w"
printf 'plan "t" {year=2027}\nmetric revenue money\ntarget revenue=1400万\n' >"$w/messy.plan"
printf 'plan "t" { year = 2027 }\nmetric revenue money\ntarget revenue = 1400万\n' >"$w/tidy.plan"
printf 'plan "t" { year = 2027 }\nsplit revenue by { a: 1 }\n' >"$w/broken.plan"
cp "$w/messy.plan" "$w/messy.orig"
cp "$w/broken.plan" "$w/broken.orig"
expect "fmt FILE prints the layout" 0 "$bin" fmt "$w/messy.plan"
same_file "fmt FILE output" "$tmp/out" "$w/tidy.plan"
same_file "fmt FILE leaves the file alone" "$w/messy.plan" "$w/messy.orig"
expect "--check with a file to change exits 1" 1 "$bin" fmt --check "$w/tidy.plan" "$w/messy.plan"
printf '%s\n' "$w/messy.plan" >"$tmp/want"
same_file "--check lists exactly the files that would change" "$tmp/out" "$tmp/want"
expect "--check of formatted files exits 0" 0 "$bin" fmt --check "$w/tidy.plan"
same_file "--check of formatted files prints nothing" "$tmp/out" /dev/null
cp "$w/tidy.plan" "$w/tidy.orig"
touch -t 202001010000 "$w/tidy.plan"
expect "-w" 0 "$bin" fmt -w "$w/messy.plan" "$w/tidy.plan"
same_file "-w rewrites a file that changes" "$w/messy.plan" "$w/tidy.orig"
same_file "-w leaves a formatted file's text" "$w/tidy.plan" "$w/tidy.orig"
if [ -z "$(find "$w/tidy.plan" -newer "$w/messy.orig")" ]; then ok; else bad "cli: -w touched a file that needed no change"; fi
expect "a syntax error exits 1" 1 "$bin" fmt -w "$w/broken.plan"
if grep -q 'broken.plan:2:18: error: ' "$tmp/err" && grep -q '      |' "$tmp/err"; then ok; else cp "$tmp/err" "$tmp/why"; bad "cli: a syntax error is reported as check reports it"; fi
same_file "-w writes nothing for a plan with a syntax error" "$w/broken.plan" "$w/broken.orig"
expect "--check of a plan with a syntax error exits 1" 1 "$bin" fmt --check "$w/broken.plan"
expect "standard input" 0 sh -c "\"$bin\" fmt - <\"$w/messy.orig\""
same_file "standard input output" "$tmp/out" "$w/tidy.orig"
expect "a missing file exits 2" 2 "$bin" fmt "$w/none.plan"
expect "an unknown option exits 2" 2 "$bin" fmt --frobnicate "$w/tidy.plan"
expect "--check and -w together exit 2" 2 "$bin" fmt --check -w "$w/tidy.plan"
expect "no file exits 2" 2 "$bin" fmt
expect "fmt --help" 0 "$bin" fmt --help
if grep -q 'usage: salesplan fmt' "$tmp/out"; then ok; else bad "cli: fmt --help prints the usage"; fi

# ---- 3. every plan of the repository ---------------------------------------------
# one_plan PLAN [ARGS-FILE]: the checks of section 3 for one plan, run from
# the plan's directory.
one_plan() {
    plan=$1
    dir=$(dirname "$plan")
    base=$(basename "$plan" .plan)
    "$bin" fmt "$plan" >"$tmp/f1" 2>"$tmp/err"
    status=$?
    if [ $status -eq 1 ]; then # a syntax error: check must refuse the plan too
        if (cd "$dir" && "$bin" check "$base.plan") >/dev/null 2>&1; then
            cp "$tmp/err" "$tmp/why"
            bad "$plan: fmt finds a syntax error, check accepts the plan"
        else
            ok
        fi
        return
    fi
    if [ $status -ne 0 ]; then
        cp "$tmp/err" "$tmp/why"
        bad "$plan: fmt exits $status"
        return
    fi
    "$bin" fmt - <"$tmp/f1" >"$tmp/f2" 2>&1
    if cmp -s "$tmp/f1" "$tmp/f2"; then ok; else diff -u "$tmp/f1" "$tmp/f2" >"$tmp/why"; bad "$plan: not idempotent"; fi
    "$bin" fmt --dump-ast "$plan" >"$tmp/a1" 2>&1
    "$bin" fmt --dump-ast - <"$tmp/f1" >"$tmp/a2" 2>&1
    if cmp -s "$tmp/a1" "$tmp/a2"; then ok; else diff -u "$tmp/a1" "$tmp/a2" >"$tmp/why"; bad "$plan: syntax tree changed"; fi
    copy=$dir/.$base.fmt$$.plan
    copies="$copies $copy"
    cp "$tmp/f1" "$copy"
    (cd "$dir" && "$bin" check "$base.plan") >/dev/null 2>&1
    c1=$?
    (cd "$dir" && "$bin" check ".$base.fmt$$.plan") >/dev/null 2>&1
    c2=$?
    if [ $c1 -eq $c2 ]; then ok; else echo "check exits $c1, then $c2" >"$tmp/why"; bad "$plan: check's verdict changed"; fi
    if (cd "$dir" && "$bin" run "$base.plan" --format csv) >"$tmp/r1" 2>/dev/null; then
        (cd "$dir" && "$bin" run ".$base.fmt$$.plan" --format csv) >"$tmp/r2" 2>"$tmp/why"
        if cmp -s "$tmp/r1" "$tmp/r2"; then ok; else diff -u "$tmp/r1" "$tmp/r2" >>"$tmp/why"; bad "$plan: run --format csv changed"; fi
    fi
    if [ -n "$2" ] && [ -f "$2" ] && grep -q '^run .*{}' "$2"; then
        words=$(cat "$2")
        (cd "$dir" && run_args "$base.plan" "$words") >"$tmp/r1" 2>/dev/null
        s1=$?
        (cd "$dir" && run_args ".$base.fmt$$.plan" "$words") >"$tmp/r2" 2>/dev/null
        s2=$?
        if [ $s1 -eq $s2 ] && cmp -s "$tmp/r1" "$tmp/r2"; then
            ok
        else
            { echo "exit $s1, then $s2"; diff -u "$tmp/r1" "$tmp/r2"; } >"$tmp/why"
            bad "$plan: run with $(basename "$2") changed"
        fi
    fi
    rm -f "$copy"
}

# run_args PLAN WORDS: BIN with the golden test's words, {} being PLAN (the
# words are split as tests/run-golden.sh splits them: by the shell, quotes
# grouping words, no globbing)
run_args() {
    p=$1
    set -f
    eval "set -- $2"
    for a in "$@"; do
        shift
        [ "$a" = "{}" ] && a=$p
        set -- "$@" "$a"
    done
    "$bin" "$@" </dev/null
}

for plan in examples/*.plan stdlib/*.plan tests/golden/*.plan tests/golden/*/*.plan \
    tests/fuzz/corpus/*.plan tests/fmt/cases/*.plan; do
    [ -f "$plan" ] || continue
    one_plan "$plan" "${plan%.plan}.args"
done

docs=$tmp/docs
mkdir -p "$docs"
cp -R "$top/examples/data" "$docs/data"
for doc in docs/LANGUAGE.md README.md; do
    awk -v dir="$docs" -v doc="$(basename "$doc" .md)" '
        /^```plan[ \t]*$/ { n++; inblock = 1; file = sprintf("%s/%s_%03d_L%d.plan", dir, doc, n, NR + 1); next }
        /^```/ && inblock { inblock = 0; close(file); next }
        inblock { print > file }
    ' "$top/$doc"
done
for plan in "$docs"/*.plan; do
    [ -f "$plan" ] && one_plan "$plan"
done

# ---- 4. random plans -----------------------------------------------------------------
if [ "${FMT_PROP_N:-300}" -gt 0 ]; then
    if command -v python3 >/dev/null 2>&1; then
        if python3 "$top/tests/fmt/fmt_prop.py" "$bin" >"$tmp/prop" 2>&1; then
            ok
            tail -n 1 "$tmp/prop"
        else
            tail -n 40 "$tmp/prop" >"$tmp/why"
            bad "random plans (tests/fmt/fmt_prop.py)"
        fi
    else
        echo "fmt: python3 not found, random plans skipped"
    fi
fi

echo "fmt: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
