#!/bin/sh
# make coverage: line coverage of the product code by the test suite.
#
#   sh tests/coverage.sh BUILD_DIR   (a build made with --coverage)
#
# Removes the counts of earlier runs, runs every test binary of BUILD_DIR
# (tests/run.sh: its output and "N passed, N failed"), then prints, for
# each product source file, gcov's lines executed of its executable lines,
# and the total. Product code is every .c file git tracks outside tests/,
# bench/ and examples/.
#
# The tests that compile a program against the library (the C header, the
# guides, the example built with pkg-config) run "cc": a cc that adds
# --coverage comes first on PATH, so that such a program links with the
# instrumented library and counts too.
set -u

if [ $# -ne 1 ]; then
	echo "usage: sh tests/coverage.sh BUILD_DIR" >&2
	exit 2
fi
B=$1
cd "$(dirname "$0")/.." || exit 1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lkey-coverage.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

cc=$(command -v cc) || {
	echo "coverage: no cc on PATH" >&2
	exit 1
}
mkdir "$tmp/bin"
printf '#!/bin/sh\nexec "%s" --coverage "$@"\n' "$cc" >"$tmp/bin/cc"
chmod 755 "$tmp/bin/cc"

find "$B" -name '*.gcda' -exec rm -f {} +
PATH="$tmp/bin:$PATH" LKEY_COVERAGE=1 sh tests/run.sh "$B"
rc=$?

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files '*.c'
else
	find . -name '*.c' ! -path './build*' | sed 's|^\./||' | sort
fi | grep -v -e '^tests/' -e '^bench/' -e '^examples/' >"$tmp/files"

echo
echo "Line coverage of the product code (gcov; $B, the suite above)"
while read -r src; do
	obj=$B/obj/${src%.c}.o
	if [ ! -f "$obj" ]; then
		echo "coverage: $src has no object $obj" >&2
		rc=1
		continue
	fi
	# gcov -n writes no .gcov files; it reports the source and every
	# header with code in it: only the source's own line counts. A file
	# of tables alone has no executable line: 0 of 0.
	gcov -n -o "$(dirname "$obj")" "$src" 2>/dev/null |
	    awk -v src="$src" '
		/^File / { f = $2; gsub(/\047/, "", f); next }
		/^Lines executed:/ && f == src {
			split($2, a, ":"); pct = a[2] + 0; n = $4 + 0
			printf "%s %d %d\n", src, n, int(pct * n / 100 + 0.5)
			found = 1
			exit
		}
		/^No executable lines/ && f == "" { empty = 1 }
		END { if (!found && empty) printf "%s 0 0\n", src }'
done <"$tmp/files" >"$tmp/counts"

awk '{
	printf "   %-32s %6.2f%% of %5d lines\n", $1,
	    ($2 > 0 ? 100 * $3 / $2 : 100), $2
	lines += $2; hit += $3
} END {
	printf "   %-32s %6.2f%% of %5d lines (%d files)\n", "total",
	    (lines > 0 ? 100 * hit / lines : 0), lines, NR
}' "$tmp/counts"
if [ "$(wc -l <"$tmp/counts")" -ne "$(wc -l <"$tmp/files")" ]; then
	echo "coverage: gcov gave no figure for some files" >&2
	rc=1
fi
exit "$rc"
