#!/bin/sh
# The MinGW-w64 steps of docs/EMBEDDING.md, run as written (make
# test-windows): the block marked "make test-windows runs it" is taken
# out of the guide and run in a new directory holding the amalgamation and
# a program, with W the libsodium and libb64 that tools/windeps.sh built.
# The program is examples/twenty (the README's twenty lines: the licence
# store), with the public key of a vendor key pair made for the run. The
# block builds it statically and then against lkey.dll; the DLL build then
# registers a key issued today, pasted from a reply to an e-mail, and
# checks it at start-up, under Wine.
#
#   sh tests/windows-embed.sh BUILD_DIR
set -eu

if [ $# -ne 1 ]; then
	echo "usage: sh tests/windows-embed.sh BUILD_DIR" >&2
	exit 2
fi
b=$1
win=$(cd "$b/windows" && pwd)
dir=$win/embed
keygen=$b/lkey-keygen
fail() {
	echo "windows-embed: $*" >&2
	exit 1
}

rm -rf "$dir"
mkdir -p "$dir/app"
awk '
/^<!-- not tested: .*make test-windows runs it/ { want = 1; next }
want && /^```sh$/ { on = 1; next }
on && /^```$/ { exit }
on { print }' docs/EMBEDDING.md > "$dir/block.sh"
[ -s "$dir/block.sh" ] ||
    fail "docs/EMBEDDING.md: no sh block marked \"make test-windows runs it\""

cp "$b/amalgamation/lkey.c" "$b/amalgamation/lkey.h" "$dir/app/"
cp examples/twenty/twenty.c "$dir/app/myapp.c"
"$keygen" init --out "$dir/vendor" --no-passphrase >/dev/null ||
    fail "lkey-keygen init failed"
"$keygen" pubkey --c-header "$dir/vendor/vendor.pub" \
    > "$dir/app/vendor_keys.h" || fail "lkey-keygen pubkey failed"
today=$(date -u +%Y-%m-%d)
key=$("$keygen" issue --secret "$dir/vendor/vendor.sec" --no-ledger \
    --product 1 --edition 1 --seats 5 --starts "$today" --expires never \
    --maintenance never --serial 7) || fail "lkey-keygen issue failed"

(cd "$dir/app" && W=$win/deps sh -eu "$dir/block.sh") > "$dir/build.log" \
    2>&1 || {
	cat "$dir/build.log" >&2
	fail "the guide's MinGW-w64 block failed (above)"
}
for f in lkey.o lkey.dll liblkey.dll.a myapp.exe; do
	[ -f "$dir/app/$f" ] || fail "the guide's block made no $f"
done

run() {
	(cd "$dir/app" && LKEY_WINEPREFIX=$win/wineprefix \
	    sh "$OLDPWD/tests/wine.sh" ./myapp.exe "$@")
}
pasted=$(printf '> Your licence key:\n>\n>   %s\n>\n> Thanks' "$key")
out=$(run "$dir/store" "$pasted") ||
    fail "myapp.exe (lkey.dll) did not register the key: $out"
case $out in
"Registered licence 7"*) ;;
*) fail "myapp.exe registered the key, but said: $out" ;;
esac
run "$dir/store" || fail "myapp.exe (lkey.dll) found no valid licence"
run "$dir/none" 2>/dev/null && fail "myapp.exe: an empty store is valid"
echo "docs/EMBEDDING.md's MinGW-w64 steps: built static and with lkey.dll;" \
    "myapp.exe registered a pasted key and checked it under Wine"
