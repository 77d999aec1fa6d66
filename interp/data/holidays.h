/* holidays.h -- the plan's holiday file (`holidays = "FILE"` in the plan
 * header) marked on its week calendar (base/weeks.h).
 *
 * The file has a column `date` (YYYY-MM-DD), an optional `name` and an
 * optional `workday`: a row whose workday is yes (or true, 1) is a day
 * normally off that is worked (a make-up working day); any other row is
 * a holiday.  Every mistake (a bad date, a date outside the fiscal year, a
 * date given twice, a bad workday value) is reported as
 * "FILE:LINE:COL: ..." at the file's name in the plan and sets
 * p->data_error.  Nothing is kept: the calendar is the caller's.
 */
#ifndef HOLIDAYS_H
#define HOLIDAYS_H

#include "base/weeks.h"
#include "load/load.h"

/* Reads the file path_node names (a string node) into c.  0, or -1 after
 * reporting. */
int hol_load(Program *p, const Node *path_node, WeekCal *c);

#endif
