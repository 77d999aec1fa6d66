/* calendar.h -- the fiscal calendar: months, quarters and halves of a
 * fiscal year that starts in any month, their codes and labels.
 *
 * A fiscal year FYyyyy starts in month start (1..12) of calendar year
 * yyyy: with start = feb, FY2027 runs 2027-02 .. 2028-01.  Fiscal months
 * are numbered 0..11 from the start; a calendar month is coded yyyymm
 * (202705).  Plain values, no state and no allocation: every function is
 * a pure computation, so any module may use it.
 */
#ifndef CALENDAR_H
#define CALENDAR_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    int year;  /* FYyyyy */
    int start; /* first calendar month, 1..12 */
} FiscalYear;

/* "jan" .. "dec" */
extern const char *const cal_month_names[12];
/* "jan" .. "dec" for m = 1..12; NULL otherwise. */
const char *cal_month_name(int m);
/* 1..12 for "jan" .. "dec", 0 for anything else. */
int cal_month_by_name(const char *name);

/* The calendar month (yyyymm) of fiscal month i (0..11; also beyond, for
 * the years after). */
int cal_month_code(FiscalYear fy, int i);
/* The fiscal month 0..11 of calendar month year-month, or -1 when it is
 * outside the fiscal year. */
int cal_fiscal_month(FiscalYear fy, int year, int month);
/* The calendar year of month number m (1..12) inside the fiscal year: m
 * belongs to fy.year when m >= fy.start, else to fy.year + 1. */
int cal_year_of_month(FiscalYear fy, int m);
/* year * 12 + month - 1 of fiscal month 0: months since year 0, for
 * arithmetic on dates. */
int cal_first_month_index(FiscalYear fy);

/* Quarter 0..3 and half 0..1 of fiscal month i (0..11). */
static inline int cal_quarter_of(int i)
{
    return i / 3;
}
static inline int cal_half_of(int i)
{
    return i / 6;
}

/* Days of month m (1..12) of year y (Gregorian). */
int cal_month_days(int y, int m);

/* "2027-05" into buf (at least 16 bytes) for a yyyymm code; returns buf. */
char *cal_month_label(int yyyymm, char *buf);
/* A "YYYY-MM" text (exactly 7 bytes) as yyyymm; 0 when it is not one
 * (year 0000 .. 9999, month 01 .. 12). */
int cal_parse_ym(const char *s, size_t n);

#endif
