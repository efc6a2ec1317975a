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

#include "golden.h"
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
	"revoked, clock_rollback, revocations_outdated)"

/* ---- helpers ------------------------------------------------------------ */

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
	static const char *const prefix[] = { "lkey-verify", "--check", NULL };
	va_list ap;

	va_start(ap, r);
	run_prefixed(fx, r, prefix, ap);
	va_end(ap);
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


/*
 * Lines that are not right, each one FAIL and the run goes on: the
 * manifest (BAD) is built here, for the lines too long to write out.
 */
static void
bad_manifest(char *text, size_t cap)
{
	size_t i;

	text[0] = '\0';
	add(text, cap, DEFAULTS);				/* 1 */
	add(text, cap, "valid.key bogus\n");			/* 2 */
	add(text, cap, "valid.key\n");				/* 3 */
	add(text, cap, "valid.key valid --foo\n");		/* 4 */
	add(text, cap, "valid.key valid --today 2027-13-01\n");	/* 5 */
	add(text, cap, "valid.key valid extra\n");		/* 6 */
	add(text, cap, "valid.key valid --users 1 --users 2\n");	/* 7 */
	add(text, cap, "--users valid\n");			/* 8 */
	add(text, cap, "valid.key\x01 valid\n");		/* 9 */
	add(text, cap, "valid.key valid --users\n");		/* 10 */
	add(text, cap, "valid.key valid");			/* 11 */
	for (i = 0; i < 31; i++)
		add(text, cap, " --admin");
	add(text, cap, "\nvalid.key valid");			/* 12 */
	for (i = 0; i < 15; i++)
		add(text, cap, " --users 20");
	add(text, cap, "\nvalid.key valid --users 20");		/* 13 */
	for (i = 0; i < 4100; i++)
		add(text, cap, " ");
	add(text, cap, "\n");
	add(text, cap, "valid.key valid --admin\n");		/* 14 */
	add(text, cap, "valid.key valid --users 20\r\n");	/* 15 */
	add(text, cap, "valid.key valid --users=20\n");		/* 16 */
}

/* ---- manifests as golden cases ------------------------------------------ */

/*
 * A directory $D with the demo public key and the catalog, then the
 * sample keys a case puts there; $M is its manifest, checked as
 * "lkey-verify --check $M".
 */
#define SAMPLE_DIR "+fresh:$D", "+put:$D/demo-vendor.pub=$PUB", \
	"+put:$D/catalog=$CAT"
#define VALID_IN "+put:$D/valid.key=$VALIDK"
#define CHECK "lkey-verify --check $M"
#define FAILED(n, of) "err=lkey-verify: $M: " n " of " of " lines did not " \
	"pass\n"
#define DIR_ERR(path) "err=lkey-verify: " path ": "

