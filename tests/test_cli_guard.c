/*
 * test_cli_guard.c - lkey-verify's clock guard (--state), revocation lists
 * (--revocations) and host ids (--host-id, --host), run the way a user or
 * a CI pipeline runs them, from the repository root (proc.c).
 *
 * The sample keys are those of keys/samples/MANIFEST: valid.key is
 * timetracker, 2027-01-01..2027-12-31, serial 1001; perpetual.key never
 * expires, serial 1002; timelog.key is for product timelog. Revocation
 * lists are built by the tests' own encoder (fixture.c), signed with the
 * demo vendor key (keys/demo-vendor.sec) or a key from a fixed seed for
 * "another vendor".
 *
 * Most tests are golden sessions (golden.h): runs in order, each with the
 * exit status, the verdict and what the state file and its directory
 * hold afterwards.
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
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "fixture.h"
#include "golden.h"
#include "keyfile.h"
#include "lkey.h"
#include "proc.h"
#include "support.h"

#define SAMPLES "keys/samples/"
#define VALID_KEY SAMPLES "valid.key"
#define VALID_SERIAL 1001U
#define PERPETUAL_SERIAL 1002U

#define LIST_TEXT_CAP 1024U

/* lkey-verify for timetracker: the screen, and the JSON report. */
#define SCREEN "lkey-verify --pubkey " DEMO_PUB " --catalog " CATALOG \
	" --product timetracker "
#define TT SCREEN "--json "
#define VALID "--key-file " SAMPLES "valid.key"
#define PERPETUAL "--key-file " SAMPLES "perpetual.key"
#define EXPIRED "--key-file " SAMPLES "expired.key"
#define TIMELOG "--key-file " SAMPLES "timelog.key"
#define BADSIG "--key-file " SAMPLES "bad-signature.key"

/* The demo vendor key (sodium_malloc memory) and another vendor's. */
static lkey_vendor_key *demo;
static uint8_t other_sk[64];
static lkey_pubkey other_pub;

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

/* A new subdirectory fx->dir/name into dir, the path of its state file
 * (not made) into st. */
static void
state_dir(const struct fx *fx, const char *name, char *dir, char *st)
{
	subdir(fx, name, dir);
	in_dir(dir, "state", st);
}

/*
 * A revocation list file at path signed with sk, naming key_id; flip (a
 * byte offset, or SIZE_MAX for none) damages one bit after signing.
 */
static void
write_list(const char *path, const uint8_t sk[64], uint32_t key_id,
    uint32_t sequence, lkey_day made, const struct entry *e, size_t n,
    size_t flip)
{
	uint8_t b[LIST_BYTES(8)];
	char text[LIST_TEXT_CAP];
	size_t len;

	assert_true(n <= 8);
	len = list_body(b, key_id, sequence, made, (uint32_t)n, e, n);
	len = list_sign(b, len, sk, list_tag);
	if (flip != SIZE_MAX) {
		assert_true(flip < len);
		b[flip] ^= 0x04;
	}
	write_file(path, text, list_text(b, len, text, sizeof(text)));
}

/* A list of the demo key. */
static void
demo_list(const char *path, uint32_t sequence, const char *made,
    const struct entry *e, size_t n)
{
	write_list(path, demo->sk, demo->pub.id, sequence, day(made), e, n,
	    SIZE_MAX);
}

/*
 * The state text lkey-verify must have written: the guard's mark (the day
 * two valid checks confirmed; NULL: none yet), the day of the latest valid
 * check (NULL: none), the highest list seen.
 */
static void
state_text(uint32_t product, const char *last_seen, const char *latest,
    uint32_t sequence, char *out)
{
	lkey_state s;

	lkey_state_init(&s, product);
	s.last_seen = last_seen != NULL ? day(last_seen) : 0;
	s.latest = latest != NULL ? day(latest) : 0;
	s.revocation_sequence = sequence;
	assert_true(lkey_state_format(&s, out, LKEY_STATE_TEXT_MAX) > 0);
}

/* ---- --state ------------------------------------------------------------ */

/*
 * Created on the first valid check, which sets the latest day; a second
 * valid check within a week confirms its day as the guard's mark. A clock
 * set back by more than a day from the mark is clock_rollback; a perpetual
 * licence still runs. Only a valid check moves a day.
 */
