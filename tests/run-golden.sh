#!/bin/sh
# run-golden.sh -- golden-file tests: run salesplan on each plan, compare its output.
#
# usage: sh tests/run-golden.sh BIN [NAME...]           (make check-golden)
#        UPDATE=1 sh tests/run-golden.sh BIN [NAME...]  rewrite the expected files
#
# With NAMEs (tests/golden/NAME.plan, or just NAME) only those tests run.
# For each tests/golden/NAME.plan the runner reads NAME.args if present (the
# arguments, split at white space as the shell does, so that double quotes
# group words: --show "revenue by rep, month"; no globbing; a token '{}'
# becomes the plan's file name; default "check NAME.plan"), runs BIN from
# inside tests/golden with NO_COLOR=1
# and stdin from /dev/null, and compares
#   stdout with NAME.out     (a missing file expects nothing)
#   stderr with NAME.err     (a missing file expects nothing)
#   the exit status with NAME.status (a missing file expects 0).
# A test also fails when stderr shows a sanitizer finding, or when it runs
# longer than $GOLDEN_TIMEOUT seconds (default 60; needs timeout(1)).
# UPDATE=1 writes NAME.out always, NAME.err only when stderr is non-empty and
# NAME.status only when the status is non-zero, and deletes stale ones; it
# never records a sanitizer finding.  Expected files are reviewed like code.
# The last line is "N passed, M failed"; the exit status is 1 if any failed.

LC_ALL=C
export LC_ALL
NO_COLOR=1
export NO_COLOR

if [ $# -lt 1 ]; then
    echo "usage: sh tests/run-golden.sh BIN [NAME...]" >&2
    exit 2
fi
bin=$1
shift
if [ ! -x "$bin" ] || [ -d "$bin" ]; then
    echo "run-golden.sh: '$bin' is not an executable" >&2
    exit 2
fi
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
golden=$here/golden
timeout_s=${GOLDEN_TIMEOUT:-60}
if command -v timeout >/dev/null 2>&1; then
    limit="timeout $timeout_s"
else
    limit=
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/golden.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT PIPE TERM

pass=0
fail=0

# compare WHAT EXPECTED ACTUAL: appends a unified diff to the report and
# returns 1 on a difference.  A missing EXPECTED file means empty.
compare() {
    exp=$2
    if [ ! -f "$exp" ]; then
        exp=$tmp/empty
        : >"$exp"
    fi
    cmp -s "$exp" "$3" && return 0
    {
        echo "  $1 differs (--- expected, +++ actual):"
        diff -u "$exp" "$3" | sed 's/^/    /'
    } >>"$tmp/report"
    return 1
}

# update NAME: writes the expected files from the last run.
update() {
    cp "$tmp/out" "$1.out"
    if [ -s "$tmp/err" ]; then cp "$tmp/err" "$1.err"; else rm -f "$1.err"; fi
    if [ "$status" -ne 0 ]; then echo "$status" >"$1.status"; else rm -f "$1.status"; fi
}

# run_one NAME: runs one test; sets $status, leaves stdout and stderr in $tmp.
run_one() {
    name=$1
    if [ -f "$name.args" ]; then words=$(cat "$name.args"); else words="check {}"; fi
    set -f
    eval "set -- $words"
    for w in "$@"; do
        shift
        [ "$w" = "{}" ] && w=$name.plan
        set -- "$@" "$w"
    done
    set +f
    $limit "$bin" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    status=$?
}

# problems: why the last run failed whatever the expected files say, or nothing.
problems() {
    if grep -q -e 'runtime error:' -e 'AddressSanitizer' -e 'LeakSanitizer' "$tmp/err"; then
        echo "sanitizer finding"
    elif [ -n "$limit" ] && [ "$status" -eq 124 ]; then
        echo "timed out after ${timeout_s}s"
    elif [ "$status" -gt 128 ]; then
        echo "killed by signal $((status - 128))"
    fi
}

cd "$golden" || exit 2
echo 0 >"$tmp/zero"
if [ $# -eq 0 ]; then
    set -- *.plan
fi
for plan in "$@"; do
    plan=${plan##*/}
    plan=${plan%.plan}.plan
    if [ ! -f "$plan" ]; then
        echo "run-golden.sh: no tests/golden/$plan" >&2
        exit 2
    fi
    name=${plan%.plan}
    run_one "$name"
    : >"$tmp/report"
    why=$(problems)
    if [ -n "$why" ]; then
        {
            echo "  $why; stderr ends:"
            tail -n 20 "$tmp/err" | sed 's/^/    /'
        } >>"$tmp/report"
    elif [ -n "$UPDATE" ]; then
        update "$name"
    fi
    echo "$status" >"$tmp/status"
    expected_status=$name.status
    [ -f "$expected_status" ] || expected_status=$tmp/zero
    ok=1
    compare stdout "$name.out" "$tmp/out" || ok=0
    compare stderr "$name.err" "$tmp/err" || ok=0
    compare "exit status" "$expected_status" "$tmp/status" || ok=0
    if [ $ok -eq 1 ] && [ -z "$why" ]; then
        pass=$((pass + 1))
    else
        echo "FAIL: tests/golden/$plan"
        cat "$tmp/report"
        fail=$((fail + 1))
    fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
