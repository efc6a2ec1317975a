/*
 * test_check.c - "lkey-verify --check MANIFEST": sample keys checked
 * against the verdicts they must give, as a vendor's CI runs it
 * (docs/CI.md), through the built program (started by proc.c from the
 * repository root).
 *
 * What is checked: the real manifest (keys/samples/MANIFEST) passes, one
 * "pass" line per key line, in order, from the repository root and from
 * other directories; a wrong expectation, a bad line, a missing key file
 * and a bad defaults line are each one FAIL line naming MANIFEST:LINE and
 * why, and the run goes on (exit 5); a manifest that cannot be read is one
 * error (exit 1); options that write files or do not check are refused on
 * the command line (exit 2) and in lines, and write nothing; paths in the
 * manifest are relative to its directory and those on the command line to
 * the current one; a line's options take precedence over its defaults and
 * those over the command line. Outputs are compared whole, closing line
 * included.
 *
 * Each test copies the sample keys it needs into its own directory below
 * the group's temporary directory.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "json.h"
#include "proc.h"

#define MANIFEST "keys/samples/MANIFEST"
#define SAMPLES "keys/samples"
#define TODAY "2027-06-15"
#define FILECAP 65536U
#define EXIT_CHECK_FAILED 5

/* The reason of an unknown status word, after "unknown status 'W' ". */
#define STATUS_LIST "(one of valid, malformed, unknown_key, " \
	"bad_signature, wrong_product, not_yet_valid, expired, " \
	"maintenance_lapsed, seats_exceeded, admin_only, host_mismatch, " \
	"revoked, clock_rollback)"

/* ---- helpers ------------------------------------------------------------ */

/* fx->dir/name, made as a new directory; its path into out. */
static void
new_dir(const struct fx *fx, const char *name, char *out)
{
	path_in(fx, name, out, PATHCAP);
	if (mkdir(out, 0700) != 0)
		fail_msg("cannot create %s", out);
}

/* Copies src into directory dir, as name (NULL: the same base name). */
static void
copy_in(const char *src, const char *dir, const char *name)
{
	static char buf[FILECAP];
	char dst[PATHCAP];
	const char *base = strrchr(src, '/');
	size_t n;

	n = read_file(src, buf, sizeof(buf));
	bprintf(dst, sizeof(dst), "%s/%s", dir,
	    name != NULL ? name : base != NULL ? base + 1 : src);
	write_file(dst, buf, n);
}

/* dir/name with the text; its path into out. */
static void
write_in(const char *dir, const char *name, const char *text, char *out)
{
	bprintf(out, PATHCAP, "%s/%s", dir, name);
	write_file(out, text, strlen(text));
}

/* An absolute path: cwd/path unless path is absolute already. */
static void
absolute(const char *path, char *out)
{
	char cwd[PATHCAP];

	if (path[0] == '/') {
		bprintf(out, PATHCAP, "%s", path);
		return;
	}
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	bprintf(out, PATHCAP, "%s/%s", cwd, path);
}

/* lkey-verify --check with the arguments that follow (NULL-terminated). */
static void
check(const struct fx *fx, struct result *r, ...)
{
	const char *argv[ARGMAX + 1U];
	static const char *const prefix[] = { "lkey-verify", "--check", NULL };
	va_list ap;

	va_start(ap, r);
	prefix_args(prefix, ap, argv);
	va_end(ap);
	run(fx, argv, NULL, 0, r);
}

/* The run exited `code` with exactly `out` on stdout and `err` on stderr. */
static void
expect(const char *what, const struct result *r, int code, const char *out,
    const char *err)
{
	if (r->code == code && strcmp(r->out, out) == 0 &&
	    strcmp(r->err, err) == 0)
		return;
	print_error("%s: exit %d, expected %d\n--- stdout:\n%s--- expected:\n"
	    "%s--- stderr:\n%s--- expected:\n%s---\n", what, r->code, code,
	    r->out, out, r->err, err);
	fail_msg("%s: unexpected output", what);
}

/* The stderr line of a run in which `failed` of `total` lines failed. */
static const char *
failed_line(const char *manifest, size_t failed, size_t total)
{
	static char line[PATHCAP + 64U];

	bprintf(line, sizeof(line), "lkey-verify: %s: %zu of %zu lines did "
	    "not pass\n", manifest, failed, total);
	return line;
}

