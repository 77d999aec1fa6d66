#!/bin/bash
# w1.sh - workload W1 of the shared peer benchmark ("quarterly scorecard and commission",
# shared/bench/W1.md) with salesplan as one more peer: check, then time, in one run.
#
# usage: bench/w1.sh S|M|L                     (make bench-w1 SIZE=L)
#   env: SHARED_BENCH=DIR   the shared bench (default: ../shared/bench beside the repository)
#        SALESPLAN=BIN      the binary to measure (default: ./salesplan of this repository)
#        PEERS="..."        subset/order of peers (default: all of run.sh's that are installed,
#                           plus salesplan and salesplan_run)
#        RUNS=N             counted runs per peer (default 5; 3 for L), as run.sh
#        BENCH_DATA, BENCH_NODE_DIR, BENCH_SEED: as the shared bench (common.sh)
#
# Uses the shared bench's own machinery, so every figure is comparable with its run.sh:
# gen.sh (the same data in $BENCH_DATA/SIZE), the C programs it builds, its peers' exact
# command lines (peer_cmd, read out of run.sh), check.py and ptime.py.  Two peers are added:
#   salesplan      sh -c 'salesplan run DIR/w1.plan --show "incentive w1" --format csv
#                         | sh bench/w1_to_csv.sh > OUT': the whole job, conversion included
#   salesplan_run  the salesplan run alone, its CSV discarded (what the conversion costs is
#                  the difference)
# bench/w1.plan is copied into the data directory (a plan's data paths may not leave its
# directory).  Phase 1 runs every peer once and compares its CSV byte for byte with the C
# reference's (check.py); phase 2 times every peer as a whole process with ptime.py, paired
# run by run with the C reference (A B A B ...), and prints a markdown table (also written to
# $BENCH_DATA/results/SIZE.salesplan.md).  Exit status 1 when some output differs.
set -euo pipefail
SIZE=${1:?usage: bench/w1.sh S|M|L}
TOP=$(cd "$(dirname "$0")/.." && pwd)
SB=${SHARED_BENCH:-$TOP/../shared/bench}
for f in common.sh gen.sh run.sh check.py ptime.py; do
    [ -f "$SB/$f" ] || { echo "bench/w1.sh: no shared bench at $SB (no $f): set SHARED_BENCH=DIR" >&2
                         echo "  (without it, make check-w1 still compares salesplan with the C reference)" >&2
                         exit 2; }
