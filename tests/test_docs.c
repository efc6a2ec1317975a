/*
 * test_docs.c - the guides in docs/ work as written: every command block
 * of each guide runs, in order, in a scratch copy of the source tree
 * (tests/doctest.sh says how), and must succeed. README.md's table of
 * lkey-verify --json names every field and warning the program writes.
 * The transcript make demo prints runs as shown (tests/demotest.sh).
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

#include "lkey.h"
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

/*
 * make demo's transcript runs as shown: each command after "$ ", copied
 * from the terminal and run in order from the top of the tree, prints
 * exactly what the demo shows under it (tests/demotest.sh).
 */
static void
test_demo_transcript(void **state)
{
	const struct fx *fx = *state;
	const char *argv[] = { "sh", "tests/demotest.sh", fx->bindir, NULL };
	struct result r;

	if (sanitized(fx)) {
		print_message("make demo: run with the plain build only\n");
		skip();
	}
	run_tool(argv, NULL, NULL, 0, &r);
	if (r.code != 0) {
		show("tests/demotest.sh", &r);
		fail_msg("make demo's transcript does not run as shown");
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

/* ---- README's JSON table against lkey-verify --json ---------------------- */

#define NAMES_MAX 128U
#define NAME_MAX_LEN 40U

struct names {
	char name[NAMES_MAX][NAME_MAX_LEN];
	size_t n;
};

static bool
names_has(const struct names *ns, const char *name)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		if (strcmp(ns->name[i], name) == 0)
			return true;
	return false;
}

static void
names_add(struct names *ns, const char *name, size_t len)
{
	char n[NAME_MAX_LEN];

	assert_true(len > 0 && len < NAME_MAX_LEN);
	memcpy(n, name, len);
	n[len] = '\0';
	if (names_has(ns, n))
		return;
	assert_true(ns->n < NAMES_MAX);
	memcpy(ns->name[ns->n++], n, len + 1U);
}

static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || c == '_';
}

/* Every "name": of a JSON text: its keys, at any depth. */
static void
json_keys(const char *json, struct names *ns)
{
	const char *p, *q;

	for (p = json; (p = strchr(p, '"')) != NULL; p = q + 1) {
		for (q = p + 1; is_name_char(*q); q++)
			;
		if (*q != '"')
			continue;
		if (q[1] == ':' && q > p + 1)
			names_add(ns, p + 1, (size_t)(q - p - 1));
	}
}

/* One --json run of lkey-verify; its keys into ns. */
static void
json_run(const struct fx *fx, struct names *ns, const char *what, ...)
{
	const char *argv[ARGMAX + 1U], *first;
	struct result r;
	va_list ap;

	va_start(ap, what);
	argv[0] = "lkey-verify";
	first = va_arg(ap, const char *);
	collect_args(first, ap, argv + 1);
	va_end(ap);
	run(fx, argv, NULL, 0, &r);
	if (r.outlen == 0 || r.out[0] != '{') {
		show(what, &r);
		fail_msg("%s: no JSON", what);
	}
	json_keys(r.out, ns);
}

/*
 * The README's table of lkey-verify --json: every field and every warning
 * code lkey-verify writes is named in it, and every field its first
 * column names is written, in runs that between them give every field
 * (a node-locked key with a grace period and a module, users over its
 * seats, --install, a store with a pending renewal, a mistyped key).
 */
