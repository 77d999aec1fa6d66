#!/bin/sh
# load.sh -- loads a CSV file into a table of PostgreSQL or of an SQLite file.
#
# usage: sh tests/db/load.sh pg|sqlite:FILE TABLE FILE.csv [--seq] [--type COLUMN=TYPE]...
#
# pg: the server of psql's environment (PGHOST, PGDATABASE, PGUSER: tests/db/pg.sh sets
# them), through \copy; TABLE may be SCHEMA.NAME (the schema is created when missing).
# sqlite:FILE: the sqlite3 shell's .import, then a typed copy.  The types and --seq are
# tests/db/schema.py's: numbers as numbers, days as date (PostgreSQL) or text (SQLite),
# empty cells as NULL, --seq a last column "seq" numbering the rows in file order.
# Exit status 2 when the tools are missing (never a skip) or the load fails.
set -u
[ $# -ge 3 ] || { echo "usage: sh tests/db/load.sh pg|sqlite:FILE TABLE FILE.csv [--seq] [--type C=T]..." >&2; exit 2; }
where=$1 table=$2 csv=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
[ -x $py ] || { echo "tests/db/load.sh: no $py" >&2; exit 2; }
case $where in
pg)
    command -v psql >/dev/null 2>&1 || { echo "tests/db/load.sh: no psql (Debian postgresql-client)" >&2; exit 2; }
    schema=
    case $table in *.*) schema=${table%%.*} table=${table#*.} ;; esac
    sql=$($py "$here/schema.py" pg "$table" "$csv" "$@") || exit 2
    { [ -z "$schema" ] || printf 'CREATE SCHEMA IF NOT EXISTS "%s";\nSET search_path = "%s";\n' "$schema" "$schema"
      printf '%s\n' "$sql"; } | PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 >/dev/null ||
        { echo "tests/db/load.sh: cannot load $csv into PostgreSQL table $table" >&2; exit 2; } ;;
sqlite:*)
    command -v sqlite3 >/dev/null 2>&1 || { echo "tests/db/load.sh: no sqlite3 (Debian sqlite3)" >&2; exit 2; }
    sql=$($py "$here/schema.py" sqlite "$table" "$csv" "$@") || exit 2
    printf '.bail on\nBEGIN;\n%s\nCOMMIT;\n' "$sql" | sqlite3 "${where#sqlite:}" ||
        { echo "tests/db/load.sh: cannot load $csv into SQLite table $table" >&2; exit 2; } ;;
*) echo "tests/db/load.sh: where to load: pg or sqlite:FILE, not '$where'" >&2; exit 2 ;;
esac
