"""Random plans with amounts in a split scoped by another dimension
(`split revenue by product in north { p1: 300, p2: rest }`), for
alloc_prop.py: an exact Fraction model of docs/LANGUAGE.md ("Locks in
another dimension's scope") against `salesplan run --format json`.

A plan: an org dimension (region > rep, or region > team > rep), a flat
product dimension, sometimes quarters split first; the product split plan
wide by shares or weights, then locks (amounts, shares, rest) in disjoint
scopes: regions, teams, or a region and a quarter.  A quarter of the plans
lock quarters instead of products (in regions or teams; sometimes months
below).  Checked:

  lock  a lock shows exactly its amount in the region x product table (a
        region's lock), the team x product table (a team's), summed over
        the lock's reps in the rep x product table, and as the cell in an
        expression (`--explain "revenue[north, cards]"`);
  g3    every value shown is the multiple of the step just below or above
        its exact value;
  g4    rows, columns and the grand total are the sums of the cells shown;
  same  the product table's rows are the columns of every two-dimension table;
  bad   a lock more than its scope's total (no room for the rest) is an
        error of `run` and of `check` that names the numbers (never a table).
"""
import json
import os
import random
import subprocess
from fractions import Fraction as F

STEPS = ["1", "0.01", "100"]


def dec(x):
    x = F(x)
    sign = "-" if x < 0 else ""
    x = abs(x)
    d = 0
    while (x * 10 ** d).denominator != 1:
        d += 1
    n = int(x * 10 ** d)
    if d == 0:
        return sign + str(n)
    s = str(n).rjust(d + 1, "0")
    return sign + s[:-d] + "." + s[-d:]


class LockPlan:
    pass


def gen_org(rng):
    teams = rng.random() < 0.4
    regions, reps = [], {}
    nreg = rng.randint(1, 4)
    k = 0
    for r in range(nreg):
        name = "r%d" % (r + 1)
        if teams:
            tl = []
            for t in range(rng.randint(1, 3)):
                tname = "t%d%d" % (r + 1, t + 1)
                members = []
                for _ in range(rng.randint(1, 3)):
                    k += 1
                    members.append("s%d" % k)
                tl.append((tname, members))
            regions.append((name, tl))
        else:
            members = []
            for _ in range(rng.randint(1, 4)):
                k += 1
                members.append("s%d" % k)
            regions.append((name, [(None, members)]))
    return teams, regions


