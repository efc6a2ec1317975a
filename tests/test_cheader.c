/*
 * test_cheader.c - lkey-keygen pubkey: key ids, and the key ring as a C
 * header that an application compiles in
 *
 * The header is checked the way an application uses it: a small program
 * that includes it is compiled with the C compiler and linked with the
 * liblkey.a of $LKEY_BUILD_DIR, then verifies keys with the embedded ring.
 * A ring with the demo key must not compile unless the build defines
 * LKEY_ALLOW_DEMO_KEY. The runs start from the repository root.
 */
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
#include "support.h"

#define SAMPLE "keys/samples/valid.key"
#define TODAY "2027-06-15"

/*
 * The application: the key text on standard input; argv[1] the product
 * number, argv[2] today. Prints the verdict's name; exit 0 only if valid.
 * RING and RING_COUNT name the header's ring.
 */
static const char app_src[] =
    "#include <stdio.h>\n"
    "#include <stdlib.h>\n"
    "#include \"ring.h\"\n"
    "int main(int argc, char **argv)\n"
    "{\n"
    "\tstatic char text[LKEY_TEXT_MAX + 1];\n"
    "\tlkey_license lic;\n"
    "\tlkey_context ctx = { 0 };\n"
    "\tlkey_report rep;\n"
    "\tlkey_status st;\n"
    "\tsize_t len;\n"
    "\tif (argc != 3 || lkey_init() != 0)\n"
    "\t\treturn 2;\n"
    "\tlen = fread(text, 1, sizeof(text) - 1, stdin);\n"
    "\tctx.product = (uint32_t)strtoul(argv[1], NULL, 10);\n"
    "\tif (!lkey_day_parse(argv[2], &ctx.today))\n"
    "\t\treturn 2;\n"
    "\tst = lkey_decode(text, len, RING, RING_COUNT, &lic, NULL);\n"
    "\tif (st == LKEY_OK)\n"
    "\t\tst = lkey_check(&lic, &ctx, &rep);\n"
    "\tprintf(\"%s %zu\\n\", lkey_status_name(st), (size_t)RING_COUNT);\n"
    "\treturn st == LKEY_OK ? 0 : 3;\n"
    "}\n";

struct app {
	char dir[PATHCAP];	/* where ring.h, app.c and app live */
	char bin[PATHCAP];
};

static bool
sanitized(const struct fx *fx)
{
	size_t n = strlen(fx->bindir);

	return n >= 4U && strcmp(fx->bindir + n - 4U, "asan") == 0;
}

/* lkey-keygen pubkey with the arguments that follow r (NULL-terminated). */
static void
pubkey(const struct fx *fx, struct result *r, ...)
{
	const char *argv[ARGMAX + 1U], *first;
	va_list ap;

	va_start(ap, r);
	argv[0] = "lkey-keygen";
	argv[1] = "pubkey";
	first = va_arg(ap, const char *);
	collect_args(first, ap, argv + 2);
	va_end(ap);
	run(fx, argv, NULL, 0, r);
}

static void
expect_usage(const struct fx *fx, const char *what, const char *needle,
    struct result *r)
{
	if (r->code != 2 || r->outlen != 0 || err_lines(r) != 1 ||
	    strstr(r->err, needle) == NULL) {
		show(what, r);
		fail_msg("%s: expected exit 2, one line with \"%s\", no output",
		    what, needle);
	}
	(void)fx;
}

/*
 * Writes the header and the application into fx->dir/sub and compiles
 * them; allow_demo adds -DLKEY_ALLOW_DEMO_KEY. Returns the compiler's run.
 */
static void
build_app(const struct fx *fx, const char *sub, const char *header,
    size_t hlen, const char *ring, const char *count, bool allow_demo,
    struct app *app, struct result *r)
{
	char path[PATHCAP], lib[PATHCAP], inc[PATHCAP + 2U], dring[128],
	    dcount[128];
	const char *argv[ARGMAX + 1U];
	size_t n = 0;

