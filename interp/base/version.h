/* version.h -- the version salesplan reports (--version, the first sheet
 * of a workbook, the footer of a report). */
#ifndef VERSION_H
#define VERSION_H

#define SALESPLAN_VERSION "0.2.0"

#endif
