#!/usr/bin/env python3
"""weeks_prop.py -- property tests of weeks and days under the months (issue 13).

Random plans with ISO or fiscal weeks, random worked weekdays, holidays and
make-up working days, splits by week (equally at the year or a quarter; amounts,
shares, rest and weights in a month) beside splits by region and rep, shown by
month, week and day, alone and beside the reps and regions.  For every plan:

  * per member, the days of a month add up to the month's cell (table by month),
    the days of a week to the week's cell, and weeks, days and months to the
    same year total;
  * a week (a day) shows the same number in every table: `by week` is the total
    row of `by rep, week` and of `by region, week`, `by week, rep` is
    `by rep, week` transposed;
  * against an independent calendar (Python's datetime) and Fraction oracle:
    the week names, each member's week fragment within one rounding step of its
    month cell times the fragment's share (the split by week, else working days),
    each day within one step of its fragment times its working-day share, and
    amounts locked in a month shown exactly;
  * a weekly review (`review weekly { status m0 }`, random dated actuals, --as-of
    a random day): it reports exactly the weeks that have ended by that day, each
    rep's target is its cell of `m0 by rep, week` and its actual the sum of the
    rows dated in the week.

usage: weeks_prop.py BIN   (WEEKS_N plans, else VIEWS_N up to 300, else 300; WEEKS_SEED;
WEEKS_KEEP=DIR keeps failing plans); run by `make check-views`
"""
import datetime
import os
import random
import shutil
import subprocess
import sys
import tempfile
from fractions import Fraction as F

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


class Cal:
    """The plan's calendar, computed independently of the interpreter."""

    def __init__(self, year, start, fiscal, week_start, workmask, holidays):
        self.first = datetime.date(year, start, 1)
        end = datetime.date(year + 1, start, 1)
        self.ndays = (end - self.first).days
        self.days = [self.first + datetime.timedelta(i) for i in range(self.ndays)]
        self.month_first = []
        for i, d in enumerate(self.days):
            if d.day == 1:
                self.month_first.append(i)
        self.month_first.append(self.ndays)
        ws = week_start if fiscal else 0
        back = (self.first.weekday() - ws) % 7
        self.week_first = list(range(-back, self.ndays, 7))
        self.work = [1 if (workmask >> d.weekday()) & 1 else 0 for d in self.days]
        for d, w in holidays.items():
            self.work[(d - self.first).days] = w
        self.labels = []
        for f in self.week_first:
            if fiscal:
                self.labels.append("FY%04d-W%02d" % (year, len(self.labels) + 1))
            else:
                y, w, _ = (self.first + datetime.timedelta(f + 3)).isocalendar()
                self.labels.append("%04d-W%02d" % (y, w))
        self.frags = []  # per month: [(week, from, to)]
        for m in range(12):
            lo, hi = self.month_first[m], self.month_first[m + 1]
            fr = []
            for w, f in enumerate(self.week_first):
                a, b = max(f, lo), min(f + 7, hi)
                if a < b:
                    fr.append((w, a, b))
            self.frags.append(fr)

    def workdays(self, a, b):
        return sum(self.work[max(a, 0):b])

    def label(self, i):
        return self.days[i].isoformat()


class Metric:
    def __init__(self, name, kind, target):
        self.name, self.kind, self.target = name, kind, target
        self.month_share = [F(1, 12)] * 12
        self.week = {}  # month -> ("equal",) | ("map", entries) | ("weights", entries)
        self.lines = []

    @property
    def step(self):
        return F(1) if self.kind == "count" else F(1, 100)


def money(x):
    """A value as the plan writes it."""
    return str(x) if x.denominator == 1 else "%s" % (float(x))


