/*
 * test_cli_guard.c - lkey-verify's clock guard (--state), revocation lists
 * (--revocations) and host ids (--host-id, --host), run the way a user or
 * a CI pipeline runs them, from the repository root (proc.c).
 *
 * The sample keys are those of keys/samples/MANIFEST: valid.key is
 * timetracker, 2027-01-01..2027-12-31, serial 1001; perpetual.key never
 * expires, serial 1002; timelog.key is for product timelog. Revocation
 * lists are built here, by an encoder of our own from docs/FORMAT.md,
 * signed with the demo vendor key (keys/demo-vendor.sec) or a key from a
 * fixed seed for "another vendor".
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
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
#include <sodium.h>

#include "fixture.h"
#include "keyfile.h"
#include "lkey.h"
#include "proc.h"
#include "support.h"

#define VALID_KEY "keys/samples/valid.key"
#define PERPETUAL_KEY "keys/samples/perpetual.key"
#define EXPIRED_KEY "keys/samples/expired.key"
#define TIMELOG_KEY "keys/samples/timelog.key"
#define BADSIG_KEY "keys/samples/bad-signature.key"
#define VALID_SERIAL 1001U
#define PERPETUAL_SERIAL 1002U

#define LIST_HEAD 16U
#define SIG_BYTES 64U
#define LIST_ENTRIES_MAX 8U
#define LIST_BIN_CAP (LIST_HEAD + 8U * LIST_ENTRIES_MAX + SIG_BYTES)
#define LIST_TEXT_CAP 1024U
#define NAMES_CAP 1024U

/* The demo vendor key (sodium_malloc memory) and another vendor's. */
static lkey_vendor_key *demo;
static uint8_t other_sk[64];
static lkey_pubkey other_pub;

struct entry {
	uint32_t key_id;
	uint32_t serial;
};

static int
setup(void **state)
{
	uint8_t seed[32], pk[32];
	char err[512];
	size_t i;

	if (lkey_init() != 0 || proc_setup(state) != 0)
		return -1;
	demo = sodium_malloc(sizeof(*demo));
	if (demo == NULL)
		return -1;
	if (keyfile_load_secret(DEMO_SEC, demo, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s: %s\n", DEMO_SEC, err);
		return -1;
	}
	for (i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)(0x99U ^ i);
	if (crypto_sign_seed_keypair(pk, other_sk, seed) != 0)
		return -1;
	lkey_pubkey_from_bytes(pk, &other_pub);
	return 0;
}

static int
teardown(void **state)
{
	if (demo != NULL) {
		sodium_free(demo);
		demo = NULL;
	}
	sodium_memzero(other_sk, sizeof(other_sk));
	return proc_teardown(state);
}

/* ---- helpers ------------------------------------------------------------ */

/*
 * A revocation list file at path: "LKR", version 1, key id, sequence, day
 * made, count, the entries (in the order given), the signature with sk over
 * the tag and every byte before it; then as a comment line and base64.
 * flip (a byte offset, or SIZE_MAX for none) damages one bit after
 * signing.
 */
static void
write_list(const char *path, const uint8_t sk[64], uint32_t key_id,
    uint32_t sequence, lkey_day made, const struct entry *e, size_t n,
    size_t flip)
{
	static const char tag[16] = "lkey-revoked-v1";
	uint8_t msg[16U + LIST_BIN_CAP], *b = msg + 16;
	char text[LIST_TEXT_CAP];
	size_t len, i, k;

	assert_true(n <= LIST_ENTRIES_MAX);
	memcpy(msg, tag, 16);
	memcpy(b, "LKR", 3);
	b[3] = 1;
	st32(b + 4, key_id);
	st32(b + 8, sequence);
	b[12] = (uint8_t)made;
	b[13] = (uint8_t)(made >> 8);
	b[14] = (uint8_t)n;
	b[15] = (uint8_t)(n >> 8);
	for (i = 0; i < n; i++) {
		st32(b + LIST_HEAD + 8U * i, e[i].key_id);
		st32(b + LIST_HEAD + 8U * i + 4U, e[i].serial);
	}
	len = LIST_HEAD + 8U * n;
	assert_int_equal(crypto_sign_detached(b + len, NULL, msg, 16U + len,
	    sk), 0);
	len += SIG_BYTES;
	if (flip != SIZE_MAX) {
		assert_true(flip < len);
		b[flip] ^= 0x04;
	}
	k = (size_t)snprintf(text, sizeof(text), "# lkey revocation list %u "
	    "(test)\n", (unsigned)sequence);
	sodium_bin2base64(text + k, sizeof(text) - k, b, len,
	    sodium_base64_VARIANT_ORIGINAL);
	k += strlen(text + k);
	assert_true(k + 2U < sizeof(text));
	text[k++] = '\n';
	write_file(path, text, k);
}

/* A list of the demo key. */
static void
demo_list(const char *path, uint32_t sequence, const char *made,
    const struct entry *e, size_t n)
{
	write_list(path, demo->sk, demo->pub.id, sequence, day(made), e, n,
	    SIZE_MAX);
}

/* lkey-verify --pubkey DEMO_PUB --catalog CATALOG --product timetracker
 * --json and the arguments that follow r (NULL-terminated). */
static void tt(const struct fx *fx, struct result *r, ...);

static void
tt(const struct fx *fx, struct result *r, ...)
{
	static const char *const prefix[] = { "lkey-verify", "--pubkey",
	    DEMO_PUB, "--catalog", CATALOG, "--product", "timetracker",
	    "--json", NULL };
	const char *argv[ARGMAX + 1U];
	va_list ap;

	va_start(ap, r);
	prefix_args(prefix, ap, argv);
	va_end(ap);
	run(fx, argv, NULL, 0, r);
}

/* A subdirectory of the group's directory, new for each test. */
static void
subdir(const struct fx *fx, const char *name, char *out)
{
	path_in(fx, name, out, PATHCAP);
	assert_int_equal(mkdir(out, 0700), 0);
}

static void
in_dir(const char *dir, const char *name, char *out)
{
	bprintf(out, PATHCAP, "%s/%s", dir, name);
}

/* The names in dir, sorted, comma-joined: "list.lkr,state". */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
names_in(const char *dir, char *out, size_t cap)
{
	char store[32][256];
	const char *names[32];
	struct dirent *de;
	size_t n = 0, i, len = 0;
	DIR *d = opendir(dir);

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		assert_true(n < 32);
		bprintf(store[n], sizeof(store[n]), "%s", de->d_name);
		names[n] = store[n];
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		bprintf(out + len, cap - len, "%s%s", i > 0 ? "," : "",
		    names[i]);
		len += strlen(out + len);
	}
}

