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

# ---- data files: FIFOs, directories, symbolic links out, a raced link ------

if command -v mkfifo >/dev/null 2>&1 && mkfifo fifo.csv fifo.plan 2>/dev/null; then
    printf '%s\nimport "fifo.plan"\n' "$plan_head" >fifo_import.plan
    expect fifo_import 2 "cannot import 'fifo.plan': it is a FIFO" "$bin" check fifo_import.plan
    printf '%s\ndimension org levels rep from "fifo.csv"\n' "$plan_head" >fifo_roster.plan
    expect fifo_roster 2 "cannot read 'fifo.csv': it is a FIFO" "$bin" check fifo_roster.plan
    printf '%s\ndimension org levels rep from "data/reps.csv"\nmetric revenue money\nactuals "fifo.csv"\n' \
        "$plan_head" >fifo_actuals.plan
    expect fifo_actuals 2 "cannot read 'fifo.csv': it is a FIFO" "$bin" check fifo_actuals.plan
    expect fifo_actuals_run 2 "cannot read 'fifo.csv': it is a FIFO" "$bin" run fifo_actuals.plan
    printf '%s\ndimension org levels rep from "data/reps.csv"\nmetric revenue money\ntarget revenue = 10\nsplit revenue by rep equally\n' \
        "$plan_head" >reps.plan
    expect fifo_actuals_cli 2 "cannot open 'fifo.csv': it is a FIFO" \
        "$bin" run reps.plan --actuals fifo.csv
    cat >fifo_history.plan <<PLAN
$plan_head
history sales = "fifo.csv"
metric revenue money
target revenue = 1200
split revenue by month seasonality sales
PLAN
    expect fifo_history 2 "cannot read 'fifo.csv': it is a FIFO" "$bin" run fifo_history.plan
    printf '%s\ndimension org levels rep from "data/reps.csv"\nmetric revenue money\ntarget revenue from "fifo.csv"\n' \
        "$plan_head" >fifo_targets.plan
    expect fifo_targets 2 "cannot read 'fifo.csv': it is a FIFO" "$bin" check fifo_targets.plan
else
    skip fifo "mkfifo is not available"
fi

mkdir -p adir.csv
printf '%s\ndimension org levels rep from "adir.csv"\n' "$plan_head" >dir_roster.plan
expect directory_roster 2 "cannot read 'adir.csv': it is a directory" "$bin" check dir_roster.plan

ln -s ../outside.csv out_link.csv
printf '%s\ndimension org levels rep from "out_link.csv"\nmetric revenue money\ntarget revenue = 10\nsplit revenue by rep equally\n' \
    "$plan_head" >link_out.plan
expect link_out 1 "cannot use 'out_link.csv': it resolves outside" "$bin" run link_out.plan
ln -s .. up_link
printf '%s\ndimension org levels rep from "up_link/outside.csv"\n' "$plan_head" >link_dir_out.plan
expect link_dir_out 1 "cannot use 'up_link/outside.csv'" "$bin" check link_dir_out.plan
ln -s ../outside_actuals.csv out_actuals.csv
printf '%s\ndimension org levels rep from "data/reps.csv"\nmetric revenue money\nactuals "out_actuals.csv"\n' \
    "$plan_head" >link_actuals.plan
expect link_actuals 1 "cannot use 'out_actuals.csv'" "$bin" run link_actuals.plan --show "revenue by rep"

# A link swapped between a file inside and one outside while runs read it:
# a run sees the inside file or refuses, never the outside one.
printf 'rep,start\ninside_rep,2027-02\n' >data/inside.csv
printf '%s\ndimension org levels rep from "data/race.csv"\nmetric revenue money\ntarget revenue = 10\nsplit revenue by rep equally\n' \
    "$plan_head" >race.plan
ln -s inside.csv data/race.csv
(
    while [ ! -f "$tmp/race.stop" ]; do
        ln -sfn ../../outside.csv data/race.csv
        ln -sfn inside.csv data/race.csv
    done
) &
swapper=$!
race_bad=0
race_inside=0
i=0
while [ $i -lt ${FILES_RACE_RUNS:-300} ]; do
    timeout 5 "$bin" run race.plan --show "revenue by rep" >"$tmp/out" 2>"$tmp/err" </dev/null
    if grep -q "$marker" "$tmp/out" "$tmp/err"; then
        race_bad=$((race_bad + 1))
    fi
    grep -q inside_rep "$tmp/out" && race_inside=$((race_inside + 1))
    i=$((i + 1))
done
: >"$tmp/race.stop"
wait $swapper
rm -f "$tmp/err"
if [ $race_bad -ne 0 ]; then
    fail link_race "$race_bad of $i runs read the file outside"
else
    pass "link_race ($race_inside of $i runs read the inside file)"
fi

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
