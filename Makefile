# lkey - offline licence keys. Plain GNU make; see README.md.
#
#   make            build/lkey-keygen, build/lkey-verify, build/liblkey.{a,so}
#                   (.dylib on macOS)
#   make demo       install missing packages, build, issue and verify demo keys
#   make test       install missing packages, run every test, plain and under
#                   AddressSanitizer + UndefinedBehaviorSanitizer
#   make test-valgrind  the whole suite under valgrind (tests/valgrind.mk);
#                   make test-valgrind-ci the part of it CI runs
#   make coverage   line coverage of the product code by the suite
#   make fuzz       every fuzz target for FUZZ_SECONDS (tests/fuzz/fuzz.mk)
#   make test-windows  liblkey for Windows (MinGW-w64: static and DLL), its
#                   unit tests run under Wine (tests/windows.mk)
#   make bench      speed and size figures (docs/PERFORMANCE.md)
#   make install    PREFIX=/usr/local DESTDIR= (make uninstall: the same)
#   build/examples/timeclock  the example application (examples/timeclock),
#                   built against this tree with the demo key; make test
#                   builds it

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
B ?= build

SOVERSION = 2
LIBVERSION = 2.0.0

# The platform decides the shared library's names and the linker's flags
# (UNAME_S=Darwin on the command line shows the macOS commands anywhere:
# tests/test_pkgconfig.c checks them with make -n). ELF (Linux, the BSDs):
# liblkey.so.2.0.0 with soname liblkey.so.2, and RELRO. Mach-O: Apple's
# linker has no -z, -soname or --gc-sections; the install name (where a
# program looks for the library) and the compatibility version play the
# soname's part.
UNAME_S ?= $(shell uname -s 2>/dev/null)
ifeq ($(UNAME_S),Darwin)
SHLIB = liblkey.$(LIBVERSION).dylib
SHLIB_SONAME = liblkey.$(SOVERSION).dylib
SHLIB_DEV = liblkey.dylib
SHLIB_FLAGS = -dynamiclib -Wl,-install_name,$(LIBDIR)/$(SHLIB_SONAME) \
	-Wl,-compatibility_version,$(SOVERSION).0.0 \
	-Wl,-current_version,$(LIBVERSION)
RELRO =
GC_SECTIONS = -Wl,-dead_strip
else
SHLIB = liblkey.so.$(LIBVERSION)
SHLIB_SONAME = liblkey.so.$(SOVERSION)
SHLIB_DEV = liblkey.so
SHLIB_FLAGS = -shared -Wl,-soname,$(SHLIB_SONAME)
RELRO = -Wl,-z,relro,-z,now
GC_SECTIONS = -Wl,--gc-sections
endif

SODIUM_CFLAGS := $(shell $(PKG_CONFIG) --cflags libsodium 2>/dev/null)
SODIUM_LIBS := $(shell $(PKG_CONFIG) --libs libsodium 2>/dev/null || echo -lsodium)
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)
B64_LIBS = -lb64
# The vendor ledger's databases (keygen/lib/db_*.c): never linked into
# liblkey or lkey-verify.
DB_CFLAGS := $(shell $(PKG_CONFIG) --cflags libpq sqlite3 2>/dev/null || \
	echo -I/usr/include/postgresql)
DB_LIBS := $(shell $(PKG_CONFIG) --libs sqlite3 libpq 2>/dev/null || \
	echo -lsqlite3 -lpq)

WARN = -std=c11 -Wall -Wextra -Wshadow -Wconversion -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wvla -Werror
HARDEN = -fstack-protector-strong -fPIC
FORTIFY = -D_FORTIFY_SOURCE=2
OPT = -O2 -g
SAN =
ifeq ($(SANITIZE),1)
OPT = -O1 -g -fno-omit-frame-pointer
SAN = -fsanitize=address,undefined -fno-sanitize-recover=all
FORTIFY =
endif
# The customer side (verify/: liblkey and lkey-verify, and common/, which
# lkey-verify carries too) is built for size: every customer binary carries
# it, and its hot path is libsodium's.
# Unwind tables are only for C++ exceptions and backtraces; a debugger
# uses the debug information instead.
SIZE_OPT = -Os -g -fno-asynchronous-unwind-tables
# Each layer sees only itself and the layers below it (docs/ARCHITECTURE.md):
# the rules hold because a header outside these paths cannot be found.
INC_LIB = -Iinclude -Iverify/lib
INC_STORE = -Iinclude -Iverify/store
INC_COMMON = -Iinclude -Icommon
INC_VERIFY = -Iinclude -Icommon -Iverify/cli
INC_VENDOR = -Iinclude -Iverify/lib -Icommon -Ikeygen/lib
INC_KEYGEN = -Iinclude -Icommon -Ikeygen/lib -Ikeygen/cmd
INC_ALL = -Iinclude -Iverify/lib -Iverify/cli -Icommon -Ikeygen/lib \
	-Ikeygen/cmd
