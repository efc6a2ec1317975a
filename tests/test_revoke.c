/*
 * test_revoke.c - the vendor's side of revocation lists and node-locked
 * keys, end to end: `lkey-keygen revoke` checked by `lkey-verify
 * --revocations` and by an independent build of the same list with
 * libsodium alone; its refusals (bad serials, duplicates, sequence, a
 * serial the ledger never saw), always before the passphrase is asked for;
 * the ledger's books (the next sequence, one at or below the last or far
 * above it refused, lists that hold every licence revoked so far or
 * --only those given, `ledger --revoked` and `--list`, a list recorded
 * but not printed); lists of a foreign key and tampered lists refused by
 * the verifier; the largest list; `issue --host`, the batch host column
 * and the ledger's host; lkey_revocations_issue itself.
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

#include <cmocka.h>
#include <sodium.h>

#include "codec.h"
#include "fixture.h"
#include "golden.h"
#include "keyfile.h"
#include "lkey.h"
#include "lkey_vendor.h"
#include "proc.h"
#include "support.h"

#define DEMO_ID "277e0164"
#define OTHER_ID "aaaaaaaa"
#define HOST "0123456789abcdef"
#define HOST2 "fedcba9876543210"
/* HOST as a customer may send it: the same id. */
#define HOST_UPPER "0123456789ABCDEF"
#define HOST_MIXED "0123456789AbCdEf"
#define TODAY "2027-06-15"
#define MADE "2026-01-01"
#define LIST_BIN_CAP (16U + 8U * 16U + 64U)
#define HEAD4 "# lkey revocation list 4 of key id " DEMO_ID ", made " MADE \
	": 2 licences\n"

/* ---- helpers ------------------------------------------------------------ */

/* lkey-keygen revoke with the arguments that follow r (NULL-terminated). */
static void
revoke(const struct fx *fx, const char *passphrase, struct result *r, ...)
{
	static const char *const prefix[] = { "lkey-keygen", "revoke", NULL };
	const char *argv[ARGMAX + 1U];
	va_list ap;

	va_start(ap, r);
	prefix_args(prefix, ap, argv);
	va_end(ap);
	run_env(fx, argv, passphrase, NULL, 0, r);
}

/* A run that must succeed and print a list: written to fx->dir/name. */
static void
expect_list(const struct fx *fx, const char *what, const struct result *r,
    const char *name, char *path)
{
	if (r->code != 0 || r->errlen != 0 || r->outlen == 0 || r->out_trunc) {
		show(what, r);
		fail_msg("%s: lkey-keygen revoke failed", what);
	}
	path_in(fx, name, path, PATHCAP);
	write_file(path, r->out, r->outlen);
}

/* A key of product 1 signed by the demo key, with this serial. */
static void
demo_key(const struct fx *fx, const char *serial, char *key, size_t cap)
{
	issue(fx, NULL, key, cap, "--secret", DEMO_SEC, "--product", "1",
	    "--edition", "1", "--seats", "5", "--starts", "2026-01-01",
	    "--expires", "never", "--maintenance", "never", "--serial", serial,
	    NULL);
}

/* lkey-verify of key against the list at `list`, with the ring given. */
static void
check(const struct fx *fx, const char *pub2, const char *list,
    const char *key, struct result *r)
{
	if (pub2 == NULL)
		verify(fx, NULL, 0, r, "--pubkey", DEMO_PUB, "--product", "1",
		    "--today", TODAY, "--revocations", list, key, NULL);
	else
		verify(fx, NULL, 0, r, "--pubkey", DEMO_PUB, "--pubkey", pub2,
		    "--product", "1", "--today", TODAY, "--revocations", list,
		    key, NULL);
}

static void
expect_code(const char *what, const struct result *r, int code)
{
	if (r->code != code) {
		show(what, r);
		fail_msg("%s: exit %d, expected %d", what, r->code, code);
	}
}

/* Decodes the list file at path against the keys; must succeed. */
static void
decode_file(const char *path, const lkey_pubkey *keys, size_t nkeys,
    lkey_revocations *out)
{
	static char text[LKEY_REVOCATIONS_TEXT_MAX + 1U];
	size_t n = read_file(path, text, sizeof(text));

	assert_int_equal(lkey_revocations_decode(text, n, keys, nkeys, out,
	    NULL), LKEY_OK);
}

/* The base64 line of a list's text (its second line) into out. */
static void
b64_line(const char *text, char *out, size_t cap)
{
	const char *p = strchr(text, '\n'), *e;

	assert_non_null(p);
	p++;
	e = strchr(p, '\n');
	assert_non_null(e);
	assert_string_equal(e, "\n");
	assert_true((size_t)(e - p) < cap);
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = '\0';
}

/* Runs "sh -c SCRIPT ARGS..." for a redirection (stdout beyond OUTCAP). */
static void
shell(struct result *r, const char *const argv[])
{
	run_tool(argv, NULL, NULL, 0, r);
}

/* ---- revoke and verify -------------------------------------------------- */

/*
 * A list revokes exactly its licences; its text is a comment line and one
 * line of base64, byte for byte what an independent build of the format
 * (libsodium alone, docs/FORMAT.md) gives; the same input gives the same
 * list.
 */
static void
test_revoke_and_verify(void **state)
{
	const struct fx *fx = *state;
	char list[PATHCAP], k1001[KEYCAP], k1002[KEYCAP], k1003[KEYCAP];
	char line[1024], want[1024], first[OUTCAP + 1U];
	uint8_t b[LIST_BYTES(2)];
	lkey_vendor_key *vk;
	lkey_revocations rl;
	struct result r;
	size_t len;
	char err[256];

	demo_key(fx, "1001", k1001, sizeof(k1001));
	demo_key(fx, "1002", k1002, sizeof(k1002));
	demo_key(fx, "1003", k1003, sizeof(k1003));
	revoke(fx, NULL, &r, "--secret", DEMO_SEC, "--serials", "1002,1001",
	    "--sequence", "4", "--issued", MADE, "--no-ledger", NULL);
	expect_list(fx, "revoke 1002,1001", &r, "a.lkr", list);
	assert_true(strncmp(r.out, HEAD4, strlen(HEAD4)) == 0);
	memcpy(first, r.out, r.outlen + 1U);

	check(fx, NULL, list, k1001, &r);
	expect_code("1001 listed", &r, 20);
	assert_non_null(strstr(r.err, "revoked"));
	check(fx, NULL, list, k1002, &r);
	expect_code("1002 listed", &r, 20);
	check(fx, NULL, list, k1003, &r);
	expect_code("1003 not listed", &r, 0);

	/* The library reads what the program wrote. */
	{
		lkey_pubkey pub;

		load_pub(DEMO_PUB, &pub);
		decode_file(list, &pub, 1, &rl);
		assert_int_equal(rl.key_id, pub.id);
		assert_int_equal(rl.sequence, 4);
		assert_int_equal(rl.issued, day(MADE));
		assert_int_equal(rl.count, 2);
		assert_true(lkey_revocations_contains(&rl, pub.id, 1001));
		assert_true(lkey_revocations_contains(&rl, pub.id, 1002));
		assert_false(lkey_revocations_contains(&rl, pub.id, 1003));
	}

	/* An independent build (fixture.c): the format, the tag, the order,
	 * the signature (Ed25519 is deterministic). */
	vk = sodium_malloc(sizeof(*vk));
	assert_non_null(vk);
	assert_int_equal(keyfile_load_secret(DEMO_SEC, vk, err, sizeof(err)),
	    0);
	{
		const struct entry e[2] = { { vk->pub.id, 1001 },
		    { vk->pub.id, 1002 } };

		len = list_body(b, vk->pub.id, 4, day(MADE), 2, e, 2);
		len = list_sign(b, len, vk->sk, list_tag);
	}
	sodium_free(vk);
	sodium_bin2base64(want, sizeof(want), b, len,
	    sodium_base64_VARIANT_ORIGINAL);
	b64_line(first, line, sizeof(line));
	assert_string_equal(line, want);

	/* Again: the very same text. */
	revoke(fx, NULL, &r, "--secret", DEMO_SEC, "--serials", "1001,1002",
	    "--sequence", "4", "--issued", MADE, "--no-ledger", NULL);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.out, first);
}

static const struct golden revoke_help[] = {
	{ "revoke --help", "lkey-keygen revoke --help", 0,
	  { "out~usage: lkey-keygen revoke --secret FILE [--serials LIST] "
	    "[--sequence N]", "out~[--only]" } },
	{ "--help", "lkey-keygen --help", 0,
	  { "out~lkey-keygen revoke", "out~[--host HOSTID]" } },
};