static const struct golden failures[] = {
	{ "wrong expectations", CHECK, EXIT_CHECK_FAILED,
	  { SAMPLE_DIR, VALID_IN, "+put:$D/expired.key=$EXPIREDK",
	    "+put:$M=# a wrong expectation in the middle\n" DEFAULTS
	    "valid.key     valid\n"
	    "\n"
	    "expired.key   valid\n"
	    "\tvalid.key   seats_exceeded   --users 26\n"
	    "valid.key     expired          --users 26\n",
	    "out=pass  $M:3  valid.key  valid\n"
	    "FAIL  $M:5  expired.key  expected valid, got expired\n"
	    "pass  $M:6  valid.key  seats_exceeded\n"
	    "FAIL  $M:7  valid.key  expected expired, got seats_exceeded\n"
	    "2 passed, 2 failed\n", FAILED("2", "4") } },
	{ "missing files", CHECK, EXIT_CHECK_FAILED,
	  { SAMPLE_DIR, VALID_IN, "+put:$M=" DEFAULTS
	    "x.key       valid\n"
	    "valid.key   valid\n"
	    "valid.key   revoked   --revocations none.lkr\n",
	    "out=FAIL  $M:2  x.key  expected valid, got error: $D/x.key: "
	    "cannot open: No such file or directory\n"
	    "pass  $M:3  valid.key  valid\n"
	    "FAIL  $M:4  valid.key  expected revoked, got error: "
	    "$D/none.lkr: cannot open: No such file or directory\n"
	    "1 passed, 2 failed\n", FAILED("2", "3") } },
	{ "bad lines", CHECK, EXIT_CHECK_FAILED,
	  { SAMPLE_DIR, VALID_IN, "+put:$M=$BAD",
	    "out=FAIL  $M:2  valid.key  unknown status 'bogus' " STATUS_LIST
	    "\n"
	    "FAIL  $M:3  valid.key  no expected status: a line is FILE STATUS "
	    "[OPTIONS...]\n"
	    "FAIL  $M:4  valid.key  unknown option --foo\n"
	    "FAIL  $M:5  valid.key  expected valid, got error: --today needs "
	    "a real date as YYYY-MM-DD (see lkey-verify --help)\n"
	    "FAIL  $M:6  valid.key  unexpected word 'extra': options start "
	    "with --\n"
	    "FAIL  $M:7  valid.key  option --users given twice\n"
	    "FAIL  $M:8  --users  a line starts with its key file, not an "
	    "option (write a file named -x as ./-x)\n"
	    "FAIL  $M:9  valid.key\\x01  byte 10 of the line is a control "
	    "character (\\x01)\n"
	    "FAIL  $M:10  valid.key  option --users needs a value\n"
	    "FAIL  $M:11  valid.key  more than 32 words on the line\n"
	    "FAIL  $M:12  valid.key  option --users given twice\n"
	    "FAIL  $M:13  valid.key  line longer than 4096 bytes\n"
	    "FAIL  $M:14  valid.key  expected valid, got error: --admin goes "
	    "with --users (see lkey-verify --help)\n"
	    "pass  $M:15  valid.key  valid\n"
	    "pass  $M:16  valid.key  valid\n"
	    "2 passed, 13 failed\n", FAILED("13", "15") } },
	{ "bad defaults", CHECK, EXIT_CHECK_FAILED,
	  { SAMPLE_DIR, VALID_IN, "+put:$M=" DEFAULTS
	    "valid.key valid\n"
	    "defaults --pubkey demo-vendor.pub --bogus\n"
	    "valid.key valid\n"
	    "valid.key valid --users 1\n"
	    DEFAULTS
	    "valid.key valid\n"
	    "defaults --json\n"
	    "valid.key valid\n",
	    "out=pass  $M:2  valid.key  valid\n"
	    "FAIL  $M:3  defaults  unknown option --bogus\n"
	    "FAIL  $M:4  valid.key  not checked: the defaults line $M:3 is "
	    "bad\n"
	    "FAIL  $M:5  valid.key  not checked: the defaults line $M:3 is "
	    "bad\n"
	    "pass  $M:7  valid.key  valid\n"
	    "FAIL  $M:8  defaults  --json is not allowed with --check: it "
	    "prints one line per key\n"
	    "FAIL  $M:9  valid.key  not checked: the defaults line $M:8 is "
	    "bad\n"
	    "2 passed, 5 failed\n", FAILED("5", "7") } },
	/* The manifest itself: one error, or no key line at all. */
	{ "a missing manifest", "lkey-verify --check $D/none", 1,
	  { "+fresh:$D", "out=", DIR_ERR("$D/none") "cannot open: No such "
	    "file or directory\n" } },
	{ "a directory as manifest", "lkey-verify --check $D", 1,
	  { "out=", DIR_ERR("$D") "cannot read: Is a directory\n" } },
	{ "a manifest over 1 MiB", CHECK, 1,
	  { "+put:$M=$BIG#", "out=", DIR_ERR("$M") "too large for a "
	    "manifest (more than 1048576 bytes)\n" } },
	{ "a manifest of 1 MiB of comment", CHECK, EXIT_CHECK_FAILED,
	  { "+put:$M=$BIG", "out=0 passed, 0 failed\n", DIR_ERR("$M")
	    "no key line: nothing was checked\n" } },
	{ "an empty manifest", CHECK, EXIT_CHECK_FAILED,
	  { "+put:$M=", "out=0 passed, 0 failed\n", DIR_ERR("$M")
	    "no key line: nothing was checked\n" } },
	{ "comments and defaults only", CHECK, EXIT_CHECK_FAILED,
	  { "+put:$M=# nothing\n\n   \ndefaults --users 1\n",
	    "out=0 passed, 0 failed\n", DIR_ERR("$M")
	    "no key line: nothing was checked\n" } },
	{ "--check ''", "lkey-verify --check $EMPTY", 2,
	  { "out=", "err=lkey-verify: --check needs the path of a manifest "
	    "(see lkey-verify --help)\n" } },
};

/* Options that write files or check no key: refused in a line, and on
 * the command line before any check; nothing is written. */
#define NOT_WITH(opt, why) "lkey-verify: " opt " is not allowed with " \
	"--check: " why " (see lkey-verify --help)\n"
#define NOTHING_WRITTEN "nofile:$D/lic.key", "nofile:$D/lkey.state"

