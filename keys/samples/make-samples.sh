#!/bin/sh
# Regenerates the sample keys in keys/samples with the demo vendor key (run
# through "make samples" after a change of the key format). MANIFEST says
# what each must give on its fixed date; "make test" checks them all.
set -eu
B=${1:-build}
cd "$(dirname "$0")/../.."
S=keys/samples
keygen="$B/lkey-keygen"
issue() {
	out=$1
	shift
	"$keygen" issue --secret keys/demo-vendor.sec --no-ledger --catalog keys/catalog "$@" >"$S/$out.tmp"
	mv "$S/$out.tmp" "$S/$out"
}
# Replace character $2 (1-based) of a key with $3.
respell() {
	awk -v p="$2" -v c="$3" '{ print substr($0, 1, p - 1) c substr($0, p + 1) }' "$S/$1"
}

std="--product timetracker --edition professional --seats 25 --features desktop,reports"
issue valid.key $std --starts 2027-01-01 --expires 2027-12-31 --maintenance 2027-12-31 --serial 1001 --licensee "Example Manufacturing GmbH"
issue perpetual.key --product timetracker --edition basic --seats unlimited --starts 2025-01-01 --expires never --maintenance 2026-12-31 --serial 1002
issue last-day.key $std --starts 2027-01-01 --expires 2027-06-15 --maintenance 2027-06-15 --serial 1003
issue timelog.key --product timelog --edition enterprise --seats 10 --starts 2027-01-01 --expires 2027-12-31 --maintenance 2027-12-31 --serial 1004
issue next-period.key $std --starts 2027-07-01 --expires 2028-06-30 --maintenance 2028-06-30 --serial 1005
issue expired.key $std --starts 2026-06-15 --expires 2027-06-14 --maintenance 2027-06-14 --serial 1006
issue maintenance-ended.key $std --starts 2026-04-01 --expires never --maintenance 2027-03-31 --serial 1007
issue grace.key $std --starts 2027-01-01 --expires 2027-12-31 --maintenance 2027-12-31 --serial 1009 --grace-days 7
issue modules.key --product timelog --edition professional --seats 25 --features reports,payroll --module-seats payroll=10 --starts 2027-01-01 --expires 2027-12-31 --maintenance 2027-12-31 --serial 1010
issue trial.key --product timetracker --edition enterprise --seats 5 --features desktop,reports --trial --starts 2027-06-01 --expires 2027-06-30 --maintenance 2027-06-30 --serial 1011
issue host.key $std --starts 2027-01-01 --expires 2027-12-31 --maintenance 2027-12-31 --serial 1012 --host 0123456789abcdef
issue revoked.key $std --starts 2027-01-01 --expires 2027-12-31 --maintenance 2027-12-31 --serial 1013

# A revocation list that revokes revoked.key.
"$keygen" revoke --secret keys/demo-vendor.sec --no-ledger --serials 1013 --sequence 1 --issued 2026-11-20 >"$S/revoked.lkr.tmp"
mv "$S/revoked.lkr.tmp" "$S/revoked.lkr"

respell valid.key 40 '!' >"$S/junk.key"
cut -c1-100 "$S/valid.key" >"$S/truncated.key"
c=$(cut -c100 "$S/valid.key")
if [ "$c" = A ]; then n=B; else n=A; fi
respell valid.key 100 "$n" >"$S/bad-signature.key"

# A key signed by a vendor key the demo public key does not know.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$keygen" init --out "$tmp/other" --no-passphrase >/dev/null
"$keygen" issue --secret "$tmp/other/vendor.sec" --catalog keys/catalog $std --starts 2027-01-01 --expires 2027-12-31 --maintenance 2027-12-31 --serial 1008 >"$S/other-vendor.key"
echo "sample keys written to $S"
