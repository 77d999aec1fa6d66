#!/bin/sh
# run2.sh -- hostile inputs through every command (issue 12): cycles, depth,
# exponential work, escape bytes, special files, huge numbers and CSVs, many
# levels, bad UTF-8, NUL bytes, BOMs, line ends, confusable and reserved
# names, with check, run, report, diff, fmt -w, -o and the REPL.
#
# usage: sh tests/hostile/run2.sh BIN         (make check-hostile)
#        HOSTILE_VERBOSE=1 sh tests/hostile/run2.sh BIN   also show what passed
#        sh tests/hostile/run2.sh BIN NAME...  only these cases
#
# Every case must
#   - end within $HOSTILE_LIMIT seconds (default 5) with exit status 0, 1 or 2,
#   - print no sanitizer report ("runtime error:", AddressSanitizer, ...),
#   - damage no file: every file of the scratch directory (type, mode, size,
#     modification time, inode, link target, and a checksum of the small ones)
#     is the same after the run, except the one file the case names as its
#     output (writes=FILE) when the run succeeds; no temporary file is left;
# and then meet its expectation:
#   ok       exit 0 and no "error:" on stderr
#   error    exit 1 and a FILE:LINE:COL: error: diagnostic on stderr
#   refused  exit 2 and a message on stderr
#   fails    exit 1 or 2 and a message (stderr, or stdout for the REPL)
#   safe     any of 0, 1, 2 (a limit may or may not apply), with a message
#            whenever the status is not 0
# Options of a case, before "--" (the arguments of BIN follow it):
#   in=FILE        standard input (default /dev/null)
#   stdout=FILE    standard output goes there instead of being captured
#   writes=FILE    the file a successful run may change (-o, fmt -w, :save)
#   type=FILE:T    afterwards FILE is still of type T (find -printf %y: f l p s c d)
#   perm=FILE:M    afterwards FILE has mode M (octal, as stat -c %a prints it)
#   owner=FILE:U   afterwards FILE belongs to uid U
#   umask=M        the umask of the run
#   has=TEXT       stdout contains TEXT
#   noesc          no ESC (0x1b) or BEL (0x07) byte in stdout or stderr
#   noformula      no CSV field of stdout starts with = + @, or - and not a digit
#   json           stdout is one valid JSON document (skipped without python3)
#   needs=WHAT     skipped, with the reason printed, when WHAT is missing:
#                  root (device nodes, ownership), python3 (sockets, JSON)
# The last line is "N passed, M failed, K skipped"; exit 1 if any failed.

LC_ALL=C
export LC_ALL
NO_COLOR=1
export NO_COLOR
unset SALESPLAN_PATH SALESPLAN_HISTORY