/* Appends a formatted line to out (cap bytes). */
static void
add(char *out, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
add(char *out, size_t cap, const char *fmt, ...)
{
	size_t n = strlen(out);
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(out + n, cap - n, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= cap - n)
		fail_msg("expected output too long");
}

/* A directory with the demo public key, the catalog and the named sample
 * keys (NULL-terminated). */
static void
sample_dir(const struct fx *fx, const char *name, char *dir, ...)
{
	char src[PATHCAP];
	const char *k;
	va_list ap;

	new_dir(fx, name, dir);
	copy_in(DEMO_PUB, dir, NULL);
	copy_in(CATALOG, dir, NULL);
	va_start(ap, dir);
	while ((k = va_arg(ap, const char *)) != NULL) {
		bprintf(src, sizeof(src), "%s/%s", SAMPLES, k);
		copy_in(src, dir, NULL);
	}
	va_end(ap);
}

#define DEFAULTS "defaults --pubkey demo-vendor.pub --catalog catalog " \
	"--product timetracker --today " TODAY "\n"

/*
 * The pass lines `lkey-verify --check M` must print for the real
 * manifest, M as given, read here independently: every line that is not
 * blank, a comment or a defaults line is a key line "FILE STATUS ...".
 */
static int
expected_passes(const char *m, char *out, size_t cap)
{
	static char text[FILECAP];
	char *line, *next, file[256], status[64];
	int lineno = 0, n = 0;

	read_file(MANIFEST, text, sizeof(text));
	out[0] = '\0';
	for (line = text; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		next = next != NULL ? next + 1 : line + strlen(line);
		lineno++;
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line == '#' || *line == '\n' || *line == '\0' ||
		    strncmp(line, "defaults ", 9) == 0)
			continue;
		if (sscanf(line, "%255s %63s", file, status) != 2)
			fail_msg("%s:%d: not FILE STATUS", MANIFEST, lineno);
		add(out, cap, "pass  %s:%d  %s  %s\n", m, lineno, file, status);
		n++;
	}
	add(out, cap, "%d passed, 0 failed\n", n);
	return n;
}

/* ---- the real manifest -------------------------------------------------- */

static void
test_real_manifest(void **state)
{
	const struct fx *fx = *state;
	static char want[FILECAP];
	char abs_manifest[PATHCAP], rel[PATHCAP], bin[PATHCAP];
	char keysdir[PATHCAP];
	struct result r;
	int n;

	n = expected_passes(MANIFEST, want, sizeof(want));
	assert_true(n >= 30);
	check(fx, &r, MANIFEST, NULL);
	expect("--check " MANIFEST, &r, 0, want, "");
	print_message("%d sample key lines passed\n", n);

	/* From another directory: the manifest's own paths still work. */
	absolute(MANIFEST, abs_manifest);
	bprintf(rel, sizeof(rel), "%s/lkey-verify", fx->bindir);
	absolute(rel, bin);
	expected_passes(abs_manifest, want, sizeof(want));
	{
		const char *argv[] = { "env", "-C", fx->dir, bin, "--check",
		    abs_manifest, NULL };

		run_tool(argv, NULL, NULL, 0, &r);
		expect("--check from the temporary directory", &r, 0, want,
		    "");
	}
	absolute("keys", keysdir);
	expected_passes("samples/MANIFEST", want, sizeof(want));
	{
		const char *argv[] = { "env", "-C", keysdir, bin, "--check",
		    "samples/MANIFEST", NULL };

		run_tool(argv, NULL, NULL, 0, &r);
		expect("--check samples/MANIFEST from keys/", &r, 0, want, "");
	}
}

/* ---- failures ----------------------------------------------------------- */

