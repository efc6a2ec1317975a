/*
 * test_cli.c - the two programs as users and CI pipelines run them:
 * build/lkey-keygen and build/lkey-verify (from $LKEY_BUILD_DIR, default
 * "build"), started from the repository root by proc.c (fork/exec and
 * pipes, no shell, no controlling terminal, fast Argon2, LKEY_PASSPHRASE
 * only where a test sets it). Key files go to a fresh directory made with
 * mkdtemp and removed afterwards.
 *
 * Table-driven tests report every case that goes wrong, not only the first,
 * so one run shows the whole picture (the sample-key check is what a
 * vendor's CI runs).
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
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "json.h"
#include "proc.h"
#include "support.h"

#define TAMPER_STRIDE 7U

#define MANIFEST "keys/samples/MANIFEST"
#define LICENSEE_UTF8 "M\xc3\xbcller & S\xc3\xb6hne GmbH"

/* ---- 1. round trip ------------------------------------------------------ */

static void
today_utc(char *buf, size_t cap)
{
	time_t t = time(NULL);
	struct tm tm;

	assert_non_null(gmtime_r(&t, &tm));
	assert_true(strftime(buf, cap, "%Y-%m-%d", &tm) == 10U);
}

static void
test_roundtrip(void **state)
{
	const struct fx *fx = *state;
	char sec[PATHCAP], pub[PATHCAP], kf[PATHCAP], feats[256];
	char named[KEYCAP], numbered[KEYCAP], std[KEYCAP], key[KEYCAP];
	char day0[16], day1[16];
	struct result r, r2;
	struct stat st;
	json_doc *d;
	size_t i;

	init_plain(fx, "rt", sec, pub);
	assert_int_equal(stat(sec, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(stat(pub, &st), 0);
	assert_true(S_ISREG(st.st_mode));

	/* Every field, by catalog names and by plain numbers: same key. */
	issue(fx, NULL, named, sizeof(named), "--secret", sec, "--catalog",
	    CATALOG, "--product", "timetracker", "--edition", "professional",
	    "--seats", "25", "--starts", "2027-01-01", "--expires",
	    "2027-12-31", "--maintenance", "2028-03-31", "--serial", "123456",
	    "--features", "desktop,payroll,mobile", "--licensee",
	    LICENSEE_UTF8, NULL);
	issue(fx, NULL, numbered, sizeof(numbered), "--secret", sec,
	    "--product", "1", "--edition", "2", "--seats", "25", "--starts",
	    "2027-01-01", "--expires", "2027-12-31", "--maintenance",
	    "2028-03-31", "--serial", "123456", "--features", "0,2,3",
	    "--licensee", LICENSEE_UTF8, NULL);
	assert_string_equal(named, numbered);

	verify(fx, NULL, 0, &r, "--pubkey", pub, "--catalog", CATALOG,
	    "--product", "timetracker", "--today", "2027-06-15", "--users", "3",
	    "--json", named, NULL);
	if (r.code != 0 || r.errlen != 0)
		show("verify KEY", &r);
	assert_int_equal(r.code, 0);
	assert_int_equal(r.errlen, 0);
	d = report(&r);
	assert_json_str(d, "status", "valid");
	assert_true(strlen(json_get_string(d, json_root(d), "message")) > 0);
	assert_json_str(d, "product", "timetracker");
	assert_json_str(d, "edition", "professional");
	assert_json_int(d, "seats", 25);
	assert_json_str(d, "starts", "2027-01-01");
	assert_json_str(d, "license_expires", "2027-12-31");
	assert_json_str(d, "maintenance_expires", "2028-03-31");
	assert_json_int(d, "serial", 123456);
	json_features(d, feats, sizeof(feats));
	assert_string_equal(feats, "\"desktop\",\"payroll\",\"mobile\"");
	assert_json_str(d, "licensee", LICENSEE_UTF8);
	assert_json_int(d, "users", 3);
	assert_json_int(d, "remaining", 22);
	json_free(d);

	/* The same key from a file and from standard input: same report. */
	path_in(fx, "rt/license.txt", kf, sizeof(kf));
	bprintf(key, sizeof(key), "%s\n", named);
	write_file(kf, key, strlen(key));
	verify(fx, NULL, 0, &r2, "--pubkey", pub, "--catalog", CATALOG,
	    "--product", "timetracker", "--today", "2027-06-15", "--users", "3",
	    "--json", "--key-file", kf, NULL);
	assert_int_equal(r2.code, 0);
	assert_string_equal(r2.out, r.out);
	verify(fx, key, strlen(key), &r2, "--pubkey", pub, "--catalog",
	    CATALOG, "--product", "timetracker", "--today", "2027-06-15",
	    "--users", "3", "--json", "-", NULL);
	assert_int_equal(r2.code, 0);
	assert_string_equal(r2.out, r.out);

	/* Without a catalog: numbers. */
	verify(fx, NULL, 0, &r, "--pubkey", pub, "--product", "1",
	    "--today", "2027-06-15", "--json", named, NULL);
	assert_int_equal(r.code, 0);
	d = report(&r);
	assert_json_int(d, "product", 1);
	assert_json_int(d, "edition", 2);
	json_features(d, feats, sizeof(feats));
	assert_string_equal(feats, "0,2,3");
	json_free(d);

	/* Standard terms, largest values: one line of at most 120 chars. */
	issue(fx, NULL, std, sizeof(std), "--secret", sec, "--product",
	    "65535", "--edition", "255", "--seats", "16777214", "--starts",
	    "2149-06-01", "--expires", "2149-06-05", "--maintenance",
	    "2149-06-05", "--serial", "4294967295", "--features",
	    "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,"
	    "24,25,26,27,28,29,30,31", NULL);
	if (strlen(std) > 120U)
		fail_msg("standard-terms key is %zu characters (at most 120): "
		    "%s", strlen(std), std);
	verify(fx, NULL, 0, &r, "--pubkey", pub, "--product", "65535",
	    "--today", "2149-06-03", "--json", std, NULL);
	assert_int_equal(r.code, 0);
	d = report(&r);
	assert_json_int(d, "seats", 16777214);
	assert_json_int(d, "serial", 4294967295LL);
	assert_json_str(d, "license_expires", "2149-06-05");
	assert_true(json_get_is_null(d, json_root(d), "licensee"));
	json_features(d, feats, sizeof(feats));
	assert_string_equal(feats, "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,"
	    "17,18,19,20,21,22,23,24,25,26,27,28,29,30,31");
	json_free(d);

	/* Unlimited seats, never expiring; --starts defaults to today. */
	today_utc(day0, sizeof(day0));
	issue(fx, NULL, key, sizeof(key), "--secret", sec, "--catalog",
	    CATALOG, "--product", "timelog", "--edition", "basic", "--seats",
	    "unlimited", "--expires", "never", "--maintenance", "never",
	    "--serial", "0", NULL);
	today_utc(day1, sizeof(day1));
	assert_true(strlen(key) <= 120U);
	for (i = 0; key[i] != '\0'; i++)
		assert_true(is_b64(key[i]));
	verify(fx, NULL, 0, &r, "--pubkey", pub, "--catalog", CATALOG,
	    "--product", "timelog", "--users", "100000", "--json", key, NULL);
	assert_int_equal(r.code, 0);
	d = report(&r);
	assert_json_str(d, "seats", "unlimited");
	assert_json_str(d, "license_expires", "never");
	assert_json_str(d, "maintenance_expires", "never");
	assert_json_str(d, "remaining", "unlimited");
	assert_json_int(d, "serial", 0);
	json_features(d, feats, sizeof(feats));
	assert_string_equal(feats, "");
	{
		const char *s = json_get_string(d, json_root(d), "starts");

		if (strcmp(s, day0) != 0 && strcmp(s, day1) != 0)
			fail_msg("default --starts is %s, expected today (%s)",
			    s, day0);
	}
	json_free(d);
}

/* ---- 2. encrypted secret key -------------------------------------------- */

static void
test_encrypted_key(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], dir2[PATHCAP], sec[PATHCAP], pub[PATHCAP];
	char key[KEYCAP];
	struct result r;
	struct stat st;
	const char *init_argv[] = { "lkey-keygen", "init", "--out", dir, NULL };
	const char *init2_argv[] = { "lkey-keygen", "init", "--out", dir2,
	    NULL };
	const char *issue_argv[] = { "lkey-keygen", "issue", "--secret", sec,
	    "--product", "7", "--edition", "1", "--seats", "3", "--starts",
	    "2027-01-01", "--expires", "2027-12-31", "--maintenance",
	    "2027-12-31", NULL };

	path_in(fx, "enc", dir, sizeof(dir));
	path_in(fx, "enc2", dir2, sizeof(dir2));
	bprintf(sec, sizeof(sec), "%s/vendor.sec", dir);
	bprintf(pub, sizeof(pub), "%s/vendor.pub", dir);

	run_env(fx, init_argv, "correct horse battery", NULL, 0, &r);
	if (r.code != 0)
		show("init with LKEY_PASSPHRASE", &r);
	assert_int_equal(r.code, 0);
	assert_int_equal(stat(sec, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	issue(fx, "correct horse battery", key, sizeof(key), "--secret", sec,
	    "--product", "7", "--edition", "1", "--seats", "3", "--starts",
	    "2027-01-01", "--expires", "2027-12-31", "--maintenance",
	    "2027-12-31", NULL);
	verify(fx, NULL, 0, &r, "--pubkey", pub, "--product", "7", "--today",
	    "2027-02-01", key, NULL);
	assert_int_equal(r.code, 0);

	run_env(fx, issue_argv, "correct horse battery!", NULL, 0, &r);
	if (r.code != 1 || r.outlen != 0 || err_lines(&r) != 1 ||
	    strstr(r.err, "passphrase") == NULL) {
		show("issue, wrong LKEY_PASSPHRASE", &r);
		fail_msg("wrong passphrase: expected exit 1, one stderr line "
		    "mentioning the passphrase, empty stdout");
	}

	run_env(fx, issue_argv, "", NULL, 0, &r);
	if (r.code == 0 || r.outlen != 0 || err_lines(&r) != 1) {
		show("issue, empty LKEY_PASSPHRASE", &r);
		fail_msg("empty passphrase: expected failure, one stderr line, "
		    "empty stdout");
	}

	/* No LKEY_PASSPHRASE and no terminal: fails at once, no hang. */
	run(fx, issue_argv, NULL, 0, &r);
	if (r.code == 0 || r.outlen != 0 || err_lines(&r) != 1 ||
	    strncmp(r.err, "lkey-keygen: ", 13) != 0) {
		show("issue, no passphrase, no terminal", &r);
		fail_msg("issue without a passphrase source: expected "
		    "failure, one stderr line, empty stdout");
	}
	run(fx, init2_argv, NULL, 0, &r);
	if (r.code == 0 || r.outlen != 0 || err_lines(&r) != 1) {
		show("init, no passphrase, no terminal", &r);
		fail_msg("init without a passphrase source: expected failure, "
		    "one stderr line, empty stdout");
	}
	bprintf(sec, sizeof(sec), "%s/vendor.sec", dir2);
	assert_false(file_exists(sec));
}

/* ---- 3. init never overwrites ------------------------------------------- */

static void
test_init_no_overwrite(void **state)
{
	const struct fx *fx = *state;
	char sec[PATHCAP], pub[PATHCAP], dir[PATHCAP];
	char sec0[4096], pub0[4096], sec1[4096], pub1[4096];
	struct result r;
	const char *argv[] = { "lkey-keygen", "init", "--out", dir,
	    "--no-passphrase", NULL };

	init_plain(fx, "ow", sec, pub);
	path_in(fx, "ow", dir, sizeof(dir));
	read_file(sec, sec0, sizeof(sec0));
	read_file(pub, pub0, sizeof(pub0));

	run(fx, argv, NULL, 0, &r);
	if (r.code == 0 || r.outlen != 0 || err_lines(&r) != 1)
		show("second init", &r);
	assert_int_not_equal(r.code, 0);
	assert_int_equal(r.outlen, 0);
	assert_int_equal(err_lines(&r), 1);
	read_file(sec, sec1, sizeof(sec1));
	read_file(pub, pub1, sizeof(pub1));
	assert_string_equal(sec1, sec0);
	assert_string_equal(pub1, pub0);

	/* Only one of the two there: still refused, still untouched. */
	assert_int_equal(unlink(sec), 0);
	run(fx, argv, NULL, 0, &r);
	assert_int_not_equal(r.code, 0);
	assert_int_equal(r.outlen, 0);
	read_file(pub, pub1, sizeof(pub1));
	assert_string_equal(pub1, pub0);
}

/* ---- 4. every verdict through the CLI ----------------------------------- */

/* Inserts whitespace between all characters (and around): a wrapped key. */
static void
wrap_key(const char *key, char *out, size_t cap)
{
	static const char *const ws[] = { " ", "\t", "\r\n", "\n", "  \t",
	    "\v", "\f", "\n\n" };
	size_t i, len = 0;
	int n;

	n = snprintf(out, cap, " \t\n");
	len = (size_t)n;
	for (i = 0; key[i] != '\0'; i++) {
		n = snprintf(out + len, cap - len, "%c%s", key[i],
		    ws[i % (sizeof(ws) / sizeof(ws[0]))]);
		assert_true(n > 0 && (size_t)n < cap - len);
		len += (size_t)n;
	}
	n = snprintf(out + len, cap - len, "\r\n \n");
	assert_true(n > 0 && (size_t)n < cap - len);
}

#define V_ARGS "--pubkey", DEMO_PUB, "--catalog", CATALOG, "--json"

static void
test_verdicts(void **state)
{
	const struct fx *fx = *state;
	char key[KEYCAP], other[KEYCAP], wrapped[8 * KEYCAP], tampered[KEYCAP];
	char osec[PATHCAP], opub[PATHCAP];
	struct tally t = { 0, 0, 0 };
	struct result r;
	size_t len;

	issue(fx, NULL, key, sizeof(key), "--secret", DEMO_SEC, "--catalog",
	    CATALOG, "--product", "timetracker", "--edition", "enterprise",
	    "--seats", "25", "--starts", "2027-01-01", "--expires",
	    "2027-12-31", "--maintenance", "2027-09-30", "--serial", "77",
	    "--features", "reports", NULL);
	len = strlen(key);

	/* A key wrapped in an e-mail is still the key. */
	wrap_key(key, wrapped, sizeof(wrapped));
	verify(fx, NULL, 0, &r, V_ARGS, "--product", "timetracker", "--today",
	    "2027-06-15", wrapped, NULL);
	expect_verdict(&t, "whitespace everywhere (KEY)", &r, "key", "valid",
	    0);
	verify(fx, wrapped, strlen(wrapped), &r, V_ARGS, "--product",
	    "timetracker", "--today", "2027-06-15", "-", NULL);
	expect_verdict(&t, "whitespace everywhere (stdin)", &r,
	    "standard input", "valid", 0);

	/* Seats. */
	verify(fx, NULL, 0, &r, V_ARGS, "--product", "timetracker", "--today",
	    "2027-06-15", "--users", "25", key, NULL);
	expect_verdict(&t, "--users 25 of 25", &r, "key", "valid", 0);
	tcheck(&t, strstr(r.out, "\"remaining\":0") != NULL &&
	    strstr(r.out, "\"users\":25") != NULL, "--users 25 of 25", &r,
	    "JSON lacks users 25 / remaining 0");
	verify(fx, NULL, 0, &r, V_ARGS, "--product", "timetracker", "--today",
	    "2027-06-15", "--users", "25", "--admin", key, NULL);
	expect_verdict(&t, "--users 25 --admin of 25", &r, "key", "valid", 0);
	verify(fx, NULL, 0, &r, V_ARGS, "--product", "timetracker", "--today",
	    "2027-06-15", "--users", "26", key, NULL);
	expect_verdict(&t, "--users 26 of 25", &r, "key", "seats_exceeded",
	    17);
	verify(fx, NULL, 0, &r, V_ARGS, "--product", "timetracker", "--today",
	    "2027-06-15", "--users", "26", "--admin", key, NULL);
	expect_verdict(&t, "--users 26 --admin of 25", &r, "key",
	    "admin_only", 18);

	/* License period, inclusive at both ends. */
	verify(fx, NULL, 0, &r, V_ARGS, "--product", "timetracker", "--today",
	    "2027-01-01", key, NULL);
	expect_verdict(&t, "--today = start day", &r, "key", "valid", 0);
	verify(fx, NULL, 0, &r, V_ARGS, "--product", "timetracker", "--today",
	    "2026-12-31", key, NULL);
	expect_verdict(&t, "--today = start - 1", &r, "key", "not_yet_valid",
	    14);
	verify(fx, NULL, 0, &r, V_ARGS, "--product", "timetracker", "--today",
	    "2027-12-31", key, NULL);
	expect_verdict(&t, "--today = expiry day", &r, "key", "valid", 0);
	verify(fx, NULL, 0, &r, V_ARGS, "--product", "timetracker", "--today",
	    "2028-01-01", key, NULL);
	expect_verdict(&t, "--today = expiry + 1", &r, "key", "expired", 15);

	/* Maintenance against the release date. */
	verify(fx, NULL, 0, &r, V_ARGS, "--product", "timetracker", "--today",
	    "2027-11-01", "--release", "2027-09-30", key, NULL);
	expect_verdict(&t, "--release = maintenance end", &r, "key", "valid",
	    0);
	verify(fx, NULL, 0, &r, V_ARGS, "--product", "timetracker", "--today",
	    "2027-11-01", "--release", "2027-10-01", key, NULL);
	expect_verdict(&t, "--release after maintenance", &r, "key",
	    "maintenance_lapsed", 16);
	verify(fx, NULL, 0, &r, V_ARGS, "--product", "timetracker", "--today",
	    "2027-06-15", "--release", "2027-06-17", key, NULL);
	expect_verdict(&t, "--release after --today", &r, "key",
	    "clock_rollback", 21);

	/* Product. */
	verify(fx, NULL, 0, &r, V_ARGS, "--product", "timelog", "--today",
	    "2027-06-15", key, NULL);
	expect_verdict(&t, "wrong product", &r, "key", "wrong_product", 13);

	/* One character changed in the payload, and in the signature. */
	memcpy(tampered, key, len + 1U);
	tampered[12] = tampered[12] == 'A' ? 'B' : 'A';
	verify(fx, NULL, 0, &r, V_ARGS, "--product", "timetracker", "--today",
	    "2027-06-15", tampered, NULL);
	expect_verdict(&t, "payload character changed", &r, "key",
	    "bad_signature", 12);
	memcpy(tampered, key, len + 1U);
	tampered[len - 20U] = tampered[len - 20U] == 'A' ? 'B' : 'A';
	verify(fx, NULL, 0, &r, V_ARGS, "--product", "timetracker", "--today",
	    "2027-06-15", tampered, NULL);
	expect_verdict(&t, "signature character changed", &r, "key",
	    "bad_signature", 12);

	/* Signed by another vendor key. */
	init_plain(fx, "other", osec, opub);
	issue(fx, NULL, other, sizeof(other), "--secret", osec, "--catalog",
	    CATALOG, "--product", "timetracker", "--edition", "enterprise",
	    "--seats", "25", "--starts", "2027-01-01", "--expires",
	    "2027-12-31", "--maintenance", "2027-09-30", "--serial", "77",
	    NULL);
	verify(fx, NULL, 0, &r, V_ARGS, "--product", "timetracker", "--today",
	    "2027-06-15", other, NULL);
	expect_verdict(&t, "other vendor key", &r, "key", "unknown_key", 11);
	verify(fx, NULL, 0, &r, "--pubkey", opub, "--product", "1", "--today",
	    "2027-06-15", "--json", other, NULL);
	expect_verdict(&t, "other vendor key, its own pubkey", &r, "key",
	    "valid", 0);

	tally_done(&t, "verdicts");
}

/* ---- the sample keys: what a vendor's CI runs --------------------------- */

static const struct {
	const char *status;
	int code;
} statuses[] = {
	{ "valid", 0 }, { "malformed", 10 }, { "unknown_key", 11 },
	{ "bad_signature", 12 }, { "wrong_product", 13 },
	{ "not_yet_valid", 14 }, { "expired", 15 },
	{ "maintenance_lapsed", 16 }, { "seats_exceeded", 17 },
	{ "admin_only", 18 }, { "host_mismatch", 19 }, { "revoked", 20 },
	{ "clock_rollback", 21 },
};

/*
 * The manifest read independently of lkey-verify --check (test_check.c
 * tests that): one process per line, the options of the "defaults" line
 * in force first unless the line gives the same option (any --pubkey of
 * the line replaces all of the defaults'), and FILE and the paths of
 * --pubkey, --catalog and --revocations relative to the manifest's
 * directory.
 */
struct mopt {
	const char *name;	/* "--users" */
	const char *value;	/* NULL for a flag */
	char path[PATHCAP];	/* a path relative to the manifest */
};

#define MOPT_MAX 24U

/* Splits words into options; false if a word is not one. */
static bool
manifest_options(char *words[], size_t n, struct mopt *o, size_t *count,
    const char *dir)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (strncmp(words[i], "--", 2) != 0 || k == MOPT_MAX)
			return false;
		o[k].name = words[i];
		o[k].value = NULL;
		if (strcmp(words[i], "--admin") != 0) {
			if (i + 1U == n)
				return false;
			o[k].value = words[++i];
		}
		if (o[k].value != NULL && o[k].value[0] != '/' &&
		    (strcmp(o[k].name, "--pubkey") == 0 ||
		    strcmp(o[k].name, "--catalog") == 0 ||
		    strcmp(o[k].name, "--revocations") == 0)) {
			bprintf(o[k].path, sizeof(o[k].path), "%s/%s", dir,
			    o[k].value);
			o[k].value = o[k].path;
		}
		k++;
	}
	*count = k;
	return true;
}

static size_t
split_words(char *line, char *words[], size_t cap)
{
	char *tok, *save = NULL;
	size_t n = 0;

	for (tok = strtok_r(line, " \t\r", &save); tok != NULL && n < cap;
	    tok = strtok_r(NULL, " \t\r", &save))
		words[n++] = tok;
	return n;
}

static bool
given(const struct mopt *o, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(o[i].name, name) == 0)
			return true;
	return false;
}

