/* period_words.c -- months, quarters and halves written in Chinese where
 * a name was expected ("一月", "一季度", "第二季度", "上半年"): the note after
 * "unknown member" or "unknown name" says what to write. */
#include <string.h>

#include "base/calendar.h"
#include "model/model.h"

static const char *const cn_digits[] = {"一", "二", "三", "四", "五",   "六",
                                        "七", "八", "九", "十", "十一", "十二"};

/* The number 1..12 written at the start of s in Chinese numerals (the
 * longest match), and its length in bytes; 0 when there is none. */
static int cn_number(const char *s, size_t *len)
{
    int best = 0;
    *len = 0;
    for (int i = 0; i < 12; i++) {
        size_t n = strlen(cn_digits[i]);
        if (strncmp(s, cn_digits[i], n) == 0 && n > *len) {
            best = i + 1;
            *len = n;
        }
    }
    return best;
}

/* A month, quarter or half written in Chinese: its kind ('M', 'Q' or 'H')
 * and number, or 0. */
static char cn_period(const char *name, int *num)
{
    if (strcmp(name, "上半年") == 0 || strcmp(name, "下半年") == 0) {
        *num = strcmp(name, "上半年") == 0 ? 1 : 2;
        return 'H';
    }
    const char *s = strncmp(name, "第", strlen("第")) == 0 ? name + strlen("第") : name;
    size_t len;
    *num = cn_number(s, &len);
    if (!*num)
        return 0;
    if (strcmp(s + len, "季度") == 0 && *num <= 4)
        return 'Q';
    if ((strcmp(s + len, "月") == 0 || strcmp(s + len, "月份") == 0) && s == name)
        return 'M';
    return 0;
}

void sym_note_period_word(Diags *d, const Symbols *s, const char *name)
{
    int num;
    switch (cn_period(name, &num)) {
    case 'M':
        diag_note_plain(d, "write %s, or %04d-%02d (month %d of fiscal year %d)",
                        cal_month_name(num), cal_year_of_month(sym_fiscal_year(s), num), num, num,
                        s->year);
        break;
    case 'Q':
        diag_note_plain(d, "write Q%d (the fiscal year's quarter %d)", num, num);
        break;
    case 'H':
        diag_note_plain(d, "write H%d (the fiscal year's %s half)", num,
                        num == 1 ? "first" : "second");
        break;
    default:
        break;
    }
}

/* The calendar's levels as a Chinese plan names them. */
static const struct {
    const char *cn, *level;
} cn_levels[] = {
    {"年", "year"},    {"年度", "year"},    {"半年", "half"}, {"半年度", "half"},
    {"季", "quarter"}, {"季度", "quarter"}, {"月", "month"},  {"月份", "month"},
    {"月度", "month"}, {"周", "week"},      {"日", "day"},    {"天", "day"},
};

const char *sym_cn_level(const Symbols *s, const char *name)
{
    for (size_t i = 0; i < sizeof cn_levels / sizeof *cn_levels; i++)
        if (strcmp(name, cn_levels[i].cn) == 0 && strmap_get(&s->levels, cn_levels[i].level))
            return cn_levels[i].level;
    return NULL;
}
