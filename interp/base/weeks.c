/* weeks.c -- weeks, days and working days of a fiscal year (weeks.h). */
#include "base/weeks.h"

#include <stdio.h>
#include <string.h>

const char *const wk_day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

int wk_day_by_name(const char *name, size_t n)
{
    for (int i = 0; i < 7; i++)
        if (n == 3 && memcmp(name, wk_day_names[i], 3) == 0)
            return i;
    return -1;
}

/* Howard Hinnant's days_from_civil. */
int wk_day_number(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void wk_date_of(int day, int *y, int *m, int *d)
{
    int z = day + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

int wk_weekday(int day)
{
    int w = (day + 3) % 7; /* 1970-01-01 was a thursday */
    return w < 0 ? w + 7 : w;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool wk_parse_date(const char *s, size_t n, int *day)
{
    if (n != 10 || s[4] != '-' || s[7] != '-')
        return false;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > cal_month_days(y, m))
        return false;
    *day = wk_day_number(y, m, d);
    return true;
}

char *wk_date_label(int day, char *buf)
{
    int y, m, d;
    wk_date_of(day, &y, &m, &d);
    snprintf(buf, 16, "%04d-%02d-%02d", y, m, d);
    return buf;
}

static void init_months(WeekCal *c)
{
    c->ndays = 0;
    for (int i = 0; i < 12; i++) {
        int ym = cal_month_code(c->fy, i);
        c->month_first[i] = c->ndays;
        c->ndays += cal_month_days(ym / 100, ym % 100);
    }
    c->month_first[12] = c->ndays;
}

static void init_weeks(WeekCal *c)
{
    int back = (wk_weekday(c->first_day) - c->week_start + 7) % 7;
    c->nweeks = 0;
    for (int f = -back; f < c->ndays && c->nweeks < WK_MAX_WEEKS; f += 7)
        c->week_first[c->nweeks++] = f;
    for (int m = 0; m < 12; m++) {
        c->nfrag[m] = 0;
        for (int w = 0; w < c->nweeks; w++)
            if (c->week_first[w] + 7 > c->month_first[m] &&
                c->week_first[w] < c->month_first[m + 1] && c->nfrag[m] < WK_MAX_FRAGS)
                c->frag_week[m][c->nfrag[m]++] = w;
    }
}

void wk_init(WeekCal *c, FiscalYear fy, WeekNumbering numbering, int week_start, unsigned workmask)
{
    memset(c, 0, sizeof *c);
    c->fy = fy;
    c->numbering = numbering;
    c->week_start = numbering == WK_ISO ? 0 : week_start;
    c->workmask = workmask;
    int ym = cal_month_code(fy, 0);
    c->first_day = wk_day_number(ym / 100, ym % 100, 1);
    init_months(c);
    init_weeks(c);
    for (int i = 0; i < c->ndays; i++)
        c->work[i] = (workmask >> wk_weekday(c->first_day + i)) & 1u;
}

int wk_index_of(const WeekCal *c, int day)
{
    int i = day - c->first_day;
    return i >= 0 && i < c->ndays ? i : -1;
}

int wk_week_of(const WeekCal *c, int i)
{
    return (i - c->week_first[0]) / 7;
}

int wk_workdays(const WeekCal *c, int from, int to)
{
    int n = 0;
    for (int i = from < 0 ? 0 : from; i < to && i < c->ndays; i++)
        n += c->work[i];
    return n;
}

void wk_frag_days(const WeekCal *c, int m, int k, int *from, int *to)
{
    int f = c->week_first[c->frag_week[m][k]];
    *from = f > c->month_first[m] ? f : c->month_first[m];
    *to = f + 7 < c->month_first[m + 1] ? f + 7 : c->month_first[m + 1];
}

char *wk_week_label(const WeekCal *c, int w, char *buf)
{
    if (c->numbering == WK_FISCAL) {
        snprintf(buf, 24, "FY%04d-W%02d", c->fy.year, w + 1);
        return buf;
    }
    int thu = c->first_day + c->week_first[w] + 3, y, m, d;
    wk_date_of(thu, &y, &m, &d);
    int week = (thu - wk_day_number(y, 1, 1)) / 7 + 1;
    snprintf(buf, 24, "%04d-W%02d", y, week);
    return buf;
}

int wk_week_by_label(const WeekCal *c, const char *s)
{
    char buf[24];
    for (int w = 0; w < c->nweeks; w++)
        if (strcmp(wk_week_label(c, w, buf), s) == 0)
            return w;
    return -1;
}

int wk_frag_by_name(const WeekCal *c, int m, const char *s)
{
    if (m < 0 || m > 11 || s[0] != 'w' || s[1] < '1' || s[1] > '9' || s[2])
        return -1;
    int k = s[1] - '1';
    return k < c->nfrag[m] ? k : -1;
}
