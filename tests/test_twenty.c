/*
 * test_twenty.c - examples/twenty/twenty.c, the common case in about
 * twenty lines: register the key a user pasted into the licence store,
 * then check the licence at start-up
 *
 * The program is compiled as an integrator compiles it, with the house
 * warnings and -pedantic, against the liblkey.a of $LKEY_BUILD_DIR and the
 * demo key ring made by lkey-keygen pubkey --c-header, and run: a valid
 * key pasted with line breaks is registered and then valid at start-up; a
 * refused key is a non-zero exit with one line on stderr and the store
 * unchanged; a renewal that starts later is registered ahead. The copies
 * of the program in README.md and in lkey(3) must be the file, byte for
 * byte (lkey(3)'s after its roff escapes are undone), so that what a
 * reader copies is what is compiled here. The runs start from the
 * repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "lkey.h"
#include "proc.h"

#define SRC "examples/twenty/twenty.c"
#define DOCCAP (256U * 1024U)
#define FIRST_LINE "/* twenty.c:"

struct prog {
	char bin[PATHCAP];
	char store[PATHCAP];
};

static bool
sanitized(const struct fx *fx)
{
	size_t n = strlen(fx->bindir);

	return n >= 4U && strcmp(fx->bindir + n - 4U, "asan") == 0;
}

/* The day `offset` days from today (UTC), "YYYY-MM-DD", into out. */
static void
day(int offset, char *out)
{
	lkey_day_format((lkey_day)((int64_t)lkey_day_from_unix(
	    (int64_t)time(NULL)) + offset), out);
}

/* Compiles twenty.c into fx->dir/twenty/twenty; p->store is beside it. */
static void
build(const struct fx *fx, struct prog *p)
{
	char dir[PATHCAP], hdr[PATHCAP], lib[PATHCAP], inc[PATHCAP + 2U];
	const char *gen[] = { "lkey-keygen", "pubkey", "--c-header", DEMO_PUB,
	    NULL };
	const char *mk[] = { "mkdir", "-p", dir, NULL };
	const char *argv[ARGMAX + 1U];
	struct result r;
	size_t n = 0;

	path_in(fx, "twenty", dir, sizeof(dir));
	run_tool(mk, NULL, NULL, 0, &r);
	assert_int_equal(r.code, 0);
	run(fx, gen, NULL, 0, &r);
	assert_int_equal(r.code, 0);
	bprintf(hdr, sizeof(hdr), "%s/vendor_keys.h", dir);
	write_file(hdr, r.out, r.outlen);
	bprintf(p->bin, sizeof(p->bin), "%s/twenty", dir);
	bprintf(p->store, sizeof(p->store), "%s/licence", dir);
	bprintf(lib, sizeof(lib), "%s/liblkey.a", fx->bindir);
	bprintf(inc, sizeof(inc), "-I%s", dir);
	argv[n++] = "cc";
	argv[n++] = "-std=c11";
	argv[n++] = "-pedantic";
	argv[n++] = "-Wall";
	argv[n++] = "-Wextra";
	argv[n++] = "-Wshadow";
	argv[n++] = "-Wconversion";
	argv[n++] = "-Wstrict-prototypes";
	argv[n++] = "-Wmissing-prototypes";
	argv[n++] = "-Wformat=2";
	argv[n++] = "-Wvla";
	argv[n++] = "-Werror";
	argv[n++] = "-Iinclude";
	argv[n++] = inc;
	argv[n++] = "-DLKEY_ALLOW_DEMO_KEY";	/* the demo ring: tests only */
	if (sanitized(fx))	/* liblkey.a of this build is instrumented */
		argv[n++] = "-fsanitize=address,undefined";
	argv[n++] = "-o";
	argv[n++] = p->bin;
	argv[n++] = SRC;
	argv[n++] = lib;
	argv[n++] = "-lsodium";
	argv[n++] = "-lb64";
	argv[n] = NULL;
	run_tool(argv, NULL, NULL, 0, &r);
	if (r.code != 0) {
		show("cc twenty.c", &r);
		fail_msg("examples/twenty/twenty.c does not compile cleanly");
	}
}

