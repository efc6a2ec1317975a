/*
 * test_sig.c - the signature layer: verify/sig.h and keygen/sign.h
 *
 * RFC 8032 section 7.1 vectors (tests/vectors/rfc8032_ed25519.json) give
 * byte-exact keys and signatures; every single-bit change of signature,
 * message and public key must then be refused. Licence signatures must be
 * separated from plain ones by the domain tag, and bounded in length.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lkey_vendor.h"
#include "sig.h"
#include "sign.h"
#include "wire.h"
#include "json.h"
#include "support.h"

#define NVECTORS 5U
#define MSG_MAX 1024U

struct vec {
	char name[32];
	uint8_t seed[LKEY_SEEDBYTES];
	uint8_t pk[LKEY_PUBLICKEYBYTES];
	uint8_t sig[LKEY_SIGNATUREBYTES];
	uint8_t msg[MSG_MAX];
	size_t msglen;
};

struct vectors {
	struct vec v[NVECTORS];
	lkey_vendor_key key;	/* of vector 0, for licence signatures */
};

static void
hex_exact(const char *name, const char *field, const char *hex, uint8_t *out,
    size_t len)
{
	if (hex_decode(hex, out, len) != (long)len)
		fail_msg("%s: %s is not %zu bytes of hex", name, field, len);
}

static int
setup(void **state)
{
	struct vectors *vs = calloc(1, sizeof(*vs));
	json_doc *d;
	size_t arr, e, n = 0;

	assert_non_null(vs);
	*state = vs;	/* freed by teardown even if a check below fails */
	assert_int_equal(lkey_init(), 0);
	d = json_load(vector_path("rfc8032_ed25519.json"));
	arr = json_get_array(d, json_root(d), "vectors");
	assert_int_equal(json_count(d, arr), NVECTORS);
	JSON_FOR_EACH(d, arr, e) {
		struct vec *v = &vs->v[n++];
		const char *name = json_get_string(d, e, "name");
		long m;

		snprintf(v->name, sizeof(v->name), "%s", name);
		hex_exact(name, "secret_key", json_get_string(d, e,
		    "secret_key"), v->seed, sizeof(v->seed));
		hex_exact(name, "public_key", json_get_string(d, e,
		    "public_key"), v->pk, sizeof(v->pk));
		hex_exact(name, "signature", json_get_string(d, e,
		    "signature"), v->sig, sizeof(v->sig));
		m = hex_decode(json_get_string(d, e, "message"), v->msg,
		    sizeof(v->msg));
		if (m < 0)
			fail_msg("%s: bad message hex", name);
		v->msglen = (size_t)m;
	}
	json_free(d);
	/* The RFC's TEST 1 (empty message) and TEST 1024 (1023 bytes). */
	assert_string_equal(vs->v[0].name, "TEST 1");
	assert_int_equal(vs->v[0].msglen, 0);
	assert_string_equal(vs->v[3].name, "TEST 1024");
	assert_int_equal(vs->v[3].msglen, 1023);
	lkey_vendor_key_from_seed(vs->v[0].seed, &vs->key);
	return 0;
}

static int
teardown(void **state)
{
	struct vectors *vs = *state;

	if (vs != NULL)
		lkey_vendor_key_wipe(&vs->key);
	free(vs);
	return 0;
}

/* The seed gives the RFC's public key; libsodium's sk is seed || pk. */
static void
test_rfc8032_keys(void **state)
{
	struct vectors *vs = *state;
	size_t i;

	for (i = 0; i < NVECTORS; i++) {
		const struct vec *v = &vs->v[i];
		lkey_vendor_key k;
		lkey_pubkey p;

		memset(&k, 0xa5, sizeof(k));
		lkey_vendor_key_from_seed(v->seed, &k);
		assert_memory_equal(k.pub.pk, v->pk, sizeof(v->pk));
		assert_memory_equal(k.sk, v->seed, LKEY_SEEDBYTES);
		assert_memory_equal(k.sk + LKEY_SEEDBYTES, v->pk,
		    sizeof(v->pk));
		lkey_pubkey_from_bytes(v->pk, &p);
		assert_int_equal(k.pub.id, p.id);
		lkey_vendor_key_wipe(&k);
	}
}

