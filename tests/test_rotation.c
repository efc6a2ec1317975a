/*
 * test_rotation.c - vendor key rotation: verifiers that hold several public
 * keys (docs/ROTATION.md).
 *
 * In process: licences from two vendor keys (from fixed seeds) against
 * rings of both and of one (lkey_decode), the key ring parser
 * (pubkey_ring_parse in common/ring.c) and repeatable options
 * (args_parse in common/cli.c). Through the programs: lkey-verify with two
 * --pubkey options, with one ring file, the limits and the errors, and
 * --install across a rotation (proc.c runs them; LKEY_BUILD_DIR names the
 * build).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"
#include "fixture.h"
#include "golden.h"
#include "lkey.h"
#include "lkey_vendor.h"
#include "proc.h"
#include "pubfile.h"
#include "ring.h"
#include "vendorkey.h"

/* A ring of 17 keys with their comment lines: well under 4096 bytes. */
#define RING_TEXT_CAP 4096U
#define PUB_CAP 256U

/* ---- keys and licences made in process ---------------------------------- */

/* A licence for product 1 signed by `key`, serial `serial`. */
static void
issue_with(const lkey_vendor_key *key, uint32_t serial, char *text,
    size_t cap)
{
	lkey_license t;

	lkey_terms_init(&t, day("2027-01-01"));
	t.product = 1;
	t.edition = 1;
	t.seats = 5;
	t.serial = serial;
	t.expires = day("2027-12-31");
	t.maintenance = day("2027-12-31");
	assert_int_equal(lkey_issue(key, &t, text, cap), LKEY_ISSUE_OK);
}

/* Appends the public key file text of `pub` to ring (cap RING_TEXT_CAP). */
static void
ring_add(char *ring, const lkey_pubkey *pub)
{
	char one[PUB_CAP];
	size_t n = pubkey_file_format(pub, one, sizeof(one));

	assert_true(n > 0);
	assert_true(strlen(ring) + n < RING_TEXT_CAP);
	strcat(ring, one);
}

/* The base64 line of a public key file (without its newline). */
static void
key_line(const lkey_pubkey *pub, char *out, size_t cap)
{
	char one[PUB_CAP], *line;
	size_t n;

	assert_true(pubkey_file_format(pub, one, sizeof(one)) > 0);
	line = strchr(one, '\n');
	assert_non_null(line);
	line++;
	n = strcspn(line, "\n");
	assert_true(n < cap);
	memcpy(out, line, n);
	out[n] = '\0';
}

/* Vendor keys 1 and 2, and a licence of each: serial 101 of key 1 (in
 * ka), serial 202 of key 2 (in kb). */
static lkey_vendor_key va, vb;
static char ka[LKEY_B64_TEXT_MAX], kb[LKEY_B64_TEXT_MAX];

static int
setup_keys(void **state)
{
	(void)state;
	vendor_key(1, &va);
	vendor_key(2, &vb);
	issue_with(&va, 101, ka, sizeof(ka));
	issue_with(&vb, 202, kb, sizeof(kb));
	return va.pub.id != vb.pub.id ? 0 : -1;
}

/* Both keys in the ring, in either order: licences of either are valid. */
static void
test_ring_accepts_both(void **state)
{
	const lkey_pubkey both[2] = { va.pub, vb.pub },
	    swapped[2] = { vb.pub, va.pub };
	lkey_license lic;
	lkey_detail det;

	(void)state;
	assert_int_equal(lkey_decode(ka, strlen(ka), both, 2, &lic, &det),
	    LKEY_OK);
	assert_int_equal(lic.key_id, va.pub.id);
	assert_int_equal(lic.serial, 101);
	assert_int_equal(lkey_decode(kb, strlen(kb), both, 2, &lic, &det),
	    LKEY_OK);
	assert_int_equal(lic.key_id, vb.pub.id);
	assert_int_equal(lic.serial, 202);
	assert_int_equal(lkey_decode(ka, strlen(ka), swapped, 2, &lic, &det),
	    LKEY_OK);
	assert_int_equal(lkey_decode(kb, strlen(kb), swapped, 2, &lic, &det),
	    LKEY_OK);
}

