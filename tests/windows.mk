# make test-windows: liblkey built for Windows with MinGW-w64, as a static
# library and as a DLL, and the library's unit tests run against each
# under Wine (tests/wine.sh). libsodium, libb64 and cmocka for Windows are
# built from Debian's source packages by tools/windeps.sh, once, into
# $(WIN)/deps. Included by the Makefile.
#
#   $(WIN)/static   liblkey.a; WIN_TESTS linked to it (LKEY_STATIC)
#   $(WIN)/dll      lkey.dll and its import library liblkey.dll.a;
#                   WIN_DLL_TESTS linked to it (dllimport): the tests that
#                   call only the public API. Its export table must be
#                   exactly what liblkey.so exports, lkey.h's API
#                   (tests/dllexports.sh).
#
# The vendor library the tests issue keys with is built for Windows too,
# but only its files that need no POSIX call (WIN_VENDOR_SRC): the vendor
# tools are POSIX programs. Tests and their support are compiled with
# MinGW's C99 printf (__USE_MINGW_ANSI_STDIO) and without -Wformat,
# whose check GCC makes against the system DLL's printf there; the Linux
# build checks every format. liblkey itself is compiled as an integrator
# compiles it, with the full warnings.

WIN = $(B)/windows
WIN_DEPS = $(WIN)/deps
WIN_HOST = x86_64-w64-mingw32
WIN_CC = $(WIN_HOST)-gcc
WIN_AR = $(WIN_HOST)-ar
WIN_PACKAGES = gcc-mingw-w64-x86-64 wine64 autoconf automake libtool \
	cmake dpkg-dev

# The library's unit tests: liblkey and its licence store, called the
# way an application calls them, with no program run.
WIN_TESTS = test_codec test_date test_terms test_guard test_explain \
	test_sig test_store
WIN_DLL_TESTS = test_date test_terms test_explain

# The Makefile's warnings (the tests then turn -Wformat off: above).
WIN_CFLAGS = $(WARN) -O2 -I$(WIN_DEPS)/include
WIN_TEST_CFLAGS = $(WIN_CFLAGS) -Wno-format -D__USE_MINGW_ANSI_STDIO=1
WIN_LIBS = -L$(WIN_DEPS)/lib -lsodium -lb64 -ladvapi32
WIN_TEST_LIBS = -L$(WIN_DEPS)/lib -lcmocka-static $(WIN_LIBS) \
	-Wl,-Bstatic -lwinpthread
WIN_LDFLAGS = -static-libgcc

WIN_POSIX_ONLY = keygen/lib/fulfil.c keygen/lib/keyfile.c \
	keygen/lib/keyfile_write.c keygen/lib/custody.c \
	$(wildcard keygen/lib/ledger*.c) \
	$(wildcard keygen/lib/db*.c) keygen/lib/orders.c \
	keygen/lib/passphrase.c keygen/lib/seckey.c common/file.c \
	common/install.c common/textfile.c
WIN_VENDOR_SRC = $(filter-out $(WIN_POSIX_ONLY), $(VENDOR_SRC) $(TOOL_SRC))
WIN_SUPPORT_SRC = tests/json.c tests/support.c tests/files.c tests/fixture.c

WIN_LIB_SRC = $(LIB_SRC) $(STORE_SRC)
WIN_S = $(WIN)/static
WIN_D = $(WIN)/dll
WIN_S_LIB_OBJ = $(WIN_LIB_SRC:%.c=$(WIN_S)/obj/%.o)
WIN_D_LIB_OBJ = $(WIN_LIB_SRC:%.c=$(WIN_D)/obj/%.o)
WIN_S_TEST_EXE = $(WIN_TESTS:%=$(WIN_S)/tests/%.exe)
WIN_D_TEST_EXE = $(WIN_DLL_TESTS:%=$(WIN_D)/tests/%.exe)

.PHONY: test-windows windows-build

