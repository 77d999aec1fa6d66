#!/usr/bin/python3
"""The xlsx format read back with openpyxl.

For every example plan (with a scenario where it has one, so that
statements, scorecards and reviews appear) and for several --show forms,
the workbook of `run --format xlsx -o F.xlsx` is compared with the csv of
the same run: one sheet per csv item (after the first sheet, which names
the plan), every cell equal (numbers as the exact decimal of the csv text),
the header row frozen.  Then number formats per kind and unit, status
fills, the first sheet's fields, a CJK-wide column, sheet names Excel
refuses made valid, a number past 15 digits kept as text, byte-identical
output, and the refusals (a terminal, an unknown format, a show that does
not exist, diff, the REPL), which exit 2 and write nothing.

usage: check.py SALESPLAN (run from the top of the tree)
"""
import csv
import glob
import io
import os
import pty
import re
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal

import openpyxl

BIN = os.path.abspath(sys.argv[1])
TMP = tempfile.mkdtemp(prefix="xlsx-check-")
checks = 0
failures = 0


def check(ok, what):
    global checks, failures
    checks += 1
    if not ok:
        failures += 1
        print("FAIL:", what)
    return ok


def run(args, **kw):
    return subprocess.run([BIN] + args, capture_output=True, **kw)


def csv_items(text):
    """The csv output's items: lists of rows, split at blank lines."""
    items, cur = [], []
    for row in csv.reader(io.StringIO(text)):
        if not row:
            if cur:
                items.append(cur)
            cur = []
        else:
            cur.append(row)
    if cur:
        items.append(cur)
    return items


def same_cell(xv, cv):
    if xv is None:
        return cv == ""
    if isinstance(xv, bool):
        return False
    if isinstance(xv, (int, float)):
        try:
            return Decimal(cv) == Decimal(repr(xv))
        except Exception:
            return False
    return str(xv) == cv