/* --issued defaults to today (UTC); one licence is "1 licence"; none. */
static void
test_defaults_and_none(void **state)
{
	const struct fx *fx = *state;
	char want[128], today[11], list[PATHCAP], k[KEYCAP];
	lkey_day before, after;
	struct result r;

	before = lkey_day_from_unix((int64_t)time(NULL));
	revoke(fx, NULL, &r, "--secret", DEMO_SEC, "--serials", "7",
	    "--sequence", "1", "--no-ledger", NULL);
	after = lkey_day_from_unix((int64_t)time(NULL));
	expect_list(fx, "revoke 7", &r, "d.lkr", list);
	lkey_day_format(before, today);
	bprintf(want, sizeof(want), "# lkey revocation list 1 of key id "
	    DEMO_ID ", made %s: 1 licence\n", today);
	if (strncmp(r.out, want, strlen(want)) != 0) {
		lkey_day_format(after, today);
		bprintf(want, sizeof(want), "# lkey revocation list 1 of key "
		    "id " DEMO_ID ", made %s: 1 licence\n", today);
		assert_memory_equal(r.out, want, strlen(want));
	}

	/* "none": a list that revokes nothing, which a verifier takes. */
	revoke(fx, NULL, &r, "--secret", DEMO_SEC, "--serials", "none",
	    "--sequence", "4294967295", "--issued", MADE, "--no-ledger", NULL);
	expect_list(fx, "revoke none", &r, "none.lkr", list);
	assert_non_null(strstr(r.out, "list 4294967295 of key id " DEMO_ID
	    ", made " MADE ": 0 licences\n"));
	demo_key(fx, "7", k, sizeof(k));
	check(fx, NULL, list, k, &r);
	expect_code("empty list", &r, 0);

	/* Help: the command's own usage, exit 0. */
	GOLDEN_TABLE(fx, revoke_help, NULL);
}

/*
 * KEYID:SERIAL revokes licences of another key of the vendor: after a
 * rotation, a list signed by the new key revokes a licence of the old one.
 */
static void
test_keyid_form(void **state)
{
	const struct fx *fx = *state;
	char sec[PATHCAP], pub[PATHCAP], list[PATHCAP], k1001[KEYCAP];
	char k1002[KEYCAP];
	lkey_pubkey ring[2];
	lkey_revocations rl;
	struct result r;

	demo_key(fx, "1001", k1001, sizeof(k1001));
	demo_key(fx, "1002", k1002, sizeof(k1002));
	init_plain(fx, "rotated", sec, pub);
	load_pub(DEMO_PUB, &ring[0]);
	load_pub(pub, &ring[1]);

	/* A key id in capitals (AAAAAAAA) is the same id. */
	revoke(fx, NULL, &r, "--secret", sec, "--serials", DEMO_ID ":1001,"
	    "AAAAAAAA:17,5", "--sequence", "9", "--issued", MADE, NULL);
	expect_list(fx, "revoke with key ids", &r, "rot.lkr", list);
	assert_non_null(strstr(r.out, ": 3 licences\n"));
	decode_file(list, ring, 2, &rl);
	assert_int_equal(rl.key_id, ring[1].id);
	assert_int_equal(rl.count, 3);
	assert_true(lkey_revocations_contains(&rl, ring[0].id, 1001));
	assert_true(lkey_revocations_contains(&rl, 0xaaaaaaaaU, 17));
	assert_true(lkey_revocations_contains(&rl, ring[1].id, 5));
	assert_false(lkey_revocations_contains(&rl, ring[1].id, 1001));
	assert_false(lkey_revocations_contains(&rl, ring[0].id, 5));

	/* The old key's licence is revoked by the new key's list. */
	check(fx, pub, list, k1001, &r);
	expect_code("old key's 1001 listed", &r, 20);
	check(fx, pub, list, k1002, &r);
	expect_code("old key's 1002 not listed", &r, 0);
}

/* ---- refusals ----------------------------------------------------------- */

/*
 * Usage errors (exit 2, nothing on stdout, one line naming the problem).
 * A secret key file that does not exist shows that they come before it is
 * read; duplicates across the two forms need the key id, read from the
 * file's header.
 */
#define RV "lkey-keygen revoke --secret no-such-dir/vendor.sec --serials "
#define SEQ1 " --sequence 1 --no-ledger"
#define BAD_SERIALS(serials, why) \
	{ serials, RV serials SEQ1, 2, { "usage~" why } }
#define RD "lkey-keygen revoke --secret " DEMO_SEC " "
#define ISSUE_HOST "lkey-keygen issue --secret " DEMO_SEC " --product 1 " \
	"--edition 1 --seats 5 --expires never --maintenance never " \
	"--no-ledger --host "

static const struct golden bad_input[] = {
	BAD_SERIALS("1001,1001", "serial 1001 is given twice"),
	BAD_SERIALS("5,1001,6,1001", "serial 1001 is given twice"),
	BAD_SERIALS(OTHER_ID ":5," OTHER_ID ":5", OTHER_ID ":5 is given twice"),
	BAD_SERIALS("$EMPTY", "--serials is empty"),
	BAD_SERIALS("1,,2", "empty item"),
	BAD_SERIALS("1,", "empty item"),
	BAD_SERIALS(",1", "empty item"),
	BAD_SERIALS("x", "'x' is not a serial"),
	BAD_SERIALS("1,-1", "'-1' is not a serial"),
	BAD_SERIALS("01", "'01' is not a serial"),
	BAD_SERIALS("4294967296", "'4294967296' is not a serial"),
	BAD_SERIALS("$SPACED", "'1 ' is not a serial"),
	BAD_SERIALS("aaaaaaa:1", "'aaaaaaa:1' is not a serial"),
	BAD_SERIALS("aaaaaaaa:", "'aaaaaaaa:' is not a serial"),
	BAD_SERIALS(":5", "':5' is not a serial"),
	BAD_SERIALS("aaaaaaaa:1:2", "is not a serial"),
	BAD_SERIALS("none,1", "'none' is not a serial"),
	BAD_SERIALS("1\x1b[2J", "'1\\x1b[2J' is not a serial"),
	{ "--sequence 0", RV "1 --sequence 0 --no-ledger", 2,
	  { "usage~--sequence: '0' is not a whole number from 1 to "
	    "4294967295" } },
	{ "--sequence 4294967296", RV "1 --sequence 4294967296 --no-ledger", 2,
	  { "usage~--sequence: '4294967296' is not a whole number" } },
	{ "--sequence 01", RV "1 --sequence 01 --no-ledger", 2,
	  { "usage~--sequence: '01' is not a whole number from 1 to 4294967295 "
	    "(without leading zeros)" } },
	{ "--sequence ''", RV "1 --sequence $EMPTY --no-ledger", 2,
	  { "usage~--sequence: '' is not a whole number" } },
	{ "--issued 2026-02-30", RV "1" SEQ1 " --issued 2026-02-30", 2,
	  { "usage~--issued: '2026-02-30' is not a real date" } },
	{ "--issued yesterday", RV "1" SEQ1 " --issued yesterday", 2,
	  { "usage~--issued: 'yesterday'" } },
	{ "--issued 2999-01-01", RV "1" SEQ1 " --issued 2999-01-01", 2,
	  { "usage~--issued: 2999-01-01 is after today" } },
	/* A plain serial and this key's id with it are one licence. */
	{ "1001 and its key id", RD "--serials 1001," DEMO_ID ":1001" SEQ1, 2,
	  { "usage~serial 1001 is given twice (also as " DEMO_ID ":1001" } },
	/* Missing and conflicting options. */
	{ "no --serials", RD "--sequence 1 --no-ledger", 2,
	  { "usage~revoke needs --serials" } },
	{ "no --sequence", RD "--serials 1 --no-ledger", 2,
	  { "usage~revoke needs --sequence" } },
	{ "no --secret", "lkey-keygen revoke --serials 1 --sequence 1", 2,
	  { "usage~revoke needs --secret" } },
	{ "both ledgers", RD "--serials 1" SEQ1 " --ledger x.jsonl", 2,
	  { "usage~not both" } },
	{ "positional", RD "--serials 1" SEQ1 " extra", 2,
	  { "usage~no arguments" } },
	{ "--sequence twice", RD "--serials 1 --sequence 1 --sequence 2 "
	  "--no-ledger", 2, { "usage~" } },
	/* A secret key file that is not there: exit 1. */
	{ "no secret key", RV "1" SEQ1, 1,
	  { "error~no-such-dir/vendor.sec" } },
	/* issue --host takes only a host id (any case: test_issue_host), and
	 * not the one of no host; the value refused is shown. */
	{ "--host with a g", ISSUE_HOST "0123456789ABCDEG", 2,
	  { "usage~--host: '0123456789ABCDEG' is not a host id: 16 hex "
	    "digits, as lkey-verify --host-id prints it" } },
	{ "--host of 15 digits", ISSUE_HOST "0123456789abcde", 2,
	  { "usage~--host: '0123456789abcde' is not a host id" } },
	{ "--host of 17 digits", ISSUE_HOST "0123456789abcdef0", 2,
	  { "usage~--host: '0123456789abcdef0' is not a host id" } },
	{ "--host 0x...", ISSUE_HOST "0x23456789abcdef", 2,
	  { "usage~--host: '0x23456789abcdef' is not a host id" } },
	{ "--host ''", ISSUE_HOST "$EMPTY", 2,
	  { "usage~--host: '' is not a host id" } },
	{ "--host of zeros", ISSUE_HOST "0000000000000000", 2,
	  { "usage~0000000000000000" } },
};

