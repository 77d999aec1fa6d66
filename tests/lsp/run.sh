#!/bin/sh
# run.sh BIN -- the language server's suites (make check-lsp): the protocol test
# (lsp_test.py: every method, bad messages, CJK positions, diagnostics equal to check's on
# every golden and example plan) and a scripted Neovim session (nvim_test.lua), each with a
# timeout.
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
timeout 600 /usr/bin/python3 "$here/lsp_test.py" "$bin"

command -v nvim >/dev/null || { echo "check-lsp: nvim is missing (tools/install-deps.sh installs neovim)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lsp_nvim.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/examples"
cp -r "$root/examples/data" "$tmp/data"
cp -r "$root/examples/data" "$root"/examples/*.plan "$tmp/examples/"
cp "$root/examples/fy2027.plan" "$tmp/plan.plan"
examples=$(ls "$tmp"/examples/*.plan | tr '\n' ' ')
"$bin" fmt "$tmp/plan.plan" >"$tmp/formatted"
out=$tmp/nvim.out
if ! LSP_BIN=$bin LSP_PLAN=$tmp/plan.plan LSP_FORMATTED=$tmp/formatted LSP_EXAMPLES=$examples \
    timeout 120 nvim --headless -u NONE -i NONE -n -c "luafile $here/nvim_test.lua" >"$out" 2>&1; then
    cat "$out"
    echo "check-lsp: the Neovim session failed" >&2
    exit 1
fi
grep -q "^nvim: 0 failed" "$out" || { cat "$out"; echo "check-lsp: no verdict from Neovim" >&2; exit 1; }
echo "check-lsp: Neovim $(nvim --version | sed -n '1s/NVIM v//p'): $(grep -c '^ok:' "$out") checks passed"
