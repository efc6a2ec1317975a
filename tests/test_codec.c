/*
 * test_codec.c - the strict base64 text form (verify/lib/codec.h)
 *
 * Driven by the RFC 4648 vectors and the derived non-canonical inputs in
 * tests/vectors/rfc4648_base64.json, then by seeded random round trips,
 * the size bounds, and a tamper loop that checks one text form per value.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec.h"
#include "json.h"
#include "support.h"

#define NVECTORS 30U
#define MAX_BYTES (LKEY_TEXT_MAX / 4U * 3U)

static const char ws_chars[] = " \t\n\v\f\r";

/*
 * What a non-canonical vector must give. Our key text forgives ASCII
 * whitespace, so the three whitespace cases decode (hex); the rest are
 * rejected for the reason given (offset: only for LKEY_R_BAD_CHAR).
 */
struct expect {
	const char *id;
	lkey_reason reason;
	size_t offset;
	const char *hex;
	int seen;
};

static struct expect noncanonical[] = {
	{ "junk-bang", LKEY_R_BAD_CHAR, 4, NULL, 0 },
	{ "junk-space-tab-newline", LKEY_R_NONE, 0, "666f6f626172", 0 },
	{ "urlsafe-chars", LKEY_R_BAD_CHAR, 0, NULL, 0 },
	{ "embedded-nul", LKEY_R_BAD_CHAR, 4, NULL, 0 },
	{ "high-byte-ff", LKEY_R_BAD_CHAR, 4, NULL, 0 },
	{ "high-byte-as-digit", LKEY_R_BAD_CHAR, 3, NULL, 0 },
	{ "only-junk", LKEY_R_BAD_CHAR, 0, NULL, 0 },
	{ "missing-padding-2", LKEY_R_BAD_PADDING, 0, NULL, 0 },
	{ "missing-padding-1", LKEY_R_BAD_PADDING, 0, NULL, 0 },
	{ "extra-padding", LKEY_R_BAD_PADDING, 0, NULL, 0 },
	{ "triple-padding", LKEY_R_BAD_PADDING, 0, NULL, 0 },
	{ "padding-on-full-group", LKEY_R_BAD_PADDING, 0, NULL, 0 },
	{ "only-padding", LKEY_R_BAD_PADDING, 0, NULL, 0 },
	{ "leading-padding", LKEY_R_BAD_PADDING, 0, NULL, 0 },
	{ "single-leftover-char", LKEY_R_BAD_PADDING, 0, NULL, 0 },
	{ "group-after-padding", LKEY_R_BAD_PADDING, 0, NULL, 0 },
	{ "group-after-double-padding", LKEY_R_BAD_PADDING, 0, NULL, 0 },
	{ "char-after-padding", LKEY_R_BAD_PADDING, 0, NULL, 0 },
	{ "space-after-padding", LKEY_R_NONE, 0, "666f", 0 },
	{ "newline-after-padding", LKEY_R_NONE, 0, "666f", 0 },
	{ "nonzero-trailing-bits-2", LKEY_R_NONCANONICAL, 0, NULL, 0 },
	{ "nonzero-trailing-bits-4", LKEY_R_NONCANONICAL, 0, NULL, 0 },
	{ "nonzero-trailing-bits-unpadded", LKEY_R_BAD_PADDING, 0, NULL, 0 },
};
#define NNONCANONICAL (sizeof(noncanonical) / sizeof(noncanonical[0]))

/* An independent encoder to compare with: plain RFC 4648 section 4. */
static void
ref_encode(const uint8_t *in, size_t len, char *out)
{
	static const char abc[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, w = 0;

	for (i = 0; i + 2U < len; i += 3U) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1U] << 8 |
		    in[i + 2U];

		out[w++] = abc[v >> 18 & 63U];
		out[w++] = abc[v >> 12 & 63U];
		out[w++] = abc[v >> 6 & 63U];
		out[w++] = abc[v & 63U];
	}
	if (len - i == 1U) {
		out[w++] = abc[in[i] >> 2];
		out[w++] = abc[(in[i] & 3U) << 4];
		out[w++] = '=';
		out[w++] = '=';
	} else if (len - i == 2U) {
		uint32_t v = (uint32_t)in[i] << 8 | in[i + 1U];

		out[w++] = abc[v >> 10 & 63U];
		out[w++] = abc[v >> 4 & 63U];
		out[w++] = abc[(v & 15U) << 2];
		out[w++] = '=';
	}
	out[w] = '\0';
}

