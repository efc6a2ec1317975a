/*
 * test_cli.c - the two programs as users and CI pipelines run them:
 * build/lkey-keygen and build/lkey-verify (from $LKEY_BUILD_DIR, default
 * "build"), started from the repository root by proc.c (fork/exec and
 * pipes, no shell, no controlling terminal, fast Argon2, LKEY_PASSPHRASE
 * only where a test sets it). Key files go to a fresh directory made with
 * mkdtemp and removed afterwards.
 *
 * Golden cases (golden.h) give the arguments, the exit status and what
 * the run must print; a table reports every case that goes wrong, not
 * only the first. Every error is checked to be one line on stderr.
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

#include "build.h"
#include "codec.h"
#include "golden.h"
#include "json.h"
#include "lkey_vendor.h"
#include "proc.h"
#include "pubfile.h"
#include "sign.h"
#include "support.h"
#include "vendorkey.h"
#include "wire.h"

#define TAMPER_STRIDE 7U

#define SAMPLES "keys/samples/"
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

	/* Every field, by catalog names and by plain numbers: same key
	 * (the catalog's maintenance marks, desktop and mobile, signed). */
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
	    "--maintenance-features", "0,3", "--licensee", LICENSEE_UTF8,
	    NULL);
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
	size_t i, len;

	bprintf(out, cap, " \t\n");
	len = strlen(out);
	for (i = 0; key[i] != '\0'; i++) {
		bprintf(out + len, cap - len, "%c%s", key[i],
		    ws[i % (sizeof(ws) / sizeof(ws[0]))]);
		len += strlen(out + len);
	}
	bprintf(out + len, cap - len, "\r\n \n");
}

#define V "lkey-verify --pubkey " DEMO_PUB " --catalog " CATALOG " --json "
#define TT V "--product timetracker "

/* KEY: timetracker enterprise, 25 seats, 2027, maintenance to 09-30. */
static const struct golden verdict_cases[] = {
	{ "whitespace everywhere (KEY)", TT "--today 2027-06-15 $WRAPPED", 0,
	  { "verdict=valid" } },
	{ "whitespace everywhere (stdin)", TT "--today 2027-06-15 - <$WRAPPED",
	  0, { "verdict=valid" } },
	{ "--users 25 of 25", TT "--today 2027-06-15 --users 25 $KEY", 0,
	  { "verdict=valid", "users=25", "remaining=0" } },
	{ "--users 25 --admin of 25",
	  TT "--today 2027-06-15 --users 25 --admin $KEY", 0,
	  { "verdict=valid" } },
	{ "--users 26 of 25", TT "--today 2027-06-15 --users 26 $KEY", 17,
	  { "verdict=seats_exceeded" } },
	{ "--users 26 --admin of 25",
	  TT "--today 2027-06-15 --users 26 --admin $KEY", 18,
	  { "verdict=admin_only" } },
	/* License period, inclusive at both ends. */
	{ "--today = start day", TT "--today 2027-01-01 $KEY", 0,
	  { "verdict=valid" } },
	{ "--today = start - 1", TT "--today 2026-12-31 $KEY", 14,
	  { "verdict=not_yet_valid" } },
	{ "--today = expiry day", TT "--today 2027-12-31 $KEY", 0,
	  { "verdict=valid" } },
	{ "--today = expiry + 1", TT "--today 2028-01-01 $KEY", 15,
	  { "verdict=expired" } },
	/* Maintenance against the release date. */
	{ "--release = maintenance end",
	  TT "--today 2027-11-01 --release 2027-09-30 $KEY", 0,
	  { "verdict=valid" } },
	{ "--release after maintenance",
	  TT "--today 2027-11-01 --release 2027-10-01 $KEY", 16,
	  { "verdict=maintenance_lapsed" } },
	{ "--release after --today",
	  TT "--today 2027-06-15 --release 2027-06-17 $KEY", 21,
	  { "verdict=clock_rollback" } },
	{ "wrong product", V "--product timelog --today 2027-06-15 $KEY", 13,
	  { "verdict=wrong_product" } },
	/* One character changed in the payload, and in the signature. */
	{ "payload character changed", TT "--today 2027-06-15 $PAYLOAD", 12,
	  { "verdict=bad_signature" } },
	{ "signature character changed", TT "--today 2027-06-15 $SIGNATURE",
	  12, { "verdict=bad_signature" } },
	{ "other vendor key", TT "--today 2027-06-15 $OTHER", 11,
	  { "verdict=unknown_key" } },
	{ "other vendor key, its own pubkey", "lkey-verify --pubkey $OPUB "
	  "--product 1 --today 2027-06-15 --json $OTHER", 0,
	  { "verdict=valid" } },
};