if [ $# -lt 1 ]; then
    echo "usage: sh tests/hostile/run2.sh BIN [NAME...]" >&2
    exit 2
fi
bin=$1
shift
only=" $* "
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
if [ ! -x "$bin" ]; then
    echo "hostile/run2.sh: '$bin' is not an executable" >&2
    exit 2
fi
limit=${HOSTILE_LIMIT:-5}
command -v timeout >/dev/null 2>&1 || { echo "hostile/run2.sh: needs timeout(1)" >&2; exit 2; }
have_python=0
command -v python3 >/dev/null 2>&1 && have_python=1
is_root=0
[ "$(id -u)" -eq 0 ] && is_root=1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostile2.XXXXXX") || exit 2
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT PIPE TERM
w=$tmp/w # the plans' directory; $tmp itself is "outside"
mkdir -p "$w/data" "$w/lib" "$w/big" "$tmp/home"
HOME=$tmp/home
export HOME
printf 'secret SECRET_MARKER_7f3b ;;\n' >"$tmp/secret.csv"
cd "$w" || exit 2

# ---- generators ------------------------------------------------------------

H='plan "h" { year = 2027 }'
# repeat N TEXT: TEXT N times, no newline.
repeat() {
    awk -v n="$1" -v s="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'
}
# plan NAME: the plan header and standard input into NAME.
plan() {
    { echo "$H"; cat; } >"$1"
}
# base NAME: a small valid plan (dimension r { a, b }, money metrics x, y) plus standard input.
base() {
    { echo "$H"; printf 'dimension r { a, b }\nmetric x money\nmetric y money\n';
      printf 'target x = 100\ntarget y = 100\n'; cat; } >"$1"
}
# roster NAME.plan CSV: a plan whose org dimension is read from CSV (region > rep).
roster() {
    { echo "$H"; echo "dimension org levels region > rep from \"$2\"";
      printf 'metric x money\ntarget x = 1000\nsplit x by rep equally\n'; } >"$1"
}
# actuals NAME.plan CSV: a plan with a review reading actuals from CSV.
actuals() {
    { echo "$H"; printf 'dimension org levels region > rep { north { zhang, li }, east { sun } }\n';
      printf 'metric revenue money\ntarget revenue = 1200\nsplit revenue by rep equally\n';
      printf 'split revenue by month equally\nactuals "%s"\n' "$2";
      printf 'review monthly { status revenue { green: 100%%, amber: 90%% } }\n'; } >"$1"
}

# A valid plan, a valid roster, a valid actuals file.
base ok.plan <<'EOF'
split x by r equally
split y by r equally
EOF
cp ok.plan own.plan # cases that may damage a file get their own
printf 'region,rep\nnorth,zhang\nnorth,li\neast,sun\n' >data/roster.csv
cp data/roster.csv data/own_roster.csv
printf 'month,rep,revenue\n2027-01,zhang,100\n2027-01,li,90\n2027-01,sun,80\n' >data/act.csv

# -- cycles
base like_cycle.plan <<'EOF'
split x by r like y
split y by r like x
EOF
base like_self.plan <<'EOF'
split x by r like x
EOF
base like_cycle3.plan <<'EOF'
metric z money
target z = 100
split x by r like y
split y by r like z
split z by r like x
EOF
{ echo "$H"; echo 'dimension r { a, b }';
  awk 'BEGIN { for (i = 1; i <= 500; i++) printf "metric m%d money\ntarget m%d = 10\nsplit m%d by r like m%d\n", i, i, i, i % 500 + 1 }'; } \
    >like_cycle500.plan
base like_half.plan <<'EOF'
split y by r like x
split x by r equally
EOF
base changed.plan <<'EOF'
split x by r { a: 60%, b: rest }
split y by r equally
EOF
printf 'split x by r like y\nx[a]\n:run\n' >like_cycle.in
cp like_cycle.plan like_cycle_fmt.plan
base weights_self.plan <<'EOF'
split x by r weights { a: x[b], b: 1 }
EOF
base weights_via_target.plan <<'EOF'
target y = x[a]
split x by r weights { a: y, b: 1 }
EOF
base weights_mutual.plan <<'EOF'
split x by r weights { a: y[b], b: 1 }
split y by r weights { a: x[a], b: 1 }
EOF
base weights_via_let.plan <<'EOF'
let w = x[a]
split x by r weights { a: w, b: 1 }
EOF
base target_self.plan <<'EOF'
target x = x[a] + 1
split x by r equally
EOF
base target_mutual.plan <<'EOF'
target x = y[a]
target y = x[b]
split x by r equally
split y by r equally
EOF
base derived_cycle.plan <<'EOF'
metric p = q + x
metric q = p * 2
split x by r equally
EOF
{ echo "$H"; echo 'metric x money'; echo 'target x = v1';
  awk 'BEGIN { for (i = 1; i <= 1000; i++) printf "let v%d = v%d + 1\n", i, i % 1000 + 1 }'; } \
    >let_cycle1000.plan
plan fn_self.plan <<'EOF'
metric x money
fn f(a) = f(a) + 1
target x = f(1)
EOF
printf 'import "c2.plan"\nlet c1 = 1\n' >lib/c1.plan
printf 'import "c3.plan"\nlet c2 = 1\n' >lib/c2.plan
printf 'import "c1.plan"\nlet c3 = 1\n' >lib/c3.plan
plan import_cycle3.plan <<'EOF'
import "lib/c1.plan"
metric x money
target x = 1
EOF
printf 'split y by r like x\n' >lib/like_y.plan
base import_like_cycle.plan <<'EOF'
import "lib/like_y.plan"
split x by r like y
EOF

# -- depth
chain_lets() { # N: let v1 = 1, v(i) = v(i-1) + 1, target x = vN
    { echo "$H"; printf 'dimension r { a, b }\nmetric x money\nsplit x by r equally\n';
      awk -v n="$1" 'BEGIN { print "let v1 = 1"; for (i = 2; i <= n; i++) printf "let v%d = v%d + 1\n", i, i - 1;
                              printf "target x = v%d\n", n }'; }
}
chain_lets 5000 >let_chain5000.plan
chain_lets 100000 >let_chain100000.plan
{ echo "$H"; printf 'dimension r { a, b }\nmetric d0 money\ntarget d0 = 100\nsplit d0 by r equally\n';
  awk 'BEGIN { for (i = 1; i <= 10000; i++) printf "metric d%d = d%d + d0\n", i, i - 1 }';
  echo 'show d10000 by r'; } >derived_chain10000.plan
{ echo "$H"; printf 'metric x money\nfn f0(a) = a\n';
  awk 'BEGIN { for (i = 1; i <= 5000; i++) printf "fn f%d(a) = f%d(a) + 1\n", i, i - 1 }';
  echo 'target x = f5000(1)'; } >fn_chain5000.plan
{ echo "$H"; printf 'metric x money\ntarget x = '; repeat 250 'abs('; printf 1; repeat 250 ')'; echo; } \
    >nest_calls250.plan
{ echo "$H"; printf 'metric x money\ntarget x = '; repeat 250 '('; printf 1; repeat 250 ')'; echo; } \
    >nest_parens250.plan
{ echo "$H"; printf 'metric x money\ntarget x = '; repeat 20000 '('; printf 1; repeat 20000 ')'; echo; } \
    >nest_parens20000.plan
base nest_index.plan <<EOF
target y = x$(repeat 20000 '[')a$(repeat 20000 ']')
EOF
{ echo "$H"; printf 'metric x money\ntarget x = '; repeat 20000 'if 1 > 0 then '; printf 1;
  repeat 20000 ' else 0'; echo; } >nest_if20000.plan
{ echo "$H"; printf 'dimension org levels l0'; awk 'BEGIN { for (i = 1; i <= 200; i++) printf " > l%d", i }';
  printf ' { '; awk 'BEGIN { for (i = 1; i <= 200; i++) printf "m%d { ", i }'; printf 'leaf'; repeat 201 ' }'; echo;
  printf 'metric x money\ntarget x = 100\nsplit x by l200 equally\nshow x by l100\n'; } >tree200.plan
{ echo "$H"; printf 'metric x money\ntarget x = '; repeat 200000 '- '; echo 1; } >unary200000.plan
printf 'v5000\nlet w = v5000 * 2\nw\n' >let_chain.in

# -- exponential work
{ echo "$H"; printf 'dimension r { a, b }\nmetric x money\nsplit x by r equally\nfn f0(a) = a + 1\n';
  awk 'BEGIN { for (i = 1; i <= 60; i++) printf "fn f%d(a) = f%d(a) + f%d(a)\n", i, i - 1, i - 1 }';
  echo 'target x = f60(1) / f59(1)'; } >fn_doubling60.plan
{ echo "$H"; printf 'metric x money\nfn f0(a) = a + 1\n';
  awk 'BEGIN { for (i = 1; i <= 30; i++) printf "fn f%d(a) = f%d(a) + f%d(a) + f%d(a)\n", i, i - 1, i - 1, i - 1 }';
  echo 'target x = f30(1) / f29(1)'; } >fn_tripling30.plan
{ echo "$H"; printf 'dimension r { a, b }\nmetric d0 money\ntarget d0 = 100\nsplit d0 by r equally\n';
  awk 'BEGIN { for (i = 1; i <= 60; i++) printf "metric d%d = d%d + d%d\n", i, i - 1, i - 1 }';
  echo 'show d60 by r'; } >derived_doubling60.plan
{ echo "$H"; printf 'metric x money\nlet a0 = 1\n';
  awk 'BEGIN { for (i = 1; i <= 60; i++) printf "let a%d = a%d + a%d\n", i, i - 1, i - 1 }';
  echo 'target x = a60 / a59'; } >let_doubling60.plan
{ echo "$H"; printf 'dimension r { a, b }\nmetric x money\ntarget x = 100\nfn f0(a) = a + 1\n';
  awk 'BEGIN { for (i = 1; i <= 60; i++) printf "fn f%d(a) = f%d(a) + f%d(a)\n", i, i - 1, i - 1 }';
  echo 'split x by r weights { a: f60(1), b: f59(1) }'; } >weights_doubling60.plan
{ echo 'fn g0(a) = a + 1';
  awk 'BEGIN { for (i = 1; i <= 60; i++) printf "fn g%d(a) = g%d(a) + g%d(a)\n", i, i - 1, i - 1 }';
  echo 'g60(1)'; } >fn_doubling.in
{ echo '('; repeat 40000 '1 +
'; echo '1)'; echo 'x[a]'; } >unclosed40000.in
# one REPL entry of 40,000 statements on one line (760 KB): each is keyed and found in the line
# once, not by a walk from the line's start or through every statement before it
awk 'BEGIN { for (i = 1; i <= 40000; i++) printf "let e%d = %d ", i, i; print ""; print "e40000" }' \
    >entry40000.in
awk 'BEGIN { for (i = 1; i <= 40000; i++) printf "target x = %d ", i; print ""; print "x" }' \
    >entry_same40000.in

# -- escape bytes
esc=$(printf '\033]0;PWNED\007\033[2J')
printf 'region,rep\nnorth,%s\nnorth,li\n' "$esc" >data/esc_roster.csv
roster esc_roster.plan data/esc_roster.csv
printf 'month,rep,revenue\n2027-01,%s,100\n2027-01,li,abc%s\n' "$esc" "$esc" >data/esc_act.csv
actuals esc_actuals.plan data/esc_act.csv
printf 'month,%s\n2026-01,5\n' "$esc" >data/esc_hist.csv
printf 'month,rep,revenue\n2027-01,zhang,100\n2027-01,li,80\n' >data/notes_act.csv
printf 'member,period,metric,text\nzhang,2027-01,revenue,"%s"\nli,2027-01,revenue,ok\n' "$esc" >data/esc_notes.csv
printf 'member,period,metric,text\n%s,2027-01,revenue,x\nli,%s,revenue,x\nli,2027-01,%s,x\n' "$esc" "$esc" "$esc" >data/esc_notes_names.csv
for f in esc_notes esc_notes_names; do
    { echo "$H"; printf 'dimension org levels rep { zhang, li }
metric revenue money
target revenue = 1200
';
      printf 'split revenue by rep equally
split revenue by month equally
actuals "data/notes_act.csv"
';
      printf 'review monthly { status revenue  flag deviation 10%%  notes "data/%s.csv" }
' "$f"; } >$f.plan
done
plan esc_history.plan <<'EOF'
history h = "data/esc_hist.csv"
metric x money
target x = 1200
split x by month seasonality h
EOF
{ echo "$H"; printf 'metric x "%s" money\ntarget x = 1\n' "$esc"; } >esc_label.plan
{ echo "$H"; printf '# %s\nmetric x money\ntarget x = 1\n' "$esc"; } >esc_comment.plan
{ echo "$H"; printf 'metric x%s money\n' "$esc"; } >esc_ident.plan
printf 'region,rep\nnorth,"=HYPERLINK(""http://x"";""y"")"\nnorth,+cmd|x\neast,@SUM(1+1)\neast,-x\n' \
    >data/formula.csv
printf 'region,rep\n=1+1,zhang\n@x,li\n-y,sun\n' >data/formula_region.csv
roster formula_roster.plan data/formula.csv
roster formula_region.plan data/formula_region.csv
base negative.plan <<'EOF'
split x by r { a: 0 - 50, b: rest }
EOF

# -- special files
mkfifo fifo.plan data/fifo.csv lib/fifo.plan 2>/dev/null
plan fifo_import.plan <<'EOF'
import "lib/fifo.plan"
EOF
roster fifo_roster.plan data/fifo.csv
actuals fifo_actuals.plan data/fifo.csv
plan fifo_history.plan <<'EOF'
history h = "data/fifo.csv"
metric x money
target x = 1200
split x by month seasonality h
EOF
plan fifo_target.plan <<'EOF'
dimension r { a, b }
metric x money
target x from "data/fifo.csv"
EOF
mkdir -p lib/dir.plan data/dir.csv
plan dir_import.plan <<'EOF'
import "lib/dir.plan"
EOF
roster dir_roster.plan data/dir.csv
actuals dir_actuals.plan data/dir.csv
plan dir_history.plan <<'EOF'
history h = "data/dir.csv"
metric x money
target x = 1200
split x by month seasonality h
EOF
ln -s ../../secret.csv data/out_link.csv
roster symlink_out_roster.plan data/out_link.csv
ln -s loop_b.plan lib/loop_a.plan
ln -s loop_a.plan lib/loop_b.plan
plan symlink_loop_import.plan <<'EOF'
import "lib/loop_a.plan"
EOF
ln -s loop_d.csv data/loop_c.csv
ln -s loop_c.csv data/loop_d.csv
roster symlink_loop_roster.plan data/loop_c.csv
ln -s /dev/zero data/zero.csv
actuals symlink_zero.plan data/zero.csv
actuals act_ok.plan data/act.csv
actuals dev_zero.plan /dev/zero
actuals dev_urandom.plan /dev/urandom
if [ $have_python -eq 1 ]; then
    python3 -c 'import socket, sys
for p in sys.argv[1:]:
    socket.socket(socket.AF_UNIX).bind(p)' data/sock.csv lib/sock.plan
fi
roster socket_roster.plan data/sock.csv
plan socket_import.plan <<'EOF'
import "lib/sock.plan"
EOF
have_mknod=0
if [ $is_root -eq 1 ] && mknod data/dev.csv c 1 3 2>/dev/null; then
    have_mknod=1
    mknod out.dev c 1 3
    mknod fmt.dev c 1 3
    mknod save.dev c 1 3
fi
roster devnode_roster.plan data/dev.csv
mkfifo out.fifo save.fifo
mkdir outdir
plan imp.plan <<'EOF'
import "lib/part.plan"
metric x money
target x = 1
EOF
echo 'let part = 1' >lib/part.plan
roster roster_ok.plan data/roster.csv
roster own_roster.plan data/own_roster.csv
echo 'previous output' >keep.txt
echo 'previous output' >mode600.txt
chmod 600 mode600.txt
echo 'previous output' >out_link_target.txt
ln -s out_link_target.txt out_link.txt
printf '%s\nmetric   x money\ntarget x=1\n' "$H" >messy.plan
chmod 640 messy.plan
printf '%s\nmetric x money\ntarget x = 1 +\n' "$H" >broken.plan
printf '%s\nmetric   x money\ntarget x=1\n' "$H" >fmt_real.plan
ln -s fmt_real.plan fmt_link.plan
printf '%s\nmetric   x money\ntarget x=1\n' "$H" >readonly.plan
chmod 444 readonly.plan
[ $is_root -eq 1 ] && chown 65534 readonly.plan
printf 'plan "crlf" {\r\n  year = 2027\r\n}\r\nmetric   x money\r\ntarget x=1\r\n' >crlf_fmt.plan
echo 'previous' >save_real.plan
ln -s save_real.plan save_link.plan
echo 'previous' >save600.plan
chmod 600 save600.plan
printf ':save! save_link.plan\n' >save_link.in
printf ':save! save600.plan\n' >save600.in
printf ':save! save.dev\n' >save_dev.in
printf ':save! save.fifo\n' >save_fifo.in
printf ':save save600.plan\n:save save_link.plan\n:save ok.plan\n' >save_exists.in

# -- huge numbers
base huge_target.plan <<'EOF'
target x = 99999999999999999999999999999999999
split x by r equally
EOF
base huge_product.plan <<'EOF'
let v = 999999999999 * 999999999999 * 999999999999 * 999999999999
target y = v
split x by r equally
EOF
base tiny_share.plan <<'EOF'
split x by r { a: 0.000000000000001%, b: rest }
EOF
base huge_percent.plan <<'EOF'
split x by r { a: 100000000000000000000%, b: rest }
EOF
{ echo 'plan "h" { year = 2027  round = 0.01 }'; printf 'dimension r { a, b, c }\nmetric x money\n';
  printf 'target x = 9_999_999_999_999_999.99\nsplit x by r equally\nsplit x by month equally\n'; } \
    >round_top.plan
{ echo 'plan "h" { year = 2027  round = 1000000000000000000000000 }'; printf 'metric x money\ntarget x = 7\n'; } \
    >huge_step.plan
base div_tiny.plan <<'EOF'
target y = 1 / 0.0000000000000000000001
split x by r equally
EOF
printf 'month,rep,revenue\n2027-01,zhang,99999999999999999999999999999999999\n2027-01,li,1e400\n2027-01,sun,-0\n' \
    >data/huge_act.csv
actuals huge_actuals.plan data/huge_act.csv
printf 'month,rep,revenue\n2027-01,zhang,0x10\n2027-01,li,"1,000"\n2027-01,sun,1e5\n' >data/odd_act.csv
actuals odd_actuals.plan data/odd_act.csv

# -- huge CSVs
{ printf 'region,rep\nnorth,'; repeat 2097152 r; printf '\nnorth,li\n'; } >big/long_field.csv
roster csv_long_field.plan big/long_field.csv
{ printf 'region,rep\n'; repeat 1048576 'ab,cd,ef,gh,'; } >big/long_line.csv
roster csv_long_line.plan big/long_line.csv
{ printf 'month,rep,revenue'; awk 'BEGIN { for (i = 0; i < 100000; i++) printf ",c%d", i }'; echo; } \
    >big/wide.csv
actuals csv_wide.plan big/wide.csv
{ printf 'region,rep\nnorth,"'; repeat 1048576 'x'; } >big/open_quote.csv
roster csv_open_quote.plan big/open_quote.csv
awk 'BEGIN { print "region,rep"; for (i = 0; i < 20000; i++) printf "r%d,rep%d\n", i % 50, i }' >big/many_rows.csv
roster csv_many_rows.plan big/many_rows.csv
awk 'BEGIN { print "region,rep"; for (i = 0; i < 10000; i++) print "north,zhang" }' >data/dup_rows.csv
roster csv_dup_rows.plan data/dup_rows.csv
: >data/empty.csv
roster csv_empty.plan data/empty.csv
printf 'region,rep\n' >data/header_only.csv
roster csv_header_only.plan data/header_only.csv
repeat 100000 '
' >data/newlines.csv
roster csv_newlines.plan data/newlines.csv

# -- many levels
levels_csv() { # N: a roster with N level columns l1..lN, two rows
    awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) printf "%sl%d", (i > 1 ? "," : ""), i; print "";
                           for (r = 0; r < 2; r++) { for (i = 1; i <= n; i++) printf "%sm%d_%d", (i > 1 ? "," : ""), i, r; print "" } }'
}
levels_plan() { # N CSV
    { echo "$H"; printf 'dimension org levels l1';
      awk -v n="$1" 'BEGIN { for (i = 2; i <= n; i++) printf " > l%d", i }';
      echo " from \"$2\""; printf 'metric x money\ntarget x = 100\nsplit x by l%d equally\n' "$1"; }
}
levels_csv 65 >data/levels65.csv
levels_plan 65 data/levels65.csv >levels65.plan
awk 'BEGIN { for (i = 1; i <= 65; i++) printf "l%d,", i; print "x";
             for (r = 0; r < 2; r++) { for (i = 1; i <= 65; i++) printf "m%d_%d,", i, r; print "10" } }' \
    >data/levels65_target.csv
{ levels_plan 65 data/levels65.csv; echo 'metric z money'; echo 'target z from "data/levels65_target.csv"'; } \
    >levels65_target.plan