/*
 * Decodes text (its output dirty first) and requires, if ok, exactly the
 * wlen bytes of want, else LKEY_MALFORMED for `reason` (and at `offset`
 * for a bad character) with nothing out.
 */
static void
expect_result(const char *text, size_t len, bool ok, const uint8_t *want,
    size_t wlen, lkey_reason reason, size_t offset)
{
	uint8_t out[MAX_BYTES];
	size_t outlen = 12345;
	lkey_detail d;
	lkey_status st;

	memset(&d, 0xa5, sizeof(d));
	st = lkey__b64_decode(text, len, out, sizeof(out), &outlen, &d);
	if (st != (ok ? LKEY_OK : LKEY_MALFORMED))
		fail_msg("decode of %zu bytes \"%.*s\": status %d reason %d "
		    "offset %zu, expected %s (reason %d)", len, (int)len, text,
		    (int)st, (int)d.reason, d.offset, ok ? "ok" : "malformed",
		    (int)reason);
	if (!ok) {
		assert_int_equal(outlen, 0);
		if (d.reason != reason)
			fail_msg("decode of \"%.*s\": reason %d, expected %d",
			    (int)len, text, (int)d.reason, (int)reason);
		if (reason == LKEY_R_BAD_CHAR && d.offset != offset)
			fail_msg("decode of \"%.*s\": offset %zu, expected %zu",
			    (int)len, text, d.offset, offset);
		return;
	}
	assert_int_equal(outlen, wlen);
	if (wlen > 0)
		assert_memory_equal(out, want, wlen);
}

static void
expect_decode(const char *text, size_t len, const uint8_t *want, size_t wlen)
{
	expect_result(text, len, true, want, wlen, LKEY_R_NONE, 0);
}

static void
expect_reject(const char *text, size_t len, lkey_reason reason, size_t offset)
{
	expect_result(text, len, false, NULL, 0, reason, offset);
}

static int
setup_vectors(void **state)
{
	*state = json_load(vector_path("rfc4648_base64.json"));
	return 0;
}

static int
teardown_vectors(void **state)
{
	json_free(*state);
	return 0;
}

static struct expect *
find_expect(const char *id)
{
	size_t i;

	for (i = 0; i < NNONCANONICAL; i++)
		if (strcmp(noncanonical[i].id, id) == 0)
			return &noncanonical[i];
	fail_msg("vector %s: not in the expectation table", id);
	return NULL;
}

/* The hex after "decodes to " in a whitespace case's strict_expectation. */
static size_t
hex_in_expectation(const char *s, uint8_t *out, size_t cap)
{
	const char *p = strstr(s, "decodes to ");
	char hex[64];
	size_t n = 0;
	long r;

	if (p == NULL)
		fail_msg("no \"decodes to\" in \"%s\"", s);
	p += strlen("decodes to ");
	while (n + 1U < sizeof(hex) && ((p[n] >= '0' && p[n] <= '9') ||
	    (p[n] >= 'a' && p[n] <= 'f'))) {
		hex[n] = p[n];
		n++;
	}
	hex[n] = '\0';
	r = hex_decode(hex, out, cap);
	if (r <= 0)
		fail_msg("bad hex in \"%s\"", s);
	return (size_t)r;
}

/* All 30 entries: canonical decode and re-encode, non-canonical rejects. */
static void
test_vectors(void **state)
{
	json_doc *d = *state;
	size_t arr = json_get_array(d, json_root(d), "vectors"), v, i;
	size_t n = 0, ncanon = 0;

	for (i = 0; i < NNONCANONICAL; i++)
		noncanonical[i].seen = 0;
	JSON_FOR_EACH(d, arr, v) {
		const char *id = json_get_string(d, v, "id");
		uint8_t text[64], want[64];
		long tlen = hex_decode(json_get_string(d, v, "encoded_hex"),
		    text, sizeof(text));

		n++;
		assert_true(tlen >= 0);
		if (json_get_bool(d, v, "canonical")) {
			const char *etext = json_get_string(d, v,
			    "encoded_text");
			long wlen = hex_decode(json_get_string(d, v,
			    "decoded_hex"), want, sizeof(want));
			char enc[128];

			ncanon++;
			assert_true(wlen >= 0);
			assert_int_equal((size_t)tlen, strlen(etext));
			assert_memory_equal(text, etext, (size_t)tlen);
			expect_decode(etext, strlen(etext), want, (size_t)wlen);
			assert_int_equal(lkey__b64_encode(want, (size_t)wlen,
			    enc, sizeof(enc)), strlen(etext));
			assert_string_equal(enc, etext);
		} else {
			struct expect *e = find_expect(id);

			assert_int_equal(e->seen, 0);
			e->seen = 1;
			if (e->hex != NULL) {
				uint8_t tab[64];
				size_t wlen = hex_in_expectation(
				    json_get_string(d, v, "strict_expectation"),
				    want, sizeof(want));

				assert_int_equal(hex_decode(e->hex, tab,
				    sizeof(tab)), (long)wlen);
				assert_memory_equal(tab, want, wlen);
				expect_decode((const char *)text, (size_t)tlen,
				    want, wlen);
			} else {
				assert_string_equal(json_get_string(d, v,
				    "strict_expectation"), "reject");
				expect_reject((const char *)text, (size_t)tlen,
				    e->reason, e->offset);
			}
		}
	}
	assert_int_equal(n, NVECTORS);
	assert_int_equal(ncanon, NVECTORS - NNONCANONICAL);
	for (i = 0; i < NNONCANONICAL; i++)
		if (!noncanonical[i].seen)
			fail_msg("vector %s missing from the file",
			    noncanonical[i].id);
}