static void
test_verdicts(void **state)
{
	const struct fx *fx = *state;
	char key[KEYCAP], other[KEYCAP], wrapped[8 * KEYCAP];
	char payload[KEYCAP], signature[KEYCAP], osec[PATHCAP], opub[PATHCAP];
	const struct var vars[] = { { "KEY", key }, { "WRAPPED", wrapped },
	    { "PAYLOAD", payload }, { "SIGNATURE", signature },
	    { "OTHER", other }, { "OPUB", opub }, { NULL, NULL } };
	size_t len;

	issue(fx, NULL, key, sizeof(key), "--secret", DEMO_SEC, "--catalog",
	    CATALOG, "--product", "timetracker", "--edition", "enterprise",
	    "--seats", "25", "--starts", "2027-01-01", "--expires",
	    "2027-12-31", "--maintenance", "2027-09-30", "--serial", "77",
	    "--features", "reports", NULL);
	len = strlen(key);
	wrap_key(key, wrapped, sizeof(wrapped));
	memcpy(payload, key, len + 1U);
	payload[12] = payload[12] == 'A' ? 'B' : 'A';
	memcpy(signature, key, len + 1U);
	signature[len - 20U] = signature[len - 20U] == 'A' ? 'B' : 'A';
	init_plain(fx, "other", osec, opub);
	issue(fx, NULL, other, sizeof(other), "--secret", osec, "--catalog",
	    CATALOG, "--product", "timetracker", "--edition", "enterprise",
	    "--seats", "25", "--starts", "2027-01-01", "--expires",
	    "2027-12-31", "--maintenance", "2027-09-30", "--serial", "77",
	    NULL);
	GOLDEN_TABLE(fx, verdict_cases, vars);
}

/*
 * Every status and its own exit code, on the sample keys of
 * keys/samples/MANIFEST (lkey-verify --check runs the whole manifest:
 * test_check.c).
 */
#define S V "--product timetracker --today 2027-06-15 "

/* A status, its exit code, and the options and sample key that give it. */
static const struct {
	const char *status;
	int code;
	const char *args;
} statuses[] = {
	{ "valid", 0, "--key-file " SAMPLES "valid.key" },
	{ "malformed", 10, "--key-file " SAMPLES "junk.key" },
	{ "unknown_key", 11, "--key-file " SAMPLES "other-vendor.key" },
	{ "bad_signature", 12, "--key-file " SAMPLES "bad-signature.key" },
	{ "wrong_product", 13, "--key-file " SAMPLES "timelog.key" },
	{ "not_yet_valid", 14, "--key-file " SAMPLES "next-period.key" },
	{ "expired", 15, "--key-file " SAMPLES "expired.key" },
	{ "maintenance_lapsed", 16, "--release 2027-04-01 --key-file " SAMPLES
	  "maintenance-ended.key" },
	{ "seats_exceeded", 17, "--users 26 --key-file " SAMPLES "valid.key" },
	{ "admin_only", 18, "--users 26 --admin --key-file " SAMPLES
	  "valid.key" },
	{ "host_mismatch", 19, "--host fedcba9876543210 --key-file " SAMPLES
	  "host.key" },
	{ "revoked", 20, "--revocations " SAMPLES "revoked.lkr --key-file "
	  SAMPLES "revoked.key" },
	{ "clock_rollback", 21, "--release 2027-06-17 --key-file " SAMPLES
	  "valid.key" },
};

/* Each as a golden case named by its status, whose verdict it must be. */
static void
test_statuses(void **state)
{
	struct tally t = { 0, 0, 0 };
	char args[512], verdict[64];
	size_t i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		const struct golden g = { statuses[i].status, args,
		    statuses[i].code, { verdict } };

		bprintf(args, sizeof(args), S "%s", statuses[i].args);
		bprintf(verdict, sizeof(verdict), "verdict=%s",
		    statuses[i].status);
		golden_run(*state, &t, &g, 1, NULL);
	}
	tally_done(&t, "statuses");
}