awk 'BEGIN { printf "month,"; for (i = 1; i <= 65; i++) printf "l%d,", i; print "sales";
             for (mo = 1; mo <= 12; mo++) for (r = 0; r < 2; r++) {
                 printf "2026-%02d,", mo; for (i = 1; i <= 65; i++) printf "m%d_%d,", i, r; print mo } }' \
    >data/levels65_history.csv
{ levels_plan 65 data/levels65.csv; echo 'history h = "data/levels65_history.csv"';
  echo 'split x by month seasonality h'; } >levels65_history.plan
levels_csv 300 >data/levels300.csv
levels_plan 300 data/levels300.csv >levels300.plan
printf 'region,rep' >data/extra_levels.csv
awk 'BEGIN { for (i = 1; i <= 100; i++) printf ",a%d", i; print ""; printf "north,zhang";
             for (i = 1; i <= 100; i++) printf ",%d", i; print "" }' >>data/extra_levels.csv
roster extra_columns.plan data/extra_levels.csv

# -- invalid UTF-8, NUL bytes, BOMs, line ends in data and entries
printf 'region,rep\nnorth,zh\377ang\nnorth,li\n' >data/bad_utf8.csv
roster csv_bad_utf8.plan data/bad_utf8.csv
printf 'region,r\300\257p\nnorth,zhang\n' >data/bad_utf8_header.csv
roster csv_bad_utf8_header.plan data/bad_utf8_header.csv
printf 'region,rep\nnorth,\355\240\200x\n' >data/surrogate.csv
roster csv_surrogate.plan data/surrogate.csv
printf 'region,rep\nnorth,zh\000ang\nnorth,li\n' >data/nul.csv
roster csv_nul.plan data/nul.csv
printf 're\000gion,rep\nnorth,zhang\n' >data/nul_header.csv
roster csv_nul_header.plan data/nul_header.csv
head -c 65536 /dev/zero >data/all_nul.csv
roster csv_all_nul.plan data/all_nul.csv
printf '\357\273\277region,rep\nnorth,zhang\nnorth,li\n' >data/bom.csv
roster csv_bom.plan data/bom.csv
printf '\357\273\277\357\273\277region,rep\nnorth,zhang\n' >data/bom2.csv
roster csv_double_bom.plan data/bom2.csv
printf 'region,rep\r\nnorth,zhang\r\nnorth,li\r\n' >data/crlf.csv
roster csv_crlf.plan data/crlf.csv
printf 'region,rep\rnorth,zhang\rnorth,li\r' >data/cr.csv
roster csv_cr_only.plan data/cr.csv
printf 'region,rep\r\nnorth,zhang\nnorth,li\r\r\neast,sun' >data/mixed.csv
roster csv_mixed_ends.plan data/mixed.csv
printf 'x[a\377]\nlet q\300\257 = 1\n"\355\240\200"\n' >bad_utf8.in
printf 'x[a]\nlet q = 1\000 + 2\nq\n\000\n:run\n' >nul.in
printf '\357\273\277x[a]\n\357\273\277:run\n' >bom.in
printf 'x[a]\r\nlet q = (1 +\r\n 2)\r\nq\r\n' >crlf.in
{ echo "$H"; printf 'metric x money\ntarget x = 1\n\357\273\277let q = 1\n'; } >bom_middle.plan
printf '\377\376p\000l\000a\000n\000' >utf16.plan
printf '\357\273\277let part2 = 1\n' >lib/bom_part.plan
plan import_bom.plan <<'EOF'
import "lib/bom_part.plan"
metric x money
target x = part2
EOF
printf 'plan "h" {\r  year = 2027\r}\rmetric x money\rtarget x = 1\r' >bare_cr.plan
{ echo "$H"; printf 'metric x\355\240\200 money\n'; } >surrogate_name.plan

