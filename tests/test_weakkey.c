/*
 * test_weakkey.c - public keys that are no valid Ed25519 point: off the
 * curve, of small order, or with a small-order part (mixed order)
 *
 * Where the check is (docs/FORMAT.md, "Public key file"): lkey-keygen
 * refuses such a key wherever one comes in or goes out: made by init,
 * read with a secret key file, written into a header or listed by
 * lkey-keygen pubkey. The customer side (lkey_pubkey_parse, lkey-verify)
 * takes the key as it is: libsodium's verification then refuses every
 * licence under it, also one forged to pass a verifier that skipped those
 * checks, and the verdict is bad_signature, never a crash.
 *
 * In process: pubkey_point_ok, lkey_pubkey_parse and lkey_decode, and the
 * key files (keyfile_init, keyfile_load_secret, keyfile_key_id). Through
 * the programs (proc.c, from the repository root): lkey-keygen pubkey and
 * issue, lkey-verify.
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
#include <sodium.h>

#include "keyfile.h"
#include "lkey.h"
#include "lkey_vendor.h"
#include "proc.h"
#include "pubfile.h"

#define PK LKEY_PUBLICKEYBYTES
#define TEXTCAP 512U
#define VOPTS "--product", "1", "--today", "2027-06-15", "--json"
#define EXIT_BAD_SIGNATURE 12

/* The keys under test. */
enum { IDENTITY, ORDER2, OFF_CURVE, NONCANONICAL, MIXED, NWEAK };

static const char *const weak_name[NWEAK] = {
	"identity (order 1)", "order 2", "off the curve", "non-canonical",
	"mixed order",
};

/* A point of order 8 (libsodium's blocklist in crypto_sign). */
static const uint8_t order8[PK] = {
	0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
	0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
	0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a,
};

/* Weak key k, with the key id that belongs to it. */
static void
weak_key(int k, lkey_pubkey *out)
{
	uint8_t pk[PK];
	lkey_pubkey demo;

	memset(pk, 0, sizeof(pk));
	switch (k) {
	case IDENTITY:
		pk[0] = 0x01;		/* y = 1, x = 0 */
		break;
	case ORDER2:
		memset(pk, 0xff, sizeof(pk));	/* y = -1 */
		pk[0] = 0xec;
		pk[31] = 0x7f;
		break;
	case OFF_CURVE:
		pk[0] = 0x02;		/* y = 2: no x fits */
		break;
	case NONCANONICAL:
		memset(pk, 0xff, sizeof(pk));	/* y = p + 1, i.e. 1 */
		pk[0] = 0xee;
		pk[31] = 0x7f;
		break;
	case MIXED:
		load_pub(DEMO_PUB, &demo);
		assert_int_equal(crypto_core_ed25519_add(pk, demo.pk, order8),
		    0);
		break;
	default:
		fail_msg("no weak key %d", k);
	}
	lkey_pubkey_from_bytes(pk, out);
}

/*
 * A licence naming key `pub`, with the terms of a real one and the
 * signature R = identity, S = 0. Under the identity key that satisfies
 * the cofactorless equation [S]B = R + [k]A for every message: a verifier
 * that took small-order keys and R would accept it.
 */
static void
forged(const lkey_pubkey *pub, char *text, size_t cap)
{
	uint8_t seed[LKEY_SEEDBYTES], raw[LKEY_KEY_MAX];
	lkey_vendor_key key;
	lkey_license t;
	size_t len;

	memset(seed, 7, sizeof(seed));
	lkey_vendor_key_from_seed(seed, &key);
	lkey_terms_init(&t, 20000);
	t.product = 1;
	t.edition = 1;
	t.seats = 5;
	t.serial = 77;
	t.expires = LKEY_NEVER;
	t.maintenance = LKEY_NEVER;
	assert_int_equal(lkey_issue(&key, &t, text, cap), LKEY_ISSUE_OK);
	lkey_vendor_key_wipe(&key);
	assert_int_equal(sodium_base642bin(raw, sizeof(raw), text,
	    strlen(text), NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL),
	    0);
	assert_true(len > LKEY_SIGNATUREBYTES + 5U);
	/* Key id: bytes 1..4, little-endian (docs/FORMAT.md). */
	raw[1] = (uint8_t)pub->id;
	raw[2] = (uint8_t)(pub->id >> 8);
	raw[3] = (uint8_t)(pub->id >> 16);
	raw[4] = (uint8_t)(pub->id >> 24);
	memset(raw + len - LKEY_SIGNATUREBYTES, 0, LKEY_SIGNATUREBYTES);
	raw[len - LKEY_SIGNATUREBYTES] = 0x01;
	assert_true(sodium_base64_ENCODED_LEN(len,
	    sodium_base64_VARIANT_ORIGINAL) <= cap);
	sodium_bin2base64(text, cap, raw, len, sodium_base64_VARIANT_ORIGINAL);
}

/* The text of a public key file holding `pub`. */
static size_t
pub_text(const lkey_pubkey *pub, char *text, size_t cap)
{
	size_t n = pubkey_file_format(pub, text, cap);

	assert_true(n > 0 && n < cap);
	return n;
}