static void
test_sample_manifest(void **state)
{
	const struct fx *fx = *state;
	static char text[65536], dline[1024];
	static struct mopt dopts[MOPT_MAX], lopts[MOPT_MAX];
	char *line, *save = NULL, file[PATHCAP], what[600], dir[PATHCAP];
	struct tally t = { 0, 0, 0 };
	size_t ndopts = 0;
	int ndefaults = 0;

	bprintf(dir, sizeof(dir), "%s", MANIFEST);
	*strrchr(dir, '/') = '\0';
	read_file(MANIFEST, text, sizeof(text));
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		const char *argv[ARGMAX + 1U], *status;
		char copy[1024], *words[64];
		struct result r;
		size_t n = 0, nw, nl, i;
		int code = -1;

		while (*line == ' ' || *line == '\t')
			line++;
		if (*line == '#' || *line == '\0')
			continue;
		bprintf(what, sizeof(what), "MANIFEST: %s", line);
		if (strncmp(line, "defaults", 8) == 0 &&
		    (line[8] == ' ' || line[8] == '\t' || line[8] == '\0')) {
			bprintf(dline, sizeof(dline), "%s", line);
			nw = split_words(dline, words, 64);
			if (!manifest_options(words + 1, nw - 1U, dopts, &ndopts,
			    dir))
				fail_msg("%s: a defaults line of options only",
				    what);
			ndefaults++;
			continue;
		}
		bprintf(copy, sizeof(copy), "%s", line);
		t.cases++;
		nw = split_words(copy, words, 64);
		if (nw < 2) {
			tcheck(&t, false, what, NULL, "needs FILE STATUS");
			continue;
		}
		status = words[1];
		if (!manifest_options(words + 2, nw - 2U, lopts, &nl, dir)) {
			tcheck(&t, false, what, NULL, "bad options");
			continue;
		}
		argv[n++] = "lkey-verify";
		for (i = 0; i < ndopts && n < ARGMAX - 4U; i++) {
			if (given(lopts, nl, dopts[i].name))
				continue;
			argv[n++] = dopts[i].name;
			if (dopts[i].value != NULL)
				argv[n++] = dopts[i].value;
		}
		for (i = 0; i < nl && n < ARGMAX - 4U; i++) {
			argv[n++] = lopts[i].name;
			if (lopts[i].value != NULL)
				argv[n++] = lopts[i].value;
		}
		bprintf(file, sizeof(file), "%s/%s", dir, words[0]);
		argv[n++] = "--key-file";
		argv[n++] = file;
		argv[n++] = "--json";
		argv[n] = NULL;
		for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
			if (strcmp(statuses[i].status, status) == 0)
				code = statuses[i].code;
		if (code < 0) {
			tcheck(&t, false, what, NULL, "unknown status %s",
			    status);
			continue;
		}
		run(fx, argv, NULL, 0, &r);
		tcheck(&t, r.code == code, what, &r, "exit %d, expected %d",
		    r.code, code);
		tcheck(&t, json_status_is(&r, status), what, &r,
		    "JSON \"status\" is not \"%s\"", status);
	}
	if (ndefaults == 0)
		fail_msg("%s has no defaults line", MANIFEST);
	if (t.cases < 10)
		fail_msg("%s has only %d sample lines", MANIFEST, t.cases);
	print_message("checked %d sample key lines\n", t.cases);
	tally_done(&t, MANIFEST);
}