# -- confusable and reserved names
# names: each NAME of the list becomes a member next to b (\320\260: Cyrillic a,
# \342\200\213: zero-width space, \302\240: no-break space)
member_plan() { # FILE MEMBER...
    f=$1
    shift
    { echo "$H"; printf 'dimension r { '; printf '%s, ' "$@"; printf 'zz }\nmetric x money\n';
      printf 'target x = 100\nsplit x by r equally\n'; } >"$f"
}
member_plan cyrillic_a.plan a "$(printf '\320\260')"
member_plan mixed_script.plan "$(printf 'p\320\260ypal')" other
member_plan zero_width.plan a "$(printf 'a\342\200\213b')"
member_plan nbsp.plan a "$(printf 'a\302\240b')"
{ echo "$H"; printf 'metric x money # \342\200\256 reversed\ntarget x = 1\n'; } >bidi_comment.plan
{ echo "$H"; printf 'dimension r { a\342\200\256b, c }\nmetric x money\ntarget x = 1\nsplit x by r equally\n'; } \
    >bidi_name.plan
{ echo "$H"; printf 'dimension r { caf\303\251, cafe\314\201 }\nmetric x money\ntarget x = 1\nsplit x by r equally\n'; } \
    >nfc_twice.plan
{ echo "$H"; printf 'dimension r { caf\303\251, b }\nmetric x money\ntarget x = 100\n';
  printf 'split x by r { cafe\314\201: 40%%, b: rest }\n'; } >nfc_refer.plan
