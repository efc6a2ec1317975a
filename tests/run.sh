#!/bin/sh
# Runs the test binaries of each build directory given (tests/test_* built
# by make), several at a time, shows cmocka's own output, and ends with one
# line for the whole suite: "N passed, N failed". A binary that crashes or
# exits non-zero with no cmocka failure counted adds one failure, so nothing
# fails silently; so does a suite where nothing passed.
#
#   sh tests/run.sh DIR...
#
# LKEY_TEST_JOBS: binaries at a time (default: the online processors).
# Each binary's output is kept in a file and printed whole when it ends,
# so the outputs of binaries running together never mix.
#
# LKEY_TESTS, if set, names the binaries to run (test_cli test_sig ...),
# in that order: those of them each DIR has. Otherwise all, by name. The
# order is the order they start in: put the longest first.
#
# LKEY_TEST_WRAPPER, if set, is a command (split into words) each binary
# runs under, e.g. "sh tests/valgrind.sh"; its exit status is the binary's.
#
# Every binary works in its own temporary directory, with one exception:
# test_docs, test_pkgconfig and test_cmake run "make install" with B=DIR,
# which rewrites DIR/lkey.pc for the PREFIX each gives. Two of them at once
# could install each other's file, so those of one DIR never overlap;
# test_amalgamation runs make with B=DIR too (as test_cmake does), and
# waits its turn with them.
set -u

MAKE_TESTS="test_docs test_pkgconfig test_amalgamation test_cmake"

jobs=${LKEY_TEST_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
case $jobs in
'' | *[!0-9]* | 0)
	echo "run.sh: LKEY_TEST_JOBS must be a whole number above 0," \
	    "not '$jobs'" >&2
	exit 2
	;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lkey-run.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# The queue, one binary a line: index, lock ("-" for none), DIR, path.
n=0
queue() {
	[ -f "$2" ] && [ -x "$2" ] || return 0
	lock=-
	case " $MAKE_TESTS " in
	*" ${2##*/} "*) lock=make:$1 ;;
	esac
	n=$((n + 1))
	printf '%s\t%s\t%s\t%s\n' "$n" "$lock" "$1" "$2"
}
for dir in "$@"; do
	if [ -n "${LKEY_TESTS:-}" ]; then
		for name in $LKEY_TESTS; do
			queue "$dir" "$dir/tests/$name"
		done
	else
		for t in "$dir"/tests/test_*; do
			queue "$dir" "$t"
		done
	fi
done >"$tmp/queue"

# A finished binary writes its index here; reading it waits for one.
mkfifo "$tmp/done" || exit 1
exec 3<>"$tmp/done"

passed=0
failed=0
running=0
held=" "

# Starts the first queued binary whose lock is free; 1 if there is none.
start_next() {
	line=$(awk -F '\t' -v held="$held" \
	    '$2 == "-" || index(held, " " $2 " ") == 0 { print; exit }' \
	    "$tmp/queue")
	[ -n "$line" ] || return 1
	i=${line%%"	"*}
	rest=${line#*"	"}
	lock=${rest%%"	"*}
	rest=${rest#*"	"}
	dir=${rest%%"	"*}
	t=${rest#*"	"}
	awk -F '\t' -v i="$i" '$1 != i' "$tmp/queue" >"$tmp/queue.new"
	mv -f "$tmp/queue.new" "$tmp/queue"
	[ "$lock" = - ] || held="$held$lock "
	printf '%s\n' "$lock" >"$tmp/$i.lock"
	printf '%s\n' "$t" >"$tmp/$i.name"
	# The log takes what the shell says of a crash ("Segmentation
	# fault") too.
	(
		start=$(date +%s)
		# shellcheck disable=SC2086 # the wrapper is split into words
		LKEY_BUILD_DIR="$dir" ${LKEY_TEST_WRAPPER-} "$t" </dev/null 3>&-
		echo "$? $(($(date +%s) - start))" >"$tmp/$i.rc"
		echo "$i" >&3
	) >"$tmp/$i.log" 2>&1 &
	running=$((running + 1))
	return 0
}

# Prints binary $1's output and adds up its counts.
finish() {
	read -r rc secs <"$tmp/$1.rc"
	read -r t <"$tmp/$1.name"
	read -r lock <"$tmp/$1.lock"
	[ "$lock" = - ] || held="${held%%" $lock "*} ${held#*" $lock "}"
	echo "== $t ($secs s)"
	cat "$tmp/$1.log"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test.*/\1/p' \
	    "$tmp/$1.log" | awk '{s += $1} END {print s + 0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test.*/\1/p' \
	    "$tmp/$1.log" | awk '{s += $1} END {print s + 0}')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$t: exited with status $rc"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	running=$((running - 1))
}

while :; do
	while [ "$running" -lt "$jobs" ] && start_next; do
		:
	done
	[ "$running" -gt 0 ] || break
	read -r i <&3
	finish "$i"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
