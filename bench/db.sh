#!/bin/bash
# db.sh - workload W1 with its actuals in PostgreSQL: the aggregation done by the database.
#
# usage: bench/db.sh [S|M|L]                  (make bench-db SIZE=L; L by default)
#   env: SHARED_BENCH=DIR   the shared bench (default: ../shared/bench beside the repository)
#        SALESPLAN=BIN      the binary to measure (default: ./salesplan of this repository)
#        RUNS=N             counted runs per command (default 3), after 1 warm-up
#        BIG_ROWS=N         rows of the big table (default 100000000; 0 leaves it out)
#        BIG_RUNS=N         counted runs on the big tables (default 1, no warm-up)
#        PG_TMP=DIR         where the server's directory goes (default /tmp; the big table
#                           takes about 7 GB there, checked with df before it is made)
#        BENCH_DATA ...     as the shared bench (common.sh)
#
# Starts a private PostgreSQL server (tests/db/pg.sh, with 1 GB of shared buffers and
# 256 MB of work memory), loads W1's data of SIZE from the shared bench's generator (gen.sh:
# the same files bench/w1.sh and the peers read) with psql's \copy, and checks that
#   salesplan run w1_pg.plan --source crm=postgresql://... --show "incentive w1" --format csv
# prints, byte for byte, what the same plan prints from the CSV files.  Then it times, with
# the shared bench's ptime.py (whole processes, wait4's peak RSS, run in turn pair by pair):
#   pg    salesplan from PostgreSQL: describes the tables, reads the roster and targets,
#         sends the GROUP BY query of the actuals and streams its groups into the plan
#   psql  psql alone running that same GROUP BY query (taken from SALESPLAN_SQL_LOG, so it
#         is salesplan's query, byte for byte), its rows discarded
#   csv   salesplan on the CSV files (bench/w1.sh's salesplan_run)
# and, on a generated table (generate_series: BIG_ROWS rows and, to compare, a tenth of
# them, over W1's reps, dates of the year and amounts in cents), salesplan and psql
# again: salesplan's peak RSS on the two tables (flat: its memory grows with reps x months,
# not rows) and its wall time against the database's.  Prints markdown tables, also
# written to $BENCH_DATA/results/SIZE.db.md.  The server and its directory are removed at
# the end.
set -euo pipefail
SIZE=${1:-L}
TOP=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${BENCH_DB_SERVER:-}" ]; then
    BENCH_DB_SERVER=1 PG_SETTINGS="-c shared_buffers=1GB -c work_mem=256MB -c max_wal_size=8GB -c log_statement=none ${PG_SETTINGS:-}" \
        exec sh "$TOP/tests/db/pg.sh" bash "$TOP/bench/db.sh" "$SIZE"
fi
SB=${SHARED_BENCH:-$TOP/../shared/bench}
for f in common.sh gen.sh ptime.py; do
    [ -f "$SB/$f" ] || { echo "bench/db.sh: no shared bench at $SB (no $f): set SHARED_BENCH=DIR" >&2; exit 2; }
