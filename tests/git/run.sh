#!/bin/sh
# tests/git/run.sh BIN -- the git workflow of docs/CI.md, in a scratch repository
# (make check-git).
#
# A repository of plans: one with a Chinese file name that stands alone, one
# that reads a data CSV (and one more reading the same CSV, unchanged), one that
# does not check, one renamed, one deleted, one added, one with a space and a
# quote in its name, one with a newline, one at the top of the repository, one
# named -dash.plan.  git
# is set up with the commands docs/CI.md gives: the block
# between its git-setup markers, and the `git salesplan-diff` lines of its
# GitHub and GitLab examples, read from the file, so the page cannot drift from
# what works.  Then:
#   - git diff, git log -p and git show exit 0 and show each plan's text change,
#     the changed table cells of the plan that stands alone, and the reason line
#     of the others;
#   - the CI examples' command compares every changed plan (the Chinese-named one
#     included, old revisions beside their own data files), writes one comment
#     file, and fails naming the plan that cannot be compared; once it is fixed,
#     it passes;
#   - git salesplan-diff in a work tree, from a subdirectory, and its usage errors.
# No network; user.name and user.email are set in the scratch repository only.
set -u

if [ $# -ne 1 ]; then
    echo "usage: sh tests/git/run.sh BIN" >&2
    exit 2
fi
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
root=$(cd "$(dirname "$0")/../.." && pwd)
ci_md=$root/docs/CI.md
command -v git >/dev/null 2>&1 || { echo "git: git is not installed (tools/install-deps.sh)"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/salesplan-git.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT PIPE TERM

# What `make install` puts on PATH: salesplan and git-salesplan-diff.
mkdir -p "$tmp/bin" "$tmp/home"
ln -s "$bin" "$tmp/bin/salesplan"
ln -s "$root/tools/git-salesplan-diff" "$tmp/bin/git-salesplan-diff"
PATH=$tmp/bin:$PATH
HOME=$tmp/home
GIT_CONFIG_NOSYSTEM=1
NO_COLOR=1
LC_ALL=C.UTF-8
export PATH HOME GIT_CONFIG_NOSYSTEM NO_COLOR LC_ALL
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_PREFIX

pass=0
fail=0
ok() {
    pass=$((pass + 1))
}
bad() {
    fail=$((fail + 1))
    echo "git: FAIL: $*"
}
# expect WHAT FILE TEXT: FILE holds TEXT (a fixed string)
expect() {
    if grep -qF -- "$3" "$2"; then ok; else bad "$1: no '$3' in $(basename "$2")"; fi
}
# refuse WHAT FILE TEXT: FILE does not hold TEXT
refuse() {
    if grep -qF -- "$3" "$2"; then bad "$1: '$3' in $(basename "$2")"; else ok; fi
}
# status WHAT EXPECTED ACTUAL
status() {
    if [ "$2" = "$3" ]; then ok; else bad "$1: exit status $3, expected $2"; fi
}

# ---- the commands of docs/CI.md ----------------------------------------------------------
setup=$tmp/setup.sh
sed -n '/^<!-- git-setup -->$/,/^<!-- \/git-setup -->$/p' "$ci_md" | grep -v '^<!--' |
    grep -v '^```' >"$setup"
grep -q 'diff.salesplan.textconv' "$setup" || bad "docs/CI.md: no textconv setup between the git-setup markers"
github=$(sed -n 's/^ *run: \(git salesplan-diff .*\)$/\1/p' "$ci_md")
gitlab=$(sed -n 's/^ *- \(git salesplan-diff .*\)$/\1/p' "$ci_md")
[ -n "$github" ] || bad "docs/CI.md: the GitHub example runs no git salesplan-diff"
[ -n "$gitlab" ] || bad "docs/CI.md: the GitLab example runs no git salesplan-diff"

# ---- the repository ------------------------------------------------------------------------
repo=$tmp/repo
mkdir -p "$repo/plans/growth/data"
cd "$repo" || exit 2
git init -q
git config user.name "Plan Tester"
git config user.email "plans@example.com"
git config commit.gpgsign false
git checkout -q -b main
sh -e "$setup" || bad "the setup block of docs/CI.md failed"

# sales.csv: FY2026 by month and region; $1 is north's sales in 2026-02
sales() {
    echo month,region,sales
    for m in 2026-02 2026-03 2026-04 2026-05 2026-06 2026-07 2026-08 2026-09 2026-10 2026-11 \
        2026-12 2027-01; do
        if [ $m = 2026-02 ]; then echo "$m,north,$1"; else echo "$m,north,1000"; fi
        echo "$m,east,500"
    done
}
# a plan that stands alone: $1 its target, $2 its name
alone() {
    cat <<EOF
plan "$2" { year = 2027  unit = "万" }
dimension org levels region { north "华北", east "华东" }
metric revenue "销售额" money
target revenue = $1
split revenue by region { north: 60%, east: 40% }
show revenue by region
EOF
}
# a plan of another shape (for git, no rename of another): $1 its name
other() {
    cat <<EOF
# $1: a plan about cards and memberships, by product line.
plan "$1" { year = 2027  currency = "CNY" }

dimension product "产品线" { cards "储值卡", membership "会员服务" }

metric sales "销售" count
target sales = 70
split sales by product { cards: 2, membership: 5 }
EOF
}
# a plan that reads data/sales.csv: $1 its growth
grown() {
    cat <<EOF
plan "growth" { year = 2027  start = feb }
dimension org levels region { north, east }
history sales = "data/sales.csv"
metric revenue money
target revenue = $1 * history.sales
show revenue by region, quarter
EOF
}
alone 1000万 华东 >plans/华东.plan
grown 110% >plans/growth/g.plan
grown 105% >plans/growth/h.plan
sales 1000 >plans/growth/data/sales.csv
printf 'plan "broken" { year = 2027 }\nmetric revenue money\ntarget revenue = 100\nsplit revenue by region { north: 60%%, east: 40%% }\n' >plans/broken.plan
alone 50万 "old name" >plans/old_name.plan
other gone >plans/gone.plan
alone 10 "q 'x'" >"plans/q 'x'.plan"
nl=$(printf 'plans/-n\nl.plan_') && nl=${nl%_}
alone 5 newline >"$nl"
alone 100万 top >top.plan
alone 7万 dash >./-dash.plan
git add -A && git commit -qm "plans" || exit 2
c1=$(git rev-parse HEAD)

git checkout -q -b feature
alone 1200万 华东 >plans/华东.plan
grown 120% >plans/growth/g.plan
sales 2200 >plans/growth/data/sales.csv
printf 'plan "broken" { year = 2027 }\nmetric revenue money\ntarget revenue = 200\nsplit revenue by region { north: 60%%, east: 40%% }\n' >plans/broken.plan
git mv plans/old_name.plan plans/renamed.plan
alone 50万 "old name" | sed 's/60%/55%/; s/40%/45%/' >plans/renamed.plan
git rm -q plans/gone.plan
alone 300万 新 >plans/新.plan
alone 20 "q 'x'" >"plans/q 'x'.plan"
alone 6 newline >"$nl"
alone 200万 top >top.plan
alone 8万 dash >./-dash.plan
printf 'plan "bin" {\0\033[31m\n' >plans/binary.plan
git add -A && git commit -qm "change the plans" || exit 2
c2=$(git rev-parse HEAD)

# ---- git diff with the textconv driver -----------------------------------------------------
out=$tmp/diff.out
git -c core.quotepath=false diff "$c1" "$c2" >"$out" 2>"$tmp/diff.err"
status "git diff" 0 $?
refuse "git diff" "$tmp/diff.err" "fatal"
expect "git diff: the Chinese file name" "$out" "diff --git a/plans/华东.plan b/plans/华东.plan"
expect "git diff: text of 华东.plan" "$out" "-target revenue = 1000万"
expect "git diff: text of 华东.plan" "$out" "+target revenue = 1200万"
expect "git diff: tables of 华东.plan" "$out" "# ---- salesplan textconv: the tables ----"
expect "git diff: a cell of 华东.plan" "$out" "-华东      400.00"
expect "git diff: a cell of 华东.plan" "$out" "+华东      480.00"
expect "git diff: text of g.plan" "$out" "+target revenue = 120% * history.sales"
expect "git diff: the reason of g.plan" "$out" \
    " # ---- salesplan textconv: no tables: it reads 'data/sales.csv' (line 3): textconv reads only the plan"
expect "git diff: text of broken.plan" "$out" "+target revenue = 200"
expect "git diff: the reason of broken.plan" "$out" \
    " # ---- salesplan textconv: no tables: line 4: unknown level 'region'"
expect "git diff: the renamed plan" "$out" "rename to plans/renamed.plan"
expect "git diff: a cell of the renamed plan" "$out" "+华北     27.50"
expect "git diff: the deleted plan" "$out" "-target sales = 70"
expect "git diff: the added plan" "$out" "+target revenue = 300万"
expect "git diff: a name with a space and a quote" "$out" "+target revenue = 20"
expect "git diff: a name with a newline" "$out" "+target revenue = 6"
expect "git diff: a name that starts with -" "$out" "+target revenue = 8万"
expect "git diff: a plan with a NUL and an escape, escaped" "$out" '+plan "bin" {\x00\e[31m'
refuse "git diff: nothing raw" "$out" "$(printf '\033')"

git log -p >"$tmp/log.out" 2>&1
status "git log -p" 0 $?
expect "git log -p" "$tmp/log.out" "+target revenue = 1200万"
git show "$c2" -- plans/broken.plan >"$tmp/show.out" 2>&1
status "git show" 0 $?
expect "git show" "$tmp/show.out" "no tables: line 4"
git blame -- plans/华东.plan >"$tmp/blame.out" 2>&1
status "git blame" 0 $?
expect "git blame: the table lines" "$tmp/blame.out" "华东      480.00"
git blame -- plans/broken.plan >"$tmp/blame.out" 2>&1
status "git blame, a plan that does not check" 0 $?
git diff --no-textconv "$c1" "$c2" -- plans/growth/g.plan >"$tmp/plain.out" 2>&1
status "git diff --no-textconv" 0 $?
refuse "git diff --no-textconv" "$tmp/plain.out" "salesplan textconv"

# The work tree's side: git names the file as it is (-dash.plan), not a temporary copy.
alone 9万 dash >./-dash.plan
git diff -- ./-dash.plan >"$tmp/dash.out" 2>&1
status "git diff of a work tree file named -dash.plan" 0 $?
expect "-dash.plan: its text" "$tmp/dash.out" "+target revenue = 9万"
expect "-dash.plan: its tables" "$tmp/dash.out" "+华东      3.60"
git checkout -q -- ./-dash.plan

# ---- the pull-request workflow: the CI examples' command -------------------------------------
run_ci() { # NAME COMMAND: runs COMMAND in the repository as the CI job would
    rm -f diff.md
    BASE=$c1 CI_MERGE_REQUEST_DIFF_BASE_SHA=$c1 sh -c "$2" >"$tmp/ci.out" 2>"$tmp/ci.err"
}
for ci in github gitlab; do
    if [ $ci = github ]; then cmd=$github; else cmd=$gitlab; fi
    [ -n "$cmd" ] || continue
    run_ci $ci "$cmd"
    status "$ci: a plan that cannot be compared" 1 $?
    expect "$ci: the failing plan named" "$tmp/ci.err" "git salesplan-diff: plans/broken.plan: cannot compare"
    expect "$ci: salesplan's reason" "$tmp/ci.err" "unknown level 'region'"
    [ -f diff.md ] || { bad "$ci: no diff.md"; continue; }
    md=diff.md
    expect "$ci: the Chinese-named plan" $md '## `plans/华东.plan` (modified)'
    expect "$ci: its cells" $md "| east | revenue | 400.00万 | 480.00万 | +80.00万 | +20.00% |"
    expect "$ci: the plan that reads a CSV" $md '## `plans/growth/g.plan` (modified)'
    # old: 110% of 12,000 (the old CSV); new: 120% of 13,200 (the new one)
    expect "$ci: beside its own data files" $md "| north | total | 13200.00 | 15840.00 | +2640.00 | +20.00% |"
    expect "$ci: a plan whose data changed" $md '## `plans/growth/h.plan` (unchanged, but plans/growth/data/sales.csv changed)'
    expect "$ci: its cells" $md "| north | Q1 | 3150.00 | 4410.00 | +1260.00 | +40.00% |"
    expect "$ci: the renamed plan" $md '## `plans/renamed.plan` (renamed from plans/old_name.plan)'
    expect "$ci: the added plan" $md '## `plans/新.plan` (added)'
    expect "$ci: its table" $md "| 华东 | 120.00 |"
    expect "$ci: the deleted plan" $md '## `plans/gone.plan` (deleted)'
    expect "$ci: the name with a quote" $md "## \`plans/q 'x'.plan\` (modified)"
    expect "$ci: a name with a newline, quoted" $md "## \`\$'plans/-n\\nl.plan'\` (modified)"
    expect "$ci: its cells" $md "| north | revenue | 0.0003万 = 3.00 | 0.00036万 = 3.60 |"
    expect "$ci: a name that starts with -" $md "**salesplan diff a/-dash.plan b/-dash.plan: 3 cells changed in 1 table**"
    expect "$ci: a plan at the top" $md "**salesplan diff a/top.plan b/top.plan: 3 cells changed in 1 table**"
    expect "$ci: the broken plan" $md '## `plans/broken.plan` (modified)'
    expect "$ci: not compared" $md "**Not compared:** the new revision is not a valid plan (salesplan diff exits 1)."
    expect "$ci: why, in the comment" $md "b/plans/broken.plan:4:18: error: unknown level 'region'"
    expect "$ci: not a plan" $md '## `plans/binary.plan` (added)'
    expect "$ci: not a plan, not compared" $md "**Not compared:** the new revision is not a valid plan (salesplan run exits 1)."
    refuse "$ci: numbers only" $md "diff --git"
done

# Fixed: every plan compared, exit 0.
printf 'plan "broken" { year = 2027 }\ndimension org levels region { north, east }\nmetric revenue money\ntarget revenue = 200\nsplit revenue by region { north: 60%%, east: 40%% }\n' >plans/broken.plan
git rm -q plans/binary.plan
git commit -qam "fix the broken plan" || exit 2
if [ -n "$github" ]; then
    run_ci github "$github"
    status "github, fixed" 0 $?
    refuse "github, fixed" diff.md "Not compared"
    expect "github, fixed" diff.md '## `plans/broken.plan` (modified)'
    expect "github, fixed: the old revision" diff.md "**The old revision does not evaluate**"
    expect "github, fixed: the new tables" diff.md "| north | 120.00 |"
    expect "github, fixed: stderr" "$tmp/ci.err" "plans/broken.plan: the old revision does not evaluate"
    left=$(git status --porcelain --untracked-files=all)
    [ "$left" = "?? diff.md" ] && ok || bad "the work tree changed beyond diff.md: $left"
fi

# ---- git salesplan-diff by hand --------------------------------------------------------------
rm -f diff.md
alone 1300万 华东 >plans/华东.plan
git salesplan-diff >"$tmp/wt.out" 2>"$tmp/wt.err"
status "git salesplan-diff in a work tree" 0 $?
expect "work tree: the text diff" "$tmp/wt.out" "+target revenue = 1300万"
expect "work tree: the numbers" "$tmp/wt.out" "salesplan diff a/plans/华东.plan b/plans/华东.plan: 3 cells changed in 1 table"
refuse "work tree: only what changed" "$tmp/wt.out" "g.plan"
(cd plans/growth && git salesplan-diff --numbers-only "$c1" -- g.plan) >"$tmp/sub.out" 2>&1
status "git salesplan-diff from a subdirectory" 0 $?
expect "subdirectory: the plan named" "$tmp/sub.out" "=== plans/growth/g.plan (modified)"
refuse "subdirectory: the pathspec" "$tmp/sub.out" "华东"
(cd plans/growth && git salesplan-diff --numbers-only -o sub.md "$c1" -- g.plan) 2>&1
status "git salesplan-diff -o from a subdirectory" 0 $?
expect "-o FILE: in the caller's directory" plans/growth/sub.md "=== plans/growth/g.plan (modified)"
rm -f plans/growth/sub.md
git salesplan-diff "$c1...$c2" -- plans/growth >"$tmp/range.out" 2>&1
status "git salesplan-diff A...B" 0 $?
expect "A...B" "$tmp/range.out" "=== plans/growth/h.plan (unchanged, but plans/growth/data/sales.csv changed)"
git checkout -q plans
git salesplan-diff HEAD >"$tmp/none.out" 2>&1
status "git salesplan-diff, nothing changed" 0 $?
[ ! -s "$tmp/none.out" ] && ok || bad "nothing changed: output $(cat "$tmp/none.out")"
git salesplan-diff no-such-rev >/dev/null 2>"$tmp/rev.err"
status "git salesplan-diff, a bad revision" 2 $?
expect "a bad revision" "$tmp/rev.err" "'no-such-rev' is not a revision"
git salesplan-diff --format csv >/dev/null 2>&1
status "git salesplan-diff --format csv" 2 $?
(cd "$tmp" && git-salesplan-diff) >/dev/null 2>&1
status "git salesplan-diff outside a repository" 2 $?

# ---- textconv itself, never failing -------------------------------------------------------------
salesplan textconv "$tmp/no-such.plan" >"$tmp/tc.out" 2>"$tmp/tc.err"
status "textconv, a missing file" 0 $?
expect "textconv, a missing file" "$tmp/tc.out" "no tables: cannot read the plan"
[ ! -s "$tmp/tc.err" ] && ok || bad "textconv wrote on stderr"
salesplan textconv "$tmp" >"$tmp/tc.out" 2>&1
status "textconv, a directory" 0 $?

echo "git: $pass passed, $fail failed"
[ $fail -eq 0 ]
