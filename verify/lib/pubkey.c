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
	while (s < e && lkey__b64_is_space((unsigned char)text[s]))
		s++;
	return s == e || text[s] == '#';
}

/*
 * One key line: strict base64 of magic, id and key. An id that is not the
 * key's own means a damaged line: refused here rather than surfacing as
 * unknown_key on every licence. Whether the key is a valid point is not
 * checked: crypto_sign_verify_detached refuses a non-canonical or
 * small-order key, and a point off the curve, on every licence, so such a
 * key can only make licences bad_signature. The check would cost every
 * run four fifths of a signature check; lkey-keygen makes it instead,
 * before a key leaves the vendor (keygen/lib/pubfile.c).
 */
static int
parse_key_line(const char *line, size_t len, lkey_pubkey *out)
{
	uint8_t blob[PUBKEY_BLOB_BYTES];
	lkey_pubkey derived;
	size_t n;

	if (lkey__b64_decode(line, len, blob, sizeof(blob), &n,
	    NULL) != LKEY_OK || n != sizeof(blob) ||
	    memcmp(blob, PUBKEY_MAGIC, 4) != 0)
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