def gen(rng):
    year = rng.randint(2025, 2030)
    start = rng.choice([1, 1, 2, 4, 7, 10])
    fiscal = rng.random() < 0.4
    week_start = rng.randrange(7) if fiscal else 0
    workdays = rng.choice(["mon-fri", "mon-fri", "mon-sat", "sun-thu", "mon tue wed thu"])
    mask = 0
    for part in workdays.split():
        if "-" in part:
            a, b = DAYS.index(part[:3]), DAYS.index(part[4:])
            d = a
            while True:
                mask |= 1 << d
                if d == b:
                    break
                d = (d + 1) % 7
        else:
            mask |= 1 << DAYS.index(part)
    first = datetime.date(year, start, 1)
    ndays = (datetime.date(year + 1, start, 1) - first).days
    holidays = {}
    for _ in range(rng.randint(0, 25)):
        d = first + datetime.timedelta(rng.randrange(ndays))
        holidays[d] = 1 if (rng.random() < 0.2 and not (mask >> d.weekday()) & 1) else 0
    cal = Cal(year, start, fiscal, week_start, mask, holidays)
    regions = [["r%d_%d" % (i, j) for j in range(rng.randint(1, 3))] for i in range(rng.randint(1, 3))]
    metrics = []
    for k in range(rng.randint(1, 3)):
        kind = rng.choice(["money", "count"])
        target = F(rng.choice([1200, 3650, 5200, 10000, 1234567])) * (100 if kind == "money" else 1)
        M = Metric("m%d" % k, kind, target)
        gen_time(rng, cal, M)
        M.lines.append("split %s by region weights { %s }" % (M.name, ", ".join(
            "reg%d: %d" % (i, rng.randint(1, 4)) for i in range(len(regions)))))
        M.lines.append("split %s by rep equally" % M.name)
        metrics.append(M)
    head = ['plan "weeks %d" {' % year, "  year = %d" % year, "  start = %s" % MONTHS[start - 1],
            "  weeks = %s" % ("fiscal" if fiscal else "iso")]
    if fiscal:
        head.append("  week_start = %s" % DAYS[week_start])
    head.append('  workdays = "%s"' % workdays)
    if holidays:
        head.append('  holidays = "holidays.csv"')
    head.append("}")
    dim = "dimension org levels region > rep { %s }" % " ".join(
        "reg%d { %s }" % (i, " ".join(r)) for i, r in enumerate(regions))
    body = []
    for M in metrics:
        body += ["metric %s %s" % (M.name, M.kind), "target %s = %s" % (M.name, M.target)] + M.lines
    body.append("metric rate0 = %s / working_days" % metrics[0].name)
    body += ['actuals "actuals.csv"', "review weekly { status %s  flag deviation 10%% }" % metrics[0].name]
    text = "\n".join(head + [dim] + body) + "\n"
    csv = "date,name,workday\n" + "".join(
        "%s,h%d,%s\n" % (d.isoformat(), i, "yes" if w else "") for i, (d, w) in enumerate(sorted(holidays.items())))
    return text, csv, cal, metrics, regions


def days_of(cal, m):
    return cal.month_first[m + 1] - cal.month_first[m]


def gen_time(rng, cal, M):
    form = rng.choice(["year", "quarters", "months"])
    if form == "year":
        M.lines.append("split %s by week equally" % M.name)
        M.month_share = [F(days_of(cal, m), cal.ndays) for m in range(12)]
        for m in range(12):
            M.week[m] = ("equal",)
        return
    if form == "quarters":
        M.lines.append("split %s by quarter equally" % M.name)
        for q in range(4):
            qd = sum(days_of(cal, m) for m in range(3 * q, 3 * q + 3))
            if rng.random() < 0.5:
                M.lines.append("split %s by week in Q%d equally" % (M.name, q + 1))
                for m in range(3 * q, 3 * q + 3):
                    M.month_share[m] = F(1, 4) * F(days_of(cal, m), qd)
                    M.week[m] = ("equal",)
            else:
                M.lines.append("split %s by month in Q%d equally" % (M.name, q + 1))
                for m in range(3 * q, 3 * q + 3):
                    M.month_share[m] = F(1, 12)
        return
    M.lines.append("split %s by month equally" % M.name)
    for m in rng.sample(range(12), rng.randint(0, 4)):
        name = MONTHS[(cal.days[cal.month_first[m]].month - 1)]
        n = len(cal.frags[m])
        total = M.target / 12
        how = rng.choice(["map", "weights", "equal"])
        if how == "equal":
            M.lines.append("split %s by week in %s equally" % (M.name, name))
            M.week[m] = ("equal",)
            continue
        if how == "weights":
            ws = {k: rng.randint(0, 3) for k in range(n)}
            if not any(ws.values()):
                ws[0] = 1
            M.lines.append("split %s by week in %s weights { %s }" % (
                M.name, name, ", ".join("w%d: %d" % (k + 1, v) for k, v in ws.items())))
            M.week[m] = ("weights", ws)
            continue
        entries, used = {}, F(0)
        rest = rng.randrange(n)
        for k in range(n):
            if k == rest or rng.random() < 0.3:
                continue
            if rng.random() < 0.5:
                v = (total * F(rng.randint(1, 15), 100) / M.step).__floor__() * M.step
                entries[k] = ("amount", v)
                used += v
            else:
                p = F(rng.randint(1, 15), 100)
                entries[k] = ("share", p)
                used += total * p
        entries[rest] = ("rest", None)
        M.lines.append("split %s by week in %s { %s }" % (M.name, name, ", ".join(
            "w%d: %s" % (k + 1, "rest" if e[0] == "rest" else
                         (money(e[1]) if e[0] == "amount" else "%d%%" % (e[1] * 100)))
            for k, e in sorted(entries.items()))))
        M.week[m] = ("map", entries)