/* ---- 5. bad input to lkey-keygen issue ---------------------------------- */

enum { SET, DROP, ADD };

struct kcase {
	const char *what;
	int mode;		/* SET: replace or add; DROP; ADD: append */
	const char *opt;
	const char *val;
	int code;
	const char *needle;	/* in stderr, or NULL */
	bool sample;		/* in test_usage_errors_one_line too */
};

static const char *const kbase[] = {
	"--secret", DEMO_SEC, "--catalog", CATALOG, "--product", "timetracker",
	"--edition", "professional", "--seats", "5", "--starts", "2027-01-01",
	"--expires", "2027-12-31", "--maintenance", "2027-12-31", "--serial",
	"9", "--features", "desktop",
};

static char long_licensee[130];

static const struct kcase kcases[] = {
	{ "impossible date 2027-02-29", SET, "--expires", "2027-02-29", 2,
	  "--expires", true },
	{ "impossible date 2027-13-01", SET, "--expires", "2027-13-01", 2,
	  NULL, false },
	{ "date 'tomorrow'", SET, "--maintenance", "tomorrow", 2, NULL, false },
	{ "date 2027-1-1", SET, "--starts", "2027-1-1", 2, NULL, false },
	{ "--starts never", SET, "--starts", "never", 2, NULL, false },
	{ "seats -1", SET, "--seats", "-1", 2, "--seats", false },
	{ "seats 0", SET, "--seats", "0", 2, NULL, false },
	{ "seats abc", SET, "--seats", "abc", 2, NULL, true },
	{ "seats 99999999999999999999", SET, "--seats",
	  "99999999999999999999", 2, NULL, false },
	{ "seats 16777215", SET, "--seats", "16777215", 2, NULL, false },
	{ "seats 05", SET, "--seats", "05", 2, NULL, false },
	{ "serial 4294967296", SET, "--serial", "4294967296", 2, NULL, false },
	{ "unknown product name", SET, "--product", "nosuch", 2, NULL, false },
	{ "unknown edition name", SET, "--edition", "nosuch", 2, NULL, true },
	{ "unknown feature name", SET, "--features", "desktop,nosuch", 2,
	  "nosuch", false },
	{ "unknown option", ADD, "--bogus", "1", 2, "--bogus", true },
	{ "duplicate option", ADD, "--seats", "6", 2, "--seats", true },
	{ "missing --product", DROP, "--product", NULL, 2, "--product", true },
	{ "missing --maintenance", DROP, "--maintenance", NULL, 2, NULL, false },
	{ "missing --secret", DROP, "--secret", NULL, 2, "--secret", false },
	{ "missing catalog file", SET, "--catalog", "@/no-such-catalog", 1,
	  NULL, false },
	{ "missing secret key file", SET, "--secret", "@/no-such.sec", 1,
	  "no-such.sec", false },
	{ "garbage secret key file", SET, "--secret", "@/garbage.sec", 1,
	  NULL, false },
	{ "empty secret key file", SET, "--secret", "@/empty.sec", 1, NULL, false },
	{ "flipped character in secret key", SET, "--secret", "@/flipped.sec",
	  1, NULL, false },
	{ "public key as --secret", SET, "--secret", DEMO_PUB, 1, NULL, false },
	{ "expires before starts", SET, "--expires", "2026-12-31", 2, NULL,
	  true },
	{ "licensee with a tab", SET, "--licensee", "ACME\tGmbH", 2, NULL,
	  true },
	{ "licensee with ESC", SET, "--licensee", "ACME\x1b[31m", 2, NULL, false },
	{ "licensee with DEL", SET, "--licensee", "ACME\x7f", 2, NULL, false },
	{ "licensee not UTF-8", SET, "--licensee", "M\xfcller", 2, NULL, false },
	{ "licensee empty", SET, "--licensee", "", 2, NULL, false },
	{ "licensee of 129 bytes", SET, "--licensee", long_licensee, 2, NULL, false },
};