LAYER_INC = $(INC_ALL)
CPPFLAGS_ALL = -D_POSIX_C_SOURCE=200809L -DLKEY_BUILD $(LAYER_INC)
CFLAGS_ALL = $(WARN) $(OPT) $(HARDEN) $(FORTIFY) $(SAN) -fvisibility=hidden \
	$(CPPFLAGS_ALL) $(SODIUM_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(SAN) $(RELRO) $(LDFLAGS)
EXE_LDFLAGS = -pie

# The customer-side library: decoding, signature check, terms. No I/O.
LIB_SRC = $(sort $(wildcard verify/lib/*.c))
# The licence store, part of liblkey: its file I/O behind one platform
# file (verify/store/platform_*.c; docs/STORE.md).
STORE_SRC = $(sort $(wildcard verify/store/*.c))
# Shared by both programs, never part of liblkey: options, messages,
# catalog, files, JSON lines.
TOOL_SRC = $(sort $(wildcard common/*.c))
# The lkey-verify program.
VERIFY_SRC = $(sort $(wildcard verify/cli/*.c))
# The vendor library, and the lkey-keygen commands.
VENDOR_SRC = $(sort $(wildcard keygen/lib/*.c))
KEYGEN_SRC = $(sort $(wildcard keygen/cmd/*.c))

LIB_OBJ = $(LIB_SRC:%.c=$(B)/obj/%.o) $(STORE_SRC:%.c=$(B)/obj/%.o)
TOOL_OBJ = $(TOOL_SRC:%.c=$(B)/obj/%.o)
VERIFY_OBJ = $(VERIFY_SRC:%.c=$(B)/obj/%.o)
KEYGEN_OBJ = $(KEYGEN_SRC:%.c=$(B)/obj/%.o)
VENDOR_OBJ = $(VENDOR_SRC:%.c=$(B)/obj/%.o)

TEST_SRC = $(sort $(wildcard tests/test_*.c))
TEST_SUPPORT = tests/json.c tests/support.c tests/files.c tests/proc.c \
	tests/fixture.c tests/golden.c tests/vendorkey.c
TEST_BIN = $(TEST_SRC:tests/%.c=$(B)/tests/%)
TEST_SUPPORT_OBJ = $(TEST_SUPPORT:%.c=$(B)/obj/%.o)

PROGS = $(B)/lkey-keygen $(B)/lkey-verify
LIBS = $(B)/liblkey.a $(B)/$(SHLIB)
EXAMPLE = $(B)/examples/timeclock

.PHONY: all test test-plain test-sanitize demo deps install uninstall clean \
	samples bench coverage amalgamation amalgamation-tests FORCE
.DELETE_ON_ERROR:

all: $(PROGS) $(LIBS) $(B)/lkey.pc $(B)/lkey-static.pc

# common/ is linked into lkey-verify too, so it is built the same way, and
# with a section per function: the linker drops from lkey-verify what only
# lkey-keygen calls in a file both use (--gc-sections below).
ifneq ($(SANITIZE),1)
$(B)/obj/verify/%.o: OPT = $(SIZE_OPT)
$(B)/obj/common/%.o: OPT = $(SIZE_OPT) -ffunction-sections -fdata-sections
endif
$(B)/obj/verify/lib/%.o: LAYER_INC = $(INC_LIB)
$(B)/obj/verify/store/%.o: LAYER_INC = $(INC_STORE)
$(B)/obj/common/%.o: LAYER_INC = $(INC_COMMON)
$(B)/obj/verify/cli/%.o: LAYER_INC = $(INC_VERIFY)
$(B)/obj/keygen/lib/%.o: LAYER_INC = $(INC_VENDOR) $(DB_CFLAGS)
$(B)/obj/keygen/cmd/%.o: LAYER_INC = $(INC_KEYGEN)

# The day lkey-verify is built (UTC), a floor for its clock guard: no clock
# can be right that says the program was built in the future.
# SOURCE_DATE_EPOCH, when set, makes the build reproducible.
BUILD_DAY := $(shell echo $$(( $${SOURCE_DATE_EPOCH:-$$(date -u +%s)} / 86400 )))
$(B)/obj/verify/cli/statefile.o: \
	CFLAGS_ALL += -DLKEY_BUILD_DAY=$(BUILD_DAY)U

HEADERS = $(wildcard include/*.h verify/*/*.h common/*.h keygen/*/*.h tests/*.h \
	bench/*.h)

$(B)/obj/%.o: %.c $(HEADERS) Makefile
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(CMOCKA_CFLAGS) -c $< -o $@

$(B)/liblkey.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/$(SHLIB): $(LIB_OBJ)
	$(CC) $(SHLIB_FLAGS) $(LDFLAGS_ALL) -o $@ $^ $(SODIUM_LIBS) $(B64_LIBS)
	ln -sf $(SHLIB) $(B)/$(SHLIB_SONAME)
	ln -sf $(SHLIB_SONAME) $(B)/$(SHLIB_DEV)

$(B)/libvendor.a: $(VENDOR_OBJ) $(TOOL_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

# common/ as an archive: lkey-verify takes only the files it uses (not the
# JSON lines of lkey-keygen, for one), and of those only the functions it
# calls.
$(B)/libcommon.a: $(TOOL_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/lkey-verify: $(VERIFY_OBJ) $(B)/libcommon.a $(B)/liblkey.a
	$(CC) $(EXE_LDFLAGS) $(LDFLAGS_ALL) $(GC_SECTIONS) -o $@ $^ \
		$(SODIUM_LIBS) $(B64_LIBS)

$(B)/lkey-keygen: $(KEYGEN_OBJ) $(B)/libvendor.a $(B)/liblkey.a
	$(CC) $(EXE_LDFLAGS) $(LDFLAGS_ALL) -o $@ $^ $(SODIUM_LIBS) $(B64_LIBS) \
		$(DB_LIBS) -pthread

# Objects first, then the archives: a test's own extra objects (below) come
# after the pattern's prerequisites in $^.
$(B)/tests/%: $(B)/obj/tests/%.o $(TEST_SUPPORT_OBJ) $(B)/libvendor.a $(B)/liblkey.a
	@mkdir -p $(@D)
	$(CC) $(EXE_LDFLAGS) $(LDFLAGS_ALL) -o $@ $(filter %.o,$^) \
		$(filter %.a,$^) $(CMOCKA_LIBS) $(SODIUM_LIBS) \
		$(B64_LIBS) $(DB_LIBS) -pthread

# The pkg-config files: lkey.pc (liblkey.so; with --static, liblkey.a)
# and lkey-static.pc (liblkey.a; see lkey-static.pc.in for why it is a
# module of its own). Regenerated on every run (PREFIX may differ from the
# last one) but rewritten only when its text changes. libdir and includedir
# are written relative to ${prefix} where they lie below it.
#
# lkey.pc's Cflags.private (which pkgconf reads with --static and the
# freedesktop pkg-config ignores) ends in -Wl,-Bstatic and its Libs.private
# starts with -Wl,-Bdynamic: --static --cflags --libs then puts -llkey
# between the two, so the linker takes liblkey.a for it and the shared
# library for everything after (lkey.pc.in says more). GNU ld, lld and
# MinGW's ld have these options; Apple's ld has neither, so on macOS lkey.pc
# gets only -DLKEY_STATIC and lkey-static.pc is the static link.
pc_dir = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))
ifeq ($(UNAME_S),Darwin)
PC_LINK_MODE = -e 's| @BSTATIC@||' -e 's|@BDYNAMIC@ ||'
else
PC_LINK_MODE = -e 's|@BSTATIC@|-Wl,-Bstatic|' \
	-e 's|@BDYNAMIC@|-Wl,-Bdynamic|'
endif

$(B)/%.pc: %.pc.in FORCE
	@mkdir -p $(@D)
	@sed -e 's|@PREFIX@|$(PREFIX)|g' \
		-e 's|@LIBDIR@|$(call pc_dir,$(LIBDIR))|g' \
		-e 's|@INCLUDEDIR@|$(call pc_dir,$(INCDIR))|g' \
		-e 's|@VERSION@|$(LIBVERSION)|g' $(PC_LINK_MODE) $< > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; \
	else mv -f $@.tmp $@ && echo "wrote $@ (prefix $(PREFIX))"; fi

FORCE:

# The example application, built the way an integrator builds it but
# against this tree: the in-tree header and liblkey.a, the vendor key
# header made by this lkey-keygen from the demo key, which only a test
# build may accept (-DLKEY_ALLOW_DEMO_KEY). Its release date is the build
# day. examples/timeclock/Makefile is the integrator's own build.
EXAMPLE_SRC = $(wildcard examples/timeclock/*.c)
EXAMPLE_HDR = $(filter-out examples/timeclock/vendor_keys.h, \
	$(wildcard examples/timeclock/*.h))
# GNU date reads -d @SECONDS, the BSDs' and macOS's -r SECONDS.
BUILD_DATE = $(shell s=$$(( $(BUILD_DAY) * 86400 )); \
	date -u -d @$$s +%Y-%m-%d 2>/dev/null || date -u -r $$s +%Y-%m-%d)

$(B)/examples/vendor_keys.h: $(B)/lkey-keygen keys/demo-vendor.pub
	@mkdir -p $(@D)
	$(B)/lkey-keygen pubkey --c-header keys/demo-vendor.pub > $@.tmp
	mv -f $@.tmp $@

$(EXAMPLE): $(EXAMPLE_SRC) $(EXAMPLE_HDR) $(B)/examples/vendor_keys.h \
		$(B)/liblkey.a Makefile
	@if [ -e examples/timeclock/vendor_keys.h ]; then \
		echo "examples/timeclock/vendor_keys.h (an in-source build)" \
		"would be compiled instead of $(B)/examples/vendor_keys.h:" \
		"remove it with make -C examples/timeclock clean" >&2; \
		exit 1; fi
	$(CC) $(WARN) $(OPT) $(HARDEN) $(FORTIFY) $(SAN) -Iinclude \
		-I$(B)/examples -DLKEY_ALLOW_DEMO_KEY \
		-DTIMECLOCK_RELEASE='"$(BUILD_DATE)"' $(SODIUM_CFLAGS) \
		$(CFLAGS) $(EXE_LDFLAGS) $(LDFLAGS_ALL) -o $@ $(EXAMPLE_SRC) \
		$(B)/liblkey.a $(SODIUM_LIBS) $(B64_LIBS)

# The amalgamation: liblkey (verify/lib and the licence store) as one
# lkey.c and its lkey.h, generated by tools/amalgamate.sh, to drop into a
# project (docs/EMBEDDING.md). Tested by tests/test_amalgamation.c: it
# compiles alone with gcc, clang and MinGW, and the library's unit tests
# (AMALG_TESTS) pass linked to it instead of liblkey.a.
AMALG = $(B)/amalgamation
AMALG_TESTS = test_codec test_date test_terms test_store test_sig
AMALG_TEST_BIN = $(AMALG_TESTS:%=$(AMALG)/tests/%)

amalgamation: $(AMALG)/lkey.c

# One run writes both files: lkey.h is made with lkey.c (two targets of one
# rule would run the script once for each, side by side under -j).
$(AMALG)/lkey.c: tools/amalgamate.sh include/lkey.h \
		$(LIB_SRC) $(STORE_SRC) $(wildcard verify/lib/*.h verify/store/*.h)
	@sh tools/amalgamate.sh $(AMALG)
$(AMALG)/lkey.h: $(AMALG)/lkey.c ;

# Compiled as an integrator compiles it: its own directory, no LKEY_BUILD
# and none of the tree's -I paths or -D defines.
$(AMALG)/lkey.o: $(AMALG)/lkey.c $(AMALG)/lkey.h
	$(CC) $(WARN) -pedantic $(OPT) $(HARDEN) $(FORTIFY) $(SAN) \
		-DLKEY_STATIC -I$(AMALG) $(SODIUM_CFLAGS) $(CFLAGS) -c $< -o $@

$(AMALG)/tests/%: $(B)/obj/tests/%.o $(TEST_SUPPORT_OBJ) $(B)/libvendor.a \
		$(AMALG)/lkey.o
	@mkdir -p $(@D)
	$(CC) $(EXE_LDFLAGS) $(LDFLAGS_ALL) -o $@ $(filter %.o,$^) \
		$(filter %.a,$^) $(CMOCKA_LIBS) $(SODIUM_LIBS) \
		$(B64_LIBS) $(DB_LIBS) -pthread

# Tests that read a ledger file with tests/ledgerq.c (only they link it).
LEDGERQ_TESTS = test_batch test_reissue
$(LEDGERQ_TESTS:%=$(B)/tests/%) $(LEDGERQ_TESTS:%=$(AMALG)/tests/%): \
	$(B)/obj/tests/ledgerq.o

amalgamation-tests: $(AMALG_TEST_BIN)

# Installs the Debian packages the build needs, once; idempotent.
deps:
	@sh tools/deps.sh

# Every test twice, the plain build and under ASan + UBSan: the two builds
# side by side (they share no file), then every test binary of both,
# TEST_JOBS at a time (tests/run.sh). One total line. A throwaway
# PostgreSQL server runs meanwhile in $(B)/pg for the PostgreSQL ledger's
# tests (tests/pgserver.sh run: stopped whatever happens).
TEST_JOBS ?= $(or $(LKEY_TEST_JOBS),$(shell getconf _NPROCESSORS_ONLN \
	2>/dev/null || echo 1))
# -j for the builds, unless make was given one (its jobserver is shared).
BUILD_JOBS = $(if $(findstring -j,$(MAKEFLAGS)),,-j$(TEST_JOBS))

test: deps
	@$(MAKE) --no-print-directory $(BUILD_JOBS) test-plain test-sanitize \
		> /dev/null
	@LKEY_TEST_JOBS=$(TEST_JOBS) sh tests/pgserver.sh run $(B)/pg \
		sh tests/run.sh $(B) $(B)/asan

test-plain: all $(TEST_BIN) $(EXAMPLE) $(AMALG_TEST_BIN)

test-sanitize:
	@$(MAKE) --no-print-directory B=$(B)/asan SANITIZE=1 all test-plain

demo: deps all
	@sh tools/demo.sh $(B)

# Line coverage of the product code by the whole suite: the plain build
# with --coverage in $(B)/coverage, every test, then gcov's figure for each
# file and in all (tests/coverage.sh).
coverage: deps
	@$(MAKE) --no-print-directory $(BUILD_JOBS) B=$(B)/coverage \
		CFLAGS="$(CFLAGS) --coverage" LDFLAGS="$(LDFLAGS) --coverage" \
		all test-plain > /dev/null
	@LKEY_TEST_JOBS=$(TEST_JOBS) sh tests/pgserver.sh run $(B)/coverage/pg \
		sh tests/coverage.sh $(B)/coverage

# Regenerates the sample keys in keys/samples (after a format change).
samples: all
	@sh keys/samples/make-samples.sh $(B)

# Measures signing, verification, process start-up, sizes, one batch of
# 100 000 orders and lkey-verify's instructions (callgrind) side by side and
# reports each target as met or NOT met (docs/PERFORMANCE.md).
bench: all $(B)/bench/bench $(B)/bench/minimal $(B)/bench/bigbatch \
		$(B)/bench/bigledger
	@sh tools/deps.sh valgrind
	@sh bench/run.sh $(B)

$(B)/bench/bench: $(B)/obj/bench/bench.o $(B)/obj/bench/harness.o \
		$(B)/libvendor.a $(B)/liblkey.a
	@mkdir -p $(@D)
	$(CC) $(EXE_LDFLAGS) $(LDFLAGS_ALL) -o $@ $^ $(SODIUM_LIBS) $(B64_LIBS) \
		$(DB_LIBS) -pthread -lm

$(B)/bench/bigbatch: $(B)/obj/bench/bigbatch.o $(B)/obj/bench/harness.o \
		$(B)/libvendor.a $(B)/liblkey.a
	@mkdir -p $(@D)
	$(CC) $(EXE_LDFLAGS) $(LDFLAGS_ALL) -o $@ $^ $(SODIUM_LIBS) $(B64_LIBS) \
		$(DB_LIBS) -pthread

# Linked like lkey-verify: libsodium as a shared library.
$(B)/bench/bigledger: $(B)/obj/bench/bigledger.o $(B)/obj/bench/harness.o \
		$(B)/libvendor.a $(B)/liblkey.a
	@mkdir -p $(@D)
	$(CC) $(EXE_LDFLAGS) $(LDFLAGS_ALL) -o $@ $^ $(SODIUM_LIBS) $(B64_LIBS) \
		$(DB_LIBS) -pthread -lm

$(B)/bench/minimal: $(B)/obj/bench/minimal.o
	@mkdir -p $(@D)
	$(CC) $(EXE_LDFLAGS) $(LDFLAGS_ALL) -o $@ $^ $(SODIUM_LIBS)

# What make install puts where (make uninstall removes exactly these).
# Only lkey.h, the one header in include/. No ldconfig: a
# packager's job, or the admin's after installing to a system directory.
MAN1 = verify/cli/lkey-verify.1 keygen/cmd/lkey-keygen.1
MAN3 = verify/lib/lkey.3
COMPLETIONS = completion/lkey-keygen completion/lkey-verify

install: all
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(LIBDIR)" \
		"$(DESTDIR)$(INCDIR)" "$(DESTDIR)$(PKGCONFIGDIR)" \
		"$(DESTDIR)$(MANDIR)/man1" "$(DESTDIR)$(MANDIR)/man3" \
		"$(DESTDIR)$(BASHCOMPDIR)"
	install -m 0755 $(PROGS) "$(DESTDIR)$(BINDIR)/"
	install -m 0644 $(B)/liblkey.a "$(DESTDIR)$(LIBDIR)/"
	install -m 0755 $(B)/$(SHLIB) "$(DESTDIR)$(LIBDIR)/"
	ln -sf $(SHLIB) "$(DESTDIR)$(LIBDIR)/$(SHLIB_SONAME)"
	ln -sf $(SHLIB_SONAME) "$(DESTDIR)$(LIBDIR)/$(SHLIB_DEV)"
	install -m 0644 include/lkey.h "$(DESTDIR)$(INCDIR)/"
	install -m 0644 $(B)/lkey.pc $(B)/lkey-static.pc \
		"$(DESTDIR)$(PKGCONFIGDIR)/"
	install -m 0644 $(MAN1) "$(DESTDIR)$(MANDIR)/man1/"
	install -m 0644 $(MAN3) "$(DESTDIR)$(MANDIR)/man3/"
	install -m 0644 $(COMPLETIONS) "$(DESTDIR)$(BASHCOMPDIR)/"

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/lkey-keygen" "$(DESTDIR)$(BINDIR)/lkey-verify"
	rm -f "$(DESTDIR)$(LIBDIR)/liblkey.a" "$(DESTDIR)$(LIBDIR)/$(SHLIB_DEV)" \
		"$(DESTDIR)$(LIBDIR)/$(SHLIB_SONAME)" "$(DESTDIR)$(LIBDIR)/$(SHLIB)"
	rm -f "$(DESTDIR)$(INCDIR)/lkey.h"
	rm -f "$(DESTDIR)$(PKGCONFIGDIR)/lkey.pc" \
		"$(DESTDIR)$(PKGCONFIGDIR)/lkey-static.pc"
	rm -f $(patsubst %,"$(DESTDIR)$(MANDIR)/man1/%",$(notdir $(MAN1))) \
		$(patsubst %,"$(DESTDIR)$(MANDIR)/man3/%",$(notdir $(MAN3)))
	rm -f $(patsubst %,"$(DESTDIR)$(BASHCOMPDIR)/%",$(notdir $(COMPLETIONS)))

clean:
	rm -rf $(B)

# Fuzz targets and the corpus replay (tests/fuzz/README.md); the valgrind run.
include tests/fuzz/fuzz.mk
include tests/valgrind.mk
# liblkey for Windows, tested under Wine (make test-windows).
include tests/windows.mk