/* Ed25519 is deterministic: the vector's signature, byte for byte. */
static void
test_rfc8032_sign(void **state)
{
	struct vectors *vs = *state;
	size_t i;

	for (i = 0; i < NVECTORS; i++) {
		const struct vec *v = &vs->v[i];
		uint8_t sig[LKEY_SIGNATUREBYTES];
		lkey_vendor_key k;

		lkey_vendor_key_from_seed(v->seed, &k);
		memset(sig, 0, sizeof(sig));
		sign_raw(sig, v->msg, v->msglen, k.sk);
		if (memcmp(sig, v->sig, sizeof(sig)) != 0) {
			char hex[2U * LKEY_SIGNATUREBYTES + 1U];

			hex_encode(sig, sizeof(sig), hex);
			fail_msg("%s: signature %s", v->name, hex);
		}
		lkey_vendor_key_wipe(&k);
	}
}

static void
test_rfc8032_verify(void **state)
{
	struct vectors *vs = *state;
	size_t i;

	for (i = 0; i < NVECTORS; i++) {
		const struct vec *v = &vs->v[i];
		const struct vec *other = &vs->v[(i + 1U) % NVECTORS];

		if (sig_verify(v->sig, v->msg, v->msglen, v->pk) != 0)
			fail_msg("%s: valid signature refused", v->name);
		/* Another key, another message, another signature. */
		assert_int_equal(sig_verify(v->sig, v->msg, v->msglen,
		    other->pk), -1);
		assert_int_equal(sig_verify(other->sig, v->msg, v->msglen,
		    v->pk), -1);
		if (v->msglen != other->msglen ||
		    memcmp(v->msg, other->msg, v->msglen) != 0)
			assert_int_equal(sig_verify(v->sig, other->msg,
			    other->msglen, v->pk), -1);
		/* A byte more or less of message. */
		if (v->msglen > 0)
			assert_int_equal(sig_verify(v->sig, v->msg,
			    v->msglen - 1U, v->pk), -1);
		if (v->msglen < MSG_MAX)
			assert_int_equal(sig_verify(v->sig, v->msg,
			    v->msglen + 1U, v->pk), -1);
	}
}

/* Flips each bit of buf (len bytes) in turn; every verify must fail. */
static void
flip_all(const struct vec *v, uint8_t *buf, size_t len, const char *what,
    const uint8_t *sig, const uint8_t *msg, size_t msglen, const uint8_t *pk)
{
	size_t bit;

	for (bit = 0; bit < 8U * len; bit++) {
		uint8_t mask = (uint8_t)(1U << (bit % 8U));

		buf[bit / 8U] ^= mask;
		if (sig_verify(sig, msg, msglen, pk) != -1)
			fail_msg("%s: %s bit %zu flipped, still accepted",
			    v->name, what, bit);
		buf[bit / 8U] ^= mask;
	}
	/* Restored: the original verifies again. */
	assert_int_equal(sig_verify(sig, msg, msglen, pk), 0);
}

static void
test_rfc8032_flip_signature(void **state)
{
	struct vectors *vs = *state;
	size_t i;

	for (i = 0; i < NVECTORS; i++) {
		struct vec v = vs->v[i];

		flip_all(&v, v.sig, sizeof(v.sig), "signature", v.sig, v.msg,
		    v.msglen, v.pk);
	}
}

static void
test_rfc8032_flip_message(void **state)
{
	struct vectors *vs = *state;
	size_t i, tested = 0;

	for (i = 0; i < NVECTORS; i++) {
		struct vec v = vs->v[i];

		if (v.msglen == 0)
			continue;
		flip_all(&v, v.msg, v.msglen, "message", v.sig, v.msg,
		    v.msglen, v.pk);
		tested++;
	}
	assert_int_equal(tested, NVECTORS - 1U);
}