/* Writes the broken secret key files the cases refer to. */
static void
make_bad_secrets(const struct fx *fx)
{
	char path[PATHCAP], text[4096], *b64;
	size_t len;

	path_in(fx, "garbage.sec", path, sizeof(path));
	write_file(path, "this is not a key\n", 18);
	path_in(fx, "empty.sec", path, sizeof(path));
	write_file(path, "", 0);
	len = read_file(DEMO_SEC, text, sizeof(text));
	b64 = strstr(text, "\nbGt");
	assert_non_null(b64);
	b64 += 120;	/* inside the key material */
	assert_true((size_t)(b64 - text) < len);
	*b64 = *b64 == 'A' ? 'B' : 'A';
	path_in(fx, "flipped.sec", path, sizeof(path));
	write_file(path, text, len);
	memset(long_licensee, 'x', 129);
	long_licensee[129] = '\0';
}

static void
build_issue_argv(const struct fx *fx, const struct kcase *c,
    const char *argv[], char *paths, size_t pathcap)
{
	size_t n = 0, i, nb = sizeof(kbase) / sizeof(kbase[0]);
	const char *val = c->val;
	bool done = false;

	if (val != NULL && strncmp(val, "@/", 2) == 0) {
		bprintf(paths, pathcap, "%s/%s", fx->dir, val + 2);
		val = paths;
	}
	argv[n++] = "lkey-keygen";
	argv[n++] = "issue";
	argv[n++] = "--no-ledger";
	for (i = 0; i < nb; i += 2) {
		if (strcmp(kbase[i], c->opt) == 0 && c->mode == DROP)
			continue;
		argv[n++] = kbase[i];
		if (strcmp(kbase[i], c->opt) == 0 && c->mode == SET) {
			argv[n++] = val;
			done = true;
		} else
			argv[n++] = kbase[i + 1U];
	}
	if (c->mode == ADD || (c->mode == SET && !done)) {
		argv[n++] = c->opt;
		argv[n++] = val;
	}
	argv[n] = NULL;
}