static void
test_point_ok(void **state)
{
	lkey_pubkey demo, weak;
	uint8_t base[PK], sum[PK];
	char err[256];
	int k;

	(void)state;
	load_pub(DEMO_PUB, &demo);
	assert_true(pubkey_point_ok(demo.pk, "demo.pub", err, sizeof(err)));
	for (k = 0; k < NWEAK; k++) {
		weak_key(k, &weak);
		strcpy(err, "unchanged");
		if (pubkey_point_ok(weak.pk, "weak.pub", err, sizeof(err)))
			fail_msg("%s: taken for a valid key", weak_name[k]);
		if (strncmp(err, "weak.pub: public key ", 21) != 0 ||
		    strstr(err, "is not a valid Ed25519 key") == NULL)
			fail_msg("%s: the error does not name the file and "
			    "the fault: %s", weak_name[k], err);
		/* Without a file name there is nothing to write. */
		strcpy(err, "unchanged");
		assert_false(pubkey_point_ok(weak.pk, NULL, err, sizeof(err)));
		assert_string_equal(err, "unchanged");
	}
	/* The keys are what their names say. */
	crypto_core_ed25519_from_uniform(base, (const uint8_t *)
	    "lkey test_weakkey: a point, any");
	weak_key(OFF_CURVE, &weak);
	assert_int_equal(crypto_core_ed25519_add(sum, weak.pk, base), -1);
	weak_key(MIXED, &weak);
	assert_int_equal(crypto_core_ed25519_add(sum, weak.pk, base), 0);
}

/*
 * The library takes each key as it is (the check would cost every run four
 * fifths of a signature check) and refuses every licence under it.
 */
static void
test_library_refuses_licences(void **state)
{
	lkey_pubkey weak, parsed;
	lkey_license lic;
	char text[TEXTCAP], key[LKEY_B64_TEXT_MAX + 1U];
	size_t n;
	int k;

	(void)state;
	assert_int_equal(lkey_init(), 0);
	for (k = 0; k < NWEAK; k++) {
		weak_key(k, &weak);
		n = pub_text(&weak, text, sizeof(text));
		if (lkey_pubkey_parse(text, n, &parsed) != LKEY_OK)
			fail_msg("%s: lkey_pubkey_parse refused it", weak_name[k]);
		assert_memory_equal(&parsed, &weak, sizeof(weak));
		forged(&weak, key, sizeof(key));
		memset(&lic, 0xa5, sizeof(lic));
		if (lkey_decode(key, strlen(key), &weak, 1, &lic, NULL) !=
		    LKEY_BAD_SIGNATURE)
			fail_msg("%s: a forged licence is not bad_signature",
			    weak_name[k]);
		assert_int_equal(lic.serial, 0);
	}
}

/* lkey-verify: bad_signature for each key, one line, no crash. */
static void
test_verify_refuses_licences(void **state)
{
	const struct fx *fx = *state;
	struct tally t = { 0, 0, 0 };
	struct result r;
	lkey_pubkey weak;
	char path[PATHCAP], text[TEXTCAP], key[LKEY_B64_TEXT_MAX + 1U];
	int k;

	for (k = 0; k < NWEAK; k++) {
		weak_key(k, &weak);
		path_in(fx, "weak.pub", path, sizeof(path));
		write_file(path, text, pub_text(&weak, text, sizeof(text)));
		forged(&weak, key, sizeof(key));
		verify(fx, NULL, 0, &r, "--pubkey", path, VOPTS, key, NULL);
		expect_verdict(&t, weak_name[k], &r, "key", "bad_signature",
		    EXIT_BAD_SIGNATURE);
		/* A ring of it and the demo key: the same. */
		verify(fx, NULL, 0, &r, "--pubkey", DEMO_PUB, "--pubkey", path,
		    VOPTS, key, NULL);
		expect_verdict(&t, weak_name[k], &r, "key", "bad_signature",
		    EXIT_BAD_SIGNATURE);
	}
	tally_done(&t, "lkey-verify with weak keys");
}

/*
 * lkey-keygen pubkey, listing and --c-header: the file is refused, named
 * with the key's id, and nothing is printed; alone or in a ring after the
 * demo key.
 */
static void
test_keygen_pubkey_refuses(void **state)
{
	const struct fx *fx = *state;
	struct tally t = { 0, 0, 0 };
	struct result r;
	lkey_pubkey weak;
	char path[PATHCAP], demo[TEXTCAP], text[TEXTCAP * 2];
	char want[PATHCAP + 64];
	size_t n, demo_len;
	int k, ring, header;

	demo_len = read_file(DEMO_PUB, demo, sizeof(demo));
	path_in(fx, "weak.pub", path, sizeof(path));
	for (k = 0; k < NWEAK; k++) {
		weak_key(k, &weak);
		bprintf(want, sizeof(want), "lkey-keygen: %s: public key %08x "
		    "is not a valid Ed25519 key", path, (unsigned)weak.id);
		for (ring = 0; ring < 2; ring++) {
			n = ring ? demo_len : 0;
			memcpy(text, demo, n);
			n += pub_text(&weak, text + n, sizeof(text) - n);
			write_file(path, text, n);
			for (header = 0; header < 2; header++) {
				const char *argv[] = { "lkey-keygen", "pubkey",
				    header ? "--c-header" : path,
				    header ? path : NULL, NULL };

				run(fx, argv, NULL, 0, &r);
				t.cases++;
				tcheck(&t, r.code == 1, weak_name[k], &r,
				    "exit %d, expected 1", r.code);
				tcheck(&t, r.outlen == 0, weak_name[k], &r,
				    "stdout not empty");
				tcheck(&t, err_lines(&r) == 1 &&
				    strncmp(r.err, want, strlen(want)) == 0,
				    weak_name[k], &r, "stderr is not one line "
				    "starting \"%s\"", want);
			}
		}
	}
	tally_done(&t, "lkey-keygen pubkey with weak keys");
}

