#!/usr/bin/env python3
"""Property tests of `salesplan fmt` on random plans.

Each plan is one of tests/prop/alloc_prop.py's random allocation plans
(dimensions, targets, splits with shares, locks, rest, weights, scopes,
over-assignment and reserves; one plan in five is one of cross_locks.py's,
with locks in another dimension's scope) plus random `let`, `fn` and `assert`
statements (and, in some, a history read per cell by a target and a derived
metric, and a review's growth()) whose expressions use every operator, parentheses, `if` chains,
builtin calls, rate tables (negative breakpoints included) and every kind
of number literal.  The plan is then laid out at random: white space,
line breaks and comments between tokens, so that blocks open over several
lines, comments sit in every position, and lines grow long.  For each plan:

  fmt      `salesplan fmt` accepts it;
  idem     formatting the result changes nothing;
  ast      `fmt --dump-ast` of the original and of the result are equal;
  comments the result holds the same comments;
  check    `salesplan check` gives the same verdict on both;
  run      `salesplan run --format csv` with the plan's tables prints the
           same bytes for the original, the random layout and the result.

Then every plan of examples/, tests/golden/ and tests/fmt/cases/ that
parses is laid out at random the same way (FMT_PROP_LAYOUTS times, default
2) next to the original, so that its data files resolve, and goes through
the same checks (`run` with the golden test's arguments when it has them).

Usage: fmt_prop.py BIN   (env FMT_PROP_N = number of random plans, default
300; FMT_PROP_SEED = first seed; PROP_JOBS = parallel runs; FMT_PROP_KEEP=DIR
keeps failing plans there).  Prints `N passed, M failed` last; exits 1 on
a failure.
"""
import os
import random
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "prop"))
import alloc_prop  # noqa: E402  (the plan generator)

LEXEME = re.compile(r'''
    "(?:[^"\\\n]|\\.)*"            # string
  | \#[^\n]*                        # comment
  | \d{4}-\d{2}(?:-\d{2})?(?![\w])  # month or date
  | \d[\w.%]*                       # number (suffixes 万 亿 are word characters)
  | [^\W\d][\w\u0300-\u036f]*        # name (with combining accents: NFC is the lexer's)
  | <= | >= | == | !=
  | \S                              # punctuation
''', re.X)

WORDS = ["note", "见上", "TODO: check with finance", "#", "a, b; c { }", "\"quoted\"", "90% of 1400万"]


def tokens(text):
    return LEXEME.findall(text)


def relayout(rng, text):
    """The same tokens with random white space and comments between them."""
    out = []
    toks = tokens(text)
    for i, t in enumerate(toks):
        if t.startswith("#"):
            out.append(t + "\n")
            continue
        out.append(t)
        if i + 1 == len(toks):
            break
        r = rng.random()
        if r < 0.70:
            out.append(" ")
        elif r < 0.80:
            out.append("\n" + " " * rng.randint(0, 6))
        elif r < 0.85:
            out.append("\n\n" + " " * rng.randint(0, 4))
        elif r < 0.90:
            out.append(" " * rng.randint(2, 12))
        elif r < 0.95:
            out.append("  # " + rng.choice(WORDS) + "\n" + " " * rng.randint(0, 8))
        else:
            out.append("\n" + " " * rng.randint(0, 10) + "# " + rng.choice(WORDS) + "\n")
    return "".join(out) + "\n"


def number(rng):
    return rng.choice([
        str(rng.randint(0, 999)), "%d.%d" % (rng.randint(0, 99), rng.randint(1, 99)),
        "%d%%" % rng.randint(1, 150), "%d.5%%" % rng.randint(0, 20), "%dk" % rng.randint(1, 90),
        "2.5k", "%d万" % rng.randint(1, 900), "1.2亿", "3M", "1_400_000", "1_000",
    ])


def cond(rng, d, names):
    r = rng.random()
    if d <= 0 or r < 0.5:
        return "%s %s %s" % (expr(rng, d - 1, names), rng.choice(["<", "<=", ">", ">=", "==", "!="]),
                             expr(rng, d - 1, names))
    if r < 0.7:
        return "not (%s)" % cond(rng, d - 1, names)
    return "%s %s %s" % (cond(rng, d - 1, names), rng.choice(["and", "or"]), cond(rng, d - 1, names))