/* Exactly space, \t, \n, \v, \f, \r; and each is skipped when decoding. */
static void
test_is_space(void **state)
{
	unsigned c;
	size_t nspace = 0;

	(void)state;
	for (c = 0; c < 256U; c++) {
		int want = c != 0 && strchr(ws_chars, (int)c) != NULL;

		if ((lkey__b64_is_space((unsigned char)c) != 0) != want)
			fail_msg("lkey__b64_is_space(0x%02x) wrong", c);
		nspace += (size_t)want;
	}
	assert_int_equal(nspace, 6);
	for (c = 0; ws_chars[c] != '\0'; c++) {
		char text[] = "Zm9v?YmFy";

		text[4] = ws_chars[c];
		expect_decode(text, 9, (const uint8_t *)"foobar", 6);
	}
	/* Whitespace only is the empty value here; keys refuse it later. */
	expect_decode(" \t\r\n", 4, NULL, 0);
	expect_decode("", 0, NULL, 0);
}

/* Random bytes of every length 0..200, whitespace anywhere, junk anywhere. */
static void
test_random_round_trip(void **state)
{
	test_rng rng;
	size_t len;

	(void)state;
	rng_init(&rng, test_seed());
	for (len = 0; len <= 200U; len++) {
		uint8_t in[200], *out;
		char ref[LKEY_B64_LEN(200U) + 1U], *enc;
		char spaced[LKEY_B64_LEN(200U) + 64U];
		size_t elen = LKEY_B64_LEN(len), n, k, nws, outlen, at;
		lkey_detail d;
		unsigned char junk;

		rng_bytes(&rng, in, len);
		ref_encode(in, len, ref);
		/* Exact-size heap buffers: ASan sees any overrun. */
		enc = malloc(elen + 1U);
		out = malloc(len > 0 ? len : 1U);
		assert_non_null(enc);
		assert_non_null(out);
		assert_int_equal(lkey__b64_encode(in, len, enc, elen + 1U),
		    elen);
		assert_string_equal(enc, ref);
		assert_null(strchr(enc, '\n'));

		assert_int_equal(lkey__b64_decode(enc, elen, out, len, &outlen,
		    NULL), LKEY_OK);
		assert_int_equal(outlen, len);
		if (len > 0)
			assert_memory_equal(out, in, len);

		/* 1..16 whitespace bytes at random places, ends included. */
		nws = rng_below(&rng, 16) + 1U;
		memcpy(spaced, enc, elen);
		n = elen;
		for (k = 0; k < nws; k++) {
			at = rng_below(&rng, n + 1U);
			memmove(spaced + at + 1, spaced + at, n - at);
			spaced[at] = ws_chars[rng_below(&rng, 6)];
			n++;
		}
		expect_decode(spaced, n, in, len);

		/* One byte that is neither base64 nor whitespace: its offset. */
		do
			junk = (unsigned char)rng_below(&rng, 256);
		while ((junk >= 'A' && junk <= 'Z') ||
		    (junk >= 'a' && junk <= 'z') ||
		    (junk >= '0' && junk <= '9') || junk == '+' ||
		    junk == '/' || junk == '=' || (junk != 0 &&
		    strchr(ws_chars, junk) != NULL));
		at = rng_below(&rng, n + 1U);
		memmove(spaced + at + 1, spaced + at, n - at);
		spaced[at] = (char)junk;
		memset(&d, 0, sizeof(d));
		if (lkey__b64_decode(spaced, n + 1U, out, len, &outlen, &d) !=
		    LKEY_MALFORMED || d.reason != LKEY_R_BAD_CHAR ||
		    d.offset != at)
			fail_msg("length %zu: byte 0x%02x at %zu: reason %d "
			    "offset %zu", len, junk, at, (int)d.reason,
			    d.offset);
		free(enc);
		free(out);
	}
}

