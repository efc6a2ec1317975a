/*
 * test_guard.c - the clock guard, host binding and revocation lists at the
 * library level: the state file's one text form and its tamper loops, the
 * clock_rollback boundary for each day the guard knows to have passed,
 * host ids, and signed revocation lists built by the tests' own encoder
 * of docs/FORMAT.md (fixture.c, not the library's), with tamper loops
 * over every bit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "lkey.h"
#include "fixture.h"
#include "lkey_vendor.h"
#include "support.h"

/* ---- the format, as docs/FORMAT.md gives it ----------------------------- */

/* A licence's tag: a list signed under it must not pass. */
static const char licence_tag[16] = "lkey-license-v1";

/* One more entry than a list may hold, for the over-the-limit case. */
#define BIN_CAP LIST_BYTES(LKEY_REVOKED_MAX + 1U)
#define TEXT_CAP (LKEY_REVOCATIONS_TEXT_MAX + 4096U)

#define STATE_COMMENT "# lkey verifier state: the clock guard. Do not edit.\n"

/* The two vendor keys of these tests, from fixed seeds. */
static uint8_t sk_a[64], sk_b[64];
static lkey_pubkey pub_a, pub_b;
/* The ring the verifier holds: key A only. */
static lkey_pubkey ring[1];

/* Scratch for lists; static because a full list is some 33 KiB. */
static uint8_t bin[BIN_CAP];
static char text[TEXT_CAP];
static lkey_revocations list;
static const lkey_revocations zero_list;

static int
setup(void **state)
{
	uint8_t seed[32], pk[32];
	size_t i;

	(void)state;
	if (lkey_init() != 0)
		return -1;
	for (i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)(0x40U + i);
	if (crypto_sign_seed_keypair(pk, sk_a, seed) != 0)
		return -1;
	lkey_pubkey_from_bytes(pk, &pub_a);
	for (i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)(0xc0U ^ (i * 7U));
	if (crypto_sign_seed_keypair(pk, sk_b, seed) != 0)
		return -1;
	lkey_pubkey_from_bytes(pk, &pub_b);
	if (pub_a.id == pub_b.id)
		return -1;
	ring[0] = pub_a;
	return 0;
}

/* A signed list of key A in `text`; returns the text's length. */
static size_t
make_list(uint32_t sequence, uint32_t made, const struct entry *e, size_t n)
{
	size_t len = list_body(bin, pub_a.id, sequence, made, (uint32_t)n, e,
	    n);

	len = list_sign(bin, len, sk_a, list_tag);
	return list_text(bin, len, text, sizeof(text));
}

/* Decodes `text` against the ring into `list`, which starts dirty so that
 * zeroing on failure shows. */
static lkey_status
decode_list(const char *t, size_t len, lkey_detail *d)
{
	memset(&list, 0xa5, sizeof(list));
	return lkey_revocations_decode(t, len, ring, 1, &list, d);
}

/* A list entry of no licence these tests check (key id 1). */
static const struct entry unrelated[1] = { { 1, 2 } };

/* c checks against a list of key A (sequence, made on `made`, entries
 * e[0..n)), decoded into `list`. */
static void
use_list(lkey_context *c, uint32_t sequence, const char *made,
    const struct entry *e, size_t n)
{
	size_t len = make_list(sequence, day(made), e, n);

	assert_int_equal(decode_list(text, len, NULL), LKEY_OK);
	c->revocations = &list;
}

/* A refusal with the reason given (LKEY_R_NONE: any) and `list` zeroed. */
static void
assert_refused(lkey_status st, lkey_status want, const lkey_detail *d,
    lkey_reason reason)
{
	assert_int_equal(st, want);
	if (reason != LKEY_R_NONE)
		assert_int_equal(d->reason, reason);
	assert_memory_equal(&list, &zero_list, sizeof(list));
}

/* ---- licences and contexts for lkey_check ------------------------------- */

/* Product 1, 2027-01-01..2027-12-31, maintenance to 2027-12-31, issued on
 * its start, features 0 (needs maintenance) and 1, serial 7 of key A. */
static lkey_license
timed(void)
{
	lkey_license l = lic_make("maintenance=2027-12-31 issued=2027-01-01 "
	    "features=0x3 notice=30");

	/* The fixture signs with key A by default. */
	assert_int_equal(l.key_id, pub_a.id);
	return l;
}

/* The same, perpetual: it never expires, maintenance still has an end. */
static lkey_license
perpetual(void)
{
	lkey_license l = timed();

	l.expires = LKEY_NEVER;
	lic_issue(&l);
	return l;
}

/* Product 1 on `today`, feature 0 needs maintenance. */
#define CTX "maintenance_features=0x1 today="

static lkey_state
state_of(uint32_t product, lkey_day last_seen, uint32_t sequence)
{
	lkey_state s;

	lkey_state_init(&s, product);
	s.last_seen = last_seen;
	s.revocation_sequence = sequence;
	return s;
}

/* The state of the guarded checks, like `list` the file's own. */
static lkey_state guard_state;

/* The context of ctx_make(CTX today) guarded by `guard_state`, a state of
 * product 1 that has seen last_seen (NULL: no day yet) and no list. today
 * may go on with more of the spec. */
static lkey_context
guarded(const char *last_seen, const char *today)
{
	char spec[256];
	lkey_context c;

	bprintf(spec, sizeof(spec), "%s%s", CTX, today);
	c = ctx_make(spec);
	guard_state = state_of(1, last_seen != NULL ? day(last_seen) : 0, 0);
	c.state = &guard_state;
	return c;
}

static bool
has_problem(const lkey_report *r, lkey_status st)
{
	size_t i;

	for (i = 0; i < r->nproblems; i++)
		if (r->problems[i].status == st)
			return true;
	return false;
}

/* ---- state: text form --------------------------------------------------- */

/*
 * The check as docs/FORMAT.md defines it, in hex: version 2 covers the
 * latest day, version 1 (read, never written) did not have one.
 */
static void
expected_check(int version, uint32_t product, lkey_day last_seen,
    lkey_day latest, uint32_t sequence, char hex[33])
{
	static const char tag2[] = "lkey-state-check-v2";
	static const char tag1[] = "lkey-state-check-v1";
	uint8_t in[sizeof(tag2) + 16U], out[16], *p = in + sizeof(tag2);

	memcpy(in, version == 1 ? tag1 : tag2, sizeof(tag2));
	st32(p, product);
	st32(p + 4, last_seen);
	p += 8;
	if (version != 1) {
		st32(p, latest);
		p += 4;
	}
	st32(p, sequence);
	p += 4;
	assert_int_equal(crypto_generichash(out, sizeof(out), in,
	    (size_t)(p - in), NULL, 0), 0);
	hex_encode(out, sizeof(out), hex);
}

/* The text of a state file of version 2 or 1, as docs/FORMAT.md gives it. */
static size_t
expected_text(int version, uint32_t product, lkey_day last_seen,
    lkey_day latest, uint32_t sequence, char *out, size_t cap)
{
	char hex[33], a[11], b[11], mid[32];

	expected_check(version, product, last_seen, latest, sequence, hex);
	lkey_day_format(last_seen, a);
	lkey_day_format(latest, b);
	mid[0] = '\0';
	if (version != 1)
		bprintf(mid, sizeof(mid), " latest %s", b);
	bprintf(out, cap, "%slkey-state-v%d product %u last-seen %s%s "
	    "revocations %u check %s\n", STATE_COMMENT, version,
	    (unsigned)product, a, mid, (unsigned)sequence, hex);
	return strlen(out);
}

static void
test_state_init(void **state)
{
	lkey_state s;

	(void)state;
	memset(&s, 0xa5, sizeof(s));
	lkey_state_init(&s, 42);
	assert_int_equal(s.product, 42);
	assert_int_equal(s.last_seen, 0);
	assert_int_equal(s.revocation_sequence, 0);
	assert_int_equal(s.latest, 0);
}

