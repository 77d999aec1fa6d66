# reload.sh -- types reload.in into a session on p.plan (a copy of small.plan)
# and edits p.plan between entries: when the session has printed "--- edit 1"
# the region east becomes south in the dimension only (the plan no longer
# checks), at "--- edit 2" in the splits too, and new_customers' target
# becomes 130.  Prints the session's output; exits with its status.
cp small.plan p.plan
rm -f in.fifo
mkfifo in.fifo
"$BIN" repl p.plan <in.fifo >session.out 2>&1 &
pid=$!
exec 3>in.fifo
m1=$(grep -n '^"--- edit 1"$' reload.in | cut -d: -f1)
m2=$(grep -n '^"--- edit 2"$' reload.in | cut -d: -f1)
upto() { # types lines $1..$2 of reload.in, then waits for the session to print marker $3
    sed -n "$1,$2p" reload.in >&3
    i=0
    while ! grep -q "^--- $3\$" session.out && [ $i -lt 1200 ]; do
        sleep 0.05
        i=$((i + 1))
    done
}
upto 1 "$m1" "edit 1"
sed -e 's/east  "华东"/south "华南"/' p.plan >p.new && mv p.new p.plan
upto $((m1 + 1)) "$m2" "edit 2"
sed -e 's/east:/south:/g' -e 's/new_customers   = 120/new_customers   = 130/' p.plan >p.new &&
    mv p.new p.plan
sed -n "$((m2 + 1)),\$p" reload.in >&3
exec 3>&-
wait $pid
rc=$?
cat session.out
exit $rc
