/*
 * decode.c - from key text to an authenticated licence
 *
 * Default deny, one success path, in this order: size bound, strict text
 * decoding, version, length, known key id, signature. Nothing of the payload
 * is read before the signature over it has been checked, beyond the version
 * byte and the key id needed to choose the public key: a forged key can only
 * ever reach the signature check.
 */
#include <string.h>

#include <sodium.h>

#include "codec.h"
#include "seal.h"
#include "sig.h"
#include "wire.h"

int
lkey_init(void)
{
	/* 1 means "already initialised" (e.g. by the host application). */
	return sodium_init() < 0 ? -1 : 0;
}

const lkey__sig_head lkey__licence_head = {
	WIRE_OFF_VERSION, WIRE_VERSION, WIRE_MIN_BYTES, WIRE_OFF_KEYID
};

/*
 * `out` is zeroed first and written only by lkey__wire_parse, which zeroes
 * it again on failure: every refusal leaves no licence behind. A licence
 * read whole is sealed (seal.c).
 */
lkey_status
lkey_decode(const char *text, size_t len, const lkey_pubkey *keys,
    size_t nkeys, lkey_license *out, lkey_detail *detail)
{
	uint8_t raw[LKEY_KEY_MAX];
	const lkey_pubkey *key;
	lkey_detail local;
	lkey_status st;
	size_t n, plen;

	if (detail == NULL)
		detail = &local;
	memset(detail, 0, sizeof(*detail));
	memset(out, 0, sizeof(*out));
	if (text == NULL)
		return lkey__reject(detail, LKEY_MALFORMED, LKEY_R_EMPTY, 0);

	st = lkey__b64_decode(text, len, raw, sizeof(raw), &n, detail);
	if (st != LKEY_OK)
		return st;
	if (n == 0)
		return lkey__reject(detail, LKEY_MALFORMED, LKEY_R_EMPTY, 0);
	st = lkey__sig_key(raw, n, &lkey__licence_head, keys, nkeys, &key, detail);
	if (st != LKEY_OK)
		return st;

	plen = n - LKEY_SIGNATUREBYTES;
	/* The key id named, untrusted: which vendor key it claims. */
	if (lkey__sig_verify_license(raw + plen, raw, plen, key->pk) != 0)
		return lkey__reject(detail, LKEY_BAD_SIGNATURE,
		    LKEY_R_BAD_SIGNATURE, key->id);

	st = lkey__wire_parse(raw, plen, out, detail);
	/* The fields as read, sealed: lkey_check takes no others. */
	if (st == LKEY_OK)
		lkey__seal_set(out);
	return st;
}