printf 'region,rep\nnorth,a\nnorth,\320\260\n' >data/confusable.csv
roster csv_confusable.plan data/confusable.csv
printf 'region,rep\nnorth,a\342\200\213b\nnorth,li\n' >data/zero_width.csv
roster csv_zero_width.plan data/zero_width.csv
plan cyrillic_only.plan <<'EOF'
dimension r { север, восток }
metric выручка money
target выручка = 100
split выручка by r equally
EOF
plan cjk_names.plan <<'EOF'
dimension r { 华北, 华东 }
metric 销售额 money
target 销售额 = 100
split 销售额 by r equally
EOF
for name in total Q1 H2 FY2027; do
    member_plan reserved_$name.plan "$name" b
done
printf 'region,rep\nnorth,total\nnorth,li\n' >data/reserved.csv
roster csv_reserved.plan data/reserved.csv

# ---- the checks ------------------------------------------------------------

pass=0
fail=0
skip=0
diag_re='^[^ :][^:]*:[0-9][0-9]*:[0-9][0-9]*: error: '

# snapshot FILE: every file of the scratch directory, one line each, into FILE.
snapshot() {
    { find . -type d -printf '%p %y %m %U\n'; find . ! -type d -printf '%p %y %m %U %s %T@ %i %l\n'; } |
        sort >"$1"
    find . -type f -size -1024k -exec cksum {} + | sort >>"$1"
}

# checks run after a case: what is wrong, or nothing.
verdict() {
    if [ $status -eq 124 ] || [ $status -eq 137 ]; then
        echo "did not end within ${limit}s"
        return
    fi
    [ $status -gt 2 ] && { echo "exit status $status (a crash or signal above 128)"; return; }
    if grep -q -e 'runtime error:' -e 'AddressSanitizer' -e 'LeakSanitizer' -e 'Segmentation' \
        "$tmp/out" "$tmp/err"; then
        echo "sanitizer report"
        return
    fi
    if grep -q SECRET_MARKER_7f3b "$tmp/out" "$tmp/err"; then
        echo "printed a file outside the plan's directory"
        return
    fi
    snap_after=$tmp/snap.after
    snapshot "$snap_after"
    if [ $status -eq 0 ] && [ -n "$writes" ]; then
        grep -v -e "^\./$writes " -e " \./$writes\$" "$tmp/snap.before" >"$tmp/snap.b"
        grep -v -e "^\./$writes " -e " \./$writes\$" "$snap_after" >"$tmp/snap.a"
    else
        cp "$tmp/snap.before" "$tmp/snap.b"
        cp "$snap_after" "$tmp/snap.a"
    fi
    if ! cmp -s "$tmp/snap.b" "$tmp/snap.a"; then
        echo "files changed: $(diff "$tmp/snap.b" "$tmp/snap.a" | grep '^[<>]' | head -n 4 | tr '\n' ' ')"
        return
    fi
    has_diag=0
    grep -q "$diag_re" "$tmp/err" && has_diag=1
    has_msg=0
    { [ -s "$tmp/err" ] || [ -s "$tmp/out" ]; } && has_msg=1
    case $expect in
    ok) [ $status -eq 0 ] || { echo "expected exit status 0"; return; }
        ! grep -q 'error:' "$tmp/err" || { echo "an error on stderr"; return; } ;;
    error) [ $status -eq 1 ] || { echo "expected exit status 1"; return; }
        [ $has_diag -eq 1 ] || { echo "no FILE:LINE:COL: error: diagnostic"; return; } ;;
    refused) [ $status -eq 2 ] || { echo "expected exit status 2"; return; }
        [ -s "$tmp/err" ] || { echo "nothing on stderr"; return; } ;;
    fails) [ $status -eq 1 ] || [ $status -eq 2 ] || { echo "expected exit status 1 or 2"; return; }
        [ $has_msg -eq 1 ] || { echo "no message"; return; } ;;
    safe) [ $status -eq 0 ] || [ $has_msg -eq 1 ] || { echo "no message"; return; } ;;
    *) echo "unknown expectation '$expect'"; return ;;
    esac
    for c in $props; do
        prop_check "$c"
    done | head -n 1
}