/* Old key retired: its licences are unknown_key, naming its id. */
static void
test_ring_of_one(void **state)
{
	lkey_license lic;
	lkey_detail det;

	(void)state;
	assert_int_equal(lkey_decode(ka, strlen(ka), &vb.pub, 1, &lic, &det),
	    LKEY_UNKNOWN_KEY);
	assert_int_equal(det.reason, LKEY_R_UNKNOWN_KEY);
	assert_int_equal(det.value, va.pub.id);
	assert_int_equal(lic.serial, 0);
	assert_int_equal(lkey_decode(kb, strlen(kb), &vb.pub, 1, &lic, &det),
	    LKEY_OK);
	/* And the other way round. */
	assert_int_equal(lkey_decode(kb, strlen(kb), &va.pub, 1, &lic, &det),
	    LKEY_UNKNOWN_KEY);
	assert_int_equal(det.value, vb.pub.id);
}

/*
 * The key id picks the key; it proves nothing. A licence signed by key b
 * that names key a's id is checked against a's key and fails.
 */
static void
test_ring_id_is_not_enough(void **state)
{
	const lkey_pubkey both[2] = { va.pub, vb.pub };
	lkey_vendor_key forged = vb;
	lkey_license lic;
	char kf[LKEY_B64_TEXT_MAX];

	(void)state;
	forged.pub.id = va.pub.id;	/* lkey_issue stamps this id */
	issue_with(&forged, 303, kf, sizeof(kf));
	assert_int_equal(lkey_decode(kf, strlen(kf), both, 2, &lic, NULL),
	    LKEY_BAD_SIGNATURE);
	assert_int_equal(lic.serial, 0);
}

/* ---- the ring parser ---------------------------------------------------- */

static int
parse(const char *text, lkey_pubkey *out, size_t cap, size_t *n,
    pubkey_ring_error *why)
{
	return pubkey_ring_parse(text, strlen(text), out, cap, n, why);
}

static void
test_ring_parse_layout(void **state)
{
	lkey_vendor_key a, b, c;
	lkey_pubkey out[LKEY_RING_MAX];
	pubkey_ring_error why;
	char la[128], lb[128], lc[128], text[RING_TEXT_CAP];
	size_t n;

	(void)state;
	vendor_key(1, &a);
	vendor_key(2, &b);
	vendor_key(3, &c);
	key_line(&a.pub, la, sizeof(la));
	key_line(&b.pub, lb, sizeof(lb));
	key_line(&c.pub, lc, sizeof(lc));

	/* Comments between keys, blank and whitespace lines, CRLF, indents. */
	bprintf(text, sizeof(text),
	    "# lkey key ring of ACME\n\n# old key, retire in 2028\n%s\r\n"
	    "   \t\n  # current key, indented comment\n%s\n\n"
	    "# spare key, kept offline\n  %s  \n\n# trailing comment", la, lb,
	    lc);
	assert_int_equal(parse(text, out, LKEY_RING_MAX, &n, &why),
	    PUBKEY_RING_OK);
	assert_int_equal(n, 3);
	assert_int_equal(out[0].id, a.pub.id);
	assert_memory_equal(out[0].pk, a.pub.pk, LKEY_PUBLICKEYBYTES);
	assert_int_equal(out[1].id, b.pub.id);
	assert_int_equal(out[2].id, c.pub.id);

	/* One key, the file lkey-keygen init writes: a ring of one. */
	text[0] = '\0';
	ring_add(text, &a.pub);
	assert_int_equal(parse(text, out, LKEY_RING_MAX, &n, NULL),
	    PUBKEY_RING_OK);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].id, a.pub.id);

	/* Files simply concatenated, with no final newline. */
	text[0] = '\0';
	ring_add(text, &a.pub);
	ring_add(text, &b.pub);
	text[strlen(text) - 1] = '\0';
	assert_int_equal(parse(text, out, LKEY_RING_MAX, &n, NULL),
	    PUBKEY_RING_OK);
	assert_int_equal(n, 2);

	/* The public API stays one key per file. */
	assert_int_equal(lkey_pubkey_parse(text, strlen(text), &out[0]),
	    LKEY_MALFORMED);
}

