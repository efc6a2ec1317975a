#!/bin/sh
# Runs one test binary under valgrind's memcheck: sh tests/valgrind.sh
# TEST [ARG...]. tests/run.sh calls it for each binary when
# LKEY_TEST_WRAPPER="sh tests/valgrind.sh" (make test-valgrind).
#
# The programs the tests start (lkey-keygen, lkey-verify, also through
# "sh -c") are followed and checked as well. Every process writes its
# report to one log, not to its stderr, which the tests compare byte for
# byte; it writes through a pipe, which a file-size limit a test sets in a
# child (RLIMIT_FSIZE) does not cut short as it would a file. The log is
# checked afterwards: any error, or any program that ended without
# valgrind's summary (killed, or valgrind itself failed), fails the binary
# and that process's report is printed. The test output is shown
# unchanged; one line "valgrind: TEST: N processes, ..." follows it.
#
# Leaks that fail: "definite" and "indirect" (memory no pointer leads to
# any more, and what only that memory pointed to) and "possible" (only a
# pointer into the middle of a block is left: nothing in lkey or in the
# libraries it uses keeps such pointers, so here it is a leak too).
# "Still reachable" memory (a process that exits with blocks its globals
# still point to, as cmocka and the C library do) is not a leak.
set -u

if [ $# -lt 1 ]; then
	echo "usage: sh tests/valgrind.sh TEST [ARG...]" >&2
	exit 2
fi
if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind.sh: valgrind is not installed (apt-get install valgrind)" >&2
	exit 1
fi

name=$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log=$tmp/log
mkfifo "$tmp/pipe"
cat "$tmp/pipe" >"$log" &
reader=$!

# Not followed: system tools the tests start that are no part of lkey.
# strace, and what it starts, run natively: the tests count and fault a
# program's own system calls, not valgrind's. nm only reads our files;
# unshare starts lkey-verify, which other tests check under valgrind. The
# shell is followed, so that the programs test_batch starts through
# "sh -c" are checked too. The build and documentation tools that some
# tests start (make, the compiler, pkg-config, cmake, ldd, bash for the
# completion scripts, mandoc and groff for the manual pages) are no part of lkey
# either: they run natively, and so does everything they start. So do
# tests/doctest.sh, which runs the guides' commands (tar, awk and the rest)
# as a reader types them, and tests/demotest.sh, which runs make demo's
# transcript: the programs they start are checked by the other tests. No
# suppressions: none is needed.
skip='*/strace,*/nm,*/unshare,*/make,*/cc,*/gcc,*/gcc-*,*-gcc,*-gcc-*'
skip="$skip,*/pkg-config,*/bash,*/mandoc,*/groff,*/cmake,*/ldd"

start=$(date +%s)
valgrind --tool=memcheck --trace-children=yes \
	--trace-children-skip="$skip" \
	--trace-children-skip-by-arg='*doctest.sh,*demotest.sh' \
	--log-fd=9 --error-exitcode=1 \
	--leak-check=full --show-leak-kinds=definite,indirect,possible \
	--errors-for-leak-kinds=definite,indirect,possible \
	--num-callers=30 --vgdb=no \
	"$@" 9>"$tmp/pipe"
rc=$?
wait "$reader"
end=$(date +%s)

# Lines are "==PID== ...". A process's report starts with "Command:" (again
# after each exec; a child forked without exec has none) and ends with
# "ERROR SUMMARY: N errors"; a program whose report has no summary did not
# end normally. The processes counted are the summaries. Prints the reports
# of the processes that failed, then the one summary line; exits 1 if any
# did.
awk -v name="$name" -v secs=$((end - start)) '
function pid_of(line) {
	if (match(line, /^==[0-9]+==/))
		return substr(line, 3, RLENGTH - 4)
	return ""
}
{
	p = pid_of($0)
	if (p == "")
		next
	if (!(p in lines))
		order[++n] = p
	lines[p] = lines[p] $0 "\n"
	if ($0 ~ /^==[0-9]+== Command: /) {
		open[p] = 1
	} else if ($0 ~ /^==[0-9]+== ERROR SUMMARY: /) {
		open[p] = 0
		procs++
		split($0, f, " ")
		if (f[4] + 0 > 0) {
			bad[p] = 1
			errors += f[4]
		}
	}
}
END {
	for (i = 1; i <= n; i++) {
		p = order[i]
		if (open[p] == 1) {
			bad[p] = 1
			unfinished++
		}
		if (p in bad)
			printf "%s", lines[p]
	}
	printf "valgrind: %s: %d processes, %d errors, %d without a summary, " \
	    "%d s\n", name, procs, errors, unfinished, secs
	exit (errors > 0 || unfinished > 0)
}' "$log"
bad=$?

if [ "$rc" -ne 0 ]; then
	exit "$rc"
fi
exit "$bad"
