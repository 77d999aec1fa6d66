#!/bin/sh
# The TextMate grammar and the VS Code extension (editors/vscode):
#  1. npm ci in editors/vscode (the versions of package-lock.json; again only
#     when the lock file changed);
#  2. tokenize.js: every plan of the repository (examples, stdlib, tests),
#     every ```plan block of the documentation, tests/grammar/cases.plan and
#     every keyword get, lexeme by lexeme, the scopes salesplan's own lexer
#     implies (BUILD/lextokens), and no line ends inside a construct;
#     the same with the Vim syntax file of editors/vim in a headless Neovim
#     (tokenize.js --vim);
#  3. the same tests on grammars with one rule broken (mutate.js, and
#     VIM_MUTATIONS below) must fail;
#  4. @vscode/vsce packages the extension; the .vsix must hold the grammar
#     (the same bytes), the manifest, extension.js and the language client;
#     extension.js starts `salesplan lsp` as configured (extension-test.js);
#  5. the Neovim setup of docs/EDITORS.md runs in a headless Neovim (nvim.sh).
# Usage: tests/grammar/run.sh BUILD
#        tests/grammar/run.sh --npm-only     (only 1.: make bench-grammar)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
ext=$top/editors/vscode
grammar=$ext/syntaxes/salesplan.tmLanguage.json
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "check-grammar: node and npm are missing (tools/install-deps.sh installs them)" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. the npm packages
lock=$(sha256sum "$ext/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$ext/node_modules/.lock-sha256" 2>/dev/null)" != "$lock" ]; then
    (cd "$ext" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) >"$tmp/npm.log" 2>&1 || {
        cat "$tmp/npm.log" >&2
        echo "check-grammar: npm ci failed in editors/vscode" >&2
        exit 1
    }
    echo "$lock" >"$ext/node_modules/.lock-sha256"
fi
[ "$1" != --npm-only ] || exit 0
build=$(cd "$1" && pwd)

# 2. every plan, every documentation block
awk -v dir="$tmp" '
    FNR == 1 { doc = FILENAME; sub(/.*\//, "", doc); sub(/\.md$/, "", doc) }
    /^```plan[ \t]*$/ { n++; inblock = 1; file = sprintf("%s/%s_%03d.plan", dir, doc, n); next }
    /^```/ && inblock { inblock = 0; close(file); next }
    inblock { print > file }
' "$top"/README.md "$top"/docs/*.md
(cd "$top" && find examples stdlib tests -name '*.plan' && find "$tmp" -name '*.plan') | LC_ALL=C sort >"$tmp/plans"
(cd "$top" && node tests/grammar/tokenize.js "$build/lextokens" "$grammar" @"$tmp/plans")
command -v nvim >/dev/null || { echo "check-grammar: nvim is missing (tools/install-deps.sh installs neovim)" >&2; exit 1; }
(cd "$top" && node tests/grammar/tokenize.js --vim "$build/lextokens" editors/vim/syntax/salesplan.vim @"$tmp/plans")

# 3. a broken rule must be seen
find "$top/tests/grammar/cases.plan" "$top/examples" "$top/stdlib" -maxdepth 1 -name '*.plan' >"$tmp/sample"
node "$top/tests/grammar/mutate.js" --list >"$tmp/mutations"
n=0
while IFS= read -r m; do
    node "$top/tests/grammar/mutate.js" "$grammar" "$tmp/broken.json" "$m"
    if node "$top/tests/grammar/tokenize.js" "$build/lextokens" "$tmp/broken.json" @"$tmp/sample" >"$tmp/out" 2>&1; then
        echo "check-grammar: the test passes on a grammar with '$m': it checks too little" >&2
        exit 1
    fi
    grep -q '^FAIL ' "$tmp/out" || { cat "$tmp/out" >&2; exit 1; }
    n=$((n + 1))
done <"$tmp/mutations"
echo "grammar: each of $n broken grammars fails the test"

# sed scripts, each breaking one thing of editors/vim
VIM_MUTATIONS='syntax/salesplan.vim s/ split / /
syntax/salesplan.vim s/ contains=salesplanUnit//
syntax/salesplan.vim /^syntax match salesplanComment/d
syntax/salesplan.vim /^syntax match salesplanField/d
syntax/salesplan.vim s/end=+\$+ //
syntax/salesplan.vim /^syntax match salesplanDate/d
syntax/salesplan.vim /^syntax match salesplanDeclared/d
ftdetect/salesplan.vim /^autocmd/d'
n=0
echo "$VIM_MUTATIONS" >"$tmp/vim-mutations"
while read -r file script; do
    rm -rf "$tmp/vim" && cp -R "$top/editors/vim" "$tmp/vim"
    sed "$script" "$top/editors/vim/$file" >"$tmp/vim/$file"
    cmp -s "$top/editors/vim/$file" "$tmp/vim/$file" && { echo "check-grammar: '$script' changes nothing in editors/vim/$file" >&2; exit 1; }
    if node "$top/tests/grammar/tokenize.js" --vim "$build/lextokens" "$tmp/vim/syntax/salesplan.vim" @"$tmp/sample" >"$tmp/out" 2>&1; then
        echo "check-grammar: the Vim test passes with '$script' on editors/vim/$file: it checks too little" >&2
        exit 1
    fi
    grep -q '^FAIL ' "$tmp/out" || { cat "$tmp/out" >&2; exit 1; }
    n=$((n + 1))
done <"$tmp/vim-mutations"
echo "grammar (vim): each of $n broken Vim files fails the test"

# 4. the extension, packaged
vsix=$build/salesplan.vsix
rm -f "$vsix"
(cd "$ext" && npx --no-install vsce package --allow-missing-repository --skip-license --out "$vsix" \
    </dev/null >"$tmp/vsce.log" 2>&1) || { cat "$tmp/vsce.log" >&2; echo "check-grammar: vsce package failed" >&2; exit 1; }
[ -s "$vsix" ] || { echo "check-grammar: no $vsix" >&2; exit 1; }
(cd "$tmp" && mkdir vsix && cd vsix && unzip -q "$vsix")
for f in extension/package.json extension/extension.js extension/language-configuration.json \
    extension/syntaxes/salesplan.tmLanguage.json extension/node_modules/vscode-languageclient/node.js; do
    [ -f "$tmp/vsix/$f" ] || { echo "check-grammar: the .vsix lacks $f" >&2; exit 1; }
done
cmp -s "$grammar" "$tmp/vsix/extension/syntaxes/salesplan.tmLanguage.json" ||
    { echo "check-grammar: the .vsix holds another grammar" >&2; exit 1; }
for f in vscode-textmate vscode-oniguruma @vscode/vsce; do
    [ ! -e "$tmp/vsix/extension/node_modules/$f" ] || { echo "check-grammar: the .vsix holds $f (a test tool)" >&2; exit 1; }
done
node -e '
const m = require(process.argv[1]);
const g = m.contributes.grammars[0], l = m.contributes.languages[0];
const ok = g.scopeName === "source.salesplan" && l.extensions.includes(".plan") &&
  m.contributes.configuration.properties["salesplan.path"].default === "salesplan";
if (!ok) { console.error("check-grammar: the .vsix manifest does not declare the grammar"); process.exit(1); }
' "$tmp/vsix/extension/package.json"
echo "grammar: $(basename "$vsix") ($(wc -c <"$vsix") bytes) holds the grammar, the manifest and the language client"

node "$top/tests/grammar/extension-test.js"

# 5. the Neovim snippets of docs/EDITORS.md
sh "$top/tests/grammar/nvim.sh"
