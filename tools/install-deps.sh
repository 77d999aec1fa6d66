#!/bin/sh
# Installs what building and testing salesplan needs, from Debian's packages.
# Runs apt-get as root, or through sudo when it is there.
set -eu
pkgs="gcc make flex bison libreadline-dev libcmocka-dev libutf8proc-dev libicu-dev pkg-config clang libclang-rt-14-dev clang-format universal-ctags python3 groff-base libxlsxwriter-dev python3-openpyxl chromium poppler-utils python3-pil fonts-wqy-microhei git libjansson-dev libpq-dev libsqlite3-dev"
# make check-db: a private PostgreSQL server and the sqlite3 shell (the suite fails without them)
pkgs="$pkgs postgresql sqlite3"
# make check-grammar: node and npm (npm ci, vscode-textmate, vsce) unless a Node.js is already
# installed (NodeSource's nodejs conflicts with Debian's npm); neovim runs docs/EDITORS.md's setup
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || pkgs="$pkgs nodejs npm"
pkgs="$pkgs neovim"
if [ "$(id -u)" = 0 ]; then as_root=""; else as_root="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$as_root apt-get update -qq
# shellcheck disable=SC2086
$as_root apt-get install -y -qq $pkgs >/dev/null
echo "installed: $pkgs"
