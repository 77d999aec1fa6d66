#!/bin/sh
# run.sh -- hostile inputs for `salesplan check` (SPEC §17): whatever the plan,
# the run ends in a diagnostic and an exit status, never a crash, a hang, a
# sanitizer report or a read outside the plan's directory.
#
# usage: sh tests/hostile/run.sh BIN        (make check-hostile)
#        HOSTILE_VERBOSE=1 sh tests/hostile/run.sh BIN   also show what passed
#
# The inputs are generated at test time into a temporary directory (nothing
# big is committed); generators are deterministic.  Each case runs
# `BIN check FILE` from that directory with a time limit ($HOSTILE_TIMEOUT
# seconds, default 10) and asserts, by its expectation:
#   invalid  exit 1 or 2, and stderr has a FILE:LINE:COL: error: diagnostic
#   refused  exit 2 and stderr non-empty (the file itself cannot be read)
#   valid    exit 0, "FILE: ok" on stdout, no error on stderr
#   safe     any of the above (a limit may or may not apply): no crash, and
#            a diagnostic whenever the exit status is not 0
# Every case must also not be killed or time out, print no "runtime error:",
# AddressSanitizer, LeakSanitizer or "Segmentation", and never print the
# contents of a file outside the plan's directory.  A few inputs run again
# with --format json, whose stdout must be one valid JSON document (checked
# with python3 when it is installed).
# The last line is "N passed, M failed"; the exit status is 1 if any failed.

LC_ALL=C
export LC_ALL
NO_COLOR=1
export NO_COLOR
unset SALESPLAN_PATH

