#!/bin/sh
# run.sh -- evaluation limits (SPEC §17, issue 12): plans that nest too deep
# or take exponential work end in a clear error naming a plan line, never in
# a crash of the C stack or a hang; what can be cached is, so the same
# shapes of moderate size evaluate at once.
#
# usage: sh tests/limits/run.sh BIN          (make check-limits)
# Then pty_interrupt.py checks that Ctrl-C interrupts an evaluation in the
# REPL and keeps the session (skipped without python3 or a pty).
#        LIMITS_QUICK=1 sh tests/limits/run.sh BIN   skip the case that runs
#                        the default budget out (seconds; minutes under ASan)
#
# The plans are generated at test time (nothing big is committed), each
# run from a temporary directory with a time limit ($LIMITS_TIMEOUT seconds,
# default 60; the REPL's long entries $LIMITS_LONG_TIMEOUT, default 10; the
# table of equal rows $LIMITS_EQUAL_TIMEOUT, default 30).  A case names the command, the exit status it expects and a
# text its stderr (or stdout) must hold; no case may print a sanitizer
# finding or "Segmentation".
# The last line is "N passed, M failed"; the exit status is 1 if any failed.

LC_ALL=C
export LC_ALL
NO_COLOR=1
export NO_COLOR

if [ $# -ne 1 ]; then
    echo "usage: sh tests/limits/run.sh BIN" >&2
    exit 2
fi
bin=$1
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
[ -x "$bin" ] || { echo "limits/run.sh: '$1' is not an executable" >&2; exit 2; }
limit=${LIMITS_TIMEOUT:-60}
command -v timeout >/dev/null 2>&1 || { echo "limits/run.sh: needs timeout(1)" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/limits.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT PIPE TERM
cd "$tmp" || exit 2

header='plan "limits" { year = 2027 }'

# ---- generators (deterministic) ---------------------------------------------

# lets N: a chain of N lets, each the one before plus 1, from a metric's target
lets() {
    awk -v n="$1" -v h="$header" 'BEGIN {
        print h; print "metric y money"; print "target y = 5"; print "let l0 = y"
        for (i = 1; i < n; i++) printf "let l%d = l%d + 1\n", i, i - 1
        print "metric x money"; printf "target x = l%d\n", n - 1
        print "split x by quarter equally" }'
}

# metrics N: N derived metrics, each the one before plus the first
metrics() {
    awk -v n="$1" -v h="$header" 'BEGIN {
        print h; print "metric m0 money"; print "target m0 = 1"; print "split m0 by quarter equally"
        for (i = 1; i < n; i++) printf "metric m%d = m%d + m0\n", i, i - 1
        printf "report \"r\" { show m%d by quarter }\n", n - 1 }'
}

# ratios N OP: N derived ratios, each the one before OP the first (or itself: OP self)
ratios() {
    awk -v n="$1" -v self="$2" -v h="$header" 'BEGIN {
        print h; print "metric m0 money"; print "target m0 = 100"; print "split m0 by quarter equally"
        for (i = 1; i < n; i++)
            printf "metric m%d = m%d / %s\n", i, i - 1, self == "self" ? "m" (i - 1) : "m0"
        printf "report \"r\" { show m%d by quarter }\n", n - 1 }'
}

# likes N: N metrics, each split like the one before
likes() {
    awk -v n="$1" -v h="$header" 'BEGIN {
        print h; print "dimension r { a, b }"
        print "metric m0 money"; print "target m0 = 1"; print "split m0 by r weights { a: 1, b: 3 }"
        for (i = 1; i < n; i++) printf "metric m%d money\ntarget m%d = 1\nsplit m%d by r like m%d\n", i, i, i, i - 1
        printf "report \"r\" { show m%d by r }\n", n - 1 }'
}

# cells N: N metrics, each split by weights read from a cell of the one before
cells() {
    awk -v n="$1" -v h="$header" 'BEGIN {
        print h; print "dimension r { a, b }"
        print "metric m0 money"; print "target m0 = 1"; print "split m0 by r equally"
        for (i = 1; i < n; i++)
            printf "metric m%d money\ntarget m%d = 1\nsplit m%d by r weights { a: m%d[a], b: 1 }\n", i, i, i, i - 1
        printf "report \"r\" { show m%d by r }\n", n - 1 }'
}

