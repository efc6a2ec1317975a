#!/bin/sh
# Runs the commands of a guide, as a reader would type them:
#   sh tests/doctest.sh BUILD_DIR DOC.md
# (test_docs runs it for every guide in docs/ that has commands.)
#
# Every block fenced as ```sh runs, in the order of the document, in one
# bash with errexit, nounset and pipefail, so a command that fails fails
# the guide. Two markers, each on the line right before a fence:
#   <!-- file: PATH -->          the block (of any language) is written to
#                                PATH instead: the source file the guide
#                                shows, which later commands compile
#   <!-- not tested: REASON -->  the block is not run (it needs the
#                                network or root, or stands for the
#                                reader's own system); say why
#
# In a block that runs, a line that starts with "! " is a command that
# must fail: the guide fails if it succeeds (bash's errexit alone ignores
# a negated command).
#
# The guide runs in a scratch copy of the source tree (what a reader has
# after "git clone"), with a scratch HOME, the programs of BUILD_DIR first
# on PATH under their installed names, and make building into BUILD_DIR
# (B), so nothing is built twice. Prompts cannot be answered: a passphrase
# comes from LKEY_PASSPHRASE. Prints the guide's output; on failure, which
# block failed.
set -u

if [ $# -ne 2 ]; then
	echo "usage: sh tests/doctest.sh BUILD_DIR DOC.md" >&2
	exit 2
fi
src=$(pwd)
case $1 in
/*) build=$1 ;;
*) build=$src/$1 ;;
esac
doc=$2
name=$(basename "$doc")
[ -r "$doc" ] || { echo "doctest: $doc: cannot read" >&2; exit 1; }
[ -x "$build/lkey-keygen" ] || {
	echo "doctest: $build/lkey-keygen: not built" >&2
	exit 1
}

tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir "$tmp/src" "$tmp/home"
tar -C "$src" --exclude=./build --exclude=./.git -cf - . |
	tar -C "$tmp/src" -xf - || {
	echo "doctest: cannot copy the source tree" >&2
	exit 1
}

# The script: each block, after a line that says where it starts.
awk -v doc="$name" '
function flush_marker() { marker = ""; mark_arg = "" }
BEGIN { inblock = 0; flush_marker() }
inblock {
	if ($0 ~ /^```[ \t]*$/) {
		if (mode == "file")
			print "LKEY_DOCTEST_EOF"
		inblock = 0
		next
	}
	if (mode == "run" && substr($0, 1, 2) == "! ")
		print "lkey_doctest_fails " substr($0, 3)
	else if (mode != "skip")
		print
	next
}
/^```/ {
	lang = substr($0, 4)
	sub(/[ \t].*$/, "", lang)
	inblock = 1
	if (marker == "file") {
		mode = "file"
		printf "LKEY_DOCTEST_LINE=%d\n", NR
		printf "mkdir -p \"$(dirname \"%s\")\"\n", mark_arg
		printf "cat > \"%s\" <<'\''LKEY_DOCTEST_EOF'\''\n", mark_arg
	} else if (marker == "skip" || lang != "sh") {
		mode = "skip"
	} else {
		mode = "run"
		printf "LKEY_DOCTEST_LINE=%d\n", NR
		printf "echo \"## %s:%d\"\n", doc, NR
	}
	flush_marker()
	next
}
/^<!-- file: [^ ]+ -->[ \t]*$/ {
	marker = "file"
	mark_arg = $3
	next
}
/^<!-- not tested: .+ -->[ \t]*$/ {
	marker = "skip"
	next
}
{ flush_marker() }
END {
	if (inblock) {
		printf "doctest: %s: a code block is not closed\n", doc \
		    > "/dev/stderr"
		exit 1
	}
}' "$doc" >"$tmp/blocks" || exit 1

if ! grep -q '^LKEY_DOCTEST_LINE=' "$tmp/blocks"; then
	echo "doctest: $doc: no block to run" >&2
	exit 1
fi

{
	echo 'set -eEu -o pipefail'
	echo "trap 'echo \"doctest: $name: the block at line \$LKEY_DOCTEST_LINE failed\" >&2' ERR"
	# shellcheck disable=SC2016 # expanded when the guide runs
	echo 'lkey_doctest_fails() {
	if "$@"; then
		echo "doctest: succeeded, but the guide says it fails: $*" >&2
		return 1
	fi
}'
	cat "$tmp/blocks"
} >"$tmp/script"

cd "$tmp/src" || exit 1
env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u LKEY_TEST_WRAPPER \
	HOME="$tmp/home" TZ=UTC LC_ALL=C.UTF-8 \
	PATH="$build:$PATH" B="$build" \
	LKEY_PASSPHRASE="correct horse battery staple" \
	LKEY_PWHASH_INTERACTIVE=1 \
	bash --norc --noprofile "$tmp/script" </dev/null
