#!/bin/sh
# run.sh -- workload W1 of the peer benchmark ("quarterly scorecard and commission",
# bench/README.md) as a test: salesplan must give, byte for byte, the CSV of the C
# reference implementation.
#
# usage: sh tests/w1/run.sh BIN               (make check-w1)
#   env: W1_SIZES="edge S M"   data sets to run (default all three; L is left to bench/w1.sh)
#        W1_TIMEOUT=S          limit per salesplan run, in seconds (default 120)
#        W1_KEEP=1             keep the temporary directory (its path is printed)
#        BUILD=DIR             where the C programs are built (default build)
#        CC                    their compiler (default cc; they need __int128: gcc or clang)
#
# Builds bench/w1/gen_w1.c and bench/w1/w1_ref.c (vendored from the shared bench) into
# BUILD/w1/, then for each data set, in a temporary directory under $TMPDIR (removed
# afterwards; nothing generated is committed):
#   edge  tests/w1/edge/*.csv: 8 reps, hand-made to sit on every boundary W1 defines --
#         A = T exactly (green), 10A = 9T (amber), 5TA = 4TT (team kicker), attainment
#         ties at 4 decimals (0.00005, 0.00625, 0.12345), -0.000005 printed 0.0000 and
#         not -0.0000, 1.0000 that is amber and 0.9000 that is red (thresholds compare
#         exact values), half-cent commission and kicker, payout rounded from the exact
#         commission + kicker (88.63, not 80.58 + 8.06), negative quarters, a rep without
#         sales, sales on the first and last day of every month, teams across regions.
#         The reference must also reproduce tests/w1/edge/expected.csv.
#   S     1,000 reps, 100,000 sales lines (seed 20270101, as the shared bench)
#   M     10,000 reps, 1,000,000 sales lines
# copies bench/w1.plan next to the data, runs the reference and
#   BIN run DIR/w1.plan --show "incentive w1" --format csv | sh bench/w1_to_csv.sh
# and compares the two with cmp; on a difference it prints the first differing lines.
# For S and M, salesplan's own CSV must also be the same, byte for byte, with the
# actuals read by 1, 2 and 4 threads (SALESPLAN_THREADS; the default is 1 below 16 MiB).
# The last line is "N passed, M failed"; the exit status is 1 if any failed.

LC_ALL=C
export LC_ALL
NO_COLOR=1
export NO_COLOR

