#!/bin/sh
# tests/report/run.sh ./salesplan -- `salesplan report`: bad requests exit
# 2 (or 1 for a plan that does not check) with a message and write nothing;
# then every example plan's report in headless Chromium (check_report.py):
# no console error, no request but itself, its charts' numbers equal to its
# tables' cells, a screenshot that is not blank, the expected PDF pages.
set -eu
sp=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

# expect STATUS WORDS -- ARGS...: the exit status, a message on stderr that
# holds WORDS, nothing on stdout and no $tmp/out.html.
expect() {
    want=$1 words=$2
    shift 3
    rc=0
    "$sp" report "$@" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
    if [ "$rc" != "$want" ] || ! grep -q -- "$words" "$tmp/stderr" || [ -s "$tmp/stdout" ] ||
        [ -e "$tmp/out.html" ]; then
        echo "check-report: report $*: status $rc (want $want), stderr:" >&2
        cat "$tmp/stderr" >&2
        fails=$((fails + 1))
    fi
}

cat >"$tmp/bad.plan" <<'PLAN'
plan "bad" { year = 2027 }
metric revenue money
target revenue = 100
split revenue by nowhere equally
PLAN
cat >"$tmp/self.plan" <<'PLAN'
plan "self" { year = 2027 }
dimension org levels region { north south }
metric revenue money
target revenue = 100
split revenue by region equally
PLAN
sum=$(cksum <"$tmp/self.plan")
expect 2 "nope.plan" -- "$tmp/nope.plan" -o "$tmp/out.html"
expect 2 "unknown option '--bogus' for report" -- "$tmp/self.plan" --bogus -o "$tmp/out.html"
expect 2 "report writes HTML" -- "$tmp/self.plan" --format csv -o "$tmp/out.html"
expect 2 "report needs a plan file" -- -o "$tmp/out.html"
expect 1 "nowhere" -- "$tmp/bad.plan" -o "$tmp/out.html"
expect 2 "a file the plan reads" -- "$tmp/self.plan" -o "$tmp/self.plan"
if [ "$(cksum <"$tmp/self.plan")" != "$sum" ]; then
    echo "check-report: -o onto the plan changed it" >&2
    fails=$((fails + 1))
fi
[ "$fails" = 0 ] || exit 1
echo "check-report: 6 bad requests refused, nothing written"
exec /usr/bin/python3 "$here/check_report.py" "$sp"