if [ $# -ne 1 ]; then
    echo "usage: sh tests/hostile/run.sh BIN" >&2
    exit 2
fi
bin=$1
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
if [ ! -x "$bin" ]; then
    echo "hostile/run.sh: '$1' is not an executable" >&2
    exit 2
fi
limit=${HOSTILE_TIMEOUT:-10}
command -v timeout >/dev/null 2>&1 || { echo "hostile/run.sh: needs timeout(1)" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostile.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT PIPE TERM
w=$tmp/w # the plans' directory; $tmp itself is "outside"
mkdir -p "$w/lib" "$w/sub"

# A file outside the plan directory.  Its first line is not a valid plan, so
# if it were ever loaded, a syntax error would quote the marker.
secret_marker=SECRET_MARKER_7f3b
printf 'secret %s ;;\n' "$secret_marker" >"$tmp/x.plan"
cp "$tmp/x.plan" "$tmp/secret.csv"
header='plan "hostile" { year = 2027 }'

# ---- generators ------------------------------------------------------------

# repeat N TEXT: TEXT N times, no newline.
repeat() {
    awk -v n="$1" -v s="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'
}

# garbage N: N pseudo-random bytes, all 256 values, from a fixed-seed LCG
# (exact in awk's doubles, so the same bytes on every machine).
garbage() {
    awk -v n="$1" 'BEGIN { x = 12345; for (i = 0; i < n; i++) { x = (x * 75 + 74) % 65537; printf "%c", x % 256 } }'
}

cd "$w" || exit 2

: >empty.plan
printf '\357\273\277' >bom_only.plan
garbage 65536 >garbage.plan
if [ "$(wc -c <garbage.plan)" -ne 65536 ]; then
    echo "hostile/run.sh: awk wrote $(wc -c <garbage.plan) bytes of garbage, not 65536" >&2
    exit 2
fi
printf '%s\nlet x = 1\n\377\nlet y = 2\n' "$header" >utf8_lone_ff.plan
printf '%s\nlet a\300\257b = 1\n' "$header" >utf8_overlong.plan
printf '%s\nlet x = 1\nlet y\344\270' "$header" >utf8_truncated_eof.plan
printf '%s\nmetric revenue "\377\376" money\n' "$header" >utf8_in_string.plan
printf '%s\n# \300\257 comment\nlet x = 1\n' "$header" >utf8_in_comment.plan
printf '%s\nhistory h = "\377\376.csv"\n' "$header" >utf8_in_path.plan

# Lines of about 1 MiB.
{ echo "$header"; printf 'let x = '; repeat 1048576 a; echo; } >long_ident.plan
{ echo "$header"; printf 'let x = 1'; repeat 262144 ' + 1'; echo; } >long_expr.plan
{ echo "$header"; awk 'BEGIN { for (i = 0; i < 65536; i++) printf "let v%06d = 1 ", i }';
  echo 'let bad = 12x'; } >long_line_error.plan
{ echo "$header"; printf 'metric revenue "'; repeat 349525 '华'; echo '" money'; } >long_string.plan
{ echo "$header"; printf 'let x = 1'; repeat 1000 0; echo; } >huge_number.plan

# Deep nesting.
{ echo "$header"; printf 'let x = '; repeat 10000 '('; printf 1; repeat 10000 ')'; echo; } \
    >nest_parens.plan
{ echo "$header"; printf 'let x = '; repeat 255 '('; printf 1; repeat 255 ')'; echo; } \
    >nest_parens_255.plan
{ echo "$header"; printf 'dimension org { '; repeat 9999 'm { '; repeat 10000 '} '; echo; } \
    >nest_braces.plan
{ echo "$header"; printf 'let x = '; repeat 100000 '- '; echo 1; } >unary_chain.plan
{ echo "$header"; printf 'let x = '; repeat 100000 'if 1 then '; printf 1; repeat 100000 ' else 0';
  echo; } >if_chain.plan

# Strings, bytes, line ends.
printf '%s\nlet x = "abc' "$header" >unterminated_eof.plan
printf '%s\nlet x = 1\0let y = 2\n' "$header" >nul_byte.plan
printf 'plan "crlf" {\r\n  year = 2027\r\n}\r\nmetric revenue "rev" money\r\ntarget revenue = 100\r\nsplit revenue by quarter equally\r\n' \
    >crlf_valid.plan
printf 'plan "crlf" {\r\n  year = 2027\r\n}\r\nlet x = 12x\r\n' >crlf_error.plan
printf '# a CRLF plan with comments\r\nplan "crlf" {   # the header\r\n  year = 2027\r\n}\r\n' >crlf_comments.plan
printf '\357\273\277plan "bom" { year = 2027 }\n' >bom_then_word.plan
{ echo "$header"; repeat 10000 'let x = 12x
'; } >many_errors.plan

# Imports.
{ echo "$header"; echo 'import "import_self.plan"'; } >import_self.plan
{ echo "$header"; echo 'import "../x.plan"'; } >import_parent.plan
{ echo "$header"; echo 'import "/etc/passwd"'; } >import_absolute.plan
ln -s ../x.plan link.plan
{ echo "$header"; echo 'import "link.plan"'; } >import_symlink.plan
{ echo "$header"; echo 'import "../../x.plan"'; } >import_env_escape.plan
{ echo "$header"; echo 'import "sub/d39.plan"'; } >import_chain.plan
{ echo "$header"; echo 'import "sub/d1.plan"'; } >import_deep.plan
i=1
while [ $i -le 40 ]; do
    echo "import \"d$((i + 1)).plan\"" >"sub/d$i.plan"
    i=$((i + 1))
done
echo 'let bottom = 1' >sub/d41.plan

# Data paths.
{ echo "$header"; echo 'history h = "/etc/passwd"'; } >history_absolute.plan
{ echo "$header"; echo 'history h = "../../etc/passwd"'; } >history_parent.plan
ln -s ../secret.csv link.csv
{ echo "$header"; echo 'history h = "link.csv"'; } >history_symlink.plan
{ echo "$header"; echo 'actuals "/etc/passwd"'; } >actuals_absolute.plan
{ echo "$header"; echo 'metric revenue money'; echo 'target revenue from "../secret.csv"'; } \
    >target_parent.plan
{ echo "$header"; echo 'dimension org levels region > rep from "../secret.csv"'; } \
    >dimension_parent.plan

# Holiday files (issue 13): outside the plan's directory, not a file, many bad rows.
echo 'plan "h" { year = 2027  holidays = "/etc/passwd" }' >holidays_absolute.plan
echo 'plan "h" { year = 2027  holidays = "../secret.csv" }' >holidays_parent.plan
echo 'plan "h" { year = 2027  holidays = "link.csv" }' >holidays_symlink.plan
mkdir holidays_dir.csv
echo 'plan "h" { year = 2027  holidays = "holidays_dir.csv" }' >holidays_directory.plan
{ echo date,name,workday; i=0; while [ $i -lt 2000 ]; do echo "2027-02-3$((i % 10)),x$i,perhaps"; i=$((i + 1)); done; } \
    >holidays_bad.csv
echo 'plan "h" { year = 2027  holidays = "holidays_bad.csv" }' >holidays_many_errors.plan
{ echo 'plan "h" { year = 2027 }'; echo 'metric v count'; echo 'target v = 100';
  echo 'split v by month equally'; repeat 500 'split v by week in oct { w1: 1, w2: rest, w9: 3 }
'; echo 'show v by day'; } >week_splits_many.plan

# 5000 scoped splits of one metric and level (12.5 million pairs): the ties
# are found through the scope members they share, not pair by pair, so the
# tie of the last split with the first is found, in well under the limit.
awk 'BEGIN { print "plan \"t\" { year = 2027 }"; printf "dimension org levels rep { ";
  for (i = 0; i < 5000; i++) printf "r%d ", i; print "}";
  print "metric v count"; print "target v = 100000"; print "split v by rep equally";
  print "split v by month equally";
  for (i = 0; i < 5000; i++) printf "split v by month in r%d weights { jan: %d }\n", i, i % 7 + 1;
  print "split v by month in r0, r1 weights { feb: 1 }" }' >split_ties_many.plan

# Files that cannot be read as plans.
mkdir directory.plan
truncate -s 65M too_big.plan 2>/dev/null || dd if=/dev/zero of=too_big.plan bs=1048576 count=65 2>/dev/null

# ---- the checks ------------------------------------------------------------

pass=0
fail=0
max_lines= # set just before a case to bound its stderr
diag_re='^[^ :][^:]*:[0-9][0-9]*:[0-9][0-9]*: error: '

# crashed FILE...: why the last run failed whatever was expected, or nothing.
crashed() {
    if [ $status -eq 124 ]; then
        echo "timed out after ${limit}s"
    elif [ $status -gt 128 ]; then
        echo "killed by signal $((status - 128))"
    elif grep -q -e 'runtime error:' -e 'AddressSanitizer' -e 'LeakSanitizer' -e 'Segmentation' \
        "$@"; then
        echo "sanitizer finding or crash"
    elif grep -q -e "$secret_marker" -e '^root:' -e ':root:' -e ':/bin/' "$@"; then
        echo "printed the contents of a file outside the plan's directory"
    fi
}

# report NAME WHAT: counts the last run and says what failed.
report() {
    if [ -z "$why" ]; then
        pass=$((pass + 1))
        if [ -n "$HOSTILE_VERBOSE" ]; then
            echo "ok: $1 ($2): exit status $status"
            head -c 2000 "$tmp/err" | head -n 4 | cut -c 1-160 | sed 's/^/    /'
        fi
        return
    fi
    fail=$((fail + 1))
    echo "FAIL: $1 ($2): $why; exit status $status"
    if [ -s "$tmp/err" ]; then
        echo "  stderr begins:"
        head -c 2000 "$tmp/err" | head -n 12 | cut -c 1-200 | sed 's/^/    /'
    fi
}

# hostile NAME EXPECT [VAR=VALUE...]: runs `BIN check NAME` with the
# environment additions and judges it; $max_lines, if set, bounds stderr.
hostile() {
    name=$1
    expect=$2
    shift 2
    env "$@" timeout "$limit" "$bin" check "$name" </dev/null >"$tmp/out" 2>"$tmp/err"
    status=$?
    why=$(crashed "$tmp/out" "$tmp/err")
    if [ -n "$why" ]; then
        :
    elif [ -n "$max_lines" ] && [ "$(wc -l <"$tmp/err")" -gt "$max_lines" ]; then
        why="more than $max_lines lines on stderr"
    else
        why=$(judge "$name" "$expect" "$status")
    fi
    max_lines=
    report "$name" "$expect"
}

# hostile_json NAME: `BIN check --format json NAME` exits 1 or 2 and prints
# one valid JSON document (UTF-8) on stdout.  Skipped without python3.
hostile_json() {
    command -v python3 >/dev/null 2>&1 || return 0
    timeout "$limit" "$bin" check --format json "$1" </dev/null >"$tmp/out" 2>"$tmp/err"
    status=$?
    why=$(crashed "$tmp/out" "$tmp/err")
    if [ -z "$why" ]; then
        if [ $status -ne 1 ] && [ $status -ne 2 ]; then
            why="expected exit status 1 or 2"
        elif ! python3 -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' \
            "$tmp/out" 2>"$tmp/json"; then
            why="stdout is not valid JSON: $(tail -n 1 "$tmp/json")"
        fi
    fi
    report "$1" "--format json"
}

# judge NAME EXPECT STATUS: prints what is wrong, or nothing.
judge() {
    has_diag=0
    grep -q "$diag_re" "$tmp/err" && has_diag=1
    case $2 in
    invalid)
        [ "$3" -eq 1 ] || [ "$3" -eq 2 ] || { echo "expected exit status 1 or 2"; return; }
        [ $has_diag -eq 1 ] || echo "no FILE:LINE:COL: error: diagnostic on stderr"
        ;;
    refused)
        [ "$3" -eq 2 ] || { echo "expected exit status 2"; return; }
        [ -s "$tmp/err" ] || echo "nothing on stderr"
        ;;
    valid)
        [ "$3" -eq 0 ] || { echo "expected exit status 0"; return; }
        grep -qx "$1: ok" "$tmp/out" || echo "no '$1: ok' on stdout"
        ! grep -q 'error' "$tmp/err" || echo "an error on stderr"
        ;;
    safe)
        [ "$3" -le 2 ] || { echo "exit status above 2"; return; }
        [ "$3" -eq 0 ] || [ $has_diag -eq 1 ] || echo "no FILE:LINE:COL: error: diagnostic on stderr"
        ;;
    esac
}

