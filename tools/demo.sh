#!/bin/sh
# make demo: issue licence keys with the demo vendor key and check them the
# way a customer's application does, showing its licence screens. Each step
# states the verdict it expects; the demo fails if any step differs.
set -u
B=${1:-build}
cd "$(dirname "$0")/.."

keygen="$B/lkey-keygen"
verify="$B/lkey-verify"
sec=keys/demo-vendor.sec
pub=keys/demo-vendor.pub
cat=keys/catalog
failures=0

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

# expect STATUS -- lkey-verify arguments...: run it, show its output, and
# compare the verdict (its exit code) with the one expected.
expect() {
	want=$1
	shift 2
	printf '$ lkey-verify %s\n' "$*" | sed "s|$B/||g"
	"$verify" "$@"
	rc=$?
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
echo "for real licences. Today is $today (UTC)."

step "1. The vendor issues a licence key: TimeTracker Professional, 25 seats"
set -- issue --secret "$sec" --no-ledger --catalog "$cat" --product timetracker \
    --edition professional --seats 25 --starts "$started" \
    --expires "$expires" --maintenance "$maint_end" \
    --features desktop,reports --serial 1001
printf '$ lkey-keygen %s\n' "$*"
key=$("$keygen" "$@") || { echo "demo: issuing failed"; exit 1; }
echo "$key"
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
printf '%s\n' "$wrapped"
# shellcheck disable=SC2086
expect valid -- $v --users 22 - <<EOF
$wrapped
EOF

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
expect bad_signature -- $v "$tampered" 2>&1

step "9. The licence a year from now"
# shellcheck disable=SC2086
expect expired -- $v --today "$(in_days 400)" "$key" 2>&1

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
expect seats_exceeded -- $v --users 26 --over-since "$(in_days -7)" "$grace" 2>&1

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
    --users 20 --module-users payroll=11 "$modules" 2>&1

step "13. The licence ends in 20 days: a warning, still valid"
ending=$(issue --product timetracker --edition basic --seats 5 \
    --starts "$started" --expires "$(in_days 19)" \
    --maintenance "$(in_days 19)" --serial 1006)
# shellcheck disable=SC2086
expect valid -- $v "$ending"

step "14. Everything wrong at once: every problem is listed"
# shellcheck disable=SC2086
expect expired -- $v --today "$(in_days 400)" --release "$newer_release" \
    --users 30 "$key" 2>&1

step "15. Registering keys, as a product's Register Licence button does"
# Under the build directory, so that the paths shown are short.
dir=$B/demo-register
rm -rf "$dir" && mkdir -p "$dir" || exit 1
newer=$(issue --product timetracker --edition professional --seats 30 \
    --starts "$started" --expires "$expires" --maintenance "$maint_end" \
    --features desktop,reports --serial 1007)
echo "Register the 25-seat key (pasted with line breaks) in licence.key:"
# shellcheck disable=SC2086
expect valid -- $v --install "$dir/licence.key" - <<EOF
$wrapped
EOF
echo
echo "Register the 30-seat key that replaces it:"
# shellcheck disable=SC2086
expect valid -- $v --install "$dir/licence.key" "$newer"
echo
echo "Register the old 25-seat key again: refused, the stored key is newer"
# shellcheck disable=SC2086
expect kept -- $v --install "$dir/licence.key" "$key" 2>&1
echo
echo "licence.key now holds the 30-seat key, licence.key.prev the 25-seat one:"
[ "$(cat "$dir/licence.key")" = "$newer" ] &&
    [ "$(cat "$dir/licence.key.prev")" = "$key" ] &&
    echo "(checked)" || { echo "demo: licence.key is wrong"; failures=$((failures + 1)); }
rm -rf "$dir"

step "16. The vendor revokes key 1001 (refunded); the list ships with an update"
dir=$B/demo-guard
rm -rf "$dir" && mkdir -p "$dir" || exit 1
printf '$ lkey-keygen revoke --secret %s --no-ledger --serials 1001 --sequence 1 > revoked.lkr\n' "$sec"
"$keygen" revoke --secret "$sec" --no-ledger --serials 1001 --sequence 1 \
    >"$dir/revoked.lkr" || { echo "demo: revoke failed"; exit 1; }
cat "$dir/revoked.lkr"
# shellcheck disable=SC2086
expect revoked -- $v --revocations "$dir/revoked.lkr" "$key" 2>&1
echo
echo "The same list with one character changed is refused, not ignored:"
awk 'NR == 2 { c = substr($0, 31, 1) == "A" ? "B" : "A";
    $0 = substr($0, 1, 30) c substr($0, 32) } { print }' \
    "$dir/revoked.lkr" >"$dir/altered.lkr"
# shellcheck disable=SC2086
expect refused -- $v --revocations "$dir/altered.lkr" "$key" 2>&1

step "17. A node-locked key: valid on this computer only"
host=$("$verify" --host-id --product timetracker --catalog "$cat" 2>/dev/null ||
    echo 0123456789abcdef)
echo "This computer's host id for TimeTracker: $host"
locked=$(issue --product timetracker --edition professional --seats 5 \
    --starts "$started" --expires "$expires" --maintenance "$maint_end" \
    --serial 1008 --host "$host")
# shellcheck disable=SC2086
expect valid -- $v --host "$host" "$locked"
echo
echo "Copied to another computer:"
# shellcheck disable=SC2086
expect host_mismatch -- $v --host fedcba9876543210 "$locked" 2>&1

step "18. The clock guard: the clock set back a week after two checks"
# One check alone confirms no day (a clock wrongly far ahead must not lock
# out later checks); two checks close together do.
# shellcheck disable=SC2086
expect valid -- $v --state "$dir/state" --today "$(in_days -1)" "$key" |
    grep -e '^\$ ' -e '^Status' -e '^->'
# shellcheck disable=SC2086
expect valid -- $v --state "$dir/state" --today "$today" "$key" |
    grep -e '^\$ ' -e '^Status' -e '^->'
echo "The state file now holds today, confirmed:"
cat "$dir/state"
# shellcheck disable=SC2086
expect clock_rollback -- $v --state "$dir/state" --today "$(in_days -7)" \
    "$key" 2>&1

step "19. A licence store: a renewal registered weeks ahead takes over"
store=$dir/store
renewal=$(issue --product timetracker --edition professional --seats 25 \
    --starts "$(day_after "$expires" +1 days)" \
    --expires "$(day_after "$expires" +1 years)" \
    --maintenance "$(day_after "$expires" +1 years)" \
    --features desktop,reports --serial 1009)
echo "Register the licence in force, pasted from an e-mail:"
# shellcheck disable=SC2086
expect valid -- $v --store "$store" --register - <<EOF
Dear customer,

thank you for your order. Your licence key:

> $(printf '%s' "$key" | cut -c1-60)
> $(printf '%s' "$key" | cut -c61-)

-- 
Sales, Example Software
EOF
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
expect bad_signature -- $v "$typo" 2>&1

step "21. CI: every sample key against the verdict it must give"
echo "\$ lkey-verify --check keys/samples/MANIFEST"
if "$verify" --check keys/samples/MANIFEST >"$dir/check" 2>&1; then
	sed -n '1,3p' "$dir/check"
	echo "..."
	tail -n 1 "$dir/check"
else
	cat "$dir/check"
	echo "-> FAIL: a sample key did not give its verdict"
	failures=$((failures + 1))
fi
rm -rf "$dir"

echo
if [ "$failures" -ne 0 ]; then
	echo "demo: $failures step(s) did not give the expected verdict"
	exit 1
fi
echo "demo: every step gave the expected verdict"