static const struct golden days[] = {
	{ "first run", TT "--state $ST --today 2027-06-15 " VALID, 0,
	  { "verdict=valid", "file:$ST=$S0615" } },
	{ "later day: confirmed", TT "--state $ST --today 2027-06-20 " VALID,
	  0, { "verdict=valid", "file:$ST=$S0620" } },
	{ "one day back: tolerated, the mark stays",
	  TT "--state $ST --today 2027-06-19 " VALID, 0,
	  { "verdict=valid", "file:$ST=$S0619" } },
	{ "two days back", TT "--state $ST --today 2027-06-18 " VALID, 21,
	  { "verdict=clock_rollback",
	    "detail~(2027-06-20): the clock is set back", "file:$ST=$S0619" } },
	{ "far back", TT "--state $ST --today 2027-02-01 " VALID, 21,
	  { "verdict=clock_rollback", "file:$ST=$S0619" } },
	{ "perpetual, two days back",
	  TT "--state $ST --today 2027-06-18 " PERPETUAL, 0,
	  { "verdict=valid", "file:$ST=$S0618" } },
	{ "the screen says it too",
	  SCREEN "--state $ST --today 2027-06-18 " VALID, 21,
	  { "verdict=clock_rollback", "out~clock_rollback",
	    "file:$ST=$S0618" } },
	{ "expired, later", TT "--state $ST --today 2027-06-25 " EXPIRED, 15,
	  { "verdict=expired", "file:$ST=$S0618" } },
	{ "bad signature, later", TT "--state $ST --today 2027-06-25 " BADSIG,
	  12, { "verdict=bad_signature", "file:$ST=$S0618" } },
	{ "wrong product, later",
	  TT "--state $ST --today 2027-06-25 " TIMELOG, 13,
	  { "verdict=wrong_product", "file:$ST=$S0618" } },
	{ "seats exceeded, later",
	  TT "--state $ST --today 2027-06-25 --users 26 " VALID, 17,
	  { "verdict=seats_exceeded", "file:$ST=$S0618", "dir:$DIR=state" } },
};

/* A first check that is not valid, or valid after 2149-06-05 (the last
 * day a state holds), creates no file. */
static const struct golden failed_first[] = {
	{ "expired, new state", TT "--state $ST --today 2027-06-15 " EXPIRED,
	  15, { "verdict=expired", "nofile:$ST" } },
	{ "bad signature, new state", TT "--state $ST --today 2027-06-15 "
	  BADSIG, 12, { "verdict=bad_signature", "nofile:$ST" } },
	{ "valid after 2149-06-05, new state", TT "--state $ST --today "
	  "2149-06-06 " PERPETUAL, 0, { "verdict=valid", "nofile:$ST" } },
	{ "then valid", TT "--state $ST --today 2027-06-15 " VALID, 0,
	  { "verdict=valid", "file:$ST=$S0615", "dir:$DIR=state" } },
};

/*
 * One valid check with the clock far ahead (a perpetual licence on
 * 2149-06-05) moves no mark: with the clock right again, a time-limited
 * licence is valid. Two checks far ahead close together are believed
 * (docs/SECURITY.md): then it is clock_rollback.
 */
static const struct golden far_ahead[] = {
	{ "a run of correct days", TT "--state $ST --today 2027-06-14 " VALID,
	  0, { "verdict=valid" } },
	{ "and the next", TT "--state $ST --today 2027-06-15 " VALID, 0,
	  { "verdict=valid", "file:$ST=$S0615" } },
	{ "the clock far ahead once",
	  TT "--state $ST --today 2149-06-05 " PERPETUAL, 0,
	  { "verdict=valid", "file:$ST=$SFAR" } },
	{ "the clock right again: valid",
	  TT "--state $ST --today 2027-06-16 " VALID, 0,
	  { "verdict=valid", "file:$ST=$S0616" } },
	{ "set back two days after the run",
	  TT "--state $ST --today 2027-06-13 " VALID, 21,
	  { "verdict=clock_rollback", "detail~(2027-06-15)" } },
	{ "far ahead twice", TT "--state $DIR/twice --today 2149-06-04 "
	  PERPETUAL, 0, { "verdict=valid" } },
	{ "far ahead twice, the second",
	  TT "--state $DIR/twice --today 2149-06-05 " PERPETUAL, 0,
	  { "verdict=valid" } },
	{ "then the clock right: believed the far day",
	  TT "--state $DIR/twice --today 2027-06-16 " VALID, 21,
	  { "verdict=clock_rollback", "detail~(2149-06-05)" } },
};

/* A state file of version 1 (liblkey 1) is read, its day the mark, and
 * written back as version 2 after a valid check. */
static const struct golden version1[] = {
	{ "v1: two days back", TT "--state $ST --today 2027-06-13 " VALID, 21,
	  { "verdict=clock_rollback", "file:$ST=$V1" } },
	{ "v1: the next day", TT "--state $ST --today 2027-06-16 " VALID, 0,
	  { "verdict=valid", "file:$ST=$V2" } },
};