/* twenty STORE [KEY] */
static void
twenty(const struct prog *p, const char *key, struct result *r)
{
	const char *argv[] = { p->bin, p->store, key, NULL };

	run_tool(argv, NULL, NULL, 0, r);
}

/* Exit 1, nothing on stdout, one line holding needle on stderr. */
static void
expect_refused(const char *what, const struct result *r, const char *needle)
{
	if (r->code != 1 || r->outlen != 0 || err_lines(r) != 1 ||
	    r->err[r->errlen - 1U] != '\n' || strstr(r->err, needle) == NULL) {
		show(what, r);
		fail_msg("%s: expected exit 1, no output and one line with "
		    "\"%s\" on stderr", what, needle);
	}
}

static void
expect_valid(const char *what, const struct result *r, const char *out)
{
	if (r->code != 0 || r->errlen != 0 || strcmp(r->out, out) != 0) {
		show(what, r);
		fail_msg("%s: expected exit 0, nothing on stderr and \"%s\" on "
		    "stdout", what, out);
	}
}

/* A timetracker key of the demo vendor with the options that follow. */
static void
key_of(const struct fx *fx, char *key, ...)
{
	const char *prefix[] = { "--secret", DEMO_SEC, "--catalog", CATALOG,
	    "--product", "timetracker", "--edition", "professional",
	    "--seats", "5", NULL };
	const char *opts[ARGMAX + 1U];
	va_list ap;

	va_start(ap, key);
	prefix_args(prefix, ap, opts);
	va_end(ap);
	issue_argv(fx, NULL, key, KEYCAP, opts);
}

static void
test_runs(void **state)
{
	const struct fx *fx = *state;
	char key[KEYCAP], pasted[2U * KEYCAP], bad[KEYCAP], expired[KEYCAP],
	    next[KEYCAP], path[PATHCAP], before[8192], after[8192],
	    s[11], e[11], t[11], want[128];
	struct result r;
	struct prog p;
	size_t n;

	build(fx, &p);
	day(-30, s);
	day(365, e);
	key_of(fx, key, "--starts", s, "--expires", e, "--maintenance", e,
	    "--serial", "7", NULL);

	/* Nothing registered: the start-up check refuses. */
	twenty(&p, NULL, &r);
	expect_refused("start-up, nothing registered", &r,
	    "no licence is registered");

	/* The registration screen: the key as pasted from a mail. */
	n = strlen(key);
	bprintf(pasted, sizeof(pasted), "%.*s\n  %s\n", (int)(n / 2U), key,
	    key + n / 2U);
	twenty(&p, pasted, &r);
	expect_valid("register", &r, "Registered licence 7: it is in force.\n");
	bprintf(path, sizeof(path), "%s/licence.keys", p.store);
	read_file(path, before, sizeof(before));
	bprintf(want, sizeof(want), "\n%.20s", key);
	assert_non_null(strstr(before, want));

	/* Start-up: valid, silently. */
	twenty(&p, NULL, &r);
	expect_valid("start-up", &r, "");

	/* A key altered in its signature, one expired: refused, unchanged. */
	bprintf(bad, sizeof(bad), "%s", key);
	bad[n - 10U] = bad[n - 10U] == 'A' ? 'B' : 'A';
	twenty(&p, bad, &r);
	expect_refused("register an altered key", &r, "Nothing was registered");
	day(-400, s);
	day(-1, e);
	key_of(fx, expired, "--starts", s, "--expires", e, "--maintenance", e,
	    NULL);
	twenty(&p, expired, &r);
	expect_refused("register an expired key", &r, "expired on");
	read_file(path, after, sizeof(after));
	assert_string_equal(after, before);
	twenty(&p, NULL, &r);
	expect_valid("start-up after the refusals", &r, "");

	/* A renewal that starts later: registered ahead. */
	day(0, t);
	day(366, s);
	day(730, e);
	key_of(fx, next, "--starts", s, "--issued", t, "--expires", e,
	    "--maintenance", e, "--serial", "8", NULL);
	twenty(&p, next, &r);
	bprintf(want, sizeof(want), "Registered licence 8: it takes over on "
	    "%s.\n", s);
	expect_valid("register a renewal ahead", &r, want);

	/* Usage: status 2. */
	{
		const char *argv[] = { p.bin, NULL };

		run_tool(argv, NULL, NULL, 0, &r);
		assert_int_equal(r.code, 2);
	}
}

