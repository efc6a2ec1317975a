#!/bin/sh
# A throwaway PostgreSQL server for the tests of the PostgreSQL ledger
# (tests/test_pg.c): a cluster of its own under DIR (inside the build
# directory), reached only through a unix socket in DIR, never over the
# network. Trust authentication for the one role, lkey; fsync stays on,
# as on a real server. Uses Debian's postgresql package (the highest
# version in /usr/lib/postgresql), or initdb and pg_ctl on PATH.
#
#   sh tests/pgserver.sh start DIR    starts it (creating the cluster and
#                                     its database lkey the first time);
#                                     nothing to do if it runs already
#   sh tests/pgserver.sh stop DIR     stops it, if it runs
#   sh tests/pgserver.sh uri DIR      prints the database's URI:
#                                     postgresql:///lkey?host=DIR&port=N&user=lkey
#   sh tests/pgserver.sh run DIR CMD [ARG...]
#                                     starts it afresh (a new cluster),
#                                     runs CMD with LKEY_PG_URI set to the
#                                     URI, stops it whatever happens, and
#                                     exits with CMD's status; a server
#                                     already running there is used as it
#                                     is and left running
#
# Without PostgreSQL's server programs, run runs CMD with LKEY_PG_SKIP set
# to the reason instead (test_pg then skips, saying why); start fails.
#
# PostgreSQL refuses to run as root: as root, the cluster belongs to the
# postgres system user (made by the postgresql package) and its programs
# run as that user. Where that user cannot reach DIR (a clone under
# /root), or DIR's path is too long for a unix socket's, the cluster is in
# /tmp/lkey-pg-N instead, N made from DIR's path (start says so).
set -u

me=pgserver.sh
ROLE=lkey
DB=lkey

die() {
	echo "$me: $*" >&2
	exit 1
}

usage() {
	echo "usage: sh tests/pgserver.sh start|stop|uri DIR" >&2
	echo "       sh tests/pgserver.sh run DIR CMD [ARG...]" >&2
	exit 2
}

# The directory of the server programs, or nothing.
pg_bindir() {
	best=
	bestv=0
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] || continue
		v=${d%/bin}
		v=${v##*/}
		case $v in
		'' | *[!0-9]*) continue ;;
		esac
		if [ "$v" -gt "$bestv" ]; then
			best=$d
			bestv=$v
		fi
	done
	if [ -z "$best" ] && command -v initdb >/dev/null 2>&1 &&
	    command -v pg_ctl >/dev/null 2>&1; then
		best=$(dirname "$(command -v initdb)")
	fi
	printf '%s\n' "$best"
}

# Runs a server program, as the postgres user when we are root.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		# From /: the postgres user may not be able to enter ".".
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

# The port: only the name of the socket file in DIR, so any number does;
# one derived from DIR's path keeps two servers' numbers apart in ps.
port_of() {
	sum=$(printf '%s' "$1" | cksum | cut -d ' ' -f 1)
	echo $((5400 + sum % 500))
}

# DIR as an absolute path, made if missing.
absdir() {
	mkdir -p "$1" || die "$1: cannot make the directory"
	(cd "$1" && pwd -P) || die "$1: cannot enter the directory"
}

# A URI query value: every byte but unreserved characters and '/'
# percent-encoded.
uri_encode() (
	# Byte by byte; in a subshell, so that the command run keeps the
	# caller's locale.
	LC_ALL=C
	export LC_ALL
	s=$1
	while [ -n "$s" ]; do
		rest=${s#?}
		c=${s%"$rest"}
		s=$rest
		case $c in
		[A-Za-z0-9._~/-]) printf '%s' "$c" ;;
		*) printf '%%%02X' "'$c" ;;
		esac
	done
)