/*
 * An error run: the code, nothing on stdout, and stderr that starts
 * "PROG: " and holds the needle; exactly one line, except that usage
 * errors (2) are left to test_usage_errors_one_line, so that one cause
 * shows up once. With one_line, checks only that stderr is one line.
 */
static void
expect_error(struct tally *t, const char *what, const struct result *r,
    const char *prog, int code, const char *needle, bool one_line)
{
	char head[64];

	t->cases++;
	if (one_line || (code != 2 && r->code == code)) {
		const char *nl = strchr(r->err, '\n');

		tcheck(t, err_lines(r) == 1, what, NULL,
		    "stderr has %zu lines, expected exactly one; it starts "
		    "\"%.*s\"", err_lines(r),
		    (int)(nl != NULL ? nl - r->err : (ptrdiff_t)r->errlen),
		    r->err);
		if (one_line)
			return;
	}
	bprintf(head, sizeof(head), "%s: ", prog);
	tcheck(t, r->code == code, what, r, "exit %d, expected %d", r->code,
	    code);
	tcheck(t, r->outlen == 0, what, r, "stdout is not empty");
	tcheck(t, strncmp(r->err, head, strlen(head)) == 0 &&
	    r->errlen > strlen(head) + 1U, what, r,
	    "stderr does not start with \"%s\" and a message", head);
	if (needle != NULL)
		tcheck(t, strstr(r->err, needle) != NULL, what, r,
		    "stderr does not mention \"%s\"", needle);
}