/* Every combination of the extreme values round-trips, in its exact text. */
static void
test_state_round_trip(void **state)
{
	const uint32_t products[] = { 1, 2, 65535 };
	const lkey_day days[] = { 0, 1, 20619 /* 2026-06-15 */,
	    LKEY_DAY_MAX - 1U, LKEY_DAY_MAX };
	const uint32_t seqs[] = { 0, 1, 9, 10, 4294967294U, UINT32_MAX };
	char out[LKEY_STATE_TEXT_MAX], want[LKEY_STATE_TEXT_MAX];
	size_t p, d, e, q, n;
	lkey_state s, back;

	(void)state;
	for (p = 0; p < sizeof(products) / sizeof(*products); p++)
	for (d = 0; d < sizeof(days) / sizeof(*days); d++)
	for (e = 0; e < sizeof(days) / sizeof(*days); e++)
	for (q = 0; q < sizeof(seqs) / sizeof(*seqs); q++) {
		s = state_of(products[p], days[d], seqs[q]);
		s.latest = days[e];
		n = lkey_state_format(&s, out, sizeof(out));
		expected_text(2, products[p], days[d], days[e], seqs[q], want,
		    sizeof(want));
		assert_string_equal(out, want);
		assert_int_equal(n, strlen(want));
		assert_true(n < LKEY_STATE_TEXT_MAX);
		memset(&back, 0xa5, sizeof(back));
		assert_int_equal(lkey_state_parse(out, n, products[p], &back),
		    LKEY_STATE_OK);
		assert_int_equal(back.product, products[p]);
		assert_int_equal(back.last_seen, days[d]);
		assert_int_equal(back.latest, days[e]);
		assert_int_equal(back.revocation_sequence, seqs[q]);
	}
	/* The widest numbers still fit the documented bound. */
	s = state_of(UINT32_MAX, LKEY_DAY_MAX, UINT32_MAX);
	s.latest = LKEY_DAY_MAX;
	n = lkey_state_format(&s, out, sizeof(out));
	assert_true(n > 0 && n < LKEY_STATE_TEXT_MAX);
	/* A day later than a state can hold is not written. */
	s = state_of(1, LKEY_DAY_MAX + 1U, 0);
	memset(out, 'x', sizeof(out));
	assert_int_equal(lkey_state_format(&s, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	s = state_of(1, 0, 0);
	s.latest = LKEY_DAY_MAX + 1U;
	assert_int_equal(lkey_state_format(&s, out, sizeof(out)), 0);
	assert_string_equal(out, "");
}

/*
 * A state file of version 1 (liblkey 1) is read: its last day seen is the
 * guard's mark and the latest day of a check, and nothing else is taken
 * from it. Written back, it is version 2.
 */
static void
test_state_v1(void **state)
{
	const lkey_day days[] = { 0, 1, 20619, LKEY_DAY_MAX };
	char t[LKEY_STATE_TEXT_MAX], again[LKEY_STATE_TEXT_MAX];
	lkey_state s;
	size_t d, n;

	(void)state;
	for (d = 0; d < sizeof(days) / sizeof(*days); d++) {
		n = expected_text(1, 7, days[d], 0, 3, t, sizeof(t));
		memset(&s, 0xa5, sizeof(s));
		assert_int_equal(lkey_state_parse(t, n, 7, &s), LKEY_STATE_OK);
		assert_int_equal(s.product, 7);
		assert_int_equal(s.last_seen, days[d]);
		assert_int_equal(s.latest, days[d]);
		assert_int_equal(s.revocation_sequence, 3);
		assert_int_equal(lkey_state_parse(t, n, 8, &s),
		    LKEY_STATE_FOREIGN);
	}
	n = expected_text(1, 1, day("2027-06-15"), 0, 5, t, sizeof(t));
	assert_int_equal(lkey_state_parse(t, n, 1, &s), LKEY_STATE_OK);
	n = lkey_state_format(&s, again, sizeof(again));
	assert_non_null(strstr(again, "lkey-state-v2 product 1 last-seen "
	    "2027-06-15 latest 2027-06-15 revocations 5 check "));
	/* A version's own check only: v1 fields under a v2 check, a v2
	 * check under the v1 name, a latest day in a v1 text. */
	n = expected_text(1, 1, day("2027-06-15"), 0, 5, t, sizeof(t));
	t[strstr(t, "lkey-state-v1") - t + 12] = '2';
	assert_int_equal(lkey_state_parse(t, n, 1, &s), LKEY_STATE_CORRUPT);
	n = expected_text(2, 1, day("2027-06-15"), day("2027-06-15"), 5, t,
	    sizeof(t));
	t[strstr(t, "lkey-state-v2") - t + 12] = '1';
	assert_int_equal(lkey_state_parse(t, n, 1, &s), LKEY_STATE_CORRUPT);
	/* Its every byte changed, cut or grown: never OK (below). */
}

/* Exactly two lines: the comment, then the fields. */
static void
test_state_text_shape(void **state)
{
	char out[LKEY_STATE_TEXT_MAX];
	lkey_state s = state_of(1, day("2027-06-15"), 3);
	size_t n, lines = 0, i;

	(void)state;
	s.latest = day("2027-06-16");
	n = lkey_state_format(&s, out, sizeof(out));
	for (i = 0; i < n; i++)
		if (out[i] == '\n')
			lines++;
	assert_int_equal(lines, 2);
	assert_int_equal(out[0], '#');
	assert_int_equal(out[n - 1U], '\n');
	assert_non_null(strstr(out, "\nlkey-state-v2 product 1 last-seen "
	    "2027-06-15 latest 2027-06-16 revocations 3 check "));
}

static void
test_state_format_small_cap(void **state)
{
	char out[LKEY_STATE_TEXT_MAX + 8U];
	lkey_state s = state_of(65535, LKEY_DAY_MAX, UINT32_MAX);
	size_t n, cap, i;

	(void)state;
	s.latest = LKEY_DAY_MAX;
	n = lkey_state_format(&s, out, sizeof(out));
	assert_true(n > 0);
	for (cap = 1; cap <= n; cap++) {
		memset(out, 'x', sizeof(out));
		if (lkey_state_format(&s, out, cap) != 0)
			fail_msg("cap %zu of %zu needed: not 0", cap, n + 1U);
		if (out[0] != '\0')
			fail_msg("cap %zu: output is not \"\"", cap);
		for (i = cap; i < sizeof(out); i++)
			if (out[i] != 'x')
				fail_msg("cap %zu: byte %zu written", cap, i);
	}
	memset(out, 'x', sizeof(out));
	assert_int_equal(lkey_state_format(&s, out, 0), 0);
	assert_int_equal(out[0], 'x');
	assert_int_equal(lkey_state_format(&s, out, n + 1U), n);
	assert_int_equal(out[n], '\0');
}

/* ---- state: parsing refusals -------------------------------------------- */

static lkey_state_result
parse(const char *t, size_t len, uint32_t product, lkey_state *out)
{
	static const lkey_state zero;
	lkey_state_result r;

	memset(out, 0xa5, sizeof(*out));
	r = lkey_state_parse(t, len, product, out);
	if (r != LKEY_STATE_OK && memcmp(out, &zero, sizeof(zero)) != 0)
		fail_msg("state result %d: output not zeroed", (int)r);
	return r;
}

/* A good state text of product 1: version 2 as written, or version 1. */
static size_t
good_state(int version, char *out, size_t cap)
{
	lkey_state s = state_of(1, day("2027-06-15"), 5);
	size_t n;

	s.latest = day("2027-06-14");
	if (version == 1)
		n = expected_text(1, 1, s.last_seen, 0, 5, out, cap);
	else
		n = lkey_state_format(&s, out, cap);
	assert_true(n > 0);
	assert_int_equal(lkey_state_parse(out, n, 1, &s), LKEY_STATE_OK);
	return n;
}

/* Every byte replaced by every other value: never OK, never FOREIGN. */
static void
every_byte(int version)
{
	char t[LKEY_STATE_TEXT_MAX];
	lkey_state out;
	lkey_state_result r;
	size_t n, i;
	unsigned v;
	char orig;

	n = good_state(version, t, sizeof(t));
	for (i = 0; i < n; i++) {
		orig = t[i];
		for (v = 0; v < 256U; v++) {
			if ((char)v == orig)
				continue;
			t[i] = (char)v;
			r = parse(t, n, 1, &out);
			if (r != LKEY_STATE_CORRUPT && r != LKEY_STATE_NOT_STATE)
				fail_msg("byte %zu ('%c') set to 0x%02x: result "
				    "%d", i, orig, v, (int)r);
			/* Nor is it ever another product's intact state. */
			r = parse(t, n, 2, &out);
			if (r != LKEY_STATE_CORRUPT && r != LKEY_STATE_NOT_STATE)
				fail_msg("byte %zu set to 0x%02x, product 2: "
				    "result %d", i, v, (int)r);
		}
		t[i] = orig;
	}
	assert_int_equal(parse(t, n, 1, &out), LKEY_STATE_OK);
}

static void
test_state_every_byte(void **state)
{
	(void)state;
	every_byte(2);
	every_byte(1);
}

/* Cut anywhere, one byte more anywhere, one byte less anywhere. */
static void
lengths(int version)
{
	char t[LKEY_STATE_TEXT_MAX], u[LKEY_STATE_TEXT_MAX + 1U];
	lkey_state out;
	lkey_state_result r;
	size_t n, i;
	unsigned v;

	n = good_state(version, t, sizeof(t));
	for (i = 0; i < n; i++) {
		r = parse(t, i, 1, &out);
		if (r != LKEY_STATE_CORRUPT && r != LKEY_STATE_NOT_STATE)
			fail_msg("cut to %zu of %zu bytes: result %d", i, n,
			    (int)r);
	}
	for (i = 0; i <= n; i++) {
		for (v = 0; v < 256U; v++) {
			memcpy(u, t, i);
			u[i] = (char)v;
			memcpy(u + i + 1U, t + i, n - i);
			r = parse(u, n + 1U, 1, &out);
			if (r != LKEY_STATE_CORRUPT && r != LKEY_STATE_NOT_STATE)
				fail_msg("0x%02x inserted at %zu: result %d",
				    v, i, (int)r);
		}
	}
	for (i = 0; i < n; i++) {
		memcpy(u, t, i);
		memcpy(u + i, t + i + 1U, n - i - 1U);
		r = parse(u, n - 1U, 1, &out);
		if (r != LKEY_STATE_CORRUPT && r != LKEY_STATE_NOT_STATE)
			fail_msg("byte %zu removed: result %d", i, (int)r);
	}
}

static void
test_state_lengths(void **state)
{
	(void)state;
	lengths(2);
	lengths(1);
}

/* The text of another product's state: foreign, never used. */
static void
test_state_foreign(void **state)
{
	char t[LKEY_STATE_TEXT_MAX];
	lkey_state s = state_of(2, day("2027-06-15"), 4), out;
	size_t n;

	(void)state;
	n = lkey_state_format(&s, t, sizeof(t));
	assert_int_equal(parse(t, n, 1, &out), LKEY_STATE_FOREIGN);
	assert_int_equal(parse(t, n, 65535, &out), LKEY_STATE_FOREIGN);
	assert_int_equal(parse(t, n, 2, &out), LKEY_STATE_OK);
	assert_int_equal(out.revocation_sequence, 4);
}

/* A licence key text, for "not this kind of data". */
static size_t
licence_text(char *out, size_t cap)
{
	uint8_t seed[LKEY_SEEDBYTES];
	lkey_vendor_key vk;
	lkey_license t;
	size_t i;

	for (i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)(0x40U + i);	/* key A */
	lkey_vendor_key_from_seed(seed, &vk);
	assert_int_equal(vk.pub.id, pub_a.id);
	lkey_terms_init(&t, day("2027-01-01"));
	t.product = 1;
	t.seats = 5;
	t.expires = day("2027-12-31");
	t.maintenance = day("2027-12-31");
	t.serial = 7;
	assert_true(cap >= LKEY_B64_TEXT_MAX);
	assert_int_equal(lkey_issue(&vk, &t, out, cap), LKEY_ISSUE_OK);
	lkey_vendor_key_wipe(&vk);
	return strlen(out);
}

static void
test_state_not_state(void **state)
{
	char t[LKEY_B64_TEXT_MAX], junk[256];
	test_rng rng;
	lkey_state out;
	lkey_state_result r;
	size_t n, i;

	(void)state;
	assert_int_equal(parse("", 0, 1, &out), LKEY_STATE_NOT_STATE);
	assert_int_equal(parse(NULL, 0, 1, &out), LKEY_STATE_NOT_STATE);
	assert_int_equal(parse("\n", 1, 1, &out), LKEY_STATE_NOT_STATE);
	n = licence_text(t, sizeof(t));
	assert_int_equal(parse(t, n, 1, &out), LKEY_STATE_NOT_STATE);
	assert_int_equal(parse(STATE_COMMENT, strlen(STATE_COMMENT), 1, &out),
	    LKEY_STATE_NOT_STATE);
	rng_init(&rng, test_seed());
	for (i = 0; i < 2000; i++) {
		n = rng_below(&rng, sizeof(junk));
		rng_bytes(&rng, (uint8_t *)junk, n);
		r = parse(junk, n, 1, &out);
		if (r != LKEY_STATE_NOT_STATE)
			fail_msg("random bytes (%zu): result %d", n, (int)r);
	}
	/* The magic alone, or with a damaged rest, is a damaged state. */
	assert_int_equal(parse("lkey-state-v1\n", 14, 1, &out),
	    LKEY_STATE_CORRUPT);
	assert_int_equal(parse("lkey-state-v2\n", 14, 1, &out),
	    LKEY_STATE_CORRUPT);
}

/* ---- state: update ------------------------------------------------------ */

/* s after a valid check on `today` (a day as text, or a plain day number
 * through update_day): whether it changed. */
static bool
update_day(lkey_state *s, lkey_day today)
{
	lkey_context c = ctx_make(CTX "2027-06-15");

	c.today = today;
	c.state = s;
	return lkey_state_update(s, &c, LKEY_OK);
}

static bool
update(lkey_state *s, const char *today)
{
	return update_day(s, day(today));
}

/*
 * docs/FORMAT.md's days of a state: none yet is day 0, written
 * 1970-01-01; a day after 2149-06-05 (65534) is never written, and a file
 * that holds one is damaged even with its check right, in either version.
 */
static void
test_state_days(void **state)
{
	char t[LKEY_STATE_TEXT_MAX];
	lkey_state s;
	size_t n;

	(void)state;
	lkey_state_init(&s, 1);
	n = lkey_state_format(&s, t, sizeof(t));
	assert_true(n > 0);
	assert_non_null(strstr(t, "lkey-state-v2 product 1 last-seen "
	    "1970-01-01 latest 1970-01-01 revocations 0 check "));
	n = expected_text(2, 1, LKEY_DAY_MAX + 1U, 0, 0, t, sizeof(t));
	assert_non_null(strstr(t, " last-seen 2149-06-06 latest 1970-01-01 "));
	assert_int_equal(parse(t, n, 1, &s), LKEY_STATE_CORRUPT);
	n = expected_text(2, 1, 0, LKEY_DAY_MAX + 1U, 0, t, sizeof(t));
	assert_int_equal(parse(t, n, 1, &s), LKEY_STATE_CORRUPT);
	n = expected_text(1, 1, LKEY_DAY_MAX + 1U, 0, 0, t, sizeof(t));
	assert_int_equal(parse(t, n, 1, &s), LKEY_STATE_CORRUPT);
	n = expected_text(2, 1, LKEY_DAY_MAX, LKEY_DAY_MAX, 0, t, sizeof(t));
	assert_non_null(strstr(t, " last-seen 2149-06-05 latest 2149-06-05 "));
	assert_int_equal(parse(t, n, 1, &s), LKEY_STATE_OK);
	/* A check dated after it records no day. */
	s = state_of(1, day("2027-06-15"), 0);
	s.latest = day("2027-06-16");
	assert_false(update_day(&s, LKEY_DAY_MAX + 1U));
	assert_int_equal(s.last_seen, day("2027-06-15"));
	assert_int_equal(s.latest, day("2027-06-16"));
}

/*
 * The mark moves only to a day that a valid check confirms: one no
 * earlier than the latest check before it and at most
 * LKEY_STATE_CONFIRM_DAYS after it. Every valid check is the new latest,
 * earlier or later.
 */
static void
test_state_update(void **state)
{
	lkey_state s = state_of(1, 0, 5);
	lkey_context c = ctx_make(CTX "2027-06-15");
	lkey_revocations *rl = &list;

	(void)state;
	assert_int_equal(LKEY_STATE_CONFIRM_DAYS, 7);
	/* A first check: the latest day only. */
	assert_true(update(&s, "2027-06-15"));
	assert_int_equal(s.latest, day("2027-06-15"));
	assert_int_equal(s.last_seen, 0);
	/* The same day again confirms it. */
	assert_true(update(&s, "2027-06-15"));
	assert_int_equal(s.last_seen, day("2027-06-15"));
	assert_false(update(&s, "2027-06-15"));
	/* The next day: both. */
	assert_true(update(&s, "2027-06-16"));
	assert_int_equal(s.last_seen, day("2027-06-16"));
	assert_int_equal(s.latest, day("2027-06-16"));
	/* Seven days after the latest confirms, eight do not. */
	assert_true(update(&s, "2027-06-23"));
	assert_int_equal(s.last_seen, day("2027-06-23"));
	assert_true(update(&s, "2027-07-01"));
	assert_int_equal(s.last_seen, day("2027-06-23"));
	assert_int_equal(s.latest, day("2027-07-01"));
	/* A day before the latest: the new latest, the mark stays. */
	assert_true(update(&s, "2027-06-30"));
	assert_int_equal(s.latest, day("2027-06-30"));
	assert_int_equal(s.last_seen, day("2027-06-23"));
	/* Never back: a confirmed day before the mark leaves the mark. */
	assert_true(update(&s, "2027-06-20"));
	assert_true(update(&s, "2027-06-21"));
	assert_int_equal(s.last_seen, day("2027-06-23"));
	assert_int_equal(s.latest, day("2027-06-21"));
	assert_int_equal(s.revocation_sequence, 5);
	assert_int_equal(s.product, 1);
	/* Day 0 is no day: it confirms nothing. */
	s = state_of(1, 0, 0);
	assert_false(update_day(&s, 0));
	assert_true(update_day(&s, 1));
	assert_int_equal(s.latest, 1);
	assert_int_equal(s.last_seen, 0);
	assert_true(update_day(&s, 2));
	assert_int_equal(s.last_seen, 2);
	/* The last day a state holds, and one it cannot: not taken. */
	assert_true(update_day(&s, LKEY_DAY_MAX));
	assert_true(update_day(&s, LKEY_DAY_MAX));
	assert_int_equal(s.last_seen, LKEY_DAY_MAX);
	assert_false(update(&s, "9999-12-31"));
	assert_int_equal(s.latest, LKEY_DAY_MAX);
	assert_true(lkey_state_format(&s, text, sizeof(text)) > 0);

	/* The list's sequence, up only, whatever the verdict. */
	s = state_of(1, day("2027-06-16"), 5);
	s.latest = day("2027-06-16");
	c.state = &s;
	c.today = day("2027-06-16");
	memset(rl, 0, sizeof(*rl));
	rl->sequence = 4;
	c.revocations = rl;
	assert_false(lkey_state_update(&s, &c, LKEY_REVOCATIONS_OUTDATED));
	assert_int_equal(s.revocation_sequence, 5);
	rl->sequence = 5;
	assert_false(lkey_state_update(&s, &c, LKEY_OK));
	rl->sequence = UINT32_MAX;
	assert_true(lkey_state_update(&s, &c, LKEY_OK));
	assert_int_equal(s.revocation_sequence, UINT32_MAX);
	c.revocations = NULL;
	assert_false(lkey_state_update(&s, &c, LKEY_OK));
	assert_int_equal(s.revocation_sequence, UINT32_MAX);

	/*
	 * A check that failed: no day moves, but an authenticated list
	 * counts, so a list that revoked the key cannot give way to an older.
	 */
	s = state_of(1, day("2027-06-15"), 5);
	s.latest = day("2027-06-15");
	c.today = day("2027-06-16");
	c.revocations = rl;
	rl->sequence = 7;
	assert_true(lkey_state_update(&s, &c, LKEY_REVOKED));
	assert_int_equal(s.revocation_sequence, 7);
	assert_int_equal(s.last_seen, day("2027-06-15"));
	assert_int_equal(s.latest, day("2027-06-15"));
	c.revocations = NULL;
	assert_false(lkey_state_update(&s, &c, LKEY_EXPIRED));
	assert_false(lkey_state_update(&s, &c, LKEY_CLOCK_ROLLBACK));
	assert_int_equal(s.last_seen, day("2027-06-15"));
	assert_int_equal(s.latest, day("2027-06-15"));
}

/* A check on `today` as an application does it: lkey_check, and after a
 * valid one lkey_state_update. The verdict. */
static lkey_status
run_check(lkey_state *s, const lkey_license *l, const char *today)
{
	lkey_context c = ctx_make(CTX "2027-06-15");
	lkey_report r;
	lkey_status st;

	c.today = day(today);
	c.state = s;
	st = lkey_check(l, &c, &r);
	(void)lkey_state_update(s, &c, st);
	return st;
}

/*
 * One valid check with the clock far ahead (2149-06-05, a perpetual
 * licence) locks nothing: the next check with a correct clock replaces
 * that day, and time-limited licences stay valid.
 */
static void
test_scenario_far_ahead_once(void **state)
{
	lkey_license l = timed(), p = perpetual();
	lkey_state s = state_of(1, 0, 0);
	char t[LKEY_STATE_TEXT_MAX];
	size_t n;

	(void)state;
	assert_int_equal(run_check(&s, &l, "2027-06-01"), LKEY_OK);
	assert_int_equal(run_check(&s, &l, "2027-06-02"), LKEY_OK);
	assert_int_equal(s.last_seen, day("2027-06-02"));
	assert_int_equal(run_check(&s, &p, "2149-06-05"), LKEY_OK);
	assert_int_equal(s.latest, LKEY_DAY_MAX);
	assert_int_equal(s.last_seen, day("2027-06-02"));
	/* Through the state file, as an application keeps it. */
	n = lkey_state_format(&s, t, sizeof(t));
	assert_int_equal(lkey_state_parse(t, n, 1, &s), LKEY_STATE_OK);
	/* The clock right again: valid, and the run goes on from here. */
	assert_int_equal(run_check(&s, &l, "2027-06-03"), LKEY_OK);
	assert_int_equal(s.latest, day("2027-06-03"));
	assert_int_equal(run_check(&s, &l, "2027-06-04"), LKEY_OK);
	assert_int_equal(s.last_seen, day("2027-06-04"));
	/* On a fresh state too. */
	s = state_of(1, 0, 0);
	assert_int_equal(run_check(&s, &p, "2149-06-05"), LKEY_OK);
	assert_int_equal(run_check(&s, &l, "2027-06-03"), LKEY_OK);
	assert_int_equal(run_check(&s, &l, "2027-06-03"), LKEY_OK);
	assert_int_equal(s.last_seen, day("2027-06-03"));
}

/*
 * A run of correct checks, then the clock set back by two days: detected.
 * One day back is within the tolerance.
 */
static void
test_scenario_set_back(void **state)
{
	lkey_license l = timed();
	lkey_state s = state_of(1, 0, 0), kept;
	static const char *const run[] = { "2027-06-10", "2027-06-11",
	    "2027-06-12", "2027-06-13", "2027-06-14", "2027-06-15" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(run) / sizeof(run[0]); i++)
		assert_int_equal(run_check(&s, &l, run[i]), LKEY_OK);
	assert_int_equal(s.last_seen, day("2027-06-15"));
	kept = s;
	assert_int_equal(run_check(&s, &l, "2027-06-13"), LKEY_CLOCK_ROLLBACK);
	assert_memory_equal(&s, &kept, sizeof(s));
	assert_int_equal(run_check(&s, &l, "2027-06-14"), LKEY_OK);
	/* Checks a week apart confirm each other as well. */
	s = state_of(1, 0, 0);
	assert_int_equal(run_check(&s, &l, "2027-06-01"), LKEY_OK);
	assert_int_equal(run_check(&s, &l, "2027-06-08"), LKEY_OK);
	assert_int_equal(run_check(&s, &l, "2027-06-06"), LKEY_CLOCK_ROLLBACK);
	/*
	 * The trade-off: a clock wrong for two checks close together is
	 * believed. Two checks far ahead confirm that day, and a correct
	 * clock is then clock_rollback for a time-limited licence.
	 */
	s = state_of(1, 0, 0);
	assert_int_equal(run_check(&s, &l, "2027-12-30"), LKEY_OK);
	assert_int_equal(run_check(&s, &l, "2027-12-31"), LKEY_OK);
	assert_int_equal(run_check(&s, &l, "2027-06-15"), LKEY_CLOCK_ROLLBACK);
}

/* A version 1 file: its last day seen stays the mark. */
static void
test_scenario_v1(void **state)
{
	lkey_license l = timed();
	char t[LKEY_STATE_TEXT_MAX];
	lkey_state s;
	size_t n;

	(void)state;
	n = expected_text(1, 1, day("2027-06-15"), 0, 0, t, sizeof(t));
	assert_int_equal(lkey_state_parse(t, n, 1, &s), LKEY_STATE_OK);
	assert_int_equal(run_check(&s, &l, "2027-06-13"), LKEY_CLOCK_ROLLBACK);
	assert_int_equal(run_check(&s, &l, "2027-06-16"), LKEY_OK);
	assert_int_equal(s.last_seen, day("2027-06-16"));
	n = lkey_state_format(&s, t, sizeof(t));
	assert_non_null(strstr(t, "lkey-state-v2 "));
}

/* ---- the clock guard in lkey_check -------------------------------------- */

/* Without the guard the check is as of today, however early. */
static void
test_no_guard_any_day(void **state)
{
	lkey_license l = timed();
	lkey_context c = ctx_make(CTX "1970-01-02");
	lkey_report r;
	const struct entry none[1] = { { 0, 0 } };

	(void)state;
	use_list(&c, 3, "2027-06-01", none, 0);
	c.build_day = day("2027-06-01");
	l.issued = day("2027-01-01");
	lic_issue(&l);
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_NOT_YET_VALID);
	assert_int_equal(r.nproblems, 1);
	assert_int_equal(r.clock_behind, 0);
	/* A fixed day in the past, after the start: valid, as CI uses it. */
	c.today = day("2027-02-01");
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.clock_behind, 0);
	assert_int_equal(r.features_available, 0x3U);
}