done
SP=${SALESPLAN:-$TOP/salesplan}
case $SP in /*) ;; *) SP=$(pwd)/$SP ;; esac
[ -x "$SP" ] || { echo "bench/db.sh: $SP is not built (make)" >&2; exit 2; }
. "$SB/common.sh"
size_params "$SIZE" >/dev/null
"$BENCH_HOME/gen.sh" "$SIZE" >/dev/null
RUNS=${RUNS:-3}
BIG_ROWS=${BIG_ROWS:-100000000}
BIG_RUNS=${BIG_RUNS:-1}
D=$BENCH_DATA/$SIZE RESD=$BENCH_DATA/results
W=$(mktemp -d "${TMPDIR:-/tmp}/salesplan-bench-db.XXXXXX")
trap 'rm -rf "$W"' EXIT
mkdir -p "$RESD"
URI="postgresql:///salesplan?host=$PGHOST&user=postgres"
TIMER=(python3 "$BENCH_HOME/ptime.py")
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
secs() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(secs)" 'BEGIN { printf "%.1f", b - a }'; }
field() { # field FILE 'ROW LABEL' COLUMN(1=min,2=median,3=max)
    awk -v lab="$2" -v c="$3" 'index($0, lab) == 1 { s = substr($0, length(lab) + 1); split(s, f, " "); print f[c]; exit }' "$1"
}

echo "# W1 size $SIZE from PostgreSQL: $(size_params "$SIZE" | awk '{printf "N_REPS=%s N_ROWS=%s", $1, $2}'), seed $BENCH_SEED"
echo
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')), $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(date -u +%Y-%m-%dT%H:%MZ)"
echo "server: PostgreSQL $(psql -X -At -c 'SHOW server_version'), private (tests/db/pg.sh), Unix socket, shared_buffers $(psql -X -At -c 'SHOW shared_buffers'), work_mem $(psql -X -At -c 'SHOW work_mem'), max_parallel_workers_per_gather $(psql -X -At -c 'SHOW max_parallel_workers_per_gather'), fsync off"
echo "salesplan: $("$SP" --version 2>/dev/null | head -1) ($(git -C "$TOP" describe --always --dirty 2>/dev/null || echo 'no git'))"
echo "timer: ptime.py (wait4 rusage), page cache and shared buffers warm"
echo

# ---- load ----
t0=$(secs)
psql_q -c 'CREATE SCHEMA w1'
sh "$TOP/tests/db/load.sh" pg w1.actuals "$D/actuals.csv" --type date=date --type rep_id=text \
    --type region=text --type product=text --type amount=numeric
sh "$TOP/tests/db/load.sh" pg w1.reps "$D/reps.csv" --seq
sh "$TOP/tests/db/load.sh" pg w1.targets "$D/targets.csv" --seq
psql_q -c 'VACUUM ANALYZE'
echo "load: $(du -h "$D/actuals.csv" | cut -f1) actuals.csv into w1.actuals ($(psql -X -At -c "SELECT pg_size_pretty(pg_total_relation_size('w1.actuals'))")) with \\copy, and VACUUM ANALYZE: $(since "$t0") s"

cp "$TOP/bench/w1.plan" "$D/w1.plan"
pgplan() { # pgplan ACTUALS-TABLE: bench/w1.plan with its statements made tables of schema w1
    sed -e 's|from "reps.csv" { rep = rep_id }|from source "crm" table "w1.reps" { rep = rep_id  order = seq }|' \
        -e 's|from "targets.csv" {\(.*\) }|from source "crm" table "w1.targets" {\1  order = seq }|' \
        -e "s|^actuals \"actuals.csv\"|actuals from source \"crm\" table \"$1\"|" "$TOP/bench/w1.plan"
}
pgplan w1.actuals >"$W/w1_pg.plan"
[ "$(grep -c 'from source' "$W/w1_pg.plan")" = 3 ] || { echo "bench/db.sh: bench/w1.plan changed: its sed no longer makes tables" >&2; exit 2; }

# ---- the same output; salesplan's query ----
"$SP" run "$D/w1.plan" --show "incentive w1" --format csv >"$W/csv.out"
SALESPLAN_SQL_LOG=$W/sql.log "$SP" run "$W/w1_pg.plan" --source "crm=$URI" --show "incentive w1" --format csv >"$W/pg.out"
if cmp -s "$W/csv.out" "$W/pg.out"; then
    echo "check: salesplan from PostgreSQL prints the CSV run's $(wc -l <"$W/csv.out") lines, byte for byte"
else
    echo "check: salesplan from PostgreSQL DIFFERS from the CSV run: $(cmp "$W/csv.out" "$W/pg.out" 2>&1 | head -1)"
    exit 1
fi
grep 'GROUP BY' "$W/sql.log" | grep -F '"w1"."actuals"' | tail -n 1 >"$W/query.sql"
[ -s "$W/query.sql" ] || { echo "bench/db.sh: no GROUP BY query of w1.actuals in SALESPLAN_SQL_LOG" >&2; exit 2; }
echo "query (SALESPLAN_SQL_LOG): $(cut -c 1-400 "$W/query.sql")"
echo "groups: $(psql -X -At -c "SELECT count(*) FROM ($(sed 's/;$//' "$W/query.sql")) g")"
echo

# ---- timing ----
declare -a rows=()
timed() { # timed NAME DESCRIPTION RUNS WARMUP CMD...: a table row
    local name=$1 desc=$2 n=$3 warm=$4 log=$W/$1.txt
    shift 4
    "${TIMER[@]}" -n "$n" --warmup "$warm" --timeout 7200 -- "$@" >"$log" 2>&1 || true
    local wall wmin wmax cpu peak codes
    wall=$(field "$log" "A wall s" 2); wmin=$(field "$log" "A wall s" 1); wmax=$(field "$log" "A wall s" 3)
    cpu=$(field "$log" "A cpu s" 2); peak=$(field "$log" "A peak MiB" 2)
    codes=$(grep -o '^A exit codes: .*' "$log" | sed 's/^A exit codes: //' || true)
    rows+=("| $name | $desc | ${wall:-?} | ${wmin:-?}–${wmax:-?} | ${cpu:-?} | ${peak:-?} | ${codes:-?} |")
    echo "timed $name: wall ${wall:-?} s, peak ${peak:-?} MiB" >&2
}
table() {
    echo "| what | command | median wall s | wall min–max | median cpu s (client) | median peak RSS MiB (client) | exit codes |"
    echo "|---|---|---:|---:|---:|---:|---|"
    printf '%s\n' "${rows[@]}"
}
timed pg "salesplan run w1_pg.plan --source crm=postgresql://... (aggregation in PostgreSQL)" "$RUNS" 1 \
    "$SP" run "$W/w1_pg.plan" --source "crm=$URI" --show "incentive w1" --format csv
timed psql "psql -f query.sql: salesplan's GROUP BY alone, rows discarded" "$RUNS" 1 \
    psql -X -q -At -f "$W/query.sql" -o /dev/null
timed csv "salesplan run w1.plan on actuals.csv (bench/w1.sh's salesplan_run)" "$RUNS" 1 \
    "$SP" run "$D/w1.plan" --show "incentive w1" --format csv
{ echo "## W1 $SIZE"; echo; table; } | tee "$RESD/$SIZE.db.md"
echo

# ---- the big tables ----
[ "$BIG_ROWS" -gt 0 ] || exit 0
avail=$(df -Pk "$PGHOST" | awk 'NR == 2 { print int($4 / 1048576) }')
need=$((BIG_ROWS * 11 / 10 / 10000000 + 4)) # GB: about 72 bytes a row for both tables, and room
if [ "$avail" -lt "$need" ]; then
    echo "big tables: left out, $avail GB free at $PGHOST and they need about $need GB (set BIG_ROWS or PG_TMP)"
    exit 0
fi
rows=()
NREPS=$(size_params "$SIZE" | cut -d' ' -f1)
hum() { awk -v n="$1" 'BEGIN { if (n % 1000000 == 0) print n / 1000000 "M"; else if (n % 1000 == 0) print n / 1000 "k"; else print n }'; }
SMALL=$(hum $((BIG_ROWS / 10))) LARGE=$(hum "$BIG_ROWS")
big() { # big TABLE N: N rows over W1's reps (R000001...), dates of 2027, amounts of 0.01-20000.00
    psql_q -c "CREATE UNLOGGED TABLE $1 (rep_id text, date date, amount numeric(12,2))" \
        -c "INSERT INTO $1 SELECT 'R' || lpad((g % $NREPS + 1)::text, 6, '0'),
                DATE '2027-01-01' + ((g / $NREPS) % 365)::int,
                ((g * 7919) % 2000000 + 1) / 100.0
              FROM generate_series(0::bigint, $2 - 1) g" \
        -c "VACUUM ANALYZE $1"
}
t0=$(secs)
big w1.big_small $((BIG_ROWS / 10))
big w1.big $BIG_ROWS
echo "big tables: w1.big_small $((BIG_ROWS / 10)) rows ($(psql -X -At -c "SELECT pg_size_pretty(pg_total_relation_size('w1.big_small'))")), w1.big $BIG_ROWS rows ($(psql -X -At -c "SELECT pg_size_pretty(pg_total_relation_size('w1.big'))")), made by generate_series in $(since "$t0") s"
for t in big_small big; do
    pgplan "w1.$t" >"$W/$t.plan"
    rm -f "$W/sql.log"
    SALESPLAN_SQL_LOG=$W/sql.log "$SP" run "$W/$t.plan" --source "crm=$URI" --show "incentive w1" --format csv >"$W/$t.out" ||
        { echo "bench/db.sh: salesplan failed on w1.$t" >&2; exit 1; }
    grep 'GROUP BY' "$W/sql.log" | grep -F "\"w1\".\"$t\"" | tail -n 1 >"$W/$t.sql"
done
timed "pg $SMALL" "salesplan from w1.big_small, $((BIG_ROWS / 10)) rows" "$BIG_RUNS" 0 \
    "$SP" run "$W/big_small.plan" --source "crm=$URI" --show "incentive w1" --format csv
timed "psql $SMALL" "psql -f: salesplan's GROUP BY of w1.big_small alone" "$BIG_RUNS" 0 \
    psql -X -q -At -f "$W/big_small.sql" -o /dev/null
timed "pg $LARGE" "salesplan from w1.big, $BIG_ROWS rows" "$BIG_RUNS" 0 \
    "$SP" run "$W/big.plan" --source "crm=$URI" --show "incentive w1" --format csv
timed "psql $LARGE" "psql -f: salesplan's GROUP BY of w1.big alone" "$BIG_RUNS" 0 \
    psql -X -q -At -f "$W/big.sql" -o /dev/null
{ echo "## W1's plan on generated tables of $((BIG_ROWS / 10)) and $BIG_ROWS rows"; echo; table; } | tee -a "$RESD/$SIZE.db.md"
echo
echo "peak RSS: salesplan's own (psql's: the client holding the query's result); the server's"
echo "memory is not counted, its CPU neither (cpu s is the client's)."
