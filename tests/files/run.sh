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

# ---- standard output -------------------------------------------------------

printf '%s\ndimension org levels rep from "data/reps.csv"\nmetric revenue money\ntarget revenue = 10\nsplit revenue by rep equally\n' \
    "$plan_head" >out.plan
if [ -c /dev/full ] && [ -w /dev/full ]; then
    for cmd in run check fmt; do
        "$bin" $cmd out.plan >/dev/full 2>"$tmp/err"
        rc=$?
        if [ $rc -ne 2 ]; then
            fail "stdout_full_$cmd" "exit status $rc with standard output on /dev/full, expected 2"
        elif ! grep -q "cannot write standard output" "$tmp/err"; then
            fail "stdout_full_$cmd" "no message"
        else
            pass "stdout_full_$cmd"
        fi
    done
else
    skip stdout_full "no writable /dev/full"
fi

# ---- -o: what it refuses, what it keeps --------------------------------------

# wrote NAME STATUS: the last command's status and that it wrote nothing.
refused() {
    if [ "$2" -ne 2 ]; then
        fail "$1" "exit status $2, expected 2"
    elif ls ./*.tmp.* >/dev/null 2>&1 || ls data/*.tmp.* >/dev/null 2>&1; then
        fail "$1" "a temporary file was left"
    else
        pass "$1"
    fi
}

# A device node of its own (never /dev/null: a writer that replaces devices
# would replace the machine's).
if [ "$(id -u)" -eq 0 ] && mknod -m 666 null.dev c 1 3 2>/dev/null; then
    "$bin" run out.plan -o null.dev 2>"$tmp/err"
    rc=$?
    if [ ! -c null.dev ]; then fail o_device "the device node was replaced"; else refused o_device $rc; fi
else
    skip o_device "making a device node needs root"
fi
if command -v mkfifo >/dev/null 2>&1 && mkfifo out.fifo 2>/dev/null; then
    timeout 5 "$bin" run out.plan -o out.fifo 2>"$tmp/err"
    rc=$?
    if [ ! -p out.fifo ]; then fail o_fifo "the FIFO was replaced"; else refused o_fifo $rc; fi
fi
cp out.plan out.plan.orig
"$bin" run out.plan -o out.plan 2>"$tmp/err"
rc=$?
if ! cmp -s out.plan out.plan.orig; then fail o_plan "the plan was overwritten"; else refused o_plan $rc; fi
ln out.plan out_hard.plan
"$bin" run out.plan -o out_hard.plan 2>"$tmp/err"
rc=$?
if ! cmp -s out.plan out.plan.orig; then fail o_plan_link "the plan was overwritten"; else refused o_plan_link $rc; fi
cp data/reps.csv reps.orig
"$bin" run out.plan -o data/reps.csv 2>"$tmp/err"
rc=$?
if ! cmp -s data/reps.csv reps.orig; then fail o_data "a data file was overwritten"; else refused o_data $rc; fi
printf 'metric extra money\n' >lib.plan
printf '%s\nimport "lib.plan"\ndimension org levels rep from "data/reps.csv"\nmetric revenue money\ntarget revenue = 10\nsplit revenue by rep equally\n' \
    "$plan_head" >imports.plan
"$bin" run imports.plan -o lib.plan 2>"$tmp/err"
rc=$?
if ! grep -q extra lib.plan; then fail o_import "an import was overwritten"; else refused o_import $rc; fi

# mode_of FILE: its permission bits in octal.
mode_of() {
    stat -c %a "$1" 2>/dev/null || stat -f %Lp "$1"
}
rm -f new1.txt new2.txt
(umask 077 && "$bin" run out.plan -o new1.txt)
(umask 022 && "$bin" run out.plan -o new2.txt)
if [ "$(mode_of new1.txt)" = 600 ] && [ "$(mode_of new2.txt)" = 644 ]; then
    pass o_umask
else
    fail o_umask "new files are $(mode_of new1.txt) (umask 077) and $(mode_of new2.txt) (umask 022)"
fi
printf 'old\n' >keep.txt
chmod 0600 keep.txt
"$bin" run out.plan -o keep.txt
if [ "$(mode_of keep.txt)" = 600 ] && grep -q total keep.txt; then
    pass o_mode
else
    fail o_mode "an existing 0600 file became $(mode_of keep.txt)"
fi
printf 'old\n' >target.txt
ln -s target.txt link.txt
"$bin" run out.plan -o link.txt
if [ -L link.txt ] && grep -q total target.txt; then
    pass o_symlink
else
    fail o_symlink "the link was replaced, or its target not written"
fi
printf 'old\n' >ro.txt
chmod 0444 ro.txt
"$bin" run out.plan -o ro.txt 2>"$tmp/err"
rc=$?
if grep -q total ro.txt; then fail o_readonly "a read-only file was rewritten"; else refused o_readonly $rc; fi

# ---- fmt -w and :save: the same rules ----------------------------------------

printf 'plan "f" {  year = 2027 }\nmetric   revenue money\n' >messy.plan
cp messy.plan messy.orig
ln -s messy.plan messy_link.plan
"$bin" fmt -w messy_link.plan
if [ -L messy_link.plan ] && ! cmp -s messy.plan messy.orig; then
    pass fmt_symlink
else
    fail fmt_symlink "the link was replaced, or its target not formatted"
fi
cp messy.orig ro.plan
chmod 0444 ro.plan
"$bin" fmt -w ro.plan 2>"$tmp/err"
rc=$?
if ! cmp -s ro.plan messy.orig; then fail fmt_readonly "a read-only plan was rewritten"; else refused fmt_readonly $rc; fi
if [ "$(id -u)" -ne 0 ]; then
    mkdir -p locked && cp messy.orig locked/p.plan && chmod 0644 locked/p.plan && chmod 0555 locked
    "$bin" fmt -w locked/p.plan 2>"$tmp/err"
    rc=$?
    chmod 0755 locked
    if [ $rc -ne 2 ]; then fail fmt_locked_dir "exit status $rc in a directory not writable"; else pass fmt_locked_dir; fi
else
    skip fmt_locked_dir "running as root: a directory without write permission does not stop root (the read-only file case above is checked by its mode bits)"
fi
cp messy.orig mode.plan
chmod 0640 mode.plan
"$bin" fmt -w mode.plan
if [ "$(mode_of mode.plan)" = 640 ] && ! cmp -s mode.plan messy.orig; then
    pass fmt_mode
else
    fail fmt_mode "mode $(mode_of mode.plan) after fmt -w of a 0640 plan"
fi
# (:save! overwrites an existing file; plain :save refuses in a script)

printf 'old\n' >saved_target.plan
ln -s saved_target.plan saved_link.plan
printf ':save! saved_link.plan\n' | "$bin" repl out.plan >"$tmp/out" 2>&1
if [ -L saved_link.plan ] && grep -q 'plan "files"' saved_target.plan; then
    pass save_symlink
else
    fail save_symlink "the link was replaced, or its target not written"
fi
printf 'old\n' >saved_mode.plan
chmod 0600 saved_mode.plan
printf ':save! saved_mode.plan\n' | "$bin" repl out.plan >"$tmp/out" 2>&1
if [ "$(mode_of saved_mode.plan)" = 600 ] && grep -q 'plan "files"' saved_mode.plan; then
    pass save_mode
else
    fail save_mode "mode $(mode_of saved_mode.plan) after :save over a 0600 file"
fi
printf 'old\n' >saved_ro.plan
chmod 0444 saved_ro.plan
printf ':save! saved_ro.plan\n' | "$bin" repl out.plan >"$tmp/out" 2>&1
if grep -q 'plan "files"' saved_ro.plan; then
    fail save_readonly "a read-only file was rewritten"
elif ! grep -q "read-only" "$tmp/out"; then
    fail save_readonly "no message"
else
    pass save_readonly
fi

# ---- signals during -o: the temporary file goes -------------------------------

# A shell starts background commands with SIGINT ignored; python3 (when
# present) restores the default before it runs salesplan.
for sig in INT TERM HUP; do
    rm -f sig.txt
    if [ $sig = INT ]; then
        command -v python3 >/dev/null 2>&1 || { skip signal_INT "no python3 to undo the shell's SIG_IGN"; continue; }
        SALESPLAN_TEST_WRITE_PAUSE=5 python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$bin" run out.plan -o sig.txt &
    else
        SALESPLAN_TEST_WRITE_PAUSE=5 "$bin" run out.plan -o sig.txt &
    fi
    pid=$!
    n=0
    while ! ls sig.txt.tmp.* >/dev/null 2>&1 && [ $n -lt 50 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    kill -s $sig $pid
    { wait $pid; } 2>/dev/null
    rc=$?
    if [ $n -ge 50 ]; then
        fail "signal_$sig" "no temporary file appeared"
    elif ls sig.txt.tmp.* >/dev/null 2>&1; then
        fail "signal_$sig" "the temporary file was left behind"
        rm -f sig.txt.tmp.*
    elif [ -e sig.txt ] || [ $rc -lt 128 ]; then
        fail "signal_$sig" "the run finished (status $rc)"
    else
        pass "signal_$sig"
    fi
done

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

# ---- a large output: written to the temporary file as it is made --------------

# 70,000 reps x 20 products: some 10 MB of CSV, more than run holds in memory
# before it writes (8 MiB); the file must still appear whole or not at all.
awk 'BEGIN { print "rep"; for (i = 0; i < 70000; i++) printf "rep%05d\n", i }' >data/big_reps.csv
cat >big.plan <<PLAN
$plan_head
dimension org levels rep from "data/big_reps.csv"
dimension product { p01 p02 p03 p04 p05 p06 p07 p08 p09 p10 p11 p12 p13 p14 p15 p16 p17 p18 p19 p20 }
metric revenue money
target revenue = 98765432.10
split revenue by rep equally
split revenue by product weights { p01: 3, p02: 7, p03: 1, p04: 9, p05: 2, p06: 8, p07: 4, p08: 6, p09: 5, p10: 1,
                                   p11: 3, p12: 7, p13: 1, p14: 9, p15: 2, p16: 8, p17: 4, p18: 6, p19: 5, p20: 1 }
PLAN
{ cat big.plan; echo 'assert revenue == 1'; } >big_fails.plan
big_show='revenue by rep, product'
"$bin" run big.plan --show "$big_show" --format csv >big_stdout.csv 2>"$tmp/err"
rc=$?
size=$(wc -c <big_stdout.csv)
if [ $rc -ne 0 ] || [ "$size" -lt 9000000 ]; then
    fail big_stdout "exit status $rc, $size bytes (expected 0 and more than 9,000,000)"
else
    "$bin" run big.plan --show "$big_show" --format csv -o big.csv 2>"$tmp/err"
    rc=$?
    if [ $rc -ne 0 ] || ! cmp -s big.csv big_stdout.csv; then
        fail big_file "exit status $rc, or -o FILE differs from standard output"
    elif ls big.csv.tmp.* >/dev/null 2>&1; then
        fail big_file "a temporary file was left"
    else
        pass big_file
    fi
    printf 'old\n' >big.csv
    "$bin" run big_fails.plan --show "$big_show" --format csv -o big.csv >/dev/null 2>"$tmp/err"
    rc=$?
    if [ $rc -ne 1 ] || [ "$(cat big.csv)" != old ]; then
        fail big_failed_assertion "exit status $rc (expected 1), or the old file changed"
    elif ls big.csv.tmp.* >/dev/null 2>&1; then
        fail big_failed_assertion "a temporary file was left"
    else
        pass big_failed_assertion
    fi
    cp data/big_reps.csv big_reps.keep
    expect big_over_plan_file 2 "cannot write 'data/big_reps.csv': it is a file the plan reads" \
        "$bin" run big.plan --show "$big_show" --format csv -o data/big_reps.csv
    if ! cmp -s data/big_reps.csv big_reps.keep || ls data/big_reps.csv.tmp.* >/dev/null 2>&1; then
        fail big_over_plan_file_kept "the roster changed, or a temporary file was left"
    else
        pass big_over_plan_file_kept
    fi
fi
# out of memory after the first 8 MiB went to the temporary file: it is removed at
# exit too (the address-space limits step through where the run fails, some
# after it wrote, some before)
oom_runs=0
oom_left=""
for lim in 150000 165000 180000 195000 210000 225000 240000 255000; do
    rm -f big.csv big.csv.tmp.*
    (ulimit -v $lim && exec "$bin" run big.plan --show "$big_show" --show "revenue by product, rep" \
        --format csv -o big.csv) >/dev/null 2>"$tmp/err"
    if grep -q 'out of memory' "$tmp/err"; then
        oom_runs=$((oom_runs + 1))
        ls big.csv.tmp.* >/dev/null 2>&1 && oom_left="$oom_left $lim"
    fi
done
if [ -n "$oom_left" ]; then
    fail big_out_of_memory "a temporary file was left after running out of memory (ulimit -v:$oom_left)"
elif [ "$oom_runs" -eq 0 ]; then
    skip big_out_of_memory "no address-space limit tried made the run fail for want of memory"
else
    pass big_out_of_memory
fi
rm -f data/big_reps.csv big_reps.keep big.csv big.csv.tmp.* big_stdout.csv

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
