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
#include "fixture.h"
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
	uint32_t maintenance_features;
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
	    "hcDQ3zCk3uM4iP9SvgkffX6vbgflR3QjFp82V3n1uKzCVhdlUAqciwY=", 0 },
	{ "unlimited and perpetual", 2, 1, LKEY_SEATS_UNLIMITED, 42, 0,
	    "2026-01-01", "never", "never", NULL,
	    "01db915016020001ffffffe64fffffffff2a00000000000000",
	    "AduRUBYCAAH////mT/////8qAAAAAAAAAEhj+j0xvt/OGxl1L9QruMk1Sdm+AopR"
	    "Y766kPTwfWICwmzRQDmVZOcCkV3zuGNEgkN+sVk7iud2SJfGBLct8Q4=", 0 },
	{ "licensee extension", 1, 3, 1000, 4294967295U, 0x80000001U,
	    "2027-06-01", "2028-05-31", "2027-11-30", "Example GmbH",
	    "01db915016010003e80300ea515753a052ffffffff01000080010c4578616d70"
	    "6c6520476d6248",
	    "AduRUBYBAAPoAwDqUVdToFL/////AQAAgAEMRXhhbXBsZSBHbWJI9SUAON72DU40"
	    "1o5Q+x3TeOcFLnAr10NXukS6XkctI8mVXiIsZJqL2RhSaEPtOyXWlh0FNAQZh3f/"
	    "guAoRha2CA==", 0 },
	{ "features that need maintenance", 1, 2, 25, 1002, 0x3,
	    "2027-01-01", "2027-12-31", "2027-06-30", NULL,
	    "01db9150160100021900005351bf520752ea03000003000000880401000000",
	    "AduRUBYBAAIZAABTUb9SB1LqAwAAAwAAAIgEAQAAAA5RkKv/m7ZJcwIXWn9SOSuo"
	    "GyeD32HNmiJ76sw5TmpUkc8tv5bf2dnpGKDoqydeBinPhY5QS9k86g3ozMy+Lwc=",
	    0x1 },
};

