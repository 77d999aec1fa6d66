#!/bin/bash
# w2.sh - workload W2 of the shared peer benchmark (allocation: a yearly target down to
# rep x month x product, rounded to the cent; shared/bench/W2.md) with salesplan against the
# shared DuckDB peer, in one run: check, then time.
#
# usage: bench/w2.sh [REPS]                    (make bench-w2 REPS=100000; default 100000)
#   env: SHARED_BENCH=DIR   the shared bench (default: ../shared/bench beside the repository)
#        SALESPLAN=BIN      the binary to measure (default: ./salesplan of this repository)
#        PEERS="..."        which DuckDB runs, MODE:THREADS (default "table:1 table:default");
#                           MODE is the peer's cells, table or table2d, THREADS 1 or default
#        RUNS=N             counted runs of each pair (default 5), after one warm-up
#        BENCH_DATA, BENCH_NODE_DIR: as the shared bench (common.sh)
#
# The data is bench/alloc/gen.sh's (REPS reps x 12 months x 20 products) in
# $BENCH_DATA/w2/REPS.  salesplan runs
#   salesplan run DIR/alloc.plan --show "revenue by rep, product" --format csv -o OUT
# Phase 1 runs salesplan and every peer once and compares each peer's CSV with salesplan's
# (the shared w2_compare.py: rep totals, column totals, grand total, cells; the peers round
# differently, so cells may differ by a cent, but rep totals and the grand total must agree).
# Phase 2 times each peer paired with salesplan, run by run (A B A B ...), with the shared
# ptime.py (wall, CPU, peak RSS from wait4) and prints a markdown table: median wall,
# min-max, median CPU and peak RSS, and the median of the paired ratios peer / salesplan
# (above 1: salesplan is faster).  Exit status 1 when a rep total or the grand total differs.
set -euo pipefail
REPS=${1:-100000}
TOP=$(cd "$(dirname "$0")/.." && pwd)
SB=${SHARED_BENCH:-$TOP/../shared/bench}
for f in common.sh ptime.py peers/w2_alloc_duckdb.js peers/w2_compare.py; do
    [ -f "$SB/$f" ] || { echo "bench/w2.sh: no shared bench at $SB (no $f): set SHARED_BENCH=DIR" >&2
                         exit 2; }
done
SP=${SALESPLAN:-$TOP/salesplan}
case $SP in /*) ;; *) SP=$(pwd)/$SP ;; esac
[ -x "$SP" ] || { echo "bench/w2.sh: $SP is not built (make)" >&2; exit 2; }
. "$SB/common.sh"          # BENCH_DATA BENCH_NODE_DIR
NODE_MODULES=$BENCH_NODE_DIR/node_modules
command -v node >/dev/null && [ -d "$NODE_MODULES/@duckdb/node-api" ] ||
    { echo "bench/w2.sh: needs node and @duckdb/node-api in $NODE_MODULES ($SB/setup.sh)" >&2; exit 2; }
PEERS=${PEERS:-table:1 table:default}
RUNS=${RUNS:-5}
PY=/usr/bin/python3
D=$BENCH_DATA/w2/$REPS
OUTD=$BENCH_DATA/out/w2.$REPS
mkdir -p "$D" "$OUTD"
[ -s "$D/alloc.plan" ] || sh "$TOP/bench/alloc/gen.sh" "$REPS" "$D" >/dev/null
SHOW="revenue by rep, product"
sp_cmd() { echo "$SP run $D/alloc.plan --show '$SHOW' --format csv -o $1"; }
peer_cmd() { # MODE:THREADS OUT
    echo "env NODE_PATH=$NODE_MODULES node $SB/peers/w2_alloc_duckdb.js $D $2 ${1#*:} ${1%%:*}"
}

echo "machine: $(nproc) cores, $(uname -sr); salesplan: $SP"
echo "data: $REPS reps x 12 months x 20 products = $((REPS * 240)) cells ($D)"
echo
echo "== phase 1: every output compared with salesplan's"
eval "$(sp_cmd "$OUTD/salesplan.csv")"
bad=0
for p in $PEERS; do
    out=$OUTD/duckdb_${p/:/_}.csv
    eval "$(peer_cmd "$p" "$out")"
    report=$("$PY" "$SB/peers/w2_compare.py" "$out" "$OUTD/salesplan.csv")
    echo "duckdb $p vs salesplan: $report" | sed '2,$s/^/    /'
    echo "$report" | grep -q 'rep totals differing: 0;' || bad=1
    echo "$report" | grep -Eq 'grand total A ([0-9]+) B \1 cents' || bad=1
done
echo
echo "== phase 2: paired runs (peer, salesplan, peer, ...), $RUNS counted after one warm-up"
row() { # LABEL PTIME_OUTPUT: the median and min-max of wall, the medians of cpu and peak
    awk -v l="$1" '$1 == "A" && $2 == "wall" { w = $5; lo = $4; hi = $6 }
        $1 == "A" && $2 == "cpu" { c = $5 } $1 == "A" && $2 == "peak" { m = $5 }
        $1 == "A/B" && $2 == "wall" { r = $4 }
        END { printf "| %s | %.3f (%.3f-%.3f) | %.3f | %.0f | %.2f |\n", l, w, lo, hi, c, m, r }'
}
echo "| peer | wall s median (min-max) | cpu s | peak MiB | wall ÷ salesplan's |"
echo "|---|---|---|---|---|"
for p in $PEERS; do
    t=$("$PY" "$SB/ptime.py" -n "$RUNS" --warmup 1 --vs "$(sp_cmd /dev/null)" -- \
        $(peer_cmd "$p" /dev/null) 2>&1)
    echo "$t" | row "duckdb $p"
    echo "$t" | awk '$1 == "B" && $2 == "wall" { w = $5; lo = $4; hi = $6 }
        $1 == "B" && $2 == "cpu" { c = $5 } $1 == "B" && $2 == "peak" { m = $5 }
        END { printf "| salesplan (paired) | %.3f (%.3f-%.3f) | %.3f | %.0f | 1 |\n", w, lo, hi, c, m }'
done
exit $bad
