/* cmd_report.c -- `salesplan report FILE`: the plan evaluated as `run`
 * evaluates it, written as one self-contained HTML page for managers
 * (title, fiscal year, as-of month, every table with its charts), to
 * stdout or atomically to -o FILE.  The options and the evaluation are
 * run's (cmd_run.c); which charts stand beside which table is the
 * session's (session/report.c).  On any error nothing is written. */
#include "cli/cli.h"

static const char report_usage[] =
    "usage: salesplan report FILE [--actuals CSV]... [--as-of YYYY-MM] [--scenario NAME]\n"
    "                        [--show SPEC]... [-o FILE] [--lenient] [--allow-path DIR]\n"
    "                        [--source NAME=URI] [--max-cells N] [--max-steps N]\n"
    "\n"
    "Checks and evaluates the plan as run does and writes one HTML page for\n"
    "managers: the plan's title, fiscal year and as-of month; every table the plan\n"
    "shows (or what --show names; else one table per split metric and dimension),\n"
    "and with actuals or a scenario every review; beside the tables, charts drawn\n"
    "from their numbers: each table's values as bars, target against actual per\n"
    "period, attainment by member with the review's green and amber thresholds,\n"
    "a member x period status map, payouts by member.  The page fetches nothing\n"
    "(no script, no font, no image from the network) and prints one section per\n"
    "A4 page.\n"
    "\n"
    "  -o FILE           write to FILE atomically (nothing is written on error;\n"
    "                    never over a file the plan reads)\n"
    "  --show SPEC       a show statement without 'show' (repeatable)\n"
    "  --actuals CSV     actuals to use instead of the plan's 'actuals' files\n"
    "  --as-of YYYY-MM   review up to this month (default: the last month with actuals)\n"
    "  --scenario NAME   actuals made from the targets by one of the plan's scenarios\n"
    "  --lenient         skip actuals rows with unknown or contradicting members\n"
    "  --allow-path DIR  also let the plan read data files below DIR\n"
    "  --source NAME=URI where source NAME of the plan is: postgresql://... or\n"
    "                    sqlite:FILE (else $SALESPLAN_SOURCE_NAME)\n"
    "  --max-cells N     refuse tables and allocations of more than N cells (default 50000000)\n"
    "  --max-steps N     stop an evaluation after N steps\n"
    "\n"
    "exit status: 0 ok, 1 the plan is invalid or does not evaluate, 2 usage or file errors\n";

int cmd_report(int argc, char **argv)
{
    return cli_run_command(argc, argv, true, report_usage);
}
