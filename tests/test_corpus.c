/*
 * test_corpus.c - the fuzz corpus, replayed through every fuzz target
 *
 * One test per target of tests/fuzz/targets.h: every file of
 * tests/fuzz/corpus/NAME/ (at least CORPUS_MIN of them) and, if it exists,
 * tests/fuzz/crashes/NAME/ (inputs that once broke a parser) goes through
 * fuzz_NAME with its invariant checks. So `make test` runs them plain and
 * under ASan + UBSan, with no clang and no libFuzzer. Each input is read
 * into a heap block of exactly its size, as libFuzzer passes it, so a read
 * one byte too far is caught. A broken check fails the test naming the
 * file. The tests run from the repository root.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fuzz/targets.h"
#include "lkey.h"

#define CORPUS_DIR "tests/fuzz/corpus"
#define CRASHES_DIR "tests/fuzz/crashes"
/* Fewer files than this in a corpus is a corpus gone missing. */
#define CORPUS_MIN 5U
/* Larger than any input a target is run with (tests/fuzz/fuzz.mk). */
#define INPUT_MAX (1024U * 1024U)
#define NAMES_MAX 1024U
#define PATH_CAP 1024U

typedef int (*target_fn)(const uint8_t *, size_t);

/* The input being replayed, for fuzz_fail's message. */
static char current[PATH_CAP];

void
fuzz_fail(const char *file, int line, const char *what)
{
	fail_msg("%s: check failed at %s:%d: %s", current, file, line, what);
	abort();	/* fail_msg does not return inside a test */
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The whole file at path, in a block of exactly its size (one byte if 0). */
static uint8_t *
slurp(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size < 0 || (uintmax_t)st.st_size > INPUT_MAX)
		fail_msg("%s: not a regular file of at most %u bytes", path,
		    INPUT_MAX);
	*len = (size_t)st.st_size;
	buf = malloc(*len > 0 ? *len : 1U);
	assert_non_null(buf);
	if (fread(buf, 1, *len, f) != *len)
		fail_msg("%s: cannot read", path);
	(void)fclose(f);
	return buf;
}

/*
 * Runs every regular file of dir/name through fn, in name order; returns
 * how many. A missing directory is 0 files.
 */
static size_t
replay_dir(const char *dir, const char *name, target_fn fn)
{
	char path[PATH_CAP], *names[NAMES_MAX];
	struct dirent *e;
	size_t n = 0, i, len;
	uint8_t *data;
	DIR *d;
	int w;

	w = snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_true(w > 0 && (size_t)w < sizeof(path));
	if ((d = opendir(path)) == NULL) {
		if (errno == ENOENT)
			return 0;
		fail_msg("%s: %s", path, strerror(errno));
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == NAMES_MAX)
			fail_msg("%s: more than %u files", path, NAMES_MAX);
		names[n] = strdup(e->d_name);
		assert_non_null(names[n]);
		n++;
	}
	(void)closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	for (i = 0; i < n; i++) {
		w = snprintf(current, sizeof(current), "%s/%s/%s", dir, name,
		    names[i]);
		assert_true(w > 0 && (size_t)w < sizeof(current));
		data = slurp(current, &len);
		assert_int_equal(fn(data, len), 0);
		free(data);
		free(names[i]);
	}
	current[0] = '\0';
	return n;
}

static void
replay(const char *name, target_fn fn)
{
	size_t n = replay_dir(CORPUS_DIR, name, fn);

	if (n < CORPUS_MIN)
		fail_msg("%s/%s: %zu files, want at least %u", CORPUS_DIR,
		    name, n, CORPUS_MIN);
	(void)replay_dir(CRASHES_DIR, name, fn);
}

#define TEST_TARGET(name) \
	static void \
	test_##name(void **state) \
	{ \
		(void)state; \
		replay(#name, fuzz_##name); \
	}
FUZZ_TARGET_LIST(TEST_TARGET)
#undef TEST_TARGET

static int
setup(void **state)
{
	(void)state;
	return lkey_init();
}

int
main(void)
{
#define TEST_ENTRY(name) cmocka_unit_test(test_##name),
	const struct CMUnitTest tests[] = {
		FUZZ_TARGET_LIST(TEST_ENTRY)
	};
#undef TEST_ENTRY

	return cmocka_run_group_tests(tests, setup, NULL);
}