static void
assert_names(const char *dir, const char *want)
{
	char got[NAMES_CAP];

	names_in(dir, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fail_msg("%s holds \"%s\", expected \"%s\" (a temporary file "
		    "left behind?)", dir, got, want);
}

/* The state text lkey-verify must have written. */
static void
state_text(uint32_t product, const char *last_seen, uint32_t sequence,
    char *out)
{
	lkey_state s;

	lkey_state_init(&s, product);
	s.last_seen = day(last_seen);
	s.revocation_sequence = sequence;
	assert_true(lkey_state_format(&s, out, LKEY_STATE_TEXT_MAX) > 0);
}

static void
assert_state(const char *path, uint32_t product, const char *last_seen,
    uint32_t sequence)
{
	char want[LKEY_STATE_TEXT_MAX], got[1024];

	state_text(product, last_seen, sequence, want);
	read_file(path, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fail_msg("%s holds\n%s\nexpected\n%s", path, got, want);
}

static void
assert_file_is(const char *path, const char *want, size_t len)
{
	char got[8192];
	size_t n = read_file(path, got, sizeof(got));

	if (n != len || memcmp(got, want, len) != 0)
		fail_msg("%s changed: now %zu bytes \"%s\"", path, n, got);
}

static void
expect_code(const char *what, const struct result *r, int code)
{
	if (r->code != code) {
		show(what, r);
		fail_msg("%s: exit %d, expected %d", what, r->code, code);
	}
}

/* A verdict: exit code, JSON status, one stderr line (none if valid). */
static void
expect_verdict_of(const char *what, const struct result *r,
    const char *source, const char *status, int code)
{
	expect_code(what, r, code);
	if (!json_status_is(r, status)) {
		show(what, r);
		fail_msg("%s: status is not %s", what, status);
	}
	if (code == 0 ? r->errlen != 0 : !verdict_line_ok(r, source,
	    status)) {
		show(what, r);
		fail_msg("%s: stderr is not the verdict line", what);
	}
}

/* A refusal before any check: exit code, nothing on stdout, exactly one
 * line on stderr naming `name` and holding `says` (if not NULL). */
static void
expect_refusal(const char *what, const struct result *r, int code,
    const char *name, const char *says)
{
	expect_code(what, r, code);
	if (r->outlen != 0 || strstr(r->out, "valid") != NULL) {
		show(what, r);
		fail_msg("%s: something on stdout", what);
	}
	if (err_lines(r) != 1 || r->err[r->errlen - 1U] != '\n' ||
	    strncmp(r->err, "lkey-verify: ", 13) != 0 ||
	    (name != NULL && strstr(r->err, name) == NULL) ||
	    (says != NULL && strstr(r->err, says) == NULL)) {
		show(what, r);
		fail_msg("%s: stderr is not one line naming %s%s%s", what,
		    name != NULL ? name : "-", says != NULL ? " and saying " :
		    "", says != NULL ? says : "");
	}
}

/* The day in "... (YYYY-MM-DD): the clock is set back" of the JSON
 * detail. */
static lkey_day
seen_day(const struct result *r)
{
	const char *p = strstr(r->out, "): the clock is set back");
	char ymd[11];

	if (p == NULL || p - r->out < 10) {
		show("clock_rollback", r);
		fail_msg("no \"(YYYY-MM-DD): the clock is set back\" in the "
		    "detail");
	}
	memcpy(ymd, p - 10, 10);
	ymd[10] = '\0';
	return day(ymd);
}

/* ---- --state ------------------------------------------------------------ */

/* Created on the first valid check, advanced, held against a clock set
 * back by more than a day; a perpetual licence still runs. */
static void
test_state_days(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], st[PATHCAP], before[1024];
	struct result r;
	size_t n;

	subdir(fx, "days", dir);
	in_dir(dir, "state", st);

	tt(fx, &r, "--state", st, "--today", "2027-06-15", "--key-file",
	    VALID_KEY, NULL);
	expect_verdict_of("first run", &r, VALID_KEY, "valid", 0);
	assert_state(st, 1, "2027-06-15", 0);

	tt(fx, &r, "--state", st, "--today", "2027-06-20", "--key-file",
	    VALID_KEY, NULL);
	expect_verdict_of("later day", &r, VALID_KEY, "valid", 0);
	assert_state(st, 1, "2027-06-20", 0);

	/* One day back: tolerated, and the state stays. */
	tt(fx, &r, "--state", st, "--today", "2027-06-19", "--key-file",
	    VALID_KEY, NULL);
	expect_verdict_of("one day back", &r, VALID_KEY, "valid", 0);
	assert_state(st, 1, "2027-06-20", 0);

	/* Two days back: clock_rollback, and the file is untouched. */
	n = read_file(st, before, sizeof(before));
	tt(fx, &r, "--state", st, "--today", "2027-06-18", "--key-file",
	    VALID_KEY, NULL);
	expect_verdict_of("two days back", &r, VALID_KEY, "clock_rollback",
	    21);
	if (seen_day(&r) != day("2027-06-20"))
		fail_msg("the detail does not name 2027-06-20: %s", r.out);
	assert_file_is(st, before, n);

	/* Far back too. */
	tt(fx, &r, "--state", st, "--today", "2027-02-01", "--key-file",
	    VALID_KEY, NULL);
	expect_verdict_of("far back", &r, VALID_KEY, "clock_rollback", 21);
	assert_file_is(st, before, n);

	/* A perpetual licence is never refused for the clock. */
	tt(fx, &r, "--state", st, "--today", "2027-06-18", "--key-file",
	    PERPETUAL_KEY, NULL);
	expect_verdict_of("perpetual, two days back", &r, PERPETUAL_KEY,
	    "valid", 0);
	assert_file_is(st, before, n);

	/* The screen form says it too. */
	{
		const char *argv[] = { "lkey-verify", "--pubkey", DEMO_PUB,
		    "--catalog", CATALOG, "--product", "timetracker",
		    "--state", st, "--today", "2027-06-18", "--key-file",
		    VALID_KEY, NULL };

		run(fx, argv, NULL, 0, &r);
		expect_code("screen", &r, 21);
		assert_non_null(strstr(r.out, "clock_rollback"));
		assert_true(verdict_line_ok(&r, VALID_KEY, "clock_rollback"));
	}
	assert_file_is(st, before, n);
	assert_names(dir, "state");
}

/* The build date of lkey-verify is a floor with --state, and nothing
 * without it (so CI can use any fixed day). */
static void
test_state_build_day(void **state)
{
	static const char *const opts[] = { "--secret", DEMO_SEC,
	    "--catalog", CATALOG, "--product", "timetracker", "--edition",
	    "basic", "--seats", "5", "--starts", "2020-01-01", "--expires",
	    "2099-12-31", "--maintenance", "2099-12-31", "--serial", "4242",
	    NULL };
	const struct fx *fx = *state;
	char dir[PATHCAP], st[PATHCAP], key[KEYCAP], d1[11], d2[11];
	struct result r;
	lkey_day built, now;

	subdir(fx, "build", dir);
	in_dir(dir, "state", st);
	issue_argv(fx, NULL, key, sizeof(key), opts);

	tt(fx, &r, "--state", st, "--today", "2021-03-01", key, NULL);
	expect_verdict_of("before the build, new state", &r, "key",
	    "clock_rollback", 21);
	assert_false(file_exists(st));
	built = seen_day(&r);
	now = lkey_day_from_unix((int64_t)time(NULL));
	if (built > now || built < day("2021-03-03"))
		fail_msg("build day %u is not between 2021-03-03 and today %u",
		    (unsigned)built, (unsigned)now);

	/* Without --state: just a day. */
	tt(fx, &r, "--today", "2021-03-01", key, NULL);
	expect_verdict_of("before the build, no state", &r, "key", "valid", 0);
	tt(fx, &r, "--today", "2026-11-01", "--key-file", VALID_KEY, NULL);
	expect_verdict_of("valid.key before its start, no state", &r,
	    VALID_KEY, "not_yet_valid", 14);
	assert_null(strstr(r.out, "clock_rollback"));

	/* The boundary: two days before the build, then one. */
	lkey_day_format(built - 2U, d2);
	lkey_day_format(built - 1U, d1);
	tt(fx, &r, "--state", st, "--today", d2, key, NULL);
	expect_verdict_of("two days before the build", &r, "key",
	    "clock_rollback", 21);
	assert_false(file_exists(st));
	tt(fx, &r, "--state", st, "--today", d1, key, NULL);
	expect_verdict_of("one day before the build", &r, "key", "valid", 0);
	assert_state(st, 1, d1, 0);
	assert_names(dir, "state");
}

/* A state that is not one, damaged or another product's: exit 4, the file
 * untouched, never reset. */
static void
test_state_refused(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], st[PATHCAP], good[LKEY_STATE_TEXT_MAX],
	    bad[LKEY_STATE_TEXT_MAX], junk[3000], before[4096];
	struct result r;
	size_t n, len, i;
	const char *p;

	subdir(fx, "refused", dir);
	in_dir(dir, "state", st);

	/* One byte changed: the day, the check, the comment. */
	state_text(1, "2027-06-15", 0, good);
	len = strlen(good);
	p = strstr(good, "2027-06-15");
	assert_non_null(p);
	{
		const size_t at[] = { (size_t)(p - good) + 9U, len - 2U, 3U };

		for (i = 0; i < sizeof(at) / sizeof(*at); i++) {
			memcpy(bad, good, len + 1U);
			bad[at[i]] = bad[at[i]] == '4' ? '3' : '4';
			write_file(st, bad, len);
			tt(fx, &r, "--state", st, "--today", "2027-06-20",
			    "--key-file", VALID_KEY, NULL);
			expect_refusal("corrupt state", &r, 4, st, NULL);
			assert_file_is(st, bad, len);
		}
	}

	/* Another product's: written by a timelog check. */
	assert_int_equal(unlink(st), 0);
	{
		const char *argv[] = { "lkey-verify", "--pubkey", DEMO_PUB,
		    "--catalog", CATALOG, "--product", "timelog", "--state",
		    st, "--today", "2027-06-15", "--key-file", TIMELOG_KEY,
		    NULL };

		run(fx, argv, NULL, 0, &r);
		expect_code("timelog check", &r, 0);
	}
	assert_state(st, 2, "2027-06-15", 0);
	n = read_file(st, before, sizeof(before));
	tt(fx, &r, "--state", st, "--today", "2027-06-20", "--key-file",
	    VALID_KEY, NULL);
	expect_refusal("foreign state", &r, 4, st, "another product");
	assert_file_is(st, before, n);

	/* Not a state file: text, a licence key, nothing, too much. */
	write_file(st, "hello\n", 6);
	tt(fx, &r, "--state", st, "--today", "2027-06-20", "--key-file",
	    VALID_KEY, NULL);
	expect_refusal("text", &r, 4, st, "not an lkey state file");
	assert_file_is(st, "hello\n", 6);

	n = read_file(VALID_KEY, before, sizeof(before));
	write_file(st, before, n);
	tt(fx, &r, "--state", st, "--today", "2027-06-20", "--key-file",
	    VALID_KEY, NULL);
	expect_refusal("a licence key", &r, 4, st, "not an lkey state file");
	assert_file_is(st, before, n);

	write_file(st, "", 0);
	tt(fx, &r, "--state", st, "--today", "2027-06-20", "--key-file",
	    VALID_KEY, NULL);
	expect_refusal("empty", &r, 4, st, NULL);
	assert_file_is(st, "", 0);

	memset(junk, 'j', sizeof(junk));
	memcpy(junk, good, len);	/* a state, then far too much */
	write_file(st, junk, sizeof(junk));
	tt(fx, &r, "--state", st, "--today", "2027-06-20", "--key-file",
	    VALID_KEY, NULL);
	expect_refusal("too big", &r, 4, st, NULL);
	assert_file_is(st, junk, sizeof(junk));

	/* A valid state with a trailing byte more. */
	memcpy(bad, good, len);
	bad[len] = '\n';
	write_file(st, bad, len + 1U);
	tt(fx, &r, "--state", st, "--today", "2027-06-20", "--key-file",
	    VALID_KEY, NULL);
	expect_refusal("one byte more", &r, 4, st, NULL);
	assert_file_is(st, bad, len + 1U);
	assert_names(dir, "state");
}

