#!/bin/sh
# Makes DIR hold the libsodium and libb64 headers of this system, and
# nothing else, as symbolic links:
#   sh tools/depheaders.sh DIR
# For compiling lkey's sources (or the amalgamation) with another
# system's compiler, x86_64-w64-mingw32-gcc, with -isystem DIR: adding all
# of /usr/include instead would put glibc's headers before MinGW's. The
# headers are the same on every system; only compiling works this way,
# not linking (that needs the libraries built for that system).
set -eu

if [ $# -ne 1 ]; then
	echo "usage: sh tools/depheaders.sh DIR" >&2
	exit 2
fi
dir=$1
inc=${LKEY_DEP_INCLUDE:-/usr/include}
for h in sodium.h sodium b64; do
	if [ ! -e "$inc/$h" ]; then
		echo "depheaders: $inc/$h: not found (install libsodium-dev" \
		    "and libb64-dev: sh tools/deps.sh)" >&2
		exit 1
	fi
done
mkdir -p "$dir"
for h in sodium.h sodium b64; do
	rm -f "$dir/$h"
	ln -s "$inc/$h" "$dir/$h"
done
