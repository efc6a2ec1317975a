#!/bin/sh
# Installs the Debian/Ubuntu packages lkey builds and tests with, if any is
# missing. Idempotent: does nothing when all are there. As root it runs
# apt-get; otherwise it prints the one command to run and fails.
#
#   sh tools/deps.sh [PACKAGE...]   also these (make fuzz, make test-valgrind)
set -u

# strace: the crash test of "lkey-verify --install" kills the program at
# each system call with strace's fault injection (tests only).
# mandoc, groff-base: the manual pages are checked with both linters.
# gcc-mingw-w64-x86-64: the amalgamation is compiled for Windows too
# (tests/test_amalgamation.c; some 15 s to install).
# libsqlite3-dev, libpq-dev: the vendor ledger (lkey-keygen only).
# postgresql: the tests run a throwaway server of their own for the
# PostgreSQL ledger (tests/pgserver.sh). sqlite3: the backup of the ledger
# in docs/VENDOR.md, which the tests run, uses its online backup.
PKGS="libsodium-dev libb64-dev libcmocka-dev pkg-config make gcc strace"
PKGS="$PKGS libsqlite3-dev libpq-dev postgresql sqlite3"
PKGS="$PKGS mandoc groff-base gcc-mingw-w64-x86-64 $*"

missing=""
for p in $PKGS; do
	if command -v dpkg-query >/dev/null 2>&1; then
		st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		case "$st" in
		*" installed") continue ;;
		esac
	fi
	missing="$missing $p"
done

[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "lkey: missing packages:$missing" >&2
	echo "lkey: install them with your system's package manager" >&2
	exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "lkey: missing packages:$missing" >&2
	echo "lkey: run: sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi

echo "lkey: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 && apt-get install -y -qq $missing >&2 || {
	echo "lkey: apt-get could not install:$missing" >&2
	exit 1
}