test-windows: deps
	@sh tools/deps.sh $(WIN_PACKAGES)
	@sh tools/windeps.sh $(WIN)
	@$(MAKE) --no-print-directory $(BUILD_JOBS) all amalgamation \
		windows-build > /dev/null
	@sh tests/dllexports.sh $(WIN_HOST)-objdump $(WIN_D)/lkey.dll \
		$(B)/$(SHLIB)
	@LKEY_WINEPREFIX="$$(pwd)/$(WIN)/wineprefix" \
		sh tests/wine.sh wineboot --init > $(WIN)/wineboot.log 2>&1 || { \
		cat $(WIN)/wineboot.log >&2; \
		echo "test-windows: the Wine prefix could not be made" >&2; \
		exit 1; }
	@sh tests/windows-embed.sh $(B)
	@export LKEY_WINEPREFIX="$$(pwd)/$(WIN)/wineprefix"; \
		sh tests/wine.sh --server -k 2>/dev/null; \
		sh tests/wine.sh --server -w; \
		sh tests/wine.sh --server -p; \
		LKEY_TEST_WRAPPER="sh tests/wine.sh" \
		LKEY_TEST_JOBS=$(TEST_JOBS) sh tests/run.sh $(WIN_S) $(WIN_D); \
		rc=$$?; sh tests/wine.sh --server -k; exit $$rc

windows-build: $(WIN_S)/liblkey.a $(WIN_D)/lkey.dll $(WIN_S_TEST_EXE) \
	$(WIN_D_TEST_EXE)

# liblkey: as a static library, and as a DLL exporting LKEY_API.
$(WIN_S)/obj/verify/%.o: verify/%.c $(HEADERS) tests/windows.mk
	@mkdir -p $(@D)
	$(WIN_CC) $(WIN_CFLAGS) -DLKEY_STATIC $(INC_LIB) -Iverify/store \
		-c $< -o $@

$(WIN_D)/obj/verify/%.o: verify/%.c $(HEADERS) tests/windows.mk
	@mkdir -p $(@D)
	$(WIN_CC) $(WIN_CFLAGS) -DLKEY_BUILD $(INC_LIB) -Iverify/store \
		-c $< -o $@

$(WIN_S)/liblkey.a: $(WIN_S_LIB_OBJ)
	rm -f $@
	$(WIN_AR) rcs $@ $^

$(WIN_D)/lkey.dll: $(WIN_D_LIB_OBJ)
	$(WIN_CC) -shared $(WIN_LDFLAGS) -o $@ $^ \
		-Wl,--out-implib,$(WIN_D)/liblkey.dll.a $(WIN_LIBS)

# The vendor library and the test support, and the tests, static build.
$(WIN_S)/obj/%.o: %.c $(HEADERS) tests/windows.mk
	@mkdir -p $(@D)
	$(WIN_CC) $(WIN_TEST_CFLAGS) -DLKEY_STATIC $(INC_ALL) -Iverify/store \
		-Itests -c $< -o $@

$(WIN_S)/libvendor.a: $(WIN_VENDOR_SRC:%.c=$(WIN_S)/obj/%.o) \
		$(WIN_SUPPORT_SRC:%.c=$(WIN_S)/obj/%.o) \
		$(WIN_S)/obj/tests/vendorkey.o
	rm -f $@
	$(WIN_AR) rcs $@ $^

$(WIN_S)/tests/%.exe: $(WIN_S)/obj/tests/%.o $(WIN_S)/libvendor.a \
		$(WIN_S)/liblkey.a
	@mkdir -p $(@D)
	$(WIN_CC) $(WIN_LDFLAGS) -o $@ $^ $(WIN_TEST_LIBS)

# The DLL's tests: compiled to import liblkey, with lkey.dll beside them.
$(WIN_D)/obj/tests/%.o: tests/%.c $(HEADERS) tests/windows.mk
	@mkdir -p $(@D)
	$(WIN_CC) $(WIN_TEST_CFLAGS) -Iinclude -Icommon -Itests -c $< -o $@

$(WIN_D)/libsupport.a: $(WIN_SUPPORT_SRC:%.c=$(WIN_D)/obj/%.o)
	rm -f $@
	$(WIN_AR) rcs $@ $^

# Beside the programs, where Windows looks for a DLL first.
$(WIN_D)/tests/lkey.dll: $(WIN_D)/lkey.dll
	@mkdir -p $(@D)
	cp -f $< $@

$(WIN_D)/tests/%.exe: $(WIN_D)/obj/tests/%.o $(WIN_D)/libsupport.a \
		$(WIN_D)/tests/lkey.dll
	@mkdir -p $(@D)
	$(WIN_CC) $(WIN_LDFLAGS) -o $@ $< $(WIN_D)/libsupport.a \
		$(WIN_D)/liblkey.dll.a $(WIN_TEST_LIBS)
