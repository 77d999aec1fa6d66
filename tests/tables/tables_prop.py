#!/usr/bin/env python3
"""tables_prop.py -- the tables of issue 14 checked against the tables they
are made of, over every example plan and every golden plan (make check-tables).

1. Metrics side by side: for each plan, the metrics its tables show per the
   same levels are shown together (`--show "m1, m2, ... by LEVELS"`, json);
   every column must equal that metric's own table (`--show "m by LEVELS"`):
   each member's cell, the metric's total column (two levels) and the total
   row, n/a where the metric's table has n/a.
2. Reforecast by period: for each plan whose review reforecasts a metric
   (`reforecast M` in a golden plan with actuals), the reforecast by quarter
   and by half (json) against the one by month: each period's cell is the sum
   of its months' cells (the first period only the months after the as-of
   month), and annual target, actual and rest of year are the same.

usage: python3 tests/tables/tables_prop.py BIN
The last line is "tables: N passed, M failed"; exit 1 when one failed or when
nothing was compared (a suite that compares nothing cannot fail).
"""
import json
import os
import re
import subprocess
import sys
from decimal import Decimal

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(binary, plan, *args):
    """The JSON output of `run PLAN ARGS --format json`, or None when it fails."""
    env = dict(os.environ, NO_COLOR="1", LC_ALL="C")
    env.pop("SALESPLAN_PATH", None)
    try:
        p = subprocess.run([binary, "run", os.path.basename(plan), *args, "--format", "json"],
                           cwd=os.path.dirname(plan), capture_output=True, timeout=60, env=env)
    except subprocess.TimeoutExpired:
        return None
    if p.returncode != 0:
        return None
    try:
        return json.loads(p.stdout.decode("utf-8"), parse_float=Decimal, parse_int=Decimal)
    except ValueError:
        return None


def num(v):
    return None if v is None else Decimal(str(v))


def levels_of(t):
    return [l for l in (t.get("row_level"), t.get("col_level")) if l]


def metric_columns(t):
    """One metric's table as {(row, col): value}: col is the column's name
    (one level: ''), 'total' for the total column; row 'total' the total row."""
    one = not t.get("col_level") or t.get("col_level") == "metric"
    out = {}
    cols = [""] if one else list(t["columns"])
    for r in t["rows"]:
        for j, c in enumerate(cols):
            out[(r["name"], c)] = num(r["cells"][j])
        if not one:
            out[(r["name"], "total")] = num(r["total"])
    tot = t.get("totals") or {"cells": [None] * len(cols), "total": None}
    for j, c in enumerate(cols):
        out[("total", c)] = num(tot["cells"][j]) if tot["cells"] else None
    if not one:
        out[("total", "total")] = num(tot["total"])
    return out


def side_column(side, metric, col):
    """Column of metric (and second-level column col) of a side-by-side table."""
    name = metric if col == "" else "%s %s" % (metric, col)
    j = side["columns"].index(name)
    out = {}
    for r in side["rows"]:
        out[(r["name"], col)] = num(r["cells"][j])
    out[("total", col)] = num(side["totals"]["cells"][j])
    return out


def check_side(binary, plan, metrics, levels, fails):
    """0 when a metric's own table does not run (the show is refused for it)."""
    spec = " by " + ", ".join(levels)
    own = [run(binary, plan, "--show", m + spec) for m in metrics]
    if any(o is None for o in own):
        return 0
    side = run(binary, plan, "--show", ", ".join(metrics) + spec)
    if side is None or len(side) != 1:
        fails.append("%s: show %s%s did not run" % (plan, ", ".join(metrics), spec))
        return 0
    side = side[0]
    for m, o in zip(metrics, own):
        want = metric_columns(o[0])
        got = {}
        for c in sorted({c for (_, c) in want}):
            got.update(side_column(side, m, c))
        # a row only another metric has (a reserve) is n/a for this one
        extra = [k for k in got if k not in want and got[k] is not None]
        bad = sorted(k for k in want if got.get(k, "missing") != want[k])
        if bad or extra:
            fails.append("%s: %s%s: side by side differs from its own table at %s"
                         % (plan, m, spec, (bad + extra)[:3]))
    return len(metrics)


def side_cases(binary, plan):
    """(metrics, levels) of the plan's tables: metrics shown per the same levels."""
    doc = run(binary, plan)
    groups = {}
    for t in doc or []:
        if "metric" not in t or t.get("row_level") in (None, "total") or t.get("col_kinds"):
            continue
        if "," in t["metric"]:
            continue
        key = tuple(levels_of(t))
        if t["metric"] not in groups.setdefault(key, []):
            groups[key].append(t["metric"])
    return [(ms, list(k)) for k, ms in sorted(groups.items()) if len(ms) >= 2]


def reforecast_metric(plan):
    with open(plan, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^\s*reforecast\s+(\w+)\s*$", text, re.M)
    return m.group(1) if m and "actuals" in text else None


def forecast_parts(sheet):
    """Per member: (annual, actual, [period cells], rest of year)."""
    cols = sheet["columns"]
    first = next(i for i, c in enumerate(cols) if c.startswith("actual to ")) + 1
    last = cols.index("rest of year")
    rows = {}
    for r in sheet["rows"]:
        vals = [None] + [num(r[c]) for c in cols[1:]]
        rows[r[cols[0]]] = (vals[1], vals[first - 1], vals[first:last], vals[last])
    return rows


def check_reforecast(binary, plan, metric, fails):
    by = {}
    for period in ("month", "quarter", "half"):
        doc = run(binary, plan, "--show", "reforecast %s by %s" % (metric, period))
        if doc is None:
            return 0
        by[period] = forecast_parts(doc[0]) if doc[0].get("rows") else {}
    months = by["month"]
    checked = 0
    for period, span in (("quarter", 3), ("half", 6)):
        for who, (annual, actual, cells, rest) in by[period].items():
            m_annual, m_actual, m_cells, m_rest = months[who]
            # the first period: the months left in it; the others: span months each
            first = len(m_cells) - span * (len(cells) - 1)
            sums, at = [], 0
            for k in range(len(cells)):
                n = first if k == 0 else span
                sums.append(sum(m_cells[at:at + n], Decimal(0)))
                at += n
            if (annual, actual, rest) != (m_annual, m_actual, m_rest) or sums != cells \
                    or not 1 <= first <= span:
                fails.append("%s: reforecast %s by %s, %s: %s, months add to %s"
                             % (plan, metric, period, who, cells, sums))
            checked += 1
    return checked


def plans():
    out = []
    for d in ("examples", os.path.join("tests", "golden")):
        full = os.path.join(ROOT, d)
        out += [os.path.join(full, f) for f in sorted(os.listdir(full)) if f.endswith(".plan")]
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: tables_prop.py BIN")
    binary = os.path.abspath(sys.argv[1])
    fails, passed = [], 0
    nside = nref = 0
    for plan in plans():
        for metrics, levels in side_cases(binary, plan):
            n = check_side(binary, plan, metrics, levels, fails)
            nside += n
        metric = reforecast_metric(plan)
        if metric:
            nref += check_reforecast(binary, plan, metric, fails)
    passed = nside + nref - len(fails)
    for f in fails:
        print("FAIL: " + f)
    print("tables: %d metric columns side by side, %d reforecast rows by quarter and half"
          % (nside, nref))
    print("tables: %d passed, %d failed" % (passed, len(fails)))
    sys.exit(1 if fails or not nside or not nref else 0)


if __name__ == "__main__":
    main()
