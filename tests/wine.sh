#!/bin/sh
# Runs one Windows program under Wine, for tests/run.sh
# (LKEY_TEST_WRAPPER), with the Wine prefix of make test-windows:
#
#   LKEY_WINEPREFIX=DIR sh tests/wine.sh PROGRAM.exe [ARG...]
#   LKEY_WINEPREFIX=DIR sh tests/wine.sh --server OPTION...
#
# The second form runs the prefix's wineserver (make test-windows stops any
# left from an interrupted run with -k, then keeps one running for the
# whole run with -p and stops it with -k, so that no program starts just
# as an idle server is shutting down, which Wine answers with "recvmsg:
# Connection reset by peer").
#
# The exit status is the program's. Wine's own chatter is off
# (WINEDEBUG=-all), and so is its offer to install Mono and Gecko, which
# no test needs. make test-windows creates the prefix once, before any test
# runs, so that tests started together do not each try to.
set -u

prefix=${LKEY_WINEPREFIX:?LKEY_WINEPREFIX names the Wine prefix}
if [ "${1:-}" = --server ]; then
	shift
	for s in /usr/lib/wine/wineserver64 "$(command -v wineserver \
	    2>/dev/null)"; do
		[ -n "$s" ] && [ -x "$s" ] && break
		s=
	done
	if [ -z "$s" ]; then
		echo "wine.sh: wineserver not found (the Debian package" \
		    "wine64)" >&2
		exit 127
	fi
	WINEPREFIX=$prefix exec "$s" "$@"
fi
for w in /usr/lib/wine/wine64 "$(command -v wine64 2>/dev/null)" \
    "$(command -v wine 2>/dev/null)"; do
	[ -n "$w" ] && [ -x "$w" ] && break
	w=
done
if [ -z "$w" ]; then
	echo "wine.sh: Wine not found (the Debian package wine64)" >&2
	exit 127
fi
WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" \
    exec "$w" "$@"
