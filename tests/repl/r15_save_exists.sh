# r15_save_exists.sh -- a session on a copy of small.plan (which :save! overwrites) beside a file
# that exists; without a terminal :save refuses both and :save! writes.
cp small.plan r15_own.plan
printf '# r15_existing.plan -- overwritten by the session\n' >r15_existing.plan
"$BIN" repl r15_own.plan <r15_save_exists.in
