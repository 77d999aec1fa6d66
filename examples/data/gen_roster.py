#!/usr/bin/env python3
"""gen_roster.py -- writes roster_1000.csv, the 1,000-rep roster of examples/roster.plan.

Deterministic: no random module, only integer arithmetic on the rep's number, so
the file is the same on every machine and every Python 3.  Run it from this
folder (or give the output path) and commit the result:

    python3 gen_roster.py [roster_1000.csv]

Columns: region,team,rep,base_salary,start.
- 4 regions, 20 teams (north 6, east 6, south 5, west 3); team sizes vary from
  41 to 59 reps and add up to exactly 1,000.
- reps are named r0001 .. r1000 in file order (region, then team);
- base_salary: 6,000 to 12,000 in steps of 500;
- start: 2027-02 (the whole fiscal year FY2027, which starts in February) for
  most reps; every seventh rep joins later in the year, between 2027-03 and
  2028-01 (the last month of FY2027: one active month).
"""
import sys

REGIONS = [("north", 6), ("east", 6), ("south", 5), ("west", 3)]
REPS = 1000


def team_sizes():
    """20 sizes between 41 and 59 that add up to REPS."""
    nteams = sum(n for _, n in REGIONS)
    sizes = [50 + (((k * 7) % 19) - 9) for k in range(nteams)]  # 41 .. 59
    diff = REPS - sum(sizes)
    k = 0
    while diff != 0:  # spread the difference one rep at a time
        step = 1 if diff > 0 else -1
        if 41 <= sizes[k % nteams] + step <= 59:
            sizes[k % nteams] += step
            diff -= step
        k += 1
    return sizes


def month(i):
    """Fiscal month i (0 = 2027-02 .. 11 = 2028-01) as YYYY-MM."""
    m = 2 + i
    return "%04d-%02d" % (2027 + (m - 1) // 12, (m - 1) % 12 + 1)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "roster_1000.csv"
    sizes = team_sizes()
    lines = ["region,team,rep,base_salary,start"]
    n = 0
    t = 0
    for region, nteams in REGIONS:
        for k in range(nteams):
            team = "%s_%d" % (region, k + 1)
            for _ in range(sizes[t]):
                n += 1
                salary = 6000 + 500 * ((n * 37) % 13)
                start = month(1 + (n * 5) % 11) if n % 7 == 0 else month(0)
                lines.append("%s,%s,r%04d,%d,%s" % (region, team, n, salary, start))
            t += 1
    assert n == REPS, n
    with open(out, "w", newline="") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