static void
keygen_bad_cases(const struct fx *fx, struct tally *t, bool one_line)
{
	const char *argv[ARGMAX + 1U];
	char path[PATHCAP];
	struct result r;
	size_t i;
	static const char *const raw[][4] = {
		{ "lkey-keygen", NULL, NULL, NULL },
		{ "lkey-keygen", "frobnicate", NULL, NULL },
		{ "lkey-keygen", "init", NULL, NULL },
		{ "lkey-keygen", "init", "--out", NULL },
		{ "lkey-keygen", "issue", "extra", NULL },
	};

	make_bad_secrets(fx);
	for (i = 0; i < sizeof(kcases) / sizeof(kcases[0]); i++) {
		if (one_line && !kcases[i].sample)
			continue;
		build_issue_argv(fx, &kcases[i], argv, path, sizeof(path));
		run(fx, argv, NULL, 0, &r);
		expect_error(t, kcases[i].what, &r, "lkey-keygen",
		    kcases[i].code, kcases[i].needle, one_line);
	}
	for (i = 0; i < sizeof(raw) / sizeof(raw[0]); i++) {
		char what[128];

		bprintf(what, sizeof(what), "lkey-keygen%s%s%s%s",
		    raw[i][1] != NULL ? " " : "",
		    raw[i][1] != NULL ? raw[i][1] : " (no command)",
		    raw[i][1] != NULL && raw[i][2] != NULL ? " " : "",
		    raw[i][1] != NULL && raw[i][2] != NULL ? raw[i][2] : "");
		run(fx, raw[i], NULL, 0, &r);
		expect_error(t, what, &r, "lkey-keygen", 2, NULL, one_line);
	}
}

static void
test_keygen_bad_input(void **state)
{
	struct tally t = { 0, 0, 0 };

	keygen_bad_cases(*state, &t, false);
	tally_done(&t, "lkey-keygen bad input");
}

/*
 * Characters of a secret key file changed one at a time: each change must
 * be refused (exit 1, nothing on stdout), never used to sign. Every
 * TAMPER_STRIDE-th character from an offset taken from the run's seed
 * (printed; LKEY_TEST_SEED repeats it), so that runs cover all of them
 * without one run spawning a process per character.
 */
static void
test_keygen_secret_tamper(void **state)
{
	const struct fx *fx = *state;
	char text[4096], path[PATHCAP], what[64];
	const char *argv[] = { "lkey-keygen", "issue", "--secret", path,
	    "--product", "1", "--edition", "1", "--seats", "1", "--starts",
	    "2027-01-01", "--expires", "never", "--maintenance", "never", NULL };
	struct tally t = { 0, 0, 0 };
	struct result r;
	size_t len, start, i;
	uint64_t seed = test_seed();

	len = read_file(DEMO_SEC, text, sizeof(text));
	start = (size_t)(strstr(text, "\nbGt") - text) + 1U;
	assert_true(start > 1U && start < len);
	path_in(fx, "tamper.sec", path, sizeof(path));
	for (i = start + (size_t)(seed % TAMPER_STRIDE);
	    i < len && text[i] != '\n'; i += TAMPER_STRIDE) {
		char c = text[i];

		text[i] = c == 'A' ? 'B' : 'A';
		(void)unlink(path);
		write_file(path, text, len);
		text[i] = c;
		run(fx, argv, NULL, 0, &r);
		bprintf(what, sizeof(what), "secret key character %zu",
		    i - start + 1U);
		t.cases++;
		tcheck(&t, r.code == 1 && r.outlen == 0, what, &r,
		    "changed secret key file not refused with exit 1");
	}
	if (t.cases < 10)
		fail_msg("secret key line too short: %zu cases", (size_t)t.cases);
	tally_done(&t, "secret key tamper");
}

/* ---- 6. bad input to lkey-verify ---------------------------------------- */

struct vcx {
	const struct fx *fx;
	struct tally *t;
	bool one_line;
};

static void vbad(const struct vcx *x, const char *what, int code,
    const char *needle, const char *in, size_t inlen, ...);

