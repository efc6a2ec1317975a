#!/bin/sh
# Builds, for Windows (x86_64-w64-mingw32), the three libraries liblkey's
# unit tests link: libsodium, libb64 and cmocka, each from its Debian
# source package, into DIR/deps (include/, lib/: static libraries only).
#
#   sh tools/windeps.sh DIR        (make test-windows: DIR is build/windows)
#
# The sources come from this system's own Debian archive, through
# apt-get source with a deb-src entry made from its deb entries: a private
# apt configuration under DIR/apt, so the system's apt state is neither
# read for sources nor changed, and root is not needed. Nothing else is
# downloaded. apt checks every file against the archive's signed index.
#
# A second run does nothing, offline too: DIR/deps/built names the three
# versions built. Remove DIR/deps to fetch and build again (after a new
# Debian release of one of them).
#
# The packages it builds with (tools/deps.sh installs them): autoconf,
# automake and libtool (libsodium's Debian source has no configure
# script: it is made, as Debian's own build makes it, by autoreconf),
# cmake (cmocka's build), dpkg-dev (dpkg-source) and the MinGW-w64
# compiler.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: sh tools/windeps.sh DIR" >&2
	exit 2
fi
top=$1
mkdir -p "$top"
top=$(cd "$top" && pwd)
apt=$top/apt
src=$top/src
deps=$top/deps
host=x86_64-w64-mingw32
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)

say() {
	echo "windeps: $*" >&2
}

fail() {
	say "$*"
	exit 1
}

for tool in $host-gcc $host-ar apt-get dpkg-source autoreconf cmake; do
	command -v "$tool" >/dev/null 2>&1 ||
	    fail "$tool: not found (sh tools/deps.sh installs it)"
done

# ---- the sources ------------------------------------------------------------

# deb-src lines for every enabled deb entry of the system's sources, in
# the one-line format: sources.list(.d)/*.list and deb822 *.sources.
deb_src_lines() {
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -n 's/^[[:space:]]*deb[[:space:]]\{1,\}/deb-src /p' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '
		function flush() {
			if (types ~ /(^| )deb( |$)/ && enabled != "no" && uris != "")
				for (i = split(uris, u, " "); i > 0; i--)
					for (j = split(suites, s, " "); j > 0; j--)
						print "deb-src " opt u[i] " " s[j] " " comps
			types = uris = suites = comps = opt = ""; enabled = ""
		}
		/^[[:space:]]*#/ { next }
		/^[[:space:]]*$/ { flush(); next }
		{
			key = tolower($1); sub(/:$/, "", key)
			val = $0; sub(/^[^:]*:[[:space:]]*/, "", val)
			if (key == "types") types = val
			else if (key == "uris") uris = val
			else if (key == "suites") suites = val
			else if (key == "components") comps = val
			else if (key == "enabled") enabled = tolower(val)
			else if (key == "signed-by" && val !~ /^-/)
				opt = "[signed-by=" val "] "
		}
		END { flush() }' "$f"
	done
}

aptget() {
	apt-get -q -o Dir::Etc::SourceList="$apt/sources.list" \
	    -o Dir::Etc::SourceParts=/nonexistent \
	    -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" \
	    -o Debug::NoLocking=true \
	    -o APT::Sandbox::User="$(id -un)" "$@"
}

fetch_index() {
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
	deb_src_lines > "$apt/sources.list"
	[ -s "$apt/sources.list" ] ||
	    fail "no deb entry in /etc/apt/sources.list(.d): no archive to" \
	    "take the sources from"
	# An entry without sources (a third-party repository) fails here
	# without harm; a package not found afterwards shows this log.
	aptget update >"$apt/update.log" 2>&1 || true
}