static void
test_wrong_expectation(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], m[PATHCAP], want[4096];
	struct result r;

	sample_dir(fx, "wrong", dir, "valid.key", "expired.key", NULL);
	write_in(dir, "MANIFEST", "# a wrong expectation in the middle\n"
	    DEFAULTS
	    "valid.key     valid\n"
	    "\n"
	    "expired.key   valid\n"
	    "\tvalid.key   seats_exceeded   --users 26\n"
	    "valid.key     expired          --users 26\n", m);
	want[0] = '\0';
	add(want, sizeof(want), "pass  %s:3  valid.key  valid\n", m);
	add(want, sizeof(want), "FAIL  %s:5  expired.key  expected valid, "
	    "got expired\n", m);
	add(want, sizeof(want), "pass  %s:6  valid.key  seats_exceeded\n", m);
	add(want, sizeof(want), "FAIL  %s:7  valid.key  expected expired, "
	    "got seats_exceeded\n", m);
	add(want, sizeof(want), "2 passed, 2 failed\n");
	check(fx, &r, m, NULL);
	expect("wrong expectations", &r, EXIT_CHECK_FAILED, want,
	    failed_line(m, 2, 4));
}

static void
test_missing_key_file(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], m[PATHCAP], want[4096];
	struct result r;

	sample_dir(fx, "missing", dir, "valid.key", NULL);
	write_in(dir, "MANIFEST", DEFAULTS
	    "x.key       valid\n"
	    "valid.key   valid\n"
	    "valid.key   revoked   --revocations none.lkr\n", m);
	want[0] = '\0';
	add(want, sizeof(want), "FAIL  %s:2  x.key  expected valid, got "
	    "error: %s/x.key: cannot open: No such file or directory\n", m,
	    dir);
	add(want, sizeof(want), "pass  %s:3  valid.key  valid\n", m);
	add(want, sizeof(want), "FAIL  %s:4  valid.key  expected revoked, got "
	    "error: %s/none.lkr: cannot open: No such file or directory\n", m,
	    dir);
	add(want, sizeof(want), "1 passed, 2 failed\n");
	check(fx, &r, m, NULL);
	expect("missing files", &r, EXIT_CHECK_FAILED, want,
	    failed_line(m, 2, 3));
}

static void
test_bad_lines(void **state)
{
	const struct fx *fx = *state;
	static char text[16384], want[16384];
	char dir[PATHCAP], m[PATHCAP];
	struct result r;
	size_t i;

	sample_dir(fx, "bad", dir, "valid.key", NULL);
	text[0] = '\0';
	add(text, sizeof(text), DEFAULTS);			/* 1 */
	add(text, sizeof(text), "valid.key bogus\n");		/* 2 */
	add(text, sizeof(text), "valid.key\n");			/* 3 */
	add(text, sizeof(text), "valid.key valid --foo\n");	/* 4 */
	add(text, sizeof(text), "valid.key valid --today 2027-13-01\n");
	add(text, sizeof(text), "valid.key valid extra\n");	/* 6 */
	add(text, sizeof(text), "valid.key valid --users 1 --users 2\n");
	add(text, sizeof(text), "--users valid\n");		/* 8 */
	add(text, sizeof(text), "valid.key\x01 valid\n");	/* 9 */
	add(text, sizeof(text), "valid.key valid --users\n");	/* 10 */
	add(text, sizeof(text), "valid.key valid");		/* 11 */
	for (i = 0; i < 31; i++)
		add(text, sizeof(text), " --admin");
	add(text, sizeof(text), "\nvalid.key valid");		/* 12 */
	for (i = 0; i < 15; i++)
		add(text, sizeof(text), " --users 20");
	add(text, sizeof(text), "\nvalid.key valid --users 20");	/* 13 */
	for (i = 0; i < 4100; i++)
		add(text, sizeof(text), " ");
	add(text, sizeof(text), "\n");
	add(text, sizeof(text), "valid.key valid --admin\n");	/* 14 */
	add(text, sizeof(text), "valid.key valid --users 20\r\n");	/* 15 */
	add(text, sizeof(text), "valid.key valid --users=20\n");	/* 16 */
	write_in(dir, "MANIFEST", text, m);

	want[0] = '\0';
	add(want, sizeof(want), "FAIL  %s:2  valid.key  unknown status "
	    "'bogus' " STATUS_LIST "\n", m);
	add(want, sizeof(want), "FAIL  %s:3  valid.key  no expected status: "
	    "a line is FILE STATUS [OPTIONS...]\n", m);
	add(want, sizeof(want), "FAIL  %s:4  valid.key  unknown option "
	    "--foo\n", m);
	add(want, sizeof(want), "FAIL  %s:5  valid.key  expected valid, got "
	    "error: --today needs a real date as YYYY-MM-DD (see lkey-verify "
	    "--help)\n", m);
	add(want, sizeof(want), "FAIL  %s:6  valid.key  unexpected word "
	    "'extra': options start with --\n", m);
	add(want, sizeof(want), "FAIL  %s:7  valid.key  option --users given "
	    "twice\n", m);
	add(want, sizeof(want), "FAIL  %s:8  --users  a line starts with its "
	    "key file, not an option (write a file named -x as ./-x)\n", m);
	add(want, sizeof(want), "FAIL  %s:9  valid.key\\x01  byte 10 of the "
	    "line is a control character (\\x01)\n", m);
	add(want, sizeof(want), "FAIL  %s:10  valid.key  option --users "
	    "needs a value\n", m);
	add(want, sizeof(want), "FAIL  %s:11  valid.key  more than 32 words "
	    "on the line\n", m);
	add(want, sizeof(want), "FAIL  %s:12  valid.key  option --users given "
	    "twice\n", m);
	add(want, sizeof(want), "FAIL  %s:13  valid.key  line longer than "
	    "4096 bytes\n", m);
	add(want, sizeof(want), "FAIL  %s:14  valid.key  expected valid, got "
	    "error: --admin goes with --users (see lkey-verify --help)\n", m);
	add(want, sizeof(want), "pass  %s:15  valid.key  valid\n", m);
	add(want, sizeof(want), "pass  %s:16  valid.key  valid\n", m);
	add(want, sizeof(want), "2 passed, 13 failed\n");
	check(fx, &r, m, NULL);
	expect("bad lines", &r, EXIT_CHECK_FAILED, want,
	    failed_line(m, 13, 15));
}

