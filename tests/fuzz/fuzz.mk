# Fuzz targets (tests/fuzz/README.md), included by the Makefile.
#
#   make fuzz [FUZZ_SECONDS=10]   each target under libFuzzer for that long,
#                                 FUZZ_JOBS (default: the online
#                                 processors) at a time
#   make fuzz-replay              each target over its corpus once
#   make test                     replays the corpora too (tests/test_corpus)
#
# The libFuzzer build uses clang (FUZZ_CC) with its own objects in
# $(B)/fuzz; the corpus replay in `make test` uses the project's compiler.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 10

# One line per target: NAME:MAX_LEN, for tests/fuzz/fz_NAME.c (declared in
# tests/fuzz/targets.h) and its seeds in tests/fuzz/corpus/NAME/. MAX_LEN
# is the longest input tried: a little over the parser's own bound.
FUZZ_TARGETS =
FUZZ_TARGETS += key:8192
FUZZ_TARGETS += pubkey:8192
FUZZ_TARGETS += catalog:65536
FUZZ_TARGETS += orders:65536
FUZZ_TARGETS += secretkey:8192
FUZZ_TARGETS += ledger:65536
FUZZ_TARGETS += state:1024
FUZZ_TARGETS += revocations:66000
FUZZ_TARGETS += store:12288
FUZZ_TARGETS += json:65536
FUZZ_TARGETS += paste:8192

FUZZ_NAMES = $(foreach t,$(FUZZ_TARGETS),$(firstword $(subst :, ,$(t))))
FUZZ_SUPPORT = tests/fuzz/scratch.c
FUZZ_SRC = $(FUZZ_NAMES:%=tests/fuzz/fz_%.c) $(FUZZ_SUPPORT)
FUZZ_HDR = tests/fuzz/targets.h

# ---- the corpus replay in `make test` ------------------------------------

# The targets built like every test, by the project's compiler (and under
# ASan + UBSan in the sanitizer build).
FUZZ_OBJ = $(FUZZ_SRC:%.c=$(B)/obj/%.o)

$(FUZZ_OBJ) $(B)/obj/tests/test_corpus.o: $(FUZZ_HDR)

# make puts these after the pattern rule's own prerequisites, so after the
# two archives; a linker reads an archive only where it stands, so they
# are named once more after the targets' objects.
$(B)/tests/test_corpus: $(FUZZ_OBJ)
$(B)/tests/test_corpus: private CMOCKA_LIBS := $(B)/libvendor.a \
	$(B)/liblkey.a $(CMOCKA_LIBS)

# fz_store.c calls the store's parser, whose header (store_int.h) no
# other layer sees: its own include path adds verify/store.
$(B)/obj/tests/fuzz/fz_store.o $(B)/fuzz/obj/tests/fuzz/fz_store.o: \
	LAYER_INC = $(INC_ALL) -Iverify/store

# ---- libFuzzer -------------------------------------------------------------

FUZZ_B = $(B)/fuzz
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN) $(CPPFLAGS_ALL) \
	$(SODIUM_CFLAGS) $(DB_CFLAGS)
# The project's sources are kept warning-free by its own compiler; here
# clang's warnings about them are shown but do not stop the fuzzing.
FUZZ_LIB_SRC = $(LIB_SRC) $(STORE_SRC) $(TOOL_SRC) $(VENDOR_SRC)
FUZZ_LIB_OBJ = $(FUZZ_LIB_SRC:%.c=$(FUZZ_B)/obj/%.o)
FUZZ_TARGET_OBJ = $(FUZZ_SRC:%.c=$(FUZZ_B)/obj/%.o)
FUZZ_BIN = $(FUZZ_NAMES:%=$(FUZZ_B)/fuzz_%)

.PHONY: fuzz fuzz-build fuzz-replay

$(FUZZ_LIB_OBJ): $(FUZZ_B)/obj/%.o: %.c $(HEADERS) \
		tests/fuzz/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(filter-out -Werror,$(WARN)) $(FUZZ_CFLAGS) \
		-fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_TARGET_OBJ): $(FUZZ_B)/obj/%.o: %.c $(HEADERS) \
		$(FUZZ_HDR) tests/fuzz/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(WARN) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_B)/liblkey-fuzz.a: $(FUZZ_LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_B)/fuzz_%: tests/fuzz/libfuzzer.c $(FUZZ_B)/obj/tests/fuzz/fz_%.o \
		$(FUZZ_SUPPORT:%.c=$(FUZZ_B)/obj/%.o) $(FUZZ_B)/liblkey-fuzz.a
	$(FUZZ_CC) $(WARN) $(FUZZ_CFLAGS) -fsanitize=fuzzer \
		-DFUZZ_TARGET=fuzz_$* -o $@ $^ $(SODIUM_LIBS) $(B64_LIBS) \
		$(DB_LIBS) -pthread

fuzz-build: $(FUZZ_BIN)

# Each target on a copy of its corpus in $(FUZZ_B)/corpus/NAME (new
# inputs stay out of the repository); a crash fails make and leaves its
# input in $(FUZZ_B).
# clang and its sanitizer and libFuzzer runtimes (one package on Debian 12,
# libclang-rt-dev; part of clang on older releases).
fuzz:
	@sh tools/deps.sh clang $$(apt-cache show libclang-rt-dev \
		>/dev/null 2>&1 && echo libclang-rt-dev)
	@$(MAKE) --no-print-directory $(BUILD_JOBS) fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_B) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-replay: fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_B) 0 $(FUZZ_TARGETS)
