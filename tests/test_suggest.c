/*
 * test_suggest.c - typo location: lkey_suggest (verify/lib/suggest.c) and
 * what lkey-verify makes of it (verify/cli/typo.c)
 *
 * In process: real keys, signed by a vendor key made from a fixed seed
 * (the terms from fixture.c's lic_make), each changed the way a person
 * mistypes: one character replaced by a look-alike (O for 0, l for I), one
 * left out, one too many, two neighbours swapped. lkey_suggest must name
 * the change (its kind, where it is in the text as given, what was typed,
 * what the key has) and give back exactly the original key. It must say
 * nothing (false, output zeroed) for two changes, for a key that is valid
 * already, and for a key of a vendor key the ring does not hold.
 *
 * As programs: lkey-verify with the demo key on a mistyped key keeps its
 * verdict (bad_signature, exit 12; malformed, exit 10, for a character
 * left out) and adds the "suggestion" object to --json and two lines to
 * the screen; "suggestion" is null where nothing was found, and absent
 * where lkey-verify does not look.
 *
 * Speed is not tested here: make bench measures it (docs/PERFORMANCE.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "golden.h"
#include "lkey.h"
#include "lkey_vendor.h"
#include "proc.h"
#include "vendorkey.h"

#define TEXT_CAP 2048U

/* The vendor key that signs, and another one. */
static lkey_vendor_key vendor, stranger;

/*
 * A key signed by `key` for the terms of lic_make(spec), with a licensee
 * if not NULL (a longer key: 160 characters for 29 bytes of name).
 */
static void
make_key(const lkey_vendor_key *key, const char *spec, const char *licensee,
    char *text, size_t cap)
{
	lkey_license t = lic_make(spec);

	if (licensee != NULL) {
		t.licensee_len = strlen(licensee);
		memcpy(t.licensee, licensee, t.licensee_len + 1U);
	}
	assert_int_equal(lkey_issue(key, &t, text, cap), LKEY_ISSUE_OK);
}

/* The first position at or after `from` whose character is one of set. */
static size_t
find_one_of(const char *key, size_t from, const char *set)
{
	size_t i;

	for (i = from; key[i] != '\0'; i++)
		if (strchr(set, key[i]) != NULL)
			return i;
	fail_msg("no character of \"%s\" in %s after %zu", set, key, from);
	return 0;
}

/* The look-alike a person types for c: O for 0, l for I, and back. */
static char
look_alike(char c)
{
	switch (c) {
	case '0': return 'O';
	case 'O': return '0';
	case 'l': return 'I';
	case 'I': return 'l';
	default: fail_msg("no look-alike for '%c'", c);
	}
	return c;
}

/* Runs lkey_suggest on text and checks all it gives. */
static void
suggests(const char *text, const lkey_vendor_key *ring, size_t nring,
    lkey_typo kind, size_t offset, const char *typed, const char *expected,
    const char *key)
{
	lkey_pubkey keys[2];
	lkey_suggestion s;
	lkey_license lic;
	size_t i;

	for (i = 0; i < nring; i++)
		keys[i] = ring[i].pub;
	assert_true(lkey_suggest(text, strlen(text), keys, nring, &s));
	assert_int_equal(s.kind, kind);
	assert_int_equal(s.offset, offset);
	assert_string_equal(s.typed, typed);
	assert_string_equal(s.expected, expected);
	assert_string_equal(s.key, key);
	assert_int_equal(s.key_len, strlen(key));
	/* And the key the text was made from decodes; the text does not. */
	assert_int_equal(lkey_decode(s.key, s.key_len, keys, nring, &lic,
	    NULL), LKEY_OK);
	assert_int_not_equal(lkey_decode(text, strlen(text), keys, nring, &lic,
	    NULL), LKEY_OK);
}

/* lkey_suggest finds nothing, and leaves its output zeroed. */
static void
suggests_nothing(const char *text, size_t len, const lkey_pubkey *keys,
    size_t nkeys)
{
	static const lkey_suggestion zero;
	lkey_suggestion s;

	memset(&s, 0x5a, sizeof(s));
	assert_false(lkey_suggest(text, len, keys, nkeys, &s));
	assert_memory_equal(&s, &zero, sizeof(s));
}

static void
test_look_alikes(void **state)
{
	char key[TEXT_CAP], typo[TEXT_CAP], was[2] = "", is[2] = "";
	size_t i;

	(void)state;
	make_key(&vendor, "serial=1001", NULL, key, sizeof(key));
	/* 0 typed as O, or the other way; then l and I. */
	i = find_one_of(key, 0, "0O");
	memcpy(typo, key, strlen(key) + 1U);
	typo[i] = look_alike(key[i]);
	was[0] = typo[i];
	is[0] = key[i];
	suggests(typo, &vendor, 1, LKEY_TYPO_SUBSTITUTED, i, was, is, key);

	i = find_one_of(key, 0, "lI");
	memcpy(typo, key, strlen(key) + 1U);
	typo[i] = look_alike(key[i]);
	was[0] = typo[i];
	is[0] = key[i];
	suggests(typo, &vendor, 1, LKEY_TYPO_SUBSTITUTED, i, was, is, key);
}