/*
 * A secret key file whose public key is weak, with that key's id: its
 * shape is right, so it used to get as far as "does not match its public
 * key", after the passphrase. Now refused on reading, before anything.
 */
static void
write_weak_secret(const char *path, const lkey_pubkey *weak)
{
	uint8_t blob[129];
	char b64[sodium_base64_ENCODED_LEN(129, sodium_base64_VARIANT_ORIGINAL)];
	char text[TEXTCAP];

	memset(blob, 0, sizeof(blob));
	memcpy(blob, "lkS1", 4);	/* kdf 0 and its fields: zero */
	blob[61] = (uint8_t)weak->id;
	blob[62] = (uint8_t)(weak->id >> 8);
	blob[63] = (uint8_t)(weak->id >> 16);
	blob[64] = (uint8_t)(weak->id >> 24);
	memcpy(blob + 65, weak->pk, PK);
	memset(blob + 97, 0x42, 32);	/* a seed, of some other key */
	sodium_bin2base64(b64, sizeof(b64), blob, sizeof(blob),
	    sodium_base64_VARIANT_ORIGINAL);
	bprintf(text, sizeof(text), "# lkey secret key, key id %08x\n%s\n",
	    (unsigned)weak->id, b64);
	write_file(path, text, strlen(text));
}

static void
test_keyfiles_refuse(void **state)
{
	const struct fx *fx = *state;
	struct result r;
	lkey_vendor_key *key;
	lkey_pubkey weak;
	uint8_t seed[LKEY_SEEDBYTES];
	char path[PATHCAP], dir[PATHCAP], err[512], want[PATHCAP + 64];
	uint32_t id;
	int k;

	key = sodium_malloc(sizeof(*key));
	assert_non_null(key);
	for (k = 0; k < NWEAK; k++) {
		weak_key(k, &weak);
		path_in(fx, "weak.sec", path, sizeof(path));
		write_weak_secret(path, &weak);
		bprintf(want, sizeof(want), "%s: public key %08x is not a "
		    "valid Ed25519 key", path, (unsigned)weak.id);

		assert_int_equal(keyfile_load_secret(path, key, err,
		    sizeof(err)), -1);
		if (strncmp(err, want, strlen(want)) != 0)
			fail_msg("%s: keyfile_load_secret: %s", weak_name[k],
			    err);
		assert_int_equal(keyfile_key_id(path, &id, err, sizeof(err)),
		    -1);
		assert_int_equal(id, 0);
		if (strncmp(err, want, strlen(want)) != 0)
			fail_msg("%s: keyfile_key_id: %s", weak_name[k], err);
		{
			const char *argv[] = { "lkey-keygen", "issue",
			    "--secret", path, "--product", "1", "--edition",
			    "1", "--seats", "5", "--expires", "never",
			    "--maintenance", "never", "--no-ledger", NULL };

			run(fx, argv, NULL, 0, &r);
		}
		if (r.code != 1 || r.outlen != 0 || err_lines(&r) != 1 ||
		    strstr(r.err, want) == NULL) {
			show(weak_name[k], &r);
			fail_msg("%s: lkey-keygen issue did not refuse %s",
			    weak_name[k], path);
		}

		/* init: never written, not even the secret key file. */
		memset(seed, 9, sizeof(seed));
		lkey_vendor_key_from_seed(seed, key);
		key->pub = weak;
		path_in(fx, "init", dir, sizeof(dir));
		assert_int_equal(keyfile_init(dir, key, NULL, err,
		    sizeof(err)), -1);
		bprintf(want, sizeof(want), "%s/vendor.pub: public key %08x "
		    "is not a valid Ed25519 key", dir, (unsigned)weak.id);
		if (strncmp(err, want, strlen(want)) != 0)
			fail_msg("%s: keyfile_init: %s", weak_name[k], err);
		path_in(fx, "init/vendor.sec", path, sizeof(path));
		assert_false(file_exists(path));
	}
	sodium_free(key);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_point_ok),
		cmocka_unit_test(test_library_refuses_licences),
		cmocka_unit_test(test_verify_refuses_licences),
		cmocka_unit_test(test_keygen_pubkey_refuses),
		cmocka_unit_test(test_keyfiles_refuse),
	};

	if (lkey_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, proc_setup, proc_teardown);
}
