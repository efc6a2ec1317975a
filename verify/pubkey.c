/*
 * pubkey.c - vendor public keys: ids and key files
 *
 * The key id is derived from the key itself (a hash), so an id can never
 * disagree with its key; the file carries it too, so a damaged file is
 * caught when it is read rather than as "unknown key" on every licence.
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

lkey_status
lkey_pubkey_parse(const char *text, size_t len, lkey_pubkey *out)
{
	uint8_t blob[PUBKEY_BLOB_BYTES];
	lkey_pubkey derived;
	size_t pos = 0, s, e, n, found = 0, bs = 0, be = 0;

	memset(out, 0, sizeof(*out));
	if (text == NULL || len > PUBKEY_FILE_MAX)
		return LKEY_MALFORMED;
	while (next_line(text, len, &pos, &s, &e)) {
		size_t i = s;

		while (i < e && lkey_b64_is_space((unsigned char)text[i]))
			i++;
		if (i == e || text[i] == '#')
			continue;
		if (found++)
			return LKEY_MALFORMED;
		bs = s;
		be = e;
	}
	if (found != 1)
		return LKEY_MALFORMED;
	if (lkey_b64_decode(text + bs, be - bs, blob, sizeof(blob), &n,
	    NULL) != LKEY_OK || n != sizeof(blob) ||
	    memcmp(blob, PUBKEY_MAGIC, 4) != 0)
		return LKEY_MALFORMED;
	/* A point off the curve or of small order can verify nothing. */
	if (crypto_core_ed25519_is_valid_point(blob + 8) != 1)
		return LKEY_MALFORMED;
	lkey_pubkey_from_bytes(blob + 8, &derived);
	if (derived.id != le_load32(blob + 4))
		return LKEY_MALFORMED;
	*out = derived;
	return LKEY_OK;
}