/* The last character: its unused bits, or the padding, are what change. */
static void
test_last_character(void **state)
{
	char key[TEXT_CAP], typo[TEXT_CAP], was[2] = "", is[2] = "";
	size_t n;

	(void)state;
	make_key(&vendor, "serial=1002", NULL, key, sizeof(key));
	n = strlen(key);
	memcpy(typo, key, n + 1U);
	/* 89 bytes: the last group is "xxx=". */
	assert_int_equal(key[n - 1U], '=');
	typo[n - 2U] = key[n - 2U] == 'B' ? 'C' : 'B';
	was[0] = typo[n - 2U];
	is[0] = key[n - 2U];
	suggests(typo, &vendor, 1, LKEY_TYPO_SUBSTITUTED, n - 2U, was, is,
	    key);
}

static void
test_missing(void **state)
{
	char key[TEXT_CAP], typo[TEXT_CAP], is[2] = "";
	size_t i, n;

	(void)state;
	make_key(&vendor, "serial=1003", NULL, key, sizeof(key));
	n = strlen(key);
	/* A character in the signature, not one of a run. */
	for (i = 70; key[i - 1U] == key[i]; i++)
		;
	memcpy(typo, key, i);
	memcpy(typo + i, key + i + 1U, n - i);
	is[0] = key[i];
	suggests(typo, &vendor, 1, LKEY_TYPO_DELETED, i, "", is, key);
}

static void
test_extra(void **state)
{
	char key[TEXT_CAP], typo[TEXT_CAP], was[2] = "";
	size_t i = 40, n;

	(void)state;
	make_key(&vendor, "serial=1004", NULL, key, sizeof(key));
	n = strlen(key);
	memcpy(typo, key, i);
	/* Neither neighbour: a character that is not one of a run. */
	typo[i] = '+';
	if (key[i - 1U] == '+' || key[i] == '+')
		typo[i] = key[i - 1U] == '/' || key[i] == '/' ? 'Q' : '/';
	memcpy(typo + i + 1U, key + i, n - i + 1U);
	was[0] = typo[i];
	suggests(typo, &vendor, 1, LKEY_TYPO_INSERTED, i, was, "", key);
}

/*
 * A character left out of a run of equal ones (the zero bytes of the
 * payload are "AAAA"), and one too many in it: each is one text, whichever
 * of the run it is, and is named at the run's start.
 */
static void
test_runs(void **state)
{
	char key[TEXT_CAP], typo[TEXT_CAP];
	const char *run;
	size_t at, n;

	(void)state;
	make_key(&vendor, "serial=1005", NULL, key, sizeof(key));
	n = strlen(key);
	run = strstr(key, "AAA");
	assert_non_null(run);
	at = (size_t)(run - key);
	while (at > 0 && key[at - 1U] == 'A')
		at--;
	/* One A out, from the middle of the run. */
	memcpy(typo, key, at + 1U);
	memcpy(typo + at + 1U, key + at + 2U, n - at - 1U);
	suggests(typo, &vendor, 1, LKEY_TYPO_DELETED, at, "", "A", key);
	/* One A too many, in the middle of the run. */
	memcpy(typo, key, at + 1U);
	typo[at + 1U] = 'A';
	memcpy(typo + at + 2U, key + at + 1U, n - at);
	suggests(typo, &vendor, 1, LKEY_TYPO_INSERTED, at, "A", "", key);
}

static void
test_swapped(void **state)
{
	char key[TEXT_CAP], typo[TEXT_CAP], was[3] = "", is[3] = "";
	size_t i;

	(void)state;
	make_key(&vendor, "serial=1006", NULL, key, sizeof(key));
	for (i = 100; key[i] == key[i + 1U]; i++)
		;
	memcpy(typo, key, strlen(key) + 1U);
	typo[i] = key[i + 1U];
	typo[i + 1U] = key[i];
	memcpy(was, typo + i, 2);
	memcpy(is, key + i, 2);
	suggests(typo, &vendor, 1, LKEY_TYPO_SWAPPED, i, was, is, key);
}

/*
 * The offset counts characters of the text as given: leading blanks and
 * line breaks (a key wrapped in an e-mail) are counted, and the corrected
 * key is the canonical one line. A 160-character key with a name.
 */
