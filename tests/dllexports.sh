#!/bin/sh
# Checks that a Windows DLL of liblkey exports what the shared library
# built for this system exports: the same names, no more, no fewer. That
# list is lkey.h's API, nothing else (tests/test_man.c holds liblkey.so to
# it), so the DLL exports no internal function and nothing of libsodium
# or libb64, which it carries inside.
#
#   sh tests/dllexports.sh OBJDUMP lkey.dll liblkey.so
set -u

if [ $# -ne 3 ]; then
	echo "usage: sh tests/dllexports.sh OBJDUMP DLL SHARED_LIBRARY" >&2
	exit 2
fi
objdump=$1 dll=$2 so=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lkey-exports.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

nm -D --defined-only "$so" > "$tmp/so.nm" || {
	echo "dllexports: nm -D $so failed" >&2
	exit 1
}
awk 'NF == 3 { print $3 }' "$tmp/so.nm" | sort -u > "$tmp/api"
"$objdump" -p "$dll" > "$tmp/dump" || {
	echo "dllexports: $objdump -p $dll failed" >&2
	exit 1
}
# The export table's "[Ordinal/Name Pointer] Table": "[  N] name" lines.
sed -n '/Ordinal\/Name Pointer/,/^$/s/^[[:space:]]*\[[[:space:]]*[0-9]*\][[:space:]]*\([^[:space:]]*\).*/\1/p' \
    "$tmp/dump" | sort -u > "$tmp/exports"

if [ ! -s "$tmp/api" ]; then
	echo "dllexports: $so exports no function" >&2
	exit 1
fi
missing=$(comm -23 "$tmp/api" "$tmp/exports")
extra=$(comm -13 "$tmp/api" "$tmp/exports")
if [ -n "$missing" ] || [ -n "$extra" ]; then
	[ -z "$missing" ] || echo "dllexports: $dll does not export:" \
	    $missing >&2
	[ -z "$extra" ] || echo "dllexports: $dll exports what $so does" \
	    "not:" $extra >&2
	exit 1
fi
echo "$dll exports the $(wc -l < "$tmp/api") functions $so exports" \
    "(lkey.h's), and nothing else"