static void
test_bad_defaults(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], m[PATHCAP], want[4096];
	struct result r;

	sample_dir(fx, "bad-defaults", dir, "valid.key", NULL);
	write_in(dir, "MANIFEST", DEFAULTS
	    "valid.key valid\n"
	    "defaults --pubkey demo-vendor.pub --bogus\n"
	    "valid.key valid\n"
	    "valid.key valid --users 1\n"
	    DEFAULTS
	    "valid.key valid\n"
	    "defaults --json\n"
	    "valid.key valid\n", m);
	want[0] = '\0';
	add(want, sizeof(want), "pass  %s:2  valid.key  valid\n", m);
	add(want, sizeof(want), "FAIL  %s:3  defaults  unknown option "
	    "--bogus\n", m);
	add(want, sizeof(want), "FAIL  %s:4  valid.key  not checked: the "
	    "defaults line %s:3 is bad\n", m, m);
	add(want, sizeof(want), "FAIL  %s:5  valid.key  not checked: the "
	    "defaults line %s:3 is bad\n", m, m);
	add(want, sizeof(want), "pass  %s:7  valid.key  valid\n", m);
	add(want, sizeof(want), "FAIL  %s:8  defaults  --json is not allowed "
	    "with --check: it prints one line per key\n", m);
	add(want, sizeof(want), "FAIL  %s:9  valid.key  not checked: the "
	    "defaults line %s:8 is bad\n", m, m);
	add(want, sizeof(want), "2 passed, 5 failed\n");
	check(fx, &r, m, NULL);
	expect("bad defaults", &r, EXIT_CHECK_FAILED, want,
	    failed_line(m, 5, 7));
}

/* ---- the manifest itself ------------------------------------------------ */

