/*
 * test_amalgamation.c - the amalgamation (make amalgamation): generated
 * from the sources, it compiles alone, as an integrator compiles it, and
 * the library's unit tests pass linked to it instead of liblkey.a.
 *
 * make amalgamation runs with B=$LKEY_BUILD_DIR. lkey.c must say first
 * that it is generated, include no internal header (each is inlined) and
 * only "lkey.h" of its own; lkey.h must be include/lkey.h. lkey.c is then
 * compiled with gcc and with clang at -std=c11 -Wall -Wextra -pedantic
 * -Werror with only the libsodium and libb64 headers (tools/depheaders.sh)
 * beside the system's, and with x86_64-w64-mingw32-gcc for Windows, as a
 * static build (LKEY_STATIC) and as a DLL's (LKEY_BUILD): skipped where
 * that compiler is not installed. Last, make amalgamation-tests builds the
 * unit tests of AMALG_TESTS (Makefile) against it and each must pass.
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

/* Larger than lkey.c (some 180 KB) and lkey.h will grow to. */
#define SRC_CAP (2U * 1024U * 1024U)


/* make TARGET B=$LKEY_BUILD_DIR (SANITIZE=1 in the ASan build). */
static void
make_target(const struct fx *fx, const char *target)
{
	char b[PATHCAP];
	const char *argv[] = { "make", "--no-print-directory", target, b,
	    ASAN_BUILD ? "SANITIZE=1" : NULL, NULL };
	struct result r;

	bprintf(b, sizeof(b), "B=%s", fx->bindir);
	run_tool_ok(target, argv, NULL, &r);
}

static char *
slurp(const char *path)
{
	char *buf = malloc(SRC_CAP);

	assert_non_null(buf);
	(void)read_file(path, buf, SRC_CAP);
	return buf;
}

static void
test_generated(void **state)
{
	const struct fx *fx = *state;
	char path[PATHCAP];
	char *c, *h, *orig, *line, *p;
	size_t n = 0;

	make_target(fx, "amalgamation");
	bprintf(path, sizeof(path), "%s/amalgamation/lkey.c", fx->bindir);
	c = slurp(path);
	bprintf(path, sizeof(path), "%s/amalgamation/lkey.h", fx->bindir);
	h = slurp(path);
	orig = slurp("include/lkey.h");

	/* Its first lines say it is generated, and from what. */
	p = strchr(c, '\n');
	assert_non_null(p);
	assert_non_null(strstr(c, "GENERATED"));
	assert_true(strstr(c, "GENERATED") < strchr(p + 1, '\n'));
	assert_contains(c, "do not edit");
	assert_non_null(strstr(h, "GENERATED"));
	/* lkey.h: include/lkey.h after its two lines of notice. */
	p = strchr(h, '\n');
	assert_non_null(p);
	p = strchr(p + 1, '\n');
	assert_non_null(p);
	assert_string_equal(p + 1, orig);

	/* No internal header is left to find: "lkey.h" once, nothing else. */
	for (line = c; line != NULL && *line != '\0';
	    line = (p = strchr(line, '\n')) != NULL ? p + 1 : NULL) {
		if (strncmp(line, "#include \"", 10) != 0)
			continue;
		if (strncmp(line, "#include \"lkey.h\"\n", 18) != 0) {
			p = strchr(line, '\n');
			fail_msg("lkey.c includes %.*s", p != NULL ?
			    (int)(p - line) : 40, line);
		}
		n++;
	}
	assert_int_equal(n, 1);
	/* Both platform files are in it, each behind its guard. */
	assert_contains(c, "==== verify/store/platform_posix.c ====");
	assert_contains(c, "==== verify/store/platform_win32.c ====");
	assert_contains(c, "#ifndef _WIN32");
	assert_contains(c, "#ifdef _WIN32");
	free(c);
	free(h);
	free(orig);
}