static void
vector_terms(const struct vector *v, lkey_license *t)
{
	lkey_terms_init(t, day(v->starts));
	t->product = v->product;
	t->edition = v->edition;
	t->seats = v->seats;
	t->serial = v->serial;
	t->features = v->features;
	t->expires = day(v->expires);
	t->maintenance = day(v->maintenance);
	t->maintenance_features = v->maintenance_features;
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
	assert_true(lkey__b64_encode(raw, n + LKEY_SIGNATUREBYTES, text,
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
		assert_int_equal(back.maintenance_features,
		    v->maintenance_features);
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

/* The bytes and characters of the key issued for `t`, which must verify. */
static void
size_of(const lkey_license *t, size_t *bytes, size_t *chars)
{
	uint8_t raw[LKEY_KEY_MAX];
	char text[LKEY_B64_TEXT_MAX];
	lkey_license back;

	assert_int_equal(lkey_issue(&vkey, t, text, sizeof(text)),
	    LKEY_ISSUE_OK);
	assert_int_equal(decode(text, &back, NULL), LKEY_OK);
	*chars = strlen(text);
	assert_int_equal(lkey__b64_decode(text, *chars, raw, sizeof(raw),
	    bytes, NULL), LKEY_OK);
}

static void
expect_size(const char *row, const lkey_license *t, size_t bytes,
    size_t chars)
{
	size_t b, c;

	size_of(t, &b, &c);
	if (b != bytes || c != chars)
		fail_msg("%s: %zu bytes, %zu characters; FORMAT.md's size "
		    "table says %zu and %zu", row, b, c, bytes, chars);
}

/*
 * docs/FORMAT.md's size table, row by row: each extension costs its two
 * bytes of type and length and its value, and the longest key lkey_issue
 * makes carries every extension at its longest.
 */
static void
test_size_table(void **state)
{
	lkey_license t;
	size_t n, m, b, c;

	(void)state;
	vector_terms(&vectors[0], &t);
	expect_size("fixed fields", &t, 89, 120);
	for (n = 1; n <= LKEY_LICENSEE_MAX; n++) {
		vector_terms(&vectors[0], &t);
		memset(t.licensee, 'x', n);
		t.licensee_len = n;
		expect_size("licensee", &t, 91 + n, 4 * ((91 + n + 2) / 3));
	}
	vector_terms(&vectors[0], &t);
	t.grace_days = 7;
	expect_size("grace period", &t, 93, 124);
	vector_terms(&vectors[0], &t);
	t.notice_days = 60;
	expect_size("notice period", &t, 93, 124);
	for (m = 1; m <= LKEY_FEATURES_MAX; m++) {
		vector_terms(&vectors[0], &t);
		t.features = m == 32 ? 0xffffffffU : (1U << m) - 1U;
		for (n = 0; n < m; n++)
			t.module_seats[n] = 5;
		b = 89 + 2 + 4 * m;
		expect_size("modules", &t, b, 4 * ((b + 2) / 3));
	}
	vector_terms(&vectors[0], &t);
	t.trial = true;
	expect_size("trial mark", &t, 91, 124);
	vector_terms(&vectors[0], &t);
	t.issued = t.starts - 1U;
	expect_size("issue date", &t, 93, 124);
	vector_terms(&vectors[0], &t);
	t.host_bound = true;
	memset(t.host, 0xab, sizeof(t.host));
	expect_size("host id", &t, 99, 132);
	vector_terms(&vectors[0], &t);
	t.maintenance_features = 0x1;
	expect_size("maintenance features", &t, 95, 128);
	vector_terms(&vectors[0], &t);
	memset(t.licensee, 'x', LKEY_LICENSEE_MAX);
	t.licensee_len = LKEY_LICENSEE_MAX;
	expect_size("128-byte licensee", &t, 219, 292);

	/* Every extension at its longest. */
	t.features = 0xffffffffU;
	for (n = 0; n < LKEY_FEATURES_MAX; n++)
		t.module_seats[n] = 5;
	t.grace_days = 365;
	t.notice_days = 365;
	t.trial = true;
	t.issued = t.starts - 1U;
	t.host_bound = true;
	memset(t.host, 0xab, sizeof(t.host));
	t.maintenance_features = 0xffffffffU;
	expect_size("longest key issued", &t,
	    89 + 130 + 4 + 4 + 130 + 2 + 4 + 10 + 6, 508);
	size_of(&t, &b, &c);
	assert_true(b <= LKEY_KEY_MAX);
	assert_int_equal(4 * ((LKEY_KEY_MAX + 2) / 3), 684);
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

/* Vector 1 with `ext` appended decodes, into lic. */
static void
accepted(const uint8_t *ext, size_t n, lkey_license *lic)
{
	lkey_detail d;
	lkey_status st = with_extensions(ext, n, lic, &d);

	if (st != LKEY_OK)
		fail_msg("refused as %s (reason %d)", lkey_status_name(st),
		    (int)d.reason);
}

/* Vector 1 with `ext` appended is refused as malformed for `reason`
 * (LKEY_R_NONE: any), the licence zeroed; returns the detail's value. */
static uint32_t
refused(const uint8_t *ext, size_t n, lkey_reason reason)
{
	lkey_license lic;
	lkey_detail d;

	memset(&d, 0, sizeof(d));
	assert_int_equal(with_extensions(ext, n, &lic, &d), LKEY_MALFORMED);
	if (reason != LKEY_R_NONE)
		assert_int_equal(d.reason, reason);
	assert_int_equal(lic.version, 0);
	assert_int_equal(lic.serial, 0);
	return (uint32_t)d.value;
}

/* The same, for the extension bytes given. */
#define ACCEPTED(lic, ...) do {						\
	static const uint8_t e_[] = { __VA_ARGS__ };			\
	accepted(e_, sizeof(e_), (lic));				\
} while (0)
#define REFUSED(reason, ...) do {					\
	static const uint8_t e_[] = { __VA_ARGS__ };			\
	(void)refused(e_, sizeof(e_), (reason));			\
} while (0)
/* An impossible field. */
#define REFUSED_FIELD(...) REFUSED(LKEY_R_BAD_FIELD, __VA_ARGS__)

static void
test_extensions(void **state)
{
	static const uint8_t critical[] = { 0xa0, 0x01, 0x00 };
	lkey_license lic;

	(void)state;
	/* Unknown non-critical: skipped. */
	ACCEPTED(&lic, 0x20, 0x02, 0xaa, 0xbb);
	assert_int_equal(lic.serial, 1001);
	/* Licensee then an unknown non-critical one: both fine. */
	ACCEPTED(&lic, 0x01, 0x01, 'A', 0x7f, 0x00);
	assert_string_equal(lic.licensee, "A");
	/* Unknown critical: the key is unusable here (fail closed). */
	assert_int_equal(refused(critical, sizeof(critical),
	    LKEY_R_UNKNOWN_CRITICAL), 0xa0);
	/* Out of order, repeated, type 0 (and critical), cut short,
	 * overlong. */
	REFUSED(LKEY_R_BAD_EXTENSION, 0x20, 0x00, 0x01, 0x01, 'A');
	REFUSED(LKEY_R_BAD_EXTENSION, 0x20, 0x00, 0x20, 0x00);
	REFUSED(LKEY_R_NONE, 0x00, 0x00);
	REFUSED(LKEY_R_NONE, 0x80, 0x00);
	REFUSED(LKEY_R_NONE, 0x01);
	REFUSED(LKEY_R_NONE, 0x01, 0x05, 'A', 'B');
	/* Licensee: marked critical, empty, control byte, bad UTF-8. */
	REFUSED_FIELD(0x81, 0x01, 'A');
	REFUSED(LKEY_R_NONE, 0x01, 0x00);
	REFUSED(LKEY_R_NONE, 0x01, 0x02, 'A', '\n');
	REFUSED(LKEY_R_NONE, 0x01, 0x02, 0xc0, 0x80);
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
	p[WIRE_FIXED_BYTES] = 0x20;
	p[WIRE_FIXED_BYTES + 1] = 255;
	p[WIRE_FIXED_BYTES + 257] = 0x21;
	p[WIRE_FIXED_BYTES + 258] = (uint8_t)(LKEY_KEY_MAX -
	    LKEY_SIGNATUREBYTES - WIRE_FIXED_BYTES - 257 - 2);
	make_text(p, LKEY_KEY_MAX - LKEY_SIGNATUREBYTES, text, sizeof(text));
	assert_int_equal(decode(text, &lic, &d), LKEY_OK);
	{
		uint8_t raw[LKEY_KEY_MAX + 1];
		char big[LKEY_B64_TEXT_MAX + 8];

		memset(raw, 'A', sizeof(raw));
		raw[0] = 1;
		assert_true(lkey__b64_encode(raw, sizeof(raw), big,
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
	assert_true(lkey__b64_encode(raw, (size_t)n + 64, text,
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

		assert_int_equal(lkey__b64_decode(vectors[i].text,
		    strlen(vectors[i].text), raw, sizeof(raw), &n, NULL),
		    LKEY_OK);
		for (bit = 0; bit < n * 8; bit++) {
			lkey_status st;

			raw[bit / 8] ^= (uint8_t)(1U << (bit % 8));
			assert_true(lkey__b64_encode(raw, n, text,
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
	assert_int_equal(lkey__b64_decode(vectors[0].text,
	    strlen(vectors[0].text), raw, sizeof(raw), &n, NULL), LKEY_OK);
	for (k = 0; k < n; k++) {
		assert_true(lkey__b64_encode(raw, k, text, sizeof(text)) > 0 ||
		    k == 0);
		assert_int_not_equal(decode(text, &lic, NULL), LKEY_OK);
	}
	for (b = 0; b < 256; b++) {
		raw[n] = (uint8_t)b;
		assert_true(lkey__b64_encode(raw, n + 1, text, sizeof(text)) > 0);
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


/* Without extensions a key has the defaults of every optional term. */
static void
test_ext_defaults(void **state)
{
	lkey_license lic;
	size_t i;

	(void)state;
	assert_int_equal(decode(vectors[0].text, &lic, NULL), LKEY_OK);
	assert_int_equal(lic.grace_days, 0);
	assert_int_equal(lic.notice_days, LKEY_NOTICE_DAYS_DEFAULT);
	assert_false(lic.trial);
	assert_int_equal(lic.issued, lic.starts);
	for (i = 0; i < LKEY_FEATURES_MAX; i++)
		assert_int_equal(lic.module_seats[i], 0);
	assert_int_equal(lic.maintenance_features, 0);
}

/* 0x02 grace: u16 days 1..365. */
static void
test_ext_grace(void **state)
{
	lkey_license lic;

	(void)state;
	ACCEPTED(&lic, 0x02, 0x02, 0x07, 0x00);
	assert_int_equal(lic.grace_days, 7);
	assert_int_equal(lic.notice_days, LKEY_NOTICE_DAYS_DEFAULT);
	ACCEPTED(&lic, 0x02, 0x02, 0x01, 0x00);
	assert_int_equal(lic.grace_days, 1);
	ACCEPTED(&lic, 0x02, 0x02, 0x6d, 0x01);
	assert_int_equal(lic.grace_days, 365);
	REFUSED_FIELD(0x02, 0x02, 0x00, 0x00);		/* 0: absent instead */
	REFUSED_FIELD(0x02, 0x02, 0x6e, 0x01);		/* 366 */
	REFUSED_FIELD(0x02, 0x02, 0xff, 0xff);
	REFUSED_FIELD(0x02, 0x01, 0x07);		/* wrong length */
	REFUSED_FIELD(0x02, 0x03, 0x07, 0x00, 0x00);
	REFUSED_FIELD(0x02, 0x00);
	REFUSED_FIELD(0x82, 0x02, 0x07, 0x00);		/* marked critical */
}

/* 0x03 notice: u16 days 0..365, never the default 30. */
static void
test_ext_notice(void **state)
{
	static const uint32_t ok[] = { 0, 1, 29, 31, 365 };
	lkey_license lic;
	lkey_detail d;
	uint8_t e[4] = { 0x03, 0x02, 0, 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		le_store16(e + 2, ok[i]);
		assert_int_equal(with_extensions(e, sizeof(e), &lic, &d),
		    LKEY_OK);
		assert_int_equal(lic.notice_days, ok[i]);
	}
	REFUSED_FIELD(0x03, 0x02, 0x1e, 0x00);		/* 30: absent instead */
	REFUSED_FIELD(0x03, 0x02, 0x6e, 0x01);		/* 366 */
	REFUSED_FIELD(0x03, 0x02, 0xff, 0xff);
	REFUSED_FIELD(0x03, 0x01, 0x00);
	REFUSED_FIELD(0x03, 0x00);
	REFUSED_FIELD(0x83, 0x02, 0x07, 0x00);		/* marked critical */
}

/* 0x84 modules: (u8 bit, u24 seats) each; vector 1 licenses bits 0, 1. */
static void
test_ext_modules(void **state)
{
	lkey_license lic;
	size_t i;

	(void)state;
	ACCEPTED(&lic, 0x84, 0x04, 0x01, 25, 0, 0);
	assert_int_equal(lic.module_seats[1], 25);
	for (i = 0; i < LKEY_FEATURES_MAX; i++)
		if (i != 1)
			assert_int_equal(lic.module_seats[i], 0);
	ACCEPTED(&lic, 0x84, 0x08, 0x00, 0x01, 0, 0, 0x01, 0xfe, 0xff, 0xff);
	assert_int_equal(lic.module_seats[0], 1);
	assert_int_equal(lic.module_seats[1], LKEY_SEATS_MAX);
	/* With the other new extensions around it, in type order. */
	ACCEPTED(&lic, 0x02, 0x02, 0x07, 0x00, 0x03, 0x02, 0x00, 0x00,
	    0x84, 0x04, 0x00, 3, 0, 0, 0x05, 0x00);
	assert_int_equal(lic.grace_days, 7);
	assert_int_equal(lic.notice_days, 0);
	assert_int_equal(lic.module_seats[0], 3);
	assert_true(lic.trial);
	REFUSED_FIELD(0x84, 0x04, 0x02, 1, 0, 0);	/* not a feature */
	REFUSED_FIELD(0x84, 0x04, 0x20, 1, 0, 0);	/* bit 32 */
	REFUSED_FIELD(0x84, 0x04, 0xff, 1, 0, 0);
	REFUSED_FIELD(0x84, 0x04, 0x00, 0, 0, 0);	/* 0 seats */
	REFUSED_FIELD(0x84, 0x04, 0x00, 0xff, 0xff, 0xff); /* unlimited */
	REFUSED_FIELD(0x84, 0x08, 0x01, 1, 0, 0, 0x00, 1, 0, 0); /* order */
	REFUSED_FIELD(0x84, 0x08, 0x01, 1, 0, 0, 0x01, 2, 0, 0); /* twice */
	REFUSED_FIELD(0x84, 0x00);			/* empty */
	REFUSED_FIELD(0x84, 0x03, 0x00, 1, 0);		/* cut entry */
	REFUSED_FIELD(0x84, 0x05, 0x00, 1, 0, 0, 0x01);
	REFUSED_FIELD(0x04, 0x04, 0x00, 1, 0, 0);	/* not critical */
	/* Modules (id 4) before notice (id 3): out of order. */
	REFUSED(LKEY_R_BAD_EXTENSION, 0x84, 0x04, 0x00, 1, 0, 0,
	    0x03, 0x02, 0x00, 0x00);
}

/* Vector 1's payload with expiry "never", then `ext`, signed, decoded. */
static lkey_status
perpetual_with_extensions(const uint8_t *ext, size_t n, lkey_license *out,
    lkey_detail *d)
{
	uint8_t p[LKEY_KEY_MAX];
	char text[LKEY_B64_TEXT_MAX + 64];

	assert_int_equal(hex_decode(vectors[0].payload_hex, p, sizeof(p)),
	    WIRE_FIXED_BYTES);
	le_store16(p + WIRE_OFF_EXPIRES, WIRE_DAY_NEVER);
	if (n > 0)
		memcpy(p + WIRE_FIXED_BYTES, ext, n);
	make_text(p, WIRE_FIXED_BYTES + n, text, sizeof(text));
	return decode(text, out, d);
}

/* 0x05 trial: empty, and only on a key that expires. */
static void
test_ext_trial(void **state)
{
	static const uint8_t trial[] = { 0x05, 0x00 };
	lkey_license lic;
	lkey_detail d;

	(void)state;
	assert_int_equal(with_extensions(trial, sizeof(trial), &lic, &d),
	    LKEY_OK);
	assert_true(lic.trial);
	assert_int_equal(perpetual_with_extensions(NULL, 0, &lic, &d),
	    LKEY_OK);
	assert_int_equal(lic.expires, LKEY_NEVER);
	assert_int_equal(perpetual_with_extensions(trial, sizeof(trial), &lic,
	    &d), LKEY_MALFORMED);
	assert_int_equal(d.reason, LKEY_R_BAD_FIELD);
	assert_false(lic.trial);
	REFUSED_FIELD(0x05, 0x01, 0x00);
	REFUSED_FIELD(0x05, 0x01, 0x01);
	REFUSED_FIELD(0x85, 0x00);			/* marked critical */
}

/* 0x06 issued: u16 day up to 65534, never the start day itself. */
static void
test_ext_issued(void **state)
{
	lkey_license lic;
	lkey_detail d;
	uint8_t e[4] = { 0x06, 0x02, 0, 0 };
	lkey_day starts = day("2027-01-01");

	(void)state;
	le_store16(e + 2, starts - 1);			/* the day before */
	assert_int_equal(with_extensions(e, sizeof(e), &lic, &d), LKEY_OK);
	assert_int_equal(lic.issued, starts - 1);
	assert_int_equal(lic.starts, starts);
	le_store16(e + 2, starts + 1);			/* after the start */
	assert_int_equal(with_extensions(e, sizeof(e), &lic, &d), LKEY_OK);
	assert_int_equal(lic.issued, starts + 1);
	le_store16(e + 2, 0);
	assert_int_equal(with_extensions(e, sizeof(e), &lic, &d), LKEY_OK);
	assert_int_equal(lic.issued, 0);
	le_store16(e + 2, LKEY_DAY_MAX);
	assert_int_equal(with_extensions(e, sizeof(e), &lic, &d), LKEY_OK);
	assert_int_equal(lic.issued, LKEY_DAY_MAX);

	le_store16(e + 2, starts);			/* absent instead */
	(void)refused(e, sizeof(e), LKEY_R_BAD_FIELD);
	REFUSED_FIELD(0x06, 0x02, 0xff, 0xff);		/* 65535 */
	REFUSED_FIELD(0x06, 0x01, 0x00);
	REFUSED_FIELD(0x06, 0x03, 0x00, 0x00, 0x00);
	REFUSED_FIELD(0x86, 0x02, 0x00, 0x00);		/* marked critical */
}

/*
 * 0x88 features that need maintenance: u32, critical, not 0 (absent
 * instead), each bit a licensed feature. Vector 1 licenses bits 0 and 1.
 */
static void
test_ext_maint_features(void **state)
{
	lkey_license lic;

	(void)state;
	ACCEPTED(&lic, 0x88, 0x04, 0x01, 0x00, 0x00, 0x00);
	assert_int_equal(lic.maintenance_features, 0x1);
	assert_int_equal(lic.features, 0x3);
	ACCEPTED(&lic, 0x88, 0x04, 0x03, 0x00, 0x00, 0x00);
	assert_int_equal(lic.maintenance_features, 0x3);
	/* After the host binding (type 7), in type order. */
	ACCEPTED(&lic, 0x87, 0x08, 1, 2, 3, 4, 5, 6, 7, 8,
	    0x88, 0x04, 0x02, 0x00, 0x00, 0x00);
	assert_true(lic.host_bound);
	assert_int_equal(lic.maintenance_features, 0x2);
	/* With the module seats of the same feature. */
	ACCEPTED(&lic, 0x84, 0x04, 0x01, 5, 0, 0,
	    0x88, 0x04, 0x02, 0x00, 0x00, 0x00);
	assert_int_equal(lic.module_seats[1], 5);
	assert_int_equal(lic.maintenance_features, 0x2);

	REFUSED_FIELD(0x88, 0x04, 0x00, 0x00, 0x00, 0x00);	/* 0 */
	REFUSED_FIELD(0x88, 0x04, 0x04, 0x00, 0x00, 0x00);	/* not licensed */
	REFUSED_FIELD(0x88, 0x04, 0x07, 0x00, 0x00, 0x00);
	REFUSED_FIELD(0x88, 0x04, 0x01, 0x00, 0x00, 0x80);	/* bit 31 */
	REFUSED_FIELD(0x88, 0x03, 0x01, 0x00, 0x00);		/* length */
	REFUSED_FIELD(0x88, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00);
	REFUSED_FIELD(0x88, 0x01, 0x01);
	REFUSED_FIELD(0x88, 0x00);
	REFUSED_FIELD(0x08, 0x04, 0x01, 0x00, 0x00, 0x00); /* not critical */
	/* Before the host binding: out of order; twice: repeated. */
	REFUSED(LKEY_R_BAD_EXTENSION, 0x88, 0x04, 0x01, 0x00, 0x00, 0x00,
	    0x87, 0x08, 1, 2, 3, 4, 5, 6, 7, 8);
	REFUSED(LKEY_R_BAD_EXTENSION, 0x88, 0x04, 0x01, 0x00, 0x00, 0x00,
	    0x88, 0x04, 0x02, 0x00, 0x00, 0x00);
	/* An old verifier would see an unknown critical extension: the key
	 * is unusable there, never a key whose add-ons run for ever. */
	{
		static const uint8_t next[] = { 0x89, 0x04, 1, 0, 0, 0 };

		assert_int_equal(refused(next, sizeof(next),
		    LKEY_R_UNKNOWN_CRITICAL), 0x89);
	}
}

/*
 * Each known type with the other critical bit is an impossible field, with
 * a value that is valid under the right bit (so the bit alone is refused).
 */
static void
test_ext_wrong_critical_bit(void **state)
{
	static const struct {
		uint8_t type;
		uint8_t n;
		uint8_t v[4];
	} cases[] = {
		{ 0x01, 1, { 'A' } },
		{ 0x02, 2, { 0x07, 0x00 } },
		{ 0x03, 2, { 0x00, 0x00 } },
		{ 0x84, 4, { 0x00, 0x01, 0x00, 0x00 } },
		{ 0x05, 0, { 0 } },
		{ 0x06, 2, { 0x00, 0x00 } },
		{ 0x88, 4, { 0x01, 0x00, 0x00, 0x00 } },
	};
	uint8_t e[2 + 4];
	lkey_license lic;
	lkey_detail d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		e[0] = cases[i].type;
		e[1] = cases[i].n;
		memcpy(e + 2, cases[i].v, cases[i].n);
		assert_int_equal(with_extensions(e, 2U + cases[i].n, &lic, &d),
		    LKEY_OK);
		e[0] ^= WIRE_EXT_CRITICAL;
		(void)refused(e, 2U + cases[i].n, LKEY_R_BAD_FIELD);
	}
}

/* Terms of vector 1 with one change, issued and decoded again. */
static void
round_trip(const lkey_license *t, lkey_license *back, size_t *payload_len)
{
	char text[LKEY_B64_TEXT_MAX];
	uint8_t raw[LKEY_KEY_MAX];
	lkey_license w = *t;

	assert_int_equal(lkey_issue(&vkey, t, text, sizeof(text)),
	    LKEY_ISSUE_OK);
	assert_int_equal(decode(text, back, NULL), LKEY_OK);
	assert_int_equal(back->product, t->product);
	assert_int_equal(back->seats, t->seats);
	assert_int_equal(back->starts, t->starts);
	assert_int_equal(back->expires, t->expires);
	assert_int_equal(back->maintenance, t->maintenance);
	assert_int_equal(back->serial, t->serial);
	assert_int_equal(back->features, t->features);
	assert_int_equal(back->licensee_len, t->licensee_len);
	assert_memory_equal(back->licensee, t->licensee, t->licensee_len);
	assert_int_equal(back->issued, t->issued);
	assert_int_equal(back->grace_days, t->grace_days);
	assert_int_equal(back->notice_days, t->notice_days);
	assert_int_equal(back->trial, t->trial);
	assert_memory_equal(back->module_seats, t->module_seats,
	    sizeof(t->module_seats));
	assert_int_equal(back->maintenance_features, t->maintenance_features);
	if (payload_len != NULL) {
		size_t n;

		w.version = 1;
		w.key_id = vkey.pub.id;
		*payload_len = build_payload(&w, raw, sizeof(raw));
		assert_int_equal(lkey__b64_decode(text, strlen(text), raw,
		    sizeof(raw), &n, NULL), LKEY_OK);
		assert_int_equal(n, *payload_len + LKEY_SIGNATUREBYTES);
		assert_true(strlen(text) <= 120 ||
		    *payload_len > WIRE_FIXED_BYTES);
	}
}

/* The bytes build_payload writes after the fixed part. */
static void
assert_extensions(const lkey_license *t, const uint8_t *want, size_t n)
{
	uint8_t raw[LKEY_KEY_MAX];
	lkey_license w = *t;
	size_t got;

	w.version = 1;
	w.key_id = vkey.pub.id;
	got = build_payload(&w, raw, sizeof(raw));
	assert_int_equal(got, WIRE_FIXED_BYTES + n);
	if (n > 0)
		assert_memory_equal(raw + WIRE_FIXED_BYTES, want, n);
}

/* t through lkey_issue and lkey_decode, its extensions the bytes given. */
#define ROUND_TRIP_AS(t, ...) do {					\
	static const uint8_t e_[] = { __VA_ARGS__ };			\
	lkey_license back_;						\
									\
	round_trip((t), &back_, NULL);					\
	assert_extensions((t), e_, sizeof(e_));				\
} while (0)

/* Each new term alone through lkey_issue and lkey_decode, and its bytes. */
static void
test_round_trip_terms(void **state)
{
	lkey_license t, back;
	size_t n;

	(void)state;
	/* lkey_terms_init's defaults: no extension, 120 characters. */
	vector_terms(&vectors[0], &t);
	assert_int_equal(t.notice_days, LKEY_NOTICE_DAYS_DEFAULT);
	assert_int_equal(t.issued, t.starts);
	assert_int_equal(t.grace_days, 0);
	assert_false(t.trial);
	round_trip(&t, &back, &n);
	assert_int_equal(n, WIRE_FIXED_BYTES);
	assert_extensions(&t, NULL, 0);

	vector_terms(&vectors[0], &t);
	t.grace_days = 7;
	ROUND_TRIP_AS(&t, 0x02, 0x02, 0x07, 0x00);
	t.grace_days = LKEY_GRACE_DAYS_MAX;
	round_trip(&t, &back, NULL);

	vector_terms(&vectors[0], &t);
	t.notice_days = 0;
	ROUND_TRIP_AS(&t, 0x03, 0x02, 0x00, 0x00);
	t.notice_days = LKEY_NOTICE_DAYS_MAX;
	round_trip(&t, &back, NULL);
	/* The default is never written out: no way to spell it twice. */
	t.notice_days = LKEY_NOTICE_DAYS_DEFAULT;
	assert_extensions(&t, NULL, 0);

	vector_terms(&vectors[0], &t);
	t.module_seats[0] = 5;
	t.module_seats[1] = LKEY_SEATS_MAX;
	ROUND_TRIP_AS(&t, 0x84, 0x08, 0x00, 5, 0, 0, 0x01, 0xfe, 0xff, 0xff);

	vector_terms(&vectors[0], &t);
	t.trial = true;
	ROUND_TRIP_AS(&t, 0x05, 0x00);

	vector_terms(&vectors[0], &t);
	t.issued = t.starts - 10;
	round_trip(&t, &back, NULL);
	{
		uint8_t e[] = { 0x06, 0x02, 0, 0 };
		le_store16(e + 2, t.starts - 10);
		assert_extensions(&t, e, sizeof(e));
	}
	/* Issued on the last day of the licence, or at the end of days for a
	 * perpetual one; issued after the expiry is refused below. */
	t.issued = t.expires;
	round_trip(&t, &back, NULL);
	t.expires = LKEY_NEVER;
	t.issued = LKEY_DAY_MAX;
	round_trip(&t, &back, NULL);
	t.issued = 0;
	round_trip(&t, &back, NULL);
	/* Issued on the start day: nothing written. */
	t.issued = t.starts;
	assert_extensions(&t, NULL, 0);

	vector_terms(&vectors[0], &t);
	t.maintenance_features = 0x2;
	ROUND_TRIP_AS(&t, 0x88, 0x04, 0x02, 0x00, 0x00, 0x00);
	round_trip(&t, &back, &n);
	assert_int_equal(back.maintenance_features, 0x2);
	assert_int_equal(n, WIRE_FIXED_BYTES + 6U);
	/* None: nothing written, and the key keeps its 120 characters. */
	t.maintenance_features = 0;
	assert_extensions(&t, NULL, 0);
}

/* Every new term at once (with a licensee): one key, all fields equal. */
static void
all_terms(lkey_license *t)
{
	vector_terms(&vectors[0], t);
	memcpy(t->licensee, "Example GmbH", 12);
	t->licensee_len = 12;
	t->grace_days = 14;
	t->notice_days = 60;
	t->module_seats[0] = 10;
	t->module_seats[1] = 3;
	t->trial = true;
	t->issued = t->starts - 3;
	t->maintenance_features = 0x2;
}

static void
test_all_terms(void **state)
{
	static const uint8_t want[] = {
		0x01, 0x0c, 'E', 'x', 'a', 'm', 'p', 'l', 'e', ' ', 'G', 'm',
		'b', 'H',
		0x02, 0x02, 14, 0,
		0x03, 0x02, 60, 0,
		0x84, 0x08, 0x00, 10, 0, 0, 0x01, 3, 0, 0,
		0x05, 0x00,
		0x06, 0x02, 0x50, 0x51,		/* 2027-01-01 less 3 days */
		0x88, 0x04, 0x02, 0x00, 0x00, 0x00,
	};
	lkey_license t, back;

	(void)state;
	all_terms(&t);
	assert_int_equal(t.issued, 0x5150);
	round_trip(&t, &back, NULL);
	assert_string_equal(back.licensee, "Example GmbH");
	assert_extensions(&t, want, sizeof(want));
	/* The same bytes, made by hand, decode to the same licence. */
	{
		lkey_license lic;
		lkey_detail d;

		assert_int_equal(with_extensions(want, sizeof(want), &lic,
		    &d), LKEY_OK);
		assert_int_equal(lic.grace_days, 14);
		assert_int_equal(lic.notice_days, 60);
		assert_int_equal(lic.module_seats[0], 10);
		assert_int_equal(lic.module_seats[1], 3);
		assert_true(lic.trial);
		assert_int_equal(lic.issued, 0x5150);
		assert_string_equal(lic.licensee, "Example GmbH");
		assert_int_equal(lic.maintenance_features, 0x2);
	}
}

/* The key with every term: no bit of it can be flipped unnoticed. */
static void
test_all_terms_bit_flips(void **state)
{
	uint8_t raw[LKEY_KEY_MAX];
	char text[LKEY_B64_TEXT_MAX];
	lkey_license t, lic;
	size_t n, bit;

	(void)state;
	all_terms(&t);
	assert_int_equal(lkey_issue(&vkey, &t, text, sizeof(text)),
	    LKEY_ISSUE_OK);
	assert_int_equal(lkey__b64_decode(text, strlen(text), raw, sizeof(raw),
	    &n, NULL), LKEY_OK);
	for (bit = 0; bit < n * 8; bit++) {
		raw[bit / 8] ^= (uint8_t)(1U << (bit % 8));
		assert_true(lkey__b64_encode(raw, n, text, sizeof(text)) > 0);
		if (decode(text, &lic, NULL) == LKEY_OK)
			fail_msg("bit %zu accepted", bit);
		assert_int_equal(lic.version, 0);
		raw[bit / 8] ^= (uint8_t)(1U << (bit % 8));
	}
}

/* lkey_terms_check on the new terms: the boundaries, with a reason. */
static void
test_terms_check_new(void **state)
{
	char text[LKEY_B64_TEXT_MAX];
	const char *why;
	lkey_license t;

	(void)state;
#define CHECK(want, field, value) do {					\
	vector_terms(&vectors[0], &t);					\
	t.field = (value);						\
	why = "unset";							\
	assert_int_equal(lkey_terms_check(&t, &why), (want));		\
	if ((want) == LKEY_ISSUE_OK) {					\
		assert_null(why);					\
		assert_int_equal(lkey_issue(&vkey, &t, text,		\
		    sizeof(text)), LKEY_ISSUE_OK);			\
	} else {							\
		assert_non_null(why);					\
		assert_true(strlen(why) > 5);				\
		assert_int_equal(lkey_issue(&vkey, &t, text,		\
		    sizeof(text)), LKEY_ISSUE_BAD_TERMS);		\
		assert_string_equal(text, "");				\
	}								\
} while (0)
	CHECK(LKEY_ISSUE_OK, grace_days, 0);
	CHECK(LKEY_ISSUE_OK, grace_days, LKEY_GRACE_DAYS_MAX);
	CHECK(LKEY_ISSUE_BAD_TERMS, grace_days, LKEY_GRACE_DAYS_MAX + 1);
	CHECK(LKEY_ISSUE_BAD_TERMS, grace_days, UINT32_MAX);
	CHECK(LKEY_ISSUE_OK, notice_days, 0);
	CHECK(LKEY_ISSUE_OK, notice_days, LKEY_NOTICE_DAYS_MAX);
	CHECK(LKEY_ISSUE_BAD_TERMS, notice_days, LKEY_NOTICE_DAYS_MAX + 1);
	CHECK(LKEY_ISSUE_OK, issued, t.expires);
	CHECK(LKEY_ISSUE_BAD_TERMS, issued, t.expires + 1);	/* after expiry */
	CHECK(LKEY_ISSUE_BAD_TERMS, issued, LKEY_DAY_MAX + 1);
	CHECK(LKEY_ISSUE_BAD_TERMS, issued, LKEY_NEVER);
	CHECK(LKEY_ISSUE_OK, trial, true);
	CHECK(LKEY_ISSUE_OK, module_seats[1], LKEY_SEATS_MAX);
	CHECK(LKEY_ISSUE_BAD_TERMS, module_seats[1], LKEY_SEATS_MAX + 1);
	CHECK(LKEY_ISSUE_BAD_TERMS, module_seats[1], LKEY_SEATS_UNLIMITED);
	CHECK(LKEY_ISSUE_BAD_TERMS, module_seats[2], 1);  /* not licensed */
	CHECK(LKEY_ISSUE_BAD_TERMS, module_seats[31], 1);
	CHECK(LKEY_ISSUE_OK, maintenance_features, 0x3);
	CHECK(LKEY_ISSUE_BAD_TERMS, maintenance_features, 0x4);	/* unlicensed */
	CHECK(LKEY_ISSUE_BAD_TERMS, maintenance_features, 0x80000001U);
#undef CHECK
	/* A trial that never expires. */
	vector_terms(&vectors[0], &t);
	t.trial = true;
	t.expires = LKEY_NEVER;
	why = NULL;
	assert_int_equal(lkey_terms_check(&t, &why), LKEY_ISSUE_BAD_TERMS);
	assert_non_null(why);
	assert_non_null(strstr(why, "trial"));
	assert_int_equal(lkey_issue(&vkey, &t, text, sizeof(text)),
	    LKEY_ISSUE_BAD_TERMS);
	/* The reasons name what is wrong. */
	vector_terms(&vectors[0], &t);
	t.grace_days = 366;
	assert_int_equal(lkey_terms_check(&t, &why), LKEY_ISSUE_BAD_TERMS);
	assert_non_null(strstr(why, "grace"));
	vector_terms(&vectors[0], &t);
	t.notice_days = 366;
	assert_int_equal(lkey_terms_check(&t, &why), LKEY_ISSUE_BAD_TERMS);
	assert_non_null(strstr(why, "notice"));
	vector_terms(&vectors[0], &t);
	t.issued = 65535;
	assert_int_equal(lkey_terms_check(&t, &why), LKEY_ISSUE_BAD_TERMS);
	assert_non_null(strstr(why, "issue"));
	vector_terms(&vectors[0], &t);
	t.module_seats[4] = 1;
	assert_int_equal(lkey_terms_check(&t, &why), LKEY_ISSUE_BAD_TERMS);
	assert_non_null(strstr(why, "module"));
	vector_terms(&vectors[0], &t);
	t.module_seats[0] = LKEY_SEATS_MAX + 1;
	assert_int_equal(lkey_terms_check(&t, &why), LKEY_ISSUE_BAD_TERMS);
	assert_non_null(strstr(why, "module"));
	/* `why` may be NULL. */
	assert_int_equal(lkey_terms_check(&t, NULL), LKEY_ISSUE_BAD_TERMS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector_key),
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_standard_terms_size),
		cmocka_unit_test(test_longest_licensee),
		cmocka_unit_test(test_size_table),
		cmocka_unit_test(test_issue_refuses_bad_terms),
		cmocka_unit_test(test_extensions),
		cmocka_unit_test(test_impossible_fields),
		cmocka_unit_test(test_version_and_length),
		cmocka_unit_test(test_key_ring),
		cmocka_unit_test(test_domain_separation),
		cmocka_unit_test(test_bit_flips),
		cmocka_unit_test(test_truncations_and_appends),
		cmocka_unit_test(test_respellings),
		cmocka_unit_test(test_ext_defaults),
		cmocka_unit_test(test_ext_grace),
		cmocka_unit_test(test_ext_notice),
		cmocka_unit_test(test_ext_modules),
		cmocka_unit_test(test_ext_trial),
		cmocka_unit_test(test_ext_issued),
		cmocka_unit_test(test_ext_maint_features),
		cmocka_unit_test(test_ext_wrong_critical_bit),
		cmocka_unit_test(test_round_trip_terms),
		cmocka_unit_test(test_all_terms),
		cmocka_unit_test(test_all_terms_bit_flips),
		cmocka_unit_test(test_terms_check_new),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
