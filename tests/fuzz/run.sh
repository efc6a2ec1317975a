#!/bin/sh
# Runs fuzz targets built by tests/fuzz/fuzz.mk, FUZZ_JOBS at a time
# (default: the online processors; each target is one process), and ends
# with a table: executions, executions per second, corpus files before and
# after, and what was found.
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
TMPDIR=${TMPDIR:-/tmp}

jobs=${FUZZ_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
case $jobs in
'' | *[!0-9]* | 0)
	echo "fuzz: FUZZ_JOBS must be a whole number above 0, not '$jobs'" >&2
	exit 2
	;;
esac

tmp=$(mktemp -d "${TMPDIR}/lkey-fuzzrun.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
start=$(date +%s)

files() {
	find "$1" -type f | wc -l | tr -d ' '
}

# The value of libFuzzer's final statistic $1 in log $2, or "-".
stat() {
	v=$(sed -n "s/^stat::$1: *//p" "$2" | tail -n 1)
	echo "${v:--}"
}

# Runs target $1 (NAME:MAX_LEN); leaves its summary line in $tmp/NAME.line,
# its table row in $tmp/NAME.row, and $tmp/NAME.found if it found anything.
fuzz_one() {
	name=${1%%:*}
	maxlen=${1#*:}
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
		: >"$tmp/$name.found"
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
	    "$before -> $after files: $detail" >"$tmp/$name.line"
	printf '%-10s %12s %8s %7s -> %-7s %s\n' "$name" "$execs" "$rate" \
	    "$before" "$after" "$result" >"$tmp/$name.row"
}

# A target that ends writes its name here; reading it waits for one.
mkfifo "$tmp/done" || exit 1
exec 3<>"$tmp/done"
running=0
for t in "$@"; do
	if [ "$running" -ge "$jobs" ]; then
		read -r done <&3
		cat "$tmp/$done.line"
		running=$((running - 1))
	fi
	(
		fuzz_one "$t" 3>&-
		echo "${t%%:*}" >&3
	) &
	running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
	read -r done <&3
	cat "$tmp/$done.line"
	running=$((running - 1))
done

found=0
echo
printf '%-10s %12s %8s %18s %s\n' target executions exec/s "corpus files" \
    result
for t in "$@"; do
	cat "$tmp/${t%%:*}.row"
	[ ! -e "$tmp/${t%%:*}.found" ] || found=1
done
echo "fuzz: $# targets in $(($(date +%s) - start)) s, $jobs at a time"
exit "$found"