/*
 * Keys that are not read (malformed, unknown_key, bad_signature): the
 * screen's Status line and the sentence for end users, then the problem;
 * in the JSON the key id the key names (untrusted), the other terms null
 * and the figures of today absent.
 */
#define NS "lkey-verify --pubkey " DEMO_PUB " --catalog " CATALOG \
	" --product timetracker --today 2027-06-15 "

static const struct golden not_read_cases[] = {
	{ "bad_signature, screen", NS "--key-file " SAMPLES
	  "bad-signature.key", 12, { "verdict=bad_signature",
	  "out^=Status:       bad_signature\n              The licence key "
	  "is not genuine: it has been altered or mistyped. Copy it again "
	  "from the licence e-mail.\n\nProblems:\n  - The signature does not "
	  "verify: the key was altered or mistyped.\n\nLikely typo:  ",
	  "out!~Licence:" } },
	{ "bad_signature, JSON", S "--key-file " SAMPLES "bad-signature.key",
	  12, { "verdict=bad_signature", "message='The licence key is not "
	  "genuine: it has been altered or mistyped. Copy it again from the "
	  "licence e-mail.'", "key_id='277e0164'", "product=null",
	  "serial=null", "licensee=null", "host=null", "!issued", "!trial",
	  "!grace_days", "!notice_days", "!starts_in_days", "!days_left",
	  "!features_available", "!users" } },
	{ "unknown_key, screen", NS "--key-file " SAMPLES "other-vendor.key",
	  11, { "verdict=unknown_key", "out=Status:       unknown_key\n"
	  "              The licence key was signed with a key this program "
	  "does not know. Check that the key is for this product, or update "
	  "the program.\n\nProblems:\n  - The key was signed by vendor key "
	  "2347ae9a, which is not one of the given public keys.\n" } },
	{ "unknown_key, JSON, --users", S "--users 3 --key-file " SAMPLES
	  "other-vendor.key", 11, { "verdict=unknown_key",
	  "key_id='2347ae9a'", "host=null", "users=3", "remaining=null",
	  "!issued", "!grace_days_left" } },
	{ "malformed, screen", NS "--key-file " SAMPLES "junk.key", 10,
	  { "verdict=malformed", "out=Status:       malformed\n"
	  "              The licence key is damaged or incomplete, or needs a "
	  "newer version of this program. Copy the whole key again from the "
	  "licence e-mail.\n\nProblems:\n  - The key holds '!' (exclamation "
	  "mark) at character 40, which a licence key never holds. Remove it, "
	  "or copy the key again from the licence e-mail.\n" } },
	{ "malformed, JSON: no key id read", S "--key-file " SAMPLES
	  "junk.key", 10, { "verdict=malformed", "key_id=null", "host=null",
	  "!issued" } },
	{ "empty key, screen", NS "$EMPTY", 10, { "verdict=malformed",
	  "out=Status:       malformed\n              No licence key was "
	  "given. Paste the key from the licence e-mail.\n\nProblems:\n"
	  "  - There is no licence key in the text: it is empty, or only "
	  "spaces and punctuation. Paste the key from the licence "
	  "e-mail.\n" } },
	{ "only spaces, JSON", S "$SPACES", 10, { "verdict=malformed",
	  "message='No licence key was given. Paste the key from the licence "
	  "e-mail.'", "detail~no licence key in the text", "key_id=null" } },
};

