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
#include "le.h"
#include "sig.h"
#include "wire.h"

int
lkey_init(void)
{
	/* 1 means "already initialised" (e.g. by the host application). */
	return sodium_init() < 0 ? -1 : 0;
}

static lkey_status
reject(lkey_status st, lkey_detail *d, lkey_reason reason, uint32_t value,
    lkey_license *out)
{
	memset(out, 0, sizeof(*out));
	if (d != NULL) {
		d->reason = reason;
		d->offset = 0;
		d->value = value;
	}
	return st;
}

lkey_status
lkey_decode(const char *text, size_t len, const lkey_pubkey *keys,
    size_t nkeys, lkey_license *out, lkey_detail *detail)
{
	uint8_t raw[LKEY_KEY_MAX];
	const lkey_pubkey *key = NULL;
	lkey_detail local;
	lkey_status st;
	uint32_t id;
	size_t n, i, plen;

	if (detail == NULL)
		detail = &local;
	memset(detail, 0, sizeof(*detail));
	memset(out, 0, sizeof(*out));
	if (text == NULL)
		return reject(LKEY_MALFORMED, detail, LKEY_R_EMPTY, 0, out);

	st = lkey__b64_decode(text, len, raw, sizeof(raw), &n, detail);
	if (st != LKEY_OK)
		return st;
	if (n == 0)
		return reject(LKEY_MALFORMED, detail, LKEY_R_EMPTY, 0, out);
	if (raw[WIRE_OFF_VERSION] != WIRE_VERSION)
		return reject(LKEY_MALFORMED, detail, LKEY_R_BAD_VERSION,
		    raw[WIRE_OFF_VERSION], out);
	if (n < WIRE_MIN_BYTES)
		return reject(LKEY_MALFORMED, detail, LKEY_R_TOO_SHORT, 0, out);

	id = le_load32(raw + WIRE_OFF_KEYID);
	for (i = 0; i < nkeys && keys != NULL; i++) {
		if (keys[i].id == id) {
			key = &keys[i];
			break;
		}
	}
	if (key == NULL)
		return reject(LKEY_UNKNOWN_KEY, detail, LKEY_R_UNKNOWN_KEY, id,
		    out);

	plen = n - LKEY_SIGNATUREBYTES;
	if (lkey__sig_verify_license(raw + plen, raw, plen, key->pk) != 0)
		return reject(LKEY_BAD_SIGNATURE, detail, LKEY_R_BAD_SIGNATURE,
		    0, out);

	return lkey__wire_parse(raw, plen, out, detail);
}
