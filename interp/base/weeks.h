/* weeks.h -- weeks and days under the fiscal months: ISO-8601 or fiscal
 * week numbers, worked weekdays, holidays and make-up working days, and
 * the fragments a week leaves in each month it touches.
 *
 * A WeekCal is a plain value (no heap, no state beyond its fields): day i
 * of the fiscal year is day number first_day + i (days since 1970-01-01);
 * week w is the w-th week (from its start weekday) touching the fiscal
 * year, its first day week_first[w] (a day index, negative for a week that
 * starts in the previous year).  Fragment k of fiscal month m is the part
 * of week frag_week[m][k] inside m: a month's fragments are w1, w2, ...
 * Any module may use it.
 */
#ifndef WEEKS_H
#define WEEKS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/calendar.h"

#define WK_MAX_WEEKS 56
#define WK_MAX_FRAGS 6 /* weeks a month touches */
#define WK_MAX_DAYS 366

typedef enum { WK_ISO, WK_FISCAL } WeekNumbering;

typedef struct {
    FiscalYear fy;
    WeekNumbering numbering;
    int week_start;      /* first weekday of a week: 0 = mon .. 6 = sun (ISO: mon) */
    unsigned workmask;   /* bit d set: weekday d (0 = mon) is worked */
    int first_day;       /* day number of the fiscal year's first day */
    int ndays;           /* days of the fiscal year */
    int month_first[13]; /* day index of each fiscal month's first day; [12] = ndays */
    int nweeks;
    int week_first[WK_MAX_WEEKS];
    int nfrag[12];
    int frag_week[12][WK_MAX_FRAGS];
    unsigned char work[WK_MAX_DAYS];   /* 1: a working day */
    unsigned char marked[WK_MAX_DAYS]; /* 1: set by a holiday file (duplicates) */
} WeekCal;

/* Weekday names "mon" .. "sun", and 0..6 for a name (-1: none). */
extern const char *const wk_day_names[7];
int wk_day_by_name(const char *name, size_t n);

/* Days since 1970-01-01 of a Gregorian date (any year 1..9999). */
int wk_day_number(int y, int m, int d);
/* The date of a day number. */
void wk_date_of(int day, int *y, int *m, int *d);
/* 0 = mon .. 6 = sun. */
int wk_weekday(int day);
/* A "YYYY-MM-DD" text (exactly 10 bytes, a real date) as a day number in
 * *day; false when it is not one. */
bool wk_parse_date(const char *s, size_t n, int *day);
/* "2027-10-14" into buf (at least 16 bytes); returns buf. */
char *wk_date_label(int day, char *buf);

/* The calendar of fiscal year fy: weeks from week_start (ISO: mon), the
 * weekdays in workmask worked, no holidays yet. */
void wk_init(WeekCal *c, FiscalYear fy, WeekNumbering numbering, int week_start, unsigned workmask);
/* The day index of a day number inside the fiscal year, or -1. */
int wk_index_of(const WeekCal *c, int day);
/* The week (0 .. nweeks - 1) of day index i. */
int wk_week_of(const WeekCal *c, int i);
/* Working days of day indexes [from, to) (clamped to the fiscal year). */
int wk_workdays(const WeekCal *c, int from, int to);
/* Day indexes [*from, *to) of fragment k of fiscal month m. */
void wk_frag_days(const WeekCal *c, int m, int k, int *from, int *to);
/* The week's global name: "2027-W41" (ISO: the ISO year and week of its
 * days) or "FY2027-W01" (fiscal); buf holds at least 24 bytes. */
char *wk_week_label(const WeekCal *c, int w, char *buf);
/* The week named so (either form of wk_week_label), or -1. */
int wk_week_by_label(const WeekCal *c, const char *s);
/* The fragment k of month m named "w1" .. "w6" (-1: not such a name or not
 * a fragment of m). */
int wk_frag_by_name(const WeekCal *c, int m, const char *s);

#endif
