/*
 * fixture.h - the licence, context and report of the library tests,
 * written as short specs so that a table row reads like the case it is:
 *
 *	lkey_license l = lic_make("grace=7 features=0x3");
 *	lkey_context c = ctx_make("today=2027-03-07 users=26 "
 *	    "over_since=2027-03-01");
 *	report_is(&t, "last day of grace", &l, &c, "valid "
 *	    "warnings=seats_grace grace_days_left=1 grace_ends=2027-03-07");
 *
 * A spec is words "name=value" separated by spaces; an unknown name or a
 * value that does not parse fails the test, so a typo cannot turn a case
 * into one that checks nothing. Values: days "YYYY-MM-DD" or "never",
 * numbers in decimal or 0x hex, "unlimited" for seats and days left,
 * 0/1 for flags; module arrays as module_seats[N]=value.
 *
 * Test code only: a failure ends the running cmocka test.
 */
#ifndef LKEY_TEST_FIXTURE_H
#define LKEY_TEST_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "lkey.h"
#include "proc.h"

/* A day "YYYY-MM-DD", or "never" (LKEY_NEVER); else the test fails. */
lkey_day day(const char *ymd);

/*
 * The vendor keys that sign the tests' licences, from fixed seeds: key A
 * (seed bytes 0x40 + i), which signs by default, and key B (0xc0 ^ 7i).
 */
#define FIXTURE_KEY_A 0
#define FIXTURE_KEY_B 1
void fixture_key(int which, uint8_t sk[64], lkey_pubkey *pub);

/*
 * The licence the library tests start from, as lkey_decode gives it from a
 * real key signed by key A: product 1, edition 2, 25 seats, 2027-01-01 to
 * 2027-12-31, maintenance to 2027-06-30, serial 7; no features, grace or
 * notice period, issued on day 0 (so that no issue day is a floor of the
 * clock guard; extension 0x06 holds it). Then the fields spec names:
 * version key_id product edition seats starts expires maintenance serial
 * features issued grace notice trial module_seats[N] maintenance_features.
 * Terms that no key can hold fail the test. version=0 gives what a refused
 * lkey_decode leaves: all zero.
 */
lkey_license lic_make(const char *spec);

/*
 * A licence changed by hand, made a real one: its terms encoded as
 * docs/FORMAT.md says (independently of the library), signed by the
 * fixture key whose id is l->key_id, and decoded again by lkey_decode into
 * *l. lkey_check takes only what lkey_decode made (the seal), so a test
 * that edits a licence calls this before checking it.
 */
void lic_issue(lkey_license *l);

/*
 * Product 1 on 2027-03-01, nothing else; then spec: product today
 * release users admin over_since maintenance_features module_users[N]
 * has_host build_day. release, users and over_since set their has_ flag
 * too, module_users[N] its bit of module_users_set.
 */
lkey_context ctx_make(const char *spec);

/*
 * Runs lkey_check and checks the report against want as a new case of t:
 * the first word is the verdict (a status name: valid, expired, ...), then
 * report fields: remaining license_days_left maintenance_days_left
 * maintenance_active starts_in_days grace_ends grace_days_left
 * features_available warnings clock_behind module_remaining[N],
 * clock_anchor and addons_off (as numbers), nproblems and problems.
 * warnings is a comma list of warning names or "none"; problems lists
 * every problem in order, "status" or "status@module" (or "none"). Fields
 * not named are not checked. Each difference is listed; returns whether
 * there was none.
 */
bool report_is(struct tally *t, const char *what, const lkey_license *l,
    const lkey_context *c, const char *want);

/*
 * Revocation lists built here from docs/FORMAT.md, independently of the
 * library: so that a mistake in its layout cannot hide behind the same
 * mistake in the test.
 */
#define LIST_HEAD 16U
#define LIST_SIG 64U
/* Bytes of a signed list of n entries. */
#define LIST_BYTES(n) (LIST_HEAD + 8U * (n) + LIST_SIG)

/* The tag a list's signature covers first (16 bytes, NUL included). */
extern const char list_tag[16];

/* A (key id, serial) pair of a list. */
struct entry {
	uint32_t key_id;
	uint32_t serial;
};

/*
 * The unsigned list into out (LIST_BYTES(n) bytes): "LKR", version 1,
 * key id, sequence, day made, the count field as given (it may lie),
 * then the n entries in the order given. Returns its length.
 */
size_t list_body(uint8_t *out, uint32_t key_id, uint32_t sequence,
    uint32_t made, uint32_t count, const struct entry *e, size_t n);

/* Appends the Ed25519 signature with sk over tag || out[0..len);
 * returns the new length. */
size_t list_sign(uint8_t *out, size_t len, const uint8_t sk[64],
    const char tag[16]);

/* A comment line, then the padded standard base64 of the len bytes and
 * a newline, into out; returns the text's length. */
size_t list_text(const uint8_t *b, size_t len, char *out, size_t cap);

#endif