/*
 * The boundary of one floor day F: today F-1 passes, F-2 is clock_rollback
 * for a time-limited licence with clock_behind F; a perpetual licence stays
 * valid but without its maintenance add-ons. Without the state, F-2 is
 * just a day.
 */
static void
check_floor(const char *what, lkey_license l, lkey_context c, lkey_day f)
{
	lkey_license p = l;
	lkey_report r;
	lkey_status st;
	const lkey_state *guard = c.state;

	p.expires = LKEY_NEVER;
	lic_issue(&p);
	c.today = f - 1U;
	st = lkey_check(&l, &c, &r);
	if (st != LKEY_OK || r.clock_behind != 0)
		fail_msg("%s: F-1: %s, clock_behind %u", what,
		    lkey_status_name(st), (unsigned)r.clock_behind);
	c.today = f;
	if ((st = lkey_check(&l, &c, &r)) != LKEY_OK)
		fail_msg("%s: F: %s", what, lkey_status_name(st));
	c.today = f - 2U;
	st = lkey_check(&l, &c, &r);
	if (st != LKEY_CLOCK_ROLLBACK || r.status != LKEY_CLOCK_ROLLBACK ||
	    r.nproblems != 1 || r.clock_behind != f ||
	    r.features_available != 0)
		fail_msg("%s: F-2: %s (%zu problems), clock_behind %u, "
		    "features %#x", what, lkey_status_name(st), r.nproblems,
		    (unsigned)r.clock_behind, (unsigned)r.features_available);
	/* Perpetual: valid, the maintenance add-on (bit 0) held back. */
	st = lkey_check(&p, &c, &r);
	if (st != LKEY_OK || r.clock_behind != f ||
	    r.features_available != 0x2U || !r.maintenance_active ||
	    !(r.warnings & (1U << LKEY_W_CLOCK_BEHIND)))
		fail_msg("%s: perpetual F-2: %s, clock_behind %u, features "
		    "%#x, maintenance_active %d", what, lkey_status_name(st),
		    (unsigned)r.clock_behind, (unsigned)r.features_available,
		    (int)r.maintenance_active);
	c.today = f - 1U;
	st = lkey_check(&p, &c, &r);
	if (st != LKEY_OK || r.features_available != 0x3U ||
	    !r.maintenance_active)
		fail_msg("%s: perpetual F-1: %s, features %#x", what,
		    lkey_status_name(st), (unsigned)r.features_available);
	/* Far before: still never refused for the clock. */
	c.today = f >= 300U ? f - 300U : 0;
	st = lkey_check(&p, &c, &r);
	if (st == LKEY_CLOCK_ROLLBACK || has_problem(&r, LKEY_CLOCK_ROLLBACK))
		fail_msg("%s: perpetual far before: clock_rollback", what);
	/* No guard: F-2 is only a day. */
	if (guard != NULL) {
		c.state = NULL;
		c.today = f - 2U;
		st = lkey_check(&l, &c, &r);
		if (has_problem(&r, LKEY_CLOCK_ROLLBACK) || r.clock_behind != 0)
			fail_msg("%s: without the state F-2 is %s", what,
			    lkey_status_name(st));
	}
}

