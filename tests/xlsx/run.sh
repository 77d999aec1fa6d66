#!/bin/sh
# run.sh -- the xlsx format: the renderer's unit tests (Excel's limits,
# same bytes) run with check-units; this reads every workbook back with
# openpyxl (tests/xlsx/check.py) against the csv of the same run.
# /usr/bin/python3 is the one with python3-openpyxl (tools/install-deps.sh).
#
# usage: sh tests/xlsx/run.sh ./salesplan
set -e
bin=${1:?usage: run.sh SALESPLAN}
py=/usr/bin/python3
"$py" -c 'import openpyxl' 2>/dev/null || {
    echo "check-xlsx: $py has no openpyxl (apt-get install python3-openpyxl)" >&2
    exit 1
}
exec "$py" tests/xlsx/check.py "$bin"