/* lkey-verify with the arguments; an error with exit code and needle. */
static void
vbad(const struct vcx *x, const char *what, int code, const char *needle,
    const char *in, size_t inlen, ...)
{
	const char *argv[ARGMAX + 1U], *first;
	struct result r;
	va_list ap;

	if (x->one_line && code != 2)
		return;
	va_start(ap, inlen);
	argv[0] = "lkey-verify";
	first = va_arg(ap, const char *);
	collect_args(first, ap, argv + 1);
	va_end(ap);
	run(x->fx, argv, in, inlen, &r);
	if (code >= 10 && !x->one_line) {
		x->t->cases++;
		tcheck(x->t, r.code == code, what, &r, "exit %d, expected %d",
		    r.code, code);
		tcheck(x->t, err_lines(&r) == 1 &&
		    strncmp(r.err, "lkey-verify: ", 13) == 0 &&
		    strstr(r.err, ": malformed: ") != NULL, what, &r,
		    "stderr is not one \"lkey-verify: SOURCE: malformed: \" "
		    "line");
		if (needle != NULL)
			tcheck(x->t, strstr(r.err, needle) != NULL, what, &r,
			    "stderr does not mention \"%s\"", needle);
	} else
		expect_error(x->t, what, &r, "lkey-verify", code, needle,
		    x->one_line);
}

#define VB "--pubkey", DEMO_PUB, "--product", "1", "--today", "2027-06-15"

static void
verify_bad_cases(const struct fx *fx, struct tally *t, bool one_line)
{
	const struct vcx x = { fx, t, one_line };
	static const char junk[] = "!-_.";
	char key[KEYCAP], k2[KEYCAP], garbage[PATHCAP], empty[PATHCAP];
	char none[PATHCAP], what[64];
	char *big;
	size_t len, i;
	const size_t mib = 1024U * 1024U;

	issue(fx, NULL, key, sizeof(key), "--secret", DEMO_SEC, "--product",
	    "1", "--edition", "1", "--seats", "5", "--starts", "2027-01-01",
	    "--expires", "2027-12-31", "--maintenance", "2027-12-31", NULL);
	len = strlen(key);

	/* Public key files that are not one. */
	path_in(fx, "garbage.pub", garbage, sizeof(garbage));
	write_file(garbage, "# lkey public key\nnot base64 at all\n", 36);
	path_in(fx, "empty.pub", empty, sizeof(empty));
	write_file(empty, "", 0);
	path_in(fx, "no-such.pub", none, sizeof(none));
	vbad(&x, "garbage pubkey file", 1, NULL, NULL, 0, "--pubkey", garbage,
	    "--product", "1", key, NULL);
	vbad(&x, "secret key as pubkey", 1, NULL, NULL, 0, "--pubkey",
	    DEMO_SEC, "--product", "1", key, NULL);
	vbad(&x, "empty pubkey file", 1, NULL, NULL, 0, "--pubkey", empty,
	    "--product", "1", key, NULL);
	vbad(&x, "missing pubkey file", 1, "no-such.pub", NULL, 0, "--pubkey",
	    none, "--product", "1", key, NULL);
	vbad(&x, "missing catalog file", 1, NULL, NULL, 0, VB, "--catalog",
	    none, key, NULL);
	vbad(&x, "missing key file", 1, NULL, NULL, 0, VB, "--key-file", none,
	    NULL);

	/* Keys that are not canonical base64. */
	for (i = 0; junk[i] != '\0'; i++) {
		memcpy(k2, key, len + 1U);
		k2[10] = junk[i];
		bprintf(what, sizeof(what), "'%c' at character 11", junk[i]);
		vbad(&x, what, 10, "character 11", NULL, 0, VB, k2, NULL);
	}
	memcpy(k2, key, 100);
	k2[100] = '\0';
	vbad(&x, "truncated key", 10, NULL, NULL, 0, VB, k2, NULL);
	memcpy(k2, key, len);
	k2[len] = '\n';
	k2[20] = '\0';
	vbad(&x, "NUL byte in the key (stdin)", 10, NULL, k2, len + 1U, VB,
	    "-", NULL);
	bprintf(k2, sizeof(k2), "%.10s\xc3\xa9%s", key, key + 10);
	vbad(&x, "e-acute in the key", 10, "character 11", NULL, 0, VB, k2,
	    NULL);
	bprintf(k2, sizeof(k2), "%.10s\xff%s", key, key + 10);
	vbad(&x, "0xff in the key", 10, "character 11", NULL, 0, VB, k2, NULL);
	vbad(&x, "0xff in the key (stdin)", 10, "character 11", k2,
	    strlen(k2), VB, "-", NULL);
	if (!one_line) {
		big = malloc(mib);
		assert_non_null(big);
		memset(big, 'A', mib);
		vbad(&x, "1 MiB key on stdin", 10, "too long", big, mib, VB,
		    "-", NULL);
		free(big);
	}
	vbad(&x, "empty key argument", 10, NULL, NULL, 0, VB, "", NULL);
	vbad(&x, "empty standard input", 10, NULL, NULL, 0, VB, "-", NULL);
	vbad(&x, "only whitespace", 10, NULL, " \n\t\n", 4, VB, "-", NULL);
	bprintf(k2, sizeof(k2), "%sAAAA", key);
	vbad(&x, "trailing data", 10, NULL, NULL, 0, VB, k2, NULL);

	/* Usage. */
	vbad(&x, "unknown flag", 2, "--frob", NULL, 0, VB, "--frob", key, NULL);
	vbad(&x, "abbreviated flag", 2, NULL, NULL, 0, "--pub", DEMO_PUB,
	    "--product", "1", key, NULL);
	vbad(&x, "duplicate flag", 2, "--json", NULL, 0, VB, "--json", "--json",
	    key, NULL);
	vbad(&x, "duplicate --pubkey", 2, NULL, NULL, 0, VB, "--pubkey",
	    DEMO_PUB, key, NULL);
	vbad(&x, "missing --pubkey", 2, "--pubkey", NULL, 0, "--product", "1",
	    key, NULL);
	vbad(&x, "missing --product", 2, "--product", NULL, 0, "--pubkey",
	    DEMO_PUB, key, NULL);
	vbad(&x, "unknown product name", 2, NULL, NULL, 0, "--pubkey",
	    DEMO_PUB, "--catalog", CATALOG, "--product", "nosuch", key, NULL);
	vbad(&x, "--admin without --users", 2, "--admin", NULL, 0, VB,
	    "--admin", key, NULL);
	vbad(&x, "--users -1", 2, "--users", NULL, 0, VB, "--users", "-1", key,
	    NULL);
	vbad(&x, "--users abc", 2, "--users", NULL, 0, VB, "--users", "abc",
	    key, NULL);
	vbad(&x, "--users 99999999999", 2, NULL, NULL, 0, VB, "--users",
	    "99999999999", key, NULL);
	vbad(&x, "--today 2027-02-29", 2, "--today", NULL, 0, "--pubkey",
	    DEMO_PUB, "--product", "1", "--today", "2027-02-29", key, NULL);
	vbad(&x, "--release 2027-1-1", 2, "--release", NULL, 0, VB,
	    "--release", "2027-1-1", key, NULL);
	vbad(&x, "KEY and --key-file", 2, NULL, NULL, 0, VB, "--key-file",
	    DEMO_PUB, key, NULL);
	vbad(&x, "two keys", 2, NULL, NULL, 0, VB, key, key, NULL);
	vbad(&x, "no key", 2, NULL, NULL, 0, VB, NULL);
	vbad(&x, "--json=1", 2, NULL, NULL, 0, VB, "--json=1", key, NULL);
}

