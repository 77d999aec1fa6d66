# roster_edit.sh -- types roster_edit.in into a session on roster_edit.plan and rewrites its
# roster when the session prints "--- edit 1" (a rep joins north) and "--- edit 2" (wu becomes
# xu: the same size, and the old modification time put back).  Prints the session's output;
# exits with its status.
printf 'region,rep\nnorth,zhang\nnorth,li\neast,sun\n' >roster_edit.csv
rm -f in.fifo
mkfifo in.fifo
"$BIN" repl roster_edit.plan <in.fifo >session.out 2>&1 &
pid=$!
exec 3>in.fifo
m1=$(grep -n '^"--- edit 1"$' roster_edit.in | cut -d: -f1)
m2=$(grep -n '^"--- edit 2"$' roster_edit.in | cut -d: -f1)
upto() { # types lines $1..$2 of roster_edit.in, then waits for the session to print marker $3
    sed -n "$1,$2p" roster_edit.in >&3
    i=0
    while ! grep -q "^--- $3\$" session.out && [ $i -lt 1200 ]; do
        sleep 0.05
        i=$((i + 1))
    done
}
upto 1 "$m1" "edit 1"
printf 'region,rep\nnorth,zhang\nnorth,li\nnorth,wu\neast,sun\n' >roster_edit.csv
upto $((m1 + 1)) "$m2" "edit 2"
touch -r roster_edit.csv stamp
printf 'region,rep\nnorth,zhang\nnorth,li\nnorth,xu\neast,sun\n' >roster_edit.csv
touch -r stamp roster_edit.csv
sed -n "$((m2 + 1)),\$p" roster_edit.in >&3
exec 3>&-
wait $pid
rc=$?
cat session.out
exit $rc
