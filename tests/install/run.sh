#!/bin/sh
# Installs into a scratch DESTDIR with PREFIX=/usr, checks that the binary runs (and
# git-salesplan-diff is beside it) and
# the man page renders, then uninstalls and checks that both are gone (make check-install).
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make -s install DESTDIR="$tmp" PREFIX=/usr >/dev/null
fail() { echo "install: $*"; exit 1; }
[ -x "$tmp/usr/bin/salesplan" ] || fail "no $tmp/usr/bin/salesplan"
[ -x "$tmp/usr/bin/git-salesplan-diff" ] || fail "no $tmp/usr/bin/git-salesplan-diff"
[ -f "$tmp/usr/share/man/man1/salesplan.1" ] || fail "no man page"
grep -qx '.so man1/salesplan.1' "$tmp/usr/share/man/man1/git-salesplan-diff.1" ||
    fail "git-salesplan-diff.1 does not lead to salesplan.1 (git salesplan-diff --help)"
"$tmp/usr/bin/salesplan" --version | grep -q '^salesplan ' || fail "the installed binary does not run"
if command -v groff >/dev/null 2>&1; then
    out=$(groff -k -man -Tutf8 -ww "$tmp/usr/share/man/man1/salesplan.1" 2>&1 >/dev/null | grep -v 'cannot adjust line' || true)
    [ -z "$out" ] || fail "the man page has troff warnings: $out"
    groff -k -man -Tutf8 -P-cbou "$tmp/usr/share/man/man1/salesplan.1" 2>/dev/null | grep -q "salesplan diff" || fail "the man page does not render"
fi
make -s uninstall DESTDIR="$tmp" PREFIX=/usr >/dev/null
[ ! -e "$tmp/usr/bin/salesplan" ] || fail "uninstall left the binary"
[ ! -e "$tmp/usr/bin/git-salesplan-diff" ] || fail "uninstall left git-salesplan-diff"
[ ! -e "$tmp/usr/share/man/man1/git-salesplan-diff.1" ] || fail "uninstall left git-salesplan-diff.1"
[ ! -e "$tmp/usr/share/man/man1/salesplan.1" ] || fail "uninstall left the man page"
echo "install: installed, ran, rendered and uninstalled"
