#!/bin/sh
# Runs the transcript that make demo prints again, as a reader would copy
# it from the terminal:
#   sh tests/demotest.sh BUILD_DIR
# (test_docs runs it.)
#
# tools/demo.sh runs in a scratch copy of the source tree (what a reader
# has after "git clone"), whose build/ holds the programs of BUILD_DIR, so
# that the transcript says build/ as make demo does. It runs twice: as
# make demo runs it, and with LKEY_DEMO_MARKS set, which ends the output
# of each command shown with a line "LKEY_DEMO_MARK STATUS"; without those
# lines the two must be the same. Then every command shown (the line after
# "$ ", and for input the lines up to "EOF") runs again, in order, in bash
# from the top of the tree, and must print exactly the output shown under
# it (standard error included) and exit with the status marked. Prints
# what differs.
set -u

if [ $# -ne 1 ]; then
	echo "usage: sh tests/demotest.sh BUILD_DIR" >&2
	exit 2
fi
src=$(pwd)
case $1 in
/*) build=$1 ;;
*) build=$src/$1 ;;
esac
for p in lkey-keygen lkey-verify; do
	[ -x "$build/$p" ] || {
		echo "demotest: $build/$p: not built" >&2
		exit 1
	}
done

tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir "$tmp/src" "$tmp/home" "$tmp/run"
tar -C "$src" --exclude=./build --exclude=./.git -cf - . |
	tar -C "$tmp/src" -xf - || {
	echo "demotest: cannot copy the source tree" >&2
	exit 1
}
mkdir "$tmp/src/build"
ln -s "$build/lkey-keygen" "$build/lkey-verify" "$tmp/src/build/" || exit 1

# In the scratch tree, with a scratch HOME, as a reader's shell.
in_tree() {
	(cd "$tmp/src" && env -u LKEY_DEMO_MARKS -u LKEY_PASSPHRASE \
	    HOME="$tmp/home" TZ=UTC LC_ALL=C.UTF-8 "$@")
}

in_tree sh tools/demo.sh build >"$tmp/plain" 2>&1 || {
	cat "$tmp/plain"
	echo "demotest: make demo failed" >&2
	exit 1
}
in_tree env LKEY_DEMO_MARKS=1 sh tools/demo.sh build >"$tmp/marked" 2>&1 || {
	cat "$tmp/marked"
	echo "demotest: make demo with LKEY_DEMO_MARKS failed" >&2
	exit 1
}
grep -v '^LKEY_DEMO_MARK ' "$tmp/marked" >"$tmp/unmarked"
if ! cmp -s "$tmp/plain" "$tmp/unmarked"; then
	diff -u "$tmp/plain" "$tmp/unmarked"
	echo "demotest: the marks change more than their own lines" >&2
	exit 1
fi

# Command N into run/cmdN, the output shown under it into run/outN, its
# status into run/rcN; the number of commands on the last line.
awk -v dir="$tmp/run" '
BEGIN { n = 0; state = "text" }
state == "text" && substr($0, 1, 2) == "$ " {
	n++
	cmd = dir "/cmd" n
	out = dir "/out" n
	print substr($0, 3) > cmd
	printf "" > out
	state = $0 ~ /<<'\''EOF'\''$/ ? "input" : "output"
	next
}
state == "input" {
	print > cmd
	if ($0 == "EOF")
		state = "output"
	next
}
state == "output" && $1 == "LKEY_DEMO_MARK" {
	print $2 > (dir "/rc" n)
	close(cmd)
	close(out)
	close(dir "/rc" n)
	state = "text"
	next
}
state == "output" { print > out; next }
END {
	if (state != "text") {
		print "demotest: the last command shown has no end mark" \
		    > "/dev/stderr"
		exit 1
	}
	print n
}' "$tmp/marked" >"$tmp/count" || exit 1
n=$(cat "$tmp/count")
[ "$n" -ge 30 ] || {
	echo "demotest: only $n commands in the transcript" >&2
	exit 1
}

fail=0
i=1
while [ "$i" -le "$n" ]; do
	in_tree bash --norc --noprofile "$tmp/run/cmd$i" >"$tmp/run/got$i" 2>&1
	rc=$?
	want=$(cat "$tmp/run/rc$i")
	if ! cmp -s "$tmp/run/out$i" "$tmp/run/got$i" || [ "$rc" != "$want" ]
	then
		echo "demotest: command $i of the transcript:"
		sed 's/^/    /' "$tmp/run/cmd$i"
		echo "exits $rc (the transcript: $want); its output against" \
		    "the transcript's:"
		diff -u "$tmp/run/out$i" "$tmp/run/got$i"
		fail=1
	fi
	i=$((i + 1))
done
if [ "$fail" -ne 0 ]; then
	echo "demotest: the transcript of make demo does not run as shown" >&2
	exit 1
fi
echo "demotest: $n commands of make demo's transcript run as shown"
