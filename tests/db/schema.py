#!/usr/bin/python3
"""schema.py -- the SQL that loads one CSV file into a table of PostgreSQL or SQLite.

usage: schema.py pg|sqlite TABLE FILE.csv [--seq] [--type COLUMN=TYPE]...

Prints a script for psql (pg) or the sqlite3 shell (sqlite) that creates TABLE with the
CSV's columns, in the CSV's order, and copies FILE's rows into it in file order.  A column's
type is what all its non-empty values look like: integers -> bigint / INTEGER, decimals ->
numeric / REAL, days YYYY-MM-DD -> date / TEXT (SQLite has no date type), else text; --type
overrides one column (the type as the engine spells it).  An empty cell becomes NULL in both
engines.  --seq adds a last column "seq", the row's line number in the file from 1 (to map
as `order = seq`, since a table has no order of its own).
"""
import csv
import re
import sys

INT = re.compile(r"-?[0-9]+\Z")
DEC = re.compile(r"-?[0-9]*\.[0-9]+\Z|-?[0-9]+\.[0-9]*\Z")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
TYPES = {"pg": {"int": "bigint", "dec": "numeric", "day": "date", "text": "text"},
         "sqlite": {"int": "INTEGER", "dec": "REAL", "day": "TEXT", "text": "TEXT"}}


def qi(name):
    return '"' + name.replace('"', '""') + '"'


def ql(text):
    return "'" + text.replace("'", "''") + "'"


def kind_of(values):
    kinds = set()
    for v in values:
        if v == "":
            continue
        kinds.add("int" if INT.match(v) else "dec" if DEC.match(v) else
                  "day" if DAY.match(v) else "text")
    if kinds <= {"int"}:
        return "int" if kinds else "text"
    if kinds <= {"int", "dec"}:
        return "dec"
    return kinds.pop() if len(kinds) == 1 else "text"


def main(argv):
    if len(argv) < 4 or argv[1] not in TYPES:
        sys.exit("usage: schema.py pg|sqlite TABLE FILE.csv [--seq] [--type COLUMN=TYPE]...")
    engine, table, path, rest = argv[1], argv[2], argv[3], argv[4:]
    seq, forced = False, {}
    while rest:
        if rest[0] == "--seq":
            seq, rest = True, rest[1:]
        elif rest[0] == "--type" and len(rest) > 1:
            col, _, typ = rest[1].partition("=")
            forced[col], rest = typ, rest[2:]
        else:
            sys.exit("schema.py: unknown argument " + rest[0])
    with open(path, newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        header = next(rows)
        if len(forced) == len(header):
            columns = [[] for _ in header]
        else:
            columns = [list(c) for c in zip(*rows)] or [[] for _ in header]
    types = [forced.get(h) or TYPES[engine][kind_of(columns[i])] for i, h in enumerate(header)]
    cols = ", ".join(qi(h) + " " + t for h, t in zip(header, types))
    names = ", ".join(qi(h) for h in header)
    if engine == "pg":
        if seq:
            cols += ', "seq" bigint GENERATED ALWAYS AS IDENTITY'
        print("CREATE TABLE %s (%s);" % (qi(table), cols))
        print("\\copy %s (%s) FROM %s WITH (FORMAT csv, HEADER true)" % (qi(table), names, ql(path)))
        return
    # sqlite: the shell's .import reads the file into a text table, then typed copies in
    # file order with empty cells as NULL (the column's affinity converts the rest)
    if seq:
        cols += ', "seq" INTEGER PRIMARY KEY'
    load = qi("load_" + table)
    print("DROP TABLE IF EXISTS %s;" % load)
    print('.import --csv "%s" %s' % (path.replace("\\", "\\\\").replace('"', '\\"'), "load_" + table))
    print("CREATE TABLE %s (%s);" % (qi(table), cols))
    print("INSERT INTO %s (%s) SELECT %s FROM %s ORDER BY rowid;"
          % (qi(table), names, ", ".join("NULLIF(%s, '')" % qi(h) for h in header), load))
    print("DROP TABLE %s;" % load)


if __name__ == "__main__":
    main(sys.argv)