# Fetches source package $1 (the version apt picks) and unpacks it into
# $src/$1; appends "NAME VERSION" to $src/versions. If the archive
# serves the upstream tarball but not Debian's part (seen on partial
# mirrors), the upstream tarball, checked by apt against the signed index,
# is used alone, and this says so.
unpack() {
	pkg=$1
	rm -rf "$src/$pkg" "$src/dl-$pkg"
	mkdir -p "$src/dl-$pkg"
	note=""
	fetched=yes
	(cd "$src/dl-$pkg" && aptget source --download-only "$pkg" \
	    >fetch.log 2>&1) || fetched=no
	dsc=$(ls "$src/dl-$pkg"/*.dsc 2>/dev/null | head -n 1)
	if [ $fetched = yes ] && [ -n "$dsc" ]; then
		# --no-check: apt has checked each file against the
		# archive's signed index already; the .dsc's own signature
		# needs a keyring of Debian's developers, not installed.
		dpkg-source --no-check -x "$dsc" "$src/$pkg" >/dev/null ||
		    fail "$pkg: dpkg-source could not unpack $dsc"
	else
		orig=$(ls "$src/dl-$pkg"/*.orig.tar.* 2>/dev/null | head -n 1)
		if [ -z "$orig" ]; then
			cat "$src/dl-$pkg/fetch.log" >&2
			fail "$pkg: apt-get source failed"
		fi
		say "$pkg: the archive did not serve Debian's part" \
		    "($(sed -n 's/.*Failed to fetch .*\/\([^ ]*\) .*/\1/p' \
		    "$src/dl-$pkg/fetch.log" | head -n 1)); building" \
		    "${orig##*/} alone"
		note=" (upstream tarball alone)"
		mkdir -p "$src/$pkg"
		tar -xf "$orig" -C "$src/$pkg" --strip-components=1 ||
		    fail "$pkg: cannot unpack $orig"
	fi
	ver=$(sed -n 's/^Version: //p' "$dsc" 2>/dev/null | head -n 1)
	echo "$pkg $ver$note" >> "$src/versions"
	rm -rf "$src/dl-$pkg"
}

# ---- the builds -------------------------------------------------------------

build_sodium() {
	(
		cd "$src/libsodium"
		autoreconf -fi >build.log 2>&1 &&
		    ./configure --host=$host --prefix="$deps" \
		    --disable-shared --enable-static \
		    --disable-dependency-tracking >>build.log 2>&1 &&
		    make -j"$jobs" >>build.log 2>&1 &&
		    make install >>build.log 2>&1
	) || {
		tail -n 30 "$src/libsodium/build.log" >&2
		fail "libsodium: the build failed ($src/libsodium/build.log)"
	}
}

# libb64 is two C files; its own Makefile hard-codes gcc and -O3 only.
build_b64() {
	(
		cd "$src/libb64"
		for f in cencode cdecode; do
			$host-gcc -O2 -Iinclude -c src/$f.c -o src/$f.o ||
			    exit 1
		done
		rm -f "$deps/lib/libb64.a"
		$host-ar rcs "$deps/lib/libb64.a" src/cencode.o src/cdecode.o &&
		    mkdir -p "$deps/include/b64" &&
		    cp include/b64/*.h "$deps/include/b64/"
	) || fail "libb64: the build failed"
}

# cmocka prints with the C99 printf of MinGW's runtime (%zu and %llu in
# its messages), not the system DLL's.
build_cmocka() {
	(
		cd "$src/cmocka"
		rm -rf build-win
		mkdir build-win
		cd build-win
		cmake .. -DCMAKE_SYSTEM_NAME=Windows \
		    -DCMAKE_C_COMPILER=$host-gcc \
		    -DCMAKE_RC_COMPILER=$host-windres \
		    -DCMAKE_C_FLAGS=-D__USE_MINGW_ANSI_STDIO=1 \
		    -DCMAKE_BUILD_TYPE=Release -DWITH_STATIC_LIB=ON \
		    -DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF \
		    -DCMAKE_INSTALL_PREFIX="$deps" >build.log 2>&1 &&
		    make -j"$jobs" >>build.log 2>&1 &&
		    make install >>build.log 2>&1
	) || {
		tail -n 30 "$src/cmocka/build-win/build.log" >&2
		fail "cmocka: the build failed"
	}
}

if [ -f "$deps/built" ]; then
	say "built already: $(tr '\n' ' ' < "$deps/built")(remove $deps" \
	    "to fetch and build again)"
	exit 0
fi

rm -rf "$deps"
mkdir -p "$deps/lib" "$deps/include" "$src"
fetch_index
rm -f "$src/versions"
for pkg in libsodium libb64 cmocka; do
	say "$pkg: fetching and building for $host"
	unpack "$pkg"
	case $pkg in
	libsodium) build_sodium ;;
	libb64) build_b64 ;;
	cmocka) build_cmocka ;;
	esac
done
cp "$src/versions" "$deps/built"
say "built for Windows into $deps: $(tr '\n' ' ' < "$deps/built")"