def gen_plan(seed):
    rng = random.Random(seed)
    P = LockPlan()
    P.seed = seed
    P.step_text = rng.choice(STEPS)
    P.step = F(P.step_text)
    P.target = F(rng.randint(1000, 10 ** 7)) * (P.step if rng.random() < 0.7 else F(1, 100))
    P.teams, regions = gen_org(rng)
    P.regions = [r for r, _ in regions]
    P.team_of, P.region_of, P.reps = {}, {}, []
    for r, tl in regions:
        for t, members in tl:
            for s in members:
                P.reps.append(s)
                P.region_of[s] = r
                P.team_of[s] = t
    P.time_lock = rng.random() < 0.25
    P.months = P.time_lock and rng.random() < 0.5
    if P.time_lock:  # quarters locked in a region's or team's scope
        P.products = ["Q1", "Q2", "Q3", "Q4"]
        P.quarters = False
    else:
        P.products = ["p%d" % (i + 1) for i in range(rng.randint(2, 5))]
        P.quarters = rng.random() < 0.4
    lines = ['plan "locks %d" { year = 2027 round = %s }' % (seed, P.step_text)]
    body = []
    for r, tl in regions:
        if P.teams:
            body.append("%s { %s }" % (r, ", ".join("%s { %s }" % (t, ", ".join(m)) for t, m in tl)))
        else:
            body.append("%s { %s }" % (r, ", ".join(tl[0][1])))
    levels = "region > team > rep" if P.teams else "region > rep"
    lines.append("dimension org levels %s { %s }" % (levels, ", ".join(body)))
    if not P.time_lock:
        lines.append("dimension product { %s }" % ", ".join(P.products))
    lines.append("metric revenue money")
    lines.append("target revenue = %s" % dec(P.target))
    # quarters
    P.qshare = {}
    if P.quarters:
        w = [rng.randint(1, 9) for _ in range(4)]
        lines.append("split revenue by quarter weights { %s }" %
                     ", ".join("Q%d: %d" % (i + 1, w[i]) for i in range(4)))
        for i in range(4):
            P.qshare["Q%d" % (i + 1)] = F(w[i], sum(w))
    # regions: a lock, shares or weights
    P.region_val = {}
    if rng.random() < 0.5 and len(P.regions) > 1:
        lock_r = rng.choice(P.regions)
        amt = (P.target * F(rng.randint(1, 9), 10) // P.step) * P.step
        rest_r = rng.choice([r for r in P.regions if r != lock_r])
        ents = []
        left = P.target - amt
        for r in P.regions:
            if r == lock_r:
                ents.append("%s: %s" % (r, dec(amt)))
                P.region_val[r] = amt
            elif r != rest_r:
                p = F(rng.randint(0, 20), 100)
                ents.append("%s: %s%%" % (r, dec(p * 100)))
                P.region_val[r] = P.target * p
                left -= P.target * p
        if left < 0:
            return None
        P.region_val[rest_r] = left
        ents.append("%s: rest" % rest_r)
        lines.append("split revenue by region { %s }" % ", ".join(ents))
    else:
        w = {r: rng.randint(1, 9) for r in P.regions}
        lines.append("split revenue by region weights { %s }" %
                     ", ".join("%s: %d" % kv for kv in w.items()))
        for r in P.regions:
            P.region_val[r] = P.target * F(w[r], sum(w.values()))
    # reps within each region (teams: by reps too, the team a sum)
    P.rep_w = {s: rng.randint(1, 9) for s in P.reps}
    lines.append("split revenue by rep weights { %s }" %
                 ", ".join("%s: %d" % kv for kv in P.rep_w.items()))
    # products plan wide
    pw = {p: rng.randint(0, 9) for p in P.products}
    if sum(pw.values()) == 0:
        pw[P.products[0]] = 1
    P.split_word = "quarter" if P.time_lock else "product"
    lines.append("split revenue by %s weights { %s }" %
                 (P.split_word, ", ".join("%s: %d" % kv for kv in pw.items())))
    P.free = {p: F(pw[p], sum(pw.values())) for p in P.products}
    lines += gen_locks(rng, P)
    if P.months:
        lines.append("split revenue by month equally")
    P.text = "\n".join(lines) + "\n"
    return P


def rep_val(P, s):
    r = P.region_of[s]
    inr = [x for x in P.reps if P.region_of[x] == r]
    return P.region_val[r] * F(P.rep_w[s], sum(P.rep_w[x] for x in inr))


def contexts(P):
    """[(quarter or None, rep, value)]: the cells before the product axis."""
    qs = sorted(P.qshare) if P.quarters else [None]
    return [(q, s, rep_val(P, s) * (P.qshare[q] if q else 1)) for q in qs for s in P.reps]


def in_scope(P, scope, q, s):
    for m in scope:
        if m.startswith("Q"):
            if q != m:
                return False
        elif m != P.region_of[s] and m != P.team_of[s] and m != s:
            return False
    return True


def gen_locks(rng, P):
    """Locks in disjoint scopes; their values per scope (P.locks)."""
    kinds = ["region", "region"] + (["team"] if P.teams else []) + (["quarter"] if P.quarters else [])
    if P.time_lock and P.teams:
        kinds = ["region", "team"]
    elif P.time_lock:
        kinds = ["region"]
    kind = rng.choice(kinds)
    if kind == "region":
        pool = [[r] for r in P.regions]
    elif kind == "team":
        pool = [[t] for t in sorted({P.team_of[s] for s in P.reps})]
    else:
        pool = [[r, q] for r in P.regions for q in sorted(P.qshare)]
    scopes = rng.sample(pool, rng.randint(1, min(3, len(pool))))
    P.locks = []
    P.infeasible = False
    lines = []
    for scope in scopes:
        B = sum((v for q, s, v in contexts(P) if in_scope(P, scope, q, s)), F(0))
        ents, vals, has_amt = [], {}, False
        rest = rng.choice(P.products)
        left = B
        for p in P.products:
            if p == rest:
                continue
            r = rng.random()
            if r < 0.6:
                room = max(F(0), left) * F(rng.randint(0, 100), 100)
                amt = (room // P.step) * P.step
                if rng.random() < 0.08:  # more than the scope's total
                    amt = ((B // P.step) + rng.randint(1, 5)) * P.step
                    P.infeasible = True
                ents.append("%s: %s" % (p, dec(amt)))
                vals[p] = amt
                left -= amt
                has_amt = True
                P.locks.append((scope, p, amt))
            elif r < 0.8:
                pc = F(rng.randint(0, 30), 100)
                ents.append("%s: %s%%" % (p, dec(pc * 100)))
                vals[p] = B * pc
                left -= B * pc
        if not has_amt:  # every scope locks an amount
            amt = ((max(F(0), left) / 2) // P.step) * P.step
            p = [x for x in P.products if x != rest][0]
            ents = [e for e in ents if not e.startswith(p + ":")]
            left += vals.get(p, F(0)) - amt
            vals[p] = amt
            ents.append("%s: %s" % (p, dec(amt)))
            P.locks.append((scope, p, amt))
        if left < 0:
            P.infeasible = True
        vals[rest] = left
        ents.append("%s: rest" % rest)
        P.scope_vals = getattr(P, "scope_vals", [])
        P.scope_vals.append((scope, B, vals))
        lines.append("split revenue by %s in %s { %s }" % (P.split_word, ", ".join(scope), ", ".join(ents)))
    return lines


def exact_cells(P):
    """{(quarter, rep, product): exact value}."""
    cells = {}
    for q, s, v in contexts(P):
        share = None
        for scope, B, vals in P.scope_vals:
            if in_scope(P, scope, q, s):
                share = {p: (vals.get(p, F(0)) / B if B else F(0)) for p in P.products}
        if share is None:
            share = P.free
        for p in P.products:
            cells[(q, s, p)] = v * share[p]
    return cells


def run(bin_, path, shows):
    args = [bin_, "run", path, "--format", "json"]
    for s in shows:
        args += ["--show", s]
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=dict(os.environ, NO_COLOR="1"))
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def check_table(P, t, exact, bad):
    """One two-level (or one-level) table: g3, g4; returns {(row, col): value}."""
    step = P.step
    got = {}
    cols = t["columns"]
    ctot = [F(0)] * len(cols)
    for row in t["rows"]:
        vals = [F(str(v)) for v in row["cells"]]
        if t["col_level"] is not None and sum(vals) != F(str(row["total"])):
            bad("g4", "%s: row %s adds up to %s, shows %s" % (t["row_level"], row["name"], sum(vals), row["total"]))
        for c, v in zip(cols, vals):
            got[(row["name"], c)] = v
            x = exact.get((row["name"], c))
            if x is not None and not (v - step < x < v + step or v == x):
                bad("g3", "%s x %s: %s shows %s, exact %s" % (t["row_level"], t["col_level"], (row["name"], c), v, float(x)))
        for i, v in enumerate(vals):
            ctot[i] += v
    for i, v in enumerate(t["totals"]["cells"]):
        if F(str(v)) != ctot[i]:
            bad("g4", "%s: column %s adds up to %s, shows %s" % (t["row_level"], cols[i], ctot[i], v))
    return got


def check_plan(bin_, P, tmpdir):
    fails = []

    def bad(cat, msg):
        fails.append((cat, msg))

    path = os.path.join(tmpdir, "lock%s.plan" % P.seed)
    with open(path, "w") as f:
        f.write(P.text)
    w = P.split_word
    shows = ["revenue by region, %s" % w, "revenue by rep, %s" % w, "revenue by %s" % w]
    if P.teams:
        shows.append("revenue by team, %s" % w)
    if P.quarters:
        shows.append("revenue by product, quarter")
    if P.months:
        shows.append("revenue by rep, month")
    rc, out, err = run(bin_, path, shows)
    if P.infeasible:
        ok = rc == 1 and ("'rest' would be" in err or "sum to" in err) and ":" in err
        if not ok:
            bad("bad", "a lock beyond its scope's total: exit %d, %s" % (rc, err.strip()[:300]))
        p = subprocess.run([bin_, "check", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode != 1:
            bad("bad", "check accepted a lock beyond its scope's total")
        return fails, path
    if rc != 0:
        bad("run", "exit %d: %s" % (rc, err.strip()[:500]))
        return fails, path
    cells = exact_cells(P)
    ex = {}
    for (q, s, p), v in cells.items():
        for key in [(P.region_of[s], p), (s, p), (p, "revenue"), (p, q)]:
            ex[key] = ex.get(key, F(0)) + v
        if P.teams:
            ex[(P.team_of[s], p)] = ex.get((P.team_of[s], p), F(0)) + v
        if P.months:  # months equally within their quarter (the year starts in January)
            for k in range(3):
                m = "2027-%02d" % (3 * (int(p[1]) - 1) + k + 1)
                ex[(s, m)] = v / 3
    tables = json.loads(out.decode("utf-8"), parse_float=str, parse_int=str)
    got = {}
    for name, t in zip(shows, tables):
        got[name] = check_table(P, t, ex, bad)
    for p in P.products:
        one = got["revenue by " + w][(p, "revenue")]
        for name, g in got.items():
            col = [v for (r, c), v in g.items() if c == p]
            if col and name not in ("revenue by " + w, "revenue by product, quarter", "revenue by rep, month") \
                    and sum(col) != one:
                # one step off: the documented rare case (alloc_prop's KNOWN "col-step")
                cat = "col-step" if abs(sum(col) - one) == P.step else "same"
                bad(cat, "%s: column %s adds up to %s, the product table shows %s" % (name, p, sum(col), one))
    for scope, p, amt in P.locks[:2]:  # the cell in an expression (--explain gives its value)
        cell = "revenue[%s, %s]" % (", ".join(scope), p)
        q = subprocess.run([bin_, "run", path, "--explain", cell], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=dict(os.environ, NO_COLOR="1"))
        first = q.stdout.decode("utf-8", "replace").split("\n")[0]
        if q.returncode != 0 or first.split(" = ")[-1].replace(",", "") != dec(amt) and \
                F(first.split(" = ")[-1].replace(",", "")) != amt:
            bad("lock", "%s: --explain gives %r, locked %s" % (cell, first, dec(amt)))
    for scope, p, amt in P.locks:
        if len(scope) == 1 and scope[0] in P.regions:
            v = got["revenue by region, " + w][(scope[0], p)]
            if v != amt:
                bad("lock", "region x product: %s x %s shows %s, locked %s" % (scope[0], p, v, amt))
        if len(scope) == 1 and P.teams and scope[0] not in P.regions:
            v = got["revenue by team, " + w][(scope[0], p)]
            if v != amt:
                bad("lock", "team x product: %s x %s shows %s, locked %s" % (scope[0], p, v, amt))
        if len(scope) == 1:
            reps = [s for s in P.reps if in_scope(P, scope, None, s)]
            v = sum(got["revenue by rep, " + w][(s, p)] for s in reps)
            if v != amt:
                # a step off where the time tables cannot keep the lock (DEVIATIONS.md §8)
                bad("lock-time" if P.time_lock and abs(v - amt) == P.step else "lock", "rep x product: the reps of %s x %s add up to %s, locked %s" % (scope[0], p, v, amt))
    return fails, path


def seeds(n, seed):
    master = random.Random(seed ^ 0x10C5)
    return [master.getrandbits(48) for _ in range(n)]


def one(bin_, s, tmpdir):
    """(text, fails, path) for seed s; None when the generator skips it."""
    try:
        P = gen_plan(s)
    except Exception as e:
        return ("seed %s" % s, [("generator", repr(e))], None)
    if P is None:
        return None
    try:
        fails, path = check_plan(bin_, P, tmpdir)
    except Exception as e:
        return (P.text, [("checker", repr(e))], None)
    return (P.text, fails, path)