	path_in(fx, sub, app->dir, sizeof(app->dir));
	if (!file_exists(app->dir)) {
		const char *mk[] = { "mkdir", "-p", app->dir, NULL };

		run_tool(mk, NULL, NULL, 0, r);
		assert_int_equal(r->code, 0);
	}
	bprintf(path, sizeof(path), "%s/ring.h", app->dir);
	write_file(path, header, hlen);
	bprintf(path, sizeof(path), "%s/app.c", app->dir);
	write_file(path, app_src, strlen(app_src));
	bprintf(app->bin, sizeof(app->bin), "%s/app", app->dir);
	bprintf(lib, sizeof(lib), "%s/liblkey.a", fx->bindir);
	bprintf(inc, sizeof(inc), "-I%s", app->dir);
	bprintf(dring, sizeof(dring), "-DRING=%s", ring);
	bprintf(dcount, sizeof(dcount), "-DRING_COUNT=%s", count);
	argv[n++] = "cc";
	argv[n++] = "-std=c11";
	argv[n++] = "-Wall";
	argv[n++] = "-Wextra";
	argv[n++] = "-Werror";
	argv[n++] = "-Iinclude";
	argv[n++] = inc;
	argv[n++] = dring;
	argv[n++] = dcount;
	if (allow_demo)
		argv[n++] = "-DLKEY_ALLOW_DEMO_KEY";
	if (sanitized(fx))	/* liblkey.a of this build is instrumented */
		argv[n++] = "-fsanitize=address,undefined";
	argv[n++] = "-o";
	argv[n++] = app->bin;
	argv[n++] = path;
	argv[n++] = lib;
	argv[n++] = "-lsodium";
	argv[n++] = "-lb64";
	argv[n] = NULL;
	run_tool(argv, NULL, NULL, 0, r);
}

/* Runs the application on key text; its output in r. */
static void
run_app(const struct app *app, const char *key, size_t len,
    const char *product, struct result *r)
{
	const char *argv[] = { app->bin, product, TODAY, NULL };

	run_tool(argv, NULL, key, len, r);
}

static void
read_sample(char *key, size_t cap)
{
	read_file(SAMPLE, key, cap);
}

/* The demo key: its ring stops the compiler unless the build allows it. */
static void
test_demo_refused(void **state)
{
	const struct fx *fx = *state;
	struct result r, c;
	struct app app;
	char key[KEYCAP];

	pubkey(fx, &r, "--c-header", DEMO_PUB, NULL);
	if (r.code != 0 || r.errlen != 0) {
		show("pubkey --c-header demo", &r);
		fail_msg("pubkey --c-header failed");
	}
	assert_non_null(strstr(r.out, "#error"));
	assert_non_null(strstr(r.out, "LKEY_ALLOW_DEMO_KEY"));

	build_app(fx, "demo-refused", r.out, r.outlen, "lkey_vendor_keys",
	    "LKEY_VENDOR_KEYS_COUNT", false, &app, &c);
	if (c.code == 0 || strstr(c.err, "demo key") == NULL ||
	    strstr(c.err, "277e0164") == NULL) {
		show("cc without LKEY_ALLOW_DEMO_KEY", &c);
		fail_msg("a ring with the demo key compiled without "
		    "LKEY_ALLOW_DEMO_KEY, or the error does not say why");
	}
	assert_false(file_exists(app.bin));

	/* Allowed explicitly (a test build): it compiles and verifies. */
	build_app(fx, "demo-allowed", r.out, r.outlen, "lkey_vendor_keys",
	    "LKEY_VENDOR_KEYS_COUNT", true, &app, &c);
	if (c.code != 0) {
		show("cc -DLKEY_ALLOW_DEMO_KEY", &c);
		fail_msg("the demo ring did not compile with "
		    "LKEY_ALLOW_DEMO_KEY");
	}
	read_sample(key, sizeof(key));
	run_app(&app, key, strlen(key), "1", &c);
	if (c.code != 0 || strcmp(c.out, "valid 1\n") != 0) {
		show("app on valid.key", &c);
		fail_msg("the embedded demo ring did not verify valid.key");
	}
	run_app(&app, key, strlen(key), "2", &c);
	assert_string_equal(c.out, "wrong_product 1\n");
}

