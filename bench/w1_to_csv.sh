#!/bin/sh
# w1_to_csv.sh -- turns salesplan's `--show "incentive w1" --format csv` output of
# bench/w1.plan into the exact CSV of the W1 peer benchmark.
#
# usage: salesplan run DIR/w1.plan --show "incentive w1" --format csv | sh bench/w1_to_csv.sh > w1.csv
#        sh bench/w1_to_csv.sh ENGINE.csv > w1.csv
#
# In:  period,rep,quota,actual,attainment,commission,kicker,status,payout
#      (one row per quarter and rep, period-major, reps in tree order)
# Out: rep_id,quarter,target,actual,attainment,commission,kicker,payout,status
#      (sorted by rep_id, then quarter, in byte order)
# The fields are moved, never reformatted: every number is printed by salesplan.
# Cost: about 0.05 s for W1's 40,000 rows (mawk, else awk, and sort; LC_ALL=C).
# Exit status 1 when the input is empty or does not have the expected header.
LC_ALL=C
export LC_ALL
AWK=$(command -v mawk || echo awk)

convert() {
    IFS= read -r header || { echo "w1_to_csv.sh: no input" >&2; return 1; }
    if [ "$header" != "period,rep,quota,actual,attainment,commission,kicker,status,payout" ]; then
        echo "w1_to_csv.sh: unexpected header: $header" >&2
        return 1
    fi
    echo "rep_id,quarter,target,actual,attainment,commission,kicker,payout,status"
    # whole lines in byte order = by rep_id, then quarter: "," sorts before every
    # character of a rep_id, and a (rep, quarter) pair is unique
    "$AWK" -F, '{ print $2 "," $1 "," $3 "," $4 "," $5 "," $6 "," $7 "," $9 "," $8 }' | sort
}

if [ $# -gt 0 ]; then
    convert < "$1"
else
    convert
fi