static void
test_bad_input(void **state)
{
	const struct var vars[] = { { "EMPTY", "" }, { "SPACED", "1 ,2" },
	    { NULL, NULL } };

	GOLDEN_TABLE(*state, bad_input, vars);
}

/* A run that prints a list: exit 0, nothing on stderr. */
#define LIST "err=", "out~# lkey revocation list "

/* Every serial of this key must be in the ledger, as issued with it. */
static const struct golden ledger_check[] = {
	{ "serials in the ledger", RD "--serials 1,2 --ledger $L", 0,
	  { LIST, "out~# lkey revocation list 1 of" } },
	{ "a typo'd serial", RD "--serials 1,1234,2 --ledger $L", 1,
	  { "error~serial 1234 was never issued (not in $L)", "err!~nor" } },
	{ "three typos", RD "--serials 1236,1,1234,1235 --ledger $L", 1,
	  { "error~serial 1234 was never issued",
	    "err~nor were 2 more of --serials" } },
	/* This key's id written out is checked the same way. */
	{ "own key id", RD "--serials " DEMO_ID ":1234 --ledger $L", 1,
	  { "error~serial 1234 was never issued" } },
	/* Another key's serial: refused as this key's, taken as its own. */
	{ "another key's serial", RD "--serials 77 --ledger $L", 1,
	  { "error~give $OID:77" } },
	{ "another key's serials", RD "--serials $OID:77,$OID:78,2 --ledger "
	  "$L", 0, { LIST, "out~# lkey revocation list 2 of" } },
	/* --no-ledger checks nothing; a --ledger that is not there is an
	 * error, and is not created. */
	{ "--no-ledger", RD "--serials 1234" SEQ1, 0, { LIST } },
	{ "missing --ledger", RD "--serials 1 --ledger $MISSING", 1,
	  { "error~missing.sqlite", "nofile:$MISSING" } },
};

static void
test_ledger_check(void **state)
{
	const struct fx *fx = *state;
	char ledger[PATHCAP], missing[PATHCAP], sec[PATHCAP], pub[PATHCAP];
	char oid[9], err[256];
	const struct var vars[] = { { "L", ledger }, { "MISSING", missing },
	    { "OID", oid }, { NULL, NULL } };
	const char *argv[] = { "lkey-keygen", "issue", "--secret", DEMO_SEC,
	    "--product", "1", "--edition", "1", "--seats", "5", "--expires",
	    "never", "--maintenance", "never", "--ledger", ledger, "--serial",
	    "auto", NULL };
	const char *other[] = { "lkey-keygen", "issue", "--secret", sec,
	    "--product", "1", "--edition", "1", "--seats", "5", "--expires",
	    "never", "--maintenance", "never", "--ledger", ledger, "--serial",
	    "77", NULL };
	struct result r;
	uint32_t id;

	path_in(fx, "check.sqlite", ledger, sizeof(ledger));
	path_in(fx, "missing.sqlite", missing, sizeof(missing));
	run(fx, argv, NULL, 0, &r);
	assert_int_equal(r.code, 0);
	run(fx, argv, NULL, 0, &r);
	assert_int_equal(r.code, 0);
	/* A key of another key pair (as after a rotation), serial 77. */
	init_plain(fx, "other", sec, pub);
	assert_int_equal(keyfile_key_id(sec, &id, err, sizeof(err)), 0);
	bprintf(oid, sizeof(oid), "%08x", (unsigned)id);
	run(fx, other, NULL, 0, &r);
	assert_int_equal(r.code, 0);
	GOLDEN_TABLE(fx, ledger_check, vars);
}

/* The ledger beside the key: checked when it is there, else nothing said. */
static const struct golden default_ledger[] = {
	{ "no ledger yet", "lkey-keygen revoke --secret $SEC --serials 5 "
	  "--sequence 1", 0, { LIST, "nofile:$DL" } },
	{ "a key issued", "lkey-keygen issue --secret $SEC --product 1 "
	  "--edition 1 --seats 5 --expires never --maintenance never", 0,
	  { "type:$DL=file" } },
	{ "issued serial", "lkey-keygen revoke --secret $SEC --serials 1 "
	  "--sequence 2", 0, { LIST } },
	{ "serial not in the default ledger", "lkey-keygen revoke --secret "
	  "$SEC --serials 1,5 --sequence 3", 1,
	  { "error~serial 5 was never issued (not in ",
	    "err~deflt/ledger.sqlite)" } },
	{ "--no-ledger", "lkey-keygen revoke --secret $SEC --serials 1,5 "
	  "--sequence 3 --no-ledger", 0, { LIST } },
};

/*
 * Every input is checked before the passphrase is asked for (the tests have
 * no terminal: a prompt fails at once); the key is used only with it.
 */
#define RE "lkey-keygen revoke --secret $ENC/vendor.sec --sequence 1 "

static const struct golden passphrase_last[] = {
	{ "init", "lkey-keygen init --out $ENC", 0,
	  { "+passphrase:correct horse" } },
	{ "issue", "lkey-keygen issue --secret $ENC/vendor.sec --product 1 "
	  "--edition 1 --seats 5 --expires never --maintenance never", 0,
	  { "+passphrase:correct horse" } },
	{ "duplicate, no passphrase", RE "--serials 1,1", 2,
	  { "usage~given twice" } },
	{ "typo, no passphrase", RE "--serials 1,2", 1,
	  { "error~serial 2 was never issued" } },
	{ "no passphrase, no terminal", RE "--serials 1", 1,
	  { "out=", "err~passphrase" } },
	{ "wrong passphrase", RE "--serials 1", 1,
	  { "+passphrase:wrong horse", "error~wrong passphrase" } },
	{ "with the passphrase", RE "--serials 1", 0,
	  { "+passphrase:correct horse", LIST } },
};

static void
test_ledgers_and_passphrase(void **state)
{
	const struct fx *fx = *state;
	char sec[PATHCAP], pub[PATHCAP], dl[PATHCAP], enc[PATHCAP];
	const struct var vars[] = { { "SEC", sec }, { "DL", dl },
	    { "ENC", enc }, { NULL, NULL } };

	init_plain(fx, "deflt", sec, pub);
	path_in(fx, "deflt/ledger.sqlite", dl, sizeof(dl));
	path_in(fx, "enc", enc, sizeof(enc));
	GOLDEN_TABLE(fx, default_ledger, vars);
	GOLDEN_TABLE(fx, passphrase_last, vars);
}

/* ---- the ledger keeps the books ----------------------------------------- */

/* The books: a key pair, its ledger beside it, four keys (serials 1-4). */
struct books {
	char sec[PATHCAP], pub[PATHCAP], ledger[PATHCAP];
	lkey_pubkey key;
	uint32_t id;
};

/* lkey-keygen revoke --secret SEC with the arguments that follow r. */
static void
revoke_books(const struct fx *fx, const struct books *b, struct result *r,
    ...)
{
	const char *const prefix[] = { "lkey-keygen", "revoke", "--secret",
	    b->sec, "--issued", MADE, NULL };
	va_list ap;

	va_start(ap, r);
	run_prefixed(fx, r, prefix, ap);
	va_end(ap);
}

/*
 * A list printed (exit 0, nothing on stderr) with sequence `seq` that
 * holds exactly the serials of this key in want[0..n).
 */