/* A state path whose directory does not exist: exit 1, nothing made. */
static void
test_state_missing_dir(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], st[PATHCAP];
	struct result r;

	subdir(fx, "nodir", dir);
	in_dir(dir, "missing/state", st);
	tt(fx, &r, "--state", st, "--today", "2027-06-15", "--key-file",
	    VALID_KEY, NULL);
	expect_code("missing directory", &r, 1);
	if (err_lines(&r) != 1 || strstr(r.err, "missing") == NULL ||
	    strncmp(r.err, "lkey-verify: ", 13) != 0) {
		show("missing directory", &r);
		fail_msg("stderr is not one line naming the path");
	}
	assert_null(strstr(r.out, "\"status\":\"valid\""));
	assert_names(dir, "");

	/* A symbolic link as the state: refused, its target untouched. */
	{
		char target[PATHCAP], link_path[PATHCAP],
		    want[LKEY_STATE_TEXT_MAX];
		size_t len;

		in_dir(dir, "target", target);
		in_dir(dir, "link", link_path);
		state_text(1, "2027-06-15", 0, want);
		len = strlen(want);
		write_file(target, want, len);
		assert_int_equal(symlink("target", link_path), 0);
		tt(fx, &r, "--state", link_path, "--today", "2027-06-20",
		    "--key-file", VALID_KEY, NULL);
		expect_refusal("symbolic link", &r, 1, link_path, NULL);
		assert_file_is(target, want, len);
		assert_names(dir, "link,target");
	}
	tt(fx, &r, "--state", "", "--today", "2027-06-15", "--key-file",
	    VALID_KEY, NULL);
	expect_code("empty --state", &r, 2);
}

