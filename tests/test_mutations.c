/*
 * test_mutations.c - every small change to a real key is refused
 *
 * A licence has exactly one text form, forgiving only ASCII whitespace
 * (codec.c), and every byte under that text is signed (decode.c). So for
 * each sample key in keys/samples that decodes with the demo vendor key,
 * lkey_decode must refuse, and zero its output for:
 *
 *   - every single-bit flip of every byte of the decoded key, re-encoded
 *     canonically: the signature, not the text form, has to catch it;
 *   - every single-bit flip (all eight bits) of every character of the
 *     text. A flip that makes a character whitespace drops it, which
 *     changes the key, so there is no exception;
 *   - every proper prefix of the text;
 *   - every byte appended to the text, other than whitespace;
 *   - every other spelling of the same bytes: unused low bits of the last
 *     character set (each other character that decodes to the same bytes,
 *     as libb64 shows), padding missing, padding added;
 *
 * and must accept, giving the identical licence, the text with any one
 * ASCII whitespace byte inserted at any position, a CRLF pair at any
 * position, a run of 100 spaces at a few, or whitespace appended.
 *
 * The samples are found by reading the directory, so a new one is covered
 * without a change here. Samples that do not decode with the demo key
 * (junk, truncated, another vendor's, a bad signature) are named and
 * skipped. Each category prints what it tried; a failing case is listed
 * and the test fails at its end, so one run shows every one.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <b64/cdecode.h>

#include "codec.h"
#include "lkey.h"
#include "proc.h"

#define SAMPLES_DIR "keys/samples"
#define SAMPLES_MAX 64U
#define SAMPLE_NAME_MAX 64U
#define SAMPLES_MIN_DECODED 10U	/* the sample set as it is now */
#define FILE_CAP (2U * LKEY_TEXT_MAX)
#define SPACE_RUN 100U

static const char ws_chars[] = " \t\n\v\f\r";

struct sample {
	char name[SAMPLE_NAME_MAX];
	char text[LKEY_TEXT_MAX + 1U];	/* the compact one-line form */
	size_t len;
	uint8_t raw[LKEY_KEY_MAX];	/* the decoded key */
	size_t rawlen;
	lkey_license lic;		/* its licence */
};

struct samples {
	lkey_pubkey ring;
	struct sample s[SAMPLES_MAX];
	size_t n;
	char skipped[SAMPLES_MAX][SAMPLE_NAME_MAX];
	lkey_status skipped_status[SAMPLES_MAX];
	size_t nskipped;
	unsigned long total;		/* mutations of every category */
};

/* How one category's mutations were refused, per lkey_status. */
struct counts {
	struct tally t;
	unsigned long refused;
	unsigned long accepted;
	unsigned long by_status[LKEY_STATUS_COUNT];
};

