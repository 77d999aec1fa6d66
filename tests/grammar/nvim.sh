#!/bin/sh
# The Neovim setup of docs/EDITORS.md, run: each ```lua block of the page is
# an init.lua; a headless Neovim opens examples/fy2027.plan with it and a
# stand-in `salesplan` first on PATH (it writes its arguments down and
# answers the protocol's initialize request, then reads until Neovim goes).  The buffer's file type must be salesplan,
# and a client named salesplan, started as `salesplan lsp`, attached to it.
# A block for a Neovim newer than the one installed (the "0.8" block on
# Debian 12's 0.7) is only compiled, and says so.  The ```vim block, run as
# the vimrc, must give the file type, the syntax of editors/vim and
# commentstring.
# Usage: tests/grammar/nvim.sh
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
command -v nvim >/dev/null || { echo "check-grammar: nvim is missing (tools/install-deps.sh installs neovim)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
cat >"$tmp/bin/salesplan" <<EOS
#!/bin/sh
echo "\$*" >>"$tmp/started"
exec node "$top/tests/grammar/lsp-standin.js"
EOS
chmod +x "$tmp/bin/salesplan"
awk -v dir="$tmp" '
    /^```lua[ \t]*$/ { n++; inblock = 1; file = sprintf("%s/init%d.lua", dir, n); next }
    /^```/ && inblock { inblock = 0; close(file); next }
    inblock { print > file }
' "$top/docs/EDITORS.md"
minor=$(nvim --version | sed -n '1s/^NVIM v0\.\([0-9]*\).*/\1/p')
n=0
for init in "$tmp"/init*.lua; do
    wants=$(sed -n '1s/.*(Neovim 0\.\([0-9]*\).*/\1/p' "$init")
    [ -n "$wants" ] || { echo "check-grammar: $(basename "$init") of docs/EDITORS.md names no Neovim version" >&2; exit 1; }
    if [ -n "$minor" ] && [ "$wants" -gt "$minor" ]; then
        # still valid Lua: compiled, not run
        nvim --headless -u NONE -i NONE -n -c "lua local f, e = loadfile('$init') if not f then io.stderr:write(e) vim.cmd('cquit 1') end" \
            -c 'qa!' </dev/null >"$tmp/nvim.log" 2>&1 ||
            { echo "check-grammar: the Neovim 0.$wants block of docs/EDITORS.md is no valid Lua:" >&2; cat "$tmp/nvim.log" >&2; exit 1; }
        echo "grammar: the Neovim 0.$wants block of docs/EDITORS.md compiles; not run (nvim is 0.$minor)"
        continue
    fi
    rm -f "$tmp/started" "$tmp/result"
    (cd "$top" && PATH="$tmp/bin:$PATH" HOME="$tmp" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" \
        XDG_STATE_HOME="$tmp/state" timeout 20 nvim --headless -i NONE -u "$init" examples/fy2027.plan \
        -c 'sleep 300m' \
        -c "lua local names = {} for _, c in pairs(vim.lsp.buf_get_clients(0)) do table.insert(names, c.name) end
            vim.fn.writefile({vim.bo.filetype, table.concat(names, ',')}, '$tmp/result')" \
        -c 'qa!' </dev/null >"$tmp/nvim.log" 2>&1) || true
    result=$(tr '\n' ' ' <"$tmp/result" 2>/dev/null || true)
    started=$(cat "$tmp/started" 2>/dev/null || true)
    if [ "$result" != "salesplan salesplan " ] || [ "$started" != "lsp" ]; then
        echo "check-grammar: the Neovim 0.$wants block of docs/EDITORS.md: file type and clients '$result', server started as '$started'" >&2
        cat "$tmp/nvim.log" >&2
        exit 1
    fi
    n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "check-grammar: no Neovim block of docs/EDITORS.md ran" >&2; exit 1; }

# the ```vim block (highlighting from editors/vim), with this checkout for ~/src/salesplan
awk '/^```vim[ \t]*$/ { inblock = 1; next } /^```/ && inblock { exit } inblock { print }' \
    "$top/docs/EDITORS.md" | sed "s|~/src/salesplan|$top|" >"$tmp/vimrc"
grep -q runtimepath "$tmp/vimrc" || { echo "check-grammar: docs/EDITORS.md has no vim block setting runtimepath" >&2; exit 1; }
rm -f "$tmp/result"
(cd "$top" && HOME="$tmp" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" timeout 20 \
    nvim --headless -i NONE -n -u "$tmp/vimrc" examples/fy2027.plan \
    -c "call writefile([&filetype, get(b:, 'current_syntax', ''), &commentstring, synIDattr(synID(1, 1, 0), 'name')], '$tmp/result')" \
    -c 'qa!' </dev/null >"$tmp/nvim.log" 2>&1) || true
result=$(tr '\n' '|' <"$tmp/result" 2>/dev/null || true)
[ "$result" = "salesplan|salesplan|# %s|salesplanStatement|" ] ||
    { echo "check-grammar: the vim block of docs/EDITORS.md: file type, syntax, commentstring, first item '$result'" >&2; cat "$tmp/nvim.log" >&2; exit 1; }
echo "grammar: the vim block of docs/EDITORS.md highlights plans (file type, syntax, commentstring)"
echo "grammar: $n Neovim block(s) of docs/EDITORS.md set the file type and start salesplan lsp"
