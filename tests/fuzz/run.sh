#!/bin/sh
# Runs fuzz targets built by tests/fuzz/fuzz.mk, one after the other, and
# ends with a table: executions, executions per second, corpus files before
# and after, and what was found.
#
#   sh tests/fuzz/run.sh FUZZ_BUILD_DIR SECONDS NAME:MAX_LEN...
#
# Each target runs on FUZZ_BUILD_DIR/corpus/NAME, which gets the seeds of
# tests/fuzz/corpus/NAME and tests/fuzz/crashes/NAME and keeps what the
# fuzzer adds from run to run. SECONDS 0 runs every input of it once. A
# crash, leak, timeout or broken check leaves the input as
# FUZZ_BUILD_DIR/NAME-crash-... (libFuzzer's names), the log as
# FUZZ_BUILD_DIR/NAME.log, and makes the exit status 1.
set -u

if [ $# -lt 3 ]; then
	echo "usage: run.sh FUZZ_BUILD_DIR SECONDS NAME:MAX_LEN..." >&2
	exit 2
fi
fb=$1
secs=$2
shift 2
case $secs in
'' | *[!0-9]*)
	echo "fuzz: FUZZ_SECONDS must be a whole number of seconds, not" \
	    "'$secs'" >&2
	exit 2
	;;
esac

# The secret key and ledger targets write each input to a scratch file
# under $TMPDIR: on a memory file system that is several times faster.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TMPDIR=/dev/shm
	export TMPDIR
fi

# UBSan stops at the first error (the build says so too) with a stack.
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
export UBSAN_OPTIONS

table=$(mktemp)
trap 'rm -f "$table"' EXIT
found=0
start=$(date +%s)

files() {
	find "$1" -type f | wc -l | tr -d ' '
}

# The value of libFuzzer's final statistic $1 in log $2, or "-".
stat() {
	v=$(sed -n "s/^stat::$1: *//p" "$2" | tail -n 1)
	echo "${v:--}"
}

for t in "$@"; do
	name=${t%%:*}
	maxlen=${t#*:}
	bin=$fb/fuzz_$name
	corpus=$fb/corpus/$name
	log=$fb/$name.log
	mkdir -p "$corpus"
	for seeds in "tests/fuzz/corpus/$name" "tests/fuzz/crashes/$name"; do
		if [ -d "$seeds" ]; then
			find "$seeds" -type f -exec cp {} "$corpus"/ \;
		fi
	done
	before=$(files "$corpus")
	if [ "$secs" -eq 0 ]; then
		how=-runs=0
	else
		how=-max_total_time=$secs
	fi
	"$bin" "$how" -max_len="$maxlen" -timeout=10 -print_final_stats=1 \
	    -artifact_prefix="$fb/$name-" "$corpus" >"$log" 2>&1
	rc=$?
	execs=$(stat number_of_executed_units "$log")
	rate=$(stat average_exec_per_sec "$log")
	after=$(files "$corpus")
	if [ "$rc" -eq 0 ]; then
		result=ok
		detail=ok
	else
		found=1
		# A broken check says which; else the sanitizer's summary.
		what=$(grep -m 1 'check failed' "$log" ||
		    grep -m 1 '^SUMMARY: ' "$log" ||
		    grep -m 1 'ERROR: ' "$log")
		input=$(sed -n 's/.*Test unit written to *//p' "$log" |
		    tail -n 1)
		result="FOUND: ${input:-see $log}"
		detail="FOUND (exit $rc): ${what:-see $log}"
		detail="$detail; input ${input:-not saved}; log $log"
	fi
	echo "fuzz: $name: $execs executions, $rate exec/s, corpus" \
	    "$before -> $after files: $detail"
	printf '%-10s %12s %8s %7s -> %-7s %s\n' "$name" "$execs" "$rate" \
	    "$before" "$after" "$result" >>"$table"
done

echo
printf '%-10s %12s %8s %18s %s\n' target executions exec/s "corpus files" \
    result
cat "$table"
echo "fuzz: $# targets in $(($(date +%s) - start)) s"
exit "$found"
