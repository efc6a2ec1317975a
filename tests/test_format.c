/*
 * test_format.c - the key format: golden vectors, extensions, tampering
 *
 * The vectors are docs/FORMAT.md's: Ed25519 is deterministic, so a fixed
 * seed gives byte-exact keys. Any change to the format shows up here first.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "build.h"
#include "codec.h"
#include "le.h"
#include "lkey_vendor.h"
#include "sign.h"
#include "support.h"
#include "wire.h"

static lkey_vendor_key vkey;

struct vector {
	const char *name;
	uint32_t product, edition, seats, serial, features;
	const char *starts, *expires, *maintenance, *licensee;
	const char *payload_hex;
	const char *text;
};

/* Seed: the bytes 0x00, 0x01, ..., 0x1f. Key id 165091db. */
static const char vector_pk_hex[] =
    "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8";
#define VECTOR_KEY_ID 0x165091dbU

static const struct vector vectors[] = {
	{ "standard terms", 1, 2, 25, 1001, 0x3, "2027-01-01", "2027-12-31",
	    "2027-12-31", NULL,
	    "01db9150160100021900005351bf52bf52e903000003000000",
	    "AduRUBYBAAIZAABTUb9Sv1LpAwAAAwAAAM2eaCSThVMwX0LlQ24e0pXWMa7pkzXt"
	    "hcDQ3zCk3uM4iP9SvgkffX6vbgflR3QjFp82V3n1uKzCVhdlUAqciwY=" },
	{ "unlimited and perpetual", 2, 1, LKEY_SEATS_UNLIMITED, 42, 0,
	    "2026-01-01", "never", "never", NULL,
	    "01db915016020001ffffffe64fffffffff2a00000000000000",
	    "AduRUBYCAAH////mT/////8qAAAAAAAAAEhj+j0xvt/OGxl1L9QruMk1Sdm+AopR"
	    "Y766kPTwfWICwmzRQDmVZOcCkV3zuGNEgkN+sVk7iud2SJfGBLct8Q4=" },
	{ "licensee extension", 1, 3, 1000, 4294967295U, 0x80000001U,
	    "2027-06-01", "2028-05-31", "2027-11-30", "Example GmbH",
	    "01db915016010003e80300ea515753a052ffffffff01000080010c4578616d70"
	    "6c6520476d6248",
	    "AduRUBYBAAPoAwDqUVdToFL/////AQAAgAEMRXhhbXBsZSBHbWJI9SUAON72DU40"
	    "1o5Q+x3TeOcFLnAr10NXukS6XkctI8mVXiIsZJqL2RhSaEPtOyXWlh0FNAQZh3f/"
	    "guAoRha2CA==" },
};

static lkey_day
day(const char *s)
{
	lkey_day d;

	if (strcmp(s, "never") == 0)
		return LKEY_NEVER;
	assert_true(lkey_day_parse(s, &d));
	return d;
}

static void
vector_terms(const struct vector *v, lkey_license *t)
{
	memset(t, 0, sizeof(*t));
	t->product = v->product;
	t->edition = v->edition;
	t->seats = v->seats;
	t->serial = v->serial;
	t->features = v->features;
	t->starts = day(v->starts);
	t->expires = day(v->expires);
	t->maintenance = day(v->maintenance);
	if (v->licensee != NULL) {
		t->licensee_len = strlen(v->licensee);
		memcpy(t->licensee, v->licensee, t->licensee_len);
	}
}

static int
setup(void **state)
{
	uint8_t seed[LKEY_SEEDBYTES];
	size_t i;

	(void)state;
	if (lkey_init() != 0)
		return -1;
	for (i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)i;
	lkey_vendor_key_from_seed(seed, &vkey);
	return 0;
}

/* Signs an arbitrary payload with the test key and encodes it. */
static void
make_text(const uint8_t *payload, size_t n, char *text, size_t cap)
{
	uint8_t raw[LKEY_KEY_MAX + 64];

	assert_true(n + LKEY_SIGNATUREBYTES <= sizeof(raw));
	memcpy(raw, payload, n);
	sign_license(raw + n, payload, n, vkey.sk);
	assert_true(lkey_b64_encode(raw, n + LKEY_SIGNATUREBYTES, text,
	    cap) > 0);
}