def frag_shares(cal, M, m):
    fr = cal.frags[m]
    spec = M.week.get(m)
    if spec and spec[0] == "weights":
        s = sum(spec[1].values())
        return [F(spec[1].get(k, 0), s) for k in range(len(fr))]
    if spec and spec[0] == "map":
        T = M.target * M.month_share[m]
        out, used, rest = [F(0)] * len(fr), F(0), None
        for k, (what, v) in spec[1].items():
            if what == "rest":
                rest = k
                continue
            val = v if what == "amount" else T * v
            out[k] = val / T
            used += val
        out[rest] = (T - used) / T
        return out
    if spec:  # equally: by days
        return [F(b - a, days_of(cal, m)) for (_, a, b) in fr]
    wd = [cal.workdays(a, b) for (_, a, b) in fr]
    if sum(wd) == 0:
        return [F(b - a, days_of(cal, m)) for (_, a, b) in fr]
    return [F(x, sum(wd)) for x in wd]


def day_shares(cal, a, b):
    wd = cal.workdays(a, b)
    return [F(cal.work[i] if wd else 1, wd if wd else b - a) for i in range(a, b)]


def run_show(bin_, d, show):
    p = subprocess.run([bin_, "run", "plan.plan", "--format", "csv", "--show", show], cwd=d,
                       capture_output=True)
    if p.returncode != 0:
        raise RuntimeError("run --show '%s' exits %d: %s" % (show, p.returncode,
                                                               p.stderr.decode(errors="replace")[:600]))
    rows = [line.split(",") for line in p.stdout.decode().strip().split("\n")]
    head = rows[0]
    return head, {r[0]: [F(x) if x else None for x in r[1:]] for r in rows[1:]}


def check_plan(bin_, seed, keep):
    rng = random.Random(seed)
    text, csv, cal, metrics, regions = gen(rng)
    problems = []
    d = tempfile.mkdtemp(prefix="weeks-prop.")
    try:
        with open(os.path.join(d, "plan.plan"), "w", encoding="utf-8") as f:
            f.write(text)
        with open(os.path.join(d, "holidays.csv"), "w", encoding="utf-8") as f:
            f.write(csv)
        rows = gen_actuals(random.Random(seed * 31 + 7), cal, metrics[0], regions)
        with open(os.path.join(d, "actuals.csv"), "w", encoding="utf-8") as f:
            f.write("date,rep,%s\n" % metrics[0].name + "".join("%s,%s,%s\n" % r for r in rows))
        c = subprocess.run([bin_, "check", "plan.plan"], cwd=d, capture_output=True)
        if c.returncode != 0:
            problems.append("check exits %d: %s" % (c.returncode, c.stderr.decode(errors="replace")[:800]))
        for M in metrics:
            if problems:
                break
            try:
                check_metric(bin_, d, cal, M, regions, problems)
            except RuntimeError as e:
                problems.append(str(e))
        if not problems:
            try:
                check_rate(bin_, d, cal, metrics[0], problems)
                check_review(bin_, d, cal, metrics[0], rows, random.Random(seed * 17 + 3), problems)
            except RuntimeError as e:
                problems.append(str(e))
        if problems and keep:
            os.makedirs(keep, exist_ok=True)
            shutil.copy(os.path.join(d, "plan.plan"), os.path.join(keep, "weeks_%d.plan" % seed))
            shutil.copy(os.path.join(d, "holidays.csv"), os.path.join(keep, "weeks_%d_holidays.csv" % seed))
            shutil.copy(os.path.join(d, "actuals.csv"), os.path.join(keep, "weeks_%d_actuals.csv" % seed))
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return problems


