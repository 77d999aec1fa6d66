#!/bin/sh
# run.sh -- the xlsx writer's benchmark: a table of N reps x 12 months
# (`revenue by rep, month`, default N = 10000) written as xlsx and as csv by
# the same run; best of RUNS (default 3) wall times of each, and the
# difference: what writing the workbook costs over writing its csv.
#
# usage: sh bench/xlsx/run.sh [BIN [N]]      (make bench-xlsx; env: RUNS=N)
# Exit status 1 when the workbook takes 2 s or more.
# The roster comes from bench/alloc/gen.sh; the plan splits revenue by month
# and by rep only (no products), so the table is N + 1 rows of 13 numbers.
set -e
bin=${1:-./salesplan}
n=${2:-10000}
runs=${RUNS:-3}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
sh bench/alloc/gen.sh "$n" "$dir"
sed '/product/d' "$dir/alloc.plan" >"$dir/xlsx.plan"

# best of $runs wall times (seconds) of the command
best() {
    b=
    i=0
    while [ $i -lt "$runs" ]; do
        s=$(date +%s.%N)
        "$@" >/dev/null
        e=$(date +%s.%N)
        b=$(echo "$s $e ${b:-x}" | awk '{ t = $2 - $1; if ($3 == "x" || t < $3) print t; else print $3 }')
        i=$((i + 1))
    done
    echo "$b"
}

show="revenue by rep, month"
csv=$(best "$bin" run "$dir/xlsx.plan" --show "$show" --format csv -o "$dir/out.csv")
xlsx=$(best "$bin" run "$dir/xlsx.plan" --show "$show" --format xlsx -o "$dir/out.xlsx")
size=$(wc -c <"$dir/out.xlsx")
echo "$n reps x 12 months: csv ${csv}s, xlsx ${xlsx}s (the workbook: +$(echo "$xlsx $csv" |
    awk '{ printf "%.3f", $1 - $2 }')s, $size bytes)"
awk -v t="$xlsx" 'BEGIN { exit !(t < 2) }' || { echo "xlsx: over 2 s" >&2; exit 1; }