/* The text of a version 1 state file, as docs/FORMAT.md describes it. */
static void
state_v1_text(uint32_t product, const char *last_seen, uint32_t sequence,
    char *out, size_t cap)
{
	static const char tag[] = "lkey-state-check-v1";
	uint8_t in[sizeof(tag) + 12U], h[16];
	char hex[33];

	memcpy(in, tag, sizeof(tag));
	st32(in + sizeof(tag), product);
	st32(in + sizeof(tag) + 4U, day(last_seen));
	st32(in + sizeof(tag) + 8U, sequence);
	assert_int_equal(crypto_generichash(h, sizeof(h), in, sizeof(in),
	    NULL, 0), 0);
	hex_encode(h, sizeof(h), hex);
	bprintf(out, cap, "# lkey verifier state: the clock guard. Do not "
	    "edit.\nlkey-state-v1 product %u last-seen %s revocations %u "
	    "check %s\n", (unsigned)product, last_seen, (unsigned)sequence,
	    hex);
}

static void
test_state_days(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], st[PATHCAP], s0615[LKEY_STATE_TEXT_MAX],
	    s0620[LKEY_STATE_TEXT_MAX], s0619[LKEY_STATE_TEXT_MAX],
	    s0618[LKEY_STATE_TEXT_MAX];
	const struct var vars[] = { { "DIR", dir }, { "ST", st },
	    { "S0615", s0615 }, { "S0620", s0620 }, { "S0619", s0619 },
	    { "S0618", s0618 }, { NULL, NULL } };

	state_text(1, NULL, "2027-06-15", 0, s0615);
	state_text(1, "2027-06-20", "2027-06-20", 0, s0620);
	state_text(1, "2027-06-20", "2027-06-19", 0, s0619);
	state_text(1, "2027-06-20", "2027-06-18", 0, s0618);
	state_dir(fx, "days", dir, st);
	GOLDEN_TABLE(fx, days, vars);
	state_dir(fx, "failed", dir, st);
	GOLDEN_TABLE(fx, failed_first, vars);
}

static void
test_state_far_ahead(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], st[PATHCAP], s0615[LKEY_STATE_TEXT_MAX],
	    sfar[LKEY_STATE_TEXT_MAX], s0616[LKEY_STATE_TEXT_MAX];
	const struct var vars[] = { { "DIR", dir }, { "ST", st },
	    { "S0615", s0615 }, { "SFAR", sfar }, { "S0616", s0616 },
	    { NULL, NULL } };

	state_text(1, "2027-06-15", "2027-06-15", 0, s0615);
	state_text(1, "2027-06-15", "2149-06-05", 0, sfar);
	state_text(1, "2027-06-15", "2027-06-16", 0, s0616);
	state_dir(fx, "far", dir, st);
	GOLDEN_TABLE(fx, far_ahead, vars);
}

static void
test_state_version1(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], st[PATHCAP], v1[LKEY_STATE_TEXT_MAX],
	    v2[LKEY_STATE_TEXT_MAX];
	const struct var vars[] = { { "ST", st }, { "V1", v1 }, { "V2", v2 },
	    { NULL, NULL } };

	state_v1_text(1, "2027-06-15", 0, v1, sizeof(v1));
	state_text(1, "2027-06-16", "2027-06-16", 0, v2);
	state_dir(fx, "v1", dir, st);
	write_file(st, v1, strlen(v1));
	GOLDEN_TABLE(fx, version1, vars);
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
	static const struct golden before[] = {
		{ "before the build, new state",
		  TT "--state $ST --today 2021-03-01 $KEY", 21,
		  { "verdict=clock_rollback", "nofile:$ST" } },
		{ "before the build, no state", TT "--today 2021-03-01 $KEY", 0,
		  { "verdict=valid" } },
		{ "valid.key before its start, no state",
		  TT "--today 2026-11-01 " VALID, 14,
		  { "verdict=not_yet_valid", "out!~clock_rollback" } },
	};
	static const struct golden boundary[] = {
		{ "two days before the build",
		  TT "--state $ST --today $D2 $KEY", 21,
		  { "verdict=clock_rollback", "nofile:$ST" } },
		{ "one day before the build",
		  TT "--state $ST --today $D1 $KEY", 0,
		  { "verdict=valid", "file:$ST=$S1", "dir:$DIR=state" } },
	};
	const struct fx *fx = *state;
	char dir[PATHCAP], st[PATHCAP], key[KEYCAP], d1[11], d2[11],
	    s1[LKEY_STATE_TEXT_MAX];
	const struct var vars[] = { { "DIR", dir }, { "ST", st },
	    { "KEY", key }, { "D1", d1 }, { "D2", d2 }, { "S1", s1 },
	    { NULL, NULL } };
	struct result r;
	const char *p;
	lkey_day built, now;

	state_dir(fx, "build", dir, st);
	issue_argv(fx, NULL, key, sizeof(key), opts);
	GOLDEN_TABLE(fx, before, vars);

	/* The day clock_rollback names is the build day: from when the
	 * suite began to now. */
	verify(fx, NULL, 0, &r, "--pubkey", DEMO_PUB, "--catalog", CATALOG,
	    "--product", "timetracker", "--json", "--state", st, "--today",
	    "2021-03-01", key, NULL);
	p = strstr(r.out, "): the clock is set back");
	if (p == NULL || p - r.out < 10) {
		show("clock_rollback", &r);
		fail_msg("no \"(YYYY-MM-DD): the clock is set back\" in the "
		    "detail");
	}
	memcpy(d1, p - 10, 10);
	d1[10] = '\0';
	built = day(d1);
	now = lkey_day_from_unix((int64_t)time(NULL));
	if (built > now || built < day("2021-03-03"))
		fail_msg("build day %u is not between 2021-03-03 and today %u",
		    (unsigned)built, (unsigned)now);

	/* The boundary: two days before the build, then one. */
	lkey_day_format(built - 2U, d2);
	lkey_day_format(built - 1U, d1);
	state_text(1, NULL, d1, 0, s1);
	GOLDEN_TABLE(fx, boundary, vars);
}

