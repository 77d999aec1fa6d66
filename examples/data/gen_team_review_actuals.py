#!/usr/bin/env python3
"""gen_team_review_actuals.py -- writes team_review_actuals.csv, a full fiscal year
(FY2027: 2027-02 .. 2028-01) of monthly actuals for the six reps of
examples/team_review.plan.

Deterministic: no random module, only integer arithmetic, so the file is the
same on every machine and every Python 3.  Run it from this folder (or give
the output path) and commit the result:

    python3 gen_team_review_actuals.py [team_review_actuals.csv]

Columns: month,rep,revenue,new_customers,collected (one row per rep and month;
money in yuan with two decimals, computed in integer cents).
- The monthly revenue targets mirror the plan: 180万 for the year, Q1 20%,
  Q2 25%, Q3 25%, Q4 30%, equal months; 华北 99万 and 华南 81万, reps in
  proportion to base salary (zhang 356,400; li and wang 316,800; chen
  324,000; liu and zhao 243,000).
- Each rep has a level of performance (zhang and chen above target, wang and
  liu below, li and zhao about on target) and a small month-to-month wobble.
- June 2027 is a weak month: the whole team lands at about 80% of target, so
  the reforecast after June raises the months left.
- new_customers: about two a month (the target), more for the strong reps;
  collected: 88% to 99% of the month's revenue, depending on the rep.
"""
import sys

MONTHS = ["2027-%02d" % m for m in range(2, 13)] + ["2028-01"]
QUARTER_SHARE = [20, 25, 25, 30]            # percent of the year, Q1 .. Q4

# rep, region target (yuan), base_salary, region salary total,
# performance (per mille of target), collection (per mille of revenue)
REPS = [
    ("zhang",   990_000, 9000, 25000, 1080, 970),
    ("li",      990_000, 8000, 25000, 1010, 950),
    ("wang",    990_000, 8000, 25000,  880, 930),
    ("chen",    810_000, 8000, 20000, 1120, 990),
    ("liu",     810_000, 6000, 20000,  900, 880),
    ("zhao",    810_000, 6000, 20000,  990, 960),
]

WEAK_MONTH = "2027-06"
WEAK_LEVEL = 800                             # per mille: the team at 80%


def target_cents(region_target, salary, salary_total, month_index):
    """The rep's revenue target for one month, in cents (rounded down)."""
    quarter = month_index // 3
    yearly = region_target * 100 * salary // salary_total
    return yearly * QUARTER_SHARE[quarter] // 100 // 3


def wobble(rep_index, month_index):
    """A deterministic month-to-month wobble, -60 .. +60 per mille."""
    return ((rep_index * 37 + month_index * 53 + rep_index * month_index * 11) % 121) - 60


def money(cents):
    return "%d.%02d" % (cents // 100, cents % 100)


def rows():
    for mi, month in enumerate(MONTHS):
        for ri, (rep, region_target, salary, total, level, coll) in enumerate(REPS):
            target = target_cents(region_target, salary, total, mi)
            if month == WEAK_MONTH:
                # everyone near 80%, the stronger reps a little above
                per_mille = WEAK_LEVEL + (level - 1000) // 4
            else:
                per_mille = level + wobble(ri, mi)
            revenue = target * per_mille // 1000
            customers = max(0, (2 * per_mille + 500) // 1000 + (1 if (ri + mi) % 4 == 0 else 0)
                            - (1 if (ri * 3 + mi) % 7 == 0 else 0))
            collected = revenue * (coll + (mi % 3) * 5) // 1000
            yield month, rep, money(revenue), customers, money(collected)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "team_review_actuals.csv"
    with open(path, "w", newline="") as out:
        out.write("month,rep,revenue,new_customers,collected\n")
        for month, rep, revenue, customers, collected in rows():
            out.write("%s,%s,%s,%d,%s\n" % (month, rep, revenue, customers, collected))


if __name__ == "__main__":
    main()