static void
test_offset_as_given(void **state)
{
	char key[TEXT_CAP], text[TEXT_CAP], was[2] = "", is[2] = "";
	const char *lead = "  \r\n", *mid = "\r\n";
	size_t i, n, at;

	(void)state;
	make_key(&vendor, "serial=1007", "Customer 00001 of Ex",
	    key, sizeof(key));
	n = strlen(key);
	assert_int_equal(n, 160);
	/* A look-alike after the line break, in the signature. */
	i = find_one_of(key, 110, "0OlI");
	bprintf(text, sizeof(text), "%s%.64s%s%.64s%s%s\n", lead, key, mid,
	    key + 64, mid, key + 128);
	at = strlen(lead) + i + strlen(mid) * (i / 64U);
	assert_int_equal(text[at], key[i]);
	text[at] = look_alike(key[i]);
	was[0] = text[at];
	is[0] = key[i];
	suggests(text, &vendor, 1, LKEY_TYPO_SUBSTITUTED, at, was, is, key);
}

/* Two mistakes: no one change verifies, and nothing is said. */
static void
test_two_errors(void **state)
{
	char key[TEXT_CAP];

	(void)state;
	make_key(&vendor, "serial=1008", NULL, key, sizeof(key));
	key[60] = key[60] == 'A' ? 'B' : 'A';
	key[100] = key[100] == 'A' ? 'B' : 'A';
	suggests_nothing(key, strlen(key), &vendor.pub, 1);
}

/*
 * lkey_suggest is for keys that fail: one that decodes has nothing to
 * correct (and its neighbours do not verify).
 */
static void
test_valid_key(void **state)
{
	char key[TEXT_CAP];

	(void)state;
	make_key(&vendor, "serial=1009", NULL, key, sizeof(key));
	suggests_nothing(key, strlen(key), &vendor.pub, 1);
}

/*
 * A key of a vendor key that the ring does not hold is no typo, mistyped
 * or not; with that key in the ring as well, the typo is found.
 */
static void
test_other_vendor(void **state)
{
	lkey_vendor_key both[2];
	char key[TEXT_CAP], typo[TEXT_CAP], was[2] = "", is[2] = "";
	size_t i;

	(void)state;
	make_key(&stranger, "serial=1010", NULL, key, sizeof(key));
	suggests_nothing(key, strlen(key), &vendor.pub, 1);
	i = find_one_of(key, 20, "0OlI");
	memcpy(typo, key, strlen(key) + 1U);
	typo[i] = look_alike(key[i]);
	suggests_nothing(typo, strlen(typo), &vendor.pub, 1);
	both[0] = vendor;
	both[1] = stranger;
	was[0] = typo[i];
	is[0] = key[i];
	suggests(typo, both, 2, LKEY_TYPO_SUBSTITUTED, i, was, is, key);
}

/*
 * Texts no single change can make a key of: two characters short, a
 * character that is not ASCII (lkey_key_find's concern), nothing, too
 * much, no ring.
 */
static void
test_hopeless(void **state)
{
	static char big[LKEY_TEXT_MAX + 2U];
	char key[TEXT_CAP], text[TEXT_CAP];
	size_t n;

	(void)state;
	make_key(&vendor, "serial=1011", NULL, key, sizeof(key));
	n = strlen(key);
	suggests_nothing(key, n - 2U, &vendor.pub, 1);
	bprintf(text, sizeof(text), "%.50s\xc2\xa0%s", key, key + 50);
	suggests_nothing(text, strlen(text), &vendor.pub, 1);
	suggests_nothing("", 0, &vendor.pub, 1);
	suggests_nothing(" \n", 2, &vendor.pub, 1);
	suggests_nothing(NULL, 0, &vendor.pub, 1);
	memset(big, 'A', sizeof(big) - 1U);
	suggests_nothing(big, sizeof(big) - 1U, &vendor.pub, 1);
	suggests_nothing(key, n - 1U, NULL, 0);
}

/* ---- lkey-verify -------------------------------------------------------- */

#define VS "lkey-verify --pubkey " DEMO_PUB " --product 1 --today 2027-06-15 "