/* A state that is not one, damaged or another product's: exit 4, the file
 * untouched, never reset. */
static void
test_state_refused(void **state)
{
	const struct fx *fx = *state;
	static char junk[3000];
	char dir[PATHCAP], st[PATHCAP], good[LKEY_STATE_TEXT_MAX],
	    other[LKEY_STATE_TEXT_MAX], key[4096], bad[3][LKEY_STATE_TEXT_MAX],
	    more[LKEY_STATE_TEXT_MAX + 1U];
	const struct {
		const char *what, *text, *says;
	} cases[] = {
		{ "a changed day", bad[0], NULL },
		{ "a changed check", bad[1], NULL },
		{ "a changed comment", bad[2], NULL },
		{ "another product's", other, "another product" },
		{ "text", "hello\n", "not an lkey state file" },
		{ "a licence key", key, "not an lkey state file" },
		{ "empty", "", NULL },
		{ "a state, then far too much", junk, NULL },
		{ "one byte more", more, NULL },
	};
	const char *argv[] = { "lkey-verify", "--pubkey", DEMO_PUB,
	    "--catalog", CATALOG, "--product", "timetracker", "--json",
	    "--state", st, "--today", "2027-06-20", "--key-file", VALID_KEY,
	    NULL };
	const struct var vars[] = { { "ST", st }, { NULL, NULL } };
	struct tally t = { 0, 0, 0 };
	static char check[4096];
	struct result r;
	size_t len, i, at[3];

	state_dir(fx, "refused", dir, st);
	state_text(1, "2027-06-15", "2027-06-15", 0, good);
	state_text(2, "2027-06-15", "2027-06-15", 0, other);
	len = strlen(good);
	at[0] = (size_t)(strstr(good, "2027-06-15") - good) + 9U;
	at[1] = len - 2U;
	at[2] = 3U;
	for (i = 0; i < 3; i++) {
		memcpy(bad[i], good, len + 1U);
		bad[i][at[i]] = bad[i][at[i]] == '4' ? '3' : '4';
	}
	read_file(VALID_KEY, key, sizeof(key));
	memset(junk, 'j', sizeof(junk) - 1U);
	memcpy(junk, good, len);
	bprintf(more, sizeof(more), "%s\n", good);

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_file(st, cases[i].text, strlen(cases[i].text));
		run(fx, argv, NULL, 0, &r);
		t.cases++;
		tcheck(&t, r.code == 4, cases[i].what, &r,
		    "exit %d, expected 4", r.code);
		bprintf(check, sizeof(check), "error~%s", st);
		golden_check(&t, cases[i].what, &r, argv, check, vars);
		if (cases[i].says != NULL) {
			bprintf(check, sizeof(check), "err~%s",
			    cases[i].says);
			golden_check(&t, cases[i].what, &r, argv, check, vars);
		}
		bprintf(check, sizeof(check), "file:$ST=%s", cases[i].text);
		golden_check(&t, cases[i].what, &r, argv, check, vars);
	}
	tally_done(&t, "states refused");
}

