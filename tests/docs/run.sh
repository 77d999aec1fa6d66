#!/bin/sh
# Checks every ```plan block of docs/LANGUAGE.md and README.md with
# `salesplan check`, replays their REPL sessions (below), so that the
# documentation cannot rot.  Each block is a
# complete plan; it is checked in a scratch folder holding a copy of
# examples/data, as the documentation tells readers to run it.
# Usage: tests/docs/run.sh BIN
set -u
LC_ALL=C
export LC_ALL NO_COLOR=1
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -R "$top/examples/data" "$tmp/data"
passed=0 failed=0
for doc in docs/LANGUAGE.md README.md; do
    awk -v dir="$tmp" -v doc="$(basename "$doc" .md)" '
        /^```plan[ \t]*$/ { n++; inblock = 1; start = NR; file = sprintf("%s/%s_%03d_L%d.plan", dir, doc, n, NR + 1); next }
        /^```/ && inblock { inblock = 0; close(file); next }
        inblock { print > file }
    ' "$top/$doc"
done
for f in "$tmp"/*.plan; do
    [ -e "$f" ] || continue
    if out=$(cd "$tmp" && "$bin" check "$(basename "$f")" 2>&1); then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $(basename "$f") (block starting at that line of the document):"
        echo "$out" | sed 's/^/    /'
    fi
done

# REPL sessions: every ```text block of the two documents with entries typed at the prompt
# ("salesplan> ENTRY") is replayed without a terminal on the plan of its "$ salesplan repl FILE"
# line (else the shipped examples/fy2027.plan), in a scratch copy of examples/, and must print
# the block's other lines (the banner aside); a line "..." stands for any number of lines.
mkdir -p "$tmp/repl"
cp -R "$top/examples" "$tmp/repl/examples"
for doc in docs/LANGUAGE.md README.md; do
    awk -v dir="$tmp/repl" -v doc="$(basename "$doc" .md)" '
        /^ *```text[ \t]*$/ { n++; inblock = 1; ind = index($0, "`") - 1; nl = 0; start = NR; next }
        /^ *```/ && inblock {
            inblock = 0
            if (entries) {
                base = sprintf("%s/%s_L%d", dir, doc, start + 1)
                print plan > (base ".plan"); close(base ".plan")
                for (i = 1; i <= nl; i++) {
                    if (l[i] ~ /^salesplan> /) print substr(l[i], 12) > (base ".in")
                    else print l[i] > (base ".want")
                }
                close(base ".in"); close(base ".want")
            }
            entries = 0; plan = "examples/fy2027.plan"; next
        }
        inblock {
            line = substr($0, ind + 1)
            if (line ~ /^\$ salesplan repl /) { split(line, w, " "); plan = w[4]; next }
            if (line ~ /^salesplan [^ ]+ repl/) next  # the banner: only at a terminal
            if (line ~ /^salesplan> /) entries = 1
            l[++nl] = line
        }
        BEGIN { plan = "examples/fy2027.plan" }
    ' "$top/$doc"
done
# match WANT GOT: whether GOT has WANT's lines, "..." standing for any lines
match() {
    awk 'NR == FNR { want[++nw] = $0; next } { got[++ng] = $0 }
        END {
            j = 1
            for (i = 1; i <= nw; i++) {
                if (want[i] == "...") {
                    if (i == nw) { j = ng + 1; break }
                    while (j <= ng && got[j] != want[i + 1]) j++
                    continue
                }
                if (j > ng || got[j] != want[i]) { print "  expected: " want[i]; print "  got:      " (j <= ng ? got[j] : "(the end)"); exit 1 }
                j++
            }
            if (j <= ng) { print "  more than expected: " got[j]; exit 1 }
        }' "$1" "$2"
}
for f in "$tmp"/repl/*.in; do
    [ -e "$f" ] || continue
    b=${f%.in}
    got=$(cd "$tmp/repl" && "$bin" repl "$(cat "$b.plan")" <"$f" 2>&1)
    if why=$(printf '%s\n' "$got" | match "$b.want" -); then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL the REPL session $(basename "$b") (a block of that document, from that line):"
        echo "$why"
    fi
done

# README's what-ifs of incentive lines (`NAME.LINE = ...`, `NAME + LINE = ...`) run on the
# shipped example without an error.
sed -n 's/.*`salesplan repl \[FILE\]` |//p' "$top/README.md" | grep -o '`[A-Za-z_]*\( + \|\.\)[A-Za-z_]* = [^`]*`' |
    tr -d '`' >"$tmp/repl/readme_lines.in"
if [ ! -s "$tmp/repl/readme_lines.in" ]; then
    failed=$((failed + 1))
    echo "FAIL README: no NAME.LINE = ... example in the row of salesplan repl"
elif out=$(cd "$tmp/repl" && "$bin" repl examples/fy2027.plan <readme_lines.in 2>&1); then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
    echo "FAIL README's NAME.LINE examples on examples/fy2027.plan:"
    echo "$out" | sed 's/^/    /'
fi

echo "docs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