# Where the cluster of DIR lives: in DIR, unless the server could not use
# it there: a socket path over the limit of 107 bytes (with room to
# spare), or, as root, a directory the postgres user cannot reach (a clone
# under /root). Then in /tmp, under a name made from DIR's path. Sets dir,
# and why when it is not DIR.
place() {
	why=
	sock="$1/.s.PGSQL.$(port_of "$1")"
	if [ "${#sock}" -gt 100 ]; then
		why="too long a path for the server's socket"
	elif [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1 &&
	    ! runuser -u postgres -- test -x "$1" 2>/dev/null; then
		why="the postgres user cannot reach it"
	fi
	dir=$1
	if [ -n "$why" ]; then
		sum=$(printf '%s' "$1" | cksum | cut -d ' ' -f 1)
		dir=/tmp/lkey-pg-$sum
	fi
}

running() {
	[ -f "$dir/data/postmaster.pid" ] &&
	    as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

start() {
	[ -n "$bin" ] || die "no PostgreSQL server programs" \
	    "(/usr/lib/postgresql/*/bin/initdb): install the postgresql package"
	port=$(port_of "$dir")
	if [ "$dir" != "$given" ]; then
		echo "$me: $given: $why: the server's cluster is in $dir" >&2
		[ ! -L "$dir" ] || die "$dir: is a symbolic link"
		mkdir -m 0700 "$dir" 2>/dev/null || [ -d "$dir" ] ||
		    die "$dir: cannot make the directory"
		owner=$(stat -c %U "$dir") || exit 1
		[ "$owner" = "$(id -un)" ] || [ "$owner" = postgres ] ||
		    die "$dir: belongs to $owner"
	fi
	running && return 0
	if [ "$(id -u)" -eq 0 ]; then
		id postgres >/dev/null 2>&1 || die "running as root, and there" \
		    "is no postgres user to run the server as"
		chown postgres: "$dir" || die "$dir: cannot hand it to postgres"
		runuser -u postgres -- test -w "$dir" -a -x "$dir" ||
		    die "$dir: the postgres user cannot reach it: every" \
		    "directory above it must be searchable by others (chmod o+x)"
	fi
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		rm -rf "$dir/data"
		as_owner "$bin/initdb" -D "$dir/data" --auth=trust -U "$ROLE" \
		    -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 ||
		    die "initdb failed: see $dir/initdb.log"
		echo "include = 'lkey.conf'" >>"$dir/data/postgresql.conf" ||
		    die "$dir/data/postgresql.conf: cannot add to it"
	fi
	# Written at every start: DIR may have moved. No TCP at all; the
	# socket is for its owner only.
	sq=$(printf '%s' "$dir" | sed "s/'/''/g")
	cat >"$dir/data/lkey.conf" <<EOF || die "$dir/data/lkey.conf: cannot write it"
listen_addresses = ''
unix_socket_directories = '$sq'
unix_socket_permissions = 0700
port = $port
fsync = on
synchronous_commit = on
EOF
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
	    start >/dev/null 2>&1 ||
	    die "the server did not start: see $dir/server.log"
	if ! as_owner "$bin/psql" -X -q -h "$dir" -p "$port" -U "$ROLE" \
	    -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" |
	    grep -q 1; then
		as_owner "$bin/createdb" -h "$dir" -p "$port" -U "$ROLE" "$DB" ||
		    die "cannot create the database $DB"
	fi
}

stop() {
	[ -n "$bin" ] || return 0
	[ -f "$dir/data/postmaster.pid" ] || return 0
	# Immediate: the cluster is thrown away, and the next start recovers
	# it from its WAL.
	if ! as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop \
	    >/dev/null 2>&1 && running; then
		die "the server in $dir would not stop"
	fi
	return 0
}

uri() {
	printf 'postgresql:///%s?host=%s&port=%s&user=%s\n' "$DB" \
	    "$(uri_encode "$dir")" "$(port_of "$dir")" "$ROLE"
}

[ $# -ge 2 ] || usage
cmd=$1
bin=$(pg_bindir)
case $cmd in
start | stop | uri)
	[ $# -eq 2 ] || usage
	given=$(absdir "$2") || exit 1
	place "$given"
	$cmd
	;;
run)
	[ $# -ge 3 ] || usage
	given=$(absdir "$2") || exit 1
	place "$given"
	shift 2
	if [ -z "$bin" ]; then
		echo "$me: no PostgreSQL server programs: the tests of the" \
		    "PostgreSQL ledger will be skipped" >&2
		LKEY_PG_SKIP="no PostgreSQL server programs (install the postgresql package)" \
		    "$@"
		exit $?
	fi
	# A server someone started is used and left running. Otherwise a
	# fresh cluster (nothing left from an earlier run), stopped on every
	# way out, a signal too.
	if [ -n "$bin" ] && running; then
		LKEY_PG_URI=$(uri) "$@"
		exit $?
	fi
	trap 'stop' EXIT
	trap 'exit 1' HUP INT TERM
	[ ! -d "$dir/data" ] || as_owner rm -rf "$dir/data" ||
	    die "$dir/data: cannot remove the last run's cluster"
	start
	LKEY_PG_URI=$(uri) "$@"
	exit $?
	;;
*)
	usage
	;;
esac