def lookup(rng, d, names):
    """table(KEY) { k: v, ..., else: v }: numbers as keys, else always (no key is missing)."""
    keys = rng.sample(range(-20, 200), rng.randint(1, 4))
    entries = ["%s: %s" % (k if k >= 0 else "-%d" % -k, expr(rng, 0, names)) for k in keys]
    entries.append("else: %s" % expr(rng, d - 1, names))
    return "table(%s) { %s }" % (expr(rng, d - 1, names), rng.choice([", ", "; "]).join(entries))


def table(rng, d, names):
    if rng.random() < 0.25:
        return lookup(rng, d, names)
    keys = sorted(rng.sample(range(-20, 200), rng.randint(1, 5)))
    entries = ", ".join("%s: %s" % (k if k >= 0 else "-%d" % -k, expr(rng, 0, names)) for k in keys)
    return "%s %s { %s }" % (rng.choice(["step", "bracket", "curve"]), expr(rng, d - 1, names), entries)


def expr(rng, d, names):
    r = rng.random()
    if d <= 0 or r < 0.2:
        return rng.choice(names) if names and rng.random() < 0.3 else number(rng)
    if r < 0.45:
        return "%s %s %s" % (expr(rng, d - 1, names), rng.choice(["+", "-", "*"]), expr(rng, d - 1, names))
    if r < 0.5:
        return "%s / %d" % (expr(rng, d - 1, names), rng.randint(1, 9))
    if r < 0.6:
        return "(%s)" % expr(rng, d - 1, names)
    if r < 0.65:
        return "-%s" % expr(rng, d - 1, names)
    if r < 0.75:
        return "if %s then %s else %s" % (cond(rng, d - 1, names), expr(rng, d - 1, names),
                                         expr(rng, d - 1, names))
    if r < 0.88:
        fn = rng.choice(["min", "max", "abs", "round", "floor", "ceil", "clamp"])
        n = {"abs": 1, "round": rng.choice([1, 2]), "floor": 2, "ceil": 2, "clamp": 3}.get(fn, rng.randint(2, 4))
        args = [expr(rng, d - 1, names) for _ in range(n)]
        if fn in ("round", "floor", "ceil") and n == 2:
            args[1] = rng.choice(["0.01", "1", "10", "100", "1万"])
        if fn == "clamp":
            args[1], args[2] = "0", "100万"
        return "%s(%s)" % (fn, ", ".join(args))
    return table(rng, d, names)


def extra_statements(rng):
    """Lets, functions and assertions that hold, whatever the numbers."""
    lines, names = [], []
    for i in range(rng.randint(1, 6)):
        lines.append("let v%d = %s" % (i, expr(rng, rng.randint(1, 5), names)))
        names.append("v%d" % i)
    for i in range(rng.randint(0, 3)):
        body = expr(rng, rng.randint(1, 4), ["a", "b"])
        lines.append("fn f%d(a, b) = %s" % (i, body))
        e = "f%d(%s, %s)" % (i, expr(rng, 1, names), expr(rng, 1, names))
        lines.append('assert %s == %s "f%d agrees with itself"' % (e, e, i))
    if rng.random() < 0.3:  # weeks (issue 13): working_days, a rate, shows by week and day
        lines.append("let wd = working_days * %s" % number(rng))
    for i in range(rng.randint(0, 2)):
        e = expr(rng, rng.randint(1, 4), names)
        lines.append("assert %s == %s" % (e, e) + (' "long assertion number %d"' % i if rng.random() < 0.5 else ""))
    return lines