def check_metric(bin_, d, cal, M, regions, problems):
    n = M.name
    wh, week = run_show(bin_, d, "%s by week" % n)
    rwh, rw = run_show(bin_, d, "%s by rep, week" % n)
    wrh, wr = run_show(bin_, d, "%s by week, rep" % n)
    gwh, gw = run_show(bin_, d, "%s by region, week" % n)
    rmh, rm = run_show(bin_, d, "%s by rep, month" % n)
    rdh, rd = run_show(bin_, d, "%s by rep, day" % n)
    dh, day = run_show(bin_, d, "%s by day" % n)
    labels = [k for k in week if k != "total"]
    if labels != cal.labels:
        problems.append("%s: week names %s.. differ from the calendar's %s.." % (n, labels[:3], cal.labels[:3]))
        return
    if rwh[1:-1] != cal.labels or [k for k in wr if k != "total"] != cal.labels:
        problems.append("%s: the week columns of 'by rep, week' or rows of 'by week, rep' differ" % n)
    if [k for k in day if k != "total"] != [cal.label(i) for i in range(cal.ndays)]:
        problems.append("%s: the days of 'by day' are not the fiscal year's" % n)
        return
    reps = [k for k in rw if k != "total"]
    for w, lab in enumerate(cal.labels):
        if rw["total"][w] != week[lab][0] or gw["total"][w] != week[lab][0]:
            problems.append("%s: week %s is %s by week, %s in the total of by rep, week, %s of by region, week"
                            % (n, lab, week[lab][0], rw["total"][w], gw["total"][w]))
        for i, r in enumerate(reps):
            if wr[lab][i] != rw[r][w]:
                problems.append("%s: %s %s differs between by rep, week and by week, rep" % (n, r, lab))
    for i in range(cal.ndays):
        if rd["total"][i] != day[cal.label(i)][0]:
            problems.append("%s: day %s is %s by day, %s in the total of by rep, day" % (
                n, cal.label(i), day[cal.label(i)][0], rd["total"][i]))
            break
    for r in reps:
        check_member(cal, M, r, rw[r], rm[r], rd[r], problems)
        if len(problems) > 8:
            return
    check_locks(cal, M, rm["total"], rd["total"], problems)


def gen_actuals(rng, cal, M, regions):
    """Dated rows of metric M for random reps, a few outside the fiscal year."""
    reps = [r for reg in regions for r in reg]
    rows = []
    for _ in range(rng.randint(0, 30)):
        day = cal.first + datetime.timedelta(rng.randint(-10, cal.ndays + 10))
        v = "%d" % rng.randint(0, 50) if M.kind == "count" else "%d.%02d" % (rng.randint(0, 99999), rng.randint(0, 99))
        rows.append((day.isoformat(), rng.choice(reps), v))
    return rows


def csv_rows(bin_, d, args):
    p = subprocess.run([bin_, "run", "plan.plan", "--format", "csv"] + args, cwd=d, capture_output=True)
    if p.returncode != 0:
        raise RuntimeError("run %s exits %d: %s" % (" ".join(args), p.returncode,
                                                      p.stderr.decode(errors="replace")[:600]))
    return [line.split(",") for line in p.stdout.decode().strip().split("\n")[1:] if line]


def check_review(bin_, d, cal, M, rows, rng, problems):
    """review weekly with --as-of a random day: the weeks ended by then, the targets of
    `by rep, week` and the actuals summed per week from the rows."""
    asof = rng.randrange(cal.ndays)
    ended = [w for w, f in enumerate(cal.week_first) if min(f + 6, cal.ndays - 1) <= asof]
    got = csv_rows(bin_, d, ["--as-of", cal.label(asof), "--show", "review weekly"])
    _, rw = run_show(bin_, d, "%s by rep, week" % M.name)
    reps = [k for k in rw if k != "total"]
    want = [(cal.labels[w], r) for w in ended for r in reps]
    if [(g[0], g[1]) for g in got] != want:
        problems.append("review weekly --as-of %s: rows %s.. not the weeks ended by then %s.." % (
            cal.label(asof), [(g[0], g[1]) for g in got][:3], want[:3]))
        return
    actual = {}
    for day, rep, v in rows:
        i = (datetime.date.fromisoformat(day) - cal.first).days
        if 0 <= i < cal.ndays:
            w = max(k for k, f in enumerate(cal.week_first) if f <= i)
            actual[(w, rep)] = actual.get((w, rep), F(0)) + F(v)
    for g in got:
        w, r = cal.labels.index(g[0]), g[1]
        if F(g[3]) != rw[r][w] or F(g[4]) != actual.get((w, r), F(0)):
            problems.append("review weekly: %s %s target %s actual %s, expected %s and %s" % (
                g[0], r, g[3], g[4], rw[r][w], actual.get((w, r), F(0))))
            return