static lkey_status
decode(const char *text, lkey_license *out, lkey_detail *d)
{
	return lkey_decode(text, strlen(text), &vkey.pub, 1, out, d);
}

static void
test_vector_key(void **state)
{
	uint8_t pk[32];

	(void)state;
	assert_int_equal(hex_decode(vector_pk_hex, pk, sizeof(pk)), 32);
	assert_memory_equal(vkey.pub.pk, pk, 32);
	assert_int_equal(vkey.pub.id, VECTOR_KEY_ID);
}

static void
test_vectors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const struct vector *v = &vectors[i];
		uint8_t want[LKEY_KEY_MAX], got[LKEY_KEY_MAX];
		char text[LKEY_B64_TEXT_MAX];
		lkey_license t, back;
		long wn;
		size_t gn;

		vector_terms(v, &t);
		assert_int_equal(lkey_issue(&vkey, &t, text, sizeof(text)),
		    LKEY_ISSUE_OK);
		assert_string_equal(text, v->text);

		t.version = 1;
		t.key_id = vkey.pub.id;
		wn = hex_decode(v->payload_hex, want, sizeof(want));
		assert_true(wn > 0);
		gn = build_payload(&t, got, sizeof(got));
		assert_int_equal(gn, (size_t)wn);
		assert_memory_equal(got, want, gn);

		assert_int_equal(decode(v->text, &back, NULL), LKEY_OK);
		assert_int_equal(back.version, 1);
		assert_int_equal(back.key_id, VECTOR_KEY_ID);
		assert_int_equal(back.product, v->product);
		assert_int_equal(back.edition, v->edition);
		assert_int_equal(back.seats, v->seats);
		assert_int_equal(back.serial, v->serial);
		assert_int_equal(back.features, v->features);
		assert_int_equal(back.starts, t.starts);
		assert_int_equal(back.expires, t.expires);
		assert_int_equal(back.maintenance, t.maintenance);
		assert_int_equal(back.licensee_len, t.licensee_len);
		assert_string_equal(back.licensee, t.licensee);
	}
}

/* The design's size promise: standard terms fit in 120 characters. */
static void
test_standard_terms_size(void **state)
{
	char text[LKEY_B64_TEXT_MAX];
	lkey_license t;

	(void)state;
	vector_terms(&vectors[0], &t);
	t.seats = LKEY_SEATS_MAX;
	t.features = 0xffffffffU;
	t.serial = UINT32_MAX;
	t.edition = 255;
	t.product = 65535;
	assert_int_equal(lkey_issue(&vkey, &t, text, sizeof(text)),
	    LKEY_ISSUE_OK);
	assert_true(strlen(text) <= 120);
	assert_null(strchr(text, '\n'));
}

static void
test_longest_licensee(void **state)
{
	char text[LKEY_B64_TEXT_MAX];
	lkey_license t, back;

	(void)state;
	vector_terms(&vectors[0], &t);
	memset(t.licensee, 'x', LKEY_LICENSEE_MAX);
	t.licensee_len = LKEY_LICENSEE_MAX;
	assert_int_equal(lkey_issue(&vkey, &t, text, sizeof(text)),
	    LKEY_ISSUE_OK);
	assert_int_equal(decode(text, &back, NULL), LKEY_OK);
	assert_int_equal(back.licensee_len, LKEY_LICENSEE_MAX);

	t.licensee_len = LKEY_LICENSEE_MAX + 1;
	assert_int_equal(lkey_issue(&vkey, &t, text, sizeof(text)),
	    LKEY_ISSUE_BAD_TERMS);
	assert_string_equal(text, "");
}