static void
test_guard_last_seen(void **state)
{
	lkey_context c = guarded("2027-06-15", "2027-06-15");

	(void)state;
	check_floor("last seen", timed(), c, guard_state.last_seen);
	/* The last day of a state, and the first. */
	guard_state.last_seen = LKEY_DAY_MAX;
	c.today = LKEY_DAY_MAX - 2U;
	{
		lkey_license l = timed();
		lkey_report r;

		l.expires = LKEY_DAY_MAX;
		l.maintenance = LKEY_DAY_MAX;
		lic_issue(&l);
		assert_int_equal(lkey_check(&l, &c, &r), LKEY_CLOCK_ROLLBACK);
		c.today = LKEY_DAY_MAX - 1U;
		assert_int_equal(lkey_check(&l, &c, &r), LKEY_OK);
		guard_state.last_seen = 0;
		c.today = day("2027-01-01");
		assert_int_equal(lkey_check(&l, &c, &r), LKEY_OK);
		assert_int_equal(r.clock_behind, 0);
	}
}

static void
test_guard_build_day(void **state)
{
	lkey_context c = guarded(NULL, "2027-06-15");

	(void)state;
	c.build_day = day("2027-05-01");
	check_floor("build day", timed(), c, c.build_day);
	/* Unknown build day (0): no floor. */
	c.build_day = 0;
	c.today = day("2027-01-01");
	{
		lkey_license l = timed();
		lkey_report r;

		assert_int_equal(lkey_check(&l, &c, &r), LKEY_OK);
	}
}