static void
test_unreadable_manifest(void **state)
{
	const struct fx *fx = *state;
	static char big[1024U * 1024U + 2U];
	char dir[PATHCAP], m[PATHCAP], err[2 * PATHCAP];
	struct result r;

	new_dir(fx, "unreadable", dir);
	bprintf(m, sizeof(m), "%s/none", dir);
	bprintf(err, sizeof(err), "lkey-verify: %s: cannot open: No such file "
	    "or directory\n", m);
	check(fx, &r, m, NULL);
	expect("a missing manifest", &r, 1, "", err);

	bprintf(err, sizeof(err), "lkey-verify: %s: cannot read: Is a "
	    "directory\n", dir);
	check(fx, &r, dir, NULL);
	expect("a directory as manifest", &r, 1, "", err);

	/* 1 MiB is the bound: one byte more is refused before any check. */
	memset(big, '#', sizeof(big) - 1U);
	big[sizeof(big) - 1U] = '\0';
	write_in(dir, "big", big, m);
	bprintf(err, sizeof(err), "lkey-verify: %s: too large for a manifest "
	    "(more than 1048576 bytes)\n", m);
	check(fx, &r, m, NULL);
	expect("a manifest over 1 MiB", &r, 1, "", err);
	big[sizeof(big) - 2U] = '\0';
	write_in(dir, "big", big, m);
	bprintf(err, sizeof(err), "lkey-verify: %s: no key line: nothing was "
	    "checked\n", m);
	check(fx, &r, m, NULL);
	expect("a manifest of 1 MiB of comment", &r, EXIT_CHECK_FAILED,
	    "0 passed, 0 failed\n", err);

	/* No key line: nothing passed, and that is not a success. */
	write_in(dir, "empty", "", m);
	bprintf(err, sizeof(err), "lkey-verify: %s: no key line: nothing was "
	    "checked\n", m);
	check(fx, &r, m, NULL);
	expect("an empty manifest", &r, EXIT_CHECK_FAILED,
	    "0 passed, 0 failed\n", err);
	write_in(dir, "comments", "# nothing\n\n   \ndefaults --users 1\n",
	    m);
	bprintf(err, sizeof(err), "lkey-verify: %s: no key line: nothing was "
	    "checked\n", m);
	check(fx, &r, m, NULL);
	expect("comments and defaults only", &r, EXIT_CHECK_FAILED,
	    "0 passed, 0 failed\n", err);

	check(fx, &r, "", NULL);
	expect("--check ''", &r, 2, "", "lkey-verify: --check needs the path "
	    "of a manifest (see lkey-verify --help)\n");
}

/* ---- refusals ----------------------------------------------------------- */

static void
test_refused(void **state)
{
	const struct fx *fx = *state;
	static const struct {
		const char *opt, *value, *why;
	} refused[] = {
		{ "--install", "lic.key", "--install is not allowed with "
		    "--check: it writes a licence file" },
		{ "--state", "lkey.state", "--state is not allowed with "
		    "--check: it writes a state file (fix the day with --today "
		    "instead)" },
		{ "--json", NULL, "--json is not allowed with --check: it "
		    "prints one line per key" },
		{ "--force", NULL, "--force is not allowed with --check: it "
		    "goes with --install" },
		{ "--host-id", NULL, "--host-id is not allowed with --check: "
		    "it checks no key" },
		{ "--key-file", "valid.key", "--key-file is not allowed with "
		    "--check: each manifest line names its key file first" },
	};
	char dir[PATHCAP], m[PATHCAP], text[4096], want[8192], err[512];
	char lic[PATHCAP], st[PATHCAP];
	struct result r;
	size_t i;

	sample_dir(fx, "refused", dir, "valid.key", NULL);
	bprintf(lic, sizeof(lic), "%s/lic.key", dir);
	bprintf(st, sizeof(st), "%s/lkey.state", dir);
	text[0] = '\0';
	add(text, sizeof(text), DEFAULTS);
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		add(text, sizeof(text), "valid.key valid %s%s%s\n",
		    refused[i].opt, refused[i].value != NULL ? " " : "",
		    refused[i].value != NULL ? refused[i].value : "");
	add(text, sizeof(text), "valid.key valid --check MANIFEST\n");
	add(text, sizeof(text), "valid.key valid --help\n");
	add(text, sizeof(text), "valid.key valid\n");
	write_in(dir, "MANIFEST", text, m);
	want[0] = '\0';
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		add(want, sizeof(want), "FAIL  %s:%zu  valid.key  %s\n", m,
		    i + 2U, refused[i].why);
	add(want, sizeof(want), "FAIL  %s:%zu  valid.key  --check is not "
	    "allowed with --check: manifests do not nest\n", m, i + 2U);
	add(want, sizeof(want), "FAIL  %s:%zu  valid.key  --help is not "
	    "allowed with --check: it checks no key\n", m, i + 3U);
	add(want, sizeof(want), "pass  %s:%zu  valid.key  valid\n", m,
	    i + 4U);
	add(want, sizeof(want), "1 passed, %zu failed\n", i + 2U);
	check(fx, &r, m, NULL);
	expect("refused in lines", &r, EXIT_CHECK_FAILED, want,
	    failed_line(m, i + 2U, i + 3U));
	assert_false(file_exists(lic));
	assert_false(file_exists(st));

	/* On the command line: a usage error, before any check. */
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		bprintf(err, sizeof(err), "lkey-verify: %s (see lkey-verify "
		    "--help)\n", refused[i].why);
		if (refused[i].value == NULL)
			check(fx, &r, m, refused[i].opt, NULL);
		else
			check(fx, &r, m, refused[i].opt,
			    strcmp(refused[i].opt, "--install") == 0 ? lic :
			    strcmp(refused[i].opt, "--state") == 0 ? st :
			    SAMPLES "/valid.key", NULL);
		expect(refused[i].opt, &r, 2, "", err);
	}
	assert_false(file_exists(lic));
	assert_false(file_exists(st));
	check(fx, &r, m, "keys/samples/valid.key", NULL);
	expect("a KEY with --check", &r, 2, "", "lkey-verify: --check takes "
	    "no KEY: the manifest names the key files (see lkey-verify "
	    "--help)\n");
	check(fx, &r, m, "-", NULL);
	expect("- with --check", &r, 2, "", "lkey-verify: --check takes no "
	    "KEY: the manifest names the key files (see lkey-verify "
	    "--help)\n");
	check(fx, &r, m, "--check", m, NULL);
	expect("--check twice", &r, 2, "", "lkey-verify: option --check given "
	    "twice (see lkey-verify --help)\n");
}

