#!/bin/sh
# run.sh -- parse/check benchmark: times `BIN check` on a generated plan.
#
# usage: sh bench/parse/run.sh BIN          (make bench)
#   env: BENCH_LINES=N   size of the generated plan (default 100000)
#        RUNS=N          counted runs (default 5), after one warm-up run
#        KEEP=1          keep the generated plan (its path is printed)
#
# Generates the plan with gen_plan.sh into a temporary directory, checks it
# once (it must be valid: a benchmark of a failing check measures nothing),
# then runs `BIN check PLAN` RUNS times and prints the line count, the
# min/median/max wall time and the median peak RSS.  Timing uses python3
# (wait4 rusage of each child) or, without python3, GNU /usr/bin/time.

LC_ALL=C
export LC_ALL
if [ $# -ne 1 ]; then
    echo "usage: sh bench/parse/run.sh BIN" >&2
    exit 2
fi
bin=$1
[ -x "$bin" ] || { echo "bench/parse/run.sh: '$bin' is not an executable" >&2; exit 2; }
lines=${BENCH_LINES:-100000}
runs=${RUNS:-5}
here=$(cd "$(dirname "$0")" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/salesplan-bench.XXXXXX") || exit 2
if [ -n "$KEEP" ]; then
    trap 'echo "kept $tmp/bench.plan"' EXIT
else
    trap 'rm -rf "$tmp"' EXIT
fi
trap 'exit 1' HUP INT PIPE TERM
plan=$tmp/bench.plan

sh "$here/gen_plan.sh" "$lines" >"$plan" || exit 2
nlines=$(wc -l <"$plan" | tr -d ' ')
nbytes=$(wc -c <"$plan" | tr -d ' ')
echo "plan: $nlines lines, $((nbytes / 1024)) KiB ($(sed -n 1p "$plan" | sed 's/^# //'))"

if ! "$bin" check "$plan" >/dev/null 2>"$tmp/err"; then
    echo "bench/parse/run.sh: the generated plan does not pass 'check':" >&2
    head -n 20 "$tmp/err" >&2
    exit 1
fi

if command -v python3 >/dev/null 2>&1; then
    python3 - "$runs" "$bin" check "$plan" <<'EOF'
import os, statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
def once():
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    return time.monotonic() - t0, ru.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)
once()  # warm-up: page cache, binary
res = [once() for _ in range(runs)]
walls = [r[0] for r in res]
bad = [r[2] for r in res if r[2] != 0]
print(f"salesplan check: {runs} runs; wall s min {min(walls):.3f}  median "
      f"{statistics.median(walls):.3f}  max {max(walls):.3f}; "
      f"peak RSS median {statistics.median(r[1] for r in res):.1f} MiB")
if bad:
    print(f"exit codes other than 0: {bad}", file=sys.stderr)
    sys.exit(1)
EOF
elif [ -x /usr/bin/time ]; then
    "$bin" check "$plan" >/dev/null 2>&1 # warm-up
    : >"$tmp/times"
    i=0
    while [ $i -lt "$runs" ]; do
        /usr/bin/time -f '%e %M' -a -o "$tmp/times" "$bin" check "$plan" >/dev/null 2>&1
        i=$((i + 1))
    done
    mid=$(((runs + 1) / 2))
    cut -d' ' -f1 "$tmp/times" | sort -n >"$tmp/walls"
    cut -d' ' -f2 "$tmp/times" | sort -n >"$tmp/rss"
    printf 'salesplan check: %d runs; wall s min %s  median %s  max %s; peak RSS median %s MiB\n' \
        "$runs" "$(sed -n 1p "$tmp/walls")" "$(sed -n "${mid}p" "$tmp/walls")" \
        "$(sed -n '$p' "$tmp/walls")" "$(($(sed -n "${mid}p" "$tmp/rss") / 1024))"
else
    echo "bench/parse/run.sh: needs python3 or GNU /usr/bin/time" >&2
    exit 2
fi