static void
test_guard_issued(void **state)
{
	lkey_context c = guarded(NULL, "2027-06-15");
	lkey_license l = timed();

	(void)state;
	l.issued = day("2027-03-01");	/* a key issued after its start */
	lic_issue(&l);
	check_floor("issue day", l, c, l.issued);
}

static void
test_guard_list_day(void **state)
{
	lkey_context c = guarded(NULL, "2027-06-15");

	(void)state;
	use_list(&c, 2, "2027-05-10", unrelated, 1);
	assert_int_equal(list.issued, day("2027-05-10"));
	check_floor("list day", timed(), c, list.issued);
}

/* The latest of the floors is the one: clock_behind names it. */
static void
test_guard_latest_floor(void **state)
{
	lkey_context c = guarded("2027-06-15",
	    "2027-06-17 build_day=2027-06-20");
	lkey_license l = timed();
	struct tally t = { 0, 0, 0 };

	(void)state;
	use_list(&c, 2, "2027-06-10", unrelated, 1);
	l.issued = day("2027-02-01");
	lic_issue(&l);
	report_is(&t, "build day latest", &l, &c,
	    "clock_rollback clock_behind=2027-06-20");
	c.today = day("2027-06-19");
	report_is(&t, "a day behind it", &l, &c, "valid clock_behind=0");
	/* With the guard the release rule still holds, and the latest day
	 * of all of them is named. */
	c.has_release = true;
	c.release = day("2027-06-25");
	report_is(&t, "release latest", &l, &c,
	    "clock_rollback clock_behind=2027-06-25");
	tally_done(&t, "latest floor");
}

/* revoked, host_mismatch, clock_rollback, then the dates, then seats. */
static void
test_guard_severity(void **state)
{
	lkey_context c = guarded("2027-06-15", "2026-12-01 users=26");
	lkey_license l = timed();
	const struct entry e[1] = { { l.key_id, l.serial } };
	struct tally t = { 0, 0, 0 };

	(void)state;
	use_list(&c, 1, "2026-11-01", e, 1);
	l.host_bound = true;
	memset(l.host, 0x11, sizeof(l.host));
	lic_issue(&l);
	c.has_host = true;
	memset(c.host, 0x22, sizeof(c.host));
	report_is(&t, "all at once", &l, &c, "revoked problems=revoked,"
	    "host_mismatch,clock_rollback,not_yet_valid,seats_exceeded "
	    "clock_behind=2027-06-15 features_available=0");
	/* After the expiry, with the clock set back from later still. */
	guard_state.last_seen = day("2028-03-01");
	c.today = day("2028-02-01");
	report_is(&t, "after the expiry", &l, &c, "revoked problems=revoked,"
	    "host_mismatch,clock_rollback,expired,seats_exceeded");
	/* One at a time, each is the verdict. */
	c.revocations = NULL;
	report_is(&t, "not revoked", &l, &c, "host_mismatch");
	memset(c.host, 0x11, sizeof(c.host));
	report_is(&t, "this host", &l, &c, "clock_rollback");
	/* Another product: that one problem only. */
	c.product = 2;
	c.revocations = &list;
	report_is(&t, "another product", &l, &c,
	    "wrong_product problems=wrong_product");
	tally_done(&t, "severity");
}

/*
 * A perpetual licence over its seats: the clock set back to before the day
 * users went over must not start the grace period again once the guard
 * knows a later day has passed. Known: the list was made on 2027-06-25, so
 * today is at least 2027-06-24; users went over on 2027-06-01 with 7 days
 * of grace, which ended on 2027-06-07.
 */
static void
test_guard_perpetual_grace(void **state)
{
	lkey_context c = guarded("2027-05-20",
	    "2027-06-24 users=26 over_since=2027-06-01");
	lkey_license l = perpetual();
	lkey_report r;

	(void)state;
	use_list(&c, 2, "2027-06-25", unrelated, 1);
	l.grace_days = 7;
	lic_issue(&l);
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_SEATS_EXCEEDED);
	/* Clock set back into the grace period, then to before it began. */
	c.today = day("2027-06-03");
	if (lkey_check(&l, &c, &r) != LKEY_SEATS_EXCEEDED)
		fail_msg("perpetual, clock set back to 2027-06-03 (clock_behind "
		    "%u): %s, warnings %#x; the grace period ended on "
		    "2027-06-07 and 2027-06-24 is known to have passed",
		    (unsigned)r.clock_behind, lkey_status_name(r.status),
		    (unsigned)r.warnings);
	c.today = day("2027-05-25");
	if (lkey_check(&l, &c, &r) != LKEY_SEATS_EXCEEDED)
		fail_msg("perpetual, clock set back to 2027-05-25, before "
		    "over_since: %s, warnings %#x", lkey_status_name(r.status),
		    (unsigned)r.warnings);
}

/*
 * What a perpetual licence held back for the clock tells its user: its
 * maintenance has not ended (it runs to 2027-12-31), the clock is behind.
 * Telling the user to renew maintenance would be wrong advice.
 */
static void
test_guard_perpetual_message(void **state)
{
	lkey_context c = guarded("2027-06-15", "2027-06-13");
	lkey_license l = perpetual();
	lkey_report r;
	char msg[512];

	(void)state;
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.features_available, 0x2U);
	if (r.warnings & (1U << LKEY_W_ADDONS_UNAVAILABLE)) {
		(void)lkey_warning_text(LKEY_W_ADDONS_UNAVAILABLE, &l, &c, &r,
		    msg, sizeof(msg));
		if (strstr(msg, "clock") == NULL ||
		    strstr(msg, "ended on 2027-12-31") != NULL)
			fail_msg("add-ons held back for the clock, but the "
			    "warning says: %s", msg);
	}
	/* Its own warning, naming the day the clock is behind. */
	assert_true(r.warnings & (1U << LKEY_W_CLOCK_BEHIND));
	assert_true(r.maintenance_active);
	(void)lkey_warning_text(LKEY_W_CLOCK_BEHIND, &l, &c, &r, msg,
	    sizeof(msg));
	assert_non_null(strstr(msg, "2027-06-13"));
	assert_non_null(strstr(msg, "before a day already seen on this "
	    "computer (2027-06-15)"));
	assert_string_equal(lkey_warning_name(LKEY_W_CLOCK_BEHIND),
	    "clock_behind");
	/* A correct clock: no warning, the add-on is back. */
	c.today = day("2027-06-14");
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_OK);
	assert_false(r.warnings & (1U << LKEY_W_CLOCK_BEHIND));
	/* Maintenance that never ends: the add-on does not wait for the
	 * clock, and the warning does not say it does. */
	l.maintenance = LKEY_NEVER;
	lic_issue(&l);
	c.today = day("2027-06-13");
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_OK);
	assert_true(r.warnings & (1U << LKEY_W_CLOCK_BEHIND));
	assert_int_equal(r.clock_behind, day("2027-06-15"));
	assert_int_equal(r.features_available, 0x3U);
	assert_int_equal(r.addons_off, LKEY_ADDONS_ON);
	(void)lkey_warning_text(LKEY_W_CLOCK_BEHIND, &l, &c, &r, msg,
	    sizeof(msg));
	if (strstr(msg, "add-ons") != NULL)
		fail_msg("add-ons run, but the warning says: %s", msg);
}

/* ---- host ids ----------------------------------------------------------- */