done
SP=${SALESPLAN:-$TOP/salesplan}
case $SP in /*) ;; *) SP=$(pwd)/$SP ;; esac
[ -x "$SP" ] || { echo "bench/w1.sh: $SP is not built (make)" >&2; exit 2; }
CONV=$TOP/bench/w1_to_csv.sh

. "$SB/common.sh"          # BENCH_HOME BENCH_DATA BENCH_NODE_DIR BENCH_SEED BIN size_params build_bins
size_params "$SIZE" >/dev/null
"$BENCH_HOME/gen.sh" "$SIZE" >/dev/null
build_bins

# the shared peers' command lines, exactly as run.sh runs them
eval "$(sed -n '/^peer_cmd() {$/,/^}$/p' "$BENCH_HOME/run.sh")"
declare -F peer_cmd >/dev/null || { echo "bench/w1.sh: found no peer_cmd() in $BENCH_HOME/run.sh" >&2; exit 2; }
eval "shared_$(declare -f peer_cmd)"

D=$BENCH_DATA/$SIZE; OUTD=$BENCH_DATA/out/$SIZE; LOGD=$BENCH_DATA/logs/$SIZE.salesplan; RESD=$BENCH_DATA/results
rm -rf "$LOGD"; mkdir -p "$OUTD" "$LOGD" "$RESD"
cp "$TOP/bench/w1.plan" "$D/w1.plan"
case $SIZE in S) RUNS=${RUNS:-5}; TIMEOUT=900 ;; M) RUNS=${RUNS:-5}; TIMEOUT=1800 ;; L) RUNS=${RUNS:-3}; TIMEOUT=3600 ;; esac
TIMER=(python3 "$BENCH_HOME/ptime.py"); TIMER_NAME="ptime.py (wait4 rusage)"
NODE_MODULES=$BENCH_NODE_DIR/node_modules
PY=/usr/bin/python3

v() { "$@" 2>/dev/null || echo '?'; }
have() {   # have PEER: whether its tools are installed
    case $1 in
        duckdb_*) command -v node >/dev/null && [ -d "$NODE_MODULES/@duckdb/node-api" ] ;;
        sqlite) command -v sqlite3 >/dev/null ;;
        pandas) $PY -c 'import pandas' 2>/dev/null ;;
        gawk|gawk_utf8) command -v gawk >/dev/null ;;
        mawk) command -v mawk >/dev/null ;;
        *) true ;;
    esac
}
DUCK_V='?'; DUCK_T='?'; SQLITE_V='?'; PANDAS_V='?'; GAWK_V='?'; MAWK_V='?'; PY_V='?'
if have duckdb_t1; then
    DUCK_V=$(v node -p "require('$NODE_MODULES/@duckdb/node-api/package.json').version")
    DUCK_T=$(NODE_PATH=$NODE_MODULES v node -e "require('@duckdb/node-api').DuckDBInstance.create(':memory:').then(i=>i.connect())
      .then(c=>c.runAndReadAll(\"select current_setting('threads') t\")).then(r=>console.log(r.getRowObjectsJson()[0].t+' threads'))")
fi
have sqlite && SQLITE_V=$(sqlite3 --version | cut -d' ' -f1)
have pandas && PANDAS_V=$(v $PY -c 'import pandas, numpy; print(pandas.__version__ + " / numpy " + numpy.__version__)')
PY_V=$(v $PY -c 'import platform; print(platform.python_version())')
have gawk && GAWK_V=$(gawk --version | head -1 | sed 's/^GNU Awk \([^,]*\),.*/\1/')
have mawk && MAWK_V=$(mawk -W version 2>&1 | head -1 | awk '{print $2}')
SP_V="$("$SP" --version 2>/dev/null | head -1 || true) ($(git -C "$TOP" describe --always --dirty 2>/dev/null || echo 'no git'))"

peer_cmd() {
    case $1 in
        salesplan)
            OUT=$OUTD/salesplan.csv
            CMD=(sh -c 'exec "$0" run "$1/w1.plan" --show "incentive w1" --format csv | sh "$2" > "$3"'
                 "$SP" "$D" "$CONV" "$OUT")
            DESC="$SP_V: run w1.plan --show \"incentive w1\" --format csv, piped into w1_to_csv.sh (mawk, sort)" ;;
        salesplan_run)
            OUT=
            CMD=("$SP" run "$D/w1.plan" --show "incentive w1" --format csv)
            DESC="the same salesplan run alone, CSV discarded (no conversion)" ;;
        *) shared_peer_cmd "$1" ;;
    esac
}

ALL="c_ref salesplan salesplan_run duckdb_t1 duckdb_tdef sqlite pandas gawk mawk gawk_utf8 wc_l cat"
PEERS=${PEERS:-$ALL}
run_peers=() missing=()
for p in $PEERS; do
    if have "$p"; then run_peers+=("$p"); else missing+=("$p"); fi
done
case " ${run_peers[*]} " in *" c_ref "*) ;; *) run_peers=(c_ref "${run_peers[@]}") ;; esac