def grid(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


def xlsx_and_csv(name, args):
    """Runs args as xlsx and as csv; returns (workbook or None, csv text, rc)."""
    out = os.path.join(TMP, name + ".xlsx")
    x = run(["run"] + args + ["--format", "xlsx", "-o", out])
    c = run(["run"] + args + ["--format", "csv", "--csv-raw-text"])
    check(x.returncode == c.returncode, "%s: exit %d for xlsx, %d for csv (%s)"
          % (name, x.returncode, c.returncode, x.stderr.decode()[:300]))
    if x.returncode not in (0, 1) or not os.path.exists(out):
        check(False, "%s: no workbook (exit %d): %s" % (name, x.returncode, x.stderr.decode()[:300]))
        return None, c.stdout.decode(), x.returncode
    return openpyxl.load_workbook(out), c.stdout.decode(), x.returncode


def compare(name, args):
    """Every sheet after the first equals the csv item of the same place."""
    wb, text, _ = xlsx_and_csv(name, args)
    if wb is None:
        return None
    items = csv_items(text)
    sheets = wb.worksheets[1:]
    if not check(len(sheets) == len(items), "%s: %d sheets for %d csv items"
                 % (name, len(sheets), len(items))):
        return wb
    for ws, rows in zip(sheets, items):
        g = grid(ws)
        where = "%s, sheet %r" % (name, ws.title)
        if not check(len(g) == len(rows), "%s: %d rows, csv has %d" % (where, len(g), len(rows))):
            continue
        bad = [(r, c, g[r][c] if c < len(g[r]) else None, rows[r][c])
               for r in range(len(rows)) for c in range(len(rows[r]))
               if not same_cell(g[r][c] if c < len(g[r]) else None, rows[r][c])]
        check(not bad, "%s: cells differ from csv (row, col, xlsx, csv): %s" % (where, bad[:5]))
        check(all(len(r) <= len(rows[0]) for r in g), "%s: wider than the csv" % where)
        check(ws.freeze_panes in ("A2", "B2"), "%s: header not frozen (%s)" % (where, ws.freeze_panes))
        check(all(c.font.b for c in ws[1]), "%s: header row not bold" % where)
    return wb


def scenario_of(plan):
    m = re.search(r"^scenario\s+(\w+)", open(plan, encoding="utf-8").read(), re.M)
    return ["--scenario", m.group(1)] if m else []


def by_head(ws, head):
    """Column index (1-based) of head in the first row."""
    for c in ws[1]:
        if c.value == head:
            return c.column
    return None


def sheet(wb, title):
    return wb[title] if title in wb.sheetnames else None


def check_examples():
    for plan in sorted(glob.glob("examples/*.plan")):
        base = os.path.splitext(os.path.basename(plan))[0]
        compare("example_" + base, [plan] + scenario_of(plan))


SHOWS = ["revenue by region, quarter", "revenue by rep, month", "new_customers by rep",
         "incentive rep_pay", "scorecard rep_card", "review monthly", "review quarterly",
         "review annual", "reforecast revenue"]


def check_shows():
    plan = "examples/team_small.plan"
    wbs = {}
    for i, show in enumerate(SHOWS):
        wbs[show] = compare("show_%d" % i, [plan, "--scenario", "soft_year", "--show", show])
    wb = wbs["revenue by region, quarter"]
    if wb:
        ws = wb.worksheets[1]
        check(ws.title == "revenue by region, quarter", "a show's sheet is named after it: %r" % ws.title)
        check(ws["B2"].number_format == '0!.0000"万"', "万 plan: money format %r" % ws["B2"].number_format)
        check(ws.freeze_panes == "B2", "two-level table: first column frozen too")
        last = ws.max_row
        check(ws.cell(last, 1).value == "total" and ws.cell(last, 2).font.b,
              "the total row is bold")
        check(not ws.cell(2, 2).font.b, "a body row is not bold")
    wb = wbs["new_customers by rep"]
    if wb:
        check(wb.worksheets[1]["B2"].number_format == "#,##0", "count format")
    check_review(wbs["review monthly"])
    check_review(compare("show_at_target", [plan, "--scenario", "at_target", "--show", "review monthly"]))
    amber = variant("amber", plan, [("scenario at_target {", "scenario amber { attainment = 95% }\nscenario at_target {")])
    try:
        check_review(compare("show_amber", [amber, "--scenario", "amber", "--show", "review monthly"]))
    finally:
        os.remove(amber)
    check(len(COLOURS) == 3, "status cells of every colour seen: %s" % COLOURS)
    wb = wbs["scorecard rep_card"]
    if wb:
        ws = wb.worksheets[1]
        c = by_head(ws, "score")
        a = by_head(ws, "attainment")
        w = by_head(ws, "weight")
        check(c and ws.cell(2, c).number_format == "0.00", "score format")
        check(a and ws.cell(2, a).number_format == "0.00%", "attainment as a percent")
        check(w and isinstance(ws.cell(2, w).value, float) and ws.cell(2, w).value <= 1,
              "a weight is stored as its fraction")
    wb = wbs["incentive rep_pay"]
    if wb:
        ws = wb.worksheets[1]
        c = by_head(ws, "payout")
        check(c and ws.cell(2, c).number_format == '0!.0000"万"', "payout in the plan's unit")


COLOURS = set()


def check_review(wb):
    if not wb:
        return
    ws = wb.worksheets[1]
    st, att, tgt = by_head(ws, "status"), by_head(ws, "attainment"), by_head(ws, "target")
    if not check(st and att and tgt, "review columns: %s" % [c.value for c in ws[1]]):
        return
    fills = {"green": "FFC6EFCE", "amber": "FFFFEB9C", "red": "FFFFC7CE"}
    seen = COLOURS
    for r in range(2, ws.max_row + 1):
        v = ws.cell(r, st).value
        if v in fills:
            seen.add(v)
            got = ws.cell(r, st).fill.fgColor.rgb
            check(ws.cell(r, st).fill.fill_type == "solid" and got == fills[v],
                  "status %s filled %s, got %s" % (v, fills[v], got))
        if isinstance(ws.cell(r, att).value, (int, float)):
            check(ws.cell(r, att).number_format == "0.00%", "attainment format")
    check(ws.cell(2, tgt).number_format == '0!.0000"万"', "review target in 万")


def variant(name, src, edits):
    text = open(src, encoding="utf-8").read()
    for a, b in edits:
        check(a in text, "%s: %r in %s" % (name, a, src))
        text = text.replace(a, b)
    if not os.path.exists(os.path.join(TMP, "data")):  # the data the plans read, beside them
        shutil.copytree("examples/data", os.path.join(TMP, "data"))
    path = os.path.join(TMP, "xlsx_%s.plan" % name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def check_units_and_about():
    made = []
    try:
        for unit, fmt in (("k", '#,##0.00,"k"'), ("M", '#,##0.00,,"M"'), ("1", "#,##0.00")):
            p = variant("unit_" + unit, "examples/fy2027.plan",
                        [('unit     = "万"', 'unit = "%s"' % unit)])
            made.append(p)
            wb = compare("unit_" + unit, [p])
            if wb:
                got = wb.worksheets[1]["B2"].number_format
                check(got == fmt, "unit %s: format %r, got %r" % (unit, fmt, got))
        p = variant("names", "examples/fy2027.plan",
                    [('report "区域季度目标"', 'report "区域:季度/目标[一]*二?三\'s quarterly targets by region"'),
                     ('plan "FY2027 销售计划"', 'plan "FY2027 销售计划 全年目标"')])
        made.append(p)
        wb = compare("names", [p, "--scenario", "at_target", "--as-of", "2027-06"])
        if wb:
            name = wb.sheetnames[1]
            check(name == "区域_季度_目标_一__二_三's quarterly tar", "a sheet name made valid: %r" % name)
            check(len(name) <= 31, "31 characters at most")
            about = {r[0]: r[1] for r in grid(wb.worksheets[0])}
            version = run(["--version"]).stdout.decode().split()[-1]
            want = {"plan": "FY2027 销售计划 全年目标", "fiscal year": "FY2027", "as of": "2027-06",
                    "source": "xlsx_names.plan", "salesplan version": version}
            check(about == want, "the first sheet: %s" % about)
            check(wb.sheetnames[0] == "plan", "the first sheet is named plan")
            width = wb.worksheets[0].column_dimensions["B"].width
            check(abs(width - 26.71) < 0.01,  # libxlsxwriter adds 0.71 of padding
                  "a CJK-wide column: FY2027 销售计划 全年目标 is 24 columns wide (+2): %s" % width)
    finally:
        for p in made:
            os.remove(p)


BIG = """plan "big" { year = 2027  start = jan  round = 0.01 }
dimension org levels rep { zhang "张伟", li "李娜" }
metric revenue money
target revenue = 123456789012345.67
split revenue by rep weights { zhang: 1, li: 1 }
report "sheet" { show revenue by rep }
report "Sheet" { show revenue by rep }
report "'quoted'" { show revenue by rep }
"""


def check_digits_and_names():
    p = os.path.join(TMP, "big.plan")
    with open(p, "w", encoding="utf-8") as f:
        f.write(BIG)
    wb = compare("big", [p])
    if not wb:
        return
    check(wb.sheetnames == ["plan", "sheet", "Sheet (2)", "quoted"],
          "unique case-insensitively, no quote at the ends: %s" % wb.sheetnames)
    g = grid(wb.worksheets[1])
    check(g[1][1] == "61728394506172.84" and g[2][1] == "61728394506172.83",
          "14+2 digits fit: %r %r" % (g[1][1], g[2][1]))
    check(isinstance(g[3][1], str) and g[3][1] == "123456789012345.67",
          "17 significant digits kept as text: %r" % g[3][1])


def check_bytes():
    a, b = os.path.join(TMP, "same1.xlsx"), os.path.join(TMP, "same2.xlsx")
    args = ["run", "examples/team_small.plan", "--scenario", "soft_year", "--format", "xlsx", "-o"]
    run(args + [a])
    run(args + [b])
    check(open(a, "rb").read() == open(b, "rb").read(), "two runs give the same bytes")
    piped = run(args[:-1])
    check(piped.returncode == 0 and piped.stdout == open(a, "rb").read(), "to a pipe: the same bytes")


def check_refusals():
    out = os.path.join(TMP, "refused.xlsx")
    plan = "examples/fy2027.plan"
    master, slave = pty.openpty()
    r = subprocess.run([BIN, "run", plan, "--format", "xlsx"], stdout=slave,
                       stderr=subprocess.PIPE)
    os.close(slave)
    os.close(master)
    check(r.returncode == 2 and b"xlsx is binary: use -o FILE.xlsx" in r.stderr,
          "a terminal is refused: %d %s" % (r.returncode, r.stderr))
    for name, args, says in (
            ("unknown format", [plan, "--format", "xls"], b"unknown format 'xls'"),
            ("bad show", [plan, "--format", "xlsx", "--show", "revenue by nowhere"], b"nowhere"),
            ("bad report", [plan, "--format", "xlsx", "--show", "incentive nothing"], b"nothing")):
        r = run(["run"] + args + ["-o", out])
        check(r.returncode == 2 and says in r.stderr and not os.path.exists(out),
              "%s: exit %d, %s, file %s" % (name, r.returncode, r.stderr[:200], os.path.exists(out)))
    wide = os.path.join(TMP, "wide")  # 16,400 reps as columns: past Excel's 16,384
    os.mkdir(wide)
    subprocess.run(["sh", "bench/alloc/gen.sh", "16400", wide], check=True)
    with open(os.path.join(wide, "alloc.plan"), encoding="utf-8") as f:
        text = "".join(l for l in f if "product" not in l)
    with open(os.path.join(wide, "wide.plan"), "w", encoding="utf-8") as f:
        f.write(text)
    r = run(["run", os.path.join(wide, "wide.plan"), "--show", "revenue by month, rep",
             "--format", "xlsx", "-o", out])
    check(r.returncode == 2 and not os.path.exists(out) and
          b"'revenue by month, rep' has 16402 columns; an Excel sheet holds at most 16384 columns"
          in r.stderr, "past Excel's columns: %d %s" % (r.returncode, r.stderr[:300]))
    r = run(["run", os.path.join(wide, "wide.plan"), "--show", "revenue by month, rep",
             "--format", "xlsx"])
    check(r.returncode == 2 and not r.stdout, "past Excel's columns, to a pipe: nothing written")
    r = run(["diff", plan, plan, "--format", "xlsx"])
    check(r.returncode == 2 and b"--format xlsx is not one of its formats" in r.stderr,
          "diff refuses xlsx: %d %s" % (r.returncode, r.stderr))
    r = run(["repl", plan, "--format", "xlsx"], input=b"")
    check(r.returncode == 2 and b"xlsx is a file format" in r.stderr, "repl --format xlsx: %s" % r.stderr)
    r = run(["repl", plan], input=b":format xlsx\n:format\n")
    said = r.stdout + r.stderr
    check(b"xlsx is a file format" in said and b"format: table" in said,
          ":format xlsx refused, the format kept: %s" % said)


def check_chinese_labels_side_by_side():
    """lang = "zh": the first sheet, heads, total rows and status words in
    Chinese, status cells still filled; --labels: members by their labels,
    cell for cell what csv --labels writes; metrics side by side: each
    column in its own number format."""
    wb = compare("zh_review", ["examples/fy2027_zh.plan", "--as-of", "2027-06",
                               "--show", "review monthly"])
    if wb:
        check(wb.sheetnames[0] == "计划", "zh: the first sheet is 计划: %s" % wb.sheetnames)
        first = [c.value for c in wb.worksheets[0]["A"]]
        check("财年" in first and "截至" in first, "zh: the first sheet's words: %s" % first)
        ws = wb.worksheets[1]
        st, att = by_head(ws, "状态"), by_head(ws, "达成率")
        fills = {"正常": "FFC6EFCE", "预警": "FFFFEB9C", "落后": "FFFFC7CE"}
        seen = set()
        for r in range(2, ws.max_row + 1):
            v = ws.cell(r, st).value if st else None
            if v in fills:
                seen.add(v)
                check(ws.cell(r, st).fill.fgColor.rgb == fills[v],
                      "zh: status %s filled %s" % (v, fills[v]))
            if att and isinstance(ws.cell(r, att).value, (int, float)):
                check(ws.cell(r, att).number_format == "0.00%", "zh: attainment format")
        check(st and att and len(seen) == 3, "zh: status words of every band seen: %s" % seen)
    plan = "examples/team_small.plan"
    wb = compare("labels", [plan, "--show", "revenue by rep", "--labels"])
    if wb:
        names = [c.value for c in wb.worksheets[1]["A"]][1:]
        check("张伟" in names and "zhang" not in names, "--labels: reps by label: %s" % names)
    wb = compare("side", [plan, "--show", "revenue, new_customers by region"])
    if wb:
        ws = wb.worksheets[1]
        r, n = by_head(ws, "销售额") or by_head(ws, "revenue"), by_head(ws, "新客户") or by_head(ws, "new_customers")
        check(r and ws.cell(2, r).number_format == '0!.0000"万"', "side by side: money column in 万")
        check(n and ws.cell(2, n).number_format == "#,##0", "side by side: count column")


def main():
    try:
        check_examples()
        check_shows()
        check_units_and_about()
        check_digits_and_names()
        check_bytes()
        check_refusals()
        check_chinese_labels_side_by_side()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print("xlsx: %d checks, %d failed" % (checks, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
