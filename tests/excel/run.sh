#!/bin/sh
# run.sh -- output for spreadsheets: the UTF-8 byte-order mark is written
# only when asked (--csv-bom, `bom = true`), only in csv, only at the
# start, also through -o (the atomic writer) and diff, never to the REPL;
# and member labels written with --labels read back as the same members
# (round trip through a bottom-up target file), while a label two members
# share is written as their names (a file naming them by that label would
# be ambiguous).
#
# usage: sh tests/excel/run.sh BIN        (make check-excel)
#
# The last line is "N passed, M failed"; the exit status is 1 if any failed.

LC_ALL=C
export LC_ALL
NO_COLOR=1
export NO_COLOR

if [ $# -ne 1 ]; then
    echo "usage: sh tests/excel/run.sh BIN" >&2
    exit 2
fi
bin=$1
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cp "$here"/*.plan "$tmp"/
cd "$tmp" || exit 2

pass=0
fail=0
ok() {
    pass=$((pass + 1))
}
bad() {
    fail=$((fail + 1))
    echo "FAIL: $*"
}

# The first three bytes of a file, in hex.
head3() {
    head -c3 "$1" | od -An -tx1 | tr -d ' \n'
}
# Whether the file holds EF BB BF anywhere after its first three bytes.
bom_later() {
    tail -c +4 "$1" | od -An -tx1 | tr -d ' \n' | grep -q efbbbf
}

# expect_bom NAME yes|no CMD...: runs CMD (stdout to NAME.out), checks the mark.
expect_bom() {
    name=$1 want=$2
    shift 2
    "$@" >"$name.out" 2>"$name.err"
    got=no
    [ "$(head3 "$name.out")" = efbbbf ] && got=yes
    if [ "$got" != "$want" ]; then
        bad "$name: byte-order mark $got, expected $want"
    elif bom_later "$name.out"; then
        bad "$name: a byte-order mark after the start"
    else
        ok
    fi
}

# ---- the byte-order mark ----
expect_bom csv_bom yes "$bin" run plain.plan --format csv --csv-bom
expect_bom csv_plain no "$bin" run plain.plan --format csv
expect_bom csv_header yes "$bin" run bom.plan --format csv
expect_bom table_bom no "$bin" run plain.plan --csv-bom
expect_bom table_header no "$bin" run bom.plan
expect_bom json_bom no "$bin" run bom.plan --format json --csv-bom
expect_bom md_bom no "$bin" run bom.plan --format md --csv-bom
expect_bom diff_bom yes "$bin" diff plain.plan bom.plan --format csv --csv-bom
expect_bom diff_header yes "$bin" diff plain.plan bom.plan --format csv
expect_bom diff_plain no "$bin" diff bom.plan plain.plan --format csv
# several items in one csv: one mark, at the start
expect_bom csv_items yes "$bin" run labels.plan --format csv --csv-bom

# -o: the file written by the atomic writer starts with the mark; without it, not
"$bin" run bom.plan --format csv -o out_bom.csv >/dev/null 2>&1
[ "$(head3 out_bom.csv)" = efbbbf ] && ok || bad "-o with bom = true: no byte-order mark"
"$bin" run plain.plan --format csv -o out_plain.csv >/dev/null 2>&1
[ -s out_plain.csv ] && [ "$(head3 out_plain.csv)" != efbbbf ] && ok ||
    bad "-o without bom: a byte-order mark (or no file)"
# the mark is all that differs
tail -c +4 csv_bom.out >csv_bom_body.out
cmp -s csv_bom_body.out csv_plain.out && ok || bad "the csv after the mark differs from plain csv"

# the REPL writes to a terminal: never a mark, even with bom = true
printf ':format csv\nshow revenue by region\n' | "$bin" repl bom.plan >repl.out 2>&1
if od -An -tx1 repl.out | tr -d ' \n' | grep -q efbbbf; then
    bad "REPL :format csv wrote a byte-order mark"
elif ! grep -q '^north,' repl.out; then
    bad "REPL :format csv: no csv rows"
else
    ok
fi

# ---- labels round trip ----
# by names: the reference numbers
"$bin" run labels.plan --show "revenue by rep" --format csv >names.csv 2>names.err ||
    bad "labels.plan does not run: $(cat names.err)"
# by labels: quoted where they hold a comma or a quote, shared ones as names
"$bin" run labels.plan --show "revenue by rep" --format csv --labels >labels.csv 2>/dev/null
grep -q '^"张, 三",' labels.csv && grep -q '^"李""四""",' labels.csv && ok ||
    bad "labels with a comma or a quote not written quoted: $(cat labels.csv)"
grep -q '^wang,' labels.csv && grep -q '^wang2,' labels.csv && ! grep -q '王伟' labels.csv && ok ||
    bad "a label two members share not written as their names: $(cat labels.csv)"
# read back as a bottom-up target: the same numbers under the same members
grep -v '^total,' labels.csv >quotas.csv
"$bin" run readback.plan --show "revenue by rep" --format csv >back.csv 2>back.err
cmp -s names.csv back.csv && ok || bad "labels did not read back to the same numbers: $(cat back.err back.csv)"
# json rows by label too
"$bin" run labels.plan --show "revenue by rep" --format json --labels >labels.json 2>/dev/null
grep -q '"name":"张, 三"' labels.json && grep -q '"name":"wang2"' labels.json && ok ||
    bad "json --labels: $(cat labels.json)"
# a file naming both members by their shared label is refused as ambiguous
sed 's/^wang,/王伟,/; s/^wang2,/王伟,/' quotas.csv >quotas_ambiguous.csv
cp quotas_ambiguous.csv quotas.csv
if "$bin" run readback.plan --show "revenue by rep" --format csv >amb.out 2>amb.err; then
    bad "a shared label read back without an error"
elif grep -q 'ambiguous' amb.err; then
    ok
else
    bad "a shared label: not reported as ambiguous: $(cat amb.err)"
fi

# metrics side by side stay named as in the plan, as the metric column of one metric does;
# only the members (rows, and columns that are members) are written by label
side="$here/../../examples/team_small.plan"
"$bin" run "$side" --show "revenue, new_customers by region" --format csv --labels >side.csv 2>/dev/null
head -n 1 side.csv | grep -qx 'region,revenue,new_customers' && grep -q '^华北,' side.csv && ok ||
    bad "side by side --labels: metric heads not their names, or rows not labels: $(cat side.csv)"
"$bin" run "$side" --show "revenue, new_customers by region" --format json --labels >side.json 2>/dev/null
grep -q '"columns":\["revenue","new_customers"\]' side.json && ok ||
    bad "side by side json --labels: $(cat side.json)"

# ---- without --labels nothing changes: names ----
"$bin" run labels.plan --show "revenue by rep" --format csv >names2.csv 2>/dev/null
grep -q '^zhang,' names2.csv && ! grep -q '张' names2.csv && ok || bad "csv without --labels shows labels"

echo "excel: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