/* ---- paths and precedence ----------------------------------------------- */

static void
test_paths(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], sub[PATHCAP], m[PATHCAP], want[8192];
	char catalog[PATHCAP], text[2048];
	struct result r;

	/*
	 * The keys, the revocation list and the public key beside the
	 * manifest, the catalog by an absolute path, a key named
	 * "defaults", and one in a subdirectory.
	 */
	sample_dir(fx, "paths", dir, "valid.key", "revoked.key",
	    "revoked.lkr", NULL);
	copy_in(SAMPLES "/valid.key", dir, "defaults");
	bprintf(sub, sizeof(sub), "%s/more", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	copy_in(SAMPLES "/expired.key", sub, NULL);
	absolute(CATALOG, catalog);
	bprintf(text, sizeof(text), "defaults --pubkey demo-vendor.pub "
	    "--catalog %s --product timetracker --today " TODAY "\n"
	    "valid.key         valid\n"
	    "./defaults        valid\n"
	    "more/expired.key  expired\n"
	    "revoked.key       revoked   --revocations revoked.lkr\n"
	    "revoked.key       revoked   --revocations %s/revoked.lkr\n",
	    catalog, dir);
	write_in(dir, "MANIFEST", text, m);
	want[0] = '\0';
	add(want, sizeof(want), "pass  %s:2  valid.key  valid\n", m);
	add(want, sizeof(want), "pass  %s:3  ./defaults  valid\n", m);
	add(want, sizeof(want), "pass  %s:4  more/expired.key  expired\n", m);
	add(want, sizeof(want), "pass  %s:5  revoked.key  revoked\n", m);
	add(want, sizeof(want), "pass  %s:6  revoked.key  revoked\n", m);
	add(want, sizeof(want), "5 passed, 0 failed\n");
	check(fx, &r, m, NULL);
	expect("manifest-relative paths", &r, 0, want, "");

	/*
	 * On the command line, paths are relative to the current directory
	 * (the repository root here), not to the manifest's.
	 */
	write_in(dir, "bad.pub", "not a public key\n", m);
	write_in(dir, "M2", "valid.key valid\n"
	    "valid.key unknown_key --pubkey bad.pub\n", m);
	want[0] = '\0';
	add(want, sizeof(want), "pass  %s:1  valid.key  valid\n", m);
	add(want, sizeof(want), "FAIL  %s:2  valid.key  expected unknown_key, "
	    "got error: %s/bad.pub: line 1: not an lkey public key\n", m, dir);
	add(want, sizeof(want), "1 passed, 1 failed\n");
	check(fx, &r, m, "--pubkey", DEMO_PUB, "--catalog", CATALOG,
	    "--product", "timetracker", "--today", TODAY, NULL);
	expect("command-line paths", &r, EXIT_CHECK_FAILED, want,
	    failed_line(m, 1, 2));
}

