#!/bin/sh
# run.sh -- REPL benchmark: how fast a what-if is answered on a plan of REPS reps
# x 12 months (default 10,000 reps).
#
# usage: sh bench/repl/run.sh BIN          (make bench-repl)
#   env: REPS=N      reps in the generated roster (default 10000)
#        RUNS=N      what-ifs of each kind (default 21)
#        BUDGET=MS   the median each kind must stay under (default 50)
#        KEEP=1      keep the generated files (their directory is printed)
#
# Generates the plan with gen.sh into a temporary directory and starts one
# `BIN repl repl.plan` session (standard input a pipe: no readline).  It then
# types RUNS what-ifs of two kinds, alternating their values so that each one
# changes something, and times each from writing the line to reading its
# answer ("revenue: ... cells changed"):
#   target  target revenue = N万                         (every cell changes)
#   share   split revenue by region { region_00: P%, ... region_09: rest }
# and prints min, median and max per kind, and the session's start-up time.
# Exit status 1 when a median is over BUDGET ms.  Needs python3.

LC_ALL=C
export LC_ALL
if [ $# -ne 1 ]; then
    echo "usage: sh bench/repl/run.sh BIN" >&2
    exit 2
fi
bin=$1
[ -x "$bin" ] || { echo "bench/repl/run.sh: '$bin' is not an executable" >&2; exit 2; }
command -v python3 >/dev/null 2>&1 || { echo "bench/repl/run.sh: needs python3" >&2; exit 2; }
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
reps=${REPS:-10000}
here=$(cd "$(dirname "$0")" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/salesplan-repl.XXXXXX") || exit 2
if [ -n "$KEEP" ]; then
    trap 'echo "kept $tmp"' EXIT
else
    trap 'rm -rf "$tmp"' EXIT
fi
trap 'exit 1' HUP INT PIPE TERM

sh "$here/gen.sh" "$reps" "$tmp" || exit 2
"$bin" check "$tmp/repl.plan" >/dev/null || { echo "bench/repl/run.sh: the plan does not check" >&2; exit 2; }
echo "plan: $(sed -n 1p "$tmp/repl.plan" | sed 's/^# //')"

python3 - "$tmp" "$bin" "$reps" "${RUNS:-21}" "${BUDGET:-50}" <<'PYEOF'
import os, select, subprocess, sys, time

tmp, binary, reps, runs, budget = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), \
    float(sys.argv[5])
t0 = time.monotonic()
p = subprocess.Popen([binary, "repl", "repl.plan"], cwd=tmp, stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=0)
out = p.stdout.fileno()
pending = b""


def line(timeout=60.0):
    """The next line the session prints (without its newline)."""
    global pending
    end = time.monotonic() + timeout
    while b"\n" not in pending:
        left = end - time.monotonic()
        if left <= 0 or not select.select([out], [], [], left)[0]:
            sys.exit("bench/repl/run.sh: no answer within %.0f s" % timeout)
        chunk = os.read(out, 65536)
        if not chunk:
            sys.exit("bench/repl/run.sh: the session ended: " + pending.decode(errors="replace"))
        pending += chunk
    first, pending = pending.split(b"\n", 1)
    return first.decode()


def ask(entry):
    """Types an entry; returns (seconds until its answer, the answer)."""
    t = time.monotonic()
    p.stdin.write(entry.encode() + b"\n")
    while True:
        l = line()
        if l.startswith("revenue:") or l.startswith("nothing changed"):
            return time.monotonic() - t, l
        if "error" in l:
            sys.exit("bench/repl/run.sh: " + l)


_, l = ask("revenue[region_00, Q1] * 0 + revenue * 0 + 1 == 1\ntarget revenue = %d万" % (reps * 61))
print("start-up and first what-if: %.0f ms" % ((time.monotonic() - t0) * 1000))
shares = "region_01: 11%, region_02: 10%, region_03: 10%, region_04: 10%, region_05: 10%, " \
         "region_06: 10%, region_07: 9%, region_08: 9%, region_09: rest"
kinds = [
    ("target", lambda i: "target revenue = %d万" % (reps * 60 + (i % 2) * reps)),
    ("share", lambda i: "split revenue by region { region_00: %d%%, %s }" % (12 + i % 2, shares)),
]
bad = 0
for name, make in kinds:
    times = []
    for i in range(runs):
        dt, answer = ask(make(i))
        times.append(dt * 1000)
    times.sort()
    med = times[len(times) // 2]
    ok = med < budget
    bad |= not ok
    print("%-7s %3d what-ifs  min %6.1f ms  median %6.1f ms  max %6.1f ms  %s" %
          (name, runs, times[0], med, times[-1], "ok" if ok else "OVER %.0f ms" % budget))
    print("        last answer: " + answer)
p.stdin.close()
p.wait()
sys.exit(1 if bad else 0)
PYEOF
