/*
 * test_cmake.c - the CMake snippets of docs/EMBEDDING.md work as written:
 * each ```cmake block of the guide is a project's CMakeLists.txt, which
 * is configured and built with cmake and whose program is run.
 *
 * The blocks are taken out of the guide, so the guide is what is tested.
 * make install puts lkey into a prefix in the test's directory
 * (B=$LKEY_BUILD_DIR, so nothing is rebuilt), which cmake is given as
 * CMAKE_PREFIX_PATH, as an integrator gives $HOME/.local; make
 * amalgamation writes lkey.c and lkey.h, which are copied beside a block
 * that compiles lkey.c. Each project is the block and a small myapp.c
 * that prints lkey_status_name(LKEY_OK) and whether LKEY_STATIC is
 * defined. A block that compiles lkey.c or uses lkey-static must give a
 * program built with LKEY_STATIC that does not need liblkey (ldd does not
 * list it); the others a program linked to liblkey.so.2, which runs
 * without LD_LIBRARY_PATH (cmake writes the build tree's rpath). The
 * guide must have a block of each kind.
 *
 * Skipped where cmake is not installed. In the ASan build, the projects
 * are built with the sanitizers too, which the ASan build's liblkey
 * needs.
 */
#include <sys/stat.h>

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

#define GUIDE "docs/EMBEDDING.md"
#define DOC_CAP (256U * 1024U)
#define BLOCK_CAP 8192U
#define SAN_FLAGS "-fsanitize=address,undefined"

/* What a block builds against, from what it names. */
enum kind { INSTALLED_SHARED, INSTALLED_STATIC, AMALGAMATION, KINDS };

static const char *const kind_name[KINDS] = {
	"the installed lkey, shared", "the installed lkey-static",
	"the amalgamation",
};

static const char program[] =
    "#include <stdio.h>\n"
    "#include <lkey.h>\n"
    "int\n"
    "main(void)\n"
    "{\n"
    "#ifdef LKEY_STATIC\n"
    "\tconst char *how = \"static\";\n"
    "#else\n"
    "\tconst char *how = \"shared\";\n"
    "#endif\n"
    "\tif (lkey_init() < 0)\n"
    "\t\treturn 1;\n"
    "\tprintf(\"%s %s\\n\", lkey_status_name(LKEY_OK), how);\n"
    "\treturn 0;\n"
    "}\n";

/* make TARGET B=$LKEY_BUILD_DIR and the given variables. */
static void
make_target(const struct fx *fx, const char *target, const char *var1,
    const char *var2)
{
	char b[PATHCAP];
	const char *argv[] = { "make", "--no-print-directory", b,
	    ASAN_BUILD ? "SANITIZE=1" : "SANITIZE=", target, var1, var2,
	    NULL };
	struct result r;

	bprintf(b, sizeof(b), "B=%s", fx->bindir);
	run_tool_ok(target, argv, NULL, &r);
}

/* Whether cmake can be run at all. */
static bool
have_cmake(void)
{
	const char *argv[] = { "cmake", "--version", NULL };
	struct result r;

	run_tool(argv, NULL, NULL, 0, &r);
	return !(r.code == 127 && strstr(r.err, "proc: cannot run") != NULL);
}

static enum kind
kind_of(const char *block)
{
	if (strstr(block, "lkey.c") != NULL)
		return AMALGAMATION;
	if (strstr(block, "lkey-static") != NULL)
		return INSTALLED_STATIC;
	return INSTALLED_SHARED;
}

/*
 * Configures, builds and runs the project in dir (its CMakeLists.txt
 * written already) and checks the program against its kind.
 */