# doubling N KIND: N levels that each use the level below twice
doubling() {
    awk -v n="$1" -v kind="$2" -v h="$header" 'BEGIN {
        print h
        if (kind == "fn") {
            print "fn f0(x) = x + 1"
            for (i = 1; i < n; i++) printf "fn f%d(x) = f%d(x) + f%d(x)\n", i, i - 1, i - 1
            printf "metric m money\ntarget m = f%d(1)\nsplit m by quarter equally\n", n - 1
            exit
        }
        print "metric m0 money"; print "target m0 = 1"; print "split m0 by quarter equally"
        for (i = 1; i < n; i++) printf "metric m%d = m%d + m%d\n", i, i - 1, i - 1
        printf "metric q0 = m0 / m0\n"
        for (i = 1; i < n; i++) printf "metric q%d = q%d * q%d\n", i, i - 1, i - 1
        printf "report \"r\" { show m%d by quarter  show q%d by quarter }\n", n - 1, n - 1 }'
}

# ---- the cases --------------------------------------------------------------

pass=0
fail=0

# case NAME STATUS TEXT CMD...: runs CMD, expects exit STATUS and TEXT in its output
case_() {
    name=$1 want=$2 text=$3
    shift 3
    timeout "$limit" "$@" >"$name.out" 2>"$name.err"
    got=$?
    why=
    if [ "$got" -eq 124 ]; then
        why="timed out after $limit s"
    elif [ "$got" -ne "$want" ]; then
        why="exit status $got, expected $want"
    elif ! grep -q -e "$text" "$name.out" "$name.err"; then
        why="no '$text' in its output"
    elif grep -q -e 'Sanitizer' -e 'runtime error:' -e 'Segmentation' "$name.err"; then
        why="sanitizer finding or crash"
    fi
    if [ -z "$why" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $name: $why"
        head -c 2000 "$name.err" | sed 's/^/    /'
    fi
}

too_deep='evaluation nested too deep'

lets 5000 >lets5000.plan
case_ lets5000_run 1 "$too_deep" "$bin" run lets5000.plan
case_ lets5000_check 1 "$too_deep" "$bin" check lets5000.plan
lets 20000 >lets20000.plan
case_ lets20000_run 1 "lets20000.plan:20005:12: error: $too_deep" "$bin" run lets20000.plan
lets 1000 >lets1000.plan
case_ lets1000_run 0 '1,004.00' "$bin" run lets1000.plan --show "x by year"

metrics 10000 >metrics10000.plan
case_ metrics10000_run 1 "$too_deep" "$bin" run metrics10000.plan
case_ metrics10000_check 1 "$too_deep" "$bin" check metrics10000.plan
metrics 300 >metrics300.plan
case_ metrics300_run 0 '300.00' "$bin" run metrics300.plan

ratios 10000 m0 >ratios10000.plan
case_ ratios10000_run 1 "$too_deep" "$bin" run ratios10000.plan
likes 10000 >likes10000.plan
case_ likes10000_run 1 "$too_deep" "$bin" run likes10000.plan
cells 10000 >cells10000.plan
case_ cells10000_run 1 "$too_deep" "$bin" run cells10000.plan
likes 100 >likes100.plan
case_ likes100_run 0 '0.75' "$bin" run likes100.plan

# the same under --max-steps: the nesting is found first
case_ lets5000_steps 1 "$too_deep" "$bin" run lets5000.plan --max-steps 100000000

# work that doubles at every level: cached where it is pure, else the budget
doubling 60 fn >fn60.plan
case_ fn60_steps 2 'fn60.plan:63:12: error: evaluation needs more than 100000 steps (--max-steps)' \
    "$bin" run fn60.plan --max-steps 100000
case_ fn60_check 2 'evaluation needs more than 100000 steps' "$bin" check fn60.plan --max-steps 100000
cp fn60.plan fn60b.plan
case_ fn60_diff 2 'evaluation needs more than 100000 steps' \
    "$bin" diff fn60.plan fn60b.plan --max-steps 100000
doubling 60 metric >metric60.plan
case_ metric60_run 0 '100.00%' "$bin" run metric60.plan --max-steps 100000
ratios 60 self >ratio60.plan
case_ ratio60_run 0 '100.00%' "$bin" run ratio60.plan --max-steps 100000
# 2,000 x 2,000 x 100 equal shares: 400 million allocation cells, too many to
# make; tables of two of the dimensions come from each axis's shares without
# them, a table is refused past --max-cells like an allocation, and a cell of
# all three dimensions (which needs every allocation cell) says so
awk -v h="$header" 'BEGIN {
    print h
    printf "dimension a {"; for (i = 0; i < 2000; i++) printf " a%d", i; print " }"
    printf "dimension b {"; for (i = 0; i < 2000; i++) printf " b%d", i; print " }"
    printf "dimension c {"; for (i = 0; i < 100; i++) printf " c%d", i; print " }"
    print "metric m money"; print "target m = 1000000"
    print "split m by a equally"; print "split m by b equally"; print "split m by c equally" }' >factors.plan
