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
    X(W_KPI, "kpi", "指标")                                                                        \
    X(W_WEIGHT, "weight", "权重")                                                                  \
    X(W_SCORE, "score", "得分")                                                                    \
    X(W_RATING, "rating", "评级")                                                                  \
    X(W_RANK, "rank", "排名")                                                                      \
    X(W_BOTTOM, "bottom", "末位")                                                                  \
    X(W_FLAG, "flag", "标记")                                                                      \
    X(W_FLAGS, "flags", "标记")                                                                    \
    X(W_METRIC, "metric", "度量")                                                                  \
    X(W_MEMBER, "member", "成员")                                                                  \
    X(W_ACTUAL_OF_TARGET, "actual [% of target]", "实际 [目标的 %]")                               \
    X(W_NOTE, "note", "备注")                                                                      \
    X(W_ANNUAL_TARGET, "annual target", "年度目标")                                                \
    X(W_REST_OF_YEAR, "rest of year", "余年")                                                      \
    X(W_NOT_SPREAD, "not spread", "未分摊")                                                        \
    X(W_LAST_YEAR, "last year", "去年")                                                            \
    X(W_GROWTH, "growth", "增长")                                                                  \
    X(W_GREEN, "green", "正常")                                                                    \
    X(W_AMBER, "amber", "预警")                                                                    \
    X(W_RED, "red", "落后")                                                                        \
    X(W_DEVIATION, "deviation", "偏差")                                                            \
    X(W_UNEXPLAINED, "unexplained", "未说明")                                                      \
    X(W_INCENTIVE, "incentive", "激励")                                                            \
    X(W_SCORECARD, "scorecard", "计分卡")                                                          \
    X(W_REVIEW, "review", "回顾")                                                                  \
    X(W_REFORECAST, "reforecast", "重新预测")                                                      \
    X(W_TABLE, "table", "表")                                                                      \
    X(W_ROW, "row", "行")                                                                          \
    X(W_COLUMN, "column", "列")                                                                    \
    X(W_DELTA, "delta", "差额")                                                                    \
    X(W_CHANGE, "change", "变化")                                                                  \
    X(W_OLD, "old", "旧")                                                                          \
    X(W_NEW, "new", "新")                                                                          \
    X(W_BASELINE, "baseline", "基线")                                                              \
    X(W_NOW, "now", "当前")                                                                        \
    X(W_PAYOUT_DISTRIBUTION, "payout distribution", "奖金分布")                                    \
    X(W_FROM, "from", "从")                                                                        \
    X(W_BELOW, "below", "至（不含）")                                                              \
    X(W_MEMBERS, "members", "人数")

#define LANG_WORD_ID(id, en, zh) id,
typedef enum { LANG_WORDS(LANG_WORD_ID) LANG_NWORDS } LangWord;
#undef LANG_WORD_ID

/* The word in language l. */
const char *lang_word(Lang l, LangWord w);
/* The word whose English text is en, or -1 (a name from the plan, say). */
int lang_lookup(const char *en);
/* en in language l when it is one of the words, else en itself. */
const char *lang_translate(Lang l, const char *en);
/* "en" or "zh" into *out; false for anything else. */
bool lang_parse(const char *s, Lang *out);
/* "en" or "zh". */
const char *lang_name(Lang l);

#endif