/* Only a valid check writes the state. */
static void
test_state_failed_check(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], st[PATHCAP], before[1024];
	struct result r;
	size_t n;

	subdir(fx, "failed", dir);
	in_dir(dir, "state", st);
	tt(fx, &r, "--state", st, "--today", "2027-06-15", "--key-file",
	    EXPIRED_KEY, NULL);
	expect_verdict_of("expired, new state", &r, EXPIRED_KEY, "expired",
	    15);
	assert_false(file_exists(st));

	tt(fx, &r, "--state", st, "--today", "2027-06-15", "--key-file",
	    VALID_KEY, NULL);
	expect_verdict_of("valid", &r, VALID_KEY, "valid", 0);
	n = read_file(st, before, sizeof(before));

	tt(fx, &r, "--state", st, "--today", "2027-06-25", "--key-file",
	    EXPIRED_KEY, NULL);
	expect_verdict_of("expired, later", &r, EXPIRED_KEY, "expired", 15);
	assert_file_is(st, before, n);
	tt(fx, &r, "--state", st, "--today", "2027-06-25", "--key-file",
	    BADSIG_KEY, NULL);
	expect_verdict_of("bad signature, later", &r, BADSIG_KEY,
	    "bad_signature", 12);
	assert_file_is(st, before, n);
	tt(fx, &r, "--state", st, "--today", "2027-06-25", "--key-file",
	    TIMELOG_KEY, NULL);
	expect_verdict_of("wrong product, later", &r, TIMELOG_KEY,
	    "wrong_product", 13);
	assert_file_is(st, before, n);
	tt(fx, &r, "--state", st, "--today", "2027-06-25", "--users", "26",
	    "--key-file", VALID_KEY, NULL);
	expect_verdict_of("seats exceeded, later", &r, VALID_KEY,
	    "seats_exceeded", 17);
	assert_file_is(st, before, n);
	assert_names(dir, "state");
}

