#!/bin/sh
# run.sh -- REPL transcripts: sessions typed from a file, their output compared.
#
# usage: sh tests/repl/run.sh BIN [NAME...]           (make check-repl)
#        UPDATE=1 sh tests/repl/run.sh BIN [NAME...]  rewrite the expected files
#
# For each tests/repl/NAME.in the runner copies tests/repl into a scratch
# directory and, from there, runs
#     BIN repl ARGS < NAME.in
# with ARGS from NAME.args (split at white space; default: NAME.plan when it
# exists, else nothing), LC_ALL=C, NO_COLOR=1 and HOME in the scratch
# directory.  Standard input is a file, so the session runs without readline
# and prints its diagnostics on standard output with the answers.  When
# NAME.sh exists it runs instead of that command (sh NAME.sh, with BIN set):
# for sessions that need something done between two entries (:reload).
# When NAME.post exists it runs afterwards (sh NAME.post, with BIN set and
# OUT the session's output file), and what it prints is appended to the
# transcript: :save round trips check the saved plan there.
#
# Compared: standard output (and NAME.post's) with NAME.expected, standard
# error with NAME.err (a missing file expects nothing), the exit status with
# NAME.status (a missing file expects 0).  A test also fails on a sanitizer
# finding or after $REPL_TIMEOUT seconds (default 60).  Then the pty test
# (tests/repl/pty_test.py) checks the prompt, history and completion through
# real readline; it is skipped without python3.
# The last line is "N passed, M failed"; the exit status is 1 if any failed.

LC_ALL=C
export LC_ALL
NO_COLOR=1
export NO_COLOR

if [ $# -lt 1 ]; then
    echo "usage: sh tests/repl/run.sh BIN [NAME...]" >&2
    exit 2
fi
bin=$1
shift
if [ ! -x "$bin" ] || [ -d "$bin" ]; then
    echo "tests/repl/run.sh: '$bin' is not an executable" >&2
    exit 2
fi
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
BIN=$bin
export BIN

here=$(cd "$(dirname "$0")" && pwd)
timeout_s=${REPL_TIMEOUT:-60}
if command -v timeout >/dev/null 2>&1; then
    limit="timeout $timeout_s"
else
    limit=
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/repl-tests.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT PIPE TERM

pass=0
fail=0

# compare WHAT EXPECTED ACTUAL: prints a unified diff and returns 1 when they differ
compare() {
    if [ -f "$2" ]; then
        exp=$2
    else
        exp=$tmp/.nothing
        : >"$exp"
    fi
    if ! cmp -s "$exp" "$3"; then
        echo "  $1 differs:"
        diff -u "$exp" "$3" | sed 's/^/    /' | head -60
        return 1
    fi
    return 0
}

if [ $# -gt 0 ]; then
    names=$*
else
    names=$(cd "$here" && ls *.in 2>/dev/null | sed 's/\.in$//')
fi

for name in $names; do
    name=${name%.in}
    if [ ! -f "$here/$name.in" ]; then
        echo "FAIL $name: no $name.in"
        fail=$((fail + 1))
        continue
    fi
    work=$tmp/$name
    rm -rf "$work"
    mkdir -p "$work/home"
    cp -R "$here/." "$work/"
    if [ -f "$here/$name.args" ]; then
        args=$(cat "$here/$name.args")
    elif [ -f "$here/$name.plan" ]; then
        args=$name.plan
    else
        args=
    fi
    out=$work/$name.stdout
    err=$work/$name.stderr
    if [ -f "$here/$name.sh" ]; then
        (cd "$work" && HOME=$work/home $limit sh "$name.sh" >"$out" 2>"$err")
    else
        # shellcheck disable=SC2086 # ARGS are split at white space on purpose
        (cd "$work" && HOME=$work/home $limit "$bin" repl $args <"$name.in" >"$out" 2>"$err")
    fi
    status=$?
    if [ -f "$here/$name.post" ]; then
        (cd "$work" && HOME=$work/home OUT=$out $limit sh "$name.post" >>"$out" 2>&1)
    fi
    if [ -n "$UPDATE" ]; then
        cp "$out" "$here/$name.expected"
        if [ -s "$err" ]; then cp "$err" "$here/$name.err"; else rm -f "$here/$name.err"; fi
        if [ "$status" -ne 0 ]; then echo "$status" >"$here/$name.status"; else rm -f "$here/$name.status"; fi
    fi
    ok=1
    report=$(
        rc=0
        compare stdout "$here/$name.expected" "$out" || rc=1
        compare stderr "$here/$name.err" "$err" || rc=1
        want=0
        [ -f "$here/$name.status" ] && want=$(cat "$here/$name.status")
        if [ "$status" -ne "$want" ]; then
            echo "  exit status $status, expected $want"
            rc=1
        fi
        if grep -q -e 'Sanitizer' -e 'runtime error:' "$err" "$out" 2>/dev/null; then
            echo "  sanitizer finding:"
            grep -h -A12 -e 'Sanitizer' -e 'runtime error:' "$err" "$out" | sed 's/^/    /' | head -30
            rc=1
        fi
        exit $rc
    ) || ok=0
    if [ $ok -eq 1 ]; then
        pass=$((pass + 1))
    else
        echo "FAIL $name"
        echo "$report"
        fail=$((fail + 1))
    fi
done

if [ $# -eq 0 ]; then
    if command -v python3 >/dev/null 2>&1; then
        if (cd "$tmp" && HOME=$tmp $limit python3 "$here/pty_test.py" "$bin"); then
            pass=$((pass + 1))
        else
            echo "FAIL pty_test.py"
            fail=$((fail + 1))
        fi
    else
        echo "skip pty_test.py: no python3"
    fi
fi

echo "repl: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
