/*
 * test_docs.c - the guides in docs/ work as written: every command block
 * of each guide runs, in order, in a scratch copy of the source tree
 * (tests/doctest.sh says how), and must succeed.
 *
 * Runs for the plain build only: the guides compile programs against
 * liblkey the way a reader does, with no sanitizer flags, which the
 * sanitizer build's library needs. The runs start from the repository
 * root.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proc.h"

/* The guides with commands; test_all_listed finds any other. */
static const char *const guides[] = {
	"docs/EMBEDDING.md", "docs/VENDOR.md", "docs/OPERATIONS.md",
	"docs/CI.md", "docs/STORE.md", "docs/ROTATION.md",
};
#define NGUIDES (sizeof(guides) / sizeof(guides[0]))

static bool
sanitized(const struct fx *fx)
{
	size_t n = strlen(fx->bindir);

	return n >= 4U && strcmp(fx->bindir + n - 4U, "asan") == 0;
}

static void
run_guide(void **state, const char *doc)
{
	const struct fx *fx = *state;
	const char *argv[] = { "sh", "tests/doctest.sh", fx->bindir, doc,
	    NULL };
	struct result r;

	if (sanitized(fx)) {
		print_message("%s: run with the plain build only\n", doc);
		skip();
	}
	run_tool(argv, NULL, NULL, 0, &r);
	if (r.code != 0) {
		show(doc, &r);
		fail_msg("%s: a command of the guide failed", doc);
	}
}

static void test_embedding(void **state) { run_guide(state, guides[0]); }
static void test_vendor(void **state) { run_guide(state, guides[1]); }
static void test_operations(void **state) { run_guide(state, guides[2]); }
static void test_ci(void **state) { run_guide(state, guides[3]); }
static void test_store(void **state) { run_guide(state, guides[4]); }
static void test_rotation(void **state) { run_guide(state, guides[5]); }

/* Whether a file has a line starting with the fence of a command block. */
static bool
has_commands(const char *path)
{
	char line[4096];
	bool found = false;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		fail_msg("%s: cannot open", path);
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strncmp(line, "```sh", 5) == 0 &&
		    (line[5] == '\n' || line[5] == ' ' || line[5] == '\0');
	fclose(f);
	return found;
}

/* Every guide in docs/ with commands is one of those run above. */
static void
test_all_listed(void **state)
{
	char path[PATHCAP];
	struct dirent *e;
	size_t i, len;
	bool listed;
	int missing = 0;
	DIR *d = opendir("docs");

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len < 4U || strcmp(e->d_name + len - 3U, ".md") != 0)
			continue;
		bprintf(path, sizeof(path), "docs/%s", e->d_name);
		if (!has_commands(path))
			continue;
		listed = false;
		for (i = 0; i < NGUIDES; i++)
			listed = listed || strcmp(guides[i], path) == 0;
		if (!listed) {
			print_error("%s has command blocks that no test runs; "
			    "add it to guides[] in %s\n", path, __FILE__);
			missing++;
		}
	}
	closedir(d);
	for (i = 0; i < NGUIDES; i++)
		if (!has_commands(guides[i])) {
			print_error("%s has no command block to run\n",
			    guides[i]);
			missing++;
		}
	assert_int_equal(missing, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_listed),
		cmocka_unit_test(test_embedding),
		cmocka_unit_test(test_vendor),
		cmocka_unit_test(test_operations),
		cmocka_unit_test(test_ci),
		cmocka_unit_test(test_store),
		cmocka_unit_test(test_rotation),
	};

	/* A guide builds, installs and compiles: more than one program's
	 * run. */
	if (setenv("LKEY_TEST_TIMEOUT_SCALE", "10", 0) != 0)
		return 1;
	return cmocka_run_group_tests_name("docs", tests, proc_setup,
	    proc_teardown);
}