/*
 * The demo key is known by its key id too: a copy of the file without its
 * "DEMO KEY" comment still gives the #error.
 */
static void
test_demo_by_id(void **state)
{
	const struct fx *fx = *state;
	char text[4096], path[PATHCAP], *line, out[8192];
	struct result r;
	size_t len = 0;

	read_file(DEMO_PUB, text, sizeof(text));
	for (line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n"))
		if (line[0] != '#')
			len += (size_t)snprintf(out + len, sizeof(out) - len,
			    "%s\n", line);
	path_in(fx, "bare.pub", path, sizeof(path));
	write_file(path, out, len);
	pubkey(fx, &r, "--c-header", path, NULL);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.out, "#error"));
	pubkey(fx, &r, path, NULL);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.out, "277e0164"));
	assert_non_null(strstr(r.out, "DEMO"));
}

/*
 * A vendor's own key: no #error; the application accepts the vendor's keys
 * and refuses demo keys (unknown_key). Two files make a ring of two; the
 * name is the one given.
 */
static void
test_own_ring(void **state)
{
	const struct fx *fx = *state;
	char sec[PATHCAP], pub[PATHCAP], sec2[PATHCAP], pub2[PATHCAP];
	char key[KEYCAP], key2[KEYCAP], demo[KEYCAP], line[128];
	struct result r, c;
	struct app app;

	init_plain(fx, "v1", sec, pub);
	init_plain(fx, "v2", sec2, pub2);
	issue(fx, NULL, key, sizeof(key), "--secret", sec,
	    "--product", "1", "--edition", "2", "--seats", "5", "--expires",
	    "never", "--maintenance", "never", "--starts", "2027-01-01",
	    NULL);
	issue(fx, NULL, key2, sizeof(key2), "--secret", sec2,
	    "--product", "1", "--edition", "2", "--seats", "5", "--expires",
	    "never", "--maintenance", "never", "--starts", "2027-01-01",
	    NULL);
	read_sample(demo, sizeof(demo));

	/* One key. */
	pubkey(fx, &r, "--c-header", "--name", "shop_keys", pub, NULL);
	assert_int_equal(r.code, 0);
	assert_int_equal(r.errlen, 0);
	assert_null(strstr(r.out, "#error"));
	assert_non_null(strstr(r.out, "static const lkey_pubkey shop_keys[]"));
	assert_non_null(strstr(r.out, "#define SHOP_KEYS_COUNT"));
	assert_non_null(strstr(r.out, "#ifndef SHOP_KEYS_H"));
	build_app(fx, "own1", r.out, r.outlen, "shop_keys", "SHOP_KEYS_COUNT",
	    false, &app, &c);
	if (c.code != 0) {
		show("cc", &c);
		fail_msg("the vendor's own ring did not compile");
	}
	run_app(&app, key, strlen(key), "1", &c);
	assert_int_equal(c.code, 0);
	assert_string_equal(c.out, "valid 1\n");
	run_app(&app, key2, strlen(key2), "1", &c);
	assert_string_equal(c.out, "unknown_key 1\n");
	run_app(&app, demo, strlen(demo), "1", &c);
	assert_string_equal(c.out, "unknown_key 1\n");

	/* Two files: both keys verify (a rotation). */
	pubkey(fx, &r, "--c-header", pub, pub2, NULL);
	assert_int_equal(r.code, 0);
	build_app(fx, "own2", r.out, r.outlen, "lkey_vendor_keys",
	    "LKEY_VENDOR_KEYS_COUNT", false, &app, &c);
	assert_int_equal(c.code, 0);
	run_app(&app, key, strlen(key), "1", &c);
	assert_string_equal(c.out, "valid 2\n");
	run_app(&app, key2, strlen(key2), "1", &c);
	assert_string_equal(c.out, "valid 2\n");

	/* The listing names both key ids, in order, one line each. */
	pubkey(fx, &r, pub, pub2, NULL);
	assert_int_equal(r.code, 0);
	assert_int_equal(r.errlen, 0);
	bprintf(line, sizeof(line), "  %s\n", pub2);
	assert_non_null(strstr(r.out, line));
	assert_null(strstr(r.out, "DEMO"));
}