static void
test_issue_refuses_bad_terms(void **state)
{
	char text[LKEY_B64_TEXT_MAX];
	const char *why;
	lkey_license t;

	(void)state;
#define REFUSED(field, value) do {					\
	vector_terms(&vectors[0], &t);					\
	t.field = (value);						\
	assert_int_equal(lkey_terms_check(&t, &why),			\
	    LKEY_ISSUE_BAD_TERMS);					\
	assert_non_null(why);						\
	assert_int_equal(lkey_issue(&vkey, &t, text, sizeof(text)),	\
	    LKEY_ISSUE_BAD_TERMS);					\
} while (0)
	REFUSED(product, 0);
	REFUSED(product, 65536);
	REFUSED(edition, 256);
	REFUSED(seats, 0);
	REFUSED(seats, LKEY_SEATS_MAX + 1);
	REFUSED(starts, LKEY_NEVER);
	REFUSED(starts, LKEY_DAY_MAX + 1);
	REFUSED(expires, LKEY_DAY_MAX + 1);
	REFUSED(expires, day("2026-12-31"));	/* before the start */
	REFUSED(maintenance, day("2026-12-31"));
#undef REFUSED
	vector_terms(&vectors[0], &t);
	memcpy(t.licensee, "a\tb", 3);
	t.licensee_len = 3;
	assert_int_equal(lkey_terms_check(&t, &why), LKEY_ISSUE_BAD_TERMS);
	memcpy(t.licensee, "a\xc3(", 3);	/* invalid UTF-8 */
	assert_int_equal(lkey_terms_check(&t, &why), LKEY_ISSUE_BAD_TERMS);
	memcpy(t.licensee, "M\xc3\xbcller", 7);
	t.licensee[7] = '\0';
	t.licensee_len = 7;
	assert_int_equal(lkey_terms_check(&t, &why), LKEY_ISSUE_OK);
	/* Last encodable day is fine; expiry "never" is fine. */
	vector_terms(&vectors[0], &t);
	t.expires = LKEY_DAY_MAX;
	t.maintenance = LKEY_NEVER;
	assert_int_equal(lkey_issue(&vkey, &t, text, sizeof(text)),
	    LKEY_ISSUE_OK);
}

/* The payload of vector 1 with extensions appended, re-signed. */
static lkey_status
with_extensions(const uint8_t *ext, size_t n, lkey_license *out,
    lkey_detail *d)
{
	uint8_t p[LKEY_KEY_MAX];
	char text[LKEY_B64_TEXT_MAX + 64];
	long base = hex_decode(vectors[0].payload_hex, p, sizeof(p));

	assert_int_equal(base, WIRE_FIXED_BYTES);
	memcpy(p + base, ext, n);
	make_text(p, (size_t)base + n, text, sizeof(text));
	return decode(text, out, d);
}

static void
test_extensions(void **state)
{
	lkey_license lic;
	lkey_detail d;

	(void)state;
	/* Unknown non-critical: skipped. */
	{
		static const uint8_t e[] = { 0x05, 0x02, 0xaa, 0xbb };
		assert_int_equal(with_extensions(e, sizeof(e), &lic, &d),
		    LKEY_OK);
		assert_int_equal(lic.serial, 1001);
	}
	/* Licensee then an unknown non-critical one: both fine. */
	{
		static const uint8_t e[] = { 0x01, 0x01, 'A', 0x7f, 0x00 };
		assert_int_equal(with_extensions(e, sizeof(e), &lic, &d),
		    LKEY_OK);
		assert_string_equal(lic.licensee, "A");
	}
	/* Unknown critical: the key is unusable here. */
	{
		static const uint8_t e[] = { 0x85, 0x01, 0x00 };
		assert_int_equal(with_extensions(e, sizeof(e), &lic, &d),
		    LKEY_MALFORMED);
		assert_int_equal(d.reason, LKEY_R_UNKNOWN_CRITICAL);
		assert_int_equal(d.value, 0x85);
		assert_int_equal(lic.serial, 0);	/* fail closed */
	}
	/* Out of order, repeated, type 0, cut short, overlong. */
	{
		static const uint8_t e1[] = { 0x05, 0x00, 0x01, 0x01, 'A' };
		static const uint8_t e2[] = { 0x05, 0x00, 0x05, 0x00 };
		static const uint8_t e3[] = { 0x00, 0x00 };
		static const uint8_t e4[] = { 0x01 };
		static const uint8_t e5[] = { 0x01, 0x05, 'A', 'B' };
		static const uint8_t e6[] = { 0x80, 0x00 };

		assert_int_equal(with_extensions(e1, sizeof(e1), &lic, &d),
		    LKEY_MALFORMED);
		assert_int_equal(d.reason, LKEY_R_BAD_EXTENSION);
		assert_int_equal(with_extensions(e2, sizeof(e2), &lic, &d),
		    LKEY_MALFORMED);
		assert_int_equal(d.reason, LKEY_R_BAD_EXTENSION);
		assert_int_equal(with_extensions(e3, sizeof(e3), &lic, &d),
		    LKEY_MALFORMED);
		assert_int_equal(with_extensions(e4, sizeof(e4), &lic, &d),
		    LKEY_MALFORMED);
		assert_int_equal(with_extensions(e5, sizeof(e5), &lic, &d),
		    LKEY_MALFORMED);
		assert_int_equal(with_extensions(e6, sizeof(e6), &lic, &d),
		    LKEY_MALFORMED);
	}
	/* Licensee: marked critical, empty, control byte, bad UTF-8. */
	{
		static const uint8_t e1[] = { 0x81, 0x01, 'A' };
		static const uint8_t e2[] = { 0x01, 0x00 };
		static const uint8_t e3[] = { 0x01, 0x02, 'A', '\n' };
		static const uint8_t e4[] = { 0x01, 0x02, 0xc0, 0x80 };

		assert_int_equal(with_extensions(e1, sizeof(e1), &lic, &d),
		    LKEY_MALFORMED);
		assert_int_equal(d.reason, LKEY_R_BAD_FIELD);
		assert_int_equal(with_extensions(e2, sizeof(e2), &lic, &d),
		    LKEY_MALFORMED);
		assert_int_equal(with_extensions(e3, sizeof(e3), &lic, &d),
		    LKEY_MALFORMED);
		assert_int_equal(with_extensions(e4, sizeof(e4), &lic, &d),
		    LKEY_MALFORMED);
	}
}