def multi_year(rng, text):
    """The plan over 2 or 3 fiscal years (`years = N`): its target per year,
    written in each form (a number, growth on an earlier year); assertions,
    which measure one year, left out."""
    m = re.search(r"\{ year = (\d+)", text)
    y, n = int(m.group(1)), rng.randint(2, 3)
    text = text.replace(m.group(0), m.group(0) + " years = %d" % n, 1)

    def per_year(t):
        entries = ["FY%d: %s" % (y, t.group(2))]
        for k in range(1, n):
            entries.append(rng.choice(["FY%d: FY%d * 1%02d%%" % (y + k, y + k - 1, rng.randint(0, 30)),
                                       "FY%d: %s" % (y + k, t.group(2)),
                                       "FY%d: round(FY%d * 1.1, 1)" % (y + k, y)]))
        sep = rng.choice([", ", "\n  "])
        return "target %s = { %s }" % (t.group(1), sep.join(entries))

    text = re.sub(r"^target (\w+) = (.+)$", per_year, text, count=1, flags=re.M)
    # a month literal names one year's month; its name (mar) names it in every year
    names = "jan feb mar apr may jun jul aug sep oct nov dec".split()
    text = re.sub(r"\b\d{4}-(\d{2})\b(?!-)", lambda mm: names[int(mm.group(1)) - 1], text)
    return "".join(l for l in text.splitlines(True) if not l.startswith("assert"))


def attribute_statements(rng):
    """A dimension with attributes, a derived metric that reads one per cell
    (volume x price) and sums, averages and counts over its members."""
    n = rng.randint(1, 4)
    members = []
    for i in range(n):
        members.append('fqm%d { fq_price = %s, fq_tier = "%s" }'
                       % (i, rng.choice(["12", "3.5", "1200", "45.5", "7"]), rng.choice("ABC")))
    lines = ["dimension fq_item { %s }" % ", ".join(members),
             "metric fq_vol count",
             "metric fq_rev %s= fq_vol * fq_price" % rng.choice(["money ", "count ", ""]),
             "target fq_vol = %d" % rng.randint(1, 5000),
             "split fq_vol by fq_item %s" % rng.choice(["equally", "proportional to fq_price"])]
    cond = rng.choice(['fq_tier == "A"', 'fq_price > 10 and fq_tier != "C"', "active_months == 12",
                       'not (fq_tier == "B")'])
    lines.append("let fq_n = count(fq_item where %s)" % cond)
    lines.append("let fq_s = sum(fq_item.fq_price%s)" % (rng.choice(["", " where " + cond])))
    lines.append("let fq_a = avg(fq_item.fq_price)")
    lines.append("assert count(fq_item) == %d" % n)
    lines.append("assert fq_a * %d <= fq_s + sum(fq_item.fq_price) + 0.01" % n)
    return lines


class Result:
    def __init__(self):
        self.passed, self.failed, self.reports = 0, 0, []


def sh(bin_, args, cwd, stdin=None):
    p = subprocess.run([bin_] + args, cwd=cwd, input=stdin, capture_output=True)
    return p.returncode, p.stdout, p.stderr


def comments(text):
    return sorted(t.rstrip() for t in tokens(text) if t.startswith("#"))


LAST_YEAR = '''history ly = "ly.csv"
metric ly_ratio = revenue / history.ly
metric ly_target money
target ly_target = round(105% * history.ly, 1)
review quarterly { growth(revenue) }
'''


def last_year_csv(rng):
    """A history of five calendar years around the plan's (a month column and `ly`)."""
    rows = ["month,ly"]
    for y in range(alloc_prop.YEAR - 3, alloc_prop.YEAR + 2):
        for m in range(1, 13):
            rows.append("%d-%02d,%d.%02d" % (y, m, rng.randint(1, 9999), rng.randint(0, 99)))
    return "\n".join(rows) + "\n"