static const struct golden refused[] = {
	{ "refused in lines", CHECK, EXIT_CHECK_FAILED,
	  { SAMPLE_DIR, VALID_IN, "+put:$M=" DEFAULTS
	    "valid.key valid --install lic.key\n"
	    "valid.key valid --state lkey.state\n"
	    "valid.key valid --json\n"
	    "valid.key valid --force\n"
	    "valid.key valid --host-id\n"
	    "valid.key valid --key-file valid.key\n"
	    "valid.key valid --check MANIFEST\n"
	    "valid.key valid --help\n"
	    "valid.key valid\n",
	    "out=FAIL  $M:2  valid.key  --install is not allowed with "
	    "--check: it writes a licence file\n"
	    "FAIL  $M:3  valid.key  --state is not allowed with --check: it "
	    "writes a state file (fix the day with --today instead)\n"
	    "FAIL  $M:4  valid.key  --json is not allowed with --check: it "
	    "prints one line per key\n"
	    "FAIL  $M:5  valid.key  --force is not allowed with --check: it "
	    "goes with --install\n"
	    "FAIL  $M:6  valid.key  --host-id is not allowed with --check: "
	    "it checks no key\n"
	    "FAIL  $M:7  valid.key  --key-file is not allowed with --check: "
	    "each manifest line names its key file first\n"
	    "FAIL  $M:8  valid.key  --check is not allowed with --check: "
	    "manifests do not nest\n"
	    "FAIL  $M:9  valid.key  --help is not allowed with --check: it "
	    "checks no key\n"
	    "pass  $M:10  valid.key  valid\n"
	    "1 passed, 8 failed\n", FAILED("8", "9"), NOTHING_WRITTEN } },
	{ "--install", CHECK " --install $D/lic.key", 2,
	  { "out=", "err=" NOT_WITH("--install", "it writes a licence file"),
	    NOTHING_WRITTEN } },
	{ "--state", CHECK " --state $D/lkey.state", 2,
	  { "out=", "err=" NOT_WITH("--state", "it writes a state file (fix "
	    "the day with --today instead)"), NOTHING_WRITTEN } },
	{ "--json", CHECK " --json", 2,
	  { "out=", "err=" NOT_WITH("--json", "it prints one line per key") } },
	{ "--force", CHECK " --force", 2,
	  { "out=", "err=" NOT_WITH("--force", "it goes with --install") } },
	{ "--host-id", CHECK " --host-id", 2,
	  { "out=", "err=" NOT_WITH("--host-id", "it checks no key") } },
	{ "--key-file", CHECK " --key-file " SAMPLES "/valid.key", 2,
	  { "out=", "err=" NOT_WITH("--key-file", "each manifest line names "
	    "its key file first") } },
	{ "a KEY with --check", CHECK " " SAMPLES "/valid.key", 2,
	  { "out=", "err=lkey-verify: --check takes no KEY: the manifest "
	    "names the key files (see lkey-verify --help)\n" } },
	{ "- with --check", CHECK " -", 2,
	  { "out=", "err=lkey-verify: --check takes no KEY: the manifest "
	    "names the key files (see lkey-verify --help)\n" } },
	{ "--check twice", CHECK " --check $M", 2,
	  { "out=", "err=lkey-verify: option --check given twice (see "
	    "lkey-verify --help)\n" } },
};

/*
 * Paths in a manifest are relative to its directory (a key named
 * "defaults", one in a subdirectory, the catalog by an absolute path);
 * those on the command line to the current directory. A line's options
 * come before its defaults, and those before the command line.
 */