# prop_check PROPERTY: what is wrong with one option of the case, or nothing.
prop_check() {
    case $1 in
    type=*) f=${1#type=}; t=${f##*:}; f=${f%:*}
        got=$(find "./$f" -maxdepth 0 -printf '%y' 2>/dev/null)
        [ "$got" = "$t" ] || echo "$f is of type '${got:-missing}', not '$t'" ;;
    perm=*) f=${1#perm=}; m=${f##*:}; f=${f%:*}
        got=$(stat -c %a "$f" 2>/dev/null)
        [ "$got" = "$m" ] || echo "$f has mode '${got:-missing}', not $m" ;;
    owner=*) f=${1#owner=}; u=${f##*:}; f=${f%:*}
        got=$(stat -c %u "$f" 2>/dev/null)
        [ "$got" = "$u" ] || echo "$f belongs to uid '${got:-missing}', not $u" ;;
    has=*) grep -qF -e "${1#has=}" "$tmp/out" || echo "stdout lacks '${1#has=}'" ;;
    noesc) if LC_ALL=C grep -q "$(printf '[\033\007]')" "$tmp/out" "$tmp/err"; then
               echo "a raw ESC or BEL byte reached the output"
           fi ;;
    noformula) if LC_ALL=C grep -q -E '(^|,)"?([=+@]|-[^0-9.])' "$tmp/out"; then
                   echo "a CSV text field starts with a formula prefix: $(grep -m1 -E '(^|,)"?([=+@]|-[^0-9.])' "$tmp/out" | cut -c 1-80)"
               fi ;;
    json) [ $have_python -eq 0 ] ||
          python3 -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$tmp/out" \
              2>/dev/null || echo "stdout is not one valid JSON document" ;;
    esac
}

# c NAME EXPECT [OPTION...] -- ARG...: runs BIN ARG... from the plans' directory; see the top.
c() {
    name=$1 expect=$2
    shift 2
    case $only in "  ") ;; *" $name "*) ;; *) return ;; esac
    input=/dev/null stdout= writes= props= mask= needs=
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        case $1 in
        in=*) input=${1#in=} ;;
        stdout=*) stdout=${1#stdout=} ;;
        writes=*) writes=${1#writes=} ;;
        umask=*) mask=${1#umask=} ;;
        needs=*) needs=${1#needs=} ;;
        *) props="$props $1" ;;
        esac
        shift
    done
    shift
    case $needs in
    root) [ $is_root -eq 1 ] && [ $have_mknod -eq 1 ] ||
              { skip=$((skip + 1)); echo "skip: $name (needs root: device nodes and ownership)"; return; } ;;
    python3) [ $have_python -eq 1 ] ||
                 { skip=$((skip + 1)); echo "skip: $name (needs python3 to make a socket)"; return; } ;;
    esac
    snapshot "$tmp/snap.before"
    (
        [ -n "$mask" ] && umask "$mask"
        if [ -n "$stdout" ]; then
            timeout -k 1 "$limit" "$bin" "$@" <"$input" >"$stdout" 2>"$tmp/err"
        else
            timeout -k 1 "$limit" "$bin" "$@" <"$input" >"$tmp/out" 2>"$tmp/err"
        fi
    )
    status=$?
    [ -n "$stdout" ] && : >"$tmp/out"
    why=$(verdict)
    if [ -z "$why" ]; then
        pass=$((pass + 1))
        [ -n "$HOSTILE_VERBOSE" ] && echo "ok: $name ($expect): exit status $status"
    else
        fail=$((fail + 1))
        echo "FAIL: $name ($expect): $why; exit status $status"
        { head -c 1500 "$tmp/err"; head -c 500 "$tmp/out"; } | head -n 6 | cut -c 1-160 |
            LC_ALL=C tr -d '\033\007' | sed 's/^/    /'
    fi
}

# ---- the cases ---------------------------------------------------------------
# name                   expect   options                      -- arguments of salesplan

# cycles: like, weights, cell references, derived metrics, lets, functions, imports
c like_cycle_check       error                                 -- check like_cycle.plan
c like_cycle_run         error                                 -- run like_cycle.plan
c like_cycle_diff        error                                 -- diff ok.plan like_cycle.plan
c like_cycle_fmt_w       ok       writes=like_cycle_fmt.plan      -- fmt -w like_cycle_fmt.plan
c like_self              error                                 -- check like_self.plan
c like_cycle3            error                                 -- run like_cycle3.plan
c like_cycle500          error                                 -- check like_cycle500.plan
c like_cycle_repl        fails    in=like_cycle.in has=50      -- repl like_half.plan
c import_like_cycle      error                                 -- run import_like_cycle.plan
c weights_self_cell      error                                 -- check weights_self.plan
c weights_self_cell_run  error                                 -- run weights_self.plan
c weights_via_target     error                                 -- run weights_via_target.plan
c weights_mutual         error                                 -- check weights_mutual.plan
c weights_via_let        error                                 -- run weights_via_let.plan
c target_self_cell       error                                 -- run target_self.plan
c target_mutual          error                                 -- check target_mutual.plan
c derived_cycle_run      error                                 -- run derived_cycle.plan
c let_cycle1000          error                                 -- check let_cycle1000.plan
c fn_self_recursion      error                                 -- run fn_self.plan
c import_cycle3          error                                 -- run import_cycle3.plan

# depth: lets, derived metrics, functions, brackets, trees
c let_chain5000_check    safe                                  -- check let_chain5000.plan
c let_chain5000_run      safe                                  -- run let_chain5000.plan
c let_chain5000_repl     safe     in=let_chain.in              -- repl let_chain5000.plan
c let_chain100000        safe                                  -- check let_chain100000.plan
c derived_chain10000     safe                                  -- check derived_chain10000.plan
c derived_chain10000_run safe                                  -- run derived_chain10000.plan
c fn_chain5000           safe                                  -- run fn_chain5000.plan
c nest_calls250          ok                                    -- run nest_calls250.plan
c nest_parens250         ok                                    -- run nest_parens250.plan
c nest_parens20000       error                                 -- run nest_parens20000.plan
c nest_index20000        error                                 -- check nest_index.plan
c nest_if20000           safe                                  -- run nest_if20000.plan
c tree200                safe                                  -- run tree200.plan
c unary200000            safe                                  -- run unary200000.plan
c nest_parens20000_fmt   fails                                 -- fmt -w nest_parens20000.plan
c nest_diff              safe                                  -- diff let_chain5000.plan fn_chain5000.plan