def check_rate(bin_, d, cal, M, problems):
    """rate0 = M / working_days: by week, day and month, the shown value of M over the
    working days of the calendar's week, day or month; n/a without working days."""
    for level in ("week", "day", "month"):
        _, vals = run_show(bin_, d, "%s by %s" % (M.name, level))
        _, rate = run_show(bin_, d, "rate0 by %s" % level)
        keys = [k for k in vals if k != "total"]
        for i, k in enumerate(keys):
            if level == "week":
                a, b = max(cal.week_first[i], 0), min(cal.week_first[i] + 7, cal.ndays)
            elif level == "day":
                a, b = i, i + 1
            else:
                a, b = cal.month_first[i], cal.month_first[i + 1]
            wd = cal.workdays(a, b)
            got = rate[k][0]
            if wd == 0:
                if got is not None:
                    problems.append("rate0 by %s: %s has no working day but shows %s" % (level, k, got))
                continue
            want = vals[k][0] / wd
            # by week and day the rate divides the table's value; by month, like every
            # ratio there, the exact one (within a rounding step of the table's)
            slack = F(1, 100) + (M.step / wd if level == "month" else 0)
            if got is None or abs(got - want) > slack:
                problems.append("rate0 by %s: %s shows %s, %s / %d working days is %s"
                                % (level, k, got, vals[k][0], wd, float(want)))
                return
        year = vals["total"][0] / cal.workdays(0, cal.ndays)
        if abs(rate["total"][0] - year) > F(1, 100) + M.step:
            problems.append("rate0 by %s: the total %s is not the year's %s" % (level, rate["total"][0], float(year)))


def check_member(cal, M, r, weeks, months, days, problems):
    n = M.name
    if not (weeks[-1] == months[-1] == days[-1] == sum(weeks[:-1]) == sum(days[:-1]) == sum(months[:-1])):
        problems.append("%s %s: year totals differ: weeks %s, months %s, days %s" % (n, r, weeks[-1], months[-1], days[-1]))
    for w, f in enumerate(cal.week_first):
        s = sum(days[max(f, 0):min(f + 7, cal.ndays)])
        if s != weeks[w]:
            problems.append("%s %s: the days of %s add up to %s, the week shows %s" % (n, r, cal.labels[w], s, weeks[w]))
            return
    for m in range(12):
        a, b = cal.month_first[m], cal.month_first[m + 1]
        if sum(days[a:b]) != months[m]:
            problems.append("%s %s: the days of month %d add up to %s, the month shows %s" % (n, r, m + 1, sum(days[a:b]), months[m]))
            return
        shares = frag_shares(cal, M, m)
        for k, (w, fa, fb) in enumerate(cal.frags[m]):
            frag = sum(days[fa:fb])
            exact = months[m] * shares[k]
            if abs(frag - exact) >= M.step:
                problems.append("%s %s: fragment w%d of month %d is %s, its exact share %s is more than a step away"
                                % (n, r, k + 1, m + 1, frag, float(exact)))
                return
            for i, sh in zip(range(fa, fb), day_shares(cal, fa, fb)):
                if abs(days[i] - frag * sh) >= M.step:
                    problems.append("%s %s: day %s is %s, its share of the fragment %s is %s"
                                    % (n, r, cal.label(i), days[i], frag, float(frag * sh)))
                    return


def check_locks(cal, M, months, days, problems):
    for m, spec in M.week.items():
        if spec[0] != "map" or months[m] != M.target * M.month_share[m]:
            continue
        for k, (what, v) in spec[1].items():
            if what != "amount":
                continue
            _, fa, fb = cal.frags[m][k]
            if sum(days[fa:fb]) != v:
                problems.append("%s: w%d of month %d is locked at %s, the days show %s" % (M.name, k + 1, m + 1, v, sum(days[fa:fb])))


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    bin_ = os.path.abspath(sys.argv[1])
    n = int(os.environ.get("WEEKS_N", min(int(os.environ.get("VIEWS_N", "300")), 300)))
    seed0 = int(os.environ.get("WEEKS_SEED", "1"))
    keep = os.environ.get("WEEKS_KEEP")
    failed = 0
    for seed in range(seed0, seed0 + n):
        problems = check_plan(bin_, seed, keep)
        if problems:
            failed += 1
            print("FAIL seed %d:" % seed)
            for p in problems[:8]:
                print("    " + p)
    print("weeks: %d passed, %d failed" % (n - failed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