/* Many updates in a row: the file is whole after each, and no temporary
 * file is left beside it. */
static void
test_state_atomic(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], st[PATHCAP], today[11];
	struct result r;
	lkey_day d;

	subdir(fx, "atomic", dir);
	in_dir(dir, "state", st);
	for (d = day("2027-03-01"); d < day("2027-03-09"); d++) {
		lkey_day_format(d, today);
		tt(fx, &r, "--state", st, "--today", today, "--key-file",
		    VALID_KEY, NULL);
		expect_verdict_of("a day later", &r, VALID_KEY, "valid", 0);
		assert_state(st, 1, today, 0);
		assert_names(dir, "state");
	}
}

/* ---- --revocations ------------------------------------------------------ */

static void
test_revocations(void **state)
{
	const struct fx *fx = *state;
	const uint32_t id = demo->pub.id;
	const struct entry listed[3] = { { id, 1000 }, { id, VALID_SERIAL },
	    { id, PERPETUAL_SERIAL } };
	const struct entry unlisted[3] = { { 0x10000000U, VALID_SERIAL },
	    { id, 1000 }, { id, 1003 } };
	char dir[PATHCAP], path[PATHCAP], bad[PATHCAP], idhex[16];
	struct result r;

	assert_int_equal(id, 0x277e0164U);
	subdir(fx, "lists", dir);
	in_dir(dir, "listed.lkr", path);
	demo_list(path, 1, "2027-06-01", listed, 3);
	tt(fx, &r, "--revocations", path, "--today", "2027-06-15",
	    "--key-file", VALID_KEY, NULL);
	expect_verdict_of("listed", &r, VALID_KEY, "revoked", 20);
	tt(fx, &r, "--revocations", path, "--today", "2027-06-15",
	    "--key-file", PERPETUAL_KEY, NULL);
	expect_verdict_of("listed perpetual", &r, PERPETUAL_KEY, "revoked",
	    20);

	in_dir(dir, "unlisted.lkr", path);
	demo_list(path, 1, "2027-06-01", unlisted, 3);
	tt(fx, &r, "--revocations", path, "--today", "2027-06-15",
	    "--key-file", VALID_KEY, NULL);
	expect_verdict_of("not listed", &r, VALID_KEY, "valid", 0);

	/* An empty list revokes nothing. */
	in_dir(dir, "empty.lkr", path);
	demo_list(path, 1, "2027-06-01", NULL, 0);
	tt(fx, &r, "--revocations", path, "--today", "2027-06-15",
	    "--key-file", VALID_KEY, NULL);
	expect_verdict_of("empty list", &r, VALID_KEY, "valid", 0);

	/* The listed serial changed after signing: does not verify. */
	in_dir(dir, "altered.lkr", bad);
	write_list(bad, demo->sk, id, 1, day("2027-06-01"), listed, 3,
	    LIST_HEAD + 8U + 4U);
	tt(fx, &r, "--revocations", bad, "--today", "2027-06-15",
	    "--key-file", VALID_KEY, NULL);
	expect_refusal("altered list", &r, 4, bad, "does not verify");

	/* Another vendor's list: names its key id. */
	in_dir(dir, "other.lkr", bad);
	write_list(bad, other_sk, other_pub.id, 1, day("2027-06-01"), listed,
	    3, SIZE_MAX);
	bprintf(idhex, sizeof(idhex), "%08x", (unsigned)other_pub.id);
	tt(fx, &r, "--revocations", bad, "--today", "2027-06-15",
	    "--key-file", VALID_KEY, NULL);
	expect_refusal("another vendor's list", &r, 4, bad, idhex);

	/* Not a list at all. */
	tt(fx, &r, "--revocations", VALID_KEY, "--today", "2027-06-15",
	    "--key-file", VALID_KEY, NULL);
	expect_refusal("a licence key as list", &r, 4, VALID_KEY,
	    "not a revocation list");
	tt(fx, &r, "--revocations", CATALOG, "--today", "2027-06-15",
	    "--key-file", VALID_KEY, NULL);
	expect_refusal("the catalog as list", &r, 4, CATALOG, NULL);
	in_dir(dir, "empty-file.lkr", bad);
	write_file(bad, "", 0);
	tt(fx, &r, "--revocations", bad, "--today", "2027-06-15",
	    "--key-file", VALID_KEY, NULL);
	expect_refusal("an empty file", &r, 4, bad, NULL);

	/* A file that cannot be read. */
	in_dir(dir, "absent.lkr", bad);
	tt(fx, &r, "--revocations", bad, "--today", "2027-06-15",
	    "--key-file", VALID_KEY, NULL);
	expect_refusal("a missing list", &r, 1, bad, NULL);
}