static void
test_not_read(void **state)
{
	const struct var vars[] = { { "EMPTY", "" }, { "SPACES", " \t " },
	    { NULL, NULL } };

	GOLDEN_TABLE(*state, not_read_cases, vars);
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
	  "--expires" },
	{ "impossible date 2027-13-01", SET, "--expires", "2027-13-01", 2,
	  NULL },
	{ "date 'tomorrow'", SET, "--maintenance", "tomorrow", 2, NULL },
	{ "date 2027-1-1", SET, "--starts", "2027-1-1", 2, NULL },
	{ "--starts never", SET, "--starts", "never", 2, NULL },
	{ "seats -1", SET, "--seats", "-1", 2, "--seats" },
	{ "seats 0", SET, "--seats", "0", 2, NULL },
	{ "seats abc", SET, "--seats", "abc", 2, NULL },
	{ "seats 99999999999999999999", SET, "--seats",
	  "99999999999999999999", 2, NULL },
	{ "seats 16777215", SET, "--seats", "16777215", 2, NULL },
	{ "seats 05", SET, "--seats", "05", 2, NULL },
	{ "serial 4294967296", SET, "--serial", "4294967296", 2, NULL },
	{ "unknown product name", SET, "--product", "nosuch", 2, NULL },
	{ "unknown edition name", SET, "--edition", "nosuch", 2, NULL },
	{ "unknown feature name", SET, "--features", "desktop,nosuch", 2,
	  "nosuch" },
	{ "unknown option", ADD, "--bogus", "1", 2, "--bogus" },
	{ "duplicate option", ADD, "--seats", "6", 2, "--seats" },
	{ "missing --product", DROP, "--product", NULL, 2, "--product" },
	{ "missing --maintenance", DROP, "--maintenance", NULL, 2, NULL },
	{ "missing --secret", DROP, "--secret", NULL, 2, "--secret" },
	{ "missing catalog file", SET, "--catalog", "@/no-such-catalog", 1,
	  NULL },
	{ "missing secret key file", SET, "--secret", "@/no-such.sec", 1,
	  "no-such.sec" },
	{ "garbage secret key file", SET, "--secret", "@/garbage.sec", 1,
	  NULL },
	{ "empty secret key file", SET, "--secret", "@/empty.sec", 1, NULL },
	{ "flipped character in secret key", SET, "--secret", "@/flipped.sec",
	  1, NULL },
	{ "public key as --secret", SET, "--secret", DEMO_PUB, 1, NULL },
	{ "expires before starts", SET, "--expires", "2026-12-31", 2, NULL },
	{ "licensee with a tab", SET, "--licensee", "ACME\tGmbH", 2, NULL },
	{ "licensee with ESC", SET, "--licensee", "ACME\x1b[31m", 2, NULL },
	{ "licensee with DEL", SET, "--licensee", "ACME\x7f", 2, NULL },
	{ "licensee not UTF-8", SET, "--licensee", "M\xfcller", 2, NULL },
	{ "licensee empty", SET, "--licensee", "", 2, NULL },
	{ "licensee of 129 bytes", SET, "--licensee", long_licensee, 2, NULL },
	{ "licensee with a right-to-left override", SET, "--licensee",
	  "Acme\xe2\x80\xae" "exe.doc", 2, "--licensee holds U+202E "
	  "(right-to-left override) at character 5, which would change how "
	  "the name is shown" },
	{ "licensee with a zero width space", SET, "--licensee",
	  "Ac\xe2\x80\x8bme", 2, "--licensee holds U+200B (zero width space) "
	  "at character 3" },
	{ "module seats above the seats", ADD, "--module-seats", "desktop=6",
	  2, "--module-seats: desktop=6 exceeds the licence's 5 seats" },
	{ "edition the catalog does not name", SET, "--edition", "0", 2,
	  "--edition: the catalog has no edition 0 (its editions: basic 1, "
	  "professional 2, enterprise 3)" },
	{ "edition 255", SET, "--edition", "255", 2,
	  "the catalog has no edition 255" },
	{ "product the catalog does not name", SET, "--product", "3", 2,
	  "--product: the catalog has no product 3 (its products: "
	  "timetracker 1, timelog 2)" },
	{ "feature the catalog does not name", SET, "--features",
	  "desktop,9", 2, "--features: the catalog has no feature 9" },
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

/* The stderr check of an error: a usage error or another. */
static void
expect_error(struct tally *t, const char *what, const struct result *r,
    const char *const argv[], int code, const char *needle)
{
	char check[256];

	bprintf(check, sizeof(check), "%s~%s", code == 2 ? "usage" : "error",
	    needle != NULL ? needle : "");
	t->cases++;
	tcheck(t, r->code == code, what, r, "exit %d, expected %d", r->code,
	    code);
	golden_check(t, what, r, argv, check, NULL);
}

