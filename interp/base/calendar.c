/* calendar.c -- fiscal months, their calendar codes, names and labels.
 * Pure arithmetic: no state, no allocation. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"

const char *const cal_month_names[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                         "jul", "aug", "sep", "oct", "nov", "dec"};

const char *cal_month_name(int m)
{
    return m >= 1 && m <= 12 ? cal_month_names[m - 1] : NULL;
}

int cal_month_by_name(const char *name)
{
    for (int i = 0; i < 12; i++)
        if (strcmp(name, cal_month_names[i]) == 0)
            return i + 1;
    return 0;
}

int cal_month_code(FiscalYear fy, int i)
{
    int k = fy.start - 1 + i;
    return (fy.year + k / 12) * 100 + k % 12 + 1;
}

int cal_fiscal_month(FiscalYear fy, int year, int month)
{
    int k = (year - fy.year) * 12 + month - fy.start;
    return k >= 0 && k < 12 ? k : -1;
}

int cal_year_of_month(FiscalYear fy, int m)
{
    return fy.year + (m < fy.start);
}

int cal_first_month_index(FiscalYear fy)
{
    return fy.year * 12 + fy.start - 1;
}

int cal_month_days(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

char *cal_month_label(int yyyymm, char *buf)
{
    snprintf(buf, 16, "%04d-%02d", yyyymm / 100 % 10000, yyyymm % 100);
    return buf;
}

int cal_parse_ym(const char *s, size_t n)
{
    if (n != 7 || s[4] != '-')
        return 0;
    for (size_t i = 0; i < 7; i++)
        if (i != 4 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    return m >= 1 && m <= 12 ? y * 100 + m : 0;
}
