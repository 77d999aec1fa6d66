# r15_save_dir.sh -- a session on r15_paths/plan.plan, started from the folder above it, with
# an empty folder beside its data for a save that must be refused.
mkdir -p r15_paths/out
"$BIN" repl r15_paths/plan.plan <r15_save_dir.in