/* The state of another product is written by that product's check. */
static const struct golden foreign[] = {
	{ "timelog check", "lkey-verify --pubkey " DEMO_PUB " --catalog "
	  CATALOG " --product timelog --state $ST --today 2027-06-15 " TIMELOG,
	  0, { "file:$ST=$S2" } },
};

/* A state path whose directory does not exist, a link, an empty path. */
static const struct golden bad_paths[] = {
	{ "missing directory", TT "--state $DIR/missing/state "
	  "--today 2027-06-15 " VALID, 1,
	  { "error~missing", "dir:$DIR=link,target" } },
	{ "symbolic link", TT "--state $DIR/link --today 2027-06-20 " VALID, 1,
	  { "error~$DIR/link", "file:$DIR/target=$S0615",
	    "dir:$DIR=link,target" } },
	{ "empty --state", TT "--state $EMPTY --today 2027-06-15 " VALID, 2,
	  { "usage~" } },
};

static void
test_state_paths(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], st[PATHCAP], path[PATHCAP],
	    s2[LKEY_STATE_TEXT_MAX], s0615[LKEY_STATE_TEXT_MAX];
	const struct var vars[] = { { "DIR", dir }, { "ST", st },
	    { "S2", s2 }, { "S0615", s0615 }, { "EMPTY", "" },
	    { NULL, NULL } };

	state_text(2, NULL, "2027-06-15", 0, s2);
	state_text(1, "2027-06-15", "2027-06-15", 0, s0615);
	state_dir(fx, "foreign", dir, st);
	GOLDEN_TABLE(fx, foreign, vars);
	subdir(fx, "paths", dir);
	in_dir(dir, "target", path);
	write_file(path, s0615, strlen(s0615));
	in_dir(dir, "link", path);
	assert_int_equal(symlink("target", path), 0);
	GOLDEN_TABLE(fx, bad_paths, vars);
}

/* Many updates in a row: the file is whole after each, and no temporary
 * file is left beside it. */
static void
test_state_atomic(void **state)
{
	const struct fx *fx = *state;
	static const struct golden next[] = {
		{ "a day later", TT "--state $ST --today $TODAY " VALID, 0,
		  { "verdict=valid", "file:$ST=$S", "dir:$DIR=state" } },
	};
	char dir[PATHCAP], st[PATHCAP], today[11], s[LKEY_STATE_TEXT_MAX];
	const struct var vars[] = { { "DIR", dir }, { "ST", st },
	    { "TODAY", today }, { "S", s }, { NULL, NULL } };
	struct tally t = { 0, 0, 0 };
	lkey_day d;

	state_dir(fx, "atomic", dir, st);
	for (d = day("2027-03-01"); d < day("2027-03-09"); d++) {
		lkey_day_format(d, today);
		state_text(1, d == day("2027-03-01") ? NULL : today, today, 0,
		    s);
		GOLDEN(fx, &t, next, vars);
	}
	tally_done(&t, "eight days in a row");
}

/* ---- --revocations ------------------------------------------------------ */

#define REV(list, key) TT "--revocations $DIR/" list " --today 2027-06-15 " key

static const struct golden lists[] = {
	{ "listed", REV("listed.lkr", VALID), 20, { "verdict=revoked" } },
	{ "listed perpetual", REV("listed.lkr", PERPETUAL), 20,
	  { "verdict=revoked" } },
	{ "not listed", REV("unlisted.lkr", VALID), 0, { "verdict=valid" } },
	{ "an empty list revokes nothing", REV("empty.lkr", VALID), 0,
	  { "verdict=valid" } },
	{ "a serial changed after signing", REV("altered.lkr", VALID), 4,
	  { "error~$DIR/altered.lkr", "err~does not verify" } },
	{ "another vendor's list names its key id", REV("other.lkr", VALID), 4,
	  { "error~$DIR/other.lkr", "err~$OTHER_ID" } },
	{ "a licence key as list", TT "--revocations " VALID_KEY
	  " --today 2027-06-15 " VALID, 4,
	  { "error~" VALID_KEY, "err~not a revocation list" } },
	{ "the catalog as list", TT "--revocations " CATALOG
	  " --today 2027-06-15 " VALID, 4, { "error~" CATALOG } },
	{ "an empty file", REV("empty-file.lkr", VALID), 4,
	  { "error~$DIR/empty-file.lkr" } },
	{ "a missing list", REV("absent.lkr", VALID), 1,
	  { "error~$DIR/absent.lkr" } },
};

/*
 * With --state: an older list, or none after one was seen, is the verdict
 * revocations_outdated (exit 22), never valid; a newer one advances the
 * state. A newer list that revokes the licence is
 * remembered too: otherwise the older list it replaced would undo the
 * revocation by being put back.
 */
