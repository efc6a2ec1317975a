#!/bin/sh
# make bench: measures and reports, side by side in one run, what issuing
# and checking a licence key costs against raw libsodium, and how big the
# customer-side code is (docs/PERFORMANCE.md). It reports targets as met or
# NOT met; it fails only when it cannot measure (exit 1), and when the
# 100 000-order batch of section 5 does not give the keys it must.
set -u
B=${1:-build}
cd "$(dirname "$0")/.."

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lkey-bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

kib() { awk -v n="$1" 'BEGIN { printf "%.1f KiB", n / 1024 }'; }
verdict() { if [ "$1" -le "$2" ]; then echo met; else echo "NOT met"; fi; }

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
cores=$(grep -c '^processor' /proc/cpuinfo)
sodium=$(pkg-config --modversion libsodium 2>/dev/null || echo unknown)
echo "lkey benchmark (make bench; see docs/PERFORMANCE.md)"
echo "machine:   ${cpu:-unknown CPU}, $cores cores (online: $(nproc)), nothing pinned"
echo "system:    $(uname -sr), libsodium $sodium, $(date -u +%Y-%m-%d)"
echo "temp dir:  $tmp ($(stat -f -c %T "$tmp"))"
echo "figures:   mean +/- sample standard deviation over the repetitions"

"$B/bench/bench" "$B" "$tmp" || exit 1