/* With --state: an older list, or none after one was seen, is refused; a
 * newer one advances the state. */
static void
test_revocations_state(void **state)
{
	const struct fx *fx = *state;
	const uint32_t id = demo->pub.id;
	const struct entry unlisted[2] = { { id, 1000 }, { id, 1003 } };
	char dir[PATHCAP], st[PATHCAP], l4[PATHCAP], l5[PATHCAP], l6[PATHCAP],
	    late[PATHCAP], before[1024];
	struct result r;
	size_t n;

	subdir(fx, "seq", dir);
	in_dir(dir, "state", st);
	in_dir(dir, "4.lkr", l4);
	in_dir(dir, "5.lkr", l5);
	in_dir(dir, "6.lkr", l6);
	in_dir(dir, "late.lkr", late);
	demo_list(l4, 4, "2027-05-01", unlisted, 2);
	demo_list(l5, 5, "2027-06-01", unlisted, 2);
	demo_list(l6, 6, "2027-06-10", unlisted, 2);
	demo_list(late, 7, "2027-07-01", unlisted, 2);

	tt(fx, &r, "--state", st, "--revocations", l5, "--today",
	    "2027-06-15", "--key-file", VALID_KEY, NULL);
	expect_verdict_of("list 5", &r, VALID_KEY, "valid", 0);
	assert_state(st, 1, "2027-06-15", 5);
	n = read_file(st, before, sizeof(before));

	tt(fx, &r, "--state", st, "--revocations", l4, "--today",
	    "2027-06-16", "--key-file", VALID_KEY, NULL);
	expect_refusal("list 4 after 5", &r, 4, l4, "older");
	assert_file_is(st, before, n);

	tt(fx, &r, "--state", st, "--today", "2027-06-16", "--key-file",
	    VALID_KEY, NULL);
	expect_refusal("no list after 5", &r, 4, NULL, "--revocations");
	assert_file_is(st, before, n);

	/* The same list again is fine; the day moves on. */
	tt(fx, &r, "--state", st, "--revocations", l5, "--today",
	    "2027-06-16", "--key-file", VALID_KEY, NULL);
	expect_verdict_of("list 5 again", &r, VALID_KEY, "valid", 0);
	assert_state(st, 1, "2027-06-16", 5);

	tt(fx, &r, "--state", st, "--revocations", l6, "--today",
	    "2027-06-16", "--key-file", VALID_KEY, NULL);
	expect_verdict_of("list 6", &r, VALID_KEY, "valid", 0);
	assert_state(st, 1, "2027-06-16", 6);

	/*
	 * A list made after today: the clock is behind it. The day stays,
	 * but the authenticated list counts, whatever the verdict.
	 */
	tt(fx, &r, "--state", st, "--revocations", late, "--today",
	    "2027-06-17", "--key-file", VALID_KEY, NULL);
	expect_verdict_of("list made 2027-07-01", &r, VALID_KEY,
	    "clock_rollback", 21);
	assert_state(st, 1, "2027-06-16", 7);
	/* Without the guard the list's day is not a floor. */
	tt(fx, &r, "--revocations", late, "--today", "2027-06-17",
	    "--key-file", VALID_KEY, NULL);
	expect_verdict_of("list made 2027-07-01, no state", &r, VALID_KEY,
	    "valid", 0);
	assert_names(dir, "4.lkr,5.lkr,6.lkr,late.lkr,state");
}