/* Signed, but impossible: the verifier refuses what keygen never makes. */
static void
test_impossible_fields(void **state)
{
	static const struct {
		size_t off, width;
		uint32_t value;
	} cases[] = {
		{ WIRE_OFF_PRODUCT, 2, 0 },
		{ WIRE_OFF_SEATS, 3, 0 },
		{ WIRE_OFF_STARTS, 2, 0xffff },
		{ WIRE_OFF_EXPIRES, 2, 0x5152 },	/* day before start */
		{ WIRE_OFF_MAINT, 2, 0x5152 },
	};
	uint8_t p[LKEY_KEY_MAX];
	char text[LKEY_B64_TEXT_MAX];
	lkey_license lic;
	lkey_detail d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(hex_decode(vectors[0].payload_hex, p,
		    sizeof(p)), WIRE_FIXED_BYTES);
		if (cases[i].width == 2)
			le_store16(p + cases[i].off, cases[i].value);
		else
			le_store24(p + cases[i].off, cases[i].value);
		make_text(p, WIRE_FIXED_BYTES, text, sizeof(text));
		assert_int_equal(decode(text, &lic, &d), LKEY_MALFORMED);
		assert_int_equal(d.reason, LKEY_R_BAD_FIELD);
	}
}

static void
test_version_and_length(void **state)
{
	uint8_t p[LKEY_KEY_MAX];
	char text[LKEY_B64_TEXT_MAX + 64];
	lkey_license lic;
	lkey_detail d;

	(void)state;
	assert_int_equal(hex_decode(vectors[0].payload_hex, p, sizeof(p)),
	    WIRE_FIXED_BYTES);
	p[0] = 2;
	make_text(p, WIRE_FIXED_BYTES, text, sizeof(text));
	assert_int_equal(decode(text, &lic, &d), LKEY_MALFORMED);
	assert_int_equal(d.reason, LKEY_R_BAD_VERSION);
	assert_int_equal(d.value, 2);

	/* Fixed part cut short: too short to be a key at all. */
	p[0] = 1;
	make_text(p, WIRE_FIXED_BYTES - 1, text, sizeof(text));
	assert_int_equal(decode(text, &lic, &d), LKEY_MALFORMED);
	assert_int_equal(d.reason, LKEY_R_TOO_SHORT);

	/* Longest key accepted; one byte more refused. */
	memset(p + WIRE_FIXED_BYTES, 0, sizeof(p) - WIRE_FIXED_BYTES);
	/* Two unknown extensions fill the room: 2 + 255 and 2 + the rest. */
	p[WIRE_FIXED_BYTES] = 0x05;
	p[WIRE_FIXED_BYTES + 1] = 255;
	p[WIRE_FIXED_BYTES + 257] = 0x06;
	p[WIRE_FIXED_BYTES + 258] = (uint8_t)(LKEY_KEY_MAX -
	    LKEY_SIGNATUREBYTES - WIRE_FIXED_BYTES - 257 - 2);
	make_text(p, LKEY_KEY_MAX - LKEY_SIGNATUREBYTES, text, sizeof(text));
	assert_int_equal(decode(text, &lic, &d), LKEY_OK);
	{
		uint8_t raw[LKEY_KEY_MAX + 1];
		char big[LKEY_B64_TEXT_MAX + 8];

		memset(raw, 'A', sizeof(raw));
		raw[0] = 1;
		assert_true(lkey_b64_encode(raw, sizeof(raw), big,
		    sizeof(big)) > 0);
		assert_int_equal(decode(big, &lic, &d), LKEY_MALFORMED);
		assert_int_equal(d.reason, LKEY_R_TOO_LONG);
	}
	assert_int_equal(decode("", &lic, &d), LKEY_MALFORMED);
	assert_int_equal(d.reason, LKEY_R_EMPTY);
	assert_int_equal(decode(" \n\t ", &lic, &d), LKEY_MALFORMED);
	assert_int_equal(d.reason, LKEY_R_EMPTY);
	assert_int_equal(lkey_decode(NULL, 0, &vkey.pub, 1, &lic, &d),
	    LKEY_MALFORMED);
}

