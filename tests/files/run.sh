#!/bin/sh
# run.sh -- files and signals: data files opened once inside the plan's
# directory (no FIFO, device or directory, no symbolic link out of it, not
# even raced), output files written by the one output module (-o, fmt -w,
# :save: write errors, non-regular targets, the plan's own files, modes,
# symbolic links, read-only files, signals), standard output errors, and
# the memory of a history naming millions of unknown members.
#
# usage: sh tests/files/run.sh BIN        (make check-files)
#        FILES_VERBOSE=1 sh tests/files/run.sh BIN   also show what passed
#
# Cases that need something this machine lacks (/dev/full, mkfifo,
# /usr/bin/time, a non-root user for permission cases) print why they are
# skipped.  The last line is "N passed, M failed, K skipped"; the exit
# status is 1 if any failed.

LC_ALL=C
export LC_ALL
NO_COLOR=1
export NO_COLOR
unset SALESPLAN_PATH

if [ $# -ne 1 ]; then
    echo "usage: sh tests/files/run.sh BIN" >&2
    exit 2
fi
bin=$1
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
if [ ! -x "$bin" ]; then
    echo "files/run.sh: '$1' is not an executable" >&2
    exit 2
fi
command -v timeout >/dev/null 2>&1 || { echo "files/run.sh: needs timeout(1)" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/files.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT PIPE TERM
w=$tmp/w # the plans' directory; $tmp itself is "outside"
mkdir -p "$w/data"
cd "$w" || exit 2

passed=0
failed=0
skipped=0
pass() {
    passed=$((passed + 1))
    [ -n "$FILES_VERBOSE" ] && echo "ok   $1"
    return 0
}
fail() {
    failed=$((failed + 1))
    echo "FAIL $1: $2"
    [ -f "$tmp/err" ] && sed -n '1,5p' "$tmp/err" | sed 's/^/     | /'
    return 0
}
skip() {
    skipped=$((skipped + 1))
    echo "skip $1: $2"
}

# The marker of the file outside the plans' directory: no run may print it.
marker=OUTSIDE_MARKER_5d1c
printf 'rep,start\n%s,2027-02\n' "$marker" >"$tmp/outside.csv"
printf 'month,rep,revenue\n2027-02,%s,1\n' "$marker" >"$tmp/outside_actuals.csv"

printf 'rep\nann\nbob\n' >data/reps.csv
printf 'month,rep,revenue\n2027-01,ann,10\n2027-02,bob,20\n' >data/actuals.csv

plan_head='plan "files" { year = 2027 }'

# expect NAME STATUS PATTERN CMD...: runs CMD (at most 5 s), wants the exit
# status STATUS and PATTERN (grep -E) in its stderr, and never the marker.
expect() {
    name=$1 want=$2 pat=$3
    shift 3
    timeout 5 "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$?
    if [ $rc -eq 124 ]; then
        fail "$name" "timed out (a blocking open?)"
    elif grep -q "$marker" "$tmp/out" "$tmp/err"; then
        fail "$name" "printed the outside file's contents"
    elif [ $rc -ne "$want" ]; then
        fail "$name" "exit status $rc, expected $want"
    elif ! grep -Eq "$pat" "$tmp/err"; then
        fail "$name" "stderr lacks /$pat/"
    else
        pass "$name"
    fi
}

# ---- a history naming a million members the plan does not have -----------

{
    echo 'month,region,sales'
    awk 'BEGIN {
        for (y = 2025; y <= 2026; y++)
            for (m = 1; m <= 12; m++) {
                printf "%d-%02d,north,%d\n", y, m, 100 + m
                printf "%d-%02d,east,%d\n", y, m, 200 - m
            }
        for (k = 0; k < 1000000; k++)
            printf "2026-%02d,zz%d,1\n", k % 12 + 1, k
    }'
} >data/big_history.csv
cat >history.plan <<PLAN
$plan_head
history sales = "data/big_history.csv"
dimension region { north, east }
metric revenue money
target revenue = 1200
split revenue by region { north: 60%, east: rest }
split revenue by month in north seasonality sales
split revenue by month in east seasonality sales
PLAN
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o "$tmp/rss" "$bin" run history.plan >"$tmp/out" 2>"$tmp/err"
    rc=$?
    rss=$(tail -n 1 "$tmp/rss")
    # before the bound: about 185 MB for a million unknown names
    if [ $rc -ne 0 ]; then
        fail history_memory "exit status $rc"
    elif [ "$rss" -gt 60000 ]; then
        fail history_memory "max RSS ${rss} KB for 1,000,000 unknown members (bound 60,000 KB)"
    elif ! grep -q "1000000 rows name members the plan does not have: 'zz0'" "$tmp/err"; then
        fail history_memory "no warning with the count"
    else
        pass history_memory
    fi
else
    skip history_memory "no /usr/bin/time to measure the memory"
fi
rm -f data/big_history.csv

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