static void
test_readme_json(void **state)
{
	static const char head[] = "With `--json` it prints one object on "
	    "one line:\n";
	static char readme[65536], table[16384], want[64];
	static struct names got, listed;
	const struct fx *fx = *state;
	char k1[KEYCAP], k2[KEYCAP], k3[KEYCAP], bad[KEYCAP], file[PATHCAP],
	    store[PATHCAP];
	const char *p, *end, *row, *q;
	size_t i, n;
	int missing = 0;

	n = read_file("README.md", readme, sizeof(readme));
	assert_true(n < sizeof(readme) - 1U);
	p = strstr(readme, head);
	assert_non_null(p);
	p += strlen(head);
	end = strstr(p, "|\n\n");
	assert_non_null(end);
	assert_true((size_t)(end - p) < sizeof(table));
	memcpy(table, p, (size_t)(end - p) + 2U);
	table[end - p + 2] = '\0';

	issue(fx, NULL, k1, sizeof(k1), "--secret", DEMO_SEC, "--catalog",
	    CATALOG, "--product", "timelog", "--edition", "professional",
	    "--seats", "5", "--starts", "2027-01-01", "--expires",
	    "2027-12-31", "--maintenance", "2027-12-31", "--features",
	    "reports,payroll", "--module-seats", "payroll=2", "--grace-days",
	    "7", "--licensee", "Example GmbH", "--host", "0123456789abcdef",
	    "--serial", "11", NULL);
	issue(fx, NULL, k2, sizeof(k2), "--secret", DEMO_SEC, "--product", "2",
	    "--edition", "1", "--seats", "5", "--starts", "2027-01-01",
	    "--expires", "2027-12-31", "--maintenance", "2027-12-31",
	    "--serial", "12", NULL);
	issue(fx, NULL, k3, sizeof(k3), "--secret", DEMO_SEC, "--product", "2",
	    "--edition", "1", "--seats", "5", "--starts", "2028-01-01",
	    "--expires", "2028-12-31", "--maintenance", "2028-12-31",
	    "--serial", "13", NULL);
	path_in(fx, "readme-json.key", file, sizeof(file));
	path_in(fx, "readme-json-store", store, sizeof(store));
	json_run(fx, &got, "node-locked, over its seats, --install",
	    "--pubkey", DEMO_PUB, "--catalog", CATALOG, "--product", "timelog",
	    "--today", "2027-06-15", "--users", "6", "--over-since",
	    "2027-06-14", "--module-users", "payroll=3", "--host",
	    "0123456789abcdef", "--install", file, "--json", k1, NULL);
	json_run(fx, &got, "--store --register", "--pubkey", DEMO_PUB,
	    "--product", "2", "--today", "2027-06-15", "--store", store,
	    "--register", "--json", k2, NULL);
	json_run(fx, &got, "--store --register, a renewal", "--pubkey",
	    DEMO_PUB, "--product", "2", "--today", "2027-06-15", "--store",
	    store, "--register", "--json", k3, NULL);
	memcpy(bad, k2, sizeof(bad));
	bad[40] = bad[40] == 'A' ? 'B' : 'A';
	json_run(fx, &got, "a mistyped key", "--pubkey", DEMO_PUB,
	    "--product", "2", "--json", bad, NULL);

	for (i = 0; i < got.n; i++) {
		bprintf(want, sizeof(want), "`%s`", got.name[i]);
		if (strstr(table, want) != NULL)
			continue;
		bprintf(want, sizeof(want), "\"%s\"", got.name[i]);
		if (strstr(table, want) != NULL)
			continue;
		print_error("lkey-verify --json writes \"%s\", which "
		    "README.md's JSON table does not name\n", got.name[i]);
		missing++;
	}
	/* Every warning code, in the row of warnings. */
	row = strstr(table, "| `warnings` |");
	assert_non_null(row);
	end = strchr(row, '\n');
	for (i = 0; i < LKEY_WARNING_COUNT; i++) {
		bprintf(want, sizeof(want), "`%s`",
		    lkey_warning_name((lkey_warning)i));
		q = strstr(row, want);
		if (q == NULL || q > end) {
			print_error("warning %s is not in README.md's row of "
			    "warnings\n", want);
			missing++;
		}
	}
	/* The first column's names: each one written. */
	for (row = table; (row = strstr(row, "\n| `")) != NULL; row++) {
		end = strstr(row + 3, " |");
		assert_non_null(end);
		for (p = row + 3; p < end && (p = strchr(p, '`')) != NULL &&
		    p < end; p = q + 1) {
			q = strchr(p + 1, '`');
			assert_non_null(q);
			names_add(&listed, p + 1, (size_t)(q - p - 1));
		}
	}
	assert_true(listed.n > 30U);
	for (i = 0; i < listed.n; i++)
		if (!names_has(&got, listed.name[i])) {
			print_error("README.md's JSON table names `%s`, which "
			    "no run wrote\n", listed.name[i]);
			missing++;
		}
	assert_int_equal(missing, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_listed),
		cmocka_unit_test(test_readme_json),
		cmocka_unit_test(test_demo_transcript),
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