static void
expect_books_list(const char *what, const struct books *b,
    const struct result *r, uint32_t seq, const uint32_t *want, size_t n)
{
	lkey_revocations rl;
	size_t i;

	if (r->code != 0 || r->errlen != 0 || r->outlen == 0) {
		show(what, r);
		fail_msg("%s: lkey-keygen revoke failed", what);
	}
	if (lkey_revocations_decode(r->out, r->outlen, &b->key, 1, &rl,
	    NULL) != LKEY_OK)
		fail_msg("%s: the list does not decode", what);
	if (rl.sequence != seq || rl.count != n) {
		show(what, r);
		fail_msg("%s: list %u of %zu licences, expected list %u of %zu",
		    what, (unsigned)rl.sequence, rl.count, (unsigned)seq, n);
	}
	for (i = 0; i < n; i++)
		if (!lkey_revocations_contains(&rl, b->id, want[i]))
			fail_msg("%s: serial %u is not in the list", what,
			    (unsigned)want[i]);
}

/*
 * With a ledger: the sequence is the next one unless given; one at or
 * below the last, or far above it (the 4294967295 typo), is refused before
 * the passphrase; each list holds every licence revoked so far unless
 * --only; `ledger --revoked` and `ledger --list N` show what was recorded;
 * a list that cannot be printed is recorded, and said to be.
 */
static void
test_bookkeeping(void **state)
{
	const struct fx *fx = *state;
	static char list2[OUTCAP + 1U];
	static struct books b;
	char err[256], want[PATHCAP + 128U], bin[PATHCAP];
	const uint32_t s2[] = { 2 }, s23[] = { 2, 3 }, s234[] = { 2, 3, 4 },
	    s4[] = { 4 }, s1234[] = { 1, 2, 3, 4 };
	const char *issue_argv[] = { "lkey-keygen", "issue", "--secret", b.sec,
	    "--product", "1", "--edition", "1", "--seats", "5", "--expires",
	    "never", "--maintenance", "never", NULL };
	struct result r;
	json_doc *d;
	size_t k;

	init_plain(fx, "books", b.sec, b.pub);
	path_in(fx, "books/ledger.sqlite", b.ledger, sizeof(b.ledger));
	load_pub(b.pub, &b.key);
	assert_int_equal(keyfile_key_id(b.sec, &b.id, err, sizeof(err)), 0);
	for (k = 0; k < 4; k++) {
		run(fx, issue_argv, NULL, 0, &r);
		expect_code("issue into the books", &r, 0);
	}

	/* The first list: sequence 1; then 2, holding 2 as well as 3. */
	revoke_books(fx, &b, &r, "--serials", "2", NULL);
	expect_books_list("first list", &b, &r, 1, s2, 1);
	revoke_books(fx, &b, &r, "--serials", "3", NULL);
	expect_books_list("second list", &b, &r, 2, s23, 2);
	memcpy(list2, r.out, r.outlen + 1U);

	/* At or below the last, and far above it: refused. */
	revoke_books(fx, &b, &r, "--serials", "4", "--sequence", "2", NULL);
	expect_refusal("--sequence 2 after list 2", &r, 1, "--sequence 2 is "
	    "not above that of the last list recorded in");
	assert_non_null(strstr(r.err, ", 2: "));
	assert_non_null(strstr(r.err, "leave out --sequence for 3"));
	revoke_books(fx, &b, &r, "--serials", "4", "--sequence", "1", NULL);
	expect_refusal("--sequence 1 after list 2", &r, 1, "is not above");
	revoke_books(fx, &b, &r, "--serials", "4", "--sequence", "4294967295",
	    NULL);
	expect_refusal("--sequence 4294967295", &r, 1, "--sequence 4294967295 "
	    "is more than 1000 above");
	revoke_books(fx, &b, &r, "--serials", "4", "--sequence", "1003", NULL);
	expect_refusal("--sequence 1003 after 2", &r, 1, "more than 1000");
	/* A gap within reach (lists signed without the ledger) is taken. */
	revoke_books(fx, &b, &r, "--serials", "4", "--sequence", "5", NULL);
	expect_books_list("--sequence 5", &b, &r, 5, s234, 3);
	/* --only: just those given; the books still hold the others. */
	revoke_books(fx, &b, &r, "--serials", "4", "--only", NULL);
	expect_books_list("--only", &b, &r, 6, s4, 1);
	revoke_books(fx, &b, &r, NULL);
	expect_books_list("nothing new", &b, &r, 7, s234, 3);
	revoke_books(fx, &b, &r, "--serials", "2,3", NULL);
	expect_books_list("already revoked", &b, &r, 8, s234, 3);
	revoke_books(fx, &b, &r, "--only", NULL);
	expect_refusal("--only alone", &r, 2, "--only needs --serials");
	/* A typo is still refused before anything is recorded. */
	revoke_books(fx, &b, &r, "--serials", "9", NULL);
	expect_refusal("a serial never issued", &r, 1, "serial 9 was never "
	    "issued");

	/* ledger --revoked: every licence revoked, and the list that did. */
	{
		const char *argv[] = { "lkey-keygen", "ledger", "--secret",
		    b.sec, "--revoked", NULL };

		run(fx, argv, NULL, 0, &r);
		expect_code("ledger --revoked", &r, 0);
		bprintf(want, sizeof(want), "%08x:2 revoked in list 1, ",
		    (unsigned)b.id);
		assert_true(strncmp(r.out, want, strlen(want)) == 0);
		bprintf(want, sizeof(want), "\n%08x:4 revoked in list 5, ",
		    (unsigned)b.id);
		assert_non_null(strstr(r.out, want));
		assert_non_null(strstr(r.out, "issued by this ledger\n"));
		assert_int_equal(err_lines(&r), 0);
	}
	{
		const char *argv[] = { "lkey-keygen", "ledger", "--secret",
		    b.sec, "--revoked", "--json", NULL };
		const char *line = NULL, *nl;

		run(fx, argv, NULL, 0, &r);
		expect_code("ledger --revoked --json", &r, 0);
		nl = strchr(r.out, '\n');
		assert_non_null(nl);
		line = nl + 1;
		nl = strchr(line, '\n');
		assert_non_null(nl);
		d = json_parse(line, (size_t)(nl - line), "--revoked --json");
		assert_int_equal(json_get_int(d, json_root(d), "serial"), 3);
		assert_int_equal(json_get_int(d, json_root(d), "revoked"), 2);
		assert_true(json_get_bool(d, json_root(d), "issued"));
		json_free(d);
	}
	/* The keys say so too. */
	{
		const char *argv[] = { "lkey-keygen", "ledger", "--secret",
		    b.sec, "--serial", "4", NULL };
		const char *jargv[] = { "lkey-keygen", "ledger", "--secret",
		    b.sec, "--serial", "1", "--json", NULL };
		const char *keys[] = { "lkey-keygen", "ledger", "--secret",
		    b.sec, "--revoked", "--keys", NULL };

		run(fx, argv, NULL, 0, &r);
		expect_code("ledger --serial 4", &r, 0);
		assert_non_null(strstr(r.out, ", revoked in list 5: "));
		run(fx, jargv, NULL, 0, &r);
		expect_code("ledger --serial 1 --json", &r, 0);
		d = report(&r);
		assert_true(json_get_is_null(d, json_root(d), "revoked"));
		json_free(d);
		{
			const char *both[] = { "lkey-keygen", "ledger",
			    "--secret", b.sec, "--revoked", "--serial", "1",
			    NULL };
			const char *three[] = { "lkey-keygen", "ledger",
			    "--secret", b.sec, "--revoked", "--serial", "3",
			    "--json", NULL };

			run(fx, both, NULL, 0, &r);
			expect_refusal("--revoked --serial 1", &r, 1,
			    "no key matches every lookup given");
			run(fx, three, NULL, 0, &r);
			expect_code("--revoked --serial 3", &r, 0);
			d = report(&r);
			assert_int_equal(json_get_int(d, json_root(d),
			    "revoked"), 2);
			json_free(d);
		}
		run(fx, keys, NULL, 0, &r);
		expect_code("ledger --revoked --keys", &r, 0);
		for (k = 0; r.out[k] != '\0'; k++)
			;
		assert_int_equal(r.out[k - 1U], '\n');
		assert_non_null(strchr(r.out, '\n'));
		{
			size_t lines = 0;
			const char *p;

			for (p = r.out; (p = strchr(p, '\n')) != NULL; p++)
				lines++;
			assert_int_equal(lines, 3);
		}
	}
	/* ledger --list 2: exactly the list as it was printed. */
	{
		const char *argv[] = { "lkey-keygen", "ledger", "--ledger",
		    b.ledger, "--list", "2", NULL };
		const char *none[] = { "lkey-keygen", "ledger", "--ledger",
		    b.ledger, "--list", "3", NULL };

		run(fx, argv, NULL, 0, &r);
		expect_code("ledger --list 2", &r, 0);
		assert_string_equal(r.out, list2);
		run(fx, none, NULL, 0, &r);
		expect_refusal("ledger --list 3", &r, 1, "no revocation list 3 "
		    "recorded");
	}

	/* Standard output fails: the list is recorded, and said to be. */
	bprintf(bin, sizeof(bin), "%s/lkey-keygen", fx->bindir);
	{
		const char *argv[] = { "sh", "-c", "exec \"$0\" revoke "
		    "--secret \"$1\" --serials 1 > /dev/full", bin, b.sec,
		    NULL };
		const char *list9[] = { "lkey-keygen", "ledger", "--ledger",
		    b.ledger, "--list", "9", NULL };

		shell(&r, argv);
		bprintf(want, sizeof(want), "list 9 is recorded in %s: print "
		    "it with lkey-keygen ledger --ledger %s --list 9",
		    b.ledger, b.ledger);
		expect_refusal("revoke > /dev/full", &r, 1, want);
		run(fx, list9, NULL, 0, &r);
		expect_books_list("ledger --list 9", &b, &r, 9, s1234, 4);
	}

	/*
	 * A reader that went away (a pipe whose read end is closed): no
	 * death by SIGPIPE after the commit, but the same message.
	 */
	{
		const char *argv[] = { "sh", "-c", "{ sleep 0.2; \"$0\" revoke "
		    "--secret \"$1\" --serials 1; echo \"exit $?\" >&2; } | "
		    "(exec 0<&-; sleep 1)", bin, b.sec, NULL };
		const char *list10[] = { "lkey-keygen", "ledger", "--ledger",
		    b.ledger, "--list", "10", NULL };

		shell(&r, argv);
		if (strstr(r.err, "exit 1\n") == NULL)
			show("revoke | closed reader", &r);
		assert_non_null(strstr(r.err, "exit 1\n"));
		bprintf(want, sizeof(want), "list 10 is recorded in %s: print "
		    "it with lkey-keygen ledger --ledger %s --list 10",
		    b.ledger, b.ledger);
		assert_non_null(strstr(r.err, want));
		run(fx, list10, NULL, 0, &r);
		expect_books_list("ledger --list 10", &b, &r, 10, s1234, 4);
	}
}

