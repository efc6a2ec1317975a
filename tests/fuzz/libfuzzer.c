/*
 * libfuzzer.c - the libFuzzer entry points for one target, chosen when
 * compiling: -DFUZZ_TARGET=fuzz_<name> (tests/fuzz/fuzz.mk does this).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lkey.h"
#include "targets.h"

#ifndef FUZZ_TARGET
#error "compile with -DFUZZ_TARGET=fuzz_<name>"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (lkey_init() != 0) {
		fprintf(stderr, "fuzz: cannot initialise libsodium\n");
		exit(1);
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return FUZZ_TARGET(data, size);
}

/* A broken invariant is a crash: libFuzzer writes the input out. */
void
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "fuzz: %s:%d: check failed: %s\n", file, line, what);
	abort();
}
