#!/bin/sh
# make demo: issue licence keys with the demo vendor key and check them the
# way a customer's application does, showing its licence screens. Each step
# states the verdict it expects; the demo fails if any step differs.
#
# Every command shown after "$ " is what ran, as typed from the top of the
# source tree (input given on standard input shown as <<'EOF' ... EOF),
# followed by exactly its output, standard error included: the transcript
# can be copied and run again in order, on the same day, for the same
# output. Its files are in $B/demo. tests/demotest.sh checks this: with
# LKEY_DEMO_MARKS set, a line "LKEY_DEMO_MARK STATUS" ends the output of
# each command shown.
set -u
B=${1:-build}
cd "$(dirname "$0")/.." || exit 1

keygen="$B/lkey-keygen"
verify="$B/lkey-verify"
sec=keys/demo-vendor.sec
pub=keys/demo-vendor.pub
cat=keys/catalog
dir=$B/demo
failures=0
input=

# Dates relative to today (UTC), so the screens show real days left.
today=$(date -u +%Y-%m-%d)
# day_after DAY N days|years: GNU date's -d, or the BSDs' and macOS's -v.
day_after() {
	case $3 in
	days) bsd=d ;;
	years) bsd=y ;;
	esac
	date -u -d "$1 $2 $3" +%Y-%m-%d 2>/dev/null ||
	    date -u -j -v"$2$bsd" -f %Y-%m-%d "$1" +%Y-%m-%d
}
in_days() {
	case $1 in
	-*) day_after "$today" "$1" days ;;
	*) day_after "$today" "+$1" days ;;
	esac
}
started=$(in_days -60)
expires=$(in_days 305)
maint_end=$(in_days 120)
newer_release=$(in_days 121)
older_release=$(in_days -30)

step() {
	printf '\n== %s\n' "$1"
}

# shq WORD: the word as the shell reads it back, quoted when it must be.
shq() {
	case $1 in
	'' | *[!A-Za-z0-9_./:=,+@%-]*)
		printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
	*) printf '%s' "$1" ;;
	esac
}

# typed WORD...: the command line that runs exactly these words.
typed() {
	line=
	for w in "$@"; do
		line="$line${line:+ }$(shq "$w")"
	done
	printf '%s' "$line"
}

# mark STATUS: the end of a shown command's output, for tests/demotest.sh.
mark() {
	if [ -n "${LKEY_DEMO_MARKS:-}" ]; then
		printf 'LKEY_DEMO_MARK %d\n' "$1"
	fi
}

# shown [--to FILE] WORD...: show the command, run it (its output to FILE
# with --to), and mark its end; its exit status is the command's.
shown() {
	to=
	if [ "$1" = --to ]; then
		to=$2
		shift 2
	fi
	if [ -n "$to" ]; then
		printf '$ %s > %s\n' "$(typed "$@")" "$(shq "$to")"
		# Errors to the transcript, the output to the file.
		# shellcheck disable=SC2069
		"$@" 2>&1 >"$to"
	else
		printf '$ %s\n' "$(typed "$@")"
		"$@" 2>&1
	fi
	rc=$?
	mark "$rc"
	return "$rc"
}

# expect STATUS -- lkey-verify arguments...: run it, show its output, and
# compare the verdict (its exit code) with the one expected. With $input
# set, that text is its standard input (the last argument is then -).
expect() {
	want=$1
	shift 2
	if [ -n "$input" ]; then
		printf "\$ %s <<'EOF'\n%s\nEOF\n" "$(typed "$verify" "$@")" \
		    "$input"
		printf '%s\n' "$input" | "$verify" "$@" 2>&1
	else
		printf '$ %s\n' "$(typed "$verify" "$@")"
		"$verify" "$@" 2>&1
	fi
	rc=$?
	input=
	mark "$rc"
	case $want in
	valid) code=0 ;; malformed) code=10 ;; unknown_key) code=11 ;;
	bad_signature) code=12 ;; wrong_product) code=13 ;;
	not_yet_valid) code=14 ;; expired) code=15 ;;
	maintenance_lapsed) code=16 ;; seats_exceeded) code=17 ;;
	admin_only) code=18 ;; host_mismatch) code=19 ;; revoked) code=20 ;;
	clock_rollback) code=21 ;; revocations_outdated) code=22 ;;
	kept) code=3 ;; refused) code=4 ;;
	*) code=255 ;;
	esac
	if [ "$rc" -eq "$code" ]; then
		printf -- '-> %s (exit %d), as expected\n' "$want" "$rc"
	else
		printf -- '-> exit %d, but %s (exit %d) was expected\n' "$rc" \
		    "$want" "$code"
		failures=$((failures + 1))
	fi
}

echo "lkey demo: the vendor key in keys/ is a public DEMO key; never use it"
echo "for real licences. Today is $today (UTC). Its files go to $dir."
shown rm -rf "$dir" && shown mkdir "$dir" || exit 1