static const struct golden paths[] = {
	{ "manifest-relative paths", CHECK, 0,
	  { SAMPLE_DIR, VALID_IN, "+put:$D/defaults=$VALIDK",
	    "+put:$D/revoked.key=$REVOKEDK", "+put:$D/revoked.lkr=$REVOKEDL",
	    "+mkdir:$D/more", "+put:$D/more/expired.key=$EXPIREDK",
	    "+put:$M=defaults --pubkey demo-vendor.pub --catalog $ABSCAT "
	    "--product timetracker --today " TODAY "\n"
	    "valid.key         valid\n"
	    "./defaults        valid\n"
	    "more/expired.key  expired\n"
	    "revoked.key       revoked   --revocations revoked.lkr\n"
	    "revoked.key       revoked   --revocations $D/revoked.lkr\n",
	    "out=pass  $M:2  valid.key  valid\n"
	    "pass  $M:3  ./defaults  valid\n"
	    "pass  $M:4  more/expired.key  expired\n"
	    "pass  $M:5  revoked.key  revoked\n"
	    "pass  $M:6  revoked.key  revoked\n"
	    "5 passed, 0 failed\n", "err=" } },
	{ "command-line paths", "lkey-verify --check $D/M2 --pubkey " DEMO_PUB
	  " --catalog " CATALOG " --product timetracker --today " TODAY,
	  EXIT_CHECK_FAILED,
	  { "+put:$D/bad.pub=not a public key\n",
	    "+put:$D/M2=valid.key valid\n"
	    "valid.key unknown_key --pubkey bad.pub\n",
	    "out=pass  $D/M2:1  valid.key  valid\n"
	    "FAIL  $D/M2:2  valid.key  expected unknown_key, got error: "
	    "$D/bad.pub: line 1: not an lkey public key\n"
	    "1 passed, 1 failed\n",
	    "err=lkey-verify: $D/M2: 1 of 2 lines did not pass\n" } },
	{ "--check -", "lkey-verify --check - <$STDIN", 0,
	  { "out=pass  -:2  " SAMPLES "/valid.key  valid\n"
	    "pass  -:3  " SAMPLES "/expired.key  expired\n"
	    "2 passed, 0 failed\n", "err=" } },
	/* The command line says 2028-01-01 (valid.key expired) and 26 users
	 * (seats exceeded); defaults and lines say otherwise. */
	{ "command line < defaults < line", CHECK " --pubkey " DEMO_PUB
	  " --catalog " CATALOG " --product timetracker --today " TODAY
	  " --users 26", 0,
	  { SAMPLE_DIR, VALID_IN, "+put:$D/other.pub=$OPUB", "+put:$M="
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
	    "valid.key  admin_only      --admin\n",
	    "out=pass  $M:1  valid.key  seats_exceeded\n"
	    "pass  $M:2  valid.key  valid\n"
	    "pass  $M:3  valid.key  expired\n"
	    "pass  $M:5  valid.key  expired\n"
	    "pass  $M:6  valid.key  valid\n"
	    "pass  $M:7  valid.key  unknown_key\n"
	    "pass  $M:9  valid.key  unknown_key\n"
	    "pass  $M:10  valid.key  seats_exceeded\n"
	    "pass  $M:12  valid.key  seats_exceeded\n"
	    "pass  $M:13  valid.key  admin_only\n"
	    "10 passed, 0 failed\n", "err=" } },
	{ "--help", "lkey-verify --help", 0,
	  { "out~lkey-verify --check MANIFEST [OPTIONS...]\n" } },
};

/* The variables of the cases: the files they copy, D and M. */
static void
check_cases(const struct fx *fx, const struct golden *g, size_t n,
    const char *name)
{
	static char pub[1024], cat[FILECAP], validk[1024], expiredk[1024],
	    revokedk[1024], revokedl[4096], opub[1024], bad[16384],
	    big[1024U * 1024U + 1U];
	char d[PATHCAP], m[PATHCAP], abscat[PATHCAP], osec[PATHCAP],
	    opath[PATHCAP];
	const struct var vars[] = { { "D", d }, { "M", m }, { "PUB", pub },
	    { "CAT", cat }, { "VALIDK", validk }, { "EXPIREDK", expiredk },
	    { "REVOKEDK", revokedk }, { "REVOKEDL", revokedl },
	    { "OPUB", opub }, { "ABSCAT", abscat }, { "BAD", bad },
	    { "BIG", big }, { "EMPTY", "" }, { "STDIN", "defaults --pubkey "
	    DEMO_PUB " --catalog " CATALOG " --product timetracker --today "
	    TODAY "\n" SAMPLES "/valid.key   valid\n" SAMPLES "/expired.key "
	    "expired\n" }, { NULL, NULL } };

	path_in(fx, name, d, sizeof(d));
	bprintf(m, sizeof(m), "%s/MANIFEST", d);
	read_file(DEMO_PUB, pub, sizeof(pub));
	read_file(CATALOG, cat, sizeof(cat));
	read_file(SAMPLES "/valid.key", validk, sizeof(validk));
	read_file(SAMPLES "/expired.key", expiredk, sizeof(expiredk));
	read_file(SAMPLES "/revoked.key", revokedk, sizeof(revokedk));
	read_file(SAMPLES "/revoked.lkr", revokedl, sizeof(revokedl));
	bprintf(opath, sizeof(opath), "%s-vendor", name);
	init_plain(fx, opath, osec, opath);
	read_file(opath, opub, sizeof(opub));
	absolute(CATALOG, abscat);
	bad_manifest(bad, sizeof(bad));
	memset(big, '#', sizeof(big) - 1U);
	golden_table(fx, g, n, vars, name);
}

#define CHECK_CASES(fx, cases) check_cases((fx), (cases), \
	sizeof(cases) / sizeof((cases)[0]), #cases)

static void
test_failures(void **state)
{
	CHECK_CASES(*state, failures);
}

static void
test_refused(void **state)
{
	CHECK_CASES(*state, refused);
}

static void
test_paths(void **state)
{
	CHECK_CASES(*state, paths);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_manifest),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_paths),
	};

	return cmocka_run_group_tests_name("check", tests, proc_setup,
	    proc_teardown);
}
