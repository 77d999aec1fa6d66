#!/bin/sh
# run.sh -- malformed and hostile actuals CSVs (SPEC §9, §17), end to end:
# `salesplan check PLAN` reads the plan's actuals, and every bad file must
# end in the right FILE:LINE:COL diagnostic and exit status 2 (a data
# error), never a crash, a hang or a sanitizer report.  Rows outside the
# fiscal year and rows skipped by `run --lenient` are warnings only.
#
# usage: sh tests/actuals/run.sh BIN        (make check-actuals)
#        ACTUALS_VERBOSE=1 sh tests/actuals/run.sh BIN   also show what passed
#
# Every input is generated at test time into a temporary directory (the
# 100 MB field too); nothing is written into the repository.  Each case
# runs BIN from that directory with a time limit ($ACTUALS_TIMEOUT seconds,
# default 20) and checks the exit status and that stderr contains each
# expected text (fixed strings, grep -F).  Each case runs with one thread
# (SALESPLAN_THREADS=1) and again with 2, 3 and 4 threads reading each
# file (tiny ranges: most cuts fall between the few rows there are), and
# the exit status, stdout and stderr must be those of the one-thread run,
# byte for byte.  The last line is "N passed, M failed"; the exit status
# is 1 if any failed.

LC_ALL=C
export LC_ALL
NO_COLOR=1
export NO_COLOR