echo "# W1 size $SIZE with salesplan: $(size_params "$SIZE" | awk '{printf "N_REPS=%s N_ROWS=%s", $1, $2}'), seed $BENCH_SEED"
echo
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')), $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(date -u +%Y-%m-%dT%H:%MZ)"
echo "input: $(du -h "$D/actuals.csv" | cut -f1) actuals.csv; $(cd "$D" && sha256sum -c SHA256SUMS >/dev/null 2>&1 && echo 'SHA256SUMS verified' || echo 'SHA256SUMS MISMATCH')"
echo "salesplan: $SP_V"
echo "timer: $TIMER_NAME, $RUNS counted runs after 1 warm-up, page cache warm"
[ ${#missing[@]} -eq 0 ] || echo "not installed, left out: ${missing[*]} (run $BENCH_HOME/setup.sh)"
echo

# ---- phase 1: correctness ----
declare -A VERDICT
others=()
peer_cmd c_ref; "${CMD[@]}" >/dev/null 2>"$LOGD/c_ref.check.err"
for p in "${run_peers[@]}"; do
    [ "$p" = c_ref ] && continue
    peer_cmd "$p"
    [ -n "$OUT" ] || continue
    rm -f "$OUT"
    if ! "${CMD[@]}" >/dev/null 2>"$LOGD/$p.check.err"; then
        echo "peer $p FAILED; stderr begins:" >&2; head -n 8 "$LOGD/$p.check.err" | sed 's/^/    /' >&2
    fi
    others+=("$OUT")
done
check_rc=0
if [ ${#others[@]} -gt 0 ]; then
    python3 "$BENCH_HOME/check.py" "$OUTD/c_ref.csv" "${others[@]}" > "$LOGD/check.txt" || check_rc=$?
fi
for p in "${run_peers[@]}"; do
    peer_cmd "$p"
    if [ "$p" = c_ref ]; then VERDICT[$p]="reference"
    elif [ -z "$OUT" ]; then VERDICT[$p]="n/a"
    elif grep -q "^OK    $OUT:" "$LOGD/check.txt"; then VERDICT[$p]="identical"
    else VERDICT[$p]="DIFFERS"; fi
done
echo "check (byte-identical to the C reference's CSV):"
sed 's/^/    /' "$LOGD/check.txt"
echo

# ---- phase 2: timing ----
field() {  # field FILE 'ROW LABEL' COLUMN(1=min,2=median,3=max)
    awk -v lab="$2" -v c="$3" 'index($0, lab) == 1 { s = substr($0, length(lab) + 1); split(s, f, " "); print f[c]; exit }' "$1"
}
REF_CMD="$BIN/w1_ref $D $OUTD/c_ref_vs.csv"
rows=()
for p in "${run_peers[@]}"; do
    peer_cmd "$p"
    log=$LOGD/$p.txt
    if [ "$p" = c_ref ]; then
        "${TIMER[@]}" -n "$RUNS" --timeout "$TIMEOUT" -- "${CMD[@]}" > "$log" 2>&1 || true
        ratio="1.00"
    else
        "${TIMER[@]}" -n "$RUNS" --timeout "$TIMEOUT" --vs "$REF_CMD" -- "${CMD[@]}" > "$log" 2>&1 || true
        ratio=$(field "$log" "A/B wall" 2)
        [ -n "$ratio" ] && ratio=$(printf '%.2f' "$ratio")
    fi
    wall=$(field "$log" "A wall s" 2); wmin=$(field "$log" "A wall s" 1); wmax=$(field "$log" "A wall s" 3)
    cpu=$(field "$log" "A cpu s" 2); peak=$(field "$log" "A peak MiB" 2)
    n=$(grep -o 'runs counted: A [0-9]*' "$log" | grep -o '[0-9]*$' || true)
    codes=$(grep -o '^A exit codes: .*' "$log" | sed 's/^A exit codes: //' || true)
    [ "$codes" = "[0]" ] || VERDICT[$p]="${VERDICT[$p]}; exit codes $codes"
    rows+=("| $p | $DESC | ${VERDICT[$p]} | ${wall:-?} | ${wmin:-?}–${wmax:-?} | ${cpu:-?} | ${peak:-?} | ${ratio:-?} | ${n:-0} |")
    echo "timed $p: wall ${wall:-?} s" >&2
done

{
    echo "| peer | what | output vs C ref | median wall s | wall min–max | median cpu s | median peak RSS MiB | wall ratio to C ref | runs |"
    echo "|---|---|---|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
} | tee "$RESD/$SIZE.salesplan.md"
echo
echo "ratio: median over runs of (peer wall / C reference wall) with the two run in turn, pair by pair."
echo "peak RSS: largest single process (for salesplan: of the pipeline, salesplan itself); a figure"
echo "near 11-15 MiB is the timer's own floor.  salesplan's CPU counts the pipeline's processes."
[ $check_rc -eq 0 ] || { echo "WARNING: some peers' outputs differ from the C reference; see above." ; exit 1; }
