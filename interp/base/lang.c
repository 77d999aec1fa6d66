/* lang.c -- the word table of lang.h. */
#include "base/lang.h"

#include <string.h>

#define LANG_WORD_TEXTS(id, en, zh) {en, zh},
static const char *const words[LANG_NWORDS][2] = {LANG_WORDS(LANG_WORD_TEXTS)};

const char *lang_word(Lang l, LangWord w)
{
    return words[w][l == LANG_ZH];
}

bool lang_parse(const char *s, Lang *out)
{
    if (s && strcmp(s, "en") == 0)
        *out = LANG_EN;
    else if (s && strcmp(s, "zh") == 0)
        *out = LANG_ZH;
    else
        return false;
    return true;
}

const char *lang_name(Lang l)
{
    return l == LANG_ZH ? "zh" : "en";
}

int lang_lookup(const char *en)
{
    if (!en || !*en)
        return -1;
    for (int w = 0; w < LANG_NWORDS; w++) /* the first byte first: most texts are no word */
        if (words[w][0][0] == en[0] && strcmp(words[w][0], en) == 0)
            return w;
    return -1;
}

const char *lang_translate(Lang l, const char *en)
{
    int w = lang_lookup(en);
    return w < 0 ? en : lang_word(l, (LangWord)w);
}