/*
 * A newer list that revokes the licence must be remembered: otherwise the
 * older list it replaced, which does not revoke it, is accepted again and
 * the revocation is undone by putting back an old file.
 */
static void
test_revocations_revoked_then_older(void **state)
{
	const struct fx *fx = *state;
	const uint32_t id = demo->pub.id;
	const struct entry unlisted[1] = { { id, 1000 } };
	const struct entry listed[2] = { { id, 1000 }, { id, VALID_SERIAL } };
	char dir[PATHCAP], st[PATHCAP], l6[PATHCAP], l7[PATHCAP];
	struct result r;

	subdir(fx, "replay", dir);
	in_dir(dir, "state", st);
	in_dir(dir, "6.lkr", l6);
	in_dir(dir, "7.lkr", l7);
	demo_list(l6, 6, "2027-06-01", unlisted, 1);
	demo_list(l7, 7, "2027-06-10", listed, 2);

	tt(fx, &r, "--state", st, "--revocations", l6, "--today",
	    "2027-06-15", "--key-file", VALID_KEY, NULL);
	expect_verdict_of("list 6", &r, VALID_KEY, "valid", 0);
	tt(fx, &r, "--state", st, "--revocations", l7, "--today",
	    "2027-06-16", "--key-file", VALID_KEY, NULL);
	expect_verdict_of("list 7 revokes", &r, VALID_KEY, "revoked", 20);
	tt(fx, &r, "--state", st, "--revocations", l6, "--today",
	    "2027-06-17", "--key-file", VALID_KEY, NULL);
	if (r.code != 4) {
		show("list 6 put back", &r);
		fail_msg("list 6 after list 7 was seen (and revoked the key): "
		    "exit %d, expected 4 (older than a list already seen)",
		    r.code);
	}
}