# exponential work: must be cached or stopped by a budget
c fn_doubling60_check    safe                                  -- check fn_doubling60.plan
c fn_doubling60_run      safe                                  -- run fn_doubling60.plan
c fn_tripling30          safe                                  -- run fn_tripling30.plan
c derived_doubling60     safe                                  -- check derived_doubling60.plan
c derived_doubling60_run safe                                  -- run derived_doubling60.plan --format csv
c let_doubling60         safe                                  -- run let_doubling60.plan
c weights_doubling60     safe                                  -- run weights_doubling60.plan
c fn_doubling_repl       safe     in=fn_doubling.in            -- repl ok.plan
c repl_unclosed40000     safe     in=unclosed40000.in          -- repl ok.plan
c repl_entry40000        ok       in=entry40000.in has=40,000  -- repl ok.plan
c repl_entry_same40000   fails    in=entry_same40000.in has=twice -- repl ok.plan

# escape bytes in plans and CSVs: never raw on a terminal or in a CI log
c esc_roster_run         safe     noesc                        -- run esc_roster.plan
c esc_roster_csv         safe     noesc                        -- run esc_roster.plan --format csv
c esc_roster_md          safe     noesc                        -- run esc_roster.plan --format md
c esc_roster_html        safe     noesc                        -- run esc_roster.plan --format html
c esc_roster_report      safe     noesc                        -- report esc_roster.plan
c esc_actuals_check      fails    noesc                        -- check esc_actuals.plan
c esc_actuals_github     fails    noesc                        -- check --format github esc_actuals.plan
c esc_actuals_json       fails    noesc json                   -- check --format json esc_actuals.plan
c esc_actuals_run        fails    noesc                        -- run esc_actuals.plan
c esc_history            safe     noesc                        -- check esc_history.plan
c esc_notes_run          safe     noesc                        -- run esc_notes.plan --show "review monthly"
c esc_notes_csv          safe     noesc                        -- run esc_notes.plan --show "review monthly" --format csv
c esc_notes_json         safe     noesc                        -- run esc_notes.plan --show "review monthly" --format json
c esc_notes_check        safe     noesc                        -- check --strict esc_notes.plan
c esc_notes_names        error    noesc                        -- check esc_notes_names.plan
c esc_notes_names_gh     fails    noesc                        -- check --format github esc_notes_names.plan
c esc_label              safe     noesc                        -- run esc_label.plan
c esc_comment            safe     noesc                        -- check esc_comment.plan
c esc_ident              fails    noesc                        -- check esc_ident.plan
c esc_ident_github       fails    noesc                        -- check --format github esc_ident.plan
c formula_roster_csv     safe     noformula                    -- run formula_roster.plan --format csv
c formula_region_csv     safe     noformula                    -- run formula_region.plan --format csv --show "x by region"
c negative_kept_csv      safe     has=-50                      -- run negative.plan --format csv

# special files: FIFOs, devices, directories, symlinks out and in loops, sockets
c fifo_import            fails                                 -- check fifo_import.plan
c fifo_roster            fails                                 -- check fifo_roster.plan
c fifo_actuals           fails                                 -- run fifo_actuals.plan
c fifo_history           fails                                 -- check fifo_history.plan
c fifo_target_from       fails                                 -- check fifo_target.plan
c fifo_actuals_option    fails                                 -- run ok.plan --actuals data/fifo.csv
c dir_import             fails                                 -- check dir_import.plan
c dir_roster             fails                                 -- run dir_roster.plan
c dir_actuals            fails                                 -- check dir_actuals.plan
c dir_history            fails                                 -- check dir_history.plan
c dir_as_plan_diff       fails                                 -- diff outdir ok.plan
c symlink_out_roster     fails                                 -- run symlink_out_roster.plan
c symlink_loop_import    fails                                 -- check symlink_loop_import.plan
c symlink_loop_roster    fails                                 -- check symlink_loop_roster.plan
c symlink_dev_zero       fails                                 -- check symlink_zero.plan
c dev_zero_allowed       fails                                 -- check --allow-path /dev dev_zero.plan
c dev_urandom_allowed    fails                                 -- check --allow-path /dev dev_urandom.plan
c dev_zero_option        fails                                 -- run act_ok.plan --actuals /dev/zero
c dev_urandom_option     fails                                 -- run act_ok.plan --actuals /dev/urandom
c actuals_ok             ok                                    -- run act_ok.plan
c socket_roster          fails    needs=python3                -- check socket_roster.plan
c socket_import          fails    needs=python3                -- check socket_import.plan
c devnode_roster         fails    needs=root                   -- check devnode_roster.plan

# -o, stdout and fmt -w: refused targets, modes, no damage
c o_devnode              refused  needs=root type=out.dev:c    -- run ok.plan -o out.dev
c o_fifo                 refused  type=out.fifo:p              -- run ok.plan -o out.fifo
c o_plan_itself          refused                               -- run own.plan -o own.plan
c o_imported_file        refused                               -- run imp.plan -o lib/part.plan
c o_data_file            refused                               -- run own_roster.plan -o data/own_roster.csv
c report_o_plan_itself   refused                               -- report own.plan -o own.plan
c report_o_data_file     refused                               -- report own_roster.plan -o data/own_roster.csv
c report_o_fifo          refused  type=out.fifo:p              -- report ok.plan -o out.fifo
c report_invalid_plan    error                                 -- report broken.plan -o keep.txt
c report_ok              ok       writes=report.html            -- report ok.plan -o report.html
c report_stdout          ok       has=DOCTYPE                   -- report ok.plan
c o_directory            refused                               -- run ok.plan -o outdir
c o_missing_dir          refused                               -- run ok.plan -o nodir/out.txt
c o_keeps_mode           ok       writes=mode600.txt perm=mode600.txt:600 -- run ok.plan -o mode600.txt
c o_new_follows_umask    ok       umask=077 writes=new600.txt perm=new600.txt:600 -- run ok.plan -o new600.txt
c o_failing_run          error                                 -- run like_cycle.plan -o keep.txt
c o_invalid_plan         error                                 -- run broken.plan -o keep.txt
c o_symlink              safe     writes=out_link_target.txt type=out_link.txt:l -- run ok.plan -o out_link.txt
c stdout_full_run        refused  stdout=/dev/full             -- run ok.plan
c stdout_full_check      refused  stdout=/dev/full             -- check ok.plan
c stdout_full_fmt        refused  stdout=/dev/full             -- fmt ok.plan
c stdout_full_diff       refused  stdout=/dev/full             -- diff ok.plan changed.plan
c fmt_w_keeps_mode       ok       writes=messy.plan perm=messy.plan:640 -- fmt -w messy.plan
c fmt_w_invalid          fails                                 -- fmt -w broken.plan
c fmt_w_symlink          ok       writes=fmt_real.plan type=fmt_link.plan:l -- fmt -w fmt_link.plan
c fmt_w_fifo             fails    type=fifo.plan:p             -- fmt -w fifo.plan
c fmt_w_devnode          fails    needs=root type=fmt.dev:c    -- fmt -w fmt.dev
c fmt_w_directory        fails                                 -- fmt -w outdir
c fmt_w_readonly_owner   safe     needs=root writes=readonly.plan owner=readonly.plan:65534 perm=readonly.plan:444 -- fmt -w readonly.plan
c fmt_w_crlf             ok       writes=crlf_fmt.plan         -- fmt -w crlf_fmt.plan
c save_symlink           ok       in=save_link.in writes=save_real.plan type=save_link.plan:l -- repl ok.plan
c save_keeps_mode        ok       in=save600.in writes=save600.plan perm=save600.plan:600 -- repl ok.plan
c save_devnode           fails    needs=root in=save_dev.in type=save.dev:c -- repl ok.plan
c save_fifo              fails    in=save_fifo.in type=save.fifo:p -- repl ok.plan
c save_exists_refused    fails    in=save_exists.in type=save_link.plan:l perm=save600.plan:600 -- repl ok.plan