if [ $# -ne 1 ]; then
    echo "usage: sh tests/actuals/run.sh BIN" >&2
    exit 2
fi
bin=$1
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
if [ ! -x "$bin" ]; then
    echo "actuals/run.sh: '$1' is not an executable" >&2
    exit 2
fi
limit=${ACTUALS_TIMEOUT:-20}
command -v timeout >/dev/null 2>&1 || { echo "actuals/run.sh: needs timeout(1)" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/actuals.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT PIPE TERM
cd "$tmp" || exit 2
mkdir data

# The plan: FY2027 from February; reps under teams under regions (with
# labels); a derived metric.  Each case writes data/a.csv and maybe more
# plan text after this header.
plan_head='plan "actuals" { year = 2027  start = feb }
dimension org levels region > team > rep {
  north "华北" { team_a { zhang "张三", li }  team_b { zhao } }
  east "华东" { team_c { sun, zhou } }
}
metric revenue money
metric collected money
metric rate percent
metric collection_rate = collected / revenue
target revenue = 1000
split revenue by region equally'

# plan NAME [EXTRA]: writes NAME.plan reading data/a.csv (EXTRA: its mapping).
plan() {
    printf '%s\nactuals "data/a.csv" %s\n' "$plan_head" "${2:-}" >"$1.plan"
}

pass=0
fail=0

# run THREADS: runs the case's command with SALESPLAN_THREADS=THREADS into
# out, err and status.
run() {
    # shellcheck disable=SC2086
    SALESPLAN_THREADS=$1 timeout "$limit" "$bin" ${args:-check $name.plan} </dev/null >out 2>err
    status=$?
}

# same_with_threads: whether 2, 3 and 4 threads give the one-thread run's
# status, stdout and stderr (saved in status1, out1, err1); sets why.
same_with_threads() {
    cp out out1
    cp err err1
    status1=$status
    for threads in 2 3 4; do
        run $threads
        if [ $status -ne "$status1" ] || ! cmp -s out out1 || ! cmp -s err err1; then
            why="with SALESPLAN_THREADS=$threads: exit status $status (one thread: $status1) or output differs"
            diff err1 err | head -n 10 >>why.txt
            break
        fi
    done
    cp out1 out
    cp err1 err
    status=$status1
}

# expect NAME STATUS TEXT... : runs `BIN check NAME.plan` (or $args when
# set) and checks its exit status and that stderr has every TEXT, with one
# thread, then that 2, 3 and 4 threads give the same.
expect() {
    name=$1
    want=$2
    shift 2
    : >why.txt
    run 1
    why=
    if [ $status -eq 124 ]; then
        why="timed out after ${limit}s"
    elif [ $status -gt 128 ]; then
        why="killed by signal $((status - 128))"
    elif grep -q -e 'runtime error:' -e 'AddressSanitizer' -e 'LeakSanitizer' err; then
        why="sanitizer report"
    elif [ $status -ne "$want" ]; then
        why="exit status $status, expected $want"
    elif [ "$(wc -c <err)" -gt 20000 ]; then
        why="more than 20000 bytes on stderr"
    else
        for text in "$@"; do
            if ! grep -q -F -e "$text" err; then
                why="stderr lacks: $text"
                break
            fi
        done
    fi
    [ -n "$why" ] || same_with_threads
    args=
    if [ -z "$why" ]; then
        pass=$((pass + 1))
        if [ -n "$ACTUALS_VERBOSE" ]; then
            echo "ok: $name (exit $status)"
            head -n 6 err | cut -c 1-160 | sed 's/^/    /'
        fi
        return
    fi
    fail=$((fail + 1))
    echo "FAIL: $name: $why"
    head -c 3000 err | head -n 16 | cut -c 1-200 | sed 's/^/    /'
    sed 's/^/    diff: /' why.txt
}

# ---- well-formed files ------------------------------------------------------

plan ok
printf 'date,region,rep,revenue,collected,rate\n2027-02-01,华北,张三,100.50,90,95%%\n2027-03-01,east,sun,200,180,0.9\n' >data/a.csv
expect ok 0
grep -q -x 'ok.plan: ok' out || { fail=$((fail + 1)); echo "FAIL: ok: no 'ok.plan: ok' on stdout"; }

plan crlf
printf 'date,rep,revenue\r\n2027-02-01,zhang,1\r\n' >data/a.csv
expect crlf 0

plan mapped '{ rep = 销售  revenue = "金额"  date = 日期 }'
printf '日期,销售,金额,other\n2027-02-01,zhang,1,x\n' >data/a.csv
expect mapped 0

plan outside
printf 'date,rep,revenue\n2027-01-31,zhang,1\n2027-02-01,zhang,1\n2028-02-01,zhang,1\n' >data/a.csv
expect outside 0 'data/a.csv:2:1: warning: 2 rows outside FY2027 (2027-02 .. 2028-01) skipped'

# ---- malformed rows ----------------------------------------------------------

plan columns
printf 'date,rep,revenue\n2027-02-01,zhang,1\n2027-02-01,zhang,1,2\n2027-02-01,zhang\n' >data/a.csv
expect columns 2 'data/a.csv:3:20: error: row has 4 fields but the header has 3' \
    'data/a.csv:4:1: error: row has 2 fields but the header has 3'

plan numbers
printf 'date,rep,revenue\n2027-02-01,zhang,"12,3"\n2027-02-01,zhang,1e5\n2027-02-01,zhang,abc\n2027-02-01,zhang,0.1234567890123\n2027-02-01,zhang,1000000000000000000000000000\n2027-02-01,zhang,95%%\n' >data/a.csv
expect numbers 2 "data/a.csv:2:18: error: bad number '12,3' in column 'revenue'" \
    "data/a.csv:3:18: error: bad number '1e5' in column 'revenue'" \
    "data/a.csv:4:18: error: bad number 'abc' in column 'revenue'" \
    "data/a.csv:5:18: error: number '0.1234567890123' in column 'revenue' has more than 12 decimals" \
    "data/a.csv:6:18: error: number '1000000000000000000000000000' in column 'revenue' is too large" \
    "data/a.csv:7:18: error: bad number '95%' in column 'revenue'" \
    'note: values are plain decimals'

plan dates
printf 'date,rep,revenue\n2027-02-30,zhang,1\n27-02-01,zhang,1\n' >data/a.csv
expect dates 2 "data/a.csv:2:1: error: bad date '2027-02-30' in column 'date' (expected YYYY-MM-DD)" \
    "data/a.csv:3:1: error: bad date '27-02-01'"

plan months
printf 'month,rep,revenue\n13,zhang,1\n2027-13,zhang,1\n' >data/a.csv
expect months 2 "data/a.csv:2:1: error: bad month '13' in column 'month' (expected YYYY-MM or a month number 1-12)" \
    "data/a.csv:3:1: error: bad month '2027-13'"

plan unknown
printf 'date,rep,revenue\n2027-02-01,zhang,1\n2027-02-01,zhangg,1\n' >data/a.csv
expect unknown 2 "data/a.csv:3:12: error: unknown rep 'zhangg'" "note: did you mean 'zhang'?" \
    '  3 | 2027-02-01,zhangg,1' '    |            ^~~~~~'

plan contradiction
printf 'date,region,rep,revenue\n2027-02-01,east,zhang,1\n2027-02-01,华东,sun,1\n' >data/a.csv
expect contradiction 2 "data/a.csv:2:12: error: rep 'zhang' is under region 'north', not 'east'"

plan overflow
printf 'date,rep,revenue\n2027-02-01,zhang,100000000000000000000000000\n2027-02-01,zhang,100000000000000000000000000\n' >data/a.csv
expect overflow 2 "data/a.csv:3:18: error: the values of 'revenue' add up to more than the largest number"

plan many
{ printf 'date,rep,revenue\n'; i=0; while [ $i -lt 100 ]; do printf '2027-02-01,zhang,x%d\n' $i; i=$((i + 1)); done; } >data/a.csv
expect many 2 "data/a.csv:21:18: error: bad number 'x19'" 'note: stopped reading data/a.csv after 20 errors'
if [ "$(grep -c ': error: ' err)" -ne 20 ]; then
    fail=$((fail + 1))
    echo "FAIL: many: $(grep -c ': error: ' err) errors shown, expected 20"
fi

# ---- malformed files -----------------------------------------------------------

plan utf8
printf 'date,rep,revenue\n2027-02-01,zh\377ang,1\n' >data/a.csv
expect utf8 2 'data/a.csv:2:14: error: invalid UTF-8 byte 0xff'

plan nul
printf 'date,rep,revenue\n2027-02-01,zh\000ang,1\n' >data/a.csv
expect nul 2 'data/a.csv:2:14: error: NUL byte in input'

plan quote
printf 'date,rep,revenue\n2027-02-01,zhang,1\n2027-02-01,"zhang,1\n2027-02-01,li,1\n' >data/a.csv
expect quote 2 'data/a.csv:3:12: error: unterminated quoted field starting at line 3'

plan huge
{ printf 'date,rep,revenue\n2027-02-01,zhang,'; head -c 100000000 /dev/zero | tr '\000' 7; printf '\n'; } >data/a.csv
expect huge 2 'data/a.csv:2:18: error: field longer than 1048576 bytes'
rm -f data/a.csv

plan huge_quoted
{ printf 'date,rep,revenue\n2027-02-01,"'; head -c 100000000 /dev/zero | tr '\000' z; printf '",1\n'; } >data/a.csv
expect huge_quoted 2 'data/a.csv:2:12: error: quoted field longer than 1048576 bytes'
rm -f data/a.csv

plan empty
: >data/a.csv
expect empty 2 'data/a.csv:1:1: error: empty file: a header row is expected'

plan no_time
printf 'rep,revenue\n' >data/a.csv
expect no_time 2 "data/a.csv:1:1: error: no 'date' or 'month' column" \
    "note: the header has: 'rep', 'revenue'"

plan derived
printf 'date,rep,revenue,collection_rate\n' >data/a.csv
expect derived 2 'data/a.csv:1:18: error: collection_rate is derived (= collected / revenue): give its components'

plan no_metric
printf 'date,rep,amount\n' >data/a.csv
expect no_metric 2 'data/a.csv:1:1: error: data/a.csv has no column for any metric; metrics are revenue, collected, rate'

plan missing_file
rm -f data/a.csv
expect missing_file 2 "cannot open 'data/a.csv'"

# ---- several ranges of one file ----------------------------------------------------
# 3000 rows of every kind (plain, quoted with line ends and "", CRLF, blank lines, labels,
# rows outside the year, unknown members, contradictions, bad numbers), so that the cuts
# of 2..4 ranges fall among them all; expect() compares each run with the one-thread run.

# mixed KIND: the rows; KIND good (no errors), lenient (only rows --lenient skips) or bad.
mixed() {
    awk -v kind="$1" 'BEGIN {
        printf "\357\273\277date,region,rep,revenue,collected,rate,note\r\n"
        for (i = 0; i < 3000; i++) {
            d = sprintf("2027-%02d-%02d", 2 + i % 11, 1 + i % 28)
            k = i % 10
            if (k == 0) printf "%s,north,zhang,%d.25,%d,95%%,\"a \"\"quoted\"\"\nnote\"\r\n", d, i, i
            else if (k == 1) printf "%s,华北,\"li\",\"-%d.5\",,0.5,\n", d, i
            else if (k == 2) printf "\n"
            else if (k == 3) printf "2026-01-%02d,east,sun,%d,1,1,x\n", 1 + i % 28, i
            else if (k == 4) printf "%s,,zhou,%d,,,\"\n\n\"\n", d, i
            else if (k == 5 && kind != "good" && i % 7 == 0) printf "%s,east,zhang,%d,1,1,x\n", d, i
            else if (k == 6 && kind != "good" && i % 9 == 0) printf "%s,north,zhangg,%d,1,1,x\n", d, i
            else if (k == 7 && kind == "bad" && i % 11 == 0) printf "%s,north,zhao,%dx,1,1,x\n", d, i
            else printf "%s,north,zhao,%d,1,1,x\n", d, i
        }
    }'
}

plan threads_good
mixed good >data/a.csv
args="run threads_good.plan --actuals data/a.csv --show revenue"
expect threads_good 0 'data/a.csv:6:1: warning: 300 rows outside FY2027 (2027-02 .. 2028-01) skipped'

plan threads_lenient
mixed lenient >data/a.csv
args="run threads_lenient.plan --actuals data/a.csv --lenient --show revenue"
expect threads_lenient 0 'data/a.csv:49:12: warning: --lenient: 76 rows skipped' \
    "(first at data/a.csv:49: rep 'zhang' is under region 'north', not 'east')"

plan threads_bad
mixed bad >data/a.csv
expect threads_bad 2 "data/a.csv:49:12: error: rep 'zhang' is under region 'north', not 'east'" \
    'note: stopped reading data/a.csv after 20 errors'

# spoil: the first row naming zhao from physical line $1 on gets $2 before zhao
spoil() {
    awk -v from="$1" -v what="$2" '!done && NR >= from && /,zhao,/ { sub(/,zhao,/, "," what "zhao,"); done = 1 } { print }'
}

plan threads_utf8
mixed good | spoil 2500 "$(printf '\377')" >data/a.csv
expect threads_utf8 2 'data/a.csv:2506:18: error: invalid UTF-8 byte 0xff'

plan threads_quote
mixed good | spoil 1200 '"' >data/a.csv
expect threads_quote 2 "data/a.csv:1211:40: error: text after closing quote (expected ',' or end of line)"

# ---- --lenient, --actuals ----------------------------------------------------------

plan lenient
printf 'date,region,rep,revenue\n2027-02-01,north,zhang,1\n2027-02-01,north,xx,1\n2027-02-01,east,zhang,1\n2027-02-01,east,sun,1\n' >data/a.csv
# (run reads actuals for the shows that need them, and always with --actuals)
args="run lenient.plan --actuals data/a.csv --lenient --show revenue"
expect lenient 0 "data/a.csv:3:18: warning: --lenient: 2 rows skipped (first at data/a.csv:3: unknown rep 'xx')"
args="run lenient.plan --actuals data/a.csv --show revenue"
expect not_lenient 2 "data/a.csv:3:18: error: unknown rep 'xx'" \
    "data/a.csv:4:12: error: rep 'zhang' is under region 'north', not 'east'"

plan cli
printf 'date,rep,revenue\n2027-02-01,zhangg,1\n' >data/a.csv
printf 'date,rep,revenue\n2027-02-01,zhang,1\n2027-02-01,lii,1\n' >cli.csv
args="run cli.plan --actuals cli.csv --show revenue"
expect cli 2 "cli.csv:3:12: error: unknown rep 'lii'"
if grep -q 'data/a.csv' err; then
    fail=$((fail + 1))
    echo "FAIL: cli: the plan's actuals were read although --actuals replaces them"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