/* The lines of text from the one that starts with FIRST_LINE up to the
 * one that starts with `end`, into out. */
static void
copy_in(const char *doc, const char *text, const char *end, char *out,
    size_t cap)
{
	const char *a = strstr(text, "\n" FIRST_LINE), *b;

	if (a == NULL)
		fail_msg("%s: no copy of %s (a line \"%s\")", doc, SRC,
		    FIRST_LINE);
	a++;
	if (strstr(a, "\n" FIRST_LINE) != NULL)
		fail_msg("%s: two copies of %s", doc, SRC);
	b = strstr(a, end);
	if (b == NULL)
		fail_msg("%s: the copy of %s does not end", doc, SRC);
	bprintf(out, cap, "%.*s", (int)(b + 1 - a), a);
}

/* Undoes the roff escapes a code example in a man page needs. */
static void
unroff(char *s)
{
	static const struct {
		const char *esc, *plain;
	} escapes[] = {
		{ "\\e", "\\" }, { "\\-", "-" }, { "\\(aq", "'" }, { "\\&", "" },
		{ "\\(dq", "\"" },
	};
	size_t i, k, n;
	char *w = s;

	for (i = 0; s[i] != '\0';) {
		for (k = 0; k < sizeof(escapes) / sizeof(escapes[0]); k++) {
			n = strlen(escapes[k].esc);
			if (strncmp(s + i, escapes[k].esc, n) == 0)
				break;
		}
		if (k == sizeof(escapes) / sizeof(escapes[0])) {
			if (s[i] == '\\')
				fail_msg("lkey(3): an escape this test does "
				    "not know in the example: %.8s", s + i);
			*w++ = s[i++];
			continue;
		}
		n = strlen(escapes[k].plain);
		memcpy(w, escapes[k].plain, n);
		w += n;
		i += strlen(escapes[k].esc);
	}
	*w = '\0';
}

static void
expect_same(const char *doc, const char *copy, const char *file)
{
	size_t i, line = 1;

	if (strcmp(copy, file) == 0)
		return;
	for (i = 0; copy[i] == file[i]; i++)
		if (copy[i] == '\n')
			line++;
	fail_msg("%s: its copy of %s differs from the file at the file's "
	    "line %zu", doc, SRC, line);
}

static void
test_docs_copies(void **state)
{
	static char file[DOCCAP], doc[DOCCAP], copy[DOCCAP];
	size_t lines = 0, i;

	(void)state;
	read_file(SRC, file, sizeof(file));
	for (i = 0; file[i] != '\0'; i++)
		lines += file[i] == '\n';
	/* "About twenty lines", as the docs say: main's body and no more
	 * than a dozen lines around it. */
	assert_true(lines <= 35U);

	read_file("README.md", doc, sizeof(doc));
	copy_in("README.md", doc, "\n```", copy, sizeof(copy));
	expect_same("README.md", copy, file);

	read_file("verify/lib/lkey.3", doc, sizeof(doc));
	copy_in("lkey(3)", doc, "\n.EE", copy, sizeof(copy));
	unroff(copy);
	expect_same("lkey(3)", copy, file);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_docs_copies),
	};

	return cmocka_run_group_tests_name("twenty", tests, proc_setup,
	    proc_teardown);
}