/* As docs/FORMAT.md defines it. */
static void
expected_host(const char *mid, uint32_t product, uint8_t out[8])
{
	static const char tag[] = "lkey-host-id-v1";
	crypto_generichash_state st;
	uint8_t p[4];

	st32(p, product);
	assert_int_equal(crypto_generichash_init(&st, NULL, 0, 8), 0);
	assert_int_equal(crypto_generichash_update(&st, (const uint8_t *)tag,
	    sizeof(tag)), 0);
	assert_int_equal(crypto_generichash_update(&st, p, 4), 0);
	assert_int_equal(crypto_generichash_update(&st,
	    (const uint8_t *)mid, strlen(mid)), 0);
	assert_int_equal(crypto_generichash_final(&st, out, 8), 0);
}

static void
test_host_id(void **state)
{
	static const char m1[] = "0123456789abcdef0123456789abcdef";
	static const char m2[] = "0123456789abcdef0123456789abcdee";
	uint8_t a[LKEY_HOST_ID_BYTES + 4U], b[LKEY_HOST_ID_BYTES + 4U],
	    want[8];

	(void)state;
	assert_int_equal(LKEY_HOST_ID_BYTES, 8);
	memset(a, 0xee, sizeof(a));
	lkey_host_id(m1, strlen(m1), 1, a);
	assert_int_equal(a[8], 0xee);	/* 8 bytes and no more */
	assert_int_equal(a[11], 0xee);
	lkey_host_id(m1, strlen(m1), 1, b);
	assert_memory_equal(a, b, 8);
	expected_host(m1, 1, want);
	assert_memory_equal(a, want, 8);
	lkey_host_id(m1, strlen(m1), 2, b);
	assert_memory_not_equal(a, b, 8);
	expected_host(m1, 2, want);
	assert_memory_equal(b, want, 8);
	lkey_host_id(m1, strlen(m1), 65535, b);
	assert_memory_not_equal(a, b, 8);
	lkey_host_id(m2, strlen(m2), 1, b);
	assert_memory_not_equal(a, b, 8);
	/* Only len bytes count. */
	lkey_host_id("0123456789abcdef0123456789abcdef\n", 32, 1, b);
	assert_memory_equal(a, b, 8);
}

static void
test_host_binding(void **state)
{
	static const char mid[] = "0123456789abcdef0123456789abcdef";
	lkey_license l = timed();
	lkey_context c = ctx_make(CTX "2027-06-15");
	lkey_report r;

	(void)state;
	lkey_host_id(mid, strlen(mid), 1, l.host);
	l.host_bound = true;
	lic_issue(&l);
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_HOST_MISMATCH);
	assert_int_equal(r.nproblems, 1);
	assert_int_equal(r.features_available, 0);
	c.has_host = true;
	lkey_host_id(mid, strlen(mid), 2, c.host);	/* same machine, other
							   product */
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_HOST_MISMATCH);
	memcpy(c.host, l.host, sizeof(c.host));
	c.host[7] ^= 1;
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_HOST_MISMATCH);
	c.host[7] ^= 1;
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.features_available, 0x3U);
	/* has_host false with the right bytes: still no host known. */
	c.has_host = false;
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_HOST_MISMATCH);
	/* An unbound licence ignores the host, whatever it is. */
	l.host_bound = false;
	memset(l.host, 0, sizeof(l.host));
	lic_issue(&l);
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_OK);
	c.has_host = true;
	memset(c.host, 0x5a, sizeof(c.host));
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_OK);
}

/* ---- revocation lists --------------------------------------------------- */

static void
test_list_decode(void **state)
{
	const struct entry e[4] = {
		{ 0, 0 }, { 0, UINT32_MAX }, { pub_a.id, 7 },
		{ UINT32_MAX, 1 },
	};
	lkey_detail d;
	size_t len, i;

	(void)state;
	/* In order of (key id, serial): key A's id is neither extreme. */
	assert_true(pub_a.id != 0 && pub_a.id != UINT32_MAX);
	len = make_list(9, day("2027-06-01"), e, 4);
	assert_int_equal(decode_list(text, len, &d), LKEY_OK);
	assert_int_equal(d.reason, LKEY_R_NONE);
	assert_int_equal(list.key_id, pub_a.id);
	assert_int_equal(list.sequence, 9);
	assert_int_equal(list.issued, day("2027-06-01"));
	assert_int_equal(list.count, 4);
	for (i = 0; i < 4; i++)
		assert_true(lkey_revocations_contains(&list, e[i].key_id,
		    e[i].serial));
	assert_false(lkey_revocations_contains(&list, 0, 1));
	assert_false(lkey_revocations_contains(&list, 0, UINT32_MAX - 1U));
	assert_false(lkey_revocations_contains(&list, 1, 0));
	assert_false(lkey_revocations_contains(&list, pub_a.id, 6));
	assert_false(lkey_revocations_contains(&list, pub_a.id, 8));
	assert_false(lkey_revocations_contains(&list, pub_a.id + 1U, 7));
	assert_false(lkey_revocations_contains(&list, pub_b.id, 7));
	assert_false(lkey_revocations_contains(&list, UINT32_MAX, 0));
	assert_false(lkey_revocations_contains(&list, UINT32_MAX, 2));
	assert_false(lkey_revocations_contains(&list, UINT32_MAX,
	    UINT32_MAX));
	/* A list that failed to decode (zeroed) revokes nothing. */
	assert_false(lkey_revocations_contains(&zero_list, 0, 0));
	/* NULL text. */
	assert_int_equal(decode_list(NULL, 0, &d), LKEY_MALFORMED);
	assert_memory_equal(&list, &zero_list, sizeof(list));
}

/* Licences on the list are revoked: by key id and serial together. */
static void
test_list_revokes(void **state)
{
	const struct entry e[2] = { { pub_a.id < pub_b.id ? pub_a.id :
	    pub_b.id, 7 }, { pub_a.id < pub_b.id ? pub_b.id : pub_a.id, 9 } };
	lkey_license l = timed();
	lkey_context c = ctx_make(CTX "2027-06-15");
	lkey_report r;

	(void)state;
	use_list(&c, 1, "2027-06-01", e, 2);
	l.key_id = e[0].key_id;
	l.serial = 7;
	lic_issue(&l);
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_REVOKED);
	assert_int_equal(r.nproblems, 1);
	assert_int_equal(r.features_available, 0);
	l.serial = 9;	/* 9 is revoked under the other key only */
	lic_issue(&l);
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_OK);
	l.key_id = e[1].key_id;
	lic_issue(&l);
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_REVOKED);
	l.serial = 7;
	lic_issue(&l);
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_OK);
	/* Revoked is revoked, perpetual too, and whatever the clock. */
	l = perpetual();
	l.key_id = e[0].key_id;
	l.serial = 7;
	lic_issue(&l);
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_REVOKED);
	/* No list: nothing revoked. */
	c.revocations = NULL;
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_OK);
}

static void
test_list_other_vendor(void **state)
{
	const struct entry e[1] = { { 1, 1 } };
	lkey_detail d;
	size_t len;

	(void)state;
	/* Key B's list, naming key B. */
	len = list_body(bin, pub_b.id, 3, day("2027-06-01"), 1, e, 1);
	len = list_sign(bin, len, sk_b, list_tag);
	len = list_text(bin, len, text, sizeof(text));
	assert_refused(decode_list(text, len, &d), LKEY_UNKNOWN_KEY, &d,
	    LKEY_R_UNKNOWN_KEY);
	assert_int_equal(d.value, pub_b.id);
	/* Key B's signature on a list that names key A. */
	len = list_body(bin, pub_a.id, 3, day("2027-06-01"), 1, e, 1);
	len = list_sign(bin, len, sk_b, list_tag);
	len = list_text(bin, len, text, sizeof(text));
	assert_refused(decode_list(text, len, &d), LKEY_BAD_SIGNATURE, &d,
	    LKEY_R_BAD_SIGNATURE);
	/* Key A's signature under the licence tag: no crossing over. */
	len = list_body(bin, pub_a.id, 3, day("2027-06-01"), 1, e, 1);
	len = list_sign(bin, len, sk_a, licence_tag);
	len = list_text(bin, len, text, sizeof(text));
	assert_refused(decode_list(text, len, &d), LKEY_BAD_SIGNATURE, &d,
	    LKEY_R_BAD_SIGNATURE);
	/* Key A's signature without any tag. */
	len = list_body(bin, pub_a.id, 3, day("2027-06-01"), 1, e, 1);
	assert_int_equal(crypto_sign_detached(bin + len, NULL, bin, len,
	    sk_a), 0);
	len = list_text(bin, len + LIST_SIG, text, sizeof(text));
	assert_refused(decode_list(text, len, &d), LKEY_BAD_SIGNATURE, &d,
	    LKEY_R_BAD_SIGNATURE);
	/* With both keys in the ring, key B's own list is accepted. */
	{
		lkey_pubkey two[2];

		two[0] = pub_a;
		two[1] = pub_b;
		len = list_body(bin, pub_b.id, 3, day("2027-06-01"), 1, e, 1);
		len = list_sign(bin, len, sk_b, list_tag);
		len = list_text(bin, len, text, sizeof(text));
		assert_int_equal(lkey_revocations_decode(text, len, two, 2,
		    &list, NULL), LKEY_OK);
		assert_int_equal(list.key_id, pub_b.id);
		/* And no ring at all refuses it. */
		memset(&list, 0xa5, sizeof(list));
		assert_int_equal(lkey_revocations_decode(text, len, NULL, 0,
		    &list, NULL), LKEY_UNKNOWN_KEY);
		assert_memory_equal(&list, &zero_list, sizeof(list));
	}
}