static void
test_keygen_bad_input(void **state)
{
	const struct fx *fx = *state;
	static const char *const raw[][4] = {
		{ "lkey-keygen", NULL, NULL, NULL },
		{ "lkey-keygen", "frobnicate", NULL, NULL },
		{ "lkey-keygen", "init", NULL, NULL },
		{ "lkey-keygen", "init", "--out", NULL },
		{ "lkey-keygen", "issue", "extra", NULL },
	};
	const char *argv[ARGMAX + 1U];
	struct tally t = { 0, 0, 0 };
	char path[PATHCAP];
	struct result r;
	size_t i;

	make_bad_secrets(fx);
	for (i = 0; i < sizeof(kcases) / sizeof(kcases[0]); i++) {
		build_issue_argv(fx, &kcases[i], argv, path, sizeof(path));
		run(fx, argv, NULL, 0, &r);
		expect_error(&t, kcases[i].what, &r, argv, kcases[i].code,
		    kcases[i].needle);
	}
	for (i = 0; i < sizeof(raw) / sizeof(raw[0]); i++) {
		run(fx, raw[i], NULL, 0, &r);
		expect_error(&t, raw[i][1] != NULL ? raw[i][1] : "no command",
		    &r, raw[i], 2, NULL);
	}
	tally_done(&t, "lkey-keygen bad input");
}

/* Every bad option of issue is reported, a line each, then the usage. */
static void
test_keygen_every_bad_option(void **state)
{
	const struct fx *fx = *state;
	const char *argv[] = { "lkey-keygen", "issue", "--no-ledger",
	    "--secret", DEMO_SEC, "--catalog", CATALOG, "--product",
	    "timetracker", "--edition", "0", "--seats", "0", "--expires",
	    "2027-12-31", "--maintenance", "2027-12-31", "--licensee",
	    "Acme\xe2\x80\xae" "exe.doc", NULL };
	struct result r;

	run(fx, argv, NULL, 0, &r);
	assert_int_equal(r.code, 2);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, "lkey-keygen: --edition: the catalog has "
	    "no edition 0 (its editions: basic 1, professional 2, enterprise "
	    "3)\n"
	    "lkey-keygen: --seats: '0' is not a whole number from 1 to "
	    "16777214, or unlimited\n"
	    "lkey-keygen: --licensee holds U+202E (right-to-left override) at "
	    "character 5, which would change how the name is shown (see "
	    "lkey-keygen --help)\n");
}

/* With a ledger, a bad order id is named with the bad terms. */
static void
test_keygen_bad_order_and_terms(void **state)
{
	const struct fx *fx = *state;
	char ledger[PATHCAP];
	const char *argv[] = { "lkey-keygen", "issue", "--ledger", ledger,
	    "--secret", DEMO_SEC, "--product", "1", "--edition", "1",
	    "--seats", "0", "--expires", "never", "--maintenance", "never",
	    "--order", "A-\xe2\x80\x8b" "17", NULL };
	struct result r;

	path_in(fx, "bad-order.sqlite", ledger, sizeof(ledger));
	run(fx, argv, NULL, 0, &r);
	assert_int_equal(r.code, 2);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, "lkey-keygen: --seats: '0' is not a whole "
	    "number from 1 to 16777214, or unlimited\n"
	    "lkey-keygen: --order holds U+200B (zero width space) at "
	    "character 3, which would change how the id is shown (see "
	    "lkey-keygen --help)\n");
}

/*
 * A key whose licensee holds a right-to-left override (signed by an older
 * lkey-keygen or another tool: lkey-keygen refuses it now): the screen
 * shows the character as <U+202E>, so the name reads as it is.
 */
