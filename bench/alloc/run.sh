#!/bin/sh
# run.sh -- allocation benchmark: times `salesplan run` on a generated plan of
# REPS reps x 12 months x 20 products (24 million cells for 100,000 reps).
#
# usage: sh bench/alloc/run.sh BIN          (make bench-alloc)
#   env: REPS=N        reps in the generated roster (default 100000)
#        RUNS=N        counted runs per table (default 1; no warm-up run)
#        SHOWS=LIST    tables to time, separated by ';'
#                      (default "revenue by rep, product;revenue by rep, month")
#        TIMEOUT=S     stop a run after S seconds (default 300)
#        MAXRSS_MB=M   stop a run whose resident set passes M MiB (default 8192)
#        KEEP=1        keep the generated files (their directory is printed)
#
# Generates the roster and plan with gen.sh into a temporary directory, checks
# the plan once, then for each table runs
#   BIN run PLAN --show TABLE --format csv -o DIR/out.csv
# and prints wall time, user+sys CPU, peak RSS, and allocation cells per second
# of wall time (cells = REPS x 12 x 20, the cells the engine computes and rounds,
# whatever the table shows).  Each run is watched: past TIMEOUT or MAXRSS_MB it is
# killed and reported as such.  Needs python3.

LC_ALL=C
export LC_ALL
if [ $# -ne 1 ]; then
    echo "usage: sh bench/alloc/run.sh BIN" >&2
    exit 2
fi
bin=$1
[ -x "$bin" ] || { echo "bench/alloc/run.sh: '$bin' is not an executable" >&2; exit 2; }
command -v python3 >/dev/null 2>&1 || { echo "bench/alloc/run.sh: needs python3" >&2; exit 2; }
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
reps=${REPS:-100000}
here=$(cd "$(dirname "$0")" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/salesplan-alloc.XXXXXX") || exit 2
if [ -n "$KEEP" ]; then
    trap 'echo "kept $tmp"' EXIT
else
    trap 'rm -rf "$tmp"' EXIT
fi
trap 'exit 1' HUP INT PIPE TERM

sh "$here/gen.sh" "$reps" "$tmp" || exit 2
echo "plan: $(sed -n 1p "$tmp/alloc.plan" | sed 's/^# //')"
echo "roster: $(($(wc -l <"$tmp/roster.csv") - 1)) reps, $(($(wc -c <"$tmp/roster.csv") / 1024)) KiB"

# check once, timed too: it loads the roster and evaluates the splits' weights
python3 - "$tmp" "$reps" "${RUNS:-1}" "${TIMEOUT:-300}" "${MAXRSS_MB:-8192}" \
    "${SHOWS:-revenue by rep, product;revenue by rep, month}" "$bin" <<'PYEOF'
import os, signal, subprocess, sys, time

tmp, reps, runs, timeout, maxrss = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
    float(sys.argv[4]), float(sys.argv[5])
shows, binary = [s.strip() for s in sys.argv[6].split(";") if s.strip()], sys.argv[7]
plan, out = os.path.join(tmp, "alloc.plan"), os.path.join(tmp, "out.csv")
cells = reps * 12 * 20


def rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


def once(cmd):
    """Runs cmd; returns (wall, cpu, peak MiB, exit code, why it was stopped or None)."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, cwd=tmp, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=open(os.path.join(tmp, "err"), "w"))
    why = None
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        wall = time.monotonic() - t0
        if why is None and wall > timeout:
            why = f"stopped after {timeout:.0f} s (TIMEOUT)"
        elif why is None and rss_mib(p.pid) > maxrss:
            why = f"stopped at {rss_mib(p.pid):.0f} MiB resident (MAXRSS_MB)"
        if why:
            p.send_signal(signal.SIGKILL)
            _, status, ru = os.wait4(p.pid, 0)
            break
        time.sleep(0.05)
    wall = time.monotonic() - t0
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0, \
        os.waitstatus_to_exitcode(status), why


def report(label, cmd, count_cells):
    worst = 0
    for i in range(runs):
        if os.path.exists(out):
            os.unlink(out)
        wall, cpu, peak, rc, why = once(cmd)
        line = f"{label:<40} wall {wall:8.2f} s  cpu {cpu:8.2f} s  peak RSS {peak:8.1f} MiB"
        if count_cells and not why and rc == 0:
            line += f"  {cells / wall / 1e6:6.2f} M cells/s"
        print(line, flush=True)
        if why or rc != 0:
            print(f"  {why or f'exit status {rc}'}; stderr ends:", flush=True)
            with open(os.path.join(tmp, "err")) as f:
                for l in f.read().splitlines()[-10:]:
                    print("    " + l)
            worst = 1
            break
        if count_cells and os.path.exists(out):
            size = os.path.getsize(out)
            with open(out, "rb") as f:
                rows = sum(1 for _ in f)
            print(f"  -o out.csv: {rows} lines, {size / 1048576:.1f} MiB", flush=True)
    return worst


print(f"cells: {reps} reps x 12 months x 20 products = {cells:,}")
bad = report("check", [binary, "check", plan], False)
if bad:
    sys.exit(1)
for s in shows:
    bad |= report(f"run --show \"{s}\"", [binary, "run", plan, "--show", s, "--format", "csv",
                                           "-o", out], True)
sys.exit(bad)
PYEOF