/* Every bit of a small list flipped, and every cut: never OK. */
static void
test_list_tamper(void **state)
{
	static uint8_t good[BIN_CAP];
	static char t[TEXT_CAP];
	const struct entry e[2] = { { 3, 1001 }, { 3, 1002 } };
	lkey_detail d;
	lkey_status st;
	size_t n, len, i, bit, last;

	(void)state;
	n = list_body(good, pub_a.id, 4, day("2027-06-01"), 2, e, 2);
	n = list_sign(good, n, sk_a, list_tag);
	len = list_text(good, n, t, sizeof(t));
	assert_int_equal(decode_list(t, len, NULL), LKEY_OK);
	for (i = 0; i < n; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(bin, good, n);
			bin[i] ^= (uint8_t)(1U << bit);
			len = list_text(bin, n, text, sizeof(text));
			st = decode_list(text, len, &d);
			if (st == LKEY_OK)
				fail_msg("bit %zu of byte %zu flipped: valid",
				    bit, i);
			if (memcmp(&list, &zero_list, sizeof(list)) != 0)
				fail_msg("bit %zu of byte %zu: not zeroed", bit,
				    i);
		}
	}
	for (i = 0; i < n; i++) {
		len = list_text(good, i, text, sizeof(text));
		if (decode_list(text, len, &d) == LKEY_OK)
			fail_msg("cut to %zu of %zu bytes: valid", i, n);
		if (memcmp(&list, &zero_list, sizeof(list)) != 0)
			fail_msg("cut to %zu bytes: not zeroed", i);
	}
	/* One byte more, of any value. */
	for (i = 0; i < 256; i++) {
		memcpy(bin, good, n);
		bin[n] = (uint8_t)i;
		len = list_text(bin, n + 1U, text, sizeof(text));
		if (decode_list(text, len, &d) == LKEY_OK)
			fail_msg("0x%02zx appended: valid", i);
	}
	/* The text cut anywhere before its last base64 character. */
	len = list_text(good, n, t, sizeof(t));
	last = len - 1U;	/* the final newline */
	for (i = 0; i < last; i++) {
		if (decode_list(t, i, &d) == LKEY_OK)
			fail_msg("text cut to %zu of %zu: valid", i, len);
	}
	assert_int_equal(decode_list(t, last, &d), LKEY_OK);
}

/* Correctly signed lists whose content is impossible: malformed. */
static void
check_signed_malformed(const char *what, uint32_t seq, uint32_t made,
    uint32_t count, const struct entry *e, size_t n)
{
	lkey_detail d;
	size_t len = list_body(bin, pub_a.id, seq, made, count, e, n);

	len = list_sign(bin, len, sk_a, list_tag);
	len = list_text(bin, len, text, sizeof(text));
	if (decode_list(text, len, &d) != LKEY_MALFORMED)
		fail_msg("%s: not malformed", what);
	if (memcmp(&list, &zero_list, sizeof(list)) != 0)
		fail_msg("%s: not zeroed", what);
}

static void
test_list_content(void **state)
{
	const struct entry down[2] = { { 5, 9 }, { 5, 8 } };
	const struct entry twice[2] = { { 5, 9 }, { 5, 9 } };
	const struct entry ids_down[2] = { { 6, 1 }, { 5, 9 } };
	const struct entry ids_up[2] = { { 5, 9 }, { 6, 1 } };
	const struct entry three[3] = { { 1, 1 }, { 1, 2 }, { 1, 3 } };
	lkey_detail d;
	lkey_day made = day("2027-06-01");
	size_t len;

	(void)state;
	check_signed_malformed("serials down", 1, made, 2, down, 2);
	check_signed_malformed("entry twice", 1, made, 2, twice, 2);
	check_signed_malformed("key ids down", 1, made, 2, ids_down, 2);
	check_signed_malformed("count 3 for 2", 1, made, 3, three, 2);
	check_signed_malformed("count 1 for 2", 1, made, 1, three, 2);
	check_signed_malformed("count 0 for 1", 1, made, 0, three, 1);
	check_signed_malformed("count 65535 for 3", 1, made, 65535, three, 3);
	check_signed_malformed("sequence 0", 0, made, 3, three, 3);
	check_signed_malformed("day 65535", 1, 65535, 3, three, 3);
	/* Ordered by key id first, then serial: fine. */
	len = make_list(1, made, ids_up, 2);
	assert_int_equal(decode_list(text, len, &d), LKEY_OK);
	assert_true(lkey_revocations_contains(&list, 6, 1));
	assert_true(lkey_revocations_contains(&list, 5, 9));
	/* The extremes of the header. */
	len = make_list(UINT32_MAX, LKEY_DAY_MAX, three, 3);
	assert_int_equal(decode_list(text, len, &d), LKEY_OK);
	assert_int_equal(list.sequence, UINT32_MAX);
	assert_int_equal(list.issued, LKEY_DAY_MAX);
	len = make_list(1, 0, three, 0);
	assert_int_equal(decode_list(text, len, &d), LKEY_OK);
	assert_int_equal(list.count, 0);
	assert_int_equal(list.issued, 0);
	assert_false(lkey_revocations_contains(&list, 0, 0));
	assert_false(lkey_revocations_contains(&list, 1, 1));
	/* The reason of a bad field. */
	len = list_body(bin, pub_a.id, 0, made, 0, three, 0);
	len = list_sign(bin, len, sk_a, list_tag);
	len = list_text(bin, len, text, sizeof(text));
	assert_refused(decode_list(text, len, &d), LKEY_MALFORMED, &d,
	    LKEY_R_BAD_FIELD);
}

/* Not a list, or not a version this verifier reads. */
static void
test_list_kind(void **state)
{
	char lic[LKEY_B64_TEXT_MAX];
	lkey_license out;
	lkey_detail d;
	size_t len, n;
	const struct entry e[1] = { { 1, 1 } };

	(void)state;
	n = licence_text(lic, sizeof(lic));
	/* Sanity: it is a licence. */
	assert_int_equal(lkey_decode(lic, n, ring, 1, &out, NULL), LKEY_OK);
	assert_refused(decode_list(lic, n, &d), LKEY_MALFORMED, &d,
	    LKEY_R_WRONG_KIND);
	/* A list is not a licence. */
	len = make_list(1, day("2027-06-01"), e, 1);
	memset(&out, 0xa5, sizeof(out));
	assert_int_not_equal(lkey_decode(text, len, ring, 1, &out, &d),
	    LKEY_OK);
	{
		static const lkey_license zero;

		assert_memory_equal(&out, &zero, sizeof(out));
	}
	/* The same without the comment line, as a licence would be given. */
	{
		const char *b = strchr(text, '\n') + 1;

		assert_int_not_equal(lkey_decode(b, strlen(b), ring, 1, &out,
		    &d), LKEY_OK);
	}
	/* Magic and version. */
	n = list_body(bin, pub_a.id, 1, 0, 1, e, 1);
	bin[0] = 'l';
	n = list_sign(bin, n, sk_a, list_tag);
	len = list_text(bin, n, text, sizeof(text));
	assert_refused(decode_list(text, len, &d), LKEY_MALFORMED, &d,
	    LKEY_R_WRONG_KIND);
	n = list_body(bin, pub_a.id, 1, 0, 1, e, 1);
	bin[3] = 2;
	n = list_sign(bin, n, sk_a, list_tag);
	len = list_text(bin, n, text, sizeof(text));
	assert_refused(decode_list(text, len, &d), LKEY_MALFORMED, &d,
	    LKEY_R_BAD_VERSION);
	assert_int_equal(d.value, 2);
	/* Empty, comments only, whitespace only. */
	assert_refused(decode_list("", 0, &d), LKEY_MALFORMED, &d,
	    LKEY_R_NONE);
	assert_refused(decode_list("# a comment\n", 12, &d), LKEY_MALFORMED,
	    &d, LKEY_R_NONE);
	assert_refused(decode_list(" \n\t\n", 4, &d), LKEY_MALFORMED, &d,
	    LKEY_R_NONE);
}