static void
test_rfc8032_flip_public_key(void **state)
{
	struct vectors *vs = *state;
	size_t i;

	for (i = 0; i < NVECTORS; i++) {
		struct vec v = vs->v[i];

		flip_all(&v, v.pk, sizeof(v.pk), "public key", v.sig, v.msg,
		    v.msglen, v.pk);
	}
}

/* tag || payload, the message a licence signature covers. */
static size_t
tagged(uint8_t *out, const uint8_t *payload, size_t len)
{
	memcpy(out, WIRE_TAG, WIRE_TAG_BYTES);
	memcpy(out + WIRE_TAG_BYTES, payload, len);
	return WIRE_TAG_BYTES + len;
}

/*
 * sign_license / sig_verify_license agree, at every length up to
 * LKEY_KEY_MAX, and the signed message is exactly WIRE_TAG (16 bytes, NUL
 * included) then the payload.
 */
static void
test_license_round_trip(void **state)
{
	static const size_t lens[] = { 0, 1, 25, 89, 100, 255, 448,
	    LKEY_KEY_MAX - 1U, LKEY_KEY_MAX };
	struct vectors *vs = *state;
	uint8_t payload[LKEY_KEY_MAX], msg[WIRE_TAG_BYTES + LKEY_KEY_MAX];
	uint8_t sig[LKEY_SIGNATUREBYTES], raw[LKEY_SIGNATUREBYTES];
	test_rng rng;
	size_t i;

	assert_int_equal(WIRE_TAG_BYTES, 16);
	assert_int_equal(memcmp(WIRE_TAG, "lkey-license-v1", 16), 0);
	rng_init(&rng, test_seed());
	rng_bytes(&rng, payload, sizeof(payload));
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t n = lens[i], mlen = tagged(msg, payload, n);

		sign_license(sig, payload, n, vs->key.sk);
		if (sig_verify_license(sig, payload, n, vs->key.pub.pk) != 0)
			fail_msg("licence signature of %zu bytes refused", n);
		assert_int_equal(sig_verify(sig, msg, mlen, vs->key.pub.pk),
		    0);
		sign_raw(raw, msg, mlen, vs->key.sk);
		assert_memory_equal(raw, sig, sizeof(sig));
	}
}

/* Neither kind of signature passes as the other. */
static void
test_license_domain_separation(void **state)
{
	static const size_t lens[] = { 0, 1, 57, 200, LKEY_KEY_MAX };
	struct vectors *vs = *state;
	const uint8_t *pk = vs->key.pub.pk;
	uint8_t payload[LKEY_KEY_MAX], msg[WIRE_TAG_BYTES + LKEY_KEY_MAX];
	uint8_t sig[LKEY_SIGNATUREBYTES];
	test_rng rng;
	size_t i;

	rng_init(&rng, test_seed() ^ 1U);
	rng_bytes(&rng, payload, sizeof(payload));
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t n = lens[i];

		/* A plain signature of the payload is no licence. */
		sign_raw(sig, payload, n, vs->key.sk);
		assert_int_equal(sig_verify(sig, payload, n, pk), 0);
		if (sig_verify_license(sig, payload, n, pk) != -1)
			fail_msg("plain signature of %zu bytes accepted as a "
			    "licence", n);
		/* A licence signature is no plain one of the payload. */
		sign_license(sig, payload, n, vs->key.sk);
		assert_int_equal(sig_verify_license(sig, payload, n, pk), 0);
		if (sig_verify(sig, payload, n, pk) != -1)
			fail_msg("licence signature of %zu bytes accepted as "
			    "a plain one", n);
		/* The tag without its NUL is another tag. */
		memcpy(msg, WIRE_TAG, WIRE_TAG_BYTES - 1U);
		memcpy(msg + WIRE_TAG_BYTES - 1U, payload, n);
		sign_raw(sig, msg, WIRE_TAG_BYTES - 1U + n, vs->key.sk);
		assert_int_equal(sig_verify_license(sig, payload, n, pk), -1);
	}
}