# ---- 4. sizes and symbols --------------------------------------------------
lib="$B/liblkey.so"
echo
echo "4. Sizes and symbols"
text=$(size -A "$lib" | awk '$1 == ".text" { print $2 }')
btext=$(size "$lib" | awk 'NR == 2 { print $1 }')
printf '   %-50s %8s bytes  %s\n' "liblkey.so .text section" "$text" "$(kib "$text")"
printf '   %-50s %8s bytes  %s\n' "liblkey.so text (size, Berkeley)" "$btext" "$(kib "$btext")"
echo "     Berkeley text = .text + .rodata + .eh_frame + .plt + dynamic-link tables"
echo "   target liblkey code (.text) <= 16 KiB : $(kib "$text") : $(verdict "$text" 16384)"
echo "   target liblkey code (Berkeley text) <= 16 KiB : $(kib "$btext") : $(verdict "$btext" 16384)"
# The .text of liblkey's parts (its objects, as liblkey.a holds them): the
# single check an application needs, pasted text and typo location, and
# the licence store. An application linking liblkey.a carries only the
# parts it calls.
part_text() {
	for o in "$@"; do size -A "$o"; done |
	    awk '$1 == ".text" { t += $2 } END { print t + 0 }'
}
o=$B/obj/verify
paste=$(part_text "$o/lib/paste.o" "$o/lib/detail.o" "$o/lib/suggest.o")
core=$(( $(part_text "$o"/lib/*.o) - paste ))
store=$(part_text "$o"/store/*.o)
printf '   %-50s %8s bytes  %s\n' "  .text of the single check (verify/lib)" "$core" "$(kib "$core")"
printf '   %-50s %8s bytes  %s\n' "  .text of pasted text and typo location" "$paste" "$(kib "$paste")"
printf '   %-50s %8s bytes  %s\n' "  .text of the licence store (verify/store)" "$store" "$(kib "$store")"
echo "   target single check (.text) <= 16 KiB : $(kib "$core") : $(verdict "$core" 16384)"

strip -o "$tmp/lkey-verify" "$B/lkey-verify" || exit 1
vsize=$(wc -c < "$tmp/lkey-verify" | tr -d ' ')
vbtext=$(size "$tmp/lkey-verify" | awk 'NR == 2 { print $1 }')
printf '   %-50s %8s bytes  %s\n' "lkey-verify stripped, file size" "$vsize" "$(kib "$vsize")"
printf '   %-50s %8s bytes  %s\n' "lkey-verify text (size, Berkeley)" "$vbtext" "$(kib "$vbtext")"
echo "   target lkey-verify stripped <= 64 KiB : $(kib "$vsize") : $(verdict "$vsize" 65536)"

# liblkey exports lkey_* only, and imports nothing that signs or handles a
# secret key.
exports=$(nm -D --defined-only "$lib" | awk '{ print $3 }' |
	grep -v '^lkey_' | grep -v '^_init$' | grep -v '^_fini$' | tr '\n' ' ')
imports=$(nm -D --undefined-only "$lib" | awk '{ print $2 }' |
	grep -E '^(crypto_sign_detached|crypto_sign_keypair|crypto_sign_seed_keypair|crypto_sign$|crypto_pwhash|crypto_aead)' |
	tr '\n' ' ')
nexp=$(nm -D --defined-only "$lib" | awk '$3 ~ /^lkey_/' | wc -l | tr -d ' ')
echo "   liblkey.so exports: $nexp lkey_* symbols${exports:+, others: $exports}"
echo "   liblkey.so signing/secret-key imports: ${imports:-none}"
if [ -z "$exports" ] && [ -z "$imports" ]; then r=met; else r="NOT met"; fi
echo "   target liblkey.so exports only lkey_*, imports no signing : $r"

# lkey-verify (unstripped) holds no vendor code: keygen/lib/issue.c (lkey_issue),
# keygen/lib/sign.c (sign_*), keygen/lib/keyfile.c (keyfile_*). crypto_sign_verify_*
# is verification, so sign_ is matched at the start of a name only.
vendor=$(nm "$B/lkey-verify" | awk '{ print $NF }' |
	grep -E '^(lkey_issue|lkey_vendor_|sign_|keyfile_)' | tr '\n' ' ')
vimports=$(nm -u "$B/lkey-verify" | awk '{ print $NF }' |
	grep -E '^(crypto_sign_detached|crypto_sign_keypair|crypto_sign_seed_keypair|crypto_pwhash|crypto_aead)' |
	tr '\n' ' ')
echo "   lkey-verify vendor symbols (lkey_issue, sign_*, keyfile_*): ${vendor:-none}"
echo "   lkey-verify signing/secret-key imports: ${vimports:-none}"
if [ -z "$vendor" ] && [ -z "$vimports" ]; then r=met; else r="NOT met"; fi
echo "   target lkey-verify has no signing or secret-key code : $r"

# ---- 5. one batch of 100 000 orders ----------------------------------------
# Timed and checked by bench/bigbatch.c. tests/test_batch.c checks the same
# on 2 000 orders: 100 000 take the suite under valgrind some 18 minutes.
"$B/bench/bigbatch" "$B" "$tmp" || exit 1

# ---- 6. instructions: lkey-verify against bench/minimal --------------------
# Instructions counted by callgrind, start to exit (the dynamic loader,
# libc and sodium_init included, on both sides): unlike the wall time of
# section 3 they do not depend on the machine's load, so one run each is
# the figure. The key is the one section 3 checks, over the same bytes as
# bench/minimal verifies.
echo
echo "6. Instructions of one check, start to exit (valgrind --tool=callgrind)"
key=$("$B/lkey-keygen" issue --secret keys/demo-vendor.sec --product 1 \
	--edition 2 --seats 10 --starts 2026-01-01 --expires 2028-12-31 \
	--maintenance 2028-12-31 --serial 1 --no-ledger) || exit 1
# Prints the instructions callgrind counted for the command given.
instructions() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" \
	    >/dev/null 2>"$tmp/callgrind.log" || {
		echo "bench: callgrind: $* failed:" >&2
		cat "$tmp/callgrind.log" >&2
		return 1
	}
	sed -n 's/^==[0-9]*== Collected : \([0-9][0-9]*\)$/\1/p' \
	    "$tmp/callgrind.log"
}
imin=$(instructions "$B/bench/minimal") || exit 1
iver=$(instructions "$B/lkey-verify" --pubkey keys/demo-vendor.pub \
	--product 1 --today 2027-06-15 "$key") || exit 1
if [ -z "$imin" ] || [ -z "$iver" ]; then
	echo "bench: callgrind printed no instruction count" >&2
	exit 1
fi
ratio=$(awk -v a="$iver" -v b="$imin" 'BEGIN { printf "%.3f", a / b }')
printf '   %-50s %9s instructions\n' "bench/minimal (sodium_init + one verify)" "$imin"
printf '   %-50s %9s instructions\n' "lkey-verify --pubkey --product --today KEY" "$iver"
if awk -v a="$iver" -v b="$imin" 'BEGIN { exit !(a <= 1.15 * b) }'; then
	r=met
else
	r="NOT met"
fi
echo "   target lkey-verify <= 1.15 x minimal (instructions) : $ratio x : $r"

# ---- 7. typo location ------------------------------------------------------
# lkey_suggest on a 160-character key: two characters wrong, so that every
# change of one is tried and none verifies, then one wrong and one missing.
"$B/bench/bench" "$B" "$tmp" typo || exit 1

# ---- 8 and 9. the ledger at 1 000 000 keys; a batch on a pipe -------------
# bench/bigledger.c: each lookup of `lkey-keygen ledger` and `issue` on a
# ledger of 1 000 000 keys (filled by one SQL statement in the ledger's own
# schema, some 40 s), then a batch of 5 000 orders fed on a pipe against
# the same from a file.
"$B/bench/bigledger" "$B" "$tmp" || exit 1
