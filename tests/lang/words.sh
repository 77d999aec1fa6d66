#!/bin/sh
# words.sh -- the words of the chrome (LANG_WORDS in interp/base/lang.h) as
# the Markdown table of docs/LANGUAGE.md ("Chinese output"), and a check
# that the document holds exactly that table, so that the list cannot drift.
#
# usage: sh tests/lang/words.sh          print the table
#        sh tests/lang/words.sh --check  compare it with docs/LANGUAGE.md (exit 1 when not equal)
set -u
LC_ALL=C
export LC_ALL
top=$(cd "$(dirname "$0")/../.." && pwd)
table() {
    echo '| English | 中文 |'
    echo '|---|---|'
    sed -n 's/^ *X(W_[A-Z_]*, *"\([^"]*\)", *"\([^"]*\)").*/| `\1` | `\2` |/p' \
        "$top/interp/base/lang.h"
}
if [ "${1:-}" != "--check" ]; then
    table
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
table > "$tmp/want"
awk '/^<!-- lang-words begin/ { on = 1; next } /^<!-- lang-words end/ { on = 0 } on' \
    "$top/docs/LANGUAGE.md" > "$tmp/have"
n=$(grep -c '^| `' "$tmp/want")
words=$(grep -c '^ *X(W_' "$top/interp/base/lang.h")
if [ "$n" -ne "$words" ] || [ "$n" -lt 10 ]; then
    echo "lang words: read $n of the $words words of interp/base/lang.h (one X(...) per line?)"
    exit 1
fi
if ! diff -u "$tmp/want" "$tmp/have" > "$tmp/diff"; then
    echo "lang words: the table of docs/LANGUAGE.md (Chinese output) is not LANG_WORDS;"
    echo "regenerate it with: sh tests/lang/words.sh"
    cat "$tmp/diff"
    exit 1
fi
echo "lang words: $n words, docs/LANGUAGE.md agrees with LANG_WORDS"