/* ---- what the verifier refuses ------------------------------------------ */

/* A list signed by a key the verifier does not hold: exit 4, its id named. */
static void
test_foreign_key(void **state)
{
	const struct fx *fx = *state;
	char sec[PATHCAP], pub[PATHCAP], list[PATHCAP], k[KEYCAP], id[16];
	lkey_pubkey other;
	struct result r;

	init_plain(fx, "foreign", sec, pub);
	load_pub(pub, &other);
	revoke(fx, NULL, &r, "--secret", sec, "--serials", DEMO_ID ":1001",
	    "--sequence", "1", NULL);
	expect_list(fx, "foreign list", &r, "f.lkr", list);
	demo_key(fx, "1001", k, sizeof(k));
	check(fx, NULL, list, k, &r);
	bprintf(id, sizeof(id), "%08x", (unsigned)other.id);
	if (r.code != 4 || r.outlen != 0 || strstr(r.err, id) == NULL) {
		show("foreign list", &r);
		fail_msg("a list of key %s not in the ring: want exit 4", id);
	}
	/* With its public key in the ring it is taken. */
	check(fx, pub, list, k, &r);
	expect_code("foreign list, key in the ring", &r, 20);
}

/*
 * One altered byte anywhere: never a list. In-process for every bit; with
 * lkey-verify for a byte of each field (exit 4; past the key id, "does not
 * verify").
 */
static void
test_tampered(void **state)
{
	static const struct {
		size_t off;
		const char *want;
	} fields[] = {
		{ 0, "not a revocation list" },		/* magic */
		{ 3, "unknown version" },
		{ 5, "key id" },
		{ 9, "does not verify" },		/* sequence */
		{ 12, "does not verify" },		/* day */
		{ 14, "does not verify" },		/* count */
		{ 16, "does not verify" },		/* an entry's key */
		{ 21, "does not verify" },		/* its serial */
		{ 39, "does not verify" },		/* the last entry */
		{ 40, "does not verify" },		/* the signature */
		{ 103, "does not verify" },
	};
	const struct fx *fx = *state;
	char list[PATHCAP], bad[PATHCAP], k[KEYCAP], line[1024];
	char text[2048], out[1024];
	uint8_t raw[LIST_BIN_CAP];
	lkey_revocations rl;
	lkey_pubkey pub;
	struct result r;
	size_t n, i, bit, head, tlen;
	struct tally t = { 0, 0, 0 };

	revoke(fx, NULL, &r, "--secret", DEMO_SEC, "--serials",
	    "1001,1002,1003", "--sequence", "2", "--issued", MADE,
	    "--no-ledger", NULL);
	expect_list(fx, "list to tamper with", &r, "t.lkr", list);
	memcpy(text, r.out, r.outlen + 1U);
	head = (size_t)(strchr(text, '\n') - text) + 1U;
	b64_line(text, line, sizeof(line));
	assert_int_equal(lkey__b64_decode(line, strlen(line), raw, sizeof(raw),
	    &n, NULL), LKEY_OK);
	assert_int_equal(n, 16U + 3U * 8U + 64U);
	load_pub(DEMO_PUB, &pub);

	for (i = 0; i < n; i++) {
		for (bit = 0; bit < 8; bit++) {
			raw[i] ^= (uint8_t)(1U << bit);
			assert_int_not_equal(lkey__b64_encode(raw, n, out,
			    sizeof(out)), 0);
			tlen = (size_t)snprintf(text + head,
			    sizeof(text) - head, "%s\n", out) + head;
			t.cases++;
			tcheck(&t, lkey_revocations_decode(text, tlen, &pub, 1,
			    &rl, NULL) != LKEY_OK && rl.sequence == 0 &&
			    rl.count == 0, "tampered list", NULL,
			    "byte %zu bit %zu accepted", i, bit);
			raw[i] ^= (uint8_t)(1U << bit);
		}
	}
	tally_done(&t, "tampered lists (library)");

	demo_key(fx, "1004", k, sizeof(k));
	path_in(fx, "bad.lkr", bad, sizeof(bad));
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		raw[fields[i].off] ^= 0x10;
		assert_int_not_equal(lkey__b64_encode(raw, n, out, sizeof(out)),
		    0);
		tlen = (size_t)snprintf(text + head, sizeof(text) - head,
		    "%s\n", out) + head;
		write_file(bad, text, tlen);
		check(fx, NULL, bad, k, &r);
		t.cases++;
		tcheck(&t, r.code == 4 && r.outlen == 0 &&
		    err_lines(&r) == 1 && strstr(r.err, fields[i].want) !=
		    NULL, "tampered list", &r, "byte %zu: want exit 4 and "
		    "\"%s\"", fields[i].off, fields[i].want);
		raw[fields[i].off] ^= 0x10;
	}
	tally_done(&t, "tampered lists (lkey-verify)");
	/* Untouched, it is a list. */
	check(fx, NULL, list, k, &r);
	expect_code("the list itself", &r, 0);
}

/*
 * The largest list: 4096 licences (of two keys), in a shuffled order,
 * through a file as a vendor makes it; one more is refused.
 */