/* Generating the same ring twice gives the same bytes. */
static void
test_stable(void **state)
{
	const struct fx *fx = *state;
	static char first[OUTCAP + 1U];
	struct result r;

	pubkey(fx, &r, "--c-header", DEMO_PUB, NULL);
	assert_int_equal(r.code, 0);
	memcpy(first, r.out, r.outlen + 1U);
	pubkey(fx, &r, "--c-header", DEMO_PUB, NULL);
	assert_string_equal(first, r.out);
}

/* Bad input: one line on stderr, nothing on stdout, the right status. */
static void
test_bad_input(void **state)
{
	const struct fx *fx = *state;
	static const struct bad_text names[] = {
		{ "", "C identifier" },
		{ "1ring", "C identifier" },
		{ "my-ring", "C identifier" },
		{ "ring.h", "C identifier" },
		{ "int", "keyword" },
		{ "__ring", "reserved" },
		{ "_Ring", "reserved" },
		{ "a234567890123456789012345678901234567890123456789012345678901234",
		    "63" },
	};
	char path[PATHCAP], what[256];
	struct result r;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		pubkey(fx, &r, "--c-header", "--name", names[i].text, DEMO_PUB,
		    NULL);
		bprintf(what, sizeof(what), "--name '%s'", names[i].text);
		expect_usage(fx, what, names[i].want, &r);
	}
	pubkey(fx, &r, "--c-header", NULL);
	expect_usage(fx, "no file", "public key files", &r);
	pubkey(fx, &r, "--name", "x", DEMO_PUB, NULL);
	expect_usage(fx, "--name alone", "--c-header", &r);
	pubkey(fx, &r, "--c-header", "--frob", DEMO_PUB, NULL);
	expect_usage(fx, "unknown option", "--frob", &r);

	/* Files that cannot be used: exit 1, nothing printed. */
	path_in(fx, "missing.pub", path, sizeof(path));
	pubkey(fx, &r, "--c-header", DEMO_PUB, path, NULL);
	if (r.code != 1 || r.outlen != 0 || err_lines(&r) != 1 ||
	    strstr(r.err, "missing.pub") == NULL) {
		show("missing file", &r);
		fail_msg("a missing file: expected exit 1 naming it, no output");
	}
	pubkey(fx, &r, "--c-header", DEMO_SEC, NULL);
	if (r.code != 1 || r.outlen != 0 || err_lines(&r) != 1 ||
	    strstr(r.err, "not an lkey public key") == NULL) {
		show("a secret key file", &r);
		fail_msg("a secret key file was not refused as no public key");
	}
	pubkey(fx, &r, "--c-header", DEMO_PUB, DEMO_PUB, NULL);
	if (r.code != 1 || r.outlen != 0 || err_lines(&r) != 1 ||
	    strstr(r.err, "twice") == NULL) {
		show("the same file twice", &r);
		fail_msg("the same file twice was not refused");
	}
	path_in(fx, "copy.pub", path, sizeof(path));
	{
		char text[4096];
		size_t len = read_file(DEMO_PUB, text, sizeof(text));

		write_file(path, text, len);
	}
	pubkey(fx, &r, "--c-header", DEMO_PUB, path, NULL);
	if (r.code != 1 || r.outlen != 0 || err_lines(&r) != 1 ||
	    strstr(r.err, "277e0164") == NULL) {
		show("one key in two files", &r);
		fail_msg("one key in two files was not refused");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_refused),
		cmocka_unit_test(test_demo_by_id),
		cmocka_unit_test(test_own_ring),
		cmocka_unit_test(test_stable),
		cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests_name("cheader", tests, proc_setup,
	    proc_teardown);
}
