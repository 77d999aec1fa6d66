/* lang.h -- the language of the output's chrome: the words people read
 * around the numbers (column heads, total rows, status words, captions),
 * in English or Chinese (`lang = "zh"`, --lang zh).  Names and labels
 * from the plan are never translated; only what salesplan itself writes.
 *
 * Ownership: the words are static strings; nothing is allocated.
 */
#ifndef LANG_H
#define LANG_H

#include <stdbool.h>

typedef enum { LANG_EN, LANG_ZH } Lang;

/* One X(ID, english, chinese) per word, kept once here: every module that
 * writes chrome asks lang_word for it. */
#define LANG_WORDS(X)                                                                              \
    X(W_TOTAL, "total", "合计")                                                                    \
    X(W_TARGET, "target", "目标")                                                                  \
    X(W_ACTUAL, "actual", "实际")                                                                  \
    X(W_ATTAINMENT, "attainment", "达成率")                                                        \
    X(W_STATUS, "status", "状态")                                                                  \
    X(W_PERIOD, "period", "期间")                                                                  \
    X(W_PAYOUT, "payout", "奖金")                                                                  \
    X(W_PLAN, "plan", "计划")                                                                      \
    X(W_FISCAL_YEAR, "fiscal year", "财年")                                                        \
    X(W_AS_OF, "as of", "截至")                                                                    \
    X(W_SOURCE, "source", "源文件")                                                                \
    X(W_VERSION, "salesplan version", "salesplan 版本")                                            \
    X(W_PAYOUT_DISTRIBUTION, "payout distribution", "奖金分布")                                    \
    X(W_FROM, "from", "从")                                                                        \
    X(W_BELOW, "below", "至（不含）")                                                              \
    X(W_MEMBERS, "members", "人数")

#define LANG_WORD_ID(id, en, zh) id,
typedef enum { LANG_WORDS(LANG_WORD_ID) LANG_NWORDS } LangWord;
#undef LANG_WORD_ID

/* The word in language l. */
const char *lang_word(Lang l, LangWord w);
/* "en" or "zh" into *out; false for anything else. */
bool lang_parse(const char *s, Lang *out);
/* "en" or "zh". */
const char *lang_name(Lang l);

#endif