static void
test_full_list(void **state)
{
	const struct fx *fx = *state;
	static char serials[LKEY_REVOKED_MAX * 20U + 64U];
	char keygen[PATHCAP], list[PATHCAP], k[KEYCAP], k2[KEYCAP];
	lkey_revocations *rl;
	lkey_pubkey pub;
	struct result r;
	struct stat st;
	size_t i, len = 0, j;
	uint32_t s;

	/* Serials 1..4000 of the demo key, 1..96 of another, interleaved
	 * in a fixed shuffled order. */
	for (i = 0; i < LKEY_REVOKED_MAX; i++) {
		j = (i * 2053U) % LKEY_REVOKED_MAX;	/* 2053 is prime */
		if (j < 4000U)
			len += (size_t)snprintf(serials + len,
			    sizeof(serials) - len, "%s%zu", i ? "," : "",
			    j + 1U);
		else
			len += (size_t)snprintf(serials + len,
			    sizeof(serials) - len, "%s" OTHER_ID ":%zu",
			    i ? "," : "", j - 3999U);
		assert_true(len < sizeof(serials));
	}
	bprintf(keygen, sizeof(keygen), "%s/lkey-keygen", fx->bindir);
	path_in(fx, "full.lkr", list, sizeof(list));
	{
		const char *argv[] = { "sh", "-c", "out=$1; shift; "
		    "exec \"$@\" > \"$out\"", "sh", list, keygen, "revoke",
		    "--secret", DEMO_SEC, "--serials", serials, "--sequence",
		    "12", "--issued", MADE, "--no-ledger", NULL };

		shell(&r, argv);
	}
	if (r.code != 0 || r.errlen != 0) {
		show("revoke 4096", &r);
		fail_msg("a list of 4096 licences failed");
	}
	assert_int_equal(stat(list, &st), 0);
	assert_true((size_t)st.st_size > 43800U &&
	    (size_t)st.st_size < LKEY_REVOCATIONS_TEXT_CAP);

	rl = malloc(sizeof(*rl));
	assert_non_null(rl);
	load_pub(DEMO_PUB, &pub);
	decode_file(list, &pub, 1, rl);
	assert_int_equal(rl->count, LKEY_REVOKED_MAX);
	assert_int_equal(rl->sequence, 12);
	for (s = 1; s <= 4000U; s++)
		if (!lkey_revocations_contains(rl, pub.id, s))
			fail_msg("serial %u missing", (unsigned)s);
	for (s = 1; s <= 96U; s++)
		if (!lkey_revocations_contains(rl, 0xaaaaaaaaU, s))
			fail_msg(OTHER_ID ":%u missing", (unsigned)s);
	assert_false(lkey_revocations_contains(rl, pub.id, 4001));
	assert_false(lkey_revocations_contains(rl, pub.id, 0));
	assert_false(lkey_revocations_contains(rl, 0xaaaaaaaaU, 97));
	free(rl);

	demo_key(fx, "4000", k, sizeof(k));
	check(fx, NULL, list, k, &r);
	expect_code("serial 4000 of the full list", &r, 20);
	demo_key(fx, "4001", k2, sizeof(k2));
	check(fx, NULL, list, k2, &r);
	expect_code("serial 4001, not in the full list", &r, 0);

	/* 4097: refused. */
	assert_true(len + 8U < sizeof(serials));
	memcpy(serials + len, ",4001", 6);
	revoke(fx, NULL, &r, "--secret", DEMO_SEC, "--serials", serials,
	    "--sequence", "13", "--no-ledger", NULL);
	expect_refusal("4097 licences", &r, 2, "more than 4096 licences");
}

/* ---- the library call --------------------------------------------------- */

static void
test_issue_api(void **state)
{
	static const uint8_t seed[LKEY_SEEDBYTES] = { 42 };
	static char text[LKEY_REVOCATIONS_TEXT_CAP], again[1024];
	static lkey_revoked many[LKEY_REVOKED_MAX + 1U];
	const lkey_revoked three[3] = { { 9, 3 }, { 2, 7 }, { 9, 1 } };
	const lkey_revoked sorted[3] = { { 2, 7 }, { 9, 1 }, { 9, 3 } };
	const lkey_revoked twice[3] = { { 9, 3 }, { 2, 7 }, { 9, 3 } };
	lkey_vendor_key vk;
	lkey_revocations *rl;
	size_t i;

	(void)state;
	lkey_vendor_key_from_seed(seed, &vk);
	assert_int_equal(lkey_revocations_issue(&vk, 1, day(MADE), three, 3,
	    text, sizeof(text)), LKEY_ISSUE_OK);
	/* The order given does not matter: one list, one text. */
	assert_int_equal(lkey_revocations_issue(&vk, 1, day(MADE), sorted, 3,
	    again, sizeof(again)), LKEY_ISSUE_OK);
	assert_string_equal(text, again);
	rl = malloc(sizeof(*rl));
	assert_non_null(rl);
	assert_int_equal(lkey_revocations_decode(text, strlen(text), &vk.pub,
	    1, rl, NULL), LKEY_OK);
	assert_int_equal(rl->count, 3);
	for (i = 0; i < 3; i++)
		assert_true(lkey_revocations_contains(rl, three[i].key_id,
		    three[i].serial));

	/* Refused terms leave "". */
	assert_int_equal(lkey_revocations_issue(&vk, 0, day(MADE), three, 3,
	    text, sizeof(text)), LKEY_ISSUE_BAD_TERMS);
	assert_string_equal(text, "");
	assert_int_equal(lkey_revocations_issue(&vk, 1, LKEY_DAY_MAX + 1U,
	    three, 3, text, sizeof(text)), LKEY_ISSUE_BAD_TERMS);
	assert_int_equal(lkey_revocations_issue(&vk, 1, day(MADE), twice, 3,
	    text, sizeof(text)), LKEY_ISSUE_BAD_TERMS);
	assert_string_equal(text, "");
	for (i = 0; i <= LKEY_REVOKED_MAX; i++) {
		many[i].key_id = 1;
		many[i].serial = (uint32_t)i;
	}
	assert_int_equal(lkey_revocations_issue(&vk, 1, day(MADE), many,
	    LKEY_REVOKED_MAX + 1U, text, sizeof(text)),
	    LKEY_ISSUE_BAD_TERMS);
	/* The largest list fits LKEY_REVOCATIONS_TEXT_CAP, and no less
	 * than its text. */
	assert_int_equal(lkey_revocations_issue(&vk, 7, day(MADE), many,
	    LKEY_REVOKED_MAX, text, sizeof(text)), LKEY_ISSUE_OK);
	i = strlen(text);
	assert_true(i < sizeof(text));
	assert_int_equal(lkey_revocations_decode(text, i, &vk.pub, 1, rl,
	    NULL), LKEY_OK);
	assert_int_equal(rl->count, LKEY_REVOKED_MAX);
	assert_int_equal(lkey_revocations_issue(&vk, 7, day(MADE), many,
	    LKEY_REVOKED_MAX, text, i), LKEY_ISSUE_TOO_LONG);
	assert_string_equal(text, "");
	assert_int_equal(lkey_revocations_issue(&vk, 7, day(MADE), many,
	    LKEY_REVOKED_MAX, text, i + 1U), LKEY_ISSUE_OK);
	free(rl);
	lkey_vendor_key_wipe(&vk);
}

/*
 * The text of a list as docs/FORMAT.md states it: comment lines and blank
 * lines only before the base64, which may be wrapped; a comment after or
 * between base64 lines is a stray '#'; the base64 decodes to at most
 * 16 + 8 x 4096 + 64 = 32848 bytes, the largest list, and one byte more
 * is too long before the magic is read.
 */