#define SREV_IN(state, list, today) TT "--state " state " --revocations " \
	"$DIR/" list " --today " today " " VALID
#define SREV(list, today) SREV_IN("$ST", list, today)

static const struct golden sequence[] = {
	{ "list 5", SREV("5.lkr", "2027-06-15"), 0,
	  { "verdict=valid", "file:$ST=$S5" } },
	{ "list 4 after 5", SREV("4.lkr", "2027-06-16"), 22,
	  { "verdict=revocations_outdated",
	    "detail~number 4, older than list 5", "file:$ST=$S5" } },
	{ "list 4 after 5, the screen",
	  SCREEN "--state $ST --revocations $DIR/4.lkr --today 2027-06-16 "
	  VALID, 22, { "out~Status:       revocations_outdated",
	    "err~revocations_outdated: The vendor's revocation list given is "
	    "number 4", "file:$ST=$S5" } },
	{ "no list after 5", TT "--state $ST --today 2027-06-16 " VALID, 22,
	  { "verdict=revocations_outdated",
	    "detail~No revocation list was given, but list 5",
	    "file:$ST=$S5" } },
	{ "no list after 5, perpetual", TT "--state $ST --today 2027-06-16 "
	  PERPETUAL, 22, { "verdict=revocations_outdated", "file:$ST=$S5" } },
	{ "list 5 again: the day moves on", SREV("5.lkr", "2027-06-16"), 0,
	  { "verdict=valid", "file:$ST=$S5B" } },
	{ "list 6", SREV("6.lkr", "2027-06-16"), 0,
	  { "verdict=valid", "file:$ST=$S6" } },
	/* Made after today: the clock is behind it. The day stays, but the
	 * authenticated list counts, whatever the verdict. */
	{ "list made 2027-07-01", SREV("late.lkr", "2027-06-17"), 21,
	  { "verdict=clock_rollback", "file:$ST=$S7" } },
	{ "list made 2027-07-01, no state", TT "--revocations $DIR/late.lkr "
	  "--today 2027-06-17 " VALID, 0,
	  { "verdict=valid", "dir:$DIR=4.lkr,5.lkr,6.lkr,7.lkr,8.lkr,"
	    "late.lkr,state" } },
	{ "replay: list 7 first",
	  SREV_IN("$DIR/replay", "7.lkr", "2027-06-15"), 0,
	  { "verdict=valid" } },
	{ "replay: list 8 revokes",
	  SREV_IN("$DIR/replay", "8.lkr", "2027-06-16"), 20,
	  { "verdict=revoked" } },
	{ "replay: list 7 put back",
	  SREV_IN("$DIR/replay", "7.lkr", "2027-06-17"), 22,
	  { "verdict=revocations_outdated", "detail~older than list 8" } },
	/* A new state file is created by a list whatever the verdict. */
	{ "a list, not valid, new state", TT "--state $DIR/listed "
	  "--revocations $DIR/5.lkr --today 2027-06-15 " EXPIRED, 15,
	  { "verdict=expired", "file:$DIR/listed=$S5ONLY" } },
};