# huge numbers
c huge_target            safe                                  -- run huge_target.plan
c huge_product           safe                                  -- run huge_product.plan
c tiny_share             safe                                  -- run tiny_share.plan
c huge_percent           safe                                  -- check huge_percent.plan
c round_top              safe                                  -- run round_top.plan --format csv
c huge_step              safe                                  -- run huge_step.plan
c div_tiny               safe                                  -- run div_tiny.plan
c huge_actuals           fails                                 -- run huge_actuals.plan
c odd_actuals            fails                                 -- check odd_actuals.plan

# huge CSV fields, lines, columns, rows
c csv_long_field         safe                                  -- run csv_long_field.plan
c csv_long_line          fails                                 -- check csv_long_line.plan
c csv_wide               safe                                  -- check csv_wide.plan
c csv_open_quote         fails                                 -- check csv_open_quote.plan
c csv_many_rows          safe                                  -- check csv_many_rows.plan
c csv_dup_rows           safe                                  -- check csv_dup_rows.plan
c csv_empty              fails                                 -- check csv_empty.plan
c csv_header_only        fails                                 -- check csv_header_only.plan
c csv_newlines           fails                                 -- check csv_newlines.plan

# many levels
c levels65_check         safe                                  -- check levels65.plan
c levels65_run           safe                                  -- run levels65.plan --format csv
c levels65_target        safe                                  -- run levels65_target.plan --show "z by l65"
c levels65_history       safe                                  -- run levels65_history.plan
c levels300              safe                                  -- check levels300.plan
c extra_columns          safe                                  -- run extra_columns.plan

# invalid UTF-8, NUL bytes, BOMs, CR and CRLF
c csv_bad_utf8           safe     json                         -- check --format json csv_bad_utf8.plan
c csv_bad_utf8_run       safe                                  -- run csv_bad_utf8.plan --format json
c csv_bad_utf8_header    safe                                  -- check csv_bad_utf8_header.plan
c csv_surrogate          safe                                  -- run csv_surrogate.plan
c surrogate_name         error                                 -- check surrogate_name.plan
c repl_bad_utf8          safe     in=bad_utf8.in               -- repl ok.plan
c csv_nul                safe                                  -- run csv_nul.plan
c csv_nul_header         fails                                 -- check csv_nul_header.plan
c csv_all_nul            fails                                 -- check csv_all_nul.plan
c repl_nul               safe     in=nul.in                    -- repl ok.plan
c csv_bom                ok                                    -- run csv_bom.plan
c csv_double_bom         safe                                  -- check csv_double_bom.plan
c bom_middle             error                                 -- check bom_middle.plan
c utf16_plan             error                                 -- check utf16.plan
c import_bom             safe                                  -- check import_bom.plan
c repl_bom               safe     in=bom.in                    -- repl ok.plan
c csv_crlf               ok                                    -- run csv_crlf.plan
c csv_cr_only            safe                                  -- check csv_cr_only.plan
c csv_mixed_ends         safe                                  -- check csv_mixed_ends.plan
c bare_cr_plan           safe                                  -- run bare_cr.plan
c repl_crlf              safe     in=crlf.in                   -- repl ok.plan

# confusable, invisible, bidi and reserved names
c cyrillic_a             error                                 -- check cyrillic_a.plan
c mixed_script           error                                 -- check mixed_script.plan
c zero_width_name        error                                 -- check zero_width.plan
c nbsp_name              error                                 -- check nbsp.plan
c bidi_comment           error                                 -- check bidi_comment.plan
c bidi_name              error                                 -- check bidi_name.plan
c nfc_twice              error                                 -- check nfc_twice.plan
c nfc_refer              ok                                    -- run nfc_refer.plan
c csv_confusable         fails                                 -- check csv_confusable.plan
c csv_zero_width         fails                                 -- check csv_zero_width.plan
c cyrillic_only          ok                                    -- run cyrillic_only.plan
c cjk_names              ok                                    -- run cjk_names.plan
c reserved_total         error                                 -- check reserved_total.plan
c reserved_Q1            error                                 -- check reserved_Q1.plan
c reserved_H2            error                                 -- check reserved_H2.plan
c reserved_FY2027        error                                 -- check reserved_FY2027.plan
c csv_reserved           fails                                 -- check csv_reserved.plan

# textconv (git diff's driver): whatever the plan, exit 0, text escaped, nothing on stderr,
# no file read but the plan (SECRET_MARKER: a path outside), within the time limit
c textconv_cycle         ok       noesc                        -- textconv like_cycle.plan
c textconv_nest          ok       noesc                        -- textconv nest_parens20000.plan
c textconv_doubling      ok       noesc                        -- textconv fn_doubling60.plan
c textconv_esc_comment   ok       noesc                        -- textconv esc_comment.plan
c textconv_esc_ident     ok       noesc                        -- textconv esc_ident.plan
c textconv_esc_label     ok       noesc                        -- textconv esc_label.plan
c textconv_fifo          ok       noesc                        -- textconv fifo.plan
c textconv_fifo_import   ok       noesc                        -- textconv fifo_import.plan
c textconv_dev_zero      ok       noesc                        -- textconv dev_zero.plan
c textconv_dir           ok       noesc                        -- textconv outdir
c textconv_utf16         ok       noesc                        -- textconv utf16.plan
c textconv_huge          ok       noesc                        -- textconv huge_target.plan
c textconv_full          refused  stdout=/dev/full             -- textconv ok.plan

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