static void
test_verify_hidden_licensee(void **state)
{
	const struct fx *fx = *state;
	static const char name[] = "Acme \xe2\x80\xae" "cod.exe";
	char key[LKEY_B64_TEXT_MAX], pub[PATHCAP], text[256];
	const char *argv[] = { "lkey-verify", "--pubkey", pub, "--product",
	    "1", "--today", "2027-06-15", key, NULL };
	uint8_t raw[LKEY_KEY_MAX];
	lkey_vendor_key k;
	lkey_license t;
	struct result r;
	size_t n;

	vendor_key(1, &k);
	lkey_terms_init(&t, 20819);		/* 2027-01-01 */
	t.version = WIRE_VERSION;
	t.key_id = k.pub.id;
	t.product = 1;
	t.edition = 1;
	t.seats = 5;
	t.expires = LKEY_NEVER;
	t.maintenance = LKEY_NEVER;
	t.serial = 7;
	memcpy(t.licensee, name, sizeof(name));
	t.licensee_len = sizeof(name) - 1U;
	/* A key may hold it (lkey_terms_check); lkey-keygen refuses it. */
	assert_int_equal(lkey_terms_check(&t, NULL), LKEY_ISSUE_OK);
	n = build_payload(&t, raw, sizeof(raw) - LKEY_SIGNATUREBYTES);
	assert_true(n > 0);
	sign_license(raw + n, raw, n, k.sk);
	assert_true(lkey__b64_encode(raw, n + LKEY_SIGNATUREBYTES, key,
	    sizeof(key)) > 0);
	path_in(fx, "hidden.pub", pub, sizeof(pub));
	n = pubkey_file_format(&k.pub, text, sizeof(text));
	assert_true(n > 0);
	write_file(pub, text, n);
	run(fx, argv, NULL, 0, &r);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.out,
	    "\nLicensee:     Acme <U+202E>cod.exe\n"));
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

#define VB "lkey-verify --pubkey " DEMO_PUB " --product 1 --today 2027-06-15 "
#define VM VB "--json "

static const struct golden verify_bad_cases[] = {
	/* Public key, catalog and key files that cannot be used. */
	{ "garbage pubkey file", "lkey-verify --pubkey $DIR/garbage.pub "
	  "--product 1 $KEY", 1, { "error~" } },
	{ "secret key as pubkey", "lkey-verify --pubkey " DEMO_SEC
	  " --product 1 $KEY", 1, { "error~" } },
	{ "empty pubkey file", "lkey-verify --pubkey $DIR/empty.pub "
	  "--product 1 $KEY", 1, { "error~" } },
	{ "missing pubkey file", "lkey-verify --pubkey $DIR/no-such.pub "
	  "--product 1 $KEY", 1, { "error~no-such.pub" } },
	{ "missing catalog file", VB "--catalog $DIR/no-such.pub $KEY", 1,
	  { "error~" } },
	{ "missing key file", VB "--key-file $DIR/no-such.pub", 1,
	  { "error~" } },
	/* Keys that are not canonical base64. */
	{ "truncated key", VM "$TRUNCATED", 10, { "verdict=malformed" } },
	{ "0xff in the key (stdin)", VM "- <$FF", 10,
	  { "verdict=malformed", "err~character 11" } },
	{ "empty key argument", VM "$EMPTY", 10, { "verdict=malformed" } },
	{ "empty standard input", VM "-", 10, { "verdict=malformed" } },
	{ "only whitespace", VM "- <$WHITE", 10, { "verdict=malformed" } },
	{ "trailing data", VM "$TRAILING", 10, { "verdict=malformed" } },
	/* Usage. */
	{ "unknown flag", VB "--frob $KEY", 2, { "usage~--frob" } },
	{ "abbreviated flag", "lkey-verify --pub " DEMO_PUB " --product 1 $KEY",
	  2, { "usage~" } },
	{ "duplicate flag", VB "--json --json $KEY", 2, { "usage~--json" } },
	{ "duplicate --pubkey", VB "--pubkey " DEMO_PUB " $KEY", 2,
	  { "usage~" } },
	{ "missing --pubkey", "lkey-verify --product 1 $KEY", 2,
	  { "usage~--pubkey" } },
	{ "missing --product", "lkey-verify --pubkey " DEMO_PUB " $KEY", 2,
	  { "usage~--product" } },
	{ "unknown product name", "lkey-verify --pubkey " DEMO_PUB " --catalog "
	  CATALOG " --product nosuch $KEY", 2, { "usage~" } },
	{ "--admin without --users", VB "--admin $KEY", 2,
	  { "usage~--admin" } },
	{ "--users -1", VB "--users -1 $KEY", 2, { "usage~--users" } },
	{ "--users abc", VB "--users abc $KEY", 2, { "usage~--users" } },
	{ "--users 99999999999", VB "--users 99999999999 $KEY", 2,
	  { "usage~" } },
	{ "--today 2027-02-29", "lkey-verify --pubkey " DEMO_PUB " --product 1 "
	  "--today 2027-02-29 $KEY", 2, { "usage~--today" } },
	{ "--release 2027-1-1", VB "--release 2027-1-1 $KEY", 2,
	  { "usage~--release" } },
	{ "KEY and --key-file", VB "--key-file " DEMO_PUB " $KEY", 2,
	  { "usage~" } },
	{ "two keys", VB "$KEY $KEY", 2, { "usage~" } },
	{ "no key", VB, 2, { "usage~" } },
	{ "--json=1", VB "--json=1 $KEY", 2, { "usage~" } },
};