/* libb64 wraps at 72 columns; our one line never does. */
static void
test_encode_one_line(void **state)
{
	static uint8_t in[MAX_BYTES + 1U];
	static char enc[LKEY_B64_LEN(MAX_BYTES + 1U) + 1U];
	static char ref[LKEY_B64_LEN(MAX_BYTES) + 1U];
	static const size_t lens[] = { 53, 54, 55, 56, 57, 107, 108, 109,
	    512, MAX_BYTES };
	test_rng rng;
	size_t i;

	(void)state;
	rng_init(&rng, test_seed() ^ 1U);
	rng_bytes(&rng, in, sizeof(in));
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t elen = LKEY_B64_LEN(lens[i]);

		ref_encode(in, lens[i], ref);
		assert_int_equal(lkey__b64_encode(in, lens[i], enc,
		    sizeof(enc)), elen);
		assert_int_equal(strlen(enc), elen);
		assert_null(strchr(enc, '\n'));
		assert_string_equal(enc, ref);
	}
	assert_int_equal(LKEY_B64_LEN(MAX_BYTES), LKEY_TEXT_MAX);
	/* More than fits in LKEY_TEXT_MAX characters is refused. */
	memset(enc, 'x', sizeof(enc));
	assert_int_equal(lkey__b64_encode(in, MAX_BYTES + 1U, enc,
	    sizeof(enc)), 0);
	assert_string_equal(enc, "");
}

/* LKEY_TEXT_MAX bytes are processed; one more is refused before any work. */
static void
test_text_max(void **state)
{
	static uint8_t in[MAX_BYTES], out[MAX_BYTES];
	static char text[LKEY_TEXT_MAX + 2U];
	test_rng rng;
	size_t outlen;
	lkey_detail d;

	(void)state;
	rng_init(&rng, test_seed() ^ 2U);
	rng_bytes(&rng, in, sizeof(in));

	/* 4096 characters of base64: 3072 bytes. */
	assert_int_equal(lkey__b64_encode(in, MAX_BYTES, text, sizeof(text)),
	    LKEY_TEXT_MAX);
	expect_decode(text, LKEY_TEXT_MAX, in, MAX_BYTES);
	/* 4096 with whitespace: 4092 characters and four spaces. */
	assert_int_equal(lkey__b64_encode(in, MAX_BYTES - 3U, text + 2,
	    sizeof(text) - 2U), LKEY_TEXT_MAX - 4U);
	text[0] = ' ';
	text[1] = '\n';
	text[LKEY_TEXT_MAX - 2U] = '\t';
	text[LKEY_TEXT_MAX - 1U] = ' ';
	expect_decode(text, LKEY_TEXT_MAX, in, MAX_BYTES - 3U);
	/* 4097: the same valid key and one more space. */
	text[LKEY_TEXT_MAX] = ' ';
	expect_reject(text, LKEY_TEXT_MAX + 1U, LKEY_R_TOO_LONG, 0);
	/* Refused by size before the bad byte at 0 is looked at. */
	text[0] = '!';
	expect_reject(text, LKEY_TEXT_MAX + 1U, LKEY_R_TOO_LONG, 0);
	memset(&d, 0, sizeof(d));
	assert_int_equal(lkey__b64_decode(text, LKEY_TEXT_MAX, out,
	    sizeof(out), &outlen, &d), LKEY_MALFORMED);
	assert_int_equal(d.reason, LKEY_R_BAD_CHAR);
	assert_int_equal(d.offset, 0);
	/*
	 * A length far beyond the buffer must be refused by size alone:
	 * under ASan any read past the 5 bytes would be reported.
	 */
	expect_reject("Zg==", SIZE_MAX, LKEY_R_TOO_LONG, 0);
	expect_reject("Zg==", LKEY_TEXT_MAX + 1U, LKEY_R_TOO_LONG, 0);
}