static void
test_key_ring(void **state)
{
	lkey_vendor_key other;
	lkey_pubkey ring[3];
	lkey_license lic;
	lkey_detail d;
	const char *t = vectors[0].text;
	uint8_t seed[LKEY_SEEDBYTES];

	(void)state;
	memset(seed, 0x42, sizeof(seed));
	lkey_vendor_key_from_seed(seed, &other);
	assert_int_equal(lkey_decode(t, strlen(t), &other.pub, 1, &lic, &d),
	    LKEY_UNKNOWN_KEY);
	assert_int_equal(d.value, VECTOR_KEY_ID);
	assert_int_equal(lkey_decode(t, strlen(t), NULL, 0, &lic, &d),
	    LKEY_UNKNOWN_KEY);
	ring[0] = other.pub;
	ring[1] = vkey.pub;
	assert_int_equal(lkey_decode(t, strlen(t), ring, 2, &lic, &d),
	    LKEY_OK);
	/* The right id with the wrong key: the signature decides. */
	ring[2] = other.pub;
	ring[2].id = VECTOR_KEY_ID;
	assert_int_equal(lkey_decode(t, strlen(t), &ring[2], 1, &lic, &d),
	    LKEY_BAD_SIGNATURE);
	assert_int_equal(lic.product, 0);
}

/* A signature over the bare payload (no domain tag) is not a licence. */
static void
test_domain_separation(void **state)
{
	uint8_t raw[LKEY_KEY_MAX];
	char text[LKEY_B64_TEXT_MAX];
	lkey_license lic;
	long n;

	(void)state;
	n = hex_decode(vectors[0].payload_hex, raw, sizeof(raw));
	sign_raw(raw + n, raw, (size_t)n, vkey.sk);
	assert_true(lkey_b64_encode(raw, (size_t)n + 64, text,
	    sizeof(text)) > 0);
	assert_int_equal(decode(text, &lic, NULL), LKEY_BAD_SIGNATURE);
}