step "1. The vendor issues a licence key: TimeTracker Professional, 25 seats"
key=$(shown "$keygen" issue --secret "$sec" --no-ledger --catalog "$cat" \
    --product timetracker --edition professional --seats 25 \
    --starts "$started" --expires "$expires" --maintenance "$maint_end" \
    --features desktop,reports --serial 1001) ||
    { printf '%s\n' "$key"; echo "demo: issuing failed"; exit 1; }
printf '%s\n' "$key"
key=$(printf '%s\n' "$key" | sed -n 2p)
echo "(${#key} characters: edition, seats, start, both expiries, serial, features;"
echo " 8 of them sign that desktop runs only while maintenance does, as the"
echo " catalog marks it)"

named=$("$keygen" issue --secret "$sec" --no-ledger --catalog "$cat" \
    --product timetracker --edition enterprise --seats unlimited \
    --starts "$started" --expires never --maintenance "$maint_end" \
    --licensee "Example Manufacturing GmbH" --serial 1002) ||
    { echo "demo: issuing failed"; exit 1; }

v="--pubkey $pub --catalog $cat --product timetracker"

step "2. The application checks it at sign-in: 22 of 25 users active"
# shellcheck disable=SC2086
expect valid -- $v --users 22 "$key"

step "3. The key arrives wrapped in an e-mail: line breaks do not matter"
wrapped=$(printf '%s\n' "$key" | fold -w 40)
input=$wrapped
# shellcheck disable=SC2086
expect valid -- $v --users 22 -

step "4. 26 users for 25 licences: an administrator still gets in"
# shellcheck disable=SC2086
expect admin_only -- $v --users 26 --admin "$key"

step "5. 26 users for 25 licences: everybody else"
# shellcheck disable=SC2086
expect seats_exceeded -- $v --users 26 "$key"

step "6. A perpetual enterprise licence whose maintenance ends on $maint_end"
echo "A release built before the end of maintenance keeps working:"
# shellcheck disable=SC2086
expect valid -- $v --users 140 --release "$older_release" "$named"
echo
echo "A release built after it is refused:"
# shellcheck disable=SC2086
expect maintenance_lapsed -- $v --release "$newer_release" "$named"

step "7. The same check for a script: JSON"
# shellcheck disable=SC2086
expect valid -- $v --users 22 --json "$key"

step "8. One character of the key changed"
c=$(printf '%s' "$key" | cut -c60)
if [ "$c" = A ]; then r=B; else r=A; fi
tampered=$(printf '%s' "$key" | awk -v r="$r" '{ print substr($0, 1, 59) r substr($0, 61) }')
# shellcheck disable=SC2086
expect bad_signature -- $v "$tampered"

step "9. The licence a year from now"
# shellcheck disable=SC2086
expect expired -- $v --today "$(in_days 400)" "$key"

issue() {
	"$keygen" issue --secret "$sec" --no-ledger --catalog "$cat" "$@" ||
	    { echo "demo: issuing failed"; exit 1; }
}

step "10. TimeLog's rule: seven days to buy more licences"
grace=$(issue --product timetracker --edition professional --seats 25 \
    --starts "$started" --expires "$expires" --maintenance "$maint_end" \
    --grace-days 7 --serial 1003)
echo "A key with --grace-days 7; 26 users since $(in_days -3):"
# shellcheck disable=SC2086
expect valid -- $v --users 26 --over-since "$(in_days -3)" "$grace"
echo
echo "Still 26 users, since $(in_days -7): the grace period is over"
# shellcheck disable=SC2086
expect seats_exceeded -- $v --users 26 --over-since "$(in_days -7)" "$grace"

step "11. Maintenance ended: the product runs, the desktop add-on does not"
lapsed=$(issue --product timetracker --edition professional --seats 25 \
    --starts "$started" --expires "$expires" --maintenance "$(in_days -10)" \
    --features desktop,reports --serial 1004)
# shellcheck disable=SC2086
expect valid -- $v --users 10 "$lapsed"

step "12. Add-on modules with their own seats: payroll for 10 employees"
# One user too many in payroll: the module is unavailable and named, the
# product itself stays valid (its own 25 seats cover 20 users).
modules=$(issue --product timelog --edition professional --seats 25 \
    --starts "$started" --expires "$expires" --maintenance "$maint_end" \
    --features reports,payroll --module-seats payroll=10 --serial 1005)
# shellcheck disable=SC2086
expect valid -- --pubkey $pub --catalog $cat --product timelog \
    --users 20 --module-users payroll=11 "$modules"

step "13. The licence ends in 20 days: a warning, still valid"
ending=$(issue --product timetracker --edition basic --seats 5 \
    --starts "$started" --expires "$(in_days 19)" \
    --maintenance "$(in_days 19)" --serial 1006)
# shellcheck disable=SC2086
expect valid -- $v "$ending"

step "14. Everything wrong at once: every problem is listed"
# shellcheck disable=SC2086
expect expired -- $v --today "$(in_days 400)" --release "$newer_release" \
    --users 30 "$key"

step "15. Registering keys, as a product's Register Licence button does"
newer=$(issue --product timetracker --edition professional --seats 30 \
    --starts "$started" --expires "$expires" --maintenance "$maint_end" \
    --features desktop,reports --serial 1007)