/* Too little room for the bytes: refused, nothing written past cap. */
static void
test_decode_small_cap(void **state)
{
	test_rng rng;
	size_t len, cap;

	(void)state;
	rng_init(&rng, test_seed() ^ 3U);
	for (len = 1; len <= 64U; len++) {
		uint8_t in[64];
		char text[LKEY_B64_LEN(64U) + 1U];
		size_t tlen, outlen;

		rng_bytes(&rng, in, len);
		tlen = lkey__b64_encode(in, len, text, sizeof(text));
		assert_int_equal(tlen, LKEY_B64_LEN(len));
		for (cap = 0; cap <= len; cap++) {
			/* Exact size, so ASan reports a write past cap. */
			uint8_t *out = malloc(cap > 0 ? cap : 1U);
			lkey_detail d;
			lkey_status st;

			assert_non_null(out);
			if (cap == 0)
				out[0] = 0x5a;
			memset(&d, 0, sizeof(d));
			st = lkey__b64_decode(text, tlen, out, cap, &outlen, &d);
			if (cap < len) {
				if (st != LKEY_MALFORMED)
					fail_msg("%zu bytes into cap %zu: "
					    "status %d", len, cap, (int)st);
				assert_int_equal(outlen, 0);
				assert_int_equal(d.reason, LKEY_R_TOO_LONG);
				if (cap == 0)
					assert_int_equal(out[0], 0x5a);
			} else {
				assert_int_equal(st, LKEY_OK);
				assert_int_equal(outlen, len);
				assert_memory_equal(out, in, len);
			}
			free(out);
		}
	}
}

/* Encoding into too little room gives 0 and "", and never overruns. */
static void
test_encode_small_cap(void **state)
{
	static const uint8_t in[] = "any bytes at all";
	size_t len;

	(void)state;
	for (len = 0; len < sizeof(in); len++) {
		size_t need = LKEY_B64_LEN(len) + 1U, cap;

		for (cap = 1; cap <= need; cap++) {
			char *out = malloc(cap);
			size_t r;

			assert_non_null(out);
			memset(out, 'x', cap);
			r = lkey__b64_encode(in, len, out, cap);
			if (cap < need) {
				assert_int_equal(r, 0);
				assert_string_equal(out, "");
			} else {
				assert_int_equal(r, need - 1U);
				assert_int_equal(strlen(out), need - 1U);
			}
			free(out);
		}
	}
	{
		char c = 'x';

		/* No room at all: nothing written. */
		assert_int_equal(lkey__b64_encode(in, 3, &c, 0), 0);
		assert_int_equal(c, 'x');
	}
}

/*
 * One text form per value: changing any one character of a canonical
 * 120-character text to any other byte either is refused or decodes to
 * different bytes, and whatever decodes re-encodes to the text read.
 */
static void
test_substitution(void **state)
{
	static const size_t sizes[] = { 88, 89, 90 };	/* "==", "=", none */
	test_rng rng;
	size_t s;

	(void)state;
	rng_init(&rng, test_seed() ^ 4U);
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		uint8_t in[90], out[120];
		char text[121], again[121];
		size_t pos, accepted = 0, rejected = 0;

		rng_bytes(&rng, in, sizes[s]);
		assert_int_equal(lkey__b64_encode(in, sizes[s], text,
		    sizeof(text)), 120);
		expect_decode(text, 120, in, sizes[s]);
		for (pos = 0; pos < 120U; pos++) {
			char orig = text[pos];
			unsigned c;

			for (c = 0; c < 256U; c++) {
				size_t outlen;
				lkey_status st;

				if ((char)c == orig)
					continue;
				text[pos] = (char)c;
				st = lkey__b64_decode(text, 120, out,
				    sizeof(out), &outlen, NULL);
				if (st != LKEY_OK) {
					assert_int_equal(st, LKEY_MALFORMED);
					rejected++;
					continue;
				}
				accepted++;
				if (outlen == sizes[s] &&
				    memcmp(out, in, outlen) == 0)
					fail_msg("\"%s\" decodes like the "
					    "original (position %zu)", text,
					    pos);
				assert_int_equal(lkey__b64_encode(out, outlen,
				    again, sizeof(again)), 120);
				assert_memory_equal(again, text, 120);
			}
			text[pos] = orig;
		}
		/* Both outcomes must occur, or the loop tested nothing. */
		assert_true(accepted > 0);
		assert_true(rejected > 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_is_space),
		cmocka_unit_test(test_random_round_trip),
		cmocka_unit_test(test_encode_one_line),
		cmocka_unit_test(test_text_max),
		cmocka_unit_test(test_decode_small_cap),
		cmocka_unit_test(test_encode_small_cap),
		cmocka_unit_test(test_substitution),
	};

	return cmocka_run_group_tests(tests, setup_vectors, teardown_vectors);
}