/* Every bit of every vector flipped: never accepted. */
static void
test_bit_flips(void **state)
{
	size_t i, bit, flips = 0;

	(void)state;
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		uint8_t raw[LKEY_KEY_MAX];
		char text[LKEY_B64_TEXT_MAX];
		lkey_license lic;
		size_t n;

		assert_int_equal(lkey_b64_decode(vectors[i].text,
		    strlen(vectors[i].text), raw, sizeof(raw), &n, NULL),
		    LKEY_OK);
		for (bit = 0; bit < n * 8; bit++) {
			lkey_status st;

			raw[bit / 8] ^= (uint8_t)(1U << (bit % 8));
			assert_true(lkey_b64_encode(raw, n, text,
			    sizeof(text)) > 0);
			st = decode(text, &lic, NULL);
			if (st == LKEY_OK)
				fail_msg("vector %zu bit %zu accepted", i, bit);
			assert_int_equal(lic.version, 0);
			raw[bit / 8] ^= (uint8_t)(1U << (bit % 8));
			flips++;
		}
	}
	assert_true(flips > 3 * 89 * 8 - 1);
}

/* Every truncation and every one-byte append of the bytes: refused. */
static void
test_truncations_and_appends(void **state)
{
	uint8_t raw[LKEY_KEY_MAX + 1];
	char text[LKEY_B64_TEXT_MAX + 8];
	lkey_license lic;
	size_t n, k;
	unsigned b;

	(void)state;
	assert_int_equal(lkey_b64_decode(vectors[0].text,
	    strlen(vectors[0].text), raw, sizeof(raw), &n, NULL), LKEY_OK);
	for (k = 0; k < n; k++) {
		assert_true(lkey_b64_encode(raw, k, text, sizeof(text)) > 0 ||
		    k == 0);
		assert_int_not_equal(decode(text, &lic, NULL), LKEY_OK);
	}
	for (b = 0; b < 256; b++) {
		raw[n] = (uint8_t)b;
		assert_true(lkey_b64_encode(raw, n + 1, text, sizeof(text)) > 0);
		assert_int_not_equal(decode(text, &lic, NULL), LKEY_OK);
	}
	/* Text cut at every character: refused too. */
	for (k = 0; k < strlen(vectors[0].text); k++) {
		assert_int_not_equal(lkey_decode(vectors[0].text, k, &vkey.pub,
		    1, &lic, NULL), LKEY_OK);
	}
}

/* Whitespace anywhere is forgiven; every other respelling is not. */
static void
test_respellings(void **state)
{
	static const char ws[] = " \t\n\r\v\f";
	const char *t = vectors[0].text;
	char buf[LKEY_B64_TEXT_MAX + 8];
	lkey_license lic;
	size_t len = strlen(t), i, w;
	unsigned c;

	(void)state;
	for (i = 0; i <= len; i++) {
		for (w = 0; w < sizeof(ws) - 1; w++) {
			memcpy(buf, t, i);
			buf[i] = ws[w];
			memcpy(buf + i + 1, t + i, len - i + 1);
			assert_int_equal(decode(buf, &lic, NULL), LKEY_OK);
		}
	}
	/* Each character replaced by every other byte value. */
	for (i = 0; i < len; i++) {
		for (c = 1; c < 256; c++) {
			lkey_status st;

			if ((char)c == t[i] || strchr(ws, (int)c) != NULL)
				continue;
			memcpy(buf, t, len + 1);
			buf[i] = (char)c;
			st = decode(buf, &lic, NULL);
			if (st == LKEY_OK)
				fail_msg("char %zu -> 0x%02x accepted", i, c);
		}
	}
	/* A key wrapped as an e-mail would: CRLF every 40 characters. */
	for (i = 0, w = 0; i < len; i++) {
		if (i > 0 && i % 40 == 0) {
			buf[w++] = '\r';
			buf[w++] = '\n';
		}
		buf[w++] = t[i];
	}
	buf[w] = '\0';
	assert_int_equal(decode(buf, &lic, NULL), LKEY_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector_key),
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_standard_terms_size),
		cmocka_unit_test(test_longest_licensee),
		cmocka_unit_test(test_issue_refuses_bad_terms),
		cmocka_unit_test(test_extensions),
		cmocka_unit_test(test_impossible_fields),
		cmocka_unit_test(test_version_and_length),
		cmocka_unit_test(test_key_ring),
		cmocka_unit_test(test_domain_separation),
		cmocka_unit_test(test_bit_flips),
		cmocka_unit_test(test_truncations_and_appends),
		cmocka_unit_test(test_respellings),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