static void
build_and_run(const char *dir, const char *prefix, enum kind k, int n)
{
	char build[PATHCAP], prefix_opt[PATHCAP], prog[PATHCAP],
	    what[PATHCAP];
	const char *configure[] = { "cmake", "-S", dir, "-B", build,
	    prefix_opt, ASAN_BUILD ? "-DCMAKE_C_FLAGS=" SAN_FLAGS : NULL,
	    NULL };
	const char *compile[] = { "cmake", "--build", build, NULL };
	const char *run_prog[] = { prog, NULL };
	const char *ldd[] = { "ldd", prog, NULL };
	const char *const env[] = { "PKG_CONFIG_PATH=", "LD_LIBRARY_PATH=",
	    NULL };
	bool want_static = k != INSTALLED_SHARED, needs;
	struct result r;

	bprintf(build, sizeof(build), "%s/build", dir);
	bprintf(prefix_opt, sizeof(prefix_opt), "-DCMAKE_PREFIX_PATH=%s",
	    prefix);
	bprintf(prog, sizeof(prog), "%s/myapp", build);

	bprintf(what, sizeof(what), "cmake block %d (%s): configure", n,
	    kind_name[k]);
	run_tool_ok(what, configure, env, &r);
	bprintf(what, sizeof(what), "cmake block %d (%s): build", n,
	    kind_name[k]);
	run_tool_ok(what, compile, env, &r);
	bprintf(what, sizeof(what), "cmake block %d (%s): myapp", n,
	    kind_name[k]);
	run_tool_ok(what, run_prog, env, &r);
	if (strcmp(r.out, want_static ? "valid static\n" :
	    "valid shared\n") != 0) {
		show(what, &r);
		fail_msg("%s: expected \"valid %s\"", what,
		    want_static ? "static" : "shared");
	}

	run_tool(ldd, NULL, NULL, 0, &r);
	if (r.code == 127 && strstr(r.err, "proc: cannot run") != NULL) {
		print_message("ldd not installed: not run on %s\n", prog);
		return;
	}
	needs = strstr(r.out, "liblkey.so.2") != NULL;
	if (want_static ? strstr(r.out, "liblkey") != NULL : !needs) {
		show("ldd", &r);
		fail_msg("cmake block %d (%s): %s", n, kind_name[k],
		    want_static ? "the program needs liblkey" :
		    "the program does not need liblkey.so.2");
	}
}

static void
test_cmake_blocks(void **state)
{
	const struct fx *fx = *state;
	static char doc[DOC_CAP], block[BLOCK_CAP];
	char prefix[PATHCAP], prefix_var[PATHCAP], dir[PATHCAP], path[PATHCAP],
	    from[PATHCAP], name[64];
	char *p, *end, *text;
	bool seen[KINDS] = { false };
	size_t len, i;
	enum kind k;
	int n = 0;

	if (!have_cmake()) {
		print_message("cmake not installed: the CMake snippets of "
		    GUIDE " are not checked\n");
		skip();
	}
	path_in(fx, "prefix", prefix, sizeof(prefix));
	bprintf(prefix_var, sizeof(prefix_var), "PREFIX=%s", prefix);
	make_target(fx, "install", prefix_var, NULL);
	make_target(fx, "amalgamation", NULL, NULL);

	(void)read_file(GUIDE, doc, sizeof(doc));
	for (p = doc; (p = strstr(p, "\n```cmake\n")) != NULL; p = end) {
		text = p + strlen("\n```cmake\n");
		end = strstr(text, "\n```\n");
		if (end == NULL)
			fail_msg(GUIDE ": a cmake block is not closed");
		len = (size_t)(end - text) + 1U;	/* its last '\n' */
		bprintf(block, sizeof(block), "%.*s", (int)len, text);
		k = kind_of(block);
		seen[k] = true;
		n++;

		bprintf(name, sizeof(name), "cmake-%d", n);
		path_in(fx, name, dir, sizeof(dir));
		assert_int_equal(mkdir(dir, 0700), 0);
		bprintf(path, sizeof(path), "%s/CMakeLists.txt", dir);
		write_file(path, block, len);
		bprintf(path, sizeof(path), "%s/myapp.c", dir);
		write_file(path, program, sizeof(program) - 1U);
		if (k == AMALGAMATION) {
			static char src[2U * 1024U * 1024U];

			for (i = 0; i < 2; i++) {
				const char *f = i == 0 ? "lkey.c" : "lkey.h";

				bprintf(from, sizeof(from),
				    "%s/amalgamation/%s", fx->bindir, f);
				bprintf(path, sizeof(path), "%s/%s", dir, f);
				len = read_file(from, src, sizeof(src));
				write_file(path, src, len);
			}
		}
		build_and_run(dir, prefix, k, n);
	}
	for (i = 0; i < KINDS; i++)
		if (!seen[i])
			fail_msg(GUIDE " has no cmake block for %s",
			    kind_name[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmake_blocks),
	};

	/* A surrounding make's jobserver and options must not reach ours. */
	(void)unsetenv("MAKEFLAGS");
	(void)unsetenv("MAKELEVEL");
	(void)unsetenv("MFLAGS");
	return cmocka_run_group_tests_name("cmake", tests, proc_setup,
	    proc_teardown);
}