static int
by_name(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static bool
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* The value of a base64 character, or -1. */
static int
b64_value(char c)
{
	const char *p = c != '\0' ? strchr(b64_alphabet, c) : NULL;

	return p != NULL ? (int)(p - b64_alphabet) : -1;
}

static void
load_sample(struct samples *ss, const char *name)
{
	char path[PATHCAP], file[FILE_CAP];
	struct sample *s;
	lkey_license lic;
	lkey_status st;
	size_t n, i;

	bprintf(path, sizeof(path), "%s/%s", SAMPLES_DIR, name);
	n = read_file(path, file, sizeof(file));
	st = lkey_decode(file, n, &ss->ring, 1, &lic, NULL);
	if (st != LKEY_OK) {
		assert_true(ss->nskipped < SAMPLES_MAX);
		bprintf(ss->skipped[ss->nskipped], SAMPLE_NAME_MAX, "%s",
		    name);
		ss->skipped_status[ss->nskipped++] = st;
		return;
	}
	assert_true(ss->n < SAMPLES_MAX);
	s = &ss->s[ss->n++];
	bprintf(s->name, sizeof(s->name), "%s", name);
	s->lic = lic;
	for (i = 0, s->len = 0; i < n; i++)
		if (!lkey__b64_is_space((unsigned char)file[i]))
			s->text[s->len++] = file[i];
	s->text[s->len] = '\0';
	assert_int_equal(lkey__b64_decode(s->text, s->len, s->raw,
	    sizeof(s->raw), &s->rawlen, NULL), LKEY_OK);
	/* The file holds the canonical text of its bytes, and only that. */
	{
		char again[LKEY_TEXT_MAX + 1U];

		if (lkey__b64_encode(s->raw, s->rawlen, again, sizeof(again)) !=
		    s->len || memcmp(again, s->text, s->len) != 0)
			fail_msg("%s: not the canonical base64 of its bytes",
			    name);
	}
	st = lkey_decode(s->text, s->len, &ss->ring, 1, &lic, NULL);
	assert_int_equal(st, LKEY_OK);
	assert_memory_equal(&lic, &s->lic, sizeof(lic));
}

static int
setup(void **state)
{
	struct samples *ss = calloc(1, sizeof(*ss));
	char text[1024], names[SAMPLES_MAX][SAMPLE_NAME_MAX];
	struct dirent *e;
	size_t n, i, count = 0;
	DIR *d;

	assert_non_null(ss);
	*state = ss;
	assert_int_equal(lkey_init(), 0);
	n = read_file(DEMO_PUB, text, sizeof(text));
	assert_int_equal(lkey_pubkey_parse(text, n, &ss->ring), LKEY_OK);

	d = opendir(SAMPLES_DIR);
	if (d == NULL)
		fail_msg("cannot open %s", SAMPLES_DIR);
	while ((e = readdir(d)) != NULL) {
		if (!has_suffix(e->d_name, ".key"))
			continue;
		if (count >= SAMPLES_MAX ||
		    strlen(e->d_name) >= SAMPLE_NAME_MAX) {
			closedir(d);
			fail_msg("%s: too many samples or too long a name "
			    "(%s)", SAMPLES_DIR, e->d_name);
		}
		memcpy(names[count++], e->d_name, strlen(e->d_name) + 1U);
	}
	assert_int_equal(closedir(d), 0);
	qsort(names, count, sizeof(names[0]), by_name);
	for (i = 0; i < count; i++)
		load_sample(ss, names[i]);

	printf("mutations: %zu of %zu samples decode; skipped:", ss->n, count);
	for (i = 0; i < ss->nskipped; i++)
		printf(" %s (%s)", ss->skipped[i],
		    lkey_status_name(ss->skipped_status[i]));
	printf("\n");
	fflush(stdout);
	if (ss->n < SAMPLES_MIN_DECODED)
		fail_msg("only %zu samples decode with the demo key, expected "
		    "at least %u", ss->n, SAMPLES_MIN_DECODED);
	return 0;
}

static int
teardown(void **state)
{
	free(*state);
	return 0;
}

/*
 * Decodes len bytes of text from a heap buffer of exactly that size, so
 * that under AddressSanitizer any read past the end is caught.
 */
static lkey_status
decode_exact(const struct samples *ss, const char *text, size_t len,
    lkey_license *lic)
{
	char *copy = malloc(len > 0 ? len : 1U);
	lkey_status st;

	assert_non_null(copy);
	if (len > 0)
		memcpy(copy, text, len);
	st = lkey_decode(copy, len, &ss->ring, 1, lic, NULL);
	free(copy);
	return st;
}

/*
 * One mutation that must be refused, with a zeroed licence. `what` names
 * the category; pos and value say where: the byte or character changed
 * (or the length kept), and the bit flipped, byte or count added.
 */
static void
expect_refused(const struct samples *ss, struct counts *c,
    const struct sample *s, const char *what, size_t pos, unsigned value,
    const char *text, size_t len)
{
	static const lkey_license zero;
	lkey_license lic;
	lkey_status st;

	c->t.cases++;
	memset(&lic, 0xa5, sizeof(lic));
	st = decode_exact(ss, text, len, &lic);
	tcheck(&c->t, st != LKEY_OK, what, NULL,
	    "%s: at %zu, value 0x%02x: accepted", s->name, pos, value);
	tcheck(&c->t, memcmp(&lic, &zero, sizeof(lic)) == 0, what, NULL,
	    "%s: at %zu, value 0x%02x: licence not zeroed", s->name, pos,
	    value);
	if (st == LKEY_OK)
		return;
	c->refused++;
	if ((size_t)st < LKEY_STATUS_COUNT)
		c->by_status[st]++;
}

/* One mutation that must be accepted, giving the sample's licence. */
static void
expect_same(const struct samples *ss, struct counts *c,
    const struct sample *s, const char *what, size_t pos, unsigned value,
    const char *text, size_t len)
{
	lkey_license lic;
	lkey_status st;

	c->t.cases++;
	st = decode_exact(ss, text, len, &lic);
	tcheck(&c->t, st == LKEY_OK, what, NULL,
	    "%s: at %zu, value 0x%02x: refused as %s", s->name, pos, value,
	    lkey_status_name(st));
	if (st != LKEY_OK)
		return;
	tcheck(&c->t, memcmp(&lic, &s->lic, sizeof(lic)) == 0, what, NULL,
	    "%s: at %zu, value 0x%02x: another licence", s->name, pos,
	    value);
	c->accepted++;
}

/* The summary line of a category, then its verdict. */
static void
report_counts(struct samples *ss, const struct counts *c, const char *what)
{
	size_t i;
	bool first = true;

	ss->total += c->refused + c->accepted;
	printf("mutations: %zu keys, %s: %lu refused, %lu accepted as the same "
	    "licence", ss->n, what, c->refused, c->accepted);
	for (i = 1; i < LKEY_STATUS_COUNT; i++) {
		if (c->by_status[i] == 0)
			continue;
		printf("%s%lu %s", first ? " (" : ", ", c->by_status[i],
		    lkey_status_name((lkey_status)i));
		first = false;
	}
	printf("%s\n", first ? "" : ")");
	fflush(stdout);
	tally_done(&c->t, what);
}

/*
 * Every bit of every byte of each sample, one at a time: of its decoded
 * bytes (encoded again) or of its text. Each must be refused.
 */
static void
bit_flips(struct samples *ss, bool decoded, const char *what,
    const char *summary)
{
	struct counts c;
	char text[LKEY_TEXT_MAX + 1U];
	uint8_t b[LKEY_TEXT_MAX + 1U];
	size_t k, i, len, n;
	unsigned bit;

	memset(&c, 0, sizeof(c));
	for (k = 0; k < ss->n; k++) {
		const struct sample *s = &ss->s[k];

		len = decoded ? s->rawlen : s->len;
		assert_true(len <= sizeof(b));
		memcpy(b, decoded ? (const void *)s->raw : s->text, len);
		for (i = 0; i < len; i++) {
			for (bit = 0; bit < 8U; bit++) {
				b[i] ^= (uint8_t)(1U << bit);
				n = len;
				if (decoded)
					n = lkey__b64_encode(b, len, text,
					    sizeof(text));
				else
					memcpy(text, b, len);
				assert_int_equal(n, s->len);
				expect_refused(ss, &c, s, what, i, bit, text,
				    n);
				b[i] ^= (uint8_t)(1U << bit);
			}
		}
	}
	report_counts(ss, &c, summary);
}

/* Every bit of the signed bytes: the signature check must catch it. */
static void
test_byte_flips(void **state)
{
	bit_flips(*state, true, "decoded byte flip", "decoded-byte bit flips");
}

/* Every bit of every character of the text. */
static void
test_text_flips(void **state)
{
	bit_flips(*state, false, "text character flip", "text bit flips");
}

/* Every proper prefix, the empty text included. */
static void
test_truncations(void **state)
{
	struct samples *ss = *state;
	struct counts c;
	size_t k, n;

	memset(&c, 0, sizeof(c));
	for (k = 0; k < ss->n; k++) {
		const struct sample *s = &ss->s[k];

		for (n = 0; n < s->len; n++)
			expect_refused(ss, &c, s, "truncation", n, 0, s->text,
			    n);
	}
	report_counts(ss, &c, "truncations");
}

/* Every byte value appended: whitespace is forgiven, nothing else. */
static void
test_appends(void **state)
{
	struct samples *ss = *state;
	struct counts c;
	char text[LKEY_TEXT_MAX + 2U];
	size_t k;
	unsigned v;

	memset(&c, 0, sizeof(c));
	for (k = 0; k < ss->n; k++) {
		const struct sample *s = &ss->s[k];

		memcpy(text, s->text, s->len);
		for (v = 0; v < 256U; v++) {
			text[s->len] = (char)v;
			if (lkey__b64_is_space((unsigned char)v))
				expect_same(ss, &c, s, "append", s->len, v,
				    text, s->len + 1U);
			else
				expect_refused(ss, &c, s, "append", s->len, v,
				    text, s->len + 1U);
		}
	}
	assert_int_equal(c.accepted, 6U * ss->n);
	report_counts(ss, &c, "one-byte appends");
}

/*
 * libb64, which ignores unused bits and decodes without padding, reads
 * `text` as the sample's bytes: the text is a respelling of the key, not
 * another key.
 */
static void
assert_respelling(const struct sample *s, const char *text, size_t len)
{
	uint8_t plain[LKEY_TEXT_MAX];
	base64_decodestate st;
	int r;

	base64_init_decodestate(&st);
	r = base64_decode_block(text, (int)len, (char *)plain, &st);
	if (r < 0 || (size_t)r != s->rawlen ||
	    memcmp(plain, s->raw, s->rawlen) != 0)
		fail_msg("%s: %.*s is not a respelling of the key", s->name,
		    (int)len, text);
}

/*
 * Every other spelling of the same bytes: the last character with unused
 * bits set (each character that decodes to the same bytes), padding
 * removed, padding added.
 */
static void
test_respellings(void **state)
{
	struct samples *ss = *state;
	struct counts c;
	char text[LKEY_TEXT_MAX + 8U];
	size_t k, pad, last, j, a;
	unsigned long trailing = 0, removed = 0, added = 0;

	memset(&c, 0, sizeof(c));
	for (k = 0; k < ss->n; k++) {
		const struct sample *s = &ss->s[k];
		unsigned unused;
		int orig;

		pad = 0;
		while (pad < 2U && pad < s->len &&
		    s->text[s->len - 1U - pad] == '=')
			pad++;
		assert_int_equal(pad, (3U - s->rawlen % 3U) % 3U);
		last = s->len - pad - 1U;
		unused = pad == 0 ? 0U : pad == 1 ? 2U : 4U;
		orig = b64_value(s->text[last]);
		assert_true(orig >= 0);
		/* The canonical form leaves the unused bits zero. */
		assert_int_equal(orig & ((1 << unused) - 1), 0);

		memcpy(text, s->text, s->len);
		for (j = 0; j < 64U; j++) {
			int v = b64_value(b64_alphabet[j]);

			if (v == orig || (v >> unused) != (orig >> unused))
				continue;
			text[last] = b64_alphabet[j];
			assert_respelling(s, text, s->len);
			expect_refused(ss, &c, s, "trailing bits", last,
			    (unsigned)v, text, s->len);
			trailing++;
		}
		text[last] = s->text[last];

		/* Each '=' dropped, then both. */
		for (j = 1; j <= pad; j++) {
			assert_respelling(s, text, s->len - j);
			expect_refused(ss, &c, s, "padding removed",
			    s->len - j, (unsigned)j, text, s->len - j);
			removed++;
		}
		/* One to four more '=': even a whole group of them. */
		for (a = 1; a <= 4U; a++) {
			text[s->len + a - 1U] = '=';
			expect_refused(ss, &c, s, "padding added", s->len,
			    (unsigned)a, text, s->len + a);
			added++;
		}
	}
	printf("mutations: respellings: %lu with unused bits set, %lu with "
	    "padding removed, %lu with padding added\n", trailing, removed,
	    added);
	report_counts(ss, &c, "respellings of the same bytes");
}

/* text[0..len) with ins (n bytes) inserted at pos, into out. */
static size_t
insert_at(char *out, const char *text, size_t len, size_t pos,
    const char *ins, size_t n)
{
	memcpy(out, text, pos);
	memcpy(out + pos, ins, n);
	memcpy(out + pos + n, text + pos, len - pos);
	return len + n;
}

/* Whitespace anywhere is forgiven and changes nothing. */
static void
test_whitespace(void **state)
{
	struct samples *ss = *state;
	struct counts c;
	char text[LKEY_TEXT_MAX + SPACE_RUN + 2U], run[SPACE_RUN];
	size_t k, pos, w, n;

	memset(&c, 0, sizeof(c));
	memset(run, ' ', sizeof(run));
	for (k = 0; k < ss->n; k++) {
		const struct sample *s = &ss->s[k];
		const size_t at[] = { 0, 1, s->len / 2U, s->len - 1U, s->len };

		for (pos = 0; pos <= s->len; pos++) {
			for (w = 0; w < sizeof(ws_chars) - 1U; w++) {
				n = insert_at(text, s->text, s->len, pos,
				    &ws_chars[w], 1);
				expect_same(ss, &c, s, "whitespace", pos,
				    (unsigned char)ws_chars[w], text, n);
			}
			n = insert_at(text, s->text, s->len, pos, "\r\n", 2);
			expect_same(ss, &c, s, "CRLF", pos, '\r', text, n);
		}
		for (w = 0; w < sizeof(at) / sizeof(at[0]); w++) {
			n = insert_at(text, s->text, s->len, at[w], run,
			    sizeof(run));
			expect_same(ss, &c, s, "space run", at[w], ' ', text,
			    n);
		}
	}
	report_counts(ss, &c, "whitespace insertions");
	printf("mutations: %zu keys, %lu mutations in all\n", ss->n,
	    ss->total);
	fflush(stdout);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_byte_flips),
		cmocka_unit_test(test_text_flips),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_respellings),
		cmocka_unit_test(test_whitespace),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
