#!/bin/sh
# fn-lengths.sh [DIR...] -- how long the functions of the C code are, from
# Universal Ctags' line and end fields (a function's length counts its
# lines from its name to its closing brace).  Prints the count, median,
# 90th percentile and maximum, how many are over 30 and over 80 lines, and
# lists those over 80 (STYLE.md: none; the 90th percentile at 30 or less).
# With -v, every function over 30 lines too; with --check, exit 1 unless
# the rule holds (make check-functions).  Default DIR: interp.
set -eu
verbose=0 check=0
while [ $# -gt 0 ]; do
    case $1 in
    -v) verbose=1 ;;
    --check) check=1 ;;
    *) break ;;
    esac
    shift
done
[ $# -gt 0 ] || set -- interp
command -v ctags >/dev/null || { echo "fn-lengths: needs Universal Ctags (ctags)" >&2; exit 2; }
ctags -R --languages=C --kinds-C=f --fields=+ne -x --_xformat='%{end} %{line} %N %F' "$@" |
    awk '{ print $1 - $2 + 1, $3, $4 }' | sort -n |
    awk -v verbose=$verbose -v check=$check '
        { len[NR] = $1; line[NR] = $0; if ($1 > 30) over30++; if ($1 > 80) over80++ }
        END {
            if (NR == 0) { print "fn-lengths: no functions"; exit 1 }
            p90 = int(NR * 0.9); if (p90 < NR * 0.9) p90++
            printf "functions %d  median %d  p90 %d  max %d  over 30: %d  over 80: %d\n",
                NR, len[int((NR + 1) / 2)], len[p90], len[NR], over30 + 0, over80 + 0
            for (i = 1; i <= NR; i++)
                if (len[i] > 80 || (verbose && len[i] > 30))
                    print "  " line[i]
            if (check && (over80 > 0 || len[p90] > 30)) {
                print "fn-lengths: functions must be at most 80 lines, the 90th percentile at most 30"
                exit 1
            }
        }'