/* The bounds: LKEY_REVOKED_MAX entries and LKEY_REVOCATIONS_TEXT_MAX. */
static void
test_list_bounds(void **state)
{
	static struct entry many[LKEY_REVOKED_MAX + 1U];
	lkey_detail d;
	size_t len, i;

	(void)state;
	for (i = 0; i < LKEY_REVOKED_MAX + 1U; i++) {
		many[i].key_id = i < 2000 ? 7 : 8;
		many[i].serial = (uint32_t)(3U * i + 1U);
	}
	len = make_list(2, day("2027-06-01"), many, LKEY_REVOKED_MAX);
	assert_true(len <= LKEY_REVOCATIONS_TEXT_MAX);
	assert_int_equal(decode_list(text, len, &d), LKEY_OK);
	assert_int_equal(list.count, LKEY_REVOKED_MAX);
	assert_true(lkey_revocations_contains(&list, 7, 1));
	assert_true(lkey_revocations_contains(&list, 7, 3U * 1999U + 1U));
	assert_true(lkey_revocations_contains(&list, 8, 3U * 2000U + 1U));
	assert_true(lkey_revocations_contains(&list, 8,
	    3U * (LKEY_REVOKED_MAX - 1U) + 1U));
	assert_false(lkey_revocations_contains(&list, 7, 3U * 2000U + 1U));
	assert_false(lkey_revocations_contains(&list, 8, 1));
	assert_false(lkey_revocations_contains(&list, 8,
	    3U * LKEY_REVOKED_MAX + 1U));
	for (i = 0; i < LKEY_REVOKED_MAX; i += 97U)
		assert_true(lkey_revocations_contains(&list, many[i].key_id,
		    many[i].serial));
	/* One more, correctly signed and counted: refused. */
	len = make_list(2, day("2027-06-01"), many, LKEY_REVOKED_MAX + 1U);
	assert_true(len <= LKEY_REVOCATIONS_TEXT_MAX);
	assert_refused(decode_list(text, len, &d), LKEY_MALFORMED, &d,
	    LKEY_R_NONE);

	/* Text: exactly the bound (padded with a comment) and one over. */
	len = make_list(2, day("2027-06-01"), many, 3);
	{
		static char big[LKEY_REVOCATIONS_TEXT_MAX + 2U];
		size_t pad = LKEY_REVOCATIONS_TEXT_MAX - len;

		big[0] = '#';
		memset(big + 1, 'x', pad - 2U);
		big[pad - 1U] = '\n';
		memcpy(big + pad, text, len);
		assert_int_equal(decode_list(big, LKEY_REVOCATIONS_TEXT_MAX,
		    &d), LKEY_OK);
		assert_int_equal(list.count, 3);
		memmove(big + 1, big, LKEY_REVOCATIONS_TEXT_MAX);
		big[0] = '#';
		assert_refused(decode_list(big, LKEY_REVOCATIONS_TEXT_MAX + 1U,
		    &d), LKEY_MALFORMED, &d, LKEY_R_TOO_LONG);
	}
}

/* Whitespace anywhere in the base64 is forgiven; nothing else is. */
static void
test_list_whitespace(void **state)
{
	static char wrapped[TEXT_CAP], blanks[TEXT_CAP + 6];
	static const char ws[] = " \t\n\r\v\f";
	const struct entry e[1] = { { 4, 4 } };
	lkey_detail d;
	size_t len, n, i, start, k = 0;
	char *nl;

	(void)state;
	len = make_list(8, day("2027-06-01"), e, 1);	/* 88 bytes: "==" */
	nl = strchr(text, '\n');
	start = (size_t)(nl - text) + 1U;
	memcpy(wrapped, text, start);
	n = start;
	for (i = start; i < len; i++) {
		if ((i - start) % 7U == 0) {
			wrapped[n++] = ws[k % (sizeof(ws) - 1U)];
			k++;
		}
		if ((i - start) % 20U == 0) {
			wrapped[n++] = '\r';
			wrapped[n++] = '\n';
		}
		wrapped[n++] = text[i];
	}
	wrapped[n] = '\0';
	assert_int_equal(decode_list(wrapped, n, &d), LKEY_OK);
	assert_int_equal(list.sequence, 8);
	assert_true(lkey_revocations_contains(&list, 4, 4));
	/* Blank lines and indented comments before it. */
	memcpy(blanks, "\n  \t\n\n", 6);
	memcpy(blanks + 6, wrapped, n + 1U);
	assert_int_equal(decode_list(blanks, n + 6U, &d), LKEY_OK);

	/* A junk byte in the base64: refused, where it is. */
	len = make_list(8, day("2027-06-01"), e, 1);
	text[start + 10U] = '!';
	assert_refused(decode_list(text, len, &d), LKEY_MALFORMED, &d,
	    LKEY_R_BAD_CHAR);
	assert_int_equal(d.offset, start + 10U);
	/* A comment after the base64 has begun. */
	len = make_list(8, day("2027-06-01"), e, 1);
	memcpy(text + len, "# late\n", 8);
	assert_refused(decode_list(text, len + 7U, &d), LKEY_MALFORMED, &d,
	    LKEY_R_NONE);
	/* Non-canonical: unused bits set in the character before "==". */
	len = make_list(8, day("2027-06-01"), e, 1);
	assert_true(len > 4 && text[len - 2U] == '=' && text[len - 3U] == '=');
	{
		char *c = &text[len - 4U];
		static const char b64[] =
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789+/";
		size_t v = (size_t)(strchr(b64, *c) - b64);

		*c = b64[v ^ 1U];
	}
	assert_refused(decode_list(text, len, &d), LKEY_MALFORMED, &d,
	    LKEY_R_NONCANONICAL);
}

/*
 * With the clock guard's state, the library itself refuses a list older
 * than one seen here, or none where one was: revocations_outdated, right
 * after revoked, never valid. Without a state there is no such rule.
 */
static void
test_list_outdated(void **state)
{
	lkey_context c = guarded("2027-06-10", "2027-06-15");
	lkey_license l = timed(), p = perpetual();
	const struct entry e[1] = { { l.key_id, l.serial } };
	struct tally t = { 0, 0, 0 };
	lkey_state kept;

	(void)state;
	guard_state.revocation_sequence = 5;
	use_list(&c, 4, "2027-06-01", unrelated, 1);
	report_is(&t, "list 4 after 5", &l, &c, "revocations_outdated "
	    "problems=revocations_outdated features_available=0");
	report_is(&t, "perpetual too", &p, &c, "revocations_outdated");
	use_list(&c, 5, "2027-06-01", unrelated, 1);
	report_is(&t, "list 5 after 5", &l, &c, "valid");
	use_list(&c, 6, "2027-06-01", unrelated, 1);
	report_is(&t, "list 6 after 5", &l, &c, "valid");
	c.revocations = NULL;
	report_is(&t, "no list after 5", &l, &c, "revocations_outdated");
	guard_state.revocation_sequence = 0;
	report_is(&t, "no list, none seen", &l, &c, "valid");
	/* Without the state, the caller's list is all there is. */
	use_list(&c, 1, "2027-06-01", unrelated, 1);
	c.state = NULL;
	report_is(&t, "no state, list 1", &l, &c, "valid");
	c.revocations = NULL;
	report_is(&t, "no state, no list", &l, &c, "valid");
	/* Its place: after revoked, before host_mismatch and the rest. */
	c.state = &guard_state;
	guard_state.revocation_sequence = 3;
	use_list(&c, 2, "2027-06-01", e, 1);
	l.host_bound = true;
	lic_issue(&l);
	c.today = day("2028-01-01");
	report_is(&t, "severity", &l, &c, "revoked problems=revoked,"
	    "revocations_outdated,host_mismatch,expired");
	tally_done(&t, "revocations outdated");
	/* The state learns nothing from such a check. */
	kept = guard_state;
	assert_false(lkey_state_update(&guard_state, &c,
	    LKEY_REVOCATIONS_OUTDATED));
	assert_memory_equal(&kept, &guard_state, sizeof(kept));
}

static void
test_list_is_old(void **state)
{
	lkey_state s = state_of(1, 0, 0);
	lkey_revocations *rl = &list;

	(void)state;
	memset(rl, 0, sizeof(*rl));
	rl->sequence = 1;
	assert_false(lkey_state_list_is_old(&s, rl));
	s.revocation_sequence = 5;
	rl->sequence = 4;
	assert_true(lkey_state_list_is_old(&s, rl));
	rl->sequence = 1;
	assert_true(lkey_state_list_is_old(&s, rl));
	rl->sequence = 5;
	assert_false(lkey_state_list_is_old(&s, rl));
	rl->sequence = 6;
	assert_false(lkey_state_list_is_old(&s, rl));
	s.revocation_sequence = UINT32_MAX;
	rl->sequence = UINT32_MAX - 1U;
	assert_true(lkey_state_list_is_old(&s, rl));
	rl->sequence = UINT32_MAX;
	assert_false(lkey_state_list_is_old(&s, rl));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_init),
		cmocka_unit_test(test_state_round_trip),
		cmocka_unit_test(test_state_days),
		cmocka_unit_test(test_state_v1),
		cmocka_unit_test(test_state_text_shape),
		cmocka_unit_test(test_state_format_small_cap),
		cmocka_unit_test(test_state_every_byte),
		cmocka_unit_test(test_state_lengths),
		cmocka_unit_test(test_state_foreign),
		cmocka_unit_test(test_state_not_state),
		cmocka_unit_test(test_state_update),
		cmocka_unit_test(test_scenario_far_ahead_once),
		cmocka_unit_test(test_scenario_set_back),
		cmocka_unit_test(test_scenario_v1),
		cmocka_unit_test(test_no_guard_any_day),
		cmocka_unit_test(test_guard_last_seen),
		cmocka_unit_test(test_guard_build_day),
		cmocka_unit_test(test_guard_issued),
		cmocka_unit_test(test_guard_list_day),
		cmocka_unit_test(test_guard_latest_floor),
		cmocka_unit_test(test_guard_severity),
		cmocka_unit_test(test_guard_perpetual_grace),
		cmocka_unit_test(test_guard_perpetual_message),
		cmocka_unit_test(test_host_id),
		cmocka_unit_test(test_host_binding),
		cmocka_unit_test(test_list_decode),
		cmocka_unit_test(test_list_revokes),
		cmocka_unit_test(test_list_other_vendor),
		cmocka_unit_test(test_list_tamper),
		cmocka_unit_test(test_list_content),
		cmocka_unit_test(test_list_kind),
		cmocka_unit_test(test_list_bounds),
		cmocka_unit_test(test_list_whitespace),
		cmocka_unit_test(test_list_outdated),
		cmocka_unit_test(test_list_is_old),
	};

	return cmocka_run_group_tests_name("guard", tests, setup, NULL);
}