/* Every bit of a licence payload and signature; other keys. */
static void
test_license_tamper(void **state)
{
	struct vectors *vs = *state;
	const uint8_t *pk = vs->key.pub.pk;
	uint8_t payload[120], sig[LKEY_SIGNATUREBYTES];
	test_rng rng;
	size_t bit, i;

	rng_init(&rng, test_seed() ^ 2U);
	rng_bytes(&rng, payload, sizeof(payload));
	sign_license(sig, payload, sizeof(payload), vs->key.sk);
	assert_int_equal(sig_verify_license(sig, payload, sizeof(payload),
	    pk), 0);
	for (bit = 0; bit < 8U * sizeof(payload); bit++) {
		payload[bit / 8U] ^= (uint8_t)(1U << (bit % 8U));
		if (sig_verify_license(sig, payload, sizeof(payload), pk) != -1)
			fail_msg("payload bit %zu flipped, still accepted",
			    bit);
		payload[bit / 8U] ^= (uint8_t)(1U << (bit % 8U));
	}
	for (bit = 0; bit < 8U * sizeof(sig); bit++) {
		sig[bit / 8U] ^= (uint8_t)(1U << (bit % 8U));
		if (sig_verify_license(sig, payload, sizeof(payload), pk) != -1)
			fail_msg("signature bit %zu flipped, still accepted",
			    bit);
		sig[bit / 8U] ^= (uint8_t)(1U << (bit % 8U));
	}
	assert_int_equal(sig_verify_license(sig, payload, sizeof(payload) - 1U,
	    pk), -1);
	for (i = 1; i < NVECTORS; i++)
		assert_int_equal(sig_verify_license(sig, payload,
		    sizeof(payload), vs->v[i].pk), -1);
	assert_int_equal(sig_verify_license(sig, payload, sizeof(payload),
	    pk), 0);
}

/*
 * More than LKEY_KEY_MAX bytes of payload is refused even with a signature
 * that is valid over tag || payload.
 */
static void
test_license_too_long(void **state)
{
	struct vectors *vs = *state;
	const uint8_t *pk = vs->key.pub.pk;
	uint8_t payload[LKEY_KEY_MAX + 1U];
	uint8_t msg[WIRE_TAG_BYTES + LKEY_KEY_MAX + 1U];
	uint8_t sig[LKEY_SIGNATUREBYTES];
	size_t mlen;

	memset(payload, 0x5a, sizeof(payload));
	mlen = tagged(msg, payload, LKEY_KEY_MAX);
	sign_raw(sig, msg, mlen, vs->key.sk);
	assert_int_equal(sig_verify_license(sig, payload, LKEY_KEY_MAX, pk),
	    0);

	mlen = tagged(msg, payload, LKEY_KEY_MAX + 1U);
	sign_raw(sig, msg, mlen, vs->key.sk);
	assert_int_equal(sig_verify(sig, msg, mlen, pk), 0);
	assert_int_equal(sig_verify_license(sig, payload, LKEY_KEY_MAX + 1U,
	    pk), -1);
	/* Refused by length alone: no read of the (absent) bytes. */
	assert_int_equal(sig_verify_license(sig, payload, SIZE_MAX, pk), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc8032_keys),
		cmocka_unit_test(test_rfc8032_sign),
		cmocka_unit_test(test_rfc8032_verify),
		cmocka_unit_test(test_rfc8032_flip_signature),
		cmocka_unit_test(test_rfc8032_flip_message),
		cmocka_unit_test(test_rfc8032_flip_public_key),
		cmocka_unit_test(test_license_round_trip),
		cmocka_unit_test(test_license_domain_separation),
		cmocka_unit_test(test_license_tamper),
		cmocka_unit_test(test_license_too_long),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