/* key with c at character 11 (index 10) in place of its own, into out. */
static void
spliced(const char *key, const char *c, bool replace, char *out)
{
	bprintf(out, KEYCAP, "%.10s%s%s", key, c, key + 10 + replace);
}

/* What a key cannot hold at character 11: refused, the place named. */
static const struct {
	const char *name;
	const char *c;
	bool replace;	/* the key's own character, or inserted before it */
} not_base64[] = {
	{ "'!'", "!", true }, { "'-'", "-", true }, { "'_'", "_", true },
	{ "'.'", ".", true }, { "e-acute", "\xc3\xa9", false },
	{ "0xff", "\xff", false },
};

static void
test_verify_bad_input(void **state)
{
	const struct fx *fx = *state;
	const size_t mib = 1024U * 1024U;
	char key[KEYCAP], truncated[KEYCAP], ff[KEYCAP], trailing[KEYCAP],
	    bad[KEYCAP], what[64], path[PATHCAP];
	const struct var vars[] = { { "KEY", key }, { "DIR", fx->dir },
	    { "TRUNCATED", truncated }, { "FF", ff }, { "EMPTY", "" },
	    { "WHITE", " \n\t\n" }, { "TRAILING", trailing }, { "BAD", bad },
	    { NULL, NULL } };
	const char *argv[] = { "lkey-verify", "--pubkey", DEMO_PUB,
	    "--product", "1", "--today", "2027-06-15", "-", NULL };
	const struct golden at_11 = { what, VM "$BAD", 10,
	    { "verdict=malformed", "err~character 11" } };
	struct tally t = { 0, 0, 0 };
	struct result r;
	size_t len, i;
	char *big;

	issue(fx, NULL, key, sizeof(key), "--secret", DEMO_SEC, "--product",
	    "1", "--edition", "1", "--seats", "5", "--starts", "2027-01-01",
	    "--expires", "2027-12-31", "--maintenance", "2027-12-31", NULL);
	len = strlen(key);
	path_in(fx, "garbage.pub", path, sizeof(path));
	write_file(path, "# lkey public key\nnot base64 at all\n", 36);
	path_in(fx, "empty.pub", path, sizeof(path));
	write_file(path, "", 0);
	spliced(key, "\xff", false, ff);
	bprintf(truncated, sizeof(truncated), "%.100s", key);
	bprintf(trailing, sizeof(trailing), "%sAAAA", key);
	GOLDEN(fx, &t, verify_bad_cases, vars);
	for (i = 0; i < sizeof(not_base64) / sizeof(not_base64[0]); i++) {
		spliced(key, not_base64[i].c, not_base64[i].replace, bad);
		bprintf(what, sizeof(what), "%s at character 11",
		    not_base64[i].name);
		golden_run(fx, &t, &at_11, 1, vars);
	}

	/* What no table word can hold: a NUL byte, a MiB of input. */
	memcpy(truncated, key, len);
	truncated[len] = '\n';
	truncated[20] = '\0';
	run(fx, argv, truncated, len + 1U, &r);
	t.cases++;
	tcheck(&t, r.code == 10, "NUL byte in the key (stdin)", &r,
	    "exit %d, expected 10", r.code);
	golden_check(&t, "NUL byte in the key (stdin)", &r, argv,
	    "verdict=malformed", NULL);
	big = malloc(mib);
	assert_non_null(big);
	memset(big, 'A', mib);
	run(fx, argv, big, mib, &r);
	free(big);
	t.cases++;
	tcheck(&t, r.code == 10, "1 MiB key on stdin", &r,
	    "exit %d, expected 10", r.code);
	golden_check(&t, "1 MiB key on stdin", &r, argv, "verdict=malformed",
	    NULL);
	golden_check(&t, "1 MiB key on stdin", &r, argv, "err~too long",
	    NULL);
	tally_done(&t, "lkey-verify bad input");
}

