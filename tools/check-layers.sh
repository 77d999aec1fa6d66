#!/bin/sh
# check-layers.sh [ROOT] -- the module rules of interp/, read from the
# #include lines (make check-layers; README "How the code is organised").
#
# Every folder of ROOT/interp is a module.  A module may include only its
# own headers and the public headers of the modules it is allowed to use,
# which are all below it in the pipeline:
#
#   base < syntax < model < load < data < eval < check < render < alloc
#        < measure < session < fmt < repl < lsp < cli
#
# The DEPS table below says which of the lower modules each one uses; an
# include outside it (upwards, or sideways into a module it must not
# see) is an error, and so is an include of another module's internal
# header (any header not listed in PUBLIC).  Project headers are included
# by their path under interp/ ("alloc/alloc.h"); the generated parser.h
# and lexer.h only inside syntax/.  Prints every violation as
# FILE:LINE: message and exits 1 when there is one.
set -eu
root=${1:-.}
cd "$root"
[ -d interp ] || { echo "check-layers: no interp/ under $root" >&2; exit 2; }

# module: the modules it may include (itself always)
DEPS='
base:
syntax: base
model: base syntax
load: base syntax model
data: base syntax model load
eval: base syntax model load
check: base syntax model load data eval
render: base
alloc: base syntax model load data eval render
measure: base syntax model load data eval render alloc
session: base syntax model load data eval check render alloc measure
fmt: base syntax
repl: base syntax model load data eval check render alloc measure session fmt
lsp: base syntax model load data eval check render alloc measure session fmt
cli: base syntax model load data eval check render alloc measure session fmt repl lsp
'

# the headers other modules may include (base and data are libraries of
# independent parts: each part has its own public header)
PUBLIC='
base/util.h base/num.h base/diag.h base/calendar.h base/term.h base/files.h base/valfmt.h
base/ident.h base/weeks.h base/lang.h base/version.h
syntax/ast.h syntax/syntax.h
model/model.h
load/load.h
data/csv.h data/cells.h data/history.h data/actuals.h data/source.h data/mapping.h data/roster.h
data/targets.h data/notes.h data/holidays.h
check/check.h
eval/eval.h
render/render.h
alloc/alloc.h
measure/measure.h
session/session.h
fmt/fmt.h
repl/repl.h
lsp/lsp.h
'

status=0
for dir in interp/*/; do
    mod=$(basename "$dir")
    deps=$(printf '%s\n' "$DEPS" | awk -F': *' -v m="$mod" '$1 == m { print $2; found = 1 }
        END { if (!found) print "?" }')
    if [ "$deps" = "?" ]; then
        echo "interp/$mod: a module the layer table of tools/check-layers.sh does not list"
        status=1
        continue
    fi
    for f in "$dir"*.c "$dir"*.h "$dir"*.l "$dir"*.y; do
        [ -f "$f" ] || continue
        awk -v file="$f" -v mod="$mod" -v deps="$deps" -v public="$PUBLIC" '
            BEGIN {
                n = split(deps, d, " "); for (i = 1; i <= n; i++) ok[d[i]] = 1; ok[mod] = 1
                n = split(public, p, /[ \n]+/); for (i = 1; i <= n; i++) pub[p[i]] = 1
            }
            /^[ \t]*#[ \t]*include[ \t]*"/ {
                s = $0; sub(/^[^"]*"/, "", s); sub(/".*/, "", s)
                if (s == "parser.h" || s == "lexer.h") {
                    if (mod != "syntax")
                        printf "%s:%d: the generated %s is included only inside syntax/\n", file, FNR, s
                    next
                }
                if (index(s, "/") == 0) {
                    printf "%s:%d: \"%s\": include project headers by their path under interp/\n", file, FNR, s
                    next
                }
                m = s; sub(/\/.*/, "", m)
                if (!(m in ok)) {
                    printf "%s:%d: %s may not include %s (module %s is not below it, or not one it uses)\n", file, FNR, mod, s, m
                    next
                }
                if (m != mod && !(s in pub))
                    printf "%s:%d: %s is internal to %s/\n", file, FNR, s, m
                if ((getline line < ("interp/" s)) < 0)
                    printf "%s:%d: %s does not exist\n", file, FNR, s
                close("interp/" s)
            }' "$f" > /tmp/check-layers.$$ || true
        if [ -s /tmp/check-layers.$$ ]; then
            cat /tmp/check-layers.$$
            status=1
        fi
        rm -f /tmp/check-layers.$$
    done
done
[ $status = 0 ] && echo "check-layers: every include goes down a layer or stays inside its module"
exit $status
