#!/bin/sh
# Checks that a Windows DLL of liblkey exports exactly the functions
# lkey.h marks LKEY_API: each of them (a program using the DLL links), and
# nothing else (no internal function, nothing of libsodium or libb64,
# which the DLL carries inside).
#
#   sh tests/dllexports.sh OBJDUMP lkey.dll include/lkey.h
set -u

if [ $# -ne 3 ]; then
	echo "usage: sh tests/dllexports.sh OBJDUMP DLL HEADER" >&2
	exit 2
fi
objdump=$1 dll=$2 header=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lkey-exports.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# The name before the first "(" of each LKEY_API declaration, which may
# run over several lines.
awk '
/^LKEY_API / { decl = ""; on = 1 }
on {
	decl = decl " " $0
	if (index(decl, "(")) {
		sub(/\(.*/, "", decl)
		n = split(decl, w, /[^A-Za-z0-9_]+/)
		while (n > 0 && w[n] == "") n--
		print w[n]
		on = 0
	}
}' "$header" | sort -u > "$tmp/api"

"$objdump" -p "$dll" > "$tmp/dump" || {
	echo "dllexports: $objdump -p $dll failed" >&2
	exit 1
}
sed -n '/Ordinal\/Name Pointer/,/^$/s/^[[:space:]]*\[[[:space:]]*[0-9]*\][[:space:]]*\([^[:space:]]*\).*/\1/p' \
    "$tmp/dump" | sort -u > "$tmp/exports"

if [ ! -s "$tmp/api" ]; then
	echo "dllexports: no LKEY_API declaration found in $header" >&2
	exit 1
fi
missing=$(comm -23 "$tmp/api" "$tmp/exports")
extra=$(comm -13 "$tmp/api" "$tmp/exports")
if [ -n "$missing" ] || [ -n "$extra" ]; then
	[ -z "$missing" ] || echo "dllexports: $dll does not export:" \
	    $missing >&2
	[ -z "$extra" ] || echo "dllexports: $dll exports what lkey.h" \
	    "does not declare:" $extra >&2
	exit 1
fi
echo "$dll exports the $(wc -l < "$tmp/api") LKEY_API functions of" \
    "$header, and nothing else"