static const struct golden verify_cases[] = {
	{ "one look-alike, --json", VS "--json $TYPO", 12,
	  { "verdict=bad_signature", "suggestion.offset=$AT",
	    "suggestion.typed='$TYPED'", "suggestion.expected='$EXPECTED'",
	    "suggestion.key='$KEY'", "serial=null" } },
	{ "one look-alike, screen", VS "$TYPO", 12,
	  { "verdict=bad_signature", "out~\nLikely typo:  character $AT1 is "
	    "probably '$EXPECTED', not '$TYPED'\n",
	    "out~\nCorrected:    $KEY\n", "out!~Serial:" } },
	{ "one look-alike, from a file with line breaks",
	  VS "--json --key-file $WRAPPED", 12,
	  { "verdict=bad_signature", "suggestion.offset=$WAT",
	    "suggestion.key='$KEY'" } },
	{ "a character left out: malformed, and found", VS "--json $MISSING",
	  10, { "verdict=malformed", "suggestion.offset=$MAT",
	    "suggestion.typed=''", "suggestion.expected='$MEXPECTED'",
	    "suggestion.key='$KEY'" } },
	{ "a character left out, screen", VS "$MISSING", 10,
	  { "verdict=malformed", "out~\nLikely typo:  a character is "
	    "probably missing at character $MAT1: '$MEXPECTED'\n" } },
	{ "two mistakes: null", VS "--json $TWO", 12,
	  { "verdict=bad_signature", "suggestion=null" } },
	{ "two mistakes, screen: no line", VS "$TWO", 12,
	  { "verdict=bad_signature", "out!~Likely typo", "out!~Corrected" } },
	{ "a stray character: not looked for", VS "--json $JUNK", 10,
	  { "verdict=malformed", "!suggestion" } },
	{ "valid: not looked for", VS "--json $KEY", 0,
	  { "verdict=valid", "!suggestion" } },
};

static void
test_verify(void **state)
{
	const struct fx *fx = *state;
	char key[KEYCAP], typo[KEYCAP], missing[KEYCAP], two[KEYCAP];
	char junk[KEYCAP], wrapped[2 * KEYCAP], wpath[PATHCAP];
	char at[16], at1[16], wat[16], mat[16], mat1[16];
	char typed[2] = "", expected[2] = "", mexpected[2] = "";
	const struct var vars[] = { { "KEY", key }, { "TYPO", typo },
	    { "AT", at }, { "AT1", at1 }, { "TYPED", typed },
	    { "EXPECTED", expected }, { "WRAPPED", wpath }, { "WAT", wat },
	    { "MISSING", missing }, { "MAT", mat }, { "MAT1", mat1 },
	    { "MEXPECTED", mexpected }, { "TWO", two }, { "JUNK", junk },
	    { NULL, NULL } };
	size_t i, m, n;

	issue(fx, NULL, key, sizeof(key), "--secret", DEMO_SEC, "--product",
	    "1", "--edition", "2", "--seats", "10", "--starts", "2027-01-01",
	    "--expires", "2027-12-31", "--maintenance", "2027-12-31",
	    "--serial", "4242", "--licensee", "Customer 00001 of Example Ltd",
	    NULL);
	n = strlen(key);
	i = find_one_of(key, 30, "lI0O");
	memcpy(typo, key, n + 1U);
	typo[i] = look_alike(key[i]);
	typed[0] = typo[i];
	expected[0] = key[i];
	bprintf(at, sizeof(at), "%zu", i);
	bprintf(at1, sizeof(at1), "%zu", i + 1U);
	/* The same typo in a file: two lines of 80, the key's indented. */
	bprintf(wrapped, sizeof(wrapped), "    %.80s\n    %s\n", typo,
	    typo + 80);
	path_in(fx, "wrapped.key", wpath, sizeof(wpath));
	write_file(wpath, wrapped, strlen(wrapped));
	bprintf(wat, sizeof(wat), "%zu", 4U + i + (i >= 80U ? 5U : 0U));
	/* A character of the signature left out. */
	for (m = 120; key[m - 1U] == key[m]; m++)
		;
	memcpy(missing, key, m);
	memcpy(missing + m, key + m + 1U, n - m);
	mexpected[0] = key[m];
	bprintf(mat, sizeof(mat), "%zu", m);
	bprintf(mat1, sizeof(mat1), "%zu", m + 1U);
	memcpy(two, typo, n + 1U);
	two[140] = two[140] == 'A' ? 'B' : 'A';
	memcpy(junk, key, n + 1U);
	junk[30] = '-';
	GOLDEN_TABLE(fx, verify_cases, vars);
}

static int
setup(void **state)
{
	if (lkey_init() != 0)
		return -1;
	vendor_key(1, &vendor);
	vendor_key(2, &stranger);
	return proc_setup(state);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_look_alikes),
		cmocka_unit_test(test_last_character),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_extra),
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_swapped),
		cmocka_unit_test(test_offset_as_given),
		cmocka_unit_test(test_two_errors),
		cmocka_unit_test(test_valid_key),
		cmocka_unit_test(test_other_vendor),
		cmocka_unit_test(test_hopeless),
		cmocka_unit_test(test_verify),
	};

	return cmocka_run_group_tests_name("suggest", tests, setup,
	    proc_teardown);
}
