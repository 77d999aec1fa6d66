#!/usr/bin/env python3
"""Cross-view property tests: one number everywhere.

Generates thousands of small random plans that use every kind of quantity
docs/LANGUAGE.md defines (the section "What a number means, everywhere"):
allocated `money` and `count` metrics; derived metrics of money kind built
from other derived metrics (`gross = revenue * margin`, `net = gross - cost`
or `net = revenue * margin - cost`) and of count kind (`won = custs *
win_rate`); a derived metric that reads a product attribute per cell
(`turnover = revenue * price`, or `turnover money = custs * price`: each cell
its product's volume times its price, every total the sum of those cells);
ratios (`share = revenue / market`, `net_rate = net / revenue`);
`percent` metrics split by one dimension (values inherited down the tree);
seasonality from a history CSV written next to the plan; scopes (`in`);
members with `start`/`end`; over-assignment; a tree dimension (region > rep),
a flat one (product) and time split by quarter and/or month; a scenario at
100% with a scorecard, reviews and an incentive.  It computes every number
with fractions.Fraction (the allocation rules of LANGUAGE.md section 8, as
tests/prop/alloc_prop.py does for one metric, extended to start/end members,
`like`, seasonality, derived metrics, ratios and level metrics), runs
`salesplan check` and `salesplan run --format csv`, and checks:

  check      `check` accepts the plan (the generator makes only plans the
             contract accepts);
  run        `check` passing implies `run` passing for every table the plan
             can show (every metric by every level and pair of levels it can
             be shown at), every scorecard, review and incentive, and `run`
             by itself under the scenario;
  refuse     a plan with a report asking for a table it cannot show, or a
             scorecard of a metric it cannot give per rep (a quarter of the
             plans), is refused by `check` or shown by `run`: never accepted
             by `check`, then failing;
  transpose  `M by A, B` and `M by B, A` show the same cells;
  one-dim    the member totals of `M by L, T` are the table `M by L`, its
             period totals the table `M by T` (one step off: KNOWN col-step);
  cell-ref   `M[a, b]` in an assertion, and the REPL's answer (on a sample),
             are the cell the table shows;
  nest       in every table of members x months (quarters, halves), each
             member's months add up to its quarters, its quarters to its
             halves and its year (money and count metrics, derived ones
             included; ratios and percents are not summed);
  statement  every scorecard, review and incentive target under the scenario
             is the cell of `M by LEVEL, PERIOD-LEVEL` (`M by LEVEL` for the
             year) for that member and period; with `--as-of` (a third of the
             plans) a partial period's target is the sum of its month cells;
  rows       a member is in the rows of exactly the periods it is active in
             (in the months counted up to the as-of month);
  cards      an incentive reading the scorecard (card.score, card.rating,
             card.rank, a lookup table of the rating) gets what the
             scorecard shows for that member and period, under a scenario
             moving each KPI's attainment (and with --as-of on a sample);
  exact      the values agree with the Fraction oracle: each rounded cell is
             the step below or above its exact value (g3); rows, columns and
             totals are the sums of the cells (g4); one-dimension totals are
             the documented largest-remainder rounding from the top, along
             levels without splits too (lr); ratios are their exact value to
             4 decimals, n/a (an empty csv cell) for a zero denominator
             (ratio); percents are the inherited value (level);
  det        the same plan gives the same output twice (on a sample);
  csv        every table has its members in order and csv's number formats:
             money with the decimals of `round`, counts whole, percents and
             ratios 4 decimals of the fraction (n/a: an empty cell).

A one-step difference between a period total and the one-dimension table is
accepted (KNOWN col-step) only when a flow shows that the table cannot keep
both sets of totals: for time, a flow with lower bounds over the finest time
level (each member's total, each period column, each member's halves and
quarters within a step of exact), as the engine rounds it; anything else
that differs is a failure.  Each failure names its property, the plan's
seed and the numbers; `views_prop.py --plan SEED` prints the plan again.
tests/prop/findings/views_*.plan hold one small plan per property that the
engine before issue 11 fails.

`views_prop.py --selftest N` checks the checks: tables computed from the
oracle by a reference rounding (reference_table) must pass them.

Usage: views_prop.py BIN   (env VIEWS_N = number of plans, default 2000;
VIEWS_SEED = seed; VIEWS_JOBS = parallel runs; VIEWS_KEEP=DIR keeps every
failing plan (and its history CSV) there; VIEWS_STRICT=1 makes the known
rare cases (KNOWN) fail too; VIEWS_SHOW = how many failing plans to print,
default 6).  Prints `N passed, M failed` last; exits 1 on a failure.
"""
import csv
import io
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from fractions import Fraction as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import alloc_prop as ap  # noqa: E402  (its model, decimals and generators)

YEAR = ap.YEAR
MONTHS = ap.MONTHS
STEPS = ["0.01", "0.01", "1", "0.1", "100", "0.05"]
CELLS_MAX = 1000                 # more finest cells than any generated plan has
RATIO_EPS = F(1, 20000)          # a ratio in csv: 4 decimals, so within 0.00005
NEAR = F(1, 10 ** 6)             # remainders this close (in steps) are a tie for a 12-decimal engine
TIMEOUT = 120
NEG = " (a negative value: its remainder is taken above the step below it, as for positive ones)"

# Documented rare cases: counted and shown, failing only with VIEWS_STRICT=1.
# Nothing else goes here: a contract violation is a failure.
KNOWN = {
    "col-step": "a period (or second-dimension) total one step from the one-dimension table: the "
                "documented rare case where both sets of totals cannot hold at once",
    "tie": "remainders equal to 12 decimals but not exactly: the engine computes to 12 decimals "
           "(LANGUAGE.md section 3), the oracle exactly, so the extra step may go to either",
}


class Invalid(Exception):
    """The generated plan breaks a rule `check` enforces: generate another."""


# ---------------------------------------------------------------- the model
class Dim:
    def __init__(self, name, kind, levels):
        self.name, self.kind, self.levels = name, kind, levels
        self.at = [[] for _ in levels]

    def add(self, m):
        m.dim = self
        m.start_i = m.end_i = None
        self.at[m.depth].append(m)
        return m

    def kids(self, q, depth):
        if q is None:
            return list(self.at[depth])
        return [m for m in self.at[depth] if m.under(q)]

    def tmin(self):
        """The first level a table may show (not the year)."""
        return 1 if self.kind == "time" else 0


def active(m, i):
    """Whether member m (or its ancestors' start/end) is active in fiscal month i."""
    while m is not None:
        if m.start_i is not None and i < m.start_i:
            return False
        if m.end_i is not None and i > m.end_i:
            return False
        m = m.parent
    return True


def active_months(m):
    return sum(1 for i in range(12) if active(m, i))


class Spec:
    """One axis of an allocated metric: its split levels and splits."""

    def __init__(self, dim, sl):
        self.dim, self.sl, self.splits = dim, sl, []

    @property
    def grain(self):
        return self.sl[-1]

    def oa_depths(self):
        return sorted({s.depth for s in self.splits if s.adj})


class Alloc:
    """A money or count metric with a target and splits."""
    role = "alloc"

    def __init__(self, name, kind, target):
        self.name, self.kind, self.target = name, kind, target
        self.specs = {}      # Dim -> Spec
        self.axes = []       # Specs in plan order (the order of their first split)

    def oa(self):
        return any(s.oa_depths() for s in self.specs.values())


class Level:
    """A percent metric: a target and values set per member of one dimension."""
    role = "level"
    kind = "percent"

    def __init__(self, name, target):
        self.name, self.target = name, target
        self.dim = None
        self.values = {}     # member -> Fraction
        self.by_depth = {}   # depth -> [(member, value)] in text order


class Derived:
    """`metric NAME = EXPR`; kind money or count (additive) or ratio."""
    role = "derived"

    def __init__(self, name, kind, expr, declared=None):
        self.name, self.kind, self.expr = name, kind, expr
        self.declared = declared   # `metric turnover money = custs * price`

    def additive(self):
        return self.kind in ("money", "count")


def expr_text(e):
    op = e[0]
    if op in ("ref", "attr"):
        return e[1]
    sym = {"mul": "*", "sub": "-", "div": "/"}[op]
    return "%s %s %s" % (expr_text(e[1]), sym, expr_text(e[2]))


def expr_refs(e):
    if e[0] == "attr":
        return []
    return [e[1]] if e[0] == "ref" else expr_refs(e[1]) + expr_refs(e[2])


class Plan(ap.Plan):
    pass


# ---------------------------------------------------------------- generation
def gen_dims(rng, P):
    org = Dim("org", "org", ["region", "rep"])
    ns = 0
    for r in range(rng.choice([1, 2, 2, 3])):
        reg = org.add(ap.Member("r%d" % (r + 1), 0, None))
        reg.attrs["w"] = rng.randint(1, 9)
        for _ in range(rng.choice([1, 2, 2, 3])):
            ns += 1
            rep = org.add(ap.Member("s%d" % ns, 1, reg))
            if rng.random() < 0.4:
                rep.attrs["w"] = rng.randint(1, 9)
    P.startend = rng.random() < 0.35
    if P.startend:
        for reg in org.at[0]:
            for rep in reg.kids[1:]:           # the first rep of a region is always active
                if rng.random() < 0.5:
                    r = rng.random()
                    if r < 0.45:
                        rep.start_i = rng.randint(1, 11)
                    elif r < 0.8:
                        rep.end_i = rng.randint(0, 10)
                    else:
                        a = rng.randint(1, 10)
                        rep.start_i, rep.end_i = a, rng.randint(a, 10)
    P.org = org
    P.product = None
    if rng.random() < 0.55:
        prod = Dim("product", "product", ["product"])
        for i in range(rng.randint(1, 3)):
            m = prod.add(ap.Member("p%d" % (i + 1), 0, None))
            m.attrs["w"] = rng.randint(1, 9)
            m.attrs["price"] = F(rng.choice([1, 3, 7, 12, 45, 300, 1200]), rng.choice([1, 2, 4, 10]))
        P.product = prod
    tax = ap.gen_time(rng, P)
    t = Dim("time", "time", tax.levels)
    for d in range(4):
        for m in tax.at[d]:
            t.add(m)
    for i, m in enumerate(t.at[3]):
        m.fm = i
    for d in range(4):
        for m in t.at[d]:
            m.months = [x.fm for x in t.at[3] if x.under(m)]
    P.time = t
    P.dims = [d for d in (org, P.product, t) if d is not None]