#define VB_ARGS "--pubkey", DEMO_PUB, "--product", "1", "--today", \
	"2027-06-15", "--json"

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
		verify(fx, NULL, 0, &r, VB_ARGS, k2, NULL);
		bprintf(what, sizeof(what), "unused bit set before %zu '='",
		    pad);
		expect_verdict(&t, what, &r, "key", "malformed", 10);
		/* The original still verifies: the change made the difference. */
		verify(fx, NULL, 0, &r, VB_ARGS, key, NULL);
		expect_verdict(&t, "original key", &r, "key", "valid", 0);

		memcpy(k2, key, len + 1U);
		k2[len - 1U] = '\0';
		verify(fx, NULL, 0, &r, VB_ARGS, k2, NULL);
		bprintf(what, sizeof(what), "one '=' of %zu removed", pad);
		expect_verdict(&t, what, &r, "key", "malformed", 10);
		bprintf(k2, sizeof(k2), "%s=", key);
		verify(fx, NULL, 0, &r, VB_ARGS, k2, NULL);
		bprintf(what, sizeof(what), "'=' added to %zu", pad);
		expect_verdict(&t, what, &r, "key", "malformed", 10);
		bprintf(k2, sizeof(k2), "%sQQ==", key);
		verify(fx, NULL, 0, &r, VB_ARGS, k2, NULL);
		bprintf(what, sizeof(what), "data after %zu '='", pad);
		expect_verdict(&t, what, &r, "key", "malformed", 10);
	}
	assert_true(seen1 && seen2);
	tally_done(&t, "non-canonical keys");
}

/* ---- 7. --help and --version -------------------------------------------- */

static const struct golden help_version[] = {
	{ "lkey-keygen --help", "lkey-keygen --help", 0,
	  { "err=", "out^=usage: " } },
	{ "lkey-keygen --version", "lkey-keygen --version", 0,
	  { "err=", "out^=lkey-keygen ", "out$=\n" } },
	{ "lkey-verify --help", "lkey-verify --help", 0,
	  { "err=", "out^=usage: " } },
	{ "lkey-verify --version", "lkey-verify --version", 0,
	  { "err=", "out^=lkey-verify ", "out$=\n" } },
	{ "lkey-keygen -h", "lkey-keygen -h", 0,
	  { "err=", "out^=usage: " } },
	{ "lkey-keygen issue -h", "lkey-keygen issue -h", 0,
	  { "err=", "out^=usage: " } },
	{ "lkey-verify -h", "lkey-verify -h", 0,
	  { "err=", "out^=usage: " } },
	{ "unknown command named", "lkey-keygen frobnicate", 2,
	  { "out=", "err=lkey-keygen: unknown command 'frobnicate'; use "
	    "init, issue, batch, reissue, ledger, revoke, pubkey or passwd "
	    "(see lkey-keygen --help)\n" } },
};

static void
test_help_version(void **state)
{
	GOLDEN_TABLE(*state, help_version, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_encrypted_key),
		cmocka_unit_test(test_init_no_overwrite),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_statuses),
		cmocka_unit_test(test_not_read),
		cmocka_unit_test(test_keygen_bad_input),
		cmocka_unit_test(test_keygen_every_bad_option),
		cmocka_unit_test(test_keygen_bad_order_and_terms),
		cmocka_unit_test(test_verify_hidden_licensee),
		cmocka_unit_test(test_keygen_secret_tamper),
		cmocka_unit_test(test_verify_bad_input),
		cmocka_unit_test(test_verify_noncanonical),
		cmocka_unit_test(test_help_version),
	};

	return cmocka_run_group_tests_name("cli", tests, proc_setup,
	    proc_teardown);
}
