# roster_hostile.sh -- types roster_hostile.in into a session on roster_hostile.plan; at the
# session's "--- fifo" the roster becomes a FIFO (no writer: opening it for reading would
# wait), at "--- link" a symbolic link to /etc/passwd, at "--- back" the roster again.
# Prints the session's output; exits with its status.
printf 'region,rep\nnorth,zhang\nnorth,li\neast,sun\n' >roster_hostile.csv
cp roster_hostile.csv keep.csv
rm -f in.fifo
mkfifo in.fifo
"$BIN" repl roster_hostile.plan <in.fifo >session.out 2>&1 &
pid=$!
exec 3>in.fifo
at() { # types lines $1..$2 of roster_hostile.in, then waits for the session to print marker $3
    sed -n "$1,$2p" roster_hostile.in >&3
    i=0
    while ! grep -q "^--- $3\$" session.out && [ $i -lt 1200 ]; do
        sleep 0.05
        i=$((i + 1))
    done
}
line() { grep -n "^\"--- $1\"\$" roster_hostile.in | cut -d: -f1; }
f=$(line fifo)
l=$(line link)
b=$(line back)
at 1 "$f" fifo
rm -f roster_hostile.csv
mkfifo roster_hostile.csv
at $((f + 1)) "$l" link
rm -f roster_hostile.csv
ln -s /etc/passwd roster_hostile.csv
at $((l + 1)) "$b" back
rm -f roster_hostile.csv
cp keep.csv roster_hostile.csv
sed -n "$((b + 1)),\$p" roster_hostile.in >&3
exec 3>&-
wait $pid
rc=$?
cat session.out
exit $rc