static void
test_list_text(void **state)
{
	static const uint8_t seed[LKEY_SEEDBYTES] = { 7 };
	static char text[LKEY_REVOCATIONS_TEXT_CAP + 64U];
	static char b64[LKEY_REVOCATIONS_TEXT_MAX + 1U];
	static uint8_t raw[LKEY_REVOCATIONS_BYTES + 8U];
	static lkey_revoked many[LKEY_REVOKED_MAX];
	const lkey_revoked two[2] = { { 9, 1 }, { 9, 2 } };
	static lkey_revocations rl;
	lkey_vendor_key vk;
	lkey_detail d;
	const char *line;
	char *nl;
	size_t n, k;

	(void)state;
	assert_int_equal(LKEY_REVOCATIONS_BYTES - 16U, 32848U);
	lkey_vendor_key_from_seed(seed, &vk);
	assert_int_equal(lkey_revocations_issue(&vk, 1, day(MADE), two, 2,
	    b64, sizeof(b64)), LKEY_ISSUE_OK);
	line = strchr(b64, '\n') + 1;
	nl = strchr(line, '\n');
	assert_non_null(nl);
	*nl = '\0';
	k = strlen(line);

	/* Comments, indented or not, and blank lines, then wrapped base64. */
	n = (size_t)snprintf(text, sizeof(text), "  # one\r\n\n\t#two\n \n"
	    "%.*s\r\n  %s\n\n", 40, line, line + 40);
	assert_int_equal(lkey_revocations_decode(text, n, &vk.pub, 1, &rl,
	    &d), LKEY_OK);
	assert_int_equal(rl.count, 2);
	/* A comment after the base64, or between its lines: refused at the
	 * '#', counted from 0. */
	n = (size_t)snprintf(text, sizeof(text), "# list\n%s\n# more\n", line);
	assert_int_equal(lkey_revocations_decode(text, n, &vk.pub, 1, &rl,
	    &d), LKEY_MALFORMED);
	assert_int_equal(d.reason, LKEY_R_BAD_CHAR);
	assert_int_equal(d.offset, 8U + k);
	n = (size_t)snprintf(text, sizeof(text), "%.*s\n# middle\n%s\n", 40,
	    line, line + 40);
	assert_int_equal(lkey_revocations_decode(text, n, &vk.pub, 1, &rl,
	    &d), LKEY_MALFORMED);
	assert_int_equal(d.reason, LKEY_R_BAD_CHAR);
	assert_int_equal(d.offset, 41U);

	/* The largest list: 4096 entries, exactly 32848 bytes. */
	for (k = 0; k < LKEY_REVOKED_MAX; k++) {
		many[k].key_id = 3;
		many[k].serial = (uint32_t)k;
	}
	assert_int_equal(lkey_revocations_issue(&vk, 2, day(MADE), many,
	    LKEY_REVOKED_MAX, text, sizeof(text)), LKEY_ISSUE_OK);
	line = strchr(text, '\n') + 1;
	n = strlen(line) - 1U;
	assert_int_equal(lkey__b64_decode_max(line, n,
	    LKEY_REVOCATIONS_TEXT_MAX, raw, sizeof(raw), &k, NULL), LKEY_OK);
	assert_int_equal(k, 32848U);
	assert_int_equal(lkey_revocations_decode(text, strlen(text),
	    &vk.pub, 1, &rl, &d), LKEY_OK);
	assert_int_equal(rl.count, LKEY_REVOKED_MAX);
	/* Base64 of 32849 bytes, "LKR" first: too long, not a list of
	 * another vendor; of 32848: read on to its key id. */
	memset(raw, 0, sizeof(raw));
	memcpy(raw, "LKR\1", 4);
	assert_non_null(sodium_bin2base64(b64, sizeof(b64), raw, 32849U,
	    sodium_base64_VARIANT_ORIGINAL));
	assert_int_equal(lkey_revocations_decode(b64, strlen(b64), &vk.pub,
	    1, &rl, &d), LKEY_MALFORMED);
	assert_int_equal(d.reason, LKEY_R_TOO_LONG);
	assert_non_null(sodium_bin2base64(b64, sizeof(b64), raw, 32848U,
	    sodium_base64_VARIANT_ORIGINAL));
	assert_int_equal(lkey_revocations_decode(b64, strlen(b64), &vk.pub,
	    1, &rl, &d), LKEY_UNKNOWN_KEY);
	lkey_vendor_key_wipe(&vk);
}

/* lkey-verify's words for a comment after the base64 and for a list too
 * long (exit 4): the byte named is the '#', counted from 0. */
static void
test_list_text_cli(void **state)
{
	const struct fx *fx = *state;
	static char text[OUTCAP + 64U], big[LKEY_REVOCATIONS_TEXT_MAX + 1U];
	static uint8_t raw[32849U];
	char list[PATHCAP], k[KEYCAP], want[PATHCAP + 128U];
	struct result r;
	size_t n;

	revoke(fx, NULL, &r, "--secret", DEMO_SEC, "--serials", "1001",
	    "--sequence", "1", "--no-ledger", NULL);
	expect_list(fx, "a list", &r, "c.lkr", list);
	n = r.outlen;
	memcpy(text, r.out, n);
	memcpy(text + n, "# more\n", 8);
	write_file(list, text, n + 8U);
	demo_key(fx, "1002", k, sizeof(k));
	check(fx, NULL, list, k, &r);
	bprintf(want, sizeof(want), "lkey-verify: %s: not a revocation list: "
	    "byte %zu is not base64; refused\n", list, n);
	expect_refusal("a comment after the base64", &r, 4, want);

	memcpy(raw, "LKR\1", 4);
	assert_non_null(sodium_bin2base64(big, sizeof(big), raw, sizeof(raw),
	    sodium_base64_VARIANT_ORIGINAL));
	write_file(list, big, strlen(big));
	check(fx, NULL, list, k, &r);
	bprintf(want, sizeof(want), "lkey-verify: %s: revocation list too "
	    "long (more than 65536 bytes or 4096 serials); refused\n", list);
	expect_refusal("32849 bytes of list", &r, 4, want);
}

/* docs/FORMAT.md's example of a list is what lkey-keygen revoke prints. */
static void
test_list_example(void **state)
{
	static const char head[] = "    # lkey revocation list 1 of key id "
	    DEMO_ID ", made 2026-12-03: 1 licence\n";
	const struct fx *fx = *state;
	static char doc[65536];
	char want[512], list[PATHCAP], *p, *nl;
	struct result r;
	size_t n;

	n = read_file("docs/FORMAT.md", doc, sizeof(doc));
	assert_true(n < sizeof(doc) - 1U);
	p = strstr(doc, head);
	assert_non_null(p);
	nl = strchr(p + strlen(head), '\n');
	assert_non_null(nl);
	assert_true((size_t)(nl - p) < sizeof(want));
	/* The two lines, without their indent. */
	bprintf(want, sizeof(want), "%.*s%.*s\n", (int)strlen(head) - 4,
	    p + 4, (int)(nl - p - (ptrdiff_t)strlen(head)) - 4,
	    p + strlen(head) + 4);
	revoke(fx, NULL, &r, "--secret", DEMO_SEC, "--serials", "1001",
	    "--sequence", "1", "--issued", "2026-12-03", "--no-ledger", NULL);
	expect_list(fx, "the example", &r, "example.lkr", list);
	assert_string_equal(r.out, want);
}

/* ---- node-locked keys ---------------------------------------------------- */

