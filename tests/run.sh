#!/bin/sh
# Runs every test binary of each build directory given (tests/test_* built
# by make), shows cmocka's own output, and ends with one line for the whole
# suite: "N passed, N failed". A binary that crashes or exits non-zero with
# no cmocka failure counted adds one failure, so nothing fails silently.
#
# LKEY_TEST_WRAPPER, if set, is a command (split into words) each binary
# runs under, e.g. "sh tests/valgrind.sh"; its exit status is the binary's.
set -u

passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for dir in "$@"; do
	echo "== $dir"
	for t in "$dir"/tests/test_*; do
		[ -x "$t" ] || continue
		# shellcheck disable=SC2086 # the wrapper is split into words
		LKEY_BUILD_DIR="$dir" ${LKEY_TEST_WRAPPER-} "$t" >"$log" 2>&1
		rc=$?
		cat "$log"
		p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test.*/\1/p' "$log" |
		    awk '{s += $1} END {print s + 0}')
		f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test.*/\1/p' "$log" |
		    awk '{s += $1} END {print s + 0}')
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			echo "$t: exited with status $rc"
			f=1
		fi
		passed=$((passed + p))
		failed=$((failed + f))
	done
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