/* The libsodium and libb64 headers alone, for -isystem. */
static void
dep_headers(const struct fx *fx, char *dir, size_t cap)
{
	const char *argv[] = { "sh", "tools/depheaders.sh", dir, NULL };
	struct result r;

	bprintf(dir, cap, "%s/dep", fx->dir);
	run_tool_ok("tools/depheaders.sh", argv, NULL, &r);
}

/*
 * Compiles lkey.c with cc as an integrator does; define is NULL or one
 * -D option. Returns false if cc is not installed (exit 127).
 */
static bool
compile_with(const struct fx *fx, const char *cc, const char *define)
{
	char dep[PATHCAP], src[PATHCAP], obj[PATHCAP], what[PATHCAP];
	const char *argv[] = { cc, "-std=c11", "-Wall", "-Wextra", "-pedantic",
	    "-Werror", "-isystem", dep, "-c", src, "-o", obj, define, NULL };
	struct result r;

	make_target(fx, "amalgamation");
	dep_headers(fx, dep, sizeof(dep));
	bprintf(src, sizeof(src), "%s/amalgamation/lkey.c", fx->bindir);
	bprintf(obj, sizeof(obj), "%s/lkey-%s.o", fx->dir, cc);
	run_tool(argv, NULL, NULL, 0, &r);
	if (r.code == 127 && strstr(r.err, "proc: cannot run") != NULL)
		return false;
	bprintf(what, sizeof(what), "%s -c lkey.c%s%s", cc,
	    define != NULL ? " " : "", define != NULL ? define : "");
	if (r.code != 0 || r.errlen != 0) {
		show(what, &r);
		fail_msg("%s: not clean", what);
	}
	return true;
}

static void
test_gcc(void **state)
{
	if (!compile_with(*state, "gcc", NULL))
		skip();
}

static void
test_clang(void **state)
{
	if (!compile_with(*state, "clang", NULL))
		skip();
}

static void
test_mingw(void **state)
{
	if (!compile_with(*state, "x86_64-w64-mingw32-gcc", "-DLKEY_STATIC")) {
		print_message("x86_64-w64-mingw32-gcc not installed: the "
		    "Windows compile is not checked\n");
		skip();
	}
	/* A DLL's build: LKEY_API is __declspec(dllexport). */
	assert_true(compile_with(*state, "x86_64-w64-mingw32-gcc", NULL));
}

static void
test_unit_tests(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], bin[PATHCAP], env[PATHCAP];
	const char *argv[] = { bin, NULL };
	const char *extra_env[] = { env, NULL };
	struct dirent *e;
	struct result r;
	size_t n = 0;
	DIR *d;

	/* Every test of AMALG_TESTS (the Makefile's list, the one list). */
	make_target(fx, "amalgamation-tests");
	bprintf(env, sizeof(env), "LKEY_BUILD_DIR=%s", fx->bindir);
	bprintf(dir, sizeof(dir), "%s/amalgamation/tests", fx->bindir);
	d = opendir(dir);
	if (d == NULL)
		fail_msg("%s: make amalgamation-tests made no tests", dir);
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "test_", 5) != 0)
			continue;
		bprintf(bin, sizeof(bin), "%s/%s", dir, e->d_name);
		run_tool_ok(e->d_name, argv, extra_env, &r);
		/* cmocka's summary: all passed, none skipped. */
		assert_true(strstr(r.out, "[  PASSED  ]") != NULL ||
		    strstr(r.err, "[  PASSED  ]") != NULL);
		n++;
	}
	(void)closedir(d);
	if (n == 0)
		fail_msg("%s: make amalgamation-tests made no tests", dir);
	print_message("%zu unit tests passed against the amalgamation\n", n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generated),
		cmocka_unit_test(test_gcc),
		cmocka_unit_test(test_clang),
		cmocka_unit_test(test_mingw),
		cmocka_unit_test(test_unit_tests),
	};

	/* A surrounding make's jobserver and options must not reach ours. */
	(void)unsetenv("MAKEFLAGS");
	(void)unsetenv("MAKELEVEL");
	(void)unsetenv("MFLAGS");
	return cmocka_run_group_tests_name("amalgamation", tests, proc_setup,
	    proc_teardown);
}