echo "Register the 25-seat key (pasted with line breaks) in licence.key:"
input=$wrapped
# shellcheck disable=SC2086
expect valid -- $v --install "$dir/licence.key" -
echo
echo "Register the 30-seat key that replaces it:"
# shellcheck disable=SC2086
expect valid -- $v --install "$dir/licence.key" "$newer"
echo
echo "Register the old 25-seat key again: refused, the stored key is newer"
# shellcheck disable=SC2086
expect kept -- $v --install "$dir/licence.key" "$key"
echo
echo "licence.key now holds the 30-seat key, licence.key.prev the 25-seat one:"
if [ "$(cat "$dir/licence.key")" = "$newer" ] &&
    [ "$(cat "$dir/licence.key.prev")" = "$key" ]; then
	echo "(checked)"
else
	echo "demo: licence.key is wrong"
	failures=$((failures + 1))
fi

step "16. The vendor revokes key 1001 (refunded); the list ships with an update"
shown --to "$dir/revoked.lkr" "$keygen" revoke --secret "$sec" --no-ledger \
    --serials 1001 --sequence 1 || { echo "demo: revoke failed"; exit 1; }
shown cat "$dir/revoked.lkr"
# shellcheck disable=SC2086
expect revoked -- $v --revocations "$dir/revoked.lkr" "$key"
echo
echo "The same list with character 31 of its key line changed is refused,"
echo "not ignored:"
shown --to "$dir/altered.lkr" sed '2s/^\(.\{30\}\)A/\1B/' "$dir/revoked.lkr"
# shellcheck disable=SC2086
expect refused -- $v --revocations "$dir/altered.lkr" "$key"

step "17. A node-locked key: valid on this computer only"
echo "This computer's host id for TimeTracker:"
if host=$(shown "$verify" --host-id --product timetracker --catalog "$cat")
then
	printf '%s\n' "$host"
	host=$(printf '%s\n' "$host" | sed -n 2p)
else
	printf '%s\n' "$host"
	host=0123456789abcdef
	echo "(none here: the demo goes on with $host)"
fi
locked=$(issue --product timetracker --edition professional --seats 5 \
    --starts "$started" --expires "$expires" --maintenance "$maint_end" \
    --serial 1008 --host "$host")
# shellcheck disable=SC2086
expect valid -- $v --host "$host" "$locked"
echo
echo "Copied to another computer:"
# shellcheck disable=SC2086
expect host_mismatch -- $v --host fedcba9876543210 "$locked"

step "18. The clock guard: the clock set back a week after two checks"
# One check alone confirms no day (a clock wrongly far ahead must not lock
# out later checks); two checks close together do.
# shellcheck disable=SC2086
expect valid -- $v --state "$dir/state" --today "$(in_days -1)" "$key"
# shellcheck disable=SC2086
expect valid -- $v --state "$dir/state" --today "$today" "$key"
echo "The state file now holds today, confirmed:"
shown cat "$dir/state"
# shellcheck disable=SC2086
expect clock_rollback -- $v --state "$dir/state" --today "$(in_days -7)" \
    "$key"

step "19. A licence store: a renewal registered weeks ahead takes over"
store=$dir/store
renewal=$(issue --product timetracker --edition professional --seats 25 \
    --starts "$(day_after "$expires" +1 days)" \
    --expires "$(day_after "$expires" +1 years)" \
    --maintenance "$(day_after "$expires" +1 years)" \
    --features desktop,reports --serial 1009)
echo "Register the licence in force, pasted from an e-mail:"
input="Dear customer,

thank you for your order. Your licence key:

> $(printf '%s' "$key" | cut -c1-60)
> $(printf '%s' "$key" | cut -c61-)

-- 
Sales, Example Software"
# shellcheck disable=SC2086
expect valid -- $v --store "$store" --register -
echo
echo "Register the renewal, weeks before the licence ends: kept as pending"
# shellcheck disable=SC2086
expect valid -- $v --store "$store" --register "$renewal"
echo
echo "The day after the old licence ends, with nobody acting:"
# shellcheck disable=SC2086
expect valid -- $v --store "$store" --today \
    "$(day_after "$expires" +1 days)"

step "20. A mistyped key: where the typo probably is"
typo=$(printf '%s' "$key" | awk '{ c = substr($0, 41, 1);
    r = c == "A" ? "B" : "A"; print substr($0, 1, 40) r substr($0, 42) }')
# shellcheck disable=SC2086
expect bad_signature -- $v "$typo"

step "21. CI: every sample key against the verdict it must give"
shown --to "$dir/check" "$verify" --check keys/samples/MANIFEST
rc=$?
# shellcheck disable=SC2016 # sed's $, the last line
shown sed -n '1,3p;$p' "$dir/check"
if [ "$rc" -ne 0 ]; then
	cat "$dir/check"
	echo "-> FAIL: a sample key did not give its verdict"
	failures=$((failures + 1))
fi

echo
if [ "$failures" -ne 0 ]; then
	echo "demo: $failures step(s) did not give the expected verdict"
	exit 1
fi
echo "demo: every step gave the expected verdict"