static void
test_revocations(void **state)
{
	const struct fx *fx = *state;
	const uint32_t id = demo->pub.id;
	const struct entry listed[3] = { { id, 1000 }, { id, VALID_SERIAL },
	    { id, PERPETUAL_SERIAL } };
	const struct entry unlisted[3] = { { 0x10000000U, VALID_SERIAL },
	    { id, 1000 }, { id, 1003 } };
	const struct entry revokes[2] = { { id, 1000 }, { id, VALID_SERIAL } };
	char dir[PATHCAP], st[PATHCAP], path[PATHCAP], idhex[16],
	    s5[LKEY_STATE_TEXT_MAX], s5b[LKEY_STATE_TEXT_MAX],
	    s6[LKEY_STATE_TEXT_MAX], s7[LKEY_STATE_TEXT_MAX],
	    s5only[LKEY_STATE_TEXT_MAX];
	const struct var vars[] = { { "DIR", dir }, { "ST", st },
	    { "OTHER_ID", idhex }, { "S5", s5 }, { "S5B", s5b },
	    { "S6", s6 }, { "S7", s7 }, { "S5ONLY", s5only },
	    { NULL, NULL } };

	assert_int_equal(id, 0x277e0164U);
	bprintf(idhex, sizeof(idhex), "%08x", (unsigned)other_pub.id);
	subdir(fx, "lists", dir);
	in_dir(dir, "listed.lkr", path);
	demo_list(path, 1, "2027-06-01", listed, 3);
	in_dir(dir, "unlisted.lkr", path);
	demo_list(path, 1, "2027-06-01", unlisted, 3);
	in_dir(dir, "empty.lkr", path);
	demo_list(path, 1, "2027-06-01", NULL, 0);
	in_dir(dir, "altered.lkr", path);
	write_list(path, demo->sk, id, 1, day("2027-06-01"), listed, 3,
	    LIST_HEAD + 8U + 4U);
	in_dir(dir, "other.lkr", path);
	write_list(path, other_sk, other_pub.id, 1, day("2027-06-01"), listed,
	    3, SIZE_MAX);
	in_dir(dir, "empty-file.lkr", path);
	write_file(path, "", 0);
	GOLDEN_TABLE(fx, lists, vars);

	state_dir(fx, "seq", dir, st);
	in_dir(dir, "4.lkr", path);
	demo_list(path, 4, "2027-05-01", unlisted + 1, 2);
	in_dir(dir, "5.lkr", path);
	demo_list(path, 5, "2027-06-01", unlisted + 1, 2);
	in_dir(dir, "6.lkr", path);
	demo_list(path, 6, "2027-06-10", unlisted + 1, 2);
	in_dir(dir, "late.lkr", path);
	demo_list(path, 7, "2027-07-01", unlisted + 1, 2);
	in_dir(dir, "7.lkr", path);
	demo_list(path, 7, "2027-06-01", unlisted + 1, 1);
	in_dir(dir, "8.lkr", path);
	demo_list(path, 8, "2027-06-10", revokes, 2);
	state_text(1, NULL, "2027-06-15", 5, s5);
	state_text(1, "2027-06-16", "2027-06-16", 5, s5b);
	state_text(1, "2027-06-16", "2027-06-16", 6, s6);
	state_text(1, "2027-06-16", "2027-06-16", 7, s7);
	state_text(1, NULL, NULL, 5, s5only);
	GOLDEN_TABLE(fx, sequence, vars);
}

/* ---- host ids ----------------------------------------------------------- */

#define HOST_ID "lkey-verify --host-id --catalog " CATALOG " --product "

static const struct golden host_ids[] = {
	{ "host id again", HOST_ID "timetracker", 0, { "out=$ID\n", "err=" } },
	{ "by number", HOST_ID "1", 0, { "out=$ID\n", "err=" } },
	{ "--host-id alone", "lkey-verify --host-id", 2, { "usage~" } },
	{ "--host-id --today", "lkey-verify --host-id --product timetracker "
	  "--today 2027-06-15", 2, { "usage~" } },
	{ "--host-id with a key", HOST_ID "timetracker AAAA", 2,
	  { "usage~" } },
	{ "--host ''", TT "--host $EMPTY --today 2027-06-15 " VALID, 2,
	  { "usage~--host '' is not a host id" } },
	{ "--host xyz", TT "--host xyz --today 2027-06-15 " VALID, 2,
	  { "usage~--host 'xyz' is not a host id: 16 hex digits, as "
	    "lkey-verify --host-id prints it" } },
	{ "--host of 15 digits", TT "--host 0123456789abcde "
	  "--today 2027-06-15 " VALID, 2, { "usage~" } },
	{ "--host of 17 digits", TT "--host 0123456789abcdef0 "
	  "--today 2027-06-15 " VALID, 2, { "usage~" } },
	{ "--host of 17 digits, in capitals", TT "--host 0123456789ABCDEF0 "
	  "--today 2027-06-15 " VALID, 2,
	  { "usage~--host '0123456789ABCDEF0' is not a host id" } },
	{ "--host 0x...", TT "--host 0x23456789abcdef --today 2027-06-15 "
	  VALID, 2, { "usage~" } },
	{ "--host with a g", TT "--host 0123456789abcdeg --today 2027-06-15 "
	  VALID, 2, { "usage~--host '0123456789abcdeg' is not a host id" } },
	{ "--host with a space", TT "--host $SPACED --today 2027-06-15 "
	  VALID, 2, { "usage~--host ' 123456789abcdef' is not a host id" } },
	/* A good one, for a key that is not node-locked: ignored. Upper and
	 * mixed case are the same id (test_revoke: test_issue_host). */
	{ "--host, unbound key", TT "--host 0123456789abcdef "
	  "--today 2027-06-15 " VALID, 0, { "verdict=valid" } },
	{ "--host in upper case", TT "--host 0123456789ABCDEF "
	  "--today 2027-06-15 " VALID, 0, { "verdict=valid" } },
	{ "--host in mixed case", TT "--host 0123456789abCDef "
	  "--today 2027-06-15 " VALID, 0, { "verdict=valid" } },
};