/* issue --host binds: valid with that host id, host_mismatch elsewhere. */
static void
test_issue_host(void **state)
{
	const struct fx *fx = *state;
	char k[KEYCAP], k2[KEYCAP], ledger[PATHCAP];
	lkey_pubkey pub;
	lkey_license lic;
	json_doc *d;
	struct result r;

	issue(fx, NULL, k, sizeof(k), "--secret", DEMO_SEC, "--product", "1",
	    "--edition", "1", "--seats", "5", "--starts", "2026-01-01",
	    "--expires", "never", "--maintenance", "never", "--serial", "1",
	    "--host", HOST, NULL);
	load_pub(DEMO_PUB, &pub);
	assert_int_equal(lkey_decode(k, strlen(k), &pub, 1, &lic, NULL),
	    LKEY_OK);
	assert_true(lic.host_bound);
	assert_memory_equal(lic.host, "\x01\x23\x45\x67\x89\xab\xcd\xef", 8);

	verify(fx, NULL, 0, &r, "--pubkey", DEMO_PUB, "--product", "1",
	    "--today", TODAY, "--host", HOST, "--json", k, NULL);
	expect_code("bound key on its host", &r, 0);
	d = report(&r);
	assert_json_str(d, "status", "valid");
	assert_json_str(d, "host", HOST);
	json_free(d);
	verify(fx, NULL, 0, &r, "--pubkey", DEMO_PUB, "--product", "1",
	    "--today", TODAY, "--host", HOST2, "--json", k, NULL);
	expect_code("bound key elsewhere", &r, 19);
	assert_true(json_status_is(&r, "host_mismatch"));

	/* Upper and mixed case are the same id, to both programs. */
	issue(fx, NULL, k2, sizeof(k2), "--secret", DEMO_SEC, "--product",
	    "1", "--edition", "1", "--seats", "5", "--starts", "2026-01-01",
	    "--expires", "never", "--maintenance", "never", "--serial", "1",
	    "--host", HOST_UPPER, NULL);
	assert_string_equal(k2, k);
	issue(fx, NULL, k2, sizeof(k2), "--secret", DEMO_SEC, "--product",
	    "1", "--edition", "1", "--seats", "5", "--starts", "2026-01-01",
	    "--expires", "never", "--maintenance", "never", "--serial", "1",
	    "--host", HOST_MIXED, NULL);
	assert_string_equal(k2, k);
	verify(fx, NULL, 0, &r, "--pubkey", DEMO_PUB, "--product", "1",
	    "--today", TODAY, "--host", HOST_UPPER, "--json", k, NULL);
	expect_code("bound key, its host in capitals", &r, 0);
	d = report(&r);
	assert_json_str(d, "host", HOST);
	json_free(d);
	verify(fx, NULL, 0, &r, "--pubkey", DEMO_PUB, "--product", "1",
	    "--today", TODAY, "--host", HOST_MIXED, k, NULL);
	expect_code("bound key, its host in mixed case", &r, 0);
	/* Anything else is refused, and shown. */
	verify(fx, NULL, 0, &r, "--pubkey", DEMO_PUB, "--product", "1",
	    "--today", TODAY, "--host", "0123456789ABCDEG", k, NULL);
	expect_code("--host with a g", &r, 2);
	assert_string_equal(r.err, "lkey-verify: --host '0123456789ABCDEG' is "
	    "not a host id: 16 hex digits, as lkey-verify --host-id prints it "
	    "(see lkey-verify --help)\n");
	verify(fx, NULL, 0, &r, "--pubkey", DEMO_PUB, "--product", "1",
	    "--today", TODAY, "--host", " " HOST, k, NULL);
	expect_code("--host with a space", &r, 2);
	assert_string_equal(r.err, "lkey-verify: --host ' " HOST "' is not a "
	    "host id: 16 hex digits, as lkey-verify --host-id prints it (see "
	    "lkey-verify --help)\n");

	/* The ledger records the host, or null. */
	path_in(fx, "host.sqlite", ledger, sizeof(ledger));
	{
		const char *argv[] = { "lkey-keygen", "issue", "--secret",
		    DEMO_SEC, "--product", "1", "--edition", "1", "--seats",
		    "5", "--expires", "never", "--maintenance", "never",
		    "--ledger", ledger, "--serial", "10", "--host", HOST,
		    NULL };
		const char *plain[] = { "lkey-keygen", "issue", "--secret",
		    DEMO_SEC, "--product", "1", "--edition", "1", "--seats",
		    "5", "--expires", "never", "--maintenance", "never",
		    "--ledger", ledger, "--serial", "11", NULL };

		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 0);
		run(fx, plain, NULL, 0, &r);
		assert_int_equal(r.code, 0);
	}
	{
		const char *argv[] = { "lkey-keygen", "ledger", "--ledger",
		    ledger, "--serial", "10", "--json", NULL };

		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 0);
		d = report(&r);
		assert_json_str(d, "host", HOST);
		json_free(d);
	}
	{
		const char *argv[] = { "lkey-keygen", "ledger", "--ledger",
		    ledger, "--serial", "11", "--json", NULL };

		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 0);
		d = report(&r);
		assert_true(json_get_is_null(d, json_root(d), "host"));
		json_free(d);
	}
	/* reissue --host in capitals: the new key bound to that id. */
	{
		const char *argv[] = { "lkey-keygen", "reissue", "--secret",
		    DEMO_SEC, "--ledger", ledger, "--serial", "11", "--host",
		    "FEDCBA9876543210", NULL };

		run(fx, argv, NULL, 0, &r);
		if (r.code != 0)
			show("reissue --host in capitals", &r);
		assert_int_equal(r.code, 0);
		assert_true(r.outlen > 0 && r.out[r.outlen - 1U] == '\n');
		r.out[r.outlen - 1U] = '\0';
		assert_int_equal(lkey_decode(r.out, r.outlen - 1U, &pub, 1,
		    &lic, NULL), LKEY_OK);
		assert_true(lic.host_bound);
		assert_memory_equal(lic.host,
		    "\xfe\xdc\xba\x98\x76\x54\x32\x10", 8);
	}
}

/*
 * The batch output line at p begins with `head` ("H-1,21,"): its key is
 * decoded into lic. Returns the next line.
 */
static const char *
batch_row(const char *p, const char *head, const lkey_pubkey *pub,
    lkey_license *lic)
{
	char line[KEYCAP];
	const char *key = p + strlen(head), *nl;
	size_t n;

	assert_memory_equal(p, head, strlen(head));
	nl = strchr(key, '\n');
	assert_non_null(nl);
	n = (size_t)(nl - key);
	assert_true(n < sizeof(line));
	memcpy(line, key, n);
	line[n] = '\0';
	assert_int_equal(lkey_decode(line, n, pub, 1, lic, NULL), LKEY_OK);
	return nl + 1;
}

/* The batch host column (CSV) and field (JSON lines); empty is none. */
static void
test_batch_host(void **state)
{
	const struct fx *fx = *state;
	char orders[PATHCAP], ledger[PATHCAP], all[16384];
	const char *p;
	lkey_pubkey pub;
	lkey_license lic;
	struct result r;

	load_pub(DEMO_PUB, &pub);
	path_in(fx, "host.csv", orders, sizeof(orders));
	path_in(fx, "batch-host.sqlite", ledger, sizeof(ledger));
	{
		static const char csv[] =
		    "order,product,edition,seats,expires,maintenance,serial,"
		    "host\n"
		    "H-1,1,1,5,never,never,21," HOST "\n"
		    "H-2,1,1,5,never,never,22,\n"
		    "H-3,1,1,5,never,never,23,not-a-host\n"
		    "H-4,1,1,5,never,never,24," HOST_UPPER "\n";

		write_file(orders, csv, strlen(csv));
	}
	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret",
		    DEMO_SEC, "--ledger", ledger, orders, NULL };

		run(fx, argv, NULL, 0, &r);
	}
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "host.csv:4: host: 'not-a-host' is not "
	    "a host id: 16 hex digits, as lkey-verify --host-id prints it"));
	/* H-1 bound, H-2 not; H-3 refused, H-4 in capitals bound to the
	 * same host. */
	p = r.out;
	p = batch_row(p, "H-1,21,", &pub, &lic);
	assert_true(lic.host_bound);
	assert_memory_equal(lic.host, "\x01\x23\x45\x67\x89\xab\xcd\xef", 8);
	p = batch_row(p, "H-2,22,", &pub, &lic);
	assert_false(lic.host_bound);
	(void)batch_row(p, "H-4,24,", &pub, &lic);
	assert_true(lic.host_bound);
	assert_memory_equal(lic.host, "\x01\x23\x45\x67\x89\xab\xcd\xef", 8);

	/* JSON lines: a string, or null. */
	{
		static const char json[] =
		    "{\"order\":\"J-1\",\"product\":1,\"edition\":1,"
		    "\"seats\":5,\"expires\":\"never\","
		    "\"maintenance\":\"never\","
		    "\"serial\":31,\"host\":\"" HOST2 "\"}\n"
		    "{\"order\":\"J-2\",\"product\":1,\"edition\":1,"
		    "\"seats\":5,\"expires\":\"never\","
		    "\"maintenance\":\"never\","
		    "\"serial\":32,\"host\":null}\n";
		const char *argv[] = { "lkey-keygen", "batch", "--secret",
		    DEMO_SEC, "--ledger", ledger, "-", NULL };

		run(fx, argv, json, strlen(json), &r);
		assert_int_equal(r.code, 0);
	}
	{
		const char *argv[] = { "lkey-keygen", "ledger", "--ledger",
		    ledger, "--json", NULL };

		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 0);
		assert_true(r.outlen < sizeof(all));
		memcpy(all, r.out, r.outlen + 1U);
	}
	assert_non_null(strstr(all, "\"serial\":21,"));
	assert_non_null(strstr(all, "\"host\":\"" HOST "\","));
	assert_non_null(strstr(all, "\"host\":\"" HOST2 "\","));
	/* Every line holds a host: three bound (the one given in capitals
	 * recorded in lowercase), two null. */
	{
		size_t lines = 0, nulls = 0, lower = 0;

		for (p = all; (p = strchr(p, '\n')) != NULL; p++)
			lines++;
		for (p = all; (p = strstr(p, "\"host\":null")) != NULL; p++)
			nulls++;
		for (p = all; (p = strstr(p, "\"host\":\"" HOST "\"")) !=
		    NULL; p++)
			lower++;
		assert_int_equal(lines, 5);
		assert_int_equal(nulls, 2);
		assert_int_equal(lower, 2);
		assert_null(strstr(all, HOST_UPPER));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_revoke_and_verify),
		cmocka_unit_test(test_defaults_and_none),
		cmocka_unit_test(test_keyid_form),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_ledger_check),
		cmocka_unit_test(test_ledgers_and_passphrase),
		cmocka_unit_test(test_bookkeeping),
		cmocka_unit_test(test_foreign_key),
		cmocka_unit_test(test_tampered),
		cmocka_unit_test(test_full_list),
		cmocka_unit_test(test_issue_api),
		cmocka_unit_test(test_list_text),
		cmocka_unit_test(test_list_text_cli),
		cmocka_unit_test(test_list_example),
		cmocka_unit_test(test_issue_host),
		cmocka_unit_test(test_batch_host),
	};

	if (lkey_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, proc_setup, proc_teardown);
}
