/*
 * pubkey.c - vendor public keys: ids, key files and key rings
 *
 * The key id is derived from the key itself (a hash), so an id can never
 * disagree with its key; the file carries it too, so a damaged file is
 * caught when it is read rather than as "unknown key" on every licence.
 * A key ring is the same file with several key lines (docs/ROTATION.md).
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "codec.h"
#include "le.h"
#include "pubkey.h"

#define KEYID_TAG "lkey-key-id-v1"

void
lkey_pubkey_from_bytes(const uint8_t pk[LKEY_PUBLICKEYBYTES], lkey_pubkey *out)
{
	uint8_t in[sizeof(KEYID_TAG) + LKEY_PUBLICKEYBYTES];
	uint8_t h[16];

	memcpy(in, KEYID_TAG, sizeof(KEYID_TAG));
	memcpy(in + sizeof(KEYID_TAG), pk, LKEY_PUBLICKEYBYTES);
	crypto_generichash(h, sizeof(h), in, sizeof(in), NULL, 0);
	out->id = le_load32(h);
	memcpy(out->pk, pk, LKEY_PUBLICKEYBYTES);
}

size_t
lkey_pubkey_file_format(const lkey_pubkey *pub, char *out, size_t cap)
{
	uint8_t blob[PUBKEY_BLOB_BYTES];
	char b64[LKEY_B64_LEN(PUBKEY_BLOB_BYTES) + 1U];
	int n;

	memcpy(blob, PUBKEY_MAGIC, 4);
	le_store32(blob + 4, pub->id);
	memcpy(blob + 8, pub->pk, LKEY_PUBLICKEYBYTES);
	if (lkey_b64_encode(blob, sizeof(blob), b64, sizeof(b64)) == 0)
		return 0;
	n = snprintf(out, cap, "# lkey public key, key id %08x\n%s\n",
	    (unsigned)pub->id, b64);
	if (n < 0 || (size_t)n >= cap) {
		if (cap > 0)
			out[0] = '\0';
		return 0;
	}
	return (size_t)n;
}

/* The next line of text[*pos..len), without its line end. */
static int
next_line(const char *text, size_t len, size_t *pos, size_t *start,
    size_t *end)
{
	size_t i = *pos;

	if (i >= len)
		return 0;
	*start = i;
	while (i < len && text[i] != '\n')
		i++;
	*end = i;
	*pos = i < len ? i + 1 : i;
	return 1;
}

/* Whether text[s..e) is blank or a comment: a line that holds no key. */
static int
ignored_line(const char *text, size_t s, size_t e)
{
	while (s < e && lkey_b64_is_space((unsigned char)text[s]))
		s++;
	return s == e || text[s] == '#';
}

/*
 * One key line: strict base64 of magic, id and key. A point off the curve
 * or of small order can verify nothing, and an id that is not the key's
 * own means a damaged line: both are refused here rather than surfacing as
 * unknown_key on every licence.
 */
static int
parse_key_line(const char *line, size_t len, lkey_pubkey *out)
{
	uint8_t blob[PUBKEY_BLOB_BYTES];
	lkey_pubkey derived;
	size_t n;

	if (lkey_b64_decode(line, len, blob, sizeof(blob), &n,
	    NULL) != LKEY_OK || n != sizeof(blob) ||
	    memcmp(blob, PUBKEY_MAGIC, 4) != 0)
		return -1;
	if (crypto_core_ed25519_is_valid_point(blob + 8) != 1)
		return -1;
	lkey_pubkey_from_bytes(blob + 8, &derived);
	if (derived.id != le_load32(blob + 4))
		return -1;
	*out = derived;
	return 0;
}

lkey_status
lkey_pubkey_parse(const char *text, size_t len, lkey_pubkey *out)
{
	size_t pos = 0, s, e, found = 0, bs = 0, be = 0;

	memset(out, 0, sizeof(*out));
	if (text == NULL || len > PUBKEY_FILE_MAX)
		return LKEY_MALFORMED;
	while (next_line(text, len, &pos, &s, &e)) {
		if (ignored_line(text, s, e))
			continue;
		if (found++)
			return LKEY_MALFORMED;
		bs = s;
		be = e;
	}
	if (found != 1 || parse_key_line(text + bs, be - bs, out) != 0) {
		memset(out, 0, sizeof(*out));
		return LKEY_MALFORMED;
	}
	return LKEY_OK;
}

static int
ring_fail(int result, size_t line, uint32_t id, lkey_pubkey *out,
    size_t cap, size_t *n, pubkey_ring_error *why)
{
	if (out != NULL && cap > 0)
		memset(out, 0, cap * sizeof(*out));
	*n = 0;
	if (why != NULL) {
		why->line = line;
		why->id = id;
	}
	return result;
}

/*
 * A ring is what lets a vendor rotate keys: licences signed by the old key
 * and by the new one are both accepted while both are in it. Each line is
 * held to the one-key file's rules; a repeated id is refused because
 * lkey_decode takes the first key of an id, so a second key of the same id
 * would be dead weight at best and a mix-up at worst.
 */
int
pubkey_ring_parse(const char *text, size_t len, lkey_pubkey *out, size_t cap,
    size_t *n, pubkey_ring_error *why)
{
	size_t pos = 0, s, e, line = 0, i, max;
	lkey_pubkey key;

	if (why != NULL) {
		why->line = 0;
		why->id = 0;
	}
	*n = 0;
	max = cap < LKEY_RING_MAX ? cap : LKEY_RING_MAX;
	if (out != NULL && cap > 0)
		memset(out, 0, cap * sizeof(*out));
	if (text == NULL || len > PUBKEY_FILE_MAX)
		return ring_fail(PUBKEY_RING_TOO_BIG, 0, 0, out, cap, n, why);
	while (next_line(text, len, &pos, &s, &e)) {
		line++;
		if (ignored_line(text, s, e))
			continue;
		if (parse_key_line(text + s, e - s, &key) != 0)
			return ring_fail(PUBKEY_RING_BAD_LINE, line, 0, out,
			    cap, n, why);
		if (out == NULL || *n == max)
			return ring_fail(PUBKEY_RING_TOO_MANY, line, 0, out,
			    cap, n, why);
		for (i = 0; i < *n; i++)
			if (out[i].id == key.id)
				return ring_fail(PUBKEY_RING_DUPLICATE, line,
				    key.id, out, cap, n, why);
		out[(*n)++] = key;
	}
	if (*n == 0)
		return ring_fail(PUBKEY_RING_EMPTY, 0, 0, out, cap, n, why);
	return PUBKEY_RING_OK;
}

const char *
pubkey_ring_result_text(int result)
{
	switch (result) {
	case PUBKEY_RING_OK:
		return "ok";
	case PUBKEY_RING_TOO_BIG:
		return "too big for a public key file";
	case PUBKEY_RING_EMPTY:
		return "not an lkey public key file (no key in it)";
	case PUBKEY_RING_BAD_LINE:
		return "not an lkey public key";
	case PUBKEY_RING_TOO_MANY:
		return "too many public keys";
	case PUBKEY_RING_DUPLICATE:
		return "key id given twice";
	default:
		return "not an lkey public key file";
	}
}