hostile empty.plan invalid
hostile bom_only.plan invalid
hostile garbage.plan invalid
hostile utf8_lone_ff.plan invalid
hostile utf8_overlong.plan invalid
hostile utf8_truncated_eof.plan invalid
hostile utf8_in_string.plan invalid
hostile utf8_in_comment.plan invalid
hostile utf8_in_path.plan invalid
hostile long_ident.plan invalid
hostile long_expr.plan safe
hostile long_line_error.plan invalid
hostile long_string.plan safe
hostile huge_number.plan invalid
hostile nest_parens.plan invalid
hostile nest_parens_255.plan valid
hostile nest_braces.plan invalid
hostile unary_chain.plan safe
hostile if_chain.plan safe
hostile unterminated_eof.plan invalid
hostile nul_byte.plan invalid
hostile crlf_valid.plan valid
hostile crlf_error.plan invalid
hostile crlf_comments.plan valid
hostile bom_then_word.plan valid
max_lines=150 # 20 errors per file, then a count
hostile many_errors.plan invalid
hostile import_self.plan invalid
hostile import_parent.plan invalid
hostile import_absolute.plan invalid
hostile import_symlink.plan invalid
hostile import_env_escape.plan invalid "SALESPLAN_PATH=$w/lib"
hostile import_chain.plan valid
hostile import_deep.plan invalid
hostile history_absolute.plan invalid
hostile history_parent.plan invalid
hostile history_symlink.plan invalid
hostile actuals_absolute.plan invalid
hostile target_parent.plan invalid
hostile dimension_parent.plan invalid
hostile holidays_absolute.plan invalid
hostile holidays_parent.plan invalid
hostile holidays_symlink.plan invalid
hostile holidays_directory.plan invalid
hostile holidays_many_errors.plan invalid
hostile week_splits_many.plan invalid
hostile split_ties_many.plan invalid
hostile no_such_file.plan refused
hostile directory.plan refused
hostile too_big.plan refused
hostile_json garbage.plan
hostile_json nul_byte.plan
hostile_json utf8_in_string.plan
hostile_json utf8_in_path.plan
hostile_json long_line_error.plan

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