def month_lit(P, i):
    cal = (P.start - 1 + i) % 12
    return "%d-%02d" % (YEAR + (P.start - 1 + i) // 12, cal + 1)


def gen_history(rng, P):
    """A history CSV of 1 to 3 complete fiscal years (and sometimes a
    partial one, which seasonality ignores): {fiscal month: weight}."""
    years = rng.choice([[2026], [2025, 2026], [2024, 2025, 2026]])
    rows, w = [], [F(0)] * 12
    if rng.random() < 0.3:   # the last months of an incomplete earlier year
        y0 = years[0] - 1
        for i in range(rng.randint(8, 11), 12):
            rows.append((y0, i, F(rng.randint(100, 99999), 100)))
    for y in years:
        for i in range(12):
            v = F(rng.randint(100, 99999), 100)
            rows.append((y, i, v))
            w[i] += v
    lines = ["month,sales"]
    for y, i, v in rows:
        cal = (P.start - 1 + i) % 12
        lines.append("%d-%02d,%s" % (y + (P.start - 1 + i) // 12, cal + 1, ap.dec(v)))
    P.hist_text = "\n".join(lines) + "\n"
    P.season = w


class StepShim:
    def __init__(self, step):
        self.step = step


def split_how(rng, P, dim, depth, unscoped_single, allow_map=True):
    hows = ["equally", "weights", "weights"]
    if dim.kind != "time":
        hows += ["prop"]
        if P.startend and dim.kind == "org":
            hows += ["active"]
    elif P.season is not None:
        hows += ["season", "season"]
    if allow_map and unscoped_single:
        hows += ["map", "map", "map"]
    return rng.choice(hows)


def gen_spec(rng, P, M, dim, sl, oa=False):
    """The splits of metric M along one dimension, level by level."""
    spec = Spec(dim, sl)
    M.specs[dim] = spec
    step = F(1) if M.kind == "count" else P.step
    for k, d in enumerate(sl):
        parents = [None] if k == 0 else list(dim.at[sl[k - 1]])
        used = set()
        if k > 0 and rng.random() < 0.5:
            free = list(parents)
            rng.shuffle(free)
            while free and rng.random() < 0.6:
                n = 1 if rng.random() < 0.7 or len(free) < 2 else 2
                scope, free = free[:n], free[n:]
                how = split_how(rng, P, dim, d, n == 1)
                spec.splits.append(ap.Split(d, scope, how))
                used.update(scope)
        uncovered = [q for q in parents if q not in used]
        if uncovered:
            if k == 0 or len(uncovered) == 1 or rng.random() < 0.8:
                how = split_how(rng, P, dim, d, len(parents) == 1)
                adj = None
                if oa and d == dim.at[-1][0].depth and how != "map":
                    adj = ("overassign", F(rng.choice([5, 10, 15, 20, 25]), 100))
                spec.splits.append(ap.Split(d, None, how, adj))
            else:
                for q in uncovered:
                    spec.splits.append(ap.Split(d, [q], split_how(rng, P, dim, d, True)))
        # the values of the parents (no start/end context) for the maps' amounts
        spec.sl = sl[:k]
        pv = eval_axis(P, M, spec, None) if k else {}
        spec.sl = sl
        pv[None] = M.target
        groups = {}
        for q in parents:
            sp = pick_split(spec, d, q)
            groups.setdefault(id(sp), (sp, []))[1].append(q)
        for sp, qs in groups.values():
            if sp.how == "map":
                q = qs[0]
                ap.gen_map(rng, StepShim(step), sp, dim.kids(q, d), pv[q])
                if P.startend:   # an amount must hold in every cell: no locks
                    sp.entries = [e for e in sp.entries if e[1] != "amt"]
            elif sp.how == "weights":
                kid_groups = [dim.kids(q, d) for q in qs]
                ap.gen_weights(rng, sp, [m for g in kid_groups for m in g], kid_groups)
    return spec


def gen_levels(rng, dim, upto):
    """Split levels of a dimension, down to level upto at most."""
    if dim.kind == "time":
        return rng.choice([[2], [3], [2, 3], [2, 3]])
    if upto == 0 or len(dim.levels) == 1:
        return [0]
    return rng.choice([[0], [1], [0, 1], [0, 1]])


def gen_target(rng, P, kind, mag):
    if kind == "count":
        return F(rng.randint(1, mag))
    if rng.random() < 0.7:
        return F(rng.randint(1, mag * 10)) * P.step if P.step >= 1 else F(rng.randint(1, mag))
    return F(rng.randint(1, mag * 100), 100)


def gen_alloc(rng, P, name, kind, dims, oa=False):
    mag = rng.choice([10, 100, 1000, 10000, 1000000])
    if kind == "count":
        mag = rng.choice([3, 12, 40, 100, 1000, 5000])
    M = Alloc(name, kind, gen_target(rng, P, kind, mag))
    for dim in dims:
        gen_spec(rng, P, M, dim, gen_levels(rng, dim, 1), oa and dim.kind == "org")
    return M


def pct_value(rng):
    if rng.random() < 0.25:
        return F(rng.randint(20, 120), 200)
    return F(rng.randint(5, 60), 100)


def gen_level(rng, P, name, dims):
    """A percent metric split by one of dims ({dim: deepest level allowed})."""
    L = Level(name, pct_value(rng))
    if dims and rng.random() < 0.85:
        dim = rng.choice(sorted(dims, key=lambda d: d.name))
        L.dim = dim
        for depth in range(dims[dim] + 1):
            if rng.random() < (0.7 if depth == 0 else 0.5):
                ms = [m for m in dim.at[depth] if rng.random() < 0.6]
                if ms:
                    L.by_depth[depth] = [(m, pct_value(rng)) for m in ms]
                    L.values.update(L.by_depth[depth])
        if not L.by_depth:
            L.dim = None
    return L


def gen_plan(seed):
    for attempt in range(40):
        rng = random.Random("%s/%d" % (seed, attempt))
        P = Plan()
        try:
            gen_plan_once(rng, P, seed)
            return P
        except Invalid:
            continue
    raise RuntimeError("no valid plan in 40 attempts")


def gen_plan_once(rng, P, seed):
    P.seed = seed
    P.set_step(rng.choice(STEPS))
    P.rounding = "half_even" if rng.random() < 0.2 else "half_up"
    P.start = 2 if rng.random() < 0.6 else rng.randint(1, 12)
    gen_dims(rng, P)
    P.season = None
    P.hist_text = None
    if rng.random() < 0.35:
        gen_history(rng, P)
    org, prod, t = P.org, P.product, P.time
    M = {}

    def pick_dims(p_org, p_prod, p_time):
        ds = []
        if rng.random() < p_org:
            ds.append(org)
        if prod and rng.random() < p_prod:
            ds.append(prod)
        if rng.random() < p_time:
            ds.append(t)
        return ds

    rev = gen_alloc(rng, P, "revenue", "money", pick_dims(0.9, 0.6, 0.9) or [t])
    M["revenue"] = rev
    # cost: like revenue along some of its dimensions, or splits of its own
    # (not with start/end: `like` takes the whole plan's values of a metric
    # whose shares depend on the cell)
    if not P.startend and rng.random() < 0.5:
        cost = Alloc("cost", "money", F(0))
        cost.target = rev.target * F(rng.randint(5, 40), 100)
        cost.target = max(P.step, round_to(cost.target, P.step))
        for dim, sp in rev.specs.items():
            if rng.random() < 0.8:
                sl = sorted(set(rng.sample(sp.sl, rng.randint(1, len(sp.sl)))))
                cs = Spec(dim, sl)
                cs.splits = [ap.Split(d, None, "like") for d in sl]
                for s in cs.splits:
                    s.like = "revenue"
                cost.specs[dim] = cs
    else:
        cost = gen_alloc(rng, P, "cost", "money", pick_dims(0.7, 0.4, 0.8))
    M["cost"] = cost
    direct = rng.random() < 0.4
    gross_dims = cells_of_alloc(rev)
    net_dims = meet(gross_dims, cells_of_alloc(cost))
    mdims = net_dims if direct else gross_dims
    M["margin"] = gen_level(rng, P, "margin", {d: l for d, l in mdims.items() if d.kind != "time"})
    if direct:
        M["net"] = Derived("net", "money", ("sub", ("mul", ("ref", "revenue"), ("ref", "margin")), ("ref", "cost")))
    else:
        M["gross"] = Derived("gross", "money", ("mul", ("ref", "revenue"), ("ref", "margin")))
        M["net"] = Derived("net", "money", ("sub", ("ref", "gross"), ("ref", "cost")))
    if rng.random() < 0.6:
        mk = gen_alloc(rng, P, "market", "money", pick_dims(0.8, 0.3, 0.5) or [org])
        mk.target = rev.target * rng.randint(2, 8)
        M["market"] = mk
        M["share"] = Derived("share", "ratio", ("div", ("ref", "revenue"), ("ref", "market")))
    if rng.random() < 0.4:
        M["net_rate"] = Derived("net_rate", "ratio", ("div", ("ref", "net"), ("ref", "revenue")))
    if rng.random() < 0.75:
        oa = rng.random() < 0.45
        custs = gen_alloc(rng, P, "custs", "count", pick_dims(0.9, 0.3, 0.9) or [org], oa=oa)
        M["custs"] = custs
        if not custs.oa() and rng.random() < 0.6:
            M["win_rate"] = gen_level(rng, P, "win_rate",
                                      {d: l for d, l in cells_of_alloc(custs).items() if d.kind != "time"})
            M["won"] = Derived("won", "count", ("mul", ("ref", "custs"), ("ref", "win_rate")))
    # an attribute per cell: volume x price, where the volume is split by product
    # (not over-assigned: as for `won`, the oracle does not cut derived metrics' tables)
    vol = [n for n in ("custs", "revenue")
           if n in M and prod and prod in cells_of_alloc(M[n]) and not M[n].oa()]
    if vol and rng.random() < 0.6:
        v = rng.choice(vol)
        M["turnover"] = Derived("turnover", "money", ("mul", ("ref", v), ("attr", "price")),
                             "money" if v == "custs" or rng.random() < 0.3 else None)
    P.metrics = M
    P.order = [n for n in ("revenue", "cost", "market", "custs", "margin", "win_rate", "gross", "net",
                           "share", "net_rate", "won", "turnover") if n in M]
    # the text: splits of all metrics in a random order; each metric's axes
    # enter in the order of their first split
    split_lines = []
    for n in P.order:
        m = M[n]
        if m.role == "alloc":
            for dim, sp in m.specs.items():
                for s in sp.splits:
                    split_lines.append((m, dim, split_text(m, dim, s)))
    rng.shuffle(split_lines)
    for n in P.order:
        m = M[n]
        if m.role == "alloc":
            seen = []
            for mm, dim, _ in split_lines:
                if mm is m and dim not in seen:
                    seen.append(dim)
            m.axes = [m.specs[d] for d in seen]
    P.split_lines = [s for _, _, s in split_lines]
    P.hist_name = "views_%s.csv" % seed
    P.oracle = Oracle(P)
    P.oracle.validate()
    gen_statements(rng, P)
    P.text = plan_text(rng, P)


def round_to(x, step):
    return (x / step).numerator // (x / step).denominator * step


def cells_of_alloc(m):
    return {d: s.grain for d, s in m.specs.items()}


def meet(a, b):
    return {d: min(a[d], b[d]) for d in a if d in b}


# ---------------------------------------------------------------- plan text
def split_text(m, dim, sp):
    level = dim.levels[sp.depth]
    s = "split %s by %s" % (m.name, level)
    if sp.scope:
        s += " in " + ", ".join(x.ref for x in sp.scope)
    h = sp.how
    if h == "equally":
        s += " equally"
    elif h == "prop":
        s += " proportional to w"
    elif h == "active":
        s += " proportional to active_months"
    elif h == "season":
        s += " seasonality sales"
    elif h == "like":
        s += " like " + sp.like
    elif h == "weights":
        s += " weights { " + ", ".join("%s: %d" % (x.ref, w) for x, w in sp.weights.items()) + " }"
    else:
        parts = []
        for x, kind, v in sp.entries:
            if kind == "rest":
                parts.append("%s: rest" % x.ref)
            elif kind == "pct":
                parts.append("%s: %s" % (x.ref, ap.pct(v)))
            else:
                parts.append("%s: %s" % (x.ref, ap.dec(v)))
        s += " { " + ", ".join(parts) + " }"
    if sp.adj:
        s += " %s %s" % (sp.adj[0], ap.pct(sp.adj[1]))
    return s


def member_text(P, m):
    body = []
    if "w" in m.attrs:
        body.append("w = %d" % m.attrs["w"])
    if "price" in m.attrs:
        body.append("price = %s" % ap.dec(m.attrs["price"]))
    if m.start_i is not None:
        body.append("start = " + month_lit(P, m.start_i))
    if m.end_i is not None:
        body.append("end = " + month_lit(P, m.end_i))
    body += [member_text(P, c) for c in m.kids]
    return m.name + (" { " + ", ".join(body) + " }" if body else "")


def plan_text(rng, P):
    header = 'plan "views %s" { year = %d start = %s round = %s' % (P.seed, YEAR, MONTHS[P.start - 1], P.step_text)
    if P.rounding == "half_even" or rng.random() < 0.1:
        header += " rounding = %s" % P.rounding
    lines = [header + " }"]
    lines.append("dimension org levels region > rep { %s }" % ", ".join(member_text(P, m) for m in P.org.at[0]))
    if P.product:
        lines.append("dimension product { %s }" % ", ".join(member_text(P, m) for m in P.product.at[0]))
    if P.hist_text:
        lines.append('history sales = "%s"' % P.hist_name)
    M = P.metrics
    for n in P.order:
        m = M[n]
        if m.role == "derived":
            kind = m.declared + " " if getattr(m, "declared", None) else ""
            lines.append("metric %s %s= %s" % (n, kind, expr_text(m.expr)))
        else:
            lines.append("metric %s %s" % (n, m.kind))
    for n in P.order:
        m = M[n]
        if m.role == "alloc":
            lines.append("target %s = %s" % (n, ap.dec(m.target)))
        elif m.role == "level":
            lines.append("target %s = %s" % (n, ap.pct(m.target)))
            for depth, vals in sorted(m.by_depth.items()):
                lines.append("split %s by %s { %s }" % (n, m.dim.levels[depth],
                                                        ", ".join("%s: %s" % (x.ref, ap.pct(v)) for x, v in vals)))
    lines += P.split_lines
    lines += P.stmt_lines
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- the oracle
def pick_split(spec, d, q):
    """The most specific split of level d for parent q (section 8, scopes)."""
    best, bestd = None, -2
    for sp in spec.splits:
        if sp.depth != d:
            continue
        if not sp.scope:
            sd = -1
        else:
            hits = [x.depth for x in sp.scope if q is not None and q.under(x)]
            if not hits:
                continue
            sd = max(hits)
        if sd == bestd:
            raise Invalid("two splits equally specific")
        if sd > bestd:
            best, bestd = sp, sd
    if best is None:
        raise Invalid("no split")
    return best


def kid_active(dim, kid, ctx):
    if ctx is None:
        return True
    if dim.kind == "time":
        return any(all(active(c, i) for c in ctx) for i in kid.months)
    return any(active(kid, i) for i in ctx)


def split_group(P, M, spec, sp, kids, pv, ctx, cut, like):
    """The values of kids sharing their parent's value pv (section 8: One
    axis; Start and end)."""
    base = pv
    if sp.adj and (cut is None or sp.depth <= cut):
        base = pv * (1 + sp.adj[1])
    act = [kid_active(spec.dim, k, ctx) for k in kids]
    if pv == 0 and sp.how != "map":
        return {k: F(0) for k in kids}
    if kids and not any(act) and base != 0:
        raise Invalid("no kid active")
    if sp.how == "map":
        vals = {k: F(0) for k in kids}
        kind = {k: "unnamed" for k in kids}
        rest = None
        for m, kd, v in sp.entries:
            if m not in vals:
                continue
            kind[m] = kd
            if kd == "pct":
                vals[m] = base * v
            elif kd == "amt":
                if not act[kids.index(m)] and v != 0:
                    raise Invalid("an amount for an inactive member")
                vals[m] = v
            else:
                rest = m
        if rest is not None:
            vals[rest] = base - sum(v for m, v in vals.items() if m is not rest)
            if vals[rest] < 0:
                raise Invalid("negative rest")
        elif sum(vals.values()) != base:
            raise Invalid("a map that does not add up")
        freed = F(0)
        for k, a in zip(kids, act):
            if not a and kind[k] != "amt":
                freed += vals[k]
                vals[k] = F(0)
        if freed:
            recv = [k for k, a in zip(kids, act) if a and kind[k] != "amt" and vals[k] > 0]
            if not recv:
                raise Invalid("no active member takes the part of the inactive ones")
            wsum = sum(vals[k] for k in recv)
            for k in recv:
                vals[k] += freed * vals[k] / wsum
        return vals
    if sp.how == "equally":
        w = [F(1)] * len(kids)
    elif sp.how == "weights":
        w = [F(sp.weights.get(k, 0)) for k in kids]
    elif sp.how == "prop":
        w = [F(k.attr("w")) for k in kids]
    elif sp.how == "active":
        w = [F(active_months(k)) for k in kids]
    elif sp.how == "season":
        w = [sum((P.season[i] for i in k.months), F(0)) for k in kids]
    elif sp.how == "like":
        w = [like(sp.like, k) for k in kids]
    else:
        raise AssertionError(sp.how)
    w = [x if a else F(0) for x, a in zip(w, act)]
    tot = sum(w)
    if tot <= 0:
        raise Invalid("weights add up to zero")
    return {k: base * x / tot for k, x in zip(kids, w)}


def eval_axis(P, M, spec, ctx, cut=None, like=None):
    """Every member's value at the split levels of one axis, in a context
    (the months of the cell's time coordinate, or its other coordinates)."""
    vals = {}
    parents, pv = [None], {None: M.target}
    for d in spec.sl:
        for q in parents:
            sp = pick_split(spec, d, q)
            vals.update(split_group(P, M, spec, sp, spec.dim.kids(q, d), pv[q], ctx, cut, like))
        parents = list(spec.dim.at[d])
        pv = vals
    return vals


class Oracle:
    """Exact values of every metric at every coordinate."""

    def __init__(self, P):
        self.P = P
        self.joint_memo = {}
        self.group_memo = {}
        self.cells_memo = {}

    # -- allocated metrics: joint cells
    def like(self, name, member):
        return self.group(self.P.metrics[name], ((member.dim, member.depth),)).get((member,), F(0))

    def joint(self, M, cuts=()):
        """{(leaf per axis, in plan order): exact}.  cuts: ((dim, depth), ...):
        over-assignment below depth is left out on that dimension (a table
        by a level above an over-assigned split shows that level's own
        values; one that does not show the dimension adds up to the target)."""
        key = (M.name, cuts)
        if key in self.joint_memo:
            return self.joint_memo[key]
        cut = dict(cuts)
        T = M.target
        cells = {(): T}
        for i, spec in enumerate(M.axes):
            memo = {}
            new = {}
            for c, v in cells.items():
                if spec.dim.kind == "time":
                    ctx = tuple(x for x in c if x.dim.kind == "org") or None
                else:
                    tm = [x for x in c if x.dim.kind == "time"]
                    ctx = frozenset(tm[0].months) if tm else None
                if ctx not in memo:
                    vals = eval_axis(self.P, M, spec, ctx, cut.get(spec.dim), self.like)
                    memo[ctx] = [(m, vals[m]) for m in spec.dim.at[spec.grain]]
                for leaf, lv in memo[ctx]:
                    new[c + (leaf,)] = lv if i == 0 else (v * lv / T if T else F(0))
            cells = new
        self.joint_memo[key] = cells
        return cells

    def cuts_for(self, M, show):
        """The cuts of a table of M by show ((dim, level), ...)."""
        if M.role != "alloc" or not M.oa():
            return ()
        lv = dict(show)
        out = []
        for dim, spec in M.specs.items():
            if not spec.oa_depths():
                continue
            l = lv.get(dim, -1)
            if any(o > l for o in spec.oa_depths()):
                out.append((dim, l))
        return tuple(sorted(out, key=lambda x: x[0].name))

    def group(self, M, show, cuts=None):
        """Exact sums of M over the members of the levels in show:
        {(member per (dim, level) of show): exact}; ratios: exact or None."""
        if cuts is None:
            cuts = self.cuts_for(M, show)
        key = (M.name, show, cuts)
        if key in self.group_memo:
            return self.group_memo[key]
        if M.role == "alloc":
            out = {}
            idx = [[a.dim for a in M.axes].index(d) for d, _ in show]
            for c, v in self.joint(M, cuts).items():
                k = tuple(c[j].anc(l) for j, (_, l) in zip(idx, show))
                out[k] = out.get(k, F(0)) + v
            out = self.fill(show, out)
        elif M.role == "derived" and M.additive():
            cd = self.cell_dims(M)
            out = {}
            for c, v in self.derived_cells(M).items():
                k = tuple(c[list(cd).index(d)].anc(l) for d, l in show)
                out[k] = out.get(k, F(0)) + v
            out = self.fill(show, out)
        elif M.role == "derived":
            a, b = M.expr[1][1], M.expr[2][1]
            na = self.group(self.P.metrics[a], show)
            nb = self.group(self.P.metrics[b], show)
            out = {k: (na[k] / nb[k] if nb[k] != 0 else None) for k in na}
        else:
            out = {k: self.level_value(M, k) for k in self.keys(show)}
        self.group_memo[key] = out
        return out

    def keys(self, show):
        keys = [()]
        for d, l in show:
            keys = [k + (m,) for k in keys for m in d.at[l]]
        return keys

    def fill(self, show, out):
        return {k: out.get(k, F(0)) for k in self.keys(show)}

    # -- level metrics
    def level_value(self, L, coords):
        """Section A.3 with one dimension of values: the value set for the
        coordinate on that dimension or its nearest ancestor, else the target."""
        for m in coords:
            if m.dim is L.dim:
                x = m
                while x is not None:
                    if x in L.values:
                        return L.values[x]
                    x = x.parent
        return L.target

    # -- derived metrics
    def cell_dims(self, M):
        """{dim: level} of the finest cells of an additive metric (A.1)."""
        if M.role == "alloc":
            return {s.dim: s.grain for s in M.axes}
        if M.role == "level":
            return None
        out = None
        for r in expr_refs(M.expr):
            c = self.cell_dims(self.P.metrics[r])
            if c is None:
                continue
            out = c if out is None else {d: min(out[d], c[d]) for d in out if d in c}
        return {d: out[d] for d in sorted(out, key=lambda d: self.P.dims.index(d))}

    def derived_cells(self, M):
        if M.name in self.cells_memo:
            return self.cells_memo[M.name]
        cd = self.cell_dims(M)
        show = tuple(cd.items())
        comps = {}
        for r in expr_refs(M.expr):
            X = self.P.metrics[r]
            if X.role != "level":
                comps[r] = self.group(X, show)
        out = {}
        for k in self.keys(show):
            out[k] = self.evaluate(M.expr, k, comps)
        self.cells_memo[M.name] = out
        return out

    def evaluate(self, e, k, comps):
        op = e[0]
        if op == "attr":   # the cell's product's attribute
            return [m for m in k if m.dim is self.P.product][0].attrs[e[1]]
        if op == "ref":
            X = self.P.metrics[e[1]]
            return self.level_value(X, k) if X.role == "level" else comps[e[1]][k]
        a, b = self.evaluate(e[1], k, comps), self.evaluate(e[2], k, comps)
        if op == "mul":
            return a * b
        if op == "sub":
            return a - b
        return a / b

    # -- what can be shown
    def showable(self, M, dim):
        """The levels of dim a table of M can show, from the top."""
        lo = dim.tmin()
        if M.role == "level":
            return list(range(lo, len(dim.levels)))
        if M.role == "derived" and not M.additive():
            a, b = (self.P.metrics[x[1]] for x in (M.expr[1], M.expr[2]))
            sa, sb = self.showable(a, dim), self.showable(b, dim)
            return [l for l in sa if l in sb]
        cd = self.cell_dims(M)
        if dim not in cd:
            return []
        out = list(range(lo, cd[dim] + 1))
        if M.role == "alloc":
            spec = M.specs[dim]
            out = [l for l in out if l in spec.sl or not any(o > l for o in spec.oa_depths())]
        return out

    def validate(self):
        """Evaluates everything once: Invalid when a split breaks a rule."""
        for n in self.P.order:
            M = self.P.metrics[n]
            if M.role == "alloc":
                self.joint(M)
                if M.kind == "count" and M.target.denominator != 1:
                    raise Invalid("count target")
            elif M.role == "derived" and M.additive():
                self.derived_cells(M)


# ---------------------------------------------------------------- rounding
def round_half(P, x, step):
    """x to a multiple of step; ties away from zero (half_up) or to the even step."""
    q = x / step
    f = q.numerator // q.denominator
    r = q - f
    if r > F(1, 2) or (r == F(1, 2) and (P.rounding == "half_up" and q > 0 or
                                         P.rounding == "half_even" and f % 2 == 1)):
        f += 1
    return f * step


def near_half(x, step):
    r = (x / step) % 1
    return r != F(1, 2) and abs(r - F(1, 2)) < NEAR


def floor_to(x, step):
    q = x / step
    return q.numerator // q.denominator * step


def largest_remainder(keys, ex, target, step, ties):
    """keys share target: each gets the step below or above its exact
    value, larger remainders first, equal ones to the first declared.
    Keys an almost-tie (equal to 12 decimals, not exactly) decides go into ties."""
    fl = [floor_to(ex[k], step) for k in keys]
    extra = (target - sum(fl)) / step
    up = [i for i in range(len(keys)) if ex[keys[i]] != fl[i]]
    if extra.denominator != 1 or not 0 <= extra <= len(up):
        raise AssertionError("no largest remainder of %s to %s" % ([ex[k] for k in keys], target))
    extra = int(extra)
    up.sort(key=lambda i: (-(ex[keys[i]] - fl[i]), i))
    if 0 < extra < len(up):
        edge = (ex[keys[up[extra]]] - fl[up[extra]]) / step
        prev = (ex[keys[up[extra - 1]]] - fl[up[extra - 1]]) / step
        if prev != edge and prev - edge < NEAR:
            ties.update(keys[i] for i in up if abs((ex[keys[i]] - fl[i]) / step - edge) < NEAR)
    out = {k: f for k, f in zip(keys, fl)}
    for j, i in enumerate(up[:extra]):
        out[keys[i]] += step
    return out


def canon(P, O, M, dim, level, cuts, step):
    key = ("canon", M.name, dim.name, level, cuts)
    if key not in O.group_memo:
        O.group_memo[key] = canon_of(P, O, M, dim, level, cuts, step)
    return O.group_memo[key]


def canon_of(P, O, M, dim, level, cuts, step):
    """One dimension's rounded totals (section B and section 8, Rounding):
    the total rounded, then level by level each member's rounded value
    shared among the members under it by largest remainder, equal
    remainders to the first declared.  Under overassign the members of a
    parent add up to its over-assigned amount; those amounts, for all the
    parents of one level, are rounded together by largest remainder against
    the rounded sum of the level (less the parents not over-assigned), or
    each on its own when that cannot be; the levels above keep their own
    values.  Returns ({member: rounded}, rounded total, {members an
    almost-tie decides})."""
    oa = M.specs[dim].oa_depths() if M.role == "alloc" and dim in M.specs else []
    base = dict(cuts)
    ex = {}
    for d in range(level + 1):
        cd = dict(base)
        if any(o > d for o in oa) and d < cd.get(dim, 99):
            cd[dim] = d
        c2 = tuple(sorted(cd.items(), key=lambda x: x[0].name))
        ex.update({k[0]: v for k, v in O.group(M, ((dim, d),), c2).items()})
    total = sum(ex[m] for m in dim.at[0])
    R = {None: round_half(P, total, step)}
    ties = set()
    if near_half(total, step):
        ties.add(None)
    for d in range(level + 1):
        parents = [None] if d == 0 else dim.at[d - 1]
        kids = {q: dim.kids(q, d) for q in parents}
        sums = {q: sum((ex[k] for k in kids[q]), F(0)) for q in parents}
        target = {}
        over = [q for q in parents if q is not None and sums[q] != ex[q]]
        if over:
            allx = sum(sums.values())
            fixed = sum(R[q] for q in parents if q not in over)
            want = round_half(P, allx, step) - fixed
            need = (want - sum(floor_to(sums[q], step) for q in over)) / step
            if need.denominator == 1 and 0 <= need <= len(over):
                target.update(largest_remainder(over, sums, want, step, ties))
            else:
                target.update({q: round_half(P, sums[q], step) for q in over})
        for q in parents:
            t = target.get(q, R[q])
            R.update(largest_remainder(kids[q], ex, t, step, ties))
            if q in ties:
                ties.update(kids[q])
    return R, R[None], ties


# ---------------------------------------------------------------- statements
CADENCES = [("monthly", 3), ("quarterly", 2), ("half", 1), ("annual", 0)]
PERIOD_LEVEL = {"monthly": 3, "quarterly": 2, "half": 1, "annual": 0, None: 0}


def fits(O, M, L, c):
    """Metric M can be shown by org level L and time level c (0: the year)."""
    return L in O.showable(M, O.P.org) and (c == 0 or c in O.showable(M, O.P.time))


def gen_statements(rng, P):
    O = P.oracle
    P.stmt_lines = ["scenario s { attainment = 100% }"]
    P.items = []           # (kind, name, level, cadence or None, [metric names])
    P.card = None          # (level, cadence) of the scorecard an incentive reads
    reviews = {}
    # turnover reads each product's price: it is measured per product, not per org member
    names = [n for n in P.order if n != "turnover"]

    def cands(L, c, additive_only=False):
        out = []
        for n in names:
            M = P.metrics[n]
            if additive_only and M.kind not in ("money", "count"):
                continue
            if fits(O, M, L, c):
                out.append(n)
        return out

    # a scorecard
    L = 1 if rng.random() < 0.75 else 0
    opts = [(cad, c) for cad, c in CADENCES if cands(L, c)] + [(None, 0)]
    cad, c = rng.choice(opts)
    ks = cands(L, c)
    if ks:
        ks = rng.sample(ks, min(len(ks), rng.randint(1, 3)))
        ws = split_100(rng, len(ks))
        P.stmt_lines.append("scorecard card per %s { %s  rating { A: 100, B: 50, C: 0 } }" % (
            P.org.levels[L], "  ".join("kpi %s weight %d%%" % (k, w) for k, w in zip(ks, ws))))
        P.items.append(("scorecard", "card", L, cad, ks))
        if cad:
            reviews.setdefault(cad, []).append("scorecard card")
        # an incentive reading the card of its member and period (LANGUAGE.md §10)
        P.stmt_lines.append("incentive cardpay per %s { sc = card.score, rt = card.rating, "
                            "rk = card.rank, co = table(card.rating) { A: 300%%, B: 200%%, C: 100%%, else: 0%% }, "
                            "payout = card.score }" % P.org.levels[L])
        atts = ["attainment %s = %d%%" % (k, rng.choice([40, 75, 100, 130, 260])) for k in ks]
        P.stmt_lines.append("scenario s2 { attainment = 100%%  %s }" % "  ".join(atts))
        P.card = (L, cad)
        if cad:
            reviews.setdefault(cad, []).append("incentive cardpay")
    # an incentive
    L2 = 1 if rng.random() < 0.6 else 0
    opts = [(cad, c) for cad, c in CADENCES if cands(L2, c)] + [(None, 0)]
    cad2, c2 = rng.choice(opts)
    ls = cands(L2, c2)
    if ls:
        ls = rng.sample(ls, min(len(ls), rng.randint(1, 4)))
        lines = ["t_%s = %s.target" % (n, n) for n in ls]
        money = [n for n in ls if P.metrics[n].kind == "money"]
        lines.append("payout = %s" % ("t_%s * 1%%" % money[0] if money else "100"))
        P.stmt_lines.append("incentive pay per %s { %s }" % (P.org.levels[L2], ", ".join(lines)))
        P.items.append(("incentive", "pay", L2, cad2, ls))
        if cad2:
            reviews.setdefault(cad2, []).append("incentive pay")
    # status rows, at the level of the review's first scorecard or incentive
    for cad, its in reviews.items():
        first = [x for x in P.items if x[3] == cad][0]
        st = cands(first[2], PERIOD_LEVEL[cad], True)
        if st and rng.random() < 0.7:
            m = rng.choice(st)
            its.append("status %s { green: 100%%, amber: 90%% }" % m)
            P.items.append(("review", cad, first[2], cad, [m]))
    for cad, its in reviews.items():
        P.stmt_lines.append("review %s { %s }" % (cad, "  ".join(its)))


def split_100(rng, n):
    if n == 1:
        return [100]
    cuts = sorted(rng.sample(range(5, 100, 5), n - 1))
    return [b - a for a, b in zip([0] + cuts, cuts + [100])]


# ---------------------------------------------------------------- the tables a plan shows
def show_text(M, show):
    return "%s by %s" % (M.name, ", ".join(d.levels[l] for d, l in show))


def build_shows(rng, P):
    O = P.oracle
    shows = []

    def add(n, show):
        if (n, show) not in shows:
            shows.append((n, show))

    for n in P.order:
        M = P.metrics[n]
        mem = [(d, l) for d in P.dims if d.kind != "time" for l in O.showable(M, d)]
        tl = [(P.time, l) for l in O.showable(M, P.time)]
        if M.role == "level":
            dims = [M.dim] if M.dim else [P.org]
            mem = [(d, l) for d in dims for l in range(len(d.levels))]
            tl = [(P.time, rng.randint(1, 3))]
        for s in mem + tl:
            add(n, (s,))
        pairs = [(a, b) for a in mem for b in tl]
        if M.role == "level":
            pairs = pairs[:2]
        for a, b in pairs:
            add(n, (a, b) if rng.random() < 0.75 else (b, a))
        if pairs:
            a, b = rng.choice(pairs)
            add(n, (a, b))
            add(n, (b, a))
        other = [(a, b) for a in mem for b in mem if a[0] is not b[0] and a[0].kind == "org"]
        if other and M.role != "level":
            a, b = rng.choice(other)
            add(n, (a, b) if rng.random() < 0.6 else (b, a))
    # the tables the statements are compared with
    for kind, name, L, cad, ms in P.items:
        c = PERIOD_LEVEL[cad]
        for n in ms:
            add(n, ((P.org, L),) if c == 0 else ((P.org, L), (P.time, c)))
    return shows


def bad_shows(P):
    """Tables the contract says a plan cannot show (check must refuse a
    report asking for one, or run must show it)."""
    O = P.oracle
    out = []
    for n in P.order:
        M = P.metrics[n]
        if M.role == "level":
            continue
        for d in P.dims:
            ok = O.showable(M, d)
            for l in range(d.tmin(), len(d.levels)):
                if l not in ok and not (M.role == "alloc" and d in M.specs and l <= M.specs[d].grain):
                    out.append((n, ((d, l),)))
    return out


# ---------------------------------------------------------------- running
def run(bin_, args, cwd=None):
    try:
        p = subprocess.run([bin_] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=dict(os.environ, NO_COLOR="1"), timeout=TIMEOUT, cwd=cwd,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return 124, b"", "timed out after %d s" % TIMEOUT
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def run_shows(bin_, path, shows, extra=()):
    args = ["run", path, "--format", "csv"] + list(extra)
    for s in shows:
        args += ["--show", s]
    return run(bin_, args)


def csv_blocks(out):
    text = out.decode("utf-8")
    return [list(csv.reader(io.StringIO(b))) for b in text.split("\n\n") if b.strip()]


def first_line(err):
    lines = [l for l in err.strip().splitlines() if l.strip()]
    line = lines[0] if lines else "(no message)"
    return re.sub(r"^\S*/(p\d+(_\w+)?\.plan)", r"\1", line)[:300]


class Checker:
    def __init__(self, P):
        self.P = P
        self.fails = []      # (property, message)
        self.pending = []    # (table, property, message): one step off, col-step if both cannot hold

    def bad(self, prop, msg):
        self.fails.append((prop, msg))


def num(s):
    s = s.strip()
    return None if s == "" or s == "n/a" else F(s)


class Table:
    """A csv table: cells by (row label, column label) (one-dimension
    tables: column None), row and column totals, the grand total."""

    def __init__(self, M, show, rows):
        self.M, self.show = M, show
        self.cells, self.rowtot, self.coltot, self.total = {}, {}, {}, None
        self.rlabels, self.clabels = [], []
        head = rows[0]
        two = len(show) == 2
        self.clabels = (head[1:-1] if head[-1] == "total" else head[1:]) if two else [None]
        has_ct = two and head[-1] == "total"
        self.raw = [v for r in rows[1:] for v in r[1:]]
        for r in rows[1:]:
            if r[0] == "total":
                if two:
                    for c, v in zip(self.clabels, r[1:]):
                        self.coltot[c] = num(v)
                    if has_ct:
                        self.total = num(r[len(self.clabels) + 1])
                else:
                    self.total = num(r[1])
                continue
            self.rlabels.append(r[0])
            for c, v in zip(self.clabels, r[1:]):
                self.cells[(r[0], c)] = num(v)
            if has_ct:
                self.rowtot[r[0]] = num(r[len(self.clabels) + 1])
        self.shape_ok = head[0] == show[0][0].levels[show[0][1]] and \
            (two or head[1:] == [M.name])

    def value(self, a, b=None):
        """The cell of members a (rows' dimension) and b (columns'), by label."""
        return self.cells.get((a, b))


def labels(dim, level):
    return [m.label for m in dim.at[level]]


# ---------------------------------------------------------------- checking one table
def fmt(x):
    if x is None:
        return "n/a"
    try:
        return ap.dec(x)
    except ValueError:
        return "%.6f" % float(x)


def step_of(P, M):
    return F(1) if M.kind == "count" else P.step


def within_step(v, x, step):
    """v, a multiple of step, is the multiple just below or just above x
    (a hair of 12-decimal arithmetic allowed)."""
    qv = v / step
    if qv.denominator != 1:
        return False
    qx = x / step
    lo = qx - NEAR
    hi = qx + NEAR
    return lo.numerator // lo.denominator <= qv.numerator <= -(-hi.numerator // hi.denominator)


def check_table(C, P, n, show, T):
    M = P.metrics[n]
    name = show_text(M, show)
    want_r = labels(*show[0])
    want_c = labels(*show[1]) if len(show) == 2 else [None]
    if not T.shape_ok or T.rlabels != want_r or T.clabels != want_c:
        C.bad("csv", "'%s': rows %s columns %s, expected %s and %s" % (
            name, T.rlabels[:6], T.clabels[:6], want_r[:6], want_c[:6]))
        return False
    if M.kind == "money":
        form = r"-?[0-9]+\.[0-9]{%d}" % P.decimals if P.decimals else r"-?[0-9]+"
    elif M.kind == "count":
        form = r"-?[0-9]+"
    else:   # percents and ratios: 4 decimals of the fraction (section C); n/a is empty
        form = r"(-?[0-9]+\.[0-9]{4})?" if M.role == "derived" else r"-?[0-9]+\.[0-9]{4}"
    odd = [x for x in T.raw if not re.fullmatch(form, x)]
    if odd:
        C.bad("csv", "'%s': %r is not a %s value as csv writes it" % (name, odd[0], M.kind))
    if M.role == "level":
        check_level(C, P, M, show, T, name)
    elif M.role == "derived" and not M.additive():
        check_ratio(C, P, M, show, T, name)
    else:
        check_additive(C, P, M, show, T, name)
    return True


def check_level(C, P, M, show, T, name):
    O = P.oracle
    ex = O.group(M, show)
    for k, x in ex.items():
        v = T.cells[(k[0].label, k[1].label if len(k) == 2 else None)]
        if v != x:
            C.bad("level", "'%s': %s = %s, the inherited value is %s" % (
                name, ", ".join(m.label for m in k), fmt(v), fmt(x)))
    if len(show) == 1 and T.total is not None and T.total != M.target:   # if it has one
        C.bad("level", "'%s': total %s, the target is %s" % (name, fmt(T.total), fmt(M.target)))


def ratio_ok(v, x, den=None):
    if x is None or v is None:
        return x is None and v is None
    # the engine's components are exact to 12 decimals in each finest cell
    # (a money x percent cell rounds there), up to CELLS_MAX of them summed;
    # dividing by a small denominator magnifies that error by 1/den
    slack = 0
    if den:
        slack = (1 + abs(x)) * CELLS_MAX / (2 * 10 ** 12) / abs(den)
    return abs(v - x) <= RATIO_EPS + F(1, 10 ** 12) + slack


def ratio_den(O, M, show):
    """The exact denominators of ratio M over the members of show."""
    return O.group(O.P.metrics[M.expr[2][1]], show)


def check_ratio(C, P, M, show, T, name):
    O = P.oracle
    ex = O.group(M, show)
    den = ratio_den(O, M, show)
    for k, x in ex.items():
        v = T.cells[(k[0].label, k[1].label if len(k) == 2 else None)]
        if not ratio_ok(v, x, den[k]):
            C.bad("ratio", "'%s': %s = %s, exact %s" % (name, ", ".join(m.label for m in k), fmt(v), fmt_ratio(x)))
    tot = O.group(M, ())[()]
    if T.total is None and tot is not None or not ratio_ok(T.total, tot, ratio_den(O, M, ())[()]):
        C.bad("ratio", "'%s': total %s, exact %s" % (name, fmt(T.total), fmt_ratio(tot)))
    if len(show) == 2:
        for side, tots in ((0, T.rowtot), (1, T.coltot)):
            exs = O.group(M, (show[side],))
            dens = ratio_den(O, M, (show[side],))
            for (m,), x in exs.items():
                if not ratio_ok(tots.get(m.label), x, dens[(m,)]):
                    C.bad("ratio", "'%s': total of %s = %s, exact %s" % (name, m.label, fmt(tots.get(m.label)), fmt_ratio(x)))


def fmt_ratio(x):
    return "n/a (zero denominator)" if x is None else "%.8f" % (x.numerator / x.denominator)


def check_additive(C, P, M, show, T, name):
    O = P.oracle
    step = step_of(P, M)
    cuts = O.cuts_for(M, show)
    ex = O.group(M, show, cuts)
    # g3: every cell the step below or above its exact value
    for k, x in ex.items():
        v = T.cells[(k[0].label, k[1].label if len(k) == 2 else None)]
        if v is None or not within_step(v, x, step):
            C.bad("g3", "'%s': %s = %s, exact %s: not the step (%s) below or above" % (
                name, ", ".join(m.label for m in k), fmt(v), fmt(x), fmt(step)))
    if any(v is None for v in T.cells.values()) or T.total is None:
        C.bad("csv", "'%s': an empty cell or no total" % name)
        return
    if len(show) == 1:
        d, l = show[0]
        R, _, ties = canon(P, O, M, d, l, cuts, step)
        tot = sum(R[m] for m in d.at[l])
        s = sum(T.cells.values())
        if s != T.total:
            C.bad("g4", "'%s': total %s, its rows add up to %s" % (name, fmt(T.total), fmt(s)))
        for m in d.at[l]:
            v = T.cells[(m.label, None)]
            if v != R[m]:
                C.bad("tie" if m in ties else "lr", "'%s': %s = %s, the largest-remainder rounding from the top gives %s (exact %s)%s" % (
                    name, m.label, fmt(v), fmt(R[m]), fmt(ex[(m,)]), NEG if ex[(m,)] < 0 else ""))
        if T.total != tot:
            C.bad("tie" if None in ties else "lr", "'%s': total %s, the exact total %s rounds to %s" % (
                name, fmt(T.total), fmt(sum(ex.values())), fmt(tot)))
        return
    (A, la), (B, lb) = show
    for r in T.rlabels:
        s = sum(T.cells[(r, c)] for c in T.clabels)
        if T.rowtot.get(r) != s:
            C.bad("g4", "'%s': row %s total %s, its cells add up to %s" % (name, r, fmt(T.rowtot.get(r)), fmt(s)))
    for c in T.clabels:
        s = sum(T.cells[(r, c)] for r in T.rlabels)
        if T.coltot.get(c) != s:
            C.bad("g4", "'%s': column %s total %s, its cells add up to %s" % (name, c, fmt(T.coltot.get(c)), fmt(s)))
    if T.total != sum(T.rowtot.values()) or T.total != sum(v for v in T.coltot.values() if v is not None):
        C.bad("g4", "'%s': grand total %s, rows add up to %s" % (name, fmt(T.total), fmt(sum(v for v in T.rowtot.values() if v is not None))))
    # the member totals are the one-dimension rounding; the period totals
    # too, or one step off (the documented rare case)
    # the grand total is the rows' in the engine's orientation (time in the
    # columns, else the member rows); under a cut the other side's own
    # rounding may add up to a step more or less
    rows = 1 if show[0][0].kind == "time" or (show[1][0].kind != "time" and show[0][0].kind != "org") else 0
    for side, (D, l), tots in ((0, show[0], T.rowtot), (1, show[1], T.coltot)):
        other = show[1 - side][0]
        strict = D.kind != "time" and other.kind == "time"
        R, _, ties = canon(P, O, M, D, l, cuts, step)
        tot = sum(R[m] for m in D.at[l])
        for m in D.at[l]:
            v = tots.get(m.label)
            if v == R[m]:
                continue
            msg = "'%s': total of %s = %s, the one-dimension rounding gives %s (exact %s)" % (
                name, m.label, fmt(v), fmt(R[m]), fmt(sum(x for k, x in ex.items() if k[side] is m)))
            if m in ties:
                C.bad("tie", msg)
            elif not strict and v is not None and abs(v - R[m]) == step:
                C.pending.append(((M.name, show), "lr", msg))   # col-step when both cannot hold
            else:
                C.bad("lr", msg)
        if side == rows and T.total != tot:
            C.bad("tie" if None in ties else "lr", "'%s': grand total %s, the exact total rounds to %s" % (
                name, fmt(T.total), fmt(tot)))


# ---------------------------------------------------------------- across tables
def check_across(C, P, tables):
    O = P.oracle
    for (n, show), T in tables.items():
        if len(show) != 2:
            continue
        M = P.metrics[n]
        a, b = show
        name = show_text(M, show)
        # transpose
        U = tables.get((n, (b, a)))
        if U is not None and show_text(M, show) < show_text(M, (b, a)):
            diffs = [(x, y) for x in T.rlabels for y in T.clabels if T.cells[(x, y)] != U.cells.get((y, x))]
            if diffs:
                x, y = diffs[0]
                C.bad("transpose", "'%s' and '%s' differ in %d cells, e.g. %s x %s: %s and %s" % (
                    name, show_text(M, (b, a)), len(diffs), x, y, fmt(T.cells[(x, y)]), fmt(U.cells.get((y, x)))))
        if M.role == "level":
            continue
        # the totals of a two-dimension table and the one-dimension tables
        for side, tots in ((0, T.rowtot), (1, T.coltot)):
            (D, l), other = show[side], show[1 - side][0]
            one = tables.get((n, ((D, l),)))
            if one is None:
                continue
            if M.role == "alloc" and O.cuts_for(M, show) != O.cuts_for(M, ((D, l),)):
                continue     # an over-assigned dimension: the sums differ by design
            strict = M.role == "derived" and not M.additive() or (D.kind != "time" and other.kind == "time")
            for m in D.at[l]:
                v, w = tots.get(m.label), one.cells.get((m.label, None))
                if v == w:
                    continue
                msg = "'%s': total of %s = %s, '%s' shows %s" % (
                    name, m.label, fmt(v), show_text(M, ((D, l),)), fmt(w))
                if not strict and v is not None and w is not None and abs(v - w) == step_of(P, M):
                    C.pending.append(((n, show), "one-dim", msg))
                else:
                    C.bad("one-dim", msg)
    feasible = {}
    for key, cat, msg in C.pending:
        if key not in feasible:
            feasible[key] = both_totals_hold(P, key, tables)
        if feasible[key]:
            C.bad(cat, msg + " (both sets of totals can hold)")
        else:
            C.bad("col-step", msg)
    check_nesting(C, P, tables)


def both_totals_hold(P, key, tables):
    """Whether a two-dimension table can be rounded (each cell to the step
    below or above) so that its member totals are the one-dimension
    rounding, each member's periods add up to its cells of the time level
    above (nesting), and its other totals are the one-dimension rounding
    too: a flow problem, as the engine solves it."""
    O = P.oracle
    n, show = key
    M = P.metrics[n]
    step = step_of(P, M)
    cuts = O.cuts_for(M, show)
    if show[0][0].kind == "time" or (show[1][0].kind != "time" and show[0][0].kind != "org"):
        show = (show[1], show[0])
    (X, lx), (Y, ly) = show
    lf = tree_grain(P, M, Y)
    if lf is not None and ly <= lf:
        # the engine rounds the finest time level in one flow and sums it
        return time_tree_holds(P, M, X, lx, Y, lf, cuts, step)
    ex = O.group(M, show, cuts)
    RX = canon(P, O, M, X, lx, cuts, step)[0]
    RY = canon(P, O, M, Y, ly, cuts, step)[0]
    fl = {k: (v / step).numerator // (v / step).denominator * step for k, v in ex.items()}
    blocks = []    # (extra steps needed, [keys])
    above = None
    if Y.kind == "time" and ly > 1:
        above = tables.get((n, ((X, lx), (Y, ly - 1)))) or tables.get((n, ((Y, ly - 1), (X, lx))))
    for x in X.at[lx]:
        if above is None:
            ks = [(x, y) for y in Y.at[ly]]
            blocks.append((RX[x], ks))
            continue
        for p in Y.at[ly - 1]:
            v = above.cells.get((x.label, p.label), above.cells.get((p.label, x.label)))
            if v is None:
                return True
            blocks.append((v, [(x, y) for y in Y.at[ly] if y.under(p)]))
    cols = {y: RY[y] - sum(fl[(x, y)] for x in X.at[lx]) for y in Y.at[ly]}
    need = []
    for tot, ks in blocks:
        e = (tot - sum(fl[k] for k in ks)) / step
        free = [k for k in ks if ex[k] != fl[k]]
        if e.denominator != 1 or not 0 <= e <= len(free):
            return False
        need.append((int(e), free))
    colneed = {}
    for y, c in cols.items():
        e = c / step
        if e.denominator != 1 or e < 0:
            return False
        colneed[y] = int(e)
    if sum(e for e, _ in need) != sum(colneed.values()):
        return False
    return max_flow(need, colneed) == sum(colneed.values())


def tree_grain(P, M, Y):
    """The finest time level of M's cells when its time nests (no
    over-assignment of time in it or its components), else None."""
    def oa(M):
        if M.role == "alloc":
            return Y in M.specs and bool(M.specs[Y].oa_depths())
        return M.role == "derived" and any(oa(P.metrics[r]) for r in expr_refs(M.expr))
    if Y.kind != "time" or oa(M):
        return None
    return (P.oracle.cell_dims(M) or {}).get(Y)


def time_tree_holds(P, M, X, lx, Y, lf, cuts, step):
    """Whether the table of X by the finest time level lf can be rounded so
    that each member adds up to its one-dimension rounding, each period
    column to the time dimension's, and each member's halves and quarters
    lie within a step of their exact values: a flow with lower bounds
    (section 8, Rounding, the time levels)."""
    edges = time_tree_edges(P, M, X, lx, Y, lf, cuts, step, 0)
    return edges is not None and feasible_flow(edges[0])


def span(v):
    """The whole numbers below and above v (v itself when whole)."""
    return v.numerator // v.denominator, -((-v.numerator) // v.denominator)


def time_tree_edges(P, M, X, lx, Y, lf, cuts, step, relax):
    """The flow of time_tree_holds, in steps above the cells' floors:
    (edges, floors).  relax 1: the period columns within a step of their
    exact values; relax 2: the members too (as the engine gives way)."""
    O = P.oracle
    ex = O.group(M, ((X, lx), (Y, lf)), cuts)
    RX = canon(P, O, M, X, lx, cuts, step)[0]
    RY = canon(P, O, M, Y, lf, cuts, step)[0]
    q = {k: v / step for k, v in ex.items()}
    fl = {k: v.numerator // v.denominator for k, v in q.items()}
    edges = []                       # (from, to, lower, upper)
    for x in X.at[lx]:
        f = sum(fl[(x, y)] for y in Y.at[lf])
        lo, hi = span(sum(q[(x, y)] for y in Y.at[lf])) if relax >= 2 else (RX[x] / step,) * 2
        if F(lo).denominator != 1:
            return None
        edges.append(("S", ("n", x, None), int(lo) - f, int(hi) - f))

        def node(m, x=x):
            return ("n", x, m) if m.depth >= 1 else ("n", x, None)
        for d in range(1, lf):
            for t in Y.at[d]:
                under = [y for y in Y.at[lf] if y.under(t)]
                lo, hi = span(sum(q[(x, y)] for y in under))
                f = sum(fl[(x, y)] for y in under)
                edges.append((node(t.parent), node(t), lo - f, hi - f))
        for y in Y.at[lf]:
            if q[(x, y)] != fl[(x, y)]:
                edges.append((node(y.parent), ("c", y), 0, 1))
    for y in Y.at[lf]:
        f = sum(fl[(x, y)] for x in X.at[lx])
        lo, hi = span(sum(q[(x, y)] for x in X.at[lx])) if relax >= 1 else (RY[y] / step,) * 2
        if F(lo).denominator != 1:
            return None
        edges.append((("c", y), "T", int(lo) - f, int(hi) - f))
    return edges, fl


def time_tree_cells(P, M, X, lx, Y, ly, lf, cuts, step):
    """The reference rounding of X by time level ly: the finest level lf
    rounded by the flow of time_tree_edges (giving way as the engine does),
    then summed."""
    for relax in (0, 1, 2):
        edges, fl = time_tree_edges(P, M, X, lx, Y, lf, cuts, step, relax) or (None, None)
        flows = {}
        if edges is not None and feasible_flow(edges, flows):
            break
    cells = {}
    for (x, y), f in fl.items():
        up = flows.get((("n", x, y.parent if y.depth > 1 else None), ("c", y)), 0)
        p = y
        while p.depth > ly:
            p = p.parent
        cells[(x, p)] = cells.get((x, p), 0) + (f + up) * step
    return cells


def feasible_flow(edges, flows=None):
    """Whether a flow from S to T meets every edge's lower and upper bound:
    the circulation with T -> S unbounded, lower bounds moved to a new
    source and sink, is feasible when the maximum flow saturates them.
    flows (a dict): gets the flow on each edge (from, to)."""
    cap, adj, excess = {}, {}, {}

    def add(u, v, c):
        if (u, v) not in cap:
            adj.setdefault(u, []).append(v)
            adj.setdefault(v, []).append(u)
            cap.setdefault((v, u), 0)
            cap[(u, v)] = 0
        cap[(u, v)] += c
    for u, v, lo, hi in edges:
        if lo > hi:
            return False
        add(u, v, hi - lo)
        excess[v] = excess.get(v, 0) + lo
        excess[u] = excess.get(u, 0) - lo
    add("T", "S", 10 ** 9)
    need = 0
    for u, e in excess.items():
        if e > 0:
            add("SS", u, e)
            need += e
        elif e < 0:
            add(u, "TT", -e)
    flow = 0
    while True:
        prev = {"SS": None}
        queue = ["SS"]
        for u in queue:
            for v in adj.get(u, []):
                if v not in prev and cap[(u, v)] > 0:
                    prev[v] = u
                    queue.append(v)
        if "TT" not in prev:
            if flows is not None:
                for u, v, lo, hi in edges:
                    flows[(u, v)] = lo + (hi - lo) - cap[(u, v)]
            return flow == need
        b, v = None, "TT"
        while prev[v] is not None:
            c = cap[(prev[v], v)]
            b = c if b is None else min(b, c)
            v = prev[v]
        v = "TT"
        while prev[v] is not None:
            cap[(prev[v], v)] -= b
            cap[(v, prev[v])] += b
            v = prev[v]
        flow += b


def max_flow(blocks, colneed, chosen=None, first=None):
    """Unit edges from block b (capacity need) to the columns of its free
    cells (one per column), columns to the sink with their need: the
    maximum flow.  chosen (a set): gets the cells the flow goes through.
    first: smaller needs of the columns to fill first (the flow into the
    sink never decreases, so they stay lower bounds)."""
    cap = {}
    S, T = ("S",), ("T",)
    cell = {}
    for i, (e, ks) in enumerate(blocks):
        cap[(S, ("b", i))] = e
        for (x, y) in ks:
            cap[(("b", i), ("c", y))] = 1
            cell[(("b", i), ("c", y))] = (x, y)
    for y, e in colneed.items():
        cap[(("c", y), T)] = e if first is None else first[y]
    adj = {}
    for (a, b) in list(cap):
        adj.setdefault(a, []).append(b)
        adj.setdefault(b, []).append(a)
        cap.setdefault((b, a), 0)
    flow = 0
    while True:
        prev = {S: None}
        queue = [S]
        for u in queue:
            for v in adj.get(u, []):
                if v not in prev and cap[(u, v)] > 0:
                    prev[v] = u
                    queue.append(v)
        if T not in prev and first is not None:
            for y, e in colneed.items():
                cap[(("c", y), T)] += e - first[y]
            first = None
            continue
        if T not in prev:
            if chosen is not None:
                chosen.update(k for e, k in cell.items() if cap[(e[1], e[0])] > 0)
            return flow
        v = T
        while prev[v] is not None:
            u = prev[v]
            cap[(u, v)] -= 1
            cap[(v, u)] += 1
            v = u
        flow += 1


def check_nesting(C, P, tables):
    t = P.time
    for n in P.order:
        M = P.metrics[n]
        if M.kind not in ("money", "count"):
            continue
        # the plan's own time tables
        one = {c: tables.get((n, ((t, c),))) for c in (1, 2, 3)}
        nest_rows(C, M, "the plan", {c: (T.cells if T else None) for c, T in one.items()},
                  lambda T, m: T.get((m.label, None)), None, "'%s by %%s'" % n)
        for D in P.dims:
            if D.kind == "time":
                continue
            for l in range(len(D.levels)):
                val = {}
                for c in (1, 2, 3):
                    T = tables.get((n, ((D, l), (t, c))))
                    U = tables.get((n, ((t, c), (D, l))))
                    if T:
                        val[c] = {(x, y): v for (x, y), v in T.cells.items()}
                    elif U:
                        val[c] = {(x, y): v for (y, x), v in U.cells.items()}
                year = tables.get((n, ((D, l),)))
                for m in D.at[l]:
                    yv = year.cells.get((m.label, None)) if year else None
                    nest_rows(C, M, m.label, {c: val.get(c) for c in (1, 2, 3)},
                              lambda V, tm, m=m: V.get((m.label, tm.label)), yv,
                              "'%s by %s, %%s'" % (n, D.levels[l]))


def nest_rows(C, M, who, V, get, year, tname):
    """V: {time level: cells or None}; months add up to quarters, quarters
    to halves, halves (or quarters) to the year."""
    t = C.P.time
    shown = [c for c in (1, 2, 3) if V.get(c) is not None]
    for i, c in enumerate(shown):
        above = shown[i - 1] if i else 0
        parents = t.at[above]
        for p in parents:
            kids = [m for m in t.at[c] if m.under(p)]
            vals = [get(V[c], m) for m in kids]
            if any(v is None for v in vals):
                continue
            s = sum(vals)
            pv = year if above == 0 else get(V[above], p)
            if above == 0 and pv is None:
                continue
            if pv != s:
                C.bad("nest", "%s: %s of %s add up to %s in %s, %s is %s in %s" % (
                    M.name, {1: "halves", 2: "quarters", 3: "months"}[c], who, fmt(s), tname % t.levels[c], p.label,
                    fmt(pv), "its year" if above == 0 else tname % t.levels[above]))


# ---------------------------------------------------------------- statements
def stmt_show(kind, name):
    return "%s %s" % (kind, name)


def check_statement(C, P, item, rows, tables, asof=None):
    """Targets of a scorecard, an incentive or a review's status rows are
    the table cells of that member and period (a partial period, up to the
    as-of month: the sum of its month cells); a member has a row for
    exactly the periods it is active in (in the months counted)."""
    kind, name, L, cad, ms = item
    t, org = P.time, P.org
    c = PERIOD_LEVEL[cad]
    what = stmt_show(kind, name) + ("" if asof is None else " --as-of %s" % month_lit(P, asof))
    head = rows[0]
    lvl = org.levels[L]
    if head[:2] != ["period", lvl]:
        C.bad("csv", "'%s': columns %s, expected period, %s, ..." % (what, head[:4], lvl))
        return
    got = {}
    for r in rows[1:]:
        if len(r) != len(head):
            C.bad("csv", "'%s': row %s has %d fields for %d columns" % (what, r[:3], len(r), len(head)))
            return
        rec = dict(zip(head, r))
        if r[1] == "total":
            continue
        if kind == "incentive":
            for m in ms:
                got[(r[0], r[1], m)] = num(rec.get("t_" + m, ""))
        elif rec.get("kpi", rec.get("metric")) != "total":
            got[(r[0], r[1], rec.get("kpi", rec.get("metric")))] = num(rec["target"])
    last = 11 if asof is None else asof
    counted = {p.label: [i for i in p.months if i <= last] for p in t.at[c] if p.months[0] <= last}
    want = set()
    for p in t.at[c]:
        for x in org.at[L]:
            if any(active(x, i) for i in counted.get(p.label, [])):
                for m in ms:
                    want.add((p.label, x.label, m))
    missing = sorted(want - set(got), key=str)
    extra = sorted(set(got) - want, key=str)
    if missing:
        C.bad("rows", "'%s': no row for %d active member-periods, e.g. %s" % (what, len(missing), " ".join(missing[0])))
    if extra:
        C.bad("rows", "'%s': %d rows for members not active in the months counted, e.g. %s" % (
            what, len(extra), " ".join(extra[0])))
    bad = []
    for (pl, xl, m), v in sorted(got.items(), key=str):
        if (pl, xl, m) not in want:
            continue
        M = P.metrics[m]
        p = next(x for x in t.at[c] if x.label == pl)
        if len(counted[pl]) == len(p.months):
            show = ((org, L),) if c == 0 else ((org, L), (t, c))
            T = tables.get((m, show))
            w = T.cells.get((xl, None if c == 0 else pl)) if T else None
        elif M.kind in ("money", "count"):
            show = ((org, L), (t, 3))
            T = tables.get((m, show))
            if T is None:    # not split by month: the months count in proportion
                continue
            cells = [T.cells.get((xl, t.at[3][i].label)) for i in counted[pl]]
            w = None if None in cells else sum(cells)
        elif M.role == "level":
            show = ((org, L),)
            T = tables.get((m, show))
            w = T.cells.get((xl, None)) if T else None
        else:
            continue         # a ratio of a partial period is no table's cell
        if T is None:
            continue
        if kind == "incentive" and w is None and v == 0:
            continue         # an incentive line counts a ratio over zero as 0 (LANGUAGE.md §10)
        if v != w:
            bad.append("%s %s %s: target %s, '%s' shows %s%s" % (
                pl, xl, m, fmt(v), show_text(M, show), fmt(w),
                "" if len(counted[pl]) == len(p.months) else " (the sum of its months to %s)" % month_lit(P, last)))
    if bad:
        C.bad("statement", "'%s': %d targets differ from the tables, e.g. %s" % (what, len(bad), "; ".join(bad[:3])))


# ---------------------------------------------------------------- cards in incentives
def card_rows(rows, lvl):
    """{(period, member): record} of a statement's csv (total rows only for a scorecard)."""
    out = {}
    head = rows[0] if rows else []
    if head[:2] != ["period", lvl]:
        return None
    for r in rows[1:]:
        rec = dict(zip(head, r))
        if "kpi" in rec and rec["kpi"] != "total":
            continue
        out[(r[0], r[1])] = rec
    return out


def check_cards(C, bin_, P, path, asof=None):
    """card.score, card.rating and card.rank read by an incentive line are
    what the scorecard shows for that member and period: the score as shown
    (payout = card.score, rounded to the plan's step), the rating (and the
    lookup table's value for it), ranks 1..n in order of the shown scores;
    0, "" and 0 for a member whose total is n/a."""
    L, cad = P.card
    lvl = P.org.levels[L]
    opts = ["--scenario", "s2"] + ([] if asof is None else ["--as-of", month_lit(P, asof)])
    what = "scorecard card / incentive cardpay %s" % " ".join(opts)
    rc, out, err = run_shows(bin_, path, ["scorecard card", "incentive cardpay"], opts)
    if rc != 0:
        C.bad("run", "check passes but '%s' exits %d: %s" % (what, rc, first_line(err)))
        return
    blocks = csv_blocks(out)
    if len(blocks) != 2:
        C.bad("csv", "'%s': %d csv blocks for 2 statements" % (what, len(blocks)))
        return
    card, pay = card_rows(blocks[0], lvl), card_rows(blocks[1], lvl)
    if card is None or pay is None:
        C.bad("csv", "'%s': unexpected columns" % what)
        return
    if set(card) != set(pay):
        C.bad("cards", "'%s': the scorecard has rows for %d member-periods, the incentive for %d" % (
            what, len(card), len(pay)))
        return
    bad, ranks = [], {}
    for k, c in sorted(card.items()):
        p = pay[k]
        score = num(c["score"])
        want = (F(0), "", F(0)) if score is None else (score, c["rating"], None)
        got = (num(p["sc"]), p["rt"], num(p["rk"]))
        if got[0] != want[0] or got[1] != want[1] or (score is None and got[2] != 0):
            bad.append("%s %s: incentive reads %s/%s, the scorecard shows %s/%s" % (
                k[0], k[1], fmt(got[0]), got[1], c["score"] or "n/a", c["rating"]))
        if num(p["co"]) != {"A": 3, "B": 2, "C": 1}.get(got[1], 0) and got[1]:
            bad.append("%s %s: table gives %s for rating %s" % (k[0], k[1], p["co"], got[1]))
        if num(p["payout"]) != round_half(P, want[0], P.step):
            bad.append("%s %s: payout %s for a score of %s" % (k[0], k[1], p["payout"], fmt(want[0])))
        if score is not None:
            ranks.setdefault(k[0], []).append((int(num(p["rk"])), score, k[1]))
    for per, rs in ranks.items():
        rs.sort()
        if [r for r, _, _ in rs] != list(range(1, len(rs) + 1)):
            bad.append("%s: ranks %s" % (per, [r for r, _, _ in rs]))
        elif any(a[1] < b[1] for a, b in zip(rs, rs[1:])):
            bad.append("%s: rank order %s against scores %s" % (per, [x[2] for x in rs], [fmt(x[1]) for x in rs]))
    if bad:
        C.bad("cards", "'%s': %d differences, e.g. %s" % (what, len(bad), "; ".join(bad[:3])))


# ---------------------------------------------------------------- M[a, b] and the REPL
def ref_of(m):
    return m.ref if m.dim.kind == "time" else m.name


def lit(M, v):
    if M.kind == "percent" or M.role == "derived" and not M.additive():
        return ap.dec(v * 100) + "%"
    return ap.dec(v) if v >= 0 else "0 - " + ap.dec(-v)


def cell_exprs(rng, P, tables):
    """(expression, the table's value, table name) for a sample of cells."""
    out = []
    for n in P.order:
        M = P.metrics[n]
        mine = [(s, T) for (k, s), T in tables.items() if k == n]
        rng.shuffle(mine)
        ones = [x for x in mine if len(x[0]) == 1][:1]
        twos = [x for x in mine if len(x[0]) == 2][:1]
        for show, T in ones + twos:
            keys = [k for k, v in T.cells.items() if v is not None]
            for k in rng.sample(keys, min(len(keys), 2 if len(show) == 2 else 1)):
                ms = [next(m for m in d.at[l] if m.label == lab) for (d, l), lab in zip(show, k)]
                expr = "%s[%s]" % (n, ", ".join(ref_of(m) for m in ms))
                out.append((M, expr, T.cells[k], show_text(M, show)))
    return out


def assert_lines(cells):
    lines = []
    for i, (M, expr, v, tname) in enumerate(cells):
        if M.role == "derived" and not M.additive():
            lines.append('assert abs(%s - %s) <= 0.005%% "c%d"' % (expr, lit(M, v), i))
        else:
            lines.append('assert %s == %s "c%d"' % (expr, lit(M, v), i))
    return lines


def check_asserts(C, bin_, P, path, cells):
    if not cells:
        return
    apath = path[:-5] + "_cells.plan"
    with open(apath, "w") as f:
        f.write(P.text + "\n".join(assert_lines(cells)) + "\n")
    rc, out, err = run(bin_, ["check", apath])
    if rc == 0:
        return
    fails = re.findall(r"assertion failed: c(\d+)\n(?:.*\n)*?.*note: left: +(.*?) = (.*)", err)
    shown = set()
    for i, _, left in fails:
        M, expr, v, tname = cells[int(i)]
        shown.add(int(i))
        C.bad("cell-ref", "%s = %s, '%s' shows %s" % (expr, left.strip(), tname, fmt(v)))
    other = [l for l in err.splitlines() if ": error: " in l and "assertion failed" not in l]
    for l in other[:3]:
        C.bad("cell-ref", "an assertion on a cell the tables show is refused: %s" % l.split(": error: ", 1)[1][:200])
    if not fails and not other:
        C.bad("cell-ref", "check of the assertions: exit %d: %s" % (rc, first_line(err)))


def check_repl(C, bin_, P, path, cells, rng):
    cells = rng.sample(cells, min(8, len(cells)))
    if not cells:
        return
    inp = ":format csv\n" + "".join(e + "\n" for _, e, _, _ in cells)
    try:
        p = subprocess.run([bin_, "repl", path], input=inp.encode(), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=dict(os.environ, NO_COLOR="1"), timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        C.bad("cell-ref", "the REPL timed out")
        return
    lines = p.stdout.decode("utf-8", "replace").splitlines()
    answers = {}
    k = 2   # input line numbers: 1 is :format
    i = 0
    while i < len(lines):
        l = lines[i]
        m = re.match(r"<repl>:(\d+):\d+: error: (.*)", l)
        if m:
            answers[int(m.group(1))] = ("error", m.group(2))
            i += 1
            while i < len(lines) and (lines[i].startswith(" ") or lines[i].startswith("note:")):
                i += 1
            continue
        if l.startswith("format:") or l.startswith("salesplan") or not l.strip():
            i += 1
            continue
        while k in answers:
            k += 1
        answers[k] = ("value", l.strip())
        k += 1
        i += 1
    for j, (M, expr, v, tname) in enumerate(cells):
        a = answers.get(j + 2)
        if a is None:
            C.bad("cell-ref", "the REPL gave no answer to %s" % expr)
            continue
        if a[0] == "error":
            C.bad("cell-ref", "the REPL refuses %s ('%s' shows %s): %s" % (expr, tname, fmt(v), a[1][:200]))
            continue
        try:
            txt = a[1].replace(",", "")
            got = F(txt[:-1]) / 100 if txt.endswith("%") else F(txt)
        except (ValueError, ZeroDivisionError):
            C.bad("cell-ref", "the REPL answers %s to %s" % (a[1], expr))
            continue
        ok = ratio_ok(got, v) if (M.kind == "percent" or M.role == "derived" and not M.additive()) else got == v
        if M.kind == "percent":
            ok = got == v
        if not ok:
            C.bad("cell-ref", "the REPL answers %s = %s, '%s' shows %s" % (expr, a[1], tname, fmt(v)))


# ---------------------------------------------------------------- one plan
def run_tables(C, bin_, P, path, shows):
    """Runs every table (one run; when it fails, metric by metric and then
    table by table, so that each failing table is named).  Returns
    {(metric, show): csv rows} and the raw output of the whole run."""
    texts = [show_text(P.metrics[n], s) for n, s in shows]
    rc, out, err = run_shows(bin_, path, texts)
    if rc == 0:
        return dict(zip(shows, csv_blocks(out))), out, len(csv_blocks(out)) == len(shows)
    got = {}
    for n in P.order:
        mine = [(k, s) for k, s in shows if k == n]
        if not mine:
            continue
        mt = [show_text(P.metrics[n], s) for _, s in mine]
        rc, out, err = run_shows(bin_, path, mt)
        if rc == 0:
            got.update(zip(mine, csv_blocks(out)))
            continue
        failing = 0
        for k, t in zip(mine, mt):
            if failing >= 6:
                C.bad("run", "'%s' and maybe more tables of %s not tried" % (t, n))
                break
            rc, out, err = run_shows(bin_, path, [t])
            if rc == 0:
                got[k] = csv_blocks(out)[0]
            else:
                failing += 1
                C.bad("run", "check passes but 'run --show \"%s\"' exits %d: %s" % (t, rc, first_line(err)))
    return got, None, True


def run_statements(C, bin_, P, path, asof=None):
    items = [x for x in P.items]
    texts = [stmt_show(k, nm) for k, nm, _, _, _ in items]
    if not texts:
        return {}, None
    opts = ["--scenario", "s"] + ([] if asof is None else ["--as-of", month_lit(P, asof)])
    rc, out, err = run_shows(bin_, path, texts, opts)
    if rc == 0:
        blocks = csv_blocks(out)
        if len(blocks) == len(items):
            return dict(zip(range(len(items)), blocks)), out
        # a review without status rows prints only its header: match by header
        C.bad("csv", "%d csv blocks for %d statements" % (len(blocks), len(items)))
        return {}, out
    got = {}
    for i, t in enumerate(texts):
        rc, out, err = run_shows(bin_, path, [t], opts)
        if rc == 0:
            got[i] = csv_blocks(out)[0] if csv_blocks(out) else [[]]
        else:
            C.bad("run", "check passes but 'run %s --show \"%s\"' exits %d: %s" % (
                " ".join(opts), t, rc, first_line(err)))
    return got, None


def check_refusal(C, bin_, P, path, rng):
    """A report asking for a table the plan cannot show, or a scorecard of
    a metric the plan cannot give per member: `check` refuses it, or `run`
    shows it; never accepted by check and then failing."""
    bad = bad_shows(P)
    O = P.oracle
    kpis = [n for n in P.order if not fits(O, P.metrics[n], 1, 0)]
    if not bad and not kpis:
        return
    vpath = path[:-5] + "_refuse.plan"
    if bad and (not kpis or rng.random() < 0.6):
        n, s = rng.choice(bad)
        what = show_text(P.metrics[n], s)
        extra = 'report "beyond" { show %s }' % what
        args = ["run", vpath, "--format", "csv"]
    else:
        n = rng.choice(kpis)
        what = "scorecard beyond (kpi %s per rep)" % n
        extra = "scorecard beyond per rep { kpi %s weight 100%%  rating { A: 0 } }" % n
        args = ["run", vpath, "--format", "csv", "--scenario", "s", "--show", "scorecard beyond"]
    with open(vpath, "w") as f:
        f.write(P.text + extra + "\n")
    rc, out, err = run(bin_, ["check", vpath])
    if rc != 0:
        return
    rc, out, err = run(bin_, args)
    if rc != 0:
        C.bad("refuse", "check accepts `%s` but run exits %d: %s" % (extra, rc, first_line(err)))


def check_plan(bin_, P, tmp, sample):
    C = Checker(P)
    path = os.path.join(tmp, "p%s.plan" % P.seed)
    with open(path, "w") as f:
        f.write(P.text)
    if P.hist_text:
        with open(os.path.join(tmp, P.hist_name), "w") as f:
            f.write(P.hist_text)
    rng = random.Random("%s/checks" % P.seed)
    rc, out, err = run(bin_, ["check", path])
    if rc != 0:
        C.bad("check", "check refuses a plan the contract accepts: exit %d: %s" % (rc, first_line(err)))
        return C, path
    # what `run` prints by itself: its default tables and, under the
    # scenario, every review
    rc, out, err = run(bin_, ["run", path, "--format", "csv", "--scenario", "s"])
    if rc != 0:
        C.bad("run", "check passes but 'run --scenario s' exits %d: %s" % (rc, first_line(err)))
    shows = build_shows(rng, P)
    blocks, whole, complete = run_tables(C, bin_, P, path, shows)
    if not complete:
        C.bad("csv", "fewer csv tables than shows")
        return C, path
    tables = {}
    for key, rows in blocks.items():
        n, show = key
        try:
            T = Table(P.metrics[n], show, rows)
        except (ValueError, IndexError, ZeroDivisionError) as e:
            C.bad("csv", "'%s': cannot read its csv (%s)" % (show_text(P.metrics[n], show), e))
            continue
        if check_table(C, P, n, show, T):
            tables[key] = T
    check_across(C, P, tables)
    sblocks, swhole = run_statements(C, bin_, P, path)
    for i, rows in sblocks.items():
        if rows and rows[0]:
            check_statement(C, P, P.items[i], rows, tables)
    if sample % 3 == 1:
        asof = rng.randint(0, 10)
        ablocks, _ = run_statements(C, bin_, P, path, asof)
        for i, rows in ablocks.items():
            if rows and rows[0]:
                check_statement(C, P, P.items[i], rows, tables, asof)
    if P.card:
        check_cards(C, bin_, P, path, rng.randint(0, 10) if sample % 3 == 2 else None)
    cells = cell_exprs(rng, P, tables)
    check_asserts(C, bin_, P, path, cells)
    if sample % 8 == 0:
        check_repl(C, bin_, P, path, cells, rng)
    if sample % 10 == 0 and whole is not None:
        texts = [show_text(P.metrics[n], s) for n, s in shows]
        if run_shows(bin_, path, texts)[1] != whole:
            C.bad("det", "a second run of the tables printed something else")
        if swhole is not None and run_shows(bin_, path, [stmt_show(k, nm) for k, nm, _, _, _ in P.items],
                                             ["--scenario", "s"])[1] != swhole:
            C.bad("det", "a second run of the statements printed something else")
    if sample % 4 == 0:
        check_refusal(C, bin_, P, path, rng)
    return C, path


# ---------------------------------------------------------------- main
class Result:
    """What a worker process hands back for one plan."""

    def __init__(self, seed, P, fails):
        self.seed = seed
        self.text = P.text if P else None
        self.hist = (P.hist_name, P.hist_text) if P and P.hist_text else None
        self.fails = fails


def one(arg):
    bin_, tmp, i, s = arg
    try:
        P = gen_plan(s)
    except Exception as e:   # a generator bug is a test failure too
        return Result(s, None, [("generator", "seed %s: %r" % (s, e))])
    try:
        C, path = check_plan(bin_, P, tmp, i)
        fails = C.fails
    except Exception as e:
        import traceback
        fails = [("checker", "%r at %s" % (e, traceback.format_exc().strip().splitlines()[-3][:200]))]
    for f in os.listdir(tmp):
        if f.startswith(("p%s." % s, "p%s_" % s)) or f == P.hist_name:
            os.unlink(os.path.join(tmp, f))
    return Result(s, P, fails)


def main():
    if len(sys.argv) != 2:
        print("usage: views_prop.py BIN", file=sys.stderr)
        return 2
    bin_ = os.path.abspath(sys.argv[1])
    n = int(os.environ.get("VIEWS_N", "2000"))
    seed = int(os.environ.get("VIEWS_SEED", "20271101"))
    jobs = int(os.environ.get("VIEWS_JOBS", str(min(8, os.cpu_count() or 2))))
    strict = os.environ.get("VIEWS_STRICT", "") not in ("", "0")
    keep = os.environ.get("VIEWS_KEEP", "")
    nshow = int(os.environ.get("VIEWS_SHOW", "6"))
    t0 = time.time()
    tmp = tempfile.mkdtemp(prefix="views_prop.")
    master = random.Random(seed)
    seeds = [master.getrandbits(40) for _ in range(n)]

    with ProcessPoolExecutor(max_workers=jobs) as ex:
        results = list(ex.map(one, [(bin_, tmp, i, s) for i, s in enumerate(seeds)], chunksize=4))

    passed = failed = 0
    props = {}      # property -> [plans, first message, smallest plan]
    known = {}
    shown = 0
    for R in results:
        hard = [(c, m) for c, m in R.fails if strict or c not in KNOWN]
        for c, m in R.fails:
            if (c, m) in hard:
                continue
            known.setdefault(c, [0, m, R.seed])
            known[c][0] += 1
        for c in sorted({c for c, _ in hard}):
            e = props.setdefault(c, [0, None, None])
            e[0] += 1
            size = len(R.text.splitlines()) if R.text else 0
            if e[2] is None or size < e[2][1]:
                e[1] = next(m for cc, m in hard if cc == c)
                e[2] = (R.seed, size)
        if hard:
            failed += 1
            if shown < nshow:
                shown += 1
                print("FAIL plan seed %s" % R.seed)
                for c, m in hard[:10]:
                    print("  [%s] %s" % (c, m))
                if len(hard) > 10:
                    print("  ... %d more" % (len(hard) - 10))
                if R.text:
                    print("  " + R.text.replace("\n", "\n  ").rstrip())
            if keep and R.text:
                os.makedirs(keep, exist_ok=True)
                with open(os.path.join(keep, "fail_%s.plan" % R.seed), "w") as f:
                    f.write("# " + "\n# ".join(("[%s] %s" % cm).replace("\n", " ") for cm in hard) + "\n" + R.text)
                if R.hist:
                    with open(os.path.join(keep, R.hist[0]), "w") as f:
                        f.write(R.hist[1])
        else:
            passed += 1
    for c, (cnt, m, (sd, size)) in sorted(props.items(), key=lambda kv: -kv[1][0]):
        print("property %-9s fails in %4d plans; smallest: seed %s (%d lines): %s" % (c, cnt, sd, size, m[:240]))
    for c, (cnt, m, sd) in sorted(known.items()):
        print("known: %d x [%s] %s\n       e.g. seed %s: %s" % (cnt, c, KNOWN[c], sd, m[:200]))
    for f in os.listdir(tmp):
        os.unlink(os.path.join(tmp, f))
    os.rmdir(tmp)
    print("views_prop: %d plans, seed %d, %.1f s" % (n, seed, time.time() - t0))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


# ---------------------------------------------------------------- checking the checker
def reference_table(P, n, show):
    """The csv rows of a table as the contract has them, computed from the
    oracle by a reference rounding (one-dimension tables from the top; two
    dimensions by a flow against the member totals, the time level above
    and, when they can hold, the period totals).  Used by --selftest: the
    checks must pass such tables."""
    O, M = P.oracle, P.metrics[n]
    head = [show[0][0].levels[show[0][1]]]
    keys1 = [m for m in show[0][0].at[show[0][1]]]
    if M.role != "alloc" and not (M.role == "derived" and M.additive()):
        ex = O.group(M, show)
        if len(show) == 1:
            rows = [head + [M.name]] + [[m.label, txt4(ex[(m,)])] for m in keys1]
        else:
            keys2 = show[1][0].at[show[1][1]]
            rows = [head + [m.label for m in keys2] + ([] if M.role == "level" else ["total"])]
            tot1, tot2 = O.group(M, (show[0],)), O.group(M, (show[1],))
            for a in keys1:
                rows.append([a.label] + [txt4(ex[(a, b)]) for b in keys2] +
                            ([] if M.role == "level" else [txt4(tot1[(a,)])]))
            if M.role != "level":
                rows.append(["total"] + [txt4(tot2[(b,)]) for b in keys2] + [txt4(O.group(M, ())[()])])
            return rows
        if M.role != "level":
            rows.append(["total", txt4(O.group(M, ())[()])])
        return rows
    step = step_of(P, M)
    cuts = O.cuts_for(M, show)
    if len(show) == 1:
        d, l = show[0]
        R = canon(P, O, M, d, l, cuts, step)[0]
        return [head + [M.name]] + [[m.label, txtv(P, M, R[m])] for m in keys1] + \
            [["total", txtv(P, M, sum(R[m] for m in keys1))]]
    cells = reference_cells(P, M, show, cuts, step)
    keys2 = show[1][0].at[show[1][1]]
    rows = [head + [m.label for m in keys2] + ["total"]]
    for a in keys1:
        vals = [cells[(a, b)] for b in keys2]
        rows.append([a.label] + [txtv(P, M, v) for v in vals] + [txtv(P, M, sum(vals))])
    cols = [sum(cells[(a, b)] for a in keys1) for b in keys2]
    rows.append(["total"] + [txtv(P, M, v) for v in cols] + [txtv(P, M, sum(cols))])
    return rows


REF_MEMO = {}


def reference_cells(P, M, show, cuts, step):
    O = P.oracle
    flip = show[0][0].kind == "time" or (show[1][0].kind != "time" and show[0][0].kind != "org")
    s2 = (show[1], show[0]) if flip else show
    key = (P.seed, M.name, s2)
    if key not in REF_MEMO:
        (X, lx), (Y, ly) = s2
        lf = tree_grain(P, M, Y)
        if lf is not None and ly <= lf:
            REF_MEMO[key] = time_tree_cells(P, M, X, lx, Y, ly, lf, cuts, step)
            out = REF_MEMO[key]
            return out if not flip else {(b, a): v for (a, b), v in out.items()}
        ex = O.group(M, s2, cuts)
        RX = canon(P, O, M, X, lx, cuts, step)[0]
        RY = canon(P, O, M, Y, ly, cuts, step)[0]
        fl = {k: floor_to(v, step) for k, v in ex.items()}
        blocks = []
        if Y.kind == "time" and ly > 1:
            above = reference_cells(P, M, ((X, lx), (Y, ly - 1)), cuts, step)
            for x in X.at[lx]:
                for p in Y.at[ly - 1]:
                    blocks.append((above[(x, p)], [(x, y) for y in Y.at[ly] if y.under(p)]))
        else:
            blocks = [(RX[x], [(x, y) for y in Y.at[ly]]) for x in X.at[lx]]
        need = [(int((tot - sum(fl[k] for k in ks)) / step), [k for k in ks if ex[k] != fl[k]])
                for tot, ks in blocks]
        colneed = {y: int((RY[y] - sum(fl[(x, y)] for x in X.at[lx])) / step) for y in Y.at[ly]}
        chosen = set()
        if max_flow(need, colneed, chosen) != sum(e for e, _ in need):
            chosen = set()   # both cannot hold: the period totals give way, one step at most
            max_flow(need, {y: e + 1 for y, e in colneed.items()}, chosen,
                     {y: max(e - 1, 0) for y, e in colneed.items()})
        REF_MEMO[key] = {k: fl[k] + (step if k in chosen else 0) for k in ex}
    out = REF_MEMO[key]
    return out if not flip else {(b, a): v for (a, b), v in out.items()}


def txt4(x):
    if x is None:
        return ""
    q = round_half_up(x * 10000)
    return "%s%d.%04d" % ("-" if q < 0 else "", abs(q) // 10000, abs(q) % 10000)


def round_half_up(x):
    return int(x + F(1, 2)) if x >= 0 else -int(-x + F(1, 2))


def txtv(P, M, v):
    if M.kind == "count":
        return str(int(v))
    if P.decimals == 0:
        return str(int(v))
    q = v * 10 ** P.decimals
    return "%s%d.%0*d" % ("-" if q < 0 else "", abs(int(q)) // 10 ** P.decimals, P.decimals,
                          abs(int(q)) % 10 ** P.decimals)


def selftest(n, seed):
    """The table checks on tables made by reference_table: every failure is
    a bug of the suite (or a case the reference rounding cannot do)."""
    master = random.Random(seed)
    bad = 0
    counts = {}
    for _ in range(n):
        s = master.getrandbits(40)
        P = gen_plan(s)
        C = Checker(P)
        tables = {}
        for key in build_shows(random.Random(s), P):
            T = Table(P.metrics[key[0]], key[1], reference_table(P, *key))
            if check_table(C, P, key[0], key[1], T):
                tables[key] = T
        check_across(C, P, tables)
        for c, m in C.fails:
            counts[c] = counts.get(c, 0) + 1
        hard = [(c, m) for c, m in C.fails if c not in KNOWN]
        if hard:
            bad += 1
            if bad <= 5:
                print("selftest seed %s:" % s)
                for c, m in hard[:6]:
                    print("  [%s] %s" % (c, m))
    print("selftest: %d plans, %d with failures; by property: %s" % (n, bad, counts))
    return 1 if bad else 0


def one_plan(seed):
    """Prints the plan of one seed (for a failure: views_prop.py --plan SEED)."""
    P = gen_plan(seed)
    sys.stdout.write(P.text)
    if P.hist_text:
        sys.stdout.write("# %s:\n# " % P.hist_name + P.hist_text.replace("\n", "\n# ").rstrip("# ") + "\n")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--selftest":
        sys.exit(selftest(int(sys.argv[2]), int(os.environ.get("VIEWS_SEED", "20271101"))))
    if len(sys.argv) == 3 and sys.argv[1] == "--plan":
        one_plan(int(sys.argv[2]))
        sys.exit(0)
    sys.exit(main())