def one(bin_, seed, keep):
    rng = random.Random(seed)
    # one plan in five locks amounts in another dimension's scope (cross_locks.py)
    L = alloc_prop.cross_locks.gen_plan(seed) if seed % 5 == 0 else None
    P = L or alloc_prop.gen_plan(seed)
    extra = extra_statements(rng) + (attribute_statements(rng) if seed % 3 == 0 else [])
    text = P.text + "\n".join(extra) + "\n"
    if seed % 5 == 1:
        text = multi_year(rng, text)
    ly = random.Random(seed * 7919 + 1)  # its own draws: the other layouts stay as they were
    # history.NAME in a derived metric, growth() in a review (a review is one year's: not in a
    # plan of several years)
    last_year = ly.random() < 0.3 and seed % 5 != 1
    if last_year:
        text += LAST_YEAR
    metrics = re.findall(r"^metric (\w+)", P.text, re.M)
    # weeks (not in the lock plans, nor over several years, where 2027-11 names one year's month)
    if metrics and not L and seed % 5 != 1 and rng.random() < 0.3:
        m = rng.choice(metrics)
        text += "show %s by %s\n" % (m, rng.choice(["week", "day", "rep, week", "week, region"]))
        if rng.random() < 0.5:
            text += "split %s by week in %s { w1: %s, w2: rest }\n" % (
                m, rng.choice(["oct", "2027-11", "dec"]), rng.choice(["10%", "1", "1万"]))
        if m in re.findall(r"^metric (\w+) +(?:money|count)\b", P.text, re.M) and rng.random() < 0.4:
            text += "review weekly { status %s { green: 100%%, amber: 90%% }  flag deviation 10%% }\n" % m
    side = random.Random(seed * 104729 + 14)  # its own draws, as last year's
    specs = [alloc_prop.show_text(P, x) for x in ([] if L else P.shows)]
    specs = [x for x in specs if " by " in x]
    if specs and side.random() < 0.3:  # metrics side by side (issue 14)
        spec = side.choice(specs)
        m = spec.split(" ")[0]
        text += "metric fq_twice money = %s * 2\nshow %s, fq_twice%s\n" % (m, m, spec[len(m):])
    messy = relayout(rng, text) if seed % 4 else text
    shows = []
    if L:
        shows = ["--show", "revenue by region, " + L.split_word, "--show", "revenue by rep, " + L.split_word]
    for s in [] if L else P.shows:
        shows += ["--show", alloc_prop.show_text(P, s)]
    if last_year:
        shows += ["--show", "ly_ratio", "--show", "ly_target by quarter"]
    problems = []
    with tempfile.TemporaryDirectory() as d:
        if last_year:
            with open(os.path.join(d, "ly.csv"), "w", encoding="utf-8") as f:
                f.write(last_year_csv(ly))
        for name, body in (("orig.plan", text), ("messy.plan", messy)):
            with open(os.path.join(d, name), "w", encoding="utf-8") as f:
                f.write(body)
        rc, out, err = sh(bin_, ["fmt", "messy.plan"], d)
        if rc != 0:
            problems.append("fmt exits %d: %s" % (rc, err.decode(errors="replace")[:400]))
        else:
            formatted = out
            with open(os.path.join(d, "tidy.plan"), "wb") as f:
                f.write(formatted)
            rc2, again, err2 = sh(bin_, ["fmt", "tidy.plan"], d)
            if rc2 != 0 or again != formatted:
                problems.append("idem: formatting the result changes it")
            a1 = sh(bin_, ["fmt", "--dump-ast", "messy.plan"], d)[1]
            a2 = sh(bin_, ["fmt", "--dump-ast", "tidy.plan"], d)[1]
            if a1 != a2 or not a1:
                problems.append("ast: the syntax tree changed")
            if comments(messy) != comments(formatted.decode()):
                problems.append("comments: a comment was lost or changed")
            verdicts = [sh(bin_, ["check", n], d)[0] for n in ("orig.plan", "messy.plan", "tidy.plan")]
            if len(set(verdicts)) != 1:
                problems.append("check: exit statuses %s for original, random layout, formatted" % verdicts)
            runs = [sh(bin_, ["run", n, "--format", "csv"] + shows, d) for n in ("orig.plan", "messy.plan", "tidy.plan")]
            if len({(r[0], r[1]) for r in runs}) != 1:
                problems.append("run: outputs differ (exit %s)" % [r[0] for r in runs])
        if problems and keep:
            os.makedirs(keep, exist_ok=True)
            with open(os.path.join(keep, "fmt_%d.plan" % seed), "w", encoding="utf-8") as f:
                f.write(messy)
    return seed, problems


def run_words(path):
    """The golden test's arguments with {} for the plan, when they run it."""
    args = os.path.splitext(path)[0] + ".args"
    if not os.path.exists(args):
        return None
    import shlex
    words = shlex.split(open(args, encoding="utf-8").read())
    if not words or words[0] != "run" or "{}" not in words:
        return None
    return words


