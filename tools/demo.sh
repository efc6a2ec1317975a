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
in_days() { date -u -d "$today + $1 days" +%Y-%m-%d; }
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
	admin_only) code=18 ;; clock_rollback) code=21 ;;
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
set -- issue --secret "$sec" --catalog "$cat" --product timetracker \
    --edition professional --seats 25 --starts "$started" \
    --expires "$expires" --maintenance "$maint_end" \
    --features desktop,reports --serial 1001
printf '$ lkey-keygen %s\n' "$*"
key=$("$keygen" "$@") || { echo "demo: issuing failed"; exit 1; }
echo "$key"
echo "(${#key} characters: edition, seats, start, both expiries, serial, features)"

named=$("$keygen" issue --secret "$sec" --catalog "$cat" \
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
printf '%s\n' "$wrapped" | expect valid -- $v --users 22 -

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

echo
if [ "$failures" -ne 0 ]; then
	echo "demo: $failures step(s) did not give the expected verdict"
	exit 1
fi
echo "demo: every step gave the expected verdict"