static void
test_ring_parse_limits(void **state)
{
	lkey_vendor_key k;
	lkey_pubkey out[LKEY_RING_MAX + 1];
	pubkey_ring_error why;
	char text[RING_TEXT_CAP];
	size_t n, i;

	(void)state;
	text[0] = '\0';
	for (i = 1; i <= LKEY_RING_MAX; i++) {
		vendor_key((uint8_t)i, &k);
		ring_add(text, &k.pub);
	}
	assert_int_equal(parse(text, out, LKEY_RING_MAX, &n, &why),
	    PUBKEY_RING_OK);
	assert_int_equal(n, 16);
	vendor_key(16, &k);
	assert_int_equal(out[15].id, k.pub.id);

	/* A 17th key, even with room for it, is refused at its line (34). */
	vendor_key(17, &k);
	ring_add(text, &k.pub);
	memset(&why, 0xff, sizeof(why));
	assert_int_equal(parse(text, out, LKEY_RING_MAX + 1, &n, &why),
	    PUBKEY_RING_TOO_MANY);
	assert_int_equal(n, 0);
	assert_int_equal(why.line, 34);
	for (i = 0; i <= LKEY_RING_MAX; i++)
		assert_int_equal(out[i].id, 0);

	/* A smaller cap is a smaller limit. */
	assert_int_equal(parse(text, out, 3, &n, &why), PUBKEY_RING_TOO_MANY);
	assert_int_equal(why.line, 8);
	assert_int_equal(parse(text, NULL, 0, &n, &why),
	    PUBKEY_RING_TOO_MANY);
	assert_int_equal(why.line, 2);

	/* Size bound: as for a one-key file. */
	memset(text, '#', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	assert_int_equal(pubkey_ring_parse(text, RING_FILE_MAX + 1U, out,
	    LKEY_RING_MAX, &n, &why), PUBKEY_RING_TOO_BIG);
	assert_int_equal(why.line, 0);
	assert_int_equal(pubkey_ring_parse(NULL, 0, out, LKEY_RING_MAX, &n,
	    &why), PUBKEY_RING_TOO_BIG);
}

static void
test_ring_parse_refused(void **state)
{
	lkey_vendor_key a, b;
	lkey_pubkey out[LKEY_RING_MAX];
	pubkey_ring_error why;
	char la[128], lb[128], bad[128], text[RING_TEXT_CAP];
	size_t n, i;

	(void)state;
	vendor_key(1, &a);
	vendor_key(2, &b);
	key_line(&a.pub, la, sizeof(la));
	key_line(&b.pub, lb, sizeof(lb));

	/* The same key twice, whatever the comments say. */
	bprintf(text, sizeof(text), "# old\n%s\n# new\n%s\n# old again\n%s\n",
	    la, lb, la);
	assert_int_equal(parse(text, out, LKEY_RING_MAX, &n, &why),
	    PUBKEY_RING_DUPLICATE);
	assert_int_equal(why.line, 6);
	assert_int_equal(why.id, a.pub.id);
	assert_int_equal(n, 0);
	assert_int_equal(out[0].id, 0);

	/* Garbage between good keys: refused, naming the line. */
	bprintf(text, sizeof(text), "%s\nnot base64 at all\n%s\n", la, lb);
	assert_int_equal(parse(text, out, LKEY_RING_MAX, &n, &why),
	    PUBKEY_RING_BAD_LINE);
	assert_int_equal(why.line, 2);
	assert_int_equal(n, 0);

	/* A comment must start its line ('#' after text is not one). */
	bprintf(text, sizeof(text), "%s # old key\n", la);
	assert_int_equal(parse(text, out, LKEY_RING_MAX, &n, &why),
	    PUBKEY_RING_BAD_LINE);
	assert_int_equal(why.line, 1);

	/* Every character of a key line changed in turn: never accepted. */
	for (i = 0; la[i] != '\0'; i++) {
		memcpy(bad, la, strlen(la) + 1);
		bad[i] = bad[i] == 'A' ? 'B' : 'A';
		bprintf(text, sizeof(text), "%s\n%s\n", lb, bad);
		assert_int_not_equal(parse(text, out, LKEY_RING_MAX, &n, &why),
		    PUBKEY_RING_OK);
		assert_int_equal(n, 0);
	}
	/* Two keys on one line. */
	bprintf(text, sizeof(text), "%s%s\n", la, lb);
	assert_int_equal(parse(text, out, LKEY_RING_MAX, &n, &why),
	    PUBKEY_RING_BAD_LINE);

	/* Nothing but comments and blanks. */
	assert_int_equal(parse("", out, LKEY_RING_MAX, &n, &why),
	    PUBKEY_RING_EMPTY);
	assert_int_equal(parse("# a\n\n  \n# b\n", out, LKEY_RING_MAX, &n,
	    &why), PUBKEY_RING_EMPTY);
	assert_int_equal(why.line, 0);
	assert_string_equal(pubkey_ring_result_text(PUBKEY_RING_EMPTY),
	    "not an lkey public key file (no key in it)");
}

/* ---- repeatable options ------------------------------------------------- */

enum { X_PUBKEY, X_PRODUCT, X_JSON, X_COUNT };
static const args_spec xspecs[X_COUNT] = {
	[X_PUBKEY] = { "pubkey", ARGS_MULTI },
	[X_PRODUCT] = { "product", true },
	[X_JSON] = { "json", false },
};

static int
xparse(args *a, char *err, size_t errcap, ...)
{
	char *argv[ARGS_MULTI_MAX * 2 + 8];
	va_list ap;
	int argc = 0;
	char *s;

	argv[argc++] = (char *)"prog";
	va_start(ap, errcap);
	while ((s = va_arg(ap, char *)) != NULL) {
		assert_true((size_t)argc < sizeof(argv) / sizeof(argv[0]));
		argv[argc++] = s;
	}
	va_end(ap);
	err[0] = '\0';
	return args_parse(argc, argv, 1, xspecs, X_COUNT, a, err, errcap);
}

static void
test_args_multi(void **state)
{
	char err[256], *argv[ARGS_MULTI_MAX + 3];
	args a;
	int i;

	(void)state;
	assert_int_equal(xparse(&a, err, sizeof(err), "--pubkey", "a.pub",
	    "--product", "1", "--pubkey=b.pub", "--json", "--pubkey", "c.pub",
	    "KEY", NULL), 0);
	assert_int_equal(a.count[X_PUBKEY], 3);
	assert_true(a.seen[X_PUBKEY]);
	assert_string_equal(a.value[X_PUBKEY], "a.pub");
	assert_string_equal(args_nth(&a, X_PUBKEY, 0), "a.pub");
	assert_string_equal(args_nth(&a, X_PUBKEY, 1), "b.pub");
	assert_string_equal(args_nth(&a, X_PUBKEY, 2), "c.pub");
	assert_null(args_nth(&a, X_PUBKEY, 3));
	assert_string_equal(args_nth(&a, X_PRODUCT, 0), "1");
	assert_null(args_nth(&a, X_PRODUCT, 1));
	assert_int_equal(a.count[X_JSON], 1);
	assert_int_equal(a.npos, 1);
	assert_string_equal(a.pos[0], "KEY");

	/* Once is fine, and so is none. */
	assert_int_equal(xparse(&a, err, sizeof(err), "--pubkey", "a.pub",
	    NULL), 0);
	assert_int_equal(a.count[X_PUBKEY], 1);
	assert_int_equal(xparse(&a, err, sizeof(err), "--json", NULL), 0);
	assert_int_equal(a.count[X_PUBKEY], 0);
	assert_null(args_nth(&a, X_PUBKEY, 0));

	/* Other options still may not be repeated. */
	assert_int_equal(xparse(&a, err, sizeof(err), "--product", "1",
	    "--product", "2", NULL), -1);
	assert_string_equal(err, "option --product given twice");
	assert_int_equal(xparse(&a, err, sizeof(err), "--json", "--json",
	    NULL), -1);
	assert_string_equal(err, "option --json given twice");
	/* A repeatable option still needs its value each time. */
	assert_int_equal(xparse(&a, err, sizeof(err), "--pubkey", "a.pub",
	    "--pubkey", NULL), -1);
	assert_string_equal(err, "option --pubkey needs a value");

	/* At most ARGS_MULTI_MAX values. */
	argv[0] = (char *)"prog";
	for (i = 1; i <= ARGS_MULTI_MAX + 1; i++)
		argv[i] = (char *)"--pubkey=x.pub";
	assert_int_equal(args_parse(ARGS_MULTI_MAX + 1, argv, 1, xspecs,
	    X_COUNT, &a, err, sizeof(err)), 0);
	assert_int_equal(a.count[X_PUBKEY], ARGS_MULTI_MAX);
	assert_int_equal(args_parse(ARGS_MULTI_MAX + 2, argv, 1, xspecs,
	    X_COUNT, &a, err, sizeof(err)), -1);
	assert_string_equal(err, "option --pubkey given too many times");
}

/* ---- through the programs ----------------------------------------------- */

/* Writes the public key file of vendor key n to fx->dir/name. */
static void
write_pub(const struct fx *fx, const char *name, const lkey_pubkey *pub,
    char *path)
{
	char text[PUB_CAP];
	size_t n = pubkey_file_format(pub, text, sizeof(text));

	assert_true(n > 0);
	path_in(fx, name, path, PATHCAP);
	write_file(path, text, n);
}

/* A licence for product 1 issued by lkey-keygen with secret key `sec`. */
static void
cli_issue(const struct fx *fx, const char *sec, const char *serial,
    const char *issued, char *key)
{
	issue(fx, NULL, key, KEYCAP, "--secret", sec, "--product", "1",
	    "--edition", "1", "--seats", "5", "--starts", "2027-01-01",
	    "--issued", issued, "--expires", "2027-12-31", "--maintenance",
	    "2027-12-31", "--serial", serial, NULL);
}

/* lkey-verify of product 1 on 2027-06-15, with --json. */
#define V "lkey-verify --product 1 --today 2027-06-15 --json "

/* Two --pubkey options, or one ring file of both: licences of either key
 * are valid; the old key retired, its licences are unknown_key, named. */
static const struct golden two_keys[] = {
	{ "old key, --pubkey old --pubkey new",
	  V "--pubkey $OPUB --pubkey $NPUB $OKEY", 0, { "verdict=valid" } },
	{ "new key, --pubkey old --pubkey new",
	  V "--pubkey $OPUB --pubkey $NPUB $NKEY", 0, { "verdict=valid" } },
	{ "--pubkey=/dev/null", V "--pubkey=/dev/null $NKEY", 1,
	  { "error~/dev/null: not an lkey public key file (no key in it)" } },
	{ "old key, ring", V "--pubkey $RING $OKEY", 0, { "verdict=valid" } },
	{ "new key, ring", V "--pubkey $RING $NKEY", 0, { "verdict=valid" } },
	{ "old key, new pubkey only", V "--pubkey $NPUB $OKEY", 11,
	  { "verdict=unknown_key", "err~$OID" } },
	{ "new key, old pubkey only", V "--pubkey $OPUB $NKEY", 11,
	  { "verdict=unknown_key", "err~$NID" } },
	/* --install keeps to the ring: a stored licence of the old key
	 * counts, and a newer one of the new key replaces it. */
	{ "install the old key's licence",
	  V "--pubkey $OPUB --pubkey $NPUB --install $LIC $OKEY", 0,
	  { "verdict=valid", "file:$LIC=$OKEY\n" } },
	{ "install the new key's licence",
	  V "--pubkey $OPUB --pubkey $NPUB --install $LIC $NKEY", 0,
	  { "verdict=valid", "file:$LIC=$NKEY\n" } },
	{ "install the older licence again: older, not unauthenticated",
	  V "--pubkey $OPUB --pubkey $NPUB --install $LIC $OKEY", 3,
	  { "err~holds a newer licence key", "file:$LIC=$NKEY\n" } },
};

static void
test_cli_two_pubkeys_and_ring(void **state)
{
	const struct fx *fx = *state;
	lkey_pubkey opk, npk;
	char osec[PATHCAP], opub[PATHCAP], nsec[PATHCAP], npub[PATHCAP];
	char ring[PATHCAP], lic[PATHCAP], text[RING_TEXT_CAP],
	    one[RING_FILE_MAX + 1U], okey[KEYCAP], nkey[KEYCAP], oid[16],
	    nid[16];
	const struct var vars[] = { { "OPUB", opub }, { "NPUB", npub },
	    { "RING", ring }, { "LIC", lic }, { "OKEY", okey },
	    { "NKEY", nkey }, { "OID", oid }, { "NID", nid },
	    { NULL, NULL } };

	init_plain(fx, "old", osec, opub);
	init_plain(fx, "new", nsec, npub);
	load_pub(opub, &opk);
	load_pub(npub, &npk);
	bprintf(oid, sizeof(oid), "%08x", (unsigned)opk.id);
	bprintf(nid, sizeof(nid), "%08x", (unsigned)npk.id);
	cli_issue(fx, osec, "1", "2027-01-01", okey);
	cli_issue(fx, nsec, "2", "2027-01-02", nkey);
	/* One ring file: the two files one after the other, a comment. */
	text[0] = '\0';
	(void)read_file(opub, one, sizeof(one));
	strcat(text, "# ACME key ring\n\n");
	strcat(text, one);
	strcat(text, "\n# the new key, from 2027\n");
	(void)read_file(npub, one, sizeof(one));
	strcat(text, one);
	path_in(fx, "ring.pub", ring, sizeof(ring));
	write_file(ring, text, strlen(text));
	path_in(fx, "licence.txt", lic, sizeof(lic));
	GOLDEN_TABLE(fx, two_keys, vars);
}

/* At most 16 keys in a ring, and in all; no key twice; no junk line. */
static const struct golden ring_limits[] = {
	{ "16 keys in one ring", V "--pubkey $D/ring16.pub $KEY", 0,
	  { "verdict=valid" } },
	{ "17 keys in one ring", V "--pubkey $D/ring17.pub $KEY", 1,
	  { "error~$D/ring17.pub: line 34: more than 16 public keys in one "
	    "file" } },
	{ "16 + 1 keys", V "--pubkey $D/ring16.pub --pubkey $D/one17.pub $KEY",
	  2, { "usage~too many public keys: at most 16 in all the --pubkey "
	    "files" } },
	{ "17 --pubkey options", "lkey-verify --pubkey x --pubkey x --pubkey x "
	  "--pubkey x --pubkey x --pubkey x --pubkey x --pubkey x --pubkey x "
	  "--pubkey x --pubkey x --pubkey x --pubkey x --pubkey x --pubkey x "
	  "--pubkey x --pubkey x --product 1 $KEY", 2,
	  { "usage~too many public keys" } },
	{ "a key in two files", V "--pubkey $D/a.pub --pubkey $D/ring16.pub "
	  "$KEY", 2, { "usage~--pubkey: key id $AID is in both $D/a.pub and "
	    "$D/ring16.pub" } },
	{ "one file twice", V "--pubkey $D/a.pub --pubkey $D/a.pub $KEY", 2,
	  { "usage~--pubkey: $D/a.pub given twice" } },
	{ "a key twice in one ring", V "--pubkey $D/dup.pub $KEY", 1,
	  { "error~$D/dup.pub: line 5: key id $AID is in the file twice" } },
	{ "junk line in a ring", V "--pubkey $D/junk.pub $KEY", 1,
	  { "error~$D/junk.pub: line 4: not an lkey public key" } },
	{ "--pubkey ''", V "--pubkey $EMPTY $KEY", 2,
	  { "usage~--pubkey needs the path of a public key file" } },
};

static void
test_cli_ring_limits(void **state)
{
	const struct fx *fx = *state;
	lkey_vendor_key k;
	char path[PATHCAP], text[RING_TEXT_CAP], line[128], aid[16],
	    key[LKEY_B64_TEXT_MAX];
	const struct var vars[] = { { "D", fx->dir }, { "KEY", key },
	    { "AID", aid }, { "EMPTY", "" }, { NULL, NULL } };
	size_t i;

	/* Keys 1..16 in one ring; a licence of key 16; key 17 added. */
	text[0] = '\0';
	for (i = 1; i <= LKEY_RING_MAX; i++) {
		vendor_key((uint8_t)i, &k);
		ring_add(text, &k.pub);
	}
	path_in(fx, "ring16.pub", path, sizeof(path));
	write_file(path, text, strlen(text));
	issue_with(&k, 16, key, sizeof(key));
	vendor_key(17, &k);
	ring_add(text, &k.pub);
	path_in(fx, "ring17.pub", path, sizeof(path));
	write_file(path, text, strlen(text));
	write_pub(fx, "one17.pub", &k.pub, path);
	/* Key 1 alone, twice in a file, and with a line that is no key. */
	vendor_key(1, &k);
	bprintf(aid, sizeof(aid), "%08x", (unsigned)k.pub.id);
	write_pub(fx, "a.pub", &k.pub, path);
	key_line(&k.pub, line, sizeof(line));
	bprintf(text, sizeof(text), "# a\n%s\n\n# a again\n%s\n", line, line);
	path_in(fx, "dup.pub", path, sizeof(path));
	write_file(path, text, strlen(text));
	bprintf(text, sizeof(text), "# a\n%s\n# b\nAAAA\n", line);
	path_in(fx, "junk.pub", path, sizeof(path));
	write_file(path, text, strlen(text));
	GOLDEN_TABLE(fx, ring_limits, vars);
}

int
main(void)
{
	const struct CMUnitTest unit[] = {
		cmocka_unit_test(test_ring_accepts_both),
		cmocka_unit_test(test_ring_of_one),
		cmocka_unit_test(test_ring_id_is_not_enough),
		cmocka_unit_test(test_ring_parse_layout),
		cmocka_unit_test(test_ring_parse_limits),
		cmocka_unit_test(test_ring_parse_refused),
		cmocka_unit_test(test_args_multi),
	};
	const struct CMUnitTest cli[] = {
		cmocka_unit_test(test_cli_two_pubkeys_and_ring),
		cmocka_unit_test(test_cli_ring_limits),
	};
	int failed;

	if (lkey_init() != 0)
		return 1;
	failed = cmocka_run_group_tests_name("rotation", unit, setup_keys,
	    NULL);
	failed += cmocka_run_group_tests_name("rotation cli", cli, proc_setup,
	    proc_teardown);
	return failed;
}