/* The host id of a product: 16 hex digits and a newline, into id. */
static void
host_id(const struct fx *fx, const char *product, char *id)
{
	const char *argv[] = { "lkey-verify", "--host-id", "--catalog",
	    CATALOG, "--product", product, NULL };
	struct result r;

	run(fx, argv, NULL, 0, &r);
	if (r.code != 0 || r.errlen != 0 || r.outlen != 17U ||
	    r.out[16] != '\n' || strspn(r.out, "0123456789abcdef") != 16U) {
		show("--host-id", &r);
		fail_msg("--host-id --product %s: not 16 hex digits and a "
		    "newline", product);
	}
	bprintf(id, 2U * LKEY_HOST_ID_BYTES + 1U, "%.16s", r.out);
}

/* The same on every run, another for another product, and lkey_host_id
 * of /etc/machine-id as the library computes it. */
static void
test_host_id(void **state)
{
	const struct fx *fx = *state;
	char mid[256], id[2U * LKEY_HOST_ID_BYTES + 1U],
	    other[2U * LKEY_HOST_ID_BYTES + 1U];
	const struct var vars[] = { { "ID", id }, { "EMPTY", "" },
	    { "SPACED", " 123456789abcdef" }, { NULL, NULL } };
	uint8_t h[LKEY_HOST_ID_BYTES];
	size_t n;

	host_id(fx, "timetracker", id);
	host_id(fx, "timelog", other);
	assert_string_not_equal(id, other);
	if (file_exists("/etc/machine-id")) {
		n = read_file("/etc/machine-id", mid, sizeof(mid));
		if (n > 0 && mid[n - 1U] == '\n')
			n--;
		lkey_host_id(mid, n, 1, h);
		hex_encode(h, sizeof(h), mid);
		if (strcmp(id, mid) != 0)
			fail_msg("--host-id says %s, lkey_host_id of "
			    "/etc/machine-id is %s", id, mid);
	} else
		print_message("no /etc/machine-id: comparison skipped\n");
	GOLDEN_TABLE(fx, host_ids, vars);
}

/*
 * Where the build day comes from (docs/FORMAT.md, "The build date"): make
 * compiles lkey-verify's statefile.c with -DLKEY_BUILD_DAY=N, N the UTC day
 * of SOURCE_DATE_EPOCH when set, and no file of liblkey with it (the
 * library has no build date of its own). As make -n prints it.
 */
static void
test_build_day_source(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], b[PATHCAP], cli[PATHCAP], lib[PATHCAP];
	/* 20000 days and 86399 seconds: the last second of 2024-10-04. */
	const char *const env[] = { "SOURCE_DATE_EPOCH=1728086399",
	    "MAKEFLAGS=", "MAKELEVEL=", "MFLAGS=", NULL };
	const char *argv[] = { "make", "-n", "-B", "--no-print-directory", b,
	    cli, lib, NULL };
	struct result r;
	const char *p, *q, *nl;

	path_in(fx, "build-day", dir, sizeof(dir));
	bprintf(b, sizeof(b), "B=%s", dir);
	bprintf(cli, sizeof(cli), "%s/obj/verify/cli/statefile.o", dir);
	bprintf(lib, sizeof(lib), "%s/obj/verify/lib/terms.o", dir);
	run_tool_ok("make -n statefile.o terms.o", argv, env, &r);
	/* One compile has the flag, that of statefile.c; terms.c's not. */
	p = strstr(r.out, "LKEY_BUILD_DAY");
	nl = p == NULL ? NULL : strchr(p, '\n');
	if (p == NULL || strstr(p + 1, "LKEY_BUILD_DAY") != NULL ||
	    strncmp(p - 2, "-DLKEY_BUILD_DAY=20000U ", 24) != 0 ||
	    nl == NULL || (q = strstr(p, " -c verify/cli/statefile.c ")) ==
	    NULL || q > nl ||
	    strstr(r.out, " -c verify/lib/terms.c ") == NULL) {
		show("make -n", &r);
		fail_msg("want -DLKEY_BUILD_DAY=20000U on the compile of "
		    "statefile.c, and on no other");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_days),
		cmocka_unit_test(test_state_far_ahead),
		cmocka_unit_test(test_state_version1),
		cmocka_unit_test(test_state_build_day),
		cmocka_unit_test(test_build_day_source),
		cmocka_unit_test(test_state_refused),
		cmocka_unit_test(test_state_paths),
		cmocka_unit_test(test_state_atomic),
		cmocka_unit_test(test_revocations),
		cmocka_unit_test(test_host_id),
	};

	return cmocka_run_group_tests_name("cli-guard", tests, setup,
	    teardown);
}