/* ---- host ids ----------------------------------------------------------- */

static void
host_id(const struct fx *fx, const char *product, struct result *r)
{
	const char *argv[] = { "lkey-verify", "--host-id", "--product",
	    product, "--catalog", CATALOG, NULL };

	run(fx, argv, NULL, 0, r);
}

static bool
is_host_line(const struct result *r)
{
	size_t i;

	if (r->outlen != 17U || r->out[16] != '\n')
		return false;
	for (i = 0; i < 16U; i++)
		if (strchr("0123456789abcdef", r->out[i]) == NULL)
			return false;
	return true;
}

static void
test_host_id(void **state)
{
	const struct fx *fx = *state;
	char mid[256], want[2U * LKEY_HOST_ID_BYTES + 1U];
	struct result a, b, c;
	uint8_t h[LKEY_HOST_ID_BYTES];
	size_t n;

	host_id(fx, "timetracker", &a);
	expect_code("host id", &a, 0);
	if (!is_host_line(&a) || a.errlen != 0) {
		show("host id", &a);
		fail_msg("not 16 hex digits and a newline");
	}
	host_id(fx, "timetracker", &b);
	expect_code("host id again", &b, 0);
	assert_string_equal(a.out, b.out);
	host_id(fx, "1", &b);
	assert_string_equal(a.out, b.out);
	host_id(fx, "timelog", &c);
	expect_code("host id timelog", &c, 0);
	assert_true(is_host_line(&c));
	assert_string_not_equal(a.out, c.out);

	/* lkey_host_id of /etc/machine-id, as the library computes it. */
	if (file_exists("/etc/machine-id")) {
		n = read_file("/etc/machine-id", mid, sizeof(mid));
		if (n > 0 && mid[n - 1U] == '\n')
			n--;
		lkey_host_id(mid, n, 1, h);
		hex_encode(h, sizeof(h), want);
		if (strncmp(a.out, want, 16) != 0)
			fail_msg("--host-id says %.16s, lkey_host_id of "
			    "/etc/machine-id is %s", a.out, want);
	} else {
		print_message("no /etc/machine-id: comparison skipped\n");
	}
}

static void
test_host_usage(void **state)
{
	const struct fx *fx = *state;
	const char *bad[] = { "", "xyz", "0123456789abcde", "0123456789abcdef0",
	    "0123456789ABCDEF", "0x23456789abcdef", "0123456789abcdeg",
	    " 123456789abcdef" };
	struct result r;
	size_t i;

	{
		const char *argv[] = { "lkey-verify", "--host-id", NULL };

		run(fx, argv, NULL, 0, &r);
		expect_code("--host-id alone", &r, 2);
		assert_int_equal(err_lines(&r), 1);
		assert_int_equal(r.outlen, 0);
	}
	{
		const char *argv[] = { "lkey-verify", "--host-id", "--product",
		    "timetracker", "--today", "2027-06-15", NULL };

		run(fx, argv, NULL, 0, &r);
		expect_code("--host-id --today", &r, 2);
	}
	{
		const char *argv[] = { "lkey-verify", "--host-id", "--product",
		    "timetracker", "--catalog", CATALOG, "AAAA", NULL };

		run(fx, argv, NULL, 0, &r);
		expect_code("--host-id with a key", &r, 2);
	}
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		tt(fx, &r, "--host", bad[i], "--today", "2027-06-15",
		    "--key-file", VALID_KEY, NULL);
		if (r.code != 2 || err_lines(&r) != 1 || r.outlen != 0) {
			show("--host", &r);
			fail_msg("--host \"%s\": exit %d, expected 2", bad[i],
			    r.code);
		}
	}
	/* A good one, for a key that is not node-locked: ignored. */
	tt(fx, &r, "--host", "0123456789abcdef", "--today", "2027-06-15",
	    "--key-file", VALID_KEY, NULL);
	expect_verdict_of("--host, unbound key", &r, VALID_KEY, "valid", 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_days),
		cmocka_unit_test(test_state_build_day),
		cmocka_unit_test(test_state_refused),
		cmocka_unit_test(test_state_missing_dir),
		cmocka_unit_test(test_state_failed_check),
		cmocka_unit_test(test_state_atomic),
		cmocka_unit_test(test_revocations),
		cmocka_unit_test(test_revocations_state),
		cmocka_unit_test(test_revocations_revoked_then_older),
		cmocka_unit_test(test_host_id),
		cmocka_unit_test(test_host_usage),
	};

	return cmocka_run_group_tests_name("cli-guard", tests, setup,
	    teardown);
}