def one_file(bin_, path, seed, keep):
    """A plan of the repository, laid out at random next to itself."""
    d, name = os.path.split(os.path.abspath(path))
    text = open(path, encoding="utf-8").read()
    if sh(bin_, ["fmt", name], d)[0] != 0:
        return path, []          # a syntax error test: nothing to lay out
    rng = random.Random(seed)
    messy = relayout(rng, text)
    stem = ".fmtprop%d_%d_" % (os.getpid(), seed)
    mname, tname = stem + "m_" + name, stem + "t_" + name
    problems = []
    try:
        with open(os.path.join(d, mname), "w", encoding="utf-8") as f:
            f.write(messy)
        rc, formatted, err = sh(bin_, ["fmt", mname], d)
        if rc != 0:
            return path, ["fmt exits %d on a random layout: %s" % (rc, err.decode(errors="replace")[:400])]
        with open(os.path.join(d, tname), "wb") as f:
            f.write(formatted)
        if sh(bin_, ["fmt", tname], d)[1] != formatted:
            problems.append("idem: formatting the result changes it")
        if sh(bin_, ["fmt", "--dump-ast", name], d)[1] != sh(bin_, ["fmt", "--dump-ast", tname], d)[1]:
            problems.append("ast: the syntax tree changed")
        if comments(messy) != comments(formatted.decode()):
            problems.append("comments: a comment was lost or changed")
        verdicts = [sh(bin_, ["check", n], d)[0] for n in (name, mname, tname)]
        if len(set(verdicts)) != 1:
            problems.append("check: exit statuses %s" % verdicts)
        runs = [["run", "{}", "--format", "csv"]]
        if run_words(path):
            runs.append(run_words(path))
        for words in runs:
            outs = [sh(bin_, [n if w == "{}" else w for w in words], d) for n in (name, mname, tname)]
            if len({(o[0], o[1]) for o in outs}) != 1:
                problems.append("run %s: outputs differ (exit %s)" % (" ".join(words), [o[0] for o in outs]))
    finally:
        for n in (mname, tname):
            if os.path.exists(os.path.join(d, n)):
                os.remove(os.path.join(d, n))
    if problems and keep:
        os.makedirs(keep, exist_ok=True)
        with open(os.path.join(keep, "%d_%s" % (seed, name)), "w", encoding="utf-8") as f:
            f.write(messy)
    return path, problems


def main():
    if len(sys.argv) != 2:
        print("usage: fmt_prop.py BIN", file=sys.stderr)
        return 2
    bin_ = os.path.abspath(sys.argv[1])
    n = int(os.environ.get("FMT_PROP_N", "300"))
    first = int(os.environ.get("FMT_PROP_SEED", "1"))
    jobs = int(os.environ.get("PROP_JOBS", str(os.cpu_count() or 2)))
    keep = os.environ.get("FMT_PROP_KEEP")
    R = Result()
    with ThreadPoolExecutor(max_workers=jobs) as ex:
        for seed, problems in ex.map(lambda s: one(bin_, s, keep), range(first, first + n)):
            if problems:
                R.failed += 1
                for p in problems:
                    print("seed %d: %s" % (seed, p))
            else:
                R.passed += 1
    print("random plans: %d passed, %d failed" % (R.passed, R.failed))
    top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    files = []
    for sub in ("examples", os.path.join("tests", "golden"), os.path.join("tests", "fmt", "cases")):
        folder = os.path.join(top, sub)
        files += sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".plan"))
    layouts = int(os.environ.get("FMT_PROP_LAYOUTS", "2"))
    jobs_list = [(p, first + k) for p in files for k in range(layouts)]
    C = Result()
    with ThreadPoolExecutor(max_workers=jobs) as ex:
        for path, problems in ex.map(lambda a: one_file(bin_, a[0], a[1], keep), jobs_list):
            if problems:
                C.failed += 1
                for p in problems:
                    print("%s: %s" % (os.path.relpath(path, top), p))
            else:
                C.passed += 1
    print("random layouts of the repository's plans: %d passed, %d failed" % (C.passed, C.failed))
    R.failed += C.failed
    print("%d passed, %d failed" % (R.passed + C.passed, R.failed))
    return 1 if R.failed else 0


if __name__ == "__main__":
    sys.exit(main())
