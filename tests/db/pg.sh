#!/bin/sh
# pg.sh -- a private PostgreSQL server, for as long as a command runs.
#
# usage: sh tests/db/pg.sh [COMMAND [ARG]...]
#   env: PG_BINDIR=DIR      the server's programs (default: the newest /usr/lib/postgresql/*/bin)
#        PG_SETTINGS="..."  more `-c NAME=VALUE` settings for the server (bench/db.sh: memory)
#        PG_TMP=DIR         where its temporary directory goes (default /tmp: a Unix socket's
#                           path must stay under 108 bytes)
#        PG_KEEP=1          leave the directory in place (its path is printed)
#
# initdb into a fresh temporary directory, started with its Unix socket in that directory
# only (listen_addresses = '': no TCP port, nothing another user of the machine can reach
# by accident), as an unprivileged user: initdb refuses to run as root, so under root the
# server runs as the system user salesplan_pg (created when missing).  Made for speed, not
# safety: fsync, synchronous commit and full-page writes are off, and shared_buffers small.
# Every statement is logged (log_statement = all) to $PG_LOG, so a test can see what was
# sent.  A database "salesplan" is created; its owner is the superuser "postgres", who
# connects without a password through the socket (trust: the socket is in a directory only
# the server's user and root can enter).
#
# Then COMMAND runs with, in its environment:
#   PG_URI       postgresql:///salesplan?host=DIR&user=postgres  (also printed on stderr)
#   PGHOST, PGPORT, PGDATABASE, PGUSER  (so psql needs no options)
#   PG_DIR PG_DATA PG_LOG PG_BINDIR     the directory, the cluster, the server's log, programs
# and the server is stopped and its directory removed when COMMAND ends, whatever its exit
# status, or when pg.sh is interrupted.  Without COMMAND, pg.sh prints the URI and waits
# for Ctrl-C.  Exit status: COMMAND's; 2 if the server cannot be made (never a skip: a
# missing PostgreSQL is an error).
set -u

die() {
    echo "tests/db/pg.sh: $*" >&2
    exit 2
}

if [ -z "${PG_BINDIR:-}" ]; then
    PG_BINDIR=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n | tail -n 1)
fi
for prog in initdb pg_ctl postgres; do
    [ -x "$PG_BINDIR/$prog" ] ||
        die "no PostgreSQL server program $prog (in '$PG_BINDIR'): install Debian's postgresql (tools/install-deps.sh)"
done
command -v psql >/dev/null 2>&1 || die "no psql: install Debian's postgresql-client (tools/install-deps.sh)"

# as whom the server runs
pg_user=
if [ "$(id -u)" = 0 ]; then
    pg_user=salesplan_pg
    if ! id "$pg_user" >/dev/null 2>&1; then
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
            "$pg_user" || id "$pg_user" >/dev/null 2>&1 || die "cannot create the system user $pg_user"
    fi
fi
as_pg() {
    if [ -z "$pg_user" ]; then
        "$@"
    elif command -v runuser >/dev/null 2>&1; then
        runuser -u "$pg_user" -- "$@"
    else
        setpriv --reuid="$pg_user" --regid="$pg_user" --init-groups -- "$@"
    fi
}

PG_DIR=$(mktemp -d "${PG_TMP:-/tmp}/salesplan-pg.XXXXXX") || die "cannot make a temporary directory"
PG_DATA=$PG_DIR/data
PG_LOG=$PG_DIR/server.log
started=false sleeper=
cleanup() {
    [ -z "$sleeper" ] || kill "$sleeper" 2>/dev/null
    if $started; then
        (cd "$PG_DIR" && as_pg "$PG_BINDIR/pg_ctl" stop -D "$PG_DATA" -m immediate -s) >/dev/null 2>&1
    fi
    if [ -n "${PG_KEEP:-}" ]; then
        echo "tests/db/pg.sh: kept $PG_DIR" >&2
    else
        rm -rf "$PG_DIR"
    fi
}
trap cleanup EXIT
trap 'exit 1' HUP INT PIPE TERM
[ -z "$pg_user" ] || chown "$pg_user" "$PG_DIR" || die "cannot give $PG_DIR to $pg_user"
chmod 700 "$PG_DIR"

(cd "$PG_DIR" && as_pg "$PG_BINDIR/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 --no-sync --no-instructions) >"$PG_DIR/initdb.log" 2>&1 ||
    { sed 's/^/    /' "$PG_DIR/initdb.log" >&2; die "initdb failed"; }

# pg_ctl hands -o to a shell on one line: no newline in it
opts="-c listen_addresses='' -k $PG_DIR -c unix_socket_permissions=0700 -c fsync=off"
opts="$opts -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=32MB"
opts="$opts -c max_connections=20 -c log_statement=all -c log_line_prefix='%m [%p] %u '"
opts="$opts ${PG_SETTINGS:-}"
(cd "$PG_DIR" && as_pg "$PG_BINDIR/pg_ctl" start -D "$PG_DATA" -l "$PG_LOG" -w -t 60 -s -o "$opts") \
    >"$PG_DIR/start.log" 2>&1 ||
    { cat "$PG_DIR/start.log" "$PG_LOG" 2>/dev/null | sed 's/^/    /' >&2; die "the server did not start"; }
started=true

PGHOST=$PG_DIR PGPORT=5432 PGDATABASE=postgres PGUSER=postgres
export PGHOST PGPORT PGDATABASE PGUSER
psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE DATABASE salesplan' >/dev/null ||
    die "cannot create the database salesplan"
PGDATABASE=salesplan
PG_URI="postgresql:///salesplan?host=$PG_DIR&user=postgres"
export PG_URI PG_DIR PG_DATA PG_LOG PG_BINDIR PGDATABASE
echo "tests/db/pg.sh: PostgreSQL $(psql -X -At -c 'SHOW server_version') at $PG_URI" >&2

if [ $# -eq 0 ]; then
    echo "$PG_URI"
    echo "tests/db/pg.sh: Ctrl-C stops the server and removes $PG_DIR" >&2
    while :; do
        sleep 3600 &
        sleeper=$!
        wait $sleeper # a signal interrupts wait (not a foreground sleep): the trap runs at once
    done
fi
"$@"