/*
 * Non-canonical respellings: for keys that end in "=" and "==", the last
 * character before the padding changed in its unused low bits only. libb64
 * decodes those to the same bytes; the verifier must refuse them. Also bad
 * padding (a "=" removed or added).
 */
static void
test_verify_noncanonical(void **state)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	static const char *const names[] = { "A", "AB", "ABC" };
	const struct fx *fx = *state;
	struct tally t = { 0, 0, 0 };
	bool seen1 = false, seen2 = false;
	char key[KEYCAP], k2[KEYCAP];
	struct result r;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t len, pad = 0, pos, v;
		char what[96];

		issue(fx, NULL, key, sizeof(key), "--secret", DEMO_SEC,
		    "--product", "1", "--edition", "1", "--seats", "5",
		    "--starts", "2027-01-01", "--expires", "2027-12-31",
		    "--maintenance", "2027-12-31", "--licensee", names[i],
		    NULL);
		len = strlen(key);
		while (pad < len && key[len - 1U - pad] == '=')
			pad++;
		if (pad == 0)
			continue;
		seen1 |= pad == 1;
		seen2 |= pad == 2;
		pos = len - 1U - pad;
		v = (size_t)(strchr(b64, key[pos]) - b64);
		memcpy(k2, key, len + 1U);
		k2[pos] = b64[v ^ 1U];	/* an unused bit */
		verify(fx, NULL, 0, &r, VB, "--json", k2, NULL);
		bprintf(what, sizeof(what), "unused bit set before %zu '='",
		    pad);
		expect_verdict(&t, what, &r, "key", "malformed", 10);
		/* The original still verifies: the change made the difference. */
		verify(fx, NULL, 0, &r, VB, "--json", key, NULL);
		expect_verdict(&t, "original key", &r, "key", "valid", 0);

		memcpy(k2, key, len + 1U);
		k2[len - 1U] = '\0';
		verify(fx, NULL, 0, &r, VB, "--json", k2, NULL);
		bprintf(what, sizeof(what), "one '=' of %zu removed", pad);
		expect_verdict(&t, what, &r, "key", "malformed", 10);
		bprintf(k2, sizeof(k2), "%s=", key);
		verify(fx, NULL, 0, &r, VB, "--json", k2, NULL);
		bprintf(what, sizeof(what), "'=' added to %zu", pad);
		expect_verdict(&t, what, &r, "key", "malformed", 10);
		bprintf(k2, sizeof(k2), "%sQQ==", key);
		verify(fx, NULL, 0, &r, VB, "--json", k2, NULL);
		bprintf(what, sizeof(what), "data after %zu '='", pad);
		expect_verdict(&t, what, &r, "key", "malformed", 10);
	}
	assert_true(seen1 && seen2);
	tally_done(&t, "non-canonical keys");
}

static void
test_verify_bad_input(void **state)
{
	struct tally t = { 0, 0, 0 };

	verify_bad_cases(*state, &t, false);
	tally_done(&t, "lkey-verify bad input");
}

/*
 * The contract: every error is one clear line on stderr, usage errors too
 * (the other tests check this for every other error). Runs a sample of
 * lkey-keygen's usage errors and all of lkey-verify's.
 */
static void
test_usage_errors_one_line(void **state)
{
	struct tally t = { 0, 0, 0 };

	keygen_bad_cases(*state, &t, true);
	verify_bad_cases(*state, &t, true);
	tally_done(&t, "one-line usage errors");
}

/* ---- 7. --help and --version -------------------------------------------- */

static void
test_help_version(void **state)
{
	const struct fx *fx = *state;
	static const char *const progs[] = { "lkey-keygen", "lkey-verify" };
	struct tally t = { 0, 0, 0 };
	struct result r;
	size_t i;

	for (i = 0; i < 2; i++) {
		const char *help[] = { progs[i], "--help", NULL };
		const char *version[] = { progs[i], "--version", NULL };
		char what[64], want[64];

		bprintf(what, sizeof(what), "%s --help", progs[i]);
		run(fx, help, NULL, 0, &r);
		t.cases++;
		tcheck(&t, r.code == 0 && r.errlen == 0 &&
		    strncmp(r.out, "usage: ", 7) == 0, what, &r,
		    "expected exit 0 and usage on stdout only");
		bprintf(what, sizeof(what), "%s --version", progs[i]);
		bprintf(want, sizeof(want), "%s ", progs[i]);
		run(fx, version, NULL, 0, &r);
		t.cases++;
		tcheck(&t, r.code == 0 && r.errlen == 0 &&
		    strncmp(r.out, want, strlen(want)) == 0 &&
		    err_lines(&r) == 0, what, &r,
		    "expected exit 0 and \"%sVERSION\" on stdout", want);
	}
	tally_done(&t, "--help / --version");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_encrypted_key),
		cmocka_unit_test(test_init_no_overwrite),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_sample_manifest),
		cmocka_unit_test(test_keygen_bad_input),
		cmocka_unit_test(test_keygen_secret_tamper),
		cmocka_unit_test(test_verify_bad_input),
		cmocka_unit_test(test_verify_noncanonical),
		cmocka_unit_test(test_usage_errors_one_line),
		cmocka_unit_test(test_help_version),
	};

	return cmocka_run_group_tests_name("cli", tests, proc_setup,
	    proc_teardown);
}