case_ factors_table 0 '^total,10000.00,10000.00' "$bin" run factors.plan --show "m by a, c" --format csv
case_ factors_table_max 1 'a table of m would have more than 1000000 cells (--max-cells)' \
    "$bin" run factors.plan --show "m by a, b" --max-cells 1000000
# a rounding counts steps in 32 bits: --max-cells stops below that
case_ max_cells_most 2 'max-cells is at most 1073741823' \
    "$bin" run factors.plan --show "m by a, c" --max-cells 1073741824
cp factors.plan factors_cell.plan
echo 'assert m[a1, b2, c3] > 0' >>factors_cell.plan
case_ factors_cell 1 'factors_cell.plan:5:8: error: m would have more than 50000000 cells (--max-cells)' \
    "$bin" run factors_cell.plan --show "m by c"
if [ -z "$LIMITS_QUICK" ]; then
    case_ fn60_default 2 'evaluation needs more than 10' "$bin" run fn60.plan
fi

# a table of equal rows (every rep's share the same) is rounded in linear time:
# its greedy pass leaves thousands of rows short, and the repair searched
# every column's cells for each of them (70,000 reps x 20 products: 31 s)
awk 'BEGIN { print "rep"; for (i = 0; i < 200000; i++) printf "rep%06d\n", i }' >equal_reps.csv
{
    printf '%s\ndimension org levels rep from "equal_reps.csv"\n' "$header"
    printf 'dimension product {'
    for p in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20; do printf ' p%s' $p; done
    printf ' }\nmetric revenue money\ntarget revenue = 98765432.10\nsplit revenue by rep equally\n'
    printf 'split revenue by product weights { p01: 3, p02: 7, p03: 1, p04: 9, p05: 2, p06: 8, p07: 4, p08: 6, p09: 5, p10: 1,\n'
    printf '    p11: 3, p12: 7, p13: 1, p14: 9, p15: 2, p16: 8, p17: 4, p18: 6, p19: 5, p20: 1 }\n'
} >equal.plan
limit_saved=$limit
limit=${LIMITS_EQUAL_TIMEOUT:-30} # 1 s here, 3 s with ASan; the quadratic repair: minutes
case_ equal_rows_table 0 '^total,3220611.92,.*,98765432.10$' "$bin" run equal.plan --show "revenue by rep, product" --format csv
limit=$limit_saved

# a REPL entry with a bracket open for 100,000 lines is read in linear time
# (it was quadratic: 40,000 lines took 3 s, 100,000 lines 28 s)
awk 'BEGIN { print "max(1,"; for (i = 0; i < 100000; i++) print "1,"; print "1)"; print "1 + 1" }' >long.in
awk 'BEGIN { print "split m by quarter {"; for (i = 0; i < 100000; i++) print "Q1: 1" }' >open.in
printf '%s\nmetric m money\ntarget m = 10\nsplit m by quarter equally\n' "$header" >long.plan
limit_saved=$limit
limit=${LIMITS_LONG_TIMEOUT:-10}
case_ repl_long_entry 0 '^2$' sh -c "'$bin' repl long.plan <long.in"
case_ repl_open_entry 1 "'}' expected (to close 'split' at line 1)" sh -c "'$bin' repl long.plan <open.in"
limit=$limit_saved

# Ctrl-C in the REPL interrupts an evaluation and keeps the session (a real pty)
if command -v python3 >/dev/null 2>&1; then
    if python3 "$here/pty_interrupt.py" "$bin" >pty.out 2>&1; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL pty_interrupt.py"
        sed 's/^/    /' pty.out | head -40
    fi
else
    echo "skip pty_interrupt.py: no python3"
fi

echo "limits: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