static void
test_stdin_manifest(void **state)
{
	const struct fx *fx = *state;
	static const char text[] = "defaults --pubkey " DEMO_PUB
	    " --catalog " CATALOG " --product timetracker --today " TODAY "\n"
	    SAMPLES "/valid.key   valid\n"
	    SAMPLES "/expired.key expired\n";
	const char *argv[] = { "lkey-verify", "--check", "-", NULL };
	struct result r;

	run(fx, argv, text, sizeof(text) - 1U, &r);
	expect("--check -", &r, 0, "pass  -:2  " SAMPLES "/valid.key  valid\n"
	    "pass  -:3  " SAMPLES "/expired.key  expired\n"
	    "2 passed, 0 failed\n", "");
}

static void
test_precedence(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], m[PATHCAP], want[8192], osec[PATHCAP];
	char opub[PATHCAP];
	struct result r;

	sample_dir(fx, "precedence", dir, "valid.key", NULL);
	init_plain(fx, "other-vendor", osec, opub);
	copy_in(opub, dir, "other.pub");
	/*
	 * The command line says 2028-01-01 (valid.key expired) and 26 users
	 * (seats exceeded); defaults and lines say otherwise.
	 */
	write_in(dir, "MANIFEST",
	    "valid.key  seats_exceeded\n"
	    "valid.key  valid           --users 25\n"
	    "valid.key  expired         --users 25 --today 2028-01-01\n"
	    "defaults --today 2028-01-01 --users 1\n"
	    "valid.key  expired\n"
	    "valid.key  valid           --today " TODAY "\n"
	    "valid.key  unknown_key     --pubkey other.pub\n"
	    "defaults --pubkey other.pub\n"
	    "valid.key  unknown_key\n"
	    "valid.key  seats_exceeded  --pubkey demo-vendor.pub\n"
	    "defaults\n"
	    "valid.key  seats_exceeded\n"
	    "valid.key  admin_only      --admin\n", m);
	want[0] = '\0';
	add(want, sizeof(want), "pass  %s:1  valid.key  seats_exceeded\n", m);
	add(want, sizeof(want), "pass  %s:2  valid.key  valid\n", m);
	add(want, sizeof(want), "pass  %s:3  valid.key  expired\n", m);
	add(want, sizeof(want), "pass  %s:5  valid.key  expired\n", m);
	add(want, sizeof(want), "pass  %s:6  valid.key  valid\n", m);
	add(want, sizeof(want), "pass  %s:7  valid.key  unknown_key\n", m);
	add(want, sizeof(want), "pass  %s:9  valid.key  unknown_key\n", m);
	add(want, sizeof(want), "pass  %s:10  valid.key  seats_exceeded\n",
	    m);
	add(want, sizeof(want), "pass  %s:12  valid.key  seats_exceeded\n",
	    m);
	add(want, sizeof(want), "pass  %s:13  valid.key  admin_only\n", m);
	add(want, sizeof(want), "10 passed, 0 failed\n");
	check(fx, &r, m, "--pubkey", DEMO_PUB, "--catalog", CATALOG,
	    "--product", "timetracker", "--today", TODAY, "--users", "26",
	    NULL);
	expect("command line < defaults < line", &r, 0, want, "");
}

static void
test_help(void **state)
{
	const struct fx *fx = *state;
	const char *argv[] = { "lkey-verify", "--help", NULL };
	struct result r;

	run(fx, argv, NULL, 0, &r);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.out, "lkey-verify --check MANIFEST "
	    "[OPTIONS...]\n"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_manifest),
		cmocka_unit_test(test_wrong_expectation),
		cmocka_unit_test(test_missing_key_file),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_bad_defaults),
		cmocka_unit_test(test_unreadable_manifest),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_stdin_manifest),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_help),
	};

	return cmocka_run_group_tests_name("check", tests, proc_setup,
	    proc_teardown);
}