if [ $# -ne 1 ]; then
    echo "usage: sh tests/w1/run.sh BIN" >&2
    exit 2
fi
bin=$1
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
[ -x "$bin" ] || { echo "tests/w1/run.sh: '$bin' is not an executable" >&2; exit 2; }
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
case $build in
/*) ;;
*) build=$top/$build ;;
esac
cc=${CC:-cc}
seed=20270101
sizes=${W1_SIZES:-edge S M}
limit=${W1_TIMEOUT:-120}
tlimit=
command -v timeout >/dev/null 2>&1 && tlimit="timeout $limit"

# ---- the C programs ----
mkdir -p "$build/w1" || exit 2
for prog in gen_w1 w1_ref; do
    src=$top/bench/w1/$prog.c out=$build/w1/$prog
    if [ ! -x "$out" ] || [ "$src" -nt "$out" ]; then
        $cc -O2 -Wall -Wextra -o "$out" "$src" || { echo "tests/w1/run.sh: cannot build $out" >&2; exit 2; }
    fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/salesplan-w1.XXXXXX") || exit 2
if [ -n "$W1_KEEP" ]; then
    trap 'echo "kept $tmp"' EXIT
else
    trap 'rm -rf "$tmp"' EXIT
fi
trap 'exit 1' HUP INT PIPE TERM

now() { date +%s%N 2>/dev/null | sed 's/N$/000000000/'; }
ms() { echo $((($(now) - $1) / 1000000)); }

# first_diffs EXPECTED GOT: the first differing lines, with their numbers
first_diffs() {
    awk -v ref="$1" '
        { if ((getline r < ref) <= 0) r = "(nothing: the reference ends before)"
          if (r != $0) { print "    line " NR ": reference " r; print "    line " NR ": salesplan " $0; if (++n == 5) exit } }
        END { if (n < 5 && (getline r < ref) > 0) print "    line " NR + 1 ": reference " r " (salesplan ends before)" }
    ' "$2"
    echo "    lines: reference $(wc -l <"$1"), salesplan $(wc -l <"$2"); $(cmp "$1" "$2" 2>&1 | head -1)"
}

passed=0 failed=0
fail() {
    failed=$((failed + 1))
    echo "FAIL w1 $1: $2"
}

for size in $sizes; do
    d=$tmp/$size
    mkdir -p "$d"
    t0=$(now)
    case $size in
    edge) cp "$top/tests/w1/edge/reps.csv" "$top/tests/w1/edge/targets.csv" \
              "$top/tests/w1/edge/actuals.csv" "$d/" ;;
    S) "$build/w1/gen_w1" 1000 100000 $seed "$d" ;;
    M) "$build/w1/gen_w1" 10000 1000000 $seed "$d" ;;
    L) "$build/w1/gen_w1" 10000 10000000 $seed "$d" ;;
    *) echo "tests/w1/run.sh: unknown data set '$size' (edge, S, M or L)" >&2; exit 2 ;;
    esac || { fail "$size" "cannot generate the data"; continue; }
    cp "$top/bench/w1.plan" "$d/w1.plan"
    tgen=$(ms "$t0")

    t0=$(now)
    "$build/w1/w1_ref" "$d" "$tmp/$size.ref.csv" || { fail "$size" "the C reference failed"; continue; }
    tref=$(ms "$t0")
    if [ "$size" = edge ] && ! cmp -s "$top/tests/w1/edge/expected.csv" "$tmp/$size.ref.csv"; then
        fail "$size" "the C reference does not reproduce tests/w1/edge/expected.csv"
        first_diffs "$top/tests/w1/edge/expected.csv" "$tmp/$size.ref.csv"
        continue
    fi

    t0=$(now)
    $tlimit "$bin" run "$d/w1.plan" --show "incentive w1" --format csv \
        >"$tmp/$size.engine.csv" 2>"$tmp/$size.err"
    rc=$?
    trun=$(ms "$t0")
    if [ $rc -ne 0 ]; then
        what="exit status $rc"
        [ $rc -eq 124 ] && [ -n "$tlimit" ] && what="no answer within $limit s (W1_TIMEOUT)"
        fail "$size" "salesplan run: $what; stderr begins:"
        head -n 12 "$tmp/$size.err" | sed 's/^/    /'
        continue
    fi
    t0=$(now)
    if ! sh "$top/bench/w1_to_csv.sh" "$tmp/$size.engine.csv" >"$tmp/$size.out.csv" 2>"$tmp/$size.conv.err"; then
        fail "$size" "bench/w1_to_csv.sh rejected salesplan's output: $(cat "$tmp/$size.conv.err")"
        head -n 3 "$tmp/$size.engine.csv" | sed 's/^/    stdout: /'
        head -n 6 "$tmp/$size.err" | sed 's/^/    stderr: /'
        continue
    fi
    tconv=$(ms "$t0")
    threads_ok=true also=
    case $size in
    S|M)
        also='; the same CSV with 1, 2 and 4 threads'
        for threads in 1 2 4; do
            SALESPLAN_THREADS=$threads $tlimit "$bin" run "$d/w1.plan" --show "incentive w1" \
                --format csv >"$tmp/$size.t$threads.csv" 2>"$tmp/$size.t$threads.err"
            rc=$?
            if [ $rc -ne 0 ] || ! cmp -s "$tmp/$size.engine.csv" "$tmp/$size.t$threads.csv" ||
               ! cmp -s "$tmp/$size.err" "$tmp/$size.t$threads.err"; then
                fail "$size" "salesplan with SALESPLAN_THREADS=$threads (exit status $rc) differs from its default run"
                cmp "$tmp/$size.engine.csv" "$tmp/$size.t$threads.csv" 2>&1 | head -n 1 | sed 's/^/    /'
                threads_ok=false
                break
            fi
        done ;;
    esac
    $threads_ok || continue
    if cmp -s "$tmp/$size.ref.csv" "$tmp/$size.out.csv"; then
        passed=$((passed + 1))
        echo "ok   w1 $size: $(($(wc -l <"$tmp/$size.out.csv") - 1)) rows identical to the C reference" \
             "(data ${tgen} ms, reference ${tref} ms, salesplan run ${trun} ms, w1_to_csv ${tconv} ms$also)"
    else
        fail "$size" "salesplan's CSV differs from the C reference's"
        first_diffs "$tmp/$size.ref.csv" "$tmp/$size.out.csv"
    fi
done

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
